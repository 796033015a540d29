//! `guidepost build`: the pipeline from site.yaml to output folders.
//!
//! config → content (load, front matter, markdown) → site model (sections,
//! addresses, links) → per output: library → render → staged write → swap.
//! Every stage reports into one list of diagnostics; nothing is written
//! unless the whole build is clean.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, SiteConfig};
use crate::content::{self, dates};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, ids};
use crate::output::Staging;
use crate::render::search as feeds_search;
use crate::render::{Renderer, calendar, feeds, relative, theme, thumbnails};
use crate::site::library::Library;
use crate::site::{self, links};
use crate::timing::{Work, WorkClock};
use std::collections::HashMap;

pub mod incremental;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Build only this output.
    pub output: Option<String>,
    pub drafts: bool,
    /// Fixed "now" (`--now`); SOURCE_DATE_EPOCH otherwise.
    pub now: Option<String>,
    /// Show a progress bar (only ever drawn on a terminal).
    pub progress: bool,
}

#[derive(Debug, Clone)]
pub struct OutputSummary {
    pub name: String,
    pub dir: String,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
}

#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub phases: Vec<(String, Duration)>,
    /// CPU time per kind of work inside the phases, over all threads.
    pub work: crate::timing::WorkClock,
}

impl Timings {
    fn add(&mut self, name: impl Into<String>, since: Instant) -> Instant {
        let now = Instant::now();
        self.phases.push((name.into(), now - since));
        now
    }
}

#[derive(Debug)]
pub struct BuildReport {
    pub outputs: Vec<OutputSummary>,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
    pub timings: Timings,
    pub thumbnails: thumbnails::Stats,
    /// File hashes of each output written, by folder (only when a build
    /// carries state for the next: watch).
    pub manifests: HashMap<PathBuf, Arc<crate::output::Manifest>>,
}

#[derive(Debug)]
pub struct BuildFailure {
    pub diagnostics: Diagnostics,
    /// 1: content or template errors; 2: usage or environment errors.
    pub exit_code: i32,
    /// The failure came while outputs were being put in place (a disk
    /// error): an output may hold some new files and some old ones.
    pub partly_published: bool,
}

/// What a failure with [`BuildFailure::partly_published`] may have left;
/// `build` and `watch` both say it.
pub const PARTLY_PUBLISHED: &str = "an output may hold some new files and some old ones";

/// site.yaml, or the exit code when it cannot be used.
pub(crate) fn load_config(root: &Path, diags: &mut Diagnostics) -> Result<SiteConfig, i32> {
    config::load(root, diags).ok_or_else(|| {
        // A missing site.yaml is an environment problem; a bad one is content.
        if root.join(config::CONFIG_FILE).exists() {
            1
        } else {
            2
        }
    })
}

pub(crate) fn fail(diagnostics: Diagnostics, exit_code: i32) -> BuildFailure {
    BuildFailure {
        diagnostics,
        exit_code,
        partly_published: false,
    }
}

use content::load::Bodies;

/// Everything up to rendering: config, content and the site model.
pub struct Loaded {
    pub site: site::Site,
    pub theme: Arc<theme::Theme>,
}

pub fn load_site(
    opts: &BuildOptions,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Result<Loaded, i32> {
    load_site_cached(opts, diags, timings, None, Bodies::Keep)
}

/// [`load_site`], re-reading only the content files not in `cache`.
pub fn load_site_cached(
    opts: &BuildOptions,
    diags: &mut Diagnostics,
    timings: &mut Timings,
    cache: Option<&mut content::load::DocCache>,
    bodies: Bodies,
) -> Result<Loaded, i32> {
    let t = Instant::now();
    let config = load_config(&opts.root, diags)?;
    let now = match dates::build_now(opts.now.as_deref(), &config.timezone) {
        Ok(n) => n,
        Err(msg) => {
            diags.push(
                Diagnostic::error(ids::INVALID_NOW, format!("--now: {msg}")).hint(dates::DATE_HINT),
            );
            return Err(2);
        }
    };
    let theme = match theme::load(&opts.root, &config.theme) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Err(1);
        }
    };
    let t = timings.add("config and theme", t);
    // Counting words was a tenth of the Markdown pass's own work: a
    // one-shot build counts them, and copies each page's first paragraph
    // as its summary, only when asked and a template shows them.
    let bodies = match bodies {
        Bodies::Drop { words, summaries } => {
            let want = crate::render::template_deps::field_use(&theme);
            Bodies::Drop {
                words: words && (want.word_count || want.reading_time),
                summaries: summaries && want.summary,
            }
        }
        keep => keep,
    };
    let accounts = content::accounts::load(&config, diags);
    let docs = content::load::load_cached(&config, &accounts, &timings.work, diags, cache, bodies);
    let t = timings.add("content (read, front matter, markdown)", t);
    let site = site::build(
        config,
        docs,
        accounts,
        &site::ModelOptions {
            drafts: opts.drafts,
            now,
        },
        diags,
    );
    timings.add("site model and links", t);
    Ok(Loaded {
        site,
        theme: Arc::new(theme),
    })
}

