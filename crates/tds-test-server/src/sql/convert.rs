//! Converting a stored value to a declared type with SQL Server's rules: CAST
//! and CONVERT (errors 245, 8114, 8115, 241, 8169), TRY_CAST (NULL instead of
//! an error), and assignment to a column (like CAST, but a string that does
//! not fit is error 2628 instead of being cut). Results are in storage form
//! (see `types`): what gets written to SQLite or bound as a parameter.
//!
//! The SQLite side calls this through the `tds_cast` function; the executor
//! calls it for variable assignment. Output to clients is `values::from_sqlite`.

use rusqlite::types::Value as Lite;

use super::types::{DataType, TextKind};
use super::values::{self, format_datetime, parse_datetime};
use super::{SqlError, errors};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mode {
    Cast,
    TryCast,
    /// Storing into `column` of `table` (both as SQL Server names them).
    Assign {
        table: String,
        column: String,
    },
}

pub(crate) fn convert(
    value: Lite,
    ty: DataType,
    mode: &Mode,
    style: Option<i64>,
) -> Result<Lite, SqlError> {
    let result = convert_strict(value, ty, mode, style);
    match (result, mode) {
        (Err(_), Mode::TryCast) => Ok(Lite::Null),
        (result, _) => result,
    }
}

fn convert_strict(
    value: Lite,
    ty: DataType,
    mode: &Mode,
    style: Option<i64>,
) -> Result<Lite, SqlError> {
    if let Lite::Null = value {
        return Ok(Lite::Null);
    }
    match ty {
        DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt => {
            to_integer(value, ty)
        }
        DataType::Bit => to_bit(value),
        DataType::Decimal { precision, scale } => to_decimal(value, precision, scale),
        DataType::Float => to_float(value),
        DataType::Text { kind, len } => to_text(value, kind, len, mode, style),
        DataType::Binary { fixed, len } => Ok(to_binary(value, fixed, len)),
        DataType::Date | DataType::DateTime | DataType::DateTime2 => to_datetime(value, ty),
        DataType::UniqueIdentifier => to_guid(value),
    }
}

fn to_integer(value: Lite, ty: DataType) -> Result<Lite, SqlError> {
    let number = match &value {
        Lite::Integer(i) => *i,
        Lite::Real(f) => {
            values::f64_to_i64(*f).ok_or_else(|| errors::arithmetic_overflow(&ty.name()))?
        }
        Lite::Text(s) => {
            let trimmed = s.trim();
            if trimmed.is_empty() {
                0
            } else {
                trimmed
                    .parse()
                    .map_err(|_| errors::conversion_failed("varchar", s, &ty.name()))?
            }
        }
        Lite::Blob(_) | Lite::Null => {
            return Err(errors::conversion_failed("varbinary", "", &ty.name()));
        }
    };
    values::integer_value(number, ty)?;
    Ok(Lite::Integer(number))
}

fn to_bit(value: Lite) -> Result<Lite, SqlError> {
    let bit = match &value {
        Lite::Integer(i) => *i != 0,
        Lite::Real(f) => *f != 0.0,
        Lite::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            other => {
                other
                    .parse::<i64>()
                    .map_err(|_| errors::conversion_failed("varchar", s, "bit"))?
                    != 0
            }
        },
        Lite::Blob(_) | Lite::Null => {
            return Err(errors::conversion_failed("varbinary", "", "bit"));
        }
    };
    Ok(Lite::Integer(i64::from(bit)))
}

fn numeric_error(target: &str) -> SqlError {
    SqlError {
        number: 8114,
        state: 5,
        class: 16,
        line: 0,
        message: format!("Error converting data type varchar to {target}."),
    }
}

fn to_decimal(value: Lite, precision: u8, scale: u8) -> Result<Lite, SqlError> {
    let text = match &value {
        Lite::Integer(i) => i.to_string(),
        Lite::Real(f) => format!("{f:.prec$}", prec = usize::from(scale) + 1),
        Lite::Text(s) => s.trim().to_string(),
        Lite::Blob(_) | Lite::Null => return Err(numeric_error("numeric")),
    };
    let unscaled = values::parse_decimal(&text, scale).ok_or_else(|| numeric_error("numeric"))?;
    if unscaled.unsigned_abs() >= 10u128.pow(u32::from(precision)) {
        return Err(errors::arithmetic_overflow("numeric"));
    }
    Ok(values::to_sqlite(&super::Value::Decimal {
        unscaled,
        precision,
        scale,
    }))
}

