//! The passes over a classified range, in their one order, for every caller.
//!
//! The per-commit workers ([`super::parallel`]) classify each commit by its
//! message (and, where every commit's facts are wanted, its paths). What only
//! the range as a whole can say comes after, here, in one order for `next`,
//! `explain`, the JSON, `changelog`, `backtest` and the hint of `next` alike:
//!
//! 1. [`Pass::Reverts`]: a commit and its revert, both in the range, cancel out;
//! 2. [`Pass::Api`]: what the range did to the public API, each change given to
//!    the commit that made it (read once, whatever the readings);
//! 3. [`Pass::Paths`]: the changed paths, where only the version is wanted,
//!    read only where they can still change it (see [`crate::version::deciding`]);
//! 4. [`Pass::Overrides`]: the maintainers' word, `bumpwise.toml` then git notes.
//!
//! A range can be settled under several [`Reading`]s at once (backtest judges
//! each release under the settings in force and under each switched on its
//! own): the passes over the whole range run once, and the passes per reading
//! run on the range as the ones before left it for that reading (the API pass
//! logs what it changed, so the range without it costs no copy).
//!
//! Which commits make the range (foreign histories left out, first parents
//! followed) is the walk's to say, before the workers: [`super::merges`].

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use crate::classify::{self, Classified, Kind};
use crate::config::{self, Config};
use crate::error::Result;
use crate::evidence;
use crate::evidence::api::units::{Cache, Delta};
use crate::history::{self, Objects, Repo};
use crate::report::ApiReport;

/// A pass over a classified range, in the order [`PASSES`] runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Revert pairs cancel out.
    Reverts,
    /// The public API, net over the range, attributed to commits.
    Api,
    /// The changed paths where they can change the version.
    Paths,
    /// `bumpwise.toml`'s overrides, then the git notes.
    Overrides,
}

/// The passes, in their one order. The first two run once over the range;
/// the others once per reading.
pub const PASSES: [Pass; 4] = [Pass::Reverts, Pass::Api, Pass::Paths, Pass::Overrides];

impl Pass {
    /// Whether the pass runs once per reading rather than once per range.
    fn per_reading(self) -> bool {
        matches!(self, Pass::Paths | Pass::Overrides)
    }
}

/// What the passes read: the evidence settings a range is settled under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// The API is read (between the range's ends, when it has a base).
    pub api: bool,
    /// The paths are read where they decide (when only the version is wanted).
    pub paths: bool,
    /// What no rule reads and changes shipped code is a patch.
    pub patch: bool,
}

impl Reading {
    /// The settings `config` holds.
    pub fn of(config: &Config) -> Reading {
        Reading {
            api: config.api.reads(),
            paths: config.evidence.paths,
            patch: config.rules.unclassified == classify::Unclassified::Patch,
        }
    }

    /// By the messages alone (revert pairs and overrides still apply).
    pub fn messages(config: &Config) -> Reading {
        Reading {
            api: false,
            paths: false,
            ..Reading::of(config)
        }
    }
}

/// A range as the passes leave it.
pub struct Settled {
    /// The commits as the first reading leaves them.
    pub commits: Vec<Classified>,
    /// What the API pass read, when it ran.
    pub api: Option<ApiReport>,
    /// The effective kinds under each reading, in the order given.
    pub kinds: Vec<Vec<Kind>>,
}

/// What a session keeps between ranges: each fact read once per session.
#[derive(Default)]
pub struct Caches {
    /// The bumpwise notes, read on first use.
    notes: OnceCell<HashMap<String, String>>,
    /// What the API evidence parsed, kept for every range of the session.
    pub(super) api: Cache,
    /// The last net API comparison (base tree, head tree, files, delta).
    pub(super) api_net: ApiNet,
    /// The paths read on this thread, by commit: backtest reads a commit's
    /// paths for more than one setting.
    pub(super) paths: RefCell<HashMap<String, Rc<evidence::paths::Paths>>>,
}

/// See [`Caches`]' `api_net`.
pub(super) type ApiNet = RefCell<Option<(history::ObjectId, history::ObjectId, usize, Rc<Delta>)>>;

