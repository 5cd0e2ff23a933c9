//! The rendered inventory as an in-memory tree of files: what `render` hands to `output`.

use std::collections::BTreeMap;

/// Relative path → file contents, in a stable order. Private files (holding secrets, even
/// encrypted) are written with mode 0600 and never shown in diffs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tree {
    files: BTreeMap<String, String>,
    private: std::collections::BTreeSet<String>,
    uncompared: std::collections::BTreeSet<String>,
}

/// A path that is not a plain relative path inside the output directory: a bug, since node
/// names are checked to be RFC 1123 names before anything is rendered.
fn assert_contained(path: &str) {
    let safe = !path.is_empty()
        && !path.starts_with('/')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    assert!(
        safe,
        "refusing to write outside the output directory: {path:?}"
    );
}

impl Tree {
    /// Adds or replaces a file. Layout is normalised here, once: no trailing blanks on a line
    /// (a YAML value that needs them is always quoted), at most one empty line in a row, and one
    /// final newline.
    pub fn insert(&mut self, path: impl Into<String>, contents: String) {
        let path = path.into();
        assert_contained(&path);
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
        self.files.insert(path, tidy);
    }

    /// Adds a file holding secrets, exactly as given (an encrypted vault keeps its bytes).
    pub fn insert_private(&mut self, path: impl Into<String>, contents: String) {
        let path = path.into();
        assert_contained(&path);
        self.private.insert(path.clone());
        self.files.insert(path, contents);
    }

    /// Marks a generated file this tree could not produce (the vault, without its password):
    /// comparisons leave it alone, and such a tree cannot be written.
    pub fn leave_uncompared(&mut self, path: impl Into<String>) {
        self.uncompared.insert(path.into());
    }

    /// Generated files this tree does not hold.
    pub fn uncompared(&self) -> impl Iterator<Item = &str> {
        self.uncompared.iter().map(String::as_str)
    }

    /// True for files written with mode 0600.
    pub fn is_private(&self, path: &str) -> bool {
        self.private.contains(path)
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

    /// The whole tree as one text (for snapshots): each file under a `=== path` line, in path
    /// order, ending with a line break; a private file (the vault) as a one-line placeholder,
    /// since it is encrypted afresh on every render.
    pub fn to_listing(&self) -> String {
        let mut out = String::with_capacity(self.size() + self.files.len() * 32);
        for (path, contents) in &self.files {
            out.push_str("=== ");
            out.push_str(path);
            out.push('\n');
            if self.is_private(path) {
                out.push_str("(encrypted: its contents differ on every fresh render)\n");
                continue;
            }
            out.push_str(contents);
            if !contents.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "outside the output directory")]
    fn parent_components_are_refused() {
        Tree::default().insert("host_vars/../../etc/passwd", String::new());
    }

    #[test]
    #[should_panic(expected = "outside the output directory")]
    fn absolute_paths_are_refused() {
        Tree::default().insert_private("/etc/shadow", String::new());
    }
}
