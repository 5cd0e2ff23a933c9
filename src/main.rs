use cephspray::{Error, check, output, spec};
use clap::Parser;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            report(&error);
            ExitCode::from(error.exit_code())
        }
    }
}

fn run(command: cli::Command) -> Result<ExitCode, Error> {
    match command {
        cli::Command::Check { spec } => {
            let (spec, _) = spec::load_file(&spec)?;
            let diagnostics = check::check(&spec);
            print_diagnostics(&diagnostics);
            if check::has_errors(&diagnostics) {
                return Ok(ExitCode::from(1));
            }
            println!("ok: {} nodes, no errors", spec.nodes.len());
            Ok(ExitCode::SUCCESS)
        }
        cli::Command::Render {
            spec: path,
            output: dir,
            check: compare,
        } => {
            let (spec, _) = spec::load_file(&path)?;
            let (tree, diagnostics) = cephspray::build(&spec, &path.display().to_string())?;
            print_diagnostics(&diagnostics);
            let io = |source| Error::Io {
                path: dir.display().to_string(),
                source,
            };
            if compare {
                let diff = tree.diff_against(&dir).map_err(io)?;
                if diff.is_empty() {
                    println!("{}: up to date", dir.display());
                    return Ok(ExitCode::SUCCESS);
                }
                print!("{diff}");
                return Err(Error::Drift(dir.display().to_string()));
            }
            output::write_atomically(&tree, &dir).map_err(io)?;
            println!("wrote {} files to {}", tree.files().count(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_diagnostics(diagnostics: &[check::Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
}

fn report(error: &Error) {
    if let Error::Check(diagnostics) = error {
        print_diagnostics(diagnostics);
    }
    eprintln!("error: {error}");
}
