//! The exact statement forms wsdb's engine emits (see the engine brief).

use crate::sql::testkit::{Replies, ok, session, text};
use crate::sql::{EnvChange, Param, SqlType, Value};

const CREATE_HISTORY: &str = "IF OBJECT_ID(N'dbo.wsdb_history', N'U') IS NULL
CREATE TABLE dbo.wsdb_history (version BIGINT NOT NULL PRIMARY KEY, name NVARCHAR(400) NOT NULL,
  checksum CHAR(64) NOT NULL, applied_at DATETIME2 NOT NULL, duration_ms BIGINT NOT NULL,
  applied_by NVARCHAR(256) NOT NULL, wsdb_version NVARCHAR(64) NOT NULL, success BIT NOT NULL);";

fn param(name: &str, value: Value) -> Param {
    Param {
        name: name.into(),
        value,
    }
}

fn history_row(version: i64, checksum: &str) -> Vec<Param> {
    vec![
        param("@P1", Value::BigInt(version)),
        param("@P2", text("base")),
        param("@P3", text(checksum)),
        param("@P4", Value::BigInt(12)),
        param("@P5", text("tester")),
        param("@P6", text("0.1.0")),
        param("@P7", Value::Bit(true)),
    ]
}

#[tokio::test]
async fn the_history_table_lifecycle() {
    let (_catalog, mut s) = session();
    ok(&mut s, CREATE_HISTORY).await;
    ok(&mut s, CREATE_HISTORY).await;
    let r = ok(&mut s, "SELECT OBJECT_ID(N'dbo.wsdb_history', N'U') AS id;").await;
    assert!(matches!(r.scalar(), Value::Int(id) if id > 0));
    let insert = "INSERT INTO dbo.wsdb_history (version, name, checksum, applied_at, duration_ms, applied_by, wsdb_version, success) VALUES (@P1, @P2, @P3, SYSUTCDATETIME(), @P4, @P5, @P6, @P7);";
    let checksum = "a".repeat(64);
    let r = s.execute(insert, &history_row(1, &checksum)).await;
    assert!(r.errors().is_empty(), "{r:?}");
    assert_eq!(r.done_counts(), [Some(1)]);
    let r = s.execute(insert, &history_row(1, &checksum)).await;
    assert_eq!(r.error_numbers(), [2627]);
    assert!(
        r.errors()[0]
            .message
            .contains("PRIMARY KEY constraint 'PK__wsdb_his__"),
        "{}",
        r.errors()[0].message
    );
    let select = "SELECT version, name, checksum, applied_at, duration_ms, applied_by, wsdb_version, success FROM dbo.wsdb_history ORDER BY version;";
    let r = ok(&mut s, select).await;
    let (columns, rows) = r.result_sets()[0];
    let types: Vec<SqlType> = columns.iter().map(|c| c.ty).collect();
    assert_eq!(
        types,
        [
            SqlType::BigInt,
            SqlType::NVarChar {
                max_chars: Some(400)
            },
            SqlType::NVarChar {
                max_chars: Some(64)
            },
            SqlType::DateTime2,
            SqlType::BigInt,
            SqlType::NVarChar {
                max_chars: Some(256)
            },
            SqlType::NVarChar {
                max_chars: Some(64)
            },
            SqlType::Bit,
        ]
    );
    assert_eq!(rows[0][0], Value::BigInt(1));
    assert_eq!(rows[0][2], text(&checksum));
    assert!(matches!(rows[0][3], Value::DateTime2(_)));
    assert_eq!(rows[0][7], Value::Bit(true));
    let update =
        "UPDATE dbo.wsdb_history SET checksum = @P1, name = @P2, success = 1 WHERE version = @P3;";
    let params = [
        param("@P1", text(&"b".repeat(64))),
        param("@P2", text("renamed")),
        param("@P3", Value::BigInt(1)),
    ];
    let r = s.execute(update, &params).await;
    assert_eq!(r.done_counts(), [Some(1)]);
    let r = s
        .execute(
            "DELETE FROM dbo.wsdb_history WHERE version = @P1;",
            &[param("@P1", Value::BigInt(1))],
        )
        .await;
    assert_eq!(r.done_counts(), [Some(1)]);
}

