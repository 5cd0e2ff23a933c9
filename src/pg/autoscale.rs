//! What Ceph's pg_autoscaler (squid) settles on for pools in one CRUSH root, before any data is
//! written: the three passes of `_get_pool_pg_targets` in pool-id order.

use super::nearest_power_of_two;

/// The autoscaler's floor when a pool sets no pg_num_min.
pub const PG_NUM_MIN: u32 = 32;

/// One pool as the autoscaler sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AutoscalePool {
    /// target_size_ratio (any scale: the autoscaler normalises by the sum over the root).
    pub target_ratio: f64,
    /// Copies (size, or k+m).
    pub size: u32,
    /// The `bulk` flag: the pool starts with its full share of PGs.
    pub bulk: bool,
    /// pg_autoscale_bias.
    pub bias: f64,
    /// pg_num_min.
    pub pg_num_min: u32,
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
        }
    }
}

/// pg_num of each pool (same order as given) for `osds` OSDs under the root, empty pools.
pub fn autoscale(pools: &[AutoscalePool], osds: u32, target_pg_per_osd: u32) -> Vec<u32> {
    let total_ratio: f64 = pools.iter().map(|p| p.target_ratio).sum();
    let ratio = |p: &AutoscalePool| {
        if total_ratio > 0.0 {
            p.target_ratio / total_ratio
        } else {
            0.0
        }
    };
    let mut pg_left = f64::from(osds) * f64::from(target_pg_per_osd);
    let mut used = 0usize;
    let count = pools.len();
    let mut ideal = vec![0.0f64; count];

    // First pass: pools without the bulk flag take their capacity ratio of what is left.
    for (i, p) in pools.iter().enumerate().filter(|(_, p)| !p.bulk) {
        let used_pg = ratio(p) * pg_left;
        pg_left -= used_pg.trunc();
        used += 1;
        ideal[i] = used_pg / f64::from(p.size.max(1)) * p.bias;
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
            ideal[i] = used_pg / f64::from(p.size.max(1)) * p.bias;
        } else {
            even.push(i);
        }
    }
    // Third pass: the remaining bulk pools split what is left evenly.
    for &i in &even {
        let p = &pools[i];
        let final_ratio = 1.0 / (count - used) as f64;
        ideal[i] = final_ratio * pg_left / f64::from(p.size.max(1)) * p.bias;
    }
    pools
        .iter()
        .zip(ideal)
        .map(|(p, target)| nearest_power_of_two(target).max(p.pg_num_min))
        .collect()
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
}
