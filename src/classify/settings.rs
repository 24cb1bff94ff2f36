//! The settings of classification: the type table, the keyword lists, and
//! what the path rules do with what no rule reads ([`Rules`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Kind;
use super::keywords::Keywords;

/// Every classification rule that is configurable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rules {
    /// Conventional type → kind.
    pub types: TypeTable,
    /// Keyword rules for messages that are not conventional.
    pub keywords: Keywords,
    /// A keyword feature needs tests, docs or an example in the same commit to stay a feature.
    #[serde(skip)]
    pub corroborate: bool,
    /// The monorepo package chosen: only its entries of a change file count.
    #[serde(skip)]
    pub package: Option<String>,
    /// What a commit no rule reads is when it changes shipped code (`[evidence]` in the config).
    #[serde(skip)]
    pub unclassified: Unclassified,
}

/// What a commit that no rule reads, and that changes shipped code, counts as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unclassified {
    /// A patch, at low confidence, listed and warned about (the default).
    #[default]
    Patch,
    /// Nothing: unclassified, as when its paths are not read.
    None,
}

/// Conventional type → kind. Every other rule is fixed; this table is configurable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeTable(pub BTreeMap<String, Kind>);

impl Default for TypeTable {
    fn default() -> Self {
        let mut types = BTreeMap::new();
        for (name, kind) in [
            ("feat", Kind::Feature),
            ("feature", Kind::Feature),
            ("features", Kind::Feature),
            ("fix", Kind::Fix),
            ("bugfix", Kind::Fix),
            ("hotfix", Kind::Fix),
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
