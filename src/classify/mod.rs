//! Classifying commits: breaking, feature, fix, none, or unclassified, and why.
//!
//! Owns the rules that turn a commit's evidence into a release impact, each
//! result naming the rule that decided, and [`Classified`]: the one record per
//! commit that every later stage reads. The message rules are an ordered list
//! of small functions ([`rules::EXPLICIT`], then the keywords); the second tier
//! ([`SECOND_TIER`]: the changed paths, the change files, the public API) is
//! one list of rules of one shape, evidence in and an optional verdict out,
//! folded over the message's verdict; maintainers' overrides ([`overrides`])
//! and revert pairs ([`reverts`]) are applied on top. Classification is infallible: a
//! commit that matches no rule is `Unclassified`, counted and reported, never dropped.
//!
//! Non-conventional messages first get the signals that are unambiguous (a
//! `BREAKING-CHANGE` trailer, a `Deprecated:` or `Security:` footer, a CVE or
//! GHSA id, a `git revert` subject), then the keyword rules of [`keywords`],
//! at a lower confidence.

pub mod api;
pub mod declared;
pub mod keywords;
pub mod overrides;
pub mod reverts;
pub mod rules;
pub mod settings;

use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;
use crate::evidence::message::{self, Hex, ParsedCommit};
use crate::evidence::paths::{Classes, Paths};
use keywords::Verdict;

pub use declared::Declared;
pub use overrides::{Override, apply_override};
pub use reverts::pair_reverts;
pub use rules::advisory_id;
pub use settings::{Rules, TypeTable, Unclassified};

/// What a commit means for the release, in increasing order of impact.
///
/// `Unclassified` sorts lowest: it raises nothing, but is always reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// No rule matched.
    Unclassified,
    /// No release impact (docs, tests, CI, chores).
    None,
    /// A bug fix, security fix, dependency update or revert.
    Fix,
    /// A new feature or a deprecation.
    Feature,
    /// A backwards-incompatible change.
    Breaking,
}

impl Kind {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Unclassified => "unclassified",
            Kind::None => "none",
            Kind::Fix => "fix",
            Kind::Feature => "feature",
            Kind::Breaking => "breaking",
        }
    }
}

