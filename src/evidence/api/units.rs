//! Reading the API of a tree: which changed files can hold it, and what a
//! change between two trees did to it.
//!
//! A Go package is a directory: its surface is the union of its files'
//! exported items (files of package `main`, `_test.go` files, `internal/`,
//! `testdata/` and `vendor/` directories left out), so only the files that
//! changed need reading (Go forbids one name twice in a package). A Rust
//! crate's surface is what its root (`src/lib.rs`) reaches through `pub mod`,
//! so a change below `src/` reads the crate at both trees; its `src` tree's
//! id keys a cache, so the parent's side is usually read already. Each blob is
//! parsed once, cached by id.

// A build without any language reads no source: its parsers and caches stand idle.
#![cfg_attr(not(any(feature = "go", feature = "rust")), allow(dead_code))]

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

#[cfg(any(feature = "go", feature = "rust"))]
use super::modules::Blob;
use super::modules::CrateSurface;
pub use super::own::{OwnApi, ReadAhead, Unit, UnitDelta};
use super::{Change, ChangeKind, Language, Surface, compare};
use crate::error::Result;
use crate::evidence::paths::{Globs, PathClass, PathRules};
use crate::history::{CHANGES_READ, ChangedFiles, ChangedPath, ObjectId, Objects};

/// Which APIs are read: `[api]` in the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRules {
    /// Read Go packages.
    pub go: bool,
    /// Read Rust library crates.
    pub rust: bool,
    /// Paths never read for an API.
    pub ignore: Globs,
}

impl Default for ApiRules {
    fn default() -> Self {
        Self {
            go: cfg!(feature = "go"),
            rust: cfg!(feature = "rust"),
            ignore: Globs::default(),
        }
    }
}

/// What the changes between two trees did to the APIs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delta {
    /// The changes, by unit then name.
    pub changes: Vec<Change>,
    /// Where each changed item lives: its file (Go; on the side it is on, the
    /// old one when removed) or its crate's directory (Rust).
    pub origins: BTreeMap<String, String>,
    /// Files that gave no evidence, and why (`pkg/x.go does not parse`).
    pub notes: Vec<String>,
    /// Some changed file belongs to a library's API (a Go package that is not
    /// `main`, a module a Rust library's root reaches).
    pub library: bool,
    /// Some changed shipped file is outside every library's API (other
    /// languages, `main` and `internal` packages, binaries): the API cannot
    /// tell what it did.
    pub outside: bool,
}

/// What `parts` (one commit's, see [`Reader::deltas`]) did to the units
/// that hold one of `files`: what [`Reader::delta`] reads from those
/// files alone, when `files` are each unit's every changed file.
pub fn delta_within(parts: &[UnitDelta], files: &[ChangedPath], rules: &ApiRules) -> Delta {
    let units: BTreeSet<Unit> = files
        .iter()
        .filter_map(|f| unit_of(rules, &f.path))
        .collect();
    let mut delta = Delta::default();
    for part in parts.iter().filter(|p| units.contains(&p.unit)) {
        delta.changes.extend(part.changes.iter().cloned());
        if part.unit.language == Language::Go {
            delta
                .changes
                .sort_by(|a, b| a.name.cmp(&b.name).then(a.change.cmp(&b.change)));
        }
        delta.notes.extend(part.notes.iter().cloned());
    }
    delta
}

/// One parsed file of a package side, with its path.
#[cfg(feature = "go")]
type GoSide<'a> = (Rc<Blob<super::go::File>>, &'a str);

