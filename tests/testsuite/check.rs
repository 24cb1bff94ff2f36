//! `bumpwise check`: the gate before tagging. Each check has a passing and a failing case.

use serde::Deserialize;

use crate::fixture::Repo;

const FAILED: i32 = 4;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckReport {
    schema_version: u32,
    tag: String,
    version: Option<String>,
    previous_tag: Option<String>,
    required_bump: String,
    bump: Option<String>,
    policy: String,
    strict: bool,
    passed: bool,
    findings: Vec<Finding>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Finding {
    check: String,
    status: String,
    detail: String,
}

impl CheckReport {
    fn status(&self, check: &str) -> (&str, &str) {
        self.findings
            .iter()
            .find(|f| f.check == check)
            .map(|f| (f.status.as_str(), f.detail.as_str()))
            .unwrap_or_else(|| panic!("no {check} in {:#?}", self.findings))
    }
}

/// `bumpwise check ARGS --format json`, with its exit code.
fn check(repo: &Repo, args: &[&str]) -> (i32, CheckReport) {
    let output = repo
        .bumpwise()
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap(), report)
}

fn released(messages: &[&str]) -> Repo {
    let mut repo = Repo::new();
    repo.commit("initial")
        .tag("v1.0.0")
        .commits(messages)
        .sync();
    repo
}

#[test]
fn a_good_tag_passes_every_check() {
    let repo = released(&["feat: add", "fix: mend"]);
    let (code, report) = check(&repo, &["v1.1.0"]);
    assert_eq!(code, 0, "{report:#?}");
    assert!(report.passed && !report.strict);
    assert_eq!(report.schema_version, 1);
    assert_eq!(
        (
            report.tag.as_str(),
            report.version.as_deref(),
            report.previous_tag.as_deref()
        ),
        ("v1.1.0", Some("1.1.0"), Some("v1.0.0"))
    );
    assert_eq!(
        (
            report.required_bump.as_str(),
            report.bump.as_deref(),
            report.policy.as_str()
        ),
        ("minor", Some("minor"), "guide")
    );
    for f in &report.findings {
        assert_eq!(f.status, "pass", "{f:?}");
    }
    let names: Vec<&str> = report.findings.iter().map(|f| f.check.as_str()).collect();
    assert_eq!(
        names,
        [
            "semver",
            "style",
            "new",
            "greater",
            "enough",
            "not_too_much",
            "confidence",
            "work_tree",
            "upstream",
            "history",
            "unclassified",
            "possibly_breaking"
        ]
    );
}

#[test]
fn a_tag_that_is_not_semver_fails() {
    let repo = released(&["fix: mend"]);
    let (code, report) = check(&repo, &["release-2"]);
    assert_eq!(code, FAILED);
    assert_eq!(report.status("semver").0, "fail");
    let (_, prefixed) = check(&repo, &["--tag-prefix", "lib-", "v1.0.1"]);
    assert_eq!(
        prefixed.status("semver"),
        (
            "fail",
            "`v1.0.1` is not a SemVer version behind the prefix `lib-` (e.g. lib-v1.2.3)"
        )
    );
}

#[test]
fn an_existing_tag_or_version_fails() {
    let mut repo = released(&["fix: mend"]);
    repo.branch("side")
        .checkout("side")
        .commit("fix: elsewhere")
        .tag("v1.0.1")
        .checkout("main")
        .sync();
    let (code, report) = check(&repo, &["v1.0.1"]);
    assert_eq!(code, FAILED);
    assert_eq!(report.status("new"), ("fail", "tag v1.0.1 already exists"));
    let (_, other_style) = check(&repo, &["1.0.1"]);
    assert_eq!(
        other_style.status("new"),
        ("fail", "version 1.0.1 is already tagged as v1.0.1")
    );
}

#[test]
fn a_tag_not_above_the_last_release_fails() {
    let repo = released(&["fix: mend"]);
    let (code, report) = check(&repo, &["v0.9.0"]);
    assert_eq!(code, FAILED);
    assert_eq!(
        report.status("greater"),
        ("fail", "0.9.0 is not greater than the last release 1.0.0")
    );
}

