//! SQL front end: parsing (sqlparser, SQLite dialect), splitting scripts into
//! statements, and planning. Planning turns a statement into the API calls
//! it needs (which resources, regions and identifiers, which fields) plus the
//! SQL that the relational engine then runs over the fetched rows.

pub mod calls;
pub mod change;
pub mod params;
pub mod planner;
pub mod pushdown;
pub mod resolve;

use sqlparser::ast::Statement;
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::error::Error;

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_NESTING: usize = 64;

/// Operators in one statement: each one can deepen the syntax tree, and a
/// tree thousands of levels deep would exhaust the stack when walked.
const MAX_OPERATORS: usize = 1_000;
/// Tokens in one statement (a long string literal is one token).
const MAX_TOKENS: usize = 50_000;

/// Refuses statements whose size alone would make them dangerous to parse
/// or walk, with a clear message, before sqlparser builds a tree.
fn check_size(sql: &str) -> Result<(), Error> {
    use sqlparser::keywords::Keyword;
    let dialect = SQLiteDialect {};
    let tokens = Tokenizer::new(&dialect, sql)
        .tokenize()
        .map_err(|e| parse_error(sql, ParserError::TokenizerError(e.to_string())))?;
    let significant = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .count();
    if significant > MAX_TOKENS {
        return Err(Error::Unsupported(format!(
            "a statement of {significant} tokens; the limit is {MAX_TOKENS}"
        )));
    }
    let operators = tokens
        .iter()
        .filter(|t| match t {
            Token::Plus
            | Token::Minus
            | Token::Mul
            | Token::Div
            | Token::Mod
            | Token::StringConcat
            | Token::Eq
            | Token::DoubleEq
            | Token::Neq
            | Token::Lt
            | Token::Gt
            | Token::LtEq
            | Token::GtEq
            | Token::Ampersand
            | Token::Pipe
            | Token::Caret
            | Token::ShiftLeft
            | Token::ShiftRight
            | Token::Arrow
            | Token::LongArrow
            | Token::LParen => true,
            Token::Word(w) => matches!(w.keyword, Keyword::AND | Keyword::OR | Keyword::NOT),
            _ => false,
        })
        .count();
    if operators > MAX_OPERATORS {
        return Err(Error::Unsupported(format!(
            "a statement with {operators} operators and parentheses; the limit is {MAX_OPERATORS} \
             (use IN (...) for long lists of values)"
        )));
    }
    Ok(())
}

/// Parses exactly one statement.
pub fn parse_one(sql: &str) -> Result<Statement, Error> {
    check_size(sql)?;
    let dialect = SQLiteDialect {};
    let mut statements = Parser::new(&dialect)
        .with_recursion_limit(MAX_NESTING)
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| parse_error(sql, e))?;
    match statements.len() {
        1 => Ok(statements.remove(0)),
        0 => Err(Error::Parse {
            message: "empty statement".into(),
            sql: sql.into(),
            line: None,
            column: None,
        }),
        n => Err(Error::Unsupported(format!(
            "{n} statements in one; run them one at a time or separate them with `;` in a script"
        ))),
    }
}

/// Turns a sqlparser error into [`Error::Parse`], keeping the position
/// (sqlparser appends ` at Line: L, Column: C` to its messages).
pub fn parse_error(sql: &str, e: ParserError) -> Error {
    let raw = match e {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m,
        ParserError::RecursionLimitExceeded => {
            return Error::Parse {
                message: format!("the statement is nested more than {MAX_NESTING} levels deep"),
                sql: sql.into(),
                line: None,
                column: None,
            }
        }
    };
    let (message, line, column) = match raw.rfind(" at Line: ") {
        Some(at) => {
            let pos = &raw[at + " at Line: ".len()..];
            let mut parts = pos.split(", Column: ");
            let line = parts.next().and_then(|l| l.trim().parse().ok());
            let column = parts.next().and_then(|c| c.trim().parse().ok());
            (raw[..at].to_string(), line, column)
        }
        None => (raw, None, None),
    };
    let message = match (line, column) {
        (Some(l), Some(c)) => format!("{message} (line {l}, column {c})"),
        _ => message,
    };
    Error::Parse {
        message,
        sql: sql.into(),
        line,
        column,
    }
}

