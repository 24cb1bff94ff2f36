//! Path evidence: commits with real files, classed by what they change.

use crate::fixture::Repo;
use crate::json::{Rule, explain};

/// A released repository with some shipped code, so later commits have a parent tree.
fn released() -> Repo {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("main.go", Some("package main\n")),
            ("README.md", Some("# x\n")),
        ],
    )
    .tag("v0.4.0");
    repo
}

#[test]
fn chores_worded_as_features_change_nothing_that_ships() {
    let mut repo = released();
    repo.commit_files(
        "Add automatic SBOM generation on CycloneDX format (#594)",
        &[(".github/workflows/sbom.yml", Some("on: push\n"))],
    )
    .commit_files(
        "Added link to YouTube video about ContainerSSH",
        &[("README.md", Some("# x\n\nA video.\n"))],
    )
    .commit_files(
        "add full cross compilation in travis (#963)",
        &[
            (".travis.yml", Some("script: travis/cross_build.sh\n")),
            ("travis/cross_build.sh", Some("#!/bin/sh\ngo build ./...\n")),
            ("ci/install.sh", Some("#!/bin/sh\n")),
        ],
    )
    .commit_files(
        "feat(ci): publish the docs",
        &[
            ("docs/index.md", Some("docs\n")),
            (".github/workflows/docs.yml", Some("on: push\n")),
        ],
    );
    let report = explain(&repo, &[]);
    assert!(
        report.commits.iter().all(|c| c.kind == "none"),
        "{:#?}",
        report.commits
    );
    let sbom = report.commit("Add automatic SBOM generation on CycloneDX format (#594)");
    assert_eq!(
        sbom.rule,
        Rule::Paths {
            only: "ci".into(),
            path: ".github/workflows/sbom.yml".into(),
            message: "feature".into()
        }
    );
    assert_eq!(
        sbom.rule_text,
        "only ci: .github/workflows/sbom.yml (the message alone: feature)"
    );
    assert_eq!(sbom.paths.as_deref(), Some(&["ci".to_string()][..]));
    let docs = report.commit("feat(ci): publish the docs");
    assert_eq!(
        docs.paths.as_deref(),
        Some(&["ci".to_string(), "docs".to_string()][..])
    );
    assert!(
        docs.rule_text.starts_with("only ci, docs: "),
        "{}",
        docs.rule_text
    );
    repo.bumpwise().arg("next").assert().code(3);
    // The table says why, too.
    let table = repo.stdout_of(&["explain"]);
    assert!(
        table.contains("only ci: .github/workflows/sbom.yml"),
        "{table}"
    );
}

#[test]
fn a_fix_declared_by_its_type_stands_whatever_the_paths() {
    let mut repo = released();
    repo.commit_files(
        "chore(cd): debug the publish step",
        &[(".github/workflows/release.yml", Some("on: push\n"))],
    );
    repo.bumpwise().arg("next").assert().code(3);
    repo.commit_files(
        "fix(cd): prepare the assets before packaging",
        &[(".github/workflows/release.yml", Some("on: tag\n"))],
    )
    .commit_files("fix: typo in the README", &[("README.md", Some("# y\n"))]);
    let report = explain(&repo, &[]);
    for subject in [
        "fix(cd): prepare the assets before packaging",
        "fix: typo in the README",
    ] {
        let fix = report.commit(subject);
        assert_eq!(fix.kind, "fix", "{subject}");
        assert_eq!(fix.rule, Rule::Type { kind: "fix".into() }, "{subject}");
    }
    assert_eq!(
        report.commit("chore(cd): debug the publish step").kind,
        "none"
    );
    assert_eq!(repo.stdout_of(&["next"]).trim(), "v0.4.1");
}

#[test]
fn a_breaking_marker_or_a_deprecation_speaks_about_the_interface_whatever_the_paths() {
    let mut repo = released();
    repo.commit_files(
        "feat!: the config moves to config.yaml",
        &[("docs/config.md", Some("moved\n"))],
    )
    .commit_files(
        "Document the old flag\n\nDeprecated: the --listen flag",
        &[("docs/flags.md", Some("deprecated\n"))],
    );
    let report = explain(&repo, &[]);
    assert_eq!(
        report.commit("feat!: the config moves to config.yaml").kind,
        "breaking"
    );
    assert_eq!(report.commit("Document the old flag").kind, "feature");
    assert_eq!(report.decision.next_version.as_deref(), Some("0.5.0"));
}

