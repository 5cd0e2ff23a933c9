//! Kubernetes storage from Ceph: the fsid clients name the cluster by, the monitors they reach,
//! one least-privilege cephx user per ceph-csi driver, and the storage classes.

use crate::secrets::{SecretKind, SecretNeed};
use crate::spec::{SecretName, Spec, StorageKind};
use indexmap::IndexMap;
use serde::Serialize;

/// Monitors listen on the msgr v1 port too; kernel CephFS clients and ceph-csi reach them there.
const MON_PORT: u16 = 6789;

/// A storage class, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct StoragePlan {
    /// The StorageClass name in Kubernetes.
    pub name: String,
    /// Which ceph-csi driver provisions it.
    pub kind: StorageKind,
    /// CephFS file system.
    pub fs: Option<String>,
    /// CephFS sub-volume group.
    pub subvolume_group: String,
    /// The pool RBD images are created in (rbd classes).
    pub pool: Option<String>,
    /// `Delete` or `Retain`.
    pub reclaim_policy: &'static str,
    /// The default class.
    pub default: bool,
    /// Volumes can grow.
    pub volume_expansion: bool,
    /// A VolumeSnapshotClass of the same name goes with it.
    pub snapshots: bool,
}

/// A cephx user a ceph-csi driver authenticates as.
#[derive(Debug, Clone, Serialize)]
pub struct CsiUser {
    /// The ceph-csi driver whose secret holds this user.
    pub driver: StorageKind,
    /// Ceph's name for it: `client.<id>`.
    pub client: String,
    /// The id ceph-csi is given.
    pub id: String,
    /// Capabilities per daemon, exactly those ceph-csi documents for the driver.
    pub caps: IndexMap<&'static str, String>,
    /// The vault variable holding its key.
    pub key_var: String,
}

/// The fsid: the spec's, or a version 5 UUID of the cluster name, stable across renders.
pub fn fsid(spec: &Spec) -> String {
    spec.ceph
        .fsid
        .unwrap_or_else(|| {
            uuid::Uuid::new_v5(
                &uuid::Uuid::NAMESPACE_DNS,
                format!("{}.fsid.cephspray", spec.cluster.name).as_bytes(),
            )
        })
        .to_string()
}

/// Monitor addresses, in spec order.
pub fn monitors(spec: &Spec) -> Vec<String> {
    spec.nodes
        .iter()
        .filter(|n| crate::spec::roles_of(n).contains(&crate::spec::Role::Mon))
        .map(|n| format!("{}:{MON_PORT}", n.address))
        .collect()
}

/// The storage classes.
pub fn storage_classes(spec: &Spec) -> Vec<StoragePlan> {
    let default_fs = spec.ceph.cephfs.as_ref().map(|fs| fs.name.clone());
    spec.kubernetes
        .storage
        .iter()
        .map(|class| StoragePlan {
            name: class.name.clone(),
            kind: class.kind,
            fs: match class.kind {
                StorageKind::Cephfs => class.fs.clone().or_else(|| default_fs.clone()),
                StorageKind::Rbd => None,
            },
            subvolume_group: class.subvolume_group.clone(),
            pool: class.pool.clone(),
            reclaim_policy: class.reclaim_policy.as_str(),
            default: class.default,
            volume_expansion: class.volume_expansion,
            snapshots: class.snapshots,
        })
        .collect()
}

