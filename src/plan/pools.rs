//! Where each pool's pg_num (or autoscaler guidance) is decided: the spec's pools become a
//! `pg::Request`, and `pg::report` sizes them. `check` reads the same report for its findings.

use crate::pg::{Layout, MON_TARGET_PG_PER_OSD, Method, PoolRequest, Redundancy, Report, Request};
use crate::spec::{PgMode, Spec};
use serde::Serialize;

/// How a pool's placement groups are set at creation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum PoolPg {
    /// pg_num fixed, autoscaler off for the pool.
    Fixed {
        /// pg_num and pgp_num.
        pg_num: u32,
    },
    /// The autoscaler decides; `expected_pg_num` is what it will settle on for empty pools.
    Autoscale {
        /// target_size_ratio (the share as a fraction), if a share was given.
        target_size_ratio: Option<f64>,
        /// Where the autoscaler will leave the empty pool.
        expected_pg_num: u32,
    },
}

/// One pool, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct PoolPlan {
    /// Pool name.
    pub name: String,
    /// Ceph application.
    pub application: &'static str,
    /// Copies.
    pub size: u8,
    /// Copies for writes.
    pub min_size: u8,
    /// Share of the data in percent, if given.
    pub share: Option<f64>,
    /// Placement groups.
    pub pg: PoolPg,
    /// The autoscaler's bulk flag: the CephFS data pool, as `ceph fs volume create` sets it
    /// (`ceph fs new` does not); playbooks/ceph-pools.yml sets it after site.yml.
    pub bulk: bool,
    /// How pg_num was reached.
    pub reasoning: String,
}

/// Spec pool indices in the order ceph-ansible creates the pools, which is their pool id order:
/// the CephFS data and metadata pools (its MDS role), then the others (its client role) as the
/// spec lists them. The autoscaler hands out PGs in that order.
fn creation_order(spec: &Spec) -> Vec<usize> {
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
    let osd_nodes: Vec<&crate::spec::Node> = super::osd_nodes(spec).collect();
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
    let view: Vec<crate::pg::AutoscalePool> = pools
        .iter()
        .map(|p| crate::pg::AutoscalePool {
            bulk: p.bulk,
            bias: p.bias,
            pg_num_min: p.pg_num_min,
            ..crate::pg::AutoscalePool::new(p.share / 100.0, p.redundancy.width())
        })
        .collect();
    let targets = crate::pg::autoscale(&view, osds, MON_TARGET_PG_PER_OSD);
    for (pool, target) in pools.iter_mut().zip(targets) {
        if pool.pg_num.is_none() {
            pool.start_pg_num = Some(target);
        }
    }
}

pub(super) fn plan_pools(spec: &Spec, request: &Request, report: &Report) -> Vec<PoolPlan> {
    let ceph = &spec.ceph;
    // The request lists the pools in creation order; the plan keeps the spec's.
    let mut at = vec![0; ceph.pools.len()];
    for (j, i) in creation_order(spec).into_iter().enumerate() {
        at[i] = j;
    }
    ceph.pools
        .iter()
        .zip(at)
        .map(|(p, j)| (p, &report.pools[j], &request.pools[j]))
        .map(|(p, sized, asked)| {
            let pg = match ceph.pg.mode {
                PgMode::Fixed => PoolPg::Fixed {
                    pg_num: sized.pg_num,
                },
                PgMode::Autoscale => PoolPg::Autoscale {
                    target_size_ratio: p.share.map(|s| s / 100.0),
                    expected_pg_num: sized.pg_num,
                },
            };
            let Redundancy::Replicated { size } = sized.redundancy else {
                unreachable!("spec pools are replicated")
            };
            PoolPlan {
                name: p.name.clone(),
                application: p.application.as_str(),
                size: size as u8,
                min_size: p.min_size.unwrap_or(ceph.min_size),
                share: p.share,
                pg,
                bulk: asked.bulk,
                reasoning: sized.reasoning.clone(),
            }
        })
        .collect()
}

/// The sizing report for a spec's pools, as `check` shows it.
pub fn pg_report_for(spec: &Spec) -> Report {
    crate::pg::report(&pg_request(spec))
}

#[cfg(test)]
mod tests {
    use crate::spec::parse;

    /// five-nodes with its rbd pool listed first: ceph-ansible still creates the CephFS pools
    /// first (its MDS role runs before the client role), so they get the lower pool ids.
    fn spec() -> crate::spec::Spec {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/five-nodes.yaml"
        ))
        .unwrap();
        let rbd = "    - { name: kube_rbd, application: rbd, share: 38 }\n";
        assert!(text.contains(rbd));
        let text = text
            .replace(rbd, "")
            .replace("  pools:\n", &format!("  pools:\n{rbd}"));
        parse("five-nodes.yaml", &text).unwrap()
    }

    #[test]
    fn pools_are_sized_in_creation_order_and_planned_in_spec_order() {
        let spec = spec();
        assert_eq!(spec.ceph.pools[0].name, "kube_rbd");
        let request = super::pg_request(&spec);
        let names: Vec<&str> = request.pools.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["fs_data", "fs_meta", "kube_rbd"]);
        let plan = crate::plan::plan(&spec, "five-nodes.yaml");
        let planned: Vec<(&str, u32)> = plan
            .ceph
            .pools
            .iter()
            .map(|p| match p.pg {
                super::PoolPg::Autoscale {
                    expected_pg_num, ..
                } => (p.name.as_str(), expected_pg_num),
                super::PoolPg::Fixed { pg_num } => (p.name.as_str(), pg_num),
            })
            .collect();
        assert_eq!(
            planned,
            [("kube_rbd", 128), ("fs_data", 128), ("fs_meta", 16)]
        );
        assert!(plan.ceph.pools[1].bulk && !plan.ceph.pools[0].bulk);
    }
}
