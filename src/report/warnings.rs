//! The warnings a human must see before trusting a report.

use crate::classify::Classified;
use crate::version::decide::{Decision, Request};
use crate::version::tag::{self, SkipReason};

use super::Summary;

/// How many possibly breaking commits a warning names; the rest are counted.
const DOUBTFUL_NAMED: usize = 10;

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
    let doubtful: Vec<&str> = commits
        .iter()
        .filter(|c| c.possibly_breaking && !c.cancelled())
        .map(|c| c.commit.short_id())
        .collect();
    if !doubtful.is_empty() {
        let mut named = doubtful[..doubtful.len().min(DOUBTFUL_NAMED)].join(", ");
        if doubtful.len() > DOUBTFUL_NAMED {
            named.push_str(&format!(
                " and {} more (`bumpwise explain` lists them)",
                doubtful.len() - DOUBTFUL_NAMED
            ));
        }
        out.push(format!(
            "{} commit(s) remove or rename something and may be breaking: {named}; they count as features unless marked breaking",
            doubtful.len(),
        ));
    }
    if shallow {
        out.push(
            "this is a shallow clone; the range since the last release is complete".to_string(),
        );
    }
    out
}
