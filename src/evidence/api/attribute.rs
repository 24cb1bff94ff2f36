//! Attributing a range's net API changes to the commits that made them:
//! the pure decisions of the API pass ([`crate::pipeline`]'s), kept beside
//! the surface they describe. Which files a commit changed within some
//! scopes (files, or directories ending in `/`), where to look for the
//! changes still unattributed, and whether a commit's own change to an item
//! is the one that left it as the range left it.

use std::collections::BTreeMap;

use super::{Change, ChangeKind};
use crate::error::Result;
pub use crate::history::ChangedFiles;
use crate::history::{self, Action, CHANGES_READ, ChangedPath, ObjectId, Objects, Visitor};

/// A visitor recording the changed files within some scopes: files, or
/// directories ending in `/` (all, when `scopes` is `None`).
struct Within<'a> {
    scopes: Option<&'a [String]>,
    changed: ChangedFiles,
}

/// Whether `path` is within `scope` (a file, or a directory ending in `/`).
pub fn within(path: &str, scope: &str) -> bool {
    path == scope || (scope.is_empty() || scope.ends_with('/')) && path.starts_with(scope)
}

impl Visitor for Within<'_> {
    fn descend(&mut self, dir: &str) -> bool {
        self.scopes
            .is_none_or(|scopes| scopes.iter().any(|s| s.starts_with(dir) || within(dir, s)))
    }

    fn visit(&mut self, change: history::Change<'_>) -> Action {
        let inside = self
            .scopes
            .is_none_or(|scopes| scopes.iter().any(|s| within(change.path, s)));
        if inside {
            if self.changed.files.len() == CHANGES_READ {
                self.changed.cut = true;
                return Action::Cancel;
            }
            self.changed.files.push(ChangedPath {
                path: change.path.to_string(),
                old: change.old,
                new: change.new,
            });
        }
        Action::Continue
    }
}

/// The files of `files` within `scopes` (files, or directories ending in
/// `/`), in their order: what [`changed_files`] finds within the same scopes
/// when `files` are every file that could hold an API a comparison changed.
pub fn kept_within(files: &[ChangedPath], scopes: &[String]) -> Vec<ChangedPath> {
    files
        .iter()
        .filter(|f| scopes.iter().any(|s| within(&f.path, s)))
        .cloned()
        .collect()
}

/// Whether a commit's change to an item is the one that left it as the range left it.
pub fn made(net: &Change, by: &Change) -> bool {
    match net.change {
        ChangeKind::Added => by.change == ChangeKind::Added,
        ChangeKind::Removed => by.change == ChangeKind::Removed,
        ChangeKind::Changed => by.after == net.after,
    }
}

/// The directory of a path, ending in `/` (empty at the root).
pub fn dir_of(path: &str) -> String {
    path.rsplit_once('/')
        .map_or(String::new(), |(dir, _)| format!("{dir}/"))
}

/// Where the walk looks for the pending changes: their files (their
/// directories when `wide`), sorted, each once.
pub fn scopes_of(pending: &BTreeMap<String, (Change, String)>, wide: bool) -> Vec<String> {
    let mut scopes: Vec<String> = pending
        .values()
        .map(|(_, origin)| {
            if wide && !origin.ends_with('/') {
                dir_of(origin)
            } else {
                origin.clone()
            }
        })
        .collect();
    scopes.sort();
    scopes.dedup();
    scopes
}

/// The files that differ between `new` and `old`, within `scopes` when given;
/// at most [`CHANGES_READ`] of them (`cut` says when there were more).
///
/// # Errors
///
/// A repository error when a tree cannot be read.
pub fn changed_files(
    objects: &dyn Objects,
    new: ObjectId,
    old: Option<ObjectId>,
    scopes: Option<&[String]>,
) -> Result<ChangedFiles> {
    let mut within = Within {
        scopes,
        changed: ChangedFiles::default(),
    };
    objects.compare(new, old, &mut within)?;
    Ok(within.changed)
}
