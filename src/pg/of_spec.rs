//! The sizing request a spec's pools make: the one place the spec becomes a [`Request`], so
//! that `check` (its findings) and `plan` (each pool's pg_num) size the same pools the same way.

use super::{Layout, MON_TARGET_PG_PER_OSD, Method, PoolRequest, Report, Request};
use crate::spec::{PgMode, Spec};

/// Spec pool indices in the order ceph-ansible creates the pools, which is their pool id order:
/// the CephFS data and metadata pools (its MDS role), then the others (its client role) as the
/// spec lists them. The autoscaler hands out PGs in that order.
pub fn creation_order(spec: &Spec) -> Vec<usize> {
    let pools = &spec.ceph.pools;
    let cephfs: Vec<usize> = spec
        .ceph
        .cephfs
        .iter()
        .flat_map(|fs| [&fs.data_pool, &fs.metadata_pool])
        .filter_map(|name| pools.iter().position(|p| &p.name == name))
        .collect();
    let mut order = Vec::with_capacity(pools.len());
    for i in cephfs.into_iter().chain(0..pools.len()) {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    order
}

/// The sizing request for a spec's pools, in the order they are created: OSDs and hosts from
/// the nodes, sizes from the disks, the method from `ceph.pg.mode`. With the autoscaler the
/// target is Ceph's mon_target_pg_per_osd, which cephspray leaves at its default.
pub fn pg_request(spec: &Spec) -> Request {
    let ceph = &spec.ceph;
    let osd_nodes: Vec<&crate::spec::Node> = crate::spec::osd_nodes(spec).collect();
    let cephfs = ceph.cephfs.as_ref();
    let autoscale = ceph.pg.mode == PgMode::Autoscale;
    let mut pools: Vec<PoolRequest> = creation_order(spec)
        .into_iter()
        .map(|i| &ceph.pools[i])
        .map(|p| {
            let mut pool = PoolRequest::replicated(
                p.name.clone(),
                p.share.unwrap_or(0.0),
                u32::from(p.size.unwrap_or(ceph.size)),
            );
            pool.min_size = Some(u32::from(p.min_size.unwrap_or(ceph.min_size)));
            pool.pg_num = p.pg_num;
            if cephfs.is_some_and(|fs| fs.metadata_pool == p.name) {
                // `ceph fs new` gives the metadata pool these.
                pool.bias = 4.0;
                pool.pg_num_min = 16;
            }
            pool.bulk = autoscale && cephfs.is_some_and(|fs| fs.data_pool == p.name);
            pool
        })
        .collect();
    let osds: u32 = osd_nodes.iter().map(|n| n.disks.len() as u32).sum();
    if autoscale {
        created_at_target(&mut pools, osds);
    }
    Request {
        layout: Layout {
            osds,
            failure_domains: osd_nodes.len() as u32,
            host_devices: Some(
                osd_nodes
                    .iter()
                    .map(|n| n.disks.iter().map(|d| d.size.0).collect())
                    .collect(),
            ),
        },
        target_per_osd: if autoscale {
            MON_TARGET_PG_PER_OSD
        } else {
            ceph.pg.target_per_osd
        },
        method: if autoscale {
            Method::Autoscale
        } else {
            Method::Pgcalc
        },
        pools,
    }
}

/// With the autoscaler, ceph-ansible creates each pool in `warn` mode at the pg_num the
/// autoscaler wants once every pool exists (its bulk flags included), and
/// playbooks/ceph-pools.yml turns the autoscaler on after site.yml. Created in `on` mode, the
/// CephFS pools (ceph-mds) would be sized before the client pools (ceph-client) exist, and the
/// autoscaler keeps such a size up to 3× off its later target (measured on a real Ceph: 256
/// where 128 is the target, and lowering it merges one PG every few seconds).
fn created_at_target(pools: &mut [PoolRequest], osds: u32) {
    let view: Vec<super::AutoscalePool> = pools
        .iter()
        .map(|p| super::AutoscalePool {
            bulk: p.bulk,
            bias: p.bias,
            pg_num_min: p.pg_num_min,
            ..super::AutoscalePool::new(p.share / 100.0, p.redundancy.width())
        })
        .collect();
    // A pool cannot have more than MAX_POOL_PG_NUM PGs: the autoscaler stops there too.
    let targets: Vec<u32> = super::autoscale(&view, osds, MON_TARGET_PG_PER_OSD)
        .into_iter()
        .map(|t| t.min(super::MAX_POOL_PG_NUM))
        .collect();
    // Created at their targets only if the monitors accept them all (the manager's pool, 1 PG,
    // counted at the widest size); else as Ceph creates them without a pg_num, and the
    // autoscaler's refused increases are reported as such.
    let widest = pools
        .iter()
        .map(|p| p.redundancy.width())
        .max()
        .unwrap_or(1);
    let replicas: u64 = u64::from(widest)
        + pools
            .iter()
            .zip(&targets)
            .map(|(p, t)| u64::from(*t) * u64::from(p.redundancy.width()))
            .sum::<u64>();
    if replicas > super::mon_max_pg_replicas(osds) {
        return;
    }
    for (pool, target) in pools.iter_mut().zip(targets) {
        if pool.pg_num.is_none() {
            pool.start_pg_num = Some(target);
        }
    }
}

/// A spec's pools sized once, for `check` (its findings), `plan` (each pool's pg_num) and the
/// report `check` prints.
#[derive(Debug, Clone)]
pub struct Sizing {
    /// What the spec asks for.
    pub request: Request,
    /// How Ceph would size it.
    pub report: Report,
}

impl Sizing {
    /// Sizes a spec's pools.
    pub fn of(spec: &Spec) -> Sizing {
        let request = pg_request(spec);
        let report = super::report(&request);
        Sizing { request, report }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pools(n: usize) -> Vec<PoolRequest> {
        (0..n)
            .map(|i| PoolRequest::replicated(format!("p{i}"), 100.0 / n as f64, 3))
            .collect()
    }

    #[test]
    fn pools_are_created_at_their_targets_when_the_monitors_accept_them() {
        let mut few = pools(2);
        created_at_target(&mut few, 6);
        assert!(few.iter().all(|p| p.start_pg_num.is_some()), "{few:?}");
    }

    #[test]
    fn else_as_ceph_creates_them_without_a_pg_num() {
        // 9 pools of at least 32 PGs × 3 copies on 3 OSDs: 864 + 3 > 750.
        let mut many = pools(9);
        created_at_target(&mut many, 3);
        assert!(many.iter().all(|p| p.start_pg_num.is_none()), "{many:?}");
    }
}
