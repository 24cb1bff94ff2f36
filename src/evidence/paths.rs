//! Path evidence: which kinds of files a commit changes.
//!
//! Owns the classes of paths (docs, tests, CI, build tooling, repository
//! meta, examples, dependency manifests, release metadata, and shipped: all
//! the rest), their default globs for Go, Rust, JS/TS, Python and Java
//! layouts, the `[paths]` settings that add to or replace them (globset, the
//! only user of that crate), and reading a commit's changed paths through the
//! history's [`Objects`] trait. A dependency manifest that also holds other
//! things (`Cargo.toml`, `package.json`, `pyproject.toml`) is read to tell a
//! dependency change from a development-only one, a version bump or a change
//! to what ships ([`super::manifests`]).

use std::collections::BTreeMap;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::changesets::{self, Changeset};
pub use super::classes::{Classes, PathClass};
use super::manifests::{self, ManifestChange, What};
use crate::error::{Error, Result};
use crate::history::{
    Action, CHANGES_READ, Change, ChangedFiles, ChangedPath, ObjectId, Objects, Visitor,
};

/// What a commit's paths show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    /// The classes of the changed paths; empty for a commit that changes nothing.
    pub classes: Classes,
    /// The first changed path of each class, to show why.
    pub first: Vec<(PathClass, Box<str>)>,
    /// What the dependency manifests that say more than dependencies changed.
    pub manifests: ManifestChange,
    /// Change files (`.changeset/*.md`) the commit adds.
    pub changesets: Vec<Changeset>,
    /// Change files it adds that are malformed, and why.
    pub malformed: Vec<(String, String)>,
}

impl Paths {
    /// Whether any changed path ships.
    pub fn ships(&self) -> bool {
        self.classes.contains(PathClass::Shipped)
    }

    /// The first changed path of `class`.
    pub fn first_of(&self, class: PathClass) -> Option<&str> {
        self.first
            .iter()
            .find(|(c, _)| *c == class)
            .map(|(_, p)| &**p)
    }
}

/// The compiled classes: one glob set per class, tested in order.
#[derive(Debug, Clone)]
pub struct PathRules {
    sets: Vec<(PathClass, GlobSet)>,
    /// The globs in force per class, for `bumpwise config`.
    pub globs: BTreeMap<PathClass, Vec<String>>,
}

impl PartialEq for PathRules {
    fn eq(&self, other: &Self) -> bool {
        self.globs == other.globs
    }
}

impl Eq for PathRules {}

impl Default for PathRules {
    fn default() -> Self {
        Self::new(&BTreeMap::new(), &BTreeMap::new())
            .unwrap_or_else(|_| unreachable!("the default globs are valid"))
    }
}

/// A glob as written, anchored: without a `/` it matches at any depth.
fn anchored(glob: &str) -> String {
    let glob = glob.trim_start_matches("./");
    if glob.contains('/') {
        glob.trim_start_matches('/').to_string()
    } else {
        format!("**/{glob}")
    }
}

impl PathRules {
    /// The classes with `replace` (class name → globs) replacing defaults and
    /// `add` (class name → globs) added to them.
    ///
    /// # Errors
    ///
    /// A configuration error naming an unknown class or an invalid glob.
    pub fn new(
        replace: &BTreeMap<String, Vec<String>>,
        add: &BTreeMap<String, Vec<String>>,
    ) -> Result<Self> {
        for name in replace.keys().chain(add.keys()) {
            if !PathClass::ALL.iter().any(|c| c.as_str() == name) {
                let known: Vec<&str> = PathClass::ALL.iter().map(|c| c.as_str()).collect();
                return Err(Error::config(format!(
                    "[paths]: `{name}` is not a path class; use one of {}",
                    known.join(", ")
                )));
            }
        }
        let mut sets = Vec::new();
        let mut globs = BTreeMap::new();
        for class in PathClass::ALL {
            let mut list: Vec<String> = match replace.get(class.as_str()) {
                Some(list) => list.clone(),
                None => class.defaults().iter().map(|g| (*g).to_string()).collect(),
            };
            list.extend(add.get(class.as_str()).cloned().unwrap_or_default());
            let setting = format!("[paths] {}", class.as_str());
            let set = glob_set(
                &list,
                &setting,
                "; see \"Path evidence\" in bumpwise's docs/evidence.md",
            )?;
            sets.push((class, set));
            globs.insert(class, list);
        }
        Ok(Self { sets, globs })
    }

