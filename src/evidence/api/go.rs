//! Go: the exported identifiers of one file, with their signatures.
//!
//! Top-level funcs, types, consts and vars whose name is exported; methods of
//! exported types; exported fields of exported structs (embedded ones by
//! their type's name); the methods of exported interfaces. An interface's own
//! signature holds its method set, so adding a method to it changes it (every
//! implementation outside the package breaks), as `apidiff` reads it. Whether
//! the package is `main`, `internal/` or a test is [`super::units`]'s to say.

use tree_sitter::Node;

use super::syntax::{named, text, tokens};
use super::{Item, Surface};

/// What one Go file declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Its package clause's name.
    pub package: String,
    /// Name within the package (`Load`, `Config.Path`) → item.
    pub items: Surface,
}

/// Reads the exported declarations of a Go file; `None` when it does not parse.
pub fn parse(src: &[u8]) -> Option<File> {
    parse_clean(src).map(|(file, _)| file)
}

/// [`parse`], and whether the file parsed without any syntax error (not even
/// one inside a body): only then may its parse stand for another source of
/// the same tokens (see [`super::golex`]).
pub fn parse_clean(src: &[u8]) -> Option<(File, bool)> {
    let tree = super::syntax::parse(src, "go", || tree_sitter_go::LANGUAGE.into())?;
    let root = tree.root_node();
    let clean = !root.has_error();
    let mut file = File {
        package: String::new(),
        items: Surface::new(),
    };
    for node in named(root) {
        match node.kind() {
            "package_clause" => {
                if let Some(name) = first_code(node) {
                    file.package = text(name, src).to_string();
                }
            }
            "function_declaration" => function(node, src, &mut file.items),
            "method_declaration" => method(node, src, &mut file.items),
            "type_declaration" => {
                for spec in named(node) {
                    type_spec(spec, src, &mut file.items);
                }
            }
            "const_declaration" | "var_declaration" => values(node, src, &mut file.items),
            _ => {}
        }
    }
    Some((file, clean))
}

