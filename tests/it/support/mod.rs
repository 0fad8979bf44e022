//! Shared test support for the integration-test binary. Each piece lives in
//! its own module; nothing here asserts anything by itself.

pub mod postgres;
pub mod workspace_server;
