//! Release notes as data: sections of entries, one release or many.
//!
//! Owns which section a commit belongs to, the order of sections, grouping by
//! scope, and the references (`#N`) an entry carries. Built from the
//! classified commits, so any range the pipeline can classify can become notes.
//! Cancelled revert pairs appear nowhere; squash-merge bodies are never
//! exploded into entries (only the commit's own header is used).

use serde::Serialize;

use crate::config::{DEFAULT_TITLES, SECTION_NAMES, Sections};

use semver::Version;

use crate::classify::{Classified, Kind, Rule};
use crate::notes::links::Links;
use crate::version::tag::ReleaseTag;

/// Release notes for one or more releases, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct Changelog {
    /// The shape's version.
    pub schema_version: u32,
    /// The releases, newest first.
    pub releases: Vec<Release>,
    /// What a human should know before publishing them, as `next` says it
    /// (printed on stderr, not part of the notes).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// What a release section is headed with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// The version, or `None` for changes not yet released under a version.
    pub version: Option<Version>,
    /// The tag (existing, or proposed).
    pub tag: Option<String>,
    /// `YYYY-MM-DD`: the release commit's date, or today for a proposed release.
    pub date: Option<String>,
}

impl Heading {
    /// A release that is tagged: its version, its tag, its commit's date.
    pub fn tagged(tag: &ReleaseTag) -> Heading {
        Heading {
            version: Some(tag.tag.version.clone()),
            tag: Some(tag.name.clone()),
            date: Some(civil_date(tag.time)),
        }
    }

    /// A proposed release (or, with no version, changes nothing releases),
    /// dated `today` when there is a version.
    pub fn proposed(version: Option<Version>, tag: Option<String>, today: &str) -> Heading {
        Heading {
            date: version.is_some().then(|| today.to_string()),
            version,
            tag,
        }
    }
}

/// One release's notes.
#[derive(Debug, Clone, Serialize)]
pub struct Release {
    /// The heading.
    #[serde(flatten)]
    pub heading: Heading,
    /// Non-empty sections, in the fixed order.
    pub sections: Vec<Section>,
    /// What `next` would warn about these commits (not part of the notes).
    #[serde(skip)]
    pub warnings: Vec<String>,
    /// The release before it (its tag), when known (for templates).
    #[serde(skip)]
    pub previous: Option<String>,
}

/// The sections, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Breaking changes, with their descriptions.
    Breaking,
    /// Deprecations.
    Deprecations,
    /// Features.
    Features,
    /// Fixes.
    Fixes,
    /// Changes to shipped code no rule names: patches by their paths.
    Changes,
    /// Security fixes.
    Security,
    /// Dependency updates.
    Dependencies,
    /// Changes without release impact (only when asked for).
    Other,
    /// Commits no rule classified: listed so nothing disappears.
    Unclassified,
}

impl SectionKind {
    /// Its name in `[changelog.sections]` ([`SECTION_NAMES`], in this order).
    pub fn key(self) -> &'static str {
        SECTION_NAMES[self as usize].0
    }

    /// The section's default heading.
    pub fn title(self) -> &'static str {
        DEFAULT_TITLES[self as usize]
    }
}

/// A section of entries.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Which section.
    pub kind: SectionKind,
    /// Its heading.
    pub title: String,
    /// The entries, grouped by scope (unscoped first).
    pub entries: Vec<Entry>,
}

/// One line of release notes.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The conventional scope, if any.
    pub scope: Option<String>,
    /// What changed (untrusted commit text: escape before rendering).
    pub text: String,
    /// More: the breaking-change description, or the replacement of a deprecation.
    pub detail: Option<String>,
    /// The full commit id.
    pub commit: String,
    /// The commit's page, when links are known.
    pub commit_url: Option<String>,
    /// `#N` references in the text.
    pub references: Vec<Reference>,
    /// The message follows Conventional Commits (for templates).
    #[serde(skip)]
    pub conventional: bool,
    /// The author's name, when the message was kept (for templates).
    #[serde(skip)]
    pub author: String,
}

/// An issue or pull request reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The number.
    pub number: u64,
    /// Its page, when links are known.
    pub url: Option<String>,
}

/// The section a commit belongs to; `None` when it belongs to none (a
/// cancelled revert pair, or no release impact without `include_other`).
pub fn section_of(c: &Classified, include_other: bool) -> Option<SectionKind> {
    if c.cancelled() || c.excluded {
        return None;
    }
    Some(match c.kind {
        Kind::Breaking => SectionKind::Breaking,
        _ if c.deprecation.is_some() => SectionKind::Deprecations,
        _ if c.security => SectionKind::Security,
        Kind::Feature => SectionKind::Features,
        Kind::Fix if c.dependency => SectionKind::Dependencies,
        Kind::Fix
            if matches!(
                c.rule,
                Rule::ShippedCode {
                    message: Kind::Unclassified,
                    ..
                }
            ) =>
        {
            SectionKind::Changes
        }
        Kind::Fix => SectionKind::Fixes,
        Kind::None if include_other => SectionKind::Other,
        Kind::None => return None,
        Kind::Unclassified => SectionKind::Unclassified,
    })
}

