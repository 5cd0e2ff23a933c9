//! Lays a plan out as files with minijinja templates (strict undefined). Templates only place
//! values; each target (one module per release, see [`target`]) says what each value is called
//! by that release, in its own template directory.

pub mod ceph_ansible;
pub mod ceph_csi_3_12;
mod environment;
mod error;
pub mod etcd_backup;
pub mod extra_vars;
pub mod firewall;
pub mod kubespray;
pub mod network;
pub mod target;
pub mod text;
mod tree;
mod vault;
pub mod yaml;

use crate::plan::Plan;
pub(crate) use environment::base_environment;
pub use error::RenderError;
use minijinja::value::{Serde, merge_maps};
use minijinja::{Value, context};
use target::Target;
pub use tree::Tree;
pub use vault::{VAULT_PATH, vault_plaintext};

/// Renders the whole inventory directory in memory.
pub fn render(plan: &Plan) -> Result<Tree, RenderError> {
    let env = environment::environment();
    let targets = target::selected(plan);
    let groups: Vec<target::Group> = targets.iter().flat_map(|t| t.groups(plan)).collect();
    let role_groups = Value::from_pairs(
        groups
            .iter()
            .filter_map(|g| g.role.map(|role| (role.as_str(), g.name))),
    );
    let mut deploy: Vec<target::Deploy> = targets.iter().map(|t| t.deploy(plan)).collect();
    deploy.sort_by_key(|d| d.stage);
    let base = context! {
        plan => Value::from(Serde(plan)),
        role_groups,
        vault => vault::references(plan),
        secrets => plan.secrets.iter().map(|s| context! { name => s.label.as_str(), var => s.vault_var.clone() }).collect::<Vec<_>>(),
        vault_path => VAULT_PATH,
    };
    let contexts: Vec<Value> = targets
        .iter()
        .map(|t| merge_maps([t.context(plan), base.clone()]))
        .collect();
    let render = |template: &str, ctx: Value| environment::render(&env, template, ctx);

    let mut tree = Tree::default();
    let labels: Vec<String> = targets.iter().filter_map(|t| t.label(plan)).collect();
    tree.insert(
        "README.md",
        render(
            "common/README.md.j2",
            context! { labels, order => target::order(&deploy), deploy => Value::from(Serde(&deploy)), ..base.clone() },
        )?,
    );
    tree.insert(
        "hosts.yml",
        render(
            "common/hosts.yml.j2",
            context! { groups => Value::from(Serde(&groups)), ..base.clone() },
        )?,
    );
    for (target, ctx) in targets.iter().zip(&contexts) {
        for file in target.files(plan) {
            let template = template_of(&env, *target, file.template);
            let ctx = match file.host {
                Some(i) => context! { host => Value::from(Serde(&plan.hosts[i])), ..ctx.clone() },
                None => ctx.clone(),
            };
            tree.insert(file.path, render(&template, ctx)?);
        }
    }
    for host in &plan.hosts {
        let mut parts = Vec::new();
        for (target, ctx) in targets.iter().zip(&contexts) {
            if target.host_vars(host) {
                let template = template_of(&env, *target, "host_vars.yml.j2");
                let ctx = context! { host => Value::from(Serde(host)), ..ctx.clone() };
                parts.push(Value::from_safe_string(render(&template, ctx)?));
            }
        }
        tree.insert(
            format!("host_vars/{}.yml", host.name),
            render(
                "common/host_vars.yml.j2",
                context! { parts, ..base.clone() },
            )?,
        );
    }
    for (group, vars) in &plan.extra_vars {
        if vars.is_empty() {
            continue;
        }
        let key = group.as_str();
        let dir = match group {
            crate::spec::VarGroup::All => "all",
            _ => groups
                .iter()
                .find(|g| g.var_group == Some(*group))
                .map(|g| g.name)
                .ok_or_else(|| RenderError::NoGroup(key.to_owned()))?,
        };
        let ctx = context! { spec_group => key, vars => Value::from(Serde(vars)), ..base.clone() };
        tree.insert(
            format!("group_vars/{dir}/extra-vars.yml"),
            render("common/extra_vars.yml.j2", ctx)?,
        );
    }
    Ok(tree)
}

/// A target's template: its own, else the one of the release it inherits from.
fn template_of(env: &minijinja::Environment, target: &dyn Target, name: &str) -> String {
    let own = format!("{}/{name}", target.namespace());
    match target.inherits() {
        Some(base) if env.get_template(&own).is_err() => format!("{base}/{name}"),
        _ => own,
    }
}
