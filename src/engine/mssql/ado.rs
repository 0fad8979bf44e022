//! The ADO.NET connection string a workspace row may carry instead of
//! `host`/`port`/`database` columns: parsed into the settings wsdb knows.
//!
//! Tokenising (quoting, `;`, `=` rules) is the `connection-string` crate's;
//! this file maps its keys (case-insensitive, with ADO.NET's synonyms) to
//! [`AdoSettings`] and refuses what wsdb cannot honour (named-pipe servers,
//! integrated security, unknown keys) instead of silently ignoring it.
//! Validation of the values themselves (ranges, database name rules) is
//! `target.rs`'s. No message here ever contains a value from the string: it
//! may hold a password.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use connection_string::AdoNetString;

use crate::config::{Encrypt, Secret};
use crate::engine::EngineError;

/// What a connection string said; `None` where it said nothing, so the env's
/// `[mssql]` defaults apply.
#[derive(Debug, Clone, Default)]
pub struct AdoSettings {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub database: Option<String>,
    pub user: Option<String>,
    pub password: Option<Secret<String>>,
    pub encrypt: Option<Encrypt>,
    pub trust_server_certificate: Option<bool>,
    pub ca_file: Option<PathBuf>,
    pub hostname_in_certificate: Option<String>,
    pub application_name: Option<String>,
    pub connect_timeout: Option<Duration>,
}

/// ADO.NET keys that tune a .NET driver and mean nothing to wsdb (its own
/// pool and timeouts govern); accepted so strings copied from an app work.
const IGNORED_KEYS: &[&str] = &[
    "pooling",
    "max pool size",
    "min pool size",
    "connection lifetime",
    "load balance timeout",
    "multipleactiveresultsets",
    "multiple active result sets",
    "persist security info",
    "persistsecurityinfo",
    "packet size",
    "workstation id",
    "workstationid",
    "multisubnetfailover",
    "multi subnet failover",
    "applicationintent",
    "application intent",
    "connectretrycount",
    "connect retry count",
    "connectretryinterval",
    "connect retry interval",
    "command timeout",
    "trusted_connection",
    "integrated security",
    "integratedsecurity",
    "authentication",
];

fn invalid(reason: impl Into<String>) -> EngineError {
    EngineError::InvalidTarget {
        key: "connection_string",
        reason: reason.into(),
    }
}

/// Parses an ADO.NET connection string (`Server=tcp:host,1433;Database=..`).
pub fn parse(text: &str) -> Result<AdoSettings, EngineError> {
    // The tokenizer's own messages may quote a character of the input, so
    // they are replaced by a fixed description.
    let pairs = AdoNetString::from_str(text).map_err(|_| {
        invalid(
            "not a valid ADO.NET connection string (expected `key=value` pairs separated by `;`, \
             values with `;` quoted)",
        )
    })?;
    let mut settings = AdoSettings::default();
    for (key, value) in pairs.iter() {
        apply(&mut settings, key.trim(), value)?;
    }
    Ok(settings)
}

fn apply(settings: &mut AdoSettings, key: &str, value: &str) -> Result<(), EngineError> {
    match key {
        "server" | "data source" | "address" | "addr" | "network address" => {
            let (host, port) = parse_server(value)?;
            settings.host = Some(host);
            settings.port = port;
        }
        "database" | "initial catalog" => settings.database = Some(value.to_owned()),
        "user id" | "uid" | "user" | "username" => settings.user = Some(value.to_owned()),
        "password" | "pwd" => settings.password = Some(Secret::new(value.to_owned())),
        "encrypt" => settings.encrypt = Some(parse_encrypt(value)?),
        "trustservercertificate" | "trust server certificate" => {
            settings.trust_server_certificate = Some(parse_bool(key, value)?);
        }
        "trustservercertificateca" => settings.ca_file = Some(PathBuf::from(value)),
        "hostnameincertificate" | "host name in certificate" => {
            settings.hostname_in_certificate = Some(value.to_owned());
        }
        "application name" | "applicationname" | "app" => {
            settings.application_name = Some(value.to_owned());
        }
        "connect timeout" | "connection timeout" | "timeout" => {
            let seconds: u64 = value
                .trim()
                .parse()
                .map_err(|_| invalid(format!("`{key}` must be a whole number of seconds")))?;
            settings.connect_timeout = Some(Duration::from_secs(seconds));
        }
        "integrated security" | "integratedsecurity" | "trusted_connection"
            if parse_bool(key, value)? =>
        {
            return Err(invalid(format!(
                "`{key}` is not supported: wsdb logs in with SQL authentication (`user` and a password)"
            )));
        }
        "authentication" if !is_sql_password(value) => {
            return Err(invalid(
                "only `Authentication=SqlPassword` is supported: wsdb logs in with SQL authentication",
            ));
        }
        _ if IGNORED_KEYS.contains(&key) => {
            tracing::debug!(key, "ignoring an ADO.NET key that does not apply to wsdb");
        }
        _ => {
            return Err(invalid(format!(
                "unknown key `{key}` in the connection string"
            )));
        }
    }
    Ok(())
}

fn is_sql_password(value: &str) -> bool {
    let squashed: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    squashed.eq_ignore_ascii_case("sqlpassword")
}

