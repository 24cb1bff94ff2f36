//! Units released apart: a workspace member on its own version, a Go module
//! of its own below the root. Their API is their own release's, not the
//! version proposed for the root.

use crate::fixture::Repo;
use crate::json::{Report, explain};

/// A Rust workspace released at 1.2.0: the root crate `lib` and a member
/// `syntax/` whose `[package]` says `member_version`.
fn workspace(member_version: &str) -> Repo {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            (
                "Cargo.toml",
                Some(
                    "[package]\nname = \"lib\"\nversion = \"1.2.0\"\n\n[workspace]\nmembers = [\"syntax\"]\n\n[workspace.package]\nversion = \"1.2.0\"\n",
                ),
            ),
            ("src/lib.rs", Some("pub fn parse() {}\npub fn check() {}\n")),
            (
                "syntax/Cargo.toml",
                Some(&format!(
                    "[package]\nname = \"lib-syntax\"\nversion {member_version}\n"
                )),
            ),
            (
                "syntax/src/lib.rs",
                Some("pub fn tokens() {}\npub fn spans() {}\n"),
            ),
        ],
    )
    .tag("v1.2.0");
    repo
}

fn api_notes(report: &Report) -> Vec<String> {
    report.api.as_ref().expect("the API was read").notes.clone()
}

#[test]
fn a_workspace_member_on_its_own_version_is_not_the_root_releases_api() {
    let mut repo = workspace("= \"0.3.0\"");
    repo.commit_files(
        "Simplify the tokenizer",
        &[("syntax/src/lib.rs", Some("pub fn tokens() {}\n"))],
    );
    let report = explain(&repo, &[]);
    let api = report.api.as_ref().expect("the API was read");
    assert!(api.changes.is_empty(), "{:#?}", api.changes);
    assert_eq!(
        api_notes(&report),
        [
            "syntax/ is a crate released apart (version 0.3.0, the root's 1.2.0): its API is not this release's"
        ]
    );
    assert_eq!(report.commit("Simplify the tokenizer").kind, "fix");
    assert_eq!(report.decision.next_version.as_deref(), Some("1.2.1"));

    // The root crate's own API still decides.
    repo.commit_files(
        "Simplify the parser",
        &[("src/lib.rs", Some("pub fn parse() {}\n"))],
    );
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("Simplify the parser").kind, "breaking");
    assert_eq!(report.decision.next_version.as_deref(), Some("2.0.0"));
}

#[test]
fn a_member_in_lockstep_with_the_root_is_the_releases_api() {
    for version in ["= \"1.2.0\"", ".workspace = true"] {
        let mut repo = workspace(version);
        repo.commit_files(
            "Simplify the tokenizer",
            &[("syntax/src/lib.rs", Some("pub fn tokens() {}\n"))],
        );
        let report = explain(&repo, &[]);
        assert!(api_notes(&report).is_empty(), "{version}");
        assert_eq!(
            report.commit("Simplify the tokenizer").kind,
            "breaking",
            "{version}"
        );
        assert_eq!(report.decision.next_version.as_deref(), Some("2.0.0"));
    }
}

/// A Go module with a module of its own under `tools/`, released as `tag`
/// (the files `extra` written first), then a commit that removes
/// `tools/gen`'s exported `Check`.
fn tools_module(extra: &[(&str, &str)], tag: &str) -> Repo {
    let mut repo = Repo::new();
    for (path, text) in extra {
        repo.write(path, text);
    }
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/lib\n\ngo 1.21\n")),
            ("lib.go", Some("package lib\n\nfunc Load() {}\n")),
            (
                "tools/go.mod",
                Some("module example.com/lib/tools\n\ngo 1.21\n"),
            ),
            (
                "tools/gen/gen.go",
                Some("package gen\n\nfunc Gen() {}\n\nfunc Check() {}\n"),
            ),
        ],
    )
    .tag(tag);
    repo.commit_files(
        "Simplify the generator",
        &[("tools/gen/gen.go", Some("package gen\n\nfunc Gen() {}\n"))],
    );
    repo
}

