//! The `yaml` template filter: any value as YAML that Ansible (PyYAML, YAML 1.1) reads back with
//! the type the plan meant. Strings that YAML 1.1 would read as something else (`on`, `yes`,
//! `2018-12-30`, `1.20`, `0644`, `~`, `=` …) are quoted by serde-saphyr's YAML 1.1-aware emitter.

use minijinja::{Error, ErrorKind, Value};

/// Renders `value` for the right-hand side of `key: `. Scalars and empty collections stay on the
/// line; other collections start on the next line, indented by `indent` spaces (default 2).
pub fn yaml(value: &Value, indent: Option<usize>) -> Result<String, Error> {
    if value.is_undefined() {
        return Err(Error::new(
            ErrorKind::UndefinedError,
            "yaml: value is undefined",
        ));
    }
    // Multi-line strings stay double-quoted on one line: no block scalar to indent.
    let options = serde_saphyr::ser_options! { prefer_block_scalars: false };
    let text = serde_saphyr::to_string_with_options(value, options)
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("yaml: {e}")))?;
    let text = text.trim_end_matches('\n');
    let is_block = matches!(
        value.kind(),
        minijinja::value::ValueKind::Map | minijinja::value::ValueKind::Seq
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
        yaml(&value, None).unwrap()
    }

    #[test]
    fn scalars_keep_their_type() {
        assert_eq!(render(Value::from("on")), "\"on\"");
        assert_eq!(render(Value::from("1.35.4")), "\"1.35.4\"");
        assert_eq!(render(Value::from("calico")), "calico");
        assert_eq!(render(Value::from(true)), "true");
        assert_eq!(render(Value::from(64)), "64");
        assert_eq!(render(Value::from("two\nlines")), "\"two\\nlines\"");
    }

    #[test]
    fn collections_are_blocks_on_the_next_line() {
        let list = Value::from(vec!["/dev/sdb", "/dev/sdc"]);
        assert_eq!(render(list), "\n  - /dev/sdb\n  - /dev/sdc");
        assert_eq!(render(Value::from(Vec::<String>::new())), "[]");
    }

    #[test]
    fn undefined_is_an_error() {
        assert!(yaml(&Value::UNDEFINED, None).is_err());
    }
}
