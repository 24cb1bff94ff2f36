//! Configuration: `bumpwise.toml`, merged in layers and printable.
//!
//! Owns reading the file (the TOML crate stays here) and merging the layers:
//! defaults, then `bumpwise.toml` at the repository root (or `--config FILE`),
//! then flags. Every field is optional; unknown keys are an error naming the
//! key and its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use semver::Version;
use serde::{Deserialize, Serialize};

use crate::classify::keywords::Keywords;
use crate::classify::{Kind, Override, Rules, Unclassified};
use crate::error::{Error, Result};
use crate::evidence::PathRules;
use crate::evidence::api::units::ApiRules;
use crate::evidence::paths::Globs;
use crate::version::confidence::Threshold;
use crate::version::decide::Policy;

mod template;
pub use template::init_template;

/// Whether a keyword feature needs corroboration by default (see docs/evidence.md, "Path evidence").
const CORROBORATE: bool = false;

/// The file name looked for at the repository root.
pub const FILE_NAME: &str = "bumpwise.toml";

/// How a setting set in two layers combines: the one on top wins (`replace`),
/// or the two are combined (`combine`: tables and lists extend, sections merge
/// field by field). Each layer type names its fields once, in [`layered!`].
trait Combine {
    /// `self` with `over` on top.
    fn combine(self, over: Self) -> Self;
}

impl<K: Ord, V> Combine for BTreeMap<K, V> {
    fn combine(mut self, over: Self) -> Self {
        self.extend(over);
        self
    }
}

impl<T> Combine for Vec<T> {
    fn combine(mut self, over: Self) -> Self {
        self.extend(over);
        self
    }
}

/// `base` with `over` on top, for a field that combines.
fn combine<T: Combine>(base: Option<T>, over: Option<T>) -> Option<T> {
    match (base, over) {
        (Some(base), Some(over)) => Some(base.combine(over)),
        (base, over) => over.or(base),
    }
}

/// Implements [`Combine`] for a layer type: the `replace` fields take the
/// top layer's value when it has one, the `combine` fields combine.
macro_rules! layered {
    ($layer:ident; replace: $($r:ident),*; combine: $($c:ident),*) => {
        impl Combine for $layer {
            fn combine(self, over: Self) -> Self {
                $layer {
                    $($r: over.$r.or(self.$r),)*
                    $($c: combine(self.$c, over.$c),)*
                }
            }
        }
    };
}

mod changelog;
pub use changelog::{
    ChangelogConfig, ChangelogLayer, DEFAULT_TITLES, SECTION_NAMES, SectionSetting, Sections,
};

/// One layer of configuration: every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// The versioning rule: `guide` (default) or `cargo`.
    pub policy: Option<Policy>,
    /// Prefix of this project's release tags, before the optional `v` (default empty).
    pub tag_prefix: Option<String>,
    /// The first release when there is no release tag (default `0.1.0`).
    pub initial_version: Option<String>,
    /// Follow only the first parent of merges (default false).
    pub first_parent: Option<bool>,
    /// Conventional type → kind (`breaking`, `feature`, `fix`, `none`), merged over the defaults.
    pub types: Option<BTreeMap<String, Kind>>,
    /// Link templates for changelogs; by default derived from the `origin` remote.
    pub links: Option<LinkTemplates>,
    /// Keyword lists for non-conventional messages; each list set here replaces its default.
    pub keywords: Option<KeywordLists>,
    /// Corrections keyed by commit id (full or abbreviated, at least 4 characters).
    pub overrides: Option<BTreeMap<String, Override>>,
    /// Revisions whose history is left out of the range (already released elsewhere).
    pub exclude_reachable: Option<Vec<String>>,
    /// The changelog `check` looks in (default: `CHANGELOG.md` when the
    /// repository has one), or a table with that `file` and `[changelog.sections]`.
    pub changelog: Option<ChangelogLayer>,
    /// The docs deprecations directory `check` looks in (pages and `index.md`).
    pub deprecations_dir: Option<String>,
    /// Longest subject shown, in characters (default 1000); classification still reads the whole message.
    pub max_subject_chars: Option<usize>,
    /// The notes of a pre-release run from the previous pre-release (`since-previous`, default) or the last stable release (`since-stable`).
    pub prerelease_notes: Option<PrereleaseNotes>,
    /// The packages of a monorepo: each with its own tags and paths.
    pub packages: Option<Vec<Package>>,
    /// The project's test command, reported by `plan` (e.g. `go test ./...`).
    pub test_command: Option<String>,
    /// The docs source folder `plan` looks in (default `docs`).
    pub docs_dir: Option<String>,
    /// The mkdocs configuration `plan` checks (default `mkdocs.yml`).
    pub mkdocs: Option<String>,
    /// The images repository's `build.yaml` `plan` proposes an update for.
    pub images: Option<String>,
    /// Below this confidence (0 to 1), `next` exits 8: the kind of release needs a person.
    pub min_confidence: Option<Threshold>,
    /// Learn how this project released inferred evidence (API changes, keyword features) from its newest releases (default true).
    pub habits: Option<bool>,
    /// What is read besides the messages: `[evidence]`.
    pub evidence: Option<EvidenceLayer>,
    /// Globs per path class, replacing (a list) or adding to (`{ add = [...] }`) the defaults: `[paths]`.
    pub paths: Option<BTreeMap<String, ClassGlobs>>,
    /// Reading the public API of Go packages and Rust crates: `[api]`.
    pub api: Option<ApiLayer>,
}

