//! `guidepost build` over an output it wrote before: files whose bytes do
//! not change are left in place (same file, same modified time), changed
//! ones replaced, and files it no longer writes deleted. The result is
//! always what a build into an empty folder writes.
#![cfg(unix)]

mod common;

use std::os::unix::fs::MetadataExt;

use common::Site;

/// The inode of an output file: a file written again (or swapped in with a
/// new output folder) gets a new one.
fn inode(s: &Site, rel: &str) -> u64 {
    std::fs::metadata(s.path(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .ino()
}

/// What a build of the same sources into an empty folder writes.
fn fresh_build(s: &Site) -> Site {
    let fresh = Site::empty();
    for dir in ["content", "static"] {
        if s.path(dir).exists() {
            common::copy_dir(&s.path(dir), &fresh.path(dir));
        }
    }
    fresh.write("site.yaml", &s.read("site.yaml"));
    fresh.build_ok(&[]);
    fresh
}

fn site() -> Site {
    let s = Site::new();
    s.write(
        "content/a.md",
        "---\ntitle: Page A\naudience: public\ntags: [alpha]\ndate: 2026-11-01\n---\nFirst page.\n",
    );
    s.write(
        "content/b.md",
        "---\ntitle: Page B\naudience: public\ndate: 2026-11-02\n---\nSecond page.\n",
    );
    s.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    s
}

#[test]
fn unchanged_files_stay_in_place_and_changed_ones_are_replaced() {
    let s = site();
    s.build_ok(&[]);
    let a = inode(&s, "public/www/a/index.html");
    let logo = inode(&s, "public/www/logo.svg");
    let b = inode(&s, "public/www/b/index.html");
    let b_before = s.read("public/www/b/index.html");

    // Nothing changed: nothing is written again.
    s.build_ok(&[]);
    assert_eq!(inode(&s, "public/www/a/index.html"), a);
    assert_eq!(inode(&s, "public/www/b/index.html"), b);
    assert_eq!(inode(&s, "public/www/logo.svg"), logo);

    // One body edit: that page is replaced, the others are not.
    s.write(
        "content/b.md",
        "---\ntitle: Page B\naudience: public\ndate: 2026-11-02\n---\nSecond page, edited.\n",
    );
    s.build_ok(&[]);
    assert_ne!(inode(&s, "public/www/b/index.html"), b);
    assert_ne!(s.read("public/www/b/index.html"), b_before);
    assert!(
        s.read("public/www/b/index.html")
            .contains("Second page, edited.")
    );
    assert_eq!(inode(&s, "public/www/a/index.html"), a);
    assert_eq!(inode(&s, "public/www/logo.svg"), logo);

    let fresh = fresh_build(&s);
    assert_eq!(s.tree("public"), fresh.tree("public"));
    assert_no_staging_left(&s);
}

/// Only the two outputs beside each other: no staging folder left.
fn assert_no_staging_left(s: &Site) {
    let mut names: Vec<String> = std::fs::read_dir(s.path("public"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["intranet", "www"]);
}

#[test]
fn pages_no_longer_written_are_deleted_with_their_empty_folders() {
    let s = site();
    s.write(
        "content/c.md",
        "---\ntitle: Page C\naudience: public\ntags: [only-on-c]\n---\nThird page.\n",
    );
    s.build_ok(&[]);
    assert!(s.exists("public/www/c/index.html"));
    assert!(s.exists("public/www/tags/only-on-c/index.html"));

    std::fs::remove_file(s.path("content/c.md")).unwrap();
    s.build_ok(&[]);
    assert!(!s.exists("public/www/c"), "the page's folder is gone");
    assert!(!s.exists("public/www/tags/only-on-c"));
    let marker = s.read("public/www/.guidepost-output");
    assert!(!marker.contains("c/index.html"), "{marker}");
    assert_eq!(s.tree("public"), fresh_build(&s).tree("public"));
}

#[test]
fn an_output_file_edited_by_hand_is_written_again() {
    let s = site();
    s.build_ok(&[]);
    let good = s.read("public/www/a/index.html");
    // The same length, so only the bytes tell.
    let tampered = good.replacen("First page.", "Frist page.", 1);
    assert_eq!(tampered.len(), good.len());
    assert_ne!(tampered, good);
    s.write("public/www/a/index.html", &tampered);
    s.build_ok(&[]);
    assert_eq!(s.read("public/www/a/index.html"), good);
}

#[test]
fn the_leak_check_reads_files_left_in_place() {
    // A phrase added to `staff_markers` that an unchanged public page
    // already holds: that page is not written again, but it is checked.
    let s = site();
    s.write(
        "content/a.md",
        "---\ntitle: Page A\naudience: public\n---\nMarked RESTRICTED-DRAFT by mistake.\n",
    );
    s.build_ok(&[]);
    let before = s.tree("public/www");
    let a = inode(&s, "public/www/a/index.html");

    let yaml = s.read("site.yaml") + "staff_markers: [\"RESTRICTED-DRAFT\"]\n";
    s.write("site.yaml", &yaml);
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "leak check: public/www/a/index.html contains the staff marker phrase \"RESTRICTED-DRAFT\""
        ),
        "{}",
        r.stderr
    );
    assert_eq!(s.tree("public/www"), before, "nothing was published");
    assert_eq!(inode(&s, "public/www/a/index.html"), a);
    assert_no_staging_left(&s);
}

#[test]
fn a_file_and_a_folder_can_swap_places_between_builds() {
    let s = site();
    s.write(
        "content/news.md",
        "---\ntitle: News\naudience: public\n---\nNews page.\n",
    );
    s.build_ok(&[]);
    assert!(s.exists("public/www/news/index.html"));

    // The page goes, a file of the same name comes.
    std::fs::remove_file(s.path("content/news.md")).unwrap();
    s.write("static/news", "plain text");
    s.build_ok(&[]);
    assert_eq!(s.read("public/www/news"), "plain text");
    assert_eq!(s.tree("public"), fresh_build(&s).tree("public"));

    // And back.
    std::fs::remove_file(s.path("static/news")).unwrap();
    s.write(
        "content/news.md",
        "---\ntitle: News\naudience: public\n---\nNews page.\n",
    );
    s.build_ok(&[]);
    assert!(s.exists("public/www/news/index.html"));
    assert_eq!(s.tree("public"), fresh_build(&s).tree("public"));
}

#[test]
fn a_file_where_the_output_needs_a_folder_fails_before_anything_changes() {
    let s = site();
    s.write(
        "content/news.md",
        "---\ntitle: News\naudience: public\n---\nNews page.\n",
    );
    s.build_ok(&[]);
    let before = s.tree("public");
    // A new page as well, which must not appear on its own.
    s.write(
        "content/c.md",
        "---\ntitle: Page C\naudience: public\n---\nThird page.\n",
    );
    s.write("static/news", "plain text");
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "error: public/www/news: public/www/news would be a file, but public/www/news/index.html needs a folder of that name [output-path-clash]"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("build failed: nothing was written; the previous site is unchanged"),
        "{}",
        r.stderr
    );
    assert_eq!(s.tree("public"), before);
    assert_no_staging_left(&s);
}

