//! Reading a spec file: bounded, with errors that point at the line and column.

use super::Spec;
use std::path::{Path, PathBuf};

/// The largest spec file cephspray reads. A 1,000-node spec with 12 disks each is about 1 MB.
pub const MAX_SPEC_BYTES: u64 = 16 * 1024 * 1024;

/// Why a spec could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read at all.
    #[error("{path}: cannot read the spec: {source}")]
    Read {
        /// The spec file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is too large to be a spec.
    #[error("{path}: {size} bytes is too large for a cluster spec (limit {MAX_SPEC_BYTES})")]
    TooLarge {
        /// The spec file.
        path: PathBuf,
        /// Its size.
        size: u64,
    },
    /// The YAML is malformed or does not fit the spec's types.
    #[error("{origin}:{line}:{column}: {message}\n{snippet}")]
    Syntax {
        /// The spec file as named by the user.
        origin: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// What is wrong.
        message: String,
        /// The offending lines with a caret.
        snippet: String,
    },
}

/// Reads and parses a spec file.
pub fn load_file(path: &Path) -> Result<(Spec, String), SpecError> {
    // Bounded, and never from a device or a pipe (/dev/zero or a FIFO would never end).
    let bytes = crate::input::read_spec(path, MAX_SPEC_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|e| SpecError::Syntax {
        origin: path.display().to_string(),
        line: 0,
        column: 0,
        message: format!(
            "the spec is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ),
        snippet: String::new(),
    })?;
    let spec = parse(&path.display().to_string(), &text)?;
    Ok((spec, text))
}

/// Parses spec text; `origin` names it in errors.
pub fn parse(origin: &str, text: &str) -> Result<Spec, SpecError> {
    serde_saphyr::from_str_with_options::<Spec>(text, options()).map_err(|error| {
        let (line, column) = error
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((0, 0));
        let rendered = error.to_string();
        // serde-saphyr renders "error: line L column C: message" then a snippet; keep the
        // message and the snippet, and let our own prefix carry the location.
        let mut lines = rendered.lines();
        let first = lines.next().unwrap_or_default();
        let message = first
            .trim_start_matches("error: ")
            .split_once(": ")
            .filter(|(head, _)| head.starts_with("line "))
            .map(|(_, message)| message)
            .unwrap_or(first)
            .to_owned();
        let snippet = lines
            .map(|l| l.replace("<input>", origin))
            .collect::<Vec<_>>()
            .join("\n");
        SpecError::Syntax {
            origin: origin.to_owned(),
            line,
            column,
            message,
            snippet,
        }
    })
}

fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    let mut budget = serde_saphyr::Budget::default();
    // A spec is small and shallow; these bounds stop alias bombs and deep nesting early.
    budget.max_depth = 64;
    budget.max_aliases = 1_000;
    budget.max_nodes = 2_000_000;
    budget.max_total_scalar_bytes = MAX_SPEC_BYTES as usize;
    options.budget = Some(budget);
    // `mode: 0644` must not become a number: kept as the string "0644", which is how Ansible
    // wants file modes written anyway.
    options.leading_zero_numbers_as_strings = true;
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(value: &str) -> serde_json::Value {
        let text = format!(
            "cluster: {{ name: x }}\nnetwork: {{ private: 10.0.0.0/24 }}\nnodes: []\nextra_vars: {{ all: {{ v: {value} }} }}\n"
        );
        parse("t", &text).unwrap().extra_vars[&crate::spec::VarGroup::All]["v"].clone()
    }

    #[test]
    fn how_bare_values_in_extra_vars_are_read() {
        assert_eq!(
            extra("0644"),
            serde_json::json!("0644"),
            "a file mode stays a string"
        );
        assert_eq!(
            extra("yes"),
            serde_json::json!(true),
            "YAML 1.1 booleans, as Ansible reads them"
        );
        assert_eq!(extra("2018-12-30"), serde_json::json!("2018-12-30"));
        assert_eq!(extra("\"on\""), serde_json::json!("on"), "quoted: a string");
        assert_eq!(extra("42"), serde_json::json!(42));
    }
}
