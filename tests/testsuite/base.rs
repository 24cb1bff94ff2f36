//! Finding the last release: the highest stable SemVer tag reachable from HEAD.

use crate::fixture::Repo;
use crate::json::explain;

#[test]
fn versions_are_parsed_not_sorted_as_strings_or_by_date() {
    let mut repo = Repo::new();
    // 0.10.0 is older than 0.9.1 in time and smaller as a string, but the higher version.
    repo.commit("a")
        .tag("0.10.0")
        .commit("b")
        .tag("0.9.1")
        .commit("fix: c");
    let report = explain(&repo, &[]);
    assert_eq!(report.base.as_ref().unwrap().tag, "0.10.0");
    assert_eq!(report.decision.next_tag.as_deref(), Some("0.10.1"));
}

#[test]
fn a_release_outranks_its_release_candidates() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v0.4.0")
        .commit("b")
        .tag("v0.4.0-rc.1")
        .commit("fix: c");
    let report = explain(&repo, &[]);
    assert_eq!(report.base.as_ref().unwrap().tag, "v0.4.0");
    // v0.4.0-rc.1 is below the base: an older pre-release, not listed as a candidate.
    assert_eq!(report.skip_reason("v0.4.0-rc.1"), None);
}

#[test]
fn v_is_optional_and_the_newest_style_is_kept() {
    let mut repo = Repo::new();
    repo.commit("a").tag("0.3.1").commit("fix: b");
    repo.bumpwise()
        .arg("next")
        .assert()
        .success()
        .stdout_eq("0.3.2\n");
    repo.tag("v0.4.0").commit("fix: c");
    repo.bumpwise()
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v0.4.1\n");
}

#[test]
fn annotated_and_lightweight_tags_both_count() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.0.0")
        .commit("b")
        .annotated("v1.1.0", "Release 1.1.0")
        .commit("fix: c");
    let report = explain(&repo, &[]);
    let base = report.base.unwrap();
    assert_eq!(base.tag, "v1.1.0");
    // The base commit is the tagged commit, not the tag object.
    assert_eq!(report.commits.len(), 1);
    assert_eq!(base.commit.len(), 40);
}

#[test]
fn pre_release_tags_never_serve_as_base() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v0.5.0")
        .commit("fix: b")
        .tag("v0.6.0-rc.1")
        .commit("fix: c");
    let report = explain(&repo, &[]);
    assert_eq!(report.base.as_ref().unwrap().tag, "v0.5.0");
    assert_eq!(report.skip_reason("v0.6.0-rc.1"), Some("pre_release"));
    assert_eq!(report.commits.len(), 2);
}

#[test]
fn stable_wins_over_test_tags_on_the_same_commit() {
    // ContainerSSH: v0.5.0-test1/-test2 were pushed on the commit that became v0.5.1.
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v0.5.0")
        .commit("Fix x")
        .tag("v0.5.0-test1")
        .tag("v0.5.0-test2")
        .tag("v0.5.1");
    repo.commit("fix: y");
    let report = explain(&repo, &[]);
    assert_eq!(report.base.as_ref().unwrap().tag, "v0.5.1");
    assert_eq!(report.decision.next_tag.as_deref(), Some("v0.5.2"));
}

#[test]
fn tags_not_reachable_from_head_are_skipped_and_listed() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.0.0")
        .branch("side")
        .checkout("side")
        .commit("side work")
        .tag("v2.0.0");
    repo.checkout("main").commit("fix: b");
    let report = explain(&repo, &[]);
    assert_eq!(report.base.as_ref().unwrap().tag, "v1.0.0");
    assert_eq!(report.skip_reason("v2.0.0"), Some("unreachable"));
    assert_eq!(report.decision.next_tag.as_deref(), Some("v1.0.1"));
}

#[test]
fn tags_that_are_not_semver_are_skipped_and_listed() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.0.0")
        .tag("latest")
        .tag("v1.2")
        .tag("1.2.3.4")
        .commit("fix: b");
    let report = explain(&repo, &[]);
    assert_eq!(report.base.as_ref().unwrap().tag, "v1.0.0");
    for name in ["latest", "v1.2", "1.2.3.4"] {
        assert_eq!(report.skip_reason(name), Some("not_semver"), "{name}");
    }
}

