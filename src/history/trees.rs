//! Comparing trees: one engine, and visitors that decide what to do with each
//! difference.
//!
//! Owns the comparison of two trees entry by entry in git's order, reading a
//! subtree only when its id changed and the visitor wants to look below it,
//! and keeping the trees it read last (the next commit is usually the parent).
//! A [`Visitor`] sees every changed file and may stop the comparison at the
//! first that matters ([`Action::Cancel`]), as the package filter does, or go
//! on and record them all, as [`Recorder`] does for the evidence stage: the
//! shape of gitoxide's `gix-diff` tree visitor.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository};

use super::ids::{Key, OidHash};
use super::pack::SharedReader;
use super::rawtree::{Entry, RawTree};
use super::{ObjectId, Objects, git_error};
use crate::error::Result;

/// What a visitor says after each change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Go on comparing.
    Continue,
    /// Stop: the comparison has found what it was looking for.
    Cancel,
}

/// One file (a blob, a symbolic link or a submodule) that differs between two trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change<'a> {
    /// Its path from the root, `/`-separated.
    pub path: &'a str,
    /// What it was; `None` when added.
    pub old: Option<ObjectId>,
    /// What it is; `None` when deleted.
    pub new: Option<ObjectId>,
    /// It is a submodule (a gitlink): its ids name commits of another
    /// repository, and what it holds is what its path says.
    pub gitlink: bool,
}

/// What a tree comparison calls back.
pub trait Visitor {
    /// Whether to compare below the directory `dir` (which ends in `/`); the
    /// subtree is not read when this says no.
    fn descend(&mut self, dir: &str) -> bool {
        let _ = dir;
        true
    }

    /// A file that differs.
    fn visit(&mut self, change: Change<'_>) -> Action;
}

/// The most changed files a visitor of one comparison reads before it stops:
/// a few hundred bytes of git objects can name millions of paths (a tree
/// that holds itself twice at each level), and no answer needs them all.
/// Past it, the path evidence takes the commit as changing shipped code and
/// the API gives no evidence, each saying so.
pub const CHANGES_READ: usize = 100_000;

/// A changed file as [`Recorder`] keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedPath {
    /// Its path from the root.
    pub path: String,
    /// What it was; `None` when added.
    pub old: Option<ObjectId>,
    /// What it is; `None` when deleted.
    pub new: Option<ObjectId>,
}

/// The files a comparison changed, as far as it was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedFiles {
    /// The files, in git's order.
    pub files: Vec<ChangedPath>,
    /// Whether there were more than [`CHANGES_READ`], and the rest was not read.
    pub cut: bool,
}

/// A visitor that records every changed file, in git's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorder {
    /// What was recorded.
    pub changes: Vec<ChangedPath>,
}

impl Visitor for Recorder {
    fn visit(&mut self, change: Change<'_>) -> Action {
        self.changes.push(ChangedPath {
            path: change.path.to_string(),
            old: change.old,
            new: change.new,
        });
        Action::Continue
    }
}

/// Trees kept for the next commits before the cache starts over.
const TREES_KEPT: usize = 64;

/// The comparison engine over one repository, with the trees it read last.
pub(super) struct Trees<'r> {
    repo: &'r Repository,
    /// Where trees are read from as bytes (see [`RawTree`]); libgit2 reads them where it cannot be opened.
    odb: Option<git2::Odb<'r>>,
    /// Where trees are read from first: the pack files, without libgit2's locks.
    pack: Option<SharedReader>,
    cache: HashMap<Key, Rc<RawTree>, OidHash>,
}

impl<'r> Trees<'r> {
    pub(super) fn new(repo: &'r Repository, pack: Option<SharedReader>) -> Self {
        Self {
            repo,
            odb: repo.odb().ok(),
            pack,
            cache: HashMap::default(),
        }
    }

    fn tree(&mut self, id: Oid) -> Result<Rc<RawTree>> {
        if let Some(tree) = self.cache.get(&Key(id)) {
            return Ok(Rc::clone(tree));
        }
        let tree = Rc::new(RawTree::read(
            self.repo,
            self.pack.as_ref(),
            self.odb.as_ref(),
            id,
        )?);
        if self.cache.len() >= TREES_KEPT {
            self.cache.clear();
        }
        self.cache.insert(Key(id), Rc::clone(&tree));
        Ok(tree)
    }

    /// Compares the trees `new` and `old` (`None`: the empty tree), calling
    /// `visitor` for every file that differs. Returns [`Action::Cancel`] when
    /// the visitor stopped the comparison.
    ///
    /// # Errors
    ///
    /// A repository error when a tree cannot be read.
    pub(super) fn compare(
        &mut self,
        new: Option<Oid>,
        old: Option<Oid>,
        visitor: &mut dyn Visitor,
    ) -> Result<Action> {
        self.compare_dir(new, old, "", visitor)
    }

