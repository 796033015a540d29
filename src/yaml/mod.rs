//! The one place that knows which YAML parser we use.
//!
//! Front matter and site.yaml are parsed here into plain `serde_json`
//! values; everything else works on those. Swapping serde_yaml (deprecated
//! upstream, but the card asks for it) for another parser touches this file
//! only.

mod simple;

use serde_json::Value;

pub type Map = serde_json::Map<String, Value>;

/// A YAML syntax error, positioned within the YAML text (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Parses a YAML mapping. Empty text is an empty mapping.
pub fn parse_map(src: &str) -> Result<Map, YamlError> {
    if src.trim().is_empty() {
        return Ok(Map::new());
    }
    if let Some(map) = simple::parse(src) {
        return Ok(map);
    }
    match parse_value(src)? {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(YamlError {
            line: 1,
            col: 1,
            message: format!("expected `key: value` lines, found a {}", kind_name(&other)),
        }),
    }
}

/// Parses any YAML document (for data files).
pub fn parse_value(src: &str) -> Result<Value, YamlError> {
    serde_yaml::from_str(src).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        YamlError {
            line,
            col,
            message: plain_message(&e.to_string()),
        }
    })
}

/// serde_yaml appends "at line X column Y" to its messages; we show the
/// position ourselves, in the file's own numbering.
fn plain_message(raw: &str) -> String {
    let cut = raw.find(" at line ").unwrap_or(raw.len());
    let msg = raw[..cut].trim();
    let msg = msg.strip_suffix(',').unwrap_or(msg);
    match msg {
        m if m.starts_with("mapping values are not allowed") => {
            "a value contains a colon followed by a space, which YAML reads as a new key".into()
        }
        m if m.starts_with("did not find expected key") => {
            "this line does not fit the `key: value` layout of the lines around it".into()
        }
        m if m.starts_with("found unexpected end of stream") => {
            "the text ends before a quote or bracket was closed".into()
        }
        m if m.starts_with("duplicate entry with key") || m.contains("duplicate") => {
            format!("{m} (each key may appear only once)")
        }
        m => m.to_string(),
    }
}

pub fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty value",
        Value::Bool(_) => "true/false value",
        Value::Number(_) => "number",
        Value::String(_) => "piece of text",
        Value::Array(_) => "list",
        Value::Object(_) => "set of `key: value` pairs",
    }
}

/// Finds the line (1-based) and column of a key in block-style YAML, by
/// path from the top (`["outputs", "public", "dir"]`). serde_yaml's values
/// carry no positions, so we read the text; when the full path is not
/// found (flow style, say), the deepest key found is returned.
pub fn key_position(src: &str, path: &[&str]) -> Option<(usize, usize)> {
    if path.is_empty() {
        return None;
    }
    let mut found = None;
    let mut depth = 0;
    let mut parent_indent: Option<usize> = None;
    for (i, line) in src.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if let Some(p) = parent_indent
            && indent <= p
        {
            // Left the parent's block without finding the child.
            return found;
        }
        let wanted = path[depth];
        let at_level = match parent_indent {
            None => indent == 0,
            Some(p) => indent > p,
        };
        if at_level && is_key_line(trimmed, wanted) {
            found = Some((i + 1, indent + 1));
            depth += 1;
            if depth == path.len() {
                return found;
            }
            parent_indent = Some(indent);
        }
    }
    found
}

/// Finds `key` inside the `index`-th item of a block list: the list under
/// the top-level key `top`, or the document itself when `top` is None.
/// Falls back to the item's first line, then to `top`'s line.
pub fn list_item_position(
    src: &str,
    top: Option<&str>,
    index: usize,
    key: Option<&str>,
) -> Option<(usize, usize)> {
    let lines: Vec<&str> = src.lines().collect();
    let (start, top_pos) = match top {
        Some(t) => {
            let (line, col) = key_position(src, &[t])?;
            (line, Some((line, col)))
        }
        None => (0, None),
    };
    // The region: lines after `top` that are indented (or all lines).
    let mut region = vec![];
    for (i, line) in lines.iter().enumerate().skip(start) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if top.is_some() && indent == 0 && !trimmed.starts_with('-') {
            break;
        }
        region.push((i, indent, trimmed));
    }
    let dash_indent = region
        .iter()
        .filter(|(_, _, t)| *t == "-" || t.starts_with("- "))
        .map(|(_, ind, _)| *ind)
        .min();
    let Some(dash_indent) = dash_indent else {
        return top_pos;
    };
    let items: Vec<usize> = region
        .iter()
        .enumerate()
        .filter(|(_, (_, ind, t))| *ind == dash_indent && (*t == "-" || t.starts_with("- ")))
        .map(|(k, _)| k)
        .collect();
    let Some(&first) = items.get(index) else {
        return top_pos;
    };
    let end = items.get(index + 1).copied().unwrap_or(region.len());
    let item_line = region[first].0 + 1;
    let Some(key) = key else {
        return Some((item_line, dash_indent + 1));
    };
    for (i, indent, trimmed) in &region[first..end] {
        let t = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let offset = trimmed.len() - t.len();
        if is_key_line(t, key) {
            return Some((i + 1, indent + offset + 1));
        }
    }
    Some((item_line, dash_indent + 1))
}

fn is_key_line(trimmed: &str, key: &str) -> bool {
    let t = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    for candidate in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
        if let Some(rest) = t.strip_prefix(candidate.as_str())
            && let Some(after) = rest.trim_start_matches(' ').strip_prefix(':')
        {
            return after.is_empty() || after.starts_with([' ', '\t']);
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys() {
        let src = "title: x\noutputs:\n  public:\n    dir: a\n  intranet:\n    dir: b\n";
        assert_eq!(key_position(src, &["title"]), Some((1, 1)));
        assert_eq!(
            key_position(src, &["outputs", "intranet", "dir"]),
            Some((6, 5))
        );
        assert_eq!(key_position(src, &["outputs", "nope"]), Some((2, 1)));
    }

    #[test]
    fn finds_keys_in_list_items() {
        let src = "title: x\nevents:\n  - title: A\n    starts: 1\n  - title: B\n    starts: 2\nother: 1\n";
        assert_eq!(
            list_item_position(src, Some("events"), 1, Some("starts")),
            Some((6, 5))
        );
        assert_eq!(
            list_item_position(src, Some("events"), 0, Some("title")),
            Some((3, 5))
        );
        assert_eq!(
            list_item_position(src, Some("events"), 5, Some("title")),
            Some((2, 1))
        );
        let top = "- platform: x\n  handle: a\n- platform: y\n  handle: b\n";
        assert_eq!(
            list_item_position(top, None, 1, Some("handle")),
            Some((4, 3))
        );
    }

    #[test]
    fn dates_stay_text() {
        let m = parse_map("date: 2026-08-06\n").unwrap();
        assert_eq!(m["date"], Value::String("2026-08-06".into()));
    }

    #[test]
    fn errors_have_positions() {
        let e = parse_map("title: a\ndescription: b: c\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("colon"), "{}", e.message);
    }
}