#[tokio::test]
async fn applock_statements_and_their_return_codes() {
    let (catalog, mut s) = session();
    let get = "DECLARE @result INT; EXEC @result = sp_getapplock @Resource = @P1, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = @P2; SELECT @result AS result;";
    let release = "DECLARE @result INT; EXEC @result = sp_releaseapplock @Resource = @P1, @LockOwner = 'Session'; SELECT @result AS result;";
    let lock_params = [param("@P1", text("wsdb")), param("@P2", Value::Int(0))];
    let r = s.execute(get, &lock_params).await;
    assert_eq!(r.scalar(), Value::Int(0));
    let (columns, _) = r.result_sets()[0];
    assert_eq!(
        (columns[0].name.as_str(), columns[0].ty),
        ("result", SqlType::Int)
    );
    let mut other = catalog
        .open_session(crate::sql::testkit::info(52, "app"))
        .unwrap();
    let r = other.execute(get, &lock_params).await;
    assert_eq!(r.scalar(), Value::Int(-1), "busy: timed out at once");
    let free = "SELECT APPLOCK_TEST('public', @P1, 'Exclusive', 'Session') AS free;";
    let r = other.execute(free, &[param("@P1", text("wsdb"))]).await;
    assert_eq!(r.scalar(), Value::SmallInt(0));
    let holder = "SELECT l.request_session_id, s.login_name, s.host_name, s.program_name FROM sys.dm_tran_locks AS l JOIN sys.dm_exec_sessions AS s ON s.session_id = l.request_session_id WHERE l.resource_type = 'APPLICATION' AND l.resource_database_id = DB_ID() AND l.request_mode = 'X' AND l.request_status = 'GRANT' AND l.resource_description LIKE @P1;";
    let r = other
        .execute(holder, &[param("@P1", text("%[[]wsdb]%"))])
        .await;
    assert!(r.errors().is_empty(), "{r:?}");
    assert_eq!(
        r.rows(),
        vec![vec![
            Value::Int(51),
            text("tester"),
            text("test-host"),
            text("unit-tests")
        ]]
    );
    let r = s.execute(release, &[param("@P1", text("wsdb"))]).await;
    assert_eq!(r.scalar(), Value::Int(0));
    let r = s.execute(release, &[param("@P1", text("wsdb"))]).await;
    assert_eq!(r.error_numbers(), [1223]);
    assert_eq!(r.scalar(), Value::Int(-999));
    let r = other.execute(free, &[param("@P1", text("wsdb"))]).await;
    assert_eq!(r.scalar(), Value::SmallInt(1));
}

