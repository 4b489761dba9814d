//! What a statement produced: rows, a message, and what is missing.
//! Shared by the session (which makes it) and the output layer (which
//! renders it), so neither depends on the other.

use crate::engine::ResultSet;

#[derive(Debug, Default)]
pub struct Outcome {
    /// Rows to render (SELECT, SHOW, DESCRIBE, EXPLAIN, RETURNING).
    pub result: Option<ResultSet>,
    /// A sentence for the user (what a change did).
    pub message: Option<String>,
    /// Printed on stderr: what is missing from the answer, and why.
    pub warnings: Vec<String>,
    /// True when the answer is incomplete (a region or call failed).
    pub partial: bool,
    /// True when some calls of a change failed (each is in the result
    /// with its error); the statement's status is a failure.
    pub change_failed: bool,
}
