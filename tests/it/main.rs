//! Integration tests: one binary.

mod control;
mod engine;
mod pool;
mod support;
mod workspace;
