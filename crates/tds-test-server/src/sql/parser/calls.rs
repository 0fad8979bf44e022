//! Function calls in expressions: the built-in names the subset knows (any
//! other is error 195 at compile time, as in SQL Server), `COUNT(*)`,
//! `DISTINCT` arguments, IIF, CASE, CAST and CONVERT.

use super::super::SqlError;
use super::super::ast::Expr;
use super::super::errors;
use super::Parser;

/// Every built-in function the test server implements (upper-case). The
/// translator has a test that each of them translates.
pub(crate) const FUNCTIONS: &[&str] = &[
    "ABS",
    "APP_NAME",
    "APPLOCK_MODE",
    "APPLOCK_TEST",
    "AVG",
    "CEILING",
    "CHARINDEX",
    "COALESCE",
    "COL_LENGTH",
    "CONCAT",
    "CONCAT_WS",
    "COUNT",
    "COUNT_BIG",
    "CURRENT_TIMESTAMP",
    "CURRENT_USER",
    "DATALENGTH",
    "DATEADD",
    "DATEDIFF",
    "DATEPART",
    "DAY",
    "DB_ID",
    "DB_NAME",
    "FLOOR",
    "GETDATE",
    "GETUTCDATE",
    "HAS_PERMS_BY_NAME",
    "HOST_NAME",
    "IIF",
    "IS_MEMBER",
    "IS_ROLEMEMBER",
    "IS_SRVROLEMEMBER",
    "ISNULL",
    "LEFT",
    "LEN",
    "LOWER",
    "LTRIM",
    "MAX",
    "MIN",
    "MONTH",
    "NEWID",
    "NULLIF",
    "OBJECT_ID",
    "OBJECT_NAME",
    "QUOTENAME",
    "ORIGINAL_LOGIN",
    "POWER",
    "REPLACE",
    "REPLICATE",
    "REVERSE",
    "RIGHT",
    "ROUND",
    "RTRIM",
    "SCHEMA_ID",
    "SCHEMA_NAME",
    "SCOPE_IDENTITY",
    "SERVERPROPERTY",
    "SESSION_USER",
    "SIGN",
    "SPACE",
    "SQRT",
    "STRING_AGG",
    "SUBSTRING",
    "SUM",
    "SUSER_NAME",
    "SUSER_SNAME",
    "SYSDATETIME",
    "SYSTEM_USER",
    "SYSUTCDATETIME",
    "TRIM",
    "UPPER",
    "USER",
    "USER_NAME",
    "XACT_STATE",
    "YEAR",
];

/// SQL Server built-ins the test server does not implement: refused as
/// not supported (40900) rather than unknown (195), which would be untrue.
const UNSUPPORTED: &[&str] = &[
    "ROW_NUMBER",
    "RANK",
    "DENSE_RANK",
    "NTILE",
    "LAG",
    "LEAD",
    "FIRST_VALUE",
    "LAST_VALUE",
    "FORMAT",
    "STUFF",
    "PATINDEX",
    "TRANSLATE",
    "EOMONTH",
    "DATEFROMPARTS",
    "DATETIME2FROMPARTS",
    "ISNUMERIC",
    "ISDATE",
    "CHOOSE",
    "SOUNDEX",
    "DIFFERENCE",
    "STR",
    "ASCII",
    "CHAR",
    "NCHAR",
    "UNICODE",
    "PARSE",
    "TRY_PARSE",
    "SWITCHOFFSET",
    "TODATETIMEOFFSET",
    "SYSDATETIMEOFFSET",
    "DATENAME",
    "DATEDIFF_BIG",
    "ERROR_NUMBER",
    "ERROR_MESSAGE",
    "ERROR_SEVERITY",
    "ERROR_STATE",
    "ERROR_LINE",
    "ERROR_PROCEDURE",
    "CHECKSUM",
    "BINARY_CHECKSUM",
    "HASHBYTES",
    "COMPRESS",
    "DECOMPRESS",
    "JSON_VALUE",
    "JSON_QUERY",
    "JSON_MODIFY",
    "ISJSON",
    "OPENJSON",
    "STRING_SPLIT",
    "STRING_ESCAPE",
    "IDENT_CURRENT",
    "IDENT_SEED",
    "IDENT_INCR",
    "OBJECTPROPERTY",
    "COLUMNPROPERTY",
    "INDEXPROPERTY",
    "DATABASEPROPERTYEX",
    "TYPE_ID",
    "TYPE_NAME",
    "COL_NAME",
    "SESSION_CONTEXT",
    "CONTEXT_INFO",
    "LOG",
    "LOG10",
    "EXP",
    "PI",
    "RAND",
    "SQUARE",
    "SIN",
    "COS",
    "TAN",
    "ATAN",
    "ACOS",
    "ASIN",
    "ATN2",
    "COT",
    "DEGREES",
    "RADIANS",
    "GROUPING",
    "VAR",
    "VARP",
    "STDEV",
    "STDEVP",
    "CHECKSUM_AGG",
    "APPROX_COUNT_DISTINCT",
    "GREATEST",
    "LEAST",
];

