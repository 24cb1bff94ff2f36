//! The release guide as one checked plan: what is done, what is left, and the
//! exact command or file that completes each step.
//!
//! Owns the steps of ContainerSSH's release guide, in order, one function per
//! step (the cargo-release `verify_*` shape): versioning, documentation
//! (changelog, deprecations, upcoming reference), tests, binaries, images.
//! Pure: it reads the report, the check's verdict and a few facts gathered
//! beforehand ([`super::facts`]), and runs nothing.

use serde::Serialize;

use crate::release::check::{CheckReport, Finding, Status as CheckStatus};
use crate::release::images::Proposal;
use crate::report::{Report, json};

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing left to do.
    Done,
    /// Something left to do: see the action.
    Todo,
    /// Does not apply to this project or release.
    NotApplicable,
}

impl Status {
    /// The name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Todo => "todo",
            Status::NotApplicable => "n/a",
        }
    }
}

/// One step of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Its number in the guide's order (1 versioning … 5 images).
    pub number: u8,
    /// What it is.
    pub title: String,
    /// Where it stands.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// The command or file that completes it.
    pub action: Option<String>,
}

/// The plan for one release.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The shape's version.
    pub schema_version: u32,
    /// The tag planned.
    pub tag: String,
    /// The last release's tag.
    pub previous_tag: Option<String>,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The test command was run and failed (`plan` then exits 4).
    #[serde(skip)]
    pub tests_failed: bool,
}

/// What the steps need to know beyond the report and the check.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The tag exists already (the binaries step is then done).
    pub tag_exists: bool,
    /// The project's test command.
    pub test_command: Option<String>,
    /// Where the test command was guessed from (a manifest), when none is configured.
    pub test_guessed: Option<&'static str>,
    /// The flags that decided the version, repeated in every command it suggests.
    pub flags: String,
    /// The path flags `plan` was given (` --docs-dir D --mkdocs M --images I`),
    /// repeated in every `bumpwise plan` it suggests.
    pub paths: String,
    /// The changelog `check` reads, for the command that writes it.
    pub changelog: String,
    /// The deprecations docs folder, for the command that writes its pages.
    pub deprecations_dir: String,
    /// How it ended, when it was run (`--run-tests`).
    pub tests: Option<TestRun>,
    /// The upcoming reference pages against the mkdocs nav; `None` without an upcoming section.
    pub upcoming: Option<UpcomingNav>,
    /// The images repository's `build.yaml`, when one is given.
    pub images: Option<ImagesFile>,
    /// The day's date as `YYYYMMDD`: the images repository's tag.
    pub today: String,
}

/// How the test command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestRun {
    /// Exit status 0.
    Passed,
    /// Another exit status (`sh` gives 127 for a command it cannot find, 126 for one it cannot run).
    Failed(i32),
    /// Ended by a signal, without an exit status.
    Killed,
}

impl TestRun {
    /// Whether the tests passed.
    pub fn passed(self) -> bool {
        self == TestRun::Passed
    }

    /// In words, for the plan.
    pub fn describe(self, command: &str) -> String {
        let program = command.split_whitespace().next().unwrap_or(command);
        match self {
            TestRun::Passed => "passed".to_string(),
            TestRun::Failed(127) => format!(
                "failed: the command was not found (exit status 127); is `{program}` installed and on PATH?"
            ),
            TestRun::Failed(126) => format!(
                "failed: the command could not be run (exit status 126); is `{program}` executable?"
            ),
            TestRun::Failed(code) => format!("failed (exit status {code})"),
            TestRun::Killed => "failed: ended by a signal".to_string(),
        }
    }
}

/// The upcoming reference pages against the mkdocs nav.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpcomingNav {
    /// The mkdocs configuration's path.
    pub mkdocs: String,
    /// Upcoming pages its nav lacks.
    pub missing: Vec<String>,
    /// Nav entries pointing at upcoming pages that do not exist.
    pub dangling: Vec<String>,
}

