//! The pipeline from a repository path to a [`Report`] or a [`Changelog`].
//!
//! Owns the order of the stages and nothing else: open the repository, load
//! the configuration, read the history, parse and classify the commits,
//! decide, and assemble the report or the notes. It never prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::changelog::{self, Changelog, Heading};
use crate::check::{self, CheckReport, Facts};
use crate::classify::{self, Classified, Override, Rules};
use crate::config::{self, Config, Layer};
use crate::decide::{self, Request};
use crate::error::Result;
use crate::fsio;
use crate::git::{History, HistoryOptions, ReadCommit, ReleaseTag, Repo};
use crate::links::Links;
use crate::message;
use crate::plan::Plan;
use crate::report::{self, CommitReport, Report};

/// What to analyze, and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The repository (or a path inside it).
    pub repo: PathBuf,
    /// An explicit configuration file instead of `bumpwise.toml` at the root.
    pub config_file: Option<PathBuf>,
    /// Settings from flags, on top of the file.
    pub overrides: Layer,
    /// A human's choice of version or level.
    pub request: Request,
    /// Propose a pre-release with this identifier (`rc` → `X.Y.Z-rc.N`).
    pub pre: Option<String>,
    /// Build metadata to append to the proposed version.
    pub build: Option<String>,
    /// The monorepo package to consider (its tags and paths), when one is chosen.
    pub package: Option<String>,
}

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
}

/// An open repository with its effective configuration.
pub struct Session {
    repo: Repo,
    config: Config,
    request: Request,
    pre: Option<String>,
    build: Option<String>,
    package: Option<String>,
    notes: std::cell::OnceCell<HashMap<String, String>>,
}

impl Session {
    /// Opens the repository and loads the configuration.
    ///
    /// # Errors
    ///
    /// Repository or configuration errors.
    pub fn open(options: &Options) -> Result<Session> {
        let repo = Repo::open(&options.repo)?;
        let (layer, _) = config::load(repo.workdir(), options.config_file.as_deref())?;
        let mut config = Config::resolve(layer.merge(options.overrides.clone()))?;
        if let Some(name) = &options.package {
            config = config.for_package(name)?;
        }
        Ok(Session {
            repo,
            config,
            request: options.request.clone(),
            pre: options.pre.clone(),
            build: options.build.clone(),
            package: options.package.clone(),
            notes: std::cell::OnceCell::new(),
        })
    }

    /// The effective configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Link templates: the configuration's, completed from the `origin` remote.
    pub fn links(&self) -> Links {
        Links::resolve(
            &self.config.links,
            self.repo.remote_url("origin").as_deref(),
        )
    }

    /// Reads the history since the last release, classifies it and decides.
    ///
    /// # Errors
    ///
    /// Repository, incomplete-history and usage errors (see [`crate::error::exit`]).
    pub fn report(&self) -> Result<Report> {
        let config = &self.config;
        let options = HistoryOptions {
            tag_prefix: config.tag_prefix.clone(),
            first_parent: config.first_parent,
            exclude: config.exclude_reachable.clone(),
            paths: config.paths.clone(),
        };
        let (history, mut classified) = classify_while_walking(
            &self.repo,
            &config.rules,
            |each| self.repo.history(&options, each),
            |h| h.commits.clone(),
        )?;
        let history = History {
            head: history.head,
            selection: history.selection,
            commits: Vec::new(),
            merges_skipped: history.merges_skipped,
            shallow: history.shallow,
        };
        classify::pair_reverts(&mut classified);
        self.apply_overrides(&mut classified)?;
        let base = history.selection.base.as_ref().map(|b| &b.tag.version);
        let mut decision = decide::decide(
            base,
            &config.initial_version,
            config.policy,
            classified.iter().map(classify::Classified::effective_kind),
            &self.request,
        )?;
        self.shape(&mut decision, &history.selection.skipped)?;
        let mut report = Report::build(history, classified, &decision, config, &self.request);
        report.package = self.package.clone();
        Ok(report)
    }

