//! The parsed form of a batch: statements, queries and expressions of the
//! T-SQL subset. Names keep the spelling the user wrote (SQL Server compares
//! them case-insensitively); variables are stored lower-case without `@`.
//!
//! Pure data: parsing lives in `parser`, meaning in `exec` and `translate`.

mod query;

use super::types::DataType;

pub(crate) use query::{
    BinaryOp, Cte, Expr, JoinKind, Literal, OrderItem, Query, QueryBody, Select, SelectItem, SetOp,
    TableRef, Top, UnaryOp,
};

/// `[server.][database.][schema.]name`, outermost part first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectName {
    pub parts: Vec<String>,
}

impl ObjectName {
    pub fn name(&self) -> &str {
        self.parts.last().map_or("", String::as_str)
    }

    pub fn schema(&self) -> Option<&str> {
        let n = self.parts.len();
        (n >= 2)
            .then(|| self.parts[n - 2].as_str())
            .filter(|s| !s.is_empty())
    }

    pub fn database(&self) -> Option<&str> {
        let n = self.parts.len();
        (n >= 3)
            .then(|| self.parts[n - 3].as_str())
            .filter(|s| !s.is_empty())
    }

    /// The name as SQL Server prints it in messages (`dbo.t`).
    pub fn display(&self) -> String {
        self.parts.join(".")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum InsertSource {
    Values(Vec<Vec<Expr>>),
    Query(Box<Query>),
    DefaultValues,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Insert {
    pub table: ObjectName,
    pub columns: Vec<String>,
    pub source: InsertSource,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assignment {
    pub column: Vec<String>,
    pub op: Option<BinaryOp>,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Update {
    pub top: Option<Top>,
    /// The table or alias named after UPDATE.
    pub target: ObjectName,
    pub assignments: Vec<Assignment>,
    pub from: Vec<TableRef>,
    pub filter: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Delete {
    pub top: Option<Top>,
    pub target: ObjectName,
    pub from: Vec<TableRef>,
    pub filter: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ColumnDef {
    pub name: String,
    pub ty: DataType,
    /// `Some(false)` for NOT NULL, `Some(true)` for NULL, `None` unsaid.
    pub nullable: Option<bool>,
    pub identity: Option<(i64, i64)>,
    pub default: Option<(Option<String>, Expr)>,
    /// Column-level constraints, turned into table constraints on this column.
    pub constraints: Vec<TableConstraint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReferentialAction {
    NoAction,
    Cascade,
    SetNull,
    SetDefault,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConstraintBody {
    PrimaryKey(Vec<String>),
    Unique(Vec<String>),
    ForeignKey {
        columns: Vec<String>,
        table: ObjectName,
        ref_columns: Vec<String>,
        on_delete: ReferentialAction,
        on_update: ReferentialAction,
    },
    Check(Expr),
    /// `DEFAULT expr FOR column` (ALTER TABLE ... ADD CONSTRAINT only).
    Default {
        expr: Expr,
        column: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TableConstraint {
    pub name: Option<String>,
    pub body: ConstraintBody,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CreateTable {
    pub name: ObjectName,
    pub columns: Vec<ColumnDef>,
    pub constraints: Vec<TableConstraint>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AlterAction {
    AddColumns(Vec<ColumnDef>),
    AddConstraints(Vec<TableConstraint>),
    DropColumns {
        names: Vec<String>,
        if_exists: bool,
    },
    DropConstraints {
        names: Vec<String>,
        if_exists: bool,
    },
    AlterColumn {
        name: String,
        ty: DataType,
        nullable: Option<bool>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AlterTable {
    pub table: ObjectName,
    pub action: AlterAction,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CreateIndex {
    pub name: String,
    pub table: ObjectName,
    pub unique: bool,
    pub columns: Vec<OrderItem>,
    pub filter: Option<Expr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ModuleKind {
    View,
    Procedure,
    Function,
    Trigger,
}

impl ModuleKind {
    pub fn keyword(self) -> &'static str {
        match self {
            ModuleKind::View => "VIEW",
            ModuleKind::Procedure => "PROCEDURE",
            ModuleKind::Function => "FUNCTION",
            ModuleKind::Trigger => "TRIGGER",
        }
    }

    /// The `sys.objects.type` code.
    pub fn type_code(self) -> &'static str {
        match self {
            ModuleKind::View => "V",
            ModuleKind::Procedure => "P",
            ModuleKind::Function => "FN",
            ModuleKind::Trigger => "TR",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Declaration {
    pub name: String,
    pub ty: DataType,
    pub init: Option<Expr>,
}

/// An argument of EXEC: `[@name =] value [OUTPUT]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExecArg {
    pub name: Option<String>,
    /// `None` for the DEFAULT keyword.
    pub value: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExecTarget {
    Procedure {
        name: ObjectName,
        args: Vec<ExecArg>,
    },
    /// `EXEC ('...')` / `EXEC (@sql)`: a nested batch.
    Dynamic(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StmtKind {
    Query(Query),
    Insert(Insert),
    Update(Update),
    Delete(Delete),
    CreateTable(CreateTable),
    AlterTable(AlterTable),
    DropTable {
        names: Vec<ObjectName>,
        if_exists: bool,
    },
    TruncateTable(ObjectName),
    CreateIndex(CreateIndex),
    DropIndex {
        items: Vec<(ObjectName, String)>,
        if_exists: bool,
    },
    CreateSchema(String),
    DropSchema {
        name: String,
        if_exists: bool,
    },
    CreateModule {
        kind: ModuleKind,
        name: ObjectName,
        replace: bool,
        alter: bool,
        text: String,
    },
    DropModule {
        kind: ModuleKind,
        names: Vec<ObjectName>,
        if_exists: bool,
    },
    CreateDatabase(String),
    /// `ALTER DATABASE name SET ...`; `None` for CURRENT. Options upper-case.
    AlterDatabase {
        name: Option<String>,
        options: Vec<(String, String)>,
    },
    Use(String),
    Declare(Vec<Declaration>),
    SetVariable {
        name: String,
        op: Option<BinaryOp>,
        value: Expr,
    },
    /// `SET XACT_ABORT ON` and friends; option names upper-case.
    SetOption {
        options: Vec<String>,
        value: String,
    },
    If {
        condition: Expr,
        then: Box<Statement>,
        otherwise: Option<Box<Statement>>,
    },
    While {
        condition: Expr,
        body: Box<Statement>,
    },
    Break,
    Continue,
    Return,
    Block(Vec<Statement>),
    Exec {
        status: Option<String>,
        target: ExecTarget,
    },
    Print(Expr),
    Throw {
        number: Expr,
        message: Expr,
        state: Expr,
    },
    Raiserror {
        message: Expr,
        severity: Expr,
        state: Expr,
        args: Vec<Expr>,
    },
    WaitforDelay(Expr),
    BeginTran,
    CommitTran,
    RollbackTran,
}

/// One statement with where it sits in the batch (bytes and first line).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statement {
    pub kind: StmtKind,
    pub start: usize,
    pub end: usize,
    pub line: u32,
}
