//! The pipeline from a repository path to a [`Report`].
//!
//! Owns the order of the stages and nothing else: open the repository, load
//! the configuration, read the history, parse and classify the commits,
//! decide, and assemble the report. It never prints.

use std::path::PathBuf;

use crate::classify;
use crate::config::{self, Config, Layer};
use crate::decide::{self, Request};
use crate::error::Result;
use crate::git::{HistoryOptions, Repo};
use crate::message;
use crate::report::Report;

/// What to analyze, and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The repository (or a path inside it).
    pub repo: PathBuf,
    /// An explicit configuration file instead of `bumpwise.toml` at the root.
    pub config_file: Option<PathBuf>,
    /// Settings from flags, on top of the file.
    pub overrides: Layer,
    /// A human's choice of version or level.
    pub request: Request,
}

/// The effective configuration for `options`, and the file it was read from.
///
/// # Errors
///
/// Repository or configuration errors.
pub fn effective_config(options: &Options) -> Result<(Config, Option<PathBuf>)> {
    let repo = Repo::open(&options.repo)?;
    load_config(&repo, options)
}

fn load_config(repo: &Repo, options: &Options) -> Result<(Config, Option<PathBuf>)> {
    let (layer, path) = config::load(repo.workdir(), options.config_file.as_deref())?;
    let config = Config::resolve(layer.merge(options.overrides.clone()))?;
    Ok((config, path))
}

/// Runs the whole pipeline.
///
/// ```no_run
/// let options = bumpwise::analyze::Options { repo: ".".into(), ..Default::default() };
/// let report = bumpwise::analyze::analyze(&options)?;
/// println!("{:?}", report.decision.next_tag);
/// # Ok::<(), bumpwise::error::Error>(())
/// ```
///
/// # Errors
///
/// Repository, configuration, incomplete-history and usage errors (see
/// [`crate::error::exit`]).
pub fn analyze(options: &Options) -> Result<Report> {
    let repo = Repo::open(&options.repo)?;
    let (config, _) = load_config(&repo, options)?;
    let mut history = repo.history(&HistoryOptions {
        tag_prefix: config.tag_prefix.clone(),
        first_parent: config.first_parent,
    })?;
    let parsed = std::mem::take(&mut history.commits)
        .into_iter()
        .map(message::parse)
        .collect();
    let classified = classify::classify_all(parsed, &config.types);
    let base = history.selection.base.as_ref().map(|b| &b.tag.version);
    let decision = decide::decide(
        base,
        &config.initial_version,
        config.policy,
        classified.iter().map(classify::Classified::effective_kind),
        &options.request,
    )?;
    Ok(Report::build(
        history,
        classified,
        &decision,
        &config,
        &options.request,
    ))
}
