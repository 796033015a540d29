//! The content rules `guidepost check` knows, by id. The same table feeds
//! docs/check.md and the validation of `check: { disable: [...] }`.
//!
//! A rule's id is one of the message ids of [`crate::diagnostics::ids`]:
//! its findings are made with it, and being in this table is what makes an
//! id a rule that `check: { disable: [...] }` can name.

use crate::diagnostics::{Id, ids};

pub struct Rule {
    pub id: Id,
    /// What it looks for, in a comms officer's words.
    pub what: &'static str,
    /// Content rules can be switched off; build errors cannot.
    pub can_disable: bool,
}

/// Text that `guidepost new` writes where the author has to fill something in.
pub const PLACEHOLDER: &str = "CHANGE ME";

pub const RULES: &[Rule] = &[
    Rule {
        id: ids::REVIEW_OVERDUE,
        what: "`review_due` is in the past (an error with --strict)",
        can_disable: true,
    },
    Rule {
        id: ids::REVIEW_SOON,
        what: "`review_due` is within 30 days (a note)",
        can_disable: true,
    },
    Rule {
        id: ids::IMAGE_ALT,
        what: "an image has no alt text (also a build error)",
        can_disable: false,
    },
    Rule {
        id: ids::IMAGE_ALT_QUALITY,
        what: "alt text that is a file name or starts \"image of…\"",
        can_disable: true,
    },
    Rule {
        id: ids::LINK_TEXT,
        what: "link text that says nothing (\"click here\", \"read more\", a bare web address)",
        can_disable: true,
    },
    Rule {
        id: ids::HEADING_ORDER,
        what: "heading levels that skip (## then ####) or a second main heading (#) in the body",
        can_disable: true,
    },
    Rule {
        id: ids::NEW_TAB,
        what: "a link that opens a new tab without saying so",
        can_disable: true,
    },
    Rule {
        id: ids::AUDIENCE_LINK,
        what: "a public page links to a staff page (also a build error)",
        can_disable: false,
    },
    Rule {
        id: ids::CAMPAIGN_DATES,
        what: "a campaign whose `ends` is before `starts` (also a build error)",
        can_disable: false,
    },
    Rule {
        id: ids::EVENT_DATES,
        what: "a campaign event outside the campaign's dates",
        can_disable: true,
    },
    Rule {
        id: ids::UNKNOWN_KEY,
        what: "a front matter key Guidepost does not know, with the closest known key",
        can_disable: true,
    },
    Rule {
        id: ids::GUIDANCE_FIELDS,
        what: "a guidance page without `description`, `reviewed` or `review_due`",
        can_disable: true,
    },
    Rule {
        id: ids::INVALID_DATE,
        what: "a date that cannot be read (also a build error)",
        can_disable: false,
    },
    Rule {
        id: ids::PLACEHOLDER,
        what: "a CHANGE ME placeholder left by `guidepost new`",
        can_disable: false,
    },
];

pub fn is_rule(id: &str) -> bool {
    RULES.iter().any(|r| r.id.as_str() == id)
}

pub fn can_disable(id: &str) -> bool {
    RULES.iter().any(|r| r.id.as_str() == id && r.can_disable)
}
