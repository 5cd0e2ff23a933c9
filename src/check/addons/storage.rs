//! Storage add-ons: the CSI snapshot controller, local-path's storage class and the registry's
//! volume and Service.

use super::pool_entry::PoolEntry;
use super::values::{absolute_path_problem, is_quantity};
use super::{ADDONS, shown};
use crate::check::Diagnostic;
use crate::check::nodes::is_rfc1123_name;
use crate::spec::{LocalPath, RegistryService, Spec, StorageClass};
use crate::targets::kubespray;

/// Storage classes with snapshots need the controller, and the controller a Kubernetes minor
/// the kubespray release has its image for.
pub(super) fn snapshots(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let on = spec.kubernetes.addons.snapshot_controller;
    for (i, class) in spec.kubernetes.storage.iter().enumerate() {
        if class.snapshots && !on {
            found.push(Diagnostic::error(
                format!("kubernetes.storage[{i}].snapshots"),
                format!(
                    "snapshots of `{}` need the CSI snapshot controller and its CRDs: write \
                     kubernetes.addons.snapshot_controller: true, or snapshots: false",
                    class.name
                ),
            ));
        }
    }
    let facts = kubespray::facts(spec.targets.kubespray);
    let version = spec.kubernetes.version.as_deref();
    // An unsupported version is reported as such (cluster.rs); this is about supported ones.
    let installable = version.is_none_or(|v| facts.kube_version(v).is_ok());
    if on
        && installable
        && let Err(message) = facts.snapshot_controller(version)
    {
        found.push(Diagnostic::error(
            format!("{ADDONS}.snapshot_controller"),
            message,
        ));
    }
}

pub(super) fn local_path(spec: &Spec, local_path: &LocalPath, found: &mut Vec<Diagnostic>) {
    let at = format!("{ADDONS}.local_path");
    let name = &local_path.storage_class;
    let classes: &[StorageClass] = &spec.kubernetes.storage;
    if !is_rfc1123_name(name) {
        found.push(Diagnostic::error(
            format!("{at}.storage_class"),
            format!(
                "{} is not a storage class name: write a lowercase RFC 1123 name (letters, \
                 digits, `-` and `.`), e.g. local-path",
                shown(name)
            ),
        ));
    } else if let Some(i) = classes.iter().position(|c| &c.name == name) {
        found.push(Diagnostic::error(
            format!("{at}.storage_class"),
            format!(
                "`{name}` is already the ceph-csi class kubernetes.storage[{i}]: give the \
                 local-path class another name, e.g. local-path"
            ),
        ));
    }
    if let Some(problem) = absolute_path_problem(&local_path.claim_root) {
        found.push(Diagnostic::error(
            format!("{at}.claim_root"),
            format!(
                "{} {problem}, e.g. /opt/local-path-provisioner",
                shown(&local_path.claim_root)
            ),
        ));
    }
    if local_path.default
        && let Some(i) = classes.iter().position(|c| c.default)
    {
        found.push(Diagnostic::error(
            format!("{at}.default"),
            format!(
                "kubernetes.storage[{i}] (`{}`) is already the default class: Kubernetes needs \
                 at most one; set `default: true` on one class only",
                classes[i].name
            ),
        ));
    }
}

pub(super) fn registry(spec: &Spec, pools: &[PoolEntry], found: &mut Vec<Diagnostic>) {
    let Some(registry) = &spec.kubernetes.addons.registry else {
        return;
    };
    let at = format!("{ADDONS}.registry");
    let local_path = spec.kubernetes.addons.local_path.as_ref();
    match &registry.storage_class {
        None => found.push(Diagnostic::warning(
            &at,
            "no storage_class: the registry keeps its images in an emptyDir, lost whenever its \
             pod moves or restarts; name a storage class, e.g. storage_class: block",
        )),
        Some(name) => {
            let ceph = spec.kubernetes.storage.iter().any(|c| &c.name == name);
            let local = local_path.is_some_and(|l| &l.storage_class == name);
            if !ceph && !local {
                let mut known: Vec<String> = spec
                    .kubernetes
                    .storage
                    .iter()
                    .map(|c| c.name.clone())
                    .collect();
                known.extend(local_path.map(|l| l.storage_class.clone()));
                let choice = if known.is_empty() {
                    "the spec defines none: add one to kubernetes.storage (or turn on \
                     kubernetes.addons.local_path), or remove storage_class"
                        .to_owned()
                } else {
                    format!("write one of {}", known.join(", "))
                };
                found.push(Diagnostic::error(
                    format!("{at}.storage_class"),
                    format!(
                        "{} is not a storage class of this cluster: {choice}",
                        shown(name)
                    ),
                ));
            }
        }
    }
    if !is_quantity(&registry.size) {
        found.push(Diagnostic::error(
            format!("{at}.size"),
            format!(
                "{} is not a volume size: write a whole number and Ki, Mi, Gi or Ti, e.g. 10Gi",
                shown(&registry.size)
            ),
        ));
    }
    match &registry.service {
        RegistryService::ClusterIP => {}
        RegistryService::NodePort { port } => {
            if let Some(port) = port
                && !(30000..=32767).contains(port)
            {
                found.push(Diagnostic::error(
                    format!("{at}.service.port"),
                    format!(
                        "port {port} is outside Kubernetes' node port range: write 30000 to \
                         32767, or leave it out to let Kubernetes pick one"
                    ),
                ));
            }
        }
        RegistryService::LoadBalancer { address } => {
            if spec.kubernetes.addons.metallb.is_none() {
                found.push(Diagnostic::error(
                    format!("{at}.service.type"),
                    "a LoadBalancer Service needs something to give it an address, and nothing \
                     does on bare metal without MetalLB: add kubernetes.addons.metallb, or \
                     write type: NodePort",
                ));
            } else if let Some(address) = address
                && !pools.iter().any(|p| p.range.contains(*address))
            {
                found.push(Diagnostic::error(
                    format!("{at}.service.address"),
                    format!(
                        "{address} is in no MetalLB pool, so MetalLB would not give it: pick an \
                         address of kubernetes.addons.metallb.pools, or leave it out"
                    ),
                ));
            }
        }
    }
}
