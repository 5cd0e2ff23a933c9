//! `cephspray init`: writes a starting spec (never over an existing one without --force) and the
//! schema editors validate it with.

use cephspray::Error;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

const SCHEMA_FILE: &str = "cluster.schema.json";

pub fn run(
    request: &cephspray::init::Request,
    output: &Path,
    force: bool,
) -> Result<ExitCode, Error> {
    let text =
        cephspray::init::generate(request, SCHEMA_FILE).map_err(|e| Error::Usage(e.to_string()))?;
    if output.exists() && !force {
        return Err(Error::Usage(format!(
            "{} exists: init never overwrites a spec; choose another -o, or add --force",
            output.display()
        )));
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
    match std::fs::read_to_string(&schema) {
        Ok(existing) if existing == current => {}
        Ok(_) => anstream::eprintln!(
            "note: {} is from another cephspray version; `cephspray schema > {}` refreshes it",
            schema.display(),
            schema.display()
        ),
        Err(_) => std::fs::write(&schema, current).map_err(|source| Error::Io {
            path: schema.display().to_string(),
            source,
        })?,
    }
    anstream::println!(
        "wrote {} ({} hosts); next: cephspray check {}",
        output.display(),
        text.matches("\n  - name: ").count(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
