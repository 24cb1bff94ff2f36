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
    let tree = super::syntax::parse(src, "go", || tree_sitter_go::LANGUAGE.into())?;
    let root = tree.root_node();
    let mut file = File {
        package: String::new(),
        items: Surface::new(),
    };
    for node in named(root) {
        match node.kind() {
            "package_clause" => {
                if let Some(name) = named(node).first() {
                    file.package = text(*name, src).to_string();
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
    Some(file)
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
        out.push(' ');
        if result.kind() == "parameter_list" {
            out.push('(');
            out.push_str(&parameter_types(result, src));
            out.push(')');
        } else {
            out.push_str(&tokens(result, src));
        }
    }
    out
}

/// The types of a parameter list, one per parameter (`a, b int` is `int, int`).
fn parameter_types(list: Node<'_>, src: &[u8]) -> String {
    let mut types = Vec::new();
    for param in named(list) {
        let Some(ty) = param.child_by_field_name("type") else {
            continue;
        };
        let mut ty = tokens(ty, src);
        if param.kind() == "variadic_parameter_declaration" {
            ty = format!("...{ty}");
        }
        let mut cursor = param.walk();
        let names = param.children_by_field_name("name", &mut cursor).count();
        for _ in 0..names.max(1) {
            types.push(ty.clone());
        }
    }
    types.join(", ")
}

fn method(node: Node<'_>, src: &[u8], items: &mut Surface) {
    let name = field_text(node, "name", src);
    let Some(receiver) = node.child_by_field_name("receiver") else {
        return;
    };
    let Some(ty) = named(receiver)
        .first()
        .and_then(|p| p.child_by_field_name("type"))
    else {
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
        "pointer_type" | "generic_type" | "parenthesized_type" => named(node)
            .first()
            .map_or("", |inner| base_type(*inner, src)),
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
        let sig = format!("type{params} = {}", tokens(ty, src));
        return insert(items, name.to_string(), "type", sig);
    }
    let sig = match ty.kind() {
        "struct_type" => {
            fields(name, ty, src, items);
            format!("type{params} struct")
        }
        "interface_type" => format!("type{params} {}", interface(name, ty, src, items)),
        _ => format!("type{params} {}", tokens(ty, src)),
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
        let sig = tokens(ftype, src);
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
            .map(|t| format!(" {}", tokens(t, src)))
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
    fn syntax_errors_give_nothing() {
        assert_eq!(parse(b"package x\nfunc F( {\n"), None);
        assert!(parse(b"package x\nfunc F() {}\n").is_some());
    }
}
