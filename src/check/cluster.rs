//! Checks of role counts and versions: what makes a cluster deployable at all.

use super::Diagnostic;
use crate::spec::roles_of;
use crate::spec::{Role, Spec};
use crate::targets::{ceph_ansible, kubespray};

/// A cluster this large should not run its control plane on every node.
const LARGE_CLUSTER_NODES: usize = 6;

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let count = |role: Role| {
        spec.nodes
            .iter()
            .filter(|n| roles_of(n).contains(&role))
            .count()
    };
    let control_planes = count(Role::ControlPlane);
    if control_planes == 0 {
        found.push(Diagnostic::error(
            "nodes",
            "no node has the control_plane role: Kubernetes needs at least one; give it to one \
             node (or three, for a control plane that survives a failure)",
        ));
    } else if control_planes == spec.nodes.len() && spec.nodes.len() >= LARGE_CLUSTER_NODES {
        found.push(Diagnostic::warning(
            "nodes",
            format!(
                "all {} nodes are control-plane nodes: beyond a few nodes, keep 3 (or 5) dedicated \
                 control-plane nodes and let the others be workers",
                spec.nodes.len()
            ),
        ));
    }
    if count(Role::Worker) == 0 {
        found.push(Diagnostic::warning(
            "nodes",
            "no node has the worker role: workloads can only run on control-plane nodes if their taint is removed",
        ));
    }
    let etcd = count(Role::Etcd);
    if etcd == 0 || etcd % 2 == 0 {
        found.push(Diagnostic::error(
            "nodes",
            format!(
                "{etcd} etcd nodes: etcd needs an odd number of members (1, 3 or 5) to keep a quorum; \
                 kubespray refuses an even count: give the etcd role to 1, 3 or 5 nodes"
            ),
        ));
    }
    let mons = count(Role::Mon);
    match mons {
        0 => found.push(Diagnostic::error(
            "nodes",
            "no node has the mon role: Ceph needs monitors; give the mon role to 3 nodes (1 for a lab)",
        )),
        1 => found.push(Diagnostic::warning(
            "nodes",
            "a single Ceph monitor: the cluster stops when it does; run 3",
        )),
        n if n % 2 == 0 => found.push(Diagnostic::warning(
            "nodes",
            format!("{n} Ceph monitors: an even count tolerates no more failures than one fewer; run an odd number"),
        )),
        _ => {}
    }
    if count(Role::Mgr) == 0 {
        found.push(Diagnostic::error(
            "nodes",
            "no node has the mgr role: Ceph needs a manager for pools, the autoscaler and health",
        ));
    }
    if spec.ceph.cephfs.is_some() && count(Role::Mds) == 0 {
        found.push(Diagnostic::error(
            "ceph.cephfs",
            "a CephFS file system needs a metadata server: give the mds role to at least one node",
        ));
    }
    if spec.ceph.dashboard {
        dashboard_beside_kubernetes(spec, found);
    }
    let needed = crate::spec::secret_needs(spec);
    for label in spec.secrets.given() {
        if !needed.iter().any(|n| n.label == label) {
            found.push(Diagnostic::warning(
                format!("secrets.{label}"),
                "this cluster does not use this secret (e.g. the dashboard is off, or no node \
                 has that name in a WireGuard mesh); it is ignored",
            ));
        }
    }
    let kubespray = kubespray::facts(spec.targets.kubespray);
    if let Some(version) = &spec.kubernetes.version
        && let Err(message) =
            version_spelling(version).and_then(|()| kubespray.kube_version(version))
    {
        found.push(Diagnostic::error("kubernetes.version", message));
    }
    let ceph_ansible = ceph_ansible::facts(spec.targets.ceph_ansible);
    if let Some(release) = spec.ceph.release
        && release != ceph_ansible.ceph_release
    {
        let deploys = ceph_ansible.ceph_release.as_str();
        found.push(Diagnostic::error(
            "ceph.release",
            format!(
                "ceph-ansible {} deploys {deploys}, not {}; set ceph.release: {deploys}, or \
                 leave it out",
                ceph_ansible.label,
                release.as_str()
            ),
        ));
    }
}

