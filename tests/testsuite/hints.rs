//! Checked input and honest hints (the release-day issue): real dates, a
//! numeric SOURCE_DATE_EPOCH, and what to do when no tag is a release.

use crate::fixture::Repo;
use crate::json::explain;

#[test]
fn a_date_must_be_a_real_day() {
    let mut repo = Repo::new();
    repo.commit("initial").tag("v1.0.0").commit("feat: x");
    for bad in [
        "2026-13-45",
        "2026-02-30",
        "2025-02-29",
        "2026-04-31",
        "2026-00-10",
    ] {
        let out = repo
            .bumpwise()
            .args(["changelog", "--date", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("--date `{bad}` is not a date")),
            "{stderr}"
        );
    }
    let notes = repo.stdout_of(&["changelog", "--date", "2024-02-29"]);
    assert!(notes.starts_with("## [1.1.0] - 2024-02-29"), "{notes}");
}

#[test]
fn source_date_epoch_must_be_a_number() {
    let mut repo = Repo::new();
    repo.commit("initial").tag("v1.0.0").commit("feat: x");
    let out = repo
        .bumpwise()
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .arg("changelog")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("SOURCE_DATE_EPOCH `yesterday` is not a number")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    // Empty is unset.
    let out = repo
        .bumpwise()
        .env("SOURCE_DATE_EPOCH", "")
        .arg("changelog")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn without_a_release_tag_the_warning_says_how_to_get_one() {
    let mut none = Repo::new();
    none.commit("feat: first");
    let report = explain(&none, &[]);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("there is no tag") && w.contains("git fetch --tags")),
        "{:?}",
        report.warnings
    );
    let mut prefixed = Repo::new();
    prefixed
        .commit("feat: first")
        .tag("mytool-v0.3.1")
        .tag("lib-1.0.0")
        .commit("fix: x");
    let report = explain(&prefixed, &[]);
    let hint = report
        .warnings
        .iter()
        .find(|w| w.contains("--tag-prefix"))
        .unwrap_or_else(|| panic!("{:?}", report.warnings));
    assert!(
        hint.contains("`lib-`") && hint.contains("`mytool-v`"),
        "{hint}"
    );
    let stderr =
        String::from_utf8(prefixed.bumpwise().arg("next").output().unwrap().stderr).unwrap();
    assert!(stderr.contains("--tag-prefix"), "{stderr}");
    // `check` says so too, as a warning that does not fail the check.
    let check = none
        .bumpwise()
        .arg("check")
        .env("COLUMNS", "300")
        .output()
        .unwrap();
    let text = String::from_utf8(check.stdout).unwrap();
    let greater = text.lines().find(|l| l.contains("greater")).unwrap_or("");
    assert!(
        greater.contains("warn") && greater.contains("git fetch --tags"),
        "{text}"
    );
    let check = prefixed.bumpwise().arg("check").output().unwrap();
    let text = String::from_utf8(check.stdout).unwrap();
    assert!(text.contains("--tag-prefix"), "{text}");
    // With a release tag there is no such hint.
    prefixed.tag("v0.1.0");
    assert!(
        explain(&prefixed, &[])
            .warnings
            .iter()
            .all(|w| !w.contains("--tag-prefix"))
    );
}

#[test]
fn a_pre_release_above_the_base_is_named_with_the_flags_that_continue_it() {
    let mut repo = Repo::new();
    repo.commit("initial")
        .tag("v1.0.0")
        .commit("feat!: new api")
        .tag("v2.0.0-alpha.1")
        .commit("fix: x");
    let report = explain(&repo, &[]);
    let hint = report
        .warnings
        .iter()
        .find(|w| w.contains("v2.0.0-alpha.1"))
        .unwrap_or_else(|| panic!("{:?}", report.warnings));
    assert!(hint.contains("--pre alpha"), "{hint}");
    // With --pre it is not repeated, and it continues the line.
    let continued = explain(&repo, &["--pre", "alpha"]);
    assert!(
        continued
            .warnings
            .iter()
            .all(|w| !w.contains("v2.0.0-alpha.1 is a pre-release"))
    );
    assert_eq!(
        continued.decision.next_version.as_deref(),
        Some("2.0.0-alpha.2")
    );
}

#[test]
fn an_override_or_a_note_that_matches_no_commit_is_named() {
    let mut repo = Repo::new();
    repo.commit("initial").tag("v1.0.0").commit("fix: x");
    repo.write("bumpwise.toml", "[overrides.deadbeef]\nkind = \"none\"\n");
    let report = explain(&repo, &[]);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("[overrides.deadbeef]") && w.contains("matches no commit")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn link_templates_accept_only_their_placeholders() {
    let mut repo = Repo::new();
    repo.commit("initial").tag("v1.0.0").commit("feat: x");
    repo.write(
        "bumpwise.toml",
        "[links]\ncommit = \"https://example.com/c/{sha}\"\n",
    );
    let out = repo.bumpwise().arg("changelog").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[links] commit: `{sha}` is not a placeholder bumpwise fills; use {id}"),
        "{stderr}"
    );
    repo.write("bumpwise.toml", "[links]\ncommit = \"https://example.com/c/{id}\"\nissue = \"https://example.com/i/{number}\"\n");
    let notes = repo.stdout_of(&["changelog"]);
    assert!(notes.contains("https://example.com/c/"), "{notes}");
}

