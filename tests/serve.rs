//! `watch` and `serve`: rebuilds on every kind of save, recovery from bad
//! edits, output identical to a clean build, and the preview server.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{Site, tree};

const EPOCH: &str = "1795334400"; // 22 November 2026

struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Running {
    fn start(s: &Site, args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_guidepost"))
            .arg("--root")
            .arg(s.root())
            .args(args)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Running { child, lines: rx }
    }

    /// The next line containing `want` (other lines are skipped).
    fn wait_for(&self, want: &str) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while std::time::Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200))
                && line.contains(want)
            {
                return line;
            }
        }
        panic!("no line containing {want:?} within 15 s");
    }

    /// Lines starting with ✓ or ✗ in the next `ms` milliseconds.
    fn rebuilds_within(&self, ms: u64) -> Vec<String> {
        let deadline = std::time::Instant::now() + Duration::from_millis(ms);
        let mut out = vec![];
        while std::time::Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(50))
                && (line.starts_with('✓') || line.starts_with('✗'))
            {
                out.push(line);
            }
        }
        out
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn site() -> Site {
    let s = Site::new();
    s.write(
        "content/news/_index.md",
        "---\ntitle: News\naudience: public\n---\n",
    );
    s.write(
        "content/news/a.md",
        "---\ntitle: First title\naudience: public\n---\nText.\n",
    );
    s
}

/// The outputs of a clean full build of the same sources.
fn clean_build_of(
    s: &Site,
) -> (
    std::collections::BTreeMap<String, Vec<u8>>,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let fresh = Site::empty();
    for (rel, bytes) in tree(s.root()) {
        if !rel.starts_with("public/") {
            fresh.write_bytes(&rel, &bytes);
        }
    }
    let r = fresh.run_env(&["build"], &[("SOURCE_DATE_EPOCH", EPOCH)]);
    assert_eq!(r.code, 0, "{}", r.all());
    (fresh.tree("public/www"), fresh.tree("public/intranet"))
}

fn assert_same_as_clean_build(s: &Site) {
    let (www, intranet) = clean_build_of(s);
    assert_eq!(
        s.tree("public/www").keys().collect::<Vec<_>>(),
        www.keys().collect::<Vec<_>>()
    );
    assert!(
        s.tree("public/www") == www,
        "public/www differs from a clean build"
    );
    assert!(
        s.tree("public/intranet") == intranet,
        "public/intranet differs from a clean build"
    );
}

#[test]
fn watch_rebuilds_once_per_save_and_matches_a_clean_build() {
    let s = site();
    let w = Running::start(&s, &["watch"]);
    w.wait_for("Watching for changes");

    // An in-place write: the new title shows in the section listing.
    s.write(
        "content/news/a.md",
        "---\ntitle: Second title\naudience: public\n---\nText.\n",
    );
    let line = w.wait_for("✓ content/news/a.md");
    assert!(line.contains("pages in"), "{line}");
    assert!(w.rebuilds_within(700).is_empty(), "one save, one rebuild");
    assert!(
        s.read("public/www/news/index.html")
            .contains("Second title")
    );
    assert_same_as_clean_build(&s);

    // Write-temp-then-rename, as many editors save.
    s.write(
        "content/news/.a.md.tmp123",
        "---\ntitle: Third title\naudience: public\n---\nText.\n",
    );
    std::fs::rename(
        s.path("content/news/.a.md.tmp123"),
        s.path("content/news/a.md"),
    )
    .unwrap();
    w.wait_for("✓ content/news/a.md");
    assert!(
        w.rebuilds_within(700).is_empty(),
        "an atomic save is one rebuild"
    );
    assert!(s.read("public/www/news/index.html").contains("Third title"));

    // Vim's swap and probe files change nothing.
    s.write("content/news/.a.md.swp", "swap");
    s.write("content/news/4913", "");
    s.write("content/news/a.md~", "backup");
    assert!(
        w.rebuilds_within(800).is_empty(),
        "temporary files are ignored"
    );

    // A new folder with a page in it.
    s.write(
        "content/events/_index.md",
        "---\ntitle: Events\naudience: public\n---\n",
    );
    w.wait_for("✓ content/events");
    let _ = w.rebuilds_within(500);
    assert!(s.exists("public/www/events/index.html"));

    // A page moved between sections, and a new hashtag.
    std::fs::rename(s.path("content/news/a.md"), s.path("content/events/a.md")).unwrap();
    w.wait_for("✓");
    let _ = w.rebuilds_within(500);
    assert!(
        s.exists("public/www/events/a/index.html") && !s.exists("public/www/news/a/index.html")
    );
    s.write(
        "content/events/a.md",
        "---\ntitle: Third title\naudience: public\n---\nNow with #NewTag.\n",
    );
    w.wait_for("✓ content/events/a.md");
    assert!(s.exists("public/www/hashtags/newtag/index.html"));
    assert_same_as_clean_build(&s);

    // Switched to staff: gone from the public site at once.
    let _ = w.rebuilds_within(500);
    s.write(
        "content/events/a.md",
        "---\ntitle: Third title\naudience: staff\n---\nNow with #NewTag.\n",
    );
    w.wait_for("✓ content/events/a.md");
    assert!(!s.exists("public/www/events/a/index.html"));
    assert!(s.exists("public/intranet/events/a/index.html"));
    assert!(!s.exists("public/www/hashtags/newtag/index.html"));
    assert_same_as_clean_build(&s);

    // Deleted.
    let _ = w.rebuilds_within(500);
    std::fs::remove_file(s.path("content/events/a.md")).unwrap();
    w.wait_for("✓ content/events/a.md");
    let _ = w.rebuilds_within(500);
    assert!(!s.exists("public/intranet/events/a/index.html"));
    assert_same_as_clean_build(&s);
}

