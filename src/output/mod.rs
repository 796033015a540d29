//! Writing an output folder safely.
//!
//! A build writes into a sibling staging folder and swaps it in only when
//! every output rendered without errors, so a failed build leaves the
//! previous site as it was. A marker file lists what Guidepost wrote; a
//! folder without it, or with files not on its list, is someone else's and
//! is never replaced or deleted.

use std::collections::BTreeSet;
use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diagnostics::{Diagnostic, Location, ids};

pub mod clean;
pub mod leak_check;

pub const MARKER: &str = ".guidepost-output";
const MARKER_HEADER: &str = "# Written by Guidepost. Files listed below are Guidepost's; anything else in this folder is not, and Guidepost will not replace this folder while such files are here.";

/// An output being written.
pub struct Staging {
    pub final_dir: PathBuf,
    pub tmp_dir: PathBuf,
    display: String,
    written: Mutex<BTreeSet<String>>,
    bytes: std::sync::atomic::AtomicU64,
    /// `guidepost check`: files are kept in memory and never written.
    /// Sync mode (watch): only files whose bytes changed are kept.
    memory: Option<Mutex<HashMap<String, Vec<u8>>>>,
    /// Content hashes of everything written (watch keeps them, to write
    /// only what changed next time).
    hashes: Option<Mutex<Manifest>>,
    /// Sync mode: the live output's hashes.
    previous: Option<Arc<Manifest>>,
    /// Update mode (a rebuild over an output Guidepost wrote before): new
    /// and changed files are staged in `tmp_dir`, side by side under names
    /// made from their paths ([`Self::staged_path`]: no folders to make and
    /// remove), unchanged ones stay where they are, and `commit` moves the
    /// staged ones in.
    update: Option<UpdateMode>,
}

/// What update mode knows besides the staging folder.
struct UpdateMode {
    /// The files of the live output (its marker's list).
    live: BTreeSet<String>,
    /// The files written to the staging folder (new or changed).
    staged: Mutex<Vec<String>>,
}

/// Output-relative path → hash of the bytes Guidepost wrote there.
pub type Manifest = HashMap<String, blake3::Hash>;

/// Environment problems (exit code 2): the folder is not ours, disk errors.
pub type EnvResult<T> = Result<T, Diagnostic>;

/// The hash a file's bytes are compared by. Large files (a site's search
/// index) are hashed on every core.
fn content_hash(bytes: &[u8]) -> blake3::Hash {
    if bytes.len() > 1 << 20 {
        blake3::Hasher::new().update_rayon(bytes).finalize()
    } else {
        blake3::hash(bytes)
    }
}

/// Whether the regular file at `path` (not a link) holds exactly `bytes`;
/// read in pieces, without a buffer the size of the file.
fn same_bytes(path: &Path, parts: &[&[u8]]) -> bool {
    use std::io::Read;
    let len: usize = parts.iter().map(|p| p.len()).sum();
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == len as u64 => {}
        _ => return false,
    }
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut buf = [0u8; 16 * 1024];
    for part in parts {
        let mut rest = *part;
        while !rest.is_empty() {
            let want = rest.len().min(buf.len());
            match file.read(&mut buf[..want]) {
                Ok(0) => return false,
                Ok(n) if buf[..n] == rest[..n] => rest = &rest[n..],
                Ok(_) => return false,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
    }
    // Nothing after the last piece (the file may have grown meanwhile).
    matches!(file.read(&mut buf[..1]), Ok(0))
}

/// Whether the regular file `to` (not a link) holds exactly the bytes of
/// the file `from`, both read in pieces.
fn same_file(from: &Path, to: &Path) -> bool {
    use std::io::Read;
    let (Ok(a), Ok(b)) = (fs::metadata(from), fs::symlink_metadata(to)) else {
        return false;
    };
    if !b.is_file() || a.len() != b.len() {
        return false;
    }
    let (Ok(mut fa), Ok(mut fb)) = (fs::File::open(from), fs::File::open(to)) else {
        return false;
    };
    let mut ba = [0u8; 16 * 1024];
    let mut bb = [0u8; 16 * 1024];
    loop {
        let n = match fa.read(&mut ba) {
            Ok(0) => return matches!(fb.read(&mut bb[..1]), Ok(0)),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        if fb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.with_file_name(format!(".{name}.{suffix}"))
}

/// The marker's text: its header, then one file per line, in the order
/// given.
fn marker_text<'a>(files: impl IntoIterator<Item = &'a String>) -> String {
    let mut text = String::from(MARKER_HEADER);
    text.push('\n');
    for f in files {
        text.push_str(f);
        text.push('\n');
    }
    text
}

/// The hidden name of the new copy of a file being replaced
/// ([`write_replacing`]), beside it.
fn replacing_name(name: &str) -> String {
    format!(".{name}.guidepost-new")
}

/// Reads the marker's file list; `None` when there is no marker.
pub fn read_marker(dir: &Path) -> Option<BTreeSet<String>> {
    let text = fs::read_to_string(dir.join(MARKER)).ok()?;
    Some(
        text.lines()
            // `lines` leaves the `\r` of a list saved on Windows.
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// Deletes the file `rel` of the output `top`, which Guidepost wrote, and
/// the folders that leaves empty. Only through real folders: if a folder
/// on the way (or the file's own place) is now a link or a folder, it is
/// someone else's, and what it leads to is left alone. `Ok(false)`: there
/// was nothing of ours to delete.
pub(crate) fn remove_ours(top: &Path, rel: &str) -> EnvResult<bool> {
    let Some(path) = safe_join(top, rel) else {
        return Ok(false);
    };
    let mut at = top.to_path_buf();
    for part in Path::new(rel)
        .parent()
        .into_iter()
        .flat_map(Path::components)
    {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            _ => return Ok(false),
        }
    }
    match fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => return Ok(false),
        Ok(_) => {}
        Err(_) => return Ok(false),
    }
    match fs::remove_file(&path) {
        Ok(()) => {
            remove_empty_parents(top, &path);
            Ok(true)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Diagnostic::error(
            ids::CANNOT_WRITE,
            format!("cannot delete {}: {e}", path.display()),
        )
        .hint("check nothing has the file open and that you may change the folder")),
    }
}

/// Whether `path` itself is a symbolic link (or a Windows junction).
pub fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Files under `dir`, relative, with forward slashes.
fn list_files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| crate::diagnostics::display_path(dir, e.path()))
        .collect()
}

