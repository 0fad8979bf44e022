//! T-SQL data types as declared (`NVARCHAR(400)`, `DECIMAL(10,2)`, ...): their
//! normalized text (also the SQLite column declaration, so the declared type
//! survives in SQLite's schema), the [`SqlType`] reported to clients, and
//! type precedence for expressions. How values of these types are stored
//! and read back is `values`'; conversions between them `convert`'s.

use super::{SqlType, Value};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
