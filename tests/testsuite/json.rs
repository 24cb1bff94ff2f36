//! The JSON contract, mirrored with `deny_unknown_fields`: any change to the
//! document's shape fails here until it is made on purpose.

use serde::Deserialize;

use crate::fixture::Repo;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub schema_version: u32,
    pub package: Option<String>,
    pub head: Head,
    pub policy: Policy,
    pub tag_prefix: String,
    pub first_parent: bool,
    pub shallow: bool,
    pub base: Option<Base>,
    pub tags_read: usize,
    pub skipped_tags: Vec<SkippedTag>,
    pub commits: Vec<Commit>,
    pub merges_skipped: usize,
    pub summary: Summary,
    pub decision: Decision,
    pub security: bool,
    pub breaking_changes: Vec<Breaking>,
    pub deprecations: Vec<Deprecation>,
    /// What the range did to the public API; `None` when it was not read.
    pub api: Option<Api>,
    /// The Go module at HEAD; absent for a project without a root `go.mod`.
    #[serde(default)]
    pub go_module: Option<GoModule>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoModule {
    pub path: String,
    pub major: u64,
    pub rule: Option<String>,
    pub wanted: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    pub rust_binaries: Option<bool>,
    pub files_changed: usize,
    pub changes: Vec<ApiChange>,
    pub notes: Vec<String>,
}

