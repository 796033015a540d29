//! `asset(path=)` in templates: a file of the output with its address, type
//! and size; only files the output carries; errors name the template line.

mod common;

use common::{Site, small_pdf};

/// A page template that shows one asset's fields, and a public page using it.
fn site_with(call: &str) -> Site {
    let s = Site::new();
    s.write(
        "templates/page.html",
        &format!(
            "{{% set a = {call} %}}<p>{{{{ a.url }}}}|{{{{ a.permalink }}}}|{{{{ a.type }}}}|{{{{ a.size }}}}|{{{{ a.bytes }}}}|{{{{ a.pages }}}}|{{{{ a.label }}}}|{{{{ a.width }}}}x{{{{ a.height }}}}|{{{{ a.source }}}}</p><a href=\"{{{{ a.url }}}}\">Download ({{{{ a.label }}}})</a>\n"
        ),
    );
    s.write(
        "content/advice/a.md",
        "---\ntitle: Advice\naudience: public\n---\nText.\n",
    );
    s
}

/// A 3×2 PNG.
fn png() -> Vec<u8> {
    let mut bytes = vec![];
    image::RgbImage::new(3, 2)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

#[test]
fn a_static_file_is_described_in_every_output() {
    let s = site_with(r#"asset(path="posters/flu-a4.pdf")"#);
    // Three pages, as its page tree says.
    let mut pdf = small_pdf(3000);
    pdf.extend(b"2 0 obj << /Type /Pages /Count 3 >> endobj\n");
    s.write_bytes("static/posters/flu-a4.pdf", &pdf);
    s.build_ok(&[]);
    let public = s.read("public/www/advice/a/index.html");
    let want = format!(
        "<p>/social/posters/flu-a4.pdf|https://www.example.nhs.uk/social/posters/flu-a4.pdf|PDF|3KB|{}|3|PDF, 3KB, 3 pages|x|static/posters/flu-a4.pdf</p>",
        pdf.len()
    );
    assert!(public.starts_with(&want), "{public}");
    assert!(
        public.contains("<a href=\"/social/posters/flu-a4.pdf\">Download (PDF, 3KB, 3 pages)</a>"),
        "{public}"
    );
    // The intranet writes relative links; the permalink stays whole.
    let intranet = s.read("public/intranet/advice/a/index.html");
    assert!(
        intranet.starts_with("<p>/comms/posters/flu-a4.pdf|https://intranet.example.nhs.uk/comms/posters/flu-a4.pdf|PDF|")
            && intranet.contains("<a href=\"../../posters/flu-a4.pdf\">"),
        "{intranet}"
    );
}

#[test]
fn a_leading_slash_and_dot_segments_name_the_same_file_and_images_have_a_size() {
    let s = site_with(r#"asset(path="/images/./logo.png")"#);
    s.write_bytes("static/images/logo.png", &png());
    s.build_ok(&[]);
    let page = s.read("public/www/advice/a/index.html");
    assert!(
        page.starts_with("<p>/social/images/logo.png|")
            && page.contains("|PNG|1KB|")
            && page.contains("|3x2|"),
        "{page}"
    );
    // Not a document: no page count.
    assert!(page.contains("||PNG, 1KB|3x2|"), "{page}");
}

#[test]
fn a_content_file_is_found_only_in_outputs_whose_pages_link_it() {
    let s = site_with(r#"asset(path="files/rota.pdf")"#);
    s.write_bytes("content/files/rota.pdf", &small_pdf(100));
    // Only a staff page links it: the intranet carries it, the public site not.
    s.write(
        "content/staff-only.md",
        "---\ntitle: Rota\naudience: staff\n---\nSee [the rota](files/rota.pdf).\n",
    );
    let r = s.build_fails();
    assert_eq!(r.code, 1, "{}", r.all());
    let err = r.all();
    assert!(
        err.contains("templates/page.html:1:")
            && err.contains(
                "content/files/rota.pdf is not in the `public` output: only files linked from its pages are"
            ),
        "{err}"
    );
    assert!(!s.exists("public/www"), "nothing is published: {err}");

    // The intranet carries it, and describes it.
    s.build_ok(&["--output", "intranet"]);
    let page = s.read("public/intranet/advice/a/index.html");
    assert!(
        page.starts_with("<p>/comms/files/rota.pdf|")
            && page.contains("<a href=\"../../files/rota.pdf\">"),
        "{page}"
    );

    // Linked from a public page too: both outputs carry it.
    s.write(
        "content/advice/a.md",
        "---\ntitle: Advice\naudience: public\n---\nSee [the rota](../files/rota.pdf).\n",
    );
    s.build_ok(&[]);
    let page = s.read("public/www/advice/a/index.html");
    assert!(
        page.starts_with("<p>/social/files/rota.pdf|")
            && page.contains("|content/files/rota.pdf</p>"),
        "{page}"
    );
}

#[test]
fn a_missing_or_outside_file_is_an_error_at_the_call() {
    let s = site_with(r#"asset(path="posters/missing.pdf")"#);
    let r = s.build_fails();
    let err = r.all();
    assert!(
        err.contains("templates/page.html:1:")
            && err.contains(
                "there is no file static/posters/missing.pdf, nor content/posters/missing.pdf linked from a page of the `public` output"
            ),
        "{err}"
    );

    let s = site_with(r#"asset(path="../site.yaml")"#);
    let err = s.build_fails().all();
    assert!(
        err.contains("templates/page.html:1:")
            && err.contains("`../site.yaml` is not a file of the site"),
        "{err}"
    );

    // An empty file is as wrong here as in a link.
    let s = site_with(r#"asset(path="posters/empty.pdf")"#);
    s.write("static/posters/empty.pdf", "");
    let err = s.build_fails().all();
    assert!(
        err.contains("static/posters/empty.pdf: this file is empty (0 bytes)"),
        "{err}"
    );
}

#[test]
fn a_wrong_path_is_explained_with_what_to_write() {
    let cases = [
        (
            r#"asset(path="static/posters/flu.pdf")"#,
            "there is no file static/static/posters/flu.pdf: the path starts inside static/, so write `posters/flu.pdf`",
        ),
        (
            r#"asset(path="posters/Flu.pdf")"#,
            "there is no file static/posters/Flu.pdf, nor content/posters/Flu.pdf linked from a page of the `public` output: did you mean `posters/flu.pdf`?",
        ),
        (
            r#"asset(path="advice/a.md")"#,
            "content/advice/a.md is a page, not a file: use get_url(path=\"advice/a.md\")",
        ),
        (
            r#"asset(path="_data/links.yaml")"#,
            "content/_data/links.yaml is site data, not a file to publish: use load_data(path=\"links.yaml\")",
        ),
    ];
    for (call, message) in cases {
        let s = site_with(call);
        s.write_bytes("static/posters/flu.pdf", &small_pdf(10));
        s.write("content/_data/links.yaml", "a: 1\n");
        let err = s.build_fails().all();
        assert!(
            err.contains("templates/page.html:1:") && err.contains(message),
            "{call}: {err}"
        );
    }
}

#[test]
fn names_are_read_as_in_links_and_a_file_without_a_type_shows_its_size() {
    let s = site_with(r#"asset(path="files/Staff%20guide.pdf")"#);
    s.write_bytes("static/files/Staff guide.pdf", &small_pdf(10));
    s.build_ok(&[]);
    let page = s.read("public/www/advice/a/index.html");
    assert!(
        page.starts_with("<p>/social/files/Staff%20guide.pdf|"),
        "{page}"
    );

    let s = site_with(r#"asset(path="files\\README")"#);
    s.write("static/files/README", "Read me.");
    s.build_ok(&[]);
    let page = s.read("public/www/advice/a/index.html");
    assert!(page.contains("||1KB|x|static/files/README</p>"), "{page}");
}
