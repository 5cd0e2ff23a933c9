//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod upstream;

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A tool of the venv `scripts/test.sh` makes from kubespray's requirements (`.venv/bin`, or
/// `CEPHSPRAY_ANSIBLE_BIN`): ansible-playbook, ansible-inventory, ansible-vault.
pub fn ansible_tool(name: &str) -> PathBuf {
    std::env::var_os("CEPHSPRAY_ANSIBLE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".venv/bin"))
        .join(name)
}

/// The valid fixtures, by file stem.
pub fn valid_fixtures() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    found.sort();
    found
}

/// The vault password tests render with.
pub const VAULT_PASSWORD: &[u8] = b"test-vault-password";

/// Renders a fixture in memory, as `cephspray render fixtures/NAME.yaml` names it, with
/// generated secrets.
pub fn render(path: &Path) -> cephspray::output::Tree {
    render_over(path, None)
}

/// Renders a fixture as a re-render over an inventory whose vault is `existing_vault`.
pub fn render_over(path: &Path, existing_vault: Option<&str>) -> cephspray::output::Tree {
    let (spec, _) = cephspray::spec::load_file(path).unwrap();
    let source = format!("fixtures/{}", path.file_name().unwrap().to_string_lossy());
    let inputs = cephspray::Inputs {
        vault_password: Some(VAULT_PASSWORD),
        existing_vault,
        ..cephspray::Inputs::new(&source)
    };
    cephspray::build(&spec, &inputs).unwrap().0
}

/// A file's text as Ansible sees it: vaults decrypted.
pub fn plaintext(tree: &cephspray::output::Tree, path: &str) -> String {
    let contents = tree.get(path).unwrap();
    if tree.is_private(path) {
        let plain = cephspray::secrets::vault::decrypt(contents, VAULT_PASSWORD).unwrap();
        String::from_utf8(plain.to_vec()).unwrap()
    } else {
        contents.to_owned()
    }
}
