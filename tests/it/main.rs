//! Integration tests: one binary.

mod cli_online;
mod control;
mod engine;
mod pool;
mod runners;
mod support;
