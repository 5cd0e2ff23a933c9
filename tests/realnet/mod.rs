//! A throwaway network of real namespaces for tests that need real packets: WireGuard meshes,
//! nftables firewalls, listeners and probes. Independent of cephspray's own code.
//!
//! [`Net::new`] makes, for a test process (names `cs-<tag>-<pid>-…`):
//!
//! - a network namespace per node, plus one for [`OUTSIDE`] (a machine that is not in the
//!   cluster, at 198.51.100.250), each with loopback up and `eth0` holding its public address in
//!   198.51.100.0/24;
//! - a namespace holding only the bridge `br0` that every node's `eth0` is a veth peer of, so the
//!   host's own network is never touched;
//! - per node, a PID namespace whose PID 1 is a small reaper (`probe.py init`) and a private
//!   mount namespace in which a directory of the node's own is bind-mounted on /run, so that two
//!   nodes' `wireguard-go wg0` do not share `/run/wireguard/wg0.sock`.
//!
//! Everything run on a node ([`Net::command`], [`Net::run`], [`Net::wg_up`], listeners, probes)
//! goes through `nsenter -t <that PID 1> --net --mount --pid`, so every process started on a
//! node, including the `wireguard-go` that `wg-quick` daemonizes, lives in that PID namespace.
//!
//! Cleanup: [`Net`] is a Drop guard (it also runs while a failed assertion unwinds): it kills
//! each node's PID 1, which makes the kernel kill every process of that PID namespace, checks no
//! process is left in any of its namespaces, deletes the veths and namespaces, then its temp dir.
//! [`Net::close`] does the same and returns what is left (nothing, or a bug). Each PID
//! namespace's holder carries a parent-death signal (`setpriv --pdeathsig KILL unshare
//! --kill-child`), so a test process killed outright (SIGKILL, no Drop) takes every node's
//! processes with it; its namespaces and temp dir are removed by the next [`Net::new`] of any
//! test once its PID is gone. A parent-death signal fires when the *thread* that spawned the
//! holder exits: create and drop a `Net` on one thread (other threads may use it meanwhile:
//! every method takes `&self`).
//!
//! Probes ([`Net::probe_all`] and the one-probe helpers) run `probe.py` beside this file, one
//! process per source node, so many probes cost one Python start per node. `CEPHSPRAY_REALNET_KEEP`
//! keeps the temp dir (configs, rulesets) after teardown.

#![allow(dead_code)] // each test binary uses part of the harness

pub mod expect;

pub use crate::common::which;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::net::Ipv4Addr;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The name of the namespace outside the cluster.
pub const OUTSIDE: &str = "outside";

/// [`OUTSIDE`]'s public address.
pub const OUTSIDE_ADDR: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 250);

/// The public network every namespace's `eth0` is on (TEST-NET-2, RFC 5737).
pub const PUBLIC_NET: (Ipv4Addr, u8) = (Ipv4Addr::new(198, 51, 100, 0), 24);

/// The helper every probe, listener and PID 1 runs (standard-library Python).
const PROBE_PY: &str = include_str!("probe.py");

/// The Debian 12 packages that provide what [`missing_prerequisites`] checks, beyond the
/// essential ones (util-linux: nsenter, unshare, setpriv; mount; coreutils: timeout).
/// wireguard-tools does not depend on iproute2, which wg-quick runs.
pub const APT_PACKAGES: &str = "iproute2 wireguard-tools wireguard-go nftables python3";

/// Names of namespaces and temp dirs start with this (then tag, PID).
const PREFIX: &str = "cs-";
const TMP_PREFIX: &str = "cephspray-realnet-";

/// What a probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// A connection or an answer: the listener's banner (`NODE tcp PORT`, `NODE udp PORT`) or,
    /// for a ping, the address that answered.
    Answered(String),
    /// Actively refused: a TCP RST, or ICMP port unreachable for UDP (nothing listening, or a
    /// `reject`).
    Refused,
    /// No answer before the deadline: dropped on the way (a firewall's `drop`) or by a dead peer.
    TimedOut,
    /// An error saying there is no way there (no route, ICMP host/net unreachable, `EPERM` from
    /// an output filter): its errno name or ICMP code.
    Unreachable(String),
}

impl Reach {
    /// Whether the other end answered.
    pub fn answered(&self) -> bool {
        matches!(self, Reach::Answered(_))
    }

