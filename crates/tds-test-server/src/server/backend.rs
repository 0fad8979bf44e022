//! What the protocol layer needs from a SQL engine, as two small traits, and
//! their implementation by the real engine in `crate::sql`.
//!
//! The traits exist so the connection handling can be exercised by unit tests
//! against a scripted stand-in (`server::tests::script`) without the SQL
//! engine; production code only ever uses `sql::Catalog`.

use std::future::Future;

use crate::sql::{Catalog, Param, Reply, Session, SessionInfo, SqlError, StatementHook};

/// All databases of one server.
pub(crate) trait Backend: Clone + Send + Sync + 'static {
    type Session: BackendSession;

    fn create_database(&self, name: &str) -> Result<(), SqlError>;
    fn has_database(&self, name: &str) -> bool;
    fn open_session(&self, info: SessionInfo) -> Result<Self::Session, SqlError>;
}

/// One logged-in connection's SQL state. Dropping it rolls back its
/// transaction and releases its locks.
pub(crate) trait BackendSession: Send + 'static {
    fn database(&self) -> &str;
    fn set_statement_hook(&mut self, hook: StatementHook);
    /// Runs a batch; cancel-safe, so a client ATTENTION can drop it.
    fn execute<'a>(
        &'a mut self,
        sql: &'a str,
        params: &'a [Param],
    ) -> impl Future<Output = Vec<Reply>> + Send + 'a;
    /// Cleans up after an `execute` that was dropped.
    fn attention(&mut self) -> Vec<Reply>;
}

impl Backend for Catalog {
    type Session = Session;

    fn create_database(&self, name: &str) -> Result<(), SqlError> {
        Catalog::create_database(self, name)
    }

    fn has_database(&self, name: &str) -> bool {
        Catalog::has_database(self, name)
    }

    fn open_session(&self, info: SessionInfo) -> Result<Session, SqlError> {
        Catalog::open_session(self, info)
    }
}

impl BackendSession for Session {
    fn database(&self) -> &str {
        Session::database(self)
    }

    fn set_statement_hook(&mut self, hook: StatementHook) {
        Session::set_statement_hook(self, hook);
    }

    fn execute<'a>(
        &'a mut self,
        sql: &'a str,
        params: &'a [Param],
    ) -> impl Future<Output = Vec<Reply>> + Send + 'a {
        Session::execute(self, sql, params)
    }

    fn attention(&mut self) -> Vec<Reply> {
        Session::attention(self)
    }
}
