//! cephspray: one typed cluster spec → the Ansible inventory that kubespray and ceph-ansible run
//! against. Data flows one way: spec → check → plan → render → write.

pub mod check;
pub mod error;
pub mod init;
pub mod input;
pub mod output;
pub mod pg;
pub mod plan;
pub mod render;
pub mod schema;
pub mod secrets;
pub mod spec;
pub mod targets;
mod text;
mod vault_file;

pub use vault_file::vault_file;

pub use error::Error;

use std::path::Path;

/// Everything besides the spec that rendering reads. The caller gathers it (the CLI from its
/// flags, the environment and the output directory), so the library does no hidden I/O.
pub struct Inputs<'a> {
    /// The spec as the user named it, for "generated from" headers.
    pub source: &'a str,
    /// The directory `file:` secret sources are relative to.
    pub spec_dir: &'a Path,
    /// The vault password, needed when the cluster has secrets.
    pub vault_password: Option<&'a [u8]>,
    /// The vault currently in the output directory, whose generated secrets are kept.
    pub existing_vault: Option<&'a str>,
    /// Environment lookup for `env:` secret sources.
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// Without a vault password, leave the vault out (marked not compared) instead of
    /// failing: for `render --check` in a CI job that has no password.
    pub skip_vault_without_password: bool,
}

fn no_env(_: &str) -> Option<String> {
    None
}

impl<'a> Inputs<'a> {
    /// Inputs for a spec without secret sources to read: no vault, no environment.
    pub fn new(source: &'a str) -> Self {
        Inputs {
            source,
            spec_dir: Path::new("."),
            vault_password: None,
            existing_vault: None,
            env: &no_env,
            skip_vault_without_password: false,
        }
    }
}

/// Every check of a spec: [`check::check`]'s and, when those find no error, the extra variables
/// that clash with what the rendered inventory sets ([`render::extra_vars`]); errors first, then
/// warnings, each in spec order.
pub fn check_spec(spec: &spec::Spec) -> Vec<check::Diagnostic> {
    check_sized(spec, &pg::Sizing::of(spec))
}

/// [`check_spec`] with the spec's pools already sized.
pub fn check_sized(spec: &spec::Spec, sizing: &pg::Sizing) -> Vec<check::Diagnostic> {
    let mut found = check::check(spec, sizing);
    if !check::has_errors(&found) {
        found.extend(render::extra_vars::clashes(spec, sizing));
        found.sort_by_key(|d| d.severity);
    }
    found
}

