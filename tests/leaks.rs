//! Nothing leaked: staff material never reaches an output without staff,
//! in any file or file name; and the build's own leak check stops a
//! template or page that tries.

mod common;

use common::Site;

/// Each canary marks one kind of staff-only material.
const CANARIES: &[&str] = &[
    "canary-page-title",
    "canary-page-body",
    "canary-page-url",
    "canary-reply",
    "CanaryStaffTag",
    "canary-account",
    "canary-attachment",
    "canary-event",
    "canary-alias",
    "canary-poster",
    "canary-section",
    "canary-data",
];

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 56, image::Rgb([0, 94, 184]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn canary_site() -> Site {
    let s = Site::new();
    // A staff section and page: title, body, file name, URL (slug) and alias.
    s.write(
        "content/canary-section/_index.md",
        "---\ntitle: Staff canary-section\n---\nSection text.\n",
    );
    s.write_bytes(
        "content/canary-section/canary-attachment.pdf",
        b"%PDF-1.4 canary-attachment\n%%EOF\n",
    );
    s.write(
        "content/canary-section/rota.md",
        "---\ntitle: Rota canary-page-title\nslug: canary-page-url\naliases: [/canary-alias/]\ntags: [canary-data]\nhashtags: [\"#CanaryStaffTag\"]\n---\nThe canary-page-body text. See [the rota](canary-attachment.pdf) and #CanaryStaffTag.\n",
    );
    // A public page in a staff section must still be public.
    s.write(
        "content/guide/_index.md",
        "---\ntitle: Guide\n---\nStaff guide.\n",
    );
    s.write(
        "content/guide/open.md",
        "---\ntitle: Open page\naudience: public\ntags: [shared]\n---\nFor everyone.\n",
    );
    // A public campaign with a staff reply; a staff campaign with an event.
    s.write(
        "content/campaigns/week.md",
        "---\ntitle: Week\naudience: public\nhashtag: \"#OpenWeek\"\nstarts: 2026-08-03\nends: 2026-08-07\nevents:\n  - title: Open day\n    starts: 2026-08-04 10:00\n    location: Atrium\nresponses:\n  - situation: A complaint\n    reply: Use the canary-reply wording.\n---\nJoin #OpenWeek.\n",
    );
    s.write(
        "content/campaigns/staff-drive.md",
        "---\ntitle: Drive\naudience: staff\nhashtag: \"#CanaryStaffTag\"\nstarts: 2026-08-03\nends: 2026-08-07\nevents:\n  - title: canary-event clinic\n    starts: 2026-08-05 09:00\n    location: Ward 1\n---\nStaff drive.\n",
    );
    // A staff poster.
    s.write_bytes("content/posters/images/canary-poster.png", &png());
    s.write(
        "content/posters/staff.md",
        "---\ntitle: Poster\naudience: staff\nimage: images/canary-poster.png\nimage_alt: A staff poster\n---\nThe poster says canary-poster things.\n",
    );
    // A staff account in the directory.
    s.write(
        "content/_data/accounts.yaml",
        "- platform: x\n  handle: OpenTrust\n  name: Open trust account\n- platform: facebook\n  handle: staffgroup\n  name: canary-account network\n  audience: staff\n",
    );
    s.write(
        "content/accounts.md",
        "---\ntitle: Accounts\naudience: public\ntemplate: accounts\n---\nOur accounts.\n",
    );
    s
}

#[test]
fn no_canary_reaches_any_file_or_file_name_of_the_public_output() {
    let s = canary_site();
    s.build_ok(&["--now", "2026-08-05"]);
    let public = s.tree("public/www");
    assert!(
        public.len() > 20,
        "the public output was built: {:?}",
        public.keys()
    );
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for c in CANARIES {
            let c = c.to_lowercase();
            assert!(
                !path.to_lowercase().contains(&c),
                "{c} in the public file name {path}"
            );
            assert!(!text.contains(&c), "{c} in public/www/{path}");
        }
    }
    // Every canary is in the intranet, so the scan above could have failed.
    let intranet: String = s
        .tree("public/intranet")
        .iter()
        .map(|(p, b)| format!("{p}\n{}", String::from_utf8_lossy(b)))
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    for c in CANARIES {
        assert!(
            intranet.contains(&c.to_lowercase()),
            "{c} missing from the intranet"
        );
    }
    // The public page inside the staff section is public.
    assert!(s.exists("public/www/guide/open/index.html"));
    assert!(!s.exists("public/www/guide/index.html"));
}

