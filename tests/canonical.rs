//! One value, one spelling: every spelling of a value that means one thing is read as that one
//! thing (checked as such and rendered in its canonical spelling), and every spelling whose
//! meaning is a guess is refused with the spelling to write. Each class is tried with more
//! inputs than the issue listed.

use cephspray::check::{Diagnostic, Severity};
use cephspray::spec;

const NETWORK: &str = "network: { private: 10.8.0.0/24 }\n";

/// Three nodes that pass every check, then `rest`.
fn spec_text(nodes: &str, rest: &str) -> String {
    format!(
        "cluster: {{ name: c }}\n{NETWORK}nodes:\n  - {{ name: n1, address: 10.8.0.1, disks: [{{ device: /dev/sdb, size: 3TB }}] }}\n  - {{ name: n2, address: 10.8.0.2, disks: [{{ device: /dev/sdb, size: 3TB }}] }}\n  - {{ name: n3, address: 10.8.0.3, disks: [{{ device: /dev/sdb, size: 3TB }}] }}\n{nodes}{rest}"
    )
}

/// The errors `check` finds, or the parse error, as text.
fn errors(text: &str) -> Vec<String> {
    match spec::parse("t.yaml", text) {
        Err(e) => vec![e.to_string()],
        Ok(parsed) => cephspray::check_spec(&parsed)
            .into_iter()
            .filter(|d: &Diagnostic| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect(),
    }
}

fn one_error(text: &str) -> String {
    let found = errors(text);
    assert_eq!(found.len(), 1, "{text}\n{found:#?}");
    found.into_iter().next().unwrap()
}

/// A fourth node with these disks.
fn node_with_disks(disks: &[&str]) -> String {
    let disks: Vec<String> = disks
        .iter()
        .map(|d| {
            let kind = if d.ends_with(|c: char| c.is_ascii_digit()) {
                ", type: partition"
            } else {
                ""
            };
            format!("{{ device: {}, size: 1TB{kind} }}", serde_json::json!(d))
        })
        .collect();
    format!(
        "  - {{ name: n4, address: 10.8.0.4, roles: [worker, osd], disks: [{}] }}\n",
        disks.join(", ")
    )
}

const SDB_SPELLINGS: &[&str] = &[
    "/dev/sdb",
    "/dev/sdb/",
    "/dev//sdb",
    "//dev/sdb",
    "/dev/./sdb",
    "/dev/../dev/sdb",
    "/../dev/sdb",
    "/dev/sdb/.",
    "/dev/sdb//",
    "/dev/disk/../sdb",
    "/./dev/sdb",
];

#[test]
fn every_spelling_of_a_device_is_rendered_canonically() {
    for written in SDB_SPELLINGS {
        let text = spec_text(&node_with_disks(&[written]), "");
        let parsed = spec::parse("t.yaml", &text).unwrap();
        assert_eq!(parsed.nodes[3].disks[0].device, "/dev/sdb", "{written}");
        let (tree, _) = cephspray::build(&parsed, &cephspray::Inputs::new("t.yaml")).unwrap();
        #[derive(serde::Deserialize)]
        struct HostVars {
            devices: Vec<String>,
        }
        let vars: HostVars = serde_saphyr::from_str(tree.get("host_vars/n4.yml").unwrap()).unwrap();
        assert_eq!(vars.devices, ["/dev/sdb"], "{written}");
    }
}

#[test]
fn two_spellings_of_one_device_are_one_device() {
    for a in SDB_SPELLINGS {
        for b in SDB_SPELLINGS {
            let error = one_error(&spec_text(&node_with_disks(&[a, b]), ""));
            assert!(
                error.contains("nodes[3].disks[1].device: /dev/sdb is already listed as disks[0]"),
                "{a} + {b}: {error}"
            );
        }
    }
}

#[test]
fn a_partition_of_a_respelled_disk_is_seen() {
    for (disk, partition) in [
        ("/dev//sdb", "/dev/sdb1"),
        ("/dev/sdb/", "/dev/./sdb2"),
        ("/dev/../dev/nvme0n1", "/dev/nvme0n1p3/"),
        ("/dev/vdb", "//dev/vdb1"),
    ] {
        let node = format!(
            "  - {{ name: n4, address: 10.8.0.4, roles: [worker, osd], disks: [{{ device: {disk}, size: 1TB }}, {{ device: {partition}, size: 100GB, type: partition }}] }}\n"
        );
        let error = one_error(&spec_text(&node, ""));
        assert!(
            error.contains("are the same disk"),
            "{disk} + {partition}: {error}"
        );
    }
}

#[test]
fn device_paths_outside_dev_or_relative_are_refused_with_what_to_write() {
    for (written, expected) in [
        ("sdb", "write the absolute path, e.g. /dev/sdb"),
        ("dev/sdb", "write the absolute path, e.g. /dev/sdb"),
        ("./sdb", "write the absolute path, e.g. /dev/sdb"),
        ("../dev/sdb", "write the absolute path, e.g. /dev/sdb"),
        ("/dev/../etc/passwd", "`/etc/passwd` is not under /dev"),
        ("/dev/../../sdb", "`/sdb` is not under /dev"),
        ("/tmp/disk.img", "is not under /dev"),
        ("/", "is not under /dev"),
        ("/dev", "names the /dev directory"),
        ("/dev/", "names the /dev directory"),
        ("/dev/sdb/..", "names the /dev directory"),
        ("", "the device path is empty"),
        ("sdb ", "write the path alone, e.g. /dev/sdb"),
        (" /dev/sdb", "write the path alone, e.g. /dev/sdb"),
        ("/dev/sdb ", "is not a device path"),
        ("/dev/sd b", "is not a device path"),
        ("/dev/sdb\t", "is not a device path"),
    ] {
        let text = spec_text(&node_with_disks(&[written]), "");
        let found = errors(&text);
        assert!(
            found.iter().any(|e| e.contains(expected)),
            "{written:?}: {found:#?}"
        );
    }
}

#[test]
fn networks_with_host_bits_are_refused_in_every_network_field() {
    for field in ["private", "ceph_cluster", "pods", "services"] {
        for (written, canonical) in [
            ("10.8.0.1/24", "10.8.0.0/24"),
            ("10.8.0.255/24", "10.8.0.0/24"),
            ("10.8.1.0/23", "10.8.0.0/23"),
            ("10.233.64.1/18", "10.233.64.0/18"),
            ("10.233.100.0/18", "10.233.64.0/18"),
            ("172.16.5.4/12", "172.16.0.0/12"),
            ("192.168.1.129/25", "192.168.1.128/25"),
            ("10.8.0.3/31", "10.8.0.2/31"),
        ] {
            // Keep the other networks clear of the one tried.
            let mut fields = vec![
                ("private", "192.0.2.0/24"),
                ("pods", "100.64.0.0/18"),
                ("services", "100.64.64.0/18"),
            ];
            fields.retain(|(name, _)| *name != field);
            fields.push((field, written));
            let network = format!(
                "network: {{ {} }}\n",
                fields
                    .iter()
                    .map(|(name, value)| format!("{name}: {value}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let text = format!("cluster: {{ name: c }}\n{network}nodes: []\n");
            let parsed = spec::parse("t.yaml", &text).unwrap();
            let found: Vec<String> = cephspray::check_spec(&parsed)
                .iter()
                .filter(|d| d.path == format!("network.{field}"))
                .map(|d| d.message.clone())
                .collect();
            assert!(
                found.iter().any(|m| m.contains("has host bits set")
                    && m.contains(&format!("by its first address, {canonical}"))),
                "{field}: {written}: {found:#?}"
            );
        }
    }
}

#[test]
fn the_network_and_broadcast_addresses_are_not_node_addresses() {
    for (network, refused, allowed) in [
        (
            "10.8.0.0/24",
            &["10.8.0.0", "10.8.0.255"][..],
            &["10.8.0.1", "10.8.0.254"][..],
        ),
        (
            "10.8.0.0/16",
            &["10.8.0.0", "10.8.255.255"],
            &["10.8.0.255", "10.8.1.0"],
        ),
        (
            "10.8.0.4/30",
            &["10.8.0.4", "10.8.0.7"],
            &["10.8.0.5", "10.8.0.6"],
        ),
        ("10.8.0.4/31", &[], &["10.8.0.4", "10.8.0.5"]),
        ("10.8.0.4/32", &[], &["10.8.0.4"]),
    ] {
        for (address, refused) in refused
            .iter()
            .map(|a| (a, true))
            .chain(allowed.iter().map(|a| (a, false)))
        {
            let text = format!(
                "cluster: {{ name: c }}\nnetwork: {{ private: {network} }}\nnodes: [{{ name: n1, address: {address}, disks: [{{ device: /dev/sdb, size: 3TB }}] }}]\n"
            );
            let parsed = spec::parse("t.yaml", &text).unwrap();
            let found: Vec<String> = cephspray::check_spec(&parsed)
                .iter()
                .filter(|d| d.path == "nodes[0].address")
                .map(|d| d.message.clone())
                .collect();
            if refused {
                assert!(
                    found
                        .iter()
                        .any(|m| m.contains("not a host's: give the node an address from")),
                    "{address} in {network}: {found:#?}"
                );
            } else {
                assert!(found.is_empty(), "{address} in {network}: {found:#?}");
            }
        }
    }
}

#[test]
fn versions_have_one_spelling() {
    for (written, expected) in [
        ("1.035.4", "write 1.35.4"),
        ("01.35.4", "write 1.35.4"),
        ("1.35.04", "write 1.35.4"),
        ("v1.035.4", "write 1.35.4"),
        ("1.35.00", "write 1.35.0"),
        ("001.0035.0004", "write 1.35.4"),
        ("V1.35.4", "write 1.35.4"),
        ("1.35.4-rc.1", "write 1.35.4"),
        ("\"1.35.4 \"", "write 1.35.4"),
        ("1.+35.4", "write major.minor.patch"),
        ("1.35.-4", "write major.minor.patch"),
    ] {
        let error = one_error(&spec_text(
            "",
            &format!("kubernetes: {{ version: {written} }}\n"),
        ));
        assert!(
            error.contains("kubernetes.version") && error.contains(expected),
            "{written}: {error}"
        );
    }
    for accepted in ["1.35.4", "v1.35.4"] {
        assert!(
            errors(&spec_text(
                "",
                &format!("kubernetes: {{ version: {accepted} }}\n")
            ))
            .is_empty()
        );
    }
}

#[test]
fn ssh_ports_are_real_ports() {
    let node = |port: &str| {
        format!("  - {{ name: n4, address: 10.8.0.4, roles: [worker], ssh: {{ port: {port} }} }}\n")
    };
    assert!(
        one_error(&spec_text(&node("0"), "")).contains("nodes[3].ssh.port: port 0 is not a port")
    );
    for port in ["1", "22", "2222", "65535"] {
        assert!(errors(&spec_text(&node(port), "")).is_empty(), "{port}");
    }
    for (port, expected) in [
        (
            "65536",
            "`65536` is out of range: write a port from 1 to 65535",
        ),
        ("-1", "`-1` is out of range: write a port from 1 to 65535"),
        (
            "ssh",
            "`ssh` is not a whole number: write a port from 1 to 65535",
        ),
        ("22.5", "`22.5` is not a whole number"),
    ] {
        let error = one_error(&spec_text(&node(port), ""));
        assert!(error.contains(expected), "{port}: {error}");
    }
}

#[test]
fn no_node_is_named_like_an_inventory_group() {
    for group in [
        "all",
        "ungrouped",
        "localhost",
        "etcd",
        "bastion",
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
        "kube-master",
        "kube-node",
        "k8s-cluster",
        "calico-rr",
        "no-floating",
    ] {
        let node = format!("  - {{ name: {group}, address: 10.8.0.4, roles: [worker] }}\n");
        let error = one_error(&spec_text(&node, ""));
        assert!(
            error.contains(&format!("`{group}` is the name of an inventory group")),
            "{group}: {error}"
        );
    }
    // Group names with `_` are not host names at all: one error, the RFC 1123 one.
    for group in [
        "k8s_cluster",
        "kube_control_plane",
        "kube_node",
        "calico_rr",
    ] {
        let node = format!("  - {{ name: {group}, address: 10.8.0.4, roles: [worker] }}\n");
        assert!(
            one_error(&spec_text(&node, "")).contains("RFC 1123"),
            "{group}"
        );
    }
    for fine in ["etcd1", "etcd.local", "mons-a", "all0"] {
        let node = format!("  - {{ name: {fine}, address: 10.8.0.4, roles: [worker] }}\n");
        assert!(errors(&spec_text(&node, "")).is_empty(), "{fine}");
    }
}

#[test]
fn disks_too_small_for_an_osd_are_refused() {
    let with = |size: &str, kind: &str| {
        spec_text(
            &format!(
                "  - {{ name: n4, address: 10.8.0.4, roles: [worker, osd], disks: [{{ device: /dev/sdc{}, size: {size}{kind} }}] }}\n",
                if kind.is_empty() { "" } else { "1" }
            ),
            "",
        )
    };
    let partition = ", type: partition";
    // A CRUSH weight is the size in TiB to four decimals: below 0.00005 TiB it is 0.
    for size in ["1", "1KB", "1MiB", "50MB", "54975581", "0.00004TiB"] {
        for kind in ["", partition] {
            let error = one_error(&with(size, kind));
            assert!(
                error.contains("weighs 0.0000 in CRUSH"),
                "{size}{kind}: {error}"
            );
        }
    }
    assert!(
        errors(&with("54975582", partition)).is_empty(),
        "weighs 0.0001"
    );
    // ceph-volume takes whole disks from 5 GiB.
    for size in ["54975582", "1GB", "5GB", "5368709119"] {
        let error = one_error(&with(size, ""));
        assert!(
            error.contains("below the 5GiB ceph-volume needs"),
            "{size}: {error}"
        );
    }
    for size in ["5GiB", "5368709120", "6GB", "3TB"] {
        assert!(errors(&with(size, "")).is_empty(), "{size}");
    }
}

#[test]
fn ipv6_is_named_as_not_supported_yet_wherever_an_address_goes() {
    for written in [
        "\"fd00::1\"",
        "\"::1\"",
        "\"::\"",
        "\"2001:db8::10\"",
        "\"fe80::1\"",
        "\"[fd00::1]\"",
        "\"2001:0db8:0000:0000:0000:0000:0000:0001\"",
    ] {
        let text = format!(
            "cluster: {{ name: c }}\n{NETWORK}nodes: [{{ name: n1, address: {written} }}]\n"
        );
        let error = one_error(&text);
        assert!(
            error.contains("IPv6 is not supported yet"),
            "{written}: {error}"
        );
        assert!(!error.contains("invalid IPv4 address syntax"), "{error}");
    }
    let mapped = one_error(&format!(
        "cluster: {{ name: c }}\n{NETWORK}nodes: [{{ name: n1, address: \"::ffff:10.8.0.1\" }}]\n"
    ));
    assert!(mapped.contains("write 10.8.0.1"), "{mapped}");
    for field in ["private", "ceph_cluster", "pods", "services"] {
        for written in [
            "\"fd00::/64\"",
            "\"2001:db8::/32\"",
            "\"::/0\"",
            "\"fd00::\"",
        ] {
            let private = if field == "private" {
                written
            } else {
                "10.8.0.0/24"
            };
            let other = if field == "private" {
                String::new()
            } else {
                format!(", {field}: {written}")
            };
            let text = format!(
                "cluster: {{ name: c }}\nnetwork: {{ private: {private}{other} }}\nnodes: []\n"
            );
            let error = one_error(&text);
            assert!(
                error.contains(&format!("network.{field}"))
                    && error.contains("IPv6 is not supported yet"),
                "{field} {written}: {error}"
            );
        }
    }
}

#[test]
fn ambiguous_address_spellings_are_refused_with_what_to_write() {
    for (written, expected) in [
        ("010.8.0.1", "write 10.8.0.1 if"),
        ("10.8.0.01", "write 10.8.0.1 if"),
        ("10.008.000.001", "write 10.8.0.1 if"),
        ("10.8.1", "write all four numbers"),
        ("10.8.0.1/24", "write the node's address alone, 10.8.0.1"),
        ("10.8.0.1:22", "write the address alone, 10.8.0.1"),
        ("10.8.0.256", "each of its four numbers is 0 to 255"),
        ("167772161", "write all four numbers"),
        ("node1.local", "write four numbers from 0 to 255"),
    ] {
        let text = format!(
            "cluster: {{ name: c }}\n{NETWORK}nodes: [{{ name: n1, address: {written} }}]\n"
        );
        let error = one_error(&text);
        assert!(
            error.contains("nodes[0].address") && error.contains(expected),
            "{written}: {error}"
        );
    }
    for (written, expected) in [
        ("10.8.0.0", "write the network with it, e.g. 10.8.0.0/24"),
        (
            "10.8.0.0/255.255.255.0",
            "write the prefix length instead, 10.8.0.0/24",
        ),
        ("10.8.0.0/024", "without leading zeros, 10.8.0.0/24"),
        ("10.8.0.0/33", "a prefix length from 0 to 32"),
        ("10.8.0.0/", "a prefix length from 0 to 32"),
        ("010.8.0.0/24", "write 10.8.0.0 if"),
    ] {
        let text =
            format!("cluster: {{ name: c }}\nnetwork: {{ private: {written} }}\nnodes: []\n");
        let error = one_error(&text);
        assert!(
            error.contains("network.private") && error.contains(expected),
            "{written}: {error}"
        );
    }
}
