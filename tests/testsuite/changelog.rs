//! `bumpwise changelog`: release notes for people, goreleaser and CHANGELOG.md.

use serde::Deserialize;
use snapbox::str;

use crate::fixture::Repo;

const DATE: &str = "2026-11-24";

fn history() -> Repo {
    let mut repo = Repo::new();
    repo.commit("Initial import").tag("v0.1.0");
    repo.commits(&[
        "feat(auth): add retries (#12)",
        "fix: reject empty usernames",
        "feat: a short-lived idea",
        "Revert \"feat: a short-lived idea\"",
        "docs: rewrite the guide (#15)\n\n* feat: add persistent mode\n* fix: setupAgent",
        "feat(api)!: drop the v1 endpoint\n\nBREAKING CHANGE: clients must call /v2",
        "fix(deps): bump golang.org/x/crypto from 0.23.0 to 0.31.0 (#666)",
        "fix(ssh): reject weak ciphers (CVE-2024-45337)",
        "feat: listenAddress\n\nDeprecated: the `listen` option\nReplacement: `listenAddress`",
        "feat(auth): add OIDC",
        "Added KinD setup",
        "Refactored the handler",
    ]);
    repo
}

fn with_remote(repo: &Repo) {
    repo.git
        .remote("origin", "git@github.com:ContainerSSH/ContainerSSH.git")
        .unwrap();
}

