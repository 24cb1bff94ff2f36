//! The confidence of a proposal, the gate on it (`--min-confidence`, exit 8),
//! and how honest backtest shows it was.

use crate::backtest::backtest;
use crate::fixture::Repo;
use crate::json::{Report, explain};

fn at(tag: &str, messages: &[&str]) -> Repo {
    let mut repo = Repo::new();
    repo.commit("initial").tag(tag).commits(messages);
    repo
}

fn sure(report: &Report) -> f64 {
    report.decision.confidence.expect("a confidence")
}

#[test]
fn explicit_commits_are_surer_than_keywords_and_keywords_than_unread_commits() {
    let explicit = explain(&at("v1.0.0", &["feat: add an export", "fix: mend"]), &[]);
    let keyword = explain(&at("v1.0.0", &["Add an export", "Fix a crash"]), &[]);
    let basis = explicit.decision.confidence_basis.as_ref().unwrap();
    assert_eq!(
        (
            basis.ground.as_str(),
            basis.level.as_str(),
            basis.deciding_commits
        ),
        ("declared", "minor", 1)
    );
    assert_eq!(
        keyword.decision.confidence_basis.as_ref().unwrap().ground,
        "keyword"
    );
    assert_eq!(
        (
            explicit.decision.next_version.as_deref(),
            keyword.decision.next_version.as_deref()
        ),
        (Some("1.1.0"), Some("1.1.0"))
    );
    assert!(sure(&explicit) > sure(&keyword), "{explicit:?} {keyword:?}");
    assert!(
        basis.words.contains("1 explicit feature"),
        "{}",
        basis.words
    );
    // No past release read (the guide policy does not replay them): the prior alone.
    assert_eq!(
        (
            basis.past_releases,
            basis.past_agreed,
            basis.same_releases,
            basis.same_agreed
        ),
        (0, 0, 0, 0)
    );
    assert!((basis.confidence - basis.prior).abs() < 0.011, "{basis:?}");
    assert_eq!(basis.deciding_kind, "feature");
    assert!(basis.doubts.possibly_breaking == 0 && !basis.doubts.capped);
    // A version a person asked for is certain.
    let asked = explain(
        &at("v1.0.0", &["Add an export"]),
        &["--release-as", "2.0.0"],
    );
    assert_eq!(sure(&asked), 1.0);
}

#[test]
fn under_auto_the_projects_own_releases_calibrate_it() {
    let mut repo = Repo::new();
    repo.commit("initial").tag("v1.0.0");
    for n in 1..=5 {
        repo.commit(&format!("Add feature {n}"))
            .tag(&format!("v1.{n}.0"));
    }
    repo.commit("Add feature 6");
    let guide = explain(&repo, &[]);
    let auto = explain(&repo, &["--policy", "auto"]);
    let basis = auto.decision.confidence_basis.as_ref().unwrap();
    assert_eq!(
        (basis.ground.as_str(), basis.level.as_str()),
        ("keyword", "minor")
    );
    assert_eq!(
        (basis.same_releases, basis.same_agreed),
        (5, 5),
        "{basis:?}"
    );
    assert_eq!(
        basis.same_tags,
        ["v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0"]
    );
    assert!(
        basis.words.contains("5 of 5 past releases"),
        "{}",
        basis.words
    );
    // Five keyword features released as minors make the sixth surer than the prior says.
    assert!(sure(&auto) > sure(&guide) + 0.1, "{auto:?}");
}

#[test]
fn a_commit_no_rule_reads_makes_a_patch_less_sure() {
    let without = explain(&at("v1.0.0", &["fix: mend", "fix: another"]), &[]);
    let with = explain(
        &at(
            "v1.0.0",
            &["fix: mend", "fix: another", "Something else happened"],
        ),
        &[],
    );
    assert_eq!(
        (
            without.decision.next_version.as_deref(),
            with.decision.next_version.as_deref()
        ),
        (Some("1.0.1"), Some("1.0.1"))
    );
    let doubts = &with.decision.confidence_basis.as_ref().unwrap().doubts;
    assert_eq!(doubts.unread, 1, "{doubts:?}");
    assert!(sure(&with) < sure(&without), "{with:?}");
    assert!(
        with.decision
            .confidence_basis
            .as_ref()
            .unwrap()
            .words
            .contains("could hide a feature")
    );
}

