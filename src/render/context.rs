//! The template context: what `site`, `page`, `section`, `taxonomy` and
//! `term` hold (SPEC §6). Built once per output; page objects are shared
//! between every listing that shows them.

use serde_json::{Value as Json, json};

use crate::content::Document;
use crate::content::markdown::Heading;
use crate::site::library::Library;
use crate::site::links;

/// Every object the templates of one output can see, already converted.
pub struct Values {
    /// Per document: the page/section object without `content` (None when
    /// the document is not in this output).
    pub docs: Vec<Option<tera::Value>>,
    /// The `site` object, one copy per rayon worker (and one for other
    /// threads): every page's layout loops over `site.nav`, and each
    /// step of a loop adds to and takes from the item's reference count.
    /// With one copy the two cores took each count's cache line from
    /// each other for every page. Read it with [`Values::site`].
    pub sites: Vec<tera::Value>,
    /// The fields these page objects were made with.
    pub fields: FieldUse,
}

/// Declares the fields every page and section object can have (SPEC §6),
/// once: [`FieldUse`] gets a flag per field and [`FIELD_NAMES`] their
/// names, so the two cannot drift apart from `doc_value`, which names
/// each field through its flag.
macro_rules! page_fields {
    ($($k:ident),* $(,)?) => {
        /// Which fields of page and section objects the templates can
        /// read (`render::template_deps::field_use`): a page object is
        /// made with those only. On a large site the fields no template
        /// names (a table of contents, a linked summary, the ancestors)
        /// were a tenth of the build and a quarter of its memory.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct FieldUse {
            $(pub $k: bool),*
        }

        /// The names of the fields of [`FieldUse`], in its order.
        pub const FIELD_NAMES: &[&str] = &[$(stringify!($k)),*];

        impl FieldUse {
            /// Every field: for templates that read fields by a name
            /// made at render time.
            pub const ALL: FieldUse = FieldUse { $($k: true),* };
            pub const NONE: FieldUse = FieldUse { $($k: false),* };

            /// Turns on the field called `name`, if there is one.
            pub fn add(&mut self, name: &str) {
                match name {
                    $(stringify!($k) => self.$k = true,)*
                    _ => {}
                }
            }
        }
    };
}

page_fields!(
    title,
    description,
    url,
    permalink,
    path,
    file,
    slug,
    date,
    updated,
    reviewed,
    review_due,
    publish,
    expires,
    draft,
    audience,
    kind,
    hashtags,
    taxonomies,
    toc,
    summary,
    word_count,
    reading_time,
    section,
    extra,
    weight,
    image,
    image_permalink,
    image_alt,
    aliases,
    ancestors,
    thumbnail,
    image_width,
    image_height,
);

/// One field of an object made by `object_with!`: left out when its flag
/// is off (its value is then never computed).
struct Field<T>(Option<T>);

impl<T> Field<T> {
    fn is_left_out(&self) -> bool {
        self.0.is_none()
    }
}

impl<T: serde::Serialize> serde::Serialize for Field<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(v) => v.serialize(s),
            None => s.serialize_none(),
        }
    }
}

