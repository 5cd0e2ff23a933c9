//! Checks of each node on its own and of nodes against each other.

use super::Diagnostic;
use crate::spec::{DiskKind, Spec, short_name};
use std::collections::HashMap;
use std::net::Ipv4Addr;

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let mut names: HashMap<&str, usize> = HashMap::new();
    let mut short_names: HashMap<&str, usize> = HashMap::new();
    let mut addresses = HashMap::new();
    for (i, node) in spec.nodes.iter().enumerate() {
        let at = format!("nodes[{i}]");
        if !is_rfc1123_name(&node.name) {
            found.push(Diagnostic::error(
                format!("{at}.name"),
                format!(
                    "`{}` is not a lowercase RFC 1123 host name (a-z, 0-9, `-` inside labels, labels \
                     separated by `.`, at most 253 characters): kubespray refuses it; rename the node",
                    node.name
                ),
            ));
        }
        if is_rfc1123_name(&node.name)
            && let Some(group) = INVENTORY_GROUPS.iter().find(|g| **g == node.name)
        {
            found.push(Diagnostic::error(
                format!("{at}.name"),
                format!(
                    "`{group}` is the name of an inventory group (Ansible's, kubespray's or \
                     ceph-ansible's): plays and --limit would pick the group, not this node; \
                     rename the node, e.g. {group}1"
                ),
            ));
        }
        if let Some(first) = names.insert(&node.name, i) {
            found.push(Diagnostic::error(
                format!("{at}.name"),
                format!(
                    "node name `{}` is already used by nodes[{first}]; names must be unique: \
                     rename one of them",
                    node.name
                ),
            ));
        } else {
            let short = short_name(&node.name);
            if let Some(first) = short_names.insert(short, i) {
                found.push(Diagnostic::error(
                    format!("{at}.name"),
                    format!(
                        "`{}` and nodes[{first}] share the short host name `{short}`, which Ceph names \
                         its daemons and CRUSH host buckets by; make the first labels differ",
                        node.name
                    ),
                ));
            }
        }
        if let Some(first) = addresses.insert(node.address, i) {
            found.push(Diagnostic::error(
                format!("{at}.address"),
                format!(
                    "address {} is already used by nodes[{first}]; each node needs its own: give \
                     this node another address",
                    node.address
                ),
            ));
        }
        if !spec.network.private.network.contains(&node.address) {
            found.push(Diagnostic::error(
                format!("{at}.address"),
                format!(
                    "{} is outside network.private {}: Ceph and Kubernetes bind to the private network \
                     only; give the node its address on that network, or widen network.private",
                    node.address, spec.network.private.network
                ),
            ));
        } else if let Some(message) =
            reserved_in_network(node.address, spec.network.private.network)
        {
            found.push(Diagnostic::error(format!("{at}.address"), message));
        }
        if let Some(ssh) = &node.ssh
            && ssh.port == Some(0)
        {
            found.push(Diagnostic::error(
                format!("{at}.ssh.port"),
                "port 0 is not a port anything listens on: write SSH's port, from 1 to 65535 \
                 (drop ssh.port for the default, 22)",
            ));
        }
        check_disks(spec, i, found);
    }
}

fn check_disks(spec: &Spec, i: usize, found: &mut Vec<Diagnostic>) {
    let node = &spec.nodes[i];
    let runs_osds = crate::spec::roles_of(node).contains(&crate::spec::Role::Osd);
    if runs_osds && node.disks.is_empty() {
        found.push(Diagnostic::error(
            format!("nodes[{i}].disks"),
            format!(
                "`{}` is an OSD node without disks: list the devices Ceph may use, or drop the osd role",
                node.name
            ),
        ));
    }
    if !runs_osds && !node.disks.is_empty() {
        found.push(Diagnostic::warning(
            format!("nodes[{i}].disks"),
            format!(
                "`{}` has disks but no osd role: they are not used; add the osd role, or remove them",
                node.name
            ),
        ));
    }
    for (d, disk) in node.disks.iter().enumerate() {
        let at = format!("nodes[{i}].disks[{d}]");
        if let Some(message) = device_path_problem(&disk.device) {
            found.push(Diagnostic::error(format!("{at}.device"), message));
        }
        if let Some(message) = size_problem(disk) {
            found.push(Diagnostic::error(format!("{at}.size"), message));
        }
        // Against the first earlier listing only: a disk listed four times is three errors.
        let earlier = &node.disks[..d];
        if let Some(e) = earlier.iter().position(|e| e.device == disk.device) {
            found.push(Diagnostic::error(
                format!("{at}.device"),
                format!(
                    "{} is already listed as disks[{e}]; each device can hold one OSD: remove \
                     one of them",
                    disk.device
                ),
            ));
        } else if let Some(e) = earlier.iter().position(|e| overlaps(e, disk)) {
            found.push(Diagnostic::error(
                format!("{at}.device"),
                format!(
                    "{} and disks[{e}] ({}) are the same disk: a whole disk given to Ceph cannot also \
                     lend a partition; give Ceph either the disk or its partitions",
                    disk.device, earlier[e].device
                ),
            ));
        }
        if disk.kind == DiskKind::Disk && looks_like_partition(&disk.device) {
            found.push(Diagnostic::warning(
                format!("{at}.type"),
                format!(
                    "{} looks like a partition but is declared a whole disk; add `type: partition`, \
                     or ceph-volume will refuse it",
                    disk.device
                ),
            ));
        }
    }
}

