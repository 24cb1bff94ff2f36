//! Walking the history: commit-time order, as git walks it.
//!
//! Owns the walk from HEAD to the base release (or over the whole history),
//! reading each commit from the object database exactly once, or not at all
//! when git's commit-graph file gives its parents, time and tree, and the
//! package filter over it. The walk hides the base release, so its cost grows
//! with the range since the last release, not with the whole history. The
//! ranges callers ask for are in [`super::range`].

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use git2::{Oid, Repository};

use super::ids::{Key, OidHash};
use super::pack::{SharedReader, object_bytes};
use super::read::{Entry, ReadCommit};
use super::trees::{Action, PackagePaths, Trees};
use super::{ObjectId, Repo};
use crate::error::Result;

/// How a range is put together, for the warnings about merged histories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// Every merge walked (following every parent), newest first.
    pub merges: Vec<Merge>,
    /// Walked commits without a parent: roots of histories the range brings.
    pub roots: Vec<ObjectId>,
    /// Walked commits whose time is before the base release's commit.
    pub older_than_base: usize,
}

/// A merge commit and its first two parents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// The merge.
    pub id: ObjectId,
    /// The branch merged into.
    pub first: ObjectId,
    /// The branch merged.
    pub second: ObjectId,
}

/// What a walk covers: the commits `head` reaches and neither `base` nor `hide` does.
#[derive(Clone, Copy)]
pub(super) struct Scope<'a> {
    pub(super) head: Oid,
    pub(super) base: Option<Oid>,
    pub(super) hide: &'a [Oid],
    pub(super) first_parent: bool,
    pub(super) shallow: bool,
}

/// How a walk ended.
#[derive(Debug, Default)]
pub(super) struct WalkEnd {
    pub(super) found_base: bool,
    pub(super) cut: bool,
    /// Commits visited before a late uninteresting mark reached them, by their
    /// place in the order the walk handed commits on (0 for the first).
    pub(super) dropped: HashSet<usize>,
}

/// What a range walk found.
#[derive(Debug)]
pub(super) struct Walk<T> {
    pub(super) commits: Vec<T>,
    pub(super) merges: usize,
    /// Some walked commit has the hidden base as a parent: HEAD contains the base.
    pub(super) found_base: bool,
    /// The walk reached a shallow clone's cut: commits may be missing.
    pub(super) cut: bool,
    /// Its merges, roots and old commits.
    pub(super) shape: Shape,
}

/// The state of a commit-time-ordered walk: a max-heap of commits read but not
/// yet visited, and the marks of every commit seen.
#[derive(Default)]
struct Walker<'r> {
    /// Parents and times come from here when it holds the commit, not from reading it.
    graph: Option<&'r gix_commitgraph::Graph>,
    /// Where commits the commit-graph lacks are read from as bytes; `None` in a
    /// shallow clone, whose cut commits libgit2 reads without their absent
    /// parents, and where replace refs or grafts may change parents.
    odb: Option<git2::Odb<'r>>,
    /// Read before `odb` (and `None` where it is): the pack files, without libgit2's locks.
    pack: Option<SharedReader>,
    heap: std::collections::BinaryHeap<(i64, std::cmp::Reverse<u64>, Oid)>,
    pending: HashMap<Key, Entry<'r>, OidHash>,
    marks: HashMap<Key, Mark, OidHash>,
    /// Commits in the heap still marked interesting: the walk goes on while any remain.
    interesting: usize,
    seq: u64,
}

/// How many uninteresting commits the walk reads past the last interesting
/// one before it stops, as git (`SLOP` in git's revision.c).
const SLOP: u32 = 5;

#[derive(Clone, Copy)]
struct Mark {
    uninteresting: bool,
    visited: bool,
    /// Its place in the order the walk handed commits on, plus one; 0 when not
    /// handed on (32 bits keep the mark small: no history has four billion commits).
    reported: u32,
}