pub(crate) fn selected_outputs<'a>(
    config: &'a SiteConfig,
    only: Option<&str>,
) -> Result<Vec<&'a config::OutputConfig>, Diagnostic> {
    match only {
        None => Ok(config.outputs.iter().collect()),
        Some(name) => match config.outputs.iter().find(|o| o.name == name) {
            Some(o) => Ok(vec![o]),
            None => {
                let names: Vec<&str> = config.outputs.iter().map(|o| o.name.as_str()).collect();
                let hint = match crate::suggest::did_you_mean(name, &names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("site.yaml defines: {}", names.join(", ")),
                };
                Err(Diagnostic::error(
                    ids::UNKNOWN_OUTPUT,
                    format!("there is no output called `{name}`"),
                )
                .hint(hint))
            }
        },
    }
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    run(opts, None).map(|(report, _)| report)
}

/// What a long-lived build (watch) carries from one build to the next.
pub struct Carry<'a> {
    pub cache: &'a mut content::load::DocCache,
    /// The live outputs' file hashes by output folder (as in site.yaml):
    /// for an output listed, only files whose bytes changed are written, in
    /// place; `None` (the first build), or an output not listed (new, or
    /// moved to another folder), publishes like `build`.
    pub previous: Option<&'a HashMap<PathBuf, Arc<crate::output::Manifest>>>,
}

