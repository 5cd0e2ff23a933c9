//! Secret sources: what `render` would read for each secret the cluster needs (an environment
//! variable, a file), read the same way and checked the same way, so that `check` refuses what
//! `render` would. Values are never shown: a finding says which source failed and why.

use super::Diagnostic;
use crate::secrets::{SecretError, SecretValues, resolve};
use crate::spec::{SecretSource, Spec};
use std::path::Path;

/// Findings about the secret sources of `spec`; `file:` paths are relative to `spec_dir`.
pub fn check(
    spec: &Spec,
    spec_dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for need in crate::spec::secret_needs(spec) {
        let field = match spec.secrets.source(&need) {
            None | Some(SecretSource::Generate) => continue,
            Some(SecretSource::Env(_)) => "env",
            Some(SecretSource::File(_)) => "file",
        };
        let path = format!("secrets.{}.{field}", need.label);
        // The very function render uses, one secret at a time so every failure is reported.
        let Err(error) = resolve(
            std::slice::from_ref(&need),
            &spec.secrets,
            &SecretValues::new(),
            spec_dir,
            env,
        ) else {
            continue;
        };
        found.push(Diagnostic::error(
            path,
            message(&error, &need.label, spec_dir),
        ));
    }
    found
}

/// The error without its `secrets.<name>: ` prefix (the diagnostic's path says it), and what
/// to do.
fn message(error: &SecretError, name: &str, spec_dir: &Path) -> String {
    let text = error.to_string();
    let text = text
        .strip_prefix(&format!("secrets.{name}: "))
        .unwrap_or(&text)
        .to_owned();
    match error {
        SecretError::File { .. } => {
            let dir = if spec_dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                spec_dir
            };
            format!(
                "{text}; a relative path is read from the spec's directory ({}): create the file, \
                 correct the path, or use `generate`",
                dir.display()
            )
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(secrets: &str) -> Spec {
        crate::spec::parse(
            "t",
            &format!(
                "cluster: {{ name: x }}\nnetwork: {{ private: 10.8.0.0/24 }}\nnodes: []\nceph: {{ dashboard: true }}\nkubernetes: {{ storage: [{{ name: rbd, type: rbd, pool: rbd }}] }}\nsecrets: {secrets}\n"
            ),
        )
        .unwrap()
    }

    #[test]
    fn every_failing_source_is_reported_at_its_source_without_its_value() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("key"), "not-a-key-SECRETVALUE\n").unwrap();
        std::fs::write(dir.path().join("empty"), "\n").unwrap();
        let spec = spec(
            "{ ceph_dashboard_admin_password: { env: UNSET_VAR }, ceph_grafana_admin_password: { file: empty }, ceph_csi_rbd_key: { file: key } }",
        );
        let found = check(&spec, dir.path(), &|_| None);
        let shown: Vec<String> = found.iter().map(|d| d.to_string()).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].contains("secrets.ceph_dashboard_admin_password.env"));
        assert!(shown[0].contains("UNSET_VAR is not set"), "{shown:?}");
        assert!(shown[1].contains("secrets.ceph_grafana_admin_password.file"));
        assert!(shown[1].contains("empty"), "{shown:?}");
        assert!(shown[2].contains("not a cephx key"), "{shown:?}");
        assert!(!shown.concat().contains("SECRETVALUE"));
    }

    #[test]
    fn missing_files_say_where_they_were_looked_for() {
        let spec = spec("{ ceph_csi_rbd_key: { file: no/such/key } }");
        let found = check(&spec, Path::new("specs"), &|_| None);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("specs/no/such/key") && found[0].message.contains("(specs)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn generated_unneeded_and_good_sources_pass() {
        let spec = spec(
            "{ ceph_dashboard_admin_password: { env: PW }, ceph_csi_cephfs_key: { env: UNSET } }",
        );
        let env = |name: &str| (name == "PW").then(|| "pw".to_owned());
        assert!(
            check(&spec, Path::new("."), &env).is_empty(),
            "cephfs key unneeded"
        );
    }
}
