//! Text from the user shown on one line, wherever it goes (a diagnostic, a generated file): no
//! stage's concept, so every stage may use it.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for a character that must not reach a generated file as it is: C0 and C1 controls (line
/// breaks among them, and every other character PyYAML refuses to load), the Unicode line and
/// paragraph separators, the non-characters U+FFFE and U+FFFF (PyYAML refuses them too), and the
/// bidirectional controls that make text read differently from what it is.
pub fn must_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{fffe}'
                | '\u{ffff}'
                | '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` on one line: each character of [`must_escape`] written as `\n`, `\r`, `\t` or
/// `\u{…}`.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(must_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if must_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_break_is_escaped() {
        assert_eq!(
            one_line("a\nb\rc\u{85}d\u{2028}e\u{2029}f\u{b}g\th\0"),
            r"a\nb\rc\u{85}d\u{2028}e\u{2029}f\u{b}g\th\u{0}"
        );
        assert_eq!(one_line("plain é ✓"), "plain é ✓");
        assert_eq!(one_line("rtl\u{202e}txt"), r"rtl\u{202e}txt");
        assert!(matches!(one_line("x"), Cow::Borrowed(_)));
    }
}
