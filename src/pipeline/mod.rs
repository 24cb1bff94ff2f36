//! The pipeline from a repository path to a [`Report`], release notes, a check
//! or a plan.
//!
//! Owns which stages run, and in which order, and nothing else: open the
//! repository and load the configuration; read the history (choosing the base
//! release as the walk goes, [`Session::report`]); read each commit's evidence
//! and classify it on worker threads ([`parallel`]); pair reverts and apply
//! overrides; decide; assemble the report. The release-day commands
//! ([`release`]) run the same stages and hand the report on. It never prints.

mod ahead;
pub mod api;
pub mod backtest;
mod commit;
pub mod merges;
pub mod parallel;
mod paths;
pub mod release;
pub mod settle;

use std::path::{Path, PathBuf};

use crate::classify::{Classified, Kind, Override};
use crate::config::{self, Config, Layer};
use crate::error::{Error, Result};
use crate::fsio;
use crate::history::{self, Candidate, ReadCommit, Repo, Shape, WalkOptions};
use crate::notes::links::Links;
use crate::report::{self, Report};
use crate::version::confidence;
use crate::version::decide::{self, Policy, Request};
use crate::version::habits;
use crate::version::tag::{self, Reach, ReleaseTag, Selection, SkipReason};
use settle::{Caches, Reading, Settler};

pub use release::{PlanActions, PlanLocations, Span};

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
    /// Propose a pre-release with this identifier (`rc` → `X.Y.Z-rc.N`).
    pub pre: Option<String>,
    /// Build metadata to append to the proposed version.
    pub build: Option<String>,
    /// The monorepo package to consider (its tags and paths), when one is chosen.
    pub package: Option<String>,
    /// Only the next version is wanted (`next` in text): the changed paths are
    /// read only where they can change it, not for every commit.
    pub version_only: bool,
    /// The flags that decided the version, as given on the command line (each
    /// with a leading space, quoted for a shell): repeated in the commands
    /// `check` and `plan` suggest.
    pub flags: String,
}

/// An open repository with its effective configuration.
pub struct Session {
    repo: Repo,
    config: Config,
    request: Request,
    pre: Option<String>,
    build: Option<String>,
    package: Option<String>,
    version_only: bool,
    /// How `policy = "auto"` was resolved, and the habits it learned.
    auto: Option<backtest::Calibration>,
    /// The tag prefix every release tag has, used because none was given.
    found_prefix: Option<String>,
    /// What the session reads once and keeps for every range.
    caches: Caches,
    /// What the session was opened with, for a twin on another thread.
    options: Options,
}

impl Session {
    /// Opens the repository and loads the configuration.
    ///
    /// # Errors
    ///
    /// Repository or configuration errors.
    pub fn open(options: &Options) -> Result<Session> {
        let repo = Repo::open(&options.repo)?;
        let (layer, _) = config::load(repo.workdir(), options.config_file.as_deref())?;
        let layer = layer.merge(options.overrides.clone());
        if layer.policy == Some(Policy::Auto) {
            // Calibrated as backtest judges a release (reading only what can
            // change a version), by a session under the guide's policy; the
            // session asked for is built with the policy it chose, and keeps
            // what the calibration read.
            let mut guide = options.clone();
            guide.overrides.policy = Some(Policy::Guide);
            guide.version_only = true;
            let mut calibrating = layer.clone();
            calibrating.policy = Some(Policy::Guide);
            let calibration = Session::build(repo, calibrating, &guide, None, Caches::default())?;
            let (policy, found) = calibration.calibrate()?;
            let mut layer = layer;
            layer.policy = Some(policy);
            let Session { repo, caches, .. } = calibration;
            return Session::build(repo, layer, options, Some(found), caches);
        }
        Session::build(repo, layer, options, None, Caches::default())
    }

    /// The session over `repo` with the settings of `layer` (the policy
    /// resolved), `auto` saying how `policy = "auto"` chose it.
    fn build(
        repo: Repo,
        mut layer: Layer,
        options: &Options,
        auto: Option<backtest::Calibration>,
        caches: Caches,
    ) -> Result<Session> {
        // A project with change files (`.changeset/`) declares bumps there:
        // reading only the paths that decide would miss them.
        let version_only = options.version_only && !repo.head_has(".changeset");
        let explicit_prefix = layer.tag_prefix.is_some() || options.package.is_some();
        let found_prefix = match explicit_prefix {
            true => None,
            false => tag::one_prefix(&repo.tag_names()?),
        };
        if let Some(prefix) = &found_prefix {
            layer.tag_prefix = Some(prefix.clone());
        }
        let mut config = Config::resolve(layer)?;
        if let Some(name) = &options.package {
            config = config.for_package(name)?;
        }
        Ok(Session {
            repo,
            config,
            request: options.request.clone(),
            pre: options.pre.clone(),
            build: options.build.clone(),
            package: options.package.clone(),
            version_only,
            auto,
            found_prefix,
            caches,
            options: options.clone(),
        })
    }

