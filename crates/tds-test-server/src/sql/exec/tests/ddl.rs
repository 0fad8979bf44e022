//! Schema statements: identity, ALTER TABLE, constraints, indexes, schemas,
//! views and procedures kept as text, DROP.

use crate::sql::testkit::{Replies, ok, session, text};
use crate::sql::{SqlType, Value};

#[tokio::test]
async fn identity_columns_number_rows_like_sql_server() {
    let (_catalog, mut s) = session();
    ok(
        &mut s,
        "CREATE TABLE t (id BIGINT IDENTITY(10, 5) PRIMARY KEY, name NVARCHAR(10))",
    )
    .await;
    let r = ok(
        &mut s,
        "INSERT INTO t (name) VALUES ('a'), ('b'); SELECT SCOPE_IDENTITY(), @@IDENTITY",
    )
    .await;
    let ident = Value::Decimal {
        unscaled: 15,
        precision: 38,
        scale: 0,
    };
    assert_eq!(r.rows(), vec![vec![ident.clone(), ident]]);
    ok(
        &mut s,
        "DELETE FROM t WHERE id = 15; INSERT INTO t (name) SELECT name FROM t",
    )
    .await;
    let r = ok(&mut s, "SELECT id FROM t ORDER BY id").await;
    assert_eq!(
        r.rows(),
        vec![vec![Value::BigInt(10)], vec![Value::BigInt(20)]],
        "identity values are not reused"
    );
    let r = s
        .execute("INSERT INTO t (id, name) VALUES (1, 'x')", &[])
        .await;
    assert_eq!(r.error_numbers(), [544]);
    let r = s.execute("UPDATE t SET id = 3", &[]).await;
    assert_eq!(r.error_numbers(), [8102]);
    ok(&mut s, "SET IDENTITY_INSERT dbo.t ON; INSERT INTO t (id, name) VALUES (100, 'x'); SET IDENTITY_INSERT dbo.t OFF").await;
    ok(&mut s, "INSERT INTO t (name) VALUES ('after')").await;
    let r = ok(&mut s, "SELECT MAX(id) FROM t").await;
    assert_eq!(
        r.scalar(),
        Value::BigInt(105),
        "the counter moved past the explicit value"
    );
    ok(
        &mut s,
        "TRUNCATE TABLE t; INSERT INTO t (name) VALUES ('fresh')",
    )
    .await;
    assert_eq!(
        ok(&mut s, "SELECT id FROM t").await.scalar(),
        Value::BigInt(10)
    );
}

#[tokio::test]
async fn alter_table_adds_and_drops_columns() {
    let (_catalog, mut s) = session();
    ok(
        &mut s,
        "CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1)",
    )
    .await;
    ok(&mut s, "ALTER TABLE t ADD note NVARCHAR(20) NULL DEFAULT 'n', flag BIT NOT NULL CONSTRAINT DF_t_flag DEFAULT 1").await;
    let r = ok(
        &mut s,
        "INSERT INTO t (id) VALUES (2); SELECT id, note, flag FROM t ORDER BY id",
    )
    .await;
    assert_eq!(
        r.rows(),
        vec![
            vec![Value::Int(1), Value::Null, Value::Bit(true)],
            vec![Value::Int(2), text("n"), Value::Bit(true)]
        ]
    );
    let r = s
        .execute("ALTER TABLE t ADD required INT NOT NULL", &[])
        .await;
    assert_eq!(r.error_numbers(), [4901]);
    let r = s.execute("ALTER TABLE t DROP COLUMN flag", &[]).await;
    assert_eq!(r.error_numbers(), [5074]);
    assert!(r.errors()[0].message.contains("DF_t_flag"));
    ok(
        &mut s,
        "ALTER TABLE t DROP CONSTRAINT DF_t_flag; ALTER TABLE t DROP COLUMN flag",
    )
    .await;
    let r = ok(&mut s, "SELECT * FROM t ORDER BY id").await;
    let (columns, _) = r.result_sets()[0];
    assert_eq!(
        columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["id", "note"]
    );
    let r = s
        .execute("ALTER TABLE t ALTER COLUMN note NVARCHAR(50) NOT NULL", &[])
        .await;
    assert_eq!(r.error_numbers(), [515], "row 1 has a NULL note");
    ok(&mut s, "UPDATE t SET note = 'x' WHERE note IS NULL; ALTER TABLE t ALTER COLUMN note NVARCHAR(50) NOT NULL").await;
    let r = ok(&mut s, "SELECT note FROM t WHERE id = 1").await;
    assert_eq!(
        r.result_sets()[0].0[0].ty,
        SqlType::NVarChar {
            max_chars: Some(50)
        }
    );
    ok(
        &mut s,
        "CREATE TABLE empty (id INT); ALTER TABLE empty ADD required INT NOT NULL",
    )
    .await;
}

