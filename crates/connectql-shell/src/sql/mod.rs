//! SQL front end: parsing (sqlparser, SQLite dialect), splitting scripts into
//! statements, and planning. Planning turns a statement into the API calls
//! it needs (which resources, regions and identifiers, which fields) plus the
//! SQL that the relational engine then runs over the fetched rows.
//!
//! # No statement can exhaust the stack
//!
//! Everything that walks a syntax tree recurses: sqlparser's own recursive
//! descent, the planner's visitors, `Display` (`to_string()`), `Clone`,
//! `Debug`, and dropping the tree. sqlparser builds left-associative chains
//! (`a + b + c`, `x NOTNULL NOTNULL`, `x::t::t`, `x -> 'a' -> 'b'`,
//! `a UNION b UNION c`...) in a loop, so its recursion limit does not bound
//! how deep the tree gets. Hence, by construction rather than by counting
//! token kinds:
//!
//! 1. [`parse_one`] refuses statements of more than [`MAX_TOKENS`] tokens,
//!    then parses on a thread whose stack ([`DEEP_STACK_BYTES`]) holds the
//!    deepest tree that many tokens can build;
//! 2. there it measures the depth of the tree, generically over every node
//!    type (the nesting of its derived `Debug` form, cut off as soon as it
//!    passes the limit, so the measure never goes deeper than the limit),
//!    and refuses trees deeper than [`MAX_DEPTH`] levels ("the statement
//!    nests deeper than 256 levels"), dropping them on that thread;
//! 3. every thread of the binary that can hold a tree has such a stack:
//!    the binary runs its async runtime on one ([`run_with_deep_stacks`]),
//!    with workers and blocking threads of the same size, so planning
//!    (sqlparser's derived visitors, up to ~50 KB a level in a debug build),
//!    `to_string()`, `Clone`, `Debug` and dropping a tree of at most
//!    [`MAX_DEPTH`] levels never come near its end (a 245-level `UNION ALL`
//!    chain needs more than 2 MiB to clone in a debug build, so the default
//!    2 MiB of a thread would not do); [`parse_one`], `plan_query` and
//!    `plan_change` called from any other thread move to one
//!    ([`on_deep_stack`]).
//!
//! `tests/deep_chains.rs` runs long prefix, postfix, nested and mixed chains
//! (up to ~100,000 tokens) through all of it, on a 2 MiB thread and through
//! the real binary.

pub mod calls;
pub mod change;
pub mod local;
pub mod params;
pub mod physical;
pub mod planner;
pub mod pushdown;
pub mod resolve;
pub mod scope;
pub mod text;

use std::fmt;

use sqlparser::ast::{BinaryOperator, Expr, Statement, UnaryOperator};
use sqlparser::dialect::{Dialect, Precedence, SQLiteDialect};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::error::Error;

/// Levels of the syntax tree a statement may have (the nesting of its
/// derived `Debug` form: an operator, `NOTNULL`, `COLLATE` or parenthesis
/// adds one, a function call about five, a subquery about ten). Also the
/// parser's recursion limit. SQLite refuses expressions deeper than 200
/// levels on its own (`SQLITE_LIMIT_EXPR_DEPTH`).
pub const MAX_DEPTH: usize = 256;

/// Tokens in one statement (a long string literal is one token).
pub const MAX_TOKENS: usize = 50_000;

/// The stack of the thread that parses and plans ([`on_deep_stack`]).
/// Sized for the worst of: sqlparser's recursion ([`MAX_DEPTH`] levels),
/// dropping a refused tree (one small frame per level, at most a few levels
/// per token of [`MAX_TOKENS`]), and planning a [`MAX_DEPTH`]-level tree
/// (~50 KB a level in a debug build, ~13 MB in all); `tests/deep_chains.rs`
/// runs the deepest chains of every kind through it. Only the pages a
/// statement touches are ever mapped.
pub const DEEP_STACK_BYTES: usize = 64 << 20;

/// Parse steps (prefix and operator look-ups) per significant token before
/// the parse is given up. sqlparser retries a keyword that failed as an
/// expression (`CAST(`, `EXISTS(`...) as an identifier, which makes a broken
/// statement with such words nested 30 deep take hours; ordinary statements
/// take fewer than 4 steps a token.
pub const PARSE_STEPS_PER_TOKEN: usize = 64;

