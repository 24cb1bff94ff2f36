//! Go sources that differ only in comments and spacing: found without a parse.
//!
//! A commit that rewrites a doc comment, or reflows a file, changes no
//! exported item; yet each version would be parsed again. A file's
//! fingerprint is a hash of its text with every comment's content and every
//! run of spacing left out, keeping only where they stand and of what kind
//! they are (a line comment, a block comment with or without a line break,
//! spacing with or without one: Go's semicolons and tree-sitter's terminators
//! follow line breaks). Two sources with one fingerprint are the same tokens
//! with the same breaks between them, so a parse without any syntax error of
//! one is the other's parse: what the reader keeps of a file reads tokens
//! only, never their spacing (see `syntax::tokens`). A source with a
//! syntax error is never stood in for: tree-sitter's recovery weighs skipped
//! bytes and lines, so spacing can change how it reads the rest.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::go::File;
use super::modules::{Blob, SOURCE_LIMIT};
use crate::error::Result;
use crate::history::{ObjectId, Objects};

/// What stands for a comment or a run of spacing in the text hashed: a byte
/// no UTF-8 text holds, then its kind.
const MARK: u8 = 0xFF;

/// The fingerprint of Go source `src` (see the module's comment); `None`
/// when it is not UTF-8 or a literal or comment is left open, where only a
/// parse can say what it holds.
pub fn fingerprint(src: &[u8]) -> Option<u128> {
    std::str::from_utf8(src).ok()?;
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while let Some(&c) = src.get(i) {
        let next = src.get(i + 1).copied();
        let end = match (c, next) {
            (b' ' | b'\t' | b'\r' | b'\n', _) => {
                let run = src[i..]
                    .iter()
                    .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                    .map_or(src.len(), |n| i + n);
                let broken = src[i..run].contains(&b'\n');
                out.extend([MARK, if broken { b'N' } else { b'S' }]);
                i = run;
                continue;
            }
            (b'/', Some(b'/')) => {
                let end = memchr::memchr(b'\n', &src[i..]).map_or(src.len(), |n| i + n);
                out.extend([MARK, b'L']);
                i = end;
                continue;
            }
            (b'/', Some(b'*')) => {
                let close = memchr::memmem::find(&src[i + 2..], b"*/")? + i + 2;
                let broken = src[i..close].contains(&b'\n');
                out.extend([MARK, if broken { b'B' } else { b'b' }]);
                i = close + 2;
                continue;
            }
            (b'"' | b'\'', _) => quoted(src, i, c)?,
            (b'`', _) => memchr::memchr(b'`', &src[i + 1..])? + i + 2,
            _ => i + 1,
        };
        out.extend_from_slice(&src[i..end]);
        i = end;
    }
    let hash = |salt: u8| {
        let mut hasher = std::hash::DefaultHasher::new();
        salt.hash(&mut hasher);
        out.hash(&mut hasher);
        hasher.finish()
    };
    Some((u128::from(hash(1)) << 64) | u128::from(hash(2)))
}

/// A Go file as [`read`] found it.
pub enum Read<T> {
    /// What `known` keeps for its fingerprint: a clean parse of the same tokens.
    Known(u128, T),
    /// Read, and parsed where it is not generated or too large, with its
    /// fingerprint where it parsed without any syntax error.
    Parsed(Blob<File>, Option<u128>),
}

/// The Go file `id` read from `objects`, and parsed unless `known` has a
/// clean parse of the same tokens (by fingerprint).
///
/// # Errors
///
/// A repository error when the blob cannot be read.
pub fn read<T>(
    objects: &dyn Objects,
    id: ObjectId,
    known: impl FnOnce(u128) -> Option<T>,
) -> Result<Read<T>> {
    let Some(src) = objects.blob(id, SOURCE_LIMIT)? else {
        return Ok(Read::Parsed(Blob::TooLarge, None));
    };
    if super::is_generated(&String::from_utf8_lossy(&src)) {
        return Ok(Read::Parsed(Blob::Generated, None));
    }
    let print = fingerprint(&src);
    if let Some(print) = print
        && let Some(found) = known(print)
    {
        return Ok(Read::Known(print, found));
    }
    Ok(match super::go::parse_clean(&src) {
        None => Read::Parsed(Blob::Unparsed, None),
        Some((file, clean)) => Read::Parsed(Blob::Parsed(file), print.filter(|_| clean)),
    })
}

