//! The classification corpus (`testdata/corpus.tsv`) run through the real
//! binary: precision and recall per class. See the numbers with
//! `cargo test corpus -- --nocapture`.

use std::collections::BTreeMap;

use crate::fixture::Repo;
use crate::json::{Commit, explain};

struct Case {
    expected: String,
    message: String,
    author: Option<(String, String)>,
    /// The paths the commit changes; none: it changes no file.
    paths: Vec<String>,
}

fn corpus() -> Vec<Case> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/corpus.tsv"))
        .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let mut columns = line.split('\t');
            let expected = columns.next().unwrap().to_string();
            let message = columns
                .next()
                .expect("a message column")
                .replace("\\n", "\n");
            let author = columns.next().filter(|a| !a.is_empty()).map(|a| {
                let (name, email) = a.split_once(" <").expect("Name <email>");
                (name.to_string(), email.trim_end_matches('>').to_string())
            });
            let paths = columns
                .next()
                .map(|p| p.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            Case {
                expected,
                message,
                author,
                paths,
            }
        })
        .collect()
}

/// The class the binary gave a commit, in the corpus's vocabulary.
fn label(c: &Commit) -> String {
    if c.kind == "breaking" {
        "breaking"
    } else if c.possibly_breaking {
        "removal"
    } else if c.deprecation.is_some() {
        "deprecation"
    } else if c.security {
        "security"
    } else if c.dependency {
        "dependency"
    } else {
        c.kind.as_str()
    }
    .to_string()
}

#[test]
#[allow(clippy::print_stderr)] // the point of this test is also to report the numbers
fn corpus_precision_per_class() {
    let cases = corpus();
    assert!(cases.len() >= 100, "the corpus has {} cases", cases.len());
    let mut repo = Repo::new();
    repo.commit("start").tag("v1.0.0");
    let mut expected_by_id = BTreeMap::new();
    for case in &cases {
        let files: Vec<(&str, Option<&str>)> = case
            .paths
            .iter()
            .map(|p| (p.as_str(), Some(case.message.as_str())))
            .collect();
        match (&case.author, files.is_empty()) {
            (Some((name, email)), _) => repo.commit_as(&case.message, name, email),
            (None, true) => repo.commit(&case.message),
            (None, false) => repo.commit_files(&case.message, &files),
        };
        expected_by_id.insert(repo.head().to_string(), case);
    }
    let report = explain(&repo, &[]);
    assert_eq!(report.commits.len(), cases.len());

    // class → (true positives, predicted, actual)
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for commit in &report.commits {
        let case = expected_by_id[&commit.id];
        let got = label(commit);
        counts.entry(got.clone()).or_default().1 += 1;
        counts.entry(case.expected.clone()).or_default().2 += 1;
        if got == case.expected {
            counts.get_mut(&got).unwrap().0 += 1;
        } else {
            misses.push(format!(
                "  expected {:<12} got {:<12} {:?}",
                case.expected, got, commit.subject
            ));
        }
        if got == "breaking" {
            assert_eq!(
                commit.confidence, "high",
                "a keyword inferred a breaking change: {:?}",
                commit.subject
            );
        }
    }
    let correct: usize = counts.values().map(|c| c.0).sum();
    eprintln!("class         precision  recall   (correct / predicted / actual)");
    for (class, (tp, predicted, actual)) in &counts {
        let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
        eprintln!(
            "{class:<13} {:>8.2}  {:>6.2}   ({tp} / {predicted} / {actual})",
            ratio(*tp, *predicted),
            ratio(*tp, *actual)
        );
    }
    eprintln!(
        "accuracy {correct}/{} = {:.2}",
        cases.len(),
        correct as f64 / cases.len() as f64
    );
    eprintln!("misclassified:\n{}", misses.join("\n"));

    for (class, (tp, predicted, _)) in &counts {
        if *predicted > 0 && class != "unclassified" {
            let precision = *tp as f64 / *predicted as f64;
            assert!(
                precision >= 0.9,
                "precision of {class} fell to {precision:.2}:\n{}",
                misses.join("\n")
            );
        }
    }
    let (tp, _, actual) = counts["breaking"];
    assert_eq!(tp, actual, "a breaking change was missed");
    assert!(
        correct as f64 / cases.len() as f64 >= 0.85,
        "accuracy fell:\n{}",
        misses.join("\n")
    );
}