/// SQLite's dialect, with two changes: it counts parse steps and fails
/// every step after its budget (so no statement makes the parser backtrack
/// for long), and its `REGEXP` / `MATCH` operators report a missing right
/// operand as an error (sqlparser's SQLite dialect panics:
/// `SELECT 'a' REGEXP`). Everything else is forwarded to
/// [`SQLiteDialect`], and it parses as that dialect (`dialect()`).
#[derive(Debug)]
struct GuardedDialect {
    inner: SQLiteDialect,
    steps: std::cell::Cell<usize>,
    budget: usize,
}

impl GuardedDialect {
    fn new(budget: usize) -> GuardedDialect {
        GuardedDialect {
            inner: SQLiteDialect {},
            steps: std::cell::Cell::new(0),
            budget,
        }
    }

    /// Counts a step; `Some(error)` once the budget is spent.
    fn step<T>(&self) -> Option<Result<T, ParserError>> {
        let n = self.steps.get().saturating_add(1);
        self.steps.set(n);
        // RecursionLimitExceeded is the one error sqlparser's backtracking
        // does not swallow.
        (n > self.budget).then_some(Err(ParserError::RecursionLimitExceeded))
    }

    fn exhausted(&self) -> bool {
        self.steps.get() > self.budget
    }
}

impl Dialect for GuardedDialect {
    fn dialect(&self) -> std::any::TypeId {
        self.inner.dialect()
    }
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        self.inner.is_delimited_identifier_start(ch)
    }
    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        self.inner.identifier_quote_style(identifier)
    }
    fn is_identifier_start(&self, ch: char) -> bool {
        self.inner.is_identifier_start(ch)
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        self.inner.is_identifier_part(ch)
    }
    fn supports_filter_during_aggregation(&self) -> bool {
        self.inner.supports_filter_during_aggregation()
    }
    fn supports_start_transaction_modifier(&self) -> bool {
        self.inner.supports_start_transaction_modifier()
    }
    fn supports_in_empty_list(&self) -> bool {
        self.inner.supports_in_empty_list()
    }
    fn supports_limit_comma(&self) -> bool {
        self.inner.supports_limit_comma()
    }
    fn supports_asc_desc_in_column_definition(&self) -> bool {
        self.inner.supports_asc_desc_in_column_definition()
    }
    fn supports_dollar_placeholder(&self) -> bool {
        self.inner.supports_dollar_placeholder()
    }
    fn supports_notnull_operator(&self) -> bool {
        self.inner.supports_notnull_operator()
    }
    fn parse_statement(&self, parser: &mut Parser) -> Option<Result<Statement, ParserError>> {
        self.step().or_else(|| self.inner.parse_statement(parser))
    }
    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        if let Some(spent) = self.step() {
            return Some(spent);
        }
        // SQLite's bitwise NOT, which sqlparser parses for PostgreSQL only.
        if parser.peek_token().token == Token::Tilde {
            parser.next_token();
            let precedence = self.prec_value(Precedence::PlusMinus);
            return Some(parser.parse_subexpr(precedence).map(|expr| Expr::UnaryOp {
                op: UnaryOperator::PGBitwiseNot,
                expr: Box::new(expr),
            }));
        }
        None
    }
    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        if let Some(spent) = self.step() {
            return Some(spent);
        }
        // SQLite's GLOB and NOT GLOB compare like LIKE; `IS <expr>` and
        // `IS NOT <expr>` are sqlparser's IS.
        let word = |n: usize| match parser.peek_nth_token(n).token {
            Token::Word(w) => Some(w),
            _ => None,
        };
        let is_glob = |n: usize| word(n).is_some_and(|w| w.value.eq_ignore_ascii_case("GLOB"));
        if is_glob(0) || (word(0).is_some_and(|w| w.keyword == Keyword::NOT) && is_glob(1)) {
            return Some(Ok(self.prec_value(Precedence::Like)));
        }
        // SQLite's `->` and `->>` bind like `||`, tighter than comparisons
        // (`q.arn = c.value ->> '$.Arn'` compares with the extracted value).
        if matches!(parser.peek_token().token, Token::Arrow | Token::LongArrow) {
            return Some(Ok(self.prec_value(Precedence::MulDivModOp)));
        }
        None
    }
    fn parse_infix(
        &self,
        parser: &mut Parser,
        expr: &Expr,
        _precedence: u8,
    ) -> Option<Result<Expr, ParserError>> {
        // SQLite's GLOB, `<<` and `>>`, and `IS [NOT] <expr>` (SQLite's IS is
        // IS NOT DISTINCT FROM). The engine runs the user's own text, so the
        // tree only has to read them, with SQLite's meaning.
        let negated_glob = matches!(
            (parser.peek_nth_token(0).token, parser.peek_nth_token(1).token),
            (Token::Word(n), Token::Word(g)) if n.keyword == Keyword::NOT && g.value.eq_ignore_ascii_case("GLOB")
        );
        let glob = matches!(parser.peek_token().token, Token::Word(g) if g.value.eq_ignore_ascii_case("GLOB"));
        if glob || negated_glob {
            if negated_glob {
                parser.next_token();
            }
            parser.next_token();
            return Some(parser.parse_subexpr(_precedence).map(|right| {
                let glob = Expr::BinaryOp {
                    left: Box::new(expr.clone()),
                    op: BinaryOperator::Custom("GLOB".into()),
                    right: Box::new(right),
                };
                if negated_glob {
                    Expr::UnaryOp {
                        op: UnaryOperator::Not,
                        expr: Box::new(Expr::Nested(Box::new(glob))),
                    }
                } else {
                    glob
                }
            }));
        }
        let shift = match parser.peek_token().token {
            Token::ShiftLeft => Some(BinaryOperator::PGBitwiseShiftLeft),
            Token::ShiftRight => Some(BinaryOperator::PGBitwiseShiftRight),
            _ => None,
        };
        if let Some(op) = shift {
            parser.next_token();
            return Some(
                parser
                    .parse_subexpr(_precedence)
                    .map(|right| Expr::BinaryOp {
                        left: Box::new(expr.clone()),
                        op,
                        right: Box::new(right),
                    }),
            );
        }
        if matches!(parser.peek_token().token, Token::Word(w) if w.keyword == Keyword::IS) {
            let next = parser.peek_nth_token(1).token;
            let (negated, after) = match &next {
                Token::Word(w) if w.keyword == Keyword::NOT => {
                    (true, parser.peek_nth_token(2).token)
                }
                _ => (false, next.clone()),
            };
            let special = matches!(&after, Token::Word(w) if matches!(
                w.keyword,
                Keyword::NULL | Keyword::TRUE | Keyword::FALSE | Keyword::UNKNOWN | Keyword::DISTINCT
                    | Keyword::NORMALIZED | Keyword::NFC | Keyword::NFD | Keyword::NFKC | Keyword::NFKD
            ));
            if !special {
                parser.next_token();
                if negated {
                    parser.next_token();
                }
                let precedence = self.prec_value(Precedence::Is);
                return Some(parser.parse_subexpr(precedence).map(|right| {
                    if negated {
                        Expr::IsDistinctFrom(Box::new(expr.clone()), Box::new(right))
                    } else {
                        Expr::IsNotDistinctFrom(Box::new(expr.clone()), Box::new(right))
                    }
                }));
            }
        }
        // SQLite's MATCH and REGEXP operators, as sqlparser's SQLite dialect
        // parses them, without its `unwrap()`.
        for (keyword, op) in [
            (Keyword::REGEXP, BinaryOperator::Regexp),
            (Keyword::MATCH, BinaryOperator::Match),
        ] {
            if parser.parse_keyword(keyword) {
                return Some(parser.parse_expr().map(|right| Expr::BinaryOp {
                    left: Box::new(expr.clone()),
                    op,
                    right: Box::new(right),
                }));
            }
        }
        None
    }
}

