//! Habits under the policy in force (not only `auto`): `next` learns how the
//! project released inferred evidence from the newest releases of the range's
//! phase, where a habit could change the answer, and says so.

use crate::backtest::breaks_released_as_patches;
use crate::fixture::Repo;
use crate::json::explain;

/// An inferred API break on top of `repo` (its one exported func renamed).
fn rework_again(repo: &mut Repo) {
    repo.commit_files(
        "Rework loader again",
        &[("lib.go", Some("package lib\n\nfunc Load9() {}\n"))],
    );
}

#[test]
fn next_follows_the_habit_its_newest_releases_show_and_says_so() {
    let mut repo = breaks_released_as_patches(3);
    rework_again(&mut repo);
    let output = repo.bumpwise().arg("next").output().expect("bumpwise ran");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "v0.1.4");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "following this project's habit: inferred API breaks before 1.0 were released as patches in 3 of 3 past releases (v0.1.1, v0.1.2, v0.1.3)"
        ),
        "{stderr}"
    );
    // The JSON and `explain` name the habit and the releases it rests on.
    let report = explain(&repo, &[]);
    assert_eq!(report.policy.name, "guide");
    assert_eq!(report.decision.next_version.as_deref(), Some("0.1.4"));
    let habit = &report.policy.habits[0];
    assert_eq!(
        (habit.basis.as_str(), habit.level.as_str()),
        ("api_break", "patch")
    );
    assert_eq!(habit.releases, ["v0.1.1", "v0.1.2", "v0.1.3"]);
    // `changelog` heads the unreleased notes with the same version.
    let notes = repo
        .bumpwise()
        .args(["changelog", "--all"])
        .output()
        .expect("bumpwise ran");
    let warned = String::from_utf8_lossy(&notes.stderr);
    let notes = String::from_utf8_lossy(&notes.stdout);
    assert!(notes.contains("## [0.1.4]"), "{notes}");
    assert!(
        warned.contains("0.1.4: following this project's habit: inferred API breaks"),
        "{warned}"
    );
}

#[test]
fn habits_are_switched_off_by_flag_or_file() {
    let mut repo = breaks_released_as_patches(3);
    rework_again(&mut repo);
    let off = explain(&repo, &["--no-habits"]);
    assert_eq!(off.decision.next_version.as_deref(), Some("0.2.0"));
    assert!(off.policy.habits.is_empty());
    std::fs::write(repo.path().join("bumpwise.toml"), "habits = false\n").unwrap();
    let off = explain(&repo, &[]);
    assert_eq!(off.decision.next_version.as_deref(), Some("0.2.0"));
}

#[test]
fn a_declared_break_stands_and_no_habit_is_looked_for() {
    let mut repo = breaks_released_as_patches(3);
    repo.commit_touching("feat!: drop the loader", "lib.go");
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("0.2.0"));
    // A habit could not change the answer: none was learned (under `auto`,
    // which reads every release anyway, it is listed and still not followed).
    assert!(report.policy.habits.is_empty());
    let auto = explain(&repo, &["--policy", "auto"]);
    assert_eq!(auto.decision.next_version.as_deref(), Some("0.2.0"));
    assert_eq!(auto.policy.habits.len(), 1);
}

#[test]
fn a_habit_of_the_releases_before_1_0_does_not_carry_past_it() {
    let mut repo = breaks_released_as_patches(3);
    repo.commit("chore: one point oh").tag("v1.0.0");
    rework_again(&mut repo);
    let report = explain(&repo, &[]);
    assert!(report.policy.habits.is_empty());
    // The break wants 2.0.0; the module path `example.com/lib` caps it at the minor.
    assert_eq!(report.decision.next_version.as_deref(), Some("1.1.0"));
}

/// The three patch-released breaks, then `fixes` patch releases of fixes, then a break.
fn breaks_then_fixes(fixes: usize) -> Repo {
    let mut repo = breaks_released_as_patches(3);
    for i in 4..4 + fixes {
        repo.commit(&format!("fix: tidy {i}"))
            .tag(&format!("v0.1.{i}"));
    }
    rework_again(&mut repo);
    repo
}

