//! Tables that fit the terminal, DuckDB-style: never wider than the
//! window; values cut with `…` (by display width, so wide CJK and emoji
//! keep the columns aligned); when even cut columns do not fit, columns
//! are elided from the middle (a `…` column stands for them, and a note
//! names them); long results show their first and last rows with the
//! count between. Without a width the table is whole: every value in full.
//!
//! The layout is psql's: ` a | b ` rows under a `---+---` rule, numbers
//! right-aligned, no trailing blanks.

use unicode_width::UnicodeWidthChar;

use super::style::Palette;

/// Columns are not cut narrower than this (unless the window is narrower
/// than one such column).
pub const MIN_COLUMN: usize = 10;

/// Columns this narrow or narrower are shown whole or not at all.
pub const SHORT_COLUMN: usize = 16;

/// The display width of text (terminal columns), character by character.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `s` cut to at most `w` columns, ending with `…` when it was cut.
pub fn cut(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > w - 1 {
            break;
        }
        used += cw;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` (already at most `w` wide) padded with blanks to `w` columns.
fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// One cell: terminal-safe text on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// Shown in the NULL style.
    pub null: bool,
}

/// What the table shows.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub headers: Vec<String>,
    /// Right-aligned (numeric) columns.
    pub right: Vec<bool>,
    /// The first rows shown.
    pub top: Vec<Vec<Cell>>,
    /// The last rows shown (after the hidden ones).
    pub bottom: Vec<Vec<Cell>>,
    /// How many rows between `top` and `bottom` are not shown.
    pub hidden_rows: usize,
}

impl Grid {
    fn rows(&self) -> impl Iterator<Item = &Vec<Cell>> {
        self.top.iter().chain(&self.bottom)
    }

    /// Each column's width with every value in full.
    pub fn natural_widths(&self) -> Vec<usize> {
        let mut w: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for row in self.rows() {
            for (i, c) in row.iter().enumerate() {
                if let Some(x) = w.get_mut(i) {
                    *x = (*x).max(width(&c.text));
                }
            }
        }
        w
    }

    /// The width of the whole table with every value in full.
    pub fn natural_width(&self) -> usize {
        line_width(&self.natural_widths(), false)
    }
}

/// Width of a table line: ` a | b ` is each width plus 3, less 1; the
/// `…` column of elided columns adds 4.
fn line_width(widths: &[usize], gap: bool) -> usize {
    let k = widths.len();
    widths.iter().sum::<usize>() + (3 * k).saturating_sub(1) + if gap { 4 } else { 0 }
}

/// Which columns are shown, how wide, and where the elided ones were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Indices of the shown columns, in order.
    pub shown: Vec<usize>,
    /// The width of each shown column.
    pub widths: Vec<usize>,
    /// Indices of the elided columns (contiguous, from the middle).
    pub hidden: Vec<usize>,
    /// How many shown columns come before the `…` column.
    pub gap_at: usize,
}

/// Fits columns of `natural` widths into `max` terminal columns.
pub fn layout(natural: &[usize], max: Option<usize>) -> Layout {
    let all: Vec<usize> = (0..natural.len()).collect();
    let whole = Layout {
        shown: all.clone(),
        widths: natural.to_vec(),
        hidden: Vec::new(),
        gap_at: 0,
    };
    let Some(max) = max else { return whole };
    if natural.is_empty() || line_width(natural, false) <= max {
        return whole;
    }
    // Short columns (a region, a status) are never cut: cutting them saves
    // little and loses what they say; long ones go down to MIN_COLUMN.
    let min = |i: usize| {
        if natural[i] <= SHORT_COLUMN {
            natural[i]
        } else {
            MIN_COLUMN
        }
    };
    let mut shown = all;
    let mut hidden: Vec<usize> = Vec::new();
    let fits_at_min = |shown: &[usize], gap: bool| {
        line_width(&shown.iter().map(|&i| min(i)).collect::<Vec<_>>(), gap) <= max
    };
    while shown.len() > 1 && !fits_at_min(&shown, !hidden.is_empty()) {
        hidden.push(shown.remove(shown.len() / 2));
    }
    hidden.sort_unstable();
    let gap = !hidden.is_empty();
    let gap_at = hidden
        .first()
        .map(|&h| shown.iter().filter(|&&i| i < h).count())
        .unwrap_or(0);
    let budget = max.saturating_sub(line_width(&vec![0; shown.len()], gap));
    let nat: Vec<usize> = shown.iter().map(|&i| natural[i]).collect();
    let mins: Vec<usize> = shown.iter().map(|&i| min(i)).collect();
    let widths = if mins.iter().sum::<usize>() > budget {
        // Narrower than one column at its minimum: whatever room there is.
        let mut w = vec![0; shown.len()];
        w[0] = budget.max(1);
        w
    } else {
        fill(&nat, &mins, budget)
    };
    Layout {
        shown,
        widths,
        hidden,
        gap_at,
    }
}

/// Water-filling: every column gets `max(min, min(natural, level))` for the
/// highest level that fits the budget, and what is left over goes, one
/// column at a time, to the columns still cut.
fn fill(natural: &[usize], mins: &[usize], budget: usize) -> Vec<usize> {
    let at = |level: usize| -> Vec<usize> {
        natural
            .iter()
            .zip(mins)
            .map(|(&n, &m)| m.max(n.min(level)))
            .collect()
    };
    let (mut lo, mut hi) = (0, natural.iter().copied().max().unwrap_or(0));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if at(mid).iter().sum::<usize>() <= budget {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut w = at(lo);
    let mut left = budget.saturating_sub(w.iter().sum());
    for (x, &n) in w.iter_mut().zip(natural) {
        if left == 0 {
            break;
        }
        if *x < n {
            *x += 1;
            left -= 1;
        }
    }
    w
}

/// Renders the grid within `max` columns (`None`: every value in full).
/// Returns the table's lines (each ending with a newline) and the names of
/// the columns that did not fit.
pub fn render(grid: &Grid, max: Option<usize>, palette: Palette) -> (String, Vec<String>) {
    let lay = layout(&grid.natural_widths(), max);
    let gap = !lay.hidden.is_empty();
    let mut out = String::new();

    // Cells of one line: the shown columns with the `…` column in its place.
    let line = |cells: Vec<String>| -> String {
        let mut parts: Vec<String> = cells.into_iter().map(|c| format!(" {c} ")).collect();
        if gap {
            parts.insert(lay.gap_at, " … ".to_string());
        }
        let mut l = parts.join("|");
        l.truncate(l.trim_end_matches(' ').len());
        l.push('\n');
        l
    };

    let header: Vec<String> = lay
        .shown
        .iter()
        .zip(&lay.widths)
        .map(|(&i, &w)| palette.header(&pad(&cut(&grid.headers[i], w), w, false)))
        .collect();
    out.push_str(&line(header));
    let mut rule: Vec<String> = lay.widths.iter().map(|w| "-".repeat(w + 2)).collect();
    if gap {
        rule.insert(lay.gap_at, "---".into());
    }
    out.push_str(&rule.join("+"));
    out.push('\n');

    let row_line = |row: &Vec<Cell>| {
        line(
            lay.shown
                .iter()
                .zip(&lay.widths)
                .map(|(&i, &w)| {
                    let cell = row.get(i);
                    let text = cell.map(|c| c.text.as_str()).unwrap_or("");
                    let right = grid.right.get(i).copied().unwrap_or(false);
                    let padded = pad(&cut(text, w), w, right);
                    if cell.is_some_and(|c| c.null) {
                        palette.null(&padded)
                    } else {
                        padded
                    }
                })
                .collect(),
        )
    };
    for row in &grid.top {
        out.push_str(&row_line(row));
    }
    if grid.hidden_rows > 0 {
        let n = grid.hidden_rows;
        let note = format!(
            " … {n} more row{} (.maxrows 0 shows all) …",
            if n == 1 { "" } else { "s" }
        );
        let note = match max {
            Some(m) => cut(&note, m),
            None => note,
        };
        out.push_str(&palette.note(&note));
        out.push('\n');
    }
    for row in &grid.bottom {
        out.push_str(&row_line(row));
    }
    let hidden = lay
        .hidden
        .iter()
        .map(|&i| grid.headers[i].clone())
        .collect();
    (out, hidden)
}

/// Words wrapped at `max` columns (a word longer than a line is cut
/// across lines).
pub fn wrap_words(text: &str, max: Option<usize>) -> Vec<String> {
    let Some(max) = max.filter(|&m| m > 0) else {
        return vec![text.to_string()];
    };
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let sep = usize::from(!cur.is_empty());
        if width(&cur) + sep + width(word) > max && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
        while width(&cur) > max {
            let (head, tail) = split_at_width(&cur, max);
            lines.push(head);
            cur = tail;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Splits text into a head at most `w` columns wide (at least one
/// character) and the rest.
pub fn split_at_width(s: &str, w: usize) -> (String, String) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let cw = c.width().unwrap_or(0);
        if used + cw > w && i > 0 {
            return (s[..i].to_string(), s[i..].to_string());
        }
        used += cw;
    }
    (s.to_string(), String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(s: &str) -> Cell {
        Cell {
            text: s.into(),
            null: false,
        }
    }

    #[test]
    fn cut_by_display_width() {
        assert_eq!(cut("hello", 5), "hello");
        assert_eq!(cut("hello world", 6), "hello…");
        // Wide characters: never more columns than asked.
        let c = cut("東京都庁舎", 6);
        assert!(width(&c) <= 6, "{c}");
        assert_eq!(c, "東京…");
        assert_eq!(width(&cut("🦀🦀🦀🦀", 5)), 5);
    }

    #[test]
    fn whole_when_it_fits_or_unlimited() {
        let l = layout(&[5, 50, 5], None);
        assert_eq!(l.widths, vec![5, 50, 5]);
        let l = layout(&[5, 10, 5], Some(80));
        assert_eq!(l.widths, vec![5, 10, 5]);
    }

    #[test]
    fn widest_columns_are_cut_first() {
        let l = layout(&[6, 100, 40], Some(60));
        assert!(l.hidden.is_empty());
        assert_eq!(line_width(&l.widths, false), 60);
        assert_eq!(l.widths[0], 6);
        assert!(l.widths[1] >= l.widths[2] - 1, "{l:?}");
    }

    #[test]
    fn middle_columns_are_elided() {
        let l = layout(&[20; 12], Some(80));
        assert!(!l.hidden.is_empty());
        assert!(line_width(&l.widths, true) <= 80, "{l:?}");
        assert_eq!(l.shown[0], 0);
        assert_eq!(*l.shown.last().unwrap(), 11);
        // Contiguous, and the gap sits where they were.
        for w in l.hidden.windows(2) {
            assert_eq!(w[1], w[0] + 1);
        }
        assert_eq!(l.shown[l.gap_at - 1] + 1, l.hidden[0]);
    }

    #[test]
    fn tiny_windows_still_fit() {
        for max in 1..30 {
            let l = layout(&[30, 30, 30], Some(max));
            let w = line_width(&l.widths, !l.hidden.is_empty());
            assert!(w <= max.max(7), "{max}: {l:?}");
        }
    }

    #[test]
    fn rendered_lines_fit_and_align() {
        let grid = Grid {
            headers: vec!["name".into(), "city".into(), "n".into()],
            right: vec![false, false, true],
            top: vec![
                vec![
                    cell("ascii name that is long"),
                    cell("東京都庁舎ビル"),
                    cell("1"),
                ],
                vec![cell("🦀 crab 🦀 crab 🦀"), cell("x"), cell("22")],
            ],
            bottom: vec![],
            hidden_rows: 0,
        };
        let (t, hidden) = render(&grid, Some(36), Palette::default());
        assert!(hidden.is_empty());
        let lines: Vec<&str> = t.lines().collect();
        for l in &lines {
            assert!(width(l) <= 36, "{l:?}");
        }
        // Every `|` is at the same display column on every line.
        let bars = |l: &str| -> Vec<usize> {
            let mut col = 0;
            let mut at = Vec::new();
            for c in l.chars() {
                if c == '|' || c == '+' {
                    at.push(col);
                }
                col += c.width().unwrap_or(0);
            }
            at
        };
        let first = bars(lines[0]);
        for l in &lines {
            assert_eq!(bars(l), first, "{t}");
        }
    }

    #[test]
    fn wraps_words() {
        assert_eq!(
            wrap_words("one two three four", Some(9)),
            vec!["one two", "three", "four"]
        );
        assert_eq!(
            wrap_words("abcdefghij", Some(4)),
            vec!["abcd", "efgh", "ij"]
        );
    }
}
