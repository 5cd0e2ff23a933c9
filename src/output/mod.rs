//! Writing the rendered inventory (a [`Tree`], which `render` makes) atomically; comparing it
//! with what is on disk.

mod changes;
mod disk;
mod manifest;
pub mod write;

pub use changes::{Change, Changes, Counts, FileChange, compare};
pub use disk::read_generated;
pub use manifest::{MANIFEST, Manifest, hash as manifest_hash};
pub use write::{STAGING_MARKER, WriteError, write};

/// The mode of private files (the vault): readable by their owner only.
pub const PRIVATE_MODE: u32 = 0o600;

pub use crate::render::Tree;