/// The rule that decided a commit's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "name", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// `type!:` / `type(scope)!:` in a conventional header.
    BreakingMark {
        /// The header before the colon, e.g. `feat(api)!`.
        header: Box<str>,
    },
    /// A `BREAKING CHANGE:` or `BREAKING-CHANGE:` footer.
    BreakingFooter,
    /// A `deprecate`/`deprecated` type or a `Deprecated:` footer.
    Deprecation {
        /// Where it was said: `type` or `footer`.
        source: Box<str>,
    },
    /// A security type or scope, a `Security:` footer, or a CVE/GHSA id.
    Security {
        /// What showed it, e.g. `CVE-2024-1234` or `scope security`.
        evidence: Box<str>,
    },
    /// A `deps` / `deps-dev` scope: a dependency update.
    Dependency {
        /// The scope.
        scope: Box<str>,
    },
    /// The conventional type, looked up in the type table.
    Type {
        /// The type, lower-cased.
        #[serde(rename = "type")]
        kind: Box<str>,
    },
    /// A conventional type the type table does not know.
    UnknownType {
        /// The type, lower-cased.
        #[serde(rename = "type")]
        kind: Box<str>,
    },
    /// A keyword rule over a message that is not conventional.
    Keyword {
        /// What the rule decided.
        verdict: Verdict,
        /// The word or phrase that matched.
        word: Box<str>,
    },
    /// A maintainer's override, from `bumpwise.toml` or a git note.
    Override {
        /// Where it was set: `config` or `note`.
        source: Box<str>,
    },
    /// A `git revert` subject (`Revert "…"`): a fix, unless the commit it
    /// reverts is in the range, when the two cancel out.
    Revert,
    /// The message does not follow Conventional Commits and no other rule matched.
    NotConventional,
    /// No changed path ships: no release impact, whatever the message said.
    Paths {
        /// The classes of the changed paths, written e.g. `ci` or `ci, docs`.
        #[serde(serialize_with = "classes_text")]
        only: Classes,
        /// A changed path, to show why.
        path: Box<str>,
        /// What the message alone would have made of the commit.
        message: Kind,
    },
    /// Only dependency files changed, besides paths that do not ship.
    DependencyFiles {
        /// A changed dependency file.
        path: Box<str>,
        /// Only development dependencies changed: no release impact.
        dev: bool,
    },
    /// A keyword feature whose commit changes shipped code but no test, doc or
    /// example (`[evidence] corroborate`): read as a fix.
    Uncorroborated {
        /// A changed path that ships.
        path: Box<str>,
    },
    /// A change file (`.changeset/*.md`) the commit adds declares the bump.
    Changeset {
        /// The file.
        file: Box<str>,
        /// The kind it declares (`major` breaking, `minor` feature, `patch` fix).
        declares: Kind,
    },
    /// The commit changes shipped code, but the message alone said no impact
    /// (a no-impact word) or nothing at all: at least a patch.
    ShippedCode {
        /// A changed path that ships.
        path: Box<str>,
        /// What the message alone said: `none` or `unclassified`.
        message: Kind,
    },
    /// What the commit does to the public API: a removed or changed exported
    /// item is breaking, an added one a feature (see [`api`]).
    Api {
        /// The change named.
        change: crate::evidence::api::ChangeKind,
        /// It in words (`removed go func pkg/config.Load`).
        item: Box<str>,
        /// How many more changes of the same weight.
        more: usize,
        /// What the message alone said.
        message: Kind,
    },
    /// A keyword feature that changes library code and adds nothing to its
    /// API, or a keyword removal that removes nothing from it: a fix.
    ApiUnchanged {
        /// The keyword.
        word: Box<str>,
        /// The keyword said removal (`Remove`), not feature.
        removal: bool,
    },
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rule::BreakingMark { header } => write!(f, "conventional `{header}:`"),
            Rule::BreakingFooter => f.write_str("BREAKING CHANGE footer"),
            Rule::Deprecation { source } => write!(f, "deprecation ({source})"),
            Rule::Security { evidence } => write!(f, "security ({evidence})"),
            Rule::Dependency { scope } => write!(f, "dependency update (scope {scope})"),
            Rule::Type { kind } => write!(f, "conventional type `{kind}`"),
            Rule::UnknownType { kind } => write!(f, "unknown type `{kind}`"),
            Rule::Keyword { verdict, word } => {
                let what = match verdict {
                    Verdict::Dependency => "dependency update",
                    Verdict::Security => "security",
                    Verdict::None => "no release impact",
                    Verdict::Deprecation => "deprecation",
                    Verdict::Removal => "removal, possibly breaking",
                    Verdict::Fix => "fix",
                    Verdict::Feature => "feature",
                    Verdict::Release => "release commit, no release impact",
                };
                write!(f, "keyword `{word}` ({what})")
            }
            Rule::Override { source } if &**source == "note" => f.write_str("override (git note)"),
            Rule::Override { .. } => f.write_str("override (bumpwise.toml)"),
            Rule::Revert => f.write_str("git revert"),
            Rule::NotConventional => f.write_str("not conventional"),
            Rule::Paths {
                only,
                path,
                message,
            } => {
                write!(f, "only {}: {path}", only.names())?;
                match message {
                    Kind::None | Kind::Unclassified => Ok(()),
                    said => write!(f, " (the message alone: {})", said.as_str()),
                }
            }
            Rule::Uncorroborated { path } => write!(
                f,
                "keyword feature with no test, doc or example beside it ({path}): a fix"
            ),
            Rule::Changeset { file, declares } => {
                write!(f, "change file {file} ({})", declares.as_str())
            }
            Rule::DependencyFiles { path, dev: true } => {
                write!(f, "only development dependencies: {path}")
            }
            Rule::DependencyFiles { path, dev: false } => {
                write!(f, "only dependency files: {path}")
            }
            Rule::ShippedCode {
                path,
                message: Kind::None,
            } => write!(
                f,
                "changes shipped code ({path}), though worded as no impact"
            ),
            Rule::ShippedCode { path, .. } => {
                write!(f, "changes shipped code ({path}); no rule read the message")
            }
            Rule::Api { .. } | Rule::ApiUnchanged { .. } => api::describe(self, f),
        }
    }
}

fn classes_text<S: serde::Serializer>(classes: &Classes, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&classes.names())
}

/// How sure a classification is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// No rule matched.
    Low,
    /// A keyword rule over a non-conventional message.
    Medium,
    /// Explicit: a conventional header, a footer, an advisory id, a git revert.
    High,
}

/// A deprecation announced by a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deprecation {
    /// What is deprecated.
    pub what: String,
    /// What to use instead (`Replacement:` footer), when given.
    pub replacement: Option<String>,
    /// How to migrate (`Migration:` footer), when given.
    pub migration: Option<String>,
}

