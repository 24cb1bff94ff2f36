//! How sure a proposal is: the estimated probability that the proposed bump
//! (major, minor, patch, or nothing) is the one the project would release.
//!
//! It rests on three things, each in the report:
//! - what decided the proposal ([`Ground`]): the strongest evidence among the
//!   commits at the proposal's kind (an explicit marker outranks the public
//!   API, which outranks paths, then keywords, then commits no rule read);
//! - how much the rest of the range could change it ([`Doubts`]): a commit no
//!   rule read could hide a feature; one that removes or renames something
//!   could be a break; a major the Go module path cannot release;
//! - the project's own releases, where there are enough ([`Past`]): how often
//!   proposals resting on the same ground and level agreed with what was
//!   released. Few releases shrink toward the prior ([`PRIORS`]), measured on
//!   public histories (`benches/replay.py --calibration`, figures in docs/versioning.md).
//!
//! Pure: the evidence and the track record in, the estimate out.

use serde::Serialize;

use crate::classify::{Classified, Confidence as Certainty, Kind, Rule};
use crate::version::decide::Level;

/// A confidence threshold from 0 to 1 (`--min-confidence`, `min_confidence`):
/// below it, `next` asks for a person.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, serde::Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Threshold(f64);

impl Eq for Threshold {}

impl TryFrom<f64> for Threshold {
    type Error = String;

    fn try_from(value: f64) -> Result<Threshold, String> {
        if (0.0..=1.0).contains(&value) {
            Ok(Threshold(value))
        } else {
            Err(format!(
                "a confidence threshold is a number from 0 to 1, e.g. 0.9 (got {value})"
            ))
        }
    }
}

impl From<Threshold> for f64 {
    fn from(t: Threshold) -> f64 {
        t.0
    }
}

impl std::str::FromStr for Threshold {
    type Err = String;

    fn from_str(s: &str) -> Result<Threshold, String> {
        let value: f64 = s.trim().parse().map_err(|_| {
            format!("a confidence threshold is a number from 0 to 1, e.g. 0.9 (got `{s}`)")
        })?;
        Threshold::try_from(value)
    }
}

impl Threshold {
    /// The threshold `confident` is measured against when none is set: the
    /// band where proposals agreed with at least 95% of releases on public histories.
    pub const DEFAULT: Threshold = Threshold(0.9);

    /// The number.
    pub fn value(self) -> f64 {
        self.0
    }

    /// Whether `confidence` reaches it.
    pub fn met_by(self, confidence: f64) -> bool {
        confidence + 1e-9 >= self.0
    }
}

/// What decided a proposal, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// A person: `--release-as`, `--major`/`--minor`/`--patch`, or the
    /// configured first version.
    Human,
    /// An explicit marker: a conventional type, a `!` or footer, a change
    /// file, an advisory id, an override, a revert, a Go module path.
    Declared,
    /// What the commits did to the public API.
    Api,
    /// Which paths the commits changed (dependency files, shipped code).
    Paths,
    /// A keyword of a subject that is not conventional.
    Keyword,
    /// A habit of the project's own releases lowered evidence above what
    /// decided: the proposal is as right as the habit is.
    Habit,
    /// Commits no rule read.
    Unclassified,
    /// No commit has release impact: nothing to release.
    Nothing,
}

impl Ground {
    /// The ground of one commit's kind.
    pub fn of(c: &Classified) -> Ground {
        match &c.rule {
            Rule::Api { .. } | Rule::ApiUnchanged { .. } => Ground::Api,
            Rule::Paths { .. }
            | Rule::DependencyFiles { .. }
            | Rule::ShippedCode { .. }
            | Rule::Uncorroborated { .. } => Ground::Paths,
            Rule::Keyword { .. } | Rule::UnknownType { .. } => Ground::Keyword,
            Rule::NotConventional => Ground::Unclassified,
            _ if c.confidence == Certainty::Low => Ground::Unclassified,
            _ => Ground::Declared,
        }
    }

    /// In words, as an adjective.
    pub fn describe(self) -> &'static str {
        match self {
            Ground::Human => "requested",
            Ground::Declared => "explicit",
            Ground::Api => "API",
            Ground::Paths => "path",
            Ground::Keyword => "keyword",
            Ground::Habit => "habit-followed",
            Ground::Unclassified => "unclassified",
            Ground::Nothing => "no-impact",
        }
    }
}

