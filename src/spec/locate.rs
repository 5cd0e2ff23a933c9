//! Where each value of a spec file starts, by spec path (`nodes[2].address`), so that semantic
//! diagnostics can point at a line and column like parse errors do.

use serde_saphyr::granit_parser::{Event, Parser};
use std::collections::HashMap;

/// Spec path → (line, column), both 1-based.
#[derive(Debug, Default, Clone)]
pub struct Locations {
    by_path: HashMap<String, (usize, usize)>,
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

impl Locations {
    /// Indexes a YAML document. Text that does not parse gives an empty index.
    pub fn of(text: &str) -> Self {
        let mut by_path = HashMap::new();
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
                        by_path.insert(join(path, &value), at);
                        *key = Some(value.into_owned());
                    } else {
                        by_path.insert(child_path(&mut stack), at);
                    }
                }
                Event::Alias(_) => {
                    by_path.entry(child_path(&mut stack)).or_insert(at);
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let path = child_path(&mut stack);
                    by_path.entry(path.clone()).or_insert(at);
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
        Locations { by_path }
    }

    /// The location of `path`, or of its closest written ancestor (a default value has no line
    /// of its own).
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        let mut path = path;
        loop {
            if let Some(found) = self.by_path.get(path) {
                return Some(*found);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

/// The path of the next node under the innermost collection (consuming the pending key).
fn child_path(stack: &mut [Frame]) -> String {
    match stack.last_mut() {
        None => String::new(),
        Some(Frame::Map { path, key }) => {
            let key = key.take().unwrap_or_else(|| "?".to_owned());
            if path.is_empty() {
                key
            } else {
                format!("{path}.{key}")
            }
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
}
