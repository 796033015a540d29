//! The id of every message Guidepost can print.
//!
//! Every [`Diagnostic`](super::Diagnostic) is made with one of the ids
//! below (`Diagnostic::error(ids::MISSING_TITLE, …)`). The id is printed
//! with the message (`… [missing-title]`), in JSON and in GitHub
//! annotations, and docs/troubleshooting.md has a heading for each one, so a
//! comms officer can look any message up by its id.
//!
//! [`Id`] can only be made here: a new message must use an id from this
//! list, or add one (and its entry in docs/troubleshooting.md, which
//! `tests/docs.rs` checks), or it does not compile.
//!
//! Some ids are also the ids of `guidepost check` rules
//! ([`crate::check::rules::RULES`]). Only those findings can be switched
//! off with `check: { disable: [...] }`, and only the rules marked so; the
//! other ids are for looking a message up, never for switching it off.

use std::fmt;

/// A stable, kebab-case name for one kind of problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(&'static str);

impl Id {
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

macro_rules! ids {
    ($($name:ident = $id:literal: $summary:literal;)*) => {
        $(pub const $name: Id = Id($id);)*

        /// Every id, with a one-line summary, in the order of
        /// docs/troubleshooting.md. The single list the docs are tested
        /// against.
        pub const ALL: &[(&str, &str)] = &[$(($id, $summary)),*];

        /// The Rust names of the constants, in the same order (for the test
        /// that every id is used somewhere).
        #[cfg(test)]
        const NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

ids! {
    // Running Guidepost
    NO_SITE_YAML = "no-site-yaml": "Guidepost cannot find the site's site.yaml";
    CANNOT_READ = "cannot-read": "a file or folder could not be read";
    UNKNOWN_OUTPUT = "unknown-output": "`--output` names an output that site.yaml does not have";
    INVALID_NOW = "invalid-now": "the date given with `--now` (or in SOURCE_DATE_EPOCH) cannot be read";
    FOLDER_NOT_EMPTY = "folder-not-empty": "`guidepost init` only sets up a new or empty folder";
    PAGE_EXISTS = "page-exists": "`guidepost new` will not overwrite a page that is already there";
    UNUSABLE_TITLE = "unusable-title": "the title given to `guidepost new` has no letters or digits for a file name";
    UNKNOWN_KIND = "unknown-kind": "`guidepost new` does not make that kind of page";
    CANNOT_WATCH = "cannot-watch": "the computer will not tell `watch` or `serve` when files change";
    INVALID_BIND_ADDRESS = "invalid-bind-address": "`--bind` is not an address to listen on";
    NO_FREE_PORT = "no-free-port": "`serve` found no free port to listen on";
    SERVER_ERROR = "server-error": "the preview server of `serve` failed because of a problem on the computer";

    // site.yaml (some of these are used elsewhere too)
    YAML_SYNTAX = "yaml-syntax": "site.yaml, a page's front matter or the accounts directory is not valid YAML";
    UNKNOWN_SETTING = "unknown-setting": "a setting Guidepost does not know, usually a misspelling";
    MISSING_SETTING = "missing-setting": "a setting that site.yaml must have is not there";
    WRONG_KIND_OF_VALUE = "wrong-kind-of-value": "a setting has the wrong kind of value, such as text where a list belongs";
    NOT_AN_AUDIENCE = "not-an-audience": "an audience that is not `public` or `staff`";
    UNKNOWN_TIME_ZONE = "unknown-time-zone": "`timezone` is not the name of a time zone";
    UNKNOWN_PLATFORM = "unknown-platform": "a social media platform that Guidepost does not know";
    INVALID_PLATFORM_ID = "invalid-platform-id": "a new platform in site.yaml has a name that cannot be an id";
    INVALID_TAXONOMY_NAME = "invalid-taxonomy-name": "a name under `taxonomies` is not in lower-case letters";
    INVALID_OUTPUT_NAME = "invalid-output-name": "an output's name is not in lower-case letters, digits and hyphens";
    INVALID_WEB_ADDRESS = "invalid-web-address": "a web address that does not start with https://";
    OUTPUT_OUTSIDE_SITE = "output-outside-site": "an output folder is outside the site folder";
    OVERLAPPING_OUTPUTS = "overlapping-outputs": "two outputs would write into the same folder";
    OUTPUT_IN_SOURCE_FOLDER = "output-in-source-folder": "an output would write into content/, themes/, templates/ or static/";
    MISSING_SHARE_IMAGE = "missing-share-image": "the site's share image is not in static/";
    INVALID_FILE_SIZE = "invalid-file-size": "`max_file_size` is not a file size";
    INVALID_STAFF_MARKERS = "invalid-staff-markers": "`staff_markers` is not a list of phrases of at least 4 characters";
    INVALID_CHECK_SETTING = "invalid-check-setting": "`check` is not written as `check: { disable: [...] }`";
    THEME_NOT_FOUND = "theme-not-found": "site.yaml names a theme that is not there";

    // Pages and front matter
    NO_CONTENT_FOLDER = "no-content-folder": "the site has no content/ folder";
    NOT_UTF8_TEXT = "not-utf8-text": "a page is not saved as UTF-8 text";
    SYMLINK_SKIPPED = "symlink-skipped": "a symbolic link in content/ is left out of the site";
    UNCLOSED_FRONT_MATTER = "unclosed-front-matter": "the front matter has no closing `---` line";
    MISSING_TITLE = "missing-title": "a page has no title";
    INVALID_HASHTAG = "invalid-hashtag": "a hashtag that is not `#` and then letters, digits or `_`";
    MISSING_IMAGE_ALT = "missing-image-alt": "an image setting has no `image_alt` to describe it";
    STAFF_HOME_PAGE = "staff-home-page": "the home page is for staff only, so a public output would have none";
    ADDRESS_CLASH = "address-clash": "two pages would be published at the same address";
    RESERVED_ADDRESS = "reserved-address": "a page has an address that Guidepost needs for a page it makes itself";
    EMPTY_ADDRESS = "empty-address": "a page's file name gives it no address";
    INVALID_ALIAS = "invalid-alias": "an old address in `aliases` is not an address inside the site";
    ALIAS_CLASH = "alias-clash": "an old address in `aliases` is already taken";

    // Links
    BROKEN_LINK = "broken-link": "a link to a page that does not exist";
    NO_PAGE_AT_ADDRESS = "no-page-at-address": "a link to an address on the site where there is no page";
    BROKEN_ANCHOR = "broken-anchor": "a link to a heading (`#…`) that the page does not have";
    UNPUBLISHED_LINK = "unpublished-link": "a link to a page that is not published (a draft, or not yet or no longer live)";
    OUTSIDE_CONTENT = "outside-content": "a path that leads outside the content/ folder";

    // Files and images
    MISSING_FILE = "missing-file": "a link to a document or print file that does not exist";
    MISSING_IMAGE = "missing-image": "an image that does not exist";
    EMPTY_FILE = "empty-file": "a linked file is empty (0 bytes)";
    FILE_TOO_LARGE = "file-too-large": "a linked file is larger than `max_file_size`";
    SYMLINK_OUTSIDE_SITE = "symlink-outside-site": "a linked file is reached through a symbolic link to outside the site";
    STATIC_ADDRESS_CLASH = "static-address-clash": "a file in static/ has the same address as a page or file of the site";
    ATTACHMENT_ADDRESS_CLASH = "attachment-address-clash": "a file linked from a page has the same address as a file Guidepost makes";

    // Campaigns and the accounts directory
    MISSING_HASHTAG = "missing-hashtag": "a campaign has no `hashtag`";
    MISSING_CAMPAIGN_DATES = "missing-campaign-dates": "a campaign has no `starts` or `ends` date";
    INVALID_GOAL = "invalid-goal": "a campaign goal is missing its `metric` or has a number that is not one";
    INVALID_EVENT = "invalid-event": "a campaign event is missing its title, time or place, or ends before it starts";
    INVALID_POST = "invalid-post": "a campaign post has no `text` or no `platforms`";
    POST_TOO_LONG = "post-too-long": "a campaign post is longer than a platform allows";
    INVALID_RESPONSE = "invalid-response": "a reply for staff lacks its `situation` or `reply`";
    INVALID_ACCOUNT = "invalid-account": "an account in the accounts directory lacks its platform, handle or address";
    INVALID_OWNER = "invalid-owner": "an account's `owner` is not `trust`, `leader` or `service`";

    // Posters
    POSTER_WITHOUT_IMAGE = "poster-without-image": "a poster page has no `image`";
    EMPTY_POSTER_TEXT = "empty-poster-text": "a poster page has no text version of the poster";
    INVALID_PAPER_SIZE = "invalid-paper-size": "a poster's `paper` is not A4 or A3";
    NOT_A_CAMPAIGN = "not-a-campaign": "a poster's `campaign` names a page that is not a campaign";
    UNREADABLE_IMAGE = "unreadable-image": "a poster's picture cannot be read to make a thumbnail";

    // Templates
    MISSING_TEMPLATE = "missing-template": "a template that is not in the theme or in templates/";
    TEMPLATE_SYNTAX = "template-syntax": "a template has a tag that is not written correctly";
    TEMPLATE_ERROR = "template-error": "a template failed while making a page";

    // Output folders and the leak check
    FOREIGN_OUTPUT_FOLDER = "foreign-output-folder": "an output's folder holds files that Guidepost did not put there";
    FOREIGN_FILES = "foreign-files": "files were added to an output folder that Guidepost wrote";
    CANNOT_WRITE = "cannot-write": "a file could not be written";
    OUTPUT_PATH_CLASH = "output-path-clash": "one file of an output is where another needs a folder";
    WRITE_OUTSIDE_OUTPUT = "write-outside-output": "Guidepost refused to write a file outside the output folder";
    LEAK_STAFF_MARKER = "leak-staff-marker": "a public file contains a staff marker phrase";
    LEAK_STAFF_ADDRESS = "leak-staff-address": "a public file contains the address of a staff page";

    // guidepost check: the rules (see check::rules and docs/check.md)
    UNKNOWN_RULE = "unknown-rule": "`check: { disable: [...] }` names a rule that does not exist";
    REVIEW_OVERDUE = "review-overdue": "a page's review date has passed";
    REVIEW_SOON = "review-soon": "a page's review is due within 30 days";
    IMAGE_ALT = "image-alt": "an image has no alt text";
    IMAGE_ALT_QUALITY = "image-alt-quality": "alt text that is a file name or starts \"image of\"";
    LINK_TEXT = "link-text": "link text that does not say where the link goes";
    HEADING_ORDER = "heading-order": "heading levels that skip, or a second main heading";
    NEW_TAB = "new-tab": "a link that opens a new tab without saying so";
    AUDIENCE_LINK = "audience-link": "a public page links to a page for staff";
    CAMPAIGN_DATES = "campaign-dates": "a campaign ends before it starts";
    EVENT_DATES = "event-dates": "a campaign event is outside the campaign's dates";
    UNKNOWN_KEY = "unknown-key": "a front matter key that Guidepost does not know";
    GUIDANCE_FIELDS = "guidance-fields": "a guidance page lacks its description or review dates";
    INVALID_DATE = "invalid-date": "a date that cannot be read";
    PLACEHOLDER = "placeholder": "a CHANGE ME left by `guidepost new`";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_summarised() {
        let mut seen = std::collections::HashSet::new();
        for (id, summary) in ALL {
            assert!(seen.insert(*id), "`{id}` is listed twice");
            assert!(
                !id.is_empty()
                    && !id.starts_with('-')
                    && !id.ends_with('-')
                    && !id.contains("--")
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "`{id}` is not kebab-case"
            );
            assert!(
                !summary.is_empty() && !summary.ends_with('.'),
                "`{id}` needs a one-line summary without a full stop"
            );
        }
        assert_eq!(NAMES.len(), ALL.len());
    }

    /// The constructors only take an [`Id`], so the code cannot use an id
    /// that is missing from the list. This is the other direction: every
    /// id in the list is used by some message, so the docs describe
    /// nothing that cannot happen. (Uses are written `ids::NAME`.)
    #[test]
    fn every_id_is_used_somewhere() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut code = String::new();
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("diagnostics/ids.rs")
            {
                code.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
        for (name, (id, _)) in NAMES.iter().zip(ALL) {
            let path = format!("ids::{name}");
            let used = code.match_indices(&path).any(|(i, _)| {
                !code[i + path.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            assert!(
                used,
                "the id `{id}` ({name}) is listed but no message uses it"
            );
        }
    }
}
