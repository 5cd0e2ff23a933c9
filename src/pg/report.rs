//! A sizing report for a set of pools on a disk layout: pg_num per pool with the reasoning,
//! PG replicas per OSD, capacity, and what Ceph would refuse (errors) or what is unwise
//! (warnings). Pure: it knows nothing of specs or files.

use super::capacity::capacity;
use super::explain::{explain_autoscale, explain_pgcalc};
use super::finding::{creation_refused, pool_findings, target_refused};
use super::pgcalc::pgcalc_sizing;
use super::{
    AutoscalePool, BusiestOsd, Capacity, Finding, MON_MAX_PG_PER_OSD, Method, Monitors,
    OSD_MAX_PG_PER_OSD_HARD_RATIO, PgcalcPool, PoolRequest, Redundancy, Request, Severity,
    busiest_osd, settle,
};
use serde::Serialize;

/// One sized pool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolReport {
    /// The pool's name, as in the request.
    pub name: String,
    /// Share of the data, percent.
    pub share: f64,
    /// Placement width (size, or k+m).
    pub size: u32,
    /// How the pool stores data, which sets its width on the OSDs.
    pub redundancy: Redundancy,
    /// The pg_num decided (or given).
    pub pg_num: u32,
    /// This pool's PG replicas per OSD: pg_num × size / OSDs.
    pub pg_replicas_per_osd: f64,
    /// Autoscale: the autoscaler's target (`pg_num` is where the pool settles).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_pg_num: Option<u32>,
    /// How pg_num was reached, in one line.
    pub reasoning: String,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The calculation used.
    pub method: Method,
    /// OSDs under the root.
    pub osds: u32,
    /// Failure domains (hosts) holding OSDs, which bound a pool's width.
    pub failure_domains: u32,
    /// Target PGs per OSD.
    pub target_per_osd: u32,
    /// Pools in order.
    pub pools: Vec<PoolReport>,
    /// PG replicas each OSD carries, all pools together.
    pub pg_replicas_per_osd: f64,
    /// What the monitors would count: Σ pg_num × size over the pools and the manager's pool.
    pub mon_pg_replicas: u64,
    /// The most they accept: mon_max_pg_per_osd × max(OSDs, 3).
    pub mon_max_pg_replicas: u64,
    /// The manager's own pool (`.mgr`, 1 PG), counted with the widest replicated size.
    pub mgr_pool_pg_replicas: u64,
    /// The OSD expected to hold the most PG replicas.
    pub busiest_osd: Option<BusiestOsd>,
    /// Capacity, when device sizes are known.
    pub capacity: Option<Capacity>,
    /// Errors and warnings.
    pub findings: Vec<Finding>,
}