/// Every inventory group name a node must not take: Ansible's own (`all`, `ungrouped`, and
/// `localhost`, its implicit local host), the groups cephspray writes, and those kubespray and
/// ceph-ansible define or look up (current and legacy names).
pub(crate) const INVENTORY_GROUPS: &[&str] = &[
    "all",
    "ungrouped",
    "localhost",
    // kubespray
    "k8s_cluster",
    "kube_control_plane",
    "kube_node",
    "etcd",
    "calico_rr",
    "bastion",
    "no_floating",
    "k8s-cluster",
    "kube-master",
    "kube-node",
    "calico-rr",
    "no-floating",
    "broken_etcd",
    "broken_kube_control_plane",
    // ceph-ansible
    "mons",
    "mgrs",
    "osds",
    "mdss",
    "clients",
    "monitoring",
    "rgws",
    "nfss",
    "rbdmirrors",
    "rgwloadbalancers",
    "iscsigws",
    "grafana-server",
];

/// Why a node address cannot be used although it lies in network.private: the network's own
/// address or its broadcast address (networks of /31 and /32 have neither).
fn reserved_in_network(address: Ipv4Addr, network: ipnet::Ipv4Net) -> Option<String> {
    if network.prefix_len() >= 31 {
        return None;
    }
    let first = Ipv4Addr::from(u32::from(network.network()) + 1);
    let last = Ipv4Addr::from(u32::from(network.broadcast()) - 1);
    let what = if address == network.network() {
        "the network address"
    } else if address == network.broadcast() {
        "the broadcast address"
    } else {
        return None;
    };
    Some(format!(
        "{address} is {what} of network.private {network}, not a host's: give the node an \
         address from {first} to {last}"
    ))
}

/// Why a device path cannot be an OSD device. The path is already lexically canonical
/// (`/dev//sdb/` was read as `/dev/sdb`).
fn device_path_problem(device: &str) -> Option<String> {
    if device.is_empty() {
        return Some("the device path is empty: write one, e.g. /dev/sdb".to_owned());
    }
    // Under /dev/, names.rs says which characters a device path may hold.
    if !device.starts_with("/dev/") && device.chars().any(|c| c.is_whitespace() || c.is_control()) {
        let suggestion = device
            .split(|c: char| c.is_whitespace() || c.is_control())
            .find(|part| !part.is_empty())
            .map_or("/dev/sdb".to_owned(), |part| {
                if part.starts_with('/') {
                    part.to_owned()
                } else {
                    format!("/dev/{part}")
                }
            });
        return Some(format!(
            "`{}` holds spaces or control characters, which no device path under /dev has: \
             write the path alone, e.g. {suggestion}",
            device.escape_debug()
        ));
    }
    if !device.starts_with('/') {
        let suggestion = match device.strip_prefix("dev/") {
            Some(rest) => format!("/dev/{rest}"),
            None if !device.contains("..") => format!("/dev/{}", device.trim_start_matches("./")),
            None => format!("/dev/{}", device.rsplit('/').next().unwrap_or("sdb")),
        };
        return Some(format!(
            "`{device}` is a relative path, which ceph-volume would resolve against its working \
             directory: write the absolute path, e.g. {suggestion}"
        ));
    }
    match device.strip_prefix("/dev/") {
        Some(name) if !name.is_empty() => None,
        _ if device == "/dev" => Some(
            "the path names the /dev directory, not a device in it (a `..` too many?): write \
             e.g. /dev/sdb"
                .to_owned(),
        ),
        _ => Some(format!(
            "`{device}` is not under /dev: Ceph takes block devices; write the device's path, \
             e.g. /dev/sdb or /dev/disk/by-id/…"
        )),
    }
}

