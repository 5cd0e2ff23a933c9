//! The Kubernetes cluster: version, network plugin, runtime and the storage classes ceph-csi
//! provides.

use super::patterns::{CEPH_NAME, HOST_NAME};
use super::{Addons, spelled};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The Kubernetes cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kubernetes {
    /// Kubernetes version (`1.35.4`; a leading `v` is accepted; no leading zeros). The target's
    /// default when absent.
    #[serde(default)]
    #[schemars(pattern(r"^v?1\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"), example = &"1.35.4")]
    pub version: Option<String>,
    /// Pod network plugin.
    #[serde(default)]
    pub network_plugin: NetworkPlugin,
    /// kube-proxy mode.
    #[serde(default)]
    pub proxy_mode: ProxyMode,
    /// Container runtime.
    #[serde(default)]
    pub container_runtime: ContainerRuntime,
    /// Install Helm.
    #[serde(default)]
    pub helm: bool,
    /// Install cert-manager.
    #[serde(default)]
    pub cert_manager: bool,
    /// kubespray's other add-ons: each is off unless written here.
    #[serde(default)]
    pub addons: Addons,
    /// Storage classes backed by Ceph, provided by ceph-csi (one per driver at most: the
    /// ceph-csi charts create one class each).
    #[serde(default)]
    pub storage: Vec<StorageClass>,
}

/// A Kubernetes storage class backed by Ceph through ceph-csi.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StorageClass {
    /// Storage class name (a lowercase RFC 1123 name).
    #[schemars(pattern(HOST_NAME), example = &"cephfs")]
    pub name: String,
    /// What backs the volumes.
    #[serde(rename = "type")]
    pub kind: StorageKind,
    /// CephFS: the file system (default: `ceph.cephfs.name`).
    #[serde(default)]
    pub fs: Option<String>,
    /// CephFS: the sub-volume group volumes are created in (letters, digits, `_`, `.` and `-`,
    /// not first).
    #[serde(default = "default_subvolume_group")]
    #[schemars(pattern(CEPH_NAME))]
    pub subvolume_group: String,
    /// RBD: the pool images are created in (one of `ceph.pools`, application rbd).
    #[serde(default)]
    pub pool: Option<String>,
    /// What happens to a volume when its claim is deleted.
    #[serde(default)]
    pub reclaim_policy: ReclaimPolicy,
    /// The cluster's default storage class.
    #[serde(default)]
    pub default: bool,
    /// Volumes can be grown.
    #[serde(default = "default_true")]
    pub volume_expansion: bool,
    /// Volumes can be snapshotted: cephspray renders a VolumeSnapshotClass of the same name
    /// (needs `kubernetes.addons.snapshot_controller`).
    #[serde(default)]
    pub snapshots: bool,
}

fn default_subvolume_group() -> String {
    "csi".to_owned()
}

fn default_true() -> bool {
    true
}

spelled! {
    /// The kind of volumes a storage class provides.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
    )]
    pub enum StorageKind {
        /// CephFS sub-volumes: ReadWriteMany file systems.
        Cephfs = "cephfs",
        /// RBD images: ReadWriteOnce block devices.
        Rbd = "rbd",
    }
}

spelled! {
    /// Reclaim policies.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum ReclaimPolicy {
        /// The volume and its data go with the claim.
        #[default]
        Delete = "Delete",
        /// The volume stays for an administrator to reclaim.
        Retain = "Retain",
    }
}

spelled! {
    /// Pod network plugins.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum NetworkPlugin {
        /// Calico.
        #[default]
        Calico = "calico",
        /// Cilium.
        Cilium = "cilium",
        /// Flannel.
        Flannel = "flannel",
        /// kube-ovn.
        KubeOvn = "kube-ovn",
        /// kube-router.
        KubeRouter = "kube-router",
    }
}

spelled! {
    /// kube-proxy modes.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum ProxyMode {
        /// IPVS.
        #[default]
        Ipvs = "ipvs",
        /// iptables.
        Iptables = "iptables",
        /// nftables.
        Nftables = "nftables",
    }
}

spelled! {
    /// Container runtimes.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum ContainerRuntime {
        /// containerd.
        #[default]
        Containerd = "containerd",
        /// CRI-O.
        Crio = "crio",
    }
}
