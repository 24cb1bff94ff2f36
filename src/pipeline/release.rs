//! The release-day commands on top of the report: release notes for a span,
//! the check before tagging, the plan, and the refusal of a tag that exists.

use std::path::{Path, PathBuf};

use semver::Version;

use super::Session;
use crate::classify::{Classified, Kind};
use crate::error::{Error, ErrorKind, Result};
use crate::history::Repo;
use crate::notes::changelog::{self, Changelog, Heading, Release};
use crate::notes::links::Links;
use crate::release::check::{self, CheckReport, Facts};
use crate::release::facts;
use crate::release::plan::{self, Plan};
use crate::report::{Report, json};
use crate::version::decide::{self, Level};
use crate::version::habits;
use crate::version::tag::{self, SkipReason};

/// Where `plan` looks, given by flags (each falls back to bumpwise.toml, then a default).
#[derive(Debug, Clone, Default)]
pub struct PlanLocations {
    /// The docs source folder (default `docs`).
    pub docs_dir: Option<String>,
    /// The mkdocs configuration (default `mkdocs.yml`).
    pub mkdocs: Option<String>,
    /// The images repository's `build.yaml`.
    pub images: Option<String>,
}

impl PlanLocations {
    /// The flags these locations were given as, each with a leading space, for
    /// the commands `plan` suggests (` --docs-dir site --mkdocs site.yml`).
    pub fn flags(&self) -> String {
        let mut out = String::new();
        for (flag, value) in [
            ("--docs-dir", &self.docs_dir),
            ("--mkdocs", &self.mkdocs),
            ("--images", &self.images),
        ] {
            if let Some(value) = value {
                out.push_str(&format!(" {flag} {value}"));
            }
        }
        out
    }
}

/// What `plan` may change or run, each only when asked.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanActions {
    /// Write the proposed images `build.yaml`.
    pub write_images: bool,
    /// Add the missing upcoming reference pages to the mkdocs nav.
    pub fix_nav: bool,
    /// Run the test command.
    pub run_tests: bool,
}

/// Which commits release notes cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// Since the last release, headed by the proposed version.
    Unreleased,
    /// `from..to`: `from` defaults to the last release before `to`, `to` to HEAD.
    Between {
        /// Exclusive start.
        from: Option<String>,
        /// Inclusive end.
        to: Option<String>,
    },
    /// Every release reachable from HEAD, one section each, plus what is unreleased.
    All,
    /// The last release reachable from HEAD (the tag at HEAD in a tag-triggered pipeline).
    Latest,
}

impl Session {
    /// Refuses a proposal whose tag, or whose version in another style, exists
    /// anywhere in the repository: on a maintenance line whose next minor was
    /// released from elsewhere, the commits that need more than a patch are named.
    ///
    /// # Errors
    ///
    /// A tag-exists error (exit 7) naming the tag; a repository error on a git failure.
    pub fn ensure_new_tag(&self, report: &Report) -> Result<()> {
        refuse_existing(&self.repo.tag_names()?, &self.config.tag_prefix, report)
    }

    /// Release notes for `span`; `today` (`YYYY-MM-DD`) dates a proposed release.
    ///
    /// # Errors
    ///
    /// Repository, incomplete-history and usage errors (a `from` or `to` that names no commit).
    pub fn changelog(&self, span: &Span, include_other: bool, today: &str) -> Result<Changelog> {
        let links = self.links();
        let mut warnings = Vec::new();
        let releases = match span {
            Span::Unreleased => {
                let (release, said) = self.unreleased_notes(include_other, today, &links)?;
                warnings = said;
                vec![release]
            }
            Span::Between { from, to } => {
                vec![self.notes_between(from.as_deref(), to.as_deref(), include_other, &links)?]
            }
            Span::Latest => {
                let report = self.report()?;
                let base = report.base.as_ref().ok_or_else(|| {
                    Error::usage("--latest: there is no release yet; drop --latest for the notes of what would be the first")
                })?;
                vec![self.notes_between(None, Some(&base.tag), include_other, &links)?]
            }
            Span::All => {
                let mut releases = self.all_releases(include_other, today, &links)?;
                releases.reverse();
                releases
            }
        };
        if !matches!(span, Span::Unreleased) {
            warnings = releases.iter().flat_map(|r| r.warnings.clone()).collect();
        }
        Ok(Changelog {
            schema_version: json::CHANGELOG_SCHEMA,
            releases,
            warnings,
        })
    }

