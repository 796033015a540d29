//! Guidepost: a static-site generator for NHS trust communications teams.
//!
//! The pipeline, in the order data flows (see docs/architecture.md):
//!
//! 1. `config`: site.yaml
//! 2. `content`: content/ files — loading, front matter, Markdown
//! 3. `site`: the site model — sections, addresses, audiences, links
//! 4. `render`: Tera templates and the theme
//! 5. `output`: staged writes and the swap into place
//!
//! [`build`] runs them in order; [`diagnostics`] is how every stage reports
//! problems.

// Diagnostics are large (they carry the offending source line) but travel
// only on the error path, where their size costs nothing that matters.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod suggest;
pub mod timing;
pub mod yaml;

/// Sets up glibc's allocator for building; `main` calls it first, before
/// any other thread exists.
///
/// Each worker thread allocates from its own arena, a heap that glibc
/// makes writable a little at a time as it fills: one `mprotect` call per
/// step, 12,500 in a 10,000-page build, each changing the process's memory
/// map under its lock. Asking for 64 MiB of headroom (the most one such
/// heap holds) makes each heap writable at once. Memory that is never
/// touched still costs nothing; what the process has touched stays its own
/// until it ends instead of going back early (a build ends soon, and a
/// `watch` process keeps the site in memory anyway: up to 64 MiB of freed
/// memory per arena stays with it). Setting it also fixes glibc's
/// threshold for giving a block its own mapping at 128 KiB (it otherwise
/// rises after the first large free): few blocks are that large (the
/// document list, the search index). 7 % of the wall time at 1,000 and at
/// 10,000 pages (docs/performance.md).
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a parameter of glibc's allocator, and
    // it is called before any other thread could be allocating.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

/// How many per-thread copies [`worker_slot`] picks from: one for each
/// worker of rayon's pool and one for every other thread.
pub(crate) fn worker_slots() -> usize {
    rayon::current_num_threads() + 1
}

/// The copy of a value kept per thread (out of `slots`, made with
/// [`worker_slots`]) that the calling thread uses: 0 outside rayon's pool,
/// else its worker's own. Values both cores write for every page (sums,
/// reference counts) are kept one per worker so that neither core takes
/// the other's cache line; a worker of another pool shares a copy.
pub(crate) fn worker_slot(slots: usize) -> usize {
    match rayon::current_thread_index() {
        Some(i) if slots > 1 => 1 + i % (slots - 1),
        _ => 0,
    }
}

/// The most pages one parallel task takes on (loading, page objects,
/// rendering, search entries). rayon otherwise cuts a list into a few long
/// runs; a core that finishes its runs early then has nothing to take
/// from the other, whose current run can last 30–50 ms at 10,000 pages.
/// Sixteen pages is about a millisecond of work.
pub(crate) const PAGES_PER_TASK: usize = 16;
