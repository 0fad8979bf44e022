//! Running a batch: parse (compile errors stop everything before anything
//! runs), check variables (137/134), flatten control flow into a program,
//! then run statement by statement, applying SQL Server's error rules.
//!
//! Replies: each executed statement adds its result set, messages and
//! ENVCHANGEs, then exactly one [`Reply::Done`] (without a count under SET
//! NOCOUNT ON or for statements that count nothing). An error adds
//! [`Reply::Error`] (and a rollback's ENVCHANGE) before that statement's
//! Done. The list is never empty; after [`Reply::ConnectionCut`] nothing
//! follows.
//!
//! Error rules (see `disposition`): with XACT_ABORT OFF most runtime errors
//! end only their statement; missing objects (208/207) end the batch but keep
//! the transaction; conversion errors and deadlocks end the batch and roll
//! back; THROW ends the batch; RAISERROR never does. With XACT_ABORT ON every
//! runtime error but RAISERROR ends the batch and rolls back.

mod alter;
mod constraints;
mod control;
mod ddl;
mod dml;
mod foreign_keys;
mod indexes;
mod procs;
mod program;
mod query;
mod rename;
mod schema;
mod sqlite_errors;

use std::future::Future;
use std::pin::Pin;

use super::ast::{Statement, StmtKind};
use super::parser::parse_batch;
use super::session::Session;
use super::translate::{Env, Variable, Variables};
use super::types::type_of_value;
use super::{EnvChange, HookAction, Param, Reply, SqlError, errors};
use program::Op;

/// Where an error came from: RAISERROR and THROW follow their own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Runtime,
    Raiserror,
    Throw,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub error: SqlError,
    pub origin: Origin,
}

impl From<SqlError> for Failure {
    fn from(error: SqlError) -> Failure {
        Failure {
            error,
            origin: Origin::Runtime,
        }
    }
}

/// Why a statement did not complete: it failed (to be reported), or a
/// nested batch already reported why everything must stop.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Interrupt {
    Failed(Failure),
    Stopped(Stop),
}

impl From<Failure> for Interrupt {
    fn from(failure: Failure) -> Interrupt {
        Interrupt::Failed(failure)
    }
}

impl From<SqlError> for Interrupt {
    fn from(error: SqlError) -> Interrupt {
        Interrupt::Failed(error.into())
    }
}

/// Why a batch stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    Abort,
    Cut,
}

/// What an error does: (abort the batch, roll back the transaction).
pub(crate) fn disposition(error: &SqlError, origin: Origin, xact_abort: bool) -> (bool, bool) {
    match origin {
        Origin::Raiserror => (false, false),
        Origin::Throw => (true, xact_abort),
        Origin::Runtime => match error.number {
            // Deferred name resolution: the scope (our batch) is aborted.
            207 | 208 | 209 | 4104 => (true, xact_abort),
            // Conversion failures and deadlocks doom the transaction.
            241 | 245 | 8114 | 8169 | 1205 => (true, true),
            _ if error.class >= 20 => (true, true),
            _ => (xact_abort, xact_abort),
        },
    }
}

pub(crate) async fn run_batch(session: &mut Session, sql: &str, params: &[Param]) -> Vec<Reply> {
    let mut batch = Batch {
        session,
        vars: Variables::new(),
        replies: Vec::new(),
        last_error: 0,
        last_rowcount: 0,
    };
    let mut vars = Variables::new();
    for param in params {
        let name = param.name.trim_start_matches('@').to_lowercase();
        vars.insert(
            name,
            Variable {
                ty: type_of_value(&param.value),
                value: param.value.clone(),
            },
        );
    }
    // A stop is already reflected in the replies (errors, ConnectionCut).
    let _ = batch.run_text(sql, vars).await;
    if batch.replies.is_empty() {
        batch.replies.push(Reply::Done { row_count: None });
    }
    batch.replies
}

pub(crate) struct Batch<'s> {
    pub session: &'s mut Session,
    pub vars: Variables,
    pub replies: Vec<Reply>,
    /// `@@ERROR` and `@@ROWCOUNT` as of the last statement.
    pub last_error: u32,
    pub last_rowcount: u64,
}

