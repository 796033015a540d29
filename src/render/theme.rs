//! Where templates and static files come from: the theme (built into the
//! binary for `nhs`, or a themes/NAME folder in the site), overridden file
//! by file by the site's own templates/ and static/.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Diagnostic, Location, display_path, ids};

/// The default theme, compiled in so `theme: nhs` works without a themes/ folder.
static NHS_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/nhs");
pub const BUILTIN_THEME: &str = "nhs";

#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Name used in `{% extends %}` and lookups: `page.html`, `partials/x.html`.
    pub name: String,
    /// Path shown in messages.
    pub display: String,
    pub source: String,
}

#[derive(Debug, Clone)]
pub enum StaticSource {
    Builtin(&'static [u8]),
    Disk(PathBuf),
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, TemplateFile>,
    /// Output-relative path → where to copy it from.
    pub statics: BTreeMap<String, StaticSource>,
}

impl Theme {
    pub fn has(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }
}

pub fn load(root: &Path, theme: &str) -> Result<Theme, Diagnostic> {
    let mut t = Theme::default();
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        read_dir_into(root, &theme_dir.join("templates"), &mut t, true)?;
        read_dir_into(root, &theme_dir.join("static"), &mut t, false)?;
    } else if theme == BUILTIN_THEME {
        builtin_into(&NHS_THEME, &mut t);
    } else {
        return Err(Diagnostic::error(
            ids::THEME_NOT_FOUND,
            format!("the theme `{theme}` was not found"),
        )
        .at(Location::file_only("site.yaml"))
        .hint(format!(
            "use `theme: {BUILTIN_THEME}` (built in), or put the theme in themes/{theme}/"
        )));
    }
    read_dir_into(root, &root.join("templates"), &mut t, true)?;
    read_dir_into(root, &root.join("static"), &mut t, false)?;
    Ok(t)
}

fn builtin_into(dir: &'static Dir<'static>, t: &mut Theme) {
    for file in all_files(dir) {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            t.templates.insert(
                name.to_string(),
                TemplateFile {
                    name: name.to_string(),
                    display: format!("themes/{BUILTIN_THEME}/templates/{name} (built in)"),
                    source: String::from_utf8_lossy(file.contents()).into_owned(),
                },
            );
        } else if let Some(rel) = path.strip_prefix("static/") {
            t.statics
                .insert(rel.to_string(), StaticSource::Builtin(file.contents()));
        }
    }
}

fn all_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut out: Vec<&include_dir::File> = dir.files().collect();
    for d in dir.dirs() {
        out.extend(all_files(d));
    }
    out
}

fn read_dir_into(
    root: &Path,
    dir: &Path,
    t: &mut Theme,
    templates: bool,
) -> Result<(), Diagnostic> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Diagnostic::error(
                ids::CANNOT_READ,
                format!("cannot read {}: {e}", dir.display()),
            )
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if crate::content::load::is_ignored_name(&name) {
            continue;
        }
        let rel = display_path(dir, entry.path());
        if templates {
            let display = display_path(root, entry.path());
            let source = std::fs::read_to_string(entry.path()).map_err(|e| {
                Diagnostic::error(ids::CANNOT_READ, format!("cannot read this template: {e}"))
                    .at(Location::file_only(&display))
            })?;
            t.templates.insert(
                rel.clone(),
                TemplateFile {
                    name: rel,
                    display,
                    source,
                },
            );
        } else {
            t.statics
                .insert(rel, StaticSource::Disk(entry.path().to_path_buf()));
        }
    }
    Ok(())
}
