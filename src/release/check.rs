//! The check before tagging: is this tag right, and is this the moment?
//!
//! Owns the list of checks and their verdicts (pass, warn, fail), as pure
//! functions of the report and a few facts gathered beforehand (existing
//! tags, the work tree, the upstream, the changelog and docs files). An
//! under-bump always fails; an over-bump, an unclassified or a possibly
//! breaking commit warns, and fails under `strict`.

use std::collections::BTreeSet;

use semver::Version;
use serde::Serialize;

use crate::classify::{Classified, Kind};
use crate::history::Placement;
use crate::notes::deprecations::{self, Item};
use crate::notes::markdown;
use crate::report::warnings::named;
use crate::report::{Report, json};
use crate::version::decide::{self, Level, Policy};
use crate::version::tag::{self, TagName};

/// A check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Fine.
    Pass,
    /// Worth a look; fails under `--strict`.
    Warn,
    /// Do not tag.
    Fail,
}

impl Status {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// One check's verdict and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The check's name.
    pub check: &'static str,
    /// The verdict.
    pub status: Status,
    /// What was found.
    pub detail: String,
}

/// The outcome of `bumpwise check`.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The shape's version.
    pub schema_version: u32,
    /// The tag checked.
    pub tag: String,
    /// The version it names, if it names one.
    pub version: Option<Version>,
    /// The last release's tag.
    pub previous_tag: Option<String>,
    /// What the commits require.
    pub required_bump: Level,
    /// How far the tag moves from the last release.
    pub bump: Option<Level>,
    /// The policy in force.
    pub policy: String,
    /// Whether warnings fail.
    pub strict: bool,
    /// Whether nothing failed.
    pub passed: bool,
    /// Every check, in order.
    pub findings: Vec<Finding>,
}

/// What the checks need to know beyond the report.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Every tag name in the repository.
    pub tags: Vec<String>,
    /// The work tree and upstream.
    pub placement: Placement,
    /// The changelog, when the project keeps one.
    pub changelog: Option<ChangelogFile>,
    /// The docs deprecations directory, when one is configured.
    pub docs: Option<DeprecationDocs>,
    /// The flags that decided the version, repeated in the commands suggested.
    pub flags: String,
}

/// The changelog file `check` looks in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangelogFile {
    /// Its path from the repository root.
    pub path: String,
    /// Its content; `None` when it is configured but missing.
    pub content: Option<String>,
}

/// The docs deprecations directory `check` looks in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeprecationDocs {
    /// Its path from the repository root.
    pub dir: String,
    /// Its `index.md`, when there is one.
    pub index: Option<String>,
    /// The pages it has, without `.md`.
    pub pages: BTreeSet<String>,
}

/// A first release passes; with no tag at all, or only tags behind other
/// prefixes, it warns: the last release may be a fetch or a prefix away.
fn first_release(report: &Report) -> Finding {
    let other_prefix = report
        .skipped_tags
        .iter()
        .any(|t| t.reason == tag::SkipReason::OtherPrefix);
    if report.tags_read == 0 {
        finding(
            "greater",
            Status::Warn,
            "the first release, as there is no tag here: if the project has released before, fetch its tags (`git fetch --tags`)",
        )
    } else if other_prefix {
        finding(
            "greater",
            Status::Warn,
            format!(
                "the first release behind the prefix `{}`, though other tags have other prefixes: give the project's with --tag-prefix",
                report.tag_prefix
            ),
        )
    } else {
        finding("greater", Status::Pass, "the first release")
    }
}

fn finding(check: &'static str, status: Status, detail: impl Into<String>) -> Finding {
    Finding {
        check,
        status,
        detail: detail.into(),
    }
}