impl Batch<'_> {
    /// Parses and runs one batch text (the client's, or EXEC's dynamic SQL)
    /// with its own variables.
    pub(crate) fn run_text<'a>(
        &'a mut self,
        sql: &'a str,
        mut vars: Variables,
    ) -> Pin<Box<dyn Future<Output = Result<(), Stop>> + Send + 'a>> {
        Box::pin(async move {
            let parsed = match parse_batch(sql) {
                Ok(parsed) => parsed,
                Err(error) => return self.compile_error(error),
            };
            if let Err(error) = program::check_variables(&parsed.variables, &mut vars) {
                return self.compile_error(error);
            }
            let ops = match program::compile(&parsed.statements) {
                Ok(ops) => ops,
                Err(error) => return self.compile_error(error),
            };
            let outer = std::mem::replace(&mut self.vars, vars);
            let result = self.execute(&ops, sql).await;
            self.vars = outer;
            result
        })
    }

    /// A compile error: reported, nothing of the batch ran.
    fn compile_error(&mut self, error: SqlError) -> Result<(), Stop> {
        self.last_error = error.number;
        self.replies.push(Reply::Error(error));
        self.replies.push(Reply::Done { row_count: None });
        Ok(())
    }

    async fn execute(&mut self, ops: &[Op<'_>], sql: &str) -> Result<(), Stop> {
        let mut pc = 0;
        while let Some(op) = ops.get(pc) {
            pc = match op {
                Op::Jump(target) => *target,
                Op::Unless {
                    condition,
                    owner,
                    target,
                } => match self.evaluate_condition(condition) {
                    Ok(true) => pc + 1,
                    Ok(false) => *target,
                    Err(failure) => {
                        self.fail(failure, owner.line)?;
                        *target
                    }
                },
                Op::Run(statement) => {
                    self.run_statement(statement, sql).await?;
                    pc + 1
                }
            };
        }
        Ok(())
    }

    async fn run_statement(&mut self, statement: &Statement, sql: &str) -> Result<(), Stop> {
        if let Some(hook) = self.session.hook.clone() {
            let text = sql.get(statement.start..statement.end).unwrap_or_default();
            match hook(self.session.database(), text) {
                HookAction::Continue => {}
                HookAction::Fail(error) => return self.fail(error.into(), statement.line),
                HookAction::CutConnection => {
                    self.replies.push(Reply::ConnectionCut);
                    return Err(Stop::Cut);
                }
            }
        }
        match self.statement(statement).await {
            Ok(row_count) => {
                self.last_error = 0;
                self.last_rowcount = row_count.unwrap_or(0);
                let row_count = if self.session.options.nocount {
                    None
                } else {
                    row_count
                };
                self.replies.push(Reply::Done { row_count });
                Ok(())
            }
            Err(Interrupt::Failed(failure)) => self.fail(failure, statement.line),
            Err(Interrupt::Stopped(stop)) => Err(stop),
        }
    }

    /// Reports a failed statement and applies the error rules; `Err` when
    /// the batch must stop.
    fn fail(&mut self, failure: Failure, line: u32) -> Result<(), Stop> {
        let error = failure.error.at_line(line);
        if error.class <= 10 {
            self.replies.push(Reply::Info {
                number: error.number,
                message: error.message,
            });
            self.replies.push(Reply::Done { row_count: None });
            return Ok(());
        }
        self.last_error = error.number;
        self.last_rowcount = 0;
        let (abort, rollback) =
            disposition(&error, failure.origin, self.session.options.xact_abort);
        self.replies.push(Reply::Error(error));
        if rollback && self.session.rollback_transaction() {
            self.replies
                .push(Reply::EnvChange(EnvChange::RollbackTransaction));
        }
        self.replies.push(Reply::Done { row_count: None });
        if abort { Err(Stop::Abort) } else { Ok(()) }
    }

    /// The translation environment for the current statement.
    pub(crate) fn env(&self) -> Result<Env<'_>, SqlError> {
        Ok(Env {
            session: &*self.session,
            conn: self.session.connection()?,
            vars: &self.vars,
            rowcount: self.last_rowcount,
            error: self.last_error,
        })
    }

    /// Runs one statement; `Ok(Some(n))` counts rows for DONE.
    async fn statement(&mut self, statement: &Statement) -> Result<Option<u64>, Interrupt> {
        self.session.ensure_connection()?;
        match &statement.kind {
            StmtKind::Query(query) => Ok(self.select(query)?),
            StmtKind::Insert(_)
            | StmtKind::Update(_)
            | StmtKind::Delete(_)
            | StmtKind::TruncateTable(_)
            | StmtKind::CreateTable(_)
            | StmtKind::AlterTable(_)
            | StmtKind::DropTable { .. }
            | StmtKind::CreateIndex(_)
            | StmtKind::DropIndex { .. }
            | StmtKind::CreateSchema(_)
            | StmtKind::DropSchema { .. }
            | StmtKind::CreateModule { .. }
            | StmtKind::DropModule { .. } => {
                let access = self.session.write_access().await?;
                let result = self.write_statement(&statement.kind);
                drop(access);
                Ok(result?)
            }
            StmtKind::Exec { status, target } => self.exec(status.as_deref(), target).await,
            StmtKind::WaitforDelay(delay) => Ok(self.waitfor(delay).await?),
            other => Ok(self.control(other)?),
        }
    }

    fn write_statement(&mut self, kind: &StmtKind) -> Result<Option<u64>, Failure> {
        match kind {
            StmtKind::Insert(insert) => self.insert(insert),
            StmtKind::Update(update) => self.update(update),
            StmtKind::Delete(delete) => self.delete(delete),
            StmtKind::TruncateTable(name) => self.truncate(name),
            other => Ok(self.ddl(other).map(|()| None)?),
        }
    }
}

/// Errors from the flattening step that no statement owns.
pub(crate) fn misplaced(keyword: &str, line: u32) -> SqlError {
    errors::syntax_near(keyword, line)
}

#[cfg(test)]
mod tests;