    /// The class of `path` (from the repository root).
    pub fn class_of(&self, path: &str) -> PathClass {
        // Prepared once for every class's set, not once per set.
        let candidate = globset::Candidate::new(path);
        for (class, set) in &self.sets {
            if set.is_match_candidate(&candidate) {
                return *class;
            }
        }
        PathClass::Shipped
    }
}

/// Compiles `list` into one set; an invalid glob is a configuration error
/// naming `setting` and the glob, with `hint` after it.
fn glob_set(list: &[String], setting: &str, hint: &str) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for glob in list {
        let compiled = GlobBuilder::new(&anchored(glob))
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| {
                Error::config(format!(
                    "{setting}: `{glob}` is not a valid glob ({}){hint}",
                    e.kind()
                ))
            })?;
        builder.add(compiled);
    }
    builder
        .build()
        .map_err(|e| Error::config(format!("{setting}: {e}")))
}

/// A list of globs from the configuration, anchored as `[paths]` anchors them.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    set: GlobSet,
    /// The globs as written.
    pub list: Vec<String>,
}

impl PartialEq for Globs {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl Eq for Globs {}

impl Globs {
    /// Compiles `list`; `setting` names it in an error (`[api] ignore`).
    ///
    /// # Errors
    ///
    /// A configuration error naming an invalid glob.
    pub fn new(list: &[String], setting: &str) -> Result<Self> {
        Ok(Self {
            set: glob_set(list, setting, "")?,
            list: list.to_vec(),
        })
    }

    /// Whether `path` (from the repository root) matches one of the globs.
    pub fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
    }
}

/// Largest change file read.
const CHANGE_FILE_LIMIT: usize = 64 << 10;

/// Largest manifest read to tell what changed in it.
const MANIFEST_LIMIT: usize = 1 << 20;

/// The visitor that classes every changed path and reads the manifests that say more than dependencies.
struct Classifier<'a> {
    rules: &'a PathRules,
    objects: &'a dyn Objects,
    paths: Paths,
    error: Option<Error>,
    /// Changed files seen so far.
    seen: usize,
    /// Which shipped files to keep, with their ids, for another reader of the same comparison.
    keep: Option<&'a dyn Fn(&str) -> bool>,
    kept: Kept,
}

/// The changed shipped files [`read_keeping`] kept, with their ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    /// The files kept, in git's order (`cut` when the comparison was cut short).
    pub files: ChangedFiles,
    /// Some changed shipped file was not kept.
    pub refused: bool,
}

impl Visitor for Classifier<'_> {
    fn visit(&mut self, change: Change<'_>) -> Action {
        // Past the limit the rest is not read: the commit is taken as changing shipped code.
        self.seen += 1;
        if self.seen > CHANGES_READ {
            self.kept.files.cut = true;
            if !self.paths.ships() {
                self.paths.classes.insert(PathClass::Shipped);
                self.paths
                    .first
                    .push((PathClass::Shipped, change.path.into()));
            }
            return Action::Cancel;
        }
        if change.old.is_none()
            && let Some(new) = change.new
            && changesets::is_change_file(change.path)
        {
            self.change_file(change.path, new);
        }
        // A submodule takes the class of what lies below its path (`examples`
        // holds examples); it is never read as a file.
        let mut class = match change.gitlink {
            true => self.rules.class_of(&format!("{}/_", change.path)),
            false => self.rules.class_of(change.path),
        };
        if class == PathClass::Shipped
            && let Some(keep) = self.keep
        {
            if !change.gitlink && keep(change.path) {
                self.kept.files.files.push(ChangedPath {
                    path: change.path.to_string(),
                    old: change.old,
                    new: change.new,
                });
            } else {
                self.kept.refused = true;
            }
        }
        if class == PathClass::Dependencies && !change.gitlink {
            let what = match manifests::Kind::of(change.path) {
                Some(kind) => match self.manifest(kind, change.old, change.new) {
                    Ok(what) => what,
                    Err(e) => {
                        self.error.get_or_insert(e);
                        What::SHIPPED
                    }
                },
                // A lock file follows its manifest, except where it only moves the project's own version.
                None if manifests::is_lock_file(change.path) => What {
                    release: self.lock_is_release(change.path, change.old, change.new),
                    ..What::default()
                },
                None if manifests::is_dev_requirements(change.path) => What {
                    dev: true,
                    ..What::default()
                },
                None => What {
                    dependencies: true,
                    ..What::default()
                },
            };
            if manifests::Kind::of(change.path).is_some() || what.release {
                class = what.class();
            }
            self.paths.manifests = self.paths.manifests.with(what);
        }
        if !self.paths.classes.contains(class) {
            self.paths.classes.insert(class);
            self.paths.first.push((class, change.path.into()));
        } else if class == PathClass::Dependencies && !manifests::is_lock_file(change.path) {
            // A manifest says more than its lock file: show it.
            if let Some(first) = self
                .paths
                .first
                .iter_mut()
                .find(|(c, p)| *c == class && manifests::is_lock_file(p))
            {
                first.1 = change.path.into();
            }
        }
        Action::Continue
    }
}

