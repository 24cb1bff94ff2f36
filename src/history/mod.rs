//! Reading the history: the only stage that uses git2 and gix.
//!
//! Owns opening the repository, where HEAD is, and the parts below: the walk
//! ([`walk`]: commit-time order, the commit-graph, the shallow cut), the
//! ranges read with it ([`range`]), decoding
//! commits ([`read`]), comparing trees ([`trees`]: one engine, visitors that
//! stop early or record; each tree read from its bytes, `rawtree`), and refs ([`refs`]: tags read in one pass, notes,
//! the remote, the work tree's status). Everything it hands on is owned data
//! (ids as hex strings or [`ObjectId`], messages as `String`), so no git2 type
//! or lifetime escapes; later stages read trees and blobs through the small
//! [`Objects`] trait. It never writes to the repository (no index refresh, no
//! ref update, no object written), with one exception: [`Repo::update_note`],
//! which `bumpwise mark` uses, writes under [`NOTES_REF`] and nowhere else.

mod delta;
mod ids;
pub mod pack;
pub mod range;
pub mod rawtree;
pub mod read;
pub mod refs;
pub mod trees;
pub mod walk;

use std::collections::HashMap;
use std::path::Path;

use git2::{ErrorCode, Oid, Repository};

use crate::error::{Error, Result};

pub use range::{Candidate, Merge, Node, Range, Shape, WalkOptions};
pub use read::{RawCommit, ReadCommit, Reader};
pub use refs::{NOTES_REF, Placement, Tagged, Upstream};
pub use trees::{Action, CHANGES_READ, Change, ChangedFiles, ChangedPath, Recorder, Visitor};

/// The id of a git object (a commit, a tree, a blob), opaque outside this stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId(Oid);

impl std::fmt::Display for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for ObjectId {
    type Err = Error;

    /// An id from its full hex form (or a shorter hex prefix, zero-padded).
    fn from_str(hex: &str) -> Result<ObjectId> {
        Oid::from_str(hex)
            .map(ObjectId)
            .map_err(|e| git_error(&format!("{hex} is no object id"), &e))
    }
}

/// Trees and blobs, for the stages after the history: what a commit changed,
/// and what a file holds, without naming git2.
pub trait Objects {
    /// Compares the trees `new` and `old` (`None`: the empty tree), calling
    /// `visitor` for every file that differs, in git's order. Returns
    /// [`Action::Cancel`] when the visitor stopped the comparison.
    ///
    /// # Errors
    ///
    /// A repository error when a tree cannot be read.
    fn compare(
        &self,
        new: ObjectId,
        old: Option<ObjectId>,
        visitor: &mut dyn Visitor,
    ) -> Result<Action>;

    /// A blob's bytes when it holds at most `limit` bytes; `None` when larger.
    ///
    /// # Errors
    ///
    /// A repository error when the blob cannot be read.
    fn blob(&self, id: ObjectId, limit: usize) -> Result<Option<Vec<u8>>>;

    /// The object at `path` (`/`-separated) in the tree `tree`: a blob or a
    /// tree; `None` when there is nothing there.
    ///
    /// # Errors
    ///
    /// A repository error when the tree cannot be read.
    fn entry(&self, tree: ObjectId, path: &str) -> Result<Option<ObjectId>>;

    /// The blob of the regular file at `path` in the tree `tree`; `None` when
    /// there is nothing there or something else: a directory, a submodule, a
    /// symbolic link (whose blob holds where it points, not a file's bytes).
    ///
    /// # Errors
    ///
    /// A repository error when the tree cannot be read.
    fn file(&self, tree: ObjectId, path: &str) -> Result<Option<ObjectId>>;

    /// The tree of `commit`'s parent number `n` (0: the first); `None` when it has no such parent.
    ///
    /// # Errors
    ///
    /// A repository error when the commit cannot be read.
    fn parent_tree(&self, commit: ObjectId, n: usize) -> Result<Option<ObjectId>>;
}

/// Where HEAD is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The full hex id of the commit HEAD points at.
    pub commit: String,
    /// The branch HEAD is on; `None` when detached.
    pub branch: Option<String>,
}

