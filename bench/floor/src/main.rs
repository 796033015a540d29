//! The benchmark floor: reads every Markdown file under `SITE/content`,
//! parses its YAML front matter with serde_yaml, renders the body with
//! pulldown-cmark (the same extensions Guidepost enables) and writes one
//! HTML file per page to `OUT/<path>/index.html`, in parallel with rayon
//! (one thread per core). No templates, listings, taxonomies, link checks
//! or search index: the least work any generator must do for this corpus.
//!
//! Usage: guidepost-bench-floor SITE OUT

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
#[allow(dead_code)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    audience: Option<String>,
}

fn split(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some((&rest[..end + 1], &rest[end + 5..]))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn build(src: &Path, content: &Path, out: &Path, opts: Options) -> Result<(), String> {
    let text = fs::read_to_string(src).map_err(|e| format!("{}: {e}", src.display()))?;
    let (fm, body) = split(&text).ok_or_else(|| format!("{}: no front matter", src.display()))?;
    let fm: FrontMatter =
        serde_yaml::from_str(fm).map_err(|e| format!("{}: {e}", src.display()))?;
    let mut html_out = String::with_capacity(body.len() * 3 / 2 + 512);
    html_out.push_str("<!DOCTYPE html>\n<html lang=\"en-gb\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    html_out.push_str(&escape(&fm.title));
    html_out.push_str("</title>\n</head>\n<body>\n<main>\n<h1>");
    html_out.push_str(&escape(&fm.title));
    html_out.push_str("</h1>\n");
    html::push_html(&mut html_out, Parser::new_ext(body, opts));
    html_out.push_str("</main>\n</body>\n</html>\n");

    let rel = src.strip_prefix(content).unwrap();
    let dir: PathBuf = if rel.file_name().is_some_and(|n| n == "_index.md") {
        out.join(rel.parent().unwrap())
    } else {
        out.join(rel.with_extension(""))
    };
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let target = dir.join("index.html");
    let mut f = fs::File::create(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    f.write_all(html_out.as_bytes()).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: {} SITE OUT", args[0]);
        std::process::exit(2);
    }
    let content = Path::new(&args[1]).join("content");
    let out = PathBuf::from(&args[2]);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let errors: Vec<String> = files
        .par_iter()
        .filter_map(|f| build(f, &content, &out, opts).err())
        .collect();
    if !errors.is_empty() {
        for e in &errors {
            eprintln!("error: {e}");
        }
        std::process::exit(1);
    }
    println!("floor: {} pages → {}", files.len(), out.display());
}
