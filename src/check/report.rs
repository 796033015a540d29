//! How `guidepost check` prints its findings: for people (grouped by file,
//! sorted by line), as JSON for tools, or as GitHub Actions annotations.

use std::collections::BTreeMap;

use serde_json::json;

use crate::check::CheckResult;
use crate::diagnostics::{Diagnostic, Severity};

/// "3 errors, 5 warnings in 4 files" (and notes, when there are any).
pub fn summary(r: &CheckResult) -> String {
    let d = &r.diagnostics;
    let files = d
        .iter()
        .filter_map(|x| x.location.as_ref().map(|l| l.file.as_str()))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let plural = |n: usize, s: &str| {
        if n == 1 {
            format!("{n} {s}")
        } else {
            format!("{n} {s}s")
        }
    };
    let mut text = format!(
        "{}, {}",
        plural(d.error_count(), "error"),
        plural(d.warning_count(), "warning")
    );
    if d.note_count() > 0 {
        text.push_str(&format!(", {}", plural(d.note_count(), "note")));
    }
    text.push_str(&format!(" in {}", plural(files, "file")));
    text
}

pub fn human(r: &CheckResult) -> String {
    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for d in r.diagnostics.sorted() {
        let file = d
            .location
            .as_ref()
            .map_or_else(String::new, |l| l.file.clone());
        by_file.entry(file).or_default().push(d);
    }
    let mut out = String::new();
    for (file, list) in &by_file {
        if !file.is_empty() {
            out.push_str(&format!("── {file} ──\n\n"));
        }
        for d in list {
            out.push_str(&d.render());
            out.push_str("\n\n");
        }
    }
    let due: Vec<_> = r.reviews.iter().filter(|x| x.state != "ok").collect();
    if !due.is_empty() {
        out.push_str("Review due:\n");
        for item in due {
            let when = crate::content::dates::parse(&item.review_due, &jiff::tz::TimeZone::UTC)
                .map(|d| crate::content::dates::nhs_date(d.civil_date(&jiff::tz::TimeZone::UTC)))
                .unwrap_or_else(|_| item.review_due.clone());
            let state = if item.state == "overdue" {
                "overdue"
            } else {
                "due soon"
            };
            out.push_str(&format!(
                "  {when:<18} {state:<9} {}  ({})\n",
                item.title, item.file
            ));
        }
        out.push('\n');
    }
    out.push_str(&summary(r));
    out.push('\n');
    if !r.diagnostics.is_empty() {
        out.push_str(crate::diagnostics::LOOK_UP_IDS);
        out.push('\n');
    }
    out
}

pub fn json(r: &CheckResult) -> String {
    let findings: Vec<serde_json::Value> = r
        .diagnostics
        .sorted()
        .into_iter()
        .map(|d| {
            let loc = d.location.as_ref();
            json!({
                "severity": d.severity.as_str(),
                "id": d.id.as_str(),
                "rule": d.rule(),
                "file": loc.map(|l| l.file.clone()),
                "line": loc.map(|l| l.line).filter(|n| *n > 0),
                "column": loc.map(|l| l.col).filter(|n| *n > 0),
                "message": d.message,
                "hint": d.hint,
                "text": d.render(),
            })
        })
        .collect();
    let d = &r.diagnostics;
    let value = json!({
        "findings": findings,
        "reviews": r.reviews,
        "summary": {
            "errors": d.error_count(),
            "warnings": d.warning_count(),
            "notes": d.note_count(),
            "text": summary(r),
        },
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// GitHub Actions workflow commands: one annotation per finding.
pub fn github(r: &CheckResult) -> String {
    // Messages may not contain raw newlines or `%`; properties not `,` `:` either.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in r.diagnostics.sorted() {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = vec![];
        if let Some(l) = &d.location {
            props.push(format!("file={}", prop(&l.file)));
            if l.line > 0 {
                props.push(format!("line={}", l.line));
            }
            if l.col > 0 {
                props.push(format!("col={}", l.col));
            }
        }
        props.push(format!("title={}", prop(d.id.as_str())));
        let mut message = d.message.clone();
        if let Some(h) = &d.hint {
            message.push_str(&format!("\nWhat to do: {h}"));
        }
        message.push_str(&format!(
            "\nExplained in Guidepost's docs/troubleshooting.md#{}",
            d.id
        ));
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            data(&message)
        ));
    }
    out.push_str(&summary(r));
    out.push('\n');
    out
}
