//! ceph-csi v3.12 (Helm charts ceph-csi-cephfs and ceph-csi-rbd 3.12.2): the values that connect
//! the drivers to the cluster, and the playbook that installs them after kubespray.

use super::target::{Deploy, File, Group, Stage, Target};
use crate::plan::{Host, Plan};
use crate::spec::StorageKind;
use minijinja::value::Serde;
use minijinja::{Value, context};

/// The ceph-csi 3.12 charts as a target: values files and the playbook that installs them.
pub struct CephCsi3_12;

/// The one value of [`CephCsi3_12`].
pub const CEPH_CSI: CephCsi3_12 = CephCsi3_12;

/// The playbook that installs the charts.
const PLAYBOOK: &str = "playbooks/ceph-csi.yml";

/// The VolumeSnapshotClasses of the storage classes that ask for snapshots.
const SNAPSHOT_CLASSES: &str = "ceph-csi/snapshot-classes.yml";

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
    /// The CSI driver's name (the chart's `driverName`, its storage class's provisioner).
    driver: &'static str,
    /// The Secret the chart creates with the user and key (its `secret.name`), which the
    /// snapshot class names for the snapshotter too.
    secret: &'static str,
}

const RELEASES: [Release; 2] = [
    Release {
        kind: StorageKind::Cephfs,
        chart: "ceph-csi-cephfs",
        key_field: "adminKey",
        id_field: "adminID",
        driver: "cephfs.csi.ceph.com",
        secret: "csi-cephfs-secret",
    },
    Release {
        kind: StorageKind::Rbd,
        chart: "ceph-csi-rbd",
        key_field: "userKey",
        id_field: "userID",
        driver: "rbd.csi.ceph.com",
        secret: "csi-rbd-secret",
    },
];

fn values_path(chart: &str) -> String {
    format!("ceph-csi/{chart}-values.yml")
}

impl Target for CephCsi3_12 {
    fn namespace(&self) -> &'static str {
        "ceph-csi-3.12"
    }

    fn label(&self, _: &Plan) -> Option<String> {
        None
    }

    fn groups(&self, _: &Plan) -> Vec<Group> {
        Vec::new()
    }

    /// Per release, the class, the user, and the playbook's expressions.
    fn context(&self, plan: &Plan) -> Value {
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
                    driver => release.driver,
                    secret => release.secret,
                    class => Value::from(Serde(class)),
                    user => Value::from(Serde(user)),
                })
            })
            .collect();
        context! {
            chart_version => CHART_VERSION,
            // Read on the Ansible controller, as the values are.
            snapshot_classes => plan.kubernetes.storage.iter().any(|c| c.snapshots).then(|| {
                super::yaml::jinja(format!(
                    "{{{{ lookup('ansible.builtin.file', inventory_dir ~ '/{SNAPSHOT_CLASSES}') }}}}"
                ))
            }),
            csi_releases => releases,
        }
    }

    fn files(&self, plan: &Plan) -> Vec<File> {
        let mut files: Vec<File> = RELEASES
            .iter()
            .filter(|release| {
                plan.kubernetes
                    .storage
                    .iter()
                    .any(|c| c.kind == release.kind)
            })
            .map(|release| {
                let template = match release.kind {
                    StorageKind::Cephfs => "ceph-csi/ceph-csi-cephfs-values.yml.j2",
                    StorageKind::Rbd => "ceph-csi/ceph-csi-rbd-values.yml.j2",
                };
                File::new(values_path(release.chart), template)
            })
            .collect();
        if plan.kubernetes.storage.iter().any(|c| c.snapshots) {
            files.push(File::new(
                SNAPSHOT_CLASSES,
                "ceph-csi/snapshot-classes.yml.j2",
            ));
        }
        if !files.is_empty() {
            files.push(File::new(PLAYBOOK, "playbooks/ceph-csi.yml.j2"));
        }
        files
    }

    fn host_vars(&self, _: &Host) -> bool {
        false
    }

    fn deploy(&self, plan: &Plan) -> Deploy {
        Deploy {
            stage: Stage::Workloads,
            enter: None,
            playbook: None,
            then: if plan.kubernetes.storage.is_empty() {
                Vec::new()
            } else {
                vec![PLAYBOOK.to_owned()]
            },
        }
    }
}
