use super::*;
use crate::migrate::lexer::Lexer;

/// The rules that fire on one batch, as (rule, line).
fn hits(sql: &str, no_transaction: bool) -> Vec<(Rule, usize)> {
    let tokens: Vec<_> = Lexer::new(sql)
        .map(Result::unwrap)
        .filter(|t| !t.kind.is_trivia())
        .collect();
    check_batch(&tokens, no_transaction)
        .into_iter()
        .map(|hit| (hit.rule, hit.line))
        .collect()
}

fn table(cases: &[(&str, &[(Rule, usize)])]) {
    for (sql, expected) in cases {
        assert_eq!(hits(sql, false), *expected, "input {sql:?}");
    }
}

use Rule::{
    CreateNotAlone as Create, CrossDatabaseName as Cross, NeedsNoTransaction as NoTx,
    TransactionStatement as Tx, UseStatement as Use,
};

#[test]
fn use_statements() {
    table(&[
        ("USE otherdb", &[(Use, 1)]),
        ("SELECT 1\nuse [tenant_2];", &[(Use, 2)]),
        (
            "SELECT * FROM t OPTION (USE HINT ('DISABLE_OPTIMIZED_PLAN_FORCING'))",
            &[],
        ),
        ("SELECT * FROM t OPTION (USE PLAN N'<xml/>')", &[]),
        ("SELECT 'USE otherdb' -- USE x\n/* USE y */", &[]),
        ("SELECT [USE] FROM t", &[]),
    ]);
}

#[test]
fn cross_database_names_in_object_positions() {
    table(&[
        ("SELECT * FROM otherdb.dbo.t", &[(Cross, 1)]),
        ("SELECT * FROM [other].[dbo].[t]", &[(Cross, 1)]),
        ("SELECT * FROM \"other\".\"dbo\".\"t\"", &[(Cross, 1)]),
        ("SELECT * FROM srv.db.dbo.t", &[(Cross, 1)]),
        ("SELECT * FROM db..t", &[(Cross, 1)]),
        (
            "SELECT *\nFROM a\nJOIN db.dbo.b ON a.id = b.id",
            &[(Cross, 3)],
        ),
        ("INSERT INTO db.dbo.t (a) VALUES (1)", &[(Cross, 1)]),
        ("INSERT db.dbo.t VALUES (1)", &[(Cross, 1)]),
        ("UPDATE db.dbo.t SET a = 1", &[(Cross, 1)]),
        ("DELETE FROM db.dbo.t", &[(Cross, 1)]),
        (
            "MERGE db.dbo.t AS x USING db2.dbo.s AS y ON x.id = y.id WHEN MATCHED THEN DELETE;",
            &[(Cross, 1), (Cross, 1)],
        ),
        ("CREATE TABLE db.dbo.t (id INT)", &[(Cross, 1)]),
        ("DROP TABLE IF EXISTS db.dbo.t", &[(Cross, 1)]),
        (
            "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES db.dbo.p (id)",
            &[(Cross, 1)],
        ),
        ("EXEC master.dbo.sp_configure", &[(Cross, 1)]),
        ("EXECUTE @rc = other.dbo.p 1", &[(Cross, 1)]),
        ("CREATE INDEX ix ON db.dbo.t (a)", &[(Cross, 1)]),
        ("GRANT SELECT ON OBJECT::db.dbo.t TO u", &[(Cross, 1)]),
        ("CREATE SYNONYM s FOR other.dbo.t", &[(Cross, 1)]),
        (
            "SELECT * FROM t CROSS APPLY other.dbo.f(t.a)",
            &[(Cross, 1)],
        ),
        ("SELECT a.b.c.d FROM t", &[(Cross, 1)]),
    ]);
}

#[test]
fn names_that_stay_in_the_database() {
    table(&[
        ("SELECT * FROM dbo.t", &[]),
        ("SELECT t.col FROM t", &[]),
        // A three-part column reference is legal T-SQL.
        ("SELECT dbo.t.col FROM dbo.t", &[]),
        (
            "SELECT *\nFROM dbo.a\nJOIN dbo.b ON dbo.a.id = dbo.b.a_id",
            &[],
        ),
        ("SELECT * FROM dbo.a JOIN dbo.b ON dbo.a.id IS NULL", &[]),
        ("UPDATE t SET dbo.t.a = 1 WHERE dbo.t.b > 2", &[]),
        ("SELECT dbo.t.* FROM dbo.t", &[]),
        ("SELECT @x.value('(/a)[1]', 'int')", &[]),
        (
            "SELECT dbo.docs.body.value('(/a)[1]', 'int') FROM dbo.docs",
            &[],
        ),
        (
            "SELECT 'db.dbo.t' FROM t -- FROM db.dbo.t\n/* JOIN a.b.c */",
            &[],
        ),
        ("SELECT 1.5, 2.0 FROM t", &[]),
        (
            "CREATE TABLE t (a INT DEFAULT 0, CONSTRAINT fk FOREIGN KEY (a) REFERENCES dbo.p (id) ON DELETE CASCADE)",
            &[],
        ),
    ]);
}