/// ceph-ansible's dashboard.yml runs node-exporter on every Ceph node, and Prometheus,
/// Alertmanager and Grafana on the monitoring host, all in Docker; kubespray's cluster.yml, run
/// next, stops and removes a running Docker on every Kubernetes node when containerd is its
/// container manager (validate-container-engine). The dashboard module itself runs in ceph-mgr
/// and stays. A monitoring host that is a Kubernetes node is an error (its stack would stop);
/// node-exporter on shared nodes a warning.
fn dashboard_beside_kubernetes(spec: &Spec, found: &mut Vec<Diagnostic>) {
    const CEPH: [Role; 5] = [Role::Mon, Role::Mgr, Role::Osd, Role::Mds, Role::CephClient];
    let kubernetes = |n: &crate::spec::Node| {
        let roles = roles_of(n);
        [Role::ControlPlane, Role::Worker, Role::Etcd]
            .iter()
            .any(|r| roles.contains(r))
    };
    let monitoring = spec.ceph.monitoring_node.as_deref().or_else(|| {
        spec.nodes
            .iter()
            .find(|n| roles_of(n).contains(&Role::Mgr))
            .map(|n| n.name.as_str())
    });
    let host = monitoring.and_then(|name| spec.nodes.iter().find(|n| n.name == name));
    if let Some(host) = host.filter(|n| kubernetes(n)) {
        let (path, chosen) = match spec.ceph.monitoring_node {
            Some(_) => ("ceph.monitoring_node", "is"),
            None => (
                "ceph.dashboard",
                "(the first mgr, as no ceph.monitoring_node is given) is",
            ),
        };
        found.push(Diagnostic::error(
            path,
            format!(
                "the dashboard's Prometheus, Alertmanager and Grafana run in Docker on the \
                 monitoring node, and {} {chosen} a Kubernetes node, from which kubespray's \
                 cluster.yml removes Docker: they would stop. Write `monitoring_node:` with a \
                 node that has no control_plane, worker or etcd role (a small machine with \
                 `roles: [ceph_client]` will do), or set ceph.dashboard: false",
                host.name
            ),
        ));
    }
    let shared: Vec<&str> = spec
        .nodes
        .iter()
        .filter(|n| CEPH.iter().any(|r| roles_of(n).contains(r)) && kubernetes(n))
        .map(|n| n.name.as_str())
        .collect();
    if !shared.is_empty() {
        found.push(Diagnostic::warning(
            "ceph.dashboard",
            format!(
                "ceph-ansible runs node-exporter in Docker on every Ceph node, and kubespray's \
                 cluster.yml then removes Docker from every Kubernetes node, so on {} it stops \
                 and Prometheus gets no host metrics from them (the dashboard, in ceph-mgr, and \
                 Ceph's own metrics stay); give Ceph and Kubernetes separate nodes to have them",
                shared.join(", ")
            ),
        ));
    }
}

/// A version is `1.35.4` (a leading `v` is accepted): plain decimal numbers, so that one
/// version has one spelling. Leading zeros, signs, spaces and suffixes are refused with the
/// spelling to write.
fn version_spelling(version: &str) -> Result<(), String> {
    let bare = version.strip_prefix('v').unwrap_or(version);
    let parts: Vec<&str> = bare.split('.').collect();
    let digits = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if parts.iter().all(digits) {
        if parts.iter().any(|p| p.len() > 1 && p.starts_with('0')) {
            let canonical: Vec<String> = parts
                .iter()
                .map(|p| {
                    let trimmed = p.trim_start_matches('0');
                    if trimmed.is_empty() { "0" } else { trimmed }.to_owned()
                })
                .collect();
            return Err(format!(
                "`{version}` has numbers with leading zeros: write {}",
                canonical.join(".")
            ));
        }
        return Ok(());
    }
    let hint = bare
        .trim()
        .trim_start_matches(['v', 'V'])
        .split(['-', '+', ' '])
        .next()
        .filter(|core| core.split('.').all(|p| digits(&p)) && core.split('.').count() == 3)
        .map(|core| format!("write {core}"))
        .unwrap_or_else(|| "write major.minor.patch, e.g. 1.35.4".to_owned());
    Err(format!(
        "`{version}` is not a Kubernetes release version (plain numbers, no sign, suffix or \
         spaces): {hint}"
    ))
}

#[cfg(test)]
mod tests {
    use super::version_spelling;

    #[test]
    fn versions_have_one_spelling() {
        for good in ["1.35.4", "v1.35.4", "1.35.0", "1.3"] {
            assert_eq!(version_spelling(good), Ok(()), "{good}");
        }
        for (bad, expected) in [
            ("1.035.4", "write 1.35.4"),
            ("01.35.4", "write 1.35.4"),
            ("1.35.04", "write 1.35.4"),
            ("v1.35.00", "write 1.35.0"),
            ("1.+35.4", "major.minor.patch"),
            ("V1.35.4", "write 1.35.4"),
            ("1.35.4-rc.0", "write 1.35.4"),
            ("1.35.4+k3s1", "write 1.35.4"),
            (" 1.35.4", "write 1.35.4"),
            ("1.35.4 ", "write 1.35.4"),
            ("", "major.minor.patch"),
        ] {
            let message = version_spelling(bad).unwrap_err();
            assert!(message.contains(expected), "{bad}: {message}");
        }
    }
}
