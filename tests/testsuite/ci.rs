//! The CI surface: GitHub Actions outputs and summaries, and the exit-code contract.

use std::collections::BTreeMap;

use crate::fixture::{Repo, bumpwise, git, plain_dir};

/// Parses `$GITHUB_OUTPUT` the way GitHub does: `key=value` lines and `key<<DELIMITER` blocks.
fn parse_outputs(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((key, delimiter)) = line.split_once("<<").filter(|(k, _)| !k.contains('=')) {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
            out.insert(key.to_string(), value.join("\n"));
        } else if let Some((key, value)) = line.split_once('=') {
            out.insert(key.to_string(), value.to_string());
        }
    }
    out
}

fn released() -> Repo {
    let mut repo = Repo::new();
    repo.commit("initial")
        .tag("v1.0.0")
        .commits(&["feat(auth): add retries (#12)", "fix: mend"])
        .sync();
    repo
}

#[test]
fn next_writes_outputs_and_a_summary_when_github_sets_the_files() {
    let repo = released();
    let dir = plain_dir();
    let outputs = dir.path().join("output");
    let summary = dir.path().join("summary");
    std::fs::write(&outputs, "earlier=step\n").unwrap();
    repo.bumpwise()
        .args(["next", "--format", "github"])
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .success()
        .stdout_eq("");
    let text = std::fs::read_to_string(&outputs).unwrap();
    assert!(
        text.starts_with("earlier=step\n"),
        "earlier outputs are kept: {text}"
    );
    let parsed = parse_outputs(&text);
    assert_eq!(parsed["earlier"], "step");
    assert_eq!(
        (
            parsed["release"].as_str(),
            parsed["version"].as_str(),
            parsed["tag"].as_str()
        ),
        ("true", "1.1.0", "v1.1.0")
    );
    assert_eq!(
        (parsed["previous_tag"].as_str(), parsed["bump"].as_str()),
        ("v1.0.0", "minor")
    );
    let notes = repo.bumpwise().arg("changelog").output().unwrap();
    assert_eq!(
        parsed["changelog"],
        String::from_utf8(notes.stdout).unwrap().trim_end()
    );
    assert!(parsed["changelog"].contains('\n'), "a multi-line value");
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("### bumpwise: v1.1.0\n\nminor release: v1.0.0 → v1.1.0"),
        "{summary}"
    );
}

