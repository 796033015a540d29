//! `guidepost build` end to end: the real binary on fixture sites.

mod common;

use common::{Site, small_pdf, tree};

/// A minimal valid page around `body`, for templates written by a test.
fn page_shell(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body>{body}</body></html>\n"
    )
}

#[test]
fn builds_both_outputs_with_summary_lines() {
    let s = Site::new();
    s.write(
        "content/guidance/_index.md",
        "---\ntitle: Staff guidance\n---\nFor staff.\n",
    );
    s.write(
        "content/guidance/using-x.md",
        "---\ntitle: Using X at work\ndescription: How to post.\n---\nPost carefully.\n",
    );
    let r = s.build_ok(&[]);
    assert!(r.stdout.contains("public: "), "{}", r.stdout);
    assert!(r.stdout.contains("intranet: "), "{}", r.stdout);
    assert!(r.stdout.contains("→ public/www"), "{}", r.stdout);
    assert!(s.exists("public/www/index.html"));
    assert!(s.exists("public/intranet/guidance/using-x/index.html"));
    assert!(!s.exists("public/www/guidance/using-x/index.html"));
    assert!(r.stderr.is_empty(), "no warnings expected: {}", r.stderr);
}

#[test]
fn staff_page_reaches_intranet_and_never_public() {
    let s = Site::new();
    s.write(
        "content/guidance/_index.md",
        "---\ntitle: Staff guidance\n---\n",
    );
    s.write(
        "content/guidance/trolls.md",
        "---\ntitle: Zanzibar escalation guide\ntags: [quokka-tag]\n---\nUse the violet-heron route.\n",
    );
    s.write(
        "content/open.md",
        "---\ntitle: Open page\naudience: public\ntags: [shared]\n---\nHello.\n",
    );
    s.build_ok(&[]);
    let intranet = s.read("public/intranet/guidance/trolls/index.html");
    assert!(intranet.contains("Zanzibar escalation guide"));
    assert!(intranet.contains("violet-heron route"));
    for (path, bytes) in s.tree("public/www") {
        let text = String::from_utf8_lossy(&bytes);
        for canary in [
            "Zanzibar",
            "violet-heron",
            "trolls",
            "quokka",
            "Staff guidance",
        ] {
            assert!(
                !text.contains(canary),
                "{canary} leaked into public/www/{path}"
            );
            assert!(
                !path.contains(canary),
                "{canary} leaked into a public file name: {path}"
            );
        }
    }
    // The intranet lists the staff section in its navigation; public does not.
    assert!(
        s.read("public/intranet/index.html")
            .contains("Staff guidance")
    );
    assert!(s.exists("public/www/tags/shared/index.html"));
    assert!(!s.exists("public/www/tags/quokka-tag/index.html"));
    assert!(s.exists("public/intranet/tags/quokka-tag/index.html"));
}

#[test]
fn audience_resolves_page_then_section_then_default() {
    let s = Site::new();
    s.write(
        "content/a/_index.md",
        "---\ntitle: A\naudience: public\n---\n",
    );
    s.write(
        "content/a/inherits.md",
        "---\ntitle: Inherits public\n---\n",
    );
    s.write(
        "content/a/own.md",
        "---\ntitle: Own staff\naudience: staff\n---\n",
    );
    s.write("content/a/deeper/page.md", "---\ntitle: Deeper\n---\n");
    s.write("content/loose.md", "---\ntitle: Default staff\n---\n");
    s.build_ok(&[]);
    assert!(s.exists("public/www/a/inherits/index.html"));
    assert!(s.exists("public/www/a/deeper/page/index.html"));
    assert!(!s.exists("public/www/a/own/index.html"));
    assert!(s.exists("public/intranet/a/own/index.html"));
    assert!(!s.exists("public/www/loose/index.html"));
    assert!(s.exists("public/intranet/loose/index.html"));
}

