//! Links between pages and to files: checked once for the whole site
//! (target exists, anchor exists, target is published) and once per output
//! (target is in this output), then written as URLs into each output.

use rayon::prelude::*;

use crate::content::Document;
use crate::content::markdown::{LinkKind, PLACEHOLDER_PREFIX};
use crate::diagnostics::{Diagnostic, Diagnostics, ids};
use crate::site::Site;
use crate::site::library::Library;
use crate::suggest::did_you_mean;

/// Checks every link of every published document against the whole site.
pub fn check_targets(site: &Site, diags: &mut Diagnostics) {
    check_in_parallel(
        site,
        |d| d.published,
        |doc, own| check_doc_targets(site, doc, own),
        diags,
    );
}

/// Runs `check` on every document `keep` selects, in parallel, and adds
/// the findings in source order, so messages come out the same every run.
fn check_in_parallel(
    site: &Site,
    keep: impl Fn(&Document) -> bool + Sync,
    check: impl Fn(&Document, &mut Diagnostics) + Sync,
    diags: &mut Diagnostics,
) {
    let found: Vec<Diagnostics> = site
        .docs
        .par_iter()
        .filter(|d| keep(d))
        .map(|doc| {
            let mut own = Diagnostics::new();
            check(doc, &mut own);
            own
        })
        .collect();
    for d in found {
        diags.extend(d.into_vec());
    }
}

fn check_doc_targets(site: &Site, doc: &Document, diags: &mut Diagnostics) {
    for link in &doc.rendered.links {
        match &link.kind {
            LinkKind::SelfAnchor(anchor) => {
                if !has_anchor(doc, anchor) {
                    diags.push(anchor_error(doc, doc, anchor).at(doc.body_location(link)));
                }
            }
            LinkKind::Page {
                target,
                anchor,
                doc: target_id,
            } => {
                let Some(tid) = *target_id else {
                    let known: Vec<&str> = site.by_source.keys().map(String::as_str).collect();
                    let hint = match did_you_mean(target, &known) {
                        Some(s) => format!(
                            "did you mean content/{s}? Links are relative to the page's own folder"
                        ),
                        None => format!(
                            "links are relative to the folder of {}; check the spelling, or remove the link",
                            doc.file
                        ),
                    };
                    diags.push(
                        Diagnostic::error(
                            ids::BROKEN_LINK,
                            format!(
                                "this link points to a page that does not exist: content/{target}"
                            ),
                        )
                        .at(doc.body_location(link))
                        .label("no such page")
                        .hint(hint),
                    );
                    continue;
                };
                let t = &site.docs[tid];
                if !t.published {
                    diags.push(
                        Diagnostic::error(
                            ids::UNPUBLISHED_LINK,
                            format!(
                                "this link points to {}, which is not published because {}",
                                t.file,
                                t.unpublished_reason.unwrap_or("it is not published")
                            ),
                        )
                        .at(doc.body_location(link))
                        .hint("remove the link until that page is published"),
                    );
                    continue;
                }
                if let Some(a) = anchor.as_deref().filter(|a| !a.is_empty())
                    && !has_anchor(t, a)
                {
                    diags.push(anchor_error(doc, t, a).at(doc.body_location(link)));
                }
            }
            LinkKind::SitePath { path, .. } => {
                // What site.yaml `features` switched off is not made at all.
                if let Some(feature) = switched_off(path, &site.config.features) {
                    diags.push(
                        Diagnostic::error(ids::NO_PAGE_AT_ADDRESS, format!("this link points to /{path}, which is not made: site.yaml switches `{feature}` off"))
                            .at(doc.body_location(link))
                            .label("not made")
                            .hint(format!("remove the link, or remove `{feature}: false` from `features` in site.yaml")),
                    );
                    continue;
                }
                // Addresses of pages Guidepost makes (tags, hashtags,
                // search) and files (a stylesheet) are not pages of the site.
                let made = std::path::Path::new(path.trim_end_matches('/'))
                    .extension()
                    .is_some()
                    || ["search", "hashtags"]
                        .iter()
                        .map(|s| s.to_string())
                        .chain(site.config.taxonomies.iter().cloned())
                        .any(|t| path == &format!("{t}/") || path.starts_with(&format!("{t}/")));
                if made {
                    continue;
                }
                diags.push(
                        Diagnostic::error(ids::NO_PAGE_AT_ADDRESS, format!("this link points to /{path}, but no page is published at that address"))
                            .at(doc.body_location(link))
                            .label("no such page")
                            .hint("check the address; better, link to the page's .md file, so the link keeps working if the page moves"),
                    );
            }
            LinkKind::File { .. } | LinkKind::Static { .. } | LinkKind::Hashtag(_) => {}
        }
    }
}

fn has_anchor(doc: &crate::content::Document, anchor: &str) -> bool {
    doc.rendered.headings.iter().any(|h| h.id == anchor)
        // Footnote references and definitions are anchors too.
        || doc.rendered.html.get().contains(&format!("id=\"{anchor}\""))
}

