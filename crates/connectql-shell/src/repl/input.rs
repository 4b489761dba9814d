//! Scripts read as a stream: `-e`, `-f FILE`, stdin, `.read FILE` and the
//! init file are cut into pieces that each end at a top-level `;` (or a
//! meta-command's line end, or the end of the input) while they are read,
//! so memory stays flat however long the input is. Each piece is at most
//! [`MAX_STATEMENT_BYTES`]; past that, or at a NUL byte or invalid UTF-8,
//! reading stops with an error naming the line.
//!
//! The cut follows SQLite's tokens (strings `'…'`, identifiers `"…"`,
//! `` `…` `` and `[…]`, comments `--` and `/* */`), so a `;` inside any of
//! them does not end a piece; each piece is then split and classified by
//! [`crate::sql::split_script`] exactly as a whole script would be.

use std::io::{BufRead, ErrorKind};

use crate::error::Error;

/// The longest statement or meta-command connectql reads from a script.
pub const MAX_STATEMENT_BYTES: usize = 1024 * 1024;

/// Where the tokenizer is inside a piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    /// Between pieces: whitespace and comments are skipped, not kept.
    Start,
    /// A `-` or `/` before the piece starts: a comment if the next byte
    /// makes one.
    StartMaybeComment(u8),
    /// In a `--` comment before the piece starts.
    StartLineComment,
    /// In a `/* */` comment before the piece starts.
    StartBlockComment,
    /// In a meta-command's line.
    Meta,
    /// In a statement, outside strings and comments.
    Code,
    /// Inside a string or quoted identifier that this byte closes
    /// (`'`, `"`, `` ` `` or `]`).
    Quoted(u8),
    LineComment,
    BlockComment,
}

/// Pieces of a script, read as they are needed.
pub struct Pieces<R> {
    reader: R,
    cut: Cutter,
    finished: bool,
}

/// The tokenizer's state across reads.
struct Cutter {
    /// What the input is called in errors (`stdin`, a path, `-e`).
    name: String,
    lex: Lex,
    /// The previous byte, for two-byte tokens (`--`, `/*`, `*/`).
    previous: u8,
    /// The line the next byte is on (1-based).
    line: usize,
    /// The line the current piece started on.
    piece_line: usize,
    /// The input is at its end.
    ended: bool,
}

impl<R: BufRead> Pieces<R> {
    pub fn new(reader: R, name: impl Into<String>) -> Pieces<R> {
        Pieces {
            reader,
            cut: Cutter {
                name: name.into(),
                lex: Lex::Start,
                previous: 0,
                line: 1,
                piece_line: 1,
                ended: false,
            },
            finished: false,
        }
    }

    /// The next piece (a statement with its `;`, or a meta-command line),
    /// `None` at the end. After an error the input is not read further.
    pub fn next_piece(&mut self) -> Result<Option<String>, Error> {
        if self.finished {
            return Ok(None);
        }
        let result = self.cut.read_piece(&mut self.reader);
        if self.cut.ended || !matches!(result, Ok(Some(_))) {
            self.finished = true;
        }
        result
    }
}

