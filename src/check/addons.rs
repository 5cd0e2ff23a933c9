//! Checks of kubespray's add-ons (`kubernetes.addons`) against the rest of the spec: names and
//! paths that reach generated files, MetalLB's pools and kube-vip's address against the
//! cluster's addresses and networks, announcements a WireGuard mesh cannot carry, what the
//! snapshot controller, local-path and the registry need, and extra variables that a typed
//! add-on now covers or that the kubespray release ignores (docs/addons.md, "Rules a typed model
//! must check before render").

use super::Diagnostic;
use super::nodes::is_rfc1123_name;
use crate::spec::{
    Addons, Announce, Bgp, LocalPath, MetalLb, RegistryService, Spec, StorageClass, Vip,
};
use crate::targets::kubespray;
use crate::text::one_line;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

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

/// Extra variables that a typed add-on sets, with the spec field to write instead. One list:
/// `check` refuses them in every group of `extra_vars`, whether the add-on is on or off.
const TYPED_VARIABLES: &[(&str, &str)] = &[
    ("metrics_server_enabled", "kubernetes.addons.metrics_server"),
    (
        "metrics_server_replicas",
        "kubernetes.addons.metrics_server.replicas",
    ),
    (
        "local_path_provisioner_enabled",
        "kubernetes.addons.local_path",
    ),
    (
        "local_path_provisioner_storage_class",
        "kubernetes.addons.local_path.storage_class",
    ),
    (
        "local_path_provisioner_claim_root",
        "kubernetes.addons.local_path.claim_root",
    ),
    (
        "local_path_provisioner_reclaim_policy",
        "kubernetes.addons.local_path.reclaim_policy",
    ),
    (
        "local_path_provisioner_is_default_storageclass",
        "kubernetes.addons.local_path.default",
    ),
    (
        "csi_snapshot_controller_enabled",
        "kubernetes.addons.snapshot_controller",
    ),
    ("gateway_api_enabled", "kubernetes.addons.gateway_api"),
    (
        "gateway_api_channel",
        "kubernetes.addons.gateway_api.channel",
    ),
    ("metallb_enabled", "kubernetes.addons.metallb"),
    ("metallb_speaker_enabled", "kubernetes.addons.metallb"),
    ("metallb_config", "kubernetes.addons.metallb"),
    ("kube_vip_enabled", "kubernetes.addons.vip"),
    ("kube_vip_controlplane_enabled", "kubernetes.addons.vip"),
    ("kube_vip_address", "kubernetes.addons.vip.address"),
    ("kube_vip_arp_enabled", "kubernetes.addons.vip.announce"),
    ("kube_vip_interface", "kubernetes.addons.vip.interface"),
    ("kube_vip_bgp_enabled", "kubernetes.addons.vip.announce"),
    ("kube_vip_local_as", "kubernetes.addons.vip.bgp.asn"),
    ("kube_vip_bgppeers", "kubernetes.addons.vip.bgp.peers"),
    ("loadbalancer_apiserver", "kubernetes.addons.vip"),
    ("argocd_enabled", "kubernetes.addons.argocd"),
    ("argocd_admin_password", "secrets.argocd_admin_password"),
    (
        "node_feature_discovery_enabled",
        "kubernetes.addons.node_feature_discovery",
    ),
    ("registry_enabled", "kubernetes.addons.registry"),
    (
        "registry_storage_class",
        "kubernetes.addons.registry.storage_class",
    ),
    ("registry_disk_size", "kubernetes.addons.registry.size"),
    (
        "registry_service_type",
        "kubernetes.addons.registry.service",
    ),
    (
        "registry_service_nodeport",
        "kubernetes.addons.registry.service",
    ),
    (
        "registry_service_loadbalancer_ip",
        "kubernetes.addons.registry.service",
    ),
];

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let addons = &spec.kubernetes.addons;
    settings(addons, found);
    let pools = match &addons.metallb {
        Some(metallb) => check_metallb(spec, metallb, found),
        None => Vec::new(),
    };
    if let Some(vip) = &addons.vip {
        check_vip(spec, vip, &pools, found);
    }
    snapshots(spec, found);
    if let Some(local_path) = &addons.local_path {
        check_local_path(spec, local_path, found);
    }
    registry(spec, &pools, found);
    extra_vars(spec, found);
    monitoring_node(spec, found);
}

