//! Renderers: interchangeable functions from a [`Report`] (or a check, or a
//! plan) to any `io::Write`.
//!
//! Owns every byte a person or a CI system reads: plain lines here, tables in
//! [`text`] (the only comfy-table user), GitHub Actions outputs and step
//! summaries in [`mod@github`], JSON in [`mod@json`]. Renderers never decide
//! anything: what to say is in the report, how it looks is here. Tests render
//! into a `Vec<u8>`.

pub mod github;
pub mod inert;
pub mod json;
pub mod text;

use std::io::{self, Write};

use crate::notes::markdown::escape;
use crate::release::plan::{Plan, Status as PlanStatus};
use crate::report::Report;
use crate::version::decide::DecidedBy;

pub use github::{
    annotation, check_outputs, check_summary, dotenv, github, github_outputs, next_summary,
};
pub use json::json;
pub use text::{backtest_text, check_text, explain_text};

/// `next` as text: the tag to create, on one line; nothing when there is no release.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn next_text(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    match &report.decision.next_tag {
        Some(tag) => writeln!(w, "{tag}"),
        None => Ok(()),
    }
}

/// One line saying why: the move, the policy and what decided it, e.g.
/// `minor release: v0.4.0 → v0.5.0 under the guide policy (the commits require minor)`.
/// `explain` shows the same line as its result.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn next_reason(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "{}", result(report))
}

/// When the proposal is not `confident` (below the minimum in force): the
/// line saying so, and how a person decides (`--release-as`, or `mark` on the
/// commit in doubt).
pub fn low_confidence(report: &Report) -> Option<String> {
    let d = &report.decision;
    let basis = d.confidence_basis.as_ref().filter(|_| !d.confident)?;
    let next = d.next_version.as_ref()?;
    Some(format!(
        "needs a person: confidence {:.2} is below the minimum {:.2} ({}); confirm with `--release-as {next}`, choose another version with `--release-as`, or correct a commit with `bumpwise mark`",
        basis.confidence, d.min_confidence, basis.words
    ))
}

/// `plan` as text: one line per step, then what completes it.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn plan_text(plan: &Plan, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "Release plan for {}", plan.tag)?;
    for step in &plan.steps {
        writeln!(
            w,
            "[{:<4}] {}. {}: {}",
            step.status.as_str(),
            step.number,
            step.title,
            step.detail
        )?;
        if let (Some(action), PlanStatus::Todo | PlanStatus::Done) = (&step.action, step.status) {
            writeln!(w, "         → {action}")?;
        }
    }
    Ok(())
}

/// `plan` as a Markdown checklist for a release issue.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn plan_markdown(plan: &Plan, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "## Release plan for {}\n", plan.tag)?;
    for step in &plan.steps {
        let action = step
            .action
            .as_ref()
            .map(|a| format!(": `{a}`"))
            .unwrap_or_default();
        let line = format!(
            "**{}. {}** ({}): {}{action}",
            step.number,
            step.title,
            step.status.as_str(),
            escape(&step.detail)
        );
        // Only `[ ]` and `[x]` are task items GitHub renders; a step that does
        // not apply is a plain line, struck through, saying why.
        match step.status {
            PlanStatus::Done => writeln!(w, "- [x] {line}")?,
            PlanStatus::Todo => writeln!(w, "- [ ] {line}")?,
            PlanStatus::NotApplicable => writeln!(w, "- ~~{line}~~")?,
        }
    }
    Ok(())
}

/// The result in one line: the move, the policy and what decided it.
fn result(report: &Report) -> String {
    let d = &report.decision;
    let policy = &report.policy.name;
    match (&d.next_tag, &d.previous_tag) {
        (Some(next), Some(prev)) => format!(
            "{} release: {prev} → {next} under the {policy} policy ({})",
            d.bump.as_str(),
            decided_by(report)
        ),
        (Some(next), None) => format!(
            "first release: {next} under the {policy} policy ({})",
            decided_by(report)
        ),
        (None, _) => format!(
            "nothing to release under the {policy} policy: no commit since the base has release impact"
        ),
    }
}

fn decided_by(report: &Report) -> String {
    match report.decision.decided_by {
        DecidedBy::Commits => format!(
            "the commits require {}",
            report.decision.required_bump.as_str()
        ),
        DecidedBy::Initial => "no release yet: the initial version".to_string(),
        DecidedBy::Level => "level chosen by hand".to_string(),
        DecidedBy::ReleaseAs => "version chosen by hand with --release-as".to_string(),
        DecidedBy::ReleaseCommit => {
            "no commit requires a release, but a release commit says one is being made: the least, a patch".to_string()
        }
    }
}
