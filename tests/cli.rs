//! The command line as users meet it: completions, man page, colour, JSON, pipes, exit codes.

use std::process::{Command, Stdio};

fn cephspray(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = cephspray(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("render") && script.contains("vault-password-file"),
            "{shell}"
        );
    }
    assert_eq!(cephspray(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn a_man_page() {
    let out = cephspray(&["man"]);
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH cephspray"),
        "{page:.200}"
    );
    assert!(page.contains("Exit codes"));
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let spec = "fixtures/single-node-lab.yaml";
    let escape =
        |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).contains('\u{1b}');
    assert!(
        escape(&cephspray(&["check", spec, "--color", "always"])),
        "warnings in colour"
    );
    assert!(!escape(&cephspray(&["check", spec, "--color", "never"])));
    assert!(
        !escape(&cephspray(&["check", spec])),
        "not a terminal: no colour"
    );
    let no_color = Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .args(["check", spec])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!escape(&no_color));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .args(["completions", "zsh"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_as_json() {
    let out = cephspray(&[
        "check",
        "fixtures/invalid/address-outside-network.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], false);
    let first = &json["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["path"], "nodes[2].address");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(8), Some(26))
    );

    let out = cephspray(&[
        "check",
        "fixtures/invalid/unknown-field.yaml",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`rolez` is not a field in nodes[0]: write `roles`")
    );
    assert_eq!(json["diagnostics"][0]["path"], "nodes[0].rolez");
    assert!(json["diagnostics"][0]["line"].is_u64());

    let out = cephspray(&["check", "fixtures/pair2jeux.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], true);
    assert_eq!(json["pg"]["pools"][0]["pg_num"], 256);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(cephspray(&["render"]).status.code(), Some(2));
    assert_eq!(cephspray(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn check_as_json_answers_in_json_whatever_happens() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("spec.fifo");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .unwrap();
    let missing = dir.path().join("missing.yaml");
    let huge = dir.path().join("huge.yaml");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    for (spec, message) in [
        (missing.as_path(), "cannot read the spec: No such file"),
        (
            fifo.as_path(),
            "it is a named pipe (FIFO), not a regular file",
        ),
        (dir.path(), "it is a directory, not a regular file"),
        (huge.as_path(), "is too large for a cluster spec"),
    ] {
        let spec = spec.to_str().unwrap();
        let out = cephspray(&["check", spec, "--format", "json"]);
        assert_eq!(out.status.code(), Some(2), "{spec}");
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{spec}: {e}: {}", String::from_utf8_lossy(&out.stdout)));
        assert_eq!(json["ok"], false);
        assert_eq!(json["spec"], spec);
        let diagnostic = &json["diagnostics"][0];
        assert_eq!(diagnostic["severity"], "error");
        assert!(
            diagnostic["message"].as_str().unwrap().contains(message),
            "{spec}: {diagnostic}"
        );

        let out = cephspray(&["pg", spec, "--format", "json"]);
        assert_eq!(out.status.code(), Some(2), "pg {spec}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            json["errors"][0].as_str().unwrap().contains(message),
            "pg {spec}: {json}"
        );
    }
}

#[test]
fn check_as_json_lists_each_finding_once() {
    for fixture in [
        "fixtures/invalid/share-out-of-range.yaml",
        "fixtures/invalid/too-many-pgs.yaml",
        "fixtures/pair2jeux.yaml",
    ] {
        let out = cephspray(&["check", fixture, "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let messages: Vec<&str> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["message"].as_str().unwrap())
            .collect();
        let mut unique = messages.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), messages.len(), "{fixture}: {messages:#?}");
        // The pool sizing's findings are diagnostics (at their spec paths), not repeated in `pg`.
        if json["pg"].is_object() {
            assert!(json["pg"].get("warnings").is_none() && json["pg"].get("errors").is_none());
            assert!(json["pg"]["pools"].is_array());
        }
    }
    let out = cephspray(&[
        "check",
        "fixtures/invalid/share-out-of-range.yaml",
        "--format",
        "json",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("pool shares add up to 250%").count(),
        1,
        "{text}"
    );
}
