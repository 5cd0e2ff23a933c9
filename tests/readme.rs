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
