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
        secrets: Vec<&'static str>,
    },
    /// The existing vault could not be opened.
    #[error("{path}: {error}; give the password it was made with")]
    Vault {
        /// The vault file.
        path: &'static str,
        /// Why.
        error: crate::secrets::vault::VaultError,
    },
    /// The vault password could not be read.
    #[error(transparent)]
    Password(#[from] crate::secrets::PasswordError),
    /// A secret has no value.
    #[error(transparent)]
    Secret(#[from] crate::secrets::SecretError),
    /// Rendering failed.
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

impl Error {
    /// 1: the spec has errors, or the inventory drifted; 2: usage, I/O or an unreadable spec.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Check(_) | Error::Drift(_) | Error::HandEdits(_) => 1,
            Error::Spec(crate::spec::SpecError::Syntax { .. }) => 1,
            Error::Spec(_)
            | Error::Render(_)
            | Error::Io { .. }
            | Error::VaultPasswordMissing { .. }
            | Error::Vault { .. }
            | Error::Secret(_)
            | Error::Password(_)
            | Error::Usage(_) => 2,
        }
    }
}
