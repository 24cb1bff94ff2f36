//! Rust: the `pub` items of one file, and the modules it declares.
//!
//! Functions with their signatures, structs with their `pub` fields, enums
//! with their variants, traits with their items, consts, statics, type
//! aliases, `pub use` re-exports by name, the `pub` methods of inherent
//! impls and the traits implemented (and derived) for the file's types. An
//! enum's signature lists its variants unless it is `#[non_exhaustive]`, and
//! a trait's its required items, so adding a variant or a required method
//! changes them (code that matches exhaustively or implements the trait
//! breaks), as `cargo-semver-checks` reads it. Items under `#[cfg(test)]` or
//! `#[doc(hidden)]`, and anything not plainly `pub` (`pub(crate)`), are left
//! out. Which files are reachable from the crate root is [`super::units`]'s.

use tree_sitter::Node;

use super::syntax::{named, text, tokens};
use super::{Item, Surface};

/// What one Rust file declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct File {
    /// Path within the file's module (`Config`, `Config::load`, `inner::f`) → item.
    pub items: Surface,
    /// The modules it declares in other files: (path within the file's module, whether `pub`).
    pub modules: Vec<(String, bool)>,
    /// The types it implements traits for, with the trait: kept only when the
    /// type is public (the crate decides, see [`super::units`]).
    pub impls: Vec<(String, String)>,
    /// Inline modules or `use` lists nest past [`DEPTH`]: what is below was
    /// not read, so the file gives no evidence (the crate is skipped, said so).
    pub too_deep: bool,
    /// The names an item-level macro call names (`delegate_iterator!((ValuesMut<'a>) => …)`):
    /// the trait impls it makes for them cannot be read.
    pub macro_names: std::collections::BTreeSet<String>,
}

/// Reads the public declarations of a Rust file; `None` when it does not parse.
pub fn parse(src: &[u8]) -> Option<File> {
    let tree = super::syntax::parse(src, "rust", || tree_sitter_rust::LANGUAGE.into())?;
    let mut file = File::default();
    declarations(tree.root_node(), src, "", &mut file, 0);
    Some(file)
}

/// The attributes in force for the next item.
#[derive(Default)]
struct Attributes {
    skip: bool,
    non_exhaustive: bool,
    derives: Vec<String>,
}

/// How deep inline modules and `use` lists are followed: a bound on the
/// recursion a hostile file could ask for (a file nesting deeper is skipped, see [`File::too_deep`]).
pub const DEPTH: usize = 32;

fn declarations(list: Node<'_>, src: &[u8], prefix: &str, file: &mut File, depth: usize) {
    let mut attrs = Attributes::default();
    for node in named(list) {
        if node.kind() == "attribute_item" {
            let attr = tokens(node, src).replace(' ', "");
            attrs.skip |= attr.starts_with("#[cfg(test)") || attr.starts_with("#[doc(hidden)");
            attrs.non_exhaustive |= attr == "#[non_exhaustive]";
            if let Some(list) = attr.strip_prefix("#[derive(") {
                let list = list.trim_end_matches(")]");
                attrs.derives.extend(
                    list.split(',')
                        .map(|d| d.rsplit("::").next().unwrap_or(d).to_string()),
                );
            }
            continue;
        }
        if node.kind().contains("comment") {
            continue;
        }
        // An item-level macro call (`m!(…);` parses as a statement holding it).
        if matches!(node.kind(), "macro_invocation" | "expression_statement") {
            macro_names(node, src, prefix, file);
        }
        let current = std::mem::take(&mut attrs);
        if !current.skip {
            declaration(node, src, prefix, &current, file, depth);
        }
    }
}

/// Records the identifiers an item-level macro call names (with `prefix`,
/// its module): a type among them may have impls only the macro makes.
fn macro_names(node: Node<'_>, src: &[u8], prefix: &str, file: &mut File) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" {
            file.macro_names.insert(format!("{prefix}{}", text(n, src)));
        }
        let mut cursor = n.walk();
        stack.extend(n.children(&mut cursor));
    }
}

/// Whether an item is plainly `pub` (not `pub(crate)`, `pub(super)`, `pub(in …)`).
fn public(node: Node<'_>, src: &[u8]) -> bool {
    named(node)
        .iter()
        .any(|c| c.kind() == "visibility_modifier" && text(*c, src) == "pub")
}

fn name<'s>(node: Node<'_>, src: &'s [u8]) -> &'s str {
    node.child_by_field_name("name")
        .map_or("", |n| text(n, src))
}

