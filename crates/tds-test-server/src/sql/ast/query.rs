//! Expressions and queries: literals, operators, predicates, function
//! calls, CASE and CAST; SELECT with its FROM items, set operators and
//! ORDER BY. Pure data, like the rest of `ast`.

use super::super::types::DataType;
use super::ObjectName;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Null,
    /// Digits as written; typed by the translator (int, bigint, numeric, float).
    Number(String),
    String {
        text: String,
        national: bool,
    },
    Binary(Vec<u8>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    BitAnd,
    BitOr,
    BitXor,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinaryOp {
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }

    pub fn is_logical(self) -> bool {
        matches!(self, BinaryOp::And | BinaryOp::Or)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnaryOp {
    Neg,
    Plus,
    BitNot,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Literal(Literal),
    Variable(String),
    /// `@@NAME`, upper-case.
    Global(String),
    Column(Vec<String>),
    Unary {
        op: UnaryOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Not(Box<Expr>),
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    Between {
        expr: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
    },
    InList {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    InQuery {
        expr: Box<Expr>,
        query: Box<Query>,
        negated: bool,
    },
    Like {
        expr: Box<Expr>,
        pattern: Box<Expr>,
        escape: Option<Box<Expr>>,
        negated: bool,
    },
    Exists(Box<Query>),
    Subquery(Box<Query>),
    /// A built-in function; `name` upper-case. `COUNT(*)` has `star`.
    Function {
        name: String,
        args: Vec<Expr>,
        distinct: bool,
        star: bool,
    },
    Cast {
        expr: Box<Expr>,
        ty: DataType,
        style: Option<Box<Expr>>,
        try_cast: bool,
    },
    /// The DEFAULT keyword as a value (INSERT ... VALUES, UPDATE ... SET).
    Default,
    Case {
        operand: Option<Box<Expr>>,
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
}

impl Expr {
    /// The expressions directly inside this one, subqueries excluded (they
    /// have their own scope).
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Literal(_)
            | Expr::Variable(_)
            | Expr::Global(_)
            | Expr::Column(_)
            | Expr::Default => Vec::new(),
            Expr::Exists(_) | Expr::Subquery(_) => Vec::new(),
            Expr::Unary { expr, .. } | Expr::Not(expr) | Expr::IsNull { expr, .. } => vec![expr],
            Expr::InQuery { expr, .. } => vec![expr],
            Expr::Binary { left, right, .. } => vec![left, right],
            Expr::Between {
                expr, low, high, ..
            } => vec![expr, low, high],
            Expr::InList { expr, list, .. } => std::iter::once(&**expr).chain(list).collect(),
            Expr::Like {
                expr,
                pattern,
                escape,
                ..
            } => {
                let mut all = vec![&**expr, &**pattern];
                all.extend(escape.as_deref());
                all
            }
            Expr::Function { args, .. } => args.iter().collect(),
            Expr::Cast { expr, style, .. } => {
                std::iter::once(&**expr).chain(style.as_deref()).collect()
            }
            Expr::Case {
                operand,
                whens,
                otherwise,
            } => operand
                .as_deref()
                .into_iter()
                .chain(whens.iter().flat_map(|(w, t)| [w, t]))
                .chain(otherwise.as_deref())
                .collect(),
        }
    }

    /// True for search conditions (comparisons, AND/OR/NOT, EXISTS, ...),
    /// which T-SQL does not allow where a value is expected and vice versa.
    pub fn is_condition(&self) -> bool {
        match self {
            Expr::Binary { op, .. } => op.is_comparison() || op.is_logical(),
            Expr::Not(_)
            | Expr::IsNull { .. }
            | Expr::Between { .. }
            | Expr::InList { .. }
            | Expr::InQuery { .. }
            | Expr::Like { .. }
            | Expr::Exists(_) => true,
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Query {
    pub ctes: Vec<Cte>,
    pub body: QueryBody,
    pub order_by: Vec<OrderItem>,
    /// `OFFSET n ROWS [FETCH NEXT m ROWS ONLY]`.
    pub offset: Option<(Expr, Option<Expr>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cte {
    pub name: String,
    pub columns: Vec<String>,
    pub query: Query,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetOp {
    Union,
    Except,
    Intersect,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum QueryBody {
    Select(Box<Select>),
    SetOp {
        op: SetOp,
        all: bool,
        left: Box<QueryBody>,
        right: Box<QueryBody>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OrderItem {
    pub expr: Expr,
    pub descending: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Top {
    pub count: Expr,
    pub percent: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Select {
    pub distinct: bool,
    pub top: Option<Top>,
    pub items: Vec<SelectItem>,
    pub from: Vec<TableRef>,
    pub filter: Option<Expr>,
    pub group_by: Vec<Expr>,
    pub having: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SelectItem {
    /// `*` or `t.*`.
    Wildcard {
        qualifier: Option<Vec<String>>,
    },
    Expr {
        expr: Expr,
        alias: Option<String>,
    },
    /// `@x = expr` (or `@x += expr`): assigns instead of returning a column.
    Assign {
        variable: String,
        op: Option<BinaryOp>,
        expr: Expr,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JoinKind {
    Inner,
    Left,
    Right,
    Full,
    Cross,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TableRef {
    Table {
        name: ObjectName,
        alias: Option<String>,
    },
    Derived {
        query: Box<Query>,
        alias: String,
    },
    Join {
        left: Box<TableRef>,
        right: Box<TableRef>,
        kind: JoinKind,
        on: Option<Expr>,
    },
}
