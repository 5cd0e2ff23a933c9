//! The host firewall: one nftables ruleset per node (`firewall/<node>.nft`, in a table of
//! cephspray's own so that kube-proxy's and Calico's tables are left alone) and
//! `playbooks/firewall.yml`, which installs it, loads it and loads it again at boot.

use super::target::{Deploy, File, Group, Stage, Target};
use crate::plan::{Host, Plan};
use minijinja::{Value, context};

/// The firewall as a target (it writes nothing when the spec turns it off).
pub struct Firewall;

/// The one value of [`Firewall`].
pub const FIREWALL: Firewall = Firewall;

/// The playbook that installs the rules.
const PLAYBOOK: &str = "playbooks/firewall.yml";

impl Target for Firewall {
    fn namespace(&self) -> &'static str {
        "firewall"
    }

    fn label(&self, _: &Plan) -> Option<String> {
        None
    }

    fn groups(&self, _: &Plan) -> Vec<Group> {
        Vec::new()
    }

    fn context(&self, _: &Plan) -> Value {
        context! {}
    }

    fn files(&self, plan: &Plan) -> Vec<File> {
        if !plan.network.firewall {
            return Vec::new();
        }
        let mut files: Vec<File> = plan
            .hosts
            .iter()
            .enumerate()
            .map(|(i, host)| {
                File::for_host(format!("firewall/{}.nft", host.name), "firewall.nft.j2", i)
            })
            .collect();
        files.push(File::new(PLAYBOOK, "playbooks/firewall.yml.j2"));
        files
    }

    fn host_vars(&self, _: &Host) -> bool {
        false
    }

    fn deploy(&self, plan: &Plan) -> Deploy {
        Deploy {
            stage: Stage::Firewall,
            enter: None,
            playbook: None,
            then: if plan.network.firewall {
                vec![PLAYBOOK.to_owned()]
            } else {
                Vec::new()
            },
        }
    }
}
