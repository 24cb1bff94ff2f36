//! The whole history split into releases, for `changelog --all`.
//!
//! Owns which release a commit belongs to: each release, oldest first, takes
//! the commits reachable from its tag that no earlier release took; what no
//! release took is unreleased. Pure: it works on the walk's nodes.

use std::collections::HashMap;

use crate::history::{Node, ObjectId};
use crate::version::tag::ReleaseTag;

/// The history split into releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<T> {
    /// Each release reachable from the walk's tip with its commits, oldest release first.
    pub releases: Vec<(ReleaseTag, Vec<T>)>,
    /// The commits no release took.
    pub unreleased: Vec<T>,
    /// Per release: the earlier releases (indices into `releases`) whose tagged
    /// commit its commits' parents reach directly, and whether they reach
    /// another release's commits elsewhere too (then only an ancestry check
    /// tells which releases it contains).
    pub boundaries: Vec<(Vec<usize>, bool)>,
    /// Per release: its first-parent chain (from its tag, while the commits
    /// are its own), newest first, as `git log --first-parent` walks it.
    pub first_parent: Vec<Vec<Link>>,
    /// Per release: the merges the walk handed on (nodes with more than one
    /// parent), which are no commits of a release but links of its chain.
    pub merges: Vec<Vec<T>>,
}

/// One commit of a release's first-parent chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A commit of the release, by its place in the release's commits.
    Commit(usize),
    /// A merge the walk handed on, by its place in the release's merges.
    Merge(usize),
    /// A commit the walk left out (a merge), by its full id.
    Left(String),
}

/// Splits the commits of `nodes` (newest first, as walked) among `tags`
/// (lowest version first): `commits` holds the nodes' commits in the nodes'
/// order, one for each node that has one. Tags whose commit the walk did not
/// reach are left out.
pub fn split<N, T>(nodes: &[Node<N>], tags: Vec<ReleaseTag>, commits: Vec<T>) -> Split<T> {
    let index: HashMap<ObjectId, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let at = |t: &ReleaseTag| {
        t.commit
            .parse::<ObjectId>()
            .ok()
            .and_then(|id| index.get(&id).copied())
    };
    let (tags, tagged_at): (Vec<ReleaseTag>, Vec<usize>) = tags
        .into_iter()
        .filter_map(|t| at(&t).map(|i| (t, i)))
        .unzip();
    let mut owner: Vec<Option<usize>> = vec![None; nodes.len()];
    let mut tagged: HashMap<usize, Vec<usize>> = HashMap::new();
    for (release, &i) in tagged_at.iter().enumerate() {
        tagged.entry(i).or_default().push(release);
    }
    let mut boundaries = Vec::with_capacity(tags.len());
    for (release, &start) in tagged_at.iter().enumerate() {
        let mut stack = vec![start];
        let (mut reached, mut elsewhere) = (Vec::new(), false);
        while let Some(i) = stack.pop() {
            if owner[i].is_some() {
                match tagged.get(&i) {
                    Some(releases) => reached.extend(releases.iter().filter(|r| **r < release)),
                    None => elsewhere = true,
                }
                continue;
            }
            owner[i] = Some(release);
            stack.extend(nodes[i].parents.iter().filter_map(|p| index.get(p)));
        }
        reached.sort_unstable();
        reached.dedup();
        boundaries.push((reached, elsewhere));
    }
    let (mut groups, mut merges, place) = distribute(nodes, &owner, tags.len(), commits);
    merges.pop();
    let first_parent = tagged_at
        .iter()
        .enumerate()
        .map(|(release, &start)| {
            let mut chain = Vec::new();
            let mut at = Some(start);
            while let Some(i) = at.filter(|&i| owner[i] == Some(release)) {
                chain.push(match &place[i] {
                    Some(link) => link.clone(),
                    None => Link::Left(nodes[i].id.to_string()),
                });
                at = nodes[i].parents.first().and_then(|p| index.get(p).copied());
            }
            chain
        })
        .collect();
    drop(index);
    let unreleased = groups.pop().unwrap_or_default();
    Split {
        releases: tags.into_iter().zip(groups).collect(),
        unreleased,
        boundaries,
        first_parent,
        merges,
    }
}

/// The groups of commits and of merges, and each node's place in its group.
type Distributed<T> = (Vec<Vec<T>>, Vec<Vec<T>>, Vec<Option<Link>>);

