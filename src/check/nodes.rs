//! Checks of each node on its own and of nodes against each other.

use super::Diagnostic;
use crate::spec::{DiskKind, Spec};
use std::collections::HashMap;

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
        if let Some(first) = names.insert(&node.name, i) {
            found.push(Diagnostic::error(
                format!("{at}.name"),
                format!(
                    "node name `{}` is already used by nodes[{first}]; names must be unique",
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
                    "address {} is already used by nodes[{first}]; each node needs its own",
                    node.address
                ),
            ));
        }
        if !spec.network.private.contains(&node.address) {
            found.push(Diagnostic::error(
                format!("{at}.address"),
                format!(
                    "{} is outside network.private {}: Ceph and Kubernetes bind to the private network \
                     only; give the node its address on that network, or widen network.private",
                    node.address, spec.network.private
                ),
            ));
        }
        check_disks(spec, i, found);
    }
}

fn check_disks(spec: &Spec, i: usize, found: &mut Vec<Diagnostic>) {
    let node = &spec.nodes[i];
    let runs_osds = crate::plan::roles_of(node).contains(&crate::spec::Role::Osd);
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
                "`{}` has disks but no osd role: they are not used",
                node.name
            ),
        ));
    }
    for (d, disk) in node.disks.iter().enumerate() {
        let at = format!("nodes[{i}].disks[{d}]");
        if !disk.device.starts_with("/dev/") {
            found.push(Diagnostic::error(
                format!("{at}.device"),
                format!("`{}` is not a device path: write it as /dev/…", disk.device),
            ));
        }
        for (e, earlier) in node.disks[..d].iter().enumerate() {
            if earlier.device == disk.device {
                found.push(Diagnostic::error(
                    format!("{at}.device"),
                    format!(
                        "{} is already listed as disks[{e}]; each device can hold one OSD",
                        disk.device
                    ),
                ));
            } else if overlaps(earlier, disk) {
                found.push(Diagnostic::error(
                    format!("{at}.device"),
                    format!(
                        "{} and disks[{e}] ({}) are the same disk: a whole disk given to Ceph cannot also \
                         lend a partition",
                        disk.device, earlier.device
                    ),
                ));
            }
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

/// The first label of a host name, which Ceph uses as the host's name.
pub(crate) fn short_name(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
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