#[test]
fn dependency_manifests_are_a_patch_however_worded_and_development_ones_are_not() {
    let mut repo = released();
    repo.commit_files(
        "Added the new crypto library",
        &[
            ("go.mod", Some("module x\n\nrequire y v1\n")),
            ("go.sum", Some("y v1 h1:x\n")),
        ],
    );
    let report = explain(&repo, &[]);
    let go = report.commit("Added the new crypto library");
    assert_eq!((go.kind.as_str(), go.dependency), ("fix", true));
    assert_eq!(
        go.rule,
        Rule::DependencyFiles {
            path: "go.mod".into(),
            dev: false
        }
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("0.4.1"));

    let mut js = Repo::new();
    js.commit_files(
        "Initial import",
        &[
            ("src/index.ts", Some("export {}\n")),
            (
                "package.json",
                Some(
                    r#"{"name":"x","dependencies":{"a":"1"},"devDependencies":{"jest":"29.0.0"}}"#,
                ),
            ),
        ],
    )
    .tag("v1.0.0")
    .commit_files(
        "Bump jest from 29.0.0 to 29.1.0",
        &[
            (
                "package.json",
                Some(
                    r#"{"name":"x","dependencies":{"a":"1"},"devDependencies":{"jest":"29.1.0"}}"#,
                ),
            ),
            ("package-lock.json", Some("{}\n")),
        ],
    );
    let report = explain(&js, &[]);
    let jest = report.commit("Bump jest from 29.0.0 to 29.1.0");
    assert_eq!(jest.kind, "none");
    assert_eq!(
        jest.rule,
        Rule::DependencyFiles {
            path: "package.json".into(),
            dev: true
        }
    );
    js.bumpwise().arg("next").assert().code(3);
    js.commit_files(
        "chore(deps): bump a from 1 to 2",
        &[(
            "package.json",
            Some(r#"{"name":"x","dependencies":{"a":"2"},"devDependencies":{"jest":"29.1.0"}}"#),
        )],
    );
    assert_eq!(
        explain(&js, &[]).decision.next_version.as_deref(),
        Some("1.0.1")
    );

    let mut rust = Repo::new();
    let manifest = "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n\n[dev-dependencies]\nproptest = \"1\"\n";
    let dev = manifest.replace("proptest = \"1\"", "proptest = \"1.5\"");
    rust.commit_files(
        "Initial import",
        &[("src/lib.rs", Some("")), ("Cargo.toml", Some(manifest))],
    )
    .tag("v0.1.0")
    .commit_files(
        "chore(deps-dev): bump proptest",
        &[("Cargo.toml", Some(&dev)), ("Cargo.lock", Some("x\n"))],
    )
    .commit_files(
        "Release 0.1.1",
        &[("Cargo.toml", Some(&dev.replace("0.1.0", "0.1.1")))],
    );
    let report = explain(&rust, &[]);
    assert_eq!(report.commit("chore(deps-dev): bump proptest").kind, "none");
    let release = report.commit("Release 0.1.1");
    assert_eq!(release.kind, "none");
    assert_eq!(release.paths.as_deref(), Some(&["release".to_string()][..]));
}

#[test]
fn shipped_code_is_never_silently_nothing_to_release() {
    let mut repo = released();
    repo.commit_files(
        "Update docs",
        &[("main.go", Some("package main\n// docs\n"))],
    )
    .commit_files(
        "Refactored the handler",
        &[("handler.go", Some("package main\n"))],
    );
    let report = explain(&repo, &[]);
    let docs = report.commit("Update docs");
    assert_eq!(docs.kind, "fix");
    assert_eq!(
        docs.rule,
        Rule::ShippedCode {
            path: "main.go".into(),
            message: "none".into()
        }
    );
    let handler = report.commit("Refactored the handler");
    assert_eq!(
        (handler.kind.as_str(), handler.confidence.as_str()),
        ("fix", "low")
    );
    assert_eq!(
        handler.rule_text,
        "changes shipped code (handler.go); no rule read the message"
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("1 commit(s) no rule reads change shipped code")),
        "{:?}",
        report.warnings
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("0.4.1"));

    // `unclassified = "none"` leaves such a commit unclassified; without evidence no path is read.
    repo.write("bumpwise.toml", "[evidence]\nunclassified = \"none\"\n");
    let none = explain(&repo, &[]);
    assert_eq!(none.commit("Refactored the handler").kind, "unclassified");
    repo.write("bumpwise.toml", "");
    let bare = explain(&repo, &["--no-evidence"]);
    let handler = bare.commit("Refactored the handler");
    assert_eq!(
        (handler.kind.as_str(), handler.paths.is_none()),
        ("unclassified", true)
    );
    assert_eq!(bare.commit("Update docs").kind, "none");
}

