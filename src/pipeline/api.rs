//! The API pass: what the range did to the public API, net, and which
//! commit did each part of it.
//!
//! One comparison of the base release's tree with HEAD's finds the source
//! files that could hold an API; their units (Go packages, Rust crates) are
//! read at both ends, so what a range adds and removes again counts for
//! nothing. Only when that leaves a change, or a keyword feature the API
//! could lower, are the commits compared one by one, newest first, and then
//! only below the directories that matter, until every change has its
//! commit, their sources parsed ahead in windows on two threads. Each blob
//! is parsed once.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::classify::{self, Classified};
use crate::error::Result;
use crate::evidence::api::apart::units_apart;
use crate::evidence::api::attribute::{
    ChangedFiles, changed_files, dir_of, kept_within, made, scopes_of,
};
use crate::evidence::api::units::{
    ApiRules, Cache, Delta, OwnApi, ReadAhead, Reader, Unit, UnitDelta, delta_within,
};
use crate::evidence::api::{ChangeKind, Language};
use crate::evidence::paths::{Kept, PathRules};
use crate::history::{ChangedPath, ObjectId, Objects};
use crate::report::{ApiChange, ApiReport};

use super::ahead::{Ahead, Pending, needed, pending_of};
use super::settle::Settler;

/// How many Go files the net comparison parses before half of them are
/// worth a second thread (and a second reader of the repository).
#[cfg(feature = "go")]
const PARSE_AHEAD_FROM: usize = 32;

/// Parsed sources the walk keeps before it starts over.
const WALK_CACHE_KEPT: usize = 16_384;

/// How many commits the walk parses ahead for at first, and at most: each
/// window twice the last, so a walk that stops early parsed little ahead.
const WALK_AHEAD: (usize, usize) = (32, 4096);

/// Commits as they were before the API pass changed them, by index.
pub(super) type Before = Vec<(usize, Classified)>;

/// The attribution walk's state.
struct Walk {
    /// Net changes not yet attributed, by name, with where they live (see [`Delta::origins`]).
    pending: Pending,
    /// What the workers read parts ahead for, where it is this walk.
    trusted: Option<Arc<ReadAhead>>,
    attributed: Vec<ApiChange>,
    /// The keyword features the API could lower, by index; emptied when lowering can no longer matter.
    candidates: Vec<usize>,
    /// How many of them are still ahead.
    left: usize,
    notes: Vec<String>,
    /// Whether HEAD ships a Go binary, a Rust one: each read when a commit first meets a change in that language.
    binaries: [Option<bool>; 2],
    /// Only the version is wanted, and it is settled: nothing more can change it.
    settled: bool,
    /// When asked, each commit changed, as it was before, by index.
    undo: Option<Before>,
}

