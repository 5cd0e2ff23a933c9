//! The Ceph cluster: release, packages, replication, placement groups, pools and CephFS.

use super::patterns::{CEPH_NAME, HOST_NAME, UUID};
use super::spelled;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The Ceph cluster.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ceph {
    /// Ceph release: the one the ceph-ansible branch of `targets` deploys (stable-9.0: squid,
    /// stable-8.0: reef), which is also the default. Another one is refused.
    #[serde(default)]
    pub release: Option<CephRelease>,
    /// Where Ceph packages come from.
    #[serde(default)]
    pub origin: CephOrigin,
    /// OSD object store.
    #[serde(default)]
    pub objectstore: Objectstore,
    /// Copies of each object (replicated pools).
    #[serde(default = "default_size")]
    pub size: u8,
    /// Copies that must be up for a pool to accept writes.
    #[serde(default = "default_min_size")]
    pub min_size: u8,
    /// How pg_num is decided.
    #[serde(default)]
    pub pg: PgSettings,
    /// Pools, in creation order.
    #[serde(default)]
    pub pools: Vec<Pool>,
    /// A CephFS file system over two of `pools`.
    #[serde(default)]
    pub cephfs: Option<CephFs>,
    /// The Ceph dashboard, with its monitoring stack: Prometheus, Alertmanager and Grafana
    /// (passwords from the vault).
    #[serde(default)]
    pub dashboard: bool,
    /// The node that runs the dashboard's monitoring stack (with `dashboard`; default: the
    /// first mgr).
    #[serde(default)]
    #[schemars(pattern(HOST_NAME))]
    pub monitoring_node: Option<String>,
    /// The cluster's fsid, so that clients can name it before it exists. Derived from the
    /// cluster name when absent (a version 5 UUID), so it stays the same across renders.
    #[serde(default)]
    #[schemars(with = "Option<String>", pattern(UUID))]
    pub fsid: Option<uuid::Uuid>,
}

impl Default for Ceph {
    fn default() -> Self {
        Ceph {
            release: None,
            origin: CephOrigin::default(),
            objectstore: Objectstore::default(),
            size: default_size(),
            min_size: default_min_size(),
            pg: PgSettings::default(),
            pools: Vec::new(),
            cephfs: None,
            dashboard: false,
            monitoring_node: None,
            fsid: None,
        }
    }
}

fn default_size() -> u8 {
    3
}

fn default_min_size() -> u8 {
    2
}

spelled! {
    /// Ceph releases.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum CephRelease {
        /// Ceph 19 (squid).
        Squid = "squid",
        /// Ceph 18 (reef).
        Reef = "reef",
    }
}

spelled! {
    /// Where Ceph packages come from.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum CephOrigin {
        /// The Ceph community repository (download.ceph.com) for the chosen release.
        #[default]
        Community = "community",
        /// The distribution's own packages.
        Distro = "distro",
    }
}

spelled! {
    /// OSD object stores.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum Objectstore {
        /// BlueStore (the only store of current releases).
        #[default]
        Bluestore = "bluestore",
    }
}

/// How placement groups are sized.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PgSettings {
    /// `autoscale`: Ceph's autoscaler sizes pools from their shares; `fixed`: pg_num is written
    /// (given per pool, or computed like the Ceph PG calculator) and the autoscaler is off.
    #[serde(default)]
    pub mode: PgMode,
    /// PGs per OSD to aim for.
    #[serde(default = "default_target_pgs")]
    pub target_per_osd: u32,
}

impl Default for PgSettings {
    fn default() -> Self {
        PgSettings {
            mode: PgMode::default(),
            target_per_osd: default_target_pgs(),
        }
    }
}

fn default_target_pgs() -> u32 {
    100
}

spelled! {
    /// Placement-group sizing modes.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum PgMode {
        /// Ceph's pg_autoscaler decides, guided by each pool's share.
        #[default]
        Autoscale = "autoscale",
        /// pg_num is fixed at deploy time.
        Fixed = "fixed",
    }
}

/// A pool.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// Pool name: letters, digits, `_`, `.` and `-`, not starting with `-` or `.`.
    #[schemars(pattern(r"^[A-Za-z0-9_][-A-Za-z0-9_.]*$"))]
    pub name: String,
    /// What uses the pool.
    pub application: Application,
    /// Expected share of the cluster's data, in percent.
    #[serde(default)]
    pub share: Option<f64>,
    /// A fixed pg_num (with `pg.mode: fixed`); computed from the share when absent.
    #[serde(default)]
    pub pg_num: Option<u32>,
    /// Copies of each object, when not `ceph.size`.
    #[serde(default)]
    pub size: Option<u8>,
    /// Copies needed for writes, when not `ceph.min_size`.
    #[serde(default)]
    pub min_size: Option<u8>,
}

spelled! {
    /// What uses a pool.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum Application {
        /// CephFS data or metadata.
        Cephfs = "cephfs",
        /// RBD block images.
        Rbd = "rbd",
        /// RADOS gateway.
        Rgw = "rgw",
    }
}

/// A CephFS file system.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CephFs {
    /// File system name: letters, digits, `_`, `.` and `-` (not first).
    #[serde(default = "default_fs_name")]
    #[schemars(pattern(CEPH_NAME))]
    pub name: String,
    /// Name of the data pool (one of `ceph.pools`).
    pub data_pool: String,
    /// Name of the metadata pool (one of `ceph.pools`).
    pub metadata_pool: String,
}

fn default_fs_name() -> String {
    "cephfs".to_owned()
}
