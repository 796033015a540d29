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
    g: Vec<&'a str>,
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
    let mut json = if json.contains("</") {
        json.replace("</", "<\\/")
    } else {
        json
    };
    // Every entry is kept until the index is written: no spare capacity.
    json.shrink_to_fit();
    json
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

/// The search index files made from the entries, as the pieces to write
/// one after another: (search-index.json, search-index.js). A large site's
/// index is tens of megabytes, so it is never joined into one string.
pub fn assemble<'e>(
    lib: &Library<'_>,
    entries: &'e [Option<String>],
) -> (Vec<&'e [u8]>, Vec<&'e [u8]>) {
    let head: &'static str = if lib.output.relative_urls {
        "{\"rel\":true,\"pages\":["
    } else {
        "{\"rel\":false,\"pages\":["
    };
    let mut json: Vec<&[u8]> = Vec::with_capacity(entries.len() * 2 + 2);
    json.push(head.as_bytes());
    for (i, e) in entries.iter().flatten().enumerate() {
        if i > 0 {
            json.push(b",");
        }
        json.push(e.as_bytes());
    }
    json.push(b"]}");
    let mut js: Vec<&[u8]> = Vec::with_capacity(json.len() + 2);
    js.push(b"window.GUIDEPOST_SEARCH = ");
    js.extend_from_slice(&json);
    js.push(b";\n");
    (json, js)
}
