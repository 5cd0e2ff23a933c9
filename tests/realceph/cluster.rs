//! A throwaway Ceph cluster for tests/real_ceph.rs: Debian's pacific daemons (one monitor, one
//! manager, memstore OSDs, at most one MDS) built by hand, with no ceph-volume, cephadm or
//! systemd, inside a network namespace of their own. Every command, daemon and Ansible run goes
//! through [`Cluster::prefix`]: that namespace plus a private mount namespace in which the
//! cluster's configuration directory is bind-mounted on /etc/ceph, so the real /etc/ceph is never
//! read or written.
//!
//! [`Cluster`] is the guard: dropping it (also while a failed assertion unwinds) stops the daemons
//! it started (after checking each PID is still a Ceph daemon or the exec chain leading to one),
//! deletes the namespace, then the temp directory. Daemons also carry a parent-death signal
//! (`setpriv --pdeathsig KILL`), so a test process killed outright does not leave them behind.

pub use crate::common::which;
use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The monitor's ports: msgr2 and the v1 port ceph-csi's values name.
const MON_PORT_V2: u16 = 3300;
const MON_PORT_V1: u16 = 6789;

/// What the cluster looks like: taken from the rendered inventory by the test.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The rendered fsid.
    pub fsid: String,
    /// Monitor id (the first monitor's short host name, as ceph-ansible names it).
    pub mon: String,
    /// The monitor's address (its host's private address) and the public network's prefix.
    pub mon_addr: Ipv4Addr,
    /// Prefix length of `public_network`.
    pub public_prefix: u8,
    /// An address in `cluster_network` for the OSDs, with its prefix length, when there is one.
    pub cluster_addr: Option<(Ipv4Addr, u8)>,
    /// Manager id.
    pub mgr: String,
    /// MDS id, when the spec has CephFS.
    pub mds: Option<String>,
    /// One entry per OSD, in id order: the short name of the host it is on.
    pub osd_hosts: Vec<String>,
    /// ceph.conf settings ceph-ansible would set from the inventory: (section, option, value).
    pub conf: Vec<(String, String, String)>,
    /// memstore's reported device size per OSD.
    pub memstore_bytes: u64,
    /// Set in the monitors' configuration database before the manager starts: (who, option,
    /// value). Manager module options are only known once a manager has reported its modules,
    /// hence `--force`.
    pub mon_config: Vec<(String, String, String)>,
}

struct Daemon {
    name: String,
    child: Child,
}

/// A running (or half-started) cluster; see the module documentation.
pub struct Cluster {
    ns: Option<String>,
    daemons: Vec<Daemon>,
    /// Log lines of what was done and how long it took.
    pub log: Vec<String>,
    started: Instant,
    // Declared last: removed after the daemons are gone (Drop::drop runs before field drops).
    dir: tempfile::TempDir,
}

/// Everything a test needs on this machine, or why it cannot run here.
pub fn missing_prerequisites() -> Vec<String> {
    let mut missing = Vec::new();
    let uid = crate::common::effective_uid();
    if uid != "0" {
        missing.push(format!(
            "not root (effective uid {uid}): network and mount namespaces need it"
        ));
    }
    for tool in [
        "ceph",
        "ceph-mon",
        "ceph-mgr",
        "ceph-osd",
        "ceph-mds",
        "ceph-authtool",
        "monmaptool",
        "rbd",
        "ip",
        "unshare",
        "setpriv",
        "timeout",
        "mount",
    ] {
        if which(tool).is_none() {
            missing.push(format!("`{tool}` not on PATH"));
        }
    }
    if !Path::new("/etc/ceph").is_dir() {
        missing.push("/etc/ceph does not exist (the mount point for the cluster's own)".into());
    }
    missing
}