#[test]
fn markdown_features_render() {
    let s = Site::new();
    s.write_bytes("content/docs/files/policy.pdf", &small_pdf(215 * 1024));
    s.write(
        "content/docs/_index.md",
        "---\ntitle: Docs\naudience: public\n---\n",
    );
    s.write(
        "content/docs/other.md",
        "---\ntitle: Other\n---\n## Contact PALS\n\nPhone us.\n",
    );
    s.write(
        "content/docs/features.md",
        "---\ntitle: Features\n---\n\
| Platform | Hours |\n|---|---|\n| X | 9 to 5 |\n\n\
A claim.[^1]\n\n[^1]: The source.\n\n\
## What we can’t do\n\n\
> [!NOTE]\n> Call 111.\n\n\
> [!WARNING]\n> Call 999 in an emergency.\n\n\
See [PALS](other.md#contact-pals) and [the policy](files/policy.pdf).\n\n\
- [x] done\n- [ ] not done\n\n~~old~~ \"quoted\"\n",
    );
    s.build_ok(&[]);
    let html = s.read("public/www/docs/features/index.html");
    assert!(html.contains("<table>"), "table: {html}");
    assert!(html.contains("<th>Platform</th>"), "table header: {html}");
    assert!(
        html.contains("footnote-definition")
            || html.contains("fn-1")
            || html.contains("href=\"#1\""),
        "footnote: {html}"
    );
    assert!(
        html.contains("<h2 id=\"what-we-cant-do\">"),
        "heading id: {html}"
    );
    assert!(
        html.contains("<div class=\"gp-inset-text\">"),
        "note alert: {html}"
    );
    assert!(
        html.contains("<span class=\"gp-visually-hidden\">Information: </span>"),
        "note label: {html}"
    );
    assert!(
        html.contains("<div class=\"gp-warning-callout\">"),
        "warning alert: {html}"
    );
    assert!(html.contains("Important: </span>"), "warning label: {html}");
    assert!(
        html.contains("href=\"/social/docs/other/#contact-pals\""),
        ".md link: {html}"
    );
    assert!(
        html.contains("href=\"/social/docs/files/policy.pdf\">the policy (PDF, 215KB)</a>"),
        "attachment: {html}"
    );
    assert!(
        html.contains("<span class=\"gp-visually-hidden\">Done: </span>done"),
        "task list: {html}"
    );
    assert!(html.contains("To do: </span>not done"), "task list: {html}");
    assert!(html.contains("<del>old</del>"), "strikethrough: {html}");
    assert!(html.contains("“quoted”"), "smart quotes: {html}");
    // The attachment is copied into the output that includes the page.
    assert_eq!(
        std::fs::read(s.path("public/www/docs/files/policy.pdf")).unwrap(),
        small_pdf(215 * 1024)
    );
}

#[test]
fn attachment_of_staff_page_is_not_copied_to_public() {
    let s = Site::new();
    s.write_bytes("content/guidance/files/rota.pdf", &small_pdf(10));
    s.write(
        "content/guidance/rota.md",
        "---\ntitle: Rota\n---\n[Duty rota](files/rota.pdf)\n",
    );
    s.build_ok(&[]);
    assert!(s.exists("public/intranet/guidance/files/rota.pdf"));
    assert!(!s.exists("public/www/guidance/files/rota.pdf"));
}

#[test]
fn relative_urls_output_links_relatively_and_absolute_output_uses_base_path() {
    let s = Site::new();
    s.write(
        "content/a/_index.md",
        "---\ntitle: Section A\naudience: public\n---\n",
    );
    s.write(
        "content/a/one.md",
        "---\ntitle: One\n---\nSee [two](two.md).\n",
    );
    s.write("content/a/two.md", "---\ntitle: Two\n---\nTwo.\n");
    s.build_ok(&[]);
    let rel = s.read("public/intranet/a/one/index.html");
    assert!(rel.contains("href=\"../../a/two/index.html\""), "{rel}");
    assert!(rel.contains("href=\"../../css/guidepost.css\""), "{rel}");
    assert!(
        !rel.contains("href=\"/comms/"),
        "no absolute internal links: {rel}"
    );
    let abs = s.read("public/www/a/one/index.html");
    assert!(abs.contains("href=\"/social/a/two/\""), "{abs}");
    assert!(abs.contains("href=\"/social/css/guidepost.css\""), "{abs}");
}

