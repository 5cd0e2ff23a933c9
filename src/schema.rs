//! The JSON Schema of the spec (draft-07, which the YAML language server supports), derived from
//! the spec types and their doc comments.

/// The schema as pretty-printed JSON with a final newline.
pub fn json_schema() -> String {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<crate::spec::Spec>();
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}

/// The spec reference in Markdown, generated from the schema (docs/spec-reference.md is this,
/// checked for drift): the root, then each type in the order it is first referenced.
pub fn reference_markdown() -> String {
    let schema: serde_json::Value =
        serde_json::from_str(&json_schema()).expect("the schema is JSON");
    let definitions = schema["definitions"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut out = String::from(
        "# Spec reference\n\nGenerated from the spec types by `cephspray schema --markdown`; a test fails when it \
         drifts. The same text is in the JSON Schema (`schemas/cluster.schema.json`) that editors use.\n",
    );
    let mut queue = vec![("Spec".to_owned(), schema.clone())];
    let mut seen = vec!["Spec".to_owned()];
    while !queue.is_empty() {
        let (name, def) = queue.remove(0);
        section(&mut out, &name, &def);
        let mut refs = Vec::new();
        collect_refs(&def, &mut refs);
        for r in refs {
            if !seen.contains(&r)
                && let Some(d) = definitions.get(&r)
            {
                seen.push(r.clone());
                queue.push((r, d.clone()));
            }
        }
    }
    out
}

fn section(out: &mut String, name: &str, def: &serde_json::Value) {
    use std::fmt::Write;
    let _ = write!(out, "\n## {name}\n\n");
    if let Some(text) = def["description"].as_str() {
        let _ = writeln!(out, "{text}\n");
    }
    if let Some(properties) = def["properties"].as_object() {
        let required: Vec<&str> = def["required"]
            .as_array()
            .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        out.push_str("| field | type | default | description |\n|---|---|---|---|\n");
        for (field, prop) in properties {
            let default = if required.contains(&field.as_str()) {
                "required".to_owned()
            } else {
                match &prop["default"] {
                    serde_json::Value::Null => "—".to_owned(),
                    v if v.is_object() => "see type".to_owned(),
                    v => format!("`{v}`"),
                }
            };
            let description = prop["description"]
                .as_str()
                .unwrap_or("")
                .replace('\n', " ");
            let _ = writeln!(
                out,
                "| `{field}` | {} | {default} | {description} |",
                type_name(prop)
            );
        }
    } else if let Some(variants) = def["oneOf"].as_array().or(def["anyOf"].as_array()) {
        for v in variants {
            let value = v["const"]
                .as_str()
                .map(|c| format!("`{c}`"))
                .or_else(|| {
                    v["enum"].as_array().map(|e| {
                        e.iter()
                            .map(|x| format!("`{}`", x.as_str().unwrap_or("")))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                })
                .or_else(|| {
                    v["properties"]
                        .as_object()
                        .and_then(|p| p.keys().next())
                        .map(|k| format!("`{{ {k}: … }}`"))
                })
                .unwrap_or_else(|| type_name(v));
            let _ = writeln!(
                out,
                "- {value}: {}",
                v["description"].as_str().unwrap_or("").replace('\n', " ")
            );
        }
    } else if let Some(values) = def["enum"].as_array() {
        let list: Vec<String> = values
            .iter()
            .map(|v| format!("`{}`", v.as_str().unwrap_or_default()))
            .collect();
        let _ = writeln!(out, "One of {}.", list.join(", "));
    }
}

fn type_name(prop: &serde_json::Value) -> String {
    if let Some(r) = prop["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("[{name}](#{})", name.to_lowercase());
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(options) = prop[key].as_array() {
            let names: Vec<String> = options
                .iter()
                .filter(|o| o["type"] != "null")
                .map(type_name)
                .collect();
            let optional = options.iter().any(|o| o["type"] == "null");
            return format!(
                "{}{}",
                names.join(" or "),
                if optional { " (optional)" } else { "" }
            );
        }
    }
    match &prop["type"] {
        serde_json::Value::String(t) if t == "array" => {
            format!("list of {}", type_name(&prop["items"]))
        }
        serde_json::Value::String(t) if t == "object" => match prop.get("additionalProperties") {
            Some(v) if v.is_object() => format!("map of {}", type_name(v)),
            _ => "map".to_owned(),
        },
        serde_json::Value::String(t) => {
            let format = prop["format"]
                .as_str()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default();
            format!("{t}{format}")
        }
        serde_json::Value::Array(types) => {
            types
                .iter()
                .filter_map(|t| t.as_str())
                .filter(|t| *t != "null")
                .collect::<Vec<_>>()
                .join(" or ")
                + if types.iter().any(|t| t == "null") {
                    " (optional)"
                } else {
                    ""
                }
        }
        _ => "any".to_owned(),
    }
}

fn collect_refs(value: &serde_json::Value, refs: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(|r| r.as_str()) {
                refs.push(r.rsplit('/').next().unwrap_or(r).to_owned());
            }
            for (key, v) in map {
                if key != "definitions" {
                    collect_refs(v, refs);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}
