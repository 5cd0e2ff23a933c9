//! A render killed (SIGKILL) at any moment leaves the inventory complete: the old one or the new
//! one, never a mix, never missing; the next render removes what the killed one left behind.

mod common;

use cephspray::output::{MANIFEST, Manifest};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// A 400-node spec: big enough that writing takes a while.
fn spec_text() -> String {
    let mut s = String::from(
        "cluster: { name: kill }\nnetwork: { private: 10.0.0.0/16, pods: 10.128.0.0/14 }\nnodes:\n",
    );
    for i in 0..400 {
        let address = format!("10.0.{}.{}", i / 200, i % 200 + 1);
        if i < 3 {
            s.push_str(&format!(
                "  - {{ name: n{i}, address: {address}, roles: [control_plane, etcd, mon, mgr, ceph_client] }}\n"
            ));
        } else {
            s.push_str(&format!(
                "  - {{ name: n{i}, address: {address}, roles: [worker, osd], disks: [{{ device: /dev/sdb, size: 4TB }}] }}\n"
            ));
        }
    }
    s
}

/// The directory is one complete render: every file its manifest lists is there with that
/// hash, and all of them come from the same spec. Returns which spec.
fn complete_render(dir: &Path) -> String {
    let manifest = Manifest::parse(&std::fs::read_to_string(dir.join(MANIFEST)).unwrap()).unwrap();
    assert!(manifest.files.len() > 400);
    let mut source = None;
    for (path, hash) in &manifest.files {
        let bytes = std::fs::read(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            &cephspray::output::manifest_hash(&bytes),
            hash,
            "{path} does not match the manifest"
        );
        let first = String::from_utf8(bytes)
            .unwrap()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        let from = first
            .split("from ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            source.get_or_insert(from.clone()),
            &from,
            "{path} comes from another render"
        );
    }
    source.unwrap()
}

#[test]
fn a_killed_render_leaves_the_old_or_the_new_inventory() {
    let tmp = tempfile::tempdir().unwrap();
    let specs = [tmp.path().join("a.yaml"), tmp.path().join("b.yaml")];
    for spec in &specs {
        std::fs::write(spec, spec_text()).unwrap();
    }
    let dir = tmp.path().join("inventory");
    let render = |spec: &Path| {
        Command::new(env!("CARGO_BIN_EXE_cephspray"))
            .arg("render")
            .arg(spec)
            .arg("-o")
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let started = Instant::now();
    assert!(render(&specs[0]).wait().unwrap().success());
    let full = started.elapsed();
    let mut seen = std::collections::BTreeMap::new();
    // Each render rewrites every file (the header names the other spec). Kill points are
    // spread over the length of a whole render.
    for round in 0..24u32 {
        let mut child = render(&specs[(round as usize + 1) % 2]);
        std::thread::sleep(full * round / 24);
        let _ = child.kill();
        let _ = child.wait();
        *seen.entry(complete_render(&dir)).or_insert(0) += 1;
    }
    eprintln!("after 24 kills the inventory was from: {seen:?}");
    assert!(render(&specs[0]).wait().unwrap().success());
    complete_render(&dir);
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging directories of killed renders were removed: {leftovers:?}"
    );
}
