//! Checks of the networks against each other.

use super::Diagnostic;
use crate::spec::Spec;
use ipnet::Ipv4Net;

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let net = &spec.network;
    let mut named: Vec<(&str, Ipv4Net)> = vec![
        ("network.private", net.private.network),
        ("network.pods", net.pods),
        ("network.services", net.services),
    ];
    if let Some(cluster) = net.ceph_cluster {
        named.push(("network.ceph_cluster", cluster));
    }
    for (path, network) in &named {
        if let Some(message) = spelling_problem(*network) {
            found.push(Diagnostic::error(*path, message));
        }
    }
    for (i, (path, a)) in named.iter().enumerate() {
        for (other, b) in &named[..i] {
            if a.contains(&b.network()) || b.contains(&a.network()) {
                found.push(Diagnostic::error(
                    *path,
                    format!(
                        "{a} overlaps {other} ({b}): packets to one would be routed to the other; \
                         pick disjoint ranges"
                    ),
                ));
            }
        }
    }
    let k8s_nodes = spec
        .nodes
        .iter()
        .filter(|n| {
            let roles = crate::spec::roles_of(n);
            roles.contains(&crate::spec::Role::ControlPlane)
                || roles.contains(&crate::spec::Role::Worker)
        })
        .count();
    // kubespray gives each node a /24 of the pod network by default.
    let node_slices = 1u64
        << 24u32
            .saturating_sub(u32::from(net.pods.prefix_len()))
            .min(32);
    if net.pods.prefix_len() > 24 || (k8s_nodes as u64) > node_slices {
        found.push(Diagnostic::error(
            "network.pods",
            format!(
                "{} holds {} per-node /24 pod ranges but the cluster has {k8s_nodes} Kubernetes nodes; \
                 use a larger pod network",
                net.pods,
                if net.pods.prefix_len() > 24 { 0 } else { node_slices }
            ),
        ));
    }
}

/// Why a network cannot be used as written: host bits after the prefix (the address names a
/// host, so which network was meant is a guess), or a range no cluster network can be in.
fn spelling_problem(network: Ipv4Net) -> Option<String> {
    if network.addr() != network.network() {
        return Some(format!(
            "{network} has host bits set: write the network by its first address, {} (a \
             node's own address goes in its `address`)",
            network.trunc()
        ));
    }
    let special = [
        (
            "0.0.0.0/8",
            "the \"this network\" range, which no host can use",
        ),
        (
            "127.0.0.0/8",
            "the loopback range, which never leaves a host",
        ),
        (
            "169.254.0.0/16",
            "the link-local range, which routers do not forward",
        ),
        ("224.0.0.0/4", "the multicast range"),
        (
            "240.0.0.0/4",
            "the reserved range (and the broadcast address)",
        ),
    ];
    for (range, what) in special {
        let range: Ipv4Net = range.parse().expect("valid range");
        if range.contains(&network.network()) || network.contains(&range.network()) {
            return Some(format!(
                "{network} reaches into {range}, {what}: use a private range, e.g. 10.8.0.0/24, \
                 172.16.0.0/16 or 192.168.1.0/24"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_written_as_networks_in_usable_ranges() {
        let problem = |text: &str| spelling_problem(text.parse().unwrap());
        assert_eq!(problem("10.8.0.0/24"), None);
        assert_eq!(problem("10.233.64.0/18"), None);
        assert!(problem("10.8.0.1/24").unwrap().contains("10.8.0.0/24"));
        assert!(problem("10.233.64.0/17").unwrap().contains("10.233.0.0/17"));
        assert!(problem("127.0.0.0/8").unwrap().contains("loopback"));
        assert!(problem("0.0.0.0/0").unwrap().contains("this network"));
        assert!(problem("224.0.0.0/24").unwrap().contains("multicast"));
        assert!(
            problem("8.0.0.0/5").is_none(),
            "public space is a choice, not a spelling"
        );
    }
}
