//! [`ControlError`], the one error type of the control layer, and the
//! redaction that keeps the control URL's password out of it.
//!
//! Every message is built from structured fields; driver messages only ever
//! enter as a `cause` that went through [`Redactor::clean`] first. This file
//! does not decide exit codes or print anything: the CLI does.

use std::fmt;

use thiserror::Error;

/// Everything that can go wrong talking to the control database.
#[derive(Debug, Error)]
pub enum ControlError {
    #[error(
        "`control_url` is not a valid PostgreSQL URL: {cause}\nhint: the form is `postgres://user@host:5432/database?sslmode=require`"
    )]
    InvalidUrl { cause: String },

    #[error("cannot reach the control database at `{host}:{port}`: {cause}")]
    Connect {
        host: String,
        port: u16,
        cause: String,
    },

    #[error(
        "the workspaces query failed: {cause}\nhint: run the env's `workspaces` query in psql to see the problem"
    )]
    WorkspacesQuery { cause: String },

    #[error("the workspaces query returned no column {}; it returned {}\nhint: the query must return `id` and either `host`, `port`, `database` or `connection_string` (alias columns with `AS`)", names(.missing), names(.returned))]
    MissingColumns {
        missing: Vec<String>,
        returned: Vec<String>,
    },

    #[error(
        "the workspaces query returned column `{column}` twice\nhint: alias one of them with `AS`"
    )]
    DuplicateColumn { column: String },

    #[error(
        "column `{column}` of the workspaces query has type `{found}`, expected {expected}\nhint: cast it in the query, e.g. `{column}::text`"
    )]
    ColumnType {
        column: String,
        expected: &'static str,
        found: String,
    },

    #[error("control database statement `{operation}` failed: {cause}")]
    Statement {
        operation: &'static str,
        cause: String,
    },

    #[error(
        "wsdb's schema is missing from the control database\nhint: run `wsdb control init` (or any command that writes the ledger)"
    )]
    SchemaMissing,

    #[error(
        "wsdb's schema in the control database is at version {found}, this wsdb expects {latest}\nhint: run `wsdb control init` to upgrade it"
    )]
    SchemaBehind { found: i64, latest: i64 },

    #[error(
        "wsdb's schema in the control database is at version {found}, newer than this wsdb knows ({latest})\nhint: upgrade wsdb, or use `--no-ledger`"
    )]
    SchemaTooNew { found: i64, latest: i64 },

    #[error(
        "wsdb's schema migration {version} is marked as failed in `wsdb.schema_migrations`\nhint: a human must look at the control database, then delete that row and run `wsdb control init`"
    )]
    SchemaDirty { version: i64 },

    #[error("applying wsdb's schema to the control database failed: {cause}")]
    SchemaMigration { cause: String },

    #[error("run {run_id} is not in the ledger\nhint: `wsdb runs` lists the recorded runs")]
    UnknownRun { run_id: i64 },

    #[error(
        "`{found}` is not a run id, expected a positive integer\nhint: `wsdb runs` lists the recorded runs"
    )]
    InvalidRunId { found: String },

    #[error("the ledger holds `{found}` in `{table}.{column}`, which this wsdb cannot read")]
    CorruptValue {
        table: &'static str,
        column: &'static str,
        found: String,
    },
}

