//! Which commit's changed paths can still change the version: the decision
//! behind reading paths only where they decide (`next` in text, backtest).
//!
//! The paths of a commit can lower it (nothing it changes ships) or raise it
//! (it changes shipped code though its message said no impact, or nothing).
//! The version is the highest kind that stands, so only the commits of that
//! kind can lower it, and once one of them stands firm nothing read can; when
//! nothing warrants a patch yet, any commit's paths may raise one. Pure.

use crate::classify::Kind;

/// The most commits no rule read whose paths `next` reads for its counts
/// and warnings alone, once the version is decided: a real release range has
/// far fewer; past it, reading them would cost more than the answer, and
/// `next` says they were not read.
pub const UNREAD_READ: usize = 256;

/// A commit as the paths pass sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Its kind now.
    pub kind: Kind,
    /// It counts: not cancelled by a revert pair.
    pub live: bool,
    /// Its paths were read.
    pub read: bool,
    /// Nothing its paths say can change it: they were read, or it is an
    /// explicit breaking change or deprecation (paths never lower those).
    pub firm: bool,
}

/// The commit whose paths to read next, newest first; `None` when nothing
/// read can change the version any more.
pub fn next_to_read(commits: &[Standing]) -> Option<usize> {
    let live = || commits.iter().filter(|c| c.live);
    let top = live().map(|c| c.kind).max().unwrap_or(Kind::Unclassified);
    if top >= Kind::Fix {
        if live().any(|c| c.kind == top && c.firm) {
            return None;
        }
        return commits
            .iter()
            .position(|c| c.live && c.kind == top && !c.read);
    }
    commits.iter().position(|c| c.live && !c.read)
}
