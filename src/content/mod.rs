//! Content: the files under content/, read and parsed into [`Document`]s.
//!
//! `load` walks the folder and reads the files, `front_matter` types the
//! YAML at the top of each, `markdown` renders the body. Nothing here knows
//! about outputs or URLs; that is the site model's job.

pub mod accounts;
pub mod campaign;
pub mod dates;
pub mod front_matter;
pub mod load;
pub mod markdown;
pub mod platforms;
pub mod poster;

use std::path::PathBuf;

use crate::config::Audience;
use front_matter::FrontMatter;
use markdown::Rendered;

/// `slug::slugify`, with the answer straight away for text that already
/// is a slug (lower-case letters and digits in words joined by single
/// hyphens): most file names, folder names and tags are, and the crate's
/// transliteration pass was half a percent of a build.
pub fn slugify(s: &str) -> String {
    slug_of(s).into_owned()
}

/// [`slugify`], borrowing `s` when it already is a slug (most tags are).
pub fn slug_of(s: &str) -> std::borrow::Cow<'_, str> {
    let b = s.as_bytes();
    let already = !b.is_empty()
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && !s.contains("--");
    if already {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(slug::slugify(s))
    }
}

/// What sort of page a document is; decides its default template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Page,
    Guidance,
    Campaign,
    Poster,
    Section,
}

impl Kind {
    /// Pages in these top-level folders get that folder's kind.
    pub fn from_folder(top: &str) -> Kind {
        match top {
            "guidance" => Kind::Guidance,
            "campaigns" => Kind::Campaign,
            "posters" => Kind::Poster,
            _ => Kind::Page,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Guidance => "guidance",
            Kind::Campaign => "campaign",
            Kind::Poster => "poster",
            Kind::Section => "section",
        }
    }
}

/// One Markdown file: a page, or a section (`_index.md`).
#[derive(Debug, Clone)]
pub struct Document {
    pub id: usize,
    pub is_section: bool,
    /// Path for messages: `content/guidance/x.md`.
    pub file: String,
    pub abs_path: PathBuf,
    /// Path within content/: `guidance/x.md`.
    pub content_rel: String,
    /// Folder within content/ holding the file: `guidance` (or ``).
    pub dir_rel: String,
    /// The file as read (front matter and body), or only its front matter
    /// once the body is rendered ([`load::Bodies::Drop`]).
    pub text: Releasable,
    /// The length of the file as read, and a hash of it when the body is
    /// dropped after rendering ([`source_hash`]), to know the file again.
    pub source_len: usize,
    pub source_hash: u64,
    pub body_offset: usize,
    pub fm: FrontMatter,
    pub kind: Kind,
    /// Resolved: own front matter → nearest section that says → default.
    pub audience: Audience,
    pub slug: String,
    /// Site path without leading slash, with trailing slash: `guidance/x/`;
    /// empty for the home page.
    pub path: String,
    /// The section this page is listed in (for a section: its parent).
    pub parent: Option<usize>,
    /// Built at all (not a draft, inside its publish/expires window).
    pub published: bool,
    pub unpublished_reason: Option<&'static str>,
    pub rendered: Rendered,
    /// Index in `rendered.links` of the front matter `image`, when it is a
    /// local file.
    pub image_link: Option<usize>,
    /// A campaign page's campaign fields.
    pub campaign: Option<campaign::Campaign>,
    /// A poster page's poster fields.
    pub poster: Option<poster::Poster>,
    /// Width and height of the front matter `image`, read from the file.
    pub image_size: Option<(u32, u32)>,
}

impl Document {
    /// Where a link of this page was written, for a message. A link of
    /// the body points into the source; when the body was dropped after
    /// rendering ([`load::Bodies::Drop`]) or the text freed, the file is
    /// read again, and if it is not the file that was built (length or
    /// hash differ: it was edited meanwhile), the message names the file
    /// without a line rather than underline whatever is there now.
    pub fn body_location(&self, link: &markdown::LinkRef) -> crate::diagnostics::Location {
        if let markdown::LinkAt::Known(l) = &link.at {
            return (**l).clone();
        }
        let kept = self.text.get();
        if let Some(text) = kept.if_kept()
            && text.len() == self.source_len
        {
            return link.location(&self.file, text);
        }
        drop(kept);
        match std::fs::read_to_string(&self.abs_path) {
            Ok(s) if s.len() == self.source_len && source_hash(&s) == self.source_hash => {
                link.location(&self.file, &s)
            }
            _ => crate::diagnostics::Location::file_only(&self.file),
        }
    }