/// Refuses statements whose size alone makes them unreasonable, with a clear
/// message, before sqlparser builds a tree.
fn check_size(sql: &str) -> Result<usize, Error> {
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
    // Every parenthesis and CASE adds at least one level to the tree, so
    // nesting them deeper than the limit is refused before the parser
    // spends time backtracking through them (nested `CAST(` is slow to fail).
    let mut nesting = 0usize;
    for token in &tokens {
        match token {
            Token::LParen => nesting += 1,
            Token::Word(w) if w.keyword == Keyword::CASE => nesting += 1,
            Token::RParen => nesting = nesting.saturating_sub(1),
            Token::Word(w) if w.keyword == Keyword::END => nesting = nesting.saturating_sub(1),
            _ => {}
        }
        if nesting > MAX_DEPTH {
            return Err(too_deep(sql));
        }
    }
    Ok(significant)
}

/// The error for a statement whose tree is deeper than [`MAX_DEPTH`].
fn too_deep(sql: &str) -> Error {
    Error::Parse {
        message: format!(
            "the statement nests deeper than {MAX_DEPTH} levels (operators, NOT/NOTNULL/IS NULL/COLLATE \
             chains, function calls, CASE, parentheses and subqueries each add levels); simplify it, \
             or use IN (...) for long lists of values"
        ),
        sql: sql.into(),
        line: None,
        column: None,
    }
}

/// The error for a statement the parser gave up on.
fn too_complex(sql: &str) -> Error {
    Error::Parse {
        message: "the statement is too complex to parse (the parser gave up after \
                  trying too many ways to read it; look for unbalanced parentheses)"
            .into(),
        sql: sql.into(),
        line: None,
        column: None,
    }
}

