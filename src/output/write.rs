//! Writing a tree: staged whole in a directory of cephspray's own beside the inventory, flushed,
//! then swapped in with one atomic exchange, so a crash, an error or a kill leaves either the old
//! inventory or the new one.
//!
//! The staging directory is `.NAME.cephspray-TOKEN` (TOKEN: 128 random bits in hex) and holds a
//! marker file, `.cephspray-staging`, that names TOKEN, and the new inventory in `new/`. The
//! exchange puts the old inventory where `new/` was, inside the staging directory, which is then
//! removed whole. A render removes a directory left behind by a killed one only when its marker
//! names its token: a directory of the user's that merely looks like one is never touched (the
//! one exception, an empty directory with a token-shaped name, is what a render killed between
//! creating its staging directory and writing the marker leaves; removing it loses nothing).
//!
//! Directories of the old inventory are recreated with their owner and mode; files cephspray did
//! not create, and generated files that do not change, are hard-linked (the same file, owner and
//! mode); the vault is 0600 after every render.

use super::changes::{Changes, ManifestError, compare_with, read_manifest};
use super::disk::{Target, open_regular};
use super::manifest::{MANIFEST, Manifest};
use super::{PRIVATE_MODE, Tree};
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The marker file inside a staging directory.
pub const STAGING_MARKER: &str = ".cephspray-staging";

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
    /// Something cephspray does not expect is at a path (a link, a pipe, a device, a directory
    /// where a file goes, a read-only directory…).
    #[error("{}: {problem}", .path.display())]
    Unexpected {
        /// The path, as the user would write it.
        path: PathBuf,
        /// What is there and what to do.
        problem: String,
    },
    /// The file system refused.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path, as the user would write it.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

impl WriteError {
    /// The path the error is about; hand edits name theirs in the message.
    pub fn path(&self) -> Option<&Path> {
        match self {
            WriteError::HandEdits(_) => None,
            WriteError::Unexpected { path, .. } | WriteError::Io { path, .. } => Some(path),
        }
    }

    /// What is wrong, without the path.
    pub fn problem(&self) -> String {
        match self {
            WriteError::HandEdits(_) => self.to_string(),
            WriteError::Unexpected { problem, .. } => problem.clone(),
            WriteError::Io { source, .. } => source.to_string(),
        }
    }
}

fn io_at(path: PathBuf) -> impl FnOnce(std::io::Error) -> WriteError {
    move |source| WriteError::Io { path, source }
}

/// Writes `tree` into `dir` and returns what changed. cephspray's own files are updated or
/// removed; files it did not create are never touched; hand-edited ones stop the write unless
/// `force`.
pub fn write(tree: &Tree, dir: &Path, force: bool) -> Result<Changes, WriteError> {
    write_inner(tree, dir, force, true, &mut |_| Ok(()))
}

