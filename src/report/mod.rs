//! The report: everything a decision rests on, as one typed value.
//!
//! Owns assembling the history's facts, the classified commits and the
//! decision into a [`Report`], with the counts and the warnings a human must
//! see ([`warnings`]). Versions stay typed ([`semver::Version`]) for the
//! stages downstream; the JSON contract ([`json`]: `schema_version`,
//! snake_case fields, versions as strings, tagged enums) is a view of it.
//! Renderers only read it.

pub mod backtest;
pub mod json;
pub mod warnings;

use semver::Version;
use serde::Serialize;

use crate::classify::{Classified, Confidence, Deprecation, Kind, Rule};
use crate::config::Config;
use crate::history::Head;
use crate::version::confidence::{Estimate, Threshold};
use crate::version::decide::{DecidedBy, Decision, GoModule, Level, ModuleRule, Request};
use crate::version::habits::Habit;
use crate::version::tag::{self, Selection, SkipReason};

/// What the history stage found besides the commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// Where HEAD is.
    pub head: Head,
    /// The base release and the tags passed over.
    pub selection: Selection,
    /// Merge commits left out of the commits.
    pub merges_skipped: usize,
    /// Whether the repository is a shallow clone.
    pub shallow: bool,
}

/// What the pipeline found beside the history and the commits, for [`Report::build`].
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The monorepo package chosen.
    pub package: Option<String>,
    /// How `policy = "auto"` chose the policy, in words.
    pub auto: Option<String>,
    /// The habits learned from the project's releases (under `auto` from
    /// every release, otherwise only where one could change the answer).
    pub habits: Vec<Habit>,
    /// The habits this proposal follows.
    pub followed: Vec<Habit>,
    /// The tag prefix every release tag has, used because none was given.
    pub prefix: Option<String>,
    /// What the range did to the public API, when it was read.
    pub api: Option<ApiReport>,
    /// Warnings about merged histories in the range.
    pub merges: Vec<String>,
    /// The Go module at HEAD, and what its path did to the decision.
    pub go_module: Option<(GoModule, Option<ModuleRule>)>,
    /// Warnings about overrides that match no commit.
    pub unmatched: Vec<String>,
    /// The highest pre-release above the base that HEAD contains whose line
    /// `--pre` can continue (when neither `--pre` nor a version was asked for).
    pub pre_release: Option<(String, Version)>,
    /// How sure the proposal is.
    pub confidence: Option<Estimate>,
}

/// Everything `next` and `explain` know.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The shape's version.
    pub schema_version: u32,
    /// The monorepo package reported on, when one was chosen.
    pub package: Option<String>,
    /// Where HEAD is.
    pub head: HeadReport,
    /// The versioning rule in force.
    pub policy: PolicyReport,
    /// The tag prefix in force.
    pub tag_prefix: String,
    /// Whether only first parents were followed.
    pub first_parent: bool,
    /// Whether the repository is a shallow clone (the range was checked complete).
    pub shallow: bool,
    /// The last release, when there is one.
    pub base: Option<BaseReport>,
    /// How many tags were read.
    pub tags_read: usize,
    /// Tags that could have been the base but were not, and why.
    pub skipped_tags: Vec<SkippedTag>,
    /// The commits since the base, newest first, their subjects cut for display.
    pub commits: Vec<Classified>,
    /// Merge commits left out (their commits are listed instead).
    pub merges_skipped: usize,
    /// Counts per kind.
    pub summary: Summary,
    /// The decision.
    pub decision: DecisionReport,
    /// Whether any counted commit is a security fix.
    pub security: bool,
    /// Breaking changes in the range, for the release notes.
    pub breaking_changes: Vec<BreakingReport>,
    /// Deprecations in the range, for the deprecations draft.
    pub deprecations: Vec<DeprecationReport>,
    /// What the range did to the public API, when it was read.
    pub api: Option<ApiReport>,
    /// The Go module at HEAD (a root `go.mod`), and what its path allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go_module: Option<GoModuleReport>,
    /// What a human should know before trusting the result.
    pub warnings: Vec<String>,
}