/// A value as a message shows it: in backticks, every control character escaped.
fn shown(value: &str) -> String {
    format!("`{}`", one_line(value))
}

/// Numbers, the schedule and paths that reach generated files.
fn settings(addons: &Addons, found: &mut Vec<Diagnostic>) {
    if let Some(metrics) = &addons.metrics_server
        && !(1..=10).contains(&metrics.replicas)
    {
        found.push(Diagnostic::error(
            format!("{ADDONS}.metrics_server.replicas"),
            format!(
                "{} replicas: write 1 to 10 (2 keep the metrics while a node is down)",
                metrics.replicas
            ),
        ));
    }
    if let Some(backup) = &addons.etcd_backup {
        let at = format!("{ADDONS}.etcd_backup");
        if !(1..=1000).contains(&backup.keep) {
            found.push(Diagnostic::error(
                format!("{at}.keep"),
                format!(
                    "keeping {} snapshots: write a number from 1 to 1000, e.g. 7",
                    backup.keep
                ),
            ));
        }
        if !is_calendar_event(&backup.schedule) {
            found.push(Diagnostic::error(
                format!("{at}.schedule"),
                format!(
                    "{} is not a schedule cephspray writes into a systemd timer: write a \
                     systemd calendar event of digits, spaces and `-:*/,.~`, with words only for \
                     a shorthand (daily), weekdays (Mon..Fri) and a time zone last (UTC), e.g. \
                     daily or `Mon..Fri *-*-* 03:00:00`",
                    shown(&backup.schedule)
                ),
            ));
        }
        if let Some(problem) = absolute_path_problem(&backup.directory) {
            found.push(Diagnostic::error(
                format!("{at}.directory"),
                format!(
                    "{} {problem}, e.g. /var/backups/etcd",
                    shown(&backup.directory)
                ),
            ));
        } else if inside_kubespray_backups(&backup.directory) {
            found.push(Diagnostic::error(
                format!("{at}.directory"),
                format!(
                    "{} is inside a directory named etcd-* in /var/backups, where kubespray keeps \
                     its own copies of etcd: each time it restarts etcd it deletes such \
                     directories beyond the newest `keep`, snapshots included; write another \
                     directory, e.g. /var/backups/etcd",
                    shown(&backup.directory)
                ),
            ));
        }
    }
}

/// Each name of a list a lowercase RFC 1123 name (`list` is the list's spec path, `what` the
/// word for one item, `example` a name to suggest), and no two alike.
fn names<'a>(
    names: impl Iterator<Item = &'a str>,
    list: &str,
    what: &str,
    example: &str,
    found: &mut Vec<Diagnostic>,
) {
    let names: Vec<&str> = names.collect();
    for (i, name) in names.iter().enumerate() {
        if !is_rfc1123_name(name) {
            found.push(Diagnostic::error(
                format!("{list}[{i}].name"),
                format!(
                    "{} is not a {what} name: write a lowercase RFC 1123 name (letters, digits, \
                     `-` and `.`), e.g. {example}",
                    shown(name)
                ),
            ));
        } else if let Some(first) = names[..i].iter().position(|n| n == name) {
            found.push(Diagnostic::error(
                format!("{list}[{i}].name"),
                format!(
                    "{what} `{name}` is already {list}[{first}]: give each {what} its own name"
                ),
            ));
        }
    }
}

