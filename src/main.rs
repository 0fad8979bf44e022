//! The `wsdb` binary: parse the command line, run it, exit with the code the
//! outcome maps to (see `src/exit.rs`). Everything else lives in the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = wsdb::cli::Cli::parse();
    wsdb::cli::main(cli).into()
}
