//! What one commit's own change did to the public API: the files that could
//! hold one, kept from the comparison that read its paths on the worker
//! threads, and, where the worker read it ([`super::units::Reader::deltas`]),
//! what they did unit by unit. Kept with the commit for the attribution walk.

use std::collections::BTreeMap;

use super::{Change, Language};
use crate::history::ChangedPath;

/// Where a source file's API lives: a Go package (its directory) or a Rust
/// crate (the directory above its `src/`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Unit {
    /// The language.
    pub language: Language,
    /// The directory, `/`-terminated (empty at the root).
    pub dir: String,
}

/// What a commit's own change did to the public API, read with its paths on
/// the worker threads, so that the attribution walk does not compare its
/// trees again, nor parse its sources again where the worker did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnApi {
    /// The changed files that could hold an API, in git's order.
    pub files: Box<[ChangedPath]>,
    /// What it did to each unit where it changed or noted something, when
    /// the worker read it (for a keyword feature the API could lower; the
    /// walk parses the others' sources only if it reaches them).
    pub parts: Option<Box<[UnitDelta]>>,
    /// When the parts were read ahead for the attribution walk, what for:
    /// they then hold the units within its scopes only, and of their changes
    /// only those that made a pending one. `None`: every unit, every change.
    pub scoped: Option<std::sync::Arc<ReadAhead>>,
}

/// What the workers read a commit's parts ahead for: the attribution walk
/// of one range, with the net changes it gives away, by name, each with where
/// it lives, and the scopes it starts with (their files, sorted).
#[derive(Debug, PartialEq, Eq)]
pub struct ReadAhead {
    /// The net changes, by name, each with its file (Go) or crate directory (Rust).
    pub pending: BTreeMap<String, (Change, String)>,
    /// The files (crate directories) of the pending changes, sorted, each once.
    pub scopes: Box<[String]>,
}

/// What one commit's change did to one unit's API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDelta {
    /// The unit.
    pub unit: Unit,
    /// The changes, by name.
    pub changes: Box<[Change]>,
    /// Its files that gave no evidence, and why.
    pub notes: Box<[String]>,
}
