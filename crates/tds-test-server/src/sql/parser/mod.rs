//! A recursive-descent parser for the T-SQL subset: batch text in, a list of
//! [`Statement`]s out, or the first compile error (102, 156, 111, ...) that
//! makes SQL Server refuse the whole batch before running any of it.
//!
//! T-SQL needs no statement separators, so statements end where the grammar
//! says; reserved keywords stop aliases and expressions exactly as in SQL
//! Server (`SELECT 1 THROW ...` makes THROW an alias there too). This file
//! holds the token cursor and statement dispatch; expressions, queries, DDL
//! and control flow have a file each. Name resolution and types are not
//! checked here: deferred name resolution happens when a statement runs.

mod calls;
mod control;
mod ddl;
mod dml;
mod expr;
mod keywords;
mod query;
mod table;

use super::SqlError;
use super::ast::{ObjectName, Statement, StmtKind};
use super::errors;
use super::lexer::{Token, TokenKind, tokenize};
use super::types::DataType;
#[cfg(test)]
pub(crate) use calls::FUNCTIONS;
pub(crate) use keywords::is_reserved;

/// A variable's declaration or use, in batch order (for errors 134/137).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VariableUse {
    pub name: String,
    pub line: u32,
    /// `Some` for a DECLARE, with the declared type.
    pub declared: Option<DataType>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParsedBatch {
    pub statements: Vec<Statement>,
    pub variables: Vec<VariableUse>,
}

/// Parses a whole batch; the first error aborts it, as SQL Server's compile
/// step does.
pub(crate) fn parse_batch(sql: &str) -> Result<ParsedBatch, SqlError> {
    let tokens = tokenize(sql)?;
    let mut parser = Parser {
        sql,
        tokens,
        pos: 0,
        variables: Vec::new(),
    };
    let mut statements = Vec::new();
    loop {
        while parser.eat_punct(";") {}
        if parser.at_end() {
            break;
        }
        let first = statements.is_empty();
        statements.push(parser.statement(first)?);
    }
    Ok(ParsedBatch {
        statements,
        variables: parser.variables,
    })
}

pub(crate) struct Parser<'a> {
    sql: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    variables: Vec<VariableUse>,
}

impl<'a> Parser<'a> {
    /// Records a variable use (or, with a type, a declaration).
    pub(crate) fn note_variable(&mut self, name: &str, line: u32, declared: Option<DataType>) {
        self.variables.push(VariableUse {
            name: name.to_lowercase(),
            line,
            declared,
        });
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    pub(crate) fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    pub(crate) fn peek_at(&self, offset: usize) -> Option<&Token> {
        self.tokens.get(self.pos + offset)
    }

    pub(crate) fn advance(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    pub(crate) fn at_word(&self, keyword: &str) -> bool {
        self.peek().is_some_and(|t| t.is_word(keyword))
    }

    pub(crate) fn at_word_at(&self, offset: usize, keyword: &str) -> bool {
        self.peek_at(offset).is_some_and(|t| t.is_word(keyword))
    }

    pub(crate) fn at_punct(&self, punct: &str) -> bool {
        self.peek().is_some_and(|t| t.is_punct(punct))
    }

    pub(crate) fn eat_word(&mut self, keyword: &str) -> bool {
        let hit = self.at_word(keyword);
        if hit {
            self.pos += 1;
        }
        hit
    }

    pub(crate) fn eat_punct(&mut self, punct: &str) -> bool {
        let hit = self.at_punct(punct);
        if hit {
            self.pos += 1;
        }
        hit
    }

    pub(crate) fn expect_word(&mut self, keyword: &str) -> Result<(), SqlError> {
        if self.eat_word(keyword) {
            Ok(())
        } else {
            Err(self.error_here())
        }
    }

    pub(crate) fn expect_punct(&mut self, punct: &str) -> Result<(), SqlError> {
        if self.eat_punct(punct) {
            Ok(())
        } else {
            Err(self.error_here())
        }
    }

    /// "Incorrect syntax near ..." at the current token (or the last one at
    /// the end of the batch, as SQL Server reports it).
    pub(crate) fn error_here(&self) -> SqlError {
        match self.peek().or_else(|| self.tokens.last()) {
            Some(token) => errors::syntax_near(&near_text(token), token.line),
            None => errors::syntax_near("", 1),
        }
    }

    pub(crate) fn line(&self) -> u32 {
        self.peek()
            .or_else(|| self.tokens.last())
            .map_or(1, |t| t.line)
    }

    /// The text SQL Server shows for a token in "near" messages.
    pub(crate) fn current_text(&self) -> String {
        self.peek()
            .or_else(|| self.tokens.last())
            .map(near_text)
            .unwrap_or_default()
    }

    pub(crate) fn not_supported(&self, what: &str) -> SqlError {
        errors::not_supported_at(what, self.line())
    }

    /// True when the current token can be an identifier (quoted, or an
    /// unquoted word that is not reserved).
    pub(crate) fn at_identifier(&self) -> bool {
        self.peek().is_some_and(is_identifier)
    }

    pub(crate) fn identifier(&mut self) -> Result<String, SqlError> {
        if self.at_identifier() {
            Ok(self.advance().map(|t| t.text).unwrap_or_default())
        } else {
            Err(self.error_here())
        }
    }

    /// `a`, `a.b`, `a.b.c`, `a..c`: the parts of an object name.
    pub(crate) fn object_name(&mut self) -> Result<ObjectName, SqlError> {
        let mut parts = vec![self.identifier()?];
        while self.at_punct(".") {
            self.pos += 1;
            if self.at_punct(".") {
                parts.push(String::new());
                continue;
            }
            parts.push(self.identifier()?);
        }
        if parts.len() > 4 {
            return Err(self.error_here());
        }
        Ok(ObjectName { parts })
    }

    /// `( a, b, c )` of identifiers.
    pub(crate) fn identifier_list(&mut self) -> Result<Vec<String>, SqlError> {
        self.expect_punct("(")?;
        let mut names = vec![self.identifier()?];
        while self.eat_punct(",") {
            names.push(self.identifier()?);
        }
        self.expect_punct(")")?;
        Ok(names)
    }

    pub(crate) fn number_u32(&mut self) -> Result<u32, SqlError> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Number => {
                let value = t.text.parse().map_err(|_| self.error_here())?;
                self.pos += 1;
                Ok(value)
            }
            _ => Err(self.error_here()),
        }
    }