/// Like `object!`, with only the fields `want` asks for; the others are
/// not computed. serde counts the fields it keeps, so the map is sized
/// for those.
macro_rules! object_with {
    ($want:expr; $($k:ident : $v:expr),* $(,)?) => {{
        #[derive(serde::Serialize)]
        struct Object<$(#[allow(non_camel_case_types)] $k),*> {
            $(#[serde(skip_serializing_if = "Field::is_left_out")] $k: Field<$k>),*
        }
        let want: &FieldUse = $want;
        tera::Value::from_serializable(&Object { $($k: Field(want.$k.then(|| $v))),* })
    }};
}

pub fn site_value(lib: &Library<'_>) -> Json {
    let cfg = &lib.site.config;
    let nav: Vec<Json> = lib
        .subsections_of(lib.site.home)
        .into_iter()
        .map(|s| {
            let d = &lib.site.docs[s];
            json!({ "title": d.fm.title, "url": lib.url_of(s) })
        })
        .collect();
    let image = cfg.image.as_deref().map(|i| {
        if i.starts_with("http://") || i.starts_with("https://") {
            i.to_string()
        } else {
            lib.url(&crate::site::library::encode_path(
                i.trim_start_matches('/'),
            ))
        }
    });
    json!({
        "image": image,
        "image_permalink": image.as_deref().map(|u| lib.absolute(u)),
        "image_alt": cfg.image_alt,
        "feed_url": cfg.features.feed.then(|| lib.url("atom.xml")),
        "search_url": cfg.features.search.then(|| lib.url("search/")),
        "title": cfg.title,
        "organisation": cfg.organisation,
        "language": cfg.language,
        "base_url": lib.output.base_url,
        "url": lib.url(""),
        "extra": cfg.extra,
        "taxonomies": cfg.taxonomies,
        "output": {
            "name": lib.output.name,
            "audiences": lib.output.audiences.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
            "noindex": lib.output.noindex,
            "relative_urls": lib.output.relative_urls,
        },
        "nav": nav,
    })
}

/// A template object from `key: value` pairs, made in one pass: tera's
/// serializer sizes the map once and takes template values (shared page
/// and term objects) as they are, by reference count. A map filled first
/// and turned into a value with `Value::from` is hashed and filled twice,
/// and that was a twentieth of a build.
macro_rules! object {
    ($($k:ident : $v:expr),* $(,)?) => {{
        #[derive(serde::Serialize)]
        struct Object<$(#[allow(non_camel_case_types)] $k),*> { $($k: $k),* }
        tera::Value::from_serializable(&Object { $($k: $v),* })
    }};
}

/// The page (or section) object, without `content`. Built straight into
/// template values: this runs for every page of every output, and going
/// through JSON first cost a tenth of a large build.
pub fn doc_value(
    lib: &Library<'_>,
    d: &Document,
    thumb: Option<&crate::render::thumbnails::Thumb>,
    term_objects: &TermObjects,
    want: &FieldUse,
) -> tera::Value {
    let fm = &d.fm;
    fn iso(x: &Option<crate::content::dates::Dated>) -> Option<&str> {
        x.as_ref().map(|v| v.iso.as_str())
    }
    let ancestors = || -> Vec<tera::Value> {
        lib.ancestors(d.id)
            .into_iter()
            .map(|a| {
                object! {
                    title: lib.site.docs[a].fm.title.as_str(),
                    url: lib.url_of(a),
                }
            })
            .collect()
    };
    let taxonomies = || {
        let mut taxonomies =
            tera::Map::with_capacity_and_hasher(fm.taxonomies.len() + 1, Default::default());
        for (name, terms) in &fm.taxonomies {
            let list: Vec<tera::Value> = terms
                .iter()
                .map(|t| term_objects.get(lib, name, t))
                .collect();
            taxonomies.insert(name.clone().into(), list.into());
        }
        let hashtags = page_hashtags(d);
        if !hashtags.is_empty() && lib.site.config.features.hashtags {
            let list: Vec<tera::Value> = hashtags
                .iter()
                .map(|h| term_objects.get(lib, HASHTAGS, h))
                .collect();
            taxonomies.insert(HASHTAGS.into(), list.into());
        }
        tera::Value::from(taxonomies)
    };
    let words = d.rendered.word_count;
    let image = (want.image || want.image_permalink)
        .then(
            || match d.image_link.and_then(|i| d.rendered.links.get(i)) {
                Some(l) => Some(links::link_url(l, lib)),
                None => fm.image.clone(),
            },
        )
        .flatten();
    let v = object_with! { want;
        title: fm.title.as_str(),
        description: d.description(),
        url: lib.url_of(d.id),
        permalink: lib.permalink(&d.path),
        path: d.content_rel.as_str(),
        file: d.file.as_str(),
        slug: d.slug.as_str(),
        date: iso(&fm.date),
        updated: iso(&fm.updated),
        reviewed: iso(&fm.reviewed),
        review_due: iso(&fm.review_due),
        publish: iso(&fm.publish),
        expires: iso(&fm.expires),
        draft: fm.draft,
        audience: d.audience.as_str(),
        kind: d.kind.as_str(),
        hashtags: &fm.hashtags,
        taxonomies: taxonomies(),
        toc: toc(&d.rendered.headings),
        summary: d.rendered.summary.as_ref().map(|s| links::fill(s, d, lib)),
        word_count: words,
        reading_time: words.div_ceil(200).max(1),
        section: d.parent.map(|p| lib.site.docs[p].content_rel.as_str()),
        extra: to_tera(Json::Object(fm.extra.clone())),
        weight: fm.weight,
        image: image.as_deref(),
        image_permalink: image.as_deref().map(|u| lib.absolute(u)),
        image_alt: fm.image_alt.as_deref(),
        aliases: fm.aliases.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
        ancestors: tera::Value::from(ancestors()),
        thumbnail: match thumb {
            Some(t) => object! {
                url: lib.url(&t.rel),
                width: t.width,
                height: t.height,
            },
            None => tera::Value::none(),
        },
    };
    let sized = d
        .image_size
        .filter(|_| want.image_width || want.image_height);
    if d.campaign.is_none() && d.poster.is_none() && sized.is_none() && !d.is_section {
        return v;
    }
    // Campaigns, posters, sections and pages with a sized image (a few in
    // a site) have more fields.
    let mut v = v.into_map().unwrap_or_default();
    let mut extra = Json::Object(Default::default());
    if let Some(c) = &d.campaign {
        campaign_fields(lib, d, c, &mut extra);
    }
    if let Some(p) = &d.poster {
        poster_fields(lib, d, p, &mut extra);
    }
    if let Json::Object(fields) = extra {
        for (k, x) in fields {
            v.insert(k.into(), to_tera(x));
        }
    }
    // Only pages whose front matter image is a local picture have these.
    if let Some((w, h)) = sized {
        v.insert("image_width".into(), w.into());
        v.insert("image_height".into(), h.into());
    }
    if d.is_section {
        let subsections: Vec<tera::Value> = lib
            .subsections_of(d.id)
            .into_iter()
            .map(|s| {
                let sd = &lib.site.docs[s];
                object! {
                    title: sd.fm.title.as_str(),
                    description: sd.description(),
                    url: lib.url_of(s),
                    path: sd.content_rel.as_str(),
                    page_count: lib.pages_of(s).len(),
                }
            })
            .collect();
        v.insert("subsections".into(), subsections.into());
    }
    tera::Value::from(v)
}

/// Nests a flat heading list: each heading holds the deeper ones after it.
pub fn toc(headings: &[Heading]) -> tera::Value {
    fn build(hs: &[Heading], i: &mut usize, level: u8) -> Vec<tera::Value> {
        let mut out = vec![];
        while *i < hs.len() && hs[*i].level >= level {
            let h = &hs[*i];
            *i += 1;
            let children = build(hs, i, h.level + 1);
            out.push(object! {
                level: h.level,
                id: h.id.as_str(),
                title: h.title.as_str(),
                children: tera::Value::from(children),
            });
        }
        out
    }
    let min = headings.iter().map(|h| h.level).min().unwrap_or(1);
    let mut i = 0;
    build(headings, &mut i, min).into()
}

/// The objects of taxonomy terms as pages list them (`{name, slug, url}`),
/// by taxonomy and by term as written: made once per output and shared by
/// every page with that term, instead of once per page.
#[derive(Default)]
pub struct TermObjects(ahash::AHashMap<String, ahash::AHashMap<String, tera::Value>>);

const HASHTAGS: &str = "hashtags";

impl TermObjects {
    pub fn new(lib: &Library<'_>) -> Self {
        use ahash::AHashSet as HashSet;
        use rayon::prelude::*;
        // The distinct (taxonomy, term) pairs, gathered on every core.
        let pairs: HashSet<(&str, &str)> = lib
            .site
            .docs
            .par_iter()
            .filter(|d| lib.includes(d.id))
            .fold(HashSet::new, |mut set, d| {
                for (name, terms) in &d.fm.taxonomies {
                    for t in terms {
                        set.insert((name.as_str(), t.as_str()));
                    }
                }
                if lib.site.config.features.hashtags {
                    for h in page_hashtags(d) {
                        set.insert((HASHTAGS, h));
                    }
                }
                set
            })
            .reduce(HashSet::new, |a, b| {
                let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                big.extend(small);
                big
            });
        let mut all = TermObjects::default();
        for (taxonomy, term) in pairs {
            all.add(lib, taxonomy, term);
        }
        all
    }

    fn add(&mut self, lib: &Library<'_>, taxonomy: &str, term: &str) {
        let terms = match self.0.get_mut(taxonomy) {
            Some(t) => t,
            None => self.0.entry(taxonomy.to_string()).or_default(),
        };
        if !terms.contains_key(term) {
            terms.insert(term.to_string(), Self::make(lib, taxonomy, term));
        }
    }

    /// The term's object: shared when made in advance, else made now.
    fn get(&self, lib: &Library<'_>, taxonomy: &str, term: &str) -> tera::Value {
        match self.0.get(taxonomy).and_then(|t| t.get(term)) {
            Some(v) => v.clone(),
            None => Self::make(lib, taxonomy, term),
        }
    }

    fn make(lib: &Library<'_>, taxonomy: &str, term: &str) -> tera::Value {
        if taxonomy == HASHTAGS {
            let name = term.trim_start_matches('#');
            let slug = name.to_lowercase();
            let url = lib.url(&format!(
                "hashtags/{}/",
                crate::site::library::encode_path(&slug)
            ));
            object! { name: name, slug: slug, url: url }
        } else {
            let slug = crate::content::slugify(term);
            let url = lib.url(&format!("{taxonomy}/{slug}/"));
            object! { name: term, slug: slug, url: url }
        }
    }
}

pub fn build_values(
    lib: &Library<'_>,
    thumbs: &std::collections::HashMap<usize, crate::render::thumbnails::Thumb>,
    fields: FieldUse,
) -> Values {
    use rayon::prelude::*;
    // Term objects are only shown in the pages' `taxonomies`.
    let term_objects = if fields.taxonomies {
        TermObjects::new(lib)
    } else {
        TermObjects::default()
    };
    let mut docs: Vec<Option<tera::Value>> = lib
        .site
        .docs
        .par_iter()
        .with_max_len(crate::PAGES_PER_TASK)
        .map(|d| {
            lib.includes(d.id)
                .then(|| doc_value(lib, d, thumbs.get(&d.id), &term_objects, &fields))
        })
        .collect();
    // Sections list their pages: the page objects built above, shared.
    for d in lib
        .site
        .docs
        .iter()
        .filter(|d| d.is_section && lib.includes(d.id))
    {
        let pages: Vec<tera::Value> = lib
            .pages_of(d.id)
            .into_iter()
            .filter_map(|p| docs[p].clone())
            .collect();
        if let Some(v) = docs[d.id].take() {
            docs[d.id] = Some(with_field(v, "pages", tera::Value::from(pages)));
        }
    }
    let site = site_value(lib);
    Values {
        docs,
        sites: (0..crate::worker_slots())
            .map(|_| to_tera(site.clone()))
            .collect(),
        fields,
    }
}

impl Values {
    /// The `site` object of the calling thread.
    pub fn site(&self) -> &tera::Value {
        &self.sites[crate::worker_slot(self.sites.len())]
    }
}

/// Makes one document's object again, as [`build_values`] does (a section
/// with its pages' objects), after an edit changed it.
pub fn refresh_doc(
    lib: &Library<'_>,
    values: &mut Values,
    id: usize,
    thumbs: &std::collections::HashMap<usize, crate::render::thumbnails::Thumb>,
) {
    if !lib.includes(id) {
        values.docs[id] = None;
        return;
    }
    let d = &lib.site.docs[id];
    let fields = values.fields;
    let mut v = doc_value(lib, d, thumbs.get(&id), &TermObjects::default(), &fields);
    if d.is_section {
        let pages: Vec<tera::Value> = lib
            .pages_of(id)
            .into_iter()
            .filter_map(|p| values.docs[p].clone())
            .collect();
        v = with_field(v, "pages", tera::Value::from(pages));
    }
    values.docs[id] = Some(v);
}

/// Moves a JSON value into a template value. Going through serde
/// (`Value::from_serializable`) copied every string and was a tenth of a
/// large build; this moves them.
pub fn to_tera(j: Json) -> tera::Value {
    match j {
        Json::Null => tera::Value::none(),
        Json::Bool(b) => b.into(),
        // The same variants serde would pick: unsigned when it fits.
        Json::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into(),
            (None, Some(i)) => i.into(),
            _ => n.as_f64().unwrap_or(0.0).into(),
        },
        Json::String(s) => s.into(),
        Json::Array(a) => a.into_iter().map(to_tera).collect::<Vec<_>>().into(),
        Json::Object(m) => {
            let mut map = tera::Map::with_capacity_and_hasher(m.len(), Default::default());
            for (k, v) in m {
                map.insert(k.into(), to_tera(v));
            }
            tera::Value::from(map)
        }
    }
}

/// A copy of a map value with one more field. (Making the copy through
/// tera's serializer, the way `object!` makes objects, was tried: the
/// pass-through of each shared value costs as much as inserting it again.)
pub fn with_field(v: tera::Value, key: &str, field: tera::Value) -> tera::Value {
    let mut map = v.into_map().unwrap_or_default();
    map.insert(key.to_string().into(), field);
    tera::Value::from(map)
}

/// Every hashtag of a page, once each (first spelling wins): front matter,
/// the campaign's own, then those written in the text.
pub fn page_hashtags(d: &Document) -> Vec<&str> {
    let mut out: Vec<&str> = vec![];
    let all =
        d.fm.hashtags
            .iter()
            .chain(d.campaign.as_ref().map(|c| &c.hashtag))
            .chain(d.rendered.hashtags.iter());
    for h in all {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(h)) {
            out.push(h);
        }
    }
    out
}

