//! Classifying commits, through the real binary's JSON.

use crate::fixture::Repo;
use crate::json::{Rule, explain};

fn released(messages: &[&str]) -> Repo {
    let mut repo = Repo::new();
    repo.commit("initial").tag("v1.0.0").commits(messages);
    repo
}

#[test]
fn bang_and_breaking_footers_are_breaking() {
    let repo = released(&[
        "feat(api)!: drop the v1 endpoint",
        "fix: tighten parsing\n\nBREAKING CHANGE: empty keys are rejected",
        "refactor: rename\n\nBREAKING-CHANGE: the `listen` option is now `listenAddress`",
        "docs!: drop the old guide",
    ]);
    let report = explain(&repo, &[]);
    let bang = report.commit("feat(api)!: drop the v1 endpoint");
    assert_eq!(bang.kind, "breaking");
    assert_eq!(
        bang.rule,
        Rule::BreakingMark {
            header: "feat(api)!".into()
        }
    );
    assert_eq!(bang.breaking.as_deref(), Some("drop the v1 endpoint"));
    let footer = report.commit("fix: tighten parsing");
    assert_eq!(
        (footer.kind.as_str(), &footer.rule),
        ("breaking", &Rule::BreakingFooter)
    );
    assert_eq!(footer.breaking.as_deref(), Some("empty keys are rejected"));
    assert_eq!(report.commit("refactor: rename").kind, "breaking");
    assert_eq!(report.commit("docs!: drop the old guide").kind, "breaking");
    assert_eq!(report.breaking_changes.len(), 4);
    assert_eq!(report.decision.next_version.as_deref(), Some("2.0.0"));
}

#[test]
fn conventional_types_map_to_kinds() {
    let repo = released(&[
        "feat: a",
        "fix: b",
        "perf: c",
        "revert: d",
        "docs: e",
        "style: f",
        "test: g",
        "ci: h",
        "chore: i",
        "build: j",
        "refactor: k",
    ]);
    let report = explain(&repo, &[]);
    for (subject, kind) in [
        ("feat: a", "feature"),
        ("fix: b", "fix"),
        ("perf: c", "fix"),
        ("revert: d", "fix"),
        ("docs: e", "none"),
        ("style: f", "none"),
        ("test: g", "none"),
        ("ci: h", "none"),
        ("chore: i", "none"),
        ("build: j", "none"),
        ("refactor: k", "none"),
    ] {
        let commit = report.commit(subject);
        assert_eq!(commit.kind, kind, "{subject}");
        assert!(
            matches!(commit.rule, Rule::Type { .. }),
            "{subject}: {:?}",
            commit.rule
        );
    }
}

#[test]
fn types_are_case_insensitive_and_leading_space_is_ignored() {
    let repo = released(&[
        "Feat: upper case",
        " feat: stray leading space",
        "FIX(Core): shouting",
    ]);
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("Feat: upper case").kind, "feature");
    // The subject is reported trimmed.
    assert_eq!(report.commit("feat: stray leading space").kind, "feature");
    let fix = report.commit("FIX(Core): shouting");
    assert_eq!(
        (fix.kind.as_str(), fix.scope.as_deref()),
        ("fix", Some("core"))
    );
}

#[test]
fn squash_merge_body_bullets_do_not_count() {
    let repo = released(&[
        "docs: rewrite the setup guide (#12)\n\n* feat: add persistent mode\n* fix: setupAgent\n\nSigned-off-by: A <a@example.com>",
    ]);
    let report = explain(&repo, &[]);
    assert_eq!(report.commits.len(), 1);
    assert_eq!(report.commits[0].kind, "none");
    assert!(!report.decision.release);
}

