//! The user guide and the code cannot drift apart: every front matter key
//! the validator knows, every check rule and every message id is
//! documented.

use std::path::Path;

fn doc(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs")
            .join(name),
    )
    .unwrap()
}

#[test]
fn every_front_matter_key_is_documented() {
    let writing = doc("writing-content.md");
    for key in guidepost::content::front_matter::KNOWN_KEYS {
        assert!(
            writing.contains(&format!("`{key}`")),
            "docs/writing-content.md does not document `{key}`"
        );
    }
    let campaigns = doc("campaigns.md");
    for key in guidepost::content::campaign::KEYS {
        assert!(
            campaigns.contains(&format!("`{key}`")),
            "docs/campaigns.md does not document `{key}`"
        );
    }
    let posters = doc("posters.md");
    for key in guidepost::content::poster::KEYS {
        assert!(
            posters.contains(&format!("`{key}`")),
            "docs/posters.md does not document `{key}`"
        );
    }
}

#[test]
fn every_check_rule_is_documented() {
    let check = doc("check.md");
    for rule in guidepost::check::rules::RULES {
        assert!(
            check.contains(&format!("| `{}` |", rule.id)),
            "docs/check.md does not list the rule `{}`",
            rule.id
        );
    }
}

/// Every message id (src/diagnostics/ids.rs) has its entry in
/// docs/troubleshooting.md: an anchor `<a id="ID"></a>` and a heading
/// starting with the id, in the order of the list; and the page has no
/// entry for an id that does not exist.
#[test]
fn every_message_id_is_explained_in_troubleshooting() {
    let doc = doc("troubleshooting.md");
    let ids = guidepost::diagnostics::ids::ALL;
    let mut previous = 0;
    for (id, _) in ids {
        let entry = format!("<a id=\"{id}\"></a>\n### {id}: ");
        let at = doc.find(&entry).unwrap_or_else(|| {
            panic!("docs/troubleshooting.md has no entry for `{id}`: add `{entry}…` and explain it")
        });
        assert!(
            at > previous,
            "docs/troubleshooting.md: `{id}` is not in the order of src/diagnostics/ids.rs"
        );
        previous = at;
    }
    for line in doc.lines().filter(|l| l.starts_with("<a id=\"")) {
        let rest = &line["<a id=\"".len()..];
        let id = &rest[..rest.find('"').unwrap()];
        assert!(
            ids.iter().any(|(known, _)| *known == id),
            "docs/troubleshooting.md explains `{id}`, which is not an id in src/diagnostics/ids.rs"
        );
    }
}

/// Links within docs/troubleshooting.md to an id's entry lead somewhere.
#[test]
fn troubleshooting_links_to_ids_resolve() {
    let doc = doc("troubleshooting.md");
    for (at, _) in doc.match_indices("](#") {
        let rest = &doc[at + 3..];
        let target = &rest[..rest.find(')').unwrap()];
        let is_id = guidepost::diagnostics::ids::ALL
            .iter()
            .any(|(id, _)| *id == target);
        let is_heading = doc
            .lines()
            .any(|l| l.starts_with('#') && github_slug(l.trim_start_matches('#').trim()) == target);
        assert!(
            is_id || is_heading,
            "docs/troubleshooting.md links to #{target}, which is neither an id nor a heading"
        );
    }
}

/// GitHub's heading anchors: lower case, punctuation dropped, spaces to `-`.
fn github_slug(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}
