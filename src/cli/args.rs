//! The clap definition of the whole command line: global options and the
//! command enum. Per-command arguments live beside their handlers.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::{
    baseline, check, completions, control, hash, history, init, lint, migrate, new, provision,
    repair, rollback, runs, status, verify, workspaces,
};

const AFTER_HELP: &str = "\
Examples:
  wsdb init                              write wsdb.toml and migrations/
  wsdb new add_invoices                  create the next migration pair
  wsdb lint                              check the migration set offline
  wsdb migrate --workspace acme          bring one workspace up to date
  wsdb status --all                      the whole fleet, one table
  wsdb migrate --all --canary 3 --max-failures 2 --concurrency 32

Exit codes: 0 success, 1 a workspace failed or runtime failure, 2 usage or
configuration error (nothing done), 3 a check found problems.
Docs: docs/ in the repository (configuration, migrations, commands, exit codes).";

/// Migrate and administer a fleet of per-workspace SQL Server databases.
#[derive(Debug, Parser)]
#[command(name = "wsdb", version, about, long_about = None, after_help = AFTER_HELP)]
#[command(propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Configuration file [default: ./wsdb.toml]
    #[arg(long, global = true, env = "WSDB_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Environment of wsdb.toml to use [default: `default_env`]
    #[arg(long = "env", global = true, env = "WSDB_ENV", value_name = "NAME")]
    pub env_name: Option<String>,

    /// Migrations folder [default: `migrations` of wsdb.toml, else ./migrations]
    #[arg(long, global = true, env = "WSDB_MIGRATIONS", value_name = "DIR")]
    pub migrations: Option<PathBuf>,

    /// Output format: a table for people, JSON for machines
    #[arg(long, global = true, value_enum, default_value_t = Format::Table, env = "WSDB_FORMAT")]
    pub format: Format,

    /// Print only errors and the final result
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// More detail on stderr (-v: info, -vv: debug, -vvv: trace); RUST_LOG overrides
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Progress bars on a terminal, then a summary table
    Table,
    /// One JSON document on stdout (see docs/json-output.md)
    Json,
    /// One JSON event per line on stdout
    Ndjson,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a commented wsdb.toml and an empty migrations/ folder
    Init(init::InitArgs),
    /// Create the next .up.sql/.down.sql pair and record it in wsdb.sum
    New(new::NewArgs),
    /// Rewrite wsdb.sum from the migration files
    Hash(hash::HashArgs),
    /// Check the migration set offline: names, gaps, directives, sum, unsafe SQL
    Lint(lint::LintArgs),
    /// Validate the configuration and migrations, then reach the databases
    Check(check::CheckArgs),
    /// List the workspaces the control database's query returns
    Workspaces(workspaces::WorkspacesArgs),
    /// Applied, latest, pending, drift and lock holder, per workspace
    Status(status::StatusArgs),
    /// Apply pending migrations
    Migrate(migrate::MigrateArgs),
    /// Compare applied migrations with the files; exit 3 on drift or unknown versions
    Verify(verify::VerifyArgs),
    /// Run down migrations to a version, by steps, or to undo one run
    Rollback(rollback::RollbackArgs),
    /// Mark databases wsdb never migrated as being at a version
    Baseline(baseline::BaselineArgs),
    /// Clear failed history rows and realign drifted checksums, after a human decision
    Repair(repair::RepairArgs),
    /// Create missing workspace databases, then migrate them
    Provision(provision::ProvisionArgs),
    /// The applied migrations of one workspace
    History(history::HistoryArgs),
    /// wsdb's own schema in the control database
    Control(control::ControlArgs),
    /// Past runs from the ledger, and one run across all its runners
    Runs(runs::RunsArgs),
    /// Print shell completions
    Completions(completions::CompletionsArgs),
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Command};

    /// clap checks a command's definition only when it is built, so a
    /// clash in one subcommand (such as `baseline --version` against the
    /// propagated version flag) panicked only when that subcommand ran.
    #[test]
    fn every_command_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn baseline_takes_its_own_version_argument() {
        let cli = Cli::try_parse_from(["wsdb", "baseline", "--all", "--version", "12", "--yes"])
            .expect("parse");
        let Command::Baseline(args) = cli.command else {
            panic!("expected baseline, got {:?}", cli.command);
        };
        assert_eq!(args.version.get(), 12);
    }
}