    /// For the notes of a pre-release (`--pre`), the commit of the newest
    /// pre-release of the same version that HEAD contains, when the notes run
    /// from it (`prerelease_notes = "since-previous"`, the default); `None` when
    /// they run from the last stable release, which folds the pre-releases in.
    fn previous_pre_release(&self, report: &Report) -> Result<Option<String>> {
        let (Some(_), Some(next)) = (&self.pre, &report.decision.next_version) else {
            return Ok(None);
        };
        if self.config.prerelease_notes == config::PrereleaseNotes::SinceStable {
            return Ok(None);
        }
        let next =
            semver::Version::parse(next).map_err(|e| crate::error::Error::io(e.to_string()))?;
        let mut earlier: Vec<(semver::Version, &str)> = report
            .skipped_tags
            .iter()
            .filter(|t| t.reason == crate::tag::SkipReason::PreRelease)
            .filter_map(|t| {
                Some((
                    semver::Version::parse(t.version.as_deref()?).ok()?,
                    t.name.as_str(),
                ))
            })
            .filter(|(v, _)| {
                (v.major, v.minor, v.patch) == (next.major, next.minor, next.patch) && *v < next
            })
            .collect();
        earlier.sort();
        for (_, name) in earlier.into_iter().rev() {
            let commit = self.repo.resolve(name)?;
            if self.repo.contains(&report.head.commit, &commit)? {
                return Ok(Some(commit));
            }
        }
        Ok(None)
    }

    /// Applies `--pre` and `--build` to the decided version.
    fn shape(
        &self,
        decision: &mut decide::Decision,
        skipped: &[crate::tag::Skipped],
    ) -> Result<()> {
        let Some(next) = decision.next.as_mut() else {
            return Ok(());
        };
        if let Some(id) = &self.pre {
            let tagged: Vec<semver::Version> = skipped
                .iter()
                .filter(|s| s.reason == crate::tag::SkipReason::PreRelease)
                .filter_map(|s| s.version.clone())
                .collect();
            *next = decide::pre_release(next, id, &tagged)?;
        }
        if let Some(meta) = &self.build {
            next.build = semver::BuildMetadata::new(meta).map_err(|e| {
                crate::error::Error::usage(format!(
                    "--build `{meta}` is not SemVer build metadata ({e}); use e.g. 20260101.1"
                ))
            })?;
        }
        Ok(())
    }

    /// Refuses a proposal whose tag, or whose version in another style, exists
    /// anywhere in the repository: on a maintenance line whose next minor was
    /// released from elsewhere, the commits that need more than a patch are named.
    ///
    /// # Errors
    ///
    /// A tag-exists error (exit 7) naming the tag; a repository error on a git failure.
    pub fn ensure_new_tag(&self, report: &Report) -> Result<()> {
        let (Some(tag), Some(version)) = (&report.decision.next_tag, &report.decision.next_version)
        else {
            return Ok(());
        };
        let prefix = &self.config.tag_prefix;
        let Some(existing) = self.repo.tag_names()?.into_iter().find(|name| {
            name == tag
                || matches!(crate::tag::parse_tag(name, prefix), crate::tag::TagName::Version(t) if t.version.to_string() == *version)
        }) else {
            return Ok(());
        };
        let needing: Vec<String> = report
            .commits
            .iter()
            .filter(|c| {
                matches!(
                    c.effective_kind,
                    classify::Kind::Feature | classify::Kind::Breaking
                )
            })
            .map(|c| format!("{} ({})", c.short_id(), c.subject))
            .collect();
        let why = if needing.is_empty() || report.decision.bump == decide::Level::Patch {
            String::new()
        } else {
            format!(
                "; this looks like a maintenance line, and these commits are not patch-safe: {}",
                needing.join(", ")
            )
        };
        Err(crate::error::Error::new(
            crate::error::ErrorKind::TagExists,
            format!("{tag} would collide with the existing tag {existing}{why}"),
        ))
    }