#[test]
fn a_value_containing_the_delimiter_gets_another() {
    let mut repo = Repo::new();
    repo.commit("initial")
        .tag("v1.0.0")
        .commit("fix: BUMPWISE_EOF in a message");
    let output = repo
        .bumpwise()
        .args(["next", "--format", "github"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("changelog<<BUMPWISE_EOF_\n"), "{text}");
    assert!(parse_outputs(&text)["changelog"].contains("- BUMPWISE_EOF in a message ("));
}

#[test]
fn check_writes_outputs_and_a_summary_table() {
    let repo = released();
    let dir = plain_dir();
    let outputs = dir.path().join("output");
    let summary = dir.path().join("summary");
    repo.bumpwise()
        .args(["check", "v1.0.1", "--format", "github"])
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(4)
        // The outputs go to the file; stdout carries only the runner's annotations.
        .stdout_eq(
            "::error::v1.0.1 enough: a patch release, but the commits require minor: [..]\n",
        );
    let parsed = parse_outputs(&std::fs::read_to_string(&outputs).unwrap());
    assert_eq!(
        (parsed["passed"].as_str(), parsed["failed"].as_str()),
        ("false", "enough")
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("### bumpwise check v1.0.1: failed\n\n| Check | Status | Detail |\n"),
        "{summary}"
    );
    assert!(
        summary.contains("| enough | fail | a patch release, but the commits require minor: "),
        "{summary}"
    );
}

#[test]
fn the_exit_code_contract() {
    let repo = released();
    let quiet = {
        let mut r = Repo::new();
        r.commit("initial").tag("v1.0.0").commit("docs: only");
        r
    };
    let origin = released();
    let shallow = plain_dir();
    git(
        shallow.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &format!("file://{}", origin.path().display()),
            "c",
        ],
    );
    let not_a_repo = plain_dir();
    let collide = {
        let mut r = Repo::new();
        r.commit("a")
            .tag("v1.0.0")
            .branch("side")
            .commit("fix: main")
            .tag("v1.0.1");
        r.checkout("side").commit("fix: side");
        r
    };
    let cases: Vec<(&str, snapbox::cmd::Command, i32)> = vec![
        ("success", repo.bumpwise().arg("next"), 0),
        ("nothing to release", quiet.bumpwise().arg("next"), 3),
        ("check failed", repo.bumpwise().args(["check", "v1.0.1"]), 4),
        (
            "usage error",
            repo.bumpwise().args(["next", "--no-such-flag"]),
            2,
        ),
        (
            "configuration error",
            repo.bumpwise().args(["--config", "missing.toml", "next"]),
            2,
        ),
        (
            "repository error",
            bumpwise().current_dir(not_a_repo.path()).arg("next"),
            5,
        ),
        (
            "history incomplete",
            bumpwise().current_dir(shallow.path().join("c")).arg("next"),
            6,
        ),
        (
            "check cannot run",
            bumpwise()
                .current_dir(shallow.path().join("c"))
                .args(["check", "v9.0.0"]),
            6,
        ),
        (
            "changelog write failed",
            repo.bumpwise()
                .args(["changelog", "--output", "no/dir/notes.md"]),
            1,
        ),
        ("proposed tag exists", collide.bumpwise().arg("next"), 7),
    ];
    for (what, command, code) in cases {
        let output = command.output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(code),
            "{what}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn no_colour_off_a_terminal_or_with_no_color() {
    let repo = released();
    for args in [
        vec!["--help"],
        vec!["next", "--no-such-flag"],
        vec!["explain"],
        vec!["check", "v1.0.1"],
    ] {
        for no_color in [false, true] {
            let mut command = repo.bumpwise().args(&args);
            if no_color {
                command = command.env("NO_COLOR", "1");
            }
            let output = command.output().unwrap();
            let all = [output.stdout, output.stderr].concat();
            assert!(
                !all.contains(&0x1b),
                "escape codes in {args:?}: {}",
                String::from_utf8_lossy(&all)
            );
        }
    }
}

#[test]
fn dotenv_gives_one_line_per_value_for_gitlab() {
    let repo = released();
    let out = repo
        .bumpwise()
        .args(["next", "--format", "dotenv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // GitLab's dotenv: a name of letters, digits and `_`, `=`, a value on one line.
    for line in text.lines() {
        let (key, _) = line.split_once('=').expect("KEY=VALUE");
        assert!(
            key.starts_with("BUMPWISE_") && key.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
            "{line}"
        );
    }
    let values: BTreeMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
    assert_eq!(values["BUMPWISE_RELEASE"], "true");
    assert_eq!(values["BUMPWISE_TAG"], "v1.1.0");
    assert_eq!(values["BUMPWISE_PREVIOUS_TAG"], "v1.0.0");
    assert!(
        !values.contains_key("BUMPWISE_CHANGELOG"),
        "multi-line values are left out"
    );
    // Nothing to release: exit 3, and the file still says so.
    let mut quiet = Repo::new();
    quiet.commit("a").tag("v1.0.0").commit("docs: typo");
    let out = quiet
        .bumpwise()
        .args(["next", "--format", "dotenv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("BUMPWISE_RELEASE=false\n")
    );
    // check too.
    let out = repo
        .bumpwise()
        .args(["check", "--format", "dotenv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("BUMPWISE_TAG=v1.1.0\n") && text.contains("BUMPWISE_PASSED="),
        "{text}"
    );
}
