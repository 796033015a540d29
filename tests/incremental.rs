//! Incremental rebuilds (`watch`, `serve`): after every edit of a sequence,
//! the outputs must be byte for byte what a clean `build` of the same
//! sources writes, and a body edit must re-render only the pages that show
//! the edited page. The fixture is the demo site (two outputs, one with
//! relative addresses, campaigns, posters, tags, hashtags, staff pages).

mod common;

use common::copy_dir;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use guidepost::build::BuildOptions;
use guidepost::build::incremental::{Rebuilt, Session};

const NOW: &str = "2026-11-22T12:00:00Z";

struct Fixture {
    dir: tempfile::TempDir,
    /// The `--now` of the session (and of the clean builds it is compared with).
    now: String,
    session: Session,
    total_pages: usize,
}

fn options(root: &Path, now: &str) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        now: Some(now.into()),
        ..Default::default()
    }
}

impl Fixture {
    fn demo() -> Fixture {
        Fixture::demo_with("")
    }

    /// The demo site with `more` added to its site.yaml.
    fn demo_with(more: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for part in ["content", "static"] {
            copy_dir(&repo.join(part), &dir.path().join(part));
        }
        let yaml = std::fs::read_to_string(repo.join("site.yaml")).unwrap();
        std::fs::write(dir.path().join("site.yaml"), yaml + more).unwrap();
        let mut session = Session::new(options(dir.path(), NOW));
        let first = session.rebuild(&[]).expect("first build");
        assert!(!first.incremental);
        Fixture {
            dir,
            now: NOW.into(),
            session,
            total_pages: first.pages,
        }
    }

