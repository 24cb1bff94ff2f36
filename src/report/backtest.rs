//! Backtest: what bumpwise would have proposed for each past release, beside
//! what the maintainers released.

use semver::Version;
use serde::Serialize;

/// The whole backtest, as `bumpwise backtest` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestReport {
    /// The shape's version.
    pub schema_version: u32,
    /// The policy in force.
    pub policy: String,
    /// Whether the API evidence was read.
    pub api: bool,
    /// One line per release reachable from HEAD, in SemVer order.
    pub releases: Vec<ReleaseLine>,
    /// Agreement over the counted releases.
    pub agreement: Agreement,
    /// A configuration that agrees better by more than the margin, when there is one.
    pub suggestion: Option<Suggestion>,
}

/// One past release.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseLine {
    /// Its tag.
    pub tag: String,
    /// Its version.
    pub version: Version,
    /// The release before it (the highest lower version in its history), when there is one.
    pub base: Option<String>,
    /// How many commits lie between them.
    pub commits: usize,
    /// What bumpwise proposes from those commits; `None` when nothing warrants a release.
    pub proposed: Option<Version>,
    /// Whether it is counted in the agreement (a first release, or one whose
    /// commits all belong to a lower version, is not).
    pub counted: bool,
    /// Whether the proposal is the released version.
    pub agrees: bool,
    /// `before_1_0` (the base is 0.x) or `from_1_0`.
    pub phase: &'static str,
    /// Why they differ, when they do; why it is not counted, when it is not.
    pub reason: Option<String>,
    /// The commits that drove the proposal (short ids of the highest kind, at most five).
    pub drivers: Vec<String>,
    /// The confidence `next` would have given the proposal then, calibrated
    /// on the releases before it (counted releases only).
    pub confidence: Option<f64>,
}

/// Agreement among the releases whose confidence fell in one band.
#[derive(Debug, Clone, Serialize)]
pub struct Band {
    /// The band's lower bound (inclusive).
    pub from: f64,
    /// Its upper bound (exclusive, but 1.0 included in the last).
    pub to: f64,
    /// The counted releases in it.
    pub releases: usize,
    /// How many agreed.
    pub agreed: usize,
    /// Their mean confidence.
    pub mean_confidence: f64,
}

/// The bands of [`Agreement::bands`].
pub const BANDS: [(f64, f64); 5] = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0)];

impl Band {
    /// The bands over `lines` (counted lines with a confidence), empty ones left out.
    pub fn of(lines: &[ReleaseLine]) -> Vec<Band> {
        BANDS
            .iter()
            .filter_map(|&(from, to)| {
                let inside: Vec<(f64, bool)> = lines
                    .iter()
                    .filter(|l| l.counted)
                    .filter_map(|l| Some((l.confidence?, l.agrees)))
                    .filter(|(c, _)| *c >= from && (*c < to || (to == 1.0 && *c <= 1.0)))
                    .collect();
                if inside.is_empty() {
                    return None;
                }
                let mean = inside.iter().map(|(c, _)| c).sum::<f64>() / inside.len() as f64;
                Some(Band {
                    from,
                    to,
                    releases: inside.len(),
                    agreed: inside.iter().filter(|(_, a)| *a).count(),
                    mean_confidence: (mean * 100.0).round() / 100.0,
                })
            })
            .collect()
    }
}

/// Agreement, overall and per phase.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Agreement {
    /// Releases agreed with, of those counted.
    pub agreed: usize,
    /// Releases counted.
    pub counted: usize,
    /// Before 1.0: agreed, counted.
    pub before_1_0: (usize, usize),
    /// From 1.0: agreed, counted.
    pub from_1_0: (usize, usize),
    /// Per confidence band: how honest the confidence was, to choose a
    /// `min_confidence` from.
    pub bands: Vec<Band>,
}

impl Agreement {
    /// `agreed/counted (NN%)`.
    pub fn text(agreed: usize, counted: usize) -> String {
        if counted == 0 {
            return "0/0".to_string();
        }
        format!("{agreed}/{counted} ({}%)", agreed * 100 / counted)
    }
}

/// A better-agreeing configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The settings, as `bumpwise.toml` takes them (`policy = "cargo"`).
    pub settings: Vec<String>,
    /// Its agreement.
    pub agreed: usize,
    /// Out of.
    pub counted: usize,
    /// The releases it turns right.
    pub turns_right: Vec<String>,
    /// The releases it turns wrong.
    pub turns_wrong: Vec<String>,
}
