//! Campaign hubs: campaign pages, posts, staff replies, hashtags, the
//! accounts directory and calendars.

mod common;

use common::{Site, tree};

const CAMPAIGN: &str = r##"---
title: Social media week
description: A week of getting staff online.
audience: public
hashtag: "#SoMeWeek"
starts: 2026-10-23
ends: 2026-10-27
channels: [x, facebook]
goals:
  - metric: New followers
    target: 100
    result: 350
  - metric: Drop-in visitors
    target: 60
events:
  - title: Tweetup in the atrium
    starts: 2026-10-24 10:00
    ends: 2026-10-24 11:30
    location: Main atrium
    description: Meet the team.
  - title: Online Q and A
    starts: 2026-10-26 10:00
    online: https://example.org/qa
posts:
  - text: "Join us for #SoMeWeek 🎉 https://www.example.nhs.uk/a/very/long/address/that/counts/as/twenty-three"
    platforms: [x, bluesky]
    link: https://www.example.nhs.uk/social/
  - text: A longer post for LinkedIn about the week.
    platforms: [linkedin]
responses:
  - situation: Someone complains about their care
    reply: Sorry to hear this; please contact PALS. Quote the quartz-otter phrase.
    signpost: PALS
---
Our first **social media week**. Follow @RiversideNHS and use #SoMeWeek.
"##;

fn site_with_campaign() -> Site {
    let s = Site::new();
    s.write(
        "content/campaigns/_index.md",
        "---\ntitle: Campaigns\naudience: public\n---\nOur campaigns.\n",
    );
    s.write("content/campaigns/some-week.md", CAMPAIGN);
    s
}

#[test]
fn campaign_page_shows_hashtag_status_events_goals_and_posts() {
    let s = site_with_campaign();
    s.build_ok(&["--now", "2026-10-25 12:00"]);
    let html = s.read("public/www/campaigns/some-week/index.html");
    for want in [
        "href=\"/social/hashtags/someweek/\">#SoMeWeek</a>",
        "Happening now",
        "23 October 2026</time> to <time datetime=\"2026-10-27\">27 October 2026",
        "X, Facebook",
        "Tweetup in the atrium",
        "Saturday 24 October 2026, 10am",
        "11:30am",
        "Main atrium",
        "href=\"https://example.org/qa\"",
        "<strong>350</strong> against a target of 100 (350%): target met",
        "Target: <strong>60</strong>",
        "X: 48 of 280 characters",
        "Bluesky:",
        "href=\"https://x.com/intent/post?text=Join%20us%20for%20%23SoMeWeek",
        "(opens in a new tab)",
        "data-copy=\"post-1-text\"",
        "href=\"/social/campaigns/some-week/some-week.ics\"",
    ] {
        assert!(html.contains(want), "missing {want:?} in:\n{html}");
    }
    // The post text is selectable without JavaScript; the copy button is
    // hidden until the script shows it.
    assert!(
        html.contains("id=\"post-1-text\">Join us for #SoMeWeek"),
        "{html}"
    );
    assert!(html.contains(" hidden>Copy post 1</button>"), "{html}");
}

#[test]
fn status_follows_now() {
    let s = site_with_campaign();
    for (now, status) in [
        ("2026-10-01", "Coming up"),
        ("2026-10-27 23:00", "Happening now"),
        ("2026-10-28", "Ended"),
    ] {
        s.build_ok(&["--now", now]);
        let html = s.read("public/www/campaigns/some-week/index.html");
        assert!(
            html.contains(&format!(
                "gp-status--{}",
                match status {
                    "Coming up" => "upcoming",
                    "Happening now" => "live",
                    _ => "ended",
                }
            )),
            "{now}: {html}"
        );
        assert!(html.contains(status), "{now}: {status}");
    }
}