/// One user per driver in use, with the caps ceph-csi documents for it.
pub fn csi_users(classes: &[StoragePlan]) -> Vec<CsiUser> {
    let mut users = Vec::new();
    let cephfs: Vec<&StoragePlan> = classes
        .iter()
        .filter(|c| c.kind == StorageKind::Cephfs)
        .collect();
    if !cephfs.is_empty() {
        let each = |f: &dyn Fn(&str, &str) -> String| {
            cephfs
                .iter()
                .map(|c| f(c.fs.as_deref().unwrap_or_default(), &c.subvolume_group))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let caps = IndexMap::from([
            ("mon", each(&|fs, _| format!("allow r fsname={fs}"))),
            (
                "osd",
                each(&|fs, _| {
                    format!("allow rw tag cephfs metadata={fs}, allow rw tag cephfs data={fs}")
                }),
            ),
            (
                "mds",
                each(&|fs, group| {
                    format!(
                        "allow r fsname={fs} path=/volumes, allow rws fsname={fs} path=/volumes/{group}"
                    )
                }),
            ),
            ("mgr", "allow rw".to_owned()),
        ]);
        users.push(user(
            StorageKind::Cephfs,
            "csi-cephfs",
            caps,
            SecretName::CephCsiCephfsKey,
        ));
    }
    let pools: Vec<&str> = classes
        .iter()
        .filter(|c| c.kind == StorageKind::Rbd)
        .filter_map(|c| c.pool.as_deref())
        .collect();
    if !pools.is_empty() {
        let profile = pools
            .iter()
            .map(|p| format!("profile rbd pool={p}"))
            .collect::<Vec<_>>()
            .join(", ");
        let caps = IndexMap::from([
            ("mon", "profile rbd".to_owned()),
            ("osd", profile.clone()),
            ("mgr", profile),
        ]);
        users.push(user(
            StorageKind::Rbd,
            "csi-rbd",
            caps,
            SecretName::CephCsiRbdKey,
        ));
    }
    users
}

fn user(
    driver: StorageKind,
    id: &str,
    caps: IndexMap<&'static str, String>,
    secret: SecretName,
) -> CsiUser {
    CsiUser {
        driver,
        client: format!("client.{id}"),
        id: id.to_owned(),
        caps,
        key_var: SecretNeed::new(secret, SecretKind::CephxKey).vault_var,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(extra: &str) -> Spec {
        named("demo", extra)
    }

    fn named(name: &str, extra: &str) -> Spec {
        let text = format!(
            "cluster: {{ name: {name} }}\nnetwork: {{ private: 10.8.0.0/24 }}\nnodes:\n  - {{ name: a, address: 10.8.0.1 }}\n  - {{ name: b, address: 10.8.0.2, roles: [worker] }}\n{extra}"
        );
        crate::spec::parse("t", &text).unwrap()
    }

    #[test]
    fn the_fsid_is_stable_and_can_be_given() {
        assert_eq!(fsid(&spec("")), fsid(&spec("")));
        assert_ne!(fsid(&spec("")), fsid(&named("other", "")));
        let given = spec("ceph: { fsid: 1b9c2f2e-0000-4000-8000-000000000001 }\n");
        assert_eq!(fsid(&given), "1b9c2f2e-0000-4000-8000-000000000001");
        assert_eq!(monitors(&given), vec!["10.8.0.1:6789"], "only mon nodes");
    }

    #[test]
    fn csi_users_get_the_documented_caps_and_nothing_more() {
        let s = spec(
            "ceph:\n  pools: [{ name: d, application: cephfs }, { name: m, application: cephfs }, { name: blocks, application: rbd }]\n  cephfs: { name: media, data_pool: d, metadata_pool: m }\nkubernetes:\n  storage:\n    - { name: files, type: cephfs, subvolume_group: k8s }\n    - { name: block, type: rbd, pool: blocks }\n",
        );
        let users = csi_users(&storage_classes(&s));
        let cephfs = &users[0];
        assert_eq!(cephfs.client, "client.csi-cephfs");
        assert_eq!(cephfs.caps["mon"], "allow r fsname=media");
        assert_eq!(
            cephfs.caps["osd"],
            "allow rw tag cephfs metadata=media, allow rw tag cephfs data=media"
        );
        assert_eq!(
            cephfs.caps["mds"],
            "allow r fsname=media path=/volumes, allow rws fsname=media path=/volumes/k8s"
        );
        assert_eq!(cephfs.caps["mgr"], "allow rw");
        let rbd = &users[1];
        assert_eq!(rbd.client, "client.csi-rbd");
        assert_eq!(rbd.caps.len(), 3);
        assert_eq!(rbd.caps["mon"], "profile rbd");
        assert_eq!(rbd.caps["osd"], "profile rbd pool=blocks");
        assert_eq!(rbd.caps["mgr"], "profile rbd pool=blocks");
        assert!(
            users
                .iter()
                .all(|u| !u.caps.values().any(|c| c.contains("allow *")))
        );
    }
}
