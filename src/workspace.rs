//! The workspace: one tenant and the coordinates of its SQL Server database,
//! as one row of the control database's `workspaces` query describes it.
//!
//! This is plain data shared by the control layer (which produces it) and the
//! connection layer (which turns it into a validated connection target). It
//! holds no connection logic and no SQL.

use std::fmt;

use serde::Serialize;

use crate::config::{Encrypt, Secret};

/// A workspace id as the control query returned it (integers are rendered
/// in decimal). Ids are data, never SQL: they are only ever bound as
/// parameters or printed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct WorkspaceId(pub String);

impl WorkspaceId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WorkspaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for WorkspaceId {
    fn from(id: &str) -> Self {
        WorkspaceId(id.to_owned())
    }
}

/// Where a workspace's database is: either discrete columns or an ADO.NET
/// connection string (which may carry a password, hence [`Secret`]).
#[derive(Debug, Clone)]
pub enum Location {
    Parts {
        host: String,
        port: u16,
        database: String,
    },
    ConnectionString(Secret<String>),
}

/// One workspace row. Optional columns overlay the env's `[mssql]` defaults.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub location: Location,
    /// Login name overriding `[mssql] user`.
    pub user: Option<String>,
    /// Name of the environment variable holding this workspace's password.
    pub password_env: Option<String>,
    /// TLS mode overriding `[mssql] encrypt`.
    pub encrypt: Option<Encrypt>,
    /// Free-form group used by `--group`.
    pub group: Option<String>,
}

impl Workspace {
    /// A workspace at `host:port`/`database` that overrides none of the
    /// env's `[mssql]` defaults and belongs to no group.
    pub fn at(
        id: impl Into<String>,
        host: impl Into<String>,
        port: u16,
        database: impl Into<String>,
    ) -> Workspace {
        Workspace {
            id: WorkspaceId(id.into()),
            location: Location::Parts {
                host: host.into(),
                port,
                database: database.into(),
            },
            user: None,
            password_env: None,
            encrypt: None,
            group: None,
        }
    }
}
