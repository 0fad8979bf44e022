//! Claims and leases for cooperative runners (`--queue`, issue #7).
//!
//! Each workspace of a queued run has one claim row. A runner takes the next
//! pending claim — or one whose lease expired, because its runner died — with
//! `FOR UPDATE SKIP LOCKED`, so concurrent runners never wait on each other
//! and never take the same claim. Leases are measured on the database's
//! clock (`now()`), never a runner's, so clock skew between pods cannot hand
//! one workspace to two runners. A claim is fenced by its attempt number:
//! a runner whose lease was taken over can neither renew nor complete it,
//! even if a restarted runner reuses its id.
//!
//! Not here: deciding lease lengths or renewal cadence (the fleet runner),
//! or what to do with a claim that keeps expiring (`Claim::attempt` tells).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, Row};

use super::ledger::{NewRun, RunId, WorkspaceRecord};
use super::{ControlDb, ControlError};
use crate::workspace::WorkspaceId;

/// A queued run as a runner sees it after [`ControlDb::start_queue_run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QueueRun {
    pub id: RunId,
    /// True for the runner that created the run (and enqueued its
    /// selection); false for the runners that joined it.
    pub created: bool,
}

/// A workspace a runner holds a lease on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    pub run_id: RunId,
    pub workspace_id: WorkspaceId,
    pub runner_id: String,
    /// 1 for the first claim of this workspace in this run; higher means
    /// earlier holders lost their lease (a crash, or a workspace that keeps
    /// killing its runner).
    pub attempt: u32,
    /// On the database's clock.
    pub lease_expires_at: DateTime<Utc>,
}

/// Claims of a run by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueueProgress {
    pub pending: u64,
    /// Claimed with a live lease.
    pub claimed: u64,
    /// Claimed, but the lease ran out: the next claimer takes it over.
    pub expired: u64,
    pub done: u64,
}

impl QueueProgress {
    /// Whether every claim is done (true for a run with no claims).
    pub fn is_complete(&self) -> bool {
        self.pending + self.claimed + self.expired == 0
    }
}

/// The fence of every write to a held claim: the row is still claimed by
/// this runner in this attempt ($1 run, $2 workspace, $3 runner, $4
/// attempt). A runner whose lease was taken over matches nothing.
macro_rules! held_claim {
    () => {
        "WHERE run_id = $1 AND workspace_id = $2 AND state = 'claimed' \
         AND runner_id = $3 AND attempts = $4"
    };
}

/// Longest lease honoured: a year. Longer ones are cut to it rather than
/// overflowing PostgreSQL's interval arithmetic.
const MAX_LEASE_MS: i64 = 365 * 24 * 3600 * 1000;

/// Milliseconds for an interval bind.
fn lease_ms(lease: Duration) -> i64 {
    i64::try_from(lease.as_millis()).map_or(MAX_LEASE_MS, |ms| ms.min(MAX_LEASE_MS))
}

/// PostgreSQL's unique violation (SQLSTATE 23505).
fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.code().as_deref() == Some("23505"))
}

impl ControlDb {
    /// Joins the queued run still running under `key`, or starts it: the
    /// runner that starts it records `run` and enqueues its selection in the
    /// same transaction, so a joiner never sees a run without its claims.
    pub async fn start_queue_run(&self, run: &NewRun, key: &str) -> Result<QueueRun, ControlError> {
        self.ensure_schema().await?;
        // Two creators racing on one key: the loser's insert hits the unique
        // index, rolls back, and finds the winner's run on the next pass.
        for _ in 0..3 {
            let mut tx = self
                .pool()
                .begin()
                .await
                .map_err(|e| self.fail("start queue run", e))?;
            let existing: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM wsdb.runs WHERE queue_key = $1 AND outcome = 'running'",
            )
            .bind(key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(|e| self.fail("start queue run", e))?;
            if let Some(id) = existing.and_then(RunId::new) {
                let _ = tx.rollback().await;
                return Ok(QueueRun { id, created: false });
            }
            let id = match super::ledger::insert_run(&mut tx, run, Some(key)).await {
                Ok(id) => id,
                Err(error) if is_unique_violation(&error) => continue,
                Err(error) => return Err(self.fail("start queue run", error)),
            };
            insert_claims(&mut tx, id, &run.selection)
                .await
                .map_err(|e| self.fail("start queue run", e))?;
            tx.commit()
                .await
                .map_err(|e| self.fail("start queue run", e))?;
            return Ok(QueueRun { id, created: true });
        }
        Err(ControlError::Statement {
            operation: "start queue run",
            cause: format!("the run under key `{key}` kept appearing and finishing"),
        })
    }

