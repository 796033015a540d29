//! Gallery thumbnails of poster images: made once per build, shared by
//! every output, and cached by content hash — an image whose bytes have
//! not changed is not resized again: its thumbnail is taken from the
//! previous build's output, where it was written under the same name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Kind;
use crate::content::markdown::LinkKind;
use crate::diagnostics::{Diagnostic, Location, ids};
use crate::site::Site;

/// Thumbnails are this many CSS pixels wide (or the image's own width,
/// if smaller): two columns of cards on a desktop, sharp on a phone.
pub const WIDTH: u32 = 480;

#[derive(Debug, Clone)]
pub struct Thumb {
    /// Output-relative path.
    pub rel: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Arc<Vec<u8>>,
}

/// A thumbnail and whether it came from the cache, or why there is none.
type ThumbResult = Result<(Thumb, bool), Diagnostic>;

#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub made: usize,
    pub reused: usize,
}

fn source_path(site: &Site, kind: &LinkKind) -> Option<PathBuf> {
    match kind {
        LinkKind::File { target } => Some(site.config.root.join("content").join(target)),
        LinkKind::Static { path } => Some(site.config.root.join("static").join(path)),
        _ => None,
    }
}

/// Makes (or reuses) a thumbnail for every published poster's image.
/// `previous` are the output folders of the last build, where cached
/// thumbnails may be found.
pub fn prepare(
    site: &Site,
    previous: &[PathBuf],
) -> (HashMap<usize, Thumb>, Stats, Vec<Diagnostic>) {
    let jobs: Vec<(usize, PathBuf, String)> = site
        .docs
        .iter()
        .filter(|d| d.published && d.kind == Kind::Poster && !d.is_section)
        .filter_map(|d| {
            let link = d.rendered.links.get(d.image_link?)?;
            Some((d.id, source_path(site, &link.kind)?, d.file.clone()))
        })
        .collect();
    let results: Vec<(usize, ThumbResult)> = jobs
        .par_iter()
        .map(|(id, path, file)| {
            (
                *id,
                thumbnail(path, previous).map_err(|e| {
                    Diagnostic::error(
                        ids::UNREADABLE_IMAGE,
                        format!("cannot make a thumbnail of the poster image: {e}"),
                    )
                    .at(Location::file_only(file.clone()))
                    .hint("save the image as PNG or JPEG and check it opens")
                }),
            )
        })
        .collect();
    let mut thumbs = HashMap::new();
    let mut stats = Stats::default();
    let mut diags = vec![];
    for (id, r) in results {
        match r {
            Ok((t, reused)) => {
                if reused {
                    stats.reused += 1;
                } else {
                    stats.made += 1;
                }
                thumbs.insert(id, t);
            }
            Err(d) => diags.push(d),
        }
    }
    (thumbs, stats, diags)
}

fn thumbnail(path: &Path, previous: &[PathBuf]) -> Result<(Thumb, bool), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let hash = blake3::hash(&bytes).to_hex();
    let (w, h) = image::image_dimensions(path).map_err(|e| e.to_string())?;
    let (tw, th) = if w <= WIDTH {
        (w, h)
    } else {
        (
            WIDTH,
            ((h as f64) * (WIDTH as f64) / (w as f64)).round().max(1.0) as u32,
        )
    };
    let is_jpeg = image::ImageFormat::from_path(path).is_ok_and(|f| f == image::ImageFormat::Jpeg);
    let ext = if is_jpeg { "jpg" } else { "png" };
    let rel = format!("thumbnails/{}-{tw}x{th}.{ext}", &hash.as_str()[..16]);
    for dir in previous {
        if let Ok(cached) = std::fs::read(dir.join(&rel)) {
            return Ok((
                Thumb {
                    rel,
                    width: tw,
                    height: th,
                    bytes: Arc::new(cached),
                },
                true,
            ));
        }
    }
    let img = image::load_from_memory(&bytes).map_err(|e| e.to_string())?;
    let small = image::imageops::thumbnail(&img, tw, th);
    let mut out = std::io::Cursor::new(Vec::new());
    if is_jpeg {
        image::DynamicImage::ImageRgba8(small)
            .to_rgb8()
            .write_to(&mut out, image::ImageFormat::Jpeg)
            .map_err(|e| e.to_string())?;
    } else {
        small
            .write_to(&mut out, image::ImageFormat::Png)
            .map_err(|e| e.to_string())?;
    }
    Ok((
        Thumb {
            rel,
            width: tw,
            height: th,
            bytes: Arc::new(out.into_inner()),
        },
        false,
    ))
}
