//! Being found and shared: sitemap, robots.txt, Atom feed, search index,
//! social cards, and links that resolve under any base path.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Site, tree};
use quick_xml::Reader;
use quick_xml::events::Event;

/// The text of every `<name>` element, in document order (well-formedness
/// is checked on the way: the reader errors on broken XML).
fn xml_texts(xml: &str, name: &str) -> Vec<String> {
    let mut r = Reader::from_str(xml);
    let mut out = vec![];
    let mut inside = false;
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == name => inside = true,
            Event::End(e) if e.name().as_ref() == name => inside = false,
            Event::Text(t) if inside => out.push(t.xml10_content().into_owned()),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn attr_values(xml: &str, element: &str, attr: &str) -> Vec<String> {
    let mut r = Reader::from_str(xml);
    let mut out = vec![];
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == element => {
                for a in e.attributes().flatten() {
                    if a.key.as_ref() == attr {
                        out.push(a.value.clone().into_owned());
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn fixture() -> Site {
    let s = Site::new();
    s.write(
        "content/news/_index.md",
        "---\ntitle: News\naudience: public\n---\n",
    );
    s.write(
        "content/news/older.md",
        "---\ntitle: Older story\ndate: 2026-03-01\ndescription: The older one.\n---\n## Background\n\nText.\n",
    );
    s.write(
        "content/news/newer.md",
        "---\ntitle: Newer story\ndate: 2026-05-01\nupdated: 2026-06-01 10:00\nhashtags: [\"#SoMeWeek\"]\n---\nFirst paragraph is the summary.\n",
    );
    s.write(
        "content/news/undated.md",
        "---\ntitle: Undated page\naliases: [/old-undated/]\n---\nNo date.\n",
    );
    s.write(
        "content/staff-news.md",
        "---\ntitle: Secret rota news\ndate: 2026-07-01\naliases: [/old-rota/]\n---\nStaff only.\n",
    );
    s
}

#[test]
fn sitemap_lists_the_outputs_pages_with_absolute_urls() {
    let s = fixture();
    s.build_ok(&[]);
    let xml = s.read("public/www/sitemap.xml");
    assert!(
        xml.contains("xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""),
        "{xml}"
    );
    let locs = xml_texts(&xml, "loc");
    let expected = [
        "https://www.example.nhs.uk/social/",
        "https://www.example.nhs.uk/social/hashtags/",
        "https://www.example.nhs.uk/social/hashtags/someweek/",
        "https://www.example.nhs.uk/social/news/",
        "https://www.example.nhs.uk/social/news/newer/",
        "https://www.example.nhs.uk/social/news/older/",
        "https://www.example.nhs.uk/social/news/undated/",
    ];
    let mut sorted = locs.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "{xml}");
    let lastmods = xml_texts(&xml, "lastmod");
    // The section takes its newest page's date; the undated page has none.
    assert!(lastmods.contains(&"2026-03-01".to_string()), "{xml}");
    assert!(
        lastmods
            .iter()
            .any(|m| m.starts_with("2026-06-01T10:00:00")),
        "{xml}"
    );
    assert_eq!(lastmods.len(), 3, "{xml}");
    assert!(!xml.contains("rota"), "{xml}");
    assert_eq!(
        s.read("public/www/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://www.example.nhs.uk/social/sitemap.xml\n"
    );
}

#[test]
fn noindex_output_has_no_sitemap_and_disallows_robots() {
    let s = fixture();
    s.build_ok(&[]);
    assert!(!s.exists("public/intranet/sitemap.xml"));
    assert!(s.read("public/intranet/robots.txt").contains("Disallow: /"));
    for (path, bytes) in s.tree("public/intranet") {
        if path.ends_with(".html") && !path.starts_with("old-") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(
                html.contains("<meta name=\"robots\" content=\"noindex\">"),
                "{path}"
            );
        }
    }
}

#[test]
fn atom_feed_lists_dated_pages_newest_first() {
    let s = fixture();
    s.build_ok(&[]);
    let xml = s.read("public/www/atom.xml");
    assert!(
        xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{xml}"
    );
    let titles = xml_texts(&xml, "title");
    assert_eq!(
        titles,
        ["Test Trust — social media", "Newer story", "Older story"],
        "{xml}"
    );
    let links = attr_values(&xml, "link", "href");
    assert!(
        links.contains(&"https://www.example.nhs.uk/social/news/newer/".to_string()),
        "{xml}"
    );
    assert!(
        links
            .iter()
            .all(|l| l.starts_with("https://www.example.nhs.uk/social/")),
        "{links:?}"
    );
    let updated = xml_texts(&xml, "updated");
    assert!(
        updated[0].starts_with("2026-06-01T10:00:00"),
        "feed updated = newest entry: {xml}"
    );
    assert!(
        xml_texts(&xml, "summary").contains(&"First paragraph is the summary.".to_string()),
        "{xml}"
    );
    // The intranet feed has the staff page as well.
    let intranet = s.read("public/intranet/atom.xml");
    assert!(xml_texts(&intranet, "title").contains(&"Secret rota news".to_string()));
    // Every page links to the feed.
    let page = s.read("public/www/news/older/index.html");
    assert!(
        page.contains("<link rel=\"alternate\" type=\"application/atom+xml\""),
        "{page}"
    );
}

#[test]
fn search_index_holds_only_the_outputs_pages() {
    let s = fixture();
    s.build_ok(&[]);
    let json: serde_json::Value =
        serde_json::from_str(&s.read("public/www/search-index.json")).unwrap();
    let pages = json["pages"].as_array().unwrap();
    let titles: Vec<&str> = pages.iter().map(|p| p["t"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Older story"));
    assert!(!titles.contains(&"Secret rota news"), "{titles:?}");
    let older = pages.iter().find(|p| p["t"] == "Older story").unwrap();
    assert_eq!(older["u"], "/social/news/older/");
    assert_eq!(older["d"], "The older one.");
    assert_eq!(older["h"][0], "Background");
    let newer = pages.iter().find(|p| p["t"] == "Newer story").unwrap();
    assert_eq!(newer["g"][0], "#SoMeWeek");
    assert!(newer["b"].as_str().unwrap().contains("First paragraph"));
    // The script form carries the same data for file:// use.
    let js = s.read("public/www/search-index.js");
    assert!(js.starts_with("window.GUIDEPOST_SEARCH = {"), "{js}");
    // Relative outputs store root-relative addresses.
    let intranet: serde_json::Value =
        serde_json::from_str(&s.read("public/intranet/search-index.json")).unwrap();
    assert_eq!(intranet["rel"], true);
    assert!(
        intranet["pages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["u"] == "news/older/index.html")
    );
    assert!(
        s.read("public/www/search/index.html")
            .contains("gp-search-results")
    );
}

#[test]
fn staff_pages_and_aliases_stay_out_of_public_discovery_files() {
    let s = fixture();
    s.build_ok(&[]);
    assert!(s.exists("public/www/old-undated/index.html"));
    assert!(!s.exists("public/www/old-rota/index.html"));
    assert!(s.exists("public/intranet/old-rota/index.html"));
    for (path, bytes) in s.tree("public/www") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Secret rota"),
            "staff title in public/www/{path}"
        );
        assert!(
            !text.contains("staff-news"),
            "staff address in public/www/{path}"
        );
    }
}

#[test]
fn every_page_has_social_card_tags_with_fallbacks() {
    let s = fixture();
    s.write_bytes("static/images/card.png", b"\x89PNG card");
    s.write_bytes("content/news/photo.jpg", b"\xff\xd8 jpeg");
    s.write(
        "content/news/pictured.md",
        "---\ntitle: Pictured\nimage: photo.jpg\nimage_alt: Nurses at a flu clinic\n---\nA photo story.\n",
    );
    let yaml = s.read("site.yaml") + "image: images/card.png\nimage_alt: The trust logo\n";
    s.write("site.yaml", &yaml);
    s.build_ok(&[]);
    let tags = [
        "<link rel=\"canonical\" href=\"https://",
        "<meta property=\"og:title\"",
        "<meta property=\"og:url\" content=\"https://",
        "<meta property=\"og:type\"",
        "<meta property=\"og:site_name\"",
        "<meta property=\"og:image\" content=\"https://",
        "<meta property=\"og:image:alt\"",
        "<meta name=\"twitter:card\"",
    ];
    let mut checked = 0;
    for (path, bytes) in s.tree("public/www") {
        // Redirect pages only point elsewhere; everything else is a page.
        if !path.ends_with(".html") || path.starts_with("old-") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for t in tags {
            assert!(html.contains(t), "{t} missing from public/www/{path}");
        }
        checked += 1;
    }
    assert!(checked >= 7, "{checked}");
    let undated = s.read("public/www/news/undated/index.html");
    // No description: the first paragraph stands in; no image: the site's.
    assert!(
        undated.contains("<meta name=\"description\" content=\"No date.\">"),
        "{undated}"
    );
    assert!(
        undated
            .contains("og:image\" content=\"https://www.example.nhs.uk/social/images/card.png\""),
        "{undated}"
    );
    let pictured = s.read("public/www/news/pictured/index.html");
    assert!(
        pictured
            .contains("og:image\" content=\"https://www.example.nhs.uk/social/news/photo.jpg\""),
        "{pictured}"
    );
    assert!(
        pictured.contains("og:image:alt\" content=\"Nurses at a flu clinic\""),
        "{pictured}"
    );
    assert!(
        s.exists("public/www/news/photo.jpg"),
        "the card image is copied"
    );
}

#[test]
fn card_image_must_exist_and_have_alt_text() {
    let s = Site::new();
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\nimage: missing.png\n---\n",
    );
    s.write_bytes("content/b.png", b"png");
    s.write(
        "content/b.md",
        "---\ntitle: B\naudience: public\nimage: b.png\n---\n",
    );
    let r = s.build_fails();
    assert!(
        r.stderr
            .contains("content/a.md:4:1: the image `missing.png` does not exist"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/b.md:4:1: this page has an `image` but no `image_alt`"),
        "{}",
        r.stderr
    );
}

#[test]
fn not_found_page_offers_search_and_sections() {
    let s = fixture();
    s.build_ok(&[]);
    let html = s.read("public/www/404.html");
    assert!(html.contains("action=\"/social/search/\""), "{html}");
    assert!(html.contains("href=\"/social/news/\""), "{html}");
}

// ---------------------------------------------------------------- links

/// Every href/src in the HTML files of an output that points inside it.
fn internal_refs(html: &str) -> Vec<String> {
    let mut out = vec![];
    for attr in [" href=\"", " src=\"", " action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            let v = &rest[..end];
            if !(v.is_empty()
                || v.starts_with('#')
                || v.contains("://")
                || v.starts_with("mailto:")
                || v.starts_with("tel:")
                || v.starts_with("//"))
            {
                out.push(v.replace("&amp;", "&"));
            }
            rest = &rest[end..];
        }
    }
    out
}

/// Resolves a reference from `page` (output-relative file path) to a file
/// of the output; returns None when it points nowhere.
fn resolve(
    files: &BTreeMap<String, Vec<u8>>,
    page: &str,
    reference: &str,
    base_path: Option<&str>,
) -> Option<String> {
    let path = reference.split(['#', '?']).next().unwrap();
    let joined = match (path.strip_prefix('/'), base_path) {
        (Some(_), Some(bp)) => path.strip_prefix(bp)?.to_string(),
        (Some(_), None) => return None,
        (None, _) => {
            let dir = Path::new(page)
                .parent()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if dir.is_empty() {
                path.to_string()
            } else {
                format!("{dir}/{path}")
            }
        }
    };
    let mut parts: Vec<&str> = vec![];
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut candidate = parts.join("/");
    if joined.ends_with('/') || joined.is_empty() {
        candidate = if candidate.is_empty() {
            "index.html".into()
        } else {
            format!("{candidate}/index.html")
        };
    }
    let decoded = candidate.replace("%20", " ");
    files.contains_key(&decoded).then_some(decoded)
}

fn demo_with(base_public: &str, relative_intranet: bool) -> Site {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = Site::empty();
    let yaml = std::fs::read_to_string(repo.join("site.yaml"))
        .unwrap()
        .replace(
            "https://www.riverside.example.nhs.uk/social-media/",
            base_public,
        )
        .replace(
            "relative_urls: true",
            if relative_intranet {
                "relative_urls: true"
            } else {
                "relative_urls: false"
            },
        );
    s.write("site.yaml", &yaml);
    for dir in ["content", "static"] {
        for e in walkdir::WalkDir::new(repo.join(dir))
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(repo)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                s.write_bytes(&rel, &std::fs::read(e.path()).unwrap());
            }
        }
    }
    s.build_ok(&["--now", "2026-11-22"]);
    s
}

fn assert_all_links_resolve(s: &Site, output: &str, base_path: Option<&str>) {
    let files = tree(&s.path(output));
    let mut checked = 0;
    for (page, bytes) in &files {
        if !page.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for r in internal_refs(&html) {
            // The 404 page is served at any address, so it links absolutely.
            let bp = if page == "404.html" {
                base_path.or(Some("/comms/social/"))
            } else {
                base_path
            };
            assert!(
                resolve(&files, page, &r, bp).is_some(),
                "{output}/{page}: `{r}` points to no file"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} links checked");
}

#[test]
fn every_internal_link_resolves_at_the_root_under_a_sub_path_and_relatively() {
    let root = demo_with("https://social.riverside.example.nhs.uk/", true);
    assert_all_links_resolve(&root, "public/www", Some("/"));
    assert_all_links_resolve(&root, "public/intranet", None);

    let sub = demo_with(
        "https://www.riverside.example.nhs.uk/comms/social-media/",
        false,
    );
    assert_all_links_resolve(&sub, "public/www", Some("/comms/social-media/"));
    assert_all_links_resolve(&sub, "public/intranet", Some("/comms/social/"));
    // Nothing under the sub-path build points at the server root.
    let home = sub.read("public/www/index.html");
    assert!(!home.contains("href=\"/guidance"), "{home}");
}
