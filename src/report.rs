//! The report: everything a decision rests on, as one serializable value.
//!
//! Owns the JSON contract (`schema_version`, snake_case fields, versions as
//! strings, tagged enums) and the warnings a human must see. Built from the
//! history, the classified commits and the decision; renderers only read it.

use serde::Serialize;

use crate::classify::{Classified, Confidence, Deprecation, Kind, Rule};
use crate::config::Config;
use crate::decide::{DecidedBy, Decision, Level, Request};
use crate::git::History;
use crate::message::Conventional;
use crate::tag::{self, SkipReason};

/// The version of the JSON document's shape. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

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
    /// The commits since the base, newest first.
    pub commits: Vec<CommitReport>,
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
    /// What a human should know before trusting the result.
    pub warnings: Vec<String>,
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
    /// `guide` or `cargo`.
    pub name: String,
    /// What it does at the base version.
    pub description: String,
}

/// The last release.
#[derive(Debug, Clone, Serialize)]
pub struct BaseReport {
    /// The tag name.
    pub tag: String,
    /// Its version.
    pub version: String,
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
    pub version: Option<String>,
    /// Why it was passed over.
    pub reason: SkipReason,
}

/// One commit and its classification.
///
/// Serialized with the derived fields the JSON contract lists (`short_id`,
/// `description`, `rule_text`) made when written, not stored: a long range
/// then costs one small record per commit.
#[derive(Debug, Clone)]
pub struct CommitReport {
    /// The full id.
    pub id: Box<str>,
    /// The first line of the message.
    pub subject: Box<str>,
    /// The Conventional Commits header, when the message is conventional; its
    /// description cut for display like the subject (see [`CommitReport::description`]).
    pub conventional: Option<Box<Conventional>>,
    /// The kind on its own.
    pub kind: Kind,
    /// The kind that counts (`none` when cancelled by a revert pair).
    pub effective_kind: Kind,
    /// The rule that decided.
    pub rule: Rule,
    /// How sure the classification is: `high` (explicit), `medium` (keyword), `low` (none).
    pub confidence: Confidence,
    /// A removal or rename found by a keyword: reported, not counted as breaking.
    pub possibly_breaking: bool,
    /// Classified by the title of the pull request it merges.
    pub via_pull_request: bool,
    /// Left out by an override: no release impact, no changelog entry.
    pub excluded: bool,
    /// Whether it is a merge commit (listed in first-parent mode only).
    pub merge: bool,
    /// Whether it is a security fix.
    pub security: bool,
    /// Whether it is a dependency update.
    pub dependency: bool,
    /// The breaking-change description, for breaking commits.
    pub breaking: Option<Box<str>>,
    /// The deprecation it announces (boxed: rare, and keeping the struct no larger
    /// than a classified commit lets the report reuse that memory).
    pub deprecation: Option<Box<Deprecation>>,
    /// The commit in the range it reverts.
    pub reverts: Option<Box<str>>,
    /// The commit in the range that reverts it.
    pub reverted_by: Option<Box<str>>,
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
    pub next_version: Option<String>,
    /// The tag to create.
    pub next_tag: Option<String>,
    /// The base version (`None` when there is no release yet).
    pub previous_version: Option<String>,
    /// The base tag.
    pub previous_tag: Option<String>,
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

impl Report {
    /// Assembles the report.
    pub fn build(
        history: History<Classified>,
        commits: Vec<Classified>,
        decision: &Decision,
        config: &Config,
        request: &Request,
    ) -> Report {
        let selection = history.selection;
        let zero = semver::Version::new(0, 0, 0);
        let base_version = selection.base.as_ref().map_or(&zero, |b| &b.tag.version);
        let v_style = selection.base.as_ref().is_none_or(|b| b.tag.v);
        let mut summary = Summary::default();
        for c in &commits {
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
        let counted = |c: &&Classified| !c.cancelled() && !c.excluded;
        let breaking_changes = commits
            .iter()
            .filter(counted)
            .filter_map(|c| {
                c.breaking.as_ref().map(|d| BreakingReport {
                    commit: c.commit.id.to_string(),
                    description: d.to_string(),
                })
            })
            .collect();
        let deprecations = commits
            .iter()
            .filter(counted)
            .filter_map(|c| {
                c.deprecation.as_ref().map(|d| DeprecationReport {
                    commit: c.commit.id.to_string(),
                    deprecation: (**d).clone(),
                })
            })
            .collect();
        let security = commits.iter().filter(counted).any(|c| c.security);
        let warnings = warnings(
            &summary,
            &commits,
            decision,
            request,
            &selection.skipped,
            history.shallow,
        );
        let decision = DecisionReport {
            release: decision.next.is_some(),
            required_bump: decision.required,
            bump: decision.bump,
            decided_by: decision.decided_by,
            next_tag: decision
                .next
                .as_ref()
                .map(|v| tag::format_tag(&config.tag_prefix, v_style, v)),
            next_version: decision.next.as_ref().map(ToString::to_string),
            previous_version: selection.base.as_ref().map(|b| b.tag.version.to_string()),
            previous_tag: selection.base.as_ref().map(|b| b.name.clone()),
        };
        Report {
            schema_version: SCHEMA_VERSION,
            package: None,
            head: HeadReport {
                commit: history.head.commit,
                branch: history.head.branch,
            },
            policy: PolicyReport {
                name: config.policy.as_str().to_string(),
                description: config.policy.describe(base_version),
            },
            tag_prefix: config.tag_prefix.clone(),
            first_parent: config.first_parent,
            shallow: history.shallow,
            base: selection.base.map(|b| BaseReport {
                version: b.tag.version.to_string(),
                reason: format!(
                    "highest stable SemVer tag reachable from HEAD, among {} tags",
                    selection.tags_read
                ),
                tag: b.name,
                commit: b.commit,
            }),
            tags_read: selection.tags_read,
            skipped_tags: selection
                .skipped
                .into_iter()
                .map(|s| SkippedTag {
                    name: s.name,
                    version: s.version.map(|v| v.to_string()),
                    reason: s.reason,
                })
                .collect(),
            commits: commits
                .into_iter()
                .map(|c| commit_report(c, config.max_subject_chars))
                .collect(),
            merges_skipped: history.merges_skipped,
            summary,
            decision,
            security,
            breaking_changes,
            deprecations,
            warnings,
        }
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

/// The report's view of one classified commit; subjects longer than `limit`
/// characters are cut for display (classification has read them whole).
pub fn commit_report(c: Classified, limit: usize) -> CommitReport {
    let effective_kind = c.effective_kind();
    let mut conventional = c.commit.conventional;
    if let Some(h) = conventional.as_mut() {
        h.description = shown(std::mem::take(&mut h.description), limit);
    }
    CommitReport {
        conventional,
        confidence: c.confidence,
        possibly_breaking: c.possibly_breaking,
        via_pull_request: c.via_pull_request,
        excluded: c.excluded,
        id: c.commit.id,
        subject: shown(c.commit.subject, limit),
        kind: c.kind,
        effective_kind,
        rule: c.rule,
        merge: c.commit.merge,
        security: c.security,
        dependency: c.dependency,
        breaking: c.breaking,
        deprecation: c.deprecation,
        reverts: c.reverts,
        reverted_by: c.reverted_by,
    }
}

impl CommitReport {
    /// The first seven characters of the id.
    pub fn short_id(&self) -> &str {
        crate::message::short_id(&self.id)
    }

    /// What changed: the conventional description, or the subject.
    pub fn description(&self) -> &str {
        self.conventional
            .as_ref()
            .map_or(&self.subject, |h| &h.description)
    }

    /// The conventional type, when the message is conventional.
    pub fn conventional_type(&self) -> Option<&str> {
        self.conventional.as_ref().map(|h| &*h.kind)
    }

    /// The conventional scope, when there is one.
    pub fn scope(&self) -> Option<&str> {
        self.conventional.as_ref().and_then(|h| h.scope.as_deref())
    }

    /// The rule in words.
    pub fn rule_text(&self) -> String {
        self.rule.to_string()
    }
}

/// The JSON shape of a [`CommitReport`], field for field in the contract's order.
#[derive(Serialize)]
struct CommitJson<'a> {
    id: &'a str,
    short_id: &'a str,
    subject: &'a str,
    description: &'a str,
    kind: Kind,
    effective_kind: Kind,
    rule: &'a Rule,
    rule_text: String,
    confidence: Confidence,
    possibly_breaking: bool,
    via_pull_request: bool,
    excluded: bool,
    conventional_type: Option<&'a str>,
    scope: Option<&'a str>,
    merge: bool,
    security: bool,
    dependency: bool,
    breaking: Option<&'a str>,
    deprecation: Option<&'a Deprecation>,
    reverts: Option<&'a str>,
    reverted_by: Option<&'a str>,
}

impl Serialize for CommitReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CommitJson {
            id: &self.id,
            short_id: self.short_id(),
            subject: &self.subject,
            description: self.description(),
            kind: self.kind,
            effective_kind: self.effective_kind,
            rule: &self.rule,
            rule_text: self.rule_text(),
            confidence: self.confidence,
            possibly_breaking: self.possibly_breaking,
            via_pull_request: self.via_pull_request,
            excluded: self.excluded,
            conventional_type: self.conventional_type(),
            scope: self.scope(),
            merge: self.merge,
            security: self.security,
            dependency: self.dependency,
            breaking: self.breaking.as_deref(),
            deprecation: self.deprecation.as_deref(),
            reverts: self.reverts.as_deref(),
            reverted_by: self.reverted_by.as_deref(),
        }
        .serialize(serializer)
    }
}

/// How many possibly breaking commits a warning names; the rest are counted.
const DOUBTFUL_NAMED: usize = 10;

fn warnings(
    summary: &Summary,
    commits: &[Classified],
    decision: &Decision,
    request: &Request,
    skipped: &[tag::Skipped],
    shallow: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    if summary.unclassified > 0 {
        out.push(format!(
            "{} of {} commits are unclassified (no rule matched); the bump may be an under-estimate: see `bumpwise explain`",
            summary.unclassified, summary.total
        ));
    }
    if !matches!(request, Request::Commits)
        && decision.next.is_some()
        && decision.bump < decision.required
    {
        out.push(format!(
            "the requested version is a {} release, but the commits require {}",
            decision.bump.as_str(),
            decision.required.as_str()
        ));
    }
    for s in skipped.iter().filter(|s| s.reason == SkipReason::Missing) {
        out.push(format!(
            "tag {} points at an object that is not in the repository; it was not considered",
            s.name
        ));
    }
    let doubtful: Vec<&str> = commits
        .iter()
        .filter(|c| c.possibly_breaking && !c.cancelled())
        .map(|c| c.commit.short_id())
        .collect();
    if !doubtful.is_empty() {
        let mut named = doubtful[..doubtful.len().min(DOUBTFUL_NAMED)].join(", ");
        if doubtful.len() > DOUBTFUL_NAMED {
            named.push_str(&format!(
                " and {} more (`bumpwise explain` lists them)",
                doubtful.len() - DOUBTFUL_NAMED
            ));
        }
        out.push(format!(
            "{} commit(s) remove or rename something and may be breaking: {named}; they count as features unless marked breaking",
            doubtful.len(),
        ));
    }
    if shallow {
        out.push(
            "this is a shallow clone; the range since the last release is complete".to_string(),
        );
    }
    out
}
