//! Result sets on the wire: COLMETADATA (MS-TDS 2.2.7.4) from the SQL side's
//! [`Column`]s and ROW tokens (2.2.7.19) from its [`Value`]s.
//!
//! Every column is sent as a nullable "N" type (INTN, BITN, FLTN, DECIMALN,
//! DATETIME2N, NVARCHAR, BIGVARBINARY; MAX types as PLP), which is what SQL
//! Server does for expressions. NBCROW is never used. A value that does not
//! fit its column's type is coerced where SQL Server would convert it
//! implicitly (numbers widen, anything but binary becomes text) and reported
//! otherwise, so a bug on the SQL side shows up as an error, not as a
//! corrupted stream.

use super::datetime::{DATETIME2_SCALE, encode_datetime2};
use super::{DEFAULT_COLLATION, WireError, Writer};
use crate::sql::{Column, SqlType, Value};

const COLMETADATA: u8 = 0x81;
const ROW: u8 = 0xD1;

const BITN: u8 = 0x68;
const INTN: u8 = 0x26;
const FLTN: u8 = 0x6D;
const DECIMALN: u8 = 0x6A;
const DATETIME2N: u8 = 0x2A;
const NVARCHAR: u8 = 0xE7;
const BIGVARBIN: u8 = 0xA5;

const FLAG_NULLABLE: u16 = 0x0001;
/// "Updateable: unknown", what SQL Server reports for expression columns.
const FLAG_UPDATEABLE_UNKNOWN: u16 = 0x0008;

const MAX_LEN: u16 = 0xFFFF;
const USHORT_NULL: u16 = 0xFFFF;
const PLP_NULL: u64 = u64::MAX;

/// Bytes a DECIMAL value of this precision takes, sign byte included.
fn decimal_len(precision: u8) -> u8 {
    match precision {
        0..=9 => 5,
        10..=19 => 9,
        20..=28 => 13,
        _ => 17,
    }
}

/// Declared byte length of a (non-MAX) NVARCHAR / VARBINARY column, or
/// `None` for MAX.
fn declared_len(ty: SqlType) -> Option<u16> {
    match ty {
        SqlType::NVarChar { max_chars: Some(n) } if n <= 4000 => Some(n.max(1) * 2),
        SqlType::VarBinary { max_bytes: Some(n) } if n <= 8000 => Some(n.max(1)),
        _ => None,
    }
}

pub(crate) fn col_metadata(out: &mut Vec<u8>, columns: &[Column]) {
    out.put_u8(COLMETADATA);
    out.put_u16_le(u16::try_from(columns.len()).unwrap_or(u16::MAX));
    for column in columns {
        out.put_u32_le(0); // user type
        let nullable = if column.nullable { FLAG_NULLABLE } else { 0 };
        out.put_u16_le(nullable | FLAG_UPDATEABLE_UNKNOWN);
        type_info(out, column.ty);
        out.put_b_varchar(&column.name);
    }
}

fn type_info(out: &mut Vec<u8>, ty: SqlType) {
    match ty {
        SqlType::Bit => out.extend_from_slice(&[BITN, 1]),
        SqlType::TinyInt => out.extend_from_slice(&[INTN, 1]),
        SqlType::SmallInt => out.extend_from_slice(&[INTN, 2]),
        SqlType::Int => out.extend_from_slice(&[INTN, 4]),
        SqlType::BigInt => out.extend_from_slice(&[INTN, 8]),
        SqlType::Float => out.extend_from_slice(&[FLTN, 8]),
        SqlType::Decimal { precision, scale } => {
            let precision = precision.clamp(1, 38);
            out.extend_from_slice(&[
                DECIMALN,
                decimal_len(precision),
                precision,
                scale.min(precision),
            ]);
        }
        SqlType::DateTime2 => out.extend_from_slice(&[DATETIME2N, DATETIME2_SCALE]),
        SqlType::NVarChar { .. } => {
            out.put_u8(NVARCHAR);
            out.put_u16_le(declared_len(ty).unwrap_or(MAX_LEN));
            out.extend_from_slice(&DEFAULT_COLLATION);
        }
        SqlType::VarBinary { .. } => {
            out.put_u8(BIGVARBIN);
            out.put_u16_le(declared_len(ty).unwrap_or(MAX_LEN));
        }
    }
}

