//! Markdown to HTML, once per page, whatever the output.
//!
//! Links to other pages and to local files cannot be written yet: their URL
//! depends on the output (base path, relative URLs) and whether the target
//! is in that output at all. They are written as placeholders
//! (`gp-ref:N:`) and recorded in [`Rendered::links`]; the site stage checks
//! them and each output fills them in (see `site::links`).

use std::path::Path;

use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::diagnostics::{Diagnostic, Diagnostics, Id, Location, ids};

/// How much of a page's text the search index keeps (bytes, roughly 150
/// words): enough to find a page by what it is about while keeping the
/// index small enough to download on a phone.
pub const PLAIN_TEXT_LIMIT: usize = 1000;

pub const PLACEHOLDER_PREFIX: &str = "gp-ref:";

/// `gp-ref:N:`, written without `format!` (one for every link of every
/// page), into pulldown-cmark's inline string (up to 22 bytes: no heap
/// allocation; only a link number of more than 14 digits would need one).
fn placeholder_text(n: usize) -> CowStr<'static> {
    let mut buf = [0u8; PLACEHOLDER_PREFIX.len() + 21];
    buf[..PLACEHOLDER_PREFIX.len()].copy_from_slice(PLACEHOLDER_PREFIX.as_bytes());
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut len = PLACEHOLDER_PREFIX.len();
    for &d in &digits[i..] {
        buf[len] = d;
        len += 1;
    }
    buf[len] = b':';
    let text = std::str::from_utf8(&buf[..=len]).expect("ASCII digits");
    match pulldown_cmark::InlineStr::try_from(text) {
        Ok(inline) => CowStr::Inlined(inline),
        Err(_) => CowStr::Boxed(text.into()),
    }
}

/// File types a page may link to; they are copied into the outputs that
/// include the page, and the link text says their type and size.
pub const DOCUMENT_TYPES: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "csv", "txt", "rtf",
    "zip", "jpg", "jpeg", "png", "gif", "svg", "webp", "mp3", "mp4",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// Another page, by its content-relative source path (`guidance/x.md`).
    Page {
        target: String,
        anchor: Option<String>,
        /// The target's document id, set by the site model (`site::build`)
        /// for that site; `None` before, and when no page has that source
        /// path. Every later step (checks, URLs) reads it instead of
        /// looking the path up again: three hash lookups per link.
        doc: Option<usize>,
    },
    /// `#anchor` on the same page.
    SelfAnchor(String),
    /// A local file, by content-relative path, copied into the output.
    File { target: String },
    /// A site address written as `/guidance/x/`; the site model turns it
    /// into `Page` when a page has that address.
    SitePath {
        path: String,
        anchor: Option<String>,
    },
    /// A file of the site's static/ folder, by output-relative path.
    Static { path: String },
    /// `#Hashtag` in text: its page, by lower-case name without `#`.
    Hashtag(String),
}

#[derive(Debug, Clone)]
pub struct LinkRef {
    pub kind: LinkKind,
    pub at: LinkAt,
}

/// Where a link was written. Most links never need a message, so a link in
/// the body keeps only its byte range; the line and column are worked out
/// when a message is made (counting lines for every link of every page was
/// a measurable share of a build).
#[derive(Debug, Clone)]
pub enum LinkAt {
    /// `len` bytes at byte `start` of the document's source text.
    Source { start: usize, len: usize },
    /// A front matter value, already located.
    Known(Box<Location>),
}

impl LinkRef {
    pub fn known(kind: LinkKind, location: Location) -> Self {
        LinkRef {
            kind,
            at: LinkAt::Known(Box::new(location)),
        }
    }

    /// The link's location in `text`, the source of the file `file`.
    pub fn location(&self, file: &str, text: &str) -> Location {
        match &self.at {
            LinkAt::Source { start, len } => Location::at_offset(file, text, *start, *len),
            LinkAt::Known(l) => (**l).clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML with `gp-ref:N:` placeholders in href/src attributes.
    pub html: crate::content::Releasable,
    pub headings: Vec<Heading>,
    /// Indexed by placeholder number; self-anchors are here too (unnumbered use).
    pub links: Vec<LinkRef>,
    pub word_count: usize,
    /// Content-rule findings (`guidepost check` reports them; `build` does not).
    pub lints: Vec<Diagnostic>,
    /// Hashtags written in the text, as written (`#SoMeWeek`).
    pub hashtags: Vec<String>,
    /// The start of the body as plain text, for the search index.
    pub plain: String,
    /// The first paragraph as HTML (with placeholders).
    pub summary: Option<String>,
    /// The first paragraph as plain text, for a description fallback.
    pub summary_text: Option<String>,
}

pub struct Input<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub body: &'a str,
    pub body_offset: usize,
    /// Content-relative folder of the page's file (`guidance`, or `` at the top).
    pub dir_rel: &'a str,
    pub content_dir: &'a Path,
    /// The site's static/ folder, for `/`-rooted file links.
    pub static_dir: Option<&'a Path>,
    /// Linked files larger than this are an error.
    pub max_file_size: u64,
    /// Checks of linked files, shared by all pages (many link the same file).
    pub files: &'a FileCache,
    /// For `@handle` links: the directory first, then the default platform.
    pub accounts: Option<&'a crate::content::accounts::Accounts>,
    pub default_platform: Option<&'a crate::content::platforms::Platform>,
    /// Whether `#Hashtag` in text becomes a link (site.yaml `features`).
    pub hashtags: bool,
    /// Whether the start of the text is kept for the search index
    /// ([`Rendered::plain`]); without search, nothing reads it.
    pub search: bool,
    /// Whether words are counted ([`Rendered::word_count`]; 0 otherwise).
    pub words: bool,
    /// Whether the first paragraph is kept ([`Rendered::summary`] and
    /// [`Rendered::summary_text`]; `None` otherwise).
    pub summary: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A phrase's text as a page shows it: with the smart punctuation Markdown
/// gets here (`don't` → `don’t`, `--` → `–`), no markup.
pub fn smart_text(text: &str) -> String {
    Parser::new_ext(text, options())
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.into_string()),
            Event::SoftBreak | Event::HardBreak => Some(" ".to_string()),
            _ => None,
        })
        .collect()
}

/// Markdown for template filters: no link checking, no placeholders.
pub fn render_simple(text: &str) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, Parser::new_ext(text, options()));
    out
}

