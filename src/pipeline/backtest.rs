//! `bumpwise backtest`: the version bumpwise would have proposed for every
//! past release, from the commits between it and the release before it,
//! beside the version the maintainers released.
//!
//! The history is read once, as for `changelog --all`, and split by release;
//! each range is then judged as `next` in text judges one (paths and API read
//! only where they can change the version), under the configured settings and
//! under the alternatives that matter (the other policy, the API evidence
//! off), so a better-agreeing configuration can be suggested. Nothing is
//! checked out and nothing is written.

use semver::Version;

use crate::classify::{self, Classified, Kind, Rule};
use crate::error::{Error, Result};
use crate::report::backtest::{Agreement, BacktestReport, ReleaseLine, Suggestion};
use crate::report::json;
use crate::version::decide::{self, Level, Policy, Request};
use crate::version::tag::ReleaseTag;

use super::Session;

/// How many of the last releases the hint of `next` replays.
pub const HINT_RELEASES: usize = 5;

/// How many past 0.x releases with features `policy = "auto"` needs to tell the policies apart.
pub const AUTO_MIN_RELEASES: usize = 3;

/// A suggestion must agree with this many more releases than the settings in
/// force, and with at least this share more (in percent) of those counted.
pub const MARGIN_RELEASES: usize = 2;
/// See [`MARGIN_RELEASES`].
pub const MARGIN_PERCENT: usize = 5;

/// One release's range, judged with and without the API.
struct Judged {
    tag: ReleaseTag,
    base: Option<ReleaseTag>,
    commits: usize,
    /// Effective kinds with the API read (when it is), and without.
    with_api: Vec<Kind>,
    without_api: Vec<Kind>,
    /// With the API, and `[evidence] unclassified = "none"`: what no rule read stays unclassified.
    unread_none: Vec<Kind>,
    /// What the configured settings made of the commits, for the reasons.
    classified: Vec<Classified>,
}

/// What to replay.
#[derive(Debug, Clone, Default)]
pub struct BacktestSpan {
    /// Only the last N releases.
    pub last: Option<usize>,
    /// Only the releases above this tag.
    pub since: Option<String>,
}

impl Session {
    /// Replays every release reachable from HEAD (or those `span` chooses).
    ///
    /// # Errors
    ///
    /// Repository errors; a usage error when `--since` names no release tag.
    pub fn backtest(&self, span: &BacktestSpan) -> Result<BacktestReport> {
        let judged = self.judge_all(span)?;
        Ok(self.assemble(&judged))
    }

    /// Every release of `span`, its range judged.
    fn judge_all(&self, span: &BacktestSpan) -> Result<Vec<Judged>> {
        let split = self.releases()?;
        let reachable: Vec<ReleaseTag> = split.releases.iter().map(|(t, _)| t.clone()).collect();
        let since = match &span.since {
            None => None,
            Some(name) => Some(
                reachable
                    .iter()
                    .find(|t| &t.name == name)
                    .map(|t| t.tag.version.clone())
                    .ok_or_else(|| {
                        Error::usage(format!(
                            "--since {name}: no release tag of that name is reachable from HEAD; `git tag --merged HEAD` lists them"
                        ))
                    })?,
            ),
        };
        let total = split.releases.len();
        let first = span.last.map_or(0, |n| total.saturating_sub(n));
        let mut judged = Vec::new();
        let boundaries = split.boundaries;
        for (i, (tag, commits)) in split.releases.into_iter().enumerate() {
            if i < first || since.as_ref().is_some_and(|v| tag.tag.version <= *v) {
                continue;
            }
            let base = self.base_in(i, &reachable, &boundaries)?;
            judged.push(self.judge(tag, base, commits)?);
        }
        Ok(judged)
    }

