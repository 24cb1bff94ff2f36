//! The benchmark's history generator (examples/synth_history.rs): deterministic, and
//! a history bumpwise and git agree on.

use std::path::PathBuf;
use std::process::Command;

use crate::fixture::{bumpwise, plain_dir};

/// The generator, built by `cargo test` alongside the tests (examples are built too).
fn generator() -> PathBuf {
    let deps = std::env::current_exe().unwrap();
    let profile = deps.parent().unwrap().parent().unwrap();
    profile.join("examples").join("synth_history")
}

fn generate(dir: &std::path::Path, seed: &str) -> String {
    let status = Command::new(generator())
        .arg(dir)
        .args([
            "--commits",
            "400",
            "--releases",
            "4",
            "--since-last",
            "50",
            "--extra-tags",
            "8",
            "--merge-every",
            "10",
        ])
        .args(["--seed", seed])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .unwrap();
    assert!(status.success());
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8(head.stdout).unwrap()
}

#[test]
fn the_generator_is_deterministic_and_its_histories_work() {
    let dir = plain_dir();
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    assert_eq!(generate(&a, "7"), generate(&b, "7"));
    assert_ne!(generate(&a.with_file_name("a2"), "7"), generate(&c, "8"));
    let tags = Command::new("git")
        .args(["tag"])
        .current_dir(&a)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(tags.stdout).unwrap().lines().count(),
        12,
        "4 releases and 8 extra tags"
    );
    let output = bumpwise()
        .current_dir(&a)
        .args(["next", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["decision"]["previous_tag"], "v0.1.4");
    let count = Command::new("git")
        .args(["rev-list", "--no-merges", "--count", "v0.1.4..HEAD"])
        .current_dir(&a)
        .output()
        .unwrap();
    let expected: usize = String::from_utf8(count.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(report["commits"].as_array().unwrap().len(), expected);
}
