//! EXEC: the system procedures of the subset (`sp_getapplock`,
//! `sp_releaseapplock`, `sp_executesql`) with named or positional arguments
//! and return codes, and `EXEC ('...')` dynamic SQL, run as a nested batch
//! with its own variables. Procedures created with CREATE PROCEDURE are kept
//! as text only, so calling one is error 40902.

use std::time::Duration;

use rusqlite::types::Value as Lite;

use super::super::applock::{LockKey, LockOwner};
use super::super::ast::{ExecArg, ExecTarget, StmtKind};
use super::super::convert;
use super::super::metadata;
use super::super::parser::parse_batch;
use super::super::translate::{Variable, Variables};
use super::super::types::DataType;
use super::super::values;
use super::super::{Reply, SqlError, errors};
use super::ddl::atomic;
use super::{Batch, Failure, Interrupt, rename};

/// Evaluated EXEC arguments: named ones by lower-case name, the rest in order.
struct Args {
    named: Vec<(String, Option<Lite>)>,
    positional: Vec<Option<Lite>>,
}

impl Args {
    /// The argument `name` (without `@`) or the one at `position`; the inner
    /// `None` is an explicit DEFAULT, the outer one an absent argument.
    fn get(&self, name: &str, position: usize) -> Option<Option<&Lite>> {
        if let Some((_, value)) = self.named.iter().find(|(n, _)| n == name) {
            return Some(value.as_ref());
        }
        self.positional.get(position).map(Option::as_ref)
    }

    fn text(&self, name: &str, position: usize) -> Option<Option<String>> {
        self.get(name, position).map(|v| {
            v.and_then(|v| match v {
                Lite::Null => None,
                other => Some(values::to_text(other.into())),
            })
        })
    }
}