#[test]
fn create_not_alone() {
    table(&[
        ("CREATE PROCEDURE p AS SELECT 1", &[]),
        ("CREATE OR ALTER VIEW v AS SELECT 1", &[]),
        ("ALTER FUNCTION f() RETURNS INT AS BEGIN RETURN 1 END", &[]),
        (
            "CREATE TABLE t (a INT);\nCREATE VIEW v AS SELECT a FROM t",
            &[(Create, 2)],
        ),
        (
            "SET ANSI_NULLS ON\nCREATE PROC p AS SELECT 1",
            &[(Create, 2)],
        ),
        (
            "DROP VIEW IF EXISTS v;\n\nCREATE OR ALTER VIEW v AS SELECT 1",
            &[(Create, 3)],
        ),
        (
            "PRINT 'x'\nALTER TRIGGER tr ON t AFTER INSERT AS SELECT 1",
            &[(Create, 2)],
        ),
        ("SELECT 1\nCREATE SCHEMA s", &[(Create, 2)]),
        ("SELECT 1\nCREATE DEFAULT d AS 0", &[(Create, 2)]),
        // Only the first one: what follows belongs to its body.
        (
            "CREATE PROCEDURE p AS CREATE TABLE #t (a INT); SELECT 1",
            &[],
        ),
        (
            "CREATE SCHEMA s AUTHORIZATION dbo CREATE VIEW s.v AS SELECT 1",
            &[],
        ),
        (
            "SELECT 1\nCREATE VIEW a AS SELECT 1\nCREATE VIEW b AS SELECT 1",
            &[(Create, 2)],
        ),
        // Not the statements of rule 111.
        (
            "SELECT 1; CREATE TABLE t (a INT); CREATE INDEX ix ON t (a)",
            &[],
        ),
        (
            "SELECT 1; CREATE PARTITION FUNCTION pf (INT) AS RANGE LEFT FOR VALUES (1)",
            &[],
        ),
        (
            "SELECT 1; ALTER TABLE t DISABLE TRIGGER tr; DROP VIEW v",
            &[],
        ),
        ("EXEC ('SELECT 1; CREATE VIEW v AS SELECT 1')", &[]),
        // Permissions, not statements.
        (
            "CREATE ROLE r;\nGRANT CREATE VIEW, CREATE PROCEDURE TO r;\nDENY CREATE SCHEMA TO r",
            &[],
        ),
        (
            "SELECT 1; REVOKE GRANT OPTION FOR CREATE FUNCTION FROM r CASCADE",
            &[],
        ),
    ]);
}

#[test]
fn statements_refused_in_a_transaction() {
    table(&[
        (
            "ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON",
            &[(NoTx, 1)],
        ),
        ("CREATE DATABASE x", &[(NoTx, 1)]),
        ("\nDROP DATABASE x", &[(NoTx, 2)]),
        ("BACKUP DATABASE x TO DISK = 'x'", &[(NoTx, 1)]),
        ("RESTORE DATABASE x FROM DISK = 'x'", &[(NoTx, 1)]),
        ("EXEC sp_configure 'x', 1;\nRECONFIGURE", &[(NoTx, 2)]),
        ("CREATE FULLTEXT CATALOG c", &[(NoTx, 1)]),
        ("ALTER FULLTEXT INDEX ON t ENABLE", &[(NoTx, 1)]),
        ("DROP FULLTEXT INDEX ON t", &[(NoTx, 1)]),
        ("ALTER DATABASE SCOPED CONFIGURATION SET MAXDOP = 1", &[]),
        (
            "CREATE DATABASE AUDIT SPECIFICATION a FOR SERVER AUDIT b",
            &[],
        ),
        (
            "CREATE DATABASE ENCRYPTION KEY WITH ALGORITHM = AES_256 ENCRYPTION BY SERVER CERTIFICATE c",
            &[],
        ),
        ("CREATE FULLTEXT STOPLIST s", &[]),
        ("SELECT 'BACKUP' AS [RESTORE] -- RECONFIGURE", &[]),
        ("GRANT BACKUP DATABASE, BACKUP LOG TO backup_operator", &[]),
        (
            "DENY CREATE DATABASE TO u; REVOKE ALTER ANY DATABASE FROM u",
            &[],
        ),
    ]);
    assert_eq!(hits("ALTER DATABASE CURRENT SET x ON", true), []);
}

