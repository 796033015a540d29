//! Reading content/: find the Markdown files, split and type their front
//! matter, render their bodies. Files are independent, so this runs in
//! parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::accounts::Accounts;
use crate::content::campaign::{self, KindInput};
use crate::content::front_matter::{self, FmContext, FrontMatter, Locator};
use crate::content::markdown::{self, Input};
use crate::content::poster;
use crate::content::{Document, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, display_path, ids};
use crate::timing::{Work, WorkClock};

pub const CONTENT_DIR: &str = "content";

/// Names editors and systems leave behind; never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.starts_with(".#")
}

/// Whether a file name in content/ is a page or section source:
/// Markdown, and not `_`-prefixed unless it is `_index.md`.
pub fn is_page_file(name: &str) -> bool {
    name.to_lowercase().ends_with(".md") && (!name.starts_with('_') || name == "_index.md")
}

/// What walking content/ found: Markdown files, in a stable order, and the
/// things it would not read.
#[derive(Default)]
pub struct Found {
    pub files: Vec<PathBuf>,
    /// Symbolic links: never followed, so content cannot reach outside
    /// content/ (or loop forever).
    pub symlinks: Vec<PathBuf>,
    /// Folders or files that could not be read.
    pub unreadable: Vec<(PathBuf, String)>,
}

pub fn find_markdown(content_dir: &Path) -> Found {
    // The content folder's own entries are read here; each folder in it is
    // walked on its own core (a large site's sections hold hundreds of
    // pages each, and walking 10,000 files one after another was a
    // serial 10 ms at the start of every build).
    let mut found = Found::default();
    let mut folders = vec![];
    walk(&mut found, content_dir, 1, content_dir, Some(&mut folders));
    let parts: Vec<Found> = folders
        .par_iter()
        .map(|folder| {
            let mut part = Found::default();
            walk(&mut part, folder, usize::MAX, content_dir, None);
            part
        })
        .collect();
    for part in parts {
        found.files.extend(part.files);
        found.symlinks.extend(part.symlinks);
        found.unreadable.extend(part.unreadable);
    }
    // Sorted once here, on every core, rather than by walkdir while
    // walking: its sort compares file names taken from full paths, folder
    // by folder.
    found.files.par_sort_by_cached_key(|p| path_key(p));
    found.symlinks.sort_by_cached_key(|p| path_key(p));
    // Stable: errors without a path all carry the content folder's.
    found.unreadable.sort_by_cached_key(|(p, _)| path_key(p));
    found
}

/// Walks `root` down to `max_depth`, adding pages, symbolic links and
/// problems to `found`. With `folders`, the folders at `max_depth` are
/// listed there for walking later instead of being entered.
fn walk(
    found: &mut Found,
    root: &Path,
    max_depth: usize,
    content_dir: &Path,
    mut folders: Option<&mut Vec<PathBuf>>,
) {
    let walker = walkdir::WalkDir::new(root)
        .max_depth(max_depth)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            if e.depth() == 0 {
                return true;
            }
            if is_ignored_name(&name) {
                return false;
            }
            // `_data` and other `_folders` hold data, not pages.
            !(e.file_type().is_dir() && name.starts_with('_'))
        });
    for entry in walker {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content_dir.to_path_buf());
                found.unreadable.push((path, err.to_string()));
                continue;
            }
        };
        if e.path_is_symlink() {
            found.symlinks.push(e.into_path());
            continue;
        }
        if e.depth() > 0
            && e.file_type().is_dir()
            && let Some(list) = folders.as_deref_mut()
        {
            list.push(e.into_path());
            continue;
        }
        if !e.file_type().is_file() {
            continue;
        }
        let name = e.file_name().to_string_lossy();
        if is_page_file(&name) {
            found.files.push(e.into_path());
        }
    }
}

/// A sort key giving [`Path`]'s own order (folder by folder, so `a/z.md`
/// comes before `a-b/c.md`) to paths joined by walkdir: the path's bytes
/// with each separator made the lowest byte, compared as plain bytes.
/// Splitting paths into components to compare them, or comparing byte by
/// byte with separators ranked first, made sorting a large site's files a
/// noticeable serial step.
fn path_key(p: &Path) -> Vec<u8> {
    p.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&c| {
            if std::path::is_separator(char::from(c)) {
                0
            } else {
                c
            }
        })
        .collect()
}

