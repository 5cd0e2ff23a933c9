//! Runs the pinned upstream trees' own code against a rendered inventory, each fixture against
//! the releases its spec's `targets` select: kubespray v2.31.0 with its requirements (`.venv`) or
//! v2.30.0 with its own (`.venv-kubespray-2.30`), ceph-ansible stable-9.0 or stable-8.0 with
//! theirs (both `.venv-ceph-ansible`), as `scripts/setup-upstream.sh` lays them out under
//! `target/upstream`.

use super::root;
use cephspray::spec::{CephAnsibleRelease, KubesprayRelease, Targets};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One release's pinned tree and the venv setup-upstream.sh makes from its requirements.
#[derive(Debug, Clone)]
pub struct Tree {
    /// The tree's directory under [`upstream_dir`], as the tarball names it.
    pub dir: &'static str,
    /// The venv's `bin` directory.
    pub bin: PathBuf,
    /// Which venv that is, for messages.
    venv: &'static str,
    /// Collections the tree's `requirements.yml` names that its venv does not install, laid out
    /// under [`upstream_dir`] (ceph-ansible: `openstack.config_template`, the version it pins).
    pub collections: Option<&'static str>,
}

impl Tree {
    /// Where the tree is.
    pub fn path(&self) -> PathBuf {
        upstream_dir().join(self.dir)
    }

    /// The venv's ansible-playbook.
    pub fn ansible_playbook(&self) -> PathBuf {
        self.bin.join("ansible-playbook")
    }
}

fn env_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(default))
}

/// The kubespray tree of a release, with the venv of its own `requirements.txt` (each release
/// refuses the others' ansible-core in `playbooks/ansible_version.yml`).
pub fn kubespray(release: KubesprayRelease) -> Tree {
    match release {
        KubesprayRelease::V2_31 => Tree {
            dir: "kubespray-v2.31.0",
            bin: super::ansible_tool("ansible-playbook")
                .parent()
                .unwrap()
                .to_owned(),
            venv: ".venv, CEPHSPRAY_ANSIBLE_BIN",
            collections: None,
        },
        KubesprayRelease::V2_30 => Tree {
            dir: "kubespray-v2.30.0",
            bin: env_path("CEPHSPRAY_KUBESPRAY_2_30_BIN", ".venv-kubespray-2.30/bin"),
            venv: ".venv-kubespray-2.30, CEPHSPRAY_KUBESPRAY_2_30_BIN",
            collections: None,
        },
    }
}

/// The ceph-ansible tree of a branch. Both branches pin ansible-core >=2.15,<2.17 (and their
/// ceph-validate refuses others), so both run with `.venv-ceph-ansible`; each has the
/// `openstack.config_template` its requirements.yml pins (stable-9.0's 3.0.1 is not on PyPI:
/// 2.1.1, PyPI's newest).
pub fn ceph_ansible(release: CephAnsibleRelease) -> Tree {
    let (dir, collections) = match release {
        CephAnsibleRelease::Stable9_0 => ("ceph-ansible-stable-9.0", "collections"),
        CephAnsibleRelease::Stable8_0 => (
            "ceph-ansible-stable-8.0",
            "collections-ceph-ansible-stable-8.0",
        ),
    };
    Tree {
        dir,
        bin: env_path("CEPHSPRAY_CEPH_ANSIBLE_BIN", ".venv-ceph-ansible/bin"),
        venv: ".venv-ceph-ansible, CEPHSPRAY_CEPH_ANSIBLE_BIN",
        collections: Some(collections),
    }
}

/// The targets of every valid fixture, read from the specs.
pub fn fixture_targets() -> Vec<Targets> {
    let mut all: Vec<Targets> = Vec::new();
    for path in super::valid_fixtures() {
        let (spec, _) = cephspray::spec::load_file(&path).unwrap();
        if !all.contains(&spec.targets) {
            all.push(spec.targets);
        }
    }
    all
}

/// Where setup-upstream.sh extracted the trees.
pub fn upstream_dir() -> PathBuf {
    env_path("CEPHSPRAY_UPSTREAM", "target/upstream")
}

