//! A small, forgiving SQL lexer for the shell: completion and highlighting
//! need to know, at any byte position, whether they are in a word, a string
//! or a comment, on text that is usually an unfinished statement. It never
//! fails and never allocates per token beyond the output vector; spans are
//! byte ranges on char boundaries.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword; dots are part of the word
    /// (`aws.connect.instance`, `i.region`).
    Word,
    /// `'...'`; `closed` is false when the text ends inside it.
    Str {
        closed: bool,
    },
    /// `"..."` or `` `...` ``.
    QuotedIdent {
        closed: bool,
    },
    Number,
    /// Operators and punctuation: `;`, `(`, `,`, `=`, `->`, `->>`...
    Punct,
    /// `-- ...` (closed by a newline) or `/* ... */`.
    Comment {
        closed: bool,
    },
    Space,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }
    pub fn is_significant(&self) -> bool {
        !matches!(self.kind, Kind::Space | Kind::Comment { .. })
    }
}

pub fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || c == '.'
}

const THREE_CHAR_OPS: [&str; 1] = ["->>"];
const TWO_CHAR_OPS: [&str; 8] = ["->", "<>", "!=", "<=", ">=", "==", "||", "<<"];

/// Splits `src` into tokens covering every byte.
pub fn lex(src: &str) -> Vec<Token> {
    let bytes = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 3 + 1);
    let mut i = 0;
    while i < src.len() {
        let c = src[i..].chars().next().unwrap_or(' ');
        let start = i;
        let kind;
        if c.is_whitespace() {
            i += c.len_utf8();
            while let Some(c) = src[i..].chars().next() {
                if !c.is_whitespace() {
                    break;
                }
                i += c.len_utf8();
            }
            kind = Kind::Space;
        } else if c == '\'' {
            let (end, closed) = quoted(src, i, b'\'');
            i = end;
            kind = Kind::Str { closed };
        } else if c == '"' || c == '`' {
            let (end, closed) = quoted(src, i, c as u8);
            i = end;
            kind = Kind::QuotedIdent { closed };
        } else if c == '-' && bytes.get(i + 1) == Some(&b'-') {
            match src[i..].find('\n') {
                Some(n) => {
                    i += n;
                    kind = Kind::Comment { closed: true };
                }
                None => {
                    i = src.len();
                    kind = Kind::Comment { closed: false };
                }
            }
        } else if c == '/' && bytes.get(i + 1) == Some(&b'*') {
            match src[i + 2..].find("*/") {
                Some(n) => {
                    i += 2 + n + 2;
                    kind = Kind::Comment { closed: true };
                }
                None => {
                    i = src.len();
                    kind = Kind::Comment { closed: false };
                }
            }
        } else if is_word_start(c) {
            i += c.len_utf8();
            while let Some(c) = src[i..].chars().next() {
                if !is_word_char(c) {
                    break;
                }
                i += c.len_utf8();
            }
            kind = Kind::Word;
        } else if c.is_ascii_digit() {
            i += 1;
            while let Some(c) = src[i..].chars().next() {
                if !(c.is_ascii_alphanumeric() || c == '.' || c == '_') {
                    break;
                }
                i += c.len_utf8();
            }
            kind = Kind::Number;
        } else {
            let rest = &src[i..];
            let len = THREE_CHAR_OPS
                .iter()
                .chain(TWO_CHAR_OPS.iter())
                .find(|op| rest.starts_with(*op))
                .map(|op| op.len())
                .unwrap_or(c.len_utf8());
            i += len;
            kind = Kind::Punct;
        }
        out.push(Token {
            kind,
            start,
            end: i,
        });
    }
    out
}

/// End of a quoted run starting at `start` (the opening quote), and whether
/// it was closed. A doubled quote is an escaped quote.
fn quoted(src: &str, start: usize, quote: u8) -> (usize, bool) {
    let bytes = src.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return (i + 1, true);
        }
        i += 1;
    }
    (src.len(), false)
}

/// True when `src` ends inside a string, quoted identifier or block
/// comment (so a statement cannot be complete yet).
pub fn ends_open(src: &str) -> bool {
    lex(src).last().is_some_and(|t| match t.kind {
        Kind::Str { closed: false } | Kind::QuotedIdent { closed: false } => true,
        Kind::Comment { closed: false } => t.text(src).starts_with("/*"),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, &str)> {
        lex(src).iter().map(|t| (t.kind, t.text(src))).collect()
    }

    #[test]
    fn words_strings_and_punctuation() {
        let k = kinds("SELECT a.b, 'it''s' FROM aws.connect.instance;");
        assert_eq!(k[0], (Kind::Word, "SELECT"));
        assert_eq!(k[2], (Kind::Word, "a.b"));
        assert_eq!(k[3], (Kind::Punct, ","));
        assert_eq!(k[5], (Kind::Str { closed: true }, "'it''s'"));
        assert_eq!(k[9], (Kind::Word, "aws.connect.instance"));
        assert_eq!(k[10], (Kind::Punct, ";"));
    }

    #[test]
    fn open_constructs() {
        assert_eq!(kinds("x = 'us-")[4], (Kind::Str { closed: false }, "'us-"));
        assert!(ends_open("SELECT 'abc"));
        assert!(ends_open("SELECT /* abc"));
        assert!(!ends_open("SELECT -- abc"));
        assert!(!ends_open("SELECT 'a';"));
        assert_eq!(kinds("a ->> '$.x'")[2], (Kind::Punct, "->>"));
    }

    #[test]
    fn unicode_is_covered() {
        let src = "SELECT 'héllo', naïve_名前 FROM x -- ünï\n";
        let toks = lex(src);
        let mut at = 0;
        for t in &toks {
            assert_eq!(t.start, at);
            at = t.end;
        }
        assert_eq!(at, src.len());
    }
}
