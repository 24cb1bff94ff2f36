//! Keyword rules for messages that do not follow Conventional Commits.
//!
//! Owns the word lists and the order they are tried in. Real histories are
//! mostly not conventional (ContainerSSH: about 1% of commits), so these rules
//! read the subject the way a maintainer would: a leading verb (`Fixed`,
//! `Added`, `Removed`, `Bump`), topics that never ship (`README`, `CI`,
//! `typo`), and the bots that update dependencies. An issue-closing prefix
//! (`Fixes #33:`, `Issue #12:`) is a reference, not a verb: the text after it is
//! what gets classified. A removal verb only ever yields "possibly breaking":
//! a breaking change is never inferred from a keyword alone.

use serde::{Deserialize, Serialize};

/// The word lists; each replaces its default when set in `bumpwise.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keywords {
    /// Leading words of a fix (`Fix`, `Fixed`, …); ` no longer ` anywhere also counts.
    pub fix: Vec<String>,
    /// Leading words of a feature (`Add`, `Implement`, …).
    pub feature: Vec<String>,
    /// Leading words of a removal or rename: possibly breaking.
    pub removal: Vec<String>,
    /// Leading words of a deprecation.
    pub deprecation: Vec<String>,
    /// Leading words of a dependency update (`Bump`).
    pub dependency: Vec<String>,
    /// Authors whose commits are dependency updates (matched within the name or e-mail).
    pub dependency_authors: Vec<String>,
    /// Words anywhere in the subject that mark a security fix.
    pub security: Vec<String>,
    /// Words anywhere in the subject that mark work without release impact.
    pub none: Vec<String>,
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| (*w).to_string()).collect()
}

impl Default for Keywords {
    fn default() -> Self {
        Keywords {
            fix: words(&[
                "fix",
                "fixed",
                "fixes",
                "fixing",
                "resolve",
                "resolved",
                "resolves",
                "correct",
                "corrected",
                "repair",
                "repaired",
                "hotfix",
                "patch",
                "patched",
                "prevent",
                "prevented",
                "handle",
                "handled",
                "improve",
                "improved",
                "improves",
                "optimize",
                "optimized",
                "optimise",
                "optimised",
            ]),
            feature: words(&[
                "add",
                "added",
                "adds",
                "adding",
                "implement",
                "implemented",
                "implements",
                "introduce",
                "introduced",
                "introduces",
                "support",
                "supports",
                "allow",
                "allowed",
                "allows",
                "enable",
                "enabled",
                "enables",
                "new",
                "create",
                "created",
                "expose",
                "exposed",
                "exposes",
                "export",
                "exported",
                "exports",
                "extend",
                "extended",
                "extends",
            ]),
            removal: words(&[
                "remove", "removed", "removes", "removing", "drop", "dropped", "drops", "rename",
                "renamed", "renames", "delete", "deleted", "deletes",
            ]),
            deprecation: words(&["deprecate", "deprecated", "deprecates", "deprecating"]),
            dependency: words(&["bump", "bumps", "bumped"]),
            dependency_authors: words(&["dependabot", "renovate"]),
            security: words(&["security", "vulnerability", "vulnerabilities", "vulnerable"]),
            none: words(&[
                "readme",
                "docs",
                "doc",
                "documentation",
                "badge",
                "badges",
                "ci",
                "workflow",
                "workflows",
                "typo",
                "typos",
                "license",
                "licence",
                "test",
                "tests",
                "testing",
                "lint",
                "linter",
                "linting",
                "formatting",
                "gofmt",
                "changelog",
                "codecov",
                "comment",
                "comments",
                "copyright",
                "gitignore",
                "editorconfig",
                "codeowners",
                "contributing",
                "release",
            ]),
        }
    }
}

/// What a keyword rule decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A dependency update.
    Dependency,
    /// A security fix.
    Security,
    /// No release impact.
    None,
    /// A deprecation.
    Deprecation,
    /// A removal or rename: possibly breaking.
    Removal,
    /// A fix.
    Fix,
    /// A feature.
    Feature,
    /// A release commit (`Bump version to 2.4`, `Release 1.2.3`): no release impact of its own.
    Release,
}

