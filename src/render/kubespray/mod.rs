//! kubespray: its group names, its variable names and its files, with what differs between
//! its releases (one module each). What a release is (the Kubernetes versions it can install)
//! is in [`crate::targets::kubespray`], where `check` reads it too.

pub mod v2_30;
pub mod v2_31;

use super::target::{Deploy, File, Group, Stage, Target};
use crate::plan::{Host, Plan};
use crate::spec::{KubesprayRelease, Role, VarGroup};
use minijinja::{Value, context};

/// One kubespray release as a target.
pub struct Kubespray {
    /// The release, whose facts `crate::targets::kubespray` holds.
    release: KubesprayRelease,
    /// Its template directory.
    namespace: &'static str,
    /// The directory of the release whose templates it uses where it has none of its own.
    inherits: Option<&'static str>,
    /// It can limit anonymous requests to some paths (structured authentication
    /// configuration), which `anonymous` in the context then lists.
    anonymous_paths: bool,
}

/// The cluster-info ConfigMap that kubeadm's file discovery reads without credentials before a
/// node joins. kubeadm goes on only when that read succeeds or is refused with 403 Forbidden; a
/// 401 (anonymous requests not authenticated on this path) makes it retry until the discovery
/// timeout and the join fails. Authenticated as anonymous here, the read gets 403 from RBAC once
/// kubespray's `remove_anonymous_access` has removed kubeadm's binding for it.
const CLUSTER_INFO_PATH: &str = "/api/v1/namespaces/kube-public/configmaps/cluster-info";

impl Kubespray {
    /// The release's label.
    fn release(&self) -> &'static str {
        crate::targets::kubespray::facts(self.release).label
    }
}

impl Target for Kubespray {
    fn namespace(&self) -> &'static str {
        self.namespace
    }

    fn inherits(&self) -> Option<&'static str> {
        self.inherits
    }

    fn label(&self, _: &Plan) -> Option<String> {
        Some(format!("kubespray {}", self.release()))
    }

    fn groups(&self, plan: &Plan) -> Vec<Group> {
        vec![
            Group::of_role("kube_control_plane", Role::ControlPlane, plan),
            Group::of_role("kube_node", Role::Worker, plan),
            Group::of_role("etcd", Role::Etcd, plan),
            Group {
                name: "k8s_cluster",
                hosts: Vec::new(),
                children: vec!["kube_control_plane", "kube_node"],
                role: None,
                var_group: Some(VarGroup::K8sCluster),
            },
        ]
    }

    fn context(&self, plan: &Plan) -> Value {
        context! {
            kubespray_release => self.release(),
            network_plugin => plan.kubernetes.network_plugin.as_str(),
            calico_interface => calico_interface(plan),
            vip_bgp_peers => vip_bgp_peers(plan),
            anonymous => self.anonymous_paths.then(|| context! {
                enabled => true,
                conditions => vec![
                    context! { path => "/livez" },
                    context! { path => "/readyz" },
                    context! { path => "/healthz" },
                    context! { path => CLUSTER_INFO_PATH },
                ],
            }),
        }
    }

    fn files(&self, plan: &Plan) -> Vec<File> {
        let etcd_backup = plan.kubernetes.addons.etcd_backup.is_some().then(|| {
            File::new(
                "group_vars/etcd/etcd-backup.yml",
                "group_vars/etcd/etcd-backup.yml.j2",
            )
        });
        let mut files = vec![
            File::new(
                "group_vars/k8s_cluster/k8s-cluster.yml",
                "group_vars/k8s_cluster/k8s-cluster.yml.j2",
            ),
            File::new(
                "group_vars/k8s_cluster/addons.yml",
                "group_vars/k8s_cluster/addons.yml.j2",
            ),
        ];
        files.extend(etcd_backup);
        files
    }

    fn host_vars(&self, host: &Host) -> bool {
        host.kubernetes
    }

    fn deploy(&self, _: &Plan) -> Deploy {
        Deploy {
            stage: Stage::Kubernetes,
            enter: Some("../kubespray"),
            playbook: Some("cluster.yml"),
            then: Vec::new(),
        }
    }
}

/// The VIP's BGP routers as kube-vip reads them (`kube_vip_bgppeers`, joined with commas into
/// `bgp_peers`): `address:AS::false`, no password, no multihop.
fn vip_bgp_peers(plan: &Plan) -> Vec<String> {
    let bgp = plan
        .kubernetes
        .addons
        .vip
        .as_ref()
        .and_then(|vip| vip.bgp.as_ref());
    bgp.map(|b| {
        b.peers
            .iter()
            .map(|p| format!("{}:{}::false", p.address, p.asn))
            .collect()
    })
    .unwrap_or_default()
}

/// Calico's `interface=` autodetection pattern for the mesh interface (a regular expression,
/// anchored, with `.` and `+` as one-character classes: kubespray writes the value inside a
/// double-quoted YAML string, where a backslash escape would be invalid), when the pod network
/// is Calico's and runs inside a WireGuard mesh.
fn calico_interface(plan: &Plan) -> Option<String> {
    let mesh = plan.network.mesh.as_ref()?;
    if plan.kubernetes.network_plugin != crate::spec::NetworkPlugin::Calico {
        return None;
    }
    Some(interface_pattern(&mesh.interface))
}

/// An anchored regular expression matching exactly `name`, without a backslash.
fn interface_pattern(name: &str) -> String {
    let mut pattern = String::from("^");
    for c in name.chars() {
        if matches!(c, '.' | '+') {
            pattern.extend(['[', c, ']']);
        } else {
            pattern.push(c);
        }
    }
    pattern.push('$');
    pattern
}

#[cfg(test)]
mod tests {
    use super::interface_pattern;

    #[test]
    fn interface_patterns_need_no_escape_in_a_quoted_yaml_string() {
        assert_eq!(interface_pattern("wg0"), "^wg0$");
        assert_eq!(interface_pattern("mesh.0"), "^mesh[.]0$");
        assert_eq!(interface_pattern("a+b=c-d_e"), "^a[+]b=c-d_e$");
    }
}
