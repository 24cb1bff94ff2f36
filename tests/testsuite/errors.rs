//! Bad input: one line on stderr, a documented exit code, never a panic, and
//! the repository left exactly as it was.

use std::collections::BTreeMap;
use std::path::Path;

use crate::fixture::{self, Repo, bumpwise, git, plain_dir};

const REPOSITORY: i32 = 5;
const INCOMPLETE: i32 = 6;
const USAGE: i32 = 2;

#[test]
fn not_a_repository() {
    let dir = plain_dir();
    bumpwise()
        .current_dir(dir.path())
        .arg("next")
        .assert()
        .code(REPOSITORY)
        .stdout_eq("")
        .stderr_eq("error: . is not in a git repository; run bumpwise inside a checkout or pass --repo PATH\n");
}

#[test]
fn repo_path_that_does_not_exist() {
    bumpwise()
        .args(["--repo", "/nonexistent/bumpwise-test", "next"])
        .assert()
        .code(REPOSITORY)
        .stderr_eq("error: /nonexistent/bumpwise-test does not exist; pass --repo with the path of a git checkout\n");
}

#[test]
fn empty_repository() {
    let repo = Repo::new();
    repo.bumpwise()
        .arg("next")
        .assert()
        .code(REPOSITORY)
        .stderr_eq(
            "error: the repository has no commits yet; commit something, then run bumpwise\n",
        );
}

#[test]
fn unborn_branch_in_a_repository_with_commits() {
    let mut repo = Repo::new();
    repo.commit("a");
    repo.git.set_head("refs/heads/nothing-here").unwrap();
    repo.bumpwise().arg("explain").assert().code(REPOSITORY).stderr_eq(
        "error: HEAD points at refs/heads/nothing-here, which has no commits yet; check out a branch with commits\n",
    );
}

fn origin_with_release() -> Repo {
    let mut repo = Repo::new();
    repo.commit("before").commit("a").tag("v1.0.0");
    for i in 0..5 {
        repo.commit(&format!("fix: {i}"));
    }
    repo
}

fn shallow_clone(origin: &Repo, depth: u32) -> tempfile::TempDir {
    let dir = plain_dir();
    let url = format!("file://{}", origin.path().display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", &depth.to_string(), &url, "clone"],
    );
    dir
}

#[test]
fn shallow_clone_cut_before_the_release_is_incomplete() {
    let origin = origin_with_release();
    let clone = shallow_clone(&origin, 1);
    bumpwise()
        .current_dir(clone.path().join("clone"))
        .arg("next")
        .assert()
        .code(INCOMPLETE)
        .stdout_eq("")
        .stderr_eq("error: this is a shallow clone with no release tag in its history: the last release may lie beyond the cut, so the version cannot be trusted; fetch the full history with `git fetch --unshallow --tags` (in GitHub Actions: `fetch-depth: 0`)\n");
}

#[test]
fn shallow_clone_that_holds_the_release_works() {
    let origin = origin_with_release();
    // Depth 6 reaches the release commit but not the one before it.
    let clone = shallow_clone(&origin, 6);
    let path = clone.path().join("clone");
    assert!(path.join(".git/shallow").exists());
    bumpwise()
        .current_dir(&path)
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v1.0.1\n")
        .stderr_eq(
            "warning: this is a shallow clone; the range since the last release is complete\npatch release: v1.0.0 → v1.0.1 under the guide policy (the commits require patch)\nconfidence [..]: 5 explicit fixes; [..]\n",
        );
}

#[test]
fn shallow_clone_with_the_release_tag_beyond_the_cut_is_incomplete() {
    // The tag is known (fetched on its own) but its commit is not within HEAD's shallow history.
    let origin = origin_with_release();
    let clone = shallow_clone(&origin, 2);
    let path = clone.path().join("clone");
    git(
        &path,
        &[
            "fetch",
            "-q",
            "--depth=1",
            "origin",
            "refs/tags/v1.0.0:refs/tags/v1.0.0",
        ],
    );
    bumpwise()
        .current_dir(&path)
        .arg("next")
        .assert()
        .code(INCOMPLETE)
        .stderr_eq("error: this is a shallow clone and tag v1.0.0 is not within its history: it may be the last release, so the version cannot be trusted; fetch the full history with `git fetch --unshallow --tags` (in GitHub Actions: `fetch-depth: 0`)\n");
}

#[test]
fn shallow_clone_cut_inside_the_range_is_incomplete() {
    // The release commit survives the cut, but a merged side branch is cut short.
    let mut origin = Repo::new();
    origin
        .commit("before")
        .commit("a")
        .tag("v1.0.0")
        .branch("side")
        .checkout("side");
    origin
        .commits(&["feat: s1", "fix: s2", "fix: s3"])
        .checkout("main")
        .commit("fix: f1")
        .merge("side", "Merge side");
    let clone = shallow_clone(&origin, 3);
    bumpwise()
        .current_dir(clone.path().join("clone"))
        .arg("next")
        .assert()
        .code(INCOMPLETE)
        .stderr_eq("error: this shallow clone ends inside the range since the last release, so the version cannot be trusted; fetch the full history with `git fetch --unshallow --tags` (in GitHub Actions: `fetch-depth: 0`)\n");
}

