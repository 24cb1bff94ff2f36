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
    for path in [":(glob)services/**", "/services/auth/"] {
        repo.write(
            "bumpwise.toml",
            &format!(
                "[[packages]]\nname = \"auth\"\ntag_prefix = \"auth-\"\npaths = [\"{path}\"]\n"
            ),
        );
        repo.bumpwise()
            .args(["next", "--package", "auth"])
            .assert()
            .code(2)
            .stderr_eq(format!("error: package `auth`: path `{path}` is not a plain pathspec (no `:(magic)`, nothing absolute); give a path from the repository root, e.g. \"services/auth/\"\n"));
    }
    // A leading `./` means the root, as in git.
    repo.write(
        "bumpwise.toml",
        "[[packages]]\nname = \"auth\"\ntag_prefix = \"auth-\"\npaths = [\"./services/auth/\"]\n",
    );
    assert_eq!(explain(&repo, &["--package", "auth"]).commits.len(), 2);
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

/// Packages over every form of pathspec, all tagged together.
const PATHSPECS: &[(&str, &str)] = &[
    ("dir", r#"["services/auth/"]"#),
    ("dir-no-slash", r#"["services/auth"]"#),
    ("glob", r#"["libs/money/*.go"]"#),
    ("file", r#"["README.md"]"#),
    ("any-depth", r#"["*.md"]"#),
    ("middle", r#"["services/*/main.go"]"#),
    ("two", r#"["docs/", "libs/"]"#),
    ("root", r#"["."]"#),
    ("root-slash", r#"["./"]"#),
];

#[test]
fn a_package_sees_the_commits_git_log_shows_for_its_paths() {
    let mut repo = Repo::new();
    repo.commit_touching("import", "services/auth/main.go")
        .commit_touching("readme", "README.md")
        .tag("v1.0.0");
    repo.commit_touching("feat: login", "services/auth/login.go")
        .commit_touching(
            "fix: a sibling with a longer name",
            "services/authz/main.go",
        )
        .commit_touching("fix: rounding", "libs/money/round.go")
        .commit_touching(
            "test: rounding, one level down",
            "libs/money/sub/round_test.go",
        )
        .commit_touching("docs: readme", "README.md")
        .commit_touching("docs: guide", "docs/guide.md")
        .commit_touching("feat: deep inside", "services/auth/internal/deep/x.go")
        .branch("topic");
    repo.checkout("topic")
        .commit_touching("fix: on a branch", "services/billing/main.go");
    repo.checkout("main")
        .commit_touching("fix: money again", "libs/money/round.go")
        .merge("topic", "Merge topic")
        // A tree of its own: every other path is deleted.
        .commit_fresh_tree("chore: start over")
        .commit_touching("feat: back", "services/auth/main.go");
    let mut config = String::new();
    for (name, paths) in PATHSPECS {
        config.push_str(&format!(
            "[[packages]]\nname = \"{name}\"\ntag_prefix = \"\"\npaths = {paths}\n\n"
        ));
    }
    repo.write("bumpwise.toml", &config);
    let check = |repo: &Repo| {
        for (name, paths) in PATHSPECS {
            let specs: Vec<String> = serde_json::from_str(paths).unwrap();
            let mut args = vec!["--no-merges", "v1.0.0..HEAD", "--"];
            args.extend(specs.iter().map(String::as_str));
            let ours: std::collections::BTreeSet<String> = explain(repo, &["--package", name])
                .commits
                .into_iter()
                .map(|c| c.id)
                .collect();
            let git = crate::walk::rev_list(repo, &args);
            assert!(!git.is_empty(), "{name}");
            assert_eq!(ours, git, "package {name}: {paths}");
        }
    };
    check(&repo);
    // The same with the trees taken from a commit-graph.
    crate::fixture::git(repo.path(), &["commit-graph", "write", "--reachable"]);
    check(&repo);
}
