//! A fast reader for the front matter most pages have: flat `key: value`
//! lines whose values are quoted strings, plain words, dates, whole numbers,
//! `true`/`false` or a one-line list of such. Parsing that with serde_yaml
//! was about a tenth of a build on a large site.
//!
//! It answers only when it is sure to give what serde_yaml gives; anything
//! else (nesting, block lists, comments, escapes, anchors, numbers that are
//! not plain whole numbers, words YAML might read as something else, and
//! every error) returns `None`, and the caller asks serde_yaml. The tests
//! at the bottom compare the two on every form accepted here.

use serde_json::Value;

use super::Map;

/// The mapping of `src` if every line is in the simple form, else `None`.
pub fn parse(src: &str) -> Option<Map> {
    if src.contains(['\r', '\t']) {
        return None;
    }
    let mut map = Map::new();
    // Byte searches (memchr) for line ends and colons: every page's front
    // matter comes here, and `str::split`'s character searcher cost more
    // than the search.
    for line in memchr::memchr_iter(b'\n', src.as_bytes())
        .chain(std::iter::once(src.len()))
        .scan(0, |start, end| {
            let line = &src[*start..end];
            *start = end + 1;
            Some(line)
        })
    {
        if line.trim_end_matches(' ').is_empty() {
            continue;
        }
        let colon = memchr::memchr(b':', line.as_bytes())?;
        let (key, value) = (&line[..colon], &line[colon + 1..]);
        if !is_plain_key(key) {
            return None;
        }
        let value = if value.is_empty() {
            Value::Null
        } else {
            // `key: value`: one or more spaces after the colon.
            let v = value.strip_prefix(' ')?.trim_matches(' ');
            if v.is_empty() {
                Value::Null
            } else {
                scalar_or_list(v)?
            }
        };
        if map.insert(key.to_string(), value).is_some() {
            // A repeated key: serde_yaml's business (it reports it).
            return None;
        }
    }
    Some(map)
}

/// Letters, digits, `_` and `-`, starting with a letter or `_`, and not a
/// word YAML reads as anything but a string.
fn is_plain_key(k: &str) -> bool {
    // libyaml reads a key of at most 1,024 characters on one line.
    if k.len() > 1000 {
        return false;
    }
    let mut bytes = k.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !is_special_word(k)
}

/// Words some YAML readers take as booleans or null.
fn is_special_word(w: &str) -> bool {
    // Compared without lower-casing a copy: this runs for every key and
    // plain value of every page.
    [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "inf", "infinity", "nan",
    ]
    .iter()
    .any(|s| s.eq_ignore_ascii_case(w))
}

fn scalar_or_list(v: &str) -> Option<Value> {
    if let Some(inner) = v.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        let mut items = vec![];
        let mut rest = inner.trim_matches(' ');
        while !rest.is_empty() {
            let (item, after) = match rest.strip_prefix('"') {
                Some(q) => {
                    let end = q.find('"')?;
                    let s = &q[..end];
                    if s.contains('\\') || !printable(s) {
                        return None;
                    }
                    (Value::String(s.to_string()), &q[end + 1..])
                }
                None => {
                    let end = rest.find(',').unwrap_or(rest.len());
                    let word = rest[..end].trim_end_matches(' ');
                    if word.contains(['[', ']', '{', '}', '\'', '"']) {
                        return None;
                    }
                    (plain(word)?, &rest[end..])
                }
            };
            items.push(item);
            let after = after.trim_start_matches(' ');
            rest = match after.strip_prefix(',') {
                Some(r) => {
                    let r = r.trim_start_matches(' ');
                    if r.is_empty() {
                        return None;
                    }
                    r
                }
                None if after.is_empty() => after,
                None => return None,
            };
        }
        return Some(Value::Array(items));
    }
    if let Some(q) = v.strip_prefix('"') {
        let s = q.strip_suffix('"')?;
        if s.contains(['"', '\\']) || !printable(s) {
            return None;
        }
        return Some(Value::String(s.to_string()));
    }
    if let Some(q) = v.strip_prefix('\'') {
        let s = q.strip_suffix('\'')?;
        if s.contains('\'') || !printable(s) {
            return None;
        }
        return Some(Value::String(s.to_string()));
    }
    plain(v)
}

/// Only characters YAML takes as they are (no control characters, no line
/// breaks).
fn printable(s: &str) -> bool {
    // Most titles and descriptions are plain ASCII: checked a byte at a
    // time before the character ranges.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return true;
    }
    s.chars().all(|c| {
        // U+0085, U+2028 and U+2029 are line breaks to YAML (folded inside
        // quotes): left to serde_yaml.
        (matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            && !matches!(c, '\u{2028}' | '\u{2029}'))
            || c >= '\u{10000}'
    })
}

/// An unquoted value: a whole number, `true`/`false`, a date (a string to
/// YAML 1.2), or text made of letters, digits, spaces and common
/// punctuation that cannot start anything else.
fn plain(v: &str) -> Option<Value> {
    match v {
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        "null" | "~" => return Some(Value::Null),
        _ => {}
    }
    let first = *v.as_bytes().first()?;
    if first.is_ascii_digit() || first == b'-' || first == b'+' {
        if is_date(v) {
            return Some(Value::String(v.to_string()));
        }
        let digits = v.strip_prefix('-').unwrap_or(v);
        if !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
        {
            return v.parse::<i64>().ok().map(|n| Value::Number(n.into()));
        }
        return None;
    }
    if !first.is_ascii_alphabetic()
        || is_special_word(v)
        || v.contains(": ")
        || v.contains(" #")
        || v.ends_with(':')
        || !v.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b' ' | b'.' | b'-' | b'_' | b'/' | b'(' | b')' | b'?' | b'!' | b'\'' | b':'
                )
        })
    {
        return None;
    }
    Some(Value::String(v.to_string()))
}

