//! The demo hub in this repository builds cleanly, and its staff pages stay
//! off the public site.

mod common;

use std::path::Path;

use common::{Site, copy_dir, tree};

fn demo() -> Site {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = Site::empty();
    std::fs::copy(repo.join("site.yaml"), s.path("site.yaml")).unwrap();
    copy_dir(&repo.join("content"), &s.path("content"));
    copy_dir(&repo.join("static"), &s.path("static"));
    s
}

#[test]
fn demo_builds_without_warnings_and_keeps_staff_text_off_public() {
    let s = demo();
    let r = s.build_ok(&["--now", "2026-11-22"]);
    assert!(
        r.stderr.is_empty(),
        "the demo must build with no warnings:\n{}",
        r.stderr
    );

    let staff_title = "Staying safe from trolls";
    let staff_phrase = "amber-kestrel escalation route";
    let page = s.read("public/intranet/guidance/staying-safe-from-trolls/index.html");
    assert!(page.contains(staff_title), "{page}");
    assert!(page.contains(staff_phrase), "{page}");

    let public = tree(&s.path("public/www"));
    assert!(
        public.len() > 15,
        "the public site has its pages: {:?}",
        public.keys()
    );
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(staff_title),
            "staff title in public/www/{path}"
        );
        assert!(
            !text.contains(staff_phrase),
            "staff phrase in public/www/{path}"
        );
        assert!(
            !text.contains("amber-kestrel"),
            "staff canary in public/www/{path}"
        );
        assert!(
            !path.contains("staying-safe"),
            "staff page in public/www/{path}"
        );
        assert!(
            !path.contains("social-media-policy"),
            "the staff policy PDF copied to public/www/{path}"
        );
        assert!(
            !path.contains("getting-started-on-x"),
            "a staff poster in public/www/{path}"
        );
    }
    // The staff-only campaign material is on the intranet.
    let week = s.read("public/intranet/campaigns/social-media-week/index.html");
    assert!(week.contains("cobalt-heron reply"), "{week}");
    assert!(
        s.read("public/intranet/how-we-use-social-media/accounts-we-run/index.html")
            .contains("Ochre Lantern")
    );
    assert!(s.exists("public/intranet/campaigns/staff-flu-jabs/index.html"));
    assert!(s.exists("public/www/campaigns/introductions/index.html"));
    // The public guidance page is public; the staff PDF is intranet only.
    assert!(s.exists("public/www/guidance/using-hashtags/index.html"));
    assert!(s.exists("public/intranet/guidance/files/social-media-policy.pdf"));
}
