//! A sizing report for a set of pools on a disk layout: pg_num per pool with the reasoning,
//! PG replicas per OSD, capacity, and what Ceph would refuse (errors) or what is unwise
//! (warnings). Pure: it knows nothing of specs or files.

use super::{
    AutoscalePool, MAX_POOL_PG_NUM, MON_MAX_PG_PER_OSD, MON_TARGET_PG_PER_OSD, PG_NUM_MIN,
    PgcalcPool, autoscale, pgcalc,
};
use serde::Serialize;

/// Ceph's default mon_osd_nearfull_ratio: OSDs above it raise a health warning.
pub const NEARFULL_RATIO: f64 = 0.85;

/// Which calculation sizes the pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The classic Ceph PG calculator.
    Pgcalc,
    /// What the pg_autoscaler settles on for empty pools.
    Autoscale,
}

/// How a pool stores data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Redundancy {
    /// `size` full copies.
    Replicated {
        /// Copies.
        size: u32,
    },
    /// k data chunks and m coding chunks.
    Erasure {
        /// Data chunks.
        k: u32,
        /// Coding chunks.
        m: u32,
    },
}

impl Redundancy {
    /// Placement width: OSDs (and failure domains) one object spans.
    pub fn width(self) -> u32 {
        match self {
            Redundancy::Replicated { size } => size,
            Redundancy::Erasure { k, m } => k.saturating_add(m),
        }
    }

    /// Raw bytes stored per byte of data.
    pub fn raw_factor(self) -> f64 {
        match self {
            Redundancy::Replicated { size } => f64::from(size),
            Redundancy::Erasure { k, m } => (f64::from(k) + f64::from(m)) / f64::from(k.max(1)),
        }
    }
}

/// One pool to size.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolRequest {
    /// Pool name.
    pub name: String,
    /// Expected share of the data, percent.
    pub share: f64,
    /// Replication or erasure coding.
    pub redundancy: Redundancy,
    /// Copies (or chunks) needed to accept writes.
    pub min_size: Option<u32>,
    /// The autoscaler's bulk flag.
    pub bulk: bool,
    /// pg_autoscale_bias.
    pub bias: f64,
    /// pg_num_min.
    pub pg_num_min: u32,
    /// A pg_num fixed by the user, checked rather than computed.
    pub pg_num: Option<u32>,
}

impl PoolRequest {
    /// A replicated pool with the autoscaler's defaults.
    pub fn replicated(name: impl Into<String>, share: f64, size: u32) -> Self {
        PoolRequest {
            name: name.into(),
            share,
            redundancy: Redundancy::Replicated { size },
            min_size: None,
            bulk: false,
            bias: 1.0,
            pg_num_min: PG_NUM_MIN,
            pg_num: None,
        }
    }
}

/// The disks the pools live on (one CRUSH root).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// OSDs under the root.
    pub osds: u32,
    /// Failure domains (hosts) under the root.
    pub failure_domains: u32,
    /// Device sizes in bytes, per host, when known.
    pub host_devices: Option<Vec<Vec<u64>>>,
}

/// What to size.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The disks.
    pub layout: Layout,
    /// PGs per OSD to aim for (pgcalc; the autoscaler uses mon_target_pg_per_osd, 100).
    pub target_per_osd: u32,
    /// The calculation.
    pub method: Method,
    /// Pools in creation (pool id) order.
    pub pools: Vec<PoolRequest>,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Ceph would refuse it or the data could not be placed.
    Error,
    /// It works but is unwise.
    Warning,
}

/// One error or warning, tied to a pool field when it is about one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// Index of the pool in the request, if about one pool.
    pub pool: Option<usize>,
    /// The pool setting it is about (`pg_num`, `size`, `min_size`, `share`), if any.
    pub field: Option<&'static str>,
    /// What is wrong and what to do.
    pub message: String,
}

/// One sized pool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolReport {
    /// Pool name.
    pub name: String,
    /// Share of the data, percent.
    pub share: f64,
    /// Placement width (size, or k+m).
    pub size: u32,
    /// Redundancy.
    pub redundancy: Redundancy,
    /// The pg_num decided (or given).
    pub pg_num: u32,
    /// This pool's PG replicas per OSD: pg_num × size / OSDs.
    pub pg_replicas_per_osd: f64,
    /// How pg_num was reached, in one line.
    pub reasoning: String,
}