/// A full build. With `carry`, it also returns everything an incremental
/// rebuild needs (the site model, libraries, renderers, file hashes).
pub fn run(
    opts: &BuildOptions,
    carry: Option<Carry<'_>>,
) -> Result<(BuildReport, Option<incremental::Live>), BuildFailure> {
    let mut diags = Diagnostics::new();
    let mut timings = Timings::default();
    let (cache, previous) = match carry {
        Some(c) => (Some(c.cache), Some(c.previous)),
        None => (None, None),
    };
    let keep = previous.is_some();
    let bodies = if keep {
        Bodies::Keep
    } else {
        Bodies::Drop {
            words: true,
            summaries: true,
        }
    };
    let loaded = match load_site_cached(opts, &mut diags, &mut timings, cache, bodies) {
        Ok(l) => l,
        Err(code) => return Err(fail(diags, code)),
    };
    let site = &loaded.site;
    let outputs = match selected_outputs(&site.config, opts.output.as_deref()) {
        Ok(o) => o,
        Err(d) => {
            diags.push(d);
            return Err(fail(diags, 2));
        }
    };

    // Check every output before writing any.
    let t = Instant::now();
    let libs: Vec<Library> = outputs.iter().map(|o| Library::new(site, o)).collect();
    for lib in &libs {
        links::check_output(lib, &mut diags);
        if !lib.includes(site.home) {
            let home = &site.docs[site.home];
            diags.push(
                Diagnostic::error(ids::STAFF_HOME_PAGE, format!(
                    "the home page is for {} only, so the `{}` output would have no home page",
                    home.audience.as_str(),
                    lib.output.name
                ))
                .at(Location::file_only(&home.file))
                .hint("make content/_index.md `audience: public`: keep staff-only text out of the home page"),
            );
        }
    }
    let t = timings.add("output checks", t);
    if diags.has_errors() {
        return Err(fail(diags, 1));
    }

    // Thumbnails once for all outputs; the last build's outputs are the cache.
    let previous_dirs: Vec<PathBuf> = outputs
        .iter()
        .map(|o| site.config.root.join(&o.dir))
        .collect();
    let (thumbs, thumb_stats, thumb_diags) = thumbnails::prepare(site, &previous_dirs);
    diags.extend(thumb_diags);
    let mut t = timings.add("thumbnails", t);
    if diags.has_errors() {
        return Err(fail(diags, 1));
    }

    // A one-shot build of several outputs frees a page's source and HTML
    // once the last output that includes it is written (watch keeps
    // them). Freed here, between outputs, on this thread while the workers
    // wait: freed by the worker that rendered the page, each free took the
    // allocator lock of the other worker that had made the HTML, and the
    // two queued on each other (2,000 futex waits, 7 % of the wall time
    // at 10,000 pages). After the last output everything is freed at once
    // on another thread (below).
    let last_output: Vec<Option<usize>> = if keep || libs.len() < 2 {
        vec![]
    } else {
        site.docs
            .iter()
            .map(|d| libs.iter().rposition(|l| l.includes(d.id)))
            .collect()
    };

    let mut stagings = vec![];
    let mut renderers = vec![];
    let mut searches = vec![];
    let mut summaries = vec![];
    let abort_all = |stagings: Vec<Staging>| stagings.into_iter().for_each(Staging::abort);
    for (index, lib) in libs.iter().enumerate() {
        let started = Instant::now();
        let final_dir = site.config.root.join(&lib.output.dir);
        let display = crate::diagnostics::display_path(&site.config.root, &final_dir);
        let listed = previous.flatten().and_then(|m| m.get(&lib.output.dir));
        let staging = match listed {
            Some(manifest) => Staging::sync_to(&final_dir, &display, manifest.clone()),
            // Over an earlier build, only new and changed files are
            // written (watch's first build too; it keeps every file's hash
            // to write only what later edits change).
            _ => match Staging::begin_update(&final_dir, &display)
                .map(|s| if keep { s.with_hashes() } else { s })
            {
                Ok(s) => s,
                Err(d) => {
                    diags.push(d);
                    abort_all(stagings);
                    return Err(fail(diags, 2));
                }
            },
        };
        let renderer = match Renderer::new(lib, loaded.theme.clone(), &thumbs) {
            Ok(r) => r,
            Err(ds) => {
                diags.extend(ds);
                staging.abort();
                abort_all(stagings);
                return Err(fail(diags, 1));
            }
        };
        let result = render_with(
            lib,
            &renderer,
            &thumbs,
            &staging,
            opts.progress,
            &timings.work,
            &mut diags,
        );
        if index + 1 < libs.len() {
            for d in &site.docs {
                if last_output.get(d.id) == Some(&Some(index)) {
                    d.rendered.html.release();
                    d.text.release();
                }
            }
        }
        t = timings.add(format!("render and write `{}`", lib.output.name), t);
        match result {
            Ok(r) => {
                summaries.push(OutputSummary {
                    name: lib.output.name.clone(),
                    dir: display,
                    pages: r.pages,
                    files: staging.file_count(),
                    bytes: staging.byte_count(),
                    elapsed: started.elapsed(),
                });
                if keep {
                    searches.push(r.search);
                }
            }
            Err(code) => {
                staging.abort();
                abort_all(stagings);
                return Err(fail(diags, code));
            }
        }
        if keep {
            renderers.push(renderer);
        } else {
            renderer.release();
        }
        stagings.push(staging);
    }
    if diags.has_errors() {
        abort_all(stagings);
        return Err(fail(diags, 1));
    }
    if let Err(code) = check_commits(stagings.iter(), &mut diags) {
        abort_all(stagings);
        return Err(fail(diags, code));
    }
    let mut manifests = vec![];
    let mut iter = stagings.into_iter();
    while let Some(mut s) = iter.next() {
        let done = if s.syncs() {
            s.sync(true)
        } else {
            let hashes = s.take_hashes();
            s.commit().map(|()| hashes)
        };
        match done {
            Ok(m) => manifests.push(m),
            Err(d) => {
                diags.push(d);
                abort_all(iter.collect());
                return Err(BuildFailure {
                    partly_published: true,
                    ..fail(diags, 2)
                });
            }
        }
    }
    timings.add("swap into place", t);
    let report = BuildReport {
        outputs: summaries,
        diagnostics: diags,
        timings,
        thumbnails: thumb_stats,
        manifests: libs
            .iter()
            .map(|l| l.output.dir.clone())
            .zip(manifests.into_iter().map(Arc::new))
            .collect(),
    };
    if !keep {
        // The whole site model and the outputs' term lists are freed on
        // another thread, like the templates.
        let parts: Vec<_> = libs.into_iter().map(Library::into_parts).collect();
        std::thread::spawn(move || drop((loaded, parts)));
        return Ok((report, None));
    }
    let kept: Vec<(String, crate::site::library::LibraryParts)> = libs
        .into_iter()
        .map(|l| (l.output.name.clone(), l.into_parts()))
        .collect();
    let live = incremental::Live::new(loaded, thumbs, kept, renderers, searches);
    Ok((report, Some(live)))
}

