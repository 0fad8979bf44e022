//! Integration tests: one binary.

mod cli;
mod control;
mod engine;
mod generated;
mod fleet;
mod pool;
mod runners;
mod support;
mod workspace;
