//! Poster pages (`content/posters/*.md`): the image people see, the print
//! file, the paper size, the campaign it belongs to and where its QR code
//! points. The Markdown body is what the poster says, for people who
//! cannot see the image, so it may not be empty.

use serde_json::Value;

use crate::content::campaign::KindInput;
use crate::content::front_matter::FrontMatter;
use crate::content::markdown::{self, LinkKind, LinkRef, Rendered};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, ids};
use crate::yaml::Map;

pub const KEYS: &[&str] = &["file", "paper", "campaign", "qr"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    A3,
}

impl Paper {
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::A3 => "A3",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Poster {
    /// Index in the page's links of the print file.
    pub file_link: Option<usize>,
    /// "PDF, 120KB, 1 page"
    pub file_label: Option<String>,
    pub paper: Paper,
    /// Index in the page's links of the campaign page.
    pub campaign_link: Option<usize>,
    /// Where the QR code points, when not the campaign or the poster itself.
    pub qr: Option<String>,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn parse(
    input: &KindInput<'_>,
    fm: &FrontMatter,
    fields: &Map,
    body: &str,
    body_line: usize,
    rendered: &mut Rendered,
    diags: &mut Diagnostics,
) -> Poster {
    let loc = input.loc;
    let top = || Location::at_line_col(loc.file, loc.text, 1, 1, 3);
    if fm.image.is_none() {
        diags.push(
            Diagnostic::error(ids::POSTER_WITHOUT_IMAGE, "this poster has no `image`")
                .at(top())
                .hint("add the poster's picture: `image: images/my-poster.png` (relative to this file)"),
        );
    }
    if fm.image_alt.is_none() && fm.image.is_none() {
        diags.push(
            Diagnostic::error(ids::MISSING_IMAGE_ALT, "this poster has no `image_alt`")
                .at(top())
                .hint("describe the poster as a picture in a sentence: `image_alt: A blue poster inviting patients to follow us`"),
        );
    }
    if body.trim().is_empty() {
        diags.push(
            Diagnostic::error(ids::EMPTY_POSTER_TEXT, "this poster has no text: the page body is empty")
                .at(Location::at_line_col(loc.file, loc.text, body_line, 1, 1))
                .hint("write out everything the poster says below the front matter, in order: it is the version people read when they cannot see the image"),
        );
    }

    let paper = match text(fields.get("paper")).map(|p| p.to_uppercase()) {
        None => Paper::A4,
        Some(p) if p == "A4" => Paper::A4,
        Some(p) if p == "A3" => Paper::A3,
        Some(p) => {
            diags.push(
                Diagnostic::error(
                    ids::INVALID_PAPER_SIZE,
                    format!("`{p}` is not a paper size Guidepost prints"),
                )
                .at(loc.key("paper"))
                .hint("use `paper: A4` or `paper: A3`"),
            );
            Paper::A4
        }
    };

    let (mut file_link, mut file_label) = (None, None);
    if let Some(f) = text(fields.get("file")) {
        let location = loc.key("file");
        let ext = std::path::Path::new(&f)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let checked = markdown::resolve_relative(input.dir_rel, &f).map(|target| {
            let check = input.files.check(
                input.content_dir,
                None,
                &target,
                false,
                &ext,
                input.config.max_file_size,
            );
            (target, check)
        });
        let problem = match checked {
            Some((target, markdown::FileCheck::Ok { info, .. })) => {
                rendered
                    .links
                    .push(LinkRef::known(LinkKind::File { target }, location.clone()));
                file_link = Some(rendered.links.len() - 1);
                file_label = Some(info.label.to_string());
                None
            }
            Some((_, markdown::FileCheck::Bad(id, problem, _))) => {
                Some((id, format!("the print file: {problem}")))
            }
            Some((_, markdown::FileCheck::Outside)) => Some((
                ids::SYMLINK_OUTSIDE_SITE,
                format!("the print file `{f}` is a link to a file outside the site"),
            )),
            Some((_, markdown::FileCheck::Missing)) | None => Some((
                ids::MISSING_FILE,
                format!("the print file `{f}` does not exist"),
            )),
        };
        if let Some((id, problem)) = problem {
            diags.push(Diagnostic::error(id, problem).at(location).hint(format!(
                "the path is relative to {}; the size limit is site.yaml `max_file_size`",
                loc.file
            )));
        }
    }

    let campaign_link = text(fields.get("campaign")).and_then(|c| {
        let target = if c.ends_with(".md") {
            markdown::resolve_relative(input.dir_rel, &c)
        } else {
            Some(format!("campaigns/{}.md", c.trim_matches('/')))
        };
        match target {
            Some(target) => {
                rendered.links.push(LinkRef::known(LinkKind::Page { target, anchor: None, doc: None }, loc.key("campaign")));
                Some(rendered.links.len() - 1)
            }
            None => {
                diags.push(
                    Diagnostic::error(ids::OUTSIDE_CONTENT, format!("`{c}` points outside the content folder"))
                        .at(loc.key("campaign"))
                        .hint("name the campaign's file, e.g. `campaign: ../campaigns/social-media-week.md`"),
                );
                None
            }
        }
    });

    let qr = text(fields.get("qr")).filter(|q| {
        let ok = q.starts_with("https://") || q.starts_with("http://");
        if !ok {
            diags.push(
                Diagnostic::error(ids::INVALID_WEB_ADDRESS, format!("`{q}` is not a full web address for the QR code"))
                    .at(loc.key("qr"))
                    .hint("write the whole address, starting with https://, or remove `qr` to point at the campaign or the poster's page"),
            );
        }
        ok
    });

    Poster {
        file_link,
        file_label,
        paper,
        campaign_link,
        qr,
    }
}
