//! Turning each needed secret's source into a value, keeping generated ones across renders.

use super::generate;
use crate::spec::{SecretKind, SecretNeed, SecretSource};
use indexmap::IndexMap;
use std::path::Path;
use zeroize::Zeroizing;

/// Why a secret has no value.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// `env:` names an unset variable.
    #[error("secrets.{name}: environment variable {var} is not set; export it, or use `generate`")]
    EnvUnset {
        /// The secret whose source is the variable.
        name: String,
        /// The environment variable the spec names.
        var: String,
    },
    /// `file:` could not be read.
    #[error("secrets.{name}: cannot read {path}: {source}")]
    File {
        /// The secret whose source is the file.
        name: String,
        /// The file as the spec names it.
        path: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A given value is empty or not of the right format.
    #[error("secrets.{name}: {problem}")]
    Invalid {
        /// The secret whose value has the wrong format.
        name: String,
        /// What is wrong.
        problem: String,
    },
}

/// The most a `file:` secret source may hold.
const MAX_SECRET_FILE_BYTES: u64 = 1024 * 1024;

/// The value of each needed secret, by vault variable, in need order.
pub type SecretValues = IndexMap<String, Zeroizing<String>>;

/// Resolves every needed secret: `env` and `file` sources are read; `generate` reuses the value
/// already in the vault (`kept`) or makes a new one.
pub fn resolve(
    needs: &[SecretNeed],
    sources: &crate::spec::Secrets,
    kept: &SecretValues,
    spec_dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<SecretValues, SecretError> {
    let mut values = SecretValues::new();
    for need in needs {
        let name = need.label.clone();
        let value = match sources.source(need).cloned().unwrap_or_default() {
            SecretSource::Generate => match kept.get(&need.vault_var) {
                Some(value) => value.clone(),
                None => match need.kind {
                    SecretKind::Password => generate::password(),
                    SecretKind::CephxKey => generate::cephx_key(),
                    SecretKind::WireguardKey => generate::wireguard_key(),
                },
            },
            SecretSource::Env(var) => {
                Zeroizing::new(env(&var).ok_or_else(|| SecretError::EnvUnset {
                    name: name.clone(),
                    var,
                })?)
            }
            SecretSource::File(path) => {
                let path = spec_dir.join(path);
                let file_error = |source| SecretError::File {
                    name: name.clone(),
                    path: path.display().to_string(),
                    source,
                };
                // Bounded, and never from a device: `file: /dev/zero` would never end.
                let bytes = crate::input::read_limited(&path, MAX_SECRET_FILE_BYTES, false)
                    .map_err(|e| file_error(e.into_io()))?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    file_error(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "it is not UTF-8 text",
                    ))
                })?;
                Zeroizing::new(text.trim_end_matches(['\n', '\r']).to_owned())
            }
        };
        let problem = if value.is_empty() {
            Some("the value is empty")
        } else if need.kind == SecretKind::CephxKey && !generate::is_cephx_key(&value) {
            Some("not a cephx key: give the base64 key `ceph-authtool --gen-print-key` prints")
        } else if need.kind == SecretKind::WireguardKey && !generate::is_wireguard_key(&value) {
            Some("not a WireGuard private key: give the base64 key `wg genkey` prints")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(SecretError::Invalid {
                name,
                problem: problem.to_owned(),
            });
        }
        let public = match &need.public_var {
            Some(public_var) => Some((public_var.clone(), derive_public(&value, &name)?)),
            None => None,
        };
        values.insert(need.vault_var.clone(), value);
        values.extend(public);
    }
    Ok(values)
}

/// The public key of a WireGuard private key, for the vault beside it.
fn derive_public(private: &str, name: &str) -> Result<Zeroizing<String>, SecretError> {
    generate::wireguard_public_key(private)
        .map(Zeroizing::new)
        .ok_or_else(|| SecretError::Invalid {
            name: name.to_owned(),
            problem: "not a WireGuard private key: give the base64 key `wg genkey` prints"
                .to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::SecretName;

    fn need(name: SecretName, kind: SecretKind) -> SecretNeed {
        SecretNeed::new(name, kind)
    }

    #[test]
    fn generated_values_are_kept_and_sources_are_read() {
        let needs = [need(
            SecretName::CephDashboardAdminPassword,
            SecretKind::Password,
        )];
        let none = crate::spec::Secrets::default();
        let no_env = |_: &str| None;
        let first = resolve(&needs, &none, &SecretValues::new(), Path::new("."), &no_env).unwrap();
        let again = resolve(&needs, &none, &first, Path::new("."), &no_env).unwrap();
        assert_eq!(first, again, "a generated value is kept");

        let from_env = crate::spec::Secrets {
            ceph_dashboard_admin_password: Some(SecretSource::Env("PW".into())),
            ..Default::default()
        };
        let env = |var: &str| (var == "PW").then(|| "from-env".to_owned());
        let values = resolve(&needs, &from_env, &first, Path::new("."), &env).unwrap();
        assert_eq!(
            values["vault_ceph_dashboard_admin_password"].as_str(),
            "from-env"
        );
        let error = resolve(&needs, &from_env, &first, Path::new("."), &no_env).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("environment variable PW is not set")
        );
    }

    #[test]
    fn files_are_read_relative_to_the_spec_and_keys_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("key"), "not-a-key\n").unwrap();
        let needs = [need(
            SecretName::CephDashboardAdminPassword,
            SecretKind::CephxKey,
        )];
        let sources = crate::spec::Secrets {
            ceph_dashboard_admin_password: Some(SecretSource::File("key".into())),
            ..Default::default()
        };
        let error = resolve(&needs, &sources, &SecretValues::new(), dir.path(), &|_| {
            None
        })
        .unwrap_err();
        assert!(error.to_string().contains("not a cephx key"), "{error}");
        std::fs::write(
            dir.path().join("key"),
            "AQBnu0VhAAAAABAAhPTqxMBvPE2Uf1vhJ2fwmg==\n",
        )
        .unwrap();
        let values = resolve(&needs, &sources, &SecretValues::new(), dir.path(), &|_| {
            None
        })
        .unwrap();
        assert_eq!(
            values[0].as_str(),
            "AQBnu0VhAAAAABAAhPTqxMBvPE2Uf1vhJ2fwmg=="
        );
    }
}