pub(crate) fn row(
    out: &mut Vec<u8>,
    columns: &[Column],
    values: &[Value],
) -> Result<(), WireError> {
    if columns.len() != values.len() {
        return Err(WireError::invalid(
            "result row",
            format!("expected {} values, found {}", columns.len(), values.len()),
        ));
    }
    out.put_u8(ROW);
    for (column, value) in columns.iter().zip(values) {
        value_bytes(out, column.ty, value).map_err(|detail| {
            WireError::invalid(
                "result value",
                format!(
                    "{value:?} does not fit column `{}` of type {:?}: {detail}",
                    column.name, column.ty
                ),
            )
        })?;
    }
    Ok(())
}

fn value_bytes(out: &mut Vec<u8>, ty: SqlType, value: &Value) -> Result<(), String> {
    if *value == Value::Null {
        null(out, ty);
        return Ok(());
    }
    match ty {
        SqlType::Bit => {
            let bit = integer(value)? != 0;
            out.extend_from_slice(&[1, u8::from(bit)]);
        }
        SqlType::TinyInt => {
            let v = u8::try_from(integer(value)?).map_err(|_| "out of tinyint range".to_owned())?;
            out.extend_from_slice(&[1, v]);
        }
        SqlType::SmallInt => {
            let v =
                i16::try_from(integer(value)?).map_err(|_| "out of smallint range".to_owned())?;
            out.put_u8(2);
            out.extend_from_slice(&v.to_le_bytes());
        }
        SqlType::Int => {
            let v = i32::try_from(integer(value)?).map_err(|_| "out of int range".to_owned())?;
            out.put_u8(4);
            out.extend_from_slice(&v.to_le_bytes());
        }
        SqlType::BigInt => {
            let v = i64::try_from(integer(value)?).map_err(|_| "out of bigint range".to_owned())?;
            out.put_u8(8);
            out.extend_from_slice(&v.to_le_bytes());
        }
        SqlType::Float => {
            out.put_u8(8);
            out.extend_from_slice(&float(value)?.to_le_bytes());
        }
        SqlType::Decimal { precision, scale } => {
            decimal(out, precision.clamp(1, 38), scale.min(precision), value)?;
        }
        SqlType::DateTime2 => match value {
            Value::DateTime2(at) => {
                out.put_u8(8);
                encode_datetime2(at, out).map_err(|e| e.to_string())?;
            }
            _ => return Err("not a datetime2".into()),
        },
        SqlType::NVarChar { .. } => {
            let text = text(value)?;
            let mut bytes = Vec::with_capacity(text.len() * 2);
            bytes.put_utf16(&text);
            var_bytes(out, declared_len(ty), &bytes)?;
        }
        SqlType::VarBinary { .. } => match value {
            Value::VarBinary(bytes) => var_bytes(out, declared_len(ty), bytes)?,
            _ => return Err("not binary".into()),
        },
    }
    Ok(())
}

fn null(out: &mut Vec<u8>, ty: SqlType) {
    match (ty, declared_len(ty)) {
        (SqlType::NVarChar { .. } | SqlType::VarBinary { .. }, Some(_)) => {
            out.put_u16_le(USHORT_NULL)
        }
        (SqlType::NVarChar { .. } | SqlType::VarBinary { .. }, None) => out.put_u64_le(PLP_NULL),
        _ => out.put_u8(0),
    }
}

fn integer(value: &Value) -> Result<i128, String> {
    match value {
        Value::Bit(b) => Ok(i128::from(*b)),
        Value::TinyInt(i) => Ok(i128::from(*i)),
        Value::SmallInt(i) => Ok(i128::from(*i)),
        Value::Int(i) => Ok(i128::from(*i)),
        Value::BigInt(i) => Ok(i128::from(*i)),
        Value::Decimal {
            unscaled, scale, ..
        } if *scale == 0 => Ok(*unscaled),
        _ => Err("not an integer".into()),
    }
}

#[allow(clippy::cast_precision_loss)] // float columns are approximate by definition
fn float(value: &Value) -> Result<f64, String> {
    match value {
        Value::Float(f) => Ok(*f),
        Value::Decimal {
            unscaled, scale, ..
        } => Ok(*unscaled as f64 / 10f64.powi(i32::from(*scale))),
        other => Ok(integer(other)? as f64),
    }
}

