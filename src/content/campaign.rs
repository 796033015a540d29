//! Campaign pages (`content/campaigns/*.md`): the hashtag, dates, goals,
//! events, ready-to-share posts and replies for staff on duty, typed and
//! checked from the page's front matter.

use std::path::Path;

use serde_json::Value;

use crate::config::SiteConfig;
use crate::content::dates::{self, Dated};
use crate::content::front_matter::{Locator, is_hashtag};
use crate::content::markdown::{self, LinkKind, LinkRef, Rendered};
use crate::diagnostics::{Diagnostic, Diagnostics, Id, Location, ids};
use crate::suggest::did_you_mean;
use crate::yaml::{self, Map};

pub const KEYS: &[&str] = &[
    "hashtag",
    "starts",
    "ends",
    "channels",
    "goals",
    "events",
    "posts",
    "responses",
];
const GOAL_KEYS: &[&str] = &["metric", "target", "result"];
const EVENT_KEYS: &[&str] = &[
    "title",
    "starts",
    "ends",
    "location",
    "online",
    "description",
];
const POST_KEYS: &[&str] = &["text", "platforms", "image", "image_alt", "link"];
const RESPONSE_KEYS: &[&str] = &["situation", "reply", "signpost"];

#[derive(Debug, Clone)]
pub struct Goal {
    pub metric: String,
    pub target: f64,
    pub result: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct CampaignEvent {
    pub title: String,
    pub starts: Dated,
    pub ends: Option<Dated>,
    pub location: Option<String>,
    pub online: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PostPlatform {
    pub id: String,
    pub name: String,
    pub count: usize,
    pub max: usize,
    pub share_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Post {
    pub text: String,
    pub platforms: Vec<PostPlatform>,
    /// Index in the page's `rendered.links` of the post's image.
    pub image_link: Option<usize>,
    pub image_alt: Option<String>,
    /// The image as written (a web address is used as it is).
    pub image: Option<String>,
    pub link: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub situation: String,
    pub reply: String,
    pub signpost: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Campaign {
    pub hashtag: String,
    pub starts: Dated,
    pub ends: Dated,
    pub channels: Vec<String>,
    pub goals: Vec<Goal>,
    pub events: Vec<CampaignEvent>,
    pub posts: Vec<Post>,
    pub responses: Vec<Response>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Upcoming,
    Live,
    Ended,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Upcoming => "upcoming",
            Status::Live => "live",
            Status::Ended => "ended",
        }
    }
}

impl Campaign {
    /// Upcoming before `starts`, live until the end of `ends` (the whole
    /// day when `ends` is a date), ended after.
    pub fn status(&self, now: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> Status {
        if now < self.starts.instant {
            Status::Upcoming
        } else if now < end_instant(&self.ends, tz) {
            Status::Live
        } else {
            Status::Ended
        }
    }
}

/// The first instant after a date or time: a plain date lasts all day.
pub fn end_instant(d: &Dated, tz: &jiff::tz::TimeZone) -> jiff::Timestamp {
    if d.date_only {
        d.civil_date(tz)
            .tomorrow()
            .ok()
            .and_then(|t| t.to_zoned(tz.clone()).ok())
            .map_or(d.instant, |z| z.timestamp())
    } else {
        d.instant
    }
}

/// What a kind's parser needs to know about the page it reads.
pub struct KindInput<'a> {
    pub config: &'a SiteConfig,
    pub loc: &'a Locator<'a>,
    pub content_dir: &'a Path,
    pub dir_rel: &'a str,
    /// Linked files already checked in this build.
    pub files: &'a markdown::FileCache,
}

struct Reader<'a, 'd> {
    input: &'a KindInput<'a>,
    diags: &'d mut Diagnostics,
}

impl Reader<'_, '_> {
    fn error(&mut self, id: Id, loc: Location, message: String, hint: &str) {
        self.diags
            .push(Diagnostic::error(id, message).at(loc).hint(hint));
    }

    fn text(&mut self, map: &Map, key: &str, loc: impl Fn(&str) -> Location) -> Option<String> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(other) => {
                self.error(ids::WRONG_KIND_OF_VALUE, loc(key), format!("`{key}` should be text, found a {}", yaml::kind_name(other)), "write the text after the colon, in quotes if it contains `: ` or starts with `#`");
                None
            }
        }
    }