/// Capacity of the layout for this pool mix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capacity {
    /// Raw bytes of all OSDs.
    pub raw_bytes: u64,
    /// Raw bytes stored per byte of data, averaged over the pools by share.
    pub raw_per_data_byte: f64,
    /// Data that fits: raw / raw_per_data_byte.
    pub usable_bytes: u64,
    /// Data that fits below the nearfull ratio.
    pub usable_before_nearfull_bytes: u64,
    /// Data that still fits below nearfull once the largest host is lost and its data is
    /// re-replicated onto the others; None when too few hosts remain to re-replicate.
    pub usable_after_host_loss_bytes: Option<u64>,
    /// CRUSH weight of each device size: the size in TiB.
    pub crush_weights: Vec<CrushWeight>,
}

/// The CRUSH weight Ceph gives devices of one size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrushWeight {
    /// Device size in bytes.
    pub device_bytes: u64,
    /// Weight: the size in TiB.
    pub weight: f64,
    /// Devices of that size.
    pub count: u32,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The calculation used.
    pub method: Method,
    /// OSDs under the root.
    pub osds: u32,
    /// Failure domains.
    pub failure_domains: u32,
    /// Target PGs per OSD.
    pub target_per_osd: u32,
    /// Pools in order.
    pub pools: Vec<PoolReport>,
    /// PG replicas each OSD carries, all pools together.
    pub pg_replicas_per_osd: f64,
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

/// A number for messages: plain when readable, in exponent form when huge or odd (1e300).
pub fn number(x: f64) -> String {
    if x.is_finite() && x.abs() < 1e9 {
        format!("{x}")
    } else {
        format!("{x:?}")
    }
}