/// Functions written without parentheses.
pub(crate) const NILADIC: &[&str] = &[
    "CURRENT_TIMESTAMP",
    "CURRENT_USER",
    "SESSION_USER",
    "SYSTEM_USER",
    "USER",
];

impl Parser<'_> {
    pub(crate) fn function_call(&mut self) -> Result<Expr, SqlError> {
        let token = self.advance().ok_or_else(|| self.error_here())?;
        let name = token.text.to_ascii_uppercase();
        if UNSUPPORTED.contains(&name.as_str()) {
            return Err(errors::not_supported_at(
                &format!("the function {name}"),
                token.line,
            ));
        }
        if !FUNCTIONS.contains(&name.as_str()) {
            return Err(errors::unknown_function(&token.text, token.line));
        }
        self.expect_punct("(")?;
        if name == "IIF" {
            return self.iif();
        }
        let mut args = Vec::new();
        let mut distinct = false;
        let mut star = false;
        if self.eat_punct("*") {
            star = true;
        } else if !self.at_punct(")") {
            distinct = self.eat_word("DISTINCT");
            if !distinct {
                self.eat_word("ALL");
            }
            args.push(self.value()?);
            while self.eat_punct(",") {
                args.push(self.value()?);
            }
        }
        self.expect_punct(")")?;
        if self.at_word("OVER") {
            return Err(self.not_supported("window functions (OVER)"));
        }
        if self.at_word("WITHIN") {
            return Err(self.not_supported("WITHIN GROUP"));
        }
        Ok(Expr::Function {
            name,
            args,
            distinct,
            star,
        })
    }

    /// `IIF(cond, a, b)` is CASE WHEN cond THEN a ELSE b END.
    pub(crate) fn iif(&mut self) -> Result<Expr, SqlError> {
        let condition = self.condition()?;
        self.expect_punct(",")?;
        let then = self.value()?;
        self.expect_punct(",")?;
        let otherwise = self.value()?;
        self.expect_punct(")")?;
        Ok(Expr::Case {
            operand: None,
            whens: vec![(condition, then)],
            otherwise: Some(Box::new(otherwise)),
        })
    }

    pub(crate) fn case_expr(&mut self) -> Result<Expr, SqlError> {
        self.advance();
        let operand = if self.at_word("WHEN") {
            None
        } else {
            Some(Box::new(self.value()?))
        };
        let mut whens = Vec::new();
        while self.eat_word("WHEN") {
            let when = if operand.is_some() {
                self.value()?
            } else {
                self.condition()?
            };
            self.expect_word("THEN")?;
            whens.push((when, self.value()?));
        }
        if whens.is_empty() {
            return Err(self.error_here());
        }
        let otherwise = if self.eat_word("ELSE") {
            Some(Box::new(self.value()?))
        } else {
            None
        };
        self.expect_word("END")?;
        Ok(Expr::Case {
            operand,
            whens,
            otherwise,
        })
    }

    pub(crate) fn cast(&mut self, try_cast: bool) -> Result<Expr, SqlError> {
        self.advance();
        self.expect_punct("(")?;
        let expr = self.value()?;
        self.expect_word("AS")?;
        let ty = self.data_type()?;
        self.expect_punct(")")?;
        Ok(Expr::Cast {
            expr: Box::new(expr),
            ty,
            style: None,
            try_cast,
        })
    }

    pub(crate) fn convert(&mut self, try_cast: bool) -> Result<Expr, SqlError> {
        self.advance();
        self.expect_punct("(")?;
        let ty = self.data_type()?;
        self.expect_punct(",")?;
        let expr = self.value()?;
        let style = if self.eat_punct(",") {
            Some(Box::new(self.value()?))
        } else {
            None
        };
        self.expect_punct(")")?;
        Ok(Expr::Cast {
            expr: Box::new(expr),
            ty,
            style,
            try_cast,
        })
    }
}
