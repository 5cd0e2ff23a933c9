//! Where each value of a spec file starts, by spec path (`nodes[2].address`), so that semantic
//! diagnostics can point at a line and column like parse errors do, and parse errors can name
//! the spec path they are about.

use serde_saphyr::granit_parser::{Event, Parser};
use std::collections::HashMap;

/// Spec path → (line, column), both 1-based.
#[derive(Debug, Default, Clone)]
pub struct Locations {
    /// Where each path's value starts (a collection under a key: the key).
    by_path: HashMap<String, (usize, usize)>,
    /// Where the key naming each path is written (its first occurrence).
    keys: HashMap<String, (usize, usize)>,
    /// Every recorded position with its path, in document order.
    order: Vec<((usize, usize), String)>,
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

impl Locations {
    /// Indexes a YAML document. Text that does not parse is indexed up to its first error.
    pub fn of(text: &str) -> Self {
        let mut found = Locations::default();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            let at = (span.start.line(), span.start.col() + 1);
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map {
                        path,
                        key: key @ None,
                    }) = stack.last_mut()
                    {
                        // A key: a collection under it is reported at the key's line; a scalar
                        // value replaces this with its own position.
                        let joined = join(path, &value);
                        found.keys.entry(joined.clone()).or_insert(at);
                        found.by_path.insert(joined.clone(), at);
                        found.order.push((at, joined));
                        *key = Some(value.into_owned());
                    } else {
                        let path = child_path(&mut stack);
                        found.by_path.insert(path.clone(), at);
                        found.order.push((at, path));
                    }
                }
                Event::Alias(_) => {
                    let path = child_path(&mut stack);
                    found.by_path.entry(path.clone()).or_insert(at);
                    found.order.push((at, path));
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let path = child_path(&mut stack);
                    found.by_path.entry(path.clone()).or_insert(at);
                    found.order.push((at, path.clone()));
                    stack.push(match event {
                        Event::MappingStart(..) => Frame::Map { path, key: None },
                        _ => Frame::Seq { path, index: 0 },
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                _ => {}
            }
        }
        found
    }

    /// The location of `path`, or of its closest written ancestor (a default value has no line
    /// of its own).
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        self.find_in(&self.by_path, path)
    }

    /// The location of the key that names `path` (for findings about the key itself: an
    /// unknown or clashing name), else as [`Locations::find`].
    pub fn find_key(&self, path: &str) -> Option<(usize, usize)> {
        self.keys.get(path).copied().or_else(|| self.find(path))
    }

    fn find_in(&self, map: &HashMap<String, (usize, usize)>, path: &str) -> Option<(usize, usize)> {
        let mut path = path;
        loop {
            if let Some(found) = map.get(path) {
                return Some(*found);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }

    /// The spec path written at `line` and `column` (the deepest one starting there), else the
    /// path of the closest node before it; `None` before the first node.
    pub fn path_at(&self, line: usize, column: usize) -> Option<&str> {
        let at = (line, column);
        let exact = self
            .order
            .iter()
            .filter(|(pos, _)| *pos == at)
            .max_by_key(|(_, path)| path.len());
        exact
            .or_else(|| self.order.iter().rev().find(|(pos, _)| *pos < at))
            .map(|(_, path)| path.as_str())
            .filter(|path| !path.is_empty())
    }
}

/// The path of the next node under the innermost collection (consuming the pending key).
fn child_path(stack: &mut [Frame]) -> String {
    match stack.last_mut() {
        None => String::new(),
        Some(Frame::Map { path, key }) => {
            let key = key.take().unwrap_or_else(|| "?".to_owned());
            join(path, &key)
        }
        Some(Frame::Seq { path, index }) => {
            *index += 1;
            format!("{path}[{}]", *index - 1)
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "cluster:\n  name: x\nnodes:\n  - name: a\n    address: 10.0.0.1\n  - { name: b, address: 10.0.0.2 }\n";

    #[test]
    fn block_and_flow_values_are_located() {
        let at = Locations::of(SPEC);
        assert_eq!(at.find("cluster.name"), Some((2, 9)));
        assert_eq!(at.find("nodes[0].address"), Some((5, 14)));
        assert_eq!(at.find("nodes[1].address"), Some((6, 25)));
        assert_eq!(
            at.find("nodes"),
            Some((3, 1)),
            "a block collection is reported at its key"
        );
    }

    #[test]
    fn a_default_points_at_its_closest_written_ancestor() {
        let at = Locations::of(SPEC);
        assert_eq!(at.find("nodes[1].disks"), at.find("nodes[1]"));
        assert_eq!(at.find("ceph.size"), None);
    }

    #[test]
    fn keys_are_located_apart_from_their_values() {
        let at = Locations::of(SPEC);
        assert_eq!(at.find_key("nodes[1].address"), Some((6, 16)));
        assert_eq!(at.find_key("cluster.name"), Some((2, 3)));
        assert_eq!(at.find_key("nodes[1].disks"), at.find("nodes[1]"));
    }

    #[test]
    fn a_position_names_its_spec_path() {
        let at = Locations::of(SPEC);
        assert_eq!(at.path_at(6, 25), Some("nodes[1].address"));
        assert_eq!(at.path_at(5, 14), Some("nodes[0].address"));
        assert_eq!(
            at.path_at(5, 20),
            Some("nodes[0].address"),
            "inside a value"
        );
        assert_eq!(at.path_at(1, 1), Some("cluster"));
    }
}