#[test]
fn section_lists_pages_in_weight_then_date_order() {
    let s = Site::new();
    s.write(
        "content/news/_index.md",
        "---\ntitle: News\naudience: public\n---\n",
    );
    s.write(
        "content/news/old.md",
        "---\ntitle: Old story\ndate: 2025-01-01\n---\n",
    );
    s.write(
        "content/news/new.md",
        "---\ntitle: New story\ndate: 2026-01-01\n---\n",
    );
    s.write(
        "content/news/pinned.md",
        "---\ntitle: Pinned story\nweight: 1\n---\n",
    );
    s.build_ok(&[]);
    let html = s.read("public/www/news/index.html");
    let pos = |t: &str| {
        html.find(t)
            .unwrap_or_else(|| panic!("{t} missing: {html}"))
    };
    assert!(pos("Pinned story") < pos("New story"));
    assert!(pos("New story") < pos("Old story"));
}

#[test]
fn drafts_publish_and_expires_follow_now() {
    let s = Site::new();
    s.write(
        "content/p/_index.md",
        "---\ntitle: P\naudience: public\n---\n",
    );
    s.write(
        "content/p/draft.md",
        "---\ntitle: Draft\ndraft: true\n---\n",
    );
    s.write(
        "content/p/embargo.md",
        "---\ntitle: Embargo\npublish: 2026-09-01\n---\n",
    );
    s.write(
        "content/p/expiring.md",
        "---\ntitle: Expiring\nexpires: 2026-09-01 12:00\n---\n",
    );
    s.build_ok(&["--now", "2026-08-01"]);
    assert!(!s.exists("public/www/p/draft/index.html"));
    assert!(!s.exists("public/www/p/embargo/index.html"));
    assert!(s.exists("public/www/p/expiring/index.html"));

    s.build_ok(&["--now", "2026-10-01", "--drafts"]);
    assert!(s.exists("public/www/p/draft/index.html"));
    assert!(s.exists("public/www/p/embargo/index.html"));
    assert!(!s.exists("public/www/p/expiring/index.html"));

    // SOURCE_DATE_EPOCH fixes "now" when --now is not given (2026-08-01).
    let r = s.run_env(&["build"], &[("SOURCE_DATE_EPOCH", "1785542400")]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!s.exists("public/www/p/embargo/index.html"));
}

#[test]
fn dates_show_in_nhs_style_with_review_dates() {
    let s = Site::new();
    s.write(
        "content/page.md",
        "---\ntitle: Reviewed\naudience: public\ndate: 2026-08-06\nreviewed: 2026-08-06\nreview_due: 2027-02-06\n---\nText.\n",
    );
    s.build_ok(&[]);
    let html = s.read("public/www/page/index.html");
    assert!(html.contains("6 August 2026"), "{html}");
    assert!(html.contains("Page last reviewed"), "{html}");
    assert!(html.contains("Next review due"), "{html}");
    assert!(html.contains("6 February 2027"), "{html}");
}

