//! Output rendering: table, json, csv and text, for a terminal or not.
//!
//! * json is one array of objects per statement, with JSON columns nested
//!   and NULL as null; csv has a header row; text is tab-separated values
//!   without a header, for `cut` and `awk`. These keep the exact data.
//! * table ends with a row count. On a terminal it fits the window
//!   ([`fitting`]: values cut with `…`, middle columns elided and named,
//!   first and last rows of a long result), switches to [`expanded`]
//!   display for a one-row result wider than the window, and is styled
//!   ([`style`]); elsewhere (a pipe, a file) it is whole and plain.
//! * Long output goes through a [`pager`] on a terminal.
//! * Text from the server never reaches a terminal raw, in any format
//!   ([`safe`]); files and pipes get the exact bytes.

pub mod expanded;
pub mod fitting;
pub mod pager;
pub mod safe;
pub mod style;

use std::fmt;
use std::sync::OnceLock;

use clap::ValueEnum;
use serde_json::Value;

use crate::engine::ResultSet;
use crate::logging;
use crate::outcome::Outcome;

use self::fitting::{Cell, Grid};
use self::style::Palette;

/// How results are printed: `--output`, `.mode`, `.help` and completion
/// all read this one definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns, fitted to the terminal.
    Table,
    /// One array of objects per statement.
    Json,
    /// A header row, then comma-separated values.
    Csv,
    /// Tab-separated values without a header.
    Text,
}

/// `on`, `off` or `auto`, for `.expanded` and `.pager`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Switch {
    On,
    Off,
    #[default]
    Auto,
}

/// The names of a value enum's variants, as `'static` strings (made once).
fn names_of<T: ValueEnum>(cell: &'static OnceLock<Vec<&'static str>>) -> &'static [&'static str] {
    cell.get_or_init(|| {
        T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|p| &*Box::leak(p.get_name().to_string().into_boxed_str()))
            .collect()
    })
}

/// Parses a value enum from its name (case-insensitive), with an error
/// naming every value.
pub fn parse_value<T: ValueEnum>(s: &str, names: &[&str]) -> Result<T, String> {
    T::from_str(s.trim(), true).map_err(|_| {
        format!(
            "unknown value `{}`; use one of {}",
            s.trim(),
            names.join(", ")
        )
    })
}

fn name_of<T: ValueEnum>(v: &T) -> String {
    v.to_possible_value()
        .map(|p| p.get_name().to_string())
        .unwrap_or_default()
}

impl OutputFormat {
    /// Every format's name.
    pub fn names() -> &'static [&'static str] {
        static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
        names_of::<OutputFormat>(&NAMES)
    }
}

impl std::str::FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_value(s, OutputFormat::names())
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&name_of(self))
    }
}

impl Switch {
    pub fn names() -> &'static [&'static str] {
        static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
        names_of::<Switch>(&NAMES)
    }
}

impl std::str::FromStr for Switch {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        // on/off spelled the ways the other switches accept.
        match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(Switch::On),
            "false" | "no" | "0" => Ok(Switch::Off),
            _ => parse_value(s, Switch::names()),
        }
    }
}

impl fmt::Display for Switch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&name_of(self))
    }
}

/// The default NULL marker of table and expanded output.
pub const DEFAULT_NULL: &str = "NULL";

/// How to render for one destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    pub format: OutputFormat,
    /// Fit tables within this many columns (`None`: whole).
    pub width: Option<usize>,
    /// Show at most this many rows of a table, first and last (0: all).
    pub max_rows: usize,
    pub expanded: Switch,
    /// What NULL looks like in table and expanded output.
    pub null: String,
    pub color: bool,
    /// The destination is a terminal: text output is escaped too.
    pub terminal: bool,
}

impl RenderOptions {
    /// Everything whole and exact, no colour: for pipes and files.
    pub fn exact(format: OutputFormat) -> RenderOptions {
        RenderOptions {
            format,
            width: None,
            max_rows: 0,
            expanded: Switch::Off,
            null: DEFAULT_NULL.into(),
            color: false,
            terminal: false,
        }
    }
}

