//! Lays a plan out as files with minijinja templates (strict undefined). Templates only place
//! values; the per-release modules say what each value is called by that release.

pub mod ceph_ansible_stable_9_0;
pub mod ceph_csi_3_12;
pub mod extra_vars;
pub mod kubespray_2_31;
pub mod text;
mod tree;
pub mod yaml;

use crate::plan::Plan;
use crate::spec::{Role, VarGroup};
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value, context};
use serde::Serialize;
pub use tree::Tree;

/// Why rendering failed: a template bug. (What the spec can get wrong, extra_vars that
/// clash with generated variables included, `check` refuses before.)
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed (a bug in cephspray).
    #[error("internal template error in {template}: {source}")]
    Template {
        /// The template.
        template: String,
        /// minijinja's error.
        source: minijinja::Error,
    },
}

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// Where the encrypted secrets go: read by every host, as `group_vars/all/*` is.
pub const VAULT_PATH: &str = "group_vars/all/vault.yml";

const TEMPLATES: [(&str, &str); 16] = templates![
    "common/header.j2",
    "common/vault.yml.j2",
    "common/hosts.yml.j2",
    "common/host_vars.yml.j2",
    "common/extra_vars.yml.j2",
    "common/README.md.j2",
    "kubespray-2.31/host_vars.yml.j2",
    "kubespray-2.31/group_vars/k8s_cluster/k8s-cluster.yml.j2",
    "kubespray-2.31/group_vars/k8s_cluster/addons.yml.j2",
    "ceph-ansible-stable-9.0/host_vars.yml.j2",
    "ceph-ansible-stable-9.0/group_vars/all/ceph.yml.j2",
    "ceph-ansible-stable-9.0/group_vars/clients/ceph.yml.j2",
    "ceph-ansible-stable-9.0/playbooks/ceph-pools.yml.j2",
    "ceph-csi-3.12/ceph-csi/ceph-csi-cephfs-values.yml.j2",
    "ceph-csi-3.12/ceph-csi/ceph-csi-rbd-values.yml.j2",
    "ceph-csi-3.12/playbooks/ceph-csi.yml.j2",
];

/// One inventory group in hosts.yml.
#[derive(Serialize)]
struct Group {
    name: &'static str,
    hosts: Vec<String>,
    children: Vec<&'static str>,
}

/// A template environment as every cephspray template expects it: strict undefined, files end
/// as written, no HTML escaping, every `{{ … }}` on one line (see [`text::formatter`]), and the
/// YAML-safe `yaml` filter, which writes strings as they are (the spec that `init` writes).
pub(crate) fn base_environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .expect("valid syntax"),
    );
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_formatter(text::formatter);
    env.add_filter("yaml", |value: &Value, indent: Option<usize>| {
        yaml::yaml(value, indent, yaml::Strings::Plain).map(Value::from_safe_string)
    });
    env
}

/// The inventory's environment: `yaml` writes spec strings so that Ansible cannot template them
/// (`!unsafe`), `yaml_plain` writes strings as they are (extra_vars, Helm values), and the
/// Markdown filters of the README.
fn environment() -> Environment<'static> {
    let mut env = base_environment();
    env.add_filter("yaml", |value: &Value, indent: Option<usize>| {
        yaml::yaml(value, indent, yaml::Strings::Data).map(Value::from_safe_string)
    });
    env.add_filter("yaml_plain", |value: &Value, indent: Option<usize>| {
        yaml::yaml(value, indent, yaml::Strings::Plain).map(Value::from_safe_string)
    });
    env.add_filter("md_code", |text: &str| text::md_code(text));
    env.add_filter("md_text", |text: &str| text::md_text(text));
    env.add_filter("html_comment", |text: &str| text::html_comment(text));
    env.add_filter("shell_word", |text: &str| text::shell_word(text));
    for (name, source) in TEMPLATES {
        env.add_template(name, source).expect("templates compile");
    }
    env
}

