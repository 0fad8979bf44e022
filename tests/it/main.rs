//! Integration tests: one binary.

mod cli;
mod control;
mod engine;
mod fleet;
mod generated;
mod pool;
mod reliability;
mod runners;
mod support;
mod workspace;
