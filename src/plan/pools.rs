//! Where each pool's pg_num (or autoscaler guidance) is decided.

use crate::pg::{AutoscalePool, PgcalcPool, autoscale, pgcalc};
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
}

impl PoolPlan {
    /// The pg_num the pool ends up with (fixed, or the autoscaler's expected choice).
    pub fn pg_num(&self) -> u32 {
        match self.pg {
            PoolPg::Fixed { pg_num } => pg_num,
            PoolPg::Autoscale {
                expected_pg_num, ..
            } => expected_pg_num,
        }
    }
}

pub(super) fn plan_pools(spec: &Spec, osd_count: u32) -> Vec<PoolPlan> {
    let ceph = &spec.ceph;
    let metadata_pool = ceph.cephfs.as_ref().map(|fs| fs.metadata_pool.as_str());
    let size_of = |p: &crate::spec::Pool| p.size.unwrap_or(ceph.size);
    // `ceph fs new` gives the metadata pool bias 4 and pg_num_min 16.
    let autoscaled: Vec<AutoscalePool> = ceph
        .pools
        .iter()
        .map(|p| {
            let mut pool = AutoscalePool::new(p.share.unwrap_or(0.0), u32::from(size_of(p)));
            if Some(p.name.as_str()) == metadata_pool {
                pool.bias = 4.0;
                pool.pg_num_min = 16;
            }
            pool
        })
        .collect();
    let expected = autoscale(&autoscaled, osd_count, crate::pg::MON_TARGET_PG_PER_OSD);
    ceph.pools
        .iter()
        .zip(expected)
        .map(|(p, expected_pg_num)| {
            let size = size_of(p);
            let pg = match ceph.pg.mode {
                PgMode::Fixed => PoolPg::Fixed {
                    pg_num: p.pg_num.unwrap_or_else(|| {
                        pgcalc(
                            PgcalcPool {
                                share: p.share.unwrap_or(0.0),
                                size: u32::from(size),
                            },
                            osd_count,
                            ceph.pg.target_per_osd,
                        )
                    }),
                },
                PgMode::Autoscale => PoolPg::Autoscale {
                    target_size_ratio: p.share.map(|s| s / 100.0),
                    expected_pg_num,
                },
            };
            PoolPlan {
                name: p.name.clone(),
                application: p.application.as_str(),
                size,
                min_size: p.min_size.unwrap_or(ceph.min_size),
                share: p.share,
                pg,
            }
        })
        .collect()
}