/// The images repository's `build.yaml` and what the release changes in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImagesFile {
    /// Its path.
    pub path: String,
    /// The change the release needs; `None` when it has the release already.
    pub proposal: Option<Proposal>,
}

fn step(
    number: u8,
    title: &str,
    status: Status,
    detail: impl Into<String>,
    action: Option<String>,
) -> Step {
    Step {
        number,
        title: title.to_string(),
        status,
        detail: detail.into(),
        action,
    }
}

/// The plan for releasing `check.tag`.
pub fn plan(report: &Report, check: &CheckReport, facts: &Facts) -> Plan {
    let finding = |name: &str| check.findings.iter().find(|f| f.check == name);
    let steps = vec![
        versioning(check, &facts.flags),
        changelog(finding("changelog"), &facts.changelog, &facts.flags),
        deprecations(
            finding("deprecation_docs"),
            report.deprecations.len(),
            (&facts.deprecations_dir, &facts.flags),
        ),
        upcoming(
            facts.upcoming.as_ref(),
            &format!("{}{}", facts.flags, facts.paths),
        ),
        tests(facts),
        binaries(&check.tag, report.decision.previous_tag.as_deref(), facts),
        images(&check.tag, facts),
    ];
    Plan {
        schema_version: json::PLAN_SCHEMA,
        tag: check.tag.clone(),
        previous_tag: report.decision.previous_tag.clone(),
        steps,
        tests_failed: facts.tests.is_some_and(|t| !t.passed()),
    }
}

/// 1. Versioning: the check's verdict on the tag.
fn versioning(check: &CheckReport, flags: &str) -> Step {
    let tag = &check.tag;
    let failed: Vec<&str> = check
        .findings
        .iter()
        .filter(|f| f.status == CheckStatus::Fail)
        .map(|f| f.check)
        .collect();
    let warned = check
        .findings
        .iter()
        .filter(|f| f.status == CheckStatus::Warn)
        .count();
    let why = format!(
        "{tag}: a {} release under the {} policy; the commits require {}",
        check.bump.map_or("no", |b| b.as_str()),
        check.policy,
        check.required_bump.as_str()
    );
    if failed.is_empty() {
        step(
            1,
            "Versioning",
            Status::Done,
            format!("{why}; check passed ({warned} warning(s))"),
            None,
        )
    } else {
        step(
            1,
            "Versioning",
            Status::Todo,
            format!("{why}; check failed: {}", failed.join(", ")),
            Some(format!("bumpwise check {tag}{flags}")),
        )
    }
}

/// 2. Documentation: the changelog has a section for the release.
fn changelog(finding: Option<&Finding>, changelog: &str, flags: &str) -> Step {
    const TITLE: &str = "Documentation: changelog";
    match finding {
        Some(f) if f.status == CheckStatus::Pass => {
            step(2, TITLE, Status::Done, f.detail.clone(), None)
        }
        Some(f) => step(
            2,
            TITLE,
            Status::Todo,
            f.detail.clone(),
            Some(format!(
                "bumpwise changelog{flags} --output {changelog} --prepend"
            )),
        ),
        None => step(
            2,
            TITLE,
            Status::NotApplicable,
            "the project keeps no CHANGELOG.md; the release notes go to goreleaser (step 4)",
            None,
        ),
    }
}

/// 2. Documentation: every deprecation has its notice.
fn deprecations(finding: Option<&Finding>, count: usize, (dir, flags): (&str, &str)) -> Step {
    const TITLE: &str = "Documentation: deprecations";
    let write = || Some(format!("bumpwise deprecations{flags} --docs-dir {dir}"));
    match (finding, count) {
        (Some(f), _) if f.status == CheckStatus::Pass => {
            step(2, TITLE, Status::Done, f.detail.clone(), None)
        }
        (Some(f), _) => step(2, TITLE, Status::Todo, f.detail.clone(), write()),
        (None, 0) => step(2, TITLE, Status::NotApplicable, "no deprecations", None),
        (None, n) => step(
            2,
            TITLE,
            Status::Todo,
            format!("{n} deprecation(s) need notices"),
            write(),
        ),
    }
}