/// A commit with its classification: the one record per commit, from
/// classification to every renderer (the JSON is a view of it, see
/// [`crate::report::json`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// The commit.
    pub commit: ParsedCommit,
    /// What the rules made of it: its kind, the rule that decided, and the
    /// facts they established (read through [`Classified`]'s `Deref`).
    pub verdict: Assessment,
    /// Left out by an override: no release impact, no changelog entry.
    pub excluded: bool,
    /// The revert pair it is part of, when a commit in the range reverts it
    /// or is reverted by it (the pair cancels out; boxed: rare).
    pub revert_pair: Option<Box<RevertPair>>,
    /// The classes of the paths it changes; `None` when they were not read.
    pub paths: Option<Classes>,
    /// The change files it adds (boxed: rare).
    pub declared: Option<Box<Declared>>,
    /// What it did to the public API, net over the range (boxed: rare; a
    /// boxed `Vec`, one word on every commit where a boxed slice takes two).
    #[allow(clippy::box_collection)]
    pub api: Option<Box<Vec<crate::evidence::api::Change>>>,
    /// What its own change did to the public API, read with its paths
    /// (`None`: not read, or more files changed than are read one by one):
    /// the API pass reads it instead of comparing the trees again. Dropped
    /// once the range is settled (boxed: only the commits of a range whose
    /// every path is read have it, and only until then).
    pub api_own: Option<Box<crate::evidence::api::units::OwnApi>>,
}

/// A classified commit is its verdict, with the commit and what the range
/// added: `c.kind`, `c.rule` and the facts read as the verdict's.
impl std::ops::Deref for Classified {
    type Target = Assessment;

    fn deref(&self) -> &Assessment {
        &self.verdict
    }
}

impl std::ops::DerefMut for Classified {
    fn deref_mut(&mut self) -> &mut Assessment {
        &mut self.verdict
    }
}

impl Classified {
    /// Drops what nothing needs once the commit is classified (the message, its
    /// body and footers, the author; a pull request's merge keeps its message): a
    /// long range then costs its summaries, not its messages.
    pub fn compact(mut self) -> Self {
        // A pull request's merge keeps its body: its title is the notes' line.
        if message::pull_request(&self.commit).is_none() {
            self.commit.text = None;
        }
        if let Some(c) = self.commit.conventional.as_mut() {
            c.body = None;
        }
        self
    }

    /// Whether this commit and its revert (or the commit it reverts) cancel out.
    pub fn cancelled(&self) -> bool {
        self.revert_pair.is_some()
    }

    /// The kind that counts for the release: `None` when cancelled by a revert pair.
    pub fn effective_kind(&self) -> Kind {
        if self.cancelled() || self.excluded {
            Kind::None
        } else {
            self.kind
        }
    }

    /// The commit in the range this one reverts.
    pub fn reverts(&self) -> Option<&str> {
        self.revert_pair.as_ref().and_then(|p| p.reverts.as_deref())
    }

    /// The commit in the range that reverts this one.
    pub fn reverted_by(&self) -> Option<&str> {
        self.revert_pair
            .as_ref()
            .and_then(|p| p.reverted_by.as_deref())
    }

    /// The full id.
    pub fn id(&self) -> Hex<'_> {
        self.commit.id.hex()
    }

    /// The first seven characters of the id.
    pub fn short_id(&self) -> Hex<'_> {
        self.commit.short_id()
    }

    /// The first line of the message.
    pub fn subject(&self) -> &str {
        &self.commit.subject
    }

    /// Whether it is a merge commit (listed in first-parent mode only).
    pub fn merge(&self) -> bool {
        self.commit.merge
    }

    /// The area of an `area: Subject` message.
    pub fn area(&self) -> Option<&str> {
        if !self.area {
            return None;
        }
        match &self.commit.conventional {
            Some(c) => Some(&c.kind),
            None => self.commit.subject.split_once(':').map(|(a, _)| a.trim()),
        }
    }

    /// What changed: the conventional description (or, for an `area:`
    /// subject, what follows the area), else the subject.
    pub fn description(&self) -> &str {
        if let Some(summary) = self.declared.as_ref().and_then(|d| d.summaries.first()) {
            return summary;
        }
        said(&self.commit, self.area)
    }

    /// The conventional type, when the message is conventional (an area is none).
    pub fn conventional_type(&self) -> Option<&str> {
        if self.area {
            return None;
        }
        self.commit.conventional.as_ref().map(|h| &*h.kind)
    }

    /// The conventional scope, or the area of an `area:` subject.
    pub fn scope(&self) -> Option<&str> {
        if let Some(area) = self.area() {
            return Some(area);
        }
        self.commit
            .conventional
            .as_ref()
            .and_then(|h| h.scope.as_deref())
    }

    /// The rule in words.
    pub fn rule_text(&self) -> String {
        self.rule.to_string()
    }
}