fn decimal(out: &mut Vec<u8>, precision: u8, scale: u8, value: &Value) -> Result<(), String> {
    let (unscaled, from_scale) = match value {
        Value::Decimal {
            unscaled, scale, ..
        } => (*unscaled, *scale),
        other => (integer(other)?, 0),
    };
    let unscaled = rescale(unscaled, from_scale, scale).ok_or("overflows the column")?;
    let len = decimal_len(precision);
    let magnitude = unscaled.unsigned_abs().to_le_bytes();
    let used = usize::from(len - 1);
    if magnitude[used..].iter().any(|b| *b != 0) {
        return Err(format!("needs more than {precision} digits"));
    }
    out.put_u8(len);
    out.put_u8(u8::from(unscaled >= 0));
    out.extend_from_slice(&magnitude[..used]);
    Ok(())
}

/// Changes the scale of an unscaled decimal, rounding half away from zero.
fn rescale(unscaled: i128, from: u8, to: u8) -> Option<i128> {
    if to >= from {
        return 10i128
            .checked_pow(u32::from(to - from))?
            .checked_mul(unscaled);
    }
    let factor = 10i128.checked_pow(u32::from(from - to))?;
    let half = factor / 2;
    let rounded = if unscaled >= 0 {
        unscaled.checked_add(half)?
    } else {
        unscaled.checked_sub(half)?
    };
    Some(rounded / factor)
}

