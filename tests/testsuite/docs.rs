//! The README and the pages under `docs/`: every relative link resolves (the
//! file exists, and an anchor names a heading of it), every page can be
//! reached from the index, the README's first screen stays short, and the test
//! command it gives is the one CI runs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The README and every Markdown file under docs/.
fn pages() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let mut out = vec![Path::new(ROOT).join("README.md")];
    walk(&Path::new(ROOT).join("docs"), &mut out);
    out.sort();
    out
}

/// The lines of `text` outside fenced code blocks.
fn prose(text: &str) -> Vec<&str> {
    let mut fenced = false;
    text.lines()
        .filter(|l| {
            if l.trim_start().starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

/// The targets of the inline links `[text](target)` in `line`, outside code spans.
fn links(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b']' if !in_code && bytes.get(i + 1) == Some(&b'(') => {
                if let Some(end) = line[i + 2..].find(')') {
                    out.push(line[i + 2..i + 2 + end].to_string());
                    i += end + 2;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// GitHub's anchor for a heading: lower case, punctuation other than `-` and
/// `_` removed, spaces as `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings (a repeated one gets `-1`, `-2`, …).
fn anchors(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = BTreeSet::new();
    for line in prose(&text) {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        let base = slug(heading);
        let mut anchor = base.clone();
        let mut n = 0;
        while !out.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
    }
    out
}

#[test]
fn every_relative_link_resolves_to_a_file_and_heading() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for line in prose(&text) {
            for target in links(line) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                checked += 1;
                let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
                let resolved = if file.is_empty() {
                    page.clone()
                } else {
                    page.parent().unwrap().join(file)
                };
                let shown = format!("{}: {target}", page.strip_prefix(ROOT).unwrap().display());
                if !resolved.exists() {
                    broken.push(format!("{shown} (no such file)"));
                } else if !anchor.is_empty() && !anchors(&resolved).contains(anchor) {
                    broken.push(format!("{shown} (no such heading)"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(checked > 40, "only {checked} relative links found");
}

#[test]
fn a_broken_link_or_anchor_is_caught() {
    assert_eq!(
        links("see [a](x.md#b), `[not](code.md)` and [c](https://e.org)"),
        ["x.md#b", "https://e.org"]
    );
    assert_eq!(
        slug("Confidence: how sure, and a gate on it"),
        "confidence-how-sure-and-a-gate-on-it"
    );
    assert_eq!(slug("`bumpwise check`"), "bumpwise-check");
    let readme = anchors(&Path::new(ROOT).join("README.md"));
    assert!(readme.contains("exit-codes") && !readme.contains("no-such-heading"));
}

#[test]
fn every_page_is_reachable_from_the_index() {
    let index = std::fs::read_to_string(Path::new(ROOT).join("docs/README.md")).unwrap();
    let linked: BTreeSet<PathBuf> = prose(&index)
        .into_iter()
        .flat_map(links)
        .map(|t| {
            Path::new(ROOT)
                .join("docs")
                .join(t.split('#').next().unwrap())
        })
        .collect();
    for page in pages() {
        let is_index =
            page.ends_with("docs/README.md") || page == Path::new(ROOT).join("README.md");
        assert!(
            is_index || linked.contains(&page),
            "{} is not in docs/README.md",
            page.display()
        );
    }
}

#[test]
fn the_readme_is_a_first_screen_and_gives_the_test_command_ci_runs() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines <= 300,
        "the README has {lines} lines; the reference belongs in docs/"
    );
    for needed in [
        "## Install",
        "## Everyday commands",
        "## In CI",
        "## Exit codes",
        "C compiler",
    ] {
        assert!(readme.contains(needed), "the README lacks {needed}");
    }
    let ci = std::fs::read_to_string(Path::new(ROOT).join(".ci/run")).unwrap();
    let command = "cargo test --locked -- --include-ignored";
    assert!(readme.contains(command) && ci.lines().any(|l| l == command));
}
