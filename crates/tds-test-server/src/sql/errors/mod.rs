//! The SQL Server errors the test server raises: number, class (severity),
//! state and message text as SQL Server words them, one constructor each.
//!
//! Numbers and texts follow Microsoft's "Database engine events and errors"
//! pages. Errors of the test server itself (a construct outside the subset, an
//! internal failure) use 40900-40902, numbers no real server or Azure uses, so
//! no client mistakes them for a transient cloud error. Where a runtime error
//! is raised the line is not known yet: it is 0 until the executor stamps the
//! statement's line with [`SqlError::at_line`]. Mapping SQLite failures to
//! these lives in `exec::sqlite_errors`, not here.

mod data;
mod schema;

use super::SqlError;

pub use data::*;
pub use schema::*;

/// Raised for a construct the test server does not implement.
pub const NOT_SUPPORTED: u32 = 40900;
/// Raised when SQLite fails in a way no SQL Server error describes.
pub const INTERNAL: u32 = 40901;
/// Raised when a view or procedure, stored as text only, is used.
pub const TEXT_ONLY_MODULE: u32 = 40902;

/// Keywords that make SQL Server say "near the keyword" (error 156).
const KEYWORDS: &[&str] = &[
    "ADD",
    "ALL",
    "ALTER",
    "AND",
    "ANY",
    "AS",
    "ASC",
    "BEGIN",
    "BETWEEN",
    "BREAK",
    "BY",
    "CASE",
    "CHECK",
    "COLUMN",
    "COMMIT",
    "CONSTRAINT",
    "CONTINUE",
    "CREATE",
    "CROSS",
    "DATABASE",
    "DECLARE",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DISTINCT",
    "DROP",
    "ELSE",
    "END",
    "EXEC",
    "EXECUTE",
    "EXISTS",
    "FOREIGN",
    "FROM",
    "FULL",
    "GROUP",
    "HAVING",
    "IF",
    "IN",
    "INDEX",
    "INNER",
    "INSERT",
    "INTO",
    "IS",
    "JOIN",
    "KEY",
    "LEFT",
    "LIKE",
    "NOT",
    "NULL",
    "ON",
    "OR",
    "ORDER",
    "OUTER",
    "PRIMARY",
    "PRINT",
    "PROCEDURE",
    "REFERENCES",
    "RIGHT",
    "ROLLBACK",
    "SELECT",
    "SET",
    "TABLE",
    "THEN",
    "TOP",
    "TRAN",
    "TRANSACTION",
    "UNION",
    "UNIQUE",
    "UPDATE",
    "USE",
    "VALUES",
    "VIEW",
    "WAITFOR",
    "WHEN",
    "WHERE",
    "WHILE",
    "WITH",
];

pub(crate) fn error(number: u32, class: u8, state: u8, message: String) -> SqlError {
    SqlError {
        number,
        state,
        class,
        line: 0,
        message,
    }
}

impl SqlError {
    /// The same error reported at `line` of the batch.
    pub fn at_line(mut self, line: u32) -> SqlError {
        if self.line == 0 {
            self.line = line;
        }
        self
    }
}

pub fn syntax_near(text: &str, line: u32) -> SqlError {
    let upper = text.to_ascii_uppercase();
    let err = if KEYWORDS.contains(&upper.as_str()) {
        error(
            156,
            15,
            1,
            format!(
                "Incorrect syntax near the keyword '{}'.",
                upper.to_lowercase()
            ),
        )
    } else {
        error(102, 15, 1, format!("Incorrect syntax near '{text}'."))
    };
    err.at_line(line)
}

pub fn unclosed_quote(rest: &str, line: u32) -> SqlError {
    let rest = rest.get(1..).unwrap_or("");
    error(
        105,
        15,
        1,
        format!("Unclosed quotation mark after the character string '{rest}'."),
    )
    .at_line(line)
}

pub fn missing_end_comment(line: u32) -> SqlError {
    error(113, 15, 1, "Missing end comment mark '*/'.".into()).at_line(line)
}

pub fn must_declare(name: &str, line: u32) -> SqlError {
    error(
        137,
        15,
        2,
        format!("Must declare the scalar variable \"@{name}\"."),
    )
    .at_line(line)
}

pub fn variable_redeclared(name: &str, line: u32) -> SqlError {
    let message = format!(
        "The variable name '@{name}' has already been declared. Variable names must be unique \
         within a query batch or stored procedure."
    );
    error(134, 15, 1, message).at_line(line)
}

pub fn must_be_first(what: &str, line: u32) -> SqlError {
    error(
        111,
        15,
        1,
        format!("'{what}' must be the first statement in a query batch."),
    )
    .at_line(line)
}

pub fn unknown_function(name: &str, line: u32) -> SqlError {
    error(
        195,
        15,
        10,
        format!("'{name}' is not a recognized built-in function name."),
    )
    .at_line(line)
}

pub fn non_boolean(near: &str, line: u32) -> SqlError {
    let message = format!(
        "An expression of non-boolean type specified in a context where a condition is expected, \
         near '{near}'."
    );
    error(4145, 15, 1, message).at_line(line)
}

pub fn assignment_with_retrieval(line: u32) -> SqlError {
    let message = "A SELECT statement that assigns a value to a variable must not be combined \
                   with data-retrieval operations.";
    error(141, 15, 1, message.into()).at_line(line)
}

pub fn not_supported(what: &str) -> SqlError {
    let message = format!(
        "{what} is not supported by the wsdb TDS test server (a test double, not a database)."
    );
    error(NOT_SUPPORTED, 16, 1, message)
}

pub fn not_supported_at(what: &str, line: u32) -> SqlError {
    not_supported(what).at_line(line)
}

pub fn internal(detail: &str) -> SqlError {
    error(
        INTERNAL,
        16,
        1,
        format!("Internal error of the wsdb TDS test server: {detail}."),
    )
}

pub fn text_only_module(kind: &str, name: &str) -> SqlError {
    let message = format!(
        "The {kind} '{name}' exists but the wsdb TDS test server stores it as text only; it \
         cannot be used."
    );
    error(TEXT_ONLY_MODULE, 16, 1, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_keywords_like_sql_server() {
        let cases = [
            ("FROM", 156, "Incorrect syntax near the keyword 'from'."),
            ("x", 102, "Incorrect syntax near 'x'."),
        ];
        for (near, number, message) in cases {
            let err = syntax_near(near, 3);
            assert_eq!(
                (err.number, err.class, err.line, err.message.as_str()),
                (number, 15, 3, message)
            );
        }
    }

    #[test]
    fn at_line_keeps_a_known_line() {
        assert_eq!(invalid_object("t").at_line(4).at_line(9).line, 4);
    }

    #[test]
    fn value_count_errors_say_which_side_is_longer() {
        assert_eq!(insert_value_count(true).number, 110);
        assert!(
            insert_value_count(true)
                .message
                .starts_with("There are fewer columns")
        );
        assert_eq!(insert_value_count(false).number, 109);
    }
}