#[test]
fn below_the_minimum_next_exits_8_and_still_prints_the_proposal() {
    let mut repo = at("v1.0.0", &["Add an export"]);
    let low = sure(&explain(&repo, &[]));
    assert!(low < 0.9, "a keyword feature is not sure: {low}");
    let gated = repo
        .bumpwise()
        .args(["next", "--min-confidence", "0.9"])
        .assert()
        .code(8)
        .stdout_eq("v1.1.0\n");
    let stderr = String::from_utf8_lossy(&gated.get_output().stderr).to_string();
    assert!(
        stderr.contains(&format!(
            "needs a person: confidence {low:.2} is below the minimum 0.90"
        )) && stderr.contains("--release-as 1.1.0"),
        "{stderr}"
    );
    let github = repo
        .bumpwise()
        .args(["next", "--format", "github", "--min-confidence", "0.9"])
        .assert()
        .code(8);
    let out = String::from_utf8_lossy(&github.get_output().stdout).to_string();
    assert!(
        out.contains("version=1.1.0\n") && out.contains("confident=false\n"),
        "{out}"
    );
    assert!(out.contains(&format!("confidence={low:.2}\n")), "{out}");
    let json = repo
        .bumpwise()
        .args(["next", "--format", "json", "--min-confidence", "0.9"])
        .assert()
        .code(8);
    let report: Report = serde_json::from_slice(&json.get_output().stdout).expect("JSON");
    assert_eq!(
        (report.decision.confident, report.decision.min_confidence),
        (false, 0.9)
    );
    // Above it, and with a person's version, the release goes ahead.
    repo.bumpwise()
        .args(["next", "--min-confidence", "0.3"])
        .assert()
        .success();
    repo.bumpwise()
        .args(["next", "--min-confidence", "0.9", "--release-as", "1.1.0"])
        .assert()
        .success();
    // The same threshold from the configuration file; a bad one is a usage error.
    repo.write("bumpwise.toml", "min_confidence = 0.9\n");
    repo.bumpwise().arg("next").assert().code(8);
    repo.bumpwise()
        .args(["next", "--min-confidence", "1.5"])
        .assert()
        .code(2);
    repo.write("bumpwise.toml", "min_confidence = 2\n");
    repo.bumpwise().arg("next").assert().code(2);
}

#[test]
fn check_warns_on_a_proposal_below_the_minimum_and_fails_under_strict() {
    let mut repo = at("v1.0.0", &["Add an export"]);
    repo.sync();
    let warned = repo
        .bumpwise()
        .args([
            "check",
            "v1.1.0",
            "--min-confidence",
            "0.9",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&warned.get_output().stdout).to_string();
    let check: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let finding = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "confidence")
        .expect("a confidence finding");
    assert_eq!(finding["status"], "warn", "{finding}");
    repo.bumpwise()
        .args(["check", "v1.1.0", "--min-confidence", "0.9", "--strict"])
        .assert()
        .code(4);
    repo.bumpwise()
        .args(["check", "v1.1.0", "--min-confidence", "0.3", "--strict"])
        .assert()
        .success();
}

#[test]
fn backtest_gives_each_release_the_confidence_it_would_have_had_and_bands() {
    let mut repo = Repo::new();
    repo.commit("chore: start").tag("v1.0.0");
    for n in 1..=6 {
        repo.commit(&format!("feat: feature {n}"))
            .tag(&format!("v1.{n}.0"));
    }
    let report = backtest(&repo, &[]);
    let counted: Vec<f64> = report
        .releases
        .iter()
        .filter(|l| l.counted)
        .map(|l| l.confidence.expect("counted releases have one"))
        .collect();
    assert_eq!(counted.len(), 6);
    // Each agreeing release makes the next surer.
    assert!(counted.windows(2).all(|w| w[1] >= w[0]), "{counted:?}");
    assert!(counted[5] > counted[0], "{counted:?}");
    let bands = &report.agreement.bands;
    assert_eq!(bands.iter().map(|b| b.releases).sum::<usize>(), 6);
    assert_eq!(bands.iter().map(|b| b.agreed).sum::<usize>(), 6);
    for b in bands {
        assert!(
            b.from <= b.mean_confidence && b.mean_confidence <= b.to,
            "{b:?}"
        );
    }
    assert!(repo.stdout_of(&["backtest"]).contains("By confidence"));
}
