//! [`PoolError`]: why the pool could not hand out a session for a
//! workspace. It names the workspace, carries the engine's cause and how
//! many connection attempts were made, and says what the user can do.

use crate::engine::{EngineError, Phase};
use crate::workspace::WorkspaceId;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// The workspace's connection settings are invalid; nothing was tried.
    #[error("workspace `{workspace}`: {cause}{}", hint_line(cause))]
    InvalidTarget {
        workspace: WorkspaceId,
        cause: EngineError,
    },
    /// Every attempt failed (one attempt for errors that cannot heal).
    #[error(
        "workspace `{workspace}`: {cause} (after {attempts} attempt{}){}",
        if *attempts == 1 { "" } else { "s" },
        hint_line(cause)
    )]
    Connect {
        workspace: WorkspaceId,
        attempts: u32,
        cause: EngineError,
    },
    /// [`WorkspacePools::shutdown`](super::WorkspacePools::shutdown) ran.
    #[error("workspace `{workspace}`: the connection pool is shut down")]
    ShutDown { workspace: WorkspaceId },
}

impl PoolError {
    pub fn workspace(&self) -> &WorkspaceId {
        match self {
            PoolError::InvalidTarget { workspace, .. }
            | PoolError::Connect { workspace, .. }
            | PoolError::ShutDown { workspace } => workspace,
        }
    }

    /// The engine error behind this one, if any.
    pub fn cause(&self) -> Option<&EngineError> {
        match self {
            PoolError::InvalidTarget { cause, .. } | PoolError::Connect { cause, .. } => {
                Some(cause)
            }
            PoolError::ShutDown { .. } => None,
        }
    }

    /// What the user can do about it, when there is something.
    pub fn hint(&self) -> Option<&'static str> {
        self.cause().and_then(hint)
    }
}

fn hint(cause: &EngineError) -> Option<&'static str> {
    match cause {
        EngineError::InvalidTarget { .. } => {
            Some("fix the `[mssql]` settings or the workspace's row in the control database")
        }
        EngineError::LoginFailed { .. } => Some(
            "check the login name and its password (`[mssql] password`, the row's `password_env` \
             or the connection string)",
        ),
        EngineError::UnknownDatabase { .. } => {
            Some("create it with `wsdb provision`, or grant the login access to it")
        }
        EngineError::Tls { .. } => {
            Some("see `encrypt`, `ca_file` and `trust_server_certificate` in docs/connections.md")
        }
        EngineError::Unreachable { .. } => {
            Some("check the host, the port and that the server accepts TCP connections")
        }
        EngineError::Timeout {
            phase: Phase::Connect | Phase::Login,
            ..
        } => Some(
            "the server is slow to accept logins; raise `[mssql] connect_timeout` if it is expected",
        ),
        _ => None,
    }
}

fn hint_line(cause: &EngineError) -> String {
    hint(cause)
        .map(|h| format!("\nhint: {h}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_workspace_cause_attempts_and_hint() {
        let error = PoolError::Connect {
            workspace: "acme".into(),
            attempts: 5,
            cause: EngineError::Unreachable {
                server: "db1:1433".into(),
                message: "connection refused".into(),
            },
        };
        assert_eq!(
            error.to_string(),
            "workspace `acme`: cannot reach `db1:1433`: connection refused (after 5 attempts)\n\
             hint: check the host, the port and that the server accepts TCP connections"
        );
        let login = PoolError::Connect {
            workspace: "acme".into(),
            attempts: 1,
            cause: EngineError::LoginFailed {
                user: "wsdb".into(),
                number: 18456,
                message: "Login failed for user 'wsdb'.".into(),
            },
        };
        let text = login.to_string();
        assert!(text.starts_with("workspace `acme`: login failed for user `wsdb` (error 18456)"));
        assert!(
            text.contains("(after 1 attempt)\nhint: check the login name"),
            "{text}"
        );
        let down = PoolError::ShutDown {
            workspace: "acme".into(),
        };
        assert_eq!(
            down.to_string(),
            "workspace `acme`: the connection pool is shut down"
        );
        assert_eq!(down.hint(), None);
        assert_eq!(down.workspace().as_str(), "acme");
    }
}
