//! Disk capacities as users write them: `3TB`, `2.9TB`, `100GiB`, or a number of bytes.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::fmt;
use std::str::FromStr;

/// A capacity in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSize(pub u64);

const UNITS: [(&str, f64); 11] = [
    ("PiB", 1_125_899_906_842_624.0),
    ("TiB", 1_099_511_627_776.0),
    ("GiB", 1_073_741_824.0),
    ("MiB", 1_048_576.0),
    ("KiB", 1_024.0),
    ("PB", 1e15),
    ("TB", 1e12),
    ("GB", 1e9),
    ("MB", 1e6),
    ("KB", 1e3),
    ("B", 1.0),
];

impl ByteSize {
    /// The size in TiB: Ceph's CRUSH weight of a device of this size.
    pub fn tib(self) -> f64 {
        self.0 as f64 / 1_099_511_627_776.0
    }
}

impl FromStr for ByteSize {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (number, factor) = UNITS
            .iter()
            .find_map(|(unit, factor)| {
                text.strip_suffix(unit)
                    .or_else(|| text.strip_suffix(&unit.to_ascii_lowercase()))
                    .map(|n| (n.trim(), *factor))
            })
            .unwrap_or((text, 1.0));
        let value: f64 = number.parse().map_err(|_| {
            format!("`{text}` is not a size: write a number with a unit, e.g. 3TB or 100GiB")
        })?;
        let bytes = value * factor;
        if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
            return Err(format!(
                "`{text}` is not a usable size: write a capacity from 1 B to 16 EiB, e.g. 3TB"
            ));
        }
        Ok(ByteSize(bytes.round() as u64))
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.0 as f64;
        for (unit, factor) in [("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6)] {
            if bytes >= factor {
                let value = bytes / factor;
                return if (value - value.round()).abs() < 1e-9 {
                    write!(f, "{}{unit}", value.round())
                } else {
                    write!(f, "{value:.2}{unit}")
                };
            }
        }
        write!(f, "{}B", self.0)
    }
}

impl Serialize for ByteSize {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = ByteSize;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a size such as 3TB, 100GiB or a number of bytes")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ByteSize, E> {
                if v == 0 {
                    return Err(E::custom(
                        "a disk of 0 bytes holds nothing: write its capacity, e.g. 3TB",
                    ));
                }
                Ok(ByteSize(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ByteSize, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom("a size cannot be negative: write a capacity, e.g. 3TB"))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ByteSize, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JsonSchema for ByteSize {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ByteSize".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A capacity: a number with a decimal (KB, MB, GB, TB, PB) or binary (KiB … PiB) unit, or a number of bytes.",
            "oneOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*([KMGTP]i?B|[kmgtp]i?b|B|b)?\\s*$"}
            ],
            "examples": ["3TB", "100GiB"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_and_binary_units() {
        assert_eq!("3TB".parse::<ByteSize>().unwrap().0, 3_000_000_000_000);
        assert_eq!("100GiB".parse::<ByteSize>().unwrap().0, 107_374_182_400);
        assert_eq!("2.5 tb".parse::<ByteSize>().unwrap().0, 2_500_000_000_000);
        assert_eq!("4096".parse::<ByteSize>().unwrap().0, 4096);
        assert!("lots".parse::<ByteSize>().is_err());
        assert!("0TB".parse::<ByteSize>().is_err());
        assert!("1e300PB".parse::<ByteSize>().is_err());
    }

    #[test]
    fn a_3tb_disk_weighs_about_2_729_in_crush() {
        let weight = "3TB".parse::<ByteSize>().unwrap().tib();
        assert!((weight - 2.7285).abs() < 1e-3, "{weight}");
    }

    #[test]
    fn display_round_trips_typical_sizes() {
        for text in ["3TB", "2.90TB", "100GB", "512MB"] {
            let size: ByteSize = text.parse().unwrap();
            assert_eq!(size.to_string().parse::<ByteSize>().unwrap(), size);
        }
    }
}
