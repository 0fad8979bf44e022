//! One row of the `workspaces` query, already decoded into plain cells,
//! checked and turned into a [`Workspace`] — or into the [`RowProblem`] that
//! keeps it out.
//!
//! Pure: no database here, so every rule is a table-driven unit test. Values
//! are data and stay untouched (no trimming, no case folding of ids or
//! hosts); only `encrypt` is matched case-insensitively. Duplicate ids are
//! spotted by the caller, which sees every row.

use std::fmt;

use serde::Serialize;

use super::columns::Field;
use crate::config::{Encrypt, Secret};
use crate::workspace::{Location, Workspace, WorkspaceId};

/// One decoded cell: text (also a uuid, rendered hyphenated) or an integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    Text(String),
    Int(i64),
}

/// Cells of one row by [`Field`]; `None` is SQL NULL or an absent column.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawRow {
    cells: [Option<Cell>; 9],
}

impl RawRow {
    pub(crate) fn set(&mut self, field: Field, cell: Option<Cell>) {
        self.cells[field as usize] = cell;
    }

    fn get(&self, field: Field) -> Option<&Cell> {
        self.cells[field as usize].as_ref()
    }

    /// The id as wsdb shows it: integers in decimal, text as-is.
    pub(crate) fn id(&self) -> Option<String> {
        match self.get(Field::Id)? {
            Cell::Text(text) => Some(text.clone()),
            Cell::Int(value) => Some(value.to_string()),
        }
    }

    fn text(&self, field: Field) -> Option<&str> {
        match self.get(field)? {
            Cell::Text(text) => Some(text),
            Cell::Int(_) => None,
        }
    }

    /// An optional text column; an empty value counts as NULL, because
    /// `COALESCE(x, '')` habits differ from one schema to the next.
    fn optional(&self, field: Field) -> Option<String> {
        self.text(field)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    }
}

/// Why one row of the `workspaces` query is not a usable workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum RowProblem {
    /// A required value is NULL.
    NullValue {
        column: &'static str,
    },
    /// A required text value is the empty string.
    EmptyValue {
        column: &'static str,
    },
    PortOutOfRange {
        found: i64,
    },
    PortNotInteger {
        found: String,
    },
    BadEncrypt {
        found: String,
    },
    /// Another row with the same id came first, at this 1-based position.
    DuplicateId {
        first_index: usize,
    },
    /// Both `connection_string` and (some of) `host`, `port`, `database`.
    BothLocations,
    /// Neither `connection_string` nor `host`, `port`, `database`.
    NoLocation,
    /// The driver could not decode the value.
    Undecodable {
        column: &'static str,
        cause: String,
    },
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::NullValue { column } => write!(f, "`{column}` is NULL"),
            RowProblem::EmptyValue { column } => write!(f, "`{column}` is empty"),
            RowProblem::PortOutOfRange { found } => {
                write!(f, "`port` is {found}, expected 1 to 65535")
            }
            RowProblem::PortNotInteger { found } => {
                write!(f, "`port` is {}, expected an integer", shown(found))
            }
            RowProblem::BadEncrypt { found } => {
                write!(
                    f,
                    "`encrypt` is {}, expected off, on or required",
                    shown(found)
                )
            }
            RowProblem::DuplicateId { first_index } => {
                write!(f, "the same `id` as row {first_index}")
            }
            RowProblem::BothLocations => f.write_str(
                "both `connection_string` and `host`/`port`/`database` are set, expected one",
            ),
            RowProblem::NoLocation => {
                f.write_str("neither `connection_string` nor `host`/`port`/`database` is set")
            }
            RowProblem::Undecodable { column, cause } => {
                write!(f, "`{column}` cannot be read: {cause}")
            }
        }
    }
}

/// A value quoted for a message: control characters escaped, long values
/// cut, so a hostile cell cannot break the terminal or flood it.
pub(crate) fn shown(value: &str) -> String {
    const LIMIT: usize = 40;
    let escaped: String = value.chars().flat_map(char::escape_debug).collect();
    match escaped.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("\"{}…\"", &escaped[..cut]),
        None => format!("\"{escaped}\""),
    }
}

/// Which location columns the result has (decided once, by the column map).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub(crate) has_parts: bool,
    pub(crate) has_connection_string: bool,
}

/// Checks the id of a row: present and not empty.
pub(crate) fn check_id(row: &RawRow) -> Result<WorkspaceId, RowProblem> {
    match row.id() {
        None => Err(RowProblem::NullValue { column: "id" }),
        Some(id) if id.is_empty() => Err(RowProblem::EmptyValue { column: "id" }),
        Some(id) => Ok(WorkspaceId(id)),
    }
}

