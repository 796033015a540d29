//! site.yaml: parsed, validated and turned into [`SiteConfig`].
//!
//! Every problem is reported with its line in site.yaml; unknown keys get a
//! "did you mean" suggestion because a typo in a config key otherwise fails
//! silently.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Id, Location, ids};
use crate::suggest::did_you_mean;
use crate::yaml::{self, Map};

pub const CONFIG_FILE: &str = "site.yaml";

/// Who a page is for. Outputs list the audiences they include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Public,
    Staff,
}

impl Audience {
    pub const ALL: [&'static str; 2] = ["public", "staff"];

    pub fn parse(s: &str) -> Option<Audience> {
        match s {
            "public" => Some(Audience::Public),
            "staff" => Some(Audience::Staff),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Staff => "staff",
        }
    }
}

#[derive(Debug, Clone)]
pub struct OutputConfig {
    pub name: String,
    pub audiences: Vec<Audience>,
    /// Relative to the site root, as written in site.yaml.
    pub dir: PathBuf,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`, e.g. `/social-media/`.
    pub base_path: String,
    pub relative_urls: bool,
    pub noindex: bool,
}

impl OutputConfig {
    pub fn includes(&self, audience: Audience) -> bool {
        self.audiences.contains(&audience)
    }
}

/// What a build makes besides the pages (site.yaml `features`): all on
/// unless switched off, so a site that says nothing gets everything SPEC
/// §5 lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    /// `#Hashtag` in text links to a hashtag page, and hashtag pages are made.
    pub hashtags: bool,
    /// search-index.json, search-index.js and the search page.
    pub search: bool,
    /// atom.xml.
    pub feed: bool,
    /// sitemap.xml.
    pub sitemap: bool,
    /// robots.txt.
    pub robots_txt: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            hashtags: true,
            search: true,
            feed: true,
            sitemap: true,
            robots_txt: true,
        }
    }
}

impl Features {
    pub const NAMES: &'static [&'static str] =
        &["hashtags", "search", "feed", "sitemap", "robots_txt"];

    fn slot(&mut self, name: &str) -> Option<&mut bool> {
        match name {
            "hashtags" => Some(&mut self.hashtags),
            "search" => Some(&mut self.search),
            "feed" => Some(&mut self.feed),
            "sitemap" => Some(&mut self.sitemap),
            "robots_txt" => Some(&mut self.robots_txt),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub root: PathBuf,
    pub title: String,
    pub organisation: String,
    pub language: String,
    pub timezone: jiff::tz::TimeZone,
    pub timezone_name: String,
    pub theme: String,
    pub default_audience: Audience,
    pub default_platform: Option<String>,
    pub outputs: Vec<OutputConfig>,
    /// Post length limits and counting, built-in defaults with site.yaml's
    /// `platforms` applied.
    pub platforms: Vec<crate::content::platforms::Platform>,
    /// Front matter list keys that get index and term pages.
    pub taxonomies: Vec<String>,
    pub extra: Map,
    /// The share-card image for pages without their own: a web address or
    /// a path in static/.
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// Linked documents and images larger than this (bytes) are an error.
    pub max_file_size: u64,
    /// Phrases that only staff material contains; an output without the
    /// staff audience that contains one fails to build.
    pub staff_markers: Vec<String>,
    /// `check: { disable: [rule-id] }`: content rules switched off site-wide.
    pub check_disable: Vec<String>,
    pub features: Features,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "organisation",
    "language",
    "timezone",
    "theme",
    "default_audience",
    "default_platform",
    "outputs",
    "platforms",
    "taxonomies",
    "extra",
    "image",
    "image_alt",
    "max_file_size",
    "staff_markers",
    "check",
    "features",
];
const OUTPUT_KEYS: &[&str] = &["audiences", "dir", "base_url", "relative_urls", "noindex"];

/// Reads and validates `root/site.yaml`. Problems go into `diags`; `None`
/// when the config is unusable.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let path = root.join(CONFIG_FILE);
    let src = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    if e.kind() == std::io::ErrorKind::NotFound {
                        ids::NO_SITE_YAML
                    } else {
                        ids::CANNOT_READ
                    },
                    format!("cannot read {CONFIG_FILE}: {e}"),
                )
                .at(Location::file_only(CONFIG_FILE))
                .hint("run guidepost in a site folder, or pass --root DIR"),
            );
            return None;
        }
    };
    parse(root, &src, diags)
}

