//! Deprecation notices: a draft for the release docs, and ContainerSSH-style
//! docs pages with their index rows.
//!
//! Owns turning the deprecations a range announces into what users read: what
//! is deprecated, since which version, what to use instead, how to migrate, and
//! a `TODO` wherever the commit did not say. Commit text is escaped (see
//! [`crate::notes::markdown::escape`]); the only template code on a page is the
//! `{{ since("X.Y") }}` macro bumpwise writes itself. Existing pages are never
//! overwritten and an existing index row is never duplicated.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Result;
use crate::fsio;
use crate::notes::markdown::escape;
use crate::report::Report;

/// The marker left wherever a notice needs a writer.
pub const TODO: &str = "TODO";

/// One deprecation to announce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// What is deprecated.
    pub what: String,
    /// The version it is deprecated in, as `X.Y`; `None` when no release is proposed.
    pub since: Option<String>,
    /// What to use instead.
    pub replacement: Option<String>,
    /// How to migrate.
    pub migration: Option<String>,
    /// The commit that announced it.
    pub commit: String,
    /// The page name under the docs directory, without `.md`.
    pub slug: String,
}

/// The deprecations a report's range announces, in walk order (newest first).
pub fn items(report: &Report) -> Vec<Item> {
    let since = report
        .decision
        .next_version
        .as_ref()
        .map(|v| format!("{}.{}", v.major, v.minor));
    report
        .deprecations
        .iter()
        .map(|d| Item {
            slug: slug(&d.deprecation.what, &d.commit),
            what: d.deprecation.what.clone(),
            since: since.clone(),
            replacement: d.deprecation.replacement.clone(),
            migration: d.deprecation.migration.clone(),
            commit: d.commit.clone(),
        })
        .collect()
}

/// A file name for `what`: lower-case letters and digits joined by `-`.
pub fn slug(what: &str, commit: &str) -> String {
    let mut out = String::new();
    for word in what
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    match out.as_str() {
        "" => format!("deprecation-{}", crate::evidence::message::short_id(commit)),
        // The directory's own page, which lists the others.
        "index" => "deprecated-index".to_string(),
        _ => out,
    }
}

fn or_todo(text: Option<&String>, what_is_missing: &str) -> String {
    match text {
        Some(text) => escape(text),
        None => format!("{TODO}: {what_is_missing}"),
    }
}

fn since_text(item: &Item) -> String {
    item.since
        .clone()
        .unwrap_or_else(|| format!("{TODO}: version"))
}

/// The Markdown draft: one user-facing notice per item.
pub fn draft(items: &[Item]) -> String {
    if items.is_empty() {
        return "No deprecations since the last release.\n".to_string();
    }
    let mut out = String::from("# Deprecations\n");
    for item in items {
        let short = crate::evidence::message::short_id(&item.commit);
        let _ = write!(
            out,
            "\n## {}\n\nDeprecated in {} (commit {short}).\n\n**Use instead:** {}\n\n**How to migrate:** {}\n",
            escape(&item.what),
            since_text(item),
            or_todo(item.replacement.as_ref(), "what replaces it"),
            or_todo(
                item.migration.as_ref(),
                "the steps from the old to the new, with the old and new configuration"
            ),
        );
    }
    out
}

/// A docs page in the shape of ContainerSSH's `docs/deprecations/*.md`.
pub fn page(item: &Item) -> String {
    let what = escape(&item.what);
    let since = item.since.as_deref().unwrap_or("TODO");
    format!(
        "title: {what}\n\n# {what} {{{{ since(\"{since}\") }}}}\n\n{what} is deprecated and will be removed in a future release.\n\n\
         ## What to use instead\n\n{}\n\n## How to migrate\n\n{}\n\n\
         ## The warning you will see\n\n{TODO}: the exact log message users see while they still use the deprecated feature.\n",
        or_todo(
            item.replacement.as_ref(),
            "what replaces it, with the old and new configuration side by side in a yaml block"
        ),
        or_todo(item.migration.as_ref(), "the steps from the old to the new"),
    )
}

/// The docs index created when there is none.
pub const NEW_INDEX: &str =
    "# Deprecations\n\n| Feature | Deprecated | Removed |\n| ------- | ---------- | ------- |\n";

/// The index row for `item`.
pub fn row(item: &Item) -> String {
    format!(
        "| [{}]({}.md) | {} | &mdash; |",
        escape(&item.what),
        item.slug,
        item.since.as_deref().unwrap_or("TODO")
    )
}

