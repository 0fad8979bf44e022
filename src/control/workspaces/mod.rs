//! The env's `workspaces` query: run as the user wrote it, its rows streamed
//! and mapped to [`Workspace`]s.
//!
//! The query is prepared first, so a missing or unreadable column is refused
//! before any row is fetched; rows are then decoded one at a time from the
//! stream (the raw result is never held whole). A bad row rejects only itself
//! ([`RejectedRow`]); the others still come back. The query runs in a
//! read-only transaction: it is the user's own SQL, and a mistake in it must
//! not be able to write to their database.
//!
//! Not here: parsing `connection_string` (the engine's job; it is kept as a
//! [`crate::config::Secret`]) and overlaying the env's `[mssql]` defaults.

mod columns;
mod rows;

pub use rows::RowProblem;

use std::collections::HashMap;

use futures_util::TryStreamExt;
use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, Column, Connection, Executor, Row, SqlSafeStr, Statement};

use super::{ControlDb, ControlError};
use crate::workspace::Workspace;
use columns::{ColumnMap, Field, ValueKind};
use rows::{Cell, RawRow, Shape};

/// The result of the `workspaces` query: the usable workspaces in query
/// order, and every row that was not usable, with why.
#[derive(Debug, Default)]
pub struct WorkspaceRows {
    pub workspaces: Vec<Workspace>,
    pub rejected: Vec<RejectedRow>,
}

/// One row of the `workspaces` query that is not a usable workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    /// 1-based position of the row in the query's result.
    pub index: usize,
    /// The row's id, when it has one.
    pub id: Option<String>,
    pub problem: RowProblem,
}

impl ControlDb {
    /// Runs the env's `workspaces` query and maps its rows. Fails as a whole
    /// only when the query itself cannot run or lacks a required column;
    /// per-row problems are in [`WorkspaceRows::rejected`].
    pub async fn fetch_workspaces(&self, query: &str) -> Result<WorkspaceRows, ControlError> {
        // The connection `connect` opened when there is one: commands that
        // need nothing else from the control database then open no other.
        let mut spare = self.take_spare();
        let mut tx = match spare.as_mut() {
            Some(connection) => connection.begin_with("BEGIN READ ONLY").await,
            None => self.pool().begin_with("BEGIN READ ONLY").await,
        }
        .map_err(|e| self.fail("begin read only", e))?;
        // The text is the user's own query from wsdb.toml, run as written;
        // wsdb adds nothing to it, and the transaction is read-only.
        let statement = (&mut *tx)
            .prepare(AssertSqlSafe(query.to_owned()).into_sql_str())
            .await
            .map_err(|e| self.query_error(e))?;
        let named: Vec<(String, ValueKind)> = statement
            .columns()
            .iter()
            .map(|c| (c.name().to_owned(), ValueKind::of(c.type_info())))
            .collect();
        let map = ColumnMap::build(&named)?;
        let mut mapper = RowMapper::new(map);
        let mut stream = statement.query().fetch(&mut *tx);
        while let Some(row) = stream.try_next().await.map_err(|e| self.query_error(e))? {
            mapper.push(&row);
        }
        drop(stream);
        // Nothing was written; ending the transaction just frees the
        // connection. A failure here does not change the result.
        let _ = tx.rollback().await;
        if let Some(connection) = spare {
            let _ = connection.close().await;
        }
        Ok(mapper.finish())
    }

    fn query_error(&self, error: sqlx::Error) -> ControlError {
        match self.fail("workspaces query", error) {
            ControlError::Statement { cause, .. } => ControlError::WorkspacesQuery { cause },
            other => other,
        }
    }
}

/// Folds rows into [`WorkspaceRows`], remembering where each id first
/// appeared so that a later duplicate can point at it.
struct RowMapper {
    map: ColumnMap,
    shape: Shape,
    first_seen: HashMap<String, usize>,
    index: usize,
    result: WorkspaceRows,
}

impl RowMapper {
    fn new(map: ColumnMap) -> RowMapper {
        let shape = Shape {
            has_parts: map.has_parts(),
            has_connection_string: map.has_connection_string(),
        };
        RowMapper {
            map,
            shape,
            first_seen: HashMap::new(),
            index: 0,
            result: WorkspaceRows::default(),
        }
    }

    fn push(&mut self, row: &PgRow) {
        self.index += 1;
        let index = self.index;
        let raw = match decode(&self.map, row) {
            Ok(raw) => raw,
            Err((id, problem)) => return self.reject(index, id, problem),
        };
        let id = match rows::check_id(&raw) {
            Ok(id) => id,
            Err(problem) => return self.reject(index, raw.id(), problem),
        };
        if let Some(first_index) = self.first_seen.get(id.as_str()) {
            let problem = RowProblem::DuplicateId {
                first_index: *first_index,
            };
            return self.reject(index, Some(id.0), problem);
        }
        self.first_seen.insert(id.0.clone(), index);
        match rows::to_workspace(id.clone(), &raw, self.shape) {
            Ok(workspace) => self.result.workspaces.push(workspace),
            Err(problem) => self.reject(index, Some(id.0), problem),
        }
    }

    fn reject(&mut self, index: usize, id: Option<String>, problem: RowProblem) {
        self.result
            .rejected
            .push(RejectedRow { index, id, problem });
    }

    fn finish(self) -> WorkspaceRows {
        self.result
    }
}

/// Decodes the understood cells of `row`. The id comes first in
/// [`Field::ALL`], so a problem in another column can still name the row.
fn decode(map: &ColumnMap, row: &PgRow) -> Result<RawRow, (Option<String>, RowProblem)> {
    let mut raw = RawRow::default();
    for field in Field::ALL {
        let Some((index, kind)) = map.get(field) else {
            continue;
        };
        match decode_cell(row, *index, kind) {
            Ok(cell) => raw.set(field, cell),
            Err(error) => {
                let problem = RowProblem::Undecodable {
                    column: field.name(),
                    cause: error.to_string(),
                };
                return Err((raw.id(), problem));
            }
        }
    }
    Ok(raw)
}

fn decode_cell(row: &PgRow, index: usize, kind: &ValueKind) -> Result<Option<Cell>, sqlx::Error> {
    Ok(match kind {
        ValueKind::Text => row.try_get::<Option<String>, _>(index)?.map(Cell::Text),
        ValueKind::PaddedText => row
            .try_get::<Option<String>, _>(index)?
            .map(|text| Cell::Text(text.trim_end_matches(' ').to_owned())),
        ValueKind::Int2 => row
            .try_get::<Option<i16>, _>(index)?
            .map(|v| Cell::Int(v.into())),
        ValueKind::Int4 => row
            .try_get::<Option<i32>, _>(index)?
            .map(|v| Cell::Int(v.into())),
        ValueKind::Int8 => row.try_get::<Option<i64>, _>(index)?.map(Cell::Int),
        ValueKind::Uuid => row
            .try_get::<Option<uuid::Uuid>, _>(index)?
            .map(|v| Cell::Text(v.hyphenated().to_string())),
        // The column map accepts no field of another type.
        ValueKind::Other(_) => None,
    })
}
