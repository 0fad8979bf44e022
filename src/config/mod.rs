//! Configuration: `wsdb.toml` with several environments.
//!
//! Owns the file format, loading ([`load`]), `${VAR}` expansion, validation,
//! durations ([`parse_duration`]), URL redaction ([`redact_url`]), the
//! [`Secret`] wrapper and the commented [`REFERENCE_TOML`] that `wsdb init`
//! writes. It does not connect to anything: everything here is checked
//! offline, before the first connection is opened, and it does not decide
//! precedence between flags and the file beyond [`EnvConfig::apply_overrides`]
//! (the CLI resolves `--env`/`WSDB_ENV` and friends with clap's `env`).
//!
//! The whole file is checked structurally (syntax, unknown keys, value types)
//! for every environment at [`load`]; `${VAR}` expansion and value validation
//! happen only for the environment [`ConfigFile::select_env`] picks, so a
//! variable that only `prod` needs does not break `--env dev`.
//!
//! The settings types below are the resolved values other modules consume.

mod control_url;
mod document;
mod duration;
mod error;
mod expand;
mod file;
pub mod limits;
mod raw;
mod resolve;
mod secret;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod test_support;

pub use control_url::redact_url;
pub use duration::{DurationError, format_duration, parse_duration};
pub use error::{ConfigError, ConfigErrorKind, Problem};
pub use expand::ExpandFault;
pub use file::{ConfigFile, load};
pub use secret::Secret;

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The commented reference configuration: every key, its default and what it
/// does. `wsdb init` writes it as `wsdb.toml`; a test loads it.
pub const REFERENCE_TOML: &str = include_str!("reference.toml");

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

impl Encrypt {
    /// The spellings accepted in `wsdb.toml` (and in a workspace row's
    /// `encrypt` column), in the order the docs list them.
    pub const NAMES: [&'static str; 3] = ["off", "on", "required"];

    pub fn as_str(self) -> &'static str {
        match self {
            Encrypt::Off => "off",
            Encrypt::On => "on",
            Encrypt::Required => "required",
        }
    }
}

/// The value was none of [`Encrypt::NAMES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected one of `off`, `on`, `required`, found `{found}`")]
pub struct EncryptParseError {
    pub found: String,
}

impl FromStr for Encrypt {
    type Err = EncryptParseError;

    /// Exact, lower-case spellings only: `encrypt = "Off"` is more likely a
    /// typo than a preference, and one spelling keeps configs greppable.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "off" => Ok(Encrypt::Off),
            "on" => Ok(Encrypt::On),
            "required" => Ok(Encrypt::Required),
            _ => Err(EncryptParseError {
                found: text.to_owned(),
            }),
        }
    }
}

/// One environment of `wsdb.toml`, fully resolved: variables expanded,
/// defaults applied, every value validated.
#[derive(Debug, Clone)]
pub struct EnvConfig {
    /// The `NAME` of `[env.NAME]`.
    pub name: String,
    /// `postgres://` URL of the control database; may carry a password.
    pub control_url: Secret<String>,
    /// The SQL query that lists the workspaces (one row per workspace).
    pub workspaces: String,
    pub mssql: MssqlSettings,
    pub pool: PoolSettings,
    pub retry: RetrySettings,
    pub run: RunSettings,
}

/// Values that outrank the file: a CLI flag or its environment variable
/// (`--concurrency`/`WSDB_CONCURRENCY`, `--lock-timeout`/`WSDB_LOCK_TIMEOUT`).
/// `None` leaves the file's value (or the default) in place.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunOverrides {
    pub concurrency: Option<usize>,
    pub lock_timeout: Option<Duration>,
}

impl EnvConfig {
    /// Applies the precedence CLI flag > environment variable > file >
    /// default: the file and the defaults are already folded into `self`,
    /// clap has already chosen between a flag and its variable. The CLI checks
    /// the flag values against [`limits`] when it parses them.
    pub fn apply_overrides(&mut self, overrides: &RunOverrides) {
        if let Some(concurrency) = overrides.concurrency {
            self.run.concurrency = concurrency;
        }
        if let Some(lock_timeout) = overrides.lock_timeout {
            self.run.lock_timeout = lock_timeout;
        }
    }
}

/// Defaults for every workspace connection of one environment (`[env.X.mssql]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MssqlSettings {
    pub user: Option<String>,
    pub password: Option<Secret<String>>,
    pub encrypt: Encrypt,
    pub trust_server_certificate: bool,
    /// Resolved against the folder of the configuration file; it existed
    /// when the file was loaded.
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

#[cfg(test)]
mod tests {
    use super::test_support::TempConfig;
    use super::*;

