//! The rustyline helper: completion and hints (from [`super::completer`]),
//! highlighting of keywords, strings and comments, and validation (a
//! multi-line buffer stays open until its statement ends with `;`).
//!
//! The shell reads a statement line by line (so continuation lines get the
//! `...>` prompt); the lines already entered are in `pending`, and every
//! function here looks at `pending` + the line being edited, so a FROM
//! clause typed on an earlier line still drives completion.

use std::borrow::Cow;
use std::sync::Arc;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use crate::executor::SessionCache;
use crate::output::safe;

use super::completer;
use super::lexer::{lex, Kind};
use super::meta;

const KEYWORD: &str = "\x1b[1;34m";
const STRING: &str = "\x1b[32m";
const COMMENT: &str = "\x1b[90m";
const NUMBER: &str = "\x1b[36m";
const META: &str = "\x1b[1;35m";
const HINT: &str = "\x1b[90m";
const RESET: &str = "\x1b[0m";

/// Keywords that are highlighted (sorted, upper case, for binary search).
static KEYWORDS: [&str; 62] = [
    "ALL",
    "AND",
    "AS",
    "ASC",
    "BETWEEN",
    "BY",
    "CASE",
    "CAST",
    "COLLATE",
    "CROSS",
    "DELETE",
    "DESC",
    "DESCRIBE",
    "DISTINCT",
    "ELSE",
    "END",
    "ESCAPE",
    "EXCEPT",
    "EXISTS",
    "EXPLAIN",
    "EXTENDED",
    "FALSE",
    "FROM",
    "FULL",
    "GLOB",
    "GROUP",
    "HAVING",
    "IN",
    "INNER",
    "INSERT",
    "INTERSECT",
    "INTO",
    "IS",
    "JOIN",
    "LEFT",
    "LIKE",
    "LIMIT",
    "METHODS",
    "NATURAL",
    "NOT",
    "NULL",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OUTER",
    "RESOURCES",
    "RETURNING",
    "RIGHT",
    "SELECT",
    "SERVICES",
    "SET",
    "SHOW",
    "THEN",
    "TRUE",
    "UNION",
    "UPDATE",
    "USING",
    "VALUES",
    "WHEN",
    "WHERE",
    "WITH",
];

pub fn is_keyword(word: &str) -> bool {
    word.len() <= 10
        && KEYWORDS
            .binary_search(&word.to_ascii_uppercase().as_str())
            .is_ok()
}

pub struct ShellHelper {
    cache: Arc<SessionCache>,
    /// Lines of the statement entered so far (empty at the main prompt).
    pub pending: String,
    color: bool,
}

impl ShellHelper {
    pub fn new(cache: Arc<SessionCache>, color: bool) -> Self {
        ShellHelper {
            cache,
            pending: String::new(),
            color,
        }
    }

    /// `pending` and `line` as one text, and where `line` starts in it.
    /// A meta-command line stands alone, even after unfinished lines.
    fn joined<'a>(&self, line: &'a str) -> (Cow<'a, str>, usize) {
        if self.pending.is_empty() || meta::is_meta(line) {
            (Cow::Borrowed(line), 0)
        } else {
            (
                Cow::Owned(format!("{}\n{line}", self.pending)),
                self.pending.len() + 1,
            )
        }
    }

    /// Completion over the joined text, in `line`'s coordinates.
    pub fn complete_line(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let (text, offset) = self.joined(line);
        let (start, candidates) = completer::complete(&text, pos + offset, self.cache.as_ref());
        if start < offset {
            return (pos, Vec::new());
        }
        (start - offset, candidates)
    }
}

