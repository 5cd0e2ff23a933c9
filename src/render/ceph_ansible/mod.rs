//! ceph-ansible: group names, pool variables and its files, with what differs between its
//! branches (one module each). What a branch is (the Ceph release it deploys) is in
//! [`crate::targets::ceph_ansible`], where `check` reads it too.

pub mod stable_8_0;
pub mod stable_9_0;

use super::target::{Deploy, File, Group, Stage, Target};
use crate::plan::{Host, Plan, PoolPg, PoolPlan};
use crate::spec::{CephAnsibleRelease, CephOrigin, Role};
use indexmap::IndexMap;
use minijinja::{Value, context};

/// One ceph-ansible branch as a target.
pub struct CephAnsible {
    /// The branch, whose facts `crate::targets::ceph_ansible` holds.
    release: CephAnsibleRelease,
    /// Its template directory.
    namespace: &'static str,
    /// The directory of the branch whose templates it uses where it has none of its own.
    inherits: Option<&'static str>,
}

impl CephAnsible {
    /// The branch's label.
    fn release(&self) -> &'static str {
        crate::targets::ceph_ansible::facts(self.release).label
    }
}

/// A pool as ceph-ansible's ceph_pool task reads it. With a fixed pg_num the autoscaler is
/// switched off for the pool, else ceph_pool creates it with `--autoscale-mode on` and no pg_num.
fn pool_vars(pool: &PoolPlan, with_application: bool) -> IndexMap<&'static str, Value> {
    let mut vars = IndexMap::new();
    vars.insert("name", Value::from(pool.name.clone()));
    if with_application {
        vars.insert("application", Value::from(pool.application));
    }
    vars.insert("size", Value::from(pool.size));
    vars.insert("min_size", Value::from(pool.min_size));
    match pool.pg {
        PoolPg::Fixed { pg_num } => {
            vars.insert("pg_autoscale_mode", Value::from(false));
            vars.insert("pg_num", Value::from(pg_num));
            vars.insert("pgp_num", Value::from(pg_num));
        }
        PoolPg::Autoscale {
            target_size_ratio,
            create_pg_num,
            ..
        } => {
            // Created at its final pg_num with the autoscaler in `warn` mode: ceph-pools.yml
            // turns it on once every pool exists (see pg::of_spec::created_at_target).
            match create_pg_num {
                Some(pg_num) => {
                    vars.insert("pg_autoscale_mode", Value::from("warn"));
                    vars.insert("pg_num", Value::from(pg_num));
                    vars.insert("pgp_num", Value::from(pg_num));
                }
                None => {
                    vars.insert("pg_autoscale_mode", Value::from(true));
                }
            }
            if let Some(ratio) = target_size_ratio {
                vars.insert("target_size_ratio", Value::from(ratio));
            }
        }
    }
    vars
}

/// The CSI users as ceph-ansible's client `keys`: the key itself comes from the vault.
fn csi_keys(plan: &Plan) -> Value {
    Value::from_iter(plan.ceph.csi_users.iter().map(|user| {
        context! {
            name => user.client.clone(),
            caps => Value::from(minijinja::value::Serde(&user.caps)),
            key => super::vault::reference(&user.key_var),
            mode => "0600",
        }
    }))
}

/// The pool settings ceph-ansible does not apply, which playbooks/ceph-pools.yml sets: every
/// pool's min_size (ceph_pool ignores it), where the plan wants it the bulk flag, and the
/// autoscaler of autoscaled pools, created in `warn` mode, turned on once every pool exists.
fn pool_settings(plan: &Plan) -> Vec<Value> {
    let mut settings = Vec::new();
    for pool in &plan.ceph.pools {
        // `value` is the command-line word, `json` what `ceph osd pool get --format json` says
        // (as a Jinja literal).
        let setting = |name: &str, value: &str, json: &str| {
            context! { pool => pool.name.clone(), name => name, value => value, json => json }
        };
        let min_size = pool.min_size.to_string();
        settings.push(setting("min_size", &min_size, &min_size));
        if pool.bulk {
            settings.push(setting("bulk", "true", "true"));
        }
        if let PoolPg::Autoscale {
            create_pg_num: Some(_),
            ..
        } = pool.pg
        {
            settings.push(setting("pg_autoscale_mode", "on", "'on'"));
        }
    }
    settings
}