/// Everything but the id (and its uniqueness) of one row.
pub(crate) fn to_workspace(
    id: WorkspaceId,
    row: &RawRow,
    shape: Shape,
) -> Result<Workspace, RowProblem> {
    Ok(Workspace {
        id,
        location: location(row, shape)?,
        user: row.optional(Field::User),
        password_env: row.optional(Field::PasswordEnv),
        encrypt: encrypt(row)?,
        group: row.optional(Field::Group),
    })
}

fn location(row: &RawRow, shape: Shape) -> Result<Location, RowProblem> {
    let parts = [Field::Host, Field::Port, Field::Database];
    let any_part = parts.iter().any(|f| row.get(*f).is_some());
    match (row.text(Field::ConnectionString), any_part) {
        (Some(_), true) => Err(RowProblem::BothLocations),
        (Some(""), false) => Err(RowProblem::EmptyValue {
            column: "connection_string",
        }),
        (Some(text), false) => Ok(Location::ConnectionString(Secret::new(text.to_owned()))),
        (None, false) if shape.has_parts && shape.has_connection_string => {
            Err(RowProblem::NoLocation)
        }
        (None, _) if shape.has_parts => Ok(Location::Parts {
            host: required_text(row, Field::Host)?,
            port: port(row)?,
            database: required_text(row, Field::Database)?,
        }),
        (None, _) => Err(RowProblem::NullValue {
            column: "connection_string",
        }),
    }
}

fn required_text(row: &RawRow, field: Field) -> Result<String, RowProblem> {
    match row.text(field) {
        None => Err(RowProblem::NullValue {
            column: field.name(),
        }),
        Some("") => Err(RowProblem::EmptyValue {
            column: field.name(),
        }),
        Some(text) => Ok(text.to_owned()),
    }
}

fn port(row: &RawRow) -> Result<u16, RowProblem> {
    let value = match row.get(Field::Port) {
        None => return Err(RowProblem::NullValue { column: "port" }),
        Some(Cell::Int(value)) => *value,
        Some(Cell::Text(text)) => text
            .parse::<i64>()
            .map_err(|_| RowProblem::PortNotInteger {
                found: text.clone(),
            })?,
    };
    match u16::try_from(value) {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(RowProblem::PortOutOfRange { found: value }),
    }
}

