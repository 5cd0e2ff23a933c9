//! What the user writes: the typed cluster spec.
//!
//! Every type here is release-neutral: it names what the cluster *is*, never a variable of one
//! kubespray or ceph-ansible release. The doc comments become the JSON Schema in `schemas/`.

mod annotate;
mod canonical;
mod load;
mod locate;
mod messages;
pub mod net;
mod rules;
mod size;

pub use annotate::annotate;
pub use canonical::device as canonical_device;
pub use load::{SpecError, load_file, parse};
pub use locate::Locations;
pub use rules::{SecretKind, SecretNeed, osd_hosts, osd_nodes, roles_of, secret_needs, short_name};
pub use size::ByteSize;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// An IPv4 network in CIDR notation, for the schema.
const CIDR: &str = r"^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/(3[0-2]|[12]?[0-9])$";
/// A lowercase RFC 1123 host name, for the schema.
const HOST_NAME: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// A cluster name (an RFC 1123 label), for the schema.
const CLUSTER_NAME: &str = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
/// A Ceph pool, file system, CRUSH bucket or sub-volume group name, for the schema.
const CEPH_NAME: &str = r"^[A-Za-z0-9_.][-A-Za-z0-9_.]*$";
/// A Linux user name, for the schema.
const USER_NAME: &str = r"^[A-Za-z0-9_.][-A-Za-z0-9_.]{0,31}$";
/// An IP address or a DNS name, for the schema (roughly: `check` parses it).
const SSH_ADDRESS: &str = r"^[0-9A-Za-z.:][-0-9A-Za-z.:]*$";
/// A device path, for the schema.
const DEVICE: &str = r"^/dev/[-A-Za-z0-9#+.:=@_/\\]+$";
/// A UUID, for the schema.
const UUID: &str = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// A Kubernetes + Ceph cluster on a few servers.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The cluster as a whole.
    pub cluster: Cluster,
    /// The releases of kubespray and ceph-ansible the inventory is written for.
    #[serde(default)]
    pub targets: Targets,
    /// The networks every service binds to.
    pub network: Network,
    /// The servers, in the order they should be listed.
    pub nodes: Vec<Node>,
    /// The Ceph cluster.
    #[serde(default)]
    pub ceph: Ceph,
    /// The Kubernetes cluster.
    #[serde(default)]
    pub kubernetes: Kubernetes,
    /// Where each secret comes from. Never a value: `generate` (the default for every secret the
    /// cluster needs), `{ env: NAME }` or `{ file: PATH }`. Values end up encrypted in
    /// `group_vars/all/vault.yml`.
    #[serde(default)]
    pub secrets: Secrets,
    /// Variables the model does not cover yet, per inventory group, rendered as given.
    /// Keys are role names (see `Role`) or `all` / `k8s_cluster`, then Ansible variable names;
    /// values are written as typed YAML (a string stays a string, whatever YAML 1.1 would make
    /// of it). The one place where Jinja passes through: Ansible templates these values, so
    /// `{{ … }}` here runs on the Ansible controller (every other spec string is data).
    #[serde(default)]
    pub extra_vars: IndexMap<VarGroup, IndexMap<String, serde_json::Value>>,
}

/// The cluster as a whole.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// A short name, used in generated comments and as the seed of derived identifiers: a DNS
    /// label (lowercase letters, digits and `-` inside, at most 63 characters).
    #[schemars(pattern(CLUSTER_NAME), example = &"pair2jeux")]
    pub name: String,
}

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

/// Supported kubespray releases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
pub enum KubesprayRelease {
    /// kubespray v2.31.x
    #[default]
    #[serde(rename = "2.31")]
    V2_31,
    /// kubespray v2.30.x
    #[serde(rename = "2.30")]
    V2_30,
}

/// Supported ceph-ansible branches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
pub enum CephAnsibleRelease {
    /// ceph-ansible stable-9.0 (Ceph squid)
    #[default]
    #[serde(rename = "stable-9.0")]
    Stable9_0,
    /// ceph-ansible stable-8.0 (Ceph reef)
    #[serde(rename = "stable-8.0")]
    Stable8_0,
}

/// Supported ceph-csi chart releases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
pub enum CephCsiRelease {
    /// ceph-csi-cephfs and ceph-csi-rbd 3.12.x
    #[default]
    #[serde(rename = "3.12")]
    V3_12,
}

