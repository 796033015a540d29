//! One output's view of the site: only the documents of its audiences.
//!
//! Everything an output renders — pages, listings, taxonomies, copied files —
//! is read through its `Library`, so a page outside the output's audiences
//! cannot be listed, linked or copied by accident.

use ahash::AHashMap as HashMap;
use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::config::OutputConfig;
use crate::content::markdown::LinkKind;
use crate::site::Site;

pub struct Term {
    pub name: String,
    pub slug: String,
    pub pages: Vec<usize>,
    /// The campaign page whose hashtag this is, if any.
    pub campaign: Option<usize>,
}

/// The built-in taxonomy of hashtags.
pub const HASHTAGS: &str = "hashtags";

pub struct Taxonomy {
    pub name: String,
    pub terms: Vec<Term>,
}

pub struct Library<'s> {
    pub site: &'s Site,
    pub output: &'s OutputConfig,
    included: Vec<bool>,
    pub taxonomies: Vec<Taxonomy>,
    /// Content-relative paths of files linked from included pages.
    pub attachments: BTreeSet<String>,
}

/// What a [`Library`] holds besides its borrows, so a long-lived build
/// (watch) can keep it while the site changes underneath.
pub struct LibraryParts {
    included: Vec<bool>,
    pub taxonomies: Vec<Taxonomy>,
    pub attachments: BTreeSet<String>,
}

impl<'s> Library<'s> {
    pub fn into_parts(self) -> LibraryParts {
        LibraryParts {
            included: self.included,
            taxonomies: self.taxonomies,
            attachments: self.attachments,
        }
    }

    /// A library from kept parts; `site` must have the same documents (in
    /// number, audience and publishing) as the one they were made from.
    pub fn from_parts(site: &'s Site, output: &'s OutputConfig, parts: LibraryParts) -> Self {
        Library {
            site,
            output,
            included: parts.included,
            taxonomies: parts.taxonomies,
            attachments: parts.attachments,
        }
    }

    pub fn new(site: &'s Site, output: &'s OutputConfig) -> Self {
        let included: Vec<bool> = site
            .docs
            .iter()
            .map(|d| d.published && output.includes(d.audience))
            .collect();
        let mut lib = Library {
            site,
            output,
            included,
            taxonomies: vec![],
            attachments: BTreeSet::new(),
        };
        lib.taxonomies = lib.collect_taxonomies();
        // Borrowed until the set is made: most files are linked from
        // several pages.
        let attached: BTreeSet<&str> = site
            .docs
            .iter()
            .filter(|d| lib.includes(d.id))
            .flat_map(|d| d.rendered.links.iter())
            .filter_map(|l| match &l.kind {
                LinkKind::File { target } => Some(target.as_str()),
                _ => None,
            })
            .collect();
        lib.attachments = attached.into_iter().map(str::to_string).collect();
        lib
    }

    pub fn includes(&self, id: usize) -> bool {
        self.included[id]
    }

    /// Included documents, in source order.
    pub fn docs(&self) -> impl Iterator<Item = &'s crate::content::Document> + '_ {
        self.site.docs.iter().filter(|d| self.included[d.id])
    }

    pub fn pages_of(&self, section: usize) -> Vec<usize> {
        self.site
            .pages_of
            .get(&section)
            .map(|v| v.iter().copied().filter(|&i| self.included[i]).collect())
            .unwrap_or_default()
    }

    pub fn subsections_of(&self, section: usize) -> Vec<usize> {
        self.site
            .subsections_of
            .get(&section)
            .map(|v| v.iter().copied().filter(|&i| self.included[i]).collect())
            .unwrap_or_default()
    }

    /// Sections from the home page down to the document's own section,
    /// skipping any that are not in this output.
    pub fn ancestors(&self, id: usize) -> Vec<usize> {
        let mut chain = vec![];
        let mut p = self.site.docs[id].parent;
        while let Some(pi) = p {
            if self.included[pi] {
                chain.push(pi);
            }
            p = self.site.docs[pi].parent;
        }
        chain.reverse();
        chain
    }

