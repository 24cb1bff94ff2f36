//! Tables for people: `explain` and `check`, the one module that uses comfy-table.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};

use super::result;
use crate::classify::{Classified, Confidence};
use crate::evidence::api::ChangeKind;
use crate::evidence::message::short_id;
use crate::release::check::{CheckReport, Status};
use crate::report::backtest::{Agreement as BacktestAgreement, BacktestReport};
use crate::report::{ApiReport, Report};

/// How many skipped tags `explain` lists before summarising the rest.
const SKIPPED_SHOWN: usize = 10;
/// Longest subject `explain` shows before cutting it with `…`.
const SUBJECT_WIDTH: usize = 72;
/// The width of tables written where no terminal tells it and `COLUMNS` is unset (a CI log, a file).
pub const PIPED_WIDTH: u16 = 120;
/// The narrowest width `COLUMNS` may set.
const NARROWEST: u16 = 40;

/// The width tables fit: `COLUMNS` when it is set to a number (at least
/// [`NARROWEST`]); the terminal's when stdout is one; else [`PIPED_WIDTH`].
fn table_width() -> Option<u16> {
    use std::io::IsTerminal;
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
    {
        return Some(columns.max(NARROWEST));
    }
    // comfy-table asks the terminal itself.
    (!io::stdout().is_terminal()).then_some(PIPED_WIDTH)
}

/// A table in `style` that wraps its cells to fit [`table_width`].
fn fitted(style: comfy_table::TableStyle) -> Table {
    let mut table = Table::new();
    table
        .load_style(style)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(width) = table_width() {
        table.set_width(width);
    }
    table
}

/// `check` as text: one row per check, then the verdict.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn check_text(result: &CheckReport, w: &mut dyn Write) -> io::Result<()> {
    let mut table = fitted(presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["Check", "Status", "Detail"]);
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

/// `explain` as text: where the range starts and why, every commit with the
/// rule that decided it, then the result and the warnings.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn explain_text(report: &Report, api: bool, w: &mut dyn Write) -> io::Result<()> {
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
        let mut table = fitted(presets::UTF8_FULL_CONDENSED);
        table.set_header(vec!["Commit", "Subject", "Kind", "Rule", "Confidence"]);
        for c in &report.commits {
            let rule = if c.via_pull_request {
                format!("pull request title: {}", c.rule)
            } else {
                c.rule_text()
            };
            table.add_row(vec![
                c.short_id().to_string(),
                cut(c.subject()),
                kind_cell(c),
                rule,
                confidence(c.confidence).to_string(),
            ]);
        }
        write_table(w, &table)?;
    }
    if api && let Some(found) = &report.api {
        api_table(found, w)?;
    }

    let mut tail = key_values();
    tail.add_row(vec!["Result".to_string(), result(report)]);
    if let Some(basis) = &report.decision.confidence_basis {
        tail.add_row(vec![
            "Confidence".to_string(),
            format!("{:.2}: {}", basis.confidence, basis.words),
        ]);
    }
    tail.add_row(vec!["Counts".to_string(), counts(report)]);
    tail.add_row(vec!["Rules".to_string(), rules_summary(report)]);
    if let Some(found) = report.api.as_ref().filter(|a| a.files_changed > 0) {
        tail.add_row(vec!["API".to_string(), api_summary(found, api)]);
    }
    for warning in &report.warnings {
        tail.add_row(vec!["Warning".to_string(), warning.clone()]);
    }
    write_table(w, &tail)
}

/// Every change to the public API, with its signatures and commit, then the
/// files that gave no evidence.
fn api_table(api: &ApiReport, w: &mut dyn Write) -> io::Result<()> {
    if !api.changes.is_empty() {
        let mut table = fitted(presets::UTF8_FULL_CONDENSED);
        table.set_header(vec!["Change", "Item", "Signature", "Commit"]);
        for c in &api.changes {
            let x = &c.change;
            let signature = match (&x.before, &x.after) {
                (Some(before), Some(after)) => format!("{before}\n→ {after}"),
                (Some(one), None) | (None, Some(one)) => one.clone(),
                (None, None) => String::new(),
            };
            table.add_row(vec![
                x.change.as_str().to_string(),
                format!("{} {} {}", x.language.as_str(), x.kind, x.name),
                signature,
                c.commit
                    .as_deref()
                    .map_or("(a merge)", short_id)
                    .to_string(),
            ]);
        }
        write_table(w, &table)?;
    }
    for note in &api.notes {
        writeln!(w, " API note  {note}")?;
    }
    Ok(())
}

