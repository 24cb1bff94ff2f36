//! The attribution walk's reading, done ahead on the worker threads.
//!
//! The API pass ([`super::api`]) gives each net change of a range to the
//! newest commit that made it, walking the commits newest first and parsing
//! every version of the files that hold the changes, on one thread after the
//! workers. Where every commit's paths are read anyway (`explain`,
//! `changelog`, the JSON), the range's ends are known before the walk: the
//! net comparison is made first, and the workers, which compare each commit's
//! trees already, read what each commit did to the units within its scopes
//! (the files of the pending changes) while they are at it, on every core.
//! The walk then only looks the parts up.
//!
//! Reading ahead must not cost what the walk would have saved by stopping
//! early: each commit that made a pending change in its own file records it,
//! and once every change has such a commit the walk can go no further than
//! the oldest of them (it gives each change away there at the latest), so the
//! workers read no commit beyond it.
//!
//! The base the workers assume is the release the walk tries first. Where the
//! walk settles on another, or the parts do not cover what the walk asks
//! (its second, wider look), the walk compares the trees itself, as it does
//! without reading ahead: parts read ahead change how fast, never what.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::Error;
use crate::evidence::api::Change;
use crate::evidence::api::attribute::{made, scopes_of, within};
use crate::evidence::api::units::{Delta, ReadAhead, UnitDelta};
use crate::history::ChangedPath;
use crate::version::tag::{self, Reach};

use super::settle::Settler;

/// Net changes not yet attributed, by name, with where they live (see [`Delta::origins`]).
pub(crate) type Pending = BTreeMap<String, (Change, String)>;

/// The net changes of `net`, each with where it lives: what the walk attributes.
pub(super) fn pending_of(net: &Delta) -> Pending {
    net.changes
        .iter()
        .map(|c| {
            let origin = net.origins.get(&c.name).cloned().unwrap_or_default();
            (c.name.clone(), (c.clone(), origin))
        })
        .collect()
}

/// What the workers read ahead for the walk, shared between them.
pub(crate) struct Ahead {
    /// The walk's pending changes and first scopes.
    read: Arc<ReadAhead>,
    /// For each pending change, the oldest-known commit (walk index) that made it in its own file.
    makers: Mutex<BTreeMap<String, usize>>,
    /// No commit past this walk index needs reading ahead.
    bound: AtomicUsize,
}

impl Ahead {
    /// Reading ahead for the changes of `pending`.
    pub(super) fn new(pending: Pending) -> Self {
        let scopes = scopes_of(&pending, false).into_boxed_slice();
        Self::reading(Arc::new(ReadAhead { pending, scopes }))
    }

    /// Reading ahead for the same walk over a second walk of the range (its
    /// commits numbered anew): what the first found of the bound does not hold.
    pub(super) fn afresh(&self) -> Self {
        Self::reading(Arc::clone(&self.read))
    }

    fn reading(read: Arc<ReadAhead>) -> Self {
        Self {
            read,
            makers: Mutex::new(BTreeMap::new()),
            bound: AtomicUsize::new(usize::MAX),
        }
    }

    /// What the commit at walk index `index` is read ahead for, when it needs reading ahead at all.
    pub(super) fn for_commit(&self, index: usize) -> Option<&Arc<ReadAhead>> {
        (index <= self.bound.load(Ordering::Relaxed)).then_some(&self.read)
    }

    /// Notes which pending changes the commit at walk index `index`, which
    /// changed `files`, made in their own files (`parts`: what it did): the
    /// walk gives each such change away there or at a newer commit.
    pub(super) fn record(&self, index: usize, files: &[ChangedPath], parts: &[UnitDelta]) {
        let pending = &self.read.pending;
        let mut mine = parts
            .iter()
            .flat_map(|p| p.changes.iter())
            .filter(|by| {
                pending.get(&by.name).is_some_and(|(net, origin)| {
                    made(net, by) && files.iter().any(|f| within(&f.path, origin))
                })
            })
            .peekable();
        if mine.peek().is_none() {
            return;
        }
        // A worker that panicked holding the lock is reported when it is joined.
        let Ok(mut makers) = self.makers.lock() else {
            return;
        };
        for by in mine {
            let at = makers.entry(by.name.clone()).or_insert(index);
            *at = (*at).min(index);
        }
        if makers.len() == pending.len()
            && let Some(&last) = makers.values().max()
        {
            self.bound.store(last, Ordering::Relaxed);
        }
    }
}

/// `parts` as the walk of `read` needs them: of each unit's changes only
/// those that made a pending change; the units left with no change and no
/// note dropped.
pub(super) fn needed(parts: Vec<UnitDelta>, read: &ReadAhead) -> Vec<UnitDelta> {
    parts
        .into_iter()
        .filter_map(|mut part| {
            if part.changes.iter().any(|by| !pending_made(read, by)) {
                let changes: Vec<Change> = part
                    .changes
                    .iter()
                    .filter(|by| pending_made(read, by))
                    .cloned()
                    .collect();
                part.changes = changes.into_boxed_slice();
            }
            (!part.changes.is_empty() || !part.notes.is_empty()).then_some(part)
        })
        .collect()
}

/// Whether `by` made one of `read`'s pending changes as the range left it.
fn pending_made(read: &ReadAhead, by: &Change) -> bool {
    read.pending
        .get(&by.name)
        .is_some_and(|(net, _)| made(net, by))
}

