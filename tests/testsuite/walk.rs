//! The history walk reads each commit once; its range must be exactly git's.

use std::collections::BTreeSet;
use std::process::Command;

use crate::fixture::Repo;
use crate::json::explain;

fn rev_list(repo: &Repo, args: &[&str]) -> BTreeSet<String> {
    let output = Command::new("git")
        .arg("rev-list")
        .args(args)
        .current_dir(repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// A history with merges in both directions, a long-lived branch, and skewed clocks.
fn tangled() -> Repo {
    let mut repo = Repo::new();
    repo.commits(&["a", "b"])
        .tag("v1.0.0")
        .branch("long")
        .branch("topic");
    repo.checkout("topic").commits(&["feat: t1", "fix: t2"]);
    repo.checkout("main")
        .commit("fix: m1")
        .merge("topic", "Merge topic");
    // A commit that claims to be an hour older than its parent.
    repo.shift_clock(-3600)
        .commit("fix: skewed")
        .shift_clock(7200);
    repo.checkout("long")
        .commits(&["feat: l1", "feat: l2"])
        .shift_clock(-100_000)
        .commit("fix: l3 from the past");
    repo.shift_clock(200_000).checkout("main").commit("fix: m2");
    repo.merge("long", "Merge long")
        .branch("topic2")
        .checkout("topic2")
        .commit("feat: t3");
    repo.checkout("main")
        .merge("topic2", "Merge topic2")
        .commit("docs: last");
    repo
}

#[test]
fn the_range_is_git_rev_list_no_merges() {
    let repo = tangled();
    let ours: BTreeSet<String> = explain(&repo, &[])
        .commits
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ours, rev_list(&repo, &["--no-merges", "v1.0.0..HEAD"]));
    assert_eq!(ours.len(), 10);
}

#[test]
fn first_parent_is_git_rev_list_first_parent() {
    let repo = tangled();
    let ours: BTreeSet<String> = explain(&repo, &["--first-parent"])
        .commits
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ours, rev_list(&repo, &["--first-parent", "v1.0.0..HEAD"]));
}

#[test]
fn a_base_on_a_merged_branch_is_found() {
    // The release was tagged on a branch that was merged later: reachable only through a second parent.
    let mut repo = Repo::new();
    repo.commit("a")
        .branch("release")
        .checkout("release")
        .commit("fix: r")
        .tag("v2.0.0");
    repo.checkout("main")
        .commit("feat: m")
        .merge("release", "Merge release")
        .commit("fix: after");
    let report = explain(&repo, &[]);
    assert_eq!(report.base.as_ref().unwrap().tag, "v2.0.0");
    let ours: BTreeSet<String> = report.commits.into_iter().map(|c| c.id).collect();
    assert_eq!(ours, rev_list(&repo, &["--no-merges", "v2.0.0..HEAD"]));
    // With --first-parent the tag is still reachable (git's ancestry check decides).
    let first = explain(&repo, &["--first-parent"]);
    assert_eq!(first.base.as_ref().unwrap().tag, "v2.0.0");
}

#[test]
fn exclude_reachable_is_git_rev_list_with_a_second_hide() {
    let repo = tangled();
    let ours: BTreeSet<String> = explain(&repo, &["--exclude-reachable", "long"])
        .commits
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        ours,
        rev_list(&repo, &["--no-merges", "v1.0.0..HEAD", "^long"])
    );
}
