//! `bumpwise deprecations`: notices users read, and ContainerSSH-style docs pages.

use snapbox::str;

use crate::fixture::Repo;

fn history() -> Repo {
    let mut repo = Repo::new();
    repo.commit("Initial import").tag("v0.6.0");
    repo.commits(&[
        "deprecate: the `listen` option\n\nRename `listen` to `listenAddress` in your configuration.",
        "feat: webhook retries\n\nDeprecated: the GET webhook\nReplacement: the POST webhook\nMigration: switch your server to accept POST",
        "fix: x\n\nDeprecated: the {{ old }} <b>flag</b>",
    ]);
    repo
}

#[test]
fn the_draft_marks_what_the_commits_did_not_say() {
    let repo = history();
    repo.bumpwise()
        .arg("deprecations")
        .assert()
        .success()
        .stdout_eq(str![[r#"
# Deprecations

## the &#123;&#123; old &#125;&#125; &lt;b&gt;flag&lt;/b&gt;

Deprecated in 0.7 (commit [..]).

**Use instead:** TODO: what replaces it

**How to migrate:** TODO: the steps from the old to the new, with the old and new configuration

## the GET webhook

Deprecated in 0.7 (commit [..]).

**Use instead:** the POST webhook

**How to migrate:** switch your server to accept POST

## the `listen` option

Deprecated in 0.7 (commit [..]).

**Use instead:** TODO: what replaces it

**How to migrate:** Rename `listen` to `listenAddress` in your configuration.

"#]]);
}

#[test]
fn no_deprecations_says_so() {
    let mut repo = Repo::new();
    repo.commit("a").tag("v1.0.0").commit("fix: y");
    repo.bumpwise()
        .arg("deprecations")
        .assert()
        .success()
        .stdout_eq("No deprecations since the last release.\n");
}

#[test]
fn json_lists_the_items() {
    let repo = history();
    let output = repo
        .bumpwise()
        .args(["deprecations", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    let items = doc["deprecations"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1]["what"], "the GET webhook");
    assert_eq!(items[1]["since"], "0.7");
    assert_eq!(items[1]["replacement"], "the POST webhook");
    assert_eq!(items[1]["slug"], "the-get-webhook");
    assert_eq!(items[1]["commit"].as_str().unwrap().len(), 40);
}

const INDEX: &str = "# Deprecations\n\n| Feature           | Deprecated | Removed |\n| ----------------- | ---------- | ------- |\n| [listen option](listen.md) | 0.4 | &mdash; |\n| [Moving from GET to POST in webhooks](authconfigget.md) | &mdash; | 0.4 |\n\nSee also the blog.\n";

#[test]
fn docs_dir_writes_pages_and_rows_and_keeps_what_exists() {
    let repo = history();
    let docs = repo.path().join("docs/deprecations");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("index.md"), INDEX).unwrap();
    std::fs::write(docs.join("the-get-webhook.md"), "hand-written page\n").unwrap();
    repo.bumpwise()
        .args(["deprecations", "--docs-dir", "docs/deprecations"])
        .assert()
        .success()
        .stderr_eq(str![[r#"
wrote docs/deprecations/the-old-b-flag-b.md
added the-old-b-flag-b to docs/deprecations/index.md
kept docs/deprecations/the-get-webhook.md (it exists; bumpwise never overwrites a page)
added the-get-webhook to docs/deprecations/index.md
wrote docs/deprecations/the-listen-option.md
added the-listen-option to docs/deprecations/index.md

"#]]);
    assert_eq!(
        std::fs::read_to_string(docs.join("the-get-webhook.md")).unwrap(),
        "hand-written page\n"
    );
    let index = std::fs::read_to_string(docs.join("index.md")).unwrap();
    let table_end = INDEX.find("\nSee also").unwrap();
    assert!(
        index.starts_with(&INDEX[..table_end]) && index.ends_with(&INDEX[table_end..]),
        "{index}"
    );
    assert_eq!(
        &index[table_end..index.len() - INDEX.len() + table_end],
        "| [the &#123;&#123; old &#125;&#125; &lt;b&gt;flag&lt;/b&gt;](the-old-b-flag-b.md) | 0.7 | &mdash; |\n\
         | [the GET webhook](the-get-webhook.md) | 0.7 | &mdash; |\n\
         | [the `listen` option](the-listen-option.md) | 0.7 | &mdash; |\n"
    );
    let page = std::fs::read_to_string(docs.join("the-listen-option.md")).unwrap();
    assert_eq!(
        page,
        "title: the `listen` option\n\n# the `listen` option {{ since(\"0.7\") }}\n\nthe `listen` option is deprecated and will be removed in a future release.\n\n## What to use instead\n\nTODO: what replaces it, with the old and new configuration side by side in a yaml block\n\n## How to migrate\n\nRename `listen` to `listenAddress` in your configuration.\n\n## The warning you will see\n\nTODO: the exact log message users see while they still use the deprecated feature.\n"
    );
    let hostile = std::fs::read_to_string(docs.join("the-old-b-flag-b.md")).unwrap();
    assert_eq!(
        hostile.matches("{{").count(),
        1,
        "only bumpwise's own since() macro: {hostile}"
    );

    // A second run adds nothing and changes nothing.
    repo.bumpwise()
        .args(["deprecations", "--docs-dir", "docs/deprecations"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(docs.join("index.md")).unwrap(),
        index
    );
    assert_eq!(
        std::fs::read_to_string(docs.join("the-listen-option.md")).unwrap(),
        page
    );
}

#[test]
fn docs_dir_that_does_not_exist_is_a_clear_error() {
    let repo = history();
    repo.bumpwise().args(["deprecations", "--docs-dir", "missing"]).assert().code(1).stderr_eq(
        "error: cannot write missing/the-old-b-flag-b.md: directory missing does not exist; create it first\n",
    );
}

#[test]
fn deprecations_have_their_changelog_section() {
    let repo = history();
    let output = repo
        .bumpwise()
        .args(["changelog", "--date", "2026-01-01"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("### Deprecations\n\n- the &#123;&#123; old &#125;&#125;"),
        "{text}"
    );
    assert!(
        text.contains("- the GET webhook: use the POST webhook instead ("),
        "{text}"
    );
}
