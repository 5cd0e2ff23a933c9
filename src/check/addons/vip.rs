//! kube-vip: the control planes' virtual IP, a free private address announced where the
//! private network carries it.

use super::bgp::check_bgp;
use super::pool_entry::PoolEntry;
use super::{ADDONS, no_arp_over_mesh, shown};
use crate::check::Diagnostic;
use crate::check::mesh::is_interface_name;
use crate::spec::{Announce, Spec, Vip};
use crate::text::one_line;

pub(super) fn check(spec: &Spec, vip: &Vip, pools: &[PoolEntry], found: &mut Vec<Diagnostic>) {
    let at = format!("{ADDONS}.vip");
    let address = vip.address;
    let private = spec.network.private.network;
    if !private.contains(&address) {
        found.push(Diagnostic::error(
            format!("{at}.address"),
            format!(
                "{address} is outside network.private ({private}): the control planes hold the \
                 virtual IP on the private network; pick a free address in it"
            ),
        ));
    } else if private.prefix_len() < 31
        && (address == private.network() || address == private.broadcast())
    {
        found.push(Diagnostic::error(
            format!("{at}.address"),
            format!(
                "{address} is network.private's own network or broadcast address: pick a free \
                 address between them"
            ),
        ));
    } else if let Some((i, node)) = spec
        .nodes
        .iter()
        .enumerate()
        .find(|(_, n)| n.address == address)
    {
        found.push(Diagnostic::error(
            format!("{at}.address"),
            format!(
                "{address} is {}'s address (nodes[{i}].address): the virtual IP moves between \
                 control planes; pick an address no node has",
                node.name
            ),
        ));
    } else if let Some(pool) = pools.iter().find(|p| p.range.contains(address)) {
        found.push(Diagnostic::error(
            format!("{at}.address"),
            format!(
                "{address} is in the MetalLB pool entry `{}` ({}): MetalLB could give it to a \
                 Service too; pick an address outside the pools",
                one_line(&pool.text),
                pool.path
            ),
        ));
    }
    if let Some(interface) = &vip.interface
        && !is_interface_name(interface)
    {
        found.push(Diagnostic::error(
            format!("{at}.interface"),
            format!(
                "{} is not an interface name: 1 to 15 letters, digits, `_`, `=`, `+`, `.` or \
                 `-`, e.g. enp7s0.4000",
                shown(interface)
            ),
        ));
    }
    let mesh = spec.network.private.mesh();
    match vip.announce {
        Announce::Layer2 => {
            if let Some(mesh) = &mesh {
                found.push(Diagnostic::error(
                    format!("{at}.announce"),
                    format!(
                        "the virtual IP is announced by ARP (layer2, the default), and {}. \
                         Without a shared layer 2, kubespray's localhost \
                         proxy on every node already spreads the workers over all control \
                         planes; for clients outside, give a DNS name with every control plane's \
                         address; remove vip, or use a private network the nodes share at layer \
                         2 (provider: existing, on a LAN or vSwitch)",
                        no_arp_over_mesh(&mesh.interface)
                    ),
                ));
            } else if vip.interface.is_none() {
                found.push(Diagnostic::error(
                    format!("{at}.interface"),
                    "announced by ARP, the virtual IP needs the control planes' interface on \
                     network.private: kube-vip would otherwise take the default route's, the \
                     public one; write it, e.g. `interface: enp7s0.4000`",
                ));
            }
            if vip.bgp.is_some() {
                found.push(Diagnostic::error(
                    format!("{at}.bgp"),
                    "BGP sessions with `announce: layer2` would be ignored: write \
                     `announce: bgp`, or remove bgp",
                ));
            }
        }
        Announce::Bgp => {
            if mesh.is_some() {
                found.push(Diagnostic::error(
                    format!("{at}.announce"),
                    "a virtual IP announced by BGP would have to be routed inside the WireGuard \
                     mesh, whose AllowedIPs are fixed per peer (each node's own /32), so it \
                     never reaches the node that holds it: remove vip (kubespray's localhost \
                     proxy on every node already spreads the workers over all control planes; \
                     give outside clients a DNS name with every control plane's address)",
                ));
            }
            match &vip.bgp {
                None => found.push(Diagnostic::error(
                    format!("{at}.bgp"),
                    "`announce: bgp` needs BGP sessions: add bgp, e.g. `{ asn: 64512, peers: \
                     [{ name: router, address: 10.8.0.254, asn: 64513 }] }`",
                )),
                Some(bgp) => check_bgp(&format!("{at}.bgp"), bgp, found),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::errors;

    #[test]
    fn the_vip_is_a_free_private_address() {
        let vip = |body: &str| errors(&format!("kubernetes: {{ addons: {{ vip: {body} }} }}\n"));
        assert_eq!(
            vip("{ address: 10.8.0.10, interface: eth1 }"),
            Vec::<String>::new()
        );
        for (body, expected) in [
            (
                "{ address: 10.9.0.10, interface: eth1 }",
                "outside network.private",
            ),
            ("{ address: 10.8.0.255, interface: eth1 }", "broadcast"),
            ("{ address: 10.8.0.1, interface: eth1 }", "n1's address"),
            (
                "{ address: 10.8.0.10 }",
                "kube-vip would otherwise take the default route's",
            ),
            (
                "{ address: 10.8.0.10, announce: bgp }",
                "`announce: bgp` needs BGP sessions",
            ),
            (
                "{ address: 10.8.0.10, interface: 'a b' }",
                "not an interface name",
            ),
        ] {
            let found = vip(body);
            assert_eq!(found.len(), 1, "{body}: {found:?}");
            assert!(found[0].contains(expected), "{body}: {found:?}");
        }
    }
}
