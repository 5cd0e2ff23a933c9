//! The classic Ceph PG calculator (pgcalc), each pool on its own.

/// One pool as pgcalc sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PgcalcPool {
    /// Expected share of the data, in percent.
    pub share: f64,
    /// Copies (size for replicated pools, k+m for erasure-coded ones).
    pub size: u32,
}

/// pg_num for one pool: floor(target × OSDs × share% / (100 × size)) rounded to a power of two,
/// but at least the calculator's minimum for that OSD count.
pub fn pgcalc(pool: PgcalcPool, osds: u32, target_per_osd: u32) -> u32 {
    pgcalc_sizing(pool, osds, target_per_osd).pg_num
}

/// pgcalc's calculation for one pool, step by step: what it was given, the figures it reached
/// on the way and the pg_num. A report explains pg_num from these, so the formula is written
/// once, here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct PgcalcSizing {
    /// Target PGs per OSD, as given.
    pub target_per_osd: u32,
    /// OSDs, as given.
    pub osds: u32,
    /// The pool's share of the data in percent, as given.
    pub share: f64,
    /// The copies the formula divides by: the pool's size (or k+m), counted as 1 when 0.
    pub size: u32,
    /// floor(target × OSDs × share% / (100 × size)): the PGs the pool's share earns, before
    /// rounding.
    pub raw: f64,
    /// The calculator's floor for this OSD count and size: floor(OSDs / size) + 1 rounded to
    /// a power of two, doubled while still below the OSD count once.
    pub minimum: u32,
    /// The result: `raw` rounded to a power of two (see `round_pow2`), but at least `minimum`.
    pub pg_num: u32,
}

/// pgcalc for one pool, with the figures behind its pg_num (see `PgcalcSizing`).
pub(super) fn pgcalc_sizing(pool: PgcalcPool, osds: u32, target_per_osd: u32) -> PgcalcSizing {
    let size = pool.size.max(1);
    let raw = (f64::from(target_per_osd) * f64::from(osds) * pool.share
        / (100.0 * f64::from(size)))
    .floor();
    let mut minimum = round_pow2(f64::from(osds / size) + 1.0);
    if minimum < osds {
        minimum = minimum.saturating_mul(2);
    }
    PgcalcSizing {
        target_per_osd,
        osds,
        share: pool.share,
        size,
        raw,
        minimum,
        pg_num: round_pow2(raw).max(minimum),
    }
}

/// The calculator's rounding: the lower power of two is kept only while it is not more than
/// 25 % below the raw value (raw ≤ 4/3 of it); else the upper one.
fn round_pow2(raw: f64) -> u32 {
    if raw.is_nan() || raw < 1.0 {
        return 1;
    }
    // Beyond 2^31 the answer no longer fits: saturate (far above any pg_num Ceph accepts).
    if raw >= f64::from(1u32 << 31) {
        return 1 << 31;
    }
    let lower = 1u64 << (raw.log2().floor() as u32);
    let chosen = if raw <= lower as f64 * 4.0 / 3.0 {
        lower
    } else {
        lower * 2
    };
    chosen.min(u64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(share: f64, size: u32, osds: u32) -> u32 {
        pgcalc(PgcalcPool { share, size }, osds, 100)
    }

    #[test]
    fn the_calculators_own_examples() {
        assert_eq!(pg(95.0, 3, 6), 256);
        assert_eq!(pg(5.0, 3, 6), 8);
        assert_eq!(pg(50.0, 3, 6), 128);
        assert_eq!(pg(100.0, 3, 200), 8192);
    }

    #[test]
    fn rounding_keeps_the_lower_power_up_to_four_thirds() {
        assert_eq!(round_pow2(170.0), 128); // 170 ≤ 170.67
        assert_eq!(round_pow2(171.0), 256);
        assert_eq!(round_pow2(0.0), 1);
        assert_eq!(round_pow2(f64::NAN), 1);
        assert_eq!(round_pow2(1e300), 1 << 31);
    }

    #[test]
    fn the_sizing_shows_the_figures_behind_pg_num() {
        let s = pgcalc_sizing(
            PgcalcPool {
                share: 95.0,
                size: 3,
            },
            6,
            100,
        );
        assert_eq!((s.raw, s.minimum, s.pg_num), (190.0, 8, 256));
        // A tiny share: the minimum wins over the rounded raw value.
        let s = pgcalc_sizing(
            PgcalcPool {
                share: 0.1,
                size: 3,
            },
            6,
            100,
        );
        assert_eq!((s.raw, s.minimum, s.pg_num), (0.0, 8, 8));
        // Size 0 is counted as 1 copy, in the figures as in the result.
        let s = pgcalc_sizing(
            PgcalcPool {
                share: 100.0,
                size: 0,
            },
            6,
            100,
        );
        assert_eq!((s.size, s.raw, s.pg_num), (1, 600.0, 512));
    }

    #[test]
    fn edge_cases() {
        // One OSD, one copy: the minimum floor(1/1)+1 = 2 rounds to 2, not below the OSD count.
        assert_eq!(pg(100.0, 1, 1), 128);
        // A 0.1 % pool still gets the minimum for its OSD count.
        assert_eq!(pg(0.1, 3, 6), 8);
        // Erasure coding 4+2 counts six chunks per object.
        assert_eq!(pg(100.0, 6, 12), 256);
        // 10,000 OSDs: raw 333,333 → 262,144 (the cap is checked separately).
        assert_eq!(pg(100.0, 3, 10_000), 262_144);
    }
}
