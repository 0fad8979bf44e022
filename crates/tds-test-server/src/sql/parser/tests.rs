//! Parser tests: which statements a batch holds, and the compile errors
//! SQL Server gives for malformed ones.

use super::parse_batch;
use crate::sql::ast::{
    AlterAction, ConstraintBody, ExecTarget, Expr, InsertSource, Literal, QueryBody, SelectItem,
    StmtKind,
};

/// A one-word summary per statement, nested statements in brackets.
fn shape(sql: &str) -> Vec<String> {
    let parsed = parse_batch(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    parsed.statements.iter().map(|s| kind(&s.kind)).collect()
}

fn kind(statement: &StmtKind) -> String {
    match statement {
        StmtKind::Query(_) => "select".into(),
        StmtKind::Insert(_) => "insert".into(),
        StmtKind::Update(_) => "update".into(),
        StmtKind::Delete(_) => "delete".into(),
        StmtKind::CreateTable(_) => "create-table".into(),
        StmtKind::AlterTable(_) => "alter-table".into(),
        StmtKind::If {
            then, otherwise, ..
        } => {
            format!(
                "if[{}{}]",
                kind(&then.kind),
                otherwise
                    .as_ref()
                    .map(|o| format!("|{}", kind(&o.kind)))
                    .unwrap_or_default()
            )
        }
        StmtKind::Block(list) => format!(
            "block[{}]",
            list.iter()
                .map(|s| kind(&s.kind))
                .collect::<Vec<_>>()
                .join(",")
        ),
        StmtKind::Exec { .. } => "exec".into(),
        StmtKind::Declare(_) => "declare".into(),
        StmtKind::SetVariable { .. } => "set-var".into(),
        StmtKind::SetOption { .. } => "set-option".into(),
        StmtKind::BeginTran => "begin".into(),
        StmtKind::CommitTran => "commit".into(),
        StmtKind::RollbackTran => "rollback".into(),
        StmtKind::CreateModule { .. } => "module".into(),
        StmtKind::Print(_) => "print".into(),
        StmtKind::Throw { .. } => "throw".into(),
        other => format!("{other:?}")
            .split([' ', '(', '{'])
            .next()
            .unwrap_or("?")
            .to_lowercase(),
    }
}

#[test]
fn statements_end_where_the_grammar_says() {
    let cases: &[(&str, &[&str])] = &[
        ("SELECT 1 SELECT 2", &["select", "select"]),
        ("SELECT 1; ; SELECT 2;", &["select", "select"]),
        (
            "SELECT a FROM t WHERE x = 1 INSERT INTO t VALUES (1)",
            &["select", "insert"],
        ),
        (
            "SET XACT_ABORT ON; BEGIN TRANSACTION;",
            &["set-option", "begin"],
        ),
        ("IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION", &["if[rollback]"]),
        (
            "IF 1 = 1 BEGIN PRINT 'a' PRINT 'b' END ELSE PRINT 'c'",
            &["if[block[print,print]|print]"],
        ),
        (
            "DECLARE @r INT; EXEC @r = sp_getapplock @Resource = 'x', @LockMode = 'Exclusive'; SELECT @r",
            &["declare", "exec", "select"],
        ),
        ("COMMIT TRAN x ROLLBACK WORK", &["commit", "rollback"]),
        ("sp_getapplock 'x', 'Exclusive'", &["exec"]),
        ("CREATE PROCEDURE p AS SELECT 1; SELECT 2", &["module"]),
        ("SELECT 1 AS THROW", &["select"]),
        ("SELECT 1; THROW 50000, 'x', 1", &["select", "throw"]),
    ];
    for (sql, expected) in cases {
        assert_eq!(shape(sql), *expected, "{sql}");
    }
}

#[test]
fn compile_errors_have_sql_server_numbers() {
    let cases = [
        ("SELECT FROM t", 156),
        ("SELECT 1 +", 102),
        ("SELECT (1", 102),
        ("INSERT t VALUES (1", 102),
        ("CREATE TABLE t (id INT", 102),
        ("CREATE TABLE t (id FOO)", 2715),
        ("CREATE TABLE t (x NVARCHAR(9000))", 102),
        ("SELECT 1\nCREATE VIEW v AS SELECT 1", 111),
        ("SELECT 1; CREATE SCHEMA s", 111),
        ("SELECT NO_SUCH_FN(1)", 195),
        ("SELECT @a = 1, 2", 141),
        ("SELECT 1 WHERE 2", 4145),
        ("SELECT x FROM t WHERE NOT 1", 102),
        (
            "BEGIN TRY SELECT 1 END TRY BEGIN CATCH END CATCH",
            crate::sql::NOT_SUPPORTED_ERROR,
        ),
        (
            "SELECT ROW_NUMBER() OVER (ORDER BY x) FROM t",
            crate::sql::NOT_SUPPORTED_ERROR,
        ),
        (
            "SELECT STUFF('abc', 1, 1, 'x')",
            crate::sql::NOT_SUPPORTED_ERROR,
        ),
        (
            "SELECT COUNT(*) OVER () FROM t",
            crate::sql::NOT_SUPPORTED_ERROR,
        ),
        ("DECLARE @t TABLE (id INT)", crate::sql::NOT_SUPPORTED_ERROR),
        (
            "UPDATE t SET a = 1 OUTPUT inserted.a",
            crate::sql::NOT_SUPPORTED_ERROR,
        ),
    ];
    for (sql, number) in cases {
        let error = parse_batch(sql)
            .err()
            .unwrap_or_else(|| panic!("{sql} parsed"));
        assert_eq!(error.number, number, "{sql}: {}", error.message);
    }
}

#[test]
fn select_items_tell_aliases_assignments_and_wildcards_apart() {
    let parsed = parse_batch("SELECT *, t.*, a = 1, 2 b, 3 AS 'c', x FROM t").unwrap();
    let StmtKind::Query(query) = &parsed.statements[0].kind else {
        panic!()
    };
    let QueryBody::Select(select) = &query.body else {
        panic!()
    };
    let described: Vec<String> = select
        .items
        .iter()
        .map(|item| match item {
            SelectItem::Wildcard { qualifier: None } => "*".into(),
            SelectItem::Wildcard { qualifier: Some(q) } => format!("{}.*", q.join(".")),
            SelectItem::Expr { alias, .. } => alias.clone().unwrap_or_else(|| "-".into()),
            SelectItem::Assign { variable, .. } => format!("@{variable}"),
        })
        .collect();
    assert_eq!(described, ["*", "t.*", "a", "b", "c", "-"]);
    let parsed = parse_batch("DECLARE @v INT; SELECT @v = COUNT(*) FROM t").unwrap();
    let StmtKind::Query(query) = &parsed.statements[1].kind else {
        panic!()
    };
    let QueryBody::Select(select) = &query.body else {
        panic!()
    };
    assert!(matches!(&select.items[0], SelectItem::Assign { variable, .. } if variable == "v"));
}

#[test]
fn table_definitions_keep_columns_and_constraints() {
    let sql = "CREATE TABLE [dbo].[x y] (id BIGINT IDENTITY(10, 5) NOT NULL CONSTRAINT PK_x PRIMARY KEY CLUSTERED, \
               name NVARCHAR(MAX) NULL DEFAULT (N'a'), p INT REFERENCES dbo.p (id) ON DELETE CASCADE, \
               CONSTRAINT UQ_x UNIQUE NONCLUSTERED (name ASC), CHECK (id > 0)) ON [PRIMARY]";
    let parsed = parse_batch(sql).unwrap();
    let StmtKind::CreateTable(table) = &parsed.statements[0].kind else {
        panic!()
    };
    assert_eq!(table.name.parts, ["dbo", "x y"]);
    let columns: Vec<(&str, String, Option<bool>)> = table
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.ty.decl(), c.nullable))
        .collect();
    assert_eq!(
        columns,
        [
            ("id", "BIGINT".into(), Some(false)),
            ("name", "NVARCHAR(MAX)".into(), Some(true)),
            ("p", "INT".into(), None)
        ]
    );
    assert_eq!(table.columns[0].identity, Some((10, 5)));
    assert!(
        matches!(&table.columns[0].constraints[0].body, ConstraintBody::PrimaryKey(c) if c == &["id"])
    );
    assert!(matches!(
        &table.columns[1].default,
        Some((None, Expr::Literal(Literal::String { national: true, .. })))
    ));
    assert!(
        matches!(&table.columns[2].constraints[0].body, ConstraintBody::ForeignKey { table, .. } if table.parts == ["dbo", "p"])
    );
    assert_eq!(table.constraints.len(), 2);
}