/// The first named child of `node` that is not a comment (`package /* x */ p`).
fn first_code(node: Node<'_>) -> Option<Node<'_>> {
    named(node).into_iter().find(|n| n.kind() != "comment")
}

/// Whether a Go identifier is exported: it starts with an upper-case letter.
pub fn exported(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

fn insert(items: &mut Surface, name: String, kind: &'static str, signature: String) {
    items.insert(name, Item { kind, signature });
}

fn field_text<'s>(node: Node<'_>, field: &str, src: &'s [u8]) -> &'s str {
    node.child_by_field_name(field).map_or("", |n| text(n, src))
}

fn function(node: Node<'_>, src: &[u8], items: &mut Surface) {
    let name = field_text(node, "name", src);
    if exported(name) {
        insert(
            items,
            name.to_string(),
            "func",
            signature(node, src, "func"),
        );
    }
}

/// `func[T any](int, ...string) (int, error)`: type parameters, parameter
/// types and results, without the names.
fn signature(node: Node<'_>, src: &[u8], head: &str) -> String {
    let mut out = head.to_string();
    if let Some(tp) = node.child_by_field_name("type_parameters") {
        out.push_str(&tokens(tp, src));
    }
    out.push('(');
    if let Some(params) = node.child_by_field_name("parameters") {
        out.push_str(&parameter_types(params, src));
    }
    out.push(')');
    if let Some(result) = node.child_by_field_name("result") {
        out.push_str(&result_text(result, src, 0));
    }
    out
}

/// A result as `gofmt` writes it once names are left out: ` error` for
/// `(err error)` and `(error)` alike, ` (int, error)` for two.
fn result_text(result: Node<'_>, src: &[u8], depth: usize) -> String {
    if result.kind() != "parameter_list" {
        return format!(" {}", type_text(result, src, depth));
    }
    let types = parameter_list(result, src, depth);
    match types.len() {
        0 => String::new(),
        1 => format!(" {}", types[0]),
        _ => format!(" ({})", types.join(", ")),
    }
}

/// How deep a type may nest before it is compared as written: a bound on
/// the recursion a hostile file could ask for.
const DEPTH: usize = 32;

/// A Go type as compared: parameter names left out of function types
/// (`func(cmd *Command)` is `func(*Command)`), the rest as [`tokens`] writes it.
fn type_text(node: Node<'_>, src: &[u8], depth: usize) -> String {
    if depth > DEPTH {
        return tokens(node, src);
    }
    match node.kind() {
        "function_type" => {
            let params = node
                .child_by_field_name("parameters")
                .map(|p| parameter_list(p, src, depth + 1).join(", "))
                .unwrap_or_default();
            let result = node
                .child_by_field_name("result")
                .map(|r| result_text(r, src, depth + 1))
                .unwrap_or_default();
            format!("func({params}){result}")
        }
        _ if contains_function_type(node, depth) => {
            // A composite around a function type (`[]func(x int)`, `map[string]func()`):
            // its parts in order, each function type without names.
            let mut out = String::new();
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                let part = match child.kind() {
                    k if k.contains("comment") => continue,
                    _ if child.child_count() == 0 => text(child, src).to_string(),
                    _ => type_text(child, src, depth + 1),
                };
                if !part.is_empty() {
                    if super::syntax::spaced(&out, &part) {
                        out.push(' ');
                    }
                    out.push_str(&part);
                }
            }
            out
        }
        _ => tokens(node, src),
    }
}

/// Whether a function type is somewhere below `node` (within the depth bound).
fn contains_function_type(node: Node<'_>, depth: usize) -> bool {
    if depth > DEPTH {
        return false;
    }
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    children
        .into_iter()
        .any(|c| c.kind() == "function_type" || contains_function_type(c, depth + 1))
}

/// The types of a parameter list, one per parameter (`a, b int` is `int, int`).
fn parameter_types(list: Node<'_>, src: &[u8]) -> String {
    parameter_list(list, src, 0).join(", ")
}

/// [`parameter_types`], one string per parameter.
fn parameter_list(list: Node<'_>, src: &[u8], depth: usize) -> Vec<String> {
    let mut types = Vec::new();
    for param in named(list) {
        let Some(ty) = param.child_by_field_name("type") else {
            continue;
        };
        let mut ty = type_text(ty, src, depth + 1);
        if param.kind() == "variadic_parameter_declaration" {
            ty = format!("...{ty}");
        }
        let mut cursor = param.walk();
        let names = param.children_by_field_name("name", &mut cursor).count();
        for _ in 0..names.max(1) {
            types.push(ty.clone());
        }
    }
    types
}

fn method(node: Node<'_>, src: &[u8], items: &mut Surface) {
    let name = field_text(node, "name", src);
    let Some(receiver) = node.child_by_field_name("receiver") else {
        return;
    };
    let Some(ty) = first_code(receiver).and_then(|p| p.child_by_field_name("type")) else {
        return;
    };
    let pointer = ty.kind() == "pointer_type";
    let base = base_type(ty, src);
    if exported(base) && exported(name) {
        let head = if pointer {
            format!("func (*{base}) ")
        } else {
            format!("func ({base}) ")
        };
        let full = format!("{base}.{name}");
        insert(items, full, "method", signature(node, src, head.trim_end()));
    }
}

/// The name of the type under pointers and type arguments (`*List[T]` is `List`).
fn base_type<'s>(node: Node<'_>, src: &'s [u8]) -> &'s str {
    match node.kind() {
        "pointer_type" | "generic_type" | "parenthesized_type" => {
            first_code(node).map_or("", |inner| base_type(inner, src))
        }
        "qualified_type" => field_text(node, "name", src),
        _ => text(node, src),
    }
}

fn type_spec(spec: Node<'_>, src: &[u8], items: &mut Surface) {
    let name = field_text(spec, "name", src);
    if !exported(name) {
        return;
    }
    let Some(ty) = spec.child_by_field_name("type") else {
        return;
    };
    let params = spec
        .child_by_field_name("type_parameters")
        .map(|tp| tokens(tp, src))
        .unwrap_or_default();
    if spec.kind() == "type_alias" {
        let sig = format!("type{params} = {}", type_text(ty, src, 0));
        return insert(items, name.to_string(), "type", sig);
    }
    let sig = match ty.kind() {
        "struct_type" => {
            fields(name, ty, src, items);
            format!("type{params} struct")
        }
        "interface_type" => format!("type{params} {}", interface(name, ty, src, items)),
        _ => format!("type{params} {}", type_text(ty, src, 0)),
    };
    insert(items, name.to_string(), "type", sig);
}

fn fields(owner: &str, ty: Node<'_>, src: &[u8], items: &mut Surface) {
    let Some(list) = named(ty)
        .into_iter()
        .find(|n| n.kind() == "field_declaration_list")
    else {
        return;
    };
    for field in named(list)
        .into_iter()
        .filter(|f| f.kind() == "field_declaration")
    {
        let Some(ftype) = field.child_by_field_name("type") else {
            continue;
        };
        let mut cursor = field.walk();
        let names: Vec<&str> = field
            .children_by_field_name("name", &mut cursor)
            .map(|n| text(n, src))
            .collect();
        let sig = type_text(ftype, src, 0);
        if names.is_empty() {
            let embedded = base_type(ftype, src);
            if exported(embedded) {
                // `*T` embeds with the star outside the type node.
                let star = if text(field, src).trim_start().starts_with('*') {
                    "*"
                } else {
                    ""
                };
                let sig = format!("embedded {star}{sig}");
                insert(items, format!("{owner}.{embedded}"), "field", sig);
            }
        }
        for name in names.into_iter().filter(|n| exported(n)) {
            insert(items, format!("{owner}.{name}"), "field", sig.clone());
        }
    }
}

/// Records an interface's exported methods; returns its signature: its whole
/// method set (unexported methods too: they decide who can implement it) and
/// embedded types, sorted.
fn interface(owner: &str, ty: Node<'_>, src: &[u8], items: &mut Surface) -> String {
    let mut members = Vec::new();
    for elem in named(ty) {
        match elem.kind() {
            "method_elem" => {
                let name = field_text(elem, "name", src);
                let sig = signature(elem, src, "func");
                members.push(format!("{name}{}", &sig[4..]));
                if exported(name) {
                    insert(items, format!("{owner}.{name}"), "method", sig);
                }
            }
            "comment" => {}
            _ => members.push(tokens(elem, src)),
        }
    }
    members.sort();
    format!("interface {{ {} }}", members.join("; "))
}

fn values(node: Node<'_>, src: &[u8], items: &mut Surface) {
    let (kind, spec_kind) = if node.kind() == "const_declaration" {
        ("const", "const_spec")
    } else {
        ("var", "var_spec")
    };
    let mut specs = Vec::new();
    for child in named(node) {
        if child.kind() == spec_kind {
            specs.push(child);
        } else if child.kind() == "var_spec_list" {
            specs.extend(named(child).into_iter().filter(|c| c.kind() == spec_kind));
        }
    }
    for spec in specs {
        let ty = spec
            .child_by_field_name("type")
            .map(|t| format!(" {}", type_text(t, src, 0)))
            .unwrap_or_default();
        let mut cursor = spec.walk();
        for name in spec.children_by_field_name("name", &mut cursor) {
            let name = text(name, src);
            if exported(name) {
                insert(items, name.to_string(), kind, format!("{kind}{ty}"));
            }
        }
    }
}

/// The aliases among `items` (`type Completion = string`): name → the type it names.
pub fn aliases<'a>(items: impl Iterator<Item = (&'a str, &'a Item)>) -> Vec<(&'a str, &'a str)> {
    items
        .filter_map(|(name, item)| {
            let target = item.signature.strip_prefix("type = ")?;
            (item.kind == "type" && !name.contains('.')).then_some((name, target))
        })
        .collect()
}

