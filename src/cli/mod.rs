//! The command line: clap definitions (one file per command) and the ONE
//! match over commands in [`dispatch`]. Handlers are orchestration only: they
//! resolve a [`context::RunContext`], call the library, and hand results to
//! `report`. No SQL and no formatting here.

mod args;
mod baseline;
mod check;
pub mod completions;
mod confirm;
mod context;
mod control;
mod dry_run;
mod fleet_args;
mod fleet_run;
mod hash;
mod history;
mod init;
mod job;
mod lines;
mod lint;
mod migrate;
mod new;
mod online;
mod output;
mod preflight;
mod prepare;
mod provision;
mod queue;
mod repair;
mod rollback;
mod runs;
mod select;
mod status;
mod status_cached;
mod verify;
mod version_cache;
mod workspaces;

pub use args::{Cli, Command, Format, GlobalArgs};

use crate::exit::ExitCode;

/// Runs a parsed command line and returns the process exit code.
pub fn main(cli: Cli) -> ExitCode {
    crate::report::logging::init(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            crate::report::print_error(
                &anyhow::Error::new(err).context("cannot start the async runtime"),
            );
            return ExitCode::Failure;
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(code) => code,
        Err(err) => {
            crate::report::print_error(&err);
            error_exit_code(&err)
        }
    }
}

async fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let global = &cli.global;
    match cli.command {
        Command::Init(args) => init::run(global, args),
        Command::New(args) => new::run(global, args),
        Command::Hash(args) => hash::run(global, args),
        Command::Lint(args) => lint::run(global, args),
        Command::Check(args) => check::run(global, args).await,
        Command::Workspaces(args) => workspaces::run(global, args).await,
        Command::Status(args) => status::run(global, args).await,
        Command::Migrate(args) => migrate::run(global, args).await,
        Command::Verify(args) => verify::run(global, args).await,
        Command::Rollback(args) => rollback::run(global, args).await,
        Command::Baseline(args) => baseline::run(global, args).await,
        Command::Repair(args) => repair::run(global, args).await,
        Command::Provision(args) => provision::run(global, args).await,
        Command::History(args) => history::run(global, args).await,
        Command::Control(args) => control::run(global, args).await,
        Command::Runs(args) => runs::run(global, args).await,
        Command::Completions(args) => completions::run(args),
    }
}

/// A usage/configuration error (arguments, wsdb.toml, an invalid migration
/// set) exits 2; everything else that ends a command early is a runtime
/// failure (1).
fn error_exit_code(err: &anyhow::Error) -> ExitCode {
    let is_usage = |cause: &(dyn std::error::Error + 'static)| {
        cause.is::<UsageError>()
            || cause.is::<crate::config::ConfigError>()
            || cause.is::<crate::migrate::SourceError>()
            || cause.is::<crate::migrate::SumError>()
    };
    if err.chain().any(is_usage) {
        ExitCode::Usage
    } else {
        ExitCode::Failure
    }
}

/// An error in what the user gave us (arguments, files): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