impl Settler<'_> {
    /// What the workers read ahead for the API pass over the range from
    /// `base` (the release the walk tries first when `None`, `made` left out)
    /// to `head` (HEAD when `None`): where every commit's paths are read and
    /// the API is. An error here is left for the walk and the pass to report,
    /// which read the same objects: reading ahead is then not done.
    pub(super) fn ahead_of(
        &self,
        (base, head): (Option<&str>, Option<&str>),
        made: Option<&str>,
    ) -> Option<Ahead> {
        let config = &self.config;
        if self.version_only || !config.evidence.paths || !config.api.reads() {
            return None;
        }
        let head = match head {
            Some(head) => head.to_string(),
            None => self.repo.head().ok()?.commit,
        };
        let base = match base {
            Some(base) => base.to_string(),
            None => {
                let names = self.repo.tag_names().ok()?;
                let names = names.into_iter().filter(|n| Some(n.as_str()) != made);
                let mut first = None;
                tag::select_base(names, &config.tag_prefix, |name| {
                    Ok::<_, Error>(match self.repo.tag_commit(name)? {
                        Some(commit) => {
                            first = Some(commit.clone());
                            Reach::Reachable(commit)
                        }
                        None => Reach::Missing,
                    })
                })
                .ok()?;
                first?
            }
        };
        let objects = self.repo.objects();
        self.ahead(&objects, (&base, &head)).ok().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::api::units::Unit;
    use crate::evidence::api::{ChangeKind, Language};

    fn change(kind: ChangeKind, name: &str, after: Option<&str>) -> Change {
        Change {
            change: kind,
            name: name.to_string(),
            language: Language::Go,
            kind: "func",
            before: None,
            after: after.map(str::to_string),
        }
    }

    fn part(dir: &str, changes: Vec<Change>) -> UnitDelta {
        UnitDelta {
            unit: Unit {
                language: Language::Go,
                dir: dir.to_string(),
            },
            changes: changes.into_boxed_slice(),
            notes: Box::new([]),
        }
    }

    fn files(paths: &[&str]) -> Vec<ChangedPath> {
        paths
            .iter()
            .map(|p| ChangedPath {
                path: (*p).to_string(),
                old: None,
                new: None,
            })
            .collect()
    }

    /// `a.F` added in `a/f.go`, `a.G` changed to `func(int)` in `a/g.go`.
    fn ahead() -> Ahead {
        let pending = [
            (change(ChangeKind::Added, "a.F", Some("func()")), "a/f.go"),
            (
                change(ChangeKind::Changed, "a.G", Some("func(int)")),
                "a/g.go",
            ),
        ];
        Ahead::new(
            pending
                .into_iter()
                .map(|(c, origin)| (c.name.clone(), (c, origin.to_string())))
                .collect(),
        )
    }

    #[test]
    fn commits_are_read_ahead_until_every_change_has_a_commit_that_made_it_in_its_own_file() {
        let ahead = ahead();
        assert_eq!(&*ahead.read.scopes, ["a/f.go", "a/g.go"]);
        let added = || part("a/", vec![change(ChangeKind::Added, "a.F", Some("func()"))]);
        // Made where its file did not change (it moved there since): no bound from it.
        ahead.record(3, &files(&["a/other.go"]), &[added()]);
        // A change to another signature than the range's last is not the one.
        let other = change(ChangeKind::Changed, "a.G", Some("func(string)"));
        ahead.record(5, &files(&["a/g.go"]), &[part("a/", vec![other])]);
        ahead.record(9, &files(&["a/f.go"]), &[added()]);
        assert!(ahead.for_commit(1_000).is_some(), "a.G has no commit yet");
        let made = change(ChangeKind::Changed, "a.G", Some("func(int)"));
        ahead.record(7, &files(&["a/g.go"]), &[part("a/", vec![made])]);
        // The walk gives a.F away at 9 and a.G at 7 at the latest: nothing past 9 is read.
        assert!(ahead.for_commit(9).is_some());
        assert!(ahead.for_commit(10).is_none());
        // A newer commit that made a.F brings the bound down to it.
        ahead.record(4, &files(&["a/f.go"]), &[added()]);
        assert!(ahead.for_commit(7).is_some());
        assert!(ahead.for_commit(8).is_none());
        // A second walk numbers its commits anew: it reads ahead for the same walk, with no bound yet.
        let again = ahead.afresh();
        let (first, second) = (ahead.for_commit(0), again.for_commit(1_000));
        assert!(first.zip(second).is_some_and(|(a, b)| Arc::ptr_eq(a, b)));
    }

    #[test]
    fn parts_read_ahead_keep_only_the_changes_that_made_a_pending_one_and_every_note() {
        let ahead = ahead();
        let noted = UnitDelta {
            notes: Box::new(["a/x.go does not parse: no API evidence from a/".to_string()]),
            ..part("b/", vec![change(ChangeKind::Added, "b.H", Some("func()"))])
        };
        let parts = vec![
            part(
                "a/",
                vec![
                    change(ChangeKind::Added, "a.F", Some("func()")),
                    change(ChangeKind::Removed, "a.F", None),
                    change(ChangeKind::Added, "a.Other", Some("func()")),
                ],
            ),
            part("c/", vec![change(ChangeKind::Added, "c.K", Some("func()"))]),
            noted,
        ];
        let kept = needed(parts, &ahead.read);
        let shown: Vec<(&str, Vec<&str>, usize)> = kept
            .iter()
            .map(|p| {
                let names = p.changes.iter().map(|c| c.name.as_str()).collect();
                (p.unit.dir.as_str(), names, p.notes.len())
            })
            .collect();
        assert_eq!(shown, [("a/", vec!["a.F"], 0), ("b/", vec![], 1)]);
        assert_eq!(kept[0].changes[0].change, ChangeKind::Added);
    }
}
