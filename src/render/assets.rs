//! `asset(path=)`: a file of the output described for a template — its
//! address, type and size — so a theme can write "Download the poster
//! (PDF, 1.2MB)" without hard-coding either.
//!
//! Only files the output already carries are found: the site's and the
//! theme's static/ files (in every output) and the files in content/ that
//! this output's pages link to. A template cannot bring a file into an
//! output by naming it: which outputs carry a content/ file is decided by
//! the audiences of the pages that link it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

use crate::content::markdown::{self, size_label};

use super::theme::StaticSource;

pub(crate) struct Assets {
    statics: BTreeMap<String, StaticSource>,
    /// Content-relative paths of the files this output's pages link to.
    attachments: BTreeSet<String>,
    content_dir: PathBuf,
    max_file_size: u64,
    base_path: String,
    base_url: String,
    output_name: String,
    /// Each file is looked at once per build, however many pages ask.
    seen: Mutex<ahash::AHashMap<String, Result<tera::Value, String>>>,
}

impl Assets {
    pub(crate) fn new(
        lib: &crate::site::library::Library<'_>,
        statics: &BTreeMap<String, StaticSource>,
    ) -> Assets {
        Assets {
            statics: statics.clone(),
            attachments: lib.attachments.clone(),
            content_dir: lib.site.config.root.join(crate::content::load::CONTENT_DIR),
            max_file_size: lib.site.config.max_file_size,
            base_path: lib.output.base_path.clone(),
            base_url: lib.output.base_url.clone(),
            output_name: lib.output.name.clone(),
            seen: Mutex::default(),
        }
    }

    /// The object for `path`, or what is wrong, in words for the message.
    pub(crate) fn get(&self, path: &str) -> Result<tera::Value, String> {
        if let Some(found) = self.seen.lock().expect("asset cache").get(path) {
            return found.clone();
        }
        let found = self.look_up(path);
        self.seen
            .lock()
            .expect("asset cache")
            .insert(path.to_string(), found.clone());
        found
    }

    fn look_up(&self, path: &str) -> Result<tera::Value, String> {
        let Some(rel) =
            markdown::resolve_relative("", path.trim_start_matches('/')).filter(|r| !r.is_empty())
        else {
            return Err(format!(
                "`{path}` is not a file of the site: give a path inside static/ or content/, e.g. `posters/flu.pdf`"
            ));
        };
        let ext = rel
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .filter(|e| !e.contains('/'))
            .unwrap_or_default();
        let (shown, info) = if let Some(source) = self.statics.get(&rel) {
            let shown = format!("static/{rel}");
            let info = match source {
                StaticSource::Disk(file) => markdown::file_info(file, &ext, self.max_file_size)
                    .map_err(|(_, problem)| format!("{shown}: {problem}"))?,
                // Guidepost's own files (the default theme's style sheet).
                StaticSource::Builtin(bytes) => markdown::FileInfo {
                    size: bytes.len() as u64,
                    pages: None,
                    label: format!("{}, {}", ext.to_uppercase(), size_label(bytes.len() as u64)),
                },
            };
            (shown, info)
        } else if self.attachments.contains(&rel) {
            let shown = format!("content/{rel}");
            let info = markdown::file_info(&self.content_dir.join(&rel), &ext, self.max_file_size)
                .map_err(|(_, problem)| format!("{shown}: {problem}"))?;
            (shown, info)
        } else if self.content_dir.join(&rel).is_file() {
            return Err(format!(
                "content/{rel} is not in the `{}` output: only files linked from its pages are; link it from a page of this output, or move it to static/",
                self.output_name
            ));
        } else {
            return Err(format!(
                "there is no file static/{rel}, nor content/{rel} linked from a page of the `{}` output",
                self.output_name
            ));
        };
        let dims = match self.statics.get(&rel) {
            Some(StaticSource::Disk(file)) => image_size(file, &ext),
            Some(StaticSource::Builtin(_)) => None,
            None => image_size(&self.content_dir.join(&rel), &ext),
        };
        let encoded = crate::site::library::encode_path(&rel);
        let mut map = tera::Map::default();
        map.insert("path".into(), rel.clone().into());
        map.insert("source".into(), shown.into());
        map.insert(
            "url".into(),
            crate::site::library::concat(&self.base_path, &encoded).into(),
        );
        map.insert(
            "permalink".into(),
            crate::site::library::concat(&self.base_url, &encoded).into(),
        );
        map.insert("type".into(), ext.to_uppercase().into());
        map.insert("size".into(), size_label(info.size).into());
        map.insert("bytes".into(), info.size.into());
        map.insert(
            "pages".into(),
            info.pages.map_or(tera::Value::none(), tera::Value::from),
        );
        map.insert("label".into(), info.label.into());
        let (width, height) = match dims {
            Some((w, h)) => (tera::Value::from(w), tera::Value::from(h)),
            None => (tera::Value::none(), tera::Value::none()),
        };
        map.insert("width".into(), width);
        map.insert("height".into(), height);
        Ok(map.into())
    }
}

fn image_size(file: &std::path::Path, ext: &str) -> Option<(u32, u32)> {
    ["png", "jpg", "jpeg", "gif", "webp"]
        .contains(&ext)
        .then(|| image::image_dimensions(file).ok())
        .flatten()
}
