//! Rebuilding after an edit without building everything again (`watch`,
//! `serve`).
//!
//! A [`Session`] keeps what the last good build made: every document as
//! read from disk, the site model, each output's library, renderer (with
//! its compiled templates and page objects) and the hashes of the files it
//! wrote. An edit then takes one of two paths:
//!
//! * **Body edits** — a page whose front matter, links, headings and
//!   hashtags are as before — re-render only the pages that show that page:
//!   its own, its section's listing, its hashtag and taxonomy pages, pages
//!   whose templates ask for other pages (`campaigns()`, `get_page()`…),
//!   the search index, feed and sitemap.
//! * **Everything else** (front matter, new, moved or deleted files,
//!   templates, static files, site.yaml) runs the full pipeline, reading
//!   again only the Markdown files that changed.
//!
//! Either way only files whose bytes changed are written, each by
//! write-then-rename, and nothing is written unless the whole rebuild is
//! clean. The tests compare every rebuild with a clean `build`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{BuildFailure, BuildOptions, Carry, Loaded};
use crate::content::load::DocCache;
use crate::content::{Document, dates};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Manifest, Staging};
use crate::render::template_deps::{dependents, reader_templates};
use crate::render::{Renderer, context, thumbnails};
use crate::site::Site;
use crate::site::library::{Library, LibraryParts};

/// What the last good build left for the next one to start from.
pub struct Live {
    site: Site,
    thumbs: HashMap<usize, thumbnails::Thumb>,
    outputs: Vec<LiveOutput>,
    /// Templates that read pages other than the one they render.
    readers: HashSet<String>,
}

struct LiveOutput {
    /// Index in `site.config.outputs`.
    config: usize,
    /// Always `Some` between rebuilds (taken while a library is in use).
    parts: Option<LibraryParts>,
    renderer: Renderer,
    /// Search index entries by document id.
    search: Vec<Option<String>>,
    /// Pages rendered with templates that read other pages (found once).
    reading: Option<Vec<usize>>,
}

impl Live {
    pub(super) fn new(
        loaded: Loaded,
        thumbs: HashMap<usize, thumbnails::Thumb>,
        kept: Vec<(String, LibraryParts)>,
        renderers: Vec<Renderer>,
        searches: Vec<Vec<Option<String>>>,
    ) -> Live {
        let readers = reader_templates(&loaded.theme);
        let outputs = kept
            .into_iter()
            .zip(renderers)
            .zip(searches)
            .filter_map(|(((name, parts), renderer), search)| {
                let config = loaded
                    .site
                    .config
                    .outputs
                    .iter()
                    .position(|o| o.name == name)?;
                Some(LiveOutput {
                    config,
                    parts: Some(parts),
                    renderer,
                    search,
                    reading: None,
                })
            })
            .collect();
        Live {
            site: loaded.site,
            thumbs,
            outputs,
            readers,
        }
    }
}

/// How a rebuild went.
#[derive(Debug)]
pub struct Rebuilt {
    /// HTML pages rendered (all of them for a full build).
    pub pages: usize,
    /// Warnings of the rebuild (of the edited files, for a body edit).
    pub diagnostics: Diagnostics,
    /// True when only the pages the edit affects were rendered.
    pub incremental: bool,
}

/// A long-lived build: `watch` and `serve` keep one and call
/// [`Session::rebuild`] after every change.
pub struct Session {
    opts: BuildOptions,
    cache: DocCache,
    live: Option<Live>,
    /// Hashes of the files in each output, by output folder (as written in
    /// site.yaml), as last written. `None` after a rebuild that failed while
    /// writing: the next one reads each output's marker again.
    manifests: Option<HashMap<PathBuf, Arc<Manifest>>>,
    /// The size and time of each output's marker after the last rebuild
    /// (`marker_stamps`): a change between rebuilds is someone else's.
    stamps: Vec<Option<(u64, std::time::SystemTime)>>,
}