#[test]
fn dependency_updates_bump_the_patch() {
    let repo = released(&[
        "build(deps): bump golang.org/x/crypto from 0.23.0 to 0.31.0 (#666)",
        "chore(deps): update docker",
        "fix(deps-dev): bump lint",
    ]);
    let report = explain(&repo, &[]);
    for c in &report.commits {
        assert_eq!(
            (c.kind.as_str(), c.dependency),
            ("fix", true),
            "{}",
            c.subject
        );
    }
    assert_eq!(
        report.commit("chore(deps): update docker").rule,
        Rule::Dependency {
            scope: "deps".into()
        }
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.0.1"));
}

#[test]
fn security_fixes_bump_the_patch_and_set_the_flag() {
    let cases = [
        ("security: escape shell arguments", "type security"),
        ("fix(security): reject weak ciphers", "scope security"),
        (
            "chore: harden\n\nSecurity: host keys were logged",
            "footer Security",
        ),
        ("Update x/crypto for CVE-2024-45337", "CVE-2024-45337"),
        ("docs: advisory GHSA-v778-237x-gjrc", "GHSA-v778-237x-gjrc"),
    ];
    for (message, evidence) in cases {
        let report = explain(&released(&[message]), &[]);
        let commit = &report.commits[0];
        assert!(commit.security, "{message}");
        assert_eq!(commit.kind, "fix", "{message}");
        assert!(report.security, "{message}");
        assert_eq!(report.decision.bump, "patch", "{message}");
        let shown = match &commit.rule {
            Rule::Security { evidence } => evidence.clone(),
            Rule::Type { kind } => format!("type {kind}"),
            other => panic!("{message}: {other:?}"),
        };
        assert_eq!(shown, evidence, "{message}");
    }
    let plain = explain(&released(&["fix: ordinary"]), &[]);
    assert!(!plain.security);
}

#[test]
fn deprecations_bump_the_minor_and_are_collected() {
    let repo = released(&[
        "deprecate: the `listen` option",
        "feat: listenAddress\n\nDeprecated: the listen option\nReplacement: listenAddress\nMigration: rename the key",
    ]);
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("1.1.0"));
    let by_type = report.commit("deprecate: the `listen` option");
    assert_eq!(
        by_type.rule,
        Rule::Deprecation {
            source: "type".into()
        }
    );
    assert_eq!(report.deprecations.len(), 2);
    let footer = report
        .deprecations
        .iter()
        .find(|d| d.what == "the listen option")
        .unwrap();
    assert_eq!(footer.replacement.as_deref(), Some("listenAddress"));
    assert_eq!(footer.migration.as_deref(), Some("rename the key"));
    // A non-conventional commit with a Deprecated: trailer is a deprecation too.
    let plain = explain(
        &released(&["Rework config\n\nDeprecated: the old layout"]),
        &[],
    );
    assert_eq!(plain.commits[0].kind, "feature");
    assert_eq!(plain.deprecations[0].what, "the old layout");
}

#[test]
fn a_deprecation_is_at_least_a_minor_even_before_1_0_under_the_guide() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v0.4.0")
        .commit("fix: x\n\nDeprecated: the listen option");
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("0.5.0"));
}

#[test]
fn a_commit_and_its_revert_cancel_out() {
    let mut repo = released(&["fix: keep"]);
    repo.commit("feat: risky");
    let risky = repo.head().to_string();
    repo.commit(&format!(
        "Revert \"feat: risky\"\n\nThis reverts commit {risky}."
    ));
    let report = explain(&repo, &[]);
    let feature = report.commit("feat: risky");
    assert_eq!(feature.effective_kind, "none");
    assert!(feature.reverted_by.is_some());
    let revert = report.commit("Revert \"feat: risky\"");
    assert_eq!(revert.reverts.as_deref(), Some(risky.as_str()));
    assert_eq!(revert.effective_kind, "none");
    assert_eq!(report.summary.cancelled, 2);
    assert_eq!(report.decision.next_version.as_deref(), Some("1.0.1"));
}

#[test]
fn a_revert_is_paired_by_subject_without_the_body_line() {
    let repo = released(&["feat: risky", "Revert \"feat: risky\""]);
    let report = explain(&repo, &[]);
    assert_eq!(report.summary.cancelled, 2);
    assert!(!report.decision.release);
}

