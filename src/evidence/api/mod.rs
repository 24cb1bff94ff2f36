//! The public API as evidence: what a range does to the exported surface of
//! Go packages and Rust library crates.
//!
//! Owns the surface (one [`Item`] per exported identifier, keyed by where it
//! is reachable from, with a signature that ignores names, order and
//! formatting), the extractors of each language ([`go`], [`rust`]: parsed with
//! tree-sitter, which tolerates any input and reports where it could not
//! parse), and [`compare`]: the [`Change`]s between two surfaces. Reading the
//! files of a tree and caching their parses is [`units`]'s; giving a range's
//! changes to the commits that made them, [`attribute`]'s; which units are
//! released apart from the root's release (a workspace member on its own
//! version, a Go module of its own), [`apart`]'s. A file that does
//! not parse, a generated file and a vendored one give no evidence; none of
//! this fails on bad input.

pub mod apart;
pub mod attribute;
#[cfg(feature = "go")]
pub mod go;
#[cfg(feature = "go")]
pub mod golex;
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
    if language == Language::Rust {
        // What a glob re-export of the same module may still make visible is
        // not known to be gone (an item moved behind `pub use inner::*`), and
        // a glob that joins others adds nothing known.
        let (was, is) = (glob_modules(old), glob_modules(new));
        if !was.is_empty() || !is.is_empty() {
            out.retain(|c| {
                // A glob's module is its name without its path; another item's, its name's.
                let sig = c.after.as_deref().or(c.before.as_deref());
                let glob = sig.and_then(|s| s.strip_prefix("use "));
                let module = glob
                    .and_then(|g| c.name.strip_suffix(g))
                    .unwrap_or_else(|| module_of(&c.name));
                match c.change {
                    ChangeKind::Removed => !is.contains(module),
                    ChangeKind::Added if glob.is_some() => !was.contains(module),
                    _ => true,
                }
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.change.cmp(&b.change)));
    out
}

/// The modules (`crate::a::`) of a Rust surface that hold a glob re-export
/// (`pub use inner::*`, its signature `use inner::*`).
fn glob_modules(surface: &Surface) -> std::collections::BTreeSet<&str> {
    surface
        .iter()
        .filter(|(_, item)| item.kind == "use")
        .filter_map(|(name, item)| {
            let glob = item.signature.strip_prefix("use ")?;
            name.strip_suffix(glob)
        })
        .collect()
}

/// The module of a full name, `::`-terminated (`crate::a::` of `crate::a::F`).
fn module_of(name: &str) -> &str {
    name.rfind("::").map_or("", |at| &name[..at + 2])
}

/// Whether a Rust item changed from `was` to `is` keeps its API: a `pub use`
/// replaced by a definition at the same path, or the reverse (the name stays
/// reachable where it was), and the same types named by other paths:
/// `core::`/`alloc::` paths of what `std::` re-exports, and a path written
/// out or imported (`ser::Serialize` after `use serde::ser::Serialize` is
/// `Serialize`). Without resolving imports, two same-named types of
/// different modules read as one: a real change of that kind is missed,
/// where reading every `use` refactor as a break proposed false majors.
fn rust_same_api(was: &Item, is: &Item) -> bool {
    if (was.kind == "use") != (is.kind == "use") {
        return true;
    }
    let canonical = |sig: &str| bounds_in_one_place(&unqualified(sig));
    let (was_sig, is_sig) = (canonical(&was.signature), canonical(&is.signature));
    was.kind == is.kind && without_lifetimes(&was_sig) == without_lifetimes(&is_sig)
}

/// Splits `text` at the top-level occurrences of `sep` (outside `<>`, `()`,
/// `[]`; the `>` of `->` opens nothing), each part trimmed.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let (mut depth, mut start, mut parts) = (0i32, 0, Vec::new());
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' if previous != '-' => depth -= 1,
            ')' | ']' => depth -= 1,
            _ if c == sep && depth == 0 => {
                parts.push(text[start..at].trim());
                start = at + c.len_utf8();
            }
            _ => {}
        }
        previous = c;
    }
    parts.push(text[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// A Rust fn signature with each type parameter's bounds in one place: those
/// written in `<…>` and in the `where` clause joined and sorted, so moving a
/// bound from one to the other (`<T: ?Sized>(&T) where T: Serialize` and
/// `<T>(&T) where T: ?Sized + Serialize`, as clippy's
/// `multiple_bound_locations` asks) is the same signature. Other signatures
/// are returned as they are.
fn bounds_in_one_place(sig: &str) -> String {
    // The item's own `fn` (after its qualifiers), not a `…fn<` inside a parameter type.
    let own = sig
        .match_indices("fn")
        .find(|(at, _)| *at == 0 || sig[..*at].ends_with(' '));
    let Some(open) = own
        .map(|(at, _)| at + 2)
        .filter(|&at| sig[at..].starts_with('<'))
    else {
        return sig.to_string();
    };
    // The generics' closing `>`: the first at depth zero.
    let mut depth = 0;
    let mut close = None;
    for (at, c) in sig[open..].char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' if !sig[..open + at].ends_with('-') => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + at);
                    break;
                }
            }
            ')' | ']' => depth -= 1,
            _ => {}
        }
    }
    let Some(close) = close else {
        return sig.to_string();
    };
    let (body, clause) = match sig[close..].rfind(" where ") {
        Some(at) => (&sig[close + 1..close + at], &sig[close + at + 7..]),
        None => (&sig[close + 1..], ""),
    };
    let mut params: Vec<(&str, Vec<&str>)> = Vec::new();
    for param in split_top(&sig[open + 1..close], ',') {
        let (name, bounds) = param.split_once(':').unwrap_or((param, ""));
        params.push((name.trim(), split_top(bounds, '+')));
    }
    let mut others = Vec::new();
    for predicate in split_top(clause, ',') {
        let (subject, bounds) = predicate.split_once(':').unwrap_or((predicate, ""));
        match params.iter_mut().find(|(name, _)| *name == subject.trim()) {
            Some((_, joined)) => joined.extend(split_top(bounds, '+')),
            None => others.push(predicate.to_string()),
        }
    }
    let names: Vec<&str> = params.iter().map(|(name, _)| *name).collect();
    for (name, mut bounds) in params {
        bounds.sort_unstable();
        bounds.dedup();
        if !bounds.is_empty() {
            others.push(format!("{name}: {}", bounds.join(" + ")));
        }
    }
    others.sort_unstable();
    let mut out = format!("{}<{}>{body}", &sig[..open], names.join(", "));
    if !others.is_empty() {
        out.push_str(" where ");
        out.push_str(&others.join(", "));
    }
    out
}

