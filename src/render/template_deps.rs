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
/// name one at render time: an index that is not a literal (`page[name]`),
/// a loop over an object's keys and values (`for k, v in page`), the
/// `keys`, `values` and `pairs` filters, or `key=`/`attribute=` given a
/// variable. A word that is not a page field, or a field named for another
/// object (`site.extra`), only makes objects a little larger. `kind` is
/// always there.
pub fn field_use(theme: &Theme) -> FieldUse {
    // Always there: the mark of a page object in a message about a
    // misspelt field (`render::with_every_page_field`).
    let mut want = FieldUse {
        kind: true,
        ..FieldUse::NONE
    };
    for t in theme.templates.values() {
        for code in code_parts(&t.source) {
            if names_fields_at_render_time(code) {
                return FieldUse::ALL;
            }
            for w in words(code) {
                want.add(w);
            }
        }
    }
    want
}

/// The code of a template: the insides of its `{{ }}` and `{% %}` tags
/// (comments and text left out).
fn code_parts(source: &str) -> impl Iterator<Item = &str> {
    let mut rest = source;
    std::iter::from_fn(move || {
        loop {
            let i = rest.find('{')?;
            let close = match rest[i + 1..].chars().next() {
                Some('{') => "}}",
                Some('%') => "%}",
                Some('#') => "#}",
                _ => {
                    rest = &rest[i + 1..];
                    continue;
                }
            };
            let inner = &rest[i + 2..];
            let end = inner.find(close).unwrap_or(inner.len());
            rest = &inner[(end + close.len()).min(inner.len())..];
            if close != "#}" {
                return Some(&inner[..end]);
            }
        }
    })
}

/// The words of a piece of code: runs of letters, digits and `_`.
fn words(code: &str) -> impl Iterator<Item = &str> {
    code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// Whether this code can read a field whose name is made at render time.
fn names_fields_at_render_time(code: &str) -> bool {
    let b = code.as_bytes();
    let next_text = |from: usize| code[from..].trim_start();
    let word_before = |at: usize| {
        let head = code[..at].trim_end();
        let start = head
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        &head[start..]
    };
    for (i, &c) in b.iter().enumerate() {
        match c {
            // An index (after a name or a closing bracket, not a list
            // literal) that is not a quoted name, a number or a slice
            // from the start (`now[:10]`).
            b'[' => {
                let before = code[..i].trim_end();
                let indexes = before
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_ascii_alphanumeric() || p == '_' || p == ']' || p == ')');
                let literal = next_text(i + 1).starts_with(|n: char| {
                    matches!(n, '"' | '\'' | '`' | '-' | ':') || n.is_ascii_digit()
                });
                if indexes
                    && !literal
                    && !matches!(word_before(i), "in" | "and" | "or" | "not" | "is" | "if")
                {
                    return true;
                }
            }
            // `key=name` and `attribute=name`, not `key="title"`.
            b'=' if b.get(i + 1) != Some(&b'=')
                && i > 0
                && !matches!(b[i - 1], b'=' | b'!' | b'<' | b'>')
                && matches!(word_before(i), "key" | "attribute")
                && !next_text(i + 1).starts_with(['"', '\'', '`']) =>
            {
                return true;
            }
            b'|' => {
                let filter = next_text(i + 1);
                let name_end = filter
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(filter.len());
                if matches!(&filter[..name_end], "keys" | "values" | "pairs") {
                    return true;
                }
            }
            _ => {}
        }
    }
    // `for key, value in object`.
    let tag = code.trim_start_matches(['-', ' ', '\t', '\n', '\r']);
    if let Some(rest) = tag.strip_prefix("for")
        && rest.starts_with(char::is_whitespace)
        && let Some(vars) = rest.split(" in ").next()
        && vars.contains(',')
    {
        return true;
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
            "{{ get_page(path=\"a.md\")[f] }}",
            "{% for k, v in page %}{{ k }}{% endfor %}",
            "{%- for k,v in page -%}{% endfor %}",
            "{{ page | keys | join(sep=\", \") }}",
            "{{ page|values }}",
            "{{ page | pairs }}",
            "{{ page | get(key=name) }}",
            "{{ pages | sort(attribute = field) }}",
            "{{ pages | group_by(attribute=site.extra.by) }}",
        ] {
            assert_eq!(field_use(&theme_of(&[code])), FieldUse::ALL, "{code}");
        }
        for code in [
            "{{ page[\"toc\"] }}",
            "{{ list[0] }}",
            "{% set l = [a, b] %}",
            "{% for x in [a, b] %}{% endfor %}",
            "{% if k == key %}{% endif %}",
            "{{ now[:10] }} {{ title[2:] }}",
            "{{ [c.name for c in page.channels] | join(sep=\", \") }}",
            "{% for g in [[\"a\", \"b\"]] %}{{ g[1] }}{% endfor %}",
            "{{ page | get(key=\"toc\") }}",
        ] {
            assert_ne!(field_use(&theme_of(&[code])), FieldUse::ALL, "{code}");
        }
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
