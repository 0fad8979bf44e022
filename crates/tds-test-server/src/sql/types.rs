//! T-SQL data types as declared (`NVARCHAR(400)`, `DECIMAL(10,2)`, ...): their
//! normalized text (also the SQLite column declaration, so the declared type
//! survives in SQLite's schema), the [`SqlType`] reported to clients, type
//! precedence for expressions, and the conversion of values between SQLite
//! and [`Value`].
//!
//! Storage: integers and BIT as SQLite integers, FLOAT and DECIMAL as SQLite
//! reals (a test double may round beyond 15 digits), strings and GUIDs as
//! text, dates as ISO text with 7 fractional digits (so that they sort), binary
//! as blobs. Which SQL (casts, functions) uses these lives in `translate`.

use chrono::{NaiveDate, NaiveDateTime};

use super::{SqlError, SqlType, Value, errors};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextKind {
    Char,
    VarChar,
    NChar,
    NVarChar,
}

/// A declared T-SQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataType {
    Bit,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Decimal {
        precision: u8,
        scale: u8,
    },
    Float,
    /// Character data; `len` in characters, `None` for MAX.
    Text {
        kind: TextKind,
        len: Option<u32>,
    },
    /// Binary data; `len` in bytes, `None` for MAX.
    Binary {
        fixed: bool,
        len: Option<u32>,
    },
    Date,
    DateTime,
    DateTime2,
    UniqueIdentifier,
}

/// One argument in a type's parentheses: `10` or `MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeArg {
    Number(u32),
    Max,
}

impl DataType {
    pub const NVARCHAR_MAX: DataType = DataType::Text {
        kind: TextKind::NVarChar,
        len: None,
    };

    pub fn nvarchar(len: u32) -> DataType {
        DataType::Text {
            kind: TextKind::NVarChar,
            len: Some(len),
        }
    }

    /// Builds a type from its name and arguments as written; the error text
    /// says what is wrong (the caller wraps it in the right SQL error).
    pub fn from_parts(name: &str, args: &[TypeArg]) -> Result<DataType, String> {
        let upper = name.to_ascii_uppercase();
        let no_args = |ty: DataType| {
            if args.is_empty() {
                Ok(ty)
            } else {
                Err(upper.clone())
            }
        };
        match upper.as_str() {
            "BIT" => no_args(DataType::Bit),
            "TINYINT" => no_args(DataType::TinyInt),
            "SMALLINT" => no_args(DataType::SmallInt),
            "INT" | "INTEGER" => no_args(DataType::Int),
            "BIGINT" => no_args(DataType::BigInt),
            "FLOAT" | "REAL" => Ok(DataType::Float),
            "MONEY" => no_args(DataType::Decimal {
                precision: 19,
                scale: 4,
            }),
            "SMALLMONEY" => no_args(DataType::Decimal {
                precision: 10,
                scale: 4,
            }),
            "DECIMAL" | "NUMERIC" | "DEC" => decimal(args).ok_or(upper),
            "CHAR" | "CHARACTER" => text(TextKind::Char, args, 8000).ok_or(upper),
            "VARCHAR" => text(TextKind::VarChar, args, 8000).ok_or(upper),
            "NCHAR" => text(TextKind::NChar, args, 4000).ok_or(upper),
            "NVARCHAR" => text(TextKind::NVarChar, args, 4000).ok_or(upper),
            "SYSNAME" => no_args(DataType::nvarchar(128)),
            "BINARY" => binary(true, args).ok_or(upper),
            "VARBINARY" => binary(false, args).ok_or(upper),
            "DATE" => no_args(DataType::Date),
            "DATETIME" | "SMALLDATETIME" => no_args(DataType::DateTime),
            "DATETIME2" if args.len() <= 1 => Ok(DataType::DateTime2),
            "UNIQUEIDENTIFIER" => no_args(DataType::UniqueIdentifier),
            _ => Err(upper),
        }
    }

    /// Parses the normalized declaration produced by [`DataType::decl`].
    pub fn from_decl(decl: &str) -> Option<DataType> {
        let (name, rest) = match decl.find('(') {
            Some(open) => (&decl[..open], decl[open + 1..].trim_end_matches(')')),
            None => (decl, ""),
        };
        let mut args = Vec::new();
        for part in rest.split(',').filter(|p| !p.trim().is_empty()) {
            let part = part.trim();
            if part.eq_ignore_ascii_case("MAX") {
                args.push(TypeArg::Max);
            } else {
                args.push(TypeArg::Number(part.parse().ok()?));
            }
        }
        DataType::from_parts(name.trim(), &args).ok()
    }

