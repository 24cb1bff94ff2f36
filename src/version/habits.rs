//! A project's own habits: how it released each kind of inferred evidence,
//! learned per phase (before 1.0, from 1.0) from its past releases: under
//! `policy = "auto"` from every release, under a named policy from the newest.
//!
//! Real projects have habits no named policy holds: a crate that ships API
//! additions in 1.0.x patches, a Go library that ships inferred API breaks as
//! minors, a 0.x library that ships them as patches. A habit is learned from
//! the past releases of one phase whose deciding commits all rest on one kind
//! of inferred evidence ([`Basis`]): with at least [`MIN_RELEASES`] of them,
//! and at least two thirds released with one bump lower than the policy's, that
//! bump is the habit. Declared evidence (an explicit type, a `!`, a
//! `BREAKING CHANGE` footer, a change file, a maintainer's override) has no
//! basis here: it is never overruled by a habit. Pure: no git, no I/O.

use semver::Version;
use serde::Serialize;

use super::decide::{Level, Policy};
use crate::classify::{Classified, Kind, Rule, keywords::Verdict};
use crate::evidence::api::ChangeKind;

/// Fewer past releases of a phase and basis than this teach nothing.
pub const MIN_RELEASES: usize = 3;

/// What a commit's kind rests on, where it is inferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A break read from the public API (no marker, footer or change file said so).
    ApiBreak,
    /// A feature read from what the public API gained.
    ApiAddition,
    /// A feature read from a keyword of a non-conventional subject.
    KeywordFeature,
}

impl Basis {
    /// The basis of `c`'s effective kind; `None` where it was declared, or is a fix or less.
    pub fn of(c: &Classified) -> Option<Basis> {
        match (c.effective_kind(), &c.rule) {
            (Kind::Breaking, Rule::Api { change, .. }) if *change != ChangeKind::Added => {
                Some(Basis::ApiBreak)
            }
            (Kind::Feature, Rule::Api { .. }) => Some(Basis::ApiAddition),
            (
                Kind::Feature,
                Rule::Keyword {
                    verdict: Verdict::Feature | Verdict::Removal,
                    ..
                },
            ) => Some(Basis::KeywordFeature),
            _ => None,
        }
    }

    /// In words, for the report.
    pub fn describe(self) -> &'static str {
        match self {
            Basis::ApiBreak => "inferred API breaks",
            Basis::ApiAddition => "API additions",
            Basis::KeywordFeature => "keyword features",
        }
    }
}

/// Before 1.0, or from 1.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// 0.x.
    Before1,
    /// 1.0 and after.
    From1,
}

impl Phase {
    /// The phase a range from `base` is in.
    pub fn of(base: &Version) -> Phase {
        if base.major == 0 {
            Phase::Before1
        } else {
            Phase::From1
        }
    }

    /// In words, for the report.
    pub fn describe(self) -> &'static str {
        match self {
            Phase::Before1 => "before 1.0",
            Phase::From1 => "from 1.0",
        }
    }
}

/// A learned habit: in `phase`, releases resting on `basis` were `level` releases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Habit {
    /// The phase it was learned in, and applies to.
    pub phase: Phase,
    /// The evidence it is about.
    pub basis: Basis,
    /// The bump those releases were.
    pub level: Level,
    /// How many of the releases resting on `basis` were `level` releases.
    pub agreed: usize,
    /// How many releases rested on `basis`.
    pub of: usize,
    /// Those releases' tags, oldest first.
    pub releases: Vec<String>,
}

impl Habit {
    /// The habit in words: `inferred API breaks before 1.0 were released as patches in 8 of 9 past releases`.
    pub fn describe(&self) -> String {
        format!(
            "{} {} were released as {} in {} of {} past releases",
            self.basis.describe(),
            self.phase.describe(),
            match self.level {
                Level::None => "nothing",
                Level::Patch => "patches",
                Level::Minor => "minors",
                Level::Major => "majors",
            },
            self.agreed,
            self.of
        )
    }
}

/// One past release: its base, its version, its tag, and its commits as the
/// settings in force classified them.
pub struct Past<'a> {
    /// The release before it.
    pub base: &'a Version,
    /// Its version.
    pub released: &'a Version,
    /// Its tag.
    pub tag: &'a str,
    /// Its commits.
    pub commits: &'a [Classified],
}

/// Whether a habit could lower the bump `commits` require above `base` under
/// `policy`: some commit raises the range above a patch, and every commit at
/// the highest level rests on inferred evidence. Where one was declared, no
/// habit can change the answer, and `next` does not look for one.
pub fn may_lower(commits: &[Classified], base: &Version, policy: Policy) -> bool {
    let level = |c: &Classified| policy.level(base, c.effective_kind());
    let Some(top) = commits.iter().map(level).max() else {
        return false;
    };
    top > Level::Patch
        && commits
            .iter()
            .filter(|c| level(c) == top)
            .all(|c| Basis::of(c).is_some())
}

