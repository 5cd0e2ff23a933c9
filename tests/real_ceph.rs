//! A real Ceph: for every valid fixture, render the inventory, start a Ceph cluster shaped like
//! the spec (Debian's pacific daemons, memstore OSDs, one monitor, manager and MDS) in its own
//! network namespace, let the pool, CRUSH, key and filesystem code of the ceph-ansible branch the
//! spec targets run against it through the real `ceph` CLI, then the inventory's
//! playbooks/ceph-pools.yml, and read back what the cluster became: pools, CRUSH tree, cephx
//! users, filesystem, health, each compared with what the spec, the plan and the rendered
//! inventory say. docs/testing.md ("Real Ceph").
//!
//! Needs root, Debian's ceph-mon/-mgr/-osd/-mds and the Ansible venvs (scripts/setup-upstream.sh).
//! Without them it says what it skipped and passes; with `CI=true` it fails instead.

#[path = "realceph/cluster.rs"]
mod cluster;
mod common;

use cluster::{Cluster, Shape};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// memstore's reported size per OSD: small, it only sets the CRUSH weight and the full ratios.
const MEMSTORE_BYTES: u64 = 512 << 20;

/// pg_autoscaler's interval here (Ceph's default is 60 s).
const AUTOSCALE_SECS: u64 = 3;

/// The pools Ceph makes for itself: `device_health_metrics` (pacific), `.mgr` (quincy and later).
const CEPH_OWN_POOLS: &[&str] = &["device_health_metrics", ".mgr"];

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skips (prints why, returns true) or, in CI, fails.
fn unavailable(why: &[String]) -> bool {
    if why.is_empty() {
        return false;
    }
    let text = why.join("\n  - ");
    assert!(
        !in_ci(),
        "real Ceph test cannot run in CI (CI=true):\n  - {text}"
    );
    eprintln!("SKIPPED real Ceph test (not a failure outside CI):\n  - {text}");
    true
}

fn ansible_env(c: &mut Command, scratch: &Path) {
    c.current_dir(scratch)
        .env("ANSIBLE_HOME", scratch.join(".ansible"))
        .env("ANSIBLE_LOCAL_TEMP", scratch.join(".ansible/tmp"))
        .env("ANSIBLE_REMOTE_TEMP", scratch.join(".ansible/tmp"))
        .env("ANSIBLE_NOCOLOR", "1")
        .env("ANSIBLE_RETRY_FILES_ENABLED", "0")
        .env("ANSIBLE_HOST_KEY_CHECKING", "0")
        .env_remove("CEPH_CONF")
        .env_remove("CEPH_ARGS");
}

/// The inventory's playbooks/ceph-pools.yml, as its README says to run it, on this machine.
fn run_pools_playbook(inventory: &Path, scratch: &Path, prefix: &[&OsStr]) -> Output {
    let (program, args) = prefix.split_first().unwrap();
    let mut c = Command::new(program);
    c.args(args)
        .arg(common::ansible_tool("ansible-playbook"))
        .arg("-i")
        .arg(inventory.join("hosts.yml"))
        .arg("--vault-password-file")
        .arg(scratch.join("vault-password"))
        .args([
            "-c",
            "local",
            "-e",
            "ansible_connection=local",
            "-e",
            "ansible_become=false",
        ])
        .arg("-e")
        .arg("ansible_python_interpreter={{ ansible_playbook_python }}")
        .arg(inventory.join("playbooks/ceph-pools.yml"));
    ansible_env(&mut c, scratch);
    c.output().unwrap()
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap()
}

fn short(host: &str) -> String {
    host.split('.').next().unwrap().to_owned()
}

/// The hosts of an inventory group, in order.
fn group(hosts: &Value, name: &str) -> Vec<String> {
    hosts["all"]["children"][name]["hosts"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// A scalar as ceph.conf or the ceph CLI writes it.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The rendered inventory, parsed.
struct Inventory {
    tree: cephspray::output::Tree,
    all: Value,
    clients: Value,
    hosts: Value,
    vault: Value,
}

impl Inventory {
    fn new(tree: cephspray::output::Tree) -> Inventory {
        let file = |p: &str| tree.get(p).map(yaml).unwrap_or(Value::Null);
        let vault = if tree.get(cephspray::render::VAULT_PATH).is_some() {
            yaml(&common::plaintext(&tree, cephspray::render::VAULT_PATH))
        } else {
            Value::Null
        };
        Inventory {
            all: file("group_vars/all/ceph.yml"),
            clients: file("group_vars/clients/ceph.yml"),
            hosts: file("hosts.yml"),
            vault,
            tree,
        }
    }

    fn host_vars(&self, host: &str) -> Value {
        yaml(self.tree.get(&format!("host_vars/{host}.yml")).unwrap())
    }

    /// Resolves `{{ vault_x }}` from the vault.
    fn resolve(&self, v: &str) -> Option<String> {
        let name = v.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
        self.vault[name].as_str().map(str::to_owned)
    }

    /// Every pool the inventory asks ceph-ansible for: CephFS pools and client pools.
    fn pools(&self) -> Vec<Value> {
        let mut pools = Vec::new();
        if self.all.get("cephfs").is_some() {
            pools.push(self.all["cephfs_data_pool"].clone());
            pools.push(self.all["cephfs_metadata_pool"].clone());
        }
        if let Some(list) = self.clients["pools"].as_array() {
            pools.extend(list.iter().cloned());
        }
        pools
    }

    /// `ceph osd pool set POOL KEY VALUE` commands in playbooks/ceph-pools.yml.
    fn pool_settings(&self) -> Vec<(String, String, String)> {
        let play = yaml(self.tree.get("playbooks/ceph-pools.yml").unwrap_or("[]"));
        let mut sets = Vec::new();
        for task in play[0]["tasks"].as_array().into_iter().flatten() {
            let argv: Vec<String> = task["ansible.builtin.command"]["argv"]
                .as_array()
                .into_iter()
                .flatten()
                .map(scalar)
                .collect();
            if argv.len() == 7 && argv[..4] == ["ceph", "osd", "pool", "set"] {
                sets.push((argv[4].clone(), argv[5].clone(), argv[6].clone()));
            }
        }
        sets
    }
}

/// What went wrong for one fixture; the test fails if any fixture has any.
#[derive(Default)]
struct Findings(Vec<String>, Vec<String>);

impl Findings {
    /// Something the test reports without failing: it depends on timing, not on the inventory.
    fn note(&mut self, what: String) {
        eprintln!("    NOTE: {what}");
        self.1.push(what);
    }

    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            let w = what();
            eprintln!("    DISAGREES: {w}");
            self.0.push(w);
        }
    }
    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, cluster: T, expected: T) {
        self.check(cluster == expected, || {
            format!("{what}: got {cluster:?}, expected {expected:?}")
        });
    }
}

