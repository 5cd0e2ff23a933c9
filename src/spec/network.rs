//! The networks of the cluster, as a section of the spec (the parsing of addresses and networks
//! lives in `net`): the private network and how it exists, Kubernetes' own networks, and what
//! the host firewall lets in.

use super::net;
use super::patterns::{CIDR, INTERFACE_NAME};
use super::{Role, spelled};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

/// The networks of the cluster (IPv4).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// The private network that Ceph and Kubernetes use and bind to; every node's `address`
    /// lies in it (Ceph's public_network). Either a network the nodes already share, written as
    /// a CIDR (`10.8.0.0/24`: a provider's vSwitch, a LAN, a VPN of your own), or a mapping that
    /// says how it is provided: `{ network: 10.8.0.0/24, provider: wireguard }` makes cephspray
    /// build a WireGuard full mesh between the nodes' public addresses.
    pub private: Private,
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
    /// The host firewall (nftables, a table of cephspray's own): from outside the cluster's
    /// networks only SSH, the mesh's WireGuard port, ICMP and the ports exposed here get in.
    #[serde(default)]
    pub firewall: Firewall,
}

fn default_pods() -> ipnet::Ipv4Net {
    "10.233.64.0/18".parse().expect("valid default")
}

fn default_services() -> ipnet::Ipv4Net {
    "10.233.0.0/18".parse().expect("valid default")
}

/// The private network and how it exists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Private {
    /// The network.
    pub network: ipnet::Ipv4Net,
    /// How the nodes share it.
    pub provider: Provider,
    /// The mesh's settings, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wireguard: Option<Wireguard>,
}

impl Private {
    /// The mesh settings when cephspray provides the network as a WireGuard mesh.
    pub fn mesh(&self) -> Option<Wireguard> {
        (self.provider == Provider::Wireguard).then(|| self.wireguard.clone().unwrap_or_default())
    }
}

/// The private network as a mapping (a CIDR alone is read as `{ network: CIDR }`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PrivateNetwork")]
struct PrivateMapping {
    /// The network, e.g. 10.8.0.0/24.
    #[serde(deserialize_with = "net::network")]
    #[schemars(with = "String", pattern(CIDR), example = &"10.8.0.0/24")]
    network: ipnet::Ipv4Net,
    /// How the nodes share it: `existing` (they already do), or `wireguard` (a full mesh that
    /// cephspray sets up, each node a peer of every other over its public endpoint).
    #[serde(default)]
    provider: Provider,
    /// The mesh's settings (with `provider: wireguard`).
    #[serde(default)]
    wireguard: Option<Wireguard>,
}

impl JsonSchema for Private {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Private".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mapping = generator.subschema_for::<PrivateMapping>();
        schemars::json_schema!({
            "anyOf": [
                { "type": "string", "pattern": CIDR, "examples": ["10.8.0.0/24"] },
                mapping,
            ]
        })
    }
}

impl<'de> Deserialize<'de> for Private {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Private;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a network such as 10.8.0.0/24, or a mapping such as \
                     `{ network: 10.8.0.0/24, provider: wireguard }`",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Private, E> {
                Ok(Private {
                    network: net::parse_network(v).map_err(E::custom)?,
                    provider: Provider::Existing,
                    wireguard: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Private, A::Error> {
                let m =
                    PrivateMapping::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Private {
                    network: m.network,
                    provider: m.provider,
                    wireguard: m.wireguard,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

spelled! {
    /// How the nodes share the private network.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum Provider {
        /// The nodes already share it (a provider's private network, a LAN, a VPN of your own).
        #[default]
        Existing = "existing",
        /// cephspray makes it a WireGuard full mesh over the nodes' public endpoints.
        Wireguard = "wireguard",
    }
}

/// The WireGuard mesh's settings, the same on every node.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Wireguard {
    /// The interface's name (at most 15 letters, digits, `_`, `=`, `+`, `.`, `-`, as wg-quick
    /// accepts them).
    #[serde(default = "default_interface")]
    #[schemars(pattern(INTERFACE_NAME))]
    pub interface: String,
    /// The UDP port each node listens on (a node's `wireguard.port` may differ).
    #[serde(default = "default_port")]
    #[schemars(range(min = 1))]
    pub port: u16,
    /// The tunnel's MTU: WireGuard adds 60 bytes to each packet over IPv4, so 1420 fits a
    /// 1500-byte path with room to spare (wg-quick's own choice). Kubernetes' pod network is
    /// sized inside it.
    #[serde(default = "default_mtu")]
    #[schemars(range(min = 1280, max = 9000))]
    pub mtu: u16,
    /// The MTU of the path between the nodes' public addresses (1500 on the internet and most
    /// providers' networks): `mtu` plus WireGuard's 60 bytes must fit in it.
    #[serde(default = "default_path_mtu")]
    #[schemars(range(min = 1340, max = 9216))]
    pub path_mtu: u16,
}

impl Default for Wireguard {
    fn default() -> Self {
        Wireguard {
            interface: default_interface(),
            port: default_port(),
            mtu: default_mtu(),
            path_mtu: default_path_mtu(),
        }
    }
}

fn default_interface() -> String {
    "wg0".to_owned()
}

fn default_port() -> u16 {
    51820
}

fn default_mtu() -> u16 {
    1420
}

fn default_path_mtu() -> u16 {
    1500
}

/// What WireGuard adds to each packet it carries over IPv4 (20 IP + 8 UDP + 32 of its own).
pub const WIREGUARD_OVERHEAD: u16 = 60;

/// What the host firewall lets in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Firewall {
    /// Write `playbooks/firewall.yml` and the per-node rules (default true). Without it nothing
    /// keeps the API server, etcd, the kubelet or Ceph from answering on public addresses.
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Ports open to everyone, on the nodes of some roles or on some nodes (SSH and the mesh's
    /// port always are), e.g. `[{ ports: [80, 443], roles: [worker] }]` for an ingress.
    #[serde(default)]
    pub expose: Vec<Expose>,
}

impl Default for Firewall {
    fn default() -> Self {
        Firewall {
            enabled: true,
            expose: Vec::new(),
        }
    }
}

fn default_true() -> bool {
    true
}

/// Ports open to everyone on some nodes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expose {
    /// The ports (1 to 65535).
    #[schemars(length(min = 1))]
    pub ports: Vec<u16>,
    /// Their protocol.
    #[serde(default)]
    pub protocol: Protocol,
    /// On the nodes with any of these roles; with neither `roles` nor `nodes`, on every node.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// On these nodes, by name.
    #[serde(default)]
    pub nodes: Vec<String>,
}

spelled! {
    /// A transport protocol.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema)]
    pub enum Protocol {
        /// TCP.
        #[default]
        Tcp = "tcp",
        /// UDP.
        Udp = "udp",
    }
}
