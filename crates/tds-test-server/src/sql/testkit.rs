//! Helpers for the SQL side's unit tests: a catalog with a database, a
//! session on it, and ways to look into the replies of a batch.

use super::{Catalog, Column, EnvChange, Reply, Session, SessionInfo, SqlError, Value};

pub(crate) fn info(spid: u16, database: &str) -> SessionInfo {
    SessionInfo {
        spid,
        database: database.into(),
        login: "tester".into(),
        host: "test-host".into(),
        program: "unit-tests".into(),
    }
}

/// A catalog with database `app` and a session (spid 51) on it.
pub(crate) fn session() -> (Catalog, Session) {
    let catalog = Catalog::new().expect("catalog");
    catalog.create_database("app").expect("database");
    let session = catalog.open_session(info(51, "app")).expect("session");
    (catalog, session)
}

pub(crate) trait Replies {
    fn errors(&self) -> Vec<&SqlError>;
    fn error_numbers(&self) -> Vec<u32>;
    fn result_sets(&self) -> Vec<(&Vec<Column>, &Vec<Vec<Value>>)>;
    /// The rows of the last result set.
    fn rows(&self) -> Vec<Vec<Value>>;
    /// The first cell of the last result set.
    fn scalar(&self) -> Value;
    fn env_changes(&self) -> Vec<&EnvChange>;
    fn infos(&self) -> Vec<String>;
    fn done_counts(&self) -> Vec<Option<u64>>;
}

impl Replies for Vec<Reply> {
    fn errors(&self) -> Vec<&SqlError> {
        self.iter()
            .filter_map(|r| {
                if let Reply::Error(e) = r {
                    Some(e)
                } else {
                    None
                }
            })
            .collect()
    }

    fn error_numbers(&self) -> Vec<u32> {
        self.errors().iter().map(|e| e.number).collect()
    }

    fn result_sets(&self) -> Vec<(&Vec<Column>, &Vec<Vec<Value>>)> {
        self.iter()
            .filter_map(|r| {
                if let Reply::ResultSet { columns, rows } = r {
                    Some((columns, rows))
                } else {
                    None
                }
            })
            .collect()
    }

    fn rows(&self) -> Vec<Vec<Value>> {
        self.result_sets()
            .last()
            .map(|(_, rows)| (*rows).clone())
            .unwrap_or_else(|| panic!("no result set in {self:#?}"))
    }

    fn scalar(&self) -> Value {
        self.rows()
            .first()
            .and_then(|r| r.first())
            .cloned()
            .unwrap_or_else(|| panic!("no row in {self:#?}"))
    }

    fn env_changes(&self) -> Vec<&EnvChange> {
        self.iter()
            .filter_map(|r| {
                if let Reply::EnvChange(e) = r {
                    Some(e)
                } else {
                    None
                }
            })
            .collect()
    }

    fn infos(&self) -> Vec<String> {
        self.iter()
            .filter_map(|r| {
                if let Reply::Info { message, .. } = r {
                    Some(message.clone())
                } else {
                    None
                }
            })
            .collect()
    }

    fn done_counts(&self) -> Vec<Option<u64>> {
        self.iter()
            .filter_map(|r| {
                if let Reply::Done { row_count } = r {
                    Some(*row_count)
                } else {
                    None
                }
            })
            .collect()
    }
}

/// Runs a batch that must not fail and returns its replies.
pub(crate) async fn ok(session: &mut Session, sql: &str) -> Vec<Reply> {
    let replies = session.execute(sql, &[]).await;
    assert!(
        replies.errors().is_empty(),
        "{sql}\n{:#?}",
        replies.errors()
    );
    replies
}

pub(crate) fn text(s: &str) -> Value {
    Value::NVarChar(s.to_string())
}
