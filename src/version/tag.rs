//! Tag names as SemVer versions, and the choice of the last release.
//!
//! Owns the rules for which tag is the base release: parsed as SemVer (never
//! sorted as strings or by date), highest stable version first, reachable from
//! HEAD. It reads no git itself: reachability is asked of a callback, and only
//! for as many candidates as it takes to find the base, so repositories with
//! thousands of tags cost one parse per name and a handful of ancestry checks.

use semver::Version;
use serde::Serialize;

use crate::history::Tagged;

/// A tag name understood as a version: `{prefix}{v?}{version}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagVersion {
    /// The version the tag names.
    pub version: Version,
    /// Whether a `v` stood between the configured prefix and the version.
    pub v: bool,
}

/// What a tag name turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagName {
    /// A SemVer version behind the configured prefix.
    Version(TagVersion),
    /// A SemVer version behind some other prefix (another package's tag).
    OtherPrefix(String),
    /// Not a SemVer version at all.
    NotSemver,
}

/// Parses a tag name (without `refs/tags/`) against the configured prefix.
///
/// The `v` after the prefix is optional, so `v1.2.3` and `1.2.3` both match
/// the empty prefix. Versions are strict SemVer 2.0.0: `v1.2`, `v01.2.3` and
/// `V1.2.3` are not versions.
pub fn parse_tag(name: &str, prefix: &str) -> TagName {
    if let Some(rest) = name.strip_prefix(prefix)
        && let Some(tag) = parse_version(rest)
    {
        return TagName::Version(tag);
    }
    // Find a shorter or different prefix in front of a valid version, to tell
    // "another package's tag" from "not a version". Only positions where a
    // number starts are tried.
    let bytes = name.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        let starts_number =
            b.is_ascii_digit() && i > 0 && !bytes[i - 1].is_ascii_digit() && bytes[i - 1] != b'.';
        if starts_number && Version::parse(&name[i..]).is_ok() {
            return TagName::OtherPrefix(name[..i].to_string());
        }
    }
    TagName::NotSemver
}

fn parse_version(rest: &str) -> Option<TagVersion> {
    let (v, number) = match rest.strip_prefix('v') {
        Some(number) => (true, number),
        None => (false, rest),
    };
    Version::parse(number)
        .ok()
        .map(|version| TagVersion { version, v })
}

/// The one prefix the release tags among `names` share, when none is plain
/// SemVer (`v` optional) and every stable version is behind that same prefix
/// (`mytool-v0.3.1` and `mytool-0.4.0` share `mytool-`); `None` when any tag
/// is plain, when there is no such tag, or when the prefixes differ.
pub fn one_prefix(names: &[String]) -> Option<String> {
    let mut found: Option<String> = None;
    for name in names {
        match parse_tag(name, "") {
            TagName::Version(t) if t.version.pre.is_empty() => return None,
            TagName::OtherPrefix(prefix) => {
                let rest = &name[prefix.len()..];
                if Version::parse(rest).is_ok_and(|v| !v.pre.is_empty()) {
                    continue;
                }
                // The `v` before the number is the optional one.
                let prefix = prefix
                    .strip_suffix('v')
                    .filter(|p| !p.is_empty())
                    .unwrap_or(&prefix);
                if !is_safe_prefix(prefix) {
                    continue;
                }
                match &found {
                    None => found = Some(prefix.to_string()),
                    Some(other) if other == prefix => {}
                    Some(_) => return None,
                }
            }
            _ => {}
        }
    }
    found
}

/// Whether `prefix` holds only the characters a tag prefix needs (letters,
/// digits and `.`, `_`, `/`, `@`, `+`, `-`; not starting with `-`): a tag
/// behind any other prefix is no release tag, so no shell, runner or file
/// that receives a tag name bumpwise proposes can be made to run anything.
pub fn is_safe_prefix(prefix: &str) -> bool {
    !prefix.starts_with('-')
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/@+-".contains(c))
}

/// Formats the tag for `version` in the given style.
pub fn format_tag(prefix: &str, v: bool, version: &Version) -> String {
    format!("{prefix}{}{version}", if v { "v" } else { "" })
}

/// Where a candidate tag's commit stands relative to HEAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// HEAD is this commit or one of its descendants; carries the commit id.
    Reachable(String),
    /// HEAD does not contain the tagged commit.
    Unreachable,
    /// The tag points at a tree or a blob, not a commit.
    NotACommit,
    /// The tagged object is not in the repository (e.g. cut by a shallow clone).
    Missing,
}

