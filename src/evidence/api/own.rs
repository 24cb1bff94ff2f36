//! What one commit's own change did to the public API: the files that could
//! hold one, kept from the comparison that read its paths on the worker
//! threads, and, where the worker read it ([`super::units::Reader::deltas`]),
//! what they did unit by unit. Kept with the commit for the attribution walk.

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
