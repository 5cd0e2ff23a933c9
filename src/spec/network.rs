//! The networks of the cluster, as a section of the spec (the parsing of addresses and networks
//! lives in `net`).

use super::net;
use super::patterns::CIDR;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
