//! The flags: their doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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

impl Cli {
    /// Whether what the command writes on stdout is text for people (tables,
    /// lines, Markdown), which goes through [`crate::render::inert::Inert`];
    /// JSON, GitHub outputs and dotenv are escaped by their own writers.
    pub fn for_people(&self) -> bool {
        match &self.command {
            Command::Next(a) => a.format == Format::Text,
            Command::Explain(a) => a.decide.format == Format::Text,
            Command::Check(a) => a.format == Format::Text,
            Command::Changelog(a) => a.format == NotesFormat::Markdown,
            Command::Deprecations(a) => a.format == NotesFormat::Markdown,
            Command::Plan(a) => a.format != PlanFormat::Json,
            Command::Backtest(a) => a.format == ReportFormat::Text,
            _ => false,
        }
    }

    /// Whether the command writes for GitHub Actions (`--format github`): its
    /// errors are then annotations too.
    pub fn github(&self) -> bool {
        match &self.command {
            Command::Next(a) => a.format == Format::Github,
            Command::Explain(a) => a.decide.format == Format::Github,
            Command::Check(a) => a.format == Format::Github,
            _ => false,
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the tag to create next (exit 3 when there is nothing to release).
    Next(DecideArgs),
    /// Show why: the base release, every commit since with the rule that decided it, and the result.
    Explain(ExplainArgs),
    /// Release notes in Markdown: since the last release (default), for a range, or for every release.
    Changelog(ChangelogArgs),
    /// Deprecation notices since the last release: a Markdown draft, or docs pages with --docs-dir.
    Deprecations(DeprecationsArgs),
    /// Check a tag before pushing it (without TAG: the proposed one); exit 4 when a check fails.
    Check(CheckArgs),
    /// The release guide as a checklist: what is done, what is left, and the command that completes each step.
    Plan(PlanArgs),
    /// Replay every past release: the version bumpwise would have proposed beside the one released, why they differ, and a better-agreeing configuration.
    Backtest(BacktestArgs),
    /// Print the effective configuration (defaults, then bumpwise.toml, then flags) as TOML.
    Config(ConfigArgs),
    /// Write a commented bumpwise.toml with every default at the repository root (or --config FILE); never overwrites.
    Init(InitArgs),
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
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true).args(["kind", "breaking", "deprecated", "exclude", "include", "clear"])))]
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

    /// Take a mark back: one field (kind, breaking, deprecated, replacement, migration, exclude), or, without one, the whole note.
    #[arg(long, value_name = "FIELD", num_args = 0..=1, default_missing_value = "all")]
    pub clear: Option<String>,
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
    /// `BUMPWISE_KEY=value` lines, one each, for GitLab's dotenv reports and other CI systems.
    Dotenv,
}

/// The versioning rule, as a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// Before 1.0 breaking and feature bump the minor, fix the patch; from 1.0 breaking bumps the major.
    Guide,
    /// Before 1.0 breaking bumps the minor, feature and fix the patch (0.0.x: everything the patch).
    Cargo,
    /// The one of the two the project's own past releases follow (see `bumpwise backtest`).
    Auto,
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

    /// Classify by the messages alone: do not read what each commit changes.
    #[arg(long)]
    pub no_evidence: bool,

    /// Read messages and paths, but not what the commits do to the public API of Go packages and Rust crates.
    #[arg(long)]
    pub no_api: bool,

    /// Do not learn how this project released inferred evidence from its newest releases: apply the policy as written (`habits = false` in bumpwise.toml).
    #[arg(long)]
    pub no_habits: bool,

    /// Keep the commits a merged foreign history (one with its own root) brings; by default they are left out.
    #[arg(long)]
    pub include_foreign: bool,

    /// Below this confidence (0 to 1) `next` exits 8 and `check` warns: the kind of release needs a person (`min_confidence` in bumpwise.toml).
    #[arg(long, value_name = "P")]
    pub min_confidence: Option<crate::version::confidence::Threshold>,
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

/// Formats of a report that is a table or a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Tables for people.
    Text,
    /// One JSON document with a `schema_version`.
    Json,
}

/// Options of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write the settings that agree best with this project's past releases (see `bumpwise backtest`), with a comment giving the agreement.
    #[arg(long)]
    pub from_history: bool,
}

/// Options of `backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Only the last N releases.
    #[arg(long, value_name = "N")]
    pub last: Option<usize>,

    /// Only the releases above this tag.
    #[arg(long, value_name = "TAG")]
    pub since: Option<String>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub settings: Settings,
}

/// Options of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub decide: DecideArgs,

    /// List every change the range made to the public API (Go packages, Rust crates), with its signature and commit.
    #[arg(long)]
    pub api: bool,
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

    /// The notes of the last release (the tag at HEAD in a tag-triggered pipeline), whatever came after it.
    #[arg(long, conflicts_with_all = ["all", "from", "to"])]
    pub latest: bool,

    /// Print the notes without their `## [version] - date` heading (for a GitHub release body or goreleaser's --release-notes).
    #[arg(long, conflicts_with = "prepend")]
    pub no_heading: bool,

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

    /// Render the notes with this Tera template (git-cliff's syntax; a cliff.toml's changelog header, body and footer work too); `template` under `[changelog]` in bumpwise.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_heading")]
    pub template: Option<PathBuf>,

    /// Print the template of the default notes, to copy and edit, and exit.
    #[arg(long)]
    pub print_template: bool,

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
