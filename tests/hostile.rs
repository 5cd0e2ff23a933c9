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
    let found = cephspray::check_spec(&spec);
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
    assert!(
        error.contains("ceph.size: `99999999999999999999999` is out of range")
            && error.contains("hostile.yaml:5:15"),
        "{error}"
    );
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
    let report = cephspray::pg::Sizing::of(&spec::parse("x", &format!("{BASE}{huge_disks}ceph: {{ size: 1, min_size: 1, pools: [{{ name: p, application: rbd, share: 100 }}] }}\n")).unwrap()).report;
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
        vec!["--osds", "4294967295", "--size", "1", "--pool", "a=100"],
        vec!["--osds", "100000", "--size", "1", "--pool", "a=100"],
        vec![
            "--osds",
            "100000",
            "--hosts",
            "100000",
            "--size",
            "1",
            "--osd-size",
            "1TB",
            "--pool",
            "a=100",
        ],
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

/// Where a message points: `--> file:line:column`, or `file:` for the whole file.
fn located(error: &str, file: &str) -> bool {
    error.contains(&format!("--> {file}:")) || error.starts_with(&format!("{file}: "))
}

#[test]
fn other_encodings_are_named_and_the_fix_given() {
    let text = "cluster: { name: x }\nnetwork: { private: 10.0.0.0/24 }\nnodes: []\n";
    let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let utf32 = |big: bool| -> Vec<u8> {
        std::iter::once('\u{feff}')
            .chain(text.chars())
            .flat_map(|c| {
                let n = c as u32;
                if big {
                    n.to_be_bytes()
                } else {
                    n.to_le_bytes()
                }
            })
            .collect()
    };
    let with_bom = |bom: &[u8], body: &[u8]| [bom, body].concat();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, expected) in [
        (
            "utf16le-bom",
            with_bom(&[0xFF, 0xFE], &utf16le),
            "UTF-16 (little-endian)",
        ),
        (
            "utf16be-bom",
            with_bom(&[0xFE, 0xFF], &utf16be),
            "UTF-16 (big-endian)",
        ),
        (
            "utf16le",
            utf16le.clone(),
            "UTF-16 (little-endian, without a byte order mark)",
        ),
        (
            "utf16be",
            utf16be.clone(),
            "UTF-16 (big-endian, without a byte order mark)",
        ),
        ("utf32le", utf32(false), "UTF-32 (little-endian)"),
        ("utf32be", utf32(true), "UTF-32 (big-endian)"),
    ] {
        let path = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&path, bytes).unwrap();
        let error = spec::load_file(&path).unwrap_err().to_string();
        let file = path.display().to_string();
        assert!(
            error.starts_with(&format!(
                "{file}: the file is {expected} text: save it as UTF-8"
            )),
            "{name}: {error}"
        );
        assert!(!error.contains(":0:0"), "{name}: {error}");
    }
    // Single-byte encodings and NUL bytes: located at the first offending byte.
    for (name, bytes, at, expected) in [
        (
            "latin1",
            b"cluster: { name: x }\nnetwork: { private: 10.0.0.0/24 }\nnodes: [{ name: caf\xe9 }]\n".to_vec(),
            ":3:20",
            "byte 0xE9 is not UTF-8",
        ),
        (
            "cp1252",
            b"cluster: { name: \x93x\x94 }\n".to_vec(),
            ":1:18",
            "byte 0x93 is not UTF-8",
        ),
        (
            "nul",
            b"cluster: { name: x }\nnetwork: { private: 10.0.0.0/24 \0}\n".to_vec(),
            ":2:33",
            "a NUL character",
        ),
    ] {
        let path = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&path, bytes).unwrap();
        let error = spec::load_file(&path).unwrap_err().to_string();
        let file = path.display().to_string();
        assert!(
            error.contains(&format!("{file}{at}")) && error.contains(expected),
            "{name}: {error}"
        );
        assert!(error.contains("save it as UTF-8"), "{name}: {error}");
    }
    // A UTF-8 byte order mark is read past, and columns on the first line stay right.
    let path = dir.path().join("bom.yaml");
    std::fs::write(
        &path,
        "\u{feff}cluster: { name: x, nome: y }\nnetwork: { private: 10.0.0.0/24 }\nnodes: []\n",
    )
    .unwrap();
    let error = spec::load_file(&path).unwrap_err().to_string();
    assert!(error.contains("bom.yaml:1:21"), "{error}");
}

