//! The classification rules, each a small function from the evidence to an
//! optional [`Finding`], tried in the order of [`EXPLICIT`] and folded by
//! [`super::classify`]: a finding raises the verdict when its kind is at least
//! as high (on a tie the later, more specific rule names the reason), and its
//! facts (a breaking description, a deprecation, a security or dependency
//! mark) hold whatever the verdict. The keyword rule ([`keywords`]) is tried
//! only when no explicit rule classified the commit.
//!
//! The crate-ci `committed` shape: one function per check, findings as data.

use super::keywords::{self as words, Verdict};
use super::{Assessment, Confidence, Deprecation, Kind, Rule, Rules, Unclassified};
use crate::evidence::message::ParsedCommit;
use crate::evidence::{Evidence, PathClass, Paths};

/// What one rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The kind the rule gives the commit.
    pub kind: Kind,
    /// The rule, as reported.
    pub rule: Rule,
    /// What holds whatever the verdict.
    pub facts: Facts,
}

/// Facts a rule establishes besides the kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The breaking-change description.
    pub breaking: Option<Box<str>>,
    /// A deprecation the commit announces.
    pub deprecation: Option<Deprecation>,
    /// A security fix.
    pub security: bool,
    /// A dependency update.
    pub dependency: bool,
    /// A removal or rename found by a keyword: reported, but not counted as breaking.
    pub possibly_breaking: bool,
}

impl Facts {
    /// These facts with `other`'s added.
    pub fn merge(&mut self, other: Facts) {
        if other.breaking.is_some() {
            self.breaking = other.breaking;
        }
        if other.deprecation.is_some() {
            self.deprecation = other.deprecation;
        }
        self.security |= other.security;
        self.dependency |= other.dependency;
        self.possibly_breaking |= other.possibly_breaking;
    }
}

/// A classification rule.
pub type RuleFn = fn(&Evidence, &Rules) -> Option<Finding>;

/// The explicit rules, in the order they are folded: a conventional header
/// and its footers, or, in any message, a breaking trailer, a git revert, a
/// deprecation, a security signal.
pub const EXPLICIT: [RuleFn; 6] = [
    conventional_type,
    breaking,
    dependency_scope,
    revert,
    deprecation,
    security,
];

const DEPENDENCY_SCOPES: [&str; 2] = ["deps", "deps-dev"];

fn finding(kind: Kind, rule: Rule, facts: Facts) -> Finding {
    Finding { kind, rule, facts }
}

/// What a fix is marked as.
enum Mark {
    Dependency,
    Security,
}

/// A fix marked as a dependency update or a security fix.
fn marked_fix(rule: Rule, mark: Mark) -> Finding {
    let facts = Facts {
        dependency: matches!(mark, Mark::Dependency),
        security: matches!(mark, Mark::Security),
        ..Facts::default()
    };
    finding(Kind::Fix, rule, facts)
}

/// The conventional type, looked up in the type table.
pub fn conventional_type(ev: &Evidence, rules: &Rules) -> Option<Finding> {
    let c = ev.message.conventional.as_ref()?;
    Some(match rules.types.0.get(&*c.kind) {
        Some(&kind) => finding(
            kind,
            Rule::Type {
                kind: c.kind.clone(),
            },
            Facts::default(),
        ),
        None => finding(
            Kind::Unclassified,
            Rule::UnknownType {
                kind: c.kind.clone(),
            },
            Facts::default(),
        ),
    })
}

/// `type!:` in a conventional header, or a `BREAKING CHANGE:` /
/// `BREAKING-CHANGE:` footer (a git trailer in a message that is not conventional).
pub fn breaking(ev: &Evidence, _: &Rules) -> Option<Finding> {
    let commit = &ev.message;
    let (rule, text) = match &commit.conventional {
        Some(c) if c.bang => {
            let header = commit.subject.split_once(':').map_or("", |(h, _)| h);
            let text = c
                .breaking_footer
                .clone()
                .unwrap_or_else(|| c.description.clone());
            (
                Rule::BreakingMark {
                    header: header.into(),
                },
                text,
            )
        }
        Some(c) => (Rule::BreakingFooter, c.breaking_footer.clone()?),
        None => {
            let text = commit
                .footer("BREAKING-CHANGE")
                .or(commit.footer("BREAKING CHANGE"))?;
            (Rule::BreakingFooter, text.into())
        }
    };
    let facts = Facts {
        breaking: Some(text),
        ..Facts::default()
    };
    Some(finding(Kind::Breaking, rule, facts))
}

