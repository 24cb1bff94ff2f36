//! What backtest makes of the judged releases: each release's line (the
//! proposal, and why it differs from the release), the agreement, and the
//! suggestion. Pure: the settings in force and the judgements in, the report out.

use semver::Version;

use crate::classify::{self, Classified, Kind, Rule};
use crate::config::Config;
use crate::error::Result;
use crate::report::backtest::{Agreement, BacktestReport, Band, ReleaseLine};
use crate::report::json;
use crate::version::confidence::{self, Evidence as Grounds, Past};
use crate::version::decide::{self, Level, Policy, Request};
use crate::version::habits;

use super::Judged;
use super::calibrate::{Evidence, suggest};

/// What `policy` proposes for a range of `kinds` above `base`, within what
/// the Go `module` (at the release and its base) can release, a release
/// commit among `commits` making it at least a patch ([`decide::release_commit`]).
pub(super) fn propose(
    config: &Config,
    base: &Version,
    policy: Policy,
    kinds: &[Kind],
    (module, commits): (Option<&decide::GoModule>, &[Classified]),
) -> Result<Option<Version>> {
    let mut decision = decide::decide(
        Some(base),
        &config.initial_version,
        policy,
        kinds.iter().copied(),
        &Request::Commits,
    )?;
    decide::release_commit(&mut decision, Some(base), commits);
    if let Some(module) = module {
        decide::go_module(&mut decision, Some(base), module, &Request::Commits);
    }
    Ok(decision.next)
}

/// The lines, the agreement and the suggestion.
pub(super) fn assemble(config: &Config, judged: &[Judged], learn: bool) -> BacktestReport {
    let policy = config.policy;
    let reads_api = config.api.reads();
    let other = match policy {
        Policy::Cargo => Policy::Guide,
        Policy::Guide | Policy::Auto => Policy::Cargo,
    };
    let mut lines = Vec::new();
    let mut agreement = Agreement::default();
    // (settings, proposals per release) for every alternative tried:
    // each policy under each evidence variant, the settings in force first.
    let mut alternatives: Vec<(Vec<String>, Vec<Option<bool>>)> = Vec::new();
    let configured = Evidence::of(config);
    let variants: Vec<Evidence> = match judged.first() {
        Some(j) => j.kinds.iter().map(|(e, _)| *e).collect(),
        None => Evidence::of(config).variants(),
    };
    for p in [policy, other] {
        for (v, &evidence) in variants.iter().enumerate() {
            let mut settings = Vec::new();
            if p != policy {
                settings.push(format!("policy = \"{}\"", p.as_str()));
            }
            settings.extend(evidence.settings(configured));
            let verdicts = judged
                .iter()
                .map(|j| {
                    let base = j.base.as_ref()?;
                    let proposed = propose(
                        config,
                        &base.tag.version,
                        p,
                        &j.kinds[v].1,
                        (j.module.as_ref(), &j.classified),
                    )
                    .ok()?;
                    Some(proposed.as_ref() == Some(&j.tag.tag.version))
                })
                .collect();
            alternatives.push((settings, verdicts));
        }
    }
    let mut track = Vec::new();
    for (j, kinds) in judged.iter().zip(kinds_then(config, judged, learn)) {
        let mut line = line(config, (j, &kinds), policy, other);
        if line.counted {
            line.confidence = Some(confidence_then((j, &kinds), &line, &mut track));
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
    agreement.bands = Band::of(&lines);
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

/// The kinds each judged release's commits count as where `next` would have
/// proposed it: with the habits the newest [`super::HABIT_RELEASES`]
/// releases before it in its phase show, where one could change the answer
/// (as `next` learns them under a named policy); as configured without `learn`.
fn kinds_then(config: &Config, judged: &[Judged], learn: bool) -> Vec<Vec<Kind>> {
    let policy = config.policy;
    let then = |(i, j): (usize, &Judged)| {
        let base = match &j.base {
            Some(b) if learn && habits::may_lower(&j.classified, &b.tag.version, policy) => {
                &b.tag.version
            }
            _ => return j.configured().to_vec(),
        };
        let phase = habits::Phase::of(base);
        let mut past: Vec<habits::Past<'_>> = judged[..i]
            .iter()
            .rev()
            .filter_map(super::past_of_judged)
            .filter(|p| habits::Phase::of(p.base) == phase)
            .take(super::HABIT_RELEASES)
            .collect();
        past.reverse();
        habits::kinds(&j.classified, base, policy, &habits::learn(&past, policy)).0
    };
    judged.iter().enumerate().map(then).collect()
}

/// One release's line (its commits counting as `kinds`): the proposal, and why it differs.
fn line(
    config: &Config,
    (j, kinds): (&Judged, &[Kind]),
    policy: Policy,
    other: Policy,
) -> ReleaseLine {
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
        confidence: None,
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
    let proposed = propose(
        config,
        &base.tag.version,
        policy,
        kinds,
        (j.module.as_ref(), &j.classified),
    )
    .ok()
    .flatten();
    let top = kinds.iter().copied().max().unwrap_or(Kind::Unclassified);
    // Keyword features the API was not asked about (the version did not
    // depend on them) come after the commits that decided it.
    let mut drivers: Vec<&Classified> = j
        .classified
        .iter()
        .zip(kinds)
        .filter(|(_, k)| **k == top && top > Kind::None)
        .map(|(c, _)| c)
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
        line.reason = Some(reason(
            config,
            (j, kinds),
            &base.tag.version,
            proposed.as_ref(),
            top,
            other,
        ));
    }
    line
}

/// The confidence `next` would have given the line's proposal, calibrated on
/// the `track` of the releases before it; adds this one to the track.
fn confidence_then(
    (j, kinds): (&Judged, &[Kind]),
    line: &ReleaseLine,
    track: &mut Vec<Past>,
) -> f64 {
    let level = match (&j.base, &line.proposed) {
        (Some(base), Some(p)) => decide::distance(&base.tag.version, p),
        _ => Level::None,
    };
    let evidence = Grounds::of(&j.classified, kinds, level, false, false);
    let estimate = confidence::estimate(&evidence, track);
    track.push(Past::of(&line.tag, &evidence, line.agrees));
    estimate.confidence
}

/// The likely reason a proposal differs from the release.
fn reason(
    config: &Config,
    (j, kinds): (&Judged, &[Kind]),
    base: &Version,
    proposed: Option<&Version>,
    top: Kind,
    other: Policy,
) -> String {
    let released = &j.tag.tag.version;
    if base.major == 0 && released.major == 1 && released.minor == 0 && released.patch == 0 {
        return "a human 1.0: commits never take 0.x to 1.0.0".into();
    }
    if propose(
        config,
        base,
        other,
        kinds,
        (j.module.as_ref(), &j.classified),
    )
    .ok()
    .flatten()
    .as_ref()
        == Some(released)
    {
        return format!("the policy: the {} rule agrees", other.as_str());
    }
    let wanted = decide::distance(base, released);
    let got = proposed.map_or(Level::None, |p| decide::distance(base, p));
    let unclassified = kinds.iter().filter(|k| **k == Kind::Unclassified).count();
    if got > wanted && top == Kind::Breaking {
        let marker = j
            .classified
            .iter()
            .zip(kinds)
            .find(|(_, k)| **k == Kind::Breaking);
        return match marker.map(|(c, _)| &c.rule) {
            Some(Rule::Api { .. }) => {
                "an API break released as a smaller bump (see `explain --api` at that release)"
                    .into()
            }
            _ => "an explicit breaking marker the maintainers released as a smaller bump".into(),
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
