//! Reading a parsed TOML document with a position for every value.
//!
//! Owns [`Section`]: a view of one table that hands out typed values
//! ([`Item`]s carrying their dotted key and 1-based line), remembers which
//! keys it was asked for, and refuses the others with a did-you-mean. The
//! keys a section is asked for *are* its schema, so there is no second list
//! to keep in step. It does not know what the keys mean nor validate values
//! (see `raw.rs` and `resolve.rs`).
//!
//! Why not `#[derive(Deserialize)]` with `deny_unknown_fields`: toml's serde
//! errors carry a byte span but give the key path, the unknown key and the
//! expected type only as prose, and every error here must name its key and
//! line, suggest the closest known key, and say expected vs found. Walking
//! toml's spanned `DeTable` gives all of that as data.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::error::{ConfigError, Problem, did_you_mean};

/// The file being read: its name for errors and its text for line numbers.
pub(crate) struct Source<'a> {
    pub(crate) path: &'a Path,
    text: &'a str,
}

impl<'a> Source<'a> {
    pub(crate) fn new(path: &'a Path, text: &'a str) -> Self {
        Source { path, text }
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count()
            + 1
    }

    /// Parses the document; a syntax error points at its line.
    pub(crate) fn parse(&self) -> Result<Spanned<DeTable<'a>>, ConfigError> {
        DeTable::parse(self.text).map_err(|error| {
            let problem = Problem::Syntax {
                message: error.message().to_owned(),
            };
            let located = ConfigError::new(self.path, problem);
            match error.span() {
                Some(span) => located.at_line(self.line(span.start)),
                None => located,
            }
        })
    }

    pub(crate) fn error(&self, key: &str, span: &Range<usize>, problem: Problem) -> ConfigError {
        ConfigError::new(self.path, problem).at(key, self.line(span.start))
    }
}

/// A value from the file and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item<T> {
    pub(crate) value: T,
    /// Dotted key path, e.g. `env.dev.pool.idle_timeout`.
    pub(crate) key: String,
    pub(crate) line: usize,
}

impl<T> Item<T> {
    pub(crate) fn map<U>(self, convert: impl FnOnce(T) -> U) -> Item<U> {
        Item {
            value: convert(self.value),
            key: self.key,
            line: self.line,
        }
    }
}

type Entry<'a, 'i> = (&'a Spanned<DeString<'i>>, &'a Spanned<DeValue<'i>>);

/// One table of the document. Ask for every key it may hold, then call
/// [`Section::finish`] to refuse the rest.
pub(crate) struct Section<'a, 'i> {
    source: &'a Source<'a>,
    table: &'a DeTable<'i>,
    key: String,
    line: usize,
    known: Vec<&'static str>,
}

impl<'a, 'i> Section<'a, 'i> {
    pub(crate) fn root(source: &'a Source<'a>, document: &'a Spanned<DeTable<'i>>) -> Self {
        Section {
            source,
            table: document.get_ref(),
            key: String::new(),
            line: 1,
            known: Vec::new(),
        }
    }

    /// Dotted path of this table (empty for the root).
    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    /// Line where this table is declared.
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    fn child_key(&self, name: &str) -> String {
        let segment = key_segment(name);
        if self.key.is_empty() {
            segment
        } else {
            format!("{}.{segment}", self.key)
        }
    }

    fn lookup(&mut self, name: &'static str) -> Option<Entry<'a, 'i>> {
        self.known.push(name);
        self.table.iter().find(|(key, _)| key.get_ref() == name)
    }

    fn item<T>(&self, name: &str, value: &Spanned<DeValue<'i>>, inner: T) -> Item<T> {
        Item {
            value: inner,
            key: self.child_key(name),
            line: self.source.line(value.span().start),
        }
    }

    fn wrong_type(
        &self,
        name: &str,
        value: &Spanned<DeValue<'i>>,
        expected: &'static str,
    ) -> ConfigError {
        self.wrong_type_with_hint(name, value, expected, None)
    }

    fn wrong_type_with_hint(
        &self,
        name: &str,
        value: &Spanned<DeValue<'i>>,
        expected: &'static str,
        hint: Option<&'static str>,
    ) -> ConfigError {
        let problem = Problem::WrongType {
            expected,
            found: type_with_article(value.get_ref()),
            hint,
        };
        self.source
            .error(&self.child_key(name), &value.span(), problem)
    }

    pub(crate) fn string(
        &mut self,
        name: &'static str,
    ) -> Result<Option<Item<String>>, ConfigError> {
        let Some((_, value)) = self.lookup(name) else {
            return Ok(None);
        };
        match value.get_ref() {
            DeValue::String(text) => Ok(Some(self.item(name, value, text.to_string()))),
            _ => Err(self.wrong_type(name, value, "a string")),
        }
    }