#[test]
fn the_build_refuses_to_publish_a_staff_marker_phrase() {
    let s = Site::new();
    let yaml = s.read("site.yaml") + "staff_markers: [\"OFFICIAL-SENSITIVE\"]\n";
    s.write("site.yaml", &yaml);
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\n---\nFirst.\n",
    );
    s.build_ok(&[]);
    let before = s.tree("public/www");
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\n---\nThis is OFFICIAL-SENSITIVE.\n",
    );
    let r = s.build_fails();
    assert!(
        r.stderr.contains("leak check: public/www/a/index.html contains the staff marker phrase \"OFFICIAL-SENSITIVE\""),
        "{}",
        r.stderr
    );
    assert_eq!(s.tree("public/www"), before, "nothing was published");
    // The intranet may hold the phrase: on its own it builds.
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: staff\n---\nThis is OFFICIAL-SENSITIVE.\n",
    );
    s.build_ok(&[]);
}

#[test]
fn the_build_refuses_a_template_that_writes_a_staff_address() {
    let s = Site::new();
    s.write(
        "content/secret.md",
        "---\ntitle: Secret\naudience: staff\n---\nStaff.\n",
    );
    s.write(
        "content/guide/_index.md",
        "---\ntitle: Guide\naudience: staff\n---\n",
    );
    s.write(
        "content/guide/open.md",
        "---\ntitle: Open\naudience: public\n---\nOpen.\n",
    );
    // A theme tweak that hard-codes a link to a staff page.
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p>{{ page.title }} <a href=\"/social/secret/\">staff</a></p>{% endblock content %}",
    );
    let r = s.build_fails();
    assert!(
        r.stderr.contains("leak check: public/www/guide/open/index.html contains the address of content/secret.md (/social/secret/), which is for staff only"),
        "{}",
        r.stderr
    );
    // A public page under a staff section's address is not a false alarm.
    s.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}<p>{{ page.title }}</p>{% endblock content %}");
    s.build_ok(&[]);
    assert!(
        s.read("public/www/guide/open/index.html")
            .contains("/social/guide/open/")
    );
}

/// A staff page `rota` and a public page `advice/rota`: the public
/// page's address ends like the staff page's but is not it.
fn same_slug_site() -> Site {
    let s = Site::new();
    s.write(
        "content/rota.md",
        "---\ntitle: Duty rota\naudience: staff\n---\nWho is on duty.\n",
    );
    s.write(
        "content/advice/_index.md",
        "---\ntitle: Advice\naudience: public\n---\n",
    );
    s.write(
        "content/advice/rota.md",
        "---\ntitle: How our rota works\naudience: public\n---\nPublic text.\n",
    );
    s.write(
        "content/advice/open.md",
        "---\ntitle: Open\naudience: public\n---\nSee [the rota guide](rota.md).\n",
    );
    s
}

#[test]
fn a_public_page_named_like_a_staff_page_in_another_section_is_not_a_leak() {
    let s = same_slug_site();
    s.build_ok(&[]);
    assert!(s.exists("public/www/advice/rota/index.html"));
    assert!(!s.exists("public/www/rota/index.html"));
    assert!(
        s.read("public/www/advice/open/index.html")
            .contains("/social/advice/rota/")
    );
    assert!(
        s.read("public/www/sitemap.xml")
            .contains("/social/advice/rota/")
    );

    // With relative links, which go up to the top of the output and down.
    s.write(
        "site.yaml",
        &common::SITE_YAML.replace(
            "base_url: https://www.example.nhs.uk/social/\n",
            "base_url: https://www.example.nhs.uk/social/\n    relative_urls: true\n",
        ),
    );
    s.build_ok(&[]);
    assert!(
        s.read("public/www/advice/open/index.html")
            .contains("href=\"../../advice/rota/index.html\"")
    );

    // The intranet's base path is the public section's name: the public
    // `/advice/rota/` is the intranet's address of the staff page only on
    // the intranet's host.
    s.write(
        "site.yaml",
        &common::SITE_YAML
            .replace(
                "https://www.example.nhs.uk/social/",
                "https://www.example.nhs.uk/",
            )
            .replace(
                "https://intranet.example.nhs.uk/comms/",
                "https://intranet.example.nhs.uk/advice/",
            ),
    );
    s.build_ok(&[]);
    assert!(
        s.read("public/www/sitemap.xml")
            .contains("https://www.example.nhs.uk/advice/rota/")
    );
    // At the root of a domain, another website's /rota/ is not ours.
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p>{{ page.title }} <a href=\"https://www.england.nhs.uk/rota/\">their rota</a></p>{% endblock content %}",
    );
    s.build_ok(&[]);
}

