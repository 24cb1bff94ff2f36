//! API evidence: real Go packages and Rust crates in real repositories, and
//! what each commit does to their exported surface.

use crate::fixture::Repo;
use crate::json::{Report, Rule, explain};

/// A Go library released at 1.2.0: package `cfg` with a func, a type with a
/// method and fields, an interface; an internal package; no binary.
fn go_library() -> Repo {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/lib\n")),
            (
                "cfg/cfg.go",
                Some(
                    "package cfg\n\n// Load reads a file.\nfunc Load(path string) (*Config, error) { return nil, nil }\n\ntype Config struct {\n\tPath string\n\tRetries int\n\tcache map[string]string\n}\n\nfunc (c *Config) Validate() error { return nil }\n\ntype Handler interface {\n\tOnReady() error\n}\n",
                ),
            ),
            ("internal/x/x.go", Some("package x\n\nfunc Helper() {}\n")),
        ],
    )
    .tag("v1.2.0");
    repo
}

/// `cfg/cfg.go` of [`go_library`] without `Load`.
const WITHOUT_LOAD: &str = "package cfg\n\ntype Config struct {\n\tPath string\n\tRetries int\n}\n\nfunc (c *Config) Validate() error { return nil }\n\ntype Handler interface {\n\tOnReady() error\n}\n";

/// The API change of `report` named `name`.
fn change<'r>(report: &'r Report, name: &str) -> &'r crate::json::ApiChange {
    let api = report.api.as_ref().expect("the API was read");
    api.changes
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no API change {name} in {:#?}", api.changes))
}

fn names(report: &Report) -> Vec<String> {
    let api = report.api.as_ref().expect("the API was read");
    api.changes
        .iter()
        .map(|c| format!("{} {}", c.change, c.name))
        .collect()
}

#[test]
fn a_fix_that_removes_an_exported_func_is_breaking_with_a_warning() {
    let mut repo = go_library();
    repo.commit_files(
        "fix: drop the old loader",
        &[("cfg/cfg.go", Some(WITHOUT_LOAD))],
    );
    let report = explain(&repo, &[]);
    let c = report.commit("fix: drop the old loader");
    assert_eq!(c.kind, "breaking");
    assert!(
        matches!(&c.rule, Rule::Api { change, item, message, .. }
            if change == "removed" && item == "removed go func cfg.Load" && message == "fix"),
        "{:?}",
        c.rule
    );
    assert_eq!(c.breaking.as_deref(), Some("removed go func cfg.Load"));
    // The module path `example.com/lib` cannot release v2: the minor, with the break named.
    assert_eq!(report.decision.next_version.as_deref(), Some("1.3.0"));
    let module = report.go_module.as_ref().expect("a Go module");
    assert_eq!(module.rule.as_deref(), Some("capped"));
    assert_eq!(module.wanted.as_deref(), Some("2.0.0"));
    let load = change(&report, "cfg.Load");
    assert_eq!(load.commit.as_deref(), Some(c.id.as_str()));
    assert_eq!(
        load.before.as_deref(),
        Some("func(string) (*Config, error)")
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("removed go func cfg.Load") && w.contains("its message said fix")),
        "{:?}",
        report.warnings
    );
    // The text names it too, and `--api` lists the signature.
    let text = repo.stdout_of(&["explain", "--api"]);
    assert!(text.contains("func(string) (*Config, error)"), "{text}");
    let without = explain(&repo, &["--no-api"]);
    assert!(without.api.is_none());
    assert_eq!(without.decision.next_version.as_deref(), Some("1.2.1"));
}

