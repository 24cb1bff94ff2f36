//! Dependency manifests that say more than dependencies: `Cargo.toml`,
//! `package.json`, `pyproject.toml`. Both versions are parsed (toml and
//! serde_json, converted to owned values here) and compared key by key, to
//! tell a dependency update from a development-only one, a version bump, a
//! tooling change, or a change to what ships. A manifest that does not parse
//! counts as a change to what ships: bumpwise cannot tell, so it does not guess low.

use serde_json::Value;

use super::classes::PathClass;

/// The manifests read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `Cargo.toml`.
    Cargo,
    /// `package.json`.
    Npm,
    /// `pyproject.toml`.
    Pyproject,
}

impl Kind {
    /// The manifest a path names, by its file name.
    pub fn of(path: &str) -> Option<Kind> {
        match path.rsplit('/').next()? {
            "Cargo.toml" => Some(Kind::Cargo),
            "package.json" => Some(Kind::Npm),
            "pyproject.toml" => Some(Kind::Pyproject),
            _ => None,
        }
    }
}

/// What changed in one manifest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct What {
    /// Dependencies that ship.
    pub dependencies: bool,
    /// Development dependencies only.
    pub dev: bool,
    /// The package's version.
    pub release: bool,
    /// Tooling settings (profiles, lints, scripts).
    pub build: bool,
    /// Descriptions, links, keywords.
    pub meta: bool,
    /// Anything else: features, targets, the edition. Ships.
    pub shipped: bool,
}

impl What {
    /// A change to what ships, all the manifest could say.
    pub const SHIPPED: What = What {
        dependencies: false,
        dev: false,
        release: false,
        build: false,
        meta: false,
        shipped: true,
    };

    /// The class the manifest's change counts as.
    pub fn class(self) -> PathClass {
        if self.shipped {
            PathClass::Shipped
        } else if self.dependencies || self.dev {
            PathClass::Dependencies
        } else if self.release {
            PathClass::Release
        } else if self.build {
            PathClass::Build
        } else {
            PathClass::Meta
        }
    }
}

/// What a commit's dependency files say together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ManifestChange {
    /// Some dependency that ships changed (or a dependency file that cannot tell).
    pub runtime: bool,
    /// Some development dependency changed.
    pub dev: bool,
}

impl ManifestChange {
    /// This change with one manifest's added.
    #[must_use]
    pub fn with(self, what: What) -> Self {
        Self {
            runtime: self.runtime || what.dependencies,
            dev: self.dev || what.dev,
        }
    }

    /// Only development dependencies changed.
    pub fn dev_only(self) -> bool {
        self.dev && !self.runtime
    }
}

/// Lock files: they follow their manifests and tell nothing by themselves.
pub fn is_lock_file(path: &str) -> bool {
    matches!(
        path.rsplit('/').next().unwrap_or(path),
        "Cargo.lock"
            | "package-lock.json"
            | "npm-shrinkwrap.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "bun.lockb"
            | "bun.lock"
            | "poetry.lock"
            | "uv.lock"
            | "pdm.lock"
            | "Pipfile.lock"
            | "Gemfile.lock"
            | "composer.lock"
            | "gradle.lockfile"
    )
}

