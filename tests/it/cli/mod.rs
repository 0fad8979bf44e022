//! The `wsdb` binary's offline commands, run as users run them: the
//! developer workflow as a transcript snapshot, every command's `--help`,
//! the exit-code mapping, the trycmd cases of `tests/cmd/`, and the canary
//! test that no password reaches any output.
//!
//! Online commands (those that connect) are tested with their databases
//! elsewhere; their `--help` and canary runs join these tests.

mod canary;
mod exit_codes;
mod help;
mod project;
mod trycmd;
mod workflow;
