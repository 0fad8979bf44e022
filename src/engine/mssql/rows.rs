//! Reading typed values out of tiberius rows: integers of any width, text,
//! flags, timestamps, and whole `dbo.wsdb_history` rows.
//!
//! A value of an unexpected type or a NULL where none may be is reported as
//! [`EngineError::Protocol`] naming the column; nothing here panics on what
//! a server sent. Which queries produce the rows is `session.rs`'s business.

use chrono::{NaiveDateTime, TimeZone, Utc};
use tiberius::{ColumnData, Row};

use crate::engine::EngineError;
use crate::migrate::{AppliedMigration, Checksum, Version};

fn unexpected(column: &str, found: impl std::fmt::Display) -> EngineError {
    EngineError::Protocol {
        message: format!("column `{column}`: {found}"),
    }
}

fn cell<'a>(row: &'a Row, column: &str) -> Result<&'a ColumnData<'static>, EngineError> {
    row.cells()
        .find(|(c, _)| c.name().eq_ignore_ascii_case(column))
        .map(|(_, data)| data)
        .ok_or_else(|| unexpected(column, "missing from the result"))
}

/// Any integer type (TINYINT to BIGINT, or BIT) widened to `i64`; SQL
/// Server's functions differ in width between versions (`session_id` is
/// SMALLINT in one view and INT in another).
pub fn integer(row: &Row, column: &str) -> Result<Option<i64>, EngineError> {
    match cell(row, column)? {
        ColumnData::U8(v) => Ok(v.map(i64::from)),
        ColumnData::I16(v) => Ok(v.map(i64::from)),
        ColumnData::I32(v) => Ok(v.map(i64::from)),
        ColumnData::I64(v) => Ok(*v),
        ColumnData::Bit(v) => Ok(v.map(i64::from)),
        other => Err(unexpected(
            column,
            format!("expected an integer, found {}", kind(other)),
        )),
    }
}

pub fn text<'a>(row: &'a Row, column: &str) -> Result<Option<&'a str>, EngineError> {
    match cell(row, column)? {
        ColumnData::String(v) => Ok(v.as_deref()),
        other => Err(unexpected(
            column,
            format!("expected text, found {}", kind(other)),
        )),
    }
}

/// BIT, or an integer where 0 is false (`HAS_PERMS_BY_NAME` returns INT).
pub fn flag(row: &Row, column: &str) -> Result<Option<bool>, EngineError> {
    Ok(integer(row, column)?.map(|v| v != 0))
}

pub fn timestamp(row: &Row, column: &str) -> Result<Option<NaiveDateTime>, EngineError> {
    row.try_get::<NaiveDateTime, _>(column)
        .map_err(|e| unexpected(column, format!("expected a DATETIME2: {e}")))
}

pub fn required<T>(value: Option<T>, column: &str) -> Result<T, EngineError> {
    value.ok_or_else(|| unexpected(column, "NULL where a value is required"))
}

/// One `dbo.wsdb_history` row as [`AppliedMigration`].
pub fn history_row(row: &Row) -> Result<AppliedMigration, EngineError> {
    let raw_version = required(integer(row, "version")?, "version")?;
    let version = Version::from_i64(raw_version).ok_or_else(|| {
        unexpected(
            "version",
            format!("{raw_version} is not a positive version"),
        )
    })?;
    let checksum_text = required(text(row, "checksum")?, "checksum")?;
    let checksum: Checksum = checksum_text
        .parse()
        .map_err(|e| unexpected("checksum", format!("version {version}: {e}")))?;
    let duration = required(integer(row, "duration_ms")?, "duration_ms")?;
    Ok(AppliedMigration {
        version,
        name: required(text(row, "name")?, "name")?.to_owned(),
        checksum,
        applied_at: Utc.from_utc_datetime(&required(timestamp(row, "applied_at")?, "applied_at")?),
        duration_ms: u64::try_from(duration).unwrap_or(0),
        applied_by: required(text(row, "applied_by")?, "applied_by")?.to_owned(),
        wsdb_version: required(text(row, "wsdb_version")?, "wsdb_version")?.to_owned(),
        success: required(flag(row, "success")?, "success")?,
    })
}

