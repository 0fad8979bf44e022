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

use super::SqlError;

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

fn error(number: u32, class: u8, state: u8, message: String) -> SqlError {
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

pub fn invalid_object(name: &str) -> SqlError {
    error(208, 16, 1, format!("Invalid object name '{name}'."))
}

pub fn invalid_column(name: &str) -> SqlError {
    error(207, 16, 1, format!("Invalid column name '{name}'."))
}

pub fn ambiguous_column(name: &str) -> SqlError {
    error(209, 16, 1, format!("Ambiguous column name '{name}'."))
}

pub fn object_exists(name: &str) -> SqlError {
    error(
        2714,
        16,
        6,
        format!("There is already an object named '{name}' in the database."),
    )
}

pub fn duplicate_key(constraint_kind: &str, constraint: &str, object: &str) -> SqlError {
    let message = format!(
        "Violation of {constraint_kind} constraint '{constraint}'. Cannot insert duplicate key in \
         object '{object}'."
    );
    error(2627, 14, 1, message)
}

pub fn duplicate_key_row(object: &str, index: &str) -> SqlError {
    let message = format!(
        "Cannot insert duplicate key row in object '{object}' with unique index '{index}'."
    );
    error(2601, 14, 1, message)
}

pub fn duplicate_key_on_create(object: &str, index: &str) -> SqlError {
    let message = format!(
        "The CREATE UNIQUE INDEX statement terminated because a duplicate key was found for the \
         object name '{object}' and the index name '{index}'."
    );
    error(1505, 16, 1, message)
}

pub fn null_not_allowed(column: &str, table: &str, verb: &str) -> SqlError {
    let message = format!(
        "Cannot insert the value NULL into column '{column}', table '{table}'; column does not \
         allow nulls. {verb} fails."
    );
    error(515, 16, 2, message)
}

/// Error 547; `detail` is the "The conflict occurred ..." sentence, if known.
pub fn constraint_conflict(verb: &str, kind: &str, constraint: &str, detail: &str) -> SqlError {
    let mut message =
        format!("The {verb} statement conflicted with the {kind} constraint \"{constraint}\".");
    if !detail.is_empty() {
        message.push(' ');
        message.push_str(detail);
    }
    error(547, 16, 0, message)
}

pub fn truncation(table: &str, column: &str) -> SqlError {
    let message =
        format!("String or binary data would be truncated in table '{table}', column '{column}'.");
    error(2628, 16, 1, message)
}

pub fn conversion_failed(from_type: &str, value: &str, to_type: &str) -> SqlError {
    let message = format!(
        "Conversion failed when converting the {from_type} value '{value}' to data type {to_type}."
    );
    error(245, 16, 1, message)
}

pub fn conversion_date_failed() -> SqlError {
    let message = "Conversion failed when converting date and/or time from character string.";
    error(241, 16, 1, message.into())
}

pub fn arithmetic_overflow(to_type: &str) -> SqlError {
    let message =
        format!("Arithmetic overflow error converting expression to data type {to_type}.");
    error(8115, 16, 2, message)
}

pub fn divide_by_zero() -> SqlError {
    error(8134, 16, 1, "Divide by zero error encountered.".into())
}

pub fn commit_without_begin() -> SqlError {
    let message = "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.";
    error(3902, 16, 1, message.into())
}

pub fn rollback_without_begin() -> SqlError {
    let message = "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.";
    error(3903, 16, 1, message.into())
}

pub fn database_exists(name: &str) -> SqlError {
    let message = format!("Database '{name}' already exists. Choose a different database name.");
    error(1801, 16, 3, message)
}

pub fn cannot_open_database(name: &str) -> SqlError {
    let message =
        format!("Cannot open database \"{name}\" requested by the login. The login failed.");
    error(4060, 11, 1, message)
}

pub fn database_missing(name: &str) -> SqlError {
    let message =
        format!("Database '{name}' does not exist. Make sure that the name is entered correctly.");
    error(911, 16, 1, message)
}

pub fn not_in_transaction(statement: &str) -> SqlError {
    let message = format!("{statement} statement not allowed within multi-statement transaction.");
    error(226, 16, 6, message)
}

pub fn applock_not_held(principal: &str, resource: &str) -> SqlError {
    let message = format!(
        "Cannot release the application lock (Database Principal: '{principal}', Resource: \
         '{resource}') because it is not currently held."
    );
    error(1223, 16, 1, message)
}

pub fn lock_timeout() -> SqlError {
    error(
        1222,
        16,
        45,
        "Lock request time out period exceeded.".into(),
    )
}

pub fn procedure_not_found(name: &str) -> SqlError {
    error(
        2812,
        16,
        62,
        format!("Could not find stored procedure '{name}'."),
    )
}

pub fn raiserror(message: String, severity: u8, state: u8) -> SqlError {
    error(50000, severity, state, message)
}

pub fn thrown(number: u32, message: String, state: u8) -> SqlError {
    error(number, 16, state, message)
}

pub fn throw_number_out_of_range(number: i64) -> SqlError {
    let message = format!(
        "Error number {number} in the THROW statement is outside the valid range. Specify an \
         error number in the valid range of 50000 to 2147483647."
    );
    error(35100, 16, 10, message)
}

pub fn waitfor_syntax(text: &str) -> SqlError {
    error(
        148,
        15,
        1,
        format!("Incorrect time syntax in time string '{text}' used with WAITFOR."),
    )
}

pub fn identity_insert(table: &str) -> SqlError {
    let message = format!(
        "Cannot insert explicit value for identity column in table '{table}' when \
         IDENTITY_INSERT is set to OFF."
    );
    error(544, 16, 1, message)
}

pub fn update_identity(column: &str) -> SqlError {
    error(
        8102,
        16,
        1,
        format!("Cannot update identity column '{column}'."),
    )
}

pub fn insert_value_count(more_values: bool) -> SqlError {
    let (number, first) = if more_values {
        (110, "fewer")
    } else {
        (109, "more")
    };
    let message = format!(
        "There are {first} columns in the INSERT statement than values specified in the VALUES \
         clause. The number of values in the VALUES clause must match the number of columns \
         specified in the INSERT statement."
    );
    error(number, 15, 1, message)
}

pub fn cannot_drop(kind: &str, name: &str) -> SqlError {
    let message = format!(
        "Cannot drop the {kind} '{name}', because it does not exist or you do not have permission."
    );
    error(3701, 11, 5, message)
}

pub fn index_exists(index: &str, table: &str) -> SqlError {
    let message = format!(
        "The operation failed because an index or statistics with name '{index}' already exists \
         on table '{table}'."
    );
    error(1913, 16, 1, message)
}

pub fn referenced_by_foreign_key(object: &str) -> SqlError {
    let message = format!(
        "Could not drop object '{object}' because it is referenced by a FOREIGN KEY constraint."
    );
    error(3726, 16, 1, message)
}

pub fn column_dependency(object: &str, column: &str) -> SqlError {
    error(
        5074,
        16,
        1,
        format!("The object '{object}' is dependent on column '{column}'."),
    )
}

pub fn column_repeated(column: &str, table: &str) -> SqlError {
    let message = format!(
        "Column names in each table must be unique. Column name '{column}' in table '{table}' is \
         specified more than once."
    );
    error(2705, 16, 3, message)
}

pub fn multiple_primary_keys(table: &str) -> SqlError {
    error(
        8110,
        16,
        0,
        format!("Cannot add multiple PRIMARY KEY constraints to table '{table}'."),
    )
}

pub fn add_not_null_column(column: &str, table: &str) -> SqlError {
    let message = format!(
        "ALTER TABLE only allows columns to be added that can contain nulls, or have a DEFAULT \
         definition specified, or the column being added is an identity or timestamp column, or \
         alternatively if none of the previous conditions are satisfied the table must be empty \
         to allow addition of this column. Column '{column}' cannot be added to non-empty table \
         '{table}' because it does not satisfy these conditions."
    );
    error(4901, 16, 1, message)
}

pub fn schema_missing(name: &str) -> SqlError {
    let message = format!(
        "The specified schema name \"{name}\" either does not exist or you do not have permission \
         to use it."
    );
    error(2760, 16, 1, message)
}

pub fn constraint_missing(name: &str) -> SqlError {
    error(3728, 16, 1, format!("'{name}' is not a constraint."))
}

pub fn column_missing_in_alter(column: &str, table: &str) -> SqlError {
    let message = format!(
        "ALTER TABLE DROP COLUMN failed because column '{column}' does not exist in table '{table}'."
    );
    error(4924, 16, 1, message)
}

pub fn foreign_key_target_missing(table: &str, constraint: &str) -> SqlError {
    let message = format!("Foreign key '{constraint}' references invalid table '{table}'.");
    error(1767, 16, 0, message)
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
