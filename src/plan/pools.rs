//! Where each pool's pg_num (or autoscaler guidance) is decided: the spec's pools become a
//! `pg::Request`, and `pg::report` sizes them. `check` reads the same report for its findings.

use crate::pg::{Layout, Method, PoolRequest, Redundancy, Report, Request};
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
        /// What the autoscaler will choose.
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
    /// The autoscaler's bulk flag (the CephFS data pool, as `ceph fs volume create` sets it).
    pub bulk: bool,
    /// How pg_num was reached.
    pub reasoning: String,
}

/// The sizing request for a spec's pools: OSDs and hosts from the nodes, sizes from the disks,
/// the method from `ceph.pg.mode`.
pub fn pg_request(spec: &Spec) -> Request {
    let ceph = &spec.ceph;
    let osd_nodes: Vec<&crate::spec::Node> = super::osd_nodes(spec).collect();
    let cephfs = ceph.cephfs.as_ref();
    let autoscale = ceph.pg.mode == PgMode::Autoscale;
    let pools = ceph
        .pools
        .iter()
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
    Request {
        layout: Layout {
            osds: osd_nodes.iter().map(|n| n.disks.len() as u32).sum(),
            failure_domains: osd_nodes.len() as u32,
            host_devices: Some(
                osd_nodes
                    .iter()
                    .map(|n| n.disks.iter().map(|d| d.size.0).collect())
                    .collect(),
            ),
        },
        target_per_osd: ceph.pg.target_per_osd,
        method: if autoscale {
            Method::Autoscale
        } else {
            Method::Pgcalc
        },
        pools,
    }
}

pub(super) fn plan_pools(spec: &Spec, request: &Request, report: &Report) -> Vec<PoolPlan> {
    let ceph = &spec.ceph;
    ceph.pools
        .iter()
        .zip(&report.pools)
        .zip(&request.pools)
        .map(|((p, sized), asked)| {
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