/// `signature` with every alias of `aliases` replaced, as a whole word, by the type it names.
fn resolved(signature: &str, aliases: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(signature.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let name = std::mem::take(word);
        match aliases.iter().find(|(a, _)| *a == name) {
            Some((_, target)) => out.push_str(target),
            None => out.push_str(&name),
        }
    };
    for c in signature.chars() {
        if c.is_alphanumeric() || c == '_' || (c == '.' && !word.is_empty()) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Whether an item changed from `was` to `is` keeps its API, as Go's type
/// identity and method sets say: the same once the package's `aliases` are
/// resolved (`type Completion = string` used where `string` stood), or a
/// method moved from a pointer receiver to a value receiver (the value method
/// is in both method sets; the reverse breaks).
pub fn same_api(was: &Item, is: &Item, aliases: &[(&str, &str)]) -> bool {
    if was.kind != is.kind {
        return false;
    }
    // An alias itself compares as what it names only where it stays an alias.
    if was.signature.starts_with("type = ") != is.signature.starts_with("type = ") {
        return false;
    }
    let (was, is) = (
        resolved(&was.signature, aliases),
        resolved(&is.signature, aliases),
    );
    if was == is {
        return true;
    }
    let pointer_to_value = |was: &str, is: &str| {
        let (Some(w), Some(i)) = (was.strip_prefix("func (*"), is.strip_prefix("func (")) else {
            return false;
        };
        w == i
    };
    pointer_to_value(&was, &is)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(src: &str) -> Vec<(String, String)> {
        let file = parse(src.as_bytes()).expect("parses");
        file.items
            .into_iter()
            .map(|(k, v)| (k, format!("{} {}", v.kind, v.signature)))
            .collect()
    }

    #[test]
    fn exported_declarations_with_signatures_without_names() {
        let got = surface(
            r#"package cfg
const A, b = 1, 2
var (
	X int
	y = 3
)
type T struct {
	Name, Other string `json:"name"`
	age int
	Embedded
	*io.Reader
}
type I interface { M(a int) error; io.Closer; m() }
type Alias = string
type Mode int
func (t *T) Method(x, y int, rest ...string) (n int, err error) { return 0, nil }
func (t T) hidden() {}
func F[K any](k K) {}
func g() {}
"#,
        );
        let want = [
            ("A", "const const"),
            ("Alias", "type type = string"),
            ("F", "func func[K any](K)"),
            ("I", "type type interface { M(int) error; io.Closer; m() }"),
            ("I.M", "method func(int) error"),
            ("Mode", "type type int"),
            ("T", "type type struct"),
            ("T.Embedded", "field embedded Embedded"),
            (
                "T.Method",
                "method func (*T)(int, int, ...string) (int, error)",
            ),
            ("T.Name", "field string"),
            ("T.Other", "field string"),
            ("T.Reader", "field embedded *io.Reader"),
            ("X", "var var int"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn same_types_written_otherwise_are_the_same_api() {
        let item = |kind, sig: &str| Item {
            kind,
            signature: sig.to_string(),
        };
        let sig = |src: &str, name: &str| {
            let file = parse(src.as_bytes()).expect("parses");
            file.items[name].signature.clone()
        };
        // One result, with or without parentheses or a name; parameter names in a func type.
        assert_eq!(sig("package p\nfunc F() (error) {}\n", "F"), "func() error");
        assert_eq!(
            sig("package p\nfunc F() (err error) {}\n", "F"),
            "func() error"
        );
        assert_eq!(
            sig(
                "package p\ntype H func(cmd *Command, args []string) (answers []string, err error)\n",
                "H"
            ),
            "type func(*Command, []string) ([]string, error)"
        );
        assert_eq!(
            sig("package p\nvar V map[string]func(x int) error\n", "V"),
            "var map[string]func(int) error"
        );
        // An alias used where the type it names stood.
        let aliases = [("Completion", "string")];
        assert!(same_api(
            &item("func", "func() []string"),
            &item("func", "func() []Completion"),
            &aliases
        ));
        assert!(!same_api(
            &item("func", "func() []string"),
            &item("func", "func() []int"),
            &aliases
        ));
        // A pointer receiver made a value receiver keeps the method set; the reverse does not.
        let pointer = item("method", "func (*T)(int) error");
        let value = item("method", "func (T)(int) error");
        assert!(same_api(&pointer, &value, &[]));
        assert!(!same_api(&value, &pointer, &[]));
    }

    #[test]
    fn signatures_are_spaced_as_gofmt_writes_them() {
        let file = parse(
            b"package p\ntype Q struct{}\nfunc (h *Q) On(user string, questions Q, ) (answers []string, err error) { return nil, nil }\nfunc G[K comparable, V any](m map[K]V, f func(K, V) bool) <-chan struct{} { return nil }\nvar E interface{}\nvar I interface{ M() }\n",
        )
        .expect("parses");
        let sig = |name: &str| file.items[name].signature.clone();
        assert_eq!(sig("Q.On"), "func (*Q)(string, Q) ([]string, error)");
        assert_eq!(
            sig("G"),
            "func[K comparable, V any](map[K]V, func(K, V) bool) <-chan struct{}"
        );
        assert_eq!(sig("E"), "var interface{}");
        assert_eq!(sig("I"), "var interface{ M() }");
    }

    #[test]
    fn comments_between_tokens_are_neither_names_nor_types() {
        let src = "package /* the package */ p\n\nfunc (/* r */ t *T) M() {}\n\ntype T struct{}\n";
        let file = parse(src.as_bytes()).expect("parses");
        assert_eq!(file.package, "p");
        assert_eq!(file.items["T.M"].signature, "func (*T)()");
    }

    #[test]
    fn syntax_errors_give_nothing() {
        assert_eq!(parse(b"package x\nfunc F( {\n"), None);
        assert!(parse(b"package x\nfunc F() {}\n").is_some());
        // An error inside a body leaves the signatures readable ...
        let file = parse(
            b"package p\n\nfunc F(a int) error {\n\tx := @\n\treturn nil\n}\n\nfunc G() {}\n",
        );
        assert_eq!(file.map(|f| f.items.len()), Some(2));
        // ... but an unclosed brace swallows `G` into `F`'s body: refused.
        assert_eq!(
            parse(
                b"package p\n\nfunc F(a int) error {\n\tif x {\n\treturn nil\n}\n\nfunc G() {}\n"
            ),
            None
        );
    }
}
