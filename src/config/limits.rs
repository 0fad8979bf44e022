//! The bounds wsdb enforces on numbers and durations, in one place.
//!
//! Owns the accepted ranges, shared by the file validation (`resolve.rs`),
//! the CLI's flag parsers (e.g. `--concurrency` with clap's
//! `value_parser!(i64).range(limits::CONCURRENCY)`) and `docs/configuration.md`.
//! It does not read anything. Upper bounds are sanity limits that catch a
//! stray digit, not tuning advice.

use std::ops::RangeInclusive;
use std::time::Duration;

/// `[run] concurrency`: workspaces migrated at the same time by one runner.
pub const CONCURRENCY: RangeInclusive<i64> = 1..=1024;

/// `[pool] max_per_workspace`: one pinned connection is enough to migrate.
pub const MAX_PER_WORKSPACE: RangeInclusive<i64> = 1..=64;

/// `[pool] max_cached_workspaces`.
pub const MAX_CACHED_WORKSPACES: RangeInclusive<i64> = 1..=1_000_000;

/// `[pool] max_per_server`; SQL Server accepts at most 32,767 user
/// connections.
pub const MAX_PER_SERVER: RangeInclusive<i64> = 1..=32_767;

/// `[retry] max_attempts`.
pub const MAX_ATTEMPTS: RangeInclusive<i64> = 1..=100;

/// `[retry] evict_after_failures`.
pub const EVICT_AFTER_FAILURES: RangeInclusive<i64> = 1..=100;

/// `[mssql] application_name`: the TDS login field is a `sysname`-sized
/// string of at most 128 characters.
pub const APPLICATION_NAME_MAX_CHARS: usize = 128;

/// `[run] lock_timeout`: `sp_getapplock`'s `@LockTimeout` is an `int` of
/// milliseconds, so about 24.8 days.
pub const LOCK_TIMEOUT_MAX: Duration = Duration::from_millis(2_147_483_647);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_count_allows_one_and_refuses_zero() {
        for range in [
            CONCURRENCY,
            MAX_PER_WORKSPACE,
            MAX_CACHED_WORKSPACES,
            MAX_PER_SERVER,
            MAX_ATTEMPTS,
            EVICT_AFTER_FAILURES,
        ] {
            assert!(range.contains(&1) && !range.contains(&0), "{range:?}");
        }
        let defaults = crate::config::RunSettings::default();
        assert!(CONCURRENCY.contains(&i64::try_from(defaults.concurrency).unwrap_or(0)));
        assert_eq!(
            LOCK_TIMEOUT_MAX.as_millis(),
            u128::from(i32::MAX.unsigned_abs())
        );
    }
}
