//! Shared test support for the integration-test binary. Each piece lives in
//! its own module; nothing here asserts anything by itself.

#[allow(dead_code)]
pub mod applock;
pub mod json_schema;
pub mod ledger_canary;
pub mod postgres;
pub mod workspace_server;
// Shared by many test modules; a helper unused by today's tests is not dead.
#[allow(dead_code)]
pub mod project;

/// The password every test login uses on the TDS test server, and a value no
/// output, log line or ledger row may ever contain (issue: secrets never
/// reach output). Distinctive so that a leak cannot be a coincidence.
pub const CANARY_PASSWORD: &str = "Canary-7f3a9c-Pw!d";
