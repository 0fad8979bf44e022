//! A scripted stand-in for the SQL engine, so the protocol layer can be
//! tested with tiberius on its own. It understands a handful of fixed
//! statements (see `statement`), nothing more; the real engine is tested
//! through the crate's integration tests.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::server::backend::{Backend, BackendSession};
use crate::sql::{
    Column, EnvChange, HookAction, Param, Reply, SessionInfo, SqlError, SqlType, StatementHook,
    Value,
};

#[derive(Clone)]
pub(crate) struct ScriptBackend {
    databases: Arc<Mutex<BTreeSet<String>>>,
    /// Who logged in, as the sessions were told.
    pub(crate) sessions: Arc<Mutex<Vec<SessionInfo>>>,
}

impl ScriptBackend {
    pub(crate) fn new() -> ScriptBackend {
        ScriptBackend {
            databases: Arc::new(Mutex::new(BTreeSet::from(["master".to_owned()]))),
            sessions: Arc::default(),
        }
    }
}

fn error(number: u32, message: &str) -> SqlError {
    SqlError {
        number,
        state: 1,
        class: 16,
        line: 1,
        message: message.to_owned(),
    }
}

impl Backend for ScriptBackend {
    type Session = ScriptSession;

    fn create_database(&self, name: &str) -> Result<(), SqlError> {
        match self.databases.lock().unwrap().insert(name.to_owned()) {
            true => Ok(()),
            false => Err(error(1801, "Database already exists.")),
        }
    }

    fn has_database(&self, name: &str) -> bool {
        self.databases.lock().unwrap().contains(name)
    }

    fn open_session(&self, info: SessionInfo) -> Result<ScriptSession, SqlError> {
        self.sessions.lock().unwrap().push(info.clone());
        Ok(ScriptSession {
            backend: self.clone(),
            database: info.database,
            hook: None,
            in_transaction: false,
        })
    }
}

pub(crate) struct ScriptSession {
    backend: ScriptBackend,
    database: String,
    hook: Option<StatementHook>,
    in_transaction: bool,
}

fn column(ty: SqlType) -> Vec<Column> {
    vec![Column {
        name: String::new(),
        ty,
        nullable: true,
    }]
}

fn value_type(value: &Value) -> SqlType {
    match value {
        Value::Null | Value::Int(_) => SqlType::Int,
        Value::Bit(_) => SqlType::Bit,
        Value::TinyInt(_) => SqlType::TinyInt,
        Value::SmallInt(_) => SqlType::SmallInt,
        Value::BigInt(_) => SqlType::BigInt,
        Value::Float(_) => SqlType::Float,
        Value::Decimal {
            precision, scale, ..
        } => SqlType::Decimal {
            precision: *precision,
            scale: *scale,
        },
        Value::NVarChar(_) => SqlType::NVarChar { max_chars: None },
        Value::VarBinary(_) => SqlType::VarBinary { max_bytes: None },
        Value::DateTime2(_) => SqlType::DateTime2,
    }
}

impl ScriptSession {
    /// One statement. `SELECT <int>`, `SELECT @Pn`, `ROWS <n>` (n rows of
    /// 100 characters), `WAITFOR` (waits an hour), `BEGIN TRANSACTION`,
    /// `COMMIT TRANSACTION`, `ROLLBACK TRANSACTION`, `USE <db>`,
    /// `PRINT <text>`, `FAIL <number>`.
    async fn statement(&mut self, sql: &str, params: &[Param], out: &mut Vec<Reply>) {
        let upper = sql.to_uppercase();
        let rest = |prefix: &str| sql[prefix.len()..].trim().to_owned();
        let done = |rows: Option<u64>| Reply::Done { row_count: rows };
        if let Some(name) = upper.strip_prefix("SELECT @") {
            let value = params
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(&format!("@{name}")))
                .map(|p| p.value.clone())
                .unwrap_or(Value::Null);
            out.push(Reply::ResultSet {
                columns: column(value_type(&value)),
                rows: vec![vec![value]],
            });
            out.push(done(Some(1)));
        } else if upper.starts_with("SELECT ") {
            let n: i32 = rest("SELECT ").parse().unwrap_or(0);
            out.push(Reply::ResultSet {
                columns: column(SqlType::Int),
                rows: vec![vec![Value::Int(n)]],
            });
            out.push(done(Some(1)));
        } else if upper.starts_with("ROWS ") {
            let n: u64 = rest("ROWS ").parse().unwrap_or(0);
            let rows = (0..n)
                .map(|i| vec![Value::NVarChar(format!("{i:0>100}"))])
                .collect();
            out.push(Reply::ResultSet {
                columns: column(SqlType::NVarChar {
                    max_chars: Some(100),
                }),
                rows,
            });
            out.push(done(Some(n)));
        } else if upper.starts_with("WAITFOR") {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            out.push(done(None));
        } else if upper.starts_with("BEGIN TRAN") {
            self.in_transaction = true;
            out.push(Reply::EnvChange(EnvChange::BeginTransaction));
            out.push(done(None));
        } else if upper.starts_with("COMMIT") || upper.starts_with("ROLLBACK") {
            if self.in_transaction {
                self.in_transaction = false;
                out.push(Reply::EnvChange(if upper.starts_with("COMMIT") {
                    EnvChange::CommitTransaction
                } else {
                    EnvChange::RollbackTransaction
                }));
                out.push(done(None));
            } else {
                out.push(Reply::Error(error(
                    3902,
                    "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.",
                )));
                out.push(done(None));
            }
        } else if upper.starts_with("USE ") {
            let db = rest("USE ");
            if self.backend.has_database(&db) {
                let old = std::mem::replace(&mut self.database, db.clone());
                out.push(Reply::EnvChange(EnvChange::Database { old, new: db }));
            } else {
                out.push(Reply::Error(error(911, "Database does not exist.")));
            }
            out.push(done(None));
        } else if upper.starts_with("PRINT ") {
            out.push(Reply::Info {
                number: 0,
                message: rest("PRINT "),
            });
            out.push(done(None));
        } else if upper.starts_with("FAIL ") {
            let number = rest("FAIL ").parse().unwrap_or(50000);
            out.push(Reply::Error(error(number, "scripted failure")));
            out.push(done(None));
        } else {
            out.push(Reply::Error(error(
                102,
                &format!("Incorrect syntax near '{sql}'."),
            )));
            out.push(done(None));
        }
    }
}

impl BackendSession for ScriptSession {
    fn database(&self) -> &str {
        &self.database
    }

    fn set_statement_hook(&mut self, hook: StatementHook) {
        self.hook = Some(hook);
    }

    async fn execute(&mut self, sql: &str, params: &[Param]) -> Vec<Reply> {
        let mut out = Vec::new();
        for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let action = match &self.hook {
                Some(hook) => hook(&self.database, statement),
                None => HookAction::Continue,
            };
            match action {
                HookAction::Continue => self.statement(statement, params, &mut out).await,
                HookAction::Fail(err) => {
                    out.push(Reply::Error(err));
                    out.push(Reply::Done { row_count: None });
                }
                HookAction::CutConnection => {
                    out.push(Reply::ConnectionCut);
                    return out;
                }
            }
        }
        out
    }

    fn attention(&mut self) -> Vec<Reply> {
        if std::mem::take(&mut self.in_transaction) {
            vec![Reply::EnvChange(EnvChange::RollbackTransaction)]
        } else {
            Vec::new()
        }
    }
}
