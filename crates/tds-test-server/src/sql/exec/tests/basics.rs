//! Literals, typing, tables, DML and the shape of the replies.

use crate::sql::testkit::{Replies, ok, session, text};
use crate::sql::{Reply, SqlType, Value};

#[tokio::test]
async fn literals_and_functions_have_sql_server_types() {
    let (_catalog, mut s) = session();
    let r = ok(&mut s, "SELECT 1 AS a, 3000000000 AS b, 1.50 AS c, N'x' AS d, 'yy' AS e, NULL AS f, CAST(1 AS BIGINT) AS g, CAST(1 AS BIT) AS h").await;
    let (columns, rows) = r.result_sets()[0];
    let types: Vec<SqlType> = columns.iter().map(|c| c.ty).collect();
    assert_eq!(
        types,
        [
            SqlType::Int,
            SqlType::Decimal {
                precision: 10,
                scale: 0
            },
            SqlType::Decimal {
                precision: 3,
                scale: 2
            },
            SqlType::NVarChar { max_chars: Some(1) },
            SqlType::NVarChar { max_chars: Some(2) },
            SqlType::Int,
            SqlType::BigInt,
            SqlType::Bit,
        ]
    );
    assert_eq!(
        rows[0],
        vec![
            Value::Int(1),
            Value::Decimal {
                unscaled: 3_000_000_000,
                precision: 10,
                scale: 0
            },
            Value::Decimal {
                unscaled: 150,
                precision: 3,
                scale: 2
            },
            text("x"),
            text("yy"),
            Value::Null,
            Value::BigInt(1),
            Value::Bit(true),
        ]
    );
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "e", "f", "g", "h"]);
}

#[tokio::test]
async fn unnamed_expressions_have_empty_names_and_aliases_work_both_ways() {
    let (_catalog, mut s) = session();
    let r = ok(&mut s, "SELECT 1 + 1, x = 2, 3 y, 4 AS 'z'").await;
    let (columns, rows) = r.result_sets()[0];
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["", "x", "y", "z"]);
    assert_eq!(
        rows[0],
        vec![Value::Int(2), Value::Int(2), Value::Int(3), Value::Int(4)]
    );
}

#[tokio::test]
async fn a_batch_of_statements_separated_only_by_whitespace() {
    let (_catalog, mut s) = session();
    let r = ok(
        &mut s,
        "SELECT 1\nSELECT 'a' -- comment\n/* block /* nested */ */ SELECT 2;;",
    )
    .await;
    assert_eq!(r.result_sets().len(), 3);
    assert_eq!(r.done_counts(), [Some(1), Some(1), Some(1)]);
}

#[tokio::test]
async fn tables_keep_declared_types_through_dml() {
    let (_catalog, mut s) = session();
    ok(
        &mut s,
        "CREATE TABLE [dbo].[things] (id INT IDENTITY(1,1) NOT NULL PRIMARY KEY, name NVARCHAR(20) NOT NULL, \
         price DECIMAL(10,2) NULL, flag BIT NOT NULL DEFAULT 0, at DATETIME2 NULL, code CHAR(4) NULL, big BIGINT NULL)",
    )
    .await;
    let r = ok(&mut s, "INSERT INTO things (name, price, at, code, big) VALUES (N'a', 1.5, '2024-01-02', 'ab', 9), ('b', NULL, NULL, NULL, NULL)").await;
    assert_eq!(r.done_counts(), [Some(2)]);
    let r = ok(
        &mut s,
        "SELECT id, name, price, flag, at, code, big FROM dbo.things ORDER BY id",
    )
    .await;
    let (columns, rows) = r.result_sets()[0];
    let types: Vec<SqlType> = columns.iter().map(|c| c.ty).collect();
    assert_eq!(
        types,
        [
            SqlType::Int,
            SqlType::NVarChar {
                max_chars: Some(20)
            },
            SqlType::Decimal {
                precision: 10,
                scale: 2
            },
            SqlType::Bit,
            SqlType::DateTime2,
            SqlType::NVarChar { max_chars: Some(4) },
            SqlType::BigInt
        ]
    );
    let at = chrono::NaiveDate::from_ymd_opt(2024, 1, 2)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    assert_eq!(
        rows[0],
        vec![
            Value::Int(1),
            text("a"),
            Value::Decimal {
                unscaled: 150,
                precision: 10,
                scale: 2
            },
            Value::Bit(false),
            Value::DateTime2(at),
            text("ab  "),
            Value::BigInt(9)
        ]
    );
    assert!(!columns[0].nullable && columns[2].nullable);
    let r = ok(&mut s, "UPDATE things SET price = price + 1, name += N'!' WHERE id = 1; SELECT name, price FROM things WHERE id = 1").await;
    assert_eq!(r.done_counts(), [Some(1), Some(1)]);
    assert_eq!(
        r.rows(),
        vec![vec![
            text("a!"),
            Value::Decimal {
                unscaled: 250,
                precision: 10,
                scale: 2
            }
        ]]
    );
    let r = ok(
        &mut s,
        "DELETE FROM things WHERE name = 'B'; SELECT COUNT(*) FROM things",
    )
    .await;
    assert_eq!(r.done_counts(), [Some(1), Some(1)]);
    assert_eq!(r.scalar(), Value::Int(1));
}

