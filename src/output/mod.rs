//! The rendered inventory as an in-memory tree of files; writing it atomically; comparing it with
//! what is on disk.

pub mod write;

pub use write::write_atomically;

use std::collections::BTreeMap;
use std::path::Path;

/// Relative path → file contents, in a stable order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tree {
    files: BTreeMap<String, String>,
}

impl Tree {
    /// Adds or replaces a file. Layout is normalised here, once: no trailing blanks on a line
    /// (a YAML value that needs them is always quoted), at most one empty line in a row, and one
    /// final newline.
    pub fn insert(&mut self, path: impl Into<String>, contents: String) {
        let mut tidy = String::with_capacity(contents.len());
        let mut blank_run = 0;
        for line in contents.lines() {
            let line = line.trim_end();
            blank_run = if line.is_empty() { blank_run + 1 } else { 0 };
            if blank_run < 2 && !(line.is_empty() && tidy.is_empty()) {
                tidy.push_str(line);
                tidy.push('\n');
            }
        }
        while tidy.ends_with("\n\n") {
            tidy.pop();
        }
        self.files.insert(path.into(), tidy);
    }

    /// Files in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, c)| (p.as_str(), c.as_str()))
    }

    /// One file's contents.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Total bytes of all files.
    pub fn size(&self) -> usize {
        self.files.values().map(String::len).sum()
    }

    /// The whole tree as one text: each file under a `--- path` line (for snapshots).
    pub fn to_listing(&self) -> String {
        let mut out = String::with_capacity(self.size() + self.files.len() * 32);
        for (path, contents) in &self.files {
            out.push_str("=== ");
            out.push_str(path);
            out.push('\n');
            out.push_str(contents);
            if !contents.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }

    /// A unified diff of what writing this tree into `dir` would change (files cephspray
    /// generates only; other files in `dir` are left alone and not shown). Empty when in sync.
    pub fn diff_against(&self, dir: &Path) -> std::io::Result<String> {
        let mut out = String::new();
        for (path, new) in &self.files {
            let old = match std::fs::read_to_string(dir.join(path)) {
                Ok(text) => Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(e),
            };
            if old.as_deref() == Some(new.as_str()) {
                continue;
            }
            let old_text = old.as_deref().unwrap_or("");
            let diff = similar::TextDiff::from_lines(old_text, new.as_str());
            let old_name = if old.is_some() {
                format!("a/{path}")
            } else {
                "/dev/null".to_owned()
            };
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&old_name, &format!("b/{path}"))
                    .to_string(),
            );
        }
        Ok(out)
    }
}