/// Measurements for docs/testing.md.
struct Measured {
    fixture: String,
    osds: usize,
    bring_up: Duration,
    ceph_ansible: Duration,
    pools_playbook: Duration,
    settle: Duration,
    checks: Duration,
    teardown: Duration,
    total: Duration,
    rss_mib: u64,
    peak_mib: u64,
    rss_each: Vec<(String, u64)>,
}

#[test]
fn real_ceph_cluster_becomes_what_the_inventory_says() {
    if unavailable(&cluster::missing_prerequisites()) || !common::upstream::available() {
        return;
    }
    let kubespray = common::ansible_tool("ansible-playbook");
    if !common::upstream::require(kubespray.exists(), &kubespray.display().to_string()) {
        return;
    }
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut measured = Vec::new();
    let mut notes = Vec::new();
    // CEPHSPRAY_REALCEPH_ONLY=NAME: one fixture, when working on it.
    let only = std::env::var("CEPHSPRAY_REALCEPH_ONLY").ok();
    for path in common::valid_fixtures() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if only.as_ref().is_some_and(|o| *o != name) {
            continue;
        }
        eprintln!("== real Ceph: {name}");
        match fixture(&path) {
            Ok((findings, m)) => {
                failures.extend(findings.0.into_iter().map(|f| format!("{name}: {f}")));
                notes.extend(findings.1.into_iter().map(|f| format!("{name}: {f}")));
                measured.push(m);
            }
            Err(Skip(reason)) => {
                if unavailable(&[reason]) {
                    return;
                }
            }
            Err(Fail(e)) => failures.push(format!("{name}: {e}")),
        }
    }
    eprintln!(
        "== real Ceph: {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    for m in &measured {
        eprintln!(
            "   {}: {} OSDs; bring-up {:.1} s, ceph-ansible {:.1} s, ceph-pools.yml {:.1} s, settle {:.1} s, checks {:.1} s, teardown {:.1} s, fixture {:.1} s; daemons' RSS peak {} MiB, at the end {} MiB ({})",
            m.fixture,
            m.osds,
            m.bring_up.as_secs_f64(),
            m.ceph_ansible.as_secs_f64(),
            m.pools_playbook.as_secs_f64(),
            m.settle.as_secs_f64(),
            m.checks.as_secs_f64(),
            m.teardown.as_secs_f64(),
            m.total.as_secs_f64(),
            m.peak_mib,
            m.rss_mib,
            m.rss_each
                .iter()
                .map(|(n, r)| format!("{n} {r}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !notes.is_empty() {
        eprintln!(
            "== real Ceph, notes (not failures):\n  - {}",
            notes.join("\n  - ")
        );
    }
    assert!(
        failures.is_empty(),
        "the real cluster disagrees with the inventory:\n  - {}",
        failures.join("\n  - ")
    );
}

enum Outcome {
    Skip(String),
    Fail(String),
}
use Outcome::{Fail, Skip};

fn fail(e: impl Into<String>) -> Outcome {
    Fail(e.into())
}

fn fixture(path: &Path) -> Result<(Findings, Measured), Outcome> {
    let t0 = Instant::now();
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let (spec, _) = cephspray::spec::load_file(path).unwrap();
    let plan = cephspray::plan::plan(&spec, "x");
    let inv = Inventory::new(common::render(path));
    let mut f = Findings::default();

    // ---- the cluster's shape, from the rendered inventory (checked against the spec)
    let fsid = scalar(&inv.all["fsid"]);
    f.eq(
        "rendered fsid vs plan",
        fsid.as_str(),
        plan.ceph.fsid.as_str(),
    );
    let mons = group(&inv.hosts, "mons");
    let mgrs = group(&inv.hosts, "mgrs");
    let mdss = group(&inv.hosts, "mdss");
    let osd_hosts = group(&inv.hosts, "osds");
    let mon0 = mons.first().ok_or_else(|| fail("no mons group"))?;
    let mon_addr: Ipv4Addr = scalar(&inv.host_vars(mon0)["ip"])
        .parse()
        .map_err(|e| fail(format!("{mon0} ip: {e}")))?;
    let public: ipnet::Ipv4Net = scalar(&inv.all["public_network"]).parse().unwrap();
    let cluster_net: Option<ipnet::Ipv4Net> = inv
        .all
        .get("cluster_network")
        .map(|v| scalar(v).parse().unwrap());
    let mut conf = vec![
        // ceph-mon 'Set cluster configs' (ceph_cluster_conf) with the inventory's networks.
        (
            "global".to_owned(),
            "public_network".to_owned(),
            public.to_string(),
        ),
        (
            "global".into(),
            "osd_pool_default_crush_rule".into(),
            "-1".into(),
        ),
        ("global".into(), "ms_bind_ipv4".into(), "True".into()),
        ("global".into(), "ms_bind_ipv6".into(), "False".into()),
        // Squid, not pacific: ceph_pool creates an autoscaled pool without a pg_num, which Ceph
        // 17 and later create with 1 PG (OSDMonitor::prepare_new_pool), 16.2 with this (32).
        (
            "global".into(),
            "osd_pool_default_pg_num".into(),
            "1".into(),
        ),
    ];
    // ceph-defaults: cluster_network defaults to public_network.
    conf.push((
        "global".into(),
        "cluster_network".into(),
        cluster_net.unwrap_or(public).to_string(),
    ));
    for (section, options) in inv.all["ceph_conf_overrides"]
        .as_object()
        .into_iter()
        .flatten()
    {
        for (k, v) in options.as_object().into_iter().flatten() {
            conf.push((section.clone(), k.clone(), scalar(v)));
        }
    }
    let mut osd_of_host: Vec<String> = Vec::new();
    let mut osd_ids: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for host in &osd_hosts {
        let hv = inv.host_vars(host);
        let rendered = hv["devices"].as_array().map_or(0, Vec::len)
            + hv["lvm_volumes"].as_array().map_or(0, Vec::len);
        let node = spec.nodes.iter().find(|n| &n.name == host).unwrap();
        f.eq(
            &format!("{host}: OSD devices rendered vs spec disks"),
            rendered,
            node.disks.len(),
        );
        for _ in 0..node.disks.len() {
            osd_ids
                .entry(host.clone())
                .or_default()
                .push(osd_of_host.len());
            osd_of_host.push(short(host));
        }
    }
    f.eq(
        "OSD count vs plan",
        osd_of_host.len() as u32,
        plan.ceph.osd_count,
    );
    let has_fs = inv.all.get("cephfs").is_some();
    f.eq(
        "CephFS in inventory vs spec",
        has_fs,
        spec.ceph.cephfs.is_some(),
    );
    let shape = Shape {
        fsid: fsid.clone(),
        mon: short(mon0),
        mon_addr,
        public_prefix: public.prefix_len(),
        // An address of the replication network for the OSDs (a node has one; the spec does
        // not say which): its first.
        cluster_addr: cluster_net
            .filter(|n| !n.contains(&mon_addr))
            .map(|n| (n.hosts().next().unwrap(), n.prefix_len())),
        mgr: short(mgrs.first().ok_or_else(|| fail("no mgrs group"))?),
        mds: if has_fs {
            Some(short(
                mdss.first().ok_or_else(|| fail("CephFS but no mdss"))?,
            ))
        } else {
            None
        },
        osd_hosts: osd_of_host.clone(),
        conf,
        memstore_bytes: MEMSTORE_BYTES,
        // Sooner, not different: the autoscaler decides every AUTOSCALE_SECS instead of 60 s. Set
        // before the manager starts, or its first 60 s wait still runs.
        mon_config: vec![(
            "mgr".into(),
            "mgr/pg_autoscaler/sleep_interval".into(),
            AUTOSCALE_SECS.to_string(),
        )],
    };

    // ---- bring-up
    let mut c = Cluster::new(&name.chars().take(8).collect::<String>()).map_err(Skip)?;
    c.start(&shape)
        .map_err(|e| fail(format!("cluster did not start: {e}")))?;
    let bring_up = t0.elapsed();
    // ---- ceph-ansible, then the inventory's own playbook
    let inventory = c.path().join("inventory");
    cephspray::output::write(&inv.tree, &inventory, false).unwrap();
    let scratch = c.path().join("ansible");
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(scratch.join("vault-password"), common::VAULT_PASSWORD).unwrap();
    // A time limit, then the namespaces. Each step dies with its parent, and a `ceph` call gives
    // up on a monitor after 60 s (not 300), so a test process killed outright does not leave
    // Ansible waiting on a cluster that died with it.
    let mut prefix: Vec<std::ffi::OsString> = [
        "setpriv",
        "--pdeathsig",
        "KILL",
        "timeout",
        "-k",
        "10",
        "600",
        "setpriv",
        "--pdeathsig",
        "KILL",
        "env",
        "CEPH_ARGS=--client_mount_timeout 60",
    ]
    .map(Into::into)
    .to_vec();
    prefix.extend(c.prefix());
    let prefix = cluster::as_os(&prefix);
    let watch = Watch::start(c.cli(), c.pids());
    let t = Instant::now();
    let effect = c.path().join("ceph-ansible");
    std::fs::create_dir_all(&effect).unwrap();
    common::upstream::write_addresses(&plan, &effect);
    let out = common::upstream::run_ceph_ansible(
        spec.targets.ceph_ansible,
        &inventory,
        &effect,
        &prefix,
        false,
    );
    let ceph_ansible = t.elapsed();
    std::fs::write(
        c.path().join("log/ceph-ansible.out"),
        [&out.stdout[..], &out.stderr[..]].concat(),
    )
    .unwrap();
    if !out.status.success() {
        return Err(fail(format!(
            "ceph-ansible's tasks failed ({}):\n{}\n{}",
            out.status,
            tail(&out.stdout, 40),
            tail(&out.stderr, 20)
        )));
    }
    eprintln!(
        "    ceph-ansible's task files: {:.1} s",
        ceph_ansible.as_secs_f64()
    );
    let t = Instant::now();
    watch.mark("ceph-pools.yml");
    let out = run_pools_playbook(&inventory, &scratch, &prefix);
    let pools_playbook = t.elapsed();
    std::fs::write(
        c.path().join("log/ceph-pools.out"),
        [&out.stdout[..], &out.stderr[..]].concat(),
    )
    .unwrap();
    if !out.status.success() {
        return Err(fail(format!(
            "playbooks/ceph-pools.yml failed ({}):\n{}\n{}",
            out.status,
            tail(&out.stdout, 40),
            tail(&out.stderr, 20)
        )));
    }
    eprintln!(
        "    playbooks/ceph-pools.yml: {:.1} s",
        pools_playbook.as_secs_f64()
    );

    // ---- settle: MDS active, autoscaler done, every PG active+clean
    let t = Instant::now();
    if let Some(fs) = inv.all.get("cephfs").map(scalar) {
        let r = c.wait_for("MDS up:active", 60, |c| mds_active(c, &fs) > 0);
        f.check(r.is_ok(), || {
            format!("filesystem {fs}: no active MDS: {r:?}")
        });
    }
    let r = settle(&mut c, 150);
    f.check(r.is_ok(), || format!("PGs did not settle: {r:?}"));
    let settle_time = t.elapsed();
    let (timeline, peak_mib) = watch.stop();
    eprintln!(
        "    pools over time (pg_num/pgp_num/pg_num_target, flags):\n      {}",
        timeline.join("\n      ")
    );

    // ---- read back
    let t = Instant::now();
    check_pools(&c, &inv, &plan, &timeline, &mut f);
    check_crush(&c, &inv, &spec, &osd_ids, &mut f);
    let out_dir = c.path().join("ceph-ansible");
    check_config(&out_dir, mon0, &shape, &mut f);
    check_users(&c, &inv, &plan, &out_dir, &mut f);
    check_filesystem(&c, &inv, &plan, &mut f);
    check_csi(&c, &inv, &mon_addr, &mut f);
    check_health(&mut c, &spec, &mut f);
    let checks = t.elapsed();
    let (rss_mib, rss_each) = c.rss();
    let pids = c.pids();
    let t = Instant::now();
    drop(c);
    let teardown = t.elapsed();
    let m = Measured {
        fixture: name,
        osds: osd_of_host.len(),
        bring_up,
        ceph_ansible,
        pools_playbook,
        settle: settle_time,
        checks,
        teardown,
        total: t0.elapsed(),
        rss_mib,
        peak_mib,
        rss_each,
    };
    let left: Vec<u32> = pids
        .into_iter()
        .filter(|p| {
            let comm = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
            comm.starts_with("ceph-")
        })
        .collect();
    f.check(left.is_empty(), || {
        format!("daemons left running after teardown: {left:?}")
    });
    Ok((f, m))
}

fn tail(bytes: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn mds_active(c: &Cluster, fs: &str) -> usize {
    c.ceph_json(&["fs", "get", fs]).map_or(0, |v| {
        v["mdsmap"]["info"].as_object().map_or(0, |m| {
            m.values().filter(|i| i["state"] == "up:active").count()
        })
    })
}

/// Waits until every pool has pg_num = pgp_num = its target and every PG is active+clean, for
/// two autoscaler intervals in a row.
fn settle(c: &mut Cluster, secs: u64) -> Result<(), String> {
    let mut stable_since: Option<Instant> = None;
    let mut last = String::new();
    c.wait_for("pools settled, PGs active+clean", secs, |c| {
        let Ok(pools) = c.ceph_json(&["osd", "pool", "ls", "detail"]) else {
            return false;
        };
        let Ok(pg) = c.ceph_json(&["pg", "stat"]) else {
            return false;
        };
        let Ok(status) = c.ceph_json(&["osd", "pool", "autoscale-status"]) else {
            return false;
        };
        let decided = status
            .as_array()
            .into_iter()
            .flatten()
            .all(|p| p["would_adjust"] == false);
        let state: Vec<String> = pools
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                format!(
                    "{}:{}/{}/{}",
                    p["pool_name"], p["pg_num"], p["pg_placement_num"], p["pg_num_target"]
                )
            })
            .collect();
        let at_target = pools.as_array().into_iter().flatten().all(|p| {
            p["pg_num"] == p["pg_num_target"]
                && p["pg_placement_num"] == p["pg_placement_num_target"]
                && p["pg_num"] == p["pg_placement_num"]
        });
        let s = pg.get("pg_summary").unwrap_or(&pg);
        let total = s["num_pgs"].as_u64().unwrap_or(0);
        let clean: u64 = s["num_pg_by_state"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|x| x["name"] == "active+clean")
            .map(|x| x["num"].as_u64().unwrap_or(0))
            .sum();
        let now = state.join(" ");
        if !(decided && at_target && total > 0 && clean == total) || now != last {
            last = now;
            stable_since = None;
            return false;
        }
        let since = *stable_since.get_or_insert_with(Instant::now);
        since.elapsed() > Duration::from_secs(2 * AUTOSCALE_SECS + 1)
    })
}

/// Records every change of the pools' PG numbers and flags, every 2 s, from a thread.
struct Watch {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// The daemons' largest total RSS seen, MiB.
    peak: std::sync::Arc<std::sync::Mutex<u64>>,
    started: Instant,
    handle: std::thread::JoinHandle<()>,
}

impl Watch {
    fn start(cli: cluster::Cli, pids: Vec<u32>) -> Watch {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let started = Instant::now();
        let peak = std::sync::Arc::new(std::sync::Mutex::new(0));
        let (s, l, p) = (stop.clone(), lines.clone(), peak.clone());
        let handle = std::thread::spawn(move || {
            let mut last: BTreeMap<String, String> = BTreeMap::new();
            let mut peak = 0;
            while !s.load(std::sync::atomic::Ordering::Relaxed) {
                let total: u64 = pids.iter().map(|p| cluster::rss_kib(*p)).sum();
                if total > peak {
                    peak = total;
                    *p.lock().unwrap() = peak / 1024;
                }
                if let Ok(pools) = cli.ceph_json(&["osd", "pool", "ls", "detail"]) {
                    for p in pools.as_array().into_iter().flatten() {
                        let name = scalar(&p["pool_name"]);
                        let now = format!(
                            "{}/{}/{} {}",
                            p["pg_num"],
                            p["pg_placement_num"],
                            p["pg_num_target"],
                            scalar(&p["flags_names"])
                        );
                        if last.get(&name) != Some(&now) {
                            l.lock().unwrap().push(format!(
                                "{:5.1}s {name} {now}",
                                started.elapsed().as_secs_f64()
                            ));
                            last.insert(name, now);
                        }
                    }
                }
                std::thread::sleep(Duration::from_secs(2));
            }
        });
        Watch {
            stop,
            lines,
            peak,
            started,
            handle,
        }
    }

    fn mark(&self, what: &str) {
        self.lines.lock().unwrap().push(format!(
            "{:5.1}s -- {what}",
            self.started.elapsed().as_secs_f64()
        ));
    }

    /// Stops; the timeline and the peak RSS in MiB.
    fn stop(self) -> (Vec<String>, u64) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = self.handle.join();
        let peak = *self.peak.lock().unwrap();
        (std::mem::take(&mut *self.lines.lock().unwrap()), peak)
    }
}

