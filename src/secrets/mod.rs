//! Secrets: where each comes from, how new ones are made, and the Ansible vault they are kept in.

mod file;
pub mod generate;
mod password;
mod resolve;
pub mod vault;

pub use password::{PasswordError, read_password_file};

pub use file::vault_file;

pub use resolve::{SecretError, SecretKind, SecretNeed, SecretValues, resolve};
