//! What both extractors need of tree-sitter: parsing, and reading nodes.

/// The text of a node's leaf tokens, comments left out, joined the way they
/// are usually written (`*Config`, `map[string]int`, `Result<u32, E>`,
/// `&mut self`): the same for any formatting of the same code.
pub(crate) fn tokens(node: tree_sitter::Node<'_>, src: &[u8]) -> String {
    let mut out = String::new();
    let mut cursor = node.walk();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind().contains("comment") {
            continue;
        }
        if n.child_count() == 0 {
            let text = n.utf8_text(src).unwrap_or("");
            if !text.is_empty() {
                if spaced(&out, text) {
                    out.push(' ');
                }
                out.push_str(text);
            }
            continue;
        }
        let children: Vec<_> = n.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    without_trailing_commas(out)
}

/// `out` without the commas formatters leave or drop before a closing
/// bracket and at the end (`(a, b,)`, `where T: Clone,`): the same list
/// either way, as `gofmt` and `rustfmt` treat it.
fn without_trailing_commas(out: String) -> String {
    if !out.contains(',') {
        return out;
    }
    let mut text = out;
    for (from, to) in [(", )", ")"), (", >", ">"), (", ]", "]"), (", }", " }")] {
        if text.contains(from) {
            text = text.replace(from, to);
        }
    }
    let end = text.trim_end_matches([',', ' ']).len();
    text.truncate(end);
    text
}

/// Whether a space goes between the text so far and the next token, as
/// `gofmt` and `rustfmt` write a signature on one line: `std::fmt::Result`,
/// `&'a mut [T]`, `struct{}`, `interface{ M() }`, `Option<&str>`.
pub(crate) fn spaced(before: &str, next: &str) -> bool {
    let (Some(last), Some(first)) = (before.chars().last(), next.chars().next()) else {
        return false;
    };
    if before.ends_with("::") || next == "::" {
        return false;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '"' || c == '`';
    let operator = |t: &str| matches!(t, "->" | "=" | "+" | "=>" | "|");
    // The last token when it is a word or a lifetime (`mut`, `'a`).
    let tail = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_' || c == '\''))
        .next()
        .unwrap_or("");
    let keyword = matches!(tail, "mut" | "dyn" | "impl" | "const") || tail.starts_with('\'');
    (word(last) && word(first))
        || (last == ')' && word(first))
        || (keyword && matches!(first, '[' | '(' | '&' | '*'))
        || matches!(last, ',' | ';' | ':')
        || (last == '{' && next != "}")
        || operator(next)
        || ["->", "=", "+", "=>", "|"]
            .iter()
            .any(|o| before.ends_with(o))
        || (next == "{" && last != '{' && !matches!(tail, "struct" | "interface"))
        || (next == "}" && last != '{')
}

/// The named children of `node`.
pub(crate) fn named(node: tree_sitter::Node<'_>) -> Vec<tree_sitter::Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

/// The text of a node.
pub(crate) fn text<'s>(node: tree_sitter::Node<'_>, src: &'s [u8]) -> &'s str {
    node.utf8_text(src).unwrap_or("")
}

thread_local! {
    /// One parser per thread and language (by the language's name), reused for every file.
    static PARSERS: std::cell::RefCell<Vec<(&'static str, tree_sitter::Parser)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Node kinds that never stand inside a body in valid code, for the language
/// `name`: a body that holds one after an error swallowed what followed it.
fn never_in_a_body(name: &str) -> &'static [&'static str] {
    match name {
        "go" => &[
            "function_declaration",
            "method_declaration",
            "package_clause",
        ],
        _ => &["visibility_modifier"],
    }
}

/// Whether every syntax error of `tree` lies inside a body (a `block`: a
/// function's, a closure's, a constant's value), where nothing exported is
/// declared, and no such body lacks a token (an unclosed `{` swallows what
/// follows) or holds what only stands outside one (see [`never_in_a_body`]). The API read from such a tree is the file's: an
/// old crate's `try!(…)` (a keyword since Rust 2018, an error to today's
/// grammar) or a macro tree-sitter misreads inside a function leaves every
/// signature as written.
fn errors_only_in_bodies(tree: &tree_sitter::Tree, name: &str) -> bool {
    let outside = never_in_a_body(name);
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.kind() == "block" {
            // A body with an error: it must hold nothing that belongs outside one.
            let mut inner = vec![node];
            while let Some(n) = inner.pop() {
                // A missing token (a `}` never closed) is structure lost, not a bad expression.
                if n.is_missing() || outside.contains(&n.kind()) {
                    return false;
                }
                let mut cursor = n.walk();
                inner.extend(n.children(&mut cursor));
            }
            continue;
        }
        if node.is_error() || node.is_missing() {
            return false;
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor).filter(|c| c.has_error()));
    }
    true
}

/// Parses `src` with `language` (`name` names it); `None` when tree-sitter
/// found syntax errors outside function bodies (the file then gives no
/// evidence; see [`errors_only_in_bodies`]) or the file is not UTF-8.
pub(crate) fn parse(
    src: &[u8],
    name: &'static str,
    language: impl FnOnce() -> tree_sitter::Language,
) -> Option<tree_sitter::Tree> {
    std::str::from_utf8(src).ok()?;
    PARSERS.with_borrow_mut(|parsers| {
        let at = match parsers.iter().position(|(n, _)| *n == name) {
            Some(at) => at,
            None => {
                let mut parser = tree_sitter::Parser::new();
                parser.set_language(&language()).ok()?;
                parsers.push((name, parser));
                parsers.len() - 1
            }
        };
        let tree = parsers[at].1.parse(src, None)?;
        (!tree.root_node().has_error() || errors_only_in_bodies(&tree, name)).then_some(tree)
    })
}
