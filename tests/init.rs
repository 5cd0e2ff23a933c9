//! `cephspray init`: a starting spec that passes `check` as written, for every cluster size.

use cephspray::init::{InitError, Request, generate};
use cephspray::spec::Role;

fn request(hosts: &[&str]) -> Request {
    Request {
        name: "demo".to_owned(),
        hosts: hosts.iter().map(|h| h.to_string()).collect(),
        network: None,
        disks: vec!["/dev/sdb=3TB".to_owned(), "/dev/sda3=1TB".to_owned()],
        large_from: 10,
    }
}

fn range(n: usize) -> String {
    let first = std::net::Ipv4Addr::new(10, 20, 0, 1);
    let last = std::net::Ipv4Addr::from(u32::from(first) + n as u32 - 1);
    format!("{first}-{last}")
}

fn count(spec: &cephspray::spec::Spec, role: Role) -> usize {
    spec.nodes
        .iter()
        .filter(|n| cephspray::spec::roles_of(n).contains(&role))
        .count()
}

#[test]
fn every_size_passes_check_as_written() {
    for n in [1usize, 2, 3, 4, 7, 9, 10, 25, 100, 300] {
        let text = generate(&request(&[&range(n)]), "cluster.schema.json").unwrap();
        let spec =
            cephspray::spec::parse("init.yaml", &text).unwrap_or_else(|e| panic!("{n} nodes: {e}"));
        let found = cephspray::check_spec(&spec);
        assert!(
            !cephspray::check::has_errors(&found),
            "{n} nodes: {found:#?}"
        );
        assert_eq!(spec.nodes.len(), n);
        let (etcd, mons) = (count(&spec, Role::Etcd), count(&spec, Role::Mon));
        let expected = match n {
            0..=2 => 1,
            3..=9 => 3,
            _ => 5,
        };
        assert_eq!((etcd, mons), (expected, expected), "{n} nodes");
        assert!(count(&spec, Role::ControlPlane) == if n < 3 { 1 } else { 3 });
        if n >= 10 {
            let first = &spec.nodes[0];
            assert!(
                !first.roles.contains(&Role::Worker) && !first.roles.contains(&Role::Osd),
                "dedicated"
            );
        }
        assert!(text.starts_with("# yaml-language-server: $schema=cluster.schema.json\n"));
        assert!(text.ends_with('\n'));
        // Rendering it works too (with a vault password for the CSI key).
        let inputs = cephspray::Inputs {
            vault_password: Some(b"pw"),
            ..cephspray::Inputs::new("init.yaml")
        };
        cephspray::build(&spec, &inputs).unwrap_or_else(|e| panic!("{n} nodes: {e}"));
    }
}

#[test]
fn small_clusters_give_every_node_every_role() {
    let text = generate(&request(&["10.8.0.1-10.8.0.3"]), "s").unwrap();
    let spec = cephspray::spec::parse("x", &text).unwrap();
    assert!(
        spec.nodes.iter().all(|n| n.roles.is_empty()),
        "no roles listed: all of them"
    );
    assert_eq!(spec.network.private.network.to_string(), "10.8.0.0/24");
    assert!(
        text.contains("type: partition"),
        "/dev/sda3 is recognised as a partition"
    );
}

#[test]
fn named_entries_with_ssh_addresses() {
    let text = generate(
        &request(&["cp1,192.168.10.11,203.0.113.11", "w1,192.168.10.21"]),
        "s",
    )
    .unwrap();
    let spec = cephspray::spec::parse("x", &text).unwrap();
    assert_eq!(spec.nodes[0].name, "cp1");
    assert_eq!(
        spec.nodes[0].ssh.as_ref().unwrap().address.as_deref(),
        Some("203.0.113.11")
    );
    assert!(spec.nodes[1].ssh.is_none());
}