    fn parse(line: &str) -> Result<Reach, String> {
        let line = line.trim();
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "answered" => Ok(Reach::Answered(rest.to_owned())),
            "refused" => Ok(Reach::Refused),
            "timeout" => Ok(Reach::TimedOut),
            "unreachable" => Ok(Reach::Unreachable(rest.to_owned())),
            "error" => Err(format!("probe failed: {rest}")),
            _ => Err(format!("probe said {line:?}")),
        }
    }
}

/// What a probe tries: see [`Net::tcp_reachable`], [`Net::udp_reachable`], [`Net::ping`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// A TCP connection to the address and port.
    Tcp(Ipv4Addr, u16),
    /// A UDP datagram to the address and port, and an answer.
    Udp(Ipv4Addr, u16),
    /// ICMP echo to the address.
    Ping(Ipv4Addr),
}

impl Check {
    /// The helper's argument for this check with a deadline.
    fn spec(&self, timeout: Duration) -> String {
        let secs = timeout.as_secs_f64();
        match self {
            Check::Tcp(a, p) => format!("tcp:{a}:{p}:{secs}"),
            Check::Udp(a, p) => format!("udp:{a}:{p}:{secs}"),
            Check::Ping(a) => format!("ping:{a}:{secs}"),
        }
    }
}

/// Everything the harness needs on this machine that is absent (empty: it can run). The
/// harness's users report these with [`unavailable`].
pub fn missing_prerequisites() -> Vec<String> {
    let mut missing = Vec::new();
    let uid = crate::common::effective_uid();
    if uid != "0" {
        missing.push(format!(
            "not root (effective uid {uid}): network, PID and mount namespaces need it"
        ));
    }
    for tool in [
        "ip",
        "wg",
        "wg-quick",
        "wireguard-go",
        "nft",
        "nsenter",
        "unshare",
        "setpriv",
        "timeout",
        "mount",
    ] {
        if which(tool).is_none() {
            missing.push(format!("`{tool}` not on PATH"));
        }
    }
    if python().is_none() {
        missing.push("`python3` not on PATH".into());
    }
    if !Path::new("/dev/net/tun").exists() {
        missing.push("/dev/net/tun does not exist (wireguard-go needs a TUN device)".into());
    }
    missing
}

/// Skips (prints `SKIPPED` and why, returns true) when `missing` is not empty, or under
/// `CI=true` fails naming what is missing and how to install it.
pub fn unavailable(what: &str, missing: &[String]) -> bool {
    if missing.is_empty() {
        return false;
    }
    let text = missing.join("\n  - ");
    let how = format!(
        "install as root (scripts/setup-upstream.sh's job): \
         apt-get install -y --no-install-recommends {APT_PACKAGES}"
    );
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true"),
        "{what} cannot run in CI (CI=true):\n  - {text}\n{how}"
    );
    eprintln!("SKIPPED {what} (not a failure outside CI):\n  - {text}\n{how}");
    true
}

/// The system's python3 (not a pyenv shim, which is slower and depends on the environment).
fn python() -> Option<PathBuf> {
    let system = PathBuf::from("/usr/bin/python3");
    if system.is_file() {
        Some(system)
    } else {
        which("python3")
    }
}

fn format_command(command: &Command) -> String {
    let mut s = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        s.push(' ');
        s.push_str(&arg.to_string_lossy());
    }
    s
}

/// Runs a command to completion; stdout, or an error naming the command with its status and
/// output. Exit status 124 is `timeout`'s.
fn run(mut command: Command, what: &str) -> Result<String, String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot run {}: {e}", format_command(&command)))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let status = if out.status.code() == Some(124) {
        "timed out".to_owned()
    } else {
        out.status.to_string()
    };
    Err(format!(
        "{what}: `{}` failed ({status}): {}{}",
        format_command(&command),
        String::from_utf8_lossy(&out.stderr).trim(),
        String::from_utf8_lossy(&out.stdout).trim()
    ))
}

fn ip(args: &[&str]) -> Result<String, String> {
    let mut c = Command::new("ip");
    c.args(args);
    run(c, "ip")
}

/// A namespace's identity: the `nsfs` inode behind `/run/netns/NAME` or `/proc/PID/ns/KIND`.
fn ns_inode(path: &str) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.ino())
}

/// A lock that a panicking probe thread did not make unusable for the teardown.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

