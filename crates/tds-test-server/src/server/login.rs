//! Deciding a LOGIN7 and answering it: SQL authentication against the
//! server's logins, the database (named or `master`), login faults, Azure
//! style routing, and opening the SQL session.
//!
//! The answers follow SQL Server: error 18456 (class 14, state 1) for a bad
//! login, 4060 (class 11) then 18456 for a database that does not exist, and
//! on success ENVCHANGE(database), INFO 5701, ENVCHANGE(collation),
//! ENVCHANGE(language), INFO 5703, LOGINACK, ENVCHANGE(packet size), DONE.

use std::sync::Arc;

use super::backend::{Backend, BackendSession};
use super::stats::SessionGuard;
use super::transport::Transport;
use super::{ConnectionError, Shared};
use crate::sql::{SessionInfo, SqlError};
use crate::wire::DEFAULT_COLLATION;
use crate::wire::login7::Login7;
use crate::wire::token::{self, DONE_ERROR, Done, TDS_72, TDS_73A, TDS_73B, TDS_74};

/// The database a login lands in when it names none.
pub(crate) const DEFAULT_DATABASE: &str = "master";
const DEFAULT_PACKET_SIZE: u32 = 4096;

/// A logged-in connection's session and the counters following it.
pub(crate) struct LoggedIn<S> {
    pub(crate) session: S,
    pub(crate) counted: SessionGuard,
}

/// The highest TDS version both sides speak, if the client speaks 7.2+.
fn agreed_version(client: u32) -> Option<u32> {
    [TDS_74, TDS_73B, TDS_73A, TDS_72]
        .into_iter()
        .find(|v| client >= *v)
}

/// The packet size both sides use after login (MS-TDS: 512..=32767).
fn agreed_packet_size(requested: u32) -> u32 {
    match requested {
        0 => DEFAULT_PACKET_SIZE,
        n => n.clamp(512, 32767),
    }
}

fn login_failed(user: &str) -> SqlError {
    SqlError {
        number: 18456,
        state: 1,
        class: 14,
        line: 1,
        message: format!("Login failed for user '{user}'."),
    }
}

fn cannot_open(database: &str) -> SqlError {
    SqlError {
        number: 4060,
        state: 1,
        class: 11,
        line: 1,
        message: format!(
            "Cannot open database \"{database}\" requested by the login. The login failed."
        ),
    }
}

