//! `guidepost watch`: build, then rebuild whenever a source file changes.
//!
//! Rebuilds go through a [`Session`]: a body edit re-renders only the pages
//! that show the edited page, anything else runs the full pipeline, and
//! only files whose bytes changed are written (see `build::incremental`).
//! What watch writes is always what a clean build writes, and a bad edit
//! leaves the last good site in place. Editors' temporary files and the
//! output folders themselves are ignored.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{Config, DebounceEventResult, new_debouncer_opt};

use crate::build::incremental::Session;
use crate::content::load::is_ignored_name;
use crate::diagnostics::display_path;

/// What happened after a change: for the terminal and the browser.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Built; `css_only` when only stylesheets changed (no page reload).
    Built { summary: String, css_only: bool },
    /// The build failed: the same text the terminal shows.
    Failed { report: String },
}

/// Whether a changed path is a source of the site (not output, not an
/// editor's temporary file, not version control).
pub fn is_source(root: &Path, output_dirs: &[PathBuf], path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if output_dirs.iter().any(|o| path.starts_with(root.join(o))) {
        return false;
    }
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(first) = parts.next() else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if is_ignored_name(&name)
        || rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return false;
    }
    // Our own staging and old-output folders sit beside the outputs.
    if name.contains(".guidepost-tmp") || name.contains(".guidepost-old") {
        return false;
    }
    matches!(
        first.as_str(),
        "content" | "templates" | "static" | "themes" | "archetypes"
    ) || (rel.components().count() == 1 && name == crate::config::CONFIG_FILE)
}

/// Runs a build and describes it in one line (or the full error report).
pub fn rebuild(session: &mut Session, changed: &[PathBuf]) -> Outcome {
    let started = Instant::now();
    let opts = session.options().clone();
    let what = match changed {
        [] => "build".to_string(),
        [one] => display_path(&opts.root, one),
        [one, rest @ ..] => format!("{} and {} more", display_path(&opts.root, one), rest.len()),
    };
    let css_only = !changed.is_empty()
        && changed
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"));
    match session.rebuild(changed) {
        Ok(done) => {
            let pages = done.pages;
            let mut summary = format!(
                "✓ {what} → {pages} page{} in {} ms",
                if pages == 1 { "" } else { "s" },
                started.elapsed().as_millis()
            );
            let warnings = done.diagnostics.warning_count();
            if warnings > 0 {
                summary.push_str(&format!(
                    " ({warnings} warning{})",
                    if warnings == 1 { "" } else { "s" }
                ));
            }
            Outcome::Built { summary, css_only }
        }
        Err(failure) => {
            let mut report = String::new();
            for d in failure.diagnostics.sorted() {
                report.push_str(&d.render());
                report.push_str("\n\n");
            }
            report.push_str(crate::diagnostics::LOOK_UP_IDS);
            report.push('\n');
            report.push_str(&if failure.partly_published {
                format!(
                    "✗ {what}: the build failed while putting the new site in place; {}",
                    crate::build::PARTLY_PUBLISHED
                )
            } else {
                format!("✗ {what}: the build failed; the last good site is still in place")
            });
            Outcome::Failed { report }
        }
    }
}

/// Modification times of the site's sources. File systems also report
/// files being read (including by our own builds), so an event only counts
/// when a file's time or size really changed, or it appeared or vanished.
#[derive(Default)]
struct Snapshot(std::collections::HashMap<PathBuf, Option<Stamp>>);

/// (modified, size, is a folder)
type Stamp = (std::time::SystemTime, u64, bool);

fn stamp(p: &Path) -> Option<Stamp> {
    std::fs::symlink_metadata(p)
        .ok()
        .and_then(|m| Some((m.modified().ok()?, m.len(), m.is_dir())))
}

impl Snapshot {
    fn take(root: &Path, output_dirs: &[PathBuf]) -> Snapshot {
        let mut map = std::collections::HashMap::new();
        for e in walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
        {
            if is_source(root, output_dirs, e.path()) {
                map.insert(e.path().to_path_buf(), stamp(e.path()));
            }
        }
        Snapshot(map)
    }

