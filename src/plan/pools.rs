//! Where each pool's pg_num (or autoscaler guidance) is decided: the spec's pools become a
//! `pg::Request` (`pg::pg_request`), and `pg::report` sizes them. `check` reads the same report
//! for its findings.

use crate::pg::{Redundancy, Report, Request, creation_order};
use crate::spec::{PgMode, Spec};
use serde::Serialize;

/// How a pool's placement groups are set at creation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum PoolPg {
    /// pg_num fixed, autoscaler off for the pool.
    Fixed {
        /// pg_num and pgp_num.
        pg_num: u32,
    },
    /// The autoscaler decides; `expected_pg_num` is what it will settle on for empty pools.
    Autoscale {
        /// target_size_ratio (the share as a fraction), if a share was given.
        target_size_ratio: Option<f64>,
        /// Where the autoscaler will leave the empty pool.
        expected_pg_num: u32,
        /// The pg_num ceph-ansible creates the pool with, in `warn` mode (the autoscaler is
        /// turned on by playbooks/ceph-pools.yml once every pool exists); None: created in
        /// `on` mode without a pg_num (when the targets would not fit the monitors' limit).
        create_pg_num: Option<u32>,
    },
}

/// One pool, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct PoolPlan {
    /// The pool's name in Ceph.
    pub name: String,
    /// The Ceph application enabled on it (cephfs, rbd, rgw).
    pub application: &'static str,
    /// Copies of each object.
    pub size: u8,
    /// Copies for writes.
    pub min_size: u8,
    /// Share of the data in percent, if given.
    pub share: Option<f64>,
    /// Its pg_num, fixed or the autoscaler's with its creation value.
    pub pg: PoolPg,
    /// The autoscaler's bulk flag: the CephFS data pool, as `ceph fs volume create` sets it
    /// (`ceph fs new` does not); playbooks/ceph-pools.yml sets it after site.yml.
    pub bulk: bool,
    /// How pg_num was reached.
    pub reasoning: String,
}

pub(super) fn plan_pools(spec: &Spec, request: &Request, report: &Report) -> Vec<PoolPlan> {
    let ceph = &spec.ceph;
    // The request lists the pools in creation order; the plan keeps the spec's.
    let mut at = vec![0; ceph.pools.len()];
    for (j, i) in creation_order(spec).into_iter().enumerate() {
        at[i] = j;
    }
    ceph.pools
        .iter()
        .zip(at)
        .map(|(p, j)| (p, &report.pools[j], &request.pools[j]))
        .map(|(p, sized, asked)| {
            let pg = match ceph.pg.mode {
                PgMode::Fixed => PoolPg::Fixed {
                    pg_num: sized.pg_num,
                },
                PgMode::Autoscale => PoolPg::Autoscale {
                    target_size_ratio: p.share.map(|s| s / 100.0),
                    expected_pg_num: sized.pg_num,
                    create_pg_num: asked.start_pg_num,
                },
            };
            let Redundancy::Replicated { size } = sized.redundancy else {
                unreachable!("spec pools are replicated")
            };
            PoolPlan {
                name: p.name.clone(),
                application: p.application.as_str(),
                size: size as u8,
                min_size: p.min_size.unwrap_or(ceph.min_size),
                share: p.share,
                pg,
                bulk: asked.bulk,
                reasoning: sized.reasoning.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::spec::parse;

    /// five-nodes with its rbd pool listed first: ceph-ansible still creates the CephFS pools
    /// first (its MDS role runs before the client role), so they get the lower pool ids.
    fn spec() -> crate::spec::Spec {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/five-nodes.yaml"
        ))
        .unwrap();
        let rbd = "    - { name: kube_rbd, application: rbd, share: 38 }\n";
        assert!(text.contains(rbd));
        let text = text
            .replace(rbd, "")
            .replacen("  pools:\n", &format!("  pools:\n{rbd}"), 1);
        parse("five-nodes.yaml", &text).unwrap()
    }

    #[test]
    fn pools_are_sized_in_creation_order_and_planned_in_spec_order() {
        let spec = spec();
        assert_eq!(spec.ceph.pools[0].name, "kube_rbd");
        let request = crate::pg::pg_request(&spec);
        let names: Vec<&str> = request.pools.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["fs_data", "fs_meta", "kube_rbd"]);
        let plan = crate::plan::plan(&spec, "five-nodes.yaml");
        let planned: Vec<(&str, u32)> = plan
            .ceph
            .pools
            .iter()
            .map(|p| match p.pg {
                super::PoolPg::Autoscale {
                    expected_pg_num, ..
                } => (p.name.as_str(), expected_pg_num),
                super::PoolPg::Fixed { pg_num } => (p.name.as_str(), pg_num),
            })
            .collect();
        assert_eq!(
            planned,
            [("kube_rbd", 128), ("fs_data", 128), ("fs_meta", 16)]
        );
        assert!(plan.ceph.pools[1].bulk && !plan.ceph.pools[0].bulk);
    }
}
