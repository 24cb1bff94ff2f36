//! Declared change files: `.changeset/*.md`, the changesets and knope format.
//!
//! A file added in the range holds front matter mapping package names to a
//! bump, and a summary below it:
//!
//! ```text
//! ---
//! "my-package": minor
//! ---
//!
//! Add the `--pre` flag.
//! ```
//!
//! Parsing never fails: a file that does not have this shape is reported as
//! malformed (a warning naming it), never read as a bump.

/// The bump a changeset declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// `patch`.
    Patch,
    /// `minor`.
    Minor,
    /// `major`.
    Major,
}

/// One declared change file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changeset {
    /// Its path.
    pub file: String,
    /// Package name → bump.
    pub bumps: Vec<(String, Bump)>,
    /// What changed, for the release notes (its first paragraph).
    pub summary: String,
}

/// Whether `path` is a change file: a Markdown file directly under `.changeset/` (not its README).
pub fn is_change_file(path: &str) -> bool {
    path.strip_prefix(".changeset/").is_some_and(|name| {
        !name.contains('/') && name.ends_with(".md") && !name.eq_ignore_ascii_case("README.md")
    })
}

/// Parses a change file; `Err` says what is malformed.
///
/// # Errors
///
/// A one-line description when the text has no front matter, a line of it is
/// not `name: major|minor|patch`, or it names no package.
pub fn parse(file: &str, text: &str) -> Result<Changeset, String> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let rest = text
        .strip_prefix("---\n")
        .ok_or("it does not start with a `---` front matter line")?;
    let (front, body) = rest
        .split_once("\n---")
        .ok_or("its front matter has no closing `---` line")?;
    let mut bumps = Vec::new();
    for line in front.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, level) = line
            .rsplit_once(':')
            .ok_or_else(|| format!("`{line}` is not `\"package\": major|minor|patch`"))?;
        let name = name.trim().trim_matches(['"', '\'']).to_string();
        let bump = match level.trim().trim_matches(['"', '\'']) {
            "major" => Bump::Major,
            "minor" => Bump::Minor,
            "patch" => Bump::Patch,
            other => return Err(format!("`{other}` for {name} is not major, minor or patch")),
        };
        if name.is_empty() {
            return Err(format!("`{line}` names no package"));
        }
        bumps.push((name, bump));
    }
    if bumps.is_empty() {
        return Err("its front matter names no package".to_string());
    }
    let body = body.trim_start_matches('-').trim();
    let summary = body
        .split("\n\n")
        .next()
        .unwrap_or("")
        .trim()
        .replace('\n', " ");
    Ok(Changeset {
        file: file.to_string(),
        bumps,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_summary() {
        let set = parse(
            ".changeset/brave-cats.md",
            "---\n\"core\": minor\n'@x/cli': patch\n---\n\nAdd the `--pre` flag.\n\nMore words.\n",
        )
        .unwrap();
        assert_eq!(
            set.bumps,
            [
                ("core".to_string(), Bump::Minor),
                ("@x/cli".to_string(), Bump::Patch)
            ]
        );
        assert_eq!(set.summary, "Add the `--pre` flag.");
        assert!(
            parse("x", "no front matter")
                .unwrap_err()
                .contains("front matter")
        );
        assert!(
            parse("x", "---\ncore: huge\n---\n")
                .unwrap_err()
                .contains("`huge`")
        );
        assert!(parse("x", "---\n---\n").is_err());
        assert!(is_change_file(".changeset/a.md") && !is_change_file(".changeset/README.md"));
        assert!(!is_change_file(".changeset/config.json"));
    }
}
