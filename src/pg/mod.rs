//! Placement-group sizing, as pure functions: the classic Ceph PG calculator (`pgcalc`) and what
//! Ceph's pg_autoscaler (squid) settles on (`autoscale`). See docs/pg-calculation.md.

mod autoscale;
mod display;
mod pgcalc;
mod report;

pub use autoscale::{AutoscalePool, PG_NUM_MIN, autoscale};
pub use pgcalc::{PgcalcPool, pgcalc};
pub use report::{
    Capacity, CrushWeight, Finding, Layout, Method, NEARFULL_RATIO, PoolReport, PoolRequest,
    Redundancy, Report, Request, Severity, number, report,
};

/// Ceph refuses to create pools that would put more PG replicas than this on an OSD.
pub const MON_MAX_PG_PER_OSD: u32 = 250;
/// The autoscaler's default PGs per OSD.
pub const MON_TARGET_PG_PER_OSD: u32 = 100;
/// The largest pg_num Ceph accepts for one pool (mon_max_pool_pg_num).
pub const MAX_POOL_PG_NUM: u32 = 65_536;

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
