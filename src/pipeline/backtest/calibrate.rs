//! What backtest makes of its judgements: the evidence settings tried, the
//! suggestion, and the calibrated `bumpwise.toml` of `init --from-history`.

use crate::report::backtest::{Agreement, BacktestReport, Suggestion};

use super::{Judged, MARGIN_PERCENT, MARGIN_RELEASES};

/// The evidence settings a range is judged under: the configured ones, and
/// each of them switched on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Evidence {
    /// The API is read.
    pub(super) api: bool,
    /// The paths are read (where they decide).
    pub(super) paths: bool,
    /// What no rule reads and changes shipped code is a patch.
    pub(super) patch: bool,
    /// Only the first parents of merges are followed (merges classified by their own message).
    pub(super) first_parent: bool,
}

impl Evidence {
    /// The evidence settings `config` holds.
    pub(super) fn of(config: &crate::config::Config) -> Evidence {
        Evidence {
            api: config.api.reads(),
            paths: config.evidence.paths,
            patch: config.rules.unclassified == crate::classify::Unclassified::Patch,
            first_parent: config.first_parent,
        }
    }

    /// The configured evidence settings, then each switched on its own where
    /// that can change something: the API off (when it is read), the paths,
    /// and what no rule reads (only while the paths are read).
    pub(super) fn variants(self) -> Vec<Evidence> {
        let configured = self;
        let mut out = vec![configured];
        if configured.api {
            out.push(Evidence {
                api: false,
                ..configured
            });
        }
        out.push(Evidence {
            paths: !configured.paths,
            ..configured
        });
        if configured.paths {
            out.push(Evidence {
                patch: !configured.patch,
                ..configured
            });
        }
        out
    }

    /// What the passes over a range read under these settings.
    pub(super) fn reading(self) -> crate::pipeline::settle::Reading {
        crate::pipeline::settle::Reading {
            api: self.api,
            paths: self.paths,
            patch: self.patch,
        }
    }

    /// The settings that differ from `configured`, as `bumpwise.toml` lines.
    pub(super) fn settings(self, configured: Evidence) -> Vec<String> {
        let mut out = Vec::new();
        if self.api != configured.api {
            out.push(format!("[api] enabled = {}", self.api));
        }
        if self.paths != configured.paths {
            out.push(format!("[evidence] paths = {}", self.paths));
        }
        if self.patch != configured.patch {
            let value = if self.patch { "patch" } else { "none" };
            out.push(format!("[evidence] unclassified = \"{value}\""));
        }
        if self.first_parent != configured.first_parent {
            out.insert(0, format!("first_parent = {}", self.first_parent));
        }
        out
    }
}

/// The alternative that agrees best, when it beats the settings in force (the
/// first alternative) by more than the margin.
pub(super) fn suggest(
    alternatives: &[(Vec<String>, Vec<Option<bool>>)],
    judged: &[Judged],
    current: &Agreement,
) -> Option<Suggestion> {
    let agreed = |v: &[Option<bool>]| v.iter().filter(|x| **x == Some(true)).count();
    let now = &alternatives[0].1;
    // On a tie the first wins: the fewest settings changed.
    let (settings, verdicts) = alternatives
        .iter()
        .skip(1)
        .rev()
        .filter(|(settings, v)| !hides_breaks(settings) || shown_wrong(judged, v, now))
        .max_by_key(|(_, v)| agreed(v))?;
    let best = agreed(verdicts);
    let margin = MARGIN_RELEASES.max(current.counted * MARGIN_PERCENT / 100);
    if best < current.agreed + margin {
        return None;
    }
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
                text = set_key(&text, setting);
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

/// `template` with the key of `setting` (`key = value`, or `[section] key =
/// value`) set: the first line of that section assigning the key gets the new
/// value, its comment kept in its column.
fn set_key(template: &str, setting: &str) -> String {
    let (section, assignment) = match setting.strip_prefix('[') {
        Some(rest) => match rest.split_once("] ") {
            Some((section, assignment)) => (Some(section), assignment),
            None => (None, setting),
        },
        None => (None, setting),
    };
    let Some((key, value)) = assignment.split_once(" = ") else {
        return template.to_string();
    };
    let mut current: Option<&str> = None;
    let mut done = false;
    let mut out = String::with_capacity(template.len() + 8);
    for line in template.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            current = Some(name);
        }
        let here = trimmed
            .strip_prefix(key)
            .and_then(|r| r.strip_prefix(" = "))
            .filter(|_| !done && current == section);
        let Some(old) = here else {
            out.push_str(line);
            continue;
        };
        let (old_value, comment) = match old.find(" #") {
            Some(at) => (&old[..at], &old[at..]),
            None => (old, ""),
        };
        let width = old_value.len().max(value.len());
        let comment = comment.trim_start();
        if comment.is_empty() {
            out.push_str(&format!("{key} = {value}\n"));
        } else {
            out.push_str(&format!("{key} = {value:<width$} {comment}\n"));
        }
        done = true;
    }
    out
}

/// Whether `settings` switch off evidence of breaking changes (the API).
fn hides_breaks(settings: &[String]) -> bool {
    settings.iter().any(|s| s == "[api] enabled = false")
}

/// Whether the releases of the newest phase (before 1.0, or from 1.0) show
/// the evidence in force wrong where `alternative` is right: it turns at
/// least one of them right and none wrong. Another phase's releases never
/// decide for this one (a 0.x line that shipped API breaks as patches says
/// nothing of the 1.x line after it).
fn shown_wrong(judged: &[Judged], alternative: &[Option<bool>], now: &[Option<bool>]) -> bool {
    let phase = |j: &Judged| j.base.as_ref().map(|b| b.tag.version.major == 0);
    let Some(newest) = judged.iter().rev().find_map(phase) else {
        return false;
    };
    let (mut right, mut wrong) = (0, 0);
    for ((j, alt), cur) in judged.iter().zip(alternative).zip(now) {
        if phase(j) == Some(newest) {
            right += usize::from(*alt == Some(true) && *cur == Some(false));
            wrong += usize::from(*alt == Some(false) && *cur == Some(true));
        }
    }
    right > 0 && wrong == 0
}

#[cfg(test)]
mod tests {
    use super::set_key;

    #[test]
    fn a_setting_replaces_the_value_in_its_section_and_keeps_the_comment_column() {
        let template = "policy = \"guide\"\n\n[evidence]\npaths = true     # read paths\n\n[api]\nenabled = true   # read the API\n[other]\nenabled = true\n";
        let text = set_key(template, "[evidence] paths = false");
        assert!(text.contains("\npaths = false    # read paths\n"), "{text}");
        let text = set_key(&text, "[api] enabled = false");
        assert!(
            text.contains("[api]\nenabled = false  # read the API\n[other]\nenabled = true\n"),
            "{text}"
        );
        let text = set_key(&text, "policy = \"cargo\"");
        assert!(text.starts_with("policy = \"cargo\"\n"), "{text}");
        // A key in no such section changes nothing.
        assert_eq!(set_key(&text, "[nowhere] paths = true"), text);
    }
}
