//! What writing a tree into a directory would change, file by file, telling spec changes from
//! hand edits.

use super::disk::{Inspector, MAX_READ_BACK, OnDisk, Target, read_whole};
use super::manifest::{MANIFEST, Manifest};
use super::{PRIVATE_MODE, Tree, WriteError};
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
    /// Whether the file is created, changed, left or removed.
    pub change: Change,
    /// Unified diff from the file on disk to what cephspray writes (empty for private files).
    pub diff: String,
}

/// How many files a write creates, updates and removes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Files the render adds to the directory.
    pub created: usize,
    /// Files rewritten (hand-edited ones only when forced).
    pub updated: usize,
    /// Files no longer generated (hand-edited ones only when forced).
    pub removed: usize,
}

/// Every change, in path order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// The changed files.
    pub files: Vec<FileChange>,
    /// Generated files that could not be compared (the vault, without its password).
    pub uncompared: Vec<String>,
    /// Private files whose contents stay but whose mode is not 0600 (changed by hand, or a
    /// checkout that does not keep modes), with that mode: a render sets it back. Not drift.
    pub permissions: Vec<(String, u32)>,
}

impl Changes {
    /// Nothing would change.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// How many files are created, updated (or replaced, when forced) and removed.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for file in &self.files {
            match file.change {
                Change::Create => counts.created += 1,
                Change::Update
                | Change::HandEdited {
                    would_remove: false,
                } => counts.updated += 1,
                Change::Remove | Change::HandEdited { would_remove: true } => counts.removed += 1,
            }
        }
        counts
    }

    /// The line a render prints: what happened to the `generated` files of `dir`. Removed
    /// files are no longer generated, so they are counted apart.
    pub fn summary(&self, dir: &str, generated: usize) -> String {
        let counts = self.counts();
        let unchanged = generated.saturating_sub(counts.created + counts.updated);
        let mut parts = Vec::new();
        for (n, what) in [
            (counts.created, "new"),
            (counts.updated, "updated"),
            (unchanged, "unchanged"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        let mut line = format!(
            "{dir}: {generated} generated file{}{}{}",
            if generated == 1 { "" } else { "s" },
            if parts.is_empty() { "" } else { ": " },
            parts.join(", ")
        );
        if counts.removed > 0 {
            line.push_str(&format!(
                "; {} removed (no longer generated)",
                counts.removed
            ));
        }
        for (path, mode) in &self.permissions {
            line.push_str(&format!("; {path}: mode {mode:04o} set to 0600"));
        }
        line
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
        for (path, mode) in &self.permissions {
            let _ = writeln!(
                out,
                "mode {mode:04o}, set to 0600 when written (contents unchanged): {path}"
            );
        }
        out
    }
}

/// Reads the directory's manifest; a missing one is empty. One that is not a regular file is an
/// error even with --force: cephspray cannot write its manifest there.
pub(crate) fn read_manifest(target: &Target) -> Result<Manifest, ManifestError> {
    let Some(bytes) = read_whole(target, MANIFEST, MAX_READ_BACK)? else {
        return Ok(Manifest::default());
    };
    let text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned());
    text.and_then(|text| Manifest::parse(&text))
        .map_err(|problem| {
            ManifestError::Damaged(WriteError::Unexpected {
                path: target.shown(MANIFEST),
                problem: format!(
                    "{problem}; restore it from version control, or render with --force"
                ),
            })
        })
}

/// Why the manifest could not be read.
pub(crate) enum ManifestError {
    /// It is there but does not parse: --force renders anyway.
    Damaged(WriteError),
    /// Something else is in the way.
    Other(WriteError),
}

impl From<WriteError> for ManifestError {
    fn from(error: WriteError) -> Self {
        ManifestError::Other(error)
    }
}

impl From<ManifestError> for WriteError {
    fn from(error: ManifestError) -> Self {
        match error {
            ManifestError::Damaged(e) | ManifestError::Other(e) => e,
        }
    }
}

/// Compares `tree` with `dir` and its manifest. Nothing is created or followed: a symbolic
/// link, a FIFO, a device or a directory at a generated path is an error naming it.
pub fn compare(tree: &Tree, dir: &Path) -> Result<Changes, WriteError> {
    let target = Target::resolve(dir, false)?;
    let manifest = read_manifest(&target)?;
    compare_with(tree, &target, &manifest)
}

/// Compares `tree` with the directory `target`, whose manifest is `manifest`.
pub(crate) fn compare_with(
    tree: &Tree,
    target: &Target,
    manifest: &Manifest,
) -> Result<Changes, WriteError> {
    let mut files = Vec::new();
    let mut permissions = Vec::new();
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
    let mut inspector = Inspector::new(target);
    for path in paths {
        let new = tree.get(path);
        let on_disk = match inspector.inspect(path, new.map(str::as_bytes))? {
            // Not a file cephspray wrote (it never writes links or pipes): not its to remove.
            OnDisk::Foreign | OnDisk::Absent => None,
            OnDisk::File(found) => Some(found),
        };
        let written = manifest.files.get(path);
        let change = match (&on_disk, new) {
            (None, None) => continue,
            (None, Some(_)) => Change::Create,
            (Some(old), Some(_)) if old.same => {
                if tree.is_private(path) && old.mode & 0o7777 != PRIVATE_MODE {
                    permissions.push((path.to_owned(), old.mode & 0o7777));
                }
                continue;
            }
            (Some(old), new) => {
                let as_written = written.is_some_and(|h| *h == old.hash);
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
            match &on_disk {
                Some(found) if !found.complete => format!(
                    "(the file on disk is {} bytes: too large to show a diff)\n",
                    found.len
                ),
                found => {
                    let old = found
                        .as_ref()
                        .map(|f| String::from_utf8_lossy(&f.head))
                        .unwrap_or_default();
                    unified_diff(path, on_disk.is_some(), &old, new)
                }
            }
        };
        files.push(FileChange {
            path: path.to_owned(),
            change,
            diff,
        });
    }
    Ok(Changes {
        files,
        uncompared,
        permissions,
    })
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
