//! `wsdb completions SHELL`, and the generators behind the checked-in
//! `completions/` and `docs/man/` files (a test regenerates and compares them).

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::exit::ExitCode;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wsdb completions bash > ~/.local/share/bash-completion/completions/wsdb
  wsdb completions zsh > ~/.zfunc/_wsdb
  wsdb completions fish > ~/.config/fish/completions/wsdb.fish")]
pub struct CompletionsArgs {
    /// The shell to generate completions for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    crate::report::write_stdout(&completion_script(args.shell));
    Ok(ExitCode::Success)
}

/// The shells whose scripts are checked in under `completions/`, with file names.
pub const CHECKED_IN: [(Shell, &str); 5] = [
    (Shell::Bash, "wsdb.bash"),
    (Shell::Zsh, "_wsdb"),
    (Shell::Fish, "wsdb.fish"),
    (Shell::PowerShell, "_wsdb.ps1"),
    (Shell::Elvish, "wsdb.elv"),
];

/// The completion script for one shell.
pub fn completion_script(shell: Shell) -> String {
    let mut command = super::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "wsdb", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Man pages: `wsdb.1` and one `wsdb-<command>.1` per visible command,
/// nested commands included (`wsdb-control-init.1`).
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut command = super::Cli::command()
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_subcommand(true);
    // Building propagates the global options and the version into every
    // command and names them `wsdb-<command>`; an unbuilt command's page
    // listed only `--help`.
    command.build();
    let mut pages = Vec::new();
    render_man_pages(&command, &mut pages)?;
    Ok(pages)
}

fn render_man_pages(
    command: &clap::Command,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render(&mut page)?;
    pages.push((man.get_filename(), page));
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        render_man_pages(sub, pages)?;
    }
    Ok(())
}
