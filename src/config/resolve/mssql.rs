//! `[env.NAME.mssql]`: login, TLS and timeouts of workspace connections.
//!
//! Owns the rules of that table: the `encrypt` names, the `ca_file` that must
//! exist and must not contradict `encrypt = "off"` or
//! `trust_server_certificate = true`, the application name's length, and
//! positive timeouts. It does not build a connection (the engine does).

use std::path::PathBuf;

use super::{DurationRule, Resolver};
use crate::config::document::Item;
use crate::config::error::{ConfigError, Problem};
use crate::config::raw::RawMssql;
use crate::config::{Encrypt, MssqlSettings, limits};

impl Resolver<'_> {
    pub(super) fn mssql(&self, raw: &RawMssql) -> Result<MssqlSettings, ConfigError> {
        let defaults = MssqlSettings::default();
        let user = match &raw.user {
            Some(user) => Some(self.non_empty(user, "a login name")?),
            None => None,
        };
        let password = match &raw.password {
            Some(password) => Some(self.secret(password)?),
            None => None,
        };
        let encrypt = match &raw.encrypt {
            Some(item) => self.text(item)?.parse::<Encrypt>().map_err(|error| {
                self.invalid(
                    item,
                    "one of `off`, `on`, `required`",
                    format!("`{}`", error.found),
                )
            })?,
            None => defaults.encrypt,
        };
        let trust_server_certificate = raw
            .trust_server_certificate
            .as_ref()
            .map_or(defaults.trust_server_certificate, |item| item.value);
        let ca_file = match &raw.ca_file {
            Some(item) => Some(self.ca_file(raw, item, encrypt, trust_server_certificate)?),
            None => None,
        };
        let application_name = match &raw.application_name {
            Some(item) => self.application_name(item)?,
            None => defaults.application_name,
        };
        Ok(MssqlSettings {
            user,
            password,
            encrypt,
            trust_server_certificate,
            ca_file,
            connect_timeout: self.duration(
                &raw.connect_timeout,
                defaults.connect_timeout,
                DurationRule::Positive,
            )?,
            statement_timeout: self.duration(
                &raw.statement_timeout,
                defaults.statement_timeout,
                DurationRule::Positive,
            )?,
            application_name,
        })
    }

    fn ca_file(
        &self,
        raw: &RawMssql,
        item: &Item<String>,
        encrypt: Encrypt,
        trust: bool,
    ) -> Result<PathBuf, ConfigError> {
        // Both conflicts need a non-default value, so the other key was written.
        let conflict = |other: Option<&str>, reason: &str, hint: &str| {
            let other = other.unwrap_or_default().to_owned();
            self.at(
                item,
                Problem::Conflict {
                    other,
                    reason: reason.to_owned(),
                    hint: Some(hint.to_owned()),
                },
            )
        };
        if encrypt == Encrypt::Off {
            return Err(conflict(
                raw.encrypt.as_ref().map(|other| other.key.as_str()),
                "a CA file only verifies TLS, and `encrypt = \"off\"` turns TLS off",
                "set `encrypt = \"required\"` (or \"on\"), or remove `ca_file`",
            ));
        }
        if trust {
            return Err(conflict(
                raw.trust_server_certificate
                    .as_ref()
                    .map(|other| other.key.as_str()),
                "trusting every certificate makes the CA file pointless, so which one is meant is ambiguous",
                "keep `ca_file` to verify servers against that CA, or remove it (trusting every certificate is for development only)",
            ));
        }
        let file = self.non_empty(item, "the path of a PEM file")?;
        let resolved = self.config_dir.join(&file);
        if !resolved.is_file() {
            return Err(self.at(
                item,
                Problem::MissingFile {
                    file: file.into(),
                    resolved,
                },
            ));
        }
        Ok(resolved)
    }

    fn application_name(&self, item: &Item<String>) -> Result<String, ConfigError> {
        let name = self.non_empty(item, "a name shown by the server's session views")?;
        let length = name.chars().count();
        if length > limits::APPLICATION_NAME_MAX_CHARS {
            let expected = format!("at most {} characters", limits::APPLICATION_NAME_MAX_CHARS);
            return Err(self.invalid(item, &expected, format!("{length} characters")));
        }
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::ConfigErrorKind as Kind;
    use crate::config::resolve::tests::{assert_refused, resolve_dev};

    #[test]
    fn mssql_values_are_checked() {
        let name_129 = format!("application_name = \"{}\"", "n".repeat(129));
        let cases = [
            ("encrypt = \"yes\"", Kind::InvalidValue, "encrypt"),
            ("encrypt = \"Required\"", Kind::InvalidValue, "encrypt"),
            ("user = \"\"", Kind::InvalidValue, "user"),
            ("user = \"${WSDB_TEST_EMPTY}\"", Kind::InvalidValue, "user"),
            (
                "user = \"${WSDB_TEST_UNSET}\"",
                Kind::MissingVariable,
                "user",
            ),
            (
                "password = \"${WSDB_TEST_UNSET\"",
                Kind::BadInterpolation,
                "password",
            ),
            (
                "ca_file = \"certs/missing.pem\"",
                Kind::MissingFile,
                "ca_file",
            ),
            ("ca_file = \"certs\"", Kind::MissingFile, "ca_file"),
            ("ca_file = \"\"", Kind::InvalidValue, "ca_file"),
            (
                "encrypt = \"off\"\nca_file = \"certs/ca.pem\"",
                Kind::Conflict,
                "ca_file",
            ),
            (
                "ca_file = \"certs/ca.pem\"\ntrust_server_certificate = true",
                Kind::Conflict,
                "ca_file",
            ),
            (name_129.as_str(), Kind::InvalidValue, "application_name"),
            (
                "application_name = \"\"",
                Kind::InvalidValue,
                "application_name",
            ),
            (
                "connect_timeout = \"0s\"",
                Kind::InvalidValue,
                "connect_timeout",
            ),
            (
                "statement_timeout = \"10\"",
                Kind::BadDuration,
                "statement_timeout",
            ),
        ];
        for (body, kind, leaf) in cases {
            assert_refused("mssql", body, kind, leaf);
        }
    }

    #[test]
    fn the_longest_application_name_and_an_empty_password_pass() {
        let body = format!(
            "application_name = \"{}\"\npassword = \"\"",
            "é".repeat(128)
        );
        let (_config, env) = resolve_dev(&format!("[env.dev.mssql]\n{body}\n"));
        let mssql = env.expect("valid").mssql;
        assert_eq!(mssql.application_name.chars().count(), 128);
        assert_eq!(
            mssql.password.map(|password| password.expose().clone()),
            Some(String::new())
        );
    }
}