#[test]
fn a_clash_in_one_output_leaves_every_output_untouched() {
    // A staff page `news` is only in the intranet; the static file `news`
    // is in both. The public output alone would publish fine: it must not
    // be put in place while the intranet cannot be.
    let s = site();
    s.build_ok(&[]);
    let before = s.tree("public");
    s.write(
        "content/c.md",
        "---\ntitle: Page C\naudience: public\n---\nThird page.\n",
    );
    s.write(
        "content/news.md",
        "---\ntitle: News\naudience: staff\n---\nStaff news.\n",
    );
    s.write("static/news", "plain text");
    let r = s.build_fails();
    assert!(
        r.stderr.contains(
            "public/intranet/news would be a file, but public/intranet/news/index.html needs a folder of that name [output-path-clash]"
        ),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("public/www/news would be"),
        "{}",
        r.stderr
    );
    assert_eq!(s.tree("public"), before);
    assert_no_staging_left(&s);
}

#[test]
fn an_empty_folder_where_a_file_now_goes_is_replaced() {
    // Empty folders are not files: `check_owned` lets them be, and one in
    // the way of a new file must not stop the build halfway.
    let s = site();
    s.build_ok(&[]);
    std::fs::create_dir_all(s.path("public/www/news/old")).unwrap();
    s.write("static/news", "plain text");
    s.write(
        "content/c.md",
        "---\ntitle: Page C\naudience: public\n---\nThird page.\n",
    );
    s.build_ok(&[]);
    assert_eq!(s.read("public/www/news"), "plain text");
    assert_eq!(s.tree("public"), fresh_build(&s).tree("public"));
}