/// The bases a release rests on: those of the commits at the highest level
/// `policy` gives, each once; `None` when any of them was declared. A release
/// of several inferred bases counts for each: released lower, it shows each
/// was; released at the policy's level, it counts against each.
fn resting_on(past: &Past<'_>, policy: Policy) -> Option<(Vec<Basis>, Level)> {
    let level = |c: &Classified| policy.level(past.base, c.effective_kind());
    let top = past.commits.iter().map(level).max()?;
    if top == Level::None {
        return None;
    }
    let mut bases = Vec::new();
    for c in past.commits.iter().filter(|c| level(c) == top) {
        let basis = Basis::of(c)?;
        if !bases.contains(&basis) {
            bases.push(basis);
        }
    }
    Some((bases, top))
}

/// The habits `past` releases show under `policy`: per phase and basis, the
/// bump at least two thirds of at least [`MIN_RELEASES`] releases had, when it
/// is lower than the one `policy` gives.
pub fn learn(past: &[Past<'_>], policy: Policy) -> Vec<Habit> {
    let mut seen: Vec<(Phase, Basis, Level, Level, &str)> = Vec::new();
    for p in past {
        if let Some((bases, proposed)) = resting_on(p, policy) {
            let released = super::decide::distance(p.base, p.released);
            for basis in bases {
                seen.push((Phase::of(p.base), basis, proposed, released, p.tag));
            }
        }
    }
    let mut out = Vec::new();
    for phase in [Phase::Before1, Phase::From1] {
        for basis in [Basis::ApiBreak, Basis::ApiAddition, Basis::KeywordFeature] {
            let group: Vec<&(Phase, Basis, Level, Level, &str)> = seen
                .iter()
                .filter(|s| s.0 == phase && s.1 == basis)
                .collect();
            if group.len() < MIN_RELEASES {
                continue;
            }
            let lower = [Level::Patch, Level::Minor].into_iter().find(|level| {
                let count = group.iter().filter(|s| s.3 == *level).count();
                count * 3 >= group.len() * 2 && group.iter().all(|s| s.2 > *level)
            });
            if let Some(level) = lower {
                out.push(Habit {
                    phase,
                    basis,
                    level,
                    agreed: group.iter().filter(|s| s.3 == level).count(),
                    of: group.len(),
                    releases: group.iter().map(|s| s.4.to_string()).collect(),
                });
            }
        }
    }
    out
}

/// The kind `c` counts as above `base` under `policy` and `habits`: its own,
/// or, where a habit of this phase covers its basis, the lowest kind
/// `policy` gives the habit's bump. Returns the habit applied, if any.
pub fn kind_under<'h>(
    c: &Classified,
    base: &Version,
    policy: Policy,
    habits: &'h [Habit],
) -> (Kind, Option<&'h Habit>) {
    let kind = c.effective_kind();
    let Some(basis) = Basis::of(c) else {
        return (kind, None);
    };
    let phase = Phase::of(base);
    let of = |basis: Basis| habits.iter().find(|h| h.phase == phase && h.basis == basis);
    // Habits are monotone within the API's evidence: a phase that releases
    // inferred breaks as patches releases what the API gained as no more.
    let habit = of(basis).or_else(|| {
        (basis == Basis::ApiAddition)
            .then(|| of(Basis::ApiBreak))
            .flatten()
    });
    let Some(habit) = habit else {
        return (kind, None);
    };
    let lowered = [Kind::None, Kind::Fix, Kind::Feature, Kind::Breaking]
        .into_iter()
        .find(|k| policy.level(base, *k) == habit.level)
        .filter(|k| *k < kind);
    match lowered {
        Some(k) => (k, Some(habit)),
        None => (kind, None),
    }
}

/// The kinds `commits` count as above `base` ([`kinds`]), and the habits
/// that lowered any; their own kinds without a base (a first release).
pub fn kinds_above<'h>(
    commits: &[Classified],
    base: Option<&Version>,
    policy: Policy,
    habits: &'h [Habit],
) -> (Vec<Kind>, Vec<&'h Habit>) {
    match base {
        Some(base) => kinds(commits, base, policy, habits),
        None => (
            commits.iter().map(Classified::effective_kind).collect(),
            Vec::new(),
        ),
    }
}

/// The kinds `commits` count as above `base` ([`kind_under`]), and the
/// habits that lowered any, each once.
pub fn kinds<'h>(
    commits: &[Classified],
    base: &Version,
    policy: Policy,
    habits: &'h [Habit],
) -> (Vec<Kind>, Vec<&'h Habit>) {
    let mut followed: Vec<&Habit> = Vec::new();
    let kinds = commits
        .iter()
        .map(|c| {
            let (kind, habit) = kind_under(c, base, policy, habits);
            followed.extend(habit.filter(|h| !followed.contains(h)));
            kind
        })
        .collect();
    (kinds, followed)
}
