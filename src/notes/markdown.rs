//! Markdown for people and for docs sites: release notes, and prepending them
//! to an existing changelog.
//!
//! Owns escaping: every piece of commit text that reaches Markdown goes through
//! [`escape`], so a message can neither run template code on a docs site that
//! uses Jinja (mkdocs-macros), nor inject HTML, links or images. Prepending
//! keeps every byte of the existing file.

use std::fmt::Write as _;

use crate::notes::changelog::{Changelog, Entry, Release};

/// Makes untrusted text inert in Markdown, in Jinja templates and in tables:
/// braces become HTML entities (no `{{`, `{%`, `{#`), `<` and `>` become
/// entities (no raw HTML), brackets, backticks, backslashes and pipes are
/// backslash-escaped (no links, images or table cells), line breaks and tabs
/// become spaces, control characters (ESC, BEL, C1) become U+FFFD, and a
/// leading block marker is escaped. A code span the author
/// wrote (`` `--with-commit` ``) is kept as Markdown when its content needs
/// no escaping inside one (no brace, pipe, backslash or line break: a code
/// span shows `<` and `[` as they are, and runs nothing).
pub fn escape(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(ch) = rest.chars().next() {
        if ch == '`'
            && let Some(len) = rest[1..].find('`')
        {
            let span = &rest[..len + 2];
            let inner = &span[1..=len];
            if len > 0
                && !inner.contains(['{', '}', '|', '\\'])
                && !inner.chars().any(char::is_control)
            {
                out.push_str(span);
            } else {
                escape_into(span, &mut out);
            }
            rest = &rest[len + 2..];
            continue;
        }
        escape_into(&rest[..ch.len_utf8()], &mut out);
        rest = &rest[ch.len_utf8()..];
    }
    if out.starts_with(['#', '+', '-', '*', '=']) {
        out.insert(0, '\\');
    }
    out
}

/// `text` escaped character by character onto `out` (see [`escape`]).
fn escape_into(text: &str, out: &mut String) {
    for ch in text.chars() {
        match ch {
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' | ']' | '`' | '\\' | '|' => {
                out.push('\\');
                out.push(ch);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            // Terminal and runner control text (ESC, BEL, OSC, C1) is shown, never sent.
            c if c.is_control() => out.push('\u{FFFD}'),
            _ => out.push(ch),
        }
    }
}

/// An entry's text as the notes write it: escaped, `#N` references linked.
pub fn linked_text(entry: &Entry) -> String {
    linked(&entry.text, entry)
}

/// `text` escaped, with `#N` references turned into links where their pages are known.
fn linked(text: &str, entry: &Entry) -> String {
    let mut out = escape(text);
    for reference in &entry.references {
        let Some(url) = &reference.url else { continue };
        let plain = format!("#{}", reference.number);
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(&plain) {
            let after = &rest[at + plain.len()..];
            let whole = !after.starts_with(|c: char| c.is_ascii_digit());
            result.push_str(&rest[..at]);
            if whole {
                let _ = write!(result, "[{plain}]({url})");
            } else {
                result.push_str(&plain);
            }
            rest = after;
        }
        result.push_str(rest);
        out = result;
    }
    out
}

/// How a changelog's release headings look, as its newest release heading has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeadingStyle {
    /// `## [1.0.1] - 2026-01-01` (Keep a Changelog; also with a link after the brackets).
    #[default]
    Keep,
    /// `## 1.0.1 (2026-01-01)`; `v` when `v`.
    Parenthesised {
        /// The version is written `v1.0.1`.
        v: bool,
    },
    /// `## 1.0.1 - 2026-01-01`.
    Dashed {
        /// The version is written `v1.0.1`.
        v: bool,
    },
    /// `## 1.0.1`, no date.
    Bare {
        /// The version is written `v1.0.1`.
        v: bool,
    },
    /// `## 1.0.1: Title` (ContainerSSH's libraries): the title is the release's first entry.
    Titled {
        /// The version is written `v1.0.1`.
        v: bool,
    },
}

impl HeadingStyle {
    /// The style of `text`'s first `## ` heading that names a version
    /// (`Unreleased` and other headings skipped); [`HeadingStyle::Keep`] without one.
    pub fn of(text: &str) -> HeadingStyle {
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("## ").map(str::trim) else {
                continue;
            };
            if let Some(inner) = rest.strip_prefix('[') {
                if inner.to_ascii_lowercase().starts_with("unreleased") {
                    continue;
                }
                return HeadingStyle::Keep;
            }
            let v = rest.starts_with('v');
            let number = rest.strip_prefix('v').unwrap_or(rest);
            let end = number.find([' ', ':', '\t']).unwrap_or(number.len());
            if semver::Version::parse(&number[..end]).is_err() {
                continue;
            }
            let after = number[end..].trim_start();
            return if number[end..].starts_with(':') {
                HeadingStyle::Titled { v }
            } else if after.starts_with('(') {
                HeadingStyle::Parenthesised { v }
            } else if after.starts_with(['-', '–']) {
                HeadingStyle::Dashed { v }
            } else {
                HeadingStyle::Bare { v }
            };
        }
        HeadingStyle::Keep
    }
}

