//! What each kubespray release is: its label and the Kubernetes versions it can install.

use crate::spec::KubesprayRelease;

/// One kubespray release.
#[derive(Debug)]
pub struct Kubespray {
    /// The release as its tag names it, for headers.
    pub label: &'static str,
    /// Kubernetes versions the release has checksums for: minor → highest patch, ascending
    /// (`roles/kubespray_defaults/vars/main/checksums.yml`).
    kube_versions: &'static [(u32, u32)],
    /// The Kubernetes minors the CSI snapshot controller has an image for
    /// (`snapshot_controller_supported_versions`,
    /// `roles/kubespray_defaults/defaults/main/download.yml`).
    snapshot_controller_minors: &'static [u32],
    /// Variables users set that the release ignores without a word: name, and what to say
    /// (why, and what to do instead).
    pub ignored_variables: &'static [(&'static str, &'static str)],
}

/// v2.31.0: checksums for Kubernetes 1.33.0 to 1.35.4.
const V2_31: Kubespray = Kubespray {
    label: "v2.31",
    kube_versions: &[(33, 11), (34, 7), (35, 4)],
    snapshot_controller_minors: &[33, 34, 35],
    ignored_variables: &[
        (
            "ingress_nginx_enabled",
            "kubespray v2.31 has no ingress-nginx (removed); it would ignore this silently; \
             install an ingress or Gateway controller yourself (kubernetes.addons.gateway_api \
             gives the CRDs), and remove this",
        ),
        (
            "dashboard_enabled",
            "kubespray v2.31 has no Kubernetes Dashboard (removed); it would ignore this \
             silently; install the dashboard yourself (its Helm chart), and remove this",
        ),
        (
            "deploy_netchecker",
            "kubespray v2.31 has no netchecker (removed); it would ignore this silently; \
             remove it",
        ),
        (
            "scheduler_plugins_enabled",
            "kubespray v2.31 installs the scheduler plugins only on Kubernetes older than 1.29, \
             and it installs 1.33 or newer: it would ignore this silently; remove it",
        ),
    ],
};

/// v2.30.0: checksums for Kubernetes 1.32.0 to 1.34.3.
const V2_30: Kubespray = Kubespray {
    label: "v2.30",
    kube_versions: &[(32, 11), (33, 7), (34, 3)],
    snapshot_controller_minors: &[32, 33, 34],
    ignored_variables: &[(
        "scheduler_plugins_enabled",
        "kubespray v2.30 installs the scheduler plugins only on Kubernetes older than 1.29, and \
         it installs 1.32 or newer: it would ignore this silently; remove it",
    )],
};

/// A version's numbers, with or without a leading `v` (`v1.35.4`: 1, 35, 4); `None` when a part
/// is not a number.
fn numbers(version: &str) -> Option<Vec<u32>> {
    let bare = version.strip_prefix('v').unwrap_or(version);
    bare.split('.').map(|part| part.parse().ok()).collect()
}

/// The facts of a release.
pub fn facts(release: KubesprayRelease) -> &'static Kubespray {
    match release {
        KubesprayRelease::V2_31 => &V2_31,
        KubesprayRelease::V2_30 => &V2_30,
    }
}

impl Kubespray {
    /// Checks a Kubernetes version (with or without a leading `v`) against what the release
    /// installs; the error says what to write.
    pub fn kube_version(&self, version: &str) -> Result<(), String> {
        let bare = version.strip_prefix('v').unwrap_or(version);
        let Some(parts) = numbers(version) else {
            return Err(format!(
                "`{version}` is not a Kubernetes version: write it as {}",
                self.newest()
            ));
        };
        let [1, minor, patch] = parts[..] else {
            return Err(format!(
                "`{version}` is not a full Kubernetes version: write major.minor.patch, e.g. {}",
                self.newest()
            ));
        };
        match self.kube_versions.iter().find(|(m, _)| *m == minor) {
            Some((_, highest)) if patch <= *highest => Ok(()),
            _ => Err(format!(
                "kubespray {} cannot install Kubernetes {bare} (it has checksums for {}); pick \
                 one of those",
                self.label,
                self.supported()
            )),
        }
    }