#[test]
fn unreleased_notes_without_a_remote() {
    let repo = history();
    repo.bumpwise()
        .args(["changelog", "--date", DATE])
        .assert()
        .success()
        .stdout_eq(str![[r#"
## [0.2.0] - 2026-11-24

### Breaking changes

- **api:** drop the v1 endpoint: clients must call /v2 (5006605)

### Deprecations

- the `listen` option: use `listenAddress` instead (f131e93)

### Features

- Added KinD setup (c4ff0ba)
- **auth:** add OIDC (d296166)
- **auth:** add retries (#12) (58e61cc)

### Fixes

- reject empty usernames (5b87a0e)

### Security

- **ssh:** reject weak ciphers (CVE-2024-45337) (3cd565c)

### Dependencies

- **deps:** bump golang.org/x/crypto from 0.23.0 to 0.31.0 (#666) (197ec95)

### Unclassified

- Refactored the handler (a0dc5fe)

"#]]);
}

#[test]
fn unreleased_notes_link_commits_and_references_to_the_remote() {
    let mut repo = Repo::new();
    repo.commit("Initial import")
        .tag("v1.4.0")
        .commit("feat(auth): add retries (#12)");
    repo.commit("Fixes #33: crash on empty input");
    with_remote(&repo);
    repo.bumpwise().args(["changelog", "--date", DATE]).assert().success().stdout_eq(str![[r#"
## [1.5.0] - 2026-11-24

### Features

- **auth:** add retries ([#12](https://github.com/ContainerSSH/ContainerSSH/issues/12)) ([[..]](https://github.com/ContainerSSH/ContainerSSH/commit/[..]))

### Fixes

- Fixes [#33](https://github.com/ContainerSSH/ContainerSSH/issues/33): crash on empty input ([[..]](https://github.com/ContainerSSH/ContainerSSH/commit/[..]))

"#]]);
}

#[test]
fn link_templates_can_come_from_the_config_file() {
    let mut repo = Repo::new();
    repo.commit("Initial import")
        .tag("v1.0.0")
        .commit("fix: x (#7)");
    repo.write(
        "bumpwise.toml",
        "[links]\ncommit = \"https://git.example/c/{id}\"\nissue = \"https://bugs.example/{number}\"\n",
    );
    let output = repo
        .bumpwise()
        .args(["changelog", "--date", DATE])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("x ([#7](https://bugs.example/7)) ([")
            && text.contains("](https://git.example/c/"),
        "{text}"
    );
}

#[test]
fn other_changes_only_when_asked() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.0.0")
        .commits(&["docs: guide", "fix: y"]);
    let plain = repo
        .bumpwise()
        .args(["changelog", "--date", DATE])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("### Other"));
    repo.bumpwise()
        .args(["changelog", "--date", DATE, "--include-other"])
        .assert()
        .success()
        .stdout_eq(str![[r#"
## [1.0.1] - 2026-11-24

### Fixes

- y ([..])

### Other

- guide ([..])

"#]]);
}

#[test]
fn nothing_to_release_is_headed_unreleased() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("docs: guide");
    repo.bumpwise()
        .args(["changelog", "--date", DATE])
        .assert()
        .success()
        .stdout_eq(str![[r#"
## [Unreleased]

No changes with release impact.

"#]]);
}

#[test]
fn a_range_between_two_releases() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v1.0.0")
        .commit("feat: one")
        .tag("v1.1.0")
        .commit("fix: two")
        .tag("v1.1.1");
    repo.commit("feat: unreleased");
    repo.bumpwise()
        .args(["changelog", "--to", "v1.1.0"])
        .assert()
        .success()
        .stdout_eq(str![[r#"
## [1.1.0] - 2023-11-14

### Features

- one ([..])

"#]]);
    repo.bumpwise()
        .args(["changelog", "--from", "v1.0.0", "--to", "v1.1.1"])
        .assert()
        .success()
        .stdout_eq(str![[r#"
## [1.1.1] - 2023-11-14

### Features

- one ([..])

### Fixes

- two ([..])

"#]]);
    repo.bumpwise()
        .args(["changelog", "--from", "nope"])
        .assert()
        .code(2);
}

#[test]
fn the_whole_history_release_by_release() {
    let mut repo = Repo::new();
    repo.commit("feat: first")
        .tag("0.1.0")
        .commit("fix: second")
        .tag("v0.1.1")
        .commit("feat: third");
    repo.tag("v0.2.0-rc.1").tag("v0.2.0").commit("fix: fourth");
    repo.bumpwise()
        .args(["changelog", "--all", "--date", DATE])
        .assert()
        .success()
        .stdout_eq(str![[r#"
## [0.2.1] - 2026-11-24

### Fixes

- fourth ([..])

## [0.2.0] - 2023-11-14

### Features

- third ([..])

## [0.1.1] - 2023-11-14

### Fixes

- second ([..])

## [0.1.0] - 2023-11-14

### Features

- first ([..])

"#]]);
}

/// The changelog JSON document, strictly.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Notes {
    schema_version: u32,
    releases: Vec<NotesRelease>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NotesRelease {
    version: Option<String>,
    tag: Option<String>,
    date: Option<String>,
    sections: Vec<NotesSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NotesSection {
    kind: String,
    title: String,
    entries: Vec<NotesEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NotesEntry {
    scope: Option<String>,
    text: String,
    detail: Option<String>,
    commit: String,
    commit_url: Option<String>,
    references: Vec<NotesReference>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NotesReference {
    number: u64,
    url: Option<String>,
}

#[test]
fn json_gives_the_same_content_as_data() {
    let repo = history();
    with_remote(&repo);
    let output = repo
        .bumpwise()
        .args(["changelog", "--format", "json", "--date", DATE])
        .output()
        .unwrap();
    assert!(output.status.success());
    let notes: Notes = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(notes.schema_version, 1);
    let release = &notes.releases[0];
    assert_eq!(
        (
            release.version.as_deref(),
            release.tag.as_deref(),
            release.date.as_deref()
        ),
        (Some("0.2.0"), Some("v0.2.0"), Some(DATE))
    );
    let kinds: Vec<&str> = release.sections.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "breaking",
            "deprecations",
            "features",
            "fixes",
            "security",
            "dependencies",
            "unclassified"
        ]
    );
    assert_eq!(release.sections[0].title, "Breaking changes");
    let breaking = &release.sections[0].entries[0];
    assert_eq!(
        (breaking.scope.as_deref(), breaking.text.as_str()),
        (Some("api"), "drop the v1 endpoint")
    );
    assert_eq!(breaking.detail.as_deref(), Some("clients must call /v2"));
    assert!(
        breaking
            .commit_url
            .as_deref()
            .unwrap()
            .ends_with(&breaking.commit)
    );
    let deps = &release.sections[5].entries[0];
    assert_eq!(deps.references.len(), 1);
    assert_eq!(deps.references[0].number, 666);
    assert_eq!(
        deps.references[0].url.as_deref(),
        Some("https://github.com/ContainerSSH/ContainerSSH/issues/666")
    );
}

#[test]
fn reverted_pairs_and_squash_bodies_produce_no_entries() {
    let repo = history();
    let output = repo
        .bumpwise()
        .args(["changelog", "--date", DATE, "--include-other"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("short-lived"), "{text}");
    assert!(
        !text.contains("persistent mode") && !text.contains("setupAgent"),
        "{text}"
    );
    assert!(text.contains("- rewrite the guide (#15)"), "{text}");
}

#[test]
fn commit_text_arrives_inert() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commits(&[
        "fix: leak {{ config.extra.secret }} and {% include 'x' %} and {# note #}",
        "fix: <img src=x onerror=alert(1)> and <!-- hidden -->",
        "fix: [click](http://evil.example) and ![pixel](http://evil.example/p.png)",
    ]);
    let output = repo
        .bumpwise()
        .args(["changelog", "--date", DATE])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    for raw in ["{{", "{%", "{#", "<img", "<!--", "[click]", "![pixel]"] {
        assert!(!text.contains(raw), "{raw} reached the notes:\n{text}");
    }
    assert!(
        text.contains("&#123;&#123; config.extra.secret &#125;&#125;"),
        "{text}"
    );
    assert!(
        text.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{text}"
    );
    assert!(
        text.contains("!\\[pixel\\](http://evil.example/p.png)"),
        "{text}"
    );
}

const EXISTING: &str = "# Changelog\n\nAll notable changes.\r\nKept   as is.\n\n## [Unreleased]\n\n- hand-written\n\n## [0.1.0] - 2020-01-01\n\n### Fixes\n\n- old entry\n\n[0.1.0]: https://example/0.1.0\n";

#[test]
fn prepend_keeps_every_byte_of_the_existing_file() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v0.1.0").commit("feat: new");
    repo.write("CHANGELOG.md", EXISTING);
    repo.bumpwise()
        .args([
            "changelog",
            "--date",
            DATE,
            "--output",
            "CHANGELOG.md",
            "--prepend",
        ])
        .assert()
        .success()
        .stderr_eq("wrote CHANGELOG.md\n");
    let written = std::fs::read_to_string(repo.path().join("CHANGELOG.md")).unwrap();
    let split = EXISTING.find("## [0.1.0]").unwrap();
    let (head, tail) = EXISTING.split_at(split);
    let inserted = written
        .strip_prefix(head)
        .and_then(|rest| rest.strip_suffix(tail))
        .expect("old bytes kept around the new section");
    assert!(
        inserted.starts_with("## [0.2.0] - 2026-11-24\n\n### Features\n\n- new ("),
        "{inserted}"
    );
}

#[test]
fn prepend_twice_refuses_and_leaves_the_file_alone_unless_replace() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v0.1.0").commit("feat: new");
    repo.write("CHANGELOG.md", EXISTING);
    let args = [
        "changelog",
        "--date",
        DATE,
        "--output",
        "CHANGELOG.md",
        "--prepend",
    ];
    repo.bumpwise().args(args).assert().success();
    let once = std::fs::read(repo.path().join("CHANGELOG.md")).unwrap();
    repo.bumpwise().args(args).assert().code(2).stderr_eq(
        "error: CHANGELOG.md already has a section for 0.2.0; pass --replace to regenerate it\n",
    );
    assert_eq!(
        std::fs::read(repo.path().join("CHANGELOG.md")).unwrap(),
        once
    );
    repo.commit("fix: later");
    repo.bumpwise()
        .args([
            "changelog",
            "--date",
            DATE,
            "--output",
            "CHANGELOG.md",
            "--prepend",
            "--replace",
            "--minor",
        ])
        .assert()
        .success();
    let replaced = std::fs::read_to_string(repo.path().join("CHANGELOG.md")).unwrap();
    assert_eq!(replaced.matches("## [0.2.0]").count(), 1, "{replaced}");
    assert!(replaced.contains("- later ("), "{replaced}");
    assert!(replaced.ends_with(&EXISTING[EXISTING.find("## [0.1.0]").unwrap()..]));
}

#[test]
fn prepend_creates_a_missing_changelog() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v0.1.0").commit("fix: x");
    repo.bumpwise()
        .args([
            "changelog",
            "--date",
            DATE,
            "--output",
            "CHANGELOG.md",
            "--prepend",
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(repo.path().join("CHANGELOG.md")).unwrap();
    assert!(text.starts_with("# Changelog\n\nAll notable changes to this project are documented in this file.\n\n## [0.1.1] - 2026-11-24\n"), "{text}");
}

#[test]
fn output_never_silently_overwrites_and_reports_a_missing_directory() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v0.1.0").commit("fix: x");
    repo.write("notes.md", "keep me\n");
    repo.bumpwise()
        .args(["changelog", "--output", "notes.md"])
        .assert()
        .code(2)
        .stderr_eq(
            "error: notes.md exists; pass --prepend to add to it, or --force to overwrite it\n",
        );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("notes.md")).unwrap(),
        "keep me\n"
    );
    repo.bumpwise()
        .args([
            "changelog",
            "--output",
            "notes.md",
            "--force",
            "--date",
            DATE,
        ])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(repo.path().join("notes.md"))
            .unwrap()
            .starts_with("## [0.1.1]")
    );
    repo.bumpwise().args(["changelog", "--output", "no/such/dir/notes.md"]).assert().code(1).stderr_eq(
        "error: cannot write no/such/dir/notes.md: directory no/such/dir does not exist; create it first\n",
    );
}

#[test]
fn a_failed_write_leaves_the_old_file_intact_and_no_temporary_file() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v0.1.0").commit("fix: x");
    // The final rename cannot replace a non-empty directory: the write fails at its last step.
    std::fs::create_dir(repo.path().join("notes.md")).unwrap();
    std::fs::write(repo.path().join("notes.md/keep"), "old").unwrap();
    let before: Vec<_> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let output = repo
        .bumpwise()
        .args(["changelog", "--output", "notes.md", "--force"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: cannot write notes.md: ")
            && stderr.ends_with("; the old file is unchanged\n"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("notes.md/keep")).unwrap(),
        "old"
    );
    let after: Vec<_> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after, "a temporary file was left behind");
}

#[test]
fn all_releases_match_their_ranges_on_a_history_with_merges() {
    let mut repo = Repo::new();
    repo.commit("feat: one")
        .tag("v0.1.0")
        .branch("topic")
        .checkout("topic")
        .commit("feat: on topic");
    repo.checkout("main")
        .commit("fix: two")
        .tag("v0.1.1")
        .merge("topic", "Merge topic")
        .commit("feat: three");
    repo.tag("v0.2.0")
        .branch("late")
        .checkout("late")
        .commit("fix: late branch")
        .checkout("main");
    repo.commit("fix: four")
        .merge("late", "Merge late")
        .tag("v0.2.1")
        .commit("feat: unreleased");
    let json = |args: &[&str]| -> serde_json::Value {
        let stdout = repo.stdout_of(&[&["changelog", "--format", "json"][..], args].concat());
        serde_json::from_str(&stdout).unwrap()
    };
    let all = json(&["--all"]);
    let releases = all["releases"].as_array().unwrap();
    let versions: Vec<&str> = releases
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["0.3.0", "0.2.1", "0.2.0", "0.1.1", "0.1.0"]);
    let pairs = [
        ("v0.2.0", "v0.2.1"),
        ("v0.1.1", "v0.2.0"),
        ("v0.1.0", "v0.1.1"),
    ];
    for (i, (from, to)) in pairs.iter().enumerate() {
        let range = json(&["--from", from, "--to", to]);
        assert_eq!(
            releases[i + 1]["sections"],
            range["releases"][0]["sections"],
            "{from}..{to}"
        );
    }
    let first = json(&["--to", "v0.1.0"]);
    assert_eq!(releases[4]["sections"], first["releases"][0]["sections"]);
    let unreleased = json(&[]);
    assert_eq!(releases[0], unreleased["releases"][0]);
}

#[test]
fn prepend_writes_the_heading_in_the_files_own_style() {
    let cases = [
        // ContainerSSH's libraries: the version and a title.
        (
            "# Changelog\n\n## 0.9.26: Fixed race condition on close\n\nThis release fixes a race.\n",
            "## 0.9.27: Reject empty user names\n",
        ),
        (
            "# Changelog\n\n## v0.9.26 (2026-07-08)\n",
            "## v0.9.27 (2026-11-24)\n",
        ),
        (
            "## Unreleased\n\n## 0.9.26 - 2026-01-01\n",
            "## 0.9.27 - 2026-11-24\n",
        ),
        ("# Changelog\n\n## v0.9.26\n", "## v0.9.27\n"),
        (
            "# Changelog\n\n## [0.9.26] - 2026-01-01\n",
            "## [0.9.27] - 2026-11-24\n",
        ),
    ];
    for (existing, heading) in cases {
        let mut repo = Repo::new();
        repo.commit("a")
            .tag("v0.9.26")
            .commit("fix: reject empty user names");
        repo.write("CHANGELOG.md", existing);
        repo.bumpwise()
            .args([
                "changelog",
                "--date",
                DATE,
                "--output",
                "CHANGELOG.md",
                "--prepend",
            ])
            .assert()
            .success();
        let written = std::fs::read_to_string(repo.path().join("CHANGELOG.md")).unwrap();
        assert!(written.contains(heading), "{written}");
        assert!(written.contains(existing.lines().find(|l| l.contains("0.9.26")).unwrap()));
        // check finds the section it wrote.
        let check = repo
            .bumpwise()
            .args(["check", "v0.9.27", "--format", "json"])
            .output()
            .unwrap();
        let check: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
        let changelog = check["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == "changelog")
            .unwrap();
        assert_eq!(changelog["status"], "pass", "{written}\n{changelog}");
    }
}

#[test]
fn changelog_and_deprecations_give_the_warnings_next_gives() {
    let mut repo = Repo::new();
    repo.commit("chore: start")
        .tag("v1.0.0")
        .commit("Tinker with the parser")
        .commit("feat: a flag")
        .tag("v1.1.0")
        .commit("fix: mend")
        .commit("Tinker with the lexer");
    let stderr = |args: &[&str]| {
        let output = repo.bumpwise().args(args).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stderr).unwrap()
    };
    let warnings = |text: String| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("warning: "))
            .map(String::from)
            .collect()
    };
    let next = warnings(stderr(&["next"]));
    assert!(
        next[0].contains("1 of 2 commits are unclassified"),
        "{next:?}"
    );
    assert_eq!(warnings(stderr(&["changelog"])), next);
    assert_eq!(warnings(stderr(&["deprecations"])), next);
    // Notes of a past release say the same of its own commits.
    let latest = stderr(&["changelog", "--latest"]);
    assert!(
        latest.contains("1 of 2 commits are unclassified"),
        "{latest}"
    );
    let all = stderr(&["changelog", "--all"]);
    assert!(
        all.contains("warning: v1.1.0: 1 of 2 commits are unclassified"),
        "{all}"
    );
}

#[test]
fn sections_are_renamed_reordered_and_hidden_by_configuration() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commits(&[
        "feat: add the `--with-commit` flag",
        "fix: a crash",
        "fix(deps): bump serde from 1.0.1 to 1.0.2",
        "chore(release): prepare for v1.1.0",
    ]);
    repo.write(
        "bumpwise.toml",
        "[changelog]\nfile = \"CHANGELOG.md\"\n\n[changelog.sections]\nfix = { title = \"Bug fixes\", order = 0 }\ndependencies = { hidden = true }\n",
    );
    repo.bumpwise()
        .args(["changelog", "--date", DATE])
        .assert()
        .success()
        .stdout_eq(str![[r#"
## [1.1.0] - 2026-11-24

### Bug fixes

- a crash ([..])

### Features

- add the `--with-commit` flag ([..])

"#]]);
    // `bumpwise config` shows every section with its defaults.
    let config = repo.stdout_of(&["config"]);
    assert!(
        config.contains("[changelog]\nfile = \"CHANGELOG.md\"")
            && config.contains(
                "[changelog.sections.feature]\ntitle = \"Features\"\nhidden = false\norder = 3"
            ),
        "{config}"
    );
    // The file alone, as a string, still works; a section that does not exist is named.
    repo.write("bumpwise.toml", "changelog = \"NEWS.md\"\n");
    repo.bumpwise().args(["changelog"]).assert().success();
    repo.write(
        "bumpwise.toml",
        "[changelog.sections]\nbugs = { hidden = true }\n",
    );
    let failed = repo.bumpwise().args(["changelog"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).to_string();
    assert!(
        stderr.contains("no section `bugs`") && stderr.contains("fix"),
        "{stderr}"
    );
}

#[test]
fn a_pull_request_merge_is_written_by_its_title() {
    let mut repo = Repo::new();
    repo.commit("feat: one")
        .tag("v1.0.0")
        .branch("proxy")
        .checkout("proxy")
        .commit("wip");
    repo.checkout("main").merge(
        "proxy",
        "Merge pull request #5 from someone/proxy\n\nfeat: add SSH proxy support",
    );
    let stdout = repo.stdout_of(&["changelog", "--first-parent", "--date", DATE]);
    assert!(
        stdout.contains("### Features\n\n- add SSH proxy support (#5) ("),
        "{stdout}"
    );
    assert!(!stdout.contains("someone/proxy"), "{stdout}");
}

#[test]
fn the_default_notes_are_a_template_that_renders_the_same_bytes() {
    let repo = history();
    with_remote(&repo);
    let default = repo.stdout_of(&["changelog", "--all", "--date", DATE]);
    let template = repo.stdout_of(&["changelog", "--print-template"]);
    let path = repo.path().join("notes.tera");
    std::fs::write(&path, template).unwrap();
    let rendered = repo.stdout_of(&[
        "changelog",
        "--all",
        "--date",
        DATE,
        "--template",
        path.to_str().unwrap(),
    ]);
    assert_eq!(rendered, default);
    assert!(
        default.contains("### Features")
            && default.contains("https://github.com/ContainerSSH/ContainerSSH/commit/")
    );
}

/// The context holds only the fields a template names, but every field it
/// names, however it names it: by path, as a string key, or by printing the
/// whole object.
#[test]
fn a_template_finds_every_field_it_names() {
    let repo = history();
    let render = |body: &str| {
        let path = repo.path().join("fields.tera");
        std::fs::write(&path, body).unwrap();
        repo.stdout_of(&["changelog", "--template", path.to_str().unwrap()])
    };
    let whole = render("{% for c in commits %}{{ c | json_encode() }}\n{% endfor %}");
    let first: serde_json::Value =
        serde_json::from_str(whole.lines().next().expect("a commit")).unwrap();
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "author",
            "breaking",
            "breaking_description",
            "commit_link",
            "conventional",
            "detail",
            "group",
            "id",
            "kind",
            "line",
            "links",
            "message",
            "scope",
            "section",
            "short_id"
        ]
    );
    let keyed =
        render("{% for c in commits %}{{ c[\"conventional\"] }} {{ c.short_id }}\n{% endfor %}");
    assert!(
        keyed.lines().next().unwrap().starts_with("true "),
        "{keyed}"
    );
    // The short id, linked to the commit's page when that is known (here it
    // is not; the default template's test renders linked ones).
    assert!(first["links"]["commit"].is_null(), "{first}");
    assert_eq!(first["commit_link"], first["short_id"]);
}

/// A cliff.toml in git-cliff's Keep a Changelog style: header, body per
/// release, footer over every release, lines trimmed.
const CLIFF_TOML: &str = r#"
[changelog]
header = """
# Changelog\n
"""
body = """
{% if version -%}
    ## [{{ version | trim_start_matches(pat="v") }}] - {{ timestamp | date(format="%Y-%m-%d") }}
{% else -%}
    ## [Unreleased]
{% endif -%}
{% for group, commits in commits | group_by(attribute="group") %}
    ### {{ group | upper_first }}
    {% for commit in commits %}
        - {{ commit.message | split(pat="\n") | first | upper_first | trim }}\
          {% if commit.breaking %} (breaking: {{ commit.breaking_description }}){% endif %}\
    {% endfor %}
{% endfor %}\n
"""
footer = """
{% for release in releases -%}
    {% if release.previous.version -%}
        [{{ release.version | trim_start_matches(pat="v") }}]: https://github.com/{{ remote.github.owner }}/{{ remote.github.repo }}/compare/{{ release.previous.version }}..{{ release.version }}
    {% endif -%}
{% endfor %}
"""
trim = true
"#;

#[test]
fn a_cliff_toml_renders_as_git_cliff_renders_it() {
    let mut repo = Repo::new();
    repo.commit("feat: start").tag("v1.0.0").commits(&[
        "feat: add the `--with-commit` flag",
        "fix: a crash in {{ 7*7 }}",
        "feat(api)!: drop v1\n\nBREAKING CHANGE: clients call /v2",
    ]);
    repo.tag("v2.0.0");
    with_remote(&repo);
    let path = repo.path().join("cliff.toml");
    std::fs::write(&path, CLIFF_TOML).unwrap();
    repo.write("bumpwise.toml", "[changelog]\ntemplate = \"cliff.toml\"\n");
    let out = repo.stdout_of(&["changelog", "--all"]);
    let date = out
        .lines()
        .find_map(|l| l.strip_prefix("## [2.0.0] - "))
        .expect("a heading with the release's date");
    assert_eq!(date.len(), 10, "{out}");
    let body = out.split_once(date).unwrap().1;
    // Commit text stays inert: the braces never reach the engine as code.
    assert_eq!(
        body.split_once("## [1.0.0]").unwrap().0,
        "\n\n### Breaking changes\n\n- Drop v1 (breaking: clients call /v2)\n\n### Features\n\n- Add the `--with-commit` flag\n\n### Fixes\n\n- A crash in &#123;&#123; 7*7 &#125;&#125;\n\n",
        "{out}"
    );
    assert!(
        out.ends_with(
            "[2.0.0]: https://github.com/ContainerSSH/ContainerSSH/compare/v1.0.0..v2.0.0\n"
        ),
        "{out}"
    );
    assert!(out.starts_with("# Changelog\n## [2.0.0]"), "{out}");
    // One release's notes know the release before it too (the footer's compare link).
    let latest = repo.stdout_of(&["changelog", "--latest"]);
    assert!(
        latest.ends_with(
            "[2.0.0]: https://github.com/ContainerSSH/ContainerSSH/compare/v1.0.0..v2.0.0\n"
        ),
        "{latest}"
    );
    assert!(!latest.contains("## [1.0.0]"), "{latest}");
}

#[test]
fn a_template_that_does_not_parse_or_reads_the_environment_is_a_usage_error() {
    let repo = history();
    let cases = [
        (
            "broken.tera",
            "{% for x in %}\n",
            "broken.tera: body: line 1, column 13:",
        ),
        (
            "filter.tera",
            "line one\n{{ version | shout }}\n",
            "body: line 2: Filter 'shout' not found",
        ),
        (
            "env.tera",
            "{{ get_env(name=\"HOME\") }}\n",
            "cannot read the environment",
        ),
    ];
    for (name, text, said) in cases {
        let path = repo.path().join(name);
        std::fs::write(&path, text).unwrap();
        let failed = repo
            .bumpwise()
            .args(["changelog", "--template", path.to_str().unwrap()])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&failed.get_output().stderr).to_string();
        let error: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(error.len(), 1, "{stderr}");
        assert!(
            error[0].contains(said) && error[0].contains(name),
            "{stderr}"
        );
    }
    repo.bumpwise()
        .args(["changelog", "--template", "missing.tera"])
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn a_configured_template_that_leaves_the_repository_is_refused() {
    let mut repo = history();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("notes.tera");
    std::fs::write(&target, "{{ heading }}\n").unwrap();
    std::os::unix::fs::symlink(&target, repo.path().join("notes.tera")).unwrap();
    repo.write("bumpwise.toml", "[changelog]\ntemplate = \"notes.tera\"\n");
    let failed = repo.bumpwise().arg("changelog").assert().code(2);
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).to_string();
    assert!(stderr.contains("leaves the repository"), "{stderr}");
    // Given on the command line, the same file is read.
    let by_flag = repo.stdout_of(&["changelog", "--template", target.to_str().unwrap()]);
    assert!(by_flag.starts_with("## [0.2.0]"), "{by_flag}");
}

#[test]
fn a_configured_section_title_is_escaped_as_commit_text_is() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("fix: a crash");
    repo.write(
        "bumpwise.toml",
        "[changelog.sections]\nfix = { title = \"Fixes {{ config.secret }} <b>\" }\n",
    );
    let notes = repo.stdout_of(&["changelog"]);
    assert!(
        notes.contains("### Fixes &#123;&#123; config.secret &#125;&#125; &lt;b&gt;\n"),
        "{notes}"
    );
}

/// A release's date is its commit's, whether git's commit-graph file or the
/// commit itself gives it.
#[test]
fn release_dates_are_the_same_with_a_commit_graph() {
    let mut repo = Repo::new();
    repo.commit("feat: first").tag("v0.1.0");
    repo.shift_clock(40 * 86_400)
        .commit("fix: second")
        .tag("v0.1.1");
    repo.shift_clock(400 * 86_400)
        .commit("feat: third")
        .tag("v0.2.0");
    let without = repo.stdout_of(&["changelog", "--all"]);
    let dates: Vec<&str> = without
        .lines()
        .filter(|l| l.starts_with("## "))
        .filter_map(|l| l.rsplit(' ').next())
        .collect();
    assert_eq!(dates.len(), 3, "{without}");
    let mut distinct = dates.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "{without}");
    crate::fixture::git(repo.path(), &["commit-graph", "write", "--reachable"]);
    assert!(repo.path().join(".git/objects/info/commit-graph").exists());
    assert_eq!(repo.stdout_of(&["changelog", "--all"]), without);
}
