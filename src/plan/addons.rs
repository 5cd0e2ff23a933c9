//! kubespray's add-ons, resolved: what each one turns on, and what follows from them together
//! (strict ARP under IPVS, the API servers' endpoint behind a virtual IP, which pools are
//! announced how, whether local-path may be the default class).

use crate::spec::{
    Announce, Bgp, EtcdBackup, GatewayChannel, ProxyMode, RegistryService, Role, Spec,
};
use serde::Serialize;

/// The add-ons, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct AddonsPlan {
    /// kube-proxy answers ARP only for addresses of its own interface, which MetalLB's and
    /// kube-vip's ARP announcements need under IPVS (set whenever either is on under IPVS).
    pub strict_arp: bool,
    /// metrics-server's replicas, when on.
    pub metrics_server: Option<u8>,
    /// The local-path provisioner, when on.
    pub local_path: Option<LocalPathPlan>,
    /// The CSI snapshot controller and its CRDs.
    pub snapshot_controller: bool,
    /// The Gateway API CRDs' channel, when on.
    pub gateway_api: Option<GatewayChannel>,
    /// MetalLB, when on.
    pub metallb: Option<MetalLbPlan>,
    /// The API servers' virtual IP, when on.
    pub vip: Option<VipPlan>,
    /// Argo CD.
    pub argocd: bool,
    /// node-feature-discovery.
    pub node_feature_discovery: bool,
    /// The registry, when on.
    pub registry: Option<RegistryPlan>,
    /// Scheduled etcd snapshots, when on.
    pub etcd_backup: Option<EtcdBackupPlan>,
}

/// The local-path provisioner.
#[derive(Debug, Clone, Serialize)]
pub struct LocalPathPlan {
    /// Its storage class.
    pub storage_class: String,
    /// The directory on each node.
    pub claim_root: String,
    /// `Delete` or `Retain`.
    pub reclaim_policy: &'static str,
    /// Whether its class is the default (never beside a default ceph-csi class: check refuses
    /// two defaults).
    pub default: bool,
}

/// MetalLB.
#[derive(Debug, Clone, Serialize)]
pub struct MetalLbPlan {
    /// The pools, in spec order.
    pub pools: Vec<MetalLbPoolPlan>,
    /// The pools announced by ARP.
    pub layer2: Vec<String>,
    /// The BGP sessions, with the pools announced to them.
    pub bgp: Option<BgpPlan>,
}

/// A MetalLB pool.
#[derive(Debug, Clone, Serialize)]
pub struct MetalLbPoolPlan {
    /// Its name.
    pub name: String,
    /// Networks and ranges, as MetalLB reads them (`192.0.2.0/28`, `192.0.2.10-192.0.2.20`).
    pub addresses: Vec<String>,
    /// Services get addresses from it without asking.
    pub auto_assign: bool,
}

/// BGP sessions to routers.
#[derive(Debug, Clone, Serialize)]
pub struct BgpPlan {
    /// The nodes' AS number.
    pub asn: u32,
    /// The routers.
    pub peers: Vec<BgpPeerPlan>,
    /// The pools (MetalLB) announced to the routers.
    pub pools: Vec<String>,
}

/// A router.
#[derive(Debug, Clone, Serialize)]
pub struct BgpPeerPlan {
    /// Its name.
    pub name: String,
    /// Its address.
    pub address: String,
    /// Its AS number.
    pub asn: u32,
}

/// The API servers' virtual IP.
#[derive(Debug, Clone, Serialize)]
pub struct VipPlan {
    /// The address, the API servers' endpoint.
    pub address: String,
    /// Announced by ARP on `interface`.
    pub arp: bool,
    /// The interface kube-vip binds the address to (ARP mode).
    pub interface: Option<String>,
    /// The BGP sessions (BGP mode).
    pub bgp: Option<BgpPlan>,
    /// The API servers' port behind it.
    pub port: u16,
}

/// The registry.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryPlan {
    /// Its volume's storage class (none: an emptyDir).
    pub storage_class: Option<String>,
    /// Its volume's size.
    pub size: String,
    /// The Service type: ClusterIP, NodePort or LoadBalancer.
    pub service_type: &'static str,
    /// The node port (NodePort).
    pub node_port: Option<u16>,
    /// The load balancer address (LoadBalancer).
    pub load_balancer_ip: Option<String>,
}

