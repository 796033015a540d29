//! Posters and attachments: poster pages, QR codes, thumbnails, download
//! labels and image checks.

mod common;

use common::Site;

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A small PDF whose page tree says it has `pages` pages.
fn pdf(pages: u32) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count {pages} >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

fn poster_site() -> Site {
    let s = Site::new();
    s.write_bytes("content/posters/images/join.png", &png(800, 1131));
    s.write_bytes("content/posters/files/join.pdf", &pdf(2));
    s.write(
        "content/posters/_index.md",
        "---\ntitle: Posters\naudience: public\n---\nPrint them.\n",
    );
    s.write(
        "content/campaigns/week.md",
        "---\ntitle: Social media week\naudience: public\nhashtag: \"#SoMeWeek\"\nstarts: 2026-08-03\nends: 2026-08-07\n---\nThe week.\n",
    );
    s.write(
        "content/posters/join.md",
        "---\ntitle: Join the conversation\naudience: public\nimage: images/join.png\nimage_alt: A blue poster inviting patients to follow us\nfile: files/join.pdf\npaper: A3\ncampaign: ../campaigns/week.md\n---\n## Join the conversation\n\nFollow us and use #SoMeWeek.\n",
    );
    s
}

/// Reads our QR SVG back into a bitmap and decodes it.
fn decode_qr(svg: &str) -> String {
    let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let size: usize = view.split(' ').next().unwrap().parse().unwrap();
    let d = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let scale = 8;
    let mut dark = vec![false; size * size];
    for rect in d.split('z').filter(|r| !r.is_empty()) {
        // M{x} {y}h{run}v1h-{run}
        let rest = rect.trim_start_matches('M');
        let (xy, tail) = rest.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let run: usize = tail.split('v').next().unwrap().parse().unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        for i in 0..run {
            dark[y * size + x + i] = true;
        }
    }
    let px = size * scale;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| {
        if dark[(y / scale) * size + x / scale] {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("decodes").1
}

fn qr_svg(html: &str) -> String {
    let start = html
        .find("<svg class=\"gp-qr\"")
        .expect("an inline QR code");
    let end = html[start..].find("</svg>").unwrap() + start + 6;
    html[start..end].to_string()
}

#[test]
fn poster_page_has_image_download_campaign_qr_and_print_size() {
    let s = poster_site();
    s.build_ok(&["--now", "2026-11-22"]);
    let html = s.read("public/www/posters/join/index.html");
    for want in [
        "<img class=\"gp-poster__image\" src=\"/social/posters/images/join.png\" alt=\"A blue poster inviting patients to follow us\" width=\"800\" height=\"1131\">",
        "href=\"/social/posters/files/join.pdf\" download>Download the poster to print (PDF, 1KB, 2 pages, A3)</a>",
        "<a href=\"/social/campaigns/week/\">Social media week</a> (#SoMeWeek)",
        "@page { size: A3 portrait; margin: 0; }",
        "aria-label=\"QR code for https://www.example.nhs.uk/social/campaigns/week/\"",
        "Follow us and use",
    ] {
        assert!(html.contains(want), "missing {want:?} in:\n{html}");
    }
    assert_eq!(
        decode_qr(&qr_svg(&html)),
        "https://www.example.nhs.uk/social/campaigns/week/"
    );
    assert!(s.exists("public/www/posters/files/join.pdf"));
}

#[test]
fn qr_codes_point_at_the_public_site_unless_the_page_is_staff_only() {
    let s = poster_site();
    s.write_bytes("content/posters/images/staff.png", &png(100, 141));
    s.write(
        "content/posters/staff.md",
        "---\ntitle: Staff room poster\naudience: staff\nimage: images/staff.png\nimage_alt: A staff poster\npaper: A4\n---\nFor the staff room.\n",
    );
    s.write(
        "content/posters/own.md",
        "---\ntitle: Own link\naudience: public\nimage: images/staff.png\nimage_alt: A poster\nqr: https://www.nhs.uk/\n---\nText.\n",
    );
    s.build_ok(&["--now", "2026-11-22"]);
    // A public poster printed from the intranet still sends people to the public site.
    let intranet = s.read("public/intranet/posters/join/index.html");
    assert_eq!(
        decode_qr(&qr_svg(&intranet)),
        "https://www.example.nhs.uk/social/campaigns/week/"
    );
    // A staff poster points at its intranet page (absolute, not relative).
    let staff = s.read("public/intranet/posters/staff/index.html");
    assert_eq!(
        decode_qr(&qr_svg(&staff)),
        "https://intranet.example.nhs.uk/comms/posters/staff/"
    );
    assert!(staff.contains("@page { size: A4 portrait"), "{staff}");
    let own = s.read("public/www/posters/own/index.html");
    assert_eq!(decode_qr(&qr_svg(&own)), "https://www.nhs.uk/");
}

#[test]
fn gallery_lists_posters_with_thumbnails_made_once() {
    let s = poster_site();
    s.build_ok(&["--now", "2026-11-22"]);
    let gallery = s.read("public/www/posters/index.html");
    let start = gallery
        .find("<img class=\"gp-gallery__thumb\"")
        .expect("a thumbnail");
    let img = &gallery[start..start + gallery[start..].find('>').unwrap()];
    assert!(img.contains("width=\"480\" height=\"679\""), "{img}");
    let src = img
        .split("src=\"/social/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let thumb = std::fs::read(s.path(&format!("public/www/{src}"))).unwrap();
    assert_eq!(image::load_from_memory(&thumb).unwrap().width(), 480);

    // Unchanged image: the thumbnail comes from the last build, not a resize.
    // (Marking the old file proves it: a fresh resize would not carry the mark.)
    let mut marked = thumb.clone();
    marked.extend_from_slice(b"cache-mark");
    std::fs::write(s.path(&format!("public/www/{src}")), &marked).unwrap();
    let r = s.run(&["-v", "build", "--now", "2026-11-22"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stderr.contains("thumbnails: 0 made, 1 reused"),
        "{}",
        r.stderr
    );
    assert!(
        std::fs::read(s.path(&format!("public/www/{src}")))
            .unwrap()
            .ends_with(b"cache-mark")
    );

    // A changed image gets a new thumbnail.
    s.write_bytes("content/posters/images/join.png", &png(600, 600));
    let r = s.run(&["-v", "build", "--now", "2026-11-22"]);
    assert!(
        r.stderr.contains("thumbnails: 1 made, 0 reused"),
        "{}",
        r.stderr
    );
    assert!(
        s.read("public/www/posters/index.html")
            .contains("width=\"480\" height=\"480\"")
    );
}

#[test]
fn poster_errors_name_file_and_line() {
    let s = poster_site();
    s.write(
        "content/posters/bad.md",
        "---\ntitle: Bad\naudience: public\nfile: files/missing.pdf\npaper: Letter\ncampaign: ../about.md\n---\n\n",
    );
    s.write(
        "content/about.md",
        "---\ntitle: About\naudience: public\n---\nAbout.\n",
    );
    let r = s.build_fails();
    for want in [
        "content/posters/bad.md:1:1: this poster has no `image`",
        "content/posters/bad.md:8:1: this poster has no text: the page body is empty",
        "content/posters/bad.md:4:1: the print file `files/missing.pdf` does not exist",
        "content/posters/bad.md:5:1: `LETTER` is not a paper size",
        "content/posters/bad.md:6:1: `campaign` names content/about.md, which is not a campaign page",
    ] {
        assert!(
            r.stderr.contains(want),
            "missing {want:?} in:\n{}",
            r.stderr
        );
    }
}

#[test]
fn markdown_images_need_alt_text_and_get_their_size() {
    let s = Site::new();
    s.write_bytes("content/pics/photo.png", &png(64, 48));
    s.write(
        "content/pics/a.md",
        "---\ntitle: A\naudience: public\n---\n![Nurses at the clinic](photo.png)\n\n![](photo.png \"decorative\")\n",
    );
    s.build_ok(&[]);
    let html = s.read("public/www/pics/a/index.html");
    assert!(html.contains("<img src=\"/social/pics/photo.png\" alt=\"Nurses at the clinic\" width=\"64\" height=\"48\" loading=\"lazy\">"), "{html}");
    assert!(html.contains("<img src=\"/social/pics/photo.png\" alt=\"\" width=\"64\" height=\"48\" loading=\"lazy\">"), "{html}");

    s.write(
        "content/pics/b.md",
        "---\ntitle: B\naudience: public\n---\nText.\n\n![](photo.png)\n",
    );
    let r = s.build_fails();
    assert!(
        r.stderr
            .contains("content/pics/b.md:7:1: this image has no alt text"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("\"decorative\""), "{}", r.stderr);
}

#[test]
fn document_links_say_type_size_and_pages_and_bad_files_are_errors() {
    let s = Site::new();
    s.write_bytes("content/docs/guide.pdf", &pdf(3));
    s.write_bytes("content/docs/empty.docx", b"");
    s.write_bytes("content/docs/big.pptx", &vec![b'x'; 3 * 1024]);
    s.write(
        "content/docs/ok.md",
        "---\ntitle: Ok\naudience: public\n---\n[The guide](guide.pdf)\n",
    );
    s.build_ok(&[]);
    let ok = s.read("public/www/docs/ok/index.html");
    assert!(ok.contains(">The guide (PDF, 1KB, 3 pages)</a>"), "{ok}");

    let yaml = s.read("site.yaml") + "max_file_size: 2KB\n";
    s.write("site.yaml", &yaml);
    s.write(
        "content/docs/bad.md",
        "---\ntitle: Bad\naudience: public\n---\n[Form](empty.docx)\n\n[Slides](big.pptx)\n",
    );
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "content/docs/bad.md:5:1: this file is empty (0 bytes): content/docs/empty.docx"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "content/docs/bad.md:7:1: this file is 3KB, over the 2KB limit: content/docs/big.pptx"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn size_labels_follow_nhs_rounding_at_the_boundaries() {
    use guidepost::content::markdown::size_label;
    assert_eq!(size_label(1023), "1KB");
    assert_eq!(size_label(1024), "1KB");
    assert_eq!(size_label(999 * 1024), "999KB");
    assert_eq!(size_label(1024 * 1024), "1.0MB");
    assert_eq!(size_label(1_101_005), "1.1MB", "1.05MB rounds up");
    assert_eq!(size_label(1_100_000), "1.0MB");
    assert_eq!(size_label(1024 * 1024 - 1), "1.0MB");
}

#[test]
fn pdf_page_count_is_read_from_the_page_tree() {
    use guidepost::content::markdown::pdf_page_count;
    assert_eq!(pdf_page_count(&pdf(12)), Some(12));
    assert_eq!(
        pdf_page_count(b"%PDF-1.7 compressed object streams only"),
        None
    );
}

#[test]
fn qr_codes_use_the_public_output_whatever_order_site_yaml_lists_them() {
    let s = poster_site();
    // The intranet (public + staff) first, the public site second.
    let yaml = "title: T\norganisation: T\ndefault_audience: staff\noutputs:\n  intranet:\n    audiences: [public, staff]\n    dir: public/intranet\n    base_url: https://intranet.example.nhs.uk/comms/\n  public:\n    audiences: [public]\n    dir: public/www\n    base_url: https://www.example.nhs.uk/social/\n";
    s.write("site.yaml", yaml);
    s.build_ok(&["--now", "2026-11-22"]);
    let html = s.read("public/intranet/posters/join/index.html");
    assert_eq!(
        decode_qr(&qr_svg(&html)),
        "https://www.example.nhs.uk/social/campaigns/week/"
    );
}
