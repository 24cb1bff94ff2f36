//! Reading the history: the one module that uses git2.
//!
//! Owns opening the repository, reading every tag in one pass, telling which
//! tagged commits HEAD contains, and walking `base..HEAD`. Everything it hands
//! on is owned data (ids as hex strings, messages as `String`), so no git2 type
//! or lifetime escapes. It never writes to the repository (no index refresh,
//! no ref update, no object written), with one exception: [`Repo::update_note`],
//! which `bumpwise mark` uses, writes under [`NOTES_REF`] and nowhere else.
//!
//! The walk hides the base release, so its cost grows with the range since the
//! last release, not with the whole history.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use git2::{ErrorCode, Oid, Repository};

use crate::error::{Error, Result};
use crate::tag::{self, Reach, Selection};

/// The notes ref that holds maintainers' overrides.
pub const NOTES_REF: &str = "refs/notes/bumpwise";

/// One commit of the range, as read from git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCommit {
    /// The full hex id.
    pub id: String,
    /// The whole message, decoded to UTF-8.
    pub message: String,
    /// How many parents the commit has (more than one: a merge).
    pub parents: usize,
    /// The git trailers of the message (`Token: value` lines of its last paragraph).
    pub trailers: Vec<(String, String)>,
    /// The author, as `Name <email>`.
    pub author: String,
}

/// A commit as the walk copied it out of git, not yet decoded. The walk only
/// copies bytes; decoding them ([`ReadCommit::decode`]: UTF-8, trailers, the
/// author) is left to the caller, which may do it on another thread.
#[derive(Debug, Clone)]
pub struct ReadCommit {
    id: Oid,
    /// What the walk read; `None` when the walk took the commit's parents from
    /// git's commit-graph file and left reading the message to [`ReadCommit::decode`].
    content: Option<Content>,
}

#[derive(Debug, Clone)]
struct Content {
    message: Vec<u8>,
    /// The author's name, then the author's email.
    author: Vec<u8>,
    name_len: usize,
    latin1: bool,
    parents: usize,
}

impl Content {
    fn new(commit: &git2::Commit<'_>) -> Self {
        let signature = commit.author();
        let (name, email) = (signature.name_bytes(), signature.email_bytes());
        let mut author = Vec::with_capacity(name.len() + email.len());
        author.extend_from_slice(name);
        author.extend_from_slice(email);
        Self {
            message: commit.message_bytes().to_vec(),
            author,
            name_len: name.len(),
            latin1: is_latin1(commit.message_encoding().ok().flatten()),
            parents: commit.parent_count(),
        }
    }
}

impl ReadCommit {
    fn new(oid: Oid, entry: &Entry<'_>) -> Self {
        Self {
            id: oid,
            content: match entry {
                Entry::Read(commit) => Some(Content::new(commit)),
                Entry::Graph { .. } => None,
            },
        }
    }

    /// The owned view of the commit the rest of bumpwise works with, reading
    /// the commit through `reader` when the walk did not.
    ///
    /// # Errors
    ///
    /// A repository error when the commit cannot be read.
    pub fn decode(self, reader: &Reader) -> Result<RawCommit> {
        let content = match self.content {
            Some(content) => content,
            None => {
                let oid = self.id;
                let repo = reader.repo()?;
                let commit = repo
                    .find_commit(oid)
                    .map_err(|e| git_error(&format!("cannot read commit {oid}"), &e))?;
                Content::new(&commit)
            }
        };
        let (name, email) = content.author.split_at(content.name_len);
        let message = decode(content.message, content.latin1);
        let trailers = trailers(&message);
        Ok(RawCommit {
            id: self.id.to_string(),
            message,
            parents: content.parents,
            trailers,
            author: format!(
                "{} <{}>",
                String::from_utf8_lossy(name),
                String::from_utf8_lossy(email)
            ),
        })
    }
}

/// A handle for reading commits on another thread: its own libgit2 repository
/// (one is never shared between threads), opened on first use.
pub struct Reader {
    path: PathBuf,
    repo: std::cell::OnceCell<Repository>,
}

impl Reader {
    fn repo(&self) -> Result<&Repository> {
        if let Some(repo) = self.repo.get() {
            return Ok(repo);
        }
        let repo = Repository::open(&self.path).map_err(|e| {
            git_error(
                &format!("cannot open the repository at {}", self.path.display()),
                &e,
            )
        })?;
        Ok(self.repo.get_or_init(|| repo))
    }
}

/// A commit the walk has queued: read whole, or known from the commit-graph.
enum Entry<'r> {
    /// Read from the object database.
    Read(git2::Commit<'r>),
    /// Its parents and tree, from git's commit-graph file; the commit itself is not read.
    Graph { parents: Vec<Oid>, tree: Oid },
}