/// Scheduled etcd snapshots.
#[derive(Debug, Clone, Serialize)]
pub struct EtcdBackupPlan {
    /// The systemd calendar event.
    pub schedule: String,
    /// Snapshots kept per node.
    pub keep: u16,
    /// Where they go.
    pub directory: String,
    /// The etcd members that take them.
    pub hosts: Vec<String>,
}

/// The API server's port (kubespray's `kube_apiserver_port`, which cephspray leaves alone).
const API_PORT: u16 = 6443;

/// Resolves the add-ons of a checked spec.
pub fn addons(spec: &Spec) -> AddonsPlan {
    let a = &spec.kubernetes.addons;
    let metallb = a.metallb.as_ref().map(|m| {
        let announced = |how: Announce| {
            m.pools
                .iter()
                .filter(|p| p.announce == how)
                .map(|p| p.name.clone())
                .collect::<Vec<_>>()
        };
        MetalLbPlan {
            pools: m
                .pools
                .iter()
                .map(|p| MetalLbPoolPlan {
                    name: p.name.clone(),
                    addresses: p.addresses.iter().map(|r| r.replace(' ', "")).collect(),
                    auto_assign: p.auto_assign,
                })
                .collect(),
            layer2: announced(Announce::Layer2),
            bgp: m.bgp.as_ref().map(|b| bgp(b, announced(Announce::Bgp))),
        }
    });
    let vip = a.vip.as_ref().map(|v| VipPlan {
        address: v.address.to_string(),
        arp: v.announce == Announce::Layer2,
        interface: v.interface.clone(),
        bgp: v.bgp.as_ref().map(|b| bgp(b, Vec::new())),
        port: API_PORT,
    });
    AddonsPlan {
        strict_arp: spec.kubernetes.proxy_mode == ProxyMode::Ipvs
            && (metallb.is_some() || vip.is_some()),
        metrics_server: a.metrics_server.as_ref().map(|m| m.replicas),
        local_path: a.local_path.as_ref().map(|l| LocalPathPlan {
            storage_class: l.storage_class.clone(),
            claim_root: l.claim_root.clone(),
            reclaim_policy: l.reclaim_policy.as_str(),
            default: l.default,
        }),
        snapshot_controller: a.snapshot_controller,
        gateway_api: a.gateway_api.as_ref().map(|g| g.channel),
        metallb,
        vip,
        argocd: a.argocd,
        node_feature_discovery: a.node_feature_discovery,
        registry: a.registry.as_ref().map(|r| {
            let (service_type, node_port, load_balancer_ip) = match &r.service {
                RegistryService::ClusterIP => ("ClusterIP", None, None),
                RegistryService::NodePort { port } => ("NodePort", *port, None),
                RegistryService::LoadBalancer { address } => {
                    ("LoadBalancer", None, address.map(|a| a.to_string()))
                }
            };
            RegistryPlan {
                storage_class: r.storage_class.clone(),
                size: r.size.clone(),
                service_type,
                node_port,
                load_balancer_ip,
            }
        }),
        etcd_backup: a.etcd_backup.as_ref().map(|b| etcd_backup(spec, b)),
    }
}

fn bgp(b: &Bgp, pools: Vec<String>) -> BgpPlan {
    BgpPlan {
        asn: b.asn,
        peers: b
            .peers
            .iter()
            .map(|p| BgpPeerPlan {
                name: p.name.clone(),
                address: p.address.to_string(),
                asn: p.asn,
            })
            .collect(),
        pools,
    }
}

fn etcd_backup(spec: &Spec, b: &EtcdBackup) -> EtcdBackupPlan {
    EtcdBackupPlan {
        schedule: b.schedule.clone(),
        keep: b.keep,
        directory: b.directory.trim_end_matches('/').to_owned(),
        hosts: spec
            .nodes
            .iter()
            .filter(|n| crate::spec::roles_of(n).contains(&Role::Etcd))
            .map(|n| n.name.clone())
            .collect(),
    }
}
