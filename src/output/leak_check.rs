//! The last line of defence for "nothing leaked": before an output that
//! excludes staff is swapped in, every file it is about to publish is read
//! back and searched for the address of any page it excludes and for the
//! site's staff marker phrases (site.yaml `staff_markers`). A hit fails the
//! build, so a template or a bug that slips staff material into a public
//! output never reaches the web server.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};
use rayon::prelude::*;

use crate::config::Audience;
use crate::diagnostics::{Diagnostic, Location, ids};
use crate::site::library::Library;

/// One way an excluded page's address can be written.
struct Address {
    id: usize,
    form: Form,
}

enum Form {
    /// From the root of a host: `/social/rota/` (or without the last `/`),
    /// alone (`alone`: this output's own address, on its own host) or
    /// after a host (`https://www.example.nhs.uk`, `//localhost:1111`, a
    /// bare `www.example.nhs.uk` in a sentence): the output's `host`, or
    /// this computer or a network address (a `guidepost serve` preview),
    /// or, with `any_host`, any host at all.
    Rooted {
        alone: bool,
        any_host: bool,
        host: String,
    },
    /// Relative to the top of the output: `rota/` (or `rota/index.html`)
    /// as a link's whole value in a file at the top, `../../rota/` two
    /// folders down. `slash`: the text ends with `/` (without it, only
    /// after `../` or `./` pieces: a bare word at the top is just a word).
    Relative { slash: bool },
}

