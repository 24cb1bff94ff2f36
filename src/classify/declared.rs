//! Declared change files (`.changeset/*.md`): the bump they declare raises a
//! commit's kind, and their summaries become its release notes.

use super::rules::Seen;
use super::{Assessment, Classified, Confidence, Kind, Rule, Rules};
use crate::evidence::Paths;
use crate::evidence::changesets::Bump;

/// What the change files a commit adds say, for the notes and the warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    /// Their summaries: what changed, as the release notes say it.
    pub summaries: Vec<String>,
    /// Malformed ones, and why.
    pub malformed: Vec<(String, String)>,
}

/// The change files a commit adds: their highest bump (for the chosen
/// package, in a monorepo) raises the kind (a second-tier rule, see
/// [`super::SECOND_TIER`]).
pub fn change_files(seen: &Seen<'_>, verdict: &Assessment, rules: &Rules) -> Option<Assessment> {
    let Seen::Paths { paths, commit } = *seen else {
        return None;
    };
    let mut top: Option<(Kind, &str)> = None;
    for set in &paths.changesets {
        for (name, bump) in &set.bumps {
            if rules.package.as_deref().is_some_and(|p| p != name) {
                continue;
            }
            let kind = match bump {
                Bump::Major => Kind::Breaking,
                Bump::Minor => Kind::Feature,
                Bump::Patch => Kind::Fix,
            };
            if top.is_none_or(|(k, _)| kind > k) {
                top = Some((kind, &set.file));
            }
        }
    }
    let (kind, file) = top.filter(|(kind, _)| *kind >= verdict.kind)?;
    let mut out = verdict.clone();
    out.kind = kind;
    out.rule = Rule::Changeset {
        file: file.into(),
        declares: kind,
    };
    out.confidence = Confidence::High;
    if kind == Kind::Breaking && out.breaking.is_none() {
        out.breaking = Some(super::said(commit, verdict.area).into());
    }
    Some(out)
}

/// Records the change files `c` adds: their summaries become its notes, the
/// malformed ones are reported.
pub fn record(c: &mut Classified, paths: &Paths) {
    if paths.changesets.is_empty() && paths.malformed.is_empty() {
        return;
    }
    c.declared = Some(Box::new(Declared {
        summaries: paths
            .changesets
            .iter()
            .map(|s| s.summary.clone())
            .filter(|s| !s.is_empty())
            .collect(),
        malformed: paths.malformed.clone(),
    }));
}
