//! Front matter: the YAML between `---` lines at the top of a page.
//!
//! Splitting and typing happen here; YAML itself is parsed by
//! [`crate::yaml`]. Problems are reported with the line in the page file.

use serde_json::Value;

use crate::config::Audience;
use crate::content::dates::{self, Dated};
use crate::diagnostics::{Diagnostic, Diagnostics, Id, Location, ids};
use crate::suggest::did_you_mean;
use crate::yaml::{self, Map};

/// The front matter keys every page understands (SPEC §4).
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "audience",
    "date",
    "updated",
    "reviewed",
    "review_due",
    "publish",
    "expires",
    "draft",
    "slug",
    "aliases",
    "template",
    "weight",
    "hashtags",
    "image",
    "image_alt",
    "check",
];

#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    pub audience: Option<Audience>,
    pub date: Option<Dated>,
    pub updated: Option<Dated>,
    pub reviewed: Option<Dated>,
    pub review_due: Option<Dated>,
    pub publish: Option<Dated>,
    pub expires: Option<Dated>,
    pub draft: bool,
    pub slug: Option<String>,
    pub aliases: Vec<(String, usize)>,
    pub template: Option<String>,
    pub weight: Option<i64>,
    pub hashtags: Vec<String>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// Taxonomy name → terms, for the taxonomies site.yaml declares.
    pub taxonomies: Vec<(String, Vec<String>)>,
    /// Keys we do not know, kept for templates as `page.extra`.
    pub extra: Map,
    /// Keys of the page's kind, raw (see `FmContext::kind_keys`).
    pub kind_fields: Map,
    /// `check: { disable: [rule-id] }`: content rules switched off here.
    pub check_disable: Vec<String>,
    /// The YAML could be read (when not, kind fields are not checked: the
    /// YAML error is the one problem worth reporting).
    pub readable: bool,
}

/// A page file split into front matter and body.
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Byte offset of the YAML within the file.
    pub yaml_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Splits `---\nYAML\n---\nbody`. A file with no front matter at all has
/// an empty YAML part (and so no title, which is reported by the caller).
pub fn split(text: &str) -> Result<Split<'_>, usize> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            yaml: "",
            yaml_offset: start,
            body: rest,
            body_offset: start,
        });
    }
    let yaml_offset = start + first_line_end;
    let mut pos = yaml_offset;
    while pos < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i + 1);
        let line = &text[pos..end];
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_offset..pos],
                yaml_offset,
                body: &text[end..],
                body_offset: end,
            });
        }
        pos = end;
    }
    // The opening `---` is never closed: point at it.
    Err(start)
}

pub struct FmContext<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub yaml: &'a str,
    pub yaml_offset: usize,
    pub tz: &'a jiff::tz::TimeZone,
    pub taxonomies: &'a [String],
    /// Keys of the page's kind (a campaign's `hashtag`, say), kept raw in
    /// `FrontMatter::kind_fields` for the kind's own parser.
    pub kind_keys: &'a [&'static str],
    pub diags: &'a mut Diagnostics,
}

/// Positions in a page's front matter, in the page file's own lines.
pub struct Locator<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub yaml: &'a str,
    /// File line of the first YAML line.
    pub first_line: usize,
}

impl<'a> Locator<'a> {
    pub fn new(file: &'a str, text: &'a str, yaml: &'a str, yaml_offset: usize) -> Self {
        Locator {
            file,
            text,
            yaml,
            first_line: text[..yaml_offset].matches('\n').count() + 1,
        }
    }

    fn at(&self, pos: Option<(usize, usize)>, len: usize) -> Location {
        match pos {
            Some((line, col)) => {
                Location::at_line_col(self.file, self.text, self.first_line + line - 1, col, len)
            }
            None => Location::at_line_col(self.file, self.text, 1, 1, 3),
        }
    }

    /// A top-level key.
    pub fn key(&self, key: &str) -> Location {
        self.at(yaml::key_position(self.yaml, &[key]), key.len())
    }

    /// `key` in the `index`-th item of the list under `top` (or the item).
    pub fn item(&self, top: &str, index: usize, key: Option<&str>) -> Location {
        self.at(
            yaml::list_item_position(self.yaml, Some(top), index, key),
            key.map_or(1, str::len),
        )
    }
}

impl FmContext<'_> {
    /// The line of the YAML part where the front matter starts, in file lines.
    fn yaml_first_line(&self) -> usize {
        self.text[..self.yaml_offset].matches('\n').count() + 1
    }

    fn key_location(&self, key: &str) -> Location {
        let first = self.yaml_first_line();
        match yaml::key_position(self.yaml, &[key]) {
            Some((line, col)) => {
                Location::at_line_col(self.file, self.text, first + line - 1, col, key.len())
            }
            None => Location::at_line_col(self.file, self.text, 1, 1, 3),
        }
    }

    /// The location of a key's value (for "this value is wrong").
    fn value_location(&self, key: &str) -> Location {
        let mut loc = self.key_location(key);
        if let Some(text) = &loc.line_text
            && let Some(colon) = text[loc.underline.start..].find(':')
        {
            let after = loc.underline.start + colon + 1;
            let value_start = after + (text[after..].len() - text[after..].trim_start().len());
            if value_start < text.len() {
                let col = text[..value_start].chars().count() + 1;
                loc.col = col;
                loc.underline = value_start..text.len();
            }
        }
        loc
    }

    fn error(&mut self, id: Id, key: &str, message: String, hint: &str) {
        let loc = self.value_location(key);
        self.diags
            .push(Diagnostic::error(id, message).at(loc).hint(hint));
    }
}