#[test]
fn additions_are_features_and_changed_signatures_methods_and_fields_break() {
    let mut repo = go_library();
    repo.commit_files(
        "Tweak the loader",
        &[(
            "cfg/extra.go",
            Some("package cfg\n\n// LoadAll reads many.\nfunc LoadAll(paths ...string) error { return nil }\n"),
        )],
    );
    let report = explain(&repo, &[]);
    let c = report.commit("Tweak the loader");
    assert_eq!(c.kind, "feature", "{c:?}");
    assert_eq!(names(&report), ["added cfg.LoadAll"]);
    assert_eq!(
        change(&report, "cfg.LoadAll").after.as_deref(),
        Some("func(...string) error")
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.3.0"));

    repo.commit_files(
        "Improve validation",
        &[(
            "cfg/cfg.go",
            Some("package cfg\n\nfunc Load(path string, strict bool) (*Config, error) { return nil, nil }\n\ntype Config struct {\n\tPath string\n}\n\nfunc (c Config) Validate() error { return nil }\n\ntype Handler interface {\n\tOnReady() error\n\tOnStop()\n}\n"),
        )],
    );
    let report = explain(&repo, &[]);
    assert_eq!(
        names(&report),
        [
            "changed cfg.Config.Retries",
            "changed cfg.Handler",
            "added cfg.Handler.OnStop",
            "changed cfg.Load",
            "added cfg.LoadAll",
        ]
        .map(|n| n.replace("changed cfg.Config.Retries", "removed cfg.Config.Retries"))
    );
    // `Validate` moved from a pointer receiver to a value receiver: the value
    // method is in both method sets, so nothing breaks (Go's method-set rule).
    assert!(!names(&report).iter().any(|n| n.contains("Validate")));
    assert_eq!(report.commit("Improve validation").kind, "breaking");
    // A v1 module without `/v2` in its path: the largest release it can make.
    assert_eq!(report.decision.next_version.as_deref(), Some("1.3.0"));
}

#[test]
fn internal_main_test_and_generated_files_give_no_api() {
    let mut repo = go_library();
    repo.commit_files(
        "Clean up",
        &[
            ("internal/x/x.go", Some("package x\n")),
            ("cmd/tool/main.go", Some("package main\n\nfunc Run() {}\n")),
            ("cfg/cfg_test.go", Some("package cfg\n\nfunc TestX() {}\n")),
            (
                "cfg/zz_generated.go",
                Some("// Code generated by deepcopy-gen. DO NOT EDIT.\n\npackage cfg\n\nfunc DeepCopy() {}\n"),
            ),
        ],
    );
    let report = explain(&repo, &[]);
    assert!(names(&report).is_empty(), "{:?}", names(&report));
    assert!(!matches!(report.commit("Clean up").rule, Rule::Api { .. }));
}

#[test]
fn what_the_range_adds_and_removes_again_counts_for_nothing() {
    let mut repo = go_library();
    repo.commit_files(
        "Tweak the loader",
        &[("cfg/tmp.go", Some("package cfg\n\nfunc Tmp() {}\n"))],
    )
    .commit_files("Tidy up", &[("cfg/tmp.go", None)]);
    let report = explain(&repo, &[]);
    assert!(names(&report).is_empty(), "{:?}", names(&report));
    assert_eq!(report.decision.next_version.as_deref(), Some("1.2.1"));
    // Moving an item between files of one package changes nothing either.
    repo.commit_files(
        "Move the handler",
        &[
            (
                "cfg/cfg.go",
                Some("package cfg\n\nfunc Load(path string) (*Config, error) { return nil, nil }\n\ntype Config struct {\n\tPath string\n\tRetries int\n}\n\nfunc (c *Config) Validate() error { return nil }\n"),
            ),
            ("cfg/handler.go", Some("package cfg\n\ntype Handler interface {\n\t// OnReady is called once.\n\tOnReady() error\n}\n")),
        ],
    );
    let report = explain(&repo, &[]);
    assert!(names(&report).is_empty(), "{:?}", names(&report));
}

#[test]
fn a_file_that_does_not_parse_gives_no_evidence_and_a_note() {
    let mut repo = go_library();
    repo.commit_files(
        "Work in progress",
        &[(
            "cfg/cfg.go",
            Some("package cfg\n\nfunc Load(path string {\n"),
        )],
    );
    let report = explain(&repo, &[]);
    let api = report.api.as_ref().unwrap();
    assert!(api.changes.is_empty(), "{:?}", api.changes);
    assert_eq!(
        api.notes,
        ["cfg/cfg.go does not parse: no API evidence from cfg/"]
    );
    assert_eq!(api.files_changed, 1);
    assert_ne!(report.commit("Work in progress").kind, "breaking");
    let text = repo.stdout_of(&["explain", "--api"]);
    assert!(text.contains("cfg/cfg.go does not parse"), "{text}");
}

#[test]
fn a_keyword_feature_that_adds_nothing_to_a_library_is_a_fix_but_feat_is_not_lowered() {
    let mut repo = go_library();
    repo.commit_files(
        "Added retries to the loader",
        &[(
            "cfg/cfg.go",
            Some("package cfg\n\n// Load reads a file, retrying.\nfunc Load(path string) (*Config, error) { return nil, nil }\n\ntype Config struct {\n\tPath string\n\tRetries int\n\tcache map[string]string\n}\n\nfunc (c *Config) Validate() error { return nil }\n\ntype Handler interface {\n\tOnReady() error\n}\n"),
        )],
    );
    let report = explain(&repo, &[]);
    let c = report.commit("Added retries to the loader");
    assert_eq!(c.kind, "fix");
    assert!(
        matches!(&c.rule, Rule::ApiUnchanged { word, removal: false } if word == "Added"),
        "{:?}",
        c.rule
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.2.1"));
    // `next` in text judges it in its own pass, and agrees.
    assert_eq!(repo.stdout_of(&["next"]).trim(), "v1.2.1");
    repo.commit_files(
        "feat: retry forever",
        &[("cfg/cfg.go", Some("package cfg\n\n// Load reads a file, retrying forever.\nfunc Load(path string) (*Config, error) { return nil, nil }\n\ntype Config struct {\n\tPath string\n\tRetries int\n}\n\nfunc (c *Config) Validate() error { return nil }\n\ntype Handler interface {\n\tOnReady() error\n}\n"))],
    );
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("feat: retry forever").kind, "feature");
    // `next` in text reads as little as it can, and agrees.
    assert_eq!(repo.stdout_of(&["next"]).trim(), "v1.3.0");
}

#[test]
fn a_keyword_removal_that_removes_nothing_exported_is_a_fix_but_dropped_support_is_not() {
    let mut repo = go_library();
    // An unexported field goes: nothing any importer could have used.
    repo.commit_files(
        "Remove the response cache",
        &[("cfg/cfg.go", Some("package cfg\n\n// Load reads a file.\nfunc Load(path string) (*Config, error) { return nil, nil }\n\ntype Config struct {\n\tPath string\n\tRetries int\n}\n\nfunc (c *Config) Validate() error { return nil }\n\ntype Handler interface {\n\tOnReady() error\n}\n"))],
    );
    let report = explain(&repo, &[]);
    let c = report.commit("Remove the response cache");
    assert_eq!(c.kind, "fix");
    assert!(
        matches!(&c.rule, Rule::ApiUnchanged { word, removal: true } if word == "Remove"),
        "{:?}",
        c.rule
    );
    assert!(!c.possibly_breaking);
    assert!(
        !report
            .warnings
            .iter()
            .any(|w| w.contains("may be breaking")),
        "{:?}",
        report.warnings
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.2.1"));
    assert_eq!(repo.stdout_of(&["next"]).trim(), "v1.2.1");
    // Support taken away is not in any signature: it stays a possibly breaking feature.
    repo.commit_files(
        "Drop support for Go < 1.7",
        &[(
            "internal/x/x.go",
            Some("package x\n\n// Helper helps.\nfunc Helper() {}\n"),
        )],
    );
    let report = explain(&repo, &[]);
    let c = report.commit("Drop support for Go < 1.7");
    assert_eq!(c.kind, "feature");
    assert!(c.possibly_breaking);
    assert_eq!(report.decision.next_version.as_deref(), Some("1.3.0"));
    assert_eq!(repo.stdout_of(&["next"]).trim(), "v1.3.0");
    // A removal of an exported item is the API's break, whatever the keyword.
    repo.commit_files("Remove Load", &[("cfg/cfg.go", Some(WITHOUT_LOAD))]);
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("Remove Load").kind, "breaking");
}

#[test]
fn a_keyword_feature_in_a_main_package_stays_a_feature() {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[("cmd/tool/main.go", Some("package main\n\nfunc main() {}\n"))],
    )
    .tag("v0.3.0")
    .commit_files(
        "Add a --verbose flag",
        &[(
            "cmd/tool/main.go",
            Some("package main\n\nfunc main() { verbose() }\n"),
        )],
    );
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("Add a --verbose flag").kind, "feature");
    assert_eq!(repo.stdout_of(&["next"]).trim(), "v0.4.0");
}

