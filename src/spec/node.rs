//! One server: how to reach it, what it runs, where it sits in CRUSH and the disks it gives Ceph.

use super::patterns::{CEPH_NAME, DEVICE, HOST_NAME, SSH_ADDRESS, USER_NAME};
use super::{ByteSize, Role, net, spelled};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

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
    /// Where the other nodes reach this one's WireGuard (with `network.private.provider:
    /// wireguard`): its public endpoint, by default `ssh.address`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wireguard: Option<NodeWireguard>,
}

impl Node {
    /// Where the other nodes of a WireGuard mesh send to: `wireguard.endpoint`, else
    /// `ssh.address`.
    pub fn wireguard_endpoint(&self) -> Option<&str> {
        self.wireguard
            .as_ref()
            .and_then(|w| w.endpoint.as_deref())
            .or_else(|| self.ssh.as_ref().and_then(|s| s.address.as_deref()))
    }

    /// The UDP port this node's WireGuard listens on: its own, else the mesh's.
    pub fn wireguard_port(&self, mesh: &super::Wireguard) -> u16 {
        self.wireguard
            .as_ref()
            .and_then(|w| w.port)
            .unwrap_or(mesh.port)
    }
}

/// A node's WireGuard endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeWireguard {
    /// The public IPv4 address or DNS name peers send to (default: `ssh.address`).
    #[serde(default)]
    #[schemars(pattern(SSH_ADDRESS))]
    pub endpoint: Option<String>,
    /// The UDP port this node listens on (default: the mesh's port), e.g. to share one public
    /// address behind a NAT with another node.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub port: Option<u16>,
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

spelled! {
    /// Whether a device is a whole disk or a partition.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum DiskKind {
        /// A whole disk: ceph-volume creates the LVM layout itself.
        #[default]
        Disk = "disk",
        /// A partition: used as the OSD's data device as it is.
        Partition = "partition",
    }
}
