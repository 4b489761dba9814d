//! Output rendering: table (tabled), json, csv and text.
//!
//! json is one array of objects per statement, with JSON columns nested and
//! NULL as null; table ends with a row count; csv has a header row; text is
//! tab-separated values without a header, for `cut` and `awk`.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;
use tabled::builder::Builder;
use tabled::settings::Style;

use crate::engine::ResultSet;
use crate::outcome::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
    Text,
}

impl OutputFormat {
    pub const ALL: [&'static str; 4] = ["table", "json", "csv", "text"];
}

impl FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "table" => Ok(OutputFormat::Table),
            "json" => Ok(OutputFormat::Json),
            "csv" => Ok(OutputFormat::Csv),
            "text" => Ok(OutputFormat::Text),
            other => Err(format!(
                "unknown output format `{other}`; use one of {}",
                OutputFormat::ALL.join(", ")
            )),
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Csv => "csv",
            OutputFormat::Text => "text",
        })
    }
}

/// Renders a result set; the text ends with a newline.
pub fn render(rs: &ResultSet, format: OutputFormat) -> String {
    match format {
        OutputFormat::Table => render_table(rs),
        OutputFormat::Json => render_json(rs),
        OutputFormat::Csv => render_csv(rs),
        OutputFormat::Text => render_text(rs),
    }
}

/// A cell as plain text: strings bare, JSON compact, NULL empty (table
/// shows NULL explicitly so it is not confused with an empty string).
fn cell_text(v: &Value, null: &str) -> String {
    match v {
        Value::Null => null.to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Control characters would let data rewrite the terminal: escape them.
fn terminal_safe(s: String) -> String {
    if s.chars().any(|c| c.is_control()) {
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        s
    }
}

fn render_table(rs: &ResultSet) -> String {
    let mut out = String::new();
    if !rs.columns.is_empty() {
        let mut b = Builder::default();
        b.push_record(rs.columns.iter().map(|c| terminal_safe(c.name.clone())));
        for row in &rs.rows {
            b.push_record(row.iter().map(|v| terminal_safe(cell_text(v, "NULL"))));
        }
        let mut table = b.build();
        table.with(Style::psql());
        out.push_str(&table.to_string());
        out.push('\n');
    }
    let n = rs.rows.len();
    out.push_str(&format!("({n} row{})\n", if n == 1 { "" } else { "s" }));
    out
}

fn render_json(rs: &ResultSet) -> String {
    let array: Vec<Value> = rs
        .rows
        .iter()
        .map(|row| {
            let mut obj = serde_json::Map::new();
            for (c, v) in rs.columns.iter().zip(row) {
                obj.insert(c.name.clone(), v.clone());
            }
            Value::Object(obj)
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&Value::Array(array)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

fn render_csv(rs: &ResultSet) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(rs.columns.iter().map(|c| c.name.as_str()));
    for row in &rs.rows {
        let _ = w.write_record(row.iter().map(|v| cell_text(v, "")));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn render_text(rs: &ResultSet) -> String {
    let mut out = String::new();
    for row in &rs.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| cell_text(v, "").replace(['\t', '\n', '\r'], " "))
            .collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// What to print for a statement's outcome: the rendered rows or message
/// for stdout, and the warnings (what is missing, and why) for stderr.
pub fn render_outcome(outcome: &Outcome, format: OutputFormat) -> (String, String) {
    let mut stdout = String::new();
    if let Some(rs) = &outcome.result {
        stdout.push_str(&render(rs, format));
    }
    if let Some(m) = &outcome.message {
        stdout.push_str(m);
        if !m.ends_with('\n') {
            stdout.push('\n');
        }
    }
    let mut stderr = String::new();
    for w in &outcome.warnings {
        stderr.push_str(&format!("warning: {w}\n"));
    }
    if outcome.partial {
        stderr.push_str(
            "warning: the result above is partial: some rows or fields could not be fetched\n",
        );
    }
    (stdout, stderr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Column;
    use serde_json::json;

    fn sample() -> ResultSet {
        ResultSet {
            columns: vec![
                Column {
                    name: "id".into(),
                    json: false,
                },
                Column {
                    name: "attributes".into(),
                    json: true,
                },
                Column {
                    name: "directory_id".into(),
                    json: false,
                },
            ],
            rows: vec![vec![
                json!("i-1"),
                json!({"ContactLens": true}),
                Value::Null,
            ]],
        }
    }

    #[test]
    fn json_nests_and_keeps_nulls() {
        let v: Value = serde_json::from_str(&render(&sample(), OutputFormat::Json)).unwrap();
        assert_eq!(
            v,
            json!([{"id": "i-1", "attributes": {"ContactLens": true}, "directory_id": null}])
        );
    }

    #[test]
    fn table_ends_with_count_and_shows_null() {
        let t = render(&sample(), OutputFormat::Table);
        assert!(t.ends_with("(1 row)\n"), "{t}");
        assert!(t.contains("NULL"));
        assert!(t.contains("{\"ContactLens\":true}"));
    }

    #[test]
    fn csv_and_text() {
        let c = render(&sample(), OutputFormat::Csv);
        assert_eq!(
            c,
            "id,attributes,directory_id\ni-1,\"{\"\"ContactLens\"\":true}\",\n"
        );
        assert_eq!(
            render(&sample(), OutputFormat::Text),
            "i-1\t{\"ContactLens\":true}\t\n"
        );
    }

    #[test]
    fn control_characters_are_escaped_in_tables() {
        let rs = ResultSet {
            columns: vec![Column {
                name: "x".into(),
                json: false,
            }],
            rows: vec![vec![json!("a\u{1b}[31mred")]],
        };
        assert!(!render(&rs, OutputFormat::Table).contains('\u{1b}'));
    }
}