/// The networks of the cluster (IPv4).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// The private network (VPN or LAN) that Ceph and Kubernetes use and bind to; every node's
    /// `address` lies in it. Ceph's public_network.
    #[serde(deserialize_with = "net::network")]
    #[schemars(with = "String", pattern(CIDR), example = &"10.8.0.0/24")]
    pub private: ipnet::Ipv4Net,
    /// An optional separate network for Ceph replication traffic (Ceph's cluster_network).
    #[serde(default, deserialize_with = "net::optional_network")]
    #[schemars(with = "Option<String>", pattern(CIDR))]
    pub ceph_cluster: Option<ipnet::Ipv4Net>,
    /// Kubernetes pod network.
    #[serde(default = "default_pods", deserialize_with = "net::network")]
    #[schemars(with = "String", pattern(CIDR))]
    pub pods: ipnet::Ipv4Net,
    /// Kubernetes service network.
    #[serde(default = "default_services", deserialize_with = "net::network")]
    #[schemars(with = "String", pattern(CIDR))]
    pub services: ipnet::Ipv4Net,
}

fn default_pods() -> ipnet::Ipv4Net {
    "10.233.64.0/18".parse().expect("valid default")
}

fn default_services() -> ipnet::Ipv4Net {
    "10.233.0.0/18".parse().expect("valid default")
}

/// One server.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Inventory and host name: a lowercase RFC 1123 name.
    #[schemars(pattern(HOST_NAME), length(max = 253), example = &"node1.local")]
    pub name: String,
    /// The private address every service of this node binds to; inside `network.private`.
    #[serde(deserialize_with = "net::address")]
    #[schemars(example = &"10.8.0.1")]
    pub address: Ipv4Addr,
    /// How Ansible reaches the node, when not by its private address.
    #[serde(default)]
    pub ssh: Option<Ssh>,
    /// What the node runs. A node with no roles listed has all of them.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Where the node sits in the CRUSH hierarchy (its `host` bucket is implied).
    #[serde(default)]
    pub crush: CrushLocation,
    /// Disks and partitions given to Ceph OSDs.
    #[serde(default)]
    pub disks: Vec<Disk>,
}

/// SSH connection facts of a node.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ssh {
    /// IP address or DNS name Ansible connects to (may be public).
    #[serde(default)]
    #[schemars(pattern(SSH_ADDRESS))]
    pub address: Option<String>,
    /// Remote user: a Linux user name (letters, digits, `_`, `.`, `-` not first; at most 32).
    #[serde(default)]
    #[schemars(pattern(USER_NAME))]
    pub user: Option<String>,
    /// Remote port (1 to 65535).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub port: Option<u16>,
}

/// A role a node plays.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Kubernetes control plane (API server, scheduler, controller manager).
    ControlPlane,
    /// Kubernetes worker.
    Worker,
    /// etcd member.
    Etcd,
    /// Ceph monitor.
    Mon,
    /// Ceph manager.
    Mgr,
    /// Ceph metadata server (CephFS).
    Mds,
    /// Ceph OSDs on the node's disks.
    Osd,
    /// Ceph client (ceph.conf and keys installed).
    CephClient,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 8] = [
        Role::ControlPlane,
        Role::Worker,
        Role::Etcd,
        Role::Mon,
        Role::Mgr,
        Role::Mds,
        Role::Osd,
        Role::CephClient,
    ];

    /// The spelling users write.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ControlPlane => "control_plane",
            Role::Worker => "worker",
            Role::Etcd => "etcd",
            Role::Mon => "mon",
            Role::Mgr => "mgr",
            Role::Mds => "mds",
            Role::Osd => "osd",
            Role::CephClient => "ceph_client",
        }
    }
}

/// A group of nodes that `extra_vars` can address: every node, every Kubernetes node, or the
/// nodes of one role (written as the role's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VarGroup {
    /// Every node (`all`).
    All,
    /// Every Kubernetes node, control plane and workers (`k8s_cluster`).
    K8sCluster,
    /// The nodes with a role.
    Role(Role),
}

impl VarGroup {
    /// The groups that are not a role, by the names users write.
    const OTHERS: [(&'static str, VarGroup); 2] = [
        ("all", VarGroup::All),
        ("k8s_cluster", VarGroup::K8sCluster),
    ];

    /// The spelling users write.
    pub fn as_str(self) -> &'static str {
        match self {
            VarGroup::All => "all",
            VarGroup::K8sCluster => "k8s_cluster",
            VarGroup::Role(role) => role.as_str(),
        }
    }
}

impl From<Role> for VarGroup {
    fn from(role: Role) -> VarGroup {
        VarGroup::Role(role)
    }
}

impl Serialize for VarGroup {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for VarGroup {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        if let Some((_, group)) = VarGroup::OTHERS.iter().find(|(n, _)| *n == name) {
            return Ok(*group);
        }
        match Role::ALL.into_iter().find(|role| role.as_str() == name) {
            Some(role) => Ok(VarGroup::Role(role)),
            None => Err(serde::de::Error::unknown_variant(&name, &VAR_GROUP_NAMES)),
        }
    }
}

