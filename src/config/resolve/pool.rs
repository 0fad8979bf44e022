//! `[env.NAME.pool]` and `[env.NAME.retry]`: the connection layer's sizes,
//! idle limits and reconnection policy.
//!
//! Owns the ranges of those counts and the combinations that cannot work
//! (a workspace pool larger than its server's cap, a health check that
//! never runs, a first backoff longer than the longest). It does not pool
//! nor retry anything (the `pool` module does).

use super::{DurationRule, Resolver};
use crate::config::duration::format_duration;
use crate::config::error::ConfigError;
use crate::config::raw::{RawEnv, RawPool, RawRetry};
use crate::config::{PoolSettings, RetrySettings, limits};

impl Resolver<'_> {
    pub(super) fn pool(&self, env: &RawEnv, raw: &RawPool) -> Result<PoolSettings, ConfigError> {
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
                DurationRule::Positive,
            )?,
            health_check_after: self.duration(
                &raw.health_check_after,
                defaults.health_check_after,
                DurationRule::Any,
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
                "idle connections are closed after {}, so a health check after {} never runs",
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

    pub(super) fn retry(&self, env: &RawEnv, raw: &RawRetry) -> Result<RetrySettings, ConfigError> {
        let defaults = RetrySettings::default();
        let retry = RetrySettings {
            initial_backoff: self.duration(
                &raw.initial_backoff,
                defaults.initial_backoff,
                DurationRule::Positive,
            )?,
            max_backoff: self.duration(
                &raw.max_backoff,
                defaults.max_backoff,
                DurationRule::Positive,
            )?,
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
}

#[cfg(test)]
mod tests {
    use crate::config::ConfigErrorKind as Kind;
    use crate::config::resolve::tests::{assert_refused, resolve_dev};

    #[test]
    fn pool_values_are_checked() {
        let cases = [
            (
                "max_per_workspace = 0",
                Kind::OutOfRange,
                "max_per_workspace",
            ),
            (
                "max_per_workspace = 65",
                Kind::OutOfRange,
                "max_per_workspace",
            ),
            (
                "max_per_workspace = 40",
                Kind::Conflict,
                "max_per_workspace",
            ),
            ("\nmax_per_server = 1", Kind::Conflict, "max_per_server"),
            ("max_per_server = -1", Kind::OutOfRange, "max_per_server"),
            ("max_per_server = 32768", Kind::OutOfRange, "max_per_server"),
            (
                "max_cached_workspaces = 0",
                Kind::OutOfRange,
                "max_cached_workspaces",
            ),
            ("idle_timeout = \"0ms\"", Kind::InvalidValue, "idle_timeout"),
            (
                "health_check_after = \"5m\"",
                Kind::Conflict,
                "health_check_after",
            ),
            (
                "health_check_after = \"5m\"\nidle_timeout = \"5m\"",
                Kind::Conflict,
                "health_check_after",
            ),
            // Only idle_timeout is written: the error sits on it.
            ("idle_timeout = \"10s\"", Kind::Conflict, "idle_timeout"),
        ];
        for (body, kind, leaf) in cases {
            assert_refused("pool", body, kind, leaf);
        }
    }

    #[test]
    fn retry_values_are_checked() {
        let cases = [
            (
                "initial_backoff = \"1m\"",
                Kind::Conflict,
                "initial_backoff",
            ),
            ("max_backoff = \"100ms\"", Kind::Conflict, "max_backoff"),
            (
                "initial_backoff = \"0s\"",
                Kind::InvalidValue,
                "initial_backoff",
            ),
            ("max_attempts = 0", Kind::OutOfRange, "max_attempts"),
            ("max_attempts = 101", Kind::OutOfRange, "max_attempts"),
            (
                "evict_after_failures = 0",
                Kind::OutOfRange,
                "evict_after_failures",
            ),
        ];
        for (body, kind, leaf) in cases {
            assert_refused("retry", body, kind, leaf);
        }
    }

    #[test]
    fn conflict_messages_name_both_keys_and_a_way_out() {
        let (_config, env) = resolve_dev("[env.dev.retry]\ninitial_backoff = \"1m\"\n");
        let message = env.expect_err("conflict").to_string();
        let expected = "`env.dev.retry.initial_backoff` conflicts with `env.dev.retry.max_backoff`: \
            the first wait (1m) is longer than the longest wait (30s)\n\
            hint: make `initial_backoff` at most `max_backoff`";
        assert!(message.ends_with(expected), "{message}");
    }
}