#[test]
fn an_under_bump_fails_naming_the_commits() {
    let repo = released(&["feat: add retries", "fix: mend"]);
    let (code, report) = check(&repo, &["v1.0.1"]);
    assert_eq!(code, FAILED);
    let (status, detail) = report.status("enough");
    assert_eq!(status, "fail");
    assert!(
        detail.starts_with("a patch release, but the commits require minor: ")
            && detail.contains("(feature: feat: add retries)"),
        "{detail}"
    );
    assert!(!detail.contains("mend"), "{detail}");
}

#[test]
fn an_over_bump_warns_fails_when_strict_and_1_0_0_is_allowed() {
    let repo = released(&["fix: mend"]);
    let (code, report) = check(&repo, &["v2.0.0"]);
    assert_eq!(code, 0);
    assert_eq!(
        report.status("not_too_much"),
        (
            "warn",
            "a major release, but the commits only require patch"
        )
    );
    let (strict_code, strict) = check(&repo, &["v2.0.0", "--strict"]);
    assert_eq!(
        (strict_code, strict.status("not_too_much").0),
        (FAILED, "fail")
    );
    let mut young = Repo::new();
    young.commit("a").tag("v0.9.0").commit("fix: last").sync();
    let (code, report) = check(&young, &["v1.0.0", "--strict"]);
    assert_eq!(code, 0);
    assert_eq!(
        report.status("not_too_much"),
        ("pass", "the move to 1.0.0 is a human decision")
    );
}

#[test]
fn a_dirty_work_tree_fails() {
    let mut repo = released(&["fix: mend"]);
    repo.write("counter", "edited\n");
    let (code, report) = check(&repo, &["v1.0.1"]);
    assert_eq!(code, FAILED);
    assert_eq!(
        report.status("work_tree"),
        (
            "fail",
            "uncommitted changes in counter; commit or stash them, so the tag is what was tested"
        )
    );
    repo.write("untracked.txt", "not a change to what is tagged\n")
        .sync();
    assert_eq!(
        check(&repo, &["v1.0.1"]).1.status("work_tree"),
        ("pass", "clean")
    );
}

#[test]
fn being_behind_the_upstream_fails() {
    let mut repo = released(&["fix: mend", "fix: again"]);
    repo.upstream("main", "HEAD");
    assert_eq!(
        check(&repo, &["v1.0.1"]).1.status("upstream"),
        ("pass", "not behind origin/main (as last fetched)")
    );
    repo.git
        .reset(
            &repo.git.revparse_single("HEAD~1").unwrap(),
            git2::ResetType::Hard,
            None,
        )
        .unwrap();
    let (code, report) = check(&repo, &["v1.0.1"]);
    assert_eq!(code, FAILED);
    assert_eq!(
        report.status("upstream"),
        ("fail", "HEAD is 1 commit(s) behind origin/main; pull first")
    );
}

#[test]
fn unclassified_and_possibly_breaking_commits_warn_and_fail_when_strict() {
    let repo = released(&["Refactored the handler", "Removed the listen option"]);
    let (code, report) = check(&repo, &["v1.1.0"]);
    assert_eq!(code, 0);
    assert_eq!(report.status("unclassified").0, "warn");
    assert!(
        report
            .status("possibly_breaking")
            .1
            .contains("removals or renames that may be breaking")
    );
    let (code, strict) = check(&repo, &["v1.1.0", "--strict"]);
    assert_eq!(code, FAILED);
    assert_eq!(
        (
            strict.status("unclassified").0,
            strict.status("possibly_breaking").0
        ),
        ("fail", "fail")
    );
}