#[test]
fn beside_a_go_binary_a_message_stands_against_its_packages_with_a_warning() {
    let mut repo = go_library();
    repo.commit_files(
        "Add the tool",
        &[("cmd/tool/main.go", Some("package main\n\nfunc main() {}\n"))],
    )
    .tag("v1.3.0")
    .commit_files(
        "fix: drop the old loader",
        &[("cfg/cfg.go", Some(WITHOUT_LOAD))],
    );
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("fix: drop the old loader").kind, "fix");
    assert_eq!(report.api.as_ref().unwrap().rust_binaries, Some(true));
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("ships a binary") && w.contains("bumpwise mark")),
        "{:?}",
        report.warnings
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.3.1"));
    // The same change in a library without a binary is breaking (the module path caps it).
    let mut library = go_library();
    library.tag("v1.3.0").commit_files(
        "fix: drop the old loader",
        &[("cfg/cfg.go", Some(WITHOUT_LOAD))],
    );
    let report = explain(&library, &[]);
    assert_eq!(report.commit("fix: drop the old loader").kind, "breaking");
}

#[test]
fn beside_a_rust_binary_an_explicit_message_stands_against_its_library_with_a_warning() {
    let mut repo = rust_library();
    repo.commit_files(
        "Add the binary",
        &[("src/main.rs", Some("fn main() {}\n"))],
    )
    .tag("v0.5.0")
    .commit_files(
        "fix: parse strictly",
        &[(
            "src/lib.rs",
            Some("pub mod config;\nmod private;\n\npub fn parse(input: &str, strict: bool) -> Result<u32, String> { Ok(0) }\n\npub struct Options {\n    pub depth: u32,\n    secret: bool,\n}\n\nimpl Options {\n    pub fn new() -> Self { todo!() }\n}\n"),
        )],
    )
    .commit_files(
        "Tidy the parser",
        &[("src/config.rs", Some("pub enum Format { Toml }\n"))],
    )
    .commit_files(
        "Fix the options' defaults",
        &[(
            "src/lib.rs",
            Some("pub mod config;\nmod private;\n\npub fn parse(input: &str, strict: bool) -> Result<u32, String> { Ok(0) }\n\npub struct Options {\n    pub depth: u64,\n    secret: bool,\n}\n\nimpl Options {\n    pub fn new() -> Self { todo!() }\n}\n"),
        )],
    );
    let report = explain(&repo, &[]);
    // A keyword message stands too (a field's type changed), and so does a message no rule reads.
    let keyword = report.commit("Fix the options' defaults");
    assert_eq!(
        (keyword.kind.as_str(), keyword.api.len()),
        ("fix", 1),
        "{keyword:?}"
    );
    let c = report.commit("fix: parse strictly");
    assert_eq!(c.kind, "fix");
    assert_eq!(c.api.len(), 1);
    assert_eq!(report.api.as_ref().unwrap().rust_binaries, Some(true));
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("changed rust fn crate::parse")
                && w.contains("so the commit stays a fix")
                && w.contains("bumpwise mark")),
        "{:?}",
        report.warnings
    );
    assert_eq!(report.commit("Tidy the parser").kind, "fix");
    assert_eq!(report.decision.next_version.as_deref(), Some("0.5.1"));
}