/// `index` with a row for `item` added at the end of its deprecations table
/// (every other byte kept), or `None` when a row links `slug.md` already.
pub fn add_row(index: &str, item: &Item) -> Option<String> {
    let link = format!("]({}.md)", item.slug);
    if index
        .lines()
        .any(|l| l.trim_start().starts_with('|') && l.contains(&link))
    {
        return None;
    }
    let mut offset = 0;
    let mut in_table = false;
    let mut table_end = None;
    for line in index.split_inclusive('\n') {
        let cells = line.trim();
        if !in_table && cells.starts_with('|') && cells.to_ascii_lowercase().contains("deprecated")
        {
            in_table = true;
        } else if in_table && !cells.starts_with('|') {
            table_end = Some(offset);
            break;
        }
        offset += line.len();
    }
    let nl = if index.contains("\r\n") { "\r\n" } else { "\n" };
    let row = row(item);
    Some(match (in_table, table_end) {
        (true, Some(at)) => format!("{}{row}{nl}{}", &index[..at], &index[at..]),
        (true, None) if index.ends_with('\n') => format!("{index}{row}{nl}"),
        (true, None) => format!("{index}{nl}{row}{nl}"),
        (false, _) => {
            let sep = if index.is_empty() || index.ends_with("\n\n") {
                ""
            } else if index.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            format!(
                "{index}{sep}{}{row}\n",
                &NEW_INDEX[NEW_INDEX.find('|').unwrap_or(0)..]
            )
        }
    })
}

/// What happened to one file in the docs directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Change {
    /// A new page was written.
    PageWritten {
        /// The page.
        path: PathBuf,
    },
    /// The page existed and was kept as it was.
    PageKept {
        /// The page.
        path: PathBuf,
    },
    /// A row was added to the index.
    RowAdded {
        /// The item's page name.
        slug: String,
    },
    /// The index already had a row for the item.
    RowKept {
        /// The item's page name.
        slug: String,
    },
}

/// Writes a page for every item that has none, and the index rows that are
/// missing. Within `root` (the work tree), no link along `dir` may lead out of
/// it; nothing is written until every file to write is known to be writable
/// (no link among them), so a refusal leaves the directory as it was.
///
/// # Errors
///
/// An I/O error when the directory is missing or a file cannot be read or
/// written; a usage error for a link out of the repository.
pub fn write_docs(dir: &Path, items: &[Item], root: Option<&Path>) -> Result<Vec<Change>> {
    if let Some(root) = root {
        fsio::stays_inside(dir, root)?;
    }
    let mut changes = Vec::new();
    let index_path = dir.join("index.md");
    fsio::refuse_link(&index_path)?;
    let pages: Vec<(PathBuf, &Item)> = items
        .iter()
        .map(|item| (dir.join(format!("{}.md", item.slug)), item))
        .collect();
    for (path, _) in &pages {
        fsio::refuse_link(path)?;
    }
    let original = fsio::read_if_exists(&index_path)?;
    let mut index = original.clone().unwrap_or_else(|| NEW_INDEX.to_string());
    for (path, item) in pages {
        if path.exists() {
            changes.push(Change::PageKept { path });
        } else {
            fsio::write_atomic(&path, page(item).as_bytes())?;
            changes.push(Change::PageWritten { path });
        }
        match add_row(&index, item) {
            Some(updated) => {
                index = updated;
                changes.push(Change::RowAdded {
                    slug: item.slug.clone(),
                });
            }
            None => changes.push(Change::RowKept {
                slug: item.slug.clone(),
            }),
        }
    }
    if original.as_deref() != Some(index.as_str()) {
        fsio::write_atomic(&index_path, index.as_bytes())?;
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(what: &str) -> Item {
        Item {
            what: what.into(),
            since: Some("0.7".into()),
            replacement: None,
            migration: None,
            commit: "0123456789".into(),
            slug: slug(what, "0123456789"),
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("The `listen` option", "abc"), "the-listen-option");
        assert_eq!(slug("{{ }}", "0123456789"), "deprecation-0123456");
    }

    #[test]
    fn a_row_goes_at_the_end_of_the_table_once() {
        let index = "# Deprecations\n\n| Feature | Deprecated | Removed |\n| --- | --- | --- |\n| [listen option](listen.md) | 0.4 | &mdash; |\n\nMore text.\n";
        let added = add_row(index, &item("The old flag")).unwrap();
        assert_eq!(
            added,
            "# Deprecations\n\n| Feature | Deprecated | Removed |\n| --- | --- | --- |\n| [listen option](listen.md) | 0.4 | &mdash; |\n| [The old flag](the-old-flag.md) | 0.7 | &mdash; |\n\nMore text.\n"
        );
        assert_eq!(add_row(&added, &item("The old flag")), None);
    }

    #[test]
    fn a_table_is_added_to_an_index_without_one() {
        let added = add_row("# Deprecations\n\nNone yet.\n", &item("x")).unwrap();
        assert!(
            added
                .starts_with("# Deprecations\n\nNone yet.\n\n| Feature | Deprecated | Removed |\n"),
            "{added}"
        );
        assert!(
            added.ends_with("| [x](x.md) | 0.7 | &mdash; |\n"),
            "{added}"
        );
    }
}
