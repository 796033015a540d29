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
    files: Files,
    /// Each file is looked at once per build, however many pages ask.
    seen: Mutex<ahash::AHashMap<String, Result<tera::Value, String>>>,
}

/// Where `asset()` looks, and what the output's addresses start with.
#[derive(Clone)]
struct Files {
    statics: BTreeMap<String, StaticSource>,
    /// Content-relative paths of the files this output's pages link to.
    attachments: BTreeSet<String>,
    content_dir: PathBuf,
    max_file_size: u64,
    base_path: String,
    base_url: String,
    output_name: String,
}

impl Assets {
    pub(crate) fn new(
        lib: &crate::site::library::Library<'_>,
        statics: &BTreeMap<String, StaticSource>,
    ) -> Assets {
        Assets {
            files: Files {
                statics: statics.clone(),
                attachments: lib.attachments.clone(),
                content_dir: lib.site.config.root.join(crate::content::load::CONTENT_DIR),
                max_file_size: lib.site.config.max_file_size,
                base_path: lib.output.base_path.clone(),
                base_url: lib.output.base_url.clone(),
                output_name: lib.output.name.clone(),
            },
            seen: Mutex::default(),
        }
    }

    /// The same files, none looked at yet: for the next rebuild of a
    /// `watch` session (a static file may have changed since).
    pub(crate) fn renewed(&self) -> Assets {
        Assets {
            files: self.files.clone(),
            seen: Mutex::default(),
        }
    }

    /// The object for `path`, or what is wrong, in words for the message.
    pub(crate) fn get(&self, path: &str) -> Result<tera::Value, String> {
        if let Some(found) = self.seen.lock().expect("asset cache").get(path) {
            return found.clone();
        }
        let found = self.files.look_up(path);
        self.seen
            .lock()
            .expect("asset cache")
            .insert(path.to_string(), found.clone());
        found
    }
}

impl Files {
    fn look_up(&self, path: &str) -> Result<tera::Value, String> {
        // Written as in a link: `%20` for a space, `\` as on Windows.
        let written = markdown::percent_decode(&path.replace('\\', "/"));
        let Some(rel) = markdown::resolve_relative("", written.trim_start_matches('/'))
            .filter(|r| !r.is_empty())
        else {
            return Err(format!(
                "`{path}` is not a file of the site: give a path inside static/ or content/, e.g. `posters/flu.pdf`"
            ));
        };
        let ext = markdown::extension_lower(&rel);
        let read = |file: &std::path::Path, shown: &str| {
            markdown::file_info(file, &ext, self.max_file_size)
                .map_err(|(_, problem)| format!("{shown}: {problem}"))
        };
        // Where it is (for messages), the file on disk (none for Guidepost's
        // own files, such as the default theme's style sheet), its size.
        let (shown, disk, info) = match self.statics.get(&rel) {
            Some(StaticSource::Disk(file)) => {
                let shown = format!("static/{rel}");
                let info = read(file, &shown)?;
                (shown, Some(file.clone()), info)
            }
            Some(StaticSource::Builtin(bytes)) => {
                let size = bytes.len() as u64;
                let label = markdown::file_label(&ext, size, None);
                let info = markdown::FileInfo {
                    size,
                    pages: None,
                    label: label.into(),
                };
                (format!("static/{rel}"), None, info)
            }
            None if self.attachments.contains(&rel) => {
                let shown = format!("content/{rel}");
                let file = self.content_dir.join(&rel);
                let info = read(&file, &shown)?;
                (shown, Some(file), info)
            }
            None => return Err(self.not_found(&rel)),
        };
        let dims = disk.and_then(|file| markdown::picture_size(&file, &ext));
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
        map.insert("label".into(), tera::Value::from(&*info.label));
        let (width, height) = match dims {
            Some((w, h)) => (tera::Value::from(w), tera::Value::from(h)),
            None => (tera::Value::none(), tera::Value::none()),
        };
        map.insert("width".into(), width);
        map.insert("height".into(), height);
        Ok(map.into())
    }

    /// Why `rel` is not a file of this output, and what to write instead.
    fn not_found(&self, rel: &str) -> String {
        if rel.ends_with(".md") {
            return format!(
                "content/{rel} is a page, not a file: use get_url(path=\"{rel}\") for its address, or get_page for its fields"
            );
        }
        if let Some(data) = rel.strip_prefix("_data/") {
            return format!(
                "content/{rel} is site data, not a file to publish: use load_data(path=\"{data}\") to read it"
            );
        }
        if self.content_dir.join(rel).is_file() {
            return format!(
                "content/{rel} is not in the `{}` output: only files linked from its pages are; link it from a page of this output, or move it to static/",
                self.output_name
            );
        }
        for folder in ["static/", "content/"] {
            if let Some(inner) = rel.strip_prefix(folder)
                && (self.statics.contains_key(inner) || self.attachments.contains(inner))
            {
                return format!(
                    "there is no file {folder}{rel}: the path starts inside {folder}, so write `{inner}`"
                );
            }
        }
        let known: Vec<&str> = self
            .statics
            .keys()
            .chain(self.attachments.iter())
            .map(String::as_str)
            .collect();
        let mut message = format!(
            "there is no file static/{rel}, nor content/{rel} linked from a page of the `{}` output",
            self.output_name
        );
        if let Some(near) = crate::suggest::did_you_mean(rel, &known) {
            message.push_str(&format!(": did you mean `{near}`?"));
        }
        message
    }
}