    fn date(&mut self, map: &Map, key: &str, loc: impl Fn(&str) -> Location) -> Option<Dated> {
        let v = map.get(key)?;
        let parsed = match v {
            Value::String(s) => dates::parse(s, &self.input.config.timezone),
            Value::Null => return None,
            other => Err(format!("`{}` is not a date", other)),
        };
        match parsed {
            Ok(d) => Some(d),
            Err(msg) => {
                self.diags.push(
                    Diagnostic::error(ids::INVALID_DATE, format!("`{key}`: {msg}"))
                        .at(loc(key))
                        .hint(dates::DATE_HINT),
                );
                None
            }
        }
    }

    fn unknown_keys(
        &mut self,
        map: &Map,
        known: &[&str],
        what: &str,
        loc: impl Fn(&str) -> Location,
    ) {
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                let hint = did_you_mean(key, known)
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("{what} take: {}", known.join(", ")));
                self.error(
                    ids::UNKNOWN_SETTING,
                    loc(key),
                    format!("unknown key `{key}` in {what}"),
                    &hint,
                );
            }
        }
    }

    /// The items of a list key, each a map; reports items that are not.
    fn items<'v>(&mut self, fields: &'v Map, key: &str) -> Vec<(usize, &'v Map)> {
        match fields.get(key) {
            None | Some(Value::Null) => vec![],
            Some(Value::Array(items)) => {
                let mut out = vec![];
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::Object(m) => out.push((i, m)),
                        _ => {
                            let loc = self.input.loc.item(key, i, None);
                            self.error(
                                ids::WRONG_KIND_OF_VALUE,
                                loc,
                                format!(
                                    "item {} of `{key}` should be a set of `key: value` pairs",
                                    i + 1
                                ),
                                "indent each item's keys under its `- `",
                            );
                        }
                    }
                }
                out
            }
            Some(other) => {
                let loc = self.input.loc.key(key);
                self.error(
                    ids::WRONG_KIND_OF_VALUE,
                    loc,
                    format!(
                        "`{key}` should be a list, found a {}",
                        yaml::kind_name(other)
                    ),
                    "start each item on its own line with `- `",
                );
                vec![]
            }
        }
    }
}

