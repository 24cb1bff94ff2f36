//! The command line: the only library module that uses clap.
//!
//! Owns the flags ([`args`]: their doc comments are the help text), turning
//! them into a configuration layer and a request, and one function per
//! command ([`commands`]: which stages run, which renderer, the exit code of
//! each outcome). It writes only to the writers it is given.

pub mod args;
pub mod commands;

use std::io::Write;

use semver::Version;

use crate::config::Layer;
use crate::error::{Error, Result};
use crate::pipeline::Options;
use crate::version::decide::{Level, Policy, Request};

pub use args::*;

pub(crate) fn options(cli: &Cli, args: &VersionArgs) -> Result<Options> {
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
        overrides: layer(settings),
        request,
        pre: args.request.pre.clone(),
        build: args.request.build.clone(),
        package: settings.package.clone(),
        version_only: false,
        flags: decision_flags(cli, args),
    })
}

/// The flags that decide the version, as given (`--config`, the settings and
/// the request), each with a leading space and quoted for a shell where
/// needed: repeated in the commands bumpwise suggests.
fn decision_flags(cli: &Cli, args: &VersionArgs) -> String {
    let (s, r) = (&args.settings, &args.request);
    let mut words: Vec<String> = Vec::new();
    let mut value = |flag: &str, v: Option<String>| {
        if let Some(v) = v {
            words.push(flag.to_string());
            words.push(v);
        }
    };
    value(
        "--config",
        cli.config.as_ref().map(|p| p.display().to_string()),
    );
    value(
        "--policy",
        s.policy.map(|p| match p {
            PolicyArg::Guide => "guide".to_string(),
            PolicyArg::Cargo => "cargo".to_string(),
            PolicyArg::Auto => "auto".to_string(),
        }),
    );
    value("--tag-prefix", s.tag_prefix.clone());
    value("--initial-version", s.initial_version.clone());
    value("--package", s.package.clone());
    value("--release-as", r.release_as.clone());
    value("--pre", r.pre.clone());
    value("--build", r.build.clone());
    for rev in &s.exclude_reachable {
        words.push("--exclude-reachable".into());
        words.push(rev.clone());
    }
    for (on, flag) in [
        (s.first_parent, "--first-parent"),
        (s.no_evidence, "--no-evidence"),
        (s.no_api, "--no-api"),
        (s.no_habits, "--no-habits"),
        (s.include_foreign, "--include-foreign"),
        (r.major, "--major"),
        (r.minor, "--minor"),
        (r.patch, "--patch"),
    ] {
        if on {
            words.push(flag.into());
        }
    }
    words
        .iter()
        .map(|w| format!(" {}", crate::render::inert::shell_word(w)))
        .collect()
}

/// The settings flags as a configuration layer, on top of the file.
pub(crate) fn layer(settings: &Settings) -> Layer {
    Layer {
        policy: settings.policy.map(|p| match p {
            PolicyArg::Guide => Policy::Guide,
            PolicyArg::Cargo => Policy::Cargo,
            PolicyArg::Auto => Policy::Auto,
        }),
        tag_prefix: settings.tag_prefix.clone(),
        initial_version: settings.initial_version.clone(),
        min_confidence: settings.min_confidence,
        habits: settings.no_habits.then_some(false),
        first_parent: settings.first_parent.then_some(true),
        exclude_reachable: (!settings.exclude_reachable.is_empty())
            .then(|| settings.exclude_reachable.clone()),
        evidence: (settings.no_evidence || settings.include_foreign).then(|| {
            crate::config::EvidenceLayer {
                paths: settings.no_evidence.then_some(false),
                include_foreign: settings.include_foreign.then_some(true),
                ..Default::default()
            }
        }),
        api: (settings.no_evidence || settings.no_api).then(|| crate::config::ApiLayer {
            enabled: Some(false),
            ..Default::default()
        }),
        ..Layer::default()
    }
}

/// Runs a parsed command line, writing results to `out` and diagnostics to
/// `err`. Returns the exit code of a completed run. Meant as a process's last
/// work: `next` and `explain` leave what they read (the repository, the
/// report) to the operating system instead of freeing it.
///
/// # Errors
///
/// Any failure that stops the run; its [`Error::exit_code`] is the process's.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    match &cli.command {
        Command::Next(args) => commands::next(&cli, args, out, err),
        Command::Explain(args) => commands::explain(&cli, args, out),
        Command::Changelog(args) => commands::changelog(&cli, args, out, err),
        Command::Deprecations(args) => commands::deprecations(&cli, args, out, err),
        Command::Check(args) => commands::check(&cli, args, out, err),
        Command::Plan(args) => commands::plan(&cli, args, out, err),
        Command::Backtest(args) => commands::backtest(&cli, args, out),
        Command::Config(args) => commands::config(&cli, args, out),
        Command::Init(args) => commands::init(&cli, args, err),
        Command::Completions { shell } => commands::completions(*shell, out),
        Command::Man => commands::man(out),
        Command::Mark(args) => commands::mark(&cli, args, out, err),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_word_a_shell_would_split_or_expand_is_quoted() {
        use crate::render::inert::shell_word;
        assert_eq!(shell_word("lib-"), "lib-");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("$(id)"), "'$(id)'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