/// A keyword rule's match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// What it decided.
    pub verdict: Verdict,
    /// The word or phrase that matched, as written.
    pub word: String,
    /// The subject without an issue-reference prefix (the text that was read).
    pub text: String,
}

/// Issue-closing keywords that may open a subject as `Fixes #33: …`.
const REFERENCE_WORDS: [&str; 12] = [
    "fixes", "fix", "fixed", "closes", "close", "closed", "resolves", "resolve", "resolved",
    "issue", "refs", "ref",
];

/// A leading `Fixes #33:` / `Issue #12 -` reference: its word and the text after it.
fn reference(subject: &str) -> Option<(&str, &str)> {
    let trimmed = subject.trim_start();
    let (word, rest) = trimmed.split_once(' ')?;
    if !REFERENCE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word)) {
        return None;
    }
    let number = rest.trim_start().strip_prefix('#')?;
    let digits = number.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let after = number[digits..].trim_start();
    let after = after
        .strip_prefix([':', ',', '-'])
        .unwrap_or(after)
        .trim_start();
    (!after.is_empty()).then_some((word, after))
}

/// The subject without a leading `Fixes #33:` / `Issue #12 -` reference.
pub fn strip_reference(subject: &str) -> &str {
    reference(subject).map_or(subject, |(_, after)| after)
}

fn has(list: &[String], word: &str) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Whether `word` opens a subject as one of the keyword rules' verbs (or an issue reference).
pub fn is_keyword(word: &str, keywords: &Keywords) -> bool {
    [
        &keywords.fix,
        &keywords.feature,
        &keywords.removal,
        &keywords.deprecation,
        &keywords.dependency,
    ]
    .iter()
    .any(|list| has(list, word))
        || REFERENCE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Words a verb's object may start with before the thing it acts on.
const FILLERS: [&str; 27] = [
    "failing",
    "regression",
    "unit",
    "integration",
    "e2e",
    "the",
    "a",
    "an",
    "some",
    "more",
    "missing",
    "new",
    "all",
    "broken",
    "outdated",
    "small",
    "minor",
    "few",
    "unused",
    "old",
    "our",
    "several",
    "additional",
    "extra",
    "initial",
    "basic",
    "flaky",
];

/// Words that, right after a removal verb, say what goes was never needed:
/// a clean-up (`Remove unused import`), not a removal anyone relied on.
const CLEANUP: [&str; 13] = [
    "unused",
    "unnecessary",
    "unneeded",
    "redundant",
    "dead",
    "duplicate",
    "duplicated",
    "superfluous",
    "stray",
    "leftover",
    "useless",
    "needless",
    "extra",
];

/// The qualifier that makes a removal or an addition a mend: a removal of
/// what was never needed (see [`CLEANUP`]), an addition of what was
/// `missing` (`Add missing nil check`). `tokens[0]` is the verb; articles
/// before the qualifier are skipped.
fn mends<'t>(verdict: Verdict, tokens: &[&'t str]) -> Option<&'t str> {
    let articles = ["the", "a", "an", "some", "all", "any"];
    let next = tokens
        .iter()
        .skip(1)
        .find(|t| !articles.iter().any(|a| a.eq_ignore_ascii_case(t)))?;
    let mended = match verdict {
        Verdict::Removal => CLEANUP.iter().any(|c| c.eq_ignore_ascii_case(next)),
        Verdict::Feature => next.eq_ignore_ascii_case("missing"),
        _ => false,
    };
    mended.then_some(*next)
}

/// Verbs that, with a dependency word after them, say a dependency update.
const UPDATE_VERBS: [&str; 10] = [
    "update",
    "updated",
    "updates",
    "updating",
    "upgrade",
    "upgraded",
    "upgrades",
    "upgrading",
    "force-update",
    "force-updated",
];

/// Verbs that widen which versions of a package are accepted,
/// when a version or a requirement follows (see [`is_requirement`]).
const RANGE_VERBS: [&str; 8] = [
    "allow", "allows", "permit", "permits", "relax", "relaxes", "support", "supports",
];

