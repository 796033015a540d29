//! QR codes as inline SVG: one path of dark modules inside a four-module
//! quiet zone, with an accessible name, made at build time.

use qrcode::{Color, EcLevel, QrCode};

/// The modules a QR code is drawn from: (width in modules, dark or not),
/// row by row, without the quiet zone.
pub fn modules(url: &str) -> Option<(usize, Vec<bool>)> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let colors = code.to_colors();
    Some((
        code.width(),
        colors.into_iter().map(|c| c == Color::Dark).collect(),
    ))
}

/// The quiet zone scanners need around a code, in modules (ISO/IEC 18004).
pub const QUIET_ZONE: usize = 4;

/// An SVG drawing of the QR code for `url`, `size` CSS pixels square.
pub fn svg(url: &str, size: u32) -> Option<String> {
    let (width, dark) = modules(url)?;
    let total = width + 2 * QUIET_ZONE;
    // One rectangle per run of dark modules in a row keeps the path short.
    let mut d = String::with_capacity(dark.len() * 2);
    for y in 0..width {
        let row = &dark[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] {
                x += 1;
            }
            let run = x - start;
            d.push_str(&format!(
                "M{} {}h{run}v1h-{run}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE
            ));
        }
    }
    let label = escape(url);
    Some(format!(
        "<svg class=\"gp-qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {total} {total}\" width=\"{size}\" height=\"{size}\" role=\"img\" aria-label=\"QR code for {label}\" shape-rendering=\"crispEdges\"><rect width=\"{total}\" height=\"{total}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{d}\"/></svg>"
    ))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn svg_has_quiet_zone_and_a_name() {
        let url = "https://example.org/a?b=1&c=2";
        let svg = super::svg(url, 180).unwrap();
        let (width, _) = super::modules(url).unwrap();
        let total = width + 2 * super::QUIET_ZONE;
        assert!(
            svg.contains(&format!("viewBox=\"0 0 {total} {total}\"")),
            "{svg}"
        );
        assert!(
            svg.contains("aria-label=\"QR code for https://example.org/a?b=1&amp;c=2\""),
            "{svg}"
        );
        assert!(!svg.contains("M0 0"), "nothing is drawn in the quiet zone");
    }
}
