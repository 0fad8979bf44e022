//! `wsdb hash`: rewrites `wsdb.sum` from the migration files. Run it after
//! an intended edit of a migration that no workspace has applied yet.

use clap::Args;

use super::GlobalArgs;
use super::context::Project;
use crate::exit::ExitCode;
use crate::migrate::{MigrationSet, sum};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb hash                         rewrite migrations/wsdb.sum
  wsdb hash --migrations db/ws      another folder

Never rehash to silence drift of a migration that workspaces already applied:
fix the file instead, or use `wsdb repair` after deciding what the database holds.")]
pub struct HashArgs {}

pub fn run(global: &GlobalArgs, _args: HashArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(global)?;
    let set = MigrationSet::load(&project.migrations_dir)?;
    sum::write(&set, &project.migrations_dir)?;
    if !global.quiet {
        crate::report::write_stdout(&format!(
            "wrote {} ({} migrations)\n",
            project.migrations_dir.join(sum::SUM_FILE_NAME).display(),
            set.migrations.len()
        ));
    }
    Ok(ExitCode::Success)
}