    /// Release notes for `span`; `today` (`YYYY-MM-DD`) dates a proposed release.
    ///
    /// # Errors
    ///
    /// Repository, incomplete-history and usage errors (a `from` or `to` that names no commit).
    pub fn changelog(&self, span: &Span, include_other: bool, today: &str) -> Result<Changelog> {
        let links = self.links();
        let prefix = &self.config.tag_prefix;
        let mut releases = Vec::new();
        match span {
            Span::Unreleased => {
                let report = self.report()?;
                let heading = Heading {
                    date: report.decision.release.then(|| today.to_string()),
                    version: report.decision.next_version.clone(),
                    tag: report.decision.next_tag.clone(),
                };
                let commits = match self.previous_pre_release(&report)? {
                    Some(previous) => self.range(&report.head.commit, Some(&previous))?,
                    None => report.commits,
                };
                releases.push(changelog::release(&commits, heading, include_other, &links));
            }
            Span::Between { from, to } => {
                let to = match to {
                    Some(rev) => self.repo.resolve(rev)?,
                    None => self.repo.head_commit()?.commit,
                };
                let tags = self.repo.release_tags(prefix)?;
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
                let heading =
                    tags.iter()
                        .rev()
                        .find(|t| t.commit == to)
                        .map_or_else(Heading::default, |t| Heading {
                            version: Some(t.tag.version.to_string()),
                            tag: Some(t.name.clone()),
                            date: Some(changelog::civil_date(t.time)),
                        });
                let commits = self.range(&to, from.as_deref())?;
                releases.push(changelog::release(&commits, heading, include_other, &links));
            }
            Span::All => {
                releases = self.all_releases(include_other, today, &links)?;
                releases.reverse();
            }
        }
        Ok(Changelog {
            schema_version: changelog::SCHEMA_VERSION,
            releases,
        })
    }

