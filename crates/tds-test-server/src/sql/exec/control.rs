//! Session and control statements: DECLARE, SET (variables and options),
//! PRINT, THROW, RAISERROR, WAITFOR DELAY, USE, CREATE DATABASE and the
//! transaction statements with their ENVCHANGEs.

use std::time::Duration;

use super::super::ast::{BinaryOp, Expr, ObjectName, StmtKind};
use super::super::translate::Translator;
use super::super::{EnvChange, Reply, SqlError, errors};
use super::{Batch, Failure, Origin};

/// Options accepted and ignored: they change nothing the test server does.
const INERT_OPTIONS: &[&str] = &[
    "ANSI_NULLS",
    "ANSI_PADDING",
    "ANSI_WARNINGS",
    "ARITHABORT",
    "CONCAT_NULL_YIELDS_NULL",
    "NUMERIC_ROUNDABORT",
    "QUOTED_IDENTIFIER",
    "ANSI_NULL_DFLT_ON",
    "ANSI_NULL_DFLT_OFF",
    "CURSOR_CLOSE_ON_COMMIT",
    "ANSI_DEFAULTS",
    "DATEFORMAT",
    "DATEFIRST",
    "LANGUAGE",
    "TEXTSIZE",
    "DEADLOCK_PRIORITY",
    "TRANSACTION ISOLATION LEVEL",
    "STATISTICS",
    "XACT_ABORT_LOG",
    "CONTEXT_INFO",
    "NOCOUNT_LOG",
];

/// ALTER DATABASE options accepted (and shown in sys.databases).
const DATABASE_OPTIONS: &[&str] = &[
    "READ_COMMITTED_SNAPSHOT",
    "ALLOW_SNAPSHOT_ISOLATION",
    "RECOVERY",
    "AUTO_CLOSE",
    "AUTO_SHRINK",
    "AUTO_CREATE_STATISTICS",
    "AUTO_UPDATE_STATISTICS",
    "AUTO_UPDATE_STATISTICS_ASYNC",
    "PAGE_VERIFY",
    "COMPATIBILITY_LEVEL",
    "MULTI_USER",
    "ANSI_NULLS",
    "ANSI_PADDING",
    "ANSI_WARNINGS",
    "ARITHABORT",
    "QUOTED_IDENTIFIER",
    "CONCAT_NULL_YIELDS_NULL",
    "NUMERIC_ROUNDABORT",
    "TRUSTWORTHY",
    "DELAYED_DURABILITY",
    "TARGET_RECOVERY_TIME",
];

/// Options whose ON the test server cannot honour.
const UNSUPPORTED_WHEN_ON: &[&str] = &[
    "IMPLICIT_TRANSACTIONS",
    "FMTONLY",
    "NOEXEC",
    "PARSEONLY",
    "SHOWPLAN_ALL",
    "SHOWPLAN_TEXT",
    "SHOWPLAN_XML",
    "FORCEPLAN",
];