#[test]
fn a_go_module_of_its_own_below_the_root_is_not_the_root_modules_api() {
    let mut repo = tools_module(&[], "v1.2.0");
    let report = explain(&repo, &[]);
    assert!(report.api.as_ref().unwrap().changes.is_empty());
    assert_eq!(
        api_notes(&report),
        ["tools/gen/ is a Go module of its own (tools/go.mod): its API is not this release's"]
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.2.1"));

    // Once the module is folded into the root's, the package is the root's API.
    repo.commit_files(
        "Fold the tools into the root module",
        &[("tools/go.mod", None)],
    )
    .tag("v1.3.0");
    repo.commit_files(
        "Simplify the generator again",
        &[("tools/gen/gen.go", Some("package gen\n\nfunc Other() {}\n"))],
    );
    let report = explain(&repo, &[]);
    assert!(api_notes(&report).is_empty());
    assert_eq!(
        report.commit("Simplify the generator again").kind,
        "breaking"
    );
}

#[test]
fn a_chosen_package_reads_its_own_crate_whatever_the_root_says() {
    let mut repo = workspace("= \"0.3.0\"");
    repo.write(
        "bumpwise.toml",
        "[[packages]]\nname = \"syntax\"\ntag_prefix = \"syntax-\"\npaths = [\"syntax/\"]\n",
    );
    repo.tag("syntax-0.3.0");
    repo.commit_files(
        "Simplify the tokenizer",
        &[("syntax/src/lib.rs", Some("pub fn tokens() {}\n"))],
    );
    let report = explain(&repo, &["--package", "syntax"]);
    assert!(api_notes(&report).is_empty());
    assert_eq!(report.commit("Simplify the tokenizer").kind, "breaking");
    // Before 1.0 the guide's policy makes a breaking change a minor.
    assert_eq!(report.decision.next_version.as_deref(), Some("0.4.0"));
}

#[test]
fn a_tag_prefix_naming_a_modules_directory_reads_that_module() {
    let repo = tools_module(
        &[("bumpwise.toml", "tag_prefix = \"tools/v\"\n")],
        "tools/v1.2.0",
    );
    let report = explain(&repo, &[]);
    assert!(api_notes(&report).is_empty(), "{:?}", api_notes(&report));
    assert_eq!(report.commit("Simplify the generator").kind, "breaking");
}

#[test]
fn a_manifest_that_is_a_directory_is_read_as_absent() {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            (
                "Cargo.toml",
                Some("[package]\nname = \"lib\"\nversion = \"1.2.0\"\n"),
            ),
            ("src/lib.rs", Some("pub fn parse() {}\n")),
            ("syntax/Cargo.toml/odd.txt", Some("not a manifest\n")),
            (
                "syntax/src/lib.rs",
                Some("pub fn tokens() {}\npub fn spans() {}\n"),
            ),
        ],
    )
    .tag("v1.2.0");
    repo.commit_files(
        "Simplify the tokenizer",
        &[("syntax/src/lib.rs", Some("pub fn tokens() {}\n"))],
    );
    // No manifest to say otherwise: the crate is the release's, as before the rule.
    let report = explain(&repo, &[]);
    assert!(api_notes(&report).is_empty(), "{:?}", api_notes(&report));
    assert_eq!(report.commit("Simplify the tokenizer").kind, "breaking");
}

/// A `go.mod` that is a symbolic link is no module file: what the link holds
/// is where it points, and bumpwise reads only regular files of a tree.
#[test]
fn a_go_mod_that_is_a_symbolic_link_makes_no_module() {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/lib\n\ngo 1.21\n")),
            ("lib.go", Some("package lib\n\nfunc Load() {}\n")),
            (
                "tools/gen/gen.go",
                Some("package gen\n\nfunc Gen() {}\n\nfunc Check() {}\n"),
            ),
        ],
    );
    repo.commit_symlink("Share the module file", "tools/go.mod", "../go.mod")
        .tag("v1.2.0");
    repo.commit_files(
        "Simplify the generator",
        &[("tools/gen/gen.go", Some("package gen\n\nfunc Gen() {}\n"))],
    );
    let report = explain(&repo, &[]);
    assert!(api_notes(&report).is_empty(), "{:?}", api_notes(&report));
    assert_eq!(report.commit("Simplify the generator").kind, "breaking");
}
