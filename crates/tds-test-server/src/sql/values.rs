//! Values between SQLite and clients: how each [`Value`] is stored and
//! bound (integers and BIT as integers, FLOAT and DECIMAL as reals, strings
//! and GUIDs as text, dates as ISO text with 7 fractional digits so that
//! they sort, binary as blobs), and how what SQLite returns becomes the
//! [`Value`] of a column of a declared type (with SQL Server's conversion
//! errors 245, 241 and 8115). Type rules themselves are `types`'.

use chrono::{NaiveDate, NaiveDateTime};

use super::types::DataType;
use super::{SqlError, Value, errors};

/// How a value is stored in SQLite (and bound as a parameter).
pub(crate) fn to_sqlite(value: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Lite;
    match value {
        Value::Null => Lite::Null,
        Value::Bit(b) => Lite::Integer(i64::from(*b)),
        Value::TinyInt(v) => Lite::Integer(i64::from(*v)),
        Value::SmallInt(v) => Lite::Integer(i64::from(*v)),
        Value::Int(v) => Lite::Integer(i64::from(*v)),
        Value::BigInt(v) => Lite::Integer(*v),
        Value::Float(v) => Lite::Real(*v),
        Value::Decimal {
            unscaled, scale, ..
        } => decimal_to_sqlite(*unscaled, *scale),
        Value::NVarChar(s) => Lite::Text(s.clone()),
        Value::VarBinary(b) => Lite::Blob(b.clone()),
        Value::DateTime2(dt) => Lite::Text(format_datetime(dt)),
    }
}

fn decimal_to_sqlite(unscaled: i128, scale: u8) -> rusqlite::types::Value {
    use rusqlite::types::Value as Lite;
    if scale == 0
        && let Ok(v) = i64::try_from(unscaled)
    {
        return Lite::Integer(v);
    }
    Lite::Real(decimal_text(unscaled, scale).parse().unwrap_or(f64::NAN))
}

/// `1234` at scale 2 is `12.34`.
pub(crate) fn decimal_text(unscaled: i128, scale: u8) -> String {
    let digits = unscaled.unsigned_abs().to_string();
    let scale = usize::from(scale);
    let sign = if unscaled < 0 { "-" } else { "" };
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}")
}

/// The stored form of a date and time: sortable, 7 fractional digits.
pub(crate) fn format_datetime(dt: &NaiveDateTime) -> String {
    use chrono::Timelike;
    format!(
        "{}.{:07}",
        dt.format("%Y-%m-%d %H:%M:%S"),
        dt.nanosecond() % 1_000_000_000 / 100
    )
}

/// Parses the date forms SQL Server accepts for DATETIME2 from strings.
pub(crate) fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y%m%d %H:%M:%S%.f",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(dt);
        }
    }
    for format in ["%Y-%m-%d", "%Y%m%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return date.and_hms_opt(0, 0, 0);
        }
    }
    None
}

/// Converts what SQLite returned into the [`Value`] of a column of type `ty`.
pub(crate) fn from_sqlite(
    raw: rusqlite::types::ValueRef<'_>,
    ty: DataType,
) -> Result<Value, SqlError> {
    use rusqlite::types::ValueRef as Raw;
    if let Raw::Null = raw {
        return Ok(Value::Null);
    }
    match ty {
        DataType::Bit => to_bit(raw),
        DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt => {
            integer_value(to_i64(raw, ty)?, ty)
        }
        DataType::Float => to_f64(raw, ty).map(Value::Float),
        DataType::Decimal { precision, scale } => to_decimal(raw, precision, scale),
        DataType::Text { .. } | DataType::UniqueIdentifier => Ok(Value::NVarChar(to_text(raw))),
        DataType::Binary { .. } => Ok(Value::VarBinary(match raw {
            Raw::Blob(b) => b.to_vec(),
            other => to_text(other).into_bytes(),
        })),
        DataType::Date | DataType::DateTime | DataType::DateTime2 => {
            let text = to_text(raw);
            let dt = parse_datetime(&text).ok_or_else(errors::conversion_date_failed)?;
            Ok(Value::DateTime2(if ty == DataType::Date {
                dt.date().and_time(chrono::NaiveTime::MIN)
            } else {
                dt
            }))
        }
    }
}

