//! Facts read from the work tree for the check and the plan, and the few
//! changes the plan makes when asked: the side-effecting leaves of this stage
//! (the cargo-release `ops/` shape). [`super::check`] and [`super::plan`] stay
//! pure functions of what is gathered here.
//!
//! Reads the changelog, the docs' deprecations directory, the upcoming
//! reference pages and the mkdocs nav, and the images repository's
//! `build.yaml`; writes the nav (`--fix`) and `build.yaml` (`--write`)
//! atomically, and runs the test command (`--run-tests`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use semver::Version;

use super::check::{ChangelogFile, DeprecationDocs};
use super::images;
use super::mkdocs;
use super::plan::{ImagesFile, TestRun, UpcomingNav};
use crate::error::{Error, Result};
use crate::fsio;

/// `path` under the work tree's `root` (as given, for a bare repository).
fn in_root(root: Option<&Path>, path: &str) -> PathBuf {
    root.map_or_else(|| PathBuf::from(path), |r| r.join(path))
}

/// The changelog `check` looks in: the configured one (which must exist), else
/// `CHANGELOG.md` when the repository has one.
///
/// # Errors
///
/// An I/O error when the file exists but cannot be read.
pub fn changelog_file(
    root: Option<&Path>,
    configured: Option<&str>,
) -> Result<Option<ChangelogFile>> {
    Ok(match configured {
        Some(path) => Some(ChangelogFile {
            path: path.to_string(),
            content: fsio::read_if_exists(&in_root(root, path))?,
        }),
        None => fsio::read_if_exists(&in_root(root, "CHANGELOG.md"))?.map(|text| ChangelogFile {
            path: "CHANGELOG.md".to_string(),
            content: Some(text),
        }),
    })
}

/// The configured docs deprecations directory: its index and the pages it has.
///
/// # Errors
///
/// An I/O error when the index exists but cannot be read.
pub fn deprecation_docs(root: Option<&Path>, dir: Option<&str>) -> Result<Option<DeprecationDocs>> {
    let Some(dir) = dir else {
        return Ok(None);
    };
    let path = in_root(root, dir);
    let pages: BTreeSet<String> = std::fs::read_dir(&path)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    e.file_name()
                        .to_str()?
                        .strip_suffix(".md")
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Some(DeprecationDocs {
        dir: dir.to_string(),
        index: fsio::read_if_exists(&path.join("index.md"))?,
        pages,
    }))
}

/// The upcoming reference pages under `docs/reference/upcoming/` against the
/// nav of `mkdocs_name`; with `fix`, the missing pages are first added to the
/// nav (atomically, comments and order kept). `None` without such pages.
///
/// # Errors
///
/// An I/O error when the directory or the mkdocs file cannot be read or written.
pub fn upcoming(
    root: &Path,
    docs: &Path,
    mkdocs_name: &str,
    fix: bool,
) -> Result<Option<UpcomingNav>> {
    let upcoming_dir = docs.join("reference").join("upcoming");
    if !upcoming_dir.is_dir() {
        return Ok(None);
    }
    let mut pages: Vec<String> = std::fs::read_dir(&upcoming_dir)
        .map_err(|e| Error::io(format!("cannot read {}: {e}", upcoming_dir.display())))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("reference/upcoming/{n}"))
        .collect();
    pages.sort();
    let mkdocs_path = root.join(mkdocs_name);
    let mut nav = fsio::read_if_exists(&mkdocs_path)?.unwrap_or_default();
    let listed = |nav: &str| -> Result<Vec<String>> {
        let pages = mkdocs::nav_pages(nav).map_err(|e| {
            Error::config(format!(
                "{mkdocs_name} {e}; fix it, or give another file with --mkdocs"
            ))
        })?;
        Ok(pages.unwrap_or_default())
    };
    let mut referenced = listed(&nav)?;
    if fix {
        let new: Vec<mkdocs::Page> = pages
            .iter()
            .filter(|p| !referenced.contains(p))
            .map(|p| {
                // A page that is no regular file, or too large, gives no title: its file name is used.
                let text = fsio::read_if_exists(&docs.join(p))
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                mkdocs::Page {
                    path: p.clone(),
                    title: mkdocs::title(&text, p),
                }
            })
            .collect();
        let fixed = match new.is_empty() {
            true => None,
            false => mkdocs::add_pages(&nav, &new).map_err(|e| {
                Error::usage(format!(
                    "cannot add the upcoming pages to {mkdocs_name}'s nav: {e}; {mkdocs_name} is unchanged: add them by hand"
                ))
            })?,
        };
        if let Some(fixed) = fixed {
            fsio::write_atomic(&mkdocs_path, fixed.as_bytes())?;
            nav = fixed;
            referenced = listed(&nav)?;
        }
    }
    referenced.retain(|p| p.starts_with("reference/upcoming/"));
    Ok(Some(UpcomingNav {
        mkdocs: mkdocs_name.to_string(),
        missing: pages
            .iter()
            .filter(|p| !referenced.contains(p))
            .cloned()
            .collect(),
        dangling: referenced
            .iter()
            .filter(|r| !pages.contains(r))
            .cloned()
            .collect(),
    }))
}

