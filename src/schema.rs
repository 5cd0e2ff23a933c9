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