/// The heading line of a release, e.g. `## [0.7.0] - 2026-11-24`.
pub fn heading(release: &Release) -> String {
    heading_in(release, HeadingStyle::Keep)
}

/// The heading line of a release in `style`.
pub fn heading_in(release: &Release, style: HeadingStyle) -> String {
    let version = release.heading.version.as_ref();
    let title = version.map_or_else(|| "Unreleased".to_string(), ToString::to_string);
    let date = release.heading.date.as_deref();
    let v = |v: bool| if v && version.is_some() { "v" } else { "" };
    match (style, date) {
        (HeadingStyle::Keep, Some(date)) => format!("## [{title}] - {date}"),
        (HeadingStyle::Keep, None) => format!("## [{title}]"),
        (HeadingStyle::Parenthesised { v: with }, Some(date)) => {
            format!("## {}{title} ({date})", v(with))
        }
        (HeadingStyle::Dashed { v: with }, Some(date)) => format!("## {}{title} - {date}", v(with)),
        (
            HeadingStyle::Parenthesised { v: with }
            | HeadingStyle::Dashed { v: with }
            | HeadingStyle::Bare { v: with },
            _,
        ) => format!("## {}{title}", v(with)),
        (HeadingStyle::Titled { v: with }, _) => {
            let summary = release
                .sections
                .first()
                .and_then(|s| s.entries.first())
                .map_or_else(
                    || "No changes with release impact".to_string(),
                    |e| {
                        // A title: its first letter capitalised.
                        let mut chars = e.text.chars();
                        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
                        escape(&(first.unwrap_or_default() + chars.as_str()))
                    },
                );
            format!("## {}{title}: {summary}", v(with))
        }
    }
}

/// One release's notes, newline-terminated.
pub fn release(release: &Release) -> String {
    release_in(release, HeadingStyle::Keep)
}

/// One release's notes with its heading in `style`, newline-terminated.
pub fn release_in(release: &Release, style: HeadingStyle) -> String {
    let mut out = heading_in(release, style);
    out.push('\n');
    out.push_str(&body(release));
    out
}

/// One release's notes without their heading: the sections, each opened by a blank line.
pub fn body(release: &Release) -> String {
    let mut out = String::new();
    if release.sections.is_empty() {
        out.push_str("\nNo changes with release impact.\n");
    }
    for section in &release.sections {
        let _ = write!(out, "\n### {}\n\n", escape(&section.title));
        for entry in &section.entries {
            out.push_str("- ");
            if let Some(scope) = &entry.scope {
                let _ = write!(out, "**{}:** ", escape(scope));
            }
            out.push_str(&linked(&entry.text, entry));
            if let Some(detail) = &entry.detail {
                let _ = write!(out, ": {}", escape(detail));
            }
            let _ = writeln!(out, " ({})", commit_link(entry));
        }
    }
    out
}

