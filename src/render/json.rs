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
    // serde_json writes every token and every indent apart: through a buffer
    // of a known type they are copies, not calls through `dyn Write`.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *w);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    writeln!(buffered)?;
    buffered.flush()
}
