//! The comms team's workflow: `check` in CI, `init` and `new` to start.

mod common;

use common::{Site, tree};

fn check(s: &Site, args: &[&str]) -> common::Run {
    let mut a = vec!["check", "--now", "2026-11-22"];
    a.extend_from_slice(args);
    s.run(&a)
}

/// A page that breaks one rule each, line by line.
fn rule_site() -> Site {
    let s = Site::new();
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\nreview_due: 2026-11-01\nreviewd: 2026-01-01\n---\n\
Intro [click here](https://nhs.uk) and [https://nhs.uk](https://nhs.uk).\n\n\
#### Deep\n\n# Again\n\n![IMG_1234.jpg](https://x.org/a.jpg)\n\n\
<a href=\"https://x.org\" target=\"_blank\">x</a>\n",
    );
    s.write(
        "content/soon.md",
        "---\ntitle: Soon\naudience: public\nreview_due: 2026-12-10\n---\nText.\n",
    );
    s.write(
        "content/guidance/bare.md",
        "---\ntitle: Bare\n---\nNo description or review dates.\n",
    );
    s.write(
        "content/campaigns/c.md",
        "---\ntitle: C\naudience: public\nhashtag: \"#C\"\nstarts: 2026-05-01\nends: 2026-05-10\nevents:\n  - title: Late\n    starts: 2026-06-01 10:00\n    location: Here\n---\nText.\n",
    );
    s
}

