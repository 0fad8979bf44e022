//! `${VAR}` expansion of string values.
//!
//! Owns the syntax: `${NAME}` (the variable must be set), `${NAME:-default}`
//! (the default when the variable is unset or empty, as in POSIX shells),
//! `$$` for a literal `$`; any other `$` is taken literally, so a password
//! such as `pa$word` needs no escaping. Names are ASCII letters, digits and
//! `_`, not starting with a digit. A default is literal text: no nesting.
//! Expansion is a single pass: a variable's value is never expanded again.
//!
//! It does not know keys, lines or files (the caller adds them), and it never
//! puts a value, a default or any text of the template into an error: the
//! template may be a literal password. Errors give a character position.

use std::collections::BTreeMap;
use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The environment variables a file refers to, captured once at load so
/// that selecting an env later needs no access to the process environment.
/// Only referenced names are kept; Debug shows names, never values.
#[derive(Clone, Default)]
pub(crate) struct Variables(BTreeMap<String, String>);

impl Variables {
    /// Looks up every name in `names` with `lookup`; unset ones are left out.
    pub(crate) fn capture<'n>(
        names: impl IntoIterator<Item = &'n str>,
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Self {
        let mut captured = BTreeMap::new();
        for name in names {
            if captured.contains_key(name) {
                continue;
            }
            if let Some(value) = lookup(name) {
                captured.insert(name.to_owned(), value);
            }
        }
        Variables(captured)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

impl fmt::Debug for Variables {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|name| (name, "***")))
            .finish()
    }
}

/// Why a template cannot be expanded. `position` is the 1-based character
/// offset of the `$` that starts the faulty reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandFault {
    #[error("has an unterminated `${{` at character {position}")]
    Unterminated { position: usize },
    #[error("has a `${{` without a valid variable name at character {position}")]
    BadName { position: usize },
    #[error("nests a `${{` inside the default of the reference at character {position}")]
    NestedDefault { position: usize },
    #[error("uses `${{{name}}}`, which is not set")]
    MissingVariable { name: String },
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    Variable {
        name: &'t str,
        default: Option<&'t str>,
    },
}

/// Expands `template`, looking variables up in `variables`.
pub(crate) fn expand(template: &str, variables: &Variables) -> Result<String, ExpandFault> {
    // Split the whole template first, so a syntax error is reported even
    // when an earlier variable is missing.
    let pieces = split(template)?;
    let mut expanded = String::with_capacity(template.len());
    for piece in pieces {
        match piece {
            Piece::Text(text) => expanded.push_str(text),
            Piece::Variable { name, default } => match (variables.get(name), default) {
                (Some(""), Some(default)) => expanded.push_str(default),
                (Some(value), _) => expanded.push_str(value),
                (None, Some(default)) => expanded.push_str(default),
                (None, None) => {
                    return Err(ExpandFault::MissingVariable {
                        name: name.to_owned(),
                    });
                }
            },
        }
    }
    Ok(expanded)
}

/// Expands a URL template. Variables that stand in the user-info part of the
/// template's authority (before a literal `@`, as in
/// `postgres://app:${PW}@db/app`) are percent-encoded, so that a password
/// holding `@`, `/`, `:` or `#` cannot change where the password ends (and
/// leak its tail into the host or path, which are printed unredacted).
/// Everywhere else, values are inserted as they are.
pub(crate) fn expand_url(template: &str, variables: &Variables) -> Result<String, ExpandFault> {
    let pieces = split(template)?;
    let in_user_info = user_info_pieces(&pieces);
    let mut expanded = String::with_capacity(template.len());
    for (index, piece) in pieces.into_iter().enumerate() {
        match piece {
            Piece::Text(text) => expanded.push_str(text),
            Piece::Variable { name, default } => {
                let value = match (variables.get(name), default) {
                    (Some(""), Some(default)) => default,
                    (Some(value), _) => value,
                    (None, Some(default)) => default,
                    (None, None) => {
                        return Err(ExpandFault::MissingVariable {
                            name: name.to_owned(),
                        });
                    }
                };
                if in_user_info.contains(&index) {
                    expanded.extend(utf8_percent_encode(value, USER_INFO));
                } else {
                    expanded.push_str(value);
                }
            }
        }
    }
    Ok(expanded)
}