/// [`check_spec`], and the secret sources the cluster needs read as `render` reads them
/// (`file:` paths relative to `spec_dir`, `env:` through `env`): everything `render` can refuse
/// about a spec and its inputs.
pub fn check_spec_with_sources(
    spec: &spec::Spec,
    sizing: &pg::Sizing,
    spec_dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<check::Diagnostic> {
    let mut found = check_sized(spec, sizing);
    found.extend(check::sources(spec, spec_dir, env));
    found.sort_by_key(|d| d.severity);
    found
}

/// Checks a spec and, when it has no errors, renders its inventory in memory.
pub fn build(
    spec: &spec::Spec,
    inputs: &Inputs,
) -> Result<(output::Tree, Vec<check::Diagnostic>), Error> {
    let skip_vault = inputs.vault_password.is_none() && inputs.skip_vault_without_password;
    // The same checks as `cephspray check`; secret sources only when the vault is written.
    let sizing = pg::Sizing::of(spec);
    let diagnostics = if skip_vault {
        check_sized(spec, &sizing)
    } else {
        check_spec_with_sources(spec, &sizing, inputs.spec_dir, inputs.env)
    };
    if check::has_errors(&diagnostics) {
        return Err(Error::Check(diagnostics));
    }
    let plan = plan::plan_sized(spec, &sizing, inputs.source);
    let mut tree = render::render(&plan)?;
    if !plan.secrets.is_empty() {
        if skip_vault {
            tree.leave_uncompared(render::VAULT_PATH);
        } else {
            let vault = vault_file(&plan, spec, inputs)?;
            tree.insert_private(render::VAULT_PATH, vault);
        }
    }
    Ok((tree, diagnostics))
}

/// Feeds arbitrary bytes through everything a spec goes through (locating, parsing, checking,
/// rendering with an encrypted vault, writing) and checks what comes out: the fuzz target calls
/// this. A spec that renders is written into a new directory, compared (nothing may differ),
/// written again (nothing may change), and then written over something in the way at one of its
/// paths, chosen by the input: a link to /dev/zero, a FIFO, a directory or a dangling link,
/// which must stop the write with the path named, never hang on it or follow it.
#[doc(hidden)]
pub fn exercise(data: &[u8]) {
    exercise_with(data, true);
}

/// `exercise`, with the vault encrypted (`encrypt`) or, where 10,000 PBKDF2 rounds are too slow
/// (the unoptimised regression test), a placeholder private file standing in for it.
#[doc(hidden)]
pub fn exercise_with(data: &[u8], encrypt: bool) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = spec::Locations::of(text);
    let Ok(spec) = spec::parse("fuzz.yaml", text) else {
        return;
    };
    let found = check_spec(&spec);
    if check::has_errors(&found) {
        return;
    }
    // `file:` secret sources are relative to an empty directory: only absolute ones are read.
    // In memory where there is a tmpfs: creating files on a disk costs more than rendering.
    let Ok(tmp) = tempfile::tempdir_in("/dev/shm").or_else(|_| tempfile::tempdir()) else {
        return;
    };
    let inputs = Inputs {
        spec_dir: tmp.path(),
        vault_password: encrypt.then_some(&b"fuzz"[..]),
        skip_vault_without_password: !encrypt,
        ..Inputs::new("fuzz.yaml")
    };
    let Ok((tree, _)) = build(&spec, &inputs) else {
        return;
    };
    let tree = if tree.uncompared().next().is_some() {
        let mut writable = output::Tree::default();
        for (path, contents) in tree.files() {
            writable.insert(path, contents.to_owned());
        }
        for path in tree.uncompared() {
            writable.insert_private(path, "placeholder vault\n".to_owned());
        }
        writable
    } else {
        tree
    };
    exercise_write(&tree, &tmp.path().join("inventory"), data);
}

fn exercise_write(tree: &output::Tree, dir: &Path, data: &[u8]) {
    let written = output::write::write_unsynced(tree, dir, false)
        .unwrap_or_else(|e| panic!("a rendered tree writes into a new directory: {e}"));
    assert_eq!(
        written.files.len(),
        tree.files().count(),
        "every file is new"
    );
    let changes = output::compare(tree, dir).expect("an inventory just written compares");
    assert!(changes.is_empty(), "written is not rendered: {changes:?}");
    let again = output::write::write_unsynced(tree, dir, false).expect("a second write");
    assert!(again.is_empty(), "a second write changes {again:?}");

    let paths: Vec<&str> = tree.files().map(|(path, _)| path).collect();
    let Some(&last) = data.last() else { return };
    let path = paths[usize::from(last) % paths.len()];
    let at = dir.join(path);
    std::fs::remove_file(&at).expect("a written file");
    let made = match data.len() % 4 {
        0 => std::os::unix::fs::symlink("/dev/zero", &at),
        1 => rustix::fs::mknodat(
            rustix::fs::CWD,
            &at,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
            0,
        )
        .map_err(std::io::Error::from),
        2 => std::fs::create_dir(&at),
        _ => std::os::unix::fs::symlink("nowhere", &at),
    };
    made.expect("something in the way");
    let error = output::write::write_unsynced(tree, dir, true)
        .expect_err("something in the way stops even a forced write");
    assert!(
        error.to_string().contains(&at.display().to_string()),
        "the error names {path}: {error}"
    );
}
