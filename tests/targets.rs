//! Keeps "how to add a release" honest: every release the spec accepts (the committed JSON
//! Schema's `targets:` definitions, so a new variant needs no edit here) is selected by a valid
//! fixture, which gives it a snapshot and a run through the conformance suite, and has templates
//! of its own under `templates/` or inherits those of a release that has them.

mod common;

use common::{root, valid_fixtures};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One consumer of `targets:` as the schema describes it.
struct Consumer {
    /// Its key under `targets:` (`kubespray`).
    key: String,
    /// The schema definition of its releases (`KubesprayRelease`).
    definition: String,
    /// The releases the schema accepts (`2.31`), in the schema's order.
    releases: Vec<String>,
}

/// The consumers of `targets:` in the committed schema, in its order (the order of
/// `spec::Targets`' fields, which is the order `render::target::releases` returns them in).
fn consumers() -> Vec<Consumer> {
    let path = root().join("schemas/cluster.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| {
            panic!("{}: {e}", path.display());
        });
    let definitions = &schema["definitions"];
    let properties = definitions["Targets"]["properties"]
        .as_object()
        .expect("schemas/cluster.schema.json has definitions.Targets.properties");
    let consumers: Vec<Consumer> = properties
        .iter()
        .map(|(key, property)| {
            let reference = property["$ref"]
                .as_str()
                .or_else(|| property["allOf"][0]["$ref"].as_str())
                .unwrap_or_else(|| panic!("targets.{key}: no $ref to its releases' definition"));
            let definition = reference.trim_start_matches("#/definitions/").to_owned();
            let releases = releases(&definitions[&definition]);
            assert!(
                !releases.is_empty(),
                "targets.{key}: {definition} lists no release (no `const` or `enum` value)"
            );
            Consumer {
                key: key.clone(),
                definition,
                releases,
            }
        })
        .collect();
    assert!(!consumers.is_empty(), "targets: has no consumer");
    consumers
}

/// The values of an enumeration as schemars writes it: `oneOf`/`anyOf` entries with a `const`
/// (variants with doc comments), or an `enum` list.
fn releases(definition: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for key in ["oneOf", "anyOf"] {
        for variant in definition[key].as_array().into_iter().flatten() {
            found.extend(variant["const"].as_str().map(str::to_owned));
            for value in variant["enum"].as_array().into_iter().flatten() {
                found.extend(value.as_str().map(str::to_owned));
            }
        }
    }
    for value in definition["enum"].as_array().into_iter().flatten() {
        found.extend(value.as_str().map(str::to_owned));
    }
    found
}

/// What a valid fixture selects, as the library reads it (defaults applied): for each consumer's
/// key, the release and the target `render` uses for it.
struct Selection {
    fixture: String,
    releases: BTreeMap<String, String>,
    /// `(namespace, inherits)` of each consumer's target.
    targets: BTreeMap<String, (&'static str, Option<&'static str>)>,
}

fn selections(consumers: &[Consumer]) -> Vec<Selection> {
    valid_fixtures()
        .iter()
        .map(|path| {
            let fixture = format!("fixtures/{}", path.file_name().unwrap().to_string_lossy());
            let (spec, _) =
                cephspray::spec::load_file(path).unwrap_or_else(|e| panic!("{fixture}: {e}"));
            let targets = serde_json::to_value(spec.targets).unwrap();
            let releases: BTreeMap<String, String> = consumers
                .iter()
                .map(|c| {
                    let release = targets[&c.key].as_str().unwrap_or_else(|| {
                        panic!("{fixture}: targets.{} is not a string in {targets}", c.key)
                    });
                    (c.key.clone(), release.to_owned())
                })
                .collect();
            let plan = cephspray::plan::plan(&spec, &fixture);
            let selected = cephspray::render::target::releases(&plan);
            assert_eq!(
                selected.len(),
                consumers.len(),
                "render::target::releases returns one target per consumer of `targets:`"
            );
            let targets = consumers
                .iter()
                .zip(selected)
                .map(|(c, t)| (c.key.clone(), (t.namespace(), t.inherits())))
                .collect();
            Selection {
                fixture,
                releases,
                targets,
            }
        })
        .collect()
}

#[test]
fn every_release_is_selected_by_a_valid_fixture() {
    let consumers = consumers();
    let selections = selections(&consumers);
    let mut missing = Vec::new();
    for consumer in &consumers {
        for release in &consumer.releases {
            if !selections
                .iter()
                .any(|s| s.releases[&consumer.key] == *release)
            {
                missing.push(format!(
                    "{key} {release:?} ({definition} in schemas/cluster.schema.json) is selected \
                     by no valid fixture: add one under fixtures/ with \
                     `targets: {{ {key}: \"{release}\" }}`",
                    key = consumer.key,
                    definition = consumer.definition,
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{}\nEvery release needs a valid fixture that selects it, with its snapshot \
         (`INSTA_UPDATE=always cargo test --test fixtures`, then review \
         snapshots/<fixture>.snap), and the conformance suite covering it (its upstream tree in \
         scripts/setup-upstream.sh and tests/common/upstream.rs, so that tests/conformance.rs \
         runs the fixture through the release's own roles).",
        missing.join("\n"),
    );
    // Nothing selects a release the schema does not know (the schema test catches a stale one).
    for selection in &selections {
        for consumer in &consumers {
            let release = &selection.releases[&consumer.key];
            assert!(
                consumer.releases.contains(release),
                "{}: {} {release:?} is not in {} of schemas/cluster.schema.json",
                selection.fixture,
                consumer.key,
                consumer.definition
            );
        }
    }
}

#[test]
fn every_release_has_its_own_template_directory_or_inherits_one() {
    let consumers = consumers();
    let selections = selections(&consumers);
    let templates = root().join("templates");
    // (consumer, release) → (namespace, inherits), the same in every fixture that selects it.
    let mut targets: BTreeMap<(String, String), (&str, Option<&str>)> = BTreeMap::new();
    for selection in &selections {
        for consumer in &consumers {
            let release = selection.releases[&consumer.key].clone();
            let target = selection.targets[&consumer.key];
            let first = *targets
                .entry((consumer.key.clone(), release.clone()))
                .or_insert(target);
            assert_eq!(
                first, target,
                "{}: {} {release:?} renders with another target than in an earlier fixture",
                selection.fixture, consumer.key
            );
        }
    }
    let mut problems = Vec::new();
    let mut namespaces: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for ((key, release), (namespace, inherits)) in &targets {
        if let Some((other_key, other)) =
            namespaces.insert(namespace, (key.clone(), release.clone()))
        {
            problems.push(format!(
                "{key} {release:?} and {other_key} {other:?} both use templates/{namespace}/"
            ));
        }
        let own = templates.join(namespace).is_dir();
        match inherits {
            _ if own => {}
            Some(parent) if templates.join(parent).is_dir() => {}
            Some(parent) => problems.push(format!(
                "{key} {release:?}: neither templates/{namespace}/ nor templates/{parent}/ \
                 (which it inherits) exists"
            )),
            None => problems.push(format!(
                "{key} {release:?}: templates/{namespace}/ does not exist: create it with the \
                 release's templates, or have its target inherit a release's directory \
                 (`inherits` in src/render)"
            )),
        }
    }
    // Releases without a fixture are reported by every_release_is_selected_by_a_valid_fixture.
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let covered: BTreeSet<&String> = targets.keys().map(|(key, _)| key).collect();
    assert_eq!(covered.len(), consumers.len(), "a consumer without targets");
}
