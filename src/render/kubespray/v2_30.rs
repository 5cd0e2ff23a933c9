//! kubespray v2.30.0: as v2.31 but for one thing cephspray writes. v2.30 has no structured
//! authentication configuration (`kube_apiserver_use_authentication_config_file` and
//! `kube_apiserver_authentication_config_anonymous` came in v2.31), so anonymous requests cannot
//! be limited to some paths: `templates/kubespray-2.30` leaves them out and keeps
//! `remove_anonymous_access`, so that RBAC refuses anonymous requests but for Kubernetes' public
//! information (health endpoints, `/version`) and kubeadm's file discovery still gets its 403.

use super::Kubespray;
use crate::spec::KubesprayRelease;

/// kubespray v2.30 as a target.
pub const TARGET: Kubespray = Kubespray {
    release: KubesprayRelease::V2_30,
    namespace: "kubespray-2.30",
    anonymous_paths: false,
    inherits: Some("kubespray-2.31"),
};