struct State<'a, 'i> {
    input: &'i Input<'a>,
    rendered: Rendered,
    ids: ahash::AHashSet<String>,
    diags: Diagnostics,
    /// Text appended to the link being closed (attachment type and size).
    link_suffix: Vec<Option<String>>,
    in_image: usize,
    in_code: bool,
    /// Width and height of the image being rendered, read from its file.
    image_dims: Option<(u32, u32)>,
    /// The image whose alt text is being collected.
    image: Option<PendingImage>,
    /// Links being read: where, and their text so far.
    link_stack: Vec<(std::ops::Range<usize>, String)>,
    /// The last character of the previous text event, so `C#` split over
    /// two events is still not a hashtag.
    prev_char: Option<char>,
    /// The page's events after mapping, in order, for the HTML writer.
    /// Each event is moved once into here and once out: events are large
    /// (80 bytes), and copying them between buffers was a measurable
    /// share of a build.
    out: Vec<Event<'a>>,
    /// Depth of block containers (lists, quotes, tables, alerts): the
    /// summary is the first paragraph outside them.
    block_depth: usize,
    /// The heading being read: where its start event is in `out` (its id
    /// is written there at its end), and what is needed for the id.
    heading: Option<OpenHeading>,
    /// The source range of the last heading start, for its lint.
    heading_range: std::ops::Range<usize>,
    /// The page title is the h1; the body starts at h2.
    previous_level: u8,
    /// The first top-level paragraph: where it starts in `out`, and its
    /// text so far.
    summary: Option<(usize, String)>,
    summary_done: bool,
}

struct OpenHeading {
    at: usize,
    explicit: Option<String>,
    text: String,
}

pub fn render(input: &Input<'_>) -> (Rendered, Diagnostics) {
    let mut st = State {
        input,
        // The start of the text is kept for the search index:
        // room for it up front instead of growing it eight times.
        rendered: Rendered {
            plain: if input.search {
                String::with_capacity(PLAIN_TEXT_LIMIT + 128)
            } else {
                String::new()
            },
            ..Rendered::default()
        },
        ids: Default::default(),
        diags: Diagnostics::new(),
        link_suffix: vec![],
        in_image: 0,
        in_code: false,
        image_dims: None,
        image: None,
        link_stack: vec![],
        prev_char: None,
        // Sized for the page up front (roughly an event per 8 bytes of
        // Markdown): growing it a page at a time copied every event many
        // times.
        out: Vec::with_capacity(input.body.len() / 8 + 16),
        block_depth: 0,
        heading: None,
        heading_range: 0..0,
        previous_level: 1,
        summary: None,
        // Nothing to follow when no summary is wanted.
        summary_done: !input.summary,
    };
    for (event, range) in Parser::new_ext(input.body, options()).into_offset_iter() {
        if matches!(event, Event::Start(Tag::Heading { .. })) {
            st.heading_range = range.clone();
        }
        st.map_event(event, range);
    }
    let mut html = String::with_capacity(input.body.len() * 3 / 2);
    let out = std::mem::take(&mut st.out);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // Kept until the page is written: no spare capacity.
    html.shrink_to_fit();
    st.rendered.html = html.into();
    let plain = st.rendered.plain.trim_end();
    let mut cut = plain.len().min(PLAIN_TEXT_LIMIT);
    while !plain.is_char_boundary(cut) {
        cut -= 1;
    }
    st.rendered.plain = plain[..cut].to_string();
    (st.rendered, st.diags)
}

/// Part of a text event: a slice of the Markdown source when the text is
/// one (most are), so splitting text around hashtags copies nothing.
fn piece<'a>(text: &CowStr<'a>, r: std::ops::Range<usize>) -> CowStr<'a> {
    match text {
        CowStr::Borrowed(s) => CowStr::Borrowed(&s[r]),
        other => other[r].to_string().into(),
    }
}

/// The id of a footnote's text, from its label: `fn-` and the label, with
/// spaces as hyphens (an id has no spaces).
fn footnote_id(label: &str) -> String {
    let mut id = String::with_capacity(label.len() + 3);
    id.push_str("fn-");
    id.extend(
        label
            .chars()
            .map(|c| if c.is_whitespace() { '-' } else { c }),
    );
    id
}

/// Words in `t`: runs of non-space characters. Most text is ASCII: there a
/// word starts wherever a space is followed by a non-space, found eight
/// bytes at a time with integer arithmetic (no per-byte branches). The
/// last few bytes are padded with spaces into one more step, and whether
/// the text is ASCII is learnt in the same pass: text events are short
/// (about 36 bytes), so a byte loop for the tail and a second pass cost
/// as much as the arithmetic.
fn word_count(t: &str) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // 0x01 in each byte that is an ASCII space as `split_whitespace` sees
    // it: space, or tab to carriage return (9 to 13). Exact for bytes
    // below 0x80. Other bytes reach it too (a chunk is looked at before
    // the text is known to be ASCII): the sums wrap, and the answer is
    // thrown away — such text is counted by `split_whitespace` below.
    fn spaces(x: u64) -> u64 {
        let t = x ^ (ONES * u64::from(b' '));
        let is_space = !((((t & !HIGH) + !HIGH) | t) | !HIGH);
        let from_tab = x.wrapping_add(ONES * (0x80 - 9)) & HIGH;
        let below_cr = !x.wrapping_add(ONES * (0x80 - 14)) & HIGH;
        (is_space | (from_tab & below_cr)) >> 7
    }
    let bytes = t.as_bytes();
    // Whether the byte before the current one is a space; the text's
    // start counts as one.
    let mut before = 1u64;
    let mut n = 0usize;
    let mut seen = 0u64;
    let mut step = |x: u64| {
        seen |= x;
        let s = spaces(x);
        let prev = (s << 8) | before;
        n += (prev & !s & ONES).count_ones() as usize;
        before = s >> 56;
    };
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        step(u64::from_le_bytes(c.try_into().expect("eight bytes")));
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        // Spaces after the text start no word.
        let mut last = [b' '; 8];
        last[..tail.len()].copy_from_slice(tail);
        step(u64::from_le_bytes(last));
    }
    if seen & HIGH != 0 {
        return t.split_whitespace().count();
    }
    n
}

struct PendingImage {
    dest: String,
    title: String,
    alt: String,
    range: std::ops::Range<usize>,
    dims: Option<(u32, u32)>,
}

/// The title that marks an image as decorative: `![](line.png "decorative")`.
pub const DECORATIVE: &str = "decorative";

const ALERT_CLOSE: &str = "</div>\n";