    fn compare_dir(
        &mut self,
        new: Option<Oid>,
        old: Option<Oid>,
        dir: &str,
        visitor: &mut dyn Visitor,
    ) -> Result<Action> {
        if new.map(Key) == old.map(Key) {
            return Ok(Action::Continue);
        }
        let new = new.map(|id| self.tree(id)).transpose()?;
        let old = old.map(|id| self.tree(id)).transpose()?;
        let (a, b) = (new.as_deref(), old.as_deref());
        let len = |t: Option<&RawTree>| t.map_or(0, RawTree::len);
        let (mut i, mut j) = (0, 0);
        let (mut a_end, mut b_end) = (len(a), len(b));
        if let (Some(a), Some(b)) = (a, b) {
            // Entries stored alike at either end are unchanged: skipped without reading them.
            while i < a_end && j < b_end && a.bytes(i) == b.bytes(j) {
                (i, j) = (i + 1, j + 1);
            }
            while a_end > i && b_end > j && a.bytes(a_end - 1) == b.bytes(b_end - 1) {
                (a_end, b_end) = (a_end - 1, b_end - 1);
            }
        }
        loop {
            let x = a.filter(|_| i < a_end).and_then(|t| t.at(i));
            let y = b.filter(|_| j < b_end).and_then(|t| t.at(j));
            let order = match (x, y) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(x), Some(y)) => tree_order(&x, &y),
            };
            let (x, y) = match order {
                Ordering::Less => (x, None),
                Ordering::Greater => (None, y),
                Ordering::Equal => (x, y),
            };
            i += usize::from(x.is_some());
            j += usize::from(y.is_some());
            if let (Some(x), Some(y)) = (&x, &y)
                && x.id == y.id
                && x.mode == y.mode
            {
                continue;
            }
            let Some(either) = x.or(y) else {
                continue;
            };
            let path = format!("{dir}{}", String::from_utf8_lossy(either.name));
            let subtree =
                |e: Option<Entry<'_>>| e.filter(Entry::is_tree).map(|e| e.oid()).transpose();
            let (new_tree, old_tree) = (subtree(x)?, subtree(y)?);
            if new_tree.is_some() || old_tree.is_some() {
                let below = format!("{path}/");
                if visitor.descend(&below)
                    && self.compare_dir(new_tree, old_tree, &below, visitor)? == Action::Cancel
                {
                    return Ok(Action::Cancel);
                }
            }
            let file = |e: Option<Entry<'_>>| {
                e.filter(|e| !e.is_tree())
                    .map(|e| e.oid().map(ObjectId))
                    .transpose()
            };
            let (new_file, old_file) = (file(x)?, file(y)?);
            if (new_file.is_some() || old_file.is_some())
                && visitor.visit(Change {
                    path: &path,
                    old: old_file,
                    new: new_file,
                    gitlink: either.mode == 0o160000,
                }) == Action::Cancel
            {
                return Ok(Action::Cancel);
            }
        }
        Ok(Action::Continue)
    }
}

/// git's order of tree entries: by name, a directory's name as if it ended in
/// `/`. Compares the common prefix in one go: this runs for every entry of
/// every tree compared.
fn tree_order(x: &Entry<'_>, y: &Entry<'_>) -> Ordering {
    let (a, b) = (x.name, y.name);
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        Ordering::Equal => {}
        other => return other,
    }
    let next = |name: &[u8], tree: bool| name.get(n).copied().or(tree.then_some(b'/'));
    next(a, x.is_tree()).cmp(&next(b, y.is_tree()))
}

/// The visitor of a package's paths (git pathspecs): it looks only below
/// directories a pathspec can reach, and stops at the first changed file that
/// matches one, as `git log -- PATHS` decides whether a commit touches them.
pub(super) struct PackagePaths {
    spec: git2::Pathspec,
    /// Each pathspec's literal start (up to its first wildcard; empty for magic).
    literals: Vec<String>,
}

impl PackagePaths {
    pub(super) fn new(paths: &[String]) -> Result<Self> {
        let spec = git2::Pathspec::new(paths)
            .map_err(|e| git_error("a package path is not a valid pathspec", &e))?;
        let literals = paths
            .iter()
            .map(|p| {
                if p.starts_with([':', '!']) {
                    String::new()
                } else {
                    p.chars()
                        .take_while(|c| !matches!(c, '*' | '?' | '[' | '\\'))
                        .collect()
                }
            })
            .collect();
        Ok(Self { spec, literals })
    }
}

impl Visitor for PackagePaths {
    fn descend(&mut self, dir: &str) -> bool {
        self.literals
            .iter()
            .any(|l| l.starts_with(dir) || dir.starts_with(l.as_str()))
    }