/// `write` with a hook called before each new file is staged, for failure-injection tests.
#[doc(hidden)]
pub fn write_with(
    tree: &Tree,
    dir: &Path,
    force: bool,
    before_file: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> Result<Changes, WriteError> {
    write_inner(tree, dir, force, true, before_file)
}

/// `write` without flushing the file system, for the fuzz target (a `syncfs` per input would
/// flush the machine's disk thousands of times a second).
#[doc(hidden)]
pub fn write_unsynced(tree: &Tree, dir: &Path, force: bool) -> Result<Changes, WriteError> {
    write_inner(tree, dir, force, false, &mut |_| Ok(()))
}

fn write_inner(
    tree: &Tree,
    dir: &Path,
    force: bool,
    sync: bool,
    before_file: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> Result<Changes, WriteError> {
    if let Some(path) = tree.uncompared().next() {
        return Err(WriteError::Unexpected {
            path: dir.join(path),
            problem: "cannot be written without the vault password".to_owned(),
        });
    }
    let target = Target::resolve(dir, true)?;
    if target.exists
        && std::env::current_dir()
            .and_then(fs::canonicalize)
            .is_ok_and(|cwd| cwd.starts_with(&target.real))
    {
        return Err(WriteError::Unexpected {
            path: target.shown.clone(),
            problem: "is the current directory, or holds it: a render replaces the directory with a new one, \
                      which would leave this shell in a deleted directory; run cephspray from outside it"
                .to_owned(),
        });
    }
    let _lock = lock_directory(&target.parent)?;
    remove_stale_staging(&target);
    // With --force a damaged manifest is as good as none: every file at a generated path is
    // overwritten, and nothing can be recognised as cephspray's to remove.
    let old_manifest = match read_manifest(&target) {
        Ok(manifest) => manifest,
        Err(ManifestError::Damaged(_)) if force => Manifest::default(),
        Err(e) => return Err(e.into()),
    };
    let changes = compare_with(tree, &target, &old_manifest)?;
    if !force && changes.hand_edits().next().is_some() {
        return Err(WriteError::HandEdits(changes));
    }
    // An unchanged vault keeps its bytes, but never a mode that lets others read it.
    for (path, _) in &changes.permissions {
        let shown = target.shown(path);
        open_regular(&target.real.join(path), &shown)?
            .set_permissions(mode(PRIVATE_MODE))
            .map_err(io_at(shown))?;
    }
    let manifest = Manifest::of(tree);
    if changes.is_empty() && old_manifest == manifest {
        return Ok(changes);
    }
    if target.exists {
        refuse_mount_point(&target)?;
    }
    check_writable(&target, &changes)?;
    let staging = Staging::create(&target)?;
    let root = staging.new_root();
    let mut directories = Vec::new();
    let mut emptied = BTreeSet::new();
    let unchanged = if target.exists {
        carry_over(
            &target,
            &root,
            tree,
            &changes,
            &old_manifest,
            &mut directories,
            &mut emptied,
        )?
    } else {
        HashSet::new()
    };
    for (path, contents) in tree.files() {
        if unchanged.contains(path) {
            continue;
        }
        let shown = target.shown(path);
        before_file(path).map_err(io_at(shown.clone()))?;
        write_file(&root.join(path), contents, tree.is_private(path)).map_err(io_at(shown))?;
    }
    write_file(&root.join(MANIFEST), &manifest.to_text(), false)
        .map_err(io_at(target.shown(MANIFEST)))?;
    // Directories only the removed files were in go too. Deepest first; one that still holds
    // anything stays.
    for dir in emptied.iter().rev() {
        let _ = fs::remove_dir(root.join(dir));
    }
    restore_modes(&target, &root, &directories)?;
    // Everything staged must be on disk before the swap makes it the inventory. One syncfs
    // flushes the staging filesystem at once; a sync per file costs a thousand flushes.
    if sync {
        sync_filesystem(&root).map_err(io_at(staging.path.clone()))?;
    }
    swap_in(&staging, &target)?;
    drop(staging);
    Ok(changes)
}

#[cfg(unix)]
fn mode(bits: u32) -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(bits)
}

#[cfg(not(unix))]
fn mode(_: u32) -> fs::Permissions {
    unreachable!("cephspray writes inventories on Unix")
}

/// An exclusive lock on the directory that holds the inventory, for the time of a write: two
/// renders into one place wait for each other, and staging directories found under the lock
/// were left by a render that was killed.
fn lock_directory(parent: &Path) -> Result<fs::File, WriteError> {
    let handle = fs::File::open(parent).map_err(io_at(parent.to_owned()))?;
    #[cfg(unix)]
    rustix::fs::flock(&handle, rustix::fs::FlockOperation::LockExclusive)
        .map_err(|e| io_at(parent.to_owned())(e.into()))?;
    Ok(handle)
}

/// The marker's contents for `token` (public for tests that fake a killed render's leftovers).
#[doc(hidden)]
pub fn marker_text(token: &str) -> String {
    format!("cephspray staging directory {token}; removed by the next render if left behind\n")
}

fn is_token(text: &str) -> bool {
    text.len() == 32
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Removes staging directories of killed renders of the same inventory: only those whose
/// marker names the token in their name (and empty ones with a token for a name).
fn remove_stale_staging(target: &Target) {
    let prefix = format!(".{}.cephspray-", target.name);
    let Ok(entries) = fs::read_dir(&target.parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(token) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        // The entry's own type: a link to a directory is not followed.
        if !is_token(token) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        let marker = path.join(STAGING_MARKER);
        let mut text = String::new();
        let read = open_regular(&marker, &marker)
            .ok()
            .and_then(|f| f.take(4096).read_to_string(&mut text).ok());
        let expected = marker_text(token);
        if read.is_some() && text == expected {
            remove_staging(&path);
        } else if read.is_some() && expected.starts_with(&text) && only_marker(&path) {
            // Killed while writing the marker: nothing else is in it yet.
            let _ = fs::remove_file(&marker);
            let _ = fs::remove_dir(&path);
        } else {
            // Killed before the marker was written, or after the rest was removed: empty, or
            // not cephspray's (then this fails).
            let _ = fs::remove_dir(&path);
        }
    }
}

fn only_marker(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<Vec<_>, _>>()
            .is_ok_and(|names| names == [STAGING_MARKER])
    })
}

