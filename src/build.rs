//! `guidepost build`: the pipeline from site.yaml to output folders.
//!
//! config → content (load, front matter, markdown) → site model (sections,
//! addresses, links) → per output: library → render → staged write → swap.
//! Every stage reports into one list of diagnostics; nothing is written
//! unless the whole build is clean.

use std::path::PathBuf;
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
}

#[derive(Debug)]
pub struct BuildFailure {
    pub diagnostics: Diagnostics,
    /// 1: content or template errors; 2: usage or environment errors.
    pub exit_code: i32,
}

fn fail(diagnostics: Diagnostics, exit_code: i32) -> BuildFailure {
    BuildFailure {
        diagnostics,
        exit_code,
    }
}

/// Everything up to rendering: config, content and the site model.
pub struct Loaded {
    pub site: site::Site,
    pub theme: theme::Theme,
}

pub fn load_site(
    opts: &BuildOptions,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Result<Loaded, i32> {
    let t = Instant::now();
    let Some(config) = config::load(&opts.root, diags) else {
        // A missing site.yaml is an environment problem; a bad one is content.
        let code = if opts.root.join(config::CONFIG_FILE).exists() {
            1
        } else {
            2
        };
        return Err(code);
    };
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
    let accounts = content::accounts::load(&config, diags);
    let docs = content::load::load(&config, &accounts, &timings.work, diags);
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
    Ok(Loaded { site, theme })
}

fn selected_outputs<'a>(
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
    let mut diags = Diagnostics::new();
    let mut timings = Timings::default();
    let loaded = match load_site(opts, &mut diags, &mut timings) {
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
    let previous: Vec<PathBuf> = outputs
        .iter()
        .map(|o| site.config.root.join(&o.dir))
        .collect();
    let (thumbs, thumb_stats, thumb_diags) = thumbnails::prepare(site, &previous);
    diags.extend(thumb_diags);
    let mut t = timings.add("thumbnails", t);
    if diags.has_errors() {
        return Err(fail(diags, 1));
    }

    let mut stagings = vec![];
    let mut summaries = vec![];
    for lib in &libs {
        let started = Instant::now();
        let display = crate::diagnostics::display_path(
            &site.config.root,
            &site.config.root.join(&lib.output.dir),
        );
        let staging = match Staging::begin(&site.config.root.join(&lib.output.dir), &display) {
            Ok(s) => s,
            Err(d) => {
                diags.push(d);
                stagings.into_iter().for_each(Staging::abort);
                return Err(fail(diags, 2));
            }
        };
        let result = render_output(
            lib,
            &loaded.theme,
            &thumbs,
            &staging,
            opts.progress,
            &timings.work,
            &mut diags,
        );
        t = timings.add(format!("render and write `{}`", lib.output.name), t);
        match result {
            Ok(pages) => summaries.push(OutputSummary {
                name: lib.output.name.clone(),
                dir: display,
                pages,
                files: staging.file_count(),
                bytes: staging.byte_count(),
                elapsed: started.elapsed(),
            }),
            Err(code) => {
                staging.abort();
                stagings.into_iter().for_each(Staging::abort);
                return Err(fail(diags, code));
            }
        }
        stagings.push(staging);
    }
    if diags.has_errors() {
        stagings.into_iter().for_each(Staging::abort);
        return Err(fail(diags, 1));
    }
    let mut iter = stagings.into_iter();
    while let Some(s) = iter.next() {
        if let Err(d) = s.commit() {
            diags.push(d);
            iter.for_each(Staging::abort);
            return Err(fail(diags, 2));
        }
    }
    timings.add("swap into place", t);
    drop(libs);
    // The whole site model is freed on another thread, like the templates.
    std::thread::spawn(move || drop(loaded));
    Ok(BuildReport {
        outputs: summaries,
        diagnostics: diags,
        timings,
        thumbnails: thumb_stats,
    })
}

/// Renders and writes one output into its staging folder. Returns the
/// number of HTML pages, or the exit code on failure.
pub fn render_output(
    lib: &Library<'_>,
    theme: &theme::Theme,
    thumbs: &HashMap<usize, thumbnails::Thumb>,
    staging: &Staging,
    progress: bool,
    clock: &WorkClock,
    diags: &mut Diagnostics,
) -> Result<usize, i32> {
    let renderer = match Renderer::new(lib, theme, thumbs) {
        Ok(r) => r,
        Err(ds) => {
            diags.extend(ds);
            return Err(1);
        }
    };
    let out = lib.output;
    let finish = |html: String, page_path: &str, is_404: bool| -> String {
        // A 404 page is served at any address, so its links stay absolute.
        if out.relative_urls && !is_404 {
            relative::relativize(&html, &out.base_path, page_path)
        } else {
            html
        }
    };

    let docs: Vec<&content::Document> = lib.docs().collect();
    let bar = progress_bar(progress, docs.len() as u64, &out.name);
    let results: Vec<Result<(), (Diagnostic, bool)>> = docs
        .par_iter()
        .map(|d| {
            let content = clock.time(Work::LinkResolution, || renderer.content_of(lib, d));
            let html = clock
                .time(Work::Templates, || {
                    renderer
                        .render_doc_with(lib, d, content)
                        .map(|html| finish(html, &d.path, false))
                })
                .map_err(|e| (e, false))?;
            clock
                .time(Work::Writing, || {
                    staging.write(&format!("{}index.html", d.path), html.as_bytes())
                })
                .map_err(|e| (e, true))?;
            bar.inc(1);
            Ok(())
        })
        .collect();
    bar.finish_and_clear();
    let mut env_error = false;
    for r in results {
        if let Err((d, is_env)) = r {
            env_error |= is_env;
            diags.push(d);
        }
    }
    let mut pages = docs.len();
    // Pages Guidepost makes itself (tag pages, search, calendars…) never
    // silently replace a page of the site that has the same address.
    let mut write = |rel: &str, bytes: &[u8], diags: &mut Diagnostics| {
        if staging.contains(rel) {
            let owner = lib
                .docs()
                .find(|d| format!("{}index.html", d.path) == rel)
                .map_or_else(|| rel.to_string(), |d| d.file.clone());
            diags.push(
                Diagnostic::error(ids::RESERVED_ADDRESS, format!("{owner} has the address /{rel}, which Guidepost needs for a page it makes itself"))
                    .at(Location::file_only(owner))
                    .hint("give the page another file name or `slug` (the addresses tags/, hashtags/, search/ and campaigns.ics are Guidepost's)"),
            );
            return;
        }
        if let Err(d) = staging.write(rel, bytes) {
            env_error = true;
            diags.push(d);
        }
    };

    if renderer.has_template("404.html") {
        match renderer.render_special(lib, "404.html", "404.html", vec![]) {
            Ok(html) => {
                write("404.html", finish(html, "404.html", true).as_bytes(), diags);
                pages += 1;
            }
            Err(d) => diags.push(d),
        }
    }

    for tax in &lib.taxonomies {
        let tv = crate::render::taxonomy_value(lib, &renderer.values, tax);
        // A taxonomy's own templates (`hashtags/term.html`) come first.
        let pick = |kind: &str| {
            [format!("{}/{kind}.html", tax.name), format!("{kind}.html")]
                .into_iter()
                .find(|t| renderer.has_template(t))
        };
        if let Some(template) = pick("taxonomy") {
            let path = format!("{}/", tax.name);
            match renderer.render_special(lib, &template, &path, vec![("taxonomy", tv.clone())]) {
                Ok(html) => {
                    write(
                        &format!("{path}index.html"),
                        finish(html, &path, false).as_bytes(),
                        diags,
                    );
                    pages += 1;
                }
                Err(d) => diags.push(d),
            }
        }
        if let Some(template) = pick("term") {
            // Term pages are independent: render them on every core.
            let rendered: Vec<(String, Result<String, Diagnostic>)> = tax
                .terms
                .par_iter()
                .map(|term| {
                    let path = format!(
                        "{}/{}/",
                        tax.name,
                        crate::site::library::encode_path(&term.slug)
                    );
                    let file = format!("{}/{}/index.html", tax.name, term.slug);
                    let term_v = crate::render::term_value(lib, &renderer.values, &tax.name, term);
                    let html = renderer
                        .render_special(
                            lib,
                            &template,
                            &path,
                            vec![("taxonomy", tv.clone()), ("term", term_v)],
                        )
                        .map(|html| finish(html, &path, false));
                    (file, html)
                })
                .collect();
            for (file, html) in rendered {
                match html {
                    Ok(html) => {
                        write(&file, html.as_bytes(), diags);
                        pages += 1;
                    }
                    Err(d) => diags.push(d),
                }
            }
        }
    }

    for (rel, ics) in calendar::calendars(lib) {
        write(&rel, ics.as_bytes(), diags);
    }
    for (id, thumb) in thumbs {
        if lib.includes(*id) && !staging.contains(&thumb.rel) {
            write(&thumb.rel, &thumb.bytes, diags);
        }
    }

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
    if renderer.has_template("search.html") {
        match renderer.render_special(lib, "search.html", "search/", vec![]) {
            Ok(html) => {
                write(
                    "search/index.html",
                    finish(html, "search/", false).as_bytes(),
                    diags,
                );
                pages += 1;
            }
            Err(d) => diags.push(d),
        }
    }
    let (index_json, index_js) = feeds_search::index(lib);
    write("search-index.json", index_json.as_bytes(), diags);
    write("search-index.js", index_js.as_bytes(), diags);
    match feeds::atom(lib) {
        Ok(xml) => write("atom.xml", xml.as_bytes(), diags),
        Err(e) => diags.push(Diagnostic::error(
            ids::CANNOT_WRITE,
            format!("cannot write atom.xml: {e}"),
        )),
    }
    if !out.noindex {
        match feeds::sitemap(lib, &listed_extra) {
            Ok(xml) => write("sitemap.xml", xml.as_bytes(), diags),
            Err(e) => diags.push(Diagnostic::error(
                ids::CANNOT_WRITE,
                format!("cannot write sitemap.xml: {e}"),
            )),
        }
    }
    write("robots.txt", feeds::robots(lib).as_bytes(), diags);

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

    for file in &lib.attachments {
        if let Err(d) = staging.copy(file, &lib.site.config.root.join("content").join(file)) {
            env_error = true;
            diags.push(d);
        }
    }

    for (rel, source) in &theme.statics {
        if staging.contains(rel) {
            diags.push(
                Diagnostic::error(
                    ids::STATIC_ADDRESS_CLASH,
                    format!(
                        "the static file `{rel}` has the same address as a page or file of the site"
                    ),
                )
                .hint("rename the static file"),
            );
            continue;
        }
        let r = match source {
            theme::StaticSource::Builtin(bytes) => staging.write(rel, bytes),
            theme::StaticSource::Disk(path) => staging.copy(rel, path),
        };
        if let Err(d) = r {
            env_error = true;
            diags.push(d);
        }
    }

    renderer.release();

    // The leak check reads back what this output is about to publish.
    if !diags.has_errors() && !env_error {
        diags.extend(crate::output::leak_check::scan(lib, staging));
    }

    if env_error {
        Err(2)
    } else if diags.has_errors() {
        Err(1)
    } else {
        Ok(pages)
    }
}

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
