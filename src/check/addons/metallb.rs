//! MetalLB: its pools' entries against each other, the nodes and the networks, and how each
//! pool is announced.

use super::bgp::check_bgp;
use super::pool_entry::{PoolEntry, Range, parse_pool_entry};
use super::values::names;
use super::{ADDONS, no_arp_over_mesh};
use crate::check::Diagnostic;
use crate::spec::{Announce, MetalLb, Spec};
use crate::text::one_line;
use std::net::Ipv4Addr;

/// Checks MetalLB; returns the pools' parsed entries (for the VIP and the registry).
pub(super) fn check(spec: &Spec, metallb: &MetalLb, found: &mut Vec<Diagnostic>) -> Vec<PoolEntry> {
    let at = format!("{ADDONS}.metallb");
    let mut entries: Vec<PoolEntry> = Vec::new();
    if metallb.pools.is_empty() {
        found.push(Diagnostic::error(
            format!("{at}.pools"),
            "MetalLB has no pool to give addresses from: list one, e.g. \
             `[{ name: public, addresses: [192.0.2.10-192.0.2.20] }]`",
        ));
    }
    let mesh = spec.network.private.mesh();
    names(
        metallb.pools.iter().map(|p| p.name.as_str()),
        &format!("{at}.pools"),
        "pool",
        "public",
        found,
    );
    for (i, pool) in metallb.pools.iter().enumerate() {
        let pool_at = format!("{at}.pools[{i}]");
        if pool.addresses.is_empty() {
            found.push(Diagnostic::error(
                format!("{pool_at}.addresses"),
                "the pool has no addresses: list networks or ranges, e.g. \
                 [192.0.2.10-192.0.2.20]",
            ));
        }
        for (j, text) in pool.addresses.iter().enumerate() {
            let path = format!("{pool_at}.addresses[{j}]");
            match parse_pool_entry(text) {
                Err(message) => found.push(Diagnostic::error(&path, message)),
                Ok(range) => {
                    if let Some(message) = pool_entry_problem(spec, range, &entries) {
                        found.push(Diagnostic::error(&path, message));
                    }
                    entries.push(PoolEntry {
                        path,
                        text: text.clone(),
                        range,
                    });
                }
            }
        }
        match pool.announce {
            Announce::Bgp if metallb.bgp.is_none() => found.push(Diagnostic::error(
                format!("{pool_at}.announce"),
                format!(
                    "pool `{}` is announced by BGP but there are no BGP sessions: add {at}.bgp \
                     (`{{ asn: 64512, peers: [{{ name: router, address: 10.8.0.254, asn: 64513 }}] }}`), \
                     or write announce: layer2",
                    pool.name
                ),
            )),
            Announce::Layer2 if let Some(mesh) = &mesh => found.push(Diagnostic::error(
                format!("{pool_at}.announce"),
                format!(
                    "pool `{}` is announced by ARP (layer2, the default), and {}; \
                     write `announce: bgp` with routers that peer with the nodes ({at}.bgp), or \
                     use a private network the nodes share at layer 2 (provider: existing, on a \
                     LAN or vSwitch)",
                    pool.name,
                    no_arp_over_mesh(&mesh.interface)
                ),
            )),
            _ => {}
        }
    }
    if let Some(bgp) = &metallb.bgp {
        check_bgp(&format!("{at}.bgp"), bgp, found);
        if !metallb.pools.iter().any(|p| p.announce == Announce::Bgp) {
            found.push(Diagnostic::warning(
                format!("{at}.bgp"),
                "no pool is announced by BGP, so these sessions announce nothing: write \
                 `announce: bgp` on the pools the routers should carry, or remove bgp",
            ));
        }
    }
    entries
}

