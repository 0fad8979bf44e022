//! Integration tests: one binary.

mod cli;
mod control;
mod generated;
mod support;