#[test]
fn a_bad_edit_keeps_the_last_good_site_and_the_next_good_edit_recovers() {
    let s = site();
    let w = Running::start(&s, &["watch"]);
    w.wait_for("Watching for changes");
    let good = s.tree("public/www");
    s.write("content/news/a.md", "---\ntitle: [broken\n---\n");
    w.wait_for("content/news/a.md:3:1: the front matter is not valid YAML");
    w.wait_for("✗ content/news/a.md: the build failed; the last good site is still in place");
    assert_eq!(s.tree("public/www"), good);
    s.write(
        "content/news/a.md",
        "---\ntitle: Fixed\naudience: public\n---\n",
    );
    w.wait_for("✓ content/news/a.md");
    assert!(s.read("public/www/news/a/index.html").contains("Fixed"));
}

#[cfg(unix)]
#[test]
fn watch_starts_over_an_earlier_build_without_writing_unchanged_files_again() {
    use std::os::unix::fs::MetadataExt;
    let s = site();
    let r = s.run_env(&["build"], &[("SOURCE_DATE_EPOCH", EPOCH)]);
    assert_eq!(r.code, 0, "{}", r.all());
    let inode = |rel: &str| std::fs::metadata(s.path(rel)).unwrap().ino();
    let page = inode("public/www/news/a/index.html");
    let home = inode("public/intranet/index.html");

    let w = Running::start(&s, &["watch"]);
    w.wait_for("Watching for changes");
    assert_eq!(inode("public/www/news/a/index.html"), page);
    assert_eq!(inode("public/intranet/index.html"), home);

    // Edits after that are written as before.
    s.write(
        "content/news/a.md",
        "---\ntitle: Changed title\naudience: public\n---\nText.\n",
    );
    w.wait_for("✓ content/news/a.md");
    assert!(
        s.read("public/www/news/a/index.html")
            .contains("Changed title")
    );
    assert_same_as_clean_build(&s);
}

#[test]
fn watch_never_replaces_a_file_it_did_not_write() {
    let s = site();
    let w = Running::start(&s, &["watch"]);
    w.wait_for("Watching for changes");
    // Someone's own file, where a page added later goes.
    s.write("public/www/news/b/index.html", "kept by hand");
    let _ = w.rebuilds_within(500);
    let before = s.tree("public/www");
    s.write(
        "content/news/b.md",
        "---\ntitle: Second page\naudience: public\n---\nText.\n",
    );
    w.wait_for("holds a file that Guidepost did not write: public/www/news/b/index.html");
    w.wait_for("✗ content/news/b.md: the build failed; the last good site is still in place");
    assert_eq!(s.read("public/www/news/b/index.html"), "kept by hand");
    assert_eq!(
        s.tree("public/www"),
        before,
        "nothing of the rebuild is published"
    );

    // Moved out of the way, the page is written.
    std::fs::remove_file(s.path("public/www/news/b/index.html")).unwrap();
    s.write(
        "content/news/b.md",
        "---\ntitle: Second page, again\naudience: public\n---\nText.\n",
    );
    w.wait_for("✓ content/news/b.md");
    assert!(
        s.read("public/www/news/b/index.html")
            .contains("Second page, again")
    );
    assert_same_as_clean_build(&s);
}

