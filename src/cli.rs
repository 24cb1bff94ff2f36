//! The command line: the one module that uses clap.
//!
//! Owns the flags (their doc comments are the help text), turning them into a
//! configuration layer and a request, choosing the renderer, and the exit code
//! of each outcome. It writes only to the writers it is given.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use semver::Version;

use crate::analyze::{self, Options, Session, Span};
use crate::changelog::{self, Heading};
use crate::classify::{Kind, Override};
use crate::config::Layer;
use crate::decide::{Level, Policy, Request};
use crate::deprecations::{self, Change};
use crate::error::{Error, Result, exit};
use crate::report::Report;
use crate::{fsio, markdown, render};

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
    /// Release notes in Markdown: since the last release (default), for a range, or for every release.
    Changelog(ChangelogArgs),
    /// Deprecation notices since the last release: a Markdown draft, or docs pages with --docs-dir.
    Deprecations(DeprecationsArgs),
    /// Check a tag before pushing it (without TAG: the proposed one); exit 4 when a check fails.
    Check(CheckArgs),
    /// The release guide as a checklist: what is done, what is left, and the command that completes each step.
    Plan(PlanArgs),
    /// Print the effective configuration (defaults, then bumpwise.toml, then flags) as TOML.
    Config(ConfigArgs),
    /// Write a commented bumpwise.toml with every default at the repository root (or --config FILE); never overwrites.
    Init,
    /// Print shell completions, e.g. `bumpwise completions bash > /etc/bash_completion.d/bumpwise`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `bumpwise man > bumpwise.1`.
    Man,
    /// Correct a commit's classification with a git note under refs/notes/bumpwise (the only command that writes to a repository).
    Mark(MarkArgs),
}

/// Options of `config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub version: VersionArgs,
}

/// Options of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The tag to plan, e.g. `v0.6.1`; default: the tag `next` proposes.
    pub tag: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,

    /// The docs source folder (default: docs_dir in bumpwise.toml, else `docs`).
    #[arg(long, value_name = "DIR")]
    pub docs_dir: Option<String>,

    /// The mkdocs configuration (default: mkdocs in bumpwise.toml, else `mkdocs.yml`).
    #[arg(long, value_name = "FILE")]
    pub mkdocs: Option<String>,

    /// The images repository's build.yaml, for the images step.
    #[arg(long, value_name = "FILE")]
    pub images: Option<String>,

    /// Apply the proposed build.yaml change (atomically, comments and other keys kept).
    #[arg(long, requires = "images")]
    pub write: bool,

    /// Add the reference/upcoming pages missing from the mkdocs nav (comments and order kept).
    #[arg(long)]
    pub fix: bool,

    /// Run the test command (test_command in bumpwise.toml) and report whether it passed.
    #[arg(long)]
    pub run_tests: bool,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub version: VersionArgs,
}

/// Formats of `plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// One line per step.
    Text,
    /// The plan as a JSON document.
    Json,
    /// A checklist to paste into a release issue.
    Markdown,
}

/// Options of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The tag to check, e.g. `v0.6.1`; default: the tag `next` proposes.
    pub tag: Option<String>,

    /// Warnings fail too: an over-bump, unclassified or possibly breaking commits.
    #[arg(long)]
    pub strict: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub version: VersionArgs,
}

/// A commit kind, as a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// A backwards-incompatible change.
    Breaking,
    /// A new feature.
    Feature,
    /// A bug fix.
    Fix,
    /// No release impact.
    None,
}

/// Options of `mark`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true).args(["kind", "breaking", "deprecated", "exclude", "include"])))]
pub struct MarkArgs {
    /// The commit to correct: an id (abbreviated or full), a tag or any revision.
    pub commit: String,

    /// The kind the commit really has.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,

    /// The commit is breaking; this describes what breaks (it goes into the release notes).
    #[arg(long, value_name = "DESCRIPTION")]
    pub breaking: Option<String>,

    /// The commit deprecates this (it goes into the deprecation notices).
    #[arg(long, value_name = "WHAT")]
    pub deprecated: Option<String>,

    /// With --deprecated: what to use instead.
    #[arg(long, value_name = "TEXT", requires = "deprecated")]
    pub replacement: Option<String>,

    /// With --deprecated: how to migrate.
    #[arg(long, value_name = "TEXT", requires = "deprecated")]
    pub migration: Option<String>,