/// Removes a staging directory, its marker last: a render killed meanwhile leaves one that
/// is still marked (or empty).
fn remove_staging(path: &Path) {
    if let Ok(entries) = fs::read_dir(path) {
        for entry in entries.flatten() {
            if entry.file_name() == STAGING_MARKER {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove_tree(&entry.path());
            } else {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    let _ = fs::remove_file(path.join(STAGING_MARKER));
    let _ = fs::remove_dir(path);
}

/// Removes a directory tree of cephspray's own, making read-only directories in it writable
/// first (an old inventory may have them).
fn remove_tree(path: &Path) {
    if fs::remove_dir_all(path).is_ok() || !path.exists() {
        return;
    }
    #[cfg(unix)]
    for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
        use std::os::unix::fs::PermissionsExt;
        if entry.file_type().is_dir()
            && let Ok(meta) = entry.metadata()
        {
            let _ = fs::set_permissions(entry.path(), mode(meta.permissions().mode() | 0o700));
        }
    }
    let _ = fs::remove_dir_all(path);
}

/// A staging directory of this render; removed when dropped (after the swap it holds the old
/// inventory).
struct Staging {
    path: PathBuf,
}

impl Staging {
    fn create(target: &Target) -> Result<Staging, WriteError> {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(|e| WriteError::Unexpected {
            path: target.parent.clone(),
            problem: format!("no randomness for a staging directory name: {e}"),
        })?;
        let token = hex::encode(random);
        let path = target
            .parent
            .join(format!(".{}.cephspray-{token}", target.name));
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&path).map_err(|e| WriteError::Unexpected {
            path: target.parent.clone(),
            problem: format!(
                "cannot create the staging directory for {} here: {e}",
                target.shown.display()
            ),
        })?;
        let staging = Staging { path };
        let marker = staging.path.join(STAGING_MARKER);
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&marker)
            .and_then(|mut f| f.write_all(marker_text(&token).as_bytes()))
            .map_err(io_at(marker))?;
        fs::create_dir(staging.new_root()).map_err(io_at(staging.new_root()))?;
        Ok(staging)
    }

    fn new_root(&self) -> PathBuf {
        self.path.join("new")
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        remove_staging(&self.path);
    }
}

/// A directory that is the root of a mount cannot be swapped by renaming.
fn refuse_mount_point(target: &Target) -> Result<(), WriteError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let dev = |p: &Path| fs::metadata(p).map(|m| m.dev());
        if let (Ok(dir), Ok(parent)) = (dev(&target.real), dev(&target.parent))
            && dir != parent
        {
            return Err(WriteError::Unexpected {
                path: target.shown.clone(),
                problem:
                    "is a mount point: cephspray swaps the new inventory in by renaming, which \
                          cannot replace a mount point; render into a directory inside it"
                        .to_owned(),
            });
        }
    }
    Ok(())
}