/// A `deps` / `deps-dev` conventional scope, or a `deps:` / `deps/x:` area:
/// a dependency update.
pub fn dependency_scope(ev: &Evidence, rules: &Rules) -> Option<Finding> {
    let area = area(&ev.message, rules).filter(|a| {
        let a = a.to_ascii_lowercase();
        a == "deps" || a.starts_with("deps/")
    });
    let scope = match area {
        Some(area) => area,
        None => ev
            .message
            .conventional
            .as_ref()?
            .scope
            .as_deref()
            .filter(|s| DEPENDENCY_SCOPES.contains(s))?
            .into(),
    };
    let rule = Rule::Dependency { scope };
    Some(marked_fix(rule, Mark::Dependency))
}

/// A `git revert` subject in a message that is not conventional (a
/// conventional `revert:` is read by its type).
pub fn revert(ev: &Evidence, _: &Rules) -> Option<Finding> {
    let commit = &ev.message;
    (commit.conventional.is_none() && commit.reverts.is_some())
        .then(|| finding(Kind::Fix, Rule::Revert, Facts::default()))
}

/// A `deprecate`/`deprecated` type or a `Deprecated:` footer.
pub fn deprecation(ev: &Evidence, _: &Rules) -> Option<Finding> {
    let commit = &ev.message;
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
    let facts = Facts {
        deprecation: Some(Deprecation {
            what,
            replacement: commit.footer("Replacement").map(str::to_string),
            migration,
        }),
        ..Facts::default()
    };
    let rule = Rule::Deprecation {
        source: source.into(),
    };
    Some(finding(Kind::Feature, rule, facts))
}

/// A security type or scope, a `Security:` footer, or a CVE/GHSA id.
pub fn security(ev: &Evidence, _: &Rules) -> Option<Finding> {
    let commit = &ev.message;
    let evidence = match &commit.conventional {
        Some(c) if &*c.kind == "security" => Some("type security".to_string()),
        Some(c) if c.scope.as_deref() == Some("security") => Some("scope security".to_string()),
        _ => None,
    };
    let evidence = evidence
        .or_else(|| {
            commit
                .footer("Security")
                .map(|_| "footer Security".to_string())
        })
        .or_else(|| advisory_id(commit.message()))?;
    let rule = Rule::Security {
        evidence: evidence.into(),
    };
    Some(marked_fix(rule, Mark::Security))
}

/// The keyword rules of [`super::keywords`] over a message no explicit rule
/// classified: its subject, or what follows an `area:`.
pub fn keywords(ev: &Evidence, rules: &Rules) -> Option<Finding> {
    let commit = &ev.message;
    let text = match (area(commit, rules), &commit.conventional) {
        (Some(_), Some(c)) => &*c.description,
        (Some(_), None) => after_area(&commit.subject),
        (None, _) => &commit.subject,
    };
    let found = words::classify(text, commit.author(), &rules.keywords)?;
    let kind = match found.verdict {
        Verdict::None | Verdict::Release => Kind::None,
        Verdict::Dependency | Verdict::Security | Verdict::Fix => Kind::Fix,
        Verdict::Deprecation | Verdict::Removal | Verdict::Feature => Kind::Feature,
    };
    let mut facts = Facts {
        dependency: found.verdict == Verdict::Dependency,
        security: found.verdict == Verdict::Security,
        possibly_breaking: found.verdict == Verdict::Removal,
        ..Facts::default()
    };
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
        facts.deprecation = Some(Deprecation {
            what,
            replacement: commit.footer("Replacement").map(str::to_string),
            migration: commit.footer("Migration").map(str::to_string),
        });
    }
    let rule = Rule::Keyword {
        verdict: found.verdict,
        word: found.word.into(),
    };
    Some(finding(kind, rule, facts))
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

