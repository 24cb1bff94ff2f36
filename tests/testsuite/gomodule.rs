//! Go's module rule: a major above v1 is a new module path (`…/vN`), so the
//! path in `go.mod`, not the commits, says which majors a module can release.

use crate::fixture::Repo;
use crate::json::explain;

/// A Go module released at `tag`, its `go.mod` saying `module PATH`.
fn module(path: &str, tag: &str) -> Repo {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some(&format!("module {path}\n\ngo 1.21\n"))),
            ("lib.go", Some("package lib\n\nfunc Load() {}\n")),
        ],
    )
    .tag(tag);
    repo
}

#[test]
fn a_break_in_a_v1_module_without_v2_in_its_path_is_proposed_as_the_minor() {
    let mut repo = module("example.com/lib", "v1.4.0");
    repo.commit_touching("feat!: drop the old loader", "lib.go");
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("1.5.0"));
    assert_eq!(report.decision.bump, "minor");
    let module = report.go_module.as_ref().expect("a Go module");
    assert_eq!(
        (module.path.as_str(), module.major, module.rule.as_deref()),
        ("example.com/lib", 1, Some("capped"))
    );
    assert_eq!(module.wanted.as_deref(), Some("2.0.0"));
    let warning = report
        .warnings
        .iter()
        .find(|w| w.contains("cannot release v2"))
        .unwrap_or_else(|| panic!("a warning on the module path: {:#?}", report.warnings));
    let id = &report.commit("feat!: drop the old loader").id[..7];
    assert!(warning.contains(id), "names the break's commit: {warning}");
    assert!(
        warning.contains("example.com/lib/v2") && warning.contains("--release-as 2.0.0"),
        "says the two ways out: {warning}"
    );
    // `next` in text gives the same version.
    assert_eq!(repo.stdout_of(&["next"]).trim(), "v1.5.0");
}

#[test]
fn a_module_at_v2_can_release_v2_but_not_v3() {
    let mut repo = module("example.com/lib/v2", "v2.1.0");
    repo.commit_touching("feat!: a new loader", "lib.go");
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("2.2.0"));
    assert_eq!(report.go_module.as_ref().unwrap().major, 2);
}

#[test]
fn a_module_path_that_moves_to_vn_in_the_range_declares_that_major() {
    let mut repo = module("example.com/lib", "v1.4.0");
    repo.commit_files(
        "Move the module to v2",
        &[("go.mod", Some("module example.com/lib/v2\n\ngo 1.21\n"))],
    )
    .commit_touching("fix: a typo", "lib.go");
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("2.0.0"));
    assert_eq!(
        report.go_module.as_ref().unwrap().rule.as_deref(),
        Some("declared")
    );
    assert!(
        report.warnings.iter().any(|w| w.contains("declares v2")),
        "{:#?}",
        report.warnings
    );
}

#[test]
fn a_go_project_without_go_mod_keeps_the_versioning_rule() {
    let mut repo = Repo::new();
    repo.commit_files("Initial import", &[("lib.go", Some("package lib\n"))])
        .tag("v1.4.0")
        .commit_touching("feat!: drop the old loader", "lib.go");
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("2.0.0"));
    assert!(report.go_module.is_none());
}

#[test]
fn a_human_request_stands_and_before_1_0_nothing_changes() {
    let mut repo = module("example.com/lib", "v1.4.0");
    repo.commit_touching("fix: mend", "lib.go");
    let report = explain(&repo, &["--release-as", "2.0.0"]);
    assert_eq!(report.decision.next_version.as_deref(), Some("2.0.0"));
    let mut young = module("example.com/lib", "v0.4.0");
    young.commit_touching("feat!: drop the old loader", "lib.go");
    let report = explain(&young, &[]);
    assert_eq!(report.decision.next_version.as_deref(), Some("0.5.0"));
    assert_eq!(report.go_module.as_ref().unwrap().rule, None);
}

#[test]
fn backtest_judges_a_go_module_by_the_same_rule() {
    let mut repo = module("example.com/lib", "v1.0.0");
    // A break the maintainers released as a minor: a v1 module cannot do otherwise.
    repo.commit_touching("feat!: drop the old loader", "lib.go")
        .tag("v1.1.0");
    let stdout = repo.stdout_of(&["backtest", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let line = &json["releases"][1];
    assert_eq!(line["tag"], "v1.1.0");
    assert_eq!(line["proposed"], "1.1.0", "{line:#}");
    assert_eq!(line["agrees"], true);
}