/// A systemd calendar event as cephspray writes it into a unit: not empty, only letters,
/// digits, spaces and `-:*/,.~` (no line break, no `%` specifier, no `{` for Ansible), and words
/// only where systemd takes them: a shorthand (`daily`), weekdays (`Mon..Fri`), and a time zone
/// last (`UTC`, `Europe/Paris`).
fn is_calendar_event(schedule: &str) -> bool {
    const SHORTHANDS: [&str; 9] = [
        "minutely",
        "hourly",
        "daily",
        "weekly",
        "monthly",
        "yearly",
        "annually",
        "quarterly",
        "semiannually",
    ];
    const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let weekday = |word: &str| {
        let word = word.to_ascii_lowercase();
        WEEKDAYS
            .iter()
            .any(|day| word == *day || (word.len() == 3 && day.starts_with(&word)))
    };
    let plain = schedule
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" -:*/,.~".contains(&b));
    let tokens: Vec<&str> = schedule.split(' ').filter(|t| !t.is_empty()).collect();
    plain
        && !tokens.is_empty()
        && tokens.iter().enumerate().all(|(i, token)| {
            if !token.bytes().any(|b| b.is_ascii_alphabetic()) {
                return true;
            }
            let shorthand = SHORTHANDS.contains(&token.to_ascii_lowercase().as_str());
            let weekdays = token
                .split(',')
                .flat_map(|part| part.split(".."))
                .all(weekday);
            let last = i + 1 == tokens.len();
            let zone = token.eq_ignore_ascii_case("utc")
                || token.split('/').count() >= 2
                    && token.split('/').all(|part| {
                        part.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
                            && part.bytes().all(|b| b.is_ascii_alphabetic())
                    });
            shorthand || weekdays || (last && i > 0 && zone)
        })
}

/// What is wrong with a directory written as an absolute path of plain characters, phrased to
/// follow the path itself; `None` when nothing is.
fn absolute_path_problem(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        return Some("is not an absolute path: write one that starts with `/`");
    }
    if !path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
    {
        return Some(
            "holds characters cephspray does not write into a path: use letters, digits, `-`, \
             `_`, `.` and `/`",
        );
    }
    if path.split('/').any(|component| component == "..") {
        return Some("climbs with `..`: write the directory itself");
    }
    if path.trim_matches('/').is_empty() {
        return Some("is the root directory: write a directory of its own");
    }
    None
}

/// Whether a snapshot directory lies in one that kubespray's etcd role deletes: after a restart
/// of etcd it removes every directory `etcd-*` directly under `etcd_backup_prefix`
/// (`/var/backups`) beyond the newest `etcd_backup_retention_count`
/// (roles/etcd/handlers/backup_cleanup.yml).
fn inside_kubespray_backups(path: &str) -> bool {
    let components: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    matches!(components.as_slice(), ["var", "backups", name, ..] if name.starts_with("etcd-"))
}

/// An inclusive range of IPv4 addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    first: Ipv4Addr,
    last: Ipv4Addr,
}

impl Range {
    fn of_network(network: Ipv4Net) -> Self {
        Range {
            first: network.network(),
            last: network.broadcast(),
        }
    }

    fn contains(&self, address: Ipv4Addr) -> bool {
        self.first <= address && address <= self.last
    }

    fn overlaps(&self, other: &Range) -> bool {
        self.first <= other.last && other.first <= self.last
    }

    fn inside(&self, other: &Range) -> bool {
        other.first <= self.first && self.last <= other.last
    }
}

