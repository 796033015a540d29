//! Bad input: every error names the file, the line and the problem, and
//! a failed build writes nothing.

mod common;

use common::Site;

/// Asserts the build fails and stderr has every expected fragment.
fn fails_with(s: &Site, expected: &[&str]) -> String {
    let r = s.build_fails();
    for e in expected {
        assert!(r.stderr.contains(e), "expected {e:?} in:\n{}", r.stderr);
    }
    assert!(r.stderr.contains("build failed"), "{}", r.stderr);
    r.stderr
}

#[test]
fn bad_yaml_in_front_matter() {
    let s = Site::new();
    s.write(
        "content/bad.md",
        "---\ntitle: Fine\ndescription: Call us: now\n---\n",
    );
    let err = fails_with(
        &s,
        &[
            "error: content/bad.md:3:",
            "not valid YAML",
            "colon",
            "reads as a new key [yaml-syntax]",
        ],
    );
    assert!(
        err.contains("description: Call us: now"),
        "shows the line: {err}"
    );
    assert!(err.contains("help:"), "has a hint: {err}");
}

/// A one-line list with an empty item: the fast front matter reader
/// once crashed on it; it is a YAML error with the file and line.
#[test]
fn empty_item_in_a_tag_list() {
    let s = Site::new();
    s.write(
        "content/tags.md",
        "---\ntitle: Tags\ntags: [news, , events]\n---\nBody\n",
    );
    let err = fails_with(
        &s,
        &[
            "error: content/tags.md:3:",
            "not valid YAML",
            "[yaml-syntax]",
        ],
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn missing_title() {
    let s = Site::new();
    s.write(
        "content/untitled.md",
        "---\ndescription: No title here\n---\nBody\n",
    );
    fails_with(
        &s,
        &[
            "error: content/untitled.md:1:1: this page has no `title` [missing-title]",
            "title: ",
        ],
    );
}

#[test]
fn unclosed_front_matter() {
    let s = Site::new();
    s.write("content/open.md", "---\ntitle: Open\nBody text\n");
    fails_with(
        &s,
        &[
            "content/open.md:1:1: the front matter starts with `---` but never ends [unclosed-front-matter]",
        ],
    );
}

#[test]
fn invalid_date_and_audience() {
    let s = Site::new();
    s.write(
        "content/d.md",
        "---\ntitle: D\ndate: 31/12/2026\naudience: everyone\n---\n",
    );
    fails_with(
        &s,
        &[
            "content/d.md:3:7: `date`: `31/12/2026` is not a date [invalid-date]",
            "2026-08-06",
            "content/d.md:4:11: `everyone` is not an audience [not-an-audience]",
        ],
    );
}

#[test]
fn unknown_site_yaml_key() {
    let s = Site::new();
    let yaml = s.read("site.yaml").replace("organisation:", "organisaton:");
    s.write("site.yaml", &yaml);
    fails_with(
        &s,
        &[
            "error: site.yaml:2:1: unknown setting `organisaton` [unknown-setting]",
            "did you mean `organisation`?",
        ],
    );
}

#[test]
fn missing_default_audience_and_bad_output() {
    let s = Site::new();
    let yaml = s
        .read("site.yaml")
        .replace("default_audience: staff\n", "")
        .replace("    relative_urls: true\n", "    relative_url: true\n");
    s.write("site.yaml", &yaml);
    fails_with(
        &s,
        &[
            "site.yaml:1:1: `default_audience` is missing [missing-setting]",
            "unknown setting `relative_url` in output `intranet` [unknown-setting]",
            "did you mean `relative_urls`?",
        ],
    );
}

#[test]
fn broken_page_link() {
    let s = Site::new();
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\n---\nIntro.\n\nRead [the rules](house-rule.md) first.\n",
    );
    s.write(
        "content/house-rules.md",
        "---\ntitle: Rules\naudience: public\n---\n",
    );
    fails_with(
        &s,
        &[
            "error: content/a.md:7:6: this link points to a page that does not exist: content/house-rule.md [broken-link]",
            "Read [the rules](house-rule.md) first.",
            "did you mean content/house-rules.md?",
        ],
    );
}

#[test]
fn broken_anchor() {
    let s = Site::new();
    s.write("content/a.md", "---\ntitle: A\naudience: public\n---\nSee [PALS](b.md#contact-pal) or [below](#nowhere).\n\n## Here\n");
    s.write(
        "content/b.md",
        "---\ntitle: B\naudience: public\n---\n## Contact PALS\n",
    );
    fails_with(
        &s,
        &[
            "content/a.md:5:5: `#contact-pal` is not a heading on content/b.md [broken-anchor]",
            "did you mean `#contact-pals`?",
            "content/a.md:5:33: `#nowhere` is not a heading on this page [broken-anchor]",
        ],
    );
}

#[test]
fn missing_attachment_and_image() {
    let s = Site::new();
    s.write("content/a.md", "---\ntitle: A\naudience: public\n---\nGet [the form](forms/form.docx).\n\n![A poster](poster.png)\n");
    fails_with(
        &s,
        &[
            "content/a.md:5:5: this file does not exist: content/forms/form.docx [missing-file]",
            "content/a.md:7:1: this image does not exist: content/poster.png [missing-image]",
        ],
    );
}

#[test]
fn url_collision_names_both_files() {
    let s = Site::new();
    s.write(
        "content/about.md",
        "---\ntitle: About\naudience: public\n---\n",
    );
    s.write(
        "content/about-us.md",
        "---\ntitle: About us\naudience: public\nslug: about\n---\n",
    );
    fails_with(
        &s,
        &[
            "content/about-us.md and content/about.md would both be published at /about/ [address-clash]",
        ],
    );
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let s = Site::new();
    s.write("templates/page.html", "<p>\n{{ page.title }\n</p>\n");
    s.write("content/a.md", "---\ntitle: A\naudience: public\n---\n");
    fails_with(
        &s,
        &[
            "error: templates/page.html:2:",
            "template syntax error",
            "[template-syntax]",
        ],
    );
}

#[test]
fn template_render_error_names_template_and_page() {
    let s = Site::new();
    s.write(
        "templates/page.html",
        "<p>{{ page.title }}</p>\n<p>{{ page.nonexistent_field }}</p>\n",
    );
    s.write("content/a.md", "---\ntitle: A\naudience: public\n---\n");
    fails_with(
        &s,
        &[
            "error: templates/page.html:2:",
            "nonexistent_field",
            "[template-error]",
            "while rendering content/a.md for the `public` output",
        ],
    );
}

#[test]
fn unknown_template_in_front_matter() {
    let s = Site::new();
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\ntemplate: fancy\n---\n",
    );
    fails_with(
        &s,
        &["content/a.md:4:1: the template `fancy.html` does not exist [missing-template]"],
    );
}

