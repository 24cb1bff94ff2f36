//! The `nav:` of an mkdocs configuration: adding the upcoming reference pages
//! it lacks.
//!
//! Owns a line-based edit of `mkdocs.yml` that keeps every other line as it is
//! (comments, order, unrelated keys): a missing page goes after the last nav
//! entry for `reference/upcoming/`, with its indentation, or into a new
//! `Upcoming` section at the end of the nav. Titles come from each page's first
//! heading and are quoted, so no text becomes YAML syntax.

/// A page to add: its path under the docs folder and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// e.g. `reference/upcoming/sshserver.md`.
    pub path: String,
    /// e.g. `SSH server`.
    pub title: String,
}

/// The title of a Markdown page: its first `# ` heading, or its file stem.
pub fn title(markdown: &str, path: &str) -> String {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.split("{{").next().unwrap_or(t).trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            let stem = path
                .rsplit('/')
                .next()
                .unwrap_or(path)
                .trim_end_matches(".md");
            stem.to_string()
        })
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `mkdocs` with `pages` added to its nav; `None` when it has no `nav:`.
pub fn add_pages(mkdocs: &str, pages: &[Page]) -> Option<String> {
    let lines: Vec<&str> = mkdocs.lines().collect();
    let nav = lines.iter().position(|l| l.trim_end() == "nav:")?;
    let indent = |l: &str| l.len() - l.trim_start().len();
    let block_end = lines[nav + 1..]
        .iter()
        .position(|l| !l.trim().is_empty() && indent(l) == 0)
        .map_or(lines.len(), |i| nav + 1 + i);
    let last_upcoming = (nav + 1..block_end)
        .rev()
        .find(|&i| lines[i].contains("reference/upcoming/"));
    let (at, new): (usize, Vec<String>) = match last_upcoming {
        Some(i) => {
            let pad = " ".repeat(indent(lines[i]));
            (
                i + 1,
                pages
                    .iter()
                    .map(|p| format!("{pad}- {}: {}", quoted(&p.title), p.path))
                    .collect(),
            )
        }
        None => {
            let child = lines[nav + 1..block_end]
                .iter()
                .find(|l| !l.trim().is_empty())
                .map_or(2, |l| indent(l));
            let pad = " ".repeat(child);
            let mut new = vec![format!("{pad}- Upcoming:")];
            new.extend(
                pages
                    .iter()
                    .map(|p| format!("{pad}    - {}: {}", quoted(&p.title), p.path)),
            );
            let end = (nav + 1..block_end)
                .rev()
                .find(|&i| !lines[i].trim().is_empty())
                .map_or(nav + 1, |i| i + 1);
            (end, new)
        }
    };
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
    out.splice(at..at, new);
    let mut text = out.join("\n");
    if mkdocs.ends_with('\n') {
        text.push('\n');
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, title: &str) -> Page {
        Page {
            path: path.into(),
            title: title.into(),
        }
    }

    #[test]
    fn pages_go_after_the_last_upcoming_entry_keeping_comments() {
        let mkdocs = "site_name: X\nnav:\n  - Home: index.md\n  # The next release.\n  - Upcoming:\n      - Overview: reference/upcoming/index.md\n  - Blog: blog.md\ntheme: material\n";
        let fixed = add_pages(
            mkdocs,
            &[page("reference/upcoming/ssh.md", "SSH \"server\"")],
        )
        .unwrap();
        assert_eq!(
            fixed,
            "site_name: X\nnav:\n  - Home: index.md\n  # The next release.\n  - Upcoming:\n      - Overview: reference/upcoming/index.md\n      - \"SSH \\\"server\\\"\": reference/upcoming/ssh.md\n  - Blog: blog.md\ntheme: material\n"
        );
    }

    #[test]
    fn a_new_section_when_there_is_none() {
        let mkdocs = "nav:\n  - Home: index.md\n\ntheme: material\n";
        let fixed = add_pages(mkdocs, &[page("reference/upcoming/a.md", "A")]).unwrap();
        assert_eq!(
            fixed,
            "nav:\n  - Home: index.md\n  - Upcoming:\n      - \"A\": reference/upcoming/a.md\n\ntheme: material\n"
        );
        assert_eq!(add_pages("site_name: X\n", &[]), None);
    }

    #[test]
    fn titles_from_headings_without_macros() {
        assert_eq!(
            title("title: x\n\n# SSH server {{ since(\"0.5\") }}\n", "a/b.md"),
            "SSH server"
        );
        assert_eq!(title("no heading", "reference/upcoming/audit.md"), "audit");
    }
}
