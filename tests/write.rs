//! Writing: atomic, keeps files cephspray does not generate, and `--check` sees drift.

mod common;

use cephspray::output::{Tree, write_atomically};
use common::{render, root};

fn pair2jeux() -> Tree {
    render(&root().join("fixtures/pair2jeux.yaml"))
}

#[test]
fn a_failure_in_the_middle_of_writing_leaves_the_previous_inventory_intact() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("inv");
    let tree = pair2jeux();
    write_atomically(&tree, &dir).unwrap();
    let before = std::fs::read_to_string(dir.join("hosts.yml")).unwrap();

    // Every file changes, so the failure strikes after some new files are staged.
    let mut changed = Tree::default();
    for (path, contents) in tree.files() {
        changed.insert(path, format!("{contents}# changed\n"));
    }
    let mut written = 0;
    let result = cephspray::output::write::write_with(&changed, &dir, &mut |_| {
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
    assert_eq!(
        tree.diff_against(&dir).unwrap(),
        "",
        "the old inventory is complete"
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec!["inv"], "no staging directory left behind");
}

#[test]
fn files_cephspray_does_not_generate_are_kept() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("inv");
    std::fs::create_dir_all(dir.join("credentials")).unwrap();
    std::fs::write(
        dir.join("credentials/kubeadm_certificate_key.creds"),
        "secret",
    )
    .unwrap();
    write_atomically(&pair2jeux(), &dir).unwrap();
    write_atomically(&pair2jeux(), &dir).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("credentials/kubeadm_certificate_key.creds")).unwrap(),
        "secret"
    );
}

#[test]
fn check_reports_drift_as_a_diff_and_exits_1() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("inv");
    let spec = root().join("fixtures/pair2jeux.yaml");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cephspray"))
            .args(["render"])
            .arg(&spec)
            .arg("-o")
            .arg(&dir)
            .args(extra)
            .output()
            .unwrap()
    };
    assert_eq!(
        run(&["--check"]).status.code(),
        Some(1),
        "nothing rendered yet is drift"
    );
    assert!(run(&[]).status.success());
    assert_eq!(run(&["--check"]).status.code(), Some(0));
    let hosts = dir.join("host_vars/node1.local.yml");
    std::fs::write(
        &hosts,
        std::fs::read_to_string(&hosts)
            .unwrap()
            .replace("10.8.0.1", "10.8.0.9"),
    )
    .unwrap();
    let drift = run(&["--check"]);
    assert_eq!(drift.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&drift.stdout);
    assert!(
        diff.contains("-ip: \"10.8.0.9\"") && diff.contains("+ip: \"10.8.0.1\""),
        "{diff}"
    );
    assert!(
        std::fs::read_to_string(&hosts)
            .unwrap()
            .contains("10.8.0.9"),
        "--check writes nothing"
    );
}
