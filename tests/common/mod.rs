//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The valid fixtures, by file stem.
pub fn valid_fixtures() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    found.sort();
    found
}

/// Renders a fixture in memory, as `cephspray render fixtures/NAME.yaml` names it.
pub fn render(path: &Path) -> cephspray::output::Tree {
    let (spec, _) = cephspray::spec::load_file(path).unwrap();
    let source = format!("fixtures/{}", path.file_name().unwrap().to_string_lossy());
    cephspray::build(&spec, &source).unwrap().0
}