    /// What the passes over a range need ([`settle`]).
    fn settler(&self) -> Settler<'_> {
        Settler {
            repo: &self.repo,
            config: &self.config,
            caches: &self.caches,
            version_only: self.version_only,
            facts: true,
        }
    }

    /// The effective configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Link templates: the configuration's, completed from the `origin` remote.
    pub fn links(&self) -> Links {
        Links::resolve(
            &self.config.links,
            self.repo.remote_url("origin").as_deref(),
        )
    }

    /// How the configuration says to walk the history.
    fn walk_options(&self) -> WalkOptions {
        WalkOptions {
            first_parent: self.config.first_parent,
            exclude: self.config.exclude_reachable.clone(),
            paths: self.config.paths.clone(),
            keep_merges: Vec::new(),
        }
    }

    /// Reads the history since the last release, classifies it and decides.
    ///
    /// # Errors
    ///
    /// Repository, incomplete-history and usage errors (see [`crate::error::exit`]).
    pub fn report(&self) -> Result<Report> {
        self.report_before(None)
    }

    /// [`Self::report`] as it was before the tag `made` was made: that tag is
    /// no candidate for the base (for `plan` after tagging).
    fn report_before(&self, made: Option<&str>) -> Result<Report> {
        let config = &self.config;
        let options = self.walk_options();
        let ahead = self.settler().ahead_of((None, None), made);
        let ahead = ahead.as_ref();
        let ((mut history, shape), mut classified) = self
            .settler()
            .classify_walk(ahead, |each| self.read_history(&options, made, each))?;
        let mut notes = Vec::new();
        if let Some(base) = history.selection.base.clone()
            && !config.first_parent
            && !history.shallow
        {
            if !config.evidence.include_foreign && !shape.roots.is_empty() {
                let foreign = merges::foreign(&self.repo, &shape)?;
                if !foreign.is_empty() {
                    let before = classified.len() + foreign.len();
                    let options = merges::without(&options, &foreign);
                    let ahead = ahead.map(ahead::Ahead::afresh);
                    ((history, _), classified) =
                        self.settler().classify_walk(ahead.as_ref(), |each| {
                            self.read_history(&options, made, each)
                        })?;
                    let left_out = before.saturating_sub(classified.len());
                    notes.extend(
                        foreign
                            .iter()
                            .map(|m| merges::foreign_warning(&self.repo, m, left_out)),
                    );
                }
            }
            let base = (base.name.as_str(), base.commit.as_str());
            notes.extend(merges::old_side(
                &self.repo,
                &shape,
                classified.len(),
                base,
                &options,
            )?);
        }
        let span = history
            .selection
            .base
            .as_ref()
            .map(|b| (b.commit.as_str(), history.head.commit.as_str()));
        let reading = [Reading::of(config)];
        let settled = self
            .settler()
            .settle(&self.repo.objects(), classified, span, &reading)?;
        let (classified, api) = (settled.commits, settled.api);
        let base = history.selection.base.as_ref().map(|b| &b.tag.version);
        let named = history
            .selection
            .base
            .as_ref()
            .map(|b| (&*b.name, &b.tag.version));
        let learned = self.learned_habits(&classified, named)?;
        let (kinds, followed) = habits::kinds_above(&classified, base, config.policy, &learned);
        let mut decision = decide::decide(
            base,
            &config.initial_version,
            config.policy,
            kinds.iter().copied(),
            &self.request,
        )?;
        decide::release_commit(&mut decision, base, &classified);
        let module = go_module(
            &self.repo,
            config,
            &history.head.commit,
            span.map(|(b, _)| b),
        )?;
        let module_rule = module
            .as_ref()
            .and_then(|m| decide::go_module(&mut decision, base, m, &self.request));
        let track = self.auto.as_ref().map_or(&[][..], |a| &a.track[..]);
        let estimate = estimate(&classified, &kinds, &decision, module_rule.as_ref(), track);
        if let Some(next) = decision.next.as_mut() {
            let tagged = pre_releases(&history.selection);
            decide::shape(next, self.pre.as_deref(), self.build.as_deref(), &tagged)?;
        }
        let found = report::Found {
            package: self.package.clone(),
            auto: self.auto.as_ref().map(|a| a.evidence.clone()),
            habits: learned.to_vec(),
            followed: followed.into_iter().cloned().collect(),
            prefix: self.found_prefix.clone(),
            api,
            merges: notes,
            go_module: module.map(|m| (m, module_rule)),
            unmatched: self.settler().unmatched_overrides()?,
            confidence: Some(estimate),
            // Where neither `--pre` nor a version was asked for and a release is proposed.
            pre_release: pre_release_above(
                &self.repo,
                &history,
                self.pre.is_none() && self.request == Request::Commits && decision.next.is_some(),
            )?,
        };
        let settings = (config, &self.request);
        let report = Report::build(history, classified, &decision, found, settings);
        Ok(report)
    }

    /// Reads HEAD and chooses the base release as the walk goes: the highest
    /// stable version whose tagged commit HEAD contains. The walk that hides a
    /// candidate also proves it reachable, so the usual case reads the range
    /// once. Returns what the history showed and the kept commits' indices.
    fn read_history(
        &self,
        options: &WalkOptions,
        made: Option<&str>,
        each: &mut dyn FnMut(ReadCommit) -> usize,
    ) -> Result<((report::History, Shape), Vec<usize>)> {
        let repo = &self.repo;
        let head = repo.head()?;
        let shallow = repo.is_shallow();
        let mut walked = None;
        let mut names = repo.tag_names()?;
        names.retain(|n| Some(n.as_str()) != made);
        let selection = tag::select_base(names, &self.config.tag_prefix, |name| {
            Ok::<_, Error>(match repo.candidate(&head, name, options, each)? {
                Candidate::Reachable { commit, range } => {
                    walked = Some(range);
                    Reach::Reachable(commit)
                }
                Candidate::Unreachable => Reach::Unreachable,
                Candidate::NotACommit => Reach::NotACommit,
                Candidate::Missing => Reach::Missing,
            })
        })?;
        if shallow {
            check_shallow_selection(&selection)?;
        }
        let range = match walked {
            Some(range) => range,
            None => repo.unreleased(&head, options, each)?,
        };
        let history = report::History {
            head,
            selection,
            merges_skipped: range.merges,
            shallow,
        };
        Ok(((history, range.shape), range.commits))
    }

    /// Settles `classified` (reading the API between `span`'s ends, base and
    /// head, when given) and cuts subjects for display.
    fn finish(
        &self,
        classified: Vec<Classified>,
        span: Option<(&str, &str)>,
    ) -> Result<Vec<Classified>> {
        let reading = [Reading::of(&self.config)];
        let settled = self
            .settler()
            .settle(&self.repo.objects(), classified, span, &reading)?;
        let limit = self.config.max_subject_chars;
        Ok(settled
            .commits
            .into_iter()
            .map(|c| report::for_display(c, limit))
            .collect())
    }

    /// The commits of `from..to`, read and classified (not yet settled);
    /// with `ahead`, read ahead for the attribution walk.
    fn walk_range(
        &self,
        to: &str,
        from: Option<&str>,
        ahead: Option<&ahead::Ahead>,
    ) -> Result<Vec<Classified>> {
        let options = self.walk_options();
        let walk = |each: &mut dyn FnMut(ReadCommit) -> usize| {
            Ok(((), self.repo.commits(to, from, &options, each)?.commits))
        };
        Ok(self.settler().classify_walk(ahead, walk)?.1)
    }

    /// The classified commits of `from..to`, read once each, with reverts paired and overrides applied.
    fn range(&self, to: &str, from: Option<&str>) -> Result<Vec<Classified>> {
        let span = match from {
            Some(from) => Some((self.repo.resolve(from)?, self.repo.resolve(to)?)),
            None => None,
        };
        let ahead = span
            .as_ref()
            .and_then(|(b, h)| self.settler().ahead_of((Some(b), Some(h)), None));
        let classified = self.walk_range(to, from, ahead.as_ref())?;
        self.finish(
            classified,
            span.as_ref().map(|(b, h)| (b.as_str(), h.as_str())),
        )
    }

    /// The whole history HEAD reaches, read once and classified, split by release
    /// ([`crate::notes::releases`]): for `changelog --all` and `backtest`;
    /// with the `merges` classified too when asked.
    fn releases(&self, merges: bool) -> Result<crate::notes::releases::Split<Classified>> {
        let head = self.repo.head()?.commit;
        let options = self.walk_options();
        let (nodes, classified) = self.settler().classify_walk(None, |each| {
            let nodes = self.repo.graph(&head, &options, merges, each)?;
            let kept = nodes.iter().filter_map(|n| n.commit).collect();
            Ok((nodes, kept))
        })?;
        Ok(crate::notes::releases::split(
            &nodes,
            self.release_tags()?,
            classified,
        ))
    }

    /// Every stable release tag of the configured prefix that points at a
    /// commit, lowest version first. Reachability is the caller's to decide.
    fn release_tags(&self) -> Result<Vec<ReleaseTag>> {
        let prefix = &self.config.tag_prefix;
        let tagged = self.repo.tagged(|name| tag::is_release(name, prefix))?;
        Ok(tag::releases(tagged, prefix))
    }
}