/// A package side's items by name, each with its file, by reference.
#[cfg(feature = "go")]
fn go_items<'a>(side: &'a [GoSide<'a>]) -> BTreeMap<&'a str, (&'a super::Item, &'a str)> {
    let mut map = BTreeMap::new();
    for (blob, path) in side {
        if let Blob::Parsed(f) = &**blob {
            map.extend(f.items.iter().map(|(k, v)| (k.as_str(), (v, *path))));
        }
    }
    map
}

/// A crate's items, leaving out the files in `skip`.
fn flatten(files: &BTreeMap<String, Surface>, skip: &BTreeSet<&String>) -> Surface {
    files
        .iter()
        .filter(|(file, _)| !skip.contains(file))
        .flat_map(|(_, items)| items.iter().map(|(k, v)| (k.clone(), v.clone())))
        .collect()
}

/// A crate's directory and the id of its `src` tree.
type CrateKey = (String, Option<ObjectId>);

/// The unit whose API the shipped file at `path` could change; `None` for a
/// file that can hold no API (another language, a test, an `internal/` Go
/// package, a vendored file, an ignored path). The class of the path is the
/// caller's to check: [`Reader::unit`] does.
pub fn unit_of(rules: &ApiRules, path: &str) -> Option<Unit> {
    if rules.ignore.is_match(path) {
        return None;
    }
    let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let dirs = || dir.split('/').filter(|d| !d.is_empty());
    if rules.go && file.ends_with(".go") && !file.ends_with("_test.go") {
        let hidden = |d: &str| {
            matches!(d, "internal" | "testdata" | "vendor")
                || d.starts_with('.')
                || d.starts_with('_')
        };
        if dirs().any(hidden) {
            return None;
        }
        let dir = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        return Some(Unit {
            language: Language::Go,
            dir,
        });
    }
    if rules.rust && file.ends_with(".rs") {
        let at = if dir == "src" || dir.starts_with("src/") {
            Some(0)
        } else {
            dir.find("/src/")
                .or_else(|| dir.ends_with("/src").then(|| dir.len() - 4))
                .map(|i| i + 1)
        }?;
        if dirs().any(|d| d == "vendor") {
            return None;
        }
        return Some(Unit {
            language: Language::Rust,
            dir: dir[..at].to_string(),
        });
    }
    None
}

/// The blob `id` read from `objects` and parsed by `parse` (Go's: [`super::golex::read`]).
#[cfg(feature = "rust")]
fn parse_blob<T>(
    objects: &dyn Objects,
    id: ObjectId,
    parse: impl FnOnce(&[u8]) -> Option<T>,
) -> Result<Blob<T>> {
    Ok(match objects.blob(id, super::modules::SOURCE_LIMIT)? {
        None => Blob::TooLarge,
        Some(src) if super::is_generated(&String::from_utf8_lossy(&src)) => Blob::Generated,
        Some(src) => parse(&src).map_or(Blob::Unparsed, Blob::Parsed),
    })
}

#[cfg(feature = "go")]
pub use super::golex::{GoParsed, GoPrints, parse_go};

/// Reads APIs through [`Objects`], caching every parse.
pub struct Reader<'o> {
    objects: &'o dyn Objects,
    rules: &'o ApiRules,
    classes: &'o PathRules,
    cache: &'o Cache,
}

/// What has been parsed, by blob (and crate surfaces by their `src` tree):
/// kept across readers, so that the ranges of one run (the releases of a
/// backtest) parse each blob once.
#[derive(Default)]
pub struct Cache {
    #[cfg(feature = "go")]
    go: RefCell<HashMap<ObjectId, Rc<Blob<super::go::File>>>>,
    /// Clean Go parses by their tokens' fingerprint ([`super::golex`]): a
    /// version that changed only comments or spacing is not parsed again.
    #[cfg(feature = "go")]
    go_prints: RefCell<HashMap<u128, Rc<Blob<super::go::File>>>>,
    #[cfg(feature = "rust")]
    rust: RefCell<HashMap<ObjectId, Rc<Blob<super::rust::File>>>>,
    crates: RefCell<HashMap<CrateKey, Rc<CrateSurface>>>,
    /// Each path's unit ([`Reader::unit`]) under the one configuration the
    /// cache serves: a range's passes ask of the same paths again and again,
    /// and each answer matches the path classes' globs.
    units: RefCell<HashMap<Box<str>, Option<Unit>>>,
}

impl Cache {
    /// Forgets every parsed blob when `more` would take it past `limit`:
    /// room for what is about to be parsed ahead.
    pub fn make_room(&self, more: usize, limit: usize) {
        #[cfg(feature = "go")]
        if self.go.borrow().len() + more > limit {
            self.go.borrow_mut().clear();
            self.go_prints.borrow_mut().clear();
        }
        #[cfg(not(feature = "go"))]
        let _ = (more, limit);
    }