impl<'r> Walker<'r> {
    /// Reads `oid` (once) and queues it, or updates the mark of a commit already seen.
    fn push(&mut self, repo: &'r Repo, oid: Oid, uninteresting: bool) -> Result<()> {
        if let Some(mark) = self.marks.get_mut(&Key(oid)) {
            if uninteresting && !mark.uninteresting {
                mark.uninteresting = true;
                if mark.visited {
                    // A late mark on a commit already visited: pass it on to its ancestors.
                    mark.visited = false;
                    let (time, entry) = self.entry(repo, oid)?;
                    self.queue(oid, time, entry);
                } else {
                    self.interesting -= 1;
                }
            }
            return Ok(());
        }
        let (time, entry) = self.entry(repo, oid)?;
        self.marks.insert(
            Key(oid),
            Mark {
                uninteresting,
                visited: false,
                reported: 0,
            },
        );
        if !uninteresting {
            self.interesting += 1;
        }
        self.queue(oid, time, entry);
        Ok(())
    }

    /// The commit's time and parents: from the commit-graph when it holds the
    /// commit, else by reading the commit.
    fn entry(&self, repo: &'r Repo, oid: Oid) -> Result<(i64, Entry<'r>)> {
        if let Some(graph) = self.graph
            && let Some(found) = graph_entry(graph, oid)
        {
            return Ok(found);
        }
        // The object's bytes (from the packs, else through libgit2's object
        // database), its header read here and its message on another thread:
        // libgit2 would parse and keep every field of every commit.
        let bytes = object_bytes(
            self.pack.as_ref(),
            self.odb.as_ref(),
            oid,
            git2::ObjectType::Commit,
        );
        if let Some(data) = bytes
            && let Some((tree, parents, time)) = super::read::header(&data)
        {
            return Ok((
                time,
                Entry::Raw {
                    parents,
                    tree,
                    data,
                },
            ));
        }
        let commit = repo.read_commit(oid)?;
        Ok((commit.time().seconds(), Entry::Read(commit)))
    }

    fn queue(&mut self, oid: Oid, time: i64, entry: Entry<'r>) {
        self.seq += 1;
        self.heap.push((time, std::cmp::Reverse(self.seq), oid));
        self.pending.insert(Key(oid), entry);
    }

    /// The tree of `oid`: from its queued entry or the commit-graph when either
    /// has it, else read; `None` when the commit is missing (a shallow clone's cut).
    fn tree_of(&self, repo: &Repo, oid: Oid) -> Option<Oid> {
        if let Some(entry) = self.pending.get(&Key(oid)) {
            return Some(entry.tree_id());
        }
        if let Some(graph) = self.graph
            && let Some((_, entry)) = graph_entry(graph, oid)
        {
            return Some(entry.tree_id());
        }
        repo.read_commit(oid).ok().map(|c| c.tree_id())
    }

    /// The newest queued commit and its time (children before parents on equal times).
    fn pop(&mut self) -> Option<(Oid, i64, Entry<'r>)> {
        let (time, _, oid) = self.heap.pop()?;
        let entry = self.pending.remove(&Key(oid))?;
        let mark = self.marks.get_mut(&Key(oid))?;
        if !mark.uninteresting {
            self.interesting -= 1;
        }
        mark.visited = true;
        Some((oid, time, entry))
    }

    /// Whether the walk must go on after an uninteresting commit, as git's own
    /// (`still_interesting` in git's revision.c): while an interesting commit is
    /// queued, or a queued one is no older than the last commit handed on
    /// (`last`); else for a few more (`slop`), so that a mark held up by a skewed
    /// clock still reaches what it hides. Returns the slop left, 0 to stop.
    fn still_interesting(&self, last: i64, slop: u32) -> u32 {
        match self.heap.peek() {
            None => 0,
            Some((next, _, _)) if last <= *next => SLOP,
            Some(_) if self.interesting > 0 => SLOP,
            Some(_) => slop.saturating_sub(1),
        }
    }
}

/// A commit's time and parents from the commit-graph, when it holds the commit.
fn graph_entry<'r>(graph: &gix_commitgraph::Graph, oid: Oid) -> Option<(i64, Entry<'r>)> {
    let id = gix_hash::oid::try_from_bytes(oid.as_bytes()).ok()?;
    let commit = graph.commit_by_id(id)?;
    let time = i64::try_from(commit.committer_timestamp()).ok()?;
    let parents = commit
        .iter_parents()
        .map(|p| {
            let p = p.ok()?;
            Oid::from_bytes(graph.id_at(p).as_bytes()).ok()
        })
        .collect::<Option<Vec<Oid>>>()?;
    let tree = Oid::from_bytes(commit.root_tree_id().as_bytes()).ok()?;
    Some((time, Entry::Graph { parents, tree }))
}

