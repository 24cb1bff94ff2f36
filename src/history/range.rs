//! The ranges bumpwise reads, each walked once, all taking one [`WalkOptions`]:
//! the range since a candidate base release (which also proves the candidate
//! reachable), everything when there is no release, `from..to`, and the whole
//! history as a graph for the notes of every release.

use super::ids::oid;
use super::read::ReadCommit;
use super::refs::Peeled;
pub use super::walk::{Merge, Shape};
use super::walk::{PathFilter, Scope};
use super::{Head, ObjectId, Repo, shallow_error};
use crate::error::Result;

/// How to walk the history: the same for every entry point.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// Follow only the first parent of merges.
    pub first_parent: bool,
    /// Revisions whose history is left out of the range.
    pub exclude: Vec<String>,
    /// Only commits that touch these paths (git pathspecs) are kept; empty: all.
    pub paths: Vec<String>,
    /// Merge commits kept as commits of their own (a merge is otherwise left
    /// out unless following first parents), by full id.
    pub keep_merges: Vec<String>,
}

/// The commits of a range, newest first, each as the walk's caller made it
/// from a [`ReadCommit`] (merges left out unless following the first parent only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range<T> {
    /// The commits kept.
    pub commits: Vec<T>,
    /// Merge commits left out of `commits`.
    pub merges: usize,
    /// How the range is put together.
    pub shape: Shape,
}

/// Where a candidate base release stands relative to HEAD.
#[derive(Debug)]
pub enum Candidate<T> {
    /// HEAD is the tagged commit or one of its descendants: the range since it was walked.
    Reachable {
        /// The tagged commit's full id.
        commit: String,
        /// The commits since it.
        range: Range<T>,
    },
    /// HEAD does not contain the tagged commit.
    Unreachable,
    /// The tag points at a tree or a blob, not a commit.
    NotACommit,
    /// The tagged object is not in the repository.
    Missing,
}

/// A commit of the whole history, with the parents the walk followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node<T> {
    /// The id.
    pub id: ObjectId,
    /// The parents' ids (the first only, following first parents).
    pub parents: Vec<ObjectId>,
    /// What the caller made of the commit; `None` for a merge left out.
    pub commit: Option<T>,
}

impl Repo {
    /// Walks the range since the tag `name` when HEAD contains its commit,
    /// handing each commit to `each`: the walk that hides a candidate also
    /// proves it reachable (HEAD contains it exactly when some walked commit
    /// has it as a parent), so the usual case reads the range once.
    ///
    /// # Errors
    ///
    /// A repository error on a git failure; an incomplete-history error when a
    /// shallow clone cuts the range, or may hide the tagged commit.
    pub fn candidate<T>(
        &self,
        head: &Head,
        name: &str,
        options: &WalkOptions,
        each: &mut dyn FnMut(ReadCommit) -> T,
    ) -> Result<Candidate<T>> {
        let head_oid = oid(&head.commit)?;
        let commit = match self.peel_tag(name)? {
            Some(Peeled::Commit(commit)) => commit,
            Some(Peeled::NotACommit) => return Ok(Candidate::NotACommit),
            Some(Peeled::Missing) | None => return Ok(Candidate::Missing),
        };
        let hide = self.hidden(&options.exclude)?;
        let scope = Scope {
            head: head_oid,
            base: Some(commit),
            hide: &hide,
            first_parent: options.first_parent,
            shallow: self.is_shallow(),
        };
        let keep = self.hidden(&options.keep_merges)?;
        let walk = self.range(scope, &options.paths, &keep, each)?;
        let reachable = commit == head_oid
            || walk.found_base
            || (options.first_parent && !walk.cut && self.descends(head_oid, commit)?);
        match (reachable, walk.cut) {
            (true, false) => Ok(Candidate::Reachable {
                commit: commit.to_string(),
                range: Range {
                    commits: walk.commits,
                    merges: walk.merges,
                    shape: walk.shape,
                },
            }),
            (true, true) => Err(shallow_error(
                "this shallow clone ends inside the range since the last release",
            )),
            (false, true) => Err(shallow_error(&format!(
                "this is a shallow clone and tag {name} is not within its history: it may be the last release"
            ))),
            (false, false) => Ok(Candidate::Unreachable),
        }
    }