    /// Adds claims for `ids` (in this order) to `run_id`; ids already
    /// queued are left as they are. Returns how many were added.
    pub async fn enqueue(&self, run_id: RunId, ids: &[WorkspaceId]) -> Result<u64, ControlError> {
        self.ensure_schema().await?;
        let mut connection = self
            .pool()
            .acquire()
            .await
            .map_err(|e| self.fail("enqueue", e))?;
        insert_claims(&mut connection, run_id, ids)
            .await
            .map_err(|e| self.run_write_error(run_id, "enqueue", e))
    }

    /// Takes the next pending or lease-expired claim of `run_id` for
    /// `runner`, leased for `lease`; `None` when nothing is left to take.
    pub async fn claim(
        &self,
        run_id: RunId,
        runner: &str,
        lease: Duration,
    ) -> Result<Option<Claim>, ControlError> {
        self.claim_except(run_id, runner, lease, &[]).await
    }

    /// Like [`claim`](Self::claim), but never takes the claims of `except`:
    /// the workspaces a runner's own selection does not have (runners of one
    /// run started with different selections). Holding a claim it cannot
    /// work on would only make the other runners wait out its lease.
    pub async fn claim_except(
        &self,
        run_id: RunId,
        runner: &str,
        lease: Duration,
        except: &[WorkspaceId],
    ) -> Result<Option<Claim>, ControlError> {
        self.ensure_schema().await?;
        let except: Vec<&str> = except.iter().map(WorkspaceId::as_str).collect();
        let row = sqlx::query(
            "WITH next AS (
                 SELECT run_id, workspace_id FROM wsdb.claims
                 WHERE run_id = $1 AND state <> 'done'
                   AND (state = 'pending' OR lease_expires_at <= now())
                   AND workspace_id <> ALL($4::text[])
                 ORDER BY seq
                 LIMIT 1
                 FOR UPDATE SKIP LOCKED
             )
             UPDATE wsdb.claims c
             SET state = 'claimed', runner_id = $2, attempts = c.attempts + 1,
                 lease_expires_at = now() + $3::bigint * interval '1 millisecond',
                 claimed_at = now()
             FROM next
             WHERE c.run_id = next.run_id AND c.workspace_id = next.workspace_id
             RETURNING c.workspace_id, c.attempts, c.lease_expires_at",
        )
        .bind(run_id.get())
        .bind(runner)
        .bind(lease_ms(lease))
        .bind(&except)
        .fetch_optional(self.pool())
        .await
        .map_err(|e| self.fail("claim", e))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let corrupt = |e: sqlx::Error| ControlError::CorruptValue {
            table: "wsdb.claims",
            column: "*",
            found: e.to_string(),
        };
        let attempts: i32 = row.try_get("attempts").map_err(corrupt)?;
        Ok(Some(Claim {
            run_id,
            workspace_id: WorkspaceId(row.try_get("workspace_id").map_err(corrupt)?),
            runner_id: runner.to_owned(),
            attempt: u32::try_from(attempts).unwrap_or(0),
            lease_expires_at: row.try_get("lease_expires_at").map_err(corrupt)?,
        }))
    }

    /// Extends `claim`'s lease to `lease` from now. False when the runner no
    /// longer holds it (another runner took it over, or it is done): the
    /// runner should stop working on the workspace as soon as it safely can.
    pub async fn renew(&self, claim: &Claim, lease: Duration) -> Result<bool, ControlError> {
        self.ensure_schema().await?;
        let done = sqlx::query(concat!(
            "UPDATE wsdb.claims
             SET lease_expires_at = now() + $5::bigint * interval '1 millisecond' ",
            held_claim!()
        ))
        .bind(claim.run_id.get())
        .bind(claim.workspace_id.as_str())
        .bind(&claim.runner_id)
        .bind(attempts_bind(claim))
        .bind(lease_ms(lease))
        .execute(self.pool())
        .await
        .map_err(|e| self.fail("renew lease", e))?;
        Ok(done.rows_affected() == 1)
    }

    /// Closes `claim` and records `record` for its workspace, atomically,
    /// if the runner still holds the claim; returns whether it did. A lease
    /// that ran out but was not taken over is still held. The record is
    /// stored under the claim's workspace and runner ids.
    pub async fn complete(
        &self,
        claim: &Claim,
        record: &WorkspaceRecord,
    ) -> Result<bool, ControlError> {
        self.ensure_schema().await?;
        let mut tx = self
            .pool()
            .begin()
            .await
            .map_err(|e| self.fail("complete claim", e))?;
        let closed = sqlx::query(concat!(
            "UPDATE wsdb.claims
             SET state = 'done', done_at = now(), lease_expires_at = NULL ",
            held_claim!()
        ))
        .bind(claim.run_id.get())
        .bind(claim.workspace_id.as_str())
        .bind(&claim.runner_id)
        .bind(attempts_bind(claim))
        .execute(&mut *tx)
        .await
        .map_err(|e| self.fail("complete claim", e))?;
        if closed.rows_affected() != 1 {
            let _ = tx.rollback().await;
            return Ok(false);
        }
        let record = WorkspaceRecord {
            workspace_id: claim.workspace_id.clone(),
            runner_id: claim.runner_id.clone(),
            ..record.clone()
        };
        super::ledger::upsert_record(&mut tx, claim.run_id, &record)
            .await
            .map_err(|e| self.fail("complete claim", e))?;
        tx.commit()
            .await
            .map_err(|e| self.fail("complete claim", e))?;
        Ok(true)
    }

    /// Claims of `run_id` by state, on the database's clock.
    pub async fn run_progress(&self, run_id: RunId) -> Result<QueueProgress, ControlError> {
        self.require_schema().await?;
        let counts: (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE state = 'pending'),
                    count(*) FILTER (WHERE state = 'claimed' AND lease_expires_at > now()),
                    count(*) FILTER (WHERE state = 'claimed' AND lease_expires_at <= now()),
                    count(*) FILTER (WHERE state = 'done')
             FROM wsdb.claims WHERE run_id = $1",
        )
        .bind(run_id.get())
        .fetch_one(self.pool())
        .await
        .map_err(|e| self.fail("queue progress", e))?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(QueueProgress {
            pending: count(counts.0),
            claimed: count(counts.1),
            expired: count(counts.2),
            done: count(counts.3),
        })
    }

    /// Claims of `run_id` not done yet, leaving out `except` (see
    /// [`claim_except`](Self::claim_except)): zero means nothing is left
    /// that a runner without those workspaces could ever take over.
    pub async fn open_claims_except(
        &self,
        run_id: RunId,
        except: &[WorkspaceId],
    ) -> Result<u64, ControlError> {
        self.require_schema().await?;
        let except: Vec<&str> = except.iter().map(WorkspaceId::as_str).collect();
        let open: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM wsdb.claims
             WHERE run_id = $1 AND state <> 'done' AND workspace_id <> ALL($2::text[])",
        )
        .bind(run_id.get())
        .bind(&except)
        .fetch_one(self.pool())
        .await
        .map_err(|e| self.fail("queue progress", e))?;
        Ok(u64::try_from(open).unwrap_or(0))
    }

    /// The workspaces `run_id` queues, in enqueue order.
    pub async fn queued_workspaces(&self, run_id: RunId) -> Result<Vec<WorkspaceId>, ControlError> {
        self.require_schema().await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT workspace_id FROM wsdb.claims WHERE run_id = $1 ORDER BY seq",
        )
        .bind(run_id.get())
        .fetch_all(self.pool())
        .await
        .map_err(|e| self.fail("queued workspaces", e))?;
        Ok(ids.into_iter().map(WorkspaceId).collect())
    }

    /// Whether every claim of `run_id` is done.
    pub async fn is_complete(&self, run_id: RunId) -> Result<bool, ControlError> {
        self.run_progress(run_id).await.map(|p| p.is_complete())
    }
}

