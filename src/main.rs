//! The `bumpwise` binary: parse the arguments, run, map the outcome to an exit code.

#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Usage errors exit 2 (clap's code, and ours for usage); --help and --version exit 0.
    let cli = bumpwise::cli::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    match bumpwise::cli::run(cli, &mut stdout, &mut stderr) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let _ = writeln!(stderr, "error: {err:#}");
            ExitCode::from(err.exit_code())
        }
    }
}
