//! The scheduled etcd snapshots of `kubernetes.addons.etcd_backup`, proven against a real etcd:
//! render a one-node spec with them on, run the inventory's `playbooks/etcd-backup.yml` with
//! real Ansible (local connection, files under a root of the test's, systemd left alone), start
//! Debian's etcd in a network namespace on the node's private address with TLS and client
//! certificates laid out as kubespray lays them out (`/etc/ssl/etcd/ssl` under the root:
//! `ca.pem`, `admin-<node>.pem`, `admin-<node>-key.pem`; etcdctl in `/usr/local/bin`), then run
//! the installed script as the service's `ExecStart` does, and check what it leaves: a snapshot
//! that `snapshot status` accepts, files 0600 in a 0700 directory, the newest `keep` kept after
//! `keep + 2` runs, nothing kept when etcd is down, and a snapshot that restores (`snapshot
//! restore`, a second etcd started on it) with the key written before it and without the one
//! written after. A second playbook run changes nothing, and `systemd-analyze verify` accepts
//! the service and the timer the playbook wrote. docs/backups.md.
//!
//! Needs root (the network namespace), iproute2, etcd and etcdctl (Debian's `etcd-server` and
//! `etcd-client`), openssl, systemd-analyze and the Ansible venv (scripts/setup-upstream.sh).
//! Without them it prints SKIPPED and passes; with `CI=true` it fails naming what is missing.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The node (every role) and its private address, where etcd listens as kubespray's would.
const NODE: &str = "lab1";
const ADDRESS: &str = "10.0.0.10";

/// Snapshots kept.
const KEEP: usize = 3;

/// The spec: single-node-lab's cluster with the snapshots on, every setting but the directory
/// (the default, /var/backups/etcd) written.
const SPEC: &str = r#"
cluster:
  name: backup-lab
network:
  private: 10.0.0.0/24
nodes:
  - name: lab1
    address: 10.0.0.10
    disks:
      - { device: /dev/vdb, size: 100GiB }
      - { device: /dev/vdc, size: 100GiB }
      - { device: /dev/vdd, size: 100GiB }
ceph:
  size: 1
  min_size: 1
  pools:
    - { name: cephfs_data, application: cephfs, share: 90 }
    - { name: cephfs_metadata, application: cephfs, share: 10 }
  cephfs: { data_pool: cephfs_data, metadata_pool: cephfs_metadata }
kubernetes:
  addons:
    etcd_backup: { schedule: "*-*-* 03:00:00", keep: 3 }
"#;

/// Where the snapshots go (the spec's default).
const DIRECTORY: &str = "var/backups/etcd";

/// kubespray's etcd_cert_dir, under the root.
const CERT_DIR: &str = "etc/ssl/etcd/ssl";

/// What the test runs that the machine must have.
fn missing_tools() -> Vec<String> {
    let mut missing: Vec<String> = ["ip", "etcd", "etcdctl", "openssl", "systemd-analyze"]
        .into_iter()
        .filter(|t| common::which(t).is_none())
        .map(|t| format!("`{t}`"))
        .collect();
    if common::effective_uid() != "0" {
        missing.push("root (for a network namespace)".to_owned());
    }
    missing
}

/// A network namespace with the node's private address on its loopback interface.
struct Netns(String);

impl Netns {
    fn new() -> Netns {
        let name = format!("cephspray-etcd-{}", std::process::id());
        let _ = Command::new("ip").args(["netns", "del", &name]).output();
        ok(Command::new("ip").args(["netns", "add", &name]));
        let ns = Netns(name);
        ok(Command::new("ip").args(["-n", &ns.0, "link", "set", "lo", "up"]));
        ok(Command::new("ip").args([
            "-n",
            &ns.0,
            "addr",
            "add",
            &format!("{ADDRESS}/32"),
            "dev",
            "lo",
        ]));
        ns
    }

    /// `program args…` inside the namespace.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.0]).arg(program);
        c.stdin(Stdio::null());
        c
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).output();
    }
}