/// `[api]`: reading the public API of Go packages and Rust library crates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiLayer {
    /// Read the API at all (default true).
    pub enabled: Option<bool>,
    /// Read Go packages (default true).
    pub go: Option<bool>,
    /// Read Rust library crates (default true).
    pub rust: Option<bool>,
    /// Paths (globs, as in `[paths]`) never read for an API, besides generated and vendored files.
    pub ignore: Option<Vec<String>>,
}

layered!(ApiLayer; replace: enabled, go, rust, ignore; combine:);

/// The API settings in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiConfig {
    /// Read the API at all.
    pub enabled: bool,
    /// Read Go packages.
    pub go: bool,
    /// Read Rust library crates.
    pub rust: bool,
    /// Paths never read for an API.
    pub ignore: Vec<String>,
    /// The same, compiled.
    #[serde(skip)]
    pub rules: ApiRules,
}

impl ApiConfig {
    fn resolve(layer: ApiLayer) -> Result<ApiConfig> {
        let ignore = layer.ignore.unwrap_or_default();
        let (go, rust) = (layer.go.unwrap_or(true), layer.rust.unwrap_or(true));
        let built = ApiRules::default();
        Ok(ApiConfig {
            enabled: layer.enabled.unwrap_or(true),
            go,
            rust,
            rules: ApiRules {
                go: go && built.go,
                rust: rust && built.rust,
                ignore: Globs::new(&ignore, "[api] ignore")?,
            },
            ignore,
        })
    }

    /// Whether any API is read.
    pub fn reads(&self) -> bool {
        self.enabled && (self.rules.go || self.rules.rust)
    }
}

/// `[evidence]`: what bumpwise reads besides the messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceLayer {
    /// Read the paths each commit changes (default true).
    pub paths: Option<bool>,
    /// A commit no rule reads that changes shipped code: `patch` (default) or `none`.
    pub unclassified: Option<Unclassified>,
    /// Keep the commits a merged foreign history brings (default false: they are left out).
    pub include_foreign: Option<bool>,
    /// A keyword feature needs a test, doc or example in its commit to stay a feature.
    pub corroborate: Option<bool>,
}

layered!(EvidenceLayer; replace: paths, unclassified, include_foreign, corroborate; combine:);

/// The globs of one path class in `[paths]`: a list replaces the defaults, `{ add = [...] }` adds to them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ClassGlobs {
    /// These globs instead of the defaults.
    Replace(Vec<String>),
    /// These globs besides the defaults.
    Add {
        /// The globs added.
        add: Vec<String>,
    },
}

