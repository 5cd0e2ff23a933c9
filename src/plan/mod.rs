//! The resolved model: every derived value (group membership, CRUSH locations, OSD devices,
//! pg_num …) computed once from a checked spec. Renderers only lay it out; they never compute.
//! Nothing here is named after a variable of one kubespray or ceph-ansible release.

mod addons;
mod network;
mod pools;
mod storage;

pub use addons::{
    AddonsPlan, BgpPeerPlan, BgpPlan, EtcdBackupPlan, LocalPathPlan, MetalLbPlan, MetalLbPoolPlan,
    RegistryPlan, VipPlan,
};
pub use network::{HostFirewall, HostMesh, MeshPlan};
pub use pools::{PoolPg, PoolPlan};
pub use storage::{CsiUser, StoragePlan};

use crate::spec::{CephOrigin, DiskKind, Node, PgMode, Role, Spec, Targets, VarGroup};
use indexmap::IndexMap;
use serde::Serialize;
use std::collections::BTreeSet;

/// Everything a renderer needs.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The cluster's name.
    pub cluster: String,
    /// The spec file as the user named it (for "generated from" headers).
    pub source: String,
    /// The releases to render for.
    #[serde(skip)]
    pub targets: Targets,
    /// Every node, in spec order.
    pub hosts: Vec<Host>,
    /// Node names per role, in spec order.
    pub members: IndexMap<Role, Vec<String>>,
    /// The networks as CIDR strings, for the consumers' network variables.
    pub network: NetworkPlan,
    /// The Ceph side.
    pub ceph: CephPlan,
    /// The Kubernetes side.
    pub kubernetes: KubernetesPlan,
    /// Secrets the inventory refers to, kept in the vault.
    #[serde(skip)]
    pub secrets: Vec<crate::spec::SecretNeed>,
    /// User-given variables per group, as given.
    pub extra_vars: IndexMap<VarGroup, IndexMap<String, serde_json::Value>>,
}

/// One node, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Host {
    /// Inventory name (the spec's node name), also the host_vars file name.
    pub name: String,
    /// Private address services bind to.
    pub address: String,
    /// Where Ansible connects: the spec's SSH address, else the private address.
    pub ssh_address: String,
    /// The user Ansible logs in as, when the spec names one.
    pub ssh_user: Option<String>,
    /// The SSH port, when the spec names one.
    pub ssh_port: Option<u16>,
    /// Roles, explicit or implied.
    pub roles: BTreeSet<Role>,
    /// Runs a Kubernetes control plane.
    pub control_plane: bool,
    /// In one of kubespray's groups (control plane, worker or etcd): kubespray reads its
    /// variables only on those hosts.
    pub kubernetes: bool,
    /// CRUSH location from the root down to the host bucket; empty when the spec gives none.
    pub crush_location: IndexMap<String, String>,
    /// Whole disks for OSDs.
    pub osd_disks: Vec<String>,
    /// Partitions for OSDs.
    pub osd_partitions: Vec<String>,
    /// Its place in the WireGuard mesh, when cephspray provides the private network.
    pub mesh: Option<HostMesh>,
    /// What its firewall lets in from everywhere, when the firewall is on.
    pub firewall: Option<HostFirewall>,
}

/// Networks, as CIDR strings.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkPlan {
    /// Private network (Ceph public network).
    pub private: String,
    /// Ceph replication network, if separate.
    pub ceph_cluster: Option<String>,
    /// Pod network, from which each node gets a slice.
    pub pods: String,
    /// Service network, for cluster IPs.
    pub services: String,
    /// The WireGuard mesh, when cephspray provides the private network.
    pub mesh: Option<MeshPlan>,
    /// The networks a node's firewall lets in on every port (the firewall's "inside").
    pub internal: Vec<String>,
    /// The host firewall is on.
    pub firewall: bool,
}

