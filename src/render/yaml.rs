//! The `yaml` template filters: any value as YAML that Ansible (PyYAML, YAML 1.1) reads back with
//! the type the plan meant, and never as a template. Strings that YAML 1.1 would read as something
//! else (`on`, `yes`, `2018-12-30`, `1.20`, `0644`, `~`, `=` …) are quoted by serde-saphyr's YAML
//! 1.1-aware emitter.
//!
//! Ansible templates every string it loads from the inventory and from playbooks when it is used.
//! A string that came from the spec is data: the `yaml` filter writes every string that Ansible
//! could read as a template with Ansible's `!unsafe` tag, which turns templating off for it (see
//! [`is_inert`] for which strings need no tag). The strings cephspray means Ansible to template
//! (vault references, the ceph-csi values expression) are built as [`Jinja`] values and written as
//! they are. `yaml_plain` writes every string as it is: for `extra_vars`, where Jinja passes
//! through on purpose, and for files that Ansible does not load as its own YAML (Helm values,
//! read through `from_yaml`, whose safe loader knows no tags).

use minijinja::value::{Object, ObjectRepr, Value, ValueKind};
use minijinja::{Error, ErrorKind};
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// How a filter writes strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strings {
    /// Data: a string Ansible could template is tagged `!unsafe`; [`Jinja`] values are not.
    Data,
    /// Every string as it is.
    Plain,
}

/// A string cephspray writes for Ansible to template on purpose (a `{{ vault_… }}` reference,
/// an expression): the `yaml` filter leaves it untagged. Never built from spec text.
#[derive(Debug)]
pub struct Jinja(pub String);

impl Object for Jinja {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A template value for a string Ansible must template.
pub fn jinja(text: impl Into<String>) -> Value {
    Value::from_object(Jinja(text.into()))
}

/// Ansible's tag that turns templating off for a value.
pub const UNSAFE_TAG: &str = "!unsafe";

/// True when no Ansible version can read `text` as a template: printable ASCII without `{`, `}`
/// or `#`. Ansible templates a string only when it holds a Jinja start delimiter (`{{`, `{%`,
/// `{#`), or when it starts with a `#jinja2:` header, which sets other delimiters (so that
/// `#jinja2:variable_start_string:'[[', …` templates `[[ … ]]` without a single brace). Every
/// other string is tagged, which costs nothing: the tag only makes Ansible keep it as it is.
pub fn is_inert(text: &str) -> bool {
    text.bytes()
        .all(|b| (0x20..=0x7e).contains(&b) && !matches!(b, b'{' | b'}' | b'#'))
}

/// Serializes a template value, tagging strings as `strings` says.
struct Yaml<'a> {
    value: &'a Value,
    strings: Strings,
}

impl Serialize for Yaml<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let value = self.value;
        if let Some(jinja) = value.downcast_object_ref::<Jinja>() {
            return s.serialize_str(&jinja.0);
        }
        let strings = self.strings;
        match value.kind() {
            ValueKind::String => {
                let text = value.as_str().unwrap_or_default();
                if self.strings == Strings::Plain || is_inert(text) {
                    s.serialize_str(text)
                } else {
                    serde_saphyr::Tagged(text, Some(UNSAFE_TAG.to_owned())).serialize(s)
                }
            }
            ValueKind::Map => {
                let mut map = s.serialize_map(value.len())?;
                for key in value.try_iter().map_err(S::Error::custom)? {
                    let item = value.get_item(&key).map_err(S::Error::custom)?;
                    // Ansible never templates mapping keys: they stay as they are.
                    map.serialize_entry(
                        &key,
                        &Yaml {
                            value: &item,
                            strings,
                        },
                    )?;
                }
                map.end()
            }
            ValueKind::Seq | ValueKind::Iterable => {
                let items: Vec<Value> = value.try_iter().map_err(S::Error::custom)?.collect();
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in &items {
                    seq.serialize_element(&Yaml {
                        value: item,
                        strings,
                    })?;
                }
                seq.end()
            }
            _ => value.serialize(s),
        }
    }
}