    /// A hint for `next`: when the policy in force disagrees with most of the
    /// last [`HINT_RELEASES`] releases and the other agrees with most, one line
    /// naming that policy and `bumpwise backtest`. Only asked where the
    /// policies can disagree on this proposal (a feature before 1.0), and
    /// never under `auto`; each of those ranges is walked on its own and
    /// judged by its messages.
    ///
    /// # Errors
    ///
    /// Repository errors.
    pub fn policy_hint(&self, report: &crate::report::Report) -> Result<Option<String>> {
        let policy = self.config.policy;
        let differs = report.base.as_ref().is_some_and(|b| b.version.major == 0)
            && report.summary.breaking == 0
            && report.summary.feature > 0;
        if self.auto.is_some() || !differs {
            return Ok(None);
        }
        let Some(newest) = &report.base else {
            return Ok(None);
        };
        let tags = self.release_tags()?;
        let options = self.walk_options();
        let other = match policy {
            Policy::Cargo => Policy::Guide,
            Policy::Guide | Policy::Auto => Policy::Cargo,
        };
        let (mut counted, mut mine, mut theirs) = (0, 0, 0);
        // From the base of this proposal down, each release paired with the one before it.
        let mut tag = tags.iter().rev().find(|t| t.name == newest.tag).cloned();
        while let Some(current) = tag.take() {
            if counted == HINT_RELEASES {
                break;
            }
            let Some(base) = self.base_of(&current, &tags)? else {
                break;
            };
            let (_, mut commits) = self.classify_walk(|each| {
                let range =
                    self.repo
                        .commits(&current.commit, Some(&base.commit), &options, each)?;
                Ok(((), range.commits))
            })?;
            // Judged by their messages: a hint need not read paths or the API.
            classify::pair_reverts(&mut commits);
            self.apply_overrides(&mut commits)?;
            let kinds: Vec<Kind> = commits.iter().map(Classified::effective_kind).collect();
            let released = &current.tag.version;
            let agrees = |p| {
                self.propose(&base.tag.version, p, &kinds)
                    .ok()
                    .flatten()
                    .as_ref()
                    == Some(released)
            };
            counted += 1;
            mine += usize::from(agrees(policy));
            theirs += usize::from(agrees(other));
            tag = Some(base);
        }
        if counted == 0 || mine * 2 >= counted || theirs * 2 <= counted {
            return Ok(None);
        }
        Ok(Some(format!(
            "the {} policy agrees with {mine} of this project's last {counted} releases, the {} policy with {theirs}: `bumpwise backtest` compares them (policy = \"{}\" or \"auto\" follows them)",
            policy.as_str(),
            other.as_str(),
            other.as_str()
        )))
    }

    /// Resolves `policy = "auto"`: the cargo rule when most past 0.x releases
    /// whose commits held a feature (and nothing breaking) were patches, the
    /// guide's otherwise, and when fewer than [`AUTO_MIN_RELEASES`] tell.
    /// Returns the policy and the evidence in words.
    pub(super) fn calibrate(&self) -> Result<(Policy, String)> {
        let judged = self.judge_all(&BacktestSpan::default())?;
        let (mut patches, mut minors) = (0, 0);
        for j in &judged {
            let Some(base) = j.base.as_ref().filter(|b| b.tag.version.major == 0) else {
                continue;
            };
            if j.with_api.iter().copied().max() != Some(Kind::Feature) {
                continue;
            }
            match decide::distance(&base.tag.version, &j.tag.tag.version) {
                Level::Patch => patches += 1,
                Level::Minor => minors += 1,
                _ => {}
            }
        }
        let told = patches + minors;
        Ok(if told < AUTO_MIN_RELEASES {
            (
                Policy::Guide,
                format!(
                    "guide: too few past 0.x releases with features to tell ({told}; {AUTO_MIN_RELEASES} needed)"
                ),
            )
        } else if patches > minors {
            (
                Policy::Cargo,
                format!("cargo: {patches} of {told} past 0.x releases with features were patches"),
            )
        } else {
            (
                Policy::Guide,
                format!("guide: {minors} of {told} past 0.x releases with features were minors"),
            )
        })
    }

