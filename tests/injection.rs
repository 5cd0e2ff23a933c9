//! Spec strings are data, never code, proved with real Ansible (the `.venv` that
//! `scripts/test.sh` installs, or `CEPHSPRAY_ANSIBLE_BIN`; a test that runs it says what is missing
//! and skips without it, or fails under `CI=true`: `common::require_ansible`).
//!
//! Each payload makes Ansible create a marker file if it is ever templated: `{{ … }}`, `{% … %}`,
//! and a `#jinja2:` header that sets other delimiters (no brace at all). `check` refuses every
//! payload in every field; rendering *without* `check` (the library's `plan` and `render`) then
//! shows that even a value that got past it stays data: Ansible loads the inventory, templates
//! every variable of every host, connects, and runs both generated playbooks (against a fake
//! `ceph` and a fake Helm module), and no marker appears while every value comes back as written.
//! Line breaks of every kind in the cluster name and in the spec's file name stay inside their
//! comment.

mod common;

use cephspray::spec::Spec;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory, with the directory the payloads create their markers in.
struct Lab {
    tmp: tempfile::TempDir,
}

impl Lab {
    fn new() -> Self {
        let lab = Lab {
            tmp: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(lab.markers()).unwrap();
        lab
    }

    fn path(&self) -> &Path {
        self.tmp.path()
    }

    fn markers(&self) -> PathBuf {
        self.tmp.path().join("markers")
    }

    /// A payload of `kind` that creates the marker `<field>` when Ansible templates it.
    fn payload(&self, kind: Kind, field: &str) -> String {
        let touch = format!(
            "lookup('pipe', 'touch {}')",
            self.markers().join(field).display()
        );
        match kind {
            Kind::Expression => format!("{{{{ {touch} }}}}"),
            Kind::Statement => format!("{{% if {touch} %}}{{% endif %}}"),
            Kind::Header => format!(
                "#jinja2:variable_start_string:'[[', variable_end_string:']]'\n[[ {touch} ]]"
            ),
        }
    }

    fn assert_nothing_ran(&self, what: &str) {
        let ran: Vec<String> = std::fs::read_dir(self.markers())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(ran.is_empty(), "{what}: Ansible templated {ran:?}");
    }

    fn password_file(&self) -> PathBuf {
        let path = self.path().join("vault-password");
        std::fs::write(&path, common::VAULT_PASSWORD).unwrap();
        path
    }

    /// An Ansible command with its temporary files in the lab, and the vault password.
    fn ansible(&self, tool: &str) -> Command {
        let mut command = Command::new(common::ansible_tool(tool));
        command
            .env("ANSIBLE_LOCAL_TEMP", self.path().join("ansible-local"))
            .env("ANSIBLE_REMOTE_TEMP", self.path().join("ansible-remote"))
            .env("ANSIBLE_HOST_KEY_CHECKING", "false")
            .env("ANSIBLE_NOCOLOR", "1")
            .env_remove("ANSIBLE_VAULT_PASSWORD_FILE")
            .arg("--vault-password-file")
            .arg(self.password_file());
        command
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Expression,
    Statement,
    Header,
}

const KINDS: [Kind; 3] = [Kind::Expression, Kind::Statement, Kind::Header];

fn succeeded(out: &Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// ansible-inventory shows an `!unsafe` value as `{"__ansible_unsafe": value}`: the value.
fn plain(value: &Value) -> Value {
    match value {
        Value::Object(map) if map.len() == 1 && map.contains_key("__ansible_unsafe") => {
            map["__ansible_unsafe"].clone()
        }
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), plain(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(plain).collect()),
        other => other.clone(),
    }
}

/// Writes a rendered tree as files, the vault included.
fn materialize(tree: &cephspray::output::Tree, dir: &Path) {
    for (path, contents) in tree.files() {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

fn fixture(name: &str) -> Spec {
    cephspray::spec::load_file(&common::root().join("fixtures").join(name))
        .unwrap()
        .0
}

/// Sets the value at a spec path (`nodes[3].crush.rack`), creating mappings on the way.
fn set(spec: &mut Value, path: &str, value: Value) {
    let mut at = spec;
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let (key, index) = match segment.split_once('[') {
            Some((key, rest)) => (
                key,
                Some(rest.trim_end_matches(']').parse::<usize>().unwrap()),
            ),
            None => (*segment, None),
        };
        if at.is_null() {
            *at = json!({});
        }
        let last = i + 1 == segments.len();
        if last && index.is_none() {
            at[key] = value;
            return;
        }
        at = &mut at[key];
        if let Some(index) = index {
            if !at.is_array() {
                *at = json!([]);
            }
            let items = at.as_array_mut().unwrap();
            while items.len() <= index {
                items.push(Value::Null);
            }
            at = &mut at[index];
            if last {
                *at = value;
                return;
            }
        }
    }
}

fn with(spec: &Spec, changes: &[(&str, Value)]) -> Result<Spec, serde_json::Error> {
    let mut value = serde_json::to_value(spec).unwrap();
    for (path, new) in changes {
        set(&mut value, path, new.clone());
    }
    serde_json::from_value(value)
}

/// How each string field of the spec is kept from being code, by its schema path.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Route {
    /// `check` refuses anything outside the field's character set; the concrete path of
    /// five-nodes.yaml to try it on.
    Checked(&'static str),
    /// As `Checked`, on pair2jeux.yaml (a WireGuard mesh, ports exposed), where the field is read.
    CheckedMesh(&'static str),
    /// A typed value (address, network, size, UUID): anything else does not load.
    Typed(&'static str),
    /// As `Checked`, on five-nodes.yaml with the changes of a JSON mapping of spec paths to
    /// values applied first (for a field five-nodes.yaml does not have the context of).
    CheckedWith(&'static str, &'static str),
    /// Never written to an output file (where a secret's value comes from).
    NotWritten,
}

const ROUTES: &[(&str, Route)] = &[
    ("cluster.name", Route::Checked("cluster.name")),
    ("network.private", Route::Typed("network.private")),
    ("network.private.network", Route::Typed("network.private")),
    (
        "network.private.wireguard.interface",
        Route::CheckedMesh("network.private.wireguard.interface"),
    ),
    (
        "network.firewall.expose[].nodes[]",
        Route::CheckedMesh("network.firewall.expose[0].nodes[0]"),
    ),
    (
        "nodes[].wireguard.endpoint",
        Route::CheckedMesh("nodes[1].wireguard.endpoint"),
    ),
    ("network.ceph_cluster", Route::Typed("network.ceph_cluster")),
    ("network.pods", Route::Typed("network.pods")),
    ("network.services", Route::Typed("network.services")),
    ("nodes[].name", Route::Checked("nodes[3].name")),
    ("nodes[].address", Route::Typed("nodes[3].address")),
    (
        "nodes[].ssh.address",
        Route::Checked("nodes[3].ssh.address"),
    ),
    ("nodes[].ssh.user", Route::Checked("nodes[3].ssh.user")),
    ("nodes[].crush.root", Route::Checked("nodes[3].crush.root")),
    (
        "nodes[].crush.region",
        Route::Checked("nodes[3].crush.region"),
    ),
    (
        "nodes[].crush.datacenter",
        Route::Checked("nodes[3].crush.datacenter"),
    ),
    ("nodes[].crush.room", Route::Checked("nodes[3].crush.room")),
    ("nodes[].crush.pod", Route::Checked("nodes[3].crush.pod")),
    ("nodes[].crush.pdu", Route::Checked("nodes[3].crush.pdu")),
    ("nodes[].crush.row", Route::Checked("nodes[3].crush.row")),
    ("nodes[].crush.rack", Route::Checked("nodes[3].crush.rack")),
    (
        "nodes[].crush.chassis",
        Route::Checked("nodes[3].crush.chassis"),
    ),
    (
        "nodes[].disks[].device",
        Route::Checked("nodes[3].disks[1].device"),
    ),
    (
        "nodes[].disks[].size",
        Route::Typed("nodes[3].disks[1].size"),
    ),
    ("ceph.pools[].name", Route::Checked("ceph.pools[2].name")),
    ("ceph.cephfs.name", Route::Checked("ceph.cephfs.name")),
    (
        "ceph.cephfs.data_pool",
        Route::Checked("ceph.cephfs.data_pool"),
    ),
    (
        "ceph.cephfs.metadata_pool",
        Route::Checked("ceph.cephfs.metadata_pool"),
    ),
    ("ceph.fsid", Route::Typed("ceph.fsid")),
    ("kubernetes.version", Route::Checked("kubernetes.version")),
    (
        "ceph.monitoring_node",
        Route::Checked("ceph.monitoring_node"),
    ),
    (
        "kubernetes.addons.metallb.pools[].name",
        Route::Checked("kubernetes.addons.metallb.pools[1].name"),
    ),
    (
        "kubernetes.addons.metallb.pools[].addresses[]",
        Route::Checked("kubernetes.addons.metallb.pools[1].addresses[0]"),
    ),
    (
        "kubernetes.addons.metallb.bgp.peers[].name",
        Route::Checked("kubernetes.addons.metallb.bgp.peers[0].name"),
    ),
    (
        "kubernetes.addons.metallb.bgp.peers[].address",
        Route::Typed("kubernetes.addons.metallb.bgp.peers[0].address"),
    ),
    (
        "kubernetes.addons.vip.address",
        Route::Typed("kubernetes.addons.vip.address"),
    ),
    (
        "kubernetes.addons.vip.interface",
        Route::Checked("kubernetes.addons.vip.interface"),
    ),
    (
        "kubernetes.addons.vip.bgp.peers[].name",
        Route::CheckedWith(VIP_BGP, "kubernetes.addons.vip.bgp.peers[0].name"),
    ),
    (
        "kubernetes.addons.vip.bgp.peers[].address",
        Route::Typed("kubernetes.addons.vip.bgp.peers[0].address"),
    ),
    (
        "kubernetes.addons.local_path.storage_class",
        Route::Checked("kubernetes.addons.local_path.storage_class"),
    ),
    (
        "kubernetes.addons.local_path.claim_root",
        Route::Checked("kubernetes.addons.local_path.claim_root"),
    ),
    (
        "kubernetes.addons.registry.storage_class",
        Route::Checked("kubernetes.addons.registry.storage_class"),
    ),
    (
        "kubernetes.addons.registry.size",
        Route::Checked("kubernetes.addons.registry.size"),
    ),
    (
        "kubernetes.addons.registry.service.address",
        Route::Typed("kubernetes.addons.registry.service.address"),
    ),
    (
        "kubernetes.addons.etcd_backup.schedule",
        Route::Checked("kubernetes.addons.etcd_backup.schedule"),
    ),
    (
        "kubernetes.addons.etcd_backup.directory",
        Route::Checked("kubernetes.addons.etcd_backup.directory"),
    ),
    (
        "kubernetes.storage[].name",
        Route::Checked("kubernetes.storage[0].name"),
    ),
    (
        "kubernetes.storage[].fs",
        Route::Checked("kubernetes.storage[0].fs"),
    ),
    (
        "kubernetes.storage[].subvolume_group",
        Route::Checked("kubernetes.storage[0].subvolume_group"),
    ),
    (
        "kubernetes.storage[].pool",
        Route::Checked("kubernetes.storage[1].pool"),
    ),
    (
        "secrets.ceph_dashboard_admin_password.env",
        Route::NotWritten,
    ),
    (
        "secrets.ceph_dashboard_admin_password.file",
        Route::NotWritten,
    ),
    ("secrets.ceph_grafana_admin_password.env", Route::NotWritten),
    (
        "secrets.ceph_grafana_admin_password.file",
        Route::NotWritten,
    ),
    ("secrets.ceph_csi_cephfs_key.env", Route::NotWritten),
    ("secrets.ceph_csi_cephfs_key.file", Route::NotWritten),
    ("secrets.ceph_csi_rbd_key.env", Route::NotWritten),
    ("secrets.ceph_csi_rbd_key.file", Route::NotWritten),
    ("secrets.argocd_admin_password.env", Route::NotWritten),
    ("secrets.argocd_admin_password.file", Route::NotWritten),
];

/// five-nodes.yaml's virtual IP announced by BGP, for the fields of its sessions.
const VIP_BGP: &str = r#"{"kubernetes.addons.vip": {"address": "192.168.10.10", "announce": "bgp",
    "bgp": {"asn": 64512, "peers": [{"name": "lan-router", "address": "192.168.10.1", "asn": 64500}]}}}"#;

/// Every free-form string field of the schema (no enum), as `a.b[].c`.
fn schema_string_fields() -> Vec<String> {
    fn walk(node: &Value, path: &str, defs: &Value, seen: &mut Vec<String>, out: &mut Vec<String>) {
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            let name = target.rsplit('/').next().unwrap().to_owned();
            if !seen.contains(&name) {
                seen.push(name.clone());
                walk(&defs[&name], path, defs, seen, out);
                seen.pop();
            }
            return;
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            for sub in node[key].as_array().into_iter().flatten() {
                walk(sub, path, defs, seen, out);
            }
        }
        for (name, sub) in node["properties"].as_object().into_iter().flatten() {
            let child = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            walk(sub, &child, defs, seen, out);
        }
        if node.get("items").is_some() {
            walk(&node["items"], &format!("{path}[]"), defs, seen, out);
        }
        let is_string = match &node["type"] {
            Value::String(t) => t == "string",
            Value::Array(types) => types.iter().any(|t| t == "string"),
            _ => false,
        };
        if is_string && node.get("enum").is_none() && node.get("const").is_none() {
            out.push(path.to_owned());
        }
    }
    let schema: Value = serde_json::from_str(&cephspray::schema::json_schema()).unwrap();
    let mut out = Vec::new();
    walk(
        &schema,
        "",
        &schema["definitions"],
        &mut Vec::new(),
        &mut out,
    );
    out.sort();
    out.dedup();
    out
}

/// Every string field of the spec is accounted for: a new one fails here until it is given a
/// route (and, if checked, a character set).
#[test]
fn every_string_field_of_the_spec_has_a_route() {
    let mut known: Vec<String> = ROUTES.iter().map(|(p, _)| (*p).to_owned()).collect();
    known.sort();
    assert_eq!(schema_string_fields(), known);
}

/// Values that would run code, or leave a comment, or be read as options, are refused in every
/// checked field, at that field's path; typed fields do not load them.
#[test]
fn check_refuses_what_ansible_could_template_in_every_field() {
    let lab = Lab::new();
    let base = fixture("five-nodes.yaml");
    assert!(!cephspray::check::has_errors(&cephspray::check_spec(&base)));
    let mesh = fixture("pair2jeux.yaml");
    assert!(!cephspray::check::has_errors(&cephspray::check_spec(&mesh)));
    let mut payloads: Vec<String> = KINDS.iter().map(|k| lab.payload(*k, "x")).collect();
    payloads.extend(
        [
            "{{lookup('pipe','id')}}",
            "{%print(1)%}",
            "{#x#}",
            "five\nansible_host: 6.6.6.6\n#",
            "five\u{2028}x: 1",
            "five\u{85}x: 1",
            "five\rx: 1",
            "-oProxyCommand=id",
            "a b",
            "a;id",
            "$(id)",
        ]
        .map(str::to_owned),
    );
    for (field, route) in ROUTES {
        for payload in &payloads {
            match route {
                Route::Checked(path) | Route::CheckedMesh(path) | Route::CheckedWith(_, path) => {
                    let changed;
                    let base = match route {
                        Route::CheckedMesh(_) => &mesh,
                        Route::CheckedWith(changes, _) => {
                            let changes: serde_json::Map<String, Value> =
                                serde_json::from_str(changes).unwrap();
                            let changes: Vec<(&str, Value)> = changes
                                .iter()
                                .map(|(path, value)| (path.as_str(), value.clone()))
                                .collect();
                            changed = with(&base, &changes).unwrap();
                            assert!(
                                !cephspray::check::has_errors(&cephspray::check_spec(&changed)),
                                "{field}: the base with {changes:?} has errors"
                            );
                            &changed
                        }
                        _ => &base,
                    };
                    let value = if path.ends_with(".device") {
                        // A path: what follows /dev/ is never an option.
                        if payload.starts_with('-') {
                            continue;
                        }
                        format!("/dev/{payload}")
                    } else {
                        payload.clone()
                    };
                    let spec = with(base, &[(path, json!(value))]).unwrap();
                    let found = cephspray::check_spec(&spec);
                    assert!(
                        found
                            .iter()
                            .any(|d| d.severity == cephspray::check::Severity::Error
                                && d.path == *path),
                        "{field}: {value:?} passes check ({found:?})"
                    );
                }
                Route::Typed(path) => {
                    assert!(
                        with(&base, &[(path, json!(payload))]).is_err(),
                        "{field}: {payload:?} loads"
                    );
                }
                Route::NotWritten => {}
            }
        }
    }
    let found = cephspray::check_spec(&with(&base, &[("extra_vars.all.{{x}}", json!(1))]).unwrap());
    assert!(
        found.iter().any(|d| d.path == "extra_vars.all.{{x}}"),
        "an extra variable's name is checked: {found:?}"
    );
}

/// Where a secret comes from never reaches a file: a payload as the variable's or the file's
/// name is nowhere in the output.
#[test]
fn secret_sources_are_not_written() {
    let lab = Lab::new();
    let name = lab.payload(Kind::Expression, "secret-source");
    std::fs::write(lab.path().join(name.replace('/', "_")), "a-password").unwrap();
    let spec = with(
        &fixture("five-nodes.yaml"),
        &[
            (
                "secrets.ceph_dashboard_admin_password",
                json!({ "env": name }),
            ),
            (
                "secrets.ceph_grafana_admin_password",
                json!({ "file": name.replace('/', "_") }),
            ),
        ],
    )
    .unwrap();
    let env = |_: &str| Some("a-password".to_owned());
    let inputs = cephspray::Inputs {
        vault_password: Some(common::VAULT_PASSWORD),
        spec_dir: lab.path(),
        env: &env,
        ..cephspray::Inputs::new("five.yaml")
    };
    let (tree, _) = cephspray::build(&spec, &inputs).unwrap();
    for (path, _) in tree.files() {
        let text = common::plaintext(&tree, path);
        assert!(
            !text.contains("secret-source"),
            "{path} names a secret source"
        );
    }
}

/// The values placed in five-nodes.yaml by [`injected`], for one kind of payload.
struct Injected {
    lab: Lab,
    dir: PathBuf,
    p: std::collections::BTreeMap<&'static str, String>,
}

const FIELDS: [&str; 22] = [
    "cluster",
    "ssh-address",
    "ssh-user",
    "crush-root",
    "crush-region",
    "crush-datacenter",
    "crush-room",
    "crush-pod",
    "crush-pdu",
    "crush-row",
    "crush-rack",
    "crush-chassis",
    "device",
    "partition",
    "pool",
    "rbd-pool",
    "fs",
    "subvolume-group",
    "storage-class",
    "kube-version",
    "dashboard-password",
    "grafana-password",
];

/// five-nodes.yaml with a payload in every string field that reaches an Ansible file, rendered
/// without `check` (which refuses them all) and written to a directory. Node names stay valid:
/// they are file names, which the output tree refuses otherwise.
fn injected(kind: Kind) -> Injected {
    let lab = Lab::new();
    let p: std::collections::BTreeMap<&'static str, String> = FIELDS
        .iter()
        .map(|field| (*field, lab.payload(kind, field)))
        .collect();
    let dev = |field: &str| format!("/dev/{}", p[field]);
    let mut changes: Vec<(&str, Value)> = vec![
        ("cluster.name", json!(p["cluster"])),
        ("nodes[0].ssh.address", json!(p["ssh-address"])),
        ("nodes[0].ssh.user", json!(p["ssh-user"])),
        ("nodes[3].ssh.address", json!(p["ssh-address"])),
        ("nodes[3].ssh.user", json!(p["ssh-user"])),
        ("nodes[3].disks[0].device", json!(dev("device"))),
        (
            "nodes[3].disks[2]",
            json!({ "device": dev("partition"), "size": "1TB", "type": "partition" }),
        ),
        ("ceph.pools[0].name", json!(p["pool"])),
        ("ceph.cephfs.data_pool", json!(p["pool"])),
        ("ceph.pools[2].name", json!(p["rbd-pool"])),
        ("kubernetes.storage[1].pool", json!(p["rbd-pool"])),
        ("ceph.cephfs.name", json!(p["fs"])),
        ("kubernetes.storage[0].fs", json!(p["fs"])),
        (
            "kubernetes.storage[0].subvolume_group",
            json!(p["subvolume-group"]),
        ),
        ("kubernetes.storage[0].name", json!(p["storage-class"])),
        ("kubernetes.storage[0].snapshots", json!(true)),
        ("kubernetes.version", json!(p["kube-version"])),
        (
            "secrets.ceph_dashboard_admin_password",
            json!({ "env": "DASHBOARD" }),
        ),
        (
            "secrets.ceph_grafana_admin_password",
            json!({ "env": "GRAFANA" }),
        ),
    ];
    let levels = [
        ("root", "crush-root"),
        ("region", "crush-region"),
        ("datacenter", "crush-datacenter"),
        ("room", "crush-room"),
        ("pod", "crush-pod"),
        ("pdu", "crush-pdu"),
        ("row", "crush-row"),
        ("rack", "crush-rack"),
        ("chassis", "crush-chassis"),
    ];
    let crush: Vec<(String, Value)> = levels
        .iter()
        .map(|(level, field)| (format!("nodes[3].crush.{level}"), json!(p[*field])))
        .collect();
    changes.extend(
        crush
            .iter()
            .map(|(path, value)| (path.as_str(), value.clone())),
    );
    let spec = with(&fixture("five-nodes.yaml"), &changes).unwrap();
    assert!(cephspray::check::has_errors(&cephspray::check_spec(&spec)));
    let plan = cephspray::plan::plan(&spec, "five.yaml");
    let mut tree = cephspray::render::render(&plan).unwrap();
    let env = |name: &str| match name {
        "DASHBOARD" => Some(p["dashboard-password"].clone()),
        "GRAFANA" => Some(p["grafana-password"].clone()),
        _ => None,
    };
    let inputs = cephspray::Inputs {
        vault_password: Some(common::VAULT_PASSWORD),
        env: &env,
        ..cephspray::Inputs::new("five.yaml")
    };
    let vault = cephspray::vault_file(&plan, &spec, &inputs).unwrap();
    tree.insert_private(cephspray::render::VAULT_PATH, vault);
    let dir = lab.path().join("inventory");
    materialize(&tree, &dir);
    Injected { lab, dir, p }
}

/// In every file Ansible loads as YAML, a line holding a payload is a comment or carries
/// `!unsafe` (the Helm values are read through from_yaml, which knows no tags, and are proved
/// by running the playbook).
fn assert_payloads_are_tagged_or_commented(case: &Injected) {
    for entry in walkdir::WalkDir::new(&case.dir) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(&case.dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !relative.ends_with(".yml") || relative.starts_with("ceph-csi/") {
            continue;
        }
        let mut text = std::fs::read_to_string(entry.path()).unwrap();
        if relative == cephspray::render::VAULT_PATH {
            let plain = cephspray::secrets::vault::decrypt(&text, common::VAULT_PASSWORD).unwrap();
            text = String::from_utf8(plain.to_vec()).unwrap();
        }
        for line in text.lines().filter(|l| l.contains("lookup('pipe'")) {
            assert!(
                line.trim_start().starts_with('#') || line.contains("!unsafe "),
                "{relative}: {line}"
            );
        }
    }
}

fn probe(case: &Injected) -> Value {
    let out_dir = case.lab.path().join("probe");
    std::fs::create_dir(&out_dir).unwrap();
    let playbook = case.lab.path().join("probe.yml");
    // Connect to every host (which templates ansible_host, ansible_user, ansible_port), then
    // template every one of its variables and write them out.
    std::fs::write(
        &playbook,
        "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n    \
         - ansible.builtin.copy:\n        content: \"{{ hostvars[inventory_hostname] | to_json }}\"\n        \
         dest: \"{{ probe_dir }}/{{ inventory_hostname }}.json\"\n",
    )
    .unwrap();
    let out = case
        .lab
        .ansible("ansible-playbook")
        .arg("-i")
        .arg(case.dir.join("hosts.yml"))
        .arg(&playbook)
        .args(local_connection())
        .arg("-e")
        .arg(format!("probe_dir={}", out_dir.display()))
        .output()
        .unwrap();
    succeeded(&out, "the probe playbook");
    let mut hosts = serde_json::Map::new();
    for entry in std::fs::read_dir(&out_dir).unwrap() {
        let path = entry.unwrap().path();
        let host = path.file_stem().unwrap().to_string_lossy().into_owned();
        let vars: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        hosts.insert(host, vars);
    }
    Value::Object(hosts)
}

/// Extra variables that run every play on this machine, as this user.
fn local_connection() -> Vec<String> {
    let python = common::ansible_tool("python3");
    [
        "ansible_connection=local".to_owned(),
        format!("ansible_python_interpreter={}", python.display()),
        "ansible_become=false".to_owned(),
    ]
    .into_iter()
    .flat_map(|e| ["-e".to_owned(), e])
    .collect()
}

/// What every host's variables must hold, templated or not.
fn assert_values_come_back_as_written(case: &Injected, hostvars: &Value, what: &str) {
    let p = |field: &str| Value::String(case.p[field].clone());
    let dev = |field: &str| Value::String(format!("/dev/{}", case.p[field]));
    for host in ["cp1", "storage1"] {
        let v = plain(&hostvars[host]);
        assert_eq!(
            v["ansible_host"],
            p("ssh-address"),
            "{what}: {host} ansible_host"
        );
        assert_eq!(
            v["ansible_user"],
            p("ssh-user"),
            "{what}: {host} ansible_user"
        );
    }
    let v = plain(&hostvars["storage1"]);
    let crush = &v["osd_crush_location"];
    for level in [
        "root",
        "region",
        "datacenter",
        "room",
        "pod",
        "pdu",
        "row",
        "rack",
        "chassis",
    ] {
        assert_eq!(
            crush[level],
            p(&format!("crush-{level}")),
            "{what}: crush {level}"
        );
    }
    assert_eq!(crush["host"], "storage1");
    assert_eq!(v["devices"][0], dev("device"), "{what}: devices");
    assert_eq!(
        v["lvm_volumes"][0]["data"],
        dev("partition"),
        "{what}: lvm_volumes"
    );
    assert_eq!(v["kube_version"], p("kube-version"), "{what}: kube_version");
    assert_eq!(v["cephfs"], p("fs"), "{what}: cephfs");
    assert_eq!(
        v["cephfs_data_pool"]["name"],
        p("pool"),
        "{what}: cephfs_data_pool"
    );
    assert_eq!(v["pools"][0]["name"], p("rbd-pool"), "{what}: client pools");
    let caps = v["keys"].to_string();
    for field in ["fs", "subvolume-group"] {
        let written = serde_json::to_string(&case.p[field]).unwrap();
        assert!(
            caps.contains(written.trim_matches('"')),
            "{what}: the CSI users' caps name {field} as written: {caps}"
        );
    }
    if v["cephfs_pools"][0].is_object() {
        // Templated on purpose (`{{ cephfs_data_pool }}`): the pool, its name as written.
        assert_eq!(
            v["cephfs_pools"][0]["name"],
            p("pool"),
            "{what}: cephfs_pools"
        );
    }
    for (var, field) in [
        ("dashboard_admin_password", "dashboard-password"),
        ("grafana_admin_password", "grafana-password"),
    ] {
        let value = &v[var];
        // Unread by ansible-inventory ({{ vault_… }}), read through the vault by a play.
        if value.as_str().is_some_and(|s| s.starts_with("{{ vault_")) {
            continue;
        }
        assert_eq!(*value, p(field), "{what}: {var} through the vault");
    }
    let secret = &v["vault_ceph_dashboard_admin_password"];
    assert_eq!(
        *secret,
        p("dashboard-password"),
        "{what}: the vault's own value"
    );
}

/// The payload kinds each in every field: `ansible-inventory`, a play that connects and
/// templates every variable, and both generated playbooks run with nothing templated.
#[test]
fn values_that_got_past_check_stay_data_in_ansible() {
    if !common::require_ansible(&["ansible-inventory", "ansible-playbook", "python3"]) {
        return;
    }
    std::thread::scope(|scope| {
        for kind in KINDS {
            scope.spawn(move || stays_data(kind));
        }
    });
}

fn stays_data(kind: Kind) {
    let case = injected(kind);
    let what = format!("{kind:?}");
    assert_payloads_are_tagged_or_commented(&case);
    let out = case
        .lab
        .ansible("ansible-inventory")
        .arg("-i")
        .arg(case.dir.join("hosts.yml"))
        .arg("--list")
        .output()
        .unwrap();
    let inventory: Value = serde_json::from_str(&succeeded(&out, "ansible-inventory")).unwrap();
    case.lab
        .assert_nothing_ran(&format!("{what}: ansible-inventory --list"));
    assert_values_come_back_as_written(&case, &inventory["_meta"]["hostvars"], &what);

    let templated = probe(&case);
    case.lab
        .assert_nothing_ran(&format!("{what}: every variable templated"));
    assert_values_come_back_as_written(&case, &templated, &what);

    run_pools_playbook(&case, &what);
    run_csi_playbook(&case, &what);
}

/// A fake executable or module that appends its arguments, as JSON, to `log`.
fn fake_script(path: &Path, log: &Path, body: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let python = common::ansible_tool("python3");
    std::fs::write(
        path,
        format!(
            "#!{}\nimport json, sys\nLOG = {:?}\n{body}\n",
            python.display(),
            log.display().to_string()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn logged(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// playbooks/ceph-pools.yml against a `ceph` that logs its argv: the pool's name reaches ceph
/// as one argument, as written, and the task names show it as written.
fn run_pools_playbook(case: &Injected, what: &str) {
    let bin = case.lab.path().join("fake-bin");
    let log = case.lab.path().join("ceph.log");
    fake_script(
        &bin.join("ceph"),
        &log,
        "open(LOG, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n\
         print(json.dumps({'min_size': 0, 'bulk': False, 'pg_autoscale_mode': 'warn'}))",
    );
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = case
        .lab
        .ansible("ansible-playbook")
        .arg("-i")
        .arg(case.dir.join("hosts.yml"))
        .arg(case.dir.join("playbooks/ceph-pools.yml"))
        .args(local_connection())
        .env("PATH", path)
        .output()
        .unwrap();
    let stdout = succeeded(&out, "playbooks/ceph-pools.yml");
    case.lab
        .assert_nothing_ran(&format!("{what}: playbooks/ceph-pools.yml"));
    let calls = logged(&log);
    for pool in [&case.p["pool"], &case.p["rbd-pool"]] {
        let get = json!(["osd", "pool", "get", pool, "min_size", "--format", "json"]);
        let set = json!(["osd", "pool", "set", pool, "min_size", "1"]);
        assert!(calls.contains(&get), "{what}: {get} not in {calls:?}");
        assert!(calls.contains(&set), "{what}: {set} not in {calls:?}");
        assert!(
            stdout.contains(&format!("Read min_size of pool {pool}")),
            "{what}: task names show the pool as written:\n{stdout}"
        );
    }
    assert!(calls.contains(&json!([
        "osd",
        "pool",
        "set",
        &case.p["pool"],
        "bulk",
        "true"
    ])));
}

/// playbooks/ceph-csi.yml against a fake kubernetes.core collection whose modules log their
/// arguments: the values Helm gets hold the names as written, and the key from the vault.
fn run_csi_playbook(case: &Injected, what: &str) {
    let collections = case.lab.path().join("collections");
    let modules = collections.join("ansible_collections/kubernetes/core/plugins/modules");
    let log = case.lab.path().join("helm.log");
    for module in ["helm", "helm_repository"] {
        fake_script(
            &modules.join(format!("{module}.py")),
            &log,
            &format!(
                "from ansible.module_utils.basic import _load_params\n\
                 params = {{k: v for k, v in _load_params().items() if not k.startswith('_ansible')}}\n\
                 open(LOG, 'a').write(json.dumps({{'module': '{module}', 'params': params}}) + '\\n')\n\
                 print(json.dumps({{'changed': False}}))\n\
                 sys.exit(0)"
            ),
        );
    }
    let kubectl = case.lab.path().join("fake-bin/kubectl");
    let applied = case.lab.path().join("kubectl.log");
    fake_script(
        &kubectl,
        &applied,
        "open(LOG, 'a').write(json.dumps({'argv': sys.argv[1:], 'stdin': sys.stdin.read()}) + '\\n')\n\
         print('volumesnapshotclass.snapshot.storage.k8s.io/x created')",
    );
    let out = case
        .lab
        .ansible("ansible-playbook")
        .arg("-i")
        .arg(case.dir.join("hosts.yml"))
        .arg(case.dir.join("playbooks/ceph-csi.yml"))
        .args(local_connection())
        .arg("-e")
        .arg(format!("cephspray_kubectl={}", kubectl.display()))
        .env("ANSIBLE_COLLECTIONS_PATH", &collections)
        .env("ANSIBLE_COLLECTIONS_SCAN_SYS_PATH", "false")
        .output()
        .unwrap();
    let stdout = succeeded(&out, "playbooks/ceph-csi.yml");
    case.lab
        .assert_nothing_ran(&format!("{what}: playbooks/ceph-csi.yml"));
    assert!(
        stdout.contains(&format!("(storage class {})", case.p["storage-class"])),
        "{what}: the task name shows the class as written:\n{stdout}"
    );
    let calls = logged(&log);
    let values = |chart: &str| {
        calls
            .iter()
            .find(|c| c["module"] == "helm" && c["params"]["name"] == chart)
            .unwrap_or_else(|| panic!("{what}: {chart} not installed: {calls:?}"))["params"]["values"]
            .clone()
    };
    let cephfs = values("ceph-csi-cephfs");
    assert_eq!(
        cephfs["storageClass"]["name"],
        case.p["storage-class"].as_str(),
        "{what}"
    );
    assert_eq!(
        cephfs["storageClass"]["fsName"],
        case.p["fs"].as_str(),
        "{what}"
    );
    assert_eq!(
        cephfs["csiConfig"][0]["cephFS"]["subvolumeGroup"],
        case.p["subvolume-group"].as_str(),
        "{what}"
    );
    let key = cephfs["secret"]["adminKey"].as_str().unwrap_or_default();
    assert!(
        cephspray::secrets::generate::is_cephx_key(key),
        "{what}: the key comes from the vault, templated on purpose: {key:?}"
    );
    let rbd = values("ceph-csi-rbd");
    assert_eq!(
        rbd["storageClass"]["pool"],
        case.p["rbd-pool"].as_str(),
        "{what}"
    );
    // The snapshot classes reach kubectl as written: one per class that asks for them, named
    // after it.
    let apply = logged(&applied);
    assert_eq!(apply.len(), 1, "{what}: kubectl apply once: {apply:?}");
    let names: Vec<String> = apply[0]["stdin"]
        .as_str()
        .unwrap()
        .split("\n---\n")
        .skip(1)
        .map(|doc| {
            let class: Value = serde_saphyr::from_str(doc).unwrap();
            class["metadata"]["name"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        names,
        [case.p["storage-class"].as_str(), "block"],
        "{what}: the snapshot classes' names"
    );
}

/// Every line break YAML or Ansible honours, in the cluster name (past `check`) and in the
/// spec's file name (which `check` does not see): the comments they are written in hold them,
/// and Ansible sees no variable they try to set.
#[test]
fn line_breaks_stay_inside_comments() {
    if !common::require_ansible(&["ansible-inventory"]) {
        return;
    }
    let lab = Lab::new();
    let breaks = [
        "\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}", "\u{b}", "\u{c}",
    ];
    let base = fixture("single-node-lab.yaml");
    let mut dirs = Vec::new();
    for (i, br) in breaks.iter().enumerate() {
        let evil = format!("lab{br}ansible_host: 6.6.6.6{br}injected_{i}: 1{br}#");
        let spec = with(&base, &[("cluster.name", json!(evil))]).unwrap();
        let source = format!("specs/{evil}.yaml");
        let plan = cephspray::plan::plan(&spec, &source);
        let tree = cephspray::render::render(&plan).unwrap();
        let dir = lab.path().join(format!("cluster-{i}"));
        materialize(&tree, &dir);
        dirs.push((format!("cluster name and file name with {br:?}"), dir));
        // The file name alone, through the public entry point that checks the spec.
        let (tree, _) = cephspray::build(&base, &cephspray::Inputs::new(&source)).unwrap();
        let dir = lab.path().join(format!("source-{i}"));
        materialize(&tree, &dir);
        dirs.push((format!("file name with {br:?}"), dir));
    }
    for (what, dir) in &dirs {
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                let path = entry.path().display();
                assert!(
                    !text.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}', '\u{b}', '\u{c}']),
                    "{what}: {path} holds a raw line break"
                );
                for line in text.lines() {
                    assert!(
                        !line.starts_with("ansible_host") && !line.starts_with("injected_"),
                        "{what}: {path}: {line}"
                    );
                }
            }
        }
        let out = Command::new(common::ansible_tool("ansible-inventory"))
            .arg("-i")
            .arg(dir.join("hosts.yml"))
            .arg("--host")
            .arg("lab1")
            .env("ANSIBLE_LOCAL_TEMP", lab.path().join("ansible-local"))
            .output()
            .unwrap();
        let vars: Value = serde_json::from_str(&succeeded(&out, what)).unwrap();
        assert_eq!(vars["ansible_host"], "10.0.0.10", "{what}");
        let injected: Vec<&String> = vars
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| k.starts_with("injected"))
            .collect();
        assert!(injected.is_empty(), "{what}: {injected:?}");
    }
}

/// The issue's own case, through the command line: a spec whose *file name* holds a line break
/// and a variable renders, and Ansible reads no such variable.
#[test]
fn a_spec_file_name_cannot_set_variables() {
    if !common::require_ansible(&["ansible-inventory"]) {
        return;
    }
    let lab = Lab::new();
    let name = "lab\nansible_host: 6.6.6.6\n#.yaml";
    let spec = lab.path().join(name);
    std::fs::copy(common::root().join("fixtures/single-node-lab.yaml"), &spec).unwrap();
    let dir = lab.path().join("inventory");
    let out = Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .arg("render")
        .arg(name)
        .arg("-o")
        .arg(&dir)
        .current_dir(lab.path())
        .env_remove("ANSIBLE_VAULT_PASSWORD_FILE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let header = std::fs::read_to_string(dir.join("hosts.yml")).unwrap();
    assert!(
        header.starts_with(
            "# Generated by cephspray from lab\\nansible_host: 6.6.6.6\\n#.yaml (cluster lab)."
        ),
        "{header}"
    );
    let out = Command::new(common::ansible_tool("ansible-inventory"))
        .arg("-i")
        .arg(dir.join("hosts.yml"))
        .arg("--host")
        .arg("lab1")
        .env("ANSIBLE_LOCAL_TEMP", lab.path().join("ansible-local"))
        .output()
        .unwrap();
    let vars: Value = serde_json::from_str(&succeeded(&out, "ansible-inventory")).unwrap();
    assert_eq!(vars["ansible_host"], "10.0.0.10");
}

/// The README is Markdown: a name cannot close its HTML comment, break out of a code span, add
/// a line, or smuggle a command into the line the reader copies.
#[test]
fn the_readme_shows_names_as_text() {
    let evil = "x --> <img src=x onerror=alert(1)> ``$(id)`\n# Owned";
    let spec = with(
        &fixture("single-node-lab.yaml"),
        &[("cluster.name", json!(evil))],
    )
    .unwrap();
    let source = format!("{evil}.yaml");
    let plan = cephspray::plan::plan(&spec, &source);
    let tree = cephspray::render::render(&plan).unwrap();
    let readme = tree.get("README.md").unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    assert!(
        lines[0].starts_with("<!-- ") && lines[0].ends_with(" -->"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[0].matches("-->").count(), 1, "{}", lines[0]);
    assert!(
        lines[1].starts_with("# Inventory of cluster x --\\> \\<img"),
        "{}",
        lines[1]
    );
    assert!(
        !readme.lines().any(|l| l.starts_with("# Owned")),
        "{readme}"
    );
    assert!(
        readme.contains(
            "```cephspray render 'x --> <img src=x onerror=alert(1)> ``$(id)`\\n# Owned.yaml' -o <this directory>```"
        ),
        "{readme}"
    );
}

/// extra_vars are where Jinja passes through on purpose (docs/security.md): Ansible templates
/// them, and check does not refuse a template there.
#[test]
fn extra_vars_are_templated_on_purpose() {
    if !common::require_ansible(&["ansible"]) {
        return;
    }
    let lab = Lab::new();
    let spec = with(
        &fixture("single-node-lab.yaml"),
        &[("extra_vars.all.probe_answer", json!("{{ 40 + 2 }}"))],
    )
    .unwrap();
    let (tree, _) = cephspray::build(&spec, &cephspray::Inputs::new("lab.yaml")).unwrap();
    let dir = lab.path().join("inventory");
    materialize(&tree, &dir);
    let out = lab
        .ansible("ansible")
        .arg("-i")
        .arg(dir.join("hosts.yml"))
        .arg("lab1")
        .args(["-m", "ansible.builtin.debug", "-a", "var=probe_answer"])
        .output()
        .unwrap();
    let stdout = succeeded(&out, "ansible debug");
    assert!(
        stdout.contains("\"probe_answer\": 42") || stdout.contains("\"probe_answer\": \"42\""),
        "{stdout}"
    );
}
