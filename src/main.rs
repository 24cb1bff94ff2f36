//! The `bumpwise` binary: parse the arguments, run, map the outcome to an exit code.

#![deny(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

#[allow(unsafe_code)]
fn main() -> ExitCode {
    // SAFETY: first thing in main, before any other thread or any repository exists.
    let limited = unsafe { bumpwise::history::limit_mapped_packs() };
    // Usage errors exit 2 (clap's code, and ours for usage); --help and --version exit 0.
    let cli = bumpwise::cli::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    match limited.and_then(|()| bumpwise::cli::run(cli, &mut stdout, &mut stderr)) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let _ = writeln!(stderr, "error: {err:#}");
            ExitCode::from(err.exit_code())
        }
    }
}
