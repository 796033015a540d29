//! `guidepost init` (a new site) and `guidepost new` (a new page from its
//! kind's archetype). Both only ever create files: an existing file is
//! never overwritten.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Diagnostic, Location, ids};

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/starter");
static ARCHETYPES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/archetypes");
static THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/nhs");

/// What a scaffold command did.
#[derive(Debug, Default)]
pub struct Created {
    pub written: Vec<PathBuf>,
    /// Files that were already there and were left alone.
    pub kept: Vec<PathBuf>,
}

/// Dates for archetypes, from "today" (`--now` / SOURCE_DATE_EPOCH aware).
fn fill(template: &str, title: &str, slug: &str, today: jiff::civil::Date) -> String {
    let plus = |days: i64| {
        today
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(today)
            .to_string()
    };
    let plus_months = |m: i64| {
        today
            .checked_add(jiff::Span::new().months(m))
            .unwrap_or(today)
            .to_string()
    };
    template
        .replace("{{title}}", &title.replace('"', "'"))
        .replace("{{slug}}", slug)
        .replace("{{today}}", &today.to_string())
        .replace("{{in_a_week}}", &plus(7))
        .replace("{{in_two_weeks}}", &plus(14))
        .replace("{{in_three_weeks}}", &plus(21))
        .replace("{{in_six_months}}", &plus_months(6))
        .replace("{{in_a_year}}", &plus_months(12))
}

fn write_new(path: &Path, bytes: &[u8], created: &mut Created) -> Result<(), Diagnostic> {
    if path.exists() {
        created.kept.push(path.to_path_buf());
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| env_error(parent, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| env_error(path, e))?;
    created.written.push(path.to_path_buf());
    Ok(())
}

fn env_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        ids::CANNOT_WRITE,
        format!("cannot write {}: {e}", path.display()),
    )
    .hint("check the folder exists and you can write to it")
}

/// A plain poster picture for starter and new posters, to be replaced.
fn placeholder_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(600, 848, |_, y| {
        if y < 120 {
            image::Rgb([0, 48, 135])
        } else {
            image::Rgb([0, 94, 184])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    let _ = img.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

fn all_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut out: Vec<&include_dir::File> = dir.files().collect();
    for d in dir.dirs() {
        out.extend(all_files(d));
    }
    out
}

/// `guidepost init DIR`: a site that builds as it is.
pub fn init(
    dir: &Path,
    force: bool,
    copy_theme: bool,
    today: jiff::civil::Date,
) -> Result<Created, Diagnostic> {
    if dir.exists() {
        let non_empty = std::fs::read_dir(dir)
            .map_err(|e| env_error(dir, e))?
            .next()
            .is_some();
        if non_empty && !force {
            return Err(Diagnostic::error(ids::FOLDER_NOT_EMPTY, format!("{} is not empty", dir.display()))
                .at(Location::file_only(dir.display().to_string()))
                .hint("choose an empty or new folder, or add --force to add the starter files beside what is there (existing files are never overwritten)"));
        }
    }
    let mut created = Created::default();
    for file in all_files(&STARTER) {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        // Dot files are stored without their dot so packaging keeps them.
        let rel = match rel.as_str() {
            "gitignore" => ".gitignore".to_string(),
            "gitlab-ci.yml" => ".gitlab-ci.yml".to_string(),
            _ => rel,
        };
        let text = String::from_utf8_lossy(file.contents());
        write_new(
            &dir.join(&rel),
            fill(&text, "", "", today).as_bytes(),
            &mut created,
        )?;
    }
    write_new(
        &dir.join("content/posters/images/example-poster.png"),
        &placeholder_png(),
        &mut created,
    )?;
    if copy_theme {
        for file in all_files(&THEME) {
            let rel = file.path().to_string_lossy().replace('\\', "/");
            write_new(
                &dir.join("themes/nhs").join(rel),
                file.contents(),
                &mut created,
            )?;
        }
    }
    Ok(created)
}

pub const KINDS: &[&str] = &["guidance", "campaign", "poster", "page"];

/// `guidepost new KIND TITLE`: the kind's archetype (the site's own
/// `archetypes/KIND.md` first), in the kind's section, named after the title.
pub fn new_page(
    root: &Path,
    kind: &str,
    title: &str,
    today: jiff::civil::Date,
) -> Result<Created, Diagnostic> {
    let folder = match kind {
        "guidance" => "content/guidance",
        "campaign" => "content/campaigns",
        "poster" => "content/posters",
        "page" => "content",
        other => {
            return Err(Diagnostic::error(
                ids::UNKNOWN_KIND,
                format!("`{other}` is not a kind of page"),
            )
            .hint(format!("use one of: {}", KINDS.join(", "))));
        }
    };
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            ids::UNUSABLE_TITLE,
            "the title needs letters or digits to make a file name from",
        )
        .hint("e.g. guidepost new guidance \"Using LinkedIn\""));
    }
    let path = root.join(folder).join(format!("{slug}.md"));
    if path.exists() {
        return Err(Diagnostic::error(
            ids::PAGE_EXISTS,
            format!("{folder}/{slug}.md already exists"),
        )
        .at(Location::file_only(format!("{folder}/{slug}.md")))
        .hint("choose another title, or edit the existing page"));
    }
    let own = root.join("archetypes").join(format!("{kind}.md"));
    let template = match std::fs::read_to_string(&own) {
        Ok(t) => t,
        Err(_) => ARCHETYPES
            .get_file(format!("{kind}.md"))
            .map(|f| String::from_utf8_lossy(f.contents()).into_owned())
            .unwrap_or_default(),
    };
    let mut created = Created::default();
    write_new(
        &path,
        fill(&template, title, &slug, today).as_bytes(),
        &mut created,
    )?;
    if kind == "poster" {
        write_new(
            &root.join(folder).join("images").join(format!("{slug}.png")),
            &placeholder_png(),
            &mut created,
        )?;
    }
    Ok(created)
}
