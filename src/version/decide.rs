//! Deciding the next version from the base and the commits' kinds.
//!
//! Owns the versioning rule: which bump each kind earns under a policy, how a
//! bump changes a version, and what a human override may do. Pure functions
//! over plain values; no git, no I/O. Before 1.0 no policy ever produces a
//! major bump, so commit text alone never makes 1.0.0: that is a human decision
//! (`--release-as 1.0.0` or `--major`).

use semver::{BuildMetadata, Prerelease, Version};
use serde::{Deserialize, Serialize};

use crate::classify::{Classified, Kind};
use crate::error::{Error, Result};

/// How much a version moves, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// No release.
    None,
    /// `x.y.Z`.
    Patch,
    /// `x.Y.0`.
    Minor,
    /// `X.0.0`.
    Major,
}

impl Level {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

/// The versioning rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// The ContainerSSH release guide: before 1.0 breaking bumps the minor,
    /// from 1.0 the major; a feature bumps the minor; a fix the patch.
    #[default]
    Guide,
    /// Cargo's reading of SemVer: before 1.0 breaking bumps the minor and a
    /// feature the patch; in 0.0.x everything bumps the patch.
    Cargo,
    /// The one of the two the project's own past releases follow, as
    /// `bumpwise backtest` finds it; the guide's until it is resolved.
    Auto,
}

impl Policy {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Guide => "guide",
            Policy::Cargo => "cargo",
            Policy::Auto => "auto",
        }
    }

    /// The bump a commit of `kind` earns on top of `base`.
    pub fn level(self, base: &Version, kind: Kind) -> Level {
        match (self, base.major, base.minor, kind) {
            (_, _, _, Kind::Unclassified | Kind::None) => Level::None,
            (_, _, _, Kind::Fix) => Level::Patch,
            (Policy::Cargo, 0, 0, _) => Level::Patch,
            (Policy::Cargo, 0, _, Kind::Feature) => Level::Patch,
            (_, 0, _, Kind::Breaking | Kind::Feature) => Level::Minor,
            (_, _, _, Kind::Feature) => Level::Minor,
            (_, _, _, Kind::Breaking) => Level::Major,
        }
    }

    /// One line saying what the policy does at `base`.
    pub fn describe(self, base: &Version) -> String {
        let name = |kind| self.level(base, kind).as_str();
        format!(
            "{}: at {}.{}.x breaking → {}, feature → {}, fix → {}",
            self.as_str(),
            base.major,
            base.minor,
            name(Kind::Breaking),
            name(Kind::Feature),
            name(Kind::Fix)
        )
    }
}

/// Applies a bump: the bumped part goes up by one, the lower parts go to zero,
/// and pre-release and build metadata are dropped.
pub fn bump(base: &Version, level: Level) -> Version {
    let mut next = Version::new(base.major, base.minor, base.patch);
    match level {
        Level::None => return base.clone(),
        Level::Patch => next.patch += 1,
        Level::Minor => (next.minor, next.patch) = (next.minor + 1, 0),
        Level::Major => (next.major, next.minor, next.patch) = (next.major + 1, 0, 0),
    }
    next.pre = Prerelease::EMPTY;
    next.build = BuildMetadata::EMPTY;
    next
}

/// The bump that separates `from` and `to` (`to` greater than `from`).
pub fn distance(from: &Version, to: &Version) -> Level {
    if to.major != from.major {
        Level::Major
    } else if to.minor != from.minor {
        Level::Minor
    } else if to <= from {
        Level::None
    } else {
        Level::Patch
    }
}

/// What a human asked for, if anything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Request {
    /// Let the commits decide.
    #[default]
    Commits,
    /// Force this bump level.
    Level(Level),
    /// Release exactly this version.
    Exact(Version),
}

/// What decided the version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecidedBy {
    /// The commits since the base, under the policy.
    Commits,
    /// There is no release yet: the configured initial version.
    Initial,
    /// `--major`, `--minor` or `--patch`.
    Level,
    /// `--release-as`.
    ReleaseAs,
    /// Nothing in the range requires a release, but a release commit in it
    /// says one is being made: the least release, a patch.
    ReleaseCommit,
}

/// The decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// What the commits alone require under the policy.
    pub required: Level,
    /// How far the next version is from the base (`None` when nothing is released).
    pub bump: Level,
    /// The next version; `None` when nothing warrants a release.
    pub next: Option<Version>,
    /// What decided it.
    pub decided_by: DecidedBy,
}