/// The Go file `id` read from `objects` and parsed, as a
/// [`super::units::Reader`] parses it, unless `prints` holds a clean parse of
/// the same tokens: for another thread (with its own `objects`), whose
/// parses the reader then keeps ([`super::units::Reader::keep_go`]).
///
/// # Errors
///
/// A repository error when the blob cannot be read.
pub fn parse_go(objects: &dyn Objects, id: ObjectId, prints: &mut GoPrints) -> Result<GoParsed> {
    Ok(
        match read(objects, id, |print| prints.0.get(&print).cloned())? {
            Read::Known(print, blob) => (id, blob, Some(print)),
            Read::Parsed(blob, print) => {
                if let Some(print) = print {
                    prints.0.insert(print, Some(blob.clone()));
                }
                (id, Some(blob), print)
            }
        },
    )
}

/// A Go file [`parse_go`] parsed, or found parsed (`None`: the reader that
/// asked holds it), with its tokens' fingerprint where it parsed cleanly.
pub type GoParsed = (ObjectId, Option<Blob<File>>, Option<u128>);

/// Clean Go parses by fingerprint, for [`parse_go`] on another thread: its
/// own, and (`None`) those the reader that asked holds already.
#[derive(Default, Clone)]
pub struct GoPrints(HashMap<u128, Option<Blob<File>>>);

impl GoPrints {
    /// The fingerprints a reader holds parses of.
    pub fn held(prints: impl Iterator<Item = u128>) -> Self {
        Self(prints.map(|p| (p, None)).collect())
    }
}