/// advice/open's template: the page's title, then `html` as a template
/// might write it.
fn page_shows(s: &Site, html: &str) {
    s.write(
        "templates/page.html",
        &format!(
            "{{% extends \"base.html\" %}}{{% block content %}}<p>{{{{ page.title }}}} {html}</p>{{% endblock content %}}"
        ),
    );
}

/// Each of `near_misses` in advice/open's page builds: none is a leak.
fn no_leak_in(s: &Site, near_misses: &[&str]) {
    for written in near_misses {
        page_shows(s, written);
        let r = s.run(&["build"]);
        assert_eq!(r.code, 0, "{written}: {}", r.all());
    }
}

#[test]
fn the_leak_check_knows_a_staff_address_in_every_form() {
    let s = same_slug_site();
    // (how a template might write it, the address the message names)
    let forms = [
        ("Preview: http://0.0.0.0:8090/social/rota/", "/social/rota/"),
        (
            "<a href=\"http://192.168.1.20:1111/social/rota/\">rota</a>",
            "/social/rota/",
        ),
        (
            "<a href=\"https://example.nhs.uk/social/rota/\">rota</a>",
            "/social/rota/",
        ),
        (
            "<a href=\"http://192.168.1.20:1111/comms/rota/\">rota</a>",
            "/comms/rota/",
        ),
        ("<a href=\"/social/rota/\">rota</a>", "/social/rota/"),
        ("<a href=\"/social/rota\">rota</a>", "/social/rota"),
        ("<a href=\"/social/Rota/\">rota</a>", "/social/rota/"),
        (
            "<a href=\"/social/rota/index.html#who\">rota</a>",
            "/social/rota/",
        ),
        (
            "<a href=\"http://www.example.nhs.uk/social/rota/\">rota</a>",
            "/social/rota/",
        ),
        (
            "<a href=\"//www.example.nhs.uk/social/rota/?x=1\">rota</a>",
            "/social/rota/",
        ),
        (
            "<a href=\"https://WWW.example.nhs.uk:443/social/rota/\">rota</a>",
            "/social/rota/",
        ),
        (
            "Preview: http://localhost:1111/social/rota/.",
            "/social/rota/",
        ),
        (
            "<a href=\"https://intranet.example.nhs.uk/comms/rota/\">rota</a>",
            "/comms/rota/",
        ),
        (
            "<a href=\"HTTP://Intranet.Example.NHS.uk/comms/rota/\">rota</a>",
            "/comms/rota/",
        ),
        ("<a href=\"../../rota/\">rota</a>", "rota/"),
        ("<a href=\"../../rota/index.html\">rota</a>", "rota/"),
        ("<a href=\"../../rota\">rota</a>", "rota"),
        (
            "See www.example.nhs.uk/social/rota/ for the rota.",
            "/social/rota/",
        ),
        (
            "<script>const u = `/social/rota/`;</script>",
            "/social/rota/",
        ),
        ("Ask for &quot;/social/rota/&quot;.", "/social/rota/"),
        (
            "<script>var u = \"/social/rota/\";</script>",
            "/social/rota/",
        ),
    ];
    for (written, named) in forms {
        page_shows(&s, written);
        let r = s.build_fails();
        assert!(
            r.stderr.contains(&format!(
                "leak check: public/www/advice/open/index.html contains the address of content/rota.md ({named}), which is for staff only [leak-staff-address]"
            )),
            "{written}: {}",
            r.stderr
        );
    }
    // Not the staff page: one folder up from advice/open/ is advice/; the
    // trust's main site outside /social/; the intranet's base path on the
    // public site's host.
    no_leak_in(
        &s,
        &[
            "<a href=\"../rota/\">rota</a>",
            "<a href=\"/rota/\">the trust's rota page</a>",
            "<a href=\"/comms/rota/\">rota</a>",
            "<a href=\"https://www.example.nhs.uk/comms/rota/\">rota</a>",
            "<a href=\"/social/rota-planning/\">planning</a>",
            "<a href=\"/social/rota/.well-known\">file</a>",
            "<a href=\"../../advice/rota/\">the public rota guide</a>",
            "A rota, a rota/ and a \"rota\".",
        ],
    );
}

