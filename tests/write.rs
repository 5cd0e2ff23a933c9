//! Writing: atomic, owns only its own files (the manifest), stops on hand edits, and tells hand
//! edits from spec changes in --check and --diff.

mod common;

use cephspray::output::{Tree, write};
use common::{render, root};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pair2jeux() -> Tree {
    render(&root().join("fixtures/pair2jeux.yaml"))
}

/// A copy of the reference spec in a temporary directory, and an inventory path beside it.
struct Case {
    _tmp: tempfile::TempDir,
    spec: PathBuf,
    dir: PathBuf,
}

impl Case {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let spec = tmp.path().join("spec.yaml");
        std::fs::copy(root().join("fixtures/pair2jeux.yaml"), &spec).unwrap();
        std::fs::write(tmp.path().join("vault-pass"), "write-tests\n").unwrap();
        Case {
            dir: tmp.path().join("inventory"),
            spec,
            _tmp: tmp,
        }
    }

    fn render(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cephspray"))
            .arg("render")
            .arg(&self.spec)
            .arg("-o")
            .arg(&self.dir)
            .arg("--vault-password-file")
            .arg(self.spec.with_file_name("vault-pass"))
            .args(extra)
            .env_remove("ANSIBLE_VAULT_PASSWORD_FILE")
            .output()
            .unwrap()
    }

    fn edit_spec(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(&self.spec).unwrap();
        assert!(text.contains(from));
        std::fs::write(&self.spec, text.replace(from, to)).unwrap();
    }

    fn file(&self, path: &str) -> PathBuf {
        self.dir.join(path)
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_failure_in_the_middle_of_writing_leaves_the_previous_inventory_intact() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("inv");
    let tree = pair2jeux();
    write(&tree, &dir, false).unwrap();
    let before = std::fs::read_to_string(dir.join("hosts.yml")).unwrap();

    // Every file changes, so the failure strikes after some new files are staged.
    let mut changed = Tree::default();
    for (path, contents) in tree.files() {
        changed.insert(path, format!("{contents}# changed\n"));
    }
    let mut written = 0;
    let result = write::write_with(&changed, &dir, false, &mut |_| {
        written += 1;
        if written == 4 {
            Err(std::io::Error::other("injected"))
        } else {
            Ok(())
        }
    });
    assert!(result.is_err());
    assert_eq!(
        std::fs::read_to_string(dir.join("hosts.yml")).unwrap(),
        before
    );
    assert!(
        cephspray::output::compare(&tree, &dir).unwrap().is_empty(),
        "the old inventory is complete"
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec!["inv"], "no staging directory left behind");
}

#[test]
fn files_cephspray_did_not_create_are_never_touched() {
    let case = Case::new();
    std::fs::create_dir_all(case.file("credentials")).unwrap();
    std::fs::write(
        case.file("credentials/kubeadm_certificate_key.creds"),
        "secret",
    )
    .unwrap();
    assert!(case.render(&[]).status.success());
    case.edit_spec("cert_manager: true", "cert_manager: false");
    assert!(case.render(&[]).status.success());
    assert_eq!(
        std::fs::read_to_string(case.file("credentials/kubeadm_certificate_key.creds")).unwrap(),
        "secret"
    );
    assert!(
        std::fs::read_to_string(case.file(cephspray::output::MANIFEST))
            .unwrap()
            .contains("  hosts.yml\n")
    );
}

#[test]
fn an_unchanged_re_render_writes_nothing() {
    let case = Case::new();
    assert!(case.render(&[]).status.success());
    let inode = |p: &Path| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(p).unwrap().ino()
    };
    let (dir, hosts) = (inode(&case.dir), inode(&case.file("hosts.yml")));
    let out = case.render(&[]);
    assert!(
        stdout(&out).contains("0 of 12 files changed"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        (inode(&case.dir), inode(&case.file("hosts.yml"))),
        (dir, hosts)
    );
}

