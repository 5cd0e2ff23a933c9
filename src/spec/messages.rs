//! Parse errors as people read them: which spec value, what is wrong with it, and what to
//! write instead, never the YAML library's advice to its own programmers ("use
//! `Option<String>`", "set DuplicateKeyPolicy in Options").

use super::spelling::{listed, one_of};
use super::{
    Announce, Application, CephAnsibleRelease, CephCsiRelease, CephOrigin, ContainerRuntime,
    DiskKind, GatewayChannel, KubesprayRelease, Locations, NetworkPlugin, Objectstore, PgMode,
    ProxyMode, ReclaimPolicy, Role, Spelling, StorageKind, VarGroup,
};
use serde_saphyr::Error;
use serde_saphyr::budget::BudgetBreach;

/// One parse error, translated.
pub(super) struct Described {
    /// 1-based line and column (0 when unknown).
    pub line: usize,
    pub column: usize,
    /// The spec path the error is about, when one is known.
    pub path: Option<String>,
    /// What is wrong and what to write.
    pub message: String,
}

/// Translates a serde-saphyr error on `text`.
pub(super) fn describe(error: &Error, text: &str, max_depth: usize) -> Described {
    let error = innermost(error);
    let (mut line, mut column) = error
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((0, 0));
    let locations = Locations::of(text);
    let at = (line > 0)
        .then(|| locations.path_at(line, column))
        .flatten()
        .map(str::to_owned);
    let written = (line > 0).then(|| scalar_at(text, line, column)).flatten();
    let quoted = |what: &str| match &written {
        Some(w) => format!("`{w}` is not {what}"),
        None => format!("this is not {what}"),
    };
    let mut path = at.clone();
    let message = match error {
        Error::Message { msg, .. } | Error::SerdeVariantId { msg, .. } => {
            match at.as_deref().map(generic) {
                Some(p) if p.ends_with("fsid") => format!(
                    "{}: write a UUID such as 2d8a6f1e-3c4b-4f5a-9e2d-1b7c8a9f0e3d, or drop \
                     ceph.fsid to derive one from the cluster name",
                    quoted("a UUID")
                ),
                _ => msg.clone(),
            }
        }
        Error::InvalidScalar { ty, .. } => {
            let range = match *ty {
                "u8" => Some("from 0 to 255"),
                "u16" => Some("from 0 to 65535"),
                "u32" => Some("from 0 to 4294967295"),
                "u64" => Some("from 0 to 18446744073709551615"),
                _ => None,
            };
            let problem = match (&written, range) {
                (None, _) => "this has no value".to_owned(),
                (Some(w), Some(_)) if w.parse::<i128>().is_ok() => format!("`{w}` is out of range"),
                (Some(w), Some(_)) => format!("`{w}` is not a whole number"),
                (Some(w), None) if ty.contains("float") || ty.starts_with('f') => {
                    format!("`{w}` is not a number")
                }
                (Some(w), None) if ty.contains("bool") => format!("`{w}` is not true or false"),
                (Some(w), None) => format!("`{w}` is not a {ty}"),
            };
            match (at.as_deref().and_then(hint), range) {
                (Some(hint), _) => format!("{problem}: write {hint}"),
                (None, Some(range)) => format!("{problem}: write a whole number {range}"),
                (None, None) => problem,
            }
        }
        Error::InvalidBooleanStrict { .. } => quoted("true or false") + ": write true or false",
        Error::NonFiniteFloat { value, .. } => format!(
            "`{value}` is not a finite number: write a number, or quote it to make it a string"
        ),
        Error::NullIntoString { .. } | Error::InvalidCharNull { .. } => {
            with_hint("this has no value".to_owned(), at.as_deref())
        }
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => match at.as_deref().and_then(hint) {
            Some(hint) => format!("found {unexpected}: write {hint}"),
            None => format!("found {unexpected} where {} goes", article(expected)),
        },
        Error::SerdeInvalidLength { len, expected, .. } => {
            with_hint(format!("{len} entries where {expected} go"), at.as_deref())
        }
        Error::Unexpected { expected, .. } => {
            let (want, found) = (structure(expected), found_at(text, line, column));
            match at.as_deref().and_then(hint) {
                _ if at.is_none() => format!(
                    "the spec is {found}: it must be a mapping with cluster, network and nodes \
                     at the top (`cephspray init` writes a starting spec)"
                ),
                Some(hint) if found == "nothing" => format!("this has no value: write {hint}"),
                Some(hint) if found == structure_word(want) => match &written {
                    Some(w) => format!("`{w}` does not fit here: write {hint}"),
                    None => format!("this does not fit here: write {hint}"),
                },
                Some(hint) => format!("found {found}: write {hint}"),
                None => format!("found {found} where {want} goes"),
            }
        }
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let parent = at.as_deref().map(parent_of).filter(|p| !p.is_empty());
            path = at.clone();
            let place = parent.map_or("at the top of the spec".to_owned(), |p| format!("in {p}"));
            match suggestion(field, expected) {
                Some(close) => format!(
                    "`{field}` is not a field {place}: write `{close}` if that is what you mean \
                     (the fields here are {})",
                    expected.join(", ")
                ),
                None => format!(
                    "`{field}` is not a field {place}: remove it, or use one of {}",
                    expected.join(", ")
                ),
            }
        }
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => match suggestion(variant, expected) {
            Some(close) => format!(
                "`{variant}` is not one of {}: write `{close}` if that is what you mean",
                expected.join(", ")
            ),
            None => format!(
                "`{variant}` is not one of {}: write one of those",
                expected.join(", ")
            ),
        },
        Error::SerdeMissingField { field, .. } => {
            let owner = missing_field_owner(at.as_deref(), field);
            let example = hint(&join(&owner, field))
                .map(|h| format!(" with {h}"))
                .unwrap_or_default();
            // Point at the mapping that lacks the field, not at what follows it.
            if owner.is_empty() {
                (line, column) = (0, 0);
            } else if let Some(start) = locations.find(&owner) {
                (line, column) = start;
            }
            path = Some(owner.clone()).filter(|o| !o.is_empty());
            let place = if owner.is_empty() { "the spec" } else { "this" };
            format!("{place} has no `{field}`: add `{field}:`{example}")
        }
        Error::DuplicateMappingKey { key, .. } => {
            let key = key.clone().or(written.clone()).unwrap_or_default();
            let first = at
                .as_deref()
                .and_then(|p| locations.find_key(p))
                .filter(|first| *first != (line, column))
                .map(|(l, _)| format!(" (first on line {l})"))
                .unwrap_or_default();
            format!(
                "`{key}` is written twice in the same mapping{first}: YAML keeps only one; \
                 remove or merge one of them"
            )
        }
        Error::MultipleDocuments { .. } => {
            path = None;
            if let Some(marker) = document_marker_before(text, line) {
                (line, column) = (marker, 1);
            }
            "a second YAML document starts here: a spec is one document; remove the `---` line \
             and what follows it, or merge the two"
                .to_owned()
        }
        Error::Eof { .. } if text.trim().is_empty() || only_comments(text) => {
            path = None;
            (line, column) = (0, 0);
            "the spec is empty: it needs cluster, network and nodes (`cephspray init` writes a \
             starting spec)"
                .to_owned()
        }
        Error::Eof { .. } => {
            "the file ends in the middle of a value: close the bracket or quote that is still open"
                .to_owned()
        }
        Error::Budget { breach, .. } => {
            path = None;
            budget(breach, max_depth)
        }
        Error::AliasReplayCounterOverflow { .. }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => {
            path = None;
            "aliases (`*name`) here expand to far more than a spec holds: write the values out, \
             or use fewer aliases of aliases"
                .to_owned()
        }
        Error::UnknownAnchor { .. } => format!(
            "the alias {} names no anchor defined before it: define it first with `&name`, or \
             write the value",
            written.as_deref().unwrap_or("here")
        ),
        Error::RecursiveReferencesRequireWeakTypes { .. } => {
            "an alias here refers to the value that contains it: write the value out instead"
                .to_owned()
        }
        Error::MergeValueNotMapOrSeqOfMaps { .. } | Error::MergeKeyNotAllowed { .. } => {
            "a merge key (`<<`) takes a mapping, or a list of mappings, defined with an anchor"
                .to_owned()
        }
        Error::UnsupportedTag { tag, .. } => format!(
            "the tag `{tag}` is not supported in a spec: remove it (quote the value to make it a \
             string)"
        ),
        Error::TaggedScalarCannotDeserializeIntoString { .. }
        | Error::InvalidBinaryBase64 { .. }
        | Error::BinaryNotUtf8 { .. }
        | Error::BytesNotSupportedMissingBinaryTag { .. } => with_hint(
            "tags such as `!!binary` are not supported here; remove the tag".to_owned(),
            at.as_deref(),
        ),
        Error::ExternalMessage { msg, .. } => {
            path = None;
            format!("YAML syntax: {msg}; {}", syntax_advice(msg))
        }
        Error::IndentationError {
            required, actual, ..
        } => {
            path = None;
            format!(
                "YAML syntax: indentation of {actual} spaces where {required} is required; line \
                 up the keys of one mapping, and indent with spaces"
            )
        }
        other => {
            path = None;
            let text = other.render_with_formatter(&serde_saphyr::UserMessageFormatter);
            let first = text.lines().next().unwrap_or_default();
            let message = first
                .split_once(": ")
                .filter(|(head, _)| head.contains("line "))
                .map_or(first, |(_, m)| m);
            format!("YAML: {message}; fix the YAML here")
        }
    };
    Described {
        line,
        column,
        path,
        message,
    }
}