/// The Ceph side.
#[derive(Debug, Clone, Serialize)]
pub struct CephPlan {
    /// Release code name.
    pub release: &'static str,
    /// Where the nodes get Ceph's packages.
    pub origin: CephOrigin,
    /// Default copies of a pool's objects (osd_pool_default_size).
    pub size: u8,
    /// Default copies for writes.
    pub min_size: u8,
    /// OSDs in the cluster.
    pub osd_count: u32,
    /// Hosts holding OSDs.
    pub osd_hosts: u32,
    /// OSD object store.
    pub objectstore: crate::spec::Objectstore,
    /// How pg_num is decided.
    pub pg_mode: PgMode,
    /// Pools in creation order.
    pub pools: Vec<PoolPlan>,
    /// The placement-group sizing of those pools, with capacity figures.
    pub pg_report: crate::pg::Report,
    /// The CephFS file system.
    pub cephfs: Option<CephFsPlan>,
    /// The dashboard manager module, with its password from the vault.
    pub dashboard: bool,
    /// Where the dashboard's monitoring stack (Prometheus, Alertmanager, Grafana) runs, when
    /// the dashboard is on: the spec's monitoring node, else the first manager.
    pub monitoring_host: Option<String>,
    /// Any node has a CRUSH location: build the CRUSH tree from the inventory.
    pub crush_tree: bool,
    /// The cluster's fsid, fixed so that clients can name the cluster before it exists.
    pub fsid: String,
    /// Monitor addresses (`ip:port`), in spec order.
    pub monitors: Vec<String>,
    /// cephx users of the ceph-csi drivers.
    pub csi_users: Vec<CsiUser>,
}

/// A CephFS file system.
#[derive(Debug, Clone, Serialize)]
pub struct CephFsPlan {
    /// File system name.
    pub name: String,
    /// The pool holding file contents.
    pub data_pool: PoolPlan,
    /// The pool holding the directory tree (small, biased by the autoscaler).
    pub metadata_pool: PoolPlan,
}

/// The Kubernetes side.
#[derive(Debug, Clone, Serialize)]
pub struct KubernetesPlan {
    /// Version without a leading `v`; the target's default when absent.
    pub version: Option<String>,
    /// The pod network plugin kubespray installs.
    pub network_plugin: crate::spec::NetworkPlugin,
    /// How kube-proxy implements services (ipvs, iptables or nftables).
    pub proxy_mode: crate::spec::ProxyMode,
    /// The container runtime on every Kubernetes node.
    pub container_runtime: crate::spec::ContainerRuntime,
    /// Helm on the control planes (ceph-csi's playbook needs it).
    pub helm: bool,
    /// cert-manager installed as a kubespray add-on.
    pub cert_manager: bool,
    /// Storage classes from Ceph.
    pub storage: Vec<StoragePlan>,
    /// kubespray's other add-ons.
    pub addons: AddonsPlan,
}

/// Resolves a spec that passed `check` without errors, sizing its pools.
pub fn plan(spec: &Spec, source: &str) -> Plan {
    plan_sized(spec, &crate::pg::Sizing::of(spec), source)
}

