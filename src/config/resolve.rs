//! From one raw environment to a validated [`EnvConfig`].
//!
//! Owns what is checked for the selected environment only: `${VAR}`
//! expansion, durations, ranges, enums, files that must exist, combinations
//! that contradict each other, and the defaults. It does not read the file
//! nor pick the environment (`file.rs`), and it checks nothing online.
//! Every error names the key and the line of the value it is about; for a
//! key left to its default, the line of the key it conflicts with.

use std::ops::RangeInclusive;
use std::path::Path;
use std::time::Duration;

use super::control_url::check_control_url;
use super::document::Item;
use super::duration::{format_duration, parse_duration};
use super::error::{ConfigError, Problem};
use super::expand::{Variables, expand};
use super::raw::{RawEnv, RawMssql, RawPool, RawRetry, RawRun};
use super::secret::Secret;
use super::{Encrypt, EnvConfig, MssqlSettings, PoolSettings, RetrySettings, RunSettings, limits};

/// What a duration may be.
#[derive(Debug, Clone, Copy)]
enum Span {
    /// Longer than zero: a zero timeout or backoff makes no sense.
    Positive,
    /// Zero means "immediately" (check every time, do not wait).
    AtMost(Duration),
}

/// The context of one resolution: where the file is and what the
/// environment held when it was loaded.
pub(crate) struct Resolver<'a> {
    pub(crate) path: &'a Path,
    pub(crate) config_dir: &'a Path,
    pub(crate) variables: &'a Variables,
}

