//! cephspray: one typed cluster spec → the Ansible inventory that kubespray and ceph-ansible run
//! against. Data flows one way: spec → check → plan → render → write.

pub mod check;
pub mod error;
pub mod output;
pub mod pg;
pub mod plan;
pub mod render;
pub mod schema;
pub mod spec;

pub use error::Error;

/// Checks a spec and, when it has no errors, renders its inventory in memory.
pub fn build(
    spec: &spec::Spec,
    source: &str,
) -> Result<(output::Tree, Vec<check::Diagnostic>), Error> {
    let diagnostics = check::check(spec);
    if check::has_errors(&diagnostics) {
        return Err(Error::Check(diagnostics));
    }
    let plan = plan::plan(spec, source);
    let tree = render::render(&plan)?;
    Ok((tree, diagnostics))
}
