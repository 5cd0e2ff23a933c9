//! Rules that follow from the spec alone, which every later stage reads the same way: the roles
//! a node plays ("no roles means all roles"), its short name, which nodes hold OSDs, and which
//! secrets the cluster needs.

use super::{Node, Role, SecretName, Spec, StorageKind};
use std::collections::BTreeSet;

/// The roles a node plays: those listed, or all of them when none are.
pub fn roles_of(node: &Node) -> BTreeSet<Role> {
    if node.roles.is_empty() {
        Role::ALL.into_iter().collect()
    } else {
        node.roles.iter().copied().collect()
    }
}

/// The secrets a spec's cluster needs, each with the vault variable that holds it.
pub fn secret_needs(spec: &Spec) -> Vec<SecretNeed> {
    let mut needs = Vec::new();
    if spec.ceph.dashboard {
        needs.push(SecretNeed::new(
            SecretName::CephDashboardAdminPassword,
            SecretKind::Password,
        ));
        needs.push(SecretNeed::new(
            SecretName::CephGrafanaAdminPassword,
            SecretKind::Password,
        ));
    }
    for (kind, secret) in [
        (StorageKind::Cephfs, SecretName::CephCsiCephfsKey),
        (StorageKind::Rbd, SecretName::CephCsiRbdKey),
    ] {
        if spec.kubernetes.storage.iter().any(|c| c.kind == kind) {
            needs.push(SecretNeed::new(secret, SecretKind::CephxKey));
        }
    }
    if spec.kubernetes.addons.argocd {
        needs.push(SecretNeed::new(
            SecretName::ArgocdAdminPassword,
            SecretKind::Password,
        ));
    }
    if spec.network.private.mesh().is_some() {
        needs.extend(spec.nodes.iter().map(|n| SecretNeed::wireguard(&n.name)));
    }
    needs
}

/// Hosts that hold OSDs: CRUSH's failure domains for replicated pools.
pub fn osd_hosts(spec: &Spec) -> usize {
    osd_nodes(spec).count()
}

/// The nodes that hold OSDs: the osd role and at least one disk.
pub fn osd_nodes(spec: &Spec) -> impl Iterator<Item = &Node> {
    spec.nodes
        .iter()
        .filter(|n| roles_of(n).contains(&Role::Osd) && !n.disks.is_empty())
}

/// The first label of a host name, which Ceph uses as the host's name.
pub fn short_name(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// What kind of value a secret is, which decides how a new one is made and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// A password.
    Password,
    /// A cephx key (base64 of Ceph's key structure).
    CephxKey,
    /// A WireGuard (x25519) private key: base64 of 32 bytes.
    WireguardKey,
}

/// One secret the rendered inventory refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretNeed {
    /// Which secret it is.
    pub name: SecretName,
    /// The node it belongs to, for a secret each node has (a WireGuard key).
    pub node: Option<String>,
    /// Its place under the spec's `secrets`: `ceph_csi_rbd_key`, `wireguard.node1`.
    pub label: String,
    /// The vault variable plain files refer to.
    pub vault_var: String,
    /// What kind of value it is, which decides how a new one is made and checked.
    pub kind: SecretKind,
    /// For a WireGuard key, the vault variable that holds its public key, derived from it when
    /// the vault is written (not secret, but kept beside the key it comes from).
    pub public_var: Option<String>,
}

impl SecretNeed {
    /// The need for `name`, held in the vault variable `vault_<name>`.
    pub fn new(name: SecretName, kind: SecretKind) -> Self {
        SecretNeed {
            name,
            node: None,
            label: name.as_str().to_owned(),
            vault_var: format!("vault_{}", name.as_str()),
            kind,
            public_var: None,
        }
    }

    /// A node's WireGuard private key, held in `vault_wireguard_key_<node>` (the node's name
    /// with `.` and `-` as `_`; `check` refuses two nodes that would share it).
    pub fn wireguard(node: &str) -> Self {
        SecretNeed {
            name: SecretName::Wireguard,
            node: Some(node.to_owned()),
            label: format!("wireguard.{node}"),
            vault_var: wireguard_key_var(node),
            kind: SecretKind::WireguardKey,
            public_var: Some(wireguard_public_key_var(node)),
        }
    }
}

/// The vault variable of a node's WireGuard key.
pub fn wireguard_key_var(node: &str) -> String {
    format!("vault_wireguard_key_{}", node.replace(['.', '-'], "_"))
}

/// The vault variable of a node's WireGuard public key.
pub fn wireguard_public_key_var(node: &str) -> String {
    format!(
        "vault_wireguard_public_key_{}",
        node.replace(['.', '-'], "_")
    )
}