fn pool_get(c: &Cluster, pool: &str, key: &str) -> Result<Value, String> {
    c.ceph_json(&["osd", "pool", "get", pool, key])
        .map(|v| v[key].clone())
}

fn check_pools(
    c: &Cluster,
    inv: &Inventory,
    plan: &cephspray::plan::Plan,
    timeline: &[String],
    f: &mut Findings,
) {
    let detail = match c.ceph_json(&["osd", "pool", "ls", "detail"]) {
        Ok(v) => v,
        Err(e) => return f.check(false, || e),
    };
    let rules: BTreeMap<i64, String> = c
        .ceph_json(&["osd", "crush", "rule", "dump"])
        .map(|v| {
            v.as_array()
                .into_iter()
                .flatten()
                .map(|r| (r["rule_id"].as_i64().unwrap(), scalar(&r["rule_name"])))
                .collect()
        })
        .unwrap_or_default();
    let on_cluster: BTreeMap<String, &Value> = detail
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| (scalar(&p["pool_name"]), p))
        .collect();
    let rendered = inv.pools();
    let rendered_names: BTreeSet<String> = rendered.iter().map(|p| scalar(&p["name"])).collect();
    let plan_names: BTreeSet<String> = plan.ceph.pools.iter().map(|p| p.name.clone()).collect();
    f.eq("pools rendered vs spec", &rendered_names, &plan_names);
    let extra: Vec<&String> = on_cluster
        .keys()
        .filter(|n| !plan_names.contains(*n) && !CEPH_OWN_POOLS.contains(&n.as_str()))
        .collect();
    f.check(extra.is_empty(), || {
        format!("pools nobody asked for: {extra:?}")
    });
    let settings = inv.pool_settings();
    let status = c
        .ceph_json(&["osd", "pool", "autoscale-status"])
        .unwrap_or(Value::Null);
    for want in &plan.ceph.pools {
        let name = want.name.as_str();
        let Some(p) = on_cluster.get(name) else {
            f.check(false, || format!("pool {name} missing"));
            continue;
        };
        let r = rendered
            .iter()
            .find(|r| r["name"] == name)
            .cloned()
            .unwrap_or(Value::Null);
        f.eq(
            &format!("{name} size (spec)"),
            p["size"].as_u64(),
            Some(u64::from(want.size)),
        );
        f.eq(
            &format!("{name} size (inventory)"),
            p["size"].as_u64(),
            r["size"].as_u64(),
        );
        f.eq(
            &format!("{name} min_size (spec)"),
            p["min_size"].as_u64(),
            Some(u64::from(want.min_size)),
        );
        f.eq(
            &format!("{name} min_size (inventory)"),
            p["min_size"].as_u64(),
            r["min_size"].as_u64(),
        );
        f.eq(
            &format!("{name} CRUSH rule"),
            rules
                .get(&p["crush_rule"].as_i64().unwrap_or(-1))
                .map(String::as_str),
            Some("replicated_rule"),
        );
        let apps: Vec<&String> = p["application_metadata"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        f.eq(
            &format!("{name} applications"),
            apps,
            vec![&want.application.to_owned()],
        );
        let mode = scalar(&p["pg_autoscale_mode"]);
        match want.pg {
            cephspray::plan::PoolPg::Fixed { pg_num } => {
                f.eq(
                    &format!("{name} autoscale mode (fixed)"),
                    mode.as_str(),
                    "off",
                );
                f.eq(
                    &format!("{name} pg_num (plan)"),
                    p["pg_num"].as_u64(),
                    Some(u64::from(pg_num)),
                );
                f.eq(
                    &format!("{name} pg_num (inventory)"),
                    p["pg_num"].as_u64(),
                    r["pg_num"].as_u64(),
                );
                f.eq(
                    &format!("{name} pgp_num (inventory)"),
                    p["pg_placement_num"].as_u64(),
                    r["pgp_num"].as_u64(),
                );
            }
            cephspray::plan::PoolPg::Autoscale {
                target_size_ratio,
                expected_pg_num,
                ..
            } => {
                f.eq(&format!("{name} autoscale mode"), mode.as_str(), "on");
                let ratio = p["options"]["target_size_ratio"].as_f64();
                f.check(
                    match (ratio, target_size_ratio) {
                        // Ceph keeps it as a 32-bit float: 0.6 reads back 0.6000000238.
                        (Some(a), Some(b)) => (a - b).abs() < 1e-6,
                        (None, None) => true,
                        _ => false,
                    },
                    || format!("{name} target_size_ratio: cluster {ratio:?}, plan {target_size_ratio:?}"),
                );
                let s = status
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|s| s["pool_name"] == name);
                let target = plan
                    .ceph
                    .pg_report
                    .pools
                    .iter()
                    .find(|r| r.name == name)
                    .and_then(|r| r.target_pg_num);
                let final_pg = s.and_then(|s| s["pg_num_final"].as_u64());
                let status_text = s
                    .map(|s| {
                        format!(
                            "pg_num_ideal {} pg_num_final {} effective_target_ratio {} bias {} bulk {}",
                            s["pg_num_ideal"], s["pg_num_final"], s["effective_target_ratio"], s["bias"], s["bulk"]
                        )
                    })
                    .unwrap_or_default();
                // The target with every pool and flag in place does not depend on timing.
                f.check(final_pg == target.map(u64::from), || {
                    format!(
                        "{name}: the autoscaler's target is {final_pg:?}, the plan's {target:?} ({status_text})"
                    )
                });
                // Where the pool settles does: the autoscaler sizes pools as ceph-ansible creates
                // them, one role after another, and moves a pool only when its target is more
                // than 3x away.
                if p["pg_num"].as_u64() != Some(u64::from(expected_pg_num)) {
                    let history: Vec<&str> = timeline
                        .iter()
                        .filter(|l| l.contains(&format!(" {name} ")) || l.contains(" -- "))
                        .map(|l| l.trim())
                        .collect();
                    f.note(format!(
                        "{name}: settled on pg_num {} where the plan (inventory README) expects {expected_pg_num}; {status_text}; history (pg_num/pgp_num/target flags): {}",
                        p["pg_num"],
                        history.join(", ")
                    ));
                }
            }
        }
        let flags = scalar(&p["flags_names"]);
        let bulk = flags.split(',').any(|f| f == "bulk");
        f.eq(&format!("{name} bulk (plan)"), bulk, want.bulk);
        for (pool, key, value) in settings.iter().filter(|s| s.0 == name) {
            let got = match key.as_str() {
                "min_size" => Ok(scalar(&p["min_size"])),
                "bulk" => Ok(bulk.to_string()),
                _ => pool_get(c, pool, key).map(|v| scalar(&v)),
            };
            f.eq(
                &format!("{pool} {key} (playbooks/ceph-pools.yml)"),
                got,
                Ok(value.clone()),
            );
        }
    }
}

