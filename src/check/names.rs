//! The character sets of names: each spec string that reaches a generated file may hold only
//! what its consumer accepts (a Ceph pool, a CRUSH bucket, a Linux user, a host name …). Within
//! those sets a value is plain data wherever it lands: no line break to leave a YAML comment, no
//! `{`, `}` or `#` for Ansible to read as a template, no space to split a command line, no
//! leading `-` to be taken for an option.
//!
//! Node and storage class names are checked as RFC 1123 names where they are used (nodes.rs,
//! storage.rs); a pool name that is empty, starts with `.` or holds a space is reported by
//! pools.rs, a sub-volume group that is empty or holds `/` or a space by storage.rs, a device
//! outside `/dev/` by nodes.rs: this module reports every other character.

use super::Diagnostic;
use crate::spec::Spec;
use crate::text::one_line;

/// What Ceph accepts in pool, file system and CRUSH bucket names (`[A-Za-z0-9_.-]`: Ceph's
/// CrushWrapper::is_valid_crush_name, and the set Ceph's CephFS documentation gives for file
/// systems and their pools).
const CEPH_NAME: &str = "letters, digits, `_`, `.` and `-`, not starting with `-`";

/// True for a Ceph pool, file system, CRUSH bucket or sub-volume group name that every Ceph
/// command line takes as one word.
pub(crate) fn is_ceph_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// A DNS label (RFC 1123): lowercase letters, digits, `-` inside, 1 to 63 characters.
pub(crate) fn is_dns_label(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// A DNS host name in any case: labels of letters, digits and inner `-`, separated by `.`.
fn is_dns_name(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A Linux user name as shadow's useradd accepts it (without the trailing `$` of Samba
/// machine accounts): letters, digits, `_`, `.`, `-` (not first), at most 32 characters, not
/// only digits, not `.` or `..`.
pub(crate) fn is_user_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        && !name.bytes().all(|b| b.is_ascii_digit())
        && name != "."
        && name != ".."
}

/// A device path: `/dev/` then what udev writes in device names and links (letters, digits,
/// `#+-.:=@_`, `/` between components, and `\` of its `\x2f`-style escapes).
pub(crate) fn is_device_path(path: &str) -> bool {
    path.strip_prefix("/dev/").is_some_and(|rest| {
        !rest.is_empty()
            && rest.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(
                        b,
                        b'#' | b'+' | b'-' | b'.' | b':' | b'=' | b'@' | b'_' | b'/' | b'\\'
                    )
            })
    })
}

/// An Ansible variable name: a letter or `_`, then letters, digits and `_`; not a Python
/// keyword (Ansible refuses those).
pub(crate) fn is_variable_name(name: &str) -> bool {
    const KEYWORDS: [&str; 35] = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];
    name.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !KEYWORDS.contains(&name)
}

/// A value as a message shows it: in backticks, every control character escaped.
pub(super) fn shown(value: &str) -> String {
    format!("`{}`", one_line(value))
}

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let name = &spec.cluster.name;
    if !is_dns_label(name) {
        found.push(Diagnostic::error(
            "cluster.name",
            format!(
                "{} is not a cluster name: write a DNS label (lowercase letters, digits and `-` inside, \
                 at most 63 characters), e.g. pair2jeux",
                shown(name)
            ),
        ));
    }
    for (i, node) in spec.nodes.iter().enumerate() {
        check_node(i, node, found);
    }
    let ceph = &spec.ceph;
    for (i, pool) in ceph.pools.iter().enumerate() {
        let reported_by_pools = pool.name.is_empty()
            || pool.name.starts_with('.')
            || pool.name.contains(char::is_whitespace);
        if !reported_by_pools && !is_ceph_name(&pool.name) {
            found.push(Diagnostic::error(
                format!("ceph.pools[{i}].name"),
                format!(
                    "{} is not a Ceph pool name: use {CEPH_NAME}, e.g. rbd_data",
                    shown(&pool.name)
                ),
            ));
        }
    }
    if let Some(fs) = &ceph.cephfs
        && !is_ceph_name(&fs.name)
    {
        found.push(Diagnostic::error(
            "ceph.cephfs.name",
            format!(
                "{} is not a CephFS file system name: use {CEPH_NAME}, e.g. cephfs",
                shown(&fs.name)
            ),
        ));
    }
    for (i, class) in spec.kubernetes.storage.iter().enumerate() {
        let group = &class.subvolume_group;
        let reported_by_storage = group.is_empty() || group.contains(['/', ' ']);
        if !reported_by_storage && !is_ceph_name(group) {
            found.push(Diagnostic::error(
                format!("kubernetes.storage[{i}].subvolume_group"),
                format!(
                    "{} is not a CephFS sub-volume group name: use {CEPH_NAME}, e.g. csi",
                    shown(group)
                ),
            ));
        }
    }
    for (group, vars) in &spec.extra_vars {
        let group = group.as_str();
        for name in vars.keys().filter(|name| !is_variable_name(name)) {
            found.push(Diagnostic::error(
                format!("extra_vars.{group}.{name}"),
                format!(
                    "{} is not an Ansible variable name: use letters, digits and `_`, not starting \
                     with a digit (and not a Python keyword)",
                    shown(name)
                ),
            ));
        }
    }
}