/// Documents as read from disk (before the site model), with what reading
/// them reported. `watch` keeps them so an edit re-reads only the files it
/// touched.
#[derive(Default)]
pub struct DocCache {
    docs: std::collections::HashMap<PathBuf, (Document, Vec<Diagnostic>)>,
}

impl DocCache {
    /// Forgets a file: it is read again next time.
    pub fn forget(&mut self, path: &Path) {
        self.docs.remove(path);
    }

    pub fn insert(&mut self, path: PathBuf, doc: Document, diags: Vec<Diagnostic>) {
        self.docs.insert(path, (doc, diags));
    }

    pub fn clear(&mut self) {
        self.docs.clear();
    }

    pub fn get(&self, path: &Path) -> Option<&(Document, Vec<Diagnostic>)> {
        self.docs.get(path)
    }
}

/// Loads and renders every document. The home section always exists:
/// without content/_index.md it is made from site.yaml's title.
pub fn load(
    config: &SiteConfig,
    accounts: &Accounts,
    clock: &WorkClock,
    diags: &mut Diagnostics,
) -> Vec<Document> {
    load_cached(config, accounts, clock, diags, None, Bodies::Keep)
}

/// Whether documents keep their whole source once their Markdown is
/// rendered. A one-shot build drops the bodies then (on a large site they
/// are a quarter of its memory at its peak): later steps need a body only
/// for a message pointing into it, and [`Document::body_location`] reads
/// the file again for that. `check` (content rules) and `watch` (comparing
/// edits) keep them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    Keep,
    /// What the templates show of the Markdown besides its HTML: `words`,
    /// word counts (`word_count`, `reading_time`); `summaries`, the first
    /// paragraph as HTML (`summary`). A one-shot build makes only those
    /// (and a page's summary text when it has no `description`, which
    /// stands in for it). Kept bodies get everything: `watch` keeps its
    /// pages for templates edited later.
    Drop {
        words: bool,
        summaries: bool,
    },
}

impl Bodies {
    /// Whether words are counted while the Markdown is rendered.
    pub fn words(self) -> bool {
        match self {
            Bodies::Keep => true,
            Bodies::Drop { words, .. } => words,
        }
    }

    /// Whether every page's summary is made.
    pub fn summaries(self) -> bool {
        match self {
            Bodies::Keep => true,
            Bodies::Drop { summaries, .. } => summaries,
        }
    }
}

