//! Evidence: what one commit shows, read without git2.
//!
//! Owns turning what the history stage read of a commit into facts the rules
//! of [`crate::classify`] can weigh: its message ([`message`]: subject,
//! Conventional Commits header, footers, what a revert points at) and, where
//! it can change the outcome, the classes of the paths it changes ([`paths`],
//! with the dependency manifests read in [`manifests`]). Reading a message is
//! infallible: a commit that shows nothing is still evidence.

pub mod api;
pub mod changesets;
pub mod classes;
pub mod gomod;
pub mod manifests;
pub mod message;
pub mod paths;

pub use message::ParsedCommit;
pub use paths::{PathClass, PathRules, Paths};

/// Everything known about one commit before it is classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The parsed message.
    pub message: ParsedCommit,
    /// What its changed paths show; `None` when they were not read (path
    /// evidence is off, or the message decides alone).
    pub paths: Option<Paths>,
}