#[tokio::test]
async fn alter_table_adds_constraints_the_data_must_meet() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE p (id INT NOT NULL, code NVARCHAR(5)); INSERT INTO p VALUES (1, 'a'), (2, 'a')").await;
    let r = s
        .execute("ALTER TABLE p ADD CONSTRAINT UQ_p_code UNIQUE (code)", &[])
        .await;
    assert_eq!(r.error_numbers(), [1505]);
    ok(&mut s, "ALTER TABLE p ADD CONSTRAINT PK_p PRIMARY KEY (id)").await;
    let r = s
        .execute(
            "ALTER TABLE p ADD CONSTRAINT PK_other PRIMARY KEY (code)",
            &[],
        )
        .await;
    assert_eq!(r.error_numbers(), [8110]);
    let r = s
        .execute("ALTER TABLE p ADD CONSTRAINT CK_p_id CHECK (id > 1)", &[])
        .await;
    assert_eq!(r.error_numbers(), [547]);
    ok(
        &mut s,
        "ALTER TABLE p ADD CONSTRAINT CK_p_id CHECK (id > 0)",
    )
    .await;
    ok(
        &mut s,
        "CREATE TABLE c (id INT, p_id INT); INSERT INTO c VALUES (1, 3)",
    )
    .await;
    let r = s
        .execute(
            "ALTER TABLE c ADD CONSTRAINT FK_c_p FOREIGN KEY (p_id) REFERENCES p (id)",
            &[],
        )
        .await;
    assert_eq!(r.error_numbers(), [547]);
    ok(&mut s, "UPDATE c SET p_id = 2; ALTER TABLE c ADD CONSTRAINT FK_c_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE").await;
    let r = s.execute("ALTER TABLE p DROP CONSTRAINT PK_p", &[]).await;
    assert_eq!(r.error_numbers(), [3725]);
    ok(&mut s, "ALTER TABLE p ADD note NVARCHAR(10) NULL").await;
    let r = ok(&mut s, "DELETE FROM p WHERE id = 2; SELECT COUNT(*) FROM c").await;
    assert_eq!(
        r.scalar(),
        Value::Int(0),
        "the cascade survived rebuilding the parent"
    );
    let r = s.execute("DROP TABLE p", &[]).await;
    assert_eq!(r.error_numbers(), [3726]);
    ok(&mut s, "DROP TABLE c; DROP TABLE p; DROP TABLE IF EXISTS p").await;
    let r = s.execute("DROP TABLE p", &[]).await;
    assert_eq!(r.error_numbers(), [3701]);
}