fn encrypt(row: &RawRow) -> Result<Option<Encrypt>, RowProblem> {
    let Some(text) = row.optional(Field::Encrypt) else {
        return Ok(None);
    };
    match text.to_ascii_lowercase().as_str() {
        "off" => Ok(Some(Encrypt::Off)),
        "on" => Ok(Some(Encrypt::On)),
        "required" => Ok(Some(Encrypt::Required)),
        _ => Err(RowProblem::BadEncrypt { found: text }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTS: Shape = Shape {
        has_parts: true,
        has_connection_string: false,
    };
    const BOTH: Shape = Shape {
        has_parts: true,
        has_connection_string: true,
    };
    const STRING_ONLY: Shape = Shape {
        has_parts: false,
        has_connection_string: true,
    };

    fn text(value: &str) -> Option<Cell> {
        Some(Cell::Text(value.to_owned()))
    }

    fn row(cells: &[(Field, Option<Cell>)]) -> RawRow {
        let mut row = RawRow::default();
        row.set(Field::Id, Some(Cell::Int(1)));
        for (field, cell) in cells {
            row.set(*field, cell.clone());
        }
        row
    }

    fn parts(host: Option<Cell>, port: Option<Cell>, database: Option<Cell>) -> RawRow {
        row(&[
            (Field::Host, host),
            (Field::Port, port),
            (Field::Database, database),
        ])
    }

    fn problem(row: &RawRow, shape: Shape) -> Option<RowProblem> {
        check_id(row)
            .and_then(|id| to_workspace(id, row, shape))
            .err()
    }

    #[test]
    fn row_problems_table() {
        use RowProblem::*;
        let port = Some(Cell::Int(1433));
        let cases: Vec<(&str, RawRow, Shape, Option<RowProblem>)> = vec![
            (
                "valid parts",
                parts(text("db"), port.clone(), text("ws")),
                PARTS,
                None,
            ),
            (
                "null id",
                row(&[(Field::Id, None)]),
                PARTS,
                Some(NullValue { column: "id" }),
            ),
            (
                "empty id",
                row(&[(Field::Id, text(""))]),
                PARTS,
                Some(EmptyValue { column: "id" }),
            ),
            (
                "null host",
                parts(None, port.clone(), text("ws")),
                PARTS,
                Some(NullValue { column: "host" }),
            ),
            (
                "empty host",
                parts(text(""), port.clone(), text("ws")),
                PARTS,
                Some(EmptyValue { column: "host" }),
            ),
            (
                "null database",
                parts(text("db"), port.clone(), None),
                PARTS,
                Some(NullValue { column: "database" }),
            ),
            (
                "null port",
                parts(text("db"), None, text("ws")),
                PARTS,
                Some(NullValue { column: "port" }),
            ),
            (
                "port 0",
                parts(text("db"), Some(Cell::Int(0)), text("ws")),
                PARTS,
                Some(PortOutOfRange { found: 0 }),
            ),
            (
                "port 65536",
                parts(text("db"), Some(Cell::Int(65_536)), text("ws")),
                PARTS,
                Some(PortOutOfRange { found: 65_536 }),
            ),
            (
                "port -1",
                parts(text("db"), Some(Cell::Int(-1)), text("ws")),
                PARTS,
                Some(PortOutOfRange { found: -1 }),
            ),
            (
                "text port",
                parts(text("db"), text("1433"), text("ws")),
                PARTS,
                None,
            ),
            (
                "text port abc",
                parts(text("db"), text("abc"), text("ws")),
                PARTS,
                Some(PortNotInteger {
                    found: "abc".into(),
                }),
            ),
            (
                "text port huge",
                parts(text("db"), text("99999999999"), text("ws")),
                PARTS,
                Some(PortOutOfRange {
                    found: 99_999_999_999,
                }),
            ),
            (
                "connection string",
                row(&[(Field::ConnectionString, text("Server=x"))]),
                STRING_ONLY,
                None,
            ),
            (
                "empty connection string",
                row(&[(Field::ConnectionString, text(""))]),
                STRING_ONLY,
                Some(EmptyValue {
                    column: "connection_string",
                }),
            ),
            (
                "null connection string",
                row(&[]),
                STRING_ONLY,
                Some(NullValue {
                    column: "connection_string",
                }),
            ),
            (
                "both locations",
                row(&[
                    (Field::ConnectionString, text("Server=x")),
                    (Field::Host, text("db")),
                ]),
                BOTH,
                Some(BothLocations),
            ),
            ("no location", row(&[]), BOTH, Some(NoLocation)),
            (
                "parts when both columns exist",
                parts(text("db"), port.clone(), text("ws")),
                BOTH,
                None,
            ),
            (
                "bad encrypt",
                row(&[
                    (Field::ConnectionString, text("Server=x")),
                    (Field::Encrypt, text("yes")),
                ]),
                STRING_ONLY,
                Some(BadEncrypt {
                    found: "yes".into(),
                }),
            ),
        ];
        for (name, row, shape, expected) in cases {
            assert_eq!(problem(&row, shape), expected, "{name}");
        }
    }

    #[test]
    fn optional_columns_overlay_and_empty_counts_as_null() {
        let mut raw = parts(text("db"), Some(Cell::Int(1433)), text("ws"));
        raw.set(Field::User, text("alice"));
        raw.set(Field::PasswordEnv, text(""));
        raw.set(Field::Encrypt, text("Required"));
        raw.set(Field::Group, text("eu-west"));
        let workspace = check_id(&raw).and_then(|id| to_workspace(id, &raw, PARTS));
        let workspace = workspace.ok();
        let workspace = workspace.as_ref();
        assert_eq!(workspace.and_then(|w| w.user.as_deref()), Some("alice"));
        assert_eq!(workspace.and_then(|w| w.password_env.as_deref()), None);
        assert_eq!(workspace.and_then(|w| w.encrypt), Some(Encrypt::Required));
        assert_eq!(workspace.and_then(|w| w.group.as_deref()), Some("eu-west"));
    }

    #[test]
    fn hostile_values_are_kept_as_data() {
        let hostile = "x'; DROP TABLE t; --[]\"\u{202e}日本";
        let raw = row(&[
            (Field::Id, text(hostile)),
            (Field::Host, text(hostile)),
            (Field::Port, Some(Cell::Int(1))),
            (Field::Database, text(hostile)),
        ]);
        let workspace = check_id(&raw)
            .and_then(|id| to_workspace(id, &raw, PARTS))
            .ok();
        assert_eq!(workspace.as_ref().map(|w| w.id.as_str()), Some(hostile));
        match workspace.map(|w| w.location) {
            Some(Location::Parts { host, database, .. }) => {
                assert_eq!(host, hostile);
                assert_eq!(database, hostile);
            }
            other => panic!("expected parts, got {other:?}"),
        }
    }

    #[test]
    fn messages_quote_values_safely() {
        let long = "a".repeat(10_000);
        let text = RowProblem::PortNotInteger { found: long }.to_string();
        assert!(text.len() < 100, "{text}");
        let text = RowProblem::BadEncrypt {
            found: "on\nrm -rf".into(),
        }
        .to_string();
        assert_eq!(
            text,
            "`encrypt` is \"on\\nrm -rf\", expected off, on or required"
        );
        assert_eq!(
            RowProblem::DuplicateId { first_index: 3 }.to_string(),
            "the same `id` as row 3"
        );
    }
}