#[test]
fn a_tag_prefix_selects_one_package() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("mylib-v1.0.0")
        .tag("other-v3.0.0")
        .tag("v9.0.0")
        .commit("feat: b");
    let report = explain(&repo, &["--tag-prefix", "mylib-"]);
    assert_eq!(report.base.as_ref().unwrap().tag, "mylib-v1.0.0");
    assert_eq!(report.decision.next_tag.as_deref(), Some("mylib-v1.1.0"));
    assert_eq!(report.skip_reason("other-v3.0.0"), Some("other_prefix"));
    assert_eq!(report.skip_reason("v9.0.0"), Some("other_prefix"));
    // Without the prefix, the package tags are someone else's.
    let unprefixed = explain(&repo, &[]);
    assert_eq!(unprefixed.base.as_ref().unwrap().tag, "v9.0.0");
    assert_eq!(unprefixed.skip_reason("mylib-v1.0.0"), Some("other_prefix"));
}

#[test]
fn the_tag_prefix_can_come_from_the_config_file() {
    let mut repo = Repo::new();
    repo.commit("a").tag("mylib-1.0.0").commit("fix: b");
    repo.write("bumpwise.toml", "tag_prefix = \"mylib-\"\n");
    repo.bumpwise()
        .arg("next")
        .assert()
        .success()
        .stdout_eq("mylib-1.0.1\n");
}

#[test]
fn the_first_release_is_0_1_0_with_a_v() {
    let mut repo = Repo::new();
    repo.commit("initial import");
    repo.bumpwise()
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v0.1.0\n");
    let report = explain(&repo, &[]);
    assert!(report.base.is_none());
    assert_eq!(report.decision.decided_by, "initial");
}

#[test]
fn the_first_release_is_configurable() {
    let mut repo = Repo::new();
    repo.commit("initial import");
    repo.bumpwise()
        .args(["next", "--initial-version", "1.0.0"])
        .assert()
        .success()
        .stdout_eq("v1.0.0\n");
    repo.write("bumpwise.toml", "initial_version = \"0.0.1\"\n");
    repo.bumpwise()
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v0.0.1\n");
}

#[test]
fn works_from_a_subdirectory_and_with_repo() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("feat: b");
    let sub = repo.path().join("deep/er");
    std::fs::create_dir_all(&sub).unwrap();
    repo.bumpwise()
        .current_dir(&sub)
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v1.1.0\n");
    crate::fixture::bumpwise()
        .current_dir(crate::fixture::plain_dir().path())
        .arg("--repo")
        .arg(&sub)
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v1.1.0\n");
}

#[test]
fn works_on_a_bare_repository() {
    let mut repo = Repo::bare();
    repo.commit("a").tag("v1.0.0").commit("fix: b");
    repo.bumpwise()
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v1.0.1\n");
}

#[test]
fn works_in_a_linked_worktree() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.0.0")
        .commit("fix: b")
        .branch("other");
    let dir = crate::fixture::plain_dir();
    let worktree = dir.path().join("wt");
    crate::fixture::git(
        repo.path(),
        &["worktree", "add", "-q", worktree.to_str().unwrap(), "other"],
    );
    repo.bumpwise()
        .current_dir(&worktree)
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v1.0.1\n");
}

#[test]
fn works_on_a_detached_head() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("feat: b").detach();
    repo.bumpwise()
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v1.1.0\n");
    assert_eq!(explain(&repo, &[]).head.branch, None);
}

#[test]
fn a_tag_on_a_tree_is_skipped() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("fix: b");
    let tree = repo.git.find_commit(repo.head()).unwrap().tree().unwrap();
    repo.git
        .tag_lightweight("v5.0.0", tree.as_object(), false)
        .unwrap();
    let report = explain(&repo, &[]);
    assert_eq!(report.base.as_ref().unwrap().tag, "v1.0.0");
    assert_eq!(report.skip_reason("v5.0.0"), Some("not_a_commit"));
}
