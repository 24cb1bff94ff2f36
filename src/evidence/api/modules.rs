//! A Rust library crate's module walk: from `src/lib.rs` through each
//! `pub mod` to the file that holds it (`a.rs` or `a/mod.rs`, and below a
//! non-`mod.rs` file its own directory), collecting items under their module
//! paths.
//!
//! The walk is bounded: a tree can share one directory under many names, so a
//! few kilobytes of objects can reach millions of module files. Past
//! [`MODULE_FILES`] files or [`MODULE_DEPTH`] levels of modules the crate is
//! skipped, said as such, and gives no evidence (no real crate comes near:
//! the largest have a few thousand files a dozen levels deep).

use std::collections::{BTreeMap, BTreeSet};

use super::Surface;

/// Largest source file read.
pub const SOURCE_LIMIT: usize = 1 << 20;

/// The most module files one crate's walk reads.
pub const MODULE_FILES: usize = 10_000;

/// The deepest module (`a::b::…`, counted in names) the walk follows.
pub const MODULE_DEPTH: usize = 64;

/// A parsed blob.
#[derive(Clone)]
pub enum Blob<T> {
    /// The file parsed.
    Parsed(T),
    /// The file says it is generated: no evidence.
    Generated,
    /// The file does not parse.
    Unparsed,
    /// Larger than [`SOURCE_LIMIT`]: skipped, never parsed.
    TooLarge,
}

impl<T> Blob<T> {
    /// Why the file gives no evidence, when it gives none: it does not parse, or it was too large to read.
    pub fn unread(&self) -> Option<String> {
        match self {
            Blob::Unparsed => Some("does not parse".to_string()),
            Blob::TooLarge => Some(format!(
                "is larger than {} MiB, skipped",
                SOURCE_LIMIT >> 20
            )),
            Blob::Parsed(_) | Blob::Generated => None,
        }
    }
}

/// A crate's surface at one tree, with the files its root reaches.
#[derive(Debug)]
pub struct CrateSurface {
    /// File under `src/` → its items; `None` when a reachable file does not
    /// parse, or the walk went past its bounds.
    pub surface: Option<BTreeMap<String, Surface>>,
    /// The reachable files (`src/…`), generated ones too.
    pub files: BTreeSet<String>,
    /// The reachable files that say they are generated.
    pub generated: BTreeSet<String>,
    /// Why the crate gives no evidence, when it gives none.
    pub note: Option<String>,
    /// The crate's public types an item-level macro call names: their trait
    /// impls may be the macro's, which no syntax shows.
    pub macro_types: BTreeSet<String>,
}

impl CrateSurface {
    /// A crate with no files: no items.
    pub fn empty() -> Self {
        Self {
            surface: Some(BTreeMap::new()),
            files: BTreeSet::new(),
            generated: BTreeSet::new(),
            note: None,
            macro_types: BTreeSet::new(),
        }
    }
}

/// Walks the crate at `dir` from `lib.rs`: `open(file)` gives the parsed file
/// at a path under `src/` (`None` when there is none), `exists(file)` whether
/// there is a file at that path, without reading it.
///
/// # Errors
///
/// What `open` or `exists` return.
#[cfg(feature = "rust")]
pub fn walk<E>(
    dir: &str,
    mut open: impl FnMut(&str) -> Result<Option<std::rc::Rc<Blob<super::rust::File>>>, E>,
    mut exists: impl FnMut(&str) -> Result<bool, E>,
) -> Result<CrateSurface, E> {
    let label = match dir.trim_end_matches('/').rsplit('/').next() {
        Some("") | None => "crate",
        Some(name) => name,
    };
    let at = if dir.is_empty() { "the root" } else { dir };
    let mut surface: BTreeMap<String, Surface> = BTreeMap::new();
    let mut out = CrateSurface::empty();
    let mut impls = Vec::new();
    let mut named_by_macros = BTreeSet::new();
    // (file under src/, its module path with a trailing `::`, whether it owns its directory)
    let mut queue = vec![("lib.rs".to_string(), String::new(), true)];
    while let Some((file, module, owns_dir)) = queue.pop() {
        let Some(parsed) = open(&file)? else {
            continue;
        };
        let path = format!("src/{file}");
        out.files.insert(path.clone());
        let why = match &*parsed {
            Blob::Parsed(parsed) if !parsed.too_deep => None,
            Blob::Parsed(_) => Some(format!(
                "nests modules or `use` lists more than {} deep, skipped",
                super::rust::DEPTH
            )),
            Blob::Generated => {
                out.generated.insert(path);
                continue;
            }
            unread @ (Blob::Unparsed | Blob::TooLarge) => unread.unread(),
        };
        let (Blob::Parsed(parsed), None) = (&*parsed, why.as_ref()) else {
            out.surface = None;
            out.note = Some(format!(
                "{dir}src/{file} {}: no API evidence from the crate at {at}",
                why.unwrap_or_default(),
            ));
            return Ok(out);
        };
        let items = surface.entry(path).or_default();
        for (name, item) in &parsed.items {
            items.insert(format!("{label}::{module}{name}"), item.clone());
        }
        impls.extend(
            parsed
                .impls
                .iter()
                .map(|(ty, tr)| (format!("{module}{ty}"), tr.clone())),
        );
        named_by_macros.extend(
            parsed
                .macro_names
                .iter()
                .map(|n| format!("{label}::{module}{n}")),
        );
        let here = if owns_dir {
            file.rsplit_once('/')
                .map_or(String::new(), |(d, _)| format!("{d}/"))
        } else {
            format!("{}/", file.trim_end_matches(".rs"))
        };
        for (name, public) in &parsed.modules {
            if !public {
                continue;
            }
            let module = format!("{module}{name}::");
            // The files read and those still to read, each a file the crate declares.
            if out.files.len() + queue.len() >= MODULE_FILES
                || module.matches("::").count() > MODULE_DEPTH
            {
                out.surface = None;
                out.note = Some(format!(
                    "{dir}src/lib.rs reaches more than {MODULE_FILES} module files or modules more than {MODULE_DEPTH} deep, skipped: no API evidence from the crate at {at}",
                ));
                return Ok(out);
            }
            let path = format!("{here}{}", name.replace("::", "/"));
            let flat = format!("{path}.rs");
            if exists(&flat)? {
                queue.push((flat, module, false));
            } else {
                queue.push((format!("{path}/mod.rs"), module, true));
            }
        }
    }
    let types: BTreeSet<String> = surface
        .values()
        .flatten()
        .filter(|(_, i)| matches!(i.kind, "struct" | "enum" | "union" | "type"))
        .map(|(name, _)| name.clone())
        .collect();
    out.macro_types = types.intersection(&named_by_macros).cloned().collect();
    // Trait impls belong to no one file: the type and the impl may live apart.
    let shared = surface.entry(String::new()).or_default();
    for (ty, tr) in impls {
        let name = format!("{label}::{ty}");
        if types.contains(&name) {
            let item = super::Item {
                kind: "impl",
                signature: "impl".into(),
            };
            shared.insert(format!("{name}: {tr}"), item);
        }
    }
    out.surface = Some(surface);
    Ok(out)
}