/// Builds one release's notes from its commits (newest first).
pub fn release(
    commits: &[Classified],
    heading: Heading,
    include_other: bool,
    (links, settings): (&Links, &Sections),
) -> Release {
    let mut sections: Vec<Section> = Vec::new();
    for c in commits {
        let Some(kind) = section_of(c, include_other) else {
            continue;
        };
        let entry = entry(c, kind, links);
        match sections.iter_mut().find(|s| s.kind == kind) {
            Some(section) => section.entries.push(entry),
            None => sections.push(Section {
                kind,
                title: kind.title().to_string(),
                entries: vec![entry],
            }),
        }
    }
    // The configured order, then the default one; hidden sections left out.
    sections.retain(|s| settings.get(s.kind.key()).and_then(|x| x.hidden) != Some(true));
    sections.sort_by_key(|s| {
        let default = s.kind as i64 + 1;
        let order = settings.get(s.kind.key()).and_then(|x| x.order);
        (order.unwrap_or(default), s.kind)
    });
    for section in &mut sections {
        if let Some(title) = settings
            .get(section.kind.key())
            .and_then(|x| x.title.clone())
        {
            section.title = title;
        }
        // Stable: within a scope the walk order is kept.
        section.entries.sort_by(|a, b| a.scope.cmp(&b.scope));
    }
    Release {
        heading,
        sections,
        warnings: Vec::new(),
        previous: None,
    }
}

/// For the merge of a pull request (`Merge pull request #N from user/branch`,
/// its title in the body): what the title says, with `(#N)`, rather than the
/// branch's name.
fn pull_request_line(c: &Classified) -> Option<String> {
    let title = crate::evidence::message::pull_request(&c.commit)?;
    let number = c
        .subject()
        .strip_prefix("Merge pull request #")?
        .split(|ch: char| !ch.is_ascii_digit())
        .next()
        .filter(|n| !n.is_empty())?;
    let said = match &title.conventional {
        Some(h) if !h.description.is_empty() => &*h.description,
        _ => &*title.subject,
    };
    let tag = format!("#{number}");
    Some(match said.contains(&tag) {
        true => said.to_string(),
        false => format!("{said} ({tag})"),
    })
}

fn entry(c: &Classified, kind: SectionKind, links: &Links) -> Entry {
    let (text, detail) = match (kind, &c.deprecation) {
        (SectionKind::Deprecations, Some(d)) => (
            d.what.clone(),
            d.replacement.as_ref().map(|r| format!("use {r} instead")),
        ),
        (SectionKind::Breaking, _) => (
            c.description().to_string(),
            c.breaking
                .as_deref()
                .filter(|b| *b != c.description())
                .map(str::to_string),
        ),
        _ => (
            pull_request_line(c).unwrap_or_else(|| c.description().to_string()),
            None,
        ),
    };
    let references = references(&text)
        .into_iter()
        .map(|number| Reference {
            number,
            url: links.issue(number),
        })
        .collect();
    Entry {
        scope: c.scope().map(str::to_string),
        text,
        detail,
        commit_url: links.commit(&c.id()),
        commit: c.id().to_string(),
        references,
        conventional: c.conventional_type().is_some(),
        author: c
            .commit
            .author()
            .split(" <")
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// The numbers of `#N` references in `text`, in order, without repeats.
pub fn references(text: &str) -> Vec<u64> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, _) in text.match_indices('#') {
        let digits: String = text[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let word_before = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'&');
        if word_before || digits.is_empty() || digits.len() > 12 {
            continue;
        }
        if let Ok(n) = digits.parse::<u64>()
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    out
}

/// The UTC calendar date (`YYYY-MM-DD`) of a Unix time.
pub fn civil_date(unix_seconds: i64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let days = unix_seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The Unix time of midnight UTC on a `YYYY-MM-DD` day: [`civil_date`]'s
/// inverse. `None` for a year outside 0–9999, a month outside 1–12 or a day
/// outside 1–31 (a day a month lacks, `2026-02-30`, reads as the next month's:
/// compare with [`civil_date`] to refuse it).
pub fn unix_time(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(0..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days-from-civil algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_whole_numbers_after_a_hash() {
        assert_eq!(references("Fixes #33: add (#666) and #33 again"), [33, 666]);
        assert_eq!(
            references("C# and &#123; and issue#5 and # 7"),
            Vec::<u64>::new()
        );
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(951_782_400), "2000-02-29");
        assert_eq!(civil_date(1_795_478_400), "2026-11-24");
        assert_eq!(civil_date(-86_400), "1969-12-31");
        for seconds in [0, 951_782_400, 1_795_478_400, -86_400] {
            assert_eq!(unix_time(&civil_date(seconds)), Some(seconds));
        }
        assert_eq!(unix_time("not a date"), None);
        // Bounded: no arithmetic on a year a calendar does not hold.
        for wild in [
            "99999999999999999-01-01",
            "2026-13-01",
            "2026-0-01",
            "2026-01-32",
            "-5-01-01",
        ] {
            assert_eq!(unix_time(wild), None, "{wild}");
        }
    }
}
