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

/// The most pages one parallel task takes on (loading, page objects,
/// rendering, search entries). rayon otherwise cuts a list into a few long
/// runs; a core that finishes its runs early then has nothing to take
/// from the other, whose current run can last 30–50 ms at 10,000 pages.
/// Sixteen pages is about a millisecond of work.
pub(crate) const PAGES_PER_TASK: usize = 16;