    /// The notes of what is not released yet, headed by the proposed version.
    fn unreleased_notes(
        &self,
        include_other: bool,
        today: &str,
        links: &Links,
    ) -> Result<(Release, Vec<String>)> {
        let report = self.report()?;
        // HEAD is the release tag and nothing came after it (a tag-triggered pipeline): its notes.
        if report.commits.is_empty()
            && let Some(base) = report
                .base
                .as_ref()
                .filter(|b| b.commit == report.head.commit)
        {
            let release = self.notes_between(None, Some(&base.tag), include_other, links)?;
            let warnings = release.warnings.clone();
            return Ok((release, warnings));
        }
        let decision = &report.decision;
        let heading = Heading::proposed(
            decision.next_version.clone(),
            decision.next_tag.clone(),
            today,
        );
        // A pre-release's notes run from the previous pre-release of its version, unless asked otherwise.
        let since = self.pre.is_some()
            && self.config.prerelease_notes != crate::config::PrereleaseNotes::SinceStable;
        let previous = match since {
            true => previous_pre_release(&self.repo, &report)?,
            false => None,
        };
        let base = report.base.as_ref().map(|b| b.tag.clone());
        let commits = match previous {
            Some(previous) => self.range(&report.head.commit, Some(&previous))?,
            None => report.commits,
        };
        let mut release = notes_of(&self.config, &commits, heading, include_other, links);
        let records = commits.len();
        super::parallel::drop_elsewhere(commits, records);
        release.previous = base;
        Ok((release, report.warnings.clone()))
    }

    /// The notes of `from..to`; a release tag at `to` heads them with its version.
    fn notes_between(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        include_other: bool,
        links: &Links,
    ) -> Result<Release> {
        let to = match to {
            Some(rev) => self.repo.resolve(rev)?,
            None => self.repo.head()?.commit,
        };
        let tags = self.release_tags()?;
        let from = match from {
            Some(rev) => Some(self.repo.resolve(rev)?),
            None => {
                // The highest release below `to`: usually the first candidate checked.
                let mut found = None;
                for t in tags.iter().rev().filter(|t| t.commit != to) {
                    if self.repo.contains(&to, &t.commit)? {
                        found = Some(t.commit.clone());
                        break;
                    }
                }
                found
            }
        };
        let heading = tags
            .iter()
            .rev()
            .find(|t| t.commit == to)
            .map_or_else(Heading::default, Heading::tagged);
        let commits = self.range(&to, from.as_deref())?;
        let mut release = notes_of(&self.config, &commits, heading, include_other, links);
        release.previous = tags
            .iter()
            .rev()
            .find(|t| from.as_ref() == Some(&t.commit))
            .map(|t| t.name.clone());
        Ok(warned(release, &commits, false))
    }