/// The area of an `area: Subject` message: a conventional type the type table
/// does not know (`kubernetes: Fix …`), or a single word, path or version
/// before `: ` that is no keyword (`pkg/config: …`, `0.9.26: Fixed …`).
pub fn area(commit: &ParsedCommit, rules: &Rules) -> Option<Box<str>> {
    if commit
        .conventional
        .as_ref()
        .is_some_and(|c| rules.types.0.contains_key(&*c.kind))
    {
        return None;
    }
    let (word, rest) = match &commit.conventional {
        Some(c) => (&*c.kind, &*c.description),
        None => {
            let (head, rest) = commit.subject.split_once(':')?;
            (head.trim(), rest)
        }
    };
    let shaped = !word.is_empty()
        && word.len() <= 40
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'))
        && word.chars().any(char::is_alphanumeric);
    // Cheapest first: most subjects fail the shape, and only they reach the keyword lists.
    (shaped && !rest.trim().is_empty() && !words::is_keyword(word, &rules.keywords))
        .then(|| word.to_lowercase().into())
}

/// What follows the area in an `area: Subject` subject (the subject itself when there is none).
pub fn after_area(subject: &str) -> &str {
    subject
        .split_once(':')
        .map_or(subject, |(_, rest)| rest.trim())
}

/// Whether the changed paths can change what the message says: not for an
/// explicit breaking change or deprecation, which speak about the interface.
pub fn needs_paths(commit: &ParsedCommit) -> bool {
    let explicit_breaking = match &commit.conventional {
        Some(c) => c.bang || c.breaking_footer.is_some(),
        None => {
            commit.footer("BREAKING-CHANGE").is_some() || commit.footer("BREAKING CHANGE").is_some()
        }
    };
    let deprecation = commit.footer("Deprecated").is_some()
        || commit
            .conventional
            .as_ref()
            .is_some_and(|c| &*c.kind == "deprecate" || &*c.kind == "deprecated");
    !explicit_breaking && !deprecation
}

/// What a second-tier rule weighs besides the message: one kind of evidence.
#[derive(Debug, Clone, Copy)]
pub enum Seen<'a> {
    /// The paths the commit changes (and the change files it adds), with its
    /// message as a compacted record keeps it.
    Paths {
        /// The paths.
        paths: &'a Paths,
        /// The message.
        commit: &'a ParsedCommit,
    },
    /// What the commit did to the public API (the range's net changes it made).
    Api {
        /// The changes.
        changes: &'a [crate::evidence::api::Change],
        /// The repository ships a binary: no change raises the commit.
        binaries: bool,
    },
    /// The commit's own change touched library code only and added nothing to any API.
    ApiUnchanged,
}

/// A rule of the second tier ([`super::SECOND_TIER`]): evidence in, the
/// verdict so far beside it, an optional new verdict out. Each reads one kind of [`Seen`] and answers
/// `None` to the others.
pub type EvidenceRule = fn(&Seen<'_>, &Assessment, &Rules) -> Option<Assessment>;

/// The paths of a [`Seen::Paths`] that changed anything (an empty commit is left to its message).
fn changed<'a>(seen: &Seen<'a>) -> Option<(&'a Paths, &'a ParsedCommit)> {
    match *seen {
        Seen::Paths { paths, commit } if !paths.classes.is_empty() => Some((paths, commit)),
        _ => None,
    }
}

