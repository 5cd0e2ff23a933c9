//! Checks of replication, pools and CephFS.

use super::{Diagnostic, Severity};
use crate::spec::osd_hosts;
use crate::spec::{Application, Spec};
use std::collections::HashMap;

pub(super) fn check(spec: &Spec, sizing: &crate::pg::Sizing, found: &mut Vec<Diagnostic>) {
    let ceph = &spec.ceph;
    if !(1..=1000).contains(&ceph.pg.target_per_osd) {
        found.push(Diagnostic::error(
            "ceph.pg.target_per_osd",
            format!(
                "{} PGs per OSD is not a usable target: Ceph aims for 100 and refuses more than 250 replicas per OSD; write 100, or drop target_per_osd",
                ceph.pg.target_per_osd
            ),
        ));
    }
    let hosts = osd_hosts(spec);
    check_replication("ceph", ceph.size, ceph.min_size, hosts, found);
    let mut names: HashMap<&str, usize> = HashMap::new();
    for (i, pool) in ceph.pools.iter().enumerate() {
        let at = format!("ceph.pools[{i}]");
        if let Some(first) = names.insert(&pool.name, i) {
            found.push(Diagnostic::error(
                format!("{at}.name"),
                format!(
                    "pool `{}` is already defined as ceph.pools[{first}]: rename or remove one",
                    pool.name
                ),
            ));
        }
        if pool.name.is_empty()
            || pool.name.starts_with('.')
            || pool.name.contains(char::is_whitespace)
        {
            found.push(Diagnostic::error(
                format!("{at}.name"),
                format!(
                    "`{}` is not a usable pool name: no spaces, and a leading `.` is reserved by Ceph",
                    pool.name
                ),
            ));
        }
        if let Some(share) = pool.share
            && !(share.is_finite() && (0.0..=100.0).contains(&share))
        {
            found.push(Diagnostic::error(
                format!("{at}.share"),
                format!(
                    "share {} is not a percentage between 0 and 100: write the pool's share of the \
                     cluster's data, e.g. 50",
                    crate::pg::number(share)
                ),
            ));
        }
        if pool.size.is_some() || pool.min_size.is_some() {
            check_replication(
                &at,
                pool.size.unwrap_or(ceph.size),
                pool.min_size.unwrap_or(ceph.min_size),
                hosts,
                found,
            );
        }
    }
    check_sizing(spec, &sizing.report, found);
    check_placement(spec, found);
    if let Some(fs) = &ceph.cephfs {
        for (field, name) in [
            ("data_pool", &fs.data_pool),
            ("metadata_pool", &fs.metadata_pool),
        ] {
            match ceph.pools.iter().position(|p| &p.name == name) {
                None => found.push(Diagnostic::error(
                    format!("ceph.cephfs.{field}"),
                    format!(
                        "pool `{name}` is not defined in ceph.pools: add it (application: cephfs)"
                    ),
                )),
                Some(i) if ceph.pools[i].application != Application::Cephfs => {
                    found.push(Diagnostic::error(
                        format!("ceph.pools[{i}].application"),
                        format!(
                            "pool `{name}` holds CephFS {field}: its application must be cephfs"
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
        if fs.data_pool == fs.metadata_pool {
            found.push(Diagnostic::error(
                "ceph.cephfs.metadata_pool",
                "CephFS needs two different pools for data and metadata: name another pool here",
            ));
        }
    }
}

fn check_replication(at: &str, size: u8, min_size: u8, hosts: usize, found: &mut Vec<Diagnostic>) {
    if size == 0 {
        found.push(Diagnostic::error(
            format!("{at}.size"),
            "size must be at least 1: write the number of copies of each object, e.g. 3",
        ));
        return;
    }
    if usize::from(size) > hosts {
        found.push(Diagnostic::error(
            format!("{at}.size"),
            format!(
                "size {size} needs {size} hosts holding OSDs, but the spec has {hosts}: placement groups \
                 would never become clean; lower the size or add OSD hosts"
            ),
        ));
    }
    if size == 1 {
        found.push(Diagnostic::warning(
            format!("{at}.size"),
            "size 1 keeps one copy of each object: a failed disk loses its data, and the inventory \
             turns off Ceph's POOL_NO_REDUNDANCY warning for it; use 3 (or 2) outside a lab",
        ));
    }
    if min_size == 0 || min_size > size {
        found.push(Diagnostic::error(
            format!("{at}.min_size"),
            format!(
                "min_size {min_size} must be between 1 and size ({size}): write e.g. {}",
                size.saturating_sub(1).max(1)
            ),
        ));
    } else if min_size == 1 && size > 1 {
        found.push(Diagnostic::warning(
            format!("{at}.min_size"),
            "min_size 1 accepts writes held by a single copy: one more failure loses them; use 2",
        ));
    }
}

/// The placement-group sizing findings, at the spec path they are about. Replication findings
/// are left to `check_replication`, which names the spec's own fields.
fn check_sizing(spec: &Spec, report: &crate::pg::Report, found: &mut Vec<Diagnostic>) {
    // The report lists the pools in creation order: back to the spec's index by name.
    let spec_index = |i: usize| {
        spec.ceph
            .pools
            .iter()
            .position(|p| p.name == report.pools[i].name)
            .unwrap_or(i)
    };
    for finding in &report.findings {
        let path = match (finding.pool.map(spec_index), finding.field) {
            (Some(_), Some("size" | "min_size")) => continue,
            (Some(i), Some(field)) => format!("ceph.pools[{i}].{field}"),
            (Some(i), None) => format!("ceph.pools[{i}]"),
            (None, _) => "ceph.pools".to_owned(),
        };
        let message = finding.message.clone();
        found.push(match finding.severity {
            Severity::Error => Diagnostic::error(path, message),
            Severity::Warning => Diagnostic::warning(path, message),
        });
    }
    if spec.ceph.pg.mode == crate::spec::PgMode::Autoscale {
        let target = spec.ceph.pg.target_per_osd;
        if target != crate::pg::MON_TARGET_PG_PER_OSD {
            found.push(Diagnostic::warning(
                "ceph.pg.target_per_osd",
                format!(
                    "{target} PGs per OSD is unused with ceph.pg.mode autoscale: the autoscaler aims for Ceph's \
                     mon_target_pg_per_osd ({}), which cephspray does not change; drop target_per_osd, or set \
                     ceph.pg.mode: fixed to size pools for {target}",
                    crate::pg::MON_TARGET_PG_PER_OSD
                ),
            ));
        }
        for (i, pool) in spec.ceph.pools.iter().enumerate() {
            if pool.pg_num.is_some() {
                found.push(Diagnostic::error(
                    format!("ceph.pools[{i}].pg_num"),
                    "pg_num is fixed but ceph.pg.mode is autoscale: the autoscaler would replace it; \
                     set ceph.pg.mode: fixed, or drop pg_num and give a share",
                ));
            }
        }
    }
}

/// Pools must land somewhere: on the default CRUSH root, created by a node that can.
fn check_placement(spec: &Spec, found: &mut Vec<Diagnostic>) {
    if spec.ceph.pools.is_empty() {
        return;
    }
    for (i, node) in spec.nodes.iter().enumerate() {
        let runs_osds = crate::spec::roles_of(node).contains(&crate::spec::Role::Osd);
        if let Some(root) = node
            .crush
            .root
            .as_deref()
            .filter(|r| *r != "default" && runs_osds)
        {
            found.push(Diagnostic::error(
                format!("nodes[{i}].crush.root"),
                format!(
                    "pools use the default CRUSH rule, which places data under root `default`; OSDs under \
                     root `{root}` would hold none of it (cephspray writes no CRUSH rules yet): drop crush.root"
                ),
            ));
        }
    }
    let cephfs: Vec<&str> = spec
        .ceph
        .cephfs
        .iter()
        .flat_map(|fs| [fs.data_pool.as_str(), fs.metadata_pool.as_str()])
        .collect();
    let has_client = spec
        .nodes
        .iter()
        .any(|n| crate::spec::roles_of(n).contains(&crate::spec::Role::CephClient));
    if let Some(i) = spec
        .ceph
        .pools
        .iter()
        .position(|p| !cephfs.contains(&p.name.as_str()))
        && !has_client
    {
        found.push(Diagnostic::error(
            format!("ceph.pools[{i}]"),
            format!(
                "pool `{}` is created from a Ceph client node, and no node has the ceph_client role: add it to one",
                spec.ceph.pools[i].name
            ),
        ));
    }
}
