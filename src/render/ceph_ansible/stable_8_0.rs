//! ceph-ansible stable-8.0 (Ceph reef). Every variable cephspray writes is read by stable-8.0
//! under the same name, with the same meaning and default, as by stable-9.0 (the modules
//! `ceph_pool`, `ceph_crush` and `ceph_fs`, `site.yml.sample` and `ceph-validate`'s main tasks are
//! the same files), so it uses stable-9.0's templates; what differs is the release it deploys
//! (`ceph_stable_release` must be `reef`, which the plan takes from
//! [`crate::targets::ceph_ansible`]) and the Ansible it runs under (ansible-core 2.15 or 2.16).

use super::CephAnsible;
use crate::spec::CephAnsibleRelease;

/// ceph-ansible stable-8.0 as a target.
pub const TARGET: CephAnsible = CephAnsible {
    release: CephAnsibleRelease::Stable8_0,
    namespace: "ceph-ansible-stable-8.0",
    inherits: Some("ceph-ansible-stable-9.0"),
};
