//! The subjects real histories use: areas, aliases, bare headers, verbs before
//! topics, release commits, issue references and dependency phrasings.

use crate::fixture::Repo;
use crate::json::explain;

/// A released repository with one empty commit per subject (the message alone decides).
fn released(messages: &[&str]) -> Repo {
    let mut repo = Repo::new();
    repo.commit("initial").tag("v1.0.0").commits(messages);
    repo
}

/// Each message's kind and dependency flag, in the order given.
fn kinds(messages: &[&str]) -> Vec<(String, bool)> {
    let report = explain(&released(messages), &[]);
    messages
        .iter()
        .map(|m| {
            let c = report.commit(m.lines().next().unwrap());
            (c.kind.clone(), c.dependency)
        })
        .collect()
}

fn expect(cases: &[(&str, &str, bool)]) {
    let messages: Vec<&str> = cases.iter().map(|(m, _, _)| *m).collect();
    let got = kinds(&messages);
    for ((message, kind, dependency), (got_kind, got_dependency)) in cases.iter().zip(got) {
        assert_eq!(
            (got_kind.as_str(), got_dependency),
            (*kind, *dependency),
            "{message:?}"
        );
    }
}

#[test]
fn an_area_becomes_the_scope_and_the_rest_is_read() {
    expect(&[
        (
            "kubernetes: Fix pod creation fail on long usernames (#526)",
            "fix",
            false,
        ),
        ("router: new handler for path prefixes", "feature", false),
        (
            "pkg/config: Add an option for the idle timeout",
            "feature",
            false,
        ),
        ("0.9.26: Fixed race condition on close", "fix", false),
        ("deps: bump golang.org/x/crypto", "fix", true),
        ("deps/web: bump react", "fix", true),
        (
            "docker: Migrate errdefs to containerd",
            "unclassified",
            false,
        ),
    ]);
    let report = explain(&released(&["kubernetes: Fix pod creation"]), &[]);
    let c = report.commit("kubernetes: Fix pod creation");
    assert_eq!(
        (
            c.scope.as_deref(),
            c.conventional_type.as_deref(),
            c.description.as_str()
        ),
        (Some("kubernetes"), None, "Fix pod creation")
    );
}

#[test]
fn aliases_of_the_types_are_conventional_and_configurable() {
    expect(&[
        ("feature: sessions", "feature", false),
        ("Features(auth): tokens", "feature", false),
        ("bugfix: crash", "fix", false),
        ("Hotfix: leak", "fix", false),
    ]);
    let mut repo = released(&["bugfix: crash"]);
    repo.write("bumpwise.toml", "[types]\nbugfix = \"none\"\n");
    assert_eq!(explain(&repo, &[]).commits[0].kind, "none");
}

#[test]
fn a_header_without_a_description_keeps_its_breaking_footer() {
    let repo = released(&["feat(api):\n\nBREAKING CHANGE: the v1 endpoint is gone"]);
    let report = explain(&repo, &[]);
    assert_eq!(report.commits[0].kind, "breaking");
    assert_eq!(report.decision.next_version.as_deref(), Some("2.0.0"));
    assert_eq!(
        report.breaking_changes[0].description,
        "the v1 endpoint is gone"
    );
}

#[test]
fn a_leading_verb_decides_before_a_topic_word_unless_the_topic_is_what_it_acts_on() {
    expect(&[
        ("Fix deadlock in release of the session lock", "fix", false),
        ("Add config option: post-release-hooks", "feature", false),
        ("Update README", "none", false),
        ("Add tests for the parser", "none", false),
        ("Fixed broken tests", "none", false),
        ("Fix typo in the docs", "none", false),
        ("Export the session id to hooks", "feature", false),
        ("Extend the audit log with channel ids", "feature", false),
    ]);
}

#[test]
fn release_commits_have_no_impact_and_are_not_dependency_updates() {
    expect(&[
        ("Bump version to 2.4", "none", false),
        ("Release 1.2.3", "none", false),
        ("chore(release): 1.4.0", "none", false),
        ("Prepare release 0.9", "none", false),
        ("v1.2.3", "none", false),
        ("Bump libcontainerssh version to 0.5.1", "fix", true),
    ]);
}

#[test]
fn an_issue_reference_with_no_verb_of_its_own_is_a_fix() {
    expect(&[
        ("Fixes #24: Kubernetes hangs after exit", "fix", false),
        (
            "Fixes #33: Add option to disable exec requests",
            "feature",
            false,
        ),
        ("Issue #27: OpenAPI in goreleaser", "unclassified", false),
    ]);
}

#[test]
fn dependency_phrasings_real_histories_use() {
    expect(&[
        ("Upgraded the docker library", "fix", true),
        ("Updated dependencies", "fix", true),
        ("Dependency bump", "fix", true),
        ("Force-updated outdated indirect dependencies", "fix", true),
        ("Updated the session handling", "unclassified", false),
    ]);
}