#[test]
fn alter_table_forms() {
    let cases = [
        ("ALTER TABLE t ADD a INT NULL, b INT", "add-columns"),
        (
            "ALTER TABLE t ADD CONSTRAINT DF_a DEFAULT 0 FOR a",
            "add-constraints",
        ),
        (
            "ALTER TABLE t WITH CHECK ADD CONSTRAINT FK FOREIGN KEY (a) REFERENCES p (id)",
            "add-constraints",
        ),
        ("ALTER TABLE t DROP COLUMN IF EXISTS a, b", "drop-columns"),
        ("ALTER TABLE t DROP CONSTRAINT DF_a", "drop-constraints"),
        (
            "ALTER TABLE t ALTER COLUMN a NVARCHAR(20) NOT NULL",
            "alter-column",
        ),
    ];
    for (sql, expected) in cases {
        let parsed = parse_batch(sql).unwrap();
        let StmtKind::AlterTable(alter) = &parsed.statements[0].kind else {
            panic!("{sql}")
        };
        let found = match &alter.action {
            AlterAction::AddColumns(_) => "add-columns",
            AlterAction::AddConstraints(_) => "add-constraints",
            AlterAction::DropColumns { .. } => "drop-columns",
            AlterAction::DropConstraints { .. } => "drop-constraints",
            AlterAction::AlterColumn { .. } => "alter-column",
        };
        assert_eq!(found, expected, "{sql}");
    }
}