/// Every process whose network namespace is one of `net` or PID namespace one of `pid`: (PID,
/// comm).
fn processes_in(net: &[u64], pid: &[u64]) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for e in entries.flatten() {
        let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let in_net = ns_inode(&format!("/proc/{p}/ns/net")).is_some_and(|i| net.contains(&i));
        let in_pid = ns_inode(&format!("/proc/{p}/ns/pid")).is_some_and(|i| pid.contains(&i));
        if in_net || in_pid {
            found.push((p, comm(p)));
        }
    }
    found
}

/// Every process on the machine whose comm is `name` (as `pgrep -x`, without procps): (PID,
/// command line).
pub fn processes_named(name: &str) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for e in entries.flatten() {
        let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if comm(p) == name {
            let cmdline = std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            found.push((p, cmdline.trim().to_owned()));
        }
    }
    found
}

fn pid_gone(pid: &str) -> bool {
    !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && !Path::new(&format!("/proc/{pid}")).exists()
}

/// `cs-<tag>-<pid>-<rest>` → pid, when the name is one of the harness's.
fn owner_pid(ns: &str) -> Option<&str> {
    let rest = ns.strip_prefix(PREFIX)?;
    let mut parts = rest.splitn(3, '-');
    let tag = parts.next()?;
    let pid = parts.next()?;
    parts.next()?;
    (!tag.is_empty()
        && tag
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && pid.bytes().all(|b| b.is_ascii_digit()))
    .then_some(pid)
}