/// The error itself, without the wrappers that add a snippet or an alias's second location.
fn innermost(error: &Error) -> &Error {
    match error {
        Error::WithSnippet { error, .. } => innermost(error),
        Error::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

fn budget(breach: &BudgetBreach, max_depth: usize) -> String {
    match breach {
        BudgetBreach::Depth { .. } => format!(
            "values nest more than {max_depth} levels deep here, where a spec nests a few: look \
             for brackets opened and never closed, or indentation that keeps growing"
        ),
        BudgetBreach::Aliases { aliases } => {
            format!("{aliases} aliases (`*name`) is more than a spec needs: write the values out")
        }
        BudgetBreach::Anchors { anchors } => {
            format!("{anchors} anchors (`&name`) is more than a spec needs: write the values out")
        }
        BudgetBreach::AliasAnchorRatio { .. } => {
            "aliases (`*name`) here are repeated far more than a spec needs: write the values out"
                .to_owned()
        }
        BudgetBreach::Documents { .. } => {
            "the file holds more than one YAML document: a spec is one; remove the `---` lines"
                .to_owned()
        }
        BudgetBreach::SequenceUnbalanced => {
            "a bracket closes here that was never opened: remove it or open it".to_owned()
        }
        _ => format!(
            "the file is larger or more complex than a cluster spec can be (limits: {} bytes, 2 \
             million values): is this the right file?",
            super::load::MAX_SPEC_BYTES
        ),
    }
}

fn syntax_advice(message: &str) -> &'static str {
    let m = message.to_ascii_lowercase();
    if m.contains("tab") {
        "indent with spaces, not tabs"
    } else if m.contains("bracket") || m.contains("flow") || m.contains("',' or") {
        "close each `[` with `]` and each `{` with `}`, and separate items with `,`"
    } else if m.contains("mapping values are not allowed") {
        "quote a value that holds `: `, or fix the indentation of the key on this line"
    } else if m.contains("escape") || m.contains("hexadecimal") || m.contains("surrogate") {
        "in double quotes a backslash starts an escape: write `\\\\` for one, or use single quotes"
    } else if m.contains("quote") {
        "close the quote that opens here"
    } else if m.contains("anchor") || m.contains("alias") {
        "anchors are written `&name` and aliases `*name`, with letters, digits, `-` or `_`"
    } else if m.contains("indent")
        || m.contains("expected key")
        || m.contains("'-'")
        || m.contains("block")
    {
        "line up the keys of one mapping at the same column, and start list items with `- `"
    } else if m.contains("directive") || m.contains("document") {
        "a spec is one YAML document without directives: remove `%` and `---`/`...` lines"
    } else {
        "quote values that start with a special character or hold `: ` or ` #`"
    }
}

/// `a` or `an` before an expectation that does not carry one.
fn article(expected: &str) -> String {
    if expected.starts_with("a ") || expected.starts_with("an ") || expected.contains(' ') {
        expected.to_owned()
    } else {
        format!("a {expected}")
    }
}

/// The line of the `---` that starts the document holding `line`.
fn document_marker_before(text: &str, line: usize) -> Option<usize> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    lines
        .iter()
        .rposition(|l| l.trim_end() == "---" || l.starts_with("--- "))
        .map(|i| i + 1)
}

