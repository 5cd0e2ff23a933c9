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
}

/// v2.31.0: checksums for Kubernetes 1.33.0 to 1.35.4.
const V2_31: Kubespray = Kubespray {
    label: "v2.31",
    kube_versions: &[(33, 11), (34, 7), (35, 4)],
};

/// v2.30.0: checksums for Kubernetes 1.32.0 to 1.34.3.
const V2_30: Kubespray = Kubespray {
    label: "v2.30",
    kube_versions: &[(32, 11), (33, 7), (34, 3)],
};

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
        let parts: Vec<u32> = match bare.split('.').map(str::parse).collect() {
            Ok(parts) => parts,
            Err(_) => {
                return Err(format!(
                    "`{version}` is not a Kubernetes version: write it as {}",
                    self.newest()
                ));
            }
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
}
