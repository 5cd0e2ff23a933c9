//! README shows one `cephspray pg` run with its output; it must be what the program prints.

#[test]
fn the_readme_pg_example_is_real_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut lines = readme
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("$ cephspray pg"));
    let command = lines
        .next()
        .expect("README has a `$ cephspray pg` example")
        .trim_start();
    let shown: Vec<&str> = lines
        .take_while(|l| l.starts_with("    ") || l.is_empty())
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect();
    let args: Vec<&str> = command.split_whitespace().skip(2).collect();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .args(&args)
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(shown.join("\n").trim_end(), printed.trim_end());
}

#[test]
fn the_readme_render_command_works_as_written() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let command = readme
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("cargo run -- render "))
        .expect("README shows the render command");
    let mut args: Vec<String> = command
        .split_whitespace()
        .skip(3)
        .map(str::to_owned)
        .collect();
    let out_dir = tempfile::tempdir().unwrap();
    let o = args
        .iter()
        .position(|a| a == "-o")
        .expect("an output directory");
    args[o + 1] = out_dir.path().join("inventory").display().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("ANSIBLE_VAULT_PASSWORD_FILE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out_dir.path().join("inventory/hosts.yml").exists());
}

#[test]
fn exit_codes_are_documented_as_the_program_defines_them() {
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let defined = words(cephspray::error::EXIT_CODES);
    for doc in ["README.md", "docs/ci.md"] {
        let text =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(doc))
                .unwrap();
        assert!(
            words(&text).contains(&defined),
            "{doc} must give the exit codes as cephspray::error::EXIT_CODES does: {defined}"
        );
    }
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(words(&String::from_utf8(help.stdout).unwrap()).contains(&defined));
}