/// Checks that `dir` is absent, empty, or entirely Guidepost's.
pub fn check_owned(dir: &Path, display: &str) -> EnvResult<()> {
    // A link (to a web server's folder, say): the folder it leads to may
    // be shared with another output or hold the site's own sources, and
    // swapping a new folder in would put it in the link's place.
    if is_link(dir) {
        let target = fs::read_link(dir)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        return Err(Diagnostic::error(
            ids::FOREIGN_OUTPUT_FOLDER,
            format!("{display} is a link to {target}; Guidepost builds an output in a folder of its own and will not replace the link"),
        )
        .at(Location::file_only(display))
        .hint("set this output's `dir` in site.yaml to a folder in the site, and copy it to the web server's folder after each build (docs/hosting.md, \"Copying to the web server\")"));
    }
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(Diagnostic::error(
            ids::FOREIGN_OUTPUT_FOLDER,
            format!("{display} is a file, not a folder; Guidepost will not replace it"),
        )
        .at(Location::file_only(display))
        .hint("move it away, or choose another `dir` for this output in site.yaml"));
    }
    let files = list_files(dir);
    if files.is_empty() {
        return Ok(());
    }
    let Some(ours) = read_marker(dir) else {
        return Err(Diagnostic::error(ids::FOREIGN_OUTPUT_FOLDER, format!(
            "{display} already holds files that Guidepost did not write ({} file(s), e.g. {display}/{})",
            files.len(),
            files[0]
        ))
        .at(Location::file_only(display))
        .hint("Guidepost only replaces folders it created. Empty or move that folder, or choose another `dir` for this output in site.yaml"));
    };
    let foreign: Vec<&String> = files
        .iter()
        .filter(|f| f.as_str() != MARKER && !ours.contains(*f))
        .collect();
    if !foreign.is_empty() {
        return Err(Diagnostic::error(ids::FOREIGN_FILES, format!(
            "{display} holds {} file(s) that Guidepost did not write, e.g. {display}/{}",
            foreign.len(),
            foreign[0]
        ))
        .at(Location::file_only(display))
        .hint("Guidepost will not delete files it did not write. Move them out (files meant for the site belong in static/), then build again"));
    }
    Ok(())
}

impl Staging {
    /// Prepares an empty staging folder beside `final_dir`.
    pub fn begin(final_dir: &Path, display: &str) -> EnvResult<Staging> {
        check_owned(final_dir, display)?;
        // One staging folder per process, so a `build` run while `serve`
        // rebuilds never pulls the floor from under the other.
        let tmp_dir = sibling(final_dir, &format!("guidepost-tmp-{}", std::process::id()));
        clean_stale_staging(final_dir);
        if tmp_dir.exists() {
            fs::remove_dir_all(&tmp_dir).map_err(|e| io_diag(&tmp_dir, e))?;
        }
        fs::create_dir_all(&tmp_dir).map_err(|e| io_diag(&tmp_dir, e))?;
        // Marked at once, so an interrupted build's leftovers are known as ours.
        fs::write(tmp_dir.join(MARKER), format!("{MARKER_HEADER}\n"))
            .map_err(|e| io_diag(&tmp_dir, e))?;
        Ok(Staging {
            final_dir: final_dir.to_path_buf(),
            tmp_dir,
            display: display.to_string(),
            written: Mutex::new(BTreeSet::new()),
            bytes: Default::default(),
            memory: None,
            hashes: None,
            previous: None,
            update: None,
        })
    }

