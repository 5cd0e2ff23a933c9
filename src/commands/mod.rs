//! One module per subcommand; this one dispatches and holds what they share.

mod check;
mod init;
mod pg;
mod render;

use crate::cli::{Cli, Command};
use anstyle::{AnsiColor, Style};
use cephspray::error::Exit;
use cephspray::{Error, check as checks, spec};
use clap::CommandFactory;
use std::path::Path;

const ERROR: Style = AnsiColor::Red.on_default().bold();

/// Runs one subcommand.
pub fn run(command: Command) -> Result<Exit, Error> {
    match command {
        Command::Check { spec, format } => check::run(&spec, format),
        Command::Render {
            spec,
            output,
            check,
            diff,
            force,
            vault_password_file,
        } => render::run(&render::Options {
            spec: &spec,
            dir: &output,
            check_only: check,
            diff,
            force,
            vault_password_file: vault_password_file.as_deref(),
        }),
        Command::Pg(args) => pg::run(args),
        Command::Init {
            hosts,
            output,
            name,
            network,
            disks,
            large_from,
            force,
        } => init::run(
            &cephspray::init::Request {
                name,
                hosts,
                network,
                disks,
                large_from,
            },
            &output,
            force,
        ),
        Command::Schema { markdown } => {
            anstream::print!(
                "{}",
                if markdown {
                    cephspray::schema::reference_markdown()
                } else {
                    cephspray::schema::json_schema()
                }
            );
            Ok(Exit::Ok)
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "cephspray",
                &mut std::io::stdout(),
            );
            Ok(Exit::Ok)
        }
        Command::Man => {
            let io = |source| Error::Io {
                path: "stdout".to_owned(),
                source,
            };
            clap_mangen::Man::new(Cli::command())
                .render(&mut std::io::stdout())
                .map_err(io)?;
            Ok(Exit::Ok)
        }
    }
}

/// Prints the final error line (diagnostics were printed before it).
pub fn report_error(error: &Error) {
    anstream::eprintln!("{ERROR}error{ERROR:#}: {error}");
}

/// Prints diagnostics with their spec line and a caret.
pub fn print_diagnostics(file: &Path, text: &str, mut diagnostics: Vec<checks::Diagnostic>) {
    if diagnostics.is_empty() {
        return;
    }
    checks::locate(&mut diagnostics, &spec::Locations::of(text));
    for diagnostic in &diagnostics {
        anstream::eprint!(
            "{}",
            checks::render(diagnostic, &file.display().to_string(), text, true)
        );
    }
}
