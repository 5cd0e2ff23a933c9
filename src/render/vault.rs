//! The secrets as the inventory sees them: the vault's plaintext, and the `{{ vault_… }}`
//! references the plain files use in their place.

use super::{RenderError, environment, yaml};
use crate::plan::Plan;
use minijinja::value::Serde;
use minijinja::{Value, context};

/// Where the encrypted secrets go: read by every host, as `group_vars/all/*` is.
pub const VAULT_PATH: &str = "group_vars/all/vault.yml";

/// A reference to a vault variable, for a plain file: templated by Ansible on purpose.
pub fn reference(var: &str) -> Value {
    yaml::jinja(format!("{{{{ {var} }}}}"))
}

/// References to each secret, by secret name.
pub(super) fn references(plan: &Plan) -> Value {
    Value::from_pairs(
        plan.secrets
            .iter()
            .map(|s| (s.label.as_str(), reference(&s.vault_var))),
    )
}

/// The vault's plaintext: one variable per secret.
pub fn vault_plaintext(
    plan: &Plan,
    values: &crate::secrets::SecretValues,
) -> Result<String, RenderError> {
    let values: indexmap::IndexMap<&str, &str> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    environment::render(
        &environment::environment(),
        "common/vault.yml.j2",
        context! { plan => Value::from(Serde(plan)), values => Value::from(Serde(values)) },
    )
}
