//! The control database URL: validation and redaction.
//!
//! Owns [`check_control_url`] (a `postgres://` or `postgresql://` URL that
//! parses) and [`redact_url`] (the same URL with its password shown as
//! `***`, for `wsdb check` and logs). It does not connect nor interpret the
//! URL's options: sqlx does that. Nothing here ever echoes the URL: a bad
//! one is described by the parser's reason, which never quotes its input.

use url::Url;

const MASK: &str = "***";

/// Why `control_url` is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlFault {
    #[error("the value is empty")]
    Empty,
    /// `url::ParseError` messages are fixed texts ("invalid port number"),
    /// never a piece of the input.
    #[error("{0}")]
    Parse(url::ParseError),
    #[error("it must start with `postgres://` or `postgresql://`")]
    Scheme,
}

/// Checks that `url` is a PostgreSQL URL sqlx can be given.
pub(crate) fn check_control_url(url: &str) -> Result<(), UrlFault> {
    if url.trim().is_empty() {
        return Err(UrlFault::Empty);
    }
    let parsed = Url::parse(url).map_err(UrlFault::Parse)?;
    match parsed.scheme() {
        "postgres" | "postgresql" => Ok(()),
        _ => Err(UrlFault::Scheme),
    }
}

/// `url` with its password (in the user-info part or a `password=` query
/// parameter, both of which libpq and sqlx accept) replaced by `***`.
///
/// A URL that does not parse, or has no authority part (`app:pw@db` reads
/// as scheme `app` and an opaque path), loses everything before its last
/// `@` but the scheme: without a parser we cannot tell where a password
/// ends, so we hide too much rather than too little.
pub fn redact_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(parsed) if !parsed.cannot_be_a_base() => redact_parsed(parsed),
        _ => redact_unparsed(url),
    }
}

fn redact_parsed(mut url: Url) -> String {
    if url.password().is_some() {
        // Fails only for URLs that cannot have credentials, which then have
        // no password either.
        let _ = url.set_password(Some(MASK));
    }
    let has_query_password = url
        .query_pairs()
        .any(|(name, _)| name.eq_ignore_ascii_case("password"));
    if has_query_password {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if name.eq_ignore_ascii_case("password") {
                    MASK.to_owned()
                } else {
                    value.into_owned()
                };
                (name.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.into()
}

fn redact_unparsed(url: &str) -> String {
    let without_user_info = match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}{MASK}{}", &url[..scheme_end + 3], &url[at..])
        }
        (None, Some(at)) => format!("{MASK}{}", &url[at..]),
        _ => url.to_owned(),
    };
    redact_query_password(&without_user_info)
}

/// Masks every `password=` value of an unparsed URL's query text.
fn redact_query_password(url: &str) -> String {
    let Some(query_start) = url.find('?') else {
        return url.to_owned();
    };
    let (head, query) = url.split_at(query_start + 1);
    let params: Vec<String> = query
        .split('&')
        .map(|param| match param.split_once('=') {
            Some((name, _)) if name.eq_ignore_ascii_case("password") => format!("{name}={MASK}"),
            _ => param.to_owned(),
        })
        .collect();
    format!("{head}{}", params.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_postgres_urls() {
        for url in [
            "postgres://app@127.0.0.1:5432/app",
            "postgresql://app:pw@db.internal/app?sslmode=require",
            "postgres:///app?host=/var/run/postgresql",
            "postgres://[::1]:5432/app",
        ] {
            assert_eq!(check_control_url(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn refuses_other_urls_without_quoting_them() {
        let secret = "hunter2";
        let cases = [
            (String::new(), UrlFault::Empty),
            (
                format!("postgres://app:{secret}@db:notaport/app"),
                UrlFault::Parse(url::ParseError::InvalidPort),
            ),
            (format!("mysql://app:{secret}@db/app"), UrlFault::Scheme),
            (format!("app:{secret}@db/app"), UrlFault::Scheme),
            (
                format!("{secret}@db/app"),
                UrlFault::Parse(url::ParseError::RelativeUrlWithoutBase),
            ),
        ];
        for (url, expected) in cases {
            let fault = check_control_url(&url).expect_err(&url);
            assert!(!fault.to_string().contains(secret), "{fault}");
            assert_eq!(fault, expected, "{url}");
        }
    }

    #[test]
    fn redacts_passwords_wherever_they_are() {
        let cases = [
            (
                "postgres://app:hunter2@db:5432/app",
                "postgres://app:***@db:5432/app",
            ),
            ("postgres://app@db/app", "postgres://app@db/app"),
            (
                "postgres://app@db/app?password=hunter2&sslmode=require",
                "postgres://app@db/app?password=***&sslmode=require",
            ),
            // Unparseable: everything before the last `@` goes.
            (
                "postgres://app:hun/ter2@db:notaport/app",
                "postgres://***@db:notaport/app",
            ),
            ("app:hunter2@db", "***@db"),
            (
                "postgres://db:badport/app?PASSWORD=hunter2",
                "postgres://db:badport/app?PASSWORD=***",
            ),
        ];
        for (url, expected) in cases {
            let redacted = redact_url(url);
            assert_eq!(redacted, expected, "{url}");
            assert!(!redacted.contains("hunter2"));
        }
    }
}
