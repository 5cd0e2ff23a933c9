//! Reading the vault password the way Ansible does: from a file, or from the output of an
//! executable file (a vault password client script).

use zeroize::Zeroizing;

/// Why the password could not be read.
#[derive(Debug, thiserror::Error)]
#[error("vault password file {path}: {problem}")]
pub struct PasswordError {
    path: String,
    problem: String,
}

/// Reads the password in `path`, trailing whitespace dropped; runs it when it is executable.
pub fn read_password_file(path: &std::path::Path) -> Result<Zeroizing<Vec<u8>>, PasswordError> {
    let error = |problem: String| PasswordError {
        path: path.display().to_string(),
        problem,
    };
    let metadata = std::fs::metadata(path).map_err(|e| error(e.to_string()))?;
    #[cfg(unix)]
    let executable = {
        use std::os::unix::fs::PermissionsExt;
        metadata.is_file() && metadata.permissions().mode() & 0o111 != 0
    };
    #[cfg(not(unix))]
    let executable = false;
    let raw = Zeroizing::new(if executable {
        let out = std::process::Command::new(path)
            .output()
            .map_err(|e| error(format!("cannot run it: {e}")))?;
        if !out.status.success() {
            return Err(error(format!("the script failed ({})", out.status)));
        }
        out.stdout
    } else {
        std::fs::read(path).map_err(|e| error(e.to_string()))?
    });
    let end = raw
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    if end == 0 {
        return Err(error("it is empty".to_owned()));
    }
    Ok(Zeroizing::new(raw[..end].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_files_and_scripts() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("pass");
        std::fs::write(&plain, "s3cret \n").unwrap();
        assert_eq!(read_password_file(&plain).unwrap().as_slice(), b"s3cret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let script = dir.path().join("client");
            std::fs::write(&script, "#!/bin/sh\necho from-script\n").unwrap();
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
            assert_eq!(
                read_password_file(&script).unwrap().as_slice(),
                b"from-script"
            );
        }
        std::fs::write(&plain, "\n").unwrap();
        assert!(
            read_password_file(&plain)
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
    }
}