fn field_tokens(node: Node<'_>, field: &str, src: &[u8]) -> String {
    node.child_by_field_name(field)
        .map(|n| tokens(n, src))
        .unwrap_or_default()
}

fn declaration(
    node: Node<'_>,
    src: &[u8],
    prefix: &str,
    attrs: &Attributes,
    file: &mut File,
    depth: usize,
) {
    let kind = node.kind();
    if kind == "impl_item" {
        return implementation(node, src, prefix, file);
    }
    if kind == "use_declaration" {
        if public(node, src)
            && let Some(arg) = node.child_by_field_name("argument")
        {
            reexports(arg, src, prefix, file, 0);
        }
        return;
    }
    let item_name = name(node, src);
    let full = format!("{prefix}{item_name}");
    if kind == "mod_item" {
        let public = public(node, src);
        match node.child_by_field_name("body") {
            Some(body) if public => {
                insert(&mut file.items, full.clone(), "mod", "mod".into());
                if depth < DEPTH {
                    declarations(body, src, &format!("{full}::"), file, depth + 1);
                } else {
                    file.too_deep = true;
                }
            }
            Some(_) => {}
            None => {
                if public {
                    insert(&mut file.items, full.clone(), "mod", "mod".into());
                }
                file.modules.push((full, public));
            }
        }
        return;
    }
    if !public(node, src) {
        return;
    }
    let generics = field_tokens(node, "type_parameters", src);
    let (kind, signature) = match kind {
        "function_item" | "function_signature_item" => ("fn", function(node, src)),
        "struct_item" => ("struct", structure(node, src, &full, &mut file.items)),
        "enum_item" => (
            "enum",
            enumeration(node, src, &full, attrs, &mut file.items),
        ),
        "union_item" => ("union", format!("union{generics}")),
        "trait_item" => ("trait", trait_items(node, src, &full, &mut file.items)),
        "const_item" => (
            "const",
            format!("const {}", field_tokens(node, "type", src)),
        ),
        "static_item" => (
            "static",
            format!("static {}", field_tokens(node, "type", src)),
        ),
        "type_item" => {
            let ty = field_tokens(node, "type", src);
            ("type", format!("type{generics} = {ty}"))
        }
        "macro_definition" => return,
        _ => return,
    };
    for derive in &attrs.derives {
        file.impls.push((item_name.to_string(), derive.clone()));
    }
    insert(&mut file.items, full, kind, signature);
}

fn insert(items: &mut Surface, name: String, kind: &'static str, signature: String) {
    items.insert(name, Item { kind, signature });
}

/// `fn<T: Clone>(&self, &T, u32) -> Result<(), E> where …`: qualifiers,
/// generics, parameter types, return type and bounds, without the names.
fn function(node: Node<'_>, src: &[u8]) -> String {
    let mut out = String::new();
    for c in named(node) {
        if c.kind() == "function_modifiers" {
            out.push_str(&tokens(c, src));
            out.push(' ');
        }
    }
    out.push_str("fn");
    out.push_str(&field_tokens(node, "type_parameters", src));
    let mut params = Vec::new();
    if let Some(list) = node.child_by_field_name("parameters") {
        for p in named(list) {
            match p.kind() {
                "parameter" => params.push(field_tokens(p, "type", src)),
                "attribute_item" | "line_comment" | "block_comment" => {}
                _ => params.push(tokens(p, src)),
            }
        }
    }
    out.push('(');
    out.push_str(&params.join(", "));
    out.push(')');
    if let Some(ret) = node.child_by_field_name("return_type") {
        out.push_str(" -> ");
        out.push_str(&tokens(ret, src));
    }
    for c in named(node) {
        if c.kind() == "where_clause" {
            out.push(' ');
            out.push_str(&tokens(c, src));
        }
    }
    out
}

fn structure(node: Node<'_>, src: &[u8], full: &str, items: &mut Surface) -> String {
    let generics = field_tokens(node, "type_parameters", src);
    let Some(body) = node.child_by_field_name("body") else {
        return format!("struct{generics} unit");
    };
    let shape = fields(body, src, full, ".", items);
    format!("struct{generics} {shape}")
}