/// What in the rest of the range could change the proposal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Doubts {
    /// Commits below a feature that no rule read (counted as patches or
    /// nothing): each could hide a feature.
    pub unread: usize,
    /// Commits below a break that remove or rename something.
    pub possibly_breaking: usize,
    /// The commits asked for a major the Go module path cannot release.
    pub capped: bool,
}

impl Doubts {
    /// How much the doubts take off a proposal of `level`, as measured on
    /// public histories (see [`PRIORS`]): a commit no rule read, a tenth; one
    /// that removes or renames something, two fifths of a minor and a sixth
    /// of a patch; a major the module path capped, a fifth.
    fn factor(self, level: Level) -> f64 {
        let unread = if self.unread > 0 { 0.9 } else { 1.0 };
        let removal = match (self.possibly_breaking > 0, level) {
            (false, _) => 1.0,
            (true, Level::Patch) => 0.85,
            (true, _) => 0.6,
        };
        let capped = if self.capped { 0.8 } else { 1.0 };
        unread * removal * capped
    }

    fn words(self) -> Vec<String> {
        let mut out = Vec::new();
        if self.unread > 0 {
            out.push(format!(
                "{} commit(s) no rule read could hide a feature",
                self.unread
            ));
        }
        if self.possibly_breaking > 0 {
            out.push(format!(
                "{} commit(s) that remove or rename something could be breaking",
                self.possibly_breaking
            ));
        }
        if self.capped {
            out.push("a break the Go module path cannot release as a major".into());
        }
        out
    }
}

/// What a proposal rests on: the key its track record is kept under, and the
/// doubts around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    /// What decided it.
    pub ground: Ground,
    /// The bump proposed.
    pub level: Level,
    /// The kind that decided it, and how many commits have it.
    pub deciding: (Kind, usize),
    /// What could change it.
    pub doubts: Doubts,
}

impl Evidence {
    /// What `commits`, counted as `kinds` (their effective kinds, after any
    /// habit), show for a proposal of `level`. `human` when a person chose the
    /// version; `capped` when the Go module path capped a major.
    pub fn of(
        commits: &[Classified],
        kinds: &[Kind],
        level: Level,
        human: bool,
        capped: bool,
    ) -> Evidence {
        let top = kinds.iter().copied().max().unwrap_or(Kind::None);
        let counted = || commits.iter().zip(kinds).filter(|(c, _)| !c.cancelled());
        let deciding: Vec<&Classified> = counted()
            .filter(|(_, k)| **k == top)
            .map(|(c, _)| c)
            .collect();
        // A learned habit lowered a commit from above what now decides: the
        // proposal rests on the habit, whatever the commits left at the top are.
        let lowered = counted().any(|(c, k)| *k < c.effective_kind() && c.effective_kind() > top);
        let ground = if human {
            Ground::Human
        } else if level == Level::None || top <= Kind::None {
            Ground::Nothing
        } else if lowered {
            Ground::Habit
        } else {
            deciding
                .iter()
                .map(|c| Ground::of(c))
                .min()
                .unwrap_or(Ground::Unclassified)
        };
        let unread = counted()
            .filter(|(c, k)| {
                top < Kind::Feature
                    && **k < Kind::Feature
                    && (c.kind == Kind::Unclassified
                        || matches!(
                            c.rule,
                            Rule::ShippedCode {
                                message: Kind::Unclassified,
                                ..
                            } | Rule::NotConventional
                        ))
            })
            .count();
        let possibly_breaking = counted()
            .filter(|(c, k)| top < Kind::Breaking && **k < Kind::Breaking && c.possibly_breaking)
            .count();
        Evidence {
            ground,
            level,
            deciding: (top, deciding.len()),
            doubts: Doubts {
                unread,
                possibly_breaking,
                capped,
            },
        }
    }

    /// The key of its track record.
    pub fn key(&self) -> (Ground, Level) {
        (self.ground, self.level)
    }
}