/// Everything but RFC 3986's unreserved characters.
const USER_INFO: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Indexes of the variable pieces between `://` and the last literal `@` of
/// the authority (which ends at the first literal `/`, `?` or `#`).
fn user_info_pieces(pieces: &[Piece<'_>]) -> Vec<usize> {
    let mut authority = None;
    let mut at_sign = None;
    for (index, piece) in pieces.iter().enumerate() {
        let Piece::Text(text) = piece else { continue };
        let mut rest: &str = text;
        if authority.is_none() {
            match text.find("://") {
                Some(found) => {
                    authority = Some(index);
                    rest = &text[found + 3..];
                }
                None => continue,
            }
        }
        let end = rest.find(['/', '?', '#']);
        let searched = end.map_or(rest, |end| &rest[..end]);
        if searched.contains('@') {
            at_sign = Some(index);
        }
        if end.is_some() {
            break;
        }
    }
    match (authority, at_sign) {
        (Some(start), Some(end)) => (start + 1..end)
            .filter(|&i| matches!(pieces[i], Piece::Variable { .. }))
            .collect(),
        _ => Vec::new(),
    }
}

/// The names of the variables `template` refers to, or none if the template
/// is malformed (expanding it will report why).
pub(crate) fn referenced_variables(template: &str) -> Vec<&str> {
    split(template)
        .map(|pieces| {
            pieces
                .into_iter()
                .filter_map(|piece| match piece {
                    Piece::Variable { name, .. } => Some(name),
                    Piece::Text(_) => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn split(template: &str) -> Result<Vec<Piece<'_>>, ExpandFault> {
    let mut pieces = Vec::new();
    let mut pos = 0;
    while let Some(found) = template[pos..].find('$') {
        let dollar = pos + found;
        if dollar > pos {
            pieces.push(Piece::Text(&template[pos..dollar]));
        }
        let after = &template[dollar + 1..];
        if after.starts_with('$') {
            pieces.push(Piece::Text("$"));
            pos = dollar + 2;
        } else if after.starts_with('{') {
            let (piece, end) = split_reference(template, dollar)?;
            pieces.push(piece);
            pos = end;
        } else {
            pieces.push(Piece::Text("$"));
            pos = dollar + 1;
        }
    }
    if pos < template.len() {
        pieces.push(Piece::Text(&template[pos..]));
    }
    Ok(pieces)
}

/// Reads the `${...}` starting at byte `dollar`; returns it and the byte
/// offset just past its `}`.
fn split_reference(template: &str, dollar: usize) -> Result<(Piece<'_>, usize), ExpandFault> {
    let position = template[..dollar].chars().count() + 1;
    let body_start = dollar + 2;
    let close = template[body_start..]
        .find('}')
        .ok_or(ExpandFault::Unterminated { position })?;
    let body = &template[body_start..body_start + close];
    let (name, default) = match body.split_once(":-") {
        Some((name, default)) => (name, Some(default)),
        None => (body, None),
    };
    if !is_variable_name(name) {
        return Err(ExpandFault::BadName { position });
    }
    if default.is_some_and(|default| default.contains("${")) {
        return Err(ExpandFault::NestedDefault { position });
    }
    Ok((Piece::Variable { name, default }, body_start + close + 1))
}

fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variables() -> Variables {
        let lookup = |name: &str| match name {
            "USER" => Some("app".to_owned()),
            "PW" => Some("s3cr3t".to_owned()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        Variables::capture(["USER", "PW", "EMPTY", "MISSING", "NOPE"], &lookup)
    }

    #[test]
    fn url_user_info_values_are_percent_encoded() {
        let lookup = |name: &str| match name {
            "PW" => Some("ab@cd/TAIL:x#y".to_owned()),
            "HOST" => Some("db.internal".to_owned()),
            "URL" => Some("postgres://u:p@h/d".to_owned()),
            _ => None,
        };
        let vars = Variables::capture(["PW", "HOST", "URL"], &lookup);
        let cases = [
            (
                "postgres://app:${PW}@${HOST}/app",
                "postgres://app:ab%40cd%2FTAIL%3Ax%23y@db.internal/app",
            ),
            (
                "postgres://${PW}@db/app",
                "postgres://ab%40cd%2FTAIL%3Ax%23y@db/app",
            ),
            // No literal `@` in the authority: nothing is user info.
            (
                "postgres://${HOST}:5432/app",
                "postgres://db.internal:5432/app",
            ),
            ("${URL}", "postgres://u:p@h/d"),
            // After the authority, values are inserted as they are.
            (
                "postgres://app@db/app?application_name=${HOST}",
                "postgres://app@db/app?application_name=db.internal",
            ),
        ];
        for (template, expected) in cases {
            assert_eq!(
                expand_url(template, &vars).as_deref(),
                Ok(expected),
                "{template}"
            );
        }
        let parsed =
            url::Url::parse(&expand_url("postgres://app:${PW}@db/app", &vars).unwrap()).unwrap();
        assert_eq!(parsed.host_str(), Some("db"));
        assert_eq!(parsed.path(), "/app");
    }

    #[test]
    fn expands_references_and_keeps_other_text() {
        let cases = [
            ("plain", "plain"),
            ("", ""),
            ("${USER}", "app"),
            (
                "postgres://${USER}:${PW}@db/app",
                "postgres://app:s3cr3t@db/app",
            ),
            ("${MISSING:-fallback}", "fallback"),
            ("${USER:-fallback}", "app"),
            ("${EMPTY:-fallback}", "fallback"),
            ("${EMPTY}", ""),
            ("${MISSING:-}", ""),
            ("${MISSING:-a:-b}", "a:-b"),
            ("$$", "$"),
            ("$${USER}", "${USER}"),
            ("pa$word", "pa$word"),
            ("end$", "end$"),
            ("é${USER}ü", "éappü"),
        ];
        for (template, expected) in cases {
            assert_eq!(
                expand(template, &variables()).as_deref(),
                Ok(expected),
                "{template}"
            );
        }
    }

    #[test]
    fn reports_faults_by_position_without_echoing_the_template() {
        let cases = [
            ("${USER", ExpandFault::Unterminated { position: 1 }),
            ("ab${USER:-x", ExpandFault::Unterminated { position: 3 }),
            ("éé${1ABC}", ExpandFault::BadName { position: 3 }),
            ("${}", ExpandFault::BadName { position: 1 }),
            ("${A-default}", ExpandFault::BadName { position: 1 }),
            ("${A B}", ExpandFault::BadName { position: 1 }),
            ("${A:-${B}}", ExpandFault::NestedDefault { position: 1 }),
            (
                "${NOPE}",
                ExpandFault::MissingVariable {
                    name: "NOPE".to_owned(),
                },
            ),
            // A syntax error wins over an earlier missing variable.
            ("${NOPE}${", ExpandFault::Unterminated { position: 8 }),
        ];
        for (template, expected) in cases {
            let fault = expand(template, &variables()).expect_err(template);
            assert_eq!(fault, expected, "{template}");
        }
        let message = expand("hunter2${", &variables())
            .expect_err("unterminated")
            .to_string();
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn captured_variables_debug_without_values() {
        let debug = format!("{:?}", variables());
        assert!(debug.contains("PW"), "{debug}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(!debug.contains("MISSING"), "{debug}");
    }

    #[test]
    fn lists_referenced_variables_of_well_formed_templates_only() {
        assert_eq!(referenced_variables("${A}-$${B}-${C:-x}"), vec!["A", "C"]);
        assert!(referenced_variables("${A}${").is_empty());
        assert!(referenced_variables("no references").is_empty());
    }
}
