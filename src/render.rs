//! Renderers: interchangeable functions from a [`Report`] to any `io::Write`.
//!
//! Owns every byte a person or a CI system reads from `next` and `explain`;
//! comfy-table stays in this module. Renderers never decide anything: what to
//! say is in the report, how it looks is here. Tests render into a `Vec<u8>`.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};

use crate::check::{CheckReport, Status};
use crate::classify::Confidence;
use crate::message::short_id;
use crate::plan::{Plan, Status as PlanStatus};
use crate::report::{CommitReport, Report};

/// How many skipped tags `explain` lists before summarising the rest.
const SKIPPED_SHOWN: usize = 10;
/// Longest subject `explain` shows before cutting it with `…`.
const SUBJECT_WIDTH: usize = 72;

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

/// The whole report as pretty JSON, newline-terminated.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn json(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    writeln!(w)
}

/// The `next` outputs for GitHub Actions, in order: `release`, `version`,
/// `tag`, `previous_version`, `previous_tag`, `bump`, `policy`, `security`,
/// and `changelog` (the release notes, multi-line) when given.
pub fn github_outputs(report: &Report, changelog: Option<&str>) -> Vec<(&'static str, String)> {
    let d = &report.decision;
    let or_empty = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut pairs = vec![
        ("release", d.release.to_string()),
        ("version", or_empty(&d.next_version)),
        ("tag", or_empty(&d.next_tag)),
        ("previous_version", or_empty(&d.previous_version)),
        ("previous_tag", or_empty(&d.previous_tag)),
        ("bump", d.bump.as_str().to_string()),
        ("policy", report.policy.name.clone()),
        ("security", report.security.to_string()),
    ];
    if let Some(notes) = changelog {
        pairs.push(("changelog", notes.to_string()));
    }
    pairs
}

/// Writes outputs in the form `$GITHUB_OUTPUT` takes: `key=value`, or for a
/// multi-line value `key<<DELIMITER`, the lines, `DELIMITER`, with a
/// delimiter that does not occur in the value.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn github(pairs: &[(&str, String)], w: &mut dyn Write) -> io::Result<()> {
    for (key, value) in pairs {
        if value.contains(['\n', '\r']) {
            let mut delimiter = "BUMPWISE_EOF".to_string();
            while value.contains(&delimiter) {
                delimiter.push('_');
            }
            writeln!(w, "{key}<<{delimiter}")?;
            writeln!(w, "{}", value.trim_end_matches('\n'))?;
            writeln!(w, "{delimiter}")?;
        } else {
            writeln!(w, "{key}={value}")?;
        }
    }
    Ok(())
}

/// The `check` outputs for GitHub Actions: `passed`, `tag`, `version`, and
/// the names of the checks that `failed` and gave `warnings`, comma-separated.
pub fn check_outputs(result: &CheckReport) -> Vec<(&'static str, String)> {
    let names = |status| {
        result
            .findings
            .iter()
            .filter(|f| f.status == status)
            .map(|f| f.check)
            .collect::<Vec<_>>()
            .join(",")
    };
    vec![
        ("passed", result.passed.to_string()),
        ("tag", result.tag.clone()),
        ("version", result.version.clone().unwrap_or_default()),
        ("failed", names(Status::Fail)),
        ("warnings", names(Status::Warn)),
    ]
}

/// A Markdown step summary of `next`.
pub fn next_summary(report: &Report, changelog: &str) -> String {
    let title = report
        .decision
        .next_tag
        .as_deref()
        .unwrap_or("nothing to release");
    format!("### bumpwise: {title}\n\n{}\n\n{changelog}", result(report))
}

/// A Markdown step summary of `check`.
pub fn check_summary(result: &CheckReport) -> String {
    let verdict = if result.passed { "passed" } else { "failed" };
    let mut out = format!(
        "### bumpwise check {}: {verdict}\n\n| Check | Status | Detail |\n| --- | --- | --- |\n",
        result.tag
    );
    for f in &result.findings {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            f.check,
            f.status.as_str(),
            crate::markdown::escape(&f.detail)
        ));
    }
    out
}

/// `check` as text: one row per check, then the verdict.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn check_text(result: &CheckReport, w: &mut dyn Write) -> io::Result<()> {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["Check", "Status", "Detail"]);
    for f in &result.findings {
        table.add_row(vec![
            f.check.to_string(),
            f.status.as_str().to_string(),
            f.detail.clone(),
        ]);
    }
    write_table(w, &table)?;
    let count = |status| {
        result
            .findings
            .iter()
            .filter(|f| f.status == status)
            .count()
    };
    let (failed, warned) = (count(Status::Fail), count(Status::Warn));
    if result.passed {
        writeln!(
            w,
            "check passed: {} may be tagged ({warned} warning(s))",
            result.tag
        )
    } else {
        writeln!(
            w,
            "check failed: {failed} failed, {warned} warning(s); do not tag {}",
            result.tag
        )
    }
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
        let mark = match step.status {
            PlanStatus::Done => "x",
            PlanStatus::Todo => " ",
            PlanStatus::NotApplicable => "~",
        };
        let action = step
            .action
            .as_ref()
            .map(|a| format!(": `{a}`"))
            .unwrap_or_default();
        writeln!(
            w,
            "- [{mark}] **{}. {}** ({}): {}{action}",
            step.number,
            step.title,
            step.status.as_str(),
            crate::markdown::escape(&step.detail)
        )?;
    }
    Ok(())
}

