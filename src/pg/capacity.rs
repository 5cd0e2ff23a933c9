//! How much data the layout holds for a pool mix: raw bytes, what fits before the nearfull
//! warning, what still fits once the largest host is lost, and the CRUSH weights of the devices.

use super::Request;
use serde::Serialize;

/// Ceph's default mon_osd_nearfull_ratio: OSDs above it raise a health warning.
pub const NEARFULL_RATIO: f64 = 0.85;

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

/// The capacity of the request's layout for its pools, or None when device sizes are unknown.
/// The data's raw cost is the pools' redundancy averaged by share (3 copies without shares).
pub(super) fn capacity(request: &Request) -> Option<Capacity> {
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
    use crate::pg::{Layout, Method, PoolRequest};

    #[test]
    fn capacity_with_host_loss() {
        // Three hosts with 2 × 3 TB each, size 3: 18 TB raw, 6 TB usable, 5.1 TB below nearfull;
        // losing a host leaves nowhere to put the third copy.
        let mut req = Request {
            layout: Layout {
                osds: 6,
                failure_domains: 3,
                host_devices: Some(vec![vec![3_000_000_000_000; 2]; 3]),
            },
            target_per_osd: 100,
            method: Method::Pgcalc,
            pools: vec![PoolRequest::replicated("data", 100.0, 3)],
        };
        let c = capacity(&req).unwrap();
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
            capacity(&req).unwrap().usable_after_host_loss_bytes,
            Some(5_100_000_000_000)
        );
    }
}
