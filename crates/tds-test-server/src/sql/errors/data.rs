//! Errors a statement raises while running: constraint violations, value
//! conversions, arithmetic, transactions, app locks, THROW and RAISERROR,
//! identity and INSERT shape.

use super::super::SqlError;
use super::error;

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

pub fn column_count_mismatch() -> SqlError {
    let message = "Column name or number of supplied values does not match table definition.";
    error(213, 16, 1, message.into())
}

pub fn column_repeated_in_set(name: &str) -> SqlError {
    let message = format!(
        "The column name '{name}' is specified more than once in the SET clause or column list of an INSERT. \
         A column cannot be assigned more than one value in the same clause. Modify the clause to make sure \
         that a column is updated only once. If this statement updates or inserts columns into a view, column \
         aliasing can conceal the duplication in your code."
    );
    error(264, 16, 1, message)
}

pub fn aggregate_misplaced() -> SqlError {
    let message = "An aggregate may not appear in the WHERE clause unless it is in a subquery contained in a \
                   HAVING clause or a select list, and the column being aggregated is an outer reference.";
    error(147, 15, 1, message.into())
}
