//! Errors that stop bumpwise, and the exit codes they map to.
//!
//! Owns the exit-code contract (documented in the README and docs/commands.md). Only I/O, git and
//! configuration fail; classification never does (a commit that matches no
//! rule is data, not an error). Every message is one line saying what is wrong
//! and what to do about it.

use std::fmt;

/// The documented process exit codes.
pub mod exit {
    /// A release is warranted and was printed (or the command succeeded).
    pub const SUCCESS: u8 = 0;
    /// Something unexpected failed (for example writing the output).
    pub const INTERNAL: u8 = 1;
    /// Bad command-line usage or an invalid configuration file.
    pub const USAGE: u8 = 2;
    /// Nothing since the last release warrants a new one.
    pub const NOTHING_TO_RELEASE: u8 = 3;
    /// Reserved for `bumpwise check`: the proposed tag failed a check.
    pub const CHECK_FAILED: u8 = 4;
    /// The repository could not be read: not a repository, no commits, a git error.
    pub const REPOSITORY: u8 = 5;
    /// The history is incomplete (a shallow clone cut before the last release).
    pub const INCOMPLETE: u8 = 6;
    /// The proposed tag exists already (e.g. a maintenance line whose next minor was released elsewhere).
    pub const TAG_EXISTS: u8 = 7;
    /// `next`: a release seems warranted, but the proposal's confidence is
    /// below `--min-confidence`: its kind needs a person (the proposal is still printed).
    pub const LOW_CONFIDENCE: u8 = 8;
}

/// What kind of failure stopped bumpwise; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad flags or arguments.
    Usage,
    /// The configuration file is unreadable or invalid.
    Config,
    /// The repository cannot be read.
    Repository,
    /// The history available locally is not enough to decide.
    Incomplete,
    /// Reading or writing a file other than the repository failed.
    Io,
    /// The proposed tag, or its version in another style, is tagged already.
    TagExists,
}

impl ErrorKind {
    /// The process exit code for this kind of failure.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Usage | ErrorKind::Config => exit::USAGE,
            ErrorKind::Repository => exit::REPOSITORY,
            ErrorKind::Incomplete => exit::INCOMPLETE,
            ErrorKind::Io => exit::INTERNAL,
            ErrorKind::TagExists => exit::TAG_EXISTS,
        }
    }
}

/// A failure with a one-line, actionable message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// A failure of the given kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// Bad command-line usage.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    /// An invalid configuration.
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    /// A repository that cannot be read.
    pub fn repository(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Repository, message)
    }

    /// A history that is not complete enough to decide.
    pub fn incomplete(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Incomplete, message)
    }

    /// A failed file or stream operation.
    pub fn io(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Io, message)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, always: multi-line causes (git2, toml) are folded.
        let mut first = true;
        for line in self
            .message
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(line)?;
            first = false;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// A `Result` whose error is a bumpwise [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