fn anchor_error(
    from: &crate::content::Document,
    to: &crate::content::Document,
    anchor: &str,
) -> Diagnostic {
    let ids: Vec<&str> = to.rendered.headings.iter().map(|h| h.id.as_str()).collect();
    let place = if from.id == to.id {
        "this page".to_string()
    } else {
        to.file.clone()
    };
    let hint = match did_you_mean(anchor, &ids) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if ids.is_empty() => {
            format!("{place} has no headings to link to; link to the page without `#{anchor}`")
        }
        None => format!("the headings of {place} have these ids: {}", ids.join(", ")),
    };
    Diagnostic::error(
        ids::BROKEN_ANCHOR,
        format!("`#{anchor}` is not a heading on {place}"),
    )
    .label("no such heading")
    .hint(hint)
}

/// Links from pages in this output to pages that are not in it: they would
/// be broken links, and would tell readers that the hidden page exists.
pub fn check_output(lib: &Library<'_>, diags: &mut Diagnostics) {
    check_in_parallel(
        lib.site,
        |d| lib.includes(d.id),
        |doc, own| check_doc_output(lib, doc, own),
        diags,
    );
}

fn check_doc_output(lib: &Library<'_>, doc: &Document, diags: &mut Diagnostics) {
    let site = lib.site;
    for link in &doc.rendered.links {
        if let LinkKind::Page { doc: Some(tid), .. } = link.kind
            && site.docs[tid].published
            && !lib.includes(tid)
        {
            let t = &site.docs[tid];
            diags.push(
                    Diagnostic::error(ids::AUDIENCE_LINK, format!(
                        "this {} page links to {}, which is for {} only and so is not in the `{}` output",
                        doc.audience.as_str(),
                        t.file,
                        t.audience.as_str(),
                        lib.output.name
                    ))
                    .at(doc.body_location(link))
                    .label(format!("not in the `{}` output", lib.output.name))
                    .hint(format!(
                        "remove the link, or make {} `audience: {}` if everyone may read it",
                        t.file,
                        doc.audience.as_str()
                    )),
                );
        }
    }
}

/// Replaces the `gp-ref:N:` placeholders of a rendered document with this
/// output's URLs.
pub fn fill(html: &str, doc: &crate::content::Document, lib: &Library<'_>) -> String {
    let mut out = String::new();
    let mut copied = 0;
    // The search is set up once per page and the URLs written straight
    // into the page: this runs for every link of every page of an output.
    for pos in memchr::memmem::find_iter(html.as_bytes(), PLACEHOLDER_PREFIX) {
        // Only in an attribute value (`href="gp-ref:3:"`).
        if pos < copied + 2 || html.as_bytes()[pos - 2..pos] != *b"=\"" {
            continue;
        }
        if out.capacity() == 0 {
            out.reserve(html.len() + 64);
        }
        let start = pos + PLACEHOLDER_PREFIX.len();
        let after = &html[start..];
        let Some(end) = memchr::memchr(b':', after.as_bytes()) else {
            break;
        };
        out.push_str(&html[copied..pos]);
        if let Some(l) = after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|n| doc.rendered.links.get(n))
        {
            push_link_url(&mut out, l, lib);
        }
        copied = start + end + 1;
    }
    if copied == 0 {
        return html.to_string();
    }
    out.push_str(&html[copied..]);
    out
}

/// The URL of a checked link in this output (path with the base path).
pub fn link_url(l: &crate::content::markdown::LinkRef, lib: &Library<'_>) -> String {
    let mut url = String::new();
    push_link_url(&mut url, l, lib);
    url
}

/// Appends [`link_url`] to `out`.
pub fn push_link_url(out: &mut String, l: &crate::content::markdown::LinkRef, lib: &Library<'_>) {
    let base = lib.output.base_path.as_str();
    let anchor = |out: &mut String, anchor: &Option<String>| {
        if let Some(a) = anchor.as_deref().filter(|a| !a.is_empty()) {
            out.push('#');
            out.push_str(a);
        }
    };
    match &l.kind {
        LinkKind::Page { doc, anchor: a, .. } => {
            if let Some(t) = *doc {
                out.push_str(base);
                out.push_str(lib.site.path_of(t).trim_start_matches('/'));
            }
            anchor(out, a);
        }
        LinkKind::File { target } => lib.push_file_url(out, target),
        LinkKind::Static { path } => lib.push_file_url(out, path),
        LinkKind::SitePath { path, anchor: a } => {
            out.push_str(base);
            out.push_str(path.trim_start_matches('/'));
            anchor(out, a);
        }
        LinkKind::SelfAnchor(a) => {
            out.push('#');
            out.push_str(a);
        }
        LinkKind::Hashtag(tag) => {
            out.push_str(base);
            out.push_str("hashtags/");
            out.push_str(&crate::site::library::encode_path(tag));
            out.push('/');
        }
    }
}

/// The feature that makes the file or page at site address `path` (no
/// leading `/`), when site.yaml switches it off.
fn switched_off(path: &str, f: &crate::config::Features) -> Option<&'static str> {
    let under = |folder: &str| {
        path.strip_prefix(folder)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    match path {
        "atom.xml" if !f.feed => Some("feed"),
        "sitemap.xml" if !f.sitemap => Some("sitemap"),
        "robots.txt" if !f.robots_txt => Some("robots_txt"),
        "search-index.json" | "search-index.js" if !f.search => Some("search"),
        _ if under("search") && !f.search => Some("search"),
        _ if under("hashtags") && !f.hashtags => Some("hashtags"),
        _ => None,
    }
}