#[test]
fn api_settings_turn_languages_and_paths_off() {
    let mut repo = go_library();
    repo.commit_files(
        "Tweak the loader",
        &[("cfg/extra.go", Some("package cfg\n\nfunc LoadAll() {}\n"))],
    );
    repo.write("bumpwise.toml", "[api]\nignore = [\"cfg/extra.go\"]\n");
    assert!(names(&explain(&repo, &[])).is_empty());
    repo.write("bumpwise.toml", "[api]\ngo = false\n");
    assert!(names(&explain(&repo, &[])).is_empty());
    repo.write("bumpwise.toml", "[api]\nenabled = false\n");
    assert!(explain(&repo, &[]).api.is_none());
    repo.write("bumpwise.toml", "[api]\nignore = [\"a[\"]\n");
    let out = repo.bumpwise().args(["next"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("[api] ignore: `a[` is not a valid glob"),
        "{stderr}"
    );
}

/// A Rust library crate released at 0.4.0: a pub module in its own file,
/// a private module, and a struct with a method and a pub field.
fn rust_library() -> Repo {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("Cargo.toml", Some("[package]\nname = \"lib\"\nversion = \"0.4.0\"\n")),
            (
                "src/lib.rs",
                Some("pub mod config;\nmod private;\n\n/// Parses.\npub fn parse(input: &str) -> Result<u32, String> { Ok(0) }\n\npub struct Options {\n    pub depth: u32,\n    secret: bool,\n}\n\nimpl Options {\n    pub fn new() -> Self { todo!() }\n}\n"),
            ),
            ("src/config.rs", Some("pub enum Format { Toml, Yaml }\n")),
            ("src/private.rs", Some("pub fn helper() {}\n")),
            ("tests/it.rs", Some("#[test]\nfn t() {}\n")),
        ],
    )
    .tag("v0.4.0");
    repo
}

#[test]
fn rust_removals_additions_signatures_methods_fields_and_modules() {
    let mut repo = rust_library();
    repo.commit_files(
        "Simplify parsing",
        &[
            (
                "src/lib.rs",
                Some("pub mod config;\nmod private;\n\npub fn parse(input: &str, strict: bool) -> Result<u32, String> { Ok(0) }\n\npub struct Options {\n    secret: bool,\n}\n\nimpl Options {\n    pub fn new() -> Self { todo!() }\n    pub fn strict() -> Self { todo!() }\n}\n"),
            ),
            ("src/config.rs", Some("pub enum Format { Toml, Yaml, Json }\n\npub const DEFAULT: Format = Format::Toml;\n")),
            ("src/private.rs", Some("pub fn helper() {}\npub fn other() {}\n")),
            ("tests/it.rs", Some("#[test]\nfn t2() {}\n")),
        ],
    );
    let report = explain(&repo, &[]);
    assert_eq!(
        names(&report),
        [
            "removed crate::Options.depth",
            "added crate::Options::strict",
            "added crate::config::DEFAULT",
            "changed crate::config::Format",
            "added crate::config::Format::Json",
            "changed crate::parse",
        ]
    );
    assert_eq!(
        change(&report, "crate::parse").after.as_deref(),
        Some("fn(&str, bool) -> Result<u32, String>")
    );
    let c = report.commit("Simplify parsing");
    assert_eq!(c.kind, "breaking");
    // Before 1.0 the guide's policy makes a breaking change a minor.
    assert_eq!(report.decision.next_version.as_deref(), Some("0.5.0"));
}

#[test]
fn a_rust_package_without_a_library_has_no_api() {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[("src/main.rs", Some("pub fn run() {}\nfn main() {}\n"))],
    )
    .tag("v1.0.0")
    .commit_files("Fixed startup", &[("src/main.rs", Some("fn main() {}\n"))]);
    let report = explain(&repo, &[]);
    assert!(names(&report).is_empty());
    assert_eq!(report.decision.next_version.as_deref(), Some("1.0.1"));
}

