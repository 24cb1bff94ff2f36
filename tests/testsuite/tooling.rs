//! Completions, the man page, `bumpwise config` and `bumpwise init`.

use bumpwise::config::{Config, Layer};

use crate::fixture::Repo;

fn repo() -> Repo {
    let mut repo = Repo::new();
    repo.commit("initial").tag("v1.0.0").commit("fix: x");
    repo
}

#[test]
fn completions_for_every_shell() {
    let repo = repo();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = repo
            .bumpwise()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        for word in ["bumpwise", "changelog", "deprecations", "first-parent"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    repo.bumpwise()
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn a_man_page_from_the_same_definition() {
    let output = repo().bumpwise().arg("man").output().unwrap();
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(
        page.starts_with(".ie") && page.contains(".TH bumpwise 1"),
        "{page}"
    );
    for word in ["next", "explain", "changelog", "check", "mark"] {
        assert!(page.contains(word), "the man page lacks {word}");
    }
}

#[test]
fn a_closed_pipe_ends_completions_quietly() {
    let repo = repo();
    let (code, stderr) = crate::fixture::with_closed_stdout(repo.path(), &["completions", "bash"]);
    assert_eq!(code, Some(0), "{stderr}");
}

fn resolve(text: &str) -> Config {
    Config::resolve(Layer::parse(text, "test").expect("valid TOML config")).expect("a valid config")
}

#[test]
fn config_prints_the_effective_configuration_as_loadable_toml() {
    let mut repo = repo();
    let defaults = Config::resolve(Layer::default()).unwrap();
    let printed =
        String::from_utf8(repo.bumpwise().arg("config").output().unwrap().stdout).unwrap();
    assert_eq!(resolve(&printed), defaults);
    repo.write(
        "bumpwise.toml",
        "policy = \"cargo\"\n[types]\nhotfix = \"fix\"\n[overrides.abcd123]\nkind = \"none\"\n",
    );
    let printed = String::from_utf8(
        repo.bumpwise()
            .args(["config", "--tag-prefix", "lib-"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        printed.contains("policy = \"cargo\"") && printed.contains("tag_prefix = \"lib-\""),
        "{printed}"
    );
    assert!(
        printed.contains("hotfix = \"fix\"") && printed.contains("feat = \"feature\""),
        "{printed}"
    );
    let reloaded = resolve(&printed);
    assert_eq!(reloaded.overrides.len(), 1);
    assert_eq!(reloaded.tag_prefix, "lib-");
}

#[test]
fn init_writes_every_default_and_never_overwrites() {
    let repo = repo();
    repo.bumpwise()
        .arg("init")
        .assert()
        .success()
        .stderr_eq("wrote [..]bumpwise.toml\n");
    let written = std::fs::read_to_string(repo.path().join("bumpwise.toml")).unwrap();
    assert!(
        written.starts_with("# bumpwise configuration. Every key is optional"),
        "{written}"
    );
    assert_eq!(
        resolve(&written),
        Config::resolve(Layer::default()).unwrap()
    );
    repo.bumpwise().arg("next").assert().success();
    std::fs::write(repo.path().join("bumpwise.toml"), "policy = \"cargo\"\n").unwrap();
    repo.bumpwise().arg("init").assert().code(2);
    assert_eq!(
        std::fs::read_to_string(repo.path().join("bumpwise.toml")).unwrap(),
        "policy = \"cargo\"\n"
    );
    let bare = Repo::bare();
    bare.bumpwise().arg("init").assert().code(2).stderr_eq(
        "error: a bare repository has no work tree for bumpwise.toml; pass --config FILE\n",
    );
}

#[test]
fn init_writes_every_key_config_prints() {
    let repo = repo();
    let printed = repo.stdout_of(&["config"]);
    repo.bumpwise().arg("init").assert().success();
    let written = std::fs::read_to_string(repo.path().join("bumpwise.toml")).unwrap();
    for line in printed.lines() {
        let key = if line.starts_with('[') {
            line.to_string()
        } else if let Some((key, _)) = line.split_once(" = ") {
            if line.starts_with(' ') || printed_in_table(&printed, line) {
                continue;
            }
            format!("{key} =")
        } else {
            continue;
        };
        assert!(
            written
                .lines()
                .any(|l| l.trim_start_matches("# ").starts_with(&key)),
            "init lacks `{key}`:\n{written}"
        );
    }
    // And it loads.
    repo.bumpwise().arg("config").assert().success();
}

/// Whether `line` of the printed configuration sits inside a `[table]` (its keys are the table's own).
fn printed_in_table(printed: &str, line: &str) -> bool {
    let at = printed.find(line).unwrap_or(0);
    printed[..at].lines().any(|l| l.starts_with('['))
}
