//! ceph-csi v3.12 (Helm charts ceph-csi-cephfs and ceph-csi-rbd 3.12.2): the values that connect
//! the drivers to the cluster, and the playbook that installs them after kubespray.

use crate::plan::Plan;
use crate::spec::StorageKind;
use minijinja::value::Serde;
use minijinja::{Value, context};

/// The chart version installed.
pub const CHART_VERSION: &str = "3.12.2";

/// One Helm release: a chart, its values file, and where the user's key goes in its values.
struct Release {
    kind: StorageKind,
    chart: &'static str,
    /// The chart's secret field for the key (cephfs: adminKey, rbd: userKey).
    key_field: &'static str,
    /// The chart's secret field for the user id.
    id_field: &'static str,
}

const RELEASES: [Release; 2] = [
    Release {
        kind: StorageKind::Cephfs,
        chart: "ceph-csi-cephfs",
        key_field: "adminKey",
        id_field: "adminID",
    },
    Release {
        kind: StorageKind::Rbd,
        chart: "ceph-csi-rbd",
        key_field: "userKey",
        id_field: "userID",
    },
];

fn values_path(chart: &str) -> String {
    format!("ceph-csi/{chart}-values.yml")
}

/// Template context: per release, the class, the user, and the playbook's expressions.
pub fn context(plan: &Plan) -> Value {
    let releases: Vec<Value> = RELEASES
        .iter()
        .filter_map(|release| {
            let class = plan
                .kubernetes
                .storage
                .iter()
                .find(|c| c.kind == release.kind)?;
            let user = plan
                .ceph
                .csi_users
                .iter()
                .find(|u| u.driver == release.kind)?;
            let values = values_path(release.chart);
            // Read the values on the Ansible controller and add the key from the vault there:
            // the key never sits in a file of the inventory.
            let values_expr = format!(
                "{{{{ lookup('ansible.builtin.file', inventory_dir ~ '/{values}') | from_yaml \
                 | combine({{'secret': {{'{}': {}}}}}, recursive=true) }}}}",
                release.key_field, user.key_var
            );
            Some(context! {
                kind => release.kind.as_str(),
                chart => release.chart,
                namespace => release.chart,
                values_file => values,
                values_expr => super::yaml::jinja(values_expr),
                id_field => release.id_field,
                key_field => release.key_field,
                class => Value::from(Serde(class)),
                user => Value::from(Serde(user)),
            })
        })
        .collect();
    context! {
        chart_version => CHART_VERSION,
        csi_releases => releases,
        after_kubespray => if plan.kubernetes.storage.is_empty() { vec![] } else { vec!["playbooks/ceph-csi.yml"] },
    }
}

/// Files: (output path, template).
pub fn files(plan: &Plan) -> Vec<(String, &'static str)> {
    let mut files: Vec<(String, &'static str)> = RELEASES
        .iter()
        .filter(|release| {
            plan.kubernetes
                .storage
                .iter()
                .any(|c| c.kind == release.kind)
        })
        .map(|release| {
            let template = match release.kind {
                StorageKind::Cephfs => "ceph-csi-3.12/ceph-csi/ceph-csi-cephfs-values.yml.j2",
                StorageKind::Rbd => "ceph-csi-3.12/ceph-csi/ceph-csi-rbd-values.yml.j2",
            };
            (values_path(release.chart), template)
        })
        .collect();
    if !files.is_empty() {
        files.push((
            "playbooks/ceph-csi.yml".to_owned(),
            "ceph-csi-3.12/playbooks/ceph-csi.yml.j2",
        ));
    }
    files
}