/// An open repository.
pub struct Repo {
    repo: Repository,
    /// Every tag and its target, read once, on first use, in one pass over the refs.
    tags: std::cell::OnceCell<HashMap<String, Oid>>,
    /// git's commit-graph file, when git has written one and may use it; loaded on first use.
    graph: std::cell::OnceCell<Option<gix_commitgraph::Graph>>,
    /// Whether replace refs or grafts may change parents; read on first use.
    replaced: std::cell::OnceCell<bool>,
    /// Whether the repository is a shallow clone; read on first use (libgit2
    /// looks for the `shallow` file each time it is asked).
    shallow: std::cell::OnceCell<bool>,
    /// The pack files, mapped on first use, and this thread's reader of them.
    packs: std::cell::OnceCell<(std::sync::Arc<pack::Packs>, pack::SharedReader)>,
}

fn git_error(what: &str, err: &git2::Error) -> Error {
    Error::repository(format!("{what}: {}", err.message()))
}

const SHALLOW_FIX: &str = "fetch the full history with `git fetch --unshallow --tags` (in GitHub Actions: `fetch-depth: 0`)";

/// The bytes of the file at `path` in `tree`, when it is there, is a
/// regular file (not a directory, a submodule or a symbolic link, see
/// [`Objects::file`]) and holds at most `limit` bytes.
///
/// # Errors
///
/// A repository error when the tree cannot be read.
pub fn file_in(
    objects: &dyn Objects,
    tree: ObjectId,
    path: &str,
    limit: usize,
) -> Result<Option<Vec<u8>>> {
    match objects.file(tree, path)? {
        Some(blob) => objects.blob(blob, limit),
        None => Ok(None),
    }
}

/// The error for a history a shallow clone leaves incomplete: `what` happened,
/// so the version cannot be trusted, and the exact fetch that completes it.
pub fn shallow_error(what: &str) -> Error {
    Error::incomplete(format!(
        "{what}, so the version cannot be trusted; {SHALLOW_FIX}"
    ))
}

/// How much of a pack file libgit2 maps at once, and in all: git maps what it
/// reads and keeps it mapped (so a long walk holds most of the pack resident);
/// small windows, unmapped once the limit is reached, keep the process's
/// resident memory to what it holds itself, at no measurable cost in time.
const MAPPED_WINDOW: usize = 1 << 20;
const MAPPED_LIMIT: usize = 4 << 20;

/// Caps the pack files libgit2 keeps mapped: one-megabyte windows, four
/// megabytes in all, instead of libgit2's defaults (one gigabyte per window, eight
/// in all). A process-wide libgit2 setting: the binary calls it first thing;
/// a program using the library decides for itself.
///
/// # Safety
///
/// It writes libgit2 globals without synchronization: call it before any other
/// thread exists and before any repository is opened.
///
/// # Errors
///
/// A repository error when libgit2 refuses the setting.
#[allow(unsafe_code)]
pub unsafe fn limit_mapped_packs() -> Result<()> {
    let set = |e: git2::Error| git_error("cannot set libgit2's pack window limits", &e);
    // SAFETY: the caller guarantees no other thread uses libgit2 yet (see above).
    unsafe {
        git2::opts::set_mwindow_size(MAPPED_WINDOW).map_err(set)?;
        git2::opts::set_mwindow_mapped_limit(MAPPED_LIMIT).map_err(set)?;
    }
    Ok(())
}