impl Resolver<'_> {
    pub(crate) fn resolve(&self, raw: &RawEnv) -> Result<EnvConfig, ConfigError> {
        let control_url = raw.control_url.as_ref().ok_or_else(|| {
            self.missing(raw, "control_url", "\"postgres://USER@HOST:5432/DATABASE\"")
        })?;
        let control_url = self.secret(control_url)?;
        check_control_url(control_url.expose()).map_err(|reason| {
            self.error_at(
                raw.control_url.as_ref(),
                raw,
                Problem::BadControlUrl { reason },
            )
        })?;
        let workspaces = raw.workspaces.as_ref().ok_or_else(|| {
            self.missing(
                raw,
                "workspaces",
                "\"SELECT id, host, port, database FROM workspaces\"",
            )
        })?;
        let workspaces =
            self.non_empty(workspaces, "a SQL query returning one row per workspace")?;
        Ok(EnvConfig {
            name: raw.name.clone(),
            control_url,
            workspaces,
            mssql: self.mssql(&raw.mssql)?,
            pool: self.pool(raw, &raw.pool)?,
            retry: self.retry(raw, &raw.retry)?,
            run: self.run(&raw.run)?,
        })
    }

    fn mssql(&self, raw: &RawMssql) -> Result<MssqlSettings, ConfigError> {
        let defaults = MssqlSettings::default();
        let user = match &raw.user {
            Some(user) => Some(self.non_empty(user, "a login name")?),
            None => None,
        };
        let password = match &raw.password {
            Some(password) => Some(self.secret(password)?),
            None => None,
        };
        let encrypt = match &raw.encrypt {
            Some(item) => self.text(item)?.parse::<Encrypt>().map_err(|error| {
                self.invalid(
                    item,
                    "one of `off`, `on`, `required`",
                    format!("`{}`", error.found),
                )
            })?,
            None => defaults.encrypt,
        };
        let trust_server_certificate = raw
            .trust_server_certificate
            .as_ref()
            .map_or(defaults.trust_server_certificate, |item| item.value);
        let ca_file = match &raw.ca_file {
            Some(item) => Some(self.ca_file(raw, item, encrypt, trust_server_certificate)?),
            None => None,
        };
        let application_name = match &raw.application_name {
            Some(item) => self.application_name(item)?,
            None => defaults.application_name,
        };
        Ok(MssqlSettings {
            user,
            password,
            encrypt,
            trust_server_certificate,
            ca_file,
            connect_timeout: self.duration(
                &raw.connect_timeout,
                defaults.connect_timeout,
                Span::Positive,
            )?,
            statement_timeout: self.duration(
                &raw.statement_timeout,
                defaults.statement_timeout,
                Span::Positive,
            )?,
            application_name,
        })
    }

    fn ca_file(
        &self,
        raw: &RawMssql,
        item: &Item<String>,
        encrypt: Encrypt,
        trust: bool,
    ) -> Result<std::path::PathBuf, ConfigError> {
        // Both conflicts need a non-default value, so the other key was written.
        let conflict = |other: Option<&str>, reason: &str, hint: &str| {
            let other = other.unwrap_or_default().to_owned();
            self.at(
                item,
                Problem::Conflict {
                    other,
                    reason: reason.to_owned(),
                    hint: Some(hint.to_owned()),
                },
            )
        };
        if encrypt == Encrypt::Off {
            return Err(conflict(
                raw.encrypt.as_ref().map(|other| other.key.as_str()),
                "a CA file only verifies TLS, and `encrypt = \"off\"` turns TLS off",
                "set `encrypt = \"required\"` (or \"on\"), or remove `ca_file`",
            ));
        }
        if trust {
            return Err(conflict(
                raw.trust_server_certificate
                    .as_ref()
                    .map(|other| other.key.as_str()),
                "trusting every certificate makes the CA file pointless, so which one is meant is ambiguous",
                "keep `ca_file` to verify servers against that CA, or remove it (trusting every certificate is for development only)",
            ));
        }
        let file = self.non_empty(item, "the path of a PEM file")?;
        let resolved = self.config_dir.join(&file);
        if !resolved.is_file() {
            return Err(self.at(
                item,
                Problem::MissingFile {
                    file: file.into(),
                    resolved,
                },
            ));
        }
        Ok(resolved)
    }

    fn application_name(&self, item: &Item<String>) -> Result<String, ConfigError> {
        let name = self.non_empty(item, "a name shown by the server's session views")?;
        let length = name.chars().count();
        if length > limits::APPLICATION_NAME_MAX_CHARS {
            let expected = format!("at most {} characters", limits::APPLICATION_NAME_MAX_CHARS);
            return Err(self.invalid(item, &expected, format!("{length} characters")));
        }
        Ok(name)
    }

    fn pool(&self, env: &RawEnv, raw: &RawPool) -> Result<PoolSettings, ConfigError> {
        let defaults = PoolSettings::default();
        let pool = PoolSettings {
            max_per_workspace: self.count(
                &raw.max_per_workspace,
                defaults.max_per_workspace,
                limits::MAX_PER_WORKSPACE,
            )?,
            max_cached_workspaces: self.count(
                &raw.max_cached_workspaces,
                defaults.max_cached_workspaces,
                limits::MAX_CACHED_WORKSPACES,
            )?,
            max_per_server: self.count(
                &raw.max_per_server,
                defaults.max_per_server,
                limits::MAX_PER_SERVER,
            )?,
            idle_timeout: self.duration(
                &raw.idle_timeout,
                defaults.idle_timeout,
                Span::Positive,
            )?,
            health_check_after: self.duration(
                &raw.health_check_after,
                defaults.health_check_after,
                Span::AtMost(Duration::MAX),
            )?,
        };
        if pool.max_per_workspace > pool.max_per_server {
            let reason = format!(
                "a workspace pool of {} connections can never fill when its server allows {}",
                pool.max_per_workspace, pool.max_per_server
            );
            let hint = "make `max_per_workspace` at most `max_per_server`";
            return Err(self.conflict(
                env,
                ("pool.max_per_workspace", &raw.max_per_workspace),
                ("pool.max_per_server", &raw.max_per_server),
                reason,
                hint,
            ));
        }
        if pool.health_check_after >= pool.idle_timeout {
            let reason = format!(
                "a connection idle for {} is closed before it is ever health-checked after {}",
                format_duration(pool.idle_timeout),
                format_duration(pool.health_check_after)
            );
            let hint = "make `health_check_after` shorter than `idle_timeout`";
            return Err(self.conflict(
                env,
                ("pool.health_check_after", &raw.health_check_after),
                ("pool.idle_timeout", &raw.idle_timeout),
                reason,
                hint,
            ));
        }
        Ok(pool)
    }

    fn retry(&self, env: &RawEnv, raw: &RawRetry) -> Result<RetrySettings, ConfigError> {
        let defaults = RetrySettings::default();
        let retry = RetrySettings {
            initial_backoff: self.duration(
                &raw.initial_backoff,
                defaults.initial_backoff,
                Span::Positive,
            )?,
            max_backoff: self.duration(&raw.max_backoff, defaults.max_backoff, Span::Positive)?,
            max_attempts: self.count(
                &raw.max_attempts,
                defaults.max_attempts,
                limits::MAX_ATTEMPTS,
            )?,
            evict_after_failures: self.count(
                &raw.evict_after_failures,
                defaults.evict_after_failures,
                limits::EVICT_AFTER_FAILURES,
            )?,
        };
        if retry.initial_backoff > retry.max_backoff {
            let reason = format!(
                "the first wait ({}) is longer than the longest wait ({})",
                format_duration(retry.initial_backoff),
                format_duration(retry.max_backoff)
            );
            let hint = "make `initial_backoff` at most `max_backoff`";
            return Err(self.conflict(
                env,
                ("retry.initial_backoff", &raw.initial_backoff),
                ("retry.max_backoff", &raw.max_backoff),
                reason,
                hint,
            ));
        }
        Ok(retry)
    }

    fn run(&self, raw: &RawRun) -> Result<RunSettings, ConfigError> {
        let defaults = RunSettings::default();
        Ok(RunSettings {
            concurrency: self.count(&raw.concurrency, defaults.concurrency, limits::CONCURRENCY)?,
            lock_timeout: self.duration(
                &raw.lock_timeout,
                defaults.lock_timeout,
                Span::AtMost(limits::LOCK_TIMEOUT_MAX),
            )?,
            protected: raw
                .protected
                .as_ref()
                .map_or(defaults.protected, |item| item.value),
        })
    }

    // ---- values -------------------------------------------------------

    pub(crate) fn text(&self, item: &Item<String>) -> Result<String, ConfigError> {
        expand(&item.value, self.variables)
            .map_err(|fault| self.at(item, Problem::Expand { fault }))
    }

    fn secret(&self, item: &Item<Secret<String>>) -> Result<Secret<String>, ConfigError> {
        expand(item.value.expose(), self.variables)
            .map(Secret::new)
            .map_err(|fault| self.at(item, Problem::Expand { fault }))
    }

    pub(crate) fn non_empty(
        &self,
        item: &Item<String>,
        expected: &str,
    ) -> Result<String, ConfigError> {
        let text = self.text(item)?;
        if text.trim().is_empty() {
            return Err(self.invalid(item, expected, "an empty string".to_owned()));
        }
        Ok(text)
    }

    fn duration(
        &self,
        item: &Option<Item<String>>,
        default: Duration,
        span: Span,
    ) -> Result<Duration, ConfigError> {
        let Some(item) = item else {
            return Ok(default);
        };
        let text = self.text(item)?;
        let duration = parse_duration(&text).map_err(|source| {
            self.at(
                item,
                Problem::BadDuration {
                    found: format!("{text:?}"),
                    source,
                },
            )
        })?;
        match span {
            Span::Positive if duration.is_zero() => {
                Err(self.invalid(item, "a duration longer than zero", format!("{text:?}")))
            }
            Span::AtMost(max) if duration > max => Err(self.invalid(
                item,
                &format!("at most {}", format_duration(max)),
                format!("{text:?}"),
            )),
            _ => Ok(duration),
        }
    }

    fn count<T: TryFrom<i64>>(
        &self,
        item: &Option<Item<i64>>,
        default: T,
        range: RangeInclusive<i64>,
    ) -> Result<T, ConfigError> {
        let Some(item) = item else {
            return Ok(default);
        };
        let out_of_range = || {
            let problem = Problem::OutOfRange {
                min: *range.start(),
                max: *range.end(),
                found: item.value,
            };
            self.at(item, problem)
        };
        if !range.contains(&item.value) {
            return Err(out_of_range());
        }
        T::try_from(item.value).map_err(|_| out_of_range())
    }

    // ---- errors -------------------------------------------------------

    fn at<T>(&self, item: &Item<T>, problem: Problem) -> ConfigError {
        ConfigError::new(self.path, problem).at(item.key.as_str(), item.line)
    }

    fn error_at<T>(&self, item: Option<&Item<T>>, env: &RawEnv, problem: Problem) -> ConfigError {
        match item {
            Some(item) => self.at(item, problem),
            None => ConfigError::new(self.path, problem).at(env.key.as_str(), env.line),
        }
    }

    fn invalid<T>(&self, item: &Item<T>, expected: &str, found: String) -> ConfigError {
        self.at(
            item,
            Problem::InvalidValue {
                expected: expected.to_owned(),
                found,
                hint: None,
            },
        )
    }

    fn missing(&self, env: &RawEnv, key: &str, example: &'static str) -> ConfigError {
        let key = format!("{}.{key}", env.key);
        ConfigError::new(self.path, Problem::MissingKey { example }).at(key, env.line)
    }

    /// A conflict between two keys of which at least one was written: the
    /// error sits on the first one written and names the other.
    fn conflict<A, B>(
        &self,
        env: &RawEnv,
        first: (&str, &Option<Item<A>>),
        second: (&str, &Option<Item<B>>),
        reason: String,
        hint: &str,
    ) -> ConfigError {
        let place = |suffix: &str, written: Option<(&String, usize)>| match written {
            Some((key, line)) => (key.clone(), Some(line)),
            None => (format!("{}.{suffix}", env.key), None),
        };
        let (first_key, first_line) =
            place(first.0, first.1.as_ref().map(|item| (&item.key, item.line)));
        let (second_key, second_line) = place(
            second.0,
            second.1.as_ref().map(|item| (&item.key, item.line)),
        );
        let ((key, line), other) = match (first_line, second_line) {
            (Some(line), _) => ((first_key, line), second_key),
            (None, Some(line)) => ((second_key, line), first_key),
            (None, None) => ((first_key, env.line), second_key),
        };
        let problem = Problem::Conflict {
            other,
            reason,
            hint: Some(hint.to_owned()),
        };
        ConfigError::new(self.path, problem).at(key, line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigErrorKind as Kind;
    use crate::config::test_support::{TempConfig, with_dev};

    /// Resolves the `dev` env of `with_dev(extra)`; `extra` starts on line 4.
    fn resolve(extra: &str) -> (TempConfig, Result<EnvConfig, ConfigError>) {
        let config = TempConfig::new(&with_dev(extra));
        let env = config.load().and_then(|file| file.select_env(None));
        (config, env)
    }

    #[test]
    fn absent_keys_take_the_defaults() {
        let (_config, env) = resolve("");
        let env = env.expect("resolves");
        assert_eq!(env.name, "dev");
        assert_eq!(
            env.workspaces,
            "SELECT id, host, port, database FROM workspaces"
        );
        assert_eq!(env.mssql, MssqlSettings::default());
        assert_eq!(env.pool, PoolSettings::default());
        assert_eq!(env.retry, RetrySettings::default());
        assert_eq!(env.run, RunSettings::default());
    }

    #[test]
    fn every_key_is_read_and_expanded() {
        let extra = r#"
[env.dev.mssql]
user = "${WSDB_TEST_USER}"
password = "${WSDB_TEST_PASSWORD}"
encrypt = "on"
ca_file = "certs/ca.pem"
connect_timeout = "${WSDB_TEST_UNSET:-3s}"
statement_timeout = "1h"
application_name = "wsdb-${WSDB_TEST_USER}"
[env.dev.pool]
max_per_workspace = 4
max_cached_workspaces = 1000
max_per_server = 8
idle_timeout = "10m"
health_check_after = "0s"
[env.dev.retry]
initial_backoff = "1s"
max_backoff = "1s"
max_attempts = 1
evict_after_failures = 10
[env.dev.run]
concurrency = 1024
lock_timeout = "0s"
protected = true
"#;
        let (config, env) = resolve(extra);
        let env = env.expect("resolves");
        assert_eq!(env.mssql.user.as_deref(), Some("app"));
        assert_eq!(env.mssql.encrypt, Encrypt::On);
        assert_eq!(
            env.mssql.ca_file,
            Some(config.dir.path().join("certs/ca.pem"))
        );
        assert_eq!(env.mssql.connect_timeout, Duration::from_secs(3));
        assert_eq!(env.mssql.statement_timeout, Duration::from_secs(3600));
        assert_eq!(env.mssql.application_name, "wsdb-app");
        let pool = PoolSettings {
            max_per_workspace: 4,
            max_cached_workspaces: 1000,
            max_per_server: 8,
            idle_timeout: Duration::from_secs(600),
            health_check_after: Duration::ZERO,
        };
        assert_eq!(env.pool, pool);
        let retry = RetrySettings {
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(1),
            max_attempts: 1,
            evict_after_failures: 10,
        };
        assert_eq!(env.retry, retry);
        let run = RunSettings {
            concurrency: 1024,
            lock_timeout: Duration::ZERO,
            protected: true,
        };
        assert_eq!(env.run, run);
    }

    #[test]
    fn bad_values_are_refused_with_key_and_line() {
        let name_129 = "n".repeat(129);
        let cases: Vec<(String, Kind, &str, usize)> = vec![
            (
                "[env.dev.mssql]\nencrypt = \"yes\"\n".into(),
                Kind::InvalidValue,
                "env.dev.mssql.encrypt",
                5,
            ),
            (
                "[env.dev.mssql]\nuser = \"\"\n".into(),
                Kind::InvalidValue,
                "env.dev.mssql.user",
                5,
            ),
            (
                "[env.dev.mssql]\nuser = \"${WSDB_TEST_EMPTY}\"\n".into(),
                Kind::InvalidValue,
                "env.dev.mssql.user",
                5,
            ),
            (
                "[env.dev.mssql]\nuser = \"${WSDB_TEST_UNSET}\"\n".into(),
                Kind::MissingVariable,
                "env.dev.mssql.user",
                5,
            ),
            (
                "[env.dev.mssql]\npassword = \"${WSDB_TEST_UNSET\"\n".into(),
                Kind::BadInterpolation,
                "env.dev.mssql.password",
                5,
            ),
            (
                "[env.dev.mssql]\nca_file = \"certs/missing.pem\"\n".into(),
                Kind::MissingFile,
                "env.dev.mssql.ca_file",
                5,
            ),
            (
                "[env.dev.mssql]\nca_file = \"certs\"\n".into(),
                Kind::MissingFile,
                "env.dev.mssql.ca_file",
                5,
            ),
            (
                "[env.dev.mssql]\nencrypt = \"off\"\nca_file = \"certs/ca.pem\"\n".into(),
                Kind::Conflict,
                "env.dev.mssql.ca_file",
                6,
            ),
            (
                "[env.dev.mssql]\nca_file = \"certs/ca.pem\"\ntrust_server_certificate = true\n"
                    .into(),
                Kind::Conflict,
                "env.dev.mssql.ca_file",
                5,
            ),
            (
                format!("[env.dev.mssql]\napplication_name = \"{name_129}\"\n"),
                Kind::InvalidValue,
                "env.dev.mssql.application_name",
                5,
            ),
            (
                "[env.dev.mssql]\nconnect_timeout = \"0s\"\n".into(),
                Kind::InvalidValue,
                "env.dev.mssql.connect_timeout",
                5,
            ),
            (
                "[env.dev.mssql]\nstatement_timeout = \"10\"\n".into(),
                Kind::BadDuration,
                "env.dev.mssql.statement_timeout",
                5,
            ),
            (
                "[env.dev.pool]\nmax_per_workspace = 0\n".into(),
                Kind::OutOfRange,
                "env.dev.pool.max_per_workspace",
                5,
            ),
            (
                "[env.dev.pool]\nmax_per_workspace = 65\n".into(),
                Kind::OutOfRange,
                "env.dev.pool.max_per_workspace",
                5,
            ),
            (
                "[env.dev.pool]\nmax_per_workspace = 40\n".into(),
                Kind::Conflict,
                "env.dev.pool.max_per_workspace",
                5,
            ),
            (
                "[env.dev.pool]\n\nmax_per_server = 1\n".into(),
                Kind::Conflict,
                "env.dev.pool.max_per_server",
                6,
            ),
            (
                "[env.dev.pool]\nmax_cached_workspaces = 0\n".into(),
                Kind::OutOfRange,
                "env.dev.pool.max_cached_workspaces",
                5,
            ),
            (
                "[env.dev.pool]\nmax_per_server = -1\n".into(),
                Kind::OutOfRange,
                "env.dev.pool.max_per_server",
                5,
            ),
            (
                "[env.dev.pool]\nidle_timeout = \"0ms\"\n".into(),
                Kind::InvalidValue,
                "env.dev.pool.idle_timeout",
                5,
            ),
            (
                "[env.dev.pool]\nhealth_check_after = \"5m\"\n".into(),
                Kind::Conflict,
                "env.dev.pool.health_check_after",
                5,
            ),
            (
                "[env.dev.pool]\nidle_timeout = \"10s\"\n".into(),
                Kind::Conflict,
                "env.dev.pool.idle_timeout",
                5,
            ),
            (
                "[env.dev.retry]\ninitial_backoff = \"1m\"\n".into(),
                Kind::Conflict,
                "env.dev.retry.initial_backoff",
                5,
            ),
            (
                "[env.dev.retry]\nmax_backoff = \"100ms\"\n".into(),
                Kind::Conflict,
                "env.dev.retry.max_backoff",
                5,
            ),
            (
                "[env.dev.retry]\nmax_attempts = 0\n".into(),
                Kind::OutOfRange,
                "env.dev.retry.max_attempts",
                5,
            ),
            (
                "[env.dev.retry]\nevict_after_failures = 0\n".into(),
                Kind::OutOfRange,
                "env.dev.retry.evict_after_failures",
                5,
            ),
            (
                "[env.dev.run]\nconcurrency = 0\n".into(),
                Kind::OutOfRange,
                "env.dev.run.concurrency",
                5,
            ),
            (
                "[env.dev.run]\nconcurrency = 1025\n".into(),
                Kind::OutOfRange,
                "env.dev.run.concurrency",
                5,
            ),
            (
                "[env.dev.run]\nlock_timeout = \"600h\"\n".into(),
                Kind::InvalidValue,
                "env.dev.run.lock_timeout",
                5,
            ),
        ];
        for (extra, kind, key, line) in cases {
            let (_config, env) = resolve(&extra);
            let error = env.expect_err(&extra);
            assert_eq!(
                (error.kind(), error.key(), error.line()),
                (kind, Some(key), Some(line)),
                "{extra}\n{error}"
            );
        }
    }

    #[test]
    fn required_keys_and_queries() {
        let cases = [
            (
                "[env.dev]\nworkspaces = \"SELECT 1\"\n",
                Kind::MissingKey,
                "env.dev.control_url",
                1,
            ),
            (
                "\n[env.dev]\ncontrol_url = \"postgres://db/app\"\n",
                Kind::MissingKey,
                "env.dev.workspaces",
                2,
            ),
            (
                "[env.dev]\ncontrol_url = \"postgres://db/app\"\nworkspaces = \"  \"\n",
                Kind::InvalidValue,
                "env.dev.workspaces",
                3,
            ),
            (
                "[env.dev]\ncontrol_url = \"\"\nworkspaces = \"SELECT 1\"\n",
                Kind::BadControlUrl,
                "env.dev.control_url",
                2,
            ),
        ];
        for (text, kind, key, line) in cases {
            let error = TempConfig::new(text)
                .load()
                .and_then(|file| file.select_env(None))
                .expect_err(text);
            assert_eq!(
                (error.kind(), error.key(), error.line()),
                (kind, Some(key), Some(line)),
                "{text}\n{error}"
            );
        }
    }

    #[test]
    fn conflict_messages_name_both_keys_and_a_way_out() {
        let (_config, env) = resolve("[env.dev.retry]\ninitial_backoff = \"1m\"\n");
        let message = env.expect_err("conflict").to_string();
        assert!(
            message.ends_with(
                "`env.dev.retry.initial_backoff` conflicts with `env.dev.retry.max_backoff`: the first wait (1m) is longer than the longest wait (30s)\nhint: make `initial_backoff` at most `max_backoff`"
            ),
            "{message}"
        );
    }
}
