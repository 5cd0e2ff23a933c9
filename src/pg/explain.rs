//! The one line of reasoning a report gives each pool it sizes: how pgcalc or the autoscaler
//! reached its pg_num. Both only format what `pgcalc` and `autoscale` computed, so that the
//! calculations are written once.

use super::autoscale::Refusal;
use super::pgcalc::PgcalcSizing;
use super::{AUTOSCALE_THRESHOLD, AutoscalePool, MAX_POOL_PG_NUM, PG_NUM_MIN, Settled};

/// One line saying where pgcalc's pg_num comes from: the formula with the pool's figures, its
/// raw value, the pg_num it rounds to, and the minimum for the OSD count.
pub(super) fn explain_pgcalc(s: &PgcalcSizing) -> String {
    format!(
        "{} × {} OSDs × {}% / (100 × {}) = {} → {} (minimum for {} OSDs: {})",
        s.target_per_osd, s.osds, s.share, s.size, s.raw, s.pg_num, s.osds, s.minimum
    )
}

/// One line saying what the autoscaler aims for and how the pool gets (or does not get) there:
/// `pool` as the autoscaler was given it (with autoscaling on), `s` where `settle` left it, for
/// `osds` OSDs and `target_per_osd` (mon_target_pg_per_osd).
pub(super) fn explain_autoscale(
    osds: u32,
    target_per_osd: u32,
    pool: &AutoscalePool,
    s: &Settled,
) -> String {
    let flags = [
        pool.bulk.then(|| "bulk".to_owned()),
        (pool.bias != 1.0).then(|| format!("bias {}", pool.bias)),
        (pool.pg_num_min != PG_NUM_MIN).then(|| format!("pg_num_min {}", pool.pg_num_min)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>();
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!(", {}", flags.join(", "))
    };
    // A pool given a starting pg_num is first seen at it; else it is created as ceph-ansible does.
    let mut path = if pool.start.is_some() {
        format!("pg_num {} at first", s.start)
    } else {
        format!("pg_num {} at creation", s.start)
    };
    let mut last = s.start;
    if let Some(before) = s.before_bulk {
        path.push_str(&format!(", {before} before the bulk flag is set"));
        last = before;
    }
    match s.refused {
        Some(Refusal::Monitors { .. }) => path.push_str(&format!(
            ", the monitors refuse {}: stays at {}",
            s.target, s.pg_num
        )),
        Some(Refusal::PoolLimit) => path.push_str(&format!(
            ", above the {MAX_POOL_PG_NUM} a pool may have: stays at {}",
            s.pg_num
        )),
        // Nothing refused yet short of the target: `settle` left it because the target is
        // within the autoscaler's threshold of its pg_num.
        None if s.pg_num != s.target => path.push_str(&format!(
            ", within {AUTOSCALE_THRESHOLD}× of {}: stays at {}",
            s.target, s.pg_num
        )),
        None if last != s.pg_num => path.push_str(&format!(", then {}", s.pg_num)),
        None => {}
    }
    format!(
        "autoscaler: {osds} OSDs × {target_per_osd} PGs shared by ratio {}{flags} / size {} → {} (at least {}); {path}",
        pool.target_ratio, pool.size, s.target, pool.pg_num_min
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::PgcalcPool;
    use crate::pg::pgcalc::pgcalc_sizing;

    #[test]
    fn pgcalc_shows_the_formula_with_its_figures() {
        let sizing = pgcalc_sizing(
            PgcalcPool {
                share: 95.0,
                size: 3,
            },
            6,
            100,
        );
        assert_eq!(
            explain_pgcalc(&sizing),
            "100 × 6 OSDs × 95% / (100 × 3) = 190 → 256 (minimum for 6 OSDs: 8)"
        );
        let sizing = pgcalc_sizing(
            PgcalcPool {
                share: 0.1,
                size: 3,
            },
            6,
            100,
        );
        assert_eq!(
            explain_pgcalc(&sizing),
            "100 × 6 OSDs × 0.1% / (100 × 3) = 0 → 8 (minimum for 6 OSDs: 8)"
        );
    }

    fn settled(start: u32, target: u32, pg_num: u32, refused: Option<Refusal>) -> Settled {
        Settled {
            target,
            start,
            before_bulk: None,
            pg_num,
            create_refused: None,
            refused,
        }
    }

    #[test]
    fn autoscale_says_why_a_pool_stays_short_of_its_target() {
        let pool = AutoscalePool {
            bulk: true,
            start: Some(32),
            ..AutoscalePool::new(0.5, 3)
        };
        let line = |s| explain_autoscale(10, 100, &pool, &s);
        assert_eq!(
            line(settled(
                32,
                1024,
                32,
                Some(Refusal::Monitors { projected: 3219 })
            )),
            "autoscaler: 10 OSDs × 100 PGs shared by ratio 0.5, bulk / size 3 → 1024 (at least 32); \
             pg_num 32 at first, the monitors refuse 1024: stays at 32"
        );
        assert!(
            line(settled(32, 262_144, 32, Some(Refusal::PoolLimit)))
                .ends_with("pg_num 32 at first, above the 65536 a pool may have: stays at 32")
        );
        assert!(
            line(settled(32, 64, 32, None))
                .ends_with("pg_num 32 at first, within 3× of 64: stays at 32")
        );
        assert!(line(settled(32, 128, 128, None)).ends_with("pg_num 32 at first, then 128"));
    }
}
