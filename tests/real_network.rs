//! The generated WireGuard mesh and host firewall with real packets: for each fixture of
//! [`FIXTURES`], render the inventory with the library, make one network namespace per node
//! (its public address: the node's mesh endpoint) and one outside the cluster
//! (tests/realnet), run the inventory's `playbooks/network.yml` and `playbooks/firewall.yml`
//! with real Ansible (one `ansible-playbook` for every host, local connections, files under a
//! root per host, and each host's modules run by a Python inside that node's namespaces, so
//! that the firewall's handler loads the rules there), bring each node's interface up with
//! wg-quick from the configuration the playbook wrote, then probe: the mesh between every pair
//! of nodes, the cluster's ports over the mesh and not from outside nor through the public
//! addresses, SSH and the exposed ports from outside, the mesh's UDP port; and a second run of
//! both playbooks changes nothing. docs/testing.md ("Real network").
//!
//! Needs root, iproute2, wireguard-tools, wireguard-go, nftables, python3, /dev/net/tun and the
//! Ansible venv (scripts/setup-upstream.sh). Without them it prints SKIPPED and passes; with
//! `CI=true` it fails naming what is missing. `CEPHSPRAY_REALNET_ONLY=NAME` runs one fixture.

mod common;
mod realnet;

use cephspray::plan::{Host, Plan};
use realnet::expect::{ANSWERS, Want, check};
use realnet::{Check, Net, OUTSIDE, Reach};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The fixtures whose mesh and firewall run here (file stems under fixtures/). Each needs
/// `network.private.provider: wireguard`, the firewall on, and endpoints in 198.51.100.0/24
/// (not .250, the outside's).
const FIXTURES: &[&str] = &["pair2jeux"];

/// Ports the cluster listens on that must be reachable over the private network only: the API
/// server, etcd, the kubelet, kube-proxy's health check, Ceph's monitors (v1, v2).
const CLUSTER_TCP: &[u16] = &[6443, 2379, 10250, 10256, 6789, 3300];

/// UDP that must stay inside too: Calico's VXLAN (kubespray's default backend), which would let
/// anyone who reaches it inject packets into the pod network.
const CLUSTER_UDP: &[u16] = &[4789];

/// The NodePort the test's emulation of kube-proxy rewrites (in kube-proxy's default range).
const NODEPORT: u16 = 30080;

/// A port nothing listens on: refused over the mesh (everything from the mesh gets in).
const CLOSED: u16 = 7;

/// How long one ansible-playbook run may take.
const PLAYBOOK_SECS: u64 = 300;

/// One node of the fixture.
struct Member {
    /// Inventory name (node1.local).
    host: String,
    /// The harness's name for its namespace (node1-local).
    node: String,
    public: Ipv4Addr,
    private: Ipv4Addr,
    /// Where the playbooks write this host's files (`cephspray_root`).
    root: PathBuf,
    plan: Host,
}

/// The PLAY RECAP of an ansible-playbook run: host → (counter → value).
fn recap(output: &str) -> BTreeMap<String, BTreeMap<String, u32>> {
    let mut hosts = BTreeMap::new();
    let Some((_, tail)) = output.split_once("PLAY RECAP") else {
        return hosts;
    };
    for line in tail.lines().skip(1) {
        let Some((host, counters)) = line.split_once(" : ") else {
            continue;
        };
        let counters: BTreeMap<String, u32> = counters
            .split_whitespace()
            .filter_map(|kv| kv.split_once('='))
            .filter_map(|(k, v)| Some((k.to_owned(), v.parse().ok()?)))
            .collect();
        hosts.insert(host.trim().to_owned(), counters);
    }
    hosts
}

