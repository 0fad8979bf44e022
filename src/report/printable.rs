//! Text from outside wsdb made safe for a terminal: workspace ids, groups and
//! locations from the control query, messages from servers, rows of history
//! tables and of the ledger. Control characters and bidirectional-text
//! controls are shown escaped (`\u{1b}`, `\n`, `\u{202e}`), so a hostile
//! value can neither move the cursor, retitle the window, recolour or
//! reorder what follows, nor break a table row. JSON output needs none of
//! this: its strings escape control characters already.

use std::borrow::Cow;

/// `text` with every control character and bidirectional control escaped;
/// borrowed when there is nothing to escape (the usual case).
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_line_breaks_are_shown_escaped() {
        assert_eq!(
            printable("\u{1b}]0;title\u{7}\u{1b}[31mred"),
            "\\u{1b}]0;title\\u{7}\\u{1b}[31mred"
        );
        assert_eq!(printable("line\nbreak\ttab\r"), "line\\nbreak\\ttab\\r");
        assert_eq!(printable("\u{202e}rtl\u{2066}"), "\\u{202e}rtl\\u{2066}");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for text in ["acme", "o'brien; [x] \"y\"", "日本語-тенант-🚀", ""] {
            assert!(matches!(printable(text), Cow::Borrowed(t) if t == text));
        }
    }
}