/// The tokens of `sig` without its named lifetimes (`'static` stays), and
/// without the commas, `+`, `:` and `<>` they leave empty: an elided
/// lifetime is the one written out (`fn<'a>(&'a self) -> &'a V` is
/// `fn(&self) -> &V`). Lifetimes are not compared, as `cargo-semver-checks`
/// does not compare them either.
fn without_lifetimes(sig: &str) -> Vec<&str> {
    let mut tokens: Vec<&str> = Vec::new();
    let mut rest = sig.trim_start();
    while let Some(first) = rest.chars().next() {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        let len = if first == '\'' || word(first) {
            first.len_utf8()
                + rest[first.len_utf8()..]
                    .find(|c: char| !word(c))
                    .unwrap_or(rest.len() - first.len_utf8())
        } else {
            first.len_utf8()
        };
        let token = &rest[..len];
        if !(token.starts_with('\'') && token != "'static") {
            tokens.push(token);
        }
        rest = rest[len..].trim_start();
    }
    // What a removed lifetime leaves: `<, T>`, `<>`, `T: + Clone`, `, ,`,
    // and in a where clause a predicate with no bound left (`where T: ,`).
    let mut out: Vec<&str> = Vec::with_capacity(tokens.len());
    let mut in_where = false;
    let empty_bound = |out: &mut Vec<&str>, in_where: bool| {
        if out.last() == Some(&":") {
            out.pop();
            if in_where {
                out.pop();
            }
        }
    };
    for token in tokens {
        in_where |= token == "where";
        let last = out.last().copied();
        match token {
            "," | "+" if matches!(last, Some("<" | "(" | "," | "+" | "where")) => {}
            "+" if last == Some(":") => {}
            ":" if matches!(last, Some("<" | "," | "where")) => {}
            "," | ">" | ")" | "{" => {
                empty_bound(&mut out, in_where);
                match (out.last().copied(), token) {
                    (Some("<"), ">") => {
                        out.pop();
                    }
                    (Some("," | "+"), _) => {
                        out.pop();
                        out.push(token);
                    }
                    (Some("where"), ",") => {}
                    _ => out.push(token),
                }
            }
            _ => out.push(token),
        }
    }
    empty_bound(&mut out, in_where);
    while matches!(out.last(), Some(&("," | "+" | "where"))) {
        out.pop();
    }
    out
}

