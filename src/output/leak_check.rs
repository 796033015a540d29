//! The last line of defence for "nothing leaked": before an output that
//! excludes staff is swapped in, every file it is about to publish is read
//! back and searched for the address of any page it excludes and for the
//! site's staff marker phrases (site.yaml `staff_markers`). A hit fails the
//! build, so a template or a bug that slips staff material into a public
//! output never reaches the web server.

use aho_corasick::AhoCorasick;

use crate::config::Audience;
use crate::diagnostics::{Diagnostic, Location, ids};
use crate::site::library::Library;

enum Needle {
    /// An excluded page's address. Only a whole address counts, written
    /// where an address starts (so the public `/guidance/using-hashtags/`
    /// does not match a staff `/guidance/` section, nor the public
    /// `/guidance/rota/` a staff `/rota/` page).
    Address {
        id: usize,
        form: Form,
    },
    Marker(String),
}

/// How an address is written.
#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// From the host's root: `/social/rota/` (with any output's base path,
    /// or none).
    Rooted,
    /// With a host: `https://intranet.example.nhs.uk/comms/rota/`, for
    /// every output's address.
    Absolute,
    /// As a file: `rota/index.html` (relative links, file names).
    File,
}

/// Scans the staged output at `dir`. Returns one diagnostic per file and
/// problem found.
pub fn scan(lib: &Library<'_>, staging: &crate::output::Staging) -> Vec<Diagnostic> {
    if lib.output.includes(Audience::Staff) {
        return vec![];
    }
    let files = staging.files();
    let mut patterns: Vec<String> = vec![];
    let mut needles: Vec<Needle> = vec![];
    let outputs = &lib.site.config.outputs;
    for d in lib
        .site
        .docs
        .iter()
        .filter(|d| d.published && !lib.includes(d.id) && !d.path.is_empty())
    {
        let mut forms: Vec<(String, Form)> = vec![(lib.url(&d.path), Form::Rooted)];
        // Written without the base path, or with another output's.
        forms.push((format!("/{}", d.path), Form::Rooted));
        for o in outputs {
            let base = o.base_path.trim_end_matches('/');
            forms.push((format!("{base}/{}", d.path), Form::Rooted));
            let host = o.base_url.trim_end_matches('/');
            forms.push((format!("{host}/{}", d.path), Form::Absolute));
        }
        forms.push((format!("{}index.html", d.path), Form::File));
        forms.sort_by(|a, b| a.0.cmp(&b.0));
        forms.dedup_by(|a, b| a.0 == b.0);
        for (pattern, form) in forms {
            patterns.push(pattern);
            needles.push(Needle::Address { id: d.id, form });
        }
    }
    for m in &lib.site.config.staff_markers {
        patterns.push(m.clone());
        needles.push(Needle::Marker(m.clone()));
    }
    if patterns.is_empty() {
        return vec![];
    }
    let Ok(ac) = AhoCorasick::new(&patterns) else {
        return vec![];
    };
    let mut found = vec![];
    let display = crate::diagnostics::display_path(
        &lib.site.config.root,
        &lib.site.config.root.join(&lib.output.dir),
    );
    // Every match is looked at (overlapping ones too): a match that is
    // part of a longer address must not hide one that is whole.
    let whole = |bytes: &[u8], m: &aho_corasick::Match, depth: usize| -> bool {
        let i = m.pattern().as_usize();
        match &needles[i] {
            Needle::Marker(_) => true,
            Needle::Address { id, form } => {
                let bare = patterns[i].strip_prefix('/') == Some(&lib.site.docs[*id].path);
                address_starts(bytes, m.start(), *form, depth, bare)
                    && address_ends(bytes, m.end(), *form)
            }
        }
    };
    for rel in &files {
        // File names count too: the excluded page's own file, or a marker
        // phrase in a name.
        let name_hit = ac
            .find_overlapping_iter(rel.as_str())
            .find(|m| match &needles[m.pattern().as_usize()] {
                Needle::Marker(_) => true,
                Needle::Address { form, .. } => {
                    *form == Form::File && m.start() == 0 && m.end() == rel.len()
                }
            })
            .map(|m| m.pattern().as_usize());
        let bytes = staging.read(rel);
        let depth = rel.matches('/').count();
        let hit = name_hit.or_else(|| {
            ac.find_overlapping_iter(&bytes)
                .find(|m| whole(&bytes, m, depth))
                .map(|m| m.pattern().as_usize())
        });
        if let Some(i) = hit {
            let (leak, what) = match &needles[i] {
                Needle::Address { id, .. } => {
                    let d = &lib.site.docs[*id];
                    (
                        ids::LEAK_STAFF_ADDRESS,
                        format!(
                            "the address of {} ({}), which is for {} only",
                            d.file,
                            patterns[i],
                            d.audience.as_str()
                        ),
                    )
                }
                Needle::Marker(m) => (
                    ids::LEAK_STAFF_MARKER,
                    format!("the staff marker phrase \"{m}\""),
                ),
            };
            found.push(
                Diagnostic::error(leak, format!("leak check: {display}/{rel} contains {what}"))
                    .at(Location::file_only(format!("{display}/{rel}")))
                    .hint(format!(
                        "nothing was published. The `{}` output leaves out staff pages, so this must not be in it: check the page or template that wrote it (a link, a hard-coded address, copied text)",
                        lib.output.name
                    )),
            );
        }
    }
    found
}

/// Whether an address found at `start`, in a file `depth` folders down
/// in the output, begins where an address can begin: after a quote, a
/// space, `=`, `(` and the like — not inside a longer path or another
/// site's address. A relative address (`../rota/`, `rota/index.html`)
/// counts when, from this file's folder, it is the excluded page's.
/// `bare`: the found text is the page's address without any base path.
fn address_starts(bytes: &[u8], start: usize, form: Form, depth: usize, bare: bool) -> bool {
    let before = start.checked_sub(1).map(|b| bytes[b]);
    match form {
        Form::Absolute => !before.is_some_and(|b| b.is_ascii_alphanumeric()),
        // `/rota/`, or `../rota/` (its `/` ends the `..`).
        Form::Rooted => {
            opens(before) || (bare && before == Some(b'.') && ups(bytes, start + 1) == Some(depth))
        }
        // `rota/index.html` at the top, `../../rota/index.html` lower down.
        Form::File => (opens(before) && depth == 0) || ups(bytes, start) == Some(depth),
    }
}

/// A character after which an address can start.
fn opens(b: Option<u8>) -> bool {
    matches!(
        b,
        None | Some(b'"' | b'\'' | b' ' | b'=' | b'(' | b'[' | b'>' | b',' | b'\n' | b'\r' | b'\t')
    )
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

/// Whether an address found ending at `end` ends there: the page's
/// address (ending in `/`) may go on with `index.html`, an anchor or a
/// query, but not with more path.
fn address_ends(bytes: &[u8], end: usize, form: Form) -> bool {
    let rest = &bytes[end..];
    if form != Form::File && rest.starts_with(b"index.html") {
        return address_ends(bytes, end + "index.html".len(), Form::File);
    }
    matches!(
        rest.first(),
        None | Some(
            b'"' | b'\'' | b'#' | b'?' | b'<' | b' ' | b'\n' | b'\r' | b')' | b',' | b']' | b'\t'
        )
    )
}
