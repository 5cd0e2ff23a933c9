//! The committed JSON Schema: derived from the code, and it accepts every valid fixture and
//! rejects every invalid one that the spec's types reject (a real draft-07 validator, formats on).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn committed() -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/cluster.schema.json")).unwrap(),
    )
    .unwrap()
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn committed_schema_matches_the_spec_types() {
    let path = root().join("schemas/cluster.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == cephspray::schema::json_schema(),
        "schemas/cluster.schema.json is out of date: run `cargo run -- schema > schemas/cluster.schema.json`"
    );
}

#[test]
fn fixtures_are_validated_by_the_schema() {
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&committed())
        .expect("the committed schema is a valid draft-07 schema");
    for path in yaml_files(&root().join("fixtures")) {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schemas/cluster.schema.json\n"),
            "{} has no schema modeline",
            path.display()
        );
        let instance: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
    let mut rejected = 0;
    for path in yaml_files(&root().join("fixtures/invalid")) {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("# yaml-language-server: $schema=../../schemas/cluster.schema.json\n")
        );
        // The schema-level errors: those the typed parse already refuses.
        if cephspray::spec::parse("x", &text).is_ok() {
            continue;
        }
        // Below the schema's level: YAML that is no single document (duplicate keys, a second
        // document, tabs, nesting beyond the parser's bound) has no instance to validate.
        let Ok(instance) = serde_saphyr::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        assert!(
            !validator.is_valid(&instance),
            "{}: the schema accepts what the parser refuses",
            path.display()
        );
        rejected += 1;
    }
    assert!(
        rejected >= 3,
        "only {rejected} schema-level invalid fixtures"
    );
}

#[test]
fn the_spec_reference_is_generated_from_the_schema() {
    let committed =
        std::fs::read_to_string(root().join("docs/spec-reference.md")).unwrap_or_default();
    assert!(
        committed == cephspray::schema::reference_markdown(),
        "docs/spec-reference.md is out of date: run `cargo run -- schema --markdown > docs/spec-reference.md`"
    );
}
