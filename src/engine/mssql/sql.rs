//! Every SQL text wsdb itself sends to a SQL Server workspace database, in
//! one place, plus the one function that splices an identifier into SQL.
//!
//! Values always travel as parameters (`@P1`, `@P2`, ...) through
//! `sp_executesql`; the only identifier ever spliced is the database name of
//! `CREATE DATABASE`, which goes through [`quote_identifier`]. Migration
//! batches are not here: they are user text sent verbatim as raw batches by
//! the session. The TDS test server implements exactly these forms, so keep
//! to them (or simpler) when changing one.

/// The app lock resource every changing command holds (DESIGN.md).
pub const LOCK_RESOURCE: &str = "wsdb";

/// `sys.dm_tran_locks.resource_description` of an app lock reads
/// `<principal id>:[<resource>]:(<hash>)`; `[[]` is LIKE's escape for `[`.
pub const LOCK_RESOURCE_PATTERN: &str = "%:[[]wsdb]:%";

/// Health check: one round trip, no side effect.
pub const PING: &str = "SELECT 1";

/// Where the session is and whether a transaction is open.
pub const SESSION_STATE: &str = "SELECT DB_NAME() AS db, @@TRANCOUNT AS trancount";

/// Undo what a command may have left in the session, then report the state.
/// One round trip: the pool runs it on every return.
pub const RESET: &str = "IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION; SET XACT_ABORT OFF; \
                         SELECT DB_NAME() AS db, @@TRANCOUNT AS trancount;";

pub const SERVER_INFO: &str = "SELECT CAST(SERVERPROPERTY('ProductVersion') AS NVARCHAR(128)) \
                               AS product_version, @@VERSION AS banner, DB_NAME() AS db";

pub const PERMISSIONS: &str = "SELECT HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'CREATE TABLE') \
                               AS can_create, HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'ALTER') \
                               AS can_alter";

pub const CREATE_HISTORY: &str = "IF OBJECT_ID(N'dbo.wsdb_history', N'U') IS NULL \
     CREATE TABLE dbo.wsdb_history (version BIGINT NOT NULL PRIMARY KEY, \
     name NVARCHAR(400) NOT NULL, checksum CHAR(64) NOT NULL, applied_at DATETIME2 NOT NULL, \
     duration_ms BIGINT NOT NULL, applied_by NVARCHAR(256) NOT NULL, \
     wsdb_version NVARCHAR(64) NOT NULL, success BIT NOT NULL)";

/// The tail of both history reads: the rows, only when the table exists.
/// The table is named only inside the `IF`, so a batch ending with this
/// also compiles and runs in a database without it (deferred name
/// resolution).
macro_rules! history_rows_if_exists {
    () => {
        "IF OBJECT_ID(N'dbo.wsdb_history', N'U') IS NOT NULL \
         SELECT version, name, checksum, applied_at, duration_ms, applied_by, wsdb_version, \
         success FROM dbo.wsdb_history ORDER BY version;"
    };
}

/// Whether the history table exists (`id`, NULL when not) and, only when it
/// does, its rows: one round trip, not two.
pub const READ_HISTORY: &str = concat!(
    "SELECT OBJECT_ID(N'dbo.wsdb_history', N'U') AS id; ",
    history_rows_if_exists!()
);

/// @P1 resource. What `status` reads, in one round trip: whether the lock
/// is free (as [`TEST_APPLOCK`]) and the history (as [`READ_HISTORY`]).
pub const STATUS: &str = concat!(
    "SELECT APPLOCK_TEST('public', @P1, 'Exclusive', 'Session') AS free, \
     OBJECT_ID(N'dbo.wsdb_history', N'U') AS id; ",
    history_rows_if_exists!()
);

/// @P1 version, @P2 name, @P3 checksum, @P4 duration_ms, @P5 applied_by,
/// @P6 wsdb_version, @P7 success. `applied_at` is the server's clock.
pub const INSERT_HISTORY: &str = "INSERT INTO dbo.wsdb_history (version, name, checksum, \
     applied_at, duration_ms, applied_by, wsdb_version, success) \
     VALUES (@P1, @P2, @P3, SYSUTCDATETIME(), @P4, @P5, @P6, @P7)";

/// @P1 version.
pub const DELETE_HISTORY: &str = "DELETE FROM dbo.wsdb_history WHERE version = @P1";

/// @P1 checksum, @P2 name, @P3 version.
pub const UPDATE_HISTORY: &str =
    "UPDATE dbo.wsdb_history SET checksum = @P1, name = @P2, success = 1 WHERE version = @P3";

