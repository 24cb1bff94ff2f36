//! `bumpwise backtest`: the version bumpwise would have proposed for every
//! past release, from the commits between it and the release before it,
//! beside the version the maintainers released.
//!
//! The history is read once, as for `changelog --all`, and split by release;
//! each range is then judged as `next` in text judges one (paths and API read
//! only where they can change the version), under the configured settings and
//! under the alternatives that matter (the other policy; the API, the paths
//! and what no rule reads each switched; following first parents), so a
//! better-agreeing configuration can be suggested. Nothing is checked out and
//! nothing is written.

use crate::classify::{Classified, Kind};
use crate::error::{Error, Result};
use crate::history::Repo;
use crate::report::backtest::BacktestReport;
use crate::version::confidence::{Evidence as Grounds, Past};
use crate::version::decide::{self, Level, Policy};
use crate::version::habits;
use crate::version::tag::ReleaseTag;

use super::Session;
use super::settle::Reading;

mod assemble;
mod calibrate;
mod judge;

use calibrate::Evidence;
pub use calibrate::calibrated_template;
use judge::{Item, PARALLEL_FROM};

/// How many of the last releases the hint of `next` replays.
pub const HINT_RELEASES: usize = 5;

/// How many of the newest releases of its phase `next` learns the project's
/// habits from, under a named policy (`auto` learns from every release).
pub const HABIT_RELEASES: usize = 20;

/// How many past 0.x releases with features `policy = "auto"` needs to tell the policies apart.
pub const AUTO_MIN_RELEASES: usize = 3;

/// A suggestion must agree with this many more releases than the settings in
/// force, and with at least this share more (in percent) of those counted.
pub const MARGIN_RELEASES: usize = 2;
/// See [`MARGIN_RELEASES`].
pub const MARGIN_PERCENT: usize = 5;

/// One release's range, judged under the configured evidence settings and
/// under each switched on its own.
struct Judged {
    tag: ReleaseTag,
    base: Option<ReleaseTag>,
    commits: usize,
    /// Effective kinds per evidence settings; the configured ones first.
    kinds: Vec<(Evidence, Vec<Kind>)>,
    /// What the configured settings made of the commits, for the reasons.
    classified: Vec<Classified>,
    /// The Go module at the release, with its path at the base.
    module: Option<crate::version::decide::GoModule>,
}

impl Judged {
    /// The effective kinds under the configured settings.
    fn configured(&self) -> &[Kind] {
        &self.kinds[0].1
    }
}

/// What to replay.
#[derive(Debug, Clone, Default)]
pub struct BacktestSpan {
    /// Only the last N releases.
    pub last: Option<usize>,
    /// Only the releases above this tag.
    pub since: Option<String>,
}

impl Session {
    /// Replays every release reachable from HEAD (or those `span` chooses).
    ///
    /// # Errors
    ///
    /// Repository errors; a usage error when `--since` names no release tag.
    pub fn backtest(&self, span: &BacktestSpan) -> Result<BacktestReport> {
        let judged = self.judge_all(span, true)?;
        let learn = self.auto.is_some() || self.config.habits;
        let mut report = assemble::assemble(&self.config, &judged, learn);
        if !self.config.first_parent && !self.repo.is_shallow() {
            name_histories_merged_back(&self.repo, &self.walk_options(), &judged, &mut report)?;
        }
        Ok(report)
    }

    /// Every release of `span`, its range judged under the settings in force
    /// and, with `alternatives`, under those a suggestion may change.
    fn judge_all(&self, span: &BacktestSpan, alternatives: bool) -> Result<Vec<Judged>> {
        let split = self.releases(alternatives && first_parent_tried(&self.config))?;
        let reachable: Vec<ReleaseTag> = split.releases.iter().map(|(t, _)| t.clone()).collect();
        let since = since_version(span, &reachable)?;
        let total = split.releases.len();
        let first = span.last.map_or(0, |n| total.saturating_sub(n));
        let wanted = |i: usize, tag: &ReleaseTag| {
            i >= first && since.as_ref().is_none_or(|v| tag.tag.version > *v)
        };
        let (boundaries, chains) = (split.boundaries, split.first_parent);
        let ranges = split.releases.into_iter().zip(chains).zip(split.merges);
        let mut items = Vec::new();
        for (i, (((tag, commits), chain), merges)) in ranges.enumerate() {
            if wanted(i, &tag) {
                let base = base_in(&self.repo, i, &reachable, &boundaries)?;
                items.push(Item {
                    tag,
                    base,
                    commits,
                    chain,
                    merges,
                });
            }
        }
        // The releases are judged on two threads when there are enough: the
        // older half by a twin session (its own repository and caches) with
        // the same options, the policy as resolved (`auto` is not calibrated
        // again) and only the version wanted where it is now.
        if items.len() < PARALLEL_FROM {
            return self.judge_items(items, alternatives);
        }
        let mut options = self.options.clone();
        options.overrides.policy = Some(self.config.policy);
        options.version_only = self.version_only;
        super::parallel::in_halves(
            items,
            |older| Session::open(&options)?.judge_items(older, alternatives),
            |newer| self.judge_items(newer, alternatives),
        )
    }