impl<'a> State<'a, '_> {
    /// Takes one event after mapping: counts its words, keeps the start of
    /// the text and the first paragraph, gives headings their ids, and
    /// queues it for the HTML writer.
    fn emit(&mut self, ev: Event<'a>) {
        match &ev {
            // Code blocks' text is not words (`in_code` is set and
            // cleared around them in `map_event_inner`).
            Event::Text(t) | Event::Code(t) if !self.in_code => {
                if self.input.words {
                    self.rendered.word_count += word_count(t);
                }
                if self.input.search && self.rendered.plain.len() < PLAIN_TEXT_LIMIT {
                    self.rendered.plain.push_str(t);
                }
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) if self.input.search && !self.rendered.plain.ends_with(' ') => {
                self.rendered.plain.push(' ');
            }
            _ => {}
        }
        if !self.summary_done {
            self.follow_summary(&ev);
        }
        match ev {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                // The id is known at the heading's end (it is made from
                // the heading's text): written into this event then.
                self.heading = Some(OpenHeading {
                    at: self.out.len(),
                    explicit: id.map(|s| s.to_string()),
                    text: String::new(),
                });
                self.out.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs: vec![],
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(h) = self.heading.take() {
                    self.close_heading(level, h);
                    self.out.push(Event::End(TagEnd::Heading(level)));
                }
            }
            ev => {
                if let Some(h) = self.heading.as_mut() {
                    if let Event::Text(t) | Event::Code(t) = &ev {
                        h.text.push_str(t);
                    }
                } else if !self.summary_done {
                    // Only the summary (the first paragraph outside them)
                    // needs the depth.
                    match &ev {
                        Event::Start(
                            Tag::BlockQuote(_)
                            | Tag::List(_)
                            | Tag::Table(_)
                            | Tag::FootnoteDefinition(_)
                            | Tag::HtmlBlock,
                        ) => self.block_depth += 1,
                        Event::Html(h) if h.starts_with("<div class=\"gp-") => {
                            self.block_depth += 1
                        }
                        Event::End(
                            TagEnd::BlockQuote(_)
                            | TagEnd::List(_)
                            | TagEnd::Table
                            | TagEnd::FootnoteDefinition
                            | TagEnd::HtmlBlock,
                        ) => self.block_depth = self.block_depth.saturating_sub(1),
                        Event::Html(h) if h.as_ref() == ALERT_CLOSE => {
                            self.block_depth = self.block_depth.saturating_sub(1)
                        }
                        _ => {}
                    }
                }
                self.out.push(ev);
            }
        }
    }

    /// The first top-level paragraph becomes the summary: its HTML (with
    /// placeholders) and its plain text.
    // Out of line: it runs for a page's first events only, and inlined it
    // made every event's call to `emit` set up a far larger frame.
    #[inline(never)]
    fn follow_summary(&mut self, ev: &Event<'a>) {
        if matches!(ev, Event::Start(Tag::Paragraph))
            && self.block_depth == 0
            && self.heading.is_none()
        {
            self.summary = Some((self.out.len(), String::new()));
        }
        let Some((start, text)) = self.summary.as_mut() else {
            return;
        };
        match ev {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) => {
                let start = *start;
                let text = std::mem::take(text);
                let mut html = String::new();
                pulldown_cmark::html::push_html(
                    &mut html,
                    self.out[start..]
                        .iter()
                        .cloned()
                        .chain(std::iter::once(ev.clone())),
                );
                self.rendered.summary = Some(html);
                self.rendered.summary_text = Some(text.trim().to_string());
                self.summary = None;
                self.summary_done = true;
            }
            _ => {}
        }
    }

    /// A heading's end: checks the outline, gives the heading its id (the
    /// explicit one, or one made from its text) and lists it for the table
    /// of contents.
    #[inline(never)]
    fn close_heading(&mut self, level: HeadingLevel, h: OpenHeading) {
        let lvl = level as u8;
        let lint = if lvl == 1 {
            Some((
                "a second main heading (#) in the body: the page title is already the main heading"
                    .to_string(),
                "use ## for the sections of the page",
            ))
        } else if lvl > self.previous_level + 1 {
            Some((
                format!(
                    "the heading level jumps from {} to {}",
                    self.previous_level, lvl
                ),
                "go down one level at a time (## then ###), so screen reader users can follow the outline",
            ))
        } else {
            None
        };
        if let Some((message, hint)) = lint {
            let loc = self.location(&self.heading_range);
            self.rendered.lints.push(
                Diagnostic::warning(ids::HEADING_ORDER, message)
                    .at(loc)
                    .hint(hint),
            );
        }
        self.previous_level = lvl;
        let id = self.unique_id(h.explicit.unwrap_or_else(|| heading_id(&h.text)));
        self.rendered.headings.push(Heading {
            level: lvl,
            id: id.clone(),
            title: h.text.trim().to_string(),
        });
        if let Some(Event::Start(Tag::Heading { id: slot, .. })) = self.out.get_mut(h.at) {
            *slot = Some(id.into());
        }
    }

    fn unique_id(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn location(&self, range: &std::ops::Range<usize>) -> Location {
        let start = self.input.body_offset + range.start;
        let len = range.end.saturating_sub(range.start);
        Location::at_offset(self.input.file, self.input.text, start, len)
    }

    fn at(&self, range: &std::ops::Range<usize>) -> LinkAt {
        LinkAt::Source {
            start: self.input.body_offset + range.start,
            len: range.end.saturating_sub(range.start),
        }
    }

    fn placeholder(&mut self, kind: LinkKind, range: &std::ops::Range<usize>) -> CowStr<'static> {
        let n = self.rendered.links.len();
        let at = self.at(range);
        self.rendered.links.push(LinkRef { kind, at });
        placeholder_text(n)
    }

    fn lint_link(&mut self, range: &std::ops::Range<usize>, text: &str) {
        let t = text.trim().trim_end_matches(['.', '!', ':']);
        let starts = |prefix: &str| {
            t.get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        };
        let vague = [
            "click here",
            "here",
            "read more",
            "more",
            "this link",
            "link",
            "click",
            "this page",
            "find out more",
            "more info",
        ];
        // Every link of every page comes here: only short texts can be
        // one of the vague phrases, so only they are lower-cased.
        let message = if t.len() <= 20 && vague.contains(&t.to_lowercase().as_str()) {
            Some(format!(
                "the link text \"{}\" does not say where the link goes",
                text.trim()
            ))
        } else if (starts("http://") || starts("https://") || starts("www.")) && !t.contains(' ') {
            Some(format!(
                "the link text is a bare web address ({})",
                text.trim()
            ))
        } else {
            None
        };
        if let Some(m) = message {
            let loc = self.location(range);
            self.rendered.lints.push(
                Diagnostic::warning(ids::LINK_TEXT, m)
                    .at(loc)
                    .hint("use words that make sense on their own, such as \"contact PALS\" or \"our house rules\": screen reader users often hear links read out of context"),
            );
        }
    }

    /// `<img>` with alt text, and width and height from the file so the
    /// page does not jump while images load.
    fn image_html(&mut self, img: PendingImage) -> String {
        let alt = img.alt.trim().to_string();
        let decorative = img.title.eq_ignore_ascii_case(DECORATIVE);
        if alt.is_empty() && !decorative {
            let loc = self.location(&img.range);
            self.diags.push(
                Diagnostic::error(ids::IMAGE_ALT, "this image has no alt text")
                    .at(loc)
                    .label("nothing between [ and ]")
                    .hint("describe what the image shows for people who cannot see it: ![Nurses at the flu clinic](clinic.jpg). If it is only decoration, write ![](file.png \"decorative\")"),
            );
        }
        let alt_lower = alt.to_lowercase();
        let file_like = [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"]
            .iter()
            .any(|e| alt_lower.ends_with(e))
            || (alt.contains(['_', '-'])
                && !alt.contains(' ')
                && alt.chars().any(|c| c.is_ascii_digit()));
        let says_image = [
            "image of",
            "picture of",
            "photo of",
            "graphic of",
            "an image",
            "a picture",
            "image:",
            "photo:",
        ]
        .iter()
        .any(|p| alt_lower.starts_with(p));
        if !alt.is_empty() && (file_like || says_image) {
            let loc = self.location(&img.range);
            self.rendered.lints.push(
                Diagnostic::warning(ids::IMAGE_ALT_QUALITY, format!("the alt text \"{alt}\" does not describe the image"))
                    .at(loc)
                    .hint(if file_like {
                        "alt text is read out instead of the image: say what it shows, not its file name"
                    } else {
                        "screen readers already say it is an image: start with what it shows, e.g. \"Nurses at the flu clinic\""
                    }),
            );
        }
        let mut html = String::with_capacity(img.dest.len() + alt.len() + 64);
        html.push_str("<img src=\"");
        escape_attr_into(&mut html, &img.dest);
        html.push_str("\" alt=\"");
        escape_attr_into(&mut html, if decorative { "" } else { &alt });
        html.push('"');
        if !img.title.is_empty() && !decorative {
            html.push_str(" title=\"");
            escape_attr_into(&mut html, &img.title);
            html.push('"');
        }
        if let Some((w, h)) = img.dims {
            use std::fmt::Write;
            let _ = write!(html, " width=\"{w}\" height=\"{h}\"");
        }
        html.push_str(" loading=\"lazy\">");
        html
    }

    /// Emits what `event` becomes (none, one or several events).
    fn map_event(&mut self, event: Event<'a>, range: std::ops::Range<usize>) {
        let is_text = matches!(event, Event::Text(_));
        self.map_event_inner(event, range);
        if !is_text {
            self.prev_char = None;
        }
    }

    /// Whether `text` has a character that may start a `#hashtag` or an
    /// `@handle` link.
    fn may_tag(&self, text: &[u8]) -> bool {
        if self.input.hashtags {
            memchr::memchr2(b'#', b'@', text).is_some()
        } else {
            memchr::memchr(b'@', text).is_some()
        }
    }

    /// Splits text into plain text, `#hashtag` links and `@handle` links.
    fn link_tags(&mut self, text: CowStr<'a>, range: &std::ops::Range<usize>) {
        let prev_before = self.prev_char;
        self.prev_char = text.chars().last().or(prev_before);
        if let Some(link) = self.link_stack.last_mut() {
            link.1.push_str(&text);
        }
        if self.in_code
            || self.in_image > 0
            || !self.link_suffix.is_empty()
            || !self.may_tag(text.as_bytes())
        {
            self.emit(Event::Text(text));
            return;
        }
        let first = self.out.len();
        let mut last = 0;
        // Jump from one `#` or `@` to the next instead of walking every
        // character: most text has none.
        let mut pos = 0;
        while let Some(off) = memchr::memchr2(b'#', b'@', &text.as_bytes()[pos..]) {
            let i = pos + off;
            pos = i + 1;
            let c = text.as_bytes()[i] as char;
            let prev = match i {
                0 => prev_before,
                _ => text[..i].chars().next_back(),
            };
            let boundary = prev.is_none_or(|p| {
                !(p.is_alphanumeric()
                    || matches!(p, '_' | '&' | '#' | '/' | '@' | '.' | '-' | '=' | '?'))
            });
            if !boundary {
                continue;
            }
            let rest = &text[i + 1..];
            let len: usize = if c == '#' {
                if !self.input.hashtags || !rest.chars().next().is_some_and(char::is_alphabetic) {
                    continue;
                }
                rest.chars()
                    .take_while(|ch| ch.is_alphanumeric() || *ch == '_')
                    .map(char::len_utf8)
                    .sum()
            } else {
                let raw: usize = rest
                    .chars()
                    .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_' || *ch == '.')
                    .map(char::len_utf8)
                    .sum();
                rest[..raw].trim_end_matches('.').len()
            };
            if len == 0 {
                continue;
            }
            let word = &text[i + 1..i + 1 + len];
            let dest = if c == '#' {
                let mut tag = String::with_capacity(word.len() + 1);
                tag.push('#');
                tag.push_str(word);
                self.rendered.hashtags.push(tag);
                let n = self.rendered.links.len();
                let at = self.at(range);
                self.rendered.links.push(LinkRef {
                    kind: LinkKind::Hashtag(word.to_lowercase()),
                    at,
                });
                placeholder_text(n)
            } else {
                // An email address has a word character before the @ and
                // is skipped by the boundary rule above.
                // `@user@server` is a Mastodon address: not an X handle.
                if text[i + 1 + len..].starts_with('@') {
                    continue;
                }
                // Only public accounts' own addresses are used: Markdown is
                // shared by every output, and a staff group's address must
                // not reach the public site through a mention.
                let url = self
                    .input
                    .accounts
                    .and_then(|a| a.find(word))
                    .filter(|a| a.audience == crate::config::Audience::Public)
                    .map(|a| a.url.clone())
                    .or_else(|| {
                        self.input
                            .default_platform
                            .and_then(|p| p.profile_url(word))
                    });
                match url {
                    Some(u) => u.into(),
                    None => continue,
                }
            };
            if last < i {
                self.emit(Event::Text(piece(&text, last..i)));
            }
            self.emit(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: dest,
                title: "".into(),
                id: "".into(),
            }));
            self.emit(Event::Text(piece(&text, i..i + 1 + len)));
            self.emit(Event::End(TagEnd::Link));
            last = i + 1 + len;
            pos = last;
        }
        if last == 0 {
            debug_assert_eq!(self.out.len(), first);
            self.emit(Event::Text(text));
            return;
        }
        if last < text.len() {
            self.emit(Event::Text(piece(&text, last..text.len())));
        }
    }

    fn map_event_inner(&mut self, event: Event<'a>, range: std::ops::Range<usize>) {
        match event {
            Event::Text(t) | Event::Code(t) if self.image.is_some() => {
                if let Some(img) = self.image.as_mut() {
                    img.alt.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak if self.image.is_some() => {
                if let Some(img) = self.image.as_mut() {
                    img.alt.push(' ');
                }
            }
            Event::Text(t) => self.link_tags(t, &range),
            Event::Code(t) => {
                if let Some(link) = self.link_stack.last_mut() {
                    link.1.push_str(&t);
                }
                self.emit(Event::Code(t))
            }
            Event::Html(h) | Event::InlineHtml(h) if h.contains("_blank") => {
                let lower = h.to_lowercase();
                if !(lower.contains("new tab") || lower.contains("new window")) {
                    let loc = self.location(&range);
                    self.rendered.lints.push(
                        Diagnostic::warning(ids::NEW_TAB, "this link opens a new tab without saying so")
                            .at(loc)
                            .hint("add \"(opens in a new tab)\" to the link text, or let the link open in the same tab"),
                    );
                }
                self.emit(Event::Html(h))
            }
            Event::Start(Tag::CodeBlock(k)) => {
                self.in_code = true;
                self.emit(Event::Start(Tag::CodeBlock(k)))
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                self.emit(Event::End(TagEnd::CodeBlock))
            }
            Event::End(TagEnd::Image) => {
                self.in_image = self.in_image.saturating_sub(1);
                if let Some(img) = self.image.take() {
                    let html = self.image_html(img);
                    self.emit(Event::InlineHtml(html.into()));
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let html = match kind {
                    BlockQuoteKind::Note | BlockQuoteKind::Tip => {
                        "<div class=\"gp-inset-text\">\n<span class=\"gp-visually-hidden\">Information: </span>\n".to_string()
                    }
                    BlockQuoteKind::Important => {
                        "<div class=\"gp-warning-callout\">\n<p class=\"gp-warning-callout__label\">Important<span class=\"gp-visually-hidden\">:</span></p>\n".to_string()
                    }
                    BlockQuoteKind::Warning | BlockQuoteKind::Caution => {
                        let label = if kind == BlockQuoteKind::Warning { "Warning" } else { "Caution" };
                        format!("<div class=\"gp-warning-callout\">\n<p class=\"gp-warning-callout__label\"><span class=\"gp-visually-hidden\">Important: </span>{label}</p>\n")
                    }
                };
                self.emit(Event::Html(html.into()))
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => self.emit(Event::Html(ALERT_CLOSE.into())),
            Event::TaskListMarker(done) => {
                let html = if done {
                    "<span class=\"gp-task gp-task--done\" aria-hidden=\"true\"></span><span class=\"gp-visually-hidden\">Done: </span>"
                } else {
                    "<span class=\"gp-task\" aria-hidden=\"true\"></span><span class=\"gp-visually-hidden\">To do: </span>"
                };
                self.emit(Event::InlineHtml(html.into()))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.link_stack.push((range.clone(), String::new()));
                let (dest, suffix) = self.map_destination(link_type, dest_url, &range, false);
                self.link_suffix.push(suffix);
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }))
            }
            Event::End(TagEnd::Link) => {
                if let Some((r, text)) = self.link_stack.pop() {
                    self.lint_link(&r, &text);
                }
                if let Some(Some(suffix)) = self.link_suffix.pop() {
                    self.emit(Event::Text(suffix.into()));
                }
                self.emit(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                // Images are written by hand at their end (see below): the
                // alt text is collected first so it can be checked.
                self.in_image += 1;
                self.image_dims = None;
                let (dest, _) = self.map_destination(link_type, dest_url, &range, true);
                self.image = Some(PendingImage {
                    dest: dest.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                    range,
                    dims: self.image_dims.take(),
                });
            }
            // Footnotes' ids are their labels: `[^note]` and a heading
            // "Note" would both be `id="note"`. Theirs get a prefix.
            Event::FootnoteReference(label) => {
                self.emit(Event::FootnoteReference(footnote_id(&label).into()))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => self.emit(Event::Start(
                Tag::FootnoteDefinition(footnote_id(&label).into()),
            )),
            other => self.emit(other),
        }
    }

    /// Rewrites a link or image destination; returns the new destination and,
    /// for documents, the " (PDF, 215KB)" text to add to the link.
    fn map_destination(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'a>,
        range: &std::ops::Range<usize>,
        is_image: bool,
    ) -> (CowStr<'a>, Option<String>) {
        if matches!(link_type, LinkType::Autolink | LinkType::Email) || is_external(&dest) {
            return (dest, None);
        }
        // Byte searches (memchr) rather than `split_once(char)`: this runs
        // for every link of every page, and the char searcher's setup cost
        // more than the search.
        let (path_part, anchor) = match memchr::memchr(b'#', dest.as_bytes()) {
            Some(i) => (&dest[..i], Some(dest[i + 1..].to_string())),
            None => (dest.as_ref(), None),
        };
        let path_part =
            &path_part[..memchr::memchr(b'?', path_part.as_bytes()).unwrap_or(path_part.len())];
        if path_part.is_empty() {
            if let Some(a) = anchor.filter(|a| !a.is_empty()) {
                let at = self.at(range);
                self.rendered.links.push(LinkRef {
                    kind: LinkKind::SelfAnchor(a),
                    at,
                });
            }
            return (dest, None);
        }
        let decoded: std::borrow::Cow<str> = if path_part.contains('%') {
            percent_decode(path_part).into()
        } else {
            path_part.into()
        };
        let ext = extension_lower(&decoded);
        let is_page = ext == "md";
        let is_document = DOCUMENT_TYPES.contains(&ext.as_ref());
        if !is_page && !is_document {
            if let Some(site_path) = decoded.strip_prefix('/') {
                // A site address such as `/guidance/using-x/`: checked and
                // given the output's base path like a `.md` link.
                let Some(path) = site_path_of(site_path, ext.is_empty()) else {
                    return (dest, None);
                };
                let ph = self.placeholder(LinkKind::SitePath { path, anchor }, range);
                return (ph, None);
            }
            // A relative folder link such as `../guidance/`: left as written.
            return (dest, None);
        }
        let Some(target) = resolve_relative(self.input.dir_rel, &decoded) else {
            let loc = self.location(range);
            self.diags.push(
                Diagnostic::error(ids::OUTSIDE_CONTENT, format!("`{path_part}` points outside the content folder"))
                    .at(loc)
                    .hint("link only to files inside content/; use a full https:// address for anything else"),
            );
            return (dest, None);
        };
        if is_page {
            let ph = self.placeholder(
                LinkKind::Page {
                    target,
                    anchor,
                    doc: None,
                },
                range,
            );
            return (ph, None);
        }
        let from_static = path_part.starts_with('/');
        let checked = self.input.files.check(
            self.input.content_dir,
            self.input.static_dir,
            &target,
            from_static,
            &ext,
            self.input.max_file_size,
        );
        let (kind, info) = match checked {
            FileCheck::Missing => {
                let (id, what) = if is_image {
                    (ids::MISSING_IMAGE, "image")
                } else {
                    (ids::MISSING_FILE, "file")
                };
                let loc = self.location(range);
                self.diags.push(
                    Diagnostic::error(id, format!("this {what} does not exist: content/{target}"))
                        .at(loc)
                        .label(format!("no file at content/{target}"))
                        .hint(format!(
                            "check the spelling and the folder; the path is relative to {}",
                            self.input.file
                        )),
                );
                return (dest, None);
            }
            FileCheck::Outside => {
                // A link inside content/ must not lead outside it through a symlink.
                let loc = self.location(range);
                self.diags.push(
                    Diagnostic::error(
                        ids::SYMLINK_OUTSIDE_SITE,
                        format!("`{path_part}` is a link to a file outside the site"),
                    )
                    .at(loc)
                    .hint(
                        "copy the file into content/ instead of linking to it with a symbolic link",
                    ),
                );
                return (dest, None);
            }
            FileCheck::Bad(id, problem, shown) => {
                let loc = self.location(range);
                self.diags.push(
                    Diagnostic::error(id, format!("{problem}: {shown}"))
                        .at(loc)
                        .hint("replace the file with the right one; large files are slow to download on a phone, so compress it or split it (the limit is site.yaml `max_file_size`)"),
                );
                return (dest, None);
            }
            FileCheck::Ok {
                in_static,
                info,
                dims,
            } => {
                if is_image {
                    self.image_dims = dims;
                }
                let kind = if in_static {
                    LinkKind::Static {
                        path: target.clone(),
                    }
                } else {
                    LinkKind::File {
                        target: target.clone(),
                    }
                };
                (kind, info)
            }
        };
        let ph = self.placeholder(kind, range);
        (ph, (!is_image).then(|| format!(" ({})", info.label)))
    }
}

/// The outcome of checking one linked file.
#[derive(Clone)]
pub enum FileCheck {
    Missing,
    /// Reached through a symlink to outside content/ and static/.
    Outside,
    /// Empty, too big or unreadable: (id, problem, path shown).
    Bad(Id, String, String),
    Ok {
        in_static: bool,
        info: FileInfo,
        dims: Option<(u32, u32)>,
    },
}

/// Linked files checked once per build, however many pages link them.
#[derive(Default)]
pub struct FileCache {
    /// By target, for links from content/ (`[0]`) and `/`-rooted ones
    /// that may be in static/ (`[1]`): looked up without making a key.
    seen: std::sync::Mutex<[ahash::AHashMap<String, FileCheck>; 2]>,
    roots: std::sync::OnceLock<(Option<std::path::PathBuf>, Option<std::path::PathBuf>)>,
}

impl FileCache {
    pub fn check(
        &self,
        content_dir: &Path,
        static_dir: Option<&Path>,
        target: &str,
        from_static: bool,
        ext: &str,
        max_size: u64,
    ) -> FileCheck {
        let which = usize::from(from_static);
        if let Some(c) = self.seen.lock().expect("file cache")[which].get(target) {
            return c.clone();
        }
        let (real_content, real_static) = self.roots.get_or_init(|| {
            (
                content_dir.canonicalize().ok(),
                static_dir.and_then(|d| d.canonicalize().ok()),
            )
        });
        let in_content = content_dir.join(target);
        let in_static = static_dir.map(|d| d.join(target));
        let result = 'check: {
            let (disk, is_static) = if in_content.is_file() {
                (in_content, false)
            } else if let Some(p) = in_static.filter(|p| from_static && p.is_file()) {
                (p, true)
            } else {
                break 'check FileCheck::Missing;
            };
            let real = disk.canonicalize().ok();
            let inside = |root: &Option<std::path::PathBuf>| matches!((&real, root), (Some(r), Some(root)) if r.starts_with(root));
            if !inside(real_content) && !inside(real_static) {
                break 'check FileCheck::Outside;
            }
            let shown = if is_static {
                format!("static/{target}")
            } else {
                format!("content/{target}")
            };
            match file_info(&disk, ext, max_size) {
                Err((id, problem)) => FileCheck::Bad(id, problem, shown),
                Ok(info) => {
                    let dims = picture_size(&disk, ext);
                    FileCheck::Ok {
                        in_static: is_static,
                        info,
                        dims,
                    }
                }
            }
        };
        self.seen.lock().expect("file cache")[which].insert(target.to_string(), result.clone());
        result
    }
}

/// What a linked file is, for the "(PDF, 215KB, 3 pages)" label.
#[derive(Clone)]
pub struct FileInfo {
    pub size: u64,
    pub pages: Option<u32>,
    /// Shared: every link to the file shows it.
    pub label: std::sync::Arc<str>,
}

/// Checks a linked file (not empty, not over the size limit) and describes
/// it; or says what is wrong with it, and the id of that problem.
pub fn file_info(path: &Path, ext: &str, max_size: u64) -> Result<FileInfo, (Id, String)> {
    let size = std::fs::metadata(path)
        .map_err(|e| (ids::CANNOT_READ, format!("cannot read this file ({e})")))?
        .len();
    if size == 0 {
        return Err((ids::EMPTY_FILE, "this file is empty (0 bytes)".into()));
    }
    if size > max_size {
        return Err((
            ids::FILE_TOO_LARGE,
            format!(
                "this file is {}, over the {} limit",
                size_label(size),
                size_label(max_size)
            ),
        ));
    }
    let pages = if ext == "pdf" {
        std::fs::read(path).ok().and_then(|b| pdf_page_count(&b))
    } else {
        None
    };
    let label = file_label(ext, size, pages);
    Ok(FileInfo {
        size,
        pages,
        label: label.into(),
    })
}

/// "PDF, 215KB, 3 pages": a file's type, size and page count as links to
/// it show them (no type when the name has no extension).
pub fn file_label(ext: &str, size: u64, pages: Option<u32>) -> String {
    let mut label = size_label(size);
    if !ext.is_empty() {
        label = format!("{}, {label}", ext.to_uppercase());
    }
    if let Some(n) = pages {
        label.push_str(&format!(", {n} {}", if n == 1 { "page" } else { "pages" }));
    }
    label
}

/// Width and height of a picture Guidepost can read (PNG, JPEG, GIF, WebP).
pub fn picture_size(path: &Path, ext: &str) -> Option<(u32, u32)> {
    ["png", "jpg", "jpeg", "gif", "webp"]
        .contains(&ext)
        .then(|| image::image_dimensions(path).ok())
        .flatten()
}

/// The page count of a PDF, read from its page tree (`/Type /Pages` …
/// `/Count N`) when that is stored uncompressed, as most are.
pub fn pdf_page_count(bytes: &[u8]) -> Option<u32> {
    let text = String::from_utf8_lossy(bytes);
    let mut best: Option<u32> = None;
    let mut rest: &str = &text;
    while let Some(i) = rest.find("/Type") {
        rest = &rest[i + 5..];
        let after = rest.trim_start();
        if !after.starts_with("/Pages") {
            continue;
        }
        // The dictionary holding this /Type: from its `<<` to its `>>`.
        let start = text.len() - rest.len();
        let dict_start = text[..start].rfind("<<").unwrap_or(0);
        let dict_end = text[start..].find(">>").map_or(text.len(), |e| start + e);
        let dict = &text[dict_start..dict_end];
        if let Some(c) = dict.find("/Count") {
            let n: String = dict[c + 6..]
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(n) = n.parse::<u32>() {
                best = Some(best.map_or(n, |b| b.max(n)));
            }
        }
    }
    best
}

/// Appends `s` escaped for a double-quoted attribute.
fn escape_attr_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(with);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match memchr::memchr(b':', dest.as_bytes()) {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// A site address without its leading `/`, empty and `.` parts dropped,
/// ending in `/` when it names a folder (`folder`) and is not empty;
/// `None` when a part is `..`. One pass into one string: every page links
/// to a few of these.
fn site_path_of(site_path: &str, folder: bool) -> Option<String> {
    // Room to become the page's source path in place (`x/y/` becomes
    // `x/y.md` or `x/y/_index.md`, see `site::build`).
    let mut path = String::with_capacity(site_path.len() + 10);
    for seg in site_path.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => {
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(s);
            }
        }
    }
    if !path.is_empty() && folder {
        path.push('/');
    }
    Some(path)
}