/// Whether a test can run (tests/common: skips with a note, or fails under `CI=true`).
pub use super::require;

/// The trees and interpreters the conformance suite runs for every valid fixture's targets,
/// when all are there (see [`require`]).
pub fn available() -> bool {
    let mut checks = Vec::new();
    for targets in fixture_targets() {
        for tree in [
            kubespray(targets.kubespray),
            ceph_ansible(targets.ceph_ansible),
        ] {
            checks.push((tree.path().join("roles"), format!("the {} tree", tree.dir)));
            checks.push((
                tree.ansible_playbook(),
                format!("{}'s ansible-playbook ({})", tree.dir, tree.venv),
            ));
            if let Some(collections) = tree.collections {
                checks.push((
                    upstream_dir()
                        .join(collections)
                        .join("ansible_collections/openstack/config_template"),
                    format!("{}'s openstack.config_template collection", tree.dir),
                ));
            }
        }
    }
    checks.sort();
    checks.dedup();
    checks
        .iter()
        .all(|(path, what)| require(path.exists(), &format!("{what} ({})", path.display())))
}

fn conformance(file: &str) -> PathBuf {
    root().join("tests/conformance").join(file)
}

/// A scratch directory for one run: ansible.cfg, wrapper roles, the vault password, temp files.
fn work_dir(out: &Path) -> PathBuf {
    let work = out.join(".work");
    std::fs::create_dir_all(work.join("tmp")).unwrap();
    std::fs::create_dir_all(out.join(".tasks")).unwrap();
    std::fs::write(work.join("vault-password"), super::VAULT_PASSWORD).unwrap();
    work
}

fn ansible_cfg(work: &Path, lines: &[String]) -> PathBuf {
    let mut cfg = String::from("[defaults]\n");
    for line in lines {
        cfg.push_str(line);
        cfg.push('\n');
    }
    cfg.push_str(&format!(
        "host_key_checking = False\ngathering = explicit\nretry_files_enabled = False\n\
         force_valid_group_names = ignore\ndeprecation_warnings = False\n\
         interpreter_python = auto_silent\nlocal_tmp = {}\n",
        work.join("tmp").display()
    ));
    let path = work.join("ansible.cfg");
    std::fs::write(&path, cfg).unwrap();
    path
}

/// Wrapper roles that load one upstream tree's role defaults (wrapper-roles.txt).
fn wrapper_roles(work: &Path, tree_name: &str, tree: &Path) -> PathBuf {
    let roles = work.join("roles");
    let list = std::fs::read_to_string(conformance("wrapper-roles.txt")).unwrap();
    for line in list
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        let [role, from, file] = words[..] else {
            panic!("wrapper-roles.txt: `{line}`: write role, tree, file")
        };
        if from != tree_name {
            continue;
        }
        let defaults = roles.join(role).join("defaults/main");
        std::fs::create_dir_all(&defaults).unwrap();
        std::fs::create_dir_all(roles.join(role).join("tasks")).unwrap();
        std::fs::write(roles.join(role).join("tasks/main.yml"), "--- []\n").unwrap();
        let n = std::fs::read_dir(&defaults).unwrap().count() + 1;
        let target = tree.join(file);
        assert!(
            target.exists(),
            "wrapper-roles.txt: {file} is not in the {from} tree {}",
            tree.display()
        );
        std::os::unix::fs::symlink(target, defaults.join(format!("{n:02}.yml"))).unwrap();
    }
    roles
}

fn run(mut command: Command, what: &str) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("{what} does not start: {e}"))
}

