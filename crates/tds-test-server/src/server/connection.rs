//! One client connection from accept to close: refused-connection faults,
//! the handshake and login, then the request loop (SQL batches,
//! `sp_executesql`, transaction-manager requests, ATTENTION) until the client
//! leaves, a fault cuts it, or the server stops.
//!
//! Dropping the task's state is the cleanup: the session rolls back and
//! releases its locks, the counters' guards uncount the connection.

use std::sync::Arc;

use tokio::net::TcpStream;
use tokio::sync::watch;

use super::backend::{Backend, BackendSession};
use super::login::{self, LoggedIn};
use super::respond::{self, Encoder, Mode, Transactions};
use super::transport::{Message, Transport};
use super::{ConnectionError, Shared, handshake};
use crate::sql::{Param, SqlError};
use crate::wire::packet::PacketType;
use crate::wire::request::{self, Rpc, TransactionRequest};

/// Serves one accepted connection until it ends or `shutdown` turns true.
pub(crate) async fn serve<B: Backend>(
    tcp: TcpStream,
    shared: Arc<Shared<B>>,
    mut shutdown: watch::Receiver<bool>,
) {
    let _counted = shared.counters.connection_opened();
    if shared.faults.take_connection_refusal() {
        tracing::debug!("connection refused (injected fault)");
        return;
    }
    let Some(spid) = shared.spids.acquire() else {
        tracing::warn!("no free spid; closing the connection");
        return;
    };
    tokio::select! {
        result = run(tcp, &shared, spid.get()) => {
            if let Err(err) = result {
                tracing::debug!(spid = spid.get(), %err, "connection ended");
            }
        }
        () = super::stopped(&mut shutdown) => {}
    }
}

async fn run<B: Backend>(
    tcp: TcpStream,
    shared: &Shared<B>,
    spid: u16,
) -> Result<(), ConnectionError> {
    let acceptor = shared.tls.as_ref().map(|tls| &tls.acceptor);
    let Some((mut transport, login7)) =
        handshake::handshake(tcp, shared.tls_mode, acceptor).await?
    else {
        return Ok(());
    };
    transport.set_spid(spid);
    let Some(logged_in) = login::login(&mut transport, &login7, shared, spid).await? else {
        transport.shutdown().await;
        return Ok(());
    };
    let mut connection = Connection {
        transport,
        logged_in,
        transactions: Transactions::default(),
        shared,
    };
    connection.requests().await
}

struct Connection<'a, B: Backend> {
    transport: Transport,
    logged_in: LoggedIn<B::Session>,
    transactions: Transactions,
    shared: &'a Shared<B>,
}

/// Whether the connection goes on after a request.
enum Flow {
    Continue,
    Close,
}

/// How a running request ended.
enum Outcome {
    Finished(Vec<crate::sql::Reply>),
    Interrupted(std::io::Result<Option<Message>>),
}

