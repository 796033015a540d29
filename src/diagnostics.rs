//! Problems found in a build, as values with source locations.
//!
//! Every stage (config, content, links, templates, output) reports into a
//! [`Diagnostics`] list instead of stopping at the first problem, so a comms
//! officer sees everything wrong with their change in one go. Rendering to
//! text happens once, here, so the terminal and any other front end (the
//! browser overlay of `serve`) show the same words.
//!
//! Every diagnostic has an [`Id`] from [`ids`], shown at the end of its
//! first line (`… [missing-title]`) and explained under that heading in
//! docs/troubleshooting.md.

pub mod ids;

use std::fmt;
use std::ops::Range;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

pub use ids::Id;

/// Printed once after a list of messages, so readers know where the ids
/// lead.
pub const LOOK_UP_IDS: &str = "Look up the [id] at the end of a message in Guidepost's docs/troubleshooting.md to see what it means and what to do.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Worth knowing, never a failure (a review date coming up).
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// Where a problem is: a file, a 1-based line and column, and the text of
/// that line so the report can underline the offending part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path shown to the user, relative to the site root (`content/x.md`).
    pub file: String,
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    /// The whole source line (without its newline), when known.
    pub line_text: Option<String>,
    /// Byte range within `line_text` to underline.
    pub underline: Range<usize>,
}

impl Location {
    /// A location for a file with no useful line (a missing file, say).
    pub fn file_only(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: 0,
            col: 0,
            line_text: None,
            underline: 0..0,
        }
    }

    /// The location of `len` bytes at byte `offset` of `source`.
    pub fn at_offset(file: impl Into<String>, source: &str, offset: usize, len: usize) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[offset..]
            .find('\n')
            .map_or(source.len(), |i| offset + i);
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let line = source[..offset].bytes().filter(|b| *b == b'\n').count() + 1;
        let col = source[line_start..offset].chars().count() + 1;
        let start = offset - line_start;
        let end = floor_char_boundary(line_text, (start + len.max(1)).min(line_text.len()));
        Location {
            file: file.into(),
            line,
            col,
            line_text: Some(line_text.to_string()),
            underline: start.min(line_text.len())..end.max(start.min(line_text.len())),
        }
    }

    /// The location of a 1-based line and column of `source`.
    pub fn at_line_col(
        file: impl Into<String>,
        source: &str,
        line: usize,
        col: usize,
        len: usize,
    ) -> Self {
        let mut offset = 0;
        for (i, l) in source.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let byte_col: usize = l
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum();
                return Location::at_offset(file, source, offset + byte_col, len);
            }
            offset += l.len();
        }
        Location::at_offset(file, source, source.len(), len)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem this is (`missing-title`): shown with the
    /// message, and the heading to look up in docs/troubleshooting.md.
    pub id: Id,
    pub location: Option<Location>,
    /// What is wrong, in plain English.
    pub message: String,
    /// A short label under the underlined text.
    pub label: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
    /// Extra context, e.g. which page was being rendered.
    pub note: Option<String>,
    /// How many more places hit the very same problem (one broken
    /// template fails every page that uses it: say it once).
    pub repeats: usize,
}

