//! Social media platforms: names, post length limits and how each counts
//! characters, profile addresses for @handles, and share links.
//!
//! Defaults are built in and can be overridden per platform in site.yaml
//! (`platforms: { x: { max: 280, weighted: true } }`).

use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// X's rules: most Latin-script characters count 1, others 2, every
    /// emoji 2, every URL 23.
    Weighted,
    /// User-perceived characters (grapheme clusters), as Bluesky counts.
    Graphemes,
    /// Unicode characters, with every URL counted as 23 (Mastodon).
    CharsShortUrls,
    /// Unicode characters.
    Chars,
}

#[derive(Debug, Clone)]
pub struct Platform {
    pub id: String,
    pub name: String,
    pub max: usize,
    pub counting: Counting,
}

/// X counts every link as this many characters, whatever its length.
pub const URL_WEIGHT: usize = 23;

const DEFAULTS: &[(&str, &str, usize, Counting)] = &[
    ("x", "X", 280, Counting::Weighted),
    ("bluesky", "Bluesky", 300, Counting::Graphemes),
    ("threads", "Threads", 500, Counting::Chars),
    ("mastodon", "Mastodon", 500, Counting::CharsShortUrls),
    ("linkedin", "LinkedIn", 3000, Counting::Chars),
    ("instagram", "Instagram", 2200, Counting::Chars),
    ("facebook", "Facebook", 63206, Counting::Chars),
    ("tiktok", "TikTok", 2200, Counting::Chars),
    ("youtube", "YouTube", 5000, Counting::Chars),
];

pub fn defaults() -> Vec<Platform> {
    DEFAULTS
        .iter()
        .map(|(id, name, max, counting)| Platform {
            id: id.to_string(),
            name: name.to_string(),
            max: *max,
            counting: *counting,
        })
        .collect()
}

pub fn known_ids() -> Vec<&'static str> {
    DEFAULTS.iter().map(|d| d.0).collect()
}

impl Platform {
    pub fn count(&self, text: &str) -> usize {
        match self.counting {
            Counting::Weighted => weighted_length(text),
            Counting::Graphemes => text.graphemes(true).count(),
            Counting::CharsShortUrls => {
                let (urls, rest) = split_urls(text);
                urls * URL_WEIGHT + rest.chars().count()
            }
            Counting::Chars => text.chars().count(),
        }
    }

    /// A link that opens the platform's "new post" box with the text (or,
    /// for platforms that only share links, the link). None where the
    /// platform has no such address.
    pub fn share_url(&self, text: &str, link: Option<&str>) -> Option<String> {
        let enc = |s: &str| encode_query(s);
        match self.id.as_str() {
            "x" => Some(format!("https://x.com/intent/post?text={}", enc(text))),
            "bluesky" => Some(format!(
                "https://bsky.app/intent/compose?text={}",
                enc(text)
            )),
            "threads" => Some(format!(
                "https://www.threads.net/intent/post?text={}",
                enc(text)
            )),
            "linkedin" => link.map(|l| {
                format!(
                    "https://www.linkedin.com/sharing/share-offsite/?url={}",
                    enc(l)
                )
            }),
            "facebook" => {
                link.map(|l| format!("https://www.facebook.com/sharer/sharer.php?u={}", enc(l)))
            }
            _ => None,
        }
    }

    /// The profile address of a handle on this platform.
    pub fn profile_url(&self, handle: &str) -> Option<String> {
        let h = handle.trim_start_matches('@');
        Some(match self.id.as_str() {
            "x" => format!("https://x.com/{h}"),
            "bluesky" => format!("https://bsky.app/profile/{h}"),
            "threads" => format!("https://www.threads.net/@{h}"),
            "instagram" => format!("https://www.instagram.com/{h}/"),
            "facebook" => format!("https://www.facebook.com/{h}"),
            "linkedin" => format!("https://www.linkedin.com/company/{h}/"),
            "tiktok" => format!("https://www.tiktok.com/@{h}"),
            "youtube" => format!("https://www.youtube.com/@{h}"),
            "mastodon" => {
                let (user, server) = h.split_once('@')?;
                format!("https://{server}/@{user}")
            }
            _ => return None,
        })
    }
}

fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Counts URLs (`http://…`, `https://…`, `www.…`) and returns the text
/// with them removed.
fn split_urls(text: &str) -> (usize, String) {
    let mut urls = 0;
    let mut rest = String::with_capacity(text.len());
    for (i, word) in text.split_inclusive(char::is_whitespace).enumerate() {
        let _ = i;
        let trimmed = word.trim_end();
        let core = trimmed.trim_end_matches(['.', ',', '!', '?', ')', ';', ':', '"', '\'']);
        let is_url =
            core.starts_with("https://") || core.starts_with("http://") || core.starts_with("www.");
        if is_url && core.len() > 4 {
            urls += 1;
            rest.push_str(&trimmed[core.len()..]);
            rest.push_str(&word[trimmed.len()..]);
        } else {
            rest.push_str(word);
        }
    }
    (urls, rest)
}

/// X's weighted length (twitter-text v3): code points in the ranges X
/// treats as narrow count 1, others 2; an emoji (a whole sequence, such as
/// a family or a flag) counts 2; a URL counts 23.
pub fn weighted_length(text: &str) -> usize {
    let (urls, rest) = split_urls(text);
    let mut total = urls * URL_WEIGHT;
    for g in rest.graphemes(true) {
        if is_emoji(g) {
            total += 2;
            continue;
        }
        for c in g.chars() {
            total += if is_narrow(c) { 1 } else { 2 };
        }
    }
    total
}

fn is_narrow(c: char) -> bool {
    matches!(c as u32, 0x0000..=0x10FF | 0x2000..=0x200D | 0x2010..=0x201F | 0x2032..=0x2037)
}

fn is_emoji(g: &str) -> bool {
    g.chars().any(|c| {
        matches!(c as u32,
            0x1F000..=0x1FAFF   // pictographs, emoticons, transport, flags' letters…
            | 0x2600..=0x27BF   // misc symbols and dingbats
            | 0x2B00..=0x2BFF   // arrows and stars
            | 0xFE0F            // emoji presentation selector
            | 0x200D if g.chars().count() > 1)
    }) && !g.is_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_counts_urls_as_23_and_emoji_and_cjk_as_2() {
        assert_eq!(weighted_length("hello"), 5);
        assert_eq!(
            weighted_length("see https://www.example.nhs.uk/a/very/long/path/indeed"),
            4 + 23
        );
        assert_eq!(weighted_length("flu jab 💉"), 8 + 2);
        assert_eq!(weighted_length("👨‍👩‍👧"), 2, "a family is one emoji");
        assert_eq!(weighted_length("🇬🇧"), 2, "a flag is one emoji");
        assert_eq!(weighted_length("日本"), 4);
        assert_eq!(weighted_length("“quoted” — dash"), 15);
    }

    #[test]
    fn other_platforms_count_their_way() {
        let p = defaults();
        let bluesky = p.iter().find(|p| p.id == "bluesky").unwrap();
        assert_eq!(bluesky.count("👨‍👩‍👧 hi"), 4);
        let mastodon = p.iter().find(|p| p.id == "mastodon").unwrap();
        assert_eq!(
            mastodon.count("go https://example.org/long/page now"),
            3 + 23 + 4
        );
    }

    #[test]
    fn share_links_encode_text() {
        let x = &defaults()[0];
        assert_eq!(
            x.share_url("Hi #Tag & you", None).unwrap(),
            "https://x.com/intent/post?text=Hi%20%23Tag%20%26%20you"
        );
        let fb = defaults().into_iter().find(|p| p.id == "facebook").unwrap();
        assert_eq!(fb.share_url("x", None), None);
    }
}
