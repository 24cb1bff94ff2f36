//! JSON documents: pretty-printed, newline-terminated.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::Report;

/// The whole report as pretty JSON, newline-terminated.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn json(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    pretty(report, w)
}

/// Any document as pretty JSON, newline-terminated.
///
/// # Errors
///
/// Whatever writing to `w` returns.
pub fn pretty(value: &impl Serialize, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
}
