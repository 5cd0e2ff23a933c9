//! What real Ansible (ansible-core from PyPI, `scripts/test.sh` installs it) makes of the output:
//! group membership, and every value back with the type the model meant. Without the venv each
//! test says what is missing and skips (fails under `CI=true`): `common::require_ansible`.

mod common;

use common::{render, root, valid_fixtures};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// kubespray's ansible.cfg inventory_ignore_extensions: README.md is then offered to the INI
/// plugin too, and must not add anything.
const KUBESPRAY_IGNORE: &str = "~, .orig, .bak, .ini, .cfg, .retry, .pyc, .pyo, .creds, .gpg";

fn inventory(dir: &Path) -> Value {
    let mut command = std::process::Command::new(common::ansible_tool("ansible-inventory"));
    if dir.join(cephspray::render::VAULT_PATH).exists() {
        let password = dir.parent().unwrap().join("vault-password");
        std::fs::write(&password, common::VAULT_PASSWORD).unwrap();
        command.arg("--vault-password-file").arg(password);
    }
    let out = command
        .arg("-i")
        .arg(dir)
        .arg("--list")
        .env("ANSIBLE_INVENTORY_IGNORE", KUBESPRAY_IGNORE)
        .env("ANSIBLE_LOCAL_TEMP", dir.parent().unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn rendered(path: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inventory");
    cephspray::output::write(&render(path), &dir, false).unwrap();
    (tmp, dir)
}

fn hosts_of(inv: &Value, group: &str) -> Vec<String> {
    inv[group]["hosts"]
        .as_array()
        .map(|a| a.iter().map(|h| h.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn ansible_reads_groups_and_typed_host_vars() {
    if !common::require_ansible(&["ansible-inventory"]) {
        return;
    }
    for path in valid_fixtures() {
        let (spec, _) = cephspray::spec::load_file(&path).unwrap();
        let plan = cephspray::plan::plan(&spec, "x");
        let (_tmp, dir) = rendered(&path);
        let inv = inventory(&dir);
        let vars = &inv["_meta"]["hostvars"];
        let names: Vec<&str> = spec.nodes.iter().map(|n| n.name.as_str()).collect();
        let mut seen: Vec<&str> = vars
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        seen.sort();
        let mut expected = names.clone();
        expected.sort();
        assert_eq!(
            seen,
            expected,
            "{}: exactly the spec's hosts",
            path.display()
        );
        use cephspray::spec::Role;
        for (role, group) in [
            (Role::ControlPlane, "kube_control_plane"),
            (Role::Worker, "kube_node"),
            (Role::Etcd, "etcd"),
            (Role::Mon, "mons"),
            (Role::Osd, "osds"),
        ] {
            assert_eq!(
                hosts_of(&inv, group),
                plan.members[&role],
                "{}: {group}",
                path.display()
            );
        }
        assert_eq!(
            inv["k8s_cluster"]["children"],
            serde_json::json!(["kube_control_plane", "kube_node"])
        );
        for host in &plan.hosts {
            let v = &vars[&host.name];
            assert!(v["public_network"].is_string() && v["dashboard_enabled"].is_boolean());
            if !host.kubernetes {
                // kubespray's host and group variables are for Kubernetes nodes only.
                assert!(v.get("ip").is_none() && v.get("helm_enabled").is_none());
            } else {
                assert!(v["ip"].is_string() && v["ip"] == host.address.as_str());
                assert!(
                    v["helm_enabled"].is_boolean()
                        && v["kubelet_authorization_mode_webhook"] == true
                );
                assert!(v["authorization_modes"].is_array());
            }
            if let (true, Some(version)) = (host.kubernetes, &plan.kubernetes.version) {
                assert_eq!(
                    v["kube_version"],
                    version.as_str(),
                    "a version stays a string"
                );
            }
            assert_eq!(
                v["ansible_host"],
                host.ssh_address.as_str(),
                "Ansible reaches every node: its SSH address, else its private one"
            );
            assert!(
                v.get("kube_apiserver_bind_address").is_none(),
                "kubespray's default bind address, which its join flow expects"
            );
            if !host.crush_location.is_empty() {
                assert!(
                    v["osd_crush_location"].is_object(),
                    "CRUSH location is a dict"
                );
                assert_eq!(
                    v["osd_crush_location"]["host"],
                    host.name.split('.').next().unwrap()
                );
            }
            if !host.osd_disks.is_empty() {
                assert!(v["devices"].is_array());
            }
            for secret in &plan.secrets {
                let value = v[&secret.vault_var]
                    .as_str()
                    .unwrap_or_else(|| panic!("{} unreadable", secret.vault_var));
                match secret.kind {
                    cephspray::secrets::SecretKind::Password => {
                        assert_eq!(
                            value.len(),
                            32,
                            "a generated password comes back from the vault"
                        )
                    }
                    cephspray::secrets::SecretKind::CephxKey => {
                        assert!(
                            cephspray::secrets::generate::is_cephx_key(value),
                            "{value:?}"
                        )
                    }
                    cephspray::secrets::SecretKind::WireguardKey => {
                        assert!(
                            cephspray::secrets::generate::is_wireguard_key(value),
                            "{value:?}"
                        )
                    }
                }
            }
            if plan.ceph.dashboard {
                assert_eq!(
                    v["dashboard_admin_password"],
                    "{{ vault_ceph_dashboard_admin_password }}"
                );
            }
            if let Some(pool) = v.get("cephfs_data_pool") {
                assert!(pool["size"].is_u64() && pool["pg_num"].is_u64());
                // Fixed: the autoscaler off (a boolean); autoscale: created in warn mode.
                match plan.ceph.pg_mode {
                    cephspray::spec::PgMode::Fixed => assert_eq!(pool["pg_autoscale_mode"], false),
                    cephspray::spec::PgMode::Autoscale => {
                        assert_eq!(pool["pg_autoscale_mode"], "warn")
                    }
                }
            }
        }
    }
}

/// Strings YAML 1.1 would mistype, plus random ones, put into extra_vars come back unchanged.
#[test]
fn tricky_strings_in_extra_vars_come_back_as_strings() {
    use proptest::strategy::{Strategy, ValueTree};
    if !common::require_ansible(&["ansible-inventory"]) {
        return;
    }
    let mut values: Vec<String> = [
        "on",
        "off",
        "yes",
        "no",
        "y",
        "n",
        "Y",
        "NO",
        "True",
        "false",
        "~",
        "null",
        "Null",
        "=",
        "<<",
        "0644",
        "0o17",
        "0x1F",
        "1e3",
        "1_000",
        "1:20",
        "190:20:30",
        "2018-12-30",
        "2018-12-30 10:00:00",
        "1.20",
        ".5",
        "+1",
        "-0",
        ".inf",
        "-.Inf",
        ".NaN",
        "",
        " ",
        " lead",
        "trail ",
        "#x",
        "a #b",
        "a: b",
        "- x",
        "[x]",
        "{x}",
        "&a",
        "*a",
        "!tag",
        "%x",
        "@x",
        "`x",
        "|",
        ">",
        "?",
        "'q'",
        "\"q\"",
        "tab\there",
        "new\nline",
        "é ü ß",
        "\\",
        "1.35.4",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let strategy = "[ -~]{0,12}|[0-9.:eE+-]{1,8}|(on|off|yes|no|y|n|true|false|null)";
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..300 {
        let tree = strategy.new_tree(&mut runner).unwrap();
        values.push(tree.current());
    }
    // Ansible templates "{{ }}" and "{% %}" lazily; ansible-inventory shows them raw anyway.
    let mut spec_text =
        std::fs::read_to_string(root().join("fixtures/single-node-lab.yaml")).unwrap();
    spec_text.push_str("extra_vars:\n  all:\n");
    for (i, value) in values.iter().enumerate() {
        spec_text.push_str(&format!(
            "    probe_{i}: {}\n",
            serde_json::to_string(value).unwrap()
        ));
    }
    let spec = cephspray::spec::parse("probe.yaml", &spec_text).unwrap();
    let tree = cephspray::build(&spec, &cephspray::Inputs::new("probe.yaml"))
        .unwrap()
        .0;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inventory");
    cephspray::output::write(&tree, &dir, false).unwrap();
    let inv = inventory(&dir);
    let vars = &inv["_meta"]["hostvars"]["lab1"];
    for (i, value) in values.iter().enumerate() {
        assert_eq!(
            vars[format!("probe_{i}")],
            Value::String(value.clone()),
            "probe_{i} = {value:?}"
        );
    }
}

#[test]
fn generated_playbooks_pass_ansible_playbook_syntax_check() {
    if !common::require_ansible(&["ansible-playbook"]) {
        return;
    }
    let mut checked = 0;
    for path in valid_fixtures() {
        let (_tmp, dir) = rendered(&path);
        let Ok(entries) = std::fs::read_dir(dir.join("playbooks")) else {
            continue;
        };
        for entry in entries {
            let playbook = entry.unwrap().path();
            let out = std::process::Command::new(common::ansible_tool("ansible-playbook"))
                .arg("--syntax-check")
                .arg("-i")
                .arg(dir.join("hosts.yml"))
                .arg(&playbook)
                .env("ANSIBLE_LOCAL_TEMP", dir.parent().unwrap())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}: {}{}",
                playbook.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no fixture generates a playbook");
}

/// The ceph-csi values name the cluster by the fsid ceph-ansible gets, reach it through the mon
/// nodes' private addresses, and the key they are given at install time is a cephx key.
#[test]
fn ceph_csi_values_match_the_ceph_side() {
    if !common::require_ansible(&["ansible-inventory"]) {
        return;
    }
    let mut checked = 0;
    for path in valid_fixtures() {
        let (spec, _) = cephspray::spec::load_file(&path).unwrap();
        if spec.kubernetes.storage.is_empty() {
            continue;
        }
        let (_tmp, dir) = rendered(&path);
        let inv = inventory(&dir);
        let vars = &inv["_meta"]["hostvars"];
        let first_mon = &hosts_of(&inv, "mons")[0];
        let fsid = vars[first_mon]["fsid"].as_str().unwrap().to_owned();
        assert_eq!(vars[first_mon]["generate_fsid"], false);
        let monitors: Vec<String> = hosts_of(&inv, "mons")
            .iter()
            .map(|m| format!("{}:6789", vars[m]["ip"].as_str().unwrap()))
            .collect();
        let client = &hosts_of(&inv, "clients")[0];
        for file in std::fs::read_dir(dir.join("ceph-csi")).unwrap() {
            let file = file.unwrap().path();
            if !file.to_string_lossy().ends_with("-values.yml") {
                continue;
            }
            let values: Value =
                serde_saphyr::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            assert_eq!(
                values["csiConfig"][0]["clusterID"],
                fsid.as_str(),
                "{}",
                file.display()
            );
            assert_eq!(values["storageClass"]["clusterID"], fsid.as_str());
            assert_eq!(
                values["csiConfig"][0]["monitors"],
                serde_json::json!(monitors)
            );
            let user = values["secret"]["adminID"]
                .as_str()
                .or(values["secret"]["userID"].as_str())
                .unwrap();
            let key = vars[client]["keys"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| k["name"] == format!("client.{user}").as_str())
                .unwrap_or_else(|| panic!("ceph-ansible creates no user {user}"));
            let var = key["key"]
                .as_str()
                .unwrap()
                .trim_matches(|c| c == '{' || c == '}' || c == ' ');
            let value = vars[client][var].as_str().unwrap();
            assert!(
                cephspray::secrets::generate::is_cephx_key(value),
                "{var} holds a cephx key"
            );
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} values files checked");
}
