//! The one way rendering fails.

/// Why rendering failed: a bug in cephspray. (What the spec can get wrong, extra_vars that clash
/// with generated variables included, `check` refuses before.)
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed.
    #[error("internal template error in {template}: {source}")]
    Template {
        /// The template's name under templates/.
        template: String,
        /// What minijinja reports, with the template line.
        source: minijinja::Error,
    },
    /// No selected target defines the group that an `extra_vars` key addresses.
    #[error("internal error: no target writes the inventory group of extra_vars.{0}")]
    NoGroup(String),
}