#[test]
fn a_rust_impl_moved_into_a_macro_call_is_not_read_as_removed() {
    let mut repo = rust_library();
    let lib = |impls: &str| {
        format!(
            "pub struct Values;\n\nmacro_rules! delegate {{\n    ($name:ident) => {{ impl Iterator for $name {{ type Item = u8; fn next(&mut self) -> Option<u8> {{ None }} }} }};\n}}\n\n{impls}\n"
        )
    };
    repo.commit_files(
        "Add values",
        &[("src/values.rs", Some(&lib("impl Iterator for Values {\n    type Item = u8;\n    fn next(&mut self) -> Option<u8> { None }\n}\n")))],
    );
    repo.commit_files(
        "Wire values in",
        &[("src/lib.rs", Some("pub mod config;\npub mod values;\nmod private;\n\n/// Parses.\npub fn parse(input: &str) -> Result<u32, String> { Ok(0) }\n\npub struct Options {\n    pub depth: u32,\n    secret: bool,\n}\n\nimpl Options {\n    pub fn new() -> Self { todo!() }\n}\n"))],
    )
    .tag("v0.5.0");
    repo.commit_files(
        "Share the iterator impls",
        &[("src/values.rs", Some(&lib("delegate!(Values);")))],
    );
    let report = explain(&repo, &[]);
    let api = report.api.as_ref().expect("the API was read");
    assert!(
        !api.changes.iter().any(|c| c.change == "removed"),
        "{:?}",
        api.changes
    );
    assert_ne!(report.commit("Share the iterator impls").kind, "breaking");
    // A hand-written impl removed with no macro call naming the type is a break.
    let hand = "impl Iterator for Values {\n    type Item = u8;\n    fn next(&mut self) -> Option<u8> { None }\n}\n";
    repo.commit_files("Write the impl out", &[("src/values.rs", Some(&lib(hand)))])
        .tag("v0.5.1");
    repo.commit_files("Drop the iterator", &[("src/values.rs", Some(&lib("")))]);
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("Drop the iterator").kind, "breaking");
}

#[test]
fn rust_files_that_do_not_parse_or_are_generated_give_no_evidence() {
    let mut repo = rust_library();
    repo.commit_files(
        "Work in progress",
        &[("src/config.rs", Some("pub enum Format { Toml,, \n"))],
    );
    let report = explain(&repo, &[]);
    let api = report.api.as_ref().unwrap();
    assert!(api.changes.is_empty(), "{:?}", api.changes);
    assert_eq!(
        api.notes,
        ["src/config.rs does not parse: no API evidence from the crate at the root"]
    );
    repo.commit_files(
        "Regenerate",
        &[(
            "src/config.rs",
            Some("// @generated by build.rs\npub struct Other;\n"),
        )],
    );
    let report = explain(&repo, &[]);
    // The generated module is read as empty at HEAD: its items are not evidence either way.
    assert!(
        names(&report).iter().all(|n| !n.contains("Other")),
        "{:?}",
        names(&report)
    );
}

#[test]
fn the_changelog_reads_the_api_as_next_does() {
    let mut repo = go_library();
    repo.commit_files("Fix the loader", &[("cfg/cfg.go", Some(WITHOUT_LOAD))]);
    let breaking = "### Breaking changes\n\n- Fix the loader: removed go func cfg.Load";
    for args in [
        &["changelog"][..],
        &["changelog", "--from", "v1.2.0"],
        &["changelog", "--all"],
    ] {
        let notes = repo.stdout_of(args);
        assert!(notes.contains(breaking), "{args:?}:\n{notes}");
    }
    repo.tag("v2.0.0");
    let notes = repo.stdout_of(&["changelog", "--latest"]);
    assert!(
        notes.starts_with("## [2.0.0]") && notes.contains(breaking),
        "{notes}"
    );
    let without = repo.stdout_of(&["changelog", "--all", "--no-api"]);
    assert!(!without.contains("### Breaking changes"), "{without}");
}

#[test]
fn a_rust_item_added_and_removed_inside_the_range_counts_for_nothing() {
    let mut repo = rust_library();
    repo.commit_files(
        "Try a helper",
        &[(
            "src/config.rs",
            Some("pub enum Format { Toml, Yaml }\n\npub fn guess() {}\n"),
        )],
    )
    .commit_files(
        "Drop the helper",
        &[("src/config.rs", Some("pub enum Format { Toml, Yaml }\n"))],
    );
    let report = explain(&repo, &[]);
    assert!(names(&report).is_empty(), "{:?}", names(&report));
    assert_ne!(report.commit("Drop the helper").kind, "breaking");
}

#[test]
fn an_addition_never_raises_an_explicit_message_but_raises_one_no_rule_reads() {
    // Declared beats inferred: a `fix:` that adds a field to the API stays a
    // fix (the addition is still reported); an unlabelled commit that adds
    // one is a feature.
    let with_field = "package cfg\n\n// Load reads a file.\nfunc Load(path string) (*Config, error) { return nil, nil }\n\ntype Config struct {\n\tPath string\n\tRetries int\n\tAbbrev int\n\tcache map[string]string\n}\n\nfunc (c *Config) Validate() error { return nil }\n\ntype Handler interface {\n\tOnReady() error\n}\n";
    let mut repo = go_library();
    repo.commit_files(
        "fix: guard the commit abbrev",
        &[("cfg/cfg.go", Some(with_field))],
    );
    let report = explain(&repo, &[]);
    let c = report.commit("fix: guard the commit abbrev");
    assert_eq!(c.kind, "fix", "{c:?}");
    assert_eq!(change(&report, "cfg.Config.Abbrev").change, "added");
    assert_eq!(report.decision.next_version.as_deref(), Some("1.2.1"));

    let mut repo = go_library();
    repo.commit_files(
        "Guard the commit abbrev",
        &[("cfg/cfg.go", Some(with_field))],
    );
    let report = explain(&repo, &[]);
    assert_eq!(report.commit("Guard the commit abbrev").kind, "feature");
    assert_eq!(report.decision.next_version.as_deref(), Some("1.3.0"));
}

