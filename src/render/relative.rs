//! `relative_urls: true`: every internal link of a finished HTML page is
//! rewritten relative to that page, ending in `index.html`, so the folder
//! works at any path on a server and opened straight from a file share.

const ATTRS: [&str; 4] = [" href=\"", " src=\"", " action=\"", " poster=\""];

/// Rewrites attribute URLs that start with `base_path` (`/comms/social/`)
/// relative to the page at `page_path` (`guidance/x/`, or `404.html`).
pub fn relativize(html: &str, base_path: &str, page_path: &str) -> String {
    // Folders between the output root and the page's own folder.
    let depth = page_path.matches('/').count();
    let up = "../".repeat(depth);
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut i = 0;
    while i < html.len() {
        let next = ATTRS
            .iter()
            .filter_map(|a| html[i..].find(a).map(|p| (i + p, a.len())))
            .min();
        let Some((pos, alen)) = next else {
            break;
        };
        let vstart = pos + alen;
        out.push_str(&html[i..vstart]);
        let vend = html[vstart..].find('"').map_or(html.len(), |e| vstart + e);
        let value = &html[vstart..vend];
        push_relative(&mut out, value, base_path, &up);
        i = vend;
    }
    out.push_str(&html[i..]);
    out
}

/// One URL made relative to a page `page_path` (see [`relativize`]).
pub fn relative_url(url: &str, base_path: &str, page_path: &str) -> String {
    let mut out = String::new();
    push_relative(
        &mut out,
        url,
        base_path,
        &"../".repeat(page_path.matches('/').count()),
    );
    out
}

fn push_relative(out: &mut String, value: &str, base_path: &str, up: &str) {
    match value.strip_prefix(base_path) {
        Some(rest) if value.starts_with('/') => {
            let split = rest.find(['#', '?']).unwrap_or(rest.len());
            let (path, tail) = rest.split_at(split);
            out.push_str(up);
            out.push_str(path);
            if path.is_empty() || path.ends_with('/') {
                out.push_str("index.html");
            }
            out.push_str(tail);
        }
        _ => out.push_str(value),
    }
}

#[cfg(test)]
mod tests {
    use super::relativize;

    #[test]
    fn rewrites_internal_links_only() {
        let html = r#"<a href="/b/guidance/x/#top">x</a><img src="/b/img/a.png"><a href="/b/">home</a><a href="https://nhs.uk/">n</a><a href="/other/">o</a>"#;
        let out = relativize(html, "/b/", "guidance/y/");
        assert_eq!(
            out,
            r#"<a href="../../guidance/x/index.html#top">x</a><img src="../../img/a.png"><a href="../../index.html">home</a><a href="https://nhs.uk/">n</a><a href="/other/">o</a>"#
        );
        assert_eq!(
            relativize(r#"<a href="/b/css/a.css">"#, "/b/", ""),
            r#"<a href="css/a.css">"#
        );
    }
}