    /// Checks `tag` (or, without one, the proposed tag) before it is pushed.
    /// `None` when no tag is given and nothing warrants a release.
    ///
    /// # Errors
    ///
    /// Repository, incomplete-history and configuration errors: the check could not run.
    pub fn check(&self, tag: Option<&str>, strict: bool) -> Result<Option<CheckReport>> {
        self.check_report(&self.report()?, tag, strict)
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
        let report = self.report()?;
        let Some(check) = self.check_report(&report, tag, false)? else {
            return Ok(None);
        };
        let root = self
            .repo
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let docs = root.join(
            locations
                .docs_dir
                .as_deref()
                .or(self.config.docs_dir.as_deref())
                .unwrap_or("docs"),
        );
        let mkdocs_name = locations
            .mkdocs
            .as_deref()
            .or(self.config.mkdocs.as_deref())
            .unwrap_or("mkdocs.yml");
        let upcoming_dir = docs.join("reference").join("upcoming");
        let upcoming = if upcoming_dir.is_dir() {
            let mut pages: Vec<String> = std::fs::read_dir(&upcoming_dir)
                .map_err(|e| {
                    crate::error::Error::io(format!("cannot read {}: {e}", upcoming_dir.display()))
                })?
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".md"))
                .map(|n| format!("reference/upcoming/{n}"))
                .collect();
            pages.sort();
            let mkdocs_path = root.join(mkdocs_name);
            let mut nav = fsio::read_if_exists(&mkdocs_path)?.unwrap_or_default();
            if actions.fix_nav {
                let pages: Vec<crate::mkdocs::Page> = pages
                    .iter()
                    .filter(|p| !nav.contains(p.as_str()))
                    .map(|p| {
                        let text = std::fs::read_to_string(docs.join(p)).unwrap_or_default();
                        crate::mkdocs::Page {
                            path: p.clone(),
                            title: crate::mkdocs::title(&text, p),
                        }
                    })
                    .collect();
                if !pages.is_empty()
                    && let Some(fixed) = crate::mkdocs::add_pages(&nav, &pages)
                {
                    fsio::write_atomic(&mkdocs_path, fixed.as_bytes())?;
                    nav = fixed;
                }
            }
            let referenced: Vec<String> = nav
                .lines()
                .filter_map(|l| {
                    let at = l.find("reference/upcoming/")?;
                    let rest = &l[at..];
                    let end = rest.find(".md")? + 3;
                    Some(rest[..end].to_string())
                })
                .collect();
            let missing = pages
                .iter()
                .filter(|p| !referenced.contains(p))
                .cloned()
                .collect();
            let dangling = referenced
                .iter()
                .filter(|r| !pages.contains(r))
                .cloned()
                .collect();
            Some((mkdocs_name.to_string(), missing, dangling))
        } else {
            None
        };
        let compact = today.replace('-', "");
        let images = match locations
            .images
            .as_deref()
            .or(self.config.images.as_deref())
        {
            None => None,
            Some(path) => {
                let text = fsio::read_if_exists(Path::new(path))?.ok_or_else(|| {
                    crate::error::Error::io(format!(
                        "cannot read {path}: no such file; give the images repository's build.yaml"
                    ))
                })?;
                let version = check
                    .version
                    .as_deref()
                    .and_then(|v| semver::Version::parse(v).ok());
                let proposal =
                    version.and_then(|v| crate::images::propose(&text, &check.tag, &v, &compact));
                match (proposal, actions.write_images) {
                    (Some(proposal), true) => {
                        fsio::write_atomic(Path::new(path), proposal.content.as_bytes())?;
                        Some((path.to_string(), None))
                    }
                    (proposal, _) => Some((path.to_string(), proposal)),
                }
            }
        };
        let tests_passed = match (&self.config.test_command, actions.run_tests) {
            (Some(command), true) => Some(
                std::process::Command::new("sh")
                    .args(["-c", command])
                    .current_dir(&root)
                    .stdin(std::process::Stdio::null())
                    .output()
                    .map_err(|e| crate::error::Error::io(format!("cannot run `{command}`: {e}")))?
                    .status
                    .success(),
            ),
            _ => None,
        };
        let facts = crate::plan::Facts {
            tag_exists: self.repo.tag_names()?.contains(&check.tag),
            test_command: self.config.test_command.clone(),
            tests_passed,
            upcoming,
            images,
            today: compact,
        };
        Ok(Some(crate::plan::plan(&report, &check, &facts)))
    }

    fn check_report(
        &self,
        report: &Report,
        tag: Option<&str>,
        strict: bool,
    ) -> Result<Option<CheckReport>> {
        let Some(tag) = tag
            .map(str::to_string)
            .or_else(|| report.decision.next_tag.clone())
        else {
            return Ok(None);
        };
        let root = self.repo.workdir().map(Path::to_path_buf);
        let in_root = |path: &str| {
            root.as_ref()
                .map_or_else(|| PathBuf::from(path), |r| r.join(path))
        };
        let changelog = match &self.config.changelog {
            Some(path) => Some((path.clone(), fsio::read_if_exists(&in_root(path))?)),
            None => fsio::read_if_exists(&in_root("CHANGELOG.md"))?
                .map(|text| ("CHANGELOG.md".to_string(), Some(text))),
        };
        let docs = match &self.config.deprecations_dir {
            Some(dir) => {
                let path = in_root(dir);
                let pages = std::fs::read_dir(&path)
                    .map(|entries| {
                        entries
                            .filter_map(|e| e.ok())
                            .filter_map(|e| {
                                e.file_name()
                                    .to_str()?
                                    .strip_suffix(".md")
                                    .map(str::to_string)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Some((
                    dir.clone(),
                    fsio::read_if_exists(&path.join("index.md"))?,
                    pages,
                ))
            }
            None => None,
        };
        let facts = Facts {
            tags: self.repo.tag_names()?,
            placement: self.repo.placement()?,
            changelog,
            docs,
        };
        Ok(Some(check::check(
            report,
            &tag,
            self.config.policy,
            &facts,
            strict,
        )))
    }

    /// Every release's notes, oldest first: the whole history is read once, and
    /// each release takes the commits reachable from its tag that no earlier
    /// release took; what no release took is unreleased.
    fn all_releases(
        &self,
        include_other: bool,
        today: &str,
        links: &Links,
    ) -> Result<Vec<changelog::Release>> {
        let config = &self.config;
        let head = self.repo.head_commit()?.commit;
        let (nodes, classified) = classify_while_walking(
            &self.repo,
            &config.rules,
            |each| {
                self.repo.graph(
                    &head,
                    config.first_parent,
                    &config.exclude_reachable,
                    &config.paths,
                    each,
                )
            },
            |nodes| nodes.iter().filter_map(|n| n.commit).collect(),
        )?;
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let tags: Vec<ReleaseTag> = self
            .repo
            .release_tags(&config.tag_prefix)?
            .into_iter()
            .filter(|t| index.contains_key(t.commit.as_str()))
            .collect();
        let mut owner: Vec<Option<usize>> = vec![None; nodes.len()];
        for (release, tag) in tags.iter().enumerate() {
            let mut stack = vec![index[tag.commit.as_str()]];
            while let Some(i) = stack.pop() {
                if owner[i].is_some() {
                    continue;
                }
                owner[i] = Some(release);
                stack.extend(
                    nodes[i]
                        .parents
                        .iter()
                        .filter_map(|p| index.get(p.as_str())),
                );
            }
        }
        let mut groups: Vec<Vec<Classified>> = (0..=tags.len()).map(|_| Vec::new()).collect();
        let unowned = tags.len();
        drop(index);
        // `classified` holds the nodes' commits in the nodes' order.
        let mut classified = classified.into_iter();
        for (node, owner) in nodes.iter().zip(owner) {
            if node.commit.is_some()
                && let Some(commit) = classified.next()
            {
                groups[owner.unwrap_or(unowned)].push(commit);
            }
        }
        let unreleased = groups.pop().unwrap_or_default();
        let mut out = Vec::new();
        for (tag, commits) in tags.iter().zip(groups) {
            let heading = Heading {
                version: Some(tag.tag.version.to_string()),
                tag: Some(tag.name.clone()),
                date: Some(changelog::civil_date(tag.time)),
            };
            out.push(changelog::release(
                &self.finish(commits)?,
                heading,
                include_other,
                links,
            ));
        }
        if !unreleased.is_empty() {
            let commits = self.finish(unreleased)?;
            let base = tags.last();
            let decision = decide::decide(
                base.map(|t| &t.tag.version),
                &config.initial_version,
                config.policy,
                commits.iter().map(|c| c.effective_kind),
                &self.request,
            )?;
            let heading = Heading {
                tag: decision.next.as_ref().map(|v| {
                    crate::tag::format_tag(&config.tag_prefix, base.is_none_or(|t| t.tag.v), v)
                }),
                date: decision.next.is_some().then(|| today.to_string()),
                version: decision.next.map(|v| v.to_string()),
            };
            out.push(changelog::release(&commits, heading, include_other, links));
        }
        Ok(out)
    }

    /// Pairs reverts, applies overrides, and makes the report's view of each commit.
    fn finish(&self, mut classified: Vec<Classified>) -> Result<Vec<CommitReport>> {
        classify::pair_reverts(&mut classified);
        self.apply_overrides(&mut classified)?;
        let limit = self.config.max_subject_chars;
        Ok(classified
            .into_iter()
            .map(|c| report::commit_report(c, limit))
            .collect())
    }

    /// The classified commits of `from..to`, read once each, with reverts paired and overrides applied.
    fn range(&self, to: &str, from: Option<&str>) -> Result<Vec<CommitReport>> {
        let config = &self.config;
        let (_, classified) = classify_while_walking(
            &self.repo,
            &config.rules,
            |each| {
                self.repo.commits(
                    to,
                    from,
                    config.first_parent,
                    &config.exclude_reachable,
                    &config.paths,
                    each,
                )
            },
            |(kept, _)| kept.clone(),
        )?;
        self.finish(classified)
    }

    /// Applies the maintainers' overrides: `bumpwise.toml` first, then the git note on top.
    fn apply_overrides(&self, commits: &mut [Classified]) -> Result<()> {
        let notes = match self.notes.get() {
            Some(notes) => notes,
            None => {
                let notes = self.repo.notes()?;
                self.notes.get_or_init(|| notes)
            }
        };
        for c in commits.iter_mut() {
            let configured = self
                .config
                .overrides
                .iter()
                .find(|(id, _)| c.commit.id.starts_with(id.as_str()));
            if let Some((_, o)) = configured {
                classify::apply_override(c, o, "config");
            }
            if let Some(text) = notes.get(&*c.commit.id) {
                let o = config::parse_note(text, &c.commit.id)?;
                classify::apply_override(c, &o, "note");
            }
        }
        Ok(())
    }
}

/// Runs `walk`, reading, parsing and classifying the commits it hands on in
/// batches on other threads (one per core), so that the walk (libgit2, on this
/// thread) and the work on messages overlap. When the walk takes parents from
/// git's commit-graph, it reads no message itself and the other threads read
/// them, on every core. `walk` hands each commit to the function it is given
/// and keeps the index that function returns; `kept` finds those indices in
/// the walk's result. Returns the result and the classified commits it kept, in order.
fn classify_while_walking<W>(
    repo: &Repo,
    rules: &Rules,
    walk: impl FnOnce(&mut dyn FnMut(ReadCommit) -> usize) -> Result<W>,
    kept: impl Fn(&W) -> Vec<usize>,
) -> Result<(W, Vec<Classified>)> {
    /// Commits per hand-over: one wake-up of a worker per batch, not per commit.
    const BATCH: usize = 512;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    std::thread::scope(|scope| {
        let (sender, receiver) =
            std::sync::mpsc::sync_channel::<(usize, Vec<ReadCommit>)>(2 * workers);
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        // Finished batches come back as they are done, so that they are moved into the
        // result (and freed) while the walk goes on, not all held until it ends.
        let (done_sender, done) = std::sync::mpsc::channel::<(usize, Vec<Classified>)>();
        let mut handles = Vec::with_capacity(workers);
        for _ in 0..workers {
            let receiver = std::sync::Arc::clone(&receiver);
            let reader = repo.reader();
            let done_sender = done_sender.clone();
            let work = move || -> Result<()> {
                loop {
                    // A poisoned lock means another worker panicked; join reports that below.
                    let next = match receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => break,
                    };
                    let Ok((seq, batch)) = next else { break };
                    let classified = batch
                        .into_iter()
                        .map(|read| {
                            let raw = read.decode(&reader)?;
                            Ok(classify::classify(message::parse(raw), rules).compact())
                        })
                        .collect::<Result<Vec<_>>>()?;
                    if done_sender.send((seq, classified)).is_err() {
                        break;
                    }
                }
                Ok(())
            };
            handles.push(
                std::thread::Builder::new()
                    .name("classify".into())
                    .spawn_scoped(scope, work)
                    .map_err(|e| crate::error::Error::io(format!("cannot start a thread: {e}")))?,
            );
        }
        drop(receiver);
        drop(done_sender);
        let mut classified = Vec::new();
        let mut early = std::collections::BTreeMap::new();
        // Moves the finished batches that are next in order into `classified`.
        let mut take = |seq: usize, batch: Vec<Classified>, classified: &mut Vec<Classified>| {
            early.insert(seq, batch);
            while let Some(batch) = early.remove(&(classified.len() / BATCH)) {
                let full = batch.len() == BATCH;
                if classified.capacity() - classified.len() < batch.len() {
                    // An eighth more, not twice as much: a long range wastes little room.
                    classified.reserve_exact(batch.len().max(classified.len() / 8));
                }
                classified.extend(batch);
                if !full {
                    break;
                }
            }
        };
        let mut count = 0;
        let mut batch = Vec::with_capacity(BATCH);
        let walked = walk(&mut |read| {
            batch.push(read);
            if batch.len() == BATCH {
                // The workers only stop early on an error, which join reports below.
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                let _ = sender.send((count / BATCH, full));
                while let Ok((seq, finished)) = done.try_recv() {
                    take(seq, finished, &mut classified);
                }
            }
            count += 1;
            count - 1
        });
        let _ = sender.send((count / BATCH, batch));
        drop(sender);
        for (seq, finished) in done.iter() {
            take(seq, finished, &mut classified);
        }
        for handle in handles {
            handle.join().map_err(|_| {
                crate::error::Error::io("classifying commits failed unexpectedly")
            })??;
        }
        let walked = walked?;
        let kept = kept(&walked);
        // Usually every commit classified is kept, in order: no second copy then.
        if kept.iter().enumerate().all(|(i, &k)| i == k) && kept.len() == classified.len() {
            return Ok((walked, classified));
        }
        let mut slots: Vec<Option<Classified>> = classified.into_iter().map(Some).collect();
        let commits = kept
            .into_iter()
            .filter_map(|i| slots.get_mut(i)?.take())
            .collect();
        Ok((walked, commits))
    })
}

/// Runs the whole pipeline to a report.
///
/// ```no_run
/// let options = bumpwise::analyze::Options { repo: ".".into(), ..Default::default() };
/// let report = bumpwise::analyze::analyze(&options)?;
/// println!("{:?}", report.decision.next_tag);
/// # Ok::<(), bumpwise::error::Error>(())
/// ```
///
/// # Errors
///
/// Repository, configuration, incomplete-history and usage errors (see
/// [`crate::error::exit`]).
pub fn analyze(options: &Options) -> Result<Report> {
    Session::open(options)?.report()
}

/// Records `change` in the git note on the commit `rev` names, on top of what
/// the note already says. Returns the commit's full id and the note's new content.
///
/// This is the one operation that writes to a repository, and it writes only
/// under [`crate::git::NOTES_REF`].
///
/// # Errors
///
/// A usage error when `rev` names no commit; a configuration error when the
/// existing note is invalid; a repository error when the note cannot be written.
pub fn mark(repo: &std::path::Path, rev: &str, change: Override) -> Result<(String, Override)> {
    let repo = Repo::open(repo)?;
    let commit = repo.resolve(rev)?;
    let mut merged = Override::default();
    repo.update_note(&commit, |current| {
        let current = match current {
            Some(text) => config::parse_note(&text, &commit)?,
            None => Override::default(),
        };
        merged = current.merge(change);
        Ok(config::note_text(&merged))
    })?;
    Ok((commit, merged))
}

/// Writes a commented `bumpwise.toml` with every default: at `explicit`, or at
/// the root of the repository containing `repo`. Returns the path written.
///
/// # Errors
///
/// A usage error when the file exists (it is never overwritten) or a bare
/// repository gives no place for it; an I/O error when it cannot be written.
pub fn init(repo: &Path, explicit: Option<&Path>) -> Result<PathBuf> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => Repo::open(repo)?
            .workdir()
            .map(|root| root.join(config::FILE_NAME))
            .ok_or_else(|| {
                crate::error::Error::usage(
                    "a bare repository has no work tree for bumpwise.toml; pass --config FILE",
                )
            })?,
    };
    if path.exists() {
        return Err(crate::error::Error::usage(format!(
            "{} exists; bumpwise init never overwrites it (`bumpwise config` prints what is in force)",
            path.display()
        )));
    }
    fsio::write_atomic(&path, config::init_template().as_bytes())?;
    Ok(path)
}
