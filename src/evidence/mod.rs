//! Evidence: what one commit shows, read without git2.
//!
//! Owns turning what the history stage read of a commit into facts the rules
//! of [`crate::classify`] can weigh: today the message ([`message`]: subject,
//! Conventional Commits header, footers, what a revert points at). Reading is
//! infallible: a commit that shows nothing is still evidence.

pub mod message;

pub use message::ParsedCommit;

/// Everything known about one commit before it is classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The parsed message.
    pub message: ParsedCommit,
}