/// Reads one entry of a MetalLB pool: a network (`192.0.2.0/28`) or a range
/// (`192.0.2.10-192.0.2.20`, spaces around `-` allowed), IPv4; the error says what to write.
fn parse_pool_entry(text: &str) -> Result<Range, String> {
    use crate::spec::net::{parse_address, parse_network};
    if text.contains('/') {
        let network = parse_network(text)?;
        if network.addr() != network.network() {
            return Err(format!(
                "`{network}` has host bits set: write the network by its first address, {}, or \
                 a range `first-last`",
                network.trunc()
            ));
        }
        return Ok(Range::of_network(network));
    }
    if let Some((first, last)) = text.split_once('-') {
        let first = parse_address(first.trim())?;
        let last = parse_address(last.trim())?;
        if first > last {
            return Err(format!(
                "`{}` runs backwards: write the lower address first, {last}-{first}",
                one_line(text)
            ));
        }
        return Ok(Range { first, last });
    }
    match parse_address(text) {
        Ok(address) => Err(format!(
            "`{text}` is one address: write it as a network, {address}/32, or a range, \
             {address}-{address}"
        )),
        Err(message) => Err(format!(
            "{message} (a pool entry is a network such as 192.0.2.0/28 or a range such as \
             192.0.2.10-192.0.2.20)"
        )),
    }
}

/// A parsed pool entry with its spec path and text.
struct PoolEntry {
    path: String,
    text: String,
    range: Range,
}