impl GoModuleReport {
    fn of(module: GoModule, rule: Option<ModuleRule>) -> GoModuleReport {
        GoModuleReport {
            major: crate::evidence::gomod::path_major(&module.head).unwrap_or(1),
            rule: rule.as_ref().map(|r| match r {
                ModuleRule::Capped { .. } => "capped",
                ModuleRule::Declared { .. } => "declared",
            }),
            wanted: match rule {
                Some(ModuleRule::Capped { wanted }) => Some(wanted),
                _ => None,
            },
            path: module.head,
        }
    }
}

/// A Go module as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct GoModuleReport {
    /// The module path at HEAD.
    pub path: String,
    /// The highest major the path allows (1 for a path without `/vN`).
    pub major: u64,
    /// What the path did to the decision: `capped` (a major the path does not
    /// allow became the minor) or `declared` (the path moved to `/vN`).
    pub rule: Option<&'static str>,
    /// With `capped`: what the commits alone would have released.
    pub wanted: Option<Version>,
}

/// What the range did to the public API of its Go packages and Rust crates, net.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApiReport {
    /// Whether HEAD ships a binary (a Rust binary target, or a Go `main`
    /// package at the root or under `cmd/`), when it was asked: a message
    /// that said anything then stands against an API change. (Named for the
    /// Rust case it first covered.)
    pub rust_binaries: Option<bool>,
    /// How many source files that can hold an API differ between the base and HEAD.
    pub files_changed: usize,
    /// Every change, by name, with the commit that made it.
    pub changes: Vec<ApiChange>,
    /// Files that gave no evidence, and why.
    pub notes: Vec<String>,
}

/// One change to the public API.
#[derive(Debug, Clone, Serialize)]
pub struct ApiChange {
    /// The change.
    #[serde(flatten)]
    pub change: crate::evidence::api::Change,
    /// The commit that made it; `None` when no commit of the range did (a merge's own change).
    pub commit: Option<String>,
}

/// Where HEAD is.
#[derive(Debug, Clone, Serialize)]
pub struct HeadReport {
    /// The full commit id.
    pub commit: String,
    /// The branch, or `None` when detached.
    pub branch: Option<String>,
}

/// The versioning rule in force.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyReport {
    /// `guide`, `cargo` or `auto`.
    pub name: String,
    /// What it does at the base version.
    pub description: String,
    /// Under `auto`: which policy the past releases chose, and on what evidence.
    pub auto: Option<String>,
    /// The habits the past releases show, per phase (see
    /// [`crate::version::habits`]); absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub habits: Vec<Habit>,
}

/// The last release.
#[derive(Debug, Clone, Serialize)]
pub struct BaseReport {
    /// The tag name.
    pub tag: String,
    /// Its version.
    pub version: Version,
    /// The commit it points at.
    pub commit: String,
    /// Why it was chosen.
    pub reason: String,
}

/// A tag passed over.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedTag {
    /// The tag name.
    pub name: String,
    /// The version it names, if any.
    pub version: Option<Version>,
    /// Why it was passed over.
    pub reason: SkipReason,
}

/// How many commits of each kind (by effective kind; cancelled pairs counted apart).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// All commits listed.
    pub total: usize,
    /// Breaking.
    pub breaking: usize,
    /// Features.
    pub feature: usize,
    /// Fixes.
    pub fix: usize,
    /// No release impact.
    pub none: usize,
    /// Matched no rule.
    pub unclassified: usize,
    /// Cancelled by a revert pair (both sides counted).
    pub cancelled: usize,
    /// Classified by an explicit signal: a conventional header, a footer, an advisory id, a git revert.
    pub explicit: usize,
    /// Classified by a keyword rule.
    pub keyword: usize,
    /// Classified by a maintainer's override.
    pub overridden: usize,
    /// Left out by an override (not counted in the kinds above).
    pub excluded: usize,
}