#[test]
fn a_missing_spec_says_how_to_start_one() {
    let dir = tempfile::tempdir().unwrap();
    let error = spec::load_file(&dir.path().join("missing.yaml"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("cannot read the spec: No such file") && error.contains("cephspray init"),
        "{error}"
    );
}

/// What the YAML library says to its own programmers, and must never reach a user.
const INTERNALS: &[&str] = &[
    "DuplicateKeyPolicy",
    "Option<",
    "from_str",
    "budget breached",
    "Depth {",
    "invalid u8",
    "invalid u16",
    "invalid u32",
    "invalid IPv4 address syntax",
    "invalid IP address syntax",
    "struct Spec",
    "expected mapping start",
    "expected sequence start",
    "variant identifier",
    "deserialize",
    "<input>",
    ":0:0",
    "Options",
    "serde",
];

/// Words that tell the reader what to do.
const ADVICE: &[&str] = &[
    "write", "add", "remove", "save", "close", "indent", "quote", "line up", "use ", "define",
    "rename", "give", "merge", "drop", "export", "create", "correct",
];

#[test]
fn every_parse_error_says_where_what_and_what_to_write() {
    let node = "nodes:\n  - { name: n1, address: 10.0.0.1 }\n";
    let deep = format!(
        "{BASE}nodes: []\nextra_vars: {{ all: {{ x: {}{} }} }}\n",
        "[".repeat(70),
        "]".repeat(70)
    );
    let aliases = format!(
        "{BASE}nodes: []\nextra_vars:\n  all:\n    a: &a [1]\n{}",
        (0..1100)
            .map(|i| format!("    b{i}: *a\n"))
            .collect::<String>()
    );
    let cases: Vec<String> = vec![
        // Duplicates, nulls, documents, depth, aliases.
        format!("{BASE}{node}cluster: {{ name: y }}\n"),
        format!("{BASE}nodes:\n  - name: n1\n    name: n2\n    address: 10.0.0.1\n"),
        format!("cluster: {{ name: }}\nnetwork: {{ private: 10.0.0.0/24 }}\n{node}"),
        format!("cluster: {{ name: ~ }}\nnetwork: {{ private: 10.0.0.0/24 }}\n{node}"),
        format!("{BASE}nodes:\n  - name:\n    address: 10.0.0.1\n"),
        format!("{BASE}{node}---\ncluster: {{ name: y }}\n"),
        format!("{BASE}{node}...\n---\n{BASE}"),
        deep,
        aliases,
        // Numbers out of range or of the wrong kind.
        format!("{BASE}{node}ceph: {{ size: 256 }}\n"),
        format!("{BASE}{node}ceph: {{ size: -1 }}\n"),
        format!("{BASE}{node}ceph: {{ min_size: two }}\n"),
        format!("{BASE}{node}ceph: {{ pg: {{ target_per_osd: 99999999999 }} }}\n"),
        format!("{BASE}{node}ceph: {{ pools: [{{ name: p, application: rbd, pg_num: 1.5 }}] }}\n"),
        format!("{BASE}{node}ceph: {{ pools: [{{ name: p, application: rbd, share: lots }}] }}\n"),
        format!("{BASE}{node}ceph: {{ dashboard: maybe }}\n"),
        format!("{BASE}nodes: [{{ name: n1, address: 10.0.0.1, ssh: {{ port: 70000 }} }}]\n"),
        // Addresses and networks.
        format!("{BASE}nodes: [{{ name: n1, address: \"fd00::1\" }}]\n"),
        format!("{BASE}nodes: [{{ name: n1, address: not-an-ip }}]\n"),
        format!("{BASE}nodes: [{{ name: n1, address: 10.0.0 }}]\n"),
        "cluster: { name: x }\nnetwork: { private: \"fd00::/8\" }\nnodes: []\n".to_owned(),
        "cluster: { name: x }\nnetwork: { private: 10.0.0.0/40 }\nnodes: []\n".to_owned(),
        "cluster: { name: x }\nnetwork: { private: 10.0.0.0 }\nnodes: []\n".to_owned(),
        "cluster: { name: x }\nnetwork: { private: 10.0.0.0/24, pods: lan }\nnodes: []\n"
            .to_owned(),
        format!("{BASE}{node}ceph: {{ fsid: not-a-uuid }}\n"),
        format!(
            "{BASE}nodes: [{{ name: n1, address: 10.0.0.1, disks: [{{ device: /dev/sdb, size: 3XB }}] }}]\n"
        ),
        format!(
            "{BASE}nodes: [{{ name: n1, address: 10.0.0.1, disks: [{{ device: /dev/sdb, size: 0 }}] }}]\n"
        ),
        format!(
            "{BASE}nodes: [{{ name: n1, address: 10.0.0.1, disks: [{{ device: /dev/sdb, size: -3TB }}] }}]\n"
        ),
        // Structure: missing, unknown, wrong kind of value.
        "cluster: { name: x }\nnodes: []\n".to_owned(),
        format!("{BASE}nodes: [{{ name: n1 }}]\n"),
        format!("{BASE}nodes: [{{ address: 10.0.0.1 }}]\n"),
        format!("{BASE}nodes: [{{ name: n1, adress: 10.0.0.1 }}]\n"),
        format!("{BASE}node: []\n"),
        format!("{BASE}nodes: {{ name: n1 }}\n"),
        format!("{BASE}nodes: n1\n"),
        format!("{BASE}nodes:\n"),
        "cluster:\nnetwork: { private: 10.0.0.0/24 }\nnodes: []\n".to_owned(),
        format!("{BASE}nodes: [{{ name: n1, address: 10.0.0.1, roles: control_plane }}]\n"),
        format!("{BASE}nodes: [{{ name: n1, address: 10.0.0.1, roles: [master] }}]\n"),
        format!("{BASE}nodes: [{{ name: n1, address: 10.0.0.1, ssh: 10.0.0.9 }}]\n"),
        format!("{BASE}nodes: []\nsecrets: {{ ceph_csi_rbd_key: {{ vault: x }} }}\n"),
        format!("{BASE}nodes: []\nsecrets: {{ ceph_csi_rbd_key: env }}\n"),
        format!("{BASE}nodes: []\nextra_vars: {{ everyone: {{ a: 1 }} }}\n"),
        format!("{BASE}nodes: []\nextra_vars: [a]\n"),
        format!("{BASE}nodes: []\nextra_vars: {{ all: {{ x: .nan }} }}\n"),
        format!("{BASE}nodes: []\ntargets: {{ kubespray: \"2.27\" }}\n"),
        format!("{BASE}nodes: []\nceph: {{ release: quincy }}\n"),
        format!("{BASE}nodes: []\nkubernetes: {{ network_plugin: weave }}\n"),
        // Not a spec at all.
        String::new(),
        "# only a comment\n".to_owned(),
        "~\n".to_owned(),
        "[]\n".to_owned(),
        "just text\n".to_owned(),
        "42\n".to_owned(),
        // YAML syntax.
        format!("{BASE}nodes:\n\t- {{ name: n1 }}\n"),
        format!("{BASE}nodes: [{{ name: n1\n"),
        format!("{BASE}nodes: [{{ name: n1 }}\n"),
        "cluster: { name: \"x }\nnetwork: { private: 10.0.0.0/24 }\nnodes: []\n".to_owned(),
        "cluster: { name: \"a\\qb\" }\nnetwork: { private: 10.0.0.0/24 }\nnodes: []\n".to_owned(),
        "cluster: { name: \"\\uD800\" }\nnetwork: { private: 10.0.0.0/24 }\nnodes: []\n".to_owned(),
        format!("{BASE}nodes: *missing\n"),
        format!("{BASE}nodes:\n  - name: n1\n   address: 10.0.0.1\n"),
        format!("{BASE}nodes: []\nextra: a: b\n"),
        format!("{BASE}nodes: []\n@weird: 1\n"),
        "%YAML 1.1\n%YAML 1.1\n---\ncluster: { name: x }\n".to_owned(),
    ];
    let mut failures = Vec::new();
    for text in &cases {
        let error = match spec::parse("hostile.yaml", text) {
            Ok(_) => {
                failures.push(format!("accepted:\n{text}"));
                continue;
            }
            Err(e) => e.to_string(),
        };
        let first = error.lines().next().unwrap_or_default();
        if let Some(internal) = INTERNALS.iter().find(|i| error.contains(**i)) {
            failures.push(format!("`{internal}` in:\n{error}\nfor:\n{text}"));
        }
        if !(located(&error, "hostile.yaml") || first.starts_with("hostile.yaml")) {
            failures.push(format!("not located:\n{error}"));
        }
        if !ADVICE.iter().any(|a| first.to_lowercase().contains(a)) {
            failures.push(format!("no advice in:\n{error}\nfor:\n{text}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
