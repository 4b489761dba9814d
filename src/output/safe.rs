//! Terminal safety: text from the server (aliases, tag keys and values,
//! error messages) must never drive the terminal. Control characters (C0,
//! DEL, C1) and the bidirectional-text controls that can make a line read
//! differently from what it holds (U+202E RIGHT-TO-LEFT OVERRIDE...) are
//! shown as visible escapes: `\u{1b}`, `\n`, `\u{202e}`.
//!
//! Table, expanded, text-on-a-terminal and error output go through here;
//! json and csv keep the exact data (json with its own `\u` escapes).

use std::borrow::Cow;

/// True for characters that must not reach a terminal raw.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn push_escape(out: &mut String, c: char) {
    if c.is_control() {
        out.extend(c.escape_default());
    } else {
        out.extend(c.escape_unicode());
    }
}

/// One line of terminal-safe text: every unsafe character (newlines too)
/// escaped.
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Terminal-safe text that may span lines (messages, errors): newlines are
/// kept, every other unsafe character is escaped.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c != '\n' && is_unsafe(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with the characters JSON allows raw but a terminal should not
/// get (DEL, C1 controls, bidi controls) written as `\uXXXX` escapes: the
/// same JSON value, byte for byte safe to print. Outside strings serde_json
/// writes ASCII only, so every such character is inside a string.
pub fn json(s: String) -> String {
    if !s.chars().any(is_unsafe_in_json) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe_in_json(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// serde_json escapes C0 itself (and `\n` between lines of pretty output
/// is structure, not data).
fn is_unsafe_in_json(c: char) -> bool {
    is_unsafe(c) && c as u32 >= 0x7f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_overrides() {
        assert_eq!(line("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(line("x\ny\tz"), "x\\ny\\tz");
        assert_eq!(line("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(line("\u{9b}"), "\\u{9b}");
        assert!(matches!(line("plain ünïcode 東京"), Cow::Borrowed(_)));
        assert_eq!(text("one\ntwo\u{7}"), "one\ntwo\\u{7}");
    }

    #[test]
    fn json_stays_the_same_value() {
        let v = serde_json::json!({"a": "x\u{202e}y\u{9b}z\u{7f}", "b": "\u{1b}"});
        let s = json(serde_json::to_string(&v).unwrap());
        assert!(!s.chars().any(is_unsafe), "{s}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }
}
