//! End-to-end tests of the SQL side through `Session::execute`, grouped by
//! topic. They need no network: the protocol layer is not involved.

mod applocks;
mod basics;
mod control;
mod ddl;
mod errors;
mod migrations;
mod scale;
mod sysviews;
mod transactions;
mod wsdb;
