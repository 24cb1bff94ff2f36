//! The commented `bumpwise.toml` that `bumpwise init` writes: every key
//! `bumpwise config` prints, with its default.

use super::{Config, Layer, PrereleaseNotes, table};
use crate::classify::Unclassified;

/// A commented `bumpwise.toml` holding every default.
pub fn init_template() -> String {
    let defaults = Config::resolve(Layer::default())
        .unwrap_or_else(|_| unreachable!("the defaults are valid"));
    format!(
        r#"# bumpwise configuration. Every key is optional; the values below are the defaults.
# See docs/configuration.md. Flags override what is set here.

# The versioning rule: "guide" (before 1.0, breaking and feature bump the minor; fix the patch)
# or "cargo" (before 1.0, breaking bumps the minor; feature and fix the patch).
policy = "{policy}"

# Prefix of this project's release tags, before the optional `v` (e.g. "mylib-" for mylib-v1.2.0).
tag_prefix = "{prefix}"

# The first release when there is no release tag yet.
initial_version = "{initial}"

# Follow only the first parent of merges (for histories with a foreign history merged in).
first_parent = {first_parent}

# Revisions whose history is left out of the range (e.g. a merged library's last tag).
exclude_reachable = []

# The changelog `bumpwise check` looks in (or `[changelog]` with `file`, and sections: see the end).
# changelog = "CHANGELOG.md"

# Below this confidence (0 to 1) `bumpwise next` exits 8 and `check` warns: a person chooses the kind.
# min_confidence = 0.9

# Learn how this project released inferred evidence (API changes, keyword features) from its newest releases.
habits = {habits}

# The docs deprecations directory `bumpwise check` requires a page and index row in, per deprecation.
# deprecations_dir = "docs/deprecations"

# Longest subject shown; longer ones are cut with a note (classification reads them whole).
max_subject_chars = {max_subject_chars}

# Where the notes of a pre-release start: "since-previous" (the previous pre-release) or "since-stable".
prerelease_notes = "{prerelease_notes}"

# `bumpwise plan`: the test command, the docs folder, the mkdocs configuration, the images build.yaml.
# test_command = "go test ./..."
# docs_dir = "docs"
# mkdocs = "mkdocs.yml"
# images = "../images/build.yaml"

# A monorepo's packages, each with its own tags and paths (git pathspecs): --package NAME.
packages = []
# [[packages]]
# name = "auth"
# tag_prefix = "auth-"
# paths = ["services/auth/"]

# Conventional type -> breaking | feature | fix | none. Entries here are merged over these defaults.
[types]
{types}
# Keyword rules for messages that are not conventional. A list set here replaces its default.
[keywords]
{keywords}
# Changelog links; by default derived from the `origin` remote.
# [links]
# commit = "https://github.com/OWNER/REPO/commit/{{id}}"
# issue = "https://github.com/OWNER/REPO/issues/{{number}}"

# What is read besides the messages (see docs/evidence.md, "Path evidence").
[evidence]
paths = {evidence_paths}             # read the paths each commit changes
unclassified = "{unclassified}"      # a commit no rule reads that changes shipped code: "patch" or "none"
include_foreign = {include_foreign}  # keep the commits a merged foreign history brings
corroborate = {corroborate}          # a keyword feature needs a test, doc or example beside it

{api}# The path classes, tested in this order; a path no glob matches is shipped. A list replaces a
# class's globs; `{{ add = [...] }}` adds to them. The defaults:
# [paths]
{path_classes}
# Corrections keyed by commit id (at least 4 hex digits); `bumpwise mark` writes the same as git notes.
[overrides]
# [overrides.3f2a9c1]
# kind = "breaking"                  # breaking | feature | fix | none
# breaking = "what breaks"
# deprecated = "what is deprecated"
# replacement = "what to use instead"
# migration = "how to migrate"
# exclude = true

# The notes' sections: a `title`, a place (`order`), `hidden = true` to leave one out. The defaults:
{sections}"#,
        policy = defaults.policy.as_str(),
        prefix = defaults.tag_prefix,
        initial = defaults.initial_version,
        first_parent = defaults.first_parent,
        types = table(&defaults.rules.types),
        keywords = table(&defaults.rules.keywords),
        max_subject_chars = defaults.max_subject_chars,
        habits = defaults.habits,
        prerelease_notes = match defaults.prerelease_notes {
            PrereleaseNotes::SincePrevious => "since-previous",
            PrereleaseNotes::SinceStable => "since-stable",
        },
        evidence_paths = defaults.evidence.paths,
        unclassified = match defaults.evidence.unclassified {
            Unclassified::Patch => "patch",
            Unclassified::None => "none",
        },
        include_foreign = defaults.evidence.include_foreign,
        corroborate = defaults.evidence.corroborate,
        api = api_section(&defaults),
        sections = sections_block(&defaults),
        path_classes = path_classes_block(&defaults),
    )
}

/// The default globs of every path class, commented out.
fn path_classes_block(defaults: &Config) -> String {
    crate::evidence::PathClass::ALL
        .iter()
        .map(|class| {
            let globs = defaults.path_classes.globs.get(class);
            format!(
                "# {} = {:?}\n",
                class.as_str(),
                globs.cloned().unwrap_or_default()
            )
        })
        .collect()
}

/// The changelog's sections with their defaults, commented out.
fn sections_block(defaults: &Config) -> String {
    let mut out = String::new();
    for (name, s) in &defaults.changelog.sections {
        out.push_str(&format!(
            "# [changelog.sections.{name}]\n# title = {:?}\n# hidden = {}\n# order = {}\n",
            s.title.clone().unwrap_or_default(),
            s.hidden.unwrap_or(false),
            s.order.unwrap_or(0)
        ));
    }
    out
}

/// The `[api]` section with its defaults.
fn api_section(defaults: &Config) -> String {
    format!(
        r#"# The public API of Go packages and Rust library crates (see docs/evidence.md, "API evidence").
[api]
enabled = {}               # read what each release does to the exported API
go = {}                    # Go packages (not `main`, not `internal/`)
rust = {}                  # Rust library crates (what `src/lib.rs` reaches through `pub mod`)
ignore = []                  # globs never read for an API (generated and vendored files never are)

"#,
        defaults.api.enabled, defaults.api.go, defaults.api.rust
    )
}