impl<'a> Classifier<'a> {
    fn new(rules: &'a PathRules, objects: &'a dyn Objects) -> Self {
        Self {
            rules,
            objects,
            paths: Paths::default(),
            error: None,
            seen: 0,
            keep: None,
            kept: Kept::default(),
        }
    }

    /// Reads an added change file.
    fn change_file(&mut self, path: &str, id: ObjectId) {
        let parsed = match self.objects.blob(id, CHANGE_FILE_LIMIT) {
            Ok(Some(bytes)) => changesets::parse(path, &String::from_utf8_lossy(&bytes)),
            Ok(None) => Err("it is larger than 64 KiB".to_string()),
            Err(e) => Err(e.to_string()),
        };
        match parsed {
            Ok(set) => self.paths.changesets.push(set),
            Err(why) => self.paths.malformed.push((path.to_string(), why)),
        }
    }

    /// Whether the lock file at `path` changed only the project's own version ([`manifests::lock_is_release`]).
    fn lock_is_release(&self, path: &str, old: Option<ObjectId>, new: Option<ObjectId>) -> bool {
        let read = |id: Option<ObjectId>| {
            id.and_then(|id| self.objects.blob(id, MANIFEST_LIMIT).ok().flatten())
        };
        match (read(old), read(new)) {
            (Some(old), Some(new)) => manifests::lock_is_release(path, &old, &new),
            _ => false,
        }
    }

    fn manifest(
        &self,
        kind: manifests::Kind,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Result<What> {
        let read = |id: Option<ObjectId>| -> Result<Option<Vec<u8>>> {
            match id {
                Some(id) => self.objects.blob(id, MANIFEST_LIMIT),
                None => Ok(Some(Vec::new())),
            }
        };
        Ok(match (read(old)?, read(new)?) {
            (Some(old), Some(new)) => manifests::compare(kind, &old, &new),
            _ => What::SHIPPED, // too large to read: it may say anything
        })
    }
}

/// The paths a commit with tree `tree` changes against its first parent's
/// tree `parent` (`None`: a root commit, or the cut of a shallow clone), classed.
///
/// # Errors
///
/// A repository error when a tree or a manifest cannot be read.
pub fn read(
    objects: &dyn Objects,
    rules: &PathRules,
    tree: ObjectId,
    parent: Option<ObjectId>,
) -> Result<Paths> {
    Ok(read_keeping(objects, rules, (tree, parent), None)?.0)
}

/// [`read`], also keeping the changed shipped files `keep` accepts, with
/// their ids, from the same comparison: the files another reader (the public
/// API) would otherwise compare the trees again to find. Their `cut` says
/// when there were more than [`CHANGES_READ`] changed files, and the rest was
/// not read.
///
/// # Errors
///
/// A repository error when a tree or a manifest cannot be read.
pub fn read_keeping(
    objects: &dyn Objects,
    rules: &PathRules,
    (tree, parent): (ObjectId, Option<ObjectId>),
    keep: Option<&dyn Fn(&str) -> bool>,
) -> Result<(Paths, Kept)> {
    let mut classifier = Classifier::new(rules, objects);
    classifier.keep = keep;
    objects.compare(tree, parent, &mut classifier)?;
    match classifier.error {
        Some(e) => Err(e),
        None => Ok((classifier.paths, classifier.kept)),
    }
}

/// The paths a merge with tree `tree` changed itself, classed: those that
/// differ from both its first parent's tree `first` and its second parent's
/// `second` (the merge's own resolution and edits). What either side brought
/// unchanged is no change of the merge. Past [`CHANGES_READ`] paths that
/// differ from the second parent, nothing is read (the merge is judged by its
/// message, as before this was read).
///
/// # Errors
///
/// A repository error when a tree or a manifest cannot be read.
pub fn read_merge(
    objects: &dyn Objects,
    rules: &PathRules,
    tree: ObjectId,
    (first, second): (Option<ObjectId>, Option<ObjectId>),
) -> Result<Option<Paths>> {
    let mut theirs = Differs::default();
    objects.compare(tree, second, &mut theirs)?;
    if theirs.cut {
        return Ok(None);
    }
    let mut own = Own {
        differs: &theirs.paths,
        classifier: Classifier::new(rules, objects),
    };
    objects.compare(tree, first, &mut own)?;
    match own.classifier.error {
        Some(e) => Err(e),
        None => Ok(Some(own.classifier.paths)),
    }
}

/// The paths that differ in a comparison, up to [`CHANGES_READ`].
#[derive(Default)]
struct Differs {
    paths: std::collections::HashSet<String>,
    cut: bool,
}

impl Visitor for Differs {
    fn visit(&mut self, change: Change<'_>) -> Action {
        if self.paths.len() == CHANGES_READ {
            self.cut = true;
            return Action::Cancel;
        }
        self.paths.insert(change.path.to_string());
        Action::Continue
    }
}

/// A classifier that sees only the paths that also differ from the other parent.
struct Own<'a> {
    differs: &'a std::collections::HashSet<String>,
    classifier: Classifier<'a>,
}

