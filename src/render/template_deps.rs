//! What templates use: the templates they extend, include or import, and
//! whether they read pages other than the one they render. Incremental
//! rebuilds (`build::incremental`) decide from this which pages an edit
//! can change.

use std::collections::{HashMap, HashSet};

use super::context::FieldUse;
use super::theme::Theme;

/// Templates that can show pages other than the one being rendered,
/// through `get_page`, `get_section`, `get_taxonomy` or `campaigns`, in
/// their own text or in a template they extend, include or import. A page
/// rendered with one of these is rendered again after any body edit.
pub fn reader_templates(theme: &Theme) -> HashSet<String> {
    const READS: [&str; 4] = ["get_page", "get_section", "get_taxonomy", "campaigns"];
    let uses: HashMap<&str, Option<Vec<String>>> = theme
        .templates
        .iter()
        .map(|(name, t)| (name.as_str(), template_uses(&t.source)))
        .collect();
    let mut readers: HashSet<String> = theme
        .templates
        .iter()
        .filter(|(_, t)| READS.iter().any(|r| calls(&t.source, r)))
        .map(|(n, _)| n.clone())
        .collect();
    // A template naming others through a variable could use any of them.
    if uses.values().any(Option::is_none) && !readers.is_empty() {
        readers.extend(uses.keys().map(|k| k.to_string()));
        return readers;
    }
    loop {
        let more: Vec<String> = uses
            .iter()
            .filter(|(n, u)| {
                !readers.contains(**n)
                    && u.as_ref()
                        .is_some_and(|u| u.iter().any(|x| readers.contains(x)))
            })
            .map(|(n, _)| n.to_string())
            .collect();
        if more.is_empty() {
            return readers;
        }
        readers.extend(more);
    }
}

/// Whether a template's text calls the function `name` (`asset(`, or
/// `asset (` with spaces before the bracket, as Tera allows).
pub fn calls(source: &str, name: &str) -> bool {
    source.match_indices(name).any(|(i, _)| {
        let before = source[..i].chars().next_back();
        let whole_word = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
        whole_word && source[i + name.len()..].trim_start().starts_with('(')
    })
}

/// The fields of page and section objects that the templates of `theme`
/// can read: each field whose name is a word in a template's code (`{{ }}`
/// and `{% %}`, string literals included, so `page["toc"]` and
/// `sort(attribute="weight")` count), or every field when a template can
/// name one at render time: an index that is not one literal
/// (`page[name]`, `page["a" ~ b]`, `page?[name]`), a loop or list over an
/// object's keys and values (`for k, v in …`, `for v in page`), the
/// `keys`, `values` and `pairs` filters, `in` after something other than a
/// literal, `key=`, `attribute=` or `pat=` given anything but one literal,
/// a spread (`...`) or `__tera_context`. A word that is not a page field,
/// or a field named for another object (`site.extra`), only makes objects
/// a little larger. `url` (which `get_url` reads) and `kind` (the mark of
/// a page object in error messages) are always there.
pub fn field_use(theme: &Theme) -> FieldUse {
    let mut want = FieldUse {
        url: true,
        kind: true,
        ..FieldUse::NONE
    };
    if named_words(theme, |w| want.add(w)) {
        want
    } else {
        FieldUse::ALL
    }
}

