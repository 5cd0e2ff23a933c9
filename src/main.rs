use cephspray::{Error, check, output, spec};
use clap::Parser;
use std::path::Path;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

fn run(command: cli::Command) -> Result<ExitCode, Error> {
    match command {
        cli::Command::Schema => {
            print!("{}", cephspray::schema::json_schema());
            Ok(ExitCode::SUCCESS)
        }
        cli::Command::Check { spec } => {
            let (parsed, text) = spec::load_file(&spec)?;
            let diagnostics = check::check(&parsed);
            print_diagnostics(&spec, &text, diagnostics.clone());
            if check::has_errors(&diagnostics) {
                return Err(Error::Check(diagnostics));
            }
            println!("{}: ok, {} nodes", spec.display(), parsed.nodes.len());
            Ok(ExitCode::SUCCESS)
        }
        cli::Command::Render {
            spec: path,
            output: dir,
            check: compare,
        } => {
            let (spec, text) = spec::load_file(&path)?;
            let (tree, warnings) = match cephspray::build(&spec, &path.display().to_string()) {
                Ok(built) => built,
                Err(Error::Check(diagnostics)) => {
                    print_diagnostics(&path, &text, diagnostics.clone());
                    eprintln!("nothing was written to {}", dir.display());
                    return Err(Error::Check(diagnostics));
                }
                Err(other) => return Err(other),
            };
            print_diagnostics(&path, &text, warnings);
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

/// Prints diagnostics as `file:line:column: error: path: message`, like compilers do.
fn print_diagnostics(file: &Path, text: &str, mut diagnostics: Vec<check::Diagnostic>) {
    if diagnostics.is_empty() {
        return;
    }
    check::locate(&mut diagnostics, &spec::Locations::of(text));
    for diagnostic in &diagnostics {
        match diagnostic.location {
            Some((line, column)) => eprintln!("{}:{line}:{column}: {diagnostic}", file.display()),
            None => eprintln!("{}: {diagnostic}", file.display()),
        }
    }
}
