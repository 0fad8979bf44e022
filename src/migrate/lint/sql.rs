//! The lint rules that read T-SQL, one batch at a time, over the lexer's
//! tokens (so strings and comments never trigger them).
//!
//! These are heuristics over tokens, not a parser. They are tuned to never
//! fire on legal tenant-local SQL, at the price of missing some rare forms;
//! the misses are documented in `docs/migrations.md` (dynamic SQL in strings
//! is never checked). This module does not know files or severities; see
//! [`super`].

use crate::migrate::lexer::{Token, TokenKind};

use super::Rule;

/// A rule that fired, at a line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Hit {
    pub rule: Rule,
    pub line: usize,
    pub message: String,
    pub hint: &'static str,
}

/// Runs every token rule over one batch's significant tokens (no
/// whitespace, comments or line breaks).
pub(super) fn check_batch(tokens: &[Token<'_>], no_transaction: bool) -> Vec<Hit> {
    let mut hits = Vec::new();
    use_statements(tokens, &mut hits);
    cross_database_names(tokens, &mut hits);
    create_not_alone(tokens, &mut hits);
    if !no_transaction {
        non_transactional(tokens, &mut hits);
        transaction_statements(tokens, &mut hits);
    }
    hits
}

fn word_in(token: Option<&Token<'_>>, words: &[&str]) -> bool {
    token.is_some_and(|t| words.iter().any(|w| t.is_word(w)))
}

/// `USE db` switches the session to another database. (`USE PLAN` and
/// `USE HINT` are query hints, not statements.)
fn use_statements(tokens: &[Token<'_>], hits: &mut Vec<Hit>) {
    for (i, token) in tokens.iter().enumerate() {
        if token.is_word("USE") && !word_in(tokens.get(i + 1), &["PLAN", "HINT"]) {
            let target = tokens.get(i + 1).map_or("", |t| t.text);
            hits.push(Hit {
                rule: Rule::UseStatement,
                line: token.line,
                message: format!("`USE {target}` switches the session away from the workspace database"),
                hint: "remove it: wsdb runs every migration in the database of the workspace it migrates",
            });
        }
    }
}

/// Keywords after which a name is an object (table, view, procedure...),
/// not a column: a three-part name there is `database.schema.object`.
const OBJECT_KEYWORDS: &[&str] = &[
    "FROM",
    "JOIN",
    "INTO",
    "UPDATE",
    "TABLE",
    "REFERENCES",
    "EXEC",
    "EXECUTE",
    "ON",
    "MERGE",
    "USING",
    "APPLY",
    "DELETE",
    "INSERT",
    "VIEW",
    "PROCEDURE",
    "PROC",
    "FUNCTION",
    "TRIGGER",
    "FOR",
    "STATISTICS",
];

/// After `ON`, a name followed by one of these is a join condition's column
/// (`ON s.t.c = ...`), not the object of `CREATE INDEX ... ON db.s.t (c)`.
const EXPRESSION_WORDS: &[&str] = &["IS", "IN", "BETWEEN", "LIKE", "NOT", "COLLATE", "AND", "OR"];
const OPERATORS: &str = "=<>!+-*/%&|^";

fn is_name_part(token: &Token<'_>) -> bool {
    match token.kind {
        TokenKind::Word => !token.text.starts_with('@'),
        TokenKind::BracketIdent | TokenKind::QuotedIdent => true,
        _ => false,
    }
}

/// A dotted name starting at `start`: its parts (`None` for the empty part
/// of `db..t`) and the index just after it.
fn read_name<'t, 'a>(tokens: &'t [Token<'a>], start: usize) -> (Vec<Option<&'t Token<'a>>>, usize) {
    let mut parts = vec![Some(&tokens[start])];
    let mut i = start + 1;
    while tokens.get(i).is_some_and(|t| t.is_punct('.')) {
        match tokens.get(i + 1) {
            Some(next) if is_name_part(next) => {
                parts.push(Some(next));
                i += 2;
            }
            Some(next) if next.is_punct('.') => {
                parts.push(None);
                i += 1;
            }
            // `t.*`: the name ends before the dot.
            _ => break,
        }
    }
    (parts, i)
}

/// Whether the name starting at `start` is where an object goes.
fn object_position(tokens: &[Token<'_>], start: usize) -> Option<&'static str> {
    let before = |back: usize| start.checked_sub(back).and_then(|i| tokens.get(i));
    let keyword = |token: Option<&Token<'_>>| {
        OBJECT_KEYWORDS
            .iter()
            .find(|k| token.is_some_and(|t| t.is_word(k)))
            .copied()
    };
    if let Some(k) = keyword(before(1)) {
        return Some(k);
    }
    // `DROP TABLE IF EXISTS db.s.t`
    if word_in(before(1), &["EXISTS"]) && word_in(before(2), &["IF"]) {
        return keyword(before(3));
    }
    // `GRANT SELECT ON OBJECT::db.s.t`
    if before(1).is_some_and(|t| t.is_punct(':')) && before(2).is_some_and(|t| t.is_punct(':')) {
        return Some("::");
    }
    // `EXEC @rc = db.s.p`
    let is_variable = |t: Option<&Token<'_>>| {
        t.is_some_and(|t| t.kind == TokenKind::Word && t.text.starts_with('@'))
    };
    if before(1).is_some_and(|t| t.is_punct('='))
        && is_variable(before(2))
        && word_in(before(3), &["EXEC", "EXECUTE"])
    {
        return Some("EXEC");
    }
    None
}

fn continues_an_expression(token: Option<&Token<'_>>) -> bool {
    token.is_some_and(|t| {
        (t.kind == TokenKind::Punct && t.text.chars().all(|c| OPERATORS.contains(c)))
            || word_in(Some(t), EXPRESSION_WORDS)
    })
}

/// Three-part names in object positions, names with an empty schema
/// (`db..t`), and names of four parts or more anywhere (except a method
/// call on a column, `schema.table.column.method(...)`).
fn cross_database_names(tokens: &[Token<'_>], hits: &mut Vec<Hit>) {
    let mut i = 0;
    while i < tokens.len() {
        let follows_dot = i > 0 && tokens[i - 1].is_punct('.');
        if !is_name_part(&tokens[i]) || follows_dot {
            i += 1;
            continue;
        }
        let (parts, end) = read_name(tokens, i);
        let position = object_position(tokens, i);
        let in_object_position = match position {
            Some("ON") => !continues_an_expression(tokens.get(end)),
            other => other.is_some(),
        };
        let method_call = tokens.get(end).is_some_and(|t| t.is_punct('('));
        let reaches_out = match parts.len() {
            0..=2 => false,
            3 => in_object_position || parts[1].is_none(),
            4 => in_object_position || !method_call,
            _ => true,
        };
        if reaches_out {
            let name: Vec<&str> = parts.iter().map(|p| p.map_or("", |t| t.text)).collect();
            hits.push(Hit {
                rule: Rule::CrossDatabaseName,
                line: tokens[i].line,
                message: format!("`{}` names another database or server", name.join(".")),
                hint: "use a one- or two-part name (`schema.object`): each workspace's migration must stay in its own database",
            });
        }
        i = end.max(i + 1);
    }
}

const MODULES: &[&str] = &["PROCEDURE", "PROC", "VIEW", "FUNCTION", "TRIGGER"];
/// Created only with `CREATE`, and also required to start their batch.
const CREATE_ONLY: &[&str] = &["DEFAULT", "RULE", "SCHEMA"];

/// Whether the keyword at `i` names a permission (`GRANT CREATE VIEW`,
/// `DENY BACKUP DATABASE`, `GRANT SELECT, CREATE TABLE`) rather than
/// starting a statement.
fn names_a_permission(tokens: &[Token<'_>], i: usize) -> bool {
    let previous = i.checked_sub(1).and_then(|p| tokens.get(p));
    word_in(previous, &["GRANT", "DENY", "REVOKE", "FOR"])
        || previous.is_some_and(|t| t.is_punct(','))
}

/// The statement (`CREATE OR ALTER VIEW`...) that must start its batch, if
/// one starts at `i`.
fn batch_first_statement(tokens: &[Token<'_>], i: usize) -> Option<String> {
    if names_a_permission(tokens, i) {
        return None;
    }
    let at = |j: usize| tokens.get(j);
    let words = |range: std::ops::Range<usize>| {
        tokens[range]
            .iter()
            .map(|t| t.text.to_ascii_uppercase())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if at(i)?.is_word("CREATE") {
        if word_in(at(i + 1), &["OR"]) && word_in(at(i + 2), &["ALTER"]) {
            return word_in(at(i + 3), MODULES).then(|| words(i..i + 4));
        }
        let kinds = [MODULES, CREATE_ONLY].concat();
        return word_in(at(i + 1), &kinds).then(|| words(i..i + 2));
    }
    let part_of_create_or_alter =
        i >= 2 && tokens[i - 1].is_word("OR") && tokens[i - 2].is_word("CREATE");
    if at(i)?.is_word("ALTER") && !part_of_create_or_alter {
        return word_in(at(i + 1), MODULES).then(|| words(i..i + 2));
    }
    None
}

/// CREATE PROCEDURE/VIEW/FUNCTION/TRIGGER/DEFAULT/RULE/SCHEMA (and ALTER of
/// the first four) must be the first statement of a batch (SQL Server
/// error 111). Everything after one belongs to its body, so the scan stops
/// at the first one.
fn create_not_alone(tokens: &[Token<'_>], hits: &mut Vec<Hit>) {
    let Some((index, statement)) =
        (0..tokens.len()).find_map(|i| batch_first_statement(tokens, i).map(|s| (i, s)))
    else {
        return;
    };
    if index > 0 {
        hits.push(Hit {
            rule: Rule::CreateNotAlone,
            line: tokens[index].line,
            message: format!("`{statement}` must be the first statement of its batch, but follows other statements"),
            hint: "put a `GO` line before it; everything after it up to the next `GO` becomes part of its body",
        });
    }
}

/// Statements SQL Server refuses inside a transaction ("Transact-SQL
/// statements allowed in transactions"). `DATABASE SCOPED ...`,
/// `DATABASE AUDIT SPECIFICATION` and `DATABASE ENCRYPTION KEY` are other
/// statements and are not reported.
fn non_transactional(tokens: &[Token<'_>], hits: &mut Vec<Hit>) {
    for (i, token) in tokens.iter().enumerate() {
        let at = |j: usize| tokens.get(j);
        let statement = if names_a_permission(tokens, i) {
            None
        } else if word_in(Some(token), &["BACKUP", "RESTORE", "RECONFIGURE"]) {
            Some(token.text.to_ascii_uppercase())
        } else if !word_in(Some(token), &["CREATE", "ALTER", "DROP"]) {
            None
        } else if word_in(at(i + 1), &["DATABASE"])
            && !word_in(at(i + 2), &["SCOPED", "AUDIT", "ENCRYPTION"])
        {
            Some(format!("{} DATABASE", token.text.to_ascii_uppercase()))
        } else if word_in(at(i + 1), &["FULLTEXT"]) && word_in(at(i + 2), &["CATALOG", "INDEX"]) {
            let object = at(i + 2).map_or("", |t| t.text).to_ascii_uppercase();
            Some(format!(
                "{} FULLTEXT {object}",
                token.text.to_ascii_uppercase()
            ))
        } else {
            None
        };
        if let Some(statement) = statement {
            hits.push(Hit {
                rule: Rule::NeedsNoTransaction,
                line: token.line,
                message: format!(
                    "`{statement}` cannot run inside a transaction, and this file has no `-- wsdb:no-transaction`"
                ),
                hint: "add `-- wsdb:no-transaction` to the comments at the top of the file; a failure part-way then leaves the workspace for `wsdb repair`",
            });
        }
    }
}

const TRAN: &[&str] = &["TRAN", "TRANSACTION"];

/// The transaction statement starting at `i`, if any. `ROLLBACK` as an
/// option (`WITH ROLLBACK IMMEDIATE`, `ROLLBACK AFTER n`) is not one, nor
/// is a rollback to a savepoint this batch saved (`SAVE TRAN s` ...
/// `ROLLBACK TRAN s`), which leaves `@@TRANCOUNT` alone.
fn transaction_statement(
    tokens: &[Token<'_>],
    i: usize,
    savepoints: &[&str],
) -> Option<&'static str> {
    let at = |j: usize| tokens.get(j);
    let token = &tokens[i];
    if token.is_word("BEGIN") {
        if word_in(at(i + 1), TRAN) {
            return Some("BEGIN TRANSACTION");
        }
        return (word_in(at(i + 1), &["DISTRIBUTED"]) && word_in(at(i + 2), TRAN))
            .then_some("BEGIN DISTRIBUTED TRANSACTION");
    }
    if token.is_word("COMMIT") {
        return Some("COMMIT");
    }
    if !token.is_word("ROLLBACK") {
        return None;
    }
    let previous = i.checked_sub(1).and_then(|p| tokens.get(p));
    if word_in(previous, &["WITH"]) || word_in(at(i + 1), &["IMMEDIATE", "AFTER"]) {
        return None;
    }
    let to_savepoint = word_in(at(i + 1), TRAN)
        // Savepoint names are case-sensitive whatever the collation.
        && at(i + 2).is_some_and(|name| savepoints.contains(&name.text));
    (!to_savepoint).then_some("ROLLBACK")
}

/// `BEGIN TRAN`, `COMMIT` and `ROLLBACK` in a transactional migration: wsdb
/// already runs the file in one transaction, so a `BEGIN` only nests (and
/// one left open makes wsdb's commit roll the migration back), a `COMMIT`
/// commits wsdb's transaction part-way, and a `ROLLBACK` undoes it all while
/// later batches run outside any transaction. The body of a procedure,
/// trigger or function defined in the batch runs when it is called, not
/// now, so the scan stops where one starts.
fn transaction_statements(tokens: &[Token<'_>], hits: &mut Vec<Hit>) {
    let end = (0..tokens.len())
        .find(|&i| batch_first_statement(tokens, i).is_some())
        .unwrap_or(tokens.len());
    let savepoints: Vec<&str> = (0..end)
        .filter(|&i| tokens[i].is_word("SAVE") && word_in(tokens.get(i + 1), TRAN))
        .filter_map(|i| tokens.get(i + 2).map(|name| name.text))
        .collect();
    for i in 0..end {
        let Some(statement) = transaction_statement(tokens, i, &savepoints) else {
            continue;
        };
        let effect = match statement {
            "COMMIT" => "commits wsdb's transaction part-way, or only closes a nested one",
            "ROLLBACK" => "rolls back wsdb's whole transaction, and what follows runs outside any",
            _ => "only nests inside it, and left open it makes wsdb roll the migration back",
        };
        hits.push(Hit {
            rule: Rule::TransactionStatement,
            line: tokens[i].line,
            message: format!(
                "`{statement}` in a migration wsdb already runs in one transaction: it {effect}"
            ),
            hint: "remove the transaction statements (wsdb commits or rolls back the whole file), or add `-- wsdb:no-transaction` if the file must manage its own transactions",
        });
    }
}

#[cfg(test)]
mod tests;