    /// Leave the commit out: no release impact, no changelog entry.
    #[arg(long, conflicts_with = "include")]
    pub exclude: bool,

    /// Undo --exclude.
    #[arg(long)]
    pub include: bool,
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

/// Settings that choose how the history is read and the version decided.
#[derive(Debug, Args)]
pub struct Settings {
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

    /// Leave out the history of REV (e.g. a library merged in, released elsewhere); repeatable.
    #[arg(long, value_name = "REV")]
    pub exclude_reachable: Vec<String>,

    /// In a monorepo: only this package's tags, and only the commits that touch its paths (the packages declared in bumpwise.toml).
    #[arg(long, value_name = "NAME")]
    pub package: Option<String>,
}

/// A human's decision about the next version.
#[derive(Debug, Args)]
pub struct RequestArgs {
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

    /// Propose a pre-release with this identifier: `rc` gives X.Y.Z-rc.1, then rc.2 as rc tags appear.
    #[arg(long, value_name = "ID")]
    pub pre: Option<String>,

    /// Append build metadata to the proposed version, e.g. `--build 20260101.1`.
    #[arg(long, value_name = "META")]
    pub build: Option<String>,
}

/// How the history is read and the next version decided: shared by every command.
#[derive(Debug, Args)]
pub struct VersionArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub settings: Settings,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub request: RequestArgs,
}

/// Options of `next` and `explain`.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// In a monorepo: every package declared in bumpwise.toml, one after the other.
    #[arg(long, conflicts_with = "package")]
    pub all_packages: bool,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub version: VersionArgs,
}

/// Formats of release notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotesFormat {
    /// Markdown, as goreleaser's `--release-notes` and a Keep a Changelog file take it.
    Markdown,
    /// The same content as a JSON document with a `schema_version`.
    Json,
}

/// Options of `changelog`.
#[derive(Debug, Args)]
pub struct ChangelogArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = NotesFormat::Markdown)]
    pub format: NotesFormat,

    /// Start of the range (exclusive); default: the last release before --to.
    #[arg(long, value_name = "REV", conflicts_with = "all")]
    pub from: Option<String>,

    /// End of the range (inclusive); default: HEAD. A release tag heads the notes with its version.
    #[arg(long, value_name = "REV", conflicts_with = "all")]
    pub to: Option<String>,

    /// The whole history, release by release, newest first.
    #[arg(long)]
    pub all: bool,

    /// Also list changes without release impact (docs, tests, CI, chores) under "Other".
    #[arg(long)]
    pub include_other: bool,

    /// Write to this file instead of stdout (whole or not at all).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Insert the notes into the existing --output file (Keep a Changelog layout), keeping everything else.
    #[arg(long, requires = "output", conflicts_with = "all")]
    pub prepend: bool,

    /// With --prepend: replace the section of the same version instead of refusing.
    #[arg(long, requires = "prepend")]
    pub replace: bool,

    /// Without --prepend: overwrite an existing --output file.
    #[arg(long, requires = "output", conflicts_with = "prepend")]
    pub force: bool,

    /// The date of a proposed release (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub version: VersionArgs,
}

/// Options of `deprecations`.
#[derive(Debug, Args)]
pub struct DeprecationsArgs {
    /// Output format of the draft.
    #[arg(long, value_enum, default_value_t = NotesFormat::Markdown)]
    pub format: NotesFormat,

    /// Write one page per deprecation into DIR (never over an existing page) and add the missing rows to DIR/index.md.
    #[arg(long, value_name = "DIR")]
    pub docs_dir: Option<PathBuf>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub version: VersionArgs,
}