#[test]
fn exec_arguments_and_dynamic_sql() {
    let parsed = parse_batch("EXEC sp_releaseapplock @Resource = @P1, @LockOwner = 'Session'; EXEC ('SELECT ' + '1'); EXEC p abc, DEFAULT, -1").unwrap();
    let StmtKind::Exec {
        target: ExecTarget::Procedure { name, args },
        status: None,
    } = &parsed.statements[0].kind
    else {
        panic!()
    };
    assert_eq!(name.parts, ["sp_releaseapplock"]);
    let names: Vec<Option<&str>> = args.iter().map(|a| a.name.as_deref()).collect();
    assert_eq!(names, [Some("resource"), Some("lockowner")]);
    assert!(matches!(
        &parsed.statements[1].kind,
        StmtKind::Exec {
            target: ExecTarget::Dynamic(_),
            ..
        }
    ));
    let StmtKind::Exec {
        target: ExecTarget::Procedure { args, .. },
        ..
    } = &parsed.statements[2].kind
    else {
        panic!()
    };
    assert!(
        matches!(&args[0].value, Some(Expr::Literal(Literal::String { text, .. })) if text == "abc"),
        "a bare word is a string"
    );
    assert!(args[1].value.is_none(), "DEFAULT");
    assert!(matches!(&args[2].value, Some(Expr::Literal(Literal::Number(n))) if n == "-1"));
}

#[test]
fn variables_are_recorded_in_batch_order() {
    let parsed =
        parse_batch("DECLARE @a INT = @p1; SET @a += 1; EXEC @a = sp_x @Named = @b").unwrap();
    let uses: Vec<(String, bool)> = parsed
        .variables
        .iter()
        .map(|v| (v.name.clone(), v.declared.is_some()))
        .collect();
    assert_eq!(
        uses,
        [
            ("a".into(), true),
            ("p1".into(), false),
            ("a".into(), false),
            ("a".into(), false),
            ("b".into(), false)
        ]
    );
}

#[test]
fn statements_know_their_text_and_line() {
    let sql = "SELECT 1;\n  INSERT INTO t\n  VALUES (1);";
    let parsed = parse_batch(sql).unwrap();
    let spans: Vec<(&str, u32)> = parsed
        .statements
        .iter()
        .map(|s| (&sql[s.start..s.end], s.line))
        .collect();
    assert_eq!(spans, [("SELECT 1", 1), ("INSERT INTO t\n  VALUES (1)", 2)]);
    let StmtKind::Insert(insert) = &parsed.statements[1].kind else {
        panic!()
    };
    assert!(matches!(&insert.source, InsertSource::Values(rows) if rows.len() == 1));
}
