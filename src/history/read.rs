//! Decoding commits: what the walk copied out of git, turned into owned text.
//!
//! Owns [`ReadCommit`] (a commit as the walk found it, with its tree ids),
//! [`RawCommit`] (its message, trailers and author decoded to UTF-8) and the
//! per-thread [`Reader`] that reads what the walk left unread. Decoding never
//! drops a byte: what is not valid UTF-8 is replaced, and a message declared
//! ISO-8859-1 is decoded as such.

use std::path::PathBuf;
use std::sync::Arc;

use git2::{ObjectType, Oid, Repository};

use super::pack::{Packs, SharedReader, object_bytes};
use super::trees::RepoObjects;
use super::{ObjectId, git_error};
use crate::error::Result;

/// A commit the walk has queued: read whole, or known from the commit-graph.
pub(super) enum Entry<'r> {
    /// Read from the object database.
    Read(git2::Commit<'r>),
    /// Its object's bytes as the object database holds them, with the
    /// parents and tree its header names: its message is decoded later, on
    /// the thread that takes it.
    Raw {
        parents: Vec<Oid>,
        tree: Oid,
        data: Vec<u8>,
    },
    /// Its parents and tree, from git's commit-graph file; the commit itself is not read.
    Graph { parents: Vec<Oid>, tree: Oid },
}

impl Entry<'_> {
    pub(super) fn parent_ids(&self) -> Vec<Oid> {
        match self {
            Entry::Read(commit) => commit.parent_ids().collect(),
            Entry::Graph { parents, .. } | Entry::Raw { parents, .. } => parents.clone(),
        }
    }

    pub(super) fn parent_count(&self) -> usize {
        match self {
            Entry::Read(commit) => commit.parent_count(),
            Entry::Graph { parents, .. } | Entry::Raw { parents, .. } => parents.len(),
        }
    }

    pub(super) fn tree_id(&self) -> Oid {
        match self {
            Entry::Read(commit) => commit.tree_id(),
            Entry::Graph { tree, .. } | Entry::Raw { tree, .. } => *tree,
        }
    }
}

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

impl RawCommit {
    /// A commit with one parent, no trailers and no author: what tests and
    /// callers outside git start from (see [`RawCommit::with_author`] and friends).
    pub fn new(id: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            message: message.into(),
            parents: 1,
            trailers: Vec::new(),
            author: String::new(),
        }
    }

    /// The same commit by `author` (`Name <email>`).
    #[must_use]
    pub fn with_author(mut self, author: impl Into<String>) -> Self {
        self.author = author.into();
        self
    }

    /// The same commit with `parents` parents (more than one: a merge).
    #[must_use]
    pub fn with_parents(mut self, parents: usize) -> Self {
        self.parents = parents;
        self
    }

    /// The same commit with these git trailers.
    #[must_use]
    pub fn with_trailers(mut self, trailers: Vec<(String, String)>) -> Self {
        self.trailers = trailers;
        self
    }
}

/// A commit as the walk copied it out of git, not yet decoded. The walk only
/// copies bytes; decoding them ([`ReadCommit::decode`]: UTF-8, trailers, the
/// author) is left to the caller, which may do it on another thread.
#[derive(Debug, Clone)]
pub struct ReadCommit {
    id: Oid,
    time: i64,
    tree: Oid,
    parent_tree: Option<Oid>,
    /// What the walk read; `None` when the walk took the commit's parents from
    /// git's commit-graph file and left reading the message to [`ReadCommit::decode`].
    content: Option<Content>,
    /// The commit object's bytes, when the walk read them and left decoding
    /// them to [`ReadCommit::decode`].
    raw: Option<Vec<u8>>,
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

/// The header of a commit object's bytes, laid out as libgit2 requires:
/// the tree, the parents, the author's and the committer's lines, then the
/// other headers (`rest`); `None` when it is laid out otherwise (libgit2
/// then reads the commit). What [`header`] and [`Content::from_raw`] read.
struct Layout<'d, I> {
    tree: Oid,
    parents: Vec<Oid>,
    author: &'d [u8],
    committer: &'d [u8],
    rest: I,
}

