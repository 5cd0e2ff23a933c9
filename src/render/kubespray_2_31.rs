//! kubespray v2.31: group names and its files. What the release is (the Kubernetes versions it
//! can install) is in [`crate::targets::kubespray_2_31`], where `check` reads it too.

use crate::plan::Plan;
use crate::spec::{NetworkPlugin, Role, VarGroup};
use crate::targets::kubespray_2_31::RELEASE;
use minijinja::{Value, context};

/// The inventory group a role becomes.
pub fn group(role: Role) -> Option<&'static str> {
    match role {
        Role::ControlPlane => Some("kube_control_plane"),
        Role::Worker => Some("kube_node"),
        Role::Etcd => Some("etcd"),
        _ => None,
    }
}

/// The group an extra_vars key addresses, when kubespray owns it.
pub fn var_group(group: VarGroup) -> Option<&'static str> {
    match group {
        VarGroup::K8sCluster => Some("k8s_cluster"),
        VarGroup::ControlPlane => Some("kube_control_plane"),
        VarGroup::Worker => Some("kube_node"),
        VarGroup::Etcd => Some("etcd"),
        _ => None,
    }
}

/// The cluster-info ConfigMap that kubeadm's file discovery reads without credentials before a
/// node joins. kubeadm goes on only when that read succeeds or is refused with 403 Forbidden; a
/// 401 (anonymous requests not authenticated on this path) makes it retry until the discovery
/// timeout and the join fails. Authenticated as anonymous here, the read gets 403 from RBAC once
/// kubespray's `remove_anonymous_access` has removed kubeadm's binding for it.
const CLUSTER_INFO_PATH: &str = "/api/v1/namespaces/kube-public/configmaps/cluster-info";

/// Template context values that are layout choices of this release.
pub fn context(plan: &Plan) -> Value {
    context! {
        kubespray => "kubespray-2.31",
        kubespray_release => RELEASE,
        first_control_plane => "kube_control_plane[0]",
        network_plugin => match plan.kubernetes.network_plugin {
            NetworkPlugin::Calico => "calico",
            NetworkPlugin::Cilium => "cilium",
            NetworkPlugin::Flannel => "flannel",
            NetworkPlugin::KubeOvn => "kube-ovn",
            NetworkPlugin::KubeRouter => "kube-router",
        },
        anonymous => context! {
            enabled => true,
            conditions => vec![
                context! { path => "/livez" },
                context! { path => "/readyz" },
                context! { path => "/healthz" },
                context! { path => CLUSTER_INFO_PATH },
            ],
        },
    }
}

/// Group-vars files: (output path, template).
pub const FILES: [(&str, &str); 2] = [
    (
        "group_vars/k8s_cluster/k8s-cluster.yml",
        "kubespray-2.31/group_vars/k8s_cluster/k8s-cluster.yml.j2",
    ),
    (
        "group_vars/k8s_cluster/addons.yml",
        "kubespray-2.31/group_vars/k8s_cluster/addons.yml.j2",
    ),
];