    fn visit(&mut self, change: Change<'_>) -> Action {
        if self
            .spec
            .matches_path(Path::new(change.path), git2::PathspecFlags::DEFAULT)
        {
            Action::Cancel
        } else {
            Action::Continue
        }
    }
}

/// Trees and blobs of one repository for the evidence stage: the engine
/// behind [`Objects`], with its cache of recent trees.
pub struct RepoObjects<'r> {
    repo: &'r Repository,
    pack: Option<SharedReader>,
    trees: RefCell<Trees<'r>>,
}

impl<'r> RepoObjects<'r> {
    pub(super) fn new(repo: &'r Repository, pack: Option<SharedReader>) -> Self {
        Self {
            repo,
            trees: RefCell::new(Trees::new(repo, pack.clone())),
            pack,
        }
    }
}

impl RepoObjects<'_> {
    /// The object at `path` in `tree`, with its mode (libgit2's, normalised):
    /// through the cache of recent trees (the manifests and entries a range
    /// looks up sit in the trees its comparisons read), unless a comparison
    /// is running.
    fn lookup(&self, tree: ObjectId, path: &str) -> Result<Option<(ObjectId, i32)>> {
        let Ok(mut trees) = self.trees.try_borrow_mut() else {
            return self.lookup_uncached(tree, path);
        };
        let mut at = trees.tree(tree.0)?;
        let mut names = path.split('/').filter(|n| !n.is_empty()).peekable();
        if names.peek().is_none() {
            return Ok(Some((tree, 0o040000)));
        }
        while let Some(name) = names.next() {
            let Some(entry) = at.get(name.as_bytes()) else {
                return Ok(None);
            };
            if names.peek().is_none() {
                return Ok(Some((ObjectId(entry.oid()?), entry.mode)));
            }
            if !entry.is_tree() {
                return Ok(None);
            }
            let id = entry.oid()?;
            at = trees.tree(id)?;
        }
        Ok(None)
    }

    /// [`Self::lookup`] straight from the repository.
    fn lookup_uncached(&self, tree: ObjectId, path: &str) -> Result<Option<(ObjectId, i32)>> {
        let tree = self
            .repo
            .find_tree(tree.0)
            .map_err(|e| git_error(&format!("cannot read tree {}", tree.0), &e))?;
        if path.is_empty() {
            return Ok(Some((ObjectId(tree.id()), 0o040000)));
        }
        match tree.get_path(Path::new(path)) {
            Ok(entry) => Ok(Some((ObjectId(entry.id()), entry.filemode()))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git_error(&format!("cannot read {path}"), &e)),
        }
    }
}

