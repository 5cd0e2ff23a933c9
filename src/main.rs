//! The `cephspray` command: parses the command line, sets up the terminal, runs a subcommand and
//! turns its outcome into an exit code ([`cephspray::error::Exit`]).

use clap::Parser;
use std::process::ExitCode;

mod cli;
mod commands;

fn main() -> ExitCode {
    // A closed pipe (`cephspray schema | head`) ends the program quietly, as for other tools.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal before any thread starts.
    #[allow(unsafe_code)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = cli::Cli::parse();
    anstream::ColorChoice::write_global(match cli.color {
        cli::ColorWhen::Auto => anstream::ColorChoice::Auto,
        cli::ColorWhen::Always => anstream::ColorChoice::Always,
        cli::ColorWhen::Never => anstream::ColorChoice::Never,
    });
    match commands::run(cli.command) {
        Ok(exit) => exit.into(),
        Err(error) => {
            commands::report_error(&error);
            error.exit().into()
        }
    }
}
