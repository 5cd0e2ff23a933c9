//! The inventory groups `extra_vars` addresses: `all`, `k8s_cluster` or a role's nodes, written
//! as the role's name.

use super::{Role, Spelling};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A group of nodes that `extra_vars` can address: every node, every Kubernetes node, or the
/// nodes of one role (written as the role's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VarGroup {
    /// Every node (`all`).
    All,
    /// Every Kubernetes node, control plane and workers (`k8s_cluster`).
    K8sCluster,
    /// The nodes with a role.
    Role(Role),
}

/// How many groups there are: the two that are not a role, then one per role.
const COUNT: usize = 2 + Role::ALL.len();

impl VarGroup {
    /// Every group, in the order the schema and serde's messages list them: `all`,
    /// `k8s_cluster`, then the roles in [`Role::ALL`] order.
    pub const ALL: [VarGroup; COUNT] = {
        let mut all = [VarGroup::All; COUNT];
        all[1] = VarGroup::K8sCluster;
        let mut i = 0;
        while i < Role::ALL.len() {
            all[2 + i] = VarGroup::Role(Role::ALL[i]);
            i += 1;
        }
        all
    };

    /// The word users write for each group of [`VarGroup::ALL`], in the same order.
    pub const NAMES: [&'static str; COUNT] = {
        let mut names = [""; COUNT];
        let mut i = 0;
        while i < COUNT {
            names[i] = VarGroup::ALL[i].as_str();
            i += 1;
        }
        names
    };

    /// The word users write: the two that are not a role here, a role's from [`Role`].
    pub const fn as_str(self) -> &'static str {
        match self {
            VarGroup::All => "all",
            VarGroup::K8sCluster => "k8s_cluster",
            VarGroup::Role(role) => role.as_str(),
        }
    }
}

impl Spelling for VarGroup {
    const ALL: &'static [Self] = &VarGroup::ALL;
    const NAMES: &'static [&'static str] = &VarGroup::NAMES;

    fn as_str(self) -> &'static str {
        VarGroup::as_str(self)
    }
}

impl From<Role> for VarGroup {
    fn from(role: Role) -> VarGroup {
        VarGroup::Role(role)
    }
}

impl Serialize for VarGroup {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for VarGroup {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        match VarGroup::ALL
            .into_iter()
            .find(|group| group.as_str() == name)
        {
            Some(group) => Ok(group),
            None => Err(serde::de::Error::unknown_variant(&name, &VarGroup::NAMES)),
        }
    }
}

impl JsonSchema for VarGroup {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "VarGroup".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": VarGroup::NAMES })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_is_read_back_from_its_name() {
        assert_eq!(
            VarGroup::NAMES,
            [
                "all",
                "k8s_cluster",
                "control_plane",
                "worker",
                "etcd",
                "mon",
                "mgr",
                "mds",
                "osd",
                "ceph_client",
            ]
        );
        for group in VarGroup::ALL {
            let read: VarGroup = serde_json::from_value(serde_json::json!(group.as_str())).unwrap();
            assert_eq!(read, group);
            assert_eq!(serde_json::to_value(group).unwrap(), group.as_str());
        }
    }
}