fn campaign_fields(
    lib: &Library<'_>,
    d: &Document,
    c: &crate::content::campaign::Campaign,
    v: &mut Json,
) {
    let tz = &lib.site.config.timezone;
    let iso_local = |x: &crate::content::dates::Dated| {
        if x.date_only {
            x.iso.clone()
        } else {
            x.instant
                .to_zoned(tz.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        }
    };
    let status = c.status(lib.site.now, tz);
    let goals: Vec<Json> = c
        .goals
        .iter()
        .map(|g| {
            let percent = g.result.map(|r| {
                if g.target > 0.0 {
                    (r / g.target * 100.0).round()
                } else {
                    0.0
                }
            });
            json!({
                "metric": g.metric,
                "target": number(g.target),
                "result": g.result.map(number),
                "percent": percent.map(number),
                "met": g.result.is_some_and(|r| r >= g.target),
            })
        })
        .collect();
    let events: Vec<Json> = c
        .events
        .iter()
        .map(|e| {
            json!({
                "title": e.title,
                "starts": iso_local(&e.starts),
                "ends": e.ends.as_ref().map(iso_local),
                "location": e.location,
                "online": e.online,
                "description": e.description,
            })
        })
        .collect();
    let posts: Vec<Json> = c
        .posts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let image = match p.image_link.and_then(|n| d.rendered.links.get(n)) {
                Some(l) => Some(links::link_url(l, lib)),
                None => p.image.clone().filter(|i| crate::content::markdown::is_external(i)),
            };
            json!({
                "id": format!("post-{}", i + 1),
                "text": p.text,
                "link": p.link,
                "image": image,
                "image_alt": p.image_alt,
                "platforms": p.platforms.iter().map(|pl| json!({
                    "id": pl.id, "name": pl.name, "count": pl.count, "max": pl.max, "share_url": pl.share_url,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    // Replies for staff on duty exist only where staff read: never in an
    // output without the staff audience, whoever the page is for.
    let responses: Vec<Json> = if lib.output.includes(crate::config::Audience::Staff) {
        c.responses
            .iter()
            .map(|r| json!({ "situation": r.situation, "reply": r.reply, "signpost": r.signpost }))
            .collect()
    } else {
        vec![]
    };
    let slug = c.hashtag.trim_start_matches('#').to_lowercase();
    let fields = json!({
        "hashtag": c.hashtag,
        "hashtag_url": lib.site.config.features.hashtags.then(|| lib.url(&format!("hashtags/{}/", crate::site::library::encode_path(&slug)))),
        "starts": iso_local(&c.starts),
        "ends": iso_local(&c.ends),
        "status": status.as_str(),
        "channels": c.channels.iter().map(|id| {
            let name = lib.site.config.platforms.iter().find(|p| &p.id == id).map_or(id.as_str(), |p| p.name.as_str());
            json!({ "id": id, "name": name })
        }).collect::<Vec<_>>(),
        "goals": goals,
        "events": events,
        "posts": posts,
        "responses": responses,
        "calendar_url": lib.url(&format!("{}{}.ics", d.path, d.slug)),
    });
    if let (Json::Object(target), Json::Object(src)) = (v, fields) {
        target.extend(src);
    }
}

/// Whole numbers as integers (`350`, not `350.0`) for display.
fn number(x: f64) -> Json {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Json::from(x as i64)
    } else {
        Json::from(x)
    }
}

/// Where a poster's QR code points: its own `qr`, else the campaign's page,
/// else the poster's page — on the public site when that page is public,
/// so a poster printed from the intranet never sends the public to an
/// intranet address.
fn qr_target(lib: &Library<'_>, d: &Document, p: &crate::content::poster::Poster) -> String {
    if let Some(q) = &p.qr {
        return q.clone();
    }
    let target = p
        .campaign_link
        .and_then(|i| d.rendered.links.get(i))
        .and_then(|l| match &l.kind {
            crate::content::markdown::LinkKind::Page { doc, .. } => *doc,
            _ => None,
        })
        .unwrap_or(d.id);
    let t = &lib.site.docs[target];
    let public_home = lib
        .site
        .config
        .outputs
        .iter()
        .filter(|o| o.includes(crate::config::Audience::Public) && o.includes(t.audience))
        // The output meant for the public is the one with the fewest audiences.
        .min_by_key(|o| o.audiences.len());
    match public_home {
        Some(o) => format!("{}{}", o.base_url, t.path),
        None => lib.permalink(&t.path),
    }
}

fn poster_fields(
    lib: &Library<'_>,
    d: &Document,
    p: &crate::content::poster::Poster,
    v: &mut Json,
) {
    let file = p
        .file_link
        .and_then(|i| d.rendered.links.get(i))
        .map(|l| links::link_url(l, lib));
    let campaign = p
        .campaign_link
        .and_then(|i| d.rendered.links.get(i))
        .and_then(|l| match &l.kind {
            crate::content::markdown::LinkKind::Page { doc, .. } => *doc,
            _ => None,
        })
        .filter(|&c| lib.includes(c))
        .map(|c| {
            let cd = &lib.site.docs[c];
            json!({ "title": cd.fm.title, "url": lib.url_of(c), "hashtag": cd.campaign.as_ref().map(|x| x.hashtag.clone()) })
        });
    let qr_url = qr_target(lib, d, p);
    let fields = json!({
        "file": file,
        "file_label": p.file_label,
        "paper": p.paper.as_str(),
        "campaign": campaign,
        "qr_url": qr_url,
        "qr_svg": crate::render::qr::svg(&qr_url, 160),
    });
    if let (Json::Object(target), Json::Object(src)) = (v, fields) {
        target.extend(src);
    }
}

#[cfg(test)]
mod tests {
    use super::{FieldUse, Values};

    #[test]
    fn each_worker_reads_its_own_copy_of_the_site_object() {
        use rayon::prelude::*;
        let n = crate::worker_slots();
        let values = Values {
            docs: vec![],
            sites: (0..n).map(|i| tera::Value::from(i as u64)).collect(),
            fields: FieldUse::NONE,
        };
        // Outside the pool: the first copy.
        assert_eq!(values.site(), &tera::Value::from(0u64));
        // On a worker: that worker's own copy, never another's.
        let seen: Vec<(usize, tera::Value)> = (0..256)
            .into_par_iter()
            .map(|_| {
                let i = rayon::current_thread_index().expect("a worker");
                (i, values.site().clone())
            })
            .collect();
        for (worker, site) in seen {
            assert_eq!(site, tera::Value::from((1 + worker) as u64));
        }
    }
}