fn to_float(value: Lite) -> Result<Lite, SqlError> {
    match value {
        Lite::Integer(i) => Ok(Lite::Real(i as f64)),
        Lite::Real(f) => Ok(Lite::Real(f)),
        Lite::Text(s) => s
            .trim()
            .parse()
            .map(Lite::Real)
            .map_err(|_| numeric_error("float")),
        Lite::Blob(_) | Lite::Null => Err(numeric_error("float")),
    }
}

fn to_text(
    value: Lite,
    kind: TextKind,
    len: Option<u32>,
    mode: &Mode,
    style: Option<i64>,
) -> Result<Lite, SqlError> {
    let mut text = match value {
        Lite::Text(s) => match style {
            Some(style) => styled_date(&s, style).unwrap_or(s),
            None => s,
        },
        Lite::Integer(i) => i.to_string(),
        Lite::Real(f) => values::to_text(rusqlite::types::ValueRef::Real(f)),
        Lite::Blob(b) => String::from_utf8_lossy(&b).into_owned(),
        Lite::Null => return Ok(Lite::Null),
    };
    if let Some(len) = len.and_then(|n| usize::try_from(n).ok()) {
        let count = text.chars().count();
        if count > len {
            let excess_is_blank = text.chars().skip(len).all(|c| c == ' ');
            if let Mode::Assign { table, column } = mode
                && !excess_is_blank
            {
                return Err(errors::truncation(table, column));
            }
            text = text.chars().take(len).collect();
        } else if matches!(kind, TextKind::Char | TextKind::NChar) {
            text.extend(std::iter::repeat_n(' ', len - count));
        }
    }
    Ok(Lite::Text(text))
}

/// CONVERT's date styles for the common ISO forms.
fn styled_date(text: &str, style: i64) -> Option<String> {
    let dt = parse_datetime(text)?;
    let format = match style {
        23 => "%Y-%m-%d",
        112 => "%Y%m%d",
        120 | 20 => "%Y-%m-%d %H:%M:%S",
        121 | 21 => return Some(format_datetime(&dt)),
        126 | 127 => "%Y-%m-%dT%H:%M:%S%.3f",
        108 | 8 => "%H:%M:%S",
        _ => return None,
    };
    Some(dt.format(format).to_string())
}

fn to_binary(value: Lite, fixed: bool, len: Option<u32>) -> Lite {
    let mut bytes = match value {
        Lite::Blob(b) => b,
        Lite::Text(s) => s.into_bytes(),
        Lite::Integer(i) => i.to_be_bytes().to_vec(),
        Lite::Real(f) => f.to_be_bytes().to_vec(),
        Lite::Null => return Lite::Null,
    };
    if let Some(len) = len.and_then(|n| usize::try_from(n).ok()) {
        bytes.truncate(len);
        if fixed {
            bytes.resize(len, 0);
        }
    }
    Lite::Blob(bytes)
}

fn to_datetime(value: Lite, ty: DataType) -> Result<Lite, SqlError> {
    let text = match &value {
        Lite::Text(s) => s.clone(),
        _ => return Err(errors::conversion_date_failed()),
    };
    let dt = parse_datetime(&text).ok_or_else(errors::conversion_date_failed)?;
    let dt = if ty == DataType::Date {
        dt.date().and_time(chrono::NaiveTime::MIN)
    } else {
        dt
    };
    Ok(Lite::Text(format_datetime(&dt)))
}