/// Renders and writes one output into its staging folder. Returns the
/// number of HTML pages, or the exit code on failure.
pub fn render_output(
    lib: &Library<'_>,
    theme: &Arc<theme::Theme>,
    thumbs: &HashMap<usize, thumbnails::Thumb>,
    staging: &Staging,
    progress: bool,
    clock: &WorkClock,
    diags: &mut Diagnostics,
) -> Result<usize, i32> {
    let renderer = match Renderer::new(lib, theme.clone(), thumbs) {
        Ok(r) => r,
        Err(ds) => {
            diags.extend(ds);
            return Err(1);
        }
    };
    let result = render_with(lib, &renderer, thumbs, staging, progress, clock, diags);
    renderer.release();
    result.map(|r| r.pages)
}

/// What rendering an output made besides files.
pub struct RenderedOutput {
    /// HTML pages written.
    pub pages: usize,
    /// The search index entries, by document id.
    pub search: Vec<Option<String>>,
}

/// A rendered page as published: relative links where the output wants
/// them. A 404 page is served at any address, so its links stay absolute.
/// Pages stay bytes from Tera to the disk: Tera writes only text, so
/// checking that the bytes are UTF-8 again is needed only to rewrite them.
pub(crate) fn finish(lib: &Library<'_>, html: Vec<u8>, page_path: &str, is_404: bool) -> Vec<u8> {
    let out = lib.output;
    if out.relative_urls && !is_404 {
        relative::relativize(&String::from_utf8_lossy(&html), &out.base_path, page_path)
            .into_bytes()
    } else {
        html
    }
}

/// What would stop an output halfway through being put in place, found
/// while every output is still untouched: `Err` with the exit code.
pub(crate) fn check_commits<'a>(
    stagings: impl Iterator<Item = &'a Staging>,
    diags: &mut Diagnostics,
) -> Result<(), i32> {
    let mut found = false;
    for s in stagings {
        let problems = s.check_commit();
        found |= !problems.is_empty();
        diags.extend(problems);
    }
    if !found {
        return Ok(());
    }
    // Files not ours are an environment problem, as when found first.
    if diags.iter().any(|d| d.id == ids::FOREIGN_FILES) {
        Err(2)
    } else {
        Err(1)
    }
}

/// Where the first page of the output that links to the file `target`
/// (content-relative) does so. The page's text may be freed by now:
/// `body_location` reads it again.
fn first_link_to(lib: &Library<'_>, target: &str) -> Location {
    lib.docs()
        .find_map(|d| {
            let link = d.rendered.links.iter().find(
                |l| matches!(&l.kind, content::markdown::LinkKind::File { target: t } if t == target),
            )?;
            Some(d.body_location(link))
        })
        .unwrap_or_else(|| Location::file_only(format!("content/{target}")))
}

/// One document's page: (output-relative file, HTML).
pub(crate) fn doc_page(
    lib: &Library<'_>,
    renderer: &Renderer,
    d: &content::Document,
    clock: &WorkClock,
) -> Result<(String, Vec<u8>), Diagnostic> {
    let content = clock.time(Work::LinkResolution, || renderer.content_of(lib, d));
    let html = clock.time(Work::Templates, || {
        renderer
            .render_doc_with(lib, d, content)
            .map(|html| finish(lib, html, &d.path, false))
    })?;
    Ok((crate::site::library::concat(&d.path, "index.html"), html))
}