/// Checks MetalLB; returns the pools' parsed entries (for the VIP and the registry).
fn check_metallb(spec: &Spec, metallb: &MetalLb, found: &mut Vec<Diagnostic>) -> Vec<PoolEntry> {
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

/// BGP sessions: an AS number, routers with names and AS numbers.
fn check_bgp(at: &str, bgp: &Bgp, found: &mut Vec<Diagnostic>) {
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

/// An interface name as the kernel takes it (what wg-quick checks, too).
fn is_interface_name(name: &str) -> bool {
    (1..=15).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_=+.-".contains(c))
}

fn check_vip(spec: &Spec, vip: &Vip, pools: &[PoolEntry], found: &mut Vec<Diagnostic>) {
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

/// Storage classes with snapshots need the controller, and the controller a Kubernetes minor
/// the kubespray release has its image for.
fn snapshots(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let on = spec.kubernetes.addons.snapshot_controller;
    for (i, class) in spec.kubernetes.storage.iter().enumerate() {
        if class.snapshots && !on {
            found.push(Diagnostic::error(
                format!("kubernetes.storage[{i}].snapshots"),
                format!(
                    "snapshots of `{}` need the CSI snapshot controller and its CRDs: write \
                     kubernetes.addons.snapshot_controller: true, or snapshots: false",
                    class.name
                ),
            ));
        }
    }
    let facts = kubespray::facts(spec.targets.kubespray);
    let version = spec.kubernetes.version.as_deref();
    // An unsupported version is reported as such (cluster.rs); this is about supported ones.
    let installable = version.is_none_or(|v| facts.kube_version(v).is_ok());
    if on
        && installable
        && let Err(message) = facts.snapshot_controller(version)
    {
        found.push(Diagnostic::error(
            format!("{ADDONS}.snapshot_controller"),
            message,
        ));
    }
}

fn check_local_path(spec: &Spec, local_path: &LocalPath, found: &mut Vec<Diagnostic>) {
    let at = format!("{ADDONS}.local_path");
    let name = &local_path.storage_class;
    let classes: &[StorageClass] = &spec.kubernetes.storage;
    if !is_rfc1123_name(name) {
        found.push(Diagnostic::error(
            format!("{at}.storage_class"),
            format!(
                "{} is not a storage class name: write a lowercase RFC 1123 name (letters, \
                 digits, `-` and `.`), e.g. local-path",
                shown(name)
            ),
        ));
    } else if let Some(i) = classes.iter().position(|c| &c.name == name) {
        found.push(Diagnostic::error(
            format!("{at}.storage_class"),
            format!(
                "`{name}` is already the ceph-csi class kubernetes.storage[{i}]: give the \
                 local-path class another name, e.g. local-path"
            ),
        ));
    }
    if let Some(problem) = absolute_path_problem(&local_path.claim_root) {
        found.push(Diagnostic::error(
            format!("{at}.claim_root"),
            format!(
                "{} {problem}, e.g. /opt/local-path-provisioner",
                shown(&local_path.claim_root)
            ),
        ));
    }
    if local_path.default
        && let Some(i) = classes.iter().position(|c| c.default)
    {
        found.push(Diagnostic::error(
            format!("{at}.default"),
            format!(
                "kubernetes.storage[{i}] (`{}`) is already the default class: Kubernetes needs \
                 at most one; set `default: true` on one class only",
                classes[i].name
            ),
        ));
    }
}

fn registry(spec: &Spec, pools: &[PoolEntry], found: &mut Vec<Diagnostic>) {
    let Some(registry) = &spec.kubernetes.addons.registry else {
        return;
    };
    let at = format!("{ADDONS}.registry");
    let local_path = spec.kubernetes.addons.local_path.as_ref();
    match &registry.storage_class {
        None => found.push(Diagnostic::warning(
            &at,
            "no storage_class: the registry keeps its images in an emptyDir, lost whenever its \
             pod moves or restarts; name a storage class, e.g. storage_class: block",
        )),
        Some(name) => {
            let ceph = spec.kubernetes.storage.iter().any(|c| &c.name == name);
            let local = local_path.is_some_and(|l| &l.storage_class == name);
            if !ceph && !local {
                let mut known: Vec<String> = spec
                    .kubernetes
                    .storage
                    .iter()
                    .map(|c| c.name.clone())
                    .collect();
                known.extend(local_path.map(|l| l.storage_class.clone()));
                let choice = if known.is_empty() {
                    "the spec defines none: add one to kubernetes.storage (or turn on \
                     kubernetes.addons.local_path), or remove storage_class"
                        .to_owned()
                } else {
                    format!("write one of {}", known.join(", "))
                };
                found.push(Diagnostic::error(
                    format!("{at}.storage_class"),
                    format!(
                        "{} is not a storage class of this cluster: {choice}",
                        shown(name)
                    ),
                ));
            }
        }
    }
    if !is_quantity(&registry.size) {
        found.push(Diagnostic::error(
            format!("{at}.size"),
            format!(
                "{} is not a volume size: write a whole number and Ki, Mi, Gi or Ti, e.g. 10Gi",
                shown(&registry.size)
            ),
        ));
    }
    match &registry.service {
        RegistryService::ClusterIP => {}
        RegistryService::NodePort { port } => {
            if let Some(port) = port
                && !(30000..=32767).contains(port)
            {
                found.push(Diagnostic::error(
                    format!("{at}.service.port"),
                    format!(
                        "port {port} is outside Kubernetes' node port range: write 30000 to \
                         32767, or leave it out to let Kubernetes pick one"
                    ),
                ));
            }
        }
        RegistryService::LoadBalancer { address } => {
            if spec.kubernetes.addons.metallb.is_none() {
                found.push(Diagnostic::error(
                    format!("{at}.service.type"),
                    "a LoadBalancer Service needs something to give it an address, and nothing \
                     does on bare metal without MetalLB: add kubernetes.addons.metallb, or \
                     write type: NodePort",
                ));
            } else if let Some(address) = address
                && !pools.iter().any(|p| p.range.contains(*address))
            {
                found.push(Diagnostic::error(
                    format!("{at}.service.address"),
                    format!(
                        "{address} is in no MetalLB pool, so MetalLB would not give it: pick an \
                         address of kubernetes.addons.metallb.pools, or leave it out"
                    ),
                ));
            }
        }
    }
}

/// A Kubernetes quantity as the registry's size takes it: `^[1-9][0-9]*(Ki|Mi|Gi|Ti)$`.
fn is_quantity(size: &str) -> bool {
    let Some(number) = ["Ki", "Mi", "Gi", "Ti"]
        .iter()
        .find_map(|unit| size.strip_suffix(unit))
    else {
        return false;
    };
    !number.is_empty() && !number.starts_with('0') && number.bytes().all(|b| b.is_ascii_digit())
}

/// Extra variables the kubespray release ignores, and those a typed add-on sets.
fn extra_vars(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let ignored = kubespray::facts(spec.targets.kubespray).ignored_variables;
    for (group, vars) in &spec.extra_vars {
        let group = group.as_str();
        for name in vars.keys() {
            let path = format!("extra_vars.{group}.{name}");
            if let Some((_, message)) = ignored.iter().find(|(v, _)| v == name) {
                found.push(Diagnostic::error_at_key(path, *message));
            } else if let Some((_, field)) = TYPED_VARIABLES.iter().find(|(v, _)| v == name) {
                found.push(Diagnostic::error_at_key(
                    path,
                    format!(
                        "`{name}` is what cephspray writes from {field}: write {field} instead, \
                         and remove it from extra_vars"
                    ),
                ));
            }
        }
    }
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

    fn range(first: &str, last: &str) -> Range {
        Range {
            first: first.parse().unwrap(),
            last: last.parse().unwrap(),
        }
    }

    #[test]
    fn pool_entries_are_networks_or_ranges() {
        assert_eq!(
            parse_pool_entry("192.0.2.0/28"),
            Ok(range("192.0.2.0", "192.0.2.15"))
        );
        assert_eq!(
            parse_pool_entry("192.0.2.10-192.0.2.20"),
            Ok(range("192.0.2.10", "192.0.2.20"))
        );
        assert_eq!(
            parse_pool_entry("192.0.2.10 - 192.0.2.20"),
            Ok(range("192.0.2.10", "192.0.2.20"))
        );
        assert_eq!(
            parse_pool_entry("192.0.2.7-192.0.2.7"),
            Ok(range("192.0.2.7", "192.0.2.7")),
            "a range of one address"
        );
        assert_eq!(
            parse_pool_entry("192.0.2.7/32"),
            Ok(range("192.0.2.7", "192.0.2.7"))
        );
        for (text, expected) in [
            (
                "192.0.2.20-192.0.2.10",
                "write the lower address first, 192.0.2.10-192.0.2.20",
            ),
            (
                "192.0.2.1/28",
                "host bits set: write the network by its first address, 192.0.2.0/28",
            ),
            (
                "192.0.2.7",
                "write it as a network, 192.0.2.7/32, or a range",
            ),
            ("192.0.2.0/33", "a prefix length from 0 to 32"),
            ("fd00::/64", "IPv6 is not supported yet"),
            ("fd00::1-fd00::9", "IPv6 is not supported yet"),
            ("192.0.2.1-", "is not an IPv4 address"),
            ("192.0.2.010-192.0.2.20", "leading zeros"),
            ("public", "a pool entry is a network"),
            ("", "a pool entry is a network"),
            ("{{ x }}", "a pool entry is a network"),
        ] {
            let message = parse_pool_entry(text).unwrap_err();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }

    #[test]
    fn ranges_overlap_at_their_edges() {
        let a = range("192.0.2.10", "192.0.2.20");
        assert!(
            a.overlaps(&range("192.0.2.20", "192.0.2.30")),
            "shared last address"
        );
        assert!(
            a.overlaps(&range("192.0.2.0", "192.0.2.10")),
            "shared first address"
        );
        assert!(a.overlaps(&range("192.0.2.12", "192.0.2.13")), "inside");
        assert!(a.overlaps(&range("192.0.2.0", "192.0.2.255")), "around");
        assert!(
            !a.overlaps(&range("192.0.2.21", "192.0.2.30")),
            "adjacent after"
        );
        assert!(
            !a.overlaps(&range("192.0.2.0", "192.0.2.9")),
            "adjacent before"
        );
        assert!(a.inside(&range("192.0.2.10", "192.0.2.20")));
        assert!(!a.inside(&range("192.0.2.11", "192.0.2.30")));
        let all = range("0.0.0.0", "255.255.255.255");
        assert!(all.contains("255.255.255.255".parse().unwrap()));
        assert!(all.overlaps(&a));
    }

    fn spec(extra: &str) -> Spec {
        let text = format!(
            "cluster: {{ name: x }}\nnetwork: {{ private: 10.8.0.0/24 }}\nnodes:\n  - {{ name: n1, address: 10.8.0.1, ssh: {{ address: 203.0.113.5 }}, disks: [{{ device: /dev/sdb, size: 3TB }}] }}\nceph: {{ size: 1, min_size: 1 }}\n{extra}"
        );
        crate::spec::parse("t", &text).unwrap()
    }

    fn errors(extra: &str) -> Vec<String> {
        let mut found = Vec::new();
        check(&spec(extra), &mut found);
        found.iter().map(ToString::to_string).collect()
    }

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

    #[test]
    fn extra_variables_of_typed_add_ons_and_of_removed_ones() {
        let found = errors("extra_vars: { all: { loadbalancer_apiserver: {}, my_var: 1 } }\n");
        assert!(
            found.len() == 1 && found[0].contains("write kubernetes.addons.vip instead"),
            "{found:?}"
        );
        let found = errors("extra_vars: { k8s_cluster: { ingress_nginx_enabled: true } }\n");
        assert!(
            found.len() == 1 && found[0].contains("v2.31 has no ingress-nginx"),
            "{found:?}"
        );
        let found = errors(
            "targets: { kubespray: \"2.30\" }\nextra_vars: { k8s_cluster: { ingress_nginx_enabled: true, scheduler_plugins_enabled: true } }\n",
        );
        assert!(
            found.len() == 1 && found[0].contains("scheduler_plugins_enabled: kubespray v2.30"),
            "v2.30 still has ingress-nginx: {found:?}"
        );
    }

    #[test]
    fn snapshot_directories_that_kubespray_deletes() {
        for inside in [
            "/var/backups/etcd-snapshots",
            "/var/backups/etcd-x/deeper",
            "//var/./backups//etcd-",
        ] {
            assert!(inside_kubespray_backups(inside), "{inside}");
        }
        for outside in [
            "/var/backups/etcd",
            "/var/backups",
            "/var/backups/snapshots/etcd-1",
            "/srv/var/backups/etcd-1",
        ] {
            assert!(!inside_kubespray_backups(outside), "{outside}");
        }
    }

    #[test]
    fn paths_schedules_and_sizes() {
        for good in ["/var/backups/etcd", "/opt/local-path-provisioner/", "/a..b"] {
            assert_eq!(absolute_path_problem(good), None, "{good}");
        }
        for (bad, expected) in [
            ("var/backups", "absolute"),
            ("/", "root directory"),
            ("//", "root directory"),
            ("/var/../etc", "`..`"),
            ("/var/a b", "characters"),
            ("/var/{{x}}", "characters"),
            ("", "absolute"),
        ] {
            assert!(
                absolute_path_problem(bad).is_some_and(|p| p.contains(expected)),
                "{bad}"
            );
        }
        for good in [
            "daily",
            "Weekly",
            "*-*-* 03:00:00",
            "Mon..Fri 02:00",
            "Sat,Sun 04:00",
            "*-*~01",
            "*-*-* 03:00:00 UTC",
            "daily Europe/Paris",
        ] {
            assert!(is_calendar_event(good), "{good}");
        }
        for bad in [
            "",
            " ",
            "daily\nExecStart=/bin/sh",
            "%H",
            "{{x}}",
            "a;b",
            "a b",
            "UTC",
            "03:00 Europe/Paris daily",
            "-oProxyCommand=id",
        ] {
            assert!(!is_calendar_event(bad), "{bad:?}");
        }
        for good in ["10Gi", "1Ti", "512Mi", "100Ki"] {
            assert!(is_quantity(good), "{good}");
        }
        for bad in [
            "0Gi", "010Gi", "Gi", "10G", "10 Gi", "1.5Gi", "-1Gi", "10gi",
        ] {
            assert!(!is_quantity(bad), "{bad}");
        }
    }
}
