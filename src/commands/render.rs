//! `cephspray render`: the inventory, written atomically, compared (`--check`), or both (`--diff`).

use super::print_diagnostics;
use cephspray::error::Exit;
use cephspray::{Error, output, spec};
use std::path::Path;

/// What `render` was asked.
pub struct Options<'a> {
    pub spec: &'a Path,
    pub dir: &'a Path,
    pub check_only: bool,
    pub diff: bool,
    pub force: bool,
    pub vault_password_file: Option<&'a Path>,
}

pub fn run(options: &Options) -> Result<Exit, Error> {
    let (spec, text) = spec::load_file(options.spec)?;
    let password = options
        .vault_password_file
        .map(cephspray::secrets::read_password_file)
        .transpose()?;
    // Read without following links or opening pipes and devices inside the directory.
    let existing_vault =
        output::read_generated(options.dir, cephspray::render::VAULT_PATH).map_err(from_write)?;
    let source = options.spec.display().to_string();
    let env = |name: &str| std::env::var(name).ok();
    let inputs = cephspray::Inputs {
        source: &source,
        spec_dir: options.spec.parent().unwrap_or(Path::new(".")),
        vault_password: password.as_deref().map(Vec::as_slice),
        existing_vault: existing_vault.as_deref(),
        env: &env,
        skip_vault_without_password: options.check_only,
    };
    let (tree, warnings) = match cephspray::build(&spec, &inputs) {
        Ok(built) => built,
        Err(Error::Check(diagnostics)) => {
            print_diagnostics(options.spec, &text, diagnostics.clone());
            anstream::eprintln!("nothing was written to {}", options.dir.display());
            return Err(Error::Check(diagnostics));
        }
        Err(other) => return Err(other),
    };
    print_diagnostics(options.spec, &text, warnings);
    if options.check_only || options.diff {
        let changes = output::compare(&tree, options.dir).map_err(from_write)?;
        anstream::print!("{}", changes.report());
        if options.check_only {
            if changes.is_empty() {
                anstream::println!("{}: up to date", options.dir.display());
                return Ok(Exit::Ok);
            }
            return Err(Error::Drift(options.dir.display().to_string()));
        }
    }
    let changes = output::write(&tree, options.dir, options.force).map_err(from_write)?;
    anstream::println!(
        "{}",
        changes.summary(&options.dir.display().to_string(), tree.files().count())
    );
    Ok(Exit::Ok)
}

/// A write error as the CLI reports it, naming the path it is about.
fn from_write(error: output::WriteError) -> Error {
    match error {
        output::WriteError::HandEdits(_) => Error::HandEdits(error.to_string()),
        output::WriteError::Io { path, source } => Error::Io {
            path: path.display().to_string(),
            source,
        },
        output::WriteError::Unexpected { path, problem } => Error::Io {
            path: path.display().to_string(),
            source: std::io::Error::other(problem),
        },
    }
}
