//! A workspace's validated SQL Server connection parameters ([`MssqlTarget`]):
//! the env's `[mssql]` defaults, overlaid by the row's connection string,
//! overlaid by the row's own columns (`user`, `password_env`, `encrypt`).
//!
//! Everything is checked here, before any connect: host, port, database name
//! rules, user, password source, TLS combination, timeouts. This file does no
//! I/O beyond reading environment variables and checking that a `ca_file`
//! exists; turning a target into a driver configuration is `connect.rs`'s.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::{Encrypt, MssqlSettings, Secret};
use crate::engine::EngineError;
use crate::workspace::{Location, Workspace, WorkspaceId};

use super::ado::{self, AdoSettings};

/// SQL Server's limit for identifiers (`sysname`).
const MAX_NAME_CHARS: usize = 128;

/// Databases a workspace must never be bound to: a typo here would run
/// tenant migrations in the server's own catalogs.
const SYSTEM_DATABASES: &[&str] = &["master", "model", "msdb", "tempdb"];

/// How the server's TLS certificate is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// The operating system's trust store.
    SystemRoots,
    /// The system store plus the CA certificate(s) in this PEM/DER file.
    CaFile(PathBuf),
    /// No validation at all (`trust_server_certificate = true`).
    AnyCertificate,
}

/// One workspace's connection parameters, valid by construction.
/// `Debug` is safe to print: the password is a [`Secret`].
#[derive(Debug, Clone)]
pub struct MssqlTarget {
    pub workspace: WorkspaceId,
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub password: Secret<String>,
    pub encrypt: Encrypt,
    pub trust: Trust,
    /// The name the certificate must carry when it differs from `host`.
    pub hostname_in_certificate: Option<String>,
    pub application_name: String,
    pub connect_timeout: Duration,
    pub statement_timeout: Duration,
}

impl MssqlTarget {
    /// `host:port`, lower-cased: the key of the per-server connection cap.
    pub fn server(&self) -> String {
        format!("{}:{}", self.host.to_ascii_lowercase(), self.port)
    }

    /// The same server and login, bound to another database (`master` for
    /// `CREATE DATABASE`). Skips the workspace-database rules on purpose.
    pub fn on_database(&self, database: &str) -> MssqlTarget {
        MssqlTarget {
            database: database.to_owned(),
            ..self.clone()
        }
    }
}

fn invalid(key: &'static str, reason: impl Into<String>) -> EngineError {
    EngineError::InvalidTarget {
        key,
        reason: reason.into(),
    }
}

/// Builds the target of `workspace` from `defaults`, reading passwords from
/// the process environment.
pub fn resolve(
    defaults: &MssqlSettings,
    workspace: &Workspace,
) -> Result<MssqlTarget, EngineError> {
    resolve_with_env(defaults, workspace, |name| std::env::var(name).ok())
}

/// [`resolve`] with an injectable environment, for tests.
pub fn resolve_with_env(
    defaults: &MssqlSettings,
    workspace: &Workspace,
    env: impl Fn(&str) -> Option<String>,
) -> Result<MssqlTarget, EngineError> {
    let (ado, parts) = match &workspace.location {
        Location::Parts {
            host,
            port,
            database,
        } => (
            AdoSettings::default(),
            Some((host.clone(), *port, database.clone())),
        ),
        Location::ConnectionString(text) => (ado::parse(text.expose())?, None),
    };
    let (host, port, database) = match parts {
        Some(parts) => parts,
        None => (
            ado.host.clone().ok_or_else(|| {
                invalid(
                    "connection_string",
                    "the connection string names no `Server`",
                )
            })?,
            ado.port.unwrap_or(1433),
            ado.database.clone().ok_or_else(|| {
                invalid(
                    "connection_string",
                    "the connection string names no `Database`",
                )
            })?,
        ),
    };
    validate_host(&host)?;
    if port == 0 {
        return Err(invalid("port", "the port must be in 1..=65535, found 0"));
    }
    validate_database(&database)?;

    let user = workspace
        .user
        .clone()
        .or(ado.user.clone())
        .or(defaults.user.clone())
        .ok_or_else(|| {
            invalid(
                "user",
                "no login name: set `[mssql] user`, a `user` column or `User ID=` in the connection string",
            )
        })?;
    validate_name("user", &user)?;
    let password = password(defaults, workspace, &ado, &user, env)?;

    let trust = trust(defaults, &ado)?;
    let application_name = ado
        .application_name
        .clone()
        .unwrap_or_else(|| defaults.application_name.clone());
    if application_name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            "application_name",
            format!("at most {MAX_NAME_CHARS} characters"),
        ));
    }
    let connect_timeout = ado.connect_timeout.unwrap_or(defaults.connect_timeout);
    positive("connect_timeout", connect_timeout)?;
    positive("statement_timeout", defaults.statement_timeout)?;

    Ok(MssqlTarget {
        workspace: workspace.id.clone(),
        host,
        port,
        database,
        user,
        password,
        encrypt: workspace
            .encrypt
            .or(ado.encrypt)
            .unwrap_or(defaults.encrypt),
        trust,
        hostname_in_certificate: ado.hostname_in_certificate,
        application_name,
        connect_timeout,
        statement_timeout: defaults.statement_timeout,
    })
}

