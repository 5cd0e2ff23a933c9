//! The one error type, and the exit code each kind of failure maps to.

use crate::check::Diagnostic;

/// Everything that can stop cephspray.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec could not be read or parsed.
    #[error(transparent)]
    Spec(#[from] crate::spec::SpecError),
    /// The spec parsed but would not make a working cluster.
    #[error("the spec has {} error(s)", .0.iter().filter(|d| d.severity == crate::check::Severity::Error).count())]
    Check(Vec<Diagnostic>),
    /// The cluster has secrets but no vault password was given.
    #[error("the cluster has secrets ({}): give the vault password with --vault-password-file or ANSIBLE_VAULT_PASSWORD_FILE", .secrets.join(", "))]
    VaultPasswordMissing {
        /// The secrets needed.
        secrets: Vec<String>,
    },
    /// The existing vault could not be opened.
    #[error("{path}: {error}; give the password it was made with")]
    Vault {
        /// The vault file.
        path: &'static str,
        /// Why it could not be opened (wrong password, not a vault, damaged).
        error: crate::secrets::vault::VaultError,
    },
    /// The vault password could not be read.
    #[error(transparent)]
    Password(#[from] crate::secrets::PasswordError),
    /// A secret has no value.
    #[error(transparent)]
    Secret(#[from] crate::secrets::SecretError),
    /// A template failed: a bug in cephspray, never the spec's fault.
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    /// The inventory on disk differs from what the spec renders (`render --check`).
    #[error("{0} is out of date with the spec; run `cephspray render` to update it")]
    Drift(String),
    /// Generated files were edited by hand (render stops unless --force).
    #[error("{0}")]
    HandEdits(String),
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
    /// Reading or writing the output failed.
    #[error("{path}: {source}")]
    Io {
        /// What was being read or written.
        path: String,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// How a command ends, as its exit code: the one place each code is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done, nothing needs attention.
    Ok = 0,
    /// 1: the spec has errors, the inventory drifted or was edited by hand, or `pg` found what
    /// Ceph would refuse.
    Attention = 1,
    /// 2: the command line, a file or the system failed.
    Failure = 2,
}

/// The exit codes as the help, the README and docs/ci.md give them (a test keeps those equal).
pub const EXIT_CODES: &str = "Exit codes: 0 ok; 1 the spec has errors, the inventory drifted or \
    was edited by hand, or pg found what Ceph would refuse; 2 usage, file or I/O error.";

impl Exit {
    /// Attention when `attention` holds, else Ok.
    pub fn attention_if(attention: bool) -> Exit {
        if attention { Exit::Attention } else { Exit::Ok }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}

impl Error {
    /// The exit this failure ends the command with.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Check(_) | Error::Drift(_) | Error::HandEdits(_) => Exit::Attention,
            Error::Spec(crate::spec::SpecError::Syntax { .. }) => Exit::Attention,
            Error::Spec(_)
            | Error::Render(_)
            | Error::Io { .. }
            | Error::VaultPasswordMissing { .. }
            | Error::Vault { .. }
            | Error::Secret(_)
            | Error::Password(_)
            | Error::Usage(_) => Exit::Failure,
        }
    }
}
