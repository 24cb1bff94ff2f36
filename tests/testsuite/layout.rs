//! The shape of the source tree, kept by tests: a folder per stage in data
//! order, no module using one below it, each outside crate in its one place,
//! and files and functions small enough to read.

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, with its path relative to `src/`.
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
    out.sort();
    out
}

/// The stages, in the order `lib.rs` declares them.
fn stages() -> Vec<String> {
    std::fs::read_to_string(src().join("lib.rs"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect()
}

/// The code of a line, without a `//` comment (strings are not parsed: good enough here).
fn code(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with("//") { "" } else { line }
}

#[test]
fn lib_lists_one_module_per_stage_in_data_order() {
    let stages = stages();
    let expected = [
        "error", "fsio", "history", "evidence", "classify", "version", "config", "report", "notes",
        "release", "render", "pipeline", "cli",
    ];
    assert_eq!(stages, expected);
    for stage in [
        "history", "evidence", "classify", "version", "report", "notes", "release", "render",
        "pipeline", "cli",
    ] {
        assert!(
            src().join(stage).join("mod.rs").is_file(),
            "src/{stage}/ is a folder"
        );
    }
}

#[test]
fn no_module_uses_a_stage_below_it() {
    let stages = stages();
    let mut wrong = Vec::new();
    for (file, text) in sources(&src()) {
        let top = file.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(me) = stages.iter().position(|s| s == top) else {
            continue; // lib.rs and main.rs
        };
        for (n, line) in text.lines().enumerate() {
            for (at, _) in code(line).match_indices("crate::") {
                let used: String = line[at + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if stages
                    .iter()
                    .position(|s| *s == used)
                    .is_some_and(|u| u > me)
                {
                    wrong.push(format!("src/{file}:{}: {top} uses {used}", n + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "upward uses:\n{}", wrong.join("\n"));
}

#[test]
fn each_outside_crate_lives_in_one_place() {
    // crate path → the files (prefixes of paths under src/) allowed to name it.
    let homes: [(&str, &[&str]); 15] = [
        ("git2::", &["history/"]),
        ("gix_commitgraph::", &["history/"]),
        ("git_conventional::", &["evidence/message.rs"]),
        ("clap::", &["cli/", "main.rs"]),
        ("clap_complete::", &["cli/"]),
        ("comfy_table::", &["render/text.rs"]),
        // The configuration's TOML, and the dependency manifests the path evidence reads.
        // (and a cliff.toml given as a notes template).
        (
            "toml::",
            &["config/", "evidence/manifests.rs", "notes/template.rs"],
        ),
        ("globset::", &["evidence/paths.rs"]),
        // The source parser of the API evidence, and one grammar per language.
        ("tree_sitter::", &["evidence/api/"]),
        ("tree_sitter_go::", &["evidence/api/go.rs"]),
        ("tree_sitter_rust::", &["evidence/api/rust.rs"]),
        // The mkdocs configuration `plan` reads.
        ("yaml_rust2::", &["release/mkdocs.rs"]),
        // The notes templates' engine.
        ("tera::", &["notes/template.rs"]),
        // One signal's disposition (SIGXFSZ), and the termination signals' cleanup.
        ("libc::", &["fsio.rs"]),
        ("signal_hook::", &["fsio.rs"]),
    ];
    let mut wrong = Vec::new();
    for (file, text) in sources(&src()) {
        for (krate, allowed) in homes {
            let named = text
                .lines()
                .map(code)
                .any(|l| l.contains(krate) && !l.contains(&format!("_{krate}")));
            if named && !allowed.iter().any(|a| file.starts_with(a)) {
                wrong.push(format!("src/{file} names {krate}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Each function's first line number, name and length in lines, found by
/// counting braces from its signature (string and char literals blanked).
fn functions(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let blank = |line: &str| {
        let mut out = String::new();
        let mut in_string = false;
        let mut escaped = false;
        for ch in line.chars() {
            match (in_string, ch) {
                (true, _) if escaped => escaped = false,
                (true, '\\') => escaped = true,
                (_, '"') => in_string = !in_string,
                (false, c) => out.push(c),
                _ => {}
            }
        }
        out.replace("'{'", "").replace("'}'", "")
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let words: Vec<&str> = lines[i].split_whitespace().collect();
        let Some(at) = words.iter().position(|w| *w == "fn") else {
            i += 1;
            continue;
        };
        let signature = words[..at]
            .iter()
            .all(|w| w.starts_with("pub") || matches!(*w, "const" | "unsafe" | "async"));
        if !signature || at + 1 >= words.len() {
            i += 1;
            continue;
        }
        let name: String = words[at + 1]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let (mut depth, mut opened, mut j) = (0i64, false, i);
        while j < lines.len() {
            let line = blank(lines[j]);
            for ch in line.chars() {
                match ch {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if (opened && depth <= 0) || (!opened && line.trim_end().ends_with(';')) {
                break;
            }
            j += 1;
        }
        out.push((i + 1, name, j - i + 1));
        i = if opened { j + 1 } else { i + 1 };
    }
    out
}

#[test]
fn files_and_functions_stay_small() {
    let mut long = Vec::new();
    for (file, text) in sources(&src()) {
        let count = text.lines().count();
        if count > 700 {
            long.push(format!("src/{file}: {count} lines (at most 700)"));
        }
        for (line, name, length) in functions(&text) {
            if length > 120 {
                long.push(format!(
                    "src/{file}:{line}: fn {name} has {length} lines (at most 120)"
                ));
            }
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}

#[test]
fn the_function_measure_counts_what_it_should() {
    let text = "fn a() {\n    let s = \"}\";\n    if x { y }\n}\n\npub(crate) fn b(\n    x: u8,\n) -> u8 {\n    x\n}\ntrait T {\n    fn c(&self);\n}\n";
    assert_eq!(
        functions(text),
        [
            (1, "a".to_string(), 4),
            (6, "b".to_string(), 5),
            (12, "c".to_string(), 1)
        ]
    );
}

/// Each `impl Session` block's length in lines and its number of functions.
fn session_impls(text: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with("impl Session {") {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && !lines[j].starts_with('}') {
            j += 1;
        }
        let body = lines[i..=j.min(lines.len() - 1)].join("\n");
        let methods = functions(&body).len();
        out.push((j - i + 1, methods));
        i = j + 1;
    }
    out
}

#[test]
fn the_session_orchestrates_within_its_budget() {
    // Session opens the repository, reads the range, settles it and builds
    // the report; what is pure lives in the stage it describes.
    let (mut lines, mut methods) = (0, 0);
    for (_, text) in sources(&src().join("pipeline")) {
        for (l, m) in session_impls(&text) {
            lines += l;
            methods += m;
        }
    }
    assert!(lines > 0, "impl Session is found");
    assert!(lines <= 900, "impl Session has {lines} lines (at most 900)");
    assert!(
        methods <= 30,
        "impl Session has {methods} methods (at most 30)"
    );
}

#[test]
fn the_range_passes_run_only_from_settle() {
    // One ordered list of passes over a classified range, for every caller.
    let passes = [
        "pair_reverts(",
        "read_api_logged(",
        "paths_deciding_over(",
        "apply_overrides(",
        "override_one(",
    ];
    let mut wrong = Vec::new();
    for (file, text) in sources(&src().join("pipeline")) {
        if file.ends_with("pipeline/settle.rs") {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            let line = code(line);
            for pass in passes {
                if line.contains(pass) && !line.contains(&format!("fn {pass}")) {
                    wrong.push(format!("src/{file}:{}: calls {pass}", n + 1));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "passes run outside settle.rs:\n{}",
        wrong.join("\n")
    );
}

/// The sibling modules `text` (a file of folder `dir`, e.g. `history`) names:
/// `super::NAME` or `crate::DIR::NAME` where NAME is one of `siblings`.
fn sibling_uses(text: &str, dir: &str, siblings: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let long = format!("crate::{dir}::");
    for line in text.lines().map(code) {
        for prefix in ["super::", long.as_str()] {
            for (at, _) in line.match_indices(prefix) {
                let name: String = line[at + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if siblings.contains(&name) && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}

#[test]
fn no_two_modules_of_a_folder_use_each_other() {
    let mut circles = Vec::new();
    for stage in stages() {
        let dir = src().join(&stage);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<(String, String)> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .map(|p| {
                let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
                (stem, std::fs::read_to_string(&p).unwrap())
            })
            .filter(|(stem, _)| stem != "mod")
            .collect();
        files.sort();
        let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        // A module naming itself by its path is no circle.
        let uses: Vec<Vec<String>> = files
            .iter()
            .map(|(me, text)| {
                let mut uses = sibling_uses(text, &stage, &names);
                uses.retain(|u| u != me);
                uses
            })
            .collect();
        // A circle: a module reaches itself through the modules it uses.
        for (start, name) in names.iter().enumerate() {
            let mut seen = vec![false; names.len()];
            let mut stack: Vec<usize> = uses[start]
                .iter()
                .filter_map(|u| names.iter().position(|n| n == u))
                .collect();
            while let Some(at) = stack.pop() {
                if at == start {
                    circles.push(format!("src/{stage}/{name}.rs"));
                    break;
                }
                if !std::mem::replace(&mut seen[at], true) {
                    stack.extend(
                        uses[at]
                            .iter()
                            .filter_map(|u| names.iter().position(|n| n == u)),
                    );
                }
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules in an import circle:\n{}",
        circles.join("\n")
    );
}