/// Each node's commit moved into its owner's group (`releases` of them and
/// one for what no release owns), merges apart, with each node's place in
/// its group, newest first as the nodes are. The k-th commit is the k-th
/// node's that has one. The groups are sized exactly and filled from the
/// oldest commit back while `commits` shrinks: a long history's commits are
/// never held twice.
fn distribute<N, T>(
    nodes: &[Node<N>],
    owner: &[Option<usize>],
    releases: usize,
    mut commits: Vec<T>,
) -> Distributed<T> {
    let is_merge = |i: usize| nodes[i].parents.len() > 1;
    let with_commit: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].commit.is_some())
        .take(commits.len())
        .collect();
    commits.truncate(with_commit.len());
    let mut sizes = vec![[0usize; 2]; releases + 1];
    for &i in &with_commit {
        sizes[owner[i].unwrap_or(releases)][usize::from(is_merge(i))] += 1;
    }
    let mut groups: Vec<Vec<T>> = sizes.iter().map(|s| Vec::with_capacity(s[0])).collect();
    let mut merges: Vec<Vec<T>> = sizes.iter().map(|s| Vec::with_capacity(s[1])).collect();
    let mut place: Vec<Option<Link>> = vec![None; nodes.len()];
    for &i in with_commit.iter().rev() {
        let Some(commit) = commits.pop() else { break };
        if commits.capacity() > 4096 && commits.len() < commits.capacity() / 2 {
            commits.shrink_to_fit();
        }
        let at = owner[i].unwrap_or(releases);
        let (group, link): (_, fn(usize) -> Link) = match is_merge(i) {
            true => (&mut merges[at], Link::Merge),
            false => (&mut groups[at], Link::Commit),
        };
        // Counted from the group's end until it is turned round below.
        place[i] = Some(link(sizes[at][usize::from(is_merge(i))] - 1 - group.len()));
        group.push(commit);
    }
    for group in groups.iter_mut().chain(merges.iter_mut()) {
        group.reverse();
    }
    (groups, merges, place)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::tag::TagVersion;

    /// The full hex id a one-letter name stands for.
    fn hex(name: &str) -> String {
        format!("{:040x}", name.as_bytes()[0])
    }

    fn node(id: &str, parents: &[&str]) -> Node<&'static str> {
        let oid = |n: &str| hex(n).parse::<ObjectId>().unwrap();
        Node {
            id: oid(id),
            parents: parents.iter().map(|p| oid(p)).collect(),
            commit: Some(""),
        }
    }

    fn tag(name: &str, commit: &str) -> ReleaseTag {
        ReleaseTag {
            name: name.to_string(),
            tag: TagVersion {
                version: semver::Version::parse(name.trim_start_matches('v')).unwrap(),
                v: true,
            },
            commit: hex(commit),
            time: 0,
        }
    }

    /// Newest first: d merges side commit s (whose parent a is untagged-owned) onto c.
    fn merged() -> Vec<Node<&'static str>> {
        vec![
            node("e", &["d"]),
            node("d", &["c", "s"]),
            node("s", &["a"]),
            node("c", &["b"]),
            node("b", &["a"]),
            node("a", &[]),
        ]
    }

    #[test]
    fn each_release_knows_the_tagged_releases_its_parents_reach() {
        let nodes = merged();
        let tags = vec![tag("v1.0.0", "b"), tag("v1.1.0", "c"), tag("v1.2.0", "e")];
        let split = split(&nodes, tags, vec![""; 6]);
        // v1.0.0 reaches nothing earlier; v1.1.0's parent is v1.0.0's commit;
        // v1.2.0 reaches v1.1.0's commit, and a commit of v1.0.0 that is not its tag.
        assert_eq!(split.boundaries[0], (vec![], false));
        assert_eq!(split.boundaries[1], (vec![0], false));
        assert_eq!(split.boundaries[2], (vec![1], true));
        // The merge d was handed on: a link of v1.2.0's chain, not one of its commits.
        let sizes: Vec<usize> = split.releases.iter().map(|(_, c)| c.len()).collect();
        assert_eq!(sizes, [2, 1, 2]);
        assert_eq!(split.merges[2].len(), 1);
        // v1.2.0's first parents: e, then the merge d, not the side commit s.
        assert_eq!(split.first_parent[2], [Link::Commit(0), Link::Merge(0)]);
        assert_eq!(split.first_parent[0], [Link::Commit(0), Link::Commit(1)]);
    }

    #[test]
    fn each_release_holds_its_own_commits_newest_first_and_its_chain_points_at_them() {
        let mut nodes = vec![node("f", &["e"])];
        nodes.extend(merged());
        let tags = vec![tag("v1.0.0", "b"), tag("v1.1.0", "e")];
        let split = split(&nodes, tags, vec!["f", "e", "d", "s", "c", "b", "a"]);
        let commits: Vec<&Vec<&str>> = split.releases.iter().map(|(_, c)| c).collect();
        assert_eq!(commits, [&vec!["b", "a"], &vec!["e", "s", "c"]]);
        assert_eq!(split.merges[1], ["d"]);
        assert_eq!(split.unreleased, ["f"]);
        // e, the merge d, then c: each link names its commit.
        let chain: Vec<&str> = split.first_parent[1]
            .iter()
            .map(|link| match link {
                Link::Commit(k) => commits[1][*k],
                Link::Merge(k) => split.merges[1][*k],
                Link::Left(id) => id.as_str(),
            })
            .collect();
        assert_eq!(chain, ["e", "d", "c"]);
    }

    #[test]
    fn a_merge_the_walk_left_out_is_on_the_chain_by_its_id() {
        let mut merge = node("m", &["b", "s"]);
        merge.commit = None;
        let nodes = vec![merge, node("s", &["a"]), node("b", &["a"]), node("a", &[])];
        let left = split(
            &nodes,
            vec![tag("v1.0.0", "a"), tag("v1.1.0", "m")],
            vec![""; 3],
        );
        assert_eq!(
            left.first_parent[1],
            [Link::Left(hex("m")), Link::Commit(1)]
        );
        assert_eq!(left.releases[1].1.len(), 2);
        // Handed on, the merge is a link of the chain, not a commit of the release.
        let nodes: Vec<Node<&str>> = ["m", "s", "b", "a"]
            .iter()
            .zip([&["b", "s"][..], &["a"], &["a"], &[]])
            .map(|(id, parents)| node(id, parents))
            .collect();
        let handed = split(
            &nodes,
            vec![tag("v1.0.0", "a"), tag("v1.1.0", "m")],
            vec![""; 4],
        );
        assert_eq!(handed.first_parent[1], [Link::Merge(0), Link::Commit(1)]);
        assert_eq!((handed.releases[1].1.len(), handed.merges[1].len()), (2, 1));
    }
}