/// SQLite's text form of any stored value.
pub(crate) fn to_text(raw: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef as Raw;
    match raw {
        Raw::Null => String::new(),
        Raw::Integer(i) => i.to_string(),
        Raw::Real(f) => format_float(f),
        Raw::Text(t) => String::from_utf8_lossy(t).into_owned(),
        Raw::Blob(b) => format!(
            "0x{}",
            b.iter().map(|x| format!("{x:02X}")).collect::<String>()
        ),
    }
}

fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

fn to_bit(raw: rusqlite::types::ValueRef<'_>) -> Result<Value, SqlError> {
    use rusqlite::types::ValueRef as Raw;
    match raw {
        Raw::Integer(i) => Ok(Value::Bit(i != 0)),
        Raw::Real(f) => Ok(Value::Bit(f != 0.0)),
        other => {
            let text = to_text(other);
            match text.trim().to_ascii_lowercase().as_str() {
                "1" | "true" => Ok(Value::Bit(true)),
                "0" | "false" => Ok(Value::Bit(false)),
                _ => Err(errors::conversion_failed("nvarchar", &text, "bit")),
            }
        }
    }
}

fn to_i64(raw: rusqlite::types::ValueRef<'_>, ty: DataType) -> Result<i64, SqlError> {
    use rusqlite::types::ValueRef as Raw;
    match raw {
        Raw::Integer(i) => Ok(i),
        Raw::Real(f) => float_to_i64(f, ty),
        other => {
            let text = to_text(other);
            text.trim()
                .parse::<i64>()
                .map_err(|_| errors::conversion_failed("nvarchar", &text, &ty.name()))
        }
    }
}

fn float_to_i64(f: f64, ty: DataType) -> Result<i64, SqlError> {
    f64_to_i64(f).ok_or_else(|| errors::arithmetic_overflow(&ty.name()))
}

/// `f` truncated toward zero, when that fits an i64.
pub(crate) fn f64_to_i64(f: f64) -> Option<i64> {
    let truncated = f.trunc();
    if truncated.is_finite()
        && (-9.223_372_036_854_775e18..=9.223_372_036_854_775e18).contains(&truncated)
    {
        // The range check above makes this conversion exact.
        #[allow(clippy::cast_possible_truncation)]
        Some(truncated as i64)
    } else {
        None
    }
}

pub(crate) fn integer_value(v: i64, ty: DataType) -> Result<Value, SqlError> {
    let overflow = || errors::arithmetic_overflow(&ty.name());
    Ok(match ty {
        DataType::TinyInt => Value::TinyInt(u8::try_from(v).map_err(|_| overflow())?),
        DataType::SmallInt => Value::SmallInt(i16::try_from(v).map_err(|_| overflow())?),
        DataType::Int => Value::Int(i32::try_from(v).map_err(|_| overflow())?),
        _ => Value::BigInt(v),
    })
}

fn to_f64(raw: rusqlite::types::ValueRef<'_>, ty: DataType) -> Result<f64, SqlError> {
    use rusqlite::types::ValueRef as Raw;
    match raw {
        Raw::Integer(i) => Ok(i as f64),
        Raw::Real(f) => Ok(f),
        other => {
            let text = to_text(other);
            text.trim()
                .parse()
                .map_err(|_| errors::conversion_failed("nvarchar", &text, &ty.name()))
        }
    }
}

