//! `cephspray init`: writes a starting spec (never over an existing one without --force) and the
//! schema editors validate it with.

use cephspray::Error;
use cephspray::error::Exit;
use std::io::Write;
use std::path::Path;

const SCHEMA_FILE: &str = "cluster.schema.json";

pub fn run(request: &cephspray::init::Request, output: &Path, force: bool) -> Result<Exit, Error> {
    let text =
        cephspray::init::generate(request, SCHEMA_FILE).map_err(|e| Error::Usage(e.to_string()))?;
    // What is at -o: nothing, or (with --force) a spec file. A link would be replaced by the
    // new file, a directory or a device cannot be: each is refused by name.
    match std::fs::symlink_metadata(output) {
        Ok(meta) if meta.is_file() => {
            if !force {
                return Err(Error::Usage(format!(
                    "{} exists: init never overwrites a spec; choose another -o, or add --force",
                    output.display()
                )));
            }
        }
        Ok(meta) => {
            let what = if meta.file_type().is_symlink() {
                format!(
                    "a symbolic link (to {}): init writes a new file and would replace the link; name the file itself",
                    std::fs::read_link(output).unwrap_or_default().display()
                )
            } else {
                format!(
                    "{}, not a spec file; choose a file name for -o",
                    cephspray::input::describe(meta.file_type())
                )
            };
            return Err(Error::Usage(format!("{} is {what}", output.display())));
        }
        Err(_) => {}
    }
    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let io = |source| Error::Io {
        path: output.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    file.persist(output).map_err(|e| io(e.error))?;
    let schema = dir.join(SCHEMA_FILE);
    let current = cephspray::schema::json_schema();
    let schema_error = |source| Error::Io {
        path: schema.display().to_string(),
        source,
    };
    match cephspray::input::read_limited(&schema, 16 * 1024 * 1024, false) {
        Ok(existing) if existing == current.as_bytes() => {}
        Ok(_) => anstream::eprintln!(
            "note: {} is from another cephspray version; `cephspray schema > {}` refreshes it",
            schema.display(),
            schema.display()
        ),
        Err(cephspray::input::InputError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            // A new file only: never through a link, even one that points nowhere.
            let created = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&schema);
            match created {
                Ok(mut file) => file.write_all(current.as_bytes()).map_err(schema_error)?,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => anstream::eprintln!(
                    "note: {} is a symbolic link to nothing; the schema was not written",
                    schema.display()
                ),
                Err(e) => return Err(schema_error(e)),
            }
        }
        Err(other) => anstream::eprintln!(
            "note: {}: {other}; the schema was not written",
            schema.display()
        ),
    }
    anstream::println!(
        "wrote {} ({} hosts); next: cephspray check {}",
        output.display(),
        text.matches("\n  - name: ").count(),
        output.display()
    );
    Ok(Exit::Ok)
}