/// Answers the LOGIN7; returns the session if the login succeeded. Every
/// other outcome has been answered (or deliberately not) and the caller
/// closes the connection.
pub(crate) async fn login<B: Backend>(
    transport: &mut Transport,
    login: &Login7,
    shared: &Shared<B>,
    spid: u16,
) -> Result<Option<LoggedIn<B::Session>>, ConnectionError> {
    let database = if login.database.is_empty() {
        DEFAULT_DATABASE
    } else {
        login.database.as_str()
    };
    let refuse = |reason: &str| {
        tracing::debug!(spid, user = %login.user, database, reason, "login refused");
        shared.counters.login_failed();
    };
    if shared.faults.take_login_refusal(database) {
        refuse("injected connection refusal");
        return Ok(None);
    }
    let Some(version) = agreed_version(login.tds_version) else {
        refuse("tds version below 7.2");
        let err = SqlError {
            number: 17832,
            state: 1,
            class: 20,
            line: 1,
            message: format!(
                "The login packet asks for TDS version {:#010x}; this server speaks TDS 7.2 to 7.4.",
                login.tds_version
            ),
        };
        fail(transport, shared, database, &[err]).await?;
        return Ok(None);
    };
    let authenticated =
        !login.integrated_security && shared.check_password(&login.user, &login.password);
    if !authenticated || shared.faults.take_login_failure(database) {
        refuse(if authenticated {
            "injected login failure"
        } else {
            "bad credentials"
        });
        fail(transport, shared, database, &[login_failed(&login.user)]).await?;
        return Ok(None);
    }
    if let Some((host, port)) = shared.route_for(database) {
        tracing::debug!(spid, database, %host, port, "login routed");
        let mut out = Vec::new();
        token::login_ack(&mut out, version);
        token::env_routing(&mut out, &host, port);
        token::done(&mut out, Done::Batch, 0, 0, 0);
        shared.delay(Some(database)).await;
        transport.send(&out, true).await?;
        return Ok(None);
    }
    if !shared.backend.has_database(database) {
        refuse("no such database");
        fail(
            transport,
            shared,
            database,
            &[cannot_open(database), login_failed(&login.user)],
        )
        .await?;
        return Ok(None);
    }
    let info = SessionInfo {
        spid,
        database: database.to_owned(),
        login: login.user.clone(),
        host: login.host.clone(),
        program: login.app.clone(),
    };
    let mut session = match shared.backend.open_session(info) {
        Ok(session) => session,
        Err(err) => {
            refuse("session failed to open");
            fail(
                transport,
                shared,
                database,
                &[err, login_failed(&login.user)],
            )
            .await?;
            return Ok(None);
        }
    };
    let faults = shared.faults.clone();
    session.set_statement_hook(Arc::new(move |db: &str, sql: &str| {
        faults.on_statement(db, sql, spid)
    }));
    let counted = shared.counters.session_opened(session.database());
    let packet_size = agreed_packet_size(login.packet_size);
    let database = session.database().to_owned();
    let out = welcome(&database, version, packet_size, &shared.server_name);
    // Nothing borrowed from the session (`Send`, not `Sync`) across awaits.
    shared.delay(Some(&database)).await;
    transport.send(&out, true).await?;
    transport.set_packet_size(usize::try_from(packet_size).unwrap_or(4096));
    Ok(Some(LoggedIn { session, counted }))
}

async fn fail<B: Backend>(
    transport: &mut Transport,
    shared: &Shared<B>,
    database: &str,
    errors: &[SqlError],
) -> Result<(), ConnectionError> {
    let mut out = Vec::new();
    for err in errors {
        token::error(&mut out, err, &shared.server_name, "");
    }
    token::done(&mut out, Done::Batch, DONE_ERROR, 0, 0);
    shared.delay(Some(database)).await;
    transport.send(&out, true).await?;
    Ok(())
}

fn welcome(database: &str, version: u32, packet_size: u32, server: &str) -> Vec<u8> {
    let info = |out: &mut Vec<u8>, number: u32, text: &str| {
        super::respond::info(out, number, text, server);
    };
    let mut out = Vec::new();
    token::env_database(&mut out, database, DEFAULT_DATABASE);
    info(
        &mut out,
        5701,
        &format!("Changed database context to '{database}'."),
    );
    token::env_collation(&mut out, &DEFAULT_COLLATION);
    token::env_language(&mut out, "us_english", "");
    info(&mut out, 5703, "Changed language setting to us_english.");
    token::login_ack(&mut out, version);
    token::env_packet_size(&mut out, packet_size, DEFAULT_PACKET_SIZE);
    token::done(&mut out, Done::Batch, 0, 0, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_on_the_highest_common_version() {
        let cases = [
            (0x7400_0004, Some(TDS_74)),
            (0x7500_0000, Some(TDS_74)),
            (0x730B_0003, Some(TDS_73B)),
            (0x730A_0003, Some(TDS_73A)),
            (0x7209_0002, Some(TDS_72)),
            (0x7100_0001, None),
        ];
        for (client, expected) in cases {
            assert_eq!(agreed_version(client), expected, "{client:#x}");
        }
    }

    #[test]
    fn packet_size_is_clamped_to_the_protocol_range() {
        assert_eq!(agreed_packet_size(0), 4096);
        assert_eq!(agreed_packet_size(100), 512);
        assert_eq!(agreed_packet_size(8192), 8192);
        assert_eq!(agreed_packet_size(65535), 32767);
    }
}