/// ansible-playbook running one of tests/conformance's playbooks on `inventory` with the
/// upstream tree `tree` (as the extra var `tree_var`) and its roles (after the wrapper roles)
/// and library: everything the two runners share. `ansible_cfg` gets `cfg` besides.
fn conformance_playbook(
    mut command: Command,
    inventory: &Path,
    out: &Path,
    (playbook, tree_var, tree_name, tree): (&str, &str, &str, &Path),
    cfg: &[String],
) -> Command {
    let work = work_dir(out);
    let roles = wrapper_roles(&work, tree_name, tree);
    let mut lines = vec![
        format!(
            "roles_path = {}:{}",
            roles.display(),
            tree.join("roles").display()
        ),
        format!("library = {}", tree.join("library").display()),
    ];
    lines.extend_from_slice(cfg);
    command
        .arg("-i")
        .arg(inventory.join("hosts.yml"))
        .arg("--vault-password-file")
        .arg(work.join("vault-password"))
        .arg(conformance(playbook))
        .arg("-e")
        .arg(format!("{tree_var}={}", tree.display()))
        .arg("-e")
        .arg(format!("out_root={}", out.display()))
        .env("ANSIBLE_CONFIG", ansible_cfg(&work, &lines));
    command
}

/// The code of kubespray `release` against `inventory` (tests/conformance/kubespray.yml), with
/// that release's tree and venv; files under `out`.
pub fn run_kubespray(release: KubesprayRelease, inventory: &Path, out: &Path) -> Output {
    let tree = kubespray(release);
    let path = tree.path();
    let mut command = conformance_playbook(
        Command::new(tree.ansible_playbook()),
        inventory,
        out,
        ("kubespray.yml", "ks", "kubespray", &path),
        &[],
    );
    command.arg("-e").arg(format!(
        "kubespray_release={}",
        serde_json::to_value(release).unwrap().as_str().unwrap()
    ));
    run(command, &format!("{}'s ansible-playbook", tree.dir))
}

/// Each host's planned private address, in `out/addresses.json`: the facts of a host whose
/// inventory has no kubespray `ip` (a Ceph node outside Kubernetes) take it from there
/// (tests/conformance/ceph-ansible.yml).
pub fn write_addresses(plan: &cephspray::plan::Plan, out: &Path) {
    let addresses: std::collections::BTreeMap<&str, &str> = plan
        .hosts
        .iter()
        .map(|h| (h.name.as_str(), h.address.as_str()))
        .collect();
    std::fs::write(
        out.join("addresses.json"),
        serde_json::to_string(&addresses).unwrap(),
    )
    .unwrap();
}

/// The code of ceph-ansible `release` against `inventory` (tests/conformance/ceph-ansible.yml);
/// files under `out`, keyrings under `out/keys`. With `stub`, the `ceph` the modules call is the
/// recorder in tests/conformance/stub, which logs each call to `out/ceph-commands.jsonl`; else
/// the `ceph` on PATH where `prefix` (a command that runs the rest, e.g. in a network namespace)
/// runs it.
pub fn run_ceph_ansible(
    release: CephAnsibleRelease,
    inventory: &Path,
    out: &Path,
    prefix: &[&OsStr],
    stub: bool,
) -> Output {
    let ceph_ansible = ceph_ansible(release);
    let tree = ceph_ansible.path();
    let keys = out.join("keys");
    std::fs::create_dir_all(&keys).unwrap();
    let playbook = ceph_ansible.ansible_playbook();
    let program = match prefix.split_first() {
        Some((program, args)) => {
            let mut command = Command::new(program);
            command.args(args).arg(playbook);
            command
        }
        None => Command::new(playbook),
    };
    let mut command = conformance_playbook(
        program,
        inventory,
        out,
        ("ceph-ansible.yml", "ca", "ceph-ansible", &tree),
        &[
            format!("module_utils = {}", tree.join("module_utils").display()),
            format!(
                "action_plugins = {}",
                tree.join("plugins/actions").display()
            ),
            format!("filter_plugins = {}", tree.join("plugins/filter").display()),
            format!(
                "collections_path = {}",
                upstream_dir()
                    .join(ceph_ansible.collections.unwrap())
                    .display()
            ),
            "inject_facts_as_vars = False".to_owned(),
        ],
    );
    command
        .arg("-e")
        .arg(format!("ceph_conf_key_directory={}", keys.display()));
    if stub {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![conformance("stub")];
        dirs.extend(std::env::split_paths(&path));
        command
            .env("PATH", std::env::join_paths(dirs).unwrap())
            .env("CEPH_STUB_LOG", out.join("ceph-commands.jsonl"));
    }
    run(command, &format!("{}'s ansible-playbook", ceph_ansible.dir))
}
