//! `guidepost check`: every validation the build does, for every output,
//! plus content rules a comms team wants in CI — and nothing written.
//!
//! Findings are ordinary diagnostics with a rule id (`review-overdue`), so
//! they read the same as build errors; [`report`] turns them into human,
//! JSON or GitHub Actions output.

pub mod report;
pub mod rules;

use crate::build::{self, BuildOptions, Timings};
use crate::content::{Document, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, Severity, ids};
use crate::output::Staging;
use crate::site::Site;
use crate::site::library::Library;
use crate::site::links;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub build: BuildOptions,
    /// Warnings fail the check too, and overdue reviews are errors.
    pub strict: bool,
}

/// A page's review date, for the "review due" summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReviewItem {
    pub file: String,
    pub title: String,
    pub review_due: String,
    /// "overdue", "soon" (within 30 days) or "ok".
    pub state: &'static str,
}

#[derive(Debug, Default)]
pub struct CheckResult {
    pub diagnostics: Diagnostics,
    pub reviews: Vec<ReviewItem>,
    /// 0 clean; 1 errors (or warnings with --strict); 2 environment.
    pub exit_code: i32,
}

pub fn check(opts: &CheckOptions) -> CheckResult {
    let mut diags = Diagnostics::new();
    let mut timings = Timings::default();
    let loaded = match build::load_site(&opts.build, &mut diags, &mut timings) {
        Ok(l) => l,
        Err(code) => {
            return CheckResult {
                diagnostics: diags,
                reviews: vec![],
                exit_code: code,
            };
        }
    };
    let site = &loaded.site;

    for output in &site.config.outputs {
        let lib = Library::new(site, output);
        links::check_output(&lib, &mut diags);
        // Render in memory: template errors and the leak check, no files.
        let staging = Staging::in_memory(&output.dir.to_string_lossy());
        let _ = build::render_output(
            &lib,
            &loaded.theme,
            &Default::default(),
            &staging,
            false,
            &Default::default(),
            &mut diags,
        );
    }

    let mut reviews = vec![];
    for d in site
        .docs
        .iter()
        .filter(|d| d.published && d.abs_path.exists())
    {
        for lint in &d.rendered.lints {
            diags.push(lint.clone());
        }
        page_rules(site, d, opts.strict, &mut diags, &mut reviews);
    }
    reviews.sort_by(|a, b| {
        a.review_due
            .cmp(&b.review_due)
            .then_with(|| a.file.cmp(&b.file))
    });

    // Rules switched off for the site or for one page.
    for id in &site.config.check_disable {
        if !rules::is_rule(id) {
            diags.push(unknown_rule(id, Location::file_only("site.yaml")));
        }
    }
    let page_off: Vec<(String, Vec<String>)> = site
        .docs
        .iter()
        .filter(|d| !d.fm.check_disable.is_empty())
        .map(|d| (d.file.clone(), d.fm.check_disable.clone()))
        .collect();
    for (file, ids) in &page_off {
        for id in ids.iter().filter(|id| !rules::is_rule(id)) {
            diags.push(unknown_rule(id, Location::file_only(file.clone())));
        }
    }
    diags.retain(|d| {
        // Only rule findings can be switched off; other ids never can.
        let Some(rule) = d.rule() else { return true };
        if !rules::can_disable(rule) {
            return true;
        }
        if site.config.check_disable.iter().any(|r| r == rule) {
            return false;
        }
        let file = d.location.as_ref().map(|l| l.file.as_str());
        !page_off
            .iter()
            .any(|(f, ids)| Some(f.as_str()) == file && ids.iter().any(|r| r == rule))
    });

    let failing = diags.has_errors() || (opts.strict && diags.warning_count() > 0);
    CheckResult {
        diagnostics: diags,
        reviews,
        exit_code: i32::from(failing),
    }
}

fn unknown_rule(id: &str, at: Location) -> Diagnostic {
    let rule_ids: Vec<&str> = rules::RULES.iter().map(|r| r.id.as_str()).collect();
    let hint = match crate::suggest::did_you_mean(id, &rule_ids) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("rule ids: {}", rule_ids.join(", ")),
    };
    Diagnostic::warning(ids::UNKNOWN_RULE, format!("`{id}` is not a check rule"))
        .at(at)
        .hint(hint)
}

fn fm_line(d: &Document, key: &str) -> Location {
    let text = d.text.get();
    let split = crate::content::front_matter::split(&text).ok();
    match split {
        Some(s) => {
            crate::content::front_matter::Locator::new(&d.file, &text, s.yaml, s.yaml_offset)
                .key(key)
        }
        None => Location::file_only(&d.file),
    }
}

/// Rules about a whole page: review dates, required fields, placeholders.
fn page_rules(
    site: &Site,
    d: &Document,
    strict: bool,
    diags: &mut Diagnostics,
    reviews: &mut Vec<ReviewItem>,
) {
    let tz = &site.config.timezone;
    if let Some(due) = &d.fm.review_due {
        let today = site.now.to_zoned(tz.clone()).date();
        let due_date = due.civil_date(tz);
        let days = today
            .until((jiff::Unit::Day, due_date))
            .map_or(0, |span| i64::from(span.get_days()));
        let state = if days < 0 {
            let sev = if strict {
                Severity::Error
            } else {
                Severity::Warning
            };
            let mut diag = Diagnostic::warning(
                ids::REVIEW_OVERDUE,
                format!(
                    "this page was due for review on {} ({} days ago)",
                    crate::content::dates::nhs_date(due_date),
                    -days
                ),
            )
            .at(fm_line(d, "review_due"))
            .hint("check the page is still right, then set `reviewed` to today and `review_due` to the next review date");
            diag.severity = sev;
            diags.push(diag);
            "overdue"
        } else if days <= 30 {
            diags.push(
                Diagnostic::note_level(
                    ids::REVIEW_SOON,
                    format!(
                        "this page is due for review on {} (in {days} days)",
                        crate::content::dates::nhs_date(due_date)
                    ),
                )
                .at(fm_line(d, "review_due"))
                .hint("plan the review with the page's owner"),
            );
            "soon"
        } else {
            "ok"
        };
        reviews.push(ReviewItem {
            file: d.file.clone(),
            title: d.fm.title.clone(),
            review_due: due.iso.clone(),
            state,
        });
    }
    if d.kind == Kind::Guidance && !d.is_section {
        let missing: Vec<&str> = [
            ("description", d.fm.description.is_none()),
            ("reviewed", d.fm.reviewed.is_none()),
            ("review_due", d.fm.review_due.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
        if !missing.is_empty() {
            diags.push(
                Diagnostic::warning(ids::GUIDANCE_FIELDS, format!("this guidance page has no {}", missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")))
                    .at(Location::at_line_col(&d.file, &d.text.get(), 1, 1, 3))
                    .hint("guidance needs a one-sentence `description`, and `reviewed` and `review_due` dates so it is kept up to date"),
            );
        }
    }
    let text = d.text.get();
    if let Some(pos) = text.find(rules::PLACEHOLDER) {
        diags.push(
            Diagnostic::error(
                ids::PLACEHOLDER,
                "this page still has a placeholder to fill in",
            )
            .at(Location::at_offset(
                &d.file,
                &text,
                pos,
                rules::PLACEHOLDER.len(),
            ))
            .hint("replace every CHANGE ME with the real text"),
        );
    }
}