#[test]
fn hub_lists_live_then_upcoming_then_past_and_home_shows_current_ones() {
    let s = site_with_campaign();
    let other = |title: &str, tag: &str, starts: &str, ends: &str| {
        format!(
            "---\ntitle: {title}\naudience: public\nhashtag: \"{tag}\"\nstarts: {starts}\nends: {ends}\n---\nText.\n"
        )
    };
    s.write(
        "content/campaigns/next.md",
        &other("Next thing", "#NextThing", "2026-12-01", "2026-12-05"),
    );
    s.write(
        "content/campaigns/old.md",
        &other("Old thing", "#OldThing", "2025-01-01", "2025-01-05"),
    );
    s.build_ok(&["--now", "2026-10-25"]);
    let hub = s.read("public/www/campaigns/index.html");
    let pos = |t: &str| hub.find(t).unwrap_or_else(|| panic!("{t} missing: {hub}"));
    assert!(pos("Happening now") < pos("Social media week"));
    assert!(pos("Social media week") < pos("Coming up"));
    assert!(pos("Coming up") < pos("Next thing"));
    assert!(pos("Next thing") < pos("Past campaigns"));
    assert!(pos("Past campaigns") < pos("Old thing"));
    let home = s.read("public/www/index.html");
    assert!(
        home.contains("Social media week") && home.contains("Next thing"),
        "{home}"
    );
    assert!(!home.contains("Old thing"), "{home}");
}

#[test]
fn staff_replies_never_reach_a_public_output() {
    let s = site_with_campaign();
    s.build_ok(&["--now", "2026-10-25"]);
    for (path, bytes) in s.tree("public/www") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("quartz-otter"),
            "a staff reply leaked into public/www/{path}"
        );
        assert!(
            !text.contains("Someone complains"),
            "a staff reply leaked into public/www/{path}"
        );
    }
    let intranet = s.read("public/intranet/campaigns/some-week/index.html");
    assert!(intranet.contains("quartz-otter"), "{intranet}");
    assert!(intranet.contains("Signpost: PALS"), "{intranet}");
}