/// `explain` as text: where the range starts and why, every commit with the
/// rule that decided it, then the result and the warnings.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn explain_text(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let mut head = key_values();
    match &report.base {
        Some(base) => head.add_row(vec![
            "Base".to_string(),
            format!(
                "{} at {}: {}",
                base.tag,
                short_id(&base.commit),
                base.reason
            ),
        ]),
        None => head.add_row(vec![
            "Base".to_string(),
            format!(
                "none: no stable release tag reachable from HEAD among {} tags",
                report.tags_read
            ),
        ]),
    };
    head.add_row(vec![
        "Policy".to_string(),
        report.policy.description.clone(),
    ]);
    if !report.skipped_tags.is_empty() {
        let mut shown: Vec<String> = report
            .skipped_tags
            .iter()
            .take(SKIPPED_SHOWN)
            .map(|s| format!("{} ({})", s.name, s.reason.describe()))
            .collect();
        if report.skipped_tags.len() > SKIPPED_SHOWN {
            shown.push(format!(
                "… and {} more",
                report.skipped_tags.len() - SKIPPED_SHOWN
            ));
        }
        head.add_row(vec!["Skipped tags".to_string(), shown.join("\n")]);
    }
    head.add_row(vec!["Range".to_string(), range(report)]);
    write_table(w, &head)?;

    if !report.commits.is_empty() {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec!["Commit", "Subject", "Kind", "Rule", "Confidence"]);
        for c in &report.commits {
            let rule = if c.via_pull_request {
                format!("pull request title: {}", c.rule)
            } else {
                c.rule_text()
            };
            table.add_row(vec![
                c.short_id().to_string(),
                cut(&c.subject),
                kind_cell(c),
                rule,
                confidence(c.confidence).to_string(),
            ]);
        }
        write_table(w, &table)?;
    }

    let mut tail = key_values();
    tail.add_row(vec!["Result".to_string(), result(report)]);
    tail.add_row(vec!["Counts".to_string(), counts(report)]);
    tail.add_row(vec!["Rules".to_string(), rules_summary(report)]);
    for warning in &report.warnings {
        tail.add_row(vec!["Warning".to_string(), warning.clone()]);
    }
    write_table(w, &tail)
}

/// Writes a table without the padding comfy-table leaves at line ends.
fn write_table(w: &mut dyn Write, table: &Table) -> io::Result<()> {
    for line in table.lines() {
        writeln!(w, "{}", line.trim_end())?;
    }
    Ok(())
}

fn key_values() -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table
}

fn range(report: &Report) -> String {
    let from = report
        .base
        .as_ref()
        .map_or("the beginning", |b| b.tag.as_str());
    let at = match &report.head.branch {
        Some(branch) => format!("{branch} at {}", short_id(&report.head.commit)),
        None => format!("detached at {}", short_id(&report.head.commit)),
    };
    let mut text = format!(
        "{from}..HEAD ({at}): {} commit{}",
        report.commits.len(),
        if report.commits.len() == 1 { "" } else { "s" }
    );
    if report.first_parent {
        text.push_str(", first parent only");
    } else if report.merges_skipped > 0 {
        text.push_str(&format!(
            ", {} merge commit(s) not classified themselves",
            report.merges_skipped
        ));
    }
    text
}

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
    use crate::decide::DecidedBy;
    match report.decision.decided_by {
        DecidedBy::Commits => format!(
            "the commits require {}",
            report.decision.required_bump.as_str()
        ),
        DecidedBy::Initial => "no release yet: the initial version".to_string(),
        DecidedBy::Level => "level chosen by hand".to_string(),
        DecidedBy::ReleaseAs => "version chosen by hand with --release-as".to_string(),
    }
}

fn counts(report: &Report) -> String {
    let s = &report.summary;
    let mut text = format!(
        "{} breaking, {} feature, {} fix, {} none, {} unclassified",
        s.breaking, s.feature, s.fix, s.none, s.unclassified
    );
    if s.cancelled > 0 {
        text.push_str(&format!(", {} cancelled by reverts", s.cancelled));
    }
    if report.security {
        text.push_str("; includes security fixes");
    }
    text
}

fn rules_summary(report: &Report) -> String {
    let s = &report.summary;
    format!(
        "{} explicit (Conventional Commits, footers, advisory ids, reverts), {} by keyword, {} overridden, {} unclassified",
        s.explicit, s.keyword, s.overridden, s.unclassified
    )
}

fn confidence(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

fn kind_cell(c: &CommitReport) -> String {
    let mut text = c.kind.as_str().to_string();
    if c.effective_kind != c.kind {
        text.push_str(&format!(" → {}", c.effective_kind.as_str()));
    }
    let mut notes = Vec::new();
    if c.security {
        notes.push("security".to_string());
    }
    if c.dependency {
        notes.push("dependency".to_string());
    }
    if c.deprecation.is_some() {
        notes.push("deprecation".to_string());
    }
    if c.possibly_breaking {
        notes.push("possibly breaking".to_string());
    }
    if c.excluded {
        notes.push("excluded".to_string());
    }
    if let Some(id) = &c.reverted_by {
        notes.push(format!("reverted by {}", short_id(id)));
    }
    if let Some(id) = &c.reverts {
        notes.push(format!("reverts {}", short_id(id)));
    }
    if !notes.is_empty() {
        text.push_str(&format!(" ({})", notes.join(", ")));
    }
    text
}

fn cut(subject: &str) -> String {
    if subject.chars().count() <= SUBJECT_WIDTH {
        subject.to_string()
    } else {
        let mut text: String = subject.chars().take(SUBJECT_WIDTH - 1).collect();
        text.push('…');
        text
    }
}