/// Types the front matter. Errors and warnings go to `cx.diags`; the result
/// is always usable (bad values are dropped) so later stages can report
/// their own problems too.
pub fn parse(cx: &mut FmContext<'_>) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let map = match yaml::parse_map(cx.yaml) {
        Ok(m) => {
            fm.readable = true;
            m
        }
        Err(e) => {
            let line = cx.yaml_first_line() + e.line - 1;
            let loc = Location::at_line_col(cx.file, cx.text, line, e.col, 1);
            cx.diags.push(
                Diagnostic::error(ids::YAML_SYNTAX, format!("the front matter is not valid YAML: {}", e.message))
                    .at(loc)
                    .hint("front matter lines are `key: value`; put a value that contains `: ` or starts with a quote, `[`, `{`, `#`, `@` or `*` inside double quotes"),
            );
            // Without readable front matter the page has no title either;
            // that is the same problem, so it is not reported twice.
            fm.title = String::new();
            return fm;
        }
    };

    for (key, value) in &map {
        let k = key.as_str();
        match k {
            "title" => match text_value(value) {
                Some(t) if !t.trim().is_empty() => fm.title = t.trim().to_string(),
                _ => cx.error(ids::MISSING_TITLE, k, "`title` is empty".into(), "give the page a title: `title: How we use social media`"),
            },
            "description" => fm.description = text_field(cx, k, value),
            "audience" => match value.as_str().map(str::trim).and_then(Audience::parse) {
                Some(a) => fm.audience = Some(a),
                None => cx.error(
                    ids::NOT_AN_AUDIENCE,
                    k,
                    format!("`{}` is not an audience", show(value)),
                    "use `audience: public` (on the public site and the intranet) or `audience: staff` (intranet only)",
                ),
            },
            "date" | "updated" | "reviewed" | "review_due" | "publish" | "expires" => {
                let parsed = match value {
                    Value::String(s) => dates::parse(s, cx.tz),
                    Value::Null => continue,
                    other => Err(format!("`{}` is not a date", show(other))),
                };
                match parsed {
                    Ok(d) => {
                        let slot = match k {
                            "date" => &mut fm.date,
                            "updated" => &mut fm.updated,
                            "reviewed" => &mut fm.reviewed,
                            "review_due" => &mut fm.review_due,
                            "publish" => &mut fm.publish,
                            _ => &mut fm.expires,
                        };
                        *slot = Some(d);
                    }
                    Err(msg) => {
                        let loc = cx.value_location(k);
                        cx.diags.push(Diagnostic::error(ids::INVALID_DATE, format!("`{k}`: {msg}")).at(loc).hint(dates::DATE_HINT));
                    }
                }
            }
            "draft" => match value {
                Value::Bool(b) => fm.draft = *b,
                _ => cx.error(ids::WRONG_KIND_OF_VALUE, k, "`draft` should be true or false".into(), "write `draft: true` or remove the line"),
            },
            "slug" => fm.slug = text_field(cx, k, value),
            "template" => fm.template = text_field(cx, k, value),
            "image" => fm.image = text_field(cx, k, value),
            "image_alt" => fm.image_alt = text_field(cx, k, value),
            "check" => match value.get("disable").and_then(Value::as_array) {
                Some(ids) if value.as_object().is_some_and(|o| o.len() == 1) => {
                    fm.check_disable = ids.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
                }
                _ => cx.error(ids::INVALID_CHECK_SETTING, k, "`check` should be `{ disable: [rule-id, …] }`".into(), "e.g. `check: { disable: [link-text] }`; rule ids are listed in docs/check.md"),
            },
            "weight" => match value.as_i64() {
                Some(w) => fm.weight = Some(w),
                None => cx.error(ids::WRONG_KIND_OF_VALUE, k, format!("`weight` should be a whole number, found `{}`", show(value)), "e.g. `weight: 10`; lower numbers come first"),
            },
            "aliases" => {
                let line = cx.key_location(k).line;
                for item in list_of_text(cx, k, value) {
                    fm.aliases.push((item, line));
                }
            }
            "hashtags" => {
                for tag in list_of_text(cx, k, value) {
                    let t = if tag.starts_with('#') { tag.clone() } else { format!("#{tag}") };
                    if is_hashtag(&t) {
                        fm.hashtags.push(t);
                    } else {
                        cx.error(ids::INVALID_HASHTAG, k, format!("`{tag}` is not a hashtag"), "a hashtag is `#` then letters, digits or `_`, starting with a letter, e.g. `#hellomynameis`");
                    }
                }
            }
            _ if cx.kind_keys.contains(&k) => {
                fm.kind_fields.insert(key.clone(), value.clone());
            }
            _ if cx.taxonomies.iter().any(|t| t == k) => {
                let terms = list_of_text(cx, k, value);
                fm.taxonomies.push((k.to_string(), terms));
            }
            _ => {
                let mut known: Vec<&str> = KNOWN_KEYS.to_vec();
                known.extend(cx.kind_keys.iter().copied());
                known.extend(cx.taxonomies.iter().map(String::as_str));
                let hint = match did_you_mean(k, &known) {
                    Some(s) => format!("did you mean `{s}`? If `{k}` is meant for a custom template, it is available there as `page.extra.{k}`"),
                    None => format!("known keys: {}. The value is kept for templates as `page.extra.{k}`", known.join(", ")),
                };
                let loc = cx.key_location(k);
                cx.diags.push(
                    Diagnostic::warning(ids::UNKNOWN_KEY, format!("unknown front matter key `{k}`"))
                        .at(loc)
                        .hint(hint),
                );
                fm.extra.insert(key.clone(), value.clone());
            }
        }
    }
    if !map.contains_key("title") {
        let loc = Location::at_line_col(cx.file, cx.text, 1, 1, 3);
        cx.diags
            .push(Diagnostic::error(ids::MISSING_TITLE, "this page has no `title`").at(loc).hint(
            "every page needs a title in its front matter, e.g.\n---\ntitle: Using X for work\n---",
        ));
    }
    fm
}