impl Entry<'_> {
    fn parent_ids(&self) -> Vec<Oid> {
        match self {
            Entry::Read(commit) => commit.parent_ids().collect(),
            Entry::Graph { parents, .. } => parents.clone(),
        }
    }

    fn parent_count(&self) -> usize {
        match self {
            Entry::Read(commit) => commit.parent_count(),
            Entry::Graph { parents, .. } => parents.len(),
        }
    }

    fn tree_id(&self) -> Oid {
        match self {
            Entry::Read(commit) => commit.tree_id(),
            Entry::Graph { tree, .. } => *tree,
        }
    }
}

/// Where HEAD is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The full hex id of the commit HEAD points at.
    pub commit: String,
    /// The branch HEAD is on; `None` when detached.
    pub branch: Option<String>,
}

/// How to read the history.
#[derive(Debug, Clone, Default)]
pub struct HistoryOptions {
    /// Only tags that start with this prefix are release candidates.
    pub tag_prefix: String,
    /// Follow only the first parent of merges.
    pub first_parent: bool,
    /// Revisions whose history is left out of the range.
    pub exclude: Vec<String>,
    /// Only commits that touch these paths (git pathspecs) are kept; empty: all.
    pub paths: Vec<String>,
}

/// Everything read from git: HEAD, the base release, and the commits since,
/// each as the walk's caller made it from a [`ReadCommit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History<T = RawCommit> {
    /// Where HEAD is.
    pub head: Head,
    /// The base release and the tags passed over.
    pub selection: Selection,
    /// The commits since the base, newest first (merges left out unless
    /// following the first parent only).
    pub commits: Vec<T>,
    /// Merge commits left out of `commits`.
    pub merges_skipped: usize,
    /// Whether the repository is a shallow clone.
    pub shallow: bool,
}

/// A stable release tag reachable from the tip, with its commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseTag {
    /// The tag name.
    pub name: String,
    /// Its version and style.
    pub tag: tag::TagVersion,
    /// The tagged commit's full id.
    pub commit: String,
    /// The tagged commit's time (seconds since the epoch, UTC).
    pub time: i64,
}

/// Where a new tag would go: the state of the work tree and of HEAD's upstream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// Whether the repository is bare (no work tree to be dirty).
    pub bare: bool,
    /// Tracked files with changes, staged or not.
    pub changed: Vec<String>,
    /// HEAD's upstream branch, when one is configured and known locally.
    pub upstream: Option<Upstream>,
}

/// HEAD's upstream branch, as known locally (no fetch is made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    /// The upstream's name, e.g. `origin/main`.
    pub name: String,
    /// Commits on HEAD and not on the upstream.
    pub ahead: usize,
    /// Commits on the upstream and not on HEAD.
    pub behind: usize,
}

/// A commit of the whole history, with the parents the walk followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node<T> {
    /// The full hex id.
    pub id: String,
    /// The parents' full hex ids (the first only, following first parents).
    pub parents: Vec<String>,
    /// What the caller made of the commit; `None` for a merge left out.
    pub commit: Option<T>,
}

/// What a walk covers: the commits `head` reaches and neither `base` nor `hide` does.
#[derive(Clone, Copy)]
struct Scope<'a> {
    head: Oid,
    base: Option<Oid>,
    hide: &'a [Oid],
    first_parent: bool,
    shallow: bool,
}

/// How a walk ended.
#[derive(Debug, Default)]
struct WalkEnd {
    found_base: bool,
    cut: bool,
    /// Commits visited before a late uninteresting mark reached them, by their
    /// place in the order the walk handed commits on (0 for the first).
    dropped: HashSet<usize>,
}

/// What a range walk found.
#[derive(Debug)]
struct Walk<T> {
    commits: Vec<T>,
    merges: usize,
    /// Some walked commit has the hidden base as a parent: HEAD contains the base.
    found_base: bool,
    /// The walk reached a shallow clone's cut: commits may be missing.
    cut: bool,
}

/// The state of a commit-time-ordered walk: a max-heap of commits read but not
/// yet visited, and the marks of every commit seen.
#[derive(Default)]
struct Walker<'r> {
    /// Parents and times come from here when it holds the commit, not from reading it.
    graph: Option<&'r gix_commitgraph::Graph>,
    heap: std::collections::BinaryHeap<(i64, std::cmp::Reverse<u64>, Oid)>,
    pending: HashMap<Oid, Entry<'r>, OidHash>,
    marks: HashMap<Oid, Mark, OidHash>,
    /// Commits in the heap still marked interesting: the walk goes on while any remain.
    interesting: usize,
    seq: u64,
}