/// The template for a taxonomy's index (`kind` "taxonomy") or its term
/// pages ("term"): the taxonomy's own (`hashtags/term.html`) first.
pub(crate) fn taxonomy_template(renderer: &Renderer, taxonomy: &str, kind: &str) -> Option<String> {
    [format!("{taxonomy}/{kind}.html"), format!("{kind}.html")]
        .into_iter()
        .find(|t| renderer.has_template(t))
}

/// A page Guidepost makes itself from `template` (404, search, taxonomy
/// pages): (output-relative file, HTML).
pub(crate) fn special_page(
    lib: &Library<'_>,
    renderer: &Renderer,
    template: &str,
    site_path: &str,
    extra: Vec<(&'static str, tera::Value)>,
) -> (String, Result<Vec<u8>, Diagnostic>) {
    let is_404 = site_path == "404.html";
    let file = if is_404 {
        site_path.to_string()
    } else {
        format!("{site_path}index.html")
    };
    let html = renderer
        .render_special(lib, template, site_path, extra)
        .map(|html| finish(lib, html, site_path, is_404));
    (file, html)
}

/// The term page of `tax.terms[index]`; `tv` is the taxonomy's value,
/// which holds the term's object (made once, for `get_taxonomy` too).
pub(crate) fn term_page(
    lib: &Library<'_>,
    renderer: &Renderer,
    template: &str,
    tax: &crate::site::library::Taxonomy,
    tv: &tera::Value,
    index: usize,
) -> (String, Result<Vec<u8>, Diagnostic>) {
    let term = &tax.terms[index];
    let path = format!(
        "{}/{}/",
        tax.name,
        crate::site::library::encode_path(&term.slug)
    );
    let term_v = crate::render::term_of(tv, index, &term.slug)
        .unwrap_or_else(|| crate::render::term_value(lib, &renderer.values, &tax.name, term));
    let (_, html) = special_page(
        lib,
        renderer,
        template,
        &path,
        vec![("taxonomy", tv.clone()), ("term", term_v)],
    );
    (format!("{}/{}/index.html", tax.name, term.slug), html)
}

/// The files that list the whole output: search index (from its entries,
/// [`feeds_search::entries`]), feed, and unless `body_only` (an edit that
/// changed no front matter) the sitemap and robots.txt.
pub(crate) fn index_files(
    lib: &Library<'_>,
    body_only: bool,
) -> Vec<(String, Result<String, Diagnostic>)> {
    let mut listed_extra = vec![];
    for tax in &lib.taxonomies {
        listed_extra.push(format!("{}/", tax.name));
        listed_extra.extend(tax.terms.iter().map(|t| {
            format!(
                "{}/{}/",
                tax.name,
                crate::site::library::encode_path(&t.slug)
            )
        }));
    }
    let cannot = |name: &str, e: String| {
        Diagnostic::error(ids::CANNOT_WRITE, format!("cannot write {name}: {e}"))
    };
    let features = lib.site.config.features;
    let mut files = vec![];
    if features.feed {
        files.push((
            "atom.xml".to_string(),
            feeds::atom(lib).map_err(|e| cannot("atom.xml", e.to_string())),
        ));
    }
    if body_only {
        return files;
    }
    if !lib.output.noindex && features.sitemap {
        files.push((
            "sitemap.xml".to_string(),
            feeds::sitemap(lib, &listed_extra).map_err(|e| cannot("sitemap.xml", e.to_string())),
        ));
    }
    if features.robots_txt {
        files.push(("robots.txt".to_string(), Ok(feeds::robots(lib))));
    }
    files
}

/// Whether the output gets a search page: the theme has one and the site
/// has not switched search off.
pub(crate) fn makes_search_page(lib: &Library<'_>, renderer: &Renderer) -> bool {
    lib.site.config.features.search && renderer.has_template("search.html")
}

/// Writes search-index.json and search-index.js from the entries.
pub(crate) fn write_search_index(
    lib: &Library<'_>,
    search: &[Option<String>],
    staging: &Staging,
) -> Result<(), Diagnostic> {
    if !lib.site.config.features.search {
        return Ok(());
    }
    let (json, js) = feeds_search::assemble(lib, search);
    // Two copies of the index (14 MB each at 10,000 pages): one per core.
    let (a, b) = rayon::join(
        || staging.write_parts("search-index.json", &json),
        || staging.write_parts("search-index.js", &js),
    );
    a.and(b)
}

/// [`render_output`] with a renderer made by the caller (watch keeps it).
/// Frees nothing: a page's HTML is freed by [`run`] between outputs.
#[allow(clippy::too_many_arguments)]
pub fn render_with(
    lib: &Library<'_>,
    renderer: &Renderer,
    thumbs: &HashMap<usize, thumbnails::Thumb>,
    staging: &Staging,
    progress: bool,
    clock: &WorkClock,
    diags: &mut Diagnostics,
) -> Result<RenderedOutput, i32> {
    let out = lib.output;
    let docs: Vec<&content::Document> = lib.docs().collect();
    let bar = progress_bar(progress, docs.len() as u64, &out.name);
    let results: Vec<Result<(), (Diagnostic, bool)>> = docs
        .par_iter()
        .with_max_len(crate::PAGES_PER_TASK)
        .map(|d| {
            let page = doc_page(lib, renderer, d, clock);
            let (rel, html) = page.map_err(|e| (e, false))?;
            clock
                .time(Work::Writing, || staging.write(&rel, &html))
                .map_err(|e| (e, true))?;
            bar.inc(1);
            Ok(())
        })
        .collect();
    bar.finish_and_clear();
    // Whether a problem was the environment's (exit code 2). A cell: the
    // closures below that report problems are alive at the same time.
    let env_error = std::cell::Cell::new(false);
    let report = |written: Written, diags: &mut Diagnostics| {
        if let Err((d, is_env)) = written {
            // Two files of the site at one path is the site's problem,
            // found while writing in a build into an empty folder.
            env_error.set(env_error.get() | (is_env && d.id != ids::OUTPUT_PATH_CLASH));
            diags.push(d);
        }
    };
    for r in results {
        report(r, diags);
    }
    let mut pages = docs.len();
    // Pages Guidepost makes itself (tag pages, search, calendars…) never
    // silently replace a page of the site that has the same address.
    // Safe on any thread: term pages and static files are written on
    // every core. The error says whether it is the environment's.
    let put = |rel: &str, bytes: &[u8]| -> Written {
        if staging.contains(rel) {
            let owner = lib
                .docs()
                .find(|d| crate::site::library::concat(&d.path, "index.html") == rel)
                .map_or_else(|| rel.to_string(), |d| d.file.clone());
            return Err((
                Diagnostic::error(ids::RESERVED_ADDRESS, format!("{owner} has the address /{rel}, which Guidepost needs for a page it makes itself"))
                    .at(Location::file_only(owner))
                    .hint("give the page another file name or `slug` (the addresses tags/, hashtags/, search/ and campaigns.ics are Guidepost's)"),
                false,
            ));
        }
        staging.write(rel, bytes).map_err(|d| (d, true))
    };
    let mut write =
        |rel: &str, bytes: &[u8], diags: &mut Diagnostics| report(put(rel, bytes), diags);
    fn page_to(
        write: &mut impl FnMut(&str, &[u8], &mut Diagnostics),
        pages: &mut usize,
        (file, html): (String, Result<Vec<u8>, Diagnostic>),
        diags: &mut Diagnostics,
    ) {
        match html {
            Ok(html) => {
                write(&file, &html, diags);
                *pages += 1;
            }
            Err(d) => diags.push(d),
        }
    }
    macro_rules! write_page {
        ($page:expr, $diags:expr $(,)?) => {
            page_to(&mut write, &mut pages, $page, $diags)
        };
    }

    if renderer.has_template("404.html") {
        write_page!(
            special_page(lib, renderer, "404.html", "404.html", vec![]),
            diags,
        );
    }

    // Taxonomy pages, and meanwhile the search index entries, feed and
    // sitemap: independent of each other, so both cores stay busy while
    // the few large hashtag pages render. Each taxonomy page is written
    // where it is made (every page of the site is written by now, so the
    // address check sees them all); results come back in order.
    let put_page = |(file, html): (String, Result<Vec<u8>, Diagnostic>)| match html {
        Ok(html) => (true, put(&file, &html)),
        Err(d) => (false, Err((d, false))),
    };
    let (taxonomy_pages, (search, index)) = rayon::join(
        || {
            // Every taxonomy's index and term pages as one list, largest
            // first: the largest hashtag and tag pages list thousands of
            // pages, and a core left with a run of them at the end kept
            // the other idle.
            struct Job<'j> {
                size: usize,
                tax: &'j crate::site::library::Taxonomy,
                tv: tera::Value,
                template: String,
                term: Option<usize>,
            }
            let mut jobs: Vec<Job> = vec![];
            for tax in &lib.taxonomies {
                let tv = renderer
                    .taxonomy(&tax.name)
                    .unwrap_or_else(|| crate::render::taxonomy_value(lib, &renderer.values, tax));
                if let Some(template) = taxonomy_template(renderer, &tax.name, "taxonomy") {
                    jobs.push(Job {
                        size: tax.terms.len(),
                        tax,
                        tv: tv.clone(),
                        template,
                        term: None,
                    });
                }
                if let Some(template) = taxonomy_template(renderer, &tax.name, "term") {
                    jobs.extend(tax.terms.iter().enumerate().map(|(i, term)| Job {
                        size: term.pages.len(),
                        tax,
                        tv: tv.clone(),
                        template: template.clone(),
                        term: Some(i),
                    }));
                }
            }
            largest_first(
                &jobs,
                |job| job.size,
                |job| {
                    put_page(match job.term {
                        None => special_page(
                            lib,
                            renderer,
                            &job.template,
                            &format!("{}/", job.tax.name),
                            vec![("taxonomy", job.tv.clone())],
                        ),
                        Some(i) => term_page(lib, renderer, &job.template, job.tax, &job.tv, i),
                    })
                },
            )
        },
        || (feeds_search::entries(lib), index_files(lib, false)),
    );
    for (rendered, written) in taxonomy_pages {
        pages += usize::from(rendered);
        report(written, diags);
    }

    for (rel, ics) in calendar::calendars(lib) {
        write(&rel, ics.as_bytes(), diags);
    }
    for (id, thumb) in thumbs {
        if lib.includes(*id) && !staging.contains(&thumb.rel) {
            write(&thumb.rel, &thumb.bytes, diags);
        }
    }

    if makes_search_page(lib, renderer) {
        write_page!(
            special_page(lib, renderer, "search.html", "search/", vec![]),
            diags,
        );
    }
    let search_written = write_search_index(lib, &search, staging);
    for (rel, bytes) in index {
        match bytes {
            Ok(b) => write(&rel, b.as_bytes(), diags),
            Err(d) => diags.push(d),
        }
    }

    for (alias, id) in &lib.site.aliases {
        if !lib.includes(*id) {
            continue;
        }
        let d = &lib.site.docs[*id];
        let rel = if alias.ends_with('/') {
            format!("{alias}index.html")
        } else {
            alias.clone()
        };
        let page_path = if alias.ends_with('/') {
            alias.as_str()
        } else {
            &rel
        };
        let url = lib.url_of(*id);
        let target = if out.relative_urls {
            relative::relative_url(&url, &out.base_path, page_path)
        } else {
            url
        };
        write(
            &rel,
            redirect_page(
                &lib.site.config.language,
                &d.fm.title,
                &target,
                &lib.permalink(&d.path),
            )
            .as_bytes(),
            diags,
        );
    }

    // Linked files (a site's images: hundreds) are copied on every core,
    // unless two names could be one file on disk (see static files below).
    let content_dir = lib.site.config.root.join("content");
    let attach = |file: &String| -> Written {
        // A linked `robots.txt` at the top of content/ would silently
        // replace the one Guidepost writes (or the other way round).
        if staging.contains(file) {
            return Err((
                Diagnostic::error(
                    ids::ATTACHMENT_ADDRESS_CLASH,
                    format!(
                        "the linked file `content/{file}` has the same address as a file Guidepost makes (`{file}`)"
                    ),
                )
                .at(first_link_to(lib, file))
                .hint("rename the linked file, and its links"),
                false,
            ));
        }
        staging
            .copy(file, &content_dir.join(file))
            .map_err(|d| (d, true))
    };
    let attached: Vec<Written> = if may_share_a_file(lib.attachments.iter()) {
        lib.attachments.iter().map(attach).collect()
    } else {
        lib.attachments.par_iter().map(attach).collect()
    };
    for r in attached {
        report(r, diags);
    }

    // Static files last, on every core (a site's images are hundreds of
    // copies); a clash with anything written above is an error. Names that
    // could be one file on disk (`Logo.png` and `logo.png` on a disk that
    // ignores case, or a file and a folder of the same name) are copied
    // one after another, in order, so the outcome does not depend on
    // which core is first.
    let statics = &renderer.theme().statics;
    let copy = |(rel, source): (&String, &theme::StaticSource)| -> Written {
        if staging.contains(rel) {
            return Err((
                Diagnostic::error(
                    ids::STATIC_ADDRESS_CLASH,
                    format!(
                        "the static file `{rel}` has the same address as a page or file of the site"
                    ),
                )
                .hint("rename the static file"),
                false,
            ));
        }
        match source {
            theme::StaticSource::Builtin(bytes) => staging.write(rel, bytes),
            theme::StaticSource::Disk(path) => staging.copy(rel, path),
        }
        .map_err(|d| (d, true))
    };
    let copied: Vec<Written> = if may_share_a_file(statics.keys()) {
        statics.iter().map(copy).collect()
    } else {
        statics.par_iter().map(copy).collect()
    };
    for r in copied {
        report(r, diags);
    }

    report(search_written.map_err(|d| (d, true)), diags);
    // The leak check reads back what this output is about to publish.
    if !diags.has_errors() && !env_error.get() {
        diags.extend(crate::output::leak_check::scan(lib, staging));
    }

    if env_error.get() {
        Err(2)
    } else if diags.has_errors() {
        Err(1)
    } else {
        Ok(RenderedOutput { pages, search })
    }
}