#[test]
fn habits_are_learned_from_the_newest_twenty_releases_of_the_phase_only() {
    // 17 releases of fixes: the three breaks are among the newest twenty.
    let within = explain(&breaks_then_fixes(17), &[]);
    assert_eq!(within.decision.next_version.as_deref(), Some("0.1.21"));
    assert_eq!(within.policy.habits[0].of, 3);
    // 18: one of them is not, and two teach nothing.
    let beyond = explain(&breaks_then_fixes(18), &[]);
    assert_eq!(beyond.decision.next_version.as_deref(), Some("0.2.0"));
    assert!(beyond.policy.habits.is_empty());
}

#[test]
fn a_release_resting_on_several_kinds_of_inferred_evidence_teaches_each() {
    // Each 0.1.x patch holds an inferred break (a func renamed) and an
    // inferred addition (a helper added): released as a patch, it shows both
    // were released as patches.
    let mut repo = Repo::new();
    repo.commit_files(
        "Add the module",
        &[("go.mod", Some("module example.com/lib\n"))],
    );
    repo.commit_files(
        "Initial import",
        &[("lib.go", Some("package lib\n\nfunc Load0() {}\n"))],
    )
    .tag("v0.1.0");
    let mut helpers = String::from("package lib\n");
    for i in 1..=3 {
        repo.commit_files(
            &format!("Rework loader {i}"),
            &[(
                "lib.go",
                Some(&format!("package lib\n\nfunc Load{i}() {{}}\n")),
            )],
        );
        helpers.push_str(&format!("\nfunc Helper{i}() {{}}\n"));
        repo.commit_files(
            &format!("Helpers, round {i}"),
            &[("helpers.go", Some(&helpers))],
        )
        .tag(&format!("v0.1.{i}"));
    }
    rework_again(&mut repo);
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("0.1.4"));
    let mut learned: Vec<&str> = report
        .policy
        .habits
        .iter()
        .map(|h| h.basis.as_str())
        .collect();
    learned.sort_unstable();
    assert_eq!(learned, ["api_addition", "api_break"]);
}

#[test]
fn backtest_proposes_each_release_as_next_would_have_then() {
    // Six 0.1.x patches, each an inferred break: from the fourth on, the
    // three before it teach the habit, and backtest proposes what `next`
    // would have proposed then.
    let repo = breaks_released_as_patches(6);
    let agrees = |args: &[&str]| -> Vec<bool> {
        let report = crate::backtest::backtest(&repo, args);
        report
            .releases
            .iter()
            .filter(|l| l.counted)
            .map(|l| l.agrees)
            .collect()
    };
    assert_eq!(agrees(&[]), [false, false, false, true, true, true]);
    assert_eq!(agrees(&["--no-habits"]), [false; 6]);
}

/// A proposal a habit lowered rests on the habit, not on the declared fix the
/// habit left at the top: its confidence is the habit's record (0.79 on the
/// replays), not an explicit fix's (0.98), and a 0.9 gate waits for a person.
#[test]
fn a_proposal_a_habit_lowered_is_as_sure_as_the_habit_not_as_what_it_left() {
    let mut repo = breaks_released_as_patches(3);
    rework_again(&mut repo);
    repo.commit_files(
        "fix: guard the loader",
        &[("util.go", Some("package lib\n\nfunc guard() {}\n"))],
    );
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("0.1.4"));
    let basis = report.decision.confidence_basis.as_ref().expect("a basis");
    assert_eq!(
        (basis.ground.as_str(), basis.level.as_str()),
        ("habit", "patch")
    );
    assert_eq!(report.decision.confidence, Some(0.79));
    assert!(
        basis
            .words
            .contains("once a learned habit lowered what stood above"),
        "{}",
        basis.words
    );
    let gated = repo
        .bumpwise()
        .args(["next", "--min-confidence", "0.9"])
        .output()
        .expect("bumpwise ran");
    assert_eq!(gated.status.code(), Some(8), "{gated:?}");
    // Without the habit, the break stands: declared evidence is not what decides then either.
    let off = explain(&repo, &["--no-habits"]);
    assert_eq!(off.decision.next_version.as_deref(), Some("0.2.0"));
    assert_eq!(
        off.decision.confidence_basis.as_ref().unwrap().ground,
        "api"
    );
}
