//! Expressions: precedence climbing from OR down to literals, with T-SQL's
//! split between values and search conditions (`SELECT 1 = 1` is a syntax
//! error, `WHERE 1` is error 4145), literals, variables, column references
//! and subqueries. Function calls, CASE and CAST are in `calls`.

use super::super::SqlError;
use super::super::ast::{BinaryOp, Expr, Literal, UnaryOp};
use super::super::errors;
use super::super::lexer::TokenKind;
use super::calls::NILADIC;
use super::{Parser, is_identifier};

impl Parser<'_> {
    /// A search condition (WHERE, ON, IF, WHEN, ...).
    pub(crate) fn condition(&mut self) -> Result<Expr, SqlError> {
        let expr = self.expr_any()?;
        if expr.is_condition() {
            Ok(expr)
        } else {
            Err(errors::non_boolean(&self.current_text(), self.line()))
        }
    }

    /// A value expression: no comparison at its top level.
    pub(crate) fn value(&mut self) -> Result<Expr, SqlError> {
        let expr = self.additive()?;
        if expr.is_condition() {
            return Err(self.error_here());
        }
        Ok(expr)
    }

    /// Either kind; used inside parentheses where both may appear.
    fn expr_any(&mut self) -> Result<Expr, SqlError> {
        let mut left = self.and_expr()?;
        while self.eat_word("OR") {
            let right = self.and_expr()?;
            left = binary(BinaryOp::Or, left, right);
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Expr, SqlError> {
        let mut left = self.not_expr()?;
        while self.eat_word("AND") {
            let right = self.not_expr()?;
            left = binary(BinaryOp::And, left, right);
        }
        Ok(left)
    }

    fn not_expr(&mut self) -> Result<Expr, SqlError> {
        if self.eat_word("NOT") {
            let inner = self.not_expr()?;
            if !inner.is_condition() {
                return Err(self.error_here());
            }
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.predicate()
    }

    fn predicate(&mut self) -> Result<Expr, SqlError> {
        if self.at_word("EXISTS") {
            self.advance();
            self.expect_punct("(")?;
            let query = self.query()?;
            self.expect_punct(")")?;
            return Ok(Expr::Exists(Box::new(query)));
        }
        let left = self.additive()?;
        if let Some(op) = self.comparison_operator() {
            self.advance();
            if self.at_word("ALL") || self.at_word("ANY") || self.at_word("SOME") {
                return Err(self.not_supported("ALL/ANY/SOME comparisons"));
            }
            let right = self.additive()?;
            return Ok(binary(op, left, right));
        }
        if self.eat_word("IS") {
            let negated = self.eat_word("NOT");
            self.expect_word("NULL")?;
            return Ok(Expr::IsNull {
                expr: Box::new(left),
                negated,
            });
        }
        let negated = self.at_word("NOT")
            && ["BETWEEN", "IN", "LIKE"]
                .iter()
                .any(|k| self.at_word_at(1, k));
        if negated {
            self.advance();
        }
        if self.eat_word("BETWEEN") {
            let low = self.additive()?;
            self.expect_word("AND")?;
            let high = self.additive()?;
            return Ok(Expr::Between {
                expr: Box::new(left),
                low: Box::new(low),
                high: Box::new(high),
                negated,
            });
        }
        if self.eat_word("IN") {
            return self.in_predicate(left, negated);
        }
        if self.eat_word("LIKE") {
            let pattern = self.additive()?;
            let escape = if self.eat_word("ESCAPE") {
                Some(Box::new(self.additive()?))
            } else {
                None
            };
            return Ok(Expr::Like {
                expr: Box::new(left),
                pattern: Box::new(pattern),
                escape,
                negated,
            });
        }
        Ok(left)
    }

    fn in_predicate(&mut self, left: Expr, negated: bool) -> Result<Expr, SqlError> {
        self.expect_punct("(")?;
        if self.at_word("SELECT") || self.at_word("WITH") {
            let query = self.query()?;
            self.expect_punct(")")?;
            return Ok(Expr::InQuery {
                expr: Box::new(left),
                query: Box::new(query),
                negated,
            });
        }
        let mut list = vec![self.value()?];
        while self.eat_punct(",") {
            list.push(self.value()?);
        }
        self.expect_punct(")")?;
        Ok(Expr::InList {
            expr: Box::new(left),
            list,
            negated,
        })
    }

    fn comparison_operator(&self) -> Option<BinaryOp> {
        let token = self.peek().filter(|t| t.kind == TokenKind::Punct)?;
        Some(match token.text.as_str() {
            "=" => BinaryOp::Eq,
            "<>" | "!=" => BinaryOp::Ne,
            "<" | "!>" => BinaryOp::Lt,
            "<=" => BinaryOp::Le,
            ">" | "!<" => BinaryOp::Gt,
            ">=" => BinaryOp::Ge,
            _ => return None,
        })
        .map(|op| match token.text.as_str() {
            // `!<` is "not less than" (>=) and `!>` "not greater than" (<=).
            "!<" => BinaryOp::Ge,
            "!>" => BinaryOp::Le,
            _ => op,
        })
    }

    pub(crate) fn additive(&mut self) -> Result<Expr, SqlError> {
        let mut left = self.multiplicative()?;
        loop {
            let op = match self
                .peek()
                .filter(|t| t.kind == TokenKind::Punct)
                .map(|t| t.text.as_str())
            {
                Some("+") => BinaryOp::Add,
                Some("-") => BinaryOp::Sub,
                Some("&") => BinaryOp::BitAnd,
                Some("|") => BinaryOp::BitOr,
                Some("^") => BinaryOp::BitXor,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.multiplicative()?;
            left = binary(op, left, right);
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, SqlError> {
        let mut left = self.unary()?;
        loop {
            let op = match self
                .peek()
                .filter(|t| t.kind == TokenKind::Punct)
                .map(|t| t.text.as_str())
            {
                Some("*") => BinaryOp::Mul,
                Some("/") => BinaryOp::Div,
                Some("%") => BinaryOp::Mod,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.unary()?;
            left = binary(op, left, right);
        }
    }

    fn unary(&mut self) -> Result<Expr, SqlError> {
        let op = match self
            .peek()
            .filter(|t| t.kind == TokenKind::Punct)
            .map(|t| t.text.as_str())
        {
            Some("-") => UnaryOp::Neg,
            Some("+") => UnaryOp::Plus,
            Some("~") => UnaryOp::BitNot,
            _ => return self.primary(),
        };
        self.advance();
        let expr = self.unary()?;
        Ok(Expr::Unary {
            op,
            expr: Box::new(expr),
        })
    }

    fn primary(&mut self) -> Result<Expr, SqlError> {
        let token = self.peek().cloned().ok_or_else(|| self.error_here())?;
        match token.kind {
            TokenKind::Number => {
                self.advance();
                Ok(Expr::Literal(Literal::Number(token.text)))
            }
            TokenKind::Str { national } => {
                self.advance();
                Ok(Expr::Literal(Literal::String {
                    text: token.text,
                    national,
                }))
            }
            TokenKind::Binary => {
                self.advance();
                hex_literal(&token.text)
                    .ok_or_else(|| errors::syntax_near(&format!("0x{}", token.text), token.line))
            }
            TokenKind::Variable => {
                self.advance();
                self.note_variable(&token.text, token.line, None);
                Ok(Expr::Variable(token.text.to_lowercase()))
            }
            TokenKind::Global => {
                self.advance();
                Ok(Expr::Global(token.text.to_ascii_uppercase()))
            }
            TokenKind::Punct if token.text == "(" => self.parenthesized(),
            TokenKind::Word | TokenKind::Quoted => self.word_primary(),
            TokenKind::Punct => Err(self.error_here()),
        }
    }

    fn parenthesized(&mut self) -> Result<Expr, SqlError> {
        self.advance();
        if self.at_word("SELECT") || self.at_word("WITH") {
            let query = self.query()?;
            self.expect_punct(")")?;
            return Ok(Expr::Subquery(Box::new(query)));
        }
        let inner = self.expr_any()?;
        self.expect_punct(")")?;
        Ok(inner)
    }

    fn word_primary(&mut self) -> Result<Expr, SqlError> {
        let token = self.peek().cloned().ok_or_else(|| self.error_here())?;
        let upper = token.text.to_ascii_uppercase();
        let is_word = token.kind == TokenKind::Word;
        if is_word {
            match upper.as_str() {
                "NULL" => {
                    self.advance();
                    return Ok(Expr::Literal(Literal::Null));
                }
                "CASE" => return self.case_expr(),
                "CAST" | "TRY_CAST" => return self.cast(upper == "TRY_CAST"),
                "CONVERT" | "TRY_CONVERT" => return self.convert(upper == "TRY_CONVERT"),
                _ => {}
            }
        }
        let followed_by_paren = self.peek_at(1).is_some_and(|t| t.is_punct("("));
        if is_word && followed_by_paren {
            return self.function_call();
        }
        if is_word && NILADIC.contains(&upper.as_str()) {
            self.advance();
            return Ok(Expr::Function {
                name: upper,
                args: Vec::new(),
                distinct: false,
                star: false,
            });
        }
        if !is_identifier(&token) {
            return Err(self.error_here());
        }
        let name = self.object_name()?;
        if self.at_punct("(") {
            return Err(self.not_supported(&format!("user-defined function '{}'", name.display())));
        }
        Ok(Expr::Column(name.parts))
    }
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    Expr::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
    }
}

fn hex_literal(digits: &str) -> Option<Expr> {
    // SQL Server pads an odd digit count on the left: 0xABC is 0x0ABC.
    let padded = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits.to_string()
    };
    let bytes = (0..padded.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&padded[i..i + 2], 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some(Expr::Literal(Literal::Binary(bytes)))
}