/// `2026-08-06`, `2026-08-06T14:30`, `2026-08-06 14:30:00`.
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let date = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    if !date {
        return false;
    }
    match b.len() {
        10 => true,
        16 => matches!(b[10], b'T' | b' ') && digits(11..13) && b[13] == b':' && digits(14..16),
        19 => {
            matches!(b[10], b'T' | b' ')
                && digits(11..13)
                && b[13] == b':'
                && digits(14..16)
                && b[16] == b':'
                && digits(17..19)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_yaml_map(src: &str) -> Option<Map> {
        match serde_yaml::from_str::<Value>(src) {
            Ok(Value::Object(m)) => Some(m),
            Ok(Value::Null) => Some(Map::new()),
            _ => None,
        }
    }

    /// Whatever the fast reader accepts, serde_yaml reads the same way.
    /// True when the fast reader accepted it.
    fn agrees(src: &str) -> bool {
        match parse(src) {
            Some(fast) => {
                assert_eq!(Some(fast), serde_yaml_map(src), "{src:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn reads_typical_front_matter() {
        let src = "title: \"Accessible announcements: opening hours\"\ndescription: \"Use #CamelCase in hashtags.\"\ndate: 2023-08-06\ntags: [\"midwifery\", \"youtube\"]\naudience: staff\nweight: 3\ndraft: false\n";
        let m = parse(src).expect("simple front matter");
        assert_eq!(Some(m), serde_yaml_map(src));
    }

    #[test]
    fn leaves_everything_else_to_serde_yaml() {
        for src in [
            "tags:\n  - a\n  - b\n",
            "tags:\n- a\n",
            "title: a # comment\n",
            "# comment\ntitle: a\n",
            "title: \"say \\\"hi\\\"\"\n",
            "title: 'it''s'\n",
            "title: a: b\n",
            "title: yes\n",
            "title: No\n",
            "weight: 1.5\n",
            "weight: 0x1F\n",
            "weight: 010\n",
            "weight: 1e3\n",
            "weight: +1\n",
            "title: .inf\n",
            "title: inf\n",
            "title: NaN\n",
            "title: &a x\n",
            "title: *a\n",
            "title: !tag x\n",
            "title: |\n  text\n",
            "title: >\n  text\n",
            "a: 1\na: 2\n",
            "extra:\n  key: value\n",
            "title: {a: b}\n",
            "tags: [a, [b]]\n",
            "tags: [\"a\", ]\n",
            "title: \"open\n",
            "title:x\n",
            " title: x\n",
            "true: x\n",
            "title: x\r\n",
            "title:\tx\n",
            "---\ntitle: x\n",
            "title: 2026-13-45x\n",
            "title: @handle\n",
            "title: `code`\n",
            "title: 50%\n",
            "date: 2026-08-06T14:30:00Z\n",
            "tags: [, a]\n",
            "tags: [a, , b]\n",
            "tags: [,]\n",
            "tags: [ , ]\n",
            "title: \"a\u{85}b\"\n",
            "title: \"a \u{2028} b\"\n",
            "title: \"x\u{2029}--- y\"\n",
            "title: 'a\u{2028}b'\n",
        ] {
            agrees(src);
            // Most of these are not simple; those that are must agree.
        }
        let long_key = format!("{}: x\n", "k".repeat(1025));
        agrees(&long_key);
        assert_eq!(parse(&long_key), None);
        for src in [
            "tags: [, a]\n",
            "tags: [a, , b]\n",
            "title: \"a\u{85}b\"\n",
            "title: \"a \u{2028} b\"\n",
            "tags:\n  - a\n",
            "title: a # comment\n",
            "title: yes\n",
            "weight: 1.5\n",
            "a: 1\na: 2\n",
            "extra:\n  key: value\n",
            "title: \"say \\\"hi\\\"\"\n",
        ] {
            assert_eq!(parse(src), None, "{src:?}");
        }
    }

    #[test]
    fn agrees_with_serde_yaml_on_every_accepted_form() {
        let values = [
            "plain words",
            "Words with (brackets) and a question?",
            "it's fine",
            "a/b/c.md",
            "ends with dot.",
            "time 14:30",
            "\"quoted: with colon # and hash\"",
            "'single quoted'",
            "''",
            "\"\"",
            "2026-08-06",
            "2026-08-06 14:30",
            "2026-08-06T14:30",
            "2026-08-06T14:30:05",
            "0",
            "42",
            "-7",
            "9223372036854775807",
            "99999999999999999999",
            "true",
            "false",
            "null",
            "~",
            "True",
            "[]",
            "[\"a\", \"b c\", \"d, e\"]",
            "[a, b c, d]",
            "[1, 2]",
            "[\"x\",\"y\"]",
            "[ a ,b ]",
            "staff",
            "public",
            "x:y",
            "Nope",
            "Off-site",
            "none",
            "NULL",
            "Yes please",
            "\"Café à la carte – “quotes”\"",
            "\"bell\u{7}\"",
            "\"del\u{7f}\"",
            "'nbsp\u{a0}'",
            "[\"emoji 😀\", \"c\u{1}\"]",
            "",
        ];
        let mut accepted = 0;
        for v in values {
            accepted += usize::from(agrees(&format!("key: {v}\n")));
            agrees(&format!("title: \"T\"\nkey: {v}\nother: x\n"));
            agrees(&format!("key:  {v}   \n\n"));
        }
        // The comparison is only worth something if most forms are taken.
        assert!(
            accepted >= 35,
            "only {accepted} of {} accepted",
            values.len()
        );
    }
}