/// The smallest device ceph-volume accepts (its "Insufficient space (<5GB)" reject reason).
const CEPH_VOLUME_MIN_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// Why a disk is too small to hold an OSD: Ceph weighs an OSD by its size in TiB written with
/// four decimals, so below 0.00005 TiB the weight is 0 and CRUSH puts nothing on it; and
/// `ceph-volume lvm batch`, which ceph-ansible runs on whole disks, refuses devices below 5 GiB.
fn size_problem(disk: &crate::spec::Disk) -> Option<String> {
    let weight = format!("{:.4}", disk.size.tib());
    if weight == "0.0000" {
        return Some(format!(
            "{} weighs 0.0000 in CRUSH (an OSD weighs its size in TiB, to four decimals): Ceph \
             would place no data on it; give a device of at least 5GiB, and check the unit \
             (3TB, not 3MB)",
            disk.size
        ));
    }
    if disk.kind == DiskKind::Disk && disk.size.0 < CEPH_VOLUME_MIN_BYTES {
        return Some(format!(
            "{} is below the 5GiB ceph-volume needs for a whole disk (it rejects smaller ones as \
             \"Insufficient space (<5GB)\"): give a larger disk, and check the unit (3TB, not \
             3GB)",
            disk.size
        ));
    }
    None
}

/// True when one device is a whole disk and the other a partition of it.
fn overlaps(a: &crate::spec::Disk, b: &crate::spec::Disk) -> bool {
    let (whole, part) = match (a.kind, b.kind) {
        (DiskKind::Disk, DiskKind::Partition) => (a, b),
        (DiskKind::Partition, DiskKind::Disk) => (b, a),
        _ => return false,
    };
    partition_parent(&part.device) == Some(whole.device.as_str())
}

/// The disk a conventionally named partition belongs to: /dev/sda3 → /dev/sda,
/// /dev/nvme0n1p2 → /dev/nvme0n1.
fn partition_parent(device: &str) -> Option<&str> {
    let base = device.trim_end_matches(|c: char| c.is_ascii_digit());
    if base.len() == device.len() || !device.starts_with("/dev/") {
        return None;
    }
    if let Some(nvme) = base.strip_suffix('p') {
        return nvme.ends_with(|c: char| c.is_ascii_digit()).then_some(nvme);
    }
    let name = &base["/dev/".len()..];
    let classic = ["sd", "vd", "xvd", "hd"].iter().any(|prefix| {
        name.starts_with(prefix) && name[prefix.len()..].chars().all(|c| c.is_ascii_lowercase())
    });
    classic.then_some(base)
}

pub(crate) fn looks_like_partition(device: &str) -> bool {
    partition_parent(device).is_some()
}

/// Lowercase RFC 1123 host name, the rule kubespray applies to inventory host names.
pub(crate) fn is_rfc1123_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1123_names() {
        for good in ["node1", "node1.local", "a-b.c-d", "0abc"] {
            assert!(is_rfc1123_name(good), "{good}");
        }
        for bad in [
            "Node1",
            "node_1",
            "-a",
            "a-",
            "a..b",
            "",
            "../etc",
            "a/b",
            &"x".repeat(64),
        ] {
            assert!(!is_rfc1123_name(bad), "{bad}");
        }
    }

    #[test]
    fn partitions_are_recognised() {
        assert_eq!(partition_parent("/dev/sda3"), Some("/dev/sda"));
        assert_eq!(partition_parent("/dev/nvme0n1p2"), Some("/dev/nvme0n1"));
        assert_eq!(partition_parent("/dev/vdb1"), Some("/dev/vdb"));
        assert_eq!(partition_parent("/dev/sdb"), None);
        assert_eq!(partition_parent("/dev/nvme0n1"), None);
        assert_eq!(partition_parent("/dev/disk/by-id/wwn-0x5000"), None);
    }
}
