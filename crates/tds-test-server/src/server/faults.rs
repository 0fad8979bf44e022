//! Fault injection: refused connections, failed logins, latency, connections
//! cut after N statements or at a matching statement, and statements failing
//! with a chosen SQL Server error, for the whole server or one database.
//!
//! Faults are armed through [`Faults`] and consulted by the connection tasks
//! (connect, login, each response) and, per statement, by the hook every
//! session gets. Counted faults are consumed as they fire; `latency` and
//! `fail_statements` stay until [`Faults::clear`].

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use regex::Regex;

use super::ServerError;
use crate::sql::{HookAction, SqlError};

/// Where a fault applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every connection and database.
    Server,
    /// Connections whose (login or current) database has this name,
    /// compared case-insensitively.
    Database(String),
}

impl Scope {
    pub fn database(name: impl Into<String>) -> Scope {
        Scope::Database(name.into())
    }

    pub(crate) fn covers(&self, database: Option<&str>) -> bool {
        match self {
            Scope::Server => true,
            Scope::Database(name) => database.is_some_and(|db| name.eq_ignore_ascii_case(db)),
        }
    }
}

#[derive(Default)]
struct FaultSet {
    refuse_connections: Vec<(Scope, u32)>,
    fail_logins: Vec<(Scope, u32)>,
    latency: Vec<(Scope, Duration)>,
    cut_after_statements: Vec<(Scope, u32)>,
    cut_mid_batch: Vec<(Scope, Regex)>,
    fail_statements: Vec<(Scope, Regex, u32)>,
}

/// Replaces the entry for `scope`, or adds one.
fn set<T>(list: &mut Vec<(Scope, T)>, scope: Scope, value: T) {
    list.retain(|(s, _)| *s != scope);
    list.push((scope, value));
}

/// Decrements the first positive counter `wanted` accepts; true if one fired.
fn take(list: &mut [(Scope, u32)], wanted: impl Fn(&Scope) -> bool) -> bool {
    match list.iter_mut().find(|(s, n)| *n > 0 && wanted(s)) {
        Some((_, n)) => {
            *n -= 1;
            true
        }
        None => false,
    }
}

fn compile(pattern: &str) -> Result<Regex, ServerError> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .map_err(|source| ServerError::Pattern {
            pattern: pattern.to_owned(),
            source: Box::new(source),
        })
}

