//! The releases of the consumers (kubespray, ceph-ansible, ceph-csi) an inventory is written for.

use super::spelled;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The consumer releases the inventory is written for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// kubespray release.
    #[serde(default)]
    pub kubespray: KubesprayRelease,
    /// ceph-ansible branch.
    #[serde(default)]
    pub ceph_ansible: CephAnsibleRelease,
    /// ceph-csi Helm charts (installed when `kubernetes.storage` has classes).
    #[serde(default)]
    pub ceph_csi: CephCsiRelease,
}

spelled! {
    /// Supported kubespray releases.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
    pub enum KubesprayRelease {
        /// kubespray v2.31.x
        #[default]
        V2_31 = "2.31",
        /// kubespray v2.30.x
        V2_30 = "2.30",
    }
}

spelled! {
    /// Supported ceph-ansible branches.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
    pub enum CephAnsibleRelease {
        /// ceph-ansible stable-9.0 (Ceph squid)
        #[default]
        Stable9_0 = "stable-9.0",
        /// ceph-ansible stable-8.0 (Ceph reef)
        Stable8_0 = "stable-8.0",
    }
}

spelled! {
    /// Supported ceph-csi chart releases.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
    pub enum CephCsiRelease {
        /// ceph-csi-cephfs and ceph-csi-rbd 3.12.x
        #[default]
        V3_12 = "3.12",
    }
}