    /// Prepares a rebuild of `final_dir` that leaves the files whose bytes
    /// do not change where they are, untouched (same file, same modified
    /// time): new and changed files are staged beside the output and moved
    /// in by [`Self::commit`]; files Guidepost wrote before and not now are
    /// deleted then. Each file is compared with the one in the output as
    /// it is now (so a file edited by hand is written again): reading it
    /// back costs less than writing it, and far less than deleting a whole
    /// old output afterwards; and a copy to a web server (rsync) then sends
    /// only what changed. Without an earlier output of ours, the same as
    /// [`Self::begin`].
    pub fn begin_update(final_dir: &Path, display: &str) -> EnvResult<Staging> {
        let mut staging = Staging::begin(final_dir, display)?;
        staging.update = read_marker(final_dir).map(|live| UpdateMode {
            live,
            staged: Mutex::new(vec![]),
        });
        Ok(staging)
    }

    /// Also keeps a hash of every file written ([`Self::hashes`]).
    pub fn with_hashes(mut self) -> Staging {
        self.hashes = Some(Mutex::new(Manifest::new()));
        self
    }

    /// The hashes of everything written, if [`Self::with_hashes`] asked.
    pub fn take_hashes(&mut self) -> Manifest {
        self.hashes
            .take()
            .map(|m| m.into_inner().expect("hashes"))
            .unwrap_or_default()
    }

    /// Stages changes to a live output that Guidepost wrote before and
    /// whose hashes are `previous`: only files whose bytes differ are kept,
    /// and [`Self::sync`] writes just those into place. Without our marker
    /// in the folder (someone emptied it), nothing is taken as written.
    pub fn sync_to(final_dir: &Path, display: &str, previous: Arc<Manifest>) -> Staging {
        let previous = if final_dir.join(MARKER).is_file() {
            previous
        } else {
            Arc::new(Manifest::new())
        };
        Staging {
            final_dir: final_dir.to_path_buf(),
            tmp_dir: PathBuf::new(),
            display: display.to_string(),
            written: Mutex::new(BTreeSet::new()),
            bytes: Default::default(),
            memory: Some(Mutex::new(Default::default())),
            hashes: Some(Mutex::new(Manifest::new())),
            previous: Some(previous),
            update: None,
        }
    }

    /// Whether this stages changes to a live output ([`Self::sync_to`]):
    /// published by [`Self::sync`], not [`Self::commit`].
    pub fn syncs(&self) -> bool {
        self.previous.is_some()
    }

    /// A staging area that writes nothing to disk (for `guidepost check`).
    pub fn in_memory(display: &str) -> Staging {
        Staging {
            final_dir: PathBuf::new(),
            tmp_dir: PathBuf::new(),
            display: display.to_string(),
            written: Mutex::new(BTreeSet::new()),
            bytes: Default::default(),
            memory: Some(Mutex::new(Default::default())),
            hashes: None,
            previous: None,
            update: None,
        }
    }

    /// The bytes of a file written so far.
    pub fn read(&self, rel: &str) -> Vec<u8> {
        match &self.memory {
            Some(m) => {
                if let Some(b) = m.lock().expect("memory").get(rel) {
                    return b.clone();
                }
                // Sync mode: unchanged files are the live ones.
                match self.safe_final(rel) {
                    Some(p) if self.contains(rel) => std::fs::read(p).unwrap_or_default(),
                    _ => vec![],
                }
            }
            None => match std::fs::read(self.staged_path(rel)) {
                Ok(bytes) => bytes,
                // Update mode: a file not staged is unchanged in the output.
                Err(_) if self.update.is_some() && self.contains(rel) => {
                    safe_join(&self.final_dir, rel)
                        .and_then(|p| std::fs::read(p).ok())
                        .unwrap_or_default()
                }
                Err(_) => vec![],
            },
        }
    }

    fn safe_final(&self, rel: &str) -> Option<PathBuf> {
        if self.previous.is_some() {
            safe_join(&self.final_dir, rel)
        } else {
            None
        }
    }