impl Cutter {
    fn read_piece(&mut self, reader: &mut impl BufRead) -> Result<Option<String>, Error> {
        let mut piece: Vec<u8> = Vec::new();
        loop {
            let buf = match reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(Error::Config(format!("cannot read {}: {e}", self.name)));
                }
            };
            if buf.is_empty() {
                self.ended = true;
                // The end: what is left is the last piece (an unterminated
                // comment is kept for the parser to report).
                match self.lex {
                    Lex::StartBlockComment => piece.extend_from_slice(b"/*"),
                    Lex::StartMaybeComment(b) => piece.push(b),
                    _ => {}
                }
                let text = self.finish(piece)?;
                return Ok((!text.trim().is_empty()).then_some(text));
            }
            let mut used = 0;
            let mut complete = false;
            for &b in buf {
                used += 1;
                if b == 0 {
                    return Err(Error::Refused(format!(
                        "{} has a NUL byte on line {}: connectql reads text (SQL statements and meta-commands); the rest of {} is not run",
                        self.name, self.line, self.name
                    )));
                }
                if piece.is_empty() {
                    self.piece_line = self.line;
                }
                complete = self.step(b, &mut piece);
                if b == b'\n' {
                    self.line += 1;
                }
                if piece.len() > MAX_STATEMENT_BYTES {
                    return Err(Error::Refused(format!(
                        "the statement starting on line {} of {} is longer than {} MiB, the most connectql reads as one statement; the rest of {} is not run",
                        self.piece_line,
                        self.name,
                        MAX_STATEMENT_BYTES / (1024 * 1024),
                        self.name
                    )));
                }
                if complete {
                    break;
                }
            }
            reader.consume(used);
            if complete {
                return self.finish(piece).map(Some);
            }
        }
    }

    /// Advances the tokenizer over `b`, keeping what belongs to the piece;
    /// returns true when `b` ends the piece.
    fn step(&mut self, b: u8, piece: &mut Vec<u8>) -> bool {
        let previous = std::mem::replace(&mut self.previous, b);
        match self.lex {
            Lex::Start => {
                match b {
                    _ if b.is_ascii_whitespace() => {}
                    b'-' | b'/' => self.lex = Lex::StartMaybeComment(b),
                    b'.' | b'\\' => {
                        self.lex = Lex::Meta;
                        piece.push(b);
                    }
                    _ => {
                        self.lex = Lex::Code;
                        return self.code(b, previous, piece);
                    }
                }
                false
            }
            Lex::StartMaybeComment(first) => match (first, b) {
                (b'-', b'-') => {
                    self.lex = Lex::StartLineComment;
                    false
                }
                (b'/', b'*') => {
                    self.lex = Lex::StartBlockComment;
                    // `/*/` does not close it.
                    self.previous = 0;
                    false
                }
                _ => {
                    self.lex = Lex::Code;
                    piece.push(first);
                    self.code(b, first, piece)
                }
            },
            Lex::StartLineComment => {
                if b == b'\n' {
                    self.lex = Lex::Start;
                }
                false
            }
            Lex::StartBlockComment => {
                if previous == b'*' && b == b'/' {
                    self.lex = Lex::Start;
                    // `*/` must not start `/*` again.
                    self.previous = 0;
                }
                false
            }
            Lex::Meta => {
                if b == b'\n' {
                    self.lex = Lex::Start;
                    return true;
                }
                piece.push(b);
                false
            }
            Lex::Code => self.code(b, previous, piece),
            Lex::Quoted(close) => {
                // A doubled quote ('it''s') closes and reopens: same state.
                if b == close {
                    self.lex = Lex::Code;
                }
                piece.push(b);
                false
            }
            Lex::LineComment => {
                if b == b'\n' {
                    self.lex = Lex::Code;
                }
                piece.push(b);
                false
            }
            Lex::BlockComment => {
                if previous == b'*' && b == b'/' {
                    self.lex = Lex::Code;
                    self.previous = 0;
                }
                piece.push(b);
                false
            }
        }
    }

    /// A byte of a statement outside strings and comments; true at the
    /// `;` that ends it.
    fn code(&mut self, b: u8, previous: u8, piece: &mut Vec<u8>) -> bool {
        piece.push(b);
        match b {
            b'\'' | b'"' | b'`' => self.lex = Lex::Quoted(b),
            b'[' => self.lex = Lex::Quoted(b']'),
            b'-' if previous == b'-' => self.lex = Lex::LineComment,
            b'*' if previous == b'/' => {
                self.lex = Lex::BlockComment;
                // `/*/` does not close it.
                self.previous = 0;
            }
            b';' => {
                self.lex = Lex::Start;
                return true;
            }
            _ => {}
        }
        false
    }

    /// The piece as text.
    fn finish(&self, piece: Vec<u8>) -> Result<String, Error> {
        String::from_utf8(piece).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = self.piece_line + valid.iter().filter(|&&b| b == b'\n').count();
            Error::Refused(format!(
                "{} is not valid UTF-8 on line {line}: connectql reads text (SQL statements and meta-commands); the rest of {} is not run",
                self.name, self.name
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<String> {
        let mut p = Pieces::new(text.as_bytes(), "test");
        let mut out = Vec::new();
        while let Some(piece) = p.next_piece().unwrap() {
            out.push(piece);
        }
        out
    }

    #[test]
    fn pieces_end_at_top_level_semicolons_and_meta_lines() {
        assert_eq!(
            pieces("SELECT 'a;b' FROM x; -- c;d\n.output json\nSELECT \"q;\" /* ; */ FROM y;\n  \n SELECT 1"),
            vec![
                "SELECT 'a;b' FROM x;",
                ".output json",
                "SELECT \"q;\" /* ; */ FROM y;",
                "SELECT 1"
            ]
        );
        assert_eq!(
            pieces("SELECT [a;b], `c;d`, 'it''s;' AS x; /* .mode csv; */ \\o out.txt\nSELECT 2;"),
            vec![
                "SELECT [a;b], `c;d`, 'it''s;' AS x;",
                "\\o out.txt",
                "SELECT 2;"
            ]
        );
        // An unterminated comment or string runs to the end, for the
        // parser to report.
        assert_eq!(
            pieces("SELECT 1; /* open ; SELECT 2;"),
            vec!["SELECT 1;", "/*"]
        );
        assert_eq!(
            pieces("SELECT 'open ; SELECT 2;"),
            vec!["SELECT 'open ; SELECT 2;"]
        );
        assert!(pieces("  \n -- only a comment\n").is_empty());
    }

    #[test]
    fn pieces_split_like_the_whole_script() {
        let script = "-- setup\n.mode csv\nSELECT 1 AS a; SELECT 'x;y' -- ;\n AS b;\n/* c */ .timing on\nSELECT 3\n";
        let streamed: Vec<String> = pieces(script)
            .iter()
            .flat_map(|p| crate::sql::split_script(p).unwrap())
            .collect();
        assert_eq!(
            streamed,
            vec![
                ".mode csv",
                "SELECT 1 AS a;",
                "SELECT 'x;y' -- ;\n AS b;",
                ".timing on",
                "SELECT 3"
            ]
        );
    }

    #[test]
    fn long_statements_nul_and_invalid_utf8_are_errors() {
        let long = format!("SELECT '{}';", "x".repeat(MAX_STATEMENT_BYTES));
        let script = format!("SELECT 1;\n{long}");
        let mut p = Pieces::new(script.as_bytes(), "big.sql");
        assert_eq!(p.next_piece().unwrap(), Some("SELECT 1;".to_string()));
        let e = p.next_piece().unwrap_err().to_string();
        assert!(e.contains("line 2 of big.sql is longer than 1 MiB"), "{e}");
        let mut nul = Pieces::new(&b"SELECT 1;\nSELECT '\0';"[..], "stdin");
        assert_eq!(nul.next_piece().unwrap(), Some("SELECT 1;".into()));
        let e = nul.next_piece().unwrap_err().to_string();
        assert!(e.contains("stdin has a NUL byte on line 2"), "{e}");
        assert_eq!(nul.next_piece().unwrap(), None, "reading stopped");
        let mut bad = Pieces::new(&b"SELECT 1;\n\nSELECT '\xff';"[..], "x.sql");
        bad.next_piece().unwrap();
        let e = bad.next_piece().unwrap_err().to_string();
        assert!(e.contains("x.sql is not valid UTF-8 on line 3"), "{e}");
    }
}