    /// Every release's notes, oldest first: the whole history is read once and
    /// split by release ([`crate::notes::releases`]).
    fn all_releases(
        &self,
        include_other: bool,
        today: &str,
        links: &Links,
    ) -> Result<Vec<Release>> {
        let config = &self.config;
        let split = self.releases(false)?;
        let base = split.releases.last().map(|(t, _)| t.clone());
        let mut out = Vec::new();
        let tags: Vec<crate::version::tag::ReleaseTag> =
            split.releases.iter().map(|(t, _)| t.clone()).collect();
        for (i, (tag, commits)) in split.releases.into_iter().enumerate() {
            // The API is read against the release before it in its own history.
            let previous = super::backtest::base_in(&self.repo, i, &tags, &split.boundaries)?;
            let span = previous
                .as_ref()
                .map(|p| (p.commit.as_str(), tag.commit.as_str()));
            let commits = self.finish(commits, span)?;
            let heading = Heading::tagged(&tag);
            let mut release = notes_of(&self.config, &commits, heading, include_other, links);
            release.previous = previous.map(|p| p.name);
            out.push(warned(release, &commits, true));
        }
        if !split.unreleased.is_empty() {
            let head = self.repo.head()?.commit;
            let span = base.as_ref().map(|p| (p.commit.as_str(), head.as_str()));
            let commits = self.finish(split.unreleased, span)?;
            // Counted as `next` counts them: with the habits that apply.
            let learned =
                self.learned_habits(&commits, base.as_ref().map(|t| (&*t.name, &t.tag.version)))?;
            let version = base.as_ref().map(|t| &t.tag.version);
            let (kinds, followed) = habits::kinds_above(&commits, version, config.policy, &learned);
            let mut decision = decide::decide(
                version,
                &config.initial_version,
                config.policy,
                kinds,
                &self.request,
            )?;
            decide::release_commit(&mut decision, version, &commits);
            let base_commit = base.as_ref().map(|t| t.commit.as_str());
            let module = super::go_module(&self.repo, config, &head, base_commit)?;
            if let Some(module) = &module {
                decide::go_module(&mut decision, version, module, &self.request);
            }
            let v_style = base.as_ref().is_none_or(|t| t.tag.v);
            let tag = decision
                .next
                .as_ref()
                .map(|v| tag::format_tag(&config.tag_prefix, v_style, v));
            let heading = Heading::proposed(decision.next, tag, today);
            let mut release = notes_of(&self.config, &commits, heading, include_other, links);
            release.previous = base.map(|b| b.name);
            let mut release = warned(release, &commits, true);
            // The habit the proposed version follows, as `next` says it.
            let name = release.heading.tag.clone().unwrap_or_default();
            let said = followed.into_iter().map(crate::report::warnings::habit);
            release
                .warnings
                .extend(said.map(|w| format!("{name}: {w}")));
            out.push(release);
        }
        Ok(out)
    }

    /// Checks `tag` (or, without one, the proposed tag) before it is pushed.
    /// `None` when no tag is given and nothing warrants a release.
    ///
    /// # Errors
    ///
    /// Repository, incomplete-history and configuration errors: the check could not run.
    pub fn check(&self, tag: Option<&str>, strict: bool) -> Result<Option<CheckReport>> {
        let report = self.report()?;
        // A tag-triggered pipeline checks the tag it runs for, as it stood before it was made.
        if let Some(made) = just_made(&report, tag) {
            let before = self.report_before(Some(&made))?;
            return self.check_report(&before, Some(&made), strict, Some(&made));
        }
        // A pre-release tag at HEAD: made already, so not taken by another.
        let at_head = |t: &&str| {
            let commit = self.repo.resolve(&format!("refs/tags/{t}")).ok();
            commit.as_ref() == Some(&report.head.commit)
        };
        self.check_report(&report, tag, strict, tag.filter(at_head))
    }

    /// The check of `tag` against `report`; as before the tag `made` was made, when given.
    fn check_report(
        &self,
        report: &Report,
        tag: Option<&str>,
        strict: bool,
        made: Option<&str>,
    ) -> Result<Option<CheckReport>> {
        let Some(tag) = tag
            .map(str::to_string)
            .or_else(|| report.decision.next_tag.clone())
        else {
            return Ok(None);
        };
        let root = self.repo.workdir();
        let mut tags = self.repo.tag_names()?;
        tags.retain(|t| Some(t.as_str()) != made);
        let facts = Facts {
            tags,
            placement: self.repo.placement()?,
            changelog: facts::changelog_file(root, self.config.changelog.file.as_deref())?,
            docs: facts::deprecation_docs(root, self.config.deprecations_dir.as_deref())?,
            flags: self.options.flags.clone(),
        };
        Ok(Some(check::check(
            report,
            &tag,
            self.config.policy,
            &facts,
            strict,
        )))
    }