/// Runs every check of `tag` against the report.
pub fn check(
    report: &Report,
    tag_name: &str,
    policy: Policy,
    facts: &Facts,
    strict: bool,
) -> CheckReport {
    let soft = if strict { Status::Fail } else { Status::Warn };
    let prefix = &report.tag_prefix;
    let mut findings = Vec::new();
    let base = report.base.as_ref().map(|b| b.version.clone());
    let zero = Version::new(0, 0, 0);
    let version = match tag::parse_tag(tag_name, prefix) {
        TagName::Version(parsed) => {
            findings.push(finding(
                "semver",
                Status::Pass,
                format!("{tag_name} names version {}", parsed.version),
            ));
            if let Some(last) = &report.base {
                findings.push(style(tag_name, parsed.v, &last.tag, prefix, soft));
            }
            Some(parsed.version)
        }
        _ => {
            findings.push(finding(
                "semver",
                Status::Fail,
                format!("`{tag_name}` is not a SemVer version behind the prefix `{prefix}` (e.g. {prefix}v1.2.3)"),
            ));
            None
        }
    };
    let mut bump = None;
    if let Some(version) = &version {
        findings.push(new_tag(tag_name, version, prefix, &facts.tags));
        let greater = base.as_ref().is_none_or(|b| version > b);
        findings.push(match &base {
            None => first_release(report),
            Some(b) if greater => finding("greater", Status::Pass, format!("{version} > {b}")),
            Some(b) => finding(
                "greater",
                Status::Fail,
                format!("{version} is not greater than the last release {b}"),
            ),
        });
        if greater {
            let level = decide::distance(base.as_ref().unwrap_or(&zero), version);
            bump = Some(level);
            findings.extend(bump_checks(
                report,
                base.as_ref(),
                version,
                level,
                policy,
                soft,
            ));
        }
    }
    if let (Some(version), Some(module)) = (&version, &report.go_module) {
        findings.push(go_module(version, &module.path));
    }
    findings.extend(confidence(report, soft));
    findings.push(work_tree(&facts.placement));
    findings.push(upstream(&facts.placement, soft));
    findings.push(finding(
        "history",
        Status::Pass,
        if report.shallow {
            "a shallow clone, but the range since the last release is complete"
        } else {
            "complete"
        },
    ));
    findings.push(list_check(
        "unclassified",
        report
            .commits
            .iter()
            .filter(|c| c.effective_kind() == Kind::Unclassified),
        soft,
        "no rule matched",
    ));
    findings.push(list_check(
        "possibly_breaking",
        report
            .commits
            .iter()
            .filter(|c| c.possibly_breaking && c.effective_kind() != Kind::None),
        soft,
        "removals or renames that may be breaking",
    ));
    if let (Some(file), Some(version)) = (&facts.changelog, &version) {
        findings.push(changelog_check(file, version, &facts.flags));
    }
    if let Some(docs) = &facts.docs {
        findings.push(docs_check(docs, &deprecations::items(report), &facts.flags));
    }
    let passed = findings.iter().all(|f| f.status != Status::Fail);
    CheckReport {
        schema_version: json::CHECK_SCHEMA,
        tag: tag_name.to_string(),
        version,
        previous_tag: report.base.as_ref().map(|b| b.tag.clone()),
        required_bump: report.decision.required_bump,
        bump,
        policy: report.policy.name.clone(),
        strict,
        passed,
        findings,
    }
}

fn changelog_check(file: &ChangelogFile, version: &Version, flags: &str) -> Finding {
    let path = &file.path;
    match &file.content {
        Some(text) if markdown::has_section(text, &version.to_string()) => finding(
            "changelog",
            Status::Pass,
            format!("{path} has a section for {version}"),
        ),
        Some(_) => finding(
            "changelog",
            Status::Fail,
            format!(
                "{path} has no section for {version}; run `bumpwise changelog{flags} --output {path} --prepend`"
            ),
        ),
        None => finding("changelog", Status::Fail, format!("{path} does not exist")),
    }
}