/// Joins a link path onto the page's folder and normalises it; `None`
/// when it climbs out of the content folder.
pub fn resolve_relative(dir_rel: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        vec![]
    } else {
        dir_rel.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

/// The lower-case extension of the last part of a link's path (`PDF` →
/// `pdf`; empty when there is none), as `Path::extension` has it. Plain
/// names are read directly: this runs for every link of every page.
pub(crate) fn extension_lower(p: &str) -> std::borrow::Cow<'_, str> {
    let name = p.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if name.is_empty() || name == "." || name == ".." {
        return Path::new(p)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default()
            .into();
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            if ext.bytes().any(|b| b.is_ascii_uppercase()) || !ext.is_ascii() {
                ext.to_lowercase().into()
            } else {
                ext.into()
            }
        }
        _ => "".into(),
    }
}

/// `%2F` and the like decoded; text that does not decode to UTF-8 is
/// left as it is.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Two bytes after the `%`, read as bytes: a character of several
        // bytes may follow it (`%aé`), and slicing the text there panics.
        if bytes[i] == b'%'
            && let Some(Ok(b)) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .map(|h| u8::from_str_radix(h, 16))
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// NHS/GOV.UK style sizes: whole KB below 1 MB, MB with one decimal.
pub fn size_label(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    const MB: f64 = 1024.0 * 1024.0;
    let b = bytes as f64;
    if b < MB {
        let kb = (b / KB).round().max(1.0);
        if kb >= 1024.0 {
            return "1.0MB".into();
        }
        format!("{kb:.0}KB")
    } else {
        format!("{:.1}MB", b / MB)
    }
}

