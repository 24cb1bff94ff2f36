//! The warnings a human must see before trusting a report.

use crate::classify::{Classified, Kind, Rule};
use crate::version::decide::{Decision, Request};
use crate::version::tag::{self, SkipReason};

use super::Summary;

/// How many commits a warning names; the rest are counted.
const NAMED: usize = 10;

/// The first [`NAMED`] ids, and how many more there are.
fn named(ids: &[&str]) -> String {
    let mut text = ids[..ids.len().min(NAMED)].join(", ");
    if ids.len() > NAMED {
        text.push_str(&format!(
            " and {} more (`bumpwise explain` lists them)",
            ids.len() - NAMED
        ));
    }
    text
}

/// Every warning for a range: unclassified commits, an under-bump asked for,
/// missing tags, possibly breaking commits, a shallow clone.
pub fn warnings(
    summary: &Summary,
    commits: &[Classified],
    decision: &Decision,
    request: &Request,
    skipped: &[tag::Skipped],
    shallow: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    if summary.unclassified > 0 {
        out.push(format!(
            "{} of {} commits are unclassified (no rule matched); the bump may be an under-estimate: see `bumpwise explain`",
            summary.unclassified, summary.total
        ));
    }
    if !matches!(request, Request::Commits)
        && decision.next.is_some()
        && decision.bump < decision.required
    {
        out.push(format!(
            "the requested version is a {} release, but the commits require {}",
            decision.bump.as_str(),
            decision.required.as_str()
        ));
    }
    for s in skipped.iter().filter(|s| s.reason == SkipReason::Missing) {
        out.push(format!(
            "tag {} points at an object that is not in the repository; it was not considered",
            s.name
        ));
    }
    let read_by_paths: Vec<&str> = commits
        .iter()
        .filter(|c| {
            !c.cancelled()
                && !c.excluded
                && matches!(
                    c.rule,
                    Rule::ShippedCode {
                        message: Kind::Unclassified,
                        ..
                    }
                )
        })
        .map(Classified::short_id)
        .collect();
    if !read_by_paths.is_empty() {
        out.push(format!(
            "{} commit(s) no rule reads change shipped code and count as patches (low confidence): {}; `bumpwise explain` shows them, `bumpwise mark` corrects one",
            read_by_paths.len(),
            named(&read_by_paths)
        ));
    }
    for c in commits {
        for (file, why) in c.declared.iter().flat_map(|d| &d.malformed) {
            out.push(format!(
                "the change file {file} (commit {}) is malformed: {why}; it was not read",
                c.short_id()
            ));
        }
    }
    let doubtful: Vec<&str> = commits
        .iter()
        .filter(|c| c.possibly_breaking && !c.cancelled())
        .map(|c| c.commit.short_id())
        .collect();
    if !doubtful.is_empty() {
        out.push(format!(
            "{} commit(s) remove or rename something and may be breaking: {}; they count as features unless marked breaking",
            doubtful.len(),
            named(&doubtful)
        ));
    }
    if shallow {
        out.push(
            "this is a shallow clone; the range since the last release is complete".to_string(),
        );
    }
    out
}