fn to_decimal(
    raw: rusqlite::types::ValueRef<'_>,
    precision: u8,
    scale: u8,
) -> Result<Value, SqlError> {
    use rusqlite::types::ValueRef as Raw;
    let name = format!("numeric({precision},{scale})");
    let text = match raw {
        Raw::Integer(i) => i.to_string(),
        Raw::Real(f) => format!("{f:.prec$}", prec = usize::from(scale)),
        other => to_text(other),
    };
    let unscaled = parse_decimal(text.trim(), scale)
        .ok_or_else(|| errors::conversion_failed("nvarchar", &text, &name))?;
    if unscaled.unsigned_abs() >= 10u128.pow(u32::from(precision)) {
        return Err(errors::arithmetic_overflow(&name));
    }
    Ok(Value::Decimal {
        unscaled,
        precision,
        scale,
    })
}

/// Parses `-12.345` into an unscaled integer at `scale`, rounding half away
/// from zero like SQL Server.
pub(crate) fn parse_decimal(text: &str, scale: u8) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let scale = usize::from(scale);
    let kept: String = frac
        .chars()
        .chain(std::iter::repeat('0'))
        .take(scale)
        .collect();
    let mut unscaled: i128 = format!("{}{kept}", if int.is_empty() { "0" } else { int })
        .parse()
        .ok()?;
    if frac.chars().nth(scale).is_some_and(|c| c >= '5') {
        unscaled += 1;
    }
    Some(if negative { -unscaled } else { unscaled })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::types::ValueRef;

    #[test]
    fn values_convert_by_declared_type() {
        let dec = DataType::Decimal {
            precision: 10,
            scale: 2,
        };
        let cases: Vec<(ValueRef<'_>, DataType, Value)> = vec![
            (ValueRef::Integer(1), DataType::Bit, Value::Bit(true)),
            (ValueRef::Integer(7), DataType::Int, Value::Int(7)),
            (ValueRef::Integer(7), DataType::BigInt, Value::BigInt(7)),
            (
                ValueRef::Real(12.345),
                dec,
                Value::Decimal {
                    unscaled: 1235,
                    precision: 10,
                    scale: 2,
                },
            ),
            (
                ValueRef::Text(b"3.5"),
                dec,
                Value::Decimal {
                    unscaled: 350,
                    precision: 10,
                    scale: 2,
                },
            ),
            (
                ValueRef::Integer(42),
                DataType::nvarchar(10),
                Value::NVarChar("42".into()),
            ),
            (ValueRef::Null, DataType::Int, Value::Null),
        ];
        for (raw, ty, expected) in cases {
            assert_eq!(from_sqlite(raw, ty).unwrap(), expected);
        }
    }

    #[test]
    fn conversion_failures_have_sql_server_numbers() {
        assert_eq!(
            from_sqlite(ValueRef::Text(b"abc"), DataType::Int)
                .unwrap_err()
                .number,
            245
        );
        assert_eq!(
            from_sqlite(ValueRef::Integer(1 << 40), DataType::Int)
                .unwrap_err()
                .number,
            8115
        );
        assert_eq!(
            from_sqlite(ValueRef::Text(b"nope"), DataType::DateTime2)
                .unwrap_err()
                .number,
            241
        );
    }

    #[test]
    fn datetimes_round_trip_through_storage() {
        let dt = parse_datetime("2024-05-06 07:08:09.1234567").unwrap();
        let stored = format_datetime(&dt);
        assert_eq!(stored, "2024-05-06 07:08:09.1234567");
        assert_eq!(parse_datetime(&stored), Some(dt));
        assert!(parse_datetime("2024-05-06").is_some());
    }

    #[test]
    fn decimals_parse_and_print() {
        assert_eq!(parse_decimal("12.345", 2), Some(1235));
        assert_eq!(parse_decimal("-0.5", 0), Some(-1));
        assert_eq!(parse_decimal("x", 0), None);
        assert_eq!(decimal_text(1234, 2), "12.34");
        assert_eq!(decimal_text(-5, 3), "-0.005");
    }
}