/// One line on what the range did to the public API.
fn api_summary(api: &ApiReport, listed: bool) -> String {
    let count = |kind: ChangeKind| {
        api.changes
            .iter()
            .filter(|c| c.change.change == kind)
            .count()
    };
    let (removed, changed, added) = (
        count(ChangeKind::Removed),
        count(ChangeKind::Changed),
        count(ChangeKind::Added),
    );
    let mut text = if api.changes.is_empty() {
        format!(
            "{} source file(s) changed, no change to the public API",
            api.files_changed
        )
    } else {
        format!("{removed} removed, {changed} changed, {added} added")
    };
    if !api.notes.is_empty() {
        text.push_str(&format!("; {} file(s) gave no evidence", api.notes.len()));
    }
    if !listed && (!api.changes.is_empty() || !api.notes.is_empty()) {
        text.push_str(" (`--api` lists them)");
    }
    text
}

/// `bumpwise backtest` as tables: a line per release, then the agreement and any suggestion.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn backtest_text(report: &BacktestReport, w: &mut dyn Write) -> io::Result<()> {
    let mut table = fitted(presets::UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "Release",
        "From",
        "Commits",
        "Proposed",
        "",
        "Confidence",
        "Why",
    ]);
    for line in &report.releases {
        let mark = match (line.counted, line.agrees) {
            (false, _) => "·",
            (true, true) => "=",
            (true, false) => "✗",
        };
        let mut why = line.reason.clone().unwrap_or_default();
        if !line.agrees && line.counted && !line.drivers.is_empty() {
            why.push_str(&format!(" (driven by {})", line.drivers.join(", ")));
        }
        table.add_row(vec![
            line.tag.clone(),
            line.base.clone().unwrap_or_default(),
            line.commits.to_string(),
            line.proposed
                .as_ref()
                .map_or("nothing".to_string(), ToString::to_string),
            mark.to_string(),
            line.confidence.map_or(String::new(), |c| format!("{c:.2}")),
            why,
        ]);
    }
    write_table(w, &table)?;
    let a = &report.agreement;
    let mut tail = key_values();
    let api = if report.api { "on" } else { "off" };
    tail.add_row(vec![
        "Agreement".to_string(),
        format!(
            "{} under the {} policy, API evidence {api}; before 1.0 {}, from 1.0 {}",
            BacktestAgreement::text(a.agreed, a.counted),
            report.policy,
            BacktestAgreement::text(a.before_1_0.0, a.before_1_0.1),
            BacktestAgreement::text(a.from_1_0.0, a.from_1_0.1),
        ),
    ]);
    if !a.bands.is_empty() {
        let bands: Vec<String> = a
            .bands
            .iter()
            .map(|b| {
                format!(
                    "{:.1}–{:.1}: {} (mean confidence {:.2})",
                    b.from,
                    b.to,
                    BacktestAgreement::text(b.agreed, b.releases),
                    b.mean_confidence
                )
            })
            .collect();
        tail.add_row(vec!["By confidence".to_string(), bands.join("\n")]);
    }
    match &report.suggestion {
        Some(s) => {
            tail.add_row(vec![
                "Suggestion".to_string(),
                format!(
                    "{} agrees with {}; it turns right {} and wrong {}",
                    s.settings.join(", "),
                    BacktestAgreement::text(s.agreed, s.counted),
                    list_or_none(&s.turns_right),
                    list_or_none(&s.turns_wrong),
                ),
            ]);
        }
        None => {
            tail.add_row(vec![
                "Suggestion".to_string(),
                "none: no other policy or evidence setting agrees better by the margin".to_string(),
            ]);
        }
    }
    write_table(w, &tail)
}

fn list_or_none(list: &[String]) -> String {
    if list.is_empty() {
        return "none".to_string();
    }
    let mut shown: Vec<String> = list.iter().take(10).cloned().collect();
    if list.len() > 10 {
        shown.push(format!("{} more", list.len() - 10));
    }
    shown.join(", ")
}

/// Writes a table without the padding comfy-table leaves at line ends.
fn write_table(w: &mut dyn Write, table: &Table) -> io::Result<()> {
    for line in table.lines() {
        writeln!(w, "{}", line.trim_end())?;
    }
    Ok(())
}

fn key_values() -> Table {
    fitted(presets::NOTHING)
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

fn kind_cell(c: &Classified) -> String {
    let mut text = c.kind.as_str().to_string();
    if c.effective_kind() != c.kind {
        text.push_str(&format!(" → {}", c.effective_kind().as_str()));
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
    if let Some(id) = c.reverted_by() {
        notes.push(format!("reverted by {}", short_id(id)));
    }
    if let Some(id) = c.reverts() {
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