#[test]
fn site_templates_and_static_override_the_theme_file_by_file() {
    let s = Site::new();
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ page.title }} / {{ page.extra.mood }}</p>{% endblock content %}",
    );
    s.write("templates/special.html", "<p>special {{ page.title }}</p>");
    s.write("static/css/guidepost.css", "body{color:red}");
    s.write("static/robots-extra.txt", "hello");
    s.write(
        "content/a.md",
        "---\ntitle: Plain\naudience: public\nmood: happy\n---\n",
    );
    s.write(
        "content/b.md",
        "---\ntitle: Chosen\naudience: public\ntemplate: special\n---\n",
    );
    let r = s.build_ok(&[]);
    // An unknown key is a warning with a hint, and still reaches templates.
    assert!(
        r.stderr
            .contains("content/a.md:4:1: unknown front matter key `mood`"),
        "{}",
        r.stderr
    );
    let a = s.read("public/www/a/index.html");
    assert!(a.contains("<p class=\"custom\">Plain / happy</p>"), "{a}");
    assert!(
        a.contains("gp-skip-link"),
        "base.html still comes from the theme: {a}"
    );
    assert_eq!(s.read("public/www/b/index.html"), "<p>special Chosen</p>");
    assert_eq!(s.read("public/www/css/guidepost.css"), "body{color:red}");
    assert_eq!(s.read("public/www/robots-extra.txt"), "hello");
}

#[test]
fn guidance_pages_use_the_guidance_template() {
    let s = Site::new();
    s.write("templates/guidance.html", "guidance:{{ page.kind }}");
    s.write(
        "content/guidance/x.md",
        "---\ntitle: X\naudience: public\n---\n",
    );
    s.build_ok(&[]);
    assert_eq!(
        s.read("public/www/guidance/x/index.html"),
        "guidance:guidance"
    );
}

