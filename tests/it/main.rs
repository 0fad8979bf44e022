//! Integration tests: one binary.

mod cli_online;
mod control;
mod engine;
mod fleet;
mod pool;
mod support;