#[test]
fn public_page_linking_to_staff_page_fails_in_public_output() {
    let s = Site::new();
    s.write(
        "content/open.md",
        "---\ntitle: Open\naudience: public\n---\nAsk [the duty rota](rota.md).\n",
    );
    s.write(
        "content/rota.md",
        "---\ntitle: Rota\naudience: staff\n---\n",
    );
    fails_with(
        &s,
        &[
            "content/open.md:5:5: this public page links to content/rota.md, which is for staff only and so is not in the `public` output [audience-link]",
            "Ask [the duty rota](rota.md).",
        ],
    );
}

#[test]
fn link_to_a_draft_is_an_error() {
    let s = Site::new();
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\n---\n[Next](b.md)\n",
    );
    s.write(
        "content/b.md",
        "---\ntitle: B\naudience: public\ndraft: true\n---\n",
    );
    fails_with(
        &s,
        &[
            "content/a.md:5:1: this link points to content/b.md, which is not published because it is a draft (`draft: true`) [unpublished-link]",
        ],
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let s = Site::new();
    s.write(
        "content/one.md",
        "---\ntitle: One\naudience: public\n---\n[x](missing.md)\n",
    );
    s.write("content/two.md", "---\ndescription: no title\n---\n");
    s.write("content/three.md", "---\ntitle: Three\ndate: soon\n---\n");
    let err = fails_with(
        &s,
        &[
            "content/one.md:5:1",
            "content/two.md:1:1",
            "content/three.md:3:7",
        ],
    );
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn failed_rebuild_leaves_previous_output_byte_for_byte() {
    let s = Site::new();
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\n---\nFirst version.\n",
    );
    s.build_ok(&[]);
    let before_www = s.tree("public/www");
    let before_intranet = s.tree("public/intranet");
    assert!(!before_www.is_empty());

    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\n---\nSecond version [broken](nope.md).\n",
    );
    s.write(
        "content/b.md",
        "---\ntitle: B\naudience: public\n---\nNew page.\n",
    );
    s.build_fails();
    assert_eq!(s.tree("public/www"), before_www);
    assert_eq!(s.tree("public/intranet"), before_intranet);
    // No staging folders are left behind either.
    let leftovers: Vec<_> = std::fs::read_dir(s.path("public"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");

    // A template error at render time also leaves everything as it was.
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\n---\nThird.\n",
    );
    s.write("templates/page.html", "{{ page.missing }}");
    s.build_fails();
    assert_eq!(s.tree("public/www"), before_www);
}

