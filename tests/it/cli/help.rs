//! `--help` of wsdb and of every command, one reviewed snapshot each
//! (`snapshots/*help__wsdb-<command>.snap`).
//!
//! The commands are found by walking the clap definition, so a new command
//! (nested ones such as `control init` included) gets its snapshot the first
//! time the tests run: review it with `cargo insta review`. The help is
//! printed by the real binary, as users see it, and the snapshots keep the
//! documented defaults (durations included) unredacted.

use clap::CommandFactory;
use wsdb::cli::Cli;
use wsdb::exit::ExitCode;

use super::project::{self, Project};

/// The argument path of every visible command below `command`, parents
/// before their children: `[["init"], ..., ["control"], ["control", "init"]]`.
fn command_paths(command: &clap::Command) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = sub.get_name().to_owned();
        paths.push(vec![name.clone()]);
        for mut below in command_paths(sub) {
            below.insert(0, name.clone());
            paths.push(below);
        }
    }
    paths
}

#[test]
fn every_command_has_a_reviewed_help_snapshot() {
    let project = Project::empty();
    let paths = command_paths(&Cli::command());
    assert!(
        paths.iter().any(|path| path == &["lint"]),
        "the walk finds the commands: {paths:?}"
    );
    for path in std::iter::once(Vec::new()).chain(paths) {
        let mut args = path.clone();
        args.push("--help".to_owned());
        let run = project.wsdb(&args).run().expect(ExitCode::Success);
        assert_eq!(run.stderr, "", "{}", run.transcript());
        let name = std::iter::once("wsdb".to_owned())
            .chain(path)
            .collect::<Vec<_>>()
            .join("-");
        project::settings().bind(|| insta::assert_snapshot!(name, run.stdout));
    }
}

#[test]
fn short_help_is_a_summary_of_the_long_one() {
    let project = Project::empty();
    let short = project.wsdb(&["-h"]).run().expect(ExitCode::Success);
    let long = project.wsdb(&["--help"]).run().expect(ExitCode::Success);
    assert!(short.stdout.len() < long.stdout.len());
    for command in command_paths(&Cli::command())
        .iter()
        .filter(|p| p.len() == 1)
    {
        assert!(
            short.stdout.contains(&format!("  {} ", command[0])),
            "`wsdb -h` lists `{}`:\n{}",
            command[0],
            short.stdout
        );
    }
}

#[test]
fn version_names_the_package_version() {
    let run = Project::empty()
        .wsdb(&["--version"])
        .run()
        .expect(ExitCode::Success);
    assert_eq!(run.stdout, format!("wsdb {}\n", env!("CARGO_PKG_VERSION")));
}

/// docs/cli.md names every command and every global option.
#[test]
fn the_cli_page_names_every_command_and_global_option() {
    let page = include_str!("../../../docs/cli.md");
    let command = Cli::command();
    for path in command_paths(&command) {
        let name = format!("`{}", path.join(" "));
        assert!(page.contains(&name), "docs/cli.md does not name {name}`");
    }
    let globals = command
        .get_arguments()
        .filter(|arg| arg.is_global_set())
        .filter_map(|arg| arg.get_long());
    for long in globals {
        let flag = format!("`--{long}");
        assert!(page.contains(&flag), "docs/cli.md does not name {flag}`");
    }
}
