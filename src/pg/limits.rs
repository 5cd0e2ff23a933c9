//! The PG limits Ceph enforces: the monitors' check when a pool is created or its pg_num raised
//! (`check_pg_num`), and each OSD's own hard limit on the PGs it activates.

use super::{Layout, MON_MAX_PG_PER_OSD};
use serde::Serialize;

/// The most PG replicas the monitors accept, Σ pg_num_target × size over all pools:
/// mon_max_pg_per_osd × max(in OSDs, 3). Ceph 16.2 refuses a creation or a pg_num increase that
/// would go strictly above it (ERANGE).
pub fn mon_max_pg_replicas(osds: u32) -> u64 {
    u64::from(MON_MAX_PG_PER_OSD) * u64::from(osds.max(3))
}

/// The monitors' running count of PG replicas, checked as pools are created and resized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Monitors {
    /// mon_max_pg_per_osd × max(in OSDs, 3).
    pub max: u64,
    /// Σ pg_num_target × size over the pools so far.
    pub total: u64,
}

impl Monitors {
    /// The monitors of a cluster with `osds` in OSDs whose existing pools hold `total` replicas.
    pub fn new(osds: u32, total: u64) -> Self {
        Monitors {
            max: mon_max_pg_replicas(osds),
            total,
        }
    }

    /// A pool going from `from` to `to` PG replicas (from 0 when it is created). Increases are
    /// checked: `Err(projected total)` when the monitors refuse, and nothing changes.
    pub fn change(&mut self, from: u64, to: u64) -> Result<(), u64> {
        let projected = self.total - from.min(self.total) + to;
        if to > from && projected > self.max {
            return Err(projected);
        }
        self.total = projected;
        Ok(())
    }
}

/// The OSD expected to hold the most PG replicas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BusiestOsd {
    /// PG replicas it is expected to hold.
    pub pg_replicas: f64,
    /// Index of its host in the layout.
    pub host: usize,
    /// OSDs on that host.
    pub host_osds: usize,
}

/// Identical hosts: how many, and their devices as (weight, how many).
struct Hosts {
    count: u64,
    devices: Vec<(f64, u64)>,
}

impl Hosts {
    fn weight(&self) -> f64 {
        self.devices.iter().map(|&(w, n)| w * n as f64).sum()
    }

    fn osds(&self) -> u64 {
        self.devices.iter().map(|&(_, n)| n).sum()
    }
}

/// The OSD expected to hold the most PG replicas of `pools` (pg_num, width), placed as the default
/// CRUSH rule does: at most one replica of a PG per host, hosts chosen in proportion to their
/// weight (the sum of their devices), devices within a host in proportion to theirs. A host whose
/// share would exceed one replica of every PG holds exactly that, and the rest goes to the others.
/// Device sizes unknown: the OSDs spread as evenly as they go, all of one weight. None without OSDs.
pub fn busiest_osd(pools: &[(u32, u32)], layout: &Layout) -> Option<BusiestOsd> {
    let groups: Vec<Hosts> = match &layout.host_devices {
        Some(devices) => devices
            .iter()
            .map(|d| Hosts {
                count: 1,
                devices: d.iter().map(|&b| (b as f64, 1)).collect(),
            })
            .collect(),
        None => {
            // osds = q × hosts + r: r hosts of q + 1 OSDs, the others of q.
            let count = u64::from(layout.failure_domains.max(1));
            let (q, r) = (
                u64::from(layout.osds) / count,
                u64::from(layout.osds) % count,
            );
            [(r, q + 1), (count - r, q)]
                .into_iter()
                .filter(|&(hosts, _)| hosts > 0)
                .map(|(hosts, osds)| Hosts {
                    count: hosts,
                    devices: vec![(1.0, osds)],
                })
                .collect()
        }
    };
    let weights: Vec<f64> = groups.iter().map(Hosts::weight).collect();
    let counts: Vec<u64> = groups.iter().map(|g| g.count).collect();
    let hosts: u64 = counts.iter().sum();
    let mut per_host = vec![0.0f64; groups.len()];
    for &(pg_num, width) in pools {
        let pg_num = f64::from(pg_num);
        let placed = u64::from(width).min(hosts) as f64 * pg_num;
        for (g, replicas) in spread(placed, pg_num, &weights, &counts)
            .into_iter()
            .enumerate()
        {
            per_host[g] += replicas;
        }
    }
    let mut busiest: Option<BusiestOsd> = None;
    let mut first_host = 0u64;
    for (g, group) in groups.iter().enumerate() {
        for &(device, n) in &group.devices {
            let pg_replicas = if weights[g] > 0.0 && n > 0 {
                per_host[g] * device / weights[g]
            } else {
                continue;
            };
            if busiest.is_none_or(|b| pg_replicas > b.pg_replicas) {
                busiest = Some(BusiestOsd {
                    pg_replicas,
                    host: usize::try_from(first_host).unwrap_or(usize::MAX),
                    host_osds: usize::try_from(group.osds()).unwrap_or(usize::MAX),
                });
            }
        }
        first_host += group.count;
    }
    busiest
}

