//! `extra_vars` must not set what a generated file sets: group files of one depth merge
//! alphabetically and host variables win over group variables, so the user's value could
//! silently lose (or silently win over what the spec says). The generated files are rendered to
//! find out, so the rule is exactly what `render` would write. This is a check that needs the
//! rendered inventory, so it runs after `render` (see `cephspray::check_spec`), not in `check`.

use crate::check::Diagnostic;
use crate::spec::Spec;
use indexmap::IndexMap;
use serde::de::IgnoredAny;

/// The extra variables of a spec that `check` passed without errors that clash with a variable
/// the generated inventory sets, each as an error at its key.
pub fn clashes(spec: &Spec, sizing: &crate::pg::Sizing) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if spec.extra_vars.values().all(IndexMap::is_empty) {
        return found;
    }
    let set = generated_variables(spec, sizing);
    for (group, vars) in &spec.extra_vars {
        let group = group.as_str();
        for name in vars.keys() {
            if let Some(file) = set.get(name.as_str()) {
                found.push(Diagnostic::error_at_key(
                    format!("extra_vars.{group}.{name}"),
                    format!(
                        "cephspray already sets `{name}` in {file}; set it through the spec, or \
                         remove it from extra_vars"
                    ),
                ));
            }
        }
    }
    found
}

/// Every variable the generated inventory sets, with the first file that sets it: group and
/// host variable files, host variables in hosts.yml, and the vault's variables.
fn generated_variables(spec: &Spec, sizing: &crate::pg::Sizing) -> IndexMap<String, String> {
    let plan = crate::plan::plan_sized(spec, sizing, "");
    let mut set: IndexMap<String, String> = IndexMap::new();
    let Ok(tree) = super::render(&plan) else {
        // A template failure is a cephspray bug that render reports itself.
        return set;
    };
    for (path, contents) in tree.files() {
        let is_vars = path.starts_with("group_vars/") || path.starts_with("host_vars/");
        if is_vars && !path.ends_with("/extra-vars.yml") {
            for name in top_level_keys(contents) {
                set.entry(name).or_insert_with(|| path.to_owned());
            }
        } else if path == "hosts.yml" {
            for name in host_variables(contents) {
                set.entry(name).or_insert_with(|| path.to_owned());
            }
        }
    }
    for secret in &plan.secrets {
        for var in std::iter::once(&secret.vault_var).chain(&secret.public_var) {
            set.entry(var.clone())
                .or_insert_with(|| super::VAULT_PATH.to_owned());
        }
    }
    set
}

/// The keys of a YAML mapping file; unindented `key:` lines when it does not parse as one.
fn top_level_keys(contents: &str) -> Vec<String> {
    match serde_saphyr::from_str::<IndexMap<String, IgnoredAny>>(contents) {
        Ok(map) => map.into_keys().collect(),
        Err(_) => contents
            .lines()
            .filter(|l| !l.starts_with([' ', '#', '-']) && !l.is_empty())
            .filter_map(|l| l.split_once(':').map(|(key, _)| key.trim()))
            .map(|key| key.trim_matches(['"', '\'']).to_owned())
            .collect(),
    }
}

/// The variables hosts.yml sets on hosts (`ansible_host`, `ansible_user`, `ansible_port`).
fn host_variables(contents: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Inventory {
        all: All,
    }
    #[derive(serde::Deserialize)]
    struct All {
        #[serde(default)]
        hosts: IndexMap<String, Option<IndexMap<String, IgnoredAny>>>,
    }
    match serde_saphyr::from_str::<Inventory>(contents) {
        Ok(inventory) => inventory
            .all
            .hosts
            .into_values()
            .flatten()
            .flat_map(IndexMap::into_keys)
            .collect(),
        // The layout hosts.yml.j2 writes: `all:`, `  hosts:`, `    <host>:`, `      <var>: …`.
        Err(_) => contents
            .lines()
            .skip_while(|l| *l != "  hosts:")
            .take_while(|l| *l != "  children:")
            .filter_map(|l| l.strip_prefix("      "))
            .filter(|l| !l.starts_with([' ', '#']))
            .filter_map(|l| l.split_once(':').map(|(key, _)| key.trim().to_owned()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clashes(extra: &str) -> Vec<String> {
        let text = format!(
            "cluster: {{ name: x }}\nnetwork: {{ private: 10.8.0.0/24 }}\nnodes:\n  - {{ name: n1, address: 10.8.0.1, ssh: {{ user: debian }}, disks: [{{ device: /dev/sdb, size: 3TB }}] }}\nceph: {{ size: 1, min_size: 1, dashboard: true }}\nextra_vars: {extra}\n"
        );
        let spec = crate::spec::parse("t", &text).unwrap();
        super::clashes(&spec, &crate::pg::Sizing::of(&spec))
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn variables_of_every_generated_file_kind_clash() {
        for (extra, file) in [
            (
                "{ all: { public_network: 0.0.0.0/0 } }",
                "group_vars/all/ceph.yml",
            ),
            ("{ osd: { devices: [] } }", "host_vars/n1.yml"),
            ("{ all: { ansible_user: root } }", "hosts.yml"),
            ("{ all: { ansible_host: 1.2.3.4 } }", "hosts.yml"),
            (
                "{ all: { vault_ceph_dashboard_admin_password: x } }",
                "group_vars/all/vault.yml",
            ),
        ] {
            let found = clashes(extra);
            assert_eq!(found.len(), 1, "{extra}: {found:?}");
            assert!(found[0].contains(file), "{extra}: {found:?}");
        }
    }

    #[test]
    fn host_variables_are_found_whatever_the_host_names_are_written_as() {
        let written = "all:\n  hosts:\n    !unsafe 'n1':\n      ansible_host: !unsafe '10.8.0.1'\n      ansible_user: debian\n  children:\n    etcd:\n      hosts:\n        n1:\n";
        assert_eq!(host_variables(written), ["ansible_host", "ansible_user"]);
    }

    #[test]
    fn own_variables_and_the_same_variable_in_two_groups_pass() {
        assert!(clashes("{ all: { my_var: 1 }, k8s_cluster: { my_var: 2 } }").is_empty());
        assert!(clashes("{}").is_empty());
    }

    #[test]
    fn every_clash_is_reported_at_its_key() {
        let found = clashes("{ all: { public_network: x, fsid: y, mine: 1 } }");
        assert_eq!(found.len(), 2, "{found:?}");
    }
}
