//! Integration tests: one binary.

mod control;
mod support;
