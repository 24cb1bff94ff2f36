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

/// The subject without a leading `Fixes #33:` / `Issue #12 -` reference.
pub fn strip_reference(subject: &str) -> &str {
    let trimmed = subject.trim_start();
    let Some((word, rest)) = trimmed.split_once(' ') else {
        return subject;
    };
    if !REFERENCE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word)) {
        return subject;
    }
    let Some(number) = rest.trim_start().strip_prefix('#') else {
        return subject;
    };
    let digits = number.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return subject;
    }
    let after = number[digits..].trim_start();
    let after = after
        .strip_prefix([':', ',', '-'])
        .unwrap_or(after)
        .trim_start();
    if after.is_empty() { subject } else { after }
}

fn has(list: &[String], word: &str) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Applies the keyword rules to a subject and author, in order: dependency,
/// security, no release impact, deprecation, removal, fix, feature.
pub fn classify(subject: &str, author: &str, keywords: &Keywords) -> Option<Match> {
    let text = strip_reference(subject).trim();
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
    let lower_author = author.to_lowercase();
    if has(&keywords.dependency, first) {
        return found(Verdict::Dependency, first);
    }
    if let Some(bot) = keywords
        .dependency_authors
        .iter()
        .find(|a| lower_author.contains(&a.to_lowercase()))
    {
        return found(Verdict::Dependency, bot);
    }
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` are valid in `text`.
    let lower = text.to_ascii_lowercase();
    for phrase in ["update dependency ", "update module ", "update go module "] {
        if lower.starts_with(phrase) {
            return found(Verdict::Dependency, &text[..phrase.len() - 1]);
        }
    }
    if let Some(word) = tokens.iter().find(|t| has(&keywords.security, t)) {
        return found(Verdict::Security, word);
    }
    if let Some(word) = tokens.iter().find(|t| has(&keywords.none, t)) {
        return found(Verdict::None, word);
    }
    if has(&keywords.deprecation, first) {
        return found(Verdict::Deprecation, first);
    }
    if has(&keywords.removal, first) {
        return found(Verdict::Removal, first);
    }
    if has(&keywords.fix, first) {
        return found(Verdict::Fix, first);
    }
    if let Some(at) = lower.find(" no longer ") {
        return found(Verdict::Fix, &text[at + 1..at + 10]);
    }
    if has(&keywords.feature, first) {
        return found(Verdict::Feature, first);
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
        assert_eq!(
            verdict("The agent no longer hangs on exit"),
            Some(Verdict::Fix)
        );
        assert_eq!(
            verdict("Bump github.com/docker/docker"),
            Some(Verdict::Dependency)
        );
        assert_eq!(verdict("Refactored the handler"), None);
        let bot = classify(
            "Update x",
            "dependabot[bot] <support@github.com>",
            &Keywords::default(),
        );
        assert_eq!(bot.map(|m| m.verdict), Some(Verdict::Dependency));
    }
}