impl Objects for RepoObjects<'_> {
    fn compare(
        &self,
        new: ObjectId,
        old: Option<ObjectId>,
        visitor: &mut dyn Visitor,
    ) -> Result<Action> {
        self.trees
            .borrow_mut()
            .compare(Some(new.0), old.map(|o| o.0), visitor)
    }

    fn blob(&self, id: ObjectId, limit: usize) -> Result<Option<Vec<u8>>> {
        // Not through the trees: a visitor reads blobs while a comparison runs.
        if let Some(pack) = &self.pack
            && let Some((ObjectType::Blob, data)) = pack.read(id.0, limit)
        {
            return Ok(data);
        }
        let blob = self
            .repo
            .find_blob(id.0)
            .map_err(|e| git_error(&format!("cannot read blob {}", id.0), &e))?;
        Ok((blob.size() <= limit).then(|| blob.content().to_vec()))
    }

    fn entry(&self, tree: ObjectId, path: &str) -> Result<Option<ObjectId>> {
        Ok(self.lookup(tree, path)?.map(|(id, _)| id))
    }

    fn file(&self, tree: ObjectId, path: &str) -> Result<Option<ObjectId>> {
        let regular = |mode: i32| mode == 0o100644 || mode == 0o100755;
        Ok(self
            .lookup(tree, path)?
            .filter(|(_, mode)| regular(*mode))
            .map(|(id, _)| id))
    }

    fn parent_tree(&self, commit: ObjectId, n: usize) -> Result<Option<ObjectId>> {
        let commit = self
            .repo
            .find_commit(commit.0)
            .map_err(|e| git_error(&format!("cannot read commit {}", commit.0), &e))?;
        Ok(commit.parent(n).ok().map(|p| ObjectId(p.tree_id())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree holding `files` (path → content), built in `repo`.
    fn tree(repo: &Repository, files: &[(&str, &str)]) -> Oid {
        let empty = repo.treebuilder(None).unwrap().write().unwrap();
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, text) in files {
            let blob = repo.blob(text.as_bytes()).unwrap();
            update.upsert(*path, blob, git2::FileMode::Blob);
        }
        update
            .create_updated(repo, &repo.find_tree(empty).unwrap())
            .unwrap()
    }

    #[test]
    fn the_recorder_sees_every_change_and_the_package_filter_stops_at_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let old = tree(
            &repo,
            &[("a.txt", "a"), ("src/x.go", "x"), ("src/deep/y.go", "y")],
        );
        let new = tree(
            &repo,
            &[("b.txt", "b"), ("src/x.go", "x2"), ("src/deep/y.go", "y")],
        );
        let mut trees = Trees::new(&repo, None);
        let mut recorder = Recorder::default();
        assert_eq!(
            trees.compare(Some(new), Some(old), &mut recorder).unwrap(),
            Action::Continue
        );
        let paths: Vec<(&str, bool, bool)> = recorder
            .changes
            .iter()
            .map(|c| (c.path.as_str(), c.old.is_some(), c.new.is_some()))
            .collect();
        assert_eq!(
            paths,
            [
                ("a.txt", true, false),
                ("b.txt", false, true),
                ("src/x.go", true, true)
            ]
        );
        // From nothing: every file is added.
        let mut everything = Recorder::default();
        trees.compare(Some(old), None, &mut everything).unwrap();
        assert_eq!(everything.changes.len(), 3);

        let mut src = PackagePaths::new(&["src/".to_string()]).unwrap();
        assert_eq!(
            trees.compare(Some(new), Some(old), &mut src).unwrap(),
            Action::Cancel
        );
        let mut docs = PackagePaths::new(&["docs/".to_string()]).unwrap();
        assert_eq!(
            trees.compare(Some(new), Some(old), &mut docs).unwrap(),
            Action::Continue
        );
    }

    #[test]
    fn a_lookup_through_the_cache_finds_what_the_repository_finds() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let root = ObjectId(tree(
            &repo,
            &[("go.mod", "m"), ("src/x.go", "x"), ("src/deep/y.go", "y")],
        ));
        let objects = RepoObjects::new(&repo, None);
        let paths = [
            "go.mod",
            "src",
            "src/",
            "src/x.go",
            "src/deep/y.go",
            "src/deep",
            "src/missing.go",
            "go.mod/x",
            "missing/x.go",
            "",
        ];
        for path in paths {
            let cached = objects.lookup(root, path).unwrap();
            let uncached = objects.lookup_uncached(root, path).unwrap();
            assert_eq!(cached, uncached, "{path}");
        }
        assert_eq!(
            objects
                .lookup(root, "src/deep/y.go")
                .unwrap()
                .map(|(_, m)| m),
            Some(0o100644)
        );
        assert!(objects.lookup(root, "src/missing.go").unwrap().is_none());
        // While a comparison holds the cache, a lookup reads the repository.
        let _busy = objects.trees.borrow_mut();
        assert!(objects.lookup(root, "src/x.go").unwrap().is_some());
    }

    /// `files` without a path that is also a directory of another: a tree
    /// cannot hold both (the deeper one is dropped).
    fn flat(files: &std::collections::BTreeMap<String, String>) -> Vec<(&str, &str)> {
        let nested = |p: &str, q: &str| p.starts_with(&format!("{q}/"));
        files
            .iter()
            .filter(|(p, _)| !files.keys().any(|q| nested(p, q) || nested(q, p)))
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect()
    }

    proptest::proptest! {
        /// Whatever two trees hold, the comparison (which skips the entries
        /// stored alike at either end) finds the changes libgit2's diff finds,
        /// in its order.
        #[test]
        fn a_comparison_finds_what_libgit2_finds(
            old in proptest::collection::btree_map("(d/|d-|e/f/)?[a-c]{1,2}(\\.go)?", "[xy]", 0..12),
            new in proptest::collection::btree_map("(d/|d-|e/f/)?[a-c]{1,2}(\\.go)?", "[xy]", 0..12),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let repo = Repository::init(dir.path()).unwrap();
            let (old, new) = (tree(&repo, &flat(&old)), tree(&repo, &flat(&new)));
            let mut recorder = Recorder::default();
            Trees::new(&repo, None).compare(Some(new), Some(old), &mut recorder).unwrap();
            let ours: Vec<String> = recorder.changes.iter().map(|c| c.path.clone()).collect();
            let (old, new) = (repo.find_tree(old).unwrap(), repo.find_tree(new).unwrap());
            let diff = repo.diff_tree_to_tree(Some(&old), Some(&new), None).unwrap();
            let path = |d: git2::DiffDelta<'_>| {
                let file = d.new_file().path().or(d.old_file().path());
                file.map(|p| p.to_string_lossy().into_owned())
            };
            let theirs: Vec<String> = diff.deltas().filter_map(path).collect();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }
}
