//! The conformance suite: what each node would get once kubespray and ceph-ansible run against a
//! rendered inventory, worked out by their own roles' defaults, templates, task files and modules
//! (tests/conformance/*.yml; docs/testing.md), and asserted against the spec's plan. Each fixture
//! runs against the pinned trees of the releases its spec's `targets` select (kubespray v2.31.0
//! or v2.30.0, ceph-ansible stable-9.0 or stable-8.0), each kubespray with the venv of its own
//! requirements. ceph-ansible's `ceph` calls go to a recorder (tests/conformance/stub);
//! tests/real_ceph.rs runs the same code against a real cluster.

mod common;

use cephspray::plan::{Host, Plan, PoolPg};
use cephspray::spec::{CephAnsibleRelease, KubesprayRelease, NetworkPlugin, Role};
use common::upstream::{self, available};
use common::{plaintext, render, valid_fixtures};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// A fixture rendered to disk with its plan.
struct Case {
    name: String,
    plan: Plan,
    tree: cephspray::output::Tree,
    _tmp: tempfile::TempDir,
    inventory: PathBuf,
    out: PathBuf,
}

impl Case {
    fn new(path: &Path) -> Self {
        let (spec, _) = cephspray::spec::load_file(path).unwrap();
        let plan = cephspray::plan::plan(&spec, "x");
        let tree = render(path);
        let tmp = tempfile::tempdir().unwrap();
        let inventory = tmp.path().join("inventory");
        cephspray::output::write(&tree, &inventory, false).unwrap();
        let out = tmp.path().join("effect");
        std::fs::create_dir_all(&out).unwrap();
        upstream::write_addresses(&plan, &out);
        Case {
            name: path.file_stem().unwrap().to_string_lossy().into_owned(),
            plan,
            tree,
            _tmp: tmp,
            inventory,
            out,
        }
    }

    fn file(&self, host: &str, name: &str) -> String {
        let path = self.out.join(host).join(name);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {} not written: {e}", self.name, path.display()))
    }

    fn json(&self, host: &str, name: &str) -> Value {
        serde_json::from_str(&self.file(host, name)).unwrap()
    }

    /// A YAML file of several documents, as JSON values.
    fn yaml_documents(&self, host: &str, name: &str) -> Vec<Value> {
        self.file(host, name)
            .split("\n---\n")
            .filter(|doc| !doc.trim().is_empty())
            .map(|doc| serde_saphyr::from_str(doc).unwrap())
            .collect()
    }

    fn in_group(&self, host: &Host, role: Role) -> bool {
        self.plan.members[&role].contains(&host.name)
    }

    /// The planned host of an inventory name.
    fn host(&self, name: &str) -> &Host {
        self.plan.hosts.iter().find(|h| h.name == name).unwrap()
    }

    fn first_control_plane(&self) -> &Host {
        self.host(&self.plan.members[&Role::ControlPlane][0])
    }
}

/// The valid fixtures, or only the one `CEPHSPRAY_CONFORMANCE_ONLY` names (by file stem).
fn fixtures() -> Vec<PathBuf> {
    let only = std::env::var("CEPHSPRAY_CONFORMANCE_ONLY").ok();
    let all = valid_fixtures();
    let chosen: Vec<PathBuf> = all
        .iter()
        .filter(|p| {
            only.as_ref()
                .is_none_or(|o| p.file_stem().unwrap() == o.as_str())
        })
        .cloned()
        .collect();
    assert!(
        !chosen.is_empty(),
        "CEPHSPRAY_CONFORMANCE_ONLY={only:?}: no such valid fixture"
    );
    chosen
}

/// Runs a tree's roles for a case, saying how long they took, and asserts they succeeded.
fn run_roles(case: &Case, tree: &str, run: impl FnOnce() -> std::process::Output) {
    eprintln!("conformance: {} against {tree}", case.name);
    let started = std::time::Instant::now();
    let out = run();
    eprintln!(
        "conformance: {} against {tree}: {:.1} s",
        case.name,
        started.elapsed().as_secs_f64()
    );
    succeeded(case, &format!("{tree}'s roles"), &out);
}

fn succeeded(case: &Case, what: &str, out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}: {what} failed:\n{}\n{}",
        case.name,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The words (identifiers) of an upstream tree's code: everything but its documentation, tests,
/// CI and sample inventories, which name variables without reading them.
fn words_of(tree: &Path) -> BTreeSet<String> {
    const SKIP: [&str; 8] = [
        ".github",
        ".gitlab-ci",
        "contrib",
        "docs",
        "inventory",
        "test-infra",
        "tests",
        "logo",
    ];
    let mut words = BTreeSet::new();
    let mut dirs = vec![tree.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy();
            if path.is_dir() {
                if !SKIP.contains(&name.as_ref()) {
                    dirs.push(path);
                }
            } else if !name.ends_with(".md") {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                words.extend(words_in(&text));
            }
        }
    }
    words
}

/// The words (identifiers) of a text.
fn words_in(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
}

/// The words of the playbooks cephspray renders beside the inventory (`playbooks/`), which read
/// cephspray's own variables (the mesh's `cephspray_wireguard_private_key`, in `host_vars/`).
fn words_of_playbooks(case: &Case) -> BTreeSet<String> {
    case.tree
        .files()
        .filter(|(p, _)| p.starts_with("playbooks/"))
        .flat_map(|(p, _)| words_in(&plaintext(&case.tree, p)).collect::<Vec<_>>())
        .collect()
}

/// Every top-level variable of the rendered `files` is named in the code of one of `trees`: a
/// variable a release does not know is silently ignored by Ansible, and whatever the inventory
/// meant by it does not happen.
fn variables_known(case: &Case, files: &[String], trees: &[&BTreeSet<String>], what: &str) {
    assert!(!files.is_empty(), "{}: no files to check", case.name);
    for file in files {
        let text = plaintext(&case.tree, file);
        let vars = match serde_saphyr::from_str::<Value>(&text) {
            Ok(Value::Object(vars)) => vars,
            Ok(Value::Null) => continue,
            other => panic!("{}: {file} is not a mapping: {other:?}", case.name),
        };
        for var in vars.keys() {
            assert!(
                trees.iter().any(|t| t.contains(var)),
                "{}: {file} sets `{var}`, which nothing in {what} reads: Ansible ignores it",
                case.name
            );
        }
    }
}

/// The rendered files whose path starts with `prefix` and ends with `suffix`, extra variables
/// (the user's own) aside.
fn rendered(case: &Case, prefix: &str, suffix: &str) -> Vec<String> {
    case.tree
        .files()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with(prefix) && p.ends_with(suffix) && !p.ends_with("extra-vars.yml"))
        .map(str::to_owned)
        .collect()
}

/// The documents of a kubeadm file, by kind.
fn by_kind(docs: Vec<Value>) -> BTreeMap<String, Value> {
    docs.into_iter()
        .map(|d| (d["kind"].as_str().unwrap().to_owned(), d))
        .collect()
}