impl Batch<'_> {
    pub(super) async fn exec(
        &mut self,
        status: Option<&str>,
        target: &ExecTarget,
    ) -> Result<Option<u64>, Interrupt> {
        let (name, args) = match target {
            ExecTarget::Dynamic(expr) => {
                let sql = self.evaluate_text(expr)?.unwrap_or_default();
                self.run_text(&sql, Variables::new())
                    .await
                    .map_err(Interrupt::Stopped)?;
                return Ok(None);
            }
            ExecTarget::Procedure { name, args } => (name, args),
        };
        let procedure = name.name().to_ascii_lowercase();
        let args = self.evaluate_args(args)?;
        match procedure.as_str() {
            "sp_getapplock" => {
                let code = self.get_applock(&args).await?;
                self.set_status(status, code)?;
                Ok(None)
            }
            "sp_releaseapplock" => {
                let (code, error) = self.release_applock(&args)?;
                self.set_status(status, code)?;
                match error {
                    Some(error) => Err(Failure::from(error).into()),
                    None => Ok(None),
                }
            }
            "sp_executesql" => {
                self.execute_sql(&args).await?;
                self.set_status(status, 0)?;
                Ok(None)
            }
            "sp_rename" => {
                self.rename(&args).await?;
                self.set_status(status, 0)?;
                Ok(None)
            }
            _ => Err(self.unknown_procedure(name.schema(), name.name())?.into()),
        }
    }

    /// sp_rename @objname, @newname [, @objtype]: a schema change, so it
    /// takes the write permit and runs in a savepoint like DDL.
    async fn rename(&mut self, args: &Args) -> Result<(), SqlError> {
        let (Some(Some(object)), Some(Some(new_name))) =
            (args.text("objname", 0), args.text("newname", 1))
        else {
            let message = "Procedure or function 'sp_rename' expects parameter '@objname', which was not supplied.";
            return Err(SqlError {
                number: 201,
                state: 4,
                class: 16,
                line: 0,
                message: message.into(),
            });
        };
        let kind = args.text("objtype", 2).flatten();
        let access = self.session.write_access().await?;
        let result = {
            let env = self.env()?;
            atomic(env.conn, || {
                rename::rename(&env, &object, &new_name, kind.as_deref())
            })
        };
        drop(access);
        result?;
        self.replies.push(Reply::Info {
            number: 15477,
            message: rename::CAUTION.into(),
        });
        Ok(())
    }

    fn unknown_procedure(
        &mut self,
        schema: Option<&str>,
        name: &str,
    ) -> Result<SqlError, SqlError> {
        let conn = self.session.connection()?;
        if metadata::find_object(conn, schema.unwrap_or(metadata::DBO), name)?
            .is_some_and(|(_, kind)| kind == "P")
        {
            return Ok(errors::text_only_module("procedure", name));
        }
        if name.to_ascii_lowercase().starts_with("sp_")
            || name.to_ascii_lowercase().starts_with("xp_")
        {
            return Ok(errors::not_supported(&format!(
                "the system procedure '{name}'"
            )));
        }
        Ok(errors::procedure_not_found(name))
    }

    fn evaluate_args(&mut self, args: &[ExecArg]) -> Result<Args, SqlError> {
        let mut evaluated = Args {
            named: Vec::new(),
            positional: Vec::new(),
        };
        for arg in args {
            let value = match &arg.value {
                Some(expr) => Some(self.evaluate(expr)?.0),
                None => None,
            };
            match &arg.name {
                Some(name) => evaluated.named.push((name.clone(), value)),
                None if evaluated.named.is_empty() => evaluated.positional.push(value),
                None => {
                    let message = "Must pass parameter number 2 and subsequent parameters as '@name = value'. After the form '@name = value' has been used, all subsequent parameters must be passed in the form '@name = value'.";
                    return Err(SqlError {
                        number: 119,
                        state: 1,
                        class: 15,
                        line: 0,
                        message: message.into(),
                    });
                }
            }
        }
        Ok(evaluated)
    }

    fn set_status(&mut self, status: Option<&str>, code: i32) -> Result<(), SqlError> {
        match status {
            Some(name) => self.store_variable(name, Lite::Integer(i64::from(code))),
            None => Ok(()),
        }
    }

    fn lock_key(&self, args: &Args, resource: String, principal_position: usize) -> LockKey {
        let principal = args
            .text("dbprincipal", principal_position)
            .flatten()
            .unwrap_or_else(|| "public".into());
        // SQL Server keeps the first 255 characters of a resource name.
        let resource: String = resource.chars().take(255).collect();
        LockKey {
            database_id: self.session.database_id(),
            principal,
            resource,
        }
    }

    /// The owner argument; `None` for a value that is neither.
    fn lock_owner(args: &Args, position: usize) -> Option<LockOwner> {
        match args
            .text("lockowner", position)
            .flatten()
            .map(|o| o.to_ascii_lowercase())
            .as_deref()
        {
            None | Some("transaction") => Some(LockOwner::Transaction),
            Some("session") => Some(LockOwner::Session),
            Some(_) => None,
        }
    }

    /// sp_getapplock: return codes 0/1 granted, -1 timeout, -3 deadlock
    /// victim, -999 for bad arguments, as SQL Server returns them.
    async fn get_applock(&mut self, args: &Args) -> Result<i32, SqlError> {
        let resource = match args.get("resource", 0) {
            None => return Ok(-999),
            Some(None | Some(Lite::Null)) => {
                let message = "An invalid application lock resource was passed to xp_userlock.";
                return Err(SqlError {
                    number: 1224,
                    state: 5,
                    class: 16,
                    line: 0,
                    message: message.into(),
                });
            }
            Some(Some(value)) => values::to_text(value.into()),
        };
        let Some(Some(mode)) = args.text("lockmode", 1) else {
            return Ok(-999);
        };
        match mode.to_ascii_lowercase().as_str() {
            "exclusive" => {}
            "shared" | "update" | "intentshared" | "intentexclusive" => {
                return Err(errors::not_supported(&format!(
                    "application lock mode '{mode}'"
                )));
            }
            _ => return Ok(-999),
        }
        let Some(owner) = Self::lock_owner(args, 2) else {
            return Ok(-999);
        };
        if owner == LockOwner::Transaction && !self.session.in_transaction() {
            return Ok(-999);
        }
        let timeout = match args.get("locktimeout", 3).flatten() {
            None | Some(Lite::Null) => self.session.options.lock_timeout,
            Some(value) => {
                match convert::convert(value.clone(), DataType::Int, &convert::Mode::Cast, None)? {
                    Lite::Integer(ms) => ms,
                    _ => return Ok(-999),
                }
            }
        };
        let timeout = match timeout {
            -1 => None,
            ms if ms < -1 => return Ok(-999),
            ms => Some(Duration::from_millis(u64::try_from(ms).unwrap_or(0))),
        };
        let key = self.lock_key(args, resource, 4);
        let catalog = self.session.catalog().clone();
        Ok(catalog
            .locks
            .acquire(&key, self.session.spid(), owner, timeout)
            .await
            .return_code())
    }

    /// sp_releaseapplock: 0, or -999 with error 1223 when not held.
    fn release_applock(&mut self, args: &Args) -> Result<(i32, Option<SqlError>), SqlError> {
        let Some(Some(resource)) = args.text("resource", 0) else {
            return Ok((-999, None));
        };
        let Some(owner) = Self::lock_owner(args, 1) else {
            return Ok((-999, None));
        };
        let key = self.lock_key(args, resource, 2);
        if self
            .session
            .catalog()
            .locks
            .release(&key, self.session.spid(), owner)
        {
            Ok((0, None))
        } else {
            Ok((
                -999,
                Some(errors::applock_not_held(&key.principal, &key.resource)),
            ))
        }
    }

    /// sp_executesql @stmt, @params, @p1 = v1, ...: a nested batch whose
    /// parameters are declared by the @params text.
    async fn execute_sql(&mut self, args: &Args) -> Result<(), Interrupt> {
        let Some(Some(sql)) = args.text("stmt", 0) else {
            let message =
                "Procedure expects parameter '@statement' of type 'ntext/nchar/nvarchar'.";
            return Err(Failure::from(SqlError {
                number: 214,
                state: 2,
                class: 16,
                line: 0,
                message: message.into(),
            })
            .into());
        };
        let declarations = match args.text("params", 1).flatten() {
            Some(text) if !text.trim().is_empty() => declared_parameters(&text)?,
            _ => Vec::new(),
        };
        let mut vars = Variables::new();
        for (index, (name, ty)) in declarations.iter().enumerate() {
            let raw = args
                .get(name, index + 2)
                .flatten()
                .cloned()
                .unwrap_or(Lite::Null);
            let converted = convert::convert(raw, *ty, &convert::Mode::Cast, None)?;
            let value = values::from_sqlite((&converted).into(), *ty)?;
            vars.insert(
                name.clone(),
                Variable {
                    ty: Some(*ty),
                    value,
                },
            );
        }
        self.run_text(&sql, vars).await.map_err(Interrupt::Stopped)
    }
}

/// `@a INT, @b NVARCHAR(10)` → names and types, parsed as a DECLARE.
fn declared_parameters(text: &str) -> Result<Vec<(String, DataType)>, SqlError> {
    let parsed = parse_batch(&format!("DECLARE {text}"))?;
    let mut out = Vec::new();
    for statement in parsed.statements {
        if let StmtKind::Declare(declarations) = statement.kind {
            out.extend(declarations.into_iter().map(|d| (d.name, d.ty)));
        }
    }
    Ok(out)
}
