//! The images repository's `build.yaml`: which image tags each release is pushed as.
//!
//! Owns proposing the next content of a file shaped like ContainerSSH's:
//!
//! ```yaml
//! revision: 20250119
//! versions:
//!   v0.6.0:
//!     - latest
//!     - v0.6
//!     - v0.6.0
//! ```
//!
//! A new release gets a key with its own tag and its `vX.Y` alias (moved from
//! the older patch of that minor); `latest` moves to it when it is the highest
//! version; `revision` becomes the day's date. The file is edited line by line,
//! so comments and keys bumpwise does not know are kept as they are.

use semver::Version;

/// What a release changes in `build.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The file's new content.
    pub content: String,
    /// The image tags the release is pushed as, e.g. `latest`, `v0.6`, `v0.6.1`.
    pub image_tags: Vec<String>,
}

fn parse_key(line: &str) -> Option<Version> {
    let key = line.strip_prefix("  ")?.strip_suffix(':')?.trim();
    if line.starts_with("   ") {
        return None;
    }
    Version::parse(key.trim_start_matches('v')).ok()
}

/// Whether `build.yaml` already has an entry for `tag`.
pub fn has_release(text: &str, tag: &str) -> bool {
    text.lines().any(|l| l.trim_end() == format!("  {tag}:"))
}

/// The content of `build.yaml` with `tag` (version `version`) added, `revision`
/// set to `date` (`YYYYMMDD`), and the `latest` and `vX.Y` aliases moved. `None`
/// when the file has no `versions:` section, or already has the release.
pub fn propose(text: &str, tag: &str, version: &Version, date: &str) -> Option<Proposal> {
    if has_release(text, tag) {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let versions_at = lines.iter().position(|l| l.trim_end() == "versions:")?;
    let existing: Vec<Version> = lines.iter().filter_map(|l| parse_key(l)).collect();
    let is_latest = existing.iter().all(|v| v < version);
    let alias = format!("v{}.{}", version.major, version.minor);
    let newest_of_minor = existing
        .iter()
        .filter(|v| (v.major, v.minor) == (version.major, version.minor))
        .all(|v| v < version);
    let mut image_tags = Vec::new();
    if is_latest {
        image_tags.push("latest".to_string());
    }
    if newest_of_minor {
        image_tags.push(alias.clone());
    }
    image_tags.push(tag.to_string());
    let moved = |item: &str| (is_latest && item == "latest") || (newest_of_minor && item == alias);
    let mut out: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(value) = line.strip_prefix("revision:") {
            let comment = value
                .find('#')
                .map(|at| format!(" {}", value[at..].trim()))
                .unwrap_or_default();
            out.push(format!("revision: {date}{comment}"));
            continue;
        }
        let item = line.trim_start().strip_prefix("- ").map(str::trim);
        if i > versions_at && line.starts_with("    - ") && item.is_some_and(moved) {
            continue;
        }
        out.push((*line).to_string());
        if i == versions_at {
            out.push(format!("  {tag}:"));
            out.extend(image_tags.iter().map(|t| format!("    - {t}")));
        }
    }
    let mut content = out.join("\n");
    if text.ends_with('\n') {
        content.push('\n');
    }
    Some(Proposal {
        content,
        image_tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILD: &str = "# Images built for each release.\nrevision: 20250119 # the build date\nversions:\n  v0.6.0:\n    - latest\n    - v0.6\n    - v0.6.0\n  v0.5.2:\n    - v0.5\n    - v0.5.2\nregistries:\n  - ghcr.io\n";

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn a_patch_release_takes_latest_and_its_alias() {
        let p = propose(BUILD, "v0.6.1", &v("0.6.1"), "20261124").unwrap();
        assert_eq!(p.image_tags, ["latest", "v0.6", "v0.6.1"]);
        assert_eq!(
            p.content,
            "# Images built for each release.\nrevision: 20261124 # the build date\nversions:\n  v0.6.1:\n    - latest\n    - v0.6\n    - v0.6.1\n  v0.6.0:\n    - v0.6.0\n  v0.5.2:\n    - v0.5\n    - v0.5.2\nregistries:\n  - ghcr.io\n"
        );
        assert!(propose(&p.content, "v0.6.1", &v("0.6.1"), "20261124").is_none());
    }

    #[test]
    fn a_minor_release_keeps_the_old_alias_where_it_is() {
        let p = propose(BUILD, "v0.7.0", &v("0.7.0"), "20261124").unwrap();
        assert_eq!(p.image_tags, ["latest", "v0.7", "v0.7.0"]);
        assert!(
            p.content.contains("  v0.6.0:\n    - v0.6\n    - v0.6.0\n"),
            "{}",
            p.content
        );
    }

    #[test]
    fn a_maintenance_release_does_not_take_latest() {
        let p = propose(BUILD, "v0.5.3", &v("0.5.3"), "20261124").unwrap();
        assert_eq!(p.image_tags, ["v0.5", "v0.5.3"]);
        assert!(
            p.content.contains("  v0.6.0:\n    - latest\n")
                && p.content.contains("  v0.5.2:\n    - v0.5.2\n"),
            "{}",
            p.content
        );
    }
}