/// A directory cephspray would change must be writable: the output directory itself (it is
/// replaced), the one that holds it (staging happens there), and those where files are
/// created, updated or removed. Read-only (no write bit, also for root) is an error naming it.
fn check_writable(target: &Target, changes: &Changes) -> Result<(), WriteError> {
    let check = |real: &Path, shown: &Path, role: &str| -> Result<(), WriteError> {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = match fs::metadata(real) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io_at(shown.to_owned())(e)),
        };
        let bits = meta.permissions().mode() & 0o777;
        let denied = rustix::fs::access(real, rustix::fs::Access::WRITE_OK).err();
        let problem = if bits & 0o222 == 0 {
            format!("is read-only (mode {bits:04o})")
        } else if let Some(e) = denied {
            format!(
                "is not writable for you (mode {bits:04o}, uid {} gid {}: {})",
                meta.uid(),
                meta.gid(),
                std::io::Error::from(e)
            )
        } else {
            return Ok(());
        };
        Err(WriteError::Unexpected {
            path: shown.to_owned(),
            problem: format!(
                "{problem}; {role}: make it writable (chmod u+w), or render elsewhere"
            ),
        })
    };
    check(
        &target.parent,
        &target.parent,
        &format!(
            "cephspray stages the new inventory here, beside {}, and swaps it in",
            target.shown.display()
        ),
    )?;
    if !target.exists {
        return Ok(());
    }
    check(
        &target.real,
        &target.shown,
        "cephspray replaces it with the new inventory",
    )?;
    let mut seen = HashSet::new();
    for file in &changes.files {
        for dir in Path::new(&file.path)
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
        {
            if seen.insert(dir.to_owned()) {
                check(
                    &target.real.join(dir),
                    &target.shown(dir),
                    &format!("cephspray changes {} in it", file.path),
                )?;
            }
        }
    }
    Ok(())
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
        options.mode(PRIVATE_MODE);
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

/// Puts the staged inventory at the output directory; afterwards the staging directory holds
/// the old one (or nothing). On Linux both directories trade places in one atomic rename
/// (RENAME_EXCHANGE); elsewhere, or where the file system refuses it, the old directory is
/// renamed aside first.
fn swap_in(staging: &Staging, target: &Target) -> Result<(), WriteError> {
    let new = staging.new_root();
    let fail = |e: std::io::Error| WriteError::Unexpected {
        path: target.shown.clone(),
        problem: format!("cannot swap the new inventory in: {e}"),
    };
    if !target.exists {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            // Never over something that appeared meanwhile.
            match renameat_with(CWD, &new, CWD, &target.real, RenameFlags::NOREPLACE) {
                Ok(()) => return Ok(()),
                Err(rustix::io::Errno::EXIST) => {
                    return Err(WriteError::Unexpected {
                        path: target.shown.clone(),
                        problem: "appeared while cephspray was writing; render again".to_owned(),
                    });
                }
                Err(_) => {}
            }
        }
        return fs::rename(&new, &target.real).map_err(fail);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, &new, CWD, &target.real, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let aside = staging.path.join("old");
    fs::rename(&target.real, &aside).map_err(fail)?;
    if let Err(e) = fs::rename(&new, &target.real) {
        fs::rename(&aside, &target.real).map_err(fail)?;
        return Err(fail(e));
    }
    Ok(())
}

/// Gives a directory recreated in the staging tree the owner of the one it replaces; an error
/// naming it when that is not allowed (the user does not own it and is not root).
#[cfg(unix)]
fn keep_owner(
    meta: &fs::Metadata,
    staged: &Path,
    shown: &Path,
    what: &str,
) -> Result<(), WriteError> {
    use std::os::unix::fs::MetadataExt;
    let mine = fs::metadata(staged).map_err(io_at(shown.to_owned()))?;
    let uid = (mine.uid() != meta.uid()).then_some(meta.uid());
    let gid = (mine.gid() != meta.gid()).then_some(meta.gid());
    if uid.is_none() && gid.is_none() {
        return Ok(());
    }
    std::os::unix::fs::chown(staged, uid, gid).map_err(|e| WriteError::Unexpected {
        path: shown.to_owned(),
        problem: format!(
            "belongs to uid {} gid {}, and cephspray (uid {} gid {}) cannot give the {what} that replaces it \
             the same owner ({e}); render as its owner, or give it to yourself",
            meta.uid(),
            meta.gid(),
            mine.uid(),
            mine.gid()
        ),
    })
}

#[cfg(not(unix))]
fn keep_owner(_: &fs::Metadata, _: &Path, _: &Path, _: &str) -> Result<(), WriteError> {
    Ok(())
}