/// One change to the public API; `commit` only in the report's list.
#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ApiChange {
    pub change: String,
    pub name: String,
    pub language: String,
    pub kind: String,
    pub before: Option<String>,
    pub after: Option<String>,
    #[serde(default)]
    pub commit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    pub commit: String,
    pub branch: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub name: String,
    pub description: String,
    /// Under `auto`: the policy chosen and its evidence.
    pub auto: Option<String>,
    /// The habits learned (under `auto` from every release, otherwise where one could change the answer); absent when there are none.
    #[serde(default)]
    pub habits: Vec<Habit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Habit {
    pub phase: String,
    pub basis: String,
    pub level: String,
    pub agreed: usize,
    pub of: usize,
    pub releases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Base {
    pub tag: String,
    pub version: String,
    pub commit: String,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkippedTag {
    pub name: String,
    pub version: Option<String>,
    pub reason: String,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(tag = "name", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    Keyword {
        verdict: String,
        word: String,
    },
    BreakingMark {
        header: String,
    },
    BreakingFooter,
    Deprecation {
        source: String,
    },
    Security {
        evidence: String,
    },
    Dependency {
        scope: String,
    },
    Type {
        #[serde(rename = "type")]
        kind: String,
    },
    UnknownType {
        #[serde(rename = "type")]
        kind: String,
    },
    Override {
        source: String,
    },
    Revert,
    NotConventional,
    Paths {
        only: String,
        path: String,
        message: String,
    },
    DependencyFiles {
        path: String,
        dev: bool,
    },
    ShippedCode {
        path: String,
        message: String,
    },
    Changeset {
        file: String,
        declares: String,
    },
    Uncorroborated {
        path: String,
    },
    Api {
        change: String,
        item: String,
        more: usize,
        message: String,
    },
    ApiUnchanged {
        word: String,
        removal: bool,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commit {
    pub id: String,
    pub short_id: String,
    pub subject: String,
    pub description: String,
    pub kind: String,
    pub effective_kind: String,
    pub rule: Rule,
    pub rule_text: String,
    pub confidence: String,
    pub possibly_breaking: bool,
    pub via_pull_request: bool,
    pub excluded: bool,
    pub conventional_type: Option<String>,
    pub scope: Option<String>,
    pub merge: bool,
    pub security: bool,
    pub dependency: bool,
    pub breaking: Option<String>,
    pub deprecation: Option<DeprecationText>,
    pub reverts: Option<String>,
    pub reverted_by: Option<String>,
    /// The classes of the changed paths; `None` when they were not read.
    pub paths: Option<Vec<String>>,
    /// What it did to the public API, net over the range.
    pub api: Vec<ApiChange>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub total: usize,
    pub breaking: usize,
    pub feature: usize,
    pub fix: usize,
    pub none: usize,
    pub unclassified: usize,
    pub cancelled: usize,
    pub explicit: usize,
    pub keyword: usize,
    pub overridden: usize,
    pub excluded: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub release: bool,
    pub required_bump: String,
    pub bump: String,
    pub decided_by: String,
    pub next_version: Option<String>,
    pub next_tag: Option<String>,
    pub previous_version: Option<String>,
    pub previous_tag: Option<String>,
    pub anyway_version: Option<String>,
    pub anyway_tag: Option<String>,
    pub confidence: Option<f64>,
    pub confidence_basis: Option<ConfidenceBasis>,
    pub min_confidence: f64,
    pub confident: bool,
}

/// What the confidence rests on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfidenceBasis {
    pub confidence: f64,
    pub ground: String,
    pub level: String,
    pub deciding_kind: String,
    pub deciding_commits: usize,
    pub doubts: Doubts,
    pub prior: f64,
    pub past_releases: usize,
    pub past_agreed: usize,
    pub same_releases: usize,
    pub same_agreed: usize,
    pub same_tags: Vec<String>,
    pub words: String,
}

/// What could change the proposal.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Doubts {
    pub unread: usize,
    pub possibly_breaking: usize,
    pub capped: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Breaking {
    pub commit: String,
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeprecationText {
    pub what: String,
    pub replacement: Option<String>,
    pub migration: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    pub commit: String,
    pub what: String,
    pub replacement: Option<String>,
    pub migration: Option<String>,
}

impl Report {
    /// The commit with this subject.
    pub fn commit(&self, subject: &str) -> &Commit {
        self.commits
            .iter()
            .find(|c| c.subject == subject)
            .unwrap_or_else(|| panic!("no commit {subject:?} in {:#?}", self.commits))
    }

    /// The reason a tag was skipped, if it was listed.
    pub fn skip_reason(&self, name: &str) -> Option<&str> {
        self.skipped_tags
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.reason.as_str())
    }
}

/// `bumpwise explain --format json ARGS` in `repo`, parsed strictly (explain exits 0
/// whether or not there is something to release).
pub fn explain(repo: &Repo, args: &[&str]) -> Report {
    let stdout = repo.stdout_of(&[&["explain", "--format", "json"][..], args].concat());
    serde_json::from_str(&stdout).expect("the JSON matches the contract")
}

#[test]
fn next_and_explain_give_the_same_document() {
    let mut repo = Repo::new();
    repo.commit("init").tag("v1.0.0").commit("feat: x");
    let next = repo
        .bumpwise()
        .args(["next", "--format", "json"])
        .output()
        .unwrap();
    let explain = repo
        .bumpwise()
        .args(["explain", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(next.stdout, explain.stdout);
    let report: Report = serde_json::from_slice(&next.stdout).unwrap();
    assert_eq!(report.schema_version, 1);
    assert_eq!(report.decision.next_version.as_deref(), Some("1.1.0"));
    assert_eq!(report.head.branch.as_deref(), Some("main"));
    assert_eq!(report.head.commit, repo.head().to_string());
}

#[test]
fn every_field_of_the_document() {
    let mut repo = Repo::new();
    repo.commit("a")
        .tag("v0.9.0")
        .tag("v1.0.0-rc.1")
        .annotated("v1.0.0", "Release")
        .tag("other-v5.0.0");
    repo.commit("feat(api)!: new endpoint\n\nBREAKING CHANGE: v1 removed");
    repo.commit("fix: x\n\nDeprecated: old flag\nReplacement: new flag");
    repo.commit("Update for CVE-2024-0001")
        .commit("Refactored internals");
    let r = explain(&repo, &["--policy", "cargo"]);
    assert_eq!(
        (
            r.schema_version,
            r.tag_prefix.as_str(),
            r.first_parent,
            r.shallow
        ),
        (1, "", false, false)
    );
    assert_eq!(
        (r.policy.name.as_str(), r.policy.description.as_str()),
        (
            "cargo",
            "cargo: at 1.0.x breaking → major, feature → minor, fix → patch"
        )
    );
    let base = r.base.as_ref().unwrap();
    assert_eq!(
        (base.tag.as_str(), base.version.as_str()),
        ("v1.0.0", "1.0.0")
    );
    assert_eq!(
        base.reason,
        "highest stable SemVer tag reachable from HEAD, among 4 tags"
    );
    assert_eq!(r.tags_read, 4);
    let skipped: Vec<(&str, Option<&str>, &str)> = r
        .skipped_tags
        .iter()
        .map(|s| (s.name.as_str(), s.version.as_deref(), s.reason.as_str()))
        .collect();
    assert_eq!(skipped, [("other-v5.0.0", None, "other_prefix")]);
    assert_eq!(r.merges_skipped, 0);
    let s = &r.summary;
    assert_eq!(
        (
            s.total,
            s.breaking,
            s.feature,
            s.fix,
            s.none,
            s.unclassified,
            s.cancelled
        ),
        (4, 1, 1, 1, 0, 1, 0)
    );
    let feat = r.commit("feat(api)!: new endpoint");
    assert_eq!(feat.id.len(), 40);
    assert_eq!(feat.short_id, feat.id[..7]);
    assert_eq!(feat.rule_text, "conventional `feat(api)!:`");
    assert_eq!(feat.description, "new endpoint");
    let plain = r.commit("Refactored internals");
    assert_eq!(plain.description, "Refactored internals");
    assert_eq!(
        (
            plain.confidence.as_str(),
            plain.possibly_breaking,
            plain.via_pull_request
        ),
        ("low", false, false)
    );
    assert_eq!(feat.confidence, "high");
    assert_eq!((s.explicit, s.keyword), (3, 0));
    assert_eq!(
        (feat.conventional_type.as_deref(), feat.scope.as_deref()),
        (Some("feat"), Some("api"))
    );
    assert!(!feat.merge && !feat.security && !feat.dependency);
    let fix = r.commit("fix: x");
    let text = fix.deprecation.as_ref().unwrap();
    assert_eq!(
        (
            text.what.as_str(),
            text.replacement.as_deref(),
            text.migration.as_deref()
        ),
        ("old flag", Some("new flag"), None)
    );
    assert_eq!(r.deprecations[0].commit, fix.id);
    assert_eq!(
        (
            r.breaking_changes[0].commit.as_str(),
            r.breaking_changes[0].description.as_str()
        ),
        (feat.id.as_str(), "v1 removed")
    );
    assert!(r.security);
    let d = &r.decision;
    assert!(d.release);
    assert_eq!(
        (
            d.required_bump.as_str(),
            d.bump.as_str(),
            d.decided_by.as_str()
        ),
        ("major", "major", "commits")
    );
    assert_eq!(
        (d.next_version.as_deref(), d.next_tag.as_deref()),
        (Some("2.0.0"), Some("v2.0.0"))
    );
    assert_eq!(
        (d.previous_version.as_deref(), d.previous_tag.as_deref()),
        (Some("1.0.0"), Some("v1.0.0"))
    );
    assert_eq!(r.warnings.len(), 1);
}
