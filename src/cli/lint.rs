//! `wsdb lint`: checks the migration set offline and prints every finding
//! as `file:line: severity[rule]: message`. Exit 3 on errors, 0 with only
//! warnings.

use clap::Args;
use serde::Serialize;

use super::context::Project;
use super::{Format, GlobalArgs};
use crate::exit::ExitCode;
use crate::migrate::lint::{self, Finding, Severity};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb lint                         check ./migrations (or wsdb.toml's folder)
  wsdb lint --format json           findings as JSON for CI annotations

Rules: use-statement, cross-database-name, create-not-alone, needs-no-transaction,
sum-mismatch (errors); transaction-statement, version-gap, missing-down (warnings).
See docs/migrations.md.")]
pub struct LintArgs {}

#[derive(Serialize)]
struct LintDocument<'a> {
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

pub fn run(global: &GlobalArgs, _args: LintArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(global)?;
    let findings = lint::lint_dir(&project.migrations_dir)?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    match global.format {
        Format::Json | Format::Ndjson => {
            let document = LintDocument {
                errors,
                warnings,
                findings: &findings,
            };
            let value = crate::report::json::with_schema_version(&document);
            crate::report::write_stdout(&format!("{value:#}\n"));
        }
        Format::Table => {
            let mut out = String::new();
            for finding in &findings {
                out.push_str(&format!("{finding}\n"));
            }
            if !global.quiet || errors > 0 {
                out.push_str(&format!(
                    "{}: {errors} error(s), {warnings} warning(s)\n",
                    project.migrations_dir.display()
                ));
            }
            crate::report::write_stdout(&out);
        }
    }
    Ok(lint::exit_code(&findings))
}
