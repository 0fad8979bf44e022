//! End-to-end tests of the SQL side through `Session::execute`, grouped by
//! topic. They need no network: the protocol layer is not involved.

mod applocks;
mod basics;
mod errors;
mod transactions;
mod wsdb;