/// Whether a lock file's change is only the project's own version: the
/// versions of its own packages (`Cargo.lock` entries without a `source`, a
/// workspace's members; `package-lock.json`'s top `version` and its
/// non-`node_modules` packages), with every dependency as it was. Such a
/// change is release metadata, not a dependency update. Other lock files,
/// and any that does not parse, say no.
pub fn lock_is_release(path: &str, old: &[u8], new: &[u8]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (Ok(old), Ok(new)) = (std::str::from_utf8(old), std::str::from_utf8(new)) else {
        return false;
    };
    match name {
        "Cargo.lock" => {
            let parse = |text: &str| -> Option<Vec<toml::Value>> {
                let value: toml::Value = toml::from_str(text).ok()?;
                value.get("package")?.as_array().cloned()
            };
            let (Some(old), Some(new)) = (parse(old), parse(new)) else {
                return false;
            };
            // Every package with its version left out where it is the project's own.
            let strip = |packages: Vec<toml::Value>| -> Vec<toml::Value> {
                packages
                    .into_iter()
                    .map(|mut p| {
                        if p.get("source").is_none()
                            && let Some(table) = p.as_table_mut()
                        {
                            table.remove("version");
                        }
                        p
                    })
                    .collect()
            };
            old != new && strip(old) == strip(new)
        }
        "package-lock.json" | "npm-shrinkwrap.json" => {
            let parse = |text: &str| serde_json::from_str::<Value>(text).ok();
            let (Some(mut old), Some(mut new)) = (parse(old), parse(new)) else {
                return false;
            };
            let changed = old != new;
            for doc in [&mut old, &mut new] {
                if let Some(top) = doc.as_object_mut() {
                    top.remove("version");
                }
                if let Some(packages) = doc.get_mut("packages").and_then(Value::as_object_mut) {
                    for (key, package) in packages.iter_mut() {
                        if !key.contains("node_modules/")
                            && let Some(package) = package.as_object_mut()
                        {
                            package.remove("version");
                        }
                    }
                }
            }
            changed && old == new
        }
        _ => false,
    }
}

/// A package's version as its `Cargo.toml` declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageVersion {
    /// `version = "…"`.
    Own(String),
    /// `version.workspace = true`: the workspace's.
    Inherited,
    /// No version (Cargo's `0.0.0`, not publishable).
    Unset,
}

/// The versions a `Cargo.toml` declares: its `[package]`'s (`None` without
/// one) and its `[workspace.package]`'s. `None` when it is not TOML.
pub fn cargo_versions(bytes: &[u8]) -> Option<(Option<PackageVersion>, Option<String>)> {
    let manifest: toml::Table = std::str::from_utf8(bytes).ok()?.parse().ok()?;
    let workspace = manifest
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("version"))
        .and_then(toml::Value::as_str)
        .map(str::to_string);
    let package = manifest
        .get("package")
        .and_then(toml::Value::as_table)
        .map(|p| match p.get("version") {
            Some(toml::Value::String(v)) => PackageVersion::Own(v.clone()),
            Some(toml::Value::Table(_)) => PackageVersion::Inherited,
            _ => PackageVersion::Unset,
        });
    Some((package, workspace))
}

/// Python requirement files for development (`requirements-dev.txt`, `dev-requirements.txt`, `requirements/test.txt`).
pub fn is_dev_requirements(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let requirements = name.contains("requirements") || path.contains("requirements/");
    requirements
        && ["dev", "test", "lint", "doc"]
            .iter()
            .any(|w| name.contains(w))
}

fn parse(kind: Kind, bytes: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(bytes).ok()?;
    if text.trim().is_empty() {
        return Some(Value::Object(serde_json::Map::new()));
    }
    match kind {
        Kind::Npm => serde_json::from_str(text).ok(),
        Kind::Cargo | Kind::Pyproject => {
            let value: toml::Value = toml::from_str(text).ok()?;
            serde_json::to_value(value).ok()
        }
    }
}

/// The keys whose values differ between two JSON objects (either may lack the key).
fn changed<'a>(old: &'a Value, new: &'a Value) -> Vec<(&'a str, &'a Value, &'a Value)> {
    static NULL: Value = Value::Null;
    static EMPTY: std::sync::LazyLock<serde_json::Map<String, Value>> =
        std::sync::LazyLock::new(serde_json::Map::new);
    // A table that is not there is an empty one.
    let table = |v: &'a Value| match v {
        Value::Null => Some(&*EMPTY),
        v => v.as_object(),
    };
    let (Some(a), Some(b)) = (table(old), table(new)) else {
        return if old == new {
            Vec::new()
        } else {
            vec![("", old, new)]
        };
    };
    let mut out = Vec::new();
    for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
        let (x, y) = (a.get(key).unwrap_or(&NULL), b.get(key).unwrap_or(&NULL));
        if x != y {
            out.push((key.as_str(), x, y));
        }
    }
    out
}