fn options(cli: &Cli, args: &VersionArgs) -> Result<Options> {
    let (settings, request) = (&args.settings, &args.request);
    let request = if let Some(text) = &request.release_as {
        let version = Version::parse(text.trim_start_matches('v')).map_err(|e| {
            Error::usage(format!(
                "--release-as `{text}` is not a SemVer version ({e}); give e.g. 1.0.0"
            ))
        })?;
        Request::Exact(version)
    } else if request.major {
        Request::Level(Level::Major)
    } else if request.minor {
        Request::Level(Level::Minor)
    } else if request.patch {
        Request::Level(Level::Patch)
    } else {
        Request::Commits
    };
    Ok(Options {
        repo: cli.repo.clone(),
        config_file: cli.config.clone(),
        overrides: Layer {
            policy: settings.policy.map(|p| match p {
                PolicyArg::Guide => Policy::Guide,
                PolicyArg::Cargo => Policy::Cargo,
            }),
            tag_prefix: settings.tag_prefix.clone(),
            initial_version: settings.initial_version.clone(),
            first_parent: settings.first_parent.then_some(true),
            types: None,
            links: None,
            keywords: None,
            overrides: None,
            exclude_reachable: (!settings.exclude_reachable.is_empty())
                .then(|| settings.exclude_reachable.clone()),
            changelog: None,
            deprecations_dir: None,
            max_subject_chars: None,
            prerelease_notes: None,
            packages: None,
            test_command: None,
            docs_dir: None,
            mkdocs: None,
            images: None,
        },
        request,
        pre: args.request.pre.clone(),
        build: args.request.build.clone(),
        package: settings.package.clone(),
    })
}

/// Runs a parsed command line, writing results to `out` and diagnostics to
/// `err`. Returns the exit code of a completed run.
///
/// # Errors
///
/// Any failure that stops the run; its [`Error::exit_code`] is the process's.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    match &cli.command {
        Command::Next(args) | Command::Explain(args) if args.all_packages => all_packages(
            &cli,
            args,
            matches!(cli.command, Command::Next(_)),
            out,
            err,
        ),
        Command::Next(args) | Command::Explain(args) => {
            let is_next = matches!(cli.command, Command::Next(_));
            let session = Session::open(&options(&cli, &args.version)?)?;
            // The process ends after this command: leave the report to the operating system
            // rather than free a long range's records one by one (a few percent of a big run).
            let report = std::mem::ManuallyDrop::new(session.report()?);
            if is_next {
                session.ensure_new_tag(&report)?;
                for warning in &report.warnings {
                    emit(writeln!(err, "warning: {warning}"))?;
                }
            }
            match args.format {
                Format::Text if is_next => emit(render::next_text(&report, out))?,
                Format::Text => emit(render::explain_text(&report, out))?,
                Format::Json => emit(render::json(&report, out))?,
                Format::Github => {
                    let heading = Heading {
                        version: report.decision.next_version.clone(),
                        tag: report.decision.next_tag.clone(),
                        date: report.decision.release.then(today),
                    };
                    let notes = markdown::release(&changelog::release(
                        &report.commits,
                        heading,
                        false,
                        &session.links(),
                    ));
                    let pairs = render::github_outputs(&report, Some(&notes));
                    github_out(&pairs, render::next_summary(&report, &notes), out)?;
                }
            }
            if !is_next {
                Ok(exit::SUCCESS)
            } else if report.decision.release {
                if args.format == Format::Text {
                    emit(render::next_reason(&report, err))?;
                }
                Ok(exit::SUCCESS)
            } else {
                emit(writeln!(err, "{}", nothing_to_release(&report)))?;
                Ok(exit::NOTHING_TO_RELEASE)
            }
        }
        Command::Changelog(args) => changelog(&cli, args, out, err),
        Command::Deprecations(args) => deprecations(&cli, args, out, err),
        Command::Check(args) => {
            let session = Session::open(&options(&cli, &args.version)?)?;
            let Some(result) = session.check(args.tag.as_deref(), args.strict)? else {
                emit(writeln!(
                    err,
                    "nothing to release: no tag to check; give one, e.g. `bumpwise check v1.2.3`"
                ))?;
                return Ok(exit::NOTHING_TO_RELEASE);
            };
            emit(match args.format {
                Format::Text => render::check_text(&result, out),
                Format::Json => serde_json::to_writer_pretty(&mut *out, &result)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out)),
                Format::Github => {
                    github_out(
                        &render::check_outputs(&result),
                        render::check_summary(&result),
                        out,
                    )?;
                    Ok(())
                }
            })?;
            Ok(if result.passed {
                exit::SUCCESS
            } else {
                exit::CHECK_FAILED
            })
        }
        Command::Config(args) => {
            let session = Session::open(&options(&cli, &args.version)?)?;
            emit(out.write_all(crate::config::to_toml(session.config()).as_bytes()))?;
            Ok(exit::SUCCESS)
        }
        Command::Init => {
            let path = analyze::init(&cli.repo, cli.config.as_deref())?;
            emit(writeln!(err, "wrote {}", path.display()))?;
            Ok(exit::SUCCESS)
        }
        Command::Completions { shell } => {
            // clap_complete panics on a failed write: generate into memory, then write as everything else does.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "bumpwise", &mut script);
            emit(out.write_all(&script))?;
            Ok(exit::SUCCESS)
        }
        Command::Man => {
            emit(clap_mangen::Man::new(Cli::command()).render(out))?;
            Ok(exit::SUCCESS)
        }
        Command::Plan(args) => {
            let session = Session::open(&options(&cli, &args.version)?)?;
            let locations = analyze::PlanLocations {
                docs_dir: args.docs_dir.clone(),
                mkdocs: args.mkdocs.clone(),
                images: args.images.clone(),
            };
            let actions = analyze::PlanActions {
                write_images: args.write,
                fix_nav: args.fix,
                run_tests: args.run_tests,
            };
            let Some(plan) = session.plan(args.tag.as_deref(), &locations, actions, &today())?
            else {
                emit(writeln!(
                    err,
                    "nothing to release: no tag to plan; give one, e.g. `bumpwise plan v1.2.3`"
                ))?;
                return Ok(exit::NOTHING_TO_RELEASE);
            };
            emit(match args.format {
                PlanFormat::Text => render::plan_text(&plan, out),
                PlanFormat::Markdown => render::plan_markdown(&plan, out),
                PlanFormat::Json => serde_json::to_writer_pretty(&mut *out, &plan)
                    .map_err(io::Error::from)
                    .and_then(|()| writeln!(out)),
            })?;
            Ok(exit::SUCCESS)
        }
        Command::Mark(args) => {
            let change = Override {
                kind: args.kind.map(|k| match k {
                    KindArg::Breaking => Kind::Breaking,
                    KindArg::Feature => Kind::Feature,
                    KindArg::Fix => Kind::Fix,
                    KindArg::None => Kind::None,
                }),
                breaking: args.breaking.clone(),
                deprecated: args.deprecated.clone(),
                replacement: args.replacement.clone(),
                migration: args.migration.clone(),
                exclude: (args.exclude || args.include).then_some(args.exclude),
            };
            let (commit, note) = analyze::mark(&cli.repo, &args.commit, change)?;
            emit(write!(out, "{}", crate::config::note_text(&note)))?;
            emit(writeln!(
                err,
                "marked {} in {}; share it with `git push origin {}`",
                crate::message::short_id(&commit),
                crate::git::NOTES_REF,
                crate::git::NOTES_REF
            ))?;
            Ok(exit::SUCCESS)
        }
    }
}

