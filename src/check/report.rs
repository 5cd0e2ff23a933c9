//! Diagnostics as people read them: `file:line:column`, the offending line of the spec and a
//! caret, like the YAML parser's own errors.

use super::{Diagnostic, Severity};

/// Renders one diagnostic; `styled` adds ANSI colours (the caller's stream strips them when
/// colour is off).
pub fn render(diagnostic: &Diagnostic, file: &str, text: &str, styled: bool) -> String {
    let title = format!("{}: {}", diagnostic.path, diagnostic.message);
    crate::spec::annotate(
        &title,
        diagnostic.severity == Severity::Error,
        diagnostic.location,
        file,
        text,
        styled,
    )
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
