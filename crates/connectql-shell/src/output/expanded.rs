//! Expanded display (psql's `\x`): one block per row, headed
//! `-[ RECORD 1 ]---`, with a `field | value` line per column. JSON values
//! are pretty-printed over several lines under the value column, and long
//! values are wrapped at the window's edge, so nothing is cut.

use super::fitting::{cut, split_at_width, width};
use super::style::Palette;

/// A value as the lines to show (terminal-safe, JSON already
/// pretty-printed), and whether it is NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub lines: Vec<String>,
    pub null: bool,
}

/// One row: its number (from 1) and one value per column.
#[derive(Debug, Clone)]
pub struct Record {
    pub number: usize,
    pub values: Vec<Value>,
}

/// The narrowest value column before field names are cut.
const MIN_VALUE: usize = 16;

/// Renders records within `max` columns (`None`: no wrapping); `hidden`
/// records were left out between `top` and `bottom`.
/// One field's screen lines, each with whether it shows a NULL.
type FieldLines = Vec<(String, bool)>;

pub fn render(
    headers: &[String],
    top: &[Record],
    hidden: usize,
    bottom: &[Record],
    max: Option<usize>,
    palette: Palette,
) -> String {
    let mut name_w = headers.iter().map(|h| width(h)).max().unwrap_or(0);
    if let Some(m) = max {
        if name_w + 3 + MIN_VALUE > m {
            name_w = m.saturating_sub(3 + MIN_VALUE).max(1);
        }
    }
    let avail = max.map(|m| m.saturating_sub(name_w + 3).max(1));
    let wrap = |line: &str| -> Vec<String> {
        match avail {
            Some(a) if width(line) > a => {
                let mut out = Vec::new();
                let mut rest = line.to_string();
                while !rest.is_empty() {
                    let (head, tail) = split_at_width(&rest, a);
                    out.push(head);
                    rest = tail;
                }
                out
            }
            _ => vec![line.to_string()],
        }
    };
    let records: Vec<(usize, Vec<FieldLines>)> = top
        .iter()
        .chain(bottom)
        .map(|r| {
            (
                r.number,
                r.values
                    .iter()
                    .map(|v| {
                        v.lines
                            .iter()
                            .flat_map(|l| wrap(l))
                            .map(|l| (l, v.null))
                            .collect()
                    })
                    .collect(),
            )
        })
        .collect();
    let value_w = records
        .iter()
        .flat_map(|(_, vs)| vs.iter().flatten())
        .map(|(l, _)| width(l))
        .max()
        .unwrap_or(0);

    let mut out = String::new();
    for (k, (number, values)) in records.iter().enumerate() {
        if k == top.len() && hidden > 0 {
            let note = format!(
                "… {hidden} more record{} (.maxrows 0 shows all) …",
                if hidden == 1 { "" } else { "s" }
            );
            out.push_str(&palette.note(&max.map_or(note.clone(), |m| cut(&note, m))));
            out.push('\n');
        }
        // `-[ RECORD 1 ]---+------`, the `+` over the `|` when the title
        // is narrower than the field names, as psql draws it.
        let mut title = format!("-[ RECORD {number} ]");
        let left = name_w + 1;
        if width(&title) < left {
            title.push_str(&"-".repeat(left - width(&title)));
            title.push('+');
        }
        let full = name_w + 3 + value_w;
        let mut title_w = full.max(width(&title));
        if let Some(m) = max {
            title_w = title_w.min(m);
        }
        title.push_str(&"-".repeat(title_w.saturating_sub(width(&title))));
        out.push_str(&title);
        out.push('\n');
        for (h, lines) in headers.iter().zip(values) {
            let name = cut(h, name_w);
            let pad = " ".repeat(name_w - width(&name));
            let mut first = true;
            for (l, null) in lines.iter().map(|(l, n)| (l.as_str(), *n)).chain(
                // An empty value still gets its line.
                lines.is_empty().then_some(("", false)),
            ) {
                let label = if first {
                    format!("{}{pad}", palette.header(&name))
                } else {
                    " ".repeat(name_w)
                };
                let value = if null { palette.null(l) } else { l.to_string() };
                let mut line = format!("{label} | {value}");
                line.truncate(line.trim_end_matches(' ').len());
                out.push_str(&line);
                out.push('\n');
                first = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(lines: &[&str]) -> Value {
        Value {
            lines: lines.iter().map(|s| s.to_string()).collect(),
            null: false,
        }
    }

    #[test]
    fn blocks_with_wrapped_values() {
        let headers = vec!["id".to_string(), "attributes".to_string()];
        let rec = Record {
            number: 1,
            values: vec![
                v(&["0123456789abcdefghij0123456789"]),
                v(&["{", "  \"a\": true", "}"]),
            ],
        };
        let out = render(&headers, &[rec], 0, &[], Some(30), Palette::default());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], format!("-[ RECORD 1 ]{}", "-".repeat(17)));
        assert_eq!(lines[1], "id         | 0123456789abcdefg");
        assert_eq!(lines[2], "           | hij0123456789");
        assert_eq!(lines[3], "attributes | {");
        assert_eq!(lines[4], "           |   \"a\": true");
        for l in &lines {
            assert!(width(l) <= 30, "{l}");
        }
        let headers = vec!["identity_management_type".to_string()];
        let rec = Record {
            number: 2,
            values: vec![v(&["SAML"])],
        };
        let out = render(&headers, &[rec], 0, &[], Some(80), Palette::default());
        assert_eq!(
            out,
            "-[ RECORD 2 ]------------+-----\nidentity_management_type | SAML\n"
        );
    }
}