fn layout<'d>(head: &'d [u8]) -> Option<Layout<'d, impl Iterator<Item = &'d [u8]>>> {
    let mut lines = head.split(|&b| b == b'\n');
    let hex = |line: &[u8], key: &[u8]| -> Option<Oid> {
        let hex = line.strip_prefix(key)?;
        Oid::from_str(std::str::from_utf8(hex).ok()?)
            .ok()
            .filter(|_| hex.len() == 40)
    };
    let tree = hex(lines.next()?, b"tree ")?;
    let mut parents = Vec::new();
    let mut line = lines.next()?;
    while line.starts_with(b"parent ") {
        parents.push(hex(line, b"parent ")?);
        line = lines.next()?;
    }
    let author = line.strip_prefix(b"author ")?;
    let committer = lines.next()?.strip_prefix(b"committer ")?;
    Some(Layout {
        tree,
        parents,
        author,
        committer,
        rest: lines,
    })
}

/// What the header of a commit object's bytes `data` says: its tree, its
/// parents and its committer time, read as libgit2 reads them; `None` when it
/// is not laid out as git writes commits (libgit2 then reads it).
pub(super) fn header(data: &[u8]) -> Option<(Oid, Vec<Oid>, i64)> {
    let layout = layout(data)?;
    let (_, _, time) = signature(layout.committer)?;
    Some((layout.tree, layout.parents, time))
}

/// A signature line's name, email and time, as libgit2 reads them: the email
/// between the first `<` and the last `>`, the name before it, both trimmed;
/// `None` when either holds a bracket.
fn signature(line: &[u8]) -> Option<(&[u8], &[u8], i64)> {
    let open = line.iter().position(|&b| b == b'<')?;
    let close = line.iter().rposition(|&b| b == b'>')?;
    if close <= open {
        return None;
    }
    let time = std::str::from_utf8(
        line[close + 1..]
            .trim_ascii()
            .split(|&b| b == b' ')
            .next()?,
    )
    .ok()?
    .parse()
    .ok()?;
    let (name, email) = (
        line[..open].trim_ascii(),
        line[open + 1..close].trim_ascii(),
    );
    // libgit2 takes brackets out of a name or an email: left to it.
    let bracket = |b: &[u8]| b.iter().any(|&c| c == b'<' || c == b'>');
    if bracket(name) || bracket(email) {
        return None;
    }
    Some((name, email, time))
}

impl Content {
    /// The content of a commit object's bytes `data`, as [`Content::new`]
    /// reads it from libgit2's commit; `None` when the bytes are not laid out
    /// as git writes commits.
    fn from_raw(data: &[u8]) -> Option<Self> {
        let end = data.windows(2).position(|w| w == b"\n\n");
        let (head, message) = match end {
            Some(end) => (&data[..end], &data[end + 2..]),
            None => (data.strip_suffix(b"\n").unwrap_or(data), &[][..]),
        };
        let layout = layout(head)?;
        let (name, email, _) = signature(layout.author)?;
        signature(layout.committer)?;
        // The last `encoding` header counts, as in libgit2.
        let mut latin1 = false;
        for line in layout.rest {
            if let Some(encoding) = line.strip_prefix(b"encoding ") {
                latin1 = is_latin1(std::str::from_utf8(encoding).ok());
            }
        }
        // As libgit2's message: leading newlines left out, up to a NUL byte.
        let message = message
            .iter()
            .position(|&b| b != b'\n')
            .map_or(&[][..], |at| &message[at..]);
        let message = message.split(|&b| b == 0).next().unwrap_or_default();
        let mut both = Vec::with_capacity(name.len() + email.len());
        both.extend_from_slice(name);
        both.extend_from_slice(email);
        Some(Self {
            message: message.to_vec(),
            author: both,
            name_len: name.len(),
            latin1,
            parents: layout.parents.len(),
        })
    }