/// What `commit`'s message says changed: the conventional description (or,
/// for an `area:` subject, what follows the area), else the subject.
fn said(commit: &ParsedCommit, area: bool) -> &str {
    let text = match (area, &commit.conventional) {
        (true, None) => rules::after_area(&commit.subject),
        (_, Some(h)) => &h.description,
        (false, None) => &commit.subject,
    };
    if text.is_empty() {
        &commit.subject
    } else {
        text
    }
}

/// The commits of a revert pair a commit belongs to (a revert of a revert has both).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevertPair {
    /// The commit in the range this one reverts.
    pub reverts: Option<Box<str>>,
    /// The commit in the range that reverts this one.
    pub reverted_by: Option<Box<str>>,
}

impl From<ParsedCommit> for Evidence {
    fn from(message: ParsedCommit) -> Self {
        Evidence {
            message,
            paths: None,
        }
    }
}

/// The second tier, folded in order by [`weigh`]: each rule sees the verdict
/// as the rules before it left it. The paths first (what ships decides
/// whether the message's word counts), then the change files a commit adds
/// (declared: they raise whatever the paths said), then the API.
pub const SECOND_TIER: [rules::EvidenceRule; 7] = [
    rules::nothing_ships,
    rules::worded_as_none,
    rules::uncorroborated,
    rules::unread_ships,
    declared::change_files,
    api::api_changes,
    api::api_unchanged,
];

/// Folds [`SECOND_TIER`] over `seen`: a rule's verdict replaces the one before it.
pub fn weigh(verdict: &mut Assessment, seen: &rules::Seen<'_>, rules: &Rules) {
    for rule in SECOND_TIER {
        if let Some(found) = rule(seen, verdict, rules) {
            *verdict = found;
        }
    }
}

/// Classifies one commit on its own (revert pairs are found by [`classify_all`]).
///
/// The message decides first: the explicit rules ([`rules::EXPLICIT`]) are
/// folded in order (a conventional header and its footers, or, in any
/// message, a breaking or deprecation trailer, an advisory id, a git revert),
/// and only a message none of them classifies goes to the keyword rules; a
/// pull request merge (first-parent mode) is read by its title. Then the
/// changed paths, when they were read, may overrule it ([`SECOND_TIER`]).
pub fn classify(evidence: impl Into<Evidence>, rules: &Rules) -> Classified {
    let Evidence { message, paths } = evidence.into();
    let evidence = Evidence {
        message,
        paths: None,
    };
    let verdict = by_message(&evidence, rules);
    let mut classified = Classified {
        commit: evidence.message,
        verdict,
        excluded: false,
        revert_pair: None,
        paths: None,
        declared: None,
        api: None,
        api_own: None,
    };
    if let Some(paths) = &paths {
        with_paths(&mut classified, paths, rules);
    }
    classified
}

/// Lets the changed paths (and the change files among them) overrule what
/// the message said of `c` ([`SECOND_TIER`]), and records their
/// classes and the change files' summaries. Needs no more of the message
/// than a compacted record keeps.
pub fn with_paths(c: &mut Classified, paths: &Paths, rules: &Rules) {
    c.paths = Some(paths.classes);
    let seen = rules::Seen::Paths {
        paths,
        commit: &c.commit,
    };
    weigh(&mut c.verdict, &seen, rules);
    declared::record(c, paths);
}

/// A verdict: the kind, the rule that decided, how sure, and the facts the
/// rules established besides the kind. The message rules build it; the second
/// tier ([`SECOND_TIER`]) may replace it; [`Classified`] carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// The kind on its own.
    pub kind: Kind,
    /// The rule that decided the kind.
    pub rule: Rule,
    /// How sure the classification is.
    pub confidence: Confidence,
    /// The breaking-change description, for breaking commits.
    pub breaking: Option<Box<str>>,
    /// The deprecation it announces (boxed: rare, and a long range holds one of these per commit).
    pub deprecation: Option<Box<Deprecation>>,
    /// Whether it is a security fix.
    pub security: bool,
    /// Whether it is a dependency update.
    pub dependency: bool,
    /// A removal or rename found by a keyword: reported, but not counted as breaking.
    pub possibly_breaking: bool,
    /// Classified by the title of the pull request it merges (first-parent mode).
    pub via_pull_request: bool,
    /// Whether the message is `area: Subject` (`kubernetes: Fix …`, `pkg/config: …`):
    /// the area is its scope, when it is no conventional type (see [`Classified::area`]).
    pub area: bool,
}