/// `a`, `b` as "`a`, `b`" (or "no columns at all").
fn names(list: &[String]) -> String {
    if list.is_empty() {
        return "no columns at all".to_owned();
    }
    list.iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Removes the control URL's password from driver messages before they become
/// part of a [`ControlError`]. Drivers do not normally echo it, but a message
/// quoting a URL or a connection parameter would, and one leaked password
/// costs more than this check (issue: secrets never reach output).
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor for the passwords a control URL carries, in the user-info
    /// part or as a `password` query parameter, both as written and decoded.
    pub fn for_url(url: &str) -> Redactor {
        let mut secrets = Vec::new();
        if let Ok(parsed) = url::Url::parse(url) {
            if let Some(password) = parsed.password() {
                secrets.push(password.to_owned());
                let decoded = percent_encoding::percent_decode_str(password).decode_utf8_lossy();
                secrets.push(decoded.into_owned());
            }
            for (key, value) in parsed.query_pairs() {
                if key.eq_ignore_ascii_case("password") {
                    secrets.push(value.into_owned());
                }
            }
        }
        // Longest first, so a password containing another is removed whole.
        secrets.retain(|secret| !secret.is_empty());
        secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        secrets.dedup();
        Redactor { secrets }
    }

    /// `message` with every known secret replaced by `***`.
    pub fn clean(&self, message: &str) -> String {
        self.secrets
            .iter()
            .fold(message.to_owned(), |text, secret| {
                text.replace(secret, "***")
            })
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

/// A short cause for a driver error: the server's own message (with its
/// SQLSTATE) rather than sqlx's wrapping sentence, which adds nothing.
pub fn describe(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(db) => match db.code() {
            Some(code) => format!("{} (SQLSTATE {code})", db.message()),
            None => db.message().to_owned(),
        },
        sqlx::Error::Io(io) => io.to_string(),
        sqlx::Error::PoolTimedOut => "timed out waiting for a connection".to_owned(),
        sqlx::Error::PoolClosed => "the connection pool was closed".to_owned(),
        other => other.to_string(),
    }
}

/// Whether `error` means the server could not be reached or the connection
/// broke, as opposed to a statement the server refused.
pub fn is_connection_failure(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
    )
}

/// Whether `error` is PostgreSQL's foreign-key violation (SQLSTATE 23503):
/// a ledger row naming a run that does not exist.
pub fn is_foreign_key_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.code().as_deref() == Some("23503"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redactor_removes_userinfo_and_query_passwords() {
        let cases = [
            (
                "postgres://app:hunter2@db:5432/app",
                "login hunter2 failed",
                "login *** failed",
            ),
            (
                "postgres://app:p%40ss@db/app",
                "bad p@ss and p%40ss",
                "bad *** and ***",
            ),
            (
                "postgres://app@db/app?password=s3cret",
                "echo s3cret",
                "echo ***",
            ),
            (
                "postgres://app@db/app",
                "nothing to hide",
                "nothing to hide",
            ),
            ("not a url", "not a url", "not a url"),
        ];
        for (url, message, expected) in cases {
            assert_eq!(Redactor::for_url(url).clean(message), expected, "{url}");
        }
    }

    #[test]
    fn redactor_debug_does_not_show_secrets() {
        let redactor = Redactor::for_url("postgres://app:hunter2@db/app");
        assert!(!format!("{redactor:?}").contains("hunter2"));
    }

    #[test]
    fn missing_columns_lists_both_sides() {
        let error = ControlError::MissingColumns {
            missing: vec!["port".into()],
            returned: vec!["id".into(), "host".into()],
        };
        let text = error.to_string();
        assert!(text.starts_with(
            "the workspaces query returned no column `port`; it returned `id`, `host`\n"
        ));
        let error = ControlError::MissingColumns {
            missing: vec!["id".into()],
            returned: vec![],
        };
        assert!(error.to_string().contains("it returned no columns at all"));
    }

    #[test]
    fn messages_are_lower_case_with_hint_on_second_line_only() {
        let errors = [
            ControlError::InvalidUrl { cause: "x".into() },
            ControlError::Connect {
                host: "db".into(),
                port: 5432,
                cause: "connection refused".into(),
            },
            ControlError::SchemaTooNew {
                found: 3,
                latest: 1,
            },
            ControlError::UnknownRun { run_id: 7 },
        ];
        for error in errors {
            let text = error.to_string();
            let first = text.lines().next().unwrap_or_default();
            assert!(
                first.starts_with(|c: char| c.is_lowercase() || c == '`'),
                "{text}"
            );
            assert!(text.lines().count() <= 2, "{text}");
            if let Some(second) = text.lines().nth(1) {
                assert!(second.starts_with("hint: "), "{text}");
            }
        }
    }
}