#[test]
fn a_revert_of_a_revert_restores_the_original() {
    let repo = released(&[
        "feat: risky",
        "Revert \"feat: risky\"",
        "Revert \"Revert \"feat: risky\"\"",
    ]);
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("feat: risky").effective_kind, "feature");
    assert_eq!(report.summary.cancelled, 2);
    assert_eq!(report.decision.next_version.as_deref(), Some("1.1.0"));
}

#[test]
fn a_revert_of_an_earlier_release_is_a_fix() {
    let mut repo = Repo::new();
    repo.commit("feat: shipped")
        .tag("v1.0.0")
        .commit("Revert \"feat: shipped\"");
    let report = explain(&repo, &[]);
    assert_eq!(
        (report.commits[0].kind.as_str(), &report.commits[0].rule),
        ("fix", &Rule::Revert)
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.0.1"));
}

#[test]
fn merge_commits_are_not_classified_but_their_commits_are() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.0.0")
        .branch("topic")
        .checkout("topic")
        .commit("feat: on the branch");
    repo.checkout("main")
        .commit("fix: on main")
        .merge("topic", "feat: merge commit text must not count");
    let report = explain(&repo, &[]);
    let subjects: Vec<&str> = report.commits.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects.contains(&"feat: on the branch") && subjects.contains(&"fix: on main"));
    assert_eq!(report.merges_skipped, 1);
    assert_eq!(report.decision.next_version.as_deref(), Some("1.1.0"));
}

#[test]
fn first_parent_skips_a_merged_foreign_history() {
    // A library's whole history merged into the application: its commits shipped long ago.
    let mut repo = Repo::new();
    repo.commit("app start").tag("v1.0.0");
    repo.branch("lib")
        .checkout("lib")
        .commits(&["feat!: library rewrite", "feat: library feature"]);
    repo.checkout("main")
        .merge("lib", "fix: merge the library in")
        .commit("docs: note");
    let all = explain(&repo, &[]);
    assert_eq!(all.decision.next_version.as_deref(), Some("2.0.0"));
    let first = explain(&repo, &["--first-parent"]);
    let subjects: Vec<&str> = first.commits.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(subjects, ["docs: note", "fix: merge the library in"]);
    assert!(first.commits[1].merge);
    assert!(first.first_parent);
    assert_eq!(first.decision.next_version.as_deref(), Some("1.0.1"));
}

#[test]
fn unclassified_commits_are_listed_counted_and_warned_about() {
    let repo = released(&["Refactored the handler", "feat: x", "wip: unknown type"]);
    let report = explain(&repo, &[]);
    assert_eq!(report.summary.unclassified, 2);
    assert_eq!(
        report.commit("Refactored the handler").rule,
        Rule::NotConventional
    );
    assert_eq!(
        report.commit("wip: unknown type").rule,
        Rule::UnknownType { kind: "wip".into() }
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("2 of 3 commits are unclassified"))
    );
    repo.bumpwise()
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v1.1.0\n")
        .stderr_eq("warning: 2 of 3 commits are unclassified (no rule matched); the bump may be an under-estimate: see `bumpwise explain`\nminor release: v1.0.0 → v1.1.0 under the guide policy (the commits require minor)\nconfidence [..]: 1 explicit feature; [..]\n");
}

#[test]
fn the_type_table_is_configurable() {
    let mut repo = released(&["hotfix: urgent", "docs: also counts here"]);
    repo.write(
        "bumpwise.toml",
        "[types]\nhotfix = \"fix\"\ndocs = \"feature\"\n",
    );
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("hotfix: urgent").kind, "fix");
    assert_eq!(report.commit("docs: also counts here").kind, "feature");
    assert_eq!(report.decision.next_version.as_deref(), Some("1.1.0"));
}

