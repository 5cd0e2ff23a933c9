//! What Ceph's pg_autoscaler (squid) settles on for pools in one CRUSH root, before any data is
//! written: the three passes of `_get_pool_pg_targets` in pool-id order give each pool a target;
//! the autoscaler moves a pool to it only when it is more than 3× away from the current pg_num,
//! and only if the monitors accept the increase.

use super::limits::Monitors;
use super::{AUTOSCALE_CREATE_PG_NUM, AUTOSCALE_THRESHOLD, MAX_POOL_PG_NUM, nearest_power_of_two};
use serde::Serialize;

/// The autoscaler's floor when a pool sets no pg_num_min.
pub const PG_NUM_MIN: u32 = 32;

/// One pool as the autoscaler sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AutoscalePool {
    /// target_size_ratio as written to Ceph (the autoscaler normalises by the sum over the
    /// root, but reads each back as a 32-bit float).
    pub target_ratio: f64,
    /// Copies (size, or k+m).
    pub size: u32,
    /// The `bulk` flag: the pool starts with its full share of PGs.
    pub bulk: bool,
    /// pg_autoscale_bias: the pool's target is multiplied by it (CephFS metadata: 4).
    pub bias: f64,
    /// pg_num_min: the autoscaler never goes below it.
    pub pg_num_min: u32,
    /// pg_num when the autoscaler first sees the pool with these settings. None: created the
    /// way ceph-ansible creates it, without a pg_num (`AUTOSCALE_CREATE_PG_NUM`), and, if bulk,
    /// sized once without the flag, which cephspray's playbook sets after site.yml.
    pub start: Option<u32>,
    /// pg_autoscale_mode on; off: a fixed pg_num the autoscaler counts but never changes.
    pub autoscale_on: bool,
}

impl AutoscalePool {
    /// A pool with the autoscaler's defaults.
    pub fn new(target_ratio: f64, size: u32) -> Self {
        AutoscalePool {
            target_ratio,
            size,
            bulk: false,
            bias: 1.0,
            pg_num_min: PG_NUM_MIN,
            start: None,
            autoscale_on: true,
        }
    }
}

/// The target pg_num of each pool (same order as given) for `osds` OSDs under the root, empty
/// pools, `target_pg_per_osd` being mon_target_pg_per_osd.
pub fn autoscale(pools: &[AutoscalePool], osds: u32, target_pg_per_osd: u32) -> Vec<u32> {
    let mut result = vec![0; pools.len()];
    for (i, target) in targets(pools, osds, target_pg_per_osd) {
        result[i] = target;
    }
    result
}

/// A pool's target_size_ratio as the autoscaler reads it back: the OSD map stores pool options
/// as 32-bit floats, so 0.02 is 0.019999999552965164 (measured: with bias 4 on 6 OSDs at size 2,
/// 23.99… PGs, which rounds to 16 where 0.02 exactly would tie upwards to 32).
fn stored_ratio(pool: &AutoscalePool) -> f64 {
    f64::from(pool.target_ratio as f32)
}

/// Targets as (pool index, pg_num) in the order the autoscaler acts on them: pools without the
/// bulk flag in pool-id order, then bulk pools above the even share, then the other bulk pools.
fn targets(pools: &[AutoscalePool], osds: u32, target_pg_per_osd: u32) -> Vec<(usize, u32)> {
    let total_ratio: f64 = pools.iter().map(stored_ratio).sum();
    let ratio = |p: &AutoscalePool| {
        if total_ratio > 0.0 {
            stored_ratio(p) / total_ratio
        } else {
            0.0
        }
    };
    let mut pg_left = f64::from(osds) * f64::from(target_pg_per_osd);
    let mut used = 0usize;
    let count = pools.len();
    let mut ideal = Vec::with_capacity(count);

    // First pass: pools without the bulk flag take their capacity ratio of what is left.
    for (i, p) in pools.iter().enumerate().filter(|(_, p)| !p.bulk) {
        let used_pg = ratio(p) * pg_left;
        pg_left -= used_pg.trunc();
        used += 1;
        ideal.push((i, used_pg / f64::from(p.size.max(1)) * p.bias));
    }
    // Second pass: bulk pools above the even ratio take their ratio.
    let mut even = Vec::new();
    for (i, p) in pools.iter().enumerate().filter(|(_, p)| p.bulk) {
        let even_ratio = 1.0 / (count - used) as f64;
        let used_ratio = ratio(p);
        if used_ratio > even_ratio {
            used += 1;
            let used_pg = used_ratio.max(even_ratio) * pg_left;
            pg_left -= used_pg.trunc();
            ideal.push((i, used_pg / f64::from(p.size.max(1)) * p.bias));
        } else {
            even.push(i);
        }
    }
    // Third pass: the remaining bulk pools split what is left evenly.
    for &i in &even {
        let p = &pools[i];
        let final_ratio = 1.0 / (count - used) as f64;
        ideal.push((i, final_ratio * pg_left / f64::from(p.size.max(1)) * p.bias));
    }
    ideal
        .into_iter()
        .map(|(i, target)| (i, nearest_power_of_two(target).max(pools[i].pg_num_min)))
        .collect()
}

