//! The whole history split into releases, for `changelog --all`.
//!
//! Owns which release a commit belongs to: each release, oldest first, takes
//! the commits reachable from its tag that no earlier release took; what no
//! release took is unreleased. Pure: it works on the walk's nodes.

use std::collections::HashMap;

use crate::history::Node;
use crate::version::tag::ReleaseTag;

/// The history split into releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<T> {
    /// Each release reachable from the walk's tip with its commits, oldest release first.
    pub releases: Vec<(ReleaseTag, Vec<T>)>,
    /// The commits no release took.
    pub unreleased: Vec<T>,
}

/// Splits the commits of `nodes` (newest first, as walked) among `tags`
/// (lowest version first): `commits` holds the nodes' commits in the nodes'
/// order, one for each node that has one. Tags whose commit the walk did not
/// reach are left out.
pub fn split<N, T>(nodes: &[Node<N>], tags: Vec<ReleaseTag>, commits: Vec<T>) -> Split<T> {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let tags: Vec<ReleaseTag> = tags
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
    let mut groups: Vec<Vec<T>> = (0..=tags.len()).map(|_| Vec::new()).collect();
    let unowned = tags.len();
    drop(index);
    let mut commits = commits.into_iter();
    for (node, owner) in nodes.iter().zip(owner) {
        if node.commit.is_some()
            && let Some(commit) = commits.next()
        {
            groups[owner.unwrap_or(unowned)].push(commit);
        }
    }
    let unreleased = groups.pop().unwrap_or_default();
    Split {
        releases: tags.into_iter().zip(groups).collect(),
        unreleased,
    }
}