    /// The release before the `i`th of `tags` (the releases of a
    /// [`crate::notes::releases::Split`], with its `boundaries`): the highest
    /// lower version in its history. Usually the walk that split the history
    /// reached the tagged commit of the version just below it, and no ancestry
    /// check is needed.
    pub(super) fn base_in(
        &self,
        i: usize,
        tags: &[ReleaseTag],
        boundaries: &[(Vec<usize>, bool)],
    ) -> Result<Option<ReleaseTag>> {
        let tag = &tags[i];
        // Reaching the tagged commit of the version just below proves it is in
        // the history, whatever else the release's commits reach.
        let direct = match boundaries.get(i) {
            Some((reached, _)) if i > 0 && reached.last() == Some(&(i - 1)) => Some(&tags[i - 1])
                .filter(|t| t.commit != tag.commit && t.tag.version < tag.tag.version),
            _ => None,
        };
        match direct {
            Some(base) => Ok(Some(base.clone())),
            None => self.base_of(tag, tags),
        }
    }

    /// The release before `tag`: the highest lower version in its history.
    fn base_of(&self, tag: &ReleaseTag, tags: &[ReleaseTag]) -> Result<Option<ReleaseTag>> {
        for t in tags.iter().rev() {
            if t.tag.version < tag.tag.version
                && t.commit != tag.commit
                && self.repo.contains(&tag.commit, &t.commit)?
            {
                return Ok(Some(t.clone()));
            }
        }
        Ok(None)
    }

    /// Judges one range as `next` would: reverts, the API, the paths where they decide, overrides.
    fn judge(
        &self,
        tag: ReleaseTag,
        base: Option<ReleaseTag>,
        commits: Vec<Classified>,
    ) -> Result<Judged> {
        let count = commits.len();
        let mut plain = commits;
        classify::pair_reverts(&mut plain);
        let reads_api = self.config.api.reads();
        let mut with = if reads_api { plain.clone() } else { Vec::new() };
        let finish = |commits: &mut Vec<Classified>, api: bool| -> Result<()> {
            if let (true, Some(base)) = (api, &base) {
                self.read_api(commits, &base.commit, &tag.commit)?;
            }
            if self.version_only && self.config.evidence.paths {
                self.paths_where_they_decide(commits)?;
            }
            self.apply_overrides(commits)
        };
        finish(&mut plain, false)?;
        if reads_api {
            finish(&mut with, true)?;
        }
        let kinds = |c: &[Classified]| c.iter().map(Classified::effective_kind).collect::<Vec<_>>();
        let without_api = kinds(&plain);
        let (with_api, classified) = if reads_api {
            (kinds(&with), with)
        } else {
            (without_api.clone(), plain)
        };
        let unread_none = classified
            .iter()
            .map(|c| match c.rule {
                Rule::ShippedCode {
                    message: Kind::Unclassified,
                    ..
                } if !c.cancelled() && !c.excluded => Kind::Unclassified,
                _ => c.effective_kind(),
            })
            .collect();
        Ok(Judged {
            tag,
            base,
            commits: count,
            with_api,
            without_api,
            unread_none,
            classified,
        })
    }

    /// What `policy` proposes for a range of `kinds` above `base`.
    fn propose(&self, base: &Version, policy: Policy, kinds: &[Kind]) -> Result<Option<Version>> {
        let decision = decide::decide(
            Some(base),
            &self.config.initial_version,
            policy,
            kinds.iter().copied(),
            &Request::Commits,
        )?;
        Ok(decision.next)
    }

