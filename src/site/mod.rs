//! The site model: documents placed in sections, given addresses, filtered
//! by publish dates, ordered, and their links checked. Per-output views
//! ([`library::Library`]) are cut from this.

pub mod library;
pub mod links;

use ahash::AHashMap as HashMap;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::Document;
use crate::content::markdown::LinkKind;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, ids};

pub struct Site {
    pub config: SiteConfig,
    pub docs: Vec<Document>,
    /// `guidance/x.md` → document id.
    /// Shared with the template functions of every output (`get_page`).
    pub by_source: std::sync::Arc<HashMap<String, usize>>,
    /// Section id → its published pages, in listing order.
    pub pages_of: HashMap<usize, Vec<usize>>,
    /// Section id → its published child sections, in order.
    pub subsections_of: HashMap<usize, Vec<usize>>,
    pub home: usize,
    pub now: Timestamp,
    /// Redirects: (old path, document id).
    pub aliases: Vec<(String, usize)>,
    pub accounts: crate::content::accounts::Accounts,
    /// Every document's `path`, one after another in one string: see
    /// [`Site::path_of`].
    paths: Paths,
}

/// The documents' addresses side by side: every link and listing entry of
/// every page needs its target's address, and reading it from the
/// document (1.5 KB each, spread over memory) missed the cache each time.
struct Paths {
    text: String,
    /// Where each document's path ends in `text`.
    ends: Vec<u32>,
}

impl Paths {
    fn new<'a>(paths: impl Iterator<Item = &'a str> + Clone) -> Self {
        let mut text = String::with_capacity(paths.clone().map(str::len).sum());
        let ends = paths
            .map(|p| {
                text.push_str(p);
                u32::try_from(text.len()).expect("under 4 GB of addresses")
            })
            .collect();
        Paths { text, ends }
    }

    fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        &self.text[start..self.ends[i] as usize]
    }
}

impl Site {
    /// The site path of document `id` (its `path`).
    pub fn path_of(&self, id: usize) -> &str {
        self.paths.get(id)
    }
}

pub struct ModelOptions {
    pub drafts: bool,
    pub now: Timestamp,
}