/// Scans the staged output at `dir`. Returns one diagnostic per file and
/// problem found.
pub fn scan(lib: &Library<'_>, staging: &crate::output::Staging) -> Vec<Diagnostic> {
    if lib.output.includes(Audience::Staff) {
        return vec![];
    }
    let excluded: Vec<&crate::content::Document> = lib
        .site
        .docs
        .iter()
        .filter(|d| d.published && !lib.includes(d.id) && !d.path.is_empty())
        .collect();
    // Addresses, by the text searched for (one text can be several
    // outputs' address of a page).
    let mut addresses: HashMap<String, Vec<Address>> = HashMap::new();
    let mut add = |text: String, a: Address| addresses.entry(text).or_default().push(a);
    for d in &excluded {
        for o in &lib.site.config.outputs {
            // Another output's base path means something else on this
            // output's host: its address counts only after its own host.
            let alone = o.name == lib.output.name;
            // This output's own address under a base path of its own
            // (`/social/rota/`) is specific enough to count after any
            // host; at the root of a domain (`/rota/`) it is only this
            // site's on this site's host.
            let any_host = alone && o.base_path != "/";
            let url = format!("{}{}", o.base_path, d.path);
            for text in [url.trim_end_matches('/').to_string(), url.clone()] {
                let form = Form::Rooted {
                    alone,
                    any_host,
                    host: host_of(&o.base_url),
                };
                add(text, Address { id: d.id, form });
            }
        }
        let relative = [
            (d.path.clone(), true),
            (d.path.trim_end_matches('/').to_string(), false),
        ];
        for (text, slash) in relative {
            add(
                text,
                Address {
                    id: d.id,
                    form: Form::Relative { slash },
                },
            );
        }
    }
    let mut texts: Vec<String> = addresses.keys().cloned().collect();
    texts.sort();
    let needles: Vec<&Vec<Address>> = texts.iter().map(|t| &addresses[t]).collect();
    let markers = &lib.site.config.staff_markers;
    if texts.is_empty() && markers.is_empty() {
        return vec![];
    }
    // Addresses in any letter case (some servers ignore it). A DFA: every
    // byte of the output is looked at (addresses start with `/`, too common
    // for a prefilter to skip much), and it is the fastest way to do so.
    let Ok(find_address) = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&texts)
    else {
        return vec![];
    };
    // Each marker phrase as written, as a page shows it (`don't` becomes
    // `don’t`) and HTML-escaped (`&` becomes `&amp;`); `of_variant` maps
    // back. No automaton without markers: one of no patterns still reads
    // every byte.
    let mut variants: Vec<String> = vec![];
    let mut of_variant: Vec<usize> = vec![];
    for (i, m) in markers.iter().enumerate() {
        for v in marker_variants(m) {
            variants.push(v);
            of_variant.push(i);
        }
    }
    let find_marker = match variants.is_empty() {
        true => None,
        false => match AhoCorasick::new(&variants) {
            Ok(a) => Some(a),
            Err(_) => return vec![],
        },
    };
    let marker_in = |hay: &[u8]| {
        find_marker
            .as_ref()
            .and_then(|a| a.find(hay))
            .map(|m| Hit::Marker(of_variant[m.pattern().as_usize()]))
    };
    // Each excluded page's own file, in lower case.
    let own_files: HashMap<String, usize> = excluded
        .iter()
        .map(|d| (format!("{}index.html", d.path).to_ascii_lowercase(), d.id))
        .collect();
    // Each excluded page by its path in the output, in lower case, for
    // the links in pages' attributes (resolved like a browser does).
    let by_path: HashMap<String, usize> = excluded
        .iter()
        .map(|d| (d.path.to_ascii_lowercase(), d.id))
        .collect();
    let own_host = host_of(&lib.output.base_url);
    // The last part of each excluded page's path (`staff-rota`): a link
    // whose last part is none of these leads to none of them, and most
    // links are ruled out by that without resolving them.
    let last_parts: std::collections::HashSet<String> = by_path
        .keys()
        .filter_map(|p| p.trim_end_matches('/').rsplit('/').next())
        .map(str::to_string)
        .collect();
    let display = crate::diagnostics::display_path(
        &lib.site.config.root,
        &lib.site.config.root.join(&lib.output.dir),
    );
    // The first problem in a file, if any.
    let find_in = |rel: &String| -> Option<Hit> {
        // File names count too: the excluded page's own file, or a marker
        // phrase in a name.
        if let Some(id) = own_files.get(&rel.to_ascii_lowercase()) {
            return Some(Hit::Address(*id, rel.clone()));
        }
        if let Some(hit) = marker_in(rel.as_bytes()) {
            return Some(hit);
        }
        let mut bytes = staging.read(rel);
        if rel.ends_with(".ics") {
            // Calendar lines are folded at 75 bytes: a long address is
            // split over two lines there.
            bytes = unfold(&bytes);
        }
        let top = Top {
            depth: rel.matches('/').count(),
            links: !rel.starts_with("search-index."),
            binary: is_binary(rel),
        };
        // Every match is looked at (overlapping ones too): a match that is
        // part of a longer address must not hide one that is whole.
        find_address
            .find_overlapping_iter(&bytes)
            .find_map(|m| {
                let i = m.pattern().as_usize();
                needles[i]
                    .iter()
                    .find(|a| whole(&bytes, m.start(), m.end(), &a.form, top))
                    .map(|a| Hit::Address(a.id, texts[i].clone()))
            })
            .or_else(|| {
                // Links in a page's attributes, resolved from the page's
                // folder: `../rota/` from a neighbour, `&#47;social&#47;rota/`,
                // `/social/%72ota/` — forms no text search finds.
                if !is_html(rel) {
                    return None;
                }
                let here = Here {
                    base_path: &lib.output.base_path,
                    host: &own_host,
                    dir: rel.rsplit_once('/').map_or("", |(dir, _)| dir),
                };
                let mut last = String::new();
                first_in_attributes(&bytes, |value| {
                    if !may_lead_to(value, &last_parts, &mut last) {
                        return None;
                    }
                    let path = resolve(value, &here)?;
                    by_path
                        .get(&path)
                        .map(|id| Hit::Address(*id, value.to_string()))
                })
            })
            .or_else(|| marker_in(&bytes))
    };
    let report = |rel: &String, hit: Hit| -> Diagnostic {
        let (leak, what) = match hit {
            Hit::Address(id, text) => {
                let d = &lib.site.docs[id];
                (
                    ids::LEAK_STAFF_ADDRESS,
                    format!(
                        "the address of {} ({text}), which is for {} only",
                        d.file,
                        d.audience.as_str()
                    ),
                )
            }
            Hit::Marker(i) => (
                ids::LEAK_STAFF_MARKER,
                format!("the staff marker phrase \"{}\"", markers[i]),
            ),
        };
        Diagnostic::error(leak, format!("leak check: {display}/{rel} contains {what}"))
            .at(Location::file_only(format!("{display}/{rel}")))
            .hint(format!(
                "nothing was published. The `{}` output leaves out staff pages, so this must not be in it: check the page or template that wrote it (a link, a hard-coded address, copied text)",
                lib.output.name
            ))
    };
    // Files on every core; the findings in file order.
    staging
        .files()
        .par_iter()
        .filter_map(|rel| find_in(rel).map(|hit| report(rel, hit)))
        .collect()
}