/// Every `extra_vars` key, as serde's messages list them (a test keeps it equal to
/// [`VarGroup::OTHERS`] and [`Role::ALL`]).
const VAR_GROUP_NAMES: [&str; 10] = [
    "all",
    "k8s_cluster",
    "control_plane",
    "worker",
    "etcd",
    "mon",
    "mgr",
    "mds",
    "osd",
    "ceph_client",
];

impl JsonSchema for VarGroup {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "VarGroup".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": VAR_GROUP_NAMES })
    }
}

#[cfg(test)]
mod var_group_tests {
    use super::*;

    #[test]
    fn every_group_name_is_listed_and_read_back() {
        let names: Vec<&str> = VarGroup::OTHERS
            .iter()
            .map(|(name, _)| *name)
            .chain(Role::ALL.iter().map(|role| role.as_str()))
            .collect();
        assert_eq!(names, VAR_GROUP_NAMES);
        for name in names {
            let group: VarGroup = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(group.as_str(), name);
        }
    }
}

/// A node's place in the CRUSH hierarchy, above its host bucket. Every level is optional; bucket
/// names are letters, digits, `_`, `.` and `-` (not first), as Ceph accepts them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrushLocation {
    /// The CRUSH root (default: `default`).
    #[serde(default)]
    #[schemars(pattern(CEPH_NAME))]
    pub root: Option<String>,
    /// Region bucket.
    #[serde(default)]
    #[schemars(pattern(CEPH_NAME))]
    pub region: Option<String>,
    /// Datacenter bucket.
    #[serde(default)]
    #[schemars(pattern(CEPH_NAME))]
    pub datacenter: Option<String>,
    /// Room bucket.
    #[serde(default)]
    #[schemars(pattern(CEPH_NAME))]
    pub room: Option<String>,
    /// Pod bucket.
    #[serde(default)]
    #[schemars(pattern(CEPH_NAME))]
    pub pod: Option<String>,
    /// PDU bucket.
    #[serde(default)]
    #[schemars(pattern(CEPH_NAME))]
    pub pdu: Option<String>,
    /// Row bucket.
    #[serde(default)]
    #[schemars(pattern(CEPH_NAME))]
    pub row: Option<String>,
    /// Rack bucket.
    #[serde(default)]
    #[schemars(pattern(CEPH_NAME))]
    pub rack: Option<String>,
    /// Chassis bucket.
    #[serde(default)]
    #[schemars(pattern(CEPH_NAME))]
    pub chassis: Option<String>,
}

impl CrushLocation {
    /// The buckets that are set, from the top of the hierarchy down (Ceph's type order).
    pub fn levels(&self) -> Vec<(&'static str, &str)> {
        [
            ("region", &self.region),
            ("datacenter", &self.datacenter),
            ("room", &self.room),
            ("pod", &self.pod),
            ("pdu", &self.pdu),
            ("row", &self.row),
            ("rack", &self.rack),
            ("chassis", &self.chassis),
        ]
        .into_iter()
        .filter_map(|(kind, value)| value.as_deref().map(|v| (kind, v)))
        .collect()
    }

    /// True when nothing is set.
    pub fn is_empty(&self) -> bool {
        self.root.is_none() && self.levels().is_empty()
    }
}

/// A block device given to Ceph.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Disk {
    /// Device path: `/dev/`, then letters, digits and `#+-.:=@_/\` (what udev names devices
    /// and links with).
    #[schemars(pattern(DEVICE), example = &"/dev/sdb")]
    pub device: String,
    /// Capacity, e.g. `3TB` (decimal) or `2.7TiB` (binary).
    pub size: ByteSize,
    /// A whole disk or a partition (e.g. the free space of the system disk).
    #[serde(default, rename = "type")]
    pub kind: DiskKind,
}

/// Whether a device is a whole disk or a partition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiskKind {
    /// A whole disk: ceph-volume creates the LVM layout itself.
    #[default]
    Disk,
    /// A partition: used as the OSD's data device as it is.
    Partition,
}

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
    /// The Ceph dashboard (needs passwords from the vault, and grafana on the first mgr).
    #[serde(default)]
    pub dashboard: bool,
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

/// Ceph releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CephRelease {
    /// Ceph 19 (squid).
    Squid,
    /// Ceph 18 (reef).
    Reef,
}

impl CephRelease {
    /// The release's code name.
    pub fn as_str(self) -> &'static str {
        match self {
            CephRelease::Squid => "squid",
            CephRelease::Reef => "reef",
        }
    }
}

/// Where Ceph packages come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CephOrigin {
    /// The Ceph community repository (download.ceph.com) for the chosen release.
    #[default]
    Community,
    /// The distribution's own packages.
    Distro,
}

/// OSD object stores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Objectstore {
    /// BlueStore (the only store of current releases).
    #[default]
    Bluestore,
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

/// Placement-group sizing modes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PgMode {
    /// Ceph's pg_autoscaler decides, guided by each pool's share.
    #[default]
    Autoscale,
    /// pg_num is fixed at deploy time.
    Fixed,
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

