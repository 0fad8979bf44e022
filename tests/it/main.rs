//! Integration tests: one binary.

mod cli;
mod cli_online;
mod control;
mod engine;
mod generated;
mod pool;
mod support;
