//! The control database against a real PostgreSQL, each test in its own
//! database: the workspaces query, wsdb's schema, the ledger and the queue.

mod connect;
mod ledger;
mod queue;
mod schema;
mod workspaces;