/// A component's `extraArgs` (kubeadm v1beta4: a list of name/value pairs), by name.
fn extra_args(component: &Value) -> Vec<(String, String)> {
    component["extraArgs"]
        .as_array()
        .map(|args| {
            args.iter()
                .map(|a| {
                    (
                        a["name"].as_str().unwrap().to_owned(),
                        a["value"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn arg<'a>(args: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    args.iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

const CLUSTER_INFO: &str = "/api/v1/namespaces/kube-public/configmaps/cluster-info";

/// The kubeadm API every release writes for the Kubernetes versions it installs (v2.30 picks it
/// with `kubeadm_config_api_version`: v1beta4 from 1.31 on, and it installs 1.32 to 1.34).
const KUBEADM_API: &str = "kubeadm.k8s.io/v1beta4";

/// What the API server does with anonymous requests, as each release's kubeadm template and
/// tasks make it.
fn anonymous_auth(case: &Case, host: &Host, cp: &Value, api: &[(String, String)], server: &Value) {
    let (name, h) = (&case.name, host.name.as_str());
    let written: Vec<String> = std::fs::read_dir(case.out.join(h))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with("apiserver-authentication-config-"))
        .collect();
    let volumes: Vec<&Value> = server["extraVolumes"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter(|v| v["name"] == "authentication-config")
                .collect()
        })
        .unwrap_or_default();
    match case.plan.targets.kubespray {
        KubesprayRelease::V2_31 => {
            // The structured authentication configuration: anonymous requests only on the
            // conditions' paths, every other anonymous request refused with 401.
            let [file] = &written[..] else {
                panic!("{name} {h}: one AuthenticationConfiguration written, got {written:?}")
            };
            let path = format!("/etc/kubernetes/{file}");
            assert_eq!(
                arg(api, "authentication-config"),
                [path.as_str()],
                "{name} {h}"
            );
            assert_eq!(
                volumes.iter().map(|v| &v["hostPath"]).collect::<Vec<_>>(),
                [&Value::from(path.as_str())],
                "{name} {h}: the file is mounted into the API server's pod"
            );
            assert!(
                arg(api, "anonymous-auth").is_empty(),
                "{name} {h}: the API server refuses --anonymous-auth beside an anonymous section"
            );
            assert_eq!(cp["kube_apiserver_use_authentication_config_file"], true);
            let authn: Value = serde_saphyr::from_str(&case.file(h, file)).unwrap();
            let paths: Vec<&str> = authn["anonymous"]["conditions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["path"].as_str().unwrap())
                .collect();
            assert_eq!(authn["anonymous"]["enabled"], true);
            assert_eq!(
                paths,
                ["/livez", "/readyz", "/healthz", CLUSTER_INFO],
                "{name} {h}: anonymous requests only for health checks and kubeadm's discovery \
                 read"
            );
        }
        KubesprayRelease::V2_30 => {
            // No structured authentication configuration in v2.30: kubespray's default
            // --anonymous-auth stays (anonymous requests are authenticated on every path and
            // RBAC decides; with remove_anonymous_access, kubeadm's cluster-info read gets 403,
            // which its file discovery accepts).
            assert_eq!(
                arg(api, "anonymous-auth"),
                ["True"],
                "{name} {h}: kubespray v2.30's default kube_api_anonymous_auth"
            );
            assert_eq!(cp["kube_api_anonymous_auth"], true, "{name} {h}");
            assert!(
                arg(api, "authentication-config").is_empty() && volumes.is_empty(),
                "{name} {h}: kubespray v2.30 writes no authentication configuration"
            );
            assert!(written.is_empty(), "{name} {h}: {written:?}");
            assert_eq!(
                cp["kube_apiserver_use_authentication_config_file"],
                Value::Null,
                "{name} {h}: kubespray v2.30 has no such variable; the inventory must not set it"
            );
        }
    }
}

#[test]
fn kubespray_gives_every_node_what_the_spec_says() {
    if !available() {
        return;
    }
    let mut words: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for path in fixtures() {
        let case = Case::new(&path);
        let release = case.plan.targets.kubespray;
        let tree = upstream::kubespray(release);
        let ceph_ansible = upstream::ceph_ansible(case.plan.targets.ceph_ansible);
        run_roles(&case, tree.dir, || {
            upstream::run_kubespray(release, &case.inventory, &case.out)
        });
        for t in [&tree, &ceph_ansible] {
            words.entry(t.dir).or_insert_with(|| words_of(&t.path()));
        }
        variables_known(
            &case,
            &rendered(&case, "group_vars/k8s_cluster/", ".yml"),
            &[&words[tree.dir]],
            tree.dir,
        );
        variables_known(
            &case,
            &rendered(&case, "host_vars/", ".yml"),
            &[
                &words[tree.dir],
                &words[ceph_ansible.dir],
                &words_of_playbooks(&case),
            ],
            &format!(
                "{}, {} or cephspray's playbooks",
                tree.dir, ceph_ansible.dir
            ),
        );
        let first = case.first_control_plane();
        let name = &case.name;
        let vip = case.plan.kubernetes.addons.vip.as_ref();
        apps(&case, first);
        snapshot_classes(&case, first);
        for host in &case.plan.hosts {
            let h = host.name.as_str();
            let k8s = case.in_group(host, Role::ControlPlane) || case.in_group(host, Role::Worker);
            if k8s {
                kubelet(&case, host);
                let node = case.json(h, "node.json");
                match vip {
                    None => assert_eq!(
                        node["nginx_proxy_written"], !host.control_plane,
                        "{name} {h}: the nginx-proxy static pod is for workers only; on a \
                         control plane it would sit in /etc/kubernetes/manifests before kubeadm \
                         join"
                    ),
                    Some(vip) => assert_eq!(
                        node["nginx_proxy_written"], false,
                        "{name} {h}: with the API servers behind {} (loadbalancer_apiserver), \
                         kubespray writes no localhost proxy",
                        vip.address
                    ),
                }
                kube_vip(&case, host, &node);
                calico(&case, host, &node);
            }
            if host.control_plane {
                control_plane(&case, host, first);
            } else if case.in_group(host, Role::Worker) {
                let worker = case.json(h, "worker.json");
                match vip {
                    None => assert_eq!(
                        worker["kubeadm_discovery_address"],
                        format!("{}:6443", first.address),
                        "{name} {h}: a worker joins through the first control plane's private \
                         address"
                    ),
                    Some(vip) => {
                        let endpoint = format!("{}:{}", vip.address, vip.port);
                        assert_eq!(
                            worker["kubeadm_discovery_address"], endpoint,
                            "{name} {h}: a worker joins through the virtual IP"
                        );
                        assert_eq!(
                            worker["kube_apiserver_endpoint"],
                            format!("https://{endpoint}"),
                            "{name} {h}: a worker's API endpoint is the virtual IP"
                        );
                    }
                }
                assert_eq!(
                    worker["kubelet_server_external_lb"],
                    vip.is_some(),
                    "{name} {h}: kubeadm/tasks/main.yml points the kubelet's kubeconfig at the \
                     virtual IP, and only with one"
                );
                let client = by_kind(case.yaml_documents(h, "kubeadm-client.conf"));
                assert_eq!(
                    client["JoinConfiguration"]["apiVersion"], KUBEADM_API,
                    "{name} {h}"
                );
                discovery(&case, host, &client["JoinConfiguration"]);
                assert_eq!(
                    client["JoinConfiguration"]["nodeRegistration"]["name"],
                    host.name.as_str()
                );
            }
            if case.in_group(host, Role::Etcd) {
                etcd(&case, host);
                let retention = case.json(h, "etcd.json")["etcd_backup_retention_count"].clone();
                let keep = case.plan.kubernetes.addons.etcd_backup.as_ref();
                assert_eq!(
                    retention,
                    keep.map_or(-1, |b| i64::from(b.keep)),
                    "{name} {h}: the backups etcd's role keeps before a restart (kubespray's -1, \
                     all of them, without scheduled backups)"
                );
            }
        }
    }
}

/// A joining node's discovery: file discovery (anonymous access removed) through a kubeconfig
/// kubespray writes, which only works if kubeadm's unauthenticated cluster-info read is answered
/// 403 (see the control plane's AuthenticationConfiguration).
fn discovery(case: &Case, host: &Host, join: &Value) {
    let file = &join["discovery"]["file"]["kubeConfigPath"];
    assert_eq!(
        file, "/etc/kubernetes/cluster-info-discovery-kubeconfig.yaml",
        "{} {}: file discovery, as remove_anonymous_access asks",
        case.name, host.name
    );
    assert!(join["discovery"].get("bootstrapToken").is_none());
}

fn control_plane(case: &Case, host: &Host, first: &Host) {
    let (name, h) = (&case.name, host.name.as_str());
    let cp = case.json(h, "control-plane.json");
    assert_eq!(cp["main_ip"], host.address.as_str(), "{name} {h}: main_ip");
    assert_eq!(
        cp["kube_apiserver_address"],
        host.address.as_str(),
        "{name} {h}: the API server advertises the private address"
    );
    assert_eq!(
        cp["kube_apiserver_bind_address"], "::",
        "{name} {h}: kubespray's own bind address, which its join flow is built for"
    );
    let vip = case.plan.kubernetes.addons.vip.as_ref();
    let vip_endpoint = vip.map(|v| format!("{}:{}", v.address, v.port));
    match &vip_endpoint {
        None => assert_eq!(
            cp["kube_apiserver_endpoint"], "https://127.0.0.1:6443",
            "{name} {h}: a control plane reaches its own API server on loopback (kubespray \
             v2.30's kubeadm-fix-apiserver.yml also writes it into the control plane's \
             kubeconfigs)"
        ),
        Some(endpoint) => assert_eq!(
            cp["kube_apiserver_endpoint"],
            format!("https://{endpoint}"),
            "{name} {h}: with loadbalancer_apiserver, every node's API endpoint is the virtual IP"
        ),
    }
    assert_eq!(
        cp["loadbalancer_apiserver_localhost"],
        vip.is_none(),
        "{name} {h}: kubespray's localhost proxy, only without a virtual IP"
    );
    assert_eq!(
        cp["kubeadm_config_api_fqdn"],
        vip.map_or(Value::Null, |v| Value::from(v.address.as_str())),
        "{name} {h}: kubeadm-setup.yml's kubeadm_config_api_fqdn (apiserver_loadbalancer_domain_name, \
         which is the address itself: no name, no /etc/hosts entry)"
    );
    let sans: Vec<&str> = cp["apiserver_sans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut must_name: Vec<&str> = case
        .plan
        .hosts
        .iter()
        .filter(|o| o.control_plane)
        .map(|o| o.address.as_str())
        .collect();
    must_name.extend(vip.map(|v| v.address.as_str()));
    for address in &must_name {
        assert!(
            sans.contains(address),
            "{name} {h}: the API server certificate names {address}"
        );
    }
    assert_eq!(
        cp["kubeadm_config_template"], "kubeadm-config.v1beta4.yaml.j2",
        "{name} {h}: the template kubeadm-setup.yml renders for this Kubernetes version"
    );
    let init = by_kind(case.yaml_documents(h, "kubeadm-config.yaml"));
    for kind in ["InitConfiguration", "ClusterConfiguration"] {
        assert_eq!(init[kind]["apiVersion"], KUBEADM_API, "{name} {h}: {kind}");
    }
    assert_eq!(
        init["InitConfiguration"]["localAPIEndpoint"]["advertiseAddress"],
        host.address.as_str()
    );
    let cluster = &init["ClusterConfiguration"];
    match &vip_endpoint {
        None if host.name == first.name => assert_eq!(
            cluster["controlPlaneEndpoint"],
            format!("{}:6443", first.address),
            "{name} {h}: the cluster's endpoint (from `kubeadm init` on the first control plane) \
             is its private address"
        ),
        None => {}
        Some(endpoint) => assert_eq!(
            cluster["controlPlaneEndpoint"],
            endpoint.as_str(),
            "{name} {h}: the cluster's endpoint is the virtual IP (and so the server of the \
             cluster-info kubeconfig every joining node discovers through)"
        ),
    }
    let cert_sans: Vec<&str> = cluster["apiServer"]["certSANs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for address in &must_name {
        assert!(
            cert_sans.contains(address),
            "{name} {h}: kubeadm-config.yaml's certSANs name {address}"
        );
    }
    strict_arp(case, host, &cp, &init);
    let api = extra_args(&cluster["apiServer"]);
    assert_eq!(arg(&api, "bind-address"), ["::"], "{name} {h}");
    assert_eq!(
        arg(&api, "authorization-mode"),
        ["Node,RBAC"],
        "{name} {h}: RBAC on"
    );
    anonymous_auth(case, host, &cp, &api, &cluster["apiServer"]);
    for component in ["controllerManager", "scheduler"] {
        assert_eq!(
            arg(&extra_args(&cluster[component]), "bind-address"),
            ["127.0.0.1"],
            "{name} {h}: {component} on loopback"
        );
    }
    let etcd_endpoints: Vec<String> = cluster["etcd"]["external"]["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = case.plan.members[&Role::Etcd]
        .iter()
        .map(|m| {
            let member = case.host(m);
            format!("https://{}:2379", member.address)
        })
        .collect();
    assert_eq!(
        etcd_endpoints, expected,
        "{name} {h}: etcd on private addresses"
    );
    assert!(
        !case.out.join(h).join("patches").exists(),
        "{name} {h}: no kubeadm patches"
    );

    assert_eq!(cp["remove_anonymous_access"], true);
    assert_eq!(cp["kubeadm_use_file_discovery"], true);

    if host.name != first.name {
        let wait = &cp["join_waits_on"];
        let waits_on = vip.map_or(first.address.as_str(), |v| v.address.as_str());
        assert_eq!(
            (wait["host"].as_str(), wait["port"].as_str()),
            (Some(waits_on), Some("6443")),
            "{name} {h}: a joining control plane waits for the first one's API server, which \
             is up, not for its own, which is not (behind the virtual IP, which the first one \
             holds, when there is one)"
        );
        let join = by_kind(case.yaml_documents(h, "kubeadm-controlplane.yaml"));
        let join = &join["JoinConfiguration"];
        assert_eq!(join["apiVersion"], KUBEADM_API, "{name} {h}");
        discovery(case, host, join);
        assert_eq!(
            join["controlPlane"]["localAPIEndpoint"]["advertiseAddress"],
            host.address.as_str()
        );
    }
}

/// What VXLAN adds to each packet over IPv4: the outer IP (20) and UDP (8) headers, the VXLAN
/// header (8) and the inner Ethernet header (14).
const VXLAN_OVERHEAD: u16 = 50;

/// The one interface name a Calico `interface=` pattern matches, when it matches exactly one:
/// anchored (`^…$`; Calico splits the value on commas and matches each part as a regular
/// expression, so unanchored `wg0` would also take `wg01` or `xwg0`), each character literal,
/// and the characters of an interface name that a regular expression reads otherwise (`.`, `+`)
/// escaped or in a class of their own.
fn exact_interface(pattern: &str) -> Option<String> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    let mut name = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => name.push(chars.next().filter(|c| matches!(c, '.' | '+'))?),
            '[' => {
                name.push(chars.next().filter(|c| matches!(c, '.' | '+'))?);
                if chars.next() != Some(']') {
                    return None;
                }
            }
            c if c.is_ascii_alphanumeric() || matches!(c, '_' | '=' | '-') => name.push(c),
            _ => return None,
        }
    }
    Some(name)
}

/// The env of a container of the calico-node DaemonSet, by name: literal values, or the JSON of
/// a `valueFrom`.
fn container_env(ds: &Value, list: &str, container: &str) -> BTreeMap<String, Value> {
    let containers = ds["spec"]["template"]["spec"][list].as_array().unwrap();
    let c = containers
        .iter()
        .find(|c| c["name"] == container)
        .unwrap_or_else(|| panic!("calico-node has no {list} {container}"));
    c["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let name = e["name"].as_str().unwrap().to_owned();
            let value = e
                .get("value")
                .cloned()
                .unwrap_or_else(|| e["valueFrom"].clone());
            (name, value)
        })
        .collect()
}

/// Calico's address and MTUs, as its real templates (calico-config.yml.j2, calico-node.yml.j2)
/// make them from the inventory and kubespray's defaults. With a WireGuard mesh: each node's
/// address on the mesh interface, and the tunnel's MTU less VXLAN's overhead for the pods (VXLAN
/// being kubespray's default backend); without one, kubespray's defaults: the address that
/// reaches the kubelet's node IP (the private address, see `kubelet`), Calico's own MTU.
fn calico(case: &Case, host: &Host, node: &Value) {
    let (name, h) = (&case.name, host.name.as_str());
    let calico_vars = ["calico_ip_auto_method", "calico_mtu", "calico_veth_mtu"];
    if case.plan.kubernetes.network_plugin != NetworkPlugin::Calico {
        assert_ne!(node["kube_network_plugin"], "calico", "{name} {h}");
        for var in calico_vars {
            assert_eq!(node[var], Value::Null, "{name} {h}: {var} without Calico");
        }
        return;
    }
    assert_eq!(node["kube_network_plugin"], "calico", "{name} {h}");
    let manifest = |file: &str| -> Value {
        serde_saphyr::from_str(&case.file(h, file)).unwrap_or_else(|e| {
            panic!("{name} {h}: {file} is not valid YAML, kubectl apply would refuse it: {e}")
        })
    };
    let config = manifest("calico-config.yml");
    let cni: Value =
        serde_json::from_str(config["data"]["cni_network_config"].as_str().unwrap()).unwrap();
    let cni = &cni["plugins"][0];
    assert_eq!(cni["type"], "calico", "{name} {h}");
    let ds = manifest("calico-node.yml");
    let env = container_env(&ds, "containers", "calico-node");
    let install = container_env(&ds, "initContainers", "install-cni");
    // The backend, whose encapsulation the MTU leaves room for: kubespray's default, VXLAN on
    // every path (not CrossSubnet, which would leave traffic within the private network
    // unencapsulated), no IP-in-IP, no Calico WireGuard of its own.
    assert_eq!(
        (
            &node["calico_network_backend"],
            &node["calico_vxlan_mode"],
            &node["calico_ipip_mode"],
            &node["calico_wireguard_enabled"]
        ),
        (
            &Value::from("vxlan"),
            &Value::from("Always"),
            &Value::from("Never"),
            &Value::from(false)
        ),
        "{name} {h}: Calico's backend is kubespray's default, VXLAN"
    );
    assert_eq!(config["data"]["calico_backend"], "vxlan", "{name} {h}");
    assert!(env.contains_key("FELIX_VXLANVNI"), "{name} {h}");
    const FELIX_MTUS: [&str; 3] = ["FELIX_VXLANMTU", "FELIX_IPINIPMTU", "FELIX_WIREGUARDMTU"];
    match &case.plan.network.mesh {
        Some(mesh) => {
            let method = env["IP_AUTODETECTION_METHOD"].as_str().unwrap_or_default();
            assert_eq!(
                method
                    .strip_prefix("interface=")
                    .and_then(exact_interface)
                    .as_deref(),
                Some(mesh.interface.as_str()),
                "{name} {h}: calico-node takes its address on the mesh interface, and only \
                 there (IP_AUTODETECTION_METHOD `{method}`)"
            );
            assert_eq!(
                node["calico_ip_auto_method"], method,
                "{name} {h}: the inventory's autodetection method"
            );
            assert!(!env.contains_key("NODEIP"), "{name} {h}");
            let mtu = mesh.mtu - VXLAN_OVERHEAD;
            for var in FELIX_MTUS {
                assert_eq!(
                    env.get(var),
                    Some(&Value::from(mtu.to_string())),
                    "{name} {h}: {var} is the tunnel's {} less VXLAN's {VXLAN_OVERHEAD}",
                    mesh.mtu
                );
            }
            assert_eq!(
                install.get("CNI_MTU"),
                Some(&Value::from(mtu.to_string())),
                "{name} {h}: install-cni's MTU"
            );
            assert_eq!(
                cni["mtu"], mtu,
                "{name} {h}: the CNI configuration's MTU (written only when calico_mtu is a \
                 number)"
            );
        }
        None => {
            assert_eq!(node["calico_ip_auto_method"], Value::Null, "{name} {h}");
            assert_eq!(
                env["IP_AUTODETECTION_METHOD"], "can-reach=$(NODEIP)",
                "{name} {h}: kubespray's default autodetection"
            );
            assert_eq!(
                env["NODEIP"]["fieldRef"]["fieldPath"], "status.hostIP",
                "{name} {h}"
            );
            for var in ["calico_mtu", "calico_veth_mtu"] {
                assert_eq!(node[var], Value::Null, "{name} {h}: {var}");
            }
            for var in FELIX_MTUS {
                assert!(!env.contains_key(var), "{name} {h}: {var} set");
            }
            assert!(!install.contains_key("CNI_MTU"), "{name} {h}");
            assert!(cni.get("mtu").is_none(), "{name} {h}: {cni}");
        }
    }
}

fn kubelet(case: &Case, host: &Host) {
    let (name, h) = (&case.name, host.name.as_str());
    let config: Value = serde_saphyr::from_str(&case.file(h, "kubelet-config.yaml")).unwrap();
    assert_eq!(
        config["address"],
        host.address.as_str(),
        "{name} {h}: kubelet address"
    );
    assert_eq!(config["authentication"]["anonymous"]["enabled"], false);
    assert_eq!(config["authentication"]["webhook"]["enabled"], true);
    assert_eq!(config["authorization"]["mode"], "Webhook");
    let env = case.file(h, "kubelet.env");
    assert!(
        env.contains(&format!("--node-ip={}", host.address)),
        "{name} {h}: node IP is the private address:\n{env}"
    );
}

fn etcd(case: &Case, host: &Host) {
    let (name, h) = (&case.name, host.name.as_str());
    let etcd = case.json(h, "etcd.json");
    let text = etcd["etcd.env"].as_str().unwrap();
    let env: BTreeMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
    let a = &host.address;
    assert_eq!(
        env["ETCD_LISTEN_CLIENT_URLS"],
        format!("https://{a}:2379,https://127.0.0.1:2379"),
        "{name} {h}"
    );
    assert_eq!(env["ETCD_LISTEN_PEER_URLS"], format!("https://{a}:2380"));
    assert_eq!(
        env["ETCD_ADVERTISE_CLIENT_URLS"],
        format!("https://{a}:2379")
    );
    for member in &case.plan.members[&Role::Etcd] {
        let address = &case.host(member).address;
        assert!(
            env["ETCD_INITIAL_CLUSTER"].contains(&format!("=https://{address}:2380")),
            "{name} {h}: etcd peer {member} at its private address"
        );
    }
}

/// One recorded call: the program, then its words without connection options.
fn commands(case: &Case) -> Vec<Vec<String>> {
    let log = std::fs::read_to_string(case.out.join("ceph-commands.jsonl")).unwrap_or_default();
    log.lines()
        .map(|line| {
            let all: Vec<String> = serde_json::from_str(line).unwrap();
            let mut words = vec![all[0].clone()];
            let mut skip = false;
            for word in &all[1..] {
                if skip {
                    skip = false;
                } else if ["-n", "-k", "--cluster", "-f", "--format"].contains(&word.as_str()) {
                    skip = true;
                } else if !word.starts_with("--format=") {
                    words.push(word.clone());
                }
            }
            words
        })
        .collect()
}

fn starts(command: &[String], prefix: &[&str]) -> bool {
    command.len() >= prefix.len() && command.iter().zip(prefix).all(|(a, b)| a == b)
}

#[test]
fn ceph_ansible_builds_the_cluster_the_spec_describes() {
    if !available() {
        return;
    }
    let mut words: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for path in fixtures() {
        let case = Case::new(&path);
        let release = case.plan.targets.ceph_ansible;
        let tree = upstream::ceph_ansible(release);
        run_roles(&case, tree.dir, || {
            upstream::run_ceph_ansible(release, &case.inventory, &case.out, &[], true)
        });
        let known = words
            .entry(tree.dir)
            .or_insert_with(|| words_of(&tree.path()));
        variables_known(
            &case,
            &rendered(&case, "group_vars/", "/ceph.yml"),
            &[known],
            tree.dir,
        );
        let commands = commands(&case);
        ceph_release(&case, release);
        ceph_conf(&case);
        crush_tree(&case, &commands);
        pools(&case, &commands);
        users(&case, &commands);
        let fs_new: Vec<&Vec<String>> = commands
            .iter()
            .filter(|c| starts(c, &["ceph", "fs", "new"]))
            .collect();
        match &case.plan.ceph.cephfs {
            Some(fs) => assert_eq!(
                fs_new,
                [&vec![
                    "ceph".to_owned(),
                    "fs".into(),
                    "new".into(),
                    fs.name.clone(),
                    fs.metadata_pool.name.clone(),
                    fs.data_pool.name.clone()
                ]],
                "{}",
                case.name
            ),
            None => assert!(fs_new.is_empty()),
        }
    }
}

/// The Ceph release the branch's defaults and the inventory select, which ceph-validate's
/// check_repository.yml accepted (it accepts one release per branch, with the community
/// repository).
fn ceph_release(case: &Case, release: CephAnsibleRelease) {
    let expected = match release {
        CephAnsibleRelease::Stable9_0 => ("squid", 19),
        CephAnsibleRelease::Stable8_0 => ("reef", 18),
    };
    for host in &case.plan.hosts {
        let got = case.json(&host.name, "release.json");
        assert_eq!(
            (&got["ceph_stable_release"], &got["ceph_release_num"]),
            (&Value::from(expected.0), &Value::from(expected.1)),
            "{} {}: the Ceph release ceph-ansible {release:?} installs",
            case.name,
            host.name
        );
        assert_eq!(
            (&got["ceph_origin"], &got["ceph_repository"]),
            (&Value::from("repository"), &Value::from("community")),
            "{} {}: the community repository, whose release check_repository.yml checks",
            case.name,
            host.name
        );
    }
}

fn ceph_conf(case: &Case) {
    let monitors: Vec<&Host> = case.plan.members[&Role::Mon]
        .iter()
        .map(|m| case.host(m))
        .collect();
    let mon_host = monitors
        .iter()
        .map(|m| format!("[v2:{0}:3300,v1:{0}:6789]", m.address))
        .collect::<Vec<_>>()
        .join(",");
    for host in &case.plan.hosts {
        let conf = case.file(&host.name, "ceph.conf");
        let global: BTreeMap<&str, &str> = conf
            .split("\n[")
            .next()
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once(" = "))
            .collect();
        let name = format!("{} {}", case.name, host.name);
        assert_eq!(global["fsid"], case.plan.ceph.fsid, "{name}");
        assert_eq!(
            global["mon host"], mon_host,
            "{name}: monitors on private addresses"
        );
        assert_eq!(
            global["osd_pool_default_size"],
            case.plan.ceph.size.to_string(),
            "{name}"
        );
        assert_eq!(
            global["osd_pool_default_min_size"],
            case.plan.ceph.min_size.to_string(),
            "{name}"
        );
    }
    let first = &case.plan.members[&Role::Mon][0];
    let db = case.json(first, "mon-config-db.json");
    assert_eq!(db["public_network"], case.plan.network.private.as_str());
    let cluster = case
        .plan
        .network
        .ceph_cluster
        .as_ref()
        .unwrap_or(&case.plan.network.private);
    assert_eq!(db["cluster_network"], cluster.as_str());
}

/// Applies the recorded `osd crush add-bucket` / `osd crush move` calls to a tree that starts as
/// a new cluster's (root `default`), and checks that every OSD host ends under its location.
fn crush_tree(case: &Case, commands: &[Vec<String>]) {
    let mut kind: BTreeMap<String, String> = BTreeMap::from([("default".into(), "root".into())]);
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    for c in commands {
        if starts(c, &["ceph", "osd", "crush", "add-bucket"]) {
            kind.insert(c[4].clone(), c[5].clone());
        } else if starts(c, &["ceph", "osd", "crush", "move"]) {
            let (_, to) = c[5].split_once('=').unwrap();
            parent.insert(c[4].clone(), to.to_owned());
        }
    }
    for host in case
        .plan
        .hosts
        .iter()
        .filter(|h| case.in_group(h, Role::Osd))
    {
        if host.crush_location.is_empty() {
            continue;
        }
        let mut ancestry = Vec::new();
        let mut node = host.crush_location["host"].clone();
        while let Some(up) = parent.get(&node) {
            ancestry.push((kind[up].clone(), up.clone()));
            node = up.clone();
        }
        // From the host's parent up, as ceph_crush orders a location by bucket type.
        let mut expected: Vec<(String, String)> = host
            .crush_location
            .iter()
            .filter(|(k, _)| *k != "host")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        expected.sort_by_key(|(k, _)| CRUSH_TYPES.iter().position(|t| t == k));
        assert_eq!(
            ancestry, expected,
            "{} {}: CRUSH location after ceph-osd's crush_rules.yml",
            case.name, host.name
        );
    }
}

/// Ceph's default bucket types, bottom up.
const CRUSH_TYPES: [&str; 11] = [
    "osd",
    "host",
    "chassis",
    "rack",
    "row",
    "pdu",
    "pod",
    "room",
    "datacenter",
    "zone",
    "root",
];

fn pools(case: &Case, commands: &[Vec<String>]) {
    let created: Vec<&Vec<String>> = commands
        .iter()
        .filter(|c| starts(c, &["ceph", "osd", "pool", "create"]))
        .collect();
    let mut names: Vec<&str> = created.iter().map(|c| c[4].as_str()).collect();
    let mut expected: Vec<&str> = case
        .plan
        .ceph
        .pools
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    names.sort();
    expected.sort();
    assert_eq!(
        names, expected,
        "{}: exactly the spec's pools are created",
        case.name
    );
    for pool in &case.plan.ceph.pools {
        let c = created.iter().find(|c| c[4] == pool.name).unwrap();
        let option = |name: &str| c.iter().position(|w| w == name).map(|i| c[i + 1].as_str());
        let name = format!("{} pool {}", case.name, pool.name);
        assert_eq!(
            option("--size"),
            Some(pool.size.to_string().as_str()),
            "{name}"
        );
        match pool.pg {
            PoolPg::Fixed { pg_num } => {
                assert_eq!(option("--autoscale-mode"), Some("off"), "{name}");
                assert_eq!(
                    option("--pg_num"),
                    Some(pg_num.to_string().as_str()),
                    "{name}"
                );
                assert_eq!(
                    option("--pgp_num"),
                    Some(pg_num.to_string().as_str()),
                    "{name}"
                );
            }
            PoolPg::Autoscale {
                create_pg_num: Some(pg_num),
                ..
            } => {
                // Created at its target in warn mode; ceph-pools.yml turns the autoscaler on.
                let pg_num = pg_num.to_string();
                assert_eq!(option("--autoscale-mode"), Some("warn"), "{name}");
                assert_eq!(option("--pg_num"), Some(pg_num.as_str()), "{name}");
                assert_eq!(option("--pgp_num"), Some(pg_num.as_str()), "{name}");
            }
            PoolPg::Autoscale {
                create_pg_num: None,
                ..
            } => {
                assert_eq!(option("--autoscale-mode"), Some("on"), "{name}");
                assert_eq!(option("--pg_num"), None, "{name}");
            }
        }
        assert!(
            !c.iter().any(|w| w.contains("min_size")),
            "{name}: ceph_pool does not pass min_size; playbooks/ceph-pools.yml sets it"
        );
    }
    // min_size comes from the generated playbook, for every pool.
    let playbook = case
        .tree
        .get("playbooks/ceph-pools.yml")
        .unwrap_or_default();
    let tasks: Vec<Value> = serde_saphyr::from_str::<Vec<Value>>(playbook)
        .map(|plays| plays[0]["tasks"].as_array().cloned().unwrap_or_default())
        .unwrap_or_default();
    for pool in &case.plan.ceph.pools {
        let set = tasks.iter().any(|t| {
            t["ansible.builtin.command"]["argv"]
                == serde_json::json!([
                    "ceph",
                    "osd",
                    "pool",
                    "set",
                    pool.name,
                    "min_size",
                    pool.min_size.to_string()
                ])
        });
        assert!(
            set,
            "{}: playbooks/ceph-pools.yml sets min_size of {}",
            case.name, pool.name
        );
    }
}

fn users(case: &Case, commands: &[Vec<String>]) {
    let imported: Vec<String> = commands
        .iter()
        .filter(|c| starts(c, &["ceph", "auth", "import", "-i"]))
        .map(|c| c[4].clone())
        .collect();
    let vault: Value = match case.tree.get(cephspray::render::VAULT_PATH) {
        Some(_) => {
            serde_saphyr::from_str(&plaintext(&case.tree, cephspray::render::VAULT_PATH)).unwrap()
        }
        None => Value::Null,
    };
    let keys = case.out.join("keys");
    let expected: Vec<String> = case
        .plan
        .ceph
        .csi_users
        .iter()
        .map(|u| {
            keys.join(format!("ceph.{}.keyring", u.client))
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        imported, expected,
        "{}: exactly the csi users are imported",
        case.name
    );
    for user in &case.plan.ceph.csi_users {
        let keyring =
            std::fs::read_to_string(keys.join(format!("ceph.{}.keyring", user.client))).unwrap();
        let name = format!("{} {}", case.name, user.client);
        assert!(
            keyring.starts_with(&format!("[{}]\n", user.client)),
            "{name}:\n{keyring}"
        );
        assert!(
            keyring.contains(&format!(
                "key = {}\n",
                vault[&user.key_var].as_str().unwrap()
            )),
            "{name}: the vault's key"
        );
        let caps: BTreeMap<String, String> = keyring
            .lines()
            .filter_map(|l| l.trim().strip_prefix("caps "))
            .map(|l| {
                let (daemon, value) = l.split_once(" = ").unwrap();
                (daemon.to_owned(), value.trim_matches('"').to_owned())
            })
            .collect();
        let expected: BTreeMap<String, String> = user
            .caps
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        assert_eq!(caps, expected, "{name}: exactly ceph-csi's caps");
    }
    for client in &case.plan.members[&Role::CephClient] {
        let conditions = case.json(client, "client-conditions.json");
        assert_eq!(
            conditions["user_config"],
            !case.plan.ceph.csi_users.is_empty()
                || case.tree.get("group_vars/clients/ceph.yml").is_some(),
            "{}: ceph-client creates users and pools only with user_config",
            case.name
        );
    }
}

/// The YAML documents of an add-on's template as its role renders it on the first control plane
/// (`templates` of apps.json; comment-only documents, which templates with a `#jinja2:` header
/// start with, left out).
fn app_template(case: &Case, apps: &Value, name: &str) -> Vec<Value> {
    let text = apps["templates"][name]
        .as_str()
        .unwrap_or_else(|| panic!("{}: {name} not rendered", case.name));
    yaml_stream(text, &format!("{}: {name}", case.name))
}

fn yaml_stream(text: &str, what: &str) -> Vec<Value> {
    text.split("\n---")
        .filter(|doc| {
            doc.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        })
        .map(|doc| {
            serde_saphyr::from_str(doc.trim_start_matches('-'))
                .unwrap_or_else(|e| panic!("{what} is not valid YAML: {e}\n{doc}"))
        })
        .filter(|doc: &Value| !doc.is_null())
        .collect()
}

fn of_kind<'a>(docs: &'a [Value], kind: &str) -> Vec<&'a Value> {
    docs.iter().filter(|d| d["kind"] == kind).collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

/// kube-proxy's strict ARP as the control plane's kubeadm config writes it (kubeadm-config's
/// KubeProxyConfiguration reads kube_proxy_strict_arp): on under IPVS when MetalLB or an ARP
/// virtual IP needs it, as the plan says.
fn strict_arp(case: &Case, host: &Host, cp: &Value, init: &BTreeMap<String, Value>) {
    let (name, h) = (&case.name, host.name.as_str());
    let planned = case.plan.kubernetes.addons.strict_arp;
    assert_eq!(
        cp["kube_proxy_strict_arp"], planned,
        "{name} {h}: kube_proxy_strict_arp"
    );
    match init.get("KubeProxyConfiguration") {
        Some(proxy) => {
            assert_eq!(
                proxy["ipvs"]["strictARP"], planned,
                "{name} {h}: kube-proxy's strictARP (mode {})",
                proxy["mode"]
            );
            if planned {
                assert_eq!(proxy["mode"], "ipvs", "{name} {h}: strict ARP is for IPVS");
            }
        }
        None => assert!(
            !planned,
            "{name} {h}: strict ARP planned, but kubeadm-config.yaml configures no kube-proxy"
        ),
    }
}

/// kube-vip's static pod, as node/tasks/loadbalancer/kube-vip.yml writes it on the control
/// planes (its checks ran: strict ARP under IPVS in ARP mode, one BGP source), and nowhere else.
fn kube_vip(case: &Case, host: &Host, node: &Value) {
    let (name, h) = (&case.name, host.name.as_str());
    let Some(vip) = &case.plan.kubernetes.addons.vip else {
        assert_eq!(node["kube_vip_installed"], false, "{name} {h}: no kube-vip");
        return;
    };
    assert_eq!(
        node["kube_vip_installed"], host.control_plane,
        "{name} {h}: kube-vip runs on the control planes only"
    );
    if !host.control_plane {
        return;
    }
    let pod: Value = serde_saphyr::from_str(node["kube_vip_manifest"].as_str().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{name} {h}: kube-vip.yml is not valid YAML: {e}"));
    let container = &pod["spec"]["containers"][0];
    let env: BTreeMap<&str, &Value> = container["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), &e["value"]))
        .collect();
    let value = |var: &str| env.get(var).and_then(|v| v.as_str());
    assert_eq!(value("address"), Some(vip.address.as_str()), "{name} {h}");
    // kube-vip reads its switches with Go's strconv.ParseBool (kubespray writes Python's
    // `True`).
    let parse_bool = |var: &str| match value(var) {
        Some("1" | "t" | "T" | "TRUE" | "true" | "True") => Some(true),
        Some("0" | "f" | "F" | "FALSE" | "false" | "False") => Some(false),
        _ => None,
    };
    assert_eq!(
        parse_bool("vip_arp"),
        Some(vip.arp),
        "{name} {h}: kube-vip announces the address by ARP ({:?})",
        value("vip_arp")
    );
    assert_eq!(
        value("vip_interface"),
        vip.interface.as_deref(),
        "{name} {h}: on the spec's interface, not one kube-vip picks"
    );
    match &vip.bgp {
        None => assert_eq!(parse_bool("bgp_enable"), None, "{name} {h}: no BGP"),
        Some(bgp) => {
            // Every control plane announces the address to the routers, as itself.
            assert_eq!(parse_bool("bgp_enable"), Some(true), "{name} {h}");
            assert_eq!(
                value("bgp_routerid"),
                Some(host.address.as_str()),
                "{name} {h}: the router id is the control plane's private address"
            );
            assert_eq!(
                value("bgp_as"),
                Some(bgp.asn.to_string().as_str()),
                "{name} {h}: the nodes' AS"
            );
            let peers: Vec<String> = bgp
                .peers
                .iter()
                .map(|p| format!("{}:{}::false", p.address, p.asn))
                .collect();
            assert_eq!(
                value("bgp_peers"),
                Some(peers.join(",").as_str()),
                "{name} {h}: every router, address:AS, no password, no multihop"
            );
            assert!(
                value("bgp_peeraddress").is_none_or(str::is_empty),
                "{name} {h}: no single peer beside bgp_peers: {:?}",
                value("bgp_peeraddress")
            );
        }
    }
    assert_eq!(
        parse_bool("cp_enable"),
        Some(true),
        "{name} {h}: the API servers' VIP"
    );
    assert_eq!(
        value("port"),
        Some(vip.port.to_string().as_str()),
        "{name} {h}: the API servers' port"
    );
    assert_eq!(pod["spec"]["hostNetwork"], true, "{name} {h}");
    // A new cluster: the first control plane's kube-vip runs before kubeadm init made
    // admin.conf's RBAC, so it takes super-admin.conf.
    let admin = if h == case.first_control_plane().name {
        "super-admin.conf"
    } else {
        "admin.conf"
    };
    assert_eq!(
        pod["spec"]["volumes"][0]["hostPath"]["path"],
        format!("/etc/kubernetes/{admin}"),
        "{name} {h}: kube-vip's kubeconfig"
    );
}

/// The add-ons on the first control plane, where cluster.yml installs them: each selected by
/// kubernetes-apps' meta conditions exactly when the spec turns it on, and what their real
/// templates make of the inventory.
fn apps(case: &Case, first: &Host) {
    let (name, h) = (&case.name, first.name.as_str());
    let addons = &case.plan.kubernetes.addons;
    let apps = case.json(h, "apps.json");
    let on = [
        ("registry", addons.registry.is_some()),
        ("metrics_server", addons.metrics_server.is_some()),
        ("csi_crd", addons.snapshot_controller),
        ("snapshots", true),
        ("snapshot_controller", addons.snapshot_controller),
        ("metallb", addons.metallb.is_some()),
        ("argocd", addons.argocd),
        ("node_feature_discovery", addons.node_feature_discovery),
        ("local_path", addons.local_path.is_some()),
        ("gateway_api", addons.gateway_api.is_some()),
    ];
    for (role, planned) in on {
        assert_eq!(
            apps["selects"][role], planned,
            "{name} {h}: the meta/main.yml conditions select the role {role}"
        );
    }
    for (switch, planned) in [
        ("kube_vip", addons.vip.is_some()),
        ("csi_snapshot_controller", addons.snapshot_controller),
    ] {
        assert_eq!(apps["enabled"][switch], planned, "{name} {h}: {switch}");
    }
    assert_eq!(
        apps["kube_proxy_strict_arp"], addons.strict_arp,
        "{name} {h}"
    );

    // MetalLB: its check passed (strict ARP under IPVS); the pools, and how each is announced.
    let metallb_files = ["pools.yaml", "layer2.yaml", "layer3.yaml"];
    let written = |file: &str| !apps["templates"][file].is_null();
    let documents = |file: &str| app_template(case, &apps, file);
    match &addons.metallb {
        None => {
            for file in metallb_files {
                assert!(!written(file), "{name} {h}: {file} without MetalLB");
            }
        }
        Some(metallb) => {
            let docs = documents("pools.yaml");
            let pools: Vec<(String, Vec<String>, bool)> = of_kind(&docs, "IPAddressPool")
                .iter()
                .map(|p| {
                    (
                        p["metadata"]["name"].as_str().unwrap().to_owned(),
                        strings(&p["spec"]["addresses"]),
                        p["spec"]["autoAssign"].as_bool().unwrap(),
                    )
                })
                .collect();
            let planned: Vec<(String, Vec<String>, bool)> = metallb
                .pools
                .iter()
                .map(|p| (p.name.clone(), p.addresses.clone(), p.auto_assign))
                .collect();
            assert_eq!(pools, planned, "{name} {h}: MetalLB's IPAddressPools");
            if metallb.layer2.is_empty() {
                assert!(!written("layer2.yaml"), "{name} {h}: no L2 pool");
            } else {
                let docs = documents("layer2.yaml");
                let ads: Vec<(String, Vec<String>)> = of_kind(&docs, "L2Advertisement")
                    .iter()
                    .map(|a| {
                        (
                            a["metadata"]["name"].as_str().unwrap().to_owned(),
                            strings(&a["spec"]["ipAddressPools"]),
                        )
                    })
                    .collect();
                let planned: Vec<(String, Vec<String>)> = metallb
                    .layer2
                    .iter()
                    .map(|p| (p.clone(), vec![p.clone()]))
                    .collect();
                assert_eq!(
                    ads, planned,
                    "{name} {h}: L2Advertisements of the ARP pools"
                );
            }
            match &metallb.bgp {
                None => assert!(!written("layer3.yaml"), "{name} {h}: no BGP"),
                Some(bgp) => {
                    let docs = documents("layer3.yaml");
                    let peers = of_kind(&docs, "BGPPeer");
                    assert_eq!(peers.len(), bgp.peers.len(), "{name} {h}: BGPPeers");
                    for peer in &bgp.peers {
                        let got = peers
                            .iter()
                            .find(|p| p["metadata"]["name"] == peer.name.as_str())
                            .unwrap_or_else(|| panic!("{name} {h}: no BGPPeer {}", peer.name));
                        let spec = &got["spec"];
                        assert_eq!(
                            (
                                &spec["myASN"],
                                &spec["peerASN"],
                                &spec["peerAddress"],
                                &spec["peerPort"]
                            ),
                            (
                                &Value::from(bgp.asn),
                                &Value::from(peer.asn),
                                &Value::from(peer.address.as_str()),
                                &Value::from(179)
                            ),
                            "{name} {h}: BGPPeer {}",
                            peer.name
                        );
                        let ad = of_kind(&docs, "BGPAdvertisement")
                            .into_iter()
                            .find(|a| a["metadata"]["name"] == format!("{}-external", peer.name))
                            .unwrap_or_else(|| {
                                panic!("{name} {h}: no BGPAdvertisement for {}", peer.name)
                            });
                        assert_eq!(
                            strings(&ad["spec"]["ipAddressPools"]),
                            bgp.pools,
                            "{name} {h}: the pools announced to {}",
                            peer.name
                        );
                    }
                }
            }
        }
    }

    // local-path: its class, and whether it is the default.
    match &addons.local_path {
        None => assert!(!written("local-path-storage-sc.yml"), "{name} {h}"),
        Some(local) => {
            let sc = &documents("local-path-storage-sc.yml")[0];
            assert_eq!(sc["metadata"]["name"], local.storage_class.as_str());
            assert_eq!(sc["reclaimPolicy"], local.reclaim_policy, "{name} {h}");
            assert_eq!(
                sc["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"],
                if local.default { "true" } else { "false" },
                "{name} {h}: local-path is the default class as planned"
            );
            let cm = &documents("local-path-storage-cm.yml")[0];
            let config: Value =
                serde_json::from_str(cm["data"]["config.json"].as_str().unwrap()).unwrap();
            let paths = strings(&config["nodePathMap"][0]["paths"]);
            assert_eq!(
                paths
                    .iter()
                    .map(|p| p.trim_end_matches('/'))
                    .collect::<Vec<_>>(),
                [local.claim_root.trim_end_matches('/')],
                "{name} {h}: local-path's directory on every node"
            );
        }
    }

    // The registry: its checks passed; its Service and volume.
    match &addons.registry {
        None => assert!(!written("registry-svc.yml"), "{name} {h}"),
        Some(registry) => {
            let svc = &documents("registry-svc.yml")[0];
            let spec = &svc["spec"];
            assert_eq!(spec["type"], registry.service_type, "{name} {h}");
            assert_eq!(
                spec["ports"][0]["nodePort"],
                registry.node_port.map_or(Value::Null, Value::from),
                "{name} {h}: the registry's node port"
            );
            assert_eq!(
                spec["loadBalancerIP"],
                registry
                    .load_balancer_ip
                    .as_deref()
                    .map_or(Value::Null, Value::from),
                "{name} {h}: the registry's load balancer address"
            );
            match &registry.storage_class {
                None => assert!(!written("registry-pvc.yml"), "{name} {h}: an emptyDir"),
                Some(class) => {
                    let pvc = &documents("registry-pvc.yml")[0];
                    assert_eq!(pvc["spec"]["storageClassName"], class.as_str());
                    assert_eq!(
                        pvc["spec"]["resources"]["requests"]["storage"],
                        registry.size.as_str(),
                        "{name} {h}: the registry's volume"
                    );
                }
            }
        }
    }

    // The snapshot controller's image exists for this Kubernetes version (download.yml indexes
    // it by minor: another minor fails to template).
    if addons.snapshot_controller {
        let tag = apps["snapshot_controller_image_tag"]
            .as_str()
            .unwrap_or_default();
        assert!(
            tag.starts_with('v'),
            "{name} {h}: the snapshot controller's image for this Kubernetes version: {tag:?}"
        );
    }
    match addons.metrics_server {
        None => assert!(!written("metrics-server-deployment.yaml"), "{name} {h}"),
        Some(replicas) => {
            let deployment = &documents("metrics-server-deployment.yaml")[0];
            assert_eq!(
                deployment["spec"]["replicas"], replicas,
                "{name} {h}: metrics-server's replicas"
            );
        }
    }
    match &addons.gateway_api {
        None => assert_eq!(apps["gateway_api"], Value::Null),
        Some(channel) => {
            let channel = serde_json::to_value(channel).unwrap();
            let gateway = &apps["gateway_api"];
            assert_eq!(
                gateway["channel"], channel,
                "{name} {h}: the Gateway API's channel"
            );
            let url = gateway["url"].as_str().unwrap();
            assert!(
                url.ends_with(&format!(
                    "/v{}/{}-install.yaml",
                    gateway["version"].as_str().unwrap(),
                    channel.as_str().unwrap()
                )),
                "{name} {h}: the CRDs downloaded: {url}"
            );
            assert!(
                gateway["checksum"]
                    .as_str()
                    .and_then(|c| c.strip_prefix("sha256:"))
                    .is_some_and(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit())),
                "{name} {h}: kubespray has a checksum for that channel and version: {gateway}"
            );
        }
    }
    if addons.argocd {
        let vault: Value =
            serde_saphyr::from_str(&plaintext(&case.tree, cephspray::render::VAULT_PATH)).unwrap();
        let password = &apps["argocd_admin_password"];
        assert!(
            password.as_str().is_some_and(|p| !p.is_empty()),
            "{name} {h}: Argo CD's admin password resolves"
        );
        assert!(
            password == &vault["vault_argocd_admin_password"],
            "{name} {h}: Argo CD's admin password is the vault's (values not shown)"
        );
        assert_eq!(
            apps["argocd_password_set"], true,
            "{name} {h}: argocd/tasks/main.yml sets it"
        );
    }
}

/// The Python with Helm's SDK (helm-python-sdk) that scripts/setup-upstream.sh installs in
/// `.venv-helm`, or `CEPHSPRAY_HELM_PYTHON`.
fn helm_python() -> PathBuf {
    std::env::var_os("CEPHSPRAY_HELM_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join(".venv-helm/bin/python"))
}

/// `helm template` of a chart of the pinned ceph-csi tree with `values`, as release `release` in
/// namespace `release` (as playbooks/ceph-csi.yml installs it): the manifests' documents.
fn helm_template(chart: &str, values: &Value, release: &str) -> Vec<Value> {
    const SCRIPT: &str = "import json, sys, helm_python as h\n\
        chart, release = sys.argv[1], sys.argv[2]\n\
        out = h.Chart.load(chart).render(json.load(sys.stdin), name=release, namespace=release, \
        is_install=True)\n\
        print(json.dumps(out))\n";
    let path = upstream::upstream_dir()
        .join("ceph-csi-v3.12.2/charts")
        .join(chart);
    let mut child = std::process::Command::new(helm_python())
        .arg("-c")
        .arg(SCRIPT)
        .arg(&path)
        .arg(release)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("helm-python-sdk's python starts");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(values.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "helm template {chart}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifests: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).unwrap();
    manifests
        .iter()
        .filter(|(file, _)| file.ends_with(".yaml"))
        .flat_map(|(file, text)| yaml_stream(text, &format!("{chart}: {file}")))
        .collect()
}

/// The VolumeSnapshotClasses cephspray applies after ceph-csi (ceph-csi/snapshot-classes.yml):
/// one per storage class that asks for snapshots, each for the driver, cluster and Secret of the
/// ceph-csi release that makes that class (its chart rendered by Helm with the rendered values),
/// and each valid for the VolumeSnapshotClass CRD that kubespray's csi_crd installs.
fn snapshot_classes(case: &Case, first: &Host) {
    let name = &case.name;
    let wanted: Vec<&cephspray::plan::StoragePlan> = case
        .plan
        .kubernetes
        .storage
        .iter()
        .filter(|c| c.snapshots)
        .collect();
    let Some(text) = case.tree.get("ceph-csi/snapshot-classes.yml") else {
        assert!(wanted.is_empty(), "{name}: no snapshot-classes.yml");
        return;
    };
    let classes = yaml_stream(text, &format!("{name}: ceph-csi/snapshot-classes.yml"));
    let names: Vec<&str> = classes
        .iter()
        .map(|c| c["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        wanted.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        "{name}: a VolumeSnapshotClass per class with snapshots"
    );
    // The CRD kubespray installs (csi_crd, selected with the snapshot controller).
    let apps = case.json(&first.name, "apps.json");
    let crd = &app_template(case, &apps, "volumesnapshotclasses.yml")[0];
    let version = crd["spec"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "v1" && v["served"] == true)
        .expect("the CRD serves snapshot.storage.k8s.io/v1");
    let validator = jsonschema::options()
        .build(&version["schema"]["openAPIV3Schema"])
        .unwrap();
    if !upstream::require(
        helm_python().exists(),
        &format!(
            "Helm's SDK for Python (helm-python-sdk; {}, CEPHSPRAY_HELM_PYTHON)",
            helm_python().display()
        ),
    ) {
        return;
    }
    let mut charts: BTreeMap<String, (Vec<Value>, String)> = BTreeMap::new();
    for chart in ["ceph-csi-rbd", "ceph-csi-cephfs"] {
        let file = format!("ceph-csi/{chart}-values.yml");
        if case.tree.get(&file).is_none() {
            continue;
        }
        let values: Value = serde_saphyr::from_str(&plaintext(&case.tree, &file)).unwrap();
        let docs = helm_template(chart, &values, chart);
        let provisioner = of_kind(&docs, "Deployment")
            .into_iter()
            .find(|d| {
                d["metadata"]["name"]
                    .as_str()
                    .is_some_and(|n| n.ends_with("provisioner"))
            })
            .expect("the chart's provisioner");
        assert!(
            provisioner["spec"]["template"]["spec"]["containers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["name"] == "csi-snapshotter"),
            "{name}: {chart}'s provisioner runs the csi-snapshotter sidecar"
        );
        for sc in of_kind(&docs, "StorageClass") {
            charts.insert(
                sc["metadata"]["name"].as_str().unwrap().to_owned(),
                (docs.clone(), chart.to_owned()),
            );
        }
    }
    for class in &classes {
        let class_name = class["metadata"]["name"].as_str().unwrap();
        let what = format!("{name}: VolumeSnapshotClass {class_name}");
        let errors: Vec<String> = validator
            .iter_errors(class)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{what}: not valid for kubespray's CRD: {errors:?}"
        );
        assert_eq!(class["apiVersion"], "snapshot.storage.k8s.io/v1", "{what}");
        let (docs, release) = charts
            .get(class_name)
            .unwrap_or_else(|| panic!("{what}: no ceph-csi chart makes the StorageClass"));
        let sc = of_kind(docs, "StorageClass")
            .into_iter()
            .find(|sc| sc["metadata"]["name"] == class_name)
            .unwrap();
        let secrets = of_kind(docs, "Secret");
        let [secret] = &secrets[..] else {
            panic!("{what}: {release} makes one Secret, not {}", secrets.len())
        };
        let parameters = &class["parameters"];
        assert_eq!(class["driver"], sc["provisioner"], "{what}: the driver");
        assert_eq!(
            parameters["clusterID"], sc["parameters"]["clusterID"],
            "{what}: the cluster"
        );
        assert_eq!(
            parameters["csi.storage.k8s.io/snapshotter-secret-name"], secret["metadata"]["name"],
            "{what}: the Secret {release} makes"
        );
        assert_eq!(
            parameters["csi.storage.k8s.io/snapshotter-secret-namespace"],
            release.as_str(),
            "{what}: the release's namespace"
        );
        assert_eq!(
            secret["metadata"]["namespace"],
            release.as_str(),
            "{what}: the Secret is in the release's namespace"
        );
    }
}