#[test]
fn a_file_past_the_size_limit_is_said_to_be_skipped_not_unparsable() {
    let mut repo = go_library();
    // Valid Go, padded past 1 MiB with a comment: read whole, it would parse.
    let padded = format!(
        "package cfg\n\n// {}\nfunc Load(path string) error {{ return nil }}\n",
        "x".repeat(1 << 20)
    );
    repo.commit_files("Add a loader", &[("cfg/cfg.go", Some(&padded))]);
    let report = explain(&repo, &[]);
    let api = report.api.as_ref().unwrap();
    assert_eq!(
        api.notes,
        ["cfg/cfg.go is larger than 1 MiB, skipped: no API evidence from cfg/"]
    );
}

/// The same file changes, committed once with messages whose paths are read
/// (what the API needs is then kept from that comparison) and once with
/// explicit breaking messages (whose paths are not read: the API pass
/// compares the trees itself). Both give each API change the same commit.
#[test]
fn api_kept_from_the_path_comparison_is_attributed_as_a_comparison_of_the_trees_is() {
    let steps: [&[(&str, Option<&str>)]; 5] = [
        // Two packages at once; a file of one package moves an item to another file.
        &[
            (
                "a/one.go",
                Some("package a\n\nfunc Moved() {}\n\nfunc Kept() {}\n"),
            ),
            ("b/b.go", Some("package b\n\nfunc B() {}\n")),
        ],
        &[
            ("a/one.go", Some("package a\n\nfunc Kept() {}\n")),
            ("a/two.go", Some("package a\n\nfunc Moved() {}\n")),
        ],
        // Added, then removed again; a signature changed.
        &[(
            "b/b.go",
            Some("package b\n\nfunc B(n int) {}\n\nfunc Gone() {}\n"),
        )],
        &[("b/b.go", Some("package b\n\nfunc B(n int) {}\n"))],
        // A file that does not parse, beside a change that does.
        &[
            ("c/c.go", Some("package c\n\nfunc (( {\n")),
            (
                "a/two.go",
                Some("package a\n\nfunc Moved() error { return nil }\n"),
            ),
        ],
    ];
    let attributed = |subject: &dyn Fn(usize) -> String| {
        let mut repo = Repo::new();
        repo.commit_files(
            "Initial import",
            &[
                ("go.mod", Some("module example.com/lib\n")),
                ("b/b.go", Some("package b\n\nfunc B() {}\n")),
            ],
        )
        .tag("v1.0.0");
        for (n, files) in steps.iter().enumerate() {
            repo.commit_files(&subject(n), files);
        }
        let report = explain(&repo, &[]);
        let at = |id: &str| report.commits.iter().position(|c| c.id == id);
        let api = report.api.expect("the API was read");
        let changes: Vec<(String, String, Option<usize>)> = api
            .changes
            .iter()
            .map(|c| {
                (
                    c.change.clone(),
                    c.name.clone(),
                    c.commit.as_deref().and_then(at),
                )
            })
            .collect();
        (changes, api.notes)
    };
    let kept = attributed(&|n| format!("Change number {n}"));
    let compared = attributed(&|n| format!("feat!: change number {n}"));
    assert_eq!(kept, compared);
    // Newest first: the last step is commit 0. What a package the range made
    // holds is added by the commit that first wrote it, wherever it moved since.
    let expected = [
        ("added", "a.Kept", Some(4)),
        ("added", "a.Moved", Some(4)),
        ("changed", "b.B", Some(2)),
    ]
    .map(|(c, n, at)| (c.to_string(), n.to_string(), at));
    assert_eq!(kept.0, expected);
    assert_eq!(kept.1, ["c/c.go does not parse: no API evidence from c/"]);
}

#[test]
fn an_item_moved_behind_a_glob_reexport_is_not_removed_but_one_gone_without_a_glob_is() {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            (
                "Cargo.toml",
                Some("[package]\nname = \"lib\"\nversion = \"1.0.0\"\n"),
            ),
            (
                "src/lib.rs",
                Some("mod inner;\nmod old;\npub use inner::{Thing, make};\npub use old::*;\n"),
            ),
            (
                "src/inner.rs",
                Some("pub struct Thing;\npub fn make() {}\n"),
            ),
            ("src/old.rs", Some("pub fn legacy() {}\n")),
        ],
    )
    .tag("v1.0.0");
    // Named re-exports turned into globs, one glob replaced by another: nothing known to be gone or new.
    repo.commit_files(
        "Tidy the module layout",
        &[
            (
                "src/lib.rs",
                Some("mod inner;\nmod legacy;\npub use inner::*;\npub use legacy::*;\n"),
            ),
            ("src/legacy.rs", Some("pub fn legacy() {}\n")),
            ("src/old.rs", None),
        ],
    );
    let report = explain(&repo, &[]);
    assert!(
        report.api.as_ref().unwrap().changes.is_empty(),
        "{:?}",
        names(&report)
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.0.1"));
    repo.tag("v1.0.1");
    // A named re-export gone from a module without a glob is removed.
    repo.commit_files(
        "Tidy the module layout again",
        &[(
            "src/lib.rs",
            Some("mod inner;\npub mod parts { pub use crate::inner::Thing; }\n"),
        )],
    );
    let report = explain(&repo, &[]);
    assert!(
        names(&report).contains(&"removed crate::inner::*".to_string()),
        "{:?}",
        names(&report)
    );
    assert_eq!(
        report.commit("Tidy the module layout again").kind,
        "breaking"
    );
}

