//! `bumpwise plan`: the release guide as a checked plan.

use snapbox::str;

use crate::fixture::{Repo, plain_dir};

const BUILD: &str = "# Images built for each release.\nrevision: 20250119\nversions:\n  v0.6.0:\n    - latest\n    - v0.6\n    - v0.6.0\n  v0.5.2:\n    - v0.5\n    - v0.5.2\n";

const MKDOCS: &str = "site_name: ContainerSSH\nnav:\n  - Home: index.md\n  # The next release's reference.\n  - Upcoming:\n      - Overview: reference/upcoming/index.md\n      - Removed: reference/upcoming/gone.md\n";

fn project() -> (Repo, tempfile::TempDir) {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v0.6.0")
        .commit("fix: mend\n\nDeprecated: the listen option")
        .sync();
    repo.write("CHANGELOG.md", "# Changelog\n\n## [0.6.0] - 2026-01-01\n");
    repo.write("bumpwise.toml", "test_command = \"go test ./...\"\n");
    repo.write("mkdocs.yml", MKDOCS);
    std::fs::create_dir_all(repo.path().join("docs/reference/upcoming")).unwrap();
    repo.write("docs/reference/upcoming/index.md", "# Upcoming\n");
    repo.write("docs/reference/upcoming/sshserver.md", "# SSH server\n");
    let images = plain_dir();
    std::fs::write(images.path().join("build.yaml"), BUILD).unwrap();
    (repo, images)
}

/// `bumpwise plan --format json ARGS`, parsed.
fn plan_json(repo: &Repo, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&repo.stdout_of(&[&["plan", "--format", "json"][..], args].concat()))
        .unwrap()
}