#[test]
fn over_length_post_is_an_error_naming_file_post_and_excess() {
    let s = site_with_campaign();
    let long = "a".repeat(270);
    s.write(
        "content/campaigns/long.md",
        &format!("---\ntitle: Long\naudience: public\nhashtag: \"#Long\"\nstarts: 2026-01-01\nends: 2026-01-02\nposts:\n  - text: \"{long} https://example.org/x 🎉🎉\"\n    platforms: [x]\n---\n"),
    );
    let r = s.build_fails();
    // 270 + 1 space + 23 (URL) + 1 space + 2 × 2 (emoji) = 299: 19 over.
    assert!(
        r.stderr.contains(
            "content/campaigns/long.md:8:5: post 1 is 299 characters on X, 19 over its limit of 280"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("every link counts as 23"), "{}", r.stderr);
}

#[test]
fn platform_limits_can_be_overridden_in_site_yaml() {
    let s = site_with_campaign();
    let yaml = s.read("site.yaml") + "platforms:\n  linkedin: { max: 20 }\n";
    s.write("site.yaml", &yaml);
    let r = s.build_fails();
    assert!(
        r.stderr
            .contains("post 2 is 42 characters on LinkedIn, 22 over its limit of 20"),
        "{}",
        r.stderr
    );
}

#[test]
fn campaign_field_errors_have_lines() {
    let s = Site::new();
    s.write(
        "content/campaigns/bad.md",
        "---\ntitle: Bad\nhashtag: \"#1bad\"\nstarts: 2026-05-10\nends: 2026-05-01\nevents:\n  - title: No place\n    starts: 2026-05-02 10:00\n  - starts: tomorrow\n    location: Here\nposts:\n  - text: Hi\n    platforms: [myspace]\n    image: missing.png\n---\n",
    );
    let r = s.build_fails();
    for want in [
        "content/campaigns/bad.md:3:1: `#1bad` is not a hashtag",
        "content/campaigns/bad.md:5:1: the campaign ends (2026-05-01) before it starts (2026-05-10)",
        "content/campaigns/bad.md:7:3: event 1 needs a `location` or an `online` link",
        "content/campaigns/bad.md:9:5: `starts`: `tomorrow` is not a date",
        "content/campaigns/bad.md:13:5: post 1: `myspace` is not a platform Guidepost knows",
        "content/campaigns/bad.md:14:5: post 1 has an `image` but no `image_alt`",
        "content/campaigns/bad.md:14:5: the image `missing.png` does not exist",
    ] {
        assert!(
            r.stderr.contains(want),
            "missing {want:?} in:\n{}",
            r.stderr
        );
    }
}

#[test]
fn unquoted_hashtag_gets_a_yaml_hint() {
    let s = Site::new();
    s.write(
        "content/campaigns/c.md",
        "---\ntitle: C\nhashtag: #Oops\nstarts: 2026-05-01\nends: 2026-05-02\n---\n",
    );
    let r = s.build_fails();
    assert!(
        r.stderr
            .contains("content/campaigns/c.md:1:1: this campaign has no `hashtag`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("write the hashtag in quotes"),
        "{}",
        r.stderr
    );
}

#[test]
fn hashtags_get_pages_per_output_with_the_most_used_spelling() {
    let s = site_with_campaign();
    s.write("content/a.md", "---\ntitle: A\naudience: public\n---\nWe love #someweek and #SoMeWeek, not `#code` or C#.\n");
    s.write(
        "content/b.md",
        "---\ntitle: B\naudience: public\nhashtags: [\"#SoMeWeek\"]\n---\nPlain.\n",
    );
    s.write(
        "content/secret.md",
        "---\ntitle: Secret\naudience: staff\n---\nOnly #StaffOnlyTag here.\n",
    );
    s.build_ok(&["--now", "2026-10-25"]);
    let tag = s.read("public/www/hashtags/someweek/index.html");
    assert!(
        tag.contains("<h1 class=\"gp-heading-xl\">#SoMeWeek</h1>"),
        "{tag}"
    );
    assert!(
        tag.contains("Social media week"),
        "the campaign is shown: {tag}"
    );
    assert!(tag.contains(">A</a>") && tag.contains(">B</a>"), "{tag}");
    let index = s.read("public/www/hashtags/index.html");
    assert!(index.contains("#SoMeWeek"), "{index}");
    assert!(!s.exists("public/www/hashtags/code/index.html"));
    assert!(!s.exists("public/www/hashtags/stafftag/index.html"));
    assert!(!s.exists("public/www/hashtags/staffonlytag/index.html"));
    assert!(s.exists("public/intranet/hashtags/staffonlytag/index.html"));
    assert!(!index.contains("StaffOnlyTag"), "{index}");
    let a = s.read("public/www/a/index.html");
    assert!(
        a.contains("<a href=\"/social/hashtags/someweek/\">#someweek</a>"),
        "writer's case kept: {a}"
    );
    assert!(a.contains("<code>#code</code>"), "{a}");
}

#[test]
fn handles_link_to_the_directory_then_the_default_platform() {
    let s = site_with_campaign();
    s.write(
        "content/_data/accounts.yaml",
        "- platform: x\n  handle: RiversideNHS\n  name: Riverside on X\n  url: https://x.com/RiversideNHS?lang=en\n  monitored: Weekdays\n  response_time: 1 day\n- platform: facebook\n  handle: riverside.staff\n  name: Lilac-Badger staff group\n  owner: service\n  audience: staff\n",
    );
    s.write("content/people.md", "---\ntitle: People\naudience: public\ntemplate: accounts\n---\nAsk @someone_else or email comms@example.org.\n");
    let yaml = s.read("site.yaml") + "default_platform: bluesky\n";
    s.write("site.yaml", &yaml);
    s.build_ok(&["--now", "2026-10-25"]);
    let c = s.read("public/www/campaigns/some-week/index.html");
    assert!(
        c.contains("<a href=\"https://x.com/RiversideNHS?lang=en\">@RiversideNHS</a>"),
        "{c}"
    );
    let p = s.read("public/www/people/index.html");
    assert!(
        p.contains("<a href=\"https://bsky.app/profile/someone_else\">@someone_else</a>"),
        "{p}"
    );
    assert!(
        p.contains("comms@example.org") && !p.contains("profile/example"),
        "{p}"
    );
    assert!(p.contains("Riverside on X"), "the directory is listed: {p}");
    assert!(
        !p.contains("Lilac-Badger"),
        "staff accounts stay off the public site: {p}"
    );
    assert!(
        s.read("public/intranet/people/index.html")
            .contains("Lilac-Badger")
    );
}

#[test]
fn accounts_directory_errors_name_file_and_line() {
    let s = Site::new();
    s.write(
        "content/_data/accounts.yaml",
        "- platform: x\n  handle: ok\n- platform: x\n  handel: typo\n",
    );
    let r = s.build_fails();
    assert!(
        r.stderr
            .contains("content/_data/accounts.yaml:4:3: unknown key `handel` in account 2"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("did you mean `handle`?"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/_data/accounts.yaml:3:1: account 2 has no `handle`"),
        "{}",
        r.stderr
    );
}

#[test]
fn calendars_are_valid_stable_and_in_local_time_across_a_clock_change() {
    use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime, EventLike};
    let s = site_with_campaign();
    s.build_ok(&["--now", "2026-10-25"]);
    let ics = s.read("public/www/campaigns/some-week/some-week.ics");
    assert!(
        ics.contains("\r\n") && !ics.replace("\r\n", "").contains('\n'),
        "CRLF line endings"
    );
    assert!(
        ics.lines().all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );
    assert!(
        ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/London"),
        "{ics}"
    );
    // British Summer Time ends on 25 October 2026 at 02:00 local.
    assert!(
        ics.contains("DTSTART:20261025T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000"),
        "{ics}"
    );
    let cal: Calendar = ics.parse().expect("parses as iCalendar");
    let events: Vec<_> = cal.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 2);
    let first = events[0];
    assert_eq!(first.get_summary(), Some("Tweetup in the atrium"));
    assert_eq!(first.get_location(), Some("Main atrium"));
    match first.get_start() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid })) => {
            assert_eq!(tzid, "Europe/London");
            assert_eq!(date_time.to_string(), "2026-10-24 10:00:00");
        }
        other => panic!("start: {other:?}"),
    }
    match events[1].get_start() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, .. })) => {
            assert_eq!(
                date_time.to_string(),
                "2026-10-26 10:00:00",
                "10am after the clock change is still 10am"
            );
        }
        other => panic!("start: {other:?}"),
    }
    assert!(
        first
            .get_uid()
            .unwrap()
            .starts_with("some-week-tweetup-in-the-atrium-")
    );
    // --now 2026-10-25 is midnight in London, 23:00 UTC the day before.
    assert!(
        ics.contains("DTSTAMP:20261024T230000Z"),
        "DTSTAMP from the build's now"
    );
    assert!(ics.contains("PRODID:-//Guidepost//"), "{ics}");
    // Every campaign's events in campaigns.ics; the same bytes when rebuilt.
    let all = s.read("public/www/campaigns.ics");
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 2);
    s.build_ok(&["--now", "2026-10-25"]);
    assert_eq!(s.read("public/www/campaigns/some-week/some-week.ics"), ics);
    // Staff campaigns' events stay off the public calendars.
    s.write(
        "content/campaigns/staff-flu.md",
        "---\ntitle: Staff flu jabs\naudience: staff\nhashtag: \"#FluFighters\"\nstarts: 2027-01-11\nends: 2027-01-20\nevents:\n  - title: Roving vaccinators\n    starts: 2027-01-12 09:00\n    location: Ward 4\n---\n",
    );
    s.build_ok(&["--now", "2026-10-25"]);
    assert!(!s.read("public/www/campaigns.ics").contains("Roving"));
    assert!(s.read("public/intranet/campaigns.ics").contains("Roving"));
    let public_files = tree(&s.path("public/www"));
    assert!(!public_files.keys().any(|k| k.contains("staff-flu")));
}