/// One past release: what its proposal rested on, what the priors expected
/// of it, and whether it was the version released.
#[derive(Debug, Clone, PartialEq)]
pub struct Past {
    /// The release's tag.
    pub tag: String,
    /// The ground and level the proposal rested on.
    pub key: (Ground, Level),
    /// The confidence the priors and its doubts alone gave it.
    pub expected: f64,
    /// Whether the proposal was the version released.
    pub agreed: bool,
}

impl Past {
    /// The release `tag`'s proposal, resting on `evidence`, and whether it `agreed`.
    pub fn of(tag: &str, evidence: &Evidence, agreed: bool) -> Past {
        Past {
            tag: tag.to_string(),
            key: evidence.key(),
            expected: prior(evidence.key()) * evidence.doubts.factor(evidence.level),
            agreed,
        }
    }
}

/// The share of proposals on each ground and level that agreed with the
/// version released, on public histories (see the module doc). Pairs not
/// listed count as 0.5 ([`prior`]).
pub const PRIORS: &[(Ground, Level, f64)] = &[
    (Ground::Declared, Level::Major, 0.87),
    (Ground::Declared, Level::Minor, 0.95),
    (Ground::Declared, Level::Patch, 0.98),
    (Ground::Api, Level::Major, 0.2),
    (Ground::Api, Level::Minor, 0.45),
    (Ground::Api, Level::Patch, 0.95),
    (Ground::Paths, Level::Minor, 0.5),
    (Ground::Paths, Level::Patch, 0.95),
    (Ground::Keyword, Level::Major, 0.3),
    (Ground::Keyword, Level::Minor, 0.72),
    (Ground::Keyword, Level::Patch, 0.94),
    // Measured apart (2026-12-07): whatever the commits left at the top, a
    // proposal a habit lowered agreed as often as the habit held.
    (Ground::Habit, Level::Minor, 0.82),
    (Ground::Habit, Level::Patch, 0.79),
    (Ground::Unclassified, Level::Minor, 0.4),
    (Ground::Unclassified, Level::Patch, 0.8),
    (Ground::Nothing, Level::None, 0.1),
    // A release commit over commits of no release impact: the least release.
    (Ground::Nothing, Level::Patch, 0.95),
];

/// The prior of a ground and level ([`PRIORS`]; 0.5 where none was measured).
pub fn prior(key: (Ground, Level)) -> f64 {
    if key.0 == Ground::Human {
        return 1.0;
    }
    PRIORS
        .iter()
        .find(|(g, l, _)| (*g, *l) == key)
        .map_or(0.5, |(_, _, p)| *p)
}

/// How many releases of evidence the prior counts for.
const PRIOR_WEIGHT: f64 = 4.0;

/// The estimate, with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// The probability, from 0 to 1, rounded to two places.
    pub confidence: f64,
    /// What decided the proposal.
    pub ground: Ground,
    /// The bump proposed.
    pub level: Level,
    /// The deciding kind.
    pub deciding_kind: Kind,
    /// How many commits have it.
    pub deciding_commits: usize,
    /// What could change it.
    pub doubts: Doubts,
    /// The prior for this ground and level.
    pub prior: f64,
    /// How many of the project's past releases were replayed.
    pub past_releases: usize,
    /// How many of them agreed.
    pub past_agreed: usize,
    /// How many rested on the same ground and level.
    pub same_releases: usize,
    /// How many of those agreed.
    pub same_agreed: usize,
    /// The newest of those (at most ten), by tag.
    pub same_tags: Vec<String>,
    /// All of it in words.
    pub words: String,
}

