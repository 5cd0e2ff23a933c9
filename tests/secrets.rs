//! Secrets end to end: kept encrypted in an Ansible vault that real ansible-vault opens, never
//! in plain text anywhere, stable across re-renders.

mod common;

use common::root;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Setup {
    _tmp: tempfile::TempDir,
    spec: PathBuf,
    dir: PathBuf,
    password: PathBuf,
}

/// The five-node fixture (dashboard on: two passwords), with the Grafana one from the environment.
fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("spec.yaml");
    let mut text = std::fs::read_to_string(root().join("fixtures/five-nodes.yaml")).unwrap();
    text.push_str("secrets:\n  ceph_grafana_admin_password: { env: GRAFANA_PW }\n");
    std::fs::write(&spec, text).unwrap();
    let password = tmp.path().join("vault-pass");
    std::fs::write(&password, "correct horse\n").unwrap();
    Setup {
        dir: tmp.path().join("inventory"),
        spec,
        password,
        _tmp: tmp,
    }
}

/// `cephspray render` of the setup, with or without its vault password file, and with GRAFANA_PW
/// set to `grafana` (unset when None).
fn render_with(setup: &Setup, extra: &[&str], password: bool, grafana: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cephspray"));
    command
        .arg("render")
        .arg(&setup.spec)
        .arg("-o")
        .arg(&setup.dir)
        .args(extra)
        .env_remove("ANSIBLE_VAULT_PASSWORD_FILE");
    if password {
        command.arg("--vault-password-file").arg(&setup.password);
    }
    match grafana {
        Some(value) => command.env("GRAFANA_PW", value),
        None => command.env_remove("GRAFANA_PW"),
    };
    command.output().unwrap()
}

fn render(setup: &Setup, extra: &[&str], grafana: &str) -> Output {
    render_with(setup, extra, true, Some(grafana))
}

fn vault_path(setup: &Setup) -> PathBuf {
    setup.dir.join(cephspray::render::VAULT_PATH)
}

/// ansible-vault's plain text of the setup's vault; tests that call it start with
/// `common::require_ansible(&["ansible-vault"])`.
fn ansible_vault_view(setup: &Setup) -> String {
    let out = Command::new(common::ansible_tool("ansible-vault"))
        .args(["view", "--vault-password-file"])
        .arg(&setup.password)
        .arg(vault_path(setup))
        .env("ANSIBLE_LOCAL_TEMP", setup.dir.parent().unwrap())
        .output()
        .expect("ansible-vault runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn all_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn secrets_are_in_a_vault_ansible_opens_and_nowhere_in_plain_text() {
    if !common::require_ansible(&["ansible-vault"]) {
        return;
    }
    let setup = setup();
    let out = render(&setup, &[], "grafana-from-env");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let vault = std::fs::read_to_string(vault_path(&setup)).unwrap();
    assert!(vault.starts_with("$ANSIBLE_VAULT;1.1;AES256\n"));
    let plain = ansible_vault_view(&setup);
    assert!(
        plain.contains("vault_ceph_grafana_admin_password: grafana-from-env"),
        "{plain}"
    );
    let dashboard = plain
        .lines()
        .find_map(|l| l.strip_prefix("vault_ceph_dashboard_admin_password: "))
        .expect("a generated dashboard password");
    assert_eq!(dashboard.len(), 32);
    for secret in [dashboard, "grafana-from-env"] {
        for (path, bytes) in all_files(&setup.dir) {
            let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
            assert!(!found, "{} holds a secret in plain text", path.display());
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(vault_path(&setup))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the vault is readable by its owner only"
        );
    }
}

#[test]
fn a_re_render_keeps_the_vault_and_its_generated_secrets() {
    if !common::require_ansible(&["ansible-vault"]) {
        return;
    }
    let setup = setup();
    assert!(render(&setup, &[], "one").status.success());
    let first = std::fs::read(vault_path(&setup)).unwrap();
    assert!(render(&setup, &[], "one").status.success());
    assert_eq!(
        std::fs::read(vault_path(&setup)).unwrap(),
        first,
        "unchanged secrets: same bytes"
    );
    assert_eq!(render(&setup, &["--check"], "one").status.code(), Some(0));

    let before = ansible_vault_view(&setup);
    let generated = before
        .lines()
        .find(|l| l.starts_with("vault_ceph_dashboard_admin_password"))
        .unwrap()
        .to_owned();
    assert_eq!(
        render(&setup, &["--check"], "two").status.code(),
        Some(1),
        "a changed source is drift"
    );
    assert!(render(&setup, &[], "two").status.success());
    let after = ansible_vault_view(&setup);
    assert!(after.contains("vault_ceph_grafana_admin_password: two"));
    assert!(
        after.contains(&generated),
        "the generated password survives the re-encryption"
    );
    assert_ne!(std::fs::read(vault_path(&setup)).unwrap(), first);
}

#[test]
fn a_missing_or_wrong_password_writes_nothing() {
    let setup = setup();
    let out = render_with(&setup, &[], false, Some("x"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--vault-password-file or ANSIBLE_VAULT_PASSWORD_FILE"),
        "{stderr}"
    );
    assert!(!setup.dir.exists());

    assert!(render(&setup, &[], "x").status.success());
    let before = all_files(&setup.dir);
    std::fs::write(&setup.password, "wrong\n").unwrap();
    let out = render(&setup, &[], "changed");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the vault password does not open this vault")
    );
    assert_eq!(all_files(&setup.dir), before, "nothing was touched");
}

#[test]
fn an_unset_environment_variable_is_named() {
    let setup = setup();
    let out = render_with(&setup, &[], true, None);
    // A spec error like the others (exit 1), located at the source in the spec, as `check`
    // reports it before any render.
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "secrets.ceph_grafana_admin_password.env: environment variable GRAFANA_PW is not set"
        ),
        "{stderr}"
    );
    assert!(stderr.contains(".yaml:"), "located: {stderr}");
}

