//! Tables that fit the terminal, DuckDB-style: never wider than the
//! window; values cut with `…` (by display width, so wide CJK and emoji
//! keep the columns aligned); when even cut columns do not fit, the
//! lightest columns are hidden (by each column's [`Weight`]: ARNs and ids
//! before the rest, the rest before what the statement names, the column
//! that names the item last and never cut; of equal weights, the last
//! first, or from the middle of the columns the statement names), a `…`
//! column stands where they were and a note names them; the columns shown
//! keep the statement's order, and headers are not cut. Long results show
//! their first and last rows with the count between. Without a width the
//! table is whole: every value in full.
//!
//! The layout is psql's: ` a | b ` rows under a `---+---` rule, numbers
//! right-aligned, no trailing blanks.

use unicode_width::UnicodeWidthChar;

use super::style::Palette;
use crate::engine::Weight;

/// Columns are not cut narrower than this (unless the window is narrower
/// than one such column).
pub const MIN_COLUMN: usize = 10;

/// Columns the statement asks for are cut down to this (or their
/// header) before they are hidden.
pub const MIN_ASKED: usize = 6;

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
    /// How much each column matters when not all fit (default: plain).
    pub weights: Vec<Weight>,
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
        line_width(&self.natural_widths(), 0)
    }

    /// What the layout needs of each column.
    pub fn fits(&self) -> Vec<Fit> {
        self.natural_widths()
            .into_iter()
            .enumerate()
            .map(|(i, natural)| Fit {
                natural,
                header: width(&self.headers[i]),
                weight: self.weights.get(i).copied().unwrap_or_default(),
            })
            .collect()
    }
}

/// Width of a table line: ` a | b ` is each width plus 3, less 1; each
/// `…` column standing for hidden columns adds 4.
fn line_width(widths: &[usize], gaps: usize) -> usize {
    let k = widths.len();
    widths.iter().sum::<usize>() + (3 * k).saturating_sub(1) + 4 * gaps
}

/// What the layout needs to know of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    /// Its width with every value (and its header) in full.
    pub natural: usize,
    /// Its header's width.
    pub header: usize,
    pub weight: Weight,
}

impl Fit {
    /// A plain column whose header is no wider than [`MIN_COLUMN`].
    pub fn plain(natural: usize) -> Fit {
        Fit {
            natural,
            header: natural.min(MIN_COLUMN),
            weight: Weight::Plain,
        }
    }

    /// The narrowest it is made in a window `max` wide: a column naming
    /// the item is whole (up to [`NAME_WHOLE`] or half the window; a
    /// longer name wraps); short ones (a region, a status) are whole, as
    /// cutting them saves little and loses what they say; long ones keep
    /// their header whole (up to [`HEADER_WHOLE`]) and at least
    /// [`MIN_COLUMN`], or [`MIN_ASKED`] for a column the statement asked
    /// for (cut rather than hidden).
    fn min(&self, max: usize) -> usize {
        let floor = match self.weight {
            Weight::Name => return self.natural.min(NAME_WHOLE.max(max / 2)),
            Weight::Asked | Weight::Outcome => MIN_ASKED,
            Weight::Plain | Weight::Detail => MIN_COLUMN,
        };
        if self.natural <= SHORT_COLUMN {
            self.natural
        } else {
            floor.max(self.header.min(HEADER_WHOLE)).min(self.natural)
        }
    }
}

/// Names up to this wide are kept on one line (wider ones may wrap, so
/// that one long name does not push every other column out).
pub const NAME_WHOLE: usize = 48;

/// Headers up to this wide are never cut (two columns cut to
/// `last_modi…` cannot be told apart).
pub const HEADER_WHOLE: usize = 32;

/// Which columns are shown, how wide, and where the hidden ones were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Indices of the shown columns, in the statement's order.
    pub shown: Vec<usize>,
    /// The width of each shown column.
    pub widths: Vec<usize>,
    /// Indices of the hidden columns, in order.
    pub hidden: Vec<usize>,
    /// Where a `…` column stands for a run of hidden columns: how many
    /// shown columns come before it (one entry per run).
    pub gaps: Vec<usize>,
}

/// For each run of hidden columns, how many shown columns precede it.
fn gaps_of(shown: &[usize], count: usize) -> Vec<usize> {
    let mut gaps = Vec::new();
    let mut before = 0;
    let mut in_gap = false;
    for i in 0..count {
        if shown.contains(&i) {
            before += 1;
            in_gap = false;
        } else if !in_gap {
            gaps.push(before);
            in_gap = true;
        }
    }
    gaps
}