    /// Forgets everything once more than `limit` blobs or crates are kept:
    /// for a cache that serves neighbouring commits, not a whole run.
    pub fn bound(&self, limit: usize) {
        #[cfg(feature = "go")]
        if self.go.borrow().len() > limit {
            self.go.borrow_mut().clear();
            self.go_prints.borrow_mut().clear();
        }
        #[cfg(feature = "rust")]
        if self.rust.borrow().len() > limit {
            self.rust.borrow_mut().clear();
        }
        if self.crates.borrow().len() > limit {
            self.crates.borrow_mut().clear();
        }
        if self.units.borrow().len() > limit {
            self.units.borrow_mut().clear();
        }
    }
}

impl<'o> Reader<'o> {
    /// A reader over `objects`, keeping what it parses in `cache`; `classes` says which paths ship.
    pub fn new(
        objects: &'o dyn Objects,
        rules: &'o ApiRules,
        classes: &'o PathRules,
        cache: &'o Cache,
    ) -> Self {
        Self {
            objects,
            rules,
            classes,
            cache,
        }
    }

    /// The unit whose API a changed file could change; `None` for a file that
    /// can hold no API (another language, a test, a path that does not ship,
    /// an `internal/` Go package, an ignored path).
    pub fn unit(&self, path: &str) -> Option<Unit> {
        if let Some(known) = self.cache.units.borrow().get(path) {
            return known.clone();
        }
        let unit = match self.classes.class_of(path) {
            PathClass::Shipped => unit_of(self.rules, path),
            _ => None,
        };
        self.cache
            .units
            .borrow_mut()
            .insert(path.into(), unit.clone());
        unit
    }

    /// What the changed files `changed` (between `old` and `new`) did to the
    /// APIs of their units. `changed` may hold any paths: the others mark
    /// [`Delta::outside`] when they ship.
    ///
    /// # Errors
    ///
    /// A repository error when a tree or blob cannot be read.
    pub fn delta(
        &self,
        changed: &ChangedFiles,
        old: Option<ObjectId>,
        new: ObjectId,
    ) -> Result<Delta> {
        Ok(self.deltas(changed, (old, new), false)?.0)
    }

    /// [`Reader::delta`], with (when `parts`) each unit's own part, for the
    /// units where it changed or noted something: what a commit did, kept for
    /// a walk that reads it within some units only ([`delta_within`]).
    ///
    /// # Errors
    ///
    /// A repository error when a tree or blob cannot be read.
    pub fn deltas(
        &self,
        changed: &ChangedFiles,
        (old, new): (Option<ObjectId>, ObjectId),
        parts: bool,
    ) -> Result<(Delta, Vec<UnitDelta>)> {
        let mut delta = Delta::default();
        let mut kept = Vec::new();
        if changed.cut {
            delta.notes.push(format!(
                "more than {CHANGES_READ} files changed, which bumpwise does not read one by one: no API evidence"
            ));
            delta.outside = true;
            return Ok((delta, kept));
        }
        let changed = &changed.files;
        let mut units: BTreeMap<Unit, Vec<&ChangedPath>> = BTreeMap::new();
        for change in changed {
            match self.unit(&change.path) {
                Some(unit) => units.entry(unit).or_default().push(change),
                None => {
                    delta.outside |= self.classes.class_of(&change.path) == PathClass::Shipped;
                }
            }
        }
        for (unit, files) in units {
            let mut part = Delta::default();
            match unit.language {
                Language::Go => self.go_package(&unit.dir, &files, &mut part)?,
                Language::Rust => self.rust_crate(&unit.dir, &files, old, new, &mut part)?,
            }
            if parts && (!part.changes.is_empty() || !part.notes.is_empty()) {
                kept.push(UnitDelta {
                    changes: part.changes.clone().into_boxed_slice(),
                    notes: part.notes.clone().into_boxed_slice(),
                    unit: unit.clone(),
                });
            }
            delta.changes.extend(part.changes);
            if unit.language == Language::Go {
                delta
                    .changes
                    .sort_by(|a, b| a.name.cmp(&b.name).then(a.change.cmp(&b.change)));
            }
            delta.origins.extend(part.origins);
            delta.notes.extend(part.notes);
            delta.library |= part.library;
            delta.outside |= part.outside;
        }
        Ok((delta, kept))
    }