impl Settler<'_> {
    /// Reads what `commits` (the range from `base`, newest first) did to the
    /// public API, raises the commits that changed it and lowers the keyword
    /// features that added nothing to it. `None` when no API is read. With
    /// `log`, also each commit it changed as it was before, by index (so that
    /// the range without the API needs no copy).
    pub(crate) fn read_api_logged(
        &self,
        objects: &dyn Objects,
        commits: &mut [Classified],
        (base, head): (&str, &str),
        log: bool,
    ) -> Result<(Option<ApiReport>, Before)> {
        let config = &self.config;
        if !config.api.reads() {
            return Ok((None, Vec::new()));
        }
        let api = self.api_reader(objects);
        let (head_tree, files_changed, net) = self.net_api(objects, &api, (base, head))?;
        // Where every commit's paths were read, the workers judged the candidates already.
        let mut candidates: Vec<usize> = (0..commits.len())
            .filter(|&i| self.version_only && classify::api::lowerable(&commits[i]))
            .collect();
        // Only the version is wanted: lowering cannot change it when a commit
        // the paths cannot lower is a feature or more already.
        let firm = |c: &Classified| {
            !c.cancelled() && !c.excluded && (c.breaking.is_some() || c.deprecation.is_some())
        };
        if self.version_only
            && !candidates.is_empty()
            && (commits.iter().any(firm) || self.feature_stands(objects, commits)?)
        {
            candidates.clear();
        }
        let pending = pending_of(&net);
        // Every part read ahead in one run was read for the same walk.
        let trusted = commits
            .iter()
            .find_map(|c| c.api_own.as_ref()?.scoped.clone())
            .filter(|read| read.pending == pending);
        let mut walk = Walk {
            pending,
            trusted,
            attributed: Vec::new(),
            left: candidates.len(),
            candidates,
            notes: net.notes.clone(),
            binaries: [None, None],
            settled: false,
            undo: log.then(Vec::new),
        };
        let context = (objects, &api, head_tree);
        self.walk(commits, &mut walk, context, false)?;
        if !walk.pending.is_empty() && !walk.settled {
            // An item that moved between files was made where the walk did not look: look at its directory.
            self.walk(commits, &mut walk, context, true)?;
        }
        let mut attributed = walk.attributed;
        attributed.extend(walk.pending.into_values().map(|(change, _)| ApiChange {
            change,
            commit: None,
        }));
        attributed.sort_by(|a, b| a.change.name.cmp(&b.change.name));
        let mut notes = walk.notes;
        notes.sort();
        notes.dedup();
        let report = ApiReport {
            // Asked for some language: whether any answered yes.
            rust_binaries: walk
                .binaries
                .iter()
                .flatten()
                .copied()
                .reduce(|a, b| a || b),
            files_changed,
            changes: attributed,
            notes,
        };
        Ok((Some(report), walk.undo.unwrap_or_default()))
    }

    /// What the workers read ahead for the attribution walk of the range
    /// between `base` and `head` (commits), as the API pass will read it:
    /// `None` when the API is not read or the range changed none of it. The
    /// net comparison made here is kept for the pass.
    ///
    /// # Errors
    ///
    /// A repository error when a tree or blob cannot be read.
    pub(crate) fn ahead(
        &self,
        objects: &dyn Objects,
        (base, head): (&str, &str),
    ) -> Result<Option<Ahead>> {
        if !self.config.api.reads() {
            return Ok(None);
        }
        let (_, _, net) = self.net_api(objects, &self.api_reader(objects), (base, head))?;
        if net.changes.is_empty() {
            return Ok(None);
        }
        Ok(Some(Ahead::new(pending_of(&net))))
    }

    /// The API reader of this session over `objects`.
    fn api_reader<'o>(&'o self, objects: &'o dyn Objects) -> Reader<'o> {
        let config = &self.config;
        Reader::new(
            objects,
            &config.api.rules,
            &config.path_classes,
            &self.caches.api,
        )
    }

    /// The net comparison of `base` with `head` (commits): HEAD's tree, how
    /// many files that could hold an API changed, and what they did to it.
    /// The last one is kept: backtest judges a release's range again
    /// (following first parents) between the same trees, and the API pass
    /// reads what reading ahead read ([`super::ahead`]).
    fn net_api(
        &self,
        objects: &dyn Objects,
        api: &Reader<'_>,
        (base, head): (&str, &str),
    ) -> Result<(ObjectId, usize, std::rc::Rc<Delta>)> {
        let (base, _) = self.repo.trees_of(base)?;
        let (head, _) = self.repo.trees_of(head)?;
        if let Some((b, h, files, net)) = &*self.caches.api_net.borrow()
            && (*b, *h) == (base, head)
        {
            return Ok((head, *files, std::rc::Rc::clone(net)));
        }
        let mut changed = changed_files(objects, head, Some(base), None)?;
        changed.files.retain(|c| api.unit(&c.path).is_some());
        // With no package chosen, the release is the root's: units released
        // apart are not read. A tag prefix naming a directory (`tools/v`, a Go
        // module's tags) says the release is that directory's.
        let prefix = &self.config.tag_prefix;
        let own = prefix.rfind('/').map(|at| &prefix[..=at]);
        let apart = match (&self.config.rules.package, changed.cut) {
            (Some(_), _) | (None, true) => BTreeMap::new(),
            (None, false) => {
                let units: BTreeSet<Unit> = changed
                    .files
                    .iter()
                    .filter_map(|c| api.unit(&c.path))
                    .filter(|u| own.is_none_or(|dir| !u.dir.starts_with(dir)))
                    .collect();
                units_apart(objects, &units, (Some(base), head))?
            }
        };
        if !apart.is_empty() {
            changed
                .files
                .retain(|c| api.unit(&c.path).is_none_or(|u| !apart.contains_key(&u)));
        }
        self.parse_ahead(objects, api, &changed)?;
        let mut net = api.delta(&changed, Some(base), head)?;
        net.notes.extend(apart.into_values());
        let net = std::rc::Rc::new(net);
        let files = changed.files.len();
        *self.caches.api_net.borrow_mut() = Some((base, head, files, std::rc::Rc::clone(&net)));
        Ok((head, files, net))
    }

    /// Parses the Go files `changed` holds (both sides), where there are many,
    /// half of them on another thread, for `api` to keep: the net comparison
    /// then finds them parsed. Parsing is most of what the comparison costs,
    /// and needs no lock the other thread's reads share.
    fn parse_ahead(
        &self,
        objects: &dyn Objects,
        api: &Reader<'_>,
        changed: &ChangedFiles,
    ) -> Result<()> {
        #[cfg(feature = "go")]
        {
            use crate::evidence::api::units::parse_go;
            let ids = api.go_unparsed(changed);
            if ids.len() < PARSE_AHEAD_FROM {
                return Ok(());
            }
            let reader = self.repo.reader();
            let held = api.go_prints();
            let parse_all = |objects: &dyn Objects, ids: Vec<ObjectId>| {
                let mut prints = held.clone();
                ids.into_iter()
                    .map(|id| parse_go(objects, id, &mut prints))
                    .collect::<Result<Vec<_>>>()
            };
            let parsed = super::parallel::in_halves(
                ids,
                move |older| parse_all(&reader.objects()?, older),
                |newer| parse_all(objects, newer),
            )?;
            api.keep_go(parsed);
        }
        #[cfg(not(feature = "go"))]
        let _ = (objects, api, changed);
        Ok(())
    }

    /// Parses ahead, on two threads where there are many, the Go sources the
    /// walk will read of `window` (the next commits) within `scopes`: those
    /// whose own files the workers kept and did not read. A window ends early
    /// where the cache would overflow: returns how many commits it covered.
    fn parse_window(
        &self,
        objects: &dyn Objects,
        api: &Reader<'_>,
        window: &[Classified],
        (scopes, wide, trusted): (&[String], bool, Option<&Arc<ReadAhead>>),
    ) -> Result<usize> {
        let mut files = Vec::new();
        let mut covered = window.len();
        for (at, commit) in window.iter().enumerate() {
            let Some(own) = commit.api_own.as_ref() else {
                continue;
            };
            if usable_parts(own, wide, trusted).is_some() {
                continue;
            }
            if commit.merge() && !self.config.first_parent {
                continue;
            }
            files.extend(own_within(&own.files, scopes, wide));
            if 2 * files.len() >= WALK_CACHE_KEPT / 2 {
                covered = at + 1;
                break;
            }
        }
        let changed = ChangedFiles { files, cut: false };
        self.caches
            .api
            .make_room(2 * changed.files.len(), WALK_CACHE_KEPT);
        self.parse_ahead(objects, api, &changed)?;
        Ok(covered)
    }

    /// Walks `commits` newest first, comparing each only within the scopes of
    /// the pending changes (their directories when `wide`) and in full for a
    /// candidate, until nothing is pending.
    fn walk(
        &self,
        commits: &mut [Classified],
        walk: &mut Walk,
        (objects, api, head_tree): (&dyn Objects, &Reader<'_>, crate::history::ObjectId),
        wide: bool,
    ) -> Result<()> {
        let mut scopes = Vec::new();
        let mut known = usize::MAX;
        // Commits before `ahead.0` have had their sources parsed ahead; the next window is `ahead.1` long.
        let mut ahead = (0, WALK_AHEAD.0);
        for i in 0..commits.len() {
            let candidate = !wide && walk.candidates.binary_search(&i).is_ok();
            let left = if wide { 0 } else { walk.left };
            if walk.settled || (walk.pending.is_empty() && left == 0) {
                break;
            }
            if walk.pending.is_empty() && !candidate {
                continue;
            }
            // A merge that brings a foreign history is judged by its message: what
            // the foreign tree exports is no change it made (see `super::merges`).
            if commits[i].merge() && !self.config.first_parent {
                continue;
            }
            if known != walk.pending.len() {
                known = walk.pending.len();
                scopes = scopes_of(&walk.pending, wide);
            }
            if i >= ahead.0 && !walk.pending.is_empty() {
                let end = commits.len().min(i + ahead.1);
                let window = (scopes.as_slice(), wide, walk.trusted.as_ref());
                let covered = self.parse_window(objects, api, &commits[i..end], window)?;
                ahead = (i + covered, (ahead.1 * 2).min(WALK_AHEAD.1));
            }
            let commit = &mut commits[i];
            let how = (candidate, wide, walk.trusted.as_ref());
            let Some(delta) = self.delta_within((objects, api), commit, &scopes, how)? else {
                continue;
            };
            let before = walk
                .undo
                .as_ref()
                .filter(|undo| !undo.iter().any(|(k, _)| *k == i))
                .map(|_| commit.clone());
            self.attribute(commit, candidate, delta, api, head_tree, walk)?;
            // What the next commits reuse is what their neighbours parsed: a long walk keeps little.
            self.caches.api.bound(WALK_CACHE_KEPT);
            if let (Some(before), Some(undo)) = (before, walk.undo.as_mut())
                && before != *commit
            {
                undo.push((i, before));
            }
        }
        Ok(())
    }

    /// What `commit` did to the API the walk reads: to every unit for a
    /// `candidate`, else to the units of the files within `scopes` (of the
    /// files within `scopes` only, when `wide`); `None` when it changed none
    /// of them. From the files the workers kept with its paths, and what they
    /// read of them, when they did; else from a comparison of its trees.
    fn delta_within(
        &self,
        (objects, api): (&dyn Objects, &Reader<'_>),
        commit: &Classified,
        scopes: &[String],
        (candidate, wide, trusted): (bool, bool, Option<&Arc<ReadAhead>>),
    ) -> Result<Option<Delta>> {
        if let (Some(own), false) = (&commit.api_own, candidate) {
            let parts = usable_parts(own, wide, trusted);
            // Read ahead and no pending change made: nothing the walk gives away here.
            if parts.is_some_and(<[UnitDelta]>::is_empty) && own.scoped.is_some() {
                return Ok(None);
            }
            let files = own_within(&own.files, scopes, wide);
            if files.is_empty() {
                return Ok(None);
            }
            return Ok(Some(match parts {
                Some(parts) => delta_within(parts, &files, &self.config.api.rules),
                None => {
                    let (tree, parent) = self.repo.trees_of(&commit.id())?;
                    api.delta(&ChangedFiles { files, cut: false }, parent, tree)?
                }
            }));
        }
        let (tree, parent) = self.repo.trees_of(&commit.id())?;
        let scope = (!candidate).then_some(scopes);
        let mut files = changed_files(objects, tree, parent, scope)?;
        if files.files.is_empty() && !files.cut && !candidate {
            return Ok(None);
        }
        if !candidate && !wide {
            // A package is its directory: read every file of it the commit changed.
            let dirs = package_dirs(&files.files);
            files = changed_files(objects, tree, parent, Some(&dirs))?;
        }
        Ok(Some(api.delta(&files, parent, tree)?))
    }

    /// Gives `c` the pending net changes its `delta` made, raises or lowers it,
    /// and, when only the version is wanted, says whether it is settled.
    fn attribute(
        &self,
        c: &mut Classified,
        candidate: bool,
        delta: Delta,
        api: &Reader<'_>,
        head_tree: crate::history::ObjectId,
        walk: &mut Walk,
    ) -> Result<()> {
        walk.notes.extend(delta.notes);
        let mut mine = Vec::new();
        for by in &delta.changes {
            if let Some((net, _)) = walk.pending.get(&by.name)
                && made(net, by)
            {
                let net = walk
                    .pending
                    .remove(&by.name)
                    .map_or_else(|| by.clone(), |(net, _)| net);
                walk.attributed.push(ApiChange {
                    change: net.clone(),
                    commit: Some(c.id().to_string()),
                });
                mine.push(net);
            }
        }
        let firm = !c.cancelled() && !self.overridden(&c.id())?;
        if candidate {
            walk.left -= 1;
            // As the workers judge it (see `lower_alone`): by the commit's own change.
            let added = delta.changes.iter().any(|x| x.change == ChangeKind::Added);
            if delta.library && !delta.outside && !added {
                classify::api::lower(c, &self.config.rules);
            } else if self.version_only && firm && (added || delta.outside) {
                // A feature that ships stays one: lowering the rest cannot change the version.
                walk.candidates.clear();
                walk.left = 0;
                walk.settled = !walk.pending.values().any(|(x, _)| x.change.breaking());
            }
        }
        if !mine.is_empty() {
            // Whether a binary ships in a language this commit's changes are in, read once per language.
            let mut binaries = false;
            for (at, language) in [(0, Language::Go), (1, Language::Rust)] {
                if binaries || !mine.iter().any(|x| x.language == language) {
                    continue;
                }
                binaries = match walk.binaries[at] {
                    Some(found) => found,
                    None => *walk.binaries[at].insert(api.binaries(head_tree, language)?),
                };
            }
            classify::api::apply(c, mine, binaries, &self.config.rules);
        }
        if self.version_only && firm && matches!(c.rule, classify::Rule::Api { .. }) {
            let breaking_left = walk.pending.values().any(|(x, _)| x.change.breaking());
            walk.settled |= c.kind == classify::Kind::Breaking
                || (!breaking_left && c.kind >= classify::Kind::Feature);
        }
        Ok(())
    }
}

/// Reads what `c`'s own change (`trees`: its tree and its parent's; `kept`:
/// the files that could hold an API, as its paths were read) did to the
/// public API, and lowers `c`, a keyword feature, to a fix when that touched
/// library code only and added nothing to any API. Run on the worker threads,
/// where every commit is read anyway, each with its `cache` of parsed sources.
/// With `ahead` (and `c` at walk index `index`), also reads what it did
/// within the attribution walk's scopes, for the walk ([`super::ahead`]).
pub(crate) fn read_own(
    c: &mut Classified,
    (objects, cache): (&dyn Objects, &Cache),
    (rules, classes, classify): (&ApiRules, &PathRules, &classify::Rules),
    (tree, parent): (ObjectId, Option<ObjectId>),
    (kept, ahead, index): (Kept, Option<&Ahead>, usize),
) -> Result<OwnApi> {
    // Only a candidate's sources are parsed here, and those the walk will read
    // when it is known to: the walk may never reach the others.
    let api = Reader::new(objects, rules, classes, cache);
    let mut parts = None;
    let mut scoped = None;
    if classify::api::lowerable(c) {
        let (delta, read) = api.deltas(&kept.files, (parent, tree), true)?;
        let added = delta.changes.iter().any(|x| x.change == ChangeKind::Added);
        if delta.library && !delta.outside && !kept.refused && !added {
            classify::api::lower(c, classify);
        }
        parts = Some(read);
    } else if let Some(read) = ahead.and_then(|a| a.for_commit(index)) {
        let files = own_within(&kept.files.files, &read.scopes, false);
        if !files.is_empty() {
            let changed = ChangedFiles { files, cut: false };
            let (_, read_now) = api.deltas(&changed, (parent, tree), true)?;
            parts = Some(needed(read_now, read));
            scoped = Some(Arc::clone(read));
        }
    }
    if let (Some(ahead), Some(parts)) = (ahead, &parts) {
        ahead.record(index, &kept.files.files, parts);
    }
    Ok(OwnApi {
        files: kept.files.files.into_boxed_slice(),
        parts: parts.map(Vec::into_boxed_slice),
        scoped,
    })
}

/// What `own` did unit by unit, where the walk can use it: every unit, or
/// (read ahead for this walk, `trusted`) the units within its first scopes,
/// which cover what it reads unless it looks `wide`.
fn usable_parts<'o>(
    own: &'o OwnApi,
    wide: bool,
    trusted: Option<&Arc<ReadAhead>>,
) -> Option<&'o [UnitDelta]> {
    let usable = match &own.scoped {
        None => true,
        Some(scoped) => !wide && trusted.is_some_and(|t| Arc::ptr_eq(t, scoped)),
    };
    own.parts.as_deref().filter(|_| usable)
}

/// What the walk reads of a commit's kept `files`: those within `scopes`
/// and, unless `wide`, every other file of their packages (a package is its
/// directory); none when no file is within `scopes`.
fn own_within(files: &[ChangedPath], scopes: &[String], wide: bool) -> Vec<ChangedPath> {
    let within = kept_within(files, scopes);
    if wide || within.is_empty() {
        return within;
    }
    kept_within(files, &package_dirs(&within))
}

/// The directories (Go packages) of `files`, in their order, each once where adjacent.
fn package_dirs(files: &[ChangedPath]) -> Vec<String> {
    let mut dirs: Vec<String> = files.iter().map(|f| dir_of(&f.path)).collect();
    dirs.dedup();
    dirs
}