enum Hit {
    /// A document's address, as found.
    Address(usize, String),
    /// A marker phrase, by index.
    Marker(usize),
}

/// A marker phrase in the forms a page can hold it: as written, with the
/// smart punctuation a page's text gets (curly quotes, dashes, `…`), and
/// either HTML-escaped.
fn marker_variants(marker: &str) -> Vec<String> {
    let smart = crate::content::markdown::smart_text(marker);
    let mut out = vec![marker.to_string(), smart.clone()];
    for v in [marker, smart.as_str()] {
        // Escaped the way pages' HTML is (Tera and pulldown-cmark share
        // the same escaping).
        let mut escaped = vec![];
        if tera::escape_html(v, &mut escaped).is_ok() {
            out.push(String::from_utf8_lossy(&escaped).into_owned());
        }
    }
    out.sort();
    out.dedup();
    out.retain(|v| !v.is_empty());
    out
}

fn is_html(rel: &str) -> bool {
    rel.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm"))
}

/// The attributes that hold a link, and `data-` ones of the same names
/// (`data-src` of pictures loaded late).
const LINK_ATTRIBUTES: [&str; 9] = [
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "cite",
    "data",
    "content",
];

/// Calls `each` with every link-like value of those attributes in a page,
/// any letter case, with character references decoded (`&#47;` is `/`),
/// until it returns something. A `srcset` gives each of its addresses;
/// `content` only a `url=` in it (a meta refresh). Found from each `=`
/// (memchr: far quicker than matching names at every byte).
fn first_in_attributes<T>(bytes: &[u8], mut each: impl FnMut(&str) -> Option<T>) -> Option<T> {
    for eq in memchr::memchr_iter(b'=', bytes) {
        // The name, with spaces allowed before the `=` (`href = "…"`).
        let mut end = eq;
        while end > 0 && bytes[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        let mut start = end;
        while start > 0
            && (bytes[start - 1].is_ascii_alphabetic() || matches!(bytes[start - 1], b'-' | b':'))
        {
            start -= 1;
        }
        // After a space, a quote ending the attribute before (minified
        // HTML: `class="x"href=…`) or a `/` (`<a/href=…>`).
        if start == end
            || start == 0
            || !(bytes[start - 1].is_ascii_whitespace()
                || matches!(bytes[start - 1], b'"' | b'\'' | b'/'))
        {
            continue;
        }
        let name = &bytes[start..end];
        let Some(kind) = LINK_ATTRIBUTES.iter().find(|a| {
            let a = a.as_bytes();
            name.len() >= a.len()
                && name[name.len() - a.len()..].eq_ignore_ascii_case(a)
                && (name.len() == a.len() || matches!(name[name.len() - a.len() - 1], b'-' | b':'))
        }) else {
            continue;
        };
        let mut at = eq + 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let Some(raw) = value_at(bytes, at).and_then(|r| std::str::from_utf8(r).ok()) else {
            continue;
        };
        let text = decode_references(raw);
        let found = match *kind {
            "srcset" => text
                .split(',')
                .filter_map(|c| c.split_whitespace().next())
                .find_map(&mut each),
            "content" => {
                let lower = text.to_ascii_lowercase();
                lower
                    .find("url=")
                    .and_then(|i| each(text[i + 4..].trim().trim_matches(['\'', '"'])))
            }
            _ => each(&text),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The value of an attribute whose `=` ends at `at`: quoted, or up to the
/// next space or `>`.
fn value_at(bytes: &[u8], at: usize) -> Option<&[u8]> {
    let rest = &bytes[at..];
    match rest.first()? {
        q @ (b'"' | b'\'') => {
            let end = memchr::memchr(*q, &rest[1..])?;
            Some(&rest[1..1 + end])
        }
        _ => {
            let end = rest
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>')
                .unwrap_or(rest.len());
            Some(&rest[..end])
        }
    }
}

/// `&#47;`, `&#x2F;`, `&sol;`, `&amp;` and the like decoded; other text
/// as it is.
fn decode_references(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // A number may end without `;` (`&#47social`), as browsers read it.
        let numeric = rest[1..].strip_prefix('#').map(|n| {
            let hex = n.starts_with(['x', 'X']);
            let digits = n[usize::from(hex)..]
                .bytes()
                .take_while(|b| {
                    if hex {
                        b.is_ascii_hexdigit()
                    } else {
                        b.is_ascii_digit()
                    }
                })
                .count();
            let len = 2 + usize::from(hex) + digits;
            (
                len + usize::from(rest[len..].starts_with(';')),
                hex,
                &n[usize::from(hex)..usize::from(hex) + digits],
            )
        });
        if let Some((len, hex, digits)) = numeric
            && let Some(c) = u32::from_str_radix(digits, if hex { 16 } else { 10 })
                .ok()
                .and_then(char::from_u32)
        {
            out.push(c);
            rest = &rest[len..];
            continue;
        }
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        // A name (numbers are read above).
        let decoded = end.and_then(|e| {
            let c = match rest[1..e].to_ascii_lowercase().as_str() {
                "sol" => '/',
                "period" => '.',
                "colon" => ':',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                "lt" => '<',
                "gt" => '>',
                "num" => '#',
                "quest" => '?',
                _ => return None,
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Whether a link's last part (`staff-rota` of `../staff-rota/#x`) is one
/// of `last_parts`, or could become one once resolved (`..`, `.`, an
/// escape). `buf` is room for the lower-case part.
fn may_lead_to(
    link: &str,
    last_parts: &std::collections::HashSet<String>,
    buf: &mut String,
) -> bool {
    let link = as_browser_reads(link);
    let link = link.split(['#', '?']).next().unwrap_or("");
    // `#top` or `?page=2`: this very file, which is checked by its name.
    if link.is_empty() {
        return false;
    }
    let link = link.trim_end_matches('/');
    let link = match link.len().checked_sub("index.html".len()) {
        Some(cut)
            if link.is_char_boundary(cut) && link[cut..].eq_ignore_ascii_case("index.html") =>
        {
            link[..cut].trim_end_matches('/')
        }
        _ => link,
    };
    let part = link.rsplit('/').next().unwrap_or("");
    if part.is_empty() || part == "." || part == ".." || part.contains('%') {
        return true;
    }
    buf.clear();
    buf.push_str(part);
    buf.make_ascii_lowercase();
    last_parts.contains(buf.as_str())
}

/// Where a page is, to resolve its links: the output's base path and host,
/// and the page's folder in the output.
struct Here<'a> {
    base_path: &'a str,
    host: &'a str,
    dir: &'a str,
}

/// A link as a browser reads it: without spaces around it, tabs and line
/// breaks in it, and with `\\` as `/`.
fn as_browser_reads(link: &str) -> std::borrow::Cow<'_, str> {
    let link = link.trim();
    if link.contains(['\t', '\n', '\r', '\\']) {
        std::borrow::Cow::Owned(
            link.chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .map(|c| if c == '\\' { '/' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(link)
    }
}

/// The output path (lower case, `rota/` for `rota/index.html`) a link in a
/// page at `here` leads to, when it leads into this output.
fn resolve(link: &str, here: &Here<'_>) -> Option<String> {
    let link = as_browser_reads(link);
    let link = link.split(['#', '?']).next().unwrap_or("");
    if link.is_empty() {
        return None;
    }
    let lower = link.to_ascii_lowercase();
    // Another scheme (`mailto:`, `tel:`, `data:`) or another host: not an
    // address of this output.
    let path = if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .or_else(|| lower.strip_prefix("//"))
    {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let host = host_of_authority(authority);
        if host != here.host && !is_local(host) {
            return None;
        }
        let offset = link.len() - path.len();
        link[offset..].to_string()
    } else if lower
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.contains('/'))
    {
        return None;
    } else if link.starts_with('/') {
        link.to_string()
    } else {
        format!("{}{}/{link}", here.base_path, here.dir)
    };
    let path = crate::content::markdown::percent_decode(&path);
    // `.` and `..` pieces from the host's root, as a browser resolves them
    // (never above it), before the base path is looked for.
    let mut parts: Vec<&str> = vec![];
    for piece in path.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    if parts
        .last()
        .is_some_and(|p| p.eq_ignore_ascii_case("index.html"))
    {
        parts.pop();
    }
    // Under the base path: `/social/…`, not `/socialx/`.
    let base: Vec<&str> = here
        .base_path
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < base.len() || parts[..base.len()] != base[..] {
        return None;
    }
    let mut out = parts[base.len()..].join("/").to_ascii_lowercase();
    out.push('/');
    Some(out)
}

/// `intranet.example.nhs.uk` of `https://Intranet.example.nhs.uk:8443/comms/`.
fn host_of(base_url: &str) -> String {
    let rest = base_url.split_once("//").map_or(base_url, |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    host.to_ascii_lowercase()
}

/// Whether the address text found at `start..end`, in a file `depth`
/// folders down in the output, is a whole address of that form: it starts
/// where an address starts (not inside a longer path) and ends where one
/// ends (not going on into a longer path).
fn whole(bytes: &[u8], start: usize, end: usize, form: &Form, top: Top) -> bool {
    let before = start.checked_sub(1).map(|b| bytes[b]);
    let starts = match form {
        Form::Relative { .. } if top.binary => false,
        Form::Rooted {
            alone,
            any_host,
            host,
        } => {
            (*alone && !top.binary && opens(before))
                || host_before(bytes, start)
                    .is_some_and(|h| *any_host || is_local(h) || h.eq_ignore_ascii_case(host))
        }
        Form::Relative { slash } => match ups(bytes, start) {
            Some(up) => up == top.depth,
            // At the top, as a link (`href="rota/"`, `(rota/index.html)`),
            // not in a search index's text (`"h":["rota/"]` is a heading).
            None => {
                *slash
                    && top.depth == 0
                    && top.links
                    && opens(before)
                    && !before.is_some_and(|b| b.is_ascii_whitespace())
            }
        },
    };
    let folder = match form {
        Form::Rooted { .. } | Form::Relative { slash: true } => bytes[..end].ends_with(b"/"),
        Form::Relative { slash: false } => false,
    };
    starts && ends(bytes, end, folder)
}

/// Where in the output a file is: how many folders down, and whether its
/// text holds links (not the search index, which holds pages' text).
#[derive(Clone, Copy)]
struct Top {
    depth: usize,
    links: bool,
    /// A document or picture (PDF, Office, image, font): its bytes name
    /// their own parts (`/Resources` in a PDF), so only a full address
    /// with a host counts there (a PDF's link to a staff page).
    binary: bool,
}

/// Whether a file's name says it is not text.
fn is_binary(rel: &str) -> bool {
    const BINARY: [&str; 16] = [
        "pdf", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "woff", "woff2", "ttf", "otf",
        "docx", "xlsx", "pptx", "zip",
    ];
    rel.rsplit_once('.')
        .is_some_and(|(_, ext)| BINARY.iter().any(|b| ext.eq_ignore_ascii_case(b)))
}

/// This computer, or a network address: where `guidepost serve` previews
/// a site (`--bind 0.0.0.0` or a LAN address).
fn is_local(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// A calendar file's lines unfolded: a line break followed by a space or a
/// tab joins two lines (RFC 5545, 3.1).
fn unfold(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"\r\n ") || bytes[i..].starts_with(b"\r\n\t") {
            i += 3;
        } else if bytes[i..].starts_with(b"\n ") || bytes[i..].starts_with(b"\n\t") {
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// A character after which an address can start.
fn opens(b: Option<u8>) -> bool {
    matches!(
        b,
        None | Some(
            b'"' | b'\''
                | b' '
                | b'='
                | b'('
                | b'['
                | b'>'
                | b','
                | b';'
                | b':'
                | b'\n'
                | b'\r'
                | b'\t'
                | b'`'
        )
    )
}

/// The host of an address whose path starts at `start`: the text just
/// before it (`www.example.nhs.uk` of `https://www.example.nhs.uk:443`, of
/// `//www.example.nhs.uk` or of a bare `www.example.nhs.uk` in a sentence),
/// without a port or user; `None` when no host comes just before.
fn host_before(bytes: &[u8], start: usize) -> Option<&str> {
    let mut i = start;
    while i > 0
        && (bytes[i - 1].is_ascii_alphanumeric()
            || matches!(bytes[i - 1], b'.' | b'-' | b':' | b'@'))
    {
        i -= 1;
    }
    if i == start || !(bytes[..i].ends_with(b"//") || opens(i.checked_sub(1).map(|b| bytes[b]))) {
        return None;
    }
    let authority = std::str::from_utf8(&bytes[i..start]).ok()?;
    Some(host_of_authority(authority))
}

/// `www.example.nhs.uk` of `user@www.example.nhs.uk:8443`.
fn host_of_authority(authority: &str) -> &str {
    let host = authority.rsplit('@').next().unwrap_or(authority);
    host.split(':').next().unwrap_or(host)
}

/// How many folders up the `./` and `../` pieces that end `bytes[..at]`
/// go, if there are any and they start where an address can start.
fn ups(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    let mut up = 0;
    loop {
        if bytes[..i].ends_with(b"../") {
            i -= 3;
            up += 1;
        } else if bytes[..i].ends_with(b"./") {
            i -= 2;
        } else {
            break;
        }
    }
    (i < at && opens(i.checked_sub(1).map(|b| bytes[b]))).then_some(up)
}

/// Whether an address found ending at `end` ends there: it may go on with
/// `index.html` (`folder`: when it names the page's folder), an anchor or
/// a query, or end a sentence, but not go on into a longer path.
fn ends(bytes: &[u8], end: usize, folder: bool) -> bool {
    let rest = &bytes[end..];
    if folder && bytes[..end].ends_with(b"/") && rest.starts_with(b"index.html") {
        return ends(bytes, end + "index.html".len(), false);
    }
    match rest.first() {
        None => true,
        // The end of a sentence, not a file name (`rota/.` but not
        // `rota/.hidden`).
        Some(b'.' | b'!') => !rest.get(1).is_some_and(|b| b.is_ascii_alphanumeric()),
        Some(b) => matches!(
            b,
            b'"' | b'\''
                | b'#'
                | b'?'
                | b'<'
                | b'>'
                | b' '
                | b'\n'
                | b'\r'
                | b'\t'
                | b')'
                | b','
                | b']'
                | b'}'
                | b'&'
                | b'\\'
                | b'`'
                | b';'
                | b':'
                | b'|'
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_from_the_host_root_like_a_browser() {
        let top = Here {
            base_path: "/social/",
            host: "www.example.nhs.uk",
            dir: "",
        };
        let down = Here {
            dir: "advice/open",
            ..top
        };
        let r = |link: &str, here: &Here<'_>| resolve(link, here);
        assert_eq!(
            r("../staff-rota/", &down).as_deref(),
            Some("advice/staff-rota/")
        );
        // From a file at the top, `..` leaves the site.
        assert_eq!(r("../advice/staff-rota/", &top), None);
        assert_eq!(r("/socialx/rota/", &top), None);
        assert_eq!(r("/social", &top).as_deref(), Some("/"));
        assert_eq!(r("#top", &down), None);
        assert_eq!(r("?page=2", &down), None);
        assert_eq!(r("mailto:rota@example.nhs.uk", &down), None);
        assert_eq!(r("https://elsewhere.org/social/rota/", &down), None);
        let parts: std::collections::HashSet<String> = ["staff-rota".to_string()].into();
        let mut buf = String::new();
        assert!(!may_lead_to("#top", &parts, &mut buf));
        assert!(may_lead_to(" ../Staff-Rota/INDEX.html\n", &parts, &mut buf));
        assert!(!may_lead_to("../staff-rota-guide/", &parts, &mut buf));
        assert_eq!(
            decode_references("&#47social&#x2f;&sol;a&amp;b&zz;"),
            "/social//a&b&zz;"
        );
    }

    #[test]
    fn calendar_lines_are_unfolded() {
        assert_eq!(
            unfold(b"URL:https://www.example.nhs.uk/social/ro\r\n ta/\r\nEND"),
            b"URL:https://www.example.nhs.uk/social/rota/\r\nEND"
        );
        assert_eq!(unfold(b"A\n\tB\nC"), b"AB\nC");
    }

    #[test]
    fn hosts_are_found_before_an_address() {
        let t = b"x https://User@WWW.Example.nhs.uk:8443/social/rota/";
        let at = t.iter().position(|b| *b == b'/').unwrap() + 2;
        let path = at + t[at..].iter().position(|b| *b == b'/').unwrap();
        assert_eq!(host_before(t, path), Some("WWW.Example.nhs.uk"));
        let bare = b"see www.example.nhs.uk/rota/";
        assert_eq!(host_before(bare, 22), Some("www.example.nhs.uk"));
        let inside = b"/social/rota/";
        assert_eq!(host_before(inside, 7), None);
        assert_eq!(
            host_of("https://Intranet.Example.nhs.uk:8443/comms/"),
            "intranet.example.nhs.uk"
        );
    }
}
