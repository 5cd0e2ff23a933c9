//! Writing: atomic, owns only its own files (the manifest), stops on hand edits, and tells hand
//! edits from spec changes in --check and --diff.

mod common;

use cephspray::output::{Tree, write};
use common::{render, root};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

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
        self.render_to(&self.dir, extra)
    }

    /// `cephspray render` into `dir`, with a deadline: a render that hangs fails the test.
    fn render_to(&self, dir: &Path, extra: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cephspray"));
        command
            .arg("render")
            .arg(&self.spec)
            .arg("-o")
            .arg(dir)
            .arg("--vault-password-file")
            .arg(self.spec.with_file_name("vault-pass"))
            .args(extra)
            .env_remove("ANSIBLE_VAULT_PASSWORD_FILE");
        run_with_deadline(command)
    }

    fn root(&self) -> &Path {
        self._tmp.path()
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

/// Runs a command, failing the test when it does not end within a minute (output goes through
/// files, so a full pipe cannot block it).
fn run_with_deadline(mut command: Command) -> Output {
    let out = tempfile::tempfile().unwrap();
    let err = tempfile::tempfile().unwrap();
    let mut child = command
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not end within a minute");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read = |mut file: std::fs::File| {
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0)).unwrap();
        file.read_to_end(&mut bytes).unwrap();
        bytes
    };
    Output {
        status,
        stdout: read(out),
        stderr: read(err),
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
        stdout(&out).contains(": 22 generated files: 22 unchanged\n"),
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
        "    - { name: cephfs, type: cephfs, reclaim_policy: Delete, default: true, snapshots: true }\n",
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
        !case.file("ceph-csi").exists(),
        "the emptied directories are gone"
    );
    assert!(!case.file("playbooks/ceph-csi.yml").exists());
    assert!(
        case.file("playbooks/ceph-pools.yml").exists(),
        "a directory that still holds generated files stays"
    );
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
        "    - { name: cephfs, type: cephfs, reclaim_policy: Delete, default: true, snapshots: true }\n",
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

/// Every entry under `dir`, links not followed: path, what it is (a link with its target), mode,
/// owner, and a file's contents.
fn listing(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.path().symlink_metadata().unwrap();
            let t = meta.file_type();
            let what = if t.is_symlink() {
                format!(
                    "link to {}",
                    std::fs::read_link(e.path()).unwrap().display()
                )
            } else if t.is_file() {
                format!("file {:?}", std::fs::read(e.path()).unwrap().len())
            } else if t.is_dir() {
                "dir".to_owned()
            } else if t.is_fifo() {
                "fifo".to_owned()
            } else if t.is_socket() {
                "socket".to_owned()
            } else {
                "device".to_owned()
            };
            format!(
                "{} {what} {:o} {}:{}",
                e.path().strip_prefix(dir).unwrap().display(),
                meta.mode() & 0o7777,
                meta.uid(),
                meta.gid()
            )
        })
        .collect()
}

fn mkfifo(path: &Path) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .unwrap();
}

fn running_as_root() -> bool {
    let probe = tempfile::tempfile().unwrap();
    probe.metadata().unwrap().uid() == 0
}

/// Entries of the directory that holds the inventory that cephspray may have left there.
fn staging_leftovers(case: &Case) -> Vec<String> {
    std::fs::read_dir(case.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".cephspray-"))
        .collect()
}

