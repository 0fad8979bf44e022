//! Which columns of the `workspaces` query wsdb reads, and whether their
//! types can be read: checked once, from the prepared statement, before the
//! first row is fetched.
//!
//! This is where a query that lacks `id` or a location is refused (listing
//! what it did return) and where a column of an unusable type is named. It
//! does not look at values: per-row problems are `rows.rs`'s business.

use sqlx::postgres::PgTypeInfo;
use sqlx::postgres::types::Oid;
use sqlx::{Postgres, Type};

use crate::control::ControlError;

/// How a column's values are decoded, from its PostgreSQL type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ValueKind {
    /// text, varchar, name, citext: read as-is.
    Text,
    /// char(n): PostgreSQL pads it with spaces that mean nothing, so they
    /// are trimmed (otherwise `char(10)` hosts would not resolve).
    PaddedText,
    Int2,
    Int4,
    Int8,
    Uuid,
    /// Anything else, by its type name; readable by no field.
    Other(String),
}

/// `bpchar`'s catalog OID, stable across PostgreSQL versions.
const BPCHAR_OID: Oid = Oid(1042);

impl ValueKind {
    pub(crate) fn of(type_info: &PgTypeInfo) -> ValueKind {
        use sqlx::TypeInfo;
        if type_info.oid() == Some(BPCHAR_OID) {
            ValueKind::PaddedText
        } else if <i16 as Type<Postgres>>::compatible(type_info) {
            ValueKind::Int2
        } else if <i32 as Type<Postgres>>::compatible(type_info) {
            ValueKind::Int4
        } else if <i64 as Type<Postgres>>::compatible(type_info) {
            ValueKind::Int8
        } else if <uuid::Uuid as Type<Postgres>>::compatible(type_info) {
            ValueKind::Uuid
        } else if <String as Type<Postgres>>::compatible(type_info) {
            ValueKind::Text
        } else {
            ValueKind::Other(type_info.name().to_lowercase())
        }
    }

    fn is_text(&self) -> bool {
        matches!(self, ValueKind::Text | ValueKind::PaddedText)
    }

    fn is_integer(&self) -> bool {
        matches!(self, ValueKind::Int2 | ValueKind::Int4 | ValueKind::Int8)
    }

    fn type_name(&self) -> String {
        match self {
            ValueKind::Text => "text".to_owned(),
            ValueKind::PaddedText => "char".to_owned(),
            ValueKind::Int2 => "int2".to_owned(),
            ValueKind::Int4 => "int4".to_owned(),
            ValueKind::Int8 => "int8".to_owned(),
            ValueKind::Uuid => "uuid".to_owned(),
            ValueKind::Other(name) => name.clone(),
        }
    }
}

/// A column wsdb understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Id,
    Host,
    Port,
    Database,
    ConnectionString,
    User,
    PasswordEnv,
    Encrypt,
    Group,
}

impl Field {
    pub(crate) const ALL: [Field; 9] = [
        Field::Id,
        Field::Host,
        Field::Port,
        Field::Database,
        Field::ConnectionString,
        Field::User,
        Field::PasswordEnv,
        Field::Encrypt,
        Field::Group,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Host => "host",
            Field::Port => "port",
            Field::Database => "database",
            Field::ConnectionString => "connection_string",
            Field::User => "user",
            Field::PasswordEnv => "password_env",
            Field::Encrypt => "encrypt",
            Field::Group => "group",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }

    fn accepts(self, kind: &ValueKind) -> bool {
        match self {
            Field::Id => kind.is_text() || kind.is_integer() || *kind == ValueKind::Uuid,
            // Text ports are accepted and parsed per row, so a text column
            // holding "1433" works and "abc" rejects only its own row.
            Field::Port => kind.is_integer() || kind.is_text(),
            _ => kind.is_text(),
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Field::Id => "an integer, text or uuid",
            Field::Port => "an integer (or text holding one)",
            _ => "text",
        }
    }
}

/// Where each understood field is in the result, and how to decode it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ColumnMap {
    slots: [Option<(usize, ValueKind)>; 9],
}

impl ColumnMap {
    /// Maps the result's `(name, kind)` columns; other columns are ignored.
    /// Names match exactly (PostgreSQL folds unquoted names to lower case).
    pub(crate) fn build(columns: &[(String, ValueKind)]) -> Result<ColumnMap, ControlError> {
        let mut map = ColumnMap::default();
        for (index, (name, kind)) in columns.iter().enumerate() {
            let Some(field) = Field::ALL.into_iter().find(|f| f.name() == name) else {
                continue;
            };
            if map.slots[field.slot()].is_some() {
                return Err(ControlError::DuplicateColumn {
                    column: name.clone(),
                });
            }
            if !field.accepts(kind) {
                return Err(ControlError::ColumnType {
                    column: name.clone(),
                    expected: field.expected(),
                    found: kind.type_name(),
                });
            }
            map.slots[field.slot()] = Some((index, kind.clone()));
        }
        let missing = map.missing();
        if missing.is_empty() {
            Ok(map)
        } else {
            Err(ControlError::MissingColumns {
                missing: missing.into_iter().map(str::to_owned).collect(),
                returned: columns.iter().map(|(name, _)| name.clone()).collect(),
            })
        }
    }

