//! Reading a spec file: bounded, UTF-8 only, with errors that say where (file, line and column,
//! and the spec path when there is one), what is wrong, and what to write.

use super::Spec;
use std::path::{Path, PathBuf};

/// The largest spec file cephspray reads. A 1,000-node spec with 12 disks each is about 1 MB.
pub const MAX_SPEC_BYTES: u64 = 16 * 1024 * 1024;

/// How deep values may nest; a spec nests five or six levels.
const MAX_DEPTH: usize = 64;

/// Why a spec could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read at all.
    #[error("{path}: cannot read the spec: {}", read_problem(.source))]
    Read {
        /// The spec file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is too large to be a spec.
    #[error(
        "{path}: {size} bytes is too large for a cluster spec (limit {MAX_SPEC_BYTES}; a 1,000-node spec is about 1 MB): is this the right file?"
    )]
    TooLarge {
        /// The spec file.
        path: PathBuf,
        /// Its size.
        size: u64,
    },
    /// The YAML is malformed, not UTF-8, or does not fit the spec's types.
    #[error("{}", syntax(.origin, *.line, *.column, .path.as_deref(), .message, .snippet))]
    Syntax {
        /// The spec file as named by the user.
        origin: String,
        /// 1-based line (0 when the error is about the whole file).
        line: usize,
        /// 1-based column (0 when the error is about the whole file).
        column: usize,
        /// The spec path the error is about (`nodes[0].address`), when known.
        path: Option<String>,
        /// What is wrong and what to write.
        message: String,
        /// The offending lines with a caret, headed by `--> file:line:column`.
        snippet: String,
    },
}

/// What the OS said, and what to do about it.
fn read_problem(error: &std::io::Error) -> String {
    let advice = match error.kind() {
        std::io::ErrorKind::NotFound => {
            "; check the path (`cephspray init` writes a starting spec)"
        }
        std::io::ErrorKind::PermissionDenied => "; make it readable by this user",
        _ if error.raw_os_error() == Some(21) => "; name the spec file in it",
        _ => "",
    };
    format!("{error}{advice}")
}

fn syntax(
    origin: &str,
    line: usize,
    column: usize,
    path: Option<&str>,
    message: &str,
    snippet: &str,
) -> String {
    let head = match (line, path) {
        (0, _) => format!("{origin}: {message}"),
        (_, Some(path)) => format!("{path}: {message}"),
        (_, None) => format!("{origin}:{line}:{column}: {message}"),
    };
    if snippet.is_empty() {
        head
    } else {
        format!("{head}\n{snippet}")
    }
}

/// Reads and parses a spec file. Returns the text as parsed (without a byte order mark), which
/// diagnostics' lines and columns refer to.
pub fn load_file(path: &Path) -> Result<(Spec, String), SpecError> {
    // Bounded, and never from a device or a pipe (/dev/zero or a FIFO would never end).
    let bytes = crate::input::read_spec(path, MAX_SPEC_BYTES)?;
    let origin = path.display().to_string();
    let text = decode(&origin, bytes)?;
    let spec = parse(&origin, &text)?;
    Ok((spec, text))
}

/// The file's bytes as UTF-8 text; other encodings are named so the user can convert.
fn decode(origin: &str, bytes: Vec<u8>) -> Result<String, SpecError> {
    let whole_file = |message: String| SpecError::Syntax {
        origin: origin.to_owned(),
        line: 0,
        column: 0,
        path: None,
        message,
        snippet: String::new(),
    };
    let encoding = match bytes.as_slice() {
        [0xFF, 0xFE, 0, 0, ..] => Some("UTF-32 (little-endian)"),
        [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32 (big-endian)"),
        [0xFF, 0xFE, ..] => Some("UTF-16 (little-endian)"),
        [0xFE, 0xFF, ..] => Some("UTF-16 (big-endian)"),
        [a, 0, ..] if *a != 0 => Some("UTF-16 (little-endian, without a byte order mark)"),
        [0, b, ..] if *b != 0 => Some("UTF-16 (big-endian, without a byte order mark)"),
        _ => None,
    };
    if let Some(encoding) = encoding {
        return Err(whole_file(format!(
            "the file is {encoding} text: save it as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`, or \
             the encoding menu of your editor)"
        )));
    }
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let bad = e.as_bytes()[valid.len()];
            let valid = std::str::from_utf8(valid).expect("valid up to here");
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let message = format!(
                "byte 0x{bad:02X} is not UTF-8: the spec must be UTF-8 text; save it as UTF-8 \
                 (it may be Latin-1 or Windows-1252)"
            );
            return Err(SpecError::Syntax {
                origin: origin.to_owned(),
                line,
                column,
                path: None,
                snippet: snippet(origin, &lossy, line, column, &message),
                message,
            });
        }
    };
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        let column = text[..at].rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let message = "a NUL character: a spec is UTF-8 text without NUL bytes; if it was saved \
                       as UTF-16 or UTF-32, save it as UTF-8"
            .to_owned();
        return Err(SpecError::Syntax {
            origin: origin.to_owned(),
            line,
            column,
            path: None,
            snippet: snippet(origin, &text.replace('\0', " "), line, column, &message),
            message,
        });
    }
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Parses spec text; `origin` names it in errors. Values with one meaning but several
/// spellings come back in their canonical spelling (see `canonical.rs`).
pub fn parse(origin: &str, text: &str) -> Result<Spec, SpecError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut spec =
        serde_saphyr::from_str_with_options::<Spec>(text, options()).map_err(|error| {
            let described = super::messages::describe(&error, text, MAX_DEPTH);
            let snippet = if described.line > 0 {
                snippet(
                    origin,
                    text,
                    described.line,
                    described.column,
                    &described.message,
                )
            } else {
                String::new()
            };
            SpecError::Syntax {
                origin: origin.to_owned(),
                line: described.line,
                column: described.column,
                path: described.path,
                message: described.message,
                snippet,
            }
        })?;
    super::canonical::canonicalise(&mut spec);
    Ok(spec)
}

/// `--> file:line:column` and the offending line with a caret, as diagnostics show them.
fn snippet(origin: &str, text: &str, line: usize, column: usize, message: &str) -> String {
    let title = format!(": {message}");
    let rendered = super::annotate(&title, true, Some((line, column)), origin, text, false);
    // Drop the title line: the error's own first line says what is wrong.
    rendered
        .split_once('\n')
        .map_or("", |(_, rest)| rest)
        .trim_end()
        .to_owned()
}

fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    let mut budget = serde_saphyr::Budget::default();
    // A spec is small and shallow; these bounds stop alias bombs and deep nesting early.
    budget.max_depth = MAX_DEPTH;
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
