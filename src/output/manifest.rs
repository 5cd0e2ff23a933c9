//! `.cephspray-manifest`: the files cephspray generated in a directory and their SHA-256, so
//! that a later render updates and removes only its own files and notices hand edits. Ansible
//! skips dotfiles in inventory directories.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The manifest's file name.
pub const MANIFEST: &str = ".cephspray-manifest";

const HEADER: &str = "# cephspray manifest: the files cephspray generated here, with their SHA-256. It updates and\n\
                      # removes only these, and stops when one was edited by hand. Do not edit.\n";

/// SHA-256 of `bytes`, hex.
pub fn hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Path → hash.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Generated paths and the hash of what was written.
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    /// The manifest of a tree about to be written.
    pub fn of(tree: &super::Tree) -> Self {
        Manifest {
            files: tree
                .files()
                .map(|(path, contents)| (path.to_owned(), hash(contents.as_bytes())))
                .collect(),
        }
    }

    /// The text written to disk.
    pub fn to_text(&self) -> String {
        let mut text = String::from(HEADER);
        for (path, hash) in &self.files {
            text.push_str(hash);
            text.push_str("  ");
            text.push_str(path);
            text.push('\n');
        }
        text
    }

    /// Parses a manifest; the error names the line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut files = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (hash, path) = line
                .split_once("  ")
                .filter(|(h, p)| {
                    h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) && !p.is_empty()
                })
                .ok_or_else(|| format!("line {} is not `SHA256  PATH`", n + 1))?;
            files.insert(path.to_owned(), hash.to_owned());
        }
        Ok(Manifest { files })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let mut tree = super::super::Tree::default();
        tree.insert("hosts.yml", "all: {}\n".to_owned());
        let manifest = Manifest::of(&tree);
        assert_eq!(Manifest::parse(&manifest.to_text()).unwrap(), manifest);
        assert!(
            Manifest::parse("nonsense\n")
                .unwrap_err()
                .contains("line 1")
        );
    }
}
