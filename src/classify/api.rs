//! The public API's rules: what a commit does to the exported surface can
//! raise it above its message, and can lower a keyword feature that added
//! nothing.
//!
//! A removed or changed exported item is a breaking change whatever the
//! message said, and an added one a feature unless an explicit message said
//! otherwise: declared beats inferred ([`apply`]). A keyword feature whose
//! commit changed library code only, and left the API no bigger, is read as a
//! fix ([`lower`]); an explicit type (`feat:`) is never lowered. In a
//! repository that ships a binary (a Rust binary target; a Go `main` package
//! at the root or under `cmd/`), whose packages serve it and whose version is
//! its, an API change raises no commit: the change is listed, and a warning
//! names a break. Measured on Go binaries (ContainerSSH, fzf, lazygit):
//! 182 → 207 of 389 releases agree; no library's replay changed.

use super::keywords::Verdict;
use super::rules::Seen;
use super::weigh;
use super::{Assessment, Classified, Confidence, Kind, Rule, Rules};
use crate::evidence::api::{Change, ChangeKind};

/// Records the API changes attributed to `c` and raises its kind to what they
/// show ([`api_changes`]). With `binaries` (the repository ships a binary),
/// they raise nothing.
pub fn apply(c: &mut Classified, changes: Vec<Change>, binaries: bool, rules: &Rules) {
    let seen = Seen::Api {
        changes: &changes,
        binaries,
    };
    weigh(&mut c.verdict, &seen, rules);
    if changes.is_empty() {
        return;
    }
    // A second look (at an item that moved between files) adds to what the first gave.
    match &mut c.api {
        Some(api) => {
            api.extend(changes);
            api.sort_by(|a, b| a.name.cmp(&b.name).then(a.change.cmp(&b.change)));
        }
        None => c.api = Some(Box::new(changes)),
    }
}

/// What a commit did to the API, when higher than the verdict: breaking for
/// a removal or a changed signature, feature for an addition (a second-tier
/// rule, see [`super::SECOND_TIER`]).
pub fn api_changes(seen: &Seen<'_>, verdict: &Assessment, _: &Rules) -> Option<Assessment> {
    let Seen::Api { changes, binaries } = *seen else {
        return None;
    };
    // Declared beats inferred: an addition never raises an explicit message
    // (a `fix:` that adds a field stays a fix); beside a binary, whose
    // packages serve it, no change raises anything.
    let explicit = explicit(verdict);
    let weighed: Vec<&Change> = changes
        .iter()
        .filter(|_| !binaries)
        .filter(|x| !(explicit && x.change == ChangeKind::Added))
        .collect();
    let breaking = weighed.iter().filter(|x| x.change.breaking()).count();
    let (kind, count) = if breaking > 0 {
        (Kind::Breaking, breaking)
    } else {
        (Kind::Feature, weighed.len())
    };
    let first = weighed
        .iter()
        .find(|x| x.change.breaking() == (kind == Kind::Breaking))
        .filter(|_| kind > verdict.kind)?;
    let mut out = verdict.clone();
    let item = first.summary();
    if kind == Kind::Breaking {
        out.breaking = Some(item.clone().into());
        out.possibly_breaking = false;
    }
    out.rule = Rule::Api {
        change: first.change,
        item: item.into(),
        more: count - 1,
        message: verdict.kind,
    };
    out.kind = kind;
    out.confidence = Confidence::High;
    Some(out)
}

/// Whether the message decided `c` explicitly: a conventional type, a footer,
/// an advisory id, a revert.
pub fn explicit(c: &Assessment) -> bool {
    c.confidence == Confidence::High && !matches!(c.rule, Rule::Api { .. })
}

/// Whether `c` is a keyword feature or removal the API could lower (see
/// [`lower`]). A removal of support (`Drop support for Go < 1.7`, `Remove
/// Python 2 support`) is not: what it takes away (a toolchain, a platform, a
/// format) is not in any exported signature.
pub fn lowerable(c: &Classified) -> bool {
    let support = || {
        c.commit
            .subject
            .split(|ch: char| !ch.is_alphanumeric())
            .any(|w| w.eq_ignore_ascii_case("support"))
    };
    !c.cancelled()
        && !c.excluded
        && match c.rule {
            Rule::Keyword {
                verdict: Verdict::Feature,
                ..
            } => true,
            Rule::Keyword {
                verdict: Verdict::Removal,
                ..
            } => !support(),
            _ => false,
        }
}

/// Reads a keyword feature whose commit changed only library code and added
/// nothing to any API as a fix ([`api_unchanged`]).
pub fn lower(c: &mut Classified, rules: &Rules) {
    weigh(&mut c.verdict, &Seen::ApiUnchanged, rules);
}

/// A keyword feature whose own change left the API no bigger, or a keyword
/// removal whose own change removed nothing from it (a removal or change
/// there is a break [`api_changes`] reads): a fix (a second-tier rule, see
/// [`super::SECOND_TIER`]). "Remove unused imports" in a library is a fix
/// once the API is read and shows nothing gone.
pub fn api_unchanged(seen: &Seen<'_>, verdict: &Assessment, _: &Rules) -> Option<Assessment> {
    let (
        Seen::ApiUnchanged,
        Rule::Keyword {
            verdict: found @ (Verdict::Feature | Verdict::Removal),
            word,
        },
    ) = (seen, &verdict.rule)
    else {
        return None;
    };
    let removal = *found == Verdict::Removal;
    Some(Assessment {
        rule: Rule::ApiUnchanged {
            word: word.clone(),
            removal,
        },
        kind: Kind::Fix,
        possibly_breaking: verdict.possibly_breaking && !removal,
        ..verdict.clone()
    })
}

/// The words of the API rules, for [`Rule`]'s `Display`.
pub(super) fn describe(rule: &Rule, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    match rule {
        Rule::Api {
            change,
            item,
            more,
            message,
        } => {
            let what = if *change == ChangeKind::Added {
                "feature"
            } else {
                "breaking"
            };
            write!(f, "API: {item}")?;
            if *more > 0 {
                write!(f, " (and {more} more)")?;
            }
            write!(f, ", {what}")?;
            match message {
                Kind::Unclassified => Ok(()),
                said => write!(f, " (the message alone: {})", said.as_str()),
            }
        }
        Rule::ApiUnchanged {
            word,
            removal: false,
        } => write!(
            f,
            "keyword `{word}` (feature), but the commit changes library code and adds nothing to its API: a fix"
        ),
        Rule::ApiUnchanged {
            word,
            removal: true,
        } => write!(
            f,
            "keyword `{word}` (removal), but the commit changes library code and removes nothing from its API: a fix"
        ),
        _ => Ok(()),
    }
}
