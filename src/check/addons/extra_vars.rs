//! Extra variables: those the kubespray release ignores, and those a typed add-on sets.

use crate::check::Diagnostic;
use crate::spec::Spec;
use crate::targets::kubespray;

/// Extra variables that a typed add-on sets, with the spec field to write instead. One list:
/// `check` refuses them in every group of `extra_vars`, whether the add-on is on or off.
const TYPED_VARIABLES: &[(&str, &str)] = &[
    ("metrics_server_enabled", "kubernetes.addons.metrics_server"),
    (
        "metrics_server_replicas",
        "kubernetes.addons.metrics_server.replicas",
    ),
    (
        "local_path_provisioner_enabled",
        "kubernetes.addons.local_path",
    ),
    (
        "local_path_provisioner_storage_class",
        "kubernetes.addons.local_path.storage_class",
    ),
    (
        "local_path_provisioner_claim_root",
        "kubernetes.addons.local_path.claim_root",
    ),
    (
        "local_path_provisioner_reclaim_policy",
        "kubernetes.addons.local_path.reclaim_policy",
    ),
    (
        "local_path_provisioner_is_default_storageclass",
        "kubernetes.addons.local_path.default",
    ),
    (
        "csi_snapshot_controller_enabled",
        "kubernetes.addons.snapshot_controller",
    ),
    ("gateway_api_enabled", "kubernetes.addons.gateway_api"),
    (
        "gateway_api_channel",
        "kubernetes.addons.gateway_api.channel",
    ),
    ("metallb_enabled", "kubernetes.addons.metallb"),
    ("metallb_speaker_enabled", "kubernetes.addons.metallb"),
    ("metallb_config", "kubernetes.addons.metallb"),
    ("kube_vip_enabled", "kubernetes.addons.vip"),
    ("kube_vip_controlplane_enabled", "kubernetes.addons.vip"),
    ("kube_vip_address", "kubernetes.addons.vip.address"),
    ("kube_vip_arp_enabled", "kubernetes.addons.vip.announce"),
    ("kube_vip_interface", "kubernetes.addons.vip.interface"),
    ("kube_vip_bgp_enabled", "kubernetes.addons.vip.announce"),
    ("kube_vip_local_as", "kubernetes.addons.vip.bgp.asn"),
    ("kube_vip_bgppeers", "kubernetes.addons.vip.bgp.peers"),
    ("loadbalancer_apiserver", "kubernetes.addons.vip"),
    ("argocd_enabled", "kubernetes.addons.argocd"),
    ("argocd_admin_password", "secrets.argocd_admin_password"),
    (
        "node_feature_discovery_enabled",
        "kubernetes.addons.node_feature_discovery",
    ),
    ("registry_enabled", "kubernetes.addons.registry"),
    (
        "registry_storage_class",
        "kubernetes.addons.registry.storage_class",
    ),
    ("registry_disk_size", "kubernetes.addons.registry.size"),
    (
        "registry_service_type",
        "kubernetes.addons.registry.service",
    ),
    (
        "registry_service_nodeport",
        "kubernetes.addons.registry.service",
    ),
    (
        "registry_service_loadbalancer_ip",
        "kubernetes.addons.registry.service",
    ),
];

/// Extra variables the kubespray release ignores, and those a typed add-on sets.
pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let ignored = kubespray::facts(spec.targets.kubespray).ignored_variables;
    for (group, vars) in &spec.extra_vars {
        let group = group.as_str();
        for name in vars.keys() {
            let path = format!("extra_vars.{group}.{name}");
            if let Some((_, message)) = ignored.iter().find(|(v, _)| v == name) {
                found.push(Diagnostic::error_at_key(path, *message));
            } else if let Some((_, field)) = TYPED_VARIABLES.iter().find(|(v, _)| v == name) {
                found.push(Diagnostic::error_at_key(
                    path,
                    format!(
                        "`{name}` is what cephspray writes from {field}: write {field} instead, \
                         and remove it from extra_vars"
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::errors;

    #[test]
    fn extra_variables_of_typed_add_ons_and_of_removed_ones() {
        let found = errors("extra_vars: { all: { loadbalancer_apiserver: {}, my_var: 1 } }\n");
        assert!(
            found.len() == 1 && found[0].contains("write kubernetes.addons.vip instead"),
            "{found:?}"
        );
        let found = errors("extra_vars: { k8s_cluster: { ingress_nginx_enabled: true } }\n");
        assert!(
            found.len() == 1 && found[0].contains("v2.31 has no ingress-nginx"),
            "{found:?}"
        );
        let found = errors(
            "targets: { kubespray: \"2.30\" }\nextra_vars: { k8s_cluster: { ingress_nginx_enabled: true, scheduler_plugins_enabled: true } }\n",
        );
        assert!(
            found.len() == 1 && found[0].contains("scheduler_plugins_enabled: kubespray v2.30"),
            "v2.30 still has ingress-nginx: {found:?}"
        );
    }
}
