//! GitHub Actions: `key=value` outputs for `$GITHUB_OUTPUT` and Markdown step summaries.

use std::io::{self, Write};

use semver::Version;

use super::result;
use crate::notes::markdown::escape;
use crate::release::check::{CheckReport, Status};
use crate::report::Report;

/// The `next` outputs for GitHub Actions, in order: `release`, `version`,
/// `tag`, `previous_version`, `previous_tag`, `bump`, `policy`, `security`,
/// `anyway_version` and `anyway_tag` (what a release made anyway would be, when
/// nothing warrants one), `confidence` (0 to 1) and `confident` (whether it
/// reaches `min_confidence`, 0.9 unless set), and `changelog` (the release notes, multi-line) when given.
pub fn github_outputs(report: &Report, changelog: Option<&str>) -> Vec<(&'static str, String)> {
    let d = &report.decision;
    let or_empty = |v: &Option<Version>| v.as_ref().map(ToString::to_string).unwrap_or_default();
    let tag_or_empty = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut pairs = vec![
        ("release", d.release.to_string()),
        ("version", or_empty(&d.next_version)),
        ("tag", tag_or_empty(&d.next_tag)),
        ("previous_version", or_empty(&d.previous_version)),
        ("previous_tag", tag_or_empty(&d.previous_tag)),
        ("bump", d.bump.as_str().to_string()),
        ("policy", report.policy.name.clone()),
        ("security", report.security.to_string()),
        ("anyway_version", or_empty(&d.anyway_version)),
        ("anyway_tag", tag_or_empty(&d.anyway_tag)),
        (
            "confidence",
            d.confidence.map(|c| format!("{c:.2}")).unwrap_or_default(),
        ),
        ("confident", d.confident.to_string()),
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

/// Writes outputs as a dotenv file (GitLab's `artifacts:reports:dotenv`, and
/// any system that reads `KEY=VALUE` lines): each key upper-cased behind
/// `BUMPWISE_` (`BUMPWISE_VERSION=0.6.1`), one line each. A multi-line value
/// (the changelog) is left out: dotenv values are single lines. A value that
/// is not plain is single-quoted ([`super::inert::shell_word`]), so a file a
/// shell `source`s runs nothing.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn dotenv(pairs: &[(&str, String)], w: &mut dyn Write) -> io::Result<()> {
    for (key, value) in pairs {
        if !value.contains(['\n', '\r']) {
            writeln!(
                w,
                "BUMPWISE_{}={}",
                key.to_ascii_uppercase(),
                // An empty value stays empty (`KEY=`), as dotenv readers expect.
                match value.is_empty() {
                    true => String::new(),
                    false => super::inert::shell_word(value),
                }
            )?;
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
        (
            "version",
            result
                .version
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
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
    let mut warnings = String::new();
    for w in &report.warnings {
        warnings.push_str(&format!("> **Warning:** {}\n\n", escape(w)));
    }
    format!(
        "### bumpwise: {title}\n\n{}\n\n{warnings}{changelog}",
        result(report)
    )
}

/// A workflow command the runner shows as an annotation: `::warning::` or
/// `::error::`, with the message escaped as GitHub requires (`%`, CR, LF).
pub fn annotation(level: &str, message: &str) -> String {
    let data = message
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    format!("::{level}::{data}\n")
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
            escape(&f.detail)
        ));
    }
    out
}
