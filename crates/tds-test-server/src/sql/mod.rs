//! The SQL side of the test server: a T-SQL subset executed on one SQLite
//! database per SQL Server database. The subset, how it is translated and
//! how it differs from SQL Server follow (they are the crate's `SQL.md`).
//!
//! This module knows nothing of TDS. The protocol layer (`server`) hands it
//! batch text and typed parameters and turns the [`Reply`] list it gets back
//! into tokens. Shared server state (databases, app locks, the session list
//! that `sys.dm_exec_sessions` shows) lives in [`Catalog`]; one connection's
//! state in [`Session`].
//!
//! Layout: `lexer` and `parser` turn text into `ast`; `exec` runs it,
//! asking `translate` for SQLite SQL; `types` and `convert` hold SQL Server's
//! type rules; `functions` the SQLite side of built-ins; `metadata` and
//! `storage` the per-database files; `applock` and `sysviews` the
//! server-wide state queries see.

#![doc = include_str!("../../SQL.md")]
// Tests may unwrap: a panic is the failure report there.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod applock;
mod ast;
mod catalog;
mod convert;
mod errors;
mod exec;
mod functions;
mod lexer;
mod metadata;
mod parser;
mod session;
mod storage;
mod sysviews;
#[cfg(test)]
mod testkit;
mod translate;
mod types;
mod values;

use std::sync::Arc;

pub use catalog::Catalog;
pub use errors::{
    INTERNAL as INTERNAL_ERROR, NOT_SUPPORTED as NOT_SUPPORTED_ERROR,
    TEXT_ONLY_MODULE as TEXT_ONLY_ERROR,
};
pub use session::Session;

/// A value in a row or a parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bit(bool),
    TinyInt(u8),
    SmallInt(i16),
    Int(i32),
    BigInt(i64),
    Float(f64),
    /// Decimal as an unscaled integer and its scale: 12.34 is (1234, 2).
    Decimal {
        unscaled: i128,
        precision: u8,
        scale: u8,
    },
    NVarChar(String),
    VarBinary(Vec<u8>),
    DateTime2(chrono::NaiveDateTime),
}

/// A column type as COLMETADATA describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlType {
    Bit,
    TinyInt,
    SmallInt,
    Int,
    BigInt,
    Float,
    Decimal {
        precision: u8,
        scale: u8,
    },
    /// Maximum length in characters; `None` is NVARCHAR(MAX).
    NVarChar {
        max_chars: Option<u16>,
    },
    VarBinary {
        max_bytes: Option<u16>,
    },
    DateTime2,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: SqlType,
    pub nullable: bool,
}

/// A server error as SQL Server reports it (number, state, class/severity,
/// line within the batch).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Msg {number}, Level {class}, State {state}, Line {line}: {message}")]
pub struct SqlError {
    pub number: u32,
    pub state: u8,
    pub class: u8,
    pub line: u32,
    pub message: String,
}

/// Environment changes the protocol layer reports with ENVCHANGE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvChange {
    Database { old: String, new: String },
    BeginTransaction,
    CommitTransaction,
    RollbackTransaction,
}

/// One piece of a batch's response, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    ResultSet {
        columns: Vec<Column>,
        rows: Vec<Vec<Value>>,
    },
    /// End of one statement; `row_count` for INSERT/UPDATE/DELETE/SELECT.
    Done {
        row_count: Option<u64>,
    },
    Error(SqlError),
    /// PRINT and informational messages.
    Info {
        number: u32,
        message: String,
    },
    EnvChange(EnvChange),
    /// The fault hook asked to cut the connection here: send nothing more.
    ConnectionCut,
}

/// A named, typed parameter of an `sp_executesql` call (`@P1`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub value: Value,
}

/// Who a session is, for `sys.dm_exec_sessions` and lock holders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub spid: u16,
    pub database: String,
    pub login: String,
    pub host: String,
    pub program: String,
}

/// What the fault hook decides for a statement about to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookAction {
    Continue,
    Fail(SqlError),
    CutConnection,
}

/// Called with each statement's text before it runs (fault injection).
pub type StatementHook = Arc<dyn Fn(&str, &str) -> HookAction + Send + Sync>;
