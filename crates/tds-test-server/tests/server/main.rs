//! The test server driven by tiberius, the client wsdb uses, against the
//! real SQL engine: the acceptance tests of issue #3.

// A test fails by panicking; helpers outside `#[test]` functions too.
#![allow(clippy::unwrap_used)]

mod applock;
mod attention;
mod binary;
mod faults;
mod login;
mod queries;
mod scale;
mod support;
mod tls;
mod transactions;
