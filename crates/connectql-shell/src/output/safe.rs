//! Terminal safety, decided here and nowhere else: text from the server
//! (names, descriptions, flow content, tags, error messages) and from the
//! session (completion candidates built from names it has seen) must never
//! drive a terminal or read differently from what it holds. Unsafe are
//!
//! * control characters: C0, DEL and C1 (`ESC ] 0 ; … BEL` sets a window
//!   title, `ESC [ 2 J` clears the screen, CSI `U+009B` starts a sequence);
//! * format characters (Unicode category Cf): the bidirectional controls
//!   that reorder a line (U+202E RIGHT-TO-LEFT OVERRIDE...) and the
//!   invisible ones that hide a difference (U+200B–U+200D zero widths,
//!   U+2060 WORD JOINER, U+FEFF, U+00AD SOFT HYPHEN, tag characters...);
//! * the line and paragraph separators U+2028 and U+2029, which some
//!   terminals and most viewers treat as line breaks.
//!
//! On a terminal they are shown as visible escapes (`\u{1b}`, `\n`,
//! `\u{202e}`) in every format: table, expanded and text escape each value,
//! csv each field, json writes them as JSON `\uXXXX` escapes (the same JSON
//! value). Files and pipes get the exact bytes.

use std::borrow::Cow;

/// True for characters that must not reach a terminal raw.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Unicode's format characters (general category Cf): invisible, and
/// some of them reorder or join what is around them.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061c}'
            | '\u{06dd}'
            | '\u{070f}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
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
    fn separators_and_invisible_characters_are_unsafe() {
        for c in [
            '\u{2028}',
            '\u{2029}',
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{2060}',
            '\u{feff}',
            '\u{ad}',
            '\u{061c}',
            '\u{2066}',
            '\u{e0041}',
            '\u{7f}',
            '\u{85}',
            '\u{9b}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
            assert_eq!(line(&c.to_string()), c.escape_default().to_string());
        }
        for c in ['a', 'é', '東', '€', ' ', '\u{a0}', '😀', '\u{301}'] {
            assert!(!is_unsafe(c), "{c:?}");
        }
        assert_eq!(line("a\u{2028}b"), "a\\u{2028}b");
    }

    #[test]
    fn json_stays_the_same_value() {
        let v = serde_json::json!({"a": "x\u{202e}y\u{9b}z\u{7f}\u{2028}\u{200b}", "b": "\u{1b}"});
        let s = json(serde_json::to_string(&v).unwrap());
        assert!(!s.chars().any(is_unsafe), "{s}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }
}
