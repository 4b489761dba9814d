//! The statement's own text, and edits of spans of it.
//!
//! SQLite runs the user's SQL: the planner does not re-render the syntax
//! tree (sqlparser's rendering changes meaning: `0x10` becomes the blob
//! `X'10'`), it replaces only what connectql owns — table references and
//! statement-only params — by the spans sqlparser keeps for identifiers
//! and literals, which come straight from the tokens.

use sqlparser::ast::{visit_expressions, Expr, ObjectName, ObjectNamePart, Spanned};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Span, Token, Tokenizer};
use std::ops::ControlFlow;

use crate::error::Error;

/// A statement's text with its tokens' byte ranges.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: String,
    /// Byte offset of each line's start.
    line_starts: Vec<usize>,
    /// Byte offset of each character, per line (columns count characters;
    /// one pass, so long one-line statements stay linear).
    char_offsets: Vec<Vec<usize>>,
    /// Significant tokens (no whitespace or comments) with byte ranges.
    tokens: Vec<(Token, usize, usize)>,
}

/// An UPDATE's SET values and a change's WHERE clause, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeClauses {
    /// Each SET value, in order.
    pub values: Vec<String>,
    pub selection: Option<String>,
    /// An INSERT's source (`VALUES (...)`, `SELECT ...`), as written.
    pub source: Option<String>,
}

