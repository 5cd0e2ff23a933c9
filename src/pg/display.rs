//! The report as a readable table with one line of reasoning per pool, and numbers as messages
//! show them.

use super::{Method, NEARFULL_RATIO, Report, Severity};
use crate::spec::ByteSize;
use serde_json::json;
use std::fmt::{self, Write};

/// The figures: pools, reasoning, capacity (the findings are `findings_text`).
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = match self.method {
            Method::Pgcalc => format!("pgcalc, target {} PGs per OSD", self.target_per_osd),
            Method::Autoscale => format!(
                "autoscale (what pg_autoscaler settles on for empty pools), mon_target_pg_per_osd {}",
                self.target_per_osd
            ),
        };
        writeln!(
            f,
            "{} OSDs on {} hosts, {method}",
            self.osds, self.failure_domains
        )?;
        let name_width = self
            .pools
            .iter()
            .map(|p| shown(&p.name).chars().count())
            .max()
            .unwrap_or(4)
            .max(5);
        writeln!(f)?;
        writeln!(
            f,
            "{:<name_width$}  {:>6}  {:>4}  {:>6}  {:>15}",
            "pool", "share", "size", "pg_num", "PG replicas/OSD"
        )?;
        for pool in &self.pools {
            writeln!(
                f,
                "{:<name_width$}  {:>6}  {:>4}  {:>6}  {:>15.1}",
                shown(&pool.name),
                format!("{}%", pool.share),
                pool.size,
                pool.pg_num,
                pool.pg_replicas_per_osd
            )?;
        }
        writeln!(
            f,
            "{:<name_width$}  {:>6}  {:>4}  {:>6}  {:>15.1}  (health warns above {})",
            "total",
            "",
            "",
            "",
            self.pg_replicas_per_osd,
            super::MON_MAX_PG_PER_OSD
        )?;
        writeln!(f)?;
        for pool in &self.pools {
            writeln!(f, "{}: {}", shown(&pool.name), shown(&pool.reasoning))?;
        }
        writeln!(f)?;
        let counted = if self.osds < 3 {
            format!(
                "{} × 3, the monitors count at least 3 OSDs",
                super::MON_MAX_PG_PER_OSD
            )
        } else {
            format!("{} × {} OSDs", super::MON_MAX_PG_PER_OSD, self.osds)
        };
        writeln!(
            f,
            "monitors: {} of at most {} PG replicas (Σ pg_num × size with the manager's pool; {counted})",
            self.mon_pg_replicas, self.mon_max_pg_replicas
        )?;
        if let Some(b) = &self.busiest_osd {
            writeln!(
                f,
                "busiest OSD: about {:.0} PG replicas (PGs beyond {} on one OSD stay inactive)",
                b.pg_replicas,
                super::MON_MAX_PG_PER_OSD * super::OSD_MAX_PG_PER_OSD_HARD_RATIO
            )?;
        }
        if let Some(c) = &self.capacity {
            writeln!(f)?;
            let mut line = format!(
                "capacity: raw {}, usable {} ({:.2} raw bytes per data byte), {} below nearfull ({}%)",
                ByteSize(c.raw_bytes),
                ByteSize(c.usable_bytes),
                c.raw_per_data_byte,
                ByteSize(c.usable_before_nearfull_bytes),
                NEARFULL_RATIO * 100.0
            );
            match c.usable_after_host_loss_bytes {
                Some(bytes) => write!(line, ", {} after losing the largest host", ByteSize(bytes))?,
                None => line.push_str(", and a lost host cannot be re-replicated (too few hosts)"),
            }
            writeln!(f, "{line}")?;
            for w in &c.crush_weights {
                writeln!(
                    f,
                    "CRUSH weight: {} × {} devices weigh {:.4} each",
                    w.count,
                    ByteSize(w.device_bytes),
                    w.weight
                )?;
            }
        }
        Ok(())
    }
}

impl Report {
    /// The findings, one `error: …` or `warning: …` line each.
    pub fn findings_text(&self) -> String {
        let mut out = String::new();
        for finding in &self.findings {
            let label = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(out, "{label}: {}", finding.message);
        }
        out
    }

    /// The report as JSON: `pools` (name, pg_num, size, target_pg_num with the autoscaler, …),
    /// `pg_replicas_per_osd`, what the monitors count and accept, the busiest OSD, `capacity`,
    /// and the findings split into `errors` and `warnings`.
    pub fn to_json(&self) -> serde_json::Value {
        let messages = |severity| {
            self.findings
                .iter()
                .filter(|f| f.severity == severity)
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
        };
        json!({
            "method": self.method,
            "osds": self.osds,
            "failure_domains": self.failure_domains,
            "target_per_osd": self.target_per_osd,
            "pools": self.pools,
            "pg_replicas_per_osd": self.pg_replicas_per_osd,
            "mon_pg_replicas": self.mon_pg_replicas,
            "mon_max_pg_replicas": self.mon_max_pg_replicas,
            "mgr_pool_pg_replicas": self.mgr_pool_pg_replicas,
            "busiest_osd": self.busiest_osd,
            "capacity": self.capacity,
            "errors": messages(Severity::Error),
            "warnings": messages(Severity::Warning),
        })
    }
}

/// Text from a spec as the terminal shows it: control characters (escape sequences, line breaks)
/// written as escapes, so that a pool name cannot drive the terminal or forge lines.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
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

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(super::shown("a\u{1b}[31mb\nc"), "a\\u{1b}[31mb\\u{a}c");
        assert_eq!(super::shown("cephfs_data"), "cephfs_data");
    }
}
