//! Secrets: where each comes from, how new ones are made, and the Ansible vault they are kept in.

pub mod generate;
mod password;
mod resolve;
pub mod vault;

pub use password::{PasswordError, read_password_file};

pub use crate::spec::{SecretKind, SecretNeed};
pub use resolve::{SecretError, SecretValues, resolve};
