//! Built-ins that answer from the server or the catalog rather than from
//! data: DB_NAME/DB_ID, OBJECT_ID (a subquery on the metadata tables, so it
//! sees objects created earlier in the same transaction), COL_LENGTH,
//! SCHEMA_ID/SCHEMA_NAME, the login and session functions (bound as
//! parameters), SERVERPROPERTY, permission checks (always granted: the
//! test server's logins own their databases), APPLOCK_MODE/APPLOCK_TEST,
//! SCOPE_IDENTITY and XACT_STATE.

use super::super::ast::Expr;
use super::super::types::DataType;
use super::super::{SqlError, Value, storage};
use super::expr::PRODUCT_VERSION;
use super::functions::{SYSNAME, arity};
use super::{Translator, Typed};

impl Translator<'_> {
    pub(super) fn catalog_function(
        &mut self,
        name: &str,
        args: &[Expr],
    ) -> Result<Typed, SqlError> {
        let session = self.env.session;
        match name {
            "DB_NAME" | "DB_ID" => {
                arity(name, args, 0, 1)?;
                let by_name = name == "DB_NAME";
                if args.is_empty() {
                    let value = if by_name {
                        Value::NVarChar(session.database().to_string())
                    } else {
                        Value::Int(session.database_id())
                    };
                    let ty = if by_name { SYSNAME } else { DataType::Int };
                    return Ok(Typed::new(self.bind_value(&value)?, Some(ty)));
                }
                let arg = self.expr(&args[0])?;
                let (function, ty) = if by_name {
                    ("tds_db_name", SYSNAME)
                } else {
                    ("tds_db_id", DataType::Int)
                };
                Ok(Typed::new(format!("{function}({})", arg.sql), Some(ty)))
            }
            "OBJECT_ID" => self.object_id(args),
            "OBJECT_NAME" => self.unary_sql(
                name,
                args,
                |a| format!("(SELECT name FROM __tds_objects WHERE object_id = {a})"),
                Some(SYSNAME),
            ),
            "SCHEMA_ID" | "SCHEMA_NAME" => {
                arity(name, args, 0, 1)?;
                let by_id = name == "SCHEMA_NAME";
                if args.is_empty() {
                    let value = if by_id {
                        Value::NVarChar("dbo".into())
                    } else {
                        Value::Int(1)
                    };
                    return Ok(Typed::new(
                        self.bind_value(&value)?,
                        Some(if by_id { SYSNAME } else { DataType::Int }),
                    ));
                }
                let arg = self.expr(&args[0])?;
                let (column, key, ty) = if by_id {
                    ("name", "schema_id", SYSNAME)
                } else {
                    ("schema_id", "name", DataType::Int)
                };
                Ok(Typed::new(
                    format!(
                        "(SELECT {column} FROM __tds_schemas WHERE {key} = {})",
                        arg.sql
                    ),
                    Some(ty),
                ))
            }
            "COL_LENGTH" => {
                arity(name, args, 2, 2)?;
                let (table, column) = (self.expr(&args[0])?, self.expr(&args[1])?);
                let sql = format!(
                    "(SELECT tds_type_info(c.type, 'max_length') FROM __tds_columns c \
                     JOIN __tds_objects o ON o.object_id = c.object_id JOIN __tds_schemas s ON s.schema_id = o.schema_id \
                     WHERE o.type = 'U' AND o.name = tds_objpart({0}, 'name') \
                     AND s.name = COALESCE(tds_objpart({0}, 'schema'), 'dbo') AND c.name = {1})",
                    table.sql, column.sql
                );
                Ok(Typed::new(sql, Some(DataType::SmallInt)))
            }
            _ => self.session_function(name, args),
        }
    }

    /// The session's own facts: login and host names, server properties,
    /// permission checks, app locks, SCOPE_IDENTITY, XACT_STATE.
    fn session_function(&mut self, name: &str, args: &[Expr]) -> Result<Typed, SqlError> {
        let session = self.env.session;
        match name {
            "SUSER_SNAME" | "SUSER_NAME" | "ORIGINAL_LOGIN" | "SYSTEM_USER" => {
                self.session_text(name, args, &session.info.login.clone())
            }
            "USER_NAME" | "CURRENT_USER" | "SESSION_USER" | "USER" => {
                self.session_text(name, args, "dbo")
            }
            "HOST_NAME" => self.session_text(name, args, &session.info.host.clone()),
            "APP_NAME" => self.session_text(name, args, &session.info.program.clone()),
            "SERVERPROPERTY" => self.server_property(args),
            "HAS_PERMS_BY_NAME" | "IS_MEMBER" | "IS_ROLEMEMBER" | "IS_SRVROLEMEMBER" => {
                arity(name, args, 1, 5)?;
                // The test server's logins own their databases: every
                // permission and role check succeeds, whatever it names.
                Ok(Typed::new("1", Some(DataType::Int)))
            }
            "APPLOCK_MODE" => {
                arity(name, args, 3, 3)?;
                let parts = self.expr_list(args)?;
                Ok(Typed::new(
                    format!("tds_applock_mode({})", parts.join(", ")),
                    Some(DataType::nvarchar(32)),
                ))
            }
            "APPLOCK_TEST" => {
                arity(name, args, 4, 4)?;
                let parts = self.expr_list(args)?;
                Ok(Typed::new(
                    format!("tds_applock_test({})", parts.join(", ")),
                    Some(DataType::SmallInt),
                ))
            }
            "SCOPE_IDENTITY" => {
                arity(name, args, 0, 0)?;
                let ty = DataType::Decimal {
                    precision: 38,
                    scale: 0,
                };
                match session.last_identity {
                    Some(v) => Ok(Typed::new(
                        self.bind_value(&Value::Decimal {
                            unscaled: i128::from(v),
                            precision: 38,
                            scale: 0,
                        })?,
                        Some(ty),
                    )),
                    None => Ok(Typed::new("NULL", Some(ty))),
                }
            }
            "XACT_STATE" => {
                arity(name, args, 0, 0)?;
                let state = i16::from(session.tran.depth > 0);
                Ok(Typed::new(
                    self.bind_value(&Value::SmallInt(state))?,
                    Some(DataType::SmallInt),
                ))
            }
            other => Err(super::super::errors::unknown_function(other, 0)),
        }
    }

    fn expr_list(&mut self, args: &[Expr]) -> Result<Vec<String>, SqlError> {
        args.iter().map(|a| self.expr(a).map(|t| t.sql)).collect()
    }

    fn session_text(&mut self, name: &str, args: &[Expr], value: &str) -> Result<Typed, SqlError> {
        arity(name, args, 0, 1)?;
        Ok(Typed::new(
            self.bind_value(&Value::NVarChar(value.to_string()))?,
            Some(SYSNAME),
        ))
    }

    /// OBJECT_ID(name [, type]): the name may be one to three parts, quoted
    /// or not; another database's objects are not visible here (NULL).
    pub(super) fn object_id(&mut self, args: &[Expr]) -> Result<Typed, SqlError> {
        arity("OBJECT_ID", args, 1, 2)?;
        let name = self.expr(&args[0])?.sql;
        let kind = match args.get(1) {
            Some(kind) => self.expr(kind)?.sql,
            None => "NULL".into(),
        };
        let database =
            self.bind_value(&Value::NVarChar(self.env.session.database().to_string()))?;
        let sql = format!(
            "(SELECT o.object_id FROM __tds_objects o JOIN __tds_schemas s ON s.schema_id = o.schema_id \
             WHERE o.name = tds_objpart({name}, 'name') AND s.name = COALESCE(tds_objpart({name}, 'schema'), 'dbo') \
             AND COALESCE(tds_objpart({name}, 'db'), {database}) = {database} COLLATE NOCASE \
             AND ({kind} IS NULL OR o.type = rtrim({kind}) COLLATE NOCASE))"
        );
        Ok(Typed::new(sql, Some(DataType::Int)))
    }

    pub(super) fn server_property(&mut self, args: &[Expr]) -> Result<Typed, SqlError> {
        arity("SERVERPROPERTY", args, 1, 1)?;
        let property = self.expr(&args[0])?.sql;
        let text = |s: &str| storage::quote_str(s);
        let sql = format!(
            "(CASE lower({property}) WHEN 'productversion' THEN {} WHEN 'productmajorversion' THEN '16' \
             WHEN 'productlevel' THEN 'RTM' WHEN 'edition' THEN {} WHEN 'engineedition' THEN 3 \
             WHEN 'editionid' THEN 1872460670 WHEN 'machinename' THEN {} WHEN 'servername' THEN {} \
             WHEN 'collation' THEN 'SQL_Latin1_General_CP1_CI_AS' WHEN 'ishadrenabled' THEN 0 \
             WHEN 'isclustered' THEN 0 WHEN 'isfulltextinstalled' THEN 0 WHEN 'processid' THEN {} \
             ELSE NULL END)",
            text(PRODUCT_VERSION),
            text("Developer Edition (64-bit)"),
            text("WSDB-TDS-TEST"),
            text("WSDB-TDS-TEST"),
            std::process::id()
        );
        let ty = match &args[0] {
            Expr::Literal(super::super::ast::Literal::String { text, .. })
                if text.eq_ignore_ascii_case("EngineEdition") =>
            {
                DataType::Int
            }
            _ => DataType::nvarchar(128),
        };
        Ok(Typed::new(sql, Some(ty)))
    }
}