/// Renders the whole inventory directory in memory.
pub fn render(plan: &Plan) -> Result<Tree, RenderError> {
    let env = environment();
    let base = minijinja::value::merge_maps([
        context! {
            plan => Value::from(Serde(plan)),
            groups => Value::from(Serde(groups(plan))),
            vault => vault_refs(plan),
            secrets => plan.secrets.iter().map(|s| context! { name => s.name.as_str(), var => s.vault_var.clone() }).collect::<Vec<_>>(),
            vault_path => VAULT_PATH,
            after_site => ceph_ansible_stable_9_0::after_site_playbooks(plan),
        },
        kubespray_2_31::context(plan),
        ceph_ansible_stable_9_0::context(plan),
        ceph_csi_3_12::context(plan),
    ]);
    let mut tree = Tree::default();
    let render = |template: &str, ctx: Value| {
        env.get_template(template)
            .and_then(|t| t.render(ctx))
            .map_err(|source| RenderError::Template {
                template: template.to_owned(),
                source,
            })
    };
    tree.insert("README.md", render("common/README.md.j2", base.clone())?);
    tree.insert("hosts.yml", render("common/hosts.yml.j2", base.clone())?);
    let group_files = kubespray_2_31::FILES
        .into_iter()
        .chain(ceph_ansible_stable_9_0::files(plan));
    for (path, template) in group_files {
        tree.insert(path, render(template, base.clone())?);
    }
    for (path, template) in ceph_csi_3_12::files(plan) {
        tree.insert(path, render(template, base.clone())?);
    }
    for host in &plan.hosts {
        let ctx = minijinja::value::merge_maps([
            context! { host => Value::from(Serde(host)) },
            base.clone(),
        ]);
        tree.insert(
            format!("host_vars/{}.yml", host.name),
            render("common/host_vars.yml.j2", ctx)?,
        );
    }
    for (group, vars) in &plan.extra_vars {
        if vars.is_empty() {
            continue;
        }
        let dir = var_group_dir(*group);
        let ctx = context! { spec_group => spec_name(*group), vars => Value::from(Serde(vars)), ..base.clone() };
        tree.insert(
            format!("group_vars/{dir}/extra-vars.yml"),
            render("common/extra_vars.yml.j2", ctx)?,
        );
    }
    Ok(tree)
}

/// `{{ vault_… }}` references to each secret, by secret name, for the plain files: templated by
/// Ansible on purpose.
fn vault_refs(plan: &Plan) -> Value {
    Value::from_pairs(plan.secrets.iter().map(|s| {
        (
            s.name.as_str(),
            yaml::jinja(format!("{{{{ {} }}}}", s.vault_var)),
        )
    }))
}

/// The vault's plaintext: one variable per secret.
pub fn vault_plaintext(
    plan: &Plan,
    values: &crate::secrets::SecretValues,
) -> Result<String, RenderError> {
    let values: indexmap::IndexMap<&str, &str> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    environment()
        .get_template("common/vault.yml.j2")
        .and_then(|t| {
            t.render(
                context! { plan => Value::from(Serde(plan)), values => Value::from(Serde(values)) },
            )
        })
        .map_err(|source| RenderError::Template {
            template: "common/vault.yml.j2".to_owned(),
            source,
        })
}

/// hosts.yml groups: kubespray's, with k8s_cluster declared as their parent, then ceph-ansible's
/// (those with members).
fn groups(plan: &Plan) -> Vec<Group> {
    let role_groups = |name_of: fn(Role) -> Option<&'static str>| {
        Role::ALL.into_iter().filter_map(move |role| {
            name_of(role).map(|name| Group {
                name,
                hosts: plan.members[&role].clone(),
                children: Vec::new(),
            })
        })
    };
    let mut groups: Vec<Group> = role_groups(kubespray_2_31::group).collect();
    groups.push(Group {
        name: "k8s_cluster",
        hosts: Vec::new(),
        children: vec!["kube_control_plane", "kube_node"],
    });
    groups.extend(role_groups(ceph_ansible_stable_9_0::group).filter(|g| !g.hosts.is_empty()));
    let monitoring = ceph_ansible_stable_9_0::monitoring_hosts(plan);
    if !monitoring.is_empty() {
        groups.push(Group {
            name: "monitoring",
            hosts: monitoring,
            children: Vec::new(),
        });
    }
    groups
}

fn var_group_dir(group: VarGroup) -> &'static str {
    match group {
        VarGroup::All => "all",
        other => kubespray_2_31::var_group(other)
            .or_else(|| ceph_ansible_stable_9_0::var_group(other))
            .expect("every group belongs to one consumer"),
    }
}

fn spec_name(group: VarGroup) -> String {
    serde_json::to_value(group)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
