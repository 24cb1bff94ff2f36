//! Merged histories: a foreign one (with a root of its own) is left out, and
//! a merged side whose commits mostly predate the base release is named.
//!
//! A merge whose second parent brings a history with its own root (merged
//! with `--allow-unrelated-histories`) shipped elsewhere, if at all: the
//! commits only it brings are left out, the merge itself is read by its own
//! message and the paths it changed itself (those that differ from both
//! parents, `evidence::paths::read_merge`), and a warning names it. A side that shares history with the main
//! line cannot be told from a long-lived branch, so it is kept; when most of
//! its commits are older than the base release (a library forked long ago and
//! merged back), a warning names the merge and the `--exclude-reachable` that
//! leaves it out. Only the range's own merges are looked at, and only when the
//! walk found a root or many old commits: the usual range costs nothing here.

use crate::error::Result;
use crate::evidence::message::short_id;
use crate::history::{Merge, Repo, Shape, WalkOptions};

/// Fewer old commits than this in a range are no reason to look at its merges.
const OLD_ENOUGH: usize = 10;
/// The merges looked at, newest first, for an old side.
const MERGES_LOOKED_AT: usize = 64;

/// The merges of a range that bring a history with its own root.
///
/// # Errors
///
/// A repository error on a git failure.
pub fn foreign(repo: &Repo, shape: &Shape) -> Result<Vec<Merge>> {
    let mut out: Vec<Merge> = Vec::new();
    for root in &shape.roots {
        let root = root.to_string();
        for merge in &shape.merges {
            if out.iter().any(|m| m.id == merge.id) {
                continue;
            }
            if repo.contains(&merge.second.to_string(), &root)?
                && !repo.contains(&merge.first.to_string(), &root)?
            {
                out.push(*merge);
                break;
            }
        }
    }
    Ok(out)
}

/// `options` with the foreign merges' histories left out and the merges kept as commits.
pub fn without(options: &WalkOptions, foreign: &[Merge]) -> WalkOptions {
    let mut options = options.clone();
    for merge in foreign {
        options.exclude.push(merge.second.to_string());
        options.keep_merges.push(merge.id.to_string());
    }
    options
}

/// The warning about a foreign merge whose `left_out` commits were left out.
pub fn foreign_warning(repo: &Repo, merge: &Merge, left_out: usize) -> String {
    let id = merge.id.to_string();
    format!(
        "merge {} ({}) brings a history with a root of its own: its {left_out} commit(s) were left out, and the merge is read by its own message; --include-foreign keeps them",
        short_id(&id),
        repo.subject(&id).unwrap_or_default()
    )
}

/// A warning naming the merge whose side brings most of the range's commits
/// older than the base release, when most of the range is that old.
///
/// # Errors
///
/// A repository error on a git failure.
pub fn old_side(
    repo: &Repo,
    shape: &Shape,
    total: usize,
    base: (&str, &str),
    options: &WalkOptions,
) -> Result<Option<String>> {
    let (base_tag, base_commit) = base;
    if shape.older_than_base < OLD_ENOUGH || shape.older_than_base * 2 <= total {
        return Ok(None);
    }
    let base_time = repo.commit_time(base_commit)?;
    let mut side_options = options.clone();
    side_options.exclude.push(base_commit.to_string());
    side_options.keep_merges.clear();
    let mut worst: Option<(Merge, usize, usize)> = None;
    for merge in shape.merges.iter().take(MERGES_LOOKED_AT) {
        let side = repo.commits(
            &merge.second.to_string(),
            Some(&merge.first.to_string()),
            &side_options,
            |read| read.time() < base_time,
        )?;
        let old = side.commits.iter().filter(|old| **old).count();
        if worst.is_none_or(|(_, most, _)| old > most) {
            worst = Some((*merge, old, side.commits.len()));
        }
    }
    let Some((merge, old, brought)) = worst.filter(|(_, old, _)| *old >= OLD_ENOUGH) else {
        return Ok(None);
    };
    let (id, second) = (merge.id.to_string(), merge.second.to_string());
    let rev = &second[..12.min(second.len())];
    Ok(Some(format!(
        "merge {} ({}) brings {brought} commit(s), {old} of them older than {base_tag}: if they shipped before (a history merged back), leave them out with --exclude-reachable {rev} (exclude_reachable = [\"{rev}\"] in bumpwise.toml)",
        short_id(&id),
        repo.subject(&id).unwrap_or_default()
    )))
}