/// What uses a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Application {
    /// CephFS data or metadata.
    Cephfs,
    /// RBD block images.
    Rbd,
    /// RADOS gateway.
    Rgw,
}

impl Application {
    /// Ceph's application name.
    pub fn as_str(self) -> &'static str {
        match self {
            Application::Cephfs => "cephfs",
            Application::Rbd => "rbd",
            Application::Rgw => "rgw",
        }
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
}

fn default_subvolume_group() -> String {
    "csi".to_owned()
}

fn default_true() -> bool {
    true
}

/// The kind of volumes a storage class provides.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StorageKind {
    /// CephFS sub-volumes: ReadWriteMany file systems.
    Cephfs,
    /// RBD images: ReadWriteOnce block devices.
    Rbd,
}

impl StorageKind {
    /// The driver's name as users write it.
    pub fn as_str(self) -> &'static str {
        match self {
            StorageKind::Cephfs => "cephfs",
            StorageKind::Rbd => "rbd",
        }
    }
}

/// Reclaim policies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ReclaimPolicy {
    /// The volume and its data go with the claim.
    #[default]
    Delete,
    /// The volume stays for an administrator to reclaim.
    Retain,
}

/// Pod network plugins.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NetworkPlugin {
    /// Calico.
    #[default]
    Calico,
    /// Cilium.
    Cilium,
    /// Flannel.
    Flannel,
    /// kube-ovn.
    KubeOvn,
    /// kube-router.
    KubeRouter,
}

/// kube-proxy modes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProxyMode {
    /// IPVS.
    #[default]
    Ipvs,
    /// iptables.
    Iptables,
    /// nftables.
    Nftables,
}

/// Container runtimes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContainerRuntime {
    /// containerd.
    #[default]
    Containerd,
    /// CRI-O.
    Crio,
}

/// Where each secret comes from; a secret the cluster needs and that is not listed is generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Secrets {
    /// The Ceph dashboard's admin password (with `ceph.dashboard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceph_dashboard_admin_password: Option<SecretSource>,
    /// Grafana's admin password (with `ceph.dashboard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceph_grafana_admin_password: Option<SecretSource>,
    /// The cephx key of ceph-csi's CephFS user (with a cephfs storage class).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceph_csi_cephfs_key: Option<SecretSource>,
    /// The cephx key of ceph-csi's RBD user (with an rbd storage class).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceph_csi_rbd_key: Option<SecretSource>,
}

impl Secrets {
    /// The source given for `name`, if any.
    pub fn source(&self, name: SecretName) -> Option<&SecretSource> {
        match name {
            SecretName::CephDashboardAdminPassword => self.ceph_dashboard_admin_password.as_ref(),
            SecretName::CephGrafanaAdminPassword => self.ceph_grafana_admin_password.as_ref(),
            SecretName::CephCsiCephfsKey => self.ceph_csi_cephfs_key.as_ref(),
            SecretName::CephCsiRbdKey => self.ceph_csi_rbd_key.as_ref(),
        }
    }

    /// The secrets given a source.
    pub fn given(&self) -> Vec<SecretName> {
        SecretName::ALL
            .into_iter()
            .filter(|name| self.source(*name).is_some())
            .collect()
    }
}

/// The secrets a cluster may need.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SecretName {
    /// The Ceph dashboard's admin password (with `ceph.dashboard`).
    CephDashboardAdminPassword,
    /// Grafana's admin password (with `ceph.dashboard`).
    CephGrafanaAdminPassword,
    /// The cephx key of ceph-csi's CephFS user (with a cephfs storage class).
    CephCsiCephfsKey,
    /// The cephx key of ceph-csi's RBD user (with an rbd storage class).
    CephCsiRbdKey,
}

impl SecretName {
    /// Every secret.
    pub const ALL: [SecretName; 4] = [
        SecretName::CephDashboardAdminPassword,
        SecretName::CephGrafanaAdminPassword,
        SecretName::CephCsiCephfsKey,
        SecretName::CephCsiRbdKey,
    ];

    /// The spelling users write.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretName::CephDashboardAdminPassword => "ceph_dashboard_admin_password",
            SecretName::CephGrafanaAdminPassword => "ceph_grafana_admin_password",
            SecretName::CephCsiCephfsKey => "ceph_csi_cephfs_key",
            SecretName::CephCsiRbdKey => "ceph_csi_rbd_key",
        }
    }
}

/// Where a secret's value comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecretSource {
    /// A new random value the first time, kept in the vault from then on.
    #[default]
    Generate,
    /// The value of this environment variable when rendering.
    Env(String),
    /// The contents of this file (relative to the spec; trailing newline dropped).
    File(std::path::PathBuf),
}
