//! `wsdb new NAME`: creates the next migration pair and records it in
//! `wsdb.sum` (refusing if an existing migration was edited).

use clap::Args;

use super::GlobalArgs;
use super::context::Project;
use crate::exit::ExitCode;
use crate::migrate::scaffold::{self, VersionStyle};
use crate::migrate::sum;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb new add_invoices                 0005_add_invoices.up.sql + .down.sql
  wsdb new --timestamp add_invoices     20261129120000_add_invoices.up.sql + .down.sql")]
pub struct NewArgs {
    /// Name of the migration: letters, digits and underscores
    pub name: String,

    /// Number the migration with the current UTC time instead of the next integer
    #[arg(long)]
    pub timestamp: bool,
}

pub fn run(global: &GlobalArgs, args: NewArgs) -> anyhow::Result<ExitCode> {
    let project = Project::open(global)?;
    let style = if args.timestamp {
        VersionStyle::Timestamp
    } else {
        VersionStyle::Sequential
    };
    let (up, down) = scaffold::new_migration(&project.migrations_dir, &args.name, style)?;
    if let Err(error) = sum::record_new(&project.migrations_dir) {
        // Refused (an existing migration was edited): exit code 2 means
        // nothing was done, so take the new pair back. Left behind, it would
        // make the retry after `wsdb hash` create the next version as well.
        let _ = std::fs::remove_file(&up);
        let _ = std::fs::remove_file(&down);
        return Err(error.into());
    }
    if !global.quiet {
        crate::report::write_stdout(&format!(
            "created {}\ncreated {}\nupdated {}\n",
            up.display(),
            down.display(),
            project.migrations_dir.join(sum::SUM_FILE_NAME).display()
        ));
    }
    Ok(ExitCode::Success)
}
