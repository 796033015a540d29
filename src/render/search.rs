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

/// One page's entry in the index, as JSON.
pub fn entry(lib: &Library<'_>, d: &crate::content::Document) -> String {
    let u = if lib.output.relative_urls {
        let p = crate::site::library::encode_path(&d.path);
        format!("{p}index.html")
    } else {
        lib.url_of(d.id)
    };
    let e = Entry {
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
    };
    let json = serde_json::to_string(&e).unwrap_or_else(|_| "{}".into());
    // `</` cannot end the script early when the JSON sits in a .js file;
    // `<\/` is the same string to a JSON reader.
    if json.contains("</") {
        json.replace("</", "<\\/")
    } else {
        json
    }
}

/// Every entry of the output, by document id (`None`: not in the output).
/// Kept by watch, so an edit makes only its page's entry again.
pub fn entries(lib: &Library<'_>) -> Vec<Option<String>> {
    use rayon::prelude::*;
    lib.site
        .docs
        .par_iter()
        .map(|d| lib.includes(d.id).then(|| entry(lib, d)))
        .collect()
}

/// Returns (search-index.json, search-index.js) from the entries.
pub fn assemble(lib: &Library<'_>, entries: &[Option<String>]) -> (String, String) {
    let rel = lib.output.relative_urls;
    let mut json =
        String::with_capacity(entries.iter().flatten().map(|e| e.len() + 1).sum::<usize>() + 32);
    json.push_str(if rel {
        "{\"rel\":true,\"pages\":["
    } else {
        "{\"rel\":false,\"pages\":["
    });
    for (i, e) in entries.iter().flatten().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(e);
    }
    json.push_str("]}");
    const START: &str = "window.GUIDEPOST_SEARCH = ";
    let mut js = String::with_capacity(START.len() + json.len() + 2);
    js.push_str(START);
    js.push_str(&json);
    js.push_str(";\n");
    (json, js)
}

/// Returns (search-index.json, search-index.js).
pub fn index(lib: &Library<'_>) -> (String, String) {
    assemble(lib, &entries(lib))
}
