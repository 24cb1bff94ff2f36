//! Classifying commits: breaking, feature, fix, none, or unclassified, and why.
//!
//! Owns the rules that turn a parsed commit into a release impact, each result
//! naming the rule that decided, and the pairing of commits with their reverts
//! inside the range. Classification is infallible: a commit that matches no
//! rule is `Unclassified`, counted and reported, never dropped.
//!
//! Non-conventional messages first get the signals that are unambiguous (a
//! `BREAKING-CHANGE` trailer, a `Deprecated:` or `Security:` footer, a CVE or
//! GHSA id, a `git revert` subject), then the keyword rules of
//! [`crate::keywords`], at a lower confidence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::git::RawCommit;
use crate::keywords::{self, Keywords, Verdict};
use crate::message::{self, ParsedCommit, RevertTarget};

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
                };
                write!(f, "keyword `{word}` ({what})")
            }
            Rule::Override { source } if &**source == "note" => f.write_str("override (git note)"),
            Rule::Override { .. } => f.write_str("override (bumpwise.toml)"),
            Rule::Revert => f.write_str("git revert"),
            Rule::NotConventional => f.write_str("not conventional"),
        }
    }
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

/// Every classification rule that is configurable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rules {
    /// Conventional type → kind.
    pub types: TypeTable,
    /// Keyword rules for messages that are not conventional.
    pub keywords: Keywords,
}

/// A maintainer's correction of one commit's classification, set after the
/// fact in `bumpwise.toml` (`[overrides.<id>]`) or in a git note under
/// `refs/notes/bumpwise` (written by `bumpwise mark`). History is never rewritten.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The kind the commit really has.
    pub kind: Option<Kind>,
    /// A breaking-change description: makes the commit breaking.
    pub breaking: Option<String>,
    /// What the commit deprecates: makes it at least a feature.
    pub deprecated: Option<String>,
    /// What replaces the deprecated thing.
    pub replacement: Option<String>,
    /// How to migrate away from the deprecated thing.
    pub migration: Option<String>,
    /// Leave the commit out: no release impact, no changelog entry.
    pub exclude: Option<bool>,
}

impl Override {
    /// This override with the fields set in `over` replaced.
    pub fn merge(self, over: Override) -> Override {
        Override {
            kind: over.kind.or(self.kind),
            breaking: over.breaking.or(self.breaking),
            deprecated: over.deprecated.or(self.deprecated),
            replacement: over.replacement.or(self.replacement),
            migration: over.migration.or(self.migration),
            exclude: over.exclude.or(self.exclude),
        }
    }

    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == Override::default()
    }
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

/// A commit with its classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// The commit.
    pub commit: ParsedCommit,
    /// Its kind on its own.
    pub kind: Kind,
    /// The rule that decided the kind.
    pub rule: Rule,
    /// How sure the classification is.
    pub confidence: Confidence,
    /// A removal or rename found by a keyword: reported, but not counted as breaking.
    pub possibly_breaking: bool,
    /// Classified by the title of the pull request it merges (first-parent mode).
    pub via_pull_request: bool,
    /// Whether it is a security fix.
    pub security: bool,
    /// Whether it is a dependency update.
    pub dependency: bool,
    /// The breaking-change description, for breaking commits.
    pub breaking: Option<Box<str>>,
    /// The deprecation it announces (boxed: rare, and a long range holds one of these per commit).
    pub deprecation: Option<Box<Deprecation>>,
    /// Left out by an override: no release impact, no changelog entry.
    pub excluded: bool,
    /// The commit in the range this one reverts (the pair cancels out).
    pub reverts: Option<Box<str>>,
    /// The commit in the range that reverts this one (the pair cancels out).
    pub reverted_by: Option<Box<str>>,
}

impl Classified {
    /// Drops what nothing needs once the commit is classified (the message, its
    /// body and footers, the author): a long range then costs its summaries, not
    /// its messages.
    pub fn compact(mut self) -> Self {
        self.commit.text = None;
        if let Some(c) = self.commit.conventional.as_mut() {
            c.body = None;
        }
        self
    }

