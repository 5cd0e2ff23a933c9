//! Facts about kubespray v2.31 that `check` and `render` both need: its label and the
//! Kubernetes versions it can install.

/// Release label for headers.
pub const RELEASE: &str = "v2.31";

/// Kubernetes versions kubespray v2.31 has checksums for: minor → highest patch.
const KUBE_VERSIONS: [(u32, u32); 3] = [(33, 11), (34, 7), (35, 4)];

/// Checks a Kubernetes version (with or without a leading `v`) against what v2.31 installs.
pub fn kube_version(version: &str) -> Result<(), String> {
    let bare = version.strip_prefix('v').unwrap_or(version);
    let supported = || {
        let (lo, hi) = (KUBE_VERSIONS[0], KUBE_VERSIONS[KUBE_VERSIONS.len() - 1]);
        format!("1.{}.0 to 1.{}.{}", lo.0, hi.0, hi.1)
    };
    let parts: Vec<u32> = match bare.split('.').map(str::parse).collect() {
        Ok(parts) => parts,
        Err(_) => {
            return Err(format!(
                "`{version}` is not a Kubernetes version: write it as 1.35.4"
            ));
        }
    };
    let [1, minor, patch] = parts[..] else {
        return Err(format!(
            "`{version}` is not a full Kubernetes version: write major.minor.patch, e.g. 1.35.4"
        ));
    };
    match KUBE_VERSIONS.iter().find(|(m, _)| *m == minor) {
        Some((_, highest)) if patch <= *highest => Ok(()),
        _ => Err(format!(
            "kubespray {RELEASE} cannot install Kubernetes {bare} (it has checksums for {}); pick one of those",
            supported()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(kube_version("1.35.4").is_ok());
        assert!(kube_version("v1.33.0").is_ok());
        assert!(
            kube_version("1.35.5")
                .unwrap_err()
                .contains("1.33.0 to 1.35.4")
        );
        assert!(kube_version("1.32.9").is_err());
        assert!(
            kube_version("1.35")
                .unwrap_err()
                .contains("major.minor.patch")
        );
        assert!(kube_version("latest").is_err());
    }
}