#[test]
fn transaction_statements_in_a_transactional_file() {
    table(&[
        ("BEGIN TRAN;\nCREATE TABLE t (a INT);", &[(Tx, 1)]),
        (
            "begin transaction t1\nINSERT t VALUES (1)\ncommit transaction t1",
            &[(Tx, 1), (Tx, 3)],
        ),
        ("BEGIN DISTRIBUTED TRANSACTION", &[(Tx, 1)]),
        ("COMMIT", &[(Tx, 1)]),
        ("COMMIT WORK", &[(Tx, 1)]),
        ("IF @@TRANCOUNT > 0 ROLLBACK;", &[(Tx, 1)]),
        (
            "BEGIN TRY\n  SELECT 1\nEND TRY\nBEGIN CATCH\n  ROLLBACK TRANSACTION;\n  THROW;\nEND CATCH",
            &[(Tx, 5)],
        ),
        // An unknown name may be the outermost transaction: reported.
        ("ROLLBACK TRAN elsewhere", &[(Tx, 1)]),
        // A savepoint leaves @@TRANCOUNT alone.
        (
            "SAVE TRAN before_seed;\nDELETE FROM t;\nROLLBACK TRAN before_seed;",
            &[],
        ),
        ("SAVE TRANSACTION s; ROLLBACK TRANSACTION s", &[]),
        ("SAVE TRANSACTION s; ROLLBACK TRANSACTION S", &[(Tx, 1)]),
        // Blocks, error handling and dialogs are not transactions.
        (
            "IF 1 = 1 BEGIN SELECT 1 END; BEGIN TRY SELECT 1 END TRY BEGIN CATCH SELECT 2 END CATCH",
            &[],
        ),
        (
            "BEGIN DIALOG CONVERSATION @h FROM SERVICE a TO SERVICE 'b'",
            &[],
        ),
        // Options of other statements.
        (
            "ALTER DATABASE CURRENT SET SINGLE_USER WITH ROLLBACK IMMEDIATE",
            &[(NoTx, 1)],
        ),
        (
            "ALTER DATABASE CURRENT SET READ_ONLY WITH ROLLBACK AFTER 10 SECONDS",
            &[(NoTx, 1)],
        ),
        // Bodies of modules run when called, not in the migration.
        (
            "CREATE PROCEDURE p AS\nBEGIN TRAN\nUPDATE t SET a = 1\nCOMMIT",
            &[],
        ),
        (
            "CREATE TRIGGER tr ON t AFTER INSERT AS IF 1 = 0 ROLLBACK",
            &[],
        ),
        (
            "BEGIN TRAN\nCREATE OR ALTER PROC p AS COMMIT",
            &[(Create, 2), (Tx, 1)],
        ),
        // Strings, comments and bracketed names are not statements.
        (
            "SELECT 'COMMIT' AS [ROLLBACK] -- BEGIN TRAN\n/* COMMIT */",
            &[],
        ),
        ("EXEC ('BEGIN TRAN')", &[]),
    ]);
    assert_eq!(hits("BEGIN TRAN;\nCOMMIT;", true), []);
}

#[test]
fn messages_name_the_statement() {
    let tokens: Vec<_> =
        Lexer::new("SELECT 1\ncreate or alter view v as select 1\nUSE x\nBACKUP LOG x")
            .map(Result::unwrap)
            .filter(|t| !t.kind.is_trivia())
            .collect();
    let messages: Vec<String> = check_batch(&tokens, false)
        .into_iter()
        .map(|h| h.message)
        .collect();
    assert_eq!(
        messages,
        [
            "`USE x` switches the session away from the workspace database",
            "`CREATE OR ALTER VIEW` must be the first statement of its batch, but follows other statements",
            "`BACKUP` cannot run inside a transaction, and this file has no `-- wsdb:no-transaction`",
        ]
    );
}

#[test]
fn transaction_messages_say_what_the_statement_does() {
    let tokens: Vec<_> = Lexer::new("BEGIN TRAN\nCOMMIT\nROLLBACK")
        .map(Result::unwrap)
        .filter(|t| !t.kind.is_trivia())
        .collect();
    let messages: Vec<String> = check_batch(&tokens, false)
        .into_iter()
        .map(|h| h.message)
        .collect();
    assert_eq!(
        messages,
        [
            "`BEGIN TRANSACTION` in a migration wsdb already runs in one transaction: it only nests inside it, and left open it makes wsdb roll the migration back",
            "`COMMIT` in a migration wsdb already runs in one transaction: it commits wsdb's transaction part-way, or only closes a nested one",
            "`ROLLBACK` in a migration wsdb already runs in one transaction: it rolls back wsdb's whole transaction, and what follows runs outside any",
        ]
    );
}
