//! The roles a node can play.

use super::spelled;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

spelled! {
    /// A role a node plays.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
    )]
    pub enum Role {
        /// Kubernetes control plane (API server, scheduler, controller manager).
        ControlPlane = "control_plane",
        /// Kubernetes worker.
        Worker = "worker",
        /// etcd member.
        Etcd = "etcd",
        /// Ceph monitor.
        Mon = "mon",
        /// Ceph manager.
        Mgr = "mgr",
        /// Ceph metadata server (CephFS).
        Mds = "mds",
        /// Ceph OSDs on the node's disks.
        Osd = "osd",
        /// Ceph client (ceph.conf and keys installed).
        CephClient = "ceph_client",
    }
}
