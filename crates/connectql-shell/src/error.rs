//! Errors a statement can end with. Every variant renders as a message a
//! user can act on: the position in the SQL, the missing param with an
//! example, the unknown name with a suggestion, or the AWS error with the IAM
//! action it needs.

use std::fmt;

use crate::connect_api::ApiError;

#[derive(Debug)]
pub enum Error {
    /// The SQL could not be parsed. `line`/`column` are 1-based when known.
    Parse {
        message: String,
        sql: String,
        line: Option<u64>,
        column: Option<u64>,
    },
    /// A required param is absent from the WHERE clause.
    MissingParam {
        param: &'static str,
        method: &'static str,
        resource: String,
        example: String,
    },
    /// A param is present but its value is unusable.
    InvalidParam { param: String, message: String },
    /// A name that is not in the catalog or not valid at this place.
    Unknown {
        what: &'static str,
        name: String,
        suggestion: Option<String>,
        known: String,
    },
    /// The statement is valid SQL that connectql cannot run.
    Unsupported(String),
    /// The relational engine refused the statement.
    Engine(String),
    /// A Connect API call failed (every region failed, or the only one).
    Api(Box<ApiError>),
    /// Several regions failed and none returned rows.
    AllRegionsFailed(Vec<ApiError>),
    /// A change was refused before any call (read-only session, DELETE
    /// without confirmation, a bad patch document...).
    Refused(String),
    /// A change failed part-way: what was applied and what was not.
    PartialChange {
        what: String,
        applied: Vec<String>,
        not_applied: Vec<String>,
        cause: Box<ApiError>,
    },
    /// The user pressed Ctrl-C while the statement ran.
    Cancelled,
    /// The statement deadline (`--timeout`) passed.
    Timeout {
        after: std::time::Duration,
        what: String,
    },
    /// The statement's calls cannot finish before the deadline at
    /// Connect's documented rate: refused before they start.
    DeadlineTooShort(Box<crate::executor::budget::Refusal>),
    /// Configuration problems (endpoint URL, profile...).
    Config(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl std::error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse {
                message,
                sql,
                line,
                column,
            } => {
                write!(f, "syntax error: {message}")?;
                if let (Some(line), Some(column)) = (line, column) {
                    if let Some(caret) = caret_under(sql, *line, *column) {
                        write!(f, "\n{caret}")?;
                    }
                }
                Ok(())
            }
            Error::MissingParam {
                param,
                method,
                resource,
                example,
            } if *method == "create_resource" => write!(
                f,
                "missing required param `{param}` for {method} on {resource}: {example}"
            ),
            Error::MissingParam {
                param,
                method,
                resource,
                example,
            } => write!(
                f,
                "missing required param `{param}` for {method} on {resource}: put it in the WHERE clause, e.g.\n  {example}"
            ),
            Error::InvalidParam { param, message } => write!(f, "invalid `{param}`: {message}"),
            Error::Unknown {
                what,
                name,
                suggestion,
                known,
            } => {
                write!(f, "unknown {what} `{name}`")?;
                if let Some(s) = suggestion {
                    write!(f, "; did you mean `{s}`?")?;
                }
                if !known.is_empty() {
                    write!(f, "\n  known: {known}")?;
                }
                Ok(())
            }
            Error::Unsupported(m) => write!(f, "not supported: {m}"),
            Error::Engine(m) => write!(f, "{m}"),
            Error::Api(e) => write!(f, "{e}"),
            Error::AllRegionsFailed(errors) => {
                write!(f, "every region failed:")?;
                for e in errors {
                    write!(f, "\n  {e}")?;
                }
                Ok(())
            }
            Error::Refused(m) => write!(f, "refused: {m}"),
            Error::PartialChange {
                what,
                applied,
                not_applied,
                cause,
            } => {
                write!(f, "{what} failed part-way: {cause}")?;
                let list = |v: &Vec<String>| if v.is_empty() { "nothing".to_string() } else { v.join("; ") };
                write!(f, "\n  applied: {}\n  not applied: {}", list(applied), list(not_applied))
            }
            Error::Cancelled => write!(f, "cancelled"),
            Error::Timeout { after, what } => write!(
                f,
                "the statement did not finish within {} s (--timeout) and was stopped while {}; nothing was printed",
                after.as_secs_f64(),
                if what.is_empty() { "starting" } else { what }
            ),
            Error::DeadlineTooShort(refusal) => write!(f, "{refusal}"),
            Error::Config(m) => write!(f, "configuration error: {m}"),
        }
    }
}

/// The line of `sql` at `line` with a caret under `column` (both 1-based).
/// Control characters are shown as spaces so the caret stays aligned and the
/// terminal is not disturbed; very long lines are cut around the column.
pub fn caret_under(sql: &str, line: u64, column: u64) -> Option<String> {
    let text = sql.lines().nth(line.checked_sub(1)? as usize)?;
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let col = (column.saturating_sub(1) as usize).min(chars.len());
    const WINDOW: usize = 60;
    let start = col.saturating_sub(WINDOW);
    let end = (col + WINDOW).min(chars.len());
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < chars.len() { "…" } else { "" };
    let shown: String = chars[start..end].iter().collect();
    let pad = " ".repeat(col - start + prefix.chars().count());
    Some(format!("  {prefix}{shown}{suffix}\n  {pad}^"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_column() {
        let c = caret_under("SELECT * FORM x", 1, 10).unwrap();
        assert_eq!(c, "  SELECT * FORM x\n           ^");
        assert!(caret_under("a", 3, 1).is_none());
    }

    #[test]
    fn caret_on_a_long_line_is_windowed() {
        let sql = format!("{}X", "a".repeat(10_000));
        let c = caret_under(&sql, 1, 10_001).unwrap();
        assert!(c.len() < 300);
        let lines: Vec<&str> = c.lines().collect();
        let x_at = lines[0].chars().position(|c| c == 'X').unwrap();
        let caret_at = lines[1].chars().position(|c| c == '^').unwrap();
        assert_eq!(x_at, caret_at);
    }
}