    /// A hint for `next`: when the policy in force disagrees with most of the
    /// last [`HINT_RELEASES`] releases and the other agrees with most, one line
    /// naming that policy and `bumpwise backtest`. Only asked where the
    /// policies can disagree on this proposal (a feature before 1.0), and
    /// never under `auto`; each of those ranges is walked on its own and
    /// judged by its messages.
    ///
    /// # Errors
    ///
    /// Repository errors.
    pub fn policy_hint(&self, report: &crate::report::Report) -> Result<Option<String>> {
        let policy = self.config.policy;
        let differs = report.base.as_ref().is_some_and(|b| b.version.major == 0)
            && report.summary.breaking == 0
            && report.summary.feature > 0;
        let Some(newest) = report
            .base
            .as_ref()
            .filter(|_| self.auto.is_none() && differs)
        else {
            return Ok(None);
        };
        let other = match policy {
            Policy::Cargo => Policy::Guide,
            Policy::Guide | Policy::Auto => Policy::Cargo,
        };
        // Judged by their messages: a hint need not read paths or the API.
        let reading = [Reading::messages(&self.config)];
        let recent = self.recent(&newest.tag, HINT_RELEASES, |_| true, &reading)?;
        let agrees = |p| agreeing(&self.config, &recent, p);
        let (mine, theirs) = (agrees(policy), agrees(other));
        Ok(hint(policy, other, recent.len(), mine, theirs))
    }

    /// The habits that apply to `commits` above the release tagged `base`:
    /// under `auto` those learned from every release; otherwise, where one
    /// could change the answer ([`habits::may_lower`]), those the newest
    /// [`HABIT_RELEASES`] releases of this phase show, each judged as `next`
    /// in text judges a range (never a walk of the whole history).
    ///
    /// # Errors
    ///
    /// Repository errors.
    pub(in crate::pipeline) fn learned_habits(
        &self,
        commits: &[Classified],
        base: Option<(&str, &semver::Version)>,
    ) -> Result<Vec<habits::Habit>> {
        if let Some(auto) = &self.auto {
            return Ok(auto.habits.clone());
        }
        let Some((newest, version)) = base.filter(|(_, v)| {
            self.config.habits && habits::may_lower(commits, v, self.config.policy)
        }) else {
            return Ok(Vec::new());
        };
        let reading = [Reading::of(&self.config)];
        let same_phase =
            |b: &ReleaseTag| habits::Phase::of(&b.tag.version) == habits::Phase::of(version);
        let recent = self.recent(newest, HABIT_RELEASES, same_phase, &reading)?;
        let past: Vec<habits::Past<'_>> = recent.iter().rev().map(past_of_recent).collect();
        Ok(habits::learn(&past, self.config.policy))
    }

    /// The release tagged `newest` and those before it, newest first, each
    /// with the release before it and its range settled under `reading` as a
    /// backtest judges one: at most `limit`, while `within` holds for the
    /// release before.
    fn recent(
        &self,
        newest: &str,
        limit: usize,
        within: impl Fn(&ReleaseTag) -> bool,
        reading: &[Reading],
    ) -> Result<Vec<Recent>> {
        // Change files are read in full: reading only what decides would miss them.
        let version_only = self.version_only || !self.repo.head_has(".changeset");
        let settler = super::settle::Settler {
            facts: false,
            version_only,
            ..self.settler()
        };
        let tags = self.release_tags()?;
        let objects = self.repo.objects();
        let mut out = Vec::new();
        let mut tag = tags.iter().rev().find(|t| t.name == newest).cloned();
        while let Some(current) = tag.take().filter(|_| out.len() < limit) {
            let Some(base) = base_of(&self.repo, &current, &tags)?.filter(&within) else {
                break;
            };
            let commits = self.walk_range(&current.commit, Some(&base.commit), None)?;
            let span = Some((base.commit.as_str(), current.commit.as_str()));
            let settled = settler.settle(&objects, commits, span, reading)?;
            tag = Some(base.clone());
            out.push((base, current, settled));
        }
        Ok(out)
    }