impl Diagnostic {
    /// A problem that stops the build. `id` says which kind of problem it
    /// is: one of [`ids`].
    pub fn error(id: Id, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            id,
            location: None,
            message: message.into(),
            label: None,
            hint: None,
            note: None,
            repeats: 0,
        }
    }

    /// Worth knowing, never a failure.
    pub fn note_level(id: Id, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(id, message)
        }
    }

    /// A problem that does not stop the build.
    pub fn warning(id: Id, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(id, message)
        }
    }

    /// The `check` rule this is a finding of, when its id is a rule's
    /// (`review-overdue`). Only rule findings can be switched off with
    /// `check: { disable: [...] }`, and only the rules that allow it; any
    /// other id is for looking the message up, never for switching it off.
    pub fn rule(&self) -> Option<&'static str> {
        let id = self.id.as_str();
        crate::check::rules::is_rule(id).then_some(id)
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `content/x.md:4:12` (or just the file, or nothing).
    pub fn position(&self) -> Option<String> {
        self.location.as_ref().map(|l| match (l.line, l.col) {
            (0, _) => l.file.clone(),
            (line, 0) => format!("{}:{line}", l.file),
            (line, col) => format!("{}:{line}:{col}", l.file),
        })
    }

    /// The report as plain text: the same words everywhere it is shown.
    pub fn render(&self) -> String {
        let message = format!("{} [{}]", self.message, self.id);
        let title = match self.position() {
            Some(pos) => format!("{pos}: {message}"),
            None => message,
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let mut group = Group::with_title(level.primary_title(title.as_str()));
        if let Some(loc) = &self.location
            && let Some(text) = &loc.line_text
        {
            let mut annotation = AnnotationKind::Primary.span(loc.underline.clone());
            if let Some(label) = &self.label {
                annotation = annotation.label(label.as_str());
            }
            group = group.element(
                Snippet::source(text.as_str())
                    .line_start(loc.line)
                    .annotation(annotation),
            );
        }
        let note = match (&self.note, self.repeats) {
            (Some(n), 0) => Some(n.clone()),
            (Some(n), r) => Some(format!(
                "{n}, and {r} more {}",
                if r == 1 { "time" } else { "times" }
            )),
            (None, _) => None,
        };
        if let Some(note) = &note {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        let report: [Group; 1] = [group];
        Renderer::plain().render(&report)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// The problems of one build, collected from every stage.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        // The same problem can be found once per output (a broken template,
        // say); saying it twice helps nobody.
        if self.items.contains(&d) {
            return;
        }
        if let Some(same) = self.items.iter_mut().find(|x| {
            x.severity == d.severity
                && x.id == d.id
                && x.message == d.message
                && x.location == d.location
                && x.note.is_some()
                && d.note.is_some()
        }) {
            same.repeats += 1;
            return;
        }
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for d in other {
            self.push(d);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn note_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Note)
            .count()
    }

    /// Drops the findings of switched-off rules.
    pub fn retain(&mut self, keep: impl Fn(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then line, errors before warnings on the same line,
    /// so a report reads top to bottom like the files do.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            let ka = a
                .location
                .as_ref()
                .map(|l| (l.file.as_str(), l.line, l.col));
            let kb = b
                .location
                .as_ref()
                .map(|l| (l.file.as_str(), l.line, l.col));
            ka.cmp(&kb).then(a.severity.cmp(&b.severity))
        });
        v
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// A path for messages: relative to the site root, with forward slashes.
pub fn display_path(root: &Path, path: &Path) -> String {
    // Every page's file name goes through here twice: a plain
    // `root/rest` (UTF-8, no empty, `.` or `..` parts) is cut by its
    // bytes; `Path::strip_prefix` compares component by component.
    if let (Some(r), Some(p)) = (root.to_str(), path.to_str())
        && let Some(rest) = p.strip_prefix(r).and_then(|x| x.strip_prefix('/'))
        && !r.is_empty()
        && !r.ends_with('/')
        && !rest.contains('\\')
        && !rest
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return rest.to_string();
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_cut_by_bytes_match_path_components() {
        let slow = |root: &Path, path: &Path| {
            let rel = path.strip_prefix(root).unwrap_or(path);
            rel.to_string_lossy().replace('\\', "/")
        };
        for (root, path) in [
            ("/site", "/site/content/a.md"),
            ("/site", "/site/content/deep/er/b.md"),
            ("/site/", "/site/content/a.md"),
            ("/site", "/sites/content/a.md"),
            ("/site", "/site"),
            ("/site", "/site/"),
            ("/site", "/site//content/a.md"),
            ("/site", "/site/./content/a.md"),
            ("/site", "/site/content/../a.md"),
            ("/site", "/site/content/a.md/"),
            ("/site", "/site/content/.hidden/a.md"),
            ("/site/.", "/site/./content/a.md"),
            ("site", "site/content/a b.md"),
            ("", "content/a.md"),
            ("/other", "/site/content/a.md"),
            ("/site", "/site/content/back\\slash.md"),
        ] {
            let (root, path) = (Path::new(root), Path::new(path));
            assert_eq!(
                display_path(root, path),
                slow(root, path),
                "{root:?} {path:?}"
            );
        }
    }

    #[test]
    fn location_from_offset_counts_lines_and_chars() {
        let src = "---\ntitle: Café\nbad: [x\n";
        let off = src.find("[x").unwrap();
        let loc = Location::at_offset("content/a.md", src, off, 2);
        assert_eq!((loc.line, loc.col), (3, 6));
        assert_eq!(loc.line_text.as_deref(), Some("bad: [x"));
        let loc = Location::at_line_col("content/a.md", src, 2, 8, "Café".len());
        assert_eq!(
            &loc.line_text.as_deref().unwrap()[loc.underline.clone()],
            "Café"
        );
    }

    #[test]
    fn render_names_file_line_and_hint() {
        let src = "See [the rules](rules.md).\n";
        let d = Diagnostic::error(
            ids::BROKEN_LINK,
            "this link points to a page that does not exist",
        )
        .at(Location::at_offset("content/a.md", src, 4, 21))
        .label("no file content/rules.md")
        .hint("check the file name");
        let text = d.render();
        assert!(
            text.contains("error: content/a.md:1:5: this link points to a page that does not exist [broken-link]"),
            "{text}"
        );
        assert_eq!(d.rule(), None);
        assert!(text.contains("See [the rules](rules.md)."), "{text}");
        assert!(text.contains("^^^^"), "{text}");
        assert!(text.contains("help: check the file name"), "{text}");
    }

    #[test]
    fn rule_findings_are_known_by_their_id() {
        let d = Diagnostic::warning(ids::LINK_TEXT, "the link text \"here\" says nothing");
        assert_eq!(d.rule(), Some("link-text"));
        assert!(
            d.render().ends_with("says nothing [link-text]"),
            "{}",
            d.render()
        );
    }
}
