//! A Go module's path, read from its `go.mod`, and the major version the path
//! allows.
//!
//! In Go a major version above 1 is a new module path: `example.com/lib/v2`
//! for v2 (or `gopkg.in/yaml.v3` on gopkg.in). A `v2.0.0` tag on a module whose
//! path lacks `/v2` is not usable by module-aware consumers, so the path, not
//! the commits, says which majors a module can release. Only the `module`
//! directive is read; the file is bounded ([`LIMIT`]) and any text is accepted.

/// Largest `go.mod` read; a larger one is read as if it had no module directive.
pub const LIMIT: usize = 256 << 10;

/// The module path of a `go.mod`: its `module` directive (quoted or not,
/// `//` comments left out); `None` when there is none.
pub fn module_path(text: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(text);
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        let Some(rest) = line.strip_prefix("module") else {
            continue;
        };
        // `module` followed by white space (not `modulex`), or `module(`: a block.
        if !rest.starts_with([' ', '\t', '"', '`']) {
            continue;
        }
        let path = rest.trim().trim_matches(['"', '`']).trim();
        if !path.is_empty() && !path.contains(char::is_whitespace) {
            return Some(path.to_string());
        }
    }
    None
}

/// The major version a module path is for: `N` for a path ending in `/vN`
/// (`N` ≥ 2) or a gopkg.in path ending in `.vN`; `None` for a path without a
/// major suffix, which is for v0 and v1 only.
pub fn path_major(path: &str) -> Option<u64> {
    let gopkg = path.starts_with("gopkg.in/");
    let (head, digits) = match gopkg {
        true => path.rsplit_once(".v")?,
        false => path.rsplit_once("/v")?,
    };
    if head.is_empty() || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return None;
    }
    let major: u64 = digits.parse().ok()?;
    match gopkg {
        true => Some(major),
        false => (major >= 2).then_some(major),
    }
}

/// The module path without its major suffix (`example.com/lib/v2` is
/// `example.com/lib`); the path itself when it has none.
pub fn root(path: &str) -> &str {
    let split = if path.starts_with("gopkg.in/") {
        ".v"
    } else {
        "/v"
    };
    match path_major(path) {
        Some(_) => path.rsplit_once(split).map_or(path, |(head, _)| head),
        None => path,
    }
}

/// Whether a module whose path is `path` can release a version of major `major`.
pub fn allows(path: &str, major: u64) -> bool {
    match path_major(path) {
        // gopkg.in/x.v1 is for v1 (and v0); /v2 and up for that major only.
        Some(n) if n <= 1 => major <= 1,
        Some(n) => major == n,
        None => major <= 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_directive_is_found_quoted_or_not() {
        assert_eq!(
            module_path(b"// comment\nmodule github.com/spf13/viper\n\ngo 1.21\n").as_deref(),
            Some("github.com/spf13/viper")
        );
        assert_eq!(
            module_path(b"module \"example.com/lib/v2\" // the v2 line\n").as_deref(),
            Some("example.com/lib/v2")
        );
        assert_eq!(module_path(b"go 1.21\nrequire x v1.0.0\n"), None);
        assert_eq!(module_path(b"modulex foo\n"), None);
    }

    #[test]
    fn majors_come_from_the_path_suffix() {
        assert_eq!(path_major("example.com/lib"), None);
        assert_eq!(path_major("example.com/lib/v2"), Some(2));
        assert_eq!(path_major("example.com/lib/v1"), None);
        assert_eq!(path_major("example.com/lib/v02"), None);
        assert_eq!(path_major("example.com/lib/vx"), None);
        assert_eq!(path_major("gopkg.in/yaml.v3"), Some(3));
        assert!(allows("example.com/lib", 1));
        assert!(!allows("example.com/lib", 2));
        assert!(allows("example.com/lib/v2", 2));
        assert!(!allows("example.com/lib/v2", 3));
        assert!(allows("gopkg.in/yaml.v1", 1));
        assert!(!allows("gopkg.in/yaml.v2", 3));
        assert_eq!(root("example.com/lib/v2"), "example.com/lib");
        assert_eq!(root("example.com/lib"), "example.com/lib");
    }
}
