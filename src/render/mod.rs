//! Rendering: Tera templates filled with one output's [`Library`].
//!
//! Each output gets its own Tera instance whose functions (`get_page`,
//! `get_url`, …) can only reach that output's documents.

pub mod assets;
pub mod calendar;
pub mod context;
pub mod feeds;
pub mod qr;
pub mod relative;
pub mod search;
pub mod template_deps;
pub mod theme;
pub mod thumbnails;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::content::Document;
use crate::content::dates;
use crate::diagnostics::{Diagnostic, Location, ids};
use crate::site::library::Library;
use crate::site::links;
use context::Values;
use theme::Theme;

/// What template functions may read: this output's objects only.
#[derive(Clone)]
struct FunctionData {
    /// Campaign pages of this output: (status, sort key, page object).
    campaigns: Vec<(&'static str, i64, tera::Value)>,
    accounts: tera::Value,
    base_path: String,
    by_source: Arc<ahash::AHashMap<String, usize>>,
    docs: Vec<Option<tera::Value>>,
    taxonomies: ahash::AHashMap<String, tera::Value>,
    /// Every taxonomy the site has (hashtags and site.yaml's), used or not.
    declared_taxonomies: Vec<String>,
    data_dir: PathBuf,
    output_name: String,
    /// What `asset()` finds: the files this output carries.
    assets: Arc<assets::Assets>,
}

pub struct Renderer {
    tera: Tera,
    /// What the template functions read (kept to refresh it cheaply).
    data: Arc<FunctionData>,
    theme: Arc<Theme>,
    pub values: Values,
    /// `now`, made once.
    now: tera::Value,
    /// Which of `now` and the `current_*` values the templates name: only
    /// those are put in each page's context.
    context_use: template_deps::ContextUse,
}

fn err(msg: impl ToString) -> tera::Error {
    tera::Error::message(msg)
}

fn register_filters(tera: &mut Tera, tz: jiff::tz::TimeZone) {
    tera.register_filter(
        "date",
        // The value is borrowed and the result made straight into a
        // template value: listings call this twice for every page they
        // list, and the copies were a third of its cost.
        move |v: &tera::Value, kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
            let Some(s) = v.as_str() else {
                if v.is_none() {
                    return Ok(tera::Value::from(""));
                }
                return Err(err(format!("the `date` filter needs a date, found `{v}`")));
            };
            let format = kwargs.get::<&str>("format")?;
            // Listings show a date for every page: a plain `2026-11-22`
            // (most dates) goes straight to the calendar date, without the
            // round trip through an instant that other forms need.
            let plain = dates::plain_date(s);
            if let Some(date) = plain.or_else(|| (s.len() == 10).then(|| s.parse().ok()).flatten())
            {
                return match format {
                    None => Ok(dates::nhs_date(date).into()),
                    // A plain date of a four-digit year already is
                    // `%Y-%m-%d` (what `datetime` attributes ask for).
                    Some("%Y-%m-%d") if plain.is_some() && date.year() >= 1000 => Ok(v.clone()),
                    Some(f) => match dates::format_date(date, f) {
                        Some(text) => Ok(text.into()),
                        None => date
                            .to_zoned(tz.clone())
                            .map(|z| z.strftime(f).to_string().into())
                            .map_err(|e| err(format!("`{s}` is not a usable date: {e}"))),
                    },
                };
            }
            let d = dates::parse(s, &tz).map_err(err)?;
            let zoned = d.instant.to_zoned(tz.clone());
            Ok(match format {
                None => dates::nhs_date(zoned.date()).into(),
                Some(f) => zoned.strftime(f).to_string().into(),
            })
        },
    );
    tera.register_filter("slugify", |v: &str, _: Kwargs, _: &State| slug::slugify(v));
    tera.register_filter("markdown", |v: &str, _: Kwargs, _: &State| {
        tera::Value::safe_string(&crate::content::markdown::render_simple(v))
    });
}