    /// The summary text used when no description is given.
    pub fn description(&self) -> Option<&str> {
        self.fm
            .description
            .as_deref()
            .or(self.rendered.summary_text.as_deref())
    }
}

/// A hash of a page's source, to know it again when it is read a second
/// time for a message (fixed keys: the same text, the same hash).
pub fn source_hash(text: &str) -> u64 {
    ahash::RandomState::with_seeds(0x6770, 0x7374, 0x7061, 0x6765).hash_one(text)
}

/// A large string (a page's source, its rendered HTML) that a one-shot
/// build frees as soon as no later step needs it: on a 10,000-page site the
/// two hold over 100 MB until the end of the build otherwise. `watch` keeps
/// them for the next rebuild and never frees them.
///
/// Reading a freed string is a bug in the build's order of steps, so it
/// panics rather than quietly giving an empty page.
#[derive(Debug)]
pub struct Releasable(std::sync::RwLock<Option<String>>);

/// Read access to a [`Releasable`]; derefs to the string.
pub struct ReleasableRef<'a>(std::sync::RwLockReadGuard<'a, Option<String>>);

impl ReleasableRef<'_> {
    /// The string, or `None` once freed (for a message that can do
    /// without it).
    pub fn if_kept(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl std::ops::Deref for ReleasableRef<'_> {
    type Target = String;
    fn deref(&self) -> &String {
        self.0
            .as_ref()
            .expect("a released page text was read: the build frees it too early")
    }
}

impl Releasable {
    pub fn new(s: String) -> Self {
        Releasable(std::sync::RwLock::new(Some(s)))
    }

    pub fn get(&self) -> ReleasableRef<'_> {
        ReleasableRef(self.0.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Frees the string; reading it afterwards panics.
    pub fn release(&self) {
        let taken = self.0.write().unwrap_or_else(|e| e.into_inner()).take();
        drop(taken);
    }
}

impl Default for Releasable {
    fn default() -> Self {
        Releasable::new(String::new())
    }
}

impl Clone for Releasable {
    fn clone(&self) -> Self {
        Releasable(std::sync::RwLock::new(
            self.0.read().unwrap_or_else(|e| e.into_inner()).clone(),
        ))
    }
}

impl From<String> for Releasable {
    fn from(s: String) -> Self {
        Releasable::new(s)
    }
}

impl std::fmt::Display for ReleasableRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::Releasable;

    #[test]
    fn slugs_are_what_the_slug_crate_makes() {
        for s in [
            "flu-jab",
            "using-x-2026",
            "a",
            "0",
            "",
            "-lead",
            "trail-",
            "two--dashes",
            "Capital",
            "with space",
            "café",
            "under_score",
            "x.y",
            "ŁÓDŹ-ünïcödé",
        ] {
            assert_eq!(super::slugify(s), slug::slugify(s), "{s:?}");
            // Borrowed exactly when the text already is its slug.
            let cow = super::slug_of(s);
            assert_eq!(cow, slug::slugify(s), "{s:?}");
            assert_eq!(
                matches!(cow, std::borrow::Cow::Borrowed(_)),
                ["flu-jab", "using-x-2026", "a", "0"].contains(&s),
                "{s:?}"
            );
        }
    }

    #[test]
    fn a_new_or_default_text_is_readable() {
        assert_eq!(*Releasable::default().get(), "");
        assert_eq!(*Releasable::new("body".into()).get(), "body");
    }

    #[test]
    #[should_panic(expected = "released page text was read")]
    fn reading_a_released_text_panics() {
        let t = Releasable::new("page".into());
        let copy = t.clone();
        t.release();
        assert_eq!(*copy.get(), "page", "a clone keeps its own text");
        let _ = t.get().len();
    }
}
