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
    /// Per release: the earlier releases (indices into `releases`) whose tagged
    /// commit its commits' parents reach directly, and whether they reach
    /// another release's commits elsewhere too (then only an ancestry check
    /// tells which releases it contains).
    pub boundaries: Vec<(Vec<usize>, bool)>,
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
    let mut tagged: HashMap<usize, Vec<usize>> = HashMap::new();
    for (release, tag) in tags.iter().enumerate() {
        tagged
            .entry(index[tag.commit.as_str()])
            .or_default()
            .push(release);
    }
    let mut boundaries = Vec::with_capacity(tags.len());
    for (release, tag) in tags.iter().enumerate() {
        let mut stack = vec![index[tag.commit.as_str()]];
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
            stack.extend(
                nodes[i]
                    .parents
                    .iter()
                    .filter_map(|p| index.get(p.as_str())),
            );
        }
        reached.sort_unstable();
        reached.dedup();
        boundaries.push((reached, elsewhere));
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
        boundaries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::tag::TagVersion;

    fn node(id: &str, parents: &[&str]) -> Node<&'static str> {
        Node {
            id: id.to_string(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
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
            commit: commit.to_string(),
            time: 0,
        }
    }

    #[test]
    fn each_release_knows_the_tagged_releases_its_parents_reach() {
        // Newest first: d merges side commit s (whose parent a is untagged-owned) onto c.
        let nodes = vec![
            node("e", &["d"]),
            node("d", &["c", "s"]),
            node("s", &["a"]),
            node("c", &["b"]),
            node("b", &["a"]),
            node("a", &[]),
        ];
        let tags = vec![tag("v1.0.0", "b"), tag("v1.1.0", "c"), tag("v1.2.0", "e")];
        let split = split(&nodes, tags, vec![""; 6]);
        // v1.0.0 reaches nothing earlier; v1.1.0's parent is v1.0.0's commit;
        // v1.2.0 reaches v1.1.0's commit, and a commit of v1.0.0 that is not its tag.
        assert_eq!(split.boundaries[0], (vec![], false));
        assert_eq!(split.boundaries[1], (vec![0], false));
        assert_eq!(split.boundaries[2], (vec![1], true));
        let sizes: Vec<usize> = split.releases.iter().map(|(_, c)| c.len()).collect();
        assert_eq!(sizes, [2, 1, 3]);
    }
}