/// The highest pre-release above the base that HEAD contains, whose line
/// `--pre` can continue, when `wanted` (see [`report::warnings::pre_release_line`]).
fn pre_release_above(
    repo: &Repo,
    history: &report::History,
    wanted: bool,
) -> Result<Option<(String, semver::Version)>> {
    let Some(base) = history.selection.base.as_ref().filter(|_| wanted) else {
        return Ok(None);
    };
    // Only a line `--pre` can continue: `id.N` (`alpha.1`, `rc.2`), not a one-off (`test1`, `PR1`).
    let line = |v: &semver::Version| {
        v.pre
            .as_str()
            .rsplit_once('.')
            .is_some_and(|(_, n)| n.parse::<u64>().is_ok())
    };
    let mut above: Vec<(&str, &semver::Version)> = history
        .selection
        .skipped
        .iter()
        .filter(|t| t.reason == SkipReason::PreRelease)
        .filter_map(|t| Some((t.name.as_str(), t.version.as_ref()?)))
        .filter(|(_, v)| **v > base.tag.version && line(v))
        .collect();
    above.sort_by(|a, b| b.1.cmp(a.1));
    for (name, version) in above {
        let commit = repo.resolve(name)?;
        if repo.contains(&history.head.commit, &commit)? {
            return Ok(Some((name.to_string(), version.clone())));
        }
    }
    Ok(None)
}

