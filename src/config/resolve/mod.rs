//! From one raw environment to a validated [`EnvConfig`].
//!
//! Owns what is checked for the selected environment only: `${VAR}`
//! expansion, durations, ranges, enums, files that must exist, combinations
//! that contradict each other, and the defaults. It does not read the file
//! nor pick the environment (`file.rs`), and it checks nothing online.
//! Every error names the key and the line of the value it is about; for a
//! key left to its default, the line of the key it conflicts with.
//!
//! This file holds the shared machinery (expansion, durations, counts,
//! error placement), the environment's own keys and `[run]`; `mssql.rs` and
//! `pool.rs` hold their tables' rules.

use std::ops::RangeInclusive;
use std::path::Path;
use std::time::Duration;

mod mssql;
mod pool;

use super::control_url::check_control_url;
use super::document::Item;
use super::duration::{format_duration, parse_duration};
use super::error::{ConfigError, Problem};
use super::expand::{Variables, expand, expand_url};
use super::raw::{RawEnv, RawRun};
use super::secret::Secret;
use super::{EnvConfig, RunSettings, limits};

/// Which durations a key accepts.
#[derive(Debug, Clone, Copy)]
enum DurationRule {
    /// Longer than zero: a zero timeout or backoff makes no sense.
    Positive,
    /// Zero too, meaning "immediately" (check every time).
    Any,
    /// Zero ("do not wait") up to a limit of the server.
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
        let url_item = raw.control_url.as_ref().ok_or_else(|| {
            self.missing(raw, "control_url", "\"postgres://USER@HOST:5432/DATABASE\"")
        })?;
        let control_url = expand_url(url_item.value.expose(), self.variables)
            .map(Secret::new)
            .map_err(|fault| self.at(url_item, Problem::Expand { fault }))?;
        check_control_url(control_url.expose())
            .map_err(|reason| self.at(url_item, Problem::BadControlUrl { reason }))?;
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

    fn run(&self, raw: &RawRun) -> Result<RunSettings, ConfigError> {
        let defaults = RunSettings::default();
        Ok(RunSettings {
            concurrency: self.count(&raw.concurrency, defaults.concurrency, limits::CONCURRENCY)?,
            lock_timeout: self.duration(
                &raw.lock_timeout,
                defaults.lock_timeout,
                DurationRule::AtMost(limits::LOCK_TIMEOUT_MAX),
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
        rule: DurationRule,
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
        match rule {
            DurationRule::Positive if duration.is_zero() => {
                Err(self.invalid(item, "a duration longer than zero", format!("{text:?}")))
            }
            DurationRule::AtMost(max) if duration > max => Err(self.invalid(
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
    use std::time::Duration;

    use super::*;
    use crate::config::ConfigErrorKind as Kind;
    use crate::config::test_support::{TempConfig, with_dev};
    use crate::config::{Encrypt, MssqlSettings, PoolSettings, RetrySettings};

    /// Resolves the `dev` env of `with_dev(extra)`; `extra` starts on line 4.
    pub(in crate::config::resolve) fn resolve_dev(
        extra: &str,
    ) -> (TempConfig, Result<EnvConfig, ConfigError>) {
        let config = TempConfig::new(&with_dev(extra));
        let env = config.load().and_then(|file| file.select_env(None));
        (config, env)
    }

    /// Asserts that `[env.dev.{table}]` holding `body` is refused with `kind`,
    /// on the key `leaf` of that table and at the line where it is written.
    pub(in crate::config::resolve) fn assert_refused(
        table: &str,
        body: &str,
        kind: Kind,
        leaf: &str,
    ) {
        let (_config, env) = resolve_dev(&format!("[env.dev.{table}]\n{body}\n"));
        let error = env.expect_err(body);
        let offset = body
            .lines()
            .position(|line| line.starts_with(&format!("{leaf} =")))
            .unwrap_or_else(|| panic!("`{leaf}` is not written in {body:?}"));
        // with_dev takes 3 lines, the table header 1.
        let line = 5 + offset;
        let key = format!("env.dev.{table}.{leaf}");
        assert_eq!(
            (error.kind(), error.key(), error.line()),
            (kind, Some(key.as_str()), Some(line)),
            "{body}\n{error}"
        );
    }

    #[test]
    fn absent_keys_take_the_defaults() {
        let (_config, env) = resolve_dev("");
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
        let (config, env) = resolve_dev(extra);
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
    fn run_values_are_checked() {
        let cases = [
            ("concurrency = 0", Kind::OutOfRange, "concurrency"),
            ("concurrency = 1025", Kind::OutOfRange, "concurrency"),
            (
                "lock_timeout = \"600h\"",
                Kind::InvalidValue,
                "lock_timeout",
            ),
            (
                "lock_timeout = \"${WSDB_TEST_USER}\"",
                Kind::BadDuration,
                "lock_timeout",
            ),
            (
                "lock_timeout = \"${WSDB_TEST_UNSET}\"",
                Kind::MissingVariable,
                "lock_timeout",
            ),
        ];
        for (body, kind, leaf) in cases {
            assert_refused("run", body, kind, leaf);
        }
        let (_config, env) = resolve_dev("[env.dev.run]\nlock_timeout = \"596h31m23s647ms\"\n");
        assert_eq!(
            env.expect("the largest lock timeout").run.lock_timeout,
            limits::LOCK_TIMEOUT_MAX
        );
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
}
