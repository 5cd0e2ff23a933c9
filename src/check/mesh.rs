//! Checks of the private network when cephspray provides it as a WireGuard mesh, and of the
//! host firewall's exposed ports: what would leave a node unreachable or a tunnel unusable.

use super::Diagnostic;
use crate::spec::{NetworkPlugin, Provider, Spec, WIREGUARD_OVERHEAD, wireguard_key_var};
use std::collections::HashMap;
use std::net::Ipv4Addr;

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let private = &spec.network.private;
    let Some(mesh) = private.mesh() else {
        if private.wireguard.is_some() && private.provider == Provider::Existing {
            found.push(Diagnostic::error(
                "network.private.wireguard",
                "WireGuard settings need `provider: wireguard`; with an existing private \
                 network, remove them",
            ));
        }
        for (i, node) in spec.nodes.iter().enumerate() {
            if node.wireguard.is_some() {
                found.push(Diagnostic::warning(
                    format!("nodes[{i}].wireguard"),
                    "the private network is not a WireGuard mesh (network.private.provider is \
                     existing): this endpoint is ignored",
                ));
            }
        }
        return;
    };
    if !is_interface_name(&mesh.interface) {
        found.push(Diagnostic::error(
            "network.private.wireguard.interface",
            format!(
                "`{}` is not an interface name wg-quick accepts: 1 to 15 letters, digits, `_`, \
                 `=`, `+`, `.` or `-`, e.g. wg0",
                crate::text::one_line(&mesh.interface)
            ),
        ));
    }
    if mesh.mtu + WIREGUARD_OVERHEAD > mesh.path_mtu {
        found.push(Diagnostic::error(
            "network.private.wireguard.mtu",
            format!(
                "a {}-byte tunnel packet plus WireGuard's {WIREGUARD_OVERHEAD} bytes does not fit \
                 the {}-byte path between the nodes: packets would be fragmented or dropped; use \
                 mtu: {} or less",
                mesh.mtu,
                mesh.path_mtu,
                mesh.path_mtu - WIREGUARD_OVERHEAD
            ),
        ));
    }
    let mut endpoints: HashMap<(String, u16), &str> = HashMap::new();
    let mut vars: HashMap<String, &str> = HashMap::new();
    for (i, node) in spec.nodes.iter().enumerate() {
        let port = node.wireguard_port(&mesh);
        let Some(endpoint) = node.wireguard_endpoint() else {
            found.push(Diagnostic::error(
                format!("nodes[{i}]"),
                format!(
                    "{} has no public endpoint for the WireGuard mesh: give it ssh.address (or \
                     wireguard.endpoint), the address the other nodes reach it at",
                    node.name
                ),
            ));
            continue;
        };
        let usable = !endpoint.is_empty()
            && !endpoint.starts_with(['-', '.'])
            && endpoint
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !usable {
            found.push(Diagnostic::error(
                endpoint_path(node, i),
                format!(
                    "`{}` is not an endpoint the mesh can use: give an IPv4 address or a DNS name \
                     (the mesh's endpoints are IPv4)",
                    crate::text::one_line(endpoint)
                ),
            ));
        } else if let Ok(address) = endpoint.parse::<Ipv4Addr>()
            && private.network.contains(&address)
        {
            found.push(Diagnostic::error(
                endpoint_path(node, i),
                format!(
                    "{endpoint} is inside the private network {}, which the mesh itself carries: \
                     the tunnel would be routed through itself; give the node's public address",
                    private.network
                ),
            ));
        }
        if let Some(other) = endpoints.insert((endpoint.to_lowercase(), port), &node.name) {
            found.push(Diagnostic::error(
                endpoint_path(node, i),
                format!(
                    "{} and {other} both listen on {endpoint} port {port}: one would receive the \
                     other's packets; give one of them another wireguard.port",
                    node.name
                ),
            ));
        }
        if let Some(other) = vars.insert(wireguard_key_var(&node.name), &node.name) {
            found.push(Diagnostic::error(
                format!("nodes[{i}].name"),
                format!(
                    "{} and {other} differ only in `.` and `-`, and their WireGuard keys would \
                     share one vault variable; rename one of them",
                    node.name
                ),
            ));
        }
    }
    if spec.kubernetes.network_plugin != NetworkPlugin::Calico {
        found.push(Diagnostic::warning(
            "kubernetes.network_plugin",
            format!(
                "cephspray points Calico at the mesh interface and sizes its MTU; with {} set the \
                 plugin's interface ({}) and MTU ({} minus its encapsulation) through extra_vars",
                spec.kubernetes.network_plugin.as_str(),
                mesh.interface,
                mesh.mtu
            ),
        ));
    }
}

/// An interface name as the kernel takes it (what wg-quick checks, too): 1 to 15 letters,
/// digits, `_`, `=`, `+`, `.` or `-`. The mesh's interface and kube-vip's both are one.
pub(super) fn is_interface_name(name: &str) -> bool {
    (1..=15).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_=+.-".contains(c))
}

/// Where a node's endpoint is written: its `wireguard.endpoint`, else its `ssh.address`.
fn endpoint_path(node: &crate::spec::Node, i: usize) -> String {
    if node
        .wireguard
        .as_ref()
        .is_some_and(|w| w.endpoint.is_some())
    {
        format!("nodes[{i}].wireguard.endpoint")
    } else {
        format!("nodes[{i}].ssh.address")
    }
}

/// Ports that only the cluster should reach, with what listens on them.
const CLUSTER_PORTS: [(u16, &str); 9] = [
    (2379, "etcd"),
    (2380, "etcd's peers"),
    (6443, "the Kubernetes API server"),
    (10250, "the kubelet"),
    (10256, "kube-proxy's health check"),
    (9253, "nodelocaldns' metrics"),
    (3300, "the Ceph monitors"),
    (6789, "the Ceph monitors"),
    (9283, "Ceph's Prometheus exporter"),
];

/// Checks of `network.firewall.expose`.
pub(super) fn check_firewall(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let firewall = &spec.network.firewall;
    for (i, expose) in firewall.expose.iter().enumerate() {
        let at = format!("network.firewall.expose[{i}]");
        for (j, name) in expose.nodes.iter().enumerate() {
            if !spec.nodes.iter().any(|n| &n.name == name) {
                found.push(Diagnostic::error(
                    format!("{at}.nodes[{j}]"),
                    format!("no node is named {name}: name one of the spec's nodes"),
                ));
            }
        }
        for (j, port) in expose.ports.iter().enumerate() {
            if *port == 0 {
                found.push(Diagnostic::error(
                    format!("{at}.ports[{j}]"),
                    "port 0 is not a port: write 1 to 65535",
                ));
            } else if let Some((_, what)) = CLUSTER_PORTS.iter().find(|(p, _)| p == port) {
                found.push(Diagnostic::warning(
                    format!("{at}.ports[{j}]"),
                    format!(
                        "port {port} is {what}'s: exposing it lets the whole internet reach it; \
                         reach it over the private network instead"
                    ),
                ));
            } else if (6800..=7300).contains(port) {
                found.push(Diagnostic::warning(
                    format!("{at}.ports[{j}]"),
                    format!(
                        "port {port} is in the Ceph OSDs' and managers' range (6800-7300): \
                         exposing it lets the whole internet reach them"
                    ),
                ));
            }
        }
        if expose.ports.is_empty() {
            found.push(Diagnostic::error(
                format!("{at}.ports"),
                "no ports: list the ports to open, e.g. [80, 443]",
            ));
        }
    }
}