    /// Resolves `policy = "auto"`: the cargo rule when most past 0.x releases
    /// whose commits held a feature (and nothing breaking) were patches, the
    /// guide's otherwise, and when fewer than [`AUTO_MIN_RELEASES`] tell.
    /// Returns the policy and the evidence in words.
    pub(super) fn calibrate(&self) -> Result<(Policy, Calibration)> {
        let judged = self.judge_all(&BacktestSpan::default(), false)?;
        let (policy, evidence) = auto_policy(&judged);
        let past: Vec<habits::Past<'_>> = judged.iter().filter_map(past_of_judged).collect();
        let habits = habits::learn(&past, policy);
        let track = judged
            .iter()
            .filter_map(|j| track_of(&self.config, j, policy, &habits))
            .collect();
        Ok((
            policy,
            Calibration {
                evidence,
                habits,
                track,
            },
        ))
    }
}

/// What `policy` (with `habits`) would have proposed for the judged
/// release, on what ground, and whether it was the version released.
fn track_of(
    config: &crate::config::Config,
    j: &Judged,
    policy: Policy,
    habits: &[habits::Habit],
) -> Option<Past> {
    let base = &j.base.as_ref()?.tag.version;
    let (kinds, _) = habits::kinds(&j.classified, base, policy, habits);
    let proposed = assemble::propose(
        config,
        base,
        policy,
        &kinds,
        (j.module.as_ref(), &j.classified),
    )
    .ok()
    .flatten();
    let level = proposed
        .as_ref()
        .map_or(Level::None, |p| decide::distance(base, p));
    let evidence = Grounds::of(&j.classified, &kinds, level, false, false);
    Some(Past::of(
        &j.tag.name,
        &evidence,
        proposed.as_ref() == Some(&j.tag.tag.version),
    ))
}

/// `--since`'s release version, when asked (a usage error when no
/// `reachable` release has that tag).
fn since_version(span: &BacktestSpan, reachable: &[ReleaseTag]) -> Result<Option<semver::Version>> {
    let Some(name) = &span.since else {
        return Ok(None);
    };
    reachable
        .iter()
        .find(|t| &t.name == name)
        .map(|t| Some(t.tag.version.clone()))
        .ok_or_else(|| {
            Error::usage(format!(
                "--since {name}: no release tag of that name is reachable from HEAD; `git tag --merged HEAD` lists them"
            ))
        })
}

/// A recent release, its base and its settled range, as habits read one.
type Recent = (ReleaseTag, ReleaseTag, super::settle::Settled);

/// How many of the `recent` releases `policy` proposes as released, their
/// ranges judged by the first reading's kinds.
fn agreeing(config: &crate::config::Config, recent: &[Recent], policy: Policy) -> usize {
    recent
        .iter()
        .filter(|(base, current, settled)| {
            let (kinds, commits) = (&settled.kinds[0], &settled.commits);
            assemble::propose(config, &base.tag.version, policy, kinds, (None, commits))
                .ok()
                .flatten()
                .as_ref()
                == Some(&current.tag.version)
        })
        .count()
}

/// A recent release as a past one habits learn from.
fn past_of_recent((base, current, settled): &Recent) -> habits::Past<'_> {
    habits::Past {
        base: &base.tag.version,
        released: &current.tag.version,
        tag: &current.name,
        commits: &settled.commits,
    }
}

/// A judged release as a past one habits learn from; `None` for the first.
fn past_of_judged(j: &Judged) -> Option<habits::Past<'_>> {
    Some(habits::Past {
        base: &j.base.as_ref()?.tag.version,
        released: &j.tag.tag.version,
        tag: &j.tag.name,
        commits: &j.classified,
    })
}

/// The policy hint's line, when `policy` disagrees with most of the
/// `counted` releases (agreeing with `mine`) and `other` agrees with most
/// (`theirs`).
fn hint(
    policy: Policy,
    other: Policy,
    counted: usize,
    mine: usize,
    theirs: usize,
) -> Option<String> {
    if counted == 0 || mine * 2 >= counted || theirs * 2 <= counted {
        return None;
    }
    Some(format!(
        "the {} policy agrees with {mine} of this project's last {counted} releases, the {} policy with {theirs}: `bumpwise backtest` compares them (policy = \"{}\" or \"auto\" follows them)",
        policy.as_str(),
        other.as_str(),
        other.as_str()
    ))
}

