//! The systemd unit that `playbooks/firewall.yml` installs is one systemd accepts:
//! `systemd-analyze verify` reads it as systemd would at boot (its ordering before
//! network-pre.target without default dependencies included).

mod common;

use common::{render, require, root};

#[test]
fn the_firewall_unit_passes_systemd_analyze_verify() {
    let Some(analyze) = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
        .into_iter()
        .map(std::path::Path::new)
        .find(|p| p.exists())
    else {
        require(false, "systemd-analyze (Debian's systemd package)");
        return;
    };
    let tree = render(&root().join("fixtures/pair2jeux.yaml"));
    let playbook: serde_json::Value =
        serde_saphyr::from_str(tree.get("playbooks/firewall.yml").unwrap()).unwrap();
    let unit = playbook[0]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Load the rules at boot")
        .expect("the playbook installs a unit")["ansible.builtin.copy"]["content"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(unit.contains("ExecStart=/usr/sbin/nft -f /etc/cephspray/firewall.nft"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cephspray-firewall.service");
    std::fs::write(&path, &unit).unwrap();
    let out = std::process::Command::new(analyze)
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    // Its own file only: warnings about the machine's other units are not ours.
    assert!(
        !said.contains("cephspray-firewall.service"),
        "systemd-analyze warns about the unit: {said}"
    );
}