    /// The normalized declaration, e.g. `NVARCHAR(400)`, `DECIMAL(10,2)`.
    pub fn decl(&self) -> String {
        let len = |len: Option<u32>| len.map_or("MAX".to_string(), |n| n.to_string());
        match self {
            DataType::Bit => "BIT".into(),
            DataType::TinyInt => "TINYINT".into(),
            DataType::SmallInt => "SMALLINT".into(),
            DataType::Int => "INT".into(),
            DataType::BigInt => "BIGINT".into(),
            DataType::Decimal { precision, scale } => format!("DECIMAL({precision},{scale})"),
            DataType::Float => "FLOAT".into(),
            DataType::Text { kind, len: n } => format!("{}({})", text_name(*kind), len(*n)),
            DataType::Binary { fixed, len: n } => {
                format!(
                    "{}({})",
                    if *fixed { "BINARY" } else { "VARBINARY" },
                    len(*n)
                )
            }
            DataType::Date => "DATE".into(),
            DataType::DateTime => "DATETIME".into(),
            DataType::DateTime2 => "DATETIME2".into(),
            DataType::UniqueIdentifier => "UNIQUEIDENTIFIER".into(),
        }
    }

    /// The lower-case name SQL Server uses in messages (`int`, `nvarchar`).
    pub fn name(&self) -> String {
        let decl = self.decl().to_ascii_lowercase();
        match decl.find('(') {
            Some(open) if !matches!(self, DataType::Decimal { .. }) => decl[..open].to_string(),
            _ => decl,
        }
    }

    /// What COLMETADATA reports for a column of this type.
    pub fn sql_type(&self) -> SqlType {
        match *self {
            DataType::Bit => SqlType::Bit,
            DataType::TinyInt => SqlType::TinyInt,
            DataType::SmallInt => SqlType::SmallInt,
            DataType::Int => SqlType::Int,
            DataType::BigInt => SqlType::BigInt,
            DataType::Decimal { precision, scale } => SqlType::Decimal { precision, scale },
            DataType::Float => SqlType::Float,
            DataType::Text { len, .. } => SqlType::NVarChar {
                max_chars: len
                    .filter(|n| *n <= 4000)
                    .and_then(|n| u16::try_from(n.max(1)).ok()),
            },
            DataType::Binary { len, .. } => SqlType::VarBinary {
                max_bytes: len
                    .filter(|n| *n <= 8000)
                    .and_then(|n| u16::try_from(n.max(1)).ok()),
            },
            DataType::Date | DataType::DateTime | DataType::DateTime2 => SqlType::DateTime2,
            DataType::UniqueIdentifier => SqlType::NVarChar {
                max_chars: Some(36),
            },
        }
    }

    pub fn is_text(&self) -> bool {
        matches!(self, DataType::Text { .. } | DataType::UniqueIdentifier)
    }

    pub fn is_numeric(&self) -> bool {
        self.precedence() >= 10 && self.precedence() <= 18
    }

    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt
        )
    }

    /// SQL Server's data type precedence: the higher wins in an expression.
    pub fn precedence(&self) -> u8 {
        match self {
            DataType::DateTime2 => 24,
            DataType::DateTime => 23,
            DataType::Date => 22,
            DataType::Float => 18,
            DataType::Decimal { .. } => 16,
            DataType::BigInt => 14,
            DataType::Int => 13,
            DataType::SmallInt => 12,
            DataType::TinyInt => 11,
            DataType::Bit => 10,
            DataType::UniqueIdentifier => 8,
            DataType::Text {
                kind: TextKind::NVarChar | TextKind::NChar,
                ..
            } => 6,
            DataType::Text { .. } => 5,
            DataType::Binary { .. } => 3,
        }
    }

    /// The type of `a op b` for arithmetic or string concatenation.
    pub fn combine(a: DataType, b: DataType) -> DataType {
        if let (DataType::Text { kind: ka, len: la }, DataType::Text { kind: kb, len: lb }) = (a, b)
        {
            let national = [ka, kb]
                .iter()
                .any(|k| matches!(k, TextKind::NChar | TextKind::NVarChar));
            let kind = if national {
                TextKind::NVarChar
            } else {
                TextKind::VarChar
            };
            let cap = if national { 4000 } else { 8000 };
            let len = match (la, lb) {
                (Some(x), Some(y)) if x + y <= cap => Some(x + y),
                _ => None,
            };
            return DataType::Text { kind, len };
        }
        if let (
            DataType::Decimal {
                precision: pa,
                scale: sa,
            },
            DataType::Decimal {
                precision: pb,
                scale: sb,
            },
        ) = (a, b)
        {
            let scale = sa.max(sb);
            let int_digits = (pa - sa).max(pb - sb);
            return DataType::Decimal {
                precision: (int_digits + scale + 1).min(38),
                scale,
            };
        }
        if a.precedence() >= b.precedence() {
            a
        } else {
            b
        }
    }
}

fn text_name(kind: TextKind) -> &'static str {
    match kind {
        TextKind::Char => "CHAR",
        TextKind::VarChar => "VARCHAR",
        TextKind::NChar => "NCHAR",
        TextKind::NVarChar => "NVARCHAR",
    }
}