/// The evidence settings in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceConfig {
    /// Read the paths each commit changes.
    pub paths: bool,
    /// A commit no rule reads that changes shipped code.
    pub unclassified: Unclassified,
    /// Keep the commits a merged foreign history brings.
    pub include_foreign: bool,
    /// A keyword feature needs a test, doc or example in its commit to stay a feature.
    pub corroborate: bool,
}

/// Keyword lists, each optional (see [`Keywords`] for their meaning and defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct KeywordLists {
    pub fix: Option<Vec<String>>,
    pub feature: Option<Vec<String>>,
    pub removal: Option<Vec<String>>,
    pub deprecation: Option<Vec<String>>,
    pub dependency: Option<Vec<String>>,
    pub dependency_authors: Option<Vec<String>>,
    pub security: Option<Vec<String>>,
    pub none: Option<Vec<String>>,
}

layered!(KeywordLists; replace: fix, feature, removal, deprecation, dependency, dependency_authors, security, none; combine:);

impl KeywordLists {
    /// Each list set, with its key.
    fn lists(&self) -> impl Iterator<Item = (&'static str, &Vec<String>)> {
        [
            ("fix", &self.fix),
            ("feature", &self.feature),
            ("removal", &self.removal),
            ("deprecation", &self.deprecation),
            ("dependency", &self.dependency),
            ("dependency_authors", &self.dependency_authors),
            ("security", &self.security),
            ("none", &self.none),
        ]
        .into_iter()
        .filter_map(|(key, list)| Some((key, list.as_ref()?)))
    }

    fn apply(self, mut keywords: Keywords) -> Keywords {
        let set = |list: Option<Vec<String>>, default: &mut Vec<String>| {
            if let Some(list) = list {
                *default = list;
            }
        };
        set(self.fix, &mut keywords.fix);
        set(self.feature, &mut keywords.feature);
        set(self.removal, &mut keywords.removal);
        set(self.deprecation, &mut keywords.deprecation);
        set(self.dependency, &mut keywords.dependency);
        set(self.dependency_authors, &mut keywords.dependency_authors);
        set(self.security, &mut keywords.security);
        set(self.none, &mut keywords.none);
        keywords
    }
}

/// One package of a monorepo.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Its name, for `--package NAME`.
    pub name: String,
    /// Its release tags' prefix, before the optional `v` (e.g. `auth-` for `auth-v1.2.0`).
    pub tag_prefix: String,
    /// The paths that belong to it, as git pathspecs (`services/auth/`, `libs/auth/*.go`).
    pub paths: Vec<String>,
}

