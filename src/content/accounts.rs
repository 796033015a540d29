//! The accounts directory: content/_data/accounts.yaml, a list of the
//! trust's social media accounts (and its leaders' and services'). Used by
//! `@handle` links, the `accounts()` template function and "our accounts"
//! pages.

use std::path::Path;

use serde_json::Value;

use crate::config::{Audience, SiteConfig};
use crate::content::platforms::Platform;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, ids};
use crate::suggest::did_you_mean;
use crate::yaml;

pub const ACCOUNTS_FILE: &str = "content/_data/accounts.yaml";
const KEYS: &[&str] = &[
    "platform",
    "handle",
    "name",
    "url",
    "owner",
    "monitored",
    "response_time",
    "audience",
];
pub const OWNERS: &[&str] = &["trust", "leader", "service"];

#[derive(Debug, Clone, serde::Serialize)]
pub struct Account {
    pub platform: String,
    pub platform_name: String,
    pub handle: String,
    pub name: String,
    pub url: String,
    pub owner: String,
    pub monitored: Option<String>,
    pub response_time: Option<String>,
    pub audience: Audience,
}

#[derive(Debug, Clone, Default)]
pub struct Accounts {
    pub list: Vec<Account>,
}

impl Accounts {
    /// The account with this handle (without `@`, any case).
    pub fn find(&self, handle: &str) -> Option<&Account> {
        let h = handle.trim_start_matches('@');
        self.list.iter().find(|a| a.handle.eq_ignore_ascii_case(h))
    }
}

pub fn load(config: &SiteConfig, diags: &mut Diagnostics) -> Accounts {
    let path = config.root.join(ACCOUNTS_FILE);
    if !path.exists() {
        return Accounts::default();
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::error(ids::CANNOT_READ, format!("cannot read this file: {e}"))
                    .at(Location::file_only(ACCOUNTS_FILE)),
            );
            return Accounts::default();
        }
    };
    parse(&text, &config.platforms, &config.root, diags)
}

