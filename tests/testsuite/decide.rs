//! Deciding the version: policies, human overrides, and "nothing to release".

use crate::fixture::Repo;
use crate::json::explain;

fn at(tag: &str, messages: &[&str]) -> Repo {
    let mut repo = Repo::new();
    repo.commit("initial").tag(tag).commits(messages);
    repo
}

fn next(repo: &Repo, args: &[&str]) -> Option<String> {
    explain(repo, args).decision.next_version
}

#[test]
fn guide_policy_before_1_0() {
    assert_eq!(
        next(&at("v0.6.0", &["feat!: break"]), &[]).as_deref(),
        Some("0.7.0")
    );
    assert_eq!(
        next(&at("v0.6.0", &["feat: add"]), &[]).as_deref(),
        Some("0.7.0")
    );
    assert_eq!(
        next(&at("v0.6.0", &["fix: mend"]), &[]).as_deref(),
        Some("0.6.1")
    );
}

#[test]
fn guide_policy_from_1_0() {
    assert_eq!(
        next(&at("v1.4.2", &["feat!: break"]), &[]).as_deref(),
        Some("2.0.0")
    );
    assert_eq!(
        next(&at("v1.4.2", &["feat: add", "fix: mend"]), &[]).as_deref(),
        Some("1.5.0")
    );
    assert_eq!(
        next(&at("v1.4.2", &["fix: mend"]), &[]).as_deref(),
        Some("1.4.3")
    );
}