impl Config {
    /// This configuration narrowed to the package `name`: its tag prefix, and only
    /// the commits that touch its paths.
    ///
    /// # Errors
    ///
    /// A configuration error naming the packages declared, when there is no such package.
    pub fn for_package(mut self, name: &str) -> Result<Config> {
        let Some(package) = self.packages.iter().find(|p| p.name == name).cloned() else {
            let known: Vec<&str> = self.packages.iter().map(|p| p.name.as_str()).collect();
            return Err(Error::config(format!(
                "no package `{name}`; bumpwise.toml declares: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        };
        self.tag_prefix = package.tag_prefix;
        self.paths = package.paths;
        self.rules.package = Some(package.name);
        Ok(self)
    }
}

/// Refuses the words of `layer` that would silently do harm: a tag prefix
/// with characters a prefix does not need (a shell would run them), a type
/// key that is no word (`fix!`, empty: it matches nothing), an empty keyword
/// (it matches every message).
fn refuse_odd_words(layer: &Layer) -> Result<()> {
    let prefixes = layer
        .tag_prefix
        .iter()
        .chain(layer.packages.iter().flatten().map(|p| &p.tag_prefix));
    for prefix in prefixes {
        if !crate::version::tag::is_safe_prefix(prefix) {
            return Err(Error::usage(format!(
                "tag prefix {prefix:?} has characters a tag prefix does not need; use letters, digits and . _ / @ + - (not leading -)"
            )));
        }
    }
    for name in layer.types.iter().flat_map(BTreeMap::keys) {
        let word = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        if !word {
            return Err(Error::config(format!(
                "types: `{name}` is not a conventional type; use a word such as \"perf\" (a `!` is the commit's, not the type's)"
            )));
        }
    }
    for (key, list) in layer.keywords.iter().flat_map(KeywordLists::lists) {
        if list.iter().any(|w| w.trim().is_empty()) {
            return Err(Error::config(format!(
                "keywords.{key}: an empty keyword matches every message; remove it"
            )));
        }
    }
    Ok(())
}

/// Where the release notes of a pre-release start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrereleaseNotes {
    /// From the previous pre-release of the same version (or the last stable release when there is none).
    #[default]
    SincePrevious,
    /// From the last stable release: every pre-release of the version folded in.
    SinceStable,
}

/// Link templates: `{id}` is replaced by a full commit id, `{number}` by an issue or PR number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkTemplates {
    /// A commit's page, e.g. `https://github.com/o/r/commit/{id}`.
    pub commit: Option<String>,
    /// An issue or pull request's page, e.g. `https://github.com/o/r/issues/{number}`.
    pub issue: Option<String>,
}

layered!(LinkTemplates; replace: commit, issue; combine:);
layered!(Layer;
    replace: policy, tag_prefix, initial_version, first_parent, deprecations_dir,
        max_subject_chars, prerelease_notes, packages, test_command, docs_dir, mkdocs, images,
        min_confidence, habits;
    combine: types, links, keywords, overrides, exclude_reachable, evidence, api, paths, changelog);

impl Layer {
    /// This layer with `over` on top: fields set in `over` win; tables and
    /// lists extend; sections (`[evidence]`, `[api]`, `[links]`, keyword lists) merge field by field.
    pub fn merge(self, over: Layer) -> Layer {
        self.combine(over)
    }

    /// Parses a layer from TOML text; `origin` names the file in errors.
    ///
    /// # Errors
    ///
    /// A configuration error naming the line and the key or value at fault.
    pub fn parse(text: &str, origin: &str) -> Result<Layer> {
        toml::from_str(text).map_err(|err| {
            let line = err
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            let at = line.map(|l| format!(" line {l}")).unwrap_or_default();
            Error::config(format!(
                "{origin}{at}: {}; fix it (`bumpwise config` prints every key in force, and bumpwise's docs/configuration.md explains them)",
                err.message().trim()
            ))
        })
    }
}

/// The effective configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    /// The versioning rule.
    pub policy: Policy,
    /// Prefix of this project's release tags.
    pub tag_prefix: String,
    /// The first release when there is none.
    pub initial_version: Version,
    /// Follow only the first parent of merges.
    pub first_parent: bool,
    /// Conventional type → kind, and the keyword rules.
    #[serde(flatten)]
    pub rules: Rules,
    /// Link templates set in the file (the remote fills in what is not set).
    pub links: LinkTemplates,
    /// Corrections keyed by commit id.
    pub overrides: BTreeMap<String, Override>,
    /// Revisions whose history is left out of the range.
    pub exclude_reachable: Vec<String>,
    /// The changelog `check` looks in, and how the notes' sections are
    /// titled, ordered and hidden.
    pub changelog: ChangelogConfig,
    /// The docs deprecations directory `check` looks in, if set.
    pub deprecations_dir: Option<String>,
    /// Longest subject shown (explain, JSON, notes); longer ones are cut with a note.
    pub max_subject_chars: usize,
    /// Where the notes of a pre-release start.
    pub prerelease_notes: PrereleaseNotes,
    /// The packages of a monorepo.
    pub packages: Vec<Package>,
    /// The project's test command.
    pub test_command: Option<String>,
    /// The docs source folder.
    pub docs_dir: Option<String>,
    /// The mkdocs configuration.
    pub mkdocs: Option<String>,
    /// The images repository's `build.yaml`.
    pub images: Option<String>,
    /// Below this confidence, `next` asks for a person.
    pub min_confidence: Option<Threshold>,
    /// Learn the project's habits from its newest releases.
    pub habits: bool,
    /// What is read besides the messages.
    pub evidence: EvidenceConfig,
    /// The public API read as evidence.
    pub api: ApiConfig,
    /// The path classes and their globs.
    #[serde(rename = "paths", serialize_with = "class_globs")]
    pub path_classes: PathRules,
    /// Only commits that touch these paths (git pathspecs) count; empty: every commit.
    #[serde(skip)]
    pub paths: Vec<String>,
}

impl Config {
    /// The defaults with `layer` on top.
    ///
    /// # Errors
    ///
    /// A configuration error when `initial_version` is not SemVer.
    pub fn resolve(layer: Layer) -> Result<Config> {
        refuse_odd_words(&layer)?;
        let initial_version = match layer.initial_version {
            None => Version::new(0, 1, 0),
            Some(text) => Version::parse(text.trim_start_matches('v')).map_err(|e| {
                Error::config(format!(
                    "initial_version `{text}` is not a SemVer version ({e}); use e.g. \"0.1.0\""
                ))
            })?,
        };
        let mut packages = layer.packages.unwrap_or_default();
        for package in &mut packages {
            for path in &mut package.paths {
                // `./services/auth/` is what git means by `services/auth/` at the root.
                while let Some(rest) = path.strip_prefix("./") {
                    *path = rest.to_string();
                }
                // `.` is the whole repository: every path.
                if path.is_empty() || path == "." {
                    *path = "*".to_string();
                }
                if path.starts_with([':', '/']) {
                    return Err(Error::config(format!(
                        "package `{}`: path `{path}` is not a plain pathspec (no `:(magic)`, nothing absolute); give a path from the repository root, e.g. \"services/{}/\"",
                        package.name, package.name
                    )));
                }
            }
        }
        for (i, package) in packages.iter().enumerate() {
            if package.paths.is_empty() {
                return Err(Error::config(format!(
                    "package `{}` has no paths; give e.g. paths = [\"services/{}/\"]",
                    package.name, package.name
                )));
            }
            if packages[..i].iter().any(|p| p.name == package.name) {
                return Err(Error::config(format!(
                    "package `{}` is declared twice",
                    package.name
                )));
            }
        }
        let mut overrides = BTreeMap::new();
        for (id, o) in layer.overrides.unwrap_or_default() {
            if id.len() < 4 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(Error::config(format!(
                    "overrides: `{id}` is not a commit id; use at least 4 hex digits of the commit"
                )));
            }
            overrides.insert(id.to_ascii_lowercase(), o);
        }
        let mut rules = Rules::default();
        for (name, kind) in layer.types.unwrap_or_default() {
            rules.types.0.insert(name.to_lowercase(), kind);
        }
        rules.keywords = layer.keywords.unwrap_or_default().apply(rules.keywords);
        let evidence = layer.evidence.unwrap_or_default();
        rules.unclassified = evidence.unclassified.unwrap_or_default();
        rules.corroborate = evidence.corroborate.unwrap_or(CORROBORATE);
        let (mut replace, mut add) = (BTreeMap::new(), BTreeMap::new());
        for (class, globs) in layer.paths.unwrap_or_default() {
            match globs {
                ClassGlobs::Replace(list) => replace.insert(class, list),
                ClassGlobs::Add { add: list } => add.insert(class, list),
            };
        }
        let path_classes = PathRules::new(&replace, &add)?;
        let links = layer.links.unwrap_or_default();
        check_placeholders("commit", links.commit.as_deref(), "{id}")?;
        check_placeholders("issue", links.issue.as_deref(), "{number}")?;
        Ok(Config {
            policy: layer.policy.unwrap_or_default(),
            tag_prefix: layer.tag_prefix.unwrap_or_default(),
            initial_version,
            first_parent: layer.first_parent.unwrap_or(false),
            rules,
            links,
            overrides,
            exclude_reachable: layer.exclude_reachable.unwrap_or_default(),
            changelog: ChangelogConfig {
                sections: changelog::sections(layer.changelog.as_ref()).map_err(Error::config)?,
                template: layer.changelog.as_ref().and_then(|c| c.template.clone()),
                file: layer.changelog.and_then(|c| c.file),
            },
            deprecations_dir: layer.deprecations_dir,
            max_subject_chars: layer.max_subject_chars.unwrap_or(1000).max(20),
            prerelease_notes: layer.prerelease_notes.unwrap_or_default(),
            packages,
            paths: Vec::new(),
            test_command: layer.test_command,
            min_confidence: layer.min_confidence,
            habits: layer.habits.unwrap_or(true),
            docs_dir: layer.docs_dir,
            mkdocs: layer.mkdocs,
            images: layer.images,
            evidence: EvidenceConfig {
                paths: evidence.paths.unwrap_or(true),
                unclassified: evidence.unclassified.unwrap_or_default(),
                include_foreign: evidence.include_foreign.unwrap_or(false),
                corroborate: evidence.corroborate.unwrap_or(CORROBORATE),
            },
            api: ApiConfig::resolve(layer.api.unwrap_or_default())?,
            path_classes,
        })
    }
}