    /// A signed integer literal, as in `IDENTITY(1, 1)`.
    pub(crate) fn signed_integer(&mut self) -> Result<i64, SqlError> {
        let negative = self.eat_punct("-");
        match self.peek() {
            Some(t) if t.kind == TokenKind::Number => {
                let value: i64 = t.text.parse().map_err(|_| self.error_here())?;
                self.pos += 1;
                Ok(if negative { -value } else { value })
            }
            _ => Err(self.error_here()),
        }
    }

    fn statement(&mut self, first_in_batch: bool) -> Result<Statement, SqlError> {
        let start_token = self.peek().cloned().ok_or_else(|| self.error_here())?;
        let kind = self.statement_kind(first_in_batch)?;
        let end = self
            .tokens
            .get(self.pos.saturating_sub(1))
            .map_or(start_token.end, |t| t.end);
        Ok(Statement {
            kind,
            start: start_token.start,
            end,
            line: start_token.line,
        })
    }

    fn statement_kind(&mut self, first_in_batch: bool) -> Result<StmtKind, SqlError> {
        let token = self.peek().cloned().ok_or_else(|| self.error_here())?;
        if token.is_punct("(") {
            return Ok(StmtKind::Query(self.query()?));
        }
        if token.kind != TokenKind::Word {
            return Err(self.error_here());
        }
        match token.text.to_ascii_uppercase().as_str() {
            "SELECT" | "WITH" => Ok(StmtKind::Query(self.query()?)),
            "INSERT" => self.insert(),
            "UPDATE" => self.update(),
            "DELETE" => self.delete(),
            "CREATE" | "ALTER" => self.create_or_alter(first_in_batch),
            "DROP" => self.drop(),
            "TRUNCATE" => self.truncate(),
            "DECLARE" => self.declare(),
            "SET" => self.set(),
            "IF" => self.if_statement(),
            "WHILE" => self.while_statement(),
            "BREAK" => self.single(StmtKind::Break),
            "CONTINUE" => self.single(StmtKind::Continue),
            "RETURN" => self.single(StmtKind::Return),
            "BEGIN" => self.begin(),
            "COMMIT" => self.commit(),
            "ROLLBACK" => self.rollback(),
            "SAVE" => Err(self.not_supported("SAVE TRANSACTION (savepoints)")),
            "EXEC" | "EXECUTE" => self.exec(),
            "PRINT" => self.print(),
            "THROW" => self.throw(),
            "RAISERROR" => self.raiserror(),
            "WAITFOR" => self.waitfor(),
            "USE" => self.use_database(),
            "GO" => Err(self.not_supported("GO inside a batch (the client splits batches)")),
            "MERGE" | "GRANT" | "DENY" | "REVOKE" | "BACKUP" | "RESTORE" | "DBCC" | "BULK"
            | "OPEN" | "FETCH" | "CLOSE" | "DEALLOCATE" | "GOTO" | "KILL" | "RECONFIGURE"
            | "CHECKPOINT" | "SHUTDOWN" | "SETUSER" | "REVERT" => {
                Err(self.not_supported(&format!("{} statement", token.text.to_ascii_uppercase())))
            }
            _ if first_in_batch && !is_reserved(&token.text) => self.exec_without_keyword(),
            _ => Err(self.error_here()),
        }
    }

    fn single(&mut self, kind: StmtKind) -> Result<StmtKind, SqlError> {
        self.pos += 1;
        Ok(kind)
    }

    /// The source text from byte `start` to the end of the batch.
    pub(crate) fn rest_of_batch(&mut self, start: usize) -> String {
        self.pos = self.tokens.len();
        self.sql[start..]
            .trim_end()
            .trim_end_matches(';')
            .to_string()
    }
}

pub(crate) fn is_identifier(token: &Token) -> bool {
    match token.kind {
        TokenKind::Quoted => true,
        TokenKind::Word => !is_reserved(&token.text),
        _ => false,
    }
}

fn near_text(token: &Token) -> String {
    match token.kind {
        TokenKind::Variable => format!("@{}", token.text),
        TokenKind::Global => format!("@@{}", token.text),
        TokenKind::Binary => format!("0x{}", token.text),
        _ => token.text.clone(),
    }
}

#[cfg(test)]
mod tests;
