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