#[test]
fn watch_finds_a_file_where_a_page_needs_a_folder_before_writing_anything() {
    let s = site();
    let w = Running::start(&s, &["watch"]);
    w.wait_for("Watching for changes");
    let www = s.tree("public/www");
    let intranet = s.tree("public/intranet");
    // A static file called like the news section's folder.
    s.write("static/news", "a file with no extension");
    // Both outputs have the clash; both are reported.
    w.wait_for("public/www/news would be a file, but public/www/news/index.html needs a folder of that name [output-path-clash]");
    let line = w.wait_for("✗");
    assert!(
        line.ends_with("the build failed; the last good site is still in place"),
        "{line}"
    );
    assert_eq!(s.tree("public/www"), www);
    assert_eq!(s.tree("public/intranet"), intranet);
}

#[test]
fn after_a_rebuild_that_stopped_while_writing_the_next_one_recovers() {
    let s = site();
    let w = Running::start(&s, &["watch"]);
    w.wait_for("Watching for changes");
    // The intranet's marker cannot be replaced: a folder where its new
    // copy is written. The public output is written first.
    s.write("public/intranet/..guidepost-output.guidepost-new/x", "");
    std::fs::remove_file(s.path("public/intranet/..guidepost-output.guidepost-new/x")).unwrap();
    s.write(
        "content/news/b.md",
        "---\ntitle: Second page\naudience: public\n---\nText.\n",
    );
    let line = w.wait_for("✗");
    assert!(
        line.contains("an output may hold some new files and some old ones"),
        "{line}"
    );
    assert!(s.exists("public/www/news/b/index.html"));

    // Put right, the next save publishes both outputs in full: the public
    // page written last time is Guidepost's own, not someone else's.
    std::fs::remove_dir(s.path("public/intranet/..guidepost-output.guidepost-new")).unwrap();
    s.write(
        "content/news/b.md",
        "---\ntitle: Second page, again\naudience: public\n---\nText.\n",
    );
    w.wait_for("✓ content/news/b.md");
    assert!(
        s.read("public/intranet/news/b/index.html")
            .contains("Second page, again")
    );
    assert_same_as_clean_build(&s);
}

#[test]
fn an_output_added_or_moved_while_watching_is_published_in_full() {
    let s = site();
    // Both outputs built once; then watch starts with the public one only.
    let r = s.run_env(&["build"], &[("SOURCE_DATE_EPOCH", EPOCH)]);
    assert_eq!(r.code, 0, "{}", r.all());
    let both = s.read("site.yaml");
    let public_only =
        both.split("  intranet:").next().unwrap().to_string() + "taxonomies: [tags]\n";
    s.write("site.yaml", &public_only);
    s.write(
        "content/news/a.md",
        "---\ntitle: Newer title\naudience: public\n---\nText.\n",
    );
    let w = Running::start(&s, &["watch"]);
    w.wait_for("Watching for changes");
    assert!(
        s.read("public/intranet/news/a/index.html")
            .contains("First title")
    );

    // The intranet comes back: its folder holds Guidepost's older build.
    s.write("site.yaml", &both);
    w.wait_for("✓ site.yaml");
    assert!(
        s.read("public/intranet/news/a/index.html")
            .contains("Newer title")
    );
    assert_same_as_clean_build(&s);

    // The public output moves to a folder that holds an older build.
    let _ = w.rebuilds_within(500);
    copy_tree(&s, "public/intranet", "public/www2");
    s.write(
        "site.yaml",
        &both.replace("dir: public/www\n", "dir: public/www2\n"),
    );
    w.wait_for("✓ site.yaml");
    let _ = w.rebuilds_within(500);
    assert_eq!(s.tree("public/www2"), s.tree("public/www"));
}

fn copy_tree(s: &Site, from: &str, to: &str) {
    for (rel, bytes) in s.tree(from) {
        s.write_bytes(&format!("{to}/{rel}"), &bytes);
    }
}