impl Assessment {
    /// Adds what a rule established (a description or a mark replaces an absent one).
    pub fn add(&mut self, facts: rules::Facts) {
        if facts.breaking.is_some() {
            self.breaking = facts.breaking;
        }
        if let Some(d) = facts.deprecation {
            self.deprecation = Some(Box::new(d));
        }
        self.security |= facts.security;
        self.dependency |= facts.dependency;
        self.possibly_breaking |= facts.possibly_breaking;
    }

    /// Drops every fact the message rules established (the paths said the
    /// commit ships nothing).
    pub fn clear_facts(&mut self) {
        self.breaking = None;
        self.deprecation = None;
        self.security = false;
        self.dependency = false;
        self.possibly_breaking = false;
    }
}

/// What the message alone says.
fn by_message(evidence: &Evidence, rules: &Rules) -> Assessment {
    if let Some(title) = message::pull_request(&evidence.message) {
        let inner = by_message(&title.into(), rules);
        if inner.kind != Kind::Unclassified {
            return Assessment {
                via_pull_request: true,
                ..inner
            };
        }
    }
    let mut verdict = Assessment {
        kind: Kind::Unclassified,
        rule: Rule::NotConventional,
        confidence: Confidence::Low,
        breaking: None,
        deprecation: None,
        security: false,
        dependency: false,
        possibly_breaking: false,
        via_pull_request: false,
        area: rules::area(&evidence.message, rules).is_some(),
    };
    // Rules applied later are more specific: on a tie they name the reason.
    for found in rules::EXPLICIT.iter().filter_map(|r| r(evidence, rules)) {
        verdict.add(found.facts);
        if found.kind >= verdict.kind {
            (verdict.kind, verdict.rule) = (found.kind, found.rule);
        }
    }
    if verdict.kind != Kind::Unclassified {
        verdict.confidence = Confidence::High;
    } else if let Some(found) = rules::keywords(evidence, rules) {
        verdict.add(found.facts);
        (verdict.kind, verdict.rule, verdict.confidence) =
            (found.kind, found.rule, Confidence::Medium);
    }
    verdict
}

/// Classifies a range (newest first, as walked) and pairs its reverts (see [`pair_reverts`]).
pub fn classify_all<E: Into<Evidence>>(commits: Vec<E>, rules: &Rules) -> Vec<Classified> {
    let mut out: Vec<Classified> = commits.into_iter().map(|c| classify(c, rules)).collect();
    pair_reverts(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::RawCommit;

    #[test]
    fn regression_deprecation_keyword_after_leading_symbols() {
        // Found by fuzzing: the subject was sliced at the word's length from its start.
        let raw = RawCommit::new(
            "ab".repeat(20),
            "\u{FFFD}\u{FFFD}\u{2C5}\u{FFFD}deprecate\u{FFFD}: the old flag",
        );
        let c = classify(crate::evidence::message::parse(raw), &Rules::default());
        assert_eq!(
            c.verdict.deprecation.map(|d| d.what).as_deref(),
            Some("\u{FFFD}: the old flag")
        );
    }

    #[test]
    fn a_commit_record_stays_small() {
        // One per commit of the range: on 200k commits these records are the
        // peak of `next`'s heap. What is rare is boxed behind one word.
        let size = std::mem::size_of::<Classified>();
        assert!(size <= 176, "Classified is {size} bytes");
    }

    #[test]
    fn advisory_ids_are_found_only_whole() {
        use rules::advisory_id;
        assert_eq!(
            advisory_id("fixes CVE-2024-12345 in x").as_deref(),
            Some("CVE-2024-12345")
        );
        assert_eq!(
            advisory_id("see ghsa-abcd-efgh-ijkl").as_deref(),
            Some("GHSA-abcd-efgh-ijkl")
        );
        assert_eq!(advisory_id("XCVE-2024-1234"), None);
        assert_eq!(advisory_id("CVE-2024-12"), None);
        assert_eq!(advisory_id("GHSA-abc"), None);
        assert_eq!(
            advisory_id("Ünïcödé ¢ CVE-2023-0001"),
            Some("CVE-2023-0001".into())
        );
    }
}