/// Past the end of the string or rune literal opened by `quote` at `at`;
/// `None` when a line break or the end comes first.
fn quoted(src: &[u8], at: usize, quote: u8) -> Option<usize> {
    let mut i = at + 1;
    loop {
        match *src.get(i)? {
            b'\\' => i += 2,
            b'\n' => return None,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_spacing_leave_the_fingerprint_where_tokens_and_breaks_stay() {
        let base = fingerprint(b"package p\n\n// F does a.\nfunc F(a int) {}\n");
        assert!(base.is_some());
        for same in [
            "package p\n\n// F does b, now.\nfunc F(a int) {}\n",
            "package p\n\n// F does a.\nfunc F(a  int) {}\n",
            "package p\n\n\n//F\nfunc F(a\tint) {}\r\n",
        ] {
            assert_eq!(fingerprint(same.as_bytes()), base, "{same:?}");
        }
        for other in [
            "package p\n\n// F does a.\nfunc F(b int) {}\n",
            "package p\n\n/* F does a. */\nfunc F(a int) {}\n",
            "package p\n\n// F does a.\nfunc F(a int) {\n}\n",
            "package p\n\n// F does a.\nfunc F(a int){}\n",
            "package p\n\n// F does a.\nfunc F(a int) {} // and more\n",
        ] {
            assert_ne!(fingerprint(other.as_bytes()), base, "{other:?}");
        }
    }

    #[test]
    fn literals_are_tokens_whatever_they_hold() {
        let a = fingerprint(b"var s = \"// not a comment\" + `/* nor */` + '\\''\n");
        let b = fingerprint(b"var s = \"// not a comment \" + `/* nor */` + '\\''\n");
        assert!(a.is_some() && b.is_some());
        assert_ne!(a, b);
        // Open literals and comments, and bytes that are not UTF-8, leave it to a parse.
        for open in [
            &b"var s = \"open\n"[..],
            b"var r = 'x\n",
            b"var s = `open",
            b"/* open",
            b"var s = \"\xff\"",
        ] {
            assert_eq!(fingerprint(open), None, "{open:?}");
        }
    }

    #[test]
    fn a_line_comment_runs_to_the_line_break_for_the_parser_too() {
        // What follows a carriage return, a Unicode line separator or a form
        // feed inside a line comment is still the comment to tree-sitter: two
        // sources that differ only there have one fingerprint and one parse.
        for stop in ["\r", "\u{2028}", "\u{85}", "\u{c}"] {
            let src = |name: &str| format!("package p\n// x{stop}func {name}() {{}}\n");
            let (f, g) = (src("F"), src("G"));
            assert_eq!(fingerprint(f.as_bytes()), fingerprint(g.as_bytes()));
            let parsed = super::super::go::parse_clean(f.as_bytes());
            assert_eq!(parsed.as_ref().map(|(file, _)| file.items.len()), Some(0));
            assert_eq!(parsed, super::super::go::parse_clean(g.as_bytes()));
        }
    }

    /// Spacing and comments by what the fingerprint keeps of them: those of a
    /// kind are interchangeable.
    const KINDS: [&[&str]; 5] = [
        &[" ", "\t", "  "],
        &["\n", "\n\n", " \n\t"],
        &[" // c\n", " // other words */\n"],
        &[" /* c */ ", " /* \"d\" */ "],
        &[" /*\n*/ ", " /* a\n b */ "],
    ];

    /// Go source with `gaps` (kind, choice) between its tokens, in turn, and
    /// the kinds it took. A token marked `~` may end a line, one marked `_`
    /// is a line break; elsewhere a break would end a statement, and only
    /// spacing on the line (kinds 0 and 3) goes there.
    fn source(gaps: &[(usize, usize)]) -> (String, Vec<usize>) {
        const TOKENS: &str = "package p _ import \"fmt\" _ func F (~ a int ,~ b ...string ) (~ int ,~ error ) {~ return 0 , nil _ } _ type T struct {~ A int `json:\"a\"` _ } _ const C =~ 'x' _ var V =~ \"//no\" _ func ( t * T ) M ( ) {~ } _";
        let (mut out, mut kinds) = (String::new(), Vec::new());
        for (at, token) in TOKENS.split(' ').enumerate() {
            let (kind, choice) = gaps[at % gaps.len()];
            let kind = match token.strip_suffix('~') {
                _ if token == "_" => 1,
                Some(token) => {
                    out.push_str(token);
                    kind
                }
                None => {
                    out.push_str(token);
                    [0, 3][kind % 2]
                }
            };
            out.push_str(KINDS[kind][choice % KINDS[kind].len()]);
            kinds.push(kind);
        }
        (out, kinds)
    }

    proptest::proptest! {
        /// Wherever two sources have one fingerprint and one parses without an
        /// error, the other parses to the same file: the parse that stands
        /// for it is its own.
        #[test]
        fn one_fingerprint_and_a_clean_parse_is_one_file(
            gaps in proptest::collection::vec((0..5usize, 0..3usize), 48),
            other in proptest::collection::vec((0..5usize, 0..3usize, 0..200u8), 48),
        ) {
            let (a, a_kinds) = source(&gaps);
            // The same kind of gap, written otherwise; now and then another kind.
            let changed: Vec<(usize, usize)> = gaps
                .iter()
                .zip(&other)
                .map(|(&(kind, _), &(k, choice, roll))| (if roll == 0 { k } else { kind }, choice))
                .collect();
            let (b, b_kinds) = source(&changed);
            let same = fingerprint(a.as_bytes()) == fingerprint(b.as_bytes());
            proptest::prop_assert_eq!(same, a_kinds == b_kinds);
            if same && let Some((file, true)) = super::super::go::parse_clean(a.as_bytes()) {
                proptest::prop_assert_eq!(super::super::go::parse_clean(b.as_bytes()), Some((file, true)));
            }
        }
    }
}