#[test]
fn cargo_policy_and_its_name_in_every_output() {
    let repo = at("v0.6.0", &["feat: add"]);
    let report = explain(&repo, &["--policy", "cargo"]);
    assert_eq!(report.decision.next_version.as_deref(), Some("0.6.1"));
    assert_eq!(report.policy.name, "cargo");
    assert_eq!(
        next(&at("v0.6.0", &["feat!: break"]), &["--policy", "cargo"]).as_deref(),
        Some("0.7.0")
    );
    assert_eq!(
        next(&at("v0.0.3", &["feat!: break"]), &["--policy", "cargo"]).as_deref(),
        Some("0.0.4")
    );
    assert_eq!(explain(&repo, &[]).policy.name, "guide");
    let text = repo
        .bumpwise()
        .args(["explain", "--policy", "cargo"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .contains("cargo: at 0.6.x breaking → minor, feature → patch")
    );
}

#[test]
fn the_policy_can_come_from_the_config_file() {
    let mut repo = at("v0.6.0", &["feat: add"]);
    repo.write("bumpwise.toml", "policy = \"cargo\"\n");
    assert_eq!(next(&repo, &[]).as_deref(), Some("0.6.1"));
    // Flags win over the file.
    assert_eq!(
        next(&repo, &["--policy", "guide"]).as_deref(),
        Some("0.7.0")
    );
}

#[test]
fn commit_text_never_takes_0_x_to_1_0_0() {
    let repo = at(
        "v0.9.0",
        &["feat!: everything changes\n\nBREAKING CHANGE: all of it"],
    );
    assert_eq!(next(&repo, &[]).as_deref(), Some("0.10.0"));
    assert_eq!(
        next(&repo, &["--policy", "cargo"]).as_deref(),
        Some("0.10.0")
    );
}

#[test]
fn release_as_is_how_a_human_goes_to_1_0_0() {
    let repo = at("v0.9.0", &["fix: last one"]);
    repo.bumpwise()
        .args(["next", "--release-as", "1.0.0"])
        .assert()
        .success()
        .stdout_eq("v1.0.0\n");
    let report = explain(&repo, &["--release-as", "v1.0.0"]);
    assert_eq!(
        (
            report.decision.decided_by.as_str(),
            report.decision.bump.as_str()
        ),
        ("release_as", "major")
    );
    repo.bumpwise()
        .args(["next", "--major"])
        .assert()
        .success()
        .stdout_eq("v1.0.0\n");
}

#[test]
fn release_as_must_be_greater_than_the_base() {
    let repo = at("v0.9.0", &["fix: x"]);
    repo.bumpwise()
        .args(["next", "--release-as", "0.9.0"])
        .assert()
        .code(2)
        .stdout_eq("")
        .stderr_eq("error: --release-as 0.9.0 is not greater than the last release 0.9.0; give a higher version\n");
    repo.bumpwise()
        .args(["next", "--release-as", "one"])
        .assert()
        .code(2)
        .stderr_eq("error: --release-as `one` is not a SemVer version (unexpected character 'o' while parsing major version number); give e.g. 1.0.0\n");
}

#[test]
fn level_flags_force_the_bump_and_warn_when_lower_than_required() {
    let repo = at("v1.2.3", &["feat: add"]);
    repo.bumpwise()
        .args(["next", "--patch"])
        .assert()
        .success()
        .stdout_eq("v1.2.4\n")
        .stderr_eq(
            "warning: the requested version is a patch release, but the commits require minor\npatch release: v1.2.3 → v1.2.4 under the guide policy (level chosen by hand)\nconfidence 1.00: the version asked for\n",
        );
    repo.bumpwise()
        .args(["next", "--major"])
        .assert()
        .success()
        .stdout_eq("v2.0.0\n");
    repo.bumpwise()
        .args(["next", "--minor", "--major"])
        .assert()
        .code(2);
}

#[test]
fn a_bump_resets_lower_parts_and_drops_build_metadata() {
    let repo = at("v1.2.3+build.5", &["feat: add"]);
    assert_eq!(next(&repo, &[]).as_deref(), Some("1.3.0"));
}

#[test]
fn nothing_to_release_is_its_own_outcome() {
    let repo = at("v1.0.0", &["docs: typo", "ci: cache"]);
    repo.bumpwise()
        .arg("next")
        .assert()
        .code(3)
        .stdout_eq("")
        .stderr_eq("nothing to release: 2 commits since v1.0.0, none with release impact; a release made anyway would be v1.0.1\n");
    let report = explain(&repo, &[]);
    assert!(!report.decision.release);
    assert_eq!(
        (report.decision.bump.as_str(), report.decision.next_version),
        ("none", None)
    );
    repo.bumpwise().args(["next", "--format", "github"]).assert().code(3).stdout_eq(
        "release=false\nversion=\ntag=\nprevious_version=1.0.0\nprevious_tag=v1.0.0\nbump=none\npolicy=guide\nsecurity=false\nanyway_version=1.0.1\nanyway_tag=v1.0.1\nconfidence=[..]\nconfident=[..]\nchangelog<<BUMPWISE_EOF\n## [Unreleased]\n\nNo changes with release impact.\nBUMPWISE_EOF\n",
    );
}

#[test]
fn head_on_the_release_tag_is_nothing_to_release() {
    let mut repo = Repo::new();
    repo.commit("feat: a").tag("v1.0.0");
    repo.bumpwise()
        .arg("next")
        .assert()
        .code(3)
        .stderr_eq("nothing to release: 0 commits since v1.0.0, none with release impact; a release made anyway would be v1.0.1\n");
}

#[test]
fn a_release_commit_with_nothing_else_to_release_is_the_least_release() {
    for release in [
        "chore(release): prepare for v1.2.1",
        "chore(release): 1.2.1 [skip ci]",
        "chore(version): 1.2.1",
        "Release 1.2.1",
        "v1.2.1",
    ] {
        let mut repo = at("v1.2.0", &["docs: explain the settings"]);
        // Nothing with release impact: nothing to release.
        let report = explain(&repo, &[]);
        assert_eq!(report.decision.next_version, None, "{release}");
        repo.bumpwise().arg("next").assert().code(3);
        repo.commit_files(release, &[("CHANGELOG.md", Some("## 1.2.1\n"))]);
        let report = explain(&repo, &[]);
        let d = &report.decision;
        assert_eq!(
            (
                d.required_bump.as_str(),
                d.bump.as_str(),
                d.decided_by.as_str(),
                d.next_version.as_deref()
            ),
            ("none", "patch", "release_commit", Some("1.2.1")),
            "{release}"
        );
        assert_eq!(report.commit(release).kind, "none", "{release}");
        let basis = d.confidence_basis.as_ref().unwrap();
        assert!(
            basis
                .words
                .starts_with("a release commit, nothing with release impact"),
            "{}",
            basis.words
        );
        repo.bumpwise()
            .arg("next")
            .assert()
            .code(0)
            .stdout_eq("v1.2.1\n");
        // Backtest judges the release it made the same way.
        repo.tag("v1.2.1");
        let backtest = crate::backtest::backtest(&repo, &[]);
        let line = backtest
            .releases
            .iter()
            .find(|l| l.tag == "v1.2.1")
            .unwrap();
        assert_eq!(
            (line.proposed.as_deref(), line.agrees),
            (Some("1.2.1"), true),
            "{release}"
        );
    }
    // A chore that is no release commit leaves nothing to release, nor do
    // commits about releases that name no version or are no chore.
    for chore in [
        "chore: tidy the release script",
        "chore(release): update the release workflow",
        "docs(release): document 1.2.1",
        "ci(release): publish 1.2.1 to the registry",
    ] {
        let repo = at("v1.2.0", &[chore]);
        assert_eq!(explain(&repo, &[]).decision.next_version, None, "{chore}");
    }
    // Commits that require more decide as before.
    let repo = at(
        "v1.2.0",
        &["feat: add a flag", "chore(release): prepare for v1.3.0"],
    );
    assert_eq!(explain(&repo, &[]).decision.decided_by.as_str(), "commits");
}
