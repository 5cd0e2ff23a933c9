//! Looking at the output directory without trusting what is in it: the directory `-o` names is
//! resolved once (a symbolic link to a directory is followed, anything else that is not a
//! directory is refused), and below it nothing is followed. A generated path must be a regular
//! file or absent, and every directory above it a real directory or absent; a symbolic link, a
//! FIFO, a device, a socket or a directory where a file goes is an error that names the path.
//! Files are read bounded, and never opened when they are not regular files, so nothing blocks.

use super::WriteError;
use crate::input::describe;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How much of a file on disk is kept to show in a diff; beyond it the file is compared and
/// hashed as it streams by, and its diff is left out.
const DIFF_LIMIT: u64 = 1024 * 1024;

/// The output directory as named and as it is on disk.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// The directory as the user named it, for messages.
    pub shown: PathBuf,
    /// The directory itself: symbolic links resolved, the parent made absolute.
    pub real: PathBuf,
    /// The directory that holds it, where staging happens and the lock is taken.
    pub parent: PathBuf,
    /// Its name in `parent`.
    pub name: String,
    /// It exists (as a directory).
    pub exists: bool,
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_owned(),
        source,
    }
}

fn unexpected(path: impl Into<PathBuf>, problem: impl Into<String>) -> WriteError {
    WriteError::Unexpected {
        path: path.into(),
        problem: problem.into(),
    }
}

/// What a path is, for messages; a symbolic link names its target.
fn what_is(path: &Path, file_type: std::fs::FileType) -> String {
    if file_type.is_symlink() {
        match std::fs::read_link(path) {
            Ok(to) => format!("a symbolic link (to {})", to.display()),
            Err(_) => "a symbolic link".to_owned(),
        }
    } else {
        describe(file_type).to_owned()
    }
}

impl Target {
    /// Resolves `dir`. With `create`, missing parent directories are created (for writing);
    /// without, a missing directory is simply absent (for comparing).
    pub fn resolve(dir: &Path, create: bool) -> Result<Target, WriteError> {
        let shown = dir.to_owned();
        match std::fs::symlink_metadata(dir) {
            Ok(meta) if meta.is_dir() || meta.file_type().is_symlink() => {
                if meta.file_type().is_symlink() {
                    let to = std::fs::read_link(dir)
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    match std::fs::metadata(dir) {
                        Ok(target) if target.is_dir() => {}
                        Ok(target) => {
                            return Err(unexpected(
                                dir,
                                format!(
                                    "is a symbolic link to {to}, which is {}, not a directory; point -o at a directory",
                                    describe(target.file_type())
                                ),
                            ));
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                            return Err(unexpected(
                                dir,
                                format!(
                                    "is a symbolic link to {to}, which does not exist; create that directory, or point -o elsewhere"
                                ),
                            ));
                        }
                        Err(e) => return Err(io_error(dir)(e)),
                    }
                }
                let real = std::fs::canonicalize(dir).map_err(io_error(dir))?;
                let (Some(parent), Some(name)) = (real.parent(), real.file_name()) else {
                    return Err(unexpected(
                        dir,
                        "is the root directory; cephspray renders into a directory of its own",
                    ));
                };
                Ok(Target {
                    parent: parent.to_owned(),
                    name: name.to_string_lossy().into_owned(),
                    real: real.clone(),
                    exists: true,
                    shown,
                })
            }
            Ok(meta) => Err(unexpected(
                dir,
                format!(
                    "is {}, not a directory; cephspray writes the inventory as a directory there: move it away, or choose another -o",
                    describe(meta.file_type())
                ),
            )),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                let Some(name) = dir.file_name() else {
                    return Err(unexpected(dir, "does not name a directory"));
                };
                let parent = match dir.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
                    _ => PathBuf::from("."),
                };
                if create {
                    create_parents(&parent)?;
                }
                let real_parent = match std::fs::canonicalize(&parent) {
                    Ok(p) => p,
                    // Nothing there to compare with (writing reports what is in the way).
                    Err(e)
                        if !create
                            && matches!(
                                e.kind(),
                                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                            ) =>
                    {
                        parent
                    }
                    Err(e) => return Err(io_error(&parent)(e)),
                };
                let real = real_parent.join(name);
                // `missing/../inv` names `inv` once `missing` exists.
                if create && std::fs::symlink_metadata(&real).is_ok() {
                    let mut target = Target::resolve(&real, create)?;
                    target.shown = shown;
                    return Ok(target);
                }
                Ok(Target {
                    real,
                    parent: real_parent,
                    name: name.to_string_lossy().into_owned(),
                    exists: false,
                    shown,
                })
            }
            Err(e) => Err(io_error(dir)(e)),
        }
    }

    /// A path inside the directory as the user would write it, for messages.
    pub fn shown(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.shown.join(relative)
    }
}