/// What a test process killed outright (SIGKILL: no Drop) leaves: its namespace and temp dir,
/// both named after its PID; its daemons died with it (parent-death signal). Removed when that
/// PID is gone and nothing runs in the namespace.
fn remove_stale() {
    let gone = |pid: &str| {
        !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && !Path::new(&format!("/proc/{pid}")).exists()
    };
    if let Ok(out) = Command::new("ip").args(["netns", "list"]).output() {
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let ns = line.split_whitespace().next().unwrap_or("");
            let Some(rest) = ns.strip_prefix("cephspray-rc-") else {
                continue;
            };
            let pid = rest.split('-').next().unwrap_or("");
            let empty = Command::new("ip")
                .args(["netns", "pids", ns])
                .output()
                .is_ok_and(|o| o.status.success() && o.stdout.is_empty());
            if gone(pid) && empty {
                eprintln!("real Ceph: removing {ns}, left by a killed run");
                let _ = Command::new("ip").args(["netns", "del", ns]).status();
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix("cephspray-realceph-") else {
                continue;
            };
            if gone(rest.split('-').next().unwrap_or("")) && e.path().is_dir() {
                eprintln!(
                    "real Ceph: removing {}, left by a killed run",
                    e.path().display()
                );
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

/// A process's resident memory in KiB (0 when it is gone).
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Runs a command to completion under `timeout`, returning stdout or a message with stderr.
fn run(mut command: Command, what: &str) -> Result<String, String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot run: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{what}: {} (status {}): {}{}",
            format_command(&command),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim(),
            String::from_utf8_lossy(&out.stdout).trim()
        ))
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

fn is_ceph_daemon(comm: &str) -> bool {
    matches!(comm, "ceph-mon" | "ceph-mgr" | "ceph-osd" | "ceph-mds")
}

fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

fn gen_key() -> Result<String, String> {
    let mut c = Command::new("ceph-authtool");
    c.arg("--gen-print-key");
    run(c, "ceph-authtool --gen-print-key").map(|s| s.trim().to_owned())
}

fn new_uuid() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/uuid")
        .expect("kernel UUID source")
        .trim()
        .to_owned()
}

/// Runs commands in a cluster's namespaces; see [`Cluster::cli`].
#[derive(Clone, Debug)]
pub struct Cli {
    prefix: Vec<OsString>,
}

impl Cli {
    /// `program args` under the prefix (no timeout: for daemons).
    pub fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut c = Command::new(&self.prefix[0]);
        c.args(&self.prefix[1..]).arg(program).args(args);
        c.env_remove("CEPH_CONF").env_remove("CEPH_ARGS");
        c
    }

    /// `program args` under the prefix, killed after `secs` seconds.
    pub fn timed(&self, secs: u32, program: &str, args: &[&str]) -> Command {
        let mut c = Command::new("timeout");
        c.args(["-k", "5", &secs.to_string()]).args(&self.prefix);
        c.arg(program).args(args);
        c.env_remove("CEPH_CONF").env_remove("CEPH_ARGS");
        c
    }

    /// `ceph ARGS` as client.admin; stdout.
    pub fn ceph(&self, args: &[&str]) -> Result<String, String> {
        let mut all = vec!["--connect-timeout", "15"];
        all.extend_from_slice(args);
        run(self.timed(60, "ceph", &all), "ceph")
    }

    /// `ceph ARGS -f json`, parsed.
    pub fn ceph_json(&self, args: &[&str]) -> Result<Value, String> {
        let mut all = args.to_vec();
        all.extend_from_slice(&["-f", "json"]);
        let out = self.ceph(&all)?;
        serde_json::from_str(&out)
            .map_err(|e| format!("ceph {}: not JSON ({e}): {out}", all.join(" ")))
    }

    /// Any program under the prefix, with a timeout; stdout.
    pub fn run(&self, secs: u32, program: &str, args: &[&str]) -> Result<String, String> {
        run(self.timed(secs, program, args), program)
    }
}

