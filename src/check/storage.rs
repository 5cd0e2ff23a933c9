//! Checks of the Kubernetes storage classes against the Ceph side of the spec.

use super::Diagnostic;
use super::nodes::is_rfc1123_name;
use crate::spec::{Application, ReclaimPolicy, Role, Spec, StorageKind};

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let classes = &spec.kubernetes.storage;
    if classes.is_empty() {
        return;
    }
    if !spec.kubernetes.helm {
        found.push(Diagnostic::error(
            "kubernetes.helm",
            "storage classes are installed with Helm (the ceph-csi charts): set kubernetes.helm: true",
        ));
    }
    if !spec
        .nodes
        .iter()
        .any(|n| crate::spec::roles_of(n).contains(&Role::CephClient))
    {
        found.push(Diagnostic::error(
            "kubernetes.storage",
            "the cephx users of ceph-csi are created from a Ceph client node, and no node has the ceph_client role: add it to one",
        ));
    }
    let mut defaults = Vec::new();
    for (i, class) in classes.iter().enumerate() {
        let at = format!("kubernetes.storage[{i}]");
        if !is_rfc1123_name(&class.name) {
            found.push(Diagnostic::error(
                format!("{at}.name"),
                format!("`{}` is not a valid storage class name: lowercase letters, digits, `-` and `.`", class.name),
            ));
        }
        if let Some(first) = classes[..i].iter().position(|c| c.name == class.name) {
            found.push(Diagnostic::error(
                format!("{at}.name"),
                format!(
                    "storage class `{}` is already defined as kubernetes.storage[{first}]: rename or remove one",
                    class.name
                ),
            ));
        } else if let Some(first) = classes[..i].iter().position(|c| c.kind == class.kind) {
            found.push(Diagnostic::error(
                format!("{at}.type"),
                format!(
                    "kubernetes.storage[{first}] is already a {} class: each ceph-csi chart creates one storage class; remove one of them",
                    class.kind.as_str()
                ),
            ));
        }
        match class.kind {
            StorageKind::Cephfs => check_cephfs(spec, i, found),
            StorageKind::Rbd => check_rbd(spec, i, found),
        }
        if class.default {
            defaults.push(i);
            if class.reclaim_policy == ReclaimPolicy::Delete {
                found.push(Diagnostic::warning(
                    format!("{at}.reclaim_policy"),
                    format!(
                        "the default class `{}` deletes a volume's data with its claim: claims made without a \
                         class choice lose their data on deletion; consider Retain",
                        class.name
                    ),
                ));
            }
        }
    }
    if defaults.len() > 1 {
        found.push(Diagnostic::error(
            format!("kubernetes.storage[{}].default", defaults[1]),
            format!(
                "kubernetes.storage[{}] is already the default class: Kubernetes needs at most one; \
                 set `default: true` on one class only",
                defaults[0]
            ),
        ));
    }
}

fn check_cephfs(spec: &Spec, i: usize, found: &mut Vec<Diagnostic>) {
    let class = &spec.kubernetes.storage[i];
    let at = format!("kubernetes.storage[{i}]");
    let created = spec.ceph.cephfs.as_ref().map(|fs| fs.name.as_str());
    match (class.fs.as_deref(), created) {
        (_, None) => found.push(Diagnostic::error(
            format!("{at}.fs"),
            "a cephfs storage class needs a CephFS file system, and the spec creates none: add ceph.cephfs",
        )),
        (Some(fs), Some(created)) if fs != created => found.push(Diagnostic::error(
            format!("{at}.fs"),
            format!(
                "file system `{fs}` is not created by the spec (ceph.cephfs is `{created}`): write \
                 `{created}`, or drop fs to use it"
            ),
        )),
        _ => {}
    }
    if class.pool.is_some() {
        found.push(Diagnostic::error(
            format!("{at}.pool"),
            "a cephfs class stores data in the file system's pools; `pool` is for rbd classes: remove it",
        ));
    }
    let group = &class.subvolume_group;
    if group.is_empty() || group.contains(['/', ' ']) {
        found.push(Diagnostic::error(
            format!("{at}.subvolume_group"),
            format!("`{group}` is not a sub-volume group name (no `/`, no spaces)"),
        ));
    }
}

fn check_rbd(spec: &Spec, i: usize, found: &mut Vec<Diagnostic>) {
    let class = &spec.kubernetes.storage[i];
    let at = format!("kubernetes.storage[{i}]");
    let Some(pool) = class.pool.as_deref() else {
        found.push(Diagnostic::error(
            format!("{at}.pool"),
            "an rbd storage class needs a pool of its own: add one to ceph.pools (application: rbd) and name it here",
        ));
        return;
    };
    match spec.ceph.pools.iter().position(|p| p.name == pool) {
        None => found.push(Diagnostic::error(
            format!("{at}.pool"),
            format!("pool `{pool}` is not defined in ceph.pools: add it (application: rbd)"),
        )),
        Some(p) if spec.ceph.pools[p].application != Application::Rbd => found.push(Diagnostic::error(
            format!("{at}.pool"),
            format!("pool `{pool}` (ceph.pools[{p}]) is not an rbd pool: give the class a pool with application: rbd"),
        )),
        Some(_) => {}
    }
    if class.fs.is_some() {
        found.push(Diagnostic::error(
            format!("{at}.fs"),
            "`fs` is for cephfs classes; an rbd class stores images in its pool: remove it",
        ));
    }
}
