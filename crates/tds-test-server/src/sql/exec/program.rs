//! The compile step after parsing: variables must be declared before use and
//! only once per batch (errors 137, 134, caught before anything runs, as in
//! SQL Server), and IF/WHILE/BEGIN...END/BREAK/CONTINUE/RETURN flatten into
//! a list of operations with jumps, so the runner needs no recursion.

use super::super::ast::{Expr, Statement, StmtKind};
use super::super::parser::VariableUse;
use super::super::translate::{Variable, Variables};
use super::super::{SqlError, Value, errors};

#[derive(Debug)]
pub(crate) enum Op<'a> {
    Run(&'a Statement),
    /// Evaluates the condition of `owner` (an IF or WHILE) and jumps to
    /// `target` unless it is true.
    Unless {
        condition: &'a Expr,
        owner: &'a Statement,
        target: usize,
    },
    Jump(usize),
}

/// Checks declarations against uses in batch order and adds every declared
/// variable (as NULL) to `vars`, which already holds the parameters.
pub(crate) fn check_variables(uses: &[VariableUse], vars: &mut Variables) -> Result<(), SqlError> {
    let mut declared: Vec<&str> = vars.keys().map(String::as_str).collect();
    let mut new = Vec::new();
    for usage in uses {
        match usage.declared {
            Some(ty) => {
                if declared.contains(&usage.name.as_str()) {
                    return Err(errors::variable_redeclared(&usage.name, usage.line));
                }
                declared.push(&usage.name);
                new.push((usage.name.clone(), ty));
            }
            None if !declared.contains(&usage.name.as_str()) => {
                return Err(errors::must_declare(&usage.name, usage.line));
            }
            None => {}
        }
    }
    for (name, ty) in new {
        vars.insert(
            name,
            Variable {
                ty: Some(ty),
                value: Value::Null,
            },
        );
    }
    Ok(())
}

/// Flattens a batch's statements into operations.
pub(crate) fn compile(statements: &[Statement]) -> Result<Vec<Op<'_>>, SqlError> {
    let mut compiler = Compiler {
        ops: Vec::new(),
        loops: Vec::new(),
        returns: Vec::new(),
    };
    compiler.list(statements)?;
    let end = compiler.ops.len();
    for index in compiler.returns {
        compiler.ops[index] = Op::Jump(end);
    }
    Ok(compiler.ops)
}

struct Loop {
    start: usize,
    breaks: Vec<usize>,
}

struct Compiler<'a> {
    ops: Vec<Op<'a>>,
    loops: Vec<Loop>,
    returns: Vec<usize>,
}

impl<'a> Compiler<'a> {
    fn list(&mut self, statements: &'a [Statement]) -> Result<(), SqlError> {
        statements.iter().try_for_each(|s| self.statement(s))
    }

    fn statement(&mut self, statement: &'a Statement) -> Result<(), SqlError> {
        match &statement.kind {
            StmtKind::Block(list) => self.list(list),
            StmtKind::If {
                condition,
                then,
                otherwise,
            } => {
                let test = self.placeholder();
                self.statement(then)?;
                match otherwise {
                    Some(otherwise) => {
                        let skip = self.placeholder();
                        self.ops[test] = Op::Unless {
                            condition,
                            owner: statement,
                            target: self.ops.len(),
                        };
                        self.statement(otherwise)?;
                        self.ops[skip] = Op::Jump(self.ops.len());
                    }
                    None => {
                        self.ops[test] = Op::Unless {
                            condition,
                            owner: statement,
                            target: self.ops.len(),
                        }
                    }
                }
                Ok(())
            }
            StmtKind::While { condition, body } => {
                let start = self.ops.len();
                let test = self.placeholder();
                self.loops.push(Loop {
                    start,
                    breaks: Vec::new(),
                });
                self.statement(body)?;
                self.ops.push(Op::Jump(start));
                let end = self.ops.len();
                self.ops[test] = Op::Unless {
                    condition,
                    owner: statement,
                    target: end,
                };
                if let Some(done) = self.loops.pop() {
                    for index in done.breaks {
                        self.ops[index] = Op::Jump(end);
                    }
                }
                Ok(())
            }
            StmtKind::Break => {
                let index = self.placeholder();
                match self.loops.last_mut() {
                    Some(current) => current.breaks.push(index),
                    None => return Err(super::misplaced("BREAK", statement.line)),
                }
                Ok(())
            }
            StmtKind::Continue => match self.loops.last() {
                Some(current) => {
                    self.ops.push(Op::Jump(current.start));
                    Ok(())
                }
                None => Err(super::misplaced("CONTINUE", statement.line)),
            },
            StmtKind::Return => {
                let index = self.placeholder();
                self.returns.push(index);
                Ok(())
            }
            _ => {
                self.ops.push(Op::Run(statement));
                Ok(())
            }
        }
    }

    /// A jump to be patched once its target is known.
    fn placeholder(&mut self) -> usize {
        self.ops.push(Op::Jump(usize::MAX));
        self.ops.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::parser::parse_batch;

    fn shape(sql: &str) -> Vec<String> {
        let parsed = parse_batch(sql).unwrap();
        let ops = compile(&parsed.statements).unwrap();
        ops.iter()
            .map(|op| match op {
                Op::Run(s) => format!("run@{}", s.line),
                Op::Unless { target, .. } => format!("unless->{target}"),
                Op::Jump(target) => format!("jump->{target}"),
            })
            .collect()
    }

    #[test]
    fn control_flow_flattens_into_jumps() {
        assert_eq!(
            shape("IF 1 = 1 PRINT 'a'\nPRINT 'b'"),
            ["unless->2", "run@1", "run@2"]
        );
        assert_eq!(
            shape("IF 1 = 1 PRINT 'a' ELSE PRINT 'b'"),
            ["unless->3", "run@1", "jump->4", "run@1"]
        );
        assert_eq!(
            shape("WHILE 1 = 1\nBEGIN\nIF 1 = 1 BREAK\nPRINT 'x'\nEND"),
            ["unless->5", "unless->3", "jump->5", "run@4", "jump->0"]
        );
        assert_eq!(
            shape("PRINT 'a'\nRETURN\nPRINT 'b'"),
            ["run@1", "jump->3", "run@3"]
        );
    }

    #[test]
    fn break_outside_a_loop_is_a_syntax_error() {
        let parsed = parse_batch("BREAK").unwrap();
        assert_eq!(compile(&parsed.statements).unwrap_err().number, 156);
    }

    #[test]
    fn variables_must_be_declared_once_before_use() {
        let cases = [
            ("DECLARE @a INT; SELECT @a", None),
            ("SELECT @a; DECLARE @a INT", Some(137)),
            ("DECLARE @a INT; DECLARE @A INT", Some(134)),
            ("SELECT @P1", None),
            ("DECLARE @p1 INT", Some(134)),
            ("IF 1 = 0 BEGIN DECLARE @x INT END; SET @x = 1", None),
        ];
        for (sql, expected) in cases {
            let parsed = parse_batch(sql).unwrap();
            let mut vars = Variables::new();
            vars.insert(
                "p1".into(),
                Variable {
                    ty: None,
                    value: Value::Null,
                },
            );
            let result = check_variables(&parsed.variables, &mut vars);
            assert_eq!(result.err().map(|e| e.number), expected, "{sql}");
        }
    }
}
