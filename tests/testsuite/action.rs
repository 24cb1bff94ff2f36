//! The composite action (`action.yml`): its `next` step's script, run as GitHub would
//! run it, against fixture repositories. Its install and build steps are run in
//! `distribution.rs`, against the release workflow's own archives.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::fixture::{Repo, plain_dir};

/// The `run: |` block of the step with `id: <id>` in action.yml.
fn step_script(id: &str) -> String {
    let action =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml")).unwrap();
    let mut lines = action
        .lines()
        .skip_while(|l| l.trim() != format!("- id: {id}"));
    lines.next().expect("the step");
    let mut lines = lines.skip_while(|l| l.trim() != "run: |");
    let run = lines.next().expect("a run block");
    let indent = run.len() - run.trim_start().len() + 2;
    lines
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= indent)
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the `next` step in `repo` with bumpwise on the PATH; returns the exit code and outputs.
pub(crate) fn run_next_step(repo: &Path, args: &str) -> (i32, BTreeMap<String, String>) {
    let dir = plain_dir();
    let outputs = dir.path().join("output");
    let bin = Path::new(snapbox::cmd::cargo_bin!("bumpwise"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Exactly as GitHub runs a `shell: bash` step: the script from a file, under -e and pipefail.
    let script = dir.path().join("step.sh");
    std::fs::write(&script, step_script("next")).unwrap();
    let status = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script)
        .current_dir(repo)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", dir.path().join("summary"))
        .env("BUMPWISE_ARGS", args)
        .env("HOME", dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    let text = std::fs::read_to_string(&outputs).unwrap_or_default();
    let mut parsed = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((key, delimiter)) = line.split_once("<<") {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
            parsed.insert(key.to_string(), value.join("\n"));
        } else if let Some((key, value)) = line.split_once('=') {
            parsed.insert(key.to_string(), value.to_string());
        }
    }
    (status.code().unwrap(), parsed)
}

#[test]
fn the_next_step_sets_the_outputs() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v0.5.2").commit("feat: webhooks");
    let (code, outputs) = run_next_step(repo.path(), "");
    assert_eq!(code, 0);
    assert_eq!(
        (
            outputs["release"].as_str(),
            outputs["version"].as_str(),
            outputs["tag"].as_str()
        ),
        ("true", "0.6.0", "v0.6.0")
    );
    assert_eq!(
        (outputs["previous_tag"].as_str(), outputs["bump"].as_str()),
        ("v0.5.2", "minor")
    );
    assert!(
        outputs["changelog"].starts_with("## [0.6.0] - ")
            && outputs["changelog"].contains("- webhooks (")
    );
    let (_, cargo) = run_next_step(repo.path(), "--policy cargo");
    assert_eq!(cargo["version"], "0.5.3");
}

#[test]
fn nothing_to_release_is_not_a_failed_step() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("docs: typo");
    let (code, outputs) = run_next_step(repo.path(), "");
    assert_eq!(code, 0);
    assert_eq!(
        (outputs["release"].as_str(), outputs["version"].as_str()),
        ("false", "")
    );
}

#[test]
fn a_proposal_below_the_minimum_confidence_sets_the_outputs_and_is_not_a_failed_step() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("Add an export");
    let (code, outputs) = run_next_step(repo.path(), "--min-confidence 0.99");
    assert_eq!(code, 0);
    assert_eq!(
        (outputs["version"].as_str(), outputs["confident"].as_str()),
        ("1.1.0", "false")
    );
    assert!(!outputs["confidence"].is_empty());
    let (_, sure) = run_next_step(repo.path(), "--min-confidence 0.1");
    assert_eq!(sure["confident"].as_str(), "true");
}

#[test]
fn errors_fail_the_step() {
    let dir = plain_dir();
    let (code, _) = run_next_step(dir.path(), "");
    assert_eq!(code, 5);
    let mut repo = Repo::new();
    repo.commit("a");
    let (code, _) = run_next_step(repo.path(), "--no-such-flag");
    assert_eq!(code, 2);
}