fn deprecations(
    cli: &Cli,
    args: &DeprecationsArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    let report = analyze::analyze(&options(cli, &args.version)?)?;
    let items = deprecations::items(&report);
    if let Some(dir) = &args.docs_dir {
        for change in deprecations::write_docs(dir, &items)? {
            let line = match change {
                Change::PageWritten { path } => format!("wrote {}", path.display()),
                Change::PageKept { path } => format!(
                    "kept {} (it exists; bumpwise never overwrites a page)",
                    path.display()
                ),
                Change::RowAdded { slug } => {
                    format!("added {slug} to {}", dir.join("index.md").display())
                }
                Change::RowKept { slug } => {
                    format!("{} already lists {slug}", dir.join("index.md").display())
                }
            };
            emit(writeln!(err, "{line}"))?;
        }
        return Ok(exit::SUCCESS);
    }
    emit(match args.format {
        NotesFormat::Markdown => out.write_all(deprecations::draft(&items).as_bytes()),
        NotesFormat::Json => {
            let doc = serde_json::json!({ "schema_version": 1, "deprecations": items });
            serde_json::to_writer_pretty(&mut *out, &doc)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        }
    })?;
    Ok(exit::SUCCESS)
}

fn changelog(
    cli: &Cli,
    args: &ChangelogArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    if args.prepend && args.format == NotesFormat::Json {
        return Err(Error::usage(
            "--prepend inserts Markdown; drop --format json or --prepend",
        ));
    }
    let today = match &args.date {
        Some(date) if is_date(date) => date.clone(),
        Some(date) => {
            return Err(Error::usage(format!(
                "--date `{date}` is not a date; give YYYY-MM-DD"
            )));
        }
        None => today(),
    };
    let span = if args.all {
        Span::All
    } else if args.from.is_some() || args.to.is_some() {
        Span::Between {
            from: args.from.clone(),
            to: args.to.clone(),
        }
    } else {
        Span::Unreleased
    };
    let session = Session::open(&options(cli, &args.version)?)?;
    let notes = session.changelog(&span, args.include_other, &today)?;
    let text = match args.format {
        NotesFormat::Markdown => markdown::changelog(&notes),
        NotesFormat::Json => serde_json::to_string_pretty(&notes)
            .map(|j| j + "\n")
            .map_err(|e| Error::io(e.to_string()))?,
    };
    let Some(path) = &args.output else {
        emit(out.write_all(text.as_bytes()))?;
        return Ok(exit::SUCCESS);
    };
    let content = if args.prepend {
        let existing = fsio::read_if_exists(path)?.unwrap_or_else(|| NEW_CHANGELOG.to_string());
        markdown::prepend(&existing, &text, args.replace).map_err(
            |markdown::PrependError::Exists(version)| {
                Error::usage(format!(
                    "{} already has a section for {version}; pass --replace to regenerate it",
                    path.display()
                ))
            },
        )?
    } else if path.exists() && !args.force {
        return Err(Error::usage(format!(
            "{} exists; pass --prepend to add to it, or --force to overwrite it",
            path.display()
        )));
    } else {
        text
    };
    fsio::write_atomic(path, content.as_bytes())?;
    emit(writeln!(err, "wrote {}", path.display()))?;
    Ok(exit::SUCCESS)
}