#[test]
fn campaigns_join_the_feed_once_started() {
    let s = site_with_campaign();
    s.build_ok(&["--now", "2026-10-01"]);
    assert!(!s.read("public/www/atom.xml").contains("Social media week"));
    s.build_ok(&["--now", "2026-10-24"]);
    let feed = s.read("public/www/atom.xml");
    assert!(feed.contains("<title>Social media week</title>"), "{feed}");
    assert!(
        feed.contains("<published>2026-10-23T00:00:00+01:00</published>"),
        "{feed}"
    );
}

#[test]
fn a_taxonomy_can_have_its_own_templates() {
    let s = site_with_campaign();
    s.write(
        "templates/hashtags/term.html",
        "hashtag page for #{{ term.name }} with {{ term.pages | length }} page(s)",
    );
    s.build_ok(&["--now", "2026-10-25"]);
    assert_eq!(
        s.read("public/www/hashtags/someweek/index.html"),
        "hashtag page for #SoMeWeek with 1 page(s)"
    );
    // Other taxonomies keep the theme's term.html.
    s.write(
        "content/t.md",
        "---\ntitle: T\naudience: public\ntags: [flu]\n---\n",
    );
    s.build_ok(&["--now", "2026-10-25"]);
    assert!(
        s.read("public/www/tags/flu/index.html")
            .contains("Pages tagged flu")
    );
}