/// Decides the next version.
///
/// With no base, the first release is `initial` (or what was requested, on top
/// of 0.0.0). With a base, the commits' highest kind picks the bump under
/// `policy`, unless a human asked for a level or an exact version.
///
/// # Errors
///
/// A usage error when `--release-as` is not greater than the base.
pub fn decide(
    base: Option<&Version>,
    initial: &Version,
    policy: Policy,
    kinds: impl IntoIterator<Item = Kind>,
    request: &Request,
) -> Result<Decision> {
    let zero = Version::new(0, 0, 0);
    let top = kinds.into_iter().max().unwrap_or(Kind::Unclassified);
    let required = policy.level(base.unwrap_or(&zero), top);
    let (next, decided_by) = match (base, request) {
        (_, Request::Exact(version)) => {
            if let Some(base) = base.filter(|b| version <= *b) {
                return Err(Error::usage(format!(
                    "--release-as {version} is not greater than the last release {base}; give a higher version"
                )));
            }
            (Some(version.clone()), DecidedBy::ReleaseAs)
        }
        (_, Request::Level(level)) => (Some(bump(base.unwrap_or(&zero), *level)), DecidedBy::Level),
        (None, Request::Commits) => (Some(initial.clone()), DecidedBy::Initial),
        (Some(_), Request::Commits) if required == Level::None => (None, DecidedBy::Commits),
        (Some(base), Request::Commits) => (Some(bump(base, required)), DecidedBy::Commits),
    };
    let bump = match &next {
        Some(next) => distance(base.unwrap_or(&zero), next),
        None => Level::None,
    };
    Ok(Decision {
        required,
        bump,
        next,
        decided_by,
    })
}

/// A range whose `commits` require no release but hold a release commit
/// (`Release 1.2.3`, `chore(release): prepare for v1.2.3`, see
/// [`Classified::is_release`]) is being released: its maintainers said so.
/// The least release, a patch, from `base`; the version the release commit
/// names is not read: the commits decide the bump.
pub fn release_commit(decision: &mut Decision, base: Option<&Version>, commits: &[Classified]) {
    if let (Some(base), None, DecidedBy::Commits) = (base, &decision.next, decision.decided_by)
        && commits.iter().any(Classified::is_release)
    {
        decision.next = Some(bump(base, Level::Patch));
        decision.bump = Level::Patch;
        decision.decided_by = DecidedBy::ReleaseCommit;
    }
}

/// A Go module's path (`go.mod`) at HEAD and at the base release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoModule {
    /// The module path at HEAD.
    pub head: String,
    /// The module path at the base release, when it had a `go.mod`.
    pub base: Option<String>,
}

/// What a Go module's path did to a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleRule {
    /// The commits require a major the path does not allow: the minor, the
    /// largest release the module can make, instead of `wanted`.
    Capped {
        /// What the commits alone would have released.
        wanted: Version,
    },
    /// The path moved to `/vN` in the range: declared evidence of that major.
    Declared {
        /// The major the new path is for.
        major: u64,
    },
}

