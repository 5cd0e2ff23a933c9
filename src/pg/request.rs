//! What to size: the disks (one CRUSH root), the pools with their redundancy and autoscaler
//! settings, and which calculation to use. Built from a spec (`of_spec`) or from the command
//! line's flags, and read by `report`.

use super::PG_NUM_MIN;
use serde::Serialize;

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
        /// Copies of each object, each on another failure domain.
        size: u32,
    },
    /// k data chunks and m coding chunks.
    Erasure {
        /// Data chunks an object is cut into.
        k: u32,
        /// Coding chunks added, the failures a pool survives.
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
    /// The pool's name, for reports and findings.
    pub name: String,
    /// Expected share of the data, percent.
    pub share: f64,
    /// Replication or erasure coding.
    pub redundancy: Redundancy,
    /// Copies (or chunks) needed to accept writes.
    pub min_size: Option<u32>,
    /// The autoscaler's bulk flag.
    pub bulk: bool,
    /// pg_autoscale_bias: the autoscaler multiplies the pool's target by it.
    pub bias: f64,
    /// pg_num_min: the autoscaler never sets pg_num below it.
    pub pg_num_min: u32,
    /// A pg_num fixed by the user, checked rather than computed.
    pub pg_num: Option<u32>,
    /// Autoscale: pg_num when the autoscaler first sees the pool with these settings. None: as
    /// ceph-ansible creates it (no pg_num, so 1 PG), the bulk flag set after site.yml.
    pub start_pg_num: Option<u32>,
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
            start_pg_num: None,
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
    /// OSDs, failure domains and device sizes the pools are placed on.
    pub layout: Layout,
    /// PGs per OSD to aim for: pgcalc's target, or the autoscaler's mon_target_pg_per_osd.
    pub target_per_osd: u32,
    /// Which calculation sizes the pools: pgcalc or the autoscaler's.
    pub method: Method,
    /// Pools in creation (pool id) order.
    pub pools: Vec<PoolRequest>,
}
