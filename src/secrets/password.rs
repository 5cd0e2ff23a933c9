//! Reading the vault password the way Ansible does (`ansible/parsing/vault/__init__.py`), so one
//! file works for both: a plain file has the whitespace around the password stripped; an
//! executable file is run and its output has line breaks around it stripped (spaces kept); a
//! script named `*-client` is a vault password client and is asked with `--vault-id default`.

use std::io::Read;
use zeroize::Zeroizing;

/// The most a password file or script may give: far more than any password.
const MAX_PASSWORD_BYTES: u64 = 1024 * 1024;

/// Why the password could not be read.
#[derive(Debug, thiserror::Error)]
#[error("vault password file {path}: {problem}")]
pub struct PasswordError {
    path: String,
    problem: String,
}

/// Python's `bytes.strip()` without arguments: ASCII whitespace, vertical tab included.
fn python_whitespace(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn strip(bytes: &[u8], drop: impl Fn(&u8) -> bool) -> &[u8] {
    let start = bytes.iter().position(|b| !drop(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !drop(b))
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Reads the password in `path` as Ansible does: a plain file (or a pipe, `<(pass show vault)`)
/// stripped of surrounding whitespace; an executable file run, its output stripped of
/// surrounding line breaks.
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
    let password = if executable {
        let out = run_script(path).map_err(error)?;
        Zeroizing::new(strip(&out, |b| matches!(b, b'\r' | b'\n')).to_vec())
    } else {
        let raw = Zeroizing::new(
            crate::input::read_limited(path, MAX_PASSWORD_BYTES, true)
                .map_err(|e| error(e.to_string()))?,
        );
        if raw.starts_with(b"$ANSIBLE_VAULT;") {
            return Err(error(
                "it is itself encrypted with ansible-vault, which cephspray does not open; \
                 give a file holding the password, or a script that prints it"
                    .to_owned(),
            ));
        }
        Zeroizing::new(strip(&raw, python_whitespace).to_vec())
    };
    if password.is_empty() {
        return Err(error(if executable {
            "the script printed no password".to_owned()
        } else {
            "it is empty".to_owned()
        }));
    }
    Ok(password)
}

/// Runs a vault password script as Ansible does (stdin and stderr left to the terminal, so it
/// may prompt) and returns what it printed, at most `MAX_PASSWORD_BYTES`.
fn run_script(path: &std::path::Path) -> Result<Zeroizing<Vec<u8>>, String> {
    let client = path
        .file_stem()
        .is_some_and(|stem| stem.to_string_lossy().ends_with("-client"));
    let mut command = std::process::Command::new(path);
    if client {
        command.args(["--vault-id", "default"]);
    }
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot run it: {e}; if it is not a script, remove its executable bit")
        })?;
    let mut out = Zeroizing::new(Vec::new());
    let read = child
        .stdout
        .take()
        .expect("stdout is piped")
        .take(MAX_PASSWORD_BYTES + 1)
        .read_to_end(&mut out);
    if read.is_err() || out.len() as u64 > MAX_PASSWORD_BYTES {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!(
            "the script printed more than {MAX_PASSWORD_BYTES} bytes"
        ));
    }
    let status = child.wait().map_err(|e| format!("cannot run it: {e}"))?;
    match status.code() {
        Some(0) => Ok(out),
        Some(2) if client => Err("the client script found no secret for vault-id default".into()),
        _ => Err(format!("the script failed ({status})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_files_and_scripts_as_ansible_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("pass");
        std::fs::write(&plain, " \ts3cret pass \x0b\r\n\n").unwrap();
        assert_eq!(
            read_password_file(&plain).unwrap().as_slice(),
            b"s3cret pass",
            "bytes.strip(): whitespace around it goes, inside it stays"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let script = dir.path().join("client.sh");
            std::fs::write(&script, "#!/bin/sh\nprintf '\\n from-script \\r\\n'\n").unwrap();
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
            assert_eq!(
                read_password_file(&script).unwrap().as_slice(),
                b" from-script ",
                "stdout.strip(b'\\r\\n'): line breaks go, spaces stay"
            );
            let client = dir.path().join("vault-client.sh");
            std::fs::write(&client, "#!/bin/sh\necho \"$1=$2\"\n").unwrap();
            std::fs::set_permissions(&client, std::fs::Permissions::from_mode(0o700)).unwrap();
            assert_eq!(
                read_password_file(&client).unwrap().as_slice(),
                b"--vault-id=default"
            );
            let endless = dir.path().join("endless");
            std::fs::write(&endless, "#!/bin/sh\nexec cat /dev/zero\n").unwrap();
            std::fs::set_permissions(&endless, std::fs::Permissions::from_mode(0o700)).unwrap();
            assert!(
                read_password_file(&endless)
                    .unwrap_err()
                    .to_string()
                    .contains("more than 1048576 bytes")
            );
        }
        std::fs::write(&plain, "\n \n").unwrap();
        assert!(
            read_password_file(&plain)
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
        #[cfg(target_os = "linux")]
        assert!(
            read_password_file(std::path::Path::new("/dev/zero"))
                .unwrap_err()
                .to_string()
                .contains("/dev/zero: it is a character device, not a regular file")
        );
    }
}