#[test]
fn the_plan_says_what_is_done_and_what_is_left() {
    let (repo, images) = project();
    let build = images.path().join("build.yaml");
    let text = repo
        .stdout_of(&["plan", "--images", build.to_str().unwrap()])
        .replace(images.path().to_str().unwrap(), "IMAGES");
    snapbox::assert_data_eq!(
        text,
        str![[r#"
Release plan for v0.7.0
[todo] 1. Versioning: v0.7.0: a minor release under the guide policy; the commits require minor; check failed: changelog
         → bumpwise check v0.7.0
[todo] 2. Documentation: changelog: CHANGELOG.md has no section for 0.7.0; run `bumpwise changelog --output CHANGELOG.md --prepend`
         → bumpwise changelog --output CHANGELOG.md --prepend
[todo] 2. Documentation: deprecations: 1 deprecation(s) need notices
         → bumpwise deprecations --docs-dir docs/deprecations
[todo] 2. Documentation: upcoming reference: not in the nav: reference/upcoming/sshserver.md; nav entries without a page: reference/upcoming/gone.md
         → bumpwise plan --images IMAGES/build.yaml --fix
[todo] 3. Tests: not run (bumpwise plan --images IMAGES/build.yaml --run-tests runs it)
         → go test ./...
[todo] 4. Binaries: tag, then goreleaser with bumpwise's notes and previous tag (its own detection is fooled by pre-release tags on one commit)
         → bumpwise changelog --output notes.md && git tag v0.7.0 && git push origin v0.7.0 && GORELEASER_PREVIOUS_TAG=v0.6.0 goreleaser release --release-notes notes.md
[todo] 5. Images: IMAGES/build.yaml lacks v0.7.0: push it as latest, v0.7, v0.7.0, revision 20260102; then tag the images repository 20260102
         → bumpwise plan --images IMAGES/build.yaml --write

"#]]
    );
    assert_eq!(
        std::fs::read_to_string(&build).unwrap(),
        BUILD,
        "without --write nothing is written"
    );
}

#[test]
fn write_updates_build_yaml_and_the_step_is_done() {
    let (repo, images) = project();
    let build = images.path().join("build.yaml");
    let args = [
        "plan",
        "--images",
        build.to_str().unwrap(),
        "--format",
        "json",
    ];
    repo.bumpwise().args(args).arg("--write").assert().success();
    let written = std::fs::read_to_string(&build).unwrap();
    assert!(written.starts_with("# Images built for each release.\nrevision: 20260102\nversions:\n  v0.7.0:\n    - latest\n    - v0.7\n    - v0.7.0\n  v0.6.0:\n    - v0.6\n"), "{written}");
    let output = repo.bumpwise().args(args).output().unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["schema_version"], 1);
    assert_eq!(plan["tag"], "v0.7.0");
    assert_eq!(plan["previous_tag"], "v0.6.0");
    let images_step = &plan["steps"][6];
    assert_eq!(
        (
            images_step["number"].as_u64(),
            images_step["status"].as_str()
        ),
        (Some(5), Some("done"))
    );
    assert_eq!(
        images_step["action"],
        "git tag 20260102 && git push origin 20260102"
    );
}

#[test]
fn a_markdown_checklist_and_a_given_tag() {
    let (repo, _images) = project();
    let output = repo
        .bumpwise()
        .args(["plan", "v0.6.1", "--format", "markdown"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("## Release plan for v0.6.1\n\n- [ ] **1. Versioning** (todo): "),
        "{text}"
    );
    // A step that does not apply is no task item: a struck-through line saying why.
    assert!(text.contains("- ~~**5. Images** (n/a): "), "{text}");
    assert!(!text.contains("[~]"), "{text}");
    assert!(
        text.lines()
            .all(|l| !l.starts_with("- [") || l.starts_with("- [ ] ") || l.starts_with("- [x] ")),
        "{text}"
    );
    assert!(text.contains("check failed: enough"), "{text}");
}

#[test]
fn plan_mistakes_and_nothing_to_plan() {
    let (repo, _images) = project();
    // A path the user names must exist: a usage error naming it.
    repo.bumpwise()
        .args(["plan", "--images", "/no/such/build.yaml"])
        .assert()
        .code(2)
        .stderr_eq("error: /no/such/build.yaml (given with --images or images) does not exist; give a path that does, or leave it out for the default\n");
    for (flag, path) in [("--docs-dir", "nowhere"), ("--mkdocs", "nowhere.yml")] {
        let output = repo.bumpwise().args(["plan", flag, path]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(path) && stderr.contains(flag), "{stderr}");
    }
    repo.bumpwise().args(["plan", "--write"]).assert().code(2);
    let mut quiet = Repo::new();
    quiet.commit("a").tag("v1.0.0").commit("docs: x");
    quiet.bumpwise().arg("plan").assert().code(3);
}

#[test]
fn fix_adds_the_missing_pages_to_the_nav_keeping_comments() {
    let (repo, _images) = project();
    repo.bumpwise().args(["plan", "--fix"]).assert().success();
    let mkdocs = std::fs::read_to_string(repo.path().join("mkdocs.yml")).unwrap();
    assert_eq!(
        mkdocs,
        "site_name: ContainerSSH\nnav:\n  - Home: index.md\n  # The next release's reference.\n  - Upcoming:\n      - Overview: reference/upcoming/index.md\n      - Removed: reference/upcoming/gone.md\n      - SSH server: reference/upcoming/sshserver.md\n"
    );
    let plan = plan_json(&repo, &[]);
    let step = &plan["steps"][3];
    assert_eq!(
        step["detail"],
        "nav entries without a page: reference/upcoming/gone.md"
    );
    assert_eq!(step["action"], "edit mkdocs.yml");
}

#[test]
fn run_tests_reports_whether_they_passed() {
    let (mut repo, _images) = project();
    // (exit code, the tests step, stdout, stderr) of `plan --run-tests --format json`.
    let run = |repo: &Repo| {
        let out = repo
            .bumpwise()
            .args(["plan", "--run-tests", "--format", "json"])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let plan: serde_json::Value = serde_json::from_str(&stdout).expect("the plan, whole");
        let step = &plan["steps"][4];
        let step = (
            step["status"].as_str().unwrap().to_string(),
            step["detail"].as_str().unwrap().to_string(),
        );
        (
            out.status.code(),
            step,
            stdout,
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    // The command's output goes to stderr as it runs; the plan on stdout stays whole.
    repo.write(
        "bumpwise.toml",
        "test_command = \"echo from-the-tests; echo on-its-stderr >&2; test -f CHANGELOG.md\"\n",
    );
    let (code, step, stdout, stderr) = run(&repo);
    assert_eq!(
        (code, step.0.as_str(), step.1.as_str()),
        (Some(0), "done", "passed")
    );
    assert!(
        stderr.contains("from-the-tests\n") && stderr.contains("on-its-stderr\n"),
        "{stderr}"
    );
    assert!(!stdout.lines().any(|l| l == "from-the-tests"), "{stdout}");
    // A failure says its exit status, and plan exits 4 after printing the plan.
    repo.write("bumpwise.toml", "test_command = \"exit 3\"\n");
    let (code, step, _, stderr) = run(&repo);
    assert_eq!(
        (code, step.0.as_str(), step.1.as_str()),
        (Some(4), "todo", "failed (exit status 3)")
    );
    assert!(stderr.contains("the tests failed"), "{stderr}");
    // A command that is not there is said plainly.
    repo.write(
        "bumpwise.toml",
        "test_command = \"no-such-test-runner ./...\"\n",
    );
    let (code, step, _, _) = run(&repo);
    assert_eq!(code, Some(4));
    assert_eq!(
        step.1,
        "failed: the command was not found (exit status 127); is `no-such-test-runner` installed and on PATH?"
    );
}

/// bumpwise ignores SIGXFSZ for its own writes (a write past `ulimit -f` is
/// an error it reports); the test command starts with it as usual, since an
/// ignored signal would stay ignored through `exec`.
#[test]
#[cfg(target_os = "linux")]
fn run_tests_starts_the_command_with_sigxfsz_not_ignored() {
    let (mut repo, _images) = project();
    repo.write(
        "bumpwise.toml",
        "test_command = \"grep '^SigIgn:' /proc/self/status\"\n",
    );
    let out = repo
        .bumpwise()
        .args(["plan", "--run-tests", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let mask = stderr
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .map(|m| u64::from_str_radix(m.trim(), 16).unwrap())
        .unwrap_or_else(|| panic!("no SigIgn line: {stderr}"));
    // SIGXFSZ is signal 25 on Linux: bit 24 of the mask.
    assert_eq!(
        mask & (1 << 24),
        0,
        "SIGXFSZ ignored in the child: {mask:x}"
    );
}

/// The nav that `plan --fix` writes builds with `mkdocs build --strict`. It
/// needs mkdocs, so `cargo test` lists it as ignored, saying why; CI runs it
/// with `--include-ignored` (see `.ci/run`), where a missing mkdocs fails it.
#[test]
#[ignore = "needs mkdocs (pip install mkdocs); run with cargo test -- --include-ignored"]
fn the_fixed_docs_build_with_mkdocs_strict() {
    let available = std::process::Command::new("mkdocs")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        available,
        "mkdocs is not installed: `pip install mkdocs`, or run `cargo test` without --include-ignored"
    );
    let (mut repo, _images) = project();
    repo.write(
        "mkdocs.yml",
        "site_name: ContainerSSH\nnav:\n  - Home: index.md\n  # The next release's reference.\n  - Upcoming:\n      - Overview: reference/upcoming/index.md\n",
    );
    repo.write("docs/index.md", "# Home\n");
    repo.bumpwise().args(["plan", "--fix"]).assert().success();
    let site = plain_dir();
    let output = std::process::Command::new("mkdocs")
        .args([
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            site.path().to_str().unwrap(),
        ])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        site.path()
            .join("reference/upcoming/sshserver/index.html")
            .exists()
    );
}

#[test]
fn a_nav_that_lists_every_upcoming_page_is_done() {
    let (mut repo, _images) = project();
    repo.write(
        "mkdocs.yml",
        "nav:\n  - Home: index.md\n  - Reference:\n    # upcoming release\n    - Upcoming:\n        - Overview: reference/upcoming/index.md\n        - SSH: reference/upcoming/sshserver.md\n",
    );
    let plan = plan_json(&repo, &[]);
    assert_eq!(plan["steps"][3]["status"], "done", "{}", plan["steps"][3]);
    std::fs::remove_dir_all(repo.path().join("docs/reference")).unwrap();
    let plan = plan_json(&repo, &[]);
    assert_eq!(plan["steps"][3]["status"], "not_applicable");
}

#[test]
fn after_tagging_the_plan_is_that_releases_with_the_images_still_to_write() {
    let (mut repo, images) = project();
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## [0.7.0] - 2026-01-02\n\n## [0.6.0] - 2026-01-01\n",
    );
    repo.tag("v0.7.0");
    let build = images.path().join("build.yaml");
    let args = ["--images", build.to_str().unwrap()];
    let plan = plan_json(&repo, &args);
    assert_eq!(
        (plan["tag"].as_str(), plan["previous_tag"].as_str()),
        (Some("v0.7.0"), Some("v0.6.0")),
        "{plan:#}"
    );
    let status = |plan: &serde_json::Value, i: usize| {
        plan["steps"][i]["status"].as_str().map(str::to_string)
    };
    assert_eq!(status(&plan, 0).as_deref(), Some("done"), "{plan:#}");
    assert_eq!(status(&plan, 5).as_deref(), Some("done"), "{plan:#}");
    assert!(
        plan["steps"][5]["detail"]
            .as_str()
            .unwrap()
            .contains("v0.7.0 is tagged"),
        "{plan:#}"
    );
    assert_eq!(status(&plan, 6).as_deref(), Some("todo"), "{plan:#}");
    // The images step is completed with --write, as before tagging.
    repo.bumpwise()
        .arg("plan")
        .args(args)
        .arg("--write")
        .assert()
        .success();
    assert!(std::fs::read_to_string(&build).unwrap().contains("v0.7.0:"));
    assert_eq!(status(&plan_json(&repo, &args), 6).as_deref(), Some("done"));
    // Another tag than HEAD's is planned as before: it is not made yet.
    let other = plan_json(&repo, &["v0.8.0"]);
    assert_eq!(other["tag"].as_str(), Some("v0.8.0"));
}

#[test]
fn a_real_mkdocs_yml_is_read_as_yaml_and_only_its_nav_counts() {
    // As ContainerSSH's docs site has it: mkdocs' own tags, and a redirects
    // plugin whose keys are upcoming pages, which are no nav entries.
    let (mut repo, _images) = project();
    repo.write(
        "mkdocs.yml",
        "site_name: ContainerSSH\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nplugins:\n  - redirects:\n      redirect_maps:\n        'reference/upcoming/old.md': 'reference/upcoming/index.md'\n        'reference/upcoming/sshserver.md': 'reference/sshserver.md'\nnav:\n  - Home: index.md\n  - Upcoming:\n      - Overview: reference/upcoming/index.md\n",
    );
    repo.write(
        "docs/reference/upcoming/audit.md",
        "---\ntitle: Audit logging\n---\n\n<h1>Audit</h1>\n",
    );
    let plan = plan_json(&repo, &[]);
    assert_eq!(
        plan["steps"][3]["detail"],
        "not in the nav: reference/upcoming/audit.md, reference/upcoming/sshserver.md",
        "{}",
        plan["steps"][3]
    );
    repo.bumpwise().args(["plan", "--fix"]).assert().success();
    let mkdocs = std::fs::read_to_string(repo.path().join("mkdocs.yml")).unwrap();
    assert!(
        mkdocs.ends_with("      - Overview: reference/upcoming/index.md\n      - Audit logging: reference/upcoming/audit.md\n      - SSH server: reference/upcoming/sshserver.md\n"),
        "{mkdocs}"
    );
    assert!(
        mkdocs.contains("!!python/name:material"),
        "every other line is kept"
    );
    assert_eq!(plan_json(&repo, &[])["steps"][3]["status"], "done");
    // A file that is not YAML is a clear error, and nothing is written.
    repo.write("mkdocs.yml", "nav:\n  - [Home\n");
    let out = repo.bumpwise().args(["plan", "--fix"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("mkdocs.yml is not YAML"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(repo.path().join("mkdocs.yml")).unwrap(),
        "nav:\n  - [Home\n"
    );
}

#[test]
fn the_tests_step_is_todo_with_the_obvious_command_until_the_tests_ran() {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            (
                "Cargo.toml",
                Some("[package]\nname = \"x\"\nversion = \"0.1.0\"\n"),
            ),
            ("src/lib.rs", Some("")),
        ],
    )
    .tag("v0.1.0")
    .commit_touching("fix: mend", "src/lib.rs")
    .sync();
    let plan = plan_json(&repo, &[]);
    let tests = &plan["steps"][4];
    assert_eq!(tests["title"], "Tests");
    assert_eq!(tests["status"], "todo");
    assert_eq!(tests["action"], "cargo test");
    let detail = tests["detail"].as_str().unwrap();
    assert!(detail.contains("guessed from Cargo.toml"), "{detail}");
    // init writes the guess, commented.
    repo.bumpwise().arg("init").assert().success();
    let config = std::fs::read_to_string(repo.path().join("bumpwise.toml")).unwrap();
    assert!(
        config.contains("# test_command = \"cargo test\"  # guessed from Cargo.toml"),
        "{config}"
    );
}

#[test]
fn suggested_commands_repeat_the_paths_given() {
    let (repo, _images) = project();
    std::fs::rename(repo.path().join("docs"), repo.path().join("site")).unwrap();
    std::fs::rename(repo.path().join("mkdocs.yml"), repo.path().join("site.yml")).unwrap();
    let plan = plan_json(&repo, &["--docs-dir", "site", "--mkdocs", "site.yml"]);
    let actions: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["action"].as_str())
        .filter(|a| a.starts_with("bumpwise plan"))
        .collect();
    assert!(!actions.is_empty(), "{plan:#}");
    for action in actions {
        assert!(
            action.contains("--docs-dir site --mkdocs site.yml"),
            "{action}"
        );
    }
}

#[test]
fn suggested_commands_repeat_the_flags_that_decided_the_version() {
    let (repo, _images) = project();
    let plan = plan_json(&repo, &["--policy", "cargo", "--tag-prefix", "v"]);
    let check = plan["steps"][0]["action"].as_str().unwrap();
    assert!(check.ends_with(" --policy cargo --tag-prefix v"), "{check}");
    let changelog = plan["steps"][1]["action"].as_str().unwrap();
    assert!(
        changelog.starts_with("bumpwise changelog --policy cargo --tag-prefix v --output"),
        "{changelog}"
    );
}