#[tokio::test]
async fn text_compares_like_sql_servers_default_collation() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE t (name NVARCHAR(10) PRIMARY KEY)").await;
    ok(&mut s, "INSERT INTO t VALUES ('Alpha')").await;
    let r = ok(
        &mut s,
        "SELECT COUNT(*) FROM t WHERE name = 'ALPHA  ' AND name LIKE 'al%' AND 'a' = 'A'",
    )
    .await;
    assert_eq!(r.scalar(), Value::Int(1));
    let r = s.execute("INSERT INTO t VALUES ('alpha')", &[]).await;
    assert_eq!(r.error_numbers(), [2627], "the key is case-insensitive too");
}

#[tokio::test]
async fn select_features_work_on_sqlite() {
    let (_catalog, mut s) = session();
    ok(
        &mut s,
        "CREATE TABLE a (id INT PRIMARY KEY, v NVARCHAR(10)); CREATE TABLE b (a_id INT, n INT)",
    )
    .await;
    ok(&mut s, "INSERT INTO a VALUES (1, 'x'), (2, 'y'), (3, NULL); INSERT INTO b VALUES (1, 10), (1, 20), (2, 5)").await;
    let cases: &[(&str, Vec<Vec<Value>>)] = &[
        (
            "SELECT TOP (2) id FROM a ORDER BY id DESC",
            vec![vec![Value::Int(3)], vec![Value::Int(2)]],
        ),
        (
            "SELECT TOP 1 v FROM a WHERE v IS NOT NULL ORDER BY v",
            vec![vec![text("x")]],
        ),
        (
            "SELECT a.id, SUM(b.n) AS total FROM a JOIN b ON b.a_id = a.id GROUP BY a.id HAVING SUM(b.n) > 5 ORDER BY 1",
            vec![vec![Value::Int(1), Value::Int(30)]],
        ),
        (
            "SELECT COUNT(*) FROM a LEFT JOIN b ON b.a_id = a.id WHERE b.a_id IS NULL",
            vec![vec![Value::Int(1)]],
        ),
        (
            "SELECT id FROM a WHERE id IN (SELECT a_id FROM b) AND id NOT IN (2) ",
            vec![vec![Value::Int(1)]],
        ),
        (
            "SELECT CASE WHEN id > 1 THEN 'big' ELSE 'small' END FROM a WHERE id = 2",
            vec![vec![text("big")]],
        ),
        (
            "SELECT ISNULL(v, 'none'), COALESCE(NULL, v, 'z') FROM a WHERE id = 3",
            vec![vec![text("none"), text("z")]],
        ),
        (
            "SELECT LEN('ab  '), UPPER('a'), LOWER('B'), CONCAT('a', 1, NULL)",
            vec![vec![Value::Int(2), text("A"), text("b"), text("a1")]],
        ),
        (
            "SELECT id FROM a ORDER BY id OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY",
            vec![vec![Value::Int(2)]],
        ),
        (
            "SELECT x.id FROM (SELECT id FROM a WHERE id < 3) AS x WHERE x.id > 1",
            vec![vec![Value::Int(2)]],
        ),
        (
            "WITH c AS (SELECT id FROM a) SELECT MAX(id) FROM c",
            vec![vec![Value::Int(3)]],
        ),
        (
            "SELECT id FROM a WHERE id = 1 UNION ALL SELECT n FROM b WHERE n = 5",
            vec![vec![Value::Int(1)], vec![Value::Int(5)]],
        ),
        (
            "SELECT 7 / 2, 7 % 2, -3, 2 * 3 - 1",
            vec![vec![
                Value::Int(3),
                Value::Int(1),
                Value::Int(-3),
                Value::Int(5),
            ]],
        ),
        (
            "SELECT 'a' + 'b', N'x' + CAST(1 AS NVARCHAR(5))",
            vec![vec![text("ab"), text("x1")]],
        ),
        (
            "SELECT id FROM a WHERE v LIKE '[xy]' AND id BETWEEN 1 AND 2 ORDER BY id",
            vec![vec![Value::Int(1)], vec![Value::Int(2)]],
        ),
        (
            "SELECT IIF(1 = 1, 'yes', 'no'), NULLIF(1, 1)",
            vec![vec![text("yes"), Value::Null]],
        ),
        (
            "SELECT DISTINCT a_id FROM b ORDER BY a_id",
            vec![vec![Value::Int(1)], vec![Value::Int(2)]],
        ),
        (
            "SELECT EXISTS_CHECK = CASE WHEN EXISTS (SELECT 1 FROM b WHERE n = 20) THEN 1 ELSE 0 END",
            vec![vec![Value::Int(1)]],
        ),
    ];
    for (sql, expected) in cases {
        let r = ok(&mut s, sql).await;
        assert_eq!(&r.rows(), expected, "{sql}");
    }
}

