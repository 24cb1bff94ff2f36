//! The command line: the one module that uses clap.
//!
//! Owns the flags (their doc comments are the help text), turning them into a
//! configuration layer and a request, choosing the renderer, and the exit code
//! of each outcome. It writes only to the writers it is given.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use semver::Version;

use crate::analyze::{self, Options};
use crate::config::Layer;
use crate::decide::{Level, Policy, Request};
use crate::error::{Error, Result, exit};
use crate::render;
use crate::report::Report;

/// Reads a git history and says what the next release should be, and why.
#[derive(Debug, Parser)]
#[command(name = "bumpwise", version, about, long_about = None)]
pub struct Cli {
    /// The repository to read: a work tree, a directory inside one, or a bare repository.
    #[arg(long, global = true, value_name = "PATH", default_value = ".")]
    pub repo: PathBuf,

    /// Read this configuration file instead of `bumpwise.toml` at the repository root.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the tag to create next (exit 3 when there is nothing to release).
    Next(DecideArgs),
    /// Show why: the base release, every commit since with the rule that decided it, and the result.
    Explain(DecideArgs),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: the tag (`next`) or tables (`explain`).
    Text,
    /// The whole report as a JSON document with a `schema_version`.
    Json,
    /// `key=value` lines for `$GITHUB_OUTPUT`.
    Github,
}

/// The versioning rule, as a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// Before 1.0 breaking and feature bump the minor, fix the patch; from 1.0 breaking bumps the major.
    Guide,
    /// Before 1.0 breaking bumps the minor, feature and fix the patch (0.0.x: everything the patch).
    Cargo,
}

/// Options shared by `next` and `explain`.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Versioning rule (default: `guide`, or `policy` in bumpwise.toml).
    #[arg(long, value_enum)]
    pub policy: Option<PolicyArg>,

    /// Follow only the first parent of merges; merge commits are then classified themselves.
    #[arg(long)]
    pub first_parent: bool,

    /// Only tags starting with this prefix are releases, e.g. `mylib-` for `mylib-v1.2.0` (a `v` after it is optional).
    #[arg(long, value_name = "PREFIX")]
    pub tag_prefix: Option<String>,

    /// The first release when there is no release tag yet (default 0.1.0).
    #[arg(long, value_name = "VERSION")]
    pub initial_version: Option<String>,

    /// Release exactly this version (must be greater than the last release); the way to 1.0.0.
    #[arg(long, value_name = "VERSION", group = "request")]
    pub release_as: Option<String>,

    /// Force a major bump.
    #[arg(long, group = "request")]
    pub major: bool,

    /// Force a minor bump.
    #[arg(long, group = "request")]
    pub minor: bool,

    /// Force a patch bump.
    #[arg(long, group = "request")]
    pub patch: bool,
}

impl DecideArgs {
    fn options(&self, cli: &Cli) -> Result<Options> {
        let request = if let Some(text) = &self.release_as {
            let version = Version::parse(text.trim_start_matches('v')).map_err(|e| {
                Error::usage(format!(
                    "--release-as `{text}` is not a SemVer version ({e}); give e.g. 1.0.0"
                ))
            })?;
            Request::Exact(version)
        } else if self.major {
            Request::Level(Level::Major)
        } else if self.minor {
            Request::Level(Level::Minor)
        } else if self.patch {
            Request::Level(Level::Patch)
        } else {
            Request::Commits
        };
        Ok(Options {
            repo: cli.repo.clone(),
            config_file: cli.config.clone(),
            overrides: Layer {
                policy: self.policy.map(|p| match p {
                    PolicyArg::Guide => Policy::Guide,
                    PolicyArg::Cargo => Policy::Cargo,
                }),
                tag_prefix: self.tag_prefix.clone(),
                initial_version: self.initial_version.clone(),
                first_parent: self.first_parent.then_some(true),
                types: None,
            },
            request,
        })
    }
}

/// Runs a parsed command line, writing results to `out` and diagnostics to
/// `err`. Returns the exit code of a completed run.
///
/// # Errors
///
/// Any failure that stops the run; its [`Error::exit_code`] is the process's.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    match &cli.command {
        Command::Next(args) => {
            let report = analyze::analyze(&args.options(&cli)?)?;
            for warning in &report.warnings {
                emit(writeln!(err, "warning: {warning}"))?;
            }
            emit(match args.format {
                Format::Text => render::next_text(&report, out),
                Format::Json => render::json(&report, out),
                Format::Github => render::github(&report, out),
            })?;
            if report.decision.release {
                if args.format == Format::Text {
                    emit(render::next_reason(&report, err))?;
                }
                Ok(exit::SUCCESS)
            } else {
                emit(writeln!(err, "{}", nothing_to_release(&report)))?;
                Ok(exit::NOTHING_TO_RELEASE)
            }
        }
        Command::Explain(args) => {
            let report = analyze::analyze(&args.options(&cli)?)?;
            emit(match args.format {
                Format::Text => render::explain_text(&report, out),
                Format::Json => render::json(&report, out),
                Format::Github => render::github(&report, out),
            })?;
            Ok(exit::SUCCESS)
        }
    }
}

fn nothing_to_release(report: &Report) -> String {
    let since = report.base.as_ref().map_or("the start", |b| b.tag.as_str());
    let n = report.summary.total;
    format!(
        "nothing to release: {n} commit{} since {since}, none with release impact",
        if n == 1 { "" } else { "s" }
    )
}

/// A closed pipe (`bumpwise next | head -0`) is not a failure; anything else is.
fn emit(result: io::Result<()>) -> Result<()> {
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Error::io(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}