    pub(crate) fn boolean(
        &mut self,
        name: &'static str,
    ) -> Result<Option<Item<bool>>, ConfigError> {
        let Some((_, value)) = self.lookup(name) else {
            return Ok(None);
        };
        match value.get_ref() {
            DeValue::Boolean(flag) => Ok(Some(self.item(name, value, *flag))),
            _ => Err(self.wrong_type(name, value, "`true` or `false`")),
        }
    }

    pub(crate) fn integer(&mut self, name: &'static str) -> Result<Option<Item<i64>>, ConfigError> {
        let Some((_, value)) = self.lookup(name) else {
            return Ok(None);
        };
        let DeValue::Integer(integer) = value.get_ref() else {
            return Err(self.wrong_type(name, value, "an integer"));
        };
        // The parser checks the digits but not the magnitude.
        match i64::from_str_radix(integer.as_str(), integer.radix()) {
            Ok(number) => Ok(Some(self.item(name, value, number))),
            Err(_) => {
                let problem = Problem::InvalidValue {
                    expected: "an integer of at most 64 bits".to_owned(),
                    found: integer.to_string(),
                    hint: None,
                };
                Err(self
                    .source
                    .error(&self.child_key(name), &value.span(), problem))
            }
        }
    }

    /// A duration is a string; an integer is refused here already, with
    /// the duration hint, because its unit is anyone's guess.
    pub(crate) fn duration(
        &mut self,
        name: &'static str,
    ) -> Result<Option<Item<String>>, ConfigError> {
        let Some((_, value)) = self.lookup(name) else {
            return Ok(None);
        };
        match value.get_ref() {
            DeValue::String(text) => Ok(Some(self.item(name, value, text.to_string()))),
            DeValue::Integer(integer) => {
                let problem = Problem::BadDuration {
                    found: integer.to_string(),
                    source: super::DurationError::MissingUnit {
                        number: integer.to_string(),
                    },
                };
                Err(self
                    .source
                    .error(&self.child_key(name), &value.span(), problem))
            }
            _ => Err(self.wrong_type(name, value, "a duration string such as \"10s\"")),
        }
    }

    /// The sub-table `name`, if present.
    pub(crate) fn table(
        &mut self,
        name: &'static str,
    ) -> Result<Option<Section<'a, 'i>>, ConfigError> {
        let Some((key, value)) = self.lookup(name) else {
            return Ok(None);
        };
        self.section_of(key, value, None).map(Some)
    }

    /// Every entry of this table as a sub-table (for `[env.NAME]`): a
    /// table whose keys are names the user chooses. `hint` says where
    /// settings go when an entry is not a table.
    pub(crate) fn sub_tables(
        &mut self,
        hint: &'static str,
    ) -> Result<Vec<(String, Section<'a, 'i>)>, ConfigError> {
        let mut entries: Vec<Entry<'a, 'i>> = self.table.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        entries
            .into_iter()
            .map(|(key, value)| {
                Ok((
                    key.get_ref().to_string(),
                    self.section_of(key, value, Some(hint))?,
                ))
            })
            .collect()
    }

    fn section_of(
        &self,
        key: &'a Spanned<DeString<'i>>,
        value: &'a Spanned<DeValue<'i>>,
        hint: Option<&'static str>,
    ) -> Result<Section<'a, 'i>, ConfigError> {
        match value.get_ref() {
            DeValue::Table(table) => Ok(Section {
                source: self.source,
                table,
                key: self.child_key(key.get_ref()),
                line: self.source.line(key.span().start),
                known: Vec::new(),
            }),
            _ => Err(self.wrong_type_with_hint(key.get_ref(), value, "a table", hint)),
        }
    }

    /// Refuses the first key (in file order) nobody asked for.
    pub(crate) fn finish(self) -> Result<(), ConfigError> {
        let unknown = self
            .table
            .iter()
            .map(|(key, _)| key)
            .filter(|key| !self.known.contains(&key.get_ref().as_ref()))
            .min_by_key(|key| key.span().start);
        let Some(key) = unknown else {
            return Ok(());
        };
        let problem = Problem::UnknownKey {
            suggestion: did_you_mean(key.get_ref(), self.known.iter().copied()),
            known: self.known.clone(),
        };
        Err(self
            .source
            .error(&self.child_key(key.get_ref()), &key.span(), problem))
    }
}