/// What `policy = "auto"` found in the project's past releases.
#[derive(Debug, Clone, Default)]
pub struct Calibration {
    /// How the policy was chosen, in words.
    pub evidence: String,
    /// The habits its releases show, per phase.
    pub habits: Vec<habits::Habit>,
    /// What the policy chosen would have proposed for each past release, on
    /// what ground, and whether it agreed: the confidence's track record.
    pub track: Vec<Past>,
}

/// How `policy = "auto"` resolves on `judged` (judged under the guide's
/// policy): the policy and the evidence in words.
fn auto_policy(judged: &[Judged]) -> (Policy, String) {
    let (mut patches, mut minors) = (0, 0);
    for j in judged {
        let Some(base) = j.base.as_ref().filter(|b| b.tag.version.major == 0) else {
            continue;
        };
        if j.configured().iter().copied().max() != Some(Kind::Feature) {
            continue;
        }
        match decide::distance(&base.tag.version, &j.tag.tag.version) {
            Level::Patch => patches += 1,
            Level::Minor => minors += 1,
            _ => {}
        }
    }
    let told = patches + minors;
    if told < AUTO_MIN_RELEASES {
        (
            Policy::Guide,
            format!(
                "guide: too few past 0.x releases with features to tell ({told}; {AUTO_MIN_RELEASES} needed)"
            ),
        )
    } else if patches > minors {
        (
            Policy::Cargo,
            format!("cargo: {patches} of {told} past 0.x releases with features were patches"),
        )
    } else {
        (
            Policy::Guide,
            format!("guide: {minors} of {told} past 0.x releases with features were minors"),
        )
    }
}

/// The release before the `i`th of `tags` (the releases of a
/// [`crate::notes::releases::Split`], with its `boundaries`): the highest
/// lower version in its history. Usually the walk that split the history
/// reached the tagged commit of the version just below it, and no ancestry
/// check is needed.
pub(in crate::pipeline) fn base_in(
    repo: &Repo,
    i: usize,
    tags: &[ReleaseTag],
    boundaries: &[(Vec<usize>, bool)],
) -> Result<Option<ReleaseTag>> {
    let tag = &tags[i];
    // Reaching the tagged commit of the version just below proves it is in
    // the history, whatever else the release's commits reach.
    let direct = match boundaries.get(i) {
        Some((reached, _)) if i > 0 && reached.last() == Some(&(i - 1)) => {
            Some(&tags[i - 1]).filter(|t| t.commit != tag.commit && t.tag.version < tag.tag.version)
        }
        _ => None,
    };
    match direct {
        Some(base) => Ok(Some(base.clone())),
        None => base_of(repo, tag, tags),
    }
}

/// The release before `tag`: the highest lower version in its history.
pub(in crate::pipeline) fn base_of(
    repo: &Repo,
    tag: &ReleaseTag,
    tags: &[ReleaseTag],
) -> Result<Option<ReleaseTag>> {
    for t in tags.iter().rev() {
        if t.tag.version < tag.tag.version
            && t.commit != tag.commit
            && repo.contains(&tag.commit, &t.commit)?
        {
            return Ok(Some(t.clone()));
        }
    }
    Ok(None)
}

/// Whether backtest tries `first_parent = true`: not when it is set, and
/// not for a package, whose walk leaves out more than merges.
pub(super) fn first_parent_tried(config: &crate::config::Config) -> bool {
    !config.first_parent && config.paths.is_empty()
}

/// A release proposed above what shipped whose range is mostly commits
/// older than its base: the reason names the merge that brought them and
/// the flag that leaves them out, as `next` at that release says.
fn name_histories_merged_back(
    repo: &crate::history::Repo,
    options: &crate::history::WalkOptions,
    judged: &[Judged],
    report: &mut BacktestReport,
) -> Result<()> {
    for line in report.releases.iter_mut() {
        let over = line.proposed.as_ref().is_some_and(|p| *p > line.version);
        if line.agrees || !line.counted || !over {
            continue;
        }
        let Some(j) = judged.iter().find(|j| j.tag.name == line.tag) else {
            continue;
        };
        let Some(base) = &j.base else { continue };
        let range = repo.commits(&j.tag.commit, Some(&base.commit), options, |_| ())?;
        let base = (base.name.as_str(), base.commit.as_str());
        if let Some(said) =
            super::merges::old_side(repo, &range.shape, range.commits.len(), base, options)?
        {
            line.reason = Some(format!("a history merged back: {said}"));
        }
    }
    Ok(())
}