#[test]
fn the_changelog_must_have_the_section() {
    let mut repo = released(&["fix: mend"]);
    repo.write("CHANGELOG.md", "# Changelog\n\n## [1.0.0] - 2020-01-01\n");
    let (code, report) = check(&repo, &["v1.0.1"]);
    assert_eq!(code, FAILED);
    assert_eq!(report.status("changelog").0, "fail");
    repo.bumpwise()
        .args(["changelog", "--output", "CHANGELOG.md", "--prepend"])
        .assert()
        .success();
    let (code, report) = check(&repo, &["v1.0.1"]);
    assert_eq!(
        (code, report.status("changelog")),
        (0, ("pass", "CHANGELOG.md has a section for 1.0.1"))
    );
    repo.write("bumpwise.toml", "changelog = \"docs/CHANGES.md\"\n");
    assert_eq!(
        check(&repo, &["v1.0.1"]).1.status("changelog"),
        ("fail", "docs/CHANGES.md does not exist")
    );
}

#[test]
fn without_a_changelog_there_is_no_changelog_check() {
    let repo = released(&["fix: mend"]);
    let (_, report) = check(&repo, &["v1.0.1"]);
    assert!(report.findings.iter().all(|f| f.check != "changelog"));
}

#[test]
fn every_deprecation_needs_its_docs_page_and_row() {
    let mut repo = released(&["feat: x\n\nDeprecated: the listen option"]);
    std::fs::create_dir_all(repo.path().join("docs/deprecations")).unwrap();
    repo.write(
        "bumpwise.toml",
        "deprecations_dir = \"docs/deprecations\"\n",
    );
    let (code, report) = check(&repo, &["v1.1.0"]);
    assert_eq!(code, FAILED);
    let (status, detail) = report.status("deprecation_docs");
    assert_eq!(status, "fail");
    assert!(
        detail.contains("docs/deprecations/the-listen-option.md")
            && detail.contains("a row for the-listen-option"),
        "{detail}"
    );
    repo.bumpwise()
        .args(["deprecations", "--docs-dir", "docs/deprecations"])
        .assert()
        .success();
    let (code, report) = check(&repo, &["v1.1.0"]);
    assert_eq!((code, report.status("deprecation_docs").0), (0, "pass"));
}

#[test]
fn without_a_tag_the_proposed_one_is_checked() {
    let repo = released(&["feat: add"]);
    let (code, report) = check(&repo, &[]);
    assert_eq!((code, report.tag.as_str()), (0, "v1.1.0"));
    let quiet = released(&["docs: only"]);
    quiet
        .bumpwise()
        .arg("check")
        .assert()
        .code(3)
        .stderr_eq("nothing to release: no tag to check; give one, e.g. `bumpwise check v1.2.3`\n");
}

#[test]
fn a_check_that_cannot_run_is_not_a_failed_check() {
    let dir = crate::fixture::plain_dir();
    crate::fixture::bumpwise()
        .current_dir(dir.path())
        .args(["check", "v1.0.0"])
        .assert()
        .code(5);
    let empty = Repo::new();
    empty.bumpwise().args(["check", "v1.0.0"]).assert().code(5);
}