/// A version requirement as manifests write one: `1.22`, `2.6.0`, `>=2`,
/// `<4`, `~=1.4`, `^3.0` (digits and dots only: `3.x` is prose).
fn is_requirement(word: &str) -> bool {
    let word = word.trim_end_matches(['.', ',', ';', ')']);
    let (operator, version) = match word.find(|c: char| c.is_ascii_digit()) {
        Some(at) => word.split_at(at),
        None => return false,
    };
    let numeric = !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.');
    match operator {
        "" => numeric && version.contains('.'),
        ">=" | "<=" | ">" | "<" | "==" | "~=" | "!=" | "^" | "~" => numeric,
        _ => false,
    }
}

/// Words that, after an update verb, name dependencies.
const DEPENDENCY_WORDS: [&str; 7] = [
    "dependency",
    "dependencies",
    "deps",
    "library",
    "libraries",
    "module",
    "modules",
];

impl super::Classified {
    /// Whether the commit says it is a release and has no release impact of
    /// its own: `Release 1.2.3`, `v1.2.3`, `Bump version to 2.4` (the keyword
    /// rule's release commits), `chore(release): prepare for v2.13.1`,
    /// `chore(version): 7.0.0`, `chore(release): 1.2.3 [skip ci]`,
    /// `release: 1.2.3`. The range it closes is being released
    /// ([`crate::version::decide::release_commit`]).
    pub fn is_release(&self) -> bool {
        if self.cancelled() || self.excluded || self.kind != super::Kind::None {
            return false;
        }
        if matches!(
            self.rule,
            super::Rule::Keyword {
                verdict: Verdict::Release,
                ..
            }
        ) {
            return true;
        }
        // A chore, build or release type that names a version (`docs(release):
        // …` documents releases; `chore(release): update the workflow` makes none).
        self.commit.conventional.as_ref().is_some_and(|c| {
            if !matches!(&*c.kind, "chore" | "build" | "release") {
                return false;
            }
            let description = c.description.to_lowercase();
            let about_releases =
                &*c.kind == "release" || matches!(c.scope.as_deref(), Some("release" | "version"));
            is_release_commit(&description)
                || (about_releases && description.split_whitespace().any(is_version))
        })
    }
}

/// Whether `word` is a version: `1.2`, `v1.2.3`, `V2.0`, `2.13.1-rc.1`.
fn is_version(word: &str) -> bool {
    let word = word.trim_start_matches(['v', 'V']);
    word.starts_with(|c: char| c.is_ascii_digit()) && word.contains('.')
}

/// Whether `lower` (a lower-cased subject) is a release commit: `Bump version
/// to 2.4`, `Release 1.2.3`, `Prepare release 0.9`, `v1.2.3`, `Version 2.0`.
fn is_release_commit(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ':')
        .filter(|w| !w.is_empty())
        .collect();
    let version = |w: Option<&&str>| w.is_some_and(|w| is_version(w));
    let mut at;
    let skip = |at: &mut usize, set: &[&str]| {
        while words.get(*at).is_some_and(|w| set.contains(w)) {
            *at += 1;
        }
    };
    match words.first().copied() {
        Some(
            "bump" | "bumped" | "bumps" | "bumping" | "set" | "update" | "updated" | "increase"
            | "increment" | "incremented",
        ) => {
            at = 1;
            skip(
                &mut at,
                &["the", "package", "project", "app", "crate", "module"],
            );
            words.get(at) == Some(&"version")
        }
        Some("release" | "released" | "releasing") => version(words.get(1)),
        Some("prepare" | "prepares" | "prepared" | "preparing") => {
            at = 1;
            skip(&mut at, &["for", "the", "next", "a"]);
            words.get(at) == Some(&"release") || version(words.get(at))
        }
        Some("version") => version(words.get(1)) || words.get(1) == Some(&"bump"),
        Some(_) => version(words.first()) && words.len() == 1,
        None => false,
    }
}

