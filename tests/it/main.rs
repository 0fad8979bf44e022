//! Integration tests: one binary.

mod cli;
mod control;
mod engine;
mod generated;
mod pool;
mod support;
mod workspace;
