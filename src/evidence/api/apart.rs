//! Units released apart from the repository's own release, whose API is
//! their own release's business, not the version being proposed:
//!
//! - a Rust crate whose own version is not the root's: a workspace member on
//!   its own release line (`regex-syntax` 0.6 beside `regex` 1.7), where the
//!   root `Cargo.toml` has a version (its package's, or the workspace's that
//!   lockstep members inherit with `version.workspace = true`);
//! - a Go package inside a module of its own: a `go.mod` in its directory or
//!   one above it, below the root (Go's own definition of a module).
//!
//! Read at the base release's tree where the unit is there, else at HEAD's:
//! a member that leaves the lockstep inside the range was released with the
//! root up to the base.

use std::collections::BTreeMap;

use super::Language;
use super::own::Unit;
use crate::error::Result;
use crate::evidence::manifests::{PackageVersion, cargo_versions};
use crate::history::{ObjectId, Objects, file_in};

/// Largest `Cargo.toml` or `go.mod` read; a larger one is read as absent.
const MANIFEST_LIMIT: usize = 1 << 20;

/// What a `Cargo.toml` declares: its package's version, its workspace's.
type Versions = (Option<PackageVersion>, Option<String>);

/// The units among `units` released apart, each with why (one line), read
/// between the trees `base` (the release's, when there is one) and `head`.
///
/// # Errors
///
/// A repository error when a tree or blob cannot be read.
pub fn units_apart<'u>(
    objects: &dyn Objects,
    units: impl IntoIterator<Item = &'u Unit>,
    (base, head): (Option<ObjectId>, ObjectId),
) -> Result<BTreeMap<Unit, String>> {
    let mut apart = BTreeMap::new();
    let trees: Vec<ObjectId> = base.into_iter().chain([head]).collect();
    let mut roots: BTreeMap<ObjectId, Option<String>> = BTreeMap::new();
    let mut seen = BTreeMap::new();
    for unit in units {
        if unit.dir.is_empty() {
            continue;
        }
        let why = match unit.language {
            Language::Go => go_module_of(objects, &unit.dir, &trees, &mut seen)?.map(|m| {
                format!(
                    "{} is a Go module of its own ({m}go.mod): its API is not this release's",
                    unit.dir
                )
            }),
            Language::Rust => {
                let mut why = None;
                for &tree in &trees {
                    let Some(own) = crate_version(objects, tree, &unit.dir)? else {
                        continue;
                    };
                    let root = match roots.get(&tree) {
                        Some(root) => root.clone(),
                        None => {
                            let root = root_version(objects, tree)?;
                            roots.insert(tree, root.clone());
                            root
                        }
                    };
                    if let Some(root) = root
                        && own.as_deref() != Some(root.as_str())
                    {
                        why = Some(format!(
                            "{} is a crate released apart (version {}, the root's {root}): its API is not this release's",
                            unit.dir,
                            own.as_deref().unwrap_or("unset")
                        ));
                    }
                    break;
                }
                why
            }
        };
        if let Some(why) = why {
            apart.insert(unit.clone(), why);
        }
    }
    Ok(apart)
}

/// The directory (`/`-terminated) of the `go.mod` that makes `dir` part of a
/// module of its own, in one of `trees`: `dir` itself or a directory above it,
/// the root left out. `seen` keeps each directory's answer: units share them.
fn go_module_of(
    objects: &dyn Objects,
    dir: &str,
    trees: &[ObjectId],
    seen: &mut BTreeMap<String, Option<String>>,
) -> Result<Option<String>> {
    let dir = dir.trim_end_matches('/');
    // The directories from the top down to `dir`, each answered from the one above.
    let mut found = None;
    for (at, _) in dir.match_indices('/').chain([(dir.len(), "")]) {
        let step = &dir[..at];
        if step.is_empty() {
            continue;
        }
        if let Some(known) = seen.get(step) {
            found = known.clone();
            continue;
        }
        if found.is_none() {
            for &tree in trees {
                let path = format!("{step}/go.mod");
                if file_in(objects, tree, &path, MANIFEST_LIMIT)?.is_some() {
                    found = Some(format!("{step}/"));
                    break;
                }
            }
        }
        seen.insert(step.to_string(), found.clone());
    }
    Ok(found)
}

/// The versions `path`'s `Cargo.toml` declares in `tree` (see
/// [`cargo_versions`]); `None` when absent, no file, too large or not TOML.
fn versions_at(objects: &dyn Objects, tree: ObjectId, path: &str) -> Result<Option<Versions>> {
    Ok(file_in(objects, tree, path, MANIFEST_LIMIT)?.and_then(|bytes| cargo_versions(&bytes)))
}

/// A crate's own version in `tree`: `None` when `dir` has no readable
/// `Cargo.toml` with a `[package]`; `Some(None)` when it declares none.
fn crate_version(
    objects: &dyn Objects,
    tree: ObjectId,
    dir: &str,
) -> Result<Option<Option<String>>> {
    let Some((Some(package), _)) = versions_at(objects, tree, &format!("{dir}Cargo.toml"))? else {
        return Ok(None);
    };
    Ok(Some(match package {
        PackageVersion::Own(v) => Some(v),
        // The workspace's, which is the root's.
        PackageVersion::Inherited => root_version(objects, tree)?,
        PackageVersion::Unset => None,
    }))
}

/// The root `Cargo.toml`'s version in `tree`: its package's, else the
/// workspace's (`[workspace.package] version`); `None` when it has neither.
fn root_version(objects: &dyn Objects, tree: ObjectId) -> Result<Option<String>> {
    let Some((package, workspace)) = versions_at(objects, tree, "Cargo.toml")? else {
        return Ok(None);
    };
    Ok(match package {
        Some(PackageVersion::Own(v)) => Some(v),
        _ => workspace,
    })
}