    /// Whether this commit and its revert (or the commit it reverts) cancel out.
    pub fn cancelled(&self) -> bool {
        self.reverts.is_some() || self.reverted_by.is_some()
    }

    /// The kind that counts for the release: `None` when cancelled by a revert pair.
    pub fn effective_kind(&self) -> Kind {
        if self.cancelled() || self.excluded {
            Kind::None
        } else {
            self.kind
        }
    }
}

/// Conventional type → kind. Every other rule is fixed; this table is configurable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeTable(pub BTreeMap<String, Kind>);

impl Default for TypeTable {
    fn default() -> Self {
        let mut types = BTreeMap::new();
        for (name, kind) in [
            ("feat", Kind::Feature),
            ("fix", Kind::Fix),
            ("perf", Kind::Fix),
            ("revert", Kind::Fix),
            ("security", Kind::Fix),
            ("deprecate", Kind::Feature),
            ("deprecated", Kind::Feature),
            ("docs", Kind::None),
            ("style", Kind::None),
            ("test", Kind::None),
            ("ci", Kind::None),
            ("chore", Kind::None),
            ("build", Kind::None),
            ("refactor", Kind::None),
        ] {
            types.insert(name.to_string(), kind);
        }
        Self(types)
    }
}

const DEPENDENCY_SCOPES: [&str; 2] = ["deps", "deps-dev"];

/// Classifies one commit on its own (revert pairs are found by [`classify_all`]).
///
/// Explicit signals come first: a conventional header and its footers, or,
/// in any message, a breaking or deprecation trailer, an advisory id, a git
/// revert. Only a message that none of them classifies goes to the keyword
/// rules; a pull request merge (first-parent mode) is classified by its title.
pub fn classify(commit: ParsedCommit, rules: &Rules) -> Classified {
    if commit.merge
        && commit.subject.starts_with("Merge pull request #")
        && !commit.body().is_empty()
    {
        let title = RawCommit {
            id: commit.id.to_string(),
            message: commit.body().to_string(),
            parents: 1,
            trailers: Vec::new(),
            author: commit.author().to_string(),
        };
        let inner = classify(message::parse(title), rules);
        if inner.kind != Kind::Unclassified {
            return Classified {
                commit,
                via_pull_request: true,
                ..inner
            };
        }
    }
    let security = security_evidence(&commit);
    let mut deprecation = deprecation(&commit);
    let mut dependency = false;
    let mut possibly_breaking = false;
    let mut breaking = None;
    let (mut kind, mut rule) = (Kind::Unclassified, Rule::NotConventional);
    // Rules applied later are more specific: on a tie they name the reason.
    let raise = |to: Kind, because: Rule, kind: &mut Kind, rule: &mut Rule| {
        if to >= *kind {
            *kind = to;
            *rule = because;
        }
    };
    if let Some(c) = &commit.conventional {
        (kind, rule) = match rules.types.0.get(&*c.kind) {
            Some(&k) => (
                k,
                Rule::Type {
                    kind: c.kind.clone(),
                },
            ),
            None => (
                Kind::Unclassified,
                Rule::UnknownType {
                    kind: c.kind.clone(),
                },
            ),
        };
        if c.bang {
            let header = commit
                .subject
                .split_once(':')
                .map_or("", |(h, _)| h)
                .to_string();
            raise(
                Kind::Breaking,
                Rule::BreakingMark {
                    header: header.into(),
                },
                &mut kind,
                &mut rule,
            );
            breaking = Some(
                c.breaking_footer
                    .clone()
                    .unwrap_or_else(|| c.description.clone()),
            );
        } else if let Some(text) = &c.breaking_footer {
            raise(Kind::Breaking, Rule::BreakingFooter, &mut kind, &mut rule);
            breaking = Some(text.clone());
        }
        if let Some(scope) = c.scope.as_deref().filter(|s| DEPENDENCY_SCOPES.contains(s)) {
            dependency = true;
            raise(
                Kind::Fix,
                Rule::Dependency {
                    scope: (*scope).into(),
                },
                &mut kind,
                &mut rule,
            );
        }
    } else {
        if let Some(text) = commit
            .footer("BREAKING-CHANGE")
            .or(commit.footer("BREAKING CHANGE"))
        {
            breaking = Some(text.into());
            raise(Kind::Breaking, Rule::BreakingFooter, &mut kind, &mut rule);
        }
        if commit.reverts.is_some() {
            raise(Kind::Fix, Rule::Revert, &mut kind, &mut rule);
        }
    }
    if let Some((_, source)) = &deprecation {
        raise(
            Kind::Feature,
            Rule::Deprecation {
                source: source.as_str().into(),
            },
            &mut kind,
            &mut rule,
        );
    }
    if let Some(evidence) = &security {
        raise(
            Kind::Fix,
            Rule::Security {
                evidence: evidence.as_str().into(),
            },
            &mut kind,
            &mut rule,
        );
    }
    let mut confidence = if kind == Kind::Unclassified {
        Confidence::Low
    } else {
        Confidence::High
    };
    let mut security = security.is_some();
    if kind == Kind::Unclassified
        && let Some(found) = keywords::classify(&commit.subject, commit.author(), &rules.keywords)
    {
        kind = match found.verdict {
            Verdict::None => Kind::None,
            Verdict::Dependency | Verdict::Security | Verdict::Fix => Kind::Fix,
            Verdict::Deprecation | Verdict::Removal | Verdict::Feature => Kind::Feature,
        };
        dependency |= found.verdict == Verdict::Dependency;
        security |= found.verdict == Verdict::Security;
        possibly_breaking = found.verdict == Verdict::Removal;
        if found.verdict == Verdict::Deprecation {
            // The word need not open the text (leading symbols are skipped when matching).
            let after = found
                .text
                .find(&found.word)
                .map_or("", |at| &found.text[at + found.word.len()..]);
            let what = after.trim().to_string();
            let what = if what.is_empty() {
                found.text.clone()
            } else {
                what
            };
            deprecation = Some((
                Deprecation {
                    what,
                    replacement: commit.footer("Replacement").map(str::to_string),
                    migration: commit.footer("Migration").map(str::to_string),
                },
                "keyword".to_string(),
            ));
        }
        rule = Rule::Keyword {
            verdict: found.verdict,
            word: found.word.into(),
        };
        confidence = Confidence::Medium;
    }
    Classified {
        commit,
        kind,
        rule,
        confidence,
        possibly_breaking,
        via_pull_request: false,
        security,
        dependency,
        breaking,
        deprecation: deprecation.map(|(d, _)| Box::new(d)),
        excluded: false,
        reverts: None,
        reverted_by: None,
    }
}