/// A `[links]` template may hold only its own placeholder (`{id}` or `{number}`).
fn check_placeholders(key: &str, template: Option<&str>, allowed: &str) -> Result<()> {
    let Some(template) = template else {
        return Ok(());
    };
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        let end = rest[at..].find('}').map_or(rest.len(), |e| at + e + 1);
        let found = &rest[at..end];
        if found != allowed {
            return Err(Error::config(format!(
                "[links] {key}: `{found}` is not a placeholder bumpwise fills; use {allowed}"
            )));
        }
        rest = &rest[end..];
    }
    Ok(())
}

/// Reads the configuration file: `explicit` when given (it must exist), else
/// `bumpwise.toml` in `root` when there is one. Returns the layer and the path read.
///
/// # Errors
///
/// A configuration error when the file cannot be read or is invalid.
pub fn load(root: Option<&Path>, explicit: Option<&Path>) -> Result<(Layer, Option<PathBuf>)> {
    let path = match (explicit, root) {
        (Some(path), _) => path.to_path_buf(),
        (None, Some(root)) if root.join(FILE_NAME).exists() => root.join(FILE_NAME),
        (None, _) => return Ok((Layer::default(), None)),
    };
    // The repository's own bumpwise.toml is whatever a contributor committed:
    // a link out of the repository is not followed.
    if explicit.is_none()
        && let Some(root) = root
        && !crate::fsio::within(&path, root)
    {
        return Err(Error::config(format!(
            "{} is a link that leaves the repository; bumpwise does not follow it (give --config PATH to read another file)",
            path.display()
        )));
    }
    let text = crate::fsio::read_if_exists(&path)
        .map_err(|e| Error::config(format!("cannot read configuration {}: {e}", path.display())))?
        .ok_or_else(|| {
            Error::config(format!(
                "cannot read configuration {}: no such file; check the path",
                path.display()
            ))
        })?;
    let layer = Layer::parse(&text, &path.display().to_string())?;
    Ok((layer, Some(path)))
}