    /// Checks that the CSI snapshot controller exists for a Kubernetes version the release
    /// installs (`None`: the release's default, its newest); the error says what to write.
    pub fn snapshot_controller(&self, version: Option<&str>) -> Result<(), String> {
        let minor = match version {
            None => self.kube_versions[self.kube_versions.len() - 1].0,
            Some(version) => match numbers(version).as_deref() {
                Some([_, minor, ..]) => *minor,
                // Not a version: kube_version reports it.
                _ => return Ok(()),
            },
        };
        if self.snapshot_controller_minors.contains(&minor) {
            return Ok(());
        }
        let minors: Vec<String> = self
            .snapshot_controller_minors
            .iter()
            .map(|m| format!("1.{m}"))
            .collect();
        Err(format!(
            "kubespray {} has a CSI snapshot controller for Kubernetes {} only, not 1.{minor}: \
             pick one of those in kubernetes.version, or set snapshot_controller: false (and \
             snapshots: false on the storage classes)",
            self.label,
            minors.join(", ")
        ))
    }

    /// The newest version the release installs.
    fn newest(&self) -> String {
        let (minor, patch) = self.kube_versions[self.kube_versions.len() - 1];
        format!("1.{minor}.{patch}")
    }

    /// The range of versions the release installs, as a user reads it.
    fn supported(&self) -> String {
        format!("1.{}.0 to {}", self.kube_versions[0].0, self.newest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        let v2_31 = facts(KubesprayRelease::V2_31);
        assert!(v2_31.kube_version("1.35.4").is_ok());
        assert!(v2_31.kube_version("v1.33.0").is_ok());
        assert!(
            v2_31
                .kube_version("1.35.5")
                .unwrap_err()
                .contains("1.33.0 to 1.35.4")
        );
        assert!(v2_31.kube_version("1.32.9").is_err());
        assert!(
            v2_31
                .kube_version("1.35")
                .unwrap_err()
                .contains("major.minor.patch")
        );
        assert!(v2_31.kube_version("latest").is_err());
        let v2_30 = facts(KubesprayRelease::V2_30);
        assert!(v2_30.kube_version("1.32.0").is_ok());
        assert!(v2_30.kube_version("1.34.3").is_ok());
        let newer = v2_30.kube_version("1.35.4").unwrap_err();
        assert!(newer.contains("kubespray v2.30") && newer.contains("1.32.0 to 1.34.3"));
    }

    #[test]
    fn snapshot_controller_minors() {
        let v2_31 = facts(KubesprayRelease::V2_31);
        assert!(v2_31.snapshot_controller(None).is_ok());
        assert!(v2_31.snapshot_controller(Some("1.33.0")).is_ok());
        assert!(v2_31.snapshot_controller(Some("v1.35.4")).is_ok());
        let old = v2_31.snapshot_controller(Some("1.32.5")).unwrap_err();
        assert!(
            old.contains("kubespray v2.31")
                && old.contains("1.33, 1.34, 1.35")
                && old.contains("not 1.32"),
            "{old}"
        );
        let v2_30 = facts(KubesprayRelease::V2_30);
        assert!(v2_30.snapshot_controller(None).is_ok());
        assert!(v2_30.snapshot_controller(Some("1.32.0")).is_ok());
        assert!(v2_30.snapshot_controller(Some("1.35.0")).is_err());
        let made_up = Kubespray {
            label: "vX",
            kube_versions: &[(33, 1), (34, 1)],
            snapshot_controller_minors: &[33],
            ignored_variables: &[],
        };
        assert!(
            made_up
                .snapshot_controller(None)
                .unwrap_err()
                .contains("not 1.34")
        );
    }
}
