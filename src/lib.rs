//! bumpwise reads a git history and says what the next release should be, and why.
//!
//! The library is a one-way pipeline of owned data; each module uses only the
//! ones listed above it, and any stage can be run without those before it:
//!
//! history ([`tag`], [`git`]) → commits ([`message`]) → classification
//! ([`classify`]) → decision ([`decide`]) → report ([`report`]) → release notes
//! ([`changelog`], [`markdown`]) → renderers ([`render`]) → CLI ([`cli`]).
//! [`config`] and [`links`] feed the stages their settings, [`fsio`] writes
//! files whole or not at all, [`deprecations`] drafts notices and docs pages, [`check`] judges a tag before it is pushed, and [`analyze`] runs the stages in order. The
//! library never prints.
//!
//! The stages after git work on plain values:
//!
//! ```
//! use bumpwise::{classify, decide, git::RawCommit, message};
//! use semver::Version;
//!
//! let raw = RawCommit {
//!     id: "0123456789abcdef0123456789abcdef01234567".into(),
//!     message: "feat(cli): add --pre\n\nSigned-off-by: A <a@example.com>".into(),
//!     parents: 1,
//!     trailers: Vec::new(),
//!     author: "Jane <jane@example.com>".into(),
//! };
//! let commit = classify::classify(message::parse(raw), &classify::Rules::default());
//! assert_eq!(commit.kind, classify::Kind::Feature);
//!
//! let base = Version::new(0, 6, 0);
//! let decision = decide::decide(
//!     Some(&base),
//!     &Version::new(0, 1, 0),
//!     decide::Policy::Guide,
//!     [commit.effective_kind()],
//!     &decide::Request::Commits,
//! )?;
//! assert_eq!(decision.next, Some(Version::new(0, 7, 0)));
//! # Ok::<(), bumpwise::error::Error>(())
//! ```

// One function ([`git::limit_mapped_packs`]) sets a libgit2 global and says so.
#![deny(unsafe_code)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod error;

pub mod tag;

pub mod git;

pub mod message;

pub mod keywords;

pub mod classify;

pub mod decide;

pub mod config;

pub mod links;

pub mod report;

pub mod changelog;

pub mod markdown;

pub mod fsio;

pub mod deprecations;

pub mod check;

pub mod images;

pub mod mkdocs;

pub mod plan;

pub mod analyze;

pub mod render;

pub mod cli;