#[tokio::test]
async fn indexes_are_per_table_and_unique_ones_enforced() {
    let (_catalog, mut s) = session();
    ok(
        &mut s,
        "CREATE TABLE a (x INT, y INT); CREATE TABLE b (x INT)",
    )
    .await;
    ok(&mut s, "CREATE UNIQUE NONCLUSTERED INDEX IX_x ON dbo.a (x DESC) INCLUDE (y) WITH (ONLINE = ON); CREATE INDEX IX_x ON b (x)").await;
    let r = s.execute("CREATE INDEX IX_x ON a (y)", &[]).await;
    assert_eq!(r.error_numbers(), [1913]);
    ok(&mut s, "INSERT INTO a VALUES (1, 1)").await;
    let r = s.execute("INSERT INTO a VALUES (1, 2)", &[]).await;
    assert_eq!(r.error_numbers(), [2601]);
    assert_eq!(
        r.errors()[0].message,
        "Cannot insert duplicate key row in object 'dbo.a' with unique index 'IX_x'."
    );
    let r = ok(
        &mut s,
        "SELECT name, is_unique FROM sys.indexes WHERE object_id = OBJECT_ID('dbo.a')",
    )
    .await;
    assert_eq!(r.rows(), vec![vec![text("IX_x"), Value::Bit(true)]]);
    ok(
        &mut s,
        "DROP INDEX IX_x ON a; DROP INDEX b.IX_x; DROP INDEX IF EXISTS IX_x ON a",
    )
    .await;
    ok(&mut s, "INSERT INTO a VALUES (1, 2)").await;
    let r = s.execute("CREATE UNIQUE INDEX IX_x ON a (x)", &[]).await;
    assert_eq!(r.error_numbers(), [1505]);
}

#[tokio::test]
async fn schemas_hold_their_own_tables() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE SCHEMA billing AUTHORIZATION dbo").await;
    let r = s.execute("SELECT 1; CREATE SCHEMA other", &[]).await;
    assert_eq!(r.error_numbers(), [111]);
    ok(&mut s, "CREATE TABLE billing.t (id INT); CREATE TABLE dbo.t (id INT); INSERT INTO billing.t VALUES (1)").await;
    let r = ok(&mut s, "SELECT (SELECT COUNT(*) FROM billing.t), (SELECT COUNT(*) FROM t), SCHEMA_NAME(schema_id) FROM sys.tables WHERE name = 't' AND schema_id = SCHEMA_ID('billing')").await;
    assert_eq!(
        r.rows(),
        vec![vec![Value::Int(1), Value::Int(0), text("billing")]]
    );
    let r = s.execute("CREATE TABLE nowhere.t (id INT)", &[]).await;
    assert_eq!(r.error_numbers(), [2760]);
    let r = s.execute("DROP SCHEMA billing", &[]).await;
    assert_eq!(r.error_numbers(), [3729]);
    ok(&mut s, "DROP TABLE billing.t; DROP SCHEMA billing").await;
}

#[tokio::test]
async fn views_and_procedures_exist_as_text() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE t (id INT)").await;
    ok(&mut s, "CREATE VIEW dbo.v AS\nSELECT id FROM t").await;
    ok(
        &mut s,
        "CREATE PROCEDURE dbo.p @x INT AS BEGIN SELECT @x; SELECT 2 END",
    )
    .await;
    let r = s.execute("SELECT 1\nCREATE VIEW w AS SELECT 1", &[]).await;
    assert_eq!(r.error_numbers(), [111]);
    assert_eq!(
        r.errors()[0].message,
        "'CREATE VIEW' must be the first statement in a query batch."
    );
    let r = ok(
        &mut s,
        "SELECT OBJECT_ID('dbo.v', 'V'), OBJECT_ID('p', 'P'), OBJECT_ID('v', 'U')",
    )
    .await;
    let row = &r.rows()[0];
    assert!(
        matches!(row[0], Value::Int(_)) && matches!(row[1], Value::Int(_)) && row[2] == Value::Null
    );
    let r = s.execute("SELECT * FROM v", &[]).await;
    assert_eq!(r.error_numbers(), [crate::sql::TEXT_ONLY_ERROR]);
    let r = s.execute("EXEC dbo.p 1", &[]).await;
    assert_eq!(r.error_numbers(), [crate::sql::TEXT_ONLY_ERROR]);
    let r = s.execute("CREATE VIEW v AS SELECT 2", &[]).await;
    assert_eq!(r.error_numbers(), [2714]);
    ok(&mut s, "CREATE OR ALTER VIEW v AS SELECT 2").await;
    ok(&mut s, "ALTER PROCEDURE p AS SELECT 3").await;
    ok(
        &mut s,
        "DROP VIEW v; DROP PROCEDURE IF EXISTS p; DROP PROC IF EXISTS p",
    )
    .await;
    let r = s
        .execute("CREATE TRIGGER tr ON t AFTER INSERT AS SELECT 1", &[])
        .await;
    assert_eq!(r.error_numbers(), [crate::sql::NOT_SUPPORTED_ERROR]);
}

