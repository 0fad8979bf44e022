//! Expressions: literals, variables, `@@` globals, column references,
//! operators (string `+` concatenates, `/` by zero is error 8134, text
//! compares under the `TDS` collation), predicates, CASE and CAST. Built-in
//! functions are in `functions`.

use rusqlite::types::Value as Lite;

use super::super::ast::{BinaryOp, Expr, Literal, UnaryOp};
use super::super::types::{DataType, TextKind};
use super::super::{SqlError, Value, errors, storage};
use super::{Translator, Typed};

/// `@@VERSION`: says plainly that this is the test double.
pub(crate) const VERSION_BANNER: &str = "Microsoft SQL Server 2022 (wsdb TDS test server) - 16.0.1000.6 (X64) \n\t\
     A test double for wsdb's tests, backed by SQLite: not a database to run anything on.\n";
pub(crate) const PRODUCT_VERSION: &str = "16.0.1000.6";

impl Translator<'_> {
    pub fn expr(&mut self, expr: &Expr) -> Result<Typed, SqlError> {
        match expr {
            Expr::Literal(literal) => self.literal(literal),
            Expr::Variable(name) => self.variable(name),
            Expr::Global(name) => self.global(name),
            Expr::Column(parts) => self.column(parts),
            Expr::Unary { op, expr } => self.unary(*op, expr),
            Expr::Binary { op, left, right } => self.binary(*op, left, right),
            Expr::Not(inner) => Ok(Typed::new(format!("(NOT {})", self.expr(inner)?.sql), None)),
            Expr::IsNull { .. }
            | Expr::Between { .. }
            | Expr::InList { .. }
            | Expr::InQuery { .. }
            | Expr::Like { .. }
            | Expr::Exists(_) => self.predicate(expr),
            Expr::Subquery(query) => {
                let sub = self.subquery(query)?;
                let ty = sub.columns.first().and_then(|c| c.ty);
                Ok(Typed::new(format!("({})", sub.sql), ty))
            }
            Expr::Function {
                name,
                args,
                distinct,
                star,
            } => self.function(name, args, *distinct, *star),
            Expr::Cast {
                expr,
                ty,
                style,
                try_cast,
            } => {
                let value = self.expr(expr)?;
                let style = match style {
                    Some(s) => self.expr(s)?.sql,
                    None => "NULL".into(),
                };
                let mode = if *try_cast { 1 } else { 0 };
                let decl = storage::quote_str(&ty.decl());
                Ok(Typed::new(
                    format!(
                        "tds_cast({}, {decl}, {mode}, {style}, NULL, NULL)",
                        value.sql
                    ),
                    Some(*ty),
                ))
            }
            // The parser makes DEFAULT only where `dml` handles it.
            Expr::Default => Err(errors::syntax_near("DEFAULT", 0)),
            Expr::Case {
                operand,
                whens,
                otherwise,
            } => self.case(operand.as_deref(), whens, otherwise.as_deref()),
        }
    }

    /// IS NULL, BETWEEN, IN, LIKE (T-SQL patterns via `tds_like`) and
    /// EXISTS; text compares under the `TDS` collation.
    fn predicate(&mut self, expr: &Expr) -> Result<Typed, SqlError> {
        match expr {
            Expr::IsNull { expr, negated } => {
                let inner = self.expr(expr)?;
                Ok(Typed::new(
                    format!(
                        "({} IS {}NULL)",
                        inner.sql,
                        if *negated { "NOT " } else { "" }
                    ),
                    None,
                ))
            }
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => {
                let (value, low, high) = (self.expr(expr)?, self.expr(low)?, self.expr(high)?);
                let collate = if value.is_text() || low.is_text() {
                    " COLLATE TDS"
                } else {
                    ""
                };
                let not = if *negated { "NOT " } else { "" };
                Ok(Typed::new(
                    format!(
                        "({}{collate} {not}BETWEEN {} AND {})",
                        value.sql, low.sql, high.sql
                    ),
                    None,
                ))
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                let value = self.expr(expr)?;
                let items = list
                    .iter()
                    .map(|e| self.expr(e).map(|t| t.sql))
                    .collect::<Result<Vec<_>, _>>()?;
                let collate = if value.is_text() { " COLLATE TDS" } else { "" };
                let not = if *negated { "NOT " } else { "" };
                Ok(Typed::new(
                    format!("({}{collate} {not}IN ({}))", value.sql, items.join(", ")),
                    None,
                ))
            }
            Expr::InQuery {
                expr,
                query,
                negated,
            } => {
                let value = self.expr(expr)?;
                let sub = self.subquery(query)?;
                let not = if *negated { "NOT " } else { "" };
                Ok(Typed::new(
                    format!("({} {not}IN ({}))", value.sql, sub.sql),
                    None,
                ))
            }
            Expr::Like {
                expr,
                pattern,
                escape,
                negated,
            } => {
                let (value, pattern) = (self.expr(expr)?, self.expr(pattern)?);
                let escape = match escape {
                    Some(e) => format!(", {}", self.expr(e)?.sql),
                    None => String::new(),
                };
                let not = if *negated { "NOT " } else { "" };
                Ok(Typed::new(
                    format!("({not}tds_like({}, {}{escape}))", value.sql, pattern.sql),
                    None,
                ))
            }
            Expr::Exists(query) => {
                let sub = self.subquery(query)?;
                Ok(Typed::new(format!("(EXISTS ({}))", sub.sql), None))
            }
            other => Err(errors::internal(&format!("{other:?} is no predicate"))),
        }
    }

    /// A search condition, as SQLite text.
    pub fn condition(&mut self, expr: &Expr) -> Result<String, SqlError> {
        Ok(self.expr(expr)?.sql)
    }

    fn literal(&mut self, literal: &Literal) -> Result<Typed, SqlError> {
        match literal {
            Literal::Null => Ok(Typed::new("NULL", None)),
            Literal::Number(text) => Ok(number_literal(text)),
            Literal::String { text, national } => {
                let len = u32::try_from(text.chars().count().max(1)).unwrap_or(u32::MAX);
                let kind = if *national {
                    TextKind::NVarChar
                } else {
                    TextKind::VarChar
                };
                let cap = if *national { 4000 } else { 8000 };
                let ty = DataType::Text {
                    kind,
                    len: (len <= cap).then_some(len),
                };
                Ok(Typed::new(self.bind(Lite::Text(text.clone()))?, Some(ty)))
            }
            Literal::Binary(bytes) => {
                let len = u32::try_from(bytes.len().max(1)).unwrap_or(u32::MAX);
                let ty = DataType::Binary {
                    fixed: false,
                    len: (len <= 8000).then_some(len),
                };
                Ok(Typed::new(self.bind(Lite::Blob(bytes.clone()))?, Some(ty)))
            }
        }
    }

    fn variable(&mut self, name: &str) -> Result<Typed, SqlError> {
        if self.is_inline() {
            return Err(errors::not_supported("variables in schema definitions"));
        }
        let variable = self
            .env
            .vars
            .get(name)
            .ok_or_else(|| errors::must_declare(name, 0))?;
        let (ty, value) = (variable.ty, variable.value.clone());
        Ok(Typed::new(self.bind_value(&value)?, ty))
    }

    fn global(&mut self, name: &str) -> Result<Typed, SqlError> {
        let session = self.env.session;
        let value = match name {
            "TRANCOUNT" => Value::Int(i32::try_from(session.tran.depth).unwrap_or(i32::MAX)),
            "SPID" => Value::SmallInt(i16::try_from(session.spid()).unwrap_or(i16::MAX)),
            "VERSION" => Value::NVarChar(VERSION_BANNER.into()),
            "ERROR" => Value::Int(i32::try_from(self.env.error).unwrap_or(i32::MAX)),
            "ROWCOUNT" => Value::Int(i32::try_from(self.env.rowcount).unwrap_or(i32::MAX)),
            "IDENTITY" => match session.last_identity {
                Some(v) => Value::Decimal {
                    unscaled: i128::from(v),
                    precision: 38,
                    scale: 0,
                },
                None => {
                    return Ok(Typed::new(
                        "NULL",
                        Some(DataType::Decimal {
                            precision: 38,
                            scale: 0,
                        }),
                    ));
                }
            },
            "SERVERNAME" | "SERVICENAME" => Value::NVarChar("WSDB-TDS-TEST".into()),
            "LOCK_TIMEOUT" => Value::Int(i32::try_from(session.options.lock_timeout).unwrap_or(-1)),
            "LANGUAGE" => Value::NVarChar("us_english".into()),
            "MAX_PRECISION" => Value::TinyInt(38),
            "DATEFIRST" => Value::TinyInt(7),
            "TEXTSIZE" => Value::Int(-1),
            "NESTLEVEL" => Value::Int(0),
            _ => {
                return Err(errors::must_declare(
                    &format!("@{}", name.to_lowercase()),
                    0,
                ));
            }
        };
        let ty = super::super::types::type_of_value(&value);
        let ty = match name {
            "VERSION" => Some(DataType::nvarchar(300)),
            "SERVERNAME" | "SERVICENAME" | "LANGUAGE" => Some(DataType::nvarchar(128)),
            _ => ty,
        };
        Ok(Typed::new(self.bind_value(&value)?, ty))
    }

    fn column(&mut self, parts: &[String]) -> Result<Typed, SqlError> {
        let name = parts.last().map_or("", String::as_str);
        match self.lookup_column(parts)? {
            Some(found) => Ok(found),
            // Only ORDER BY may name a select-list alias; SQLite would also
            // take one in WHERE or GROUP BY, where SQL Server says 207.
            None if self.ordering => Ok(Typed::new(storage::quote(name), None)),
            None => Err(errors::invalid_column(name)),
        }
    }

    fn unary(&mut self, op: UnaryOp, expr: &Expr) -> Result<Typed, SqlError> {
        if let (UnaryOp::Neg, Expr::Literal(Literal::Number(text))) = (op, expr) {
            let positive = number_literal(text);
            return Ok(Typed::new(format!("(-{})", positive.sql), positive.ty));
        }
        let inner = self.expr(expr)?;
        let sql = match op {
            UnaryOp::Neg => format!("(-{})", inner.sql),
            UnaryOp::Plus => inner.sql,
            UnaryOp::BitNot => format!("(~{})", inner.sql),
        };
        Ok(Typed::new(sql, inner.ty))
    }

    fn binary(&mut self, op: BinaryOp, left: &Expr, right: &Expr) -> Result<Typed, SqlError> {
        let (l, r) = (self.expr(left)?, self.expr(right)?);
        let combined = match (l.ty, r.ty) {
            (Some(a), Some(b)) => Some(DataType::combine(a, b)),
            (a, b) => a.or(b),
        };
        let text = |t: &Typed| t.is_text();
        let sql = match op {
            BinaryOp::Add if text(&l) && text(&r) => format!("({} || {})", l.sql, r.sql),
            BinaryOp::Add if numeric(&l) && numeric(&r) => format!("({} + {})", l.sql, r.sql),
            BinaryOp::Add => format!("tds_add({}, {})", l.sql, r.sql),
            BinaryOp::Sub => format!("({} - {})", l.sql, r.sql),
            BinaryOp::Mul => format!("({} * {})", l.sql, r.sql),
            BinaryOp::Div => format!("({} / tds_nonzero({}))", l.sql, r.sql),
            BinaryOp::Mod => format!("({} % tds_nonzero({}))", l.sql, r.sql),
            BinaryOp::BitAnd => format!("({} & {})", l.sql, r.sql),
            BinaryOp::BitOr => format!("({} | {})", l.sql, r.sql),
            BinaryOp::BitXor => format!("(({0} | {1}) - ({0} & {1}))", l.sql, r.sql),
            BinaryOp::And => return Ok(Typed::new(format!("({} AND {})", l.sql, r.sql), None)),
            BinaryOp::Or => return Ok(Typed::new(format!("({} OR {})", l.sql, r.sql), None)),
            comparison => {
                let symbol = match comparison {
                    BinaryOp::Eq => "=",
                    BinaryOp::Ne => "<>",
                    BinaryOp::Lt => "<",
                    BinaryOp::Le => "<=",
                    BinaryOp::Gt => ">",
                    _ => ">=",
                };
                let collate = if text(&l) || text(&r) {
                    " COLLATE TDS"
                } else {
                    ""
                };
                return Ok(Typed::new(
                    format!("({}{collate} {symbol} {})", l.sql, r.sql),
                    None,
                ));
            }
        };
        Ok(Typed::new(sql, combined))
    }

    fn case(
        &mut self,
        operand: Option<&Expr>,
        whens: &[(Expr, Expr)],
        otherwise: Option<&Expr>,
    ) -> Result<Typed, SqlError> {
        let mut sql = String::from("(CASE");
        let mut operand_is_text = false;
        if let Some(operand) = operand {
            let value = self.expr(operand)?;
            operand_is_text = value.is_text();
            sql.push(' ');
            sql.push_str(&value.sql);
        }
        let mut ty: Option<DataType> = None;
        for (when, then) in whens {
            let when = self.expr(when)?;
            let collate = if operand_is_text { " COLLATE TDS" } else { "" };
            let then = self.expr(then)?;
            ty = merge_branch(ty, then.ty);
            sql.push_str(&format!(" WHEN {}{collate} THEN {}", when.sql, then.sql));
        }
        if let Some(otherwise) = otherwise {
            let value = self.expr(otherwise)?;
            ty = merge_branch(ty, value.ty);
            sql.push_str(&format!(" ELSE {}", value.sql));
        }
        sql.push_str(" END)");
        Ok(Typed::new(sql, ty))
    }

    /// `value` converted for storing into a column (`tds_cast` mode 2).
    pub fn assign(
        &mut self,
        value: Typed,
        ty: DataType,
        table: &str,
        column: &str,
    ) -> Result<String, SqlError> {
        let (table, column) = (storage::quote_str(table), storage::quote_str(column));
        Ok(format!(
            "tds_cast({}, {}, 2, NULL, {table}, {column})",
            value.sql,
            storage::quote_str(&ty.decl())
        ))
    }
}