/// Types a campaign's fields. `None` when the campaign is unusable (no
/// hashtag or dates); every problem is reported either way.
pub fn parse(
    input: &KindInput<'_>,
    fields: &Map,
    rendered: &mut Rendered,
    diags: &mut Diagnostics,
) -> Option<Campaign> {
    let loc = input.loc;
    let mut r = Reader { input, diags };
    let top = |k: &str| loc.key(k);

    let hashtag = match r.text(fields, "hashtag", top) {
        Some(h) => {
            let h = if h.starts_with('#') {
                h
            } else {
                format!("#{h}")
            };
            if is_hashtag(&h) {
                Some(h)
            } else {
                r.error(ids::INVALID_HASHTAG, loc.key("hashtag"), format!("`{h}` is not a hashtag"), "a hashtag is `#` then letters, digits or `_`, starting with a letter; write it in quotes: `hashtag: \"#SoMeWeek\"`");
                None
            }
        }
        None => {
            let hint = if fields.contains_key("hashtag") {
                "in YAML `#` starts a comment: write the hashtag in quotes, `hashtag: \"#SoMeWeek\"`"
            } else {
                "add the campaign's hashtag in quotes: `hashtag: \"#SoMeWeek\"`"
            };
            r.error(
                ids::MISSING_HASHTAG,
                Location::at_line_col(loc.file, loc.text, 1, 1, 3),
                "this campaign has no `hashtag`".into(),
                hint,
            );
            None
        }
    };
    let starts = r.date(fields, "starts", top);
    let ends = r.date(fields, "ends", top);
    for (key, val) in [("starts", &starts), ("ends", &ends)] {
        if val.is_none() && !fields.contains_key(key) {
            r.error(ids::MISSING_CAMPAIGN_DATES, Location::at_line_col(loc.file, loc.text, 1, 1, 3), format!("this campaign has no `{key}` date"), "campaigns need `starts` and `ends` dates, e.g. `starts: 2026-08-03` and `ends: 2026-08-07`");
        }
    }
    if let (Some(s), Some(e)) = (&starts, &ends)
        && e.instant < s.instant
    {
        r.diags.push(
            Diagnostic::error(
                ids::CAMPAIGN_DATES,
                format!("the campaign ends ({}) before it starts ({})", e.iso, s.iso),
            )
            .at(loc.key("ends"))
            .hint("check the `starts` and `ends` dates"),
        );
    }

    let platform_ids: Vec<&str> = input
        .config
        .platforms
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let mut channels = vec![];
    match fields.get("channels") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                match item.as_str().map(str::to_lowercase) {
                    Some(c) if platform_ids.contains(&c.as_str()) => channels.push(c),
                    other => {
                        let c = other.unwrap_or_else(|| item.to_string());
                        let hint = match did_you_mean(&c, &platform_ids) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("use platform ids: {}", platform_ids.join(", ")),
                        };
                        r.error(
                            ids::UNKNOWN_PLATFORM,
                            loc.key("channels"),
                            format!("`{c}` is not a platform Guidepost knows"),
                            &hint,
                        );
                    }
                }
            }
        }
        Some(_) => r.error(
            ids::WRONG_KIND_OF_VALUE,
            loc.key("channels"),
            "`channels` should be a list".into(),
            "e.g. `channels: [x, facebook]`",
        ),
    }

    let mut goals = vec![];
    for (i, g) in r.items(fields, "goals") {
        let at = |k: &str| loc.item("goals", i, Some(k));
        r.unknown_keys(g, GOAL_KEYS, "goals", at);
        let metric = r.text(g, "metric", at);
        let number = |k: &str| g.get(k).and_then(Value::as_f64);
        let target = number("target");
        if metric.is_none() {
            r.error(
                ids::INVALID_GOAL,
                loc.item("goals", i, None),
                format!("goal {} has no `metric`: what is being counted", i + 1),
                "e.g. `metric: New followers`",
            );
        }
        if target.is_none() {
            r.error(
                ids::INVALID_GOAL,
                loc.item("goals", i, Some("target")),
                format!("goal {} needs a number for `target`", i + 1),
                "e.g. `target: 100`",
            );
        }
        if g.get("result").is_some_and(|v| !v.is_null()) && number("result").is_none() {
            r.error(
                ids::INVALID_GOAL,
                at("result"),
                format!("goal {}: `result` should be a number", i + 1),
                "e.g. `result: 350`, or remove it until the campaign has ended",
            );
        }
        if let (Some(metric), Some(target)) = (metric, target) {
            goals.push(Goal {
                metric,
                target,
                result: number("result"),
            });
        }
    }

    let mut events = vec![];
    for (i, e) in r.items(fields, "events") {
        let at = |k: &str| loc.item("events", i, Some(k));
        r.unknown_keys(e, EVENT_KEYS, "events", at);
        let title = r.text(e, "title", at);
        let ev_starts = r.date(e, "starts", at);
        let ev_ends = r.date(e, "ends", at);
        let location = r.text(e, "location", at);
        let online = r.text(e, "online", at);
        let description = r.text(e, "description", at);
        if title.is_none() {
            r.error(
                ids::INVALID_EVENT,
                loc.item("events", i, None),
                format!("event {} has no `title`", i + 1),
                "e.g. `title: Tweetup in the main atrium`",
            );
        }
        if ev_starts.is_none() && !e.contains_key("starts") {
            r.error(
                ids::INVALID_EVENT,
                loc.item("events", i, None),
                format!("event {} has no `starts` date and time", i + 1),
                "e.g. `starts: 2026-08-05 12:00`",
            );
        }
        if location.is_none() && online.is_none() {
            r.error(
                ids::INVALID_EVENT,
                loc.item("events", i, None),
                format!("event {} needs a `location` or an `online` link", i + 1),
                "e.g. `location: Main atrium, Riverside General Hospital` or `online: https://…`",
            );
        }
        if let Some(o) = &online
            && !markdown::is_external(o)
        {
            r.error(
                ids::INVALID_WEB_ADDRESS,
                at("online"),
                format!("`{o}` is not a web address"),
                "write the full address, starting with https://",
            );
        }
        if let (Some(s), Some(en)) = (&ev_starts, &ev_ends)
            && en.instant < s.instant
        {
            r.error(
                ids::INVALID_EVENT,
                at("ends"),
                format!("event {} ends before it starts", i + 1),
                "check the event's `starts` and `ends`",
            );
        }
        if let (Some(s), Some(cs), Some(ce)) = (&ev_starts, &starts, &ends)
            && (s.instant < cs.instant || s.instant >= end_instant(ce, &input.config.timezone))
        {
            r.diags.push(
                Diagnostic::warning(
                    ids::EVENT_DATES,
                    format!(
                        "event {} is outside the campaign's dates ({} to {})",
                        i + 1,
                        cs.iso,
                        ce.iso
                    ),
                )
                .at(at("starts"))
                .hint("move the event, or change the campaign's `starts`/`ends`"),
            );
        }
        if let (Some(title), Some(starts)) = (title, ev_starts) {
            events.push(CampaignEvent {
                title,
                starts,
                ends: ev_ends,
                location,
                online,
                description,
            });
        }
    }
    events.sort_by_key(|e| e.starts.instant);

    let mut posts = vec![];
    for (i, p) in r.items(fields, "posts") {
        let at = |k: &str| loc.item("posts", i, Some(k));
        r.unknown_keys(p, POST_KEYS, "posts", at);
        let text = r.text(p, "text", at);
        let link = r.text(p, "link", at);
        let image = r.text(p, "image", at);
        let image_alt = r.text(p, "image_alt", at);
        let mut platforms = vec![];
        let ids: Vec<String> = match p.get("platforms") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_lowercase))
                .collect(),
            Some(Value::String(s)) => vec![s.to_lowercase()],
            _ => vec![],
        };
        if ids.is_empty() {
            r.error(
                ids::INVALID_POST,
                loc.item("posts", i, Some("platforms")),
                format!("post {} needs `platforms`: where it is meant to go", i + 1),
                "e.g. `platforms: [x, bluesky]`",
            );
        }
        let Some(text) = text else {
            r.error(
                ids::INVALID_POST,
                loc.item("posts", i, None),
                format!("post {} has no `text`", i + 1),
                "write the text of the post after `text:`",
            );
            continue;
        };
        for id in ids {
            let Some(pl) = input.config.platforms.iter().find(|x| x.id == id) else {
                let hint = match did_you_mean(&id, &platform_ids) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("use platform ids: {}", platform_ids.join(", ")),
                };
                r.error(
                    ids::UNKNOWN_PLATFORM,
                    at("platforms"),
                    format!("post {}: `{id}` is not a platform Guidepost knows", i + 1),
                    &hint,
                );
                continue;
            };
            let count = pl.count(&text);
            if count > pl.max {
                r.error(
                    ids::POST_TOO_LONG,
                    at("text"),
                    format!("post {} is {count} characters on {}, {} over its limit of {}", i + 1, pl.name, count - pl.max, pl.max),
                    if pl.counting == crate::content::platforms::Counting::Weighted {
                        "shorten the text; on X every link counts as 23 characters and every emoji as 2"
                    } else {
                        "shorten the text, or post it only on platforms that allow longer posts"
                    },
                );
            }
            platforms.push(PostPlatform {
                id: pl.id.clone(),
                name: pl.name.clone(),
                count,
                max: pl.max,
                share_url: pl.share_url(&text, link.as_deref()),
            });
        }
        let image_link = match &image {
            None => None,
            Some(img) => {
                if image_alt.is_none() {
                    r.error(
                        ids::MISSING_IMAGE_ALT,
                        at("image"),
                        format!("post {} has an `image` but no `image_alt`", i + 1),
                        "describe the image for people who cannot see it: `image_alt: …`",
                    );
                }
                resolve_image(input, img, at("image"), rendered, r.diags).map(|(link, _)| link)
            }
        };
        posts.push(Post {
            text,
            platforms,
            image_link,
            image_alt,
            image,
            link,
        });
    }

    let mut responses = vec![];
    for (i, resp) in r.items(fields, "responses") {
        let at = |k: &str| loc.item("responses", i, Some(k));
        r.unknown_keys(resp, RESPONSE_KEYS, "responses", at);
        let situation = r.text(resp, "situation", at);
        let reply = r.text(resp, "reply", at);
        let signpost = r.text(resp, "signpost", at);
        match (situation, reply) {
            (Some(situation), Some(reply)) => responses.push(Response {
                situation,
                reply,
                signpost,
            }),
            _ => r.error(
                ids::INVALID_RESPONSE,
                loc.item("responses", i, None),
                format!("response {} needs `situation` and `reply`", i + 1),
                "`situation`: when to use it; `reply`: the text to post",
            ),
        }
    }

    Some(Campaign {
        hashtag: hashtag?,
        starts: starts?,
        ends: ends?,
        channels,
        goals,
        events,
        posts,
        responses,
    })
}

