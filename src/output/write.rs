//! Atomic write of a whole tree: everything is staged in a sibling directory, then swapped in
//! with one rename, so a crash or an error leaves either the old inventory or the new one.

use super::Tree;
use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `tree` into `dir`. Files in `dir` that cephspray does not generate (kubespray's
/// `credentials/` and `artifacts/`, a vault, notes) are carried over untouched.
pub fn write_atomically(tree: &Tree, dir: &Path) -> std::io::Result<()> {
    write_with(tree, dir, &mut |_| Ok(()))
}

/// `write_atomically` with a hook called before each staged file, for failure-injection tests.
#[doc(hidden)]
pub fn write_with(
    tree: &Tree,
    dir: &Path,
    before_file: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "inventory".to_owned());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.cephspray-"))
        .tempdir_in(&parent)?;
    let unchanged = if dir.exists() {
        carry_over(dir, staging.path(), tree)?
    } else {
        HashSet::new()
    };
    for (path, contents) in tree.files() {
        if unchanged.contains(path) {
            continue;
        }
        before_file(path)?;
        let target = staging.path().join(path);
        if let Some(p) = target.parent() {
            fs::create_dir_all(p)?;
        }
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if tree.is_private(path) {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(&target)?.write_all(contents.as_bytes())?;
    }
    // Everything staged must be on disk before the rename makes it the inventory. One syncfs
    // flushes the staging filesystem at once; a sync per file costs a thousand flushes.
    sync_filesystem(staging.path())?;
    let staged = staging.keep();
    let result = swap_in(&staged, dir);
    if result.is_err() {
        let _ = fs::remove_dir_all(&staged);
    }
    result
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

/// Moves the staged directory into place. An existing directory is renamed aside first and
/// removed after the new one is in, so at every instant one complete inventory exists.
fn swap_in(staged: &Path, dir: &Path) -> std::io::Result<()> {
    if !dir.exists() {
        return fs::rename(staged, dir);
    }
    let aside = staged.with_extension("old");
    fs::rename(dir, &aside)?;
    if let Err(e) = fs::rename(staged, dir) {
        fs::rename(&aside, dir)?;
        return Err(e);
    }
    fs::remove_dir_all(&aside)
}

/// Brings into `to` every file of `from` that stays as it is: files the tree does not generate,
/// and generated files whose contents do not change. A hard link costs far less than creating
/// a file (a re-render of 1,000 nodes then creates only what changed); a copy is the fallback.
/// Returns the generated paths carried over.
fn carry_over(from: &Path, to: &Path, tree: &Tree) -> std::io::Result<HashSet<String>> {
    let mut unchanged = HashSet::new();
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
            None => true,
            Some(contents) => {
                let same =
                    entry.file_type().is_file() && fs::read(entry.path())? == contents.as_bytes();
                if same {
                    unchanged.insert(key.into_owned());
                }
                same
            }
        };
        if keep && fs::hard_link(entry.path(), &target).is_err() {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(unchanged)
}
