//! Scheduled etcd snapshots: `playbooks/etcd-backup.yml`, run after kubespray's `cluster.yml`
//! on its `etcd` group, installs on every member a script that saves a snapshot through
//! kubespray's etcdctl and certificates, checks it and keeps the newest ones, and the systemd
//! service and timer that run it (docs/backups.md). Not a consumer's release: the playbook is
//! cephspray's own, written only when the spec turns `kubernetes.addons.etcd_backup` on.

use super::target::{Deploy, File, Group, Stage, Target};
use crate::plan::{Host, Plan};
use minijinja::{Value, context};

/// The snapshots as a target (it writes nothing when the spec does not ask for them).
pub struct EtcdBackup;

/// The one value of [`EtcdBackup`].
pub const ETCD_BACKUP: EtcdBackup = EtcdBackup;

/// The playbook that installs the timer.
const PLAYBOOK: &str = "playbooks/etcd-backup.yml";

impl Target for EtcdBackup {
    fn namespace(&self) -> &'static str {
        "etcd-backup"
    }

    fn label(&self, _: &Plan) -> Option<String> {
        None
    }

    fn groups(&self, _: &Plan) -> Vec<Group> {
        Vec::new()
    }

    fn context(&self, plan: &Plan) -> Value {
        match &plan.kubernetes.addons.etcd_backup {
            Some(backup) => context! { on_calendar => unit_value(&backup.schedule) },
            None => context! {},
        }
    }

    fn files(&self, plan: &Plan) -> Vec<File> {
        if plan.kubernetes.addons.etcd_backup.is_none() {
            return Vec::new();
        }
        vec![File::new(PLAYBOOK, "playbooks/etcd-backup.yml.j2")]
    }

    fn host_vars(&self, _: &Host) -> bool {
        false
    }

    fn deploy(&self, plan: &Plan) -> Deploy {
        Deploy {
            stage: Stage::Kubernetes,
            enter: None,
            playbook: None,
            then: if plan.kubernetes.addons.etcd_backup.is_some() {
                vec![PLAYBOOK.to_owned()]
            } else {
                Vec::new()
            },
        }
    }
}

/// A value as a systemd unit file setting holds it literally where systemd expands specifiers
/// (`OnCalendar=` does): `%` doubled. Line breaks and a trailing backslash are not escaped here:
/// check refuses such a schedule, and the playbook runs `systemd-analyze calendar` on it before
/// it writes the timer.
fn unit_value(text: &str) -> String {
    text.replace('%', "%%")
}

#[cfg(test)]
mod tests {
    use super::unit_value;

    #[test]
    fn specifiers_are_escaped() {
        assert_eq!(unit_value("daily"), "daily");
        assert_eq!(unit_value("*-*-* 03:00:00"), "*-*-* 03:00:00");
        assert_eq!(unit_value("%H"), "%%H");
    }
}
