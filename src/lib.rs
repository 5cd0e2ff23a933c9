//! cephspray: one typed cluster spec → the Ansible inventory that kubespray and ceph-ansible run
//! against. Data flows one way: spec → check → plan → render → write.

pub mod check;
pub mod error;
pub mod init;
pub mod input;
pub mod output;
pub mod pg;
pub mod plan;
pub mod render;
pub mod schema;
pub mod secrets;
pub mod spec;

pub use error::Error;

use std::path::Path;

/// Everything besides the spec that rendering reads. The caller gathers it (the CLI from its
/// flags, the environment and the output directory), so the library does no hidden I/O.
pub struct Inputs<'a> {
    /// The spec as the user named it, for "generated from" headers.
    pub source: &'a str,
    /// The directory `file:` secret sources are relative to.
    pub spec_dir: &'a Path,
    /// The vault password, needed when the cluster has secrets.
    pub vault_password: Option<&'a [u8]>,
    /// The vault currently in the output directory, whose generated secrets are kept.
    pub existing_vault: Option<&'a str>,
    /// Environment lookup for `env:` secret sources.
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// Without a vault password, leave the vault out (marked not compared) instead of
    /// failing: for `render --check` in a CI job that has no password.
    pub skip_vault_without_password: bool,
}

fn no_env(_: &str) -> Option<String> {
    None
}

impl<'a> Inputs<'a> {
    /// Inputs for a spec without secret sources to read: no vault, no environment.
    pub fn new(source: &'a str) -> Self {
        Inputs {
            source,
            spec_dir: Path::new("."),
            vault_password: None,
            existing_vault: None,
            env: &no_env,
            skip_vault_without_password: false,
        }
    }
}

/// Checks a spec and, when it has no errors, renders its inventory in memory.
pub fn build(
    spec: &spec::Spec,
    inputs: &Inputs,
) -> Result<(output::Tree, Vec<check::Diagnostic>), Error> {
    let skip_vault = inputs.vault_password.is_none() && inputs.skip_vault_without_password;
    // The same checks as `cephspray check`; secret sources only when the vault is written.
    let diagnostics = if skip_vault {
        check::check(spec)
    } else {
        check::check_with_sources(spec, inputs.spec_dir, inputs.env)
    };
    if check::has_errors(&diagnostics) {
        return Err(Error::Check(diagnostics));
    }
    let plan = plan::plan(spec, inputs.source);
    let mut tree = render::render(&plan)?;
    if !plan.secrets.is_empty() {
        if skip_vault {
            tree.leave_uncompared(render::VAULT_PATH);
        } else {
            let vault = secrets::vault_file(&plan, spec, inputs)?;
            tree.insert_private(render::VAULT_PATH, vault);
        }
    }
    Ok((tree, diagnostics))
}

/// Feeds arbitrary bytes through everything a spec goes through (locating, parsing, checking,
/// rendering) and drops the results: the fuzz target and its regression test call this.
#[doc(hidden)]
pub fn exercise(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = spec::Locations::of(text);
    let Ok(spec) = spec::parse("fuzz.yaml", text) else {
        return;
    };
    let found = check::check(&spec);
    if !check::has_errors(&found) {
        let _ = build(&spec, &Inputs::new("fuzz.yaml"));
    }
}
