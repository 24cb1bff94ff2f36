//! Release lines: pre-releases, build metadata, and maintenance branches.

use crate::fixture::Repo;
use crate::json::explain;

const TAG_EXISTS: i32 = 7;

fn next(repo: &Repo, args: &[&str]) -> String {
    repo.stdout_of(&[&["next"][..], args].concat())
        .trim()
        .to_string()
}

#[test]
fn an_rc_sequence() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.2.0").commit("feat: x");
    assert_eq!(next(&repo, &["--pre", "rc"]), "v1.3.0-rc.1");
    repo.tag("v1.3.0-rc.1").commit("fix: y");
    assert_eq!(next(&repo, &["--pre", "rc"]), "v1.3.0-rc.2");
    repo.tag("v1.3.0-rc.2").tag("v1.3.0-rc.10").commit("fix: z");
    assert_eq!(
        next(&repo, &["--pre", "rc"]),
        "v1.3.0-rc.11",
        "numbers compare as numbers"
    );
}

#[test]
fn a_breaking_change_after_an_rc_moves_the_version() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.2.0")
        .commit("feat: x")
        .tag("v1.3.0-rc.1")
        .commit("feat!: y");
    assert_eq!(next(&repo, &["--pre", "rc"]), "v2.0.0-rc.1");
}

#[test]
fn changing_identifier_moves_on_never_back() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.2.0")
        .commit("feat: x")
        .tag("v1.3.0-beta.3")
        .commit("fix: y");
    assert_eq!(next(&repo, &["--pre", "rc"]), "v1.3.0-rc.1");
    repo.tag("v1.3.0-rc.1");
    repo.bumpwise().args(["next", "--pre", "beta"]).assert().code(2).stderr_eq(
        "error: 1.3.0-beta.4 would not be above 1.3.0-rc.1, which is tagged already; use an identifier that sorts after it\n",
    );
    repo.bumpwise()
        .args(["next", "--pre", "r c"])
        .assert()
        .code(2);
}

#[test]
fn without_pre_the_line_graduates() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.2.0")
        .commit("feat: x")
        .tag("v1.3.0-rc.4");
    assert_eq!(next(&repo, &[]), "v1.3.0");
}

#[test]
fn build_metadata() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.2.0").commit("feat: x");
    assert_eq!(next(&repo, &["--build", "20260101.1"]), "v1.3.0+20260101.1");
    assert_eq!(
        next(&repo, &["--pre", "rc", "--build", "b5"]),
        "v1.3.0-rc.1+b5"
    );
    repo.bumpwise()
        .args(["next", "--build", "a b"])
        .assert()
        .code(2);
}

fn maintenance() -> Repo {
    // main released 0.6.0; a maintenance branch starts at 0.5.2.
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v0.5.2")
        .branch("release-0.5")
        .commit("feat: new in 0.6")
        .tag("v0.6.0");
    repo.checkout("release-0.5").commit("fix: backported fix");
    repo
}

#[test]
fn a_maintenance_branch_gets_a_patch() {
    let repo = maintenance();
    assert_eq!(next(&repo, &[]), "v0.5.3");
    let report = explain(&repo, &[]);
    assert_eq!(report.skip_reason("v0.6.0"), Some("unreachable"));
}

#[test]
fn a_feature_on_a_maintenance_line_collides_and_is_named() {
    let mut repo = maintenance();
    repo.commit("feat: not patch-safe");
    let output = repo.bumpwise().arg("next").output().unwrap();
    assert_eq!(output.status.code(), Some(TAG_EXISTS));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error: v0.6.0 would collide with the existing tag v0.6.0; this looks like a maintenance line"), "{stderr}");
    assert!(
        stderr.contains("(feat: not patch-safe)") && stderr.lines().count() == 1,
        "{stderr}"
    );
    // explain still explains.
    repo.bumpwise().arg("explain").assert().success();
}

#[test]
fn a_proposal_tagged_elsewhere_in_another_style_collides() {
    let mut repo = maintenance();
    repo.checkout("main")
        .branch("other")
        .checkout("other")
        .commit("fix: elsewhere")
        .tag("0.5.3");
    repo.checkout("release-0.5");
    repo.bumpwise()
        .arg("next")
        .assert()
        .code(TAG_EXISTS)
        .stderr_eq("error: v0.5.3 would collide with the existing tag 0.5.3\n");
}

fn notes(repo: &Repo, args: &[&str]) -> String {
    repo.stdout_of(&[&["changelog", "--date", "2026-01-01"][..], args].concat())
}

fn rc_line() -> Repo {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.2.0")
        .commit("feat: in rc.1")
        .tag("v1.3.0-rc.1")
        .commit("fix: after rc.1");
    repo
}

#[test]
fn a_pre_release_lists_the_changes_since_the_previous_one() {
    let repo = rc_line();
    let text = notes(&repo, &["--pre", "rc"]);
    assert!(text.starts_with("## [1.3.0-rc.2] - 2026-01-01\n"), "{text}");
    assert!(
        text.contains("- after rc.1 (") && !text.contains("in rc.1 ("),
        "{text}"
    );
}

#[test]
fn pre_release_notes_can_start_from_the_stable_release() {
    let mut repo = rc_line();
    repo.write("bumpwise.toml", "prerelease_notes = \"since-stable\"\n");
    let text = notes(&repo, &["--pre", "rc"]);
    assert!(
        text.contains("- after rc.1 (") && text.contains("- in rc.1 ("),
        "{text}"
    );
    repo.write("bumpwise.toml", "prerelease_notes = \"sometimes\"\n");
    repo.bumpwise().arg("changelog").assert().code(2);
}

#[test]
fn the_stable_release_folds_its_pre_releases() {
    let repo = rc_line();
    let text = notes(&repo, &[]);
    assert!(text.starts_with("## [1.3.0] - 2026-01-01\n"), "{text}");
    assert!(
        text.contains("- after rc.1 (") && text.contains("- in rc.1 ("),
        "{text}"
    );
}