pub fn parse(
    text: &str,
    platforms: &[Platform],
    _root: &Path,
    diags: &mut Diagnostics,
) -> Accounts {
    let value = match yaml::parse_value(text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(
                Diagnostic::error(ids::YAML_SYNTAX, format!("the accounts directory is not valid YAML: {}", e.message))
                    .at(Location::at_line_col(ACCOUNTS_FILE, text, e.line, e.col, 1))
                    .hint("the file is a list: each account starts with `- platform: x` and the other keys are indented under it"),
            );
            return Accounts::default();
        }
    };
    let items = match value {
        Value::Array(items) => items,
        Value::Null => return Accounts::default(),
        other => {
            diags.push(
                Diagnostic::error(
                    ids::WRONG_KIND_OF_VALUE,
                    format!(
                        "the accounts directory should be a list of accounts, found a {}",
                        yaml::kind_name(&other)
                    ),
                )
                .at(Location::at_line_col(ACCOUNTS_FILE, text, 1, 1, 1))
                .hint("start each account with `- platform: …`"),
            );
            return Accounts::default();
        }
    };
    let at = |i: usize, key: Option<&str>| {
        let (line, col) = yaml::list_item_position(text, None, i, key).unwrap_or((1, 1));
        Location::at_line_col(ACCOUNTS_FILE, text, line, col, key.map_or(1, str::len))
    };
    let mut list = vec![];
    for (i, item) in items.iter().enumerate() {
        let Value::Object(map) = item else {
            diags.push(
                Diagnostic::error(
                    ids::WRONG_KIND_OF_VALUE,
                    format!("account {} should be a set of `key: value` pairs", i + 1),
                )
                .at(at(i, None))
                .hint("e.g. `- platform: x` then `  handle: RiversideNHS` on the next line"),
            );
            continue;
        };
        let mut ok = true;
        for key in map.keys() {
            if !KEYS.contains(&key.as_str()) {
                ok = false;
                let hint = did_you_mean(key, KEYS)
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("accounts take: {}", KEYS.join(", ")));
                diags.push(
                    Diagnostic::error(
                        ids::UNKNOWN_SETTING,
                        format!("unknown key `{key}` in account {}", i + 1),
                    )
                    .at(at(i, Some(key)))
                    .hint(hint),
                );
            }
        }
        let text_of = |k: &str| {
            map.get(k)
                .and_then(|v| match v {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
        };
        let platform_id = text_of("platform").unwrap_or_default().to_lowercase();
        let platform = platforms.iter().find(|p| p.id == platform_id);
        if platform.is_none() {
            ok = false;
            let ids: Vec<&str> = platforms.iter().map(|p| p.id.as_str()).collect();
            diags.push(
                if platform_id.is_empty() {
                    Diagnostic::error(
                        ids::INVALID_ACCOUNT,
                        format!("account {} has no `platform`", i + 1),
                    )
                } else {
                    Diagnostic::error(
                        ids::UNKNOWN_PLATFORM,
                        format!("`{platform_id}` is not a platform Guidepost knows"),
                    )
                }
                .at(at(i, Some("platform")))
                .hint(format!("use one of: {}", ids.join(", "))),
            );
        }
        let handle = text_of("handle").map(|h| h.trim_start_matches('@').to_string());
        if handle.is_none() {
            ok = false;
            diags.push(
                Diagnostic::error(
                    ids::INVALID_ACCOUNT,
                    format!("account {} has no `handle`", i + 1),
                )
                .at(at(i, None))
                .hint("add the account's handle without the @, e.g. `handle: RiversideNHS`"),
            );
        }
        let owner = text_of("owner").unwrap_or_else(|| "trust".into());
        if !OWNERS.contains(&owner.as_str()) {
            ok = false;
            diags.push(
                Diagnostic::error(ids::INVALID_OWNER, format!("`{owner}` is not an owner"))
                    .at(at(i, Some("owner")))
                    .hint("use `trust` (a corporate account), `leader` (a named leader's account) or `service` (a team or service)"),
            );
        }
        let audience = match text_of("audience") {
            None => Audience::Public,
            Some(a) => match Audience::parse(&a) {
                Some(a) => a,
                None => {
                    ok = false;
                    let hint =
                        "use `public` (listed on the public site) or `staff` (intranet only)";
                    diags.push(
                        Diagnostic::error(
                            ids::NOT_AN_AUDIENCE,
                            format!("`{a}` is not an audience"),
                        )
                        .at(at(i, Some("audience")))
                        .hint(hint),
                    );
                    Audience::Public
                }
            },
        };
        let url = match (text_of("url"), platform, &handle) {
            (Some(u), _, _) => Some(u),
            (None, Some(p), Some(h)) => p.profile_url(h),
            _ => None,
        };
        if ok && url.is_none() {
            ok = false;
            diags.push(
                Diagnostic::error(ids::INVALID_ACCOUNT, format!(
                    "account {} needs a `url`: its address cannot be worked out from the handle",
                    i + 1
                ))
                .at(at(i, Some("handle")))
                .hint("add `url: https://…` with the account's address"),
            );
        }
        if let (true, Some(p), Some(handle), Some(url)) = (ok, platform, handle, url) {
            list.push(Account {
                platform: p.id.clone(),
                platform_name: p.name.clone(),
                name: text_of("name").unwrap_or_else(|| format!("@{handle}")),
                handle,
                url,
                owner,
                monitored: text_of("monitored"),
                response_time: text_of("response_time"),
                audience,
            });
        }
    }
    Accounts { list }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_urls_and_reports_bad_entries_with_lines() {
        let src = "- platform: x\n  handle: RiversideNHS\n  name: Riverside\n- platform: myspace\n  handle: old\n- platform: bluesky\n  handle: a.bsky.social\n  owner: boss\n";
        let mut d = Diagnostics::new();
        let a = parse(
            src,
            &crate::content::platforms::defaults(),
            Path::new("/"),
            &mut d,
        );
        assert_eq!(a.list.len(), 1);
        assert_eq!(a.list[0].url, "https://x.com/RiversideNHS");
        assert!(a.find("@riversidenhs").is_some());
        let text: Vec<String> = d.sorted().iter().map(|x| x.render()).collect();
        assert!(
            text[0].contains("content/_data/accounts.yaml:4:3: `myspace` is not a platform"),
            "{}",
            text[0]
        );
        assert!(
            text[1].contains("content/_data/accounts.yaml:8:3: `boss` is not an owner"),
            "{}",
            text[1]
        );
    }
}