/// Renders a result set; the text ends with a newline.
pub fn render(rs: &ResultSet, opts: &RenderOptions) -> String {
    match opts.format {
        OutputFormat::Table => render_table(rs, opts),
        OutputFormat::Json => render_json(rs, opts.terminal),
        OutputFormat::Csv => render_csv(rs, opts.terminal),
        OutputFormat::Text => render_text(rs, opts.terminal),
    }
}

/// A cell as plain text: strings bare, JSON compact, NULL empty.
fn cell_text(v: &Value, null: &str) -> String {
    match v {
        Value::Null => null.to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// True when a string would read as the NULL marker: the marker itself,
/// or the marker in SQL quotes (any number of times).
fn looks_like_null(s: &str, null: &str) -> bool {
    let mut cur = s.to_string();
    loop {
        if cur == null {
            return true;
        }
        match sql_unquote(&cur) {
            Some(inner) => cur = inner,
            None => return false,
        }
    }
}

/// `'it''s'` → `it's`; `None` when `s` is not one SQL string literal.
fn sql_unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// A string value as a table shows it: terminal-safe, and written as an
/// SQL literal when it would otherwise look like NULL, so NULL and the
/// string 'NULL' never look alike, with or without colour.
fn display_string(s: &str, null: &str) -> String {
    let safe = safe::line(s);
    if looks_like_null(&safe, null) {
        format!("'{}'", safe.replace('\'', "''"))
    } else {
        safe.into_owned()
    }
}

fn table_cell(v: &Value, null: &str) -> Cell {
    match v {
        Value::Null => Cell {
            text: safe::line(null).into_owned(),
            null: true,
        },
        Value::String(s) => Cell {
            text: display_string(s, null),
            null: false,
        },
        other => Cell {
            text: safe::line(&other.to_string()).into_owned(),
            null: false,
        },
    }
}

/// The rows to show: all, or the first and last `max_rows` with the count
/// of those between.
fn split_rows<T>(rows: &[T], max_rows: usize) -> (&[T], usize, &[T]) {
    if max_rows == 0 || rows.len() <= max_rows {
        return (rows, 0, &[]);
    }
    let top = max_rows.div_ceil(2);
    let bottom = max_rows - top;
    (
        &rows[..top],
        rows.len() - max_rows,
        &rows[rows.len() - bottom..],
    )
}

fn count_line(n: usize) -> String {
    format!("({n} row{})\n", if n == 1 { "" } else { "s" })
}

fn render_table(rs: &ResultSet, opts: &RenderOptions) -> String {
    let palette = Palette {
        enabled: opts.color,
    };
    let mut out = String::new();
    let n = rs.rows.len();
    if rs.columns.is_empty() {
        out.push_str(&count_line(n));
        return out;
    }
    let headers: Vec<String> = rs
        .columns
        .iter()
        .map(|c| safe::line(&c.name).into_owned())
        .collect();
    let (top, hidden, bottom) = split_rows(&rs.rows, opts.max_rows);
    let cells = |rows: &[Vec<Value>]| -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|r| r.iter().map(|v| table_cell(v, &opts.null)).collect())
            .collect()
    };
    let right = (0..rs.columns.len())
        .map(|i| {
            let mut values = top.iter().chain(bottom).map(|r| r.get(i));
            let mut any = false;
            let all = values.all(|v| match v {
                Some(Value::Number(_)) => {
                    any = true;
                    true
                }
                Some(Value::Null) | None => true,
                _ => false,
            });
            all && any
        })
        .collect();
    let grid = Grid {
        headers: headers.clone(),
        right,
        weights: rs.columns.iter().map(|c| c.weight).collect(),
        top: cells(top),
        bottom: cells(bottom),
        hidden_rows: hidden,
    };
    let expanded = match opts.expanded {
        Switch::On => true,
        Switch::Off => false,
        Switch::Auto => opts
            .width
            .is_some_and(|w| n == 1 && grid.natural_width() > w),
    };
    if expanded {
        let records = |rows: &[Vec<Value>], first: usize| -> Vec<expanded::Record> {
            rows.iter()
                .enumerate()
                .map(|(k, r)| expanded::Record {
                    number: first + k + 1,
                    values: r.iter().map(|v| expanded_value(v, &opts.null)).collect(),
                })
                .collect()
        };
        let top_r = records(top, 0);
        let bottom_r = records(bottom, n - bottom.len());
        out.push_str(&expanded::render(
            &headers, &top_r, hidden, &bottom_r, opts.width, palette,
        ));
        out.push_str(&count_line(n));
        return out;
    }
    let (table, hidden_columns) = fitting::render(&grid, opts.width, palette);
    out.push_str(&table);
    out.push_str(&count_line(n));
    if !hidden_columns.is_empty() {
        let k = hidden_columns.len();
        let note = format!(
            "{k} column{} not shown: {} (.expanded on or .maxwidth 0 shows them)",
            if k == 1 { "" } else { "s" },
            hidden_columns.join(", ")
        );
        for line in fitting::wrap_words(&note, opts.width) {
            out.push_str(&palette.note(&line));
            out.push('\n');
        }
    }
    out
}