/// A commit's committer time, from the commit-graph, when it holds the commit.
pub(super) fn graph_time(graph: &gix_commitgraph::Graph, oid: Oid) -> Option<i64> {
    let id = gix_hash::oid::try_from_bytes(oid.as_bytes()).ok()?;
    i64::try_from(graph.commit_by_id(id)?.committer_timestamp()).ok()
}

/// A commit's tree and its first parent's, from the commit-graph, when it holds the commit.
pub(super) fn graph_trees(graph: &gix_commitgraph::Graph, oid: Oid) -> Option<(Oid, Option<Oid>)> {
    let id = gix_hash::oid::try_from_bytes(oid.as_bytes()).ok()?;
    let commit = graph.commit_by_id(id)?;
    let tree = Oid::from_bytes(commit.root_tree_id().as_bytes()).ok()?;
    let parent = match commit.iter_parents().next() {
        None => None,
        Some(p) => {
            let parent = graph.commit_at(p.ok()?);
            Some(Oid::from_bytes(parent.root_tree_id().as_bytes()).ok()?)
        }
    };
    Some((tree, parent))
}

/// A package's path filter over the walk: the tree comparison engine with the
/// [`PackagePaths`] visitor, and the trees it read last (the next commit is
/// usually the parent). Only used when a package is chosen: without one, no tree is read.
pub(super) struct PathFilter<'r> {
    trees: Trees<'r>,
    paths: PackagePaths,
}

impl<'r> PathFilter<'r> {
    /// The filter for `paths`; none when there are none.
    pub(super) fn of(
        repo: &'r Repository,
        pack: Option<SharedReader>,
        paths: &[String],
    ) -> Result<Option<Self>> {
        if paths.is_empty() {
            return Ok(None);
        }
        Ok(Some(Self {
            trees: Trees::new(repo, pack),
            paths: PackagePaths::new(paths)?,
        }))
    }

    /// Whether the commit `entry` (whose first parent has the tree `parent`)
    /// passes `filter`: without one every commit does, and a tree that cannot be
    /// read counts as a change.
    pub(super) fn passes(
        filter: &mut Option<Self>,
        entry: &Entry<'_>,
        parent: Option<Oid>,
    ) -> bool {
        filter.as_mut().is_none_or(|f| {
            f.trees
                .compare(Some(entry.tree_id()), parent, &mut f.paths)
                .map_or(true, |a| a == Action::Cancel)
        })
    }
}

/// What the walk calls for each commit it hands on: its id, its entry, the
/// parents followed, and (when asked) its first parent's tree.
type Visit<'v> = dyn FnMut(Oid, Entry<'_>, &[Oid], Option<Oid>, i64) + 'v;

impl Repo {
    /// git's commit-graph file (`objects/info/commit-graph` or a chain under
    /// `objects/info/commit-graphs`), when there is one git itself would use:
    /// not when `core.commitGraph` is off, and not when replace refs or grafts
    /// change what the parents are. One that cannot be read is passed over.
    pub(super) fn commit_graph(&self) -> Option<&gix_commitgraph::Graph> {
        self.graph
            .get_or_init(|| {
                let enabled = self
                    .repo
                    .config()
                    .ok()
                    .and_then(|c| c.get_bool("core.commitGraph").ok())
                    .unwrap_or(true);
                let common = self.repo.commondir();
                if !enabled || self.parents_replaced() {
                    return None;
                }
                gix_commitgraph::at(common.join("objects/info"), gix_hash::Kind::Sha1, None).ok()
            })
            .as_ref()
    }

    /// Whether replace refs or grafts (`info/grafts`) may make a commit's
    /// parents other than its object says: its bytes are then not read alone.
    /// Read once per repository.
    pub(super) fn parents_replaced(&self) -> bool {
        *self.replaced.get_or_init(|| {
            let replaced = self
                .repo
                .references_glob("refs/replace/*")
                .is_ok_and(|mut refs| refs.next().is_some());
            replaced || self.repo.commondir().join("info/grafts").exists()
        })
    }

