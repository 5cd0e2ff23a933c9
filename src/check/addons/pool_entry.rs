//! A MetalLB pool's entries: networks and ranges of IPv4 addresses, read and compared.

use crate::text::one_line;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// An inclusive range of IPv4 addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Range {
    first: Ipv4Addr,
    last: Ipv4Addr,
}

impl Range {
    pub(super) fn of_network(network: Ipv4Net) -> Self {
        Range {
            first: network.network(),
            last: network.broadcast(),
        }
    }

    pub(super) fn contains(&self, address: Ipv4Addr) -> bool {
        self.first <= address && address <= self.last
    }

    pub(super) fn overlaps(&self, other: &Range) -> bool {
        self.first <= other.last && other.first <= self.last
    }

    pub(super) fn inside(&self, other: &Range) -> bool {
        other.first <= self.first && self.last <= other.last
    }
}

/// Reads one entry of a MetalLB pool: a network (`192.0.2.0/28`) or a range
/// (`192.0.2.10-192.0.2.20`, spaces around `-` allowed), IPv4; the error says what to write.
pub(super) fn parse_pool_entry(text: &str) -> Result<Range, String> {
    use crate::spec::net::{parse_address, parse_network};
    if text.contains('/') {
        let network = parse_network(text)?;
        if network.addr() != network.network() {
            return Err(format!(
                "`{network}` has host bits set: write the network by its first address, {}, or \
                 a range `first-last`",
                network.trunc()
            ));
        }
        return Ok(Range::of_network(network));
    }
    if let Some((first, last)) = text.split_once('-') {
        let first = parse_address(first.trim())?;
        let last = parse_address(last.trim())?;
        if first > last {
            return Err(format!(
                "`{}` runs backwards: write the lower address first, {last}-{first}",
                one_line(text)
            ));
        }
        return Ok(Range { first, last });
    }
    match parse_address(text) {
        Ok(address) => Err(format!(
            "`{text}` is one address: write it as a network, {address}/32, or a range, \
             {address}-{address}"
        )),
        Err(message) => Err(format!(
            "{message} (a pool entry is a network such as 192.0.2.0/28 or a range such as \
             192.0.2.10-192.0.2.20)"
        )),
    }
}

/// A parsed pool entry with its spec path and text.
pub(super) struct PoolEntry {
    pub(super) path: String,
    pub(super) text: String,
    pub(super) range: Range,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(first: &str, last: &str) -> Range {
        Range {
            first: first.parse().unwrap(),
            last: last.parse().unwrap(),
        }
    }

    #[test]
    fn pool_entries_are_networks_or_ranges() {
        assert_eq!(
            parse_pool_entry("192.0.2.0/28"),
            Ok(range("192.0.2.0", "192.0.2.15"))
        );
        assert_eq!(
            parse_pool_entry("192.0.2.10-192.0.2.20"),
            Ok(range("192.0.2.10", "192.0.2.20"))
        );
        assert_eq!(
            parse_pool_entry("192.0.2.10 - 192.0.2.20"),
            Ok(range("192.0.2.10", "192.0.2.20"))
        );
        assert_eq!(
            parse_pool_entry("192.0.2.7-192.0.2.7"),
            Ok(range("192.0.2.7", "192.0.2.7")),
            "a range of one address"
        );
        assert_eq!(
            parse_pool_entry("192.0.2.7/32"),
            Ok(range("192.0.2.7", "192.0.2.7"))
        );
        for (text, expected) in [
            (
                "192.0.2.20-192.0.2.10",
                "write the lower address first, 192.0.2.10-192.0.2.20",
            ),
            (
                "192.0.2.1/28",
                "host bits set: write the network by its first address, 192.0.2.0/28",
            ),
            (
                "192.0.2.7",
                "write it as a network, 192.0.2.7/32, or a range",
            ),
            ("192.0.2.0/33", "a prefix length from 0 to 32"),
            ("fd00::/64", "IPv6 is not supported yet"),
            ("fd00::1-fd00::9", "IPv6 is not supported yet"),
            ("192.0.2.1-", "is not an IPv4 address"),
            ("192.0.2.010-192.0.2.20", "leading zeros"),
            ("public", "a pool entry is a network"),
            ("", "a pool entry is a network"),
            ("{{ x }}", "a pool entry is a network"),
        ] {
            let message = parse_pool_entry(text).unwrap_err();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }

    #[test]
    fn ranges_overlap_at_their_edges() {
        let a = range("192.0.2.10", "192.0.2.20");
        assert!(
            a.overlaps(&range("192.0.2.20", "192.0.2.30")),
            "shared last address"
        );
        assert!(
            a.overlaps(&range("192.0.2.0", "192.0.2.10")),
            "shared first address"
        );
        assert!(a.overlaps(&range("192.0.2.12", "192.0.2.13")), "inside");
        assert!(a.overlaps(&range("192.0.2.0", "192.0.2.255")), "around");
        assert!(
            !a.overlaps(&range("192.0.2.21", "192.0.2.30")),
            "adjacent after"
        );
        assert!(
            !a.overlaps(&range("192.0.2.0", "192.0.2.9")),
            "adjacent before"
        );
        assert!(a.inside(&range("192.0.2.10", "192.0.2.20")));
        assert!(!a.inside(&range("192.0.2.11", "192.0.2.30")));
        let all = range("0.0.0.0", "255.255.255.255");
        assert!(all.contains("255.255.255.255".parse().unwrap()));
        assert!(all.overlaps(&a));
    }
}