#[test]
fn odd_things_at_generated_paths_are_named_and_never_followed_opened_or_waited_on() {
    let symlink = |to: &'static str| move |p: &Path| std::os::unix::fs::symlink(to, p).unwrap();
    /// A generated path, what is put there, and how.
    type Odd = (&'static str, &'static str, Box<dyn Fn(&Path)>);
    let odd: Vec<Odd> = vec![
        (
            "hosts.yml",
            "is a symbolic link (to /dev/zero), where cephspray writes a regular file",
            Box::new(symlink("/dev/zero")),
        ),
        (
            "hosts.yml",
            "is a named pipe (FIFO), where cephspray writes a regular file",
            Box::new(mkfifo),
        ),
        (
            "hosts.yml",
            "is a symbolic link (to nowhere), where cephspray writes a regular file",
            Box::new(symlink("nowhere")),
        ),
        (
            "hosts.yml",
            "is a directory, where cephspray writes a regular file",
            Box::new(|p: &Path| std::fs::create_dir(p).unwrap()),
        ),
        (
            "hosts.yml",
            "is a socket, where cephspray writes a regular file",
            Box::new(|p: &Path| {
                std::os::unix::net::UnixListener::bind(p).unwrap();
            }),
        ),
        (
            "group_vars/all/vault.yml",
            "is a symbolic link (to /dev/zero), where cephspray writes a regular file",
            Box::new(symlink("/dev/zero")),
        ),
        (
            "group_vars/all/vault.yml",
            "is a named pipe (FIFO), where cephspray writes a regular file",
            Box::new(mkfifo),
        ),
        (
            ".cephspray-manifest",
            "is a named pipe (FIFO), where cephspray writes a regular file",
            Box::new(mkfifo),
        ),
        (
            ".cephspray-manifest",
            "is a symbolic link (to /dev/zero), where cephspray writes a regular file",
            Box::new(symlink("/dev/zero")),
        ),
        (
            "host_vars",
            "is a regular file, where cephspray needs a directory (it writes host_vars/node1.local.yml in it)",
            Box::new(|p: &Path| std::fs::write(p, "mine").unwrap()),
        ),
        (
            "host_vars",
            "is a symbolic link (to /tmp), where cephspray needs a directory",
            Box::new(symlink("/tmp")),
        ),
    ];
    for (path, what, make) in odd {
        let case = Case::new();
        assert!(case.render(&[]).status.success());
        let at = case.file(path);
        if at.is_dir() {
            std::fs::remove_dir_all(&at).unwrap();
        } else {
            std::fs::remove_file(&at).unwrap();
        }
        make(&at);
        case.edit_spec("cert_manager: true", "cert_manager: false");
        let before = listing(&case.dir);
        for extra in [&[][..], &["--force"], &["--check"], &["--diff"]] {
            let out = case.render(extra);
            let expected = format!("{}: {what}", at.display());
            assert_eq!(out.status.code(), Some(2), "{path} {extra:?}");
            assert!(
                stderr(&out).contains(&expected),
                "{path} {extra:?}: {}",
                stderr(&out)
            );
        }
        assert_eq!(listing(&case.dir), before, "{path}: nothing was touched");
        assert!(staging_leftovers(&case).is_empty());
    }
}