/// Parses the text of a `refs/notes/bumpwise` note on `commit` (an [`Override`] in TOML).
///
/// # Errors
///
/// A configuration error naming the commit when the note is not a valid override.
pub fn parse_note(text: &str, commit: &str) -> Result<Override> {
    toml::from_str(text).map_err(|err| {
        Error::config(format!(
            "the bumpwise note on commit {} is invalid: {}; fix it with `bumpwise mark` or `git notes --ref bumpwise edit {}`",
            crate::evidence::message::short_id(commit),
            err.message().trim(),
            crate::evidence::message::short_id(commit)
        ))
    })
}

/// The text of a note holding `o`.
pub fn note_text(o: &Override) -> String {
    toml::to_string(o).unwrap_or_default()
}

/// The effective configuration as TOML that `bumpwise.toml` accepts.
pub fn to_toml(config: &Config) -> String {
    toml::to_string(config).unwrap_or_default()
}

/// `[paths]` as `bumpwise.toml` takes it: every class with the globs in force.
fn class_globs<S: serde::Serializer>(
    rules: &PathRules,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(rules.globs.len()))?;
    for (class, globs) in &rules.globs {
        map.serialize_entry(class.as_str(), globs)?;
    }
    map.end()
}

/// TOML for a value that serializes as a table.
pub(crate) fn table(value: &impl Serialize) -> String {
    toml::to_string(value).unwrap_or_default()
}