impl Batch<'_> {
    pub(super) fn control(&mut self, kind: &StmtKind) -> Result<Option<u64>, Failure> {
        match kind {
            StmtKind::Declare(declarations) => {
                for declaration in declarations {
                    if let Some(init) = &declaration.init {
                        let (value, _) = self.evaluate(init)?;
                        self.store_variable(&declaration.name, value)?;
                    }
                }
                Ok(None)
            }
            StmtKind::SetVariable { name, op, value } => {
                self.set_variable(name, *op, value)?;
                Ok(None)
            }
            StmtKind::SetOption { options, value } => {
                for option in options {
                    self.set_option(option, value)?;
                }
                Ok(None)
            }
            StmtKind::Print(expr) => {
                let message = self.evaluate_text(expr)?.unwrap_or_default();
                self.replies.push(Reply::Info { number: 0, message });
                Ok(None)
            }
            StmtKind::Throw {
                number,
                message,
                state,
            } => Err(self.throw(number, message, state)?),
            StmtKind::Raiserror {
                message,
                severity,
                state,
                args,
            } => self.raiserror(message, severity, state, args),
            StmtKind::Use(name) => self.use_database(name),
            StmtKind::CreateDatabase(name) => {
                if self.session.in_transaction() {
                    return Err(errors::not_in_transaction("CREATE DATABASE").into());
                }
                self.session.catalog().create_database(name)?;
                Ok(None)
            }
            StmtKind::AlterDatabase { name, options } => {
                self.alter_database(name.as_deref(), options)?;
                Ok(None)
            }
            StmtKind::BeginTran => {
                if self.session.begin_transaction() {
                    self.replies
                        .push(Reply::EnvChange(EnvChange::BeginTransaction));
                }
                Ok(None)
            }
            StmtKind::CommitTran => {
                if self.session.commit_transaction()? {
                    self.replies
                        .push(Reply::EnvChange(EnvChange::CommitTransaction));
                }
                Ok(None)
            }
            StmtKind::RollbackTran => {
                if !self.session.rollback_transaction() {
                    return Err(errors::rollback_without_begin().into());
                }
                self.replies
                    .push(Reply::EnvChange(EnvChange::RollbackTransaction));
                Ok(None)
            }
            other => Err(errors::internal(&format!(
                "statement {other:?} reached the wrong runner"
            ))
            .into()),
        }
    }

    /// ALTER DATABASE ... SET: options are recorded (sys.databases shows
    /// them) but change nothing; SQLite's WAL readers already see committed
    /// snapshots, as READ_COMMITTED_SNAPSHOT ON does.
    fn alter_database(
        &mut self,
        name: Option<&str>,
        options: &[(String, String)],
    ) -> Result<(), SqlError> {
        if self.session.in_transaction() {
            return Err(errors::not_in_transaction("ALTER DATABASE"));
        }
        let database = match name {
            None => self.session.catalog().database(self.session.database()),
            Some(name) => self.session.catalog().database(name),
        }
        .ok_or_else(|| errors::database_missing(name.unwrap_or_default()))?;
        for (option, _) in options {
            if !DATABASE_OPTIONS.contains(&option.as_str()) {
                return Err(errors::not_supported(&format!(
                    "ALTER DATABASE ... SET {option}"
                )));
            }
        }
        for (option, value) in options {
            database.set_option(option, value);
        }
        Ok(())
    }

    fn set_variable(
        &mut self,
        name: &str,
        op: Option<BinaryOp>,
        value: &Expr,
    ) -> Result<(), SqlError> {
        let expr = match op {
            Some(op) => Expr::Binary {
                op,
                left: Box::new(Expr::Variable(name.to_string())),
                right: Box::new(value.clone()),
            },
            None => value.clone(),
        };
        let (raw, _) = self.evaluate(&expr)?;
        self.store_variable(name, raw)
    }

    fn set_option(&mut self, option: &str, value: &str) -> Result<(), SqlError> {
        let on = value == "ON";
        if value != "ON"
            && value != "OFF"
            && !matches!(
                option,
                "LOCK_TIMEOUT"
                    | "ROWCOUNT"
                    | "TRANSACTION ISOLATION LEVEL"
                    | "DEADLOCK_PRIORITY"
                    | "DATEFORMAT"
                    | "DATEFIRST"
                    | "LANGUAGE"
                    | "TEXTSIZE"
                    | "CONTEXT_INFO"
            )
        {
            return Err(errors::syntax_near(value, 0));
        }
        match option {
            "XACT_ABORT" => self.session.options.xact_abort = on,
            "NOCOUNT" => self.session.options.nocount = on,
            "LOCK_TIMEOUT" => {
                self.session.options.lock_timeout =
                    value.parse().map_err(|_| errors::syntax_near(value, 0))?;
            }
            "ROWCOUNT" if value == "0" => {}
            "ROWCOUNT" => return Err(errors::not_supported("SET ROWCOUNT other than 0")),
            option if option.starts_with("IDENTITY_INSERT ") => {
                self.identity_insert(&option["IDENTITY_INSERT ".len()..], on)?
            }
            option if UNSUPPORTED_WHEN_ON.contains(&option) => {
                if on {
                    return Err(errors::not_supported(&format!("SET {option} ON")));
                }
            }
            option if INERT_OPTIONS.contains(&option) => {}
            other => {
                let message = format!("'{other}' is not a recognized SET option.");
                return Err(SqlError {
                    number: 195,
                    state: 5,
                    class: 15,
                    line: 0,
                    message,
                });
            }
        }
        Ok(())
    }

    fn identity_insert(&mut self, table: &str, on: bool) -> Result<(), SqlError> {
        let name = ObjectName {
            parts: table.split('.').map(str::to_string).collect(),
        };
        let info = {
            let env = self.env()?;
            let mut translator = Translator::new(&env);
            translator
                .table(&name)?
                .ok_or_else(|| errors::invalid_object(&name.display()))?
        };
        if info.identity_column().is_none() {
            let message = format!(
                "Table '{}' does not have the identity property. Cannot perform SET operation.",
                info.display()
            );
            return Err(SqlError {
                number: 8106,
                state: 1,
                class: 16,
                line: 0,
                message,
            });
        }
        let key = (self.session.database_id(), info.object_id);
        let options = &mut self.session.options;
        match (on, options.identity_insert) {
            (true, Some(current)) if current != key => {
                let message = format!(
                    "IDENTITY_INSERT is already ON for a table. Cannot perform SET operation for table '{}'.",
                    info.display()
                );
                return Err(SqlError {
                    number: 8107,
                    state: 1,
                    class: 16,
                    line: 0,
                    message,
                });
            }
            (true, _) => options.identity_insert = Some(key),
            (false, Some(current)) if current == key => options.identity_insert = None,
            (false, _) => {}
        }
        Ok(())
    }

    fn throw(&mut self, number: &Expr, message: &Expr, state: &Expr) -> Result<Failure, SqlError> {
        let number = self.evaluate_integer(number)?.unwrap_or(0);
        if !(50_000..=2_147_483_647).contains(&number) {
            return Ok(errors::throw_number_out_of_range(number).into());
        }
        let message = self.evaluate_text(message)?.unwrap_or_default();
        let state = self
            .evaluate_integer(state)?
            .and_then(|s| u8::try_from(s).ok())
            .unwrap_or(1);
        let number = u32::try_from(number).unwrap_or(50_000);
        Ok(Failure {
            error: errors::thrown(number, message, state),
            origin: Origin::Throw,
        })
    }

    fn raiserror(
        &mut self,
        message: &Expr,
        severity: &Expr,
        state: &Expr,
        args: &[Expr],
    ) -> Result<Option<u64>, Failure> {
        let template = self.evaluate_text(message)?.unwrap_or_default();
        let severity = self.evaluate_integer(severity)?.unwrap_or(16);
        let state = self
            .evaluate_integer(state)?
            .and_then(|s| u8::try_from(s.clamp(0, 255)).ok())
            .unwrap_or(1);
        let mut values = Vec::new();
        for arg in args {
            values.push(self.evaluate_text(arg)?.unwrap_or_else(|| "(null)".into()));
        }
        let text = format_message(&template, &values);
        match u8::try_from(severity) {
            Ok(severity) if severity <= 10 => {
                self.replies.push(Reply::Info {
                    number: 50_000,
                    message: text,
                });
                Ok(None)
            }
            Ok(severity) if severity <= 18 => Err(Failure {
                error: errors::raiserror(text, severity, state),
                origin: Origin::Raiserror,
            }),
            _ => Err(errors::not_supported("RAISERROR with a severity above 18").into()),
        }
    }

    fn use_database(&mut self, name: &str) -> Result<Option<u64>, Failure> {
        if self.session.in_transaction() {
            return Err(errors::not_supported("USE inside a transaction").into());
        }
        let database = self
            .session
            .catalog()
            .database(name)
            .ok_or_else(|| errors::database_missing(name))?;
        let old = self.session.database().to_string();
        self.session.switch_database(database);
        self.session.ensure_connection()?;
        let new = self.session.database().to_string();
        self.replies.push(Reply::EnvChange(EnvChange::Database {
            old,
            new: new.clone(),
        }));
        self.replies.push(Reply::Info {
            number: 5701,
            message: format!("Changed database context to '{new}'."),
        });
        Ok(None)
    }

    /// WAITFOR DELAY 'hh:mm[:ss[.mmm]]': the one place a batch sleeps.
    /// Cancel-safe: dropping the future during the sleep leaves nothing.
    pub(super) async fn waitfor(&mut self, delay: &Expr) -> Result<Option<u64>, Failure> {
        let text = self.evaluate_text(delay)?.unwrap_or_default();
        let duration = parse_delay(&text).ok_or_else(|| errors::waitfor_syntax(&text))?;
        tokio::time::sleep(duration).await;
        Ok(None)
    }
}