/// The fault switchboard of one server; cheap to clone.
#[derive(Clone, Default)]
pub struct Faults {
    set: Arc<Mutex<FaultSet>>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, FaultSet> {
        self.set
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Refuses the next `n` connections. Server-wide: accepted and closed at
    /// once. For a database: closed after its LOGIN7, before any answer.
    pub fn refuse_connections(&self, scope: Scope, n: u32) {
        set(&mut self.lock().refuse_connections, scope, n);
    }

    /// Fails the next `n` logins with error 18456 even if the password is right.
    pub fn fail_logins(&self, scope: Scope, n: u32) {
        set(&mut self.lock().fail_logins, scope, n);
    }

    /// Delays every response (login answers included) by `delay`; a
    /// database's and the server's latencies add up. `Duration::ZERO` removes it.
    pub fn latency(&self, scope: Scope, delay: Duration) {
        set(&mut self.lock().latency, scope, delay);
    }

    /// Lets `n` more statements run, then cuts the connection that tries to
    /// run the next one, before it runs. Fires once.
    pub fn cut_after_statements(&self, scope: Scope, n: u32) {
        set(&mut self.lock().cut_after_statements, scope, n);
    }

    /// Cuts the connection when a statement matching `pattern` (a regex,
    /// case-insensitive, anywhere in the statement) is about to run: the
    /// results of the batch's earlier statements are sent, but not the end
    /// of the response. Fires once.
    pub fn cut_mid_batch(&self, scope: Scope, pattern: &str) -> Result<(), ServerError> {
        let regex = compile(pattern)?;
        self.lock().cut_mid_batch.push((scope, regex));
        Ok(())
    }

    /// Makes every statement matching `pattern` fail with SQL Server error
    /// `error_number` (its real message and severity for the errors wsdb
    /// handles: 1205, 1222, 8134, 40501, 40613; severity 16 otherwise).
    pub fn fail_statements(
        &self,
        scope: Scope,
        pattern: &str,
        error_number: u32,
    ) -> Result<(), ServerError> {
        let regex = compile(pattern)?;
        self.lock()
            .fail_statements
            .push((scope, regex, error_number));
        Ok(())
    }

    /// Disarms every fault.
    pub fn clear(&self) {
        *self.lock() = FaultSet::default();
    }

    pub(crate) fn take_connection_refusal(&self) -> bool {
        take(&mut self.lock().refuse_connections, |s| *s == Scope::Server)
    }

    pub(crate) fn take_login_refusal(&self, database: &str) -> bool {
        take(&mut self.lock().refuse_connections, |s| {
            matches!(s, Scope::Database(_)) && s.covers(Some(database))
        })
    }

    pub(crate) fn take_login_failure(&self, database: &str) -> bool {
        take(&mut self.lock().fail_logins, |s| s.covers(Some(database)))
    }

    pub(crate) fn latency_for(&self, database: Option<&str>) -> Duration {
        self.lock()
            .latency
            .iter()
            .filter(|(s, _)| s.covers(database))
            .map(|(_, d)| *d)
            .sum()
    }

    /// The statement hook's decision for one statement of session `spid`.
    pub(crate) fn on_statement(&self, database: &str, sql: &str, spid: u16) -> HookAction {
        let mut set = self.lock();
        let db = Some(database);
        let mut cut = false;
        for (scope, left) in &mut set.cut_after_statements {
            if scope.covers(db) {
                if *left == 0 {
                    cut = true;
                } else {
                    *left -= 1;
                }
            }
        }
        if cut {
            set.cut_after_statements
                .retain(|(s, left)| !(s.covers(db) && *left == 0));
            return HookAction::CutConnection;
        }
        if let Some(i) = set
            .cut_mid_batch
            .iter()
            .position(|(s, re)| s.covers(db) && re.is_match(sql))
        {
            set.cut_mid_batch.remove(i);
            return HookAction::CutConnection;
        }
        match set
            .fail_statements
            .iter()
            .find(|(s, re, _)| s.covers(db) && re.is_match(sql))
        {
            Some((_, _, number)) => HookAction::Fail(injected_error(*number, spid, database)),
            None => HookAction::Continue,
        }
    }
}

/// SQL Server's message and severity for the errors tests inject most.
fn injected_error(number: u32, spid: u16, database: &str) -> SqlError {
    let (class, message) = match number {
        1205 => (
            13,
            format!(
                "Transaction (Process ID {spid}) was deadlocked on lock resources with another \
                 process and has been chosen as the deadlock victim. Rerun the transaction."
            ),
        ),
        1222 => (16, "Lock request time out period exceeded.".to_owned()),
        8134 => (16, "Divide by zero error encountered.".to_owned()),
        40501 => (
            20,
            "The service is currently busy. Retry the request after 10 seconds.".to_owned(),
        ),
        40613 => (
            17,
            format!(
                "Database '{database}' on server 'tds-test-server' is not currently available. \
                 Please retry the connection later."
            ),
        ),
        other => (
            16,
            format!("Injected fault: statement failed with error {other}."),
        ),
    };
    SqlError {
        number,
        state: 1,
        class,
        line: 1,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_faults_are_consumed_per_scope() {
        let faults = Faults::default();
        faults.refuse_connections(Scope::Server, 1);
        faults.refuse_connections(Scope::database("a"), 1);
        assert!(faults.take_connection_refusal());
        assert!(!faults.take_connection_refusal());
        assert!(!faults.take_login_refusal("b"));
        assert!(faults.take_login_refusal("A"));
        assert!(!faults.take_login_refusal("a"));

        faults.fail_logins(Scope::database("a"), 2);
        assert!(!faults.take_login_failure("b"));
        assert!(faults.take_login_failure("a"));
        assert!(faults.take_login_failure("a"));
        assert!(!faults.take_login_failure("a"));
    }

    #[test]
    fn latencies_add_up() {
        let faults = Faults::default();
        faults.latency(Scope::Server, Duration::from_millis(5));
        faults.latency(Scope::database("a"), Duration::from_millis(7));
        assert_eq!(faults.latency_for(Some("a")), Duration::from_millis(12));
        assert_eq!(faults.latency_for(Some("b")), Duration::from_millis(5));
        assert_eq!(faults.latency_for(None), Duration::from_millis(5));
        faults.clear();
        assert_eq!(faults.latency_for(Some("a")), Duration::ZERO);
    }

    #[test]
    fn cut_after_statements_lets_n_run_then_fires_once() {
        let faults = Faults::default();
        faults.cut_after_statements(Scope::database("a"), 2);
        let run = |db| faults.on_statement(db, "SELECT 1", 51);
        assert_eq!(run("b"), HookAction::Continue);
        assert_eq!(run("a"), HookAction::Continue);
        assert_eq!(run("a"), HookAction::Continue);
        assert_eq!(run("a"), HookAction::CutConnection);
        assert_eq!(run("a"), HookAction::Continue);
    }

    #[test]
    fn patterns_cut_once_and_fail_until_cleared() {
        let faults = Faults::default();
        faults
            .cut_mid_batch(Scope::Server, r"insert\s+into\s+t")
            .unwrap();
        faults
            .fail_statements(Scope::database("a"), "^select 2", 1205)
            .unwrap();
        assert_eq!(
            faults.on_statement("x", "INSERT INTO t VALUES (1)", 51),
            HookAction::CutConnection
        );
        assert_eq!(
            faults.on_statement("x", "INSERT INTO t VALUES (1)", 51),
            HookAction::Continue
        );
        for _ in 0..2 {
            match faults.on_statement("a", "SELECT 2", 60) {
                HookAction::Fail(e) => {
                    assert_eq!((e.number, e.class), (1205, 13));
                    assert!(e.message.contains("Process ID 60"));
                }
                other => panic!("expected a failure, got {other:?}"),
            }
        }
        assert_eq!(
            faults.on_statement("b", "SELECT 2", 60),
            HookAction::Continue
        );
        assert!(matches!(
            faults.fail_statements(Scope::Server, "(", 1),
            Err(ServerError::Pattern { .. })
        ));
    }
}
