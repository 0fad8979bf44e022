//! The reconnection schedule: exponential backoff with jitter, from
//! `initial_backoff` doubling up to `max_backoff`, one delay between each
//! two of `max_attempts` attempts (backon computes it).
//!
//! Only the delays live here; which errors are retried and when a workspace
//! is evicted is the pool's decision.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use crate::config::RetrySettings;

/// The delays to sleep before attempts 2, 3, ... `max_attempts`. backon's
/// jitter adds up to 100 % to each delay (so that a fleet of workspaces on
/// one recovering server does not reconnect in lock step); the result is
/// capped at `max_backoff`.
pub fn delays(retry: &RetrySettings) -> impl Iterator<Item = Duration> + Send + use<> {
    let max = retry.max_backoff.max(retry.initial_backoff);
    let retries = usize::try_from(retry.max_attempts.saturating_sub(1)).unwrap_or(usize::MAX);
    ExponentialBuilder::new()
        .with_min_delay(retry.initial_backoff)
        .with_max_delay(max)
        .with_factor(2.0)
        .with_jitter()
        .with_max_times(retries)
        .build()
        .map(move |delay| delay.min(max))
}

/// The jitter-free delay before retry `n` (1-based): the lower bound of
/// what [`delays`] yields; tests state the schedule with it.
#[cfg(test)]
pub fn base_delay(retry: &RetrySettings, n: u32) -> Duration {
    let max = retry.max_backoff.max(retry.initial_backoff);
    let factor = 2u32.saturating_pow(n.saturating_sub(1));
    retry.initial_backoff.saturating_mul(factor).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retry(initial_ms: u64, max_ms: u64, attempts: u32) -> RetrySettings {
        RetrySettings {
            initial_backoff: Duration::from_millis(initial_ms),
            max_backoff: Duration::from_millis(max_ms),
            max_attempts: attempts,
            evict_after_failures: 3,
        }
    }

    #[test]
    fn one_delay_between_each_two_attempts() {
        for attempts in [0u32, 1, 2, 5] {
            let expected = usize::try_from(attempts.saturating_sub(1)).unwrap();
            assert_eq!(
                delays(&retry(10, 100, attempts)).count(),
                expected,
                "{attempts}"
            );
        }
    }

    #[test]
    fn delays_double_within_jitter_and_stay_under_the_cap() {
        let settings = retry(200, 1_000, 7);
        for _ in 0..50 {
            for (i, delay) in delays(&settings).enumerate() {
                let n = u32::try_from(i + 1).unwrap();
                let base = base_delay(&settings, n);
                let upper = (base * 2).min(settings.max_backoff);
                // backon computes in f32 seconds: allow a microsecond.
                assert!(
                    delay + Duration::from_micros(1) >= base,
                    "retry {n}: {delay:?} < {base:?}"
                );
                assert!(delay <= upper, "retry {n}: {delay:?} > {upper:?}");
            }
        }
    }

    #[test]
    fn base_delays() {
        let settings = retry(200, 1_000, 7);
        let bases: Vec<u64> = (1..=6)
            .map(|n| u64::try_from(base_delay(&settings, n).as_millis()).unwrap())
            .collect();
        assert_eq!(bases, [200, 400, 800, 1_000, 1_000, 1_000]);
    }
}
