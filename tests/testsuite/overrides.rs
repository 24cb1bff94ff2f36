//! Correcting the record without rewriting history: overrides in `bumpwise.toml`
//! and in git notes (`bumpwise mark`), and `--exclude-reachable`.

use std::collections::BTreeMap;

use crate::fixture::Repo;
use crate::json::{Rule, explain};

fn released(messages: &[&str]) -> Repo {
    let mut repo = Repo::new();
    repo.commit("initial").tag("v1.0.0").commits(messages);
    repo
}

fn id_of(repo: &Repo, rev: &str) -> String {
    repo.git.revparse_single(rev).unwrap().id().to_string()
}

#[test]
fn a_config_override_by_abbreviated_id() {
    let mut repo = released(&["Rework the configuration loader", "Fixed a crash"]);
    let target = id_of(&repo, "HEAD~1");
    repo.write(
        "bumpwise.toml",
        &format!(
            "[overrides.{}]\nbreaking = \"environment variables are no longer read\"\n",
            &target[..8]
        ),
    );
    let report = explain(&repo, &[]);
    let commit = report.commit("Rework the configuration loader");
    assert_eq!(
        (commit.kind.as_str(), commit.confidence.as_str()),
        ("breaking", "high")
    );
    assert_eq!(
        commit.rule,
        Rule::Override {
            source: "config".into()
        }
    );
    assert_eq!(commit.rule_text, "override (bumpwise.toml)");
    assert_eq!(report.summary.overridden, 1);
    assert_eq!(report.decision.next_version.as_deref(), Some("2.0.0"));
    assert_eq!(
        report.breaking_changes[0].description,
        "environment variables are no longer read"
    );
}

#[test]
fn mark_writes_a_note_that_explain_and_changelog_use() {
    let repo = released(&["Rework the configuration loader"]);
    repo.bumpwise()
        .args(["mark", "HEAD", "--breaking", "the `listen` option is gone"])
        .assert()
        .success()
        .stdout_eq("breaking = \"the `listen` option is gone\"\n")
        .stderr_eq("marked [..] in refs/notes/bumpwise; share it with `git push origin refs/notes/bumpwise`\n");
    let report = explain(&repo, &[]);
    assert_eq!(
        report.commits[0].rule,
        Rule::Override {
            source: "note".into()
        }
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("2.0.0"));
    let notes = repo
        .bumpwise()
        .args(["changelog", "--date", "2026-01-01"])
        .output()
        .unwrap();
    let text = String::from_utf8(notes.stdout).unwrap();
    assert!(text.contains("### Breaking changes\n\n- Rework the configuration loader: the `listen` option is gone ("), "{text}");
    let explained = repo.bumpwise().arg("explain").output().unwrap();
    assert!(String::from_utf8_lossy(&explained.stdout).contains("override (git note)"));
}

#[test]
fn mark_adds_to_an_existing_note() {
    let repo = released(&["Rework the configuration loader"]);
    repo.bumpwise()
        .args(["mark", "HEAD", "--kind", "feature"])
        .assert()
        .success();
    repo.bumpwise()
        .args(["mark", "HEAD", "--deprecated", "the listen option", "--replacement", "listenAddress"])
        .assert()
        .success()
        .stdout_eq("kind = \"feature\"\ndeprecated = \"the listen option\"\nreplacement = \"listenAddress\"\n");
    let draft = repo.bumpwise().arg("deprecations").output().unwrap();
    let text = String::from_utf8(draft.stdout).unwrap();
    assert!(
        text.contains("## the listen option\n\nDeprecated in 1.1 (")
            && text.contains("**Use instead:** listenAddress"),
        "{text}"
    );
}

#[test]
fn an_excluded_commit_counts_for_nothing_and_is_in_no_changelog() {
    let repo = released(&["feat: shipped long ago in the library", "fix: a real fix"]);
    repo.bumpwise()
        .args(["mark", "HEAD~1", "--exclude"])
        .assert()
        .success();
    let report = explain(&repo, &[]);
    let excluded = report.commit("feat: shipped long ago in the library");
    assert!(excluded.excluded);
    assert_eq!(excluded.effective_kind, "none");
    assert_eq!((report.summary.excluded, report.summary.feature), (1, 0));
    assert_eq!(report.decision.next_version.as_deref(), Some("1.0.1"));
    let notes = repo
        .bumpwise()
        .args(["changelog", "--date", "2026-01-01", "--include-other"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&notes.stdout).contains("shipped long ago"));
    repo.bumpwise()
        .args(["mark", "HEAD~1", "--include"])
        .assert()
        .success();
    assert_eq!(
        explain(&repo, &[]).decision.next_version.as_deref(),
        Some("1.1.0")
    );
}

#[test]
fn a_note_wins_over_the_config_file() {
    let mut repo = released(&["Rework the configuration loader"]);
    let head = id_of(&repo, "HEAD");
    repo.write(
        "bumpwise.toml",
        &format!("[overrides.{head}]\nkind = \"fix\"\n"),
    );
    assert_eq!(explain(&repo, &[]).commits[0].kind, "fix");
    repo.bumpwise()
        .args(["mark", "HEAD", "--kind", "feature"])
        .assert()
        .success();
    let report = explain(&repo, &[]);
    assert_eq!(
        (report.commits[0].kind.as_str(), &report.commits[0].rule),
        (
            "feature",
            &Rule::Override {
                source: "note".into()
            }
        )
    );
}