/// Resolves a spec that passed `check` without errors, with its pools as `check` sized them.
pub fn plan_sized(spec: &Spec, sizing: &crate::pg::Sizing, source: &str) -> Plan {
    let hosts: Vec<Host> = spec.nodes.iter().map(|node| host(spec, node)).collect();
    let members: IndexMap<Role, Vec<String>> = Role::ALL
        .into_iter()
        .map(|role| {
            let names = hosts
                .iter()
                .filter(|h| h.roles.contains(&role))
                .map(|h| h.name.clone())
                .collect();
            (role, names)
        })
        .collect();
    let (pg_request, pg_report) = (&sizing.request, sizing.report.clone());
    let pools = pools::plan_pools(spec, pg_request, &pg_report);
    let cephfs = spec.ceph.cephfs.as_ref().map(|fs| {
        let find = |name: &str| {
            pools
                .iter()
                .find(|p| p.name == name)
                .cloned()
                .expect("check guarantees CephFS pools exist")
        };
        CephFsPlan {
            name: fs.name.clone(),
            data_pool: find(&fs.data_pool),
            metadata_pool: find(&fs.metadata_pool),
        }
    });
    let crush_tree = hosts.iter().any(|h| !h.crush_location.is_empty());
    let monitoring_host = spec
        .ceph
        .dashboard
        .then(|| {
            spec.ceph
                .monitoring_node
                .clone()
                .or_else(|| members[&Role::Mgr].first().cloned())
        })
        .flatten();
    let storage = storage::storage_classes(spec);
    Plan {
        cluster: spec.cluster.name.clone(),
        source: source.to_owned(),
        targets: spec.targets,
        members,
        network: NetworkPlan {
            private: spec.network.private.network.to_string(),
            ceph_cluster: spec.network.ceph_cluster.map(|n| n.to_string()),
            pods: spec.network.pods.to_string(),
            services: spec.network.services.to_string(),
            mesh: network::mesh(spec),
            internal: network::internal_networks(spec),
            firewall: spec.network.firewall.enabled,
        },
        ceph: CephPlan {
            release: spec
                .ceph
                .release
                .unwrap_or(
                    crate::targets::ceph_ansible::facts(spec.targets.ceph_ansible).ceph_release,
                )
                .as_str(),
            origin: spec.ceph.origin,
            size: spec.ceph.size,
            min_size: spec.ceph.min_size,
            osd_count: pg_request.layout.osds,
            osd_hosts: pg_request.layout.failure_domains,
            objectstore: spec.ceph.objectstore,
            pg_mode: spec.ceph.pg.mode,
            pools,
            pg_report,
            cephfs,
            dashboard: spec.ceph.dashboard,
            monitoring_host,
            crush_tree,
            fsid: storage::fsid(spec),
            monitors: storage::monitors(spec),
            csi_users: storage::csi_users(&storage),
        },
        kubernetes: KubernetesPlan {
            version: spec
                .kubernetes
                .version
                .as_deref()
                .map(|v| v.trim_start_matches('v').to_owned()),
            network_plugin: spec.kubernetes.network_plugin,
            proxy_mode: spec.kubernetes.proxy_mode,
            container_runtime: spec.kubernetes.container_runtime,
            helm: spec.kubernetes.helm,
            cert_manager: spec.kubernetes.cert_manager,
            storage,
            addons: addons::addons(spec),
        },
        extra_vars: spec.extra_vars.clone(),
        secrets: crate::spec::secret_needs(spec),
        hosts,
    }
}

fn host(spec: &Spec, node: &Node) -> Host {
    let roles = crate::spec::roles_of(node);
    let osd = roles.contains(&Role::Osd);
    let devices = |kind| {
        node.disks
            .iter()
            .filter(|d| osd && d.kind == kind)
            .map(|d| d.device.clone())
            .collect()
    };
    let crush_location = if node.crush.is_empty() || !osd {
        IndexMap::new()
    } else {
        let root = node.crush.root.as_deref().unwrap_or("default");
        std::iter::once(("root", root))
            .chain(node.crush.levels())
            .chain(std::iter::once((
                "host",
                crate::spec::short_name(&node.name),
            )))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    };
    let mesh = network::host_mesh(spec, node);
    let ssh = node.ssh.clone().unwrap_or(crate::spec::Ssh {
        address: None,
        user: None,
        port: None,
    });
    Host {
        name: node.name.clone(),
        address: node.address.to_string(),
        ssh_address: ssh.address.unwrap_or_else(|| node.address.to_string()),
        ssh_user: ssh.user,
        ssh_port: ssh.port,
        control_plane: roles.contains(&Role::ControlPlane),
        kubernetes: [Role::ControlPlane, Role::Worker, Role::Etcd]
            .iter()
            .any(|r| roles.contains(r)),
        roles,
        crush_location,
        osd_disks: devices(DiskKind::Disk),
        osd_partitions: devices(DiskKind::Partition),
        firewall: network::host_firewall(spec, node, mesh.as_ref()),
        mesh,
    }
}
