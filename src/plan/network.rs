//! The private network as cephspray provides it (a WireGuard mesh) and what each node's
//! firewall lets in: decided once here, laid out by the network and firewall targets and read
//! by kubespray's (the pod network's interface and MTU).

use crate::spec::{Node, Protocol, Spec};
use serde::Serialize;
use std::collections::BTreeSet;

/// Calico's VXLAN encapsulation (kubespray's default backend): 50 bytes inside the tunnel.
const VXLAN_OVERHEAD: u16 = 50;

/// The WireGuard mesh, the same on every node.
#[derive(Debug, Clone, Serialize)]
pub struct MeshPlan {
    /// The interface's name, e.g. wg0.
    pub interface: String,
    /// The tunnel's MTU.
    pub mtu: u16,
    /// The pod network's MTU inside the tunnel (Calico's VXLAN takes 50 bytes of it).
    pub pod_mtu: u16,
    /// The private network's prefix length, for each node's interface address.
    pub prefix_len: u8,
}

/// A node's place in the mesh.
#[derive(Debug, Clone, Serialize)]
pub struct HostMesh {
    /// The public address or DNS name the other nodes send to.
    pub endpoint: String,
    /// The UDP port it listens on.
    pub port: u16,
    /// The vault variable holding its private key.
    pub key_var: String,
    /// The vault variable holding its public key (derived from the private one).
    pub public_key_var: String,
}

/// What a node's firewall lets in from outside the cluster's networks.
#[derive(Debug, Clone, Serialize)]
pub struct HostFirewall {
    /// TCP ports open to everyone: SSH's and the exposed ones, ascending.
    pub tcp: Vec<u16>,
    /// UDP ports open to everyone: the mesh's and the exposed ones, ascending.
    pub udp: Vec<u16>,
    /// The exposed TCP ports alone, which packets rewritten to a pod (NodePorts, hostPorts)
    /// may be forwarded to.
    pub exposed_tcp: Vec<u16>,
    /// The exposed UDP ports alone.
    pub exposed_udp: Vec<u16>,
}

/// The mesh when the spec asks cephspray to provide the private network.
pub(super) fn mesh(spec: &Spec) -> Option<MeshPlan> {
    let mesh = spec.network.private.mesh()?;
    Some(MeshPlan {
        interface: mesh.interface,
        mtu: mesh.mtu,
        pod_mtu: mesh.mtu - VXLAN_OVERHEAD,
        prefix_len: spec.network.private.network.prefix_len(),
    })
}

/// A node's place in the mesh (`check` guarantees it has an endpoint).
pub(super) fn host_mesh(spec: &Spec, node: &Node) -> Option<HostMesh> {
    let mesh = spec.network.private.mesh()?;
    Some(HostMesh {
        endpoint: node.wireguard_endpoint()?.to_owned(),
        port: node.wireguard_port(&mesh),
        key_var: crate::spec::wireguard_key_var(&node.name),
        public_key_var: crate::spec::wireguard_public_key_var(&node.name),
    })
}

/// The networks whose packets a node's firewall lets in whatever their port: the private
/// network, Kubernetes' pod and service networks and Ceph's cluster network.
pub(super) fn internal_networks(spec: &Spec) -> Vec<String> {
    let net = &spec.network;
    [
        Some(net.private.network),
        Some(net.pods),
        Some(net.services),
        net.ceph_cluster,
    ]
    .into_iter()
    .flatten()
    .map(|n| n.to_string())
    .collect()
}

/// What a node's firewall lets in from everywhere, when the spec has the firewall on.
pub(super) fn host_firewall(
    spec: &Spec,
    node: &Node,
    mesh: Option<&HostMesh>,
) -> Option<HostFirewall> {
    if !spec.network.firewall.enabled {
        return None;
    }
    let roles = crate::spec::roles_of(node);
    let mut exposed_tcp = BTreeSet::new();
    let mut exposed_udp = BTreeSet::new();
    for expose in &spec.network.firewall.expose {
        let everywhere = expose.roles.is_empty() && expose.nodes.is_empty();
        let here = everywhere
            || expose.roles.iter().any(|r| roles.contains(r))
            || expose.nodes.iter().any(|n| n == &node.name);
        if here {
            let set = match expose.protocol {
                Protocol::Tcp => &mut exposed_tcp,
                Protocol::Udp => &mut exposed_udp,
            };
            set.extend(expose.ports.iter().copied().filter(|p| *p != 0));
        }
    }
    let ssh = node.ssh.as_ref().and_then(|s| s.port).unwrap_or(22);
    let tcp: BTreeSet<u16> = exposed_tcp.iter().copied().chain([ssh]).collect();
    let udp: BTreeSet<u16> = exposed_udp
        .iter()
        .copied()
        .chain(mesh.map(|m| m.port))
        .collect();
    Some(HostFirewall {
        tcp: tcp.into_iter().collect(),
        udp: udp.into_iter().collect(),
        exposed_tcp: exposed_tcp.into_iter().collect(),
        exposed_udp: exposed_udp.into_iter().collect(),
    })
}
