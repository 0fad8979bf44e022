//! Machine output: the `--format json` document (one per command) and the
//! `--format ndjson` event lines. Both carry `schema_version`; the schema is
//! documented in docs/json-output.md and checked by tests.

use serde::Serialize;
use serde_json::{Map, Value};

use super::event::Event;
use super::summary::{RunReport, SCHEMA_VERSION};

/// Serialises `value` with `schema_version` as its first key.
pub fn with_schema_version(value: &impl Serialize) -> Value {
    let mut object = Map::new();
    object.insert("schema_version".to_owned(), Value::from(SCHEMA_VERSION));
    match serde_json::to_value(value) {
        Ok(Value::Object(fields)) => {
            for (key, field) in fields {
                if key != "schema_version" {
                    object.insert(key, field);
                }
            }
        }
        Ok(other) => {
            object.insert("value".to_owned(), other);
        }
        Err(err) => {
            object.insert("error".to_owned(), Value::from(err.to_string()));
        }
    }
    Value::Object(object)
}

/// One ndjson line on stdout.
pub fn write_event(event: &Event) {
    super::write_stdout(&format!("{}\n", with_schema_version(event)));
}

/// The final ndjson line: the run's summary without the per-workspace lines
/// (those were streamed as `workspace_finished` events).
pub fn write_run_finished(report: &RunReport) {
    let mut value = with_schema_version(report);
    if let Value::Object(object) = &mut value {
        object.remove("workspaces");
        let mut tagged = Map::new();
        tagged.insert("event".to_owned(), Value::from("run_finished"));
        tagged.extend(std::mem::take(object));
        value = Value::Object(tagged);
    }
    super::write_stdout(&format!("{value}\n"));
}

/// The `--format json` document, pretty-printed.
pub fn render_document(report: &RunReport) -> String {
    let value = with_schema_version(report);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_version_comes_first() {
        let event = Event::WorkspaceStarted {
            workspace: "acme".into(),
        };
        let line = with_schema_version(&event).to_string();
        assert_eq!(
            line,
            r#"{"schema_version":1,"event":"workspace_started","workspace":"acme"}"#
        );
    }
}