#[tokio::test]
async fn transaction_and_session_facts() {
    let (catalog, mut s) = session();
    let r = ok(&mut s, "SET XACT_ABORT ON; BEGIN TRANSACTION;").await;
    assert_eq!(r.env_changes(), [&EnvChange::BeginTransaction]);
    assert!(s.in_transaction());
    let r = ok(&mut s, "SELECT DB_NAME() AS db, @@TRANCOUNT AS trancount;").await;
    assert_eq!(r.rows(), vec![vec![text("app"), Value::Int(1)]]);
    let r = ok(&mut s, "COMMIT TRANSACTION;").await;
    assert_eq!(r.env_changes(), [&EnvChange::CommitTransaction]);
    let r = ok(&mut s, "IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;").await;
    assert!(r.env_changes().is_empty());
    let r = ok(&mut s, "SELECT CAST(SERVERPROPERTY('ProductVersion') AS NVARCHAR(128)) AS product_version, @@VERSION AS banner, DB_NAME() AS db;").await;
    let row = &r.rows()[0];
    assert_eq!(row[0], text("16.0.1000.6"));
    assert!(matches!(&row[1], Value::NVarChar(b) if b.contains("wsdb TDS test server")));
    let r = ok(&mut s, "SELECT HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'CREATE TABLE') AS can_create, HAS_PERMS_BY_NAME(DB_NAME(), 'DATABASE', 'ALTER') AS can_alter;").await;
    assert_eq!(r.rows(), vec![vec![Value::Int(1), Value::Int(1)]]);
    let r = s
        .execute("SELECT DB_ID(@P1) AS id;", &[param("@P1", text("APP"))])
        .await;
    assert_eq!(r.scalar(), Value::Int(5));
    let r = s
        .execute("SELECT DB_ID(@P1) AS id;", &[param("@P1", text("nope"))])
        .await;
    assert_eq!(r.scalar(), Value::Null);
    ok(&mut s, "CREATE DATABASE [tenant 2];").await;
    assert!(catalog.has_database("tenant 2"));
    let r = s.execute("CREATE DATABASE [tenant 2]", &[]).await;
    assert_eq!(r.error_numbers(), [1801]);
    let r = ok(&mut s, "SELECT 1;").await;
    assert_eq!(r.scalar(), Value::Int(1));
}

/// wsdb's guarded COMMIT (engine `sql::COMMIT`): commits only at
/// `@@TRANCOUNT = 1`; a script that left a transaction open is rolled back
/// whole (state 1), one that ended wsdb's transaction is reported (state 2).
const GUARDED_COMMIT: &str = "IF @@TRANCOUNT > 1 BEGIN ROLLBACK TRANSACTION; \
     THROW 50000, N'wsdb: the migration left a transaction open', 1; END; \
     IF @@TRANCOUNT = 0 BEGIN \
     THROW 50000, N'wsdb: the migration ended the transaction wsdb runs it in', 2; END; \
     COMMIT TRANSACTION;";

#[tokio::test]
async fn the_guarded_commit_commits_only_its_own_transaction() {
    let (_catalog, mut s) = session();
    let exists = "SELECT OBJECT_ID(N'dbo.t', N'U') AS id;";

    // One transaction: committed.
    ok(&mut s, "SET XACT_ABORT ON; BEGIN TRANSACTION;").await;
    ok(&mut s, "CREATE TABLE dbo.t (id INT NOT NULL);").await;
    let r = ok(&mut s, GUARDED_COMMIT).await;
    assert_eq!(r.env_changes(), [&EnvChange::CommitTransaction]);
    assert!(!s.in_transaction());
    assert!(matches!(ok(&mut s, exists).await.scalar(), Value::Int(_)));

    // A script's BEGIN TRANSACTION left open: everything rolled back.
    ok(&mut s, "SET XACT_ABORT ON; BEGIN TRANSACTION;").await;
    ok(&mut s, "BEGIN TRAN; DROP TABLE dbo.t;").await;
    let r = ok(&mut s, "SELECT @@TRANCOUNT AS n;").await;
    assert_eq!(r.scalar(), Value::Int(2));
    let r = s.execute(GUARDED_COMMIT, &[]).await;
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{r:?}");
    assert_eq!(
        (errors[0].number, errors[0].state, errors[0].class),
        (50000, 1, 16)
    );
    assert!(errors[0].message.contains("left a transaction open"));
    assert!(!s.in_transaction());
    assert!(matches!(ok(&mut s, exists).await.scalar(), Value::Int(_)));

    // A script's COMMIT ended wsdb's transaction: nothing left to commit.
    ok(&mut s, "SET XACT_ABORT ON; BEGIN TRANSACTION;").await;
    ok(&mut s, "COMMIT;").await;
    let r = s.execute(GUARDED_COMMIT, &[]).await;
    assert_eq!(r.error_numbers(), [50000], "{r:?}");
    assert_eq!(r.errors()[0].state, 2);
    assert!(!s.in_transaction());
}
