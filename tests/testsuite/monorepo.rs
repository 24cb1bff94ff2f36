//! Monorepos: packages with their own tags and paths.

use crate::fixture::Repo;
use crate::json::explain;

const PACKAGES: &str = r#"
[[packages]]
name = "auth"
tag_prefix = "auth-"
paths = ["services/auth/"]

[[packages]]
name = "billing"
tag_prefix = "billing-"
paths = ["services/billing/"]
"#;

/// Two packages with interleaved commits and their releases tagged on the same commit.
fn monorepo() -> Repo {
    let mut repo = Repo::new();
    repo.commit_touching("initial import", "services/auth/main.go")
        .commit_touching("billing import", "services/billing/main.go");
    repo.tag("auth-v1.0.0").tag("billing-v2.0.0");
    repo.commit_touching("feat: auth login", "services/auth/login.go");
    repo.commit_touching("fix: billing rounding", "services/billing/round.go");
    repo.commit_touching("docs: readme", "README.md");
    repo.commit_touching("feat!: auth drops the v1 API", "services/auth/api.go");
    repo.write("bumpwise.toml", PACKAGES);
    repo
}

#[test]
fn a_package_sees_only_its_tags_and_commits() {
    let repo = monorepo();
    let auth = explain(&repo, &["--package", "auth"]);
    assert_eq!(auth.package.as_deref(), Some("auth"));
    assert_eq!(auth.base.as_ref().unwrap().tag, "auth-v1.0.0");
    let subjects: Vec<&str> = auth.commits.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["feat!: auth drops the v1 API", "feat: auth login"]
    );
    assert_eq!(auth.decision.next_tag.as_deref(), Some("auth-v2.0.0"));
    let billing = explain(&repo, &["--package", "billing"]);
    assert_eq!(billing.commits.len(), 1);
    assert_eq!(billing.decision.next_tag.as_deref(), Some("billing-v2.0.1"));
    repo.bumpwise()
        .args(["next", "--package", "billing"])
        .assert()
        .success()
        .stdout_eq("billing-v2.0.1\n");
    let notes = repo
        .bumpwise()
        .args(["changelog", "--package", "auth"])
        .output()
        .unwrap();
    let text = String::from_utf8(notes.stdout).unwrap();
    assert!(
        text.contains("auth login") && !text.contains("rounding"),
        "{text}"
    );
}

#[test]
fn every_package_at_once() {
    let repo = monorepo();
    repo.bumpwise()
        .args(["next", "--all-packages"])
        .assert()
        .success()
        .stdout_eq("auth auth-v2.0.0\nbilling billing-v2.0.1\n");
    let output = repo
        .bumpwise()
        .args(["next", "--all-packages", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = doc["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 2);
    assert_eq!(packages[0]["package"], "auth");
    assert_eq!(packages[1]["decision"]["next_tag"], "billing-v2.0.1");
    let explained = repo
        .bumpwise()
        .args(["explain", "--all-packages"])
        .output()
        .unwrap();
    let text = String::from_utf8(explained.stdout).unwrap();
    assert!(
        text.starts_with("Package auth\n") && text.contains("Package billing\n"),
        "{text}"
    );
    repo.bumpwise()
        .args(["next", "--all-packages", "--format", "github"])
        .assert()
        .code(2);
}

#[test]
fn package_mistakes_are_clear_errors() {
    let mut repo = monorepo();
    repo.bumpwise()
        .args(["next", "--package", "payments"])
        .assert()
        .code(2)
        .stderr_eq("error: no package `payments`; bumpwise.toml declares: auth, billing\n");
    repo.write(
        "bumpwise.toml",
        "[[packages]]\nname = \"auth\"\ntag_prefix = \"auth-\"\npaths = []\n",
    );
    repo.bumpwise()
        .args(["next", "--package", "auth"])
        .assert()
        .code(2)
        .stderr_eq("error: package `auth` has no paths; give e.g. paths = [\"services/auth/\"]\n");
    repo.write("bumpwise.toml", "");
    repo.bumpwise()
        .args(["next", "--all-packages"])
        .assert()
        .code(2);
}

#[test]
fn without_a_package_every_commit_counts() {
    let repo = monorepo();
    let all = explain(&repo, &["--tag-prefix", "auth-"]);
    assert_eq!(all.commits.len(), 4);
    assert_eq!(all.package, None);
}
