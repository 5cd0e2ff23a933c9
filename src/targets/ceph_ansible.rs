//! What each ceph-ansible branch is: its label and the Ceph release it installs.

use crate::spec::{CephAnsibleRelease, CephRelease};

/// One ceph-ansible branch.
#[derive(Debug)]
pub struct CephAnsible {
    /// The branch's name, for headers.
    pub label: &'static str,
    /// The one Ceph release the branch deploys (its `ceph_stable_release` default, the release
    /// its roles and modules are written for).
    pub ceph_release: CephRelease,
}

/// stable-9.0 (tree at commit aeec95c8): squid only.
const STABLE_9_0: CephAnsible = CephAnsible {
    label: CephAnsibleRelease::Stable9_0.as_str(),
    ceph_release: CephRelease::Squid,
};

/// stable-8.0 (tree at commit 1a613004): reef only (`check_repository.yml:13-19`).
const STABLE_8_0: CephAnsible = CephAnsible {
    label: CephAnsibleRelease::Stable8_0.as_str(),
    ceph_release: CephRelease::Reef,
};

/// The facts of a branch.
pub fn facts(release: CephAnsibleRelease) -> &'static CephAnsible {
    match release {
        CephAnsibleRelease::Stable9_0 => &STABLE_9_0,
        CephAnsibleRelease::Stable8_0 => &STABLE_8_0,
    }
}