/// Past a few dozen changed Go files the net comparison parses them on two
/// threads (`parse_ahead`): what it finds is what one thread finds.
#[test]
fn many_changed_go_files_read_on_two_threads_give_every_change() {
    let mut repo = Repo::new();
    let files = |removed: Option<usize>, marker: &str| -> Vec<(String, String)> {
        (0..40)
            .map(|i| {
                let body = match removed {
                    Some(r) if r == i => {
                        format!("package many\n\n// {marker}\nfunc helper{i}() {{}}\n")
                    }
                    _ => format!(
                        "package many\n\n// {marker}\nfunc F{i}(n int) int {{ return n }}\n"
                    ),
                };
                (format!("many/f{i:02}.go"), body)
            })
            .collect()
    };
    let write =
        |repo: &mut Repo, message: &str, files: &[(String, String)], extra: &[(&str, &str)]| {
            let mut all: Vec<(&str, Option<&str>)> = files
                .iter()
                .map(|(p, b)| (p.as_str(), Some(b.as_str())))
                .collect();
            all.extend(extra.iter().map(|(p, b)| (*p, Some(*b))));
            repo.commit_files(message, &all);
        };
    let first = files(None, "first");
    write(
        &mut repo,
        "Initial import",
        &first,
        &[("go.mod", "module example.com/many\n")],
    );
    repo.tag("v0.3.0");
    let second = files(Some(7), "second");
    write(
        &mut repo,
        "Reword every comment",
        &second,
        &[("many/g.go", "package many\n\nfunc G() {}\n")],
    );
    let report = explain(&repo, &[]);
    assert_eq!(names(&report), ["removed many.F7", "added many.G"]);
    assert_eq!(report.decision.next_version.as_deref(), Some("0.4.0"));
    // `next` (the version alone, read the same way) agrees.
    let next = repo.stdout_of(&["next"]);
    assert_eq!(next.trim(), "v0.4.0", "{next}");
}

#[test]
fn a_long_walk_parsed_ahead_in_windows_gives_each_change_its_commit() {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/lib\n")),
            ("a/base.go", Some("package a\n\nfunc Base() {}\n")),
        ],
    )
    .tag("v1.0.0");
    let file = |k: usize, n: usize, late: bool| {
        let signature = if k == 2 && n >= 60 { "n int" } else { "" };
        let late = if late { "\nfunc Late() {}\n" } else { "" };
        format!("package a\n\n// F{k} at step {n}.\nfunc F{k}({signature}) {{}}\n{late}")
    };
    let start: Vec<(String, String)> = (0..5)
        .map(|k| (format!("a/f{k}.go"), file(k, 0, false)))
        .collect();
    let start: Vec<(&str, Option<&str>)> = start
        .iter()
        .map(|(p, b)| (p.as_str(), Some(b.as_str())))
        .collect();
    repo.commit_files("Start the a package", &start);
    // 120 rewrites of one file each, newest last: F2 takes a count from step 60, Late is added at step 100.
    for n in 1..=120 {
        let k = n % 5;
        let subject = match n {
            100 => "Add Late".to_string(),
            _ => format!("Reword file {k} at step {n}"),
        };
        let late = k == 3 && n >= 100 || n == 100;
        let (k, body) = if n == 100 {
            (3, file(3, n, true))
        } else {
            (k, file(k, n, late))
        };
        repo.commit_files(&subject, &[(&format!("a/f{k}.go"), Some(&body))]);
    }
    let report = explain(&repo, &[]);
    let subject = |name: &str| {
        let id = change(&report, name).commit.clone().expect("attributed");
        report
            .commits
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.subject.clone())
    };
    for k in 0..5 {
        assert_eq!(
            subject(&format!("a.F{k}")).as_deref(),
            Some("Start the a package")
        );
    }
    assert_eq!(subject("a.Late").as_deref(), Some("Add Late"));
    assert_eq!(
        names(&report),
        [
            "added a.F0",
            "added a.F1",
            "added a.F2",
            "added a.F3",
            "added a.F4",
            "added a.Late"
        ]
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("1.1.0"));
}

