//! kubespray v2.31: group names, the Kubernetes versions it can install, and its files.

use crate::plan::Plan;
use crate::spec::{NetworkPlugin, Role, VarGroup};
use minijinja::{Value, context};

/// Release label for headers.
pub const RELEASE: &str = "v2.31";

/// Kubernetes versions kubespray v2.31 has checksums for: minor → highest patch.
const KUBE_VERSIONS: [(u32, u32); 3] = [(33, 11), (34, 7), (35, 4)];

/// Checks a Kubernetes version (with or without a leading `v`) against what v2.31 installs.
pub fn kube_version(version: &str) -> Result<(), String> {
    let bare = version.strip_prefix('v').unwrap_or(version);
    let supported = || {
        let (lo, hi) = (KUBE_VERSIONS[0], KUBE_VERSIONS[KUBE_VERSIONS.len() - 1]);
        format!("1.{}.0 to 1.{}.{}", lo.0, hi.0, hi.1)
    };
    let parts: Vec<u32> = match bare.split('.').map(str::parse).collect() {
        Ok(parts) => parts,
        Err(_) => {
            return Err(format!(
                "`{version}` is not a Kubernetes version: write it as 1.35.4"
            ));
        }
    };
    let [1, minor, patch] = parts[..] else {
        return Err(format!(
            "`{version}` is not a full Kubernetes version: write major.minor.patch, e.g. 1.35.4"
        ));
    };
    match KUBE_VERSIONS.iter().find(|(m, _)| *m == minor) {
        Some((_, highest)) if patch <= *highest => Ok(()),
        _ => Err(format!(
            "kubespray {RELEASE} cannot install Kubernetes {bare} (it has checksums for {}); pick one of those",
            supported()
        )),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(kube_version("1.35.4").is_ok());
        assert!(kube_version("v1.33.0").is_ok());
        assert!(
            kube_version("1.35.5")
                .unwrap_err()
                .contains("1.33.0 to 1.35.4")
        );
        assert!(kube_version("1.32.9").is_err());
        assert!(
            kube_version("1.35")
                .unwrap_err()
                .contains("major.minor.patch")
        );
        assert!(kube_version("latest").is_err());
    }
}
