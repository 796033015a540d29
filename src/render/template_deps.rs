//! What templates use: the templates they extend, include or import, and
//! whether they read pages other than the one they render. Incremental
//! rebuilds (`build::incremental`) decide from this which pages an edit
//! can change.

use std::collections::{HashMap, HashSet};

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
