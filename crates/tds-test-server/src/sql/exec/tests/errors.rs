//! SQL Server's error rules: compile errors, statement-level errors,
//! batch aborts, XACT_ABORT both ways, RAISERROR and THROW, lines.

use crate::sql::testkit::{Replies, ok, session};
use crate::sql::{EnvChange, Reply, Session, Value};

async fn count(s: &mut Session) -> Value {
    ok(s, "SELECT COUNT(*) FROM t").await.scalar()
}

async fn trancount(s: &mut Session) -> Value {
    ok(s, "SELECT @@TRANCOUNT").await.scalar()
}

async fn with_table() -> (crate::sql::Catalog, Session) {
    let (catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE t (id INT PRIMARY KEY)").await;
    (catalog, s)
}

#[tokio::test]
async fn a_syntax_error_stops_the_batch_before_anything_runs() {
    let (_catalog, mut s) = with_table().await;
    let r = s.execute("INSERT INTO t VALUES (1)\nSELEC 2", &[]).await;
    assert_eq!(r.error_numbers(), [102]);
    let error = r.errors()[0];
    assert_eq!(
        (error.class, error.line, error.message.as_str()),
        (15, 2, "Incorrect syntax near 'SELEC'.")
    );
    assert_eq!(r.len(), 2, "an error and its DONE: {r:?}");
    assert_eq!(count(&mut s).await, Value::Int(0));
    let r = s.execute("SELECT * FROM", &[]).await;
    assert_eq!(
        r.errors()[0].message,
        "Incorrect syntax near the keyword 'from'."
    );
    assert_eq!(r.error_numbers(), [156]);
}

#[tokio::test]
async fn with_xact_abort_off_a_statement_error_ends_only_the_statement() {
    let (_catalog, mut s) = with_table().await;
    let r = s.execute("BEGIN TRAN\nINSERT INTO t VALUES (1)\nINSERT INTO t VALUES (1)\nINSERT INTO t VALUES (2)\nCOMMIT", &[]).await;
    assert_eq!(r.error_numbers(), [2627]);
    assert_eq!((r.errors()[0].class, r.errors()[0].line), (14, 3));
    assert_eq!(
        r.env_changes(),
        [&EnvChange::BeginTransaction, &EnvChange::CommitTransaction]
    );
    assert_eq!(count(&mut s).await, Value::Int(2));
}

#[tokio::test]
async fn with_xact_abort_on_any_runtime_error_rolls_back_and_ends_the_batch() {
    let (_catalog, mut s) = with_table().await;
    let r = s.execute("SET XACT_ABORT ON; BEGIN TRAN; INSERT INTO t VALUES (1); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); COMMIT", &[]).await;
    assert_eq!(r.error_numbers(), [2627]);
    assert_eq!(
        r.env_changes(),
        [
            &EnvChange::BeginTransaction,
            &EnvChange::RollbackTransaction
        ]
    );
    let after_error: Vec<&Reply> = r
        .iter()
        .skip_while(|x| !matches!(x, Reply::Error(_)))
        .collect();
    assert_eq!(
        after_error.len(),
        3,
        "error, rollback, done and nothing else: {after_error:?}"
    );
    assert_eq!(count(&mut s).await, Value::Int(0));
    assert_eq!(trancount(&mut s).await, Value::Int(0));
    assert!(!s.in_transaction());
}

#[tokio::test]
async fn a_missing_table_ends_the_batch_but_keeps_the_transaction() {
    let (_catalog, mut s) = with_table().await;
    let r = s
        .execute(
            "BEGIN TRAN; INSERT INTO t VALUES (7); SELECT * FROM missing; INSERT INTO t VALUES (8)",
            &[],
        )
        .await;
    assert_eq!(r.error_numbers(), [208]);
    assert_eq!(r.errors()[0].message, "Invalid object name 'missing'.");
    assert_eq!(trancount(&mut s).await, Value::Int(1));
    assert_eq!(count(&mut s).await, Value::Int(1));
    let r = ok(&mut s, "ROLLBACK").await;
    assert_eq!(r.env_changes(), [&EnvChange::RollbackTransaction]);
    assert_eq!(count(&mut s).await, Value::Int(0));
    let r = s
        .execute(
            "SET XACT_ABORT ON; BEGIN TRAN; INSERT INTO t VALUES (7); SELECT nope FROM t",
            &[],
        )
        .await;
    assert_eq!(r.error_numbers(), [207]);
    assert_eq!(
        trancount(&mut s).await,
        Value::Int(0),
        "XACT_ABORT ON rolls it back"
    );
}

#[tokio::test]
async fn conversion_errors_roll_back_even_with_xact_abort_off() {
    let (_catalog, mut s) = with_table().await;
    let r = s.execute("BEGIN TRAN; INSERT INTO t VALUES (1); INSERT INTO t VALUES ('abc'); INSERT INTO t VALUES (2)", &[]).await;
    assert_eq!(r.error_numbers(), [245]);
    assert_eq!(
        r.errors()[0].message,
        "Conversion failed when converting the varchar value 'abc' to data type int."
    );
    assert!(r.env_changes().contains(&&EnvChange::RollbackTransaction));
    assert_eq!(count(&mut s).await, Value::Int(0));
}

#[tokio::test]
async fn divide_by_zero_ends_the_statement_only() {
    let (_catalog, mut s) = session();
    let r = s.execute("SELECT 1 / 0; SELECT 2", &[]).await;
    assert_eq!(r.error_numbers(), [8134]);
    assert_eq!(r.scalar(), Value::Int(2));
}

#[tokio::test]
async fn raiserror_never_aborts_and_throw_always_does() {
    let (_catalog, mut s) = with_table().await;
    let r = s.execute("SET XACT_ABORT ON; BEGIN TRAN; INSERT INTO t VALUES (1); RAISERROR('bad %s', 16, 1, 'thing'); INSERT INTO t VALUES (2)", &[]).await;
    assert_eq!(r.error_numbers(), [50000]);
    assert_eq!(
        (r.errors()[0].message.as_str(), r.errors()[0].class),
        ("bad thing", 16)
    );
    assert_eq!(trancount(&mut s).await, Value::Int(1));
    assert_eq!(count(&mut s).await, Value::Int(2));
    let r = s
        .execute("THROW 50001, 'stop here', 3; SELECT 1", &[])
        .await;
    assert_eq!(r.error_numbers(), [50001]);
    assert_eq!((r.errors()[0].class, r.errors()[0].state), (16, 3));
    assert!(r.result_sets().is_empty());
    assert_eq!(
        trancount(&mut s).await,
        Value::Int(0),
        "THROW honours XACT_ABORT ON"
    );
    ok(&mut s, "SET XACT_ABORT OFF; BEGIN TRAN").await;
    let r = s.execute("THROW 50002, 'again', 1", &[]).await;
    assert_eq!(r.error_numbers(), [50002]);
    assert_eq!(
        trancount(&mut s).await,
        Value::Int(1),
        "without XACT_ABORT the transaction stays"
    );
    let r = s.execute("THROW 5, 'low', 1", &[]).await;
    assert_eq!(r.error_numbers(), [35100]);
    let r = ok(&mut s, "RAISERROR('just info', 10, 1)").await;
    assert_eq!(r.infos(), ["just info"]);
}

#[tokio::test]
async fn transaction_statements_without_a_transaction() {
    let (_catalog, mut s) = session();
    let r = s
        .execute("COMMIT; ROLLBACK TRANSACTION; SELECT 1", &[])
        .await;
    assert_eq!(r.error_numbers(), [3902, 3903]);
    assert_eq!(r.scalar(), Value::Int(1));
}

#[tokio::test]
async fn variables_must_be_declared_and_functions_known() {
    let (_catalog, mut s) = session();
    let cases = [
        (
            "SELECT @nope",
            137,
            "Must declare the scalar variable \"@nope\".",
        ),
        ("DECLARE @a INT; DECLARE @a INT", 134, ""),
        (
            "SELECT NOT_A_FUNCTION(1)",
            195,
            "'NOT_A_FUNCTION' is not a recognized built-in function name.",
        ),
        ("SELECT 1 WHERE 1", 4145, ""),
        ("SELECT 1 = 1", 102, "Incorrect syntax near '='."),
        ("SELECT 'open", 105, ""),
        (
            "MERGE t USING u ON 1 = 1",
            crate::sql::NOT_SUPPORTED_ERROR,
            "",
        ),
    ];
    for (sql, number, message) in cases {
        let r = s.execute(sql, &[]).await;
        assert_eq!(r.error_numbers(), [number], "{sql}");
        if !message.is_empty() {
            assert_eq!(r.errors()[0].message, message, "{sql}");
        }
    }
}

#[tokio::test]
async fn constraint_and_value_errors_are_worded_like_sql_server() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE p (id INT CONSTRAINT PK_p PRIMARY KEY); CREATE TABLE c (id INT NOT NULL, p_id INT CONSTRAINT FK_c_p REFERENCES p (id), code NVARCHAR(3) NULL, n INT CONSTRAINT CK_c_n CHECK (n > 0))").await;
    ok(
        &mut s,
        "INSERT INTO p VALUES (1); INSERT INTO c (id, p_id, n) VALUES (1, 1, 1)",
    )
    .await;
    let cases = [
        (
            "INSERT INTO p VALUES (1)",
            2627,
            "Violation of PRIMARY KEY constraint 'PK_p'. Cannot insert duplicate key in object 'dbo.p'.",
        ),
        (
            "INSERT INTO c (id, p_id) VALUES (NULL, 1)",
            515,
            "Cannot insert the value NULL into column 'id', table 'app.dbo.c'; column does not allow nulls. INSERT fails.",
        ),
        (
            "INSERT INTO c (id, p_id) VALUES (2, 9)",
            547,
            "The INSERT statement conflicted with the FOREIGN KEY constraint \"FK_c_p\". The conflict occurred in database \"app\", table \"dbo.p\", column 'id'.",
        ),
        (
            "DELETE FROM p",
            547,
            "The DELETE statement conflicted with the REFERENCE constraint \"FK_c_p\". The conflict occurred in database \"app\", table \"dbo.c\", column 'p_id'.",
        ),
        (
            "INSERT INTO c (id, code) VALUES (3, 'abcd')",
            2628,
            "String or binary data would be truncated in table 'app.dbo.c', column 'code'.",
        ),
        (
            "INSERT INTO c (id, n) VALUES (4, 0)",
            547,
            "The INSERT statement conflicted with the CHECK constraint \"CK_c_n\". The conflict occurred in database \"app\", table \"dbo.c\".",
        ),
        (
            "UPDATE c SET id = NULL",
            515,
            "Cannot insert the value NULL into column 'id', table 'app.dbo.c'; column does not allow nulls. UPDATE fails.",
        ),
        (
            "INSERT INTO missing VALUES (1)",
            208,
            "Invalid object name 'missing'.",
        ),
        (
            "CREATE TABLE p (x INT)",
            2714,
            "There is already an object named 'p' in the database.",
        ),
        ("CREATE TABLE d (x INT, X INT)", 2705, ""),
        (
            "SELECT CAST(300 AS TINYINT)",
            8115,
            "Arithmetic overflow error converting expression to data type tinyint.",
        ),
    ];
    for (sql, number, message) in cases {
        let r = s.execute(sql, &[]).await;
        assert_eq!(r.error_numbers(), [number], "{sql}");
        if !message.is_empty() {
            assert_eq!(r.errors()[0].message, message, "{sql}");
        }
    }
}