/// Removes what a test process killed outright left: its namespaces (processes still in them
/// are killed first: all were started by the harness) and its temp dir, once its PID is gone.
pub fn remove_stale() {
    if let Ok(out) = ip(&["netns", "list"]) {
        for line in out.lines() {
            let ns = line.split_whitespace().next().unwrap_or("");
            if !owner_pid(ns).is_some_and(pid_gone) {
                continue;
            }
            eprintln!("realnet: removing {ns}, left by a killed run");
            if let Some(ino) = ns_inode(&format!("/run/netns/{ns}")) {
                for (p, c) in processes_in(&[ino], &[]) {
                    eprintln!("realnet: killing {p} ({c}) in {ns}");
                    let _ = Command::new("kill")
                        .args(["-KILL", &p.to_string()])
                        .status();
                }
            }
            let _ = ip(&["netns", "del", ns]);
        }
    }
    if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(TMP_PREFIX) else {
                continue;
            };
            if pid_gone(rest.split('-').next().unwrap_or("")) && e.path().is_dir() {
                eprintln!(
                    "realnet: removing {}, left by a killed run",
                    e.path().display()
                );
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

/// The names of namespaces of the harness that exist now, for a tag (any PID) or all tags.
pub fn namespaces(tag: Option<&str>) -> Vec<String> {
    ip(&["netns", "list"])
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|ns| {
            owner_pid(ns).is_some() && tag.is_none_or(|t| ns.starts_with(&format!("{PREFIX}{t}-")))
        })
        .map(str::to_owned)
        .collect()
}

/// The namespaces of the harness with this tag that this test process made and that exist now.
pub fn own_namespaces(tag: &str) -> Vec<String> {
    let own = format!("{PREFIX}{tag}-{}-", std::process::id());
    namespaces(Some(tag))
        .into_iter()
        .filter(|ns| ns.starts_with(&own))
        .collect()
}

/// One namespace of the network: a node or [`OUTSIDE`].
struct Node {
    name: String,
    ns: String,
    public: Ipv4Addr,
    /// `unshare --pid --fork --kill-child`: its child is the PID namespace's PID 1.
    holder: Option<Child>,
    /// PID 1 of the node's PID namespace, as the host sees it.
    init: u32,
    net_ino: u64,
    pid_ino: u64,
}

/// The network; see the module documentation.
pub struct Net {
    tag: String,
    nodes: Vec<Node>,
    bridge_ns: Option<String>,
    bridge_ino: u64,
    /// Listener processes (`nsenter`, whose child in the node's PID namespace is the listener).
    listeners: Mutex<Vec<Child>>,
    python: PathBuf,
    closed: bool,
    /// Lines of what was done and when, since [`Net::new`].
    log: Mutex<Vec<String>>,
    started: Instant,
    // Last: removed after every process is gone (Drop::drop runs before the fields drop).
    dir: tempfile::TempDir,
}

impl Net {
    /// Builds the network: `nodes` (name, public address in 198.51.100.0/24, not .250) plus
    /// [`OUTSIDE`]. `tag` (lowercase letters and digits) names this test's namespaces; node
    /// names are lowercase letters, digits and `-` (`br` is the bridge's namespace). Removes
    /// stale namespaces of dead runs first. Call it on the thread that will drop the `Net`.
    pub fn new(tag: &str, nodes: &[(&str, Ipv4Addr)]) -> Result<Net, String> {
        if tag.is_empty()
            || !tag
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return Err(format!("tag {tag:?}: lowercase letters and digits only"));
        }
        for (name, addr) in nodes {
            let ok_name = !name.is_empty()
                && name.len() <= 32
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok_name || *name == OUTSIDE || *name == "br" {
                return Err(format!(
                    "node name {name:?}: lowercase letters, digits, -; not {OUTSIDE} or br"
                ));
            }
            if addr.octets()[..3] != PUBLIC_NET.0.octets()[..3] || *addr == OUTSIDE_ADDR {
                return Err(format!(
                    "{name}: {addr} is not in 198.51.100.0/24 or is the outside's .250"
                ));
            }
        }
        remove_stale();
        let python = python().ok_or("python3 not found")?;
        let pid = std::process::id();
        let dir = tempfile::Builder::new()
            .prefix(&format!("{TMP_PREFIX}{pid}-{tag}-"))
            .tempdir()
            .map_err(|e| format!("temp dir: {e}"))?;
        std::fs::write(dir.path().join("probe.py"), PROBE_PY).map_err(|e| e.to_string())?;
        let mut net = Net {
            tag: tag.to_owned(),
            nodes: Vec::new(),
            bridge_ns: None,
            bridge_ino: 0,
            listeners: Mutex::new(Vec::new()),
            python,
            closed: false,
            log: Mutex::new(Vec::new()),
            started: Instant::now(),
            dir,
        };
        let prefix = format!("{PREFIX}{tag}-{pid}-");
        let br = format!("{prefix}br");
        ip(&["netns", "add", &br])?;
        net.bridge_ns = Some(br.clone());
        net.bridge_ino = ns_inode(&format!("/run/netns/{br}")).unwrap_or(0);
        ip(&["-n", &br, "link", "set", "lo", "up"])?;
        ip(&["-n", &br, "link", "add", "br0", "type", "bridge"])?;
        ip(&["-n", &br, "link", "set", "br0", "up"])?;
        let mut all: Vec<(String, Ipv4Addr)> =
            nodes.iter().map(|(n, a)| ((*n).to_owned(), *a)).collect();
        all.push((OUTSIDE.to_owned(), OUTSIDE_ADDR));
        for (i, (name, public)) in all.into_iter().enumerate() {
            let ns = format!("{prefix}{name}");
            ip(&["netns", "add", &ns])?;
            let net_ino = ns_inode(&format!("/run/netns/{ns}")).unwrap_or(0);
            net.nodes.push(Node {
                name: name.clone(),
                ns: ns.clone(),
                public,
                holder: None,
                init: 0,
                net_ino,
                pid_ino: 0,
            });
            let port = format!("v{i}");
            ip(&["-n", &ns, "link", "set", "lo", "up"])?;
            ip(&[
                "-n", &br, "link", "add", &port, "type", "veth", "peer", "name", "eth0", "netns",
                &ns,
            ])?;
            ip(&["-n", &br, "link", "set", &port, "master", "br0", "up"])?;
            ip(&[
                "-n",
                &ns,
                "addr",
                "add",
                &format!("{public}/{}", PUBLIC_NET.1),
                "dev",
                "eth0",
            ])?;
            ip(&["-n", &ns, "link", "set", "eth0", "up"])?;
            net.start_holder(i)?;
        }
        net.note(&format!("{} namespaces and the bridge up", net.nodes.len()));
        Ok(net)
    }

    /// Starts node `i`'s PID namespace: `ip netns exec NS setpriv --pdeathsig KILL unshare
    /// --pid --fork --kill-child --mount-proc --mount sh -c 'mount --bind RUN /run && exec
    /// python3 probe.py init'`.
    fn start_holder(&mut self, i: usize) -> Result<(), String> {
        let run_dir = self.dir.path().join(format!("run-{}", self.nodes[i].name));
        std::fs::create_dir_all(&run_dir).map_err(|e| e.to_string())?;
        // /var/run is /run on Debian; bind where it really is.
        let run = std::fs::canonicalize("/var/run").unwrap_or_else(|_| PathBuf::from("/run"));
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.nodes[i].ns])
            .args(["setpriv", "--pdeathsig", "KILL"])
            .args(["unshare", "--pid", "--fork", "--kill-child", "--mount-proc"])
            .args(["--mount", "--propagation", "private", "sh", "-c"])
            .arg(r#"mount --bind "$0" "$1" && exec "$2" -S "$3" init"#)
            .arg(&run_dir)
            .arg(&run)
            .arg(&self.python)
            .arg(self.dir.path().join("probe.py"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let what = format!("{}: PID namespace holder", self.nodes[i].name);
        let mut child = c
            .spawn()
            .map_err(|e| format!("{what}: {}: {e}", format_command(&c)))?;
        let holder = child.id();
        let deadline = Instant::now() + Duration::from_secs(5);
        let init = loop {
            // The holder's child, once it has forked, and once that child runs the reaper (the
            // bind mount done) in a PID namespace of its own.
            let kids = std::fs::read_to_string(format!("/proc/{holder}/task/{holder}/children"))
                .unwrap_or_default();
            if let Some(p) = kids.split_whitespace().next().and_then(|p| p.parse().ok())
                && comm(p).starts_with("python")
            {
                break p;
            }
            if let Ok(Some(status)) = child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                return Err(format!(
                    "{what} exited ({status}): {}: {}",
                    format_command(&c),
                    err.trim()
                ));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{what}: no PID 1 after 5 s: {}",
                    format_command(&c)
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let node = &mut self.nodes[i];
        node.holder = Some(child);
        node.init = init;
        node.pid_ino = ns_inode(&format!("/proc/{init}/ns/pid")).unwrap_or(0);
        if node.pid_ino == 0 || Some(node.pid_ino) == ns_inode("/proc/self/ns/pid") {
            return Err(format!(
                "{what}: PID {init} is not in a PID namespace of its own"
            ));
        }
        Ok(())
    }

    fn note(&self, what: &str) {
        let line = format!("[{:6.2}s] {what}", self.started.elapsed().as_secs_f64());
        eprintln!("    realnet {}: {line}", self.tag);
        lock(&self.log).push(line);
    }

    /// What was done and when, since [`Net::new`] (also printed as it happens).
    pub fn log(&self) -> Vec<String> {
        lock(&self.log).clone()
    }

    fn node(&self, name: &str) -> &Node {
        self.nodes
            .iter()
            .find(|n| n.name == name)
            .unwrap_or_else(|| panic!("realnet: no node {name:?}"))
    }

    /// The temp directory (configs can be written there; it goes at teardown).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The nodes' names, in the order given, without [`OUTSIDE`].
    pub fn names(&self) -> Vec<String> {
        self.nodes
            .iter()
            .filter(|n| n.name != OUTSIDE)
            .map(|n| n.name.clone())
            .collect()
    }

    /// A node's public address (`eth0`).
    pub fn public(&self, node: &str) -> Ipv4Addr {
        self.node(node).public
    }

    /// A node's network namespace (for `ip netns exec`, `ip -n`).
    pub fn ns(&self, node: &str) -> &str {
        &self.node(node).ns
    }

    /// `program args` on `node` with no timeout (for processes that keep running; spawn with a
    /// parent-death signal: [`Net::spawn`]).
    pub fn command(
        &self,
        node: &str,
        program: impl AsRef<std::ffi::OsStr>,
        args: &[&str],
    ) -> Command {
        let mut c = Command::new("nsenter");
        c.args(["-t", &self.node(node).init.to_string()])
            .args(["--net", "--mount", "--pid", "--"])
            .arg(program)
            .args(args);
        c
    }

    /// `program args` on `node`, killed after `secs` seconds (with a parent-death signal).
    pub fn timed(
        &self,
        node: &str,
        secs: u32,
        program: impl AsRef<std::ffi::OsStr>,
        args: &[&str],
    ) -> Command {
        let inner = self.command(node, program, args);
        let mut c = Command::new("setpriv");
        c.args([
            "--pdeathsig",
            "KILL",
            "timeout",
            "-k",
            "2",
            &secs.to_string(),
        ])
        .arg(inner.get_program())
        .args(inner.get_args());
        c
    }

    /// Runs `program args` on `node` under a timeout; stdout, or an error naming the node, the
    /// command, its status and output.
    pub fn run(
        &self,
        node: &str,
        secs: u32,
        program: &str,
        args: &[&str],
    ) -> Result<String, String> {
        run(self.timed(node, secs, program, args), node)
    }

    /// Runs a prepared command (from [`Net::timed`], with environment or stdin set) to
    /// completion, like [`Net::run`].
    pub fn run_command(&self, node: &str, command: Command) -> Result<String, String> {
        run(command, node)
    }

    /// `wg-quick up CONF` on `node` with `wireguard-go` (the interface is the file's stem; the
    /// file should not be world-readable, or wg-quick warns). wg-quick's output.
    pub fn wg_up(&self, node: &str, conf: &Path) -> Result<String, String> {
        let conf = conf.to_string_lossy().into_owned();
        let c = self.wg_quick(node, "up", &conf);
        let out = run(c, &format!("{node}: wg-quick up {conf}"))?;
        self.note(&format!("{node}: wg-quick up {conf}"));
        Ok(out)
    }

    /// `wg-quick down CONF` on `node` (removes the interface; wireguard-go then exits).
    pub fn wg_down(&self, node: &str, conf: &Path) -> Result<String, String> {
        let conf = conf.to_string_lossy().into_owned();
        let c = self.wg_quick(node, "down", &conf);
        let out = run(c, &format!("{node}: wg-quick down {conf}"))?;
        self.note(&format!("{node}: wg-quick down {conf}"));
        Ok(out)
    }

    fn wg_quick(&self, node: &str, verb: &str, conf: &str) -> Command {
        let mut c = self.timed(node, 20, "wg-quick", &[verb, conf]);
        c.env("WG_QUICK_USERSPACE_IMPLEMENTATION", "wireguard-go");
        // wg-quick's output goes to stderr; keep both in errors, stdout for success.
        c
    }

    /// `wg show IFACE dump` on `node`: one line for the interface, one per peer (tab-separated:
    /// public key, preshared key, endpoint, allowed ips, latest handshake, rx, tx, keepalive).
    pub fn wg_show(&self, node: &str, iface: &str) -> Result<String, String> {
        self.run(node, 10, "wg", &["show", iface, "dump"])
    }

    /// The PIDs of `wireguard-go` processes on `node`.
    pub fn wireguard_go_pids(&self, node: &str) -> Vec<u32> {
        let n = self.node(node);
        processes_in(&[], &[n.pid_ino])
            .into_iter()
            .filter(|(_, c)| c == "wireguard-go")
            .map(|(p, _)| p)
            .collect()
    }

    /// `nft -f RULES` on `node`.
    pub fn nft_load(&self, node: &str, rules: &Path) -> Result<(), String> {
        let path = rules.to_string_lossy().into_owned();
        self.run(node, 10, "nft", &["-f", &path])?;
        self.note(&format!("{node}: nft -f {path}"));
        Ok(())
    }

    /// `nft list ruleset` on `node`.
    pub fn nft_list(&self, node: &str) -> Result<String, String> {
        self.run(node, 10, "nft", &["list", "ruleset"])
    }

    /// Starts one listener process on `node` bound to 0.0.0.0 on each of `tcp` and `udp` ports,
    /// and returns once it is bound. A TCP connection gets `NODE tcp PORT` and is closed; a UDP
    /// datagram is answered with `NODE udp PORT`. It runs until teardown.
    pub fn listen(&self, node: &str, tcp: &[u16], udp: &[u16]) -> Result<(), String> {
        let mut args = vec![
            "-S".to_owned(),
            self.dir.path().join("probe.py").display().to_string(),
            "listen".to_owned(),
            node.to_owned(),
        ];
        args.extend(tcp.iter().map(|p| format!("tcp:{p}")));
        args.extend(udp.iter().map(|p| format!("udp:{p}")));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // No parent-death signal on nsenter: it would fire when the thread that called this
        // ends, and the orphaned listener would go to the host's init. The holder's signal
        // covers it: the listener dies with its PID namespace, then nsenter exits.
        let mut c = self.command(node, &self.python, &args);
        c.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let what = format!("{node}: listener on tcp {tcp:?} udp {udp:?}");
        let mut child = c
            .spawn()
            .map_err(|e| format!("{what}: {}: {e}", format_command(&c)))?;
        let mut line = String::new();
        let read = child
            .stdout
            .take()
            .map(|o| BufReader::new(o).read_line(&mut line));
        if line.trim() != "ready" {
            let _ = child.kill();
            let out = child.wait_with_output().map_err(|e| e.to_string())?;
            return Err(format!(
                "{what}: `{}` did not start ({read:?}): {}",
                format_command(&c),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        lock(&self.listeners).push(child);
        self.note(&what);
        Ok(())
    }

    /// Runs `probes` (from node, what, how long to wait), all at once: one helper process per
    /// source node, each probe in a thread of its own. Results in the order given.
    pub fn probe_all(&self, probes: &[(&str, Check, Duration)]) -> Vec<Result<Reach, String>> {
        let mut results: Vec<Result<Reach, String>> =
            probes.iter().map(|_| Err("not run".to_owned())).collect();
        let mut froms: Vec<&str> = probes.iter().map(|p| p.0).collect();
        froms.sort_unstable();
        froms.dedup();
        let script = self.dir.path().join("probe.py").display().to_string();
        let mut running = Vec::new();
        for from in froms {
            let which: Vec<usize> = (0..probes.len()).filter(|&i| probes[i].0 == from).collect();
            let specs: Vec<String> = which
                .iter()
                .map(|&i| probes[i].1.spec(probes[i].2))
                .collect();
            let longest = which.iter().map(|&i| probes[i].2).max().unwrap_or_default();
            let mut args = vec!["-S", script.as_str(), "probe"];
            args.extend(specs.iter().map(String::as_str));
            let mut c = self.timed(from, longest.as_secs() as u32 + 10, &self.python, &args);
            let what = format!("{from}: probes {}", specs.join(" "));
            let child = c
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|e| format!("{what}: {}: {e}", format_command(&c)));
            running.push((which, what, c, child));
        }
        for (which, what, c, child) in running {
            let out = child.and_then(|ch| {
                ch.wait_with_output()
                    .map_err(|e| format!("{what}: {}: {e}", format_command(&c)))
            });
            let lines = match out {
                Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
                Ok(o) => {
                    let e = format!(
                        "{what}: `{}` failed ({}): {}",
                        format_command(&c),
                        o.status,
                        String::from_utf8_lossy(&o.stderr).trim()
                    );
                    which.iter().for_each(|&i| results[i] = Err(e.clone()));
                    continue;
                }
                Err(e) => {
                    which.iter().for_each(|&i| results[i] = Err(e.clone()));
                    continue;
                }
            };
            for line in lines.lines() {
                let (k, r) = line.split_once(' ').unwrap_or((line, ""));
                if let Some(&i) = k.parse::<usize>().ok().and_then(|k| which.get(k)) {
                    results[i] = Reach::parse(r).map_err(|e| format!("{what}: {e}"));
                }
            }
        }
        results
    }

    fn probe(&self, from: &str, check: Check, timeout: Duration) -> Result<Reach, String> {
        self.probe_all(&[(from, check, timeout)])
            .pop()
            .unwrap_or_else(|| Err("no result".into()))
    }

    /// A TCP connection from `from` to `addr:port` within `timeout`: [`Reach::Answered`] with
    /// the listener's banner, [`Reach::Refused`] (RST: nothing listening, or a reject),
    /// [`Reach::TimedOut`] (dropped), or [`Reach::Unreachable`].
    pub fn tcp_reachable(
        &self,
        from: &str,
        addr: Ipv4Addr,
        port: u16,
        timeout: Duration,
    ) -> Result<Reach, String> {
        self.probe(from, Check::Tcp(addr, port), timeout)
    }

    /// A UDP datagram from `from` to `addr:port`, resent every 200 ms until a listener answers,
    /// an ICMP port unreachable comes back ([`Reach::Refused`]), or `timeout`.
    pub fn udp_reachable(
        &self,
        from: &str,
        addr: Ipv4Addr,
        port: u16,
        timeout: Duration,
    ) -> Result<Reach, String> {
        self.probe(from, Check::Udp(addr, port), timeout)
    }

    /// ICMP echo from `from` to `addr`, a request every 200 ms until a reply ([`Reach::Answered`]
    /// with the replying address), a destination unreachable, or `timeout`.
    pub fn ping(&self, from: &str, addr: Ipv4Addr, timeout: Duration) -> Result<Reach, String> {
        self.probe(from, Check::Ping(addr), timeout)
    }

    /// Tears everything down now and returns what is left: namespaces of this run that still
    /// exist and processes still in its namespaces (empty: clean).
    pub fn close(mut self) -> Vec<String> {
        self.teardown()
    }

    fn teardown(&mut self) -> Vec<String> {
        if self.closed {
            return Vec::new();
        }
        self.closed = true;
        let t0 = Instant::now();
        // Killing PID 1 makes the kernel kill the rest of its PID namespace; killing the
        // holder (`unshare --kill-child`) kills PID 1. Both are our unreaped children or their
        // child, checked by comm and namespace.
        for n in &self.nodes {
            if n.init != 0
                && comm(n.init).starts_with("python")
                && ns_inode(&format!("/proc/{}/ns/pid", n.init)) == Some(n.pid_ino)
            {
                let _ = Command::new("kill")
                    .args(["-KILL", &n.init.to_string()])
                    .status();
            }
        }
        // A listener's nsenter reaps the listener (killed with its PID namespace) and exits;
        // killed first, it would leave a zombie in the namespace for the host's init to reap,
        // and the namespace's PID 1 waits for that.
        let deadline = Instant::now() + Duration::from_secs(2);
        for mut l in lock(&self.listeners).drain(..) {
            while l.try_wait().is_ok_and(|s| s.is_none()) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            let _ = l.kill();
            let _ = l.wait();
        }
        // The holder reaps its PID 1 and exits (killed, it would leave that to the host's
        // init, which may take its time).
        let deadline = Instant::now() + Duration::from_secs(2);
        for n in &mut self.nodes {
            if let Some(mut h) = n.holder.take() {
                while h.try_wait().is_ok_and(|s| s.is_none()) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(5));
                }
                let _ = h.kill();
                let _ = h.wait();
            }
        }
        let net: Vec<u64> = self
            .nodes
            .iter()
            .map(|n| n.net_ino)
            .chain([self.bridge_ino])
            .filter(|&i| i != 0)
            .collect();
        let pid: Vec<u64> = self
            .nodes
            .iter()
            .map(|n| n.pid_ino)
            .filter(|&i| i != 0)
            .collect();
        // The kernel kills a PID namespace's processes before its PID 1 is reaped, but the
        // reaping (by the host's init) is not ours to wait on: poll briefly.
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut left = processes_in(&net, &pid);
        while !left.is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            left = processes_in(&net, &pid);
        }
        for (p, c) in &left {
            eprintln!("realnet teardown: PID {p} ({c}) still in this run's namespaces: killing it");
            let _ = Command::new("kill")
                .args(["-KILL", &p.to_string()])
                .status();
        }
        if let Some(br) = &self.bridge_ns {
            for i in 0..self.nodes.len() {
                let _ = ip(&["-n", br, "link", "del", &format!("v{i}")]);
            }
        }
        for n in &self.nodes {
            let _ = ip(&["netns", "del", &n.ns]);
        }
        if let Some(br) = self.bridge_ns.take() {
            let _ = ip(&["netns", "del", &br]);
        }
        let mut remains: Vec<String> = namespaces(Some(&self.tag))
            .into_iter()
            .filter(|ns| ns.starts_with(&format!("{PREFIX}{}-{}-", self.tag, std::process::id())))
            .map(|ns| format!("namespace {ns}"))
            .collect();
        let deadline = Instant::now() + Duration::from_secs(2);
        let mut procs = processes_in(&net, &pid);
        while !procs.is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            procs = processes_in(&net, &pid);
        }
        remains.extend(procs.into_iter().map(|(p, c)| format!("process {p} ({c})")));
        let mut line = String::new();
        let _ = write!(line, "teardown in {:.2} s", t0.elapsed().as_secs_f64());
        if !remains.is_empty() {
            let _ = write!(line, "; left: {}", remains.join(", "));
        }
        self.note(&line);
        if std::env::var_os("CEPHSPRAY_REALNET_KEEP").is_some() {
            self.dir.disable_cleanup(true);
            eprintln!("realnet: kept {}", self.dir.path().display());
        }
        remains
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        self.teardown();
    }
}

/// A WireGuard key pair from `wg genkey` and `wg pubkey` (on the host: no network needed).
pub fn wg_keypair() -> Result<(String, String), String> {
    let private = run(
        {
            let mut c = Command::new("wg");
            c.arg("genkey");
            c
        },
        "wg genkey",
    )?
    .trim()
    .to_owned();
    let mut c = Command::new("wg")
        .arg("pubkey")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("wg pubkey: {e}"))?;
    if let Some(mut stdin) = c.stdin.take() {
        std::io::Write::write_all(&mut stdin, format!("{private}\n").as_bytes())
            .map_err(|e| format!("wg pubkey: {e}"))?;
    }
    let out = c
        .wait_with_output()
        .map_err(|e| format!("wg pubkey: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "wg pubkey: {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok((
        private,
        String::from_utf8_lossy(&out.stdout).trim().to_owned(),
    ))
}

/// Writes `text` to `path` with mode 0600 (WireGuard configs hold private keys; wg-quick warns
/// about world-readable ones).
pub fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}