/// The decision.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionReport {
    /// Whether a release is proposed.
    pub release: bool,
    /// What the commits alone require.
    pub required_bump: Level,
    /// How far the proposed version is from the base (from 0.0.0 when there is none).
    pub bump: Level,
    /// What decided the version.
    pub decided_by: DecidedBy,
    /// The proposed version.
    pub next_version: Option<Version>,
    /// The tag to create.
    pub next_tag: Option<String>,
    /// The base version (`None` when there is no release yet).
    pub previous_version: Option<Version>,
    /// The base tag.
    pub previous_tag: Option<String>,
    /// When nothing warrants a release: the version a release made anyway
    /// (a rebuild, a packaging fix) would take, the base's next patch.
    pub anyway_version: Option<Version>,
    /// Its tag.
    pub anyway_tag: Option<String>,
    /// The estimated probability, from 0 to 1, that the proposed bump
    /// (`bump`, `none` included) is the one the project would release.
    pub confidence: Option<f64>,
    /// What the confidence rests on (see [`crate::version::confidence`]).
    pub confidence_basis: Option<Estimate>,
    /// The threshold in force (`--min-confidence`, `min_confidence`, or 0.9).
    pub min_confidence: f64,
    /// Whether the confidence reaches it.
    pub confident: bool,
}

/// A breaking change.
#[derive(Debug, Clone, Serialize)]
pub struct BreakingReport {
    /// The commit.
    pub commit: String,
    /// What breaks.
    pub description: String,
}

/// A deprecation.
#[derive(Debug, Clone, Serialize)]
pub struct DeprecationReport {
    /// The commit.
    pub commit: String,
    /// What, replacement, migration.
    #[serde(flatten)]
    pub deprecation: Deprecation,
}

impl Summary {
    /// The counts over `commits`.
    pub fn of(commits: &[Classified]) -> Summary {
        let mut summary = Summary::default();
        for c in commits {
            summary.total += 1;
            if matches!(c.rule, Rule::Override { .. }) {
                summary.overridden += 1;
            } else {
                match c.confidence {
                    Confidence::High => summary.explicit += 1,
                    Confidence::Medium => summary.keyword += 1,
                    Confidence::Low => {}
                }
            }
            if c.excluded {
                summary.excluded += 1;
                continue;
            }
            if c.cancelled() {
                summary.cancelled += 1;
                continue;
            }
            *match c.kind {
                Kind::Breaking => &mut summary.breaking,
                Kind::Feature => &mut summary.feature,
                Kind::Fix => &mut summary.fix,
                Kind::None => &mut summary.none,
                Kind::Unclassified => &mut summary.unclassified,
            } += 1;
        }
        summary
    }
}

impl Report {
    /// Assembles the report, complete: nothing is added to it after.
    pub fn build(
        history: History,
        commits: Vec<Classified>,
        decision: &Decision,
        found: Found,
        settings: (&Config, &Request),
    ) -> Report {
        let (config, request) = settings;
        let selection = history.selection;
        let zero = Version::new(0, 0, 0);
        let base_version = selection.base.as_ref().map_or(&zero, |b| &b.tag.version);
        let summary = Summary::of(&commits);
        let counted = |c: &&Classified| !c.cancelled() && !c.excluded;
        let breaking_changes = commits
            .iter()
            .filter(counted)
            .filter_map(|c| {
                c.breaking.as_ref().map(|d| BreakingReport {
                    commit: c.id().to_string(),
                    description: d.to_string(),
                })
            })
            .collect();
        let deprecations = commits
            .iter()
            .filter(counted)
            .filter_map(|c| {
                c.deprecation.as_ref().map(|d| DeprecationReport {
                    commit: c.id().to_string(),
                    deprecation: (**d).clone(),
                })
            })
            .collect();
        let security = commits.iter().filter(counted).any(|c| c.security);
        let mut warnings = warnings::warnings(
            &summary,
            &commits,
            decision,
            request,
            &selection.skipped,
            history.shallow,
            config.evidence.paths,
        );
        if selection.base.is_none() {
            warnings.extend(warnings::no_release(&selection, &config.tag_prefix));
        }
        warnings.extend(found.merges);
        let go_module = found.go_module.map(|(module, rule)| {
            let next = decision.next.as_ref();
            warnings.extend(
                rule.as_ref()
                    .and_then(|r| warnings::go_module(r, &module, next, &commits)),
            );
            GoModuleReport::of(module, rule)
        });
        warnings.extend(warnings::api(&commits));
        warnings.extend(found.unmatched);
        warnings.extend(found.followed.iter().map(warnings::habit));
        let base_name = selection.base.as_ref().map(|b| b.name.as_str());
        if let (Some((name, version)), Some(base), Some(next)) =
            (&found.pre_release, base_name, &decision.next)
        {
            warnings.push(warnings::pre_release_line(name, version, base, next));
        }
        let base_reason = base_reason(found.prefix.as_deref(), selection.tags_read);
        let description = config.policy.describe(base_version);
        Report {
            schema_version: json::REPORT_SCHEMA,
            package: found.package,
            head: HeadReport {
                commit: history.head.commit,
                branch: history.head.branch,
            },
            policy: PolicyReport {
                name: config.policy.as_str().to_string(),
                description: match &found.auto {
                    Some(evidence) => format!("auto ({evidence}); {description}"),
                    None => description,
                },
                auto: found.auto,
                habits: found.habits,
            },
            tag_prefix: config.tag_prefix.clone(),
            first_parent: config.first_parent,
            shallow: history.shallow,
            decision: decision_report(decision, &selection, config, found.confidence),
            base: selection.base.map(|b| BaseReport {
                version: b.tag.version,
                reason: base_reason,
                tag: b.name,
                commit: b.commit,
            }),
            tags_read: selection.tags_read,
            skipped_tags: selection
                .skipped
                .into_iter()
                .map(|s| SkippedTag {
                    name: s.name,
                    version: s.version,
                    reason: s.reason,
                })
                .collect(),
            commits: commits
                .into_iter()
                .map(|c| for_display(c, config.max_subject_chars))
                .collect(),
            merges_skipped: history.merges_skipped,
            summary,
            security,
            breaking_changes,
            deprecations,
            api: found.api,
            go_module,
            warnings,
        }
    }
}