/// Whether the tag is written as the last release's was (`v` or not).
fn style(name: &str, v: bool, last: &str, prefix: &str, soft: Status) -> Finding {
    let last_v = matches!(tag::parse_tag(last, prefix), TagName::Version(t) if t.v);
    if v == last_v {
        finding(
            "style",
            Status::Pass,
            format!("written as the last release, {last}"),
        )
    } else {
        let how = if last_v {
            "with a `v`"
        } else {
            "without a `v`"
        };
        finding(
            "style",
            soft,
            format!(
                "{name} is not written as the last release, {last} ({how}); tools that sort tags may mix the two"
            ),
        )
    }
}

fn new_tag(name: &str, version: &Version, prefix: &str, tags: &[String]) -> Finding {
    match tag::collision(tags, name, version, prefix) {
        Some(other) if other == name => {
            finding("new", Status::Fail, format!("tag {name} already exists"))
        }
        Some(other) => finding(
            "new",
            Status::Fail,
            format!("version {version} is already tagged as {other}"),
        ),
        None => finding("new", Status::Pass, format!("no tag names {version} yet")),
    }
}

fn bump_checks(
    report: &Report,
    base: Option<&Version>,
    version: &Version,
    level: Level,
    policy: Policy,
    soft: Status,
) -> Vec<Finding> {
    let required = report.decision.required_bump;
    let Some(base) = base else {
        return vec![finding(
            "enough",
            Status::Pass,
            "the first release: any version will do",
        )];
    };
    let mut out = Vec::new();
    if level >= required {
        out.push(finding(
            "enough",
            Status::Pass,
            format!(
                "a {} release; the commits require {}",
                level.as_str(),
                required.as_str()
            ),
        ));
    } else {
        let needing: Vec<String> = report
            .commits
            .iter()
            .filter(|c| policy.level(base, c.effective_kind()) > level)
            .map(|c| {
                format!(
                    "{} ({}: {})",
                    c.short_id(),
                    c.effective_kind().as_str(),
                    c.subject()
                )
            })
            .collect();
        out.push(finding(
            "enough",
            Status::Fail,
            format!(
                "a {} release, but the commits require {}: {}",
                level.as_str(),
                required.as_str(),
                named(&needing)
            ),
        ));
    }
    let to_one = base.major == 0 && version.major == 1 && version.minor == 0 && version.patch == 0;
    out.push(if level <= required {
        finding(
            "not_too_much",
            Status::Pass,
            "no more than the commits require",
        )
    } else if to_one {
        finding(
            "not_too_much",
            Status::Pass,
            "the move to 1.0.0 is a human decision",
        )
    } else if required == Level::None {
        finding(
            "not_too_much",
            soft,
            "no commit since the last release warrants a release",
        )
    } else {
        finding(
            "not_too_much",
            soft,
            format!(
                "a {} release, but the commits only require {}",
                level.as_str(),
                required.as_str()
            ),
        )
    });
    out
}

/// How sure bumpwise is of its own proposal: below the threshold
/// (`min_confidence`, 0.9 unless set) the kind of release is a person's call.
fn confidence(report: &Report, soft: Status) -> Option<Finding> {
    let d = &report.decision;
    let basis = d.confidence_basis.as_ref().filter(|_| d.release)?;
    Some(if d.confident {
        finding(
            "confidence",
            Status::Pass,
            format!("{:.2}: {}", basis.confidence, basis.words),
        )
    } else {
        finding(
            "confidence",
            soft,
            format!(
                "{:.2}, below {:.2}: {}; the kind of release is a person's call",
                basis.confidence, d.min_confidence, basis.words
            ),
        )
    })
}

/// Whether the Go module's path (`go.mod` at HEAD) can release `version`:
/// a major above v1 is a new module path ending in `/vN`.
fn go_module(version: &Version, path: &str) -> Finding {
    use crate::evidence::gomod::{allows, path_major};
    if allows(path, version.major) {
        return finding(
            "go_module",
            Status::Pass,
            format!("the module path `{path}` can release v{}", version.major),
        );
    }
    let root = crate::evidence::gomod::root(path);
    let major = version.major;
    let reason = if major >= 2 {
        format!(
            "move the module to `{root}/v{major}` (go.mod and every import) before tagging v{major}, or release the changes as a minor"
        )
    } else {
        format!("`{path}` is for v{} only", path_major(path).unwrap_or(1))
    };
    finding(
        "go_module",
        Status::Fail,
        format!(
            "{version} cannot be released by the module `{path}`: Go's module-aware tools ignore a v{major} tag on it; {reason}"
        ),
    )
}