pub fn build(
    config: SiteConfig,
    mut docs: Vec<Document>,
    accounts: crate::content::accounts::Accounts,
    opts: &ModelOptions,
    diags: &mut Diagnostics,
) -> Site {
    let by_source: HashMap<String, usize> =
        docs.iter().map(|d| (d.content_rel.clone(), d.id)).collect();
    let section_by_dir: HashMap<String, usize> = docs
        .iter()
        .filter(|d| d.is_section)
        .map(|d| (d.dir_rel.clone(), d.id))
        .collect();
    let home = section_by_dir[""];

    // Parents: the nearest folder upwards that has an _index.md.
    for d in docs.iter_mut() {
        if d.is_section && d.dir_rel.is_empty() {
            continue;
        }
        let is_bundle = !d.is_section && d.content_rel.ends_with("/index.md");
        let mut dir = if d.is_section || is_bundle {
            parent_dir(&d.dir_rel)
        } else {
            Some(d.dir_rel.as_str())
        };
        let mut parent = home;
        while let Some(dr) = dir {
            if let Some(&s) = section_by_dir.get(dr) {
                parent = s;
                break;
            }
            dir = parent_dir(dr);
        }
        d.parent = Some(parent);
    }

    // Audience: own front matter, else the nearest section that sets one,
    // else default_audience. The home page's audience is its own only: the
    // home page must be public for a public output to exist, and that must
    // not quietly make every page without an audience public too.
    for i in 0..docs.len() {
        if docs[i].fm.audience.is_some() {
            continue;
        }
        let mut p = docs[i].parent;
        let mut found = None;
        while let Some(pi) = p.filter(|&pi| pi != home) {
            if let Some(a) = docs[pi].fm.audience {
                found = Some(a);
                break;
            }
            p = docs[pi].parent;
        }
        docs[i].audience = found.unwrap_or(config.default_audience);
    }

    // A home page made up from site.yaml's title (no content/_index.md)
    // holds nothing private, so every output gets it.
    if !docs[home].abs_path.exists() {
        docs[home].audience = crate::config::Audience::Public;
    }

    // Addresses (each document on its own: on every core).
    docs.par_iter_mut().for_each(|d| {
        let is_bundle = !d.is_section && d.content_rel.ends_with("/index.md");
        let folder = if is_bundle {
            parent_dir(&d.dir_rel).unwrap_or("")
        } else {
            d.dir_rel.as_str()
        };
        let mut path = String::new();
        for part in folder
            .split('/')
            .filter(|s| !s.is_empty())
            .map(crate::content::slugify)
            .chain((!d.is_section).then(|| d.slug.clone()))
            .filter(|p| !p.is_empty())
        {
            path.push_str(&part);
            path.push('/');
        }
        d.path = path;
    });

    // Publishing window and drafts; a section that is not built takes its
    // pages with it.
    for d in docs.iter_mut() {
        let reason = if d.fm.draft && !opts.drafts {
            Some("it is a draft (`draft: true`)")
        } else if d.fm.publish.as_ref().is_some_and(|p| p.instant > opts.now) {
            Some("its `publish` date is in the future")
        } else if d.fm.expires.as_ref().is_some_and(|e| e.instant <= opts.now) {
            Some("its `expires` date has passed")
        } else {
            None
        };
        d.published = reason.is_none();
        d.unpublished_reason = reason;
    }
    for i in 0..docs.len() {
        let mut p = docs[i].parent;
        while let Some(pi) = p {
            if !docs[pi].published && docs[i].published {
                docs[i].published = false;
                docs[i].unpublished_reason = Some("its section is not published");
                break;
            }
            p = docs[pi].parent;
        }
    }

    // `/guidance/x/` links name an address: point them at the page that
    // has it, so they are checked like `.md` links (exists, published, in
    // the output).
    // The links are taken out of the documents while the map borrows the
    // documents' addresses, then rewritten in place (the address's string
    // becomes the source path's): at 10,000 pages there are 45,000 such
    // links, and copying or freeing a string for each was 20 ms.
    let mut links: Vec<Vec<crate::content::markdown::LinkRef>> = docs
        .iter_mut()
        .map(|d| std::mem::take(&mut d.rendered.links))
        .collect();
    // Every page link also gets its target's id here, once: checks and
    // URLs then index `docs` instead of looking the path up again.
    {
        let source_of_path: HashMap<&str, (&str, usize)> = docs
            .iter()
            .map(|d| (d.path.as_str(), (d.content_rel.as_str(), d.id)))
            .collect();
        links.par_iter_mut().for_each(|links| {
            for link in links {
                match &mut link.kind {
                    LinkKind::SitePath { path, anchor } => {
                        if let Some(&(src, id)) = source_of_path.get(path.as_str()) {
                            let mut target = std::mem::take(path);
                            target.clear();
                            target.push_str(src);
                            let anchor = anchor.take();
                            link.kind = LinkKind::Page {
                                target,
                                anchor,
                                doc: Some(id),
                            };
                        }
                    }
                    LinkKind::Page { target, doc, .. } => {
                        *doc = by_source.get(target.as_str()).copied();
                    }
                    _ => {}
                }
            }
        });
    }
    for (d, l) in docs.iter_mut().zip(links) {
        d.rendered.links = l;
    }

    // Two files claiming one address.
    let mut by_path: HashMap<&str, usize> = HashMap::new();
    for d in docs.iter().filter(|d| d.published) {
        if let Some(&other) = by_path.get(d.path.as_str()) {
            let o = &docs[other];
            diags.push(
                Diagnostic::error(
                    ids::ADDRESS_CLASH,
                    format!(
                        "{} and {} would both be published at /{}",
                        o.file, d.file, d.path
                    ),
                )
                .at(Location::file_only(&d.file))
                .hint(
                    "rename one of the files, or give one a different `slug:` in its front matter",
                ),
            );
        } else {
            by_path.insert(d.path.as_str(), d.id);
        }
    }

    // Aliases: old addresses that redirect. They must stay inside the
    // output and must not shadow a real page.
    let mut aliases = vec![];
    let mut alias_seen: HashMap<String, usize> = HashMap::new();
    for d in docs.iter().filter(|d| d.published) {
        for (alias, line) in &d.fm.aliases {
            let loc = Location::at_line_col(&d.file, &d.text.get(), *line, 1, "aliases".len());
            match normalise_alias(alias) {
                None => diags.push(
                    Diagnostic::error(ids::INVALID_ALIAS, format!("the alias `{alias}` is not an address inside the site"))
                        .at(loc)
                        .hint("write old addresses as paths from the site root, e.g. `/guidance/old-name/`, without `..`"),
                ),
                Some(p) => {
                    if let Some(&other) = by_path.get(p.as_str()) {
                        diags.push(
                            Diagnostic::error(ids::ALIAS_CLASH, format!("the alias `{alias}` is the address of {}", docs[other].file))
                                .at(loc)
                                .hint("a redirect cannot replace a real page: remove the alias or rename the other page"),
                        );
                    } else if let Some(&other) = alias_seen.get(&p) {
                        diags.push(
                            Diagnostic::error(ids::ALIAS_CLASH, format!("the alias `{alias}` is also an alias of {}", docs[other].file))
                                .at(loc)
                                .hint("an old address can redirect to one page only"),
                        );
                    } else {
                        alias_seen.insert(p.clone(), d.id);
                        aliases.push((p, d.id));
                    }
                }
            }
        }
    }

    // Listings.
    let mut pages_of: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut subsections_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for d in docs.iter().filter(|d| d.published) {
        if let Some(p) = d.parent {
            if d.is_section {
                subsections_of.entry(p).or_default().push(d.id);
            } else {
                pages_of.entry(p).or_default().push(d.id);
            }
        }
    }
    // The key is made once per page, not once per comparison; one list
    // per core (a large site's sections list hundreds of pages each).
    let mut lists: Vec<&mut Vec<usize>> = pages_of
        .values_mut()
        .chain(subsections_of.values_mut())
        .collect();
    lists
        .par_iter_mut()
        .for_each(|list| list.sort_by_cached_key(|&i| listing_key(&docs[i])));

    let site = Site {
        config,
        paths: Paths::new(docs.iter().map(|d| d.path.as_str())),
        docs,
        by_source: std::sync::Arc::new(by_source),
        pages_of,
        subsections_of,
        home,
        now: opts.now,
        aliases,
        accounts,
    };
    links::check_targets(&site, diags);
    // A poster's `campaign` must name a campaign page.
    for d in site.docs.iter().filter(|d| d.published) {
        let Some(link) = d
            .poster
            .as_ref()
            .and_then(|p| p.campaign_link)
            .and_then(|i| d.rendered.links.get(i))
        else {
            continue;
        };
        if let LinkKind::Page { doc: Some(t), .. } = link.kind
            && site.docs[t].campaign.is_none()
        {
            diags.push(
                Diagnostic::error(ids::NOT_A_CAMPAIGN, format!("`campaign` names {}, which is not a campaign page", site.docs[t].file))
                    .at(d.body_location(link))
                    .hint("name a page in content/campaigns/, e.g. `campaign: ../campaigns/social-media-week.md`"),
            );
        }
    }
    site
}