    /// The release plan for `tag` (or the proposed one): the guide's steps with
    /// what is done and what is left. With `write`, the images `build.yaml` gets
    /// the release (atomically, comments kept). `None` when there is no tag to plan.
    ///
    /// # Errors
    ///
    /// Repository, configuration and I/O errors.
    pub fn plan(
        &self,
        tag: Option<&str>,
        locations: &PlanLocations,
        actions: PlanActions,
        today: &str,
    ) -> Result<Option<Plan>> {
        // After tagging (HEAD is the release tag, nothing came after it, and
        // no other tag is asked for), that release is planned as it was
        // before its tag was made: the tag step is then done.
        let mut report = self.report()?;
        let made = just_made(&report, tag);
        if let Some(made) = &made {
            report = self.report_before(Some(made))?;
        }
        let tag = tag.or(made.as_deref());
        let Some(check) = self.check_report(&report, tag, false, made.as_deref())? else {
            return Ok(None);
        };
        let flags = self.options.flags.as_str();
        let facts = plan_facts(
            &self.repo,
            &self.config,
            (locations, flags),
            actions,
            (&check, today),
        )?;
        Ok(Some(plan::plan(&report, &check, &facts)))
    }
}

/// The release tag HEAD is at, with nothing after it, when no other tag is
/// asked for: `check` and `plan` take it as just made (a tag-triggered
/// pipeline), and see the history as it stood before it.
fn just_made(report: &Report, tag: Option<&str>) -> Option<String> {
    report
        .base
        .as_ref()
        .filter(|b| b.commit == report.head.commit && report.commits.is_empty())
        .filter(|b| tag.is_none_or(|t| t == b.tag))
        .map(|b| b.tag.clone())
}

/// For the notes of a pre-release (`--pre`, with `prerelease_notes =
/// "since-previous"`, the default), the commit of the newest pre-release of
/// the proposed version that HEAD contains; `None` when there is none, and
/// the notes run from the last stable release.
fn previous_pre_release(repo: &Repo, report: &Report) -> Result<Option<String>> {
    let Some(next) = &report.decision.next_version else {
        return Ok(None);
    };
    let mut earlier: Vec<(&Version, &str)> = report
        .skipped_tags
        .iter()
        .filter(|t| t.reason == SkipReason::PreRelease)
        .filter_map(|t| Some((t.version.as_ref()?, t.name.as_str())))
        .filter(|(v, _)| {
            (v.major, v.minor, v.patch) == (next.major, next.minor, next.patch) && *v < next
        })
        .collect();
    earlier.sort();
    for (_, name) in earlier.into_iter().rev() {
        let commit = repo.resolve(name)?;
        if repo.contains(&report.head.commit, &commit)? {
            return Ok(Some(commit));
        }
    }
    Ok(None)
}

/// `release` with the warnings `next` gives about its `commits`, each
/// prefixed with its tag when `named` (notes of several releases).
fn warned(mut release: Release, commits: &[Classified], named: bool) -> Release {
    let name = release
        .heading
        .tag
        .clone()
        .unwrap_or_else(|| "unreleased".into());
    release.warnings = crate::report::warnings::of_commits(commits)
        .into_iter()
        .map(|w| if named { format!("{name}: {w}") } else { w })
        .collect();
    release
}

/// Refuses `report`'s proposal when its tag, or its version in another
/// style, is among `tags` (see [`Session::ensure_new_tag`]).
fn refuse_existing(tags: &[String], prefix: &str, report: &Report) -> Result<()> {
    let (Some(tag), Some(version)) = (&report.decision.next_tag, &report.decision.next_version)
    else {
        return Ok(());
    };
    if report.base.is_none()
        && let Some(higher) = highest_release(tags, prefix).filter(|(_, v)| v >= version)
    {
        // A first release at or below a tagged one: the base was not found where it is.
        return Err(Error::usage(format!(
            "{tag} would be a first release, but {} is tagged: HEAD's history holds none of the release tags (tagged on a branch HEAD never merged, left out by `exclude_reachable`, or a commit-graph file that disagrees with the commits); `git tag --merged HEAD` lists what HEAD holds, `--release-as` chooses the version",
            higher.0
        )));
    }
    let Some(existing) = tag::collision(tags, tag, version, prefix) else {
        return Ok(());
    };
    let needing: Vec<String> = report
        .commits
        .iter()
        .filter(|c| matches!(c.effective_kind(), Kind::Feature | Kind::Breaking))
        .map(|c| format!("{} ({})", c.short_id(), c.subject()))
        .collect();
    let why = if needing.is_empty() || report.decision.bump == Level::Patch {
        String::new()
    } else {
        format!(
            "; this looks like a maintenance line, and these commits are not patch-safe: {}",
            crate::report::warnings::named(&needing)
        )
    };
    Err(Error::new(
        ErrorKind::TagExists,
        format!("{tag} would collide with the existing tag {existing}{why}"),
    ))
}