fn to_guid(value: Lite) -> Result<Lite, SqlError> {
    let fail = || SqlError {
        number: 8169,
        state: 2,
        class: 16,
        line: 0,
        message: "Conversion failed when converting from a character string to uniqueidentifier."
            .into(),
    };
    let text = match &value {
        Lite::Text(s) => s
            .trim()
            .trim_start_matches('{')
            .trim_end_matches('}')
            .to_string(),
        _ => return Err(fail()),
    };
    let groups: Vec<&str> = text.split('-').collect();
    let shape_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()));
    if !shape_ok {
        return Err(fail());
    }
    Ok(Lite::Text(text.to_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cast(value: Lite, ty: DataType) -> Result<Lite, SqlError> {
        convert(value, ty, &Mode::Cast, None)
    }

    #[test]
    fn casts_follow_sql_server() {
        let dec = DataType::Decimal {
            precision: 5,
            scale: 2,
        };
        let cases: Vec<(Lite, DataType, Lite)> = vec![
            (Lite::Text(" 42 ".into()), DataType::Int, Lite::Integer(42)),
            (Lite::Text("".into()), DataType::Int, Lite::Integer(0)),
            (Lite::Real(3.9), DataType::Int, Lite::Integer(3)),
            (Lite::Integer(5), DataType::Bit, Lite::Integer(1)),
            (Lite::Text("TRUE".into()), DataType::Bit, Lite::Integer(1)),
            (Lite::Text("1.005".into()), dec, Lite::Real(1.01)),
            (
                Lite::Integer(7),
                DataType::nvarchar(10),
                Lite::Text("7".into()),
            ),
            (
                Lite::Text("abcdef".into()),
                DataType::nvarchar(3),
                Lite::Text("abc".into()),
            ),
            (
                Lite::Text("ab".into()),
                DataType::Text {
                    kind: TextKind::Char,
                    len: Some(4),
                },
                Lite::Text("ab  ".into()),
            ),
            (
                Lite::Text("2024-01-02".into()),
                DataType::DateTime2,
                Lite::Text("2024-01-02 00:00:00.0000000".into()),
            ),
            (Lite::Null, DataType::Int, Lite::Null),
        ];
        for (value, ty, expected) in cases {
            assert_eq!(
                cast(value.clone(), ty).unwrap(),
                expected,
                "{value:?} as {ty:?}"
            );
        }
    }

    #[test]
    fn failures_have_sql_server_numbers() {
        let cases: Vec<(Lite, DataType, u32)> = vec![
            (Lite::Text("abc".into()), DataType::Int, 245),
            (Lite::Text("1.5".into()), DataType::Int, 245),
            (Lite::Integer(300), DataType::TinyInt, 8115),
            (
                Lite::Text("x".into()),
                DataType::Decimal {
                    precision: 5,
                    scale: 2,
                },
                8114,
            ),
            (
                Lite::Integer(1000),
                DataType::Decimal {
                    precision: 5,
                    scale: 2,
                },
                8115,
            ),
            (Lite::Text("nope".into()), DataType::Date, 241),
            (
                Lite::Text("not-a-guid".into()),
                DataType::UniqueIdentifier,
                8169,
            ),
        ];
        for (value, ty, number) in cases {
            assert_eq!(
                cast(value.clone(), ty).unwrap_err().number,
                number,
                "{value:?} as {ty:?}"
            );
            assert_eq!(
                convert(value, ty, &Mode::TryCast, None).unwrap(),
                Lite::Null
            );
        }
    }

    #[test]
    fn assignment_refuses_to_cut_strings() {
        let mode = Mode::Assign {
            table: "db.dbo.t".into(),
            column: "c".into(),
        };
        let err = convert(
            Lite::Text("abcd".into()),
            DataType::nvarchar(3),
            &mode,
            None,
        )
        .unwrap_err();
        assert_eq!(err.number, 2628);
        assert!(err.message.contains("column 'c'"));
        let ok = convert(
            Lite::Text("abc  ".into()),
            DataType::nvarchar(3),
            &mode,
            None,
        )
        .unwrap();
        assert_eq!(ok, Lite::Text("abc".into()), "trailing blanks may go");
    }

    #[test]
    fn guids_are_normalized_and_dates_styled() {
        let guid = cast(
            Lite::Text("{6f9619ff-8b86-d011-b42d-00c04fc964ff}".into()),
            DataType::UniqueIdentifier,
        )
        .unwrap();
        assert_eq!(
            guid,
            Lite::Text("6F9619FF-8B86-D011-B42D-00C04FC964FF".into())
        );
        let styled = convert(
            Lite::Text("2024-01-02 03:04:05.5".into()),
            DataType::nvarchar(30),
            &Mode::Cast,
            Some(120),
        )
        .unwrap();
        assert_eq!(styled, Lite::Text("2024-01-02 03:04:05".into()));
    }
}
