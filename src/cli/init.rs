//! `wsdb init`: writes the commented reference `wsdb.toml`, an empty
//! `migrations/` folder and its `wsdb.sum`.

use std::fs;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;

use super::{GlobalArgs, UsageError};
use crate::config::REFERENCE_TOML;
use crate::exit::ExitCode;
use crate::migrate::{MigrationSet, sum};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb init                 wsdb.toml and migrations/ in this folder
  wsdb init --dir db        the same under db/
  wsdb init --force         overwrite an existing wsdb.toml")]
pub struct InitArgs {
    /// Folder to initialise
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// Overwrite an existing wsdb.toml
    #[arg(long)]
    pub force: bool,
}

pub fn run(global: &GlobalArgs, args: InitArgs) -> anyhow::Result<ExitCode> {
    let config_path = args.dir.join(super::context::DEFAULT_CONFIG);
    if config_path.exists() && !args.force {
        return Err(UsageError(format!(
            "`{}` already exists\nhint: pass `--force` to overwrite it",
            config_path.display()
        ))
        .into());
    }
    fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create `{}`", args.dir.display()))?;
    fs::write(&config_path, REFERENCE_TOML)
        .with_context(|| format!("cannot write `{}`", config_path.display()))?;

    let migrations = args.dir.join("migrations");
    fs::create_dir_all(&migrations)
        .with_context(|| format!("cannot create `{}`", migrations.display()))?;
    // An empty set's sum, so that `wsdb new` and `wsdb lint` start from a
    // consistent folder. An existing set keeps its sum.
    if sum::read(&migrations)?.is_none() {
        sum::write(&MigrationSet::default(), &migrations)?;
    }
    if !global.quiet {
        crate::report::write_stdout(&format!(
            "created {}\ncreated {}/ (with wsdb.sum)\nnext: edit the [env.dev] section, then `wsdb new <name>`\n",
            config_path.display(),
            migrations.display()
        ));
    }
    Ok(ExitCode::Success)
}
