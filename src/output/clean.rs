//! `guidepost clean`: removes what Guidepost wrote into each output folder
//! and nothing else. What it wrote is what the folder's marker
//! (`.guidepost-output`) lists; a file not on that list stays, and so does
//! a folder that still holds one.

use std::fs;
use std::io;
use std::path::Path;

use crate::build::{BuildFailure, selected_outputs};
use crate::config;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path, ids};

use super::{
    MARKER, clean_stale_staging, list_files, read_marker, remove_empty_folders, remove_ours,
    safe_join,
};

/// What `clean` did to one output's folder.
#[derive(Debug)]
pub struct Cleaned {
    pub name: String,
    /// The folder, as shown to the user (`public/www`).
    pub dir: String,
    /// `false`: the folder holds no build of Guidepost's (no marker).
    pub had_build: bool,
    pub removed: usize,
    /// Files still there that Guidepost did not write, relative to the
    /// folder.
    pub kept: Vec<String>,
    /// Whether the folder itself was removed (nothing was left in it).
    pub folder_removed: bool,
}

/// What `clean` did, output by output, and the problems it met (files it
/// could not delete stay listed in their output's marker, so running it
/// again finishes the job).
pub struct Report {
    pub outputs: Vec<Cleaned>,
    pub diagnostics: Diagnostics,
}

/// Cleans every output (or the one called `only`) of the site at `root`.
/// `Err` when it could not start (no site.yaml, an unknown output).
pub fn clean(root: &Path, only: Option<&str>) -> Result<Report, BuildFailure> {
    let mut diags = Diagnostics::new();
    let fail = |diags: Diagnostics, exit_code: i32| BuildFailure {
        diagnostics: diags,
        exit_code,
        partly_published: false,
    };
    let Some(config) = config::load(root, &mut diags) else {
        // As in `build`: a missing site.yaml is the environment's problem.
        let code = if root.join(config::CONFIG_FILE).exists() {
            1
        } else {
            2
        };
        return Err(fail(diags, code));
    };
    let outputs = match selected_outputs(&config, only) {
        Ok(o) => o,
        Err(d) => {
            diags.push(d);
            return Err(fail(diags, 2));
        }
    };
    let mut done = vec![];
    for o in outputs {
        let dir = config.root.join(&o.dir);
        let display = display_path(&config.root, &dir);
        // Hidden staging folders left by a build that was stopped.
        clean_stale_staging(&dir);
        let mut cleaned = Cleaned {
            name: o.name.clone(),
            dir: display.clone(),
            had_build: false,
            removed: 0,
            kept: vec![],
            folder_removed: false,
        };
        let marker = dir.join(MARKER);
        if fs::symlink_metadata(&marker).is_ok() && read_marker(&dir).is_none() {
            diags.push(
                Diagnostic::error(
                    ids::CANNOT_READ,
                    format!("cannot read {display}/{MARKER}, Guidepost's list of the files it wrote there"),
                )
                .hint("check you may read the file; nothing in this folder was removed"),
            );
        } else if let Some(listed) = read_marker(&dir) {
            cleaned.had_build = true;
            let mut failed = false;
            for rel in &listed {
                match remove_ours(&dir, rel) {
                    Ok(true) => cleaned.removed += 1,
                    Ok(false) => {}
                    Err(d) => {
                        failed = true;
                        diags.push(d);
                    }
                }
            }
            // The list goes last, and only when every file on it is gone;
            // otherwise it keeps what is left, and a second `clean`
            // finishes what this one could not.
            if failed {
                let left = listed.iter().filter(|r| {
                    safe_join(&dir, r).is_some_and(|p| fs::symlink_metadata(p).is_ok())
                });
                let mut text = String::from(super::MARKER_HEADER);
                text.push('\n');
                for rel in left {
                    text.push_str(rel);
                    text.push('\n');
                }
                if let Err(e) = fs::write(&marker, text) {
                    diags.push(cannot_delete(&display, MARKER, e));
                }
            } else {
                for name in [MARKER.to_string(), format!(".{MARKER}.guidepost-new")] {
                    match fs::remove_file(dir.join(&name)) {
                        Ok(()) => {}
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                        Err(e) => diags.push(cannot_delete(&display, &name, e)),
                    }
                }
            }
        }
        if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            // Files not Guidepost's: neither its list nor on it.
            let still_ours = read_marker(&dir).unwrap_or_default();
            let new_list = format!(".{MARKER}.guidepost-new");
            cleaned.kept = list_files(&dir)
                .into_iter()
                .filter(|f| !still_ours.contains(f) && f != MARKER && *f != new_list)
                .collect();
            cleaned.kept.sort();
            if cleaned.had_build && cleaned.kept.is_empty() {
                // Only empty folders are left (ours, or made empty by
                // removing our files).
                remove_empty_folders(&dir);
                cleaned.folder_removed = !dir.exists();
            }
        }
        done.push(cleaned);
    }
    Ok(Report {
        outputs: done,
        diagnostics: diags,
    })
}

fn cannot_delete(display: &str, rel: &str, e: io::Error) -> Diagnostic {
    Diagnostic::error(
        ids::CANNOT_WRITE,
        format!("cannot delete {display}/{rel}: {e}"),
    )
    .hint("check nothing has the file open and that you may change the folder, then run `guidepost clean` again")
}
