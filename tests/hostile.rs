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

/// Runs cephspray with a deadline: a hang fails the test instead of stalling it.
fn cephspray_within_a_minute(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let out = tempfile::tempfile().unwrap();
    let err = tempfile::tempfile().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .args(args)
        .env_remove("ANSIBLE_VAULT_PASSWORD_FILE")
        .stdin(std::process::Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cephspray {args:?} did not end within a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let read = |mut file: std::fs::File| {
        use std::io::{Read, Seek};
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        bytes
    };
    std::process::Output {
        status,
        stdout: read(out),
        stderr: read(err),
    }
}

fn mkfifo(path: &Path) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
}

#[test]
fn a_spec_that_is_not_a_file_is_refused_by_name_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("spec.fifo");
    mkfifo(&fifo);
    let zero_link = dir.path().join("zero.yaml");
    std::os::unix::fs::symlink("/dev/zero", &zero_link).unwrap();
    let cases = [
        (
            fifo.clone(),
            "it is a named pipe (FIFO), not a regular file",
        ),
        (
            Path::new("/dev/zero").to_owned(),
            "it is a character device, not a regular file",
        ),
        (zero_link, "it is a character device, not a regular file"),
        (
            dir.path().to_owned(),
            "it is a directory, not a regular file",
        ),
    ];
    for (spec, what) in &cases {
        for command in ["check", "pg"] {
            let out = cephspray_within_a_minute(&[command.as_ref(), spec.as_os_str()]);
            assert_eq!(out.status.code(), Some(2), "{command} {}", spec.display());
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains(&format!(
                    "{}: cannot read the spec: {what}; give the path of a YAML file",
                    spec.display()
                )),
                "{stderr}"
            );
        }
        let out = cephspray_within_a_minute(&[
            "render".as_ref(),
            spec.as_os_str(),
            "-o".as_ref(),
            dir.path().join("inventory").as_os_str(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert!(!dir.path().join("inventory").exists());
    }
}

#[test]
fn password_and_secret_files_are_read_bounded_and_never_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    let mut text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/five-nodes.yaml"
    ))
    .unwrap();
    std::fs::write(&spec, &text).unwrap();
    let render = |password: &Path| {
        cephspray_within_a_minute(&[
            "render".as_ref(),
            spec.as_os_str(),
            "-o".as_ref(),
            dir.path().join("inventory").as_os_str(),
            "--vault-password-file".as_ref(),
            password.as_os_str(),
        ])
    };
    let fifo = dir.path().join("password.fifo");
    mkfifo(&fifo);
    let huge = dir.path().join("huge-password");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(64 * 1024 * 1024)
        .unwrap();
    let endless = dir.path().join("endless-client.sh");
    std::fs::write(&endless, "#!/bin/sh\nexec cat /dev/zero\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&endless, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    for (password, what) in [
        (
            Path::new("/dev/zero"),
            "it is a character device, not a regular file",
        ),
        (dir.path(), "it is a directory, not a regular file"),
        (fifo.as_path(), "it is empty"),
        (
            huge.as_path(),
            "it is larger than 1048576 bytes (67108864 bytes)",
        ),
        (
            endless.as_path(),
            "the script printed more than 1048576 bytes",
        ),
    ] {
        let out = render(password);
        assert_eq!(out.status.code(), Some(2), "{}", password.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "vault password file {}: {what}",
                password.display()
            )),
            "{stderr}"
        );
    }

    // A spec naming a device or a pipe as a secret's file.
    std::fs::write(dir.path().join("password"), "pw\n").unwrap();
    let secret_fifo = dir.path().join("secret.fifo");
    mkfifo(&secret_fifo);
    for (source, what) in [
        ("/dev/zero", "it is a character device, not a regular file"),
        (
            "/dev/urandom",
            "it is a character device, not a regular file",
        ),
        (
            "secret.fifo",
            "it is a named pipe (FIFO), not a regular file",
        ),
        (".", "it is a directory, not a regular file"),
    ] {
        text.truncate(text.find("\nsecrets:").map_or(text.len(), |i| i + 1));
        text.push_str(&format!(
            "secrets:\n  ceph_dashboard_admin_password: {{ file: {source} }}\n"
        ));
        std::fs::write(&spec, &text).unwrap();
        let out = render(&dir.path().join("password"));
        assert!(matches!(out.status.code(), Some(1 | 2)), "{source}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("secrets.ceph_dashboard_admin_password")
                && stderr.contains("cannot read")
                && stderr.contains(what),
            "{source}: {stderr}"
        );
    }
    assert!(!dir.path().join("inventory").exists());
}
