//! The content rules `guidepost check` knows, by id. The same table feeds
//! docs/check.md and the validation of `check: { disable: [...] }`.

pub struct Rule {
    pub id: &'static str,
    /// What it looks for, in a comms officer's words.
    pub what: &'static str,
    /// Content rules can be switched off; build errors cannot.
    pub can_disable: bool,
}

/// Text that `guidepost new` writes where the author has to fill something in.
pub const PLACEHOLDER: &str = "CHANGE ME";

pub const RULES: &[Rule] = &[
    Rule {
        id: "review-overdue",
        what: "`review_due` is in the past (an error with --strict)",
        can_disable: true,
    },
    Rule {
        id: "review-soon",
        what: "`review_due` is within 30 days (a note)",
        can_disable: true,
    },
    Rule {
        id: "image-alt",
        what: "an image has no alt text (also a build error)",
        can_disable: false,
    },
    Rule {
        id: "image-alt-quality",
        what: "alt text that is a file name or starts \"image of…\"",
        can_disable: true,
    },
    Rule {
        id: "link-text",
        what: "link text that says nothing (\"click here\", \"read more\", a bare web address)",
        can_disable: true,
    },
    Rule {
        id: "heading-order",
        what: "heading levels that skip (## then ####) or a second main heading (#) in the body",
        can_disable: true,
    },
    Rule {
        id: "new-tab",
        what: "a link that opens a new tab without saying so",
        can_disable: true,
    },
    Rule {
        id: "audience-link",
        what: "a public page links to a staff page (also a build error)",
        can_disable: false,
    },
    Rule {
        id: "campaign-dates",
        what: "a campaign whose `ends` is before `starts` (also a build error)",
        can_disable: false,
    },
    Rule {
        id: "event-dates",
        what: "a campaign event outside the campaign's dates",
        can_disable: true,
    },
    Rule {
        id: "unknown-key",
        what: "a front matter key Guidepost does not know, with the closest known key",
        can_disable: true,
    },
    Rule {
        id: "guidance-fields",
        what: "a guidance page without `description`, `reviewed` or `review_due`",
        can_disable: true,
    },
    Rule {
        id: "invalid-date",
        what: "a date that cannot be read (also a build error)",
        can_disable: false,
    },
    Rule {
        id: "placeholder",
        what: "a CHANGE ME placeholder left by `guidepost new`",
        can_disable: false,
    },
];

pub fn is_rule(id: &str) -> bool {
    RULES.iter().any(|r| r.id == id)
}

pub fn can_disable(id: &str) -> bool {
    RULES.iter().any(|r| r.id == id && r.can_disable)
}