/// A key as it would be written in TOML: bare when it can be, quoted if not.
fn key_segment(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

fn type_with_article(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigErrorKind;

    fn with_section<R>(text: &str, read: impl FnOnce(Section<'_, '_>) -> R) -> R {
        let source = Source::new(Path::new("test.toml"), text);
        let document = source.parse().expect("valid TOML");
        read(Section::root(&source, &document))
    }

    #[test]
    fn lines_count_from_one() {
        let source = Source::new(Path::new("t.toml"), "a = 1\n\nb = 2\n");
        assert_eq!(source.line(0), 1);
        assert_eq!(source.line(7), 3);
        assert_eq!(source.line(1000), 4);
    }

    #[test]
    fn typed_values_carry_key_and_line() {
        let text = "name = \"x\"\n[pool]\nsize = 0x10\nflag = true\nwait = \"5s\"\n";
        with_section(text, |mut root| {
            let name = root.string("name").expect("string").expect("present");
            assert_eq!(
                (name.value.as_str(), name.key.as_str(), name.line),
                ("x", "name", 1)
            );
            let mut pool = root.table("pool").expect("table").expect("present");
            root.finish().expect("no unknown keys");
            assert_eq!(pool.key(), "pool");
            assert_eq!(pool.line(), 2);
            let size = pool.integer("size").expect("integer").expect("present");
            assert_eq!(
                (size.value, size.key.as_str(), size.line),
                (16, "pool.size", 3)
            );
            assert_eq!(
                pool.boolean("flag").expect("bool").map(|item| item.value),
                Some(true)
            );
            assert_eq!(
                pool.duration("wait").expect("text").map(|item| item.value),
                Some("5s".to_owned())
            );
            assert_eq!(pool.string("absent").expect("absent is fine"), None);
            pool.finish().expect("no unknown keys");
        });
    }

    #[test]
    fn wrong_types_say_expected_and_found() {
        let text =
            "\nname = 3\nflag = \"yes\"\ncount = \"5\"\nwait = 30\nhuge = 99999999999999999999\n";
        type Read = fn(&mut Section<'_, '_>) -> Result<(), ConfigError>;
        let cases: [(&str, Read, ConfigErrorKind, usize, &str); 5] = [
            (
                "name",
                |s| s.string("name").map(drop),
                ConfigErrorKind::WrongType,
                2,
                "must be a string, found an integer",
            ),
            (
                "flag",
                |s| s.boolean("flag").map(drop),
                ConfigErrorKind::WrongType,
                3,
                "must be `true` or `false`, found a string",
            ),
            (
                "count",
                |s| s.integer("count").map(drop),
                ConfigErrorKind::WrongType,
                4,
                "must be an integer, found a string",
            ),
            (
                "wait",
                |s| s.duration("wait").map(drop),
                ConfigErrorKind::BadDuration,
                5,
                "the number `30` has no unit",
            ),
            (
                "huge",
                |s| s.integer("huge").map(drop),
                ConfigErrorKind::InvalidValue,
                6,
                "at most 64 bits",
            ),
        ];
        for (key, read, kind, line, message) in cases {
            let error = with_section(text, |mut root| read(&mut root)).expect_err(key);
            assert_eq!(error.kind(), kind, "{key}");
            assert_eq!(error.line(), Some(line), "{key}");
            assert_eq!(error.key(), Some(key));
            assert!(error.to_string().contains(message), "{error}");
        }
    }

    #[test]
    fn unasked_keys_are_refused_first_in_file_order() {
        let text = "known = 1\nzz_unknown = 2\nidle_timout = 3\n";
        let error = with_section(text, |mut root| {
            root.integer("known").expect("integer");
            root.integer("idle_timeout").expect("absent");
            root.finish()
        })
        .expect_err("unknown keys");
        assert_eq!(error.kind(), ConfigErrorKind::UnknownKey);
        assert_eq!(error.key(), Some("zz_unknown"));
        assert_eq!(error.line(), Some(2));
    }

    #[test]
    fn sub_tables_keep_file_order_and_quote_odd_names() {
        let text = "[env.zeta]\n[env.alpha]\n[env.\"odd name\"]\n";
        let names = with_section(text, |mut root| {
            let mut env = root.table("env").expect("table").expect("present");
            let subs = env.sub_tables("hint").expect("tables");
            subs.iter()
                .map(|(name, section)| (name.clone(), section.key().to_owned(), section.line()))
                .collect::<Vec<_>>()
        });
        assert_eq!(
            names,
            vec![
                ("zeta".to_owned(), "env.zeta".to_owned(), 1),
                ("alpha".to_owned(), "env.alpha".to_owned(), 2),
                ("odd name".to_owned(), "env.\"odd name\"".to_owned(), 3),
            ]
        );
    }

    #[test]
    fn syntax_errors_point_at_their_line() {
        let source = Source::new(Path::new("bad.toml"), "a = 1\n[env.dev\nb = 2\n");
        let error = source.parse().expect_err("unclosed header");
        assert_eq!(error.kind(), ConfigErrorKind::Syntax);
        assert_eq!(error.line(), Some(2));
        assert!(
            error.to_string().starts_with("bad.toml:2: invalid TOML: "),
            "{error}"
        );
    }
}