/// `hh:mm`, `hh:mm:ss` or `hh:mm:ss.mmm`, below 24 hours.
pub(crate) fn parse_delay(text: &str) -> Option<Duration> {
    let (clock, fraction) = match text.trim().split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (text.trim(), None),
    };
    let parts: Vec<u64> = clock
        .split(':')
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let (hours, minutes, seconds) = match parts.as_slice() {
        [h, m] => (*h, *m, 0),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    let millis = match fraction {
        Some(f) if !f.is_empty() && f.len() <= 3 && f.chars().all(|c| c.is_ascii_digit()) => {
            f.parse::<u64>().ok()? * 10u64.pow(3 - u32::try_from(f.len()).ok()?)
        }
        Some(_) => return None,
        None => 0,
    };
    Some(Duration::from_millis(
        ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis,
    ))
}

/// RAISERROR's printf-style substitution: `%s`, `%d`, `%i`, `%u`, `%%`
/// (flags and widths are skipped).
pub(crate) fn format_message(template: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        while chars.peek().is_some_and(|c| {
            matches!(
                c,
                '-' | '+' | '#' | ' ' | '0'..='9' | '.' | '*' | 'l' | 'h' | 'I'
            )
        }) {
            chars.next();
        }
        match chars.next() {
            Some('s' | 'd' | 'i' | 'u' | 'o' | 'x' | 'X') => {
                out.push_str(args.next().map_or("(null)", String::as_str))
            }
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_parse_like_waitfor() {
        let cases = [
            ("00:00:01", Some(1000u64)),
            ("00:00:00.250", Some(250)),
            ("00:00:00.5", Some(500)),
            ("01:02", Some(3_720_000)),
            ("24:00:00", None),
            ("abc", None),
            ("00:00:00.1234", None),
        ];
        for (text, millis) in cases {
            assert_eq!(
                parse_delay(text).map(|d| d.as_millis()),
                millis.map(u128::from),
                "{text}"
            );
        }
    }

    #[test]
    fn raiserror_messages_substitute_arguments() {
        let args = vec!["wsdb".to_string(), "3".to_string()];
        assert_eq!(
            format_message("lock %s held by %d (100%%)", &args),
            "lock wsdb held by 3 (100%)"
        );
        assert_eq!(format_message("%-10s|%5d", &args), "wsdb|3");
        assert_eq!(format_message("missing %s", &[]), "missing (null)");
    }
}