    /// The lines, the agreement and the suggestion.
    fn assemble(&self, judged: &[Judged]) -> BacktestReport {
        let policy = self.config.policy;
        let reads_api = self.config.api.reads();
        let other = match policy {
            Policy::Cargo => Policy::Guide,
            Policy::Guide | Policy::Auto => Policy::Cargo,
        };
        let mut lines = Vec::new();
        let mut agreement = Agreement::default();
        // (settings, proposals per release) for every alternative tried.
        let mut alternatives: Vec<(Vec<String>, Vec<Option<bool>>)> = Vec::new();
        // (policy, API read, what no rule reads stays unclassified)
        let patch = self.config.rules.unclassified == classify::Unclassified::Patch;
        let mut combos = vec![(policy, reads_api, false), (other, reads_api, false)];
        if reads_api {
            combos.extend([(policy, false, false), (other, false, false)]);
        }
        if patch {
            combos.extend([(policy, reads_api, true), (other, reads_api, true)]);
        }
        for &(p, api, unread) in &combos {
            let mut settings = Vec::new();
            if p != policy {
                settings.push(format!("policy = \"{}\"", p.as_str()));
            }
            if api != reads_api {
                settings.push("[api] enabled = false".to_string());
            }
            if unread {
                settings.push("[evidence] unclassified = \"none\"".to_string());
            }
            let verdicts = judged
                .iter()
                .map(|j| {
                    let base = j.base.as_ref()?;
                    let kinds = match (api, unread) {
                        (_, true) => &j.unread_none,
                        (true, false) => &j.with_api,
                        (false, false) => &j.without_api,
                    };
                    let proposed = self.propose(&base.tag.version, p, kinds).ok()?;
                    Some(proposed.as_ref() == Some(&j.tag.tag.version))
                })
                .collect();
            alternatives.push((settings, verdicts));
        }
        for j in judged {
            let line = self.line(j, policy, other);
            if line.counted {
                agreement.counted += 1;
                agreement.agreed += usize::from(line.agrees);
                let phase = if line.phase == "before_1_0" {
                    &mut agreement.before_1_0
                } else {
                    &mut agreement.from_1_0
                };
                phase.1 += 1;
                phase.0 += usize::from(line.agrees);
            }
            lines.push(line);
        }
        let suggestion = suggest(&alternatives, judged, &agreement);
        BacktestReport {
            schema_version: json::BACKTEST_SCHEMA,
            policy: policy.as_str().to_string(),
            api: reads_api,
            releases: lines,
            agreement,
            suggestion,
        }
    }

    /// One release's line: the proposal, and why it differs.
    fn line(&self, j: &Judged, policy: Policy, other: Policy) -> ReleaseLine {
        let released = &j.tag.tag.version;
        let mut line = ReleaseLine {
            tag: j.tag.name.clone(),
            version: released.clone(),
            base: j.base.as_ref().map(|b| b.name.clone()),
            commits: j.commits,
            proposed: None,
            counted: false,
            agrees: false,
            phase: "from_1_0",
            reason: None,
            drivers: Vec::new(),
        };
        let Some(base) = &j.base else {
            line.reason = Some("the first release: nothing before it to compare with".into());
            return line;
        };
        line.phase = if base.tag.version.major == 0 {
            "before_1_0"
        } else {
            "from_1_0"
        };
        if j.commits == 0 {
            line.reason = Some(format!(
                "no commit of its own: every commit in its history belongs to a lower version (out of SemVer order, or tagged with {} on one commit)",
                base.name
            ));
            return line;
        }
        let proposed = self
            .propose(&base.tag.version, policy, &j.with_api)
            .ok()
            .flatten();
        let top = j
            .with_api
            .iter()
            .copied()
            .max()
            .unwrap_or(Kind::Unclassified);
        // Keyword features the API was not asked about (the version did not
        // depend on them) come after the commits that decided it.
        let mut drivers: Vec<&Classified> = j
            .classified
            .iter()
            .filter(|c| c.effective_kind() == top && top > Kind::None)
            .collect();
        drivers.sort_by_key(|c| classify::api::lowerable(c));
        line.drivers = drivers
            .iter()
            .take(5)
            .map(|c| c.short_id().to_string())
            .collect();
        line.counted = true;
        line.agrees = proposed.as_ref() == Some(released);
        line.proposed = proposed.clone();
        if !line.agrees {
            line.reason = Some(self.reason(j, &base.tag.version, proposed.as_ref(), top, other));
        }
        line
    }