#[test]
fn an_output_cleaned_while_watching_is_written_in_full_at_the_next_save() {
    let s = site();
    let w = Running::start(&s, &["watch"]);
    w.wait_for("Watching for changes");
    let r = s.run(&["clean"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!s.exists("public/www/index.html"));
    // A body edit, which alone would rewrite only the pages showing it.
    s.write(
        "content/news/a.md",
        "---\ntitle: First title\naudience: public\n---\nNew text.\n",
    );
    w.wait_for("✓ content/news/a.md");
    assert!(s.exists("public/www/index.html"));
    assert!(s.exists("public/www/robots.txt"));
    assert_same_as_clean_build(&s);
}

#[test]
fn an_output_changed_by_hand_while_watching_is_written_in_full_at_the_next_save() {
    let s = site();
    let w = Running::start(&s, &["watch"]);
    w.wait_for("Watching for changes");
    // As a `clean` that could not delete everything leaves it: some files
    // gone, the list rewritten to name what is left.
    let marker = s.read("public/www/.guidepost-output");
    let kept: Vec<&str> = marker
        .lines()
        .filter(|l| l.starts_with('#') || *l == "index.html")
        .collect();
    for rel in marker
        .lines()
        .filter(|l| !l.starts_with('#') && *l != "index.html")
    {
        let _ = std::fs::remove_file(s.path(&format!("public/www/{rel}")));
    }
    s.write("public/www/.guidepost-output", &(kept.join("\n") + "\n"));
    s.write(
        "content/news/a.md",
        "---\ntitle: First title\naudience: public\n---\nNew text.\n",
    );
    w.wait_for("✓ content/news/a.md");
    assert!(s.exists("public/www/robots.txt"));
    assert_same_as_clean_build(&s);
}

#[test]
fn watch_can_poll() {
    let s = site();
    let w = Running::start(&s, &["watch", "--poll"]);
    w.wait_for("Watching for changes");
    std::thread::sleep(Duration::from_millis(600));
    s.write(
        "content/news/a.md",
        "---\ntitle: Polled\naudience: public\n---\n",
    );
    w.wait_for("✓ content/news/a.md");
    assert!(s.read("public/www/news/a/index.html").contains("Polled"));
}

fn http_get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[test]
fn serve_serves_injects_reload_refuses_traversal_and_pushes_reloads() {
    let s = site();
    let srv = Running::start(&s, &["serve", "--port", "0"]);
    let line = srv.wait_for("Serving the `intranet` output at http://localhost:");
    let port: u16 = line
        .split("localhost:")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        line.ends_with(
            ":{port}/comms/"
                .replace("{port}", &port.to_string())
                .as_str()
        ),
        "{line}"
    );

    let (status, body) = http_get(port, "/comms/news/a/");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("First title") && body.contains("guidepost-live"),
        "{body}"
    );
    assert!(
        !s.read("public/intranet/news/a/index.html")
            .contains("guidepost-live"),
        "built files never get the script"
    );
    let (status, _) = http_get(port, "/comms/css/guidepost.css");
    assert_eq!(status, 200);
    for bad in [
        "/comms/../../etc/passwd",
        "/comms/%2e%2e/%2e%2e/etc/passwd",
        "/comms/news/..%2f..%2f..%2fsite.yaml",
        "/comms/..%5c..%5csite.yaml",
    ] {
        let (status, body) = http_get(port, bad);
        assert_eq!(status, 404, "{bad}: {body}");
        assert!(!body.contains("default_audience"), "{bad} leaked site.yaml");
    }

    // Live reload: an edit sends a reload event.
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        events,
        "GET /__guidepost/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    s.write(
        "content/news/a.md",
        "---\ntitle: Edited\naudience: public\n---\n",
    );
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("event: reload") {
        let n = events.read(&mut buf).expect("an event before the timeout");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    // A broken edit: the overlay's text is the terminal's text.
    s.write("content/news/a.md", "---\ntitle: [broken\n---\n");
    while !seen.contains("event: error-report") {
        let n = events.read(&mut buf).expect("an error event");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    while !seen.contains("the last good site is still in place") {
        let n = events.read(&mut buf).expect("the whole report");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(
        seen.contains("content/news/a.md:3:1: the front matter is not valid YAML"),
        "{seen}"
    );
    let (_, page) = http_get(port, "/comms/news/");
    assert!(
        page.contains("<template id=\"guidepost-error\">"),
        "pages opened during the error show it too"
    );
}
