//! BGP sessions, MetalLB's and kube-vip's alike.

use super::values::names;
use crate::check::Diagnostic;
use crate::spec::Bgp;

/// BGP sessions: an AS number, routers with names and AS numbers.
pub(super) fn check_bgp(at: &str, bgp: &Bgp, found: &mut Vec<Diagnostic>) {
    if bgp.asn == 0 {
        found.push(Diagnostic::error(
            format!("{at}.asn"),
            "AS number 0 is reserved: write the nodes' AS number, e.g. 64512 (private ASNs are \
             64512 to 65534)",
        ));
    }
    if bgp.peers.is_empty() {
        found.push(Diagnostic::error(
            format!("{at}.peers"),
            "no routers to peer with: list them, e.g. \
             `[{ name: router, address: 10.8.0.254, asn: 64513 }]`",
        ));
    }
    names(
        bgp.peers.iter().map(|p| p.name.as_str()),
        &format!("{at}.peers"),
        "peer",
        "router1",
        found,
    );
    for (i, peer) in bgp.peers.iter().enumerate() {
        if peer.asn == 0 {
            found.push(Diagnostic::error(
                format!("{at}.peers[{i}].asn"),
                "AS number 0 is reserved: write the router's AS number",
            ));
        }
    }
}