#[test]
fn an_empty_commit_is_judged_by_its_message_alone() {
    let mut repo = released();
    repo.commit("Added the audit log");
    let report = explain(&repo, &[]);
    let commit = report.commit("Added the audit log");
    assert_eq!(commit.kind, "feature");
    assert_eq!(commit.paths.as_deref(), Some(&[][..]));
}

#[test]
fn the_usual_layouts_of_go_rust_js_python_and_java() {
    let cases: &[(&str, &str)] = &[
        ("internal/auth/auth_test.go", "tests"),
        ("pkg/auth/auth.go", "shipped"),
        ("tests/cli.rs", "tests"),
        ("benches/speed.rs", "tests"),
        ("src/lib.rs", "shipped"),
        ("web/src/__tests__/app.js", "tests"),
        ("web/src/app.spec.ts", "tests"),
        ("web/src/app.ts", "shipped"),
        ("mypkg/tests/test_core.py", "tests"),
        ("mypkg/core.py", "shipped"),
        ("requirements.txt", "dependencies"),
        ("src/test/java/x/AppTest.java", "tests"),
        ("src/main/java/x/App.java", "shipped"),
        ("pom.xml", "dependencies"),
        ("examples/demo/main.go", "examples"),
        ("CHANGELOG.md", "release"),
        ("Makefile", "build"),
        ("LICENSE", "meta"),
        (".gitignore", "meta"),
        ("docs/guide.md", "docs"),
    ];
    let mut repo = released();
    for (path, _) in cases {
        repo.commit_files(&format!("touch {path}"), &[(path, Some("x\n"))]);
    }
    let report = explain(&repo, &[]);
    for (path, class) in cases {
        let commit = report.commit(&format!("touch {path}"));
        assert_eq!(
            commit.paths.as_deref(),
            Some(&[class.to_string()][..]),
            "{path}"
        );
    }
}

#[test]
fn paths_settings_add_to_or_replace_a_class_and_bad_ones_are_refused() {
    let mut repo = released();
    repo.commit_files(
        "Reworded the API reference",
        &[("docs/api/openapi.yaml", Some("x\n"))],
    )
    .commit_files("Rewrote the manual", &[("manual/intro.txt", Some("x\n"))]);
    assert_eq!(
        explain(&repo, &[])
            .commit("Reworded the API reference")
            .kind,
        "none"
    );
    repo.write(
        "bumpwise.toml",
        "[paths]\nshipped = { add = [\"docs/api/**\"] }\ndocs = [\"manual/**\"]\n",
    );
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("Reworded the API reference").kind, "fix");
    assert_eq!(report.commit("Rewrote the manual").kind, "none");
    let config = repo.stdout_of(&["config"]);
    assert!(
        config.contains("[paths]") && config.contains("docs = [\"manual/**\"]"),
        "{config}"
    );
    assert!(
        config.contains("[evidence]") && config.contains("unclassified = \"patch\""),
        "{config}"
    );

    repo.write("bumpwise.toml", "[paths]\ndoc = [\"x/**\"]\n");
    let out = repo.bumpwise().arg("next").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`doc` is not a path class"), "{stderr}");
    repo.write("bumpwise.toml", "[paths]\ndocs = [\"docs/[\"]\n");
    let out = repo.bumpwise().arg("next").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`docs/[` is not a valid glob") && stderr.lines().count() == 1,
        "{stderr}"
    );
}

#[test]
fn nothing_to_release_names_the_version_a_release_would_take_anyway() {
    let mut repo = released();
    repo.commit_files("Fixed the build badge", &[("README.md", Some("badge\n"))]);
    repo.bumpwise()
        .arg("next")
        .assert()
        .code(3)
        .stderr_eq("nothing to release: 1 commit since v0.4.0, none with release impact; a release made anyway would be v0.4.1\n");
    let report = explain(&repo, &[]);
    assert_eq!(report.decision.anyway_version.as_deref(), Some("0.4.1"));
    assert_eq!(report.decision.anyway_tag.as_deref(), Some("v0.4.1"));
    let github = repo.stdout_of(&["explain", "--format", "github"]);
    assert!(
        github.contains("anyway_version=0.4.1\n") && github.contains("release=false\n"),
        "{github}"
    );
}

