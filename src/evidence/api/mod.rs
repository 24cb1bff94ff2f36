//! The public API as evidence: what a range does to the exported surface of
//! Go packages and Rust library crates.
//!
//! Owns the surface (one [`Item`] per exported identifier, keyed by where it
//! is reachable from, with a signature that ignores names, order and
//! formatting), the extractors of each language ([`go`], [`rust`]: parsed with
//! tree-sitter, which tolerates any input and reports where it could not
//! parse), and [`compare`]: the [`Change`]s between two surfaces. Reading the
//! files of a tree and caching their parses is [`units`]'s; giving a range's
//! changes to the commits that made them, [`attribute`]'s. A file that does
//! not parse, a generated file and a vendored one give no evidence; none of
//! this fails on bad input.

pub mod attribute;
#[cfg(feature = "go")]
pub mod go;
pub mod modules;
pub mod own;
#[cfg(feature = "rust")]
pub mod rust;
#[cfg(any(feature = "go", feature = "rust"))]
mod syntax;
pub mod units;

use std::collections::BTreeMap;

use serde::Serialize;

/// The languages whose API bumpwise reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Go: the exported identifiers of packages that are neither `main` nor `internal/`.
    Go,
    /// Rust: the `pub` items reachable from a library crate's root.
    Rust,
}

impl Language {
    /// The lower-case name used in every output and in `[api]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Go => "go",
            Language::Rust => "rust",
        }
    }
}

/// One exported item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Item {
    /// What it is: `func`, `method`, `type`, `field`, `const`, `var` (Go);
    /// `fn`, `struct`, `enum`, `variant`, `trait`, `const`, `static`, `type`,
    /// `mod`, `use`, `impl` (Rust).
    pub kind: &'static str,
    /// Its signature, names and formatting left out (`func(int, ...string) error`).
    pub signature: String,
}

/// An API: full name (`pkg/config.Load`, `mycrate::config::Config::load`) → item.
pub type Surface = BTreeMap<String, Item>;

/// What happened to one exported item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// It is new: a feature.
    Added,
    /// It is gone: a breaking change.
    Removed,
    /// Its signature changed: a breaking change.
    Changed,
}

impl ChangeKind {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }

    /// Whether it breaks the API's users.
    pub fn breaking(self) -> bool {
        self != ChangeKind::Added
    }
}

/// A change to one exported item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// The item's full name.
    pub name: String,
    /// The item's language.
    pub language: Language,
    /// What it is (the new kind when it changed).
    pub kind: &'static str,
    /// Its signature before; `None` when added.
    pub before: Option<String>,
    /// Its signature after; `None` when removed.
    pub after: Option<String>,
}

impl Change {
    /// The change in words, without the signatures: `removed go func pkg/config.Load`.
    pub fn summary(&self) -> String {
        let (verb, lang) = (self.change.as_str(), self.language.as_str());
        format!("{verb} {lang} {} {}", self.kind, self.name)
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())?;
        match (&self.before, &self.after) {
            (Some(before), Some(after)) => write!(f, ": `{before}` → `{after}`"),
            _ => Ok(()),
        }
    }
}

/// The changes from `old` to `new`, in name order.
pub fn compare(old: &Surface, new: &Surface, language: Language) -> Vec<Change> {
    let mut out = Vec::new();
    let change = |change, name: &str, kind, before: Option<&Item>, after: Option<&Item>| Change {
        change,
        name: name.to_string(),
        language,
        kind,
        before: before.map(|i| i.signature.clone()),
        after: after.map(|i| i.signature.clone()),
    };
    for (name, was) in old {
        match new.get(name) {
            None => out.push(change(ChangeKind::Removed, name, was.kind, Some(was), None)),
            Some(is) if is != was && !(language == Language::Rust && rust_same_api(was, is)) => {
                out.push(change(
                    ChangeKind::Changed,
                    name,
                    is.kind,
                    Some(was),
                    Some(is),
                ));
            }
            Some(_) => {}
        }
    }
    for (name, is) in new {
        if !old.contains_key(name) {
            out.push(change(ChangeKind::Added, name, is.kind, None, Some(is)));
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.change.cmp(&b.change)));
    out
}

/// Whether a Rust item changed from `was` to `is` keeps its API: a `pub use`
/// replaced by a definition at the same path, or the reverse (the name stays
/// reachable where it was), and `core::`/`alloc::` paths of what `std::`
/// re-exports (`core::result::Result` is `std::result::Result`).
fn rust_same_api(was: &Item, is: &Item) -> bool {
    if (was.kind == "use") != (is.kind == "use") {
        return true;
    }
    let std = |sig: &str| sig.replace("core::", "std::").replace("alloc::", "std::");
    was.kind == is.kind && std(&was.signature) == std(&is.signature)
}

/// Whether a source file says it is generated: a `Code generated … DO NOT
/// EDIT.` line (Go's convention, also written by Rust generators) or
/// `@generated`, among its leading comment lines.
pub fn is_generated(text: &str) -> bool {
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix("//").or_else(|| line.strip_prefix("/*")) else {
            return false;
        };
        let comment = comment.trim_start_matches(['/', '!', ' ', '*']).trim_end();
        if (comment.starts_with("Code generated ") && comment.ends_with("DO NOT EDIT."))
            || comment.starts_with("@generated")
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn rust_paths_of_one_item_and_a_reexport_made_a_definition_are_the_same_api() {
        let item = |kind, sig: &str| super::Item {
            kind,
            signature: sig.to_string(),
        };
        use super::rust_same_api as same;
        assert!(same(
            &item("fn", "fn() -> core::result::Result<(), E>"),
            &item("fn", "fn() -> std::result::Result<(), E>")
        ));
        assert!(same(&item("use", "use"), &item("struct", "struct Thing")));
        assert!(!same(&item("fn", "fn(u8)"), &item("fn", "fn(u16)")));
    }

    use super::*;

    #[test]
    fn generated_files_are_recognised_by_their_leading_comments() {
        assert!(is_generated(
            "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n"
        ));
        assert!(is_generated("// Copyright\n\n// @generated by build.rs\n"));
        assert!(!is_generated(
            "package x\n// Code generated by x. DO NOT EDIT.\n"
        ));
        assert!(!is_generated("// Code generated by hand, edit freely\n"));
    }
}
