//! The workspace app lock on one session: `sp_getapplock` with session
//! owner on resource `wsdb`, Microsoft's return codes, release of this
//! session's own lock only, and who holds it (the DMVs, when visible).
//!
//! Taking the lock is the caller's decision; this file only speaks to the
//! server and keeps `holds_lock` true to what the server granted.

use std::time::Duration;

use crate::engine::{EngineError, LockHolder, LockOutcome, LockState, Phase};

use super::super::error::server_error;
use super::super::{rows, sql};
use super::{EngineResult, MssqlSession};

impl MssqlSession {
    /// `sp_getapplock` on `wsdb`, checking Microsoft's return codes.
    pub(super) async fn take_lock(&mut self, timeout: Duration) -> EngineResult<LockOutcome> {
        // sp_getapplock counts re-entrant requests; wsdb takes the lock once
        // per session and releases it once.
        if self.holds_lock {
            return Ok(LockOutcome::Acquired);
        }
        let millis = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        let resource = sql::LOCK_RESOURCE;
        // The server answers by itself when the lock timeout expires; the
        // client bound only guards against a server that never answers.
        let bound = timeout.saturating_add(self.statement_timeout);
        self.pristine = false;
        let results = self
            .results(
                sql::GET_APPLOCK,
                &[&resource, &millis],
                bound,
                Phase::Statement,
            )
            .await?;
        let code = results
            .iter()
            .flatten()
            .next()
            .map(|row| rows::integer(row, "result"))
            .transpose()?
            .flatten()
            .ok_or_else(|| EngineError::Protocol {
                message: "`sp_getapplock` returned no result code".to_owned(),
            })?;
        match code {
            0 | 1 => {
                self.holds_lock = true;
                Ok(LockOutcome::Acquired)
            }
            -1 => Ok(LockOutcome::Busy {
                holder: self.lock_holder().await?,
            }),
            other => Err(applock_failure("sp_getapplock", other)),
        }
    }

    /// Releases the lock if this session holds it; never another's.
    pub(super) async fn give_back_lock(&mut self) -> EngineResult<()> {
        if !self.holds_lock {
            return Ok(());
        }
        let resource = sql::LOCK_RESOURCE;
        self.pristine = false;
        let row = self.last_row(sql::RELEASE_APPLOCK, &[&resource]).await?;
        self.holds_lock = false;
        match rows::integer(&row, "result")? {
            Some(0) => Ok(()),
            other => {
                // The server and wsdb disagree about the lock: never pool this.
                self.tainted = true;
                Err(applock_failure("sp_releaseapplock", other.unwrap_or(-999)))
            }
        }
    }

    pub(super) async fn observe_lock(&mut self) -> EngineResult<LockState> {
        let resource = sql::LOCK_RESOURCE;
        let row = self.last_row(sql::TEST_APPLOCK, &[&resource]).await?;
        if rows::flag(&row, "free")?.unwrap_or(false) {
            Ok(LockState::Free)
        } else {
            Ok(LockState::Held {
                holder: self.lock_holder().await?,
            })
        }
    }

    /// Who holds the lock, when the server tells: the DMVs need VIEW SERVER
    /// STATE on real servers, and a refusal is an answer ("unknown"), not a
    /// failure.
    pub(super) async fn lock_holder(&mut self) -> EngineResult<Option<LockHolder>> {
        let timeout = self.statement_timeout;
        let pattern = sql::LOCK_RESOURCE_PATTERN;
        match self
            .results(sql::LOCK_HOLDER, &[&pattern], timeout, Phase::Statement)
            .await
        {
            Ok(results) => {
                let Some(row) = results.into_iter().flatten().next() else {
                    return Ok(None);
                };
                let named = |column: &str| -> EngineResult<Option<String>> {
                    Ok(rows::text(&row, column)?
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned))
                };
                Ok(Some(LockHolder {
                    session_id: rows::integer(&row, "request_session_id")?
                        .and_then(|id| i32::try_from(id).ok()),
                    login: named("login_name")?,
                    host: named("host_name")?,
                    program: named("program_name")?,
                }))
            }
            Err(EngineError::Server {
                number, message, ..
            }) => {
                tracing::debug!(number, %message, "cannot see the lock holder");
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }
}

/// `sp_getapplock`/`sp_releaseapplock` failures, per Microsoft's return
/// codes. A deadlock victim is reported as error 1205 so that it is retried
/// like any other deadlock.
fn applock_failure(procedure: &str, code: i64) -> EngineError {
    let meaning = match code {
        -1 => "the request timed out",
        -2 => "the request was cancelled",
        -3 => "the request was chosen as a deadlock victim",
        -999 => "parameter validation or other call error",
        _ => "an undocumented return code",
    };
    let number = if code == -3 { 1205 } else { 0 };
    server_error(
        number,
        0,
        16,
        0,
        &format!(
            "`{procedure}` on resource `{}` returned {code}: {meaning}",
            sql::LOCK_RESOURCE
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applock_return_codes_map_to_errors() {
        match applock_failure("sp_getapplock", -3) {
            error @ EngineError::Server { number: 1205, .. } => assert!(error.is_transient()),
            other => panic!("{other:?}"),
        }
        for (code, meaning) in [
            (-2, "cancelled"),
            (-999, "parameter validation"),
            (-7, "undocumented"),
        ] {
            match applock_failure("sp_getapplock", code) {
                EngineError::Server {
                    number: 0, message, ..
                } => {
                    assert!(
                        message.contains(meaning) && message.contains(&code.to_string()),
                        "{message}"
                    )
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