/// Renders `value` for the right-hand side of `key: `. Scalars and empty collections stay on the
/// line; other collections start on the next line, indented by `indent` spaces (default 2).
pub fn yaml(value: &Value, indent: Option<usize>, strings: Strings) -> Result<String, Error> {
    if value.is_undefined() {
        return Err(Error::new(
            ErrorKind::UndefinedError,
            "yaml: value is undefined",
        ));
    }
    // Multi-line strings stay double-quoted on one line: no block scalar to indent.
    let options = serde_saphyr::ser_options! { prefer_block_scalars: false };
    let text = serde_saphyr::to_string_with_options(&Yaml { value, strings }, options)
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("yaml: {e}")))?;
    let text = text.trim_end_matches('\n');
    let is_block = matches!(
        value.kind(),
        ValueKind::Map | ValueKind::Seq | ValueKind::Iterable
    ) && value.len().unwrap_or(0) > 0;
    if !is_block {
        return Ok(text.to_owned());
    }
    let pad = " ".repeat(indent.unwrap_or(2));
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        out.push('\n');
        out.push_str(&pad);
        out.push_str(line);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(value: Value) -> String {
        yaml(&value, None, Strings::Data).unwrap()
    }

    #[test]
    fn scalars_keep_their_type() {
        assert_eq!(render(Value::from("on")), "\"on\"");
        assert_eq!(render(Value::from("1.35.4")), "\"1.35.4\"");
        assert_eq!(render(Value::from("calico")), "calico");
        assert_eq!(render(Value::from(true)), "true");
        assert_eq!(render(Value::from(64)), "64");
        assert_eq!(
            yaml(&Value::from("two\nlines"), None, Strings::Plain).unwrap(),
            "\"two\\nlines\""
        );
    }

    #[test]
    fn collections_are_blocks_on_the_next_line() {
        let list = Value::from(vec!["/dev/sdb", "/dev/sdc"]);
        assert_eq!(render(list), "\n  - /dev/sdb\n  - /dev/sdc");
        assert_eq!(render(Value::from(Vec::<String>::new())), "[]");
    }

    #[test]
    fn undefined_is_an_error() {
        assert!(yaml(&Value::UNDEFINED, None, Strings::Data).is_err());
    }

    #[test]
    fn strings_ansible_could_template_are_unsafe() {
        assert_eq!(
            render(Value::from("{{ lookup('pipe','id') }}")),
            "!unsafe \"{{ lookup('pipe','id') }}\""
        );
        assert_eq!(render(Value::from("#jinja2:x")), "!unsafe \"#jinja2:x\"");
        assert_eq!(render(Value::from("two\nlines")), "!unsafe \"two\\nlines\"");
        assert_eq!(render(Value::from("é")), "!unsafe é");
        let nested = Value::from(minijinja::value::Serde(
            serde_json::json!({"a": ["{%x%}", "ok"], "{k}": 1}),
        ));
        assert_eq!(
            render(nested),
            "\n  a:\n  - !unsafe \"{%x%}\"\n  - ok\n  \"{k}\": 1"
        );
        for inert in ["cephfs_data", "10.8.0.0/24", "mons[0]", "a b: c", ""] {
            assert!(is_inert(inert), "{inert}");
            assert!(!render(Value::from(inert)).contains(UNSAFE_TAG), "{inert}");
        }
    }

    #[test]
    fn deliberate_templates_and_plain_strings_stay_untagged() {
        assert_eq!(
            render(jinja("{{ vault_x }}")),
            "\"{{ vault_x }}\"",
            "a Jinja value is templated on purpose"
        );
        let mixed = Value::from_pairs([("name", Value::from("{x}")), ("key", jinja("{{ k }}"))]);
        assert_eq!(
            render(mixed),
            "\n  name: !unsafe \"{x}\"\n  key: \"{{ k }}\""
        );
        assert_eq!(
            yaml(&Value::from("{{ x }}"), None, Strings::Plain).unwrap(),
            "\"{{ x }}\""
        );
    }
}