    /// Writes one file; `rel` must stay inside the output.
    pub fn write(&self, rel: &str, contents: &[u8]) -> EnvResult<()> {
        let path = self.path_for(rel)?;
        let mut unchanged = false;
        if let Some(h) = &self.hashes {
            let hash = content_hash(contents);
            unchanged = self
                .previous
                .as_ref()
                .is_some_and(|p| p.get(rel) == Some(&hash));
            h.lock().expect("hashes").insert(rel.to_string(), hash);
        }
        if let Some(m) = &self.memory {
            if !unchanged {
                m.lock()
                    .expect("memory")
                    .insert(rel.to_string(), contents.to_vec());
            }
            self.record(rel, contents.len() as u64);
            return Ok(());
        }
        if self
            .live_to_compare(rel)
            .is_some_and(|p| same_bytes(&p, &[contents]))
        {
            self.record(rel, contents.len() as u64);
            return Ok(());
        }
        let path = self.destination(rel, path)?;
        fs::write(&path, contents).map_err(|e| self.explain(rel, io_diag(&path, e)))?;
        self.wrote(rel, contents.len() as u64);
        Ok(())
    }

    /// Writes the pieces one after another as one file, without joining
    /// them in memory first (a large site's search index).
    pub fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> EnvResult<()> {
        if self.hashes.is_some() || self.memory.is_some() {
            return self.write(rel, &parts.concat());
        }
        let path = self.path_for(rel)?;
        if self
            .live_to_compare(rel)
            .is_some_and(|p| same_bytes(&p, parts))
        {
            self.record(rel, parts.iter().map(|p| p.len() as u64).sum());
            return Ok(());
        }
        let path = self.destination(rel, path)?;
        let file = fs::File::create(&path).map_err(|e| self.explain(rel, io_diag(&path, e)))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        let mut n = 0u64;
        for p in parts {
            out.write_all(p).map_err(|e| io_diag(&path, e))?;
            n += p.len() as u64;
        }
        out.flush().map_err(|e| io_diag(&path, e))?;
        self.wrote(rel, n);
        Ok(())
    }

    pub fn copy(&self, rel: &str, from: &Path) -> EnvResult<()> {
        let path = self.path_for(rel)?;
        if self.memory.is_some() || self.hashes.is_some() {
            let bytes = fs::read(from).map_err(|e| io_diag(from, e))?;
            return self.write(rel, &bytes);
        }
        // Update mode compares without reading the file into memory (a
        // video in static/ can be large).
        if self
            .live_to_compare(rel)
            .is_some_and(|p| same_file(from, &p))
        {
            let n = fs::metadata(from).map(|m| m.len()).unwrap_or(0);
            self.record(rel, n);
            return Ok(());
        }
        let path = self.destination(rel, path)?;
        let n = fs::copy(from, &path).map_err(|e| {
            let d = Diagnostic::error(
                ids::CANNOT_WRITE,
                format!(
                    "cannot copy {} to {}/{rel}: {e}",
                    from.display(),
                    self.display
                ),
            )
            .hint("check the disk has space and the folder is writable");
            self.explain(rel, d)
        })?;
        self.wrote(rel, n);
        Ok(())
    }