/// Why a tag was not chosen as the base release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The name is not a SemVer version.
    NotSemver,
    /// A version behind a prefix other than the configured one.
    OtherPrefix,
    /// A pre-release version never serves as base.
    PreRelease,
    /// The tagged commit is not an ancestor of HEAD.
    Unreachable,
    /// The tag points at a tree or a blob.
    NotACommit,
    /// The tagged object is missing from the repository.
    Missing,
}

impl SkipReason {
    /// A short human explanation.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::NotSemver => "not SemVer",
            SkipReason::OtherPrefix => "other prefix",
            SkipReason::PreRelease => "pre-release",
            SkipReason::Unreachable => "not reachable from HEAD",
            SkipReason::NotACommit => "does not point at a commit",
            SkipReason::Missing => "tagged object missing",
        }
    }
}

/// A tag that was passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The tag name without `refs/tags/`.
    pub name: String,
    /// Why it was not the base.
    pub reason: SkipReason,
    /// The version it names, when it names one.
    pub version: Option<Version>,
}

/// The chosen base release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// The tag name without `refs/tags/`.
    pub name: String,
    /// The version and its style.
    pub tag: TagVersion,
    /// The commit the tag points at.
    pub commit: String,
}

/// The outcome of choosing the base release among a repository's tags.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// The highest stable version reachable from HEAD, if any.
    pub base: Option<Base>,
    /// Tags passed over that could otherwise have been the base: every tag
    /// that is not a version of this prefix, and every version above the base.
    /// Versions below the base are older releases and are not listed.
    pub skipped: Vec<Skipped>,
    /// How many tag names were read.
    pub tags_read: usize,
}

/// Chooses the base release among `names`: the highest stable SemVer version
/// behind `prefix` whose commit `reach` says is reachable from HEAD.
///
/// `reach` is called for stable candidates only, highest first, and no more
/// after the first reachable one.
///
/// # Errors
///
/// Whatever `reach` returns.
pub fn select_base<E>(
    names: impl IntoIterator<Item = String>,
    prefix: &str,
    mut reach: impl FnMut(&str) -> Result<Reach, E>,
) -> Result<Selection, E> {
    let mut selection = Selection::default();
    let mut stable: Vec<(TagVersion, String)> = Vec::new();
    let mut pre: Vec<(Version, String)> = Vec::new();
    for name in names {
        selection.tags_read += 1;
        match parse_tag(&name, prefix) {
            TagName::Version(tag) if tag.version.pre.is_empty() => stable.push((tag, name)),
            TagName::Version(tag) => pre.push((tag.version, name)),
            TagName::OtherPrefix(_) => {
                selection
                    .skipped
                    .push(skipped(name, SkipReason::OtherPrefix, None))
            }
            TagName::NotSemver => {
                selection
                    .skipped
                    .push(skipped(name, SkipReason::NotSemver, None))
            }
        }
    }
    // Highest version first; for one version in several styles (`1.0.0`, `v1.0.0`) the `v`
    // style first (it is also the style of a first release), then by name, for a stable order.
    stable.sort_by(|(a, an), (b, bn)| {
        b.version
            .cmp(&a.version)
            .then_with(|| b.v.cmp(&a.v))
            .then_with(|| an.cmp(bn))
    });
    for (tag, name) in stable {
        if selection.base.is_some() {
            break;
        }
        let reason = match reach(&name)? {
            Reach::Reachable(commit) => {
                selection.base = Some(Base { name, tag, commit });
                continue;
            }
            Reach::Unreachable => SkipReason::Unreachable,
            Reach::NotACommit => SkipReason::NotACommit,
            Reach::Missing => SkipReason::Missing,
        };
        selection
            .skipped
            .push(skipped(name, reason, Some(tag.version)));
    }
    let floor = selection.base.as_ref().map(|b| &b.tag.version);
    for (version, name) in pre {
        if floor.is_none_or(|floor| &version > floor) {
            selection
                .skipped
                .push(skipped(name, SkipReason::PreRelease, Some(version)));
        }
    }
    selection
        .skipped
        .sort_by(|a, b| b.version.cmp(&a.version).then_with(|| a.name.cmp(&b.name)));
    Ok(selection)
}

/// A stable release tag, with its commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseTag {
    /// The tag name.
    pub name: String,
    /// Its version and style.
    pub tag: TagVersion,
    /// The tagged commit's full id.
    pub commit: String,
    /// The tagged commit's time (seconds since the epoch, UTC).
    pub time: i64,
}