/// `text` with its named lifetimes left out (see [`without_lifetimes`]):
/// `Index<&'a Q>` is `Index<&Q>`.
#[cfg(feature = "rust")]
pub(crate) fn lifetimes_elided(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'';
    for token in without_lifetimes(text) {
        if out.ends_with(word) && token.starts_with(word) {
            out.push(' ');
        }
        out.push_str(token);
    }
    out
}

/// `sig` with every path qualifier left out (`std::fmt::Result` → `Result`).
pub(crate) fn unqualified(sig: &str) -> String {
    let mut out = String::with_capacity(sig.len());
    let mut rest = sig;
    while let Some(at) = rest.find("::") {
        out.push_str(&rest[..at]);
        let kept = out
            .trim_end_matches(|c: char| c.is_alphanumeric() || c == '_')
            .len();
        out.truncate(kept);
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
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
        // A path written out or imported names the same type.
        assert!(same(
            &item(
                "fn",
                "fn<T: ?Sized>(&T) -> Result<String> where T: ser::Serialize"
            ),
            &item(
                "fn",
                "fn<T: ?Sized>(&T) -> Result<String> where T: Serialize"
            )
        ));
        assert!(same(
            &item(
                "fn",
                "fn(&crate::value::Value) -> Option<<T as de::Trait>::Out>"
            ),
            &item("fn", "fn(&Value) -> Option<<T as Trait>::Out>")
        ));
        assert!(!same(
            &item("fn", "fn(&ser::Serialize) -> u8"),
            &item("fn", "fn(&ser::Serializer) -> u8")
        ));
        // A bound in the generics or in the where clause is the same bound.
        assert!(same(
            &item(
                "fn",
                "fn<W, T: ?Sized>(W, &T) -> Result<()> where W: io::Write, T: Serialize"
            ),
            &item(
                "fn",
                "fn<W: Write, T>(W, &T) -> Result<()> where T: Serialize + ?Sized"
            )
        ));
        assert!(same(
            &item("fn", "fn<F: Fn(u8) -> bool>(F) -> u8"),
            &item("fn", "fn<F>(F) -> u8 where F: Fn(u8) -> bool")
        ));
        assert!(!same(
            &item("fn", "fn<T: ?Sized>(&T) -> u8 where T: Serialize"),
            &item("fn", "fn<T>(&T) -> u8 where T: Serialize")
        ));
        assert!(!same(
            &item("fn", "fn<T: Clone>(&T) -> u8"),
            &item("fn", "fn<T: Clone, U>(&T) -> u8")
        ));
        // Only the item's own generics: a type named `…fn<…>` among the parameters is left as written.
        assert_eq!(
            bounds_in_one_place("fn(Callbackfn<A: B>) -> u8"),
            "fn(Callbackfn<A: B>) -> u8"
        );
        assert_eq!(
            bounds_in_one_place("async fn<T: Clone>(T)"),
            "async fn<T>(T) where T: Clone"
        );
        #[cfg(feature = "rust")]
        {
            assert_eq!(lifetimes_elided("Index<&'a Q>"), "Index<&Q>");
            assert_eq!(
                lifetimes_elided("From<&'static dyn Fn(u8)>"),
                "From<&'static dyn Fn(u8)>"
            );
        }
        // An elided lifetime is the one written out; `'static` and the rest stay.
        assert!(same(
            &item("fn", "fn<'a>(&'a self, &str) -> Option<&'a mut Value>"),
            &item("fn", "fn(&self, &str) -> Option<&mut Value>")
        ));
        assert!(same(
            &item(
                "fn",
                "fn<'a, 'b: 'a, T: Clone + 'a>(&'a T, Cow<'b, str>) -> u8 where T: 'b"
            ),
            &item("fn", "fn<T: Clone>(&T, Cow<str>) -> u8")
        ));
        assert!(!same(
            &item("fn", "fn<'a>(&'a self) -> &'a str"),
            &item("fn", "fn(&self) -> &'static str")
        ));
        assert!(!same(
            &item("fn", "fn<'a>(&'a mut self) -> &'a str"),
            &item("fn", "fn(&self) -> &str")
        ));
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
