//! Refs and the state around them: tags read in one pass, the bumpwise
//! notes (the one thing bumpwise writes, under [`NOTES_REF`], behind a lock),
//! the remote's URL, and the work tree's status and HEAD's upstream.

use std::collections::HashMap;

use git2::{ErrorCode, ObjectType, Oid};

use super::{Repo, git_error};
use crate::error::Result;

/// The notes ref that holds maintainers' overrides.
pub const NOTES_REF: &str = "refs/notes/bumpwise";

/// A tag whose target is a commit, with the commit's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged {
    /// The tag name, without `refs/tags/`.
    pub name: String,
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
    /// The branch HEAD is on; `None` when detached.
    pub branch: Option<String>,
    /// The repository's default branch: what `origin/HEAD` points at, else a
    /// local `main` or `master`; `None` when none of them says.
    pub default_branch: Option<String>,
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

/// A tag's target, peeled.
pub(super) enum Peeled {
    Commit(Oid),
    NotACommit,
    Missing,
}

impl Repo {
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
        update: impl FnOnce(Option<String>) -> Result<Option<String>>,
    ) -> Result<()> {
        let oid = Oid::from_str(commit).map_err(|e| git_error("bad commit id", &e))?;
        let lock = self.repo.commondir().join("bumpwise-notes.lock");
        crate::fsio::with_lock(&lock, || {
            update(self.note(commit)).and_then(|text| {
                let signature = self
                    .repo
                    .signature()
                    .or_else(|_| git2::Signature::now("bumpwise", "bumpwise@localhost"))
                    .map_err(|e| git_error("cannot make a signature for the note", &e))?;
                match text {
                    Some(text) => self
                        .repo
                        .note(&signature, &signature, Some(NOTES_REF), oid, &text, true)
                        .map(|_| ()),
                    // Nothing left to say: the note goes (there may have been none).
                    None => {
                        match self
                            .repo
                            .note_delete(oid, Some(NOTES_REF), &signature, &signature)
                        {
                            Err(e) if e.code() == ErrorCode::NotFound => Ok(()),
                            other => other,
                        }
                    }
                }
                .map_err(|e| git_error(&format!("cannot write the note on {commit}"), &e))
            })
        })
    }

    /// Every tag `keep` accepts (by name) that points at a commit, with the
    /// commit and its time: only those tags are peeled and their commits read.
    ///
    /// # Errors
    ///
    /// A repository error on a git failure.
    pub fn tagged(&self, keep: impl Fn(&str) -> bool) -> Result<Vec<Tagged>> {
        let mut out = Vec::new();
        for (name, &target) in self.tag_targets()? {
            if !keep(name) {
                continue;
            }
            if let Peeled::Commit(commit) = self.peel(target)? {
                out.push(Tagged {
                    name: name.clone(),
                    commit: commit.to_string(),
                    time: self.time_of(commit)?,
                });
            }
        }
        Ok(out)
    }

    /// The tag `name` peeled to what it points at; `None` when there is no such tag.
    pub(super) fn peel_tag(&self, name: &str) -> Result<Option<Peeled>> {
        match self.tag_targets()?.get(name) {
            Some(&target) => self.peel(target).map(Some),
            None => Ok(None),
        }
    }

    /// The commit the tag `name` names (through annotated tags); `None` when
    /// there is no such tag, or it names no commit this repository holds.
    ///
    /// # Errors
    ///
    /// A repository error when the tags cannot be read.
    pub fn tag_commit(&self, name: &str) -> Result<Option<String>> {
        Ok(match self.peel_tag(name)? {
            Some(Peeled::Commit(commit)) => Some(commit.to_string()),
            _ => None,
        })
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
        placement.branch = branch
            .as_ref()
            .and_then(|b| b.name().ok().flatten().map(str::to_string));
        placement.default_branch = self.default_branch();
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

    /// The default branch, read from local refs only: `origin/HEAD`'s target,
    /// else a local `main`, else a local `master`.
    fn default_branch(&self) -> Option<String> {
        let remote_head = self
            .repo
            .find_reference("refs/remotes/origin/HEAD")
            .ok()
            .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string));
        if let Some(target) = remote_head {
            return target
                .strip_prefix("refs/remotes/origin/")
                .map(str::to_string);
        }
        ["main", "master"]
            .into_iter()
            .find(|name| self.repo.find_branch(name, git2::BranchType::Local).is_ok())
            .map(str::to_string)
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

    pub(super) fn peel(&self, target: Oid) -> Result<Peeled> {
        // Through the packs first, as the walk reads them: libgit2's lookups
        // of a few hundred tags would map and touch a second copy of each
        // pack's index. What the packs do not hold, libgit2 peels.
        let mut target = target;
        let pack = self.pack_reader();
        for _ in 0..MAX_TAG_CHAIN {
            match pack.read(target, TAG_BYTES) {
                Some((ObjectType::Commit, _)) => return Ok(Peeled::Commit(target)),
                Some((ObjectType::Tree | ObjectType::Blob, _)) => return Ok(Peeled::NotACommit),
                Some((ObjectType::Tag, Some(bytes))) => match tagged_object(&bytes) {
                    Some(next) => target = next,
                    None => break,
                },
                _ => break,
            }
        }
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
}

/// Tags of tags followed through the packs before libgit2 is asked.
const MAX_TAG_CHAIN: usize = 8;
/// A tag object's bytes read through the packs (a signed tag is a few kilobytes).
const TAG_BYTES: usize = 1 << 16;

/// The object a tag object's bytes name on their first line (`object <hex>`),
/// when it is laid out as git writes it.
fn tagged_object(bytes: &[u8]) -> Option<Oid> {
    let hex = bytes.strip_prefix(b"object ")?.get(..40)?;
    if bytes.get(47) != Some(&b'\n') || !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    Oid::from_str(std::str::from_utf8(hex).ok()?).ok()
}