/// Hashes an object id by its first eight bytes: an id is already a
/// cryptographic hash, so hashing it again (SipHash) only costs time.
#[derive(Default, Clone, Copy)]
struct OidHash;

impl std::hash::BuildHasher for OidHash {
    type Hasher = OidHasher;
    fn build_hasher(&self) -> OidHasher {
        OidHasher(0)
    }
}

struct OidHasher(u64);

impl std::hash::Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for (i, b) in bytes.iter().take(8).enumerate() {
            self.0 ^= u64::from(*b) << (8 * i);
        }
    }
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
        if let Some(mark) = self.marks.get_mut(&oid) {
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
            oid,
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
        let commit = repo.read_commit(oid)?;
        Ok((commit.time().seconds(), Entry::Read(commit)))
    }

    fn queue(&mut self, oid: Oid, time: i64, entry: Entry<'r>) {
        self.seq += 1;
        self.heap.push((time, std::cmp::Reverse(self.seq), oid));
        self.pending.insert(oid, entry);
    }

    /// The tree of `oid`: from its queued entry or the commit-graph when either
    /// has it, else read; `None` when the commit is missing (a shallow clone's cut).
    fn tree_of(&self, repo: &Repo, oid: Oid) -> Option<Oid> {
        if let Some(entry) = self.pending.get(&oid) {
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
        let entry = self.pending.remove(&oid)?;
        let mark = self.marks.get_mut(&oid)?;
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

/// Tells whether a commit changes any of a package's paths (git pathspecs),
/// compared with its first parent (or with nothing, for a root or a shallow
/// clone's cut), as `git log -- PATHS` does. It compares trees itself: a
/// subtree is read only when its id changed and some pathspec can match below
/// it, and the trees it read last are kept, since the next commit is usually
/// the parent. Only used when a package is chosen: without one, no tree is read.
struct PathFilter<'r> {
    repo: &'r Repository,
    spec: git2::Pathspec,
    /// Each pathspec's literal start (up to its first wildcard; empty for magic).
    literals: Vec<String>,
    trees: HashMap<Oid, git2::Tree<'r>, OidHash>,
}

/// Trees kept for the next commits before the cache starts over.
const TREES_KEPT: usize = 64;

impl<'r> PathFilter<'r> {
    fn new(repo: &'r Repository, paths: &[String]) -> Result<Self> {
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
        Ok(Self {
            repo,
            spec,
            literals,
            trees: HashMap::default(),
        })
    }

    /// The filter for `paths`; none when there are none.
    fn of(repo: &'r Repository, paths: &[String]) -> Result<Option<Self>> {
        (!paths.is_empty())
            .then(|| Self::new(repo, paths))
            .transpose()
    }

    /// Whether the commit `entry` (whose first parent has the tree `parent`)
    /// passes `filter`: without one every commit does, and a tree that cannot be
    /// read counts as a change.
    fn passes(filter: &mut Option<Self>, entry: &Entry<'_>, parent: Option<Oid>) -> bool {
        filter
            .as_mut()
            .is_none_or(|f| f.differs(Some(entry.tree_id()), parent, "").unwrap_or(true))
    }

    fn tree(&mut self, id: Oid) -> Result<git2::Tree<'r>> {
        if let Some(tree) = self.trees.get(&id) {
            return Ok(tree.clone());
        }
        let tree = self
            .repo
            .find_tree(id)
            .map_err(|e| git_error(&format!("cannot read tree {id}"), &e))?;
        if self.trees.len() >= TREES_KEPT {
            self.trees.clear();
        }
        self.trees.insert(id, tree.clone());
        Ok(tree)
    }

    /// Whether some pathspec may match a path under `dir` (which ends in `/`).
    fn may_match_below(&self, dir: &str) -> bool {
        self.literals
            .iter()
            .any(|l| l.starts_with(dir) || dir.starts_with(l.as_str()))
    }

    /// Whether the trees `new` and `old` (of the directory `dir`) differ in a matching path.
    fn differs(&mut self, new: Option<Oid>, old: Option<Oid>, dir: &str) -> Result<bool> {
        if new == old {
            return Ok(false);
        }
        let new = new.map(|id| self.tree(id)).transpose()?;
        let old = old.map(|id| self.tree(id)).transpose()?;
        let mut a = new.iter().flat_map(git2::Tree::iter).peekable();
        let mut b = old.iter().flat_map(git2::Tree::iter).peekable();
        loop {
            let order = match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(x), Some(y)) => tree_order(x, y),
            };
            let (x, y) = match order {
                std::cmp::Ordering::Less => (a.next(), None),
                std::cmp::Ordering::Greater => (None, b.next()),
                std::cmp::Ordering::Equal => (a.next(), b.next()),
            };
            if let (Some(x), Some(y)) = (&x, &y)
                && x.id() == y.id()
                && x.filemode() == y.filemode()
            {
                continue;
            }
            let Some(either) = x.as_ref().or(y.as_ref()) else {
                continue;
            };
            let path = format!("{dir}{}", String::from_utf8_lossy(either.name_bytes()));
            let subtree = |e: &Option<git2::TreeEntry<'_>>| {
                e.as_ref().filter(|e| is_tree(e)).map(git2::TreeEntry::id)
            };
            let (new_tree, old_tree) = (subtree(&x), subtree(&y));
            if new_tree.is_some() || old_tree.is_some() {
                let below = format!("{path}/");
                if self.may_match_below(&below) && self.differs(new_tree, old_tree, &below)? {
                    return Ok(true);
                }
            }
            let file =
                x.as_ref().is_some_and(|e| !is_tree(e)) || y.as_ref().is_some_and(|e| !is_tree(e));
            if file
                && self
                    .spec
                    .matches_path(Path::new(&path), git2::PathspecFlags::DEFAULT)
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

