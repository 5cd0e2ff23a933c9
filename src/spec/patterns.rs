//! The regular expressions the schema gives for the spec's strings, shared by the files that
//! declare the fields (`check` applies the same rules with its own messages).

/// An IPv4 network in CIDR notation, for the schema.
pub(super) const CIDR: &str = r"^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/(3[0-2]|[12]?[0-9])$";
/// A lowercase RFC 1123 host name, for the schema.
pub(super) const HOST_NAME: &str =
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// A cluster name (an RFC 1123 label), for the schema.
pub(super) const CLUSTER_NAME: &str = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
/// A Ceph pool, file system, CRUSH bucket or sub-volume group name, for the schema.
pub(super) const CEPH_NAME: &str = r"^[A-Za-z0-9_.][-A-Za-z0-9_.]*$";
/// A Linux user name, for the schema.
pub(super) const USER_NAME: &str = r"^[A-Za-z0-9_.][-A-Za-z0-9_.]{0,31}$";
/// An IP address or a DNS name, for the schema (roughly: `check` parses it).
pub(super) const SSH_ADDRESS: &str = r"^[0-9A-Za-z.:][-0-9A-Za-z.:]*$";
/// A network interface name as wg-quick accepts it, for the schema.
pub(super) const INTERFACE_NAME: &str = r"^[a-zA-Z0-9_=+.-]{1,15}$";
/// A device path, for the schema.
pub(super) const DEVICE: &str = r"^/dev/[-A-Za-z0-9#+.:=@_/\\]+$";
/// A UUID, for the schema.
pub(super) const UUID: &str =
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
