//! The search index of an output: its pages only, small enough to load on
//! a phone, and readable from file:// (as a script) as well as over HTTP
//! (as JSON).

use serde::Serialize;

use crate::site::library::Library;

#[derive(Serialize)]
struct Entry<'a> {
    /// title
    t: &'a str,
    /// URL: with the base path, or root-relative in relative outputs
    u: String,
    /// description
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    /// headings
    #[serde(skip_serializing_if = "Vec::is_empty")]
    h: Vec<&'a str>,
    /// hashtags
    #[serde(skip_serializing_if = "Vec::is_empty")]
    g: Vec<String>,
    /// the start of the body text
    b: &'a str,
}

#[derive(Serialize)]
struct Index<'a> {
    /// true: `u` is relative to the output root
    rel: bool,
    pages: Vec<Entry<'a>>,
}

/// Returns (search-index.json, search-index.js).
pub fn index(lib: &Library<'_>) -> (String, String) {
    let rel = lib.output.relative_urls;
    let pages = lib
        .docs()
        .map(|d| {
            let u = if rel {
                let p = crate::site::library::encode_path(&d.path);
                format!("{p}index.html")
            } else {
                lib.url_of(d.id)
            };
            Entry {
                t: &d.fm.title,
                u,
                d: d.description(),
                h: d.rendered
                    .headings
                    .iter()
                    .map(|h| h.title.as_str())
                    .collect(),
                g: crate::render::context::page_hashtags(d),
                b: &d.rendered.plain,
            }
        })
        .collect();
    let json = serde_json::to_string(&Index { rel, pages }).unwrap_or_else(|_| "{}".into());
    // `</` cannot end the script early when the JSON sits in a .js file.
    let js = format!(
        "window.GUIDEPOST_SEARCH = {};\n",
        json.replace("</", "<\\/")
    );
    (json, js)
}
