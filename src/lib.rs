//! bumpwise reads a git history and says what the next release should be, and why.
//!
//! The library is a one-way pipeline of owned data, one folder per stage in
//! data order; each module uses only the ones listed above it, and any stage
//! can be run without those before it:
//!
//! 1. [`history`]: the only git user. HEAD, the tags, and the commits since
//!    the last release, read once each ([`history::ReadCommit`]).
//! 2. [`evidence`]: what one commit shows, without git: its message
//!    ([`evidence::message`]).
//! 3. [`classify`]: breaking, feature, fix, none or unclassified, and the rule
//!    that decided ([`classify::Classified`], the one record per commit).
//! 4. [`version`]: tags as SemVer, the choice of the base release, and the
//!    versioning rule ([`version::decide`]).
//! 5. [`report`]: everything a decision rests on, as one typed value, and its
//!    JSON contract.
//! 6. [`notes`]: release notes and deprecation notices as data and Markdown.
//! 7. [`release`]: the guide's other steps: the check before tagging and the plan.
//! 8. [`render`]: text, tables, JSON and GitHub Actions lines over the report.
//!
//! [`pipeline`] runs the stages in order (and the per-commit work on worker
//! threads), [`cli`] is the command line. [`error`], [`fsio`] (writes whole or
//! not at all) and [`config`] (layers of settings) serve every stage. The
//! library never prints.
//!
//! The stages after the history work on plain values:
//!
//! ```
//! use bumpwise::{classify, evidence::message, history::RawCommit, version::decide};
//! use semver::Version;
//!
//! let raw = RawCommit::new(
//!     "0123456789abcdef0123456789abcdef01234567",
//!     "feat(cli): add --pre\n\nSigned-off-by: A <a@example.com>",
//! )
//! .with_author("Jane <jane@example.com>");
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

// One function ([`history::limit_mapped_packs`]) sets a libgit2 global and says so.
#![deny(unsafe_code)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod error;

pub mod fsio;

pub mod history;

pub mod evidence;

pub mod classify;

pub mod version;

pub mod config;

pub mod report;

pub mod notes;

pub mod release;

pub mod render;

pub mod pipeline;

pub mod cli;