#[test]
fn foreign_output_folder_is_refused_and_untouched() {
    let s = Site::new();
    s.write("public/www/precious.txt", "not ours");
    s.write("public/www/sub/data.csv", "1,2");
    let before = s.tree("public/www");
    let r = s.run(&["build"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains(
            "public/www already holds files that Guidepost did not write (2 file(s), e.g. public/www/"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(") [foreign-output-folder]"),
        "{}",
        r.stderr
    );
    assert_eq!(s.tree("public/www"), before);
    assert!(
        !s.exists("public/intranet"),
        "nothing is written when one output is refused"
    );
}

#[test]
fn files_added_to_our_output_are_never_deleted() {
    let s = Site::new();
    s.build_ok(&[]);
    s.write("public/www/added-by-hand.pdf", "mine");
    let r = s.run(&["build"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr
            .contains("1 file(s) that Guidepost did not write, e.g. public/www/added-by-hand.pdf [foreign-files]"),
        "{}",
        r.stderr
    );
    assert_eq!(s.read("public/www/added-by-hand.pdf"), "mine");
}

#[test]
fn no_site_yaml_is_a_usage_error() {
    let s = Site::empty();
    let r = s.run(&["build"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("cannot read site.yaml"), "{}", r.stderr);
    assert!(r.stderr.contains("[no-site-yaml]"), "{}", r.stderr);
}

#[test]
fn site_address_links_are_checked_like_md_links() {
    let s = Site::new();
    s.write(
        "content/rota.md",
        "---\ntitle: Rota\naudience: staff\n---\n",
    );
    s.write(
        "content/open.md",
        "---\ntitle: Open\naudience: public\n---\nSee [the rota](/rota/) and [gone](/no-such-page/).\n",
    );
    fails_with(
        &s,
        &[
            "content/open.md:5:5: this public page links to content/rota.md, which is for staff only",
            "content/open.md:5:28: this link points to /no-such-page/, but no page is published at that address [no-page-at-address]",
        ],
    );
}

/// Static files are copied on every core; one that lands on a page's
/// address is still reported, and the build writes nothing.
#[test]
fn a_static_file_at_a_page_address_is_an_error() {
    let s = Site::new();
    for i in 0..20 {
        s.write(
            &format!("static/images/photo-{i}.txt"),
            "not really a photo",
        );
    }
    s.write("static/index.html", "<p>my own home page</p>");
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "the static file `index.html` has the same address as a page or file of the site [static-address-clash]"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("help: rename the static file"),
        "{}",
        r.stderr
    );
    for out in ["public/www", "public/intranet"] {
        assert!(!s.exists(out), "nothing written to {out}");
    }
}

#[test]
fn a_page_at_an_address_guidepost_needs_is_an_error_not_overwritten() {
    let s = Site::new();
    s.write(
        "content/search.md",
        "---\ntitle: My search\naudience: public\n---\n",
    );
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "content/search.md has the address /search/index.html, which Guidepost needs for a page it makes itself [reserved-address]"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn links_to_generated_pages_and_static_files_are_allowed() {
    let s = Site::new();
    s.write("content/a.md", "---\ntitle: A\naudience: public\ntags: [flu]\n---\nSee [tags](/tags/), [flu](/tags/flu/), [search](/search/) and [the stylesheet](/css/guidepost.css).\n");
    s.build_ok(&[]);
    let html = s.read("public/www/a/index.html");
    assert!(html.contains("href=\"/social/tags/flu/\""), "{html}");
    assert!(
        html.contains("href=\"/social/css/guidepost.css\""),
        "{html}"
    );
}

#[test]
fn staging_left_by_an_interrupted_build_is_cleaned_up_but_foreign_folders_are_not() {
    let s = Site::new();
    s.build_ok(&[]);
    // An interrupted build (pid that is not running) left its staging folder.
    s.write(
        "public/.www.guidepost-tmp-999999/.guidepost-output",
        "# Written by Guidepost.\n",
    );
    s.write("public/.www.guidepost-tmp-999999/index.html", "half");
    // Someone's own folder with a similar name is never touched.
    s.write("public/.www.guidepost-tmp-notapid/mine.txt", "mine");
    s.build_ok(&[]);
    assert!(!s.exists("public/.www.guidepost-tmp-999999"));
    assert_eq!(s.read("public/.www.guidepost-tmp-notapid/mine.txt"), "mine");
}

#[test]
fn serve_refuses_a_bind_address_that_is_not_one() {
    let s = Site::new();
    let r = s.run(&["serve", "--bind", "nonsense"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr
            .contains("`nonsense` is not an address to listen on"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("[invalid-bind-address]"), "{}", r.stderr);
}

/// Every message carries its id, in every format, so it can be looked up
/// in docs/troubleshooting.md.
#[test]
fn typical_errors_show_their_id_in_human_and_json_output() {
    let s = Site::new();
    s.write(
        "content/bad-yaml.md",
        "---\ntitle: Live events: a checklist\n---\n",
    );
    s.write("content/untitled.md", "---\ndescription: No title\n---\n");
    s.write(
        "content/links.md",
        "---\ntitle: Links\naudience: public\n---\nRead [the rules](house-rule.md).\n",
    );
    s.write(
        "templates/page.html",
        "<p>{{ page.nonexistent_field }}</p>\n",
    );

    // The template error only shows once the content is right, so the
    // build is checked twice: content errors first, then the template.
    let expected = [
        (
            "yaml-syntax",
            "error: content/bad-yaml.md:2:19: the front matter is not valid YAML: a value contains a colon followed by a space, which YAML reads as a new key [yaml-syntax]",
        ),
        (
            "missing-title",
            "error: content/untitled.md:1:1: this page has no `title` [missing-title]",
        ),
        (
            "broken-link",
            "error: content/links.md:5:6: this link points to a page that does not exist: content/house-rule.md [broken-link]",
        ),
    ];
    let human = s.build_fails().stderr;
    for (_, line) in expected {
        assert!(human.contains(line), "expected {line:?} in:\n{human}");
    }
    assert!(
        human.contains(
            "Look up the [id] at the end of a message in Guidepost's docs/troubleshooting.md"
        ),
        "{human}"
    );

    let r = s.run(&["check", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.all());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    for (id, line) in expected {
        let f = findings
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("no finding with id {id}: {}", r.stdout));
        assert!(f["text"].as_str().unwrap().contains(line), "{f}");
        // Build errors are not check rules: they cannot be switched off.
        assert!(f["rule"].is_null(), "{f}");
    }
    let github = s.run(&["check", "--format", "github"]).stdout;
    assert!(
        github.contains(
            "::error file=content/untitled.md,line=1,col=1,title=missing-title::this page has no `title`"
        ) && github.contains("docs/troubleshooting.md#missing-title"),
        "{github}"
    );

    s.write(
        "content/bad-yaml.md",
        "---\ntitle: \"Live events: a checklist\"\naudience: public\n---\n",
    );
    s.write(
        "content/untitled.md",
        "---\ntitle: Titled\naudience: public\n---\n",
    );
    s.write(
        "content/links.md",
        "---\ntitle: Links\naudience: public\n---\nRead [the rules](bad-yaml.md).\n",
    );
    let human = s.build_fails().stderr;
    assert!(
        human.contains("error: templates/page.html:1:")
            && human.contains("Field `nonexistent_field` is not defined")
            && human.contains("[template-error]"),
        "{human}"
    );
    let r = s.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"template-error"), "{}", r.stdout);
    assert!(ids.iter().all(|id| !id.is_empty()), "{}", r.stdout);
}

#[test]
fn a_linked_file_where_guidepost_writes_its_own_is_an_error() {
    // content/robots.txt, linked from a page, would be published as
    // robots.txt, where Guidepost writes the site's own.
    let s = Site::new();
    s.write(
        "content/_index.md",
        "---\ntitle: Home\naudience: public\n---\nSee [our robots file](robots.txt).\n",
    );
    s.write("content/robots.txt", "User-agent: *\nDisallow: /private/\n");
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "error: content/_index.md:5:5: the linked file `content/robots.txt` has the same address as a file Guidepost makes (`robots.txt`) [attachment-address-clash]"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("5 | See [our robots file](robots.txt)."),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("rename the linked file, and its links"),
        "{}",
        r.stderr
    );
    assert!(!s.exists("public/www"), "nothing was published");
}

#[test]
fn a_static_file_where_a_page_needs_a_folder_is_named_as_such_in_a_first_build() {
    // A build into an empty folder finds the clash while writing (a build
    // over an earlier output finds it before: tests/rebuild.rs). Either
    // way the message names both files.
    let s = Site::new();
    s.write(
        "content/news.md",
        "---\ntitle: News\naudience: public\n---\nNews page.\n",
    );
    s.write("static/news", "plain text");
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "would be a file, but public/www/news/index.html needs a folder of that name [output-path-clash]"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("error: public/www/news: public/www/news would be a file"),
        "{}",
        r.stderr
    );
    assert!(!s.exists("public/www"), "nothing was published");
}

/// A misspelt field of a page: the message lists every field a page has
/// (not only those the site's templates name, which page objects are made
/// with) and suggests the nearest, at the template's line and column.
#[test]
fn a_misspelt_page_field_lists_every_page_field_and_suggests_one() {
    let s = Site::new();
    s.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>{{ page.title }}</title></head>\n<body>{{ page.reading_tme }}</body></html>\n",
    );
    s.write(
        "content/guide.md",
        "---\ntitle: A guide\naudience: public\n---\nText.\n",
    );
    let err = s.build_fails().stderr;
    assert!(
        err.contains("error: templates/page.html:2:")
            && err.contains("Field `reading_tme` is not defined")
            && err.contains("did you mean `reading_time`?"),
        "{err}"
    );
    let fields = err
        .split("Available fields: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_else(|| panic!("no field list: {err}"));
    for field in [
        "content",
        "reading_time",
        "toc",
        "summary",
        "ancestors",
        "title",
        "word_count",
    ] {
        assert!(
            fields
                .split(", ")
                .any(|f| f.trim_end_matches(" [template-error]") == field),
            "{field} not in {fields}"
        );
    }
}

/// Curly quotes typed by a word processor are not string quotes in a
/// template: a syntax error at its line, not a crash.
#[test]
fn curly_quotes_in_a_template_tag_are_a_syntax_error_at_its_line() {
    let s = Site::new();
    s.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>{{ page.title }}</title></head>\n<body><a href=\"{{ get_url(path=“about.md”) }}\">Café — about</a></body></html>\n",
    );
    s.write(
        "content/about.md",
        "---\ntitle: About\naudience: public\n---\nText.\n",
    );
    let err = s.build_fails().stderr;
    assert!(
        err.contains("error: templates/page.html:2:") && err.contains("template syntax error"),
        "{err}"
    );
}

#[test]
fn bad_features_in_site_yaml() {
    let s = Site::new();
    s.write(
        "site.yaml",
        &format!(
            "{}features:\n  serach: false\n  feed: no\n",
            common::SITE_YAML
        ),
    );
    fails_with(
        &s,
        &[
            "error: site.yaml:17:3: unknown feature `serach` [unknown-setting]",
            "did you mean `search`?",
            "error: site.yaml:18:3: `feed` should be true or false, found `no` [wrong-kind-of-value]",
            "write `feed: false` to leave it out",
        ],
    );
}

/// A link to an address whose feature site.yaml switches off is broken:
/// an error naming the feature, not a link to nothing.
#[test]
fn links_to_what_features_switch_off() {
    let s = Site::new();
    s.write(
        "site.yaml",
        &format!(
            "{}features:\n  feed: false\n  hashtags: false\n",
            common::SITE_YAML
        ),
    );
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\n---\nRead [our feed](/atom.xml).\n\nSee [flu posts](/hashtags/flu/) and [search](/search/).\n",
    );
    let err = fails_with(
        &s,
        &[
            "content/a.md:5:6: this link points to /atom.xml, which is not made: site.yaml switches `feed` off [no-page-at-address]",
            "content/a.md:7:5: this link points to /hashtags/flu/, which is not made: site.yaml switches `hashtags` off [no-page-at-address]",
            "remove the link, or remove `hashtags: false` from `features` in site.yaml",
        ],
    );
    assert!(!err.contains("points to /search/"), "{err}");
}