/// Calls `add` with every word of the code of `theme`'s templates (string
/// literals split into words); `false`, and no more calls, as soon as a
/// template can name a field at render time.
fn named_words(theme: &Theme, mut add: impl FnMut(&str)) -> bool {
    for t in theme.templates.values() {
        for code in code_parts(&t.source) {
            let tokens = tokens(code);
            if names_fields_at_render_time(&tokens) {
                return false;
            }
            for t in &tokens {
                match t {
                    Token::Word(w) => add(w),
                    Token::Text(text) => {
                        for w in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                            add(w);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    true
}

/// Which of the values every page's context can have besides `site` and
/// its own object some template of `theme` names. Each is made for every
/// page, so the others are left out. A template that can name a field at
/// render time ([`field_use`]'s list, `__tera_context` among it) gets all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContextUse {
    pub now: bool,
    pub current_url: bool,
    pub current_permalink: bool,
    pub current_path: bool,
}

impl ContextUse {
    pub const ALL: ContextUse = ContextUse {
        now: true,
        current_url: true,
        current_permalink: true,
        current_path: true,
    };

    fn add(&mut self, name: &str) {
        match name {
            "now" => self.now = true,
            "current_url" => self.current_url = true,
            "current_permalink" => self.current_permalink = true,
            "current_path" => self.current_path = true,
            _ => {}
        }
    }
}

/// The [`ContextUse`] of `theme`'s templates.
pub fn context_use(theme: &Theme) -> ContextUse {
    let mut want = ContextUse::default();
    if named_words(theme, |w| want.add(w)) {
        want
    } else {
        ContextUse::ALL
    }
}

/// The code of a template: the insides of its `{{ }}` and `{% %}` tags.
/// Comments and the text between tags are left out, and so is what
/// `{% raw %}` keeps as text; a quoted `}}` or `%}` does not end a tag.
fn code_parts(source: &str) -> Vec<&str> {
    let mut out = vec![];
    let mut rest = source;
    while let Some(i) = rest.find('{') {
        let close = match rest.as_bytes().get(i + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                rest = &rest[i + 1..];
                continue;
            }
        };
        let inner = &rest[i + 2..];
        if close == "#}" {
            rest = inner.find("#}").map_or("", |e| &inner[e + 2..]);
            continue;
        }
        let end = tag_end(inner, close);
        let code = &inner[..end];
        rest = inner.get(end + close.len()..).unwrap_or("");
        if close == "%}" && tag_word(code) == "raw" {
            // Up to the `{% endraw %}` (any spacing and `-`).
            let mut after = rest;
            rest = "";
            while let Some(j) = after.find("{%") {
                let tail = &after[j + 2..];
                let e = tail.find("%}").unwrap_or(tail.len());
                if tag_word(&tail[..e]) == "endraw" {
                    rest = tail.get(e + 2..).unwrap_or("");
                    break;
                }
                after = tail;
            }
            continue;
        }
        // Whitespace control (`{{-`, `-%}`) is not code.
        let code = code.strip_prefix('-').unwrap_or(code);
        out.push(code.strip_suffix('-').unwrap_or(code));
    }
    out
}

/// A tag's code without whitespace and whitespace control (`{%- raw -%}`).
fn tag_word(code: &str) -> &str {
    code.trim_matches(['-', ' ', '\t', '\n', '\r'])
}

/// Where a tag's code ends: the first `close` outside quotes.
fn tag_end(code: &str, close: &str) -> usize {
    let b = code.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => i = string_end(b, i, q),
            _ if b[i..].starts_with(close.as_bytes()) => return i,
            _ => i += 1,
        }
    }
    code.len()
}

/// The index after a quoted string that starts at `start` with `q`:
/// Tera strings take `\"`, `\'` and `\\`.
fn string_end(b: &[u8], start: usize, q: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() && b[i] != q {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    (i + 1).min(b.len())
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    /// A name: a variable, field, filter, function, keyword.
    Word(&'a str),
    /// The inside of a quoted string.
    Text(&'a str),
    Number,
    /// Anything else, one character at a time (`...` as three).
    Mark(char),
}

fn tokens(code: &str) -> Vec<Token<'_>> {
    let mut out = vec![];
    let b = code.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Token::Word(&code[start..i]));
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            out.push(Token::Number);
        } else if matches!(c, b'"' | b'\'' | b'`') {
            let end = string_end(b, i, c);
            // Without the quotes (a string left open runs to the end).
            let inner_end = if end > i + 1 && b[end - 1] == c {
                end - 1
            } else {
                end
            };
            out.push(Token::Text(code.get(i + 1..inner_end).unwrap_or("")));
            i = end;
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else {
            let ch = code[i..].chars().next().unwrap_or(' ');
            out.push(Token::Mark(ch));
            i += ch.len_utf8();
        }
    }
    out
}

/// Whether this code can read a field whose name is made at render time.
fn names_fields_at_render_time(t: &[Token<'_>]) -> bool {
    use Token::*;
    const KEYWORDS: [&str; 11] = [
        "in", "and", "or", "not", "is", "if", "else", "for", "include", "extends", "import",
    ];
    // Where an index literal that starts at `i` ends: `"toc"`, `0`, `-1`,
    // `:10`, `1:-2` (`i` itself when none starts there).
    let literal_end = |mut i: usize| -> usize {
        match t.get(i) {
            Some(Text(_)) => return i + 1,
            Some(Mark('-')) if t.get(i + 1) == Some(&Number) => i += 2,
            Some(Number) => i += 1,
            _ => {}
        }
        // A slice: `[:n]`, `[n:]`, `[n:m]`.
        if t.get(i) == Some(&Mark(':')) {
            i += 1;
            match t.get(i) {
                Some(Mark('-')) if t.get(i + 1) == Some(&Number) => i += 2,
                Some(Number) => i += 1,
                _ => {}
            }
        }
        i
    };
    let mut for_header = false;
    for (i, tok) in t.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| t.get(p));
        match tok {
            Mark('[') => {
                let indexes = match prev {
                    Some(Word(w)) => !KEYWORDS.contains(w),
                    Some(Mark(']' | ')' | '?')) => true,
                    _ => false,
                };
                if indexes {
                    let end = literal_end(i + 1);
                    if end == i + 1 || t.get(end) != Some(&Mark(']')) {
                        return true;
                    }
                }
            }
            Mark('.') if t.get(i + 1) == Some(&Mark('.')) => return true,
            Mark('=')
                if matches!(prev, Some(Word("key" | "attribute" | "pat")))
                    && t.get(i + 1) != Some(&Mark('=')) =>
            {
                // One quoted name, then the next argument or the end.
                let quoted = matches!(t.get(i + 1), Some(Text(_)))
                    && matches!(t.get(i + 2), Some(Mark(',' | ')')));
                if !quoted {
                    return true;
                }
            }
            Mark('|') if matches!(t.get(i + 1), Some(Word("keys" | "values" | "pairs"))) => {
                return true;
            }
            Word("__tera_context") => return true,
            Word("for") => {
                for_header = true;
                // `for k, v in …`
                if t.get(i + 2) == Some(&Mark(',')) {
                    return true;
                }
            }
            Word("in") if for_header => {
                for_header = false;
                // `for v in page`, `for v in (page)`, `for v in
                // get_page(…)`: the values of a page object.
                let mut j = i + 1;
                while t.get(j) == Some(&Mark('(')) {
                    j += 1;
                }
                let whole_page = matches!(t.get(j), Some(Word("page" | "section")))
                    && !matches!(t.get(j + 1), Some(Mark('.' | '[' | '?' | '(')));
                if whole_page || matches!(t.get(j), Some(Word("get_page" | "get_section"))) {
                    return true;
                }
            }
            // `x in page` looks for a key: fine when `x` is one literal,
            // or when what is searched is a list or text written out.
            Word("in") if !matches!(t.get(i + 1), Some(Mark('[') | Text(_))) => {
                // The literal, skipping a `not` before `in`; the literal is
                // the whole left side unless an operator joins it to more.
                let at = |back: usize| i.checked_sub(back).and_then(|p| t.get(p));
                let lit = if prev == Some(&Word("not")) { 2 } else { 1 };
                let literal = matches!(at(lit), Some(Text(_) | Number))
                    && !matches!(at(lit + 1), Some(Mark('~' | '+' | '-' | '*' | '/' | '%')));
                if !literal {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The templates a template extends, includes or imports, by name; `None`
/// when one is named by a variable rather than in quotes.
pub fn template_uses(source: &str) -> Option<Vec<String>> {
    let mut out = vec![];
    let mut rest = source;
    while let Some(i) = rest.find("{%") {
        let tag_end = rest[i..].find("%}").map_or(rest.len(), |e| i + e);
        let tag = rest[i + 2..tag_end].trim_start_matches(['-', ' ', '\t', '\n', '\r']);
        rest = &rest[tag_end.min(rest.len())..];
        let Some(args) = ["extends", "include", "import"]
            .iter()
            .find_map(|k| tag.strip_prefix(k))
        else {
            continue;
        };
        let names = template_names(args)?;
        if names.is_empty() {
            return None;
        }
        out.extend(names);
    }
    Some(out)
}

/// Every quoted name in the rest of a tag (`["a.html", "b.html"]`).
fn template_names(s: &str) -> Option<Vec<String>> {
    let mut out = vec![];
    let mut rest = s;
    while let Some(i) = rest.find(['"', '\'']) {
        let q = rest[i..].chars().next()?;
        let end = rest[i + 1..].find(q)? + i + 1;
        out.push(rest[i + 1..end].to_string());
        rest = &rest[end + 1..];
    }
    Some(out)
}

/// `edited` and every template that extends, includes or imports one of
/// them, however indirectly.
pub fn dependents(theme: &Theme, edited: &HashSet<String>) -> HashSet<String> {
    if edited.is_empty() {
        return HashSet::new();
    }
    let uses: Vec<(&String, Option<Vec<String>>)> = theme
        .templates
        .iter()
        .map(|(name, t)| (name, template_uses(&t.source)))
        .collect();
    let mut out = edited.clone();
    loop {
        let more: Vec<String> = uses
            .iter()
            .filter(|(n, u)| {
                !out.contains(*n)
                    // A template naming others through a variable may use any.
                    && u.as_ref().is_none_or(|u| u.iter().any(|x| out.contains(x)))
            })
            .map(|(n, _)| (*n).clone())
            .collect();
        if more.is_empty() {
            return out;
        }
        out.extend(more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_templates_a_template_uses() {
        assert_eq!(
            template_uses("{% extends \"base.html\" %}{%- include 'partials/a.html' -%}"),
            Some(vec!["base.html".into(), "partials/a.html".into()])
        );
        assert_eq!(
            template_uses("{% include [\"a.html\", \"b.html\"] ignore missing %}"),
            Some(vec!["a.html".into(), "b.html".into()])
        );
        assert_eq!(
            template_uses("{% import \"macros.html\" as m %}{{ x }}"),
            Some(vec!["macros.html".into()])
        );
        assert_eq!(template_uses("{% include name %}"), None);
        assert_eq!(template_uses("{% if x %}{% endif %}"), Some(vec![]));
    }

    #[test]
    fn a_template_that_reads_other_pages_is_found_however_it_spaces_the_call() {
        let mut theme = Theme::default();
        for (name, source) in [
            (
                "a.html",
                "{% set p = get_page (path=\"x.md\") %}{{ p.title }}",
            ),
            ("b.html", "{% extends \"a.html\" %}"),
            ("c.html", "{{ page.title }}"),
        ] {
            theme.templates.insert(
                name.to_string(),
                super::super::theme::TemplateFile {
                    name: name.to_string(),
                    display: name.to_string(),
                    source: source.to_string(),
                },
            );
        }
        let readers = reader_templates(&theme);
        assert!(readers.contains("a.html") && readers.contains("b.html"));
        assert!(!readers.contains("c.html"));
    }

    fn theme_of(sources: &[&str]) -> Theme {
        let mut theme = Theme::default();
        for (i, source) in sources.iter().enumerate() {
            let name = format!("t{i}.html");
            theme.templates.insert(
                name.clone(),
                super::super::theme::TemplateFile {
                    display: name.clone(),
                    name,
                    source: source.to_string(),
                },
            );
        }
        theme
    }

    #[test]
    fn contexts_get_the_values_templates_name() {
        let want = context_use(&theme_of(&[
            "<p>current_url now</p>{# current_permalink #}{{ page.title }}",
            "{% if current_path == \"\" %}home{% endif %}",
        ]));
        assert_eq!(
            want,
            ContextUse {
                current_path: true,
                ..ContextUse::default()
            }
        );
        let want = context_use(&theme_of(&["{{ get(key=\"now\") }}{{ current_url }}"]));
        assert!(want.now && want.current_url && !want.current_permalink);
        // A value named at render time: all of them.
        for dynamic in ["{{ __tera_context }}", "{% for k, v in page %}{% endfor %}"] {
            assert_eq!(context_use(&theme_of(&[dynamic])), ContextUse::ALL);
        }
    }

    #[test]
    fn page_objects_get_the_fields_templates_name() {
        let want = field_use(&theme_of(&[
            "<h1 class=\"toc summary\">{{ page.title }}</h1>{# page.ancestors #}",
            "{% for p in section.pages | sort(attribute=\"weight\") %}{{ p[\"word_count\"] }}{% endfor %}",
            "{% macro card(p) %}{{ p.reading_time }}{% endmacro %}{{ x[0] }}{{ y[-1] }}",
            "{% for t in [\"a\", \"b\"] %}{% if t in [\"a\"] %}{{ t }}{% endif %}{% endfor %}",
        ]));
        assert!(want.title && want.section && want.weight && want.word_count && want.reading_time);
        // Words in the page's text or in comments are not code.
        assert!(!want.toc && !want.summary && !want.ancestors);
        assert!(!want.description && !want.extra);
        assert!(want != FieldUse::ALL);
    }

    #[test]
    fn the_built_in_theme_names_its_fields_and_leaves_the_rest_out() {
        let root = std::path::Path::new("/nonexistent-guidepost-site");
        let theme = super::super::theme::load(root, super::super::theme::BUILTIN_THEME).unwrap();
        let want = field_use(&theme);
        assert!(want.title && want.toc && want.ancestors && want.review_due);
        // What it shows nowhere is not made for every page.
        assert!(!want.slug && !want.weight && !want.aliases && !want.word_count);
    }

    #[test]
    fn a_field_named_at_render_time_gives_every_field() {
        for code in [
            "{{ page[name] }}",
            "{{ page [ field ] }}",
            "{{ page?[f] }}",
            "{{ page[\"image_\" ~ \"alt\"] }}",
            "{{ page[\"summary\" if s else f] }}",
            "{{ get_page(path=\"a.md\")[f] }}",
            "{% for k, v in page %}{{ k }}{% endfor %}",
            "{%- for k,v in page -%}{% endfor %}",
            "{{ [k for k, v in page] | length }}",
            "{% for v in page %}{{ v }}{% endfor %}",
            "{% for v in section %}{{ v }}{% endfor %}",
            "{{ page | keys | join(sep=\", \") }}",
            "{{ page|values }}",
            "{{ page | pairs }}",
            "{{ page | get(key=name) }}",
            "{{ page | get(key=\"reading\" ~ \"_time\") }}",
            "{{ pages | sort(attribute = field) }}",
            "{{ pages | sort(attribute=\"image_\" ~ x) }}",
            "{{ pages | group_by(attribute=site.extra.by) }}",
            "{{ pages | unique(attribute=f) }}",
            "{% if f in page %}x{% endif %}",
            "{% if \"word_\" ~ \"count\" in page %}x{% endif %}",
            "{% if f not in page %}x{% endif %}",
            "{% if page is containing(pat=f) %}x{% endif %}",
            "{{ <card {...page} /> }}",
            "{{ __tera_context }}",
            "{% for v in (page) %}{% endfor %}",
            "{% for v in get_page(path=\"a.md\") %}{% endfor %}",
            // An escaped quote does not end the string: the index after it
            // is still code.
            "{{ page.title | replace(from=\"\\\"\", to=\"\") }}{{ page[f] }}",
            "{{ 'it\\'s' }}{{ page[f] }}",
        ] {
            assert_eq!(field_use(&theme_of(&[code])), FieldUse::ALL, "{code}");
        }
        for code in [
            "{{ page[\"toc\"] }}",
            "{{ list[0] }} {{ list[-1] }}",
            "{% set l = [a, b] %}",
            "{% for x in [a, b] %}{% endfor %}",
            "{% for p in section.pages %}{% endfor %}",
            "{% for p in page.toc %}{% endfor %}",
            "{% if k == key %}{% endif %}",
            "{% if key == \"a\" %}{% endif %}",
            "{{ page | get(key=\"toc\") }}",
            "{{ pages | sort(attribute=\"date\", reverse=true) }}",
            "{% if \"toc\" in page %}{% endif %}",
            "{% if \"toc\" not in page %}{% endif %}",
            "{% if page.kind in [\"campaign\", \"poster\"] %}{% endif %}",
            "{% if \"x\" in page.title %}{% endif %}",
            "{% if site.output.audiences is containing(pat=\"staff\") %}{% endif %}",
            "{{ now[:10] }} {{ title[2:] }} {{ t[1:-1] }}",
            "{{ [c.name for c in page.channels] | join(sep=\", \") }}",
            "{% for g in [[\"a\", \"b\"]] %}{{ g[1] }}{% endfor %}",
            "{{- \"toc\" in page -}}",
            "{% include [\"a.html\", \"b.html\"] %}",
        ] {
            assert_ne!(field_use(&theme_of(&[code])), FieldUse::ALL, "{code}");
        }
    }

    #[test]
    fn letters_beyond_ascii_anywhere_in_a_template_are_read_without_a_panic() {
        // Curly quotes are not string quotes in Tera: the tag is code that
        // Tera rejects later, with its own message.
        let want = field_use(&theme_of(&[
            "<a href=\"{{ get_url(path=“about.md”) }}\">Café — {{ page.toc }}</a>",
            "{{ page.title | replace(from=\"\\\"\", to=\"\") }}<img alt=\"Café logo\">{{ page.summary }}",
            "{% set x = \"é\" %}{{ x }}{% set y = “é %}é’{{ page.weight }}",
        ]));
        assert!(want.toc && want.summary && want.weight);
    }

    #[test]
    fn quoted_tag_ends_and_raw_blocks_do_not_end_the_code() {
        let want = field_use(&theme_of(&[
            "{{ x | replace(from=\"{{title}}\", to=page.summary) }}",
            "{% set l = \"50%}\" ~ page.reading_time %}",
            "{% raw %}{#main {{ page.toc }}{% endraw %}{{ page.ancestors }}",
            "{%- raw -%}{{ page.weight }}{%- endraw -%}",
        ]));
        assert!(want.summary && want.reading_time && want.ancestors);
        // Inside raw: text, not code.
        assert!(!want.toc && !want.weight);
    }

    #[test]
    fn calls_finds_a_function_call_in_any_spacing() {
        assert!(calls("{% set a = asset(path=\"x\") %}", "asset"));
        assert!(calls("{{ asset (path=\"x\").url }}", "asset"));
        assert!(!calls(
            "{{ page.asset }} {{ my_asset(path=1) }} assets",
            "asset"
        ));
        assert!(!calls("{{ x.asset(path=1) }}", "asset"));
    }
}