    /// Listings that show what the text of each page makes (word count,
    /// summary, contents), so a stale listing cannot pass for a fresh one.
    fn with_body_fields_in_listings(mut self) -> Fixture {
        let item = "<li>{{ p.title }} {{ p.word_count }} {{ p.reading_time }} {{ p.toc | length }} {% if p.summary %}{{ p.summary | safe }}{% endif %}</li>";
        self.write(
            "templates/section.html",
            &format!(
                "<!DOCTYPE html><html lang=\"en\"><head><title>{{{{ section.title }}}}</title></head><body>{{{{ section.content | safe }}}}<ul>{{% for p in section.pages %}}{item}{{% endfor %}}</ul>{{% for s in section.subsections %}}<p>{{{{ s.title }}}}: {{{{ s.description }}}}</p>{{% endfor %}}</body></html>\n"
            ),
        );
        self.write(
            "templates/term.html",
            &format!(
                "<!DOCTYPE html><html lang=\"en\"><head><title>{{{{ term.name }}}}</title></head><body><ul>{{% for p in term.pages %}}{item}{{% endfor %}}</ul></body></html>\n"
            ),
        );
        // The home page shows campaigns through `campaigns()`, not as its
        // own pages: a campaign edit must re-render it all the same.
        self.write(
            "templates/index.html",
            &format!(
                "<!DOCTYPE html><html lang=\"en\"><head><title>{{{{ section.title }}}}</title></head><body><ul>{{% for p in campaigns() %}}{item}{{% endfor %}}</ul></body></html>\n"
            ),
        );
        let first = self
            .session
            .rebuild(&[])
            .expect("build with listing templates");
        self.total_pages = first.pages;
        self
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().canonicalize().unwrap().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Puts `paragraph` at the start of the body of the page `rel`
    /// (after its front matter).
    fn prepend_to_body(&self, rel: &str, paragraph: &str) {
        let mut text = self.read(rel);
        let body_start = text.match_indices("---\n").nth(1).unwrap().0 + 4;
        text.insert_str(body_start, paragraph);
        self.write(rel, &text);
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Edits a file by replacing `from` with `to` (which must be there).
    fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Adds a paragraph at the end of a page's text.
    fn append(&self, rel: &str, text: &str) {
        let before = self.read(rel);
        self.write(rel, &format!("{before}\n{text}\n"));
    }

    fn rebuild(&mut self, changed: &[&str]) -> Rebuilt {
        let paths: Vec<PathBuf> = changed.iter().map(|c| self.path(c)).collect();
        match self.session.rebuild(&paths) {
            Ok(r) => r,
            Err(f) => panic!(
                "rebuild after {changed:?} failed: {:?}",
                f.diagnostics.sorted()
            ),
        }
    }

    /// Both outputs compared with a clean build of a copy of the sources.
    fn assert_same_as_clean_build(&self, after: &str) {
        let clean = tempfile::tempdir().unwrap();
        for part in ["content", "static", "templates"] {
            if self.path(part).exists() {
                copy_dir(&self.path(part), &clean.path().join(part));
            }
        }
        std::fs::copy(self.path("site.yaml"), clean.path().join("site.yaml")).unwrap();
        guidepost::build::build(&options(clean.path(), &self.now)).expect("clean build");
        for out in ["public/www", "public/intranet"] {
            let ours = common::tree(&self.path(out));
            let theirs = common::tree(&clean.path().join(out));
            let differ: Vec<&String> = ours
                .keys()
                .chain(theirs.keys())
                .filter(|k| ours.get(*k) != theirs.get(*k))
                .collect();
            assert!(
                differ.is_empty(),
                "after {after}: {out} differs from a clean build in {differ:?}"
            );
        }
    }

    fn set_now(&mut self, now: &str) {
        self.now = now.into();
        self.session.set_now(Some(now.into()));
    }

    fn tree(&self, out: &str) -> BTreeMap<String, Vec<u8>> {
        common::tree(&self.path(out))
    }
}

/// A body edit goes the incremental way and renders a handful of pages.
fn assert_body_edit(r: &Rebuilt, f: &Fixture, what: &str) {
    assert!(r.incremental, "{what}: expected an incremental rebuild");
    assert!(
        r.pages > 0 && r.pages * 2 < f.total_pages,
        "{what}: {} of {} pages re-rendered",
        r.pages,
        f.total_pages
    );
}

#[test]
fn body_edits_render_only_what_shows_the_page_and_match_a_clean_build() {
    let mut f = Fixture::demo().with_body_fields_in_listings();

    // A guidance page with tags: its page, its section, its tag pages.
    f.append(
        "content/guidance/using-hashtags.md",
        "A sentence added while watching.",
    );
    let r = f.rebuild(&["content/guidance/using-hashtags.md"]);
    assert_body_edit(&r, &f, "guidance page");
    assert!(
        f.read("public/www/guidance/using-hashtags/index.html")
            .contains("A sentence added while watching.")
    );
    f.assert_same_as_clean_build("a guidance page body edit");

    // The start of the text is in the search index (of the intranet only:
    // this is a staff page).
    f.prepend_to_body(
        "content/guidance/getting-started.md",
        "\nA new first paragraph for the listing.\n",
    );
    let r = f.rebuild(&["content/guidance/getting-started.md"]);
    assert_body_edit(&r, &f, "first paragraph");
    assert!(
        f.read("public/intranet/search-index.json")
            .contains("A new first paragraph for the listing.")
    );
    assert!(
        !f.read("public/www/search-index.json")
            .contains("A new first paragraph")
    );
    f.assert_same_as_clean_build("a first-paragraph edit");

    // A campaign: listed by campaigns() on the home page and hub.
    f.append(
        "content/campaigns/social-media-week.md",
        "More about the week.",
    );
    let r = f.rebuild(&["content/campaigns/social-media-week.md"]);
    assert_body_edit(&r, &f, "campaign page");
    f.assert_same_as_clean_build("a campaign body edit");

    // A section's own text, a staff-only page, a poster.
    f.append(
        "content/guidance/_index.md",
        "The guidance section, edited.",
    );
    let r = f.rebuild(&["content/guidance/_index.md"]);
    assert_body_edit(&r, &f, "section");
    f.assert_same_as_clean_build("a section body edit");

    let public_before = f.tree("public/www");
    f.append(
        "content/campaigns/staff-flu-jabs.md",
        "Staff clinic times change next week.",
    );
    let r = f.rebuild(&["content/campaigns/staff-flu-jabs.md"]);
    assert_body_edit(&r, &f, "staff page");
    assert_eq!(
        f.tree("public/www"),
        public_before,
        "a staff page edit left the public site alone"
    );
    f.assert_same_as_clean_build("a staff page body edit");

    f.append(
        "content/posters/join-the-conversation.md",
        "Print it in colour.",
    );
    let r = f.rebuild(&["content/posters/join-the-conversation.md"]);
    assert_body_edit(&r, &f, "poster");
    f.assert_same_as_clean_build("a poster body edit");

    // A template: only the pages that use it are rendered again.
    f.replace("templates/term.html", "<ul>", "<ul class=\"terms\">");
    let r = f.rebuild(&["templates/term.html"]);
    assert!(r.incremental, "a template edit is incremental");
    let term_pages: usize = ["public/www", "public/intranet"]
        .iter()
        .map(|out| {
            f.tree(out)
                .keys()
                .filter(|k| {
                    (k.starts_with("tags/") || k.starts_with("hashtags/"))
                        && k.matches('/').count() == 2
                })
                .count()
        })
        .sum();
    assert_eq!(r.pages, term_pages, "only the term pages");
    f.assert_same_as_clean_build("a term template edit");

    // A broken template changes nothing; fixing it recovers.
    let www = f.tree("public/www");
    f.replace(
        "templates/term.html",
        "<ul class=\"terms\">",
        "<ul>{% for %}",
    );
    let failure = f
        .session
        .rebuild(&[f.path("templates/term.html")])
        .expect_err("a syntax error fails");
    assert!(
        failure
            .diagnostics
            .sorted()
            .iter()
            .any(|d| d.render().contains("templates/term.html:1:")),
        "{:?}",
        failure.diagnostics.sorted()
    );
    assert_eq!(f.tree("public/www"), www);
    f.replace(
        "templates/term.html",
        "<ul>{% for %}",
        "<ul class=\"fixed\">",
    );
    f.rebuild(&["templates/term.html"]);
    assert!(
        f.read("public/www/tags/hashtags/index.html")
            .contains("fixed")
    );
    f.assert_same_as_clean_build("a fixed template");

    // A static file: copied, nothing rendered.
    f.write("static/images/share-card.png", "not really a picture");
    let r = f.rebuild(&["static/images/share-card.png"]);
    assert!(r.incremental && r.pages == 0, "{r:?}");
    assert_eq!(
        f.read("public/www/images/share-card.png"),
        "not really a picture"
    );
    f.assert_same_as_clean_build("a static file edit");

    // Two pages saved at once.
    f.append("content/about.md", "About, edited.");
    f.append("content/contact.md", "Contact, edited.");
    let r = f.rebuild(&["content/about.md", "content/contact.md"]);
    assert_body_edit(&r, &f, "two pages");
    f.assert_same_as_clean_build("two body edits at once");
}

#[test]
fn structural_edits_rebuild_everything_and_match_a_clean_build() {
    let mut f = Fixture::demo();
    let page = "content/guidance/using-hashtags.md";

    // A hashtag in the text is a new term: more than a body edit.
    f.append(page, "We also use #BrandNewTag.");
    let r = f.rebuild(&[page]);
    assert!(!r.incremental);
    assert!(
        f.path("public/www/hashtags/brandnewtag/index.html")
            .exists()
    );
    f.assert_same_as_clean_build("a new hashtag");

    // A title: shows in the section listing.
    let title = f
        .read(page)
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    f.replace(page, &title, "title: Hashtags, renamed");
    let r = f.rebuild(&[page]);
    assert!(!r.incremental);
    assert!(
        f.read("public/intranet/guidance/index.html")
            .contains("Hashtags, renamed")
    );
    f.assert_same_as_clean_build("a title change");

    // A heading: other pages may link to its anchor.
    f.append(page, "## A new heading");
    f.rebuild(&[page]);
    f.assert_same_as_clean_build("a new heading");

    // A new page in a new folder.
    f.write(
        "content/events/_index.md",
        "---\ntitle: Events\naudience: public\n---\nWhat is on.\n",
    );
    let page = "content/events/open-day.md";
    f.write(
        page,
        "---\ntitle: Open day\naudience: public\ndate: 2026-11-01\n---\nCome and see us.\n",
    );
    f.rebuild(&["content/events/_index.md", page]);
    assert!(f.path("public/www/events/open-day/index.html").exists());
    f.assert_same_as_clean_build("a new folder with pages");

    // Moved between sections.
    let moved = "content/how-we-use-social-media/open-day.md";
    std::fs::rename(f.path(page), f.path(moved)).unwrap();
    f.rebuild(&[page, moved]);
    assert!(!f.path("public/www/events/open-day/index.html").exists());
    assert!(
        f.path("public/www/how-we-use-social-media/open-day/index.html")
            .exists()
    );
    f.assert_same_as_clean_build("a page moved between sections");

    // Switched to staff: gone from the public site at once.
    f.replace(moved, "audience: public", "audience: staff");
    f.rebuild(&[moved]);
    assert!(
        !f.path("public/www/how-we-use-social-media/open-day/index.html")
            .exists()
    );
    assert!(!f.read("public/www/search-index.json").contains("Open day"));
    assert!(
        f.path("public/intranet/how-we-use-social-media/open-day/index.html")
            .exists()
    );
    f.assert_same_as_clean_build("a page switched to staff");

    // Deleted.
    std::fs::remove_file(f.path(moved)).unwrap();
    f.rebuild(&[moved]);
    assert!(
        !f.path("public/intranet/how-we-use-social-media/open-day/index.html")
            .exists()
    );
    f.assert_same_as_clean_build("a deleted page");

    // A template of the site's own, then a static file.
    f.write(
        "templates/partials/review.html",
        "<p class=\"edited-partial\">Reviewed.</p>\n",
    );
    f.rebuild(&["templates/partials/review.html"]);
    f.assert_same_as_clean_build("a new template");
    f.write("static/images/extra.txt", "a static file");
    f.rebuild(&["static/images/extra.txt"]);
    assert!(f.path("public/www/images/extra.txt").exists());
    f.assert_same_as_clean_build("a new static file");

    // Then body edits work incrementally again.
    f.append("content/events/_index.md", "Come and see us soon.");
    let r = f.rebuild(&["content/events/_index.md"]);
    assert_body_edit(&r, &f, "after structural edits");
    f.assert_same_as_clean_build("a body edit after structural edits");

    // A body edit of a page that links to another page, now that a new
    // folder has moved every later page's place in the site: the links
    // keep pointing at the right pages.
    let linking = "content/how-we-use-social-media/what-we-cant-do.md";
    f.append(linking, "We answer within two working days.");
    let r = f.rebuild(&[linking]);
    assert_body_edit(&r, &f, "a linking page after structural edits");
    let html = f.read("public/www/how-we-use-social-media/what-we-cant-do/index.html");
    assert!(
        html.contains("href=\"/social-media/how-we-use-social-media/raising-a-concern/\""),
        "{html}"
    );
    assert!(html.contains("two working days"), "{html}");
    f.assert_same_as_clean_build("a body edit of a linking page after structural edits");
}

#[test]
fn a_bad_body_edit_changes_nothing_and_the_next_good_one_recovers() {
    let mut f = Fixture::demo();
    let page = "content/guidance/using-hashtags.md";
    let www = f.tree("public/www");
    let intranet = f.tree("public/intranet");
    // A link to a page that does not exist is an error in the body.
    f.append(page, "See [this](missing-page.md).");
    let paths = [f.path(page)];
    let failure = f.session.rebuild(&paths).expect_err("a broken link fails");
    let text: Vec<String> = failure
        .diagnostics
        .sorted()
        .iter()
        .map(|d| d.render())
        .collect();
    assert!(
        text.iter()
            .any(|t| t.contains("content/guidance/using-hashtags.md:")
                && t.contains("missing-page.md")),
        "{text:?}"
    );
    assert_eq!(f.tree("public/www"), www);
    assert_eq!(f.tree("public/intranet"), intranet);

    f.replace(page, "See [this](missing-page.md).", "See the guidance.");
    f.rebuild(&[page]);
    assert!(
        f.read("public/www/guidance/using-hashtags/index.html")
            .contains("See the guidance.")
    );
    f.assert_same_as_clean_build("a good edit after a bad one");
}

#[test]
fn a_body_edit_after_a_campaign_ends_rebuilds_everything() {
    let mut f = Fixture::demo();
    let page = "content/about.md";
    // Later the same day, nothing starts or ends: still a body edit.
    f.set_now("2026-11-22T18:00:00Z");
    f.append(page, "An afternoon edit.");
    let r = f.rebuild(&[page]);
    assert!(r.incremental);
    // "Say hello, Riverside" ends on 4 December: the campaign pages,
    // hub and home page change, so the next edit builds everything.
    f.set_now("2026-12-05T12:00:00Z");
    f.append(page, "An edit in December.");
    let r = f.rebuild(&[page]);
    assert!(!r.incremental, "a campaign ended since the last full build");
    f.assert_same_as_clean_build("a body edit after a campaign ended");
}

#[test]
fn a_static_file_that_a_template_describes_with_asset_rebuilds_everything() {
    let mut f = Fixture::demo();
    f.write("static/files/leaflet.txt", "version 1");
    f.write(
        "templates/index.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>{{ section.title }}</title></head><body>{% set a = asset(path=\"files/leaflet.txt\") %}<a href=\"{{ a.url }}\">Leaflet ({{ a.label }})</a></body></html>\n",
    );
    f.rebuild(&["static/files/leaflet.txt", "templates/index.html"]);
    assert!(
        f.read("public/www/index.html")
            .contains("Leaflet (TXT, 1KB)")
    );
    // The home page shows the file's size: a new size is more than a copy.
    f.write("static/files/leaflet.txt", &"version 2 ".repeat(300));
    let r = f.rebuild(&["static/files/leaflet.txt"]);
    assert!(!r.incremental);
    let home = f.read("public/www/index.html");
    assert!(home.contains("Leaflet (TXT, 3KB)"), "{home}");
    f.assert_same_as_clean_build("an edit of a static file that asset() describes");

    // Spaces before the bracket are a call too.
    f.replace("templates/index.html", "asset(path=", "asset (path=");
    f.rebuild(&["templates/index.html"]);
    f.write("static/files/leaflet.txt", "short again");
    let r = f.rebuild(&["static/files/leaflet.txt"]);
    assert!(!r.incremental);
    assert!(
        f.read("public/www/index.html")
            .contains("Leaflet (TXT, 1KB)")
    );

    // A file looked at before the call was taken out is looked at again
    // when it comes back (the edit between was a plain copy).
    f.replace("templates/index.html", "Leaflet ({{ a.label }})", "Leaflet");
    f.replace(
        "templates/index.html",
        "{% set a = asset (path=\"files/leaflet.txt\") %}",
        "",
    );
    f.replace("templates/index.html", "{{ a.url }}", "files/leaflet.txt");
    f.rebuild(&["templates/index.html"]);
    f.write("static/files/leaflet.txt", &"version 3 ".repeat(600));
    let r = f.rebuild(&["static/files/leaflet.txt"]);
    assert!(r.incremental, "no template calls asset(): a copy");
    f.replace(
        "templates/index.html",
        "<a href=\"files/leaflet.txt\"",
        "{% set a = asset(path=\"files/leaflet.txt\") %}<a href=\"{{ a.url }}\"",
    );
    f.replace(
        "templates/index.html",
        ">Leaflet<",
        ">Leaflet ({{ a.label }})<",
    );
    f.rebuild(&["templates/index.html"]);
    let home = f.read("public/www/index.html");
    assert!(home.contains("Leaflet (TXT, 6KB)"), "{home}");
    f.assert_same_as_clean_build("asset() called again after its file changed");
}

#[test]
fn a_static_file_that_a_page_links_to_rebuilds_everything() {
    let mut f = Fixture::demo();
    f.write("static/files/leaflet.txt", "version 1");
    f.append(
        "content/about.md",
        "Read [the leaflet](/files/leaflet.txt).",
    );
    f.rebuild(&["static/files/leaflet.txt", "content/about.md"]);
    f.assert_same_as_clean_build("a new linked static file");
    // Pages check the files they link to, so this is more than a copy.
    f.write("static/files/leaflet.txt", "version 2, longer");
    let r = f.rebuild(&["static/files/leaflet.txt"]);
    assert!(!r.incremental);
    assert_eq!(f.read("public/www/files/leaflet.txt"), "version 2, longer");
    f.assert_same_as_clean_build("a linked static file edit");
}

/// Page objects are made with the fields the templates name. A template
/// edit that names one no template named before (`slug`, `weight`,
/// `aliases` are not in the demo's templates), or stops naming one, makes
/// every object and page again: a page that shows how many fields its
/// object has (`page | length`) must match a clean build after each.
#[test]
fn a_template_edit_changing_which_fields_templates_name_rebuilds_everything() {
    let mut f = Fixture::demo().with_body_fields_in_listings();
    f.write(
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>{{ page.title }}</title></head><body><p>{{ page | length }} fields</p>{{ page.content | safe }}</body></html>\n",
    );
    f.rebuild(&["templates/page.html"]);
    f.assert_same_as_clean_build("a new page template");

    f.replace(
        "templates/term.html",
        "<li>{{ p.title }}",
        "<li>{{ p.title }} slug={{ p.slug }} weight={{ p.weight }} aliases={{ p.aliases | length }}",
    );
    let r = f.rebuild(&["templates/term.html"]);
    assert!(
        !r.incremental,
        "new fields: every page object is made again"
    );
    let term = f.read("public/www/tags/hashtags/index.html");
    assert!(term.contains(" slug="), "{term}");
    assert!(!term.contains(" slug= "), "every page has a slug: {term}");
    f.assert_same_as_clean_build("a template edit naming new fields");

    f.replace(
        "templates/term.html",
        " slug={{ p.slug }} weight={{ p.weight }} aliases={{ p.aliases | length }}",
        "",
    );
    let r = f.rebuild(&["templates/term.html"]);
    assert!(
        !r.incremental,
        "fewer fields: every page object is made again"
    );
    f.assert_same_as_clean_build("a template edit naming fewer fields");

    // The same fields: only the pages of the edited template.
    f.replace("templates/term.html", "<ul>", "<ul class=\"terms\">");
    let r = f.rebuild(&["templates/term.html"]);
    assert!(r.incremental, "a template edit naming the same fields");
    f.assert_same_as_clean_build("a template edit naming the same fields");
}

/// With the search index, feed, sitemap, robots.txt and hashtags switched
/// off in site.yaml, a body edit that changes a page's search entry and
/// feed entry writes none of them back.
#[test]
fn a_body_edit_with_features_off_writes_none_of_them() {
    let mut f = Fixture::demo_with(
        "features:\n  hashtags: false\n  search: false\n  feed: false\n  sitemap: false\n  robots_txt: false\n",
    );
    f.prepend_to_body(
        "content/guidance/getting-started.md",
        "\nA new first paragraph with #NewTag in it.\n",
    );
    let r = f.rebuild(&["content/guidance/getting-started.md"]);
    assert_body_edit(&r, &f, "first paragraph");
    for out in ["public/www", "public/intranet"] {
        let files = f.tree(out);
        for name in [
            "atom.xml",
            "sitemap.xml",
            "robots.txt",
            "search-index.json",
            "search-index.js",
        ] {
            assert!(!files.contains_key(name), "{out}/{name} written");
        }
        assert!(
            !files
                .keys()
                .any(|k| k.starts_with("hashtags/") || k.starts_with("search/"))
        );
    }
    assert!(
        f.read("public/intranet/guidance/getting-started/index.html")
            .contains("<p>A new first paragraph with #NewTag in it.</p>")
    );
    f.assert_same_as_clean_build("a body edit with features off");
}

/// Switching features off in site.yaml while watching removes what they
/// made (and the links to it), and switching them back on brings it back:
/// each time the same as a clean build.
#[test]
fn switching_features_in_site_yaml_while_watching_matches_a_clean_build() {
    let mut f = Fixture::demo();
    let made = |f: &Fixture| {
        let files = f.tree("public/www");
        (
            files.contains_key("atom.xml"),
            files.contains_key("search-index.js"),
            files.keys().any(|k| k.starts_with("hashtags/")),
        )
    };
    assert_eq!(made(&f), (true, true, true));
    let yaml = f.read("site.yaml");
    f.write(
        "site.yaml",
        &format!("{yaml}features:\n  hashtags: false\n  search: false\n  feed: false\n"),
    );
    let r = f.rebuild(&["site.yaml"]);
    assert!(!r.incremental, "a site.yaml edit rebuilds everything");
    assert_eq!(made(&f), (false, false, false));
    // (The page's tag `hashtags` is at /social-media/tags/hashtags/.)
    let page = f.read("public/www/guidance/using-hashtags/index.html");
    assert!(
        !page.contains("/social-media/hashtags/") && page.contains("#RiversideThanks"),
        "hashtag links are plain text again"
    );
    f.assert_same_as_clean_build("switching features off");
    f.write("site.yaml", &yaml);
    f.rebuild(&["site.yaml"]);
    assert_eq!(made(&f), (true, true, true));
    f.assert_same_as_clean_build("switching them back on");
}