fn register_functions(tera: &mut Tera, data: Arc<FunctionData>) {
    let d = data.clone();
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            if path.starts_with("http://") || path.starts_with("https://") {
                return Ok(path.to_string());
            }
            let p = path.trim_start_matches('/');
            if p.ends_with(".md") {
                let id = d.by_source.get(p).copied().filter(|&i| d.docs[i].is_some());
                return match id.and_then(|i| d.docs[i].as_ref()) {
                    Some(v) => Ok(v
                        .get_from_path("url")
                        .and_then(|u| u.as_str())
                        .unwrap_or("")
                        .to_string()),
                    None => Err(err(format!(
                        "there is no page content/{p} in the `{}` output",
                        d.output_name
                    ))),
                };
            }
            Ok(format!(
                "{}{}",
                d.base_path,
                crate::site::library::encode_path(p)
            ))
        },
    );
    for name in ["get_page", "get_section"] {
        let d = data.clone();
        let want_section = name == "get_section";
        tera.register_function(
            name,
            move |kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
                let path: &str = kwargs.must_get("path")?;
                let p = path.trim_start_matches('/');
                let v = d.by_source.get(p).and_then(|&i| d.docs[i].clone());
                match v {
                    Some(v) if v.get_from_path("pages").is_some() == want_section => Ok(v),
                    Some(_) if want_section => Err(err(format!(
                        "content/{p} is a page, not a section: use get_page"
                    ))),
                    Some(_) => Err(err(format!("content/{p} is a section: use get_section"))),
                    None => Err(err(format!(
                        "there is no {} content/{p} in the `{}` output",
                        if want_section { "section" } else { "page" },
                        d.output_name
                    ))),
                }
            },
        );
    }
    let d = data.clone();
    tera.register_function(
        "get_taxonomy",
        move |kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
            let kind: &str = kwargs.must_get("kind")?;
            match d.taxonomies.get(kind) {
                Some(t) => Ok(t.clone()),
                // Declared (or hashtags) but unused in this output: empty, not an error.
                None if d.declared_taxonomies.iter().any(|t| t == kind) => {
                    let mut map = tera::Map::default();
                    map.insert("name".into(), kind.to_string().into());
                    map.insert("terms".into(), Vec::<tera::Value>::new().into());
                    Ok(tera::Value::from(map))
                }
                None => Err(err(format!(
                    "there is no taxonomy `{kind}`; declare it in site.yaml under `taxonomies`"
                ))),
            }
        },
    );
    let d = data.clone();
    tera.register_function(
        "campaigns",
        move |kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
            let status: Option<&str> = kwargs.get("status")?;
            if let Some(s) = status
                && !["live", "upcoming", "ended"].contains(&s)
            {
                return Err(err(format!(
                    "`status` is `live`, `upcoming` or `ended`, not `{s}`"
                )));
            }
            let list: Vec<tera::Value> = d
                .campaigns
                .iter()
                .filter(|(st, _, _)| status.is_none_or(|s| s == *st))
                .map(|(_, _, v)| v.clone())
                .collect();
            Ok(list.into())
        },
    );
    let d = data.clone();
    tera.register_function(
        "accounts",
        move |_: Kwargs, _: &State| -> TeraResult<tera::Value> { Ok(d.accounts.clone()) },
    );
    let d = data.clone();
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
            let path: &str = kwargs.must_get("path")?;
            d.assets.get(path).map_err(err)
        },
    );
    let d = data;
    tera.register_function(
        "load_data",
        move |kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
            let path: &str = kwargs.must_get("path")?;
            let rel = crate::content::markdown::resolve_relative("", path)
                .ok_or_else(|| err(format!("`{path}` is not a file inside content/_data")))?;
            let full = d.data_dir.join(&rel);
            let text = std::fs::read_to_string(&full)
                .map_err(|e| err(format!("cannot read content/_data/{rel}: {e}")))?;
            let json = crate::yaml::parse_value(&text).map_err(|e| {
                err(format!(
                    "content/_data/{rel}:{}:{}: {}",
                    e.line, e.col, e.message
                ))
            })?;
            Ok(tera::Value::from_serializable(&json))
        },
    );
}