#[test]
fn text_and_github_formats() {
    let repo = released(&["feat: add"]);
    repo.bumpwise().args(["check", "v1.0.1"]).assert().code(FAILED).stdout_eq(snapbox::str![[r#"
┌───────────────────┬────────┬─────────────────────────────────────────────────────────────────────────────────────────┐
│ Check             ┆ Status ┆ Detail                                                                                  │
╞═══════════════════╪════════╪═════════════════════════════════════════════════════════════════════════════════════════╡
│ semver            ┆ pass   ┆ v1.0.1 names version 1.0.1                                                              │
│ style             ┆ pass   ┆ written as the last release, v1.0.0                                                     │
│ new               ┆ pass   ┆ no tag names 1.0.1 yet                                                                  │
│ greater           ┆ pass   ┆ 1.0.1 > 1.0.0                                                                           │
│ enough            ┆ fail   ┆ a patch release, but the commits require minor: [..] (feature: feat: add)            │
│ not_too_much      ┆ pass   ┆ no more than the commits require                                                        │
│ confidence        ┆ pass   ┆ 0.95: 1 explicit feature; its own track record not weighed (policy = "auto" weighs it); │
│                   ┆        ┆ 0.95 on public histories for explicit minor proposals                                   │
│ work_tree         ┆ pass   ┆ clean                                                                                   │
│ upstream          ┆ pass   ┆ no upstream branch known locally                                                        │
│ history           ┆ pass   ┆ complete                                                                                │
│ unclassified      ┆ pass   ┆ none                                                                                    │
│ possibly_breaking ┆ pass   ┆ none                                                                                    │
└───────────────────┴────────┴─────────────────────────────────────────────────────────────────────────────────────────┘
check failed: 1 failed, 0 warning(s); do not tag v1.0.1

"#]]);
    repo.bumpwise()
        .args(["check", "v1.0.1", "--format", "github"])
        .env_remove("GITHUB_OUTPUT")
        .assert()
        .code(FAILED)
        .stdout_eq("passed=false\ntag=v1.0.1\nversion=1.0.1\nfailed=enough\nwarnings=\n::error::v1.0.1 enough: a patch release, but the commits require minor: [..] (feature: feat: add)\n");
}

#[test]
fn a_tag_written_unlike_the_last_release_warns() {
    let repo = released(&["fix: mend"]);
    let (code, report) = check(&repo, &["1.0.1"]);
    assert_eq!(code, 0, "{report:#?}");
    let style = report.findings.iter().find(|f| f.check == "style").unwrap();
    assert_eq!(style.status, "warn");
    assert!(
        style.detail.contains("without a `v`") || style.detail.contains("with a `v`"),
        "{}",
        style.detail
    );
    let (strict, _) = check(&repo, &["1.0.1", "--strict"]);
    assert_eq!(strict, 4);
}

#[test]
fn a_changelog_section_in_the_libraries_style_counts() {
    let mut repo = released(&["fix: mend"]);
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## 1.0.1: Race fixed\n\n- mend\n",
    );
    let (_, report) = check(&repo, &["v1.0.1"]);
    let changelog = report
        .findings
        .iter()
        .find(|f| f.check == "changelog")
        .unwrap();
    assert_eq!(changelog.status, "pass", "{changelog:?}");
}

#[test]
fn long_lists_of_commits_are_cut_at_ten() {
    let messages: Vec<String> = (0..25).map(|i| format!("Reworked part {i}")).collect();
    let refs: Vec<&str> = messages.iter().map(String::as_str).collect();
    let repo = released(&refs);
    let (_, report) = check(&repo, &["v1.0.1"]);
    let unclassified = report
        .findings
        .iter()
        .find(|f| f.check == "unclassified")
        .unwrap();
    assert!(
        unclassified
            .detail
            .starts_with("25 commit(s), no rule matched: "),
        "{}",
        unclassified.detail
    );
    assert!(
        unclassified
            .detail
            .ends_with(" and 15 more (`bumpwise explain` lists them)"),
        "{}",
        unclassified.detail
    );
    let ids = unclassified.detail.split(": ").nth(1).unwrap();
    assert_eq!(ids.matches(", ").count(), 9, "{ids}");
}

#[test]
fn a_go_major_without_its_module_path_fails_the_check() {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/lib\n")),
            ("lib.go", Some("package lib\n")),
        ],
    )
    .tag("v1.4.0")
    .commit_touching("feat!: drop the old loader", "lib.go")
    .sync();
    let (code, report) = check(&repo, &["v2.0.0"]);
    assert_eq!(code, FAILED, "{report:#?}");
    let (status, detail) = report.status("go_module");
    assert_eq!(status, "fail");
    assert!(
        detail.contains("example.com/lib/v2") && detail.contains("module-aware"),
        "{detail}"
    );
    let (code, report) = check(&repo, &["v1.5.0"]);
    assert_eq!(code, 0, "{report:#?}");
    assert_eq!(report.status("go_module").0, "pass");
}

/// A clone of a bare `origin` holding `released(messages)`, with `main` tracking `origin/main`.
fn cloned(messages: &[&str]) -> (Repo, tempfile::TempDir) {
    let origin = released(messages);
    let dir = crate::fixture::plain_dir();
    let url = format!("file://{}", origin.path().display());
    crate::fixture::git(dir.path(), &["clone", "-q", &url, "clone"]);
    (origin, dir)
}