/// Applies a maintainer's override; `source` (`config` or `note`) is named in the rule.
pub fn apply_override(c: &mut Classified, o: &Override, source: &str) {
    let rule = Rule::Override {
        source: source.into(),
    };
    if let Some(kind) = o.kind {
        c.kind = kind;
        c.possibly_breaking = false;
    }
    if let Some(text) = &o.breaking {
        c.kind = Kind::Breaking;
        c.breaking = Some(text.as_str().into());
    } else if o.kind.is_some_and(|k| k != Kind::Breaking) {
        c.breaking = None;
    }
    if let Some(what) = &o.deprecated {
        c.kind = c.kind.max(Kind::Feature);
        c.deprecation = Some(Box::new(Deprecation {
            what: what.clone(),
            replacement: o.replacement.clone(),
            migration: o.migration.clone(),
        }));
    }
    c.excluded = o.exclude.unwrap_or(c.excluded);
    c.rule = rule;
    c.confidence = Confidence::High;
}

/// Classifies a range (newest first, as walked) and pairs its reverts (see [`pair_reverts`]).
pub fn classify_all(commits: Vec<ParsedCommit>, rules: &Rules) -> Vec<Classified> {
    let mut out: Vec<Classified> = commits.into_iter().map(|c| classify(c, rules)).collect();
    pair_reverts(&mut out);
    out
}

