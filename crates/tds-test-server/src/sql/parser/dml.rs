//! INSERT (VALUES rows, a query, DEFAULT VALUES), UPDATE (with `+=` and
//! friends) and DELETE, each on one table with optional TOP and WHERE.
//! OUTPUT clauses, INSERT ... EXEC and `DEFAULT` as a value are refused.

use super::super::SqlError;
use super::super::ast::{
    Assignment, BinaryOp, Delete, Expr, Insert, InsertSource, StmtKind, Update,
};
use super::super::errors;
use super::super::lexer::TokenKind;
use super::Parser;

impl Parser<'_> {
    pub(crate) fn insert(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("INSERT")?;
        if self.at_word("TOP") {
            return Err(self.not_supported("INSERT TOP"));
        }
        self.eat_word("INTO");
        let table = self.object_name()?;
        self.table_hints()?;
        let columns = if self.at_punct("(") {
            self.identifier_list()?
        } else {
            Vec::new()
        };
        if self.at_word("OUTPUT") {
            return Err(self.not_supported("OUTPUT clauses"));
        }
        let source = if self.eat_word("VALUES") {
            InsertSource::Values(self.values_rows()?)
        } else if self.eat_word("DEFAULT") {
            self.expect_word("VALUES")?;
            InsertSource::DefaultValues
        } else if self.at_word("SELECT") || self.at_word("WITH") || self.at_punct("(") {
            InsertSource::Query(Box::new(self.query()?))
        } else if self.at_word("EXEC") || self.at_word("EXECUTE") {
            return Err(self.not_supported("INSERT ... EXEC"));
        } else {
            return Err(self.error_here());
        };
        Ok(StmtKind::Insert(Insert {
            table,
            columns,
            source,
        }))
    }

    pub(crate) fn values_rows(&mut self) -> Result<Vec<Vec<Expr>>, SqlError> {
        let mut rows = Vec::new();
        loop {
            self.expect_punct("(")?;
            let mut row = vec![self.value_or_default()?];
            while self.eat_punct(",") {
                row.push(self.value_or_default()?);
            }
            self.expect_punct(")")?;
            rows.push(row);
            if !self.eat_punct(",") {
                return Ok(rows);
            }
        }
    }

    pub(crate) fn value_or_default(&mut self) -> Result<Expr, SqlError> {
        if self.eat_word("DEFAULT") {
            return Ok(Expr::Default);
        }
        self.value()
    }

    pub(crate) fn update(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("UPDATE")?;
        let top = self.top()?;
        let target = self.object_name()?;
        self.table_hints()?;
        self.expect_word("SET")?;
        let mut assignments = vec![self.assignment()?];
        while self.eat_punct(",") {
            assignments.push(self.assignment()?);
        }
        if self.at_word("OUTPUT") {
            return Err(self.not_supported("OUTPUT clauses"));
        }
        let from = if self.eat_word("FROM") {
            self.table_sources()?
        } else {
            Vec::new()
        };
        let filter = self.where_clause()?;
        Ok(StmtKind::Update(Update {
            top,
            target,
            assignments,
            from,
            filter,
        }))
    }

    pub(crate) fn assignment(&mut self) -> Result<Assignment, SqlError> {
        if self.peek().is_some_and(|t| t.kind == TokenKind::Variable) {
            return Err(self.not_supported("assigning variables in UPDATE"));
        }
        let column = self.object_name()?.parts;
        let op = match self.advance() {
            Some(t) if t.kind == TokenKind::Punct => match assignment_operator(&t.text) {
                Some(op) => op,
                None => return Err(errors::syntax_near(&t.text, t.line)),
            },
            _ => return Err(self.error_here()),
        };
        let value = if op.is_none() && self.eat_word("DEFAULT") {
            Expr::Default
        } else {
            self.value()?
        };
        Ok(Assignment { column, op, value })
    }

    pub(crate) fn where_clause(&mut self) -> Result<Option<Expr>, SqlError> {
        if !self.eat_word("WHERE") {
            return Ok(None);
        }
        if self.at_word("CURRENT") {
            return Err(self.not_supported("WHERE CURRENT OF"));
        }
        Ok(Some(self.condition()?))
    }

    pub(crate) fn delete(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("DELETE")?;
        let top = self.top()?;
        self.eat_word("FROM");
        let target = self.object_name()?;
        self.table_hints()?;
        if self.at_word("OUTPUT") {
            return Err(self.not_supported("OUTPUT clauses"));
        }
        let from = if self.eat_word("FROM") {
            self.table_sources()?
        } else {
            Vec::new()
        };
        let filter = self.where_clause()?;
        Ok(StmtKind::Delete(Delete {
            top,
            target,
            from,
            filter,
        }))
    }
}

/// `=` is plain assignment (`None`); `+=` etc. combine with the old value.
/// Returns `None` when the text is no assignment operator at all.
pub(crate) fn assignment_operator(text: &str) -> Option<Option<BinaryOp>> {
    Some(match text {
        "=" => None,
        "+=" => Some(BinaryOp::Add),
        "-=" => Some(BinaryOp::Sub),
        "*=" => Some(BinaryOp::Mul),
        "/=" => Some(BinaryOp::Div),
        _ => return None,
    })
}