/// Records the `pub` fields of a field list (named `Owner.field`, positional
/// `Owner.0`); returns the list's shape: `{}` or `()`.
fn fields(body: Node<'_>, src: &[u8], owner: &str, sep: &str, items: &mut Surface) -> String {
    if body.kind() == "field_declaration_list" {
        for field in named(body)
            .into_iter()
            .filter(|f| f.kind() == "field_declaration")
        {
            if public(field, src) {
                let ty = field_tokens(field, "type", src);
                insert(
                    items,
                    format!("{owner}{sep}{}", name(field, src)),
                    "field",
                    ty,
                );
            }
        }
        return "{}".into();
    }
    // A tuple list: `(pub u32, String)`, each type after its optional visibility.
    let mut index = 0;
    let mut visible = false;
    for c in named(body) {
        match c.kind() {
            "visibility_modifier" => visible = text(c, src) == "pub",
            "attribute_item" | "line_comment" | "block_comment" => {}
            _ => {
                if visible {
                    insert(
                        items,
                        format!("{owner}{sep}{index}"),
                        "field",
                        tokens(c, src),
                    );
                }
                index += 1;
                visible = false;
            }
        }
    }
    "()".into()
}

fn enumeration(
    node: Node<'_>,
    src: &[u8],
    full: &str,
    attrs: &Attributes,
    items: &mut Surface,
) -> String {
    let generics = field_tokens(node, "type_parameters", src);
    let mut variants = Vec::new();
    if let Some(body) = node.child_by_field_name("body") {
        for v in named(body)
            .into_iter()
            .filter(|v| v.kind() == "enum_variant")
        {
            let vname = name(v, src);
            let variant = format!("{full}::{vname}");
            let shape = match v.child_by_field_name("body") {
                Some(b) => {
                    let mut inner = Surface::new();
                    fields(b, src, &variant, ".", &mut inner);
                    let list: Vec<String> = named(b)
                        .iter()
                        .filter(|f| !f.kind().contains("comment"))
                        .map(|f| tokens(*f, src))
                        .collect();
                    list.join(", ")
                }
                None => "unit".into(),
            };
            insert(items, variant, "variant", shape);
            variants.push(vname.to_string());
        }
    }
    variants.sort();
    if attrs.non_exhaustive {
        format!("enum{generics} non_exhaustive")
    } else {
        format!("enum{generics} {{ {} }}", variants.join(", "))
    }
}

/// Records a trait's items; returns its signature: generics, bounds and the
/// items an implementation must provide.
fn trait_items(node: Node<'_>, src: &[u8], full: &str, items: &mut Surface) -> String {
    let mut required = Vec::new();
    if let Some(body) = node.child_by_field_name("body") {
        for item in named(body) {
            let iname = name(item, src);
            let (kind, sig, needed) = match item.kind() {
                "function_signature_item" => ("fn", function(item, src), true),
                "function_item" => ("fn", function(item, src), false),
                "associated_type" => (
                    "type",
                    "type".to_string(),
                    item.child_by_field_name("default_type").is_none(),
                ),
                "const_item" => (
                    "const",
                    format!("const {}", field_tokens(item, "type", src)),
                    item.child_by_field_name("value").is_none(),
                ),
                _ => continue,
            };
            if needed {
                required.push(iname.to_string());
            }
            insert(items, format!("{full}::{iname}"), kind, sig);
        }
    }
    required.sort();
    format!(
        "trait{}{} {{ {} }}",
        field_tokens(node, "type_parameters", src),
        field_tokens(node, "bounds", src),
        required.join(", ")
    )
}

/// The type an impl is for, by name (`Vec<T>` is `Vec`, `&'a S` is `S`).
fn type_name<'s>(node: Node<'_>, src: &'s [u8]) -> &'s str {
    match node.kind() {
        "generic_type" => node
            .child_by_field_name("type")
            .map_or("", |t| type_name(t, src)),
        "reference_type" | "pointer_type" => node
            .child_by_field_name("type")
            .map_or("", |t| type_name(t, src)),
        "scoped_type_identifier" => name(node, src),
        _ => text(node, src),
    }
}

fn implementation(node: Node<'_>, src: &[u8], prefix: &str, file: &mut File) {
    let Some(ty) = node.child_by_field_name("type") else {
        return;
    };
    let ty = type_name(ty, src).to_string();
    if let Some(tr) = node.child_by_field_name("trait") {
        let negative = named(node).iter().any(|c| text(*c, src) == "!");
        // The trait as named anywhere (`fmt::Display` is `Display`, a derive's
        // name; `Index<&'a Q>` is `Index<&Q>`).
        let trait_name = super::lifetimes_elided(&super::unqualified(&tokens(tr, src)));
        let tr = if negative {
            format!("!{trait_name}")
        } else {
            trait_name
        };
        file.impls.push((format!("{prefix}{ty}"), tr));
        return;
    }
    let Some(body) = node.child_by_field_name("body") else {
        return;
    };
    let mut skip = false;
    for item in named(body) {
        if item.kind() == "attribute_item" {
            let attr = tokens(item, src).replace(' ', "");
            skip |= attr.starts_with("#[cfg(test)") || attr.starts_with("#[doc(hidden)");
            continue;
        }
        let hidden = std::mem::take(&mut skip);
        if hidden || !public(item, src) {
            continue;
        }
        let (kind, sig) = match item.kind() {
            "function_item" => ("fn", function(item, src)),
            "const_item" => (
                "const",
                format!("const {}", field_tokens(item, "type", src)),
            ),
            _ => continue,
        };
        let full = format!("{prefix}{ty}::{}", name(item, src));
        insert(&mut file.items, full, kind, sig);
    }
}

