//! Text that templates place outside YAML values: in YAML comments, in task names built from
//! several words, in the generated README (Markdown). Whatever the text holds, it stays on its
//! line and inside its comment or code span.
//!
//! Every `{{ … }}` of a cephspray template goes through [`formatter`], which writes line breaks
//! and other control characters as visible escapes; only the YAML filters' output, which is valid
//! YAML by construction, is written as it is. A line break is whatever YAML or Ansible honours as
//! one: `\n`, `\r`, NEL (U+0085), U+2028 and U+2029 all end a comment for PyYAML.

use minijinja::value::Value;
use minijinja::{Error, Output, State};

pub use crate::text::{must_escape, one_line};

/// The formatter of every `{{ … }}`: safe strings (the YAML filters' output) as they are,
/// everything else on one line.
pub fn formatter(out: &mut Output, _state: &mut State, value: &Value) -> Result<(), Error> {
    let written = if value.is_safe() {
        out.write_str(value.as_str().unwrap_or_default())
    } else {
        out.write_str(&one_line(&value.to_string()))
    };
    written.map_err(Error::from)
}

/// A Markdown code span holding `text` literally: the fence is one backtick longer than the
/// longest run of backticks inside (CommonMark's rule), with a space inside each end when the
/// text starts or ends with a backtick.
pub fn md_code(text: &str) -> String {
    let text = one_line(text);
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Markdown text shown as written: backslash before every character that could start
/// emphasis, a link, an image, HTML, an entity, a table cell or a code span.
pub fn md_text(text: &str) -> String {
    let text = one_line(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text inside an HTML comment (`<!-- … -->`): a `>` is written `&gt;`, so the text cannot close
/// the comment (`-->`, `--!>`).
pub fn html_comment(text: &str) -> String {
    one_line(text).replace('>', "&gt;")
}

/// A word for a POSIX shell command line: as it is when it holds only characters no shell
/// treats specially, else single-quoted.
pub fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_./:@%+=,-".contains(&b));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(md_code("spec.yaml"), "`spec.yaml`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x``"), "``` `x`` ```");
        assert_eq!(md_code("a\nb"), r"`a\nb`");
    }

    #[test]
    fn markdown_and_html_cannot_be_injected() {
        assert_eq!(md_text("pair2jeux"), "pair2jeux");
        assert_eq!(md_text("<img src=x>[a](b)"), r"\<img src=x\>\[a\](b)");
        assert_eq!(html_comment("x --> <b>"), "x --&gt; <b&gt;");
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(
            shell_word("fixtures/pair2jeux.yaml"),
            "fixtures/pair2jeux.yaml"
        );
        assert_eq!(shell_word("my spec.yaml"), "'my spec.yaml'");
        assert_eq!(shell_word("$(id)'.yaml"), r"'$(id)'\''.yaml'");
        assert_eq!(shell_word(""), "''");
    }
}
