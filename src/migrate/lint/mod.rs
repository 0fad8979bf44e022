//! `wsdb lint`: what makes a tenant migration unsafe, found offline, with
//! the file and line of each finding.
//!
//! Errors (exit code 3): `USE`, names that reach another database,
//! CREATE PROCEDURE/VIEW/FUNCTION/TRIGGER not first in its batch, statements
//! SQL Server refuses inside a transaction in a file without
//! `-- wsdb:no-transaction`, and a `wsdb.sum` that does not match. Warnings
//! (exit code 0, printed): version gaps, missing down files, and
//! `BEGIN TRAN`/`COMMIT`/`ROLLBACK` in a transactional file. Up and down
//! files are both checked.
//!
//! A set that does not even load (bad names, duplicates, unterminated
//! strings...) is a [`SourceError`], not a finding: nothing can be linted.
//! The rules that read SQL live in [`sql`]; this module owns the findings,
//! the set-level rules and the exit code.

mod sql;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::lexer::Lexer;
use super::naming::ScriptKind;
use super::source::{SourceError, file_name_of};
use super::sum::{self, SUM_FILE_NAME};
use super::{Migration, MigrationSet, Script};
use crate::exit::ExitCode;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A lint rule. Its [`Rule::code`] is a stable public name (JSON output,
/// documentation, scripts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    UseStatement,
    CrossDatabaseName,
    CreateNotAlone,
    NeedsNoTransaction,
    TransactionStatement,
    VersionGap,
    MissingDown,
    SumMismatch,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::UseStatement,
        Rule::CrossDatabaseName,
        Rule::CreateNotAlone,
        Rule::NeedsNoTransaction,
        Rule::TransactionStatement,
        Rule::VersionGap,
        Rule::MissingDown,
        Rule::SumMismatch,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rule::UseStatement => "use-statement",
            Rule::CrossDatabaseName => "cross-database-name",
            Rule::CreateNotAlone => "create-not-alone",
            Rule::NeedsNoTransaction => "needs-no-transaction",
            Rule::TransactionStatement => "transaction-statement",
            Rule::VersionGap => "version-gap",
            Rule::MissingDown => "missing-down",
            Rule::SumMismatch => "sum-mismatch",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Rule::VersionGap | Rule::MissingDown | Rule::TransactionStatement => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One problem, at a line of a file. File-level findings (a gap, a missing
/// down file) point at line 1 of the up file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub path: PathBuf,
    pub line: usize,
    pub rule: Rule,
    pub message: String,
    /// What to do about it, when there is something to say.
    pub hint: Option<String>,
}

impl Finding {
    fn new(rule: Rule, path: &Path, line: usize, message: String, hint: Option<String>) -> Finding {
        Finding {
            severity: rule.severity(),
            path: path.to_path_buf(),
            line,
            rule,
            message,
            hint,
        }
    }
}

/// `path:line: severity[rule]: message`, then `  hint: ...` on a second
/// line when there is a hint.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}[{}]: {}",
            self.path.display(),
            self.line,
            self.severity,
            self.rule,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every finding of a loaded set, in set order (version, up then down),
/// each file's findings by line.
pub fn lint(set: &MigrationSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut previous = None;
    for migration in &set.migrations {
        if let Some(finding) = previous.and_then(|prev| version_gap(prev, migration, set)) {
            findings.push(finding);
        }
        previous = Some(migration);
        findings.extend(lint_script(&migration.up));
        match &migration.down {
            Some(down) => findings.extend(lint_script(down)),
            None => findings.push(missing_down(migration)),
        }
    }
    findings
}

/// Loads `dir`, lints it and checks its `wsdb.sum` (a mismatch is an error
/// finding at the line of `wsdb.sum`).
pub fn lint_dir(dir: &Path) -> Result<Vec<Finding>, SourceError> {
    let set = MigrationSet::load(dir)?;
    let mut findings = lint(&set);
    if let Err(error) = sum::verify(&set, dir) {
        let text = error.to_string();
        let (message, hint) = match text.split_once("\nhint: ") {
            Some((message, hint)) => (message.to_owned(), Some(hint.to_owned())),
            None => (text, None),
        };
        let path = dir.join(SUM_FILE_NAME);
        findings.push(Finding::new(
            Rule::SumMismatch,
            &path,
            error.line().unwrap_or(1),
            message,
            hint,
        ));
    }
    Ok(findings)
}

/// 3 ([`ExitCode::CheckFailed`]) when any finding is an error, else 0.
pub fn exit_code(findings: &[Finding]) -> ExitCode {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        ExitCode::CheckFailed
    } else {
        ExitCode::Success
    }
}

fn lint_script(script: &Script) -> Vec<Finding> {
    let mut hits = Vec::new();
    for batch in &script.batches {
        // The batch was cut from a file the splitter accepted, so it lexes
        // cleanly; should it not, the tokens before the problem are linted.
        let tokens: Vec<_> = Lexer::starting_at_line(&batch.sql, batch.start_line)
            .map_while(Result::ok)
            .filter(|t| !t.kind.is_trivia())
            .collect();
        hits.extend(sql::check_batch(&tokens, script.directives.no_transaction));
    }
    hits.sort_by_key(|hit| hit.line);
    hits.into_iter()
        .map(|hit| {
            Finding::new(
                hit.rule,
                &script.path,
                hit.line,
                hit.message,
                Some(hit.hint.to_owned()),
            )
        })
        .collect()
}

/// Versions at or above this are dates or timestamps (`20261129120000`),
/// where gaps are the norm, so the gap rule only applies below it.
const SEQUENTIAL_LIMIT: u64 = 10_000_000;

fn version_gap(previous: &Migration, migration: &Migration, set: &MigrationSet) -> Option<Finding> {
    let (prev, next) = (previous.version.get(), migration.version.get());
    let sequential = set.latest().is_some_and(|v| v.get() < SEQUENTIAL_LIMIT);
    if !sequential || next <= prev + 1 {
        return None;
    }
    let missing = if next == prev + 2 {
        format!("version {} is missing", prev + 1)
    } else {
        format!("versions {} to {} are missing", prev + 1, next - 1)
    };
    Some(Finding::new(
        Rule::VersionGap,
        &migration.up.path,
        1,
        format!("version {next} follows {prev}: {missing}"),
        Some(
            "ignore this if the gap is intended (a migration removed before it was ever applied)"
                .to_owned(),
        ),
    ))
}

fn missing_down(migration: &Migration) -> Finding {
    let up_name = file_name_of(&migration.up.path);
    let expected = up_name.strip_suffix(ScriptKind::Up.suffix()).map_or_else(
        || up_name.clone(),
        |stem| format!("{stem}{}", ScriptKind::Down.suffix()),
    );
    Finding::new(
        Rule::MissingDown,
        &migration.up.path,
        1,
        format!(
            "version {} has no down file `{expected}`: `wsdb rollback` cannot undo it",
            migration.version
        ),
        Some("write the down file, unless the migration cannot be undone".to_owned()),
    )
}

#[cfg(test)]
mod tests;