#[test]
fn the_changelog_follows_the_evidence() {
    let mut repo = released();
    repo.commit_files(
        "kubernetes: Fix pod creation fail on long usernames (#526)",
        &[("kubernetes/pod.go", Some("x\n"))],
    )
    .commit_files("Added release badge", &[("README.md", Some("badge\n"))])
    .commit_files("Moved the handler", &[("handler.go", Some("x\n"))]);
    let notes = repo.stdout_of(&["changelog", "--date", "2026-01-01", "--include-other"]);
    assert!(
        notes.contains(
            "### Fixes\n\n- **kubernetes:** Fix pod creation fail on long usernames (#526)"
        ),
        "{notes}"
    );
    assert!(
        notes.contains("### Changes\n\n- Moved the handler"),
        "{notes}"
    );
    assert!(
        notes.contains("### Other\n\n- Added release badge"),
        "{notes}"
    );
    assert!(!notes.contains("Unclassified"), "{notes}");
}

#[test]
fn a_foreign_history_merged_in_is_left_out_and_named() {
    let mut repo = released();
    repo.commit_files(
        "Fix the handler",
        &[("main.go", Some("package main\n// fixed\n"))],
    );
    // A history of its own (another root), merged with --allow-unrelated-histories.
    repo.checkout("lib")
        .commit_files("Start the tool", &[("lib/a.go", Some("package main\n"))])
        .commit_files(
            "Added the parser",
            &[("lib/parser.go", Some("package main\n"))],
        )
        .commit_files(
            "Fixed the parser",
            &[("lib/parser.go", Some("package main\n// x\n"))],
        );
    repo.checkout("main")
        .merge("lib", "Merge remote-tracking branch 'lib/main'");
    let report = explain(&repo, &[]);
    let subjects: Vec<&str> = report.commits.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["Merge remote-tracking branch 'lib/main'", "Fix the handler"]
    );
    // Judged by its message, never by the foreign tree's files.
    let merge = report.commit("Merge remote-tracking branch 'lib/main'");
    assert!(merge.merge && merge.kind == "unclassified", "{merge:?}");
    assert!(
        report.warnings.iter().any(|w| w
            .contains("brings a history with a root of its own: its 3 commit(s) were left out")
            && w.contains("--include-foreign")),
        "{:?}",
        report.warnings
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("0.4.1"));
    let stderr = String::from_utf8(repo.bumpwise().arg("next").output().unwrap().stderr).unwrap();
    assert!(
        stderr.contains("Merge remote-tracking branch 'lib/main'"),
        "{stderr}"
    );

    let all = explain(&repo, &["--include-foreign"]);
    assert_eq!(all.commits.len(), 4);
    assert_eq!(all.decision.next_version.as_deref(), Some("0.5.0"));
}