#[test]
fn check_without_the_vault_password_compares_everything_else() {
    let setup = setup();
    assert!(render(&setup, &[], "x").status.success());
    let check = |spec_edit: Option<(&str, &str)>| {
        if let Some((from, to)) = spec_edit {
            let text = std::fs::read_to_string(&setup.spec).unwrap();
            std::fs::write(&setup.spec, text.replace(from, to)).unwrap();
        }
        render_with(&setup, &["--check"], false, None)
    };
    let out = check(None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("not compared (no vault password): group_vars/all/vault.yml")
    );
    let out = check(Some(("cp3", "cp4")));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("spec change: hosts.yml"));
}

#[test]
fn one_password_file_works_for_cephspray_and_ansible_vault() {
    if !common::require_ansible(&["ansible-vault"]) {
        return;
    }
    // Ansible strips whitespace around a password file's contents (`bytes.strip()`), and only
    // line breaks around a script's output: cephspray reads both the same way.
    for (contents, executable) in [
        ("  correct horse \t\n\n", false),
        ("\r\ncorrect horse\r\n", false),
        ("#!/bin/sh\nprintf ' correct horse \\n'\n", true),
    ] {
        let mut setup = setup();
        setup.password = setup
            .dir
            .with_file_name(if executable { "pass.sh" } else { "pass.txt" });
        std::fs::write(&setup.password, contents).unwrap();
        if executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&setup.password, std::fs::Permissions::from_mode(0o700))
                .unwrap();
        }
        let out = render(&setup, &[], "grafana");
        assert!(
            out.status.success(),
            "{contents:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            ansible_vault_view(&setup).contains("vault_ceph_grafana_admin_password: grafana"),
            "{contents:?}"
        );
        // And the other way: the same file opens what cephspray wrote with it.
        let other = if executable {
            " correct horse "
        } else {
            "correct horse"
        };
        let plain = cephspray::secrets::vault::decrypt(
            &std::fs::read_to_string(vault_path(&setup)).unwrap(),
            other.as_bytes(),
        );
        assert!(plain.is_ok(), "{contents:?} is read as {other:?}");
    }
}
