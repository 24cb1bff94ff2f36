//! The warnings a human must see before trusting a report.

use crate::classify::{Classified, Kind, Rule};
use crate::version::decide::{Decision, Request};
use crate::version::tag::{self, SkipReason};

use super::Summary;

/// When no tag is a release: how to fetch the tags, or the prefixes the tags do have.
pub fn no_release(selection: &tag::Selection, prefix: &str) -> Option<String> {
    if selection.tags_read == 0 {
        return Some(
            "there is no tag in this repository: if the project has released before, fetch its tags (`git fetch --tags`; in GitHub Actions `fetch-depth: 0` with `fetch-tags: true`); until then the initial version is proposed".to_string(),
        );
    }
    let mut prefixes: Vec<String> = Vec::new();
    for s in selection
        .skipped
        .iter()
        .filter(|s| s.reason == SkipReason::OtherPrefix)
    {
        if let tag::TagName::OtherPrefix(other) = tag::parse_tag(&s.name, prefix)
            && !prefixes.contains(&other)
        {
            prefixes.push(other);
        }
    }
    if prefixes.is_empty() {
        return None;
    }
    prefixes.sort();
    let shown: Vec<String> = prefixes.iter().take(5).map(|p| format!("`{p}`")).collect();
    let more = prefixes.len().saturating_sub(5);
    Some(format!(
        "no tag is a SemVer release behind the prefix `{prefix}`; the tags have the prefixes {}{}: give one with --tag-prefix (or tag_prefix in bumpwise.toml)",
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

/// How many commits a warning names; the rest are counted.
const NAMED: usize = 10;

/// The first ten of `ids` (or of any list of commits), and how many more there are.
pub fn named<S: AsRef<str>>(ids: &[S]) -> String {
    let mut text = ids[..ids.len().min(NAMED)]
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > NAMED {
        text.push_str(&format!(
            " and {} more (`bumpwise explain` lists them)",
            ids.len() - NAMED
        ));
    }
    text
}

/// Every warning for a range: unclassified commits, an under-bump asked for,
/// missing tags, possibly breaking commits, a shallow clone. `paths`: the
/// changed paths are evidence (`[evidence] paths`).
pub fn warnings(
    summary: &Summary,
    commits: &[Classified],
    decision: &Decision,
    request: &Request,
    skipped: &[tag::Skipped],
    shallow: bool,
    paths: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    if summary.unclassified > 0 {
        // `next` reads the paths of at most so many commits no rule read (see
        // `UNREAD_READ`); past it, it says so rather than count them as unmatched.
        let unread = commits
            .iter()
            .filter(|c| !c.cancelled() && c.kind == Kind::Unclassified && c.paths.is_none())
            .count();
        out.push(if paths && unread > crate::version::deciding::UNREAD_READ {
            format!(
                "{} of {} commits are unclassified: no rule matched their messages, and their changed paths were not read (more than {} such commits; `bumpwise explain` reads every commit's); the bump may be an under-estimate",
                summary.unclassified,
                summary.total,
                crate::version::deciding::UNREAD_READ
            )
        } else {
            format!(
                "{} of {} commits are unclassified (no rule matched); the bump may be an under-estimate: see `bumpwise explain`",
                summary.unclassified, summary.total
            )
        });
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
    let read_by_paths: Vec<_> = commits
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
    let doubtful: Vec<_> = commits
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

/// One warning per commit whose API changes break: what it removed or
/// changed, and what its message said instead (and when the message stood).
pub fn api(commits: &[Classified]) -> Vec<String> {
    let mut out = Vec::new();
    for c in commits.iter().filter(|c| !c.cancelled() && !c.excluded) {
        let Some(changes) = &c.api else { continue };
        let mut breaking = changes.iter().filter(|x| x.change.breaking());
        let Some(first) = breaking.next().map(|x| x.summary()) else {
            continue;
        };
        let more = match breaking.count() {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let (short, list) = (c.short_id(), "`bumpwise explain --api` lists every change");
        match &c.rule {
            Rule::Api { message, .. } => {
                let said = match message {
                    Kind::Unclassified => "its message does not say".to_string(),
                    said => format!("its message said {}", said.as_str()),
                };
                out.push(format!(
                    "{short} {first}{more}: a breaking change to the public API, though {said} ({list})"
                ));
            }
            _ if c.kind < Kind::Breaking => out.push(format!(
                "{short} {first}{more}: this breaks the public API, but the repository ships a binary its packages serve, so the commit stays a {}; if the API is what the version promises, `bumpwise mark {short} --kind breaking` ({list})",
                c.kind.as_str()
            )),
            _ => {}
        }
    }
    if out.len() > API_WARNINGS {
        let more = out.len() - API_WARNINGS;
        out.truncate(API_WARNINGS);
        out.push(format!(
            "… and {more} more commits break the public API (`bumpwise explain --api` lists every change)"
        ));
    }
    out
}

/// API warnings shown one per commit; the rest are counted.
const API_WARNINGS: usize = 10;

/// The warning naming `name`, a pre-release of `version` above the base
/// release `base`, with the flags that continue its line (`next` is the proposal).
pub fn pre_release_line(
    name: &str,
    version: &semver::Version,
    base: &str,
    next: &semver::Version,
) -> String {
    let stable = semver::Version::new(version.major, version.minor, version.patch);
    let id = version.pre.as_str().split('.').next().unwrap_or("rc");
    let flags = if stable == *next {
        format!("--pre {id} (without it, {next} graduates the line)")
    } else {
        format!("--release-as {stable} --pre {id} (the proposal is {next})")
    };
    format!(
        "{name} is a pre-release above {base} in HEAD's history: to continue its line, pass {flags}"
    )
}

/// The warning for what a Go module's path did to the decision (`next`: the proposal).
pub fn go_module(
    rule: &crate::version::decide::ModuleRule,
    module: &crate::version::decide::GoModule,
    next: Option<&semver::Version>,
    commits: &[Classified],
) -> Option<String> {
    use crate::version::decide::ModuleRule;
    let next = next?;
    let path = &module.head;
    Some(match rule {
        ModuleRule::Declared { major } => format!(
            "the Go module path moved to `{path}` in this range: that declares v{major}, so {next} is proposed"
        ),
        ModuleRule::Capped { wanted } => {
            let breaks: Vec<String> = commits
                .iter()
                .filter(|c| c.effective_kind() == Kind::Breaking)
                .map(|c| {
                    format!(
                        "{} ({})",
                        c.short_id(),
                        c.breaking.as_deref().unwrap_or(c.subject())
                    )
                })
                .collect();
            let major = wanted.major;
            let root = crate::evidence::gomod::root(path);
            format!(
                "the commits require {wanted}, but the Go module path `{path}` cannot release v{major} (a major above v1 is a new module path, `{root}/v{major}`): {next} is proposed, the largest release this module can make. The break: {}; revert it, or move the module to `{root}/v{major}` and release with `--release-as {major}.0.0`",
                named(&breaks)
            )
        }
    })
}

/// The line saying a proposal follows a habit learned from the project's releases.
pub fn habit(habit: &crate::version::habits::Habit) -> String {
    let shown: Vec<&String> = habit.releases.iter().rev().take(5).collect();
    let shown: Vec<&str> = shown.into_iter().rev().map(String::as_str).collect();
    format!(
        "following this project's habit: {} ({}{}); declared evidence is never lowered, and --no-habits applies the policy as written",
        habit.describe(),
        shown.join(", "),
        if habit.releases.len() > shown.len() {
            ", …"
        } else {
            ""
        }
    )
}

/// The warnings `next` gives about a range's commits, for notes built over
/// a range that has no report of its own (`changelog --latest`, `FROM..TO`,
/// `--all`): unclassified commits, shipped changes no rule read, possibly
/// breaking ones, API breaks.
pub fn of_commits(commits: &[Classified]) -> Vec<String> {
    let summary = Summary::of(commits);
    let decision = Decision {
        required: crate::version::decide::Level::None,
        bump: crate::version::decide::Level::None,
        next: None,
        decided_by: crate::version::decide::DecidedBy::Commits,
    };
    let mut out = warnings(
        &summary,
        commits,
        &decision,
        &Request::Commits,
        &[],
        false,
        true,
    );
    out.extend(api(commits));
    out
}
