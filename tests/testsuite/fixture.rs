//! Hermetic git fixtures: scenario repositories built in-process with git2.
//!
//! Fixed author, fixed clock, an explicit `main` branch, and never the
//! developer's `~/.gitconfig` (git2's config search paths point at an empty
//! directory; the binary runs with `HOME` in a temp dir), so every id is
//! deterministic. `commit` changes no file, so its message alone decides (a
//! root commit adds a `counter` file); `commit_touching` and `commit_files`
//! change real files, for the rules that read the paths.

use std::path::Path;
use std::sync::Once;

use git2::{Oid, Repository, RepositoryInitOptions, Signature, Time};
use snapbox::cmd::Command;
use tempfile::TempDir;

static HERMETIC: Once = Once::new();

fn empty_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"))
        .path()
}

/// Points git2's global, XDG and system config lookups at an empty directory.
fn hermetic() {
    HERMETIC.call_once(|| {
        for level in [
            git2::ConfigLevel::System,
            git2::ConfigLevel::Global,
            git2::ConfigLevel::XDG,
            git2::ConfigLevel::ProgramData,
        ] {
            // SAFETY: called once, before any other git2 use in this process.
            unsafe { git2::opts::set_search_path(level, empty_dir()) }.expect("search path");
        }
    });
}

/// A scenario repository in a temporary directory.
pub struct Repo {
    dir: TempDir,
    pub git: Repository,
    clock: i64,
}

impl Repo {
    /// An empty repository whose HEAD is the unborn `main` branch.
    pub fn new() -> Self {
        Self::init(false)
    }

    /// An empty bare repository whose HEAD is the unborn `main` branch.
    pub fn bare() -> Self {
        Self::init(true)
    }

    fn init(bare: bool) -> Self {
        hermetic();
        let dir = tempfile::tempdir().expect("tempdir");
        let mut opts = RepositoryInitOptions::new();
        opts.initial_head("main").bare(bare);
        let git = Repository::init_opts(dir.path(), &opts).expect("init");
        Self {
            dir,
            git,
            clock: 1_700_000_000,
        }
    }

