//! `init`: a starting spec from a list of hosts, with roles assigned the way a careful operator
//! would and a comment for every choice. Pure: the caller writes the text.

use crate::spec::ByteSize;
use ipnet::Ipv4Net;
use minijinja::context;
use serde::Serialize;
use std::net::Ipv4Addr;

/// Why no spec could be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InitError {
    /// A host entry is not an address, a range or `name,private_ip[,ssh_ip]`.
    #[error(
        "`{entry}`: {problem}; write an address (10.8.0.1), a range (10.8.0.1-10.8.0.3) or name,private_ip[,ssh_ip]"
    )]
    Entry {
        /// The `--host` entry as the user wrote it.
        entry: String,
        /// What is wrong.
        problem: String,
    },
    /// A disk is not `DEVICE=SIZE`.
    #[error("--disk `{0}`: write DEVICE=SIZE, e.g. /dev/sdb=3TB")]
    Disk(String),
    /// `--host` was not given.
    #[error("no hosts given: list at least one address")]
    NoHosts,
    /// No disks: every OSD node needs some.
    #[error(
        "no disks given: name the devices Ceph may use on each OSD node with --disk DEVICE=SIZE"
    )]
    NoDisks,
    /// The given network does not hold every address.
    #[error("{address} is outside --network {network}")]
    Outside {
        /// The host's address.
        address: Ipv4Addr,
        /// The private network it is not inside.
        network: Ipv4Net,
    },
    /// The spec these inputs make would not pass `cephspray check`.
    #[error(
        "the spec these arguments make would not pass `cephspray check`: {0}; change --name, the host entries or --disk accordingly"
    )]
    Refused(String),
}

/// What `init` is asked.
#[derive(Debug, Clone)]
pub struct Request {
    /// The cluster's name, checked as the spec checks it.
    pub name: String,
    /// Host entries as given.
    pub hosts: Vec<String>,
    /// The private network; the smallest one (at most /24) holding every address when absent.
    pub network: Option<Ipv4Net>,
    /// `DEVICE=SIZE` for every OSD node.
    pub disks: Vec<String>,
    /// From this many nodes on, control-plane, etcd and Ceph daemons get dedicated nodes.
    pub large_from: usize,
}

