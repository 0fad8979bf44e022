//! Control of flow, variables, dynamic SQL and session options.

use crate::sql::testkit::{Replies, info, ok, session, text};
use crate::sql::{EnvChange, Param, Reply, SqlType, Value};

#[tokio::test]
async fn if_else_blocks_and_conditions() {
    let (_catalog, mut s) = session();
    let r = ok(
        &mut s,
        "IF OBJECT_ID(N'dbo.t', N'U') IS NULL CREATE TABLE dbo.t (id INT) ELSE PRINT 'exists'",
    )
    .await;
    assert!(r.infos().is_empty());
    let r = ok(
        &mut s,
        "IF OBJECT_ID(N'dbo.t', N'U') IS NULL CREATE TABLE dbo.t (id INT) ELSE PRINT 'exists'",
    )
    .await;
    assert_eq!(r.infos(), ["exists"]);
    let r = ok(
        &mut s,
        "IF NOT EXISTS (SELECT * FROM t WHERE id = 1)\nBEGIN\n  INSERT INTO t VALUES (1)\n  PRINT 'inserted'\nEND\nELSE\nBEGIN\n  PRINT 'there'\nEND",
    )
    .await;
    assert_eq!(r.infos(), ["inserted"]);
    let r = ok(
        &mut s,
        "IF EXISTS (SELECT 1 FROM sys.tables WHERE name = 't') SELECT 'yes' ELSE SELECT 'no'",
    )
    .await;
    assert_eq!(r.scalar(), text("yes"));
}

#[tokio::test]
async fn variables_declare_set_and_select() {
    let (_catalog, mut s) = session();
    let r = ok(
        &mut s,
        "DECLARE @a INT = 2, @b NVARCHAR(3); SET @a += 3; SET @b = 'abcdef'; DECLARE @c BIGINT; SELECT @c = COUNT(*) FROM sys.schemas; SELECT @a AS a, @b AS b, @c AS c",
    )
    .await;
    let (columns, rows) = r.result_sets()[0];
    assert_eq!(
        columns.iter().map(|c| c.ty).collect::<Vec<_>>(),
        [
            SqlType::Int,
            SqlType::NVarChar { max_chars: Some(3) },
            SqlType::BigInt
        ]
    );
    assert_eq!(rows[0], vec![Value::Int(5), text("abc"), Value::BigInt(4)]);
    let r = s.execute("DECLARE @x INT; SET @x = 'nope'", &[]).await;
    assert_eq!(r.error_numbers(), [245]);
}

#[tokio::test]
async fn while_loops_with_break_and_continue() {
    let (_catalog, mut s) = session();
    let r = ok(
        &mut s,
        "DECLARE @i INT = 0, @sum INT = 0;\nWHILE @i < 10\nBEGIN\n  SET @i += 1;\n  IF @i = 3 CONTINUE;\n  IF @i > 5 BREAK;\n  SET @sum += @i;\nEND\nSELECT @sum",
    )
    .await;
    assert_eq!(r.scalar(), Value::Int(1 + 2 + 4 + 5));
    let r = ok(&mut s, "PRINT 'a'; RETURN; PRINT 'b'").await;
    assert_eq!(r.infos(), ["a"]);
}

#[tokio::test]
async fn dynamic_sql_runs_as_a_nested_batch() {
    let (_catalog, mut s) = session();
    ok(
        &mut s,
        "IF NOT EXISTS (SELECT * FROM sys.schemas WHERE name = 'x') EXEC('CREATE SCHEMA x')",
    )
    .await;
    ok(
        &mut s,
        "DECLARE @name SYSNAME = N'x.t'; EXEC (N'CREATE TABLE ' + @name + N' (id INT)')",
    )
    .await;
    let r = ok(
        &mut s,
        "EXEC sp_executesql N'SELECT @v + 1 AS n', N'@v INT', @v = 41",
    )
    .await;
    assert_eq!(r.scalar(), Value::Int(42));
    let r = s.execute("EXEC ('SELECT * FROM'); SELECT 2", &[]).await;
    assert_eq!(
        r.error_numbers(),
        [156],
        "a compile error in dynamic SQL ends only that batch"
    );
    assert_eq!(r.scalar(), Value::Int(2));
    let r = s
        .execute("SET XACT_ABORT ON; EXEC ('SELECT 1/0'); SELECT 2", &[])
        .await;
    assert_eq!(r.error_numbers(), [8134]);
    assert!(
        r.result_sets().is_empty(),
        "the abort ends the outer batch too"
    );
}