/// Cancels each commit of a range (newest first, as walked) that is reverted
/// inside the range, together with its revert. A revert of a revert restores
/// the original: the newest effective revert wins.
pub fn pair_reverts(out: &mut [Classified]) {
    for i in 0..out.len() {
        if out[i].reverted_by.is_some() {
            continue; // itself cancelled by a newer revert: it cancels nothing
        }
        let Some(target) = out[i].commit.reverts.clone() else {
            continue;
        };
        let found = (i + 1..out.len()).find(|&j| {
            out[j].reverted_by.is_none()
                && match target.as_ref() {
                    RevertTarget::Id(id) => out[j].commit.id.starts_with(id.as_str()),
                    RevertTarget::Subject(subject) => *out[j].commit.subject == **subject,
                }
        });
        if let Some(j) = found {
            out[i].reverts = Some(out[j].commit.id.clone());
            out[j].reverted_by = Some(out[i].commit.id.clone());
        }
    }
}

fn deprecation(commit: &ParsedCommit) -> Option<(Deprecation, String)> {
    let by_type = commit
        .conventional
        .as_ref()
        .filter(|c| &*c.kind == "deprecate" || &*c.kind == "deprecated");
    let (what, source) = if let Some(value) = commit.footer("Deprecated") {
        (value.to_string(), "footer")
    } else {
        (by_type?.description.to_string(), "type")
    };
    // A `deprecate:` commit's body is its notice, unless a `Migration:` footer says more precisely.
    let migration = commit
        .footer("Migration")
        .map(str::to_string)
        .or_else(|| by_type.and_then(|c| c.body.as_deref().map(str::to_string)));
    let deprecation = Deprecation {
        what,
        replacement: commit.footer("Replacement").map(str::to_string),
        migration,
    };
    Some((deprecation, source.to_string()))
}

fn security_evidence(commit: &ParsedCommit) -> Option<String> {
    if let Some(c) = &commit.conventional {
        if &*c.kind == "security" {
            return Some("type security".into());
        }
        if c.scope.as_deref() == Some("security") {
            return Some("scope security".into());
        }
    }
    if commit.footer("Security").is_some() {
        return Some("footer Security".into());
    }
    advisory_id(commit.message())
}

/// The first `CVE-YYYY-NNNN…` or `GHSA-xxxx-xxxx-xxxx` id in `text`.
pub fn advisory_id(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let word_start = |i: usize| i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
    for (i, _) in text.match_indices(['C', 'G', 'c', 'g']) {
        if !word_start(i) {
            continue;
        }
        let rest = &bytes[i..];
        if rest.len() >= 13 && rest[..4].eq_ignore_ascii_case(b"CVE-") {
            let year = &rest[4..8];
            let digits = rest[9..].iter().take_while(|b| b.is_ascii_digit()).count();
            if year.iter().all(u8::is_ascii_digit) && rest[8] == b'-' && digits >= 4 {
                return Some(text[i..i + 9 + digits].to_ascii_uppercase());
            }
        }
        if rest.len() >= 19 && rest[..5].eq_ignore_ascii_case(b"GHSA-") {
            let groups = &rest[5..19];
            let shape = groups.iter().enumerate().all(|(k, b)| {
                if k % 5 == 4 {
                    *b == b'-'
                } else {
                    b.is_ascii_alphanumeric()
                }
            });
            if shape {
                return Some(format!("GHSA-{}", text[i + 5..i + 19].to_ascii_lowercase()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regression_deprecation_keyword_after_leading_symbols() {
        // Found by fuzzing: the subject was sliced at the word's length from its start.
        let raw = RawCommit {
            id: "ab".repeat(20),
            message: "\u{FFFD}\u{FFFD}\u{2C5}\u{FFFD}deprecate\u{FFFD}: the old flag".into(),
            parents: 1,
            trailers: Vec::new(),
            author: String::new(),
        };
        let c = classify(crate::message::parse(raw), &Rules::default());
        assert_eq!(
            c.deprecation.map(|d| d.what).as_deref(),
            Some("\u{FFFD}: the old flag")
        );
    }

    #[test]
    fn advisory_ids_are_found_only_whole() {
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