#[test]
fn a_merged_side_of_old_commits_is_named_with_the_flag_that_leaves_it_out() {
    let mut repo = Repo::new();
    repo.commit_files("Initial import", &[("main.go", Some("package main\n"))])
        .branch("lib")
        .checkout("lib");
    for i in 0..12 {
        repo.commit_files(
            &format!("Added library part {i}"),
            &[(
                &format!("lib/{i}.go"),
                Some(&format!("package lib\n\nfunc Part{i}() {{}}\n")),
            )],
        );
    }
    repo.checkout("main")
        .commit_files(
            "Fixed startup",
            &[("main.go", Some("package main\n// 1\n"))],
        )
        .tag("v0.5.1")
        .commit_files(
            "Fixed shutdown",
            &[("main.go", Some("package main\n// 2\n"))],
        )
        .merge("lib", "Merge remote-tracking branch 'libcontainerssh/main'");
    let report = explain(&repo, &[]);
    assert_eq!(report.commits.len(), 13);
    let warning = report
        .warnings
        .iter()
        .find(|w| w.contains("older than v0.5.1"))
        .unwrap_or_else(|| panic!("{:?}", report.warnings));
    assert!(
        warning.contains("brings 12 commit(s), 12 of them older than v0.5.1"),
        "{warning}"
    );
    let rev = warning
        .split("--exclude-reachable ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let lib = repo.git.revparse_single("lib").unwrap().id().to_string();
    assert!(
        lib.starts_with(&rev),
        "{rev} is the merged side's tip {lib}"
    );
    let left = explain(&repo, &["--exclude-reachable", &rev]);
    assert_eq!(left.commits.len(), 1);
    assert!(
        left.warnings.iter().all(|w| !w.contains("older than")),
        "{:?}",
        left.warnings
    );
    // Released as a patch: backtest's reason for the miss names the same
    // merge and flag, not the policy.
    repo.tag("v0.5.2");
    let out = repo
        .bumpwise()
        .args(["backtest", "--format", "json"])
        .output()
        .unwrap();
    let backtest: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let line = backtest["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["tag"] == "v0.5.2")
        .unwrap();
    assert_eq!(line["proposed"], "0.6.0", "{line}");
    let reason = line["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("a history merged back: merge ")
            && reason.contains(&format!("--exclude-reachable {rev}")),
        "{reason}"
    );
}

#[test]
fn next_reads_only_the_paths_that_decide_and_agrees_with_explain() {
    // Each scenario: (message, path) commits after the release.
    let scenarios: &[&[(&str, &str)]] = &[
        // Every feature is a chore by its paths, one fix ships: a patch.
        &[
            ("Added the SBOM workflow", ".github/workflows/sbom.yml"),
            ("fix: handle EOF", "main.go"),
            ("Added a badge", "README.md"),
            ("feat(ci): cache", ".github/workflows/ci.yml"),
        ],
        // Nothing but chores, and shipped code no rule reads: a patch by the paths.
        &[
            ("Refactored the handler", "handler.go"),
            ("docs: guide", "docs/guide.md"),
        ],
        // Only chores: nothing to release.
        &[
            ("Added a badge", "README.md"),
            ("Fixed the CI", ".github/workflows/ci.yml"),
        ],
        // A feature that ships after one that does not.
        &[
            ("Added a workflow", ".github/workflows/x.yml"),
            ("Added sessions", "session.go"),
        ],
        // A fix decides; the commit no rule reads cannot change that, but is
        // read for the counts and warnings every command reports.
        &[
            ("fix: handle EOF", "main.go"),
            ("Tidied the notes", "NOTES.md"),
        ],
    ];
    for commits in scenarios {
        let mut repo = released();
        for (message, path) in *commits {
            repo.commit_files(message, &[(path, Some(&format!("{message}\n")))]);
        }
        let report = explain(&repo, &[]);
        let out = repo.bumpwise().arg("next").output().unwrap();
        let tag = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            tag.trim(),
            report.decision.next_tag.as_deref().unwrap_or(""),
            "{commits:?}"
        );
        assert_eq!(
            out.status.code(),
            Some(if report.decision.release { 0 } else { 3 })
        );
        // One set of facts: `next` on stderr, the JSON and `changelog` give the same warnings.
        let said = |stderr: &[u8]| -> Vec<String> {
            String::from_utf8_lossy(stderr)
                .lines()
                .filter_map(|l| l.strip_prefix("warning: "))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(said(&out.stderr), report.warnings, "{commits:?}");
        let notes = repo.bumpwise().arg("changelog").output().unwrap();
        assert_eq!(said(&notes.stderr), report.warnings, "{commits:?}");
    }
}

/// Past [`UNREAD_READ`] commits no rule read, `next` leaves their paths
/// unread once the version is decided, and says so instead of counting them
/// as unmatched.
#[test]
fn next_says_when_it_left_many_unread_commits_unread() {
    let mut repo = released();
    repo.commit_files("fix: handle EOF", &[("main.go", Some("fixed\n"))]);
    for n in 0..300 {
        repo.commit_files(
            &format!("Tidied the notes {n}"),
            &[("NOTES.md", Some(&format!("{n}\n")))],
        );
    }
    let out = repo.bumpwise().arg("next").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "300 of 301 commits are unclassified: no rule matched their messages, and their changed paths were not read (more than 256 such commits"
        ),
        "{stderr}"
    );
    // `explain` reads them all: they change no shipped file.
    let report = explain(&repo, &[]);
    assert_eq!(report.summary.unclassified, 0);
    assert!(
        !report.warnings.iter().any(|w| w.contains("unclassified")),
        "{:?}",
        report.warnings
    );
}

/// Below [`UNREAD_READ`], `next` reads every unread commit's paths (many of
/// them on two threads) and counts them as the JSON does.
#[test]
fn next_counts_many_unread_commits_as_the_json_does() {
    let mut repo = released();
    repo.commit_files("fix: handle EOF", &[("main.go", Some("fixed\n"))]);
    for n in 0..40 {
        let path = if n % 4 == 0 { "main.go" } else { "NOTES.md" };
        repo.commit_files(
            &format!("Tidied the notes {n}"),
            &[(path, Some(&format!("{n}\n")))],
        );
    }
    let out = repo.bumpwise().arg("next").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("10 commit(s) no rule reads change shipped code and count as patches"),
        "{stderr}"
    );
    let report = explain(&repo, &[]);
    assert_eq!(report.summary.none, 30);
    let said: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .collect();
    assert_eq!(said, report.warnings);
}