#[tokio::test]
async fn parameters_bind_without_splicing() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE t (name NVARCHAR(50))").await;
    let tricky = "it's'; DROP TABLE t; --";
    let params = [Param {
        name: "@P1".into(),
        value: text(tricky),
    }];
    let r = s
        .execute(
            "INSERT INTO t VALUES (@P1); SELECT name FROM t WHERE name = @P1",
            &params,
        )
        .await;
    assert!(r.errors().is_empty(), "{r:?}");
    assert_eq!(r.scalar(), text(tricky));
    let params = [Param {
        name: "@P1".into(),
        value: Value::Null,
    }];
    let r = s
        .execute("SELECT @P1 AS x, ISNULL(@P1, 5) AS y", &params)
        .await;
    assert_eq!(r.rows(), vec![vec![Value::Null, Value::Int(5)]]);
}

#[tokio::test]
async fn set_options_are_accepted_or_refused_clearly() {
    let (_catalog, mut s) = session();
    ok(&mut s, "SET ANSI_NULLS ON; SET QUOTED_IDENTIFIER ON; SET ANSI_PADDING, ANSI_WARNINGS ON; SET TRANSACTION ISOLATION LEVEL READ COMMITTED; SET DEADLOCK_PRIORITY LOW; SET IMPLICIT_TRANSACTIONS OFF").await;
    let r = s.execute("SET IMPLICIT_TRANSACTIONS ON", &[]).await;
    assert_eq!(r.error_numbers(), [crate::sql::NOT_SUPPORTED_ERROR]);
    let r = s.execute("SET NOT_AN_OPTION ON", &[]).await;
    assert_eq!(r.error_numbers(), [195]);
}

#[tokio::test]
async fn use_switches_the_database_and_says_so() {
    let (catalog, mut s) = session();
    catalog.create_database("other").unwrap();
    let r = ok(&mut s, "USE other; SELECT DB_NAME()").await;
    assert_eq!(
        r.env_changes(),
        [&EnvChange::Database {
            old: "app".into(),
            new: "other".into()
        }]
    );
    assert!(
        r.iter()
            .any(|x| matches!(x, Reply::Info { number: 5701, .. }))
    );
    assert_eq!(r.scalar(), text("other"));
    assert_eq!(s.database(), "other");
    let r = s.execute("USE nope", &[]).await;
    assert_eq!(r.error_numbers(), [911]);
    let mut observer = catalog.open_session(info(52, "app")).unwrap();
    let r = ok(
        &mut observer,
        "SELECT DB_NAME(database_id) FROM sys.dm_exec_sessions WHERE session_id = 51",
    )
    .await;
    assert_eq!(r.scalar(), text("other"));
}

#[tokio::test]
async fn the_statement_hook_sees_each_statement_and_can_fail_or_cut() {
    let (_catalog, mut s) = session();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    s.set_statement_hook(std::sync::Arc::new(move |db: &str, sql: &str| {
        log.lock().unwrap().push(format!("{db}: {sql}"));
        if sql.contains("boom") {
            crate::sql::HookAction::Fail(crate::sql::SqlError {
                number: 1205,
                state: 1,
                class: 13,
                line: 0,
                message: "chosen as deadlock victim".into(),
            })
        } else if sql.contains("cut") {
            crate::sql::HookAction::CutConnection
        } else {
            crate::sql::HookAction::Continue
        }
    }));
    ok(&mut s, "SELECT 1\nIF 1 = 1 PRINT 'x'").await;
    assert_eq!(*seen.lock().unwrap(), ["app: SELECT 1", "app: PRINT 'x'"]);
    let r = s.execute("BEGIN TRAN; SELECT 'boom'; SELECT 2", &[]).await;
    assert_eq!(r.error_numbers(), [1205]);
    assert!(r.result_sets().is_empty());
    assert!(!s.in_transaction(), "a deadlock rolls back");
    let r = s.execute("SELECT 1; SELECT 'cut'; SELECT 3", &[]).await;
    assert_eq!(r.last(), Some(&Reply::ConnectionCut));
    assert_eq!(r.result_sets().len(), 1);
}