fn is_tree(entry: &git2::TreeEntry<'_>) -> bool {
    entry.kind() == Some(git2::ObjectType::Tree)
}

/// git's order of tree entries: by name, a directory's name as if it ended in `/`.
fn tree_order(x: &git2::TreeEntry<'_>, y: &git2::TreeEntry<'_>) -> std::cmp::Ordering {
    fn key<'e>(e: &'e git2::TreeEntry<'_>) -> impl Iterator<Item = u8> + 'e {
        e.name_bytes()
            .iter()
            .copied()
            .chain(is_tree(e).then_some(b'/'))
    }
    key(x).cmp(key(y))
}

/// What the walk calls for each commit it hands on: its id, its entry, the
/// parents followed, and (when asked) its first parent's tree.
type Visit<'v> = dyn FnMut(Oid, &Entry<'_>, &[Oid], Option<Oid>) + 'v;

/// A tag's target, peeled.
enum Peeled {
    Commit(Oid),
    NotACommit,
    Missing,
}

/// An open repository.
pub struct Repo {
    repo: Repository,
    /// Every tag and its target, read once, on first use, in one pass over the refs.
    tags: std::cell::OnceCell<HashMap<String, Oid>>,
    /// git's commit-graph file, when git has written one and may use it; loaded on first use.
    graph: std::cell::OnceCell<Option<gix_commitgraph::Graph>>,
}

