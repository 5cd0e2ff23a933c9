//! The private network as a WireGuard full mesh: `playbooks/network.yml`, which installs
//! WireGuard, writes each node's configuration (its key from the vault, every other node as a
//! peer) and brings the interface up at boot, with the mesh's values in
//! `group_vars/all/network.yml`. Not a consumer's release: the playbook is cephspray's own.

use super::target::{Deploy, File, Group, Stage, Target};
use crate::plan::{Host, Plan};
use minijinja::{Value, context};

/// The mesh as a target (it writes nothing when the spec's private network exists already).
pub struct Network;

/// The one value of [`Network`].
pub const NETWORK: Network = Network;

/// The playbook that sets the mesh up.
const PLAYBOOK: &str = "playbooks/network.yml";

impl Target for Network {
    fn namespace(&self) -> &'static str {
        "network"
    }

    fn label(&self, plan: &Plan) -> Option<String> {
        plan.network
            .mesh
            .as_ref()
            .map(|mesh| format!("a WireGuard mesh on {}", mesh.interface))
    }

    fn groups(&self, _: &Plan) -> Vec<Group> {
        Vec::new()
    }

    fn context(&self, _: &Plan) -> Value {
        context! {}
    }

    fn files(&self, plan: &Plan) -> Vec<File> {
        if plan.network.mesh.is_none() {
            return Vec::new();
        }
        vec![
            File::new(
                "group_vars/all/network.yml",
                "group_vars/all/network.yml.j2",
            ),
            File::new(PLAYBOOK, "playbooks/network.yml.j2"),
        ]
    }

    fn host_vars(&self, host: &Host) -> bool {
        host.mesh.is_some()
    }

    fn deploy(&self, plan: &Plan) -> Deploy {
        Deploy {
            stage: Stage::Network,
            enter: None,
            playbook: None,
            then: if plan.network.mesh.is_some() {
                vec![PLAYBOOK.to_owned()]
            } else {
                Vec::new()
            },
        }
    }
}