/// [`load`], taking unchanged files from `cache` and adding the rest to it.
pub fn load_cached(
    config: &SiteConfig,
    accounts: &Accounts,
    clock: &WorkClock,
    diags: &mut Diagnostics,
    mut cache: Option<&mut DocCache>,
    bodies: Bodies,
) -> Vec<Document> {
    let root = &config.root;
    let content_dir = root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error(ids::NO_CONTENT_FOLDER, "there is no content/ folder")
                .at(Location::file_only(CONTENT_DIR))
                .hint("create content/ and put your Markdown pages in it (content/_index.md is the home page)"),
        );
        return vec![];
    }
    let found = find_markdown(&content_dir);
    for link in &found.symlinks {
        diags.push(
            Diagnostic::warning(
                ids::SYMLINK_SKIPPED,
                "this is a symbolic link; Guidepost does not follow links, so it is left out",
            )
            .at(Location::file_only(display_path(&config.root, link)))
            .hint("copy the file or folder into content/ instead of linking to it"),
        );
    }
    for (path, why) in &found.unreadable {
        diags.push(
            Diagnostic::error(ids::CANNOT_READ, format!("cannot read this: {why}"))
                .at(Location::file_only(display_path(&config.root, path)))
                .hint("check the file's permissions"),
        );
    }
    let files = found.files;
    let file_cache = markdown::FileCache::default();
    let known = cache.as_deref();
    // Documents are large (about 1.5 KB): each is written once, by rayon,
    // straight into its place, and the list keeps its allocation when the
    // few that failed are dropped. Moving them through a list of
    // (document, problems) pairs took a serial 15 ms at 10,000 pages. The
    // paths are borrowed and freed here afterwards: freed on the workers,
    // each free took the lock of the allocator arena of the thread that
    // made the path, so the two workers queued on it (a thousand futex
    // waits at 10,000 pages).
    // Problems: each file's, and whether it came from the cache.
    type Problems = (Vec<Diagnostic>, bool);
    let (loaded, problems): (Vec<Option<Document>>, Vec<Problems>) = files
        .par_iter()
        .with_max_len(crate::PAGES_PER_TASK)
        .map(|path| match known.and_then(|c| c.get(path)) {
            Some((doc, ds)) => (Some(doc.clone()), (ds.clone(), true)),
            None => {
                let (doc, ds) = load_one(
                    config,
                    accounts,
                    &file_cache,
                    &content_dir,
                    path,
                    clock,
                    bodies,
                );
                (doc, (ds.into_vec(), false))
            }
        })
        .unzip();
    drop(files);
    for (doc, (d, cached)) in loaded.iter().zip(problems) {
        if let (Some(c), Some(doc), false) = (cache.as_deref_mut(), doc, cached) {
            c.docs
                .insert(doc.abs_path.clone(), (doc.clone(), d.clone()));
        }
        diags.extend(d);
    }
    // `filter_map` reuses the allocation (`flatten` makes a new one).
    #[allow(clippy::filter_map_identity)]
    let mut docs: Vec<Document> = loaded.into_iter().filter_map(|d| d).collect();
    if !docs.iter().any(|d| d.is_section && d.dir_rel.is_empty()) {
        docs.insert(0, synthetic_home(config, &content_dir));
    }
    for (i, d) in docs.iter_mut().enumerate() {
        d.id = i;
    }
    docs
}

fn synthetic_home(config: &SiteConfig, content_dir: &Path) -> Document {
    Document {
        id: 0,
        is_section: true,
        file: format!("{CONTENT_DIR}/_index.md"),
        abs_path: content_dir.join("_index.md"),
        content_rel: "_index.md".into(),
        dir_rel: String::new(),
        text: String::new().into(),
        source_len: 0,
        source_hash: 0,
        body_offset: 0,
        fm: FrontMatter {
            title: config.title.clone(),
            ..Default::default()
        },
        kind: Kind::Section,
        audience: config.default_audience,
        slug: String::new(),
        path: String::new(),
        parent: None,
        published: true,
        unpublished_reason: None,
        rendered: Default::default(),
        image_link: None,
        campaign: None,
        poster: None,
        image_size: None,
    }
}