fn numeric(t: &Typed) -> bool {
    t.ty.is_some_and(|ty| ty.is_numeric())
}

/// CASE takes the type of highest precedence among its branches; text
/// branches widen to the longest (and national if any is).
fn merge_branch(current: Option<DataType>, next: Option<DataType>) -> Option<DataType> {
    match (current, next) {
        (
            Some(DataType::Text { kind: ka, len: la }),
            Some(DataType::Text { kind: kb, len: lb }),
        ) => {
            let national = [ka, kb]
                .iter()
                .any(|k| matches!(k, TextKind::NChar | TextKind::NVarChar));
            let kind = if national {
                TextKind::NVarChar
            } else {
                TextKind::VarChar
            };
            Some(DataType::Text {
                kind,
                len: la.zip(lb).map(|(x, y)| x.max(y)),
            })
        }
        (Some(a), Some(b)) => Some(if b.precedence() > a.precedence() {
            b
        } else {
            a
        }),
        (a, b) => a.or(b),
    }
}

/// Types a numeric literal as SQL Server does: int when it fits, then
/// numeric(p, 0); a decimal point makes numeric(p, s); an exponent float.
pub(crate) fn number_literal(text: &str) -> Typed {
    if text.contains(['e', 'E']) {
        return Typed::new(text, Some(DataType::Float));
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let precision = u8::try_from(digits.clamp(1, 38)).unwrap_or(38);
    if let Some((_, fraction)) = text.split_once('.') {
        let scale = u8::try_from(fraction.len().min(38)).unwrap_or(38);
        let sql = if text.starts_with('.') {
            format!("0{text}")
        } else if text.ends_with('.') {
            format!("{text}0")
        } else {
            text.to_string()
        };
        return Typed::new(
            sql,
            Some(DataType::Decimal {
                precision: precision.max(scale).max(1),
                scale,
            }),
        );
    }
    match text.parse::<i64>() {
        Ok(v) if i32::try_from(v).is_ok() => Typed::new(text, Some(DataType::Int)),
        Ok(_) => Typed::new(
            text,
            Some(DataType::Decimal {
                precision,
                scale: 0,
            }),
        ),
        Err(_) => Typed::new(format!("{text}.0"), Some(DataType::Float)),
    }
}
