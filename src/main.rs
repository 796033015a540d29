//! The `guidepost` command: parses arguments and hands over to the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use guidepost::build::{self, BuildOptions};
use guidepost::diagnostics::{Diagnostic, Diagnostics, ids};

#[derive(Parser)]
#[command(
    name = "guidepost",
    version,
    about = "Builds an NHS trust's public site and staff intranet from one folder of Markdown"
)]
struct Cli {
    /// The site folder (default: the nearest folder upwards holding site.yaml)
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Print only errors
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print more detail
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

#[derive(Subcommand)]
enum Command {
    /// Start a new site in DIR (default: this folder)
    Init {
        dir: Option<PathBuf>,
        /// Add the starter files to a folder that is not empty (existing files are kept)
        #[arg(long)]
        force: bool,
        /// Copy the default theme into themes/nhs to change it (it is built in otherwise)
        #[arg(long)]
        copy_theme: bool,
    },
    /// Build, then rebuild on every change until Ctrl-C
    Watch {
        /// Build only this output
        #[arg(long, value_name = "NAME")]
        output: Option<String>,
        /// Poll for changes (network drives, WSL, containers) instead of file events
        #[arg(long)]
        poll: bool,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Watch, and serve one output on this computer with live reload
    Serve {
        /// The output to serve (default: the one with the most audiences)
        #[arg(long, value_name = "NAME")]
        output: Option<String>,
        /// The port to listen on (the next free one if taken)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; 127.0.0.1 keeps the preview on this computer
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Poll for changes instead of file events
        #[arg(long)]
        poll: bool,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
    },
    /// Write a new page from its kind's template: guidance, campaign, poster or page
    New {
        #[arg(value_parser = ["guidance", "campaign", "poster", "page"])]
        kind: String,
        /// The page's title, in quotes
        title: String,
    },
    /// Run every check the build does, and the content rules, writing nothing
    Check {
        /// Fail on warnings too (overdue reviews become errors)
        #[arg(long)]
        strict: bool,
        /// How to print the findings
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Treat this as the current time
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
    },
    /// Remove what Guidepost wrote into the output folders (nothing else)
    Clean {
        /// Clean only this output (a name from site.yaml `outputs`)
        #[arg(long, value_name = "NAME")]
        output: Option<String>,
    },
    /// Build every output (or one) into its folder
    Build {
        /// Build only this output (a name from site.yaml `outputs`)
        #[arg(long, value_name = "NAME")]
        output: Option<String>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Treat this as the current time, e.g. 2026-08-06 or "2026-08-06 09:00"
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
        /// Print how long each phase took
        #[arg(long)]
        timings: bool,
    },
}

// As in the library (lib.rs): a diagnostic only travels on the error path.
#[allow(clippy::result_large_err)]
fn find_root(explicit: Option<PathBuf>) -> Result<PathBuf, Diagnostic> {
    if let Some(r) = explicit {
        return Ok(r);
    }
    let cwd = std::env::current_dir().map_err(|e| {
        Diagnostic::error(
            ids::CANNOT_READ,
            format!("cannot read the current folder: {e}"),
        )
    })?;
    cwd.ancestors()
        .find(|d| d.join(guidepost::config::CONFIG_FILE).is_file())
        .map(|d| d.to_path_buf())
        .ok_or_else(|| Diagnostic::error(ids::NO_SITE_YAML, "no site.yaml here or in any folder above; run guidepost inside a site, or pass --root DIR"))
}

/// One output's line of `guidepost clean`.
fn clean_line(c: &guidepost::output::clean::Cleaned) -> String {
    let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
    let mut line = if c.had_build {
        format!("{}: removed {} from {}", c.name, files(c.removed), c.dir)
    } else {
        format!(
            "{}: {} holds no build of Guidepost's; nothing removed",
            c.name, c.dir
        )
    };
    if c.folder_removed {
        line.push_str(" (and the folder)");
    }
    if let Some(first) = c.kept.first() {
        line.push_str(&format!(
            "; left {} that Guidepost did not write, e.g. {}/{first}",
            files(c.kept.len()),
            c.dir
        ));
    }
    line
}

fn print_diagnostics(diags: &Diagnostics, quiet: bool) {
    let mut err = std::io::stderr().lock();
    for d in diags.sorted() {
        if quiet && !d.is_error() {
            continue;
        }
        let _ = writeln!(err, "{}\n", d.render());
    }
    let (e, w) = (diags.error_count(), diags.warning_count());
    if e + w > 0 && !(quiet && e == 0) {
        let plural = |n: usize, s: &str| {
            if n == 1 {
                format!("{n} {s}")
            } else {
                format!("{n} {s}s")
            }
        };
        let _ = writeln!(err, "{}, {}", plural(e, "error"), plural(w, "warning"));
        let _ = writeln!(err, "{}", guidepost::diagnostics::LOOK_UP_IDS);
    }
}

fn print_outcome(o: &guidepost::serve::watch::Outcome, quiet: bool) {
    match o {
        guidepost::serve::watch::Outcome::Built { summary, .. } => {
            if !quiet {
                println!("{summary}");
            }
        }
        guidepost::serve::watch::Outcome::Failed { report } => eprintln!("{report}"),
    }
    let _ = std::io::stdout().flush();
}

fn human_bytes(n: u64) -> String {
    if n < 1024 * 1024 {
        format!("{} KB", n.div_ceil(1024))
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    }
}

fn today() -> jiff::civil::Date {
    let tz = jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
    guidepost::content::dates::build_now(None, &tz)
        .unwrap_or_else(|_| jiff::Timestamp::now())
        .to_zoned(tz)
        .date()
}

fn print_created(created: &guidepost::scaffold::Created, base: &std::path::Path, quiet: bool) {
    if quiet {
        return;
    }
    for p in &created.written {
        println!("  created {}", p.strip_prefix(base).unwrap_or(p).display());
    }
    for p in &created.kept {
        println!(
            "  kept    {} (already there)",
            p.strip_prefix(base).unwrap_or(p).display()
        );
    }
}

fn main() -> ExitCode {
    guidepost::tune_allocator();
    let cli = Cli::parse();
    if let Command::Init {
        dir,
        force,
        copy_theme,
    } = &cli.command
    {
        let dir = dir
            .clone()
            .or(cli.root.clone())
            .unwrap_or_else(|| PathBuf::from("."));
        return match guidepost::scaffold::init(&dir, *force, *copy_theme, today()) {
            Ok(created) => {
                print_created(&created, &dir, cli.quiet);
                if !cli.quiet {
                    println!(
                        "A new site is ready in {}. Next: cd there and run `guidepost build`.",
                        dir.display()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprintln!("{}", d.render());
                ExitCode::from(2)
            }
        };
    }
    let root = match find_root(cli.root) {
        Ok(r) => r,
        Err(d) => {
            eprintln!("{}", d.render());
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Init { .. } => unreachable!("handled above"),
        Command::Watch {
            output,
            poll,
            drafts,
        } => {
            let opts = BuildOptions {
                root,
                output,
                drafts,
                now: None,
                progress: false,
            };
            let quiet = cli.quiet;
            let mut session = guidepost::build::incremental::Session::new(opts);
            let first = guidepost::serve::watch::rebuild(&mut session, &[]);
            print_outcome(&first, quiet);
            let ready = || {
                println!("Watching for changes. Press Ctrl-C to stop.");
                let _ = std::io::stdout().flush();
            };
            match guidepost::serve::watch::watch(&mut session, poll, ready, |o| {
                print_outcome(&o, quiet)
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!(
                        "{}",
                        Diagnostic::error(ids::CANNOT_WATCH, format!("cannot watch the site: {e}"))
                            .hint("try --poll")
                            .render()
                    );
                    ExitCode::from(2)
                }
            }
        }
        Command::Serve {
            output,
            port,
            bind,
            poll,
            drafts,
        } => {
            let opts = guidepost::serve::ServeOptions {
                build: BuildOptions {
                    root,
                    output: None,
                    drafts,
                    now: None,
                    progress: false,
                },
                output,
                bind,
                port,
                poll,
            };
            let quiet = cli.quiet;
            match guidepost::serve::serve(opts, move |line| {
                if !quiet || line.contains("error") {
                    println!("{line}");
                    let _ = std::io::stdout().flush();
                }
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(problems) => {
                    for d in problems {
                        eprintln!("{}\n", d.render());
                    }
                    ExitCode::from(2)
                }
            }
        }
        Command::New { kind, title } => {
            match guidepost::scaffold::new_page(&root, &kind, &title, today()) {
                Ok(created) => {
                    print_created(&created, &root, cli.quiet);
                    if !cli.quiet {
                        println!("Fill in every CHANGE ME, then run `guidepost check`.");
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprintln!("{}", d.render());
                    ExitCode::from(2)
                }
            }
        }
        Command::Check {
            strict,
            format,
            drafts,
            now,
        } => {
            let opts = guidepost::check::CheckOptions {
                build: BuildOptions {
                    root,
                    output: None,
                    drafts,
                    now,
                    progress: false,
                },
                strict,
            };
            let result = guidepost::check::check(&opts);
            let text = match format {
                Format::Human => guidepost::check::report::human(&result),
                Format::Json => guidepost::check::report::json(&result),
                Format::Github => guidepost::check::report::github(&result),
            };
            if !(cli.quiet && result.exit_code == 0) {
                print!("{text}");
            }
            ExitCode::from(result.exit_code as u8)
        }
        Command::Clean { output } => {
            match guidepost::output::clean::clean(&root, output.as_deref()) {
                Ok(report) => {
                    if !cli.quiet {
                        for c in &report.outputs {
                            println!("{}", clean_line(c));
                        }
                    }
                    print_diagnostics(&report.diagnostics, cli.quiet);
                    if report.diagnostics.has_errors() {
                        eprintln!(
                            "clean could not remove everything: what is left is still on Guidepost's list; run it again once the problem above is fixed"
                        );
                        ExitCode::from(2)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(failure) => {
                    print_diagnostics(&failure.diagnostics, cli.quiet);
                    ExitCode::from(failure.exit_code as u8)
                }
            }
        }
        Command::Build {
            output,
            drafts,
            now,
            timings,
        } => {
            let opts = BuildOptions {
                root,
                output,
                drafts,
                now,
                progress: !cli.quiet,
            };
            match build::build(&opts) {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics, cli.quiet);
                    if !cli.quiet {
                        for o in &report.outputs {
                            println!(
                                "{}: {} pages, {} files, {} in {} ms → {}",
                                o.name,
                                o.pages,
                                o.files,
                                human_bytes(o.bytes),
                                o.elapsed.as_millis(),
                                o.dir
                            );
                        }
                    }
                    let th = report.thumbnails;
                    if cli.verbose && th.made + th.reused > 0 {
                        eprintln!(
                            "thumbnails: {} made, {} reused from the last build",
                            th.made, th.reused
                        );
                    }
                    if timings || cli.verbose {
                        for (phase, d) in &report.timings.phases {
                            eprintln!("{:>8.1} ms  {phase}", d.as_secs_f64() * 1000.0);
                        }
                        // Inside the phases, both cores work at once: these
                        // are CPU time summed over threads, not wall time.
                        for (work, d) in report.timings.work.totals() {
                            eprintln!(
                                "{:>8.1} ms  CPU, all threads: {work}",
                                d.as_secs_f64() * 1000.0
                            );
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    print_diagnostics(&failure.diagnostics, cli.quiet);
                    if failure.partly_published {
                        eprintln!(
                            "build failed while putting the new site in place: {}; fix the problem above and build again",
                            build::PARTLY_PUBLISHED
                        );
                    } else {
                        eprintln!(
                            "build failed: nothing was written; the previous site is unchanged"
                        );
                    }
                    ExitCode::from(failure.exit_code as u8)
                }
            }
        }
    }
}