#[tokio::test]
async fn errors_report_the_line_of_their_statement() {
    let (_catalog, mut s) = with_table().await;
    let r = s
        .execute("SELECT 1\n\nINSERT INTO t\nVALUES (1), (1)", &[])
        .await;
    assert_eq!(r.errors()[0].line, 3);
}

#[tokio::test]
async fn queries_sqlite_would_accept_but_sql_server_refuses() {
    let (_catalog, mut s) = with_table().await;
    ok(&mut s, "ALTER TABLE t ADD name NVARCHAR(10) NULL").await;
    let cases = [
        (
            "SELECT name FROM t GROUP BY id",
            8120,
            "Column 't.name' is invalid in the select list because it is not contained in either an aggregate function or the GROUP BY clause.",
        ),
        ("SELECT name, COUNT(*) FROM t", 8120, ""),
        ("SELECT * FROM t GROUP BY id", 8120, ""),
        ("SELECT MAX(id) FROM t HAVING name = 'x'", 8121, ""),
        (
            "SELECT * FROM t ORDER BY 3",
            108,
            "The ORDER BY position number 3 is out of range of the number of items in the select list.",
        ),
        (
            "SELECT * FROM t a, t a",
            1011,
            "The correlation name 'a' is specified multiple times in a FROM clause.",
        ),
    ];
    for (sql, number, message) in cases {
        let r = s.execute(sql, &[]).await;
        assert_eq!(r.error_numbers(), [number], "{sql}");
        if !message.is_empty() {
            assert_eq!(r.errors()[0].message, message, "{sql}");
        }
    }
    let r = ok(&mut s, "SELECT name, COUNT(*) AS n, MAX(id) + 1 FROM t GROUP BY name HAVING COUNT(*) > 0 ORDER BY 2").await;
    assert!(r.rows().is_empty());
    ok(&mut s, "SELECT id AS x FROM t ORDER BY x").await;
}