/// No changed path ships: no release impact, or a dependency update (a
/// patch) when dependency files changed, unless only development
/// dependencies did (an explicit `feat:` that only updates dependencies stays
/// a feature: the dependency brings it); a breaking change or a deprecation
/// keeps its kind.
pub fn nothing_ships(seen: &Seen<'_>, verdict: &Assessment, _: &Rules) -> Option<Assessment> {
    let (paths, commit) = changed(seen).filter(|(p, _)| !p.ships())?;
    if verdict.breaking.is_some() || verdict.deprecation.is_some() || release(verdict) {
        return None;
    }
    // Declared beats inferred: an explicit type on a commit that changes no
    // dependency that ships may be lowered to no impact, never relabelled.
    let explicit = verdict.confidence == Confidence::High;
    let mut out = verdict.clone();
    out.clear_facts();
    out.confidence = Confidence::Medium;
    let dev_scope = commit
        .conventional
        .as_ref()
        .is_some_and(|c| c.scope.as_deref() == Some("deps-dev"));
    if let Some(path) = paths.first_of(PathClass::Dependencies) {
        let dev = dev_scope || paths.manifests.dev_only();
        // An explicit type that updates a dependency that ships stands: a
        // `feat:` a dependency brings stays a feature, a `chore:` no impact.
        if !dev && explicit {
            return None;
        }
        out.kind = if dev { Kind::None } else { Kind::Fix };
        out.dependency = !dev;
        out.rule = Rule::DependencyFiles {
            path: path.into(),
            dev,
        };
    } else {
        // A fix declared by its type stands: projects release `fix(ci):`
        // and `fix(cd):` ranges, and every conventional tool counts them.
        if explicit && verdict.kind == Kind::Fix && matches!(verdict.rule, Rule::Type { .. }) {
            return None;
        }
        out.kind = Kind::None;
        out.rule = Rule::Paths {
            only: paths.classes,
            path: paths
                .first
                .first()
                .map_or_else(|| "".into(), |(_, p)| p.clone()),
            message: verdict.kind,
        };
    }
    (out != *verdict).then_some(out)
}

/// Whether the message said the commit is a release (`Release 1.2.3`, `Bump
/// version to 2.4`): release metadata, however its files look.
fn release(verdict: &Assessment) -> bool {
    matches!(
        verdict.rule,
        Rule::Keyword {
            verdict: Verdict::Release,
            ..
        }
    )
}

/// A path that ships.
fn shipped(paths: &Paths) -> Box<str> {
    paths
        .first_of(PathClass::Shipped)
        .unwrap_or_default()
        .into()
}

/// A path ships, and the message said no impact by a keyword: at least a patch.
pub fn worded_as_none(seen: &Seen<'_>, verdict: &Assessment, _: &Rules) -> Option<Assessment> {
    let (paths, _) = changed(seen).filter(|(p, _)| p.ships())?;
    let worded_as_none = matches!(
        verdict.rule,
        Rule::Keyword {
            verdict: Verdict::None,
            ..
        }
    );
    worded_as_none.then(|| Assessment {
        kind: Kind::Fix,
        rule: Rule::ShippedCode {
            path: shipped(paths),
            message: Kind::None,
        },
        ..verdict.clone()
    })
}

/// A keyword feature whose commit changes shipped code but no test, doc or
/// example, when `[evidence] corroborate` asks for them: a fix.
pub fn uncorroborated(seen: &Seen<'_>, verdict: &Assessment, rules: &Rules) -> Option<Assessment> {
    let (paths, _) = changed(seen).filter(|(p, _)| p.ships())?;
    let keyword_feature = matches!(
        verdict.rule,
        Rule::Keyword {
            verdict: Verdict::Feature,
            ..
        }
    );
    let beside = [PathClass::Tests, PathClass::Docs, PathClass::Examples];
    let alone = !beside.iter().any(|c| paths.classes.contains(*c));
    (rules.corroborate && keyword_feature && alone).then(|| Assessment {
        kind: Kind::Fix,
        rule: Rule::Uncorroborated {
            path: shipped(paths),
        },
        ..verdict.clone()
    })
}

/// A path ships and no rule read the message: a patch at low confidence
/// (`unclassified = "patch"`, the default).
pub fn unread_ships(seen: &Seen<'_>, verdict: &Assessment, rules: &Rules) -> Option<Assessment> {
    let (paths, _) = changed(seen).filter(|(p, _)| p.ships())?;
    let unread = verdict.kind == Kind::Unclassified && rules.unclassified == Unclassified::Patch;
    unread.then(|| Assessment {
        kind: Kind::Fix,
        confidence: Confidence::Low,
        rule: Rule::ShippedCode {
            path: shipped(paths),
            message: Kind::Unclassified,
        },
        ..verdict.clone()
    })
}