/// Records the names a `pub use` makes visible (`a::b::{C, d as e}` is `C`
/// and `e`; a glob is `a::b::*`, its signature `use a::b::*`, so that the
/// module it is in is its name without the signature's path: see
/// [`super::glob_modules`]).
fn reexports(arg: Node<'_>, src: &[u8], prefix: &str, file: &mut File, depth: usize) {
    if depth >= DEPTH && matches!(arg.kind(), "scoped_use_list" | "use_list") {
        file.too_deep = true;
        return;
    }
    if arg.kind() == "use_wildcard" {
        let glob = tokens(arg, src).replace(' ', "");
        let sig = format!("use {glob}");
        insert(&mut file.items, format!("{prefix}{glob}"), "use", sig);
        return;
    }
    let mut add = |n: String| insert(&mut file.items, format!("{prefix}{n}"), "use", "use".into());
    match arg.kind() {
        "use_as_clause" => add(field_tokens(arg, "alias", src)),
        "scoped_use_list" | "use_list" => {
            let list = if arg.kind() == "use_list" {
                Some(arg)
            } else {
                arg.child_by_field_name("list")
            };
            for entry in list.map(named).unwrap_or_default() {
                if entry.kind() != "self" {
                    reexports(entry, src, prefix, file, depth + 1);
                } else if let Some(path) = arg.child_by_field_name("path") {
                    reexports(path, src, prefix, file, depth + 1);
                }
            }
        }
        "scoped_identifier" => add(name(arg, src).to_string()),
        _ => add(text(arg, src).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Found = (Vec<String>, Vec<(String, bool)>, Vec<(String, String)>);

    fn surface(src: &str) -> Found {
        let file = parse(src.as_bytes()).expect("parses");
        let items = file
            .items
            .into_iter()
            .map(|(k, v)| format!("{k}: {} {}", v.kind, v.signature))
            .collect();
        (items, file.modules, file.impls)
    }

    #[test]
    fn pub_items_with_signatures_without_names() {
        let (items, modules, impls) = surface(
            r#"
pub mod foo;
mod bar;
pub mod inline { pub fn g() {} fn h() {} }
pub use crate::bar::{Thing, other as renamed};
pub use self::x::*;
pub fn f<T: Clone>(a: &T, b: u32) -> Result<(), E> where T: Send { todo!() }
#[derive(Debug, Clone)]
pub struct S { pub a: u32, b: String }
pub struct Tup(pub u32, String);
pub enum E { A, B(u32), C { x: i32 } }
#[non_exhaustive]
pub enum Open { A }
pub trait Tr { fn m(&self) -> u32; fn provided(&self) {} type Out; const N: usize; }
pub const C: u32 = 1;
pub static ST: &str = "x";
pub type Ali = Vec<u8>;
impl S { pub fn new() -> Self { todo!() } fn private() {} pub(crate) fn pc() {} }
impl Tr for S { fn m(&self) -> u32 { 0 } }
#[cfg(test)] pub mod tests { pub fn t() {} }
#[doc(hidden)] pub fn secret() {}
pub(crate) fn hidden() {}
"#,
        );
        let want = [
            "Ali: type type = Vec<u8>",
            "C: const const u32",
            "E: enum enum { A, B, C }",
            "E::A: variant unit",
            "E::B: variant u32",
            "E::C: variant x: i32",
            "Open: enum enum non_exhaustive",
            "Open::A: variant unit",
            "S: struct struct {}",
            "S.a: field u32",
            "S::new: fn fn() -> Self",
            "ST: static static &str",
            "Thing: use use",
            "Tr: trait trait { N, Out, m }",
            "Tr::N: const const usize",
            "Tr::Out: type type",
            "Tr::m: fn fn(&self) -> u32",
            "Tr::provided: fn fn(&self)",
            "Tup: struct struct ()",
            "Tup.0: field u32",
            "f: fn fn<T: Clone>(&T, u32) -> Result<(), E> where T: Send",
            "foo: mod mod",
            "inline: mod mod",
            "inline::g: fn fn()",
            "renamed: use use",
            "self::x::*: use use self::x::*",
        ];
        assert_eq!(items, want);
        assert_eq!(
            modules,
            [("foo".to_string(), true), ("bar".to_string(), false)]
        );
        let impls: Vec<String> = impls.iter().map(|(t, tr)| format!("{t}: {tr}")).collect();
        assert_eq!(impls, ["S: Debug", "S: Clone", "S: Tr"]);
    }

    #[test]
    fn signatures_are_spaced_as_rustfmt_writes_them() {
        let (items, _, _) = surface(
            "pub fn render(x: &Context, extra: Option<&std::collections::HashMap<&str, String>>) -> std::fmt::Result { todo!() }\n\
             pub fn gen<'a, T: Clone + 'a>(x: &'a mut [T], y: &'a [u8], p: *const [u8], f: impl Fn(&T) -> bool) -> Box<dyn Iterator<Item = &'a T> + 'a> { todo!() }\n",
        );
        assert_eq!(
            items,
            [
                "gen: fn fn<'a, T: Clone + 'a>(&'a mut [T], &'a [u8], *const [u8], impl Fn(&T) -> bool) -> Box<dyn Iterator<Item = &'a T> + 'a>",
                "render: fn fn(&Context, Option<&std::collections::HashMap<&str, String>>) -> std::fmt::Result",
            ]
        );
    }

    #[test]
    fn nesting_is_read_to_a_bounded_depth() {
        let levels = 10_000;
        let src = "pub mod a { ".repeat(levels) + "pub fn f() {}" + &" }".repeat(levels);
        let file = parse(src.as_bytes()).expect("parses");
        let deepest = file.items.keys().map(|k| k.matches("::").count()).max();
        assert_eq!(deepest, Some(DEPTH));
        assert!(file.too_deep);
        let uses = "pub use ".to_string() + &"a::{".repeat(2_000) + "b" + &"}".repeat(2_000) + ";";
        assert!(parse(uses.as_bytes()).unwrap().too_deep);
        // Within the bound, nothing is left out.
        let src = "pub mod a { ".repeat(DEPTH) + "pub fn f() {}" + &" }".repeat(DEPTH);
        let file = parse(src.as_bytes()).expect("parses");
        assert!(!file.too_deep);
        assert!(file.items.keys().any(|k| k.ends_with("::f")));
        let uses =
            "pub use ".to_string() + &"a::{".repeat(DEPTH - 1) + "b" + &"}".repeat(DEPTH - 1) + ";";
        assert!(!parse(uses.as_bytes()).unwrap().too_deep);
    }

    #[test]
    fn syntax_errors_give_nothing() {
        assert_eq!(parse(b"pub fn f( {"), None);
        assert!(parse(b"pub fn f() {}").is_some());
        // An error after an item's signature, where its body should be, is outside every body.
        assert_eq!(parse(b"pub fn f() -> u32 ]\npub fn g() {}\n"), None);
    }

    #[test]
    fn errors_inside_function_bodies_leave_the_signatures_readable() {
        // `try!` is an error to today's grammar (a keyword since Rust 2018), common in older crates.
        let src = "pub fn read(r: &mut R) -> io::Result<u8> {\n    let b = try!(r.next());\n    Ok(b)\n}\n\
                   pub struct S;\nimpl S {\n    pub fn get(&self) -> u8 { try!(self.inner()); 0 }\n}\n";
        let (items, _, _) = surface(src);
        assert_eq!(
            items,
            [
                "S: struct struct unit",
                "S::get: fn fn(&self) -> u8",
                "read: fn fn(&mut R) -> io::Result<u8>",
            ]
        );
        // A body whose error swallowed what follows it (a `pub` item inside) is refused.
        assert_eq!(parse(b"pub fn f() { let x = (; pub fn g() {} }\n"), None);
        // An unclosed brace would swallow `g` into `f`'s body: refused.
        assert_eq!(parse(b"pub fn f() { if x {\n}\nfn g() {}\n"), None);
    }

    #[test]
    fn trailing_commas_are_the_same_signature() {
        let (one, _, _) = surface(
            "pub fn f<W: ?Sized>(w: &mut W, s: &str,) -> Result<(), E,> where W: Write, { todo!() }\n",
        );
        let (other, _, _) = surface(
            "pub fn f<W: ?Sized>(w: &mut W, s: &str) -> Result<(), E> where W: Write { todo!() }\n",
        );
        assert_eq!(one, other);
        assert_eq!(
            one,
            ["f: fn fn<W: ?Sized>(&mut W, &str) -> Result<(), E> where W: Write"]
        );
    }
}