/// Sets every recreated directory's mode back to the old one's, deepest first (the old modes
/// may forbid writing, so only once everything is staged).
fn restore_modes(
    target: &Target,
    root: &Path,
    directories: &[(PathBuf, fs::Metadata)],
) -> Result<(), WriteError> {
    for (relative, meta) in directories.iter().rev() {
        let staged = root.join(relative);
        if !staged.exists() {
            continue; // emptied and removed
        }
        fs::set_permissions(&staged, meta.permissions()).map_err(io_at(target.shown(relative)))?;
    }
    Ok(())
}

/// Brings into `to` everything of the old inventory that stays as it is: directories (with
/// their owner; modes are set at the end), files cephspray did not create, and generated files
/// `changes` found byte for byte unchanged. Generated files no longer generated are left behind
/// (removed); the directories they were in are listed in `emptied`. A hard link costs far less
/// than creating a file, and keeps the file's owner and mode; a copy is the fallback. Returns the
/// generated paths carried over.
fn carry_over(
    target: &Target,
    to: &Path,
    tree: &Tree,
    changes: &Changes,
    old: &Manifest,
    directories: &mut Vec<(PathBuf, fs::Metadata)>,
    emptied: &mut BTreeSet<PathBuf>,
) -> Result<HashSet<String>, WriteError> {
    let from = &target.real;
    let changed: HashSet<&str> = changes.files.iter().map(|f| f.path.as_str()).collect();
    let mut unchanged = HashSet::new();
    let root_meta = fs::metadata(from).map_err(io_at(target.shown.clone()))?;
    keep_owner(&root_meta, to, &target.shown, "directory")?;
    directories.push((PathBuf::new(), root_meta));
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .and_then(|p| p.strip_prefix(from).ok())
                .map_or_else(|| target.shown.clone(), |p| target.shown(p));
            io_at(path)(e.into())
        })?;
        let relative = entry
            .path()
            .strip_prefix(from)
            .expect("inside the walked directory")
            .to_owned();
        let shown = target.shown(&relative);
        let staged = to.join(&relative);
        let file_type = entry.file_type();
        if file_type.is_dir() {
            let meta = entry
                .metadata()
                .map_err(|e| io_at(shown.clone())(e.into()))?;
            fs::create_dir(&staged).map_err(io_at(shown.clone()))?;
            keep_owner(&meta, &staged, &shown, "directory")?;
            directories.push((relative, meta));
            continue;
        }
        let key = relative.to_string_lossy();
        let keep = match tree.get(&key) {
            _ if key == MANIFEST => false,
            Some(_) => {
                let same = file_type.is_file() && !changed.contains(key.as_ref());
                if same {
                    unchanged.insert(key.into_owned());
                }
                same
            }
            // Its own file, no longer generated (or, forced, hand-edited): removed. What is not
            // a regular file there is not cephspray's, and stays.
            None if old.files.contains_key(key.as_ref()) && file_type.is_file() => {
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
        if keep {
            carry(entry.path(), &staged, file_type, &shown)?;
        }
    }
    Ok(unchanged)
}

/// Puts `from` at `to`: a hard link (on Linux a link to a symbolic link is the link itself, and
/// FIFOs and devices are linked, never opened); failing that, a copy of a regular file or a new
/// symbolic link with the same target.
fn carry(from: &Path, to: &Path, file_type: fs::FileType, shown: &Path) -> Result<(), WriteError> {
    let Err(error) = fs::hard_link(from, to) else {
        return Ok(());
    };
    let fallback = if file_type.is_file() {
        // A copy is a new file: it must get the old one's owner, or the render stops.
        fs::copy(from, to).map_err(io_at(shown.to_owned()))?;
        let meta = fs::symlink_metadata(from).map_err(io_at(shown.to_owned()))?;
        return keep_owner(
            &meta,
            to,
            shown,
            &format!("copy (a hard link was refused: {error})"),
        );
    } else if file_type.is_symlink() {
        #[cfg(unix)]
        {
            fs::read_link(from).and_then(|link| std::os::unix::fs::symlink(link, to))
        }
        #[cfg(not(unix))]
        {
            Err(error)
        }
    } else {
        return Err(WriteError::Unexpected {
            path: shown.to_owned(),
            problem: format!(
                "is {} that cannot be carried into the new inventory ({error}); move it out of the inventory",
                crate::input::describe(file_type)
            ),
        });
    };
    fallback.map_err(io_at(shown.to_owned()))
}