/// The tag of `tags` a new tag `name` for `version` would collide with:
/// `name` itself, else another tag of the same version behind `prefix`
/// (`1.2.0` beside `v1.2.0`).
pub fn collision<'t>(
    tags: &'t [String],
    name: &str,
    version: &semver::Version,
    prefix: &str,
) -> Option<&'t str> {
    let same = |t: &&String| matches!(parse_tag(t, prefix), TagName::Version(other) if other.version == *version);
    tags.iter()
        .find(|t| *t == name)
        .or_else(|| tags.iter().find(same))
        .map(String::as_str)
}

/// Whether `name` is a stable release tag behind `prefix`.
pub fn is_release(name: &str, prefix: &str) -> bool {
    matches!(parse_tag(name, prefix), TagName::Version(v) if v.version.pre.is_empty())
}

/// The stable release tags behind `prefix` among `tagged`, lowest version
/// first, one tag per version. Reachability is the caller's to decide.
pub fn releases(tagged: Vec<Tagged>, prefix: &str) -> Vec<ReleaseTag> {
    let mut out: Vec<ReleaseTag> = tagged
        .into_iter()
        .filter_map(|t| match parse_tag(&t.name, prefix) {
            TagName::Version(tag) if tag.version.pre.is_empty() => Some(ReleaseTag {
                name: t.name,
                tag,
                commit: t.commit,
                time: t.time,
            }),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| {
        a.tag
            .version
            .cmp(&b.tag.version)
            .then_with(|| a.name.cmp(&b.name))
    });
    out.dedup_by(|b, a| a.tag.version == b.tag.version);
    out
}

fn skipped(name: String, reason: SkipReason, version: Option<Version>) -> Skipped {
    Skipped {
        name,
        reason,
        version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn v_is_optional_and_recorded() {
        assert_eq!(
            parse_tag("v0.4.0", ""),
            TagName::Version(TagVersion {
                version: v("0.4.0"),
                v: true
            })
        );
        assert_eq!(
            parse_tag("0.3.1", ""),
            TagName::Version(TagVersion {
                version: v("0.3.1"),
                v: false
            })
        );
    }

    #[test]
    fn almost_semver_is_not_a_version() {
        for name in [
            "v1.2",
            "1.2.3.4",
            "v01.2.3",
            "v1.2.3-",
            "v99999999999999999999.0.0",
            "latest",
        ] {
            assert_eq!(parse_tag(name, ""), TagName::NotSemver, "{name}");
        }
        // One prefix is found when no release tag is plain and all share it.
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            one_prefix(&names(&[
                "mytool-v0.3.1",
                "mytool-0.4.0",
                "mytool-v0.5.0-rc.1",
                "nightly"
            ])),
            Some("mytool-".into())
        );
        assert_eq!(one_prefix(&names(&["lib-v1.0.0", "mytool-v0.3.1"])), None);
        assert_eq!(one_prefix(&names(&["v1.0.0", "mytool-v0.3.1"])), None);
        assert_eq!(one_prefix(&names(&["nightly", "other-v2.0.0-rc.1"])), None);
        assert_eq!(one_prefix(&names(&["V1.2.3"])), Some("V".into()));
        // Tag names are case-sensitive: `V` is some other prefix, not the optional `v`.
        assert_eq!(parse_tag("V1.2.3", ""), TagName::OtherPrefix("V".into()));
    }

    #[test]
    fn other_prefixes_are_told_apart() {
        assert_eq!(
            parse_tag("auth-v1.0.0", ""),
            TagName::OtherPrefix("auth-v".into())
        );
        assert_eq!(
            parse_tag("v1.0.0", "auth-"),
            TagName::OtherPrefix("v".into())
        );
        assert!(matches!(
            parse_tag("auth-v1.0.0", "auth-"),
            TagName::Version(_)
        ));
    }

    #[test]
    fn the_v_style_wins_a_tie() {
        let names = ["0.1.4", "v0.1.4", "0.1.3"].map(String::from);
        let selection = select_base(names, "", |name| {
            Ok::<_, ()>(Reach::Reachable(name.to_string()))
        })
        .unwrap();
        assert_eq!(selection.base.unwrap().name, "v0.1.4");
    }

    #[test]
    fn format_round_trips() {
        assert_eq!(format_tag("auth-", true, &v("1.2.3")), "auth-v1.2.3");
        assert_eq!(format_tag("", false, &v("0.3.1")), "0.3.1");
    }
}
