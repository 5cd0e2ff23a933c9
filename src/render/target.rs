//! What a target is to `render`: one release of one consumer (a kubespray release, a
//! ceph-ansible branch, ceph-csi's charts) that lays the plan out under its own names. Each is
//! one module of `src/render` with its templates in `templates/<namespace>/`, rendered with its
//! own context only; [`selected`] picks them from the spec's `targets`.

use crate::plan::{Host, Plan};
use crate::spec::{Role, VarGroup};
use minijinja::Value;
use serde::Serialize;

/// One release of one consumer.
pub trait Target: Sync {
    /// Its template directory under `templates/`, e.g. `kubespray-2.31`.
    fn namespace(&self) -> &'static str;

    /// The template directory of the release whose templates it uses where `namespace` has none
    /// of its own (a release that differs from its neighbour in a few files).
    fn inherits(&self) -> Option<&'static str> {
        None
    }

    /// The release as the README lists it (`kubespray v2.31`); `None` leaves it out.
    fn label(&self, plan: &Plan) -> Option<String>;

    /// The inventory groups it defines in hosts.yml, with their members.
    fn groups(&self, plan: &Plan) -> Vec<Group>;

    /// The values its templates read besides `plan`: its variable names and layout choices.
    fn context(&self, plan: &Plan) -> Value;

    /// The files it writes, with their templates (relative to its namespace).
    fn files(&self, plan: &Plan) -> Vec<File>;

    /// Whether this host's `host_vars` file gets its `host_vars.yml.j2` part.
    fn host_vars(&self, host: &Host) -> bool;

    /// How and when the user runs it.
    fn deploy(&self, plan: &Plan) -> Deploy;
}

/// One inventory group of hosts.yml.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The group's name in the consumer.
    pub name: &'static str,
    /// Its hosts (empty for a group of groups).
    pub hosts: Vec<String>,
    /// Its child groups.
    pub children: Vec<&'static str>,
    /// The spec role whose nodes it holds, if it is one.
    #[serde(skip)]
    pub role: Option<Role>,
    /// The spec's `extra_vars` key that addresses it, if any.
    #[serde(skip)]
    pub var_group: Option<VarGroup>,
}

impl Group {
    /// The group holding a role's nodes, addressed by the same `extra_vars` key.
    pub fn of_role(name: &'static str, role: Role, plan: &Plan) -> Group {
        Group {
            name,
            hosts: plan.members[&role].clone(),
            children: Vec::new(),
            role: Some(role),
            var_group: Some(VarGroup::from(role)),
        }
    }
}

/// A file a target writes.
#[derive(Debug, Clone)]
pub struct File {
    /// Path in the inventory directory.
    pub path: String,
    /// Template, relative to the target's namespace.
    pub template: &'static str,
    /// The host (index in `plan.hosts`) the file is about, which its template sees as `host`.
    pub host: Option<usize>,
}

impl File {
    /// A file written from a template of the target.
    pub fn new(path: impl Into<String>, template: &'static str) -> File {
        File {
            path: path.into(),
            template,
            host: None,
        }
    }

    /// A file about one host.
    pub fn for_host(path: impl Into<String>, template: &'static str, host: usize) -> File {
        File {
            path: path.into(),
            template,
            host: Some(host),
        }
    }
}

/// When a target runs in the deploy order, earliest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The private network between the nodes, which everything else binds to.
    Network,
    /// The host firewall, once the private network is up.
    Firewall,
    /// Ceph, which Kubernetes' storage classes need.
    Ceph,
    /// Kubernetes, once Ceph is up.
    Kubernetes,
    /// What runs on Kubernetes.
    Workloads,
}

impl Stage {
    /// What the README calls the stage.
    fn describe(self) -> &'static str {
        match self {
            Stage::Network => "the private network (a WireGuard mesh)",
            Stage::Firewall => "the firewall",
            Stage::Ceph => "Ceph",
            Stage::Kubernetes => "Kubernetes",
            Stage::Workloads => "Ceph's storage classes",
        }
    }
}

/// The deploy order as a sentence: "Ceph first, then Kubernetes and Ceph's storage classes".
/// `deploy` is sorted by stage; a stage with several steps (kubespray, then the etcd
/// snapshots' playbook) is named once.
pub fn order(deploy: &[Deploy]) -> String {
    let mut stages: Vec<&str> = deploy
        .iter()
        .filter(|d| d.enter.is_some() || d.playbook.is_some() || !d.then.is_empty())
        .map(|d| d.stage.describe())
        .collect();
    stages.dedup();
    let Some((first, rest)) = stages.split_first() else {
        return String::new();
    };
    let mut sentence = format!("{}{} first", first[..1].to_uppercase(), &first[1..]);
    if let Some((last, middle)) = rest.split_last() {
        sentence.push_str(", then ");
        for stage in middle {
            sentence.push_str(stage);
            sentence.push_str(", ");
        }
        if !middle.is_empty() {
            sentence.truncate(sentence.len() - 2);
            sentence.push_str(" and ");
        }
        sentence.push_str(last);
    }
    sentence
}

/// How the user runs a target, as the README gives it.
#[derive(Debug, Clone, Serialize)]
pub struct Deploy {
    /// Its place in the deploy order.
    pub stage: Stage,
    /// The shell command that enters the consumer's checkout, from the previous one's.
    pub enter: Option<&'static str>,
    /// The consumer's own playbook, with the arguments it needs.
    pub playbook: Option<&'static str>,
    /// Playbooks of the inventory to run next, relative to it.
    pub then: Vec<String>,
}

/// The targets a plan is rendered for, in the order their groups appear in hosts.yml: the
/// consumers' releases the spec's `targets:` selects, then cephspray's own playbooks (the
/// private network, the firewall, the scheduled etcd snapshots), each of which writes nothing
/// when the spec does not ask for it.
pub fn selected(plan: &Plan) -> [&'static dyn Target; 6] {
    let [kubespray, ceph_ansible, ceph_csi] = releases(plan);
    [
        kubespray,
        ceph_ansible,
        ceph_csi,
        &super::network::NETWORK,
        &super::firewall::FIREWALL,
        &super::etcd_backup::ETCD_BACKUP,
    ]
}

/// The release of each consumer the spec's `targets:` selects: one `match` per consumer, the
/// place the compiler asks about when a release is added.
pub fn releases(plan: &Plan) -> [&'static dyn Target; 3] {
    use crate::spec::{CephAnsibleRelease, CephCsiRelease, KubesprayRelease};
    let kubespray: &'static dyn Target = match plan.targets.kubespray {
        KubesprayRelease::V2_31 => &super::kubespray::v2_31::TARGET,
        KubesprayRelease::V2_30 => &super::kubespray::v2_30::TARGET,
    };
    let ceph_ansible: &'static dyn Target = match plan.targets.ceph_ansible {
        CephAnsibleRelease::Stable9_0 => &super::ceph_ansible::stable_9_0::TARGET,
        CephAnsibleRelease::Stable8_0 => &super::ceph_ansible::stable_8_0::TARGET,
    };
    let ceph_csi: &'static dyn Target = match plan.targets.ceph_csi {
        CephCsiRelease::V3_12 => &super::ceph_csi_3_12::CEPH_CSI,
    };
    [kubespray, ceph_ansible, ceph_csi]
}
