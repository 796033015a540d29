//! The search index of an output: its pages only, small enough to load on
//! a phone, and readable from file:// (as a script) as well as over HTTP
//! (as JSON).

use crate::site::library::Library;

/// One page's entry in the index, as JSON: `{"t":title,"u":url,"d":
/// description,"h":[headings],"g":[hashtags],"b":body start}`, with `d`,
/// `h` and `g` left out when empty. Written directly (see [`push_str`]):
/// serde_json's string escaping was most of the index's cost.
pub fn entry(lib: &Library<'_>, d: &crate::content::Document) -> String {
    let u = if lib.output.relative_urls {
        let p = crate::site::library::encode_path(&d.path);
        crate::site::library::concat(&p, "index.html")
    } else {
        lib.url_of(d.id)
    };
    let title = &d.fm.title;
    let description = d.description();
    let headings = &d.rendered.headings;
    let hashtags = crate::render::context::page_hashtags(d);
    let body = &d.rendered.plain;
    let mut json = String::with_capacity(
        title.len()
            + u.len()
            + description.map_or(0, str::len)
            + headings.iter().map(|h| h.title.len() + 3).sum::<usize>()
            + hashtags.iter().map(|h| h.len() + 3).sum::<usize>()
            + body.len()
            + 40,
    );
    json.push_str("{\"t\":");
    push_str(&mut json, title);
    json.push_str(",\"u\":");
    push_str(&mut json, &u);
    if let Some(text) = description {
        json.push_str(",\"d\":");
        push_str(&mut json, text);
    }
    push_list(
        &mut json,
        ",\"h\":[",
        headings.iter().map(|h| h.title.as_str()),
    );
    push_list(&mut json, ",\"g\":[", hashtags.iter().copied());
    json.push_str(",\"b\":");
    push_str(&mut json, body);
    json.push('}');
    // Every entry is kept until the index is written: no spare capacity.
    json.shrink_to_fit();
    json
}

/// Appends `key` (which opens the list) and `items` as JSON strings, or
/// nothing when there are no items.
fn push_list<'s>(json: &mut String, key: &str, items: impl Iterator<Item = &'s str>) {
    let mut first = true;
    for item in items {
        json.push_str(if first { key } else { "," });
        first = false;
        push_str(json, item);
    }
    if !first {
        json.push(']');
    }
}

/// Appends `s` as a JSON string, escaped as serde_json does (quote,
/// backslash, control characters), and with `</` written `<\/` so the
/// index cannot end the script early when it sits in a .js file (the same
/// string to a JSON reader).
fn push_str(out: &mut String, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `x` may need escaping: below 0x20, or one of
    // `"`, `\`, `/` (false alarms only cost the slow path).
    fn maybe_special(x: u64) -> bool {
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        (below_space
            | zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            | zero(x ^ (ONES * u64::from(b'/'))))
            != 0
    }
    out.push('"');
    let bytes = s.as_bytes();
    let mut done = 0;
    let mut i = 0;
    while i < bytes.len() {
        if i + 8 <= bytes.len() {
            let x = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"));
            if !maybe_special(x) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let escaped: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            b'/' if i > 0 && bytes[i - 1] == b'<' => "\\/",
            0..=0x1f => {
                out.push_str(&s[done..i]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
                i += 1;
                done = i;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[done..i]);
        out.push_str(escaped);
        i += 1;
        done = i;
    }
    out.push_str(&s[done..]);
    out.push('"');
}

/// Every entry of the output, by document id (`None`: not in the output).
/// Kept by watch, so an edit makes only its page's entry again.
pub fn entries(lib: &Library<'_>) -> Vec<Option<String>> {
    use rayon::prelude::*;
    // One slot per document either way: watch updates them by id.
    if !lib.site.config.features.search {
        return vec![None; lib.site.docs.len()];
    }
    lib.site
        .docs
        .par_iter()
        .with_max_len(crate::PAGES_PER_TASK)
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

#[cfg(test)]
mod tests {
    use super::push_str;

    #[test]
    fn strings_are_escaped_like_serde_json_with_script_ends_broken() {
        let mut samples: Vec<String> = [
            "",
            "plain text",
            "quote \" and backslash \\ and slash /",
            "</script> and <\\/ and < / and a</b",
            "tab\tnew\nline\rcr\x08bs\x0cff\x01\x1f\x7f end",
            "café – “quotes” \u{2028} 🙂",
            "12345678\"12345678",
            "a/b/c/d/e/f/g/h/i/j",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        samples.push((0u8..128).map(char::from).collect());
        for s in samples {
            let mut ours = String::new();
            push_str(&mut ours, &s);
            let theirs = serde_json::to_string(&s).unwrap().replace("</", "<\\/");
            assert_eq!(ours, theirs, "{s:?}");
        }
    }
}