impl Repo {
    /// Opens the repository at `path`, or the one containing it (a work tree,
    /// a subdirectory of one, a linked worktree, or a bare repository).
    ///
    /// # Errors
    ///
    /// A repository error when `path` is not inside a git repository.
    pub fn open(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Err(Error::repository(format!(
                "{} does not exist; pass --repo with the path of a git checkout",
                path.display()
            )));
        }
        // Like git itself, do not re-hash every object read: the walk reads each commit of the
        // range, and verifying costs about a sixth of the time. Objects read once are not worth
        // caching either: the cache would hold the whole range in memory a second time.
        git2::opts::strict_hash_verification(false);
        git2::opts::enable_caching(false);
        match Repository::discover(path) {
            Ok(repo) => Ok(Self {
                repo,
                tags: std::cell::OnceCell::new(),
                graph: std::cell::OnceCell::new(),
                replaced: std::cell::OnceCell::new(),
                shallow: std::cell::OnceCell::new(),
                packs: std::cell::OnceCell::new(),
            }),
            Err(err) if err.code() == ErrorCode::NotFound => Err(Error::repository(format!(
                "{} is not in a git repository; run bumpwise inside a checkout or pass --repo PATH",
                path.display()
            ))),
            // git's safe.directory: the repository belongs to another user.
            Err(err) if err.code() == ErrorCode::Owner => Err(Error::repository(format!(
                "the repository at {} belongs to another user, and git refuses to read it (safe.directory); if you trust it, run `git config --global --add safe.directory {}` (or `'*'` to trust every repository, as in a throwaway container), or run bumpwise as its owner (in a container: `docker run --user \"$(id -u):$(id -g)\"`)",
                path.display(),
                std::fs::canonicalize(path)
                    .unwrap_or_else(|_| path.to_path_buf())
                    .display()
            ))),
            Err(err) => Err(git_error(
                &format!("cannot open the repository at {}", path.display()),
                &err,
            )),
        }
    }

    /// The root of the work tree, or `None` for a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// Whether the repository is a shallow clone.
    pub fn is_shallow(&self) -> bool {
        *self.shallow.get_or_init(|| self.repo.is_shallow())
    }

    /// A handle for reading this repository's commits on another thread.
    pub fn reader(&self) -> Reader {
        let libgit2_only = self.is_shallow() || self.parents_replaced();
        Reader::new(
            self.repo.path().to_path_buf(),
            libgit2_only,
            self.packs().0.clone(),
        )
    }

    /// The repository's pack files (mapped once, for every thread) and the
    /// calling thread's reader of them.
    fn packs(&self) -> &(std::sync::Arc<pack::Packs>, pack::SharedReader) {
        self.packs.get_or_init(|| {
            let packs =
                std::sync::Arc::new(pack::Packs::open(&self.repo.commondir().join("objects")));
            let reader = pack::SharedReader::new(std::sync::Arc::clone(&packs));
            (packs, reader)
        })
    }

    /// The calling thread's reader of the pack files.
    pub(crate) fn pack_reader(&self) -> pack::SharedReader {
        self.packs().1.clone()
    }

    /// Trees and blobs of this repository, on the calling thread: no second
    /// repository is opened (see [`Self::reader`] for other threads).
    pub fn objects(&self) -> trees::RepoObjects<'_> {
        trees::RepoObjects::new(&self.repo, Some(self.pack_reader()))
    }

    /// The bytes of the file at `path` in commit `id`'s tree, when it is there
    /// and holds at most `limit` bytes.
    ///
    /// # Errors
    ///
    /// A repository error when the commit or its tree cannot be read.
    pub fn file_at(&self, id: &str, path: &str, limit: usize) -> Result<Option<Vec<u8>>> {
        let (tree, _) = self.trees_of(id)?;
        file_in(&self.objects(), tree, path, limit)
    }

    /// The full id of the commit `rev` names (`v1.2.0`, `main~3`, an abbreviated id).
    ///
    /// # Errors
    ///
    /// A usage error naming `rev` when it names no commit.
    pub fn resolve(&self, rev: &str) -> Result<String> {
        self.repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map(|c| c.id().to_string())
            .map_err(|e| {
                Error::usage(format!(
                    "`{rev}` does not name a commit ({}); give a tag, branch or commit id",
                    e.message()
                ))
            })
    }

    fn hidden(&self, revs: &[String]) -> Result<Vec<Oid>> {
        revs.iter()
            .map(|rev| {
                let id = self.resolve(rev).map_err(|_| {
                    Error::usage(format!(
                        "--exclude-reachable `{rev}` does not name a commit; give a tag, branch or commit id"
                    ))
                })?;
                Oid::from_str(&id).map_err(|e| git_error("bad commit id", &e))
            })
            .collect()
    }

    /// Whether `to` is `commit` or one of its descendants (full ids).
    ///
    /// # Errors
    ///
    /// A repository error on a git failure.
    pub fn contains(&self, to: &str, commit: &str) -> Result<bool> {
        let oid = |id: &str| Oid::from_str(id).map_err(|e| git_error("bad commit id", &e));
        let (to, commit) = (oid(to)?, oid(commit)?);
        Ok(to == commit || self.descends(to, commit)?)
    }

    /// Whether `head` contains `commit`, by git's own ancestry walk: only for
    /// the rare first-parent case where the range walk cannot tell.
    fn descends(&self, head: Oid, commit: Oid) -> Result<bool> {
        self.repo
            .graph_descendant_of(head, commit)
            .map_err(|e| git_error("cannot compare a tag with HEAD", &e))
    }

    /// The subject (first line of the message) of the commit `id` (a full id), if it can be read.
    pub fn subject(&self, id: &str) -> Option<String> {
        let commit = self.repo.find_commit(Oid::from_str(id).ok()?).ok()?;
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        Some(
            message
                .trim()
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string(),
        )
    }

    /// The committer time of `oid`, in seconds: from git's commit-graph when
    /// it holds the commit (not in a shallow clone), else from the commit.
    pub(super) fn time_of(&self, oid: Oid) -> Result<i64> {
        if let Some(time) = self
            .commit_graph()
            .filter(|_| !self.is_shallow())
            .and_then(|graph| walk::graph_time(graph, oid))
        {
            return Ok(time);
        }
        Ok(self.read_commit(oid)?.time().seconds())
    }

    /// The tree of the commit `id` (a full id) and its first parent's tree
    /// (`None` for a root commit or at a shallow clone's cut).
    ///
    /// # Errors
    ///
    /// A repository error when the commit cannot be read.
    pub fn trees_of(&self, id: &str) -> Result<(ObjectId, Option<ObjectId>)> {
        let oid = Oid::from_str(id).map_err(|e| git_error("bad commit id", &e))?;
        // From git's commit-graph when it holds the commit: no object is read.
        // Not in a shallow clone, whose cut commits' parents are absent.
        if let Some((tree, parent)) = self
            .commit_graph()
            .filter(|_| !self.is_shallow())
            .and_then(|graph| walk::graph_trees(graph, oid))
        {
            return Ok((ObjectId(tree), parent.map(ObjectId)));
        }
        let commit = self.read_commit(oid)?;
        let parent = commit.parent(0).ok().map(|p| ObjectId(p.tree_id()));
        Ok((ObjectId(commit.tree_id()), parent))
    }

    /// Whether HEAD's tree has an entry at `path` (a file or a directory).
    pub fn head_has(&self, path: &str) -> bool {
        self.repo
            .head()
            .and_then(|h| h.peel_to_tree())
            .is_ok_and(|tree| tree.get_path(Path::new(path)).is_ok())
    }

    /// The commit time of `id` (a full id).
    ///
    /// # Errors
    ///
    /// A repository error when the commit cannot be read.
    pub fn commit_time(&self, id: &str) -> Result<i64> {
        let oid = Oid::from_str(id).map_err(|e| git_error("bad commit id", &e))?;
        self.time_of(oid)
    }

    fn read_commit(&self, oid: Oid) -> Result<git2::Commit<'_>> {
        self.repo
            .find_commit(oid)
            .map_err(|e| git_error(&format!("cannot read commit {oid}"), &e))
    }

    /// Where HEAD is.
    ///
    /// # Errors
    ///
    /// A repository error for an empty repository or an unborn HEAD.
    pub fn head(&self) -> Result<Head> {
        let reference = match self.repo.head() {
            Ok(reference) => reference,
            Err(err) if err.code() == ErrorCode::UnbornBranch => {
                return Err(self.unborn());
            }
            Err(err) => return Err(git_error("cannot read HEAD", &err)),
        };
        let commit = reference
            .peel_to_commit()
            .map_err(|e| git_error("HEAD does not point at a readable commit", &e))?;
        let branch = reference
            .is_branch()
            .then(|| reference.shorthand().ok().map(str::to_string))
            .flatten();
        Ok(Head {
            commit: commit.id().to_string(),
            branch,
        })
    }

    /// The error for an unborn HEAD: an empty repository, or a branch without commits.
    fn unborn(&self) -> Error {
        // `Repository::is_empty` only knows the default branch name; no refs at all is the real test.
        let empty = self
            .repo
            .references()
            .map(|mut r| r.next().is_none())
            .unwrap_or(true);
        Error::repository(if empty {
            "the repository has no commits yet; commit something, then run bumpwise".to_string()
        } else {
            let target = self
                .repo
                .find_reference("HEAD")
                .ok()
                .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string))
                .unwrap_or_else(|| "an unborn branch".to_string());
            format!(
                "HEAD points at {target}, which has no commits yet; check out a branch with commits"
            )
        })
    }
}