#[test]
fn the_type_table_can_come_from_an_explicit_config_file() {
    let repo = released(&["urgent: thing"]);
    let dir = crate::fixture::plain_dir();
    let file = dir.path().join("release.toml");
    std::fs::write(&file, "[types]\nurgent = \"fix\"\n").unwrap();
    assert_eq!(explain(&repo, &[]).commits[0].kind, "unclassified");
    let report = explain(&repo, &["--config", file.to_str().unwrap()]);
    assert_eq!(report.commits[0].kind, "fix");
}

#[test]
fn pull_request_merges_are_classified_by_their_title_in_first_parent_mode() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.0.0")
        .branch("topic")
        .checkout("topic")
        .commit("wip")
        .commit("more wip");
    repo.checkout("main").merge(
        "topic",
        "Merge pull request #42 from someone/topic\n\nAdd port forwarding\n\nLong description.",
    );
    let report = explain(&repo, &["--first-parent"]);
    let merge = &report.commits[0];
    assert!(merge.merge && merge.via_pull_request);
    assert_eq!(
        (merge.kind.as_str(), merge.confidence.as_str()),
        ("feature", "medium")
    );
    assert_eq!(
        merge.rule,
        Rule::Keyword {
            verdict: "feature".into(),
            word: "Add".into()
        }
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.1.0"));
    let text = repo
        .bumpwise()
        .args(["explain", "--first-parent"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout)
            .contains("pull request title: keyword `Add` (feature)")
    );
}

#[test]
fn a_removal_is_possibly_breaking_but_does_not_raise_the_bump() {
    let repo = released(&["Removed the listen option", "Fixed a crash"]);
    let report = explain(&repo, &[]);
    let removal = report.commit("Removed the listen option");
    assert_eq!(
        (removal.kind.as_str(), removal.possibly_breaking),
        ("feature", true)
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.1.0"));
    assert!(report.breaking_changes.is_empty());
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("may be breaking") && w.contains(&removal.short_id)),
        "{:?}",
        report.warnings
    );
}

#[test]
fn keyword_lists_are_configurable() {
    let mut repo = released(&["Mend the reconnect logic", "Fix the agent"]);
    repo.write("bumpwise.toml", "[keywords]\nfix = [\"Mend\"]\n");
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("Mend the reconnect logic").kind, "fix");
    // The list replaces the default: `Fix` is no longer a fix verb.
    assert_eq!(report.commit("Fix the agent").kind, "unclassified");
    repo.write("bumpwise.toml", "[keywords]\nfixes = [\"Mend\"]\n");
    repo.bumpwise().arg("next").assert().code(2);
}

#[test]
fn dependency_bots_are_recognised_by_author() {
    let mut repo = released(&[]);
    repo.commit_as(
        "Update actions/setup-go requirement",
        "dependabot[bot]",
        "support@github.com",
    );
    let report = explain(&repo, &[]);
    assert!(report.commits[0].dependency);
    assert_eq!(
        report.commits[0].rule,
        Rule::Keyword {
            verdict: "dependency".into(),
            word: "dependabot".into()
        }
    );
}

#[test]
fn a_long_list_of_possible_breaks_names_ten_and_counts_the_rest() {
    let messages: Vec<String> = (0..25).map(|i| format!("Removed option {i}")).collect();
    let messages: Vec<&str> = messages.iter().map(String::as_str).collect();
    let repo = released(&messages);
    let report = explain(&repo, &[]);
    let warning = report
        .warnings
        .iter()
        .find(|w| w.contains("may be breaking"))
        .expect("a warning about removals");
    assert!(
        warning.starts_with("25 commit(s) remove or rename"),
        "{warning}"
    );
    assert!(
        warning.contains("and 15 more (`bumpwise explain` lists them)"),
        "{warning}"
    );
    // The ten named are the newest ten.
    let named: Vec<&str> = report.commits[..10]
        .iter()
        .map(|c| c.short_id.as_str())
        .collect();
    assert!(warning.contains(&named.join(", ")), "{warning}");
    assert!(!warning.contains(&report.commits[10].short_id), "{warning}");
}