#[test]
fn at_a_release_tag_the_changelog_is_that_release_s_notes() {
    let mut repo = Repo::new();
    repo.commit("initial")
        .tag("v1.0.0")
        .commit("feat: sessions")
        .commit("fix: leak")
        .tag("v1.1.0");
    let notes = repo.stdout_of(&["changelog"]);
    assert!(notes.starts_with("## [1.1.0] - "), "{notes}");
    assert!(
        notes.contains("### Features\n\n- sessions") && notes.contains("- leak"),
        "{notes}"
    );
    let body = repo.stdout_of(&["changelog", "--no-heading"]);
    assert!(body.starts_with("\n### Features"), "{body}");
    // After the tag, --latest still gives that release's notes.
    repo.commit("docs: more");
    let latest = repo.stdout_of(&["changelog", "--latest"]);
    assert!(
        latest.starts_with("## [1.1.0] - ") && latest.contains("- sessions"),
        "{latest}"
    );
    let unreleased = repo.stdout_of(&["changelog"]);
    assert!(unreleased.starts_with("## [Unreleased]"), "{unreleased}");
    // next --format github at the tag: no release, the tag is the previous one.
    let mut tagged = Repo::new();
    tagged
        .commit("initial")
        .tag("v1.0.0")
        .commit("feat: x")
        .tag("v1.1.0");
    let out = tagged
        .bumpwise()
        .args(["next", "--format", "github"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("release=false\n") && text.contains("previous_tag=v1.1.0\n"),
        "{text}"
    );
}

#[test]
fn github_format_speaks_to_the_runner() {
    let mut repo = Repo::new();
    repo.commit("initial")
        .tag("v1.0.0")
        .commit("Refactored the handler")
        .commit("feat: x");
    let dir = crate::fixture::plain_dir();
    let summary = dir.path().join("summary.md");
    let out = repo
        .bumpwise()
        .args(["next", "--format", "github"])
        .env("GITHUB_OUTPUT", dir.path().join("output"))
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("::warning::1 of 2 commits are unclassified"),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.contains("> **Warning:** 1 of 2 commits are unclassified"),
        "{summary}"
    );
    // An error is an annotation too, and a one-line message on stderr.
    let plain = crate::fixture::plain_dir();
    let out = crate::fixture::bumpwise()
        .current_dir(plain.path())
        .args(["next", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("::error::") && stdout.contains("is not in a git repository"),
        "{stdout}"
    );
    assert_eq!(
        crate::fixture::bumpwise()
            .current_dir(plain.path())
            .arg("next")
            .output()
            .unwrap()
            .stdout,
        b""
    );
}

#[test]
fn check_in_github_format_annotates_warnings_and_failures() {
    let mut repo = Repo::new();
    repo.commit("initial")
        .tag("v1.0.0")
        .commit("Refactored the handler")
        .commit("feat: x")
        .sync();
    let dir = crate::fixture::plain_dir();
    let out = repo
        .bumpwise()
        .args(["check", "v1.0.1", "--format", "github"])
        .env("GITHUB_OUTPUT", dir.path().join("output"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("::error::v1.0.1 enough: a patch release"),
        "{stdout}"
    );
    assert!(
        stdout.contains("::warning::v1.0.1 unclassified:"),
        "{stdout}"
    );
}

#[test]
fn one_prefix_all_release_tags_share_is_found_and_said() {
    let mut repo = Repo::new();
    repo.commit("feat: first")
        .tag("mytool-v0.3.1")
        .tag("nightly")
        .commit("feat: second")
        .tag("mytool-v0.4.0-rc.1")
        .commit("fix: third");
    let report = explain(&repo, &[]);
    let base = report
        .base
        .as_ref()
        .expect("the prefixed release is the base");
    assert_eq!(base.tag, "mytool-v0.3.1");
    assert!(
        base.reason.contains("the prefix `mytool-`") && base.reason.contains("found"),
        "{}",
        base.reason
    );
    assert_eq!(report.tag_prefix, "mytool-");
    assert_eq!(repo.stdout_of(&["next"]).trim(), "mytool-v0.4.0");
    let text = repo
        .bumpwise()
        .args(["explain"])
        .env("COLUMNS", "300")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(text.stdout)
            .unwrap()
            .contains("the prefix was found")
    );
    // Given, a prefix is never second-guessed; a plain SemVer tag means no prefix.
    assert_eq!(
        repo.stdout_of(&["next", "--tag-prefix", "other-"]).trim(),
        "other-v0.1.0"
    );
    repo.tag("v9.0.0");
    assert_eq!(explain(&repo, &[]).tag_prefix, "");
}
