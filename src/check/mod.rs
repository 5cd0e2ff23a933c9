//! Semantic validation: what kubespray or Ceph would refuse or break on (errors), and what works
//! but is unwise (warnings). Every diagnostic names the spec path it is about.

mod addons;
mod cluster;
mod mesh;
mod names;
mod network;
mod nodes;
mod sources;

pub(crate) use nodes::{is_rfc1123_name as is_host_name, looks_like_partition};
pub use report::render;
mod pools;
mod report;
mod storage;

use crate::spec::Spec;
use std::fmt;

pub use crate::pg::Severity;

/// One finding about a spec.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where in the spec, e.g. `nodes[2].address`.
    pub path: String,
    /// What is wrong and what to do.
    pub message: String,
    /// Line and column in the spec file (1-based), when the path was written there.
    pub location: Option<(usize, usize)>,
    /// The finding is about the key that names `path` (e.g. an extra variable's name), so it is
    /// located at the key rather than at the value.
    #[serde(skip)]
    pub on_key: bool,
}

impl Diagnostic {
    pub(crate) fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            message: message.into(),
            location: None,
            on_key: false,
        }
    }

    /// An error about the key that names `path`.
    pub(crate) fn error_at_key(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            on_key: true,
            ..Diagnostic::error(path, message)
        }
    }

    pub(crate) fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            path: path.into(),
            message: message.into(),
            location: None,
            on_key: false,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}: {}", self.path, self.message)
    }
}

/// Runs every check of the spec itself; errors first, then warnings, each in spec order.
/// `cephspray::check_spec` adds the one check that needs the rendered inventory (extra variables
/// that clash with generated ones).
pub fn check(spec: &Spec, sizing: &crate::pg::Sizing) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    nodes::check(spec, &mut found);
    network::check(spec, &mut found);
    mesh::check(spec, &mut found);
    mesh::check_firewall(spec, &mut found);
    cluster::check(spec, &mut found);
    pools::check(spec, sizing, &mut found);
    storage::check(spec, &mut found);
    addons::check(spec, &mut found);
    names::check(spec, &mut found);
    found.sort_by_key(|d| d.severity);
    found
}

/// The secret sources the cluster needs, read as `render` reads them (`file:` paths relative to
/// `spec_dir`, `env:` through `env`).
pub fn sources(
    spec: &Spec,
    spec_dir: &std::path::Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<Diagnostic> {
    sources::check(spec, spec_dir, env)
}

/// Fills in each diagnostic's line and column from the spec's text.
pub fn locate(diagnostics: &mut [Diagnostic], locations: &crate::spec::Locations) {
    for diagnostic in diagnostics {
        diagnostic.location = if diagnostic.on_key {
            locations.find_key(&diagnostic.path)
        } else {
            locations.find(&diagnostic.path)
        };
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}
