//! The user guide and the code cannot drift apart: every front matter key
//! the validator knows and every check rule is documented.

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