/// What is wrong with a pool entry against the earlier entries, the nodes and the networks.
fn pool_entry_problem(spec: &Spec, range: Range, earlier: &[PoolEntry]) -> Option<String> {
    if let Some(other) = earlier.iter().find(|e| e.range.overlaps(&range)) {
        return Some(format!(
            "overlaps `{}` ({}): MetalLB would give one address twice; make the pools disjoint",
            one_line(&other.text),
            other.path
        ));
    }
    for (i, node) in spec.nodes.iter().enumerate() {
        let mut addresses = vec![(format!("nodes[{i}].address"), node.address)];
        let public = [
            (
                "ssh.address",
                node.ssh.as_ref().and_then(|s| s.address.as_deref()),
            ),
            (
                "wireguard.endpoint",
                node.wireguard.as_ref().and_then(|w| w.endpoint.as_deref()),
            ),
        ];
        for (field, text) in public {
            if let Some(address) = text.and_then(|t| t.parse::<Ipv4Addr>().ok()) {
                addresses.push((format!("nodes[{i}].{field}"), address));
            }
        }
        if let Some((path, address)) = addresses.iter().find(|(_, a)| range.contains(*a)) {
            return Some(format!(
                "holds {address}, {}'s address ({path}): MetalLB would give it to a Service and \
                 take the node's traffic; leave the nodes' addresses out of the pool",
                node.name
            ));
        }
    }
    let network = &spec.network;
    let mut others = vec![
        ("network.pods", network.pods),
        ("network.services", network.services),
    ];
    if let Some(cluster) = network.ceph_cluster {
        others.push(("network.ceph_cluster", cluster));
    }
    for (path, net) in others {
        if range.overlaps(&Range::of_network(net)) {
            return Some(format!(
                "overlaps {path} ({net}): packets to a Service's address would be routed into \
                 that network; pick addresses outside it"
            ));
        }
    }
    let private = network.private.network;
    let private_range = Range::of_network(private);
    if range.overlaps(&private_range) {
        if !range.inside(&private_range) {
            return Some(format!(
                "reaches across the edge of network.private ({private}): put the pool wholly \
                 inside it or wholly outside"
            ));
        }
        if private.prefix_len() < 31
            && (range.contains(private.network()) || range.contains(private.broadcast()))
        {
            return Some(format!(
                "holds network.private's own network or broadcast address ({} or {}), which no \
                 Service can use: start after the first address and end before the last",
                private.network(),
                private.broadcast()
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::super::tests::errors;

    fn pools(addresses: &str) -> Vec<String> {
        errors(&format!(
            "kubernetes: {{ addons: {{ metallb: {{ pools: [{{ name: p, addresses: {addresses} }}] }} }} }}\n"
        ))
    }

    #[test]
    fn pools_keep_clear_of_nodes_and_networks() {
        assert_eq!(pools("[10.8.0.100-10.8.0.120]"), Vec::<String>::new());
        assert_eq!(pools("[10.8.0.128/26]"), Vec::<String>::new());
        assert_eq!(pools("[192.0.2.0/28]"), Vec::<String>::new());
        for (addresses, expected) in [
            ("[10.8.0.1-10.8.0.9]", "n1's address (nodes[0].address)"),
            ("[203.0.113.0/28]", "n1's address (nodes[0].ssh.address)"),
            ("[10.8.0.192/26]", "broadcast"),
            ("[10.8.0.0/32]", "broadcast"),
            ("[10.8.0.250-10.8.1.4]", "edge of network.private"),
            ("[10.233.0.10-10.233.0.20]", "network.services"),
            ("[10.233.64.0/24]", "network.pods"),
            (
                "[10.8.0.100-10.8.0.120, 10.8.0.120/32]",
                "overlaps `10.8.0.100-10.8.0.120`",
            ),
        ] {
            let found = pools(addresses);
            assert_eq!(found.len(), 1, "{addresses}: {found:?}");
            assert!(found[0].contains(expected), "{addresses}: {found:?}");
        }
    }

    #[test]
    fn layer2_is_refused_over_a_mesh_and_bgp_needs_sessions() {
        let mesh = "cluster: { name: x }\nnetwork: { private: { network: 10.8.0.0/24, provider: wireguard } }\nnodes:\n  - { name: n1, address: 10.8.0.1, ssh: { address: 203.0.113.5 }, disks: [{ device: /dev/sdb, size: 3TB }] }\nceph: { size: 1, min_size: 1 }\nkubernetes: { addons: { metallb: { pools: [{ name: p, addresses: [192.0.2.0/28] }] } } }\n";
        let mut found = Vec::new();
        check(&crate::spec::parse("t", mesh).unwrap(), &mut found);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .contains("ARP does not cross the WireGuard mesh")
        );
        let found = errors(
            "kubernetes: { addons: { metallb: { pools: [{ name: p, addresses: [192.0.2.0/28], announce: bgp }] } } }\n",
        );
        assert!(
            found.len() == 1 && found[0].contains("no BGP sessions"),
            "{found:?}"
        );
    }
}