/// Asserts that a run's recap names exactly `hosts`, none failed or unreachable, and, when
/// `changed` is `Some(false)`, that none changed (`Some(true)`: every one did).
fn assert_recap(what: &str, output: &str, hosts: &[&str], changed: Option<bool>) {
    let recap = recap(output);
    let names: Vec<&str> = recap.keys().map(String::as_str).collect();
    let mut want: Vec<&str> = hosts.to_vec();
    want.sort_unstable();
    assert_eq!(
        names, want,
        "{what}: the hosts of its PLAY RECAP:\n{output}"
    );
    for (host, c) in &recap {
        let get = |k: &str| c.get(k).copied().unwrap_or(u32::MAX);
        assert!(
            get("failed") == 0 && get("unreachable") == 0,
            "{what}: {host} failed: {c:?}\n{output}"
        );
        match changed {
            Some(false) => assert_eq!(
                get("changed"),
                0,
                "{what}: {host} changed something on a second run\n{output}"
            ),
            Some(true) => assert!(
                get("changed") > 0,
                "{what}: {host} changed nothing on a first run\n{output}"
            ),
            None => {}
        }
    }
}

/// The scratch directory: the inventory, the vault password, an empty ansible.cfg (so no
/// configuration of this machine's applies), Ansible's home, each host's root, and each host's
/// Python: a wrapper that runs the venv's python3 inside that node's namespaces.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn inventory(&self) -> PathBuf {
        self.dir.path().join("inventory")
    }

    /// Writes `python/HOST` for each member: `nsenter` into the node's network, mount and PID
    /// namespaces, then the venv's python3. As `ansible_python_interpreter`, it makes every
    /// module of that host (and the commands modules run: `wg pubkey`, `nft -c`, the handler's
    /// `nft -f`) run on that node, as if Ansible had connected to it.
    fn interpreters(&self, net: &Net, members: &[Member]) {
        let dir = self.dir.path().join("python");
        std::fs::create_dir_all(&dir).unwrap();
        let python = common::ansible_tool("python3");
        for m in members {
            let c = net.command(&m.node, &python, &[]);
            let mut line = format!("exec {}", c.get_program().to_string_lossy());
            for a in c.get_args() {
                line.push_str(&format!(
                    " '{}'",
                    a.to_string_lossy().replace('\'', "'\\''")
                ));
            }
            let path = dir.join(&m.host);
            std::fs::write(&path, format!("#!/bin/sh\n{line} \"$@\"\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    /// `ansible-playbook playbooks/network.yml playbooks/firewall.yml` for every host, as the
    /// inventory's README orders them, with local connections, each host's modules in its
    /// namespaces, and the extra variables the playbooks take for tests. Its output.
    fn playbooks(&self, run: &str) -> String {
        self.playbooks_on(run, None)
    }

    /// [`Scratch::playbooks`] on one host only (`--limit`).
    fn playbooks_on(&self, run: &str, limit: Option<&str>) -> String {
        let inv = self.inventory();
        let root = self.dir.path().join("root");
        let python = self.dir.path().join("python");
        let extra = [
            "ansible_connection=local".to_owned(),
            "ansible_become=false".to_owned(),
            "cephspray_packages=false".to_owned(),
            "cephspray_services=false".to_owned(),
            format!(
                "ansible_python_interpreter={}/{{{{ inventory_hostname }}}}",
                python.display()
            ),
            format!(
                "cephspray_root={}/{{{{ inventory_hostname }}}}",
                root.display()
            ),
        ];
        common::run_playbooks(
            self.dir.path(),
            run,
            PLAYBOOK_SECS,
            &extra,
            limit,
            &[
                inv.join("playbooks/network.yml"),
                inv.join("playbooks/firewall.yml"),
            ],
        )
    }
}

/// The nftables tables of this machine's own network namespace (the test's).
fn host_tables() -> Vec<String> {
    let out = std::process::Command::new("nft")
        .args(["list", "tables"])
        .output()
        .expect("nft list tables");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("cephspray"))
        .map(str::to_owned)
        .collect()
}

/// The hosts a handler changed: the `changed: [HOST]` lines after `RUNNING HANDLER [NAME]`.
fn handler_changed(output: &str, name: &str) -> Vec<String> {
    let Some((_, after)) = output.split_once(&format!("RUNNING HANDLER [{name}]")) else {
        return Vec::new();
    };
    after
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("RUNNING HANDLER") && !l.starts_with("PLAY"))
        .filter_map(|l| l.strip_prefix("changed: [")?.split(']').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn generated_mesh_and_firewall_with_real_packets() {
    if realnet::unavailable("real network test", &realnet::missing_prerequisites()) {
        return;
    }
    if !common::require_ansible(&["ansible-playbook", "python3"]) {
        return;
    }
    let only = std::env::var("CEPHSPRAY_REALNET_ONLY").ok();
    let mut ran = 0;
    for name in FIXTURES {
        if only.as_deref().is_some_and(|o| o != *name) {
            continue;
        }
        fixture(name);
        ran += 1;
    }
    assert!(
        ran > 0,
        "CEPHSPRAY_REALNET_ONLY={only:?} names none of {FIXTURES:?}"
    );
}

fn fixture(name: &str) {
    let t0 = Instant::now();
    let path = common::root().join("fixtures").join(format!("{name}.yaml"));
    let (spec, _) = cephspray::spec::load_file(&path).unwrap();
    let plan: Plan = cephspray::plan::plan(&spec, &format!("fixtures/{name}.yaml"));
    let mesh = plan
        .network
        .mesh
        .clone()
        .unwrap_or_else(|| panic!("{name}: no WireGuard mesh in the plan"));
    assert!(plan.network.firewall, "{name}: the firewall is off");

    let scratch = Scratch {
        dir: tempfile::Builder::new()
            .prefix("cephspray-real-network-")
            .tempdir()
            .unwrap(),
    };
    cephspray::output::write(&common::render(&path), &scratch.inventory(), false).unwrap();
    std::fs::write(
        scratch.dir.path().join("vault-password"),
        common::VAULT_PASSWORD,
    )
    .unwrap();
    std::fs::write(scratch.dir.path().join("ansible.cfg"), "[defaults]\n").unwrap();

    let members: Vec<Member> = plan
        .hosts
        .iter()
        .map(|h| {
            let hm = h
                .mesh
                .as_ref()
                .unwrap_or_else(|| panic!("{name}: {} is not in the mesh", h.name));
            Member {
                host: h.name.clone(),
                node: h.name.to_lowercase().replace(['.', '_'], "-"),
                public: hm.endpoint.parse().unwrap_or_else(|e| {
                    panic!("{name}: {}'s endpoint {}: {e}", h.name, hm.endpoint)
                }),
                private: h.address.parse().unwrap(),
                root: scratch.dir.path().join("root").join(&h.name),
                plan: h.clone(),
            }
        })
        .collect();
    let hosts: Vec<&str> = members.iter().map(|m| m.host.as_str()).collect();
    let nodes: Vec<(&str, Ipv4Addr)> = members
        .iter()
        .map(|m| (m.node.as_str(), m.public))
        .collect();
    let net = Net::new("rn", &nodes).unwrap();
    // Like a rented server, each node reaches the rest of the world through a gateway on its
    // public network: here the outside machine.
    for m in &members {
        net.run(
            &m.node,
            5,
            "ip",
            &[
                "route",
                "add",
                "default",
                "via",
                &realnet::OUTSIDE_ADDR.to_string(),
            ],
        )
        .unwrap();
    }
    let t_net = t0.elapsed();

    // 1. The playbooks' first run, every host at once; each host's modules run in its node's
    // namespaces: the firewall's handler loads the rules there.
    for m in &members {
        let tables = net.run(&m.node, 10, "nft", &["list", "tables"]).unwrap();
        assert!(
            tables.trim().is_empty(),
            "{}: tables before: {tables}",
            m.node
        );
    }
    scratch.interpreters(&net, &members);
    let out = scratch.playbooks("first");
    assert_recap("the playbooks' first run", &out, &hosts, Some(true));
    let mut loaded = handler_changed(&out, "Load the rules");
    loaded.sort();
    let mut want: Vec<String> = hosts.iter().map(|h| (*h).to_owned()).collect();
    want.sort();
    assert_eq!(
        loaded, want,
        "the hosts whose \"Load the rules\" handler ran:\n{out}"
    );
    let conf_name = format!("{}.conf", mesh.interface);
    for m in &members {
        let conf = m.root.join("etc/wireguard").join(&conf_name);
        let mode = std::fs::metadata(&conf)
            .unwrap_or_else(|e| panic!("{}: {e}", conf.display()))
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{}: mode", conf.display());
        let dir_mode = std::fs::metadata(m.root.join("etc/wireguard"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700, "{}: /etc/wireguard's mode", m.host);
    }
    assert!(
        host_tables().is_empty(),
        "the playbooks loaded rules into this machine's own namespace: {:?}",
        host_tables()
    );
    for m in &members {
        let written = std::fs::read_to_string(m.root.join("etc/cephspray/firewall.nft")).unwrap();
        let rendered =
            std::fs::read_to_string(scratch.inventory().join(format!("firewall/{}.nft", m.host)))
                .unwrap();
        assert_eq!(
            written, rendered,
            "{}: the rules written are the inventory's",
            m.host
        );
        let table = net
            .run(&m.node, 10, "nft", &["list", "table", "inet", "cephspray"])
            .unwrap_or_else(|e| {
                panic!("{}: no table inet cephspray in its namespace: {e}", m.host)
            });
        assert!(
            table.contains("hook input") && table.contains("policy drop"),
            "{}: nft list table inet cephspray:\n{table}",
            m.host
        );
        for net_cidr in &plan.network.internal {
            assert!(
                table.contains(net_cidr.as_str()),
                "{}: {net_cidr} not among the loaded table's internal networks:\n{table}",
                m.host
            );
        }
    }
    let t_firewall = t0.elapsed();

    // 2. The mesh, from the configurations network.yml wrote, with the firewall already loaded
    // (as at boot: cephspray-firewall.service before the network): the handshakes are new flows
    // the firewall must let in on the mesh's UDP port.
    std::thread::scope(|s| {
        let ups: Vec<_> = members
            .iter()
            .map(|m| {
                let net = &net;
                let conf = m.root.join("etc/wireguard").join(&conf_name);
                let mut tcp: Vec<u16> = CLUSTER_TCP.to_vec();
                tcp.extend(&m.plan.firewall.as_ref().unwrap().tcp);
                tcp.sort_unstable();
                tcp.dedup();
                s.spawn(move || -> Result<(), String> {
                    net.listen(&m.node, &tcp, CLUSTER_UDP)?;
                    net.wg_up(&m.node, &conf)?;
                    Ok(())
                })
            })
            .collect();
        for up in ups {
            up.join().expect("bring-up thread").unwrap();
        }
    });
    for m in &members {
        let addr = net.run(
            &m.node,
            5,
            "ip",
            &["-4", "-o", "addr", "show", &mesh.interface],
        );
        assert!(
            addr.as_ref()
                .is_ok_and(|a| a.contains(&format!("{}/{}", m.private, mesh.prefix_len))),
            "{}: {} has its private address: {addr:?}",
            m.host,
            mesh.interface
        );
        let link = net.run(&m.node, 5, "ip", &["-o", "link", "show", &mesh.interface]);
        assert!(
            link.as_ref()
                .is_ok_and(|l| l.contains(&format!("mtu {}", mesh.mtu))),
            "{}: {}'s MTU: {link:?}",
            m.host,
            mesh.interface
        );
    }
    let t_up = t0.elapsed();

    // 3. Every node reaches every other node's private address (the first packets wait for
    // the handshakes).
    let mut expect = Vec::new();
    for a in &members {
        for b in members.iter().filter(|b| b.host != a.host) {
            expect.push((a.node.clone(), Check::Ping(b.private), Want::Answer(None)));
        }
    }
    let mut failures = check(&net, &expect);
    let t_mesh = t0.elapsed();

    // 4. Ports. Over the mesh (peer → private address): the cluster's ports answer, from the
    // right node, and a closed port is refused (the mesh gets everything in). Outside →
    // public address, and a peer → public address: the cluster's ports dropped (timeout, not
    // refused) unless the spec exposes them; SSH and the exposed ports answer; ICMP answers.
    let mut expect = Vec::new();
    for b in &members {
        let fw = b.plan.firewall.as_ref().unwrap();
        let banner =
            |proto: &str, port: u16| Want::Answer(Some(format!("{} {proto} {port}", b.node)));
        let public_tcp = |port: u16| {
            if fw.tcp.contains(&port) {
                banner("tcp", port)
            } else {
                Want::Dropped
            }
        };
        let public_udp = |port: u16| {
            if fw.udp.contains(&port) {
                banner("udp", port)
            } else {
                Want::Dropped
            }
        };
        for a in members.iter().filter(|a| a.host != b.host) {
            for &p in CLUSTER_TCP.iter().chain(&fw.tcp) {
                expect.push((a.node.clone(), Check::Tcp(b.private, p), banner("tcp", p)));
            }
            for &p in CLUSTER_UDP {
                expect.push((a.node.clone(), Check::Udp(b.private, p), banner("udp", p)));
            }
            expect.push((a.node.clone(), Check::Tcp(b.private, CLOSED), Want::Refused));
            for &p in CLUSTER_TCP {
                expect.push((a.node.clone(), Check::Tcp(b.public, p), public_tcp(p)));
            }
            for &p in CLUSTER_UDP {
                expect.push((a.node.clone(), Check::Udp(b.public, p), public_udp(p)));
            }
        }
        let outside = OUTSIDE.to_owned();
        for &p in CLUSTER_TCP.iter().chain(&fw.tcp).chain([&CLOSED]) {
            expect.push((outside.clone(), Check::Tcp(b.public, p), public_tcp(p)));
        }
        for &p in CLUSTER_UDP {
            expect.push((outside.clone(), Check::Udp(b.public, p), public_udp(p)));
        }
        expect.push((outside.clone(), Check::Ping(b.public), Want::Answer(None)));
        expect.push((outside.clone(), Check::Ping(b.private), Want::NoRoute));
    }
    failures.extend(check(&net, &expect));
    let mut probes = expect.len();

    // NodePorts: kube-proxy rewrites a NodePort on every address of a node to a pod, maybe on
    // another node, and masquerades; the packets are forwarded, not delivered. Emulated on the
    // first node: NODEPORT to the second node's first cluster port, and each exposed port to
    // the same port of the second node (an ingress behind a NodePort or hostPort). From
    // outside, the NodePort is dropped and the exposed ports answer; over the mesh both answer.
    let (np, target) = (&members[0], &members[1]);
    let np_fw = np.plan.firewall.as_ref().unwrap();
    let mut rules = format!(
        "table ip nodeports {{\n\tchain prerouting {{\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\ttcp dport {NODEPORT} dnat to {}:{}\n",
        target.private, CLUSTER_TCP[0]
    );
    for p in &np_fw.exposed_tcp {
        rules.push_str(&format!(
            "\t\ttcp dport {p} dnat to {}:{p}\n",
            target.private
        ));
    }
    rules.push_str(&format!(
        "\t}}\n\tchain postrouting {{\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\toifname \"{}\" masquerade\n\t}}\n}}\n",
        mesh.interface
    ));
    let rules_path = net.dir().join("nodeports.nft");
    std::fs::write(&rules_path, rules).unwrap();
    net.nft_load(&np.node, &rules_path).unwrap();
    net.run(
        &np.node,
        5,
        "sh",
        &["-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"],
    )
    .unwrap();
    let np_target = |port: u16| Want::Answer(Some(format!("{} tcp {port}", target.node)));
    let peer = members.last().unwrap();
    let mut expect = vec![
        (
            OUTSIDE.to_owned(),
            Check::Tcp(np.public, NODEPORT),
            Want::Dropped,
        ),
        (
            peer.node.clone(),
            Check::Tcp(np.private, NODEPORT),
            np_target(CLUSTER_TCP[0]),
        ),
    ];
    for &p in &np_fw.exposed_tcp {
        expect.push((OUTSIDE.to_owned(), Check::Tcp(np.public, p), np_target(p)));
    }
    failures.extend(
        check(&net, &expect)
            .into_iter()
            .map(|f| format!("NodePorts (emulated: DNAT on {}): {f}", np.host)),
    );
    probes += expect.len();

    // Forged sources: the outside machine (anyone on the public network, or on the way to it)
    // sends from an address in the pod or the service network, and the node's replies to that
    // address follow its default route back to it. The firewall must treat these packets as
    // coming from outside: the cluster's ports dropped, SSH answering. (A forged address of the
    // private network is not tried: the node's replies to it go into the mesh.)
    let forged: Vec<Ipv4Addr> = [&plan.network.pods, &plan.network.services]
        .into_iter()
        .map(|cidr| {
            let base: Ipv4Addr = cidr.split('/').next().unwrap().parse().unwrap();
            Ipv4Addr::from(u32::from(base) + 7)
        })
        .collect();
    let outside_ip = |args: &[&str]| net.run(OUTSIDE, 5, "ip", args).unwrap();
    for src in &forged {
        outside_ip(&["addr", "add", &format!("{src}/32"), "dev", "lo"]);
    }
    let mut expect = Vec::new();
    for (i, b) in members.iter().enumerate() {
        let src = forged[i % forged.len()];
        let fw = b.plan.firewall.as_ref().unwrap();
        net.run(
            OUTSIDE,
            5,
            "ip",
            &[
                "route",
                "add",
                &format!("{}/32", b.public),
                "dev",
                "eth0",
                "src",
                &src.to_string(),
            ],
        )
        .unwrap();
        for &p in CLUSTER_TCP.iter().chain(&fw.tcp) {
            // The first node's exposed ports are the NodePort emulation's now.
            let to = if b.host == np.host && np_fw.exposed_tcp.contains(&p) {
                target
            } else {
                b
            };
            let want = if fw.tcp.contains(&p) {
                Want::Answer(Some(format!("{} tcp {p}", to.node)))
            } else {
                Want::Dropped
            };
            expect.push((OUTSIDE.to_owned(), Check::Tcp(b.public, p), want));
        }
        if b.host == np.host {
            expect.push((
                OUTSIDE.to_owned(),
                Check::Tcp(b.public, NODEPORT),
                Want::Dropped,
            ));
        }
    }
    let spoofed = check(&net, &expect);
    failures.extend(
        spoofed
            .into_iter()
            .map(|f| format!("from a forged source in the pod or service network: {f}")),
    );
    probes += expect.len();
    for b in &members {
        outside_ip(&["route", "del", &format!("{}/32", b.public)]);
    }
    for src in &forged {
        outside_ip(&["addr", "del", &format!("{src}/32"), "dev", "lo"]);
    }
    // A moving address over the mesh (what kube-vip's VIP or a MetalLB layer-2 address is): an
    // unused address of the private network, held by the first node on its mesh interface as
    // kube-vip would hold it, answers the first node itself and no other node. There is no ARP
    // on the tunnel to find who holds it, and no peer's AllowedIPs covers it, so WireGuard has
    // nowhere to send it: why check refuses layer-2 announcements and a VIP over a mesh.
    let private: ipnet::Ipv4Net = plan.network.private.parse().unwrap();
    let taken: Vec<Ipv4Addr> = members.iter().map(|m| m.private).collect();
    let moving = private
        .hosts()
        .find(|a| !taken.contains(a))
        .expect("a free address in the private network");
    let holder = &members[0];
    let hold = |verb: &str| {
        net.run(
            &holder.node,
            5,
            "ip",
            &[
                "addr",
                verb,
                &format!("{moving}/32"),
                "dev",
                &mesh.interface,
            ],
        )
        .unwrap()
    };
    hold("add");
    let mut expect = vec![(holder.node.clone(), Check::Ping(moving), Want::Answer(None))];
    for m in members.iter().filter(|m| m.host != holder.host) {
        expect.push((m.node.clone(), Check::Ping(moving), Want::Unanswered));
    }
    failures.extend(check(&net, &expect).into_iter().map(|f| {
        format!(
            "a moving address ({moving}) held by {} over the mesh: {f}",
            holder.host
        )
    }));
    probes += expect.len();
    hold("del");
    let t_probes = t0.elapsed();

    // Every pair of nodes shook hands, after the firewall was loaded.
    for m in &members {
        let dump = net.wg_show(&m.node, &mesh.interface).unwrap();
        let peers: Vec<&str> = dump.lines().skip(1).collect();
        assert_eq!(
            peers.len(),
            members.len() - 1,
            "{}: wg show dump:\n{dump}",
            m.host
        );
        for p in peers {
            if p.split('\t').nth(4).unwrap_or("0") == "0" {
                failures.push(format!("{}: no handshake with {p}", m.host));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{name}: the generated mesh or firewall does not do what the spec says:\n  - {}",
        failures.join("\n  - ")
    );

    // 5. A second run of both playbooks changes nothing.
    let out = scratch.playbooks("second");
    assert_recap("the playbooks' second run", &out, &hosts, Some(false));
    // On one node alone (`--limit`) too: its configuration needs nothing from the others (their
    // public keys are in the vault), and it is already what the playbooks write.
    let out = scratch.playbooks_on("limited", Some(hosts[0]));
    assert_recap("the playbooks on one node", &out, &hosts[..1], Some(false));
    let t_again = t0.elapsed();

    // 6. The mesh's UDP port is open from outside too: with the last node's interface down, a
    // listener on that port answers the outside.
    let last = members.last().unwrap();
    let port = last.plan.mesh.as_ref().unwrap().port;
    net.wg_down(
        &last.node,
        &last.root.join("etc/wireguard").join(&conf_name),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    while !net.wireguard_go_pids(&last.node).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    net.listen(&last.node, &[], &[port]).unwrap();
    let r = net.udp_reachable(OUTSIDE, last.public, port, ANSWERS);
    assert!(
        matches!(&r, Ok(Reach::Answered(b)) if b.starts_with(&format!("{} udp {port}", last.node))),
        "{name}: outside → {}:{port}/udp (the mesh's port, a listener there): {r:?}",
        last.public
    );
    let t_udp = t0.elapsed();

    // 7. Teardown leaves nothing: no namespace, no process (wireguard-go included), no dir.
    let wg_pids: Vec<u32> = members
        .iter()
        .flat_map(|m| net.wireguard_go_pids(&m.node))
        .collect();
    assert_eq!(
        wg_pids.len(),
        members.len() - 1,
        "one wireguard-go per node whose mesh is up: {wg_pids:?}"
    );
    let left = net.close();
    assert!(left.is_empty(), "{name}: left after teardown: {left:?}");
    let still = realnet::own_namespaces("rn");
    assert!(still.is_empty(), "{name}: namespaces left: {still:?}");
    for p in &wg_pids {
        assert!(
            !Path::new(&format!("/proc/{p}")).exists(),
            "{name}: wireguard-go {p} still runs after teardown"
        );
    }
    let scratch_dir = scratch.dir.path().to_owned();
    drop(scratch);
    assert!(!scratch_dir.exists(), "{} left", scratch_dir.display());
    let t_end = t0.elapsed();
    let s = |d: Duration| d.as_secs_f64();
    eprintln!(
        "real network, {name} ({} nodes, {probes} probes): render+namespaces {:.2} s, playbooks {:.2} s, \
         listeners+wg up {:.2} s, mesh pings {:.2} s, probes {:.2} s, \
         second runs {:.2} s, mesh port {:.2} s, teardown {:.2} s; {:.2} s in all",
        members.len(),
        s(t_net),
        s(t_firewall - t_net),
        s(t_up - t_firewall),
        s(t_mesh - t_up),
        s(t_probes - t_mesh),
        s(t_again - t_probes),
        s(t_udp - t_again),
        s(t_end - t_udp),
        s(t_end)
    );
}