    /// The work tree (or the git directory of a bare repository).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn signature(&mut self) -> Signature<'static> {
        self.signature_of("Fixture", "fixture@example.com")
    }

    fn signature_of(&mut self, name: &str, email: &str) -> Signature<'static> {
        self.clock += 60;
        Signature::new(name, email, &Time::new(self.clock, 0)).expect("signature")
    }

    /// Commits `message` on HEAD as the author `name <email>`.
    pub fn commit_as(&mut self, message: &str, name: &str, email: &str) -> &mut Self {
        let author = self.signature_of(name, email);
        let parents: Vec<Oid> = self.head_oid().into_iter().collect();
        self.commit_signed(message, &parents, &author);
        self
    }

    fn head_oid(&self) -> Option<Oid> {
        self.git.head().ok().and_then(|h| h.target())
    }

    /// Commits `message` on HEAD, with a tree of its own.
    pub fn commit(&mut self, message: &str) -> &mut Self {
        let parents: Vec<Oid> = self.head_oid().into_iter().collect();
        self.commit_with_parents(message, &parents);
        self
    }

    /// Moves the fixture's clock by `seconds` (negative: commits that claim to be older, as with skewed clocks).
    pub fn shift_clock(&mut self, seconds: i64) -> &mut Self {
        self.clock += seconds;
        self
    }

    /// Commits `message` on HEAD, changing the file at `path` (nested directories allowed).
    pub fn commit_touching(&mut self, message: &str, path: &str) -> &mut Self {
        // The content is the commit's own clock (the signature moves it a minute on).
        let content = format!("{}\n", self.clock + 60);
        self.commit_files(message, &[(path, Some(&content))])
    }

    /// Commits `message` on HEAD, writing each `(path, content)` (nested
    /// directories allowed); a `None` content deletes the file.
    pub fn commit_files(&mut self, message: &str, files: &[(&str, Option<&str>)]) -> &mut Self {
        let sig = self.signature();
        let head = self.head_oid();
        {
            let base = match head {
                Some(head) => self
                    .git
                    .find_commit(head)
                    .expect("head")
                    .tree()
                    .expect("tree"),
                None => {
                    let empty = self
                        .git
                        .treebuilder(None)
                        .expect("treebuilder")
                        .write()
                        .expect("tree");
                    self.git.find_tree(empty).expect("empty tree")
                }
            };
            let mut update = git2::build::TreeUpdateBuilder::new();
            for (path, content) in files {
                match content {
                    Some(text) => {
                        let blob = self.git.blob(text.as_bytes()).expect("blob");
                        update.upsert(*path, blob, git2::FileMode::Blob);
                    }
                    None => {
                        update.remove(*path);
                    }
                }
            }
            let tree = update
                .create_updated(&self.git, &base)
                .expect("tree update");
            let tree = self.git.find_tree(tree).expect("tree");
            let parents: Vec<git2::Commit> = head
                .iter()
                .map(|h| self.git.find_commit(*h).expect("parent"))
                .collect();
            let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
            self.git
                .commit(Some("HEAD"), &sig, &sig, message, &tree, &parent_refs)
                .expect("commit");
        }
        self
    }

    /// Commits `message` on HEAD with a symbolic link at `path` pointing at `target`.
    pub fn commit_symlink(&mut self, message: &str, path: &str, target: &str) -> &mut Self {
        let blob = self.git.blob(target.as_bytes()).expect("blob");
        self.commit_entry(message, path, blob, git2::FileMode::Link)
    }

    /// Commits `message` on HEAD, pointing the submodule (gitlink) at `path`
    /// at the commit `target` of another repository.
    pub fn commit_gitlink(&mut self, message: &str, path: &str, target: &str) -> &mut Self {
        let target = Oid::from_str(target).expect("an id");
        self.commit_entry(message, path, target, git2::FileMode::Commit)
    }

    /// Commits `message` on HEAD with the entry `id` of `mode` at `path`.
    fn commit_entry(
        &mut self,
        message: &str,
        path: &str,
        id: Oid,
        mode: git2::FileMode,
    ) -> &mut Self {
        let sig = self.signature();
        let head = self.head_oid().expect("a commit to build on");
        {
            let parent = self.git.find_commit(head).expect("head");
            let mut update = git2::build::TreeUpdateBuilder::new();
            update.upsert(path, id, mode);
            let tree = update
                .create_updated(&self.git, &parent.tree().expect("tree"))
                .expect("tree update");
            let tree = self.git.find_tree(tree).expect("tree");
            self.git
                .commit(Some("HEAD"), &sig, &sig, message, &tree, &[&parent])
                .expect("commit");
        }
        self
    }

    /// Commits `message` on HEAD with a tree of its own, holding only a
    /// `counter` file: every other path is deleted.
    pub fn commit_fresh_tree(&mut self, message: &str) -> &mut Self {
        let sig = self.signature();
        let head = self.head();
        {
            let blob = self
                .git
                .blob(format!("{}\n", self.clock).as_bytes())
                .expect("blob");
            let mut builder = self.git.treebuilder(None).expect("treebuilder");
            builder.insert("counter", blob, 0o100644).expect("insert");
            let id = builder.write().expect("tree");
            let tree = self.git.find_tree(id).expect("find tree");
            let parent = self.git.find_commit(head).expect("head");
            self.git
                .commit(Some("HEAD"), &sig, &sig, message, &tree, &[&parent])
                .expect("commit");
        }
        self
    }

    /// Commits one message per line of `messages`.
    pub fn commits(&mut self, messages: &[&str]) -> &mut Self {
        for message in messages {
            self.commit(message);
        }
        self
    }

    fn commit_with_parents(&mut self, message: &str, parents: &[Oid]) -> Oid {
        let sig = self.signature();
        self.commit_signed(message, parents, &sig)
    }

    /// A commit on `parents` that changes no file (its first parent's tree), so
    /// that its message alone decides; a root commit holds a `counter` file.
    fn commit_signed(&mut self, message: &str, parents: &[Oid], sig: &Signature<'_>) -> Oid {
        let parents: Vec<git2::Commit> = parents
            .iter()
            .map(|p| self.git.find_commit(*p).expect("parent"))
            .collect();
        let tree = match parents.first() {
            Some(parent) => parent.tree().expect("tree"),
            None => {
                let blob = self
                    .git
                    .blob(format!("{}\n", self.clock).as_bytes())
                    .expect("blob");
                let mut tree = self.git.treebuilder(None).expect("treebuilder");
                tree.insert("counter", blob, 0o100644).expect("insert");
                let id = tree.write().expect("tree");
                self.git.find_tree(id).expect("find tree")
            }
        };
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        self.git
            .commit(Some("HEAD"), sig, sig, message, &tree, &parent_refs)
            .expect("commit")
    }

    /// A lightweight tag at HEAD.
    pub fn tag(&mut self, name: &str) -> &mut Self {
        {
            let head = self.git.find_object(self.head(), None).expect("head");
            self.git.tag_lightweight(name, &head, false).expect("tag");
        }
        self
    }

    /// An annotated tag at HEAD.
    pub fn annotated(&mut self, name: &str, message: &str) -> &mut Self {
        let sig = self.signature();
        {
            let head = self.git.find_object(self.head(), None).expect("head");
            self.git
                .tag(name, &head, &sig, message, false)
                .expect("annotated tag");
        }
        self
    }

    /// Creates branch `name` at HEAD (HEAD stays where it is).
    pub fn branch(&mut self, name: &str) -> &mut Self {
        {
            let head = self.git.find_commit(self.head()).expect("head");
            self.git.branch(name, &head, false).expect("branch");
        }
        self
    }

    /// Points HEAD at branch `name`.
    pub fn checkout(&mut self, name: &str) -> &mut Self {
        self.git
            .set_head(&format!("refs/heads/{name}"))
            .expect("set head");
        self
    }

    /// Detaches HEAD at its current commit.
    pub fn detach(&mut self) -> &mut Self {
        self.git.set_head_detached(self.head()).expect("detach");
        self
    }

    /// A merge commit on HEAD with branch `name` as second parent.
    pub fn merge(&mut self, name: &str, message: &str) -> &mut Self {
        let theirs = self
            .git
            .find_branch(name, git2::BranchType::Local)
            .expect("branch")
            .get()
            .target()
            .expect("branch target");
        let ours = self.head();
        let sig = self.signature();
        {
            // The merged tree, as `git merge` makes it (the branches in these scenarios never conflict).
            let (a, b) = (
                self.git.find_commit(ours).expect("ours"),
                self.git.find_commit(theirs).expect("theirs"),
            );
            let mut index = self.git.merge_commits(&a, &b, None).expect("merge");
            let tree = index.write_tree_to(&self.git).expect("merged tree");
            let tree = self.git.find_tree(tree).expect("tree");
            self.git
                .commit(Some("HEAD"), &sig, &sig, message, &tree, &[&a, &b])
                .expect("commit");
        }
        self
    }

    /// The full id of HEAD's commit.
    pub fn head(&self) -> Oid {
        self.head_oid().expect("HEAD has a commit")
    }

    /// Checks HEAD out into the index and the work tree, so the work tree is clean.
    pub fn sync(&mut self) -> &mut Self {
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.force();
        self.git
            .checkout_head(Some(&mut checkout))
            .expect("checkout");
        self
    }

    /// Makes `origin/<branch>` point at `rev` and the upstream of the local `branch`.
    pub fn upstream(&mut self, branch: &str, rev: &str) -> &mut Self {
        let oid = self.git.revparse_single(rev).expect("rev").id();
        if self.git.find_remote("origin").is_err() {
            self.git
                .remote("origin", "https://example.com/o/r.git")
                .expect("remote");
        }
        self.git
            .reference(
                &format!("refs/remotes/origin/{branch}"),
                oid,
                true,
                "fixture",
            )
            .expect("remote ref");
        {
            let mut local = self
                .git
                .find_branch(branch, git2::BranchType::Local)
                .expect("branch");
            local
                .set_upstream(Some(&format!("origin/{branch}")))
                .expect("upstream");
        }
        self
    }

    /// Writes a file in the work tree (not committed).
    pub fn write(&mut self, name: &str, text: &str) -> &mut Self {
        std::fs::write(self.path().join(name), text).expect("write");
        self
    }

    /// The stdout of `bumpwise ARGS` in this repository, which must succeed (its stderr is shown if not).
    pub fn stdout_of(&self, args: &[&str]) -> String {
        let output = self.bumpwise().args(args).output().expect("runs");
        assert!(
            output.status.success(),
            "bumpwise {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    /// `bumpwise ARGS` run in this repository, hermetically.
    pub fn bumpwise(&self) -> Command {
        bumpwise().current_dir(self.path())
    }
}

/// Runs `bumpwise ARGS` in `dir` with its stdout closed before anything is
/// written (`bumpwise … | head -0`); returns the exit code and stderr.
pub fn with_closed_stdout(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(snapbox::cmd::cargo_bin!("bumpwise"))
        .current_dir(dir)
        .env("HOME", empty_dir())
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The real binary, with an environment that reads no user or system git config.
pub fn bumpwise() -> Command {
    // Backslashes are content here (Markdown escapes), not Windows path separators.
    let assert = snapbox::Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .normalize_paths(false);
    Command::new(snapbox::cmd::cargo_bin!("bumpwise"))
        .with_assert(assert)
        .env("HOME", empty_dir())
        .env("XDG_CONFIG_HOME", empty_dir())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("COLUMNS")
        // 2026-01-02: "today" in release-note headings.
        .env("SOURCE_DATE_EPOCH", "1767312000")
}

/// A fresh empty directory that is not inside any repository.
pub fn plain_dir() -> TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Runs the real `git` (for what git2 cannot build, such as a shallow clone).
pub fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", empty_dir())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}