#[test]
fn mentions_use_only_public_account_addresses_and_skip_mastodon_addresses() {
    let s = site_with_campaign();
    s.write(
        "content/_data/accounts.yaml",
        "- platform: facebook\n  handle: staffroom\n  name: Staff room group\n  url: https://www.facebook.com/groups/secret-staff-room\n  audience: staff\n",
    );
    s.write(
        "content/m.md",
        "---\ntitle: M\naudience: public\n---\nAsk @staffroom or @someone@mastodon.example.\n",
    );
    s.build_ok(&["--now", "2026-10-25"]);
    let html = s.read("public/www/m/index.html");
    assert!(!html.contains("secret-staff-room"), "{html}");
    assert!(
        html.contains("Ask @staffroom or"),
        "without a default platform the mention stays text: {html}"
    );
    assert!(
        html.contains("@someone@mastodon.example") && !html.contains("x.com/someone"),
        "{html}"
    );
}

#[test]
fn calendars_have_one_prodid_and_posts_keep_web_images() {
    let s = site_with_campaign();
    let page = s.read("content/campaigns/some-week.md").replace(
        "  - text: A longer post for LinkedIn about the week.\n    platforms: [linkedin]\n",
        "  - text: A longer post for LinkedIn about the week.\n    platforms: [linkedin]\n    image: https://www.example.nhs.uk/banner.png\n    image_alt: Our banner\n",
    );
    s.write("content/campaigns/some-week.md", &page);
    s.build_ok(&["--now", "2026-10-25"]);
    assert_eq!(
        s.read("public/www/campaigns.ics")
            .matches("PRODID:")
            .count(),
        1
    );
    assert!(
        s.read("public/www/campaigns/some-week/index.html")
            .contains("src=\"https://www.example.nhs.uk/banner.png\" alt=\"Our banner\"")
    );
}

#[test]
fn get_taxonomy_of_an_unused_taxonomy_is_empty() {
    let s = Site::new();
    s.write("templates/page.html", "{% set t = get_taxonomy(kind=\"tags\") %}{% set h = get_taxonomy(kind=\"hashtags\") %}tags: {{ t.terms | length }}, hashtags: {{ h.terms | length }}");
    s.write("content/a.md", "---\ntitle: A\naudience: public\n---\n");
    s.build_ok(&[]);
    assert_eq!(s.read("public/www/a/index.html"), "tags: 0, hashtags: 0");
}