#[derive(Debug, Clone, Serialize)]
struct Host {
    name: String,
    address: Ipv4Addr,
    ssh: Option<String>,
    roles: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
struct Disk {
    device: String,
    size: String,
    partition: bool,
}

/// The starting spec for `request`, as YAML with comments.
pub fn generate(request: &Request, schema: &str) -> Result<String, InitError> {
    let mut hosts = parse_hosts(&request.hosts)?;
    if hosts.is_empty() {
        return Err(InitError::NoHosts);
    }
    let network = match request.network {
        Some(net) => {
            if let Some(h) = hosts.iter().find(|h| !net.contains(&h.address)) {
                return Err(InitError::Outside {
                    address: h.address,
                    network: net,
                });
            }
            net
        }
        None => covering_network(&hosts),
    };
    let disks = request
        .disks
        .iter()
        .map(|d| parse_disk(d))
        .collect::<Result<Vec<_>, _>>()?;
    if disks.is_empty() {
        return Err(InitError::NoDisks);
    }
    let n = hosts.len();
    let quorum = if n < 3 {
        1
    } else if n < request.large_from {
        3
    } else {
        5
    };
    let control = if n < 3 { 1 } else { 3 };
    let dedicated = n >= request.large_from;
    // Every role everywhere only works where the node count is itself an odd quorum.
    let everything = n == 1 || n == 3;
    for (i, host) in hosts.iter_mut().enumerate() {
        if everything {
            continue; // no roles listed: every role
        }
        let mut roles = Vec::new();
        if i < control {
            roles.extend(["control_plane", "ceph_client"]);
        }
        if i < quorum {
            roles.extend(["etcd", "mon", "mgr"]);
        }
        if i < 2.min(quorum) {
            roles.push("mds");
        }
        if !dedicated || i >= quorum.max(control) {
            roles.extend(["worker", "osd"]);
        }
        host.roles = order(roles);
    }
    let osd_hosts = hosts
        .iter()
        .filter(|h| h.roles.is_empty() || h.roles.contains(&"osd"))
        .count();
    let size = osd_hosts.min(3);
    let min_size = if size >= 3 { 2 } else { 1 };
    let mut env = crate::render::base_environment();
    env.add_template("init", include_str!("../templates/init/spec.yaml.j2"))
        .expect("the init template compiles");
    let text = env
        .get_template("init")
        .and_then(|t| {
            t.render(context! {
                schema, name => request.name.clone(), network => network.to_string(),
                hosts => minijinja::Value::from(minijinja::value::Serde(&hosts)),
                disks => minijinja::Value::from(minijinja::value::Serde(&disks)),
                pods => pod_network(hosts.len()),
                n, quorum, control, dedicated, everything, large_from => request.large_from,
                size, min_size, osd_hosts,
            })
        })
        .expect("the init template renders");
    // What init writes passes check: a name or host entry check refuses is refused here.
    let spec = crate::spec::parse("init", &text).map_err(|e| InitError::Refused(e.to_string()))?;
    let errors: Vec<String> = crate::check_spec(&spec)
        .into_iter()
        .filter(|d| d.severity == crate::check::Severity::Error)
        .map(|d| format!("{}: {}", d.path, d.message))
        .collect();
    if !errors.is_empty() {
        return Err(InitError::Refused(errors.join("; ")));
    }
    Ok(text)
}

/// Roles in the order the spec documents them.
fn order(mut roles: Vec<&'static str>) -> Vec<&'static str> {
    let rank = |r: &&str| crate::spec::Role::NAMES.iter().position(|x| x == r);
    roles.sort_by_key(rank);
    roles.dedup();
    roles
}

fn parse_hosts(entries: &[String]) -> Result<Vec<Host>, InitError> {
    let mut hosts = Vec::new();
    for entry in entries {
        let error = |problem: &str| InitError::Entry {
            entry: entry.clone(),
            problem: problem.to_owned(),
        };
        let address = |text: &str| {
            text.trim()
                .parse::<Ipv4Addr>()
                .map_err(|_| error("not an IPv4 address"))
        };
        if entry.contains(',') {
            let parts: Vec<&str> = entry.split(',').collect();
            let [name, private, rest @ ..] = parts.as_slice() else {
                unreachable!("split gives two parts")
            };
            if rest.len() > 1 {
                return Err(error("too many fields"));
            }
            if !crate::check::is_host_name(name) {
                return Err(error("the name is not a lowercase RFC 1123 host name"));
            }
            hosts.push(Host {
                name: (*name).to_owned(),
                address: address(private)?,
                ssh: rest
                    .first()
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty()),
                roles: Vec::new(),
            });
        } else if let Some((from, to)) = entry.split_once('-') {
            let (from, to) = (u32::from(address(from)?), u32::from(address(to)?));
            if to < from || to - from > 4096 {
                return Err(error(
                    "the range is reversed or longer than 4,096 addresses",
                ));
            }
            for a in from..=to {
                hosts.push(unnamed(Ipv4Addr::from(a)));
            }
        } else {
            hosts.push(unnamed(address(entry)?));
        }
    }
    let mut unnamed_index = 0;
    for host in &mut hosts {
        if host.name.is_empty() {
            unnamed_index += 1;
            host.name = format!("node{unnamed_index}");
        }
    }
    Ok(hosts)
}

fn unnamed(address: Ipv4Addr) -> Host {
    Host {
        name: String::new(),
        address,
        ssh: None,
        roles: Vec::new(),
    }
}

fn parse_disk(text: &str) -> Result<Disk, InitError> {
    let (device, size) = text
        .split_once('=')
        .ok_or_else(|| InitError::Disk(text.to_owned()))?;
    let size: ByteSize = size.parse().map_err(|_| InitError::Disk(text.to_owned()))?;
    if !device.starts_with("/dev/") {
        return Err(InitError::Disk(text.to_owned()));
    }
    Ok(Disk {
        device: device.to_owned(),
        size: exact_size(text.split_once('=').map_or("", |(_, s)| s), size),
        partition: crate::check::looks_like_partition(device),
    })
}

/// The size to write for `given`, which parsed as `size`: as given when it is written plainly
/// (`3TiB`, `2.9TB`, `100gib`: digits, a point, a unit), else the bytes in the unit that holds
/// them exactly with the smallest number. Never rounded: `3TiB` is not `3.30TB`.
fn exact_size(given: &str, size: ByteSize) -> String {
    let given = given.trim();
    let plain = given.starts_with(|c: char| c.is_ascii_digit())
        && given
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || "KMGTPiBkmgtpb".contains(c))
        && given.parse::<ByteSize>() == Ok(size);
    if plain {
        return given.to_owned();
    }
    const UNITS: [(&str, u64); 10] = [
        ("PiB", 1 << 50),
        ("PB", 1_000_000_000_000_000),
        ("TiB", 1 << 40),
        ("TB", 1_000_000_000_000),
        ("GiB", 1 << 30),
        ("GB", 1_000_000_000),
        ("MiB", 1 << 20),
        ("MB", 1_000_000),
        ("KiB", 1 << 10),
        ("KB", 1_000),
    ];
    UNITS
        .iter()
        .filter(|(_, factor)| size.0.is_multiple_of(*factor))
        .min_by_key(|(_, factor)| size.0 / factor)
        .map_or_else(
            || format!("{}B", size.0),
            |(unit, factor)| format!("{}{unit}", size.0 / factor),
        )
}

/// A pod network with a /24 per node (kubespray's node prefix), clear of the service network
/// 10.233.0.0/18: kubespray's default up to 64 nodes, then larger ranges.
fn pod_network(nodes: usize) -> &'static str {
    match nodes {
        0..=64 => "10.233.64.0/18",
        65..=256 => "10.234.0.0/16",
        257..=1024 => "10.236.0.0/14",
        _ => "10.240.0.0/12",
    }
}

/// The smallest network of at most /24 that holds every address.
fn covering_network(hosts: &[Host]) -> Ipv4Net {
    let first = hosts[0].address;
    (0..=24u8)
        .rev()
        .map(|prefix| Ipv4Net::new(first, prefix).expect("prefix ≤ 32").trunc())
        .find(|net| hosts.iter().all(|h| net.contains(&h.address)))
        .unwrap_or_else(|| Ipv4Net::new(Ipv4Addr::UNSPECIFIED, 0).expect("valid"))
}