#[test]
fn only_one_output_with_output_flag() {
    let s = Site::new();
    s.build_ok(&["--output", "intranet"]);
    assert!(s.exists("public/intranet/index.html"));
    assert!(!s.exists("public/www"));
    let r = s.run(&["build", "--output", "intranet2"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("there is no output called `intranet2`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `intranet`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn aliases_write_redirect_pages() {
    let s = Site::new();
    s.write(
        "content/new-name.md",
        "---\ntitle: New name\naudience: public\naliases: [/old-name/]\n---\n",
    );
    s.build_ok(&[]);
    let r = s.read("public/www/old-name/index.html");
    assert!(r.contains("url=/social/new-name/"), "{r}");
    assert!(
        r.contains("<link rel=\"canonical\" href=\"https://www.example.nhs.uk/social/new-name/\">"),
        "{r}"
    );
    let rel = s.read("public/intranet/old-name/index.html");
    assert!(rel.contains("url=../new-name/index.html"), "{rel}");
}

#[test]
fn slug_and_alias_cannot_escape_the_output_folder() {
    let s = Site::new();
    s.write(
        "content/escape.md",
        "---\ntitle: Escape\naudience: public\nslug: ../../etc\n---\n",
    );
    s.build_ok(&[]);
    // The slug is reduced to a plain name inside the output.
    assert!(s.exists("public/www/etc/index.html"));
    assert!(!s.exists("etc"));
    assert!(!s.exists("public/etc"));

    s.write(
        "content/escape.md",
        "---\ntitle: Escape\naudience: public\naliases: [\"../../outside\"]\n---\n",
    );
    let before = tree(s.root());
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "content/escape.md:4:1: the alias `../../outside` is not an address inside the site"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        tree(s.root()),
        before,
        "a failed build writes nothing anywhere"
    );
}

#[test]
fn quiet_prints_only_errors() {
    let s = Site::new();
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\nmood: x\n---\n",
    );
    let r = s.run(&["-q", "build"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.is_empty() && r.stderr.is_empty(), "{}", r.all());
}

#[test]
fn works_without_a_home_page_file() {
    let s = Site::empty();
    s.write("site.yaml", common::SITE_YAML);
    s.write("content/a.md", "---\ntitle: A\naudience: public\n---\n");
    s.build_ok(&[]);
    assert!(
        s.read("public/www/index.html")
            .contains("Test Trust — social media")
    );
}

#[test]
fn site_address_links_get_the_base_path_and_static_files_resolve() {
    let s = Site::new();
    s.write_bytes("static/images/poster.png", b"\x89PNG fake");
    s.write(
        "content/a/_index.md",
        "---\ntitle: A\naudience: public\n---\n",
    );
    s.write("content/a/two.md", "---\ntitle: Two\n---\n## Part\n");
    s.write(
        "content/a/one.md",
        "---\ntitle: One\n---\nSee [two](/a/two/#part), [home](/) and ![Poster](/images/poster.png).\n",
    );
    s.build_ok(&[]);
    let abs = s.read("public/www/a/one/index.html");
    assert!(abs.contains("href=\"/social/a/two/#part\""), "{abs}");
    assert!(abs.contains("href=\"/social/\""), "{abs}");
    assert!(abs.contains("src=\"/social/images/poster.png\""), "{abs}");
    let rel = s.read("public/intranet/a/one/index.html");
    assert!(
        rel.contains("href=\"../../a/two/index.html#part\""),
        "{rel}"
    );
    assert!(rel.contains("src=\"../../images/poster.png\""), "{rel}");
}

#[test]
fn timings_show_phases_and_cpu_time_per_kind_of_work() {
    let s = Site::new();
    s.write(
        "content/guidance/using-x.md",
        "---\ntitle: Using X at work\n---\nPost carefully, see [the home page](../_index.md).\n",
    );
    let r = s.build_ok(&["--timings"]);
    for line in [
        "content (read, front matter, markdown)",
        "render and write `public`",
        "CPU, all threads: read files",
        "CPU, all threads: front matter",
        "CPU, all threads: markdown",
        "CPU, all threads: link resolution",
        "CPU, all threads: templates (content pages)",
        "CPU, all threads: writing (content pages)",
    ] {
        assert!(
            r.stderr
                .lines()
                .any(|l| l.contains(" ms  ") && l.ends_with(line)),
            "no `{line}` timing in:\n{}",
            r.stderr
        );
    }
    // Without the flag, none of it.
    let quiet = s.build_ok(&[]);
    assert!(
        !quiet.stderr.contains("CPU, all threads"),
        "{}",
        quiet.stderr
    );
}

#[test]
fn the_date_filter_reads_dates_and_times_with_and_without_a_format() {
    let s = Site::new();
    s.write(
        "templates/special.html",
        "<p>[{{ page.date | date }}] [{{ page.date | date(format=\"%d/%m/%Y %H:%M\") }}] [{{ page.updated | date }}] [{{ page.updated | date(format=\"%d/%m/%Y %H:%M\") }}]</p><p>[{{ page.date | date(format=\"%Y-%m-%d\") }}] [{{ page.updated | date(format=\"%Y-%m-%d\") }}] [{{ page.expires | date(format=\"%Y-%m-%d\") }}]</p>",
    );
    s.write(
        "content/a.md",
        "---\ntitle: Dated\naudience: public\ntemplate: special\ndate: 2026-03-29\nupdated: 2026-07-01 23:30\n---\n",
    );
    s.build_ok(&[]);
    let a = s.read("public/www/a/index.html");
    // A plain date is that day, at midnight where the site is (the clocks
    // went forward on 29 March 2026); a time is shown in the site's zone.
    assert!(
        a.contains("[29 March 2026] [29/03/2026 00:00] [1 July 2026] [01/07/2026 23:30]"),
        "{a}"
    );
    // `%Y-%m-%d` of a plain date is the date as written (no round trip);
    // of a time, its day; of no date, nothing.
    assert!(a.contains("<p>[2026-03-29] [2026-07-01] []</p>"), "{a}");
}

/// Term pages list their pages newest first, then by title, undated last
/// (the sort key is read once per page; ties keep source order).
#[test]
fn term_pages_list_newest_first_then_by_title() {
    let s = Site::new();
    for (file, title, date, tag) in [
        ("a.md", "Order Beta", Some("2025-01-01"), "#OrderTest"),
        ("b.md", "Order Zed", Some("2025-03-01"), "#ordertest"),
        ("c.md", "Order Alpha", Some("2025-01-01"), "#OrderTest"),
        ("d.md", "Order Delta", None, "#ORDERTEST"),
    ] {
        let date = date.map_or(String::new(), |d| format!("date: {d}\n"));
        s.write(
            &format!("content/{file}"),
            &format!(
                "---\ntitle: {title}\naudience: public\n{date}tags: [sorting]\n---\nPosted with {tag} today.\n"
            ),
        );
    }
    s.build_ok(&[]);
    for page in [
        "public/www/tags/sorting/index.html",
        "public/www/hashtags/ordertest/index.html",
    ] {
        let html = s.read(page);
        let at = |t: &str| {
            html.find(t)
                .unwrap_or_else(|| panic!("{t} missing from {page}"))
        };
        let order = [
            at("Order Zed"),
            at("Order Alpha"),
            at("Order Beta"),
            at("Order Delta"),
        ];
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "{page} lists pages out of order: {order:?}"
        );
    }
}

/// Page objects carry only the fields some template names (a speed-up);
/// a template that picks fields by a name made at render time — here from
/// site.yaml, after a string with an escaped quote — must still find every
/// one of them.
#[test]
fn templates_reading_page_fields_by_a_name_made_at_render_time_find_them() {
    let s = Site::new();
    s.write(
        "site.yaml",
        &format!(
            "{}extra:\n  shown: [slug, weight, word_count, reading_time, aliases]\n",
            common::SITE_YAML
        ),
    );
    s.write(
        "content/guide.md",
        "---\ntitle: A guide\naudience: public\nweight: 7\naliases: [old-guide]\n---\nThree short words.\n",
    );
    let page = |index: &str| {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>{{{{ page.title | replace(from=\"\\\"\", to=\"\") }}}}</title></head><body>{{% for f in site.extra.shown %}}<p>{{{{ f }}}}={{{{ {index} }}}}</p>{{% endfor %}}</body></html>\n"
        )
    };
    for (how, index) in [
        ("an index", "page[f]"),
        ("the get filter", "page | get(key=f)"),
    ] {
        s.write("templates/page.html", &page(index));
        s.build_ok(&[]);
        let html = s.read("public/www/guide/index.html");
        for shown in [
            "<p>slug=guide</p>",
            "<p>weight=7</p>",
            "<p>word_count=3</p>",
            "<p>reading_time=1</p>",
            "<p>aliases=[",
        ] {
            assert!(html.contains(shown), "{how}: no {shown} in {html}");
        }
    }

    // A field named only in a component of another file is there too.
    s.write(
        "templates/components.html",
        "{% component facts(p) %}<p>{{ p.reading_time }} min, {{ p.slug }}</p>{% endcomponent %}",
    );
    s.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>{{ page.title }}</title></head><body>{{ <facts p={page} /> }}</body></html>\n",
    );
    s.build_ok(&[]);
    assert!(
        s.read("public/www/guide/index.html")
            .contains("<p>1 min, guide</p>")
    );
}

/// A one-shot build counts words only when a template shows them
/// (`word_count` or `reading_time`): each on its own must still get the
/// real count, in the page's own template and in a listing.
#[test]
fn word_counts_are_made_when_a_template_names_either_field() {
    let s = Site::new();
    s.write(
        "content/guide.md",
        &format!(
            "---\ntitle: A guide\naudience: public\n---\n{}\n\n- and *three* more\n",
            "word ".repeat(450)
        ),
    );
    for (field, shown) in [("word_count", "453"), ("reading_time", "3")] {
        s.write(
            "templates/page.html",
            &page_shell(&format!("<p>{field}={{{{ page.{field} }}}}</p>")),
        );
        let listing = page_shell(&format!(
            "{{% for p in section.pages %}}<p>{field}={{{{ p.{field} }}}}</p>{{% endfor %}}"
        ));
        s.write("templates/index.html", &listing);
        s.write("templates/section.html", &listing);
        s.build_ok(&[]);
        let want = format!("<p>{field}={shown}</p>");
        for page in ["public/www/guide/index.html", "public/www/index.html"] {
            let html = s.read(page);
            assert!(html.contains(&want), "{page}: no {want} in {html}");
        }
    }
}

/// A one-shot build copies a page's first paragraph only when a template
/// shows `summary` or the page has no `description` (the paragraph stands
/// in for it): both must still be there when asked for.
#[test]
fn summaries_are_made_when_shown_or_standing_in_for_a_description() {
    let s = Site::new();
    s.write(
        "content/guide.md",
        "---\ntitle: A guide\naudience: public\n---\nThe *first* paragraph.\n\nThe second.\n",
    );
    s.write(
        "content/rules.md",
        "---\ntitle: Rules\naudience: public\ndescription: Our house rules.\n---\nOpening words.\n",
    );
    s.write(
        "templates/page.html",
        &page_shell("<p>d={{ page.description }}</p>"),
    );
    s.build_ok(&[]);
    assert!(
        s.read("public/www/guide/index.html")
            .contains("<p>d=The first paragraph.</p>")
    );
    assert!(
        s.read("public/www/rules/index.html")
            .contains("<p>d=Our house rules.</p>")
    );

    s.write(
        "templates/page.html",
        &page_shell("<div>{{ page.summary | safe }}</div><p>d={{ page.description }}</p>"),
    );
    s.build_ok(&[]);
    let rules = s.read("public/www/rules/index.html");
    assert!(
        rules.contains("<div><p>Opening words.</p>\n</div><p>d=Our house rules.</p>"),
        "{rules}"
    );
}

/// `now` and the `current_*` values are put in a page's context only when
/// a template names them (each is made for every page): named anywhere —
/// here one in the page template, one in a partial, two in 404.html —
/// each is there and right.
#[test]
fn context_values_are_there_when_a_template_names_them() {
    let s = Site::new();
    s.write(
        "content/guide.md",
        "---\ntitle: A guide\naudience: public\n---\nText.\n",
    );
    s.write(
        "templates/partials/where.html",
        "<p>url={{ current_url }}</p>",
    );
    s.write(
        "templates/page.html",
        &page_shell("<p>path={{ current_path }}</p>{% include \"partials/where.html\" %}"),
    );
    s.write(
        "templates/404.html",
        &page_shell("<p>{{ now }} {{ current_permalink }}</p>"),
    );
    s.build_ok(&["--now", "2026-12-02T09:00:00Z"]);
    let page = s.read("public/www/guide/index.html");
    assert!(
        page.contains("<p>path=guide/</p><p>url=/social/guide/</p>"),
        "{page}"
    );
    let missing = s.read("public/www/404.html");
    assert!(
        missing.contains(
            "<p>2026-12-02T09:00:00+00:00 https://www.example.nhs.uk/social/404.html</p>"
        ),
        "{missing}"
    );
}

/// `get_url(path=)` of a page reads the page's address from its object:
/// there even when no template names `url` (page objects hold the fields
/// templates name, and `url` always).
#[test]
fn get_url_finds_a_page_in_a_theme_that_never_names_url() {
    let s = Site::new();
    s.write(
        "site.yaml",
        &common::SITE_YAML.replace("taxonomies: [tags]\n", "taxonomies: [tags]\ntheme: plain\n"),
    );
    s.write("themes/plain/theme.yaml", "name: plain\n");
    for t in [
        "index.html",
        "section.html",
        "taxonomy.html",
        "term.html",
        "404.html",
    ] {
        s.write(&format!("templates/{t}"), &page_shell("<p>list</p>"));
    }
    s.write(
        "templates/page.html",
        &page_shell("<a href=\"{{ get_url(path='about.md') }}\">About</a>"),
    );
    s.write(
        "content/about.md",
        "---\ntitle: About us\naudience: public\n---\nWho we are.\n",
    );
    s.build_ok(&[]);
    let html = s.read("public/www/about/index.html");
    assert!(
        html.contains("<a href=\"/social/about/\">About</a>"),
        "{html}"
    );
}