fn check_node(i: usize, node: &crate::spec::Node, found: &mut Vec<Diagnostic>) {
    let at = format!("nodes[{i}]");
    if let Some(ssh) = &node.ssh {
        if let Some(address) = &ssh.address
            && address.parse::<std::net::IpAddr>().is_err()
            && !is_dns_name(address)
        {
            found.push(Diagnostic::error(
                format!("{at}.ssh.address"),
                format!(
                    "{} is neither an IP address nor a host name: write an address (203.0.113.11) or \
                     a DNS name (letters, digits and `-` inside labels, labels separated by `.`)",
                    shown(address)
                ),
            ));
        }
        if let Some(user) = &ssh.user
            && !is_user_name(user)
        {
            found.push(Diagnostic::error(
                format!("{at}.ssh.user"),
                format!(
                    "{} is not a Linux user name: use letters, digits, `_`, `.` and `-` (not first), \
                     at most 32 characters, e.g. debian",
                    shown(user)
                ),
            ));
        }
    }
    let crush = &node.crush;
    let levels = crush
        .root
        .as_deref()
        .map(|root| ("root", root))
        .into_iter()
        .chain(crush.levels());
    for (level, bucket) in levels {
        if !is_ceph_name(bucket) {
            found.push(Diagnostic::error(
                format!("{at}.crush.{level}"),
                format!(
                    "{} is not a CRUSH bucket name: use {CEPH_NAME}, e.g. rack1",
                    shown(bucket)
                ),
            ));
        }
    }
    for (d, disk) in node.disks.iter().enumerate() {
        if disk.device.starts_with("/dev/") && !is_device_path(&disk.device) {
            found.push(Diagnostic::error(
                format!("{at}.disks[{d}].device"),
                format!(
                    "{} is not a device path: after /dev/ use letters, digits and `#+-.:=@_\\/` (what \
                     udev writes), e.g. /dev/sdb or /dev/disk/by-id/wwn-0x5000c500a1b2c3d4",
                    shown(&disk.device)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceph_names() {
        for good in ["cephfs_data", "rbd", "a.b-c", "R1", "0"] {
            assert!(is_ceph_name(good), "{good}");
        }
        for bad in ["", "-x", "a b", "a/b", "{{x}}", "a\nb", "é", "a#b", "a:b"] {
            assert!(!is_ceph_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn user_names() {
        for good in ["debian", "ubuntu", "_svc", "a.b", "ops-1", "Admin"] {
            assert!(is_user_name(good), "{good}");
        }
        for bad in [
            "",
            "-x",
            "123",
            ".",
            "..",
            "a b",
            "{{ x }}",
            &"x".repeat(33),
            "a$",
        ] {
            assert!(!is_user_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn cluster_names_and_host_names() {
        assert!(is_dns_label("pair2jeux") && is_dns_label("a-b"));
        for bad in ["", "Pair", "a.b", "-a", "a-", "a_b", &"x".repeat(64)] {
            assert!(!is_dns_label(bad), "{bad:?}");
        }
        assert!(is_dns_name("bastion.Example.org") && is_dns_name("node1"));
        for bad in [
            "",
            "-oProxyCommand=x",
            "a..b",
            "a b",
            "a_b.org",
            "a.",
            "{{x}}",
        ] {
            assert!(!is_dns_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn device_paths() {
        for good in [
            "/dev/sdb",
            "/dev/nvme0n1p2",
            "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4",
            "/dev/disk/by-path/pci-0000:00:1f.2-ata-1",
            "/dev/disk/by-partlabel/ceph\\x20data",
            "/dev/mapper/vg-lv",
        ] {
            assert!(is_device_path(good), "{good}");
        }
        for bad in [
            "/dev/",
            "/dev/sd b",
            "/dev/{{x}}",
            "/dev/a\nb",
            "/dev/a'b",
            "/dev/a;b",
        ] {
            assert!(!is_device_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn variable_names() {
        for good in ["ntp_enabled", "_x", "kube_log_level", "A1"] {
            assert!(is_variable_name(good), "{good}");
        }
        for bad in ["", "1x", "a b", "a-b", "{{x}}", "class", "True", "é"] {
            assert!(!is_variable_name(bad), "{bad:?}");
        }
    }
}