#[test]
fn change_files_declare_the_bump_and_their_summaries_are_the_notes() {
    let mut repo = released();
    repo.commit_files(
        ".changeset/config.json",
        &[(".changeset/config.json", Some("{}\n"))],
    )
    .tag("v0.4.1")
    .commit_files(
        "Update",
        &[
            ("main.go", Some("package main\n// pre\n")),
            (
                ".changeset/brave-cats.md",
                Some("---\n\"core\": minor\n---\n\nAdd the `--pre` flag.\n"),
            ),
        ],
    )
    .commit_files("Notes", &[(".changeset/odd.md", Some("no front matter\n"))]);
    let report = explain(&repo, &[]);
    let update = report.commit("Update");
    assert_eq!(update.kind, "feature");
    assert_eq!(
        update.rule_text,
        "change file .changeset/brave-cats.md (feature)"
    );
    assert_eq!(update.description, "Add the `--pre` flag.");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains(".changeset/odd.md") && w.contains("malformed")),
        "{:?}",
        report.warnings
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("0.5.0"));
    // `next` sees it too, though it reads few paths.
    repo.bumpwise()
        .arg("next")
        .assert()
        .success()
        .stdout_eq("v0.5.0\n");
    let notes = repo.stdout_of(&["changelog", "--date", "2026-01-01"]);
    assert!(
        notes.contains("### Features\n\n- Add the `--pre` flag."),
        "{notes}"
    );

    // In a monorepo only the chosen package's entries count.
    repo.write(
        "bumpwise.toml",
        "[[packages]]\nname = \"core\"\ntag_prefix = \"\"\npaths = [\".\"]\n\n[[packages]]\nname = \"cli\"\ntag_prefix = \"\"\npaths = [\".\"]\n",
    );
    assert_eq!(
        explain(&repo, &["--package", "core"])
            .decision
            .next_version
            .as_deref(),
        Some("0.5.0")
    );
    assert_eq!(
        explain(&repo, &["--package", "cli"])
            .decision
            .next_version
            .as_deref(),
        Some("0.4.2")
    );
}

#[test]
fn init_shows_the_evidence_settings_and_every_path_class() {
    let repo = released();
    repo.bumpwise().arg("init").assert().success();
    let text = std::fs::read_to_string(repo.path().join("bumpwise.toml")).unwrap();
    assert!(text.contains("[evidence]\npaths = true"), "{text}");
    for class in [
        "shipped",
        "release",
        "ci",
        "tests",
        "examples",
        "meta",
        "docs",
        "build",
        "dependencies",
    ] {
        assert!(text.contains(&format!("# {class} = [")), "{class}: {text}");
    }
    assert!(text.contains("\"*_test.go\""), "{text}");
    // What init writes is a valid configuration.
    repo.bumpwise().arg("config").assert().success();
}

#[test]
fn corroboration_asks_a_keyword_feature_for_a_test_doc_or_example() {
    let mut repo = released();
    repo.commit_files(
        "Added cautious return",
        &[("main.go", Some("package main\n// cautious\n"))],
    )
    .commit_files(
        "Added session recording",
        &[
            ("record.go", Some("package main\n")),
            ("record_test.go", Some("package main\n")),
        ],
    );
    let plain = explain(&repo, &[]);
    assert_eq!(plain.commit("Added cautious return").kind, "feature");
    repo.write("bumpwise.toml", "[evidence]\ncorroborate = true\n");
    let asked = explain(&repo, &[]);
    let cautious = asked.commit("Added cautious return");
    assert_eq!(cautious.kind, "fix");
    assert_eq!(
        cautious.rule,
        Rule::Uncorroborated {
            path: "main.go".into()
        }
    );
    assert_eq!(asked.commit("Added session recording").kind, "feature");
}