impl Cluster {
    /// A temp directory and a fresh network namespace with loopback and a veth pair up. Fails
    /// when the machine cannot make one (an environment problem, not a cluster one).
    pub fn new(tag: &str) -> Result<Cluster, String> {
        remove_stale();
        let dir = tempfile::Builder::new()
            .prefix(&format!("cephspray-realceph-{}-", std::process::id()))
            .tempdir()
            .map_err(|e| format!("temp dir: {e}"))?;
        let mut cluster = Cluster {
            ns: None,
            daemons: Vec::new(),
            log: Vec::new(),
            started: Instant::now(),
            dir,
        };
        for sub in ["etc", "run", "log", "crash"] {
            std::fs::create_dir_all(cluster.path().join(sub)).map_err(|e| e.to_string())?;
        }
        let ns = format!("cephspray-rc-{}-{tag}", std::process::id());
        let mut add = Command::new("ip");
        add.args(["netns", "add", &ns]);
        run(add, "create the network namespace")?;
        cluster.ns = Some(ns);
        cluster.in_ns(&["ip", "link", "set", "lo", "up"])?;
        cluster.in_ns(&[
            "ip", "link", "add", "cs0", "type", "veth", "peer", "name", "cs1",
        ])?;
        cluster.in_ns(&["ip", "link", "set", "cs0", "up"])?;
        cluster.in_ns(&["ip", "link", "set", "cs1", "up"])?;
        // The private mount namespace and the bind mount work here, or nothing will.
        let mut probe = cluster.command("true", &[]);
        probe.env_remove("CEPH_CONF");
        run(
            probe,
            "bind-mount the cluster's config dir on /etc/ceph in a mount namespace",
        )?;
        Ok(cluster)
    }

    /// The cluster's temp directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// What is mounted on /etc/ceph inside the namespaces.
    pub fn etc(&self) -> PathBuf {
        self.path().join("etc")
    }

    /// The network namespace's name.
    pub fn ns(&self) -> &str {
        self.ns.as_deref().expect("namespace")
    }

    fn in_ns(&self, args: &[&str]) -> Result<String, String> {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", self.ns()]).args(args);
        run(c, "network namespace setup")
    }

    /// The command prefix that runs a program in the network namespace and in a private mount
    /// namespace where the cluster's config dir is /etc/ceph.
    pub fn prefix(&self) -> Vec<OsString> {
        self.cli().prefix
    }

    /// A handle that runs commands in the cluster's namespaces (cloneable, for other threads).
    pub fn cli(&self) -> Cli {
        let mut prefix: Vec<OsString> = ["ip", "netns", "exec", self.ns(), "unshare", "-m"]
            .iter()
            .map(OsString::from)
            .collect();
        prefix.push("sh".into());
        prefix.push("-c".into());
        prefix.push(r#"mount --bind "$0" /etc/ceph && exec "$@""#.into());
        prefix.push(self.etc().into_os_string());
        Cli { prefix }
    }

    /// `program args` under the prefix (no timeout: for daemons).
    pub fn command(&self, program: &str, args: &[&str]) -> Command {
        self.cli().command(program, args)
    }

    /// `program args` under the prefix, killed after `secs` seconds.
    pub fn timed(&self, secs: u32, program: &str, args: &[&str]) -> Command {
        self.cli().timed(secs, program, args)
    }

    /// `ceph ARGS` as client.admin; stdout.
    pub fn ceph(&self, args: &[&str]) -> Result<String, String> {
        self.cli().ceph(args)
    }

    /// `ceph ARGS -f json`, parsed.
    pub fn ceph_json(&self, args: &[&str]) -> Result<Value, String> {
        self.cli().ceph_json(args)
    }

    /// Any program under the prefix, with a timeout; stdout.
    pub fn run(&self, secs: u32, program: &str, args: &[&str]) -> Result<String, String> {
        self.cli().run(secs, program, args)
    }

    fn note(&mut self, what: &str) {
        let line = format!("[{:6.1}s] {what}", self.started.elapsed().as_secs_f64());
        eprintln!("    {line}");
        self.log.push(line);
    }

    fn spawn(&mut self, name: &str, program: &str, args: &[&str]) -> Result<(), String> {
        let out = std::fs::File::create(self.path().join("log").join(format!("{name}.out")))
            .map_err(|e| e.to_string())?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let mut full = vec!["--pdeathsig", "KILL", program];
        full.extend_from_slice(args);
        full.push("-f");
        let child = self
            .command("setpriv", &full)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("spawn {name}: {e}"))?;
        self.daemons.push(Daemon {
            name: name.to_owned(),
            child,
        });
        Ok(())
    }

    /// A daemon that exited: its name and the end of its output, for error messages.
    fn dead_daemons(&mut self) -> Vec<String> {
        let mut dead = Vec::new();
        for d in &mut self.daemons {
            if let Ok(Some(status)) = d.child.try_wait() {
                let out = std::fs::read_to_string(
                    self.dir.path().join("log").join(format!("{}.out", d.name)),
                )
                .unwrap_or_default();
                let tail: Vec<&str> = out.lines().rev().take(5).collect();
                dead.push(format!(
                    "{} exited ({status}): {}",
                    d.name,
                    tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
                ));
            }
        }
        dead
    }

