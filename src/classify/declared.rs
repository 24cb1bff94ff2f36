//! Declared change files (`.changeset/*.md`): the bump they declare raises a
//! commit's kind, and their summaries become its release notes.

use super::{Classified, Confidence, Kind, Rule, Rules};
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

/// Applies the change files a commit adds: their highest bump (for the chosen
/// package, in a monorepo) raises the kind; their summaries become its notes.
pub fn apply(c: &mut Classified, paths: &Paths, rules: &Rules) {
    if paths.changesets.is_empty() && paths.malformed.is_empty() {
        return;
    }
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
    if let Some((kind, file)) = top
        && kind >= c.kind
    {
        c.kind = kind;
        c.rule = Rule::Changeset {
            file: file.into(),
            declares: kind,
        };
        c.confidence = Confidence::High;
        if kind == Kind::Breaking && c.breaking.is_none() {
            c.breaking = Some(c.description().into());
        }
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