/// Weight first (pages with a weight before those without), then newest
/// date first, then title A–Z, then source path.
fn listing_key(d: &Document) -> (i64, std::cmp::Reverse<Option<Timestamp>>, String, &str) {
    (
        d.fm.weight.unwrap_or(i64::MAX),
        std::cmp::Reverse(d.fm.date.as_ref().map(|x| x.instant)),
        d.fm.title.to_lowercase(),
        d.content_rel.as_str(),
    )
}

fn parent_dir(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        None
    } else {
        Some(dir.rfind('/').map_or("", |i| &dir[..i]))
    }
}

/// `/old/page/`, `old/page` → `old/page/`; `old.html` stays a file.
/// `None` when the alias would leave the site (`..`) or is empty.
pub fn normalise_alias(alias: &str) -> Option<String> {
    let mut parts = vec![];
    for seg in alias.trim().split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s if s.contains('\\') || s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    let joined = parts.join("/");
    if joined.ends_with(".html") || joined.ends_with(".htm") {
        Some(joined)
    } else {
        Some(format!("{joined}/"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn aliases_cannot_escape() {
        assert_eq!(
            super::normalise_alias("/old/page").as_deref(),
            Some("old/page/")
        );
        assert_eq!(super::normalise_alias("../../etc"), None);
        assert_eq!(super::normalise_alias("/a/../../b"), None);
        assert_eq!(
            super::normalise_alias("old.html").as_deref(),
            Some("old.html")
        );
    }

    #[test]
    fn paths_side_by_side_give_back_each_address() {
        let all = ["", "guidance/", "guidance/x/", "", "tags-é/y/"];
        let paths = super::Paths::new(all.iter().copied());
        for (i, p) in all.iter().enumerate() {
            assert_eq!(paths.get(i), *p, "{i}");
        }
    }
}
