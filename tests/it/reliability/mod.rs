//! Issue #8: the reliability and security suite. Each file proves one
//! promise of DESIGN.md under stress, through the real `wsdb` binary:
//!
//! - `crash`: a `migrate --all` killed with SIGKILL at random moments never
//!   leaves a workspace half-migrated, and a re-run converges;
//! - `crash_rollback`: the same for `rollback --all`, whose down scripts
//!   never leave a workspace half-reverted;
//! - `cut_sweep`: a connection cut before any statement of a run never
//!   does either;
//! - `faults`: each fault the TDS test server injects fails only its
//!   workspaces, with a clear cause, within the configured timeouts;
//! - `concurrency`: several `migrate --all` processes at once apply every
//!   migration exactly once;
//! - `hostile`: hostile workspace rows are data, never SQL, never a crash;
//! - `secrets`: the canary password reaches no output, log or ledger row;
//! - `tls`: `encrypt = "required"` trusts only what wsdb.toml says to.
//!
//! Counts come from environment variables ([`count`]) so that CI runs a
//! few trials and `just chaos` (scripts/chaos) the full ones; each test
//! prints its figures with `eprintln!` for the chaos summary.

mod concurrency;
mod crash;
mod crash_rollback;
mod cut_sweep;
mod faults;
mod fleet;
mod hostile;
mod secrets;
mod tls;

/// The count in environment variable `name`, or `default` when it is unset
/// or empty. A value that is not a positive integer fails the test: a typo
/// in a chaos run must not silently shrink it.
pub fn count(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) if !text.trim().is_empty() => match text.trim().parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => panic!("{name}={text:?}: expected a positive integer"),
        },
        _ => default,
    }
}