    /// The URL path of a site path in this output: `/social-media/guidance/`.
    pub fn url(&self, site_path: &str) -> String {
        concat(&self.output.base_path, site_path.trim_start_matches('/'))
    }

    pub fn url_of(&self, id: usize) -> String {
        self.url(self.site.path_of(id))
    }

    pub fn permalink(&self, site_path: &str) -> String {
        concat(&self.output.base_url, site_path.trim_start_matches('/'))
    }

    /// The absolute form of a URL made by [`Library::url`].
    pub fn absolute(&self, url: &str) -> String {
        match url.strip_prefix(self.output.base_path.as_str()) {
            Some(rest) => concat(&self.output.base_url, rest),
            None => url.to_string(),
        }
    }

    pub fn file_url(&self, content_rel: &str) -> String {
        let mut url = String::new();
        self.push_file_url(&mut url, content_rel);
        url
    }

    /// Appends [`Library::file_url`] to `out` (every file link of every
    /// page: no string of its own).
    pub fn push_file_url(&self, out: &mut String, content_rel: &str) {
        out.push_str(&self.output.base_path);
        encode_path_into(out, content_rel.trim_start_matches('/'));
    }

    fn collect_taxonomies(&self) -> Vec<Taxonomy> {
        let mut result = vec![];
        // Hashtags first: built in, from front matter `hashtags`, a
        // campaign's `hashtag` and hashtags written in the text; none when
        // site.yaml switches them off.
        let hashtags = self.site.config.features.hashtags;
        let hashtags = hashtags.then(|| {
            self.collect(HASHTAGS, |d| {
                d.fm.hashtags
                    .iter()
                    .chain(d.campaign.as_ref().map(|c| &c.hashtag))
                    .chain(&d.rendered.hashtags)
                    .map(|h| {
                        let display = h.trim_start_matches('#');
                        let slug = if display
                            .bytes()
                            .any(|b| !b.is_ascii_lowercase() && !b.is_ascii_digit())
                        {
                            Cow::Owned(display.to_lowercase())
                        } else {
                            Cow::Borrowed(display)
                        };
                        (slug, display)
                    })
                    .collect()
            })
        });
        result.extend(hashtags.flatten());
        for name in &self.site.config.taxonomies {
            if name == HASHTAGS {
                continue;
            }
            let tax = self.collect(name, |d| {
                d.fm.taxonomies
                    .iter()
                    .filter(|(t, _)| t == name)
                    .flat_map(|(_, values)| {
                        values
                            .iter()
                            .map(|v| (crate::content::slug_of(v), v.as_str()))
                    })
                    .collect()
            });
            result.extend(tax);
        }
        result
    }

