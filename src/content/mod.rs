//! Content: the files under content/, read and parsed into [`Document`]s.
//!
//! `load` walks the folder and reads the files, `front_matter` types the
//! YAML at the top of each, `markdown` renders the body. Nothing here knows
//! about outputs or URLs; that is the site model's job.

pub mod accounts;
pub mod campaign;
pub mod dates;
pub mod front_matter;
pub mod load;
pub mod markdown;
pub mod platforms;
pub mod poster;

use std::path::PathBuf;

use crate::config::Audience;
use front_matter::FrontMatter;
use markdown::Rendered;

/// What sort of page a document is; decides its default template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Page,
    Guidance,
    Campaign,
    Poster,
    Section,
}

impl Kind {
    /// Pages in these top-level folders get that folder's kind.
    pub fn from_folder(top: &str) -> Kind {
        match top {
            "guidance" => Kind::Guidance,
            "campaigns" => Kind::Campaign,
            "posters" => Kind::Poster,
            _ => Kind::Page,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Guidance => "guidance",
            Kind::Campaign => "campaign",
            Kind::Poster => "poster",
            Kind::Section => "section",
        }
    }
}

/// One Markdown file: a page, or a section (`_index.md`).
#[derive(Debug, Clone)]
pub struct Document {
    pub id: usize,
    pub is_section: bool,
    /// Path for messages: `content/guidance/x.md`.
    pub file: String,
    pub abs_path: PathBuf,
    /// Path within content/: `guidance/x.md`.
    pub content_rel: String,
    /// Folder within content/ holding the file: `guidance` (or ``).
    pub dir_rel: String,
    pub text: String,
    pub body_offset: usize,
    pub fm: FrontMatter,
    pub kind: Kind,
    /// Resolved: own front matter → nearest section that says → default.
    pub audience: Audience,
    pub slug: String,
    /// Site path without leading slash, with trailing slash: `guidance/x/`;
    /// empty for the home page.
    pub path: String,
    /// The section this page is listed in (for a section: its parent).
    pub parent: Option<usize>,
    /// Built at all (not a draft, inside its publish/expires window).
    pub published: bool,
    pub unpublished_reason: Option<&'static str>,
    pub rendered: Rendered,
    /// Index in `rendered.links` of the front matter `image`, when it is a
    /// local file.
    pub image_link: Option<usize>,
    /// A campaign page's campaign fields.
    pub campaign: Option<campaign::Campaign>,
    /// A poster page's poster fields.
    pub poster: Option<poster::Poster>,
    /// Width and height of the front matter `image`, read from the file.
    pub image_size: Option<(u32, u32)>,
}

impl Document {
    /// The summary text used when no description is given.
    pub fn description(&self) -> Option<&str> {
        self.fm
            .description
            .as_deref()
            .or(self.rendered.summary_text.as_deref())
    }
}