#[tokio::test]
async fn foreign_keys_need_a_key_on_the_other_side() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE p (id INT PRIMARY KEY, other INT)").await;
    let cases = [
        ("CREATE TABLE c1 (p_id INT REFERENCES missing (id))", 1767),
        ("CREATE TABLE c2 (p_id INT REFERENCES p (other))", 1776),
        (
            "CREATE TABLE c3 (p_id INT, q INT, FOREIGN KEY (p_id, q) REFERENCES p (id))",
            8139,
        ),
    ];
    for (sql, number) in cases {
        let r = s.execute(sql, &[]).await;
        assert_eq!(r.error_numbers(), [number], "{sql}");
    }
    ok(&mut s, "CREATE TABLE c (p_id INT REFERENCES p)").await;
    let r = ok(
        &mut s,
        "SELECT name, referenced_object_id FROM sys.foreign_keys",
    )
    .await;
    let id = ok(&mut s, "SELECT OBJECT_ID('p')").await.scalar();
    assert!(matches!(&r.rows()[0][0], Value::NVarChar(name) if name.starts_with("FK__c__p_id__")));
    assert_eq!(r.rows()[0][1], id);
}

#[tokio::test]
async fn foreign_key_actions_follow_the_constraint() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE a (id INT PRIMARY KEY); CREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a ON DELETE CASCADE ON UPDATE CASCADE)").await;
    ok(&mut s, "CREATE TABLE c (id INT PRIMARY KEY, b_id INT NULL, CONSTRAINT FK_c_b FOREIGN KEY (b_id) REFERENCES b (id) ON DELETE SET NULL)").await;
    ok(
        &mut s,
        "CREATE TABLE tree (id INT PRIMARY KEY, parent INT NULL REFERENCES tree (id))",
    )
    .await;
    ok(&mut s, "INSERT INTO a VALUES (1), (2); INSERT INTO b VALUES (10, 1), (20, 2); INSERT INTO c VALUES (100, 10), (200, 20)").await;
    ok(&mut s, "UPDATE a SET id = 3 WHERE id = 2").await;
    assert_eq!(
        ok(&mut s, "SELECT a_id FROM b WHERE id = 20")
            .await
            .scalar(),
        Value::Int(3)
    );
    ok(&mut s, "DELETE FROM a WHERE id = 1").await;
    let r = ok(
        &mut s,
        "SELECT (SELECT COUNT(*) FROM b), (SELECT b_id FROM c WHERE id = 100)",
    )
    .await;
    assert_eq!(
        r.rows(),
        vec![vec![Value::Int(1), Value::Null]],
        "b cascaded, c set to NULL"
    );
    ok(&mut s, "INSERT INTO tree VALUES (1, 1), (2, 1), (3, NULL)").await;
    let r = s
        .execute("UPDATE tree SET parent = 9 WHERE id = 2", &[])
        .await;
    assert_eq!(r.error_numbers(), [547]);
    assert!(
        r.errors()[0]
            .message
            .starts_with("The UPDATE statement conflicted with the FOREIGN KEY constraint")
    );
    ok(
        &mut s,
        "ALTER TABLE b ADD note NVARCHAR(10) NULL; ALTER TABLE c ADD extra INT NULL",
    )
    .await;
    let r = s
        .execute("INSERT INTO c (id, b_id) VALUES (300, 99)", &[])
        .await;
    assert_eq!(
        r.error_numbers(),
        [547],
        "rebuilt tables still check their keys"
    );
    ok(&mut s, "DELETE FROM a").await;
    let r = ok(
        &mut s,
        "SELECT (SELECT COUNT(*) FROM b), (SELECT COUNT(*) FROM c WHERE b_id IS NULL)",
    )
    .await;
    assert_eq!(
        r.rows(),
        vec![vec![Value::Int(0), Value::Int(2)]],
        "rebuilt parents still cascade"
    );
    ok(&mut s, "ALTER TABLE c DROP CONSTRAINT FK_c_b; DROP TABLE b").await;
}