#[cfg(all(test, feature = "rust"))]
mod tests {
    use std::collections::HashMap;
    use std::convert::Infallible;
    use std::rc::Rc;

    use super::*;
    use crate::evidence::api::rust;

    /// Walks a crate whose files are `files` (path under `src/` → source), or,
    /// with `every`, where every path holds that one source.
    fn walk_over(files: &[(&str, &str)], every: Option<&str>) -> (CrateSurface, usize) {
        let parsed: HashMap<&str, Rc<Blob<rust::File>>> = files
            .iter()
            .map(|(p, s)| {
                (
                    *p,
                    Rc::new(Blob::Parsed(rust::parse(s.as_bytes()).unwrap())),
                )
            })
            .collect();
        let everywhere = every.map(|s| Rc::new(Blob::Parsed(rust::parse(s.as_bytes()).unwrap())));
        let mut opened = 0;
        let out = walk::<Infallible>(
            "",
            |f| {
                opened += 1;
                Ok(everywhere.clone().or_else(|| parsed.get(f).cloned()))
            },
            |f| Ok(everywhere.is_some() || parsed.contains_key(f)),
        )
        .unwrap();
        (out, opened)
    }

    #[test]
    fn the_walk_follows_pub_mod_to_flat_and_mod_rs_files() {
        let (out, _) = walk_over(
            &[
                (
                    "lib.rs",
                    "pub mod a; pub mod b; mod hidden; pub fn top() {}",
                ),
                ("a.rs", "pub mod inner; pub struct A;"),
                ("a/inner.rs", "pub fn deep() {}"),
                ("b/mod.rs", "pub fn bee() {}"),
                ("hidden.rs", "pub fn no() {}"),
            ],
            None,
        );
        let names: Vec<&String> = out
            .surface
            .as_ref()
            .unwrap()
            .values()
            .flat_map(|s| s.keys())
            .collect();
        for name in [
            "crate::top",
            "crate::a::A",
            "crate::a::inner::deep",
            "crate::b::bee",
        ] {
            assert!(names.iter().any(|n| *n == name), "{name} in {names:?}");
        }
        assert!(!names.iter().any(|n| n.contains("no")), "{names:?}");
        assert_eq!(out.files.len(), 4);
    }

    #[test]
    fn a_tree_sharing_one_directory_under_many_names_stops_at_the_file_bound() {
        // Each file declares two modules that hold the same file: 2^n files at depth n.
        let (out, opened) = walk_over(&[], Some("pub mod a; pub mod b; pub fn f() {}"));
        assert!(out.surface.is_none());
        assert!(opened <= MODULE_FILES, "{opened} files opened");
        assert!(
            out.note
                .as_deref()
                .unwrap()
                .contains("more than 10000 module files"),
            "{:?}",
            out.note
        );
    }

    #[test]
    fn a_chain_of_modules_stops_at_the_depth_bound() {
        let (out, opened) = walk_over(&[], Some("pub mod a;"));
        assert!(out.surface.is_none());
        assert_eq!(opened, MODULE_DEPTH + 1);
        // A chain within the bound is read whole.
        let chain: Vec<(String, String)> = (0..MODULE_DEPTH)
            .map(|d| {
                let file = if d == 0 {
                    "lib.rs".to_string()
                } else {
                    format!("{}.rs", "a/".repeat(d - 1) + "a")
                };
                (file, "pub mod a; pub fn f() {}".to_string())
            })
            .collect();
        let files: Vec<(&str, &str)> = chain
            .iter()
            .map(|(p, s)| (p.as_str(), s.as_str()))
            .collect();
        let (out, _) = walk_over(&files, None);
        assert!(out.surface.is_some(), "{:?}", out.note);
        assert_eq!(out.files.len(), MODULE_DEPTH);
    }
}