fn text(value: &Value) -> Result<String, String> {
    Ok(match value {
        Value::NVarChar(s) => s.clone(),
        Value::Bit(b) => u8::from(*b).to_string(),
        Value::TinyInt(i) => i.to_string(),
        Value::SmallInt(i) => i.to_string(),
        Value::Int(i) => i.to_string(),
        Value::BigInt(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Decimal {
            unscaled, scale, ..
        } => decimal_text(*unscaled, *scale),
        Value::DateTime2(at) => format!(
            "{}.{:07}",
            at.format("%Y-%m-%d %H:%M:%S"),
            chrono::Timelike::nanosecond(at) / 100
        ),
        Value::VarBinary(_) => return Err("binary is not text".into()),
        Value::Null => String::new(),
    })
}

fn decimal_text(unscaled: i128, scale: u8) -> String {
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

/// A USHORTLEN value for a declared length, or a PLP value (one chunk and
/// the terminator) for MAX.
fn var_bytes(out: &mut Vec<u8>, declared: Option<u16>, bytes: &[u8]) -> Result<(), String> {
    match declared {
        Some(_) => {
            let len = u16::try_from(bytes.len())
                .ok()
                .filter(|l| *l != USHORT_NULL)
                .ok_or("too long for a non-MAX column")?;
            out.put_u16_le(len);
            out.extend_from_slice(bytes);
        }
        None => {
            out.put_u64_le(bytes.len() as u64);
            if !bytes.is_empty() {
                let len = u32::try_from(bytes.len()).map_err(|_| "value over 4 GiB")?;
                out.put_u32_le(len);
                out.extend_from_slice(bytes);
            }
            out.put_u32_le(0);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, ty: SqlType) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable: true,
        }
    }

    fn encode(ty: SqlType, value: Value) -> Result<Vec<u8>, WireError> {
        let mut out = Vec::new();
        row(&mut out, &[col("c", ty)], &[value])?;
        Ok(out[1..].to_vec())
    }

    #[test]
    fn metadata_describes_each_type() {
        let mut out = Vec::new();
        col_metadata(
            &mut out,
            &[
                col("i", SqlType::Int),
                col(
                    "s",
                    SqlType::NVarChar {
                        max_chars: Some(10),
                    },
                ),
                col("m", SqlType::NVarChar { max_chars: None }),
                col(
                    "d",
                    SqlType::Decimal {
                        precision: 10,
                        scale: 2,
                    },
                ),
            ],
        );
        let expected: Vec<u8> = [
            vec![COLMETADATA, 4, 0],
            vec![0, 0, 0, 0, 9, 0, INTN, 4, 1, b'i', 0],
            vec![0, 0, 0, 0, 9, 0, NVARCHAR, 20, 0],
            DEFAULT_COLLATION.to_vec(),
            vec![1, b's', 0],
            vec![0, 0, 0, 0, 9, 0, NVARCHAR, 0xFF, 0xFF],
            DEFAULT_COLLATION.to_vec(),
            vec![1, b'm', 0],
            vec![0, 0, 0, 0, 9, 0, DECIMALN, 9, 10, 2, 1, b'd', 0],
        ]
        .concat();
        assert_eq!(out, expected);
    }

    #[test]
    fn values_encode_per_column_type() {
        let cases: Vec<(SqlType, Value, Vec<u8>)> = vec![
            (
                SqlType::Int,
                Value::Int(-1),
                vec![4, 0xFF, 0xFF, 0xFF, 0xFF],
            ),
            (SqlType::Int, Value::Null, vec![0]),
            (SqlType::TinyInt, Value::TinyInt(200), vec![1, 200]),
            (SqlType::SmallInt, Value::SmallInt(-2), vec![2, 0xFE, 0xFF]),
            (
                SqlType::Int,
                Value::SmallInt(-2),
                vec![4, 0xFE, 0xFF, 0xFF, 0xFF],
            ),
            (
                SqlType::BigInt,
                Value::Int(2),
                vec![8, 2, 0, 0, 0, 0, 0, 0, 0],
            ),
            (SqlType::Bit, Value::Bit(true), vec![1, 1]),
            (
                SqlType::Float,
                Value::Int(1),
                [vec![8], 1f64.to_le_bytes().to_vec()].concat(),
            ),
            (
                SqlType::Decimal {
                    precision: 5,
                    scale: 2,
                },
                Value::Decimal {
                    unscaled: -12345,
                    precision: 5,
                    scale: 2,
                },
                vec![5, 0, 0x39, 0x30, 0, 0],
            ),
            (
                SqlType::Decimal {
                    precision: 5,
                    scale: 2,
                },
                Value::Int(3),
                vec![5, 1, 44, 1, 0, 0],
            ),
            (
                SqlType::NVarChar { max_chars: Some(5) },
                Value::NVarChar("é".into()),
                vec![2, 0, 0xE9, 0],
            ),
            (
                SqlType::NVarChar { max_chars: Some(5) },
                Value::Int(7),
                vec![2, 0, b'7', 0],
            ),
            (
                SqlType::NVarChar { max_chars: Some(5) },
                Value::Null,
                vec![0xFF, 0xFF],
            ),
            (
                SqlType::NVarChar { max_chars: None },
                Value::NVarChar("a".into()),
                vec![2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, b'a', 0, 0, 0, 0, 0],
            ),
            (
                SqlType::NVarChar { max_chars: None },
                Value::NVarChar(String::new()),
                vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            ),
            (
                SqlType::NVarChar { max_chars: None },
                Value::Null,
                vec![0xFF; 8],
            ),
            (
                SqlType::VarBinary { max_bytes: Some(4) },
                Value::VarBinary(vec![1, 2]),
                vec![2, 0, 1, 2],
            ),
        ];
        for (ty, value, expected) in cases {
            assert_eq!(
                encode(ty, value.clone()).unwrap(),
                expected,
                "{ty:?} {value:?}"
            );
        }
    }

    #[test]
    fn mismatches_are_errors_not_garbage() {
        let cases: Vec<(SqlType, Value)> = vec![
            (SqlType::Int, Value::BigInt(i64::MAX)),
            (SqlType::TinyInt, Value::Int(-1)),
            (SqlType::SmallInt, Value::Int(40_000)),
            (SqlType::Int, Value::NVarChar("x".into())),
            (SqlType::DateTime2, Value::Int(1)),
            (
                SqlType::VarBinary { max_bytes: None },
                Value::NVarChar("x".into()),
            ),
            (
                SqlType::NVarChar { max_chars: None },
                Value::VarBinary(vec![1]),
            ),
            (
                SqlType::Decimal {
                    precision: 2,
                    scale: 0,
                },
                Value::BigInt(i64::MAX),
            ),
        ];
        for (ty, value) in cases {
            assert!(encode(ty, value.clone()).is_err(), "{ty:?} {value:?}");
        }
        let mut out = Vec::new();
        assert!(row(&mut out, &[col("a", SqlType::Int)], &[]).is_err());
    }

    #[test]
    fn rescale_rounds_half_away_from_zero() {
        assert_eq!(rescale(12345, 3, 2), Some(1235));
        assert_eq!(rescale(-12345, 3, 2), Some(-1235));
        assert_eq!(rescale(5, 0, 2), Some(500));
        assert_eq!(rescale(1, 0, 40), None);
        assert_eq!(decimal_text(-5, 2), "-0.05");
        assert_eq!(decimal_text(12345, 2), "123.45");
    }
}
