//! Judging the releases' ranges: each as `next` in text judges one, under
//! every evidence variant tried, and along its first parents.

use std::collections::HashMap;

use crate::classify::{self, Classified, Kind};
use crate::error::Result;
use crate::history::Objects;
use crate::notes::releases::Link;
use crate::version::tag::ReleaseTag;

use super::calibrate::Evidence;
use super::{Judged, Session};

/// How many releases make judging them on two threads worth a second session.
pub(super) const PARALLEL_FROM: usize = 16;

/// A release to judge: its tag, the release before it, its commits, its
/// first-parent chain and the merges on it.
pub(super) struct Item {
    pub(super) tag: ReleaseTag,
    pub(super) base: Option<ReleaseTag>,
    pub(super) commits: Vec<Classified>,
    pub(super) chain: Vec<Link>,
    pub(super) merges: Vec<Classified>,
}

impl Session {
    /// Judges `items` in order, one comparison engine for all of them (a
    /// range's base tree is the last one's release tree, still kept).
    pub(super) fn judge_items(&self, items: Vec<Item>, alternatives: bool) -> Result<Vec<Judged>> {
        // Following first parents changes which commits a release has: tried
        // from the same walk, which classified the merges too.
        let tried = alternatives && self.first_parent_tried();
        let objects = self.repo.objects();
        let mut judged = Vec::with_capacity(items.len());
        for item in items {
            let Item {
                tag,
                base,
                commits,
                chain,
                merges,
            } = item;
            let fp = tried.then(|| first_parent_commits(&commits, chain, merges));
            let variants = match alternatives {
                true => self.variants(),
                false => vec![self.evidence()],
            };
            let mut j = self.judge(&objects, (tag, base), commits, variants)?;
            if let Some(fp) = fp {
                let evidence = Evidence {
                    first_parent: true,
                    ..self.evidence()
                };
                let kinds = match fp {
                    // The same commits: the same kinds.
                    None => j.configured().to_vec(),
                    Some(fp) => {
                        let release = (j.tag.clone(), j.base.clone());
                        let f = self.judge(&objects, release, fp, vec![evidence])?;
                        f.kinds
                            .into_iter()
                            .next()
                            .map(|(_, k)| k)
                            .unwrap_or_default()
                    }
                };
                j.kinds.push((evidence, kinds));
            }
            judged.push(j);
        }
        Ok(judged)
    }

    /// Judges one range as `next` would (reverts, the API, the paths where
    /// they decide, overrides), under each of `variants` (the settings in
    /// force first). The API is read once; only the stages after it run again.
    fn judge(
        &self,
        objects: &dyn Objects,
        (tag, base): (ReleaseTag, Option<ReleaseTag>),
        commits: Vec<Classified>,
        variants: Vec<Evidence>,
    ) -> Result<Judged> {
        let count = commits.len();
        let mut plain = commits;
        classify::pair_reverts(&mut plain);
        // What no rule reads can only matter where some commit is unread.
        let unread = plain
            .iter()
            .any(|c| c.kind == Kind::Unclassified && !c.cancelled());
        // With the API read, the commits it changed as they were before: the
        // range without the API, with no copy of it.
        let mut with = None;
        let mut before = HashMap::new();
        if let (true, Some(b)) = (variants[0].api, &base) {
            let mut read = std::mem::take(&mut plain);
            let log = variants.iter().any(|v| !v.api);
            let span = (b.commit.as_str(), tag.commit.as_str());
            let (_, changed) = self.read_api_logged(objects, &mut read, span, log)?;
            before = changed.into_iter().collect();
            with = Some(read);
        }
        let none = HashMap::new();
        let mut kinds = Vec::with_capacity(variants.len());
        let mut classified = Vec::new();
        let overrides = !self.config.overrides.is_empty() || !self.notes()?.is_empty();
        let configured = self.evidence();
        let mut same = Vec::new();
        // The settings in force last: their commits are moved, not copied.
        for (i, evidence) in variants.into_iter().enumerate().rev() {
            if evidence.patch != configured.patch && !unread {
                same.push(kinds.len());
                kinds.push((evidence, Vec::new()));
                continue;
            }
            let read = if self.version_only && evidence.paths {
                let mut rules = self.config.rules.clone();
                rules.unclassified = if evidence.patch {
                    classify::Unclassified::Patch
                } else {
                    classify::Unclassified::None
                };
                let (from, under) = view(&with, &plain, &before, &none, evidence.api);
                self.paths_deciding_over(objects, from, under, &rules)?
            } else {
                Vec::new()
            };
            if i == 0 {
                // Every commit as the settings in force leave it, for the reasons.
                let mut commits = match (evidence.api, with.take()) {
                    (true, Some(with)) => with,
                    _ => std::mem::take(&mut plain),
                };
                for (k, c) in read {
                    commits[k] = c;
                }
                self.apply_overrides(&mut commits)?;
                kinds.push((
                    evidence,
                    commits.iter().map(Classified::effective_kind).collect(),
                ));
                classified = commits;
                continue;
            }
            // The others: only the kinds, a commit copied only where an override applies.
            let (from, under) = view(&with, &plain, &before, &none, evidence.api);
            let read: HashMap<usize, Classified> = read.into_iter().collect();
            let mut out = Vec::new();
            for (k, c) in from.iter().enumerate() {
                let c = read.get(&k).or_else(|| under.get(&k)).unwrap_or(c);
                out.push(if overrides && self.overridden(c.id())? {
                    let mut copy = c.clone();
                    self.override_one(&mut copy)?;
                    copy.effective_kind()
                } else {
                    c.effective_kind()
                });
            }
            kinds.push((evidence, out));
        }
        let in_force = kinds.last().map(|(_, k)| k.clone()).unwrap_or_default();
        for at in same {
            kinds[at].1.clone_from(&in_force);
        }
        kinds.reverse();
        Ok(Judged {
            tag,
            base,
            commits: count,
            kinds,
            classified,
        })
    }
}

/// A release's commits along its first-parent `chain`, newest first, with
/// its `merges`; `None` when they are the release's commits, or when the
/// chain holds a commit the walk left out.
fn first_parent_commits(
    commits: &[Classified],
    chain: Vec<Link>,
    merges: Vec<Classified>,
) -> Option<Vec<Classified>> {
    let same = chain.len() == commits.len()
        && chain
            .iter()
            .enumerate()
            .all(|(i, link)| *link == Link::Commit(i));
    if same || chain.iter().any(|l| matches!(l, Link::Left(_))) {
        return None;
    }
    let mut merges: Vec<Option<Classified>> = merges.into_iter().map(Some).collect();
    Some(
        chain
            .into_iter()
            .filter_map(|link| match link {
                Link::Commit(k) => commits.get(k).cloned(),
                Link::Merge(k) => merges.get_mut(k)?.take(),
                Link::Left(_) => None,
            })
            .collect(),
    )
}

/// The commits a variant reads, and the ones that stand in for some of them:
/// with the API read, `with`; without, `with` as it was before the API
/// changed it (`before`), or `plain` when the API was not read at all.
fn view<'a>(
    with: &'a Option<Vec<Classified>>,
    plain: &'a [Classified],
    before: &'a HashMap<usize, Classified>,
    none: &'a HashMap<usize, Classified>,
    api: bool,
) -> (&'a [Classified], &'a HashMap<usize, Classified>) {
    match (with, api) {
        (Some(with), true) => (with, none),
        (Some(with), false) => (with, before),
        (None, _) => (plain, none),
    }
}