/// What changed between two versions of a manifest.
pub fn compare(kind: Kind, old: &[u8], new: &[u8]) -> What {
    let (Some(old), Some(new)) = (parse(kind, old), parse(kind, new)) else {
        return What::SHIPPED;
    };
    let mut what = What::default();
    for (key, a, b) in changed(&old, &new) {
        match kind {
            Kind::Cargo => cargo_key(&mut what, key, a, b),
            Kind::Npm => npm_key(&mut what, key),
            Kind::Pyproject => pyproject_key(&mut what, key, a, b),
        }
    }
    if what == What::default() && old != new {
        what.shipped = true;
    }
    what
}

fn cargo_key(what: &mut What, key: &str, a: &Value, b: &Value) {
    match key {
        "dependencies" | "build-dependencies" | "patch" | "replace" => what.dependencies = true,
        "dev-dependencies" => what.dev = true,
        "profile" | "lints" => what.build = true,
        "badges" => what.meta = true,
        "target" => {
            for (_, x, y) in changed(a, b) {
                for (table, _, _) in changed(x, y) {
                    match table {
                        "dependencies" | "build-dependencies" => what.dependencies = true,
                        "dev-dependencies" => what.dev = true,
                        _ => what.shipped = true,
                    }
                }
            }
        }
        "workspace" => {
            for (part, x, y) in changed(a, b) {
                match part {
                    "dependencies" => what.dependencies = true,
                    "lints" | "metadata" => what.build = true,
                    "package" => package_keys(what, x, y),
                    _ => what.shipped = true,
                }
            }
        }
        "package" => package_keys(what, a, b),
        _ => what.shipped = true,
    }
}

/// `[package]` (or `[workspace.package]`): the version, descriptions, or what ships.
fn package_keys(what: &mut What, a: &Value, b: &Value) {
    for (field, _, _) in changed(a, b) {
        match field {
            "version" => what.release = true,
            "metadata" => what.build = true,
            "description" | "homepage" | "repository" | "documentation" | "keywords"
            | "categories" | "authors" | "readme" | "license" | "license-file" => what.meta = true,
            _ => what.shipped = true,
        }
    }
}

fn npm_key(what: &mut What, key: &str) {
    match key {
        "dependencies"
        | "peerDependencies"
        | "optionalDependencies"
        | "bundleDependencies"
        | "bundledDependencies"
        | "overrides"
        | "resolutions" => what.dependencies = true,
        "devDependencies" => what.dev = true,
        "version" => what.release = true,
        "scripts" | "private" | "workspaces" | "packageManager" | "prettier" | "eslintConfig"
        | "jest" | "lint-staged" | "husky" | "browserslist" | "devEngines" => what.build = true,
        "description" | "keywords" | "author" | "contributors" | "license" | "homepage"
        | "repository" | "bugs" | "funding" => what.meta = true,
        _ => what.shipped = true,
    }
}