/// The attempt as the INTEGER column stores it; a claim only ever comes from
/// [`ControlDb::claim`], so it fits, and a forged one simply matches nothing.
fn attempts_bind(claim: &Claim) -> i32 {
    i32::try_from(claim.attempt).unwrap_or(-1)
}

/// Inserts claims for `ids` in order, skipping ids already queued.
async fn insert_claims(
    connection: &mut PgConnection,
    run_id: RunId,
    ids: &[WorkspaceId],
) -> Result<u64, sqlx::Error> {
    let ids: Vec<&str> = ids.iter().map(WorkspaceId::as_str).collect();
    let done = sqlx::query(
        "INSERT INTO wsdb.claims (run_id, workspace_id)
         SELECT $1, s.id FROM unnest($2::text[]) WITH ORDINALITY AS s(id, n)
         ORDER BY s.n
         ON CONFLICT (run_id, workspace_id) DO NOTHING",
    )
    .bind(run_id.get())
    .bind(&ids)
    .execute(connection)
    .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_complete_only_without_open_claims() {
        let cases = [
            (QueueProgress::default(), true),
            (
                QueueProgress {
                    done: 3,
                    ..Default::default()
                },
                true,
            ),
            (
                QueueProgress {
                    pending: 1,
                    done: 3,
                    ..Default::default()
                },
                false,
            ),
            (
                QueueProgress {
                    claimed: 1,
                    ..Default::default()
                },
                false,
            ),
            (
                QueueProgress {
                    expired: 1,
                    ..Default::default()
                },
                false,
            ),
        ];
        for (progress, expected) in cases {
            assert_eq!(progress.is_complete(), expected, "{progress:?}");
        }
    }

    #[test]
    fn lease_milliseconds_are_capped() {
        assert_eq!(lease_ms(Duration::from_millis(1500)), 1500);
        assert_eq!(lease_ms(Duration::ZERO), 0);
        assert_eq!(lease_ms(Duration::from_secs(400 * 24 * 3600)), MAX_LEASE_MS);
        assert_eq!(lease_ms(Duration::MAX), MAX_LEASE_MS);
    }
}