/// `password_env` column, then the connection string, then `[mssql] password`.
fn password(
    defaults: &MssqlSettings,
    workspace: &Workspace,
    ado: &AdoSettings,
    user: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Secret<String>, EngineError> {
    if let Some(variable) = &workspace.password_env {
        return env(variable).map(Secret::new).ok_or_else(|| {
            invalid(
                "password_env",
                format!(
                    "environment variable `{variable}` (password of workspace `{}`) is not set",
                    workspace.id
                ),
            )
        });
    }
    ado.password
        .clone()
        .or_else(|| defaults.password.clone())
        .ok_or_else(|| {
            invalid(
                "password",
                format!(
                    "no password for login `{user}`: set `[mssql] password`, a `password_env` column \
                     or `Password=` in the connection string"
                ),
            )
        })
}

fn trust(defaults: &MssqlSettings, ado: &AdoSettings) -> Result<Trust, EngineError> {
    let trust_any = ado
        .trust_server_certificate
        .unwrap_or(defaults.trust_server_certificate);
    let ca_file = ado.ca_file.clone().or_else(|| defaults.ca_file.clone());
    match (trust_any, ca_file) {
        (true, Some(_)) => Err(invalid(
            "ca_file",
            "`trust_server_certificate = true` skips certificate checks, so a `ca_file` would be \
             ignored: set only one of them",
        )),
        (true, None) => Ok(Trust::AnyCertificate),
        (false, Some(path)) => {
            check_ca_file(&path)?;
            Ok(Trust::CaFile(path))
        }
        (false, None) => Ok(Trust::SystemRoots),
    }
}

fn check_ca_file(path: &Path) -> Result<(), EngineError> {
    if path.is_file() {
        Ok(())
    } else {
        Err(invalid(
            "ca_file",
            format!("`{}` is not a readable file", path.display()),
        ))
    }
}

fn positive(key: &'static str, value: Duration) -> Result<(), EngineError> {
    if value.is_zero() {
        Err(invalid(key, "must be longer than zero"))
    } else {
        Ok(())
    }
}

fn validate_host(host: &str) -> Result<(), EngineError> {
    if host.is_empty() {
        return Err(invalid("host", "the host is empty"));
    }
    if host.len() > 255 || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(
            "host",
            format!("`{host}` is not a host name or IP address"),
        ));
    }
    Ok(())
}

/// SQL Server database names: 1..=128 characters, no control characters,
/// no leading/trailing blanks (the server trims them, so `acme ` would be
/// another spelling of `acme`), never a system database.
pub fn validate_database(name: &str) -> Result<(), EngineError> {
    validate_name("database", name)?;
    if SYSTEM_DATABASES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name))
    {
        return Err(invalid(
            "database",
            format!("`{name}` is a system database; a workspace needs its own database"),
        ));
    }
    Ok(())
}