#[test]
fn the_leak_check_resolves_links_in_attributes_like_a_browser() {
    let s = same_slug_site();
    // A staff page next to the public ones in advice/.
    s.write(
        "content/advice/staff-rota.md",
        "---\ntitle: Staff rota\naudience: staff\n---\nWho is on duty.\n",
    );
    // In Markdown, a link to a neighbour's folder is left as written (it is
    // not a page link Guidepost checks): only the leak check sees it.
    s.write(
        "content/advice/open.md",
        "---\ntitle: Open\naudience: public\n---\nSee [the duty rota](../staff-rota/).\n",
    );
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "leak check: public/www/advice/open/index.html contains the address of content/advice/staff-rota.md (../staff-rota/), which is for staff only [leak-staff-address]"
        ),
        "{}",
        r.stderr
    );
    assert!(!s.exists("public/www"), "nothing is published");
    s.write(
        "content/advice/open.md",
        "---\ntitle: Open\naudience: public\n---\nText.\n",
    );
    // (how a template might write it, the link the message names)
    let forms = [
        ("<a href=\"../staff-rota\">rota</a>", "../staff-rota"),
        (
            "<a HREF='./../staff-rota/#today'>rota</a>",
            "./../staff-rota/#today",
        ),
        (
            "<a href=../staff-rota/index.html>rota</a>",
            "../staff-rota/index.html",
        ),
        (
            "<a href=\"&#47;social&#47;advice&#47;staff-rota&#47;\">rota</a>",
            "/social/advice/staff-rota/",
        ),
        (
            "<a href=\"&sol;social&sol;rota&sol;\">rota</a>",
            "/social/rota/",
        ),
        ("<a href=\"/social/%72ota/\">rota</a>", "/social/%72ota/"),
        (
            "<a href=\"https://www.example.nhs.uk/social/advice/./staff-rota/\">rota</a>",
            "https://www.example.nhs.uk/social/advice/./staff-rota/",
        ),
        ("<form action=\"../staff-rota/\"></form>", "../staff-rota/"),
        (
            "<img data-src=\"../staff-rota/\" alt=\"\">",
            "../staff-rota/",
        ),
        (
            "<img srcset=\"a.png 1x, ../staff-rota/ 2x\" src=\"a.png\" alt=\"\">",
            "../staff-rota/",
        ),
        (
            "<meta http-equiv=\"refresh\" content=\"0; url=../staff-rota/\">",
            "../staff-rota/",
        ),
        // Climbing above the host's root stops there; `..` before the base path.
        (
            "<a href=\"../../../social/advice/staff-rota/\">rota</a>",
            "../../../social/advice/staff-rota/",
        ),
        (
            "<a href=\"/x/../social/advice/staff-rota/\">rota</a>",
            "/x/../social/advice/staff-rota/",
        ),
        // Spaces around `=`, minified, SVG.
        ("<a href = \"../staff-rota/\">rota</a>", "../staff-rota/"),
        (
            "<a class=\"x\"href=\"../staff-rota/\">rota</a>",
            "../staff-rota/",
        ),
        (
            "<svg><a xlink:href=\"../staff-rota/\"><text>rota</text></a></svg>",
            "../staff-rota/",
        ),
        (
            "<a href=\"../staff-rota/Index.html\">rota</a>",
            "../staff-rota/Index.html",
        ),
        ("<a href=\"..\\staff-rota\\\">rota</a>", "..\\staff-rota\\"),
        (
            "<a href=\"&#47social&#47advice&#47staff-rota&#47\">rota</a>",
            "/social/advice/staff-rota/",
        ),
    ];
    for (written, named) in forms {
        page_shows(&s, written);
        let r = s.build_fails();
        assert!(
            r.stderr.contains(
                "leak check: public/www/advice/open/index.html contains the address of content/"
            ) && r
                .stderr
                .contains(&format!("({named}), which is for staff only")),
            "{written}: {}",
            r.stderr
        );
    }
    // Near misses: a longer name, another host, another base path, other
    // schemes, a path that only starts like the base path.
    no_leak_in(
        &s,
        &[
            "<a href=\"../staff-rota-guide/\">guide</a>",
            "<a href=\"https://other.example.org/advice/staff-rota/\">elsewhere</a>",
            "<a href=\"/socialadvice/staff-rota/\">elsewhere</a>",
            "<a href=\"/comms/advice/staff-rota/\">the trust's intranet path on this host</a>",
            "<a href=\"mailto:staff-rota@example.nhs.uk\">email</a>",
            "<a href=\"../rota/\">the public rota guide</a>",
            "<p title=\"../staff-rota/\">a title is not a link</p>",
            "<meta name=\"description\" content=\"How ../staff-rota/ works\">",
        ],
    );
}