/// `tcp:host,port`, `host`, `host\instance,port`, `(local)`, `.`.
fn parse_server(value: &str) -> Result<(String, Option<u16>), EngineError> {
    let value = value.trim();
    let value = value.strip_prefix("tcp:").unwrap_or(value);
    if value.starts_with("np:") || value.starts_with("lpc:") || value.starts_with("admin:") {
        return Err(invalid(
            "`server` must be a TCP address (`tcp:host,port`); named pipes and shared memory are not supported",
        ));
    }
    let (name, port) = match value.split_once(',') {
        Some((name, port)) => {
            let port = port
                .trim()
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| invalid("the port in `server` must be a number in 1..=65535"))?;
            (name.trim(), Some(port))
        }
        None => (value, None),
    };
    let host = match name.split_once('\\') {
        // A named instance is found through the SQL Browser (UDP 1434),
        // which wsdb does not use: the port must be given.
        Some((_, _)) if port.is_none() => {
            return Err(invalid(
                "a named instance (`host\\instance`) needs its port: write `host,port`",
            ));
        }
        Some((host, _)) => host,
        None => name,
    };
    let host = match host {
        "(local)" | "." | "(localdb)" => "localhost",
        other => other,
    };
    Ok((host.to_owned(), port))
}

/// ADO.NET `Encrypt`: `true`/`mandatory` require TLS; `false`/`optional`
/// map to wsdb's `off`.
fn parse_encrypt(value: &str) -> Result<Encrypt, EngineError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "mandatory" => Ok(Encrypt::Required),
        "false" | "no" | "optional" => Ok(Encrypt::Off),
        "strict" => Err(invalid(
            "`Encrypt=Strict` (TDS 8.0) is not supported; use `Encrypt=True`",
        )),
        _ => Err(invalid(
            "`encrypt` must be one of `true`, `false`, `mandatory`, `optional`",
        )),
    }
}

fn parse_bool(key: &str, value: &str) -> Result<bool, EngineError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "sspi" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(invalid(format!("`{key}` must be `true` or `false`"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(err: EngineError) -> String {
        match err {
            EngineError::InvalidTarget { key, reason } => {
                assert_eq!(key, "connection_string");
                reason
            }
            other => panic!("expected InvalidTarget, got {other:?}"),
        }
    }

    #[test]
    fn reads_the_usual_keys_with_synonyms_and_any_case() {
        let s = parse(
            "Server=tcp:db1.example.com,1444;Initial Catalog=ws_acme;User ID=wsdb;\
             Password='p@ss;word';Encrypt=True;TrustServerCertificate=false;\
             Application Name=svc;Connect Timeout=7;Pooling=true",
        )
        .unwrap();
        assert_eq!(s.host.as_deref(), Some("db1.example.com"));
        assert_eq!(s.port, Some(1444));
        assert_eq!(s.database.as_deref(), Some("ws_acme"));
        assert_eq!(s.user.as_deref(), Some("wsdb"));
        assert_eq!(
            s.password.as_ref().map(|p| p.expose().as_str()),
            Some("p@ss;word")
        );
        assert_eq!(s.encrypt, Some(Encrypt::Required));
        assert_eq!(s.trust_server_certificate, Some(false));
        assert_eq!(s.application_name.as_deref(), Some("svc"));
        assert_eq!(s.connect_timeout, Some(Duration::from_secs(7)));
    }

    #[test]
    fn server_forms() {
        let cases = [
            ("tcp:h,1", ("h", Some(1))),
            ("h", ("h", None)),
            ("h , 1500", ("h", Some(1500))),
            ("(local),1433", ("localhost", Some(1433))),
            (".", ("localhost", None)),
            ("h\\inst,1500", ("h", Some(1500))),
        ];
        for (value, (host, port)) in cases {
            let (h, p) = parse_server(value).unwrap();
            assert_eq!((h.as_str(), p), (host, port), "server {value:?}");
        }
        for bad in [
            "h,0",
            "h,70000",
            "h,x",
            "h\\inst",
            "np:\\\\h\\pipe\\sql\\query",
        ] {
            assert!(parse_server(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn encrypt_values() {
        let cases = [
            ("true", Some(Encrypt::Required)),
            ("Mandatory", Some(Encrypt::Required)),
            ("false", Some(Encrypt::Off)),
            ("optional", Some(Encrypt::Off)),
            ("strict", None),
            ("maybe", None),
        ];
        for (value, expected) in cases {
            assert_eq!(parse_encrypt(value).ok(), expected, "encrypt {value:?}");
        }
    }

    #[test]
    fn refuses_what_wsdb_cannot_honour() {
        let cases = [
            ("Server=h;Integrated Security=SSPI", "not supported"),
            (
                "Server=h;Authentication=ActiveDirectoryPassword",
                "SqlPassword",
            ),
            ("Server=h;Colour=blue", "unknown key `colour`"),
            ("Server=h;Connect Timeout=soon", "whole number of seconds"),
        ];
        for (text, needle) in cases {
            let reason = reason(parse(text).unwrap_err());
            assert!(reason.contains(needle), "{text:?}: {reason}");
        }
        assert!(parse("Server=h;Integrated Security=false").is_ok());
        assert!(parse("Server=h;Authentication=Sql Password").is_ok());
    }

    #[test]
    fn errors_never_echo_the_string() {
        for text in [
            "Password=hunter2;oops",
            "Server=h;Password='hunter2",
            "Pwd=hunter2;Frob=1",
        ] {
            let reason = reason(parse(text).unwrap_err());
            assert!(!reason.contains("hunter2"), "{reason}");
        }
    }
}
