//! What a report finds wrong: errors (Ceph would refuse it, or the data could not be placed)
//! and warnings (it works but is unwise), and the messages for those about one pool, each
//! saying what to change.

use super::autoscale::Refusal;
use super::{
    Layout, MAX_POOL_PG_NUM, MON_MAX_PG_PER_OSD, Monitors, PoolRequest, Redundancy, Request,
    Settled,
};
use serde::Serialize;

/// How serious a finding is: of a pool sizing here, of a whole spec in `check`, which uses
/// this same type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// It would not deploy or not work (Ceph would refuse it, or the data could not be
    /// placed): `render` writes nothing.
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

/// "250 × 6 OSDs = 1500", saying so when the monitors count 3 for fewer OSDs.
fn mon_limit_text(osds: u32, max: u64) -> String {
    if osds < 3 {
        format!(
            "mon_max_pg_per_osd ({MON_MAX_PG_PER_OSD}) × 3 = {max} (the monitors count at least 3 OSDs; there are {osds})"
        )
    } else {
        format!("mon_max_pg_per_osd ({MON_MAX_PG_PER_OSD}) × {osds} OSDs = {max}")
    }
}

/// The monitors refuse to create pool `i` with `pg_num` (the pools so far would hold
/// `projected` PG replicas, all of them `all`): what to write instead.
pub(super) fn creation_refused(
    request: &Request,
    i: usize,
    pg_num: u32,
    projected: u64,
    all: u64,
    mon: &Monitors,
) -> Finding {
    let p = &request.pools[i];
    let width = u64::from(p.redundancy.width().max(1));
    let before = projected - u64::from(pg_num) * width;
    let fits = mon.max.saturating_sub(before) / width;
    let fix = if fits == 0 {
        "no pg_num fits beside the pools created before it".to_owned()
    } else {
        format!(
            "lower its pg_num to at most {fits} ({} as a power of two)",
            1u64 << fits.ilog2()
        )
    };
    let needed = all.div_ceil(u64::from(MON_MAX_PG_PER_OSD)).max(3);
    Finding {
        severity: Severity::Error,
        pool: Some(i),
        field: Some("pg_num"),
        message: format!(
            "pool {}: the monitors refuse to create it with pg_num {pg_num} (size {width}): the pools would hold \
             {projected} PG replicas (Σ pg_num × size, the manager's 1-PG pool included), which exceeds {}; \
             {fix} or the target PGs per OSD, or add OSDs ({needed} accept all {all})",
            p.name,
            mon_limit_text(request.layout.osds, mon.max)
        ),
    }
}

/// The autoscaler's target for pool `i` is refused and the pool stays below it.
pub(super) fn target_refused(
    request: &Request,
    i: usize,
    s: &Settled,
    refusal: Refusal,
    mon: &Monitors,
) -> Finding {
    let name = &request.pools[i].name;
    let message = match refusal {
        Refusal::Monitors { projected } => format!(
            "pool {name}: the autoscaler wants pg_num {}, but the monitors refuse it: the pools would hold \
             {projected} PG replicas, which exceeds {}; the pool stays at {} and only the manager's log says so \
             (`pg_num adjustment on {name} to {} failed`); lower the target PGs per OSD \
             (mon_target_pg_per_osd) or add OSDs",
            s.target,
            mon_limit_text(request.layout.osds, mon.max),
            s.pg_num,
            s.target
        ),
        Refusal::PoolLimit => format!(
            "pool {name}: the autoscaler wants pg_num {}, more than the {MAX_POOL_PG_NUM} Ceph accepts in a pool \
             (mon_max_pool_pg_num): the change is refused and the pool stays at {}; split the data over more pools",
            s.target, s.pg_num
        ),
    };
    Finding {
        severity: Severity::Warning,
        pool: Some(i),
        field: Some("pg_num"),
        message,
    }
}

/// The findings about pool `i` alone, added to `found`: a pg_num Ceph refuses or that is not a
/// power of two, more copies (or chunks) than failure domains, and a min_size that accepts
/// writes without redundancy.
pub(super) fn pool_findings(
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
    if p.redundancy.width() == 0 || matches!(p.redundancy, Redundancy::Erasure { k: 0, .. }) {
        add(
            Severity::Error,
            "size",
            format!(
                "pool {} stores no copy of its data ({}): give it size 1 or more, or k of 1 or \
                 more with erasure coding",
                p.name,
                match p.redundancy {
                    Redundancy::Replicated { .. } => "size 0".to_owned(),
                    Redundancy::Erasure { k, m } => format!("k={k}, m={m}"),
                }
            ),
        );
    }
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