    /// Whether `tree` ships a binary of `language`: a Go `main` package at
    /// the root (`main.go`) or under `cmd/` (two entries looked up), a Rust
    /// binary target (`src/main.rs`, `src/bin/*.rs` of a package; the tree
    /// walked until one is found). Its packages' API then serves the binary,
    /// and the version is the binary's.
    ///
    /// # Errors
    ///
    /// A repository error when a tree cannot be read.
    pub fn binaries(&self, tree: ObjectId, language: Language) -> Result<bool> {
        if language == Language::Go {
            return Ok(self.objects.entry(tree, "main.go")?.is_some()
                || self.objects.entry(tree, "cmd")?.is_some());
        }
        let mut finder = Binaries {
            reader: self,
            found: false,
            seen: 0,
        };
        self.objects.compare(tree, None, &mut finder)?;
        Ok(finder.found)
    }

    #[cfg(not(feature = "go"))]
    fn go_package(&self, _: &str, _: &[&ChangedPath], _: &mut Delta) -> Result<()> {
        Ok(())
    }

    /// The exported items of one package before and after: the changed files' only.
    #[cfg(feature = "go")]
    fn go_package(&self, dir: &str, files: &[&ChangedPath], delta: &mut Delta) -> Result<()> {
        // Each side: the parsed files of the package, with their paths.
        let mut sides: [Vec<GoSide<'_>>; 2] = Default::default();
        for file in files {
            let was = file.old.map(|id| self.go_file(id)).transpose()?;
            let is = file.new.map(|id| self.go_file(id)).transpose()?;
            let parsed = [&was, &is].map(|b| b.as_deref());
            if let Some(why) = parsed.iter().flatten().find_map(|b| b.unread()) {
                delta
                    .notes
                    .push(format!("{} {why}: no API evidence from {dir}", file.path));
                return Ok(());
            }
            // A file generated on either side is no evidence on both.
            if parsed.iter().any(|b| matches!(b, Some(Blob::Generated))) {
                continue;
            }
            for (side, blob) in [was, is].into_iter().enumerate() {
                if let Some(blob) = blob
                    && matches!(&*blob, Blob::Parsed(f) if f.package != "main")
                {
                    sides[side].push((blob, file.path.as_str()));
                }
            }
        }
        let library = sides.iter().any(|s| !s.is_empty());
        delta.library |= library;
        delta.outside |= !library;
        // Item → (item, its file), by reference: a change is rare, a copy would be per commit.
        let (before, after) = (go_items(&sides[0]), go_items(&sides[1]));
        let package = sides
            .iter()
            .flatten()
            .find_map(|(b, _)| match &**b {
                Blob::Parsed(f) => Some(f.package.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let name = if dir.is_empty() {
            package
        } else {
            dir.trim_end_matches('/').to_string()
        };
        let mut found = Vec::new();
        let both = before.iter().chain(after.iter());
        let aliases = super::go::aliases(both.map(|(k, (item, _))| (*k, *item)));
        for (key, (was, path)) in &before {
            match after.get(key) {
                None => found.push((key, Some(*was), None, *path)),
                Some((is, new_path)) if !super::go::same_api(was, is, &aliases) => {
                    found.push((key, Some(*was), Some(*is), *new_path));
                }
                Some(_) => {}
            }
        }
        for (key, (is, path)) in &after {
            if !before.contains_key(key) {
                found.push((key, None, Some(*is), *path));
            }
        }
        for (key, was, is, path) in found {
            let full = format!("{name}.{key}");
            let (Some(item), change) = (
                is.or(was),
                match (was, is) {
                    (None, _) => super::ChangeKind::Added,
                    (_, None) => super::ChangeKind::Removed,
                    _ => super::ChangeKind::Changed,
                },
            ) else {
                continue;
            };
            delta.origins.insert(full.clone(), path.to_string());
            delta.changes.push(Change {
                change,
                name: full,
                language: Language::Go,
                kind: item.kind,
                before: was.map(|i| i.signature.clone()),
                after: is.map(|i| i.signature.clone()),
            });
        }
        delta
            .changes
            .sort_by(|a, b| a.name.cmp(&b.name).then(a.change.cmp(&b.change)));
        Ok(())
    }

    /// The Go file `id`, parsed, or found among the parses of the same tokens.
    #[cfg(feature = "go")]
    fn go_file(&self, id: ObjectId) -> Result<Rc<Blob<super::go::File>>> {
        use super::golex::Read;
        if let Some(hit) = self.cache.go.borrow().get(&id) {
            return Ok(Rc::clone(hit));
        }
        let prints = &self.cache.go_prints;
        let blob = match super::golex::read(self.objects, id, |p| prints.borrow().get(&p).cloned())?
        {
            Read::Known(_, blob) => blob,
            Read::Parsed(blob, print) => {
                let blob = Rc::new(blob);
                if let Some(print) = print {
                    prints.borrow_mut().insert(print, Rc::clone(&blob));
                }
                blob
            }
        };
        self.cache.go.borrow_mut().insert(id, Rc::clone(&blob));
        Ok(blob)
    }

    /// The fingerprints of the clean Go parses this reader holds, for
    /// [`parse_go`] to find rather than parse again.
    #[cfg(feature = "go")]
    pub fn go_prints(&self) -> GoPrints {
        GoPrints::held(self.cache.go_prints.borrow().keys().copied())
    }

    /// The Go files of `changed` (as they were and as they are) not parsed
    /// yet: what [`Reader::delta`] would parse, for [`parse_go`] to parse
    /// elsewhere first.
    pub fn go_unparsed(&self, changed: &ChangedFiles) -> Vec<ObjectId> {
        #[cfg(feature = "go")]
        {
            let cache = self.cache.go.borrow();
            let mut ids: Vec<ObjectId> = changed
                .files
                .iter()
                .filter(|c| {
                    self.unit(&c.path)
                        .is_some_and(|u| u.language == Language::Go)
                })
                .flat_map(|c| [c.old, c.new])
                .flatten()
                .filter(|id| !cache.contains_key(id))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        }
        #[cfg(not(feature = "go"))]
        {
            let _ = changed;
            Vec::new()
        }
    }

    /// Keeps Go files [`parse_go`] parsed, as if this reader had: those it
    /// found held here by fingerprint are taken from here (and left to be
    /// read again if they are gone).
    #[cfg(feature = "go")]
    pub fn keep_go(&self, parsed: Vec<GoParsed>) {
        let mut cache = self.cache.go.borrow_mut();
        let mut prints = self.cache.go_prints.borrow_mut();
        for (id, blob, print) in parsed {
            let blob = match (print.and_then(|p| prints.get(&p)), blob) {
                (Some(held), _) => Rc::clone(held),
                (None, Some(blob)) => {
                    let blob = Rc::new(blob);
                    if let Some(print) = print {
                        prints.insert(print, Rc::clone(&blob));
                    }
                    blob
                }
                (None, None) => continue,
            };
            cache.insert(id, blob);
        }
    }

    /// The blob `id` parsed by `parse`, from `cache` or parsed now and kept there.
    #[cfg(feature = "rust")]
    fn cached<T>(
        &self,
        cache: &RefCell<HashMap<ObjectId, Rc<Blob<T>>>>,
        id: ObjectId,
        parse: impl FnOnce(&[u8]) -> Option<T>,
    ) -> Result<Rc<Blob<T>>> {
        if let Some(hit) = cache.borrow().get(&id) {
            return Ok(Rc::clone(hit));
        }
        let parsed = Rc::new(parse_blob(self.objects, id, parse)?);
        cache.borrow_mut().insert(id, Rc::clone(&parsed));
        Ok(parsed)
    }

    /// The crate's surface at both trees, compared.
    fn rust_crate(
        &self,
        dir: &str,
        files: &[&ChangedPath],
        old: Option<ObjectId>,
        new: ObjectId,
        delta: &mut Delta,
    ) -> Result<()> {
        let before = match old {
            Some(tree) => self.crate_surface(dir, tree)?,
            None => Rc::new(CrateSurface::empty()),
        };
        let after = self.crate_surface(dir, new)?;
        let reached = |f: &&&ChangedPath| {
            let rel = &f.path[dir.len()..];
            before.files.contains(rel) || after.files.contains(rel)
        };
        let library = files.iter().filter(reached).count();
        delta.library |= library > 0;
        delta.outside |= library < files.len();
        match (&before.surface, &after.surface) {
            (Some(b), Some(a)) => {
                // A file generated on either side is no evidence on both.
                let skip: BTreeSet<&String> =
                    before.generated.iter().chain(&after.generated).collect();
                let (b, a) = (flatten(b, &skip), flatten(a, &skip));
                for change in compare(&b, &a, Language::Rust) {
                    // An impl gone from a type a macro call now names may be the macro's.
                    let ty = change.name.split(": ").next().unwrap_or_default();
                    if change.change == ChangeKind::Removed
                        && change.kind == "impl"
                        && after.macro_types.contains(ty)
                    {
                        continue;
                    }
                    delta
                        .origins
                        .insert(change.name.clone(), format!("{dir}src/"));
                    delta.changes.push(change);
                }
            }
            _ => delta
                .notes
                .extend(before.note.iter().chain(&after.note).cloned()),
        }
        Ok(())
    }

    /// The surface of the library crate at `dir` in `tree` (empty without `src/lib.rs`).
    fn crate_surface(&self, dir: &str, tree: ObjectId) -> Result<Rc<CrateSurface>> {
        let src = self.objects.entry(tree, &format!("{dir}src"))?;
        let key = (dir.to_string(), src);
        if let Some(hit) = self.cache.crates.borrow().get(&key) {
            return Ok(Rc::clone(hit));
        }
        let surface = Rc::new(match src {
            Some(src) => self.read_crate(dir, src)?,
            None => CrateSurface::empty(),
        });
        self.cache
            .crates
            .borrow_mut()
            .insert(key, Rc::clone(&surface));
        Ok(surface)
    }

    #[cfg(not(feature = "rust"))]
    fn read_crate(&self, _: &str, _: ObjectId) -> Result<CrateSurface> {
        Ok(CrateSurface::empty())
    }

    /// Follows `pub mod` from `src/lib.rs` ([`super::modules::walk`]).
    #[cfg(feature = "rust")]
    fn read_crate(&self, dir: &str, src: ObjectId) -> Result<CrateSurface> {
        super::modules::walk(
            dir,
            |file| match self.objects.entry(src, file)? {
                Some(id) => self.rust_file(id).map(Some),
                None => Ok(None),
            },
            |file| Ok(self.objects.entry(src, file)?.is_some()),
        )
    }

    #[cfg(feature = "rust")]
    fn rust_file(&self, id: ObjectId) -> Result<Rc<Blob<super::rust::File>>> {
        self.cached(&self.cache.rust, id, super::rust::parse)
    }
}

/// The visitor that looks for a Rust binary target, and stops at the first.
struct Binaries<'r, 'o> {
    reader: &'r Reader<'o>,
    found: bool,
    /// Files seen so far: past [`CHANGES_READ`] the search stops, none found.
    seen: usize,
}

impl crate::history::Visitor for Binaries<'_, '_> {
    fn descend(&mut self, dir: &str) -> bool {
        let last = dir.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        !matches!(last, "vendor" | "testdata" | "node_modules" | "target") && !last.starts_with('.')
    }

    fn visit(&mut self, change: crate::history::Change<'_>) -> crate::history::Action {
        use crate::history::Action;
        self.seen += 1;
        if self.seen > CHANGES_READ {
            return Action::Cancel;
        }
        let path = change.path;
        if self.reader.classes.class_of(path) != PathClass::Shipped {
            return Action::Continue;
        }
        let bin = path == "src/main.rs"
            || path.ends_with("/src/main.rs")
            || ((path.starts_with("src/bin/") || path.contains("/src/bin/"))
                && path.ends_with(".rs"));
        if bin {
            self.found = true;
            return Action::Cancel;
        }
        Action::Continue
    }
}