/// What the passes need besides the range: the repository, the settings in
/// force, what the session keeps, and whether only the version is wanted.
#[derive(Clone, Copy)]
pub struct Settler<'a> {
    pub(super) repo: &'a Repo,
    pub(super) config: &'a Config,
    pub(super) caches: &'a Caches,
    /// Only the version is wanted: work that cannot change it is skipped.
    pub(super) version_only: bool,
    /// The counts and warnings are reported too (`next`; not a release a
    /// backtest judges): the few commits no rule read are read for them.
    pub(super) facts: bool,
}

/// The range's commits for one reading: `from`, with `under` standing in
/// for some of them (the commits as they were before the API changed them).
type View<'v> = (&'v [Classified], &'v HashMap<usize, Classified>);

impl Settler<'_> {
    /// Runs [`PASSES`] over `commits` (newest first) under each of `readings`
    /// (at least one; the first is the one whose commits are returned). The
    /// API is read between `span`'s ends (base, head) when the first reading
    /// reads it and there is a span.
    ///
    /// # Errors
    ///
    /// Repository errors, and a configuration error for an invalid note.
    pub fn settle(
        &self,
        objects: &dyn Objects,
        commits: Vec<Classified>,
        span: Option<(&str, &str)>,
        readings: &[Reading],
    ) -> Result<Settled> {
        let first = readings[0];
        let mut range = Range {
            commits,
            before: HashMap::new(),
            api_read: false,
            api: None,
            none: HashMap::new(),
        };
        for pass in PASSES.iter().filter(|p| !p.per_reading()) {
            match pass {
                Pass::Reverts => classify::pair_reverts(&mut range.commits),
                Pass::Api => {
                    if let (true, Some(span)) = (first.api, span) {
                        let log = readings.iter().any(|r| !r.api);
                        let (api, before) =
                            self.read_api_logged(objects, &mut range.commits, span, log)?;
                        range.before = before.into_iter().collect();
                        range.api = api;
                        range.api_read = true;
                    }
                }
                Pass::Paths | Pass::Overrides => {}
            }
        }
        // What the workers read for the API pass has served.
        let spent: Vec<_> = (range.commits.iter_mut())
            .filter_map(|c| c.api_own.take())
            .collect();
        let records = spent.len();
        super::parallel::drop_elsewhere(spent, records);
        // What no rule reads can only matter where some commit is unread.
        let unread = range
            .commits
            .iter()
            .any(|c| c.kind == Kind::Unclassified && !c.cancelled());
        let mut kinds = vec![Vec::new(); readings.len()];
        let mut same = Vec::new();
        for (at, &reading) in readings.iter().enumerate().skip(1) {
            if reading.patch != first.patch && !unread {
                same.push(at);
                continue;
            }
            kinds[at] = self.kinds_under(objects, range.view(reading), reading)?;
        }
        // The first reading last: its commits are moved, not copied.
        let read = self.per_reading(objects, range.view(first), first)?;
        let mut commits = range.commits;
        for (k, c) in read {
            commits[k] = c;
        }
        self.apply_overrides(&mut commits)?;
        kinds[0] = commits.iter().map(Classified::effective_kind).collect();
        for at in same {
            kinds[at] = kinds[0].clone();
        }
        Ok(Settled {
            commits,
            api: range.api,
            kinds,
        })
    }

    /// The passes per reading that change commits ([`Pass::Paths`]) on a
    /// view: the commits they change, by index.
    fn per_reading(
        &self,
        objects: &dyn Objects,
        (from, under): View<'_>,
        reading: Reading,
    ) -> Result<Vec<(usize, Classified)>> {
        if !(self.version_only && reading.paths) {
            return Ok(Vec::new());
        }
        let mut rules = self.config.rules.clone();
        rules.unclassified = match reading.patch {
            true => classify::Unclassified::Patch,
            false => classify::Unclassified::None,
        };
        self.paths_deciding_over(objects, from, under, &rules)
    }

    /// The effective kinds under `reading` ([`Self::per_reading`], then the
    /// overrides), a commit copied only where an override applies.
    fn kinds_under(
        &self,
        objects: &dyn Objects,
        view: View<'_>,
        reading: Reading,
    ) -> Result<Vec<Kind>> {
        let (from, under) = view;
        let read: HashMap<usize, Classified> = self
            .per_reading(objects, view, reading)?
            .into_iter()
            .collect();
        let overrides = !self.config.overrides.is_empty() || !self.notes()?.is_empty();
        let mut out = Vec::with_capacity(from.len());
        for (k, c) in from.iter().enumerate() {
            let c = read.get(&k).or_else(|| under.get(&k)).unwrap_or(c);
            out.push(if overrides && self.overridden(&c.id())? {
                let mut copy = c.clone();
                self.override_one(&mut copy)?;
                copy.effective_kind()
            } else {
                c.effective_kind()
            });
        }
        Ok(out)
    }

    /// Applies the maintainers' overrides: `bumpwise.toml` first, then the git note on top.
    fn apply_overrides(&self, commits: &mut [Classified]) -> Result<()> {
        for c in commits.iter_mut() {
            self.override_one(c)?;
        }
        Ok(())
    }

    /// Applies the override of `c` (in `bumpwise.toml`, then its note), if any.
    fn override_one(&self, c: &mut Classified) -> Result<()> {
        let configured = self
            .config
            .overrides
            .iter()
            .find(|(id, _)| c.id().starts_with(id.as_str()));
        if let Some((_, o)) = configured {
            classify::apply_override(c, o, "config");
        }
        if let Some(text) = self.notes()?.get(&*c.id()) {
            let o = config::parse_note(text, &c.id())?;
            classify::apply_override(c, &o, "note");
        }
        Ok(())
    }

    /// Whether a maintainer's override (in `bumpwise.toml` or a note) may change `id`'s kind.
    pub(super) fn overridden(&self, id: &str) -> Result<bool> {
        let configured = self
            .config
            .overrides
            .keys()
            .any(|k| id.starts_with(k.as_str()));
        Ok(configured || self.notes()?.contains_key(id))
    }

    /// Warnings for overrides in `bumpwise.toml` and notes that match no commit of the repository.
    pub(super) fn unmatched_overrides(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for id in self.config.overrides.keys() {
            if self.repo.resolve(id).is_err() {
                out.push(format!(
                    "[overrides.{id}] in bumpwise.toml matches no commit in this repository; check the id"
                ));
            }
        }
        let notes = self.notes()?;
        for id in notes.keys() {
            if self.repo.resolve(id).is_err() {
                out.push(format!(
                    "a bumpwise note annotates {}, which is no commit in this repository; remove it with `git notes --ref bumpwise remove {id}`",
                    evidence::message::short_id(id)
                ));
            }
        }
        Ok(out)
    }
}

impl<'a> Settler<'a> {
    /// The bumpwise notes, read once per session.
    pub(super) fn notes(&self) -> Result<&'a HashMap<String, String>> {
        let caches = self.caches;
        if let Some(notes) = caches.notes.get() {
            return Ok(notes);
        }
        let notes = self.repo.notes()?;
        Ok(caches.notes.get_or_init(|| notes))
    }
}

/// A range between the passes over it and the passes per reading.
struct Range {
    /// The commits, with the API read when it was.
    commits: Vec<Classified>,
    /// With the API read, the commits it changed as they were before, by index.
    before: HashMap<usize, Classified>,
    /// Whether the API pass ran.
    api_read: bool,
    /// What it read.
    api: Option<ApiReport>,
    /// No commit stands in for another.
    none: HashMap<usize, Classified>,
}

impl Range {
    /// The commits `reading` reads: as the API left them when it reads the
    /// API (or the API was not read), as they were before it otherwise.
    fn view(&self, reading: Reading) -> View<'_> {
        match (self.api_read, reading.api) {
            (true, false) => (&self.commits, &self.before),
            _ => (&self.commits, &self.none),
        }
    }
}