#[test]
fn comment_and_spacing_edits_between_changes_leave_each_change_with_its_commit() {
    let mut repo = Repo::new();
    let file = |doc: &str, gap: &str, signature: &str, body: &str| {
        format!("package a\n\n// {doc}\nfunc F({signature}){gap}{{ {body} }}\n\nfunc G() {{}}\n")
    };
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/lib\n")),
            ("a/a.go", Some(&file("F runs.", " ", "", ""))),
        ],
    )
    .tag("v1.0.0");
    // Newest last: a reworded comment, the change, a respaced file, a body with
    // a syntax error (its parse stands for nothing), a reworded comment again.
    for (subject, body) in [
        ("Reword the doc of F", file("F runs, now.", " ", "", "")),
        ("Give F a count", file("F runs, now.", " ", "n int", "")),
        ("Respace a.go", file("F runs, now.", "  ", "n int", "")),
        (
            "Try something in F",
            file("F runs, now.", "  ", "n int", "x := @"),
        ),
        (
            "Reword the doc of F again",
            file("F runs.", "  ", "n int", "x := @"),
        ),
    ] {
        repo.commit_files(subject, &[("a/a.go", Some(&body))]);
    }
    let report = explain(&repo, &[]);
    assert_eq!(names(&report), ["changed a.F"]);
    let id = change(&report, "a.F").commit.clone().expect("attributed");
    let made = report.commits.iter().find(|c| c.id == id);
    assert_eq!(made.map(|c| c.subject.as_str()), Some("Give F a count"));
    assert_eq!(change(&report, "a.F").after.as_deref(), Some("func(int)"));
}

/// Where every commit's paths are read, the workers read the API ahead for
/// the release the walk tries first. Here that release (1.1.0, on a side
/// branch, with `B` and `S` already) is not HEAD's: the range runs from
/// 1.0.0, where `B` is new. What was read ahead for the other range (where
/// the commit that added `B` and `E` added `E` only, and no commit removed
/// `S`, so every commit was read ahead) must not stand for this one: `B`
/// still goes to the commit that added it. (No subject is a keyword feature:
/// those are read in full on the workers, for lowering.)
#[test]
fn parts_read_ahead_for_a_release_head_does_not_contain_are_not_used() {
    let mut repo = Repo::new();
    let file = |items: &[&str]| {
        let funcs: String = items.iter().map(|f| format!("func {f}() {{}}\n")).collect();
        format!("package a\n\n{funcs}")
    };
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/lib\n")),
            ("a/a.go", Some(&file(&["A"]))),
        ],
    )
    .tag("v1.0.0")
    .branch("side")
    .checkout("side")
    .commit_files(
        "Add B and S on the side",
        &[("a/a.go", Some(&file(&["A", "B", "S"])))],
    )
    .tag("v1.1.0");
    repo.checkout("main");
    for (subject, items) in [
        ("Step one", &["A", "B", "E"][..]),
        ("Step two", &["A", "B", "C", "E"]),
        ("Step three", &["A", "B", "C", "D", "E"]),
    ] {
        repo.commit_files(subject, &[("a/a.go", Some(&file(items)))]);
    }
    let report = explain(&repo, &[]);
    assert_eq!(report.base.as_ref().map(|b| b.tag.as_str()), Some("v1.0.0"));
    assert_eq!(
        names(&report),
        ["added a.B", "added a.C", "added a.D", "added a.E"]
    );
    let made = [
        ("a.B", "Step one"),
        ("a.C", "Step two"),
        ("a.D", "Step three"),
        ("a.E", "Step one"),
    ];
    for (name, subject) in made {
        let id = change(&report, name).commit.clone();
        let made = report.commits.iter().find(|c| Some(&c.id) == id.as_ref());
        assert_eq!(made.map(|c| c.subject.as_str()), Some(subject), "{name}");
    }
    // Given both at once, as one change of the commit's.
    let first = report.commits.iter().find(|c| c.subject == "Step one");
    let first = first.expect("the first commit is in the range");
    let api: Vec<&str> = first.api.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(api, ["a.B", "a.E"]);
    assert_eq!(
        first.rule_text,
        "API: added go func a.B (and 1 more), feature (the message alone: fix)"
    );
}

/// One commit adds `P` in a file the range still has and `Q` in a file the
/// next commit renames: the walk finds `P` where it looks first (the files
/// of the changes) and `Q` only when it looks again at their directories.
/// The commit lists both.
#[test]
fn a_commit_given_changes_by_both_looks_of_the_walk_lists_them_all() {
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/lib\n")),
            ("a/a.go", Some("package a\n\nfunc A() {}\n")),
            ("b/b.go", Some("package b\n\nfunc B() {}\n")),
        ],
    )
    .tag("v1.0.0")
    .commit_files(
        "Step one",
        &[
            ("a/a.go", Some("package a\n\nfunc A() {}\n\nfunc P() {}\n")),
            ("b/three.go", Some("package b\n\nfunc Q() {}\n")),
        ],
    )
    .commit_files(
        "Step two",
        &[
            ("b/three.go", None),
            ("b/two.go", Some("package b\n\nfunc Q() {}\n")),
        ],
    );
    let report = explain(&repo, &[]);
    assert_eq!(names(&report), ["added a.P", "added b.Q"]);
    let api = |subject: &str| {
        let commit = report.commits.iter().find(|c| c.subject == subject);
        let commit = commit.expect("in the range");
        commit
            .api
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(api("Step one"), ["a.P", "b.Q"]);
    assert!(api("Step two").is_empty());
}