/// A running etcd, killed when dropped.
struct Etcd(Child);

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs a command; its output, after asserting it succeeded.
fn ok(c: &mut Command) -> Output {
    let out = c.output().unwrap_or_else(|e| panic!("{c:?}: {e}"));
    assert!(
        out.status.success(),
        "{c:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A CA, etcd's server certificate for the node's address and kubespray's admin client
/// certificate for the node, in `dir`.
fn certificates(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let openssl = |args: &[&str]| ok(Command::new("openssl").args(args).current_dir(dir));
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca-key.pem",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=cephspray test etcd CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        ]
        .concat(),
    );
    let member = format!(
        "subjectAltName=IP:{ADDRESS},IP:127.0.0.1\nkeyUsage=critical,digitalSignature\n\
         extendedKeyUsage=serverAuth,clientAuth\n"
    );
    let admin = "keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n".to_owned();
    for (serial, (name, ext)) in [
        (format!("member-{NODE}"), member),
        (format!("admin-{NODE}"), admin),
    ]
    .into_iter()
    .enumerate()
    {
        std::fs::write(dir.join(format!("{name}.ext")), ext).unwrap();
        openssl(
            &[
                &["req", "-new"][..],
                &ec,
                &[
                    "-keyout",
                    &format!("{name}-key.pem"),
                    "-out",
                    &format!("{name}.csr"),
                    "-subj",
                    &format!("/CN={name}"),
                ],
            ]
            .concat(),
        );
        openssl(&[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca-key.pem",
            "-set_serial",
            &(serial + 2).to_string(),
            "-days",
            "2",
            "-out",
            &format!("{name}.pem"),
            "-extfile",
            &format!("{name}.ext"),
        ]);
    }
}

/// etcdctl inside the namespace, as kubespray's admin, against `endpoint`.
fn etcdctl(ns: &Netns, certs: &Path, endpoint: &str) -> Command {
    let mut c = ns.command("etcdctl");
    c.env("ETCDCTL_API", "3")
        .arg("--endpoints")
        .arg(endpoint)
        .arg("--cacert")
        .arg(certs.join("ca.pem"))
        .arg("--cert")
        .arg(certs.join(format!("admin-{NODE}.pem")))
        .arg("--key")
        .arg(certs.join(format!("admin-{NODE}-key.pem")));
    c
}

/// Starts etcd inside the namespace with `args`, its log in `log`, and waits until `health`
/// succeeds.
fn start_etcd(ns: &Netns, args: &[String], log: &Path, mut health: Command) -> Etcd {
    let out = std::fs::File::create(log).unwrap();
    let child = ns
        .command("etcd")
        .args(args)
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .expect("etcd");
    let etcd = Etcd(child);
    let t0 = Instant::now();
    loop {
        if health.output().is_ok_and(|o| o.status.success()) {
            return etcd;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "etcd did not become healthy in 20 s:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The snapshot files of the directory, sorted; panics on anything else in it (a temporary
/// file left behind).
fn snapshots(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in &names {
        assert!(
            name.starts_with("etcd-") && name.ends_with(".db"),
            "{}: {name} is not a snapshot (a temporary file left behind?): {names:?}",
            dir.display()
        );
    }
    names
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// The `changed` and `failed` counts of the node in a run's PLAY RECAP.
fn recap(output: &str) -> (u32, u32) {
    let tail = output
        .split_once("PLAY RECAP")
        .unwrap_or_else(|| panic!("no PLAY RECAP:\n{output}"))
        .1;
    let line = tail
        .lines()
        .find(|l| l.split_whitespace().next() == Some(NODE))
        .unwrap_or_else(|| panic!("{NODE} is not in the PLAY RECAP:\n{output}"));
    let count = |key: &str| {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
            .unwrap_or_else(|| panic!("no {key}= in {line}"))
    };
    (count("changed"), count("failed") + count("unreachable"))
}

/// `ansible-playbook playbooks/etcd-backup.yml` on the node: local connection, files under
/// `root`, no systemd. Its output.
fn playbook(scratch: &Path, root: &Path, run: &str) -> String {
    let extra = [
        "ansible_connection=local".to_owned(),
        "ansible_become=false".to_owned(),
        "cephspray_services=false".to_owned(),
        // etcd down ends the script after 10 s instead of 15 min.
        "cephspray_etcd_backup_timeout=10".to_owned(),
        format!(
            "ansible_python_interpreter={}",
            common::ansible_tool("python3").display()
        ),
        format!("cephspray_root={}", root.display()),
    ];
    common::run_playbooks(
        scratch,
        run,
        120,
        &extra,
        None,
        &[scratch.join("inventory/playbooks/etcd-backup.yml")],
    )
}

/// `etcdutl snapshot status` where the machine has etcdutl (etcd 3.5 and later), else
/// `etcdctl snapshot status` (Debian bookworm's 3.4): the same choice as the script's.
fn snapshot_tool() -> (PathBuf, bool) {
    match common::which("etcdutl") {
        Some(etcdutl) => (etcdutl, true),
        None => (common::which("etcdctl").unwrap(), false),
    }
}

#[test]
fn scheduled_etcd_snapshots_restore_on_a_real_etcd() {
    let missing = missing_tools();
    if !common::require(
        missing.is_empty(),
        &format!("the etcd backup test's tools ({})", missing.join(", ")),
    ) {
        return;
    }
    if !common::require_ansible(&["ansible-playbook", "python3"]) {
        return;
    }
    let t0 = Instant::now();

    // The inventory.
    let scratch = tempfile::Builder::new()
        .prefix("cephspray-etcd-backup-")
        .tempdir()
        .unwrap();
    let s = scratch.path();
    let spec_path = s.join("spec.yaml");
    std::fs::write(&spec_path, SPEC).unwrap();
    let (spec, _) = cephspray::spec::load_file(&spec_path).unwrap();
    let inputs = cephspray::Inputs {
        vault_password: Some(common::VAULT_PASSWORD),
        ..cephspray::Inputs::new("tests/etcd_backup.rs")
    };
    let (tree, _) = cephspray::build(&spec, &inputs).unwrap();
    let readme = tree.get("README.md").unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    assert!(
        lines.windows(2).any(|w| w[0].ends_with(" cluster.yml")
            && w[1].ends_with(" <this directory>/playbooks/etcd-backup.yml")),
        "the README runs playbooks/etcd-backup.yml right after kubespray's cluster.yml:\n{readme}"
    );
    cephspray::output::write(&tree, &s.join("inventory"), false).unwrap();
    std::fs::write(s.join("vault-password"), common::VAULT_PASSWORD).unwrap();
    std::fs::write(s.join("ansible.cfg"), "[defaults]\n").unwrap();

    // The node as kubespray leaves it: its certificates, etcdctl (and etcdutl) in bin_dir.
    let root = s.join("root");
    let certs = root.join(CERT_DIR);
    certificates(&certs);
    let bin = root.join("usr/local/bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["etcdctl", "etcdutl"] {
        if let Some(path) = common::which(tool) {
            std::os::unix::fs::symlink(path, bin.join(tool)).unwrap();
        }
    }

    // etcd on the node's private address, with client certificates required, as kubespray's.
    let ns = Netns::new();
    let client = format!("https://{ADDRESS}:2379");
    let mut health = etcdctl(&ns, &certs, &client);
    health.arg("endpoint").arg("health");
    let pem = |name: &str| certs.join(name).display().to_string();
    let etcd = start_etcd(
        &ns,
        &[
            "--name".into(),
            NODE.into(),
            "--data-dir".into(),
            s.join("etcd-data").display().to_string(),
            "--listen-client-urls".into(),
            client.clone(),
            "--advertise-client-urls".into(),
            client.clone(),
            "--listen-peer-urls".into(),
            "http://127.0.0.1:2380".into(),
            "--initial-advertise-peer-urls".into(),
            "http://127.0.0.1:2380".into(),
            "--initial-cluster".into(),
            format!("{NODE}=http://127.0.0.1:2380"),
            "--cert-file".into(),
            pem(&format!("member-{NODE}.pem")),
            "--key-file".into(),
            pem(&format!("member-{NODE}-key.pem")),
            "--client-cert-auth".into(),
            "--trusted-ca-file".into(),
            pem("ca.pem"),
        ],
        &s.join("etcd.log"),
        health,
    );
    let token = format!("written-before-the-snapshot-{}", std::process::id());
    ok(etcdctl(&ns, &certs, &client).args(["put", "cephspray/before", &token]));

    // The playbook, twice.
    let first = playbook(s, &root, "first");
    let (changed, failed) = recap(&first);
    assert!(changed > 0 && failed == 0, "first run:\n{first}");
    let second = playbook(s, &root, "second");
    assert_eq!(
        recap(&second),
        (0, 0),
        "a second run changes nothing:\n{second}"
    );

    // What it installed.
    let directory = root.join(DIRECTORY);
    assert_eq!(mode(&directory), 0o700, "{}", directory.display());
    assert!(snapshots(&directory).is_empty());
    let units = root.join("etc/systemd/system");
    let service = std::fs::read_to_string(units.join("cephspray-etcd-backup.service")).unwrap();
    let timer = std::fs::read_to_string(units.join("cephspray-etcd-backup.timer")).unwrap();
    let timer_lines: Vec<&str> = timer.lines().collect();
    assert!(
        timer_lines.contains(&"OnCalendar=*-*-* 03:00:00")
            && timer_lines.contains(&"Persistent=true"),
        "{timer}"
    );
    let exec_start = service
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .unwrap_or_else(|| panic!("no ExecStart in the service:\n{service}"));
    assert_eq!(exec_start, "/usr/local/sbin/cephspray-etcd-backup");
    let script = root.join(exec_start.trim_start_matches('/'));
    assert_eq!(mode(&script), 0o755, "{}", script.display());

    // systemd reads both units as it would at boot, with the machine's own units around them
    // (`--root`: the script at ExecStart's path is the one the playbook installed).
    let system = root.join("usr/lib/systemd");
    std::fs::create_dir_all(&system).unwrap();
    ok(Command::new("cp")
        .arg("-a")
        .arg("/usr/lib/systemd/system")
        .arg(&system));
    let verify = ok(Command::new("systemd-analyze")
        .arg("verify")
        .arg(format!("--root={}", root.display()))
        .arg(units.join("cephspray-etcd-backup.service"))
        .arg(units.join("cephspray-etcd-backup.timer")));
    let said = String::from_utf8_lossy(&verify.stderr);
    assert!(
        !said.contains("cephspray-etcd-backup"),
        "systemd-analyze warns about the units: {said}"
    );

    // The service's ExecStart, inside the node's network namespace.
    let backup = || {
        ns.command("timeout")
            .args(["-k", "2", "60"])
            .arg(&script)
            .output()
            .unwrap()
    };
    let mut taken = Vec::new();
    let take = |taken: &mut Vec<String>| {
        let before = snapshots(&directory);
        let out = backup();
        assert!(
            out.status.success(),
            "{exec_start} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let after = snapshots(&directory);
        let new: Vec<&String> = after.iter().filter(|n| !before.contains(n)).collect();
        assert_eq!(new.len(), 1, "one new snapshot: {before:?} then {after:?}");
        taken.push(new[0].clone());
    };
    take(&mut taken);
    ok(etcdctl(&ns, &certs, &client).args(["put", "cephspray/after", "too-late"]));
    let first_snapshot = directory.join(&taken[0]);
    assert_eq!(mode(&directory), 0o700);
    assert_eq!(mode(&first_snapshot), 0o600, "{}", first_snapshot.display());
    let (tool, etcdutl) = snapshot_tool();
    let status = ok(Command::new(&tool)
        .env("ETCDCTL_API", "3")
        .args(["snapshot", "status", "--write-out=json"])
        .arg(&first_snapshot));
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert!(
        status["totalKey"].as_u64().is_some_and(|n| n > 0),
        "{} snapshot status: {status}",
        tool.display()
    );

    // The snapshot restores into an etcd that has the key written before it, and not the one
    // written after.
    let restored = s.join("restored");
    let peer = "http://127.0.0.1:2390";
    ok(Command::new(&tool)
        .env("ETCDCTL_API", "3")
        .args(["snapshot", "restore"])
        .arg(&first_snapshot)
        .arg("--data-dir")
        .arg(&restored)
        .args(["--name", "restored"])
        .args(["--initial-cluster", &format!("restored={peer}")])
        .args(["--initial-advertise-peer-urls", peer]));
    let plain = "http://127.0.0.1:2479";
    let mut health = ns.command("etcdctl");
    health.args(["--endpoints", plain, "endpoint", "health"]);
    let second_etcd = start_etcd(
        &ns,
        &[
            "--name".into(),
            "restored".into(),
            "--data-dir".into(),
            restored.display().to_string(),
            "--listen-client-urls".into(),
            plain.into(),
            "--advertise-client-urls".into(),
            plain.into(),
            "--listen-peer-urls".into(),
            peer.into(),
            "--initial-advertise-peer-urls".into(),
            peer.into(),
            "--initial-cluster".into(),
            format!("restored={peer}"),
        ],
        &s.join("etcd-restored.log"),
        health,
    );
    let get = |key: &str| {
        let out = ok(ns.command("etcdctl").args([
            "--endpoints",
            plain,
            "get",
            "--print-value-only",
            key,
        ]));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(get("cephspray/before"), token);
    assert_eq!(get("cephspray/after"), "");
    drop(second_etcd);

    // keep + 2 runs in all: the newest `keep` stay, each 0600.
    for _ in 1..KEEP + 2 {
        take(&mut taken);
    }
    let kept = snapshots(&directory);
    assert_eq!(
        kept,
        taken[taken.len() - KEEP..].to_vec(),
        "after {} runs the newest {KEEP} stay (taken in order: {taken:?})",
        taken.len()
    );
    for name in &kept {
        assert_eq!(mode(&directory.join(name)), 0o600, "{name}");
    }

    // etcd down: the script gives up (cephspray_etcd_backup_timeout) and keeps nothing, not
    // even a partial file.
    drop(etcd);
    let down = Instant::now();
    let out = backup();
    assert!(
        down.elapsed() < Duration::from_secs(30),
        "the script waited {:?} for an etcd that is down",
        down.elapsed()
    );
    assert!(
        !out.status.success(),
        "the script succeeded with etcd down:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(snapshots(&directory), kept);

    eprintln!(
        "etcd backup: {} snapshots taken, {KEEP} kept, restored with {} ({}), in {:.1} s",
        taken.len(),
        tool.display(),
        if etcdutl { "etcdutl" } else { "etcdctl" },
        t0.elapsed().as_secs_f64()
    );
}