/// `bumpwise check TAG --format json` in `dir`, with the exit code, and `--strict` when asked.
fn check_in(dir: &std::path::Path, tag: &str, strict: bool) -> (i32, CheckReport) {
    let mut args = vec!["check", tag, "--format", "json"];
    if strict {
        args.push("--strict");
    }
    let output = crate::fixture::bumpwise()
        .current_dir(dir)
        .args(&args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap(), report)
}

#[test]
fn commits_the_upstream_lacks_warn_and_fail_when_strict() {
    let (_origin, dir) = cloned(&["fix: mend"]);
    let clone = dir.path().join("clone");
    let (code, report) = check_in(&clone, "v1.0.1", false);
    assert_eq!(code, 0, "{report:#?}");
    assert_eq!(report.status("upstream").0, "pass");
    // A commit made here and not pushed: the tag would point at it.
    crate::fixture::git(
        &clone,
        &[
            "-c",
            "user.name=A",
            "-c",
            "user.email=a@example.com",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "fix: local only",
        ],
    );
    let (code, report) = check_in(&clone, "v1.0.1", false);
    assert_eq!(code, 0, "{report:#?}");
    let (status, detail) = report.status("upstream");
    assert_eq!(status, "warn");
    assert!(
        detail.contains("1 commit(s) that origin/main does not") && detail.contains("push first"),
        "{detail}"
    );
    let (code, report) = check_in(&clone, "v1.0.1", true);
    assert_eq!(code, FAILED);
    assert_eq!(report.status("upstream").0, "fail");
}

#[test]
fn a_topic_branch_without_an_upstream_warns() {
    let (_origin, dir) = cloned(&["fix: mend"]);
    let clone = dir.path().join("clone");
    crate::fixture::git(&clone, &["checkout", "-q", "-b", "topic"]);
    let (code, report) = check_in(&clone, "v1.0.1", false);
    assert_eq!(code, 0, "{report:#?}");
    let (status, detail) = report.status("upstream");
    assert_eq!(status, "warn");
    assert!(
        detail.contains("`topic`") && detail.contains("default branch `main`"),
        "{detail}"
    );
    // On the default branch with no upstream (a repository of one's own), nothing to say.
    let repo = released(&["fix: mend"]);
    assert_eq!(check(&repo, &["v1.0.1"]).1.status("upstream").0, "pass");
}

#[test]
fn the_tag_at_head_is_checked_as_it_stood_before_it_was_made() {
    // A tag-triggered pipeline: HEAD is the release tag, nothing after it.
    let mut repo = released(&["feat: webhooks"]);
    repo.tag("v1.1.0");
    for args in [&["v1.1.0"][..], &[]] {
        let (code, report) = check(&repo, args);
        assert_eq!(code, 0, "{args:?}: {:#?}", report.findings);
        assert_eq!(
            (report.tag.as_str(), report.previous_tag.as_deref()),
            ("v1.1.0", Some("v1.0.0"))
        );
        assert_eq!(report.status("new").0, "pass");
        assert_eq!(report.status("enough").0, "pass");
    }
    // A tag at HEAD that bumps too little still fails.
    let mut short = released(&["feat: webhooks"]);
    short.tag("v1.0.1");
    let (code, report) = check(&short, &["v1.0.1"]);
    assert_eq!(code, FAILED);
    assert_eq!(report.status("enough").0, "fail");
    // Any other existing tag is taken.
    let (code, report) = check(&repo, &["v1.0.0"]);
    assert_eq!(code, FAILED);
    assert_eq!(report.status("new").0, "fail");
}

#[test]
fn a_pre_release_tag_at_head_is_not_taken_by_itself() {
    let mut repo = released(&["fix: retry"]);
    repo.tag("v1.0.1-rc.1");
    let (code, report) = check(&repo, &["v1.0.1-rc.1"]);
    assert_eq!(code, 0, "{:#?}", report.findings);
    assert_eq!(report.status("new").0, "pass");
    // The same name on another commit is taken.
    repo.commit("fix: more");
    let (code, report) = check(&repo, &["v1.0.1-rc.1"]);
    assert_eq!(code, FAILED);
    assert_eq!(report.status("new").0, "fail");
}