/// What a changelog created by `--prepend` starts with.
const NEW_CHANGELOG: &str =
    "# Changelog\n\nAll notable changes to this project are documented in this file.\n";

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Today's date (UTC), or the date of `$SOURCE_DATE_EPOCH` when it is set, for reproducible output.
fn today() -> String {
    let pinned = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok());
    let now = pinned.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    });
    crate::changelog::civil_date(now)
}

/// `next` or `explain` for every package of a monorepo.
fn all_packages(
    cli: &Cli,
    args: &DecideArgs,
    is_next: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    let base = options(cli, &args.version)?;
    let names: Vec<String> = Session::open(&base)?
        .config()
        .packages
        .iter()
        .map(|p| p.name.clone())
        .collect();
    if names.is_empty() {
        return Err(Error::config(
            "--all-packages: bumpwise.toml declares no [[packages]]",
        ));
    }
    if args.format == Format::Github {
        return Err(Error::usage(
            "--format github names one release: use --package NAME",
        ));
    }
    let mut reports = Vec::new();
    for name in names {
        let session = Session::open(&Options {
            package: Some(name),
            ..base.clone()
        })?;
        let report = session.report()?;
        if is_next {
            session.ensure_new_tag(&report)?;
        }
        reports.push(report);
    }
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({ "schema_version": crate::report::SCHEMA_VERSION, "packages": reports });
            emit(
                serde_json::to_writer_pretty(&mut *out, &doc)
                    .map_err(io::Error::from)
                    .and_then(|()| writeln!(out)),
            )?;
        }
        Format::Text if is_next => {
            for report in &reports {
                let name = report.package.as_deref().unwrap_or_default();
                let tag = report
                    .decision
                    .next_tag
                    .as_deref()
                    .unwrap_or("(nothing to release)");
                emit(writeln!(out, "{name} {tag}"))?;
            }
        }
        _ => {
            for report in &reports {
                emit(writeln!(
                    out,
                    "Package {}",
                    report.package.as_deref().unwrap_or_default()
                ))?;
                emit(render::explain_text(report, out))?;
            }
        }
    }
    if is_next && reports.iter().all(|r| !r.decision.release) {
        emit(writeln!(err, "nothing to release in any package"))?;
        return Ok(exit::NOTHING_TO_RELEASE);
    }
    Ok(exit::SUCCESS)
}

/// Writes GitHub outputs to the file `$GITHUB_OUTPUT` names when it is set
/// (stdout otherwise), and `summary` to `$GITHUB_STEP_SUMMARY` when that is set.
fn github_out(pairs: &[(&str, String)], summary: String, out: &mut dyn Write) -> Result<()> {
    let mut lines = Vec::new();
    render::github(pairs, &mut lines).map_err(|e| Error::io(e.to_string()))?;
    let target = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    match target("GITHUB_OUTPUT") {
        Some(path) => fsio::append(&path, &lines)?,
        None => emit(out.write_all(&lines))?,
    }
    if let Some(path) = target("GITHUB_STEP_SUMMARY") {
        fsio::append(&path, summary.as_bytes())?;
    }
    Ok(())
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
