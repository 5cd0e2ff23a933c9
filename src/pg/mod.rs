//! Placement-group sizing, as pure functions: the classic Ceph PG calculator (`pgcalc`), what
//! Ceph's pg_autoscaler (squid) settles on (`autoscale`), and the limits the monitors and OSDs
//! enforce (`limits`). See docs/pg-calculation.md.

mod autoscale;
mod capacity;
mod display;
mod explain;
mod finding;
mod limits;
mod of_spec;
mod pgcalc;
mod report;
mod request;

pub use autoscale::{AutoscalePool, PG_NUM_MIN, Settled, autoscale, settle};
pub use capacity::{Capacity, CrushWeight, NEARFULL_RATIO};
pub use display::number;
pub use finding::{Finding, Severity};
pub use limits::{BusiestOsd, Monitors, busiest_osd, mon_max_pg_replicas};
pub use of_spec::{Sizing, creation_order, pg_request};
pub use pgcalc::{PgcalcPool, pgcalc};
pub use report::{PoolReport, Report, report};
pub use request::{Layout, Method, PoolRequest, Redundancy, Request};

/// mon_max_pg_per_osd: the monitors refuse a pool creation or pg_num increase that would take
/// Σ pg_num × size over all pools above this × max(in OSDs, 3); health warns (TOO_MANY_PGS)
/// when the PG replicas actually placed average more than this per in OSD.
pub const MON_MAX_PG_PER_OSD: u32 = 250;
/// osd_max_pg_per_osd_hard_ratio: an OSD withholds the creation of PGs beyond
/// mon_max_pg_per_osd × this (750); they stay inactive.
pub const OSD_MAX_PG_PER_OSD_HARD_RATIO: u32 = 3;
/// mon_target_pg_per_osd: the PGs per OSD the autoscaler hands out by default.
pub const MON_TARGET_PG_PER_OSD: u32 = 100;
/// The largest pg_num Ceph accepts for one pool (mon_max_pool_pg_num).
pub const MAX_POOL_PG_NUM: u32 = 65_536;
/// The autoscaler's `threshold`: it changes a pool's pg_num only when its target is more than
/// this factor away from the current value.
pub const AUTOSCALE_THRESHOLD: f64 = 3.0;
/// pg_num of a pool created in autoscale mode without a pg_num, as ceph-ansible's ceph_pool
/// creates them: 1 since Ceph 17 (`prepare_new_pool`); Ceph 16.2 used osd_pool_default_pg_num.
pub const AUTOSCALE_CREATE_PG_NUM: u32 = 1;
/// osd_pool_default_pg_num: what Ceph 16.2 created such pools with (measured, see the docs).
pub const OSD_POOL_DEFAULT_PG_NUM: u32 = 32;

/// Ceph's `nearest_power_of_two`: the closer of the two surrounding powers, ties upwards.
pub fn nearest_power_of_two(n: f64) -> u32 {
    if n.is_nan() || n <= 0.0 {
        return 0;
    }
    // Beyond 2^31 the answer no longer fits: saturate (far above any pg_num Ceph accepts).
    if n >= f64::from(1u32 << 31) {
        return 1 << 31;
    }
    let upper = (n.ceil() as u64).next_power_of_two();
    let lower = upper >> 1;
    let chosen = if (upper as f64 - n) > (n - lower as f64) {
        lower
    } else {
        upper
    };
    chosen.min(u64::from(u32::MAX)) as u32
}

/// PG replicas each OSD carries: Σ pg_num × size / OSDs.
pub fn pg_replicas_per_osd(pools: impl IntoIterator<Item = (u32, u32)>, osds: u32) -> f64 {
    let total: u64 = pools
        .into_iter()
        .map(|(pg_num, size)| u64::from(pg_num) * u64::from(size))
        .sum();
    total as f64 / f64::from(osds.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_power_of_two_matches_ceph() {
        assert_eq!(nearest_power_of_two(0.0), 0);
        assert_eq!(nearest_power_of_two(1.0), 1);
        assert_eq!(nearest_power_of_two(200.0), 256);
        assert_eq!(nearest_power_of_two(191.0), 128);
        assert_eq!(nearest_power_of_two(192.0), 256);
        assert_eq!(nearest_power_of_two(33_333.3), 32_768);
        assert_eq!(nearest_power_of_two(f64::INFINITY), 1 << 31);
        assert_eq!(nearest_power_of_two(f64::NAN), 0);
        assert_eq!(nearest_power_of_two(1e300), 1 << 31);
    }

    #[test]
    fn replicas_per_osd() {
        assert_eq!(pg_replicas_per_osd([(256, 3), (8, 3)], 6), 132.0);
    }
}
