//! CPU time per kind of work, summed over the threads that did it.
//!
//! `--timings` prints wall time per phase, but inside a phase both cores
//! read, parse and render at once, so the wall time of a phase cannot say
//! how much of it was Markdown and how much front matter. Each worker adds
//! the time of each step it does to a shared clock instead; the sums say
//! where the CPU went (issue 8 asks for that breakdown).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The kinds of work timed, in the order they happen.
#[derive(Debug, Clone, Copy)]
pub enum Work {
    /// Reading page files from disk.
    Read,
    /// Parsing and checking front matter.
    FrontMatter,
    /// Markdown to HTML, with link and image checks.
    Markdown,
    /// Turning link placeholders into this output's addresses.
    LinkResolution,
    /// Tera rendering of content pages.
    Templates,
    /// Writing content pages into the output folder.
    Writing,
}

const WORK: [(Work, &str); 6] = [
    (Work::Read, "read files"),
    (Work::FrontMatter, "front matter"),
    (Work::Markdown, "markdown"),
    (Work::LinkResolution, "link resolution"),
    (Work::Templates, "templates (content pages)"),
    (Work::Writing, "writing (content pages)"),
];

#[derive(Debug, Default)]
pub struct WorkClock {
    nanos: [AtomicU64; 6],
}

impl Clone for WorkClock {
    /// A snapshot of the sums so far.
    fn clone(&self) -> Self {
        let c = WorkClock::default();
        for (to, from) in c.nanos.iter().zip(&self.nanos) {
            to.store(from.load(Ordering::Relaxed), Ordering::Relaxed);
        }
        c
    }
}

impl WorkClock {
    /// Runs `f`, adding its duration to `work`.
    pub fn time<T>(&self, work: Work, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        let took = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.nanos[work as usize].fetch_add(took, Ordering::Relaxed);
        out
    }

    /// Each kind of work with its summed time, in pipeline order.
    pub fn totals(&self) -> Vec<(&'static str, Duration)> {
        WORK.iter()
            .map(|(w, name)| {
                let n = self.nanos[*w as usize].load(Ordering::Relaxed);
                (*name, Duration::from_nanos(n))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_adds_up_per_kind() {
        let clock = WorkClock::default();
        let v = clock.time(Work::Markdown, || {
            std::thread::sleep(Duration::from_millis(2));
            7
        });
        assert_eq!(v, 7);
        clock.time(Work::Markdown, || {
            std::thread::sleep(Duration::from_millis(2))
        });
        let totals = clock.totals();
        assert_eq!(totals.len(), 6);
        let md = totals.iter().find(|(n, _)| *n == "markdown").unwrap().1;
        assert!(md >= Duration::from_millis(4), "{md:?}");
        let fm = totals.iter().find(|(n, _)| *n == "front matter").unwrap().1;
        assert_eq!(fm, Duration::ZERO);
    }
}