/// The word `found_at` uses for what `structure` describes.
fn structure_word(want: &str) -> &'static str {
    if want.starts_with("a mapping") {
        "a mapping"
    } else if want.starts_with("a list") {
        "a list"
    } else {
        "a single value"
    }
}

fn structure(expected: &str) -> &'static str {
    if expected.contains("mapping") {
        "a mapping (`key: value` lines, or `{ key: value }`)"
    } else if expected.contains("sequence") {
        "a list (`- item` lines, or `[item, item]`)"
    } else {
        "a single value"
    }
}

/// What the YAML holds at a position, in words.
fn found_at(text: &str, line: usize, column: usize) -> &'static str {
    if text.trim().is_empty() || only_comments(text) {
        return "empty";
    }
    let rest = rest_of_line(text, line, column).unwrap_or_default();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
    if rest.starts_with('[') || rest.starts_with("- ") || rest == "-" {
        "a list"
    } else if rest.starts_with('{') {
        "a mapping"
    } else if rest.is_empty() || rest.starts_with('~') || rest.starts_with("null") {
        "nothing"
    } else if rest.contains(": ") || rest.ends_with(':') {
        "a mapping"
    } else {
        "a single value"
    }
}

fn only_comments(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#') || l == "---" || l == "...")
}

fn rest_of_line(text: &str, line: usize, column: usize) -> Option<&str> {
    let line_text = text.lines().nth(line.checked_sub(1)?)?;
    let start = line_text
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(i, _)| i)?;
    Some(&line_text[start..])
}