/// One release's notes from `commits`, with the configured sections.
fn notes_of(
    config: &crate::config::Config,
    commits: &[Classified],
    heading: Heading,
    include_other: bool,
    links: &Links,
) -> Release {
    let sections = &config.changelog.sections;
    changelog::release(commits, heading, include_other, (links, sections))
}

/// The highest stable release among `tags` (names behind `prefix`), with its version.
fn highest_release<'t>(tags: &'t [String], prefix: &str) -> Option<(&'t str, Version)> {
    tags.iter()
        .filter_map(|name| match tag::parse_tag(name, prefix) {
            tag::TagName::Version(t) if t.version.pre.is_empty() => {
                Some((name.as_str(), t.version))
            }
            _ => None,
        })
        .max_by(|a, b| a.1.cmp(&b.1))
}

/// What `plan` reads and runs besides the report and the check: the work
/// tree's docs, nav, images file and test command (the paths the user named
/// must exist), and the tests when asked.
fn plan_facts(
    repo: &Repo,
    config: &crate::config::Config,
    (locations, flags): (&PlanLocations, &str),
    actions: PlanActions,
    (check, today): (&CheckReport, &str),
) -> Result<plan::Facts> {
    let root = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
    let docs_dir = locations.docs_dir.as_deref().or(config.docs_dir.as_deref());
    let mkdocs = locations.mkdocs.as_deref().or(config.mkdocs.as_deref());
    let images = locations.images.as_deref().or(config.images.as_deref());
    // A path the user named must exist; a default that does not is a step that does not apply.
    let named = [
        (docs_dir.map(|d| root.join(d)), "--docs-dir or docs_dir"),
        (mkdocs.map(|m| root.join(m)), "--mkdocs or mkdocs"),
        (images.map(PathBuf::from), "--images or images"),
    ];
    for (path, flag) in named {
        if let Some(path) = path {
            facts::named_path(&path, flag)?;
        }
    }
    let docs: PathBuf = root.join(docs_dir.unwrap_or("docs"));
    // Pages are read and mkdocs.yml written there: no link may lead them out of the repository.
    if repo.workdir().is_some() {
        crate::fsio::stays_inside(&docs, &root)?;
        crate::fsio::stays_inside(&root.join(mkdocs.unwrap_or("mkdocs.yml")), &root)?;
    }
    let upcoming = facts::upcoming(
        &root,
        &docs,
        mkdocs.unwrap_or("mkdocs.yml"),
        actions.fix_nav,
    )?;
    let compact = today.replace('-', "");
    let images = match images {
        Some(path) => Some(facts::images_file(
            path,
            &check.tag,
            check.version.as_ref(),
            &compact,
            actions.write_images,
        )?),
        None => None,
    };
    let guess = facts::guess_test_command(&root).filter(|_| config.test_command.is_none());
    let test_command = config
        .test_command
        .clone()
        .or_else(|| guess.map(|(command, _)| command.to_string()));
    let tests = match (&test_command, actions.run_tests) {
        (Some(command), true) => Some(facts::run_tests(command, &root)?),
        _ => None,
    };
    let facts = plan::Facts {
        tag_exists: repo.tag_names()?.contains(&check.tag),
        test_command,
        test_guessed: guess.map(|(_, file)| file),
        flags: flags.to_string(),
        paths: locations.flags(),
        changelog: config
            .changelog
            .file
            .clone()
            .unwrap_or("CHANGELOG.md".into()),
        deprecations_dir: config
            .deprecations_dir
            .clone()
            .unwrap_or_else(|| format!("{}/deprecations", docs_dir.unwrap_or("docs"))),
        tests,
        upcoming,
        images,
        today: compact,
    };
    Ok(facts)
}