/// The images repository's `build.yaml` at `path` and what releasing `tag`
/// (`version`) changes in it; with `write`, the change is made (atomically,
/// comments kept) and nothing is left to propose.
///
/// # Errors
///
/// An I/O error when the file is missing, unreadable or cannot be written.
pub fn images_file(
    path: &str,
    tag: &str,
    version: Option<&Version>,
    date: &str,
    write: bool,
) -> Result<ImagesFile> {
    let text = fsio::read_if_exists(Path::new(path))?.ok_or_else(|| {
        Error::io(format!(
            "cannot read {path}: no such file; give the images repository's build.yaml"
        ))
    })?;
    let proposal = version.and_then(|v| images::propose(&text, tag, v, date));
    let proposal = match (proposal, write) {
        (Some(proposal), true) => {
            fsio::write_atomic(Path::new(path), proposal.content.as_bytes())?;
            None
        }
        (proposal, _) => proposal,
    };
    Ok(ImagesFile {
        path: path.to_string(),
        proposal,
    })
}

/// Runs `command` with `sh -c` in `root`, without input, and says how it
/// ended. Its output (stdout and stderr) goes to this process's stderr as it
/// comes, so that a plan on stdout stays whole.
///
/// # Errors
///
/// An I/O error when the shell cannot be started.
pub fn run_tests(command: &str, root: &Path) -> Result<TestRun> {
    let mut sh = std::process::Command::new("sh");
    #[cfg(unix)]
    fsio::child_signals_as_usual(&mut sh);
    let status = sh
        .args(["-c", command])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .stdout(std::io::stderr())
        .stderr(std::process::Stdio::inherit())
        .status()
        .map_err(|e| Error::io(format!("cannot start `sh` to run `{command}`: {e}")))?;
    Ok(match status.code() {
        Some(0) => TestRun::Passed,
        Some(code) => TestRun::Failed(code),
        None => TestRun::Killed,
    })
}

/// The obvious test command for the project at `root`, by the manifest at its
/// top (the ecosystems the path rules know), with that manifest's name.
pub fn guess_test_command(root: &Path) -> Option<(&'static str, &'static str)> {
    [
        ("go.mod", "go test ./..."),
        ("Cargo.toml", "cargo test"),
        ("package.json", "npm test"),
        ("pyproject.toml", "python -m pytest"),
        ("setup.py", "python -m pytest"),
        ("pom.xml", "mvn test"),
        ("build.gradle", "gradle test"),
        ("build.gradle.kts", "gradle test"),
    ]
    .into_iter()
    .find(|(file, _)| {
        std::fs::symlink_metadata(root.join(file)).is_ok_and(|m| m.file_type().is_file())
    })
    .map(|(file, command)| (command, file))
}

/// Refuses a path the user named (`flag`, or its key in bumpwise.toml) that does not exist.
///
/// # Errors
///
/// A usage error (exit 2) naming the path and where it was given.
pub fn named_path(path: &Path, flag: &str) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(());
    }
    Err(Error::usage(format!(
        "{} (given with {flag}) does not exist; give a path that does, or leave it out for the default",
        path.display()
    )))
}
