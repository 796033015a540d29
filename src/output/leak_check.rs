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
    /// An excluded page's address; only a whole address counts (so the
    /// public `/guidance/using-hashtags/` does not match a staff
    /// `/guidance/` section).
    Address(usize),
    Marker(String),
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
    for d in lib
        .site
        .docs
        .iter()
        .filter(|d| d.published && !lib.includes(d.id) && !d.path.is_empty())
    {
        patterns.push(lib.url(&d.path));
        needles.push(Needle::Address(d.id));
        patterns.push(format!("{}index.html", d.path));
        needles.push(Needle::Address(d.id));
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
    for rel in &files {
        // File names count too: a copied attachment named after a staff page.
        let name_hit = ac.find(rel.as_str()).map(|m| m.pattern().as_usize());
        let bytes = staging.read(rel);
        let hit = name_hit.or_else(|| {
            ac.find_iter(&bytes).find_map(|m| {
                let i = m.pattern().as_usize();
                match &needles[i] {
                    Needle::Marker(_) => Some(i),
                    Needle::Address(_) => {
                        let before = m.start().checked_sub(1).map(|b| bytes[b]);
                        let after = bytes.get(m.end()).copied();
                        let starts_ok = patterns[i].starts_with('/')
                            || matches!(
                                before,
                                None | Some(b'/' | b'"' | b'\'' | b'.' | b' ' | b'=')
                            );
                        let ends_ok = matches!(
                            after,
                            None | Some(
                                b'"' | b'\''
                                    | b'#'
                                    | b'?'
                                    | b'<'
                                    | b' '
                                    | b'\n'
                                    | b'\r'
                                    | b')'
                                    | b','
                            )
                        );
                        (starts_ok && ends_ok).then_some(i)
                    }
                }
            })
        });
        if let Some(i) = hit {
            let (leak, what) = match &needles[i] {
                Needle::Address(id) => {
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