/// The estimate for `evidence`, given the project's `past` releases.
pub fn estimate(evidence: &Evidence, past: &[Past]) -> Estimate {
    let key = evidence.key();
    let prior = prior(key);
    let agreed = past.iter().filter(|p| p.agreed).count();
    let same: Vec<&Past> = past.iter().filter(|p| p.key == key).collect();
    let same_agreed = same.iter().filter(|p| p.agreed).count();
    let value = if evidence.ground == Ground::Human {
        1.0
    } else {
        // What the priors and this range's doubts expect, moved by how the
        // project's releases did against what the priors expected of them:
        // all of them (shrunk toward 1), then those on this key (shrunk
        // toward the project's ratio).
        let expected = prior * evidence.doubts.factor(evidence.level);
        let all: f64 = past.iter().map(|p| p.expected).sum();
        let project = (agreed as f64 + PRIOR_WEIGHT) / (all + PRIOR_WEIGHT);
        let mine: f64 = same.iter().map(|p| p.expected).sum();
        let ratio = (same_agreed as f64 + PRIOR_WEIGHT * project * expected)
            / (mine + PRIOR_WEIGHT * expected).max(f64::EPSILON);
        (expected * ratio).clamp(0.01, 0.99)
    };
    let confidence = (value.clamp(0.0, 1.0) * 100.0).round() / 100.0;
    let mut estimate = Estimate {
        confidence,
        ground: evidence.ground,
        level: evidence.level,
        deciding_kind: evidence.deciding.0,
        deciding_commits: evidence.deciding.1,
        doubts: evidence.doubts,
        prior,
        past_releases: past.len(),
        past_agreed: agreed,
        same_releases: same.len(),
        same_agreed,
        same_tags: same[same.len().saturating_sub(10)..]
            .iter()
            .map(|p| p.tag.clone())
            .collect(),
        words: String::new(),
    };
    estimate.words = words(&estimate);
    estimate
}

/// `4 explicit features`, `1 API break`, `nothing with release impact`.
fn deciding_words(e: &Estimate) -> String {
    let n = e.deciding_commits;
    let noun = match (e.deciding_kind, n == 1) {
        (Kind::Breaking, true) => "break",
        (Kind::Breaking, false) => "breaks",
        (Kind::Feature, true) => "feature",
        (Kind::Feature, false) => "features",
        (Kind::Fix, true) => "fix",
        (Kind::Fix, false) => "fixes",
        _ if e.level == Level::Patch && e.ground == Ground::Nothing => {
            return "a release commit, nothing with release impact".into();
        }
        _ => return "nothing with release impact".into(),
    };
    match e.ground {
        Ground::Human => "the version asked for".into(),
        Ground::Nothing => "nothing with release impact".into(),
        Ground::Habit => format!("{n} {noun} once a learned habit lowered what stood above"),
        g => format!("{n} {} {noun}", g.describe()),
    }
}

fn words(e: &Estimate) -> String {
    let mut parts = vec![deciding_words(e)];
    if e.ground != Ground::Human {
        let what = format!("{} {} proposals", e.ground.describe(), e.level.as_str());
        if e.same_releases > 0 {
            parts.push(format!(
                "{} of {} past releases resting on {what} agreed",
                e.same_agreed, e.same_releases
            ));
        } else if e.past_releases > 0 {
            parts.push(format!(
                "no past release rested on {what}; {} of {} agreed overall",
                e.past_agreed, e.past_releases
            ));
        } else {
            parts.push(format!(
                "its own track record not weighed (policy = \"auto\" weighs it); {:.2} on public histories for {what}",
                e.prior
            ));
        }
    }
    parts.extend(e.doubts.words());
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(ground: Ground, level: Level, doubts: Doubts) -> Evidence {
        Evidence {
            ground,
            level,
            deciding: (Kind::Feature, 2),
            doubts,
        }
    }

    #[test]
    fn a_track_record_moves_the_prior_and_doubts_lower_it() {
        let e = evidence(Ground::Declared, Level::Minor, Doubts::default());
        let none = estimate(&e, &[]);
        assert!((none.confidence - prior(e.key())).abs() < 0.01, "{none:?}");
        let good = vec![Past::of("v1", &e, true); 20];
        let bad = vec![Past::of("v1", &e, false); 20];
        assert!(estimate(&e, &good).confidence > none.confidence);
        assert!(estimate(&e, &bad).confidence < 0.3);
        // Another key's failures lower this one's prior too, less.
        let other = vec![
            Past::of(
                "v1",
                &evidence(Ground::Keyword, Level::Patch, Doubts::default()),
                false
            );
            20
        ];
        let moved = estimate(&e, &other).confidence;
        assert!(moved < none.confidence && moved > estimate(&e, &bad).confidence);
        let doubted = evidence(
            Ground::Declared,
            Level::Minor,
            Doubts {
                unread: 1,
                ..Doubts::default()
            },
        );
        assert!(estimate(&doubted, &[]).confidence < none.confidence);
        let human = evidence(Ground::Human, Level::Major, Doubts::default());
        assert_eq!(estimate(&human, &bad).confidence, 1.0);
    }
}