#[tokio::test]
async fn sp_rename_renames_tables_columns_and_indexes() {
    let (_catalog, mut s) = session();
    ok(
        &mut s,
        "CREATE TABLE p (id INT CONSTRAINT PK_p PRIMARY KEY, code NVARCHAR(5) CHECK (code <> ''))",
    )
    .await;
    ok(&mut s, "CREATE TABLE c (id INT IDENTITY PRIMARY KEY, p_id INT CONSTRAINT FK_c_p REFERENCES p (id)); CREATE INDEX ix_c ON c (p_id)").await;
    ok(
        &mut s,
        "INSERT INTO p VALUES (1, 'a'); INSERT INTO c (p_id) VALUES (1)",
    )
    .await;
    let r = ok(&mut s, "EXEC sp_rename 'dbo.p.id', 'pid', 'COLUMN'").await;
    assert_eq!(r.infos(), [crate::sql::exec::rename::CAUTION]);
    ok(&mut s, "EXEC sp_rename 'dbo.p', 'parents'; EXEC sp_rename N'c.ix_c', N'ix_child', N'INDEX'; EXEC sp_rename 'c.p_id', 'parent_id', 'COLUMN'").await;
    let r = ok(&mut s, "SELECT pid, code FROM parents; SELECT name FROM sys.indexes WHERE object_id = OBJECT_ID('c') AND name LIKE 'ix%'").await;
    assert_eq!(r.result_sets()[0].1[0], vec![Value::Int(1), text("a")]);
    assert_eq!(r.rows(), vec![vec![text("ix_child")]]);
    let r = s.execute("INSERT INTO c (parent_id) VALUES (9)", &[]).await;
    assert_eq!(r.error_numbers(), [547]);
    assert!(
        r.errors()[0]
            .message
            .contains("table \"dbo.parents\", column 'pid'"),
        "{}",
        r.errors()[0].message
    );
    let r = s.execute("DELETE FROM parents", &[]).await;
    assert_eq!(r.error_numbers(), [547]);
    let r = s.execute("INSERT INTO parents VALUES (2, '')", &[]).await;
    assert_eq!(
        r.error_numbers(),
        [547],
        "the CHECK follows the renamed table"
    );
    ok(
        &mut s,
        "ALTER TABLE parents ADD extra INT NULL; INSERT INTO c (parent_id) VALUES (1)",
    )
    .await;
    let cases = [
        ("EXEC sp_rename 'nope', 'x'", 15248),
        ("EXEC sp_rename 'c.nope', 'x', 'COLUMN'", 15248),
        ("EXEC sp_rename 'c', 'parents'", 15335),
        (
            "EXEC sp_rename 'PK_p', 'PK_x'",
            crate::sql::NOT_SUPPORTED_ERROR,
        ),
    ];
    for (sql, number) in cases {
        let r = s.execute(sql, &[]).await;
        assert_eq!(r.error_numbers(), [number], "{sql}");
    }
}

#[tokio::test]
async fn the_default_keyword_takes_the_column_default() {
    let (_catalog, mut s) = session();
    ok(&mut s, "CREATE TABLE t (id INT NOT NULL, state NVARCHAR(10) NOT NULL DEFAULT 'new', note NVARCHAR(10) NULL)").await;
    ok(
        &mut s,
        "INSERT INTO t VALUES (1, DEFAULT, DEFAULT); INSERT INTO t (id, state) VALUES (2, 'done')",
    )
    .await;
    ok(&mut s, "UPDATE t SET state = DEFAULT WHERE id = 2").await;
    let r = ok(&mut s, "SELECT id, state, note FROM t ORDER BY id").await;
    assert_eq!(
        r.rows(),
        vec![
            vec![Value::Int(1), text("new"), Value::Null],
            vec![Value::Int(2), text("new"), Value::Null]
        ]
    );
    let r = s.execute("UPDATE t SET id = DEFAULT", &[]).await;
    assert_eq!(
        r.error_numbers(),
        [515],
        "no default: NULL, which the column refuses"
    );
    let r = s.execute("SELECT DEFAULT", &[]).await;
    assert_eq!(r.error_numbers(), [156]);
}