/// `placed` replicas over groups of `counts` hosts of `weights` each, in proportion to weight,
/// no host holding more than `cap`: what each host of each group holds.
fn spread(placed: f64, cap: f64, weights: &[f64], counts: &[u64]) -> Vec<f64> {
    let mut capped = vec![false; weights.len()];
    loop {
        let (mut free_weight, mut capped_hosts) = (0.0, 0.0);
        for ((w, n), c) in weights.iter().zip(counts).zip(&capped) {
            if *c {
                capped_hosts += *n as f64;
            } else {
                free_weight += w * *n as f64;
            }
        }
        let left = (placed - cap * capped_hosts).max(0.0);
        let per_weight = if free_weight > 0.0 {
            left / free_weight
        } else {
            0.0
        };
        let mut changed = false;
        for (g, w) in weights.iter().enumerate() {
            if !capped[g] && per_weight * w > cap {
                capped[g] = true;
                changed = true;
            }
        }
        if !changed {
            return weights
                .iter()
                .zip(&capped)
                .map(|(w, c)| if *c { cap } else { per_weight * w })
                .collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(host_devices: Vec<Vec<u64>>) -> Layout {
        Layout {
            osds: host_devices.iter().map(|d| d.len() as u32).sum(),
            failure_domains: host_devices.len() as u32,
            host_devices: Some(host_devices),
        }
    }

    #[test]
    fn the_monitors_count_at_least_three_osds() {
        assert_eq!(mon_max_pg_replicas(2), 750);
        assert_eq!(mon_max_pg_replicas(3), 750);
        assert_eq!(mon_max_pg_replicas(10), 2500);
    }

    #[test]
    fn the_monitors_refuse_only_strictly_above_the_limit() {
        // Measured on 3 OSDs with the manager's pool (1 PG × 3): 249 × 3 accepted (750), 250 refused.
        let mut mon = Monitors::new(3, 3);
        assert_eq!(mon.change(0, 249 * 3), Ok(()));
        assert_eq!(mon.total, 750);
        assert_eq!(mon.change(249 * 3, 250 * 3), Err(753));
        assert_eq!(mon.total, 750);
        // Decreases are never refused.
        assert_eq!(mon.change(249 * 3, 3), Ok(()));
    }

    #[test]
    fn even_hosts_share_evenly() {
        let b = busiest_osd(&[(256, 3), (8, 3)], &layout(vec![vec![1; 2]; 3])).unwrap();
        assert_eq!(b.pg_replicas, 132.0);
    }

    #[test]
    fn a_lone_osd_on_its_own_host_holds_a_replica_of_every_pg() {
        // Measured: hosts of 1, 6 and 6 OSDs, size 3, 1024 PGs: the lone OSD was mapped 1008 PGs
        // (17 PGs found only two hosts) and activated 750; the others about 170 each.
        let b = busiest_osd(&[(1024, 3)], &layout(vec![vec![1], vec![1; 6], vec![1; 6]])).unwrap();
        assert_eq!((b.pg_replicas, b.host, b.host_osds), (1024.0, 0, 1));
    }

    #[test]
    fn heavier_hosts_are_capped_at_one_replica_per_pg() {
        // Size 2 over hosts weighing 4, 1 and 1: the heavy host would take 2/3 × 2 × 60 = 80 > 60
        // replicas, so it holds 60 (15 per OSD) and the light ones split the other 60.
        let b = busiest_osd(&[(60, 2)], &layout(vec![vec![1; 4], vec![1], vec![1]])).unwrap();
        assert_eq!((b.pg_replicas, b.host), (30.0, 1));
    }

    #[test]
    fn without_device_sizes_the_osds_spread_evenly() {
        let b = busiest_osd(
            &[(128, 3)],
            &Layout {
                osds: 7,
                failure_domains: 3,
                host_devices: None,
            },
        )
        .unwrap();
        // Hosts of 3, 2 and 2 OSDs each hold one replica of every PG.
        assert_eq!((b.pg_replicas, b.host_osds), (64.0, 2));
        assert_eq!(
            busiest_osd(
                &[(128, 3)],
                &Layout {
                    osds: 0,
                    failure_domains: 0,
                    host_devices: None
                }
            ),
            None
        );
    }
}
