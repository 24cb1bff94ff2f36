//! `bumpwise backtest`, `policy = "auto"` and `init --from-history` on real
//! histories whose releases follow the guide, the cargo rule, both, or too few.

use serde::Deserialize;

use crate::fixture::Repo;
use crate::json::explain;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Backtest {
    pub(crate) schema_version: u32,
    pub(crate) policy: String,
    pub(crate) api: bool,
    pub(crate) releases: Vec<Line>,
    pub(crate) agreement: Agreement,
    pub(crate) suggestion: Option<Suggestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Line {
    pub(crate) tag: String,
    pub(crate) version: String,
    pub(crate) base: Option<String>,
    pub(crate) commits: usize,
    pub(crate) proposed: Option<String>,
    pub(crate) counted: bool,
    pub(crate) agrees: bool,
    pub(crate) phase: String,
    pub(crate) reason: Option<String>,
    pub(crate) drivers: Vec<String>,
    pub(crate) confidence: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Agreement {
    pub(crate) agreed: usize,
    pub(crate) counted: usize,
    pub(crate) before_1_0: (usize, usize),
    pub(crate) from_1_0: (usize, usize),
    pub(crate) bands: Vec<Band>,
}

/// Agreement within one confidence band.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Band {
    pub from: f64,
    pub to: f64,
    pub releases: usize,
    pub agreed: usize,
    pub mean_confidence: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Suggestion {
    settings: Vec<String>,
    agreed: usize,
    counted: usize,
    turns_right: Vec<String>,
    turns_wrong: Vec<String>,
}

pub(crate) fn backtest(repo: &Repo, args: &[&str]) -> Backtest {
    let stdout = repo.stdout_of(&[&["backtest", "--format", "json"][..], args].concat());
    serde_json::from_str(&stdout).expect("the JSON matches the contract")
}

/// A 0.x history: each release after `v0.1.0` holds one `feat:` commit and
/// is tagged with the version `next_of` gives for its number.
fn features_released_as(next_of: impl Fn(u64) -> String, releases: u64) -> Repo {
    let mut repo = Repo::new();
    repo.commit("chore: start").tag("v0.1.0");
    for n in 1..=releases {
        repo.commit(&format!("feat: feature {n}")).tag(&next_of(n));
    }
    repo
}

#[test]
fn releases_that_follow_the_guide_agree_and_suggest_nothing() {
    let repo = features_released_as(|n| format!("v0.{}.0", n + 1), 4);
    let report = backtest(&repo, &[]);
    assert_eq!(report.schema_version, 1);
    assert_eq!((report.policy.as_str(), report.api), ("guide", true));
    let first = &report.releases[0];
    assert_eq!(first.tag, "v0.1.0");
    assert!(!first.counted && first.base.is_none(), "{first:?}");
    assert!(first.reason.as_deref().unwrap().contains("first release"));
    assert_eq!((report.agreement.agreed, report.agreement.counted), (4, 4));
    assert_eq!(report.agreement.before_1_0, (4, 4));
    assert_eq!(report.agreement.from_1_0, (0, 0));
    assert!(report.suggestion.is_none(), "{:?}", report.suggestion);
    let line = &report.releases[2];
    assert_eq!(
        (line.version.as_str(), line.base.as_deref(), line.commits),
        ("0.3.0", Some("v0.2.0"), 1)
    );
    assert_eq!(line.proposed.as_deref(), Some("0.3.0"));
    assert!(line.agrees && line.reason.is_none() && line.phase == "before_1_0");
    assert_eq!(line.drivers.len(), 1);
    let text = repo.stdout_of(&["backtest"]);
    assert!(text.contains("4/4 (100%) under the guide policy"), "{text}");
}

#[test]
fn releases_that_follow_the_cargo_rule_name_the_policy_and_suggest_it() {
    let repo = features_released_as(|n| format!("v0.1.{n}"), 4);
    let report = backtest(&repo, &[]);
    assert_eq!((report.agreement.agreed, report.agreement.counted), (0, 4));
    let line = &report.releases[1];
    assert_eq!(line.proposed.as_deref(), Some("0.2.0"));
    assert_eq!(
        line.reason.as_deref(),
        Some("the policy: the cargo rule agrees")
    );
    let suggestion = report.suggestion.expect("a suggestion");
    assert_eq!(suggestion.settings, ["policy = \"cargo\""]);
    assert_eq!((suggestion.agreed, suggestion.counted), (4, 4));
    assert_eq!(
        suggestion.turns_right,
        ["v0.1.1", "v0.1.2", "v0.1.3", "v0.1.4"]
    );
    assert!(suggestion.turns_wrong.is_empty());
    // Under the suggested policy the same history agrees in full.
    let cargo = backtest(&repo, &["--policy", "cargo"]);
    assert_eq!((cargo.agreement.agreed, cargo.agreement.counted), (4, 4));
}

#[test]
fn policy_auto_follows_the_past_releases_and_says_on_what_evidence() {
    let mut repo = features_released_as(|n| format!("v0.1.{n}"), 4);
    repo.commit("feat: one more");
    let report = explain(&repo, &["--policy", "auto"]);
    assert_eq!(report.policy.name, "cargo");
    assert_eq!(
        report.policy.auto.as_deref(),
        Some("cargo: 4 of 4 past 0.x releases with features were patches")
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("0.1.5"));
    repo.write("bumpwise.toml", "policy = \"auto\"\n");
    assert_eq!(repo.stdout_of(&["next"]).trim(), "v0.1.5");
    let text = repo.stdout_of(&["explain"]);
    assert!(text.contains("auto (cargo: 4 of 4"), "{text}");
    // The guide's policy stays the default.
    repo.write("bumpwise.toml", "");
    assert_eq!(repo.stdout_of(&["next"]).trim(), "v0.2.0");
}

#[test]
fn policy_auto_with_too_few_releases_keeps_the_guide() {
    let mut repo = features_released_as(|n| format!("v0.1.{n}"), 2);
    repo.commit("feat: one more");
    let report = explain(&repo, &["--policy", "auto"]);
    assert_eq!(report.policy.name, "guide");
    assert_eq!(
        report.policy.auto.as_deref(),
        Some("guide: too few past 0.x releases with features to tell (2; 3 needed)")
    );
    assert_eq!(report.decision.next_version.as_deref(), Some("0.2.0"));
}

#[test]
fn a_mixed_history_is_read_release_by_release() {
    let mut repo = Repo::new();
    repo.commit("chore: start").tag("v0.1.0");
    repo.commit("feat: a").tag("v0.2.0"); // the guide
    repo.commit("feat: b").tag("v0.2.1"); // the cargo rule
    repo.commit("fix: c").tag("v0.2.2"); // both
    repo.commit("feat: d").tag("v1.0.0"); // a human 1.0
    repo.commit("feat!: e").tag("v1.1.0"); // a breaking marker released as a minor
    repo.commit("fix: f").tag("v1.1.2"); // a skipped version
    let report = backtest(&repo, &[]);
    let reason = |tag: &str| {
        let line = report.releases.iter().find(|l| l.tag == tag).unwrap();
        (line.agrees, line.reason.clone().unwrap_or_default())
    };
    assert_eq!(reason("v0.2.0"), (true, String::new()));
    assert_eq!(reason("v0.2.1").1, "the policy: the cargo rule agrees");
    assert!(reason("v0.2.2").0);
    assert_eq!(
        reason("v1.0.0").1,
        "a human 1.0: commits never take 0.x to 1.0.0"
    );
    assert_eq!(
        reason("v1.1.0").1,
        "an explicit breaking marker the maintainers released as a smaller bump"
    );
    assert_eq!(
        reason("v1.1.2").1,
        "a skipped version: the bump is the same, the number is not the next"
    );
    assert_eq!(report.agreement.before_1_0, (2, 4));
    assert_eq!(report.agreement.from_1_0, (0, 2));
    // --last and --since choose the lines.
    let last = backtest(&repo, &["--last", "2"]);
    let tags: Vec<&str> = last.releases.iter().map(|l| l.tag.as_str()).collect();
    assert_eq!(tags, ["v1.1.0", "v1.1.2"]);
    let since = backtest(&repo, &["--since", "v1.0.0"]);
    let tags: Vec<&str> = since.releases.iter().map(|l| l.tag.as_str()).collect();
    assert_eq!(tags, ["v1.1.0", "v1.1.2"]);
    let out = repo
        .bumpwise()
        .args(["backtest", "--since", "v9.9.9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("--since v9.9.9: no release tag"),
        "{stderr}"
    );
}

#[test]
fn odd_tags_get_lines_of_their_own_never_a_wrong_pairing() {
    let mut repo = Repo::new();
    repo.commit("chore: start").tag("v0.1.0");
    // Two versions on one commit, and a higher version below a lower one.
    repo.commit("feat: a").tag("v0.3.0").tag("v0.2.0");
    repo.commit("fix: b").tag("v0.2.1");
    repo.commit("fix: c").tag("v0.3.1-rc.1");
    repo.commit("fix: d").tag("v0.3.1");
    let report = backtest(&repo, &[]);
    let line = |tag: &str| report.releases.iter().find(|l| l.tag == tag).unwrap();
    assert_eq!(line("v0.2.0").base.as_deref(), Some("v0.1.0"));
    let twin = line("v0.3.0");
    assert!(!twin.counted && twin.commits == 0, "{twin:?}");
    assert!(
        twin.reason
            .as_deref()
            .unwrap()
            .contains("no commit of its own")
    );
    // The pre-release is no release line, and 0.3.1's base is the highest lower version in its history.
    assert!(report.releases.iter().all(|l| l.tag != "v0.3.1-rc.1"));
    assert_eq!(line("v0.3.1").base.as_deref(), Some("v0.3.0"));
}

#[test]
fn a_history_tagged_by_bumpwise_next_backtests_in_full() {
    let messages = [
        "feat: a",
        "fix: b",
        "Fixed the parser",
        "feat!: c",
        "Added an option",
        "fix: d",
        "Bump x from 1.0 to 1.1",
        "feat: e",
    ];
    for policy in ["guide", "cargo"] {
        let mut repo = Repo::new();
        repo.commit("chore: start").tag("v0.1.0");
        for (i, message) in messages.iter().enumerate() {
            repo.commit(message);
            if i % 2 == 1 {
                let tag = repo
                    .stdout_of(&["next", "--policy", policy])
                    .trim()
                    .to_string();
                repo.tag(&tag);
            }
        }
        let report = backtest(&repo, &["--policy", policy]);
        let a = &report.agreement;
        assert_eq!((a.agreed, a.counted), (4, 4), "{policy}: {report:#?}");
    }
}

#[test]
fn init_from_history_writes_the_calibrated_settings_with_their_agreement() {
    let repo = features_released_as(|n| format!("v0.1.{n}"), 4);
    repo.bumpwise()
        .args(["init", "--from-history"])
        .output()
        .unwrap();
    let written = std::fs::read_to_string(repo.path().join("bumpwise.toml")).unwrap();
    assert!(
        written.starts_with("# Calibrated by `bumpwise init --from-history` on 4 past releases: policy = \"cargo\" agrees with 4/4 (100%) of them (the defaults: 0/4 (0%)).\n"),
        "{written}"
    );
    assert!(written.contains("\npolicy = \"cargo\"\n"), "{written}");
    let config = repo.stdout_of(&["config"]);
    assert!(config.contains("policy = \"cargo\""), "{config}");
}

#[test]
fn next_hints_once_on_stderr_when_the_past_releases_follow_the_other_policy() {
    let mut repo = features_released_as(|n| format!("v0.1.{n}"), 4);
    repo.commit("feat: one more");
    let out = repo.bumpwise().arg("next").output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(stdout, "v0.2.0\n");
    let hints: Vec<&str> = stderr.lines().filter(|l| l.starts_with("hint: ")).collect();
    assert_eq!(
        hints,
        [
            "hint: the guide policy agrees with 0 of this project's last 4 releases, the cargo policy with 4: `bumpwise backtest` compares them (policy = \"cargo\" or \"auto\" follows them)"
        ],
        "{stderr}"
    );
    // Under the policy the releases follow, or where the policies agree, there is none.
    let cargo = repo
        .bumpwise()
        .args(["next", "--policy", "cargo"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(cargo.stderr).unwrap().contains("hint:"));
    let mut guide = features_released_as(|n| format!("v0.{}.0", n + 1), 4);
    guide.commit("feat: one more");
    let out = guide.bumpwise().arg("next").output().unwrap();
    assert!(!String::from_utf8(out.stderr).unwrap().contains("hint:"));
}

#[test]
fn commits_no_rule_reads_are_tried_both_ways() {
    let mut repo = Repo::new();
    repo.commit_files("Initial import", &[("main.go", Some("package main\n"))])
        .tag("v0.1.0");
    for n in 1..=3 {
        let body = format!("package main\n// {n}\n");
        repo.commit_files("wip", &[("main.go", Some(&body))])
            .tag(&format!("v0.1.{n}"));
    }
    // Read as patches they agree with every release; left unclassified they would propose nothing.
    let report = backtest(&repo, &[]);
    assert_eq!((report.agreement.agreed, report.agreement.counted), (3, 3));
    assert!(report.suggestion.is_none(), "{:?}", report.suggestion);
    repo.write("bumpwise.toml", "[evidence]\nunclassified = \"none\"\n");
    let none = backtest(&repo, &[]);
    assert_eq!((none.agreement.agreed, none.agreement.counted), (0, 3));
    let line = &none.releases[1];
    assert_eq!(
        line.reason.as_deref(),
        Some("1 unclassified commit(s): the rules could not read them")
    );
    let suggestion = none.suggestion.expect("the other way is suggested");
    assert_eq!(suggestion.settings, ["[evidence] unclassified = \"patch\""]);
    assert_eq!((suggestion.agreed, suggestion.counted), (3, 3));
}

#[test]
fn the_path_evidence_is_tried_both_ways() {
    // Each release ships one fix that only touches the docs: the paths read
    // it as no release, the message as a fix.
    let mut repo = Repo::new();
    repo.commit_files("Initial import", &[("main.go", Some("package main\n"))])
        .tag("v1.0.0");
    for n in 1..=3 {
        let body = format!("# Tool {n}\n");
        repo.commit_files("Fixed the retry timeout", &[("README.md", Some(&body))])
            .tag(&format!("v1.0.{n}"));
    }
    let report = backtest(&repo, &[]);
    assert_eq!((report.agreement.agreed, report.agreement.counted), (0, 3));
    let suggestion = report.suggestion.expect("reading no paths is suggested");
    assert_eq!(suggestion.settings, ["[evidence] paths = false"]);
    assert_eq!(suggestion.turns_right, ["v1.0.1", "v1.0.2", "v1.0.3"]);
    // And back: with the paths off, reading them is no better here.
    repo.write("bumpwise.toml", "[evidence]\npaths = false\n");
    let off = backtest(&repo, &[]);
    assert_eq!((off.agreement.agreed, off.agreement.counted), (3, 3));
    assert!(off.suggestion.is_none(), "{:?}", off.suggestion);
}

#[test]
fn a_feature_its_paths_lower_still_leaves_the_keyword_features_to_the_api() {
    // A Go library: "Added retries" changes its code and adds nothing to its
    // API (a fix); the docs-only `feat:` is no release either. Neither may
    // stop the other from being read, in `next` or in backtest.
    let load = |comment: &str| {
        format!(
            "package cfg\n\n// Load {comment}.\nfunc Load(path string) error {{ return nil }}\n"
        )
    };
    let mut repo = Repo::new();
    repo.commit_files(
        "Initial import",
        &[
            ("go.mod", Some("module example.com/lib\n")),
            ("cfg/cfg.go", Some(&load("reads a file"))),
        ],
    )
    .tag("v0.4.0")
    .commit_files(
        "Added retries to the loader",
        &[("cfg/cfg.go", Some(&load("reads a file, retrying")))],
    )
    .commit_files(
        "feat: describe the loader",
        &[("docs/loader.md", Some("# The loader\n"))],
    );
    assert_eq!(repo.stdout_of(&["next"]).trim(), "v0.4.1");
    let cached = |comment: &str| format!("{}\nfunc Cached() {{}}\n", load(comment));
    repo.tag("v0.4.1").commit_files(
        "feat: a cache for the loader",
        &[("cfg/cfg.go", Some(&cached("reads a file once")))],
    );
    let feat = repo.head().to_string();
    repo.commit_files(
        "Added a faster cache to the loader",
        &[("cfg/cfg.go", Some(&cached("reads a file once, fast")))],
    )
    .tag("v0.5.0");
    let report = backtest(&repo, &[]);
    let lines: Vec<(&str, Option<&str>, bool)> = report
        .releases
        .iter()
        .map(|l| (l.tag.as_str(), l.proposed.as_deref(), l.agrees))
        .collect();
    assert_eq!(
        lines,
        [
            ("v0.4.0", None, false),
            ("v0.4.1", Some("0.4.1"), true),
            ("v0.5.0", Some("0.5.0"), true)
        ]
    );
    // The commit that decided the feature release comes first among its drivers.
    assert!(
        feat.starts_with(&report.releases[2].drivers[0]),
        "{report:?}"
    );
}

#[test]
fn following_first_parents_is_tried_from_the_same_walk() {
    // Each release merges a pull request whose branch holds `feat:` commits,
    // titled as a fix and released as a patch: only the merges tell.
    let mut repo = Repo::new();
    repo.commit_files("Initial import", &[("main.go", Some("package main\n"))])
        .tag("v1.0.0");
    for n in 1..=3 {
        let topic = format!("topic{n}");
        let body = format!("package main\n// {n}\n");
        repo.branch(&topic)
            .checkout(&topic)
            .commit_files(&format!("feat: part {n}"), &[("main.go", Some(&body))])
            .checkout("main")
            .commit_files(
                &format!("Fixed the log line {n}"),
                &[(&format!("log{n}.go"), Some("package main\n"))],
            )
            .merge(
                &topic,
                &format!("Merge pull request #{n} from me/{topic}\n\nFix the retry timeout {n}"),
            )
            .tag(&format!("v1.0.{n}"));
    }
    let report = backtest(&repo, &[]);
    assert_eq!((report.agreement.agreed, report.agreement.counted), (0, 3));
    let suggestion = report
        .suggestion
        .expect("following first parents is suggested");
    assert_eq!(suggestion.settings, ["first_parent = true"]);
    assert_eq!((suggestion.agreed, suggestion.counted), (3, 3));
    // Set, it agrees, and is not tried again.
    repo.write("bumpwise.toml", "first_parent = true\n");
    let set = backtest(&repo, &[]);
    assert_eq!((set.agreement.agreed, set.agreement.counted), (3, 3));
    assert!(set.suggestion.is_none(), "{:?}", set.suggestion);
}

/// `v0.1.0`, then `n` releases of one `feat:` commit each, tagged as patches (the cargo rule).
fn features_as_patches(n: usize) -> Repo {
    let mut repo = Repo::new();
    repo.commit("chore: start").tag("v0.1.0");
    for i in 1..=n {
        repo.commit(&format!("feat: feature {i}"))
            .tag(&format!("v0.1.{i}"));
    }
    repo
}

#[test]
fn many_releases_are_judged_on_two_threads_in_order() {
    // Enough releases for the older half to be judged by a twin session on
    // another thread: the lines come back in order, each paired and judged.
    // The first ten follow the cargo rule, the last twelve the guide.
    let mut repo = features_as_patches(10);
    for n in 2..=13 {
        repo.commit(&format!("feat: feature {}", n + 10))
            .tag(&format!("v0.{n}.0"));
    }
    let report = backtest(&repo, &[]);
    let tags: Vec<&str> = report.releases.iter().map(|l| l.tag.as_str()).collect();
    let expected: Vec<String> = std::iter::once("v0.1.0".to_string())
        .chain((1..=10).map(|n| format!("v0.1.{n}")))
        .chain((2..=13).map(|n| format!("v0.{n}.0")))
        .collect();
    assert_eq!(tags, expected);
    for pair in report.releases.windows(2) {
        assert_eq!(pair[1].base.as_deref(), Some(pair[0].tag.as_str()));
    }
    let agrees: Vec<bool> = report.releases[1..].iter().map(|l| l.agrees).collect();
    assert_eq!(agrees, [[false; 10].as_slice(), &[true; 12]].concat());
    // The cargo rule agrees with the first ten only.
    let cargo = backtest(&repo, &["--policy", "cargo"]);
    assert_eq!((cargo.agreement.agreed, cargo.agreement.counted), (10, 22));
}

#[test]
fn regression_auto_calibrates_once_when_the_releases_are_judged_on_two_threads() {
    // Enough past releases for calibration's older half to go to a twin
    // session: the twin judges under the guide's policy and never calibrates
    // again (it once did, and every twin spawned more).
    let mut repo = features_as_patches(20);
    repo.commit("feat: one more");
    let output = repo
        .bumpwise()
        .args(["next", "--policy", "auto", "--format", "json"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("bumpwise ran");
    assert!(output.status.success(), "{output:?}");
    let report: crate::json::Report = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report.policy.name, "cargo");
    assert_eq!(report.decision.next_version.as_deref(), Some("0.1.21"));
}

/// A 0.x Go library whose inferred API breaks (a func renamed, the message
/// saying nothing explicit) were released as patches `n` times.
pub(crate) fn breaks_released_as_patches(n: usize) -> Repo {
    let mut repo = Repo::new();
    repo.commit_files(
        "Add the module",
        &[("go.mod", Some("module example.com/lib\n"))],
    );
    rework_loader(&mut repo, n);
    repo
}

/// A first `lib.go` tagged `v0.1.0`, then `n` commits each renaming its one
/// exported func (an inferred API break), tagged as 0.1.x patches.
pub(crate) fn rework_loader(repo: &mut Repo, n: usize) {
    repo.commit_files(
        "Initial import",
        &[("lib.go", Some("package lib\n\nfunc Load0() {}\n"))],
    )
    .tag("v0.1.0");
    for i in 1..=n {
        repo.commit_files(
            &format!("Rework loader {i}"),
            &[(
                "lib.go",
                Some(&format!("package lib\n\nfunc Load{i}() {{}}\n")),
            )],
        )
        .tag(&format!("v0.1.{i}"));
    }
}

#[test]
fn auto_learns_how_a_phase_released_inferred_breaks_and_never_lowers_a_declared_one() {
    let mut repo = breaks_released_as_patches(3);
    repo.commit_files(
        "Rework loader again",
        &[("lib.go", Some("package lib\n\nfunc Load9() {}\n"))],
    );
    let written = explain(&repo, &["--no-habits"]);
    assert_eq!(written.decision.next_version.as_deref(), Some("0.2.0"));
    assert!(written.policy.habits.is_empty());
    let auto = auto_proposes(&repo, "0.1.4");
    let habit = &auto.policy.habits[0];
    assert_eq!(
        (
            habit.phase.as_str(),
            habit.basis.as_str(),
            habit.level.as_str()
        ),
        ("before1", "api_break", "patch")
    );
    assert_eq!((habit.agreed, habit.of), (3, 3));
    assert_eq!(habit.releases, ["v0.1.1", "v0.1.2", "v0.1.3"]);
    assert!(
        auto.warnings
            .iter()
            .any(|w| w.contains("following this project's habit") && w.contains("3 of 3")),
        "{:#?}",
        auto.warnings
    );
    // A declared break stands whatever the habit.
    repo.commit_touching("feat!: drop the loader", "lib.go");
    let auto = explain(&repo, &["--policy", "auto"]);
    assert_eq!(auto.decision.next_version.as_deref(), Some("0.2.0"));
}

#[test]
fn a_phase_that_releases_api_breaks_as_patches_releases_api_additions_as_patches_too() {
    let mut repo = breaks_released_as_patches(3);
    // v0.1.3's func stays (see `rework_loader`); one is added beside it.
    assert_eq!(explain(&repo, &[]).base.unwrap().tag, "v0.1.3");
    repo.commit_files(
        "Tweak the loader",
        &[(
            "lib.go",
            Some("package lib\n\nfunc Load3() {}\n\nfunc LoadAll() {}\n"),
        )],
    );
    let written = explain(&repo, &["--no-habits"]);
    assert_eq!(written.commit("Tweak the loader").kind, "feature");
    assert_eq!(written.decision.next_version.as_deref(), Some("0.2.0"));
    auto_proposes(&repo, "0.1.4");
    // The guide's policy learns the same habit from the newest releases.
    let guide = explain(&repo, &[]);
    assert_eq!(guide.decision.next_version.as_deref(), Some("0.1.4"));
}

/// What `--policy auto` makes of `repo`, asserting it proposes `version`.
fn auto_proposes(repo: &Repo, version: &str) -> crate::json::Report {
    let auto = explain(repo, &["--policy", "auto"]);
    assert_eq!(
        auto.decision.next_version.as_deref(),
        Some(version),
        "{:#?}",
        auto.warnings
    );
    auto
}

#[test]
fn too_few_releases_teach_no_habit() {
    let mut repo = breaks_released_as_patches(2);
    repo.commit_files(
        "Rework loader again",
        &[("lib.go", Some("package lib\n\nfunc Load9() {}\n"))],
    );
    let auto = explain(&repo, &["--policy", "auto"]);
    assert!(auto.policy.habits.is_empty());
    assert_eq!(auto.decision.next_version.as_deref(), Some("0.2.0"));
}

#[test]
fn no_suggestion_switches_off_api_breaks_for_a_phase_that_did_not_show_them_wrong() {
    // 0.x shipped its API breaks as patches; the 1.x line released its break
    // as a major. Switching the API off would fit the old phase and hide the
    // new phase's breaks: it is not suggested.
    let mut repo = Repo::new();
    rework_loader(&mut repo, 5);
    repo.commit("chore: one point oh").tag("v1.0.0");
    repo.commit_files(
        "Rework loader 9",
        &[("lib.go", Some("package lib\n\nfunc Load9() {}\n"))],
    )
    .tag("v2.0.0");
    let report = backtest(&repo, &[]);
    let api_off = report
        .suggestion
        .as_ref()
        .is_some_and(|s| s.settings.iter().any(|x| x == "[api] enabled = false"));
    assert!(!api_off, "{:#?}", report.suggestion);
    let written = repo.path().join("bumpwise.toml");
    repo.bumpwise()
        .args(["init", "--from-history"])
        .assert()
        .success();
    let text = std::fs::read_to_string(written).unwrap();
    assert!(
        !text.lines().any(|l| l.trim() == "enabled = false"),
        "{text}"
    );
}