/// The playbook that applies pool settings ceph-ansible does not.
const POOLS_PLAYBOOK: &str = "playbooks/ceph-pools.yml";

/// The pools CephFS uses: created by the MDS role, not as client pools.
fn cephfs_pool_names(plan: &Plan) -> Vec<&str> {
    plan.ceph
        .cephfs
        .iter()
        .flat_map(|fs| [fs.data_pool.name.as_str(), fs.metadata_pool.name.as_str()])
        .collect()
}

impl Target for CephAnsible {
    fn namespace(&self) -> &'static str {
        self.namespace
    }

    fn inherits(&self) -> Option<&'static str> {
        self.inherits
    }

    fn label(&self, plan: &Plan) -> Option<String> {
        Some(format!(
            "ceph-ansible {} (Ceph {})",
            self.release(),
            plan.ceph.release
        ))
    }

    fn groups(&self, plan: &Plan) -> Vec<Group> {
        let mut groups: Vec<Group> = [
            ("mons", Role::Mon),
            ("mgrs", Role::Mgr),
            ("mdss", Role::Mds),
            ("osds", Role::Osd),
            ("clients", Role::CephClient),
        ]
        .into_iter()
        .map(|(name, role)| Group::of_role(name, role, plan))
        .filter(|g| !g.hosts.is_empty())
        .collect();
        if let Some(host) = &plan.ceph.monitoring_host {
            groups.push(Group {
                name: "monitoring",
                hosts: vec![host.clone()],
                children: Vec::new(),
                role: None,
                var_group: None,
            });
        }
        groups
    }

    fn context(&self, plan: &Plan) -> Value {
        let cephfs_pools = cephfs_pool_names(plan);
        let pool_vars_by_name: IndexMap<&str, IndexMap<&str, Value>> = plan
            .ceph
            .pools
            .iter()
            .map(|p| (p.name.as_str(), pool_vars(p, false)))
            .collect();
        let client_pools: Vec<IndexMap<&str, Value>> = plan
            .ceph
            .pools
            .iter()
            .filter(|p| !cephfs_pools.contains(&p.name.as_str()))
            .map(|p| pool_vars(p, true))
            .collect();
        let (origin, repository) = match plan.ceph.origin {
            CephOrigin::Community => ("repository", Some("community")),
            CephOrigin::Distro => ("distro", None),
        };
        context! {
            ceph_ansible_release => self.release(),
            ceph_origin => origin,
            ceph_repository => repository,
            pool_vars => Value::from(minijinja::value::Serde(pool_vars_by_name)),
            client_pools => Value::from(minijinja::value::Serde(client_pools)),
            pool_settings => pool_settings(plan),
            csi_keys => csi_keys(plan),
            first_mon => "mons[0]",
        }
    }

    fn files(&self, plan: &Plan) -> Vec<File> {
        let mut files = vec![File::new(
            "group_vars/all/ceph.yml",
            "group_vars/all/ceph.yml.j2",
        )];
        let cephfs = cephfs_pool_names(plan);
        let client_pools = plan
            .ceph
            .pools
            .iter()
            .any(|p| !cephfs.contains(&p.name.as_str()));
        if client_pools || !plan.ceph.csi_users.is_empty() {
            files.push(File::new(
                "group_vars/clients/ceph.yml",
                "group_vars/clients/ceph.yml.j2",
            ));
        }
        if !plan.ceph.pools.is_empty() {
            files.push(File::new(POOLS_PLAYBOOK, "playbooks/ceph-pools.yml.j2"));
        }
        files
    }

    fn host_vars(&self, _: &Host) -> bool {
        true
    }

    fn deploy(&self, plan: &Plan) -> Deploy {
        Deploy {
            stage: Stage::Ceph,
            enter: Some("ceph-ansible && cp site.yml.sample site.yml"),
            playbook: Some("-e yes_i_know=true site.yml"),
            then: if plan.ceph.pools.is_empty() {
                Vec::new()
            } else {
                vec![POOLS_PLAYBOOK.to_owned()]
            },
        }
    }
}
