//! Maintainers' corrections, set after the fact without rewriting history:
//! in `bumpwise.toml` (`[overrides.<id>]`) or in a git note under
//! `refs/notes/bumpwise` (written by `bumpwise mark`).

use serde::{Deserialize, Serialize};

use super::{Classified, Confidence, Deprecation, Kind, Rule};

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

    /// This override without the field `name` (`kind`, `breaking`, `deprecated`,
    /// `replacement`, `migration`, `exclude`).
    ///
    /// # Errors
    ///
    /// A usage error naming the fields when `name` is none of them.
    pub fn without(mut self, name: &str) -> crate::error::Result<Override> {
        match name {
            "kind" => self.kind = None,
            "breaking" => self.breaking = None,
            "deprecated" => {
                self.deprecated = None;
                self.replacement = None;
                self.migration = None;
            }
            "replacement" => self.replacement = None,
            "migration" => self.migration = None,
            "exclude" => self.exclude = None,
            other => {
                return Err(crate::error::Error::usage(format!(
                    "--clear {other}: not a field of a mark; give kind, breaking, deprecated, replacement, migration, exclude or nothing (the whole note)"
                )));
            }
        }
        Ok(self)
    }

    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == Override::default()
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