fn pyproject_key(what: &mut What, key: &str, a: &Value, b: &Value) {
    match key {
        "dependency-groups" => what.dev = true,
        "build-system" => what.build = true,
        "project" => {
            for (field, _, _) in changed(a, b) {
                match field {
                    "dependencies" | "optional-dependencies" => what.dependencies = true,
                    "version" => what.release = true,
                    "description" | "readme" | "authors" | "maintainers" | "license" | "urls"
                    | "keywords" | "classifiers" => what.meta = true,
                    _ => what.shipped = true,
                }
            }
        }
        "tool" => {
            for (tool, x, y) in changed(a, b) {
                if tool != "poetry" {
                    what.build = true;
                    continue;
                }
                for (field, _, _) in changed(x, y) {
                    match field {
                        "dependencies" => what.dependencies = true,
                        "dev-dependencies" | "group" => what.dev = true,
                        "version" => what.release = true,
                        "description" | "readme" | "authors" | "license" | "homepage"
                        | "repository" | "keywords" | "classifiers" => what.meta = true,
                        _ => what.shipped = true,
                    }
                }
            }
        }
        _ => what.shipped = true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cargo(old: &str, new: &str) -> What {
        compare(Kind::Cargo, old.as_bytes(), new.as_bytes())
    }

    #[test]
    fn a_lock_file_that_only_moves_the_projects_own_version_is_release_metadata() {
        let lock = |own: &str, serde: &str| {
            format!(
                "version = 3\n\n[[package]]\nname = \"x\"\nversion = \"{own}\"\ndependencies = [\"serde\"]\n\n[[package]]\nname = \"serde\"\nversion = \"{serde}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
            )
        };
        let (a, b, c) = (
            lock("1.0.0", "1.0.1"),
            lock("1.0.1", "1.0.1"),
            lock("1.0.1", "1.0.2"),
        );
        assert!(lock_is_release("Cargo.lock", a.as_bytes(), b.as_bytes()));
        assert!(!lock_is_release("Cargo.lock", b.as_bytes(), c.as_bytes()));
        assert!(!lock_is_release("Cargo.lock", a.as_bytes(), a.as_bytes()));
        let npm = |own: &str, dep: &str| {
            format!(
                r#"{{"name":"x","version":"{own}","packages":{{"":{{"version":"{own}"}},"node_modules/a":{{"version":"{dep}"}}}}}}"#
            )
        };
        assert!(lock_is_release(
            "package-lock.json",
            npm("1.0.0", "2.0.0").as_bytes(),
            npm("1.1.0", "2.0.0").as_bytes()
        ));
        assert!(!lock_is_release(
            "package-lock.json",
            npm("1.0.0", "2.0.0").as_bytes(),
            npm("1.1.0", "2.0.1").as_bytes()
        ));
        assert!(!lock_is_release("yarn.lock", b"a", b"b"));
    }

    #[test]
    fn cargo_tables_are_told_apart() {
        let base = "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n\n[dev-dependencies]\nproptest = \"1\"\n";
        let dev = base.replace("proptest = \"1\"", "proptest = \"1.2\"");
        assert_eq!(
            cargo(base, &dev),
            What {
                dev: true,
                ..What::default()
            }
        );
        assert_eq!(cargo(base, &dev).class(), PathClass::Dependencies);
        let runtime = base.replace("serde = \"1\"", "serde = \"1.0.200\"");
        assert_eq!(
            cargo(base, &runtime),
            What {
                dependencies: true,
                ..What::default()
            }
        );
        let version = base.replace("0.1.0", "0.2.0");
        assert_eq!(cargo(base, &version).class(), PathClass::Release);
        let features = format!("{base}\n[features]\nfast = []\n");
        assert_eq!(cargo(base, &features).class(), PathClass::Shipped);
        let formatting = base.replace("\n\n", "\n");
        assert_eq!(cargo(base, &formatting), What::default());
        assert_eq!(cargo(base, "not [ toml"), What::SHIPPED);
        let target = format!("{base}\n[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n");
        assert_eq!(
            cargo(base, &target),
            What {
                dependencies: true,
                ..What::default()
            }
        );
    }

    #[test]
    fn package_json_and_pyproject() {
        let npm = |old: &str, new: &str| compare(Kind::Npm, old.as_bytes(), new.as_bytes());
        assert_eq!(
            npm(
                r#"{"devDependencies":{"jest":"1"}}"#,
                r#"{"devDependencies":{"jest":"2"}}"#
            ),
            What {
                dev: true,
                ..What::default()
            }
        );
        assert!(npm(r#"{"dependencies":{}}"#, r#"{"dependencies":{"a":"1"}}"#).dependencies);
        assert_eq!(
            npm(r#"{"main":"a.js"}"#, r#"{"main":"b.js"}"#).class(),
            PathClass::Shipped
        );
        let py = |old: &str, new: &str| compare(Kind::Pyproject, old.as_bytes(), new.as_bytes());
        assert_eq!(
            py(
                "[tool.ruff]\nline-length = 88\n",
                "[tool.ruff]\nline-length = 100\n"
            )
            .class(),
            PathClass::Build
        );
        assert!(
            py(
                "[project]\ndependencies = []\n",
                "[project]\ndependencies = [\"a\"]\n"
            )
            .dependencies
        );
    }

    #[test]
    fn a_commit_of_dev_dependencies_and_lock_files_is_dev_only() {
        let change = ManifestChange::default().with(What {
            dev: true,
            ..What::default()
        });
        assert!(change.dev_only());
        assert!(
            !change
                .with(What {
                    dependencies: true,
                    ..What::default()
                })
                .dev_only()
        );
        assert!(is_lock_file("web/package-lock.json") && !is_lock_file("go.mod"));
    }
}