/// The scalar written at a position, as written (quotes included), if it is one.
fn scalar_at(text: &str, line: usize, column: usize) -> Option<String> {
    let rest = rest_of_line(text, line, column)?;
    if rest.starts_with(':') || rest.starts_with("- ") {
        return None;
    }
    let token = match rest.chars().next()? {
        q @ ('"' | '\'') => {
            let end = rest[1..].find(q).map_or(rest.len(), |i| i + 2);
            &rest[..end]
        }
        '{' | '[' | '#' | '|' | '>' => return None,
        _ => {
            let end = [", ", ",", " #", "}", "]"]
                .iter()
                .filter_map(|stop| rest.find(stop))
                .min()
                .unwrap_or(rest.len());
            rest[..end].trim_end()
        }
    };
    let token: String = token.chars().take(60).collect();
    (!token.is_empty()).then_some(token)
}

/// The path a missing field belongs to: serde-saphyr reports it at the mapping's end, i.e.
/// at the next thing written after it (or where the mapping starts for a flow mapping).
fn missing_field_owner(at: Option<&str>, field: &str) -> String {
    let Some(at) = at else {
        return String::new();
    };
    // Walk up from the path at the error until the field would belong to it.
    let mut candidate = at;
    loop {
        if hint(&join(candidate, field)).is_some() {
            return candidate.to_owned();
        }
        match candidate.rfind(['.', '[']) {
            Some(cut) => candidate = &candidate[..cut],
            None => break,
        }
    }
    if hint(field).is_some() {
        String::new()
    } else {
        parent_of(at).to_owned()
    }
}