/// Why the base is the base: the highest stable tag, behind the prefix found
/// when none was given.
fn base_reason(prefix: Option<&str>, tags_read: usize) -> String {
    match prefix {
        Some(prefix) => format!(
            "highest stable SemVer tag behind the prefix `{prefix}` reachable from HEAD, among {tags_read} tags; the prefix was found, as every release tag has it (tag_prefix in bumpwise.toml, or --tag-prefix, sets it)"
        ),
        None => format!("highest stable SemVer tag reachable from HEAD, among {tags_read} tags"),
    }
}

/// The decision as reported: the next tag in the base's style.
fn decision_report(
    decision: &Decision,
    selection: &Selection,
    config: &Config,
    confidence: Option<Estimate>,
) -> DecisionReport {
    let prefix = &config.tag_prefix;
    let threshold = config.min_confidence.unwrap_or(Threshold::DEFAULT);
    let v_style = selection.base.as_ref().is_none_or(|b| b.tag.v);
    let anyway = match (&decision.next, &selection.base) {
        (None, Some(base)) => Some(crate::version::decide::bump(
            &base.tag.version,
            Level::Patch,
        )),
        _ => None,
    };
    DecisionReport {
        anyway_tag: anyway.as_ref().map(|v| tag::format_tag(prefix, v_style, v)),
        anyway_version: anyway,
        release: decision.next.is_some(),
        required_bump: decision.required,
        bump: decision.bump,
        decided_by: decision.decided_by,
        next_tag: decision
            .next
            .as_ref()
            .map(|v| tag::format_tag(prefix, v_style, v)),
        next_version: decision.next.clone(),
        previous_version: selection.base.as_ref().map(|b| b.tag.version.clone()),
        previous_tag: selection.base.as_ref().map(|b| b.name.clone()),
        confidence: confidence.as_ref().map(|e| e.confidence),
        confident: confidence
            .as_ref()
            .is_none_or(|e| threshold.met_by(e.confidence)),
        min_confidence: threshold.value(),
        confidence_basis: confidence,
    }
}

/// `text` cut to `limit` characters, with a note saying how much was left out.
fn shown(text: Box<str>, limit: usize) -> Box<str> {
    match text.char_indices().nth(limit) {
        None => text,
        Some((at, _)) => format!(
            "{} … [{} more characters not shown]",
            &text[..at],
            text[at..].chars().count()
        )
        .into_boxed_str(),
    }
}

/// A classified commit as the report shows it: its subject and description
/// cut to `limit` characters (classification has read them whole).
pub fn for_display(mut c: Classified, limit: usize) -> Classified {
    c.commit.subject = shown(std::mem::take(&mut c.commit.subject), limit);
    if let Some(h) = c.commit.conventional.as_mut() {
        h.description = shown(std::mem::take(&mut h.description), limit);
    }
    c
}