fn kind(data: &ColumnData<'_>) -> &'static str {
    match data {
        ColumnData::U8(_) | ColumnData::I16(_) | ColumnData::I32(_) | ColumnData::I64(_) => {
            "an integer"
        }
        ColumnData::F32(_) | ColumnData::F64(_) => "a float",
        ColumnData::Bit(_) => "a bit",
        ColumnData::String(_) => "text",
        ColumnData::Guid(_) => "a uniqueidentifier",
        ColumnData::Binary(_) => "binary data",
        ColumnData::Numeric(_) => "a decimal",
        _ => "a date/time or other value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiberius::{ColumnType, IntoSql};

    const CHECKSUM: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn history(version: ColumnData<'static>, checksum: &str, success: ColumnData<'static>) -> Row {
        let applied_at = chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
            .and_then(|d| d.and_hms_opt(3, 4, 5))
            .unwrap();
        Row::builder()
            .column("version", ColumnType::Int8, version)
            .column(
                "name",
                ColumnType::NVarchar,
                ColumnData::String(Some("base".into())),
            )
            .column(
                "checksum",
                ColumnType::BigChar,
                ColumnData::String(Some(checksum.to_owned().into())),
            )
            .column("applied_at", ColumnType::Datetime2, applied_at.into_sql())
            .column("duration_ms", ColumnType::Int8, ColumnData::I64(Some(12)))
            .column(
                "applied_by",
                ColumnType::NVarchar,
                ColumnData::String(Some("ci".into())),
            )
            .column(
                "wsdb_version",
                ColumnType::NVarchar,
                ColumnData::String(Some("0.1.0".into())),
            )
            .column("success", ColumnType::Bit, success)
            .build()
    }

    #[test]
    fn integers_of_every_width_widen() {
        let row = Row::builder()
            .column("a", ColumnType::Int1, ColumnData::U8(Some(7)))
            .column("b", ColumnType::Int2, ColumnData::I16(Some(-3)))
            .column("c", ColumnType::Int4, ColumnData::I32(None))
            .column("d", ColumnType::Int8, ColumnData::I64(Some(i64::MAX)))
            .column("e", ColumnType::Bit, ColumnData::Bit(Some(true)))
            .column(
                "f",
                ColumnType::NVarchar,
                ColumnData::String(Some("x".into())),
            )
            .build();
        assert_eq!(integer(&row, "a").unwrap(), Some(7));
        assert_eq!(integer(&row, "B").unwrap(), Some(-3));
        assert_eq!(integer(&row, "c").unwrap(), None);
        assert_eq!(integer(&row, "d").unwrap(), Some(i64::MAX));
        assert_eq!(flag(&row, "e").unwrap(), Some(true));
        assert!(integer(&row, "f").is_err());
        assert!(integer(&row, "missing").is_err());
        assert_eq!(text(&row, "f").unwrap(), Some("x"));
    }

    #[test]
    fn a_history_row_reads_whole() {
        let row = history(
            ColumnData::I64(Some(42)),
            CHECKSUM,
            ColumnData::Bit(Some(false)),
        );
        let applied = history_row(&row).unwrap();
        assert_eq!(applied.version.get(), 42);
        assert_eq!(applied.checksum.to_hex(), CHECKSUM);
        assert_eq!(applied.applied_at.to_rfc3339(), "2026-01-02T03:04:05+00:00");
        assert_eq!(applied.duration_ms, 12);
        assert!(!applied.success);
    }

    #[test]
    fn a_corrupt_history_row_is_an_error_naming_the_column() {
        let cases = [
            (
                history(
                    ColumnData::I64(Some(0)),
                    CHECKSUM,
                    ColumnData::Bit(Some(true)),
                ),
                "version",
            ),
            (
                history(ColumnData::I64(None), CHECKSUM, ColumnData::Bit(Some(true))),
                "version",
            ),
            (
                history(
                    ColumnData::I64(Some(1)),
                    "not-hex",
                    ColumnData::Bit(Some(true)),
                ),
                "checksum",
            ),
            (
                history(ColumnData::I64(Some(1)), CHECKSUM, ColumnData::Bit(None)),
                "success",
            ),
        ];
        for (row, column) in cases {
            match history_row(&row) {
                Err(EngineError::Protocol { message }) => {
                    assert!(message.contains(&format!("`{column}`")), "{message}")
                }
                other => panic!("expected an error about {column}, got {other:?}"),
            }
        }
    }
}