fn work_tree(placement: &Placement) -> Finding {
    if placement.bare {
        finding("work_tree", Status::Pass, "a bare repository")
    } else if placement.changed.is_empty() {
        finding("work_tree", Status::Pass, "clean")
    } else {
        finding(
            "work_tree",
            Status::Fail,
            format!(
                "uncommitted changes in {}; commit or stash them, so the tag is what was tested",
                placement.changed.join(", ")
            ),
        )
    }
}

/// Where the tag would land: behind the upstream fails; commits the upstream
/// lacks (CI never saw them), or a topic branch with no upstream, warn (fail
/// when strict). Local refs only: nothing is fetched.
fn upstream(placement: &Placement, soft: Status) -> Finding {
    match (&placement.upstream, &placement.branch) {
        (Some(up), _) if up.behind > 0 => finding(
            "upstream",
            Status::Fail,
            format!(
                "HEAD is {} commit(s) behind {}; pull first",
                up.behind, up.name
            ),
        ),
        (Some(up), _) if up.ahead > 0 => finding(
            "upstream",
            soft,
            format!(
                "HEAD has {} commit(s) that {} does not (as last fetched): the tag would point at a commit nobody else has and CI has not tested; push first",
                up.ahead, up.name
            ),
        ),
        (Some(up), _) => finding(
            "upstream",
            Status::Pass,
            format!("not behind {} (as last fetched)", up.name),
        ),
        (None, Some(branch))
            if placement
                .default_branch
                .as_ref()
                .is_some_and(|d| d != branch) =>
        {
            finding(
                "upstream",
                soft,
                format!(
                    "HEAD is on `{branch}`, which has no upstream and is not the default branch `{}`: the tag would point at a commit only this clone has; push the branch, or tag from `{}`",
                    placement.default_branch.as_deref().unwrap_or("main"),
                    placement.default_branch.as_deref().unwrap_or("main")
                ),
            )
        }
        (None, _) => finding("upstream", Status::Pass, "no upstream branch known locally"),
    }
}

fn list_check<'a>(
    check: &'static str,
    commits: impl Iterator<Item = &'a Classified>,
    soft: Status,
    what: &str,
) -> Finding {
    let ids: Vec<_> = commits.map(|c| c.short_id()).collect();
    if ids.is_empty() {
        finding(check, Status::Pass, "none")
    } else {
        finding(
            check,
            soft,
            format!("{} commit(s), {what}: {}", ids.len(), named(&ids)),
        )
    }
}

fn docs_check(docs: &DeprecationDocs, items: &[Item], flags: &str) -> Finding {
    let DeprecationDocs { dir, index, pages } = docs;
    let mut missing = Vec::new();
    for item in items {
        if !pages.contains(&item.slug) {
            missing.push(format!("{dir}/{}.md", item.slug));
        }
        if index
            .as_deref()
            .is_none_or(|index| deprecations::add_row(index, item).is_some())
        {
            missing.push(format!("a row for {} in {dir}/index.md", item.slug));
        }
    }
    if items.is_empty() {
        finding("deprecation_docs", Status::Pass, "no deprecations")
    } else if missing.is_empty() {
        finding(
            "deprecation_docs",
            Status::Pass,
            format!("every deprecation has its page and row in {dir}"),
        )
    } else {
        finding(
            "deprecation_docs",
            Status::Fail,
            format!(
                "missing {}; run `bumpwise deprecations{flags} --docs-dir {dir}`",
                missing.join(", ")
            ),
        )
    }
}