/// Sizes the pools and checks them.
pub fn report(request: &Request) -> Report {
    let layout = &request.layout;
    let osds = layout.osds;
    let computed: Vec<u32> = match request.method {
        Method::Pgcalc => request
            .pools
            .iter()
            .map(|p| {
                pgcalc(
                    PgcalcPool {
                        share: p.share,
                        size: p.redundancy.width(),
                    },
                    osds,
                    request.target_per_osd,
                )
            })
            .collect(),
        Method::Autoscale => {
            let pools: Vec<AutoscalePool> = request
                .pools
                .iter()
                .map(|p| AutoscalePool {
                    target_ratio: p.share,
                    size: p.redundancy.width(),
                    bulk: p.bulk,
                    bias: p.bias,
                    pg_num_min: p.pg_num_min,
                })
                .collect();
            autoscale(&pools, osds, MON_TARGET_PG_PER_OSD)
        }
    };
    let mut findings = Vec::new();
    let pools: Vec<PoolReport> = request
        .pools
        .iter()
        .zip(computed)
        .enumerate()
        .map(|(i, (p, computed))| {
            let size = p.redundancy.width();
            let (pg_num, reasoning) = match p.pg_num {
                Some(given) => (
                    given,
                    format!("pg_num {given} as given (the calculation gives {computed})"),
                ),
                // The autoscaler cannot go past the monitors' per-pool limit: it stops there.
                None if request.method == Method::Autoscale && computed > MAX_POOL_PG_NUM => {
                    findings.push(Finding {
                        severity: Severity::Warning,
                        pool: Some(i),
                        field: Some("pg_num"),
                        message: format!(
                            "pool {}: the autoscaler would want {computed} PGs, but Ceph caps a pool at \
                             {MAX_POOL_PG_NUM} (mon_max_pool_pg_num); split the data over more pools",
                            p.name
                        ),
                    });
                    let reasoning = format!("{}, capped at {MAX_POOL_PG_NUM}", explain(request, p, computed));
                    (MAX_POOL_PG_NUM, reasoning)
                }
                None => (computed, explain(request, p, computed)),
            };
            pool_findings(i, p, pg_num, layout, &mut findings);
            PoolReport {
                name: p.name.clone(),
                share: p.share,
                size,
                redundancy: p.redundancy,
                pg_num,
                pg_replicas_per_osd: super::pg_replicas_per_osd([(pg_num, size)], osds),
                reasoning,
            }
        })
        .collect();
    let total = super::pg_replicas_per_osd(pools.iter().map(|p| (p.pg_num, p.size)), osds);
    if total > f64::from(MON_MAX_PG_PER_OSD) {
        findings.push(Finding {
            severity: Severity::Error,
            pool: None,
            field: None,
            message: format!(
                "{total:.1} PG replicas per OSD exceeds mon_max_pg_per_osd ({MON_MAX_PG_PER_OSD}): Ceph refuses to \
                 create these pools; lower pg_num or add OSDs"
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
        findings,
    }
}

fn pool_findings(
    i: usize,
    p: &PoolRequest,
    pg_num: u32,
    layout: &Layout,
    found: &mut Vec<Finding>,
) {
    let mut add = |severity, field, message: String| {
        found.push(Finding {
            severity,
            pool: Some(i),
            field: Some(field),
            message,
        })
    };
    if pg_num == 0 || pg_num > MAX_POOL_PG_NUM {
        add(
            Severity::Error,
            "pg_num",
            format!(
                "pg_num {pg_num} of pool {} is outside 1..={MAX_POOL_PG_NUM}, which Ceph accepts",
                p.name
            ),
        );
    } else if !pg_num.is_power_of_two() {
        add(
            Severity::Warning,
            "pg_num",
            format!(
                "pg_num {pg_num} of pool {} is not a power of two: some PGs hold twice the data of others",
                p.name
            ),
        );
    }
    let width = p.redundancy.width();
    if width > layout.failure_domains {
        let what = match p.redundancy {
            Redundancy::Replicated { size } => format!("size {size}"),
            Redundancy::Erasure { k, m } => format!("k+m = {k}+{m}"),
        };
        add(
            Severity::Error,
            "size",
            format!(
                "pool {}: {what} needs {width} failure domains but there are {}: its PGs would never be clean",
                p.name, layout.failure_domains
            ),
        );
    }
    let one_copy_writes = match (p.redundancy, p.min_size) {
        (Redundancy::Replicated { size }, Some(1)) => size > 1,
        (Redundancy::Erasure { k, .. }, Some(min)) => min <= k,
        _ => false,
    };
    if one_copy_writes {
        add(
            Severity::Warning,
            "min_size",
            format!(
                "pool {}: min_size {} accepts writes with no redundancy left; one more failure loses them",
                p.name,
                p.min_size.unwrap_or_default()
            ),
        );
    }
}

/// One line saying where a computed pg_num comes from.
fn explain(request: &Request, p: &PoolRequest, pg_num: u32) -> String {
    let osds = request.layout.osds;
    let size = p.redundancy.width();
    match request.method {
        Method::Pgcalc => {
            let raw = (f64::from(request.target_per_osd) * f64::from(osds) * p.share
                / (100.0 * f64::from(size)))
            .floor();
            let minimum = {
                let m = pgcalc(
                    PgcalcPool { share: 0.0, size },
                    osds,
                    request.target_per_osd,
                );
                format!("minimum for {osds} OSDs: {m}")
            };
            format!(
                "{} × {osds} OSDs × {}% / (100 × {size}) = {raw} → {pg_num} ({minimum})",
                request.target_per_osd, p.share
            )
        }
        Method::Autoscale => {
            let flags = [
                p.bulk.then(|| "bulk".to_owned()),
                (p.bias != 1.0).then(|| format!("bias {}", p.bias)),
                (p.pg_num_min != PG_NUM_MIN).then(|| format!("pg_num_min {}", p.pg_num_min)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
            let flags = if flags.is_empty() {
                String::new()
            } else {
                format!(", {}", flags.join(", "))
            };
            format!(
                "autoscaler: {osds} OSDs × {MON_TARGET_PG_PER_OSD} shared by ratio {}{flags} / size {size} → {pg_num} (at least {})",
                p.share / 100.0,
                p.pg_num_min
            )
        }
    }
}

fn capacity(request: &Request) -> Option<Capacity> {
    let devices = request.layout.host_devices.as_ref()?;
    // Saturating: a spec may claim absurd sizes, and a report must not overflow on them.
    let total = |bytes: &mut dyn Iterator<Item = u64>| bytes.fold(0u64, u64::saturating_add);
    let hosts: Vec<u64> = devices
        .iter()
        .map(|d| total(&mut d.iter().copied()))
        .collect();
    let raw = total(&mut hosts.iter().copied());
    let mut crush_weights: Vec<CrushWeight> = Vec::new();
    for &bytes in devices.iter().flatten() {
        match crush_weights.iter_mut().find(|w| w.device_bytes == bytes) {
            Some(w) => w.count += 1,
            None => crush_weights.push(CrushWeight {
                device_bytes: bytes,
                weight: bytes as f64 / 1_099_511_627_776.0,
                count: 1,
            }),
        }
    }
    crush_weights.sort_by_key(|w| std::cmp::Reverse(w.device_bytes));
    let shares: f64 = request.pools.iter().map(|p| p.share).sum();
    let factor = if request.pools.is_empty() || shares <= 0.0 {
        3.0
    } else {
        request
            .pools
            .iter()
            .map(|p| p.share * p.redundancy.raw_factor())
            .sum::<f64>()
            / shares
    };
    let widest = request
        .pools
        .iter()
        .map(|p| p.redundancy.width())
        .max()
        .unwrap_or(1);
    let largest = hosts.iter().copied().max().unwrap_or(0);
    let after_loss = (hosts.len() as u32 > widest)
        .then(|| ((raw - largest) as f64 * NEARFULL_RATIO / factor) as u64);
    Some(Capacity {
        raw_bytes: raw,
        raw_per_data_byte: factor,
        usable_bytes: (raw as f64 / factor) as u64,
        usable_before_nearfull_bytes: (raw as f64 * NEARFULL_RATIO / factor) as u64,
        usable_after_host_loss_bytes: after_loss,
        crush_weights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn too_many_pgs_per_osd_is_an_error() {
        let mut pool = PoolRequest::replicated("big", 100.0, 3);
        pool.pg_num = Some(1024);
        let r = report(&request(Method::Pgcalc, 6, 3, vec![pool]));
        assert!(r.has_errors());
        assert!(
            r.findings[0]
                .message
                .contains("512.0 PG replicas per OSD exceeds mon_max_pg_per_osd (250)")
        );
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
    fn capacity_with_host_loss() {
        // Three hosts with 2 × 3 TB each, size 3: 18 TB raw, 6 TB usable, 5.1 TB below nearfull;
        // losing a host leaves nowhere to put the third copy.
        let mut req = request(
            Method::Pgcalc,
            6,
            3,
            vec![PoolRequest::replicated("data", 100.0, 3)],
        );
        req.layout.host_devices = Some(vec![vec![3_000_000_000_000; 2]; 3]);
        let c = report(&req).capacity.unwrap();
        assert_eq!(c.raw_bytes, 18_000_000_000_000);
        assert_eq!(c.usable_bytes, 6_000_000_000_000);
        assert_eq!(c.usable_before_nearfull_bytes, 5_100_000_000_000);
        assert_eq!(c.usable_after_host_loss_bytes, None);
        assert_eq!(c.crush_weights.len(), 1);
        assert_eq!(c.crush_weights[0].count, 6);
        assert!((c.crush_weights[0].weight - 2.729).abs() < 1e-3);
        // Four hosts: after losing one, 18 TB raw × 0.85 / 3 = 5.1 TB still fits.
        req.layout.host_devices = Some(vec![vec![3_000_000_000_000; 2]; 4]);
        req.layout.failure_domains = 4;
        assert_eq!(
            report(&req).capacity.unwrap().usable_after_host_loss_bytes,
            Some(5_100_000_000_000)
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
    fn the_autoscaler_stops_at_the_pool_limit() {
        let mut pool = PoolRequest::replicated("all", 100.0, 3);
        pool.bulk = true;
        let r = report(&request(Method::Autoscale, 10_000, 500, vec![pool]));
        assert_eq!(r.pools[0].pg_num, 65_536);
        assert!(!r.has_errors());
        assert!(
            r.findings
                .iter()
                .any(|f| f.message.contains("would want 262144 PGs")),
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
        assert!(r.pools[0].reasoning.contains("bulk"));
    }
}