/// A value for expanded display: JSON pretty-printed over several lines.
fn expanded_value(v: &Value, null: &str) -> expanded::Value {
    match v {
        Value::Null => expanded::Value {
            lines: vec![safe::line(null).into_owned()],
            null: true,
        },
        Value::String(s) => expanded::Value {
            lines: vec![display_string(s, null)],
            null: false,
        },
        Value::Object(_) | Value::Array(_) => expanded::Value {
            lines: serde_json::to_string_pretty(v)
                .unwrap_or_default()
                .lines()
                .map(|l| safe::line(l).into_owned())
                .collect(),
            null: false,
        },
        other => expanded::Value {
            lines: vec![other.to_string()],
            null: false,
        },
    }
}

/// Exact serde_json text elsewhere; on a terminal the characters JSON
/// allows raw but [`safe`] does not are written as `\uXXXX` escapes.
fn render_json(rs: &ResultSet, terminal: bool) -> String {
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
    let s = serde_json::to_string_pretty(&Value::Array(array)).unwrap_or_else(|_| "[]".into());
    let mut s = if terminal { safe::json(s) } else { s };
    s.push('\n');
    s
}

/// Exact fields elsewhere; on a terminal every field is one escaped line
/// (a newline inside a field shows as `\n`, so a record is one line).
fn render_csv(rs: &ResultSet, terminal: bool) -> String {
    let field = |s: String| -> String {
        if terminal {
            safe::line(&s).into_owned()
        } else {
            s
        }
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(rs.columns.iter().map(|c| field(c.name.clone())));
    for row in &rs.rows {
        let _ = w.write_record(row.iter().map(|v| field(cell_text(v, ""))));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn render_text(rs: &ResultSet, terminal: bool) -> String {
    let mut out = String::new();
    for row in &rs.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| {
                let t = cell_text(v, "").replace(['\t', '\n', '\r'], " ");
                if terminal {
                    safe::line(&t).into_owned()
                } else {
                    t
                }
            })
            .collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// What to print for a statement's outcome: the rendered rows or message
/// for stdout, and the warnings (what is missing, and why) for stderr.
/// Messages and warnings are terminal-safe and scrubbed of credentials.
pub fn render_outcome(outcome: &Outcome, opts: &RenderOptions) -> (String, String) {
    let mut stdout = String::new();
    if let Some(rs) = &outcome.result {
        stdout.push_str(&render(rs, opts));
    }
    let mut stderr = String::new();
    if let Some(m) = &outcome.message {
        // JSON and CSV stay parseable: a sentence goes beside them, on stderr.
        let to = match opts.format {
            OutputFormat::Json | OutputFormat::Csv => &mut stderr,
            OutputFormat::Table | OutputFormat::Text => &mut stdout,
        };
        to.push_str(&logging::scrub(&safe::text(m)));
        if !m.ends_with('\n') {
            to.push('\n');
        }
    }
    for w in &outcome.warnings {
        stderr.push_str(&format!("warning: {}\n", logging::scrub(&safe::text(w))));
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

    #[test]
    fn messages_keep_json_and_csv_parseable() {
        let outcome = Outcome {
            message: Some("nothing to change: no call was made".into()),
            ..Outcome::default()
        };
        for format in [OutputFormat::Json, OutputFormat::Csv] {
            let (out, err) = render_outcome(&outcome, &RenderOptions::exact(format));
            assert_eq!(out, "", "{format:?}");
            assert!(err.contains("nothing to change"), "{format:?}");
        }
        for format in [OutputFormat::Table, OutputFormat::Text] {
            let (out, err) = render_outcome(&outcome, &RenderOptions::exact(format));
            assert!(out.contains("nothing to change"), "{format:?}");
            assert_eq!(err, "", "{format:?}");
        }
    }
    use crate::engine::{Column, Weight};
    use serde_json::json;

    fn sample() -> ResultSet {
        ResultSet {
            columns: vec![
                Column {
                    name: "id".into(),
                    json: false,
                    weight: Weight::Plain,
                },
                Column {
                    name: "attributes".into(),
                    json: true,
                    weight: Weight::Plain,
                },
                Column {
                    name: "directory_id".into(),
                    json: false,
                    weight: Weight::Plain,
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
        let v: Value = serde_json::from_str(&render(
            &sample(),
            &RenderOptions::exact(OutputFormat::Json),
        ))
        .unwrap();
        assert_eq!(
            v,
            json!([{"id": "i-1", "attributes": {"ContactLens": true}, "directory_id": null}])
        );
    }

    #[test]
    fn table_ends_with_count_and_shows_null() {
        let t = render(&sample(), &RenderOptions::exact(OutputFormat::Table));
        assert!(t.ends_with("(1 row)\n"), "{t}");
        assert!(t.contains("NULL"));
        assert!(t.contains("{\"ContactLens\":true}"));
    }

    #[test]
    fn csv_and_text() {
        let c = render(&sample(), &RenderOptions::exact(OutputFormat::Csv));
        assert_eq!(
            c,
            "id,attributes,directory_id\ni-1,\"{\"\"ContactLens\"\":true}\",\n"
        );
        assert_eq!(
            render(&sample(), &RenderOptions::exact(OutputFormat::Text)),
            "i-1\t{\"ContactLens\":true}\t\n"
        );
    }

    #[test]
    fn control_characters_are_escaped_in_tables() {
        let rs = ResultSet {
            columns: vec![Column {
                name: "x".into(),
                json: false,
                weight: Weight::Plain,
            }],
            rows: vec![vec![json!("a\u{1b}[31mred")]],
        };
        assert!(!render(&rs, &RenderOptions::exact(OutputFormat::Table)).contains('\u{1b}'));
    }

    fn terminal(width: usize) -> RenderOptions {
        RenderOptions {
            width: Some(width),
            max_rows: 40,
            expanded: Switch::Auto,
            terminal: true,
            ..RenderOptions::exact(OutputFormat::Table)
        }
    }

    fn strings(name: &str, values: &[Value]) -> ResultSet {
        ResultSet {
            columns: vec![Column {
                name: name.into(),
                json: false,
                weight: Weight::Plain,
            }],
            rows: values.iter().map(|v| vec![v.clone()]).collect(),
        }
    }

    #[test]
    fn null_never_looks_like_the_string_null() {
        let rs = strings(
            "x",
            &[Value::Null, json!("NULL"), json!("'NULL'"), json!("it's")],
        );
        let t = render(&rs, &terminal(80));
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[2].trim(), "NULL");
        assert_eq!(lines[3].trim(), "'NULL'");
        assert_eq!(lines[4].trim(), "'''NULL'''");
        assert_eq!(lines[5].trim(), "it's");
        // With another marker, the string NULL is plain again.
        let opts = RenderOptions {
            null: "∅".into(),
            ..terminal(80)
        };
        let t = render(&rs, &opts);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[2].trim(), "∅");
        assert_eq!(lines[3].trim(), "NULL");
    }

    #[test]
    fn long_results_show_first_and_last_rows_with_the_count() {
        let values: Vec<Value> = (1..=2000).map(|n| json!(n)).collect();
        let rs = strings("n", &values);
        let t = render(&rs, &terminal(80));
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 2 + 40 + 1 + 1, "{t}");
        assert_eq!(lines[2].trim(), "1");
        assert_eq!(lines[21].trim(), "20");
        assert!(lines[22].contains("1960 more rows"), "{t}");
        assert_eq!(lines[23].trim(), "1981");
        assert_eq!(lines[42].trim(), "2000");
        assert_eq!(lines[43], "(2000 rows)");
        // Whole when not on a terminal.
        let t = render(&rs, &RenderOptions::exact(OutputFormat::Table));
        assert_eq!(t.lines().count(), 2003);
    }

    #[test]
    fn wide_one_row_results_are_expanded_and_json_is_pretty() {
        let t = render(&sample(), &terminal(40));
        assert!(t.starts_with("-[ RECORD 1 ]"), "{t}");
        assert!(t.contains("attributes   | {\n"), "{t}");
        assert!(
            t.contains("             |   \"ContactLens\": true\n"),
            "{t}"
        );
        for l in t.lines() {
            assert!(fitting::width(l) <= 40, "{l}");
        }
        // It fits: a table.
        let t = render(&sample(), &terminal(80));
        assert!(t.starts_with(" id "), "{t}");
    }

    #[test]
    fn wide_tables_name_the_columns_they_hide() {
        let columns: Vec<Column> = (0..12)
            .map(|i| Column {
                name: format!("column_{i}"),
                json: false,
                weight: Weight::Plain,
            })
            .collect();
        let row: Vec<Value> = (0..12)
            .map(|i| json!(format!("value number {i} of the row")))
            .collect();
        let rs = ResultSet {
            columns,
            rows: vec![row.clone(), row],
        };
        let t = render(&rs, &terminal(80));
        for l in t.lines() {
            assert!(fitting::width(l) <= 80, "{l}");
        }
        assert!(t.contains("not shown: column_"), "{t}");
        // The last unnamed columns go; a `…` column stands where they were.
        assert!(t.lines().next().unwrap().ends_with("| …"), "{t}");
        assert!(t.contains("not shown: column_5, column_6"), "{t}");
    }

    #[test]
    fn weights_choose_what_a_narrow_table_keeps() {
        let col = |name: &str, weight: Weight| Column {
            name: name.into(),
            json: false,
            weight,
        };
        let rs = ResultSet {
            columns: vec![
                col("region", Weight::Plain),
                col("instance_arn", Weight::Detail),
                col("id", Weight::Detail),
                col("username", Weight::Name),
                col("notes", Weight::Plain),
                col("last", Weight::Plain),
            ],
            rows: (0..3)
                .map(|i| {
                    vec![
                        json!("us-east-1"),
                        json!(format!(
                            "arn:aws:connect:us-east-1:123456789012:instance/{i:036}"
                        )),
                        json!(format!("{i:036}")),
                        json!(format!("a.rather.long.user.name.{i}")),
                        json!("some notes about the user that go on"),
                        json!("end"),
                    ]
                })
                .collect(),
        };
        let t = render(&rs, &terminal(70));
        let header = t.lines().next().unwrap();
        assert_eq!(
            header.split('|').map(str::trim).collect::<Vec<_>>(),
            ["region", "…", "username", "notes", "last"],
            "{t}"
        );
        assert!(t.contains(" a.rather.long.user.name.2 "), "{t}");
        assert!(t.contains("2 columns not shown: instance_arn, id"), "{t}");
    }

    #[test]
    fn json_cells_stay_on_one_line_and_escapes_are_visible() {
        let rs = ResultSet {
            columns: vec![
                Column {
                    name: "tags".into(),
                    json: true,
                    weight: Weight::Plain,
                },
                Column {
                    name: "alias".into(),
                    json: false,
                    weight: Weight::Plain,
                },
            ],
            rows: vec![vec![
                json!([{"Key": "a\nb"}]),
                json!("evil\u{202e}gnp.exe\n"),
            ]],
        };
        let t = render(&rs, &terminal(200));
        assert_eq!(t.lines().count(), 4, "{t}");
        assert!(t.contains("evil\\u{202e}gnp.exe\\n"), "{t}");
        assert!(!t.contains('\u{202e}'));
        let text = render(
            &rs,
            &RenderOptions {
                format: OutputFormat::Text,
                ..terminal(80)
            },
        );
        assert!(!text.contains('\u{202e}'), "{text}");
        // Exact elsewhere.
        let text = render(&rs, &RenderOptions::exact(OutputFormat::Text));
        assert!(text.contains('\u{202e}'), "{text}");
    }

    /// Every class of unsafe character, as a queue description or a flow's
    /// content could hold it.
    const HOSTILE: &str = "t\u{1b}]0;pwned\u{7}c\u{1b}[2Jl\r\n\u{9b}1m\u{7f}\u{202e}rtl\u{2028}ls\u{2029}ps\u{200b}zw\u{200d}j\u{2060}wj\u{feff}bom";

    #[test]
    fn every_format_escapes_on_a_terminal_and_is_exact_elsewhere() {
        let rs = ResultSet {
            columns: vec![
                Column {
                    name: "d\u{1b}[2J".into(),
                    json: false,
                    weight: Weight::Plain,
                },
                Column {
                    name: "content".into(),
                    json: true,
                    weight: Weight::Plain,
                },
            ],
            rows: vec![vec![json!(HOSTILE), json!({"Text": HOSTILE})]],
        };
        for format in [
            OutputFormat::Table,
            OutputFormat::Json,
            OutputFormat::Csv,
            OutputFormat::Text,
        ] {
            for expanded in [Switch::Off, Switch::On] {
                let opts = RenderOptions {
                    format,
                    expanded,
                    ..terminal(200)
                };
                let out = render(&rs, &opts);
                // Newlines end lines, tabs separate text's columns.
                let raw: Vec<char> = out
                    .chars()
                    .filter(|&c| c != '\n' && c != '\t' && safe::is_unsafe(c))
                    .collect();
                assert!(raw.is_empty(), "{format} {expanded}: {raw:?} in {out:?}");
            }
        }
        // Elsewhere: the exact characters, in each format's own syntax.
        let exact = |format| render(&rs, &RenderOptions::exact(format));
        let v: Value = serde_json::from_str(&exact(OutputFormat::Json)).unwrap();
        assert_eq!(v[0]["d\u{1b}[2J"], HOSTILE);
        assert!(exact(OutputFormat::Json).contains("\u{202e}rtl\u{2028}ls"));
        let csv = exact(OutputFormat::Csv);
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(&r.headers().unwrap()[0], "d\u{1b}[2J");
        assert_eq!(&r.records().next().unwrap().unwrap()[0], HOSTILE);
        // Text keeps everything but its own separators (tab, newline, CR).
        let text = exact(OutputFormat::Text);
        assert!(
            text.starts_with(&HOSTILE.replace(['\r', '\n'], " ")),
            "{text:?}"
        );
    }

    #[test]
    fn formats_parse_by_their_clap_names() {
        assert_eq!("JSON".parse::<OutputFormat>(), Ok(OutputFormat::Json));
        assert_eq!(OutputFormat::names(), ["table", "json", "csv", "text"]);
        assert_eq!(OutputFormat::Csv.to_string(), "csv");
        assert!("xml"
            .parse::<OutputFormat>()
            .unwrap_err()
            .contains("table, json, csv, text"));
        assert_eq!("auto".parse::<Switch>(), Ok(Switch::Auto));
    }
}