pub fn parse(root: &Path, src: &str, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let map = match yaml::parse_map(src) {
        Ok(m) => m,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    ids::YAML_SYNTAX,
                    format!("site.yaml is not valid YAML: {}", e.message),
                )
                .at(Location::at_line_col(CONFIG_FILE, src, e.line, e.col, 1))
                .hint("each line is `key: value`; indent nested keys with spaces, not tabs"),
            );
            return None;
        }
    };
    let mut c = ConfigReader {
        src,
        diags,
        ok: true,
    };

    for key in map.keys() {
        if !TOP_KEYS.contains(&key.as_str()) {
            c.error_at(
                ids::UNKNOWN_SETTING,
                &[key],
                format!("unknown setting `{key}`"),
                did_you_mean(key, TOP_KEYS)
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("known settings: {}", TOP_KEYS.join(", "))),
            );
        }
    }

    let title = c.string(&map, "title", true).unwrap_or_default();
    let organisation = c
        .string(&map, "organisation", false)
        .unwrap_or_else(|| title.clone());
    let language = c
        .string(&map, "language", false)
        .unwrap_or_else(|| "en-GB".into());
    let theme = c
        .string(&map, "theme", false)
        .unwrap_or_else(|| "nhs".into());
    let timezone_name = c
        .string(&map, "timezone", false)
        .unwrap_or_else(|| "Europe/London".into());
    // The copy of the time zone database built into Guidepost first: the
    // same rules on every computer, and no walk through the system's
    // zoneinfo folder (hundreds of files) before every build.
    let timezone = match jiff::tz::TimeZoneDatabase::bundled()
        .get(&timezone_name)
        .or_else(|_| jiff::tz::TimeZone::get(&timezone_name))
    {
        Ok(tz) => tz,
        Err(_) => {
            c.error_at(
                ids::UNKNOWN_TIME_ZONE,
                &["timezone"],
                format!("`{timezone_name}` is not a time zone name"),
                "use an IANA name such as Europe/London".into(),
            );
            jiff::tz::TimeZone::UTC
        }
    };

    let default_audience = match c.string(&map, "default_audience", false) {
        None => {
            c.error_at(
                ids::MISSING_SETTING,
                &[],
                "`default_audience` is missing".into(),
                "add `default_audience: staff` (safest: a page that says nothing is kept off the public site) or `default_audience: public`".into(),
            );
            Audience::Staff
        }
        Some(s) => match Audience::parse(&s) {
            Some(a) => a,
            None => {
                c.error_at(
                    ids::NOT_AN_AUDIENCE,
                    &["default_audience"],
                    format!("`{s}` is not an audience"),
                    "use `public` or `staff`".into(),
                );
                Audience::Staff
            }
        },
    };
    let default_platform = c.string(&map, "default_platform", false);
    if let Some(p) = &default_platform
        && !crate::content::platforms::known_ids().contains(&p.as_str())
    {
        c.error_at(
            ids::UNKNOWN_PLATFORM,
            &["default_platform"],
            format!("`{p}` is not a platform Guidepost knows"),
            format!(
                "use one of: {}",
                crate::content::platforms::known_ids().join(", ")
            ),
        );
    }

    let taxonomies = match map.get("taxonomies") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(items)) => {
            let mut out = vec![];
            for item in items {
                match item.as_str() {
                    Some(s) if is_simple_name(s) => out.push(s.to_string()),
                    _ => c.error_at(
                        ids::INVALID_TAXONOMY_NAME,
                        &["taxonomies"],
                        format!("`{}` is not a valid taxonomy name", show(item)),
                        "use lower-case words such as `tags`".into(),
                    ),
                }
            }
            out
        }
        Some(other) => {
            c.error_at(
                ids::WRONG_KIND_OF_VALUE,
                &["taxonomies"],
                format!(
                    "`taxonomies` should be a list, found a {}",
                    yaml::kind_name(other)
                ),
                "write it as `taxonomies: [tags]`".into(),
            );
            vec![]
        }
    };

    let image = c.string(&map, "image", false);
    let image_alt = c.string(&map, "image_alt", false);
    if let Some(img) = &image {
        let external = img.starts_with("https://") || img.starts_with("http://");
        let rel = img.trim_start_matches('/');
        if !external && (rel.contains("..") || !root.join("static").join(rel).is_file()) {
            c.error_at(
                ids::MISSING_SHARE_IMAGE,
                &["image"],
                format!("the share image `{img}` is not a file in static/"),
                "put the image in static/ (e.g. static/images/share.png) and write `image: images/share.png`".into(),
            );
        }
        if image_alt.is_none() {
            c.error_at(
                ids::MISSING_IMAGE_ALT,
                &["image"],
                "`image` needs `image_alt`: a description of the image".into(),
                "add `image_alt: …` describing what the image shows".into(),
            );
        }
    }
    let max_file_size = match map.get("max_file_size") {
        None | Some(Value::Null) => DEFAULT_MAX_FILE_SIZE,
        Some(v) => match parse_size(v) {
            Some(n) => n,
            None => {
                c.error_at(
                    ids::INVALID_FILE_SIZE,
                    &["max_file_size"],
                    format!("`{}` is not a file size", show(v)),
                    "write it as megabytes or kilobytes, e.g. `max_file_size: 10MB` or `max_file_size: 500KB`".into(),
                );
                DEFAULT_MAX_FILE_SIZE
            }
        },
    };
    let staff_markers = match map.get("staff_markers") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(items))
            if items
                .iter()
                .all(|i| i.as_str().is_some_and(|s| s.trim().len() >= 4)) =>
        {
            items
                .iter()
                .filter_map(|i| i.as_str())
                .map(|s| s.trim().to_string())
                .collect()
        }
        Some(_) => {
            c.error_at(
                ids::INVALID_STAFF_MARKERS,
                &["staff_markers"],
                "`staff_markers` should be a list of phrases of at least 4 characters".into(),
                "e.g. `staff_markers: [\"OFFICIAL-SENSITIVE\", \"Staff only:\"]`".into(),
            );
            vec![]
        }
    };
    let check_map = c.map(&map, "check");
    let mut check_disable = vec![];
    for (k, v) in &check_map {
        match (k.as_str(), v) {
            ("disable", Value::Array(ids)) => {
                check_disable = ids
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            }
            _ => c.error_at(
                ids::INVALID_CHECK_SETTING,
                &["check", k],
                format!("`check` takes `disable: [rule-id, …]`, not `{k}`"),
                "e.g. `check: { disable: [link-text] }`; rule ids are listed in docs/check.md"
                    .into(),
            ),
        }
    }
    let mut features = Features::default();
    for (k, v) in &c.map(&map, "features") {
        match (features.slot(k), v) {
            (Some(slot), Value::Bool(b)) => *slot = *b,
            (Some(_), other) => c.error_at(
                ids::WRONG_KIND_OF_VALUE,
                &["features", k],
                format!("`{k}` should be true or false, found `{}`", show(other)),
                format!("write `{k}: false` to leave it out, or remove the line to keep it"),
            ),
            (None, _) => c.error_at(
                ids::UNKNOWN_SETTING,
                &["features", k],
                format!("unknown feature `{k}`"),
                did_you_mean(k, Features::NAMES)
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("the features are {}", Features::NAMES.join(", "))),
            ),
        }
    }
    let platforms_map = c.map(&map, "platforms");
    let platforms = c.platforms(&platforms_map);
    let extra = c.map(&map, "extra");
    let outputs = c.outputs(root, &map);

    if !c.ok {
        return None;
    }
    Some(SiteConfig {
        root: root.to_path_buf(),
        title,
        organisation,
        language,
        timezone,
        timezone_name,
        theme,
        default_audience,
        default_platform,
        outputs,
        platforms,
        taxonomies,
        extra,
        image,
        image_alt,
        max_file_size,
        staff_markers,
        check_disable,
        features,
    })
}

