//! Every fixture: valid ones render to their committed snapshot, deterministically; invalid ones
//! fail with the message their first line expects, and nothing is written.

mod common;

use common::{plaintext, render, render_over, root, valid_fixtures};

/// Settings that keep `insta::glob!`'s snapshots where the loop this replaced put them:
/// `snapshots/<dir>/<fixture stem>.snap`, without the `@<file name>` suffix and the
/// `input_file:` header glob! adds (the name already says which fixture it is).
fn snapshot_settings(dir: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join(dir));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.remove_snapshot_suffix();
    settings.remove_input_file();
    settings
}

/// Held by each test that runs `insta::glob!`: glob! counts a failure on the innermost glob of a
/// process-wide stack, so two globs on parallel threads count (and report) each other's failures.
static GLOB: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_glob_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    GLOB.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn stem(path: &std::path::Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// One glob! over fixtures/*.yaml: every mismatching snapshot is reported, not only the first.
#[test]
fn valid_fixtures_match_their_snapshots() {
    let _glob = one_glob_at_a_time();
    let mut seen = 0;
    insta::glob!("../fixtures", "*.yaml", |path| {
        seen += 1;
        let name = stem(path);
        let tree = render(path);
        snapshot_settings("snapshots").bind(|| {
            insta::assert_snapshot!(name, tree.to_listing());
        });
    });
    assert_eq!(
        seen,
        valid_fixtures().len(),
        "glob! and valid_fixtures() disagree"
    );
}

#[test]
fn rendering_is_deterministic() {
    for path in valid_fixtures() {
        // Same spec, same inputs (the vault of the first render): byte-identical files.
        let first = render(&path);
        let vault = first.get(cephspray::render::VAULT_PATH);
        assert_eq!(render_over(&path, vault), first, "{}", path.display());
    }
}

/// The invalid fixtures' file names (fixtures/invalid/inputs/ holds files they refer to).
fn invalid_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("fixtures/invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    names.sort();
    names
}

/// The environment variable the secret fixtures name, never set.
const UNSET_SECRET: &str = "CEPHSPRAY_TEST_UNSET_SECRET";

/// Runs cephspray from the repository root, as a user would on a fixture.
fn cephspray(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .args(args)
        .current_dir(root())
        .env_remove("ANSIBLE_VAULT_PASSWORD_FILE")
        .env_remove(UNSET_SECRET)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// One glob! over fixtures/invalid/*.yaml: every fixture is tried, its snapshot compared first,
/// and every failure (snapshot or assertion) is reported before the test fails.
#[test]
fn invalid_fixtures_fail_with_their_expected_message_and_write_nothing() {
    let mut failures: Vec<String> = Vec::new();
    let _glob = one_glob_at_a_time();
    let mut seen = 0;
    insta::glob!("../fixtures/invalid", "*.yaml", |path| {
        seen += 1;
        let name = stem(path);
        let relative = format!("fixtures/invalid/{name}.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("inventory");
        let result = cephspray(&[
            "render".as_ref(),
            relative.as_ref(),
            "-o".as_ref(),
            target.as_os_str(),
        ]);
        let stderr =
            String::from_utf8_lossy(&result.stderr).replace(&target.display().to_string(), "[OUT]");
        let mut settings = snapshot_settings("snapshots/invalid");
        settings.set_description(relative.clone());
        settings.bind(|| {
            insta::assert_snapshot!(name, stderr);
        });
        let mut fail = |what: String| {
            eprintln!("{relative}: {what}");
            failures.push(format!("{relative}: {what}"));
        };
        match text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
        {
            None => fail("no `# expect:` line".to_owned()),
            Some(expected) if !stderr.contains(expected) => {
                fail(format!("expected `{expected}` in:\n{stderr}"))
            }
            Some(_) => {}
        }
        if result.status.code() != Some(1) {
            fail(format!("exit {:?}, not 1: {stderr}", result.status.code()));
        }
        if target.exists() {
            fail("something was written".to_owned());
        }
        if std::fs::read_dir(out.path()).unwrap().count() != 0 {
            fail("staging left behind".to_owned());
        }
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(seen >= 24, "only {seen} invalid fixtures");
}

/// `check` answers for `render`: on every invalid fixture both fail with exit 1 and report the
/// same errors, with the same locations, so nothing render refuses gets past check.
#[test]
fn check_refuses_what_render_refuses_with_the_same_errors() {
    for name in invalid_fixtures() {
        let relative = format!("fixtures/invalid/{name}");
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("inventory");
        let check = cephspray(&["check".as_ref(), relative.as_ref()]);
        let render = cephspray(&[
            "render".as_ref(),
            relative.as_ref(),
            "-o".as_ref(),
            target.as_os_str(),
        ]);
        let check_errors = String::from_utf8_lossy(&check.stderr).into_owned();
        let render_errors = String::from_utf8_lossy(&render.stderr).replace(
            &format!("nothing was written to {}\n", target.display()),
            "",
        );
        assert_eq!(check.status.code(), Some(1), "{relative}: {check_errors}");
        assert_eq!(render.status.code(), Some(1), "{relative}: {render_errors}");
        assert_eq!(check_errors, render_errors, "{relative}");
        assert!(
            check.stdout.is_empty(),
            "{relative}: check printed a report"
        );
    }
}

#[test]
fn no_variable_is_set_in_two_group_files() {
    for path in valid_fixtures() {
        let tree = render(&path);
        let mut seen: std::collections::HashMap<String, String> = Default::default();
        for (file, _) in tree.files().filter(|(f, _)| f.starts_with("group_vars/")) {
            let contents = plaintext(&tree, file);
            let vars: indexmap::IndexMap<String, serde::de::IgnoredAny> =
                serde_saphyr::from_str(&contents).unwrap_or_else(|e| panic!("{file}: {e}"));
            for name in vars.keys() {
                if let Some(other) = seen.insert(name.clone(), file.to_owned()) {
                    panic!("{}: `{name}` is set in {other} and {file}", path.display());
                }
            }
        }
    }
}

#[test]
fn every_file_says_it_is_generated_and_from_which_spec() {
    for path in valid_fixtures() {
        let source = format!("fixtures/{}", path.file_name().unwrap().to_string_lossy());
        let tree = render(&path);
        for (file, _) in tree.files() {
            let contents = plaintext(&tree, file);
            let first = contents.lines().next().unwrap_or_default();
            assert!(
                first.contains(&format!("Generated by cephspray from {source}")),
                "{file} of {source} starts with {first:?}"
            );
        }
    }
}

#[test]
fn every_rendered_variable_is_documented() {
    let doc = std::fs::read_to_string(root().join("docs/generated-files.md")).unwrap();
    for path in valid_fixtures() {
        let (spec, _) = cephspray::spec::load_file(&path).unwrap();
        let extra: Vec<&String> = spec
            .extra_vars
            .values()
            .flat_map(|vars| vars.keys())
            .collect();
        let tree = render(&path);
        for (file, _) in tree.files() {
            let yaml = file.starts_with("group_vars/") || file.starts_with("host_vars/");
            if !yaml || file.ends_with("extra-vars.yml") {
                continue;
            }
            let contents = plaintext(&tree, file);
            let vars: indexmap::IndexMap<String, serde::de::IgnoredAny> =
                serde_saphyr::from_str(&contents).unwrap();
            for name in vars
                .keys()
                .filter(|n| !extra.contains(n) && !n.starts_with("vault_"))
            {
                assert!(
                    doc.contains(&format!("`{name}`")),
                    "{file}: `{name}` is not in docs/generated-files.md"
                );
            }
        }
    }
}
