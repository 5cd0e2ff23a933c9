//! The vault file of an inventory: secrets resolved, laid out, encrypted, and left byte for
//! byte as it was when nothing in it changed.

use crate::plan::Plan;
use crate::secrets::{SecretValues, resolve, vault};
use crate::{Error, Inputs};
use zeroize::Zeroizing;

/// The encrypted vault for `plan`'s secrets.
pub fn vault_file(plan: &Plan, spec: &crate::spec::Spec, inputs: &Inputs) -> Result<String, Error> {
    let password = inputs
        .vault_password
        .ok_or_else(|| Error::VaultPasswordMissing {
            secrets: plan.secrets.iter().map(|s| s.label.clone()).collect(),
        })?;
    let existing = match inputs.existing_vault {
        Some(text) => {
            let plaintext = vault::decrypt(text, password).map_err(|error| Error::Vault {
                path: crate::render::VAULT_PATH,
                error,
            })?;
            Some((text, plaintext))
        }
        None => None,
    };
    let kept: SecretValues = existing
        .as_ref()
        .and_then(|(_, plain)| std::str::from_utf8(plain).ok())
        .and_then(|plain| serde_saphyr::from_str::<indexmap::IndexMap<String, String>>(plain).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, Zeroizing::new(v)))
        .collect();
    let values = resolve(
        &plan.secrets,
        &spec.secrets,
        &kept,
        inputs.spec_dir,
        inputs.env,
    )?;
    let plaintext = crate::render::vault_plaintext(plan, &values)?;
    match existing {
        // Same secrets: keep the file as it is, so a review shows no change.
        Some((text, old)) if old.as_slice() == plaintext.as_bytes() => Ok(text.to_owned()),
        _ => Ok(vault::encrypt(plaintext.as_bytes(), password)),
    }
}