/// 10 MB: large enough for a print-quality poster PDF, small enough to
/// download on a phone.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// `10MB`, `500KB`, `10 MB` or a plain number of megabytes.
fn parse_size(v: &Value) -> Option<u64> {
    if let Some(n) = v.as_f64() {
        return (n > 0.0).then_some((n * 1024.0 * 1024.0) as u64);
    }
    let s = v.as_str()?.trim().to_uppercase();
    let (num, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len()));
    let n: f64 = num.trim().parse().ok().filter(|n: &f64| *n > 0.0)?;
    let mult = match unit.trim() {
        "" | "MB" => 1024.0 * 1024.0,
        "KB" => 1024.0,
        "GB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some((n * mult) as u64)
}

fn is_simple_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

struct ConfigReader<'a> {
    src: &'a str,
    diags: &'a mut Diagnostics,
    ok: bool,
}

impl ConfigReader<'_> {
    fn location(&self, path: &[&str]) -> Location {
        match yaml::key_position(self.src, path) {
            Some((line, col)) if !path.is_empty() => {
                let len = path.last().map_or(1, |k| k.len());
                Location::at_line_col(CONFIG_FILE, self.src, line, col, len)
            }
            _ => Location::at_line_col(CONFIG_FILE, self.src, 1, 1, 1),
        }
    }

    fn error_at(&mut self, id: Id, path: &[&str], message: String, hint: String) {
        self.ok = false;
        let loc = self.location(path);
        self.diags
            .push(Diagnostic::error(id, message).at(loc).hint(hint));
    }

    fn string(&mut self, map: &Map, key: &str, required: bool) -> Option<String> {
        match map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.error_at(
                        ids::MISSING_SETTING,
                        &[],
                        format!("`{key}` is missing"),
                        format!("add a line `{key}: …` to site.yaml"),
                    );
                }
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => Some(v.to_string()),
            Some(other) => {
                self.error_at(
                    ids::WRONG_KIND_OF_VALUE,
                    &[key],
                    format!("`{key}` should be text, found a {}", yaml::kind_name(other)),
                    format!("write it as `{key}: some text`"),
                );
                None
            }
        }
    }

    fn map(&mut self, map: &Map, key: &str) -> Map {
        match map.get(key) {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m.clone(),
            Some(other) => {
                self.error_at(
                    ids::WRONG_KIND_OF_VALUE,
                    &[key],
                    format!(
                        "`{key}` should be a set of `key: value` pairs, found a {}",
                        yaml::kind_name(other)
                    ),
                    format!("indent the settings under `{key}:` on the lines below it"),
                );
                Map::new()
            }
        }
    }

    fn platforms(&mut self, map: &Map) -> Vec<crate::content::platforms::Platform> {
        use crate::content::platforms::{self, Counting, Platform};
        let mut list = platforms::defaults();
        for (id, value) in map {
            let Value::Object(o) = value else {
                self.error_at(
                    ids::WRONG_KIND_OF_VALUE,
                    &["platforms", id],
                    format!("platform `{id}` should be a set of `key: value` pairs"),
                    "e.g. `x: { max: 280, weighted: true }`".into(),
                );
                continue;
            };
            for key in o.keys() {
                if !["max", "weighted", "name"].contains(&key.as_str()) {
                    self.error_at(
                        ids::UNKNOWN_SETTING,
                        &["platforms", id, key],
                        format!("unknown setting `{key}` for platform `{id}`"),
                        "platforms take `max` (a number), `weighted` (true or false) and `name`"
                            .into(),
                    );
                }
            }
            let max = match o.get("max") {
                None => None,
                Some(v) => match v.as_u64() {
                    Some(n) if n > 0 => Some(n as usize),
                    _ => {
                        self.error_at(
                            ids::WRONG_KIND_OF_VALUE,
                            &["platforms", id, "max"],
                            format!("`max` for `{id}` should be a whole number above 0"),
                            "e.g. `max: 280`".into(),
                        );
                        None
                    }
                },
            };
            let weighted = o.get("weighted").and_then(Value::as_bool);
            let name = o.get("name").and_then(Value::as_str).map(str::to_string);
            let entry = match list.iter_mut().find(|p| &p.id == id) {
                Some(p) => p,
                None => {
                    if !is_simple_name(id) {
                        self.error_at(
                            ids::INVALID_PLATFORM_ID,
                            &["platforms", id],
                            format!("`{id}` is not a usable platform id"),
                            "use lower-case letters, e.g. `nextdoor`".into(),
                        );
                        continue;
                    }
                    list.push(Platform {
                        id: id.clone(),
                        name: id.clone(),
                        max: 0,
                        counting: Counting::Chars,
                    });
                    list.last_mut().expect("just pushed")
                }
            };
            if let Some(m) = max {
                entry.max = m;
            }
            if let Some(w) = weighted {
                entry.counting = if w {
                    Counting::Weighted
                } else {
                    Counting::Chars
                };
            }
            if let Some(n) = name {
                entry.name = n;
            }
            if entry.max == 0 {
                self.error_at(
                    ids::MISSING_SETTING,
                    &["platforms", id],
                    format!("the new platform `{id}` needs `max`: its post length limit"),
                    "e.g. `max: 500`".into(),
                );
            }
        }
        list
    }

    fn outputs(&mut self, root: &Path, map: &Map) -> Vec<OutputConfig> {
        let outputs = match map.get("outputs") {
            Some(Value::Object(m)) if !m.is_empty() => m,
            Some(Value::Object(_)) | None | Some(Value::Null) => {
                self.error_at(
                    ids::MISSING_SETTING,
                    &["outputs"],
                    "no `outputs` are configured, so there is nothing to build".into(),
                    "add `outputs:` with at least one output, e.g. `public: { audiences: [public], dir: public/www, base_url: https://example.org/ }`".into(),
                );
                return vec![];
            }
            Some(other) => {
                self.error_at(
                    ids::WRONG_KIND_OF_VALUE,
                    &["outputs"],
                    format!(
                        "`outputs` should be a set of named outputs, found a {}",
                        yaml::kind_name(other)
                    ),
                    "see docs/site-yaml.md for the layout".into(),
                );
                return vec![];
            }
        };
        let mut result: Vec<OutputConfig> = vec![];
        for (name, value) in outputs {
            let n = name.as_str();
            if !is_simple_name(n) {
                self.error_at(
                    ids::INVALID_OUTPUT_NAME,
                    &["outputs", n],
                    format!("`{n}` is not a usable output name"),
                    "use lower-case letters, digits and hyphens, e.g. `public` or `intranet`"
                        .into(),
                );
                continue;
            }
            let Value::Object(o) = value else {
                self.error_at(
                    ids::WRONG_KIND_OF_VALUE,
                    &["outputs", n],
                    format!("output `{n}` should be a set of `key: value` pairs"),
                    "give it `audiences`, `dir` and `base_url`".into(),
                );
                continue;
            };
            for key in o.keys() {
                if !OUTPUT_KEYS.contains(&key.as_str()) {
                    self.error_at(
                        ids::UNKNOWN_SETTING,
                        &["outputs", n, key],
                        format!("unknown setting `{key}` in output `{n}`"),
                        did_you_mean(key, OUTPUT_KEYS)
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| {
                                format!("known settings: {}", OUTPUT_KEYS.join(", "))
                            }),
                    );
                }
            }
            let mut audiences = vec![];
            match o.get("audiences") {
                Some(Value::Array(items)) if !items.is_empty() => {
                    for item in items {
                        match item.as_str().and_then(Audience::parse) {
                            Some(a) if !audiences.contains(&a) => audiences.push(a),
                            Some(_) => {}
                            None => self.error_at(
                                ids::NOT_AN_AUDIENCE,
                                &["outputs", n, "audiences"],
                                format!("`{}` is not an audience", show(item)),
                                "use `public` and/or `staff`".into(),
                            ),
                        }
                    }
                }
                _ => self.error_at(
                    ids::MISSING_SETTING,
                    &["outputs", n, "audiences"],
                    format!("output `{n}` needs `audiences`: a list of who it is for"),
                    "e.g. `audiences: [public]` or `audiences: [public, staff]`".into(),
                ),
            }
            let dir = match o.get("dir").and_then(Value::as_str) {
                Some(d) if safe_relative_dir(d) => PathBuf::from(d),
                Some(d) => {
                    self.error_at(
                        ids::OUTPUT_OUTSIDE_SITE,
                        &["outputs", n, "dir"],
                        format!("output folder `{d}` must be a folder inside the site"),
                        "use a relative path such as `public/www`, without `..`".into(),
                    );
                    continue;
                }
                None => {
                    self.error_at(
                        ids::MISSING_SETTING,
                        &["outputs", n, "dir"],
                        format!("output `{n}` needs `dir`: the folder to write to"),
                        format!("e.g. `dir: public/{n}`"),
                    );
                    continue;
                }
            };
            let base_url = match o.get("base_url").and_then(Value::as_str) {
                Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
                    if u.ends_with('/') {
                        u.to_string()
                    } else {
                        format!("{u}/")
                    }
                }
                other => {
                    self.error_at(
                        if other.is_some() {
                            ids::INVALID_WEB_ADDRESS
                        } else {
                            ids::MISSING_SETTING
                        },
                        &["outputs", n, "base_url"],
                        match other {
                            Some(u) => format!("`{u}` is not a full web address"),
                            None => format!("output `{n}` needs `base_url`: where it is published"),
                        },
                        "write the full address, starting with https://".into(),
                    );
                    continue;
                }
            };
            let base_path = {
                let after_scheme = &base_url[base_url.find("://").map_or(0, |i| i + 3)..];
                match after_scheme.find('/') {
                    Some(i) => after_scheme[i..].to_string(),
                    None => "/".into(),
                }
            };
            let flag = |r: &mut Self, key: &str| match o.get(key) {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    r.error_at(
                        ids::WRONG_KIND_OF_VALUE,
                        &["outputs", n, key],
                        format!("`{key}` should be true or false"),
                        format!("write `{key}: true` or `{key}: false`"),
                    );
                    false
                }
            };
            let relative_urls = flag(self, "relative_urls");
            let noindex = flag(self, "noindex");
            if let Some(other) = result.iter().find(|r| overlaps(&r.dir, &dir)) {
                self.error_at(
                    ids::OVERLAPPING_OUTPUTS,
                    &["outputs", n, "dir"],
                    format!(
                        "output `{n}` writes to `{}`, which overlaps output `{}` (`{}`)",
                        dir.display(),
                        other.name,
                        other.dir.display()
                    ),
                    "give every output its own folder".into(),
                );
                continue;
            }
            for reserved in ["content", "themes", "templates", "static"] {
                if overlaps(&dir, Path::new(reserved)) && root.join(reserved).exists() {
                    self.error_at(
                        ids::OUTPUT_IN_SOURCE_FOLDER,
                        &["outputs", n, "dir"],
                        format!("output `{n}` would write into the site's own `{reserved}` folder"),
                        "use a folder such as `public/www`".into(),
                    );
                }
            }
            result.push(OutputConfig {
                name: n.to_string(),
                audiences,
                dir,
                base_url,
                base_path,
                relative_urls,
                noindex,
            });
        }
        result
    }
}