fn git_error(what: &str, err: &git2::Error) -> Error {
    Error::repository(format!("{what}: {}", err.message()))
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
            }),
            Err(err) if err.code() == ErrorCode::NotFound => Err(Error::repository(format!(
                "{} is not in a git repository; run bumpwise inside a checkout or pass --repo PATH",
                path.display()
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

    /// Reads HEAD, chooses the base release and walks the commits since it.
    ///
    /// # Errors
    ///
    /// A repository error for an empty repository, an unborn HEAD or a git
    /// failure; an incomplete-history error when a shallow clone cuts the
    /// range or may hide the base release.
    /// Each commit is handed to `each` as it is read, so that only what `each`
    /// keeps of it stays in memory.
    pub fn history<T>(
        &self,
        options: &HistoryOptions,
        mut each: impl FnMut(ReadCommit) -> T,
    ) -> Result<History<T>> {
        let (head_oid, head) = self.head()?;
        let shallow = self.repo.is_shallow();
        let tags = self.tag_targets()?;
        let hide = self.hidden(&options.exclude)?;
        // The walk that hides a candidate also proves it reachable (HEAD contains it exactly
        // when some walked commit has it as a parent), so the usual case reads the range once.
        let mut walked = None;
        let selection = tag::select_base(tags.keys().cloned(), &options.tag_prefix, |name| {
            let commit = match self.peel(tags[name])? {
                Peeled::Commit(commit) => commit,
                Peeled::NotACommit => return Ok(Reach::NotACommit),
                Peeled::Missing => return Ok(Reach::Missing),
            };
            let scope = Scope {
                head: head_oid,
                base: Some(commit),
                hide: &hide,
                first_parent: options.first_parent,
                shallow,
            };
            let walk = self.range(scope, &options.paths, &mut each)?;
            let reachable = commit == head_oid
                || walk.found_base
                || (options.first_parent && !walk.cut && self.descends(head_oid, commit)?);
            match (reachable, walk.cut) {
                (true, false) => {
                    walked = Some(walk);
                    Ok(Reach::Reachable(commit.to_string()))
                }
                (true, true) => Err(shallow_error(
                    "this shallow clone ends inside the range since the last release",
                )),
                (false, true) => Err(shallow_error(&format!(
                    "this is a shallow clone and tag {name} is not within its history: it may be the last release"
                ))),
                (false, false) => Ok(Reach::Unreachable),
            }
        })?;
        if shallow {
            check_shallow_selection(&selection)?;
        }
        let walk = match walked {
            Some(walk) => walk,
            None => {
                let scope = Scope {
                    head: head_oid,
                    base: None,
                    hide: &hide,
                    first_parent: options.first_parent,
                    shallow,
                };
                self.range(scope, &options.paths, &mut each)?
            }
        };
        if walk.cut {
            return Err(shallow_error(
                "this shallow clone ends inside the range since the last release",
            ));
        }
        Ok(History {
            head,
            selection,
            commits: walk.commits,
            merges_skipped: walk.merges,
            shallow,
        })
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

    /// The commits in `from..to` (all ancestors of `to` when `from` is `None`), newest first.
    ///
    /// # Errors
    ///
    /// A repository error on a git failure; incomplete history when a shallow clone cuts the range.
    pub fn commits<T>(
        &self,
        to: &str,
        from: Option<&str>,
        first_parent: bool,
        exclude: &[String],
        paths: &[String],
        mut each: impl FnMut(ReadCommit) -> T,
    ) -> Result<(Vec<T>, usize)> {
        let oid = |id: &str| Oid::from_str(id).map_err(|e| git_error("bad commit id", &e));
        let from = from.map(oid).transpose()?;
        let hide = self.hidden(exclude)?;
        let scope = Scope {
            head: oid(to)?,
            base: from,
            hide: &hide,
            first_parent,
            shallow: self.repo.is_shallow(),
        };
        let walk = self.range(scope, paths, &mut each)?;
        if walk.cut {
            return Err(shallow_error("this shallow clone ends inside the range"));
        }
        Ok((walk.commits, walk.merges))
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

    /// Every note under [`NOTES_REF`], keyed by the full id of the commit it annotates.
    ///
    /// # Errors
    ///
    /// A repository error when the notes cannot be read.
    pub fn notes(&self) -> Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        let notes = match self.repo.notes(Some(NOTES_REF)) {
            Ok(notes) => notes,
            Err(err) if err.code() == ErrorCode::NotFound => return Ok(out),
            Err(err) => return Err(git_error("cannot read the bumpwise notes", &err)),
        };
        for note in notes {
            let (blob, annotated) =
                note.map_err(|e| git_error("cannot read the bumpwise notes", &e))?;
            let blob = self
                .repo
                .find_blob(blob)
                .map_err(|e| git_error("cannot read a bumpwise note", &e))?;
            out.insert(
                annotated.to_string(),
                String::from_utf8_lossy(blob.content()).into_owned(),
            );
        }
        Ok(out)
    }

    /// The note under [`NOTES_REF`] on `commit` (a full id), if any.
    pub fn note(&self, commit: &str) -> Option<String> {
        let oid = Oid::from_str(commit).ok()?;
        let note = self.repo.find_note(Some(NOTES_REF), oid).ok()?;
        note.message().ok().map(str::to_string)
    }

    /// Replaces the note on `commit` (a full id) under [`NOTES_REF`] with what
    /// `update` makes of the current one. The only write bumpwise makes to a
    /// repository. Concurrent updates are serialised by an exclusive lock file
    /// in the git directory, held only while the note is read and written, so
    /// that no one's note is lost.
    ///
    /// # Errors
    ///
    /// What `update` returns; a repository error when the note cannot be
    /// written or the lock stays taken.
    pub fn update_note(
        &self,
        commit: &str,
        update: impl FnOnce(Option<String>) -> Result<String>,
    ) -> Result<()> {
        let oid = Oid::from_str(commit).map_err(|e| git_error("bad commit id", &e))?;
        let lock = self.repo.commondir().join("bumpwise-notes.lock");
        let mut waited = 0;
        while std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
            .is_err()
        {
            if waited >= 10_000 {
                return Err(Error::repository(format!(
                    "{} has been held for 10 s; if no bumpwise mark is running, remove it",
                    lock.display()
                )));
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
            waited += 10;
        }
        let written = update(self.note(commit)).and_then(|text| {
            let signature = self
                .repo
                .signature()
                .or_else(|_| git2::Signature::now("bumpwise", "bumpwise@localhost"))
                .map_err(|e| git_error("cannot make a signature for the note", &e))?;
            self.repo
                .note(&signature, &signature, Some(NOTES_REF), oid, &text, true)
                .map(|_| ())
                .map_err(|e| git_error(&format!("cannot write the note on {commit}"), &e))
        });
        let _ = std::fs::remove_file(&lock);
        written
    }

    /// Every stable release tag behind `prefix` that points at a commit, lowest
    /// version first (one tag per version). Reachability is the caller's to decide.
    ///
    /// # Errors
    ///
    /// A repository error on a git failure.
    pub fn release_tags(&self, prefix: &str) -> Result<Vec<ReleaseTag>> {
        let mut out = Vec::new();
        for (name, &target) in self.tag_targets()? {
            let tag::TagName::Version(version) = tag::parse_tag(name, prefix) else {
                continue;
            };
            if !version.version.pre.is_empty() {
                continue;
            }
            if let Peeled::Commit(commit) = self.peel(target)? {
                let time = self.read_commit(commit)?.time().seconds();
                out.push(ReleaseTag {
                    name: name.clone(),
                    tag: version,
                    commit: commit.to_string(),
                    time,
                });
            }
        }
        out.sort_by(|a, b| {
            a.tag
                .version
                .cmp(&b.tag.version)
                .then_with(|| a.name.cmp(&b.name))
        });
        out.dedup_by(|b, a| a.tag.version == b.tag.version);
        Ok(out)
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

    /// Every tag name (without `refs/tags/`), in one pass over the refs.
    ///
    /// # Errors
    ///
    /// A repository error when the tags cannot be read.
    pub fn tag_names(&self) -> Result<Vec<String>> {
        Ok(self.tag_targets()?.keys().cloned().collect())
    }

    /// The state of the work tree and of HEAD's upstream. Reads only: the
    /// index is not refreshed and nothing is fetched.
    ///
    /// # Errors
    ///
    /// A repository error when the status cannot be read.
    pub fn placement(&self) -> Result<Placement> {
        let mut placement = Placement {
            bare: self.repo.is_bare(),
            ..Placement::default()
        };
        if !placement.bare {
            let mut options = git2::StatusOptions::new();
            options
                .include_untracked(false)
                .include_ignored(false)
                .exclude_submodules(true)
                .update_index(false);
            let statuses = self
                .repo
                .statuses(Some(&mut options))
                .map_err(|e| git_error("cannot read the work tree's status", &e))?;
            placement.changed = statuses
                .iter()
                .filter(|e| e.status() != git2::Status::CURRENT)
                .filter_map(|e| e.path().ok().map(str::to_string))
                .collect();
        }
        let head = self.repo.head().ok();
        let branch = head
            .as_ref()
            .filter(|h| h.is_branch())
            .and_then(|h| h.shorthand().ok())
            .and_then(|name| self.repo.find_branch(name, git2::BranchType::Local).ok());
        if let Some(branch) = branch
            && let Ok(upstream) = branch.upstream()
            && let (Some(local), Some(remote)) = (branch.get().target(), upstream.get().target())
        {
            let (ahead, behind) = self
                .repo
                .graph_ahead_behind(local, remote)
                .map_err(|e| git_error("cannot compare HEAD with its upstream", &e))?;
            placement.upstream = Some(Upstream {
                name: upstream
                    .name()
                    .ok()
                    .flatten()
                    .unwrap_or("upstream")
                    .to_string(),
                ahead,
                behind,
            });
        }
        Ok(placement)
    }

    /// The URL of the remote `name`, when there is one.
    pub fn remote_url(&self, name: &str) -> Option<String> {
        self.repo
            .find_remote(name)
            .ok()?
            .url()
            .ok()
            .map(str::to_string)
    }

    /// Where HEAD is.
    ///
    /// # Errors
    ///
    /// A repository error for an empty repository or an unborn HEAD.
    pub fn head_commit(&self) -> Result<Head> {
        self.head().map(|(_, head)| head)
    }

    fn head(&self) -> Result<(Oid, Head)> {
        let reference = match self.repo.head() {
            Ok(reference) => reference,
            Err(err) if err.code() == ErrorCode::UnbornBranch => {
                // `Repository::is_empty` only knows the default branch name; no refs at all is the real test.
                let empty = self
                    .repo
                    .references()
                    .map(|mut r| r.next().is_none())
                    .unwrap_or(true);
                return Err(Error::repository(if empty {
                    "the repository has no commits yet; commit something, then run bumpwise"
                        .to_string()
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
                }));
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
        Ok((
            commit.id(),
            Head {
                commit: commit.id().to_string(),
                branch,
            },
        ))
    }

    /// Every tag name with the object it points at, read in one pass over the refs.
    fn tag_targets(&self) -> Result<&HashMap<String, Oid>> {
        if let Some(tags) = self.tags.get() {
            return Ok(tags);
        }
        let refs = self
            .repo
            .references_glob("refs/tags/*")
            .map_err(|e| git_error("cannot read tags", &e))?;
        let mut tags = HashMap::new();
        for reference in refs {
            let reference = reference.map_err(|e| git_error("cannot read a tag", &e))?;
            let Some(name) = reference
                .name()
                .ok()
                .and_then(|n| n.strip_prefix("refs/tags/"))
            else {
                continue; // a tag whose name is not UTF-8 cannot be a version
            };
            let target = match reference.target() {
                Some(oid) => Some(oid),
                None => reference.resolve().ok().and_then(|r| r.target()),
            };
            if let Some(oid) = target {
                tags.insert(name.to_string(), oid);
            }
        }
        Ok(self.tags.get_or_init(|| tags))
    }

    /// A handle for reading this repository's commits on another thread.
    pub fn reader(&self) -> Reader {
        Reader {
            path: self.repo.path().to_path_buf(),
            repo: std::cell::OnceCell::new(),
        }
    }

    /// git's commit-graph file (`objects/info/commit-graph` or a chain under
    /// `objects/info/commit-graphs`), when there is one git itself would use:
    /// not when `core.commitGraph` is off, and not when replace refs or grafts
    /// change what the parents are. One that cannot be read is passed over.
    fn commit_graph(&self) -> Option<&gix_commitgraph::Graph> {
        self.graph
            .get_or_init(|| {
                let enabled = self
                    .repo
                    .config()
                    .ok()
                    .and_then(|c| c.get_bool("core.commitGraph").ok())
                    .unwrap_or(true);
                let common = self.repo.commondir();
                let replaced = self
                    .repo
                    .references_glob("refs/replace/*")
                    .is_ok_and(|mut refs| refs.next().is_some());
                if !enabled || replaced || common.join("info/grafts").exists() {
                    return None;
                }
                gix_commitgraph::at(common.join("objects/info"), gix_hash::Kind::Sha1, None).ok()
            })
            .as_ref()
    }

    fn read_commit(&self, oid: Oid) -> Result<git2::Commit<'_>> {
        self.repo
            .find_commit(oid)
            .map_err(|e| git_error(&format!("cannot read commit {oid}"), &e))
    }

    fn peel(&self, target: Oid) -> Result<Peeled> {
        let object = match self.repo.find_object(target, None) {
            Ok(object) => object,
            Err(err) if err.code() == ErrorCode::NotFound => return Ok(Peeled::Missing),
            Err(err) => return Err(git_error("cannot read a tag", &err)),
        };
        Ok(match object.peel_to_commit() {
            Ok(commit) => Peeled::Commit(commit.id()),
            Err(err) if err.code() == ErrorCode::NotFound => Peeled::Missing,
            Err(_) => Peeled::NotACommit,
        })
    }

    /// Whether `head` contains `commit`, by git's own ancestry walk: only for
    /// the rare first-parent case where the range walk cannot tell.
    fn descends(&self, head: Oid, commit: Oid) -> Result<bool> {
        self.repo
            .graph_descendant_of(head, commit)
            .map_err(|e| git_error("cannot compare a tag with HEAD", &e))
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
    fn walk(&self, scope: Scope<'_>, parent_trees: bool, visit: &mut Visit<'_>) -> Result<WalkEnd> {
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
        let mut walker = Walker {
            graph: if shallow { None } else { self.commit_graph() },
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
            let uninteresting = walker.marks.get(&oid).is_some_and(|m| m.uninteresting);
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
            visit(oid, &entry, &parents, parent_tree);
            reported = reported.saturating_add(1);
            if let Some(mark) = walker.marks.get_mut(&oid) {
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
    fn range<T>(
        &self,
        scope: Scope<'_>,
        paths: &[String],
        each: &mut dyn FnMut(ReadCommit) -> T,
    ) -> Result<Walk<T>> {
        let mut kept: Vec<T> = Vec::new();
        // The places (in the walk's order) of the commits not kept: with them, the
        // place of each kept commit is known without holding its id.
        let mut passed: Vec<usize> = Vec::new();
        let mut visits = 0;
        let mut merges = 0;
        let first_parent = scope.first_parent;
        let mut filter = PathFilter::of(&self.repo, paths)?;
        let end = self.walk(
            scope,
            filter.is_some(),
            &mut |oid, entry, _, parent_tree| {
                if entry.parent_count() > 1 && !first_parent {
                    merges += 1;
                    passed.push(visits);
                } else if PathFilter::passes(&mut filter, entry, parent_tree) {
                    kept.push(each(ReadCommit::new(oid, entry)));
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
        })
    }

    /// Every commit reachable from `to` (none reachable from `exclude`), read
    /// once each, newest first, with the parents followed: the whole history,
    /// for the release notes of every release. Merges are nodes without a
    /// commit unless following first parents.
    ///
    /// # Errors
    ///
    /// A repository error on a git failure; incomplete history in a shallow clone.
    pub fn graph<T>(
        &self,
        to: &str,
        first_parent: bool,
        exclude: &[String],
        paths: &[String],
        mut each: impl FnMut(ReadCommit) -> T,
    ) -> Result<Vec<Node<T>>> {
        let to = Oid::from_str(to).map_err(|e| git_error("bad commit id", &e))?;
        let hide = self.hidden(exclude)?;
        let mut nodes: Vec<Node<T>> = Vec::new();
        let scope = Scope {
            head: to,
            base: None,
            hide: &hide,
            first_parent,
            shallow: self.repo.is_shallow(),
        };
        let mut filter = PathFilter::of(&self.repo, paths)?;
        let end = self.walk(
            scope,
            filter.is_some(),
            &mut |oid, entry, parents, parent_tree| {
                let keep = (first_parent || entry.parent_count() <= 1)
                    && PathFilter::passes(&mut filter, entry, parent_tree);
                nodes.push(Node {
                    id: oid.to_string(),
                    parents: parents.iter().map(Oid::to_string).collect(),
                    commit: keep.then(|| each(ReadCommit::new(oid, entry))),
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

    /// The commits at which a shallow clone was cut (their parents are absent).
    fn shallow_boundary(&self) -> HashSet<Oid> {
        let path: PathBuf = self.repo.commondir().join("shallow");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| Oid::from_str(line.trim()).ok())
            .collect()
    }
}

const SHALLOW_FIX: &str = "fetch the full history with `git fetch --unshallow --tags` (in GitHub Actions: `fetch-depth: 0`)";

fn shallow_error(what: &str) -> Error {
    Error::incomplete(format!(
        "{what}, so the version cannot be trusted; {SHALLOW_FIX}"
    ))
}

/// In a shallow clone the last release may lie beyond the cut: refuse unless
/// a base was found and no higher stable version's tagged commit is missing.
/// (A candidate whose walk reached the cut has already been refused.)
fn check_shallow_selection(selection: &Selection) -> Result<()> {
    let doubtful = selection
        .skipped
        .iter()
        .find(|s| s.reason == tag::SkipReason::Missing);
    match (&selection.base, doubtful) {
        (None, None) => Err(shallow_error(
            "this is a shallow clone with no release tag in its history: the last release may lie beyond the cut",
        )),
        (_, Some(skip)) => Err(shallow_error(&format!(
            "this is a shallow clone and tag {} is not within its history: it may be the last release",
            skip.name
        ))),
        (Some(_), None) => Ok(()),
    }
}

/// The git trailers of `message`. Most messages have no trailer block: libgit2
/// is only asked when the last paragraph could be one.
fn trailers(message: &str) -> Vec<(String, String)> {
    let body = message.trim_end();
    let last_paragraph = body.rsplit("\n\n").next().unwrap_or("");
    if !(body.contains('\n') && last_paragraph.contains(':')) {
        return Vec::new();
    }
    git2::message_trailers_strs(message)
        .map(|t| {
            t.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a commit's declared encoding is Latin-1 (UTF-8 otherwise).
fn is_latin1(encoding: Option<&str>) -> bool {
    encoding.is_some_and(|e| {
        let e = e.to_ascii_lowercase();
        e == "iso-8859-1" || e == "latin1" || e == "latin-1" || e == "iso8859-1"
    })
}

/// Decodes a message in its declared encoding: UTF-8 by default, Latin-1 when
/// the commit says so; anything undecodable is replaced, never dropped.
fn decode(bytes: Vec<u8>, latin1: bool) -> String {
    if latin1 {
        bytes.iter().map(|&b| char::from(b)).collect()
    } else {
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            head: repo.head().unwrap().0,
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
        repo.walk(scope, parent_trees, &mut |oid, entry, _, parent_tree| {
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
        repo.walk(scope, false, &mut |oid, entry, _, _| {
            let raw = ReadCommit::new(oid, entry).decode(&reader).unwrap();
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
