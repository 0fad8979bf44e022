//! Translator tests: literal typing, column resolution, inline mode, and
//! that every function the parser accepts translates.

use rusqlite::types::Value as Lite;

use super::expr::number_literal;
use super::{Env, Source, SourceColumn, Translator, Variables};
use crate::sql::ast::{Expr, Literal};
use crate::sql::parser::FUNCTIONS;
use crate::sql::testkit::session;
use crate::sql::types::DataType;

fn with_translator(test: impl FnOnce(&mut Translator<'_>)) {
    let (_catalog, mut s) = session();
    s.ensure_connection().unwrap();
    let vars = Variables::new();
    let env = Env {
        session: &s,
        conn: s.connection().unwrap(),
        vars: &vars,
        rowcount: 0,
        error: 0,
    };
    let mut translator = Translator::new(&env);
    test(&mut translator);
}

fn source(exposed: &str, columns: &[&str]) -> Source {
    Source {
        exposed: exposed.into(),
        qualified: Some(("dbo".into(), exposed.into())),
        columns: columns
            .iter()
            .map(|c| SourceColumn {
                name: (*c).into(),
                ty: Some(DataType::Int),
                nullable: true,
            })
            .collect(),
    }
}

fn column(parts: &[&str]) -> Expr {
    Expr::Column(parts.iter().map(|p| (*p).to_string()).collect())
}

#[test]
fn numeric_literals_are_typed_like_sql_server() {
    let cases = [
        ("1", Some(DataType::Int)),
        (
            "2147483648",
            Some(DataType::Decimal {
                precision: 10,
                scale: 0,
            }),
        ),
        (
            "1.50",
            Some(DataType::Decimal {
                precision: 3,
                scale: 2,
            }),
        ),
        (
            ".5",
            Some(DataType::Decimal {
                precision: 1,
                scale: 1,
            }),
        ),
        ("1e3", Some(DataType::Float)),
    ];
    for (text, ty) in cases {
        assert_eq!(number_literal(text).ty, ty, "{text}");
    }
    assert_eq!(number_literal(".5").sql, "0.5");
}

#[test]
fn columns_resolve_through_scopes() {
    with_translator(|t| {
        t.push_scope(vec![source("a", &["id", "x"]), source("b", &["id", "y"])]);
        assert_eq!(t.expr(&column(&["y"])).unwrap().sql, "\"b\".\"y\"");
        assert_eq!(t.expr(&column(&["a", "id"])).unwrap().sql, "\"a\".\"id\"");
        assert_eq!(
            t.expr(&column(&["dbo", "b", "id"])).unwrap().sql,
            "\"b\".\"id\""
        );
        assert_eq!(t.expr(&column(&["id"])).unwrap_err().number, 209);
        assert_eq!(t.expr(&column(&["a", "nope"])).unwrap_err().number, 207);
        assert_eq!(t.expr(&column(&["zz", "id"])).unwrap_err().number, 4104);
        t.push_scope(vec![source("c", &["z"])]);
        assert_eq!(
            t.expr(&column(&["x"])).unwrap().sql,
            "\"a\".\"x\"",
            "outer scopes are visible"
        );
        assert_eq!(
            t.expr(&column(&["alias"])).unwrap_err().number,
            207,
            "no alias outside ORDER BY"
        );
        t.ordering = true;
        assert_eq!(
            t.expr(&column(&["alias"])).unwrap().sql,
            "\"alias\"",
            "left for SQLite: an ORDER BY alias"
        );
    });
}

#[test]
fn parameters_are_bound_and_inline_mode_writes_literals() {
    let (_catalog, mut s) = session();
    s.ensure_connection().unwrap();
    let vars = Variables::new();
    let env = Env {
        session: &s,
        conn: s.connection().unwrap(),
        vars: &vars,
        rowcount: 0,
        error: 0,
    };
    let mut bound = Translator::new(&env);
    let text = Expr::Literal(Literal::String {
        text: "it's".into(),
        national: true,
    });
    assert_eq!(bound.expr(&text).unwrap().sql, "?1");
    let translated = bound.finish("SELECT ?1".into()).unwrap();
    assert_eq!(translated.params, vec![Lite::Text("it's".into())]);
    let mut inline = Translator::inline(&env);
    assert_eq!(inline.expr(&text).unwrap().sql, "'it''s'");
    assert_eq!(inline.bind(Lite::Blob(vec![1, 255])).unwrap(), "X'01FF'");
    assert_eq!(
        inline.expr(&Expr::Variable("v".into())).unwrap_err().number,
        crate::sql::NOT_SUPPORTED_ERROR
    );
}

#[test]
fn every_function_the_parser_accepts_translates() {
    with_translator(|t| {
        // DATEADD and friends take a bare unit word, which parses as a column.
        t.push_scope(vec![source("units", &["day"])]);
        let arguments = [
            column(&["day"]),
            Expr::Literal(Literal::Number("1".into())),
            Expr::Literal(Literal::String {
                text: "x".into(),
                national: false,
            }),
            Expr::Literal(Literal::String {
                text: "Session".into(),
                national: false,
            }),
        ];
        // IIF never gets here: the parser turns it into CASE.
        for name in FUNCTIONS.iter().filter(|n| **n != "IIF") {
            let translated = (0..=arguments.len()).any(|arity| {
                let expr = Expr::Function {
                    name: (*name).into(),
                    args: arguments[..arity].to_vec(),
                    distinct: false,
                    star: false,
                };
                t.expr(&expr).is_ok()
            });
            assert!(translated, "{name} translates with no argument count");
        }
    });
}

#[test]
fn system_views_become_common_table_expressions() {
    let (_catalog, mut s) = session();
    s.ensure_connection().unwrap();
    let vars = Variables::new();
    let env = Env {
        session: &s,
        conn: s.connection().unwrap(),
        vars: &vars,
        rowcount: 0,
        error: 0,
    };
    let mut translator = Translator::new(&env);
    translator.use_view(crate::sql::sysviews::SysView::Tables);
    let translated = translator
        .finish("SELECT 1 FROM \"sys.tables\"".into())
        .unwrap();
    assert!(
        translated.sql.starts_with("WITH \"sys.tables\"(\"name\", "),
        "{}",
        translated.sql
    );
}
