//! kubespray v2.31.0: the release the templates in `templates/kubespray-2.31` are written for.

use super::Kubespray;
use crate::spec::KubesprayRelease;

/// kubespray v2.31 as a target.
pub const TARGET: Kubespray = Kubespray {
    release: KubesprayRelease::V2_31,
    namespace: "kubespray-2.31",
    anonymous_paths: true,
    inherits: None,
};