/// The cluster ran with what ceph-ansible would have set: its ceph.conf template's [global] for
/// the first monitor (fsid, pool defaults, ceph_conf_overrides) and what ceph-mon puts in the
/// configuration database (ceph_cluster_conf), both written by the runner.
fn check_config(out_dir: &Path, mon0: &str, shape: &Shape, f: &mut Findings) {
    let ours = |key: &str| {
        shape
            .conf
            .iter()
            .find(|(s, k, _)| s == "global" && k == key)
            .map(|(_, _, v)| v.clone())
    };
    let conf = out_dir.join(mon0).join("ceph.conf");
    let Ok(text) = std::fs::read_to_string(&conf) else {
        return f.check(false, || format!("the runner wrote no {}", conf.display()));
    };
    let mut section = String::new();
    for line in text.lines().map(str::trim) {
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = s.to_owned();
            continue;
        }
        let Some((key, value)) = line.split_once(" = ") else {
            continue;
        };
        let key = key.trim().replace(' ', "_");
        let value = value.trim().to_owned();
        if section != "global" {
            continue;
        }
        match key.as_str() {
            "fsid" => f.eq("fsid (ceph-ansible's ceph.conf)", &shape.fsid, &value),
            "mon_host" => {
                let first = format!("[v2:{a}:3300,v1:{a}:6789]", a = shape.mon_addr);
                f.check(value.starts_with(&first), || {
                    format!("ceph-ansible's mon host {value} does not start with the test's monitor {first}")
                });
            }
            // config_template writes YAML booleans as Python does (`False`); Ceph reads
            // booleans case-insensitively (strict_strtob).
            _ => f.eq(
                &format!("{key} (ceph-ansible's ceph.conf)"),
                ours(&key).map(|v| conf_bool(&v)),
                Some(conf_bool(&value)),
            ),
        }
    }
    let db = out_dir.join(mon0).join("mon-config-db.json");
    if let Ok(text) = std::fs::read_to_string(&db) {
        let v: Value = serde_json::from_str(&text).unwrap();
        for (key, value) in v.as_object().into_iter().flatten() {
            f.eq(
                &format!("{key} (ceph-ansible's configuration database)"),
                ours(key),
                Some(scalar(value)),
            );
        }
    } else {
        f.check(false, || format!("the runner wrote no {}", db.display()));
    }
}