pub fn load_one(
    config: &SiteConfig,
    accounts: &Accounts,
    file_cache: &markdown::FileCache,
    content_dir: &Path,
    path: &Path,
    clock: &WorkClock,
    bodies: Bodies,
) -> (Option<Document>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let file = display_path(&config.root, path);
    let text = match clock.time(Work::Read, || std::fs::read(path)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                diags.push(
                    Diagnostic::error(ids::NOT_UTF8_TEXT, "this file is not UTF-8 text")
                        .at(Location::file_only(&file))
                        .hint("save it as UTF-8 in your editor (\"Save with encoding\" → UTF-8)"),
                );
                return (None, diags);
            }
        },
        Err(e) => {
            diags.push(
                Diagnostic::error(ids::CANNOT_READ, format!("cannot read this file: {e}"))
                    .at(Location::file_only(&file)),
            );
            return (None, diags);
        }
    };
    let content_rel = display_path(content_dir, path);
    let dir_rel = match content_rel.rfind('/') {
        Some(i) => content_rel[..i].to_string(),
        None => String::new(),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_section = file_name == "_index.md";

    let split = match front_matter::split(&text) {
        Ok(s) => s,
        Err(offset) => {
            diags.push(
                Diagnostic::error(
                    ids::UNCLOSED_FRONT_MATTER,
                    "the front matter starts with `---` but never ends",
                )
                .at(Location::at_offset(&file, &text, offset, 3))
                .hint("add a line with just `---` after the last front matter line"),
            );
            return (None, diags);
        }
    };
    let (yaml, yaml_offset, body_offset) = (split.yaml, split.yaml_offset, split.body_offset);
    let top = content_rel.split('/').next().unwrap_or("");
    let kind = if is_section {
        Kind::Section
    } else if dir_rel.is_empty() {
        Kind::Page
    } else {
        Kind::from_folder(top)
    };
    let kind_keys: &[&'static str] = match kind {
        Kind::Campaign => campaign::KEYS,
        Kind::Poster => poster::KEYS,
        _ => &[],
    };
    let fm = {
        let mut cx = FmContext {
            file: &file,
            text: &text,
            yaml,
            yaml_offset,
            tz: &config.timezone,
            taxonomies: &config.taxonomies,
            kind_keys,
            diags: &mut diags,
        };
        clock.time(Work::FrontMatter, || front_matter::parse(&mut cx))
    };
    let input = Input {
        file: &file,
        text: &text,
        body: &text[body_offset..],
        body_offset,
        dir_rel: &dir_rel,
        content_dir,
        static_dir: Some(&config.root.join("static")),
        max_file_size: config.max_file_size,
        files: file_cache,
        accounts: Some(accounts),
        default_platform: config
            .default_platform
            .as_deref()
            .and_then(|d| config.platforms.iter().find(|p| p.id == d)),
        hashtags: config.features.hashtags,
        search: config.features.search,
        words: bodies.words(),
        summary: bodies.summaries() || fm.description.is_none(),
    };
    let (rendered, md_diags) = clock.time(Work::Markdown, || markdown::render(&input));
    diags.extend(md_diags.into_vec());
    let mut rendered = rendered;
    let locator = Locator::new(&file, &text, yaml, yaml_offset);
    let kind_input = KindInput {
        config,
        loc: &locator,
        content_dir,
        dir_rel: &dir_rel,
        files: file_cache,
    };
    let card = fm.image.as_deref().and_then(|img| {
        campaign::resolve_image(
            &kind_input,
            img,
            locator.key("image"),
            &mut rendered,
            &mut diags,
        )
    });
    if fm.image.is_some() && fm.image_alt.is_none() {
        diags.push(
            Diagnostic::error(ids::MISSING_IMAGE_ALT, "this page has an `image` but no `image_alt`")
                .at(locator.key("image"))
                .hint("describe the image for people who cannot see it: `image_alt: Nurses at the flu jab clinic`"),
        );
    }
    let campaign = (kind == Kind::Campaign && !is_section && fm.readable)
        .then(|| campaign::parse(&kind_input, &fm.kind_fields, &mut rendered, &mut diags))
        .flatten();
    let body_line = text[..body_offset].matches('\n').count() + 1;
    let poster = (kind == Kind::Poster && !is_section && fm.readable).then(|| {
        poster::parse(
            &kind_input,
            &fm,
            &fm.kind_fields,
            &text[body_offset..],
            body_line,
            &mut rendered,
            &mut diags,
        )
    });
    let (image_link, image_size) = match card {
        Some((link, dims)) => (Some(link), dims),
        None => (None, None),
    };

    let stem = Path::new(&file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = if is_section {
        dir_rel
            .rsplit('/')
            .next()
            .map(crate::content::slugify)
            .unwrap_or_default()
    } else if let Some(s) = &fm.slug {
        crate::content::slugify(s)
    } else if stem == "index" {
        // A page bundle: `guidance/using-x/index.md` is the page `using-x`.
        dir_rel
            .rsplit('/')
            .next()
            .map(crate::content::slugify)
            .unwrap_or_default()
    } else {
        crate::content::slugify(&stem)
    };
    if !is_section && slug.is_empty() {
        diags.push(
            Diagnostic::error(ids::EMPTY_ADDRESS, "this page's address would be empty")
                .at(Location::file_only(&file))
                .hint("give the file a name with letters or digits, or set `slug:` in the front matter"),
        );
        return (None, diags);
    }
    let audience = fm.audience.unwrap_or(config.default_audience);
    (
        Some(Document {
            id: 0,
            is_section,
            file,
            abs_path: path.to_path_buf(),
            content_rel,
            dir_rel,
            source_len: text.len(),
            source_hash: match bodies {
                Bodies::Keep => 0,
                Bodies::Drop { .. } => crate::content::source_hash(&text),
            },
            text: match bodies {
                Bodies::Keep => text.into(),
                Bodies::Drop { .. } => text[..body_offset].to_string().into(),
            },
            body_offset,
            fm,
            kind,
            audience,
            slug,
            path: String::new(),
            parent: None,
            published: true,
            unpublished_reason: None,
            rendered,
            image_link,
            campaign,
            poster,
            image_size,
        }),
        diags,
    )
}

#[cfg(test)]
mod tests {
    use super::path_key;
    use std::path::PathBuf;

    #[test]
    fn path_key_gives_paths_own_order() {
        let names = [
            "c/a.md",
            "c/a-b.md",
            "c/a/b.md",
            "c/a-b/c.md",
            "c/ab.md",
            "c/a.b/x.md",
            "c/A.md",
            "c/_index.md",
            "c/z/_index.md",
            "c/z.md",
            "c/é.md",
            "c/a/b/c.md",
            "c/a",
            "c/a b.md",
            "c/a b/x.md",
            "c/a\tb.md",
        ];
        let paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut ours = paths.clone();
        ours.sort_by_cached_key(|p| path_key(p));
        let mut std_order = paths;
        std_order.sort();
        assert_eq!(ours, std_order);
    }
}

#[cfg(test)]
mod bodies {
    use super::{Bodies, load_cached};
    use crate::diagnostics::Diagnostics;

    /// A one-shot build drops page bodies after rendering; a message about
    /// a link reads the file again for its line, and names only the file
    /// when the file changed since.
    #[test]
    fn a_dropped_body_is_read_again_for_a_message_and_not_trusted_once_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("site.yaml"),
            "title: T\norganisation: T\ndefault_audience: public\noutputs:\n  www:\n    audiences: [public, staff]\n    dir: public/www\n    base_url: https://www.example.nhs.uk/\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let page = "---\ntitle: A\n---\nFirst line.\n\nSee [the rules](missing.md) here.\n";
        std::fs::write(root.join("content/a.md"), page).unwrap();
        let mut diags = Diagnostics::new();
        let config = crate::build::load_config(root, &mut diags)
            .unwrap_or_else(|_| panic!("{:?}", diags.sorted()));
        let load = |bodies| {
            let mut diags = Diagnostics::new();
            let docs = load_cached(
                &config,
                &Default::default(),
                &Default::default(),
                &mut diags,
                None,
                bodies,
            );
            docs.into_iter().find(|d| d.file == "content/a.md").unwrap()
        };
        let kept = load(Bodies::Keep);
        let dropped = load(Bodies::Drop {
            words: true,
            summaries: true,
        });
        assert_eq!(kept.text.get().len(), page.len());
        assert_eq!(*dropped.text.get(), "---\ntitle: A\n---\n");
        let link = &dropped.rendered.links[0];
        let again = dropped.body_location(link);
        assert_eq!(again.line, 6);
        assert_eq!(
            again.line_text.as_deref(),
            Some("See [the rules](missing.md) here.")
        );
        let from_kept = kept.body_location(&kept.rendered.links[0]);
        assert_eq!((again.line, again.col), (from_kept.line, from_kept.col));

        // Edited since, even to the same length: the old position would
        // point at other text.
        for edited in [
            page.replace("First", "The first"),
            page.replace("See [", "Se [").replace(" here.", " here!."),
        ] {
            std::fs::write(root.join("content/a.md"), &edited).unwrap();
            let changed = dropped.body_location(link);
            assert_eq!(changed.file, "content/a.md");
            assert!(changed.line_text.is_none(), "{changed:?}");
        }
        // A front matter link keeps the place it was found at.
        let known = crate::content::markdown::LinkRef::known(
            link.kind.clone(),
            crate::diagnostics::Location::at_line_col("content/a.md", page, 2, 1, 5),
        );
        assert_eq!(dropped.body_location(&known).line, 2);
        // Freed (a page already written): read again all the same.
        std::fs::write(root.join("content/a.md"), page).unwrap();
        dropped.text.release();
        assert_eq!(dropped.body_location(link).line, 6);
    }
}
