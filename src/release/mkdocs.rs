//! The `nav:` of an mkdocs configuration: the pages it lists, and adding the
//! upcoming reference pages it lacks.
//!
//! Reading is YAML's (yaml-rust2, which keeps going past mkdocs' own tags such
//! as `!!python/name:` and `!ENV`), and only the `nav:` key counts: plugins'
//! settings such as the redirects plugin's `redirect_maps` are no pages.
//! Adding is a line-based edit of `mkdocs.yml` that keeps every other line as
//! it is (comments, order, unrelated keys): a missing page goes after the last
//! nav entry for `reference/upcoming/`, with its indentation, or into a new
//! `Upcoming` section at the end of the nav. Titles come from each page's
//! `title:` front matter, else its first heading. Every title and path is
//! written by yaml-rust2's emitter (quoted and escaped as YAML needs), and the
//! edited file is read back: unless its nav lists exactly what it listed plus
//! the new pages, nothing is written, so no text becomes YAML syntax.

use yaml_rust2::{Yaml, YamlEmitter, YamlLoader};

/// A page to add: its path under the docs folder and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// e.g. `reference/upcoming/sshserver.md`.
    pub path: String,
    /// e.g. `SSH server`.
    pub title: String,
}

/// The pages `nav:` lists (paths under the docs folder, as written; links
/// to other sites left out), in order. `Ok(None)` without a `nav:` key.
///
/// # Errors
///
/// What is wrong, as a predicate of the file: `is not YAML (` the parser's
/// message with its line `)`, or that its nav is not a list.
pub fn nav_pages(mkdocs: &str) -> Result<Option<Vec<String>>, String> {
    let docs = load(mkdocs).map_err(|e| format!("is not YAML ({e})"))?;
    let Some(nav) = docs.first().map(|d| &d["nav"]).filter(|n| !n.is_badvalue()) else {
        return Ok(None);
    };
    if nav.as_vec().is_none() {
        return Err("has a `nav:` that is not a list of pages".to_string());
    }
    let mut pages = Vec::new();
    collect(nav, &mut pages);
    Ok(Some(pages))
}

/// The most nodes a YAML document may hold once its aliases are expanded: a
/// few hundred bytes of nested aliases must not take gigabytes (an alias bomb).
const YAML_NODES: u64 = 1_000_000;

