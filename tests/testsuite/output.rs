//! Snapshots of what people read. Update on purpose with `SNAPSHOTS=overwrite cargo test`,
//! then review the diff.

use clap::CommandFactory;
use snapbox::str;

use crate::fixture::Repo;

fn mixed_history() -> Repo {
    let mut repo = Repo::new();
    repo.commit("Initial import")
        .tag("0.3.1")
        .commit("Added release badge")
        .tag("v0.4.0-rc.1");
    repo.annotated("v0.4.0", "Release 0.4.0")
        .branch("side")
        .checkout("side")
        .commit("feat: experiment");
    repo.tag("v9.0.0").checkout("main");
    repo.commits(&[
        "feat(auth): add webhook retries",
        "Fixes #33: Add option to disable exec requests",
        "build(deps): bump golang.org/x/crypto from 0.23.0 to 0.31.0 (#666)",
        "feat: a short-lived idea",
        "Revert \"feat: a short-lived idea\"",
        "fix: reject empty usernames\n\nDeprecated: the `listen` option\nReplacement: listenAddress",
        "docs: explain the release process",
    ]);
    repo.tag("v0.5.0-test1");
    repo
}

#[test]
fn next_prints_the_tag() {
    let repo = mixed_history();
    repo.bumpwise()
        .arg("next")
        .assert()
        .success()
        .stdout_eq(str![[r#"
v0.5.0

"#]]);
}

#[test]
fn explain_shows_base_policy_commits_and_result() {
    let repo = mixed_history();
    // Wide enough for one line per commit (a pipe is 120 columns, see below).
    let explain = repo.bumpwise().arg("explain").env("COLUMNS", "200");
    explain.assert().success().stdout_eq(str![[r#"
 Base          v0.4.0 at [..]: highest stable SemVer tag reachable from HEAD, among 5 tags
 Policy        guide: at 0.4.x breaking → minor, feature → minor, fix → patch
 Skipped tags  v9.0.0 (not reachable from HEAD)
               v0.5.0-test1 (pre-release)
 Range         v0.4.0..HEAD (main at [..]): 7 commits
┌─────────┬────────────────────────────────────────────────────────────────────┬──────────────────────────────────────┬────────────────────────────────┬────────────┐
│ Commit  ┆ Subject                                                            ┆ Kind                                 ┆ Rule                           ┆ Confidence │
╞═════════╪════════════════════════════════════════════════════════════════════╪══════════════════════════════════════╪════════════════════════════════╪════════════╡
│ 2658e66 ┆ docs: explain the release process                                  ┆ none                                 ┆ conventional type `docs`       ┆ high       │
│ 0d671d7 ┆ fix: reject empty usernames                                        ┆ feature (deprecation)                ┆ deprecation (footer)           ┆ high       │
│ d1b8e8f ┆ Revert "feat: a short-lived idea"                                  ┆ fix → none (reverts 61e9c80)         ┆ git revert                     ┆ high       │
│ 61e9c80 ┆ feat: a short-lived idea                                           ┆ feature → none (reverted by d1b8e8f) ┆ conventional type `feat`       ┆ high       │
│ 9e413f5 ┆ build(deps): bump golang.org/x/crypto from 0.23.0 to 0.31.0 (#666) ┆ fix (dependency)                     ┆ dependency update (scope deps) ┆ high       │
│ b05c606 ┆ Fixes #33: Add option to disable exec requests                     ┆ feature                              ┆ keyword `Add` (feature)        ┆ medium     │
│ 7cd786d ┆ feat(auth): add webhook retries                                    ┆ feature                              ┆ conventional type `feat`       ┆ high       │
└─────────┴────────────────────────────────────────────────────────────────────┴──────────────────────────────────────┴────────────────────────────────┴────────────┘
 Result      minor release: v0.4.0 → v0.5.0 under the guide policy (the commits require minor)
 Confidence  0.95: 3 explicit features; its own track record not weighed (policy = "auto" weighs it); 0.95 on public histories for explicit minor proposals
 Counts      0 breaking, 3 feature, 1 fix, 1 none, 0 unclassified, 2 cancelled by reverts
 Rules       6 explicit (Conventional Commits, footers, advisory ids, reverts), 1 by keyword, 0 overridden, 0 unclassified

"#]]);
}

#[test]
fn github_output_lines() {
    let repo = mixed_history();
    repo.bumpwise()
        .args(["next", "--format", "github"])
        .assert()
        .success()
        .stdout_eq(str![[r#"
release=true
version=0.5.0
tag=v0.5.0
previous_version=0.4.0
previous_tag=v0.4.0
bump=minor
policy=guide
security=false
anyway_version=
anyway_tag=
confidence=0.95
confident=true
changelog<<BUMPWISE_EOF
## [0.5.0] - 2026-01-02

### Deprecations

- the `listen` option: use listenAddress instead (0d671d7)

### Features

- Fixes #33: Add option to disable exec requests (b05c606)
- **auth:** add webhook retries (7cd786d)

### Dependencies

- **deps:** bump golang.org/x/crypto from 0.23.0 to 0.31.0 (#666) (9e413f5)
BUMPWISE_EOF

"#]]);
}

#[test]
fn help_is_consistent() {
    bumpwise::cli::Cli::command().debug_assert();
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let repo = mixed_history();
    let (code, stderr) = crate::fixture::with_closed_stdout(repo.path(), &["explain"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn tables_fit_columns_and_a_piped_width() {
    let mut repo = mixed_history();
    repo.commit(&format!(
        "fix: {}",
        "a very long subject that goes on ".repeat(6)
    ));
    let widest = |out: &str| out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    // Piped with COLUMNS unset (as the fixture runs it): 120 columns.
    let piped = repo.stdout_of(&["explain"]);
    assert!(widest(&piped) <= 120, "{piped}");
    assert!(widest(&piped) > 80, "the table uses the room: {piped}");
    for command in [&["explain"][..], &["check", "v0.5.0"]] {
        let out = repo
            .bumpwise()
            .args(command)
            .env("COLUMNS", "64")
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains('┆'), "a table: {text}");
        assert!(widest(&text) <= 64, "{text}");
    }
}