/// Runs `bumpwise ARGS` and returns its stderr, checking for exit 2 and a single `error:` line.
fn config_error(repo: &Repo, args: &[&str]) -> String {
    let output = repo.bumpwise().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(USAGE));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: ") && stderr.lines().count() == 1,
        "{stderr}"
    );
    stderr
}

#[test]
fn config_that_is_not_toml_names_the_line() {
    let mut repo = origin_with_release();
    repo.write("bumpwise.toml", "policy = \"guide\"\nthis is not toml\n");
    let stderr = config_error(&repo, &["next"]);
    assert!(stderr.contains("bumpwise.toml line 2:"), "{stderr}");
}

#[test]
fn config_with_an_unknown_key_names_the_key() {
    let mut repo = origin_with_release();
    repo.write("bumpwise.toml", "policy = \"guide\"\ntag-prefix = \"v\"\n");
    let stderr = config_error(&repo, &["next"]);
    assert!(
        stderr.contains("line 2: unknown field `tag-prefix`"),
        "{stderr}"
    );
    // The help it points at exists: `bumpwise config` prints every key.
    assert!(
        stderr.contains("`bumpwise config` prints every key"),
        "{stderr}"
    );
    assert!(!stderr.contains("bumpwise --help"), "{stderr}");
}

#[test]
fn config_with_a_wrong_value_names_it() {
    let mut repo = origin_with_release();
    repo.write("bumpwise.toml", "[types]\nfeat = \"huge\"\n");
    let stderr = config_error(&repo, &["next"]);
    assert!(
        stderr.contains("line 2: unknown variant `huge`"),
        "{stderr}"
    );
    repo.write("bumpwise.toml", "initial_version = \"one\"\n");
    let stderr = config_error(&repo, &["next"]);
    assert!(
        stderr.contains("initial_version `one` is not a SemVer version"),
        "{stderr}"
    );
}

#[test]
fn config_that_is_a_directory_or_missing() {
    let repo = origin_with_release();
    std::fs::create_dir(repo.path().join("bumpwise.toml")).unwrap();
    let stderr = config_error(&repo, &["next"]);
    assert!(
        stderr.starts_with("error: cannot read configuration"),
        "{stderr}"
    );
    let stderr = config_error(&repo, &["--config", "missing.toml", "next"]);
    assert!(
        stderr.starts_with("error: cannot read configuration missing.toml"),
        "{stderr}"
    );
}

/// Every file under the git directory with its bytes, to compare before and after.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        for entry in std::fs::read_dir(&path).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                files.insert(
                    entry.path().display().to_string(),
                    std::fs::read(entry.path()).unwrap(),
                );
            }
        }
    }
    files
}

#[test]
fn reading_never_changes_the_repository() {
    let mut repo = fixture::Repo::new();
    repo.commit("a")
        .annotated("v1.0.0", "release")
        .commit("feat: b")
        .commit("Revert \"feat: b\"");
    let before = snapshot(&repo.path().join(".git"));
    // Every command but `mark` (and `init`, which writes bumpwise.toml in the work tree) only reads.
    for args in [
        vec!["next"],
        vec!["explain"],
        vec!["next", "--format", "json"],
        vec!["next", "--format", "github"],
        vec!["next", "--first-parent"],
        vec!["changelog"],
        vec!["changelog", "--all", "--format", "json"],
        vec!["deprecations"],
        vec!["check"],
        vec!["check", "v9.9.9", "--format", "json"],
        vec!["config"],
        vec!["completions", "bash"],
    ] {
        let output = repo.bumpwise().args(&args).output().unwrap();
        assert!(matches!(output.status.code(), Some(0 | 3 | 4)), "{args:?}");
    }
    assert_eq!(before, snapshot(&repo.path().join(".git")));
}

/// A container reads a repository that belongs to another user: git's
/// safe.directory refuses it. bumpwise says how to trust it, and the image's
/// `/etc/gitconfig` (`docker/gitconfig`, used here as the user's own) does.
#[test]
#[ignore = "gives a repository to another user: needs root; cargo test -- --include-ignored"]
fn a_repository_of_another_user_says_how_to_trust_it() {
    let mut repo = Repo::new();
    repo.commit("feat: first");
    let chown = std::process::Command::new("chown")
        .args(["-R", "4242:4242"])
        .arg(repo.path())
        .status()
        .unwrap();
    assert!(chown.success(), "chown needs root");
    let out = repo.bumpwise().arg("next").output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("belongs to another user") && stderr.contains("safe.directory"),
        "{stderr}"
    );
    // The exact path first; the global '*' only as the blunt alternative.
    let exact = format!(
        "safe.directory {}`",
        std::fs::canonicalize(repo.path()).unwrap().display()
    );
    let at = stderr
        .find(&exact)
        .unwrap_or_else(|| panic!("{exact} in {stderr}"));
    assert!(stderr.find("'*'").is_some_and(|star| star > at), "{stderr}");
    let home = crate::fixture::plain_dir();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/docker/gitconfig"),
        home.path().join(".gitconfig"),
    )
    .unwrap();
    let trusted = repo
        .bumpwise()
        .arg("next")
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(trusted.stdout).unwrap(), "v0.1.0\n");
}