/// `create_dir_all`, with an error that names the ancestor in the way.
fn create_parents(parent: &Path) -> Result<(), WriteError> {
    let Err(error) = std::fs::create_dir_all(parent) else {
        return Ok(());
    };
    for ancestor in parent.ancestors() {
        if let Ok(meta) = std::fs::metadata(ancestor) {
            if !meta.is_dir() {
                return Err(unexpected(
                    ancestor,
                    format!(
                        "is {}, not a directory; the inventory's parent directory cannot be created under it",
                        describe(meta.file_type())
                    ),
                ));
            }
            break;
        }
    }
    Err(io_error(parent)(error))
}

/// A generated file as found on disk.
#[derive(Debug)]
pub(crate) struct Found {
    /// Its first bytes (all of it up to `DIFF_LIMIT`), for diffs.
    pub head: Vec<u8>,
    /// `head` is all of it.
    pub complete: bool,
    /// Its size in bytes, to refuse reading one too large.
    pub len: u64,
    /// SHA-256 of all of it.
    pub hash: String,
    /// It is byte for byte what was compared against.
    pub same: bool,
    /// Its permission bits.
    pub mode: u32,
}

/// What is at a path cephspray generates or generated.
#[derive(Debug)]
pub(crate) enum OnDisk {
    /// No file at the path.
    Absent,
    /// A regular file.
    File(Found),
    /// Something cephspray never writes (only reported for paths it no longer generates: they
    /// are not its own, and are left alone).
    Foreign,
}

/// Looks at the paths of one directory, remembering which directories above them were seen.
pub(crate) struct Inspector<'a> {
    target: &'a Target,
    /// Relative directory → it is a real directory (true) or absent (false).
    dirs: HashMap<PathBuf, bool>,
}

impl<'a> Inspector<'a> {
    pub fn new(target: &'a Target) -> Self {
        Inspector {
            target,
            dirs: HashMap::new(),
        }
    }

    /// What is at `relative`. `new` is what cephspray would write there (None when it no
    /// longer generates the path): then anything but a regular file is an error naming it;
    /// without, it is `Foreign`.
    pub fn inspect(&mut self, relative: &str, new: Option<&[u8]>) -> Result<OnDisk, WriteError> {
        match self.locate(relative, new.is_some())? {
            Located::Absent => Ok(OnDisk::Absent),
            Located::Foreign => Ok(OnDisk::Foreign),
            Located::Regular(path) => read_regular(
                &path,
                &self.target.shown(relative),
                new.unwrap_or_default(),
                new.is_some(),
            )
            .map(OnDisk::File),
        }
    }