/// A heading's id: lower case, words joined by hyphens, punctuation dropped
/// ("What we can't do" → `what-we-cant-do`).
pub fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_hyphen && !id.is_empty() {
                id.push('-');
            }
            pending_hyphen = false;
            id.push(c);
        } else if c.is_whitespace() || c == '-' || c == '_' {
            pending_hyphen = true;
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_str(body: &str) -> (Rendered, Diagnostics) {
        render_with(body, true)
    }

    fn render_with(body: &str, search: bool) -> (Rendered, Diagnostics) {
        render_making(body, search, true, true)
    }

    fn render_making(
        body: &str,
        search: bool,
        words: bool,
        summary: bool,
    ) -> (Rendered, Diagnostics) {
        let platforms = crate::content::platforms::defaults();
        let text = format!("---\ntitle: t\n---\n{body}");
        let input = Input {
            file: "content/a.md",
            text: &text,
            body: &text[16..],
            body_offset: 16,
            dir_rel: "guidance",
            content_dir: Path::new("/nonexistent"),
            static_dir: None,
            max_file_size: 10 * 1024 * 1024,
            files: &FileCache::default(),
            accounts: None,
            default_platform: platforms.first(),
            hashtags: true,
            search,
            words,
            summary,
        };
        render(&input)
    }

    /// Words are counted only when asked; nothing else changes.
    #[test]
    fn words_are_counted_only_when_asked() {
        let body = "## Heading\n\nFirst paragraph of the page.\n\n- an item\n";
        let (counted, _) = render_making(body, false, true, true);
        let (not, _) = render_making(body, false, false, true);
        assert_eq!(counted.word_count, 8);
        assert_eq!(not.word_count, 0);
        assert_eq!(not.summary_text, counted.summary_text);
        assert_eq!(
            not.html.get().as_ref() as &str,
            counted.html.get().as_ref() as &str
        );
    }

    /// The summary is made only when asked; nothing else changes.
    #[test]
    fn summaries_are_made_only_when_asked() {
        let body = "First paragraph, *with* a [link](other.md).\n\n## Next\n\nMore.\n";
        let (made, _) = render_making(body, false, true, true);
        let (not, _) = render_making(body, false, true, false);
        assert_eq!(
            made.summary_text.as_deref(),
            Some("First paragraph, with a link.")
        );
        assert!(made.summary.is_some());
        assert_eq!((not.summary, not.summary_text), (None, None));
        assert_eq!(not.word_count, made.word_count);
        assert_eq!(not.links.len(), made.links.len());
        assert_eq!(
            not.html.get().as_ref() as &str,
            made.html.get().as_ref() as &str
        );
    }

    /// The start of the text is kept for the search index only.
    #[test]
    fn plain_text_is_kept_only_for_search() {
        let body = "## Heading\n\nFirst paragraph of the page.\n\n- an item\n";
        let (with, _) = render_with(body, true);
        assert_eq!(with.plain, "Heading First paragraph of the page. an item");
        let (without, _) = render_with(body, false);
        assert_eq!(without.plain, "");
        assert_eq!(without.plain.capacity(), 0);
        assert_eq!(without.word_count, with.word_count);
        assert_eq!(without.summary_text, with.summary_text);
        assert_eq!(
            without.html.get().as_ref() as &str,
            with.html.get().as_ref() as &str
        );
    }

    #[test]
    fn link_text_lint_ignores_case_and_long_texts() {
        let (r, _) = render_str(
            "[Click Here!](https://a.example) [READ MORE.](https://a.example) \
             [HTTPS://NHS.UK](https://nhs.uk) [Www.nhs.uk](https://nhs.uk) \
             [read more about the flu clinic](https://a.example) \
             [see https://nhs.uk for more](https://nhs.uk) [é](https://a.example)\n",
        );
        let messages: Vec<&str> = r.lints.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the link text \"Click Here!\" does not say where the link goes",
                "the link text \"READ MORE.\" does not say where the link goes",
                "the link text is a bare web address (HTTPS://NHS.UK)",
                "the link text is a bare web address (Www.nhs.uk)",
            ]
        );
    }

    #[test]
    fn attributes_are_escaped() {
        let mut out = String::from("x=");
        escape_attr_into(&mut out, "a&b\"c<d>e é");
        assert_eq!(out, "x=a&amp;b&quot;c&lt;d&gt;e é");
    }

    #[test]
    fn word_count_agrees_with_split_whitespace() {
        for t in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tand\nnew\x0bline\x0c end",
            "café au lait",
            "a\u{a0}b",
            "it\u{2019}s a \u{201c}quote\u{201d} \u{2013} and\u{2003}em\u{3000}space\u{2028}line\u{85}next",
            "12345678\u{a0}abcdefgh ijklmnop\u{2019}qrstuvw xyz",
            // A non-ASCII byte at the top of an eight-byte step.
            "1234567\u{e9} and \u{2014}\u{2014}\u{2014}\u{2014} words",
            "sixteen bytes!! and then some more words across the chunk edge\r\n",
            "                word after sixteen spaces",
            "x\ty\nz\x0bw\x0cv\rq                 tail",
        ] {
            assert_eq!(word_count(t), t.split_whitespace().count(), "{t:?}");
        }
        // Every ASCII byte next to every other, against the eight-byte
        // arithmetic.
        for x in 0u8..128 {
            let t: String = (0u8..128)
                .flat_map(|y| [char::from(x), char::from(y)])
                .collect();
            assert_eq!(word_count(&t), t.split_whitespace().count(), "byte {x}");
        }
        // Every length around the 8-byte chunks, with spaces in every place.
        let pattern = b"ab c\td  e\nfgh i j\x0bk\x0cl\rmn  op q ";
        for len in 0..pattern.len() {
            for start in 0..4 {
                let t = std::str::from_utf8(&pattern[start.min(len)..len]).unwrap();
                assert_eq!(word_count(t), t.split_whitespace().count(), "{t:?}");
            }
        }
    }

    #[test]
    fn placeholders_number_links() {
        for n in [0, 7, 10, 99, 12345, usize::MAX] {
            assert_eq!(
                placeholder_text(n).as_ref(),
                format!("{PLACEHOLDER_PREFIX}{n}:")
            );
        }
    }

    #[test]
    fn link_extensions_read_like_path_extension() {
        for p in [
            "guide.md",
            "a/b/Report.PDF",
            "folder/",
            "/guidance/x/",
            ".hidden",
            "a/.hidden",
            "archive.tar.gz",
            "a/./b.md",
            "a/b/.",
            "a/..",
            "noext",
            "trailing.",
            "ümlaut.DOCX",
            "",
        ] {
            let want = Path::new(p)
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            assert_eq!(extension_lower(p), want, "{p:?}");
        }
    }

    #[test]
    fn heading_ids_are_stable_and_unique() {
        let (r, _) =
            render_str("## What we can’t do\n\n## What we can’t do\n\n## Custom {#mine}\n");
        let html = r.html.get();
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["what-we-cant-do", "what-we-cant-do-1", "mine"]);
        assert!(html.contains("<h2 id=\"what-we-cant-do\">"), "{}", html);
    }

    #[test]
    fn footnotes_and_headings_never_share_an_id() {
        let (r, _) = render_str(
            "Text.[^note] More.[^two words]\n\n## Note\n\n[^note]: The note.\n\n[^two words]: Another.\n",
        );
        let html = r.html.get();
        assert!(html.contains("<h2 id=\"note\">"), "{}", html);
        assert!(html.contains("href=\"#fn-note\""), "{}", html);
        assert!(html.contains("id=\"fn-note\""), "{}", html);
        assert!(html.contains("id=\"fn-two-words\""), "{}", html);
        assert!(html.contains("href=\"#fn-two-words\""), "{}", html);
        let ids: Vec<&str> = html
            .split("id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{ids:?}");
    }

    #[test]
    fn alerts_become_inset_text_and_callouts() {
        let (r, _) = render_str("> [!NOTE]\n> Read this.\n\n> [!WARNING]\n> Careful.\n");
        let html = r.html.get();
        assert!(html.contains("<div class=\"gp-inset-text\">"), "{}", html);
        assert!(html.contains("Information: </span>"), "{}", html);
        assert!(
            html.contains("<div class=\"gp-warning-callout\">"),
            "{}",
            html
        );
        assert!(html.contains("Important: </span>Warning"), "{}", html);
        assert!(!html.contains("blockquote"), "{}", html);
    }

    #[test]
    fn page_links_become_placeholders_with_positions() {
        let (r, d) = render_str("Intro.\n\nSee [rules](../how/rules.md#top) and [x](#here).\n");
        let html = r.html.get();
        assert!(d.is_empty());
        assert_eq!(
            r.links[0].kind,
            LinkKind::Page {
                target: "how/rules.md".into(),
                anchor: Some("top".into()),
                doc: None
            }
        );
        let text =
            "---\ntitle: t\n---\nIntro.\n\nSee [rules](../how/rules.md#top) and [x](#here).\n";
        let loc = r.links[0].location("content/a.md", text);
        assert_eq!((loc.line, loc.col), (6, 5));
        assert_eq!(r.links[1].kind, LinkKind::SelfAnchor("here".into()));
        assert!(html.contains("href=\"gp-ref:0:\""), "{}", html);
        assert_eq!(r.summary_text.as_deref(), Some("Intro."));
    }

    #[test]
    fn missing_attachment_is_an_error_with_position() {
        let (_, d) = render_str("Get [the policy](files/policy.pdf).\n");
        let text = d.sorted()[0].render();
        assert!(
            text.contains(
                "content/a.md:4:5: this file does not exist: content/guidance/files/policy.pdf"
            ),
            "{text}"
        );
    }

    #[test]
    fn hashtags_and_handles_in_text_become_links() {
        let (r, _) = render_str(
            "Join #SoMeWeek and #NHS_Jobs with @RiversideNHS.\n\n\
             Not `#code`, not [#linked](https://x.org), not C# or #1 or &#35;x,\n\
             not https://example.org/#frag or mail@example.org.\n\n\
             ```\n#block\n```\n\n## A #Heading\n",
        );
        let html = r.html.get();
        assert_eq!(r.hashtags, ["#SoMeWeek", "#NHS_Jobs", "#Heading"]);
        assert!(
            html.contains("<a href=\"gp-ref:0:\">#SoMeWeek</a>"),
            "{}",
            html
        );
        assert_eq!(r.links[0].kind, LinkKind::Hashtag("someweek".into()));
        assert!(
            r.html
                .get()
                .contains("<a href=\"https://x.com/RiversideNHS\">@RiversideNHS</a>"),
            "{}",
            html
        );
        assert!(html.contains("<code>#code</code>"), "{}", html);
        assert!(html.contains("mail@example.org"), "{}", html);
        assert!(!html.contains("x.com/example"), "{}", html);
        assert!(html.contains("<pre><code>#block"), "{}", html);
    }

    #[test]
    fn sizes_follow_nhs_rounding() {
        assert_eq!(size_label(215 * 1024 + 100), "215KB");
        assert_eq!(size_label(10), "1KB");
        assert_eq!(size_label(1024 * 1024 * 3 / 2), "1.5MB");
    }

    #[test]
    fn percent_decoding_never_splits_a_character() {
        assert_eq!(percent_decode("a%2Fb%20c"), "a/b c");
        assert_eq!(percent_decode("%aé.pdf"), "%aé.pdf");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%e9"), "%e9");
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve_relative("guidance", "../about.md").as_deref(),
            Some("about.md")
        );
        assert_eq!(
            resolve_relative("guidance", "/posters/a.md").as_deref(),
            Some("posters/a.md")
        );
        assert_eq!(resolve_relative("guidance", "../../etc/passwd.md"), None);
    }

    #[test]
    fn site_addresses_are_normalised() {
        let folder = |p| site_path_of(p, true);
        assert_eq!(folder("guidance/x/").as_deref(), Some("guidance/x/"));
        assert_eq!(folder("guidance//./x").as_deref(), Some("guidance/x/"));
        assert_eq!(folder("/guidance/").as_deref(), Some("guidance/"));
        assert_eq!(folder("").as_deref(), Some(""));
        assert_eq!(folder("./").as_deref(), Some(""));
        assert_eq!(folder("guidance/../x/"), None);
        assert_eq!(
            site_path_of("images/a.png", false).as_deref(),
            Some("images/a.png")
        );
    }
}
