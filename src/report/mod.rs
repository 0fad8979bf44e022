//! Output: events in, bytes out. One reporter owns the terminal: progress
//! bars on stderr (only on a terminal, not in CI, not with `--quiet` or a JSON
//! format), a table or JSON on stdout. Workers never print.
//!
//! This module knows events and outcomes, never databases.

pub mod event;
pub mod json;
pub mod logging;
pub mod mode;
pub mod reporter;
pub mod summary;
pub mod table;

pub use event::{Event, Status, StepLine, WorkspaceLine};
pub use reporter::{Reporter, ReporterTask};
pub use summary::{RejectedLine, RunReport, Totals};

use std::io::{self, Write};

/// Prints an error that ended a command: `error: ...` on stderr, with the
/// causes joined on one line (a `hint:` line, when the error carries one,
/// stays last).
pub fn print_error(err: &anyhow::Error) {
    let mut stderr = io::stderr().lock();
    // Nothing useful can be done when stderr itself is gone.
    let _ = writeln!(stderr, "error: {err:#}");
}

/// Writes to stdout; a closed pipe (`wsdb status --all | head`) ends the
/// process quietly instead of panicking.
pub fn write_stdout(text: &str) {
    let mut stdout = io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if written.is_err_and(|err| err.kind() == io::ErrorKind::BrokenPipe) {
        std::process::exit(0);
    }
}
