//! Schema statements: data types, CREATE/ALTER/DROP TABLE, indexes, schemas,
//! databases, and views/procedures/functions/triggers (kept as text, and
//! like SQL Server refused unless first in their batch: error 111).
//! Physical options (CLUSTERED, filegroups, `WITH (...)` index options,
//! INCLUDE columns) are accepted and dropped: they do not change results.

use super::super::SqlError;
use super::super::ast::{AlterAction, AlterTable, CreateIndex, ModuleKind, ObjectName, StmtKind};
use super::super::errors;
use super::super::lexer::TokenKind;
use super::super::types::{DataType, TypeArg};
use super::Parser;

impl Parser<'_> {
    /// `NVARCHAR(400)`, `DECIMAL(10, 2)`, `VARBINARY(MAX)`, `INT`, ...
    pub(crate) fn data_type(&mut self) -> Result<DataType, SqlError> {
        let token = self.peek().cloned().ok_or_else(|| self.error_here())?;
        if !matches!(token.kind, TokenKind::Word | TokenKind::Quoted) {
            return Err(self.error_here());
        }
        self.advance();
        if self.at_punct(".") {
            return Err(self.not_supported("user-defined types"));
        }
        let mut args = Vec::new();
        if self.eat_punct("(") {
            loop {
                if self.eat_word("MAX") {
                    args.push(TypeArg::Max);
                } else {
                    args.push(TypeArg::Number(self.number_u32()?));
                }
                if !self.eat_punct(",") {
                    break;
                }
            }
            self.expect_punct(")")?;
        }
        DataType::from_parts(&token.text, &args).map_err(|name| {
            let known = [
                "XML",
                "TEXT",
                "NTEXT",
                "IMAGE",
                "TIME",
                "DATETIMEOFFSET",
                "SQL_VARIANT",
                "ROWVERSION",
                "TIMESTAMP",
                "GEOGRAPHY",
                "GEOMETRY",
                "HIERARCHYID",
            ];
            if known.contains(&name.as_str()) {
                errors::not_supported_at(&format!("data type {name}"), token.line)
            } else if args.is_empty() {
                errors::type_missing(&token.text).at_line(token.line)
            } else {
                errors::syntax_near(")", token.line)
            }
        })
    }

    pub(crate) fn create_or_alter(&mut self, first_in_batch: bool) -> Result<StmtKind, SqlError> {
        let start = self.peek().map_or(0, |t| t.start);
        let alter = self.at_word("ALTER");
        self.advance();
        let replace = !alter && self.at_word("OR") && self.at_word_at(1, "ALTER");
        if replace {
            self.pos += 2;
        }
        if let Some(kind) = self.module_kind() {
            if !first_in_batch {
                return Err(errors::must_be_first(
                    &format!(
                        "{} {}",
                        if alter { "ALTER" } else { "CREATE" },
                        kind.keyword()
                    ),
                    self.line(),
                ));
            }
            self.advance();
            let name = self.object_name()?;
            let text = self.rest_of_batch(start);
            return Ok(StmtKind::CreateModule {
                kind,
                name,
                replace,
                alter,
                text,
            });
        }
        if alter && self.eat_word("DATABASE") {
            return self.alter_database();
        }
        if alter {
            self.expect_word("TABLE")?;
            return self.alter_table();
        }
        if replace {
            return Err(self.error_here());
        }
        if self.eat_word("TABLE") {
            return self.create_table();
        }
        if self.eat_word("SCHEMA") {
            if !first_in_batch {
                return Err(errors::must_be_first("CREATE SCHEMA", self.line()));
            }
            let name = self.identifier()?;
            if self.eat_word("AUTHORIZATION") {
                self.identifier()?;
            }
            return Ok(StmtKind::CreateSchema(name));
        }
        if self.eat_word("DATABASE") {
            let name = self.identifier()?;
            if self.at_word("ON")
                || self.at_word("COLLATE")
                || self.at_word("WITH")
                || self.at_word("CONTAINMENT")
            {
                return Err(self.not_supported("CREATE DATABASE options"));
            }
            return Ok(StmtKind::CreateDatabase(name));
        }
        self.create_index()
    }

    fn module_kind(&self) -> Option<ModuleKind> {
        let token = self.peek()?;
        if token.is_word("VIEW") {
            Some(ModuleKind::View)
        } else if token.is_word("PROCEDURE") || token.is_word("PROC") {
            Some(ModuleKind::Procedure)
        } else if token.is_word("FUNCTION") {
            Some(ModuleKind::Function)
        } else if token.is_word("TRIGGER") {
            Some(ModuleKind::Trigger)
        } else {
            None
        }
    }

    fn alter_table(&mut self) -> Result<StmtKind, SqlError> {
        let table = self.object_name()?;
        if self.eat_word("WITH") {
            if self.at_word("NOCHECK") {
                return Err(self.not_supported("WITH NOCHECK"));
            }
            self.expect_word("CHECK")?;
        }
        let action = if self.eat_word("ADD") {
            self.alter_add()?
        } else if self.eat_word("DROP") {
            self.alter_drop()?
        } else if self.eat_word("ALTER") {
            self.expect_word("COLUMN")?;
            let name = self.identifier()?;
            let ty = self.data_type()?;
            if self.eat_word("COLLATE") {
                self.advance();
            }
            let nullable = if self.eat_word("NULL") {
                Some(true)
            } else if self.eat_word("NOT") {
                self.expect_word("NULL")?;
                Some(false)
            } else {
                None
            };
            AlterAction::AlterColumn { name, ty, nullable }
        } else if self.at_word("CHECK")
            || self.at_word("NOCHECK")
            || self.at_word("ENABLE")
            || self.at_word("DISABLE")
            || self.at_word("SWITCH")
            || self.at_word("REBUILD")
            || self.at_word("SET")
        {
            return Err(self.not_supported(&format!(
                "ALTER TABLE ... {}",
                self.current_text().to_ascii_uppercase()
            )));
        } else {
            return Err(self.error_here());
        };
        Ok(StmtKind::AlterTable(AlterTable { table, action }))
    }

    fn alter_add(&mut self) -> Result<AlterAction, SqlError> {
        let mut columns = Vec::new();
        let mut constraints = Vec::new();
        loop {
            if self.at_constraint_start() || self.at_word("DEFAULT") {
                constraints.push(self.table_constraint(true)?);
            } else {
                columns.push(self.column_def()?);
            }
            if !self.eat_punct(",") {
                break;
            }
        }
        match (columns.is_empty(), constraints.is_empty()) {
            (false, true) => Ok(AlterAction::AddColumns(columns)),
            (true, false) => Ok(AlterAction::AddConstraints(constraints)),
            _ => Err(self.not_supported("adding columns and constraints in one ALTER TABLE")),
        }
    }

    fn alter_drop(&mut self) -> Result<AlterAction, SqlError> {
        let column = self.eat_word("COLUMN");
        if !column {
            self.eat_word("CONSTRAINT");
        }
        let if_exists = self.if_exists()?;
        let mut names = vec![self.identifier()?];
        while self.eat_punct(",") {
            self.eat_word("COLUMN");
            self.eat_word("CONSTRAINT");
            names.push(self.identifier()?);
        }
        Ok(if column {
            AlterAction::DropColumns { names, if_exists }
        } else {
            AlterAction::DropConstraints { names, if_exists }
        })
    }

    fn if_exists(&mut self) -> Result<bool, SqlError> {
        if self.at_word("IF") && self.at_word_at(1, "EXISTS") {
            self.pos += 2;
            return Ok(true);
        }
        Ok(false)
    }

    fn create_index(&mut self) -> Result<StmtKind, SqlError> {
        let unique = self.eat_word("UNIQUE");
        self.clustering();
        if self.at_word("COLUMNSTORE")
            || self.at_word("XML")
            || self.at_word("SPATIAL")
            || self.at_word("FULLTEXT")
        {
            return Err(self.not_supported(&format!(
                "{} indexes",
                self.current_text().to_ascii_uppercase()
            )));
        }
        if self.at_word("STATISTICS")
            || self.at_word("TYPE")
            || self.at_word("SEQUENCE")
            || self.at_word("SYNONYM")
            || self.at_word("USER")
            || self.at_word("LOGIN")
            || self.at_word("ROLE")
        {
            return Err(self.not_supported(&format!(
                "CREATE {}",
                self.current_text().to_ascii_uppercase()
            )));
        }
        self.expect_word("INDEX")?;
        let name = self.identifier()?;
        self.expect_word("ON")?;
        let table = self.object_name()?;
        self.expect_punct("(")?;
        let columns = self.order_items()?;
        self.expect_punct(")")?;
        if self.eat_word("INCLUDE") {
            self.identifier_list()?;
        }
        let filter = if self.eat_word("WHERE") {
            Some(self.condition()?)
        } else {
            None
        };
        self.storage_options()?;
        Ok(StmtKind::CreateIndex(CreateIndex {
            name,
            table,
            unique,
            columns,
            filter,
        }))
    }

    pub(crate) fn drop(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("DROP")?;
        if self.eat_word("TABLE") {
            let if_exists = self.if_exists()?;
            let names = self.object_names()?;
            return Ok(StmtKind::DropTable { names, if_exists });
        }
        if self.eat_word("INDEX") {
            return self.drop_index();
        }
        if self.eat_word("SCHEMA") {
            let if_exists = self.if_exists()?;
            let name = self.identifier()?;
            return Ok(StmtKind::DropSchema { name, if_exists });
        }
        if let Some(kind) = self.module_kind() {
            self.advance();
            let if_exists = self.if_exists()?;
            let names = self.object_names()?;
            return Ok(StmtKind::DropModule {
                kind,
                names,
                if_exists,
            });
        }
        Err(self.not_supported(&format!(
            "DROP {}",
            self.current_text().to_ascii_uppercase()
        )))
    }

    fn object_names(&mut self) -> Result<Vec<ObjectName>, SqlError> {
        let mut names = vec![self.object_name()?];
        while self.eat_punct(",") {
            names.push(self.object_name()?);
        }
        Ok(names)
    }

    /// `DROP INDEX ix ON t` or the old `DROP INDEX t.ix`.
    fn drop_index(&mut self) -> Result<StmtKind, SqlError> {
        let if_exists = self.if_exists()?;
        let mut items = Vec::new();
        loop {
            let name = self.object_name()?;
            if self.eat_word("ON") {
                let table = self.object_name()?;
                items.push((table, name.name().to_string()));
            } else if name.parts.len() >= 2 {
                let index = name.name().to_string();
                let table = ObjectName {
                    parts: name.parts[..name.parts.len() - 1].to_vec(),
                };
                items.push((table, index));
            } else {
                return Err(self.error_here());
            }
            if !self.eat_punct(",") {
                return Ok(StmtKind::DropIndex { items, if_exists });
            }
        }
    }

    pub(crate) fn truncate(&mut self) -> Result<StmtKind, SqlError> {
        self.expect_word("TRUNCATE")?;
        self.expect_word("TABLE")?;
        Ok(StmtKind::TruncateTable(self.object_name()?))
    }

    /// `ALTER DATABASE { name | CURRENT } SET option [=] value [, ...]
    /// [WITH ROLLBACK IMMEDIATE | WITH NO_WAIT]`.
    fn alter_database(&mut self) -> Result<StmtKind, SqlError> {
        let name = if self.eat_word("CURRENT") {
            None
        } else {
            Some(self.identifier()?)
        };
        if !self.eat_word("SET") {
            return Err(self.not_supported("ALTER DATABASE other than SET"));
        }
        let mut options = Vec::new();
        loop {
            let option = match self.advance() {
                Some(t) if t.kind == TokenKind::Word => t.text.to_ascii_uppercase(),
                _ => return Err(self.error_here()),
            };
            let assigned = self.eat_punct("=");
            // Some options are bare words (SINGLE_USER, READ_ONLY).
            let value = match self.peek() {
                Some(t)
                    if matches!(t.kind, TokenKind::Word | TokenKind::Number)
                        && !t.is_word("WITH") =>
                {
                    let value = t.text.to_ascii_uppercase();
                    self.advance();
                    value
                }
                _ if assigned => return Err(self.error_here()),
                _ => String::new(),
            };
            options.push((option, value));
            if !self.eat_punct(",") {
                break;
            }
        }
        if self.eat_word("WITH") {
            if self.eat_word("ROLLBACK") {
                if !self.eat_word("IMMEDIATE") {
                    self.expect_word("AFTER")?;
                    self.number_u32()?;
                    self.eat_word("SECONDS");
                }
            } else {
                self.expect_word("NO_WAIT")?;
            }
        }
        Ok(StmtKind::AlterDatabase { name, options })
    }
}
