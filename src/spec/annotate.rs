//! A finding about a spec file as people read it: `file:line:column`, the offending line and a
//! caret, like the YAML parser's own errors. Parse errors (here) and `check`'s diagnostics both
//! use it.

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

/// `title` as an error (or a warning), then `--> file:line:column` and the line of `text` at
/// `location` (1-based) with a caret under its token; `styled` adds ANSI colours.
pub fn annotate(
    title: &str,
    error: bool,
    location: Option<(usize, usize)>,
    file: &str,
    text: &str,
    styled: bool,
) -> String {
    let level = if error { Level::ERROR } else { Level::WARNING };
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let Some(span) = location.and_then(|(line, column)| token_span(text, line, column)) else {
        return format!(
            "{}\n",
            renderer.render(&[level
                .primary_title(title)
                .element(annotate_snippets::Origin::path(file))])
        );
    };
    let report = [level.primary_title(title).element(
        Snippet::source(text)
            .path(file)
            .annotation(AnnotationKind::Primary.span(span)),
    )];
    format!("{}\n", renderer.render(&report))
}

/// The byte range of the token starting at 1-based `line` and `column`.
fn token_span(text: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let start_of_line: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let line_text = text[start_of_line..].lines().next()?;
    let offset = line_text
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(i, _)| i)?;
    let rest = &line_text[offset..];
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']'))
        .unwrap_or(rest.len())
        .max(1)
        .min(rest.len().max(1));
    Some(start_of_line + offset..start_of_line + offset + len)
}