/// An entry's short commit id, as a link to the commit's page where that is known.
pub fn commit_link(entry: &Entry) -> String {
    let short = crate::evidence::message::short_id(&entry.commit);
    match &entry.commit_url {
        Some(url) => format!("[{short}]({url})"),
        None => short.to_string(),
    }
}

/// Several releases, newest first, separated by a blank line.
pub fn changelog(changelog: &Changelog) -> String {
    changelog_in(changelog, HeadingStyle::Keep)
}

/// Several releases, newest first, separated by a blank line, headed in `style`.
pub fn changelog_in(changelog: &Changelog, style: HeadingStyle) -> String {
    changelog
        .releases
        .iter()
        .map(|r| release_in(r, style))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a section could not be prepended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrependError {
    /// The file already has a section for this version.
    Exists(String),
}

/// The version a `## ` heading names (`## [0.7.0] - …`, `## v0.7.0`, `## 0.7.0 (…)`).
fn heading_title(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("## ")?.trim_start();
    let rest = rest.strip_prefix('[').unwrap_or(rest);
    let end = rest
        .find([']', ' ', '\t', '\r', '\n', ':'])
        .unwrap_or(rest.len());
    Some(rest[..end].trim_start_matches('v'))
}

/// Whether `text` has a `## ` section for `version` (`## [1.2.0] …`, `## v1.2.0`, `## 1.2.0 (…)`).
pub fn has_section(text: &str, version: &str) -> bool {
    text.lines().filter_map(heading_title).any(|t| t == version)
}

/// Inserts `section` (a rendered release) into a Keep a Changelog file:
/// under the title and introduction, after an `## [Unreleased]` section if
/// there is one, above the previous release. Every other byte is kept. A
/// section for the same version is refused, or replaced when `replace` is set
/// (only that section's bytes change). A file whose first line ends in CRLF gets CRLF lines.
///
/// # Errors
///
/// [`PrependError::Exists`] when the version already has a section and `replace` is not set.
pub fn prepend(existing: &str, section: &str, replace: bool) -> Result<String, PrependError> {
    // The file's own line ending, as its first line has it; a stray CRLF elsewhere does not count.
    let crlf = existing
        .split_inclusive('\n')
        .next()
        .is_some_and(|l| l.ends_with("\r\n"));
    let section = if crlf {
        section.replace('\n', "\r\n")
    } else {
        section.to_string()
    };
    let nl = if crlf { "\r\n" } else { "\n" };
    let version = section
        .lines()
        .next()
        .and_then(heading_title)
        .unwrap_or("")
        .to_string();
    // Start offsets of every `## ` heading, with the version it names.
    let mut headings: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in existing.split_inclusive('\n') {
        if let Some(title) = heading_title(line) {
            headings.push((offset, title));
        }
        offset += line.len();
    }
    let end_of = |i: usize| headings.get(i + 1).map_or(existing.len(), |(o, _)| *o);
    if let Some(i) = headings.iter().position(|(_, t)| *t == version) {
        if !replace {
            return Err(PrependError::Exists(version));
        }
        let (start, end) = (headings[i].0, end_of(i));
        let tail = &existing[end..];
        let sep = if tail.is_empty() { "" } else { nl };
        return Ok(format!("{}{section}{sep}{tail}", &existing[..start]));
    }
    let at = match headings.first() {
        Some((_, t)) if t.eq_ignore_ascii_case("unreleased") => end_of(0),
        Some((o, _)) => *o,
        None => existing.len(),
    };
    let (before, after) = existing.split_at(at);
    let lead = if before.is_empty() || before.ends_with(&format!("{nl}{nl}")) {
        ""
    } else if before.ends_with(nl) {
        nl
    } else {
        if nl == "\r\n" { "\r\n\r\n" } else { "\n\n" }
    };
    let sep = if after.is_empty() { "" } else { nl };
    Ok(format!("{before}{lead}{section}{sep}{after}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_makes_templates_html_and_links_inert() {
        assert_eq!(
            escape("{{ config.secret }}"),
            "&#123;&#123; config.secret &#125;&#125;"
        );
        assert_eq!(
            escape("{% include x %}{# c #}"),
            "&#123;% include x %&#125;&#123;# c #&#125;"
        );
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape("![x](http://e/x.png) [y](http://e)"),
            "!\\[x\\](http://e/x.png) \\[y\\](http://e)"
        );
        assert_eq!(escape("# heading\nline"), "\\# heading line");
        assert_eq!(escape("a|b `c`"), "a\\|b `c`");
        // A code span is kept when nothing in it needs escaping; otherwise escaped whole.
        assert_eq!(
            escape("add the `--with-commit` flag"),
            "add the `--with-commit` flag"
        );
        assert_eq!(escape("`<b>` and `a|b`"), "`<b>` and \\`a\\|b\\`");
        assert_eq!(
            escape("`{{ x }}` `"),
            "\\`&#123;&#123; x &#125;&#125;\\` \\`"
        );
        assert_eq!(escape("`a` and `b"), "`a` and \\`b");
        assert_eq!(escape("``"), "\\`\\`");
    }

    #[test]
    fn the_heading_style_is_the_newest_release_headings() {
        let of = HeadingStyle::of;
        assert_eq!(
            of("# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-01\n"),
            HeadingStyle::Keep
        );
        assert_eq!(
            of("## [2.13.1](https://x/compare/a..b) - 2026-04-26\n"),
            HeadingStyle::Keep
        );
        assert_eq!(
            of("## v0.7.0 (2026-07-08)\n"),
            HeadingStyle::Parenthesised { v: true }
        );
        assert_eq!(
            of("## Unreleased\n## 1.2.0 - 2026-01-01\n"),
            HeadingStyle::Dashed { v: false }
        );
        assert_eq!(
            of("## New Contributors\n## v1.2.0\n"),
            HeadingStyle::Bare { v: true }
        );
        assert_eq!(
            of("# Changelog\n\n## 0.9.26: Fixed race condition on close\n"),
            HeadingStyle::Titled { v: false }
        );
        assert_eq!(of("# Changelog\n"), HeadingStyle::Keep);
    }

    #[test]
    fn prepend_goes_under_the_intro_and_above_the_last_release() {
        let old = "# Changelog\n\nIntro.\n\n## [0.1.0] - 2020-01-01\n\n- x\n";
        let new = prepend(old, "## [0.2.0] - 2021-01-01\n\n- y\n", false).unwrap();
        assert_eq!(
            new,
            "# Changelog\n\nIntro.\n\n## [0.2.0] - 2021-01-01\n\n- y\n\n## [0.1.0] - 2020-01-01\n\n- x\n"
        );
    }

    #[test]
    fn prepend_keeps_unreleased_on_top_and_refuses_duplicates() {
        let old = "# Changelog\n\n## [Unreleased]\n\n- wip\n\n## v0.1.0\n";
        let new = prepend(old, "## [0.2.0] - d\n", false).unwrap();
        assert_eq!(
            new,
            "# Changelog\n\n## [Unreleased]\n\n- wip\n\n## [0.2.0] - d\n\n## v0.1.0\n"
        );
        assert_eq!(
            prepend(&new, "## [0.2.0] - e\n", false),
            Err(PrependError::Exists("0.2.0".into()))
        );
        let replaced = prepend(&new, "## [0.2.0] - e\n", true).unwrap();
        assert_eq!(
            replaced,
            "# Changelog\n\n## [Unreleased]\n\n- wip\n\n## [0.2.0] - e\n\n## v0.1.0\n"
        );
    }

    #[test]
    fn prepend_into_a_file_without_releases_or_trailing_newline() {
        assert_eq!(
            prepend("# Changelog", "## [1.0.0]\n", false).unwrap(),
            "# Changelog\n\n## [1.0.0]\n"
        );
        assert_eq!(prepend("", "## [1.0.0]\n", false).unwrap(), "## [1.0.0]\n");
        let crlf = prepend("# C\r\n\r\n## [0.1.0]\r\n", "## [0.2.0]\n\n- y\n", false).unwrap();
        assert_eq!(
            crlf,
            "# C\r\n\r\n## [0.2.0]\r\n\r\n- y\r\n\r\n## [0.1.0]\r\n"
        );
    }
}
