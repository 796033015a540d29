//! A fixture site in a temporary folder, and the real `guidepost` binary.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const SITE_YAML: &str = "\
title: Test Trust — social media
organisation: Test Trust
default_audience: staff
outputs:
  public:
    audiences: [public]
    dir: public/www
    base_url: https://www.example.nhs.uk/social/
  intranet:
    audiences: [public, staff]
    dir: public/intranet
    base_url: https://intranet.example.nhs.uk/comms/
    relative_urls: true
    noindex: true
taxonomies: [tags]
";

pub struct Site {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl Site {
    /// An empty folder.
    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A small valid site: a public home page and two-output site.yaml.
    pub fn new() -> Site {
        let s = Site::empty();
        s.write("site.yaml", SITE_YAML);
        s.write(
            "content/_index.md",
            "---\ntitle: Home\naudience: public\n---\nWelcome to the hub.\n",
        );
        s
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_guidepost"));
        cmd.arg("--root").arg(self.root()).args(args);
        cmd.env_remove("SOURCE_DATE_EPOCH");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run guidepost");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `guidepost build` that must succeed.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let mut a = vec!["build"];
        a.extend_from_slice(args);
        let r = self.run(&a);
        assert_eq!(r.code, 0, "build failed:\n{}", r.all());
        r
    }

    /// `guidepost build` that must fail with exit code 1.
    pub fn build_fails(&self) -> Run {
        let r = self.run(&["build"]);
        assert_eq!(r.code, 1, "expected exit 1:\n{}", r.all());
        r
    }

    /// Every file under `rel`, with its bytes.
    pub fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path(rel))
    }
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// A valid one-page PDF of about `padding` extra bytes.
pub fn small_pdf(padding: usize) -> Vec<u8> {
    let mut v = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    v.extend(std::iter::repeat_n(b'%', padding));
    v.extend(b"\n%%EOF\n");
    v
}
