//! The ledger's version cache, written in batches during a fleet run.
//!
//! Each finished workspace hands its observed version to a background writer
//! instead of upserting it itself: whatever arrived while the previous write
//! was in flight goes out as one statement and one commit. So 10,000
//! workspaces cost the control database tens of commits, not 10,000, and no
//! workspace task waits on the control database for a cache row. The channel
//! is bounded, so memory stays flat however far the fleet runs ahead.
//!
//! A failed write is a warning (the cache is a cache: the next run or
//! `status --refresh` rewrites it), never a workspace failure.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::fleet_run::push_warning;
use crate::control::{ControlDb, VersionRecord};

/// Records one write carries at most.
const BATCH: usize = 500;

/// Records waiting for the writer at most; a sender beyond it waits.
const BACKLOG: usize = 2 * BATCH;

/// The sending side, one clone per workspace task.
#[derive(Clone)]
pub(super) struct VersionCache {
    records: mpsc::Sender<VersionRecord>,
}

/// The writer task; [`finish`](VersionCacheWriter::finish) once every
/// [`VersionCache`] clone is dropped.
pub(super) struct VersionCacheWriter {
    task: JoinHandle<()>,
}

/// Starts the writer on `control`; failures go to `warnings`.
pub(super) fn start(
    control: ControlDb,
    warnings: Arc<Mutex<Vec<String>>>,
) -> (VersionCache, VersionCacheWriter) {
    let (records, mut incoming) = mpsc::channel(BACKLOG);
    let task = tokio::spawn(async move {
        let mut batch = Vec::with_capacity(BATCH);
        while incoming.recv_many(&mut batch, BATCH).await > 0 {
            if let Err(err) = control.update_version_cache(&batch).await {
                push_warning(
                    &warnings,
                    format!(
                        "ledger: cannot update the version cache for {} workspace(s): {err}",
                        batch.len()
                    ),
                );
            }
            batch.clear();
        }
    });
    (VersionCache { records }, VersionCacheWriter { task })
}

impl VersionCache {
    pub(super) async fn record(&self, record: VersionRecord) {
        // The writer only stops once every sender is gone.
        let _ = self.records.send(record).await;
    }
}

impl VersionCacheWriter {
    /// Waits until everything sent is written (or warned about).
    pub(super) async fn finish(self) {
        if let Err(err) = self.task.await {
            tracing::warn!(%err, "the version cache writer stopped");
        }
    }
}
