//! Issue #5 end to end: one workspace, the real `wsdb` binary, a real
//! PostgreSQL control database and the TDS test server (or a real SQL
//! Server with `WSDB_TEST_MSSQL_URL`; every test here runs unchanged
//! against one). On a real server the login needs VIEW SERVER STATE: the
//! lock tests read lock holders and waiting requests from
//! `sys.dm_tran_locks`. Nothing here sleeps to synchronise: a migration
//! that must stop part-way waits on an app lock the test holds
//! (`support::applock`).
//!
//! One file per topic: migrating and its failures, drift and databases
//! ahead of the code, rollback, baseline and provision, the lock under
//! concurrency and SIGKILL, the ledger, `no-transaction` failures, scripts
//! that misuse transactions, and the `verify_schema` library call.

mod ahead_and_drift;
mod baseline_provision;
mod concurrency;
mod kill;
mod ledger;
mod migrate;
mod no_transaction;
mod rollback;
mod transactions;
mod verify_schema;

use serde_json::Value;

use crate::support::project::Run;

/// The `workspaces` entry of `id` in a run document.
#[track_caller]
pub fn entry(run: &Run, id: &str) -> Value {
    let document = run.json();
    document["workspaces"]
        .as_array()
        .and_then(|lines| lines.iter().find(|l| l["workspace"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("no entry for `{id}` in:\n{run}"))
}

/// The `cause` of `id`'s entry ("" when there is none).
#[track_caller]
pub fn cause(run: &Run, id: &str) -> String {
    entry(run, id)["cause"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
