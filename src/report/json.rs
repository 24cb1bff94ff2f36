//! The JSON contract: every document's `schema_version` in one place, and the
//! borrowed view each commit is written through.
//!
//! A document's shape changes only on purpose: the tests mirror each one with
//! `deny_unknown_fields`, and an incompatible change bumps its version here.
//! Commits are written as [`CommitJson`], a view of the one per-commit record
//! ([`Classified`]) with the derived fields the contract lists (`short_id`,
//! `description`, `rule_text`, `effective_kind`, the `paths` classes) made
//! when written, not stored.

use serde::{Serialize, Serializer};

use crate::classify::{Classified, Confidence, Deprecation, Kind, Rule};
use crate::evidence::PathClass;
use crate::evidence::message::Hex;

/// The shape of `next --format json` and `explain --format json` (one report,
/// or `{schema_version, packages}` for every package).
pub const REPORT_SCHEMA: u32 = 1;
/// The shape of `changelog --format json`.
pub const CHANGELOG_SCHEMA: u32 = 1;
/// The shape of `deprecations --format json`.
pub const DEPRECATIONS_SCHEMA: u32 = 1;
/// The shape of `check --format json`.
pub const CHECK_SCHEMA: u32 = 1;
/// The shape of `backtest --format json`.
pub const BACKTEST_SCHEMA: u32 = 1;
/// The shape of `plan --format json`.
pub const PLAN_SCHEMA: u32 = 1;

/// The JSON shape of one commit, field for field in the contract's order.
#[derive(Serialize)]
pub struct CommitJson<'a> {
    id: Hex<'a>,
    short_id: Hex<'a>,
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
    paths: Option<Vec<PathClass>>,
    api: &'a [crate::evidence::api::Change],
}

impl<'a> From<&'a Classified> for CommitJson<'a> {
    fn from(c: &'a Classified) -> Self {
        CommitJson {
            id: c.id(),
            short_id: c.short_id(),
            subject: c.subject(),
            description: c.description(),
            kind: c.kind,
            effective_kind: c.effective_kind(),
            rule: &c.rule,
            rule_text: c.rule_text(),
            confidence: c.confidence,
            possibly_breaking: c.possibly_breaking,
            via_pull_request: c.via_pull_request,
            excluded: c.excluded,
            conventional_type: c.conventional_type(),
            scope: c.scope(),
            merge: c.merge(),
            security: c.security,
            dependency: c.dependency,
            breaking: c.breaking.as_deref(),
            deprecation: c.deprecation.as_deref(),
            reverts: c.reverts(),
            reverted_by: c.reverted_by(),
            paths: c.paths.map(|classes| classes.iter().collect()),
            api: c.api.as_deref().map_or(&[], Vec::as_slice),
        }
    }
}

impl Serialize for Classified {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CommitJson::from(self).serialize(serializer)
    }
}