/// Counts the bracket nesting of a value's derived `Debug` form, skipping
/// string and char literals, and stops the formatting (with `fmt::Error`)
/// as soon as the nesting passes `limit`.
struct DepthMeter {
    limit: usize,
    depth: usize,
    max: usize,
    state: LiteralState,
    escaped: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum LiteralState {
    Outside,
    Str,
    Char,
}

impl fmt::Write for DepthMeter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for b in s.bytes() {
            if self.escaped {
                self.escaped = false;
                continue;
            }
            match (self.state, b) {
                (LiteralState::Outside, b'"') => self.state = LiteralState::Str,
                (LiteralState::Outside, b'\'') => self.state = LiteralState::Char,
                (LiteralState::Outside, b'(' | b'[' | b'{') => {
                    self.depth += 1;
                    self.max = self.max.max(self.depth);
                    if self.depth > self.limit {
                        return Err(fmt::Error);
                    }
                }
                (LiteralState::Outside, b')' | b']' | b'}') => {
                    self.depth = self.depth.saturating_sub(1)
                }
                (LiteralState::Str | LiteralState::Char, b'\\') => self.escaped = true,
                (LiteralState::Str, b'"') | (LiteralState::Char, b'\'') => {
                    self.state = LiteralState::Outside
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The depth of a syntax tree, or `None` when it is deeper than `limit`.
/// Never recurses more than `limit` levels (plus a constant) deep.
pub fn tree_depth(value: &impl fmt::Debug, limit: usize) -> Option<usize> {
    use fmt::Write as _;
    let mut meter = DepthMeter {
        limit,
        depth: 0,
        max: 0,
        state: LiteralState::Outside,
        escaped: false,
    };
    match write!(meter, "{value:?}") {
        Ok(()) => Some(meter.max),
        Err(_) => None,
    }
}

/// Parses exactly one statement. Whatever it returns is at most
/// [`MAX_DEPTH`] levels deep, and no input makes it overflow the stack
/// (see the module documentation).
pub fn parse_one(sql: &str) -> Result<Statement, Error> {
    on_deep_stack(|| parse_on_this_thread(sql))
}

thread_local! {
    static ON_DEEP_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks this thread as having a [`DEEP_STACK_BYTES`] stack (for threads
/// started with one elsewhere, such as the async runtime's).
pub fn mark_deep_stack() {
    ON_DEEP_STACK.with(|f| f.set(true));
}

/// Runs `work` on a new thread with a [`DEEP_STACK_BYTES`] stack, and gives
/// `runtime` the same size for its workers and blocking threads, so that
/// every thread that parses, plans or holds a syntax tree has the stack the
/// depth bound is sized for. Only the pages a thread touches are mapped.
pub fn run_with_deep_stacks<T: Send>(
    runtime: &mut tokio::runtime::Builder,
    work: impl FnOnce(tokio::runtime::Runtime) -> T + Send,
) -> std::io::Result<T> {
    let runtime = runtime
        .thread_stack_size(DEEP_STACK_BYTES)
        .on_thread_start(mark_deep_stack)
        .build()?;
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("connectql".into())
            .stack_size(DEEP_STACK_BYTES)
            .spawn_scoped(scope, || {
                mark_deep_stack();
                work(runtime)
            })?;
        Ok(handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// Runs `work` on a thread with a [`DEEP_STACK_BYTES`] stack (or right
/// here when this already is one), for the tree walks whose frames are too
/// large for a 2 MiB stack at [`MAX_DEPTH`] levels: the parse itself and
/// planning (sqlparser's derived visitors take up to ~50 KB a level in a
/// debug build).
pub fn on_deep_stack<T: Send>(work: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error> {
    if ON_DEEP_STACK.with(|f| f.get()) {
        return work();
    }
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("connectql-sql".into())
            .stack_size(DEEP_STACK_BYTES)
            .spawn_scoped(scope, || {
                ON_DEEP_STACK.with(|f| f.set(true));
                work()
            })
            .map_err(|e| Error::Unsupported(format!("parsing (cannot start a thread: {e})")))?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// [`parse_one`]'s work, on a thread with a [`DEEP_STACK_BYTES`] stack.
fn parse_on_this_thread(sql: &str) -> Result<Statement, Error> {
    let tokens = check_size(sql)?;
    let dialect = GuardedDialect::new(PARSE_STEPS_PER_TOKEN * (tokens + 16));
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        Parser::new(&dialect)
            .with_recursion_limit(MAX_DEPTH)
            .try_with_sql(sql)
            .and_then(|mut p| p.parse_statements())
    }));
    let mut statements = match parsed {
        Ok(Ok(statements)) => statements,
        Ok(Err(_)) if dialect.exhausted() => return Err(too_complex(sql)),
        Ok(Err(e)) => {
            let error = parse_error(sql, e);
            return Err(match (error, sqlite_reads(sql)) {
                (Error::Parse { message, sql, line, column }, true) => Error::Parse {
                    message: format!(
                        "connectql's SQL parser cannot read this statement, although SQLite's grammar \
                         accepts it: this is a limit of connectql, not an error in your SQL ({message}); \
                         write the expression another way"
                    ),
                    sql,
                    line,
                    column,
                },
                (error, _) => error,
            });
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic");
            return Err(Error::Parse {
                message: format!("the SQL parser failed on this statement ({what})"),
                sql: sql.into(),
                line: None,
                column: None,
            });
        }
    };
    if tree_depth(&statements, MAX_DEPTH).is_none() {
        // Dropped here, on this thread's stack.
        drop(statements);
        return Err(too_deep(sql));
    }
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

/// Whether SQLite's own grammar accepts the text: preparing it fails only
/// on missing tables, columns or functions, not on syntax.
fn sqlite_reads(sql: &str) -> bool {
    let Ok(db) = rusqlite::Connection::open_in_memory() else {
        return false;
    };
    let reads = match db.prepare(sql) {
        Ok(_) => true,
        Err(e) => {
            let m = e.to_string();
            !(m.contains("syntax error")
                || m.contains("incomplete input")
                || m.contains("unrecognized token")
                || m.contains("Multiple statements"))
        }
    };
    reads
}

/// Turns a sqlparser error into [`Error::Parse`], keeping the position
/// (sqlparser appends ` at Line: L, Column: C` to its messages).
pub fn parse_error(sql: &str, e: ParserError) -> Error {
    let raw = match e {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m,
        ParserError::RecursionLimitExceeded => return too_deep(sql),
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
    fn what_sqlite_reads_but_sqlparser_cannot_is_connectqls_limit() {
        // A typo is a syntax error of the user's...
        let e = parse_one("SELECT * FORM t").unwrap_err().to_string();
        assert!(!e.contains("limit of connectql"), "{e}");
        // ... SQLite grammar that sqlparser lacks is connectql's limit.
        let e = parse_one("SELECT 1 FROM t INDEXED BY i")
            .unwrap_err()
            .to_string();
        assert!(e.contains("limit of connectql"), "{e}");
    }

    #[test]
    fn unterminated_string_is_a_clear_error() {
        let e = parse_one("SELECT 'abc").unwrap_err().to_string();
        assert!(e.contains("Unterminated"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = |sql: &str| {
            let e = parse_one(sql).unwrap_err().to_string();
            assert!(e.contains("nests deeper than 256 levels"), "{e}");
        };
        deep(&format!("SELECT {}1{}", "(".repeat(300), ")".repeat(300)));
        deep(&format!("SELECT {}", vec!["1"; 5_000].join(" + ")));
        deep(&format!("SELECT 1{}", " NOTNULL".repeat(49_000)));
        deep(&format!(
            "SELECT 1 WHERE {}",
            vec!["id = 'x'"; 5_000].join(" OR ")
        ));
        let chain = format!("SELECT {}", vec!["1"; 50_000].join(" + "));
        assert!(parse_one(&chain)
            .unwrap_err()
            .to_string()
            .contains("tokens"));
        let list = format!(
            "SELECT 1 WHERE region IN ({})",
            vec!["'us-east-1'"; 5_000].join(",")
        );
        assert!(parse_one(&list).is_ok(), "long IN lists are flat and fine");
        let fine = format!("SELECT 1{}", " NOTNULL".repeat(100));
        assert!(parse_one(&fine).is_ok());
    }

    #[test]
    fn depth_skips_literals() {
        assert_eq!(tree_depth(&"((((", 10), Some(0));
        assert_eq!(tree_depth(&'(', 10), Some(0));
        assert_eq!(tree_depth(&'"', 10), Some(0));
        assert_eq!(tree_depth(&vec![Some("\\"), None], 10), Some(2));
        assert_eq!(tree_depth(&vec![vec![vec![1]]], 10), Some(3));
        assert_eq!(tree_depth(&vec![vec![vec![1]]], 2), None);
        // A quote inside a string does not end it.
        assert_eq!(tree_depth(&("a\"b(", ')', vec![1]), 10), Some(2));
    }
}
