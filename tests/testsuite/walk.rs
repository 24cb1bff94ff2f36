//! The history walk reads each commit once; its range must be exactly git's.

use std::collections::BTreeSet;
use std::process::Command;

use crate::fixture::Repo;
use crate::json::explain;

pub fn rev_list(repo: &Repo, args: &[&str]) -> BTreeSet<String> {
    rev_list_ordered(repo, args).into_iter().collect()
}

/// The ids of the commits `explain` lists with `args`.
fn ids(repo: &Repo, args: &[&str]) -> BTreeSet<String> {
    explain(repo, args)
        .commits
        .into_iter()
        .map(|c| c.id)
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
    let ours = ids(&repo, &[]);
    assert_eq!(ours, rev_list(&repo, &["--no-merges", "v1.0.0..HEAD"]));
    assert_eq!(ours.len(), 10);
}

#[test]
fn first_parent_is_git_rev_list_first_parent() {
    let repo = tangled();
    let ours = ids(&repo, &["--first-parent"]);
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
    let ours = ids(&repo, &["--exclude-reachable", "long"]);
    assert_eq!(
        ours,
        rev_list(&repo, &["--no-merges", "v1.0.0..HEAD", "^long"])
    );
}

/// What bumpwise says of `repo`, in every mode that walks the history.
fn outputs(repo: &Repo) -> Vec<String> {
    [
        &["explain", "--format", "json"][..],
        &["explain", "--format", "json", "--first-parent"],
        &["explain", "--format", "json", "--exclude-reachable", "long"],
        &["changelog", "--all", "--date", "2026-01-01"],
        &[
            "changelog",
            "--from",
            "v1.0.0",
            "--to",
            "HEAD",
            "--format",
            "json",
        ],
    ]
    .iter()
    .map(|args| repo.stdout_of(args))
    .collect()
}

fn graph_file(repo: &Repo) -> std::path::PathBuf {
    repo.path().join(".git/objects/info/commit-graph")
}

#[test]
fn a_commit_graph_changes_nothing_but_the_speed() {
    let repo = tangled();
    let read = outputs(&repo);
    crate::fixture::git(repo.path(), &["commit-graph", "write", "--reachable"]);
    assert!(graph_file(&repo).exists());
    assert_eq!(outputs(&repo), read);
    let ours = ids(&repo, &[]);
    assert_eq!(ours, rev_list(&repo, &["--no-merges", "v1.0.0..HEAD"]));
}

#[test]
fn commits_newer_than_the_commit_graph_are_read() {
    let mut repo = tangled();
    crate::fixture::git(repo.path(), &["commit-graph", "write", "--reachable"]);
    // Work after the graph was written, with a merge, and a release tag on it.
    repo.branch("late")
        .checkout("late")
        .commit("feat: late one");
    repo.checkout("main")
        .commit("fix: late two")
        .merge("late", "Merge late")
        .tag("v1.1.0")
        .commit("fix: after the release");
    let with_graph = outputs(&repo);
    std::fs::remove_file(graph_file(&repo)).unwrap();
    assert_eq!(with_graph, outputs(&repo));
    assert_eq!(explain(&repo, &[]).base.unwrap().tag, "v1.1.0");
}

#[test]
fn a_split_commit_graph_is_read_too() {
    let mut repo = tangled();
    crate::fixture::git(
        repo.path(),
        &["commit-graph", "write", "--reachable", "--split"],
    );
    repo.commits(&["feat: s1", "fix: s2"]);
    crate::fixture::git(
        repo.path(),
        &["commit-graph", "write", "--reachable", "--split=no-merge"],
    );
    let chain = repo
        .path()
        .join(".git/objects/info/commit-graphs/commit-graph-chain");
    assert!(chain.exists());
    let with_graph = outputs(&repo);
    std::fs::remove_dir_all(chain.parent().unwrap()).unwrap();
    assert_eq!(with_graph, outputs(&repo));
}

#[test]
fn a_broken_commit_graph_is_passed_over() {
    let repo = tangled();
    let read = outputs(&repo);
    crate::fixture::git(repo.path(), &["commit-graph", "write", "--reachable"]);
    let path = graph_file(&repo);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.truncate(bytes.len() / 2);
    // git writes the graph read-only.
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&path, permissions).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(outputs(&repo), read);
    std::fs::write(&path, b"not a commit graph").unwrap();
    assert_eq!(outputs(&repo), read);
}