/// A completion as rustyline gets it. Candidates built from names the
/// session has seen may hold any character, so what is listed is the
/// terminal-safe escape of the candidate, and what is inserted stops
/// before its first unsafe character: a raw control character in the line
/// would reach the terminal each time the editor redraws it, and no SQL
/// string literal can spell it (SQLite strings have no escapes; an
/// expression like `'a' || char(27)` is not a literal a parameter can take).
/// The listing shows the whole name, escaped, so the user sees why the
/// insertion stopped.
pub fn safe_candidate(candidate: &str) -> Pair {
    let replacement = match candidate.find(safe::is_unsafe) {
        Some(at) => candidate[..at].to_string(),
        None => candidate.to_string(),
    };
    Pair {
        display: safe::line(candidate).into_owned(),
        replacement,
    }
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, candidates) = self.complete_line(line, pos);
        Ok((
            start,
            candidates.iter().map(|c| safe_candidate(c)).collect(),
        ))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;

    /// The rest of the only candidate, when the cursor is at the end of a
    /// partly typed word.
    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        // Without colour a hint would look like typed text.
        if !self.color
            || pos != line.len()
            || line.is_empty()
            || line.ends_with(char::is_whitespace)
        {
            return None;
        }
        let (start, candidates) = self.complete_line(line, pos);
        let [only] = candidates.as_slice() else {
            return None;
        };
        let typed = line.get(start..pos)?;
        if typed.is_empty()
            || only.len() <= typed.len()
            || !only.as_bytes()[..typed.len()].eq_ignore_ascii_case(typed.as_bytes())
        {
            return None;
        }
        // What Tab would insert (never a raw control character).
        let only = safe_candidate(only).replacement;
        let rest = only.get(typed.len()..)?.trim_end();
        (!rest.is_empty()).then(|| rest.to_string())
    }
}

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color || line.is_empty() {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight_sql(&self.pending, line))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("{HINT}{hint}{RESET}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

/// `line` with ANSI colours, lexed together with the `pending` lines before
/// it (so a string opened on an earlier line is still a string).
pub fn highlight_sql(pending: &str, line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    if meta::is_meta(line) {
        let lead = line.len() - line.trim_start().len();
        let end = line[lead..]
            .find(char::is_whitespace)
            .map_or(line.len(), |e| lead + e);
        out.push_str(&line[..lead]);
        out.push_str(META);
        out.push_str(&line[lead..end]);
        out.push_str(RESET);
        out.push_str(&line[end..]);
        return out;
    }
    let (text, offset) = if pending.is_empty() {
        (Cow::Borrowed(line), 0)
    } else {
        (Cow::Owned(format!("{pending}\n{line}")), pending.len() + 1)
    };
    for t in lex(&text) {
        if t.end <= offset {
            continue;
        }
        let piece = &text[t.start.max(offset)..t.end];
        let color = match t.kind {
            Kind::Word if is_keyword(t.text(&text)) => Some(KEYWORD),
            Kind::Str { .. } => Some(STRING),
            Kind::Comment { .. } => Some(COMMENT),
            Kind::Number => Some(NUMBER),
            _ => None,
        };
        match color {
            Some(c) => {
                out.push_str(c);
                out.push_str(piece);
                out.push_str(RESET);
            }
            None => out.push_str(piece),
        }
    }
    out
}

impl Validator for ShellHelper {
    /// A buffer of several lines (recalled from history, or pasted) stays
    /// open until its statement ends with `;`. A single line is always
    /// accepted: the shell then asks for the next line with the `...>`
    /// prompt. Meta-commands never need a `;`.
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if meta::is_meta(input) {
            return Ok(ValidationResult::Valid(None));
        }
        if !input.contains('\n') {
            return Ok(ValidationResult::Valid(None));
        }
        let (text, _) = self.joined(input);
        Ok(if super::needs_more(&text) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn helper() -> ShellHelper {
        ShellHelper::new(Arc::new(SessionCache::new(true)), true)
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn keywords_are_sorted() {
        let mut sorted = KEYWORDS;
        sorted.sort();
        assert_eq!(sorted, KEYWORDS);
        assert!(is_keyword("select") && is_keyword("WHERE") && !is_keyword("instance_alias"));
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let line = "SELECT id, 'str' -- c\n FROM aws.connect.instances WHERE n = 3;";
        let h = highlight_sql("", line);
        assert!(h.contains(&format!("{KEYWORD}SELECT{RESET}")));
        assert!(h.contains(&format!("{STRING}'str'{RESET}")));
        assert_eq!(strip_ansi(&h), line);
        // A string opened on an earlier line.
        let h = highlight_sql("SELECT 'abc", "def' FROM x");
        assert!(h.starts_with(&format!("{STRING}def'{RESET}")), "{h:?}");
        assert_eq!(strip_ansi(&h), "def' FROM x");
        assert_eq!(
            strip_ansi(&highlight_sql("", "  .output json")),
            "  .output json"
        );
        assert_eq!(strip_ansi(&highlight_sql("", "é 'ü")), "é 'ü");
    }

    proptest::proptest! {
        #[test]
        fn highlighting_never_changes_the_text(pending in "\\PC{0,20}", line in "\\PC{0,40}") {
            proptest::prop_assert_eq!(strip_ansi(&highlight_sql(&pending, &line)), line);
        }
    }

    #[test]
    fn no_colour_means_the_line_unchanged() {
        let h = ShellHelper::new(Arc::new(SessionCache::new(true)), false);
        assert!(matches!(h.highlight("SELECT 1", 0), Cow::Borrowed(_)));
        assert_eq!(h.highlight_hint("abc"), "abc");
    }

    #[test]
    fn completion_sees_pending_lines() {
        let mut h = helper();
        h.pending = "SELECT instance_alias\nFROM aws.connect.instances".into();
        let (start, c) = h.complete_line("WHERE region = 'eu-w", 20);
        assert_eq!(start, 16);
        assert_eq!(c, ["eu-west-2'"]);
        h.pending = "SELECT".into();
        assert_eq!(
            h.complete_line("instance_al", 11),
            (0, vec!["instance_alias".to_string()])
        );
        // A meta-command on a continuation line completes on its own.
        assert_eq!(
            h.complete_line(".output j", 9),
            (8, vec!["json".to_string()])
        );
    }

    #[test]
    fn candidates_from_seen_names_list_escaped_and_insert_no_control_character() {
        let cache = Arc::new(SessionCache::new(true));
        cache.see_names(
            "queue",
            ["Sales\u{1b}]0;pwned\u{7}", "Sa\u{202e}fe\u{2028}", "Sam"],
        );
        let h = ShellHelper::new(cache, true);
        let line = "SELECT * FROM aws.connect.queues WHERE name = 'Sa";
        let history = rustyline::history::DefaultHistory::new();
        let ctx = Context::new(&history);
        let (start, pairs) = h.complete(line, line.len(), &ctx).unwrap();
        assert_eq!(start, line.len() - 2);
        let mut shown: Vec<(&str, &str)> = pairs
            .iter()
            .map(|p| (p.display.as_str(), p.replacement.as_str()))
            .collect();
        shown.sort();
        assert_eq!(
            shown,
            [
                ("Sa\\u{202e}fe\\u{2028}", "Sa"),
                ("Sales\\u{1b}]0;pwned\\u{7}", "Sales"),
                ("Sam", "Sam"),
            ]
        );
        // One candidate: its safe beginning, without the closing quote.
        let line = "SELECT * FROM aws.connect.queues WHERE name = 'Sal";
        let (_, pairs) = h.complete(line, line.len(), &ctx).unwrap();
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].replacement, "Sales");
        assert_eq!(pairs[0].display, "Sales\\u{1b}]0;pwned\\u{7}'");
        assert_eq!(h.hint(line, line.len(), &ctx).as_deref(), Some("es"));
    }

    #[test]
    fn hints_complete_a_single_candidate() {
        let h = helper();
        let hint = |line: &str| {
            let history = rustyline::history::DefaultHistory::new();
            let ctx = Context::new(&history);
            h.hint(line, line.len(), &ctx)
        };
        assert_eq!(hint("SELECT instance_al").as_deref(), Some("ias"));
        assert_eq!(hint("sel").as_deref(), Some("ect"));
        assert_eq!(hint("SELECT * FROM aws.connect.ins"), None);
        assert_eq!(hint("SELECT i"), None);
        assert_eq!(hint("SELECT "), None);
        assert_eq!(hint(".outp").as_deref(), Some("ut"));
    }
}
