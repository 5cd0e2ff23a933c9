//! Runs the pinned upstream trees' own code against a rendered inventory: kubespray v2.31.0 with
//! its requirements (`.venv`), ceph-ansible stable-9.0 with its own (`.venv-ceph-ansible`), as
//! `scripts/setup-upstream.sh` lays them out under `target/upstream`.

use super::root;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The kubespray tree the inventory targets.
pub const KUBESPRAY: &str = "kubespray-v2.31.0";
/// The ceph-ansible tree the inventory targets.
pub const CEPH_ANSIBLE: &str = "ceph-ansible-stable-9.0";

fn env_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(default))
}

/// Where setup-upstream.sh extracted the trees.
pub fn upstream_dir() -> PathBuf {
    env_path("CEPHSPRAY_UPSTREAM", "target/upstream")
}

/// Whether a test can run: true when `found`; otherwise, in CI (`CI=true`) a failure naming
/// what is missing, elsewhere a plain note on stderr that the test was skipped and why.
pub fn require(found: bool, what: &str) -> bool {
    if found {
        return true;
    }
    let how = "run scripts/test.sh (scripts/setup-upstream.sh sets it up)";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what} is missing in CI: {how}");
    }
    eprintln!("SKIPPED: {what} is missing; {how}");
    false
}

/// The trees and interpreters the conformance suite runs, when all are there (see [`require`]).
pub fn available() -> bool {
    let up = upstream_dir();
    let checks = [
        (
            up.join(KUBESPRAY).join("roles"),
            "the kubespray v2.31.0 tree",
        ),
        (
            up.join(CEPH_ANSIBLE).join("roles"),
            "the ceph-ansible stable-9.0 tree",
        ),
        (
            up.join("collections/ansible_collections/openstack/config_template"),
            "the openstack.config_template collection",
        ),
        (
            super::ansible_tool("ansible-playbook"),
            "kubespray's ansible-playbook (.venv)",
        ),
        (
            env_path("CEPHSPRAY_CEPH_ANSIBLE_BIN", ".venv-ceph-ansible/bin")
                .join("ansible-playbook"),
            "ceph-ansible's ansible-playbook (.venv-ceph-ansible)",
        ),
    ];
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
        assert!(target.exists(), "{file} is not in the {from} tree");
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

/// kubespray's code against `inventory` (tests/conformance/kubespray.yml); files under `out`.
pub fn run_kubespray(inventory: &Path, out: &Path) -> Output {
    let tree = upstream_dir().join(KUBESPRAY);
    let command = conformance_playbook(
        Command::new(super::ansible_tool("ansible-playbook")),
        inventory,
        out,
        ("kubespray.yml", "ks", "kubespray", &tree),
        &[],
    );
    run(command, "kubespray's ansible-playbook")
}

/// ceph-ansible's code against `inventory` (tests/conformance/ceph-ansible.yml); files under
/// `out`, keyrings under `out/keys`. With `stub`, the `ceph` the modules call is the recorder in
/// tests/conformance/stub, which logs each call to `out/ceph-commands.jsonl`; else the `ceph` on
/// PATH where `prefix` (a command that runs the rest, e.g. in a network namespace) runs it.
pub fn run_ceph_ansible(inventory: &Path, out: &Path, prefix: &[&OsStr], stub: bool) -> Output {
    let tree = upstream_dir().join(CEPH_ANSIBLE);
    let keys = out.join("keys");
    std::fs::create_dir_all(&keys).unwrap();
    let playbook =
        env_path("CEPHSPRAY_CEPH_ANSIBLE_BIN", ".venv-ceph-ansible/bin").join("ansible-playbook");
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
                upstream_dir().join("collections").display()
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
    run(command, "ceph-ansible's ansible-playbook")
}