    /// Where a file that is written goes: in update mode its staged name;
    /// otherwise `path`, its place in the new tree, with its folders made.
    fn destination(&self, rel: &str, path: PathBuf) -> EnvResult<PathBuf> {
        if self.update.is_some() {
            return Ok(self.staged_path(rel));
        }
        if let Some(parent) = path.parent() {
            // Most parents are new folders whose own parent exists (a
            // page's folder in its section's): one `mkdir`, without
            // `create_dir_all`'s path comparisons first.
            match fs::create_dir(parent) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && parent.is_dir() => {}
                Err(_) => {
                    fs::create_dir_all(parent).map_err(|e| self.explain(rel, io_diag(parent, e)))?
                }
            }
        }
        Ok(path)
    }

    /// A write into a new tree that failed: when another file of this
    /// build is in the way (a file where `rel` needs a folder, or a folder
    /// where `rel` is a file), the `output-path-clash` that a build over an
    /// earlier output reports before writing; otherwise `err`.
    fn explain(&self, rel: &str, err: Diagnostic) -> Diagnostic {
        if self.update.is_some() || self.tmp_dir.as_os_str().is_empty() {
            return err;
        }
        let folders = rel.match_indices('/').map(|(i, _)| &rel[..i]);
        for f in folders {
            if self.tmp_dir.join(f).is_file() {
                return self.path_clash(f, rel);
            }
        }
        let here = self.tmp_dir.join(rel);
        if here.is_dir()
            && let Some(inside) = walkdir::WalkDir::new(&here)
                .into_iter()
                .filter_map(Result::ok)
                .find(|e| !e.file_type().is_dir())
        {
            let inside = crate::diagnostics::display_path(&self.tmp_dir, inside.path());
            return self.path_clash(rel, &inside);
        }
        err
    }

    /// Records a file written to its [`Self::destination`].
    fn wrote(&self, rel: &str, n: u64) {
        if let Some(u) = &self.update {
            u.staged.lock().expect("staged list").push(rel.to_string());
        }
        self.record(rel, n);
    }

    /// Where a file is staged: in update mode a name made from its path,
    /// directly in the staging folder; otherwise its place in the new tree.
    fn staged_path(&self, rel: &str) -> PathBuf {
        if self.update.is_some() {
            self.tmp_dir
                .join(blake3::hash(rel.as_bytes()).to_hex().as_str())
        } else {
            self.tmp_dir.join(rel)
        }
    }

    /// Update mode: the live output's file at `rel`, to compare what is
    /// written with; `None` when there is nothing of ours to compare with.
    ///
    /// A path written a second time in one build is always staged again:
    /// the last write wins, as in a new folder, whatever the first did.
    fn live_to_compare(&self, rel: &str) -> Option<PathBuf> {
        let u = self.update.as_ref()?;
        if !u.live.contains(rel) || self.contains(rel) {
            return None;
        }
        safe_join(&self.final_dir, rel)
    }

    fn record(&self, rel: &str, n: u64) {
        self.written
            .lock()
            .expect("written list")
            .insert(rel.to_string());
        self.bytes
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// Every file written so far, output-relative.
    pub fn files(&self) -> Vec<String> {
        self.written
            .lock()
            .expect("written list")
            .iter()
            .cloned()
            .collect()
    }

    pub fn contains(&self, rel: &str) -> bool {
        self.written.lock().expect("written list").contains(rel)
    }

    pub fn file_count(&self) -> usize {
        self.written.lock().expect("written list").len()
    }

    pub fn byte_count(&self) -> u64 {
        self.bytes.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn path_for(&self, rel: &str) -> EnvResult<PathBuf> {
        let base = if self.previous.is_some() {
            &self.final_dir
        } else {
            &self.tmp_dir
        };
        safe_join(base, rel).ok_or_else(|| {
            Diagnostic::error(
                ids::WRITE_OUTSIDE_OUTPUT,
                format!(
                    "refusing to write `{rel}`: it is outside the output folder {}",
                    self.display
                ),
            )
        })
    }

    /// Swaps the staged folder in place of the output.
    pub fn commit(self) -> EnvResult<()> {
        let list = std::mem::take(&mut *self.written.lock().expect("written list"));
        let marker = marker_text(&list);
        if self.update.is_some() {
            return self.commit_update(list, marker);
        }
        // 10,000 names at 10,000 pages: freed on another thread.
        std::thread::spawn(move || drop(list));
        fs::write(self.tmp_dir.join(MARKER), marker).map_err(|e| io_diag(&self.tmp_dir, e))?;
        // Checked again: someone may have dropped a file in while we built.
        check_owned(&self.final_dir, &self.display)?;
        if let Some(parent) = self.final_dir.parent() {
            fs::create_dir_all(parent).map_err(|e| io_diag(parent, e))?;
        }
        if self.final_dir.exists() {
            let old = sibling(
                &self.final_dir,
                &format!("guidepost-old-{}", std::process::id()),
            );
            if old.exists() {
                fs::remove_dir_all(&old).map_err(|e| io_diag(&old, e))?;
            }
            fs::rename(&self.final_dir, &old).map_err(|e| io_diag(&self.final_dir, e))?;
            fs::rename(&self.tmp_dir, &self.final_dir).map_err(|e| io_diag(&self.tmp_dir, e))?;
            fs::remove_dir_all(&old).map_err(|e| io_diag(&old, e))?;
        } else {
            fs::rename(&self.tmp_dir, &self.final_dir).map_err(|e| io_diag(&self.tmp_dir, e))?;
        }
        Ok(())
    }

    /// Update mode, before any output is put in place: what would stop
    /// [`Self::commit`] halfway, found while nothing is published yet. A
    /// file of this build where another of its files needs a folder
    /// (`news` from static/ and the page `news/index.html`): written into a
    /// new folder, the second write failed; staged side by side, both
    /// would be. And a file that appeared during the build where this
    /// build adds one: it is not ours, and moving ours in would replace it.
    /// (A folder where this build puts a file held only old files of ours:
    /// `check_owned` found nothing else in the output.)
    pub fn check_commit(&self) -> Vec<Diagnostic> {
        // What counts as ours: the files of the output's marker (a build
        // over an earlier output) or of the last build's hashes (watch).
        // A name differing only in case is that file, on a disk that
        // ignores case.
        type Test<'a> = Box<dyn Fn(&str) -> bool + 'a>;
        let (listed, ours): (Test<'_>, Test<'_>) = match (&self.update, &self.previous) {
            (Some(u), _) => (
                Box::new(|r| u.live.contains(r)),
                Box::new(|r| {
                    u.live.contains(r) || u.live.iter().any(|l| l.eq_ignore_ascii_case(r))
                }),
            ),
            (None, Some(p)) => (
                Box::new(|r| p.contains_key(r)),
                Box::new(|r| p.contains_key(r) || p.keys().any(|l| l.eq_ignore_ascii_case(r))),
            ),
            (None, None) => return vec![],
        };
        let written = self.written.lock().expect("written list");
        let mut out = vec![];
        for rel in written.iter() {
            let mut folders = rel.match_indices('/').map(|(i, _)| &rel[..i]);
            if let Some(file) = folders.find(|f| written.contains(*f)) {
                out.push(self.path_clash(file, rel));
            } else if !listed(rel)
                && let Some(found) = self.not_ours_at(&ours, rel)
            {
                out.push(self.not_ours(&found));
            }
        }
        out
    }

    /// `file` is written as a file and as the folder of `rel`.
    fn path_clash(&self, file: &str, rel: &str) -> Diagnostic {
        Diagnostic::error(
            ids::OUTPUT_PATH_CLASH,
            format!(
                "{}/{file} would be a file, but {}/{rel} needs a folder of that name",
                self.display, self.display
            ),
        )
        .at(Location::file_only(format!("{}/{file}", self.display)))
        .hint("rename the file in static/ (or the attachment) called like that page's folder, or move the page")
    }

    /// `found` (relative) is in the way of a new file and is not ours.
    fn not_ours(&self, found: &str) -> Diagnostic {
        Diagnostic::error(
            ids::FOREIGN_FILES,
            format!(
                "{} holds a file that Guidepost did not write: {}/{found}",
                self.display, self.display
            ),
        )
        .at(Location::file_only(&self.display))
        .hint("Guidepost will not replace files it did not write. Move it out, then build again")
    }

    /// Where this build adds `rel`: the first thing in the way that is
    /// not a file Guidepost wrote before, as a path relative to the output.
    /// (Its old files in the way are deleted first, or, if this build
    /// writes them again, make an `output-path-clash`.) A folder in the way
    /// is fine if it holds only such files and empty folders, which are
    /// removed with it. `ours` says whether a path is a file Guidepost
    /// wrote before (callers count a name differing only in case from one
    /// of theirs as that file, on a disk that ignores case).
    fn not_ours_at(&self, ours: &dyn Fn(&str) -> bool, rel: &str) -> Option<String> {
        let folders = rel.match_indices('/').map(|(i, _)| &rel[..i]);
        for path in folders.chain(std::iter::once(rel)) {
            let full = safe_join(&self.final_dir, path)?;
            let Ok(meta) = fs::symlink_metadata(&full) else {
                return None;
            };
            if !meta.is_dir() {
                return (!ours(path)).then(|| path.to_string());
            }
            if path == rel {
                return walkdir::WalkDir::new(&full)
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| !e.file_type().is_dir())
                    .map(|e| crate::diagnostics::display_path(&self.final_dir, e.path()))
                    .find(|r| !ours(r));
            }
        }
        None
    }

    /// Update mode's commit: the marker first lists both the old and the
    /// new files (so whatever happens next, the folder holds only files
    /// Guidepost knows as its own); then files on the old list and not the
    /// new one are deleted, the staged files moved in, one rename each, and
    /// the marker made the new list. Unchanged files are not touched.
    fn commit_update(self, list: BTreeSet<String>, marker: String) -> EnvResult<()> {
        let Some(update) = &self.update else {
            return Ok(());
        };
        let live = &update.live;
        let mut staged = std::mem::take(&mut *update.staged.lock().expect("staged list"));
        staged.sort_unstable();
        staged.dedup();
        let stale: Vec<&String> = live.iter().filter(|r| !list.contains(*r)).collect();
        let both = marker_text(list.iter().chain(stale.iter().copied()));
        write_replacing(&self.final_dir.join(MARKER), both.as_bytes())?;
        // Stale files first: a folder that was a page may now be a file.
        for rel in stale {
            remove_ours(&self.final_dir, rel)?;
        }
        for rel in &staged {
            let from = self.staged_path(rel);
            let Some(to) = safe_join(&self.final_dir, rel) else {
                return Err(self.outside(rel));
            };
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| io_diag(parent, e))?;
            }
            if is_real_dir(&to) {
                // What was a folder and is now a file: its old files are
                // deleted above; empty folders are all that is left.
                remove_empty_folders(&to);
            }
            fs::rename(&from, &to).map_err(|e| io_diag(&to, e))?;
        }
        write_replacing(&self.final_dir.join(MARKER), marker.as_bytes())?;
        std::thread::spawn(move || drop(list));
        // Published: a staging folder left behind is removed by the next
        // build (`clean_stale_staging`).
        let _ = fs::remove_dir_all(&self.tmp_dir);
        Ok(())
    }

    /// Throws the staged folder away; the output is untouched.
    pub fn abort(self) {
        // Sync mode and `guidepost check` stage nothing on disk.
        if !self.tmp_dir.as_os_str().is_empty() {
            let _ = fs::remove_dir_all(&self.tmp_dir);
        }
    }

    /// Sync mode: writes the files whose bytes changed into the live output,
    /// each by write-then-rename so a reader never sees half a file. With
    /// `complete`, everything staged is the whole output: files Guidepost
    /// wrote before and not now are deleted and the marker is rewritten;
    /// otherwise only some files were made again and the rest stay.
    /// Returns the hashes of the files staged: with `complete`, every file
    /// of the output; otherwise those made again, to add to the old ones.
    pub fn sync(mut self, complete: bool) -> EnvResult<Manifest> {
        // Callers check every output first (`check_commit`), so that one
        // output's problem leaves the others untouched too; checked again
        // here, as nothing may be written past such a problem.
        if let Some(d) = self.check_commit().into_iter().next() {
            return Err(d);
        }
        let previous = self.previous.take().unwrap_or_default();
        let changed = self
            .memory
            .take()
            .map(|m| m.into_inner().expect("memory"))
            .unwrap_or_default();
        let manifest = self.take_hashes();
        fs::create_dir_all(&self.final_dir).map_err(|e| io_diag(&self.final_dir, e))?;
        let marker = |files: &mut dyn Iterator<Item = &String>| {
            let list: BTreeSet<&String> = files.collect();
            write_replacing(&self.final_dir.join(MARKER), marker_text(list).as_bytes())
        };
        // New files are listed before they are written: whatever happens
        // next, the folder holds only files Guidepost knows as its own.
        if changed.keys().any(|r| !previous.contains_key(r)) {
            marker(&mut previous.keys().chain(changed.keys()))?;
        }
        if complete {
            // Stale files first: a file that was a page may now be a folder.
            for rel in previous.keys().filter(|r| !manifest.contains_key(*r)) {
                remove_ours(&self.final_dir, rel)?;
            }
        }
        for (rel, bytes) in &changed {
            let path = safe_join(&self.final_dir, rel).ok_or_else(|| self.outside(rel))?;
            if is_real_dir(&path) {
                // What was a folder of old files (deleted above) and is
                // now a file: only empty folders are left.
                remove_empty_folders(&path);
            }
            write_replacing(&path, bytes)?;
        }
        if complete {
            let same_files = previous.len() == manifest.len()
                && previous.keys().all(|k| manifest.contains_key(k));
            if !same_files || !self.final_dir.join(MARKER).is_file() {
                marker(&mut manifest.keys())?;
            }
        }
        Ok(manifest)
    }

    fn outside(&self, rel: &str) -> Diagnostic {
        Diagnostic::error(
            ids::WRITE_OUTSIDE_OUTPUT,
            format!(
                "refusing to write `{rel}`: it is outside the output folder {}",
                self.display
            ),
        )
    }
}