/// Fits columns into `max` terminal columns. When they do not fit even
/// cut to their minimums, the lightest columns are hidden (of equal
/// weights, the last first, or the middle one of columns the statement
/// names); then the shown ones are cut, lightest first. The shown columns
/// keep their order.
pub fn layout(cols: &[Fit], max: Option<usize>) -> Layout {
    let natural: Vec<usize> = cols.iter().map(|c| c.natural).collect();
    let all: Vec<usize> = (0..cols.len()).collect();
    let whole = Layout {
        shown: all.clone(),
        widths: natural.clone(),
        hidden: Vec::new(),
        gaps: Vec::new(),
    };
    let Some(max) = max else { return whole };
    if cols.is_empty() || line_width(&natural, 0) <= max {
        return whole;
    }
    let mut shown = all;
    let fits_at_min = |shown: &[usize]| {
        let mins: Vec<usize> = shown.iter().map(|&i| cols[i].min(max)).collect();
        line_width(&mins, gaps_of(shown, cols.len()).len()) <= max
    };
    while shown.len() > 1 && !fits_at_min(&shown) {
        let lightest = shown.iter().map(|&i| cols[i].weight).min();
        let tied: Vec<usize> = (0..shown.len())
            .filter(|&k| Some(cols[shown[k]].weight) == lightest)
            .collect();
        // Unnamed columns (from `*`) come in the catalog's order, the
        // telling ones first: the last goes. Of the statement's own list
        // the middle goes, keeping the first and last it names.
        let k = match lightest {
            Some(Weight::Detail | Weight::Plain) => tied[tied.len() - 1],
            _ => tied[tied.len() / 2],
        };
        shown.remove(k);
    }
    let hidden: Vec<usize> = (0..cols.len()).filter(|i| !shown.contains(i)).collect();
    let gaps = gaps_of(&shown, cols.len());
    let budget = max.saturating_sub(line_width(&vec![0; shown.len()], gaps.len()));
    let fits: Vec<Fit> = shown.iter().map(|&i| cols[i]).collect();
    let widths = if fits.iter().map(|f| f.min(max)).sum::<usize>() > budget {
        // Narrower than one column at its minimum: whatever room there is.
        let mut w = vec![0; shown.len()];
        w[0] = budget.max(1);
        w
    } else {
        fill_by_weight(&fits, budget, max)
    };
    Layout {
        shown,
        widths,
        hidden,
        gaps,
    }
}

