//! Built-in T-SQL functions over data as SQLite SQL, each with SQL Server's
//! result type: aggregates, string, math and date functions, ISNULL and
//! friends. They map to SQLite built-ins or the `tds_*` functions of
//! `sql::functions`; functions answering from the server or the catalog
//! are in `catalog`.

use super::super::SqlError;
use super::super::ast::Expr;
use super::super::types::{DataType, TextKind};
use super::{Translator, Typed};

pub(super) const SYSNAME: DataType = DataType::Text {
    kind: TextKind::NVarChar,
    len: Some(128),
};

pub(super) fn arity(name: &str, args: &[Expr], min: usize, max: usize) -> Result<(), SqlError> {
    if (min..=max).contains(&args.len()) {
        return Ok(());
    }
    let message = if min == max {
        format!("The {name} function requires {min} argument(s).")
    } else {
        format!("The {name} function requires {min} to {max} arguments.")
    };
    Err(SqlError {
        number: if min == max { 174 } else { 189 },
        state: 1,
        class: 15,
        line: 0,
        message,
    })
}

impl Translator<'_> {
    pub fn function(
        &mut self,
        name: &str,
        args: &[Expr],
        distinct: bool,
        star: bool,
    ) -> Result<Typed, SqlError> {
        let distinct_sql = if distinct { "DISTINCT " } else { "" };
        match name {
            "COUNT" | "COUNT_BIG" => {
                let ty = if name == "COUNT" {
                    DataType::Int
                } else {
                    DataType::BigInt
                };
                if star {
                    return Ok(Typed::new("COUNT(*)", Some(ty)));
                }
                arity(name, args, 1, 1)?;
                let arg = self.expr(&args[0])?;
                Ok(Typed::new(
                    format!("COUNT({distinct_sql}{})", arg.sql),
                    Some(ty),
                ))
            }
            "SUM" | "AVG" | "MIN" | "MAX" => {
                arity(name, args, 1, 1)?;
                let arg = self.expr(&args[0])?;
                let ty = arg.ty.map(|t| aggregate_type(name, t));
                Ok(Typed::new(format!("{name}({distinct_sql}{})", arg.sql), ty))
            }
            "STRING_AGG" => {
                arity(name, args, 2, 2)?;
                let (value, separator) = (self.expr(&args[0])?, self.expr(&args[1])?);
                Ok(Typed::new(
                    format!("group_concat({}, {})", value.sql, separator.sql),
                    Some(DataType::NVARCHAR_MAX),
                ))
            }
            _ => self.scalar_function(name, args),
        }
    }

    fn scalar_function(&mut self, name: &str, args: &[Expr]) -> Result<Typed, SqlError> {
        match name {
            "ABS" | "UPPER" | "LOWER" | "LTRIM" | "RTRIM" | "TRIM" | "SIGN" | "CEILING"
            | "FLOOR" | "SQRT" | "REVERSE" => {
                arity(name, args, 1, 1)?;
                let arg = self.expr(&args[0])?;
                let sql = match name {
                    "ABS" | "UPPER" | "LOWER" | "SIGN" => {
                        format!("{}({})", name.to_lowercase(), arg.sql)
                    }
                    "LTRIM" | "RTRIM" | "TRIM" => {
                        format!("{}({}, ' ')", name.to_lowercase(), arg.sql)
                    }
                    _ => format!("tds_math('{}', {}, NULL)", name.to_lowercase(), arg.sql),
                };
                let ty = if name == "SQRT" {
                    Some(DataType::Float)
                } else {
                    arg.ty
                };
                Ok(Typed::new(sql, ty))
            }
            "ROUND" | "POWER" => {
                arity(name, args, 2, 3)?;
                let (value, digits) = (self.expr(&args[0])?, self.expr(&args[1])?);
                let op = name.to_lowercase();
                Ok(Typed::new(
                    format!("tds_math('{op}', {}, {})", value.sql, digits.sql),
                    value.ty,
                ))
            }
            "ISNULL" => {
                arity(name, args, 2, 2)?;
                let (a, b) = (self.expr(&args[0])?, self.expr(&args[1])?);
                Ok(Typed::new(
                    format!("COALESCE({}, {})", a.sql, b.sql),
                    a.ty.or(b.ty),
                ))
            }
            "COALESCE" => {
                arity(name, args, 2, 254)?;
                let parts = args
                    .iter()
                    .map(|a| self.expr(a))
                    .collect::<Result<Vec<_>, _>>()?;
                let ty = parts
                    .iter()
                    .filter_map(|p| p.ty)
                    .max_by_key(DataType::precedence);
                let sql = parts
                    .iter()
                    .map(|p| p.sql.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                Ok(Typed::new(format!("COALESCE({sql})"), ty))
            }
            "NULLIF" => {
                arity(name, args, 2, 2)?;
                let (a, b) = (self.expr(&args[0])?, self.expr(&args[1])?);
                Ok(Typed::new(format!("NULLIF({}, {})", a.sql, b.sql), a.ty))
            }
            _ => self.string_function(name, args),
        }
    }

    fn string_function(&mut self, name: &str, args: &[Expr]) -> Result<Typed, SqlError> {
        match name {
            "LEN" => self.unary_sql(
                name,
                args,
                |a| format!("length(rtrim({a}, ' '))"),
                Some(DataType::Int),
            ),
            "DATALENGTH" => {
                arity(name, args, 1, 1)?;
                let arg = self.expr(&args[0])?;
                let sql = match arg.ty {
                    Some(DataType::Text {
                        kind: TextKind::NVarChar | TextKind::NChar,
                        ..
                    }) => format!("(length({}) * 2)", arg.sql),
                    _ => format!("length(CAST({} AS BLOB))", arg.sql),
                };
                Ok(Typed::new(sql, Some(DataType::Int)))
            }
            "SUBSTRING" => {
                arity(name, args, 3, 3)?;
                let (s, start, len) = (
                    self.expr(&args[0])?,
                    self.expr(&args[1])?,
                    self.expr(&args[2])?,
                );
                Ok(Typed::new(
                    format!("substr({}, {}, {})", s.sql, start.sql, len.sql),
                    s.ty,
                ))
            }
            "LEFT" | "RIGHT" => {
                arity(name, args, 2, 2)?;
                let (s, n) = (self.expr(&args[0])?, self.expr(&args[1])?);
                let sql = if name == "LEFT" {
                    format!("substr({}, 1, {})", s.sql, n.sql)
                } else {
                    format!("substr({0}, max(length({0}) - ({1}) + 1, 1))", s.sql, n.sql)
                };
                Ok(Typed::new(sql, s.ty))
            }
            "REPLACE" => {
                arity(name, args, 3, 3)?;
                let (s, from, to) = (
                    self.expr(&args[0])?,
                    self.expr(&args[1])?,
                    self.expr(&args[2])?,
                );
                Ok(Typed::new(
                    format!("replace({}, {}, {})", s.sql, from.sql, to.sql),
                    Some(text_or_max(s.ty)),
                ))
            }
            "CHARINDEX" => {
                arity(name, args, 2, 3)?;
                let (needle, haystack) = (self.expr(&args[0])?, self.expr(&args[1])?);
                let start = match args.get(2) {
                    Some(s) => self.expr(s)?.sql,
                    None => "NULL".into(),
                };
                Ok(Typed::new(
                    format!("tds_charindex({}, {}, {start})", needle.sql, haystack.sql),
                    Some(DataType::Int),
                ))
            }
            "CONCAT" => {
                arity(name, args, 2, 254)?;
                let parts = args
                    .iter()
                    .map(|a| {
                        self.expr(a)
                            .map(|t| format!("COALESCE(CAST({} AS TEXT), '')", t.sql))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Typed::new(
                    format!("({})", parts.join(" || ")),
                    Some(DataType::NVARCHAR_MAX),
                ))
            }
            "CONCAT_WS" => {
                arity(name, args, 3, 254)?;
                let parts = args
                    .iter()
                    .map(|a| self.expr(a).map(|t| t.sql))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Typed::new(
                    format!("concat_ws({})", parts.join(", ")),
                    Some(DataType::NVARCHAR_MAX),
                ))
            }
            "REPLICATE" | "SPACE" => {
                let (s, n) = if name == "SPACE" {
                    arity(name, args, 1, 1)?;
                    ("' '".to_string(), self.expr(&args[0])?.sql)
                } else {
                    arity(name, args, 2, 2)?;
                    (self.expr(&args[0])?.sql, self.expr(&args[1])?.sql)
                };
                Ok(Typed::new(
                    format!("tds_math('replicate', {s}, {n})"),
                    Some(DataType::NVARCHAR_MAX),
                ))
            }
            "QUOTENAME" => {
                arity(name, args, 1, 2)?;
                if args.len() == 2 {
                    return Err(super::super::errors::not_supported(
                        "QUOTENAME with a quote character",
                    ));
                }
                let text = self.expr(&args[0])?;
                let sql = format!("('[' || replace({}, ']', ']]') || ']')", text.sql);
                Ok(Typed::new(sql, Some(DataType::nvarchar(258))))
            }
            _ => self.date_or_catalog_function(name, args),
        }
    }

    pub(super) fn unary_sql(
        &mut self,
        name: &str,
        args: &[Expr],
        sql: impl Fn(&str) -> String,
        ty: Option<DataType>,
    ) -> Result<Typed, SqlError> {
        arity(name, args, 1, 1)?;
        let arg = self.expr(&args[0])?;
        Ok(Typed::new(sql(&arg.sql), ty))
    }

    fn date_or_catalog_function(&mut self, name: &str, args: &[Expr]) -> Result<Typed, SqlError> {
        match name {
            "GETDATE" | "SYSDATETIME" | "CURRENT_TIMESTAMP" => {
                arity(name, args, 0, 0)?;
                let ty = if name == "SYSDATETIME" {
                    DataType::DateTime2
                } else {
                    DataType::DateTime
                };
                Ok(Typed::new("tds_sysdatetime()", Some(ty)))
            }
            "GETUTCDATE" | "SYSUTCDATETIME" => {
                arity(name, args, 0, 0)?;
                let ty = if name == "SYSUTCDATETIME" {
                    DataType::DateTime2
                } else {
                    DataType::DateTime
                };
                Ok(Typed::new("tds_sysutcdatetime()", Some(ty)))
            }
            "DATEADD" | "DATEDIFF" => {
                arity(name, args, 3, 3)?;
                let unit = date_unit(&args[0])?;
                let (a, b) = (self.expr(&args[1])?, self.expr(&args[2])?);
                if name == "DATEADD" {
                    Ok(Typed::new(
                        format!("tds_dateadd('{unit}', {}, {})", a.sql, b.sql),
                        b.ty.filter(|t| !t.is_text()).or(Some(DataType::DateTime)),
                    ))
                } else {
                    Ok(Typed::new(
                        format!("tds_datediff('{unit}', {}, {})", a.sql, b.sql),
                        Some(DataType::Int),
                    ))
                }
            }
            "DATEPART" => {
                arity(name, args, 2, 2)?;
                let unit = date_unit(&args[0])?;
                let date = self.expr(&args[1])?;
                Ok(Typed::new(
                    format!("tds_datepart('{unit}', {})", date.sql),
                    Some(DataType::Int),
                ))
            }
            "YEAR" | "MONTH" | "DAY" => {
                let unit = name.to_lowercase();
                self.unary_sql(
                    name,
                    args,
                    |a| format!("tds_datepart('{unit}', {a})"),
                    Some(DataType::Int),
                )
            }
            "NEWID" => {
                arity(name, args, 0, 0)?;
                Ok(Typed::new("tds_newid()", Some(DataType::UniqueIdentifier)))
            }
            _ => self.catalog_function(name, args),
        }
    }
}

/// The unit of DATEADD/DATEDIFF/DATEPART, written as a bare word.
fn date_unit(expr: &Expr) -> Result<String, SqlError> {
    match expr {
        Expr::Column(parts) if parts.len() == 1 => Ok(parts[0].to_lowercase()),
        _ => Err(super::super::errors::syntax_near("(", 0)),
    }
}

fn aggregate_type(name: &str, ty: DataType) -> DataType {
    match (name, ty) {
        ("MIN" | "MAX", ty) => ty,
        (_, DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::Bit) => {
            DataType::Int
        }
        (_, DataType::Decimal { scale, .. }) => DataType::Decimal {
            precision: 38,
            scale: if name == "AVG" { scale.max(6) } else { scale },
        },
        (_, DataType::BigInt) => DataType::BigInt,
        _ => DataType::Float,
    }
}

fn text_or_max(ty: Option<DataType>) -> DataType {
    match ty {
        Some(DataType::Text { kind, .. }) => DataType::Text { kind, len: None },
        _ => DataType::NVARCHAR_MAX,
    }
}
