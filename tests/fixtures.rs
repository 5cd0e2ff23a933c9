//! Every fixture: valid ones render to their committed snapshot, deterministically; invalid ones
//! fail with the message their first line expects, and nothing is written.

mod common;

use common::{render, root, valid_fixtures};

#[test]
fn valid_fixtures_match_their_snapshots() {
    for path in valid_fixtures() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let tree = render(&path);
        insta::with_settings!({
            snapshot_path => root().join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, tree.to_listing());
        });
    }
}

#[test]
fn rendering_is_deterministic() {
    for path in valid_fixtures() {
        assert_eq!(render(&path), render(&path), "{}", path.display());
    }
}

#[test]
fn invalid_fixtures_fail_with_their_expected_message_and_write_nothing() {
    let dir = root().join("fixtures/invalid");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} has no `# expect:` line", path.display()));
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("inventory");
        let result = std::process::Command::new(env!("CARGO_BIN_EXE_cephspray"))
            .arg("render")
            .arg(&path)
            .arg("-o")
            .arg(&target)
            .current_dir(root().join("fixtures"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(
            result.status.code(),
            Some(1),
            "{}: {stderr}",
            path.display()
        );
        assert!(
            stderr.contains(expected),
            "{}: expected `{expected}` in:\n{stderr}",
            path.display()
        );
        assert!(
            !target.exists(),
            "{}: something was written",
            path.display()
        );
        assert_eq!(
            std::fs::read_dir(out.path()).unwrap().count(),
            0,
            "{}: staging left behind",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 19, "only {checked} invalid fixtures");
}

#[test]
fn no_variable_is_set_in_two_group_files() {
    for path in valid_fixtures() {
        let tree = render(&path);
        let mut seen: std::collections::HashMap<String, String> = Default::default();
        for (file, contents) in tree.files().filter(|(f, _)| f.starts_with("group_vars/")) {
            let vars: indexmap::IndexMap<String, serde::de::IgnoredAny> =
                serde_saphyr::from_str(contents).unwrap();
            for name in vars.keys() {
                if let Some(other) = seen.insert(name.clone(), file.to_owned()) {
                    panic!("{}: `{name}` is set in {other} and {file}", path.display());
                }
            }
        }
    }
}