    /// Finds `relative` without following anything below the directory. For a `generated`
    /// path, anything but a regular file, or anything but a directory above it, is an error.
    pub fn locate(&mut self, relative: &str, generated: bool) -> Result<Located, WriteError> {
        if !self.target.exists {
            return Ok(Located::Absent);
        }
        // Every directory above it, from the top.
        let mut above: Vec<&Path> = Path::new(relative)
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
            .collect();
        above.reverse();
        for dir in above {
            let present = match self.dirs.get(dir) {
                Some(&present) => present,
                None => {
                    let real = self.target.real.join(dir);
                    let present = match std::fs::symlink_metadata(&real) {
                        Ok(meta) if meta.is_dir() => true,
                        Ok(_) if !generated => return Ok(Located::Foreign),
                        Ok(meta) => {
                            return Err(unexpected(
                                self.target.shown(dir),
                                format!(
                                    "is {}, where cephspray needs a directory (it writes {relative} in it); move it away",
                                    what_is(&real, meta.file_type())
                                ),
                            ));
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                        Err(e) => return Err(io_error(&self.target.shown(dir))(e)),
                    };
                    self.dirs.insert(dir.to_owned(), present);
                    present
                }
            };
            if !present {
                return Ok(Located::Absent);
            }
        }
        let path = self.target.real.join(relative);
        let shown = self.target.shown(relative);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => Ok(Located::Regular(path)),
            Ok(_) if !generated => Ok(Located::Foreign),
            Ok(meta) => Err(unexpected(
                &shown,
                format!(
                    "is {}, where cephspray writes a regular file; move it away",
                    what_is(&path, meta.file_type())
                ),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Located::Absent),
            Err(e) => Err(io_error(&shown)(e)),
        }
    }
}

/// Where a path is.
pub(crate) enum Located {
    /// No file at the path.
    Absent,
    /// A regular file, at this path.
    Regular(PathBuf),
    /// Something else, at a path cephspray no longer generates.
    Foreign,
}

/// Opens a regular file without following a link or blocking, and checks that what was
/// opened is still a regular file.
pub(crate) fn open_regular(path: &Path, shown: &Path) -> Result<std::fs::File, WriteError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        if e.raw_os_error() == Some(libc::ELOOP) {
            unexpected(
                shown,
                "is a symbolic link, where cephspray writes a regular file; move it away",
            )
        } else {
            io_error(shown)(e)
        }
    })?;
    let meta = file.metadata().map_err(io_error(shown))?;
    if !meta.is_file() {
        return Err(unexpected(
            shown,
            format!(
                "is {}, where cephspray writes a regular file; move it away",
                describe(meta.file_type())
            ),
        ));
    }
    Ok(file)
}

fn read_regular(
    path: &Path,
    shown: &Path,
    compare_with: &[u8],
    compare: bool,
) -> Result<Found, WriteError> {
    let mut file = open_regular(path, shown)?;
    let meta = file.metadata().map_err(io_error(shown))?;
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o7777
    };
    #[cfg(not(unix))]
    let mode = 0o644;
    let mut hasher = Sha256::new();
    let mut head = Vec::new();
    let mut len: u64 = 0;
    let mut same = compare;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(shown)(e)),
        };
        let bytes = &chunk[..n];
        hasher.update(bytes);
        if same {
            let at = len as usize;
            same = compare_with.get(at..at + n) == Some(bytes);
        }
        let room = DIFF_LIMIT.saturating_sub(head.len() as u64) as usize;
        head.extend_from_slice(&bytes[..n.min(room)]);
        len += n as u64;
    }
    Ok(Found {
        complete: head.len() as u64 == len,
        same: same && len == compare_with.len() as u64,
        hash: hex::encode(hasher.finalize()),
        head,
        len,
        mode,
    })
}

/// A whole file inside the directory (the manifest, the vault), at most `limit` bytes; None
/// when absent. Anything but a regular file there is an error naming it.
pub(crate) fn read_whole(
    target: &Target,
    relative: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, WriteError> {
    let shown = target.shown(relative);
    let Located::Regular(path) = Inspector::new(target).locate(relative, true)? else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    open_regular(&path, &shown)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error(&shown))?;
    if bytes.len() as u64 > limit {
        return Err(unexpected(
            shown,
            format!("is larger than cephspray ever writes there ({limit} bytes); move it away"),
        ));
    }
    Ok(Some(bytes))
}

/// The largest vault or manifest read back: far more than any inventory holds.
pub(crate) const MAX_READ_BACK: u64 = 64 * 1024 * 1024;

/// A file of the inventory in `dir` as text (the vault a render keeps secrets from), read the
/// careful way: None when absent; a link, a FIFO, a device or a directory there is an error.
pub fn read_generated(dir: &Path, relative: &str) -> Result<Option<String>, WriteError> {
    let target = Target::resolve(dir, false)?;
    let Some(bytes) = read_whole(&target, relative, MAX_READ_BACK)? else {
        return Ok(None);
    };
    String::from_utf8(bytes).map(Some).map_err(|_| {
        unexpected(
            target.shown(relative),
            "is not UTF-8 text, so not a file cephspray wrote; move it away",
        )
    })
}
