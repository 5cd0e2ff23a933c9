//! Diagnostics as people read them: `file:line:column`, the offending line of the spec and a
//! caret, like the YAML parser's own errors.

use super::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

/// Renders one diagnostic; `styled` adds ANSI colours (the caller's stream strips them when
/// colour is off).
pub fn render(diagnostic: &Diagnostic, file: &str, text: &str, styled: bool) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = format!("{}: {}", diagnostic.path, diagnostic.message);
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let Some(span) = diagnostic
        .location
        .and_then(|(line, column)| token_span(text, line, column))
    else {
        return format!(
            "{}\n",
            renderer.render(&[level
                .primary_title(&title)
                .element(annotate_snippets::Origin::path(file))])
        );
    };
    let report = [level.primary_title(&title).element(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offending_line_is_shown_with_a_caret() {
        let text = "nodes:\n  - { name: a, address: 10.9.0.3 }\n";
        let diagnostic = Diagnostic {
            severity: Severity::Error,
            path: "nodes[0].address".to_owned(),
            message: "outside network.private".to_owned(),
            location: Some((2, 25)),
            on_key: false,
        };
        let shown = render(&diagnostic, "spec.yaml", text, false);
        assert!(
            shown.contains("error: nodes[0].address: outside network.private"),
            "{shown}"
        );
        assert!(shown.contains("spec.yaml:2:25"), "{shown}");
        assert!(
            shown.contains("  - { name: a, address: 10.9.0.3 }"),
            "{shown}"
        );
        assert!(shown.contains("^^^^^^^^"), "{shown}");
    }
}
