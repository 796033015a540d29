//! Broken and hostile input never crashes Guidepost, never writes outside
//! the output folders and never loses the previous output.

mod common;

use common::{Site, tree};
use proptest::prelude::*;

/// Builds, expecting success or a content error (exit 1) — never a crash —
/// and checks nothing was written outside public/.
fn build_survives(s: &Site) -> common::Run {
    let outside_before: Vec<String> = tree(s.root())
        .into_keys()
        .filter(|k| !k.starts_with("public/"))
        .collect();
    let r = s.run(&["build"]);
    assert!(r.code == 0 || r.code == 1, "exit {}:\n{}", r.code, r.all());
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let outside_after: Vec<String> = tree(s.root())
        .into_keys()
        .filter(|k| !k.starts_with("public/"))
        .collect();
    assert_eq!(
        outside_before, outside_after,
        "files appeared outside public/"
    );
    r
}

#[test]
fn invalid_utf8_is_an_error_naming_the_file() {
    let s = Site::new();
    s.write_bytes("content/latin1.md", b"---\ntitle: Caf\xe9\n---\n");
    let r = build_survives(&s);
    assert!(
        r.stderr
            .contains("content/latin1.md: this file is not UTF-8 text"),
        "{}",
        r.stderr
    );
}

#[test]
fn bom_and_crlf_are_fine() {
    let s = Site::new();
    s.write_bytes("content/windows.md", b"\xef\xbb\xbf---\r\ntitle: Saved on Windows\r\naudience: public\r\n---\r\nLine one.\r\n\r\n## A heading\r\n");
    let r = build_survives(&s);
    assert_eq!(r.code, 0, "{}", r.all());
    let html = s.read("public/www/windows/index.html");
    assert!(
        html.contains("Saved on Windows") && html.contains("id=\"a-heading\""),
        "{html}"
    );
}

#[test]
fn a_file_with_only_dashes_or_nothing_is_an_error() {
    let s = Site::new();
    s.write("content/dashes.md", "---");
    s.write("content/empty.md", "");
    let r = build_survives(&s);
    assert!(
        r.stderr
            .contains("content/dashes.md:1:1: the front matter starts with `---` but never ends"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/empty.md:1:1: this page has no `title`"),
        "{}",
        r.stderr
    );
}

#[test]
fn yaml_bombs_are_refused_quickly() {
    let s = Site::new();
    let mut bomb = String::from(
        "---\ntitle: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 0..9 {
        let (prev, name) = (
            if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            },
            format!("b{i}"),
        );
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bomb.push_str("---\n");
    s.write("content/bomb.md", &bomb);
    let started = std::time::Instant::now();
    let r = build_survives(&s);
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stderr.contains("content/bomb.md"), "{}", r.stderr);
}

