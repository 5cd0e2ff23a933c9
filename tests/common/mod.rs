//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod upstream;

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A tool of the venv `scripts/test.sh` makes from kubespray's requirements (`.venv/bin`, or
/// `CEPHSPRAY_ANSIBLE_BIN`): ansible-playbook, ansible-inventory, ansible-vault. A test checks
/// that the tools it runs are there with [`require_ansible`] first.
pub fn ansible_tool(name: &str) -> PathBuf {
    ansible_bin().0.join(name)
}

/// The directory of the venv's tools, and where that choice came from.
fn ansible_bin() -> (PathBuf, &'static str) {
    match std::env::var_os("CEPHSPRAY_ANSIBLE_BIN") {
        Some(dir) => (PathBuf::from(dir), "as CEPHSPRAY_ANSIBLE_BIN says"),
        None => (
            root().join(".venv/bin"),
            "the default while CEPHSPRAY_ANSIBLE_BIN is unset",
        ),
    }
}

/// How to set up what tests that run Ansible or the upstream trees need.
pub const SET_UP: &str = "set it up with `bash scripts/test.sh` (sets everything up, then runs \
     the whole suite), or `eval \"$(bash scripts/setup-upstream.sh)\"` (sets up the venvs and \
     trees and exports CEPHSPRAY_*) before cargo test";

/// Whether a test that needs `what` can run: true when `found`. Otherwise, under `CI=true`, a
/// failure that names what is missing (`what` says where it was looked for) and how to set it
/// up; elsewhere the same on stderr after `SKIPPED:`, and false (the test returns, passing).
pub fn require(found: bool, what: &str) -> bool {
    if found {
        return true;
    }
    let text = format!("{what} is missing: {SET_UP}");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{text}\n(CI=true: a missing prerequisite fails the test instead of skipping it)");
    }
    eprintln!("SKIPPED: {text}");
    false
}

/// Whether the venv's tools `names` (`ansible-vault`, `python3`…) are all there, through
/// [`require`]: a test that runs them starts with `if !require_ansible(&[…]) { return; }`.
pub fn require_ansible(names: &[&str]) -> bool {
    let (dir, from) = ansible_bin();
    let missing: Vec<String> = names
        .iter()
        .filter(|name| !is_executable(&dir.join(name)))
        .map(|name| format!("`{name}`"))
        .collect();
    require(
        missing.is_empty(),
        &format!(
            "Ansible ({} not in {}, {from})",
            missing.join(", "),
            dir.display()
        ),
    )
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The valid fixtures, by file stem.
pub fn valid_fixtures() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    found.sort();
    found
}

/// The vault password tests render with.
pub const VAULT_PASSWORD: &[u8] = b"test-vault-password";

/// Renders a fixture in memory, as `cephspray render fixtures/NAME.yaml` names it, with
/// generated secrets.
pub fn render(path: &Path) -> cephspray::output::Tree {
    render_over(path, None)
}

/// Renders a fixture as a re-render over an inventory whose vault is `existing_vault`.
pub fn render_over(path: &Path, existing_vault: Option<&str>) -> cephspray::output::Tree {
    let (spec, _) = cephspray::spec::load_file(path).unwrap();
    let source = format!("fixtures/{}", path.file_name().unwrap().to_string_lossy());
    let inputs = cephspray::Inputs {
        vault_password: Some(VAULT_PASSWORD),
        existing_vault,
        ..cephspray::Inputs::new(&source)
    };
    cephspray::build(&spec, &inputs).unwrap().0
}

/// A file's text as Ansible sees it: vaults decrypted.
pub fn plaintext(tree: &cephspray::output::Tree, path: &str) -> String {
    let contents = tree.get(path).unwrap();
    if tree.is_private(path) {
        let plain = cephspray::secrets::vault::decrypt(contents, VAULT_PASSWORD).unwrap();
        String::from_utf8(plain.to_vec()).unwrap()
    } else {
        contents.to_owned()
    }
}

/// A tool on `PATH`, as the shell would find it.
pub fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join(tool))
            .find(|p| p.is_file())
    })
}

/// This process's effective user id, from /proc ("0": root; empty when unreadable).
pub fn effective_uid() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(str::to_owned))
        })
        .unwrap_or_default()
}

/// Runs `ansible-playbook` (under `timeout -k 2 SECS`) against an inventory written in `scratch`
/// with its vault password there, with `-e` for each of `extra`, on `playbooks`; Ansible's state
/// (config, home, temp dirs) stays under `scratch`, its run named `run`. Its output, once it
/// succeeded.
pub fn run_playbooks(
    scratch: &Path,
    run: &str,
    secs: u64,
    extra: &[String],
    limit: Option<&str>,
    playbooks: &[PathBuf],
) -> String {
    let inventory = scratch.join("inventory");
    let home = scratch.join("ansible").join(run);
    let mut c = std::process::Command::new("timeout");
    c.args(["-k", "2", &secs.to_string()])
        .arg(ansible_tool("ansible-playbook"))
        .arg("-i")
        .arg(inventory.join("hosts.yml"))
        .arg("--vault-password-file")
        .arg(scratch.join("vault-password"));
    for e in extra {
        c.arg("-e").arg(e);
    }
    if let Some(host) = limit {
        c.arg("--limit").arg(host);
    }
    c.args(playbooks)
        .current_dir(scratch)
        .stdin(std::process::Stdio::null())
        .env("ANSIBLE_CONFIG", scratch.join("ansible.cfg"))
        .env("ANSIBLE_HOME", &home)
        .env("ANSIBLE_LOCAL_TEMP", home.join("tmp"))
        .env("ANSIBLE_REMOTE_TEMP", home.join("tmp"))
        .env("ANSIBLE_NOCOLOR", "1")
        .env("ANSIBLE_FORCE_COLOR", "0")
        .env("ANSIBLE_RETRY_FILES_ENABLED", "0");
    let out = c.output().expect("ansible-playbook");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let names: Vec<String> = playbooks
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        out.status.success(),
        "{} ({run} run) failed ({}):\n{text}\n{}",
        names.join(" and "),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    text
}