    /// The commit `id` as the rest of bumpwise reads it.
    fn commit(self, id: Oid) -> RawCommit {
        let (name, email) = self.author.split_at(self.name_len);
        let message = decode(self.message, self.latin1);
        let trailers = trailers(&message);
        RawCommit {
            id: id.to_string(),
            message,
            parents: self.parents,
            trailers,
            author: format!(
                "{} <{}>",
                String::from_utf8_lossy(name),
                String::from_utf8_lossy(email)
            ),
        }
    }

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
    pub(super) fn new(oid: Oid, entry: Entry<'_>, parent_tree: Option<Oid>, time: i64) -> Self {
        let tree = entry.tree_id();
        // The bytes are decoded on the thread that takes them; read again there if they do not decode.
        let (content, raw) = match entry {
            Entry::Read(commit) => (Some(Content::new(&commit)), None),
            Entry::Raw { data, .. } => (None, Some(data)),
            Entry::Graph { .. } => (None, None),
        };
        Self {
            id: oid,
            time,
            tree,
            parent_tree,
            content,
            raw,
        }
    }

    /// The commit's id.
    pub fn id(&self) -> ObjectId {
        ObjectId(self.id)
    }

    /// The commit's time (committer, seconds since the epoch).
    pub fn time(&self) -> i64 {
        self.time
    }

    /// The commit's tree.
    pub fn tree(&self) -> ObjectId {
        ObjectId(self.tree)
    }

    /// The tree of its first parent; `None` for a root commit or at a shallow clone's cut.
    pub fn parent_tree(&self) -> Option<ObjectId> {
        self.parent_tree.map(ObjectId)
    }

    /// The owned view of the commit the rest of bumpwise works with, reading
    /// the commit through `reader` when the walk did not.
    ///
    /// # Errors
    ///
    /// A repository error when the commit cannot be read.
    pub fn decode(self, reader: &Reader) -> Result<RawCommit> {
        let content = match (
            self.content,
            self.raw.as_deref().and_then(Content::from_raw),
        ) {
            (Some(content), _) | (None, Some(content)) => content,
            (None, None) => {
                let oid = self.id;
                let repo = reader.repo()?;
                // The bytes, as the walk reads them; libgit2's parse where they are unusual.
                let (pack, odb) = if reader.libgit2_only {
                    (None, None)
                } else {
                    (Some(reader.pack()), repo.odb().ok())
                };
                let bytes = object_bytes(pack.as_ref(), odb.as_ref(), oid, ObjectType::Commit);
                match bytes.and_then(|data| Content::from_raw(&data)) {
                    Some(content) => content,
                    None => {
                        let commit = repo
                            .find_commit(oid)
                            .map_err(|e| git_error(&format!("cannot read commit {oid}"), &e))?;
                        Content::new(&commit)
                    }
                }
            }
        };
        Ok(content.commit(self.id))
    }
}

/// What the walk and the workers make of a commit object's bytes `data`
/// (see [`ReadCommit::decode`]): its tree, parents and committer time, and
/// the commit decoded, named `id`; `None` when the bytes are not laid out as
/// git writes commits, and libgit2 is left to read them. Any bytes are read
/// without a panic (the `commit_bytes` fuzz target).
pub fn from_bytes(id: ObjectId, data: &[u8]) -> Option<(ObjectId, Vec<ObjectId>, i64, RawCommit)> {
    let (tree, parents, time) = header(data)?;
    let commit = Content::from_raw(data)?.commit(id.0);
    let parents = parents.into_iter().map(ObjectId).collect();
    Some((ObjectId(tree), parents, time, commit))
}

/// A handle for reading commits, trees and blobs on another thread: its own
/// libgit2 repository (one is never shared between threads), opened on first use.
pub struct Reader {
    path: PathBuf,
    repo: std::cell::OnceCell<Repository>,
    /// Commits are read by libgit2 only: a shallow clone (libgit2 hides the
    /// parents its cut lacks), or replace refs or grafts that may change parents.
    libgit2_only: bool,
    /// The repository's pack files, and this thread's reader of them (made on first use).
    packs: Arc<Packs>,
    pack: std::cell::OnceCell<SharedReader>,
}

impl Reader {
    pub(super) fn new(path: PathBuf, libgit2_only: bool, packs: Arc<Packs>) -> Self {
        Self {
            path,
            repo: std::cell::OnceCell::new(),
            libgit2_only,
            packs,
            pack: std::cell::OnceCell::new(),
        }
    }