fn validate_name(key: &'static str, name: &str) -> Result<(), EngineError> {
    if name.is_empty() {
        return Err(invalid(key, "must not be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            key,
            format!(
                "at most {MAX_NAME_CHARS} characters, found {}",
                name.chars().count()
            ),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid(key, "must not contain control characters"));
    }
    if name.trim() != name {
        return Err(invalid(
            key,
            format!("`{name}` has leading or trailing blanks"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> MssqlSettings {
        MssqlSettings {
            user: Some("wsdb".into()),
            password: Some(Secret::new("env-default".into())),
            ..MssqlSettings::default()
        }
    }

    fn parts(host: &str, port: u16, database: &str) -> Workspace {
        Workspace::at("acme", host, port, database)
    }

    fn connection_string(text: &str) -> Workspace {
        Workspace {
            location: Location::ConnectionString(Secret::new(text.into())),
            ..parts("unused", 1, "unused")
        }
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn key_of(result: Result<MssqlTarget, EngineError>) -> &'static str {
        match result {
            Err(EngineError::InvalidTarget { key, .. }) => key,
            other => panic!("expected InvalidTarget, got {other:?}"),
        }
    }

    #[test]
    fn parts_take_the_env_defaults() {
        let target = resolve_with_env(&defaults(), &parts("DB1", 1433, "ws_acme"), no_env).unwrap();
        assert_eq!(target.server(), "db1:1433");
        assert_eq!(target.database, "ws_acme");
        assert_eq!(target.user, "wsdb");
        assert_eq!(target.password.expose(), "env-default");
        assert_eq!(target.encrypt, Encrypt::Required);
        assert_eq!(target.trust, Trust::SystemRoots);
        assert_eq!(target.application_name, "wsdb");
    }

    #[test]
    fn row_columns_overlay_the_connection_string_which_overlays_defaults() {
        let mut ws = connection_string(
            "Server=h,1500;Database=d;User Id=cs_user;Password=cs_pw;Encrypt=false;Connect Timeout=3",
        );
        let target = resolve_with_env(&defaults(), &ws, no_env).unwrap();
        assert_eq!(
            (target.user.as_str(), target.password.expose().as_str()),
            ("cs_user", "cs_pw")
        );
        assert_eq!(target.encrypt, Encrypt::Off);
        assert_eq!(target.connect_timeout, Duration::from_secs(3));

        ws.user = Some("row_user".into());
        ws.password_env = Some("ACME_PW".into());
        ws.encrypt = Some(Encrypt::On);
        let env = |name: &str| (name == "ACME_PW").then(|| "row_pw".to_owned());
        let target = resolve_with_env(&defaults(), &ws, env).unwrap();
        assert_eq!(
            (target.user.as_str(), target.password.expose().as_str()),
            ("row_user", "row_pw")
        );
        assert_eq!(target.encrypt, Encrypt::On);
    }

    #[test]
    fn a_missing_password_variable_names_variable_and_workspace() {
        let mut ws = parts("h", 1433, "d");
        ws.password_env = Some("ACME_PW".into());
        match resolve_with_env(&defaults(), &ws, no_env) {
            Err(EngineError::InvalidTarget { key, reason }) => {
                assert_eq!(key, "password_env");
                assert!(
                    reason.contains("`ACME_PW`") && reason.contains("`acme`"),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn invalid_parameters_are_refused_before_any_connect() {
        let no_user = MssqlSettings {
            user: None,
            ..defaults()
        };
        let no_password = MssqlSettings {
            password: None,
            ..defaults()
        };
        let both_trusts = MssqlSettings {
            trust_server_certificate: true,
            ca_file: Some("Cargo.toml".into()),
            ..defaults()
        };
        let missing_ca = MssqlSettings {
            ca_file: Some("does/not/exist.pem".into()),
            ..defaults()
        };
        let zero_timeout = MssqlSettings {
            statement_timeout: Duration::ZERO,
            ..defaults()
        };
        let long = "x".repeat(129);
        let cases: Vec<(MssqlSettings, Workspace, &str)> = vec![
            (defaults(), parts("", 1433, "d"), "host"),
            (defaults(), parts("a b", 1433, "d"), "host"),
            (defaults(), parts("h", 0, "d"), "port"),
            (defaults(), parts("h", 1433, ""), "database"),
            (defaults(), parts("h", 1433, &long), "database"),
            (defaults(), parts("h", 1433, "MASTER"), "database"),
            (defaults(), parts("h", 1433, "acme "), "database"),
            (defaults(), parts("h", 1433, "a\u{0}b"), "database"),
            (no_user, parts("h", 1433, "d"), "user"),
            (no_password, parts("h", 1433, "d"), "password"),
            (both_trusts, parts("h", 1433, "d"), "ca_file"),
            (missing_ca, parts("h", 1433, "d"), "ca_file"),
            (zero_timeout, parts("h", 1433, "d"), "statement_timeout"),
            (
                defaults(),
                connection_string("Database=d"),
                "connection_string",
            ),
            (
                defaults(),
                connection_string("Server=h"),
                "connection_string",
            ),
            (
                defaults(),
                connection_string("Server=h;Database=d;Connect Timeout=0"),
                "connect_timeout",
            ),
        ];
        for (settings, ws, key) in cases {
            assert_eq!(
                key_of(resolve_with_env(&settings, &ws, no_env)),
                key,
                "{ws:?}"
            );
        }
    }

    #[test]
    fn trust_settings() {
        let any = MssqlSettings {
            trust_server_certificate: true,
            ..defaults()
        };
        let target = resolve_with_env(&any, &parts("h", 1, "d"), no_env).unwrap();
        assert_eq!(target.trust, Trust::AnyCertificate);
        let ca = MssqlSettings {
            ca_file: Some("Cargo.toml".into()),
            ..defaults()
        };
        let target = resolve_with_env(&ca, &parts("h", 1, "d"), no_env).unwrap();
        assert_eq!(target.trust, Trust::CaFile("Cargo.toml".into()));
    }

    #[test]
    fn debug_output_hides_the_password() {
        let ws = connection_string("Server=h;Database=d;Password=hunter2");
        let target = resolve_with_env(&defaults(), &ws, no_env).unwrap();
        assert!(!format!("{target:?}").contains("hunter2"));
        assert!(!format!("{ws:?}").contains("hunter2"));
    }
}