    /// Every commit HEAD reaches: the range when there is no release yet.
    ///
    /// # Errors
    ///
    /// A repository error on a git failure; an incomplete-history error when a
    /// shallow clone cuts the range.
    pub fn unreleased<T>(
        &self,
        head: &Head,
        options: &WalkOptions,
        each: &mut dyn FnMut(ReadCommit) -> T,
    ) -> Result<Range<T>> {
        let hide = self.hidden(&options.exclude)?;
        let scope = Scope {
            head: oid(&head.commit)?,
            base: None,
            hide: &hide,
            first_parent: options.first_parent,
            shallow: self.is_shallow(),
        };
        let keep = self.hidden(&options.keep_merges)?;
        let walk = self.range(scope, &options.paths, &keep, each)?;
        if walk.cut {
            return Err(shallow_error(
                "this shallow clone ends inside the range since the last release",
            ));
        }
        Ok(Range {
            commits: walk.commits,
            merges: walk.merges,
            shape: walk.shape,
        })
    }

    /// The commits in `from..to` (all ancestors of `to` when `from` is `None`), newest first.
    ///
    /// # Errors
    ///
    /// A repository error on a git failure; incomplete history when a shallow clone cuts the range.
    pub fn commits<T>(
        &self,
        to: &str,
        from: Option<&str>,
        options: &WalkOptions,
        mut each: impl FnMut(ReadCommit) -> T,
    ) -> Result<Range<T>> {
        let from = from.map(oid).transpose()?;
        let hide = self.hidden(&options.exclude)?;
        let scope = Scope {
            head: oid(to)?,
            base: from,
            hide: &hide,
            first_parent: options.first_parent,
            shallow: self.is_shallow(),
        };
        let keep = self.hidden(&options.keep_merges)?;
        let walk = self.range(scope, &options.paths, &keep, &mut each)?;
        if walk.cut {
            return Err(shallow_error("this shallow clone ends inside the range"));
        }
        Ok(Range {
            commits: walk.commits,
            merges: walk.merges,
            shape: walk.shape,
        })
    }

    /// Every commit reachable from `to` (none reachable from `options.exclude`), read
    /// once each, newest first, with the parents followed: the whole history,
    /// for the release notes of every release. Merges are nodes without a
    /// commit unless following first parents, or unless `merges` asks for
    /// them too (their nodes have more than one parent).
    ///
    /// # Errors
    ///
    /// A repository error on a git failure; incomplete history in a shallow clone.
    pub fn graph<T>(
        &self,
        to: &str,
        options: &WalkOptions,
        merges: bool,
        mut each: impl FnMut(ReadCommit) -> T,
    ) -> Result<Vec<Node<T>>> {
        let first_parent = options.first_parent;
        let hide = self.hidden(&options.exclude)?;
        let mut nodes: Vec<Node<T>> = Vec::new();
        let scope = Scope {
            head: oid(to)?,
            base: None,
            hide: &hide,
            first_parent,
            shallow: self.is_shallow(),
        };
        let mut filter = PathFilter::of(&self.repo, Some(self.pack_reader()), &options.paths)?;
        let end = self.walk(
            scope,
            true,
            &mut |oid, entry, parents, parent_tree, time| {
                let keep = (first_parent || merges || entry.parent_count() <= 1)
                    && PathFilter::passes(&mut filter, &entry, parent_tree);
                nodes.push(Node {
                    id: ObjectId(oid),
                    parents: parents.iter().copied().map(ObjectId).collect(),
                    commit: keep.then(|| each(ReadCommit::new(oid, entry, parent_tree, time))),
                });
            },
        )?;
        if end.cut {
            return Err(shallow_error(
                "this shallow clone does not hold the whole history",
            ));
        }
        Ok(nodes
            .into_iter()
            .enumerate()
            .filter(|(place, _)| !end.dropped.contains(place))
            .map(|(_, node)| node)
            .collect())
    }
}
