//! Writing a tree: staged whole in a sibling directory, flushed, then swapped in with one atomic
//! exchange, so a crash, an error or a kill leaves either the old inventory or the new one.

use super::Tree;
use super::changes::{Changes, compare_with, read_manifest};
use super::manifest::{MANIFEST, Manifest};
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Generated files were edited by hand.
    #[error(
        "{} generated file(s) were edited by hand since cephspray wrote them: {}. Put the change in the spec \
         (extra_vars for what it does not model), or render with --force to overwrite it:\n{}",
        .0.hand_edits().count(),
        .0.hand_edits().map(|f| f.path.as_str()).collect::<Vec<_>>().join(", "),
        .0.hand_edits().map(|f| format!("{}{}", f.path, if f.diff.is_empty() { "\n".to_owned() } else { format!(":\n{}", f.diff) })).collect::<String>()
    )]
    HandEdits(Changes),
    /// The file system refused.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Writes `tree` into `dir` and returns what changed. cephspray's own files are updated or
/// removed; files it did not create are never touched; hand-edited ones stop the write unless
/// `force`.
pub fn write(tree: &Tree, dir: &Path, force: bool) -> Result<Changes, WriteError> {
    write_with(tree, dir, force, &mut |_| Ok(()))
}

/// `write` with a hook called before each new file is staged, for failure-injection tests.
#[doc(hidden)]
pub fn write_with(
    tree: &Tree,
    dir: &Path,
    force: bool,
    before_file: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> Result<Changes, WriteError> {
    if let Some(path) = tree.uncompared().next() {
        return Err(WriteError::Io(std::io::Error::other(format!(
            "{path} cannot be written without the vault password"
        ))));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "inventory".to_owned());
    let prefix = format!(".{name}.cephspray-");
    let _lock = lock_directory(&parent)?;
    remove_stale_staging(&parent, &prefix);
    // With --force a damaged manifest is as good as none: every file at a generated path is
    // overwritten, and nothing can be recognised as cephspray's to remove.
    let old_manifest = match read_manifest(dir) {
        Ok(manifest) => manifest,
        Err(_) if force => Manifest::default(),
        Err(e) => return Err(e.into()),
    };
    let changes = compare_with(tree, dir, &old_manifest)?;
    if !force && changes.hand_edits().next().is_some() {
        return Err(WriteError::HandEdits(changes));
    }
    let manifest = Manifest::of(tree);
    if changes.is_empty() && old_manifest == manifest {
        return Ok(changes);
    }
    let staging = tempfile::Builder::new()
        .prefix(&prefix)
        .tempdir_in(&parent)?;
    let unchanged = if dir.exists() {
        carry_over(dir, staging.path(), tree, &changes, &old_manifest)?
    } else {
        HashSet::new()
    };
    for (path, contents) in tree.files() {
        if unchanged.contains(path) {
            continue;
        }
        before_file(path)?;
        write_file(&staging.path().join(path), contents, tree.is_private(path))?;
    }
    write_file(&staging.path().join(MANIFEST), &manifest.to_text(), false)?;
    // Everything staged must be on disk before the swap makes it the inventory. One syncfs
    // flushes the staging filesystem at once; a sync per file costs a thousand flushes.
    sync_filesystem(staging.path())?;
    let staged = staging.keep();
    let result = swap_in(&staged, dir);
    let _ = fs::remove_dir_all(&staged);
    result?;
    Ok(changes)
}

/// An exclusive lock on the directory that holds the inventory, for the time of a write: two
/// renders into one place wait for each other, and staging directories found under the lock
/// were left by a render that was killed.
fn lock_directory(parent: &Path) -> std::io::Result<fs::File> {
    let handle = fs::File::open(parent)?;
    #[cfg(unix)]
    rustix::fs::flock(&handle, rustix::fs::FlockOperation::LockExclusive)?;
    Ok(handle)
}

/// Removes staging directories of killed renders of the same inventory (`prefix*`).
fn remove_stale_staging(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry.file_name().to_string_lossy().starts_with(prefix)
            && entry.file_type().is_ok_and(|t| t.is_dir());
        if stale {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn write_file(path: &Path, contents: &str, private: bool) -> std::io::Result<()> {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(target_os = "linux")]
fn sync_filesystem(dir: &Path) -> std::io::Result<()> {
    let handle = fs::File::open(dir)?;
    rustix::fs::syncfs(&handle).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn sync_filesystem(dir: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            fs::File::open(entry.path())?.sync_all()?;
        }
    }
    Ok(())
}

/// Puts the staged directory at `dir`; afterwards `staged` holds the old one (or nothing).
/// On Linux both directories trade places in one atomic rename (RENAME_EXCHANGE); elsewhere,
/// or where the file system refuses it, the old directory is renamed aside first.
fn swap_in(staged: &Path, dir: &Path) -> std::io::Result<()> {
    if !dir.exists() {
        return fs::rename(staged, dir);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staged, CWD, dir, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let aside = staged.with_extension("old");
    fs::rename(dir, &aside)?;
    if let Err(e) = fs::rename(staged, dir) {
        fs::rename(&aside, dir)?;
        return Err(e);
    }
    fs::rename(&aside, staged)
}

/// Brings into `to` every file of `from` that stays as it is: files cephspray did not create,
/// and generated files `changes` found byte for byte unchanged. Generated files no longer
/// generated are left behind (removed), with the directories they leave empty. A hard link costs
/// far less than creating a file; a copy is the fallback. Returns the generated paths carried over.
fn carry_over(
    from: &Path,
    to: &Path,
    tree: &Tree,
    changes: &Changes,
    old: &Manifest,
) -> std::io::Result<HashSet<String>> {
    let changed: HashSet<&str> = changes.files.iter().map(|f| f.path.as_str()).collect();
    let mut unchanged = HashSet::new();
    let mut emptied: BTreeSet<PathBuf> = BTreeSet::new();
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.map_err(std::io::Error::other)?;
        let relative = entry
            .path()
            .strip_prefix(from)
            .expect("inside the walked directory");
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
            continue;
        }
        let key = relative.to_string_lossy();
        let keep = match tree.get(&key) {
            _ if key == MANIFEST => false,
            Some(_) => {
                let same = entry.file_type().is_file() && !changed.contains(key.as_ref());
                if same {
                    unchanged.insert(key.into_owned());
                }
                same
            }
            None if old.files.contains_key(key.as_ref()) => {
                emptied.extend(
                    relative
                        .ancestors()
                        .skip(1)
                        .filter(|a| !a.as_os_str().is_empty())
                        .map(Path::to_owned),
                );
                false
            }
            None => true,
        };
        if keep && fs::hard_link(entry.path(), &target).is_err() {
            fs::copy(entry.path(), &target)?;
        }
    }
    // Deepest first; a directory that still holds anything stays.
    for dir in emptied.iter().rev() {
        let _ = fs::remove_dir(to.join(dir));
    }
    Ok(unchanged)
}
