//! Judging the releases' ranges: each as `next` in text judges one, under
//! every evidence variant tried, and along its first parents.

use crate::classify::Classified;
use crate::error::Result;
use crate::history::Objects;
use crate::notes::releases::Link;
use crate::version::tag::ReleaseTag;

use super::calibrate::Evidence;
use super::{Judged, Session};
use crate::pipeline::settle::{Reading, Settler};

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
        let tried = alternatives && super::first_parent_tried(&self.config);
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
                true => Evidence::of(&self.config).variants(),
                false => vec![Evidence::of(&self.config)],
            };
            let mut j = self.judge(&objects, (tag, base), commits, variants)?;
            if let Some(fp) = fp {
                let evidence = Evidence {
                    first_parent: true,
                    ..Evidence::of(&self.config)
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

    /// Judges one range as `next` would ([`crate::pipeline::settle::Settler::settle`]), under each of
    /// `variants` (the settings in force first).
    fn judge(
        &self,
        objects: &dyn Objects,
        (tag, base): (ReleaseTag, Option<ReleaseTag>),
        commits: Vec<Classified>,
        variants: Vec<Evidence>,
    ) -> Result<Judged> {
        let count = commits.len();
        let readings: Vec<Reading> = variants.iter().map(|v| v.reading()).collect();
        let span = base
            .as_ref()
            .map(|b| (b.commit.as_str(), tag.commit.as_str()));
        // A judged release is its version and kinds; its counts are not reported.
        let settler = Settler {
            facts: false,
            ..self.settler()
        };
        let settled = settler.settle(objects, commits, span, &readings)?;
        let base_commit = span.map(|(b, _)| b);
        let module =
            crate::pipeline::go_module(&self.repo, &self.config, &tag.commit, base_commit)?;
        Ok(Judged {
            module,
            tag,
            base,
            commits: count,
            kinds: variants.into_iter().zip(settled.kinds).collect(),
            classified: settled.commits,
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
