//! Configuration: `wsdb.toml` with several environments.
//!
//! Owns the file format (serde structs, `deny_unknown_fields`), loading,
//! `${VAR}` expansion, validation and the [`Secret`] wrapper. It does not
//! connect to anything: everything here is checked offline, before the first
//! connection is opened. The settings types below are the resolved values
//! other modules consume.

mod secret;

pub use secret::Secret;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// TLS mode for workspace connections (`[mssql] encrypt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Encrypt {
    /// No TLS at all (only the login packet is encrypted if the server insists).
    Off,
    /// TLS when the server supports it.
    On,
    /// TLS or no connection.
    #[default]
    Required,
}

/// Defaults for every workspace connection of one environment (`[env.X.mssql]`).
#[derive(Debug, Clone)]
pub struct MssqlSettings {
    pub user: Option<String>,
    pub password: Option<Secret<String>>,
    pub encrypt: Encrypt,
    pub trust_server_certificate: bool,
    pub ca_file: Option<PathBuf>,
    pub connect_timeout: Duration,
    /// Default per-statement timeout; a migration may override it with
    /// `-- wsdb:timeout=`. Never a driver default.
    pub statement_timeout: Duration,
    pub application_name: String,
}

impl Default for MssqlSettings {
    fn default() -> Self {
        MssqlSettings {
            user: None,
            password: None,
            encrypt: Encrypt::Required,
            trust_server_certificate: false,
            ca_file: None,
            connect_timeout: Duration::from_secs(10),
            statement_timeout: Duration::from_secs(600),
            application_name: "wsdb".to_owned(),
        }
    }
}

/// Connection pooling and caching (`[env.X.pool]`).
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_per_workspace: u32,
    pub max_cached_workspaces: u64,
    pub max_per_server: u32,
    pub idle_timeout: Duration,
    pub health_check_after: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_per_workspace: 2,
            max_cached_workspaces: 256,
            max_per_server: 32,
            idle_timeout: Duration::from_secs(300),
            health_check_after: Duration::from_secs(30),
        }
    }
}

/// Reconnection policy (`[env.X.retry]`).
#[derive(Debug, Clone)]
pub struct RetrySettings {
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    pub max_attempts: u32,
    pub evict_after_failures: u32,
}

impl Default for RetrySettings {
    fn default() -> Self {
        RetrySettings {
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(30),
            max_attempts: 5,
            evict_after_failures: 3,
        }
    }
}

/// Fleet run defaults (`[env.X.run]`).
#[derive(Debug, Clone)]
pub struct RunSettings {
    pub concurrency: usize,
    pub lock_timeout: Duration,
    pub protected: bool,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            concurrency: 16,
            lock_timeout: Duration::from_secs(30),
            protected: false,
        }
    }
}
