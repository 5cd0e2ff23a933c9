//! Checks of kubespray's add-ons (`kubernetes.addons`) against the rest of the spec: names and
//! paths that reach generated files, MetalLB's pools and kube-vip's address against the
//! cluster's addresses and networks, announcements a WireGuard mesh cannot carry, what the
//! snapshot controller, local-path and the registry need, and extra variables that a typed
//! add-on now covers or that the kubespray release ignores (docs/addons.md, "Rules a typed model
//! must check before render").

mod bgp;
mod extra_vars;
mod metallb;
mod pool_entry;
mod storage;
mod values;
mod vip;

use super::Diagnostic;
use super::names::shown;
use crate::spec::Spec;
use crate::text::one_line;

const ADDONS: &str = "kubernetes.addons";

/// Why an announcement by ARP cannot work over a WireGuard mesh on `interface`.
fn no_arp_over_mesh(interface: &str) -> String {
    format!(
        "ARP does not cross the WireGuard mesh ({} is routed, and each peer's AllowedIPs is its \
         own /32), so an address that moves between nodes is never routed to the node that \
         holds it",
        one_line(interface)
    )
}

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let addons = &spec.kubernetes.addons;
    values::settings(addons, found);
    let pools = match &addons.metallb {
        Some(metallb) => metallb::check(spec, metallb, found),
        None => Vec::new(),
    };
    if let Some(vip) = &addons.vip {
        vip::check(spec, vip, &pools, found);
    }
    storage::snapshots(spec, found);
    if let Some(local_path) = &addons.local_path {
        storage::local_path(spec, local_path, found);
    }
    storage::registry(spec, &pools, found);
    extra_vars::check(spec, found);
    monitoring_node(spec, found);
}

/// The dashboard's monitoring node is one of the nodes, and needs the dashboard.
fn monitoring_node(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let Some(name) = &spec.ceph.monitoring_node else {
        return;
    };
    if !spec.nodes.iter().any(|n| &n.name == name) {
        let names: Vec<&str> = spec.nodes.iter().map(|n| n.name.as_str()).collect();
        found.push(Diagnostic::error(
            "ceph.monitoring_node",
            format!(
                "no node is named {}: write one of {}",
                shown(name),
                names.join(", ")
            ),
        ));
    } else if !spec.ceph.dashboard {
        found.push(Diagnostic::error(
            "ceph.monitoring_node",
            "the monitoring node runs the dashboard's Prometheus and Grafana, and the dashboard \
             is off: set ceph.dashboard: true, or remove monitoring_node",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn spec(extra: &str) -> Spec {
        let text = format!(
            "cluster: {{ name: x }}\nnetwork: {{ private: 10.8.0.0/24 }}\nnodes:\n  - {{ name: n1, address: 10.8.0.1, ssh: {{ address: 203.0.113.5 }}, disks: [{{ device: /dev/sdb, size: 3TB }}] }}\nceph: {{ size: 1, min_size: 1 }}\n{extra}"
        );
        crate::spec::parse("t", &text).unwrap()
    }

    pub(super) fn errors(extra: &str) -> Vec<String> {
        let mut found = Vec::new();
        check(&spec(extra), &mut found);
        found.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn warnings_for_what_works_but_loses_something() {
        let mut found = Vec::new();
        check(
            &spec(
                "kubernetes: { addons: { metallb: { pools: [{ name: p, addresses: [192.0.2.0/28] }], \
                 bgp: { asn: 64512, peers: [{ name: r, address: 10.8.0.254, asn: 64513 }] } }, \
                 registry: true } }\n",
            ),
            &mut found,
        );
        let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 2, "{shown:?}");
        assert!(
            found
                .iter()
                .all(|d| d.severity == crate::pg::Severity::Warning)
        );
        assert!(
            shown[0].contains("metallb.bgp: no pool is announced by BGP"),
            "{shown:?}"
        );
        assert!(shown[1].contains("registry: no storage_class"), "{shown:?}");
    }
}