    /// The commits at which a shallow clone was cut (their parents are absent).
    fn shallow_boundary(&self) -> HashSet<Oid> {
        let path: PathBuf = self.repo.commondir().join("shallow");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| Oid::from_str(line.trim()).ok())
            .collect()
    }

    /// Visits the commits reachable from `head` and from none of `base` and
    /// `hide`, newest first, each read from the object database exactly once;
    /// `visit` gets every such commit (merges too) with the parents followed,
    /// and, when `parent_trees` is set, its first parent's tree (from the parent's
    /// queued entry or the commit-graph when either has it).
    ///
    /// A walk in commit-time order, as git's own: commits reachable from a hidden
    /// commit are marked uninteresting and pass the mark on to their parents;
    /// the walk stops, as git's, a few uninteresting commits after the last
    /// interesting one ([`Walker::still_interesting`]). A mark that arrives late
    /// (clock skew) still propagates; the commits it reaches after their visit
    /// are returned in `dropped`, for the caller to leave out.
    pub(super) fn walk(
        &self,
        scope: Scope<'_>,
        parent_trees: bool,
        visit: &mut Visit<'_>,
    ) -> Result<WalkEnd> {
        let Scope {
            head,
            base,
            hide,
            first_parent,
            shallow,
        } = scope;
        let cut = if shallow {
            self.shallow_boundary()
        } else {
            HashSet::new()
        };
        let bytes = !(shallow || self.parents_replaced());
        let mut walker = Walker {
            graph: if shallow { None } else { self.commit_graph() },
            odb: if bytes { self.repo.odb().ok() } else { None },
            pack: bytes.then(|| self.pack_reader()),
            ..Walker::default()
        };
        for oid in base.iter().chain(hide) {
            walker.push(self, *oid, true)?;
        }
        walker.push(self, head, false)?;
        let mut end = WalkEnd::default();
        let mut reported: u32 = 0;
        // The time of the last commit handed on, and how far past it the walk may still read.
        let mut last = i64::MAX;
        let mut slop = SLOP;
        while let Some((oid, time, entry)) = walker.pop() {
            let mut parents = entry.parent_ids();
            let uninteresting = walker.marks.get(&Key(oid)).is_some_and(|m| m.uninteresting);
            if uninteresting {
                for parent in parents {
                    walker.push(self, parent, true)?;
                }
                slop = walker.still_interesting(last, slop);
                if slop == 0 {
                    break;
                }
                continue;
            }
            last = time;
            end.cut |= cut.contains(&oid);
            end.found_base |= base.is_some_and(|b| parents.contains(&b));
            if first_parent {
                parents.truncate(1);
            }
            for parent in &parents {
                walker.push(self, *parent, false)?;
            }
            let parent_tree = if parent_trees {
                parents.first().and_then(|p| walker.tree_of(self, *p))
            } else {
                None
            };
            visit(oid, entry, &parents, parent_tree, time);
            reported = reported.saturating_add(1);
            if let Some(mark) = walker.marks.get_mut(&Key(oid)) {
                mark.reported = reported;
            }
        }
        end.dropped = walker
            .marks
            .values()
            .filter(|m| m.reported > 0 && m.uninteresting)
            .map(|m| m.reported as usize - 1)
            .collect();
        Ok(end)
    }

    /// The range walk as owned commits: merges are counted and left out unless
    /// following first parents, commits that change none of `paths` (when given)
    /// are left out, and each kept commit goes through `each`.
    pub(super) fn range<T>(
        &self,
        scope: Scope<'_>,
        paths: &[String],
        keep: &[Oid],
        each: &mut dyn FnMut(ReadCommit) -> T,
    ) -> Result<Walk<T>> {
        let base_time = match scope.base {
            Some(base) => Some(self.read_commit(base)?.time().seconds()),
            None => None,
        };
        let mut shape = Shape::default();
        let mut kept: Vec<T> = Vec::new();
        // The places (in the walk's order) of the commits not kept: with them, the
        // place of each kept commit is known without holding its id.
        let mut passed: Vec<usize> = Vec::new();
        let mut visits = 0;
        let mut merges = 0;
        let first_parent = scope.first_parent;
        let mut filter = PathFilter::of(&self.repo, Some(self.pack_reader()), paths)?;
        let end = self.walk(
            scope,
            true,
            &mut |oid, entry, parents, parent_tree, time| {
                shape.older_than_base += usize::from(base_time.is_some_and(|b| time < b));
                if parents.is_empty() {
                    shape.roots.push(ObjectId(oid));
                }
                let merge = entry.parent_count() > 1 && !first_parent;
                if merge {
                    shape.merges.push(Merge {
                        id: ObjectId(oid),
                        first: ObjectId(parents[0]),
                        second: ObjectId(parents[1]),
                    });
                }
                if merge && !keep.contains(&oid) {
                    merges += 1;
                    passed.push(visits);
                } else if PathFilter::passes(&mut filter, &entry, parent_tree) {
                    kept.push(each(ReadCommit::new(oid, entry, parent_tree, time)));
                } else {
                    passed.push(visits);
                }
                visits += 1;
            },
        )?;
        if !end.dropped.is_empty() {
            let mut passed = passed.into_iter().peekable();
            let places = (0..visits).filter(|place| {
                let skip = passed.peek() == Some(place);
                if skip {
                    passed.next();
                }
                !skip
            });
            kept = kept
                .into_iter()
                .zip(places)
                .filter(|(_, place)| !end.dropped.contains(place))
                .map(|(commit, _)| commit)
                .collect();
        }
        Ok(Walk {
            commits: kept,
            merges,
            found_base: end.found_base,
            cut: end.cut,
            shape,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::ids::oid;

    /// A linear history of `messages` on HEAD, one minute apart.
    fn commit_all(repo: &Repository, messages: &[&str], start: i64) {
        let tree = repo
            .find_tree(repo.index().unwrap().write_tree().unwrap())
            .unwrap();
        for (i, message) in (0..).zip(messages) {
            let time = git2::Time::new(start + 60 * i, 0);
            let who = git2::Signature::new("T", "t@example.com", &time).unwrap();
            let parent = repo.head().ok().map(|h| h.peel_to_commit().unwrap());
            let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
            repo.commit(Some("HEAD"), &who, &who, message, &tree, &parents)
                .unwrap();
        }
    }

    /// A walk over every commit HEAD reaches.
    fn everything(repo: &Repo) -> Scope<'static> {
        Scope {
            head: oid(&repo.head().unwrap().commit).unwrap(),
            base: None,
            hide: &[],
            first_parent: false,
            shallow: false,
        }
    }

    /// For each commit the walk visits, newest first: whether its parents came from
    /// the commit-graph. Checks the trees the walk gives against the commits' own.
    fn from_graph(repo: &Repo, parent_trees: bool) -> Vec<bool> {
        let scope = everything(repo);
        let mut out = Vec::new();
        repo.walk(scope, parent_trees, &mut |oid, entry, _, parent_tree, _| {
            let commit = repo.repo.find_commit(oid).unwrap();
            assert_eq!(entry.tree_id(), commit.tree_id());
            let parent = commit.parent(0).ok().map(|p| p.tree_id());
            assert_eq!(parent_tree, parent.filter(|_| parent_trees));
            out.push(matches!(entry, Entry::Graph { .. }));
        })
        .unwrap();
        out
    }

    #[test]
    fn the_walk_takes_parents_from_the_commit_graph_and_reads_the_commits_it_lacks() {
        let dir = tempfile::tempdir().unwrap();
        let git = Repository::init(dir.path()).unwrap();
        commit_all(&git, &["one", "two", "three"], 1_700_000_000);
        let status = std::process::Command::new("git")
            .args(["commit-graph", "write", "--reachable"])
            .current_dir(dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        commit_all(&git, &["four", "five"], 1_700_001_000);

        let repo = Repo::open(dir.path()).unwrap();
        assert_eq!(from_graph(&repo, false), [false, false, true, true, true]);
        // A path filter takes the trees from the commit-graph too.
        assert_eq!(from_graph(&repo, true), [false, false, true, true, true]);
        // What the walk did not read is read when decoded.
        let mut messages = Vec::new();
        let reader = repo.reader();
        let scope = everything(&repo);
        repo.walk(scope, false, &mut |oid, entry, _, _, _| {
            let raw = ReadCommit::new(oid, entry, None, 0)
                .decode(&reader)
                .unwrap();
            assert_eq!(raw.id, oid.to_string());
            messages.push(raw.message);
        })
        .unwrap();
        assert_eq!(messages, ["five", "four", "three", "two", "one"]);

        // core.commitGraph = false: git would not use the file, and neither does bumpwise.
        git.config()
            .unwrap()
            .set_bool("core.commitGraph", false)
            .unwrap();
        assert_eq!(
            from_graph(&Repo::open(dir.path()).unwrap(), false),
            [false; 5]
        );
    }
}