#[test]
fn files_no_longer_generated_are_removed_with_their_empty_directories() {
    let case = Case::new();
    assert!(case.render(&[]).status.success());
    assert!(case.file("group_vars/clients/ceph.yml").exists());
    assert!(case.file("ceph-csi/ceph-csi-cephfs-values.yml").exists());
    std::fs::write(case.file("host_vars/notes.txt"), "mine").unwrap();
    case.edit_spec(
        "    - { name: cephfs, type: cephfs, reclaim_policy: Delete, default: true }\n",
        "",
    );
    case.edit_spec("  storage:\n", "");
    let out = case.render(&["--diff"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(
        report.contains("no longer generated, removed: group_vars/clients/ceph.yml"),
        "{report}"
    );
    assert!(
        report.contains("no longer generated, removed: ceph-csi/ceph-csi-cephfs-values.yml"),
        "{report}"
    );
    assert!(
        !case.file("playbooks").exists(),
        "the emptied directories are gone"
    );
    assert!(!case.file("ceph-csi").exists());
    assert_eq!(
        std::fs::read_to_string(case.file("host_vars/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_hand_edit_stops_the_render_until_forced() {
    let case = Case::new();
    assert!(case.render(&[]).status.success());
    let node1 = case.file("host_vars/node1.local.yml");
    let edited = std::fs::read_to_string(&node1)
        .unwrap()
        .replace("10.8.0.1\"\naccess_ip", "10.8.0.9\"\naccess_ip");
    std::fs::write(&node1, &edited).unwrap();
    case.edit_spec("cert_manager: true", "cert_manager: false");

    let check = case.render(&["--check"]);
    assert_eq!(check.status.code(), Some(1));
    let report = stdout(&check);
    assert!(
        report.contains("HAND EDIT (differs from what cephspray wrote): host_vars/node1.local.yml"),
        "{report}"
    );
    assert!(
        report.contains("-ip: \"10.8.0.9\"") && report.contains("+ip: \"10.8.0.1\""),
        "{report}"
    );
    assert!(
        report.contains("spec change: group_vars/k8s_cluster/addons.yml"),
        "{report}"
    );

    let stopped = case.render(&[]);
    assert_eq!(stopped.status.code(), Some(1));
    assert!(
        stderr(&stopped)
            .contains("edited by hand since cephspray wrote them: host_vars/node1.local.yml")
    );
    assert!(
        stderr(&stopped).contains("-ip: \"10.8.0.9\""),
        "the edit is shown"
    );
    assert_eq!(
        std::fs::read_to_string(&node1).unwrap(),
        edited,
        "nothing was written"
    );
    assert!(
        std::fs::read_to_string(case.file("group_vars/k8s_cluster/addons.yml"))
            .unwrap()
            .contains("cert_manager_enabled: true")
    );

    assert!(case.render(&["--force"]).status.success());
    assert!(
        std::fs::read_to_string(&node1)
            .unwrap()
            .contains("10.8.0.1")
    );
    assert_eq!(case.render(&["--check"]).status.code(), Some(0));
}

#[test]
fn a_foreign_file_at_a_generated_path_is_not_overwritten() {
    let case = Case::new();
    std::fs::create_dir_all(case.file("group_vars/all")).unwrap();
    std::fs::write(case.file("group_vars/all/ceph.yml"), "cephfs: mine\n").unwrap();
    let out = case.render(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("group_vars/all/ceph.yml"));
    assert_eq!(
        std::fs::read_to_string(case.file("group_vars/all/ceph.yml")).unwrap(),
        "cephfs: mine\n"
    );
    assert!(!case.file("hosts.yml").exists());
}

#[test]
fn a_hand_edited_file_is_not_removed_either() {
    let case = Case::new();
    assert!(case.render(&[]).status.success());
    let values = case.file("ceph-csi/ceph-csi-cephfs-values.yml");
    std::fs::write(&values, "# my own values\n").unwrap();
    case.edit_spec(
        "    - { name: cephfs, type: cephfs, reclaim_policy: Delete, default: true }\n",
        "",
    );
    case.edit_spec("  storage:\n", "");
    let out = case.render(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("ceph-csi/ceph-csi-cephfs-values.yml"));
    assert!(values.exists());
}

#[test]
fn check_reports_drift_and_writes_nothing() {
    let case = Case::new();
    assert_eq!(
        case.render(&["--check"]).status.code(),
        Some(1),
        "nothing rendered yet is drift"
    );
    assert!(!case.dir.exists());
    assert!(case.render(&[]).status.success());
    assert_eq!(case.render(&["--check"]).status.code(), Some(0));
    case.edit_spec("10.8.0.3", "10.8.0.4");
    let drift = case.render(&["--check"]);
    assert_eq!(drift.status.code(), Some(1));
    assert!(stdout(&drift).contains("spec change: host_vars/node3.local.yml"));
    assert!(stdout(&drift).contains("+ip: \"10.8.0.4\""));
    assert!(
        std::fs::read_to_string(case.file("host_vars/node3.local.yml"))
            .unwrap()
            .contains("10.8.0.3")
    );
}

#[test]
fn a_damaged_manifest_stops_the_render_until_forced() {
    let case = Case::new();
    assert!(case.render(&[]).status.success());
    std::fs::write(case.file(cephspray::output::MANIFEST), "garbage\n").unwrap();
    let out = case.render(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".cephspray-manifest: line 1"),
        "{}",
        stderr(&out)
    );
    assert!(case.render(&["--force"]).status.success());
    assert_eq!(case.render(&["--check"]).status.code(), Some(0));
}