    /// A commented-out `# key = value` line of the reference (an optional
    /// key shown with an example value), as the `key = value` it documents.
    fn documented_optional_key(line: &str) -> Option<&str> {
        let assignment = line.strip_prefix("# ")?;
        let (key, value) = assignment.split_once(" = ")?;
        let is_key = !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        let is_value = (value.len() >= 2 && value.starts_with('"') && value.ends_with('"'))
            || ["true", "false"].contains(&value)
            || value.chars().all(|c| c.is_ascii_digit());
        (is_key && is_value).then_some(assignment)
    }

    #[test]
    fn the_reference_states_the_real_defaults() {
        let config = TempConfig::new(REFERENCE_TOML);
        let lookup = |name: &str| (name == "WSDB_MSSQL_PASSWORD").then(|| "pw".to_owned());
        let file = load(&config.path, &lookup).expect("the reference loads");
        assert_eq!(file.default_env.as_deref(), Some("dev"));
        assert_eq!(file.migrations_dir, config.dir.path().join("migrations"));
        let env = file.select_env(None).expect("the reference resolves");
        assert_eq!(
            env.control_url.expose(),
            "postgres://wsdb@127.0.0.1:5432/wsdb"
        );
        // `user` and `password` have no default; the reference shows examples.
        let mssql = MssqlSettings {
            user: None,
            password: None,
            ..env.mssql.clone()
        };
        assert_eq!(mssql, MssqlSettings::default());
        assert_eq!(env.mssql.user.as_deref(), Some("wsdb"));
        assert_eq!(env.pool, PoolSettings::default());
        assert_eq!(env.retry, RetrySettings::default());
        assert_eq!(env.run, RunSettings::default());
    }

    #[test]
    fn the_reference_documents_only_real_keys_even_commented_ones() {
        let optional: Vec<&str> = REFERENCE_TOML
            .lines()
            .filter_map(documented_optional_key)
            .collect();
        assert_eq!(optional, ["ca_file = \"certs/ca.pem\""]);
        let uncommented: String = REFERENCE_TOML
            .lines()
            .map(|line| documented_optional_key(line).unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n");
        let config = TempConfig::new(&uncommented);
        let lookup = |name: &str| (name == "WSDB_MSSQL_PASSWORD").then(|| "pw".to_owned());
        let env = load(&config.path, &lookup)
            .and_then(|file| file.select_env(None))
            .expect("the reference with its optional keys resolves");
        assert_eq!(
            env.mssql.ca_file,
            Some(config.dir.path().join("certs/ca.pem"))
        );
    }

    #[test]
    fn the_docs_describe_every_key_of_the_reference() {
        let docs = include_str!("../../docs/configuration.md");
        let keys = REFERENCE_TOML
            .lines()
            .map(|line| documented_optional_key(line).unwrap_or(line))
            .filter_map(|line| line.split_once(" = ").map(|(key, _)| key))
            .filter(|key| !key.starts_with('#'));
        for key in keys {
            assert!(
                docs.contains(&format!("`{key}`")),
                "docs/configuration.md does not describe `{key}`"
            );
        }
    }

    #[test]
    fn encrypt_parses_its_own_names_and_nothing_else() {
        for name in Encrypt::NAMES {
            let parsed: Encrypt = name.parse().expect("a documented name");
            assert_eq!(parsed.as_str(), name);
        }
        for bad in ["", "Off", "true", "yes", "require"] {
            let err = bad.parse::<Encrypt>().expect_err(bad);
            assert_eq!(err.found, bad);
        }
    }

    #[test]
    fn overrides_replace_only_what_they_carry() {
        let mut env = EnvConfig {
            name: "dev".to_owned(),
            control_url: Secret::new("postgres://localhost/app".to_owned()),
            workspaces: "SELECT id FROM workspaces".to_owned(),
            mssql: MssqlSettings::default(),
            pool: PoolSettings::default(),
            retry: RetrySettings::default(),
            run: RunSettings::default(),
        };
        env.apply_overrides(&RunOverrides::default());
        assert_eq!(env.run, RunSettings::default());

        env.apply_overrides(&RunOverrides {
            concurrency: Some(64),
            lock_timeout: None,
        });
        assert_eq!(env.run.concurrency, 64);
        assert_eq!(env.run.lock_timeout, RunSettings::default().lock_timeout);

        env.apply_overrides(&RunOverrides {
            concurrency: None,
            lock_timeout: Some(Duration::from_secs(5)),
        });
        assert_eq!(env.run.concurrency, 64);
        assert_eq!(env.run.lock_timeout, Duration::from_secs(5));
    }
}
