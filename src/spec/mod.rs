//! What the user writes: the typed cluster spec.
//!
//! Every type here is release-neutral: it names what the cluster *is*, never a variable of one
//! kubespray or ceph-ansible release. The doc comments become the JSON Schema in `schemas/`.

mod addons;
mod annotate;
mod canonical;
mod ceph;
mod cluster;
mod kubernetes;
mod load;
mod locate;
mod messages;
pub mod net;
mod network;
mod node;
mod patterns;
mod role;
mod rules;
mod secrets;
mod size;
mod spelling;
mod targets;
mod var_group;

pub use addons::{
    Addons, Announce, Bgp, BgpPeer, EtcdBackup, GatewayApi, GatewayChannel, LocalPath, MetalLb,
    MetalLbPool, MetricsServer, Registry, RegistryService, Vip,
};
pub use annotate::annotate;
pub use canonical::device as canonical_device;
pub use load::{SpecError, load_file, parse};
pub use locate::Locations;
pub use rules::{
    SecretKind, SecretNeed, osd_hosts, osd_nodes, roles_of, secret_needs, short_name,
    wireguard_key_var, wireguard_public_key_var,
};
pub use size::ByteSize;
pub use spelling::Spelling;

pub use ceph::{
    Application, Ceph, CephFs, CephOrigin, CephRelease, Objectstore, PgMode, PgSettings, Pool,
};
pub use cluster::{Cluster, Spec};
pub use kubernetes::{
    ContainerRuntime, Kubernetes, NetworkPlugin, ProxyMode, ReclaimPolicy, StorageClass,
    StorageKind,
};
pub use network::{
    Expose, Firewall, Network, Private, Protocol, Provider, WIREGUARD_OVERHEAD, Wireguard,
};
pub use node::{CrushLocation, Disk, DiskKind, Node, NodeWireguard, Ssh};
pub use role::Role;
pub use secrets::{SecretName, SecretSource, Secrets};
pub use targets::{CephAnsibleRelease, CephCsiRelease, KubesprayRelease, Targets};
pub use var_group::VarGroup;

use spelling::spelled;
