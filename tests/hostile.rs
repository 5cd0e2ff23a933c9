//! Hostile and broken specs end in a clear error, never a panic, a hang or unbounded memory.

use cephspray::spec;
use std::path::Path;
use std::process::Command;

fn parse_error(text: &str) -> String {
    match spec::parse("hostile.yaml", text) {
        Ok(_) => panic!("accepted: {:.80}", text),
        Err(e) => e.to_string(),
    }
}

/// Loads and checks; whatever happens must be an answer, not a crash.
fn load_and_check(text: &str) -> Result<usize, String> {
    let spec = spec::parse("hostile.yaml", text).map_err(|e| e.to_string())?;
    let found = cephspray::check::check(&spec);
    if cephspray::check::has_errors(&found) {
        return Err(found
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"));
    }
    cephspray::build(&spec, &cephspray::Inputs::new("hostile.yaml"))
        .map(|(tree, _)| tree.files().count())
        .map_err(|e| e.to_string())
}

const BASE: &str = "cluster: { name: x }\nnetwork: { private: 10.0.0.0/24 }\n";

#[test]
fn deep_nesting_is_refused() {
    let deep = format!(
        "{BASE}extra_vars: {{ all: {{ x: {}{} }} }}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let error = parse_error(&deep);
    assert!(error.contains("hostile.yaml:3"), "{error}");
    let block = format!(
        "{BASE}nodes:\n{}",
        (0..5_000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect::<String>()
    );
    parse_error(&block);
}

#[test]
fn alias_bombs_are_refused() {
    let mut bomb = String::from(BASE);
    bomb.push_str("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..30 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let error = parse_error(&bomb);
    assert!(!error.is_empty());
}

#[test]
fn huge_and_strange_numbers_are_refused_or_harmless() {
    let nodes =
        "nodes:\n  - { name: n1, address: 10.0.0.1, disks: [{ device: /dev/sdb, size: 3TB }] }\n";
    let error = parse_error(&format!(
        "{BASE}{nodes}ceph: {{ size: 99999999999999999999999 }}\n"
    ));
    assert!(error.contains("hostile.yaml:5:15: invalid u8"), "{error}");
    let error = load_and_check(&format!("{BASE}{nodes}ceph: {{ size: 1, min_size: 1, pools: [{{ name: p, application: rbd, share: 1e300 }}] }}\n")).unwrap_err();
    assert!(error.contains("share 1e300 is not a percentage"), "{error}");
    let error = load_and_check(&format!("{BASE}{nodes}ceph: {{ size: 1, min_size: 1, pools: [{{ name: p, application: rbd, share: .nan }}] }}\n")).unwrap_err();
    assert!(error.contains("not a percentage"), "{error}");
    let error = load_and_check(&format!(
        "{BASE}{nodes}ceph: {{ size: 1, min_size: 1, pg: {{ target_per_osd: 4294967295 }} }}\n"
    ))
    .unwrap_err();
    assert!(error.contains("not a usable target"), "{error}");
    let huge_disks = "nodes:\n  - { name: n1, address: 10.0.0.1, disks: [{ device: /dev/sdb, size: 18446744073709551615 }, { device: /dev/sdc, size: 16000PB }] }\n";
    let report = cephspray::plan::pg_report_for(&spec::parse("x", &format!("{BASE}{huge_disks}ceph: {{ size: 1, min_size: 1, pools: [{{ name: p, application: rbd, share: 100 }}] }}\n")).unwrap());
    assert_eq!(
        report.capacity.unwrap().raw_bytes,
        u64::MAX,
        "sizes saturate instead of overflowing"
    );
}

#[test]
fn invalid_utf8_and_huge_files_are_refused_with_their_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary.yaml");
    std::fs::write(&binary, b"cluster: { name: \xff\xfe }\n").unwrap();
    let error = spec::load_file(&binary).unwrap_err().to_string();
    assert!(
        error.contains("binary.yaml") && error.contains("not UTF-8"),
        "{error}"
    );

    let huge = dir.path().join("huge.yaml");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let error = spec::load_file(&huge).unwrap_err().to_string();
    assert!(
        error.contains("huge.yaml") && error.contains("too large"),
        "{error}"
    );
}

#[test]
fn node_names_never_become_paths_outside_the_output() {
    for name in [
        "../../etc/cron.d/evil",
        "/etc/passwd",
        "a/b",
        "..",
        ".hidden",
        "x\\y",
    ] {
        let text = format!(
            "{BASE}nodes:\n  - {{ name: {}, address: 10.0.0.1 }}\n",
            serde_json::to_string(name).unwrap()
        );
        let error = load_and_check(&text).unwrap_err();
        assert!(
            error.contains("is not a lowercase RFC 1123 host name"),
            "{name}: {error}"
        );
    }
}

#[test]
fn strange_yaml_is_answered_not_crashed_on() {
    for text in [
        "",
        "~",
        "[]",
        "!!binary aGVsbG8=",
        "cluster: !custom { name: x }",
        "? [complex, key]\n: value",
        "cluster: { name: x }\ncluster: { name: y }",
        "%YAML 1.1\n---\ncluster: { name: x }",
        "cluster: { name: x }\n---\ncluster: { name: y }",
        "\u{feff}cluster: { name: x }",
        "cluster: { name: \"\\uD800\" }",
    ] {
        let _ = load_and_check(text);
    }
}

#[test]
fn the_cli_names_a_missing_spec() {
    let out = Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .args(["check", "no/such/spec.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no/such/spec.yaml") && stderr.contains("cannot read"),
        "{stderr}"
    );
    assert!(!Path::new("no").exists());
}

#[test]
fn pg_flags_with_absurd_values_do_not_crash() {
    for args in [
        vec!["--osds", "4294967295", "--pool", "a=100,bias=1e308"],
        vec!["--osds", "0", "--pool", "a=100"],
        vec!["--osds", "6", "--pool", "a=100,ec=4294967295+4294967295"],
        vec![
            "--osds",
            "6",
            "--method",
            "autoscale",
            "--pool",
            "a=100,bulk,min=4294967295",
        ],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_cephspray"))
            .arg("pg")
            .args(&args)
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{args:?}"
        );
    }
}