    /// Records the path's state; true when it differs from what was known.
    fn changed(&mut self, p: &Path) -> bool {
        let now = stamp(p);
        match (self.0.insert(p.to_path_buf(), now), now) {
            // A folder's time changes whenever a file in it does; the file's
            // own event says what changed, so the folder's adds nothing.
            (Some(Some((_, _, true))), Some((_, _, true))) => false,
            (Some(before), now) => before != now,
            (None, now) => now.is_some(),
        }
    }
}

/// Watches the site and calls `on_change` after every rebuild, forever
/// (until the process is stopped). `poll` uses polling instead of the
/// system's file events (network drives, WSL, containers).
pub fn watch(
    session: &mut Session,
    poll: bool,
    on_ready: impl FnOnce(),
    mut on_change: impl FnMut(Outcome),
) -> Result<(), String> {
    let opts = session.options().clone();
    let config = crate::config::load(&opts.root, &mut Default::default());
    let output_dirs: Vec<PathBuf> = config
        .map(|c| c.outputs.iter().map(|o| o.dir.clone()).collect())
        .unwrap_or_default();
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let debounce = Config::default()
        .with_timeout(Duration::from_millis(5))
        .with_notify_config(
            notify::Config::default().with_poll_interval(Duration::from_millis(250)),
        );
    // Both kinds of watcher must live as long as the loop below.
    let mut native = None;
    let mut polling = None;
    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    if poll {
        let mut d = new_debouncer_opt::<_, PollWatcher>(debounce, tx).map_err(|e| e.to_string())?;
        d.watcher()
            .watch(&root, RecursiveMode::Recursive)
            .map_err(|e| e.to_string())?;
        polling = Some(d);
    } else {
        let mut d =
            new_debouncer_opt::<_, RecommendedWatcher>(debounce, tx).map_err(|e| e.to_string())?;
        d.watcher()
            .watch(&root, RecursiveMode::Recursive)
            .map_err(|e| e.to_string())?;
        native = Some(d);
    }
    let mut snapshot = Snapshot::take(&root, &output_dirs);
    if poll {
        // The poller takes its first look in the background: let it finish
        // before saying we are watching.
        std::thread::sleep(Duration::from_millis(400));
    }
    on_ready();
    while let Ok(batch) = rx.recv() {
        let Ok(mut events) = batch else { continue };
        // The debouncer waits for 5 ms without events, so a save made of
        // several steps (truncate then write, write then rename) is one
        // batch; take any batch already waiting too.
        while let Ok(more) = rx.try_recv() {
            if let Ok(more) = more {
                events.extend(more);
            }
        }
        let mut changed: Vec<PathBuf> = events
            .into_iter()
            .map(|e| e.path)
            .filter(|p| is_source(&root, &output_dirs, p))
            .filter(|p| snapshot.changed(p))
            .collect();
        changed.sort();
        changed.dedup();
        if changed.is_empty() {
            continue;
        }
        on_change(rebuild(session, &changed));
    }
    drop((native, polling));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_non_sources() {
        let root = Path::new("/site");
        let outs = vec![PathBuf::from("public/www")];
        assert!(is_source(root, &outs, Path::new("/site/content/a.md")));
        assert!(is_source(root, &outs, Path::new("/site/site.yaml")));
        assert!(is_source(
            root,
            &outs,
            Path::new("/site/templates/page.html")
        ));
        assert!(!is_source(
            root,
            &outs,
            Path::new("/site/public/www/index.html")
        ));
        assert!(!is_source(
            root,
            &outs,
            Path::new("/site/content/.a.md.swp")
        ));
        assert!(!is_source(root, &outs, Path::new("/site/content/4913")));
        assert!(!is_source(root, &outs, Path::new("/site/content/a.md~")));
        assert!(!is_source(root, &outs, Path::new("/site/.git/index")));
        assert!(!is_source(
            root,
            &outs,
            Path::new("/site/public/.www.guidepost-tmp/x")
        ));
        assert!(!is_source(root, &outs, Path::new("/site/README.md")));
    }
}
