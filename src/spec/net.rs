//! IPv4 addresses and networks as users write them, with a message that says what to write
//! when one is not: IPv6 (not supported yet), a port or prefix where an address goes, leading
//! zeros (which some tools read as octal), a netmask instead of a prefix length.
//!
//! Host bits in a network (`10.8.0.1/24`) parse here and are refused by `check`, with every
//! other finding and the spec path.

use serde::{Deserialize, Deserializer, de};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Parses a node address.
pub fn parse_address(text: &str) -> Result<Ipv4Addr, String> {
    if let Ok(address) = text.parse::<Ipv4Addr>() {
        return Ok(address);
    }
    if text.trim() != text || text.is_empty() {
        return Err(format!(
            "`{text}` is not an IPv4 address: write four numbers from 0 to 255 without spaces, e.g. 10.8.0.1"
        ));
    }
    if let Some((address, prefix)) = text.split_once('/')
        && address.parse::<Ipv4Addr>().is_ok()
    {
        return Err(format!(
            "`{text}` is a network, not an address: write the node's address alone, {address} \
             (its network is network.private; /{prefix} belongs there)"
        ));
    }
    if let Some((address, port)) = text.rsplit_once(':')
        && address.parse::<Ipv4Addr>().is_ok()
    {
        return Err(format!(
            "`{text}` holds a port: write the address alone, {address} (an SSH port goes in \
             ssh.port: {port})"
        ));
    }
    if let Ok(v6) = text.trim_matches(['[', ']']).parse::<Ipv6Addr>() {
        return Err(ipv6_message(text, v6));
    }
    Err(ipv4_syntax(text))
}

/// Parses a network in CIDR notation (host bits are left for `check` to refuse).
pub fn parse_network(text: &str) -> Result<ipnet::Ipv4Net, String> {
    let Some((address, prefix)) = text.split_once('/') else {
        return Err(match text.parse::<Ipv4Addr>() {
            Ok(_) => {
                format!("`{text}` has no prefix length: write the network with it, e.g. {text}/24")
            }
            Err(_) => match text.parse::<Ipv6Addr>() {
                Ok(_) => {
                    "IPv6 is not supported yet: write an IPv4 network, e.g. 10.8.0.0/24".to_owned()
                }
                Err(_) => format!(
                    "`{text}` is not an IPv4 network: write its first address and prefix length, e.g. 10.8.0.0/24"
                ),
            },
        });
    };
    if address.parse::<Ipv6Addr>().is_ok() {
        return Err(format!(
            "`{text}` is an IPv6 network: IPv6 is not supported yet; write an IPv4 network, e.g. 10.8.0.0/24"
        ));
    }
    let address: Ipv4Addr = address.parse().map_err(|_| {
        if text.trim() != text {
            format!("`{text}` has spaces around it: write it without, e.g. 10.8.0.0/24")
        } else {
            format!("`{text}`: {}", ipv4_syntax(address))
        }
    })?;
    let digits = !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit());
    let prefix_len = match prefix.parse::<u8>() {
        Ok(len) if len <= 32 && digits && !leading_zero(prefix) => len,
        Ok(len) if len <= 32 && digits => {
            return Err(format!(
                "`{text}`: write the prefix length without leading zeros, {address}/{len}"
            ));
        }
        _ => {
            return Err(match netmask_prefix(prefix) {
                Some(len) => format!(
                    "`{text}` gives a netmask: write the prefix length instead, {address}/{len}"
                ),
                None => format!(
                    "`{text}`: write a prefix length from 0 to 32 after `/`, e.g. {address}/24"
                ),
            });
        }
    };
    ipnet::Ipv4Net::new(address, prefix_len).map_err(|e| format!("`{text}`: {e}"))
}

/// What to say about an IPv6 address.
fn ipv6_message(text: &str, v6: Ipv6Addr) -> String {
    match v6.to_ipv4_mapped() {
        Some(v4) => format!(
            "`{text}` is an IPv4 address written as IPv6: write {v4} (IPv6 is not supported yet)"
        ),
        None => format!(
            "`{text}` is an IPv6 address: IPv6 is not supported yet; give the node's IPv4 address \
             on network.private, e.g. 10.8.0.1"
        ),
    }
}