    /// The likely reason a proposal differs from the release.
    fn reason(
        &self,
        j: &Judged,
        base: &Version,
        proposed: Option<&Version>,
        top: Kind,
        other: Policy,
    ) -> String {
        let released = &j.tag.tag.version;
        if base.major == 0 && released.major == 1 && released.minor == 0 && released.patch == 0 {
            return "a human 1.0: commits never take 0.x to 1.0.0".into();
        }
        if self
            .propose(base, other, &j.with_api)
            .ok()
            .flatten()
            .as_ref()
            == Some(released)
        {
            return format!("the policy: the {} rule agrees", other.as_str());
        }
        let wanted = decide::distance(base, released);
        let got = proposed.map_or(Level::None, |p| decide::distance(base, p));
        let unclassified = j
            .with_api
            .iter()
            .filter(|k| **k == Kind::Unclassified)
            .count();
        if got > wanted && top == Kind::Breaking {
            let marker = j
                .classified
                .iter()
                .find(|c| c.effective_kind() == Kind::Breaking);
            return match marker.map(|c| &c.rule) {
                Some(Rule::Api { .. }) => {
                    "an API break released as a smaller bump (see `explain --api` at that release)"
                        .into()
                }
                _ => {
                    "an explicit breaking marker the maintainers released as a smaller bump".into()
                }
            };
        }
        if got < wanted && unclassified > 0 {
            return format!("{unclassified} unclassified commit(s): the rules could not read them");
        }
        if got == wanted {
            return "a skipped version: the bump is the same, the number is not the next".into();
        }
        match proposed {
            None => "nothing the rules count as releasable".into(),
            Some(_) => format!(
                "the commits say {}, the release is a {}",
                got.as_str(),
                wanted.as_str()
            ),
        }
    }
}

/// The alternative that agrees best, when it beats the settings in force (the
/// first alternative) by more than the margin.
fn suggest(
    alternatives: &[(Vec<String>, Vec<Option<bool>>)],
    judged: &[Judged],
    current: &Agreement,
) -> Option<Suggestion> {
    let agreed = |v: &[Option<bool>]| v.iter().filter(|x| **x == Some(true)).count();
    // On a tie the first wins: the fewest settings changed.
    let (settings, verdicts) = alternatives
        .iter()
        .skip(1)
        .rev()
        .max_by_key(|(_, v)| agreed(v))?;
    let best = agreed(verdicts);
    let margin = MARGIN_RELEASES.max(current.counted * MARGIN_PERCENT / 100);
    if best < current.agreed + margin {
        return None;
    }
    let now = &alternatives[0].1;
    let names = |want: bool| {
        judged
            .iter()
            .zip(verdicts.iter().zip(now))
            .filter(|(_, (alt, cur))| **alt == Some(want) && **cur == Some(!want))
            .map(|(j, _)| j.tag.name.clone())
            .collect()
    };
    Some(Suggestion {
        settings: settings.clone(),
        agreed: best,
        counted: current.counted,
        turns_right: names(true),
        turns_wrong: names(false),
    })
}

/// The `bumpwise.toml` template with the suggestion of `report` applied and a
/// comment giving the agreement each configuration reaches.
pub fn calibrated_template(template: &str, report: &BacktestReport) -> String {
    let a = &report.agreement;
    let defaults = Agreement::text(a.agreed, a.counted);
    let (mut text, head) = match &report.suggestion {
        None => (
            template.to_string(),
            format!(
                "# Calibrated by `bumpwise init --from-history` on {} past releases: the defaults agree best, with {defaults}.\n",
                a.counted
            ),
        ),
        Some(s) => {
            let mut text = template.to_string();
            for setting in &s.settings {
                if let Some(policy) = setting.strip_prefix("policy = ") {
                    text = text.replacen("policy = \"guide\"", &format!("policy = {policy}"), 1);
                } else if setting == "[api] enabled = false" {
                    text = text.replacen("[api]\nenabled = true ", "[api]\nenabled = false", 1);
                } else if setting == "[evidence] unclassified = \"none\"" {
                    text = text.replacen("unclassified = \"patch\"", "unclassified = \"none\" ", 1);
                }
            }
            let head = format!(
                "# Calibrated by `bumpwise init --from-history` on {} past releases: {} agrees with {} of them (the defaults: {defaults}).\n",
                a.counted,
                s.settings.join(", "),
                Agreement::text(s.agreed, s.counted)
            );
            (text, head)
        }
    };
    text.insert_str(0, &head);
    text
}
