//! One value, one spelling: values whose meaning is unambiguous are rewritten to their
//! canonical spelling as the spec is read, so that checks compare like with like and the
//! inventory shows one spelling. Values that are ambiguous are left for `check` to refuse with
//! the spelling to write.

use super::Spec;

/// Rewrites `spec` in place.
pub(super) fn canonicalise(spec: &mut Spec) {
    for node in &mut spec.nodes {
        for disk in &mut node.disks {
            if let Some(canonical) = device(&disk.device) {
                disk.device = canonical;
            }
        }
    }
}

/// An absolute device path resolved lexically: `/dev//sdb`, `/dev/sdb/`, `/dev/./sdb` and
/// `/dev/../dev/sdb` are all `/dev/sdb` (the kernel resolves them so, and /dev holds no
/// symbolic link a `..` could step back over). `None` for a relative path, which `check`
/// refuses.
pub fn device(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_paths_are_resolved_lexically() {
        for written in [
            "/dev/sdb",
            "/dev/sdb/",
            "/dev//sdb",
            "//dev/sdb",
            "/dev/./sdb",
            "/dev/../dev/sdb",
            "/../dev/sdb",
            "/dev/disk/../sdb",
            "/dev/sdb/.",
            "/dev/sdb/../sdb",
        ] {
            assert_eq!(device(written).as_deref(), Some("/dev/sdb"), "{written}");
        }
        assert_eq!(device("/dev/sdb/..").as_deref(), Some("/dev"));
        assert_eq!(device("/dev/../etc/passwd").as_deref(), Some("/etc/passwd"));
        assert_eq!(device("/").as_deref(), Some("/"));
        assert_eq!(
            device("/dev/disk/by-id/wwn-0x5000c500a1b2c3d4").as_deref(),
            Some("/dev/disk/by-id/wwn-0x5000c500a1b2c3d4")
        );
        assert_eq!(device("dev/sdb"), None);
        assert_eq!(device("sdb"), None);
    }
}
