//! Values that reach generated files: the add-ons' numbers, etcd's snapshot schedule and
//! directory, paths, volume sizes and lists of names.

use super::{ADDONS, shown};
use crate::check::Diagnostic;
use crate::check::nodes::is_rfc1123_name;
use crate::spec::Addons;

/// Numbers, the schedule and paths that reach generated files.
pub(super) fn settings(addons: &Addons, found: &mut Vec<Diagnostic>) {
    if let Some(metrics) = &addons.metrics_server
        && !(1..=10).contains(&metrics.replicas)
    {
        found.push(Diagnostic::error(
            format!("{ADDONS}.metrics_server.replicas"),
            format!(
                "{} replicas: write 1 to 10 (2 keep the metrics while a node is down)",
                metrics.replicas
            ),
        ));
    }
    if let Some(backup) = &addons.etcd_backup {
        let at = format!("{ADDONS}.etcd_backup");
        if !(1..=1000).contains(&backup.keep) {
            found.push(Diagnostic::error(
                format!("{at}.keep"),
                format!(
                    "keeping {} snapshots: write a number from 1 to 1000, e.g. 7",
                    backup.keep
                ),
            ));
        }
        if !is_calendar_event(&backup.schedule) {
            found.push(Diagnostic::error(
                format!("{at}.schedule"),
                format!(
                    "{} is not a schedule cephspray writes into a systemd timer: write a \
                     systemd calendar event of digits, spaces and `-:*/,.~`, with words only for \
                     a shorthand (daily), weekdays (Mon..Fri) and a time zone last (UTC), e.g. \
                     daily or `Mon..Fri *-*-* 03:00:00`",
                    shown(&backup.schedule)
                ),
            ));
        }
        if let Some(problem) = absolute_path_problem(&backup.directory) {
            found.push(Diagnostic::error(
                format!("{at}.directory"),
                format!(
                    "{} {problem}, e.g. /var/backups/etcd",
                    shown(&backup.directory)
                ),
            ));
        } else if inside_kubespray_backups(&backup.directory) {
            found.push(Diagnostic::error(
                format!("{at}.directory"),
                format!(
                    "{} is inside a directory named etcd-* in /var/backups, where kubespray keeps \
                     its own copies of etcd: each time it restarts etcd it deletes such \
                     directories beyond the newest `keep`, snapshots included; write another \
                     directory, e.g. /var/backups/etcd",
                    shown(&backup.directory)
                ),
            ));
        }
    }
}

/// Each name of a list a lowercase RFC 1123 name (`list` is the list's spec path, `what` the
/// word for one item, `example` a name to suggest), and no two alike.
pub(super) fn names<'a>(
    names: impl Iterator<Item = &'a str>,
    list: &str,
    what: &str,
    example: &str,
    found: &mut Vec<Diagnostic>,
) {
    let names: Vec<&str> = names.collect();
    for (i, name) in names.iter().enumerate() {
        if !is_rfc1123_name(name) {
            found.push(Diagnostic::error(
                format!("{list}[{i}].name"),
                format!(
                    "{} is not a {what} name: write a lowercase RFC 1123 name (letters, digits, \
                     `-` and `.`), e.g. {example}",
                    shown(name)
                ),
            ));
        } else if let Some(first) = names[..i].iter().position(|n| n == name) {
            found.push(Diagnostic::error(
                format!("{list}[{i}].name"),
                format!(
                    "{what} `{name}` is already {list}[{first}]: give each {what} its own name"
                ),
            ));
        }
    }
}

/// A systemd calendar event as cephspray writes it into a unit: not empty, only letters,
/// digits, spaces and `-:*/,.~` (no line break, no `%` specifier, no `{` for Ansible), and words
/// only where systemd takes them: a shorthand (`daily`), weekdays (`Mon..Fri`), and a time zone
/// last (`UTC`, `Europe/Paris`).
fn is_calendar_event(schedule: &str) -> bool {
    const SHORTHANDS: [&str; 9] = [
        "minutely",
        "hourly",
        "daily",
        "weekly",
        "monthly",
        "yearly",
        "annually",
        "quarterly",
        "semiannually",
    ];
    const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let weekday = |word: &str| {
        let word = word.to_ascii_lowercase();
        WEEKDAYS
            .iter()
            .any(|day| word == *day || (word.len() == 3 && day.starts_with(&word)))
    };
    let plain = schedule
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" -:*/,.~".contains(&b));
    let tokens: Vec<&str> = schedule.split(' ').filter(|t| !t.is_empty()).collect();
    plain
        && !tokens.is_empty()
        && tokens.iter().enumerate().all(|(i, token)| {
            if !token.bytes().any(|b| b.is_ascii_alphabetic()) {
                return true;
            }
            let shorthand = SHORTHANDS.contains(&token.to_ascii_lowercase().as_str());
            let weekdays = token
                .split(',')
                .flat_map(|part| part.split(".."))
                .all(weekday);
            let last = i + 1 == tokens.len();
            let zone = token.eq_ignore_ascii_case("utc")
                || token.split('/').count() >= 2
                    && token.split('/').all(|part| {
                        part.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
                            && part.bytes().all(|b| b.is_ascii_alphabetic())
                    });
            shorthand || weekdays || (last && i > 0 && zone)
        })
}