/// Loads YAML after counting the nodes its aliases expand to (events only,
/// nothing expanded); more than [`YAML_NODES`] is refused.
fn load(text: &str) -> Result<Vec<Yaml>, String> {
    use std::collections::HashMap;
    use yaml_rust2::parser::{Event, EventReceiver, Parser};
    /// Each anchor's expanded size, and the open containers' sizes so far.
    #[derive(Default)]
    struct Budget {
        sizes: HashMap<usize, u64>,
        open: Vec<(usize, u64)>,
        total: u64,
    }
    impl Budget {
        fn add(&mut self, n: u64) {
            self.total = self.total.saturating_add(n);
            if let Some(top) = self.open.last_mut() {
                top.1 = top.1.saturating_add(n);
            }
        }
    }
    impl EventReceiver for Budget {
        fn on_event(&mut self, event: Event) {
            match event {
                Event::Scalar(_, _, anchor, _) => {
                    self.add(1);
                    if anchor > 0 {
                        self.sizes.insert(anchor, 1);
                    }
                }
                Event::Alias(anchor) => {
                    let n = self.sizes.get(&anchor).copied().unwrap_or(1);
                    self.add(n);
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    self.add(1);
                    self.open.push((anchor, 1));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some((anchor, n)) = self.open.pop() {
                        if anchor > 0 {
                            self.sizes.insert(anchor, n);
                        }
                        if let Some(top) = self.open.last_mut() {
                            top.1 = top.1.saturating_add(n.saturating_sub(1));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut budget = Budget::default();
    Parser::new_from_str(text)
        .load(&mut budget, true)
        .map_err(|e| e.to_string())?;
    if budget.total > YAML_NODES {
        return Err(format!(
            "its aliases expand to more than {YAML_NODES} nodes; bumpwise reads no YAML that large"
        ));
    }
    YamlLoader::load_from_str(text).map_err(|e| e.to_string())
}

/// The page paths below one nav entry: a path, `Title: path`, or `Title: [entries]`.
fn collect(entry: &Yaml, pages: &mut Vec<String>) {
    match entry {
        Yaml::String(path) if !path.contains("://") => pages.push(path.clone()),
        Yaml::Array(entries) => entries.iter().for_each(|e| collect(e, pages)),
        Yaml::Hash(titled) => titled.values().for_each(|e| collect(e, pages)),
        _ => {}
    }
}

/// The title of a Markdown page: its `title:` front matter, else its first
/// heading (`# Title` or `<h1>Title</h1>`, macros such as `{{ … }}` left out),
/// else its file stem.
pub fn title(markdown: &str, path: &str) -> String {
    let clean = |t: &str| t.split("{{").next().unwrap_or(t).trim().to_string();
    let (front, body) = front_matter(markdown);
    let from_front = front
        .and_then(|f| load(f).ok())
        .and_then(|docs| docs.first()?["title"].as_str().map(str::to_string));
    let heading = || {
        body.lines().find_map(|l| {
            let l = l.trim_start();
            if let Some(t) = l.strip_prefix("# ") {
                return Some(t.trim_end_matches('#').to_string());
            }
            let rest = l.strip_prefix("<h1")?;
            let inner = &rest[rest.find('>')? + 1..];
            Some(without_tags(
                &inner[..inner.find("</h1>").unwrap_or(inner.len())],
            ))
        })
    };
    from_front
        .map(|t| clean(&t))
        .filter(|t| !t.is_empty())
        .or_else(|| heading().map(|t| clean(&t)).filter(|t| !t.is_empty()))
        .unwrap_or_else(|| {
            let stem = path
                .rsplit('/')
                .next()
                .unwrap_or(path)
                .trim_end_matches(".md");
            stem.to_string()
        })
}

/// A page's front matter (between a first line `---` and the next `---`), and the rest.
fn front_matter(markdown: &str) -> (Option<&str>, &str) {
    let Some(rest) = markdown
        .strip_prefix("---\n")
        .or_else(|| markdown.strip_prefix("---\r\n"))
    else {
        return (None, markdown);
    };
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return (Some(&rest[..at]), &rest[at + line.len()..]);
        }
        at += line.len();
    }
    (None, markdown)
}

/// `html` without its tags (`<code>x</code>` → `x`).
fn without_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for ch in html.chars() {
        match ch {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// `text` as one YAML scalar, as the emitter writes it (quoted and escaped
/// where YAML would read it as syntax).
fn scalar(text: &str) -> String {
    let mut out = String::new();
    // Writing a string into a String cannot fail; a failure leaves it empty,
    // which the read-back below refuses.
    let _ = YamlEmitter::new(&mut out).dump(&Yaml::String(text.to_string()));
    out.strip_prefix("---")
        .unwrap_or(&out)
        .trim_start()
        .to_string()
}

/// `mkdocs` with `pages` added to its nav, read back to list exactly what it
/// listed plus `pages`; `Ok(None)` when it has no `nav:`.
///
/// # Errors
///
/// Why the edit would not read back as intended (the file is then unchanged).
pub fn add_pages(mkdocs: &str, pages: &[Page]) -> Result<Option<String>, String> {
    let Some(text) = insert_pages(mkdocs, pages) else {
        return Ok(None);
    };
    let mut expected = nav_pages(mkdocs)?.unwrap_or_default();
    expected.extend(pages.iter().map(|p| p.path.clone()));
    expected.sort();
    let mut after = nav_pages(&text)
        .map_err(|e| format!("the edited file {e}"))?
        .unwrap_or_default();
    after.sort();
    if after != expected {
        return Err(format!(
            "the edited nav would list {} pages instead of {}",
            after.len(),
            expected.len()
        ));
    }
    Ok(Some(text))
}

/// `mkdocs` with `pages` added to its nav by lines; `None` when it has no `nav:`.
fn insert_pages(mkdocs: &str, pages: &[Page]) -> Option<String> {
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
                    .map(|p| format!("{pad}- {}: {}", scalar(&p.title), scalar(&p.path)))
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
                    .map(|p| format!("{pad}    - {}: {}", scalar(&p.title), scalar(&p.path))),
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
        .unwrap()
        .unwrap();
        assert_eq!(
            fixed,
            "site_name: X\nnav:\n  - Home: index.md\n  # The next release.\n  - Upcoming:\n      - Overview: reference/upcoming/index.md\n      - \"SSH \\\"server\\\"\": reference/upcoming/ssh.md\n  - Blog: blog.md\ntheme: material\n"
        );
    }

    #[test]
    fn a_new_section_when_there_is_none() {
        let mkdocs = "nav:\n  - Home: index.md\n\ntheme: material\n";
        let fixed = add_pages(mkdocs, &[page("reference/upcoming/a.md", "A")])
            .unwrap()
            .unwrap();
        assert_eq!(
            fixed,
            "nav:\n  - Home: index.md\n  - Upcoming:\n      - A: reference/upcoming/a.md\n\ntheme: material\n"
        );
        assert_eq!(add_pages("site_name: X\n", &[]), Ok(None));
    }

    #[test]
    fn titles_and_paths_that_look_like_yaml_stay_text() {
        let mkdocs = "nav:\n  - Home: index.md\n  - Upcoming:\n      - A: reference/upcoming/a.md\ntheme: material\n";
        let hostile = [
            page("reference/upcoming/x: y.md", "X"),
            page(
                "reference/upcoming/b.md\n      - Evil: javascript:alert(1)",
                "B",
            ),
            page("reference/upcoming/c.md", "Title\nsite_name: pwned"),
            page(
                "reference/upcoming/d.md",
                "*alias &anchor !tag {a: b} [c] # d",
            ),
        ];
        let fixed = add_pages(mkdocs, &hostile).unwrap().unwrap();
        let mut listed = nav_pages(&fixed).unwrap().unwrap();
        listed.sort();
        let mut expected: Vec<String> = hostile.iter().map(|p| p.path.clone()).collect();
        expected.extend(["index.md".into(), "reference/upcoming/a.md".into()]);
        expected.sort();
        assert_eq!(listed, expected);
        let doc = &load(&fixed).unwrap()[0];
        assert_eq!(doc["theme"].as_str(), Some("material"));
        assert!(doc["site_name"].is_badvalue(), "{fixed}");
        // Every line that was there is still there, in order.
        let kept: Vec<&str> = fixed
            .lines()
            .filter(|l| mkdocs.lines().any(|m| m == *l))
            .collect();
        assert_eq!(kept, mkdocs.lines().collect::<Vec<_>>());
    }

    #[test]
    fn only_the_nav_lists_pages_whatever_tags_and_plugins_say() {
        let mkdocs = "site_name: X\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nextra:\n  key: !ENV [KEY, x]\nplugins:\n  - redirects:\n      redirect_maps:\n        'reference/upcoming/next.md': 'reference/next.md'\nnav:\n  - index.md\n  # The next release.\n  - Upcoming:\n      - Overview: reference/upcoming/index.md\n      - reference/upcoming/plain.md\n  - GitHub: https://github.com/x/y\n";
        assert_eq!(
            nav_pages(mkdocs).unwrap().unwrap(),
            [
                "index.md",
                "reference/upcoming/index.md",
                "reference/upcoming/plain.md"
            ]
        );
        assert_eq!(nav_pages("site_name: X\n").unwrap(), None);
        let broken = nav_pages("nav:\n  - [a\n").unwrap_err();
        assert!(broken.contains("line"), "{broken}");
    }

    #[test]
    fn titles_from_front_matter_then_headings_then_the_file_name() {
        assert_eq!(
            title("---\ntitle: \"Audit log\"\n---\n\n# Other\n", "a/b.md"),
            "Audit log"
        );
        assert_eq!(
            title(
                "---\nsearch: false\n---\n<h1 class=\"x\">The <code>SSH</code> server</h1>\n",
                "a/b.md"
            ),
            "The SSH server"
        );
        assert_eq!(
            title("## Not a title\n# Webhooks ##\n", "a/b.md"),
            "Webhooks"
        );
    }

    #[test]
    fn titles_from_headings_without_macros() {
        assert_eq!(
            title("title: x\n\n# SSH server {{ since(\"0.5\") }}\n", "a/b.md"),
            "SSH server"
        );
        assert_eq!(title("no heading", "reference/upcoming/audit.md"), "audit");
    }

    #[test]
    fn an_alias_bomb_is_refused_before_it_is_expanded() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        for pair in names.windows(2) {
            let list = vec![format!("*{}", pair[0]); 9].join(", ");
            bomb.push_str(&format!("{}: &{} [{list}]\n", pair[1], pair[1]));
        }
        bomb.push_str("nav:\n  - index.md\n");
        let started = std::time::Instant::now();
        let refused = nav_pages(&bomb).unwrap_err();
        assert!(refused.contains("aliases expand to more than"), "{refused}");
        assert!(started.elapsed().as_secs() < 5);
        // Anchors and aliases of ordinary size are read as before.
        let fine = "defaults: &d [index.md]\nnav:\n  - Home: index.md\n  - Guide: *d\n";
        assert_eq!(
            nav_pages(fine).unwrap(),
            Some(vec!["index.md".to_string(), "index.md".to_string()])
        );
    }
}
