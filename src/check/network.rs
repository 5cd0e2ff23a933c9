//! Checks of the networks against each other.

use super::Diagnostic;
use crate::spec::Spec;
use ipnet::Ipv4Net;

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let net = &spec.network;
    let mut named: Vec<(&str, Ipv4Net)> = vec![
        ("network.private", net.private),
        ("network.pods", net.pods),
        ("network.services", net.services),
    ];
    if let Some(cluster) = net.ceph_cluster {
        named.push(("network.ceph_cluster", cluster));
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
            let roles = crate::plan::roles_of(n);
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