/// Replaces a file by writing a hidden sibling and renaming it over.
fn write_replacing(path: &Path, bytes: &[u8]) -> EnvResult<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| io_diag(parent, e))?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(replacing_name(&name));
    // A half-written file left here (a full disk) would be a file not ours
    // to the next build.
    fs::write(&tmp, bytes).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_diag(&tmp, e)
    })?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_diag(path, e)
    })
}

/// A folder, not a link to one (whose target is not ours to empty).
fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Removes `dir` and the folders in it, if they are all empty (a file
/// left in one keeps it and its parents, and the write after fails).
fn remove_empty_folders(dir: &Path) {
    for e in walkdir::WalkDir::new(dir)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok)
    {
        let _ = fs::remove_dir(e.path());
    }
}

/// Removes the folders a deleted file leaves empty, up to (not including) `top`.
fn remove_empty_parents(top: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == top || !d.starts_with(top) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Removes staging folders left by builds that were interrupted: ours (they
/// carry our marker) and their process is gone.
fn clean_stale_staging(final_dir: &Path) {
    let (Some(parent), Some(name)) = (final_dir.parent(), final_dir.file_name()) else {
        return;
    };
    let prefix = format!(".{}.guidepost-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let n = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = n.strip_prefix(&prefix) else {
            continue;
        };
        let Some(pid) = rest
            .strip_prefix("tmp-")
            .or_else(|| rest.strip_prefix("old-"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = !Path::new("/proc").is_dir() || Path::new(&format!("/proc/{pid}")).exists();
        if !alive && read_marker(&e.path()).is_some() {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// `base/rel`, or `None` if `rel` is absolute or climbs out with `..`.
pub fn safe_join(base: &Path, rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    if rel.is_empty() || rel.contains('\\') {
        return None;
    }
    // The usual case, a relative path of plain names (every page of every
    // build), joined in one piece rather than a component at a time.
    if !rel.starts_with('/')
        && !rel.contains(':')
        && rel
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
    {
        let mut out = PathBuf::with_capacity(base.as_os_str().len() + rel.len() + 1);
        out.push(base);
        out.push(rel);
        return Some(out);
    }
    let mut out = base.to_path_buf();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

fn io_diag(path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(
        ids::CANNOT_WRITE,
        format!("cannot write {}: {e}", path.display()),
    )
    .hint("check the disk has space and the folder is writable")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_escapes() {
        let b = Path::new("/out");
        assert_eq!(
            safe_join(b, "a/b.html"),
            Some(PathBuf::from("/out/a/b.html"))
        );
        assert_eq!(safe_join(b, "../etc/passwd"), None);
        assert_eq!(safe_join(b, "a/../../x"), None);
        assert_eq!(safe_join(b, "./a//b/"), Some(PathBuf::from("/out/a/b")));
        assert_eq!(safe_join(b, "/etc/passwd"), None);
        // A drive prefix (`C:` replaces the base on Windows) never takes
        // the one-piece join.
        assert_eq!(
            safe_join(b, "C:/x").is_some(),
            Path::new("C:/x")
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        );
    }

    /// Update mode: a path written twice in one build ends as the last
    /// write, also when that equals the file already in the output (the
    /// first, different write must not be moved in over it).
    #[test]
    fn a_path_written_twice_in_update_mode_keeps_the_last_write() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("www");
        let first = Staging::begin(&out, "www").expect("begin");
        first.write("a.txt", b"live").expect("write");
        first.commit().expect("commit");

        let s = Staging::begin_update(&out, "www").expect("update");
        assert!(s.update.is_some());
        s.write("a.txt", b"other").expect("write");
        s.write("a.txt", b"live").expect("write");
        assert!(s.check_commit().is_empty());
        s.commit().expect("commit");
        assert_eq!(fs::read(out.join("a.txt")).expect("read"), b"live");

        let s = Staging::begin_update(&out, "www").expect("update");
        s.write("a.txt", b"live").expect("write");
        s.write("a.txt", b"newer").expect("write");
        s.commit().expect("commit");
        assert_eq!(fs::read(out.join("a.txt")).expect("read"), b"newer");
    }

    #[test]
    fn a_marker_saved_with_windows_line_ends_is_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(
            dir.path().join(MARKER),
            format!("{MARKER_HEADER}\r\nindex.html\r\nnews/index.html\r\n"),
        )
        .expect("marker");
        let listed = read_marker(dir.path()).expect("a list");
        assert_eq!(
            listed.into_iter().collect::<Vec<_>>(),
            ["index.html", "news/index.html"]
        );
    }

    /// Build, watch and clean delete files of ours only through real
    /// folders: a folder replaced by a link is someone else's.
    #[cfg(unix)]
    #[test]
    fn files_of_ours_are_deleted_only_through_real_folders() {
        let dir = tempfile::tempdir().expect("temp dir");
        let top = dir.path().join("out");
        let theirs = dir.path().join("theirs");
        fs::create_dir_all(top.join("real/deep")).expect("folders");
        fs::create_dir_all(&theirs).expect("folder");
        fs::write(top.join("real/deep/a.html"), "ours").expect("file");
        fs::write(theirs.join("a.html"), "theirs").expect("file");
        std::os::unix::fs::symlink(&theirs, top.join("linked")).expect("link");

        assert_eq!(remove_ours(&top, "linked/a.html"), Ok(false));
        assert!(theirs.join("a.html").exists());
        assert_eq!(remove_ours(&top, "real/deep/a.html"), Ok(true));
        assert!(!top.join("real").exists(), "emptied folders go too");
        assert_eq!(remove_ours(&top, "../theirs/a.html"), Ok(false));
        // A link where a file of ours was: the link goes, never its target.
        assert_eq!(remove_ours(&top, "linked"), Ok(true));
        assert!(theirs.join("a.html").exists());
    }
}