/// Splits a script into statements at top-level `;`, leaving semicolons
/// inside strings, quoted identifiers and comments alone. Text after the
/// last `;` is returned as a final statement when it is not blank. Lines
/// starting with `.` or `\` (meta-commands) at a statement boundary are
/// returned as their own items.
pub fn split_script(script: &str) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let mut rest = script;
    loop {
        let trimmed = skip_comments(rest);
        if trimmed.is_empty() {
            break;
        }
        if trimmed.starts_with('.') || trimmed.starts_with('\\') {
            let end = trimmed.find('\n').unwrap_or(trimmed.len());
            out.push(trimmed[..end].trim().to_string());
            rest = &trimmed[end..];
            continue;
        }
        match statement_end(trimmed)? {
            Some(end) => {
                let stmt = trimmed[..end].trim();
                if !stmt.trim_end_matches(';').trim().is_empty() && !is_only_comments(stmt) {
                    out.push(stmt.to_string());
                }
                rest = &trimmed[end..];
            }
            None => {
                if !is_only_comments(trimmed) {
                    out.push(trimmed.trim().to_string());
                }
                break;
            }
        }
    }
    Ok(out)
}

/// `text` without leading whitespace and comments (an unterminated block
/// comment is left in place for the parser to report).
fn skip_comments(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("--") {
            text = rest.find('\n').map(|i| &rest[i..]).unwrap_or("");
        } else if let Some(rest) = text.strip_prefix("/*") {
            match rest.find("*/") {
                Some(i) => text = &rest[i + 2..],
                None => return text,
            }
        } else {
            return text;
        }
    }
}

/// The byte offset just past the first top-level `;` of `sql`, if any.
pub fn statement_end(sql: &str) -> Result<Option<usize>, Error> {
    let dialect = SQLiteDialect {};
    let tokens = Tokenizer::new(&dialect, sql)
        .tokenize_with_location()
        .map_err(|e| parse_error(sql, ParserError::TokenizerError(e.to_string())))?;
    for t in tokens {
        if t.token == Token::SemiColon {
            return Ok(Some(
                byte_offset(sql, t.span.start.line, t.span.start.column) + 1,
            ));
        }
    }
    Ok(None)
}

/// True when the text holds only whitespace and comments.
pub fn is_only_comments(sql: &str) -> bool {
    let dialect = SQLiteDialect {};
    match Tokenizer::new(&dialect, sql).tokenize() {
        Ok(tokens) => tokens
            .iter()
            .all(|t| matches!(t, Token::Whitespace(_) | Token::SemiColon)),
        Err(_) => false,
    }
}

/// Byte offset of a 1-based (line, column) position, columns counted in
/// characters as sqlparser counts them.
pub fn byte_offset(sql: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (i, l) in sql.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == line {
            return offset
                + l.char_indices()
                    .nth(column.saturating_sub(1) as usize)
                    .map(|(b, _)| b)
                    .unwrap_or(l.len());
        }
        offset += l.len();
    }
    sql.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_respects_strings_and_comments() {
        let s = split_script(
            "SELECT 'a;b' FROM x; -- c;d\n.output json\nSELECT \"q;\" /* ; */ FROM y;\n  \n SELECT 1",
        )
        .unwrap();
        assert_eq!(
            s,
            vec![
                "SELECT 'a;b' FROM x;",
                ".output json",
                "SELECT \"q;\" /* ; */ FROM y;",
                "SELECT 1"
            ]
        );
    }

    #[test]
    fn comments_and_semicolons_alone_are_not_statements() {
        assert!(split_script("-- only a comment\n;;\n").unwrap().is_empty());
        assert!(split_script("   ").unwrap().is_empty());
    }

    #[test]
    fn parse_error_has_position() {
        match parse_one("SELECT * FORM aws.connect.instance") {
            Err(Error::Parse { line, column, .. }) => {
                assert_eq!(line, Some(1));
                assert!(column.is_some());
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn unterminated_string_is_a_clear_error() {
        let e = parse_one("SELECT 'abc").unwrap_err().to_string();
        assert!(e.contains("Unterminated"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let sql = format!("SELECT {}1{}", "(".repeat(500), ")".repeat(500));
        assert!(parse_one(&sql).is_err());
        let chain = format!("SELECT {}", vec!["1"; 50_000].join(" + "));
        assert!(parse_one(&chain)
            .unwrap_err()
            .to_string()
            .contains("tokens"));
        let chain = format!("SELECT {}", vec!["1"; 5_000].join(" + "));
        assert!(parse_one(&chain)
            .unwrap_err()
            .to_string()
            .contains("operators"));
        let ors = format!("SELECT 1 WHERE {}", vec!["id = 'x'"; 5_000].join(" OR "));
        assert!(parse_one(&ors).is_err());
        let list = format!(
            "SELECT 1 WHERE region IN ({})",
            vec!["'us-east-1'"; 5_000].join(",")
        );
        assert!(parse_one(&list).is_ok(), "long IN lists are flat and fine");
    }
}
