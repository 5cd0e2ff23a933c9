//! kubespray's add-ons that fit a bare-metal cluster, as the user asks for them: each is off
//! unless written, and `true` (or a mapping of its settings) turns it on. What each one needs
//! from the rest of the cluster is checked in `check::addons`; docs/addons.md maps them to
//! kubespray's variables.

use super::net;
use super::patterns::{HOST_NAME, INTERFACE_NAME};
use super::{ReclaimPolicy, spelled};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use std::net::Ipv4Addr;

/// The add-ons of the Kubernetes cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Addons {
    /// metrics-server: the resource metrics `kubectl top` and autoscalers read.
    #[serde(
        default,
        deserialize_with = "toggle",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(schema_with = "toggle_schema::<MetricsServer>")]
    pub metrics_server: Option<MetricsServer>,
    /// The local-path provisioner: volumes in a directory of the node the pod runs on (no
    /// copies; for caches and scratch space, not for data that must survive a node).
    #[serde(
        default,
        deserialize_with = "toggle",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(schema_with = "toggle_schema::<LocalPath>")]
    pub local_path: Option<LocalPath>,
    /// The CSI snapshot controller and the VolumeSnapshot CRDs (needed by storage classes with
    /// `snapshots: true`).
    #[serde(default)]
    pub snapshot_controller: bool,
    /// The Gateway API CRDs (CRDs only: the controller is yours to install).
    #[serde(
        default,
        deserialize_with = "toggle",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(schema_with = "toggle_schema::<GatewayApi>")]
    pub gateway_api: Option<GatewayApi>,
    /// MetalLB: addresses for Services of type LoadBalancer, announced by ARP (layer 2) or BGP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metallb: Option<MetalLb>,
    /// A virtual IP in front of the API servers, held by kube-vip on one control plane at a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vip: Option<Vip>,
    /// Argo CD (its admin password comes from the vault: `secrets.argocd_admin_password`).
    #[serde(default)]
    pub argocd: bool,
    /// node-feature-discovery: labels nodes with their hardware and kernel features.
    #[serde(default)]
    pub node_feature_discovery: bool,
    /// A container image registry inside the cluster.
    #[serde(
        default,
        deserialize_with = "toggle",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(schema_with = "toggle_schema::<Registry>")]
    pub registry: Option<Registry>,
    /// A scheduled snapshot of etcd on every etcd node (a systemd timer), besides the copy
    /// kubespray takes before it restarts etcd.
    #[serde(
        default,
        deserialize_with = "toggle",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(schema_with = "toggle_schema::<EtcdBackup>")]
    pub etcd_backup: Option<EtcdBackup>,
}

/// The schema of an add-on written as `true` (on, with its defaults), `false` (off) or a mapping
/// of its settings.
fn toggle_schema<T: JsonSchema>(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let settings = generator.subschema_for::<T>();
    schemars::json_schema!({
        "anyOf": [
            { "type": "boolean", "description": "On with its defaults (`true`), or off (`false`)." },
            settings
        ]
    })
}

/// Reads an add-on written as `true`, `false` or a mapping.
fn toggle<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    struct Visitor<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de> + Default> serde::de::Visitor<'de> for Visitor<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("true, false or a mapping of the add-on's settings")
        }
        fn visit_bool<E: serde::de::Error>(self, on: bool) -> Result<Option<T>, E> {
            Ok(on.then(T::default))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }
    deserializer.deserialize_any(Visitor(std::marker::PhantomData))
}

/// metrics-server's settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetricsServer {
    /// How many replicas run (2 or more keep metrics while a node is down).
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = 10))]
    pub replicas: u8,
}

impl Default for MetricsServer {
    fn default() -> Self {
        MetricsServer { replicas: 1 }
    }
}

fn one() -> u8 {
    1
}

/// The local-path provisioner's settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalPath {
    /// The storage class's name (a lowercase RFC 1123 name).
    #[serde(default = "default_local_path_class")]
    #[schemars(pattern(HOST_NAME))]
    pub storage_class: String,
    /// The directory on each node that holds the volumes (an absolute path).
    #[serde(default = "default_claim_root")]
    #[schemars(pattern(r"^/[-A-Za-z0-9_./]*$"))]
    pub claim_root: String,
    /// What happens to a volume when its claim is deleted.
    #[serde(default)]
    pub reclaim_policy: ReclaimPolicy,
    /// The cluster's default storage class (kubespray makes it the default unless told not to;
    /// cephspray only when this says so).
    #[serde(default)]
    pub default: bool,
}

impl Default for LocalPath {
    fn default() -> Self {
        LocalPath {
            storage_class: default_local_path_class(),
            claim_root: default_claim_root(),
            reclaim_policy: ReclaimPolicy::default(),
            default: false,
        }
    }
}

fn default_local_path_class() -> String {
    "local-path".to_owned()
}

fn default_claim_root() -> String {
    "/opt/local-path-provisioner/".to_owned()
}

/// The Gateway API CRDs' settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayApi {
    /// The release channel.
    #[serde(default)]
    pub channel: GatewayChannel,
}

spelled! {
    /// The Gateway API's release channels.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum GatewayChannel {
        /// The resources that reached GA or beta (GatewayClass, Gateway, HTTPRoute, ReferenceGrant).
        #[default]
        Standard = "standard",
        /// The standard resources plus the experimental ones, which may change or go.
        Experimental = "experimental",
    }
}