#[test]
fn an_explicit_type_stands_against_dependency_files_and_release_commits_against_any_file() {
    // Declared beats inferred: the paths may lower an explicit type to no
    // impact, never relabel it a dependency update.
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("src/lib.rs", Some("pub fn a() {}\n")),
            ("Cargo.toml", Some("[package]\nname = \"x\"\nversion = \"1.0.0\"\n\n[dependencies]\nserde = \"1\"\n")),
            ("Cargo.lock", Some("version = 3\n")),
        ],
    )
    .tag("v1.0.0")
    .commit_files(
        "chore(release): prepare for v1.0.1",
        &[
            ("Cargo.lock", Some("version = 3\n# 1.0.1\n")),
            ("CHANGELOG.md", Some("## 1.0.1\n")),
        ],
    )
    .commit_files("Release 1.0.1", &[("Cargo.lock", Some("version = 3\n# again\n"))])
    .commit_files(
        "fix: take serde 1.0.200 for its parser fix",
        &[("Cargo.toml", Some("[package]\nname = \"x\"\nversion = \"1.0.0\"\n\n[dependencies]\nserde = \"1.0.200\"\n"))],
    )
    .commit_files("Update the lock file", &[("Cargo.lock", Some("version = 3\n# update\n"))]);
    let report = explain(&repo, &[]);
    let chore = report.commit("chore(release): prepare for v1.0.1");
    assert_eq!(
        (chore.kind.as_str(), chore.dependency),
        ("none", false),
        "{chore:?}"
    );
    let release = report.commit("Release 1.0.1");
    assert_eq!(
        (release.kind.as_str(), release.dependency),
        ("none", false),
        "{release:?}"
    );
    let fix = report.commit("fix: take serde 1.0.200 for its parser fix");
    assert_eq!(fix.kind, "fix");
    assert_eq!(fix.rule, Rule::Type { kind: "fix".into() });
    // What no explicit rule reads is still read by its paths.
    let lock = report.commit("Update the lock file");
    assert_eq!(
        (lock.kind.as_str(), lock.dependency),
        ("fix", true),
        "{lock:?}"
    );
}

#[test]
fn test_only_wording_on_test_only_paths_is_no_impact_and_on_shipped_code_a_patch() {
    let mut repo = released();
    repo.commit_files(
        "Add failing test for the parser",
        &[("parser_test.go", Some("package p\n"))],
    )
    .commit_files(
        "Add regression test for the lexer",
        &[("lexer.go", Some("package p\n// fixed\n"))],
    );
    let report = explain(&repo, &[]);
    assert_eq!(
        report.commit("Add failing test for the parser").kind,
        "none"
    );
    assert_eq!(
        report.commit("Add regression test for the lexer").kind,
        "fix"
    );
}

#[test]
fn a_foreign_history_exports_nothing_through_its_merge() {
    // The merge's own diff against its first parent brings the whole foreign
    // tree: its exported API is no feature of this range.
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/app\n")),
            ("app/app.go", Some("package app\n\nfunc Run() {}\n")),
        ],
    )
    .tag("v0.5.1")
    .commit_files(
        "fix: mend Run",
        &[(
            "app/app.go",
            Some("package app\n\nfunc Run() {}\n// mended\n"),
        )],
    );
    repo.checkout("lib")
        .commit_files(
            "Start the library",
            &[("lib/lib.go", Some("package lib\n\nfunc Parse() {}\n"))],
        )
        .commit_files(
            "Add Format",
            &[(
                "lib/lib.go",
                Some("package lib\n\nfunc Parse() {}\n\nfunc Format() {}\n"),
            )],
        );
    repo.checkout("main")
        .merge("lib", "Merge remote-tracking branch 'lib/main'");
    let report = explain(&repo, &[]);
    let merge = report.commit("Merge remote-tracking branch 'lib/main'");
    assert_ne!(merge.kind, "feature", "{merge:?}");
    assert_eq!(report.decision.next_version.as_deref(), Some("0.5.2"));
}

#[test]
fn a_submodule_takes_the_class_of_its_path() {
    let mut repo = released();
    repo.commit_gitlink(
        "Add the examples submodule",
        "examples",
        "1111111111111111111111111111111111111111",
    )
    .commit_gitlink(
        "Update examples git submodule",
        "examples",
        "2222222222222222222222222222222222222222",
    )
    .commit_gitlink(
        "Update the engine",
        "engine",
        "3333333333333333333333333333333333333333",
    )
    .commit_files(
        "Add back examples submodule",
        &[(
            ".gitmodules",
            Some("[submodule \"examples\"]\n\tpath = examples\n"),
        )],
    );
    let report = explain(&repo, &[]);
    let examples = report.commit("Update examples git submodule");
    assert_eq!(examples.kind, "none", "{examples:?}");
    // `.gitmodules` only says where submodules come from: what ships is the gitlink.
    let declared = report.commit("Add back examples submodule");
    assert_eq!(declared.kind, "none", "{declared:?}");
    // A submodule anywhere else ships, as any path no class claims.
    assert_eq!(report.commit("Update the engine").kind, "fix");
}