#[test]
fn the_leak_check_knows_a_relative_staff_address_at_the_top() {
    let s = same_slug_site();
    // A public heading that reads like the staff page's address is text in
    // the search index, not a link.
    s.write(
        "content/advice/open.md",
        "---\ntitle: Open\naudience: public\n---\n## rota/\n\nText.\n",
    );
    s.build_ok(&[]);
    assert!(s.read("public/www/search-index.json").contains("\"rota/\""));
    s.write(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block content %}<p><a href=\"rota/\">rota</a></p>{% endblock content %}",
    );
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "leak check: public/www/index.html contains the address of content/rota.md (rota/), which is for staff only [leak-staff-address]"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn the_leak_check_knows_a_relative_staff_address_at_the_top_in_markdown_style() {
    let s = same_slug_site();
    s.write(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block content %}<p>See (rota/index.html).</p>{% endblock content %}",
    );
    let r = s.build_fails();
    assert!(
        r.stderr
            .contains("public/www/index.html contains the address of content/rota.md (rota/)"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_marker_phrase_is_found_as_the_page_shows_it() {
    // Pages get smart punctuation and HTML escaping: "don't" is shown as
    // "don’t", "&" as "&amp;". The phrase is found in each form.
    let s = Site::new();
    let yaml =
        s.read("site.yaml") + "staff_markers: [\"Staff only: don't share\", \"R&D -- internal\"]\n";
    s.write("site.yaml", &yaml);
    for (body, marker) in [
        ("Staff only: don't share this.", "Staff only: don't share"),
        ("Notes from R&D -- internal.", "R&D -- internal"),
    ] {
        s.write(
            "content/a.md",
            &format!("---\ntitle: A\naudience: public\n---\n{body}\n"),
        );
        let r = s.build_fails();
        assert!(
            r.stderr.contains(&format!(
                "leak check: public/www/a/index.html contains the staff marker phrase \"{marker}\""
            )),
            "{body}: {}",
            r.stderr
        );
    }
}

#[test]
fn a_document_is_searched_for_full_staff_addresses_only() {
    // A site at the root of its domain, with a staff section `resources/`:
    // a PDF names its own parts `/Resources`, which is not that address.
    let s = Site::new();
    s.write(
        "site.yaml",
        &common::SITE_YAML.replace(
            "https://www.example.nhs.uk/social/",
            "https://www.example.nhs.uk/",
        ),
    );
    s.write(
        "content/resources/_index.md",
        "---\ntitle: Staff resources\naudience: staff\n---\n",
    );
    s.write(
        "content/leaflet.md",
        "---\ntitle: Leaflet\naudience: public\n---\nRead [the leaflet](leaflet.pdf).\n",
    );
    let pdf = |extra: &str| {
        format!("%PDF-1.4\n1 0 obj\n<< /Type /Page /Resources << >> {extra}>>\nendobj\n%%EOF\n")
    };
    s.write("content/leaflet.pdf", &pdf(""));
    s.build_ok(&[]);
    // A link in the PDF to the staff section, with the site's host, is one.
    s.write(
        "content/leaflet.pdf",
        &pdf("/A << /URI (https://www.example.nhs.uk/resources/) >> "),
    );
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "leak check: public/www/leaflet.pdf contains the address of content/resources/_index.md (/resources/)"
        ),
        "{}",
        r.stderr
    );
}