/// MetalLB: address pools and how they are announced.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetalLb {
    /// The address pools.
    #[schemars(length(min = 1))]
    pub pools: Vec<MetalLbPool>,
    /// The BGP session settings (with pools announced by BGP).
    #[serde(default)]
    pub bgp: Option<Bgp>,
}

/// A MetalLB address pool.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MetalLbPool {
    /// The pool's name (a lowercase RFC 1123 name).
    #[schemars(pattern(HOST_NAME), example = &"public")]
    pub name: String,
    /// Its addresses: networks (`192.0.2.0/28`) or ranges (`192.0.2.10-192.0.2.20`).
    #[schemars(length(min = 1), example = &["192.0.2.10-192.0.2.20"])]
    pub addresses: Vec<String>,
    /// How the pool's addresses are announced: `layer2` (ARP, the nodes must share an
    /// Ethernet segment with the clients) or `bgp` (to the routers of `metallb.bgp`).
    #[serde(default)]
    pub announce: Announce,
    /// Services get addresses from this pool without asking for it.
    #[serde(default = "yes")]
    pub auto_assign: bool,
}

fn yes() -> bool {
    true
}

spelled! {
    /// How addresses are announced to the network.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
    pub enum Announce {
        /// ARP replies from the node that holds the address: the nodes and their clients share
        /// an Ethernet segment.
        #[default]
        Layer2 = "layer2",
        /// BGP routes to routers that peer with the nodes.
        Bgp = "bgp",
    }
}

/// BGP sessions between the nodes and routers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bgp {
    /// The nodes' autonomous system number.
    pub asn: u32,
    /// The routers.
    #[schemars(length(min = 1))]
    pub peers: Vec<BgpPeer>,
}

/// A BGP router the nodes peer with.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BgpPeer {
    /// The peer's name (a lowercase RFC 1123 name).
    #[schemars(pattern(HOST_NAME))]
    pub name: String,
    /// The router's address.
    #[serde(deserialize_with = "net::address")]
    #[schemars(with = "String")]
    pub address: Ipv4Addr,
    /// The router's autonomous system number.
    pub asn: u32,
}

/// A virtual IP for the API servers, held by kube-vip.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vip {
    /// The address: in the private network, on no node. It becomes the API servers' endpoint
    /// and is added to their certificate.
    #[serde(deserialize_with = "net::address")]
    #[schemars(with = "String", example = &"10.8.0.10")]
    pub address: Ipv4Addr,
    /// How the address is announced: `layer2` (ARP on the private network's interface) or
    /// `bgp` (to `bgp.peers`).
    #[serde(default)]
    pub announce: Announce,
    /// The control planes' interface on the private network (with `layer2`; kube-vip would
    /// otherwise take the default route's).
    #[serde(default)]
    #[schemars(pattern(INTERFACE_NAME), example = &"enp7s0.4000")]
    pub interface: Option<String>,
    /// The BGP sessions (with `announce: bgp`).
    #[serde(default)]
    pub bgp: Option<Bgp>,
}

/// The in-cluster registry's settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// The storage class of its volume (without one, images live in an emptyDir and are lost
    /// when the pod moves).
    #[serde(default)]
    #[schemars(pattern(HOST_NAME))]
    pub storage_class: Option<String>,
    /// The volume's size, in Kubernetes quantity notation.
    #[serde(default = "default_registry_size")]
    #[schemars(pattern(r"^[1-9][0-9]*(Ki|Mi|Gi|Ti)$"))]
    pub size: String,
    /// How the registry is reached.
    #[serde(default)]
    pub service: RegistryService,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            storage_class: None,
            size: default_registry_size(),
            service: RegistryService::default(),
        }
    }
}

fn default_registry_size() -> String {
    "10Gi".to_owned()
}

/// The registry's Service: its type, with the fixed address or port only that type takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum RegistryService {
    /// Reached inside the cluster; optionally at a fixed address of the service network.
    #[default]
    ClusterIP,
    /// On a port of every node (30000 to 32767).
    NodePort {
        /// The port (kubespray picks one when absent).
        #[serde(default)]
        port: Option<u16>,
    },
    /// At an address of a MetalLB pool.
    LoadBalancer {
        /// The address (MetalLB picks one when absent).
        #[serde(default, deserialize_with = "net::optional_address")]
        #[schemars(with = "Option<String>")]
        address: Option<Ipv4Addr>,
    },
}

/// Scheduled etcd snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EtcdBackup {
    /// When, as a systemd calendar event (`daily`, `*-*-* 03:00:00`).
    #[serde(default = "default_schedule")]
    #[schemars(pattern(r"^[-A-Za-z0-9 :*/,.~]+$"))]
    pub schedule: String,
    /// How many snapshots each node keeps (also kubespray's pre-restart copies).
    #[serde(default = "default_keep")]
    #[schemars(range(min = 1, max = 1000))]
    pub keep: u16,
    /// Where the snapshots go (an absolute path).
    #[serde(default = "default_backup_dir")]
    #[schemars(pattern(r"^/[-A-Za-z0-9_./]*$"))]
    pub directory: String,
}

impl Default for EtcdBackup {
    fn default() -> Self {
        EtcdBackup {
            schedule: default_schedule(),
            keep: default_keep(),
            directory: default_backup_dir(),
        }
    }
}

fn default_schedule() -> String {
    "daily".to_owned()
}

fn default_keep() -> u16 {
    7
}

fn default_backup_dir() -> String {
    "/var/backups/etcd".to_owned()
}
