//! The top of the spec: the cluster's name and the sections below it.

use super::patterns::CLUSTER_NAME;
use super::{Ceph, Kubernetes, Network, Node, Secrets, Targets, VarGroup};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A Kubernetes + Ceph cluster on a few servers.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The cluster as a whole.
    pub cluster: Cluster,
    /// The releases of kubespray and ceph-ansible the inventory is written for.
    #[serde(default)]
    pub targets: Targets,
    /// The networks every service binds to.
    pub network: Network,
    /// The servers, in the order they should be listed.
    pub nodes: Vec<Node>,
    /// The Ceph cluster.
    #[serde(default)]
    pub ceph: Ceph,
    /// The Kubernetes cluster.
    #[serde(default)]
    pub kubernetes: Kubernetes,
    /// Where each secret comes from. Never a value: `generate` (the default for every secret the
    /// cluster needs), `{ env: NAME }` or `{ file: PATH }`. Values end up encrypted in
    /// `group_vars/all/vault.yml`.
    #[serde(default)]
    pub secrets: Secrets,
    /// Variables the model does not cover yet, per inventory group, rendered as given.
    /// Keys are role names (see `Role`) or `all` / `k8s_cluster`, then Ansible variable names;
    /// values are written as typed YAML (a string stays a string, whatever YAML 1.1 would make
    /// of it). The one place where Jinja passes through: Ansible templates these values, so
    /// `{{ … }}` here runs on the Ansible controller (every other spec string is data).
    #[serde(default)]
    pub extra_vars: IndexMap<VarGroup, IndexMap<String, serde_json::Value>>,
}

/// The cluster as a whole.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// A short name, used in generated comments and as the seed of derived identifiers: a DNS
    /// label (lowercase letters, digits and `-` inside, at most 63 characters).
    #[schemars(pattern(CLUSTER_NAME), example = &"pair2jeux")]
    pub name: String,
}