#[tokio::test]
async fn nocount_hides_row_counts_and_print_is_a_message() {
    let (_catalog, mut s) = session();
    let r = ok(&mut s, "SET NOCOUNT ON; SELECT 1; PRINT 'hello'").await;
    assert_eq!(r.done_counts(), [None, None, None]);
    assert_eq!(r.infos(), ["hello"]);
    assert!(
        r.iter()
            .any(|reply| matches!(reply, Reply::Info { number: 0, .. }))
    );
}

#[tokio::test]
async fn odd_input_never_panics_and_always_answers() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE t (id INT, name NVARCHAR(10))").await;
    let inputs = [
        "",
        "   ",
        "-- only a comment",
        "/* */",
        ";;;",
        "(",
        ")",
        "SELECT",
        "SELECT (((1",
        "SELECT 1 +* 2",
        "SELECT 'é' + N'字' AS ünïcode",
        "SELECT [a]]b] = 1",
        "SELECT \u{1}",
        "INSERT",
        "INSERT t",
        "UPDATE t SET",
        "DELETE",
        "IF",
        "IF 1 = 1",
        "BEGIN",
        "END",
        "WHILE 1 = 0",
        "EXEC",
        "EXEC (",
        "DECLARE",
        "DECLARE @x",
        "SET @",
        "SELECT @",
        "SELECT @@",
        "CREATE TABLE",
        "CREATE TABLE x (",
        "ALTER TABLE t ADD",
        "DROP",
        "SELECT * FROM t WHERE name LIKE '[' ",
        "SELECT * FROM t WHERE name LIKE '[a-'",
        "SELECT 1/0.0",
        "SELECT CAST('2024-13-45' AS DATE)",
        "SELECT DATEADD(nope, 1, GETDATE())",
        "SELECT CONVERT(INT, 'x', 999)",
        "WAITFOR DELAY NULL",
        "THROW NULL, NULL, NULL",
        "RAISERROR(NULL, NULL, NULL)",
        "SELECT 99999999999999999999999999999999999999999",
        "SELECT TOP (-1) * FROM t",
        "SELECT * FROM t ORDER BY 5",
        "SELECT * FROM t t1, t t2, t t1",
        "EXEC sp_getapplock",
        "EXEC sp_releaseapplock NULL",
        "EXEC sp_executesql",
        "USE",
        "SELECT N'''",
    ];
    for sql in inputs {
        let replies = s.execute(sql, &[]).await;
        assert!(!replies.is_empty(), "{sql}");
        assert!(
            matches!(replies.last(), Some(Reply::Done { .. })),
            "{sql}: {replies:?}"
        );
    }
    let r = ok(&mut s, "SELECT COUNT(*) FROM t").await;
    assert_eq!(r.scalar(), Value::Int(0), "the session is still usable");
}
