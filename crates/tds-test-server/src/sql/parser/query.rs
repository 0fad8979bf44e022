//! Queries: SELECT (CTEs, TOP, joins, derived tables, GROUP BY, set
//! operators, ORDER BY, OFFSET/FETCH, variable assignment) and the FROM
//! items and table hints the data changes (`dml`) share. Locking hints (`WITH (NOLOCK)`, `UPDLOCK`, ...) are accepted
//! and dropped: they change locking, never results, and the test server's
//! locking is coarser anyway.

use super::super::SqlError;
use super::super::ast::{
    Cte, Expr, JoinKind, OrderItem, Query, QueryBody, Select, SelectItem, SetOp, TableRef, Top,
};
use super::super::errors;
use super::super::lexer::TokenKind;
use super::dml::assignment_operator;
use super::{Parser, is_identifier};

const HINTS: &[&str] = &[
    "NOLOCK",
    "READUNCOMMITTED",
    "UPDLOCK",
    "HOLDLOCK",
    "ROWLOCK",
    "PAGLOCK",
    "TABLOCK",
    "TABLOCKX",
    "READPAST",
    "SERIALIZABLE",
    "XLOCK",
    "READCOMMITTED",
    "REPEATABLEREAD",
    "READCOMMITTEDLOCK",
    "NOWAIT",
];