/// Why a pool stays short of its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Refusal {
    /// The monitors refuse the increase: all pools would hold `projected` PG replicas.
    Monitors {
        /// Σ pg_num × size the increase would make.
        projected: u64,
    },
    /// The target exceeds mon_max_pool_pg_num (65536).
    PoolLimit,
}

/// What happens to one pool, from creation to where the autoscaler leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settled {
    /// The autoscaler's target with the pool's final settings (`pg_num_final`).
    pub target: u32,
    /// pg_num at creation (or when first seen with its settings).
    pub start: u32,
    /// Where the autoscaler took the pool before its bulk flag was set, if it was set later.
    pub before_bulk: Option<u32>,
    /// The pg_num it settles on.
    pub pg_num: u32,
    /// The monitors refused to create it: the PG replicas all pools would have held.
    pub create_refused: Option<u64>,
    /// The target was refused and the pool stays below it.
    pub refused: Option<Refusal>,
}

/// Creates the pools in order and runs the autoscaler until it changes nothing more, once
/// without the bulk flags set after creation (see `AutoscalePool::start`) and once with them.
/// `mon` holds the monitors' count of PG replicas before the pools exist (the manager's pool).
pub fn settle(
    pools: &[AutoscalePool],
    osds: u32,
    target_pg_per_osd: u32,
    mon: &mut Monitors,
) -> Vec<Settled> {
    let replicas = |pg_num: u32, i: usize| u64::from(pg_num) * u64::from(pools[i].size);
    let mut settled: Vec<Settled> = pools
        .iter()
        .map(|p| {
            let start = p.start.unwrap_or(AUTOSCALE_CREATE_PG_NUM);
            Settled {
                target: start,
                start,
                before_bulk: None,
                pg_num: start,
                create_refused: None,
                refused: None,
            }
        })
        .collect();
    for (i, s) in settled.iter_mut().enumerate() {
        s.create_refused = mon.change(0, replicas(s.start, i)).err();
    }
    // A refused creation stops the deployment there: nothing to scale.
    if settled.iter().any(|s| s.create_refused.is_some()) {
        return settled;
    }
    let bulk_later: Vec<bool> = pools.iter().map(|p| p.bulk && p.start.is_none()).collect();
    let mut phases = Vec::new();
    if bulk_later.contains(&true) {
        let before: Vec<AutoscalePool> = pools
            .iter()
            .zip(&bulk_later)
            .map(|(p, later)| AutoscalePool {
                bulk: p.bulk && !later,
                ..*p
            })
            .collect();
        phases.push(before);
    }
    phases.push(pools.to_vec());
    let last = phases.len() - 1;
    for (phase, view) in phases.iter().enumerate() {
        let order = targets(view, osds, target_pg_per_osd);
        for s in settled.iter_mut() {
            s.refused = None;
        }
        // The autoscaler runs every minute: again and again, until nothing changes.
        for _ in 0..16 {
            let mut changed = false;
            for &(i, target) in &order {
                let s = &mut settled[i];
                s.target = target;
                let current = f64::from(s.pg_num);
                let far = f64::from(target) > current * AUTOSCALE_THRESHOLD
                    || f64::from(target) < current / AUTOSCALE_THRESHOLD;
                if !pools[i].autoscale_on || !far {
                    s.refused = None;
                    continue;
                }
                if target > MAX_POOL_PG_NUM {
                    s.refused = Some(Refusal::PoolLimit);
                    continue;
                }
                match mon.change(replicas(s.pg_num, i), replicas(target, i)) {
                    Ok(()) => {
                        s.pg_num = target;
                        s.refused = None;
                        changed = true;
                    }
                    Err(projected) => s.refused = Some(Refusal::Monitors { projected }),
                }
            }
            if !changed {
                break;
            }
        }
        if phase < last {
            for (s, later) in settled.iter_mut().zip(&bulk_later) {
                if *later {
                    s.before_bulk = Some(s.pg_num);
                }
            }
        }
    }
    settled
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ceph fs volume create`: bulk data pool; `ceph fs new`: metadata pool bias 4, min 16.
    fn cephfs_pools(data_ratio: f64, meta_ratio: f64) -> [AutoscalePool; 2] {
        [
            AutoscalePool {
                bulk: true,
                ..AutoscalePool::new(data_ratio, 3)
            },
            AutoscalePool {
                bias: 4.0,
                pg_num_min: 16,
                ..AutoscalePool::new(meta_ratio, 3)
            },
        ]
    }

    #[test]
    fn empty_cephfs_on_six_osds() {
        assert_eq!(autoscale(&cephfs_pools(0.0, 0.0), 6, 100), vec![256, 16]);
    }

    /// five-nodes on a real Ceph 16.2 (tests/real_ceph.rs): fs_meta with ratio 0.02 of 0.02 + 0.6
    /// + 0.38, bias 4, size 2, 6 OSDs: the autoscaler's target was 16, not 32.
    #[test]
    fn ratios_are_read_back_as_32_bit_floats() {
        let pools = [
            AutoscalePool {
                bulk: true,
                ..AutoscalePool::new(0.6, 2)
            },
            AutoscalePool {
                bias: 4.0,
                pg_num_min: 16,
                ..AutoscalePool::new(0.02, 2)
            },
            AutoscalePool::new(0.38, 2),
        ];
        assert_eq!(autoscale(&pools, 6, 100)[1], 16);
    }

    #[test]
    fn one_bulk_pool_on_a_thousand_osds() {
        let pool = AutoscalePool {
            bulk: true,
            ..AutoscalePool::new(0.0, 3)
        };
        assert_eq!(autoscale(&[pool], 1000, 100), vec![32_768]);
    }

    #[test]
    fn target_ratios_are_normalised_and_non_bulk_pools_go_first() {
        // 95/5, no bulk, pool-id order: data takes 0.95 × 600 = 570 PGs (190 per copy → 128), and
        // the metadata pool 0.05 of the 30 left (× bias 4 = 2 → its minimum 16).
        let metadata = AutoscalePool {
            bias: 4.0,
            pg_num_min: 16,
            ..AutoscalePool::new(5.0, 3)
        };
        assert_eq!(
            autoscale(&[AutoscalePool::new(95.0, 3), metadata], 6, 100),
            vec![128, 16]
        );
        // With a bulk data pool the metadata pool is served first: 0.05 × 600 / 3 × 4 = 40 → 32;
        // the data pool then gets the 570 left: 190 → 128.
        assert_eq!(autoscale(&cephfs_pools(95.0, 5.0), 6, 100), vec![128, 32]);
    }

    #[test]
    fn a_non_bulk_pool_without_ratio_sits_at_its_minimum() {
        assert_eq!(autoscale(&[AutoscalePool::new(0.0, 3)], 6, 100), vec![32]);
    }

    /// A trial as measured on Ceph 16.2 (docs/pg-calculation.md): metadata pool created with 16
    /// PGs, then the data pool with `data_start` PGs, `fs new`, and the bulk flag set at once.
    /// Returns the data pool's outcome; the manager's pool holds 3 PG replicas.
    fn trial(osds: u32, target: u32, data_start: u32, bulk: bool) -> Settled {
        let [data, meta] = cephfs_pools(0.0, 0.0);
        let pools = [
            AutoscalePool {
                start: Some(16),
                ..meta
            },
            AutoscalePool {
                start: Some(data_start),
                bulk,
                ..data
            },
        ];
        let mut mon = Monitors::new(osds, 3);
        let settled = settle(&pools, osds, target, &mut mon);
        assert_eq!(settled[0].pg_num, 16, "{settled:?}");
        settled[1]
    }

    #[test]
    fn measured_trials_settle_where_ceph_did() {
        // (OSDs, mon_target_pg_per_osd, data pool start, bulk) → pg_num, as measured.
        for (osds, target, start, bulk, pg_num) in [
            (6, 100, 256, true, 256),
            (6, 100, 32, true, 256),
            (6, 150, 32, true, 256),
            (6, 100, 256, false, 32),
            (10, 100, 32, true, 256),
            (10, 150, 32, true, 512),
            (10, 150, 256, true, 256),
        ] {
            let s = trial(osds, target, start, bulk);
            assert_eq!(
                s.pg_num, pg_num,
                "{osds} OSDs, target {target}, start {start}: {s:?}"
            );
        }
        // Within 3× of the target 512: stays, and nothing is refused.
        let s = trial(10, 150, 256, true);
        assert_eq!((s.target, s.refused), (512, None));
    }

    #[test]
    fn the_monitors_refuse_what_the_autoscaler_wants_and_the_pool_stays() {
        // Measured: 10 OSDs, mon_target_pg_per_osd 500, metadata 16 and two bulk pools of 32:
        // `pg_num 1024 size 3 would mean 3219 total pgs, which exceeds max 2500`; both stay 32.
        let [data, meta] = cephfs_pools(0.0, 0.0);
        let pools = [
            AutoscalePool {
                start: Some(16),
                ..meta
            },
            AutoscalePool {
                start: Some(32),
                ..data
            },
            AutoscalePool {
                start: Some(32),
                ..data
            },
        ];
        let settled = settle(&pools, 10, 500, &mut Monitors::new(10, 3));
        assert_eq!(
            settled.iter().map(|s| s.pg_num).collect::<Vec<_>>(),
            vec![16, 32, 32]
        );
        assert_eq!(settled[1].target, 1024);
        assert_eq!(
            settled[1].refused,
            Some(Refusal::Monitors { projected: 3219 })
        );
    }

    #[test]
    fn ceph_ansible_pools_on_ceph_16_keep_a_metadata_pool_of_32() {
        // Measured (6 OSDs): both pools created without pg_num (32 on Ceph 16.2), data first,
        // `fs new`, bulk later: metadata target 16 is within 3× of 32, the data pool goes to 256.
        let [data, meta] = cephfs_pools(0.0, 0.0);
        let pools = [
            AutoscalePool {
                start: Some(32),
                ..data
            },
            AutoscalePool {
                start: Some(32),
                ..meta
            },
        ];
        let settled = settle(&pools, 6, 100, &mut Monitors::new(6, 3));
        assert_eq!((settled[0].pg_num, settled[1].pg_num), (256, 32));
        assert_eq!(settled[1].target, 16);
    }

    #[test]
    fn squid_creates_at_one_pg_and_bulk_comes_later() {
        // Ceph 17+ creates autoscaled pools with 1 PG; before the bulk flag the data pool is
        // raised to its minimum 32, then to its bulk target 256.
        let settled = settle(&cephfs_pools(0.0, 0.0), 6, 100, &mut Monitors::new(6, 3));
        assert_eq!(settled[0].start, 1);
        assert_eq!(settled[0].before_bulk, Some(32));
        assert_eq!((settled[0].pg_num, settled[1].pg_num), (256, 16));
        // A bulk target within 3× of where the pool was before the flag: it stays there.
        // 3 OSDs of size 3, shares 50/50: before bulk the data pool gets 0.5 × 300 / 3 = 50 → 64;
        // with bulk the same 64.
        let [data, meta] = cephfs_pools(50.0, 50.0);
        let settled = settle(&[data, meta], 3, 100, &mut Monitors::new(3, 3));
        assert_eq!((settled[0].before_bulk, settled[0].pg_num), (Some(64), 64));
    }

    #[test]
    fn a_refused_creation_stops_there() {
        // Pools of 32 × 3 on 2 OSDs (counted as 3), the manager's 3 replicas already there: the
        // seventh makes 675, the eighth would make 771 > 750.
        let pools = vec![
            AutoscalePool {
                start: Some(32),
                ..AutoscalePool::new(0.0, 3)
            };
            8
        ];
        let settled = settle(&pools, 2, 100, &mut Monitors::new(2, 3));
        assert_eq!(settled[6].create_refused, None);
        assert_eq!(settled[7].create_refused, Some(771));
    }

    #[test]
    fn above_the_pool_limit_the_pool_stays_where_it_is() {
        let pool = AutoscalePool {
            bulk: true,
            start: Some(32),
            ..AutoscalePool::new(0.0, 3)
        };
        let settled = settle(&[pool], 10_000, 100, &mut Monitors::new(10_000, 3));
        assert_eq!(settled[0].target, 262_144);
        assert_eq!(
            (settled[0].pg_num, settled[0].refused),
            (32, Some(Refusal::PoolLimit))
        );
    }
}