impl Session {
    pub fn new(mut opts: BuildOptions) -> Session {
        // File events name files by their full path: so must we.
        if let Ok(root) = opts.root.canonicalize() {
            opts.root = root;
        }
        Session {
            opts,
            cache: DocCache::default(),
            live: None,
            manifests: None,
            stamps: vec![],
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// The time the next rebuilds build for (`--now`); `None`: the clock.
    pub fn set_now(&mut self, now: Option<String>) {
        self.opts.now = now;
    }

    /// Builds after `changed` (empty: the first build). On failure the
    /// outputs are as they were.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, BuildFailure> {
        // An output changed meanwhile by someone else (`guidepost clean`,
        // a hand edit: its list of files is not as this session left it)
        // no longer holds what the hashes say: publish everything again.
        if self.manifests.is_some() && self.marker_stamps() != self.stamps {
            self.manifests = None;
            self.live = None;
        }
        let result = self.rebuild_from(changed);
        self.stamps = self.marker_stamps();
        result
    }

    /// Each output's list of files, as the file system describes it.
    fn marker_stamps(&self) -> Vec<Option<(u64, std::time::SystemTime)>> {
        let mut dirs: Vec<&PathBuf> = self.manifests.iter().flat_map(|m| m.keys()).collect();
        dirs.sort();
        dirs.iter()
            .map(|dir| {
                let m = std::fs::metadata(self.opts.root.join(dir).join(crate::output::MARKER));
                m.ok().and_then(|m| Some((m.len(), m.modified().ok()?)))
            })
            .collect()
    }

    fn rebuild_from(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, BuildFailure> {
        let content_dir = self.opts.root.join(crate::content::load::CONTENT_DIR);
        let only_pages = !changed.is_empty()
            && changed.iter().all(|p| {
                is_page_source(&content_dir, p) && p.is_file() && self.cache.get(p).is_some()
            });
        if only_pages && let Some(result) = self.try_body_edit(changed) {
            return result;
        }
        let theme_only = !changed.is_empty()
            && changed.iter().all(|p| {
                p.strip_prefix(&self.opts.root)
                    .ok()
                    .and_then(|r| r.components().next())
                    .is_some_and(|c| {
                        ["templates", "static", "themes"]
                            .contains(&&*c.as_os_str().to_string_lossy())
                    })
            });
        if theme_only && let Some(result) = self.try_theme_edit(changed) {
            return result;
        }
        // Markdown files are read again only when they changed; anything
        // else (an image a page links to, accounts, site.yaml) can change
        // how every page reads, so all are read again.
        if changed.iter().all(|p| is_page_source(&content_dir, p)) {
            for p in changed {
                self.cache.forget(p);
            }
        } else {
            self.cache.clear();
        }
        self.full()
    }

    fn full(&mut self) -> Result<Rebuilt, BuildFailure> {
        // The old model is dropped first: two at once would double the
        // memory a large site needs.
        self.live = None;
        let carry = Carry {
            cache: &mut self.cache,
            previous: self.manifests.as_ref(),
        };
        let (report, live) = match super::run(&self.opts, Some(carry)) {
            Ok(r) => r,
            Err(failure) => {
                self.forget_written_if(&failure);
                return Err(failure);
            }
        };
        self.live = live;
        self.manifests = Some(report.manifests);
        Ok(Rebuilt {
            pages: report.outputs.iter().map(|o| o.pages).sum(),
            diagnostics: report.diagnostics,
            incremental: false,
        })
    }

    /// The body-edit path; `None` when the edit is more than that.
    fn try_body_edit(&mut self, changed: &[PathBuf]) -> Option<Result<Rebuilt, BuildFailure>> {
        let live = self.live.as_mut()?;
        let manifests = self.manifests.as_ref()?;
        // Pages appear, disappear and campaigns start and end with time:
        // if any such moment (or midnight, for review dates) passed since
        // the last full build, build everything.
        if !still_now(&live.site, &self.opts) {
            return None;
        }
        let config = &live.site.config;
        let accounts = &live.site.accounts;
        let content_dir = config.root.join(crate::content::load::CONTENT_DIR);
        let files = crate::content::markdown::FileCache::default();
        let clock = crate::timing::WorkClock::default();
        let mut edits = vec![];
        let mut diags = Diagnostics::new();
        for path in changed {
            let (cached, _) = self.cache.get(path)?;
            let (doc, ds) = crate::content::load::load_one(
                config,
                accounts,
                &files,
                &content_dir,
                path,
                &clock,
                crate::content::load::Bodies::Keep,
            );
            let doc = doc?;
            if !same_shape(cached, &doc) {
                return None;
            }
            let id = *live.site.by_source.get(&doc.content_rel)?;
            let ds = ds.into_vec();
            diags.extend(ds.iter().cloned());
            edits.push((id, path.clone(), doc, ds));
        }
        if diags.has_errors() {
            return Some(Err(super::fail(diags, 1)));
        }

        // Apply: the new text with the place in the site the old one had.
        let mut ids = vec![];
        for (id, path, raw, ds) in edits {
            let old = &live.site.docs[id];
            let mut doc = raw.clone();
            doc.id = id;
            doc.audience = old.audience;
            doc.path = old.path.clone();
            doc.parent = old.parent;
            doc.published = old.published;
            doc.unpublished_reason = old.unpublished_reason;
            // Same links as before: keep the site model's reading of them.
            for (new, old) in doc.rendered.links.iter_mut().zip(&old.rendered.links) {
                new.kind = old.kind.clone();
            }
            live.site.docs[id] = doc;
            self.cache.insert(path, raw, ds);
            ids.push(id);
        }

        match render_affected(live, &ids, manifests) {
            Ok((pages, hashes)) => {
                let manifests = self.manifests.get_or_insert_default();
                for (name, h) in hashes {
                    add_hashes(manifests, name, h);
                }
                Some(Ok(Rebuilt {
                    pages,
                    diagnostics: diags,
                    incremental: true,
                }))
            }
            Err(failure) => {
                // The model now holds text that was not published: start
                // from scratch next time.
                self.live = None;
                for p in changed {
                    self.cache.forget(p);
                }
                self.forget_written_if(&failure);
                Some(Err(failure))
            }
        }
    }

    /// After a rebuild that stopped while writing, the hashes kept are not
    /// what the outputs hold: the next build reads each output's marker
    /// and compares with the files, like a first build.
    fn forget_written_if(&mut self, failure: &BuildFailure) {
        if failure.partly_published {
            self.manifests = None;
            self.live = None;
        }
    }
}

impl Session {
    /// The template and static file path: templates and static files were
    /// edited, none added or removed. Re-renders the pages whose templates
    /// use an edited one (directly or through extends, include, import)
    /// and copies static files whose bytes changed. `None` when the edit
    /// is more than that.
    fn try_theme_edit(&mut self, changed: &[PathBuf]) -> Option<Result<Rebuilt, BuildFailure>> {
        let live = self.live.as_mut()?;
        // Pages check the files they link to (that they exist, their size):
        // a static file a page links to is more than a copy.
        let linked: HashSet<&str> = live
            .site
            .docs
            .iter()
            .flat_map(|d| d.rendered.links.iter())
            .filter_map(|l| match &l.kind {
                crate::content::markdown::LinkKind::Static { path } => Some(path.as_str()),
                _ => None,
            })
            .collect();
        let root = &self.opts.root;
        let static_rel = |p: &Path| -> Option<String> {
            let rel = p.strip_prefix(root.join("static")).ok().or_else(|| {
                let t = p.strip_prefix(root.join("themes")).ok()?;
                let mut parts = t.components();
                parts.next()?;
                (parts.next()?.as_os_str() == "static").then_some(parts.as_path())
            })?;
            Some(crate::diagnostics::display_path(Path::new(""), rel))
        };
        let statics_changed: Vec<String> = changed.iter().filter_map(|p| static_rel(p)).collect();
        if statics_changed.iter().any(|r| linked.contains(r.as_str())) {
            return None;
        }
        let manifests = self.manifests.as_ref()?;
        if !still_now(&live.site, &self.opts) {
            return None;
        }
        let theme = match crate::render::theme::load(&self.opts.root, &live.site.config.theme) {
            Ok(t) => t,
            Err(d) => {
                let mut diags = Diagnostics::new();
                diags.push(d);
                return Some(Err(super::fail(diags, 1)));
            }
        };
        let old = live.outputs.first()?.renderer.theme();
        if !old.templates.keys().eq(theme.templates.keys())
            || !old.statics.keys().eq(theme.statics.keys())
        {
            return None;
        }
        // Page objects hold the fields the templates name: an edit that
        // changes which (a field named for the first time, or no longer)
        // makes every object, and so every page, again.
        if crate::render::template_deps::field_use(&theme)
            != live.outputs.first()?.renderer.values.fields
        {
            return None;
        }
        // `asset()` shows a static file's size: pages that call it (through
        // any template) are made again by a full build.
        if !statics_changed.is_empty()
            && theme
                .templates
                .values()
                .any(|t| crate::render::template_deps::calls(&t.source, "asset"))
        {
            return None;
        }
        let edited: HashSet<String> = theme
            .templates
            .iter()
            .filter(|(name, t)| {
                old.templates
                    .get(*name)
                    .is_none_or(|o| o.source != t.source)
            })
            .map(|(name, _)| name.clone())
            .collect();
        let affected = dependents(&theme, &edited);
        let theme = Arc::new(theme);
        let readers = reader_templates(&theme);

        let site = &live.site;
        let clock = crate::timing::WorkClock::default();
        let mut diags = Diagnostics::new();
        let mut pages = 0;
        let mut made = vec![];
        for out in live.outputs.iter_mut() {
            let config = &site.config.outputs[out.config];
            let lib = Library::from_parts(site, config, out.parts.take().expect("library parts"));
            let result = match out.renderer.with_theme(&lib, theme.clone()) {
                Ok(renderer) => {
                    let uses = |t: &str| affected.contains(t);
                    let docs = lib
                        .docs()
                        .filter(|d| renderer.template_for(&lib, d).is_ok_and(|t| uses(&t)))
                        .map(|d| d.id)
                        .collect();
                    let taxonomy_pages = lib
                        .taxonomies
                        .iter()
                        .enumerate()
                        .filter_map(|(i, tax)| {
                            let index = super::taxonomy_template(&renderer, &tax.name, "taxonomy")
                                .is_some_and(|t| uses(&t));
                            let terms = super::taxonomy_template(&renderer, &tax.name, "term")
                                .is_some_and(|t| uses(&t));
                            let terms: Vec<usize> = if terms {
                                (0..tax.terms.len()).collect()
                            } else {
                                vec![]
                            };
                            (index || !terms.is_empty()).then_some((i, index, terms))
                        })
                        .collect();
                    let selection = Selection {
                        docs,
                        specials: ["404.html", "search.html"]
                            .into_iter()
                            .filter(|t| uses(t))
                            .collect(),
                        taxonomy_pages,
                        index: false,
                        statics: true,
                    };
                    render_selection(
                        &lib,
                        &renderer,
                        &selection,
                        &out.search,
                        manifests.get(&config.dir).cloned().unwrap_or_default(),
                        &clock,
                        &mut diags,
                    )
                    .map(|(n, staging)| (n, staging, renderer))
                }
                Err(ds) => {
                    diags.extend(ds);
                    None
                }
            };
            out.parts = Some(lib.into_parts());
            match result {
                Some((n, staging, renderer)) => {
                    pages += n;
                    made.push((config.dir.clone(), staging, renderer));
                }
                None => break,
            }
        }
        if diags.has_errors() || made.len() != live.outputs.len() {
            return Some(Err(super::fail(diags, 1)));
        }
        if let Err(code) = super::check_commits(made.iter().map(|(_, s, _)| s), &mut diags) {
            return Some(Err(super::fail(diags, code)));
        }
        let mut synced = vec![];
        for ((name, staging, renderer), out) in made.into_iter().zip(live.outputs.iter_mut()) {
            match staging.sync(false) {
                Ok(hashes) => synced.push((name, hashes)),
                Err(d) => {
                    diags.push(d);
                    let failure = BuildFailure {
                        partly_published: true,
                        ..super::fail(diags, 2)
                    };
                    self.forget_written_if(&failure);
                    return Some(Err(failure));
                }
            }
            out.renderer = renderer;
            out.reading = None;
        }
        live.readers = readers;
        let manifests = self.manifests.get_or_insert_default();
        for (name, h) in synced {
            add_hashes(manifests, name, h);
        }
        Some(Ok(Rebuilt {
            pages,
            diagnostics: diags,
            incremental: true,
        }))
    }
}

/// Adds the hashes of files made again to an output's. The session holds
/// the only reference by now, so the map is updated in place, not copied.
fn add_hashes(manifests: &mut HashMap<PathBuf, Arc<Manifest>>, dir: PathBuf, hashes: Manifest) {
    Arc::make_mut(manifests.entry(dir).or_default()).extend(hashes);
}

/// Renders what shows the documents `ids` in every output that has them,
/// and writes what changed. Returns the pages rendered and the new hashes.
fn render_affected(
    live: &mut Live,
    ids: &[usize],
    manifests: &HashMap<PathBuf, Arc<Manifest>>,
) -> Result<(usize, Vec<(PathBuf, Manifest)>), BuildFailure> {
    let site = &live.site;
    let clock = crate::timing::WorkClock::default();
    let mut diags = Diagnostics::new();
    let mut pages = 0;
    let mut stagings = vec![];
    for out in live.outputs.iter_mut() {
        let config = &site.config.outputs[out.config];
        let lib = Library::from_parts(site, config, out.parts.take().expect("library parts"));
        let result = render_output_affected(
            &lib,
            &mut out.renderer,
            &mut out.search,
            &mut out.reading,
            &live.thumbs,
            &live.readers,
            ids,
            manifests.get(&config.dir).cloned().unwrap_or_default(),
            &clock,
            &mut diags,
        );
        out.parts = Some(lib.into_parts());
        match result {
            Some((n, staging)) => {
                pages += n;
                stagings.push((config.dir.clone(), staging));
            }
            None if diags.has_errors() => break,
            None => {}
        }
    }
    if diags.has_errors() {
        return Err(super::fail(diags, 1));
    }
    if let Err(code) = super::check_commits(stagings.iter().map(|(_, s)| s), &mut diags) {
        return Err(super::fail(diags, code));
    }
    let mut new = vec![];
    for (name, staging) in stagings {
        match staging.sync(false) {
            Ok(hashes) => new.push((name, hashes)),
            Err(d) => {
                diags.push(d);
                return Err(BuildFailure {
                    partly_published: true,
                    ..super::fail(diags, 2)
                });
            }
        }
    }
    Ok((pages, new))
}

/// One output's share of [`render_affected`]: `None` when the output has
/// none of the documents (or on errors, which go to `diags`).
#[allow(clippy::too_many_arguments)]
fn render_output_affected(
    lib: &Library<'_>,
    renderer: &mut Renderer,
    search: &mut [Option<String>],
    reading: &mut Option<Vec<usize>>,
    thumbs: &HashMap<usize, thumbnails::Thumb>,
    readers: &HashSet<String>,
    ids: &[usize],
    manifest: Arc<Manifest>,
    clock: &crate::timing::WorkClock,
    diags: &mut Diagnostics,
) -> Option<(usize, Staging)> {
    let site = lib.site;
    let ids: Vec<usize> = ids.iter().copied().filter(|&i| lib.includes(i)).collect();
    if ids.is_empty() {
        return None;
    }
    // New page objects for the edited pages, then for the sections that
    // list them (a section's object holds its pages' objects).
    let mut docs: BTreeSet<usize> = BTreeSet::new();
    for &id in &ids {
        context::refresh_doc(lib, &mut renderer.values, id, thumbs);
        docs.insert(id);
    }
    for &id in &ids {
        if let Some(p) = site.docs[id].parent.filter(|&p| lib.includes(p)) {
            context::refresh_doc(lib, &mut renderer.values, p, thumbs);
            docs.insert(p);
        }
    }
    // The search index and feed are long: made again only when an edited
    // page's entry in them changed.
    let mut index_changed = false;
    for &id in &ids {
        let entry = Some(crate::render::search::entry(lib, &site.docs[id]));
        index_changed |= search[id] != entry;
        search[id] = entry;
    }
    // Every object that changed: the pages and their sections.
    let ids: Vec<usize> = docs.iter().copied().collect();
    renderer.refresh_functions(lib, &ids);
    let renderer = &*renderer;
    // Pages whose templates read other pages.
    let reading = reading.get_or_insert_with(|| {
        lib.docs()
            .filter(|d| {
                renderer
                    .template_for(lib, d)
                    .is_ok_and(|t| readers.contains(&t))
            })
            .map(|d| d.id)
            .collect()
    });
    docs.extend(reading.iter().copied());

    let mut taxonomy_pages = vec![];
    for (i, tax) in lib.taxonomies.iter().enumerate() {
        let terms: Vec<usize> = (0..tax.terms.len())
            .filter(|&t| {
                let t = &tax.terms[t];
                ids.iter()
                    .any(|id| t.pages.contains(id) || t.campaign == Some(*id))
            })
            .collect();
        if !terms.is_empty() {
            taxonomy_pages.push((i, true, terms));
        }
    }
    let selection = Selection {
        docs: docs.into_iter().collect(),
        specials: ["404.html", "search.html"]
            .into_iter()
            .filter(|t| readers.contains(*t))
            .collect(),
        taxonomy_pages,
        index: index_changed,
        statics: false,
    };
    render_selection(lib, renderer, &selection, search, manifest, clock, diags)
}

/// What a partial rebuild makes again in one output.
struct Selection {
    /// Documents whose pages are rendered.
    docs: Vec<usize>,
    /// Of `404.html` and `search.html`.
    specials: Vec<&'static str>,
    /// (taxonomy index, its index page too, term indexes).
    taxonomy_pages: Vec<(usize, bool, Vec<usize>)>,
    /// The search index and feed.
    index: bool,
    /// The theme's static files.
    statics: bool,
}

/// Renders a selection into a sync staging of the output; `None` on
/// errors (in `diags`).
fn render_selection(
    lib: &Library<'_>,
    renderer: &Renderer,
    sel: &Selection,
    search: &[Option<String>],
    manifest: Arc<Manifest>,
    clock: &crate::timing::WorkClock,
    diags: &mut Diagnostics,
) -> Option<(usize, Staging)> {
    let site = lib.site;
    let display = crate::diagnostics::display_path(
        &site.config.root,
        &site.config.root.join(&lib.output.dir),
    );
    let staging = Staging::sync_to(&site.config.root.join(&lib.output.dir), &display, manifest);
    // Every page to make, as one batch over all cores, each with its
    // size (the pages it lists), largest first (`largest_first`).
    type Job<'j> = Box<dyn Fn() -> (String, Result<Vec<u8>, Diagnostic>) + Send + Sync + 'j>;
    let mut jobs: Vec<(usize, Job)> = vec![];
    for &id in &sel.docs {
        let size = lib.site.pages_of.get(&id).map_or(1, Vec::len);
        jobs.push((
            size,
            Box::new(
                move || match super::doc_page(lib, renderer, &site.docs[id], clock) {
                    Ok((rel, html)) => (rel, Ok(html)),
                    Err(e) => (String::new(), Err(e)),
                },
            ),
        ));
    }
    for &template in &sel.specials {
        let path = if template == "404.html" {
            "404.html"
        } else {
            "search/"
        };
        let made = if template == "search.html" {
            super::makes_search_page(lib, renderer)
        } else {
            renderer.has_template(template)
        };
        if made {
            jobs.push((
                1,
                Box::new(move || super::special_page(lib, renderer, template, path, vec![])),
            ));
        }
    }
    for (i, index_page, terms) in &sel.taxonomy_pages {
        let tax = &lib.taxonomies[*i];
        let tv = renderer
            .taxonomy(&tax.name)
            .unwrap_or_else(|| crate::render::taxonomy_value(lib, &renderer.values, tax));
        if *index_page
            && let Some(template) = super::taxonomy_template(renderer, &tax.name, "taxonomy")
        {
            let path = format!("{}/", tax.name);
            let tv = tv.clone();
            jobs.push((
                tax.terms.len(),
                Box::new(move || {
                    super::special_page(
                        lib,
                        renderer,
                        &template,
                        &path,
                        vec![("taxonomy", tv.clone())],
                    )
                }),
            ));
        }
        if let Some(template) = super::taxonomy_template(renderer, &tax.name, "term") {
            let template = Arc::new(template);
            for &t in terms {
                let (template, tv) = (template.clone(), tv.clone());
                jobs.push((
                    tax.terms[t].pages.len(),
                    Box::new(move || super::term_page(lib, renderer, &template, tax, &tv, t)),
                ));
            }
        }
    }
    // Staged (and hashed) as they are made, on the same core.
    let made: Vec<Result<(), Diagnostic>> = super::largest_first(
        &jobs,
        |(size, _)| *size,
        |(_, job)| {
            let (rel, html) = job();
            staging.write(&rel, &html?)
        },
    );
    let pages = made.iter().filter(|r| r.is_ok()).count();
    diags.extend(made.into_iter().filter_map(Result::err));
    let write = |rel: &str, bytes: &[u8], diags: &mut Diagnostics| {
        if let Err(d) = staging.write(rel, bytes) {
            diags.push(d);
        }
    };
    for (rel, ics) in crate::render::calendar::calendars(lib) {
        write(&rel, ics.as_bytes(), diags);
    }
    if sel.index {
        if let Err(d) = super::write_search_index(lib, search, &staging) {
            diags.push(d);
        }
        for (rel, bytes) in super::index_files(lib, true) {
            match bytes {
                Ok(b) => write(&rel, b.as_bytes(), diags),
                Err(d) => diags.push(d),
            }
        }
    }
    if sel.statics {
        for (rel, source) in &renderer.theme().statics {
            let r = match source {
                crate::render::theme::StaticSource::Builtin(bytes) => staging.write(rel, bytes),
                crate::render::theme::StaticSource::Disk(path) => staging.copy(rel, path),
            };
            if let Err(d) = r {
                diags.push(d);
            }
        }
    }
    if diags.has_errors() {
        return None;
    }
    // The leak check reads what this rebuild is about to publish.
    let leaks = crate::output::leak_check::scan(lib, &staging);
    let leaked = !leaks.is_empty();
    diags.extend(leaks);
    if leaked {
        return None;
    }
    Some((pages, staging))
}

/// Whether a Markdown file under content/ is a page or section source
/// (not data, not an attachment).
fn is_page_source(content_dir: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(content_dir) else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::content::load::is_page_file(&name)
        && !rel.components().any(|c| {
            let s = c.as_os_str().to_string_lossy();
            s.starts_with('_') && s != "_index.md"
        })
}

/// True when an edit left everything other pages can see of a document
/// as it was: front matter, links, heading anchors, hashtags, the kind of
/// page. Only the body text, and what is made from it for the page itself
/// and its listings (summary, word count, table of contents), may differ.
fn same_shape(old: &Document, new: &Document) -> bool {
    old.text.get()[..old.body_offset] == new.text.get()[..new.body_offset]
        && old.rendered.links.len() == new.rendered.links.len()
        && old
            .rendered
            .links
            .iter()
            .zip(&new.rendered.links)
            .all(|(a, b)| a.kind == b.kind)
        && old.rendered.headings.len() == new.rendered.headings.len()
        && old
            .rendered
            .headings
            .iter()
            .zip(&new.rendered.headings)
            .all(|(a, b)| a.id == b.id)
        && old.rendered.hashtags == new.rendered.hashtags
        && old.image_link == new.image_link
        && old.image_size == new.image_size
        && format!("{:?}{:?}", old.campaign, old.poster)
            == format!("{:?}{:?}", new.campaign, new.poster)
}

/// Whether the model's "now" (that of the last full build) still gives the
/// same pages as the time now: partial rebuilds keep the model's.
fn still_now(site: &Site, opts: &BuildOptions) -> bool {
    dates::build_now(opts.now.as_deref(), &site.config.timezone)
        .is_ok_and(|now| !time_boundary_crossed(site, site.now, now))
}

/// Whether anything that depends on the time changes between `before` and
/// `after`: a publish or expiry time, a campaign's start or end, or the
/// date (review dates compare with today).
fn time_boundary_crossed(site: &Site, before: jiff::Timestamp, after: jiff::Timestamp) -> bool {
    if after < before {
        return true;
    }
    let tz = &site.config.timezone;
    if before.to_zoned(tz.clone()).date() != after.to_zoned(tz.clone()).date() {
        return true;
    }
    let crossed = |t: jiff::Timestamp| before < t && t <= after;
    site.docs.iter().any(|d| {
        d.fm.publish.as_ref().is_some_and(|p| crossed(p.instant))
            || d.fm.expires.as_ref().is_some_and(|e| crossed(e.instant))
            || d.campaign
                .as_ref()
                .is_some_and(|c| crossed(c.starts.instant) || crossed(c.ends.instant))
    })
}