/// What is wrong with text that is not an IPv4 address.
fn ipv4_syntax(text: &str) -> String {
    let parts: Vec<&str> = text.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if numeric && parts.len() == 4 {
        if parts.iter().any(|p| leading_zero(p)) {
            let canonical: Vec<String> = parts
                .iter()
                .map(|p| {
                    p.trim_start_matches('0')
                        .parse::<u64>()
                        .unwrap_or(0)
                        .to_string()
                })
                .collect();
            return format!(
                "`{text}` has numbers with leading zeros, which some tools read as octal: write \
                 {} if that is what you mean",
                canonical.join(".")
            );
        }
        return format!("`{text}` is not an IPv4 address: each of its four numbers is 0 to 255");
    }
    if numeric {
        return format!(
            "`{text}` is not a full IPv4 address: write all four numbers, e.g. 10.8.0.1"
        );
    }
    format!("`{text}` is not an IPv4 address: write four numbers from 0 to 255, e.g. 10.8.0.1")
}

fn leading_zero(number: &str) -> bool {
    number.len() > 1 && number.starts_with('0')
}

/// The prefix length a contiguous dotted netmask stands for.
fn netmask_prefix(mask: &str) -> Option<u8> {
    let bits = u32::from(mask.parse::<Ipv4Addr>().ok()?);
    let len = bits.leading_ones();
    (bits.checked_shl(len).unwrap_or(0) == 0).then_some(len as u8)
}

/// `deserialize_with` for an address field.
pub fn address<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Ipv4Addr, D::Error> {
    let text = Text::deserialize(deserializer)?;
    parse_address(&text.0).map_err(de::Error::custom)
}

/// `deserialize_with` for a network field.
pub fn network<'de, D: Deserializer<'de>>(deserializer: D) -> Result<ipnet::Ipv4Net, D::Error> {
    let text = Text::deserialize(deserializer)?;
    parse_network(&text.0).map_err(de::Error::custom)
}

/// `deserialize_with` for an optional network field.
pub fn optional_network<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ipnet::Ipv4Net>, D::Error> {
    Option::<Text>::deserialize(deserializer)?
        .map(|text| parse_network(&text.0).map_err(de::Error::custom))
        .transpose()
}

/// `deserialize_with` for an optional address field.
pub fn optional_address<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Ipv4Addr>, D::Error> {
    Option::<Text>::deserialize(deserializer)?
        .map(|text| parse_address(&text.0).map_err(de::Error::custom))
        .transpose()
}

/// A scalar read as text, whatever YAML would type it as (`10` stays `10`).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an IPv4 address or network, e.g. 10.8.0.1 or 10.8.0.0/24")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_say_what_to_write() {
        assert_eq!(
            parse_address("10.8.0.1").unwrap(),
            Ipv4Addr::new(10, 8, 0, 1)
        );
        for (text, expected) in [
            ("fd00::1", "IPv6 is not supported yet"),
            ("::1", "IPv6 is not supported yet"),
            ("[fd00::1]", "IPv6 is not supported yet"),
            ("::ffff:10.8.0.1", "write 10.8.0.1"),
            ("010.8.0.1", "write 10.8.0.1 if"),
            ("10.8.0.01", "write 10.8.0.1 if"),
            ("10.8.0.256", "each of its four numbers is 0 to 255"),
            ("10.8.1", "write all four numbers"),
            ("10.8.0.1/24", "write the node's address alone, 10.8.0.1"),
            ("10.8.0.1:22", "write the address alone, 10.8.0.1"),
            ("node1.local", "is not an IPv4 address"),
            (" 10.8.0.1", "without spaces"),
            ("", "is not an IPv4 address"),
        ] {
            let message = parse_address(text).unwrap_err();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }

    #[test]
    fn networks_say_what_to_write() {
        assert_eq!(
            parse_network("10.8.0.0/24").unwrap().to_string(),
            "10.8.0.0/24"
        );
        assert_eq!(
            parse_network("10.8.0.1/24").unwrap().to_string(),
            "10.8.0.1/24",
            "host bits are for check to refuse, with the spec path"
        );
        for (text, expected) in [
            ("10.8.0.0", "write the network with it, e.g. 10.8.0.0/24"),
            ("fd00::/64", "IPv6 is not supported yet"),
            ("fd00::", "IPv6 is not supported yet"),
            ("10.8.0.0/33", "a prefix length from 0 to 32"),
            ("10.8.0.0/024", "without leading zeros, 10.8.0.0/24"),
            ("10.8.0.0/+24", "a prefix length from 0 to 32"),
            ("10.8.0.0/", "a prefix length from 0 to 32"),
            (
                "10.8.0.0/255.255.255.0",
                "write the prefix length instead, 10.8.0.0/24",
            ),
            ("010.8.0.0/24", "write 10.8.0.0 if"),
            ("10.8.0/24", "write all four numbers"),
            ("lan", "is not an IPv4 network"),
        ] {
            let message = parse_network(text).unwrap_err();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }
}
