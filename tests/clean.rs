//! `guidepost clean`: every file Guidepost wrote goes, nothing else does.

mod common;

use common::Site;

fn built_site() -> Site {
    let s = Site::new();
    s.write(
        "content/news/_index.md",
        "---\ntitle: News\naudience: public\n---\n",
    );
    s.write(
        "content/news/a.md",
        "---\ntitle: A public page\naudience: public\n---\nText.\n",
    );
    s.write(
        "content/rota.md",
        "---\ntitle: Duty rota\naudience: staff\n---\nStaff text.\n",
    );
    s.build_ok(&[]);
    s
}

/// Everything outside the output folders.
fn sources(s: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut t = s.tree("");
    t.retain(|rel, _| !rel.starts_with("public/"));
    t
}

#[test]
fn clean_removes_every_file_guidepost_wrote_and_nothing_else() {
    let s = built_site();
    let before = sources(&s);
    // Someone's own files in the public output, one in a folder of ours.
    s.write("public/www/notes.txt", "mine");
    s.write("public/www/news/keep.txt", "mine too");
    assert!(s.exists("public/www/news/a/index.html"));
    let listed = |out: &str| {
        s.read(&format!("public/{out}/.guidepost-output"))
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .count()
    };
    let (www, intranet) = (listed("www"), listed("intranet"));

    let r = s.run(&["clean"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains(&format!(
            "public: removed {www} files from public/www; left 2 files that Guidepost did not write, e.g. public/www/news/keep.txt"
        )),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!(
            "intranet: removed {intranet} files from public/intranet (and the folder)"
        )),
        "{}",
        r.stdout
    );
    let left: Vec<String> = s.tree("public/www").into_keys().collect();
    assert_eq!(left, ["news/keep.txt", "notes.txt"]);
    assert!(!s.exists("public/intranet"));
    assert_eq!(sources(&s), before, "nothing outside the outputs changed");

    // A second time there is nothing of Guidepost's left.
    let r = s.run(&["clean"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(
        r.stdout.contains(
            "public: public/www holds no build of Guidepost's; nothing removed; left 2 files"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("intranet: public/intranet holds no build of Guidepost's; nothing removed"),
        "{}",
        r.stdout
    );

    // And the site builds again into the same folders.
    s.run(&["clean"]);
    std::fs::remove_file(s.path("public/www/notes.txt")).unwrap();
    std::fs::remove_file(s.path("public/www/news/keep.txt")).unwrap();
    s.build_ok(&[]);
    assert!(s.exists("public/www/news/a/index.html"));
}

#[test]
fn clean_one_output_leaves_the_others() {
    let s = built_site();
    let www = s.tree("public/www");
    let r = s.run(&["clean", "--output", "intranet"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(!s.exists("public/intranet"));
    assert_eq!(s.tree("public/www"), www);

    let r = s.run(&["clean", "--output", "intarnet"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr
            .contains("error: there is no output called `intarnet` [unknown-output]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `intranet`?"),
        "{}",
        r.stderr
    );
    assert_eq!(s.tree("public/www"), www);
}

#[test]
fn clean_never_follows_a_list_out_of_the_output_or_into_a_folder() {
    let s = built_site();
    // A marker edited by hand: paths out of the folder, and a listed file
    // that someone has since replaced with a folder of their own.
    let marker = s.read("public/www/.guidepost-output");
    s.write(
        "public/www/.guidepost-output",
        &format!("{marker}../../site.yaml\n../intranet/index.html\nmine/\n"),
    );
    std::fs::remove_file(s.path("public/www/robots.txt")).unwrap();
    s.write("public/www/robots.txt/inside.txt", "mine");
    let r = s.run(&["clean", "--output", "public"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert!(s.exists("site.yaml"));
    assert!(s.exists("public/intranet/index.html"));
    assert_eq!(s.read("public/www/robots.txt/inside.txt"), "mine");
    let left: Vec<String> = s.tree("public/www").into_keys().collect();
    assert_eq!(left, ["robots.txt/inside.txt"]);
}

#[test]
fn clean_without_a_site_says_so() {
    let s = Site::empty();
    let r = s.run(&["clean"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(r.stderr.contains("site.yaml"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn clean_never_deletes_through_a_link_or_past_a_file_in_the_way() {
    let s = built_site();
    // Someone replaced the news folder with a link to their own folder,
    // which happens to hold files with the listed names.
    s.write("theirs/a/index.html", "precious");
    s.write("theirs/index.html", "precious too");
    std::fs::remove_dir_all(s.path("public/www/news")).unwrap();
    std::os::unix::fs::symlink(s.path("theirs"), s.path("public/www/news")).unwrap();
    // And in the intranet, a file of theirs where a listed folder was.
    std::fs::remove_dir_all(s.path("public/intranet/news/a")).unwrap();
    s.write("public/intranet/news/a", "a file of theirs");

    let r = s.run(&["clean"]);
    assert_eq!(r.code, 0, "{}", r.all());
    assert_eq!(s.read("theirs/a/index.html"), "precious");
    assert_eq!(s.read("theirs/index.html"), "precious too");
    assert_eq!(s.read("public/intranet/news/a"), "a file of theirs");
    assert!(!s.exists("public/www/index.html"));
    assert!(!s.exists("public/www/.guidepost-output"));
    assert!(!s.exists("public/intranet/.guidepost-output"));
    assert!(
        r.stdout
            .contains("left 1 file that Guidepost did not write, e.g. public/intranet/news/a"),
        "{}",
        r.stdout
    );
}

#[test]
fn clean_touches_nothing_when_the_list_cannot_be_read() {
    let s = built_site();
    // The list replaced by something that cannot be read as one.
    std::fs::remove_file(s.path("public/www/.guidepost-output")).unwrap();
    std::fs::create_dir(s.path("public/www/.guidepost-output")).unwrap();
    let www = s.tree("public/www");
    let r = s.run(&["clean", "--output", "public"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains(
            "cannot read public/www/.guidepost-output, Guidepost's list of the files it wrote there [cannot-read]"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("nothing in this folder was removed"),
        "{}",
        r.stderr
    );
    assert_eq!(s.tree("public/www"), www);
}

/// An output `dir` that is a link to another folder (a web server's
/// folder linked into the site): refused with a message naming the link,
/// which stays as it was, and nothing is written where it leads. (Built
/// through, the folder could be shared with another output — staff pages
/// in the public site — or be a source folder, and the first build's swap
/// would put a folder in the link's place.) A link to nowhere likewise.
#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_link_is_refused_and_left_alone() {
    let s = Site::new();
    s.write(
        "content/rota.md",
        "---\ntitle: Secret rota\naudience: staff\n---\nText.\n",
    );
    let webroot = tempfile::tempdir().unwrap();
    let target = webroot.path().join("html");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::create_dir_all(s.path("public")).unwrap();
    let is_link = |rel: &str| {
        std::fs::symlink_metadata(s.path(rel))
            .unwrap()
            .file_type()
            .is_symlink()
    };
    // Both outputs lead to the same folder.
    std::os::unix::fs::symlink(&target, s.path("public/www")).unwrap();
    std::os::unix::fs::symlink(&target, s.path("public/intranet")).unwrap();
    let r = s.run(&["build"]);
    assert_eq!(r.code, 2, "an environment error: {}", r.all());
    assert!(
        r.stderr
            .contains("error: public/www: public/www is a link to ")
            && r.stderr.contains("will not replace the link")
            && r.stderr.contains("Copying to the web server"),
        "{}",
        r.stderr
    );
    assert!(is_link("public/www") && is_link("public/intranet"));
    assert_eq!(
        std::fs::read_dir(&target).unwrap().count(),
        0,
        "nothing written there"
    );
    assert!(
        std::fs::read_dir(webroot.path())
            .unwrap()
            .all(|e| e.unwrap().path() == target),
        "no staging folder beside it"
    );

    // A link to nowhere.
    std::fs::remove_file(s.path("public/www")).unwrap();
    std::fs::remove_file(s.path("public/intranet")).unwrap();
    std::os::unix::fs::symlink(webroot.path().join("gone"), s.path("public/www")).unwrap();
    let r = s.run(&["build"]);
    assert_eq!(r.code, 2, "{}", r.all());
    assert!(
        r.stderr.contains("public/www is a link to "),
        "{}",
        r.stderr
    );
    assert!(is_link("public/www"), "the link is left as it was");
    assert!(!webroot.path().join("gone").exists());
}