impl Parser<'_> {
    pub(crate) fn query(&mut self) -> Result<Query, SqlError> {
        let ctes = if self.at_word("WITH") {
            self.ctes()?
        } else {
            Vec::new()
        };
        let body = self.query_body()?;
        let mut order_by = Vec::new();
        if self.at_word("ORDER") {
            self.advance();
            self.expect_word("BY")?;
            order_by = self.order_items()?;
        }
        let offset = if self.at_word("OFFSET") {
            Some(self.offset_fetch()?)
        } else {
            None
        };
        if self.at_word("FOR") {
            return Err(self.not_supported("FOR XML/JSON/BROWSE"));
        }
        if self.at_word("OPTION") {
            return Err(self.not_supported("query hints (OPTION)"));
        }
        Ok(Query {
            ctes,
            body,
            order_by,
            offset,
        })
    }

    fn ctes(&mut self) -> Result<Vec<Cte>, SqlError> {
        self.expect_word("WITH")?;
        let mut ctes = Vec::new();
        loop {
            let name = self.identifier()?;
            let columns = if self.at_punct("(") {
                self.identifier_list()?
            } else {
                Vec::new()
            };
            self.expect_word("AS")?;
            self.expect_punct("(")?;
            let query = self.query()?;
            self.expect_punct(")")?;
            ctes.push(Cte {
                name,
                columns,
                query,
            });
            if !self.eat_punct(",") {
                return Ok(ctes);
            }
        }
    }

    fn query_body(&mut self) -> Result<QueryBody, SqlError> {
        let mut left = self.query_term()?;
        loop {
            let op = if self.eat_word("UNION") {
                SetOp::Union
            } else if self.eat_word("EXCEPT") {
                SetOp::Except
            } else if self.eat_word("INTERSECT") {
                SetOp::Intersect
            } else {
                return Ok(left);
            };
            let all = op == SetOp::Union && self.eat_word("ALL");
            let right = self.query_term()?;
            left = QueryBody::SetOp {
                op,
                all,
                left: Box::new(left),
                right: Box::new(right),
            };
        }
    }

    fn query_term(&mut self) -> Result<QueryBody, SqlError> {
        if self.eat_punct("(") {
            let body = self.query_body()?;
            self.expect_punct(")")?;
            return Ok(body);
        }
        self.expect_word("SELECT")?;
        Ok(QueryBody::Select(Box::new(self.select_rest()?)))
    }

    fn select_rest(&mut self) -> Result<Select, SqlError> {
        let distinct = self.eat_word("DISTINCT");
        if !distinct {
            self.eat_word("ALL");
        }
        let top = self.top()?;
        let items = self.select_items()?;
        if self.at_word("INTO") {
            return Err(self.not_supported("SELECT ... INTO"));
        }
        let from = if self.eat_word("FROM") {
            self.table_sources()?
        } else {
            Vec::new()
        };
        let filter = if self.eat_word("WHERE") {
            Some(self.condition()?)
        } else {
            None
        };
        let mut group_by = Vec::new();
        if self.at_word("GROUP") {
            self.advance();
            self.expect_word("BY")?;
            group_by.push(self.value()?);
            while self.eat_punct(",") {
                group_by.push(self.value()?);
            }
        }
        let having = if self.eat_word("HAVING") {
            Some(self.condition()?)
        } else {
            None
        };
        Ok(Select {
            distinct,
            top,
            items,
            from,
            filter,
            group_by,
            having,
        })
    }

    pub(crate) fn top(&mut self) -> Result<Option<Top>, SqlError> {
        if !self.eat_word("TOP") {
            return Ok(None);
        }
        let count = if self.eat_punct("(") {
            let count = self.value()?;
            self.expect_punct(")")?;
            count
        } else {
            match self.peek() {
                Some(t) if matches!(t.kind, TokenKind::Number | TokenKind::Variable) => {
                    self.value()?
                }
                _ => return Err(self.error_here()),
            }
        };
        let percent = self.eat_word("PERCENT");
        if self.at_word("WITH") && self.at_word_at(1, "TIES") {
            return Err(self.not_supported("TOP ... WITH TIES"));
        }
        Ok(Some(Top { count, percent }))
    }

    fn select_items(&mut self) -> Result<Vec<SelectItem>, SqlError> {
        let mut items = vec![self.select_item()?];
        while self.eat_punct(",") {
            items.push(self.select_item()?);
        }
        let assigns = items
            .iter()
            .filter(|i| matches!(i, SelectItem::Assign { .. }))
            .count();
        if assigns > 0 && assigns < items.len() {
            return Err(errors::assignment_with_retrieval(self.line()));
        }
        Ok(items)
    }

    fn select_item(&mut self) -> Result<SelectItem, SqlError> {
        if self.eat_punct("*") {
            return Ok(SelectItem::Wildcard { qualifier: None });
        }
        if let Some(qualifier) = self.qualified_wildcard()? {
            return Ok(SelectItem::Wildcard {
                qualifier: Some(qualifier),
            });
        }
        let token = self.peek().cloned().ok_or_else(|| self.error_here())?;
        let next = self.peek_at(1).cloned();
        if token.kind == TokenKind::Variable
            && let Some(op) = next
                .as_ref()
                .and_then(|t| assignment_operator(&t.text).filter(|_| t.kind == TokenKind::Punct))
        {
            self.pos += 2;
            self.note_variable(&token.text, token.line, None);
            let expr = self.value()?;
            return Ok(SelectItem::Assign {
                variable: token.text.to_lowercase(),
                op,
                expr,
            });
        }
        let alias_first = (is_identifier(&token) || matches!(token.kind, TokenKind::Str { .. }))
            && next.as_ref().is_some_and(|t| t.is_punct("="));
        if alias_first {
            self.pos += 2;
            let expr = self.value()?;
            return Ok(SelectItem::Expr {
                expr,
                alias: Some(token.text),
            });
        }
        let expr = self.value()?;
        let alias = self.alias()?;
        Ok(SelectItem::Expr { expr, alias })
    }

    /// `t.*` / `dbo.t.*`: returns the qualifier and consumes it, or nothing.
    fn qualified_wildcard(&mut self) -> Result<Option<Vec<String>>, SqlError> {
        let mut offset = 0;
        let mut parts = Vec::new();
        loop {
            match (self.peek_at(offset), self.peek_at(offset + 1)) {
                (Some(name), Some(dot)) if is_identifier(name) && dot.is_punct(".") => {
                    parts.push(name.text.clone());
                    offset += 2;
                    if self.peek_at(offset).is_some_and(|t| t.is_punct("*")) {
                        self.pos += offset + 1;
                        return Ok(Some(parts));
                    }
                }
                _ => return Ok(None),
            }
        }
    }

    /// `AS name`, `AS 'name'`, or a bare non-reserved name.
    fn alias(&mut self) -> Result<Option<String>, SqlError> {
        if self.eat_word("AS") {
            return match self.peek() {
                Some(t) if is_identifier(t) || matches!(t.kind, TokenKind::Str { .. }) => {
                    Ok(self.advance().map(|t| t.text))
                }
                _ => Err(self.error_here()),
            };
        }
        match self.peek() {
            Some(t) if is_identifier(t) || matches!(t.kind, TokenKind::Str { .. }) => {
                Ok(self.advance().map(|t| t.text))
            }
            _ => Ok(None),
        }
    }

    pub(crate) fn order_items(&mut self) -> Result<Vec<OrderItem>, SqlError> {
        let mut items = Vec::new();
        loop {
            let expr = self.value()?;
            let descending = if self.eat_word("DESC") {
                true
            } else {
                self.eat_word("ASC");
                false
            };
            items.push(OrderItem { expr, descending });
            if !self.eat_punct(",") {
                return Ok(items);
            }
        }
    }

    fn offset_fetch(&mut self) -> Result<(Expr, Option<Expr>), SqlError> {
        self.expect_word("OFFSET")?;
        let offset = self.value()?;
        if !self.eat_word("ROWS") {
            self.expect_word("ROW")?;
        }
        if !self.eat_word("FETCH") {
            return Ok((offset, None));
        }
        if !self.eat_word("NEXT") {
            self.expect_word("FIRST")?;
        }
        let fetch = self.value()?;
        if !self.eat_word("ROWS") {
            self.expect_word("ROW")?;
        }
        self.expect_word("ONLY")?;
        Ok((offset, Some(fetch)))
    }

    pub(crate) fn table_sources(&mut self) -> Result<Vec<TableRef>, SqlError> {
        let mut sources = vec![self.table_ref()?];
        while self.eat_punct(",") {
            sources.push(self.table_ref()?);
        }
        Ok(sources)
    }

    fn table_ref(&mut self) -> Result<TableRef, SqlError> {
        let mut left = self.table_primary()?;
        while let Some(kind) = self.join_kind()? {
            let right = self.table_primary()?;
            let on = if kind == JoinKind::Cross {
                None
            } else {
                self.expect_word("ON")?;
                Some(self.condition()?)
            };
            left = TableRef::Join {
                left: Box::new(left),
                right: Box::new(right),
                kind,
                on,
            };
        }
        Ok(left)
    }

    fn join_kind(&mut self) -> Result<Option<JoinKind>, SqlError> {
        let kind = if self.eat_word("JOIN") {
            return Ok(Some(JoinKind::Inner));
        } else if self.eat_word("INNER") {
            JoinKind::Inner
        } else if self.eat_word("LEFT") {
            JoinKind::Left
        } else if self.eat_word("RIGHT") {
            JoinKind::Right
        } else if self.eat_word("FULL") {
            JoinKind::Full
        } else if self.at_word("CROSS") || self.at_word("OUTER") {
            if self.at_word_at(1, "APPLY") {
                return Err(self.not_supported("APPLY"));
            }
            self.expect_word("CROSS")?;
            JoinKind::Cross
        } else {
            return Ok(None);
        };
        if matches!(kind, JoinKind::Left | JoinKind::Right | JoinKind::Full) {
            self.eat_word("OUTER");
        }
        if ["LOOP", "HASH", "MERGE", "REMOTE"]
            .iter()
            .any(|h| self.at_word(h))
        {
            self.advance();
        }
        self.expect_word("JOIN")?;
        Ok(Some(kind))
    }

    fn table_primary(&mut self) -> Result<TableRef, SqlError> {
        if self.eat_punct("(") {
            if self.at_word("SELECT") || self.at_word("WITH") {
                let query = self.query()?;
                self.expect_punct(")")?;
                self.eat_word("AS");
                let alias = self.identifier()?;
                if self.at_punct("(") {
                    return Err(self.not_supported("derived table column lists"));
                }
                return Ok(TableRef::Derived {
                    query: Box::new(query),
                    alias,
                });
            }
            let inner = self.table_ref()?;
            self.expect_punct(")")?;
            return Ok(inner);
        }
        if self.peek().is_some_and(|t| t.kind == TokenKind::Variable) {
            return Err(self.not_supported("table variables"));
        }
        let name = self.object_name()?;
        if self.at_punct("(") {
            return Err(self.not_supported(&format!("table-valued function '{}'", name.display())));
        }
        let alias = self.table_alias()?;
        self.table_hints()?;
        Ok(TableRef::Table { name, alias })
    }

    fn table_alias(&mut self) -> Result<Option<String>, SqlError> {
        if self.eat_word("AS") {
            return self.identifier().map(Some);
        }
        if self.at_identifier() && !self.at_word("TABLESAMPLE") {
            return self.identifier().map(Some);
        }
        Ok(None)
    }

    /// `WITH (NOLOCK, ...)` or the legacy `(NOLOCK)`: accepted, ignored.
    pub(crate) fn table_hints(&mut self) -> Result<(), SqlError> {
        let with = self.at_word("WITH") && self.peek_at(1).is_some_and(|t| t.is_punct("("));
        let legacy = self.at_punct("(")
            && self
                .peek_at(1)
                .is_some_and(|t| HINTS.iter().any(|h| t.is_word(h)));
        if !with && !legacy {
            return Ok(());
        }
        if with {
            self.advance();
        }
        self.expect_punct("(")?;
        loop {
            let token = self.advance().ok_or_else(|| self.error_here())?;
            if !HINTS.iter().any(|h| token.is_word(h)) {
                return Err(errors::not_supported_at(
                    &format!("table hint '{}'", token.text),
                    token.line,
                ));
            }
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")")
    }
}