    /// Polls `ok` every 500 ms until it returns true, a daemon dies, or `secs` pass.
    pub fn wait_for(
        &mut self,
        what: &str,
        secs: u64,
        mut ok: impl FnMut(&Cluster) -> bool,
    ) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if ok(self) {
                self.note(what);
                return Ok(());
            }
            let dead = self.dead_daemons();
            if !dead.is_empty() {
                return Err(format!("waiting for {what}: {}", dead.join("; ")));
            }
            if Instant::now() > deadline {
                return Err(format!("{what}: not after {secs} s"));
            }
            // Each `ceph` call is a Python start (~0.2 s of CPU): poll gently on two cores.
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    fn write(&self, rel: &str, text: &str) -> Result<(), String> {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))
    }

    /// ceph.conf: the inventory's settings, then what this machine needs (paths under the temp
    /// dir, memstore, small thread pools), then each OSD's start-up CRUSH location.
    fn conf(&self, shape: &Shape) -> String {
        let d = self.path().display().to_string();
        let mut s = String::new();
        let mut sections: Vec<&str> = vec!["global"];
        for (section, _, _) in &shape.conf {
            if !sections.contains(&section.as_str()) {
                sections.push(section);
            }
        }
        for section in sections {
            let _ = writeln!(s, "[{section}]");
            if section == "global" {
                let _ = writeln!(s, "# from the inventory");
                let _ = writeln!(s, "fsid = {}", shape.fsid);
                let _ = writeln!(
                    s,
                    "mon_host = [v2:{a}:{MON_PORT_V2},v1:{a}:{MON_PORT_V1}]",
                    a = shape.mon_addr
                );
            }
            for (sec, key, value) in &shape.conf {
                if sec == section {
                    let _ = writeln!(s, "{key} = {value}");
                }
            }
            if section == "global" {
                let _ = write!(
                    s,
                    "# this machine
run_dir = {d}/run
admin_socket = {d}/run/$name.asok
pid_file = {d}/run/$name.pid
log_file = {d}/log/$name.log
mon_cluster_log_file = {d}/log/cluster.log
crash_dir = {d}/crash
mon_data = {d}/$name
mgr_data = {d}/$name
osd_data = {d}/$name
mds_data = {d}/$name
osd_objectstore = memstore
memstore_device_bytes = {bytes}
# the temp dir's free space is this machine's, not the cluster's
mon_data_avail_warn = 1
mon_data_avail_crit = 0
# sooner, not elsewhere: the manager moves pgp_num to its target in one step
target_max_misplaced_ratio = 1
osd_op_num_shards = 2
osd_op_num_threads_per_shard = 1
ms_async_op_threads = 2
debug_ms = 0
",
                    bytes = shape.memstore_bytes
                );
            }
        }
        for daemon in ["mon", "mgr", "osd", "mds"] {
            let _ = writeln!(s, "[{daemon}]\nkeyring = {d}/$name/keyring");
        }
        // Where ceph-osd puts an OSD when it starts on its host: root=default host=<short name>.
        for (id, host) in shape.osd_hosts.iter().enumerate() {
            let _ = writeln!(s, "[osd.{id}]\ncrush_location = root=default host={host}");
        }
        s
    }

    /// Builds and starts the cluster: monitor, manager, OSDs (up), MDS (standby).
    pub fn start(&mut self, shape: &Shape) -> Result<(), String> {
        self.started = Instant::now();
        let d = self.path().to_path_buf();
        let ds = d.display().to_string();
        // Addresses the daemons bind to, on the veth end inside the namespace.
        let mon_cidr = format!("{}/{}", shape.mon_addr, shape.public_prefix);
        self.in_ns(&["ip", "addr", "add", &mon_cidr, "dev", "cs0"])?;
        if let Some((addr, prefix)) = shape.cluster_addr {
            self.in_ns(&[
                "ip",
                "addr",
                "add",
                &format!("{addr}/{prefix}"),
                "dev",
                "cs0",
            ])?;
        }
        self.write("etc/ceph.conf", &self.conf(shape))?;

        let admin = gen_key()?;
        let mon_key = gen_key()?;
        let admin_keyring = format!(
            "[client.admin]\n\tkey = {admin}\n\tcaps mds = \"allow *\"\n\tcaps mgr = \"allow *\"\n\tcaps mon = \"allow *\"\n\tcaps osd = \"allow *\"\n"
        );
        self.write("etc/ceph.client.admin.keyring", &admin_keyring)?;
        self.write(
            "mon-mkfs.keyring",
            &format!("[mon.]\n\tkey = {mon_key}\n\tcaps mon = \"allow *\"\n{admin_keyring}"),
        )?;
        let mut monmap = Command::new("monmaptool");
        monmap.args(["--create", "--fsid", &shape.fsid, "--addv", &shape.mon]);
        monmap.arg(format!(
            "[v2:{a}:{MON_PORT_V2},v1:{a}:{MON_PORT_V1}]",
            a = shape.mon_addr
        ));
        monmap
            .args(["--enable-all-features", "--clobber"])
            .arg(d.join("monmap"));
        run(monmap, "monmaptool")?;
        let mon_name = format!("mon.{}", shape.mon);
        std::fs::create_dir_all(d.join(&mon_name)).map_err(|e| e.to_string())?;
        self.run(
            60,
            "ceph-mon",
            &[
                "--mkfs",
                "-i",
                &shape.mon,
                "--monmap",
                &format!("{ds}/monmap"),
                "--keyring",
                &format!("{ds}/mon-mkfs.keyring"),
            ],
        )?;
        self.spawn(&mon_name, "ceph-mon", &["-i", &shape.mon])?;
        self.wait_for("monitor answers", 30, |c| c.ceph(&["mon", "stat"]).is_ok())?;
        for (who, option, value) in &shape.mon_config {
            self.ceph(&["config", "set", who, option, value, "--force"])?;
        }

        let mgr_name = format!("mgr.{}", shape.mgr);
        std::fs::create_dir_all(d.join(&mgr_name)).map_err(|e| e.to_string())?;
        // ceph-ansible's caps for a manager (ceph-mgr common.yml).
        self.ceph(&[
            "auth",
            "get-or-create",
            &mgr_name,
            "mon",
            "allow profile mgr",
            "osd",
            "allow *",
            "mds",
            "allow *",
            "-o",
            &format!("{ds}/{mgr_name}/keyring"),
        ])?;
        self.spawn(&mgr_name, "ceph-mgr", &["-i", &shape.mgr])?;

        // OSDs: ids are handed out from 0 in a new cluster, which the [osd.N] sections assume.
        let mut mkfs = Vec::new();
        for (want, _) in shape.osd_hosts.iter().enumerate() {
            let uuid = new_uuid();
            let secret = gen_key()?;
            let name = format!("osd.{want}");
            self.write(
                &format!("{name}/keyring"),
                &format!("[{name}]\n\tkey = {secret}\n"),
            )?;
            self.write(
                &format!("{name}.json"),
                &format!("{{\"cephx_secret\": \"{secret}\"}}"),
            )?;
            let id = self.ceph(&["osd", "new", &uuid, "-i", &format!("{ds}/{name}.json")])?;
            if id.trim() != want.to_string() {
                return Err(format!(
                    "ceph osd new gave id {} where {want} was expected",
                    id.trim()
                ));
            }
            let child = self
                .timed(
                    120,
                    "ceph-osd",
                    &["-i", &want.to_string(), "--mkfs", "--osd-uuid", &uuid],
                )
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|e| e.to_string())?;
            mkfs.push((name, child));
        }
        for (name, child) in mkfs {
            let out = child.wait_with_output().map_err(|e| e.to_string())?;
            if !out.status.success() {
                return Err(format!(
                    "ceph-osd --mkfs for {name}: {}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        self.note(&format!("{} OSDs made (memstore)", shape.osd_hosts.len()));
        for id in 0..shape.osd_hosts.len() {
            self.spawn(&format!("osd.{id}"), "ceph-osd", &["-i", &id.to_string()])?;
        }
        let n = shape.osd_hosts.len() as u64;
        self.wait_for(&format!("{n} OSDs up and in"), 90, |c| {
            c.ceph_json(&["osd", "stat"]).is_ok_and(|s| {
                s["num_up_osds"].as_u64() == Some(n) && s["num_in_osds"].as_u64() == Some(n)
            })
        })?;

        if let Some(mds) = &shape.mds {
            // ceph-ansible's caps for an MDS (ceph-mds common.yml).
            let name = format!("mds.{mds}");
            std::fs::create_dir_all(d.join(&name)).map_err(|e| e.to_string())?;
            self.ceph(&[
                "auth",
                "get-or-create",
                &name,
                "mon",
                "allow profile mds",
                "mds",
                "allow",
                "osd",
                "allow rwx",
                "-o",
                &format!("{ds}/{name}/keyring"),
            ])?;
            self.spawn(&name, "ceph-mds", &["-i", mds])?;
            self.wait_for("MDS standby", 30, |c| {
                c.ceph_json(&["fs", "dump"])
                    .is_ok_and(|v| v["standbys"].as_array().is_some_and(|s| !s.is_empty()))
            })?;
        }
        Ok(())
    }

    /// Resident memory of the daemons: total MiB and per daemon.
    pub fn rss(&self) -> (u64, Vec<(String, u64)>) {
        let mut total = 0;
        let mut each = Vec::new();
        for d in &self.daemons {
            let kib = rss_kib(d.child.id());
            total += kib;
            each.push((d.name.clone(), kib / 1024));
        }
        (total / 1024, each)
    }

    /// The daemons' PIDs (for checking the teardown).
    pub fn pids(&self) -> Vec<u32> {
        self.daemons.iter().map(|d| d.child.id()).collect()
    }

    /// Stops daemons: TERM, up to `grace`, then KILL; only PIDs that are still ours.
    fn stop(&mut self, which: impl Fn(&str) -> bool, grace: Duration) {
        for d in self.daemons.iter_mut().filter(|d| which(&d.name)) {
            if d.child.try_wait().ok().flatten().is_some() {
                continue;
            }
            // Our own child, not yet reaped, so the PID cannot have been reused; still, signal
            // only a Ceph daemon or the exec chain (ip, unshare, sh, setpriv) on its way to one.
            let deadline = Instant::now() + Duration::from_secs(2);
            loop {
                let c = comm(d.child.id());
                if is_ceph_daemon(&c) || Instant::now() > deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let c = comm(d.child.id());
            if is_ceph_daemon(&c) || matches!(c.as_str(), "ip" | "unshare" | "sh" | "setpriv") {
                let _ = Command::new("kill")
                    .args(["-TERM", &d.child.id().to_string()])
                    .status();
            }
        }
        let deadline = Instant::now() + grace;
        for d in self.daemons.iter_mut().filter(|d| which(&d.name)) {
            loop {
                match d.child.try_wait() {
                    Ok(Some(_)) | Err(_) => break,
                    Ok(None) if Instant::now() > deadline => {
                        let c = comm(d.child.id());
                        if is_ceph_daemon(&c)
                            || matches!(c.as_str(), "ip" | "unshare" | "sh" | "setpriv")
                        {
                            let _ = d.child.kill();
                        }
                        let _ = d.child.wait();
                        break;
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(100)),
                }
            }
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // All at once: nothing of a throwaway cluster needs an orderly shutdown, only the logs
        // a TERM flushes (CEPHSPRAY_REALCEPH_KEEP keeps them).
        self.stop(|_| true, Duration::from_secs(3));
        if let Some(ns) = self.ns.take() {
            if let Ok(out) = Command::new("ip").args(["netns", "pids", &ns]).output() {
                let left = String::from_utf8_lossy(&out.stdout);
                if !left.trim().is_empty() {
                    eprintln!(
                        "real Ceph teardown: processes still in {ns}: {}",
                        left.trim()
                    );
                }
            }
            let _ = Command::new("ip").args(["netns", "del", &ns]).status();
        }
        if std::env::var_os("CEPHSPRAY_REALCEPH_KEEP").is_some() {
            self.dir.disable_cleanup(true);
            eprintln!("real Ceph: kept {}", self.dir.path().display());
        }
    }
}

/// Shell-free quoting is not needed: every argument goes through argv. This helper only makes
/// an `&[&OsStr]` of a prefix for APIs that want one.
pub fn as_os(prefix: &[OsString]) -> Vec<&OsStr> {
    prefix.iter().map(OsString::as_os_str).collect()
}