fn decimal(args: &[TypeArg]) -> Option<DataType> {
    let (precision, scale) = match args {
        [] => (18, 0),
        [TypeArg::Number(p)] => (*p, 0),
        [TypeArg::Number(p), TypeArg::Number(s)] => (*p, *s),
        _ => return None,
    };
    if !(1..=38).contains(&precision) || scale > precision {
        return None;
    }
    Some(DataType::Decimal {
        precision: u8::try_from(precision).ok()?,
        scale: u8::try_from(scale).ok()?,
    })
}

fn text(kind: TextKind, args: &[TypeArg], cap: u32) -> Option<DataType> {
    let len = match args {
        [] => Some(1),
        [TypeArg::Number(n)] if (1..=cap).contains(n) => Some(*n),
        [TypeArg::Max] if matches!(kind, TextKind::VarChar | TextKind::NVarChar) => None,
        _ => return None,
    };
    Some(DataType::Text { kind, len })
}

fn binary(fixed: bool, args: &[TypeArg]) -> Option<DataType> {
    let len = match args {
        [] => Some(1),
        [TypeArg::Number(n)] if (1..=8000).contains(n) => Some(*n),
        [TypeArg::Max] if !fixed => None,
        _ => return None,
    };
    Some(DataType::Binary { fixed, len })
}

/// The type SQL Server gives a parameter or variable holding `value`.
pub(crate) fn type_of_value(value: &Value) -> Option<DataType> {
    Some(match value {
        Value::Null => return None,
        Value::Bit(_) => DataType::Bit,
        Value::TinyInt(_) => DataType::TinyInt,
        Value::SmallInt(_) => DataType::SmallInt,
        Value::Int(_) => DataType::Int,
        Value::BigInt(_) => DataType::BigInt,
        Value::Float(_) => DataType::Float,
        Value::Decimal {
            precision, scale, ..
        } => DataType::Decimal {
            precision: *precision,
            scale: *scale,
        },
        Value::NVarChar(s) if s.chars().count() <= 4000 => DataType::nvarchar(4000),
        Value::NVarChar(_) => DataType::NVARCHAR_MAX,
        Value::VarBinary(b) if b.len() <= 8000 => DataType::Binary {
            fixed: false,
            len: Some(8000),
        },
        Value::VarBinary(_) => DataType::Binary {
            fixed: false,
            len: None,
        },
        Value::DateTime2(_) => DataType::DateTime2,
    })
}

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
    fn declarations_round_trip() {
        let cases = [
            ("NVARCHAR", vec![TypeArg::Number(400)], "NVARCHAR(400)"),
            ("nvarchar", vec![TypeArg::Max], "NVARCHAR(MAX)"),
            ("char", vec![TypeArg::Number(64)], "CHAR(64)"),
            (
                "decimal",
                vec![TypeArg::Number(10), TypeArg::Number(2)],
                "DECIMAL(10,2)",
            ),
            ("numeric", vec![], "DECIMAL(18,0)"),
            ("bigint", vec![], "BIGINT"),
            ("datetime2", vec![TypeArg::Number(3)], "DATETIME2"),
            ("varbinary", vec![TypeArg::Max], "VARBINARY(MAX)"),
            ("sysname", vec![], "NVARCHAR(128)"),
        ];
        for (name, args, decl) in cases {
            let ty = DataType::from_parts(name, &args).unwrap();
            assert_eq!(ty.decl(), decl);
            assert_eq!(DataType::from_decl(decl), Some(ty));
        }
    }

    #[test]
    fn impossible_types_are_refused() {
        let cases = [
            ("NVARCHAR", vec![TypeArg::Number(5000)]),
            ("CHAR", vec![TypeArg::Max]),
            ("DECIMAL", vec![TypeArg::Number(40)]),
            ("INT", vec![TypeArg::Number(4)]),
            ("XML", vec![]),
        ];
        for (name, args) in cases {
            assert!(DataType::from_parts(name, &args).is_err(), "{name}");
        }
    }

    #[test]
    fn reported_types_follow_the_declaration() {
        let cases = [
            (DataType::BigInt, SqlType::BigInt),
            (DataType::Bit, SqlType::Bit),
            (
                DataType::nvarchar(400),
                SqlType::NVarChar {
                    max_chars: Some(400),
                },
            ),
            (
                DataType::Text {
                    kind: TextKind::VarChar,
                    len: Some(8000),
                },
                SqlType::NVarChar { max_chars: None },
            ),
            (DataType::Date, SqlType::DateTime2),
            (
                DataType::Decimal {
                    precision: 10,
                    scale: 2,
                },
                SqlType::Decimal {
                    precision: 10,
                    scale: 2,
                },
            ),
        ];
        for (ty, sql_type) in cases {
            assert_eq!(ty.sql_type(), sql_type, "{ty:?}");
        }
    }

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