pub fn is_hashtag(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('#') else {
        return false;
    };
    let mut chars = rest.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic())
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn text_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn text_field(cx: &mut FmContext<'_>, key: &str, v: &Value) -> Option<String> {
    if v.is_null() {
        return None;
    }
    match text_value(v) {
        Some(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        None => {
            cx.error(
                ids::WRONG_KIND_OF_VALUE,
                key,
                format!("`{key}` should be text, found a {}", yaml::kind_name(v)),
                "write it on one line after the colon",
            );
            None
        }
    }
}

fn list_of_text(cx: &mut FmContext<'_>, key: &str, v: &Value) -> Vec<String> {
    match v {
        Value::Null => vec![],
        Value::String(s) => vec![s.trim().to_string()],
        Value::Array(items) => {
            let mut out = vec![];
            for item in items {
                match text_value(item) {
                    Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                    _ => cx.error(
                        ids::WRONG_KIND_OF_VALUE,
                        key,
                        format!("every item of `{key}` should be text"),
                        "write the list as `[first, second]`",
                    ),
                }
            }
            out
        }
        other => {
            cx.error(
                ids::WRONG_KIND_OF_VALUE,
                key,
                format!(
                    "`{key}` should be a list, found a {}",
                    yaml::kind_name(other)
                ),
                "write the list as `[first, second]`",
            );
            vec![]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (FrontMatter, Diagnostics) {
        let tz = jiff::tz::TimeZone::get("Europe/London").unwrap();
        let s = split(text).unwrap();
        let mut diags = Diagnostics::new();
        let tax = vec!["tags".to_string()];
        let mut cx = FmContext {
            file: "content/a.md",
            text,
            yaml: s.yaml,
            yaml_offset: s.yaml_offset,
            tz: &tz,
            taxonomies: &tax,
            kind_keys: &[],
            diags: &mut diags,
        };
        let fm = parse(&mut cx);
        (fm, diags)
    }

    #[test]
    fn reads_keys_and_keeps_unknown_ones() {
        let (fm, d) =
            run("---\ntitle: Hi\ndate: 2026-08-06\ntags: [a, b]\nreviewd: 2026-01-01\n---\nBody\n");
        assert_eq!(fm.title, "Hi");
        assert_eq!(fm.date.unwrap().iso, "2026-08-06");
        assert_eq!(
            fm.taxonomies,
            vec![("tags".into(), vec!["a".into(), "b".into()])]
        );
        assert!(fm.extra.contains_key("reviewd"));
        let text = d.sorted()[0].render();
        assert!(
            text.contains("content/a.md:5:1: unknown front matter key `reviewd`"),
            "{text}"
        );
        assert!(text.contains("did you mean `reviewed`?"), "{text}");
    }

    #[test]
    fn bad_date_points_at_value() {
        let (_, d) = run("---\ntitle: Hi\ndate: next week\n---\n");
        let text = d.sorted()[0].render();
        assert!(
            text.contains("content/a.md:3:7: `date`: `next week` is not a date"),
            "{text}"
        );
    }

    #[test]
    fn unclosed_front_matter_is_detected() {
        assert!(split("---\ntitle: x\n").is_err());
        assert_eq!(split("no front matter").unwrap().yaml, "");
    }
}