    /// One taxonomy from (slug, display name) pairs per document. A term's
    /// name is its most used spelling; a taxonomy no page of this output
    /// uses gets no pages at all.
    fn collect(
        &self,
        name: &str,
        terms_of: impl Fn(&'s crate::content::Document) -> Vec<(Cow<'s, str>, &'s str)> + Sync,
    ) -> Option<Taxonomy> {
        use rayon::prelude::*;
        // slug → (spelling → uses, pages in id order). Slugs and spellings
        // are borrowed from the documents (a tag is usually its own slug):
        // copying two strings per tag of every page was most of this.
        type Merged<'a> = HashMap<Cow<'a, str>, (HashMap<&'a str, usize>, Vec<usize>)>;
        // Slugs and spellings per page, merged into one map per stretch of
        // pages, then the stretches' maps merged pairwise, on every core.
        // rayon keeps the stretches in source order (the left one is
        // merged first), so every term's pages stay in id order; a page
        // is in one stretch only.
        let add_page = |mut terms: Merged<'s>, d: &'s crate::content::Document| {
            let mut pairs = terms_of(d);
            // A page's repeats of a spelling (a hashtag written ten times)
            // are counted together.
            pairs.sort_unstable();
            let mut pairs = pairs.into_iter().peekable();
            while let Some((slug, display)) = pairs.next() {
                let mut uses = 1;
                while pairs.next_if(|p| p.0 == slug && p.1 == display).is_some() {
                    uses += 1;
                }
                if slug.is_empty() {
                    continue;
                }
                let entry = terms.entry(slug).or_default();
                *entry.0.entry(display).or_default() += uses;
                // Pages come in id order, so a repeat of this page's term
                // is always the last entry: no scan of the whole list
                // (that was quadratic in the pages of a popular tag).
                if entry.1.last() != Some(&d.id) {
                    entry.1.push(d.id);
                }
            }
            terms
        };
        let merge = |mut left: Merged<'s>, right: Merged<'s>| {
            for (slug, (spellings, pages)) in right {
                let entry = left.entry(slug).or_default();
                for (spelling, uses) in spellings {
                    *entry.0.entry(spelling).or_default() += uses;
                }
                entry.1.extend(pages);
            }
            left
        };
        let terms: Merged<'s> = self
            .site
            .docs
            .par_iter()
            .filter(|d| self.included[d.id])
            .fold(Merged::new, add_page)
            .reduce(Merged::new, merge);
        let mut terms: Vec<_> = terms.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let terms: Vec<Term> = terms
            .into_par_iter()
            .with_max_len(1)
            .map(|(slug, (spellings, mut pages))| {
                let name = spellings
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(s, _)| s.to_string())
                    .unwrap_or_else(|| slug.to_string());
                // Newest first, then by title. The key is read once per
                // page: comparing two documents' fields on every step of
                // the sort reached into 1.5 KB documents scattered over
                // memory (a popular tag lists a thousand pages).
                pages.sort_by_cached_key(|&p| {
                    let d = &self.site.docs[p];
                    (
                        std::cmp::Reverse(d.fm.date.as_ref().map(|x| x.instant)),
                        d.fm.title.as_str(),
                    )
                });
                let campaign = pages.iter().copied().find(|&p| {
                    self.site.docs[p].campaign.as_ref().is_some_and(|c| {
                        c.hashtag
                            .trim_start_matches('#')
                            .eq_ignore_ascii_case(&slug)
                    })
                });
                Term {
                    name,
                    slug: slug.into_owned(),
                    pages,
                    campaign,
                }
            })
            .collect();
        (!terms.is_empty()).then(|| Taxonomy {
            name: name.to_string(),
            terms,
        })
    }
}

/// `a` then `b` in one allocation: URLs are made for every link and
/// listing entry, where `format!` was a measurable cost.
pub fn concat(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    s
}

/// Percent-encodes what may not stand in a URL path as is.
pub fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    encode_path_into(&mut out, p);
    out
}

/// Appends [`encode_path`] of `p` to `out`.
pub fn encode_path_into(out: &mut String, p: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let keep = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/');
    out.reserve(p.len());
    // Runs of characters that stay as they are (most paths are one run)
    // are copied whole.
    let bytes = p.as_bytes();
    let run = |out: &mut String, r: std::ops::Range<usize>| {
        out.push_str(std::str::from_utf8(&bytes[r]).expect("a run of ASCII"));
    };
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !keep(b) {
            run(out, start..i);
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
            start = i + 1;
        }
    }
    run(out, start..bytes.len());
}

#[cfg(test)]
mod tests {
    use super::encode_path;

    #[test]
    fn paths_are_percent_encoded_byte_by_byte() {
        assert_eq!(
            encode_path("guidance/x-1_2.~y.pdf"),
            "guidance/x-1_2.~y.pdf"
        );
        assert_eq!(
            encode_path("files/café menu.pdf"),
            "files/caf%C3%A9%20menu.pdf"
        );
        assert_eq!(encode_path("é"), "%C3%A9");
        assert_eq!(encode_path("a&b?#"), "a%26b%3F%23");
        assert_eq!(encode_path(""), "");
    }
}