#[test]
fn the_users_own_entries_of_every_kind_keep_their_kind_owner_and_mode() {
    let case = Case::new();
    assert!(case.render(&[]).status.success());
    let notes = case.file("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("todo"), "mine").unwrap();
    std::fs::set_permissions(&notes, std::fs::Permissions::from_mode(0o2750)).unwrap();
    std::fs::create_dir(case.file("host_vars/extra")).unwrap();
    std::fs::set_permissions(
        case.file("host_vars/extra"),
        std::fs::Permissions::from_mode(0o700),
    )
    .unwrap();
    mkfifo(&case.file("my.fifo"));
    std::os::unix::net::UnixListener::bind(case.file("my.socket")).unwrap();
    std::os::unix::fs::symlink("hosts.yml", case.file("latest")).unwrap();
    std::os::unix::fs::symlink("nowhere", case.file("gone")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", case.file("zero")).unwrap();
    std::fs::set_permissions(&case.dir, std::fs::Permissions::from_mode(0o750)).unwrap();
    std::fs::set_permissions(
        case.file("group_vars"),
        std::fs::Permissions::from_mode(0o711),
    )
    .unwrap();
    if running_as_root() {
        for dir in [&case.dir, &notes, &case.file("group_vars")] {
            std::os::unix::fs::chown(dir, Some(4242), Some(4343)).unwrap();
        }
    }
    let mine = |listing: Vec<String>| -> Vec<String> {
        listing
            .into_iter()
            .filter(|l| {
                !l.starts_with(".cephspray-manifest ")
                    && !l.starts_with("group_vars/k8s_cluster/addons.yml ")
                    && !l.starts_with("README.md ")
            })
            .collect()
    };
    let before = mine(listing(&case.dir));
    case.edit_spec("cert_manager: true", "cert_manager: false");
    let out = case.render(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(" updated"), "{}", stdout(&out));
    assert_eq!(
        mine(listing(&case.dir)),
        before,
        "every entry but the changed files is as it was: kind, link target, mode, owner"
    );
    assert!(staging_leftovers(&case).is_empty());
}

#[test]
fn o_naming_a_link_renders_into_the_directory_it_points_to() {
    let case = Case::new();
    let real = case.root().join("real-inventory");
    std::fs::create_dir(&real).unwrap();
    let link = case.root().join("inventory-link");
    std::os::unix::fs::symlink("real-inventory", &link).unwrap();
    for _ in 0..2 {
        let out = case.render_to(&link, &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            link.symlink_metadata().unwrap().file_type().is_symlink(),
            "the link stays a link"
        );
        assert_eq!(
            std::fs::read_link(&link).unwrap(),
            Path::new("real-inventory")
        );
        assert!(real.join("hosts.yml").is_file());
        case.edit_spec("cert_manager: true", "cert_manager: false");
        case.edit_spec("cert_manager: false", "cert_manager: true");
    }
    assert_eq!(case.render_to(&link, &["--check"]).status.code(), Some(0));

    let refusals: [(&str, &str, &str); 4] = [
        (
            "dangling",
            "nowhere",
            "is a symbolic link to nowhere, which does not exist; create that directory, or point -o elsewhere",
        ),
        (
            "to-a-file",
            "spec.yaml",
            "is a symbolic link to spec.yaml, which is a regular file, not a directory",
        ),
        (
            "to-a-device",
            "/dev/null",
            "is a symbolic link to /dev/null, which is a character device, not a directory",
        ),
        (
            "to-a-fifo",
            "a.fifo",
            "is a symbolic link to a.fifo, which is a named pipe (FIFO), not a directory",
        ),
    ];
    mkfifo(&case.root().join("a.fifo"));
    for (name, to, message) in refusals {
        let link = case.root().join(name);
        std::os::unix::fs::symlink(to, &link).unwrap();
        let out = case.render_to(&link, &[]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(
            stderr(&out).contains(&format!("{}: {message}", link.display())),
            "{name}: {}",
            stderr(&out)
        );
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    }
    assert!(!case.root().join("nowhere").exists());
}

#[test]
fn o_naming_something_that_is_not_a_directory_is_refused_by_name() {
    let case = Case::new();
    std::fs::write(&case.dir, "a file of mine").unwrap();
    let out = case.render(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(&format!(
        "{}: is a regular file, not a directory",
        case.dir.display()
    )));
    assert_eq!(
        std::fs::read_to_string(&case.dir).unwrap(),
        "a file of mine"
    );
    let below = case.dir.join("sub");
    let out = case.render_to(&below, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "{}: is a regular file, not a directory",
            case.dir.display()
        )),
        "{}",
        stderr(&out)
    );
    let out = case.render_to(Path::new("/dev/null"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/dev/null: is a character device, not a directory"));

    // The directory a shell is in would be replaced under it.
    std::fs::remove_file(&case.dir).unwrap();
    assert!(case.render(&[]).status.success());
    let mut command = Command::new(env!("CARGO_BIN_EXE_cephspray"));
    command
        .arg("render")
        .arg(&case.spec)
        .args(["-o", "..", "--vault-password-file"])
        .arg(case.root().join("vault-pass"))
        .current_dir(case.file("host_vars"));
    let out = run_with_deadline(command);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("..: is the current directory, or holds it"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_read_only_directory_is_an_error_naming_it_and_nothing_is_left_behind() {
    let case = Case::new();
    assert!(case.render(&[]).status.success());
    case.edit_spec("cert_manager: true", "cert_manager: false");
    let read_only = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let before = listing(&case.dir);

    read_only(&case.dir, 0o555);
    let out = case.render(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("{}: is read-only (mode 0555", case.dir.display())),
        "{}",
        stderr(&out)
    );
    read_only(&case.dir, 0o755);
    assert_eq!(listing(&case.dir), before);
    assert!(staging_leftovers(&case).is_empty());

    // A directory the change lands in.
    read_only(&case.file("group_vars/k8s_cluster"), 0o555);
    let out = case.render(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "{}: is read-only (mode 0555); cephspray changes group_vars/k8s_cluster/addons.yml in it",
            case.file("group_vars/k8s_cluster").display()
        )),
        "{}",
        stderr(&out)
    );
    read_only(&case.file("group_vars/k8s_cluster"), 0o755);
    assert_eq!(listing(&case.dir), before);

    // The directory that holds it, where staging happens.
    read_only(case.root(), 0o555);
    let out = case.render(&[]);
    read_only(case.root(), 0o755);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("{}: is read-only", case.root().display())),
        "{}",
        stderr(&out)
    );
    assert_eq!(listing(&case.dir), before);
    assert!(staging_leftovers(&case).is_empty());

    assert!(case.render(&[]).status.success());
}

