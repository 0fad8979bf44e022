//! Control-of-flow and session statements: DECLARE, SET (variables and
//! options), IF/ELSE, WHILE, BEGIN...END, transactions, EXEC, PRINT, THROW,
//! RAISERROR, WAITFOR DELAY and USE. TRY/CATCH and cursors are outside the
//! subset and say so.

use super::super::SqlError;
use super::super::ast::{Declaration, ExecArg, ExecTarget, Expr, Literal, StmtKind};
use super::super::lexer::TokenKind;
use super::Parser;
use super::dml::assignment_operator;

impl Parser<'_> {
    pub(crate) fn declare(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("DECLARE")?;
        let mut declarations = Vec::new();
        loop {
            let (name, line) = match self.peek() {
                Some(t) if t.kind == TokenKind::Variable => (t.text.to_lowercase(), t.line),
                _ => return Err(self.error_here()),
            };
            self.advance();
            self.eat_word("AS");
            if self.at_word("TABLE") || self.at_word("CURSOR") {
                return Err(self.not_supported(&format!(
                    "{} variables",
                    self.current_text().to_ascii_uppercase()
                )));
            }
            let ty = self.data_type()?;
            self.note_variable(&name, line, Some(ty));
            let init = if self.eat_punct("=") {
                Some(self.value()?)
            } else {
                None
            };
            declarations.push(Declaration { name, ty, init });
            if !self.eat_punct(",") {
                return Ok(StmtKind::Declare(declarations));
            }
        }
    }

    pub(crate) fn set(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("SET")?;
        let token = self.peek().cloned().ok_or_else(|| self.error_here())?;
        if token.kind == TokenKind::Variable {
            self.advance();
            self.note_variable(&token.text, token.line, None);
            let op = match self.advance() {
                Some(t) if t.kind == TokenKind::Punct => assignment_operator(&t.text),
                _ => None,
            };
            let Some(op) = op else {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.error_here());
            };
            let value = self.value()?;
            return Ok(StmtKind::SetVariable {
                name: token.text.to_lowercase(),
                op,
                value,
            });
        }
        if self.at_word("TRANSACTION") {
            self.advance();
            self.expect_word("ISOLATION")?;
            self.expect_word("LEVEL")?;
            let mut level = Vec::new();
            while self.peek().is_some_and(|t| {
                t.kind == TokenKind::Word && !t.is_word("SET") && !super::is_reserved(&t.text)
                    || t.is_word("READ")
            }) {
                level.push(
                    self.advance()
                        .map(|t| t.text.to_ascii_uppercase())
                        .unwrap_or_default(),
                );
            }
            return Ok(StmtKind::SetOption {
                options: vec!["TRANSACTION ISOLATION LEVEL".into()],
                value: level.join(" "),
            });
        }
        let mut options = vec![self.option_name()?];
        while self.eat_punct(",") {
            options.push(self.option_name()?);
        }
        let value = match self.advance() {
            Some(t)
                if matches!(
                    t.kind,
                    TokenKind::Word | TokenKind::Number | TokenKind::Quoted | TokenKind::Str { .. }
                ) =>
            {
                t.text.to_ascii_uppercase()
            }
            Some(t) if t.is_punct("-") => match self.advance() {
                Some(n) if n.kind == TokenKind::Number => format!("-{}", n.text),
                _ => return Err(self.error_here()),
            },
            _ => {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.error_here());
            }
        };
        Ok(StmtKind::SetOption { options, value })
    }

    fn option_name(&mut self) -> Result<String, SqlError> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Word => {
                let name = t.text.to_ascii_uppercase();
                self.advance();
                if name == "IDENTITY_INSERT" {
                    let table = self.object_name()?;
                    return Ok(format!("IDENTITY_INSERT {}", table.parts.join(".")));
                }
                Ok(name)
            }
            _ => Err(self.error_here()),
        }
    }

    pub(crate) fn if_statement(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("IF")?;
        let condition = self.condition()?;
        let then = Box::new(self.nested_statement()?);
        while self.eat_punct(";") {}
        let otherwise = if self.eat_word("ELSE") {
            Some(Box::new(self.nested_statement()?))
        } else {
            None
        };
        Ok(StmtKind::If {
            condition,
            then,
            otherwise,
        })
    }

    pub(crate) fn while_statement(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("WHILE")?;
        let condition = self.condition()?;
        let body = Box::new(self.nested_statement()?);
        Ok(StmtKind::While { condition, body })
    }

    /// The statement governed by IF/ELSE/WHILE.
    fn nested_statement(&mut self) -> Result<super::super::ast::Statement, SqlError> {
        if self.at_end() || self.at_word("ELSE") || self.at_word("END") {
            return Err(self.error_here());
        }
        self.statement(false)
    }

    /// `BEGIN ... END`, or `BEGIN TRAN[SACTION]`.
    pub(crate) fn begin(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("BEGIN")?;
        if self.eat_word("TRAN") || self.eat_word("TRANSACTION") {
            self.transaction_name();
            if self.at_word("WITH") && self.at_word_at(1, "MARK") {
                return Err(self.not_supported("BEGIN TRANSACTION WITH MARK"));
            }
            return Ok(StmtKind::BeginTran);
        }
        if self.at_word("TRY") || self.at_word("CATCH") {
            return Err(self.not_supported("TRY...CATCH"));
        }
        if self.at_word("DISTRIBUTED") {
            return Err(self.not_supported("distributed transactions"));
        }
        let mut statements = Vec::new();
        loop {
            while self.eat_punct(";") {}
            if self.eat_word("END") {
                return Ok(StmtKind::Block(statements));
            }
            if self.at_end() {
                return Err(self.error_here());
            }
            statements.push(self.statement(false)?);
        }
    }

    /// An optional transaction name (ignored: names do not nest in T-SQL).
    fn transaction_name(&mut self) {
        if self
            .peek()
            .is_some_and(|t| t.kind == TokenKind::Variable || super::is_identifier(t))
        {
            self.advance();
        }
    }

    pub(crate) fn commit(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("COMMIT")?;
        if self.eat_word("TRAN") || self.eat_word("TRANSACTION") {
            self.transaction_name();
        } else {
            self.eat_word("WORK");
        }
        Ok(StmtKind::CommitTran)
    }

    pub(crate) fn rollback(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("ROLLBACK")?;
        if self.eat_word("TRAN") || self.eat_word("TRANSACTION") {
            self.transaction_name();
        } else {
            self.eat_word("WORK");
        }
        Ok(StmtKind::RollbackTran)
    }

    pub(crate) fn exec(&mut self) -> Result<StmtKind, SqlError> {
        self.advance();
        if self.eat_punct("(") {
            let sql = self.value()?;
            self.expect_punct(")")?;
            if self.at_word("AS") || self.at_word("AT") {
                return Err(self.not_supported("EXEC ... AS/AT"));
            }
            return Ok(StmtKind::Exec {
                status: None,
                target: ExecTarget::Dynamic(sql),
            });
        }
        let status = match (self.peek(), self.peek_at(1)) {
            (Some(v), Some(eq)) if v.kind == TokenKind::Variable && eq.is_punct("=") => {
                let (name, line) = (v.text.to_lowercase(), v.line);
                self.pos += 2;
                self.note_variable(&name, line, None);
                Some(name)
            }
            _ => None,
        };
        if self.peek().is_some_and(|t| t.kind == TokenKind::Variable) {
            return Err(self.not_supported("EXEC @procedure_name_variable"));
        }
        let name = self.object_name()?;
        let args = self.exec_args()?;
        Ok(StmtKind::Exec {
            status,
            target: ExecTarget::Procedure { name, args },
        })
    }

    /// A procedure call without EXEC, allowed as a batch's first statement.
    pub(crate) fn exec_without_keyword(&mut self) -> Result<StmtKind, SqlError> {
        let name = self.object_name()?;
        let args = self.exec_args()?;
        Ok(StmtKind::Exec {
            status: None,
            target: ExecTarget::Procedure { name, args },
        })
    }

    fn exec_args(&mut self) -> Result<Vec<ExecArg>, SqlError> {
        let mut args = Vec::new();
        if !self.at_exec_arg() {
            return Ok(args);
        }
        loop {
            let name = match (self.peek(), self.peek_at(1)) {
                (Some(v), Some(eq)) if v.kind == TokenKind::Variable && eq.is_punct("=") => {
                    let name = v.text.to_lowercase();
                    self.pos += 2;
                    Some(name)
                }
                _ => None,
            };
            let value = self.exec_arg_value()?;
            if self.eat_word("OUTPUT") || self.eat_word("OUT") {
                return Err(self.not_supported("OUTPUT parameters"));
            }
            args.push(ExecArg { name, value });
            if !self.eat_punct(",") {
                return Ok(args);
            }
        }
    }

    fn at_exec_arg(&self) -> bool {
        match self.peek() {
            Some(t) => match t.kind {
                TokenKind::Variable
                | TokenKind::Number
                | TokenKind::Str { .. }
                | TokenKind::Binary
                | TokenKind::Quoted => true,
                TokenKind::Punct => t.text == "-",
                TokenKind::Word => {
                    t.is_word("DEFAULT") || t.is_word("NULL") || !super::is_reserved(&t.text)
                }
                TokenKind::Global => false,
            },
            None => false,
        }
    }

    /// Procedure arguments are constants, variables or DEFAULT; a bare word
    /// is a string (`EXEC sp_x abc` passes 'abc'), as in SQL Server.
    fn exec_arg_value(&mut self) -> Result<Option<Expr>, SqlError> {
        let token = self.peek().cloned().ok_or_else(|| self.error_here())?;
        match token.kind {
            TokenKind::Word if token.is_word("DEFAULT") => {
                self.advance();
                Ok(None)
            }
            TokenKind::Word if token.is_word("NULL") => {
                self.advance();
                Ok(Some(Expr::Literal(Literal::Null)))
            }
            TokenKind::Word | TokenKind::Quoted => {
                self.advance();
                Ok(Some(Expr::Literal(Literal::String {
                    text: token.text,
                    national: true,
                })))
            }
            TokenKind::Punct if token.text == "-" => {
                self.advance();
                match self.advance() {
                    Some(n) if n.kind == TokenKind::Number => {
                        Ok(Some(Expr::Literal(Literal::Number(format!("-{}", n.text)))))
                    }
                    _ => Err(self.error_here()),
                }
            }
            TokenKind::Variable | TokenKind::Number | TokenKind::Str { .. } | TokenKind::Binary => {
                self.value_token()
            }
            _ => Err(self.error_here()),
        }
    }

    /// One literal or variable token as an expression.
    fn value_token(&mut self) -> Result<Option<Expr>, SqlError> {
        let token = self.advance().ok_or_else(|| self.error_here())?;
        Ok(Some(match token.kind {
            TokenKind::Variable => {
                self.note_variable(&token.text, token.line, None);
                Expr::Variable(token.text.to_lowercase())
            }
            TokenKind::Number => Expr::Literal(Literal::Number(token.text)),
            TokenKind::Str { national } => Expr::Literal(Literal::String {
                text: token.text,
                national,
            }),
            _ => {
                self.pos -= 1;
                return Ok(Some(self.value()?));
            }
        }))
    }

    pub(crate) fn print(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("PRINT")?;
        Ok(StmtKind::Print(self.value()?))
    }

    pub(crate) fn throw(&mut self) -> Result<StmtKind, SqlError> {
        self.advance();
        if self.at_end() || self.at_punct(";") || self.at_word("END") {
            return Err(self.not_supported("THROW without arguments (it needs a CATCH block)"));
        }
        let number = self.value()?;
        self.expect_punct(",")?;
        let message = self.value()?;
        self.expect_punct(",")?;
        let state = self.value()?;
        Ok(StmtKind::Throw {
            number,
            message,
            state,
        })
    }

    pub(crate) fn raiserror(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("RAISERROR")?;
        self.expect_punct("(")?;
        let message = self.value()?;
        self.expect_punct(",")?;
        let severity = self.value()?;
        self.expect_punct(",")?;
        let state = self.value()?;
        let mut args = Vec::new();
        while self.eat_punct(",") {
            args.push(self.value()?);
        }
        self.expect_punct(")")?;
        if self.eat_word("WITH") {
            loop {
                if !(self.eat_word("NOWAIT") || self.eat_word("LOG") || self.eat_word("SETERROR")) {
                    return Err(self.error_here());
                }
                if !self.eat_punct(",") {
                    break;
                }
            }
        }
        Ok(StmtKind::Raiserror {
            message,
            severity,
            state,
            args,
        })
    }

    pub(crate) fn waitfor(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("WAITFOR")?;
        if self.eat_word("DELAY") {
            return Ok(StmtKind::WaitforDelay(self.value()?));
        }
        Err(self.not_supported("WAITFOR other than DELAY"))
    }

    pub(crate) fn use_database(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("USE")?;
        Ok(StmtKind::Use(self.identifier()?))
    }
}
