//! `guidepost clean`: removes what Guidepost wrote into each output folder
//! and nothing else. What it wrote is what the folder's marker
//! (`.guidepost-output`) lists; a file not on that list stays, and so does
//! a folder that still holds one.

use std::fs;
use std::io;
use std::path::Path;

use crate::build::{BuildFailure, fail, load_config, selected_outputs};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path, ids};

use super::{
    MARKER, clean_stale_staging, list_files, marker_text, read_marker, remove_empty_folders,
    remove_ours, replacing_name, write_replacing,
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
    let config = match load_config(root, &mut diags) {
        Ok(c) => c,
        Err(code) => return Err(fail(diags, code)),
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
        // Guidepost's files that are still there (a delete failed).
        let mut left: Vec<&String> = vec![];
        let listed = read_marker(&dir);
        match &listed {
            None if fs::symlink_metadata(&marker).is_ok() => diags.push(
                Diagnostic::error(
                    ids::CANNOT_READ,
                    format!("cannot read {display}/{MARKER}, Guidepost's list of the files it wrote there"),
                )
                .hint("check you may read the file; nothing in this folder was removed"),
            ),
            None => {}
            Some(listed) => {
                cleaned.had_build = true;
                for rel in listed {
                    match remove_ours(&dir, rel) {
                        Ok(true) => cleaned.removed += 1,
                        Ok(false) => {}
                        Err(d) => {
                            left.push(rel);
                            diags.push(d);
                        }
                    }
                }
                // The list goes last, and only when every file on it is
                // gone; otherwise it keeps what is left, and a second
                // `clean` finishes what this one could not.
                let done = if left.is_empty() {
                    [MARKER.to_string(), replacing_name(MARKER)]
                        .iter()
                        .try_for_each(|name| match fs::remove_file(dir.join(name)) {
                            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                                Err(cannot_delete(&display, name, e))
                            }
                            _ => Ok(()),
                        })
                } else {
                    write_replacing(&marker, marker_text(left.iter().copied()).as_bytes())
                };
                if let Err(d) = done {
                    diags.push(d);
                }
            }
        }
        if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            // Files not Guidepost's: neither its list nor on it.
            let replacing = replacing_name(MARKER);
            cleaned.kept = list_files(&dir)
                .into_iter()
                .filter(|f| !left.contains(&f) && *f != MARKER && *f != replacing)
                .collect();
            cleaned.kept.sort();
            if cleaned.had_build && cleaned.kept.is_empty() && left.is_empty() {
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