impl Report {
    /// True when Ceph would refuse the pools.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Sizes the pools and checks them.
pub fn report(request: &Request) -> Report {
    let layout = &request.layout;
    let osds = layout.osds;
    let mut findings = Vec::new();
    // The manager creates its pool (1 PG) before any other, once as many OSDs are up as its
    // size: the monitors count it too.
    let mgr_size = mgr_pool_size(request);
    let mgr_pool_pg_replicas = if osds >= mgr_size {
        u64::from(mgr_size)
    } else {
        0
    };
    let mut mon = Monitors::new(osds, mgr_pool_pg_replicas);
    let mut creation_refused_any = false;
    let sized: Vec<(u32, Option<u32>, String)> = match request.method {
        Method::Pgcalc => {
            let sized: Vec<(u32, Option<u32>, String)> = request
                .pools
                .iter()
                .map(|p| {
                    let sizing = pgcalc_sizing(
                        PgcalcPool {
                            share: p.share,
                            size: p.redundancy.width(),
                        },
                        osds,
                        request.target_per_osd,
                    );
                    match p.pg_num {
                        Some(given) => (
                            given,
                            None,
                            format!(
                                "pg_num {given} as given (the calculation gives {})",
                                sizing.pg_num
                            ),
                        ),
                        None => (sizing.pg_num, None, explain_pgcalc(&sizing)),
                    }
                })
                .collect();
            // Created one after the other; ceph-ansible stops at the first refusal.
            let all = mgr_pool_pg_replicas
                + sized
                    .iter()
                    .zip(&request.pools)
                    .map(|((pg_num, ..), p)| replicas(*pg_num, p))
                    .sum::<u64>();
            for (i, (pg_num, ..)) in sized.iter().enumerate() {
                if let Err(projected) = mon.change(0, replicas(*pg_num, &request.pools[i])) {
                    creation_refused_any = true;
                    findings.push(creation_refused(request, i, *pg_num, projected, all, &mon));
                    break;
                }
            }
            sized
        }
        Method::Autoscale => {
            let pools: Vec<AutoscalePool> = request
                .pools
                .iter()
                .map(|p| AutoscalePool {
                    // What cephspray writes as target_size_ratio.
                    target_ratio: p.share / 100.0,
                    size: p.redundancy.width(),
                    bulk: p.bulk,
                    bias: p.bias,
                    pg_num_min: p.pg_num_min,
                    // A pg_num given with the autoscaler: the pool is kept at it.
                    start: p.pg_num.or(p.start_pg_num),
                    autoscale_on: p.pg_num.is_none(),
                })
                .collect();
            let settled = settle(&pools, osds, request.target_per_osd, &mut mon);
            let all = mgr_pool_pg_replicas
                + settled
                    .iter()
                    .zip(&request.pools)
                    .map(|(s, p)| replicas(s.start, p))
                    .sum::<u64>();
            request
                .pools
                .iter()
                .zip(settled)
                .enumerate()
                .map(|(i, (p, s))| {
                    if let Some(projected) = s.create_refused
                        && !creation_refused_any
                    {
                        creation_refused_any = true;
                        findings.push(creation_refused(request, i, s.start, projected, all, &mon));
                    }
                    if let Some(refusal) = s.refused {
                        findings.push(target_refused(request, i, &s, refusal, &mon));
                    }
                    let reasoning = match p.pg_num {
                        Some(given) => format!(
                            "pg_num {given} as given (the autoscaler would want {})",
                            s.target
                        ),
                        None => explain_autoscale(osds, request.target_per_osd, &pools[i], &s),
                    };
                    (s.pg_num, Some(s.target), reasoning)
                })
                .collect()
        }
    };
    let pools: Vec<PoolReport> = request
        .pools
        .iter()
        .zip(sized)
        .enumerate()
        .map(|(i, (p, (pg_num, target_pg_num, reasoning)))| {
            let size = p.redundancy.width();
            pool_findings(i, p, pg_num, layout, &mut findings);
            PoolReport {
                name: p.name.clone(),
                share: p.share,
                size,
                redundancy: p.redundancy,
                pg_num,
                pg_replicas_per_osd: super::pg_replicas_per_osd([(pg_num, size)], osds),
                target_pg_num,
                reasoning,
            }
        })
        .collect();
    let total = super::pg_replicas_per_osd(pools.iter().map(|p| (p.pg_num, p.size)), osds);
    let placement: Vec<(u32, u32)> = pools.iter().map(|p| (p.pg_num, p.size)).collect();
    let busiest = busiest_osd(&placement, layout);
    let hard_limit = MON_MAX_PG_PER_OSD * OSD_MAX_PG_PER_OSD_HARD_RATIO;
    // What health counts: the replicas CRUSH actually places (no more than one per host).
    let placed: u64 = placement
        .iter()
        .chain([(u32::from(mgr_pool_pg_replicas > 0), mgr_size)].iter())
        .map(|&(pg_num, width)| u64::from(pg_num) * u64::from(width.min(layout.failure_domains)))
        .sum();
    let placed_per_osd = placed / u64::from(osds.max(1));
    // PGs the monitors refuse never reach an OSD.
    if let Some(b) =
        busiest.filter(|b| b.pg_replicas > f64::from(hard_limit) && !creation_refused_any)
    {
        let hosts = layout
            .host_devices
            .as_ref()
            .map_or(layout.failure_domains, |h| h.len() as u32);
        let fix = if b.host_osds as u64 * u64::from(hosts) < u64::from(osds) {
            "lower pg_num, or give that host more OSDs: a host holds at most one copy of each PG, and \
             with as many hosts as copies, a copy of every PG"
        } else {
            "lower pg_num or add OSDs"
        };
        findings.push(Finding {
            severity: Severity::Error,
            pool: None,
            field: None,
            message: format!(
                "an OSD on a host with {} of the {osds} OSDs would hold about {:.0} PG replicas, more than the \
                 {hard_limit} an OSD activates (mon_max_pg_per_osd {MON_MAX_PG_PER_OSD} × \
                 osd_max_pg_per_osd_hard_ratio {OSD_MAX_PG_PER_OSD_HARD_RATIO}): the PGs beyond stay inactive \
                 (creating+activating) and health only reports PG_AVAILABILITY; {fix}",
                b.host_osds, b.pg_replicas
            ),
        });
    }
    // Only possible with fewer than 3 OSDs: elsewhere the monitors refuse it first.
    if osds > 0 && placed_per_osd > u64::from(MON_MAX_PG_PER_OSD) && !creation_refused_any {
        findings.push(Finding {
            severity: Severity::Warning,
            pool: None,
            field: None,
            message: format!(
                "{placed_per_osd} PG replicas per OSD on average (with the manager's pool), above mon_max_pg_per_osd \
                 ({MON_MAX_PG_PER_OSD}): the monitors accept it with fewer than 3 OSDs, but health warns \
                 TOO_MANY_PGS; lower pg_num or add OSDs"
            ),
        });
    } else if !pools.is_empty() && total < f64::from(request.target_per_osd) / 2.0 {
        findings.push(Finding {
            severity: Severity::Warning,
            pool: None,
            field: None,
            message: format!(
                "{total:.1} PG replicas per OSD is well under the target of {}: data spreads unevenly over the \
                 OSDs; raise pg_num",
                request.target_per_osd
            ),
        });
    }
    let shares: f64 = request.pools.iter().map(|p| p.share).sum();
    // Without shares the autoscaler sizes pools as they fill, which is fine; pgcalc needs them.
    let message = if request.pools.is_empty() {
        None
    } else if shares == 0.0 && request.method == Method::Pgcalc {
        Some("no pool has a share: the PG calculator gives every pool its minimum; give each pool its expected share of the data".to_owned())
    } else if shares > 0.0 && (shares - 100.0).abs() > 0.01 {
        Some(format!(
            "pool shares add up to {shares}%, not 100%: the sizing assumes each share of the whole"
        ))
    } else {
        None
    };
    if let Some(message) = message {
        findings.push(Finding {
            severity: Severity::Warning,
            pool: None,
            field: Some("share"),
            message,
        });
    }
    Report {
        method: request.method,
        osds,
        failure_domains: layout.failure_domains,
        target_per_osd: request.target_per_osd,
        capacity: capacity(request),
        pools,
        pg_replicas_per_osd: total,
        mon_pg_replicas: mgr_pool_pg_replicas
            + placement
                .iter()
                .map(|&(pg_num, width)| u64::from(pg_num) * u64::from(width))
                .sum::<u64>(),
        mon_max_pg_replicas: mon.max,
        mgr_pool_pg_replicas,
        busiest_osd: busiest,
        findings,
    }
}

/// The manager's pool takes osd_pool_default_size copies, which cephspray sets to the spec's
/// size (`--size` for flags): the widest replicated pool stands for it (3 without one).
fn mgr_pool_size(request: &Request) -> u32 {
    request
        .pools
        .iter()
        .filter_map(|p| match p.redundancy {
            Redundancy::Replicated { size } => Some(size),
            Redundancy::Erasure { .. } => None,
        })
        .max()
        .unwrap_or(3)
}

/// PG replicas of `pg_num` PGs of pool `p`: what the monitors count.
fn replicas(pg_num: u32, p: &PoolRequest) -> u64 {
    u64::from(pg_num) * u64::from(p.redundancy.width())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::Layout;

    fn request(method: Method, osds: u32, hosts: u32, pools: Vec<PoolRequest>) -> Request {
        Request {
            layout: Layout {
                osds,
                failure_domains: hosts,
                host_devices: None,
            },
            target_per_osd: 100,
            method,
            pools,
        }
    }

    #[test]
    fn the_articles_cluster_by_pgcalc() {
        let r = report(&request(
            Method::Pgcalc,
            6,
            3,
            vec![
                PoolRequest::replicated("cephfs_data", 95.0, 3),
                PoolRequest::replicated("cephfs_metadata", 5.0, 3),
            ],
        ));
        let pg: Vec<u32> = r.pools.iter().map(|p| p.pg_num).collect();
        assert_eq!(pg, vec![256, 8]);
        assert_eq!(r.pg_replicas_per_osd, 132.0);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert!(
            r.pools[0].reasoning.contains("= 190 → 256"),
            "{}",
            r.pools[0].reasoning
        );
    }

    #[test]
    fn the_monitors_refuse_more_than_250_per_osd_in_all() {
        let mut pool = PoolRequest::replicated("big", 100.0, 3);
        pool.pg_num = Some(1024);
        let r = report(&request(Method::Pgcalc, 6, 3, vec![pool]));
        assert!(r.has_errors());
        assert_eq!((r.mon_pg_replicas, r.mon_max_pg_replicas), (3075, 1500));
        let message = &r.findings[0].message;
        assert!(
            message.contains("pool big: the monitors refuse to create it with pg_num 1024")
                && message.contains("3075 PG replicas")
                && message.contains("which exceeds mon_max_pg_per_osd (250) × 6 OSDs = 1500")
                && message.contains("at most 499 (256 as a power of two)")
                && message.contains("13 accept all 3075"),
            "{message}"
        );
    }

    #[test]
    fn two_osds_count_as_three() {
        // Measured: 2 OSDs, a pool of 256 × size 2 is accepted (512 ≤ 250 × 3) and health warns
        // TOO_MANY_PGS (256 per OSD); a second pool of 128 × 2 is refused (768 > 750). There
        // osd_pool_default_size was 3, too many for 2 OSDs, so the manager had no pool; with
        // size 2, as cephspray sets it, its pool adds 1 × 2.
        let r = report(&Request {
            target_per_osd: 300,
            ..request(
                Method::Pgcalc,
                2,
                2,
                vec![PoolRequest::replicated("a", 100.0, 2)],
            )
        });
        assert_eq!(r.pools[0].pg_num, 256);
        assert!(!r.has_errors(), "{:?}", r.findings);
        assert_eq!((r.mon_pg_replicas, r.mon_max_pg_replicas), (514, 750));
        assert!(
            r.findings[0].message.starts_with(
                "257 PG replicas per OSD on average (with the manager's pool), above mon_max_pg_per_osd (250)"
            ),
            "{:?}",
            r.findings
        );
        let mut second = PoolRequest::replicated("b", 0.0, 2);
        second.pg_num = Some(128);
        let mut first = PoolRequest::replicated("a", 100.0, 2);
        first.pg_num = Some(256);
        let r = report(&request(Method::Pgcalc, 2, 2, vec![first, second]));
        assert!(
            r.findings[0].message.contains(
                "pool b: the monitors refuse to create it with pg_num 128 (size 2): the pools would hold 770"
            ) && r.findings[0].message.contains("× 3 = 750 (the monitors count at least 3 OSDs; there are 2)"),
            "{:?}",
            r.findings
        );
    }

    #[test]
    fn strictly_above_the_limit_is_refused() {
        // Measured on 3 OSDs: 256 × 3 refused ("would mean 771 total pgs, which exceeds max 750"),
        // 249 × 3 accepted (750 with the manager's pool), 250 × 3 refused (753).
        let pool = |pg_num| {
            let mut p = PoolRequest::replicated("a", 100.0, 3);
            p.pg_num = Some(pg_num);
            p
        };
        let r = report(&request(Method::Pgcalc, 3, 3, vec![pool(256)]));
        assert!(r.findings[0].message.contains("would hold 771 PG replicas"));
        assert!(!report(&request(Method::Pgcalc, 3, 3, vec![pool(249)])).has_errors());
        let r = report(&request(Method::Pgcalc, 3, 3, vec![pool(250)]));
        assert!(r.findings[0].message.contains("would hold 753 PG replicas"));
    }

    #[test]
    fn an_osd_activates_at_most_750_pgs() {
        // Measured: hosts of 1, 6 and 6 OSDs, one pool of 1024 × 3. The monitors accept it
        // (3075 ≤ 3250) but the lone OSD holds a copy of every PG: 257 stayed creating+activating.
        let mut pool = PoolRequest::replicated("big", 100.0, 3);
        pool.pg_num = Some(1024);
        let mut req = request(Method::Pgcalc, 13, 3, vec![pool]);
        req.layout.host_devices = Some(vec![vec![1 << 30], vec![1 << 30; 6], vec![1 << 30; 6]]);
        let r = report(&req);
        assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
        let f = &r.findings[0];
        assert_eq!((f.severity, f.pool), (Severity::Error, None));
        assert!(
            f.message.starts_with(
                "an OSD on a host with 1 of the 13 OSDs would hold about 1024 PG replicas, more than the 750"
            ),
            "{}",
            f.message
        );
        assert_eq!(r.busiest_osd.unwrap().pg_replicas, 1024.0);
    }

    #[test]
    fn pg_num_bounds_and_powers_of_two() {
        let mut zero = PoolRequest::replicated("zero", 50.0, 3);
        zero.pg_num = Some(0);
        let mut odd = PoolRequest::replicated("odd", 50.0, 3);
        odd.pg_num = Some(100);
        let r = report(&request(Method::Pgcalc, 60, 3, vec![zero, odd]));
        let messages: Vec<_> = r
            .findings
            .iter()
            .map(|f| (f.severity, f.pool, f.message.as_str()))
            .collect();
        assert!(messages.iter().any(|(s, p, m)| *s == Severity::Error
            && *p == Some(0)
            && m.contains("outside 1..=65536")));
        assert!(messages.iter().any(|(s, p, m)| *s == Severity::Warning
            && *p == Some(1)
            && m.contains("not a power of two")));
        let mut huge = PoolRequest::replicated("huge", 100.0, 3);
        huge.pg_num = Some(131_072);
        assert!(report(&request(Method::Pgcalc, 10_000, 100, vec![huge])).has_errors());
    }

    #[test]
    fn erasure_coding_needs_k_plus_m_failure_domains() {
        let mut ec = PoolRequest::replicated("ec", 100.0, 1);
        ec.redundancy = Redundancy::Erasure { k: 4, m: 2 };
        let r = report(&request(Method::Pgcalc, 12, 4, vec![ec.clone()]));
        assert!(
            r.findings.iter().any(|f| f.field == Some("size")
                && f.message.contains("k+m = 4+2 needs 6 failure domains"))
        );
        let r = report(&request(Method::Pgcalc, 12, 6, vec![ec]));
        assert_eq!(r.pools[0].pg_num, 256);
        assert!(!r.has_errors());
    }

    #[test]
    fn shares_and_min_size_warnings() {
        let mut a = PoolRequest::replicated("a", 60.0, 3);
        a.min_size = Some(1);
        let r = report(&request(Method::Pgcalc, 6, 3, vec![a]));
        assert!(
            r.findings
                .iter()
                .any(|f| f.field == Some("share") && f.message.contains("add up to 60%"))
        );
        assert!(r.findings.iter().any(|f| f.field == Some("min_size")));
    }

    #[test]
    fn tiny_shares_fall_back_to_the_minimum_and_warn_when_far_under_target() {
        let r = report(&request(
            Method::Pgcalc,
            6,
            3,
            vec![
                PoolRequest::replicated("tiny", 0.1, 3),
                PoolRequest::replicated("rest", 99.9, 3),
            ],
        ));
        assert_eq!(r.pools[0].pg_num, 8);
        let r = report(&request(
            Method::Autoscale,
            6,
            3,
            vec![PoolRequest::replicated("empty", 0.0, 3)],
        ));
        assert!(
            r.findings
                .iter()
                .any(|f| f.message.contains("well under the target")),
            "{:?}",
            r.findings
        );
    }

    #[test]
    fn ten_thousand_osds_overflow_one_pool() {
        // pgcalc gives 262,144 for one pool on 10,000 OSDs: above the 65,536 Ceph accepts.
        let r = report(&request(
            Method::Pgcalc,
            10_000,
            500,
            vec![PoolRequest::replicated("all", 100.0, 3)],
        ));
        assert_eq!(r.pools[0].pg_num, 262_144);
        assert!(
            r.findings
                .iter()
                .any(|f| f.severity == Severity::Error && f.message.contains("outside 1..=65536"))
        );
        // Split over eight pools each stays within bounds.
        let pools = (0..8)
            .map(|i| PoolRequest::replicated(format!("p{i}"), 12.5, 3))
            .collect();
        let r = report(&request(Method::Pgcalc, 10_000, 500, pools));
        assert!(r.pools.iter().all(|p| p.pg_num == 32_768), "{:?}", r.pools);
        assert!(!r.has_errors(), "{:?}", r.findings);
    }

    #[test]
    fn the_autoscaler_cannot_pass_the_pool_limit() {
        // The monitors refuse a pg_num above 65536: the pool stays where it was created.
        let mut pool = PoolRequest::replicated("all", 100.0, 3);
        pool.bulk = true;
        let r = report(&request(Method::Autoscale, 10_000, 500, vec![pool]));
        assert_eq!(
            (r.pools[0].pg_num, r.pools[0].target_pg_num),
            (1, Some(262_144))
        );
        assert!(!r.has_errors());
        assert!(
            r.findings.iter().any(|f| f
                .message
                .contains("the autoscaler wants pg_num 262144, more than the 65536")),
            "{:?}",
            r.findings
        );
    }

    #[test]
    fn a_single_osd() {
        let r = report(&request(
            Method::Pgcalc,
            1,
            1,
            vec![PoolRequest::replicated("only", 100.0, 1)],
        ));
        assert_eq!(r.pools[0].pg_num, 128);
        assert!(!r.has_errors());
    }

    #[test]
    fn autoscale_method_matches_the_autoscaler() {
        let mut data = PoolRequest::replicated("cephfs_data", 0.0, 3);
        data.bulk = true;
        let mut meta = PoolRequest::replicated("cephfs_metadata", 0.0, 3);
        meta.bias = 4.0;
        meta.pg_num_min = 16;
        let r = report(&request(Method::Autoscale, 6, 3, vec![data, meta]));
        assert_eq!(
            r.pools.iter().map(|p| p.pg_num).collect::<Vec<_>>(),
            vec![256, 16]
        );
        assert_eq!(
            r.pools[0].reasoning,
            "autoscaler: 6 OSDs × 100 PGs shared by ratio 0, bulk / size 3 → 256 (at least 32); \
             pg_num 1 at creation, 32 before the bulk flag is set, then 256"
        );
    }

    #[test]
    fn the_autoscaler_uses_the_target_and_where_the_pool_starts() {
        // Measured on Ceph 16.2, 10 OSDs, mon_target_pg_per_osd 150, bulk data pool: from 32 it
        // goes to 512; from 256 it stays (512 is within 3×).
        let pools = |start| {
            let mut meta = PoolRequest::replicated("cephfs_metadata", 0.0, 3);
            (meta.bias, meta.pg_num_min, meta.start_pg_num) = (4.0, 16, Some(16));
            let mut data = PoolRequest::replicated("cephfs_data", 0.0, 3);
            (data.bulk, data.start_pg_num) = (true, Some(start));
            vec![meta, data]
        };
        let mut req = request(Method::Autoscale, 10, 10, pools(32));
        req.target_per_osd = 150;
        let r = report(&req);
        assert_eq!(
            (r.pools[1].pg_num, r.pools[1].target_pg_num),
            (512, Some(512))
        );
        assert!(r.pools[1].reasoning.contains("10 OSDs × 150 PGs"));
        req.pools = pools(256);
        let r = report(&req);
        assert_eq!(
            (r.pools[1].pg_num, r.pools[1].target_pg_num),
            (256, Some(512))
        );
        assert!(
            r.pools[1]
                .reasoning
                .ends_with("pg_num 256 at first, within 3× of 512: stays at 256"),
            "{}",
            r.pools[1].reasoning
        );
    }
}