#[test]
fn a_ten_megabyte_line_builds() {
    let s = Site::new();
    let line = "word ".repeat(2 * 1024 * 1024);
    s.write(
        "content/long.md",
        &format!("---\ntitle: Long\naudience: public\n---\n{line}\n"),
    );
    let r = build_survives(&s);
    assert_eq!(r.code, 0, "{}", r.all());
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_and_are_reported() {
    let s = Site::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Outside secret\naudience: public\n---\nfrom outside\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.pdf"), "%PDF-1.4 outside\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        s.path("content/linked.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), s.path("content/linked-folder")).unwrap();
    std::os::unix::fs::symlink(s.path("content"), s.path("content/loop")).unwrap();
    let r = build_survives(&s);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stderr
            .contains("content/linked.md: this is a symbolic link"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("content/loop: this is a symbolic link"),
        "{}",
        r.stderr
    );
    for (path, bytes) in s.tree("public") {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Outside secret"),
            "{path}"
        );
    }
    // An attachment reached through a symlink to outside is refused.
    std::os::unix::fs::symlink(outside.path().join("secret.pdf"), s.path("content/doc.pdf"))
        .unwrap();
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\n---\n[Doc](doc.pdf)\n",
    );
    let r = build_survives(&s);
    assert!(
        r.stderr
            .contains("content/a.md:5:1: `doc.pdf` is a link to a file outside the site"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_errors_not_crashes() {
    use std::os::unix::fs::PermissionsExt;
    let s = Site::new();
    s.write("content/locked.md", "---\ntitle: Locked\n---\n");
    std::fs::set_permissions(
        s.path("content/locked.md"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // Root can read anything; the check is meaningful for other users.
    if std::fs::read(s.path("content/locked.md")).is_ok() {
        return;
    }
    let r = build_survives(&s);
    assert!(
        r.stderr
            .contains("content/locked.md: cannot read this file"),
        "{}",
        r.stderr
    );
}

#[test]
fn awkward_file_names_get_plain_addresses() {
    let s = Site::new();
    s.write(
        "content/My Page (draft v2).md",
        "---\ntitle: Spaces\naudience: public\n---\n",
    );
    s.write(
        "content/Café ünïcode.md",
        "---\ntitle: Unicode\naudience: public\n---\n",
    );
    s.write(
        "content/dots..in..name.md",
        "---\ntitle: Dots\naudience: public\n---\n",
    );
    let r = build_survives(&s);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("public/www/my-page-draft-v2/index.html"));
    assert!(s.exists("public/www/cafe-unicode/index.html"));
    assert!(s.exists("public/www/dots-in-name/index.html"));
}

#[test]
fn files_differing_only_by_case_collide_clearly() {
    let s = Site::new();
    s.write(
        "content/About.md",
        "---\ntitle: About 1\naudience: public\n---\n",
    );
    s.write(
        "content/about.md",
        "---\ntitle: About 2\naudience: public\n---\n",
    );
    let r = build_survives(&s);
    assert!(
        r.stderr
            .contains("content/About.md and content/about.md would both be published at /about/"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_percent_sign_before_an_accented_letter_in_a_link_is_not_a_crash() {
    // `%a` then `é` (two bytes): reading the two characters after `%` as
    // an escape once cut `é` in half and crashed the build.
    let s = Site::new();
    s.write(
        "content/leaflets.md",
        "---\ntitle: Leaflets\naudience: public\n---\nSee [the leaflet](%aé.pdf).\n",
    );
    let r = build_survives(&s);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("content/leaflets.md:5:5: this file does not exist: content/%aé.pdf"),
        "{}",
        r.stderr
    );
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("#Tag".to_string()),
        Just("@handle".to_string()),
        Just("[link](other.md)".to_string()),
        Just("[file](%aé.pdf)".to_string()),
        Just("[x](../../../etc/passwd.md)".to_string()),
        Just("![img](../../x.png)".to_string()),
        Just("`#code`".to_string()),
        Just("> [!NOTE]\n> n".to_string()),
        Just("https://example.org/#frag".to_string()),
        Just("C# &#35;1".to_string()),
        Just("<div>#html</div>".to_string()),
        Just("\n---\n".to_string()),
        Just("[^1]\n\n[^1]: f".to_string()),
        Just("| a |\n|---|\n| b |".to_string()),
        "[ -~]{0,12}",
        "\\PC{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random front matter and Markdown: a clean build or a clear error,
    /// never a crash, and nothing written outside the output folders.
    #[test]
    fn random_pages_never_crash_or_escape(
        title in "[ -~]{0,20}",
        slug in prop_oneof![Just("../../escape".to_string()), Just("/abs".to_string()), "[ -~]{0,10}"],
        extra in prop_oneof![Just("hashtags: [\"#a\", \"#1\"]".to_string()), Just("aliases: [\"../../x\"]".to_string()), Just("date: 31/31/31".to_string()), Just("audience: staff".to_string()), Just("".to_string())],
        body in proptest::collection::vec(piece(), 0..8),
    ) {
        let s = Site::new();
        let page = format!("---\ntitle: \"{}\"\nslug: \"{}\"\naudience: public\n{}\n---\n{}\n", title.replace(['"', '\\'], ""), slug.replace(['"', '\\'], ""), extra, body.join(" "));
        s.write("content/fuzz.md", &page);
        s.write("content/other.md", "---\ntitle: Other\naudience: public\n---\n");
        build_survives(&s);
    }
}

#[cfg(unix)]
#[test]
fn card_images_and_print_files_through_symlinks_to_outside_are_refused() {
    let s = Site::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("pic.png"), "png").unwrap();
    std::fs::write(outside.path().join("print.pdf"), "%PDF-1.4\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("pic.png"), s.path("content/pic.png")).unwrap();
    std::fs::create_dir_all(s.path("content/posters")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("print.pdf"),
        s.path("content/posters/print.pdf"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("pic.png"),
        s.path("content/posters/pic.png"),
    )
    .unwrap();
    s.write(
        "content/a.md",
        "---\ntitle: A\naudience: public\nimage: pic.png\nimage_alt: A picture\n---\n",
    );
    s.write("content/posters/p.md", "---\ntitle: P\naudience: public\nimage: pic.png\nimage_alt: A poster\nfile: print.pdf\n---\nText.\n");
    let r = build_survives(&s);
    assert!(
        r.stderr
            .contains("content/a.md:4:1: the image `pic.png` is a link to a file outside the site"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("content/posters/p.md:6:1: the print file `print.pdf` is a link to a file outside the site"), "{}", r.stderr);
}