fn function_data(lib: &Library<'_>, values: &Values, theme: &Theme) -> Arc<FunctionData> {
    let taxonomies = lib
        .taxonomies
        .iter()
        .map(|t| (t.name.clone(), taxonomy_value(lib, values, t)))
        .collect();
    Arc::new(FunctionData {
        campaigns: campaign_list(lib, values),
        accounts: tera::Value::from_serializable(
            &lib.site
                .accounts
                .list
                .iter()
                .filter(|a| lib.output.includes(a.audience))
                .collect::<Vec<_>>(),
        ),
        base_path: lib.output.base_path.clone(),
        by_source: lib.site.by_source.clone(),
        docs: values.docs.clone(),
        taxonomies,
        declared_taxonomies: std::iter::once("hashtags".to_string())
            .chain(lib.site.config.taxonomies.iter().cloned())
            .collect(),
        data_dir: lib.site.config.root.join("content").join("_data"),
        output_name: lib.output.name.clone(),
        assets: Arc::new(assets::Assets::new(lib, &theme.statics)),
    })
}

impl Renderer {
    pub fn new(
        lib: &Library<'_>,
        theme: Arc<Theme>,
        thumbs: &HashMap<usize, thumbnails::Thumb>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let values = context::build_values(lib, thumbs, template_deps::field_use(&theme));
        let data = function_data(lib, &values, &theme);
        let tera = compile(&theme, &data, &lib.site.config.timezone)?;
        let now = lib
            .site
            .now
            .to_zoned(lib.site.config.timezone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string();
        Ok(Renderer {
            tera,
            data,
            context_use: template_deps::context_use(&theme),
            theme,
            values,
            now: now.into(),
        })
    }

    /// The same renderer with the templates of `theme` (after a template
    /// edit); page objects and function data are kept. The caller makes
    /// sure the new templates name the same page fields
    /// (`template_deps::field_use`); a full build is needed otherwise.
    pub fn with_theme(
        &self,
        lib: &Library<'_>,
        theme: Arc<Theme>,
    ) -> Result<Self, Vec<Diagnostic>> {
        // The files `asset()` describes are looked at again: the edit may
        // have changed one.
        let data = Arc::new(FunctionData {
            assets: Arc::new(self.data.assets.renewed()),
            ..(*self.data).clone()
        });
        let tera = compile(&theme, &data, &lib.site.config.timezone)?;
        Ok(Renderer {
            tera,
            data,
            context_use: template_deps::context_use(&theme),
            theme,
            values: Values {
                docs: self.values.docs.clone(),
                sites: self.values.sites.clone(),
                fields: self.values.fields,
            },
            now: self.now.clone(),
        })
    }

    /// Makes template functions (`get_page`, `campaigns`, …) see the
    /// current `values`, after an edit changed the objects of `ids` (and
    /// of their sections) and nothing else.
    pub fn refresh_functions(&mut self, lib: &Library<'_>, ids: &[usize]) {
        let old = &self.data;
        let mut taxonomies = old.taxonomies.clone();
        let touched = |term: &crate::site::library::Term| {
            ids.iter()
                .any(|id| term.pages.contains(id) || term.campaign == Some(*id))
        };
        for t in &lib.taxonomies {
            if !t.terms.iter().any(touched) {
                continue;
            }
            // Terms the edit did not touch keep their objects.
            let before = taxonomies
                .get(&t.name)
                .and_then(|v| v.get_from_path("terms"))
                .and_then(|v| v.as_array().map(<[tera::Value]>::to_vec))
                .filter(|v| v.len() == t.terms.len());
            let terms: Vec<tera::Value> = t
                .terms
                .iter()
                .enumerate()
                .map(|(i, term)| match &before {
                    Some(b) if !touched(term) => b[i].clone(),
                    _ => term_value(lib, &self.values, &t.name, term),
                })
                .collect();
            taxonomies.insert(t.name.clone(), taxonomy_object(lib, t, terms));
        }
        let data = Arc::new(FunctionData {
            campaigns: campaign_list(lib, &self.values),
            accounts: old.accounts.clone(),
            base_path: old.base_path.clone(),
            by_source: old.by_source.clone(),
            docs: self.values.docs.clone(),
            taxonomies,
            declared_taxonomies: old.declared_taxonomies.clone(),
            data_dir: old.data_dir.clone(),
            output_name: old.output_name.clone(),
            assets: Arc::new(old.assets.renewed()),
        });
        register_functions(&mut self.tera, data.clone());
        self.data = data;
    }

    /// Frees the template objects on another thread: for a large site,
    /// dropping them takes a noticeable share of a build, and nobody waits
    /// for it (a command-line build exits first).
    pub fn release(self) {
        let Renderer {
            tera, values, data, ..
        } = self;
        std::thread::spawn(move || drop((tera, values, data)));
    }

    /// A taxonomy's object as template functions see it.
    pub fn taxonomy(&self, name: &str) -> Option<tera::Value> {
        self.data.taxonomies.get(name).cloned()
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.theme.has(name)
    }

    fn base_context(&self, lib: &Library<'_>, site_path: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.values.site().clone());
        // Values made directly (`insert` goes through serde for each), and
        // only those the templates name: these were a hundredth of a build.
        let want = self.context_use;
        if want.now {
            ctx.insert_value("now", self.now.clone());
        }
        if want.current_url {
            ctx.insert_value("current_url", tera::Value::from(lib.url(site_path)));
        }
        if want.current_permalink {
            ctx.insert_value(
                "current_permalink",
                tera::Value::from(lib.permalink(site_path)),
            );
        }
        if want.current_path {
            ctx.insert_value("current_path", tera::Value::from(site_path));
        }
        ctx
    }

    /// The template a document is rendered with (SPEC §6).
    pub fn template_for(&self, lib: &Library<'_>, d: &Document) -> Result<String, Diagnostic> {
        if let Some(t) = &d.fm.template {
            let name = if t.ends_with(".html") {
                t.clone()
            } else {
                format!("{t}.html")
            };
            if self.has_template(&name) {
                return Ok(name);
            }
            let line = crate::yaml::key_position(&d.text.get()[..d.body_offset], &["template"])
                .map_or(1, |(l, _)| l);
            return Err(Diagnostic::error(ids::MISSING_TEMPLATE, format!("the template `{name}` does not exist"))
                .at(Location::at_line_col(&d.file, &d.text.get(), line, 1, "template".len()))
                .hint(format!(
                    "put {name} in templates/, or remove `template:` to use the default; templates available: {}",
                    self.theme.templates.keys().filter(|k| !k.starts_with("partials/")).cloned().collect::<Vec<_>>().join(", ")
                )));
        }
        let candidates: &[&str] = if d.id == lib.site.home {
            &["index.html", "section.html"]
        } else if d.is_section {
            match d.content_rel.split('/').next() {
                Some("campaigns") if d.dir_rel == "campaigns" => {
                    &["campaigns.html", "section.html"]
                }
                Some("posters") if d.dir_rel == "posters" => &["posters.html", "section.html"],
                _ => &["section.html"],
            }
        } else {
            match d.kind {
                crate::content::Kind::Guidance => &["guidance.html", "page.html"],
                crate::content::Kind::Campaign => &["campaign.html", "page.html"],
                crate::content::Kind::Poster => &["poster.html", "page.html"],
                _ => &["page.html"],
            }
        };
        candidates
            .iter()
            .find(|c| self.has_template(c))
            .map(|c| c.to_string())
            .ok_or_else(|| {
                Diagnostic::error(
                    ids::MISSING_TEMPLATE,
                    format!("the theme has no `{}` template", candidates[0]),
                )
                .hint("add it to templates/ in your site, or use a complete theme")
            })
    }

    /// Renders one document of this output to a full HTML page.
    /// The document's HTML with this output's addresses in its links.
    pub fn content_of(&self, lib: &Library<'_>, d: &Document) -> String {
        links::fill(&d.rendered.html.get(), d, lib)
    }

    /// Renders a document whose content is already resolved ([`Self::content_of`]).
    pub fn render_doc_with(
        &self,
        lib: &Library<'_>,
        d: &Document,
        content: String,
    ) -> Result<Vec<u8>, Diagnostic> {
        let template = self.template_for(lib, d)?;
        let mut ctx = self.base_context(lib, &d.path);
        // The page is its content and a few KB of layout: room for both
        // up front (tera starts from the template's size and doubles).
        let hint = content.len() + 16 * 1024;
        let content = tera::Value::safe_string(&content);
        let obj = self.values.docs[d.id]
            .clone()
            .unwrap_or_else(tera::Value::none);
        let obj = context::with_field(obj, "content", content);
        ctx.insert_value(if d.is_section { "section" } else { "page" }, obj);
        self.render_into(&template, &ctx, hint).map_err(|e| {
            template_diag(
                &e,
                &self.theme,
                Some(&format!(
                    "while rendering {} for the `{}` output",
                    d.file, lib.output.name
                )),
            )
        })
    }

    /// `Tera::render` with room for `hint` bytes of output from the start.
    fn render_into(&self, template: &str, ctx: &Context, hint: usize) -> TeraResult<Vec<u8>> {
        let mut out = Vec::with_capacity(hint);
        self.tera.render_to(template, ctx, &mut out)?;
        Ok(out)
    }

    /// Renders a page that is not a document (404, taxonomy pages).
    pub fn render_special(
        &self,
        lib: &Library<'_>,
        template: &str,
        site_path: &str,
        extra: Vec<(&'static str, tera::Value)>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = self.base_context(lib, site_path);
        for (k, v) in extra {
            ctx.insert_value(k, v);
        }
        self.render_into(template, &ctx, 32 * 1024).map_err(|e| {
            template_diag(
                &e,
                &self.theme,
                Some(&format!(
                    "while rendering /{site_path} for the `{}` output",
                    lib.output.name
                )),
            )
        })
    }
}

/// Compiles every template of the theme, with our filters and functions.
fn compile(
    theme: &Theme,
    data: &Arc<FunctionData>,
    tz: &jiff::tz::TimeZone,
) -> Result<Tera, Vec<Diagnostic>> {
    let make = |templates: Vec<(&str, &str)>| -> TeraResult<Tera> {
        let mut tera = Tera::new();
        register_filters(&mut tera, tz.clone());
        register_functions(&mut tera, data.clone());
        tera.add_raw_templates(templates)?;
        Ok(tera)
    };
    let all: Vec<(&str, &str)> = theme
        .templates
        .values()
        .map(|t| (t.name.as_str(), t.source.as_str()))
        .collect();
    match make(all) {
        Ok(t) => Ok(t),
        Err(first) => {
            // Tera stops at the first broken template; parse each one on
            // its own too, so every syntax error is reported at once.
            let mut diags = vec![];
            for t in theme.templates.values() {
                if let Err(e) = make(vec![(t.name.as_str(), t.source.as_str())])
                    && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
                {
                    diags.push(template_diag(&e, theme, None));
                }
            }
            let first = template_diag(&first, theme, None);
            if !diags.contains(&first) {
                diags.insert(0, first);
            }
            Err(diags)
        }
    }
}

/// Campaigns in the order people want them: live ones ending soonest
/// first, then upcoming ones starting soonest, then ended ones, newest first.
fn campaign_list(lib: &Library<'_>, values: &Values) -> Vec<(&'static str, i64, tera::Value)> {
    let tz = &lib.site.config.timezone;
    let mut list: Vec<(&'static str, i64, tera::Value)> = lib
        .docs()
        .filter_map(|d| {
            let c = d.campaign.as_ref()?;
            let status = c.status(lib.site.now, tz);
            let key = match status {
                crate::content::campaign::Status::Live => c.ends.instant.as_second(),
                crate::content::campaign::Status::Upcoming => c.starts.instant.as_second(),
                crate::content::campaign::Status::Ended => -c.ends.instant.as_second(),
            };
            Some((status.as_str(), key, values.docs[d.id].clone()?))
        })
        .collect();
    let rank = |s: &str| match s {
        "live" => 0,
        "upcoming" => 1,
        _ => 2,
    };
    list.sort_by_key(|(s, k, _)| (rank(s), *k));
    list
}

pub fn taxonomy_value(
    lib: &Library<'_>,
    values: &Values,
    t: &crate::site::library::Taxonomy,
) -> tera::Value {
    use rayon::prelude::*;
    // On every core: at 10,000 pages the terms list 76,000 pages.
    let terms: Vec<tera::Value> = t
        .terms
        .par_iter()
        .map(|term| term_value(lib, values, &t.name, term))
        .collect();
    taxonomy_object(lib, t, terms)
}

fn taxonomy_object(
    lib: &Library<'_>,
    t: &crate::site::library::Taxonomy,
    terms: Vec<tera::Value>,
) -> tera::Value {
    let mut map = tera::Map::default();
    map.insert("name".into(), t.name.clone().into());
    map.insert("url".into(), lib.url(&format!("{}/", t.name)).into());
    map.insert("terms".into(), terms.into());
    tera::Value::from(map)
}

/// The object of a taxonomy's `index`th term, from the taxonomy's value,
/// if it is the term with `slug` (a value made before the terms changed
/// gives `None`, never another term's object).
pub fn term_of(taxonomy: &tera::Value, index: usize, slug: &str) -> Option<tera::Value> {
    let term = taxonomy
        .as_map()?
        .get(&tera::value::Key::Str("terms"))?
        .as_array()?
        .get(index)?;
    let same = term.as_map()?.get(&tera::value::Key::Str("slug"))?.as_str() == Some(slug);
    same.then(|| term.clone())
}

pub fn term_value(
    lib: &Library<'_>,
    values: &Values,
    taxonomy: &str,
    term: &crate::site::library::Term,
) -> tera::Value {
    let pages: Vec<tera::Value> = term
        .pages
        .iter()
        .filter_map(|&p| values.docs[p].clone())
        .collect();
    let mut map = tera::Map::default();
    map.insert("name".into(), term.name.clone().into());
    map.insert("slug".into(), term.slug.clone().into());
    map.insert(
        "url".into(),
        lib.url(&format!("{taxonomy}/{}/", term.slug)).into(),
    );
    map.insert("count".into(), pages.len().into());
    map.insert("pages".into(), pages.into());
    let campaign = term
        .campaign
        .and_then(|c| values.docs[c].clone())
        .unwrap_or_else(tera::Value::none);
    map.insert("campaign".into(), campaign);
    tera::Value::from(map)
}

/// The fields only some page objects have: sections, campaigns, posters
/// (`context::campaign_fields`, `poster_fields`), and `content` while a
/// page renders.
const OTHER_PAGE_FIELDS: &[&str] = &[
    "content",
    "pages",
    "subsections",
    "hashtag",
    "hashtag_url",
    "starts",
    "ends",
    "status",
    "channels",
    "goals",
    "events",
    "posts",
    "responses",
    "calendar_url",
    "file_label",
    "paper",
    "campaign",
    "qr_url",
    "qr_svg",
];

/// Tera's message for a missing field lists the fields the object has. A
/// page object is made with the fields the templates name (the one a
/// template misspells is not among them), so for a page object — one with
/// `kind` and `url`, which are always made, and no field a page cannot
/// have — the list is every field a page can have, and the nearest one is
/// suggested. A real field that is missing was named in a way
/// `template_deps::field_use` does not read: the message says so.
fn with_every_page_field(message: &str) -> (std::borrow::Cow<'_, str>, Option<String>) {
    const LIST: &str = ". Available fields: ";
    let parsed = message.split_once(LIST).and_then(|(head, list)| {
        let field = head
            .strip_prefix("Field `")?
            .strip_suffix("` is not defined")?;
        Some((head, field, list))
    });
    let Some((head, field, list)) = parsed else {
        return (message.into(), None);
    };
    let mut names: Vec<&str> = list.split(", ").collect();
    let page_field = |n: &str| context::FIELD_NAMES.contains(&n) || OTHER_PAGE_FIELDS.contains(&n);
    if !names.contains(&"kind") || !names.contains(&"url") || !names.iter().all(|n| page_field(n)) {
        return (message.into(), None);
    }
    if context::FIELD_NAMES.contains(&field) {
        return (
            format!(
                "the page field `{field}` was not made: page objects hold the fields the templates name, and Guidepost did not see `{field}` named"
            )
            .into(),
            Some(format!(
                "name it as Guidepost reads it somewhere in a template's code: `page.{field}`, `p[\"{field}\"]` or `attribute=\"{field}\"`"
            )),
        );
    }
    for f in context::FIELD_NAMES {
        // Only pages with a local picture as their image have its size.
        if !names.contains(f) && !f.starts_with("image_w") && !f.starts_with("image_h") {
            names.push(f);
        }
    }
    names.sort_unstable();
    let near = crate::suggest::did_you_mean(field, &names).map(|n| format!("did you mean `{n}`?"));
    (format!("{head}{LIST}{}", names.join(", ")).into(), near)
}

/// A Tera error as one of our diagnostics, pointing into the template file.
pub fn template_diag(e: &tera::Error, theme: &Theme, while_doing: Option<&str>) -> Diagnostic {
    let mut d = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let tf = theme.templates.get(r.filename());
            let display = tf.map_or_else(|| r.filename().to_string(), |t| t.display.clone());
            let is_syntax = matches!(e.kind(), tera::ErrorKind::SyntaxError(_));
            let (message, near) = with_every_page_field(r.message());
            let mut diag = if is_syntax {
                Diagnostic::error(
                    ids::TEMPLATE_SYNTAX,
                    format!("template syntax error: {message}"),
                )
            } else {
                Diagnostic::error(ids::TEMPLATE_ERROR, format!("template error: {message}"))
            };
            if let Some(tf) = tf {
                let len = if span.end_line == span.start_line {
                    span.end_col.saturating_sub(span.start_col).max(1)
                } else {
                    1
                };
                diag = diag.at(Location::at_line_col(
                    &tf.display,
                    &tf.source,
                    span.start_line,
                    span.start_col + 1,
                    len,
                ));
            } else {
                diag = diag.at(Location::file_only(display));
            }
            let hint = if let Some(near) = near {
                near
            } else if r.message().contains("not defined") || r.message().contains("undefined") {
                "check the spelling; a value that may be missing can be written `value or \"\"`, or tested with `{% if value is defined %}`".to_string()
            } else if is_syntax {
                "check the template tags ({{ … }}, {% … %}) around this point are opened and closed"
                    .to_string()
            } else {
                "see docs/themes.md for what templates can use".to_string()
            };
            diag.hint(hint)
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let display = theme
                .templates
                .get(current)
                .map_or_else(|| current.clone(), |t| t.display.clone());
            Diagnostic::error(
                ids::MISSING_TEMPLATE,
                format!("`{current}` extends `{parent}`, which does not exist"),
            )
            .at(Location::file_only(display))
            .hint("check the name in `{% extends %}`")
        }
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            ids::MISSING_TEMPLATE,
            format!("the template `{name}` does not exist"),
        )
        .hint("check the name in `{% include %}` or `{% extends %}`"),
        other => Diagnostic::error(ids::TEMPLATE_ERROR, format!("template error: {other}")),
    };
    if let Some(w) = while_doing {
        d = d.note(w.to_string());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::with_every_page_field;

    #[test]
    fn a_missing_page_field_is_told_apart_from_a_misspelt_one() {
        // A page object made with a few fields; the template misspelt one.
        let (message, hint) = with_every_page_field(
            "Field `reading_tme` is not defined. Available fields: content, kind, title, url",
        );
        assert!(
            message.contains("reading_time") && message.contains("toc"),
            "{message}"
        );
        assert_eq!(hint.as_deref(), Some("did you mean `reading_time`?"));
        // A real field left out: said so, not "did you mean" itself.
        let (message, hint) = with_every_page_field(
            "Field `slug` is not defined. Available fields: kind, title, url",
        );
        assert!(
            message.contains("the page field `slug` was not made"),
            "{message}"
        );
        assert!(hint.unwrap().contains("page.slug"));
        // Maps of the site's own with `kind` are not page objects.
        for list in ["kind, titel_colour", "kind", "kind, name, url"] {
            let original = format!("Field `title` is not defined. Available fields: {list}");
            let (message, hint) = with_every_page_field(&original);
            assert_eq!(message, original);
            assert!(hint.is_none());
        }
    }
}
