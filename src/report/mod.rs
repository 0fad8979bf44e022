//! Output: events in, bytes out. One reporter owns the terminal: progress
//! bars on stderr (only on a terminal, not in CI, not with `--quiet` or a JSON
//! format), a table or JSON on stdout. Workers never print.
//!
//! This module knows events and outcomes, never databases.

pub mod event;
pub mod json;
pub mod logging;
pub mod mode;
pub mod printable;
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
    let _ = writeln!(stderr, "error: {}", error_text(err));
}

/// The error and its causes joined with `: `, like anyhow's `{:#}`, except
/// that a cause whose text is already shown is skipped: some library errors
/// both print their source and expose it (`SourceError::Split` embeds the
/// `SplitError` message), and `{:#}` printed those twice, hint included.
fn error_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain().map(ToString::to_string) {
        if text.contains(&cause) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&cause);
    }
    text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("`0001_a.up.sql` {source}")]
    struct Embeds {
        source: Inner,
    }

    #[derive(Debug, thiserror::Error)]
    #[error("line 2: bad separator\nhint: fix it")]
    struct Inner;

    #[test]
    fn error_text_shows_each_cause_once() {
        let embedded = anyhow::Error::new(Embeds { source: Inner });
        assert_eq!(
            error_text(&embedded),
            "`0001_a.up.sql` line 2: bad separator\nhint: fix it"
        );
        let wrapped = anyhow::Error::new(Inner).context("cannot lint");
        assert_eq!(
            error_text(&wrapped),
            "cannot lint: line 2: bad separator\nhint: fix it"
        );
    }
}
