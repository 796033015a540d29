//! Machine-readable files of an output: sitemap.xml, robots.txt and the
//! Atom feed. Each lists only the output's own pages, with absolute URLs.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::content::Document;
use crate::content::dates::Dated;
use crate::site::library::Library;

/// How many entries the feed keeps: enough for any reader to catch up,
/// small enough to fetch often.
pub const FEED_LIMIT: usize = 50;

fn xml_writer() -> io::Result<Writer<Vec<u8>>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

/// The date a page last changed, as far as its front matter says.
fn last_changed(d: &Document) -> Option<&Dated> {
    d.fm.updated
        .as_ref()
        .or(d.fm.date.as_ref())
        .or(d.fm.reviewed.as_ref())
}

fn w3c_date(d: &Dated, tz: &jiff::tz::TimeZone) -> String {
    if d.date_only {
        d.iso.clone()
    } else {
        d.instant
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
}

fn rfc3339(ts: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    ts.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// sitemap.xml (sitemaps.org 0.9): every page of the output, with the
/// date it last changed when known (for a section: its newest page).
pub fn sitemap(lib: &Library<'_>, extra_paths: &[String]) -> io::Result<String> {
    let tz = &lib.site.config.timezone;
    let mut w = xml_writer()?;
    w.create_element("urlset")
        .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
        .write_inner_content(|w| {
            for d in lib.docs() {
                let lastmod = if d.is_section {
                    lib.pages_of(d.id)
                        .into_iter()
                        .filter_map(|p| last_changed(&lib.site.docs[p]))
                        .chain(last_changed(d))
                        .max_by_key(|x| x.instant)
                } else {
                    last_changed(d)
                };
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(&lib.permalink(&d.path)))?;
                    if let Some(m) = lastmod {
                        w.create_element("lastmod")
                            .write_text_content(BytesText::new(&w3c_date(m, tz)))?;
                    }
                    Ok(())
                })?;
            }
            for p in extra_paths {
                w.create_element("url").write_inner_content(|w| {
                    w.create_element("loc")
                        .write_text_content(BytesText::new(&lib.permalink(p)))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(String::from_utf8_lossy(&w.into_inner()).into_owned() + "\n")
}

pub fn robots(lib: &Library<'_>) -> String {
    if lib.output.noindex {
        return "# This site is not for search engines.\nUser-agent: *\nDisallow: /\n".to_string();
    }
    let mut text = "User-agent: *\nAllow: /\n".to_string();
    if lib.site.config.features.sitemap {
        text.push_str(&format!("\nSitemap: {}\n", lib.permalink("sitemap.xml")));
    }
    text
}

/// atom.xml (Atom 1.0): the output's dated pages, newest first.
pub fn atom(lib: &Library<'_>) -> io::Result<String> {
    let site = lib.site;
    let tz = &site.config.timezone;
    // Dated pages, and campaigns (dated by their start when they have no
    // date of their own, and only once they have started), so followers
    // hear about a campaign as it opens.
    let published = |d: &Document| {
        d.fm.date.as_ref().map(|x| x.instant).or(d
            .campaign
            .as_ref()
            .map(|c| c.starts.instant)
            .filter(|s| *s <= site.now))
    };
    let mut entries: Vec<&Document> = lib
        .docs()
        .filter(|d| !d.is_section && published(d).is_some())
        .collect();
    let changed = |d: &Document| d.fm.updated.as_ref().map(|x| x.instant).or(published(d));
    entries.sort_by(|a, b| {
        changed(b)
            .cmp(&changed(a))
            .then_with(|| a.fm.title.cmp(&b.fm.title))
    });
    entries.truncate(FEED_LIMIT);
    let feed_updated = entries.first().and_then(|d| changed(d)).unwrap_or(site.now);

    let mut w = xml_writer()?;
    w.create_element("feed")
        .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xml:lang", site.config.language.as_str()))
        .write_inner_content(|w| {
            w.create_element("title")
                .write_text_content(BytesText::new(&site.config.title))?;
            w.create_element("id")
                .write_text_content(BytesText::new(&lib.output.base_url))?;
            w.create_element("link")
                .with_attribute(("rel", "self"))
                .with_attribute(("type", "application/atom+xml"))
                .with_attribute(("href", lib.permalink("atom.xml").as_str()))
                .write_empty()?;
            w.create_element("link")
                .with_attribute(("rel", "alternate"))
                .with_attribute(("type", "text/html"))
                .with_attribute(("href", lib.output.base_url.as_str()))
                .write_empty()?;
            w.create_element("updated")
                .write_text_content(BytesText::new(&rfc3339(feed_updated, tz)))?;
            w.create_element("author").write_inner_content(|w| {
                w.create_element("name")
                    .write_text_content(BytesText::new(&site.config.organisation))?;
                Ok(())
            })?;
            for d in &entries {
                let permalink = lib.permalink(&d.path);
                w.create_element("entry").write_inner_content(|w| {
                    w.create_element("title")
                        .write_text_content(BytesText::new(&d.fm.title))?;
                    w.create_element("link")
                        .with_attribute(("rel", "alternate"))
                        .with_attribute(("type", "text/html"))
                        .with_attribute(("href", permalink.as_str()))
                        .write_empty()?;
                    w.create_element("id")
                        .write_text_content(BytesText::new(&permalink))?;
                    if let Some(p) = published(d) {
                        w.create_element("published")
                            .write_text_content(BytesText::new(&rfc3339(p, tz)))?;
                    }
                    let updated = changed(d).unwrap_or(site.now);
                    w.create_element("updated")
                        .write_text_content(BytesText::new(&rfc3339(updated, tz)))?;
                    if let Some(desc) = d.description() {
                        w.create_element("summary")
                            .with_attribute(("type", "text"))
                            .write_text_content(BytesText::new(desc))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(String::from_utf8_lossy(&w.into_inner()).into_owned() + "\n")
}