/// Applies the keyword rules to a subject and author, in order: a release
/// commit; a dependency update (a `Bump` verb, a bot author, an update verb
/// with a dependency word); a security word; a leading verb (deprecation,
/// removal, fix, feature), unless what it acts on is a no-impact word (`Add
/// tests for …`, `Fix typo`); a no-impact word anywhere; `no longer`; and a
/// `Fixes #N:` reference with no verb of its own, which is a fix.
pub fn classify(subject: &str, author: &str, keywords: &Keywords) -> Option<Match> {
    let reference = reference(subject);
    let text = reference.map_or(subject, |(_, after)| after).trim();
    let found = |verdict, word: &str| {
        Some(Match {
            verdict,
            word: word.to_string(),
            text: text.to_string(),
        })
    };
    let first = text
        .split(|c: char| c.is_whitespace() || c == ':')
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric());
    let tokens: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` are valid in `text`.
    let lower = text.to_ascii_lowercase();
    if is_release_commit(&lower) {
        return found(Verdict::Release, first);
    }
    if let Some(dependency) = dependency(text, first, &tokens, &lower, author, keywords) {
        return found(Verdict::Dependency, &dependency);
    }
    if let Some(word) = tokens.iter().find(|t| has(&keywords.security, t)) {
        return found(Verdict::Security, word);
    }
    let verb = [
        (&keywords.deprecation, Verdict::Deprecation),
        (&keywords.removal, Verdict::Removal),
        (&keywords.fix, Verdict::Fix),
        (&keywords.feature, Verdict::Feature),
    ]
    .into_iter()
    .find(|(list, _)| has(list, first));
    if let Some((_, verdict)) = verb {
        // What the verb acts on: the first token after it that is not a filler.
        let object = tokens
            .iter()
            .skip(1)
            .find(|t| !FILLERS.iter().any(|f| f.eq_ignore_ascii_case(t)));
        if let Some(object) = object.filter(|o| has(&keywords.none, o)) {
            return found(Verdict::None, object);
        }
        return match mends(verdict, &tokens) {
            Some(qualifier) => found(Verdict::Fix, &format!("{first} {qualifier}")),
            None => found(verdict, first),
        };
    }
    if let Some(word) = tokens.iter().find(|t| has(&keywords.none, t)) {
        return found(Verdict::None, word);
    }
    if let Some(at) = lower.find(" no longer ") {
        return found(Verdict::Fix, &text[at + 1..at + 10]);
    }
    match reference {
        Some((word, _)) if has(&keywords.fix, word) => {
            let said = subject.trim_start();
            let end = said.find([':', ',', '-']).unwrap_or(said.len());
            found(Verdict::Fix, said[..end].trim())
        }
        _ => None,
    }
}

/// The word or phrase that makes `text` a dependency update, if any.
fn dependency(
    text: &str,
    first: &str,
    tokens: &[&str],
    lower: &str,
    author: &str,
    keywords: &Keywords,
) -> Option<String> {
    // `Bump serde to 1.0.200`, `Bump github.com/docker/docker`, `Bumps deps`:
    // a version, a package path, or a dependency word; `Bumped pod start
    // time` names none of them.
    let versioned = text.split_whitespace().skip(1).any(|w| {
        let w = w.trim_end_matches(['.', ',', ':', ';', ')']);
        is_version(w)
            || w.contains(['/', '@'])
            || lower.contains(" from ") && lower.contains(" to ")
    });
    let named = tokens
        .iter()
        .any(|t| DEPENDENCY_WORDS.iter().any(|d| d.eq_ignore_ascii_case(t)));
    if has(&keywords.dependency, first) && (versioned || named) {
        return Some(first.to_string());
    }
    let lower_author = author.to_lowercase();
    if let Some(bot) = keywords
        .dependency_authors
        .iter()
        .find(|a| lower_author.contains(&a.to_lowercase()))
    {
        return Some(bot.clone());
    }
    for phrase in [
        "update dependency ",
        "update module ",
        "update go module ",
        "dependency bump",
        "dependency update",
        "dependencies update",
        "dependency upgrade",
    ] {
        if lower.starts_with(phrase) {
            return Some(text[..phrase.len()].trim().to_string());
        }
    }
    let leading = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    // `Allow urllib3 1.22`, `Allow charset normalizer >=2 and <4`, `Support
    // IDNA 2.6`: a range of a package's versions widened, with the versions.
    if RANGE_VERBS.contains(&leading.as_str())
        && text.split_whitespace().skip(2).any(is_requirement)
    {
        return Some(text.split_whitespace().next().unwrap_or("").to_string());
    }
    if UPDATE_VERBS.contains(&leading.as_str())
        && let Some(word) = tokens
            .iter()
            .find(|t| DEPENDENCY_WORDS.iter().any(|d| d.eq_ignore_ascii_case(t)))
    {
        return Some(format!(
            "{} … {word}",
            text.split_whitespace().next().unwrap_or("")
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(subject: &str) -> Option<Verdict> {
        classify(subject, "Jane <jane@example.com>", &Keywords::default()).map(|m| m.verdict)
    }

    #[test]
    fn issue_references_are_not_verbs() {
        assert_eq!(
            strip_reference("Fixes #33: Add option to disable exec requests"),
            "Add option to disable exec requests"
        );
        assert_eq!(
            strip_reference("Issue #12 - Removed the old flag"),
            "Removed the old flag"
        );
        assert_eq!(strip_reference("Fix crash"), "Fix crash");
        assert_eq!(
            verdict("Fixes #33: Add option to disable exec requests"),
            Some(Verdict::Feature)
        );
        assert_eq!(
            verdict("Fixes #40: Bump golang.org/x/crypto from 0.1.0 to 0.2.0"),
            Some(Verdict::Dependency)
        );
    }

    #[test]
    fn offsets_survive_non_ascii_text() {
        assert_eq!(verdict("İİİ the agent no longer hangs"), Some(Verdict::Fix));
        assert_eq!(
            verdict("\u{FFFD}Deprecate the listen option"),
            Some(Verdict::Deprecation)
        );
    }

    #[test]
    fn verbs_topics_and_bots() {
        assert_eq!(verdict("Fixed race in the agent"), Some(Verdict::Fix));
        assert_eq!(verdict("Added release badge"), Some(Verdict::None));
        assert_eq!(verdict("Removed the listen option"), Some(Verdict::Removal));
        // A clean-up or a missing piece added is a mend, not a removal or a feature.
        assert_eq!(verdict("Remove unused import"), Some(Verdict::Fix));
        assert_eq!(verdict("Delete the redundant check"), Some(Verdict::Fix));
        assert_eq!(verdict("Add missing nil check"), Some(Verdict::Fix));
        assert_eq!(
            verdict("Add missing tests for the parser"),
            Some(Verdict::None)
        );
        assert_eq!(verdict("Removed old API"), Some(Verdict::Removal));
        assert_eq!(verdict("Add extra headers option"), Some(Verdict::Feature));
        assert_eq!(
            verdict("The agent no longer hangs on exit"),
            Some(Verdict::Fix)
        );
        assert_eq!(
            verdict("Bump github.com/docker/docker"),
            Some(Verdict::Dependency)
        );
        assert_eq!(verdict("Refactored the handler"), None);
        // A bump names a package or a version to be a dependency update.
        assert_eq!(verdict("Bump serde to 1.0.200"), Some(Verdict::Dependency));
        assert_eq!(verdict("Bumped pod start time"), None);
        // A package's accepted versions widened, with the versions: a dependency update.
        assert_eq!(verdict("Allow urllib3 1.22"), Some(Verdict::Dependency));
        assert_eq!(
            verdict("Allow charset normalizer >=2 and <4 (#6261)"),
            Some(Verdict::Dependency)
        );
        assert_eq!(
            verdict("Allow for overriding of specific pool key params"),
            Some(Verdict::Feature)
        );
        assert_eq!(
            verdict("Support bytestring URLs on Python 3.x"),
            Some(Verdict::Feature)
        );
        assert_eq!(
            verdict("Allow 2.5 seconds of slack"),
            Some(Verdict::Feature)
        );
        assert_eq!(
            verdict("Add failing test for the parser"),
            Some(Verdict::None)
        );
        let bot = classify(
            "Update x",
            "dependabot[bot] <support@github.com>",
            &Keywords::default(),
        );
        assert_eq!(bot.map(|m| m.verdict), Some(Verdict::Dependency));
    }
}