#[test]
fn a_lock_file_that_only_moves_the_projects_own_version_is_release_metadata() {
    let lock = |own: &str, serde: &str| {
        format!(
            "version = 3\n\n[[package]]\nname = \"x\"\nversion = \"{own}\"\ndependencies = [\"serde\"]\n\n[[package]]\nname = \"serde\"\nversion = \"{serde}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        )
    };
    let manifest = |own: &str| {
        format!("[package]\nname = \"x\"\nversion = \"{own}\"\n\n[dependencies]\nserde = \"1\"\n")
    };
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("src/lib.rs", Some("pub fn a() {}\n")),
            ("Cargo.toml", Some(&manifest("1.0.0"))),
            ("Cargo.lock", Some(&lock("1.0.0", "1.0.1"))),
        ],
    )
    .tag("v1.0.0")
    .commit_files(
        "Cut the next one",
        &[
            ("Cargo.toml", Some(&manifest("1.0.1"))),
            ("Cargo.lock", Some(&lock("1.0.1", "1.0.1"))),
        ],
    )
    .commit_files(
        "Refresh the lock",
        &[("Cargo.lock", Some(&lock("1.0.1", "1.0.2")))],
    );
    let report = explain(&repo, &[]);
    let own = report.commit("Cut the next one");
    assert_eq!(
        (own.kind.as_str(), own.dependency),
        ("none", false),
        "{own:?}"
    );
    let deps = report.commit("Refresh the lock");
    assert_eq!(
        (deps.kind.as_str(), deps.dependency),
        ("fix", true),
        "{deps:?}"
    );
}

/// Replaces HEAD (a merge) by one with the same parents and message whose
/// tree also holds `files`: what a merge changes itself, beyond either side.
fn amend_merge(repo: &mut Repo, files: &[(&str, &str)]) {
    let merge = repo.git.find_commit(repo.head()).unwrap();
    let mut update = git2::build::TreeUpdateBuilder::new();
    for (path, text) in files {
        let blob = repo.git.blob(text.as_bytes()).unwrap();
        update.upsert(*path, blob, git2::FileMode::Blob);
    }
    let tree = update
        .create_updated(&repo.git, &merge.tree().unwrap())
        .unwrap();
    let tree = repo.git.find_tree(tree).unwrap();
    let parents: Vec<git2::Commit<'_>> = merge.parents().collect();
    let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
    let sig = merge.author();
    let id = repo
        .git
        .commit(None, &sig, &sig, merge.message().unwrap(), &tree, &parents)
        .unwrap();
    repo.git
        .reference("refs/heads/main", id, true, "the merge, amended")
        .unwrap();
}

#[test]
fn a_foreign_merge_is_judged_by_what_it_changed_itself() {
    let foreign = |own: &[(&str, &str)]| {
        let mut repo = released();
        repo.checkout("lib")
            .commit_files("Start the tool", &[("lib/a.go", Some("package main\n"))])
            .commit_files(
                "Added the parser",
                &[("lib/parser.go", Some("package main\n"))],
            );
        repo.checkout("main")
            .merge("lib", "Merge remote-tracking branch 'lib/main'");
        amend_merge(&mut repo, own);
        explain(&repo, &[])
    };
    let subject = "Merge remote-tracking branch 'lib/main'";
    // Nothing of its own: the message alone, as before (and the foreign files are no change).
    let quiet = foreign(&[]);
    assert_eq!(quiet.commit(subject).kind, "unclassified");
    // Its own edit to shipped code (a conflict resolved, wiring the library in): that ships.
    let wired = foreign(&[("main.go", "package main\n// wired to lib\n")]);
    let merge = wired.commit(subject);
    assert_ne!(merge.kind, "unclassified", "{merge:?}");
    assert_eq!(wired.decision.next_version.as_deref(), Some("0.4.1"));
    // Its own edit to the docs only: no release impact.
    let docs = foreign(&[("docs/lib.md", "# The library\n")]);
    assert_eq!(
        docs.commit(subject).kind,
        "none",
        "{:?}",
        docs.commit(subject)
    );
    assert_eq!(docs.decision.next_version, None);
}
