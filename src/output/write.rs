//! Atomic write of a whole tree: everything is staged in a sibling directory, then swapped in
//! with one rename, so a crash or an error leaves either the old inventory or the new one.

use super::Tree;
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
    if dir.exists() {
        carry_over(dir, staging.path(), tree)?;
    }
    for (path, contents) in tree.files() {
        before_file(path)?;
        let target = staging.path().join(path);
        if let Some(p) = target.parent() {
            fs::create_dir_all(p)?;
        }
        let mut file = fs::File::create(&target)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
    }
    let staged = staging.keep();
    let result = swap_in(&staged, dir);
    if result.is_err() {
        let _ = fs::remove_dir_all(&staged);
    }
    result
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

/// Hard-links (or copies) every file of `from` that the tree does not generate into `to`.
fn carry_over(from: &Path, to: &Path, tree: &Tree) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.map_err(std::io::Error::other)?;
        let relative = entry
            .path()
            .strip_prefix(from)
            .expect("inside the walked directory");
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
        } else if tree.get(&relative.to_string_lossy()).is_none()
            && fs::hard_link(entry.path(), &target).is_err()
        {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