/// @P1 resource, @P2 timeout in milliseconds. Session-owned, so the lock
/// outlives transactions and dies with the connection.
pub const GET_APPLOCK: &str = "DECLARE @result INT; EXEC @result = sp_getapplock \
     @Resource = @P1, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = @P2; \
     SELECT @result AS result;";

/// @P1 resource.
pub const RELEASE_APPLOCK: &str = "DECLARE @result INT; EXEC @result = sp_releaseapplock \
     @Resource = @P1, @LockOwner = 'Session'; SELECT @result AS result;";

/// @P1 resource. 1 when the lock could be granted now.
pub const TEST_APPLOCK: &str = "SELECT APPLOCK_TEST('public', @P1, 'Exclusive', 'Session') AS free";

/// @P1 [`LOCK_RESOURCE_PATTERN`]. Needs VIEW SERVER STATE on real servers.
pub const LOCK_HOLDER: &str = "SELECT l.request_session_id, s.login_name, s.host_name, \
     s.program_name FROM sys.dm_tran_locks AS l JOIN sys.dm_exec_sessions AS s \
     ON s.session_id = l.request_session_id WHERE l.resource_type = 'APPLICATION' \
     AND l.resource_database_id = DB_ID() AND l.request_mode = 'X' \
     AND l.request_status = 'GRANT' AND l.resource_description LIKE @P1";

pub const BEGIN: &str = "SET XACT_ABORT ON; BEGIN TRANSACTION;";

/// Commits wsdb's transaction only when it is the only one open.
///
/// SQL Server nests `BEGIN TRANSACTION`: a script that opens one more and
/// never commits it leaves `@@TRANCOUNT = 2`, and a plain `COMMIT` would only
/// decrement it; closing the (tainted) connection would then roll back a
/// migration wsdb had reported applied. So a count above 1 rolls everything
/// back (`ROLLBACK` without a savepoint name goes to 0) and fails the
/// migration whole. A count of 0 means the script committed or rolled back
/// wsdb's transaction itself: what ran after that point is already
/// committed, which no rollback can undo, so the error says so. The
/// semicolon before each THROW is required by SQL Server, and THROW's text
/// must not contain a percent sign.
pub const COMMIT: &str = "IF @@TRANCOUNT > 1 BEGIN ROLLBACK TRANSACTION; \
     THROW 50000, N'wsdb: the migration left a transaction open (BEGIN TRANSACTION without COMMIT); \
     wsdb rolled that transaction back with everything done in it and did not record the \
     migration as applied', 1; END; \
     IF @@TRANCOUNT = 0 BEGIN \
     THROW 50000, N'wsdb: the migration ended the transaction wsdb runs it in (a COMMIT or ROLLBACK \
     in the script), so it was not applied atomically: what ran after that point is committed, \
     including its change to `dbo.wsdb_history`; check the database and `wsdb history` by hand', 2; END; \
     COMMIT TRANSACTION;";

pub const ROLLBACK: &str = "IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION";

/// @P1 database name.
pub const DATABASE_ID: &str = "SELECT DB_ID(@P1) AS id";

/// `CREATE DATABASE` cannot take its name as a parameter, so the name is
/// spliced, quoted by [`quote_identifier`].
pub fn create_database(name: &str) -> String {
    format!("CREATE DATABASE {}", quote_identifier(name))
}

/// T-SQL's `QUOTENAME` with brackets: `[` + name with `]` doubled + `]`.
/// Any character is safe inside brackets once `]` is doubled; names are
/// validated (length, control characters) before they get here.
pub fn quote_identifier(name: &str) -> String {
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('[');
    for c in name.chars() {
        if c == ']' {
            quoted.push(']');
        }
        quoted.push(c);
    }
    quoted.push(']');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_identifier_brackets_and_doubles_closing_brackets() {
        let cases = [
            ("acme", "[acme]"),
            ("", "[]"),
            ("a]b", "[a]]b]"),
            ("]]", "[]]]]]"),
            ("x]; DROP DATABASE y; --", "[x]]; DROP DATABASE y; --]"),
            ("[already]", "[[already]]]"),
            ("naïve db", "[naïve db]"),
            ("it's", "[it's]"),
        ];
        for (name, expected) in cases {
            assert_eq!(quote_identifier(name), expected, "name {name:?}");
        }
    }

    #[test]
    fn create_database_quotes_the_name() {
        assert_eq!(create_database("ws]1"), "CREATE DATABASE [ws]]1]");
    }
}