/// What is wrong with a directory written as an absolute path of plain characters, phrased to
/// follow the path itself; `None` when nothing is.
pub(super) fn absolute_path_problem(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        return Some("is not an absolute path: write one that starts with `/`");
    }
    if !path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
    {
        return Some(
            "holds characters cephspray does not write into a path: use letters, digits, `-`, \
             `_`, `.` and `/`",
        );
    }
    if path.split('/').any(|component| component == "..") {
        return Some("climbs with `..`: write the directory itself");
    }
    if path.trim_matches('/').is_empty() {
        return Some("is the root directory: write a directory of its own");
    }
    None
}

/// Whether a snapshot directory lies in one that kubespray's etcd role deletes: after a restart
/// of etcd it removes every directory `etcd-*` directly under `etcd_backup_prefix`
/// (`/var/backups`) beyond the newest `etcd_backup_retention_count`
/// (roles/etcd/handlers/backup_cleanup.yml).
fn inside_kubespray_backups(path: &str) -> bool {
    let components: Vec<&str> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    matches!(components.as_slice(), ["var", "backups", name, ..] if name.starts_with("etcd-"))
}

/// A Kubernetes quantity as the registry's size takes it: `^[1-9][0-9]*(Ki|Mi|Gi|Ti)$`.
pub(super) fn is_quantity(size: &str) -> bool {
    let Some(number) = ["Ki", "Mi", "Gi", "Ti"]
        .iter()
        .find_map(|unit| size.strip_suffix(unit))
    else {
        return false;
    };
    !number.is_empty() && !number.starts_with('0') && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_directories_that_kubespray_deletes() {
        for inside in [
            "/var/backups/etcd-snapshots",
            "/var/backups/etcd-x/deeper",
            "//var/./backups//etcd-",
        ] {
            assert!(inside_kubespray_backups(inside), "{inside}");
        }
        for outside in [
            "/var/backups/etcd",
            "/var/backups",
            "/var/backups/snapshots/etcd-1",
            "/srv/var/backups/etcd-1",
        ] {
            assert!(!inside_kubespray_backups(outside), "{outside}");
        }
    }

    #[test]
    fn paths_schedules_and_sizes() {
        for good in ["/var/backups/etcd", "/opt/local-path-provisioner/", "/a..b"] {
            assert_eq!(absolute_path_problem(good), None, "{good}");
        }
        for (bad, expected) in [
            ("var/backups", "absolute"),
            ("/", "root directory"),
            ("//", "root directory"),
            ("/var/../etc", "`..`"),
            ("/var/a b", "characters"),
            ("/var/{{x}}", "characters"),
            ("", "absolute"),
        ] {
            assert!(
                absolute_path_problem(bad).is_some_and(|p| p.contains(expected)),
                "{bad}"
            );
        }
        for good in [
            "daily",
            "Weekly",
            "*-*-* 03:00:00",
            "Mon..Fri 02:00",
            "Sat,Sun 04:00",
            "*-*~01",
            "*-*-* 03:00:00 UTC",
            "daily Europe/Paris",
        ] {
            assert!(is_calendar_event(good), "{good}");
        }
        for bad in [
            "",
            " ",
            "daily\nExecStart=/bin/sh",
            "%H",
            "{{x}}",
            "a;b",
            "a b",
            "UTC",
            "03:00 Europe/Paris daily",
            "-oProxyCommand=id",
        ] {
            assert!(!is_calendar_event(bad), "{bad:?}");
        }
        for good in ["10Gi", "1Ti", "512Mi", "100Ki"] {
            assert!(is_quantity(good), "{good}");
        }
        for bad in [
            "0Gi", "010Gi", "Gi", "10G", "10 Gi", "1.5Gi", "-1Gi", "10gi",
        ] {
            assert!(!is_quantity(bad), "{bad}");
        }
    }
}