fn parent_of(path: &str) -> &str {
    path.rfind(['.', '[']).map_or("", |cut| &path[..cut])
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A path with its list indices removed: `nodes[2].address` → `nodes[].address`.
fn generic(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

fn with_hint(problem: String, path: Option<&str>) -> String {
    match path.and_then(hint) {
        Some(hint) => format!("{problem}: write {hint}"),
        None => problem,
    }
}

/// What to write at a spec path.
pub(super) fn hint(path: &str) -> Option<String> {
    let generic = generic(path);
    if let Some(words) = choices(&generic) {
        return Some(words);
    }
    let bool_field = "true or false";
    let copies = "a number of copies from 1 to 255, e.g. 3";
    let found: &str = match generic.as_str() {
        "cluster" => "a mapping such as `cluster: { name: mycluster }`",
        "cluster.name" => "a short name, e.g. pair2jeux",
        "targets" => {
            "a mapping such as `targets: { kubespray: \"2.31\", ceph_ansible: stable-9.0 }`"
        }
        "network" => "a mapping such as `network: { private: 10.8.0.0/24 }`",
        "network.private" => {
            "an IPv4 network such as 10.8.0.0/24, or `{ network: 10.8.0.0/24, provider: wireguard }`"
        }
        "network.private.network"
        | "network.ceph_cluster"
        | "network.pods"
        | "network.services" => "an IPv4 network, e.g. 10.8.0.0/24",
        "network.private.provider" => "existing or wireguard",
        "network.private.wireguard" => {
            "a mapping such as `{ interface: wg0, port: 51820, mtu: 1420 }`"
        }
        "network.private.wireguard.interface" => "an interface name, e.g. wg0",
        "network.private.wireguard.port" | "nodes[].wireguard.port" => {
            "a UDP port from 1 to 65535, e.g. 51820"
        }
        "network.private.wireguard.mtu" => "an MTU from 1280, e.g. 1420",
        "network.private.wireguard.path_mtu" => "the path's MTU, e.g. 1500",
        "network.firewall" => "a mapping such as `{ expose: [{ ports: [80, 443] }] }`",
        "network.firewall.enabled" => bool_field,
        "network.firewall.expose" => "a list such as `[{ ports: [80, 443], roles: [worker] }]`",
        "network.firewall.expose[]" => "a mapping such as `{ ports: [80, 443], roles: [worker] }`",
        "network.firewall.expose[].ports" => "a list of ports, e.g. [80, 443]",
        "network.firewall.expose[].protocol" => "tcp or udp",
        "network.firewall.expose[].roles" => "a list of roles, e.g. [worker]",
        "network.firewall.expose[].nodes" => "a list of node names, e.g. [node1]",
        "nodes[].wireguard" => "a mapping such as `{ endpoint: 203.0.113.1, port: 51820 }`",
        "nodes[].wireguard.endpoint" => "the node's public IPv4 address or DNS name",
        "nodes" => "a list of nodes, e.g. `- { name: node1, address: 10.8.0.1 }`",
        "nodes[]" => "a node, e.g. `{ name: node1, address: 10.8.0.1 }`",
        "nodes[].name" => "a lowercase host name, e.g. node1",
        "nodes[].address" => "the node's IPv4 address on network.private, e.g. 10.8.0.1",
        "nodes[].ssh" => "a mapping such as `{ address: 203.0.113.1, user: debian, port: 22 }`",
        "nodes[].ssh.address" => "the address or DNS name Ansible connects to",
        "nodes[].ssh.user" => "a user name, e.g. debian",
        "nodes[].ssh.port" => "a port from 1 to 65535, e.g. 22",
        "nodes[].roles" => "a list of roles, e.g. [control_plane, etcd, worker]",
        "nodes[].crush" => "a mapping of CRUSH buckets, e.g. `{ rack: r1 }`",
        "nodes[].crush.root"
        | "nodes[].crush.region"
        | "nodes[].crush.datacenter"
        | "nodes[].crush.room"
        | "nodes[].crush.pod"
        | "nodes[].crush.pdu"
        | "nodes[].crush.row"
        | "nodes[].crush.rack"
        | "nodes[].crush.chassis" => "a bucket name, e.g. r1",
        "nodes[].disks" => "a list of disks, e.g. `[{ device: /dev/sdb, size: 3TB }]`",
        "nodes[].disks[]" => "a disk, e.g. `{ device: /dev/sdb, size: 3TB }`",
        "nodes[].disks[].device" => "a device path, e.g. /dev/sdb",
        "nodes[].disks[].size" => "a size such as 3TB or 100GiB",
        "ceph" => "a mapping such as `ceph: { size: 3 }`",
        "ceph.release" => "squid (ceph-ansible stable-9.0) or reef (stable-8.0)",
        "ceph.size" | "ceph.pools[].size" => copies,
        "ceph.min_size" | "ceph.pools[].min_size" => {
            "a number of copies from 1 to the size, e.g. 2"
        }
        "ceph.pg" => "a mapping such as `{ mode: autoscale }`",
        "ceph.pg.target_per_osd" => "a number of PGs per OSD from 1 to 1000, e.g. 100",
        "ceph.pools" => "a list of pools, e.g. `[{ name: rbd, application: rbd, share: 100 }]`",
        "ceph.pools[]" => "a pool, e.g. `{ name: rbd, application: rbd, share: 100 }`",
        "ceph.pools[].name" => "a pool name, e.g. rbd",
        "ceph.pools[].share" => "a percentage of the cluster's data, e.g. 50",
        "ceph.pools[].pg_num" => "a power of two, e.g. 128",
        "ceph.cephfs" => {
            "a mapping such as `{ data_pool: cephfs_data, metadata_pool: cephfs_metadata }`"
        }
        "ceph.cephfs.name" => "a file system name, e.g. cephfs",
        "ceph.cephfs.data_pool" | "ceph.cephfs.metadata_pool" => "the name of one of ceph.pools",
        "ceph.dashboard" => bool_field,
        "ceph.monitoring_node" => "the name of one of the nodes, e.g. mgr1",
        "ceph.fsid" => "a UUID such as 2d8a6f1e-3c4b-4f5a-9e2d-1b7c8a9f0e3d",
        "kubernetes" => "a mapping such as `kubernetes: { version: 1.35.4 }`",
        "kubernetes.version" => "a version such as 1.35.4",
        "kubernetes.helm" | "kubernetes.cert_manager" => bool_field,
        "kubernetes.storage" => {
            "a list of storage classes, e.g. `[{ name: cephfs, type: cephfs }]`"
        }
        "kubernetes.storage[]" => "a storage class, e.g. `{ name: cephfs, type: cephfs }`",
        "kubernetes.storage[].name" => "a lowercase name, e.g. cephfs",
        "kubernetes.storage[].fs" => "the name of ceph.cephfs",
        "kubernetes.storage[].subvolume_group" => "a sub-volume group name, e.g. csi",
        "kubernetes.storage[].pool" => "the name of an rbd pool of ceph.pools",
        "kubernetes.storage[].default"
        | "kubernetes.storage[].volume_expansion"
        | "kubernetes.storage[].snapshots" => bool_field,
        "kubernetes.addons" => {
            "a mapping of add-ons, e.g. `{ metrics_server: true, local_path: true }`"
        }
        "kubernetes.addons.snapshot_controller"
        | "kubernetes.addons.argocd"
        | "kubernetes.addons.node_feature_discovery"
        | "kubernetes.addons.metallb.pools[].auto_assign"
        | "kubernetes.addons.local_path.default" => bool_field,
        "kubernetes.addons.metrics_server" => "true, or a mapping such as `{ replicas: 2 }`",
        "kubernetes.addons.metrics_server.replicas" => "a number of replicas from 1 to 10, e.g. 2",
        "kubernetes.addons.local_path" => {
            "true, or a mapping such as `{ storage_class: local-path, claim_root: /opt/local-path-provisioner }`"
        }
        "kubernetes.addons.local_path.storage_class" => "a lowercase name, e.g. local-path",
        "kubernetes.addons.local_path.claim_root" => {
            "an absolute directory, e.g. /opt/local-path-provisioner"
        }
        "kubernetes.addons.gateway_api" => "true, or a mapping such as `{ channel: standard }`",
        "kubernetes.addons.metallb" => {
            "a mapping such as `{ pools: [{ name: public, addresses: [192.0.2.10-192.0.2.20] }] }`"
        }
        "kubernetes.addons.metallb.pools" => {
            "a list of pools, e.g. `[{ name: public, addresses: [192.0.2.10-192.0.2.20] }]`"
        }
        "kubernetes.addons.metallb.pools[]" => {
            "a pool, e.g. `{ name: public, addresses: [192.0.2.10-192.0.2.20] }`"
        }
        "kubernetes.addons.metallb.pools[].name" => "a lowercase name, e.g. public",
        "kubernetes.addons.metallb.pools[].addresses" => {
            "a list of networks or ranges, e.g. [192.0.2.0/28, 192.0.2.100-192.0.2.120]"
        }
        "kubernetes.addons.metallb.pools[].addresses[]" => {
            "a network such as 192.0.2.0/28 or a range such as 192.0.2.10-192.0.2.20"
        }
        "kubernetes.addons.metallb.bgp" | "kubernetes.addons.vip.bgp" => {
            "a mapping such as `{ asn: 64512, peers: [{ name: router, address: 10.8.0.254, asn: 64513 }] }`"
        }
        "kubernetes.addons.metallb.bgp.asn" | "kubernetes.addons.vip.bgp.asn" => {
            "the nodes' AS number, e.g. 64512"
        }
        "kubernetes.addons.metallb.bgp.peers" | "kubernetes.addons.vip.bgp.peers" => {
            "a list of routers, e.g. `[{ name: router, address: 10.8.0.254, asn: 64513 }]`"
        }
        "kubernetes.addons.metallb.bgp.peers[]" | "kubernetes.addons.vip.bgp.peers[]" => {
            "a router, e.g. `{ name: router, address: 10.8.0.254, asn: 64513 }`"
        }
        "kubernetes.addons.metallb.bgp.peers[].name" | "kubernetes.addons.vip.bgp.peers[].name" => {
            "a lowercase name, e.g. router"
        }
        "kubernetes.addons.metallb.bgp.peers[].address"
        | "kubernetes.addons.vip.bgp.peers[].address" => {
            "the router's IPv4 address, e.g. 10.8.0.254"
        }
        "kubernetes.addons.metallb.bgp.peers[].asn" | "kubernetes.addons.vip.bgp.peers[].asn" => {
            "the router's AS number, e.g. 64513"
        }
        "kubernetes.addons.vip" => {
            "a mapping such as `{ address: 10.8.0.10, interface: enp7s0.4000 }`"
        }
        "kubernetes.addons.vip.address" => {
            "a free IPv4 address of network.private, on no node, e.g. 10.8.0.10"
        }
        "kubernetes.addons.vip.interface" => {
            "the control planes' interface on network.private, e.g. enp7s0.4000"
        }
        "kubernetes.addons.registry" => {
            "true, or a mapping such as `{ storage_class: block, size: 10Gi }`"
        }
        "kubernetes.addons.registry.storage_class" => {
            "the name of a storage class of kubernetes.storage (or of local_path), e.g. block"
        }
        "kubernetes.addons.registry.size" => "a size in Ki, Mi, Gi or Ti, e.g. 10Gi",
        "kubernetes.addons.registry.service" => {
            "a mapping such as `{ type: NodePort, port: 30500 }` or `{ type: LoadBalancer, address: 192.0.2.10 }`"
        }
        "kubernetes.addons.registry.service.port" => "a node port from 30000 to 32767, e.g. 30500",
        "kubernetes.addons.registry.service.address" => {
            "an IPv4 address of a MetalLB pool, e.g. 192.0.2.10"
        }
        "kubernetes.addons.etcd_backup" => {
            "true, or a mapping such as `{ schedule: daily, keep: 7, directory: /var/backups/etcd }`"
        }
        "kubernetes.addons.etcd_backup.schedule" => {
            "a systemd calendar event, e.g. daily or `*-*-* 03:00:00`"
        }
        "kubernetes.addons.etcd_backup.keep" => "a number of snapshots from 1 to 1000, e.g. 7",
        "kubernetes.addons.etcd_backup.directory" => {
            "an absolute directory, e.g. /var/backups/etcd"
        }
        "secrets" => "a mapping of secret names to sources, e.g. `{ ceph_csi_rbd_key: generate }`",
        other => {
            if let Some(rest) = other.strip_prefix("secrets.") {
                return Some(match rest.split_once('.') {
                    None => "generate, `{ env: NAME }` or `{ file: PATH }`".to_owned(),
                    Some((_, "env")) => "the name of an environment variable".to_owned(),
                    Some((_, "file")) => {
                        "a file path (relative to the spec's directory)".to_owned()
                    }
                    Some(_) => "generate, `{ env: NAME }` or `{ file: PATH }`".to_owned(),
                });
            }
            if other.starts_with("extra_vars.") && other.matches('.').count() == 1 {
                return Some("a mapping of variable names to values".to_owned());
            }
            return None;
        }
    };
    Some(found.to_owned())
}

/// What to write at a generic path whose value is one of an enum's words (or a map keyed by
/// them): the words, taken from the enum so that they are spelled in one place.
fn choices(generic: &str) -> Option<String> {
    /// The words of a release, quoted (YAML would read them bare as numbers), with the why.
    fn quoted<T: Spelling + Default>() -> String {
        let words = T::NAMES.iter().map(|name| format!("\"{name}\"")).collect();
        let example = T::default().as_str();
        format!(
            "{} (quoted: bare, YAML reads {example} as a number)",
            listed(words)
        )
    }
    Some(match generic {
        "targets.kubespray" => quoted::<KubesprayRelease>(),
        "targets.ceph_ansible" => one_of::<CephAnsibleRelease>(),
        "targets.ceph_csi" => quoted::<CephCsiRelease>(),
        "nodes[].roles[]" => format!("one of {}", Role::NAMES.join(", ")),
        "nodes[].disks[].type" => one_of::<DiskKind>(),
        "ceph.origin" => one_of::<CephOrigin>(),
        "ceph.objectstore" => one_of::<Objectstore>(),
        "ceph.pg.mode" => one_of::<PgMode>(),
        "ceph.pools[].application" => one_of::<Application>(),
        "kubernetes.network_plugin" => one_of::<NetworkPlugin>(),
        "kubernetes.proxy_mode" => one_of::<ProxyMode>(),
        "kubernetes.container_runtime" => one_of::<ContainerRuntime>(),
        "kubernetes.storage[].type" => one_of::<StorageKind>(),
        "kubernetes.storage[].reclaim_policy" | "kubernetes.addons.local_path.reclaim_policy" => {
            one_of::<ReclaimPolicy>()
        }
        "kubernetes.addons.metallb.pools[].announce" | "kubernetes.addons.vip.announce" => {
            one_of::<Announce>()
        }
        "kubernetes.addons.gateway_api.channel" => one_of::<GatewayChannel>(),
        "kubernetes.addons.registry.service.type" => {
            "ClusterIP, NodePort or LoadBalancer".to_owned()
        }
        "extra_vars" => format!(
            "a mapping of groups ({}) to variables",
            VarGroup::NAMES.join(", ")
        ),
        _ => return None,
    })
}

/// The expected name closest to what was written, when one is close.
fn suggestion<'a>(written: &str, expected: &[&'a str]) -> Option<&'a str> {
    let written_lower = written.to_ascii_lowercase().replace('-', "_");
    expected
        .iter()
        .map(|e| (distance(&written_lower, &e.to_ascii_lowercase()), *e))
        .filter(|(d, e)| *d <= (e.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, e)| e)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested() {
        assert_eq!(
            suggestion("controlplane", &["control_plane", "worker"]),
            Some("control_plane")
        );
        assert_eq!(suggestion("adress", &["name", "address"]), Some("address"));
        assert_eq!(
            suggestion("Worker", &["control_plane", "worker"]),
            Some("worker")
        );
        assert_eq!(suggestion("zzz", &["name", "address"]), None);
    }

    #[test]
    fn every_field_of_the_schema_has_a_hint() {
        // Walk the JSON schema's properties: each has something to say what to write.
        let schema: serde_json::Value =
            serde_json::from_str(&crate::schema::json_schema()).unwrap();
        let definitions = &schema["definitions"];
        fn walk(
            node: &serde_json::Value,
            definitions: &serde_json::Value,
            path: &str,
            depth: usize,
            missing: &mut Vec<String>,
        ) {
            if depth > 6 {
                return;
            }
            let resolve = |node: &serde_json::Value| -> serde_json::Value {
                let mut node = node.clone();
                for _ in 0..4 {
                    if let Some(r) = node.get("$ref").and_then(|r| r.as_str()) {
                        node = definitions[r.trim_start_matches("#/definitions/")].clone();
                    } else if let Some(first) = node
                        .get("anyOf")
                        .and_then(|a| a.as_array())
                        .and_then(|a| a.iter().find(|v| v["type"] != "null"))
                    {
                        node = first.clone();
                    } else if let Some(all) = node.get("allOf").and_then(|a| a.as_array()) {
                        node = all[0].clone();
                    }
                }
                node
            };
            let node = resolve(node);
            if let Some(props) = node.get("properties").and_then(|p| p.as_object()) {
                for (key, value) in props {
                    let child = join(path, key);
                    if !child.starts_with("secrets") && !child.starts_with("extra_vars.") {
                        if hint(&child).is_none() {
                            missing.push(child.clone());
                        }
                        walk(value, definitions, &child, depth + 1, missing);
                    }
                }
            }
            if let Some(items) = node.get("items") {
                walk(
                    items,
                    definitions,
                    &format!("{path}[0]"),
                    depth + 1,
                    missing,
                );
            }
        }
        let mut missing = Vec::new();
        walk(&schema, definitions, "", 0, &mut missing);
        assert!(missing.is_empty(), "no hint for {missing:?}");
    }
}
