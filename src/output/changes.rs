//! What writing a tree into a directory would change, file by file, telling spec changes from
//! hand edits.

use super::Tree;
use super::manifest::{MANIFEST, Manifest, hash};
use std::fmt::Write as _;
use std::path::Path;

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new file.
    Create,
    /// The spec changed it; the file on disk is as cephspray wrote it.
    Update,
    /// cephspray no longer generates it; the file on disk is as cephspray wrote it.
    Remove,
    /// Edited by hand since cephspray wrote it (or, at a generated path, not written by
    /// cephspray at all): render stops unless forced.
    HandEdited {
        /// cephspray would remove the file rather than rewrite it.
        would_remove: bool,
    },
}

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path inside the directory.
    pub path: String,
    /// What happens.
    pub change: Change,
    /// Unified diff from the file on disk to what cephspray writes (empty for private files).
    pub diff: String,
}

/// Every change, in path order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// The changed files.
    pub files: Vec<FileChange>,
    /// Generated files that could not be compared (the vault, without its password).
    pub uncompared: Vec<String>,
}

impl Changes {
    /// Nothing would change.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Files edited by hand.
    pub fn hand_edits(&self) -> impl Iterator<Item = &FileChange> {
        self.files
            .iter()
            .filter(|f| matches!(f.change, Change::HandEdited { .. }))
    }

    /// The report `render --check` and `--diff` print: each file under a label, then its diff.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for file in &self.files {
            let label = match file.change {
                Change::Create => "new file",
                Change::Update => "spec change",
                Change::Remove => "no longer generated, removed",
                Change::HandEdited {
                    would_remove: false,
                } => "HAND EDIT (differs from what cephspray wrote)",
                Change::HandEdited { would_remove: true } => {
                    "HAND EDIT in a file cephspray no longer generates"
                }
            };
            let _ = writeln!(out, "{label}: {}", file.path);
            out.push_str(&file.diff);
        }
        for path in &self.uncompared {
            let _ = writeln!(out, "not compared (no vault password): {path}");
        }
        out
    }
}

/// Reads the directory's manifest; a missing one is empty.
pub fn read_manifest(dir: &Path) -> std::io::Result<Manifest> {
    match std::fs::read_to_string(dir.join(MANIFEST)) {
        Ok(text) => Manifest::parse(&text).map_err(|problem| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{MANIFEST}: {problem}; restore it from version control, or render with --force"
                ),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(e) => Err(e),
    }
}

/// Compares `tree` with `dir` and its manifest.
pub fn compare(tree: &Tree, dir: &Path) -> std::io::Result<Changes> {
    compare_with(tree, dir, &read_manifest(dir)?)
}

/// Compares `tree` with `dir`, whose manifest is `manifest`.
pub fn compare_with(tree: &Tree, dir: &Path, manifest: &Manifest) -> std::io::Result<Changes> {
    let mut files = Vec::new();
    let mut paths: Vec<&str> = tree.files().map(|(p, _)| p).collect();
    let uncompared: Vec<String> = tree.uncompared().map(str::to_owned).collect();
    paths.extend(
        manifest
            .files
            .keys()
            .map(String::as_str)
            .filter(|p| tree.get(p).is_none() && !uncompared.iter().any(|u| u == p)),
    );
    paths.sort_unstable();
    for path in paths {
        let on_disk = match std::fs::read(dir.join(path)) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let new = tree.get(path);
        let written = manifest.files.get(path);
        let change = match (&on_disk, new) {
            (None, None) => continue,
            (None, Some(_)) => Change::Create,
            (Some(old), Some(new)) if old.as_slice() == new.as_bytes() => continue,
            (Some(old), new) => {
                let as_written = written.is_some_and(|h| *h == hash(old));
                match (as_written, new) {
                    (true, Some(_)) => Change::Update,
                    (true, None) => Change::Remove,
                    (false, new) => Change::HandEdited {
                        would_remove: new.is_none(),
                    },
                }
            }
        };
        let diff = if tree.is_private(path) {
            String::new()
        } else {
            let old = on_disk
                .as_deref()
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            unified_diff(path, on_disk.is_some(), &old, new)
        };
        files.push(FileChange {
            path: path.to_owned(),
            change,
            diff,
        });
    }
    Ok(Changes { files, uncompared })
}

fn unified_diff(path: &str, existed: bool, old: &str, new: Option<&str>) -> String {
    let old_name = if existed {
        format!("a/{path}")
    } else {
        "/dev/null".to_owned()
    };
    let new_name = if new.is_some() {
        format!("b/{path}")
    } else {
        "/dev/null".to_owned()
    };
    similar::TextDiff::from_lines(old, new.unwrap_or(""))
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string()
}