/// A local image (relative to the page, or `/`-rooted in content/ or
/// static/), checked like any linked file (exists, inside the site, not
/// empty or too big) and recorded as a link of the page so outputs copy
/// it. Returns the link's index and the image's width and height.
pub fn resolve_image(
    input: &KindInput<'_>,
    image: &str,
    location: Location,
    rendered: &mut Rendered,
    diags: &mut Diagnostics,
) -> Option<(usize, Option<(u32, u32)>)> {
    if markdown::is_external(image) {
        return None;
    }
    let ext = std::path::Path::new(image)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let static_dir = input.config.root.join("static");
    let checked = markdown::resolve_relative(input.dir_rel, image).map(|target| {
        let check = input.files.check(
            input.content_dir,
            Some(&static_dir),
            &target,
            image.starts_with('/'),
            &ext,
            input.config.max_file_size,
        );
        (target, check)
    });
    let (id, problem) = match checked {
        Some((
            target,
            markdown::FileCheck::Ok {
                in_static, dims, ..
            },
        )) => {
            let kind = if in_static {
                LinkKind::Static { path: target }
            } else {
                LinkKind::File { target }
            };
            rendered.links.push(LinkRef::known(kind, location));
            return Some((rendered.links.len() - 1, dims));
        }
        Some((_, markdown::FileCheck::Outside)) => (
            ids::SYMLINK_OUTSIDE_SITE,
            format!("the image `{image}` is a link to a file outside the site"),
        ),
        Some((_, markdown::FileCheck::Bad(id, problem, shown))) => {
            (id, format!("{problem}: {shown}"))
        }
        Some((_, markdown::FileCheck::Missing)) | None => (
            ids::MISSING_IMAGE,
            format!("the image `{image}` does not exist"),
        ),
    };
    diags.push(Diagnostic::error(id, problem).at(location).hint(format!(
        "the path is relative to {}; start it with / to look in content/ and static/",
        input.loc.file
    )));
    None
}