/// 2. Documentation: every upcoming reference page is in the nav.
fn upcoming(nav: Option<&UpcomingNav>, flags: &str) -> Step {
    const TITLE: &str = "Documentation: upcoming reference";
    let Some(UpcomingNav {
        mkdocs,
        missing,
        dangling,
    }) = nav
    else {
        return step(
            2,
            TITLE,
            Status::NotApplicable,
            "no reference/upcoming pages",
            None,
        );
    };
    if missing.is_empty() && dangling.is_empty() {
        return step(
            2,
            TITLE,
            Status::Done,
            format!("every reference/upcoming page is in {mkdocs}'s nav"),
            None,
        );
    }
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("not in the nav: {}", missing.join(", ")));
    }
    if !dangling.is_empty() {
        problems.push(format!(
            "nav entries without a page: {}",
            dangling.join(", ")
        ));
    }
    let action = if missing.is_empty() {
        format!("edit {mkdocs}")
    } else {
        format!("bumpwise plan{flags} --fix")
    };
    step(2, TITLE, Status::Todo, problems.join("; "), Some(action))
}

/// 3. Tests: the test command, and whether it passed when it was run.
fn tests(facts: &Facts) -> Step {
    // The guide's mandatory step: todo until the tests ran and passed.
    let Some(command) = &facts.test_command else {
        return step(
            3,
            "Tests",
            Status::Todo,
            "no test command configured and none to guess; set test_command in bumpwise.toml, then run the test battery",
            None,
        );
    };
    let guessed = facts
        .test_guessed
        .map(|file| format!(" (guessed from {file}; test_command in bumpwise.toml sets it)"))
        .unwrap_or_default();
    let (status, detail) = match facts.tests {
        Some(run) if run.passed() => (Status::Done, format!("{}{guessed}", run.describe(command))),
        Some(run) => (Status::Todo, format!("{}{guessed}", run.describe(command))),
        None => (
            Status::Todo,
            format!(
                "not run (bumpwise plan{}{} --run-tests runs it){guessed}",
                facts.flags, facts.paths
            ),
        ),
    };
    step(3, "Tests", status, detail, Some(command.clone()))
}

/// 4. Binaries: tag, then goreleaser with bumpwise's notes and previous tag.
fn binaries(tag: &str, previous: Option<&str>, facts: &Facts) -> Step {
    if facts.tag_exists {
        return step(
            4,
            "Binaries",
            Status::Done,
            format!("{tag} is tagged"),
            None,
        );
    }
    let goreleaser = format!(
        "bumpwise changelog --output notes.md && git tag {tag} && git push origin {tag} && {}goreleaser release --release-notes notes.md",
        previous
            .map(|p| format!("GORELEASER_PREVIOUS_TAG={p} "))
            .unwrap_or_default()
    );
    step(
        4,
        "Binaries",
        Status::Todo,
        "tag, then goreleaser with bumpwise's notes and previous tag (its own detection is fooled by pre-release tags on one commit)",
        Some(goreleaser),
    )
}

/// 5. Images: `build.yaml` lists the release, and the images repository is tagged.
fn images(tag: &str, facts: &Facts) -> Step {
    let today = &facts.today;
    match &facts.images {
        None => step(
            5,
            "Images",
            Status::NotApplicable,
            "no images build.yaml given (--images PATH)",
            None,
        ),
        Some(ImagesFile {
            path,
            proposal: None,
        }) => step(
            5,
            "Images",
            Status::Done,
            format!("{path} lists {tag}; tag the images repository {today}"),
            Some(format!("git tag {today} && git push origin {today}")),
        ),
        Some(ImagesFile {
            path,
            proposal: Some(proposal),
        }) => step(
            5,
            "Images",
            Status::Todo,
            format!(
                "{path} lacks {tag}: push it as {}, revision {today}; then tag the images repository {today}",
                proposal.image_tags.join(", "),
            ),
            Some(format!(
                "bumpwise plan{}{} --write",
                facts.flags, facts.paths
            )),
        ),
    }
}
