//! Where each secret comes from (never a value: values live in the vault).

use super::{SecretNeed, spelled};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where each secret comes from; a secret the cluster needs and that is not listed is generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Secrets {
    /// The Ceph dashboard's admin password (with `ceph.dashboard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceph_dashboard_admin_password: Option<SecretSource>,
    /// Grafana's admin password (with `ceph.dashboard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceph_grafana_admin_password: Option<SecretSource>,
    /// The cephx key of ceph-csi's CephFS user (with a cephfs storage class).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceph_csi_cephfs_key: Option<SecretSource>,
    /// The cephx key of ceph-csi's RBD user (with an rbd storage class).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceph_csi_rbd_key: Option<SecretSource>,
    /// Argo CD's admin password (with `kubernetes.addons.argocd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argocd_admin_password: Option<SecretSource>,
    /// Each node's WireGuard private key (with `network.private.provider: wireguard`), by node
    /// name: base64 of 32 bytes, as `wg genkey` prints it.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub wireguard: IndexMap<String, SecretSource>,
}

impl Secrets {
    /// The source given for a secret, if any.
    pub fn source(&self, need: &SecretNeed) -> Option<&SecretSource> {
        match need.name {
            SecretName::CephDashboardAdminPassword => self.ceph_dashboard_admin_password.as_ref(),
            SecretName::CephGrafanaAdminPassword => self.ceph_grafana_admin_password.as_ref(),
            SecretName::CephCsiCephfsKey => self.ceph_csi_cephfs_key.as_ref(),
            SecretName::CephCsiRbdKey => self.ceph_csi_rbd_key.as_ref(),
            SecretName::ArgocdAdminPassword => self.argocd_admin_password.as_ref(),
            SecretName::Wireguard => need.node.as_ref().and_then(|n| self.wireguard.get(n)),
        }
    }

    /// The secrets given a source, by their place in the spec (`ceph_csi_rbd_key`,
    /// `wireguard.node1`).
    pub fn given(&self) -> Vec<String> {
        let fixed = [
            (
                SecretName::CephDashboardAdminPassword,
                &self.ceph_dashboard_admin_password,
            ),
            (
                SecretName::CephGrafanaAdminPassword,
                &self.ceph_grafana_admin_password,
            ),
            (SecretName::CephCsiCephfsKey, &self.ceph_csi_cephfs_key),
            (SecretName::CephCsiRbdKey, &self.ceph_csi_rbd_key),
            (SecretName::ArgocdAdminPassword, &self.argocd_admin_password),
        ];
        fixed
            .into_iter()
            .filter(|(_, source)| source.is_some())
            .map(|(name, _)| name.as_str().to_owned())
            .chain(
                self.wireguard
                    .keys()
                    .map(|node| format!("wireguard.{node}")),
            )
            .collect()
    }
}

spelled! {
    /// The secrets a cluster may need.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
    )]
    pub enum SecretName {
        /// The Ceph dashboard's admin password (with `ceph.dashboard`).
        CephDashboardAdminPassword = "ceph_dashboard_admin_password",
        /// Grafana's admin password (with `ceph.dashboard`).
        CephGrafanaAdminPassword = "ceph_grafana_admin_password",
        /// The cephx key of ceph-csi's CephFS user (with a cephfs storage class).
        CephCsiCephfsKey = "ceph_csi_cephfs_key",
        /// The cephx key of ceph-csi's RBD user (with an rbd storage class).
        CephCsiRbdKey = "ceph_csi_rbd_key",
        /// Argo CD's admin password (with `kubernetes.addons.argocd`).
        ArgocdAdminPassword = "argocd_admin_password",
        /// A node's WireGuard private key (with a WireGuard mesh), one per node.
        Wireguard = "wireguard",
    }
}

/// Where a secret's value comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecretSource {
    /// A new random value the first time, kept in the vault from then on.
    #[default]
    Generate,
    /// The value of this environment variable when rendering.
    Env(String),
    /// The contents of this file (relative to the spec; trailing newline dropped).
    File(std::path::PathBuf),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Secrets` has one field per secret (so the schema lists them as properties); its field
    /// names must be the secrets' spellings, which this keeps true.
    #[test]
    fn every_secret_is_a_field_under_its_name() {
        let all = Secrets {
            ceph_dashboard_admin_password: Some(SecretSource::Generate),
            ceph_grafana_admin_password: Some(SecretSource::Generate),
            ceph_csi_cephfs_key: Some(SecretSource::Generate),
            ceph_csi_rbd_key: Some(SecretSource::Generate),
            argocd_admin_password: Some(SecretSource::Generate),
            wireguard: [("n1".to_owned(), SecretSource::Generate)]
                .into_iter()
                .collect(),
        };
        let json = serde_json::to_value(&all).unwrap();
        let fields: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, SecretName::NAMES);
        let given: Vec<String> = SecretName::NAMES[..5]
            .iter()
            .map(|name| (*name).to_owned())
            .chain(["wireguard.n1".to_owned()])
            .collect();
        assert_eq!(all.given(), given);
    }
}