fn safe_relative_dir(d: &str) -> bool {
    let p = Path::new(d);
    !d.trim().is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && p.components().any(|c| matches!(c, Component::Normal(_)))
}

fn overlaps(a: &Path, b: &Path) -> bool {
    let norm = |p: &Path| -> Vec<String> {
        p.components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    };
    let (a, b) = (norm(a), norm(b));
    a.starts_with(&b) || b.starts_with(&a)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "title: T\ndefault_audience: staff\noutputs:\n  public:\n    audiences: [public]\n    dir: public/www\n    base_url: https://example.org/sm\n";

    #[test]
    fn parses_a_good_config() {
        let mut d = Diagnostics::new();
        let c = parse(Path::new("/tmp/x"), GOOD, &mut d).unwrap();
        assert_eq!(c.outputs[0].base_url, "https://example.org/sm/");
        assert_eq!(c.outputs[0].base_path, "/sm/");
        assert!(d.is_empty());
    }

    #[test]
    fn unknown_key_suggests() {
        let mut d = Diagnostics::new();
        let src = format!("{GOOD}taxonomys: [tags]\n");
        assert!(parse(Path::new("/tmp/x"), &src, &mut d).is_none());
        let text = d.sorted()[0].render();
        assert!(
            text.contains("site.yaml:8:1: unknown setting `taxonomys`"),
            "{text}"
        );
        assert!(text.contains("did you mean `taxonomies`?"), "{text}");
    }

    #[test]
    fn overlapping_outputs_are_refused() {
        let mut d = Diagnostics::new();
        let src = format!(
            "{GOOD}  staff:\n    audiences: [staff]\n    dir: public/www/staff\n    base_url: https://x.org/\n"
        );
        assert!(parse(Path::new("/tmp/x"), &src, &mut d).is_none());
        assert!(d.sorted()[0].message.contains("overlaps"));
    }
}
