//! The committed schema is the one the code derives.

#[test]
fn committed_schema_matches_the_spec_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/cluster.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == cephspray::schema::json_schema(),
        "schemas/cluster.schema.json is out of date: run `cargo run -- schema > schemas/cluster.schema.json`"
    );
}