#[test]
fn bad_entries_are_explained() {
    let error = |hosts: &[&str]| generate(&request(hosts), "s").unwrap_err().to_string();
    assert!(error(&["10.8.0.300"]).contains("not an IPv4 address"));
    assert!(error(&["Bad_Name,10.8.0.1"]).contains("RFC 1123"));
    assert!(error(&["10.8.0.9-10.8.0.1"]).contains("reversed"));
    assert!(error(&["a,10.8.0.1,1.2.3.4,extra"]).contains("too many fields"));
    let mut no_disks = request(&["10.8.0.1"]);
    no_disks.disks.clear();
    assert_eq!(generate(&no_disks, "s").unwrap_err(), InitError::NoDisks);
    let mut outside = request(&["10.8.0.1"]);
    outside.network = Some("10.9.0.0/24".parse().unwrap());
    assert!(
        generate(&outside, "s")
            .unwrap_err()
            .to_string()
            .contains("outside --network")
    );
}

#[test]
fn the_cli_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("cluster.yaml");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cephspray"))
            .args(["init", "10.8.0.1-10.8.0.3", "--disk", "/dev/sdb=3TB", "-o"])
            .arg(&spec)
            .args(extra)
            .output()
            .unwrap()
    };
    assert!(run(&[]).status.success());
    assert!(
        dir.path().join("cluster.schema.json").exists(),
        "the schema editors read"
    );
    std::fs::write(&spec, "# mine\n").unwrap();
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), "# mine\n");
    assert!(run(&["--force"]).status.success());
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .arg("check")
        .arg(&spec)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn disk_sizes_are_written_exactly() {
    use cephspray::spec::ByteSize;
    for (given, written, bytes) in [
        ("3TiB", "3TiB", 3 << 40),
        ("3TB", "3TB", 3_000_000_000_000),
        ("2.9TB", "2.9TB", 2_900_000_000_000),
        ("100gib", "100gib", 100 << 30),
        ("1.5TiB", "1.5TiB", 3 << 39),
        (" 2.5 TB", "2500GB", 2_500_000_000_000),
        ("3298534883328", "3298534883328", 3 << 40),
        ("1e3GB", "1TB", 1_000_000_000_000),
        ("6000000001B", "6000000001B", 6_000_000_001),
    ] {
        let mut req = request(&["10.8.0.1-10.8.0.3"]);
        req.disks = vec![format!("/dev/sdb={given}")];
        let text = generate(&req, "cluster.schema.json").unwrap();
        assert!(
            text.contains(&format!("size: {written} }}"))
                || text.contains(&format!("size: \"{written}\" }}")),
            "{given}: {text}"
        );
        let spec = cephspray::spec::parse("init.yaml", &text).unwrap();
        assert_eq!(
            spec.nodes[0].disks[0].size,
            ByteSize(bytes),
            "{given} is kept to the byte"
        );
    }
}

#[test]
fn the_cli_refuses_links_directories_and_pipes_as_its_output() {
    let dir = tempfile::tempdir().unwrap();
    let run = |output: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cephspray"))
            .args([
                "init",
                "10.8.0.1",
                "--disk",
                "/dev/sdb=3TB",
                "--force",
                "-o",
            ])
            .arg(output)
            .output()
            .unwrap()
    };
    std::fs::write(dir.path().join("real.yaml"), "# mine\n").unwrap();
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink("real.yaml", &link).unwrap();
    let fifo = dir.path().join("spec.fifo");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
    for (output, what) in [
        (link.as_path(), "is a symbolic link (to real.yaml)"),
        (dir.path(), "is a directory, not a spec file"),
        (fifo.as_path(), "is a named pipe (FIFO), not a spec file"),
    ] {
        let out = run(output);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(&format!("{} {what}", output.display())),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("real.yaml")).unwrap(),
        "# mine\n"
    );

    // The schema beside it: a FIFO there is left alone, not waited on.
    let schema = dir.path().join("cluster.schema.json");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &schema,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
    let out = run(&dir.path().join("new.yaml"));
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the schema was not written"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn what_check_would_refuse_is_refused_before_anything_is_written() {
    for (name, hosts) in [
        ("My Cluster!", "10.8.0.1"),
        ("demo", "etcd,10.8.0.1"),
        ("demo", "all,10.8.0.1"),
    ] {
        let asked = Request {
            name: name.to_owned(),
            ..request(&[hosts])
        };
        match generate(&asked, "cluster.schema.json") {
            Err(InitError::Refused(message)) => {
                assert!(message.contains("name"), "{name} {hosts}: {message}")
            }
            other => panic!("{name} {hosts}: {other:?}"),
        }
    }
}
