//! Local files as tables: `read_csv('new_hires.csv')` and
//! `read_json('queues.json')` in a FROM clause, so onboarding a class of new
//! hires is one `INSERT … SELECT … FROM read_csv(…)`.
//!
//! The planner finds the calls, reads the file (bounded), and replaces the
//! call's text with a temporary table the engine loads: a CSV's header names
//! the columns (every value text, an empty field NULL); a JSON file is an
//! array of objects whose keys name the columns (nested values as JSON text).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::error::Error;

/// The largest file read (bytes) and the most rows kept.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
pub const MAX_ROWS: usize = 1_000_000;

/// A file's rows, loaded by the engine as a temporary table.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalTable {
    /// The engine's table name (`local0`…).
    pub table: String,
    pub columns: Vec<String>,
    /// Text or NULL values, in column order.
    pub rows: Vec<Vec<Option<String>>>,
}

/// The functions that read a file, by name.
pub fn is_reader(name: &str) -> bool {
    name.eq_ignore_ascii_case("read_csv") || name.eq_ignore_ascii_case("read_json")
}

/// Reads `path` with the reader `function` into `table`.
pub fn read(function: &str, path: &str, table: String) -> Result<LocalTable, Error> {
    let refuse = |why: String| Error::InvalidParam {
        param: format!("{function}('{path}')"),
        message: why,
    };
    let meta = std::fs::metadata(path).map_err(|e| refuse(format!("cannot read it: {e}")))?;
    if !meta.is_file() {
        return Err(refuse("is not a file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(refuse(format!(
            "is {} MiB; files up to {} MiB are read",
            meta.len() >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| refuse(format!("cannot read it: {e}")))?;
    let (columns, rows) = if function.eq_ignore_ascii_case("read_csv") {
        csv_rows(&bytes).map_err(refuse)?
    } else {
        json_rows(&bytes).map_err(refuse)?
    };
    if rows.len() > MAX_ROWS {
        return Err(refuse(format!("has more than {MAX_ROWS} rows")));
    }
    Ok(LocalTable {
        table,
        columns,
        rows,
    })
}

type Rows = (Vec<String>, Vec<Vec<Option<String>>>);

fn csv_rows(bytes: &[u8]) -> Result<Rows, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| format!("is not CSV with a header line: {e}"))?
        .clone();
    let columns: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    unique(&columns)?;
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("line {}: {e}", n + 2))?;
        rows.push(
            record
                .iter()
                .map(|v| (!v.is_empty()).then(|| v.to_string()))
                .collect(),
        );
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    Ok((columns, rows))
}

fn json_rows(bytes: &[u8]) -> Result<Rows, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("is not JSON: {e}"))?;
    let Value::Array(items) = value else {
        return Err("is not a JSON array of objects".into());
    };
    let mut columns: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for (n, item) in items.iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(format!("item {} is not an object", n + 1));
        };
        for k in map.keys() {
            if seen.insert(k.clone()) {
                columns.push(k.clone());
            }
        }
    }
    unique(&columns)?;
    let rows = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|c| match item.get(c) {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(other) => Some(other.to_string()),
                })
                .collect()
        })
        .collect();
    Ok((columns, rows))
}

fn unique(columns: &[String]) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for c in columns {
        if c.is_empty() {
            return Err("has an empty column name".into());
        }
        if !seen.insert(c.to_ascii_lowercase()) {
            return Err(format!("names the column `{c}` twice"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_json_become_rows() {
        let (columns, rows) =
            csv_rows(b"username,first name,team\nava.k,Ava,\"Billing, east\"\nbo,,Ops\n").unwrap();
        assert_eq!(columns, ["username", "first name", "team"]);
        assert_eq!(rows[0][2].as_deref(), Some("Billing, east"));
        assert_eq!(rows[1][1], None);
        assert!(csv_rows(b"a,b\n1,2,3\n").unwrap_err().contains("line 2"));
        assert!(csv_rows(b"a,A\n1,2\n").unwrap_err().contains("twice"));
        let (columns, rows) =
            json_rows(br#"[{"name":"Q1","max":5},{"name":"Q2","tags":{"a":1}}]"#).unwrap();
        assert_eq!(columns, ["name", "max", "tags"]);
        assert_eq!(rows[0][1].as_deref(), Some("5"));
        assert_eq!(rows[1][2].as_deref(), Some(r#"{"a":1}"#));
        assert!(json_rows(b"{}").is_err());
        assert!(json_rows(b"[1]").unwrap_err().contains("item 1"));
    }
}