/// The Go module at `head` (its root `go.mod`), with its path at `base`;
/// `None` when HEAD has no `go.mod` with a module directive, or when a
/// monorepo package is chosen (its module, if any, is not the root's).
///
/// # Errors
///
/// A repository error when a tree cannot be read.
pub fn go_module(
    repo: &Repo,
    config: &Config,
    head: &str,
    base: Option<&str>,
) -> Result<Option<decide::GoModule>> {
    use crate::evidence::gomod::{LIMIT, module_path};
    if !config.paths.is_empty() {
        return Ok(None);
    }
    let path_at = |id: &str| -> Result<Option<String>> {
        Ok(repo
            .file_at(id, "go.mod", LIMIT)?
            .and_then(|text| module_path(&text)))
    };
    let Some(head) = path_at(head)? else {
        return Ok(None);
    };
    let base = match base {
        Some(id) => path_at(id)?,
        None => None,
    };
    Ok(Some(decide::GoModule { head, base }))
}

/// The pre-release versions tagged above the base (the numbering of `--pre` continues them).
fn pre_releases(selection: &Selection) -> Vec<semver::Version> {
    selection
        .skipped
        .iter()
        .filter(|s| s.reason == SkipReason::PreRelease)
        .filter_map(|s| s.version.clone())
        .collect()
}

/// In a shallow clone the last release may lie beyond the cut: refuse unless
/// a base was found and no higher stable version's tagged commit is missing.
/// (A candidate whose walk reached the cut has already been refused.)
fn check_shallow_selection(selection: &Selection) -> Result<()> {
    let doubtful = selection
        .skipped
        .iter()
        .find(|s| s.reason == SkipReason::Missing);
    match (&selection.base, doubtful) {
        (None, None) => Err(history::shallow_error(
            "this is a shallow clone with no release tag in its history: the last release may lie beyond the cut",
        )),
        (_, Some(skip)) => Err(history::shallow_error(&format!(
            "this is a shallow clone and tag {} is not within its history: it may be the last release",
            skip.name
        ))),
        (Some(_), None) => Ok(()),
    }
}

