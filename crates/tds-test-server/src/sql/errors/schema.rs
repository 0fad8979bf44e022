//! Errors about objects and names: missing or duplicate tables, columns,
//! constraints, indexes, schemas, databases and procedures, and the DDL
//! rules SQL Server enforces on them.

use super::super::SqlError;
use super::error;

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

pub fn procedure_not_found(name: &str) -> SqlError {
    error(
        2812,
        16,
        62,
        format!("Could not find stored procedure '{name}'."),
    )
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

pub fn type_missing(name: &str) -> SqlError {
    let message = format!("Column, parameter, or variable #1: Cannot find data type {name}.");
    error(2715, 16, 6, message)
}

pub fn column_not_in_table(name: &str) -> SqlError {
    error(
        1911,
        16,
        1,
        format!("Column name '{name}' does not exist in the target table or view."),
    )
}
