//! The `bumpwise` binary: parse the arguments, run, map the outcome to an exit code.

#![deny(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use bumpwise::render::inert::Inert;
use clap::Parser;

#[allow(unsafe_code)]
fn main() -> ExitCode {
    // SAFETY: first thing in main, before any other thread or any repository exists.
    let limited = unsafe { bumpwise::history::limit_mapped_packs() };
    #[cfg(unix)]
    bumpwise::fsio::write_errors_not_signals();
    // Usage errors exit 2 (clap's code, and ours for usage); --help and --version exit 0.
    let cli = bumpwise::cli::Cli::parse();
    let github = cli.github();
    // Buffered: a report of 200k commits is written in a few large writes, not one per line.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // What people read, stderr always and stdout in the formats for people, cannot
    // drive a terminal or a CI runner, whatever a commit or a tag says.
    let mut stderr = Inert::new(std::io::stderr().lock());
    let outcome = limited.and_then(|()| match cli.for_people() {
        true => bumpwise::cli::run(cli, &mut Inert::new(&mut stdout), &mut stderr),
        false => bumpwise::cli::run(cli, &mut stdout, &mut stderr),
    });
    // A closed pipe (`bumpwise next | head -0`) is not a failure; anything else is.
    let flushed = match stdout.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(bumpwise::error::Error::io(
            format!("cannot write output: {e}"),
        )),
        _ => Ok(()),
    };
    match outcome.and_then(|code| flushed.map(|()| code)) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let _ = writeln!(stderr, "error: {err:#}");
            let _ = stderr.flush();
            if github {
                // The runner shows it as an annotation on the run.
                let mut stdout = std::io::stdout().lock();
                let _ = stdout
                    .write_all(bumpwise::render::annotation("error", &err.to_string()).as_bytes());
            }
            ExitCode::from(err.exit_code())
        }
    }
}
