//! wsdb's documented JSON output schema (docs/json-output.schema.json),
//! compiled once, and assertions that a `--format json` document or every
//! line of a `--format ndjson` stream conforms to it. A failure names each
//! violation with its JSON pointer and prints the offending value, so a
//! drift between the docs and the code explains itself. Not here: what the
//! values mean (the tests that ran the command check that).

use std::sync::LazyLock;

use jsonschema::Validator;
use serde_json::Value;

static SCHEMA: LazyLock<Validator> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json-output.schema.json");
    let text = std::fs::read_to_string(path).expect("read docs/json-output.schema.json");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
});

/// Panics with every violation unless `value` conforms to the schema.
#[track_caller]
pub fn assert_valid(value: &Value, what: &str) {
    let problems: Vec<String> = SCHEMA
        .iter_errors(value)
        .map(|error| format!("  at `{}`: {error}", error.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{what} does not match docs/json-output.schema.json:\n{}\n--- value:\n{}",
        problems.join("\n"),
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// Parses `stdout` as one document and checks it.
#[track_caller]
pub fn assert_document(stdout: &str, what: &str) -> Value {
    let value: Value = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("{what}: stdout is not one JSON document ({e}):\n{stdout}"));
    assert_valid(&value, what);
    value
}

/// Parses every line of `stdout` and checks each; returns the events.
#[track_caller]
pub fn assert_ndjson(stdout: &str, what: &str) -> Vec<Value> {
    let events: Vec<Value> = stdout
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{what}: line {} is not JSON ({e}):\n{line}", i + 1));
            assert_valid(&value, &format!("{what}, line {}", i + 1));
            value
        })
        .collect();
    assert!(!events.is_empty(), "{what}: no ndjson events");
    events
}