/// Runs the whole pipeline to a report.
///
/// ```no_run
/// let options = bumpwise::pipeline::Options { repo: ".".into(), ..Default::default() };
/// let report = bumpwise::pipeline::analyze(&options)?;
/// println!("{:?}", report.decision.next_tag);
/// # Ok::<(), bumpwise::error::Error>(())
/// ```
///
/// # Errors
///
/// Repository, configuration, incomplete-history and usage errors (see
/// [`crate::error::exit`]).
pub fn analyze(options: &Options) -> Result<Report> {
    Session::open(options)?.report()
}

/// Records `change` in the git note on the commit `rev` names, on top of what
/// the note already says, after clearing the field `clear` names (`all`: the
/// whole note). A note left empty is removed. Returns the commit's full id and
/// the note's new content.
///
/// This is the one operation that writes to a repository, and it writes only
/// under [`crate::history::NOTES_REF`].
///
/// # Errors
///
/// A usage error when `rev` names no commit; a configuration error when the
/// existing note is invalid; a repository error when the note cannot be written.
pub fn mark(
    repo: &Path,
    rev: &str,
    change: Override,
    clear: Option<&str>,
) -> Result<(String, Override)> {
    let repo = Repo::open(repo)?;
    let commit = repo.resolve(rev)?;
    let mut merged = Override::default();
    repo.update_note(&commit, |current| {
        let current = match current {
            Some(text) => config::parse_note(&text, &commit)?,
            None => Override::default(),
        };
        let current = match clear {
            None => current,
            Some("all") => Override::default(),
            Some(field) => current.without(field)?,
        };
        merged = current.merge(change);
        Ok((!merged.is_empty()).then(|| config::note_text(&merged)))
    })?;
    Ok((commit, merged))
}

/// Writes a commented `bumpwise.toml` with every default: at `explicit`, or at
/// the root of the repository containing `repo`; with `from_history`, the
/// settings that agree best with the project's past releases (see
/// [`Session::backtest`]) and a comment giving the agreement. Returns the path written.
///
/// # Errors
///
/// A usage error when the file exists (it is never overwritten) or a bare
/// repository gives no place for it; an I/O error when it cannot be written.
pub fn init(repo: &Path, explicit: Option<&Path>, from_history: bool) -> Result<PathBuf> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => Repo::open(repo)?
            .workdir()
            .map(|root| root.join(config::FILE_NAME))
            .ok_or_else(|| {
                Error::usage(
                    "a bare repository has no work tree for bumpwise.toml; pass --config FILE",
                )
            })?,
    };
    if path.exists() {
        return Err(Error::usage(format!(
            "{} exists; bumpwise init never overwrites it (`bumpwise config` prints what is in force)",
            path.display()
        )));
    }
    let mut text = config::init_template();
    // The obvious test command for the project, written commented (plan uses it until one is set).
    let root = path.parent().unwrap_or(Path::new("."));
    if let Some((command, file)) = crate::release::facts::guess_test_command(root) {
        text = text.replacen(
            "# test_command = \"go test ./...\"\n",
            &format!("# test_command = \"{command}\"  # guessed from {file}\n"),
            1,
        );
    }
    if from_history {
        let options = Options {
            repo: repo.to_path_buf(),
            version_only: true,
            ..Default::default()
        };
        let report = Session::open(&options)?.backtest(&backtest::BacktestSpan::default())?;
        text = backtest::calibrated_template(&text, &report);
    }
    fsio::write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

/// How sure the `decision` on `commits` (counted as `kinds`) is, given the
/// project's `track` record (see [`confidence`]).
fn estimate(
    commits: &[Classified],
    kinds: &[Kind],
    decision: &decide::Decision,
    module_rule: Option<&decide::ModuleRule>,
    track: &[confidence::Past],
) -> confidence::Estimate {
    let grounds = confidence::Evidence::of(
        commits,
        kinds,
        decision.bump,
        matches!(
            decision.decided_by,
            decide::DecidedBy::Initial | decide::DecidedBy::Level | decide::DecidedBy::ReleaseAs
        ),
        matches!(module_rule, Some(decide::ModuleRule::Capped { .. })),
    );
    confidence::estimate(&grounds, track)
}

/// The work tree's root of `session`'s repository (`None` when it is bare):
/// where paths the configuration names are found.
pub fn workdir(session: &Session) -> Option<&Path> {
    session.repo.workdir()
}