/// Every ref with its target, HEAD, and the index file's bytes.
fn state(repo: &Repo) -> (BTreeMap<String, String>, String, Vec<u8>) {
    let refs = repo
        .git
        .references()
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            (
                r.name().unwrap().to_string(),
                r.target().map(|t| t.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    let head = std::fs::read_to_string(repo.path().join(".git/HEAD")).unwrap();
    let index = std::fs::read(repo.path().join(".git/index")).unwrap_or_default();
    (refs, head, index)
}

#[test]
fn mark_writes_only_under_its_notes_ref() {
    let repo = released(&["Rework the configuration loader"]);
    let (mut before, head, index) = state(&repo);
    repo.bumpwise()
        .args(["mark", "HEAD", "--kind", "fix"])
        .assert()
        .success();
    let (mut after, head_after, index_after) = state(&repo);
    assert!(
        after.remove("refs/notes/bumpwise").is_some(),
        "the note was not written"
    );
    before.remove("refs/notes/bumpwise");
    assert_eq!((before, head, index), (after, head_after, index_after));
}

#[test]
fn mark_refuses_bad_input() {
    let repo = released(&["x"]);
    repo.bumpwise().args(["mark", "HEAD"]).assert().code(2);
    repo.bumpwise().args(["mark", "no-such-rev", "--kind", "fix"]).assert().code(2).stderr_eq(
        "error: `no-such-rev` does not name a commit (revspec 'no-such-rev' not found); give a tag, branch or commit id\n",
    );
    repo.bumpwise()
        .args(["mark", "HEAD", "--replacement", "y"])
        .assert()
        .code(2);
}

#[test]
fn an_invalid_note_or_override_key_is_a_clear_error() {
    let mut repo = released(&["x"]);
    let sig = git2::Signature::now("t", "t@example.com").unwrap();
    repo.git
        .note(
            &sig,
            &sig,
            Some("refs/notes/bumpwise"),
            repo.head(),
            "kind = \"huge\"\n",
            true,
        )
        .unwrap();
    let output = repo.bumpwise().arg("next").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: the bumpwise note on commit ")
            && stderr.contains("unknown variant `huge`"),
        "{stderr}"
    );
    repo.git
        .note(
            &sig,
            &sig,
            Some("refs/notes/bumpwise"),
            repo.head(),
            "kind = \"fix\"\n",
            true,
        )
        .unwrap();
    repo.write("bumpwise.toml", "[overrides.main]\nkind = \"fix\"\n");
    repo.bumpwise().arg("next").assert().code(2).stderr_eq(
        "error: overrides: `main` is not a commit id; use at least 4 hex digits of the commit\n",
    );
}

#[test]
fn exclude_reachable_drops_a_history_released_elsewhere() {
    let mut repo = Repo::new();
    repo.commit("app").tag("v1.0.0");
    repo.branch("lib")
        .checkout("lib")
        .commits(&["feat!: library rewrite", "feat: library feature"])
        .tag("lib-v3.0.0");
    repo.checkout("main")
        .commit("fix: app fix")
        .merge("lib", "Merge the library");
    assert_eq!(
        explain(&repo, &[]).decision.next_version.as_deref(),
        Some("2.0.0")
    );
    let report = explain(&repo, &["--exclude-reachable", "lib-v3.0.0"]);
    let subjects: Vec<&str> = report.commits.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(subjects, ["fix: app fix"]);
    assert_eq!(report.decision.next_version.as_deref(), Some("1.0.1"));
    repo.write("bumpwise.toml", "exclude_reachable = [\"lib-v3.0.0\"]\n");
    assert_eq!(
        explain(&repo, &[]).decision.next_version.as_deref(),
        Some("1.0.1")
    );
    repo.bumpwise().args(["next", "--exclude-reachable", "nope"]).assert().code(2).stderr_eq(
        "error: --exclude-reachable `nope` does not name a commit; give a tag, branch or commit id\n",
    );
}

#[test]
fn mark_clear_takes_a_field_or_the_whole_note_back() {
    let repo = released(&["Rework the configuration loader"]);
    repo.bumpwise()
        .args([
            "mark",
            "HEAD",
            "--kind",
            "feature",
            "--breaking",
            "the loader changed",
        ])
        .assert()
        .success();
    assert_eq!(explain(&repo, &[]).commits[0].kind, "breaking");
    repo.bumpwise()
        .args(["mark", "HEAD", "--clear", "breaking"])
        .assert()
        .success()
        .stdout_eq("kind = \"feature\"\n");
    assert_eq!(explain(&repo, &[]).commits[0].kind, "feature");
    repo.bumpwise()
        .args(["mark", "HEAD", "--clear"])
        .assert()
        .success()
        .stdout_eq("")
        .stderr_eq("removed the note on [..] from refs/notes/bumpwise; share it with `git push origin refs/notes/bumpwise`\n");
    let report = explain(&repo, &[]);
    assert_ne!(
        report.commits[0].rule,
        crate::json::Rule::Override {
            source: "note".into()
        }
    );
    assert!(repo.git.find_reference("refs/notes/bumpwise").is_ok());
    let out = repo
        .bumpwise()
        .args(["mark", "HEAD", "--clear", "colour"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--clear colour: not a field"));
}