    fn pack(&self) -> SharedReader {
        self.pack
            .get_or_init(|| SharedReader::new(Arc::clone(&self.packs)))
            .clone()
    }

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

    /// Trees and blobs of this reader's repository, for the evidence stage
    /// (see [`super::Objects`]); the trees read last are kept for the next commits.
    ///
    /// # Errors
    ///
    /// A repository error when the repository cannot be opened.
    pub fn objects(&self) -> Result<RepoObjects<'_>> {
        Ok(RepoObjects::new(self.repo()?, Some(self.pack())))
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

    /// Commit objects as git, other tools and hostile hands write them: the
    /// bytes read in place say what libgit2's parse says, or leave it to libgit2.
    #[test]
    fn a_commit_read_from_its_bytes_is_the_commit_libgit2_reads() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let odb = repo.odb().unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let parent = odb
            .write(
                git2::ObjectType::Commit,
                format!("tree {tree}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nroot\n")
                    .as_bytes(),
            )
            .unwrap();
        let sig = "1700000000 +0100";
        let cases: Vec<Vec<u8>> = vec![
            format!("tree {tree}\nparent {parent}\nauthor  Jane  Doe  < jane@example.com > {sig}\ncommitter C <c@x> {sig}\n\nfix: a thing\n\nBody.\n").into(),
            [
                format!("tree {tree}\nparent {parent}\nparent {parent}\nauthor A <a@x> {sig}\ncommitter C <c@x> {sig}\nencoding ISO-8859-1\n\n\n\nMerge ").as_bytes(),
                b"\xe9t\xe9\n",
            ]
            .concat(),
            format!("tree {tree}\nauthor A <a@x> {sig}\ncommitter C <c@x> {sig}\ngpgsig -----BEGIN PGP SIGNATURE-----\n encoding ISO-8859-1\n -----END PGP SIGNATURE-----\n\nsigned\0hidden\n").into(),
            format!("tree {tree}\nauthor A <a@x> {sig}\ncommitter C <c@x> {sig}\n").into(),
            format!("tree {tree}\nauthor <weird<x>y> {sig}\ncommitter C <c@x> {sig}\n\nodd author\n").into(),
            format!("tree {tree}\nparent {parent}\nauthor A <a@x> {sig}\ncommitter C <c@x> {sig}\nparent {parent}\nauthor B <b@x> {sig}\nencoding ISO-8859-1\nencoding UTF-8\n\nlate headers\n").into(),
        ];
        for (n, data) in cases.iter().enumerate() {
            let oid = odb.write(git2::ObjectType::Commit, data).unwrap();
            let commit = repo.find_commit(oid).unwrap();
            let (t, parents, time) = header(data).unwrap_or_else(|| panic!("case {n}"));
            assert_eq!(t, commit.tree_id(), "case {n}");
            assert_eq!(parents, commit.parent_ids().collect::<Vec<_>>(), "case {n}");
            assert_eq!(time, commit.time().seconds(), "case {n}");
            let theirs = Content::new(&commit);
            let Some(ours) = Content::from_raw(data) else {
                // A bracket in the author's name or email: libgit2 reads it.
                assert_eq!(n, 4);
                continue;
            };
            assert_eq!(ours.message, theirs.message, "case {n}");
            assert_eq!(ours.author, theirs.author, "case {n}");
            assert_eq!(ours.name_len, theirs.name_len, "case {n}");
            assert_eq!(ours.latin1, theirs.latin1, "case {n}");
            assert_eq!(ours.parents, theirs.parents, "case {n}");
        }
        // Not laid out as git writes commits: left to libgit2.
        for bad in [
            format!(
                "parent {parent}\ntree {tree}\nauthor A <a@x> {sig}\ncommitter C <c@x> {sig}\n\nx\n"
            ),
            format!("tree {tree}\nauthor A a@x {sig}\ncommitter C <c@x> {sig}\n\nx\n"),
            format!("tree {tree}\nauthor A <a@x> {sig}\ncommitter C <c@x> soon\n\nx\n"),
            "tree 123\n".to_string(),
        ] {
            let bytes = bad.as_bytes();
            assert!(
                header(bytes).is_none() || Content::from_raw(bytes).is_none(),
                "{bad}"
            );
        }
    }
}