/// Cuts the lightest columns first: each weight in turn, from the
/// lightest, is water-filled into what the heavier ones (whole) leave,
/// or cut to its minimums when that is not enough.
fn fill_by_weight(cols: &[Fit], budget: usize, max: usize) -> Vec<usize> {
    let mut w: Vec<usize> = cols.iter().map(|c| c.natural).collect();
    let mut weights: Vec<Weight> = cols.iter().map(|c| c.weight).collect();
    weights.sort_unstable();
    weights.dedup();
    for weight in weights {
        if w.iter().sum::<usize>() <= budget {
            break;
        }
        let tier: Vec<usize> = (0..cols.len())
            .filter(|&i| cols[i].weight == weight)
            .collect();
        let others: usize = (0..cols.len())
            .filter(|i| !tier.contains(i))
            .map(|i| w[i])
            .sum();
        let room = budget.saturating_sub(others);
        let nat: Vec<usize> = tier.iter().map(|&i| cols[i].natural).collect();
        let mins: Vec<usize> = tier.iter().map(|&i| cols[i].min(max)).collect();
        let got = if mins.iter().sum::<usize>() <= room {
            fill(&nat, &mins, room)
        } else {
            mins
        };
        for (&i, x) in tier.iter().zip(got) {
            w[i] = x;
        }
    }
    w
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
    let lay = layout(&grid.fits(), max);
    let mut out = String::new();

    // Cells of one line: the shown columns with a `…` column where hidden
    // ones were (inserted from the right, so the positions hold).
    let line = |cells: Vec<String>, gap: &str| -> String {
        let mut parts: Vec<String> = cells.into_iter().map(|c| format!(" {c} ")).collect();
        for &at in lay.gaps.iter().rev() {
            parts.insert(at, format!(" {gap} "));
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
    out.push_str(&line(header, "…"));
    let mut rule: Vec<String> = lay.widths.iter().map(|w| "-".repeat(w + 2)).collect();
    for &at in lay.gaps.iter().rev() {
        rule.insert(at, "---".into());
    }
    out.push_str(&rule.join("+"));
    out.push('\n');

    // A row is one line; a value naming the item that is wider than its
    // column (a window narrower than the name) wraps onto more lines
    // rather than being cut.
    let row_line = |row: &Vec<Cell>| -> String {
        let pieces: Vec<Vec<String>> = lay
            .shown
            .iter()
            .zip(&lay.widths)
            .map(|(&i, &w)| {
                let text = row.get(i).map(|c| c.text.as_str()).unwrap_or("");
                if grid.weights.get(i) == Some(&Weight::Name) {
                    wrap_name(text, w)
                } else {
                    vec![cut(text, w)]
                }
            })
            .collect();
        let height = pieces.iter().map(Vec::len).max().unwrap_or(1);
        (0..height)
            .map(|k| {
                let cells = lay
                    .shown
                    .iter()
                    .zip(&lay.widths)
                    .zip(&pieces)
                    .map(|((&i, &w), p)| {
                        let piece = p.get(k).map(String::as_str).unwrap_or("");
                        let right = grid.right.get(i).copied().unwrap_or(false);
                        let padded = pad(piece, w, right);
                        if row.get(i).is_some_and(|c| c.null) {
                            palette.null(&padded)
                        } else {
                            padded
                        }
                    })
                    .collect();
                line(cells, if k == 0 { "…" } else { " " })
            })
            .collect()
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

/// A name in lines of at most `w` columns, broken after a `_`, `-`, `.`
/// or blank where one falls in the second half of a line.
fn wrap_name(text: &str, w: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest = text.to_string();
    while width(&rest) > w.max(1) {
        let (head, _) = split_at_width(&rest, w.max(1));
        let at = head
            .char_indices()
            .filter(|&(i, c)| matches!(c, '_' | '-' | '.' | ' ') && width(&head[..i]) >= w / 2)
            .map(|(i, c)| i + c.len_utf8())
            .next_back()
            .unwrap_or(head.len());
        lines.push(rest[..at].to_string());
        rest = rest[at..].to_string();
    }
    lines.push(rest);
    lines
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

    fn plain(natural: &[usize]) -> Vec<Fit> {
        natural.iter().map(|&n| Fit::plain(n)).collect()
    }

    fn named(name: &str, natural: usize, weight: Weight) -> (String, Fit) {
        let header = width(name);
        (
            name.to_string(),
            Fit {
                natural: natural.max(header),
                header,
                weight,
            },
        )
    }

    /// The names of the shown columns and the line width.
    fn shown(cols: &[(String, Fit)], max: usize) -> (Vec<String>, usize) {
        let fits: Vec<Fit> = cols.iter().map(|c| c.1).collect();
        let l = layout(&fits, Some(max));
        let names = l.shown.iter().map(|&i| cols[i].0.clone()).collect();
        (names, line_width(&l.widths, l.gaps.len()))
    }

    #[test]
    fn whole_when_it_fits_or_unlimited() {
        let l = layout(&plain(&[5, 50, 5]), None);
        assert_eq!(l.widths, vec![5, 50, 5]);
        let l = layout(&plain(&[5, 10, 5]), Some(80));
        assert_eq!(l.widths, vec![5, 10, 5]);
    }

    #[test]
    fn widest_columns_are_cut_first() {
        let l = layout(&plain(&[6, 100, 40]), Some(60));
        assert!(l.hidden.is_empty());
        assert_eq!(line_width(&l.widths, 0), 60);
        assert_eq!(l.widths[0], 6);
        assert!(l.widths[1] >= l.widths[2] - 1, "{l:?}");
    }

    #[test]
    fn middle_columns_the_statement_names_are_elided() {
        let asked: Vec<Fit> = plain(&[20; 12])
            .into_iter()
            .map(|f| Fit {
                weight: Weight::Asked,
                ..f
            })
            .collect();
        let l = layout(&asked, Some(80));
        assert!(!l.hidden.is_empty());
        assert!(line_width(&l.widths, l.gaps.len()) <= 80, "{l:?}");
        assert_eq!(l.shown[0], 0);
        assert_eq!(*l.shown.last().unwrap(), 11);
        // Contiguous, and the gap sits where they were.
        for w in l.hidden.windows(2) {
            assert_eq!(w[1], w[0] + 1);
        }
        assert_eq!(l.gaps.len(), 1);
        assert_eq!(l.shown[l.gaps[0] - 1] + 1, l.hidden[0]);
    }

    #[test]
    fn the_last_unnamed_columns_go_first() {
        let l = layout(&plain(&[20; 12]), Some(80));
        assert_eq!(l.shown, vec![0, 1, 2, 3, 4], "{l:?}");
        assert_eq!(l.gaps, vec![5]);
    }

    #[test]
    fn tiny_windows_still_fit() {
        for max in 1..30 {
            let l = layout(&plain(&[30, 30, 30]), Some(max));
            let w = line_width(&l.widths, l.gaps.len());
            assert!(w <= max.max(7), "{max}: {l:?}");
        }
    }

    /// `SELECT * FROM users`, as the catalog orders and weighs its fields.
    fn users() -> Vec<(String, Fit)> {
        use Weight::*;
        vec![
            named("region", 9, Plain),
            named("instance_arn", 87, Detail),
            named("id", 36, Detail),
            named("user_arn", 129, Detail),
            named("username", 14, Name),
            named("directory_user_id", 4, Detail),
            named("hierarchy_group_arn", 140, Detail),
            named("routing_profile_arn", 140, Detail),
            named("identity_info", 60, Plain),
            named("phone_config", 80, Plain),
            named("tags", 40, Plain),
            named("last_modified_time", 20, Plain),
            named("last_modified_region", 9, Plain),
        ]
    }

    #[test]
    fn the_name_is_kept_and_ids_go_first() {
        for max in [40, 60, 80, 100, 120] {
            let cols = users();
            let (names, w) = shown(&cols, max);
            assert!(w <= max, "{max}: {w}");
            assert!(names.contains(&"username".to_string()), "{max}: {names:?}");
            // No id or ARN is shown while a plain column is hidden.
            let plain_hidden = cols
                .iter()
                .any(|(n, f)| f.weight == Weight::Plain && !names.contains(n));
            let detail_shown = cols
                .iter()
                .any(|(n, f)| f.weight == Weight::Detail && names.contains(n));
            assert!(!(plain_hidden && detail_shown), "{max}: {names:?}");
        }
        let (names, _) = shown(&users(), 80);
        assert!(!names.contains(&"instance_arn".to_string()), "{names:?}");
    }

    #[test]
    fn the_statement_order_is_kept() {
        let cols = users();
        for max in [30, 50, 80, 110, 200, 400] {
            let fits: Vec<Fit> = cols.iter().map(|c| c.1).collect();
            let l = layout(&fits, Some(max));
            assert!(l.shown.windows(2).all(|p| p[0] < p[1]), "{max}: {l:?}");
            // Every hidden run has its `…` column, where the run was.
            let mut runs = 0;
            for (k, &i) in l.hidden.iter().enumerate() {
                if k == 0 || l.hidden[k - 1] + 1 != i {
                    runs += 1;
                    let before = l.shown.iter().filter(|&&s| s < i).count();
                    assert!(l.gaps.contains(&before), "{max}: {l:?}");
                }
            }
            assert_eq!(runs, l.gaps.len(), "{max}: {l:?}");
        }
    }

    #[test]
    fn asked_columns_outlast_plain_ones_and_are_cut_last() {
        use Weight::*;
        // `SELECT *, notes FROM …`: the asked column is kept over plain ones.
        let cols = vec![
            named("a", 30, Plain),
            named("b", 30, Plain),
            named("c", 30, Plain),
            named("notes", 30, Asked),
        ];
        let (names, _) = shown(&cols, 40);
        assert_eq!(names.last().map(String::as_str), Some("notes"), "{names:?}");
        // Both shown, the plain one is cut before the asked one.
        let fits = vec![named("plain", 40, Plain).1, named("asked", 40, Asked).1];
        let l = layout(&fits, Some(60));
        assert_eq!(l.widths, vec![15, 40], "{l:?}");
    }

    #[test]
    fn a_change_keeps_item_property_and_status_and_cuts_the_values() {
        use Weight::*;
        let cols = [
            named("item", 16, Name),
            named("property", 21, Name),
            named("before", 90, Asked),
            named("after", 90, Outcome),
            named("operation", 26, Detail),
            named("region", 9, Detail),
            named("status", 7, Outcome),
            named("error", 5, Detail),
        ];
        let fits: Vec<Fit> = cols.iter().map(|c| c.1).collect();
        let l = layout(&fits, Some(80));
        assert_eq!(l.shown, vec![0, 1, 2, 3, 6], "{l:?}");
        assert_eq!(&l.widths[..2], &[16, 21]);
        assert!(
            l.widths[2] >= MIN_ASKED && l.widths[3] >= MIN_ASKED,
            "{l:?}"
        );
        assert!(line_width(&l.widths, l.gaps.len()) <= 80, "{l:?}");
        // An error to show outlasts the value before.
        let mut fits = fits;
        fits[7] = named("error", 40, Outcome).1;
        let l = layout(&fits, Some(80));
        assert_eq!(l.shown, vec![0, 1, 3, 6, 7], "{l:?}");
        assert!(line_width(&l.widths, l.gaps.len()) <= 80, "{l:?}");
    }

    #[test]
    fn one_long_name_does_not_push_every_column_out() {
        use Weight::*;
        let cols = [
            named("region", 9, Plain),
            named("name", 120, Name),
            named("status", 8, Plain),
            named("description", 60, Plain),
        ];
        let (names, w) = shown(&cols, 80);
        assert_eq!(names, ["region", "name", "status"], "{w}");
        let fits: Vec<Fit> = cols.iter().map(|c| c.1).collect();
        let l = layout(&fits, Some(80));
        assert!(l.widths[1] >= NAME_WHOLE, "{l:?}");
        assert!(line_width(&l.widths, l.gaps.len()) <= 80, "{l:?}");
        // Wide enough for every column, cut.
        let (names, _) = shown(&cols, 120);
        assert_eq!(names, ["region", "name", "status", "description"]);
    }

    #[test]
    fn names_and_headers_are_not_cut() {
        use Weight::*;
        // Two long headers that would read alike cut: both whole or hidden.
        let cols = [
            named("name", 29, Name),
            named("outbound_caller_config", 60, Plain),
            named("outbound_email_config", 60, Plain),
            named("description", 200, Plain),
        ];
        for max in 40..=160 {
            let fits: Vec<Fit> = cols.iter().map(|c| c.1).collect();
            let l = layout(&fits, Some(max));
            assert!(l.shown.contains(&0), "{max}: {l:?}");
            for (&i, &w) in l.shown.iter().zip(&l.widths) {
                assert!(w >= cols[i].1.header, "{max}: {} cut to {w}", cols[i].0);
            }
            assert!(line_width(&l.widths, l.gaps.len()) <= max, "{max}: {l:?}");
        }
    }

    #[test]
    fn rendered_lines_fit_and_align() {
        let grid = Grid {
            headers: vec!["name".into(), "city".into(), "n".into()],
            right: vec![false, false, true],
            weights: vec![],
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
    fn a_name_wider_than_the_window_wraps_whole() {
        assert_eq!(
            wrap_name("allowed_access_control_hierarchy_group_id", 34),
            vec!["allowed_access_control_hierarchy_", "group_id"]
        );
        assert_eq!(wrap_name("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap_name("short", 10), vec!["short"]);
        let grid = Grid {
            headers: vec!["name".into(), "type".into()],
            right: vec![false, false],
            weights: vec![Weight::Name, Weight::Plain],
            top: vec![
                vec![
                    cell("allowed_access_control_hierarchy_group_id"),
                    cell("string"),
                ],
                vec![cell("id"), cell("string")],
            ],
            bottom: vec![],
            hidden_rows: 0,
        };
        let (t, hidden) = render(&grid, Some(40), Palette::default());
        assert_eq!(hidden, vec!["type".to_string()]);
        let lines: Vec<&str> = t.lines().collect();
        assert!(
            lines[2].starts_with(" allowed_access_control_hierarchy_ "),
            "{t}"
        );
        assert!(lines[2].ends_with("| …"), "{t}");
        // The rest of the name, with nothing in the other columns.
        assert_eq!(
            lines[3].trim_end(),
            " group_id                           |",
            "{t}"
        );
        assert!(lines[4].starts_with(" id "), "{t}");
        for l in &lines {
            assert!(width(l) <= 40, "{l:?}");
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
