//! `cephspray check`: diagnostics and the pool figures, as text or JSON.

use super::print_diagnostics;
use crate::cli::Format;
use cephspray::error::Exit;
use cephspray::{Error, check, spec};
use std::path::Path;

pub fn run(path: &Path, format: Format) -> Result<Exit, Error> {
    if format == Format::Json {
        return json(path);
    }
    let (parsed, text) = spec::load_file(path)?;
    let sizing = cephspray::pg::Sizing::of(&parsed);
    let diagnostics = check_all(path, &parsed, &sizing);
    print_diagnostics(path, &text, diagnostics.clone());
    if check::has_errors(&diagnostics) {
        return Err(Error::Check(diagnostics));
    }
    if !parsed.ceph.pools.is_empty() {
        anstream::print!("{}", sizing.report);
    }
    anstream::println!("{}: no errors", path.display());
    Ok(Exit::Ok)
}

/// Everything `render` would refuse: the spec's checks and its secret sources, read from the
/// environment and from files beside the spec as `render` reads them.
fn check_all(
    path: &Path,
    parsed: &spec::Spec,
    sizing: &cephspray::pg::Sizing,
) -> Vec<check::Diagnostic> {
    let env = |name: &str| std::env::var(name).ok();
    let dir = path.parent().unwrap_or(Path::new("."));
    cephspray::check_spec_with_sources(parsed, sizing, dir, &env)
}

/// One JSON object on stdout: `ok`, `diagnostics` (each with severity, path, message, line and
/// column) and, when the spec has pools, `pg`. A spec that does not parse gives one diagnostic,
/// with the spec path it is about when there is one. Exit 1 when there are errors.
fn json(path: &Path) -> Result<Exit, Error> {
    let (diagnostics, pg) = match spec::load_file(path) {
        Ok((parsed, text)) => {
            let sizing = cephspray::pg::Sizing::of(&parsed);
            let mut diagnostics = check_all(path, &parsed, &sizing);
            check::locate(&mut diagnostics, &spec::Locations::of(&text));
            let pg = (!parsed.ceph.pools.is_empty()).then(|| pg_without_findings(&sizing));
            let diagnostics: Vec<_> = diagnostics
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "severity": d.severity,
                        "path": d.path,
                        "message": d.message,
                        "line": d.location.map(|l| l.0),
                        "column": d.location.map(|l| l.1),
                    })
                })
                .collect();
            (diagnostics, pg)
        }
        Err(spec::SpecError::Syntax {
            line,
            column,
            path,
            message,
            ..
        }) => (
            vec![serde_json::json!({
                "severity": "error", "path": path, "message": message,
                "line": (line > 0).then_some(line), "column": (column > 0).then_some(column),
            })],
            None,
        ),
        Err(other) => return Ok(unreadable(path, other.into())),
    };
    let ok = !diagnostics.iter().any(|d| d["severity"] == "error");
    let report = serde_json::json!({
        "spec": path.display().to_string(),
        "ok": ok,
        "diagnostics": diagnostics,
        "pg": pg,
    });
    anstream::println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("JSON serialises")
    );
    Ok(Exit::attention_if(!ok))
}

/// The pool sizing as JSON without its findings: those are diagnostics, at their spec paths,
/// and listing them twice made one warning appear twice.
fn pg_without_findings(sizing: &cephspray::pg::Sizing) -> serde_json::Value {
    let mut pg = sizing.report.to_json();
    if let Some(fields) = pg.as_object_mut() {
        fields.remove("errors");
        fields.remove("warnings");
    }
    pg
}

/// A spec that cannot be read (missing, a directory, a FIFO, too large) in JSON too: one error
/// diagnostic without a path; the exit code is the text mode's (2).
fn unreadable(path: &Path, error: Error) -> Exit {
    let report = serde_json::json!({
        "spec": path.display().to_string(),
        "ok": false,
        "diagnostics": [{
            "severity": "error", "path": null, "message": error.to_string(),
            "line": null, "column": null,
        }],
        "pg": null,
    });
    anstream::println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("JSON serialises")
    );
    error.exit()
}