impl<B: Backend> Connection<'_, B> {
    async fn requests(&mut self) -> Result<(), ConnectionError> {
        loop {
            let Some(message) = self.transport.read_message().await? else {
                return Ok(());
            };
            if let Flow::Close = self.dispatch(message).await? {
                self.transport.shutdown().await;
                return Ok(());
            }
        }
    }

    async fn dispatch(&mut self, message: Message) -> Result<Flow, ConnectionError> {
        match message.ty {
            PacketType::SqlBatch => match request::parse_batch(&message.payload) {
                Ok(sql) => self.run(&sql, &[], Mode::Batch).await,
                Err(e) => self.reject(4002, &e.to_string(), Mode::Batch).await,
            },
            PacketType::Rpc => match request::parse_rpc(&message.payload) {
                Ok(Rpc::ExecuteSql { sql, params }) => self.run(&sql, &params, Mode::Rpc).await,
                Ok(Rpc::Other { procedure }) => self.unknown_procedure(&procedure).await,
                Err(e) => self.reject(8009, &e.to_string(), Mode::Rpc).await,
            },
            PacketType::TransactionManager => match request::parse_transaction(&message.payload) {
                Ok(tm) => match transaction_statement(&tm) {
                    Some(sql) => self.run(&sql, &[], Mode::Batch).await,
                    None => {
                        let detail = format!("transaction manager request {tm:?} is not supported");
                        self.reject(4002, &detail, Mode::Batch).await
                    }
                },
                Err(e) => self.reject(4002, &e.to_string(), Mode::Batch).await,
            },
            // An ATTENTION that arrives after its request finished still
            // gets its acknowledgement (MS-TDS 2.2.1.7).
            PacketType::Attention => {
                let ack = self.encoder().attention_ack(&[]);
                self.transport.send(&ack, true).await?;
                Ok(Flow::Continue)
            }
            other => Err(ConnectionError::Protocol(format!(
                "unexpected packet type {} after login",
                other.byte()
            ))),
        }
    }

    fn encoder(&mut self) -> Encoder<'_> {
        Encoder {
            server: &self.shared.server_name,
            transactions: &mut self.transactions,
        }
    }

    /// Runs SQL on the session while watching the socket for an ATTENTION.
    async fn run(
        &mut self,
        sql: &str,
        params: &[Param],
        mode: Mode,
    ) -> Result<Flow, ConnectionError> {
        self.shared
            .counters
            .batch(self.logged_in.session.database());
        let outcome = tokio::select! {
            replies = self.logged_in.session.execute(sql, params) => Outcome::Finished(replies),
            message = self.transport.read_message() => Outcome::Interrupted(message),
        };
        match outcome {
            Outcome::Finished(replies) => {
                self.follow_database();
                let response = self.encoder().encode(&replies, mode);
                delay(self.shared, self.logged_in.counted.database().to_owned()).await;
                self.transport.send(&response.bytes, !response.cut).await?;
                Ok(if response.cut {
                    Flow::Close
                } else {
                    Flow::Continue
                })
            }
            Outcome::Interrupted(Ok(Some(message))) if message.ty == PacketType::Attention => {
                let cleanup = self.logged_in.session.attention();
                self.follow_database();
                let ack = self.encoder().attention_ack(&cleanup);
                self.transport.send(&ack, true).await?;
                Ok(Flow::Continue)
            }
            // The client left while its batch ran: dropping the session
            // rolls its work back.
            Outcome::Interrupted(Ok(None)) => Ok(Flow::Close),
            Outcome::Interrupted(Ok(Some(message))) => Err(ConnectionError::Protocol(format!(
                "packet type {} arrived while a request was running",
                message.ty.byte()
            ))),
            Outcome::Interrupted(Err(e)) => Err(e.into()),
        }
    }

    fn follow_database(&mut self) {
        let LoggedIn { session, counted } = &mut self.logged_in;
        counted.moved_to(session.database());
    }

    async fn reject(
        &mut self,
        number: u32,
        detail: &str,
        mode: Mode,
    ) -> Result<Flow, ConnectionError> {
        let message = format!(
            "The incoming tabular data stream (TDS) protocol stream is incorrect. {detail}"
        );
        let err = SqlError {
            number,
            state: 1,
            class: 16,
            line: 1,
            message,
        };
        self.send_errors(&[err], mode).await
    }

    async fn unknown_procedure(&mut self, procedure: &str) -> Result<Flow, ConnectionError> {
        let err = SqlError {
            number: 2812,
            state: 62,
            class: 16,
            line: 1,
            message: format!("Could not find stored procedure '{procedure}'."),
        };
        self.send_errors(&[err], Mode::Rpc).await
    }

    async fn send_errors(
        &mut self,
        errors: &[SqlError],
        mode: Mode,
    ) -> Result<Flow, ConnectionError> {
        let bytes = respond::errors_only(errors, &self.shared.server_name, mode);
        delay(self.shared, self.logged_in.counted.database().to_owned()).await;
        self.transport.send(&bytes, true).await?;
        Ok(Flow::Continue)
    }
}

/// Waits out injected latency; a free function so the future holds no
/// reference to the connection's session, which is `Send` but not `Sync`.
async fn delay<B: Backend>(shared: &Shared<B>, database: String) {
    shared.delay(Some(&database)).await;
}

/// The T-SQL a transaction-manager request stands for.
fn transaction_statement(request: &TransactionRequest) -> Option<String> {
    let named = |verb: &str, name: &str| {
        if name.is_empty() {
            format!("{verb} TRANSACTION")
        } else {
            format!("{verb} TRANSACTION [{}]", name.replace(']', "]]"))
        }
    };
    match request {
        TransactionRequest::Begin { name } => Some(named("BEGIN", name)),
        TransactionRequest::Commit { name } => Some(named("COMMIT", name)),
        TransactionRequest::Rollback { name } => Some(named("ROLLBACK", name)),
        TransactionRequest::Save { name } => Some(named("SAVE", name)),
        TransactionRequest::Other { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transaction_requests_become_statements() {
        let cases = [
            (
                TransactionRequest::Begin {
                    name: String::new(),
                },
                Some("BEGIN TRANSACTION"),
            ),
            (
                TransactionRequest::Commit {
                    name: String::new(),
                },
                Some("COMMIT TRANSACTION"),
            ),
            (
                TransactionRequest::Rollback { name: "a]b".into() },
                Some("ROLLBACK TRANSACTION [a]]b]"),
            ),
            (
                TransactionRequest::Save { name: "sp".into() },
                Some("SAVE TRANSACTION [sp]"),
            ),
            (TransactionRequest::Other { request_type: 0 }, None),
        ];
        for (request, expected) in cases {
            assert_eq!(transaction_statement(&request).as_deref(), expected);
        }
    }
}