/// A replacement of the bytes `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl SourceText {
    pub fn new(text: &str) -> SourceText {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let char_offsets = line_starts
            .iter()
            .map(|&start| {
                let line = text[start..].split('\n').next().unwrap_or("");
                line.char_indices().map(|(b, _)| start + b).collect()
            })
            .collect();
        let mut out = SourceText {
            text: text.to_string(),
            line_starts,
            char_offsets,
            tokens: Vec::new(),
        };
        if let Ok(tokens) = Tokenizer::new(&SQLiteDialect {}, text).tokenize_with_location() {
            out.tokens = tokens
                .into_iter()
                .filter(|t| !matches!(t.token, Token::Whitespace(_)))
                .filter_map(|t| Some((t.token, out.offset(t.span.start)?, out.offset(t.span.end)?)))
                .collect();
        }
        out
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The byte offset of a location (1-based line, column in characters).
    pub fn offset(&self, at: Location) -> Option<usize> {
        if at.line == 0 || at.column == 0 {
            return None;
        }
        let line = at.line as usize - 1;
        let chars = self.char_offsets.get(line)?;
        let column = at.column as usize - 1;
        match chars.get(column) {
            Some(&b) => Some(b),
            // Just past the line's last character (its newline, or the end).
            None if chars.len() == column => Some(
                self.line_starts
                    .get(line + 1)
                    .map(|next| next - 1)
                    .unwrap_or(self.text.len()),
            ),
            None => None,
        }
    }

    /// The byte range of a span, when sqlparser recorded one.
    pub fn range(&self, span: Span) -> Option<(usize, usize)> {
        if span == Span::empty() {
            return None;
        }
        let (start, end) = (self.offset(span.start)?, self.offset(span.end)?);
        (start <= end).then_some((start, end))
    }

    /// The original text of a span.
    pub fn of_span(&self, span: Span) -> Option<String> {
        let (start, end) = self.range(span)?;
        Some(self.text[start..end].to_string())
    }

    /// The bytes an expression covers: from its first to its last token,
    /// widened to balance parentheses (a function call's closing
    /// parenthesis, an IN list's). Only identifiers, literals and function
    /// names carry exact spans, so this is for expressions that start and
    /// end with one of those (`x = 'a'`, `x IN ('a', 'b')`).
    pub fn extent(&self, expr: &Expr) -> Option<(usize, usize)> {
        let mut start = usize::MAX;
        let mut end = 0;
        let mut add = |span: Span| {
            if let Some((s, e)) = self.range(span) {
                start = start.min(s);
                end = end.max(e);
            }
        };
        let _ = visit_expressions(expr, |e| {
            match e {
                Expr::Identifier(i) => add(i.span),
                Expr::CompoundIdentifier(parts) => parts.iter().for_each(|p| add(p.span)),
                Expr::Value(v) => add(v.span),
                Expr::Function(f) => add(f.name.span()),
                _ => {}
            }
            ControlFlow::<()>::Continue(())
        });
        if start > end {
            return None;
        }
        // Balance parentheses with the tokens around.
        let inside = |s: usize, e: usize| {
            self.tokens
                .iter()
                .filter(|(_, ts, te)| *ts >= s && *te <= e)
                .fold(0i64, |n, (t, _, _)| match t {
                    Token::LParen => n + 1,
                    Token::RParen => n - 1,
                    _ => n,
                })
        };
        let mut balance = inside(start, end);
        while balance > 0 {
            let (_, _, e) = self
                .tokens
                .iter()
                .find(|(t, ts, _)| *ts >= end && *t == Token::RParen)?;
            end = *e;
            balance = inside(start, end);
        }
        while balance < 0 {
            let (_, s, _) = self
                .tokens
                .iter()
                .rev()
                .find(|(t, _, te)| *te <= start && *t == Token::LParen)?;
            start = *s;
            balance = inside(start, end);
        }
        Some((start, end))
    }

    /// An expression's text for messages: the original when its extent is
    /// known, else sqlparser's rendering.
    pub fn of_expr(&self, expr: &Expr) -> String {
        match self.extent(expr) {
            Some((s, e)) => self.text[s..e].to_string(),
            None => expr.to_string(),
        }
    }

    /// The bytes of a table name (`aws.connect.users`).
    pub fn name_range(&self, name: &ObjectName) -> Option<(usize, usize)> {
        let spans: Vec<Span> = name
            .0
            .iter()
            .map(|p| match p {
                ObjectNamePart::Identifier(i) => i.span,
                other => other.span(),
            })
            .collect();
        let (first, last) = (spans.first()?, spans.last()?);
        Some((self.range(*first)?.0, self.range(*last)?.1))
    }

    /// The bytes of a call in a FROM clause (`read_csv('a.csv')`): from its
    /// name to the parenthesis that closes its arguments.
    pub fn call_range(&self, name: &ObjectName) -> Option<(usize, usize)> {
        let (start, name_end) = self.name_range(name)?;
        let mut depth = 0i64;
        for (t, s, e) in &self.tokens {
            if *s < name_end {
                continue;
            }
            match t {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((start, *e));
                    }
                }
                _ if depth == 0 => return None,
                _ => {}
            }
        }
        None
    }

    /// Where the statement proper starts and ends: after an `EXPLAIN`
    /// prefix (and its options), before a trailing `;`.
    pub fn statement_range(&self) -> (usize, usize) {
        let mut tokens = self.tokens.iter().peekable();
        let mut start = tokens.peek().map(|t| t.1).unwrap_or(0);
        if matches!(tokens.peek(), Some((Token::Word(w), _, _)) if w.keyword == Keyword::EXPLAIN) {
            start = self.text.len();
            for (t, s, _) in tokens.by_ref() {
                let begins = match t {
                    Token::Word(w) => matches!(
                        w.keyword,
                        Keyword::SELECT
                            | Keyword::WITH
                            | Keyword::VALUES
                            | Keyword::INSERT
                            | Keyword::UPDATE
                            | Keyword::DELETE
                    ),
                    Token::LParen => true,
                    _ => false,
                };
                if begins {
                    start = *s;
                    break;
                }
            }
        }
        let end = self
            .tokens
            .iter()
            .rev()
            .find(|(t, _, _)| *t != Token::SemiColon && *t != Token::EOF)
            .map(|t| t.2)
            .unwrap_or(self.text.len());
        (start, end.max(start))
    }

    /// The exact text of an UPDATE's SET values and of an UPDATE's or
    /// DELETE's WHERE clause, read from the tokens at the statement's top
    /// level (expression spans are not exact: keywords such as `NOT
    /// EXISTS` or `CASE` carry none). `None` for other statements.
    pub fn change_clauses(&self) -> Option<ChangeClauses> {
        let (start, end) = self.statement_range();
        let tokens: Vec<&(Token, usize, usize)> = self
            .tokens
            .iter()
            .filter(|(t, s, e)| *s >= start && *e <= end && *t != Token::EOF)
            .collect();
        let keyword = |t: &Token| match t {
            Token::Word(w) => Some(w.keyword),
            _ => None,
        };
        // Each token's parenthesis depth (before it).
        let mut depth = 0i64;
        let mut depths = Vec::with_capacity(tokens.len());
        for (t, _, _) in &tokens {
            depths.push(depth);
            match t {
                Token::LParen => depth += 1,
                Token::RParen => depth -= 1,
                _ => {}
            }
        }
        let top = |i: usize, k: Keyword| depths[i] == 0 && keyword(&tokens[i].0) == Some(k);
        let first = keyword(&tokens.first()?.0)?;
        let where_at = (0..tokens.len()).find(|&i| top(i, Keyword::WHERE));
        let clause_end = |from: usize| {
            (from..tokens.len())
                .find(|&i| {
                    depths[i] == 0
                        && matches!(
                            keyword(&tokens[i].0),
                            Some(Keyword::RETURNING | Keyword::ORDER | Keyword::LIMIT)
                        )
                })
                .map(|i| tokens[i].1)
                .unwrap_or(end)
        };
        let selection = where_at.and_then(|w| {
            let s = tokens.get(w + 1)?.1;
            Some((s, clause_end(w + 1).max(s)))
        });
        let mut values = Vec::new();
        if first == Keyword::UPDATE {
            let set = (0..tokens.len()).find(|&i| top(i, Keyword::SET))?;
            let stop = (set..tokens.len())
                .find(|&i| {
                    depths[i] == 0
                        && matches!(
                            keyword(&tokens[i].0),
                            Some(
                                Keyword::WHERE
                                    | Keyword::FROM
                                    | Keyword::RETURNING
                                    | Keyword::LIMIT
                            )
                        )
                })
                .unwrap_or(tokens.len());
            let mut i = set + 1;
            while i < stop {
                // `column = value`, values up to the next top-level comma.
                let eq = (i..stop).find(|&k| depths[k] == 0 && tokens[k].0 == Token::Eq)?;
                let after = (eq + 1..stop)
                    .find(|&k| depths[k] == 0 && tokens[k].0 == Token::Comma)
                    .unwrap_or(stop);
                let s = tokens.get(eq + 1)?.1;
                let e = tokens[after - 1].2;
                values.push((s, e.max(s)));
                i = after + 1;
            }
        }
        // INSERT: the source starts at the first top-level VALUES, SELECT,
        // WITH or `(` after the column list.
        let mut source = None;
        if first == Keyword::INSERT {
            let columns_end = (0..tokens.len())
                .find(|&i| depths[i] == 1 && tokens[i].0 == Token::RParen)
                .map(|i| i + 1)
                .unwrap_or(0);
            let begins = (columns_end..tokens.len()).find(|&i| {
                depths[i] == 0
                    && (matches!(
                        keyword(&tokens[i].0),
                        Some(Keyword::VALUES | Keyword::SELECT | Keyword::WITH)
                    ) || tokens[i].0 == Token::LParen)
            });
            if let Some(b) = begins {
                let s = tokens[b].1;
                let e = (b..tokens.len())
                    .find(|&i| {
                        depths[i] == 0
                            && matches!(
                                keyword(&tokens[i].0),
                                Some(Keyword::RETURNING | Keyword::ON)
                            )
                    })
                    .map(|i| tokens[i].1)
                    .unwrap_or(end);
                source = Some(self.text[s..e].trim_end().to_string());
            }
        }
        Some(ChangeClauses {
            source,
            values: values
                .into_iter()
                .map(|(s, e)| self.text[s..e].to_string())
                .collect(),
            selection: selection.map(|(s, e)| self.text[s..e].trim_end().to_string()),
        })
    }

    /// The statement's text with `edits` applied.
    pub fn edited(&self, mut edits: Vec<Edit>) -> Result<String, Error> {
        let (start, end) = self.statement_range();
        edits.sort_by_key(|e| (e.start, e.end));
        let mut out = String::with_capacity(end - start + 64);
        let mut at = start;
        for edit in &edits {
            if edit.start < at || edit.end > end || edit.start > edit.end {
                return Err(Error::Unsupported(
                    "this statement's layout (connectql could not place its table references in the text; \
                     write each table reference once, as a plain name)"
                        .into(),
                ));
            }
            out.push_str(&self.text[at..edit.start]);
            out.push_str(&edit.text);
            at = edit.end;
        }
        out.push_str(&self.text[at..end]);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::parse_one;
    use sqlparser::ast::{SetExpr, Statement};

    fn where_of(sql: &str) -> Expr {
        match parse_one(sql).unwrap() {
            Statement::Query(q) => match *q.body {
                SetExpr::Select(s) => s.selection.unwrap(),
                _ => panic!(),
            },
            _ => panic!(),
        }
    }

    #[test]
    fn change_clauses_are_the_text_as_written() {
        let text = SourceText::new(
            "EXPLAIN UPDATE t SET a = CASE WHEN x THEN 1 ELSE 2 END, b = (SELECT max(y), 1 FROM u), \
             c = 0x10 WHERE NOT EXISTS (SELECT 1) AND z = 'a, b' RETURNING a;",
        );
        let c = text.change_clauses().unwrap();
        assert_eq!(
            c.values,
            [
                "CASE WHEN x THEN 1 ELSE 2 END",
                "(SELECT max(y), 1 FROM u)",
                "0x10"
            ]
        );
        assert_eq!(
            c.selection.as_deref(),
            Some("NOT EXISTS (SELECT 1) AND z = 'a, b'")
        );
        let delete = SourceText::new("DELETE FROM t\nWHERE -x > 1\n;");
        let c = delete.change_clauses().unwrap();
        assert!(c.values.is_empty());
        assert_eq!(c.selection.as_deref(), Some("-x > 1"));
        assert_eq!(
            SourceText::new("DELETE FROM t")
                .change_clauses()
                .unwrap()
                .selection,
            None
        );
    }

    #[test]
    fn extents_cover_calls_and_lists() {
        for (sql, want) in [
            ("SELECT 1 WHERE x IN ('a', 'b')", "x IN ('a', 'b')"),
            ("SELECT 1 WHERE x = string('a')", "x = string('a')"),
            ("SELECT 1 WHERE 'é' = q.x ", "'é' = q.x"),
            ("SELECT 1\nWHERE\n  (x) = 'a'", "(x) = 'a'"),
        ] {
            let text = SourceText::new(sql);
            assert_eq!(text.of_expr(&where_of(sql)), want, "{sql}");
        }
    }

    #[test]
    fn statement_range_skips_explain_and_semicolon() {
        let t = SourceText::new("EXPLAIN SELECT 0x10 ;  ");
        let (s, e) = t.statement_range();
        assert_eq!(&t.as_str()[s..e], "SELECT 0x10");
        let t = SourceText::new("  SELECT 1;");
        let (s, e) = t.statement_range();
        assert_eq!(&t.as_str()[s..e], "SELECT 1");
    }
}