/// site.yaml `features` leaves out hashtag pages and links, the search
/// index and page, the feed, the sitemap and robots.txt; a rebuild with
/// them switched off removes the files the last build wrote; everything
/// else (pages, tags, calendars, @handle links) is still made.
#[test]
fn features_switched_off_leave_out_their_files_and_links() {
    let s = site_with_campaign();
    let yaml = format!("{}default_platform: x\n", common::SITE_YAML);
    s.write("site.yaml", &yaml);
    s.write(
        "content/guidance/tagging.md",
        "---\ntitle: Tagging\naudience: public\ntags: [howto]\n---\nUse #SoMeWeek and #FluJab, and ask @RiversideNHS.\n",
    );
    let left_out = [
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "search-index.json",
        "search-index.js",
        "search/index.html",
        "hashtags/index.html",
        "hashtags/someweek/index.html",
        "hashtags/flujab/index.html",
    ];
    s.build_ok(&["--now", "2026-10-25 12:00"]);
    for f in left_out {
        assert!(
            s.exists(&format!("public/www/{f}")),
            "{f} is made by default"
        );
    }
    let page = s.read("public/www/guidance/tagging/index.html");
    assert!(
        page.contains("/social/hashtags/flujab/\">#FluJab</a>"),
        "{page}"
    );
    assert!(page.contains("action=\"/social/search/\""), "{page}");
    assert!(page.contains("application/atom+xml"), "{page}");

    s.write(
        "site.yaml",
        &format!(
            "{yaml}features:\n  hashtags: false\n  search: false\n  feed: false\n  sitemap: false\n  robots_txt: false\n"
        ),
    );
    s.build_ok(&["--now", "2026-10-25 12:00"]);
    for out in ["www", "intranet"] {
        for f in left_out {
            assert!(
                !s.exists(&format!("public/{out}/{f}")),
                "{out}: {f} is still there"
            );
        }
        assert!(s.exists(&format!("public/{out}/tags/howto/index.html")));
        assert!(s.exists(&format!("public/{out}/campaigns.ics")));
        let html = s.read(&format!("public/{out}/guidance/tagging/index.html"));
        assert!(
            html.contains("<p>Use #SoMeWeek and #FluJab, and ask <a href=\"https://x.com/RiversideNHS\">@RiversideNHS</a>.</p>"),
            "{html}"
        );
        assert!(!html.contains("hashtags/"), "{html}");
        assert!(!html.contains("role=\"search\""), "{html}");
        assert!(!html.contains("atom"), "{html}");
        let campaign = s.read(&format!("public/{out}/campaigns/some-week/index.html"));
        assert!(
            campaign.contains("<span class=\"gp-hashtag gp-hashtag--large\">#SoMeWeek</span>"),
            "{campaign}"
        );
        assert!(!campaign.contains("hashtags/"), "{campaign}");
        let missing = s.read(&format!("public/{out}/404.html"));
        assert!(!missing.contains("role=\"search\""), "{missing}");
    }
}

/// Without a sitemap, robots.txt does not point search engines at one.
#[test]
fn robots_txt_names_the_sitemap_only_when_there_is_one() {
    let s = Site::new();
    s.build_ok(&[]);
    assert!(
        s.read("public/www/robots.txt")
            .contains("Sitemap: https://www.example.nhs.uk/social/sitemap.xml")
    );
    s.write(
        "site.yaml",
        &format!("{}features:\n  sitemap: false\n", common::SITE_YAML),
    );
    s.build_ok(&[]);
    assert_eq!(s.read("public/www/robots.txt"), "User-agent: *\nAllow: /\n");
    assert!(!s.exists("public/www/sitemap.xml"));
    assert!(s.exists("public/www/atom.xml"));
    assert!(s.exists("public/www/search-index.json"));
}

/// Each feature switched off alone leaves out its own files and no other's.
#[test]
fn each_feature_leaves_out_only_its_own_files() {
    let s = site_with_campaign();
    let made: [(&str, &[&str]); 5] = [
        (
            "hashtags",
            &["hashtags/index.html", "hashtags/someweek/index.html"],
        ),
        (
            "search",
            &["search/index.html", "search-index.json", "search-index.js"],
        ),
        ("feed", &["atom.xml"]),
        ("sitemap", &["sitemap.xml"]),
        ("robots_txt", &["robots.txt"]),
    ];
    for (off, _) in made {
        s.write(
            "site.yaml",
            &format!("{}features:\n  {off}: false\n", common::SITE_YAML),
        );
        s.build_ok(&["--now", "2026-10-25 12:00"]);
        for (feature, files) in made {
            for f in files {
                assert_eq!(
                    s.exists(&format!("public/www/{f}")),
                    feature != off,
                    "with {off} off: {f}"
                );
            }
        }
    }
}
