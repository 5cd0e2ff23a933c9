//! Reading the files a user names (the spec, the vault password file, `file:` secret sources):
//! bounded, never blocking on a pipe that has no writer, and refusing directories, devices and
//! sockets with a message that says what is there.

use std::io::Read;
use std::path::Path;

/// Why a named file was not read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The operating system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Something other than a file is at the path.
    #[error("it is {0}, not a regular file")]
    NotAFile(&'static str),
    /// The file is larger than the caller reads.
    #[error("it is larger than {limit} bytes{}", .size.map(|s| format!(" ({s} bytes)")).unwrap_or_default())]
    TooLarge {
        /// Its size, when known before reading (a regular file).
        size: Option<u64>,
        /// The most that is read.
        limit: u64,
    },
}

impl InputError {
    /// The error as an `io::Error`, for callers whose errors carry one.
    pub fn into_io(self) -> std::io::Error {
        match self {
            InputError::Io(e) => e,
            other => std::io::Error::new(std::io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

/// What a file type is, for messages: "a directory", "a named pipe (FIFO)", …
pub fn describe(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_dir() {
        "a directory"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

#[cfg(unix)]
fn is_pipe(file_type: std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    file_type.is_fifo()
}

#[cfg(not(unix))]
fn is_pipe(_: std::fs::FileType) -> bool {
    false
}

/// Reads the file at `path` (symbolic links followed): a regular file of at most `limit` bytes,
/// or, when `pipes`, what a pipe delivers up to `limit` bytes (`<(command)` in a shell). A named
/// pipe nobody writes to reads as empty instead of blocking; a device, a directory or a socket is
/// refused without being opened for reading.
pub fn read_limited(path: &Path, limit: u64, pipes: bool) -> Result<Vec<u8>, InputError> {
    let accept = |file_type: std::fs::FileType| {
        if file_type.is_file() || (pipes && is_pipe(file_type)) {
            Ok(())
        } else {
            Err(InputError::NotAFile(describe(file_type)))
        }
    };
    accept(std::fs::metadata(path)?.file_type())?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading blocks until a writer comes; non-blocking, it does not.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    // The path may have changed between the two looks: what was opened counts.
    accept(metadata.file_type())?;
    if metadata.is_file() && metadata.len() > limit {
        return Err(InputError::TooLarge {
            size: Some(metadata.len()),
            limit,
        });
    }
    #[cfg(unix)]
    if !metadata.is_file() {
        // A pipe: wait for what its writer sends (reads end at once when there is none).
        let flags = rustix::fs::fcntl_getfl(&file).map_err(std::io::Error::from)?;
        rustix::fs::fcntl_setfl(&file, flags - rustix::fs::OFlags::NONBLOCK)
            .map_err(std::io::Error::from)?;
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

/// The bytes of a spec file: a regular file of at most `limit` bytes.
pub fn read_spec(path: &Path, limit: u64) -> Result<Vec<u8>, crate::spec::SpecError> {
    use crate::spec::SpecError;
    let read_error = |source| SpecError::Read {
        path: path.to_owned(),
        source,
    };
    match read_limited(path, limit, false) {
        Ok(bytes) => Ok(bytes),
        Err(InputError::TooLarge { size, .. }) => Err(SpecError::TooLarge {
            path: path.to_owned(),
            size: size.unwrap_or(limit + 1),
        }),
        Err(InputError::Io(e)) => Err(read_error(e)),
        Err(other) => Err(read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{other}; give the path of a YAML file"),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_pipes_and_devices() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read_limited(&file, 5, false).unwrap(), b"12345");
        assert!(matches!(
            read_limited(&file, 4, false),
            Err(InputError::TooLarge { size: Some(5), .. })
        ));
        assert!(matches!(
            read_limited(dir.path(), 4, false),
            Err(InputError::NotAFile("a directory"))
        ));
        #[cfg(target_os = "linux")]
        {
            let error = read_limited(Path::new("/dev/zero"), 1 << 20, true).unwrap_err();
            assert_eq!(
                error.to_string(),
                "it is a character device, not a regular file"
            );
            let fifo = dir.path().join("fifo");
            rustix::fs::mknodat(
                rustix::fs::CWD,
                &fifo,
                rustix::fs::FileType::Fifo,
                rustix::fs::Mode::RWXU,
                0,
            )
            .unwrap();
            assert!(matches!(
                read_limited(&fifo, 10, false),
                Err(InputError::NotAFile("a named pipe (FIFO)"))
            ));
            // Nobody writes: empty at once, not a hang.
            assert_eq!(read_limited(&fifo, 10, true).unwrap(), b"");
        }
    }
}