/// Applies Go's module rule to a decision the commits made (a human's
/// `--release-as` or level stands; `check` says when it cannot be released):
/// a major above v1 needs the module path to end in `/vN` for that N. A path
/// that moves to `/vN` in the range declares that major (from 1.0 on: 0.x to
/// a major is a human decision); a major the path does not allow becomes the
/// minor.
pub fn go_module(
    decision: &mut Decision,
    base: Option<&Version>,
    module: &GoModule,
    request: &Request,
) -> Option<ModuleRule> {
    use crate::evidence::gomod::{allows, path_major};
    let base = base.filter(|b| b.major >= 1 && *request == Request::Commits)?;
    let head_major = path_major(&module.head).unwrap_or(1);
    let base_major = match &module.base {
        Some(path) => path_major(path).unwrap_or(1),
        None => base.major,
    };
    if head_major > base.major && head_major != base_major {
        let next = Version::new(head_major, 0, 0);
        (decision.required, decision.bump) = (Level::Major, Level::Major);
        decision.next = Some(next);
        decision.decided_by = DecidedBy::Commits;
        return Some(ModuleRule::Declared { major: head_major });
    }
    let wanted = decision.next.clone()?;
    if wanted.major == base.major || allows(&module.head, wanted.major) {
        return None;
    }
    (decision.required, decision.bump) = (Level::Minor, Level::Minor);
    decision.next = Some(bump(base, Level::Minor));
    Some(ModuleRule::Capped { wanted })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn guide_policy_before_and_after_one() {
        let guide = Policy::Guide;
        assert_eq!(guide.level(&v("0.6.0"), Kind::Breaking), Level::Minor);
        assert_eq!(guide.level(&v("0.6.0"), Kind::Feature), Level::Minor);
        assert_eq!(guide.level(&v("0.6.0"), Kind::Fix), Level::Patch);
        assert_eq!(guide.level(&v("1.2.0"), Kind::Breaking), Level::Major);
        assert_eq!(guide.level(&v("1.2.0"), Kind::Feature), Level::Minor);
    }

    #[test]
    fn cargo_policy_shifts_before_one() {
        let cargo = Policy::Cargo;
        assert_eq!(cargo.level(&v("0.6.0"), Kind::Breaking), Level::Minor);
        assert_eq!(cargo.level(&v("0.6.0"), Kind::Feature), Level::Patch);
        assert_eq!(cargo.level(&v("0.0.3"), Kind::Breaking), Level::Patch);
        assert_eq!(cargo.level(&v("2.0.0"), Kind::Breaking), Level::Major);
    }

    #[test]
    fn bump_resets_lower_parts_and_drops_metadata() {
        assert_eq!(bump(&v("1.2.3-rc.1+b5"), Level::Minor), v("1.3.0"));
        assert_eq!(bump(&v("1.2.3"), Level::Major), v("2.0.0"));
        assert_eq!(bump(&v("1.2.3+b"), Level::Patch), v("1.2.4"));
    }

    #[test]
    fn release_as_must_be_greater() {
        let err = decide(
            Some(&v("0.6.0")),
            &v("0.1.0"),
            Policy::Guide,
            [],
            &Request::Exact(v("0.6.0")),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not greater"), "{err}");
    }
}

/// The next pre-release of `next` with identifier `id`: `id.1`, or one past the
/// highest `id.N` already tagged for the same version. Changing identifier
/// moves on (`beta.3` → `rc.1`) but never backwards: the result is above every
/// pre-release of `next` that exists.
///
/// # Errors
///
/// A usage error when `id` is not a SemVer identifier, or when it would go
/// backwards (e.g. `beta` after `rc.1`).
pub fn pre_release(next: &Version, id: &str, existing: &[Version]) -> Result<Version> {
    let same: Vec<&Version> = existing
        .iter()
        .filter(|v| {
            (v.major, v.minor, v.patch) == (next.major, next.minor, next.patch) && !v.pre.is_empty()
        })
        .collect();
    let number = same
        .iter()
        .filter_map(|v| {
            let (head, n) = v.pre.as_str().rsplit_once('.')?;
            (head == id).then(|| n.parse::<u64>().ok()).flatten()
        })
        .max()
        .unwrap_or(0);
    let pre = Prerelease::new(&format!("{id}.{}", number + 1)).map_err(|e| {
        Error::usage(format!(
            "--pre `{id}` is not a SemVer pre-release identifier ({e}); use e.g. rc"
        ))
    })?;
    let candidate = Version {
        pre,
        build: BuildMetadata::EMPTY,
        ..Version::new(next.major, next.minor, next.patch)
    };
    if let Some(highest) = same.iter().max().filter(|h| ***h >= candidate) {
        return Err(Error::usage(format!(
            "{candidate} would not be above {highest}, which is tagged already; use an identifier that sorts after it"
        )));
    }
    Ok(candidate)
}

/// Applies `--pre` and `--build` to the decided version `next`: a pre-release
/// numbered after those of the same version in `tagged`, and build metadata.
///
/// # Errors
///
/// A usage error when the identifier or the metadata is not SemVer, or the
/// pre-release would go backwards.
pub fn shape(
    next: &mut Version,
    pre: Option<&str>,
    build: Option<&str>,
    tagged: &[Version],
) -> Result<()> {
    if let Some(id) = pre {
        *next = pre_release(next, id, tagged)?;
    }
    if let Some(meta) = build {
        next.build = BuildMetadata::new(meta).map_err(|e| {
            Error::usage(format!(
                "--build `{meta}` is not SemVer build metadata ({e}); use e.g. 20260101.1"
            ))
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod pre_release_tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn numbering_and_moving_on() {
        let next = v("1.3.0");
        assert_eq!(pre_release(&next, "rc", &[]).unwrap(), v("1.3.0-rc.1"));
        let tagged = [
            v("1.3.0-rc.1"),
            v("1.3.0-rc.2"),
            v("1.2.0-rc.9"),
            v("1.3.0-beta.3"),
        ];
        assert_eq!(pre_release(&next, "rc", &tagged).unwrap(), v("1.3.0-rc.3"));
        assert_eq!(
            pre_release(&next, "rc", &[v("1.3.0-beta.3")]).unwrap(),
            v("1.3.0-rc.1")
        );
        assert!(pre_release(&next, "beta", &[v("1.3.0-rc.1")]).is_err());
        assert!(pre_release(&next, "r c", &[]).is_err());
    }
}