#[test]
fn only_staging_directories_cephspray_marked_are_removed() {
    let case = Case::new();
    assert!(case.render(&[]).status.success());
    let staging = |token: &str| case.root().join(format!(".inventory.cephspray-{token}"));
    let token = |n: u8| format!("{:032x}", u128::from(n) * 0x0101_0101_0101_0101);
    let mine = [
        staging("mybackup"),
        staging(&token(1)),
        staging(&token(2)),
        staging(&token(3)),
    ];
    for dir in &mine {
        std::fs::create_dir(dir).unwrap();
        std::fs::write(dir.join("precious"), "mine").unwrap();
    }
    // A marker naming another token, and one that names its own but is a link.
    std::fs::write(
        mine[2].join(cephspray::output::STAGING_MARKER),
        write::marker_text(&token(9)),
    )
    .unwrap();
    std::os::unix::fs::symlink("/dev/zero", mine[3].join(cephspray::output::STAGING_MARKER))
        .unwrap();
    let linked = staging(&token(4));
    std::os::unix::fs::symlink(&mine[1], &linked).unwrap();
    std::fs::write(
        mine[1].join(cephspray::output::STAGING_MARKER),
        write::marker_text(&token(4)),
    )
    .unwrap();

    // What killed renders leave: a marked directory with an old inventory in it, an empty one,
    // one with a half-written marker only.
    let stale = staging(&token(5));
    std::fs::create_dir_all(stale.join("new/host_vars")).unwrap();
    std::fs::write(stale.join("new/host_vars/x.yml"), "old").unwrap();
    std::fs::set_permissions(
        stale.join("new/host_vars"),
        std::fs::Permissions::from_mode(0o555),
    )
    .unwrap();
    std::fs::write(
        stale.join(cephspray::output::STAGING_MARKER),
        write::marker_text(&token(5)),
    )
    .unwrap();
    let empty = staging(&token(6));
    std::fs::create_dir(&empty).unwrap();
    let half = staging(&token(7));
    std::fs::create_dir(&half).unwrap();
    std::fs::write(
        half.join(cephspray::output::STAGING_MARKER),
        &write::marker_text(&token(7))[..10],
    )
    .unwrap();

    let out = case.render(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    for dir in &mine {
        assert_eq!(
            std::fs::read_to_string(dir.join("precious")).unwrap(),
            "mine",
            "{} is the user's",
            dir.display()
        );
    }
    assert!(linked.symlink_metadata().is_ok(), "a link is not followed");
    for gone in [&stale, &empty, &half] {
        assert!(!gone.exists(), "{} was a killed render's", gone.display());
    }
}

#[test]
fn the_vault_is_0600_after_every_render() {
    let case = Case::new();
    assert!(case.render(&[]).status.success());
    let vault = case.file(cephspray::render::VAULT_PATH);
    let bytes = std::fs::read(&vault).unwrap();
    let mode = || std::fs::metadata(&vault).unwrap().mode() & 0o7777;
    assert_eq!(mode(), 0o600);
    std::fs::set_permissions(&vault, std::fs::Permissions::from_mode(0o644)).unwrap();
    let check = case.render(&["--check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "a mode is not drift (a checkout does not keep it)"
    );
    assert!(
        stdout(&check).contains(
            "mode 0644, set to 0600 when written (contents unchanged): group_vars/all/vault.yml"
        ),
        "{}",
        stdout(&check)
    );
    let out = case.render(&[]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("; group_vars/all/vault.yml: mode 0644 set to 0600"),
        "{}",
        stdout(&out)
    );
    assert_eq!(mode(), 0o600);
    assert_eq!(std::fs::read(&vault).unwrap(), bytes, "contents kept");

    // Also when other files change (the vault is carried over as it is).
    std::fs::set_permissions(&vault, std::fs::Permissions::from_mode(0o666)).unwrap();
    case.edit_spec("cert_manager: true", "cert_manager: false");
    assert!(case.render(&[]).status.success());
    assert_eq!(mode(), 0o600);
    assert_eq!(std::fs::read(&vault).unwrap(), bytes);
}

/// The generated files of a directory, from its manifest.
fn generated(dir: &Path) -> std::collections::BTreeSet<String> {
    cephspray::output::Manifest::parse(
        &std::fs::read_to_string(dir.join(cephspray::output::MANIFEST)).unwrap(),
    )
    .unwrap()
    .files
    .into_keys()
    .collect()
}

#[test]
fn the_summary_counts_what_happened() {
    let case = Case::new();
    let out = case.render(&[]);
    let first = generated(&case.dir);
    assert!(
        stdout(&out).ends_with(&format!(": {0} generated files: {0} new\n", first.len())),
        "{}",
        stdout(&out)
    );
    let hashes = |dir: &Path| {
        cephspray::output::Manifest::parse(
            &std::fs::read_to_string(dir.join(cephspray::output::MANIFEST)).unwrap(),
        )
        .unwrap()
        .files
    };
    // Another, smaller cluster in the same place: more files go than stay.
    let before = hashes(&case.dir);
    std::fs::copy(root().join("fixtures/single-node-lab.yaml"), &case.spec).unwrap();
    let out = case.render(&["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = hashes(&case.dir);
    let new = after.keys().filter(|p| !before.contains_key(*p)).count();
    let updated = after
        .iter()
        .filter(|(p, h)| before.get(*p).is_some_and(|old| old != *h))
        .count();
    let removed = before.keys().filter(|p| !after.contains_key(*p)).count();
    let unchanged = after.len() - new - updated;
    assert!(removed > 0 && updated > 0);
    let mut expected = format!(": {} generated files: ", after.len());
    let parts: Vec<String> = [(new, "new"), (updated, "updated"), (unchanged, "unchanged")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    expected.push_str(&parts.join(", "));
    expected.push_str(&format!("; {removed} removed (no longer generated)\n"));
    assert!(
        stdout(&out).ends_with(&expected),
        "{} (expected {expected})",
        stdout(&out)
    );
}