impl Visitor for Own<'_> {
    fn visit(&mut self, change: Change<'_>) -> Action {
        match self.differs.contains(change.path) {
            true => self.classifier.visit(change),
            false => Action::Continue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_class_the_usual_layouts() {
        let rules = PathRules::default();
        for (path, class) in [
            (".github/workflows/sbom.yml", PathClass::Ci),
            ("travis/cross_build.sh", PathClass::Ci),
            ("ci/script.sh", PathClass::Ci),
            ("ci/docker/x86_64/Dockerfile", PathClass::Ci),
            (".ci/run", PathClass::Ci),
            ("ci/ci.go", PathClass::Shipped),
            ("README.md", PathClass::Meta),
            ("docs/deprecations/listen.md", PathClass::Docs),
            ("pkg/config/README.md", PathClass::Meta),
            ("CHANGELOG.md", PathClass::Release),
            ("internal/auth/auth_test.go", PathClass::Tests),
            ("internal/auth/auth.go", PathClass::Shipped),
            ("src/lib.rs", PathClass::Shipped),
            ("tests/cli.rs", PathClass::Tests),
            ("go.mod", PathClass::Dependencies),
            ("examples/go.mod", PathClass::Examples),
            ("web/src/App.test.tsx", PathClass::Tests),
            ("src/main/java/App.java", PathClass::Shipped),
            ("src/test/java/AppTest.java", PathClass::Tests),
            ("Makefile", PathClass::Build),
            (".gitignore", PathClass::Meta),
            ("vendor/github.com/x/y.go", PathClass::Dependencies),
            ("pkg/foo/testdata/in.json", PathClass::Tests),
            ("circle.yml", PathClass::Ci),
            ("bitbucket-pipelines.yml", PathClass::Ci),
            ("pytest.ini", PathClass::Tests),
            ("jest.config.js", PathClass::Tests),
            ("MANIFEST.in", PathClass::Build),
            (".npmignore", PathClass::Build),
            (".husky/pre-commit", PathClass::Build),
            ("src/circle.rs", PathClass::Shipped),
        ] {
            assert_eq!(rules.class_of(path), class, "{path}");
        }
    }

    #[test]
    fn settings_replace_and_add_and_unknown_names_are_errors() {
        let replace = BTreeMap::from([("docs".to_string(), vec!["manual/**".to_string()])]);
        let add = BTreeMap::from([("shipped".to_string(), vec!["docs/api/*.yaml".to_string()])]);
        let rules = PathRules::new(&replace, &add).unwrap();
        assert_eq!(rules.class_of("manual/x.txt"), PathClass::Docs);
        assert_eq!(rules.class_of("docs/api/openapi.yaml"), PathClass::Shipped);
        // `docs/**` is no longer docs; `*.md` elsewhere neither.
        assert_eq!(rules.class_of("docs/guide.txt"), PathClass::Shipped);
        let bad = BTreeMap::from([("doc".to_string(), vec!["x".to_string()])]);
        let err = PathRules::new(&bad, &BTreeMap::new()).unwrap_err();
        assert!(
            err.to_string().contains("`doc` is not a path class"),
            "{err}"
        );
        let glob = BTreeMap::from([("docs".to_string(), vec!["docs/[".to_string()])]);
        let err = PathRules::new(&glob, &BTreeMap::new()).unwrap_err();
        assert!(
            err.to_string().contains("`docs/[` is not a valid glob"),
            "{err}"
        );
    }
}
