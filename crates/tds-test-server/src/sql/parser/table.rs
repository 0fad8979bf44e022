//! CREATE TABLE's body: column definitions (type, NULL/NOT NULL, IDENTITY,
//! DEFAULT, inline constraints) and table constraints (PRIMARY KEY, UNIQUE,
//! FOREIGN KEY ... REFERENCES with ON DELETE/UPDATE, CHECK, and ALTER
//! TABLE's DEFAULT ... FOR). Physical options (CLUSTERED, filegroups,
//! `WITH (...)`, COLLATE) are accepted and dropped.

use super::super::SqlError;
use super::super::ast::{
    ColumnDef, ConstraintBody, CreateTable, ReferentialAction, StmtKind, TableConstraint,
};
use super::Parser;

impl Parser<'_> {
    pub(crate) fn create_table(&mut self) -> Result<StmtKind, SqlError> {
        let name = self.object_name()?;
        self.expect_punct("(")?;
        let mut columns = Vec::new();
        let mut constraints = Vec::new();
        loop {
            if self.at_constraint_start() {
                constraints.push(self.table_constraint(false)?);
            } else {
                columns.push(self.column_def()?);
            }
            if !self.eat_punct(",") {
                break;
            }
            if self.at_punct(")") {
                break;
            }
        }
        self.expect_punct(")")?;
        self.storage_options()?;
        Ok(StmtKind::CreateTable(CreateTable {
            name,
            columns,
            constraints,
        }))
    }

    pub(crate) fn at_constraint_start(&self) -> bool {
        ["CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK"]
            .iter()
            .any(|k| self.at_word(k))
    }

    /// `ON [PRIMARY]`, `WITH (...)`, `TEXTIMAGE_ON x`: physical, ignored.
    pub(crate) fn storage_options(&mut self) -> Result<(), SqlError> {
        loop {
            if self.eat_word("ON") || self.eat_word("TEXTIMAGE_ON") {
                self.advance();
            } else if self.at_word("WITH") && self.peek_at(1).is_some_and(|t| t.is_punct("(")) {
                self.advance();
                self.skip_parenthesized()?;
            } else {
                return Ok(());
            }
        }
    }

    pub(crate) fn skip_parenthesized(&mut self) -> Result<(), SqlError> {
        self.expect_punct("(")?;
        let mut depth = 1;
        while depth > 0 {
            let token = self.advance().ok_or_else(|| self.error_here())?;
            if token.is_punct("(") {
                depth += 1;
            } else if token.is_punct(")") {
                depth -= 1;
            }
        }
        Ok(())
    }

    pub(crate) fn column_def(&mut self) -> Result<ColumnDef, SqlError> {
        let name = self.identifier()?;
        if self.at_word("AS") {
            return Err(self.not_supported("computed columns"));
        }
        let ty = self.data_type()?;
        let mut column = ColumnDef {
            name,
            ty,
            nullable: None,
            identity: None,
            default: None,
            constraints: Vec::new(),
        };
        loop {
            if self.eat_word("COLLATE") {
                self.advance();
            } else if self.eat_word("NULL") {
                column.nullable = Some(true);
            } else if self.at_word("NOT") && self.at_word_at(1, "NULL") {
                self.pos += 2;
                column.nullable = Some(false);
            } else if self.eat_word("IDENTITY") {
                column.identity = Some(self.identity_args()?);
            } else if self.eat_word("ROWGUIDCOL") || self.eat_word("SPARSE") {
            } else if self.at_constraint_start()
                || self.at_word("DEFAULT")
                || self.at_word("REFERENCES")
            {
                self.column_constraint(&mut column)?;
            } else {
                return Ok(column);
            }
        }
    }

    pub(crate) fn identity_args(&mut self) -> Result<(i64, i64), SqlError> {
        if !self.eat_punct("(") {
            return Ok((1, 1));
        }
        let seed = self.signed_integer()?;
        self.expect_punct(",")?;
        let increment = self.signed_integer()?;
        self.expect_punct(")")?;
        if increment == 0 {
            return Err(self.not_supported("IDENTITY with increment 0"));
        }
        Ok((seed, increment))
    }

    pub(crate) fn column_constraint(&mut self, column: &mut ColumnDef) -> Result<(), SqlError> {
        let name = if self.eat_word("CONSTRAINT") {
            Some(self.identifier()?)
        } else {
            None
        };
        if self.eat_word("DEFAULT") {
            let expr = self.value()?;
            column.default = Some((name, expr));
            return Ok(());
        }
        let columns = vec![column.name.clone()];
        let body = if self.eat_word("PRIMARY") {
            self.expect_word("KEY")?;
            self.clustering();
            ConstraintBody::PrimaryKey(columns)
        } else if self.eat_word("UNIQUE") {
            self.clustering();
            ConstraintBody::Unique(columns)
        } else if self.eat_word("CHECK") {
            self.expect_punct("(")?;
            let condition = self.condition()?;
            self.expect_punct(")")?;
            ConstraintBody::Check(condition)
        } else {
            if self.eat_word("FOREIGN") {
                self.expect_word("KEY")?;
            }
            self.references(columns)?
        };
        column.constraints.push(TableConstraint { name, body });
        Ok(())
    }

    pub(crate) fn clustering(&mut self) {
        if !self.eat_word("CLUSTERED") {
            self.eat_word("NONCLUSTERED");
        }
    }

    /// A table-level constraint; `allow_default` for ALTER TABLE's
    /// `ADD CONSTRAINT DF_x DEFAULT 0 FOR col`.
    pub(crate) fn table_constraint(
        &mut self,
        allow_default: bool,
    ) -> Result<TableConstraint, SqlError> {
        let name = if self.eat_word("CONSTRAINT") {
            Some(self.identifier()?)
        } else {
            None
        };
        let body = if self.eat_word("PRIMARY") {
            self.expect_word("KEY")?;
            self.clustering();
            ConstraintBody::PrimaryKey(self.key_columns()?)
        } else if self.eat_word("UNIQUE") {
            self.clustering();
            ConstraintBody::Unique(self.key_columns()?)
        } else if self.eat_word("FOREIGN") {
            self.expect_word("KEY")?;
            let columns = self.identifier_list()?;
            self.references(columns)?
        } else if self.eat_word("CHECK") {
            self.expect_punct("(")?;
            let condition = self.condition()?;
            self.expect_punct(")")?;
            ConstraintBody::Check(condition)
        } else if allow_default && self.eat_word("DEFAULT") {
            let expr = self.value()?;
            self.expect_word("FOR")?;
            let column = self.identifier()?;
            ConstraintBody::Default { expr, column }
        } else {
            return Err(self.error_here());
        };
        self.storage_options()?;
        Ok(TableConstraint { name, body })
    }

    /// `(a ASC, b DESC)`: key columns; the order is physical and dropped.
    pub(crate) fn key_columns(&mut self) -> Result<Vec<String>, SqlError> {
        self.expect_punct("(")?;
        let mut names = Vec::new();
        loop {
            names.push(self.identifier()?);
            if !self.eat_word("ASC") {
                self.eat_word("DESC");
            }
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")")?;
        Ok(names)
    }

    pub(crate) fn references(&mut self, columns: Vec<String>) -> Result<ConstraintBody, SqlError> {
        self.expect_word("REFERENCES")?;
        let table = self.object_name()?;
        let ref_columns = if self.at_punct("(") {
            self.identifier_list()?
        } else {
            Vec::new()
        };
        let mut on_delete = ReferentialAction::NoAction;
        let mut on_update = ReferentialAction::NoAction;
        while self.at_word("ON") && (self.at_word_at(1, "DELETE") || self.at_word_at(1, "UPDATE")) {
            self.advance();
            let delete = self.eat_word("DELETE");
            if !delete {
                self.expect_word("UPDATE")?;
            }
            let action = self.referential_action()?;
            if delete {
                on_delete = action;
            } else {
                on_update = action;
            }
        }
        if self.at_word("NOT") && self.at_word_at(1, "FOR") {
            self.pos += 2;
            self.expect_word("REPLICATION")?;
        }
        Ok(ConstraintBody::ForeignKey {
            columns,
            table,
            ref_columns,
            on_delete,
            on_update,
        })
    }

    pub(crate) fn referential_action(&mut self) -> Result<ReferentialAction, SqlError> {
        if self.eat_word("CASCADE") {
            Ok(ReferentialAction::Cascade)
        } else if self.eat_word("NO") {
            self.expect_word("ACTION")?;
            Ok(ReferentialAction::NoAction)
        } else if self.eat_word("SET") {
            if self.eat_word("NULL") {
                Ok(ReferentialAction::SetNull)
            } else {
                self.expect_word("DEFAULT")?;
                Ok(ReferentialAction::SetDefault)
            }
        } else {
            Err(self.error_here())
        }
    }
}