    /// Required columns the result lacks: `id`, and a location. When some of
    /// `host`, `port`, `database` are there, the others are what is missing;
    /// when none is, both forms are named.
    fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.get(Field::Id).is_none() {
            missing.push(Field::Id.name());
        }
        if self.has_parts() || self.has_connection_string() {
            return missing;
        }
        let parts = [Field::Host, Field::Port, Field::Database];
        let absent: Vec<_> = parts
            .into_iter()
            .filter(|f| self.get(*f).is_none())
            .collect();
        let only_partly = absent.len() < parts.len();
        missing.extend(absent.into_iter().map(Field::name));
        if !only_partly {
            missing.push(Field::ConnectionString.name());
        }
        missing
    }

    pub(crate) fn get(&self, field: Field) -> Option<&(usize, ValueKind)> {
        self.slots[field.slot()].as_ref()
    }

    /// Whether `host`, `port` and `database` are all columns of the result.
    pub(crate) fn has_parts(&self) -> bool {
        [Field::Host, Field::Port, Field::Database]
            .into_iter()
            .all(|f| self.get(f).is_some())
    }

    pub(crate) fn has_connection_string(&self) -> bool {
        self.get(Field::ConnectionString).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(spec: &[(&str, ValueKind)]) -> Vec<(String, ValueKind)> {
        spec.iter()
            .map(|(n, k)| ((*n).to_owned(), k.clone()))
            .collect()
    }

    fn missing_of(spec: &[(&str, ValueKind)]) -> Option<Vec<String>> {
        match ColumnMap::build(&columns(spec)) {
            Err(ControlError::MissingColumns { missing, .. }) => Some(missing),
            _ => None,
        }
    }

    type Spec<'a> = &'a [(&'a str, ValueKind)];

    #[test]
    fn required_columns_table() {
        use ValueKind::*;
        let cases: [(Spec, Option<&[&str]>); 7] = [
            (
                &[
                    ("id", Int8),
                    ("host", Text),
                    ("port", Int4),
                    ("database", Text),
                ],
                None,
            ),
            (&[("id", Text), ("connection_string", Text)], None),
            (
                &[("host", Text), ("port", Int4), ("database", Text)],
                Some(&["id"]),
            ),
            (
                &[("id", Int8), ("host", Text), ("database", Text)],
                Some(&["port"]),
            ),
            (
                &[("id", Int8)],
                Some(&["host", "port", "database", "connection_string"]),
            ),
            (
                &[("tenant", Int8), ("other", Text)],
                Some(&["id", "host", "port", "database", "connection_string"]),
            ),
            // Upper-case names are different columns (a quoted alias).
            (&[("ID", Int8), ("connection_string", Text)], Some(&["id"])),
        ];
        for (spec, expected) in cases {
            let expected = expected.map(|m| m.iter().map(|s| (*s).to_owned()).collect());
            assert_eq!(missing_of(spec), expected, "{spec:?}");
        }
    }

    #[test]
    fn missing_columns_lists_what_was_returned() {
        let result = ColumnMap::build(&columns(&[
            ("id", ValueKind::Int8),
            ("hostname", ValueKind::Text),
        ]));
        match result {
            Err(ControlError::MissingColumns { returned, .. }) => {
                assert_eq!(returned, ["id", "hostname"]);
            }
            other => panic!("expected MissingColumns, got {other:?}"),
        }
    }

    #[test]
    fn column_types_table() {
        use ValueKind::*;
        let accepted = [
            ("id", Int2),
            ("id", Int4),
            ("id", Int8),
            ("id", Text),
            ("id", PaddedText),
            ("id", Uuid),
            ("port", Int2),
            ("port", Text),
            ("encrypt", Text),
        ];
        let refused = [
            ("id", Other("numeric".into())),
            ("port", Other("numeric".into())),
            ("port", Uuid),
            ("host", Int4),
            ("encrypt", Other("bool".into())),
            ("group", Uuid),
        ];
        let base = [("connection_string", Text)];
        for (name, kind) in accepted {
            let mut spec = vec![(name, kind.clone())];
            spec.extend(base.iter().cloned());
            if name != "id" {
                spec.push(("id", Int8));
            }
            assert!(ColumnMap::build(&columns(&spec)).is_ok(), "{name} {kind:?}");
        }
        for (name, kind) in refused {
            let mut spec = vec![(name, kind.clone())];
            spec.extend(base.iter().cloned());
            if name != "id" {
                spec.push(("id", Int8));
            }
            match ColumnMap::build(&columns(&spec)) {
                Err(ControlError::ColumnType { column, .. }) => assert_eq!(column, name),
                other => panic!("{name} {kind:?}: expected ColumnType, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_column_returned_twice_is_refused() {
        let result = ColumnMap::build(&columns(&[
            ("id", ValueKind::Int8),
            ("id", ValueKind::Text),
            ("connection_string", ValueKind::Text),
        ]));
        assert!(matches!(result, Err(ControlError::DuplicateColumn { column }) if column == "id"));
    }

    #[test]
    fn unknown_columns_are_ignored_and_positions_kept() {
        let map = ColumnMap::build(&columns(&[
            ("note", ValueKind::Other("jsonb".into())),
            ("id", ValueKind::Int8),
            ("connection_string", ValueKind::Text),
        ]));
        let map = map.ok();
        assert_eq!(
            map.as_ref().and_then(|m| m.get(Field::Id)).map(|c| c.0),
            Some(1)
        );
        assert_eq!(map.map(|m| m.has_parts()), Some(false));
    }
}
