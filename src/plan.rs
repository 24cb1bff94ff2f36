//! The release guide as one checked plan: what is done, what is left, and the
//! exact command or file that completes each step.
//!
//! Owns the steps of ContainerSSH's release guide, in order: versioning,
//! documentation, tests, binaries, images. Pure: it reads the report, the
//! check's verdict and a few facts gathered beforehand, and runs nothing.

use serde::Serialize;

use crate::check::{CheckReport, Status as CheckStatus};
use crate::images::Proposal;
use crate::report::Report;

/// The version of the plan JSON document's shape.
pub const SCHEMA_VERSION: u32 = 1;

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
}

/// What the steps need to know beyond the report and the check.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The tag exists already (the binaries step is then done).
    pub tag_exists: bool,
    /// The project's test command.
    pub test_command: Option<String>,
    /// Whether it passed, when it was run (`--run-tests`).
    pub tests_passed: Option<bool>,
    /// `mkdocs.yml`'s path, the upcoming reference pages its nav lacks, and the nav
    /// entries pointing at pages that do not exist; `None` without an upcoming section.
    pub upcoming: Option<(String, Vec<String>, Vec<String>)>,
    /// `build.yaml`'s path and the proposal (`None`: it has the release already).
    pub images: Option<(String, Option<Proposal>)>,
    /// The day's date as `YYYYMMDD`: the images repository's tag.
    pub today: String,
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
    let tag = &check.tag;
    let finding = |name: &str| check.findings.iter().find(|f| f.check == name);
    let mut steps = Vec::new();

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
    steps.push(if failed.is_empty() {
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
            Some(format!("bumpwise check {tag}")),
        )
    });

    steps.push(match finding("changelog") {
        Some(f) if f.status == CheckStatus::Pass => step(
            2,
            "Documentation: changelog",
            Status::Done,
            f.detail.clone(),
            None,
        ),
        Some(f) => step(
            2,
            "Documentation: changelog",
            Status::Todo,
            f.detail.clone(),
            Some("bumpwise changelog --output CHANGELOG.md --prepend".to_string()),
        ),
        None => step(
            2,
            "Documentation: changelog",
            Status::NotApplicable,
            "the project keeps no CHANGELOG.md; the release notes go to goreleaser (step 4)",
            None,
        ),
    });
    steps.push(
        match (finding("deprecation_docs"), report.deprecations.is_empty()) {
            (Some(f), _) if f.status == CheckStatus::Pass => step(
                2,
                "Documentation: deprecations",
                Status::Done,
                f.detail.clone(),
                None,
            ),
            (Some(f), _) => step(
                2,
                "Documentation: deprecations",
                Status::Todo,
                f.detail.clone(),
                Some("bumpwise deprecations --docs-dir docs/deprecations".to_string()),
            ),
            (None, true) => step(
                2,
                "Documentation: deprecations",
                Status::NotApplicable,
                "no deprecations",
                None,
            ),
            (None, false) => step(
                2,
                "Documentation: deprecations",
                Status::Todo,
                format!("{} deprecation(s) need notices", report.deprecations.len()),
                Some("bumpwise deprecations --docs-dir docs/deprecations".to_string()),
            ),
        },
    );
    steps.push(match &facts.upcoming {
        None => step(
            2,
            "Documentation: upcoming reference",
            Status::NotApplicable,
            "no reference/upcoming pages",
            None,
        ),
        Some((mkdocs, missing, dangling)) if missing.is_empty() && dangling.is_empty() => step(
            2,
            "Documentation: upcoming reference",
            Status::Done,
            format!("every reference/upcoming page is in {mkdocs}'s nav"),
            None,
        ),
        Some((mkdocs, missing, dangling)) => {
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
                "bumpwise plan --fix".to_string()
            };
            step(
                2,
                "Documentation: upcoming reference",
                Status::Todo,
                problems.join("; "),
                Some(action),
            )
        }
    });

    steps.push(match &facts.test_command {
        Some(command) if facts.tests_passed == Some(true) => {
            step(3, "Tests", Status::Done, "passed", Some(command.clone()))
        }
        Some(command) if facts.tests_passed == Some(false) => {
            step(3, "Tests", Status::Todo, "failed", Some(command.clone()))
        }
        Some(command) => step(
            3,
            "Tests",
            Status::Todo,
            "not run (bumpwise plan --run-tests runs it)",
            Some(command.clone()),
        ),
        None => step(
            3,
            "Tests",
            Status::NotApplicable,
            "no test command configured (test_command in bumpwise.toml)",
            None,
        ),
    });

    let previous = report.decision.previous_tag.clone();
    let goreleaser = format!(
        "bumpwise changelog --output notes.md && git tag {tag} && git push origin {tag} && {}goreleaser release --release-notes notes.md",
        previous
            .as_ref()
            .map(|p| format!("GORELEASER_PREVIOUS_TAG={p} "))
            .unwrap_or_default()
    );
    steps.push(if facts.tag_exists {
        step(4, "Binaries", Status::Done, format!("{tag} is tagged"), None)
    } else {
        step(
            4,
            "Binaries",
            Status::Todo,
            "tag, then goreleaser with bumpwise's notes and previous tag (its own detection is fooled by pre-release tags on one commit)",
            Some(goreleaser),
        )
    });

    steps.push(match &facts.images {
        None => step(
            5,
            "Images",
            Status::NotApplicable,
            "no images build.yaml given (--images PATH)",
            None,
        ),
        Some((path, None)) => step(
            5,
            "Images",
            Status::Done,
            format!(
                "{path} lists {tag}; tag the images repository {}",
                facts.today
            ),
            Some(format!(
                "git tag {} && git push origin {}",
                facts.today, facts.today
            )),
        ),
        Some((path, Some(proposal))) => step(
            5,
            "Images",
            Status::Todo,
            format!(
                "{path} lacks {tag}: push it as {}, revision {}; then tag the images repository {}",
                proposal.image_tags.join(", "),
                facts.today,
                facts.today
            ),
            Some(format!("bumpwise plan --images {path} --write")),
        ),
    });

    Plan {
        schema_version: SCHEMA_VERSION,
        tag: tag.clone(),
        previous_tag: previous,
        steps,
    }
}