/// Whether two of these output paths could be the same file: equal but
/// for case, or one a folder of the other.
fn may_share_a_file<'a>(rels: impl Iterator<Item = &'a String>) -> bool {
    let lower: Vec<String> = rels.map(|r| r.to_lowercase()).collect();
    let mut seen = std::collections::HashSet::with_capacity(lower.len());
    if !lower.iter().all(|l| seen.insert(l.as_str())) {
        return true;
    }
    lower
        .iter()
        .any(|l| l.match_indices('/').any(|(i, _)| seen.contains(&l[..i])))
}

/// `run` on every item, on every core, the largest items first and one
/// item per task, so the cores finish together; results in the items'
/// order. For pages whose cost varies a thousandfold (a tag page listing
/// a thousand pages next to one listing three).
pub(crate) fn largest_first<T: Sync, R: Send>(
    items: &[T],
    size: impl Fn(&T) -> usize,
    run: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size(&items[i])));
    let mut made: Vec<(usize, R)> = order
        .par_iter()
        .with_max_len(1)
        .map(|&i| (i, run(&items[i])))
        .collect();
    made.sort_unstable_by_key(|(i, _)| *i);
    made.into_iter().map(|(_, r)| r).collect()
}

/// A file written, or why not: the problem, and whether it is the
/// environment's (disk, permissions) rather than the site's.
type Written = Result<(), (Diagnostic, bool)>;

fn redirect_page(lang: &str, title: &str, url: &str, canonical: &str) -> String {
    let t = escape(title);
    let u = escape(url);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved: {t}</title>\n<link rel=\"canonical\" href=\"{c}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={u}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{u}\">{t}</a>.</p>\n</body>\n</html>\n",
        lang = escape(lang),
        c = escape(canonical),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn progress_bar(enabled: bool, len: u64, name: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() || len < 200 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} pages")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(name.to_string());
    bar
}

#[cfg(test)]
mod tests {
    use super::may_share_a_file;

    #[test]
    fn paths_that_may_be_one_file_are_found() {
        let check = |names: &[&str]| {
            let owned: Vec<String> = names.iter().map(|s| s.to_string()).collect();
            may_share_a_file(owned.iter())
        };
        assert!(!check(&[
            "css/site.css",
            "images/logo.png",
            "images/logo-2.png"
        ]));
        assert!(check(&["images/Logo.png", "images/logo.png"]));
        assert!(check(&["css", "css/site.css"]));
        assert!(check(&["Images", "images/logo.png"]));
        assert!(!check(&["css.map", "css/site.css"]));
    }
}