/// A ceph.conf value with booleans spelled one way (Ceph compares them case-insensitively).
fn conf_bool(value: &str) -> String {
    match value.to_ascii_lowercase().as_str() {
        b @ ("true" | "false") => b.to_owned(),
        _ => value.to_owned(),
    }
}

/// An item's ancestors in `ceph osd tree -f json`, type → name, as `osd find` reports them.
fn tree_location(tree: &Value, id: i64) -> BTreeMap<String, String> {
    let nodes: Vec<&Value> = tree["nodes"].as_array().into_iter().flatten().collect();
    let mut location = BTreeMap::new();
    let mut child = id;
    while let Some(parent) = nodes.iter().find(|n| {
        n["children"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c.as_i64() == Some(child)))
    }) {
        location.insert(scalar(&parent["type"]), scalar(&parent["name"]));
        child = parent["id"].as_i64().unwrap();
    }
    location
}

/// type → name from the root down, as `ceph osd find` reports a location.
fn location_of(hv: &Value) -> BTreeMap<String, String> {
    hv.as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), scalar(v)))
        .collect()
}

fn check_crush(
    c: &Cluster,
    inv: &Inventory,
    spec: &cephspray::spec::Spec,
    osd_ids: &BTreeMap<String, Vec<usize>>,
    f: &mut Findings,
) {
    let tree = match c.ceph_json(&["osd", "tree"]) {
        Ok(t) => t,
        Err(e) => return f.check(false, || e),
    };
    for (host, ids) in osd_ids {
        let node = spec.nodes.iter().find(|n| &n.name == host).unwrap();
        // What the spec says: its crush levels, root default unless given, host = short name.
        let mut from_spec = location_of(&serde_json::to_value(&node.crush).unwrap());
        from_spec.retain(|_, v| v != "null");
        from_spec
            .entry("root".into())
            .or_insert_with(|| "default".into());
        from_spec.insert("host".into(), short(host));
        let rendered = inv
            .host_vars(host)
            .get("osd_crush_location")
            .map(location_of);
        if let Some(r) = &rendered {
            f.eq(
                &format!("{host}: osd_crush_location vs spec"),
                r,
                &from_spec,
            );
        } else {
            let bare = BTreeMap::from([
                ("root".to_owned(), "default".to_owned()),
                ("host".to_owned(), short(host)),
            ]);
            f.eq(
                &format!("{host}: no osd_crush_location although the spec places it"),
                &bare,
                &from_spec,
            );
        }
        for (n, id) in ids.iter().enumerate() {
            // `osd find` for the host's first OSD; the tree (one call) for every OSD.
            if n == 0 {
                match c.ceph_json(&["osd", "find", &id.to_string()]) {
                    Ok(v) => f.eq(
                        &format!("osd.{id} on {host}: CRUSH location (osd find)"),
                        &location_of(&v["crush_location"]),
                        &from_spec,
                    ),
                    Err(e) => f.check(false, || e),
                }
            }
            f.eq(
                &format!("osd.{id} on {host}: CRUSH location (osd tree)"),
                &tree_location(&tree, *id as i64),
                &from_spec,
            );
        }
    }
    // Nothing left over: every bucket holds an OSD, no OSD outside the tree.
    {
        let nodes: BTreeMap<i64, &Value> = tree["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|n| (n["id"].as_i64().unwrap(), n))
            .collect();
        fn holds_osd(nodes: &BTreeMap<i64, &Value>, id: i64) -> bool {
            id >= 0
                || nodes[&id]["children"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| holds_osd(nodes, c.as_i64().unwrap()))
        }
        let empty: Vec<String> = nodes
            .iter()
            .filter(|(id, _)| **id < 0 && !holds_osd(&nodes, **id))
            .map(|(_, n)| {
                format!(
                    "{} {}",
                    n["type"].as_str().unwrap_or("?"),
                    n["name"].as_str().unwrap_or("?")
                )
            })
            .collect();
        f.check(empty.is_empty(), || {
            format!("empty CRUSH buckets left: {empty:?}")
        });
        let stray = tree["stray"].as_array().map_or(0, Vec::len);
        f.eq("OSDs outside the CRUSH tree", stray, 0);
    }
}

fn check_users(
    c: &Cluster,
    inv: &Inventory,
    plan: &cephspray::plan::Plan,
    out_dir: &Path,
    f: &mut Findings,
) {
    let keys: Vec<Value> = inv.clients["keys"].as_array().cloned().unwrap_or_default();
    let rendered: BTreeSet<String> = keys.iter().map(|k| scalar(&k["name"])).collect();
    let planned: BTreeSet<String> = plan
        .ceph
        .csi_users
        .iter()
        .map(|u| u.client.clone())
        .collect();
    f.eq("cephx users rendered vs plan", &rendered, &planned);
    let Ok(dump) = c.ceph_json(&["auth", "ls"]) else {
        return f.check(false, || "ceph auth ls failed".into());
    };
    let clients: BTreeSet<String> = dump["auth_dump"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| scalar(&e["entity"]))
        .filter(|e| {
            e.starts_with("client.") && e != "client.admin" && !e.starts_with("client.bootstrap-")
        })
        .collect();
    f.eq(
        "client users on the cluster (besides admin)",
        &clients,
        &rendered,
    );
    for k in &keys {
        let name = scalar(&k["name"]);
        let got = match c.ceph_json(&["auth", "get", &name]) {
            Ok(v) => v[0].clone(),
            Err(e) => {
                f.check(false, || e);
                continue;
            }
        };
        let caps: BTreeMap<String, String> = location_of(&got["caps"]);
        f.eq(
            &format!("{name} caps (inventory)"),
            &caps,
            &location_of(&k["caps"]),
        );
        if let Some(u) = plan.ceph.csi_users.iter().find(|u| u.client == name) {
            let planned: BTreeMap<String, String> = u
                .caps
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect();
            f.eq(&format!("{name} caps (plan)"), &caps, &planned);
        }
        let vault = inv.resolve(&scalar(&k["key"]));
        // The keyring ceph_key wrote where ceph-ansible keeps it (the runner's key directory).
        let file = out_dir.join("keys").join(format!("ceph.{name}.keyring"));
        let written = std::fs::read_to_string(&file).ok().and_then(|t| {
            t.lines()
                .find_map(|l| l.trim().strip_prefix("key = ").map(str::to_owned))
        });
        f.eq(
            &format!("{name} key in {}", file.display()),
            written,
            vault.clone(),
        );
        f.check(vault.is_some(), || {
            format!("{name}: key {} not in the vault", k["key"])
        });
        f.eq(
            &format!("{name} key (vault)"),
            got["key"].as_str().map(str::to_owned),
            vault,
        );
    }
}

fn check_filesystem(c: &Cluster, inv: &Inventory, plan: &cephspray::plan::Plan, f: &mut Findings) {
    let Ok(list) = c.ceph_json(&["fs", "ls"]) else {
        return f.check(false, || "ceph fs ls failed".into());
    };
    let got: Vec<(String, String, Vec<String>)> = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|fs| {
            (
                scalar(&fs["name"]),
                scalar(&fs["metadata_pool"]),
                fs["data_pools"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(scalar)
                    .collect(),
            )
        })
        .collect();
    let want: Vec<(String, String, Vec<String>)> = plan
        .ceph
        .cephfs
        .iter()
        .map(|fs| {
            (
                fs.name.clone(),
                fs.metadata_pool.name.clone(),
                vec![fs.data_pool.name.clone()],
            )
        })
        .collect();
    f.eq("filesystems (plan)", &got, &want);
    if let Some(fs) = inv.all.get("cephfs").map(scalar) {
        let rendered = vec![(
            fs.clone(),
            scalar(&inv.all["cephfs_metadata_pool"]["name"]),
            vec![scalar(&inv.all["cephfs_data_pool"]["name"])],
        )];
        f.eq("filesystems (inventory)", &got, &rendered);
        let map = c.ceph_json(&["fs", "get", &fs]);
        let active = map.as_ref().map_or(0, |v| {
            v["mdsmap"]["info"].as_object().map_or(0, |m| {
                m.values().filter(|i| i["state"] == "up:active").count()
            })
        });
        f.eq(&format!("{fs}: active MDS"), active, 1);
        let max_mds = map.map(|v| v["mdsmap"]["max_mds"].as_u64());
        f.eq(
            &format!("{fs}: max_mds (ceph-ansible's mds_max_mds)"),
            max_mds,
            Ok(Some(1)),
        );
    }
}

/// The ceph-csi values: the monitors answer for the fsid, and each CSI user, with the key from
/// the vault, can do what its driver does (a subvolume group and subvolume; an RBD image).
fn check_csi(c: &Cluster, inv: &Inventory, mon_addr: &Ipv4Addr, f: &mut Findings) {
    let fsid = c.ceph(&["fsid"]).map(|s| s.trim().to_owned());
    let mut snapshotted = 0;
    for (file, user) in [
        ("ceph-csi/ceph-csi-cephfs-values.yml", "adminID"),
        ("ceph-csi/ceph-csi-rbd-values.yml", "userID"),
    ] {
        let Some(text) = inv.tree.get(file) else {
            continue;
        };
        let v = yaml(text);
        let cfg = &v["csiConfig"][0];
        f.eq(
            &format!("{file} clusterID vs cluster fsid"),
            Ok(scalar(&cfg["clusterID"])),
            fsid.clone(),
        );
        let mon = cfg["monitors"][0].as_str().unwrap_or("").to_owned();
        f.eq(
            &format!("{file} first monitor"),
            mon.as_str(),
            format!("{mon_addr}:6789").as_str(),
        );
        let id = scalar(&v["secret"][user]);
        let client = format!("client.{id}");
        let key = inv.clients["keys"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|k| k["name"] == client.as_str())
            .and_then(|k| inv.resolve(&scalar(&k["key"])));
        let Some(key) = key else {
            f.check(false, || {
                format!("{file}: {client} has no key in the inventory")
            });
            continue;
        };
        let keyring = c.path().join(format!("{client}.keyring"));
        std::fs::write(&keyring, format!("[{client}]\n\tkey = {key}\n")).unwrap();
        let k = keyring.display().to_string();
        let as_user = |program: &str, args: &[&str]| {
            let mut all = vec!["-n", client.as_str(), "-k", k.as_str(), "-m", mon.as_str()];
            all.extend_from_slice(args);
            c.run(90, program, &all)
        };
        if file.contains("cephfs") {
            let fs = scalar(&v["storageClass"]["fsName"]);
            let group = v["csiConfig"][0]["cephFS"]["subvolumeGroup"]
                .as_str()
                .unwrap_or("csi")
                .to_owned();
            let r = as_user(
                "ceph",
                &[
                    "--connect-timeout",
                    "15",
                    "fs",
                    "subvolumegroup",
                    "create",
                    &fs,
                    &group,
                ],
            );
            f.check(r.is_ok(), || format!("{client} (vault key, {mon}) cannot create subvolume group {group} in {fs}: {r:?}"));
            let r = as_user(
                "ceph",
                &[
                    "--connect-timeout",
                    "15",
                    "fs",
                    "subvolume",
                    "create",
                    &fs,
                    "csi-vol-test",
                    "--group_name",
                    &group,
                    "--size",
                    "1048576",
                ],
            );
            f.check(r.is_ok(), || {
                format!("{client} cannot create a subvolume in {fs}/{group}: {r:?}")
            });
            if let Some(class) = snapshot_class(inv, &v, fsid.as_ref().ok(), &client, f) {
                snapshotted += 1;
                // What ceph-csi does for a VolumeSnapshot of this class, and for a claim made
                // from it: a subvolume snapshot, cloned into a new subvolume.
                let ceph = |args: &[&str]| {
                    let mut all = vec!["--connect-timeout", "15", "fs"];
                    all.extend_from_slice(args);
                    as_user("ceph", &all)
                };
                let group_arg = ["--group_name", group.as_str()];
                let snap = [
                    &[
                        "subvolume",
                        "snapshot",
                        "create",
                        &fs,
                        "csi-vol-test",
                        "csi-snap-test",
                    ][..],
                    &group_arg,
                ]
                .concat();
                let r = ceph(&snap);
                f.check(r.is_ok(), || {
                    format!("{client} cannot snapshot a subvolume ({class}): {r:?}")
                });
                let clone = [
                    &[
                        "subvolume",
                        "snapshot",
                        "clone",
                        &fs,
                        "csi-vol-test",
                        "csi-snap-test",
                        "csi-vol-restored",
                    ][..],
                    &group_arg,
                    &["--target_group_name", group.as_str()],
                ]
                .concat();
                let r = ceph(&clone);
                f.check(r.is_ok(), || {
                    format!("{client} cannot clone a subvolume snapshot ({class}): {r:?}")
                });
                let status = [
                    &["clone", "status", &fs, "csi-vol-restored"][..],
                    &group_arg,
                ]
                .concat();
                let deadline = Instant::now() + Duration::from_secs(60);
                let done = loop {
                    if ceph(&status).is_ok_and(|out| out.contains("complete")) {
                        break true;
                    }
                    if Instant::now() > deadline {
                        break false;
                    }
                    std::thread::sleep(Duration::from_millis(500));
                };
                f.check(done, || {
                    format!("{client}: the clone of csi-snap-test ({class}) never completed")
                });
            }
        } else {
            let pool = scalar(&v["storageClass"]["pool"]);
            let r = as_user(
                "rbd",
                &["-p", &pool, "create", "csi-vol-test", "--size", "16"],
            );
            f.check(r.is_ok(), || {
                format!("{client} (vault key, {mon}) cannot create an RBD image in {pool}: {r:?}")
            });
            if let Some(class) = snapshot_class(inv, &v, fsid.as_ref().ok(), &client, f) {
                snapshotted += 1;
                // What ceph-csi does for a VolumeSnapshot of this class, and for a claim made
                // from it: an image snapshot, cloned into a new image.
                let image = format!("{pool}/csi-vol-test@csi-snap-test");
                let r = as_user("rbd", &["snap", "create", &image]);
                f.check(r.is_ok(), || {
                    format!("{client} cannot snapshot an RBD image ({class}): {r:?}")
                });
                let r = as_user(
                    "rbd",
                    &[
                        "clone",
                        "--rbd-default-clone-format",
                        "2",
                        &image,
                        &format!("{pool}/csi-vol-restored"),
                    ],
                );
                f.check(r.is_ok(), || {
                    format!("{client} cannot clone an RBD snapshot ({class}): {r:?}")
                });
            }
        }
    }
    let classes = inv
        .tree
        .get("ceph-csi/snapshot-classes.yml")
        .map_or(0, |text| {
            text.matches("\nkind: VolumeSnapshotClass\n").count()
        });
    f.eq(
        "snapshot classes tried against the cluster",
        snapshotted,
        classes,
    );
}

/// The VolumeSnapshotClass the inventory has for the driver of a ceph-csi values file, checked
/// against the values (the same cluster, the chart's Secret in its release's namespace): its
/// name, if there is one.
fn snapshot_class(
    inv: &Inventory,
    values: &Value,
    fsid: Option<&String>,
    client: &str,
    f: &mut Findings,
) -> Option<String> {
    let text = inv.tree.get("ceph-csi/snapshot-classes.yml")?;
    let class = text
        .split("\n---\n")
        .skip(1)
        .map(yaml)
        .find(|c| c["driver"] == values["driverName"])?;
    let name = scalar(&class["metadata"]["name"]);
    let p = &class["parameters"];
    f.eq(
        &format!("snapshot class {name}: clusterID vs cluster fsid"),
        Some(scalar(&p["clusterID"])).as_ref(),
        fsid,
    );
    f.eq(
        &format!("snapshot class {name}: the snapshotter's Secret ({client})"),
        scalar(&p["csi.storage.k8s.io/snapshotter-secret-name"]),
        scalar(&values["secret"]["name"]),
    );
    Some(name)
}

fn check_health(c: &mut Cluster, spec: &cephspray::spec::Spec, f: &mut Findings) {
    let _ = spec;
    let mut last = Value::Null;
    let ok = c.wait_for("HEALTH_OK", 10, |c| {
        last = c.ceph_json(&["health", "detail"]).unwrap_or(Value::Null);
        last["status"] == "HEALTH_OK"
    });
    f.check(ok.is_ok(), || {
        let checks: Vec<String> = last["checks"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                format!(
                    "{k}: {} [{}]",
                    v["summary"]["message"],
                    v["detail"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|d| scalar(&d["message"]))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })
            .collect();
        format!("health {}: {}", last["status"], checks.join(" | "))
    });
}