/// `git rev-list` in its own order (newest first).
fn rev_list_ordered(repo: &Repo, args: &[&str]) -> Vec<String> {
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

#[test]
fn a_long_range_keeps_git_order_across_the_workers_batches() {
    // Commits are classified in batches of 512 on several threads: more than three batches here.
    let mut repo = Repo::new();
    repo.commit("initial").tag("v1.0.0");
    let messages: Vec<String> = (0..1700)
        .map(|i| match i % 3 {
            0 => format!("fix: mend {i}"),
            1 => format!("feat: add {i}"),
            _ => format!("Tidy {i}"),
        })
        .collect();
    let messages: Vec<&str> = messages.iter().map(String::as_str).collect();
    repo.commits(&messages);
    let expected = rev_list_ordered(&repo, &["--no-merges", "v1.0.0..HEAD"]);
    let listed = |repo: &Repo| -> Vec<(String, String)> {
        explain(repo, &[])
            .commits
            .into_iter()
            .map(|c| (c.id, c.subject))
            .collect()
    };
    let read = listed(&repo);
    assert_eq!(
        read.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(read[0].1, "feat: add 1699");
    assert_eq!(read[1699].1, "fix: mend 0");
    crate::fixture::git(repo.path(), &["commit-graph", "write", "--reachable"]);
    assert_eq!(listed(&repo), read);
}

#[test]
fn a_base_older_than_its_parent_still_hides_its_ancestors() {
    // The release commit claims to be older than the commits it was made on
    // (a skewed clock), so the walk reaches those from HEAD before the release
    // marks them as released: the late mark must still take them out.
    let mut repo = Repo::new();
    repo.commits(&["a", "fix: shared"]).branch("long");
    repo.checkout("long")
        .shift_clock(-100_000)
        .commit("fix: r")
        .tag("v1.0.0")
        .shift_clock(200_000);
    repo.checkout("main")
        .commit("feat: m")
        .merge("long", "Merge long")
        .commit("fix: h");
    let ours = ids(&repo, &[]);
    assert_eq!(ours, rev_list(&repo, &["--no-merges", "v1.0.0..HEAD"]));
    assert_eq!(ours.len(), 2);
    // The whole-history walk, hiding the release branch, leaves out the same commits.
    let notes = repo.stdout_of(&[
        "changelog",
        "--all",
        "--exclude-reachable",
        "long",
        "--format",
        "json",
    ]);
    let kept = rev_list(&repo, &["--no-merges", "HEAD", "^long"]);
    assert_eq!(kept.len(), 2);
    for id in rev_list(&repo, &["--no-merges", "HEAD"]) {
        assert_eq!(notes.contains(&id), kept.contains(&id), "{id} in {notes}");
    }
    let read = outputs(&repo);
    crate::fixture::git(repo.path(), &["commit-graph", "write", "--reachable"]);
    assert_eq!(outputs(&repo), read);
}

#[test]
fn grafts_change_the_parents_as_git_reads_them_with_or_without_a_commit_graph() {
    // Five commits after the release; a graft makes the third a root, so git's range is the last three.
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0");
    for n in 1..=5 {
        repo.commit(&format!("fix: change {n}"));
    }
    let third = rev_list_ordered(&repo, &["HEAD~2", "-1"]).remove(0);
    std::fs::write(repo.path().join(".git/info/grafts"), format!("{third}\n")).unwrap();
    let git = rev_list(&repo, &["--no-merges", "HEAD"]);
    assert_eq!(git.len(), 3, "git reads the graft");
    assert_eq!(ids(&repo, &[]), git);
    crate::fixture::git(repo.path(), &["commit-graph", "write", "--reachable"]);
    assert_eq!(ids(&repo, &[]), git);
}

/// Runs `git ARGS` in `repo` with `input` on its stdin.
fn git_with_input(repo: &Repo, args: &[&str], input: &[u8]) {
    use std::io::Write;
    let mut child = Command::new("git")
        .args(args)
        .current_dir(repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("git runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    assert!(child.wait().unwrap().success(), "git {args:?} failed");
}

#[test]
fn a_history_in_packs_reads_as_its_loose_objects() {
    // A Go library whose functions and docs grow a little each commit: packs
    // store most versions as deltas, and the API's attribution reads them all.
    let go = |n: usize| -> String {
        let funcs: String = (0..=n)
            .map(|f| format!("// F{f} runs.\nfunc F{f}() {{}}\n\n"))
            .collect();
        format!("package a\n\n{funcs}")
    };
    let doc = |n: usize| -> String {
        (0..=n)
            .map(|l| format!("Line {l} of the guide.\n"))
            .collect()
    };
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/lib\n")),
            ("a/a.go", Some(&go(0))),
            ("docs/guide.md", Some(&doc(0))),
        ],
    )
    .tag("v1.0.0")
    .branch("long");
    for n in 1..=30 {
        let files = [("a/a.go", Some(go(n))), ("docs/guide.md", Some(doc(n)))];
        let files: Vec<(&str, Option<&str>)> = files[..1 + n % 2]
            .iter()
            .map(|(p, t)| (*p, t.as_deref()))
            .collect();
        repo.commit_files(&format!("Change {n}"), &files);
        if n == 10 {
            repo.annotated("v1.1.0", "Release 1.1.0");
        }
    }
    // Tags peeled through the packs: a tag of a tag, and one naming a tree.
    let who = ["-c", "user.name=T", "-c", "user.email=t@example.com"];
    let nested = ["tag", "-a", "-m", "Release 1.2.0", "v1.2.0", "v1.1.0"];
    crate::fixture::git(repo.path(), &[&who[..], &nested[..]].concat());
    crate::fixture::git(repo.path(), &["tag", "v0.9.0", "HEAD^{tree}"]);
    let loose = outputs(&repo);
    assert!(loose[3].contains("1.2.0"), "{}", loose[3]);
    assert!(loose[0].contains("added go func a.F30"), "{}", loose[0]);

    // The older half in a pack git writes, the newer half loose.
    let older = Command::new("git")
        .args(["rev-list", "--objects", "HEAD~15"])
        .current_dir(repo.path())
        .output()
        .expect("git runs")
        .stdout;
    let ids: String = String::from_utf8(older)
        .unwrap()
        .lines()
        .map(|l| format!("{}\n", &l[..40]))
        .collect();
    git_with_input(
        &repo,
        &["pack-objects", "-q", ".git/objects/pack/pack"],
        ids.as_bytes(),
    );
    crate::fixture::git(repo.path(), &["prune-packed"]);
    assert_eq!(outputs(&repo), loose, "one pack and loose objects");
    // Two packs; then one, with chains as long as git makes them.
    crate::fixture::git(repo.path(), &["repack", "-dq"]);
    assert_eq!(outputs(&repo), loose, "two packs");
    crate::fixture::git(
        repo.path(),
        &["repack", "-adfq", "--depth=250", "--window=250"],
    );
    let packs = std::fs::read_dir(repo.path().join(".git/objects/pack"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pack")
        })
        .count();
    assert_eq!(packs, 1);
    assert_eq!(outputs(&repo), loose, "one pack");
}
