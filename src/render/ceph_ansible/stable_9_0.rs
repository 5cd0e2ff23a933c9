//! ceph-ansible stable-9.0 (Ceph squid): the branch the templates in
//! `templates/ceph-ansible-stable-9.0` are written for.

use super::CephAnsible;
use crate::spec::CephAnsibleRelease;

/// ceph-ansible stable-9.0 as a target.
pub const TARGET: CephAnsible = CephAnsible {
    release: CephAnsibleRelease::Stable9_0,
    namespace: "ceph-ansible-stable-9.0",
    inherits: None,
};