#[test]
fn every_rule_fires_with_its_id_file_and_line() {
    let s = rule_site();
    let r = check(&s, &[]);
    for want in [
        "warning: content/a.md:4:1: this page was due for review on 1 November 2026 (21 days ago) [review-overdue]",
        "note: content/soon.md:4:1: this page is due for review on 10 December 2026 (in 18 days) [review-soon]",
        "content/a.md:5:1: unknown front matter key `reviewd` [unknown-key]",
        "did you mean `reviewed`?",
        "content/a.md:7:7: the link text \"click here\" does not say where the link goes [link-text]",
        "content/a.md:7:40: the link text is a bare web address (https://nhs.uk) [link-text]",
        "content/a.md:9:1: the heading level jumps from 1 to 4 [heading-order]",
        "content/a.md:11:1: a second main heading (#) in the body",
        "content/a.md:13:1: the alt text \"IMG_1234.jpg\" does not describe the image [image-alt-quality]",
        "content/a.md:15:1: this link opens a new tab without saying so [new-tab]",
        "content/guidance/bare.md:1:1: this guidance page has no `description`, `reviewed`, `review_due` [guidance-fields]",
        "content/campaigns/c.md:9:5: event 1 is outside the campaign's dates (2026-05-01 to 2026-05-10) [event-dates]",
        "Review due:",
        "0 errors, 10 warnings, 1 note in 4 files",
    ] {
        assert!(
            r.stdout.contains(want),
            "missing {want:?} in:\n{}",
            r.stdout
        );
    }
    assert_eq!(r.code, 0, "warnings alone pass");
    // Grouped by file, sorted by line.
    let a = r.stdout.find("── content/a.md ──").unwrap();
    let c = r.stdout.find("── content/campaigns/c.md ──").unwrap();
    assert!(c < a || a < c);
    assert!(r.stdout.find("a.md:4:1").unwrap() < r.stdout.find("a.md:15:1").unwrap());
    // --strict: warnings fail, and an overdue review is an error.
    let strict = check(&s, &["--strict"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict
            .stdout
            .contains("error: content/a.md:4:1: this page was due for review"),
        "{}",
        strict.stdout
    );
    // check writes nothing.
    assert!(
        tree(s.root()).keys().all(|k| !k.starts_with("public")),
        "check wrote files"
    );
}

#[test]
fn errors_fail_the_check_and_the_build_validations_are_included() {
    let s = Site::new();
    s.write(
        "content/open.md",
        "---\ntitle: Open\naudience: public\n---\n[rota](rota.md) and [gone](gone.md)\n",
    );
    s.write(
        "content/rota.md",
        "---\ntitle: Rota\naudience: staff\n---\n",
    );
    s.write("templates/page.html", "{{ page.nope }}");
    let r = check(&s, &[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(
        r.stdout
            .contains("content/open.md:5:1: this public page links to content/rota.md")
            && r.stdout.contains("[audience-link]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("content/open.md:5:21: this link points to a page that does not exist"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("error: templates/page.html:1:"),
        "template errors are found by rendering: {}",
        r.stdout
    );
}

#[test]
fn rules_can_be_switched_off_for_the_site_and_per_page() {
    let s = rule_site();
    let yaml = s.read("site.yaml") + "check: { disable: [link-text, review-soon] }\n";
    s.write("site.yaml", &yaml);
    let page = s.read("content/a.md").replacen(
        "---\ntitle: A",
        "---\ntitle: A\ncheck: { disable: [heading-order, nonsense-rule] }",
        1,
    );
    s.write("content/a.md", &page);
    let r = check(&s, &[]);
    assert!(!r.stdout.contains("[link-text]"), "{}", r.stdout);
    assert!(!r.stdout.contains("[review-soon]"), "{}", r.stdout);
    assert!(!r.stdout.contains("[heading-order]"), "{}", r.stdout);
    assert!(
        r.stdout.contains("[new-tab]"),
        "other rules still run: {}",
        r.stdout
    );
    assert!(
        r.stdout.contains("`nonsense-rule` is not a check rule"),
        "{}",
        r.stdout
    );
}

#[test]
fn json_output_parses_and_matches_the_human_counts() {
    let s = rule_site();
    let human = check(&s, &[]);
    let r = check(&s, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["warnings"], 10);
    assert_eq!(v["summary"]["notes"], 1);
    assert!(
        human
            .stdout
            .contains(v["summary"]["text"].as_str().unwrap())
    );
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 11);
    let first = findings.iter().find(|f| f["rule"] == "new-tab").unwrap();
    assert_eq!(first["file"], "content/a.md");
    assert_eq!(first["line"], 15);
    assert_eq!(first["column"], 1);
    assert_eq!(v["reviews"][0]["state"], "overdue");
}

#[test]
fn github_output_uses_annotation_syntax() {
    let s = rule_site();
    let r = check(&s, &["--format", "github"]);
    let lines: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(lines.len(), 11, "{}", r.stdout);
    for l in &lines {
        let ok = (l.starts_with("::warning file=")
            || l.starts_with("::error file=")
            || l.starts_with("::notice file="))
            && l.contains(",line=")
            && l.contains(",col=")
            && l.contains(",title=")
            && l.matches("::").count() == 2
            && !l.contains('\n');
        assert!(ok, "not an annotation: {l}");
    }
    assert!(r.stdout.contains("::warning file=content/a.md,line=15,col=1,title=new-tab::this link opens a new tab without saying so%0AWhat to do:"), "{}", r.stdout);
}

#[test]
fn the_demo_is_clean() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_guidepost"))
        .args([
            "--root",
            repo.to_str().unwrap(),
            "check",
            "--now",
            "2026-11-22",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("0 errors, 0 warnings"), "{text}");
}

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("hub");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_guidepost"))
            .args(args)
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1795334400")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, text) = run(&["init", "hub"]);
    assert_eq!(code, 0, "{text}");
    for f in [
        "site.yaml",
        ".gitignore",
        ".github/workflows/guidepost.yml",
        ".gitlab-ci.yml",
        "content/_index.md",
        "content/guidance/getting-started.md",
        "content/campaigns/example-campaign.md",
        "content/posters/example-poster.md",
        "content/_data/accounts.yaml",
    ] {
        assert!(site.join(f).exists(), "{f} missing");
    }
    assert!(
        !site.join("themes").exists(),
        "the theme is built in, not copied"
    );
    assert!(
        std::fs::read_to_string(site.join(".github/workflows/guidepost.yml"))
            .unwrap()
            .contains("guidepost check --format github")
    );
    // Guidepost is not on crates.io: the CI files install it from the
    // trust's copy of the source code, named in GUIDEPOST_GIT, and say so
    // in plain words when that is not set. Both stay valid YAML.
    for f in [".github/workflows/guidepost.yml", ".gitlab-ci.yml"] {
        let text = std::fs::read_to_string(site.join(f)).unwrap();
        let yaml: Result<serde_yaml::Value, _> = serde_yaml::from_str(&text);
        assert!(yaml.is_ok(), "{f} is not valid YAML: {yaml:?}");
        assert!(
            text.contains("cargo install --locked --git \"$GUIDEPOST_GIT\" guidepost"),
            "{f}: {text}"
        );
        assert!(
            !text.contains("cargo install --locked guidepost"),
            "{f} installs from crates.io, where Guidepost is not published"
        );
        assert!(
            text.contains("if [ -z \"$GUIDEPOST_GIT\" ]")
                && text.contains("Guidepost cannot be installed: set the"),
            "{f} does not explain a missing GUIDEPOST_GIT: {text}"
        );
    }
    let (code, text) = run(&["--root", "hub", "build"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        site.join("public/www/campaigns/example-campaign/index.html")
            .exists()
    );
    let (code, text) = run(&["--root", "hub", "check"]);
    assert_eq!(code, 0, "{text}");

    // --copy-theme puts the theme in the site to change it.
    let (code, _) = run(&["init", "themed", "--copy-theme"]);
    assert_eq!(code, 0);
    assert!(
        dir.path()
            .join("themed/themes/nhs/templates/base.html")
            .exists()
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), "mine").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_guidepost"))
        .args(["init"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"));
    assert_eq!(tree(dir.path()).len(), 1, "nothing was added");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_guidepost"))
        .args(["init", "--force"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.yaml")).unwrap(),
        "mine",
        "--force never overwrites"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("kept    site.yaml (already there)"));
    assert!(dir.path().join("content/_index.md").exists());
}

#[test]
fn new_writes_an_archetype_that_check_flags_until_filled_in() {
    let s = Site::new();
    for (kind, title, path) in [
        (
            "guidance",
            "Using LinkedIn",
            "content/guidance/using-linkedin.md",
        ),
        (
            "campaign",
            "Flu jabs 2027",
            "content/campaigns/flu-jabs-2027.md",
        ),
        ("poster", "Follow us", "content/posters/follow-us.md"),
        ("page", "About us", "content/about-us.md"),
    ] {
        let r = s.run_env(
            &["new", kind, title],
            &[("SOURCE_DATE_EPOCH", "1795334400")],
        );
        assert_eq!(r.code, 0, "{}", r.all());
        assert!(s.exists(path), "{path}");
        let text = s.read(path);
        assert!(text.contains(&format!("title: \"{title}\"")), "{text}");
        // Only the placeholders are wrong.
        let c = check(&s, &[]);
        assert_eq!(c.code, 1);
        let errors: Vec<&str> = c
            .stdout
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect();
        assert!(
            errors.iter().all(|e| e.contains("[placeholder]")),
            "{errors:?}"
        );
        assert!(errors.iter().any(|e| e.contains(path)), "{errors:?}");
        s.write(path, &text.replace("CHANGE ME", "Filled in"));
    }
    assert!(s.exists("content/posters/images/follow-us.png"));
    let c = check(&s, &[]);
    assert_eq!(c.code, 0, "{}", c.stdout);
    s.build_ok(&["--now", "2026-11-22"]);
    // A site's own archetype wins; an existing file is never overwritten.
    s.write(
        "archetypes/page.md",
        "---\ntitle: \"{{title}}\"\naudience: public\n---\nHouse style.\n",
    );
    let r = s.run(&["new", "page", "Second page"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.read("content/second-page.md").contains("House style."));
    let r = s.run(&["new", "page", "Second page"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("content/second-page.md already exists"),
        "{}",
        r.stderr
    );
}
