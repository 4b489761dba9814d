//! The one execution path: a statement or meta-command in, rendered output
//! and a status out. The shell, `-e`, `-f`, statements on stdin, `.read`,
//! `.edit` and the init file all run through [`Runner`], so they dispatch,
//! render, page, redirect and time alike.
//!
//! A script (`-e`, `-f`, `.read`, the init file) runs quietly: a setting
//! such as `.mode json` takes effect without saying so, so a script's
//! output is only its results. What a meta-command was asked to show
//! (`.help`, `.region`) is always printed.

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::Error;
use crate::executor::budget::Progress;
use crate::output::{self, pager, safe, style, OutputFormat, RenderOptions, Switch};
use crate::session::{self, Outcome, Parsed, Session, StatementStats};

use super::input::Pieces;
use super::meta::{self, Action};

/// How long a statement runs before the spinner appears.
const SPINNER_DELAY: Duration = Duration::from_millis(250);

/// DuckDB's default: the first 20 and the last 20 rows of a longer result.
pub const DEFAULT_MAX_ROWS: usize = 40;

/// `.read` inside `.read` inside ...: deeper than this is a loop.
const MAX_READ_DEPTH: usize = 16;

/// What the output meta-commands change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub format: OutputFormat,
    pub timing: bool,
    pub expanded: Switch,
    pub pager: Switch,
    /// `.maxrows N`: `None` until set (40 on a terminal, all elsewhere);
    /// 0 shows every row.
    pub max_rows: Option<usize>,
    /// `.maxwidth N`: `None` until set (the terminal's width, unlimited
    /// elsewhere); 0 is unlimited.
    pub max_width: Option<usize>,
    /// `.nullvalue TEXT`: NULL in table and expanded output.
    pub null: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            format: OutputFormat::Table,
            timing: false,
            expanded: Switch::Auto,
            pager: Switch::Auto,
            max_rows: None,
            max_width: None,
            null: output::DEFAULT_NULL.into(),
        }
    }
}

/// How a piece of input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Done, completely.
    Ok,
    /// An error, or a partial answer: reported on stderr; a script goes on.
    Failed,
    /// `.quit`: stop reading input.
    Quit,
    /// Ctrl-C while a statement ran: what followed is dropped.
    Cancelled,
}

impl Step {
    /// Combines the steps of a script: the worst one.
    fn and(self, next: Step) -> Step {
        match (self, next) {
            (_, Step::Quit | Step::Cancelled) => next,
            (Step::Failed, _) | (_, Step::Failed) => Step::Failed,
            _ => Step::Ok,
        }
    }
}

/// A file results are written to (`.output FILE`, `.once FILE`).
struct Redirect {
    path: PathBuf,
    file: File,
}

pub(crate) type SpinnerSlot = Arc<Mutex<Option<ProgressBar>>>;

/// Runs statements and meta-commands against a session and prints what
/// they produce.
pub struct Runner {
    pub session: Session,
    pub settings: Settings,
    /// A person at a terminal: the spinner shows, and settings confirm.
    pub interactive: bool,
    /// Where the spinner lives (the DELETE confirmation hides it).
    pub(crate) spinner: SpinnerSlot,
    output_file: Option<Redirect>,
    once: Option<Redirect>,
    /// The last statement run (for `.edit`).
    last_statement: Option<String>,
    /// The shell's unfinished statement (for `.edit`).
    pub edit_buffer: String,
    /// What `.edit` ran, for the shell's history.
    edited: Option<String>,
    depth: usize,
}

impl Runner {
    pub fn new(session: Session, settings: Settings, interactive: bool) -> Runner {
        Runner {
            session,
            settings,
            interactive,
            spinner: Arc::new(Mutex::new(None)),
            output_file: None,
            once: None,
            last_statement: None,
            edit_buffer: String::new(),
            edited: None,
            depth: 0,
        }
    }

    /// The text `.edit` last ran (once).
    pub fn take_edited(&mut self) -> Option<String> {
        self.edited.take()
    }

    /// Where results go, for `.output` without argument.
    pub fn destination(&self) -> String {
        match &self.output_file {
            Some(r) => r.path.display().to_string(),
            None => "stdout".into(),
        }
    }

    /// Runs every statement and meta-command of a script, in order, quietly;
    /// an error is reported and the script goes on; `.quit` or Ctrl-C stops it.
    pub async fn run_script(&mut self, text: &str) -> Step {
        self.run_input(text.as_bytes(), "the script", true).await
    }

    /// Runs a script read from `reader` as a stream, one statement or
    /// meta-command at a time (see [`Pieces`]): memory stays flat however
    /// long it is. An error in a statement is reported and the script goes
    /// on; an input that cannot be read further (a statement over 1 MiB, a
    /// NUL byte, invalid UTF-8) is reported and ends it, as `.quit` or
    /// Ctrl-C do.
    pub async fn run_input(&mut self, reader: impl BufRead, name: &str, quiet: bool) -> Step {
        let mut pieces = Pieces::new(reader, name);
        let mut step = Step::Ok;
        loop {
            let piece = match super::blocking(|| pieces.next_piece()) {
                Ok(Some(piece)) => piece,
                Ok(None) => break,
                Err(e) => {
                    print_error(&e);
                    return step.and(Step::Failed);
                }
            };
            let items = match crate::sql::split_script(&piece) {
                Ok(items) => items,
                Err(e) => {
                    print_error(&e);
                    step = step.and(Step::Failed);
                    continue;
                }
            };
            for item in items {
                step = step.and(Box::pin(self.run_one(&item, quiet)).await);
                if matches!(step, Step::Quit | Step::Cancelled) {
                    return step;
                }
            }
        }
        step
    }

    /// Runs one statement or meta-command and prints what it produced.
    /// `quiet`: a setting's confirmation is not printed (scripts).
    pub async fn run_one(&mut self, text: &str, quiet: bool) -> Step {
        match session::classify(text) {
            Ok(Parsed::Meta(line)) => self.run_meta(&line, quiet).await,
            parsed => {
                self.last_statement = Some(text.trim().to_string());
                self.run_statement(parsed).await
            }
        }
    }

    async fn run_meta(&mut self, line: &str, quiet: bool) -> Step {
        let result = match meta::run_meta(self, line).await {
            Ok(r) => r,
            Err(e) => {
                print_error(&e);
                return Step::Failed;
            }
        };
        if !(quiet && result.confirmation) {
            print_stdout(&result.output);
        }
        match result.action {
            Action::None => Step::Ok,
            Action::Quit => Step::Quit,
            Action::Read(path) => self.read(&path).await,
            Action::Edit => self.edit().await,
        }
    }

    /// `.read FILE`: the file runs as a script, as `-f FILE` would.
    async fn read(&mut self, path: &Path) -> Step {
        if self.depth >= MAX_READ_DEPTH {
            print_error(&Error::Refused(format!(
                ".read of {} nested more than {MAX_READ_DEPTH} deep (does a file read itself?)",
                path.display()
            )));
            return Step::Failed;
        }
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                print_error(&file_error(".read", path, &e));
                return Step::Failed;
            }
        };
        self.depth += 1;
        let name = path.display().to_string();
        let step = self.run_input(BufReader::new(file), &name, true).await;
        self.depth -= 1;
        // `.quit` in a file ends the file, not the shell.
        if step == Step::Quit {
            Step::Ok
        } else {
            step
        }
    }

    /// `.edit`: `$EDITOR` on the unfinished or the last statement; what is
    /// saved runs.
    async fn edit(&mut self) -> Step {
        let start = if self.edit_buffer.trim().is_empty() {
            self.last_statement.clone().unwrap_or_default()
        } else {
            std::mem::take(&mut self.edit_buffer)
        };
        let text = match edit_text(&start).await {
            Ok(t) => t,
            Err(e) => {
                print_error(&e);
                return Step::Failed;
            }
        };
        if text.trim().is_empty() || crate::sql::is_only_comments(&text) {
            return Step::Ok;
        }
        // Show what runs: the editor's screen is gone.
        print_stdout(&format!("{}\n", safe::text(text.trim_end())));
        self.edited = Some(text.trim().to_string());
        self.run_input(text.as_bytes(), "the edited text", false)
            .await
    }

    /// Runs a classified statement, with Ctrl-C cancelling it, and prints
    /// its outcome.
    async fn run_statement(&mut self, parsed: Result<Parsed, Error>) -> Step {
        let Some(result) = self.execute(parsed).await else {
            print_stderr("cancelled\n");
            return Step::Cancelled;
        };
        let (rows, step) = match result {
            Ok(outcome) => {
                let rows = outcome.result.as_ref().map(|r| r.rows.len());
                let partial = outcome.partial || outcome.change_failed;
                let written = self.print_outcome(&outcome).await;
                (
                    rows,
                    if partial || !written {
                        Step::Failed
                    } else {
                        Step::Ok
                    },
                )
            }
            Err(e) => {
                print_error(&e);
                (None, Step::Failed)
            }
        };
        if self.settings.timing {
            print_stderr(&timing_line(rows, self.session.last_stats()));
        }
        step
    }

    /// Render options for stdout: fitted, limited and styled on a
    /// terminal; whole and exact elsewhere (unless set explicitly).
    pub fn render_options(&self, terminal: bool) -> RenderOptions {
        let s = &self.settings;
        let explicit = |v: Option<usize>| v.filter(|&n| n > 0);
        if terminal {
            let cols = terminal_size().map(|(_, c)| c);
            RenderOptions {
                format: s.format,
                width: match s.max_width {
                    Some(0) => None,
                    Some(n) => Some(n),
                    None => cols,
                },
                // Through a pager every row can be scrolled to; without
                // one, the first and last rows with the count between.
                max_rows: s
                    .max_rows
                    .unwrap_or(if self.pages() { 0 } else { DEFAULT_MAX_ROWS }),
                expanded: s.expanded,
                null: s.null.clone(),
                color: !style::no_color(),
                terminal: true,
            }
        } else {
            RenderOptions {
                width: explicit(s.max_width),
                max_rows: s.max_rows.unwrap_or(0),
                expanded: s.expanded,
                null: s.null.clone(),
                ..RenderOptions::exact(s.format)
            }
        }
    }

    /// True when long output on the terminal can go through a pager.
    fn pages(&self) -> bool {
        self.settings.pager != Switch::Off && pager::command().is_some()
    }

    /// Prints an outcome where results go; false (with the error on
    /// stderr) when they could not be written, so the statement fails.
    async fn print_outcome(&mut self, outcome: &Outcome) -> bool {
        let redirect = self.once.take();
        let to_file = redirect.is_some() || self.output_file.is_some();
        let terminal = !to_file && std::io::stdout().is_terminal();
        let (out, err) = output::render_outcome(outcome, &self.render_options(terminal));
        let written = if let Some(mut r) = redirect {
            write_file(&mut r, &out)
        } else if let Some(r) = self.output_file.as_mut() {
            write_file(r, &out)
        } else if terminal {
            self.page(&out).await;
            true
        } else {
            match write_stdout(&out) {
                Ok(()) => true,
                Err(e) => {
                    print_stderr(&format!("error: cannot write to stdout: {e}\n"));
                    false
                }
            }
        };
        print_stderr(&err);
        written
    }

    /// Prints on the terminal, through the pager when it is on, or when it
    /// is `auto` and the text does not fit the screen.
    async fn page(&self, text: &str) {
        let use_pager = match self.settings.pager {
            Switch::Off => false,
            Switch::On => true,
            Switch::Auto => {
                terminal_size().is_some_and(|(rows, cols)| pager::too_big(text, rows, cols))
            }
        };
        if use_pager {
            if let Some(cmd) = pager::command() {
                if pager::page(text, &cmd).await == pager::Paged::Shown {
                    return;
                }
                print_stdout(text);
                print_stderr(&format!(
                    "note: the pager `{}` failed; the output was printed without it\n",
                    safe::line(&cmd)
                ));
                return;
            }
        }
        print_stdout(text);
    }

    /// `.output FILE` (`None`: back to stdout).
    pub fn set_output_file(&mut self, path: Option<&Path>) -> Result<(), Error> {
        self.output_file = match path {
            None => None,
            Some(p) => Some(open_redirect(".output", p)?),
        };
        Ok(())
    }

    /// `.once FILE`: the next statement's output goes there.
    pub fn set_once(&mut self, path: &Path) -> Result<(), Error> {
        self.once = Some(open_redirect(".once", path)?);
        Ok(())
    }

    /// Executes with Ctrl-C cancelling (the future is dropped) and, in the
    /// shell after [`SPINNER_DELAY`], a spinner with the API calls made so
    /// far, or once per-item calls are planned, those done against those
    /// planned and the time left at Connect's rate.
    async fn execute(&mut self, parsed: Result<Parsed, Error>) -> Option<Result<Outcome, Error>> {
        let counters = self.session.counters().clone();
        let budget = self.session.executor().budget().clone();
        let calls_at_start = counters.api_calls();
        // Per-operation counts at the start: calls of earlier statements
        // are not this one's progress.
        let ops_at_start = counters.operation_counts();
        let show_spinner = self.interactive && std::io::stderr().is_terminal();
        let slot = self.spinner.clone();

        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        let mut listening = true;
        let writes = self.session.executor().writes().clone();
        let mut stopping = false;
        let mut ticker = tokio::time::interval_at(
            tokio::time::Instant::now() + SPINNER_DELAY,
            Duration::from_millis(100),
        );
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

        let work = self.session.run(parsed);
        tokio::pin!(work);
        let result = loop {
            tokio::select! {
                biased;
                r = &mut work => break Some(r),
                r = &mut ctrl_c, if listening => {
                    if r.is_err() {
                        listening = false;
                        continue;
                    }
                    // A change's writes stop sending and report; a second
                    // Ctrl-C (or any other statement) is dropped at once.
                    if writes.running() && !stopping {
                        stopping = true;
                        writes.stop();
                        print_stderr("stopping: no new calls; the calls in flight finish (Ctrl-C again drops them)\n");
                        ctrl_c.set(tokio::signal::ctrl_c());
                        continue;
                    }
                    break None;
                }
                _ = ticker.tick(), if show_spinner => {
                    let calls = counters.api_calls().saturating_sub(calls_at_start);
                    let done = |op: crate::catalog::Op| {
                        let before = ops_at_start.get(op.name()).copied().unwrap_or(0);
                        counters.operation_calls(op.name()).saturating_sub(before)
                    };
                    let message = match budget.progress(done) {
                        Some(p) => progress_line(&p, done(p.op)),
                        None => format!(
                            "running: {calls} API call{} so far (Ctrl-C cancels)",
                            if calls == 1 { "" } else { "s" }
                        ),
                    };
                    let mut guard = slot.lock().unwrap_or_else(|p| p.into_inner());
                    let bar = guard.get_or_insert_with(new_spinner);
                    bar.set_message(message);
                    bar.tick();
                }
            }
        };
        if let Some(bar) = slot.lock().unwrap_or_else(|p| p.into_inner()).take() {
            bar.finish_and_clear();
        }
        result
    }
}

/// Rows and columns of the terminal on stdout, if it is one.
pub fn terminal_size() -> Option<(usize, usize)> {
    console::Term::stdout()
        .size_checked()
        .map(|(r, c)| (usize::from(r), usize::from(c)))
}

fn file_error(cmd: &str, path: &Path, e: &std::io::Error) -> Error {
    Error::InvalidParam {
        param: cmd.into(),
        message: format!("cannot open {}: {e}", path.display()),
    }
}

fn open_redirect(cmd: &str, path: &Path) -> Result<Redirect, Error> {
    let file = File::create(path).map_err(|e| file_error(cmd, path, &e))?;
    Ok(Redirect {
        path: path.to_path_buf(),
        file,
    })
}

/// Writes to a redirect; false (with the error on stderr) when it failed.
fn write_file(r: &mut Redirect, text: &str) -> bool {
    match r
        .file
        .write_all(text.as_bytes())
        .and_then(|()| r.file.flush())
    {
        Ok(()) => true,
        Err(e) => {
            print_stderr(&format!(
                "error: cannot write to {}: {e}\n",
                safe::text(&r.path.display().to_string())
            ));
            false
        }
    }
}

/// The editor: `$EDITOR`, then `$VISUAL`, then `vi`.
fn editor_command() -> String {
    ["EDITOR", "VISUAL"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".into())
}

/// Opens the editor on `start` in a temporary file; returns what was saved.
async fn edit_text(start: &str) -> Result<String, Error> {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("connectql-edit-{}-{n}.sql", std::process::id()));
    let mut text = start.trim_end().to_string();
    if !text.is_empty() {
        text.push('\n');
    }
    let io_error = |e: std::io::Error| Error::InvalidParam {
        param: ".edit".into(),
        message: format!("{}: {e}", path.display()),
    };
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io_error)?;
        f.write_all(text.as_bytes()).map_err(io_error)?;
    }
    let editor = editor_command();
    // Like git: the editor may carry arguments (`code --wait`).
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("connectql-edit")
        .arg(&path)
        .status()
        .await;
    let result = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path).map_err(io_error),
        Ok(s) => Err(Error::Refused(format!(
            "the editor `{editor}` failed ({s}); nothing was run"
        ))),
        Err(e) => Err(Error::Refused(format!(
            "cannot run the editor `{editor}`: {e}; nothing was run"
        ))),
    };
    let _ = std::fs::remove_file(&path);
    result
}

pub(crate) fn print_stdout(text: &str) {
    let _ = write_stdout(text);
}

/// Writes results to stdout; the error says why they were not written.
fn write_stdout(text: &str) -> std::io::Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Stderr, scrubbed of credentials: errors and warnings can quote them.
pub(crate) fn print_stderr(text: &str) {
    if text.is_empty() {
        return;
    }
    let text = crate::logging::scrub(text);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// An error on stderr, terminal-safe (server messages included).
pub(crate) fn print_error(e: &Error) {
    print_stderr(&format!("error: {}\n", safe::text(&e.to_string())));
}

/// The `.timing on` line.
pub fn timing_line(rows: Option<usize>, stats: StatementStats) -> String {
    let ms = stats.elapsed.as_secs_f64() * 1000.0;
    let mut parts = Vec::new();
    if let Some(n) = rows {
        parts.push(format!("{n} row{}", if n == 1 { "" } else { "s" }));
    }
    parts.push(format!("{ms:.1} ms"));
    parts.push(format!(
        "{} API call{}",
        stats.api_calls,
        if stats.api_calls == 1 { "" } else { "s" }
    ));
    parts.push(format!(
        "{} served from the session cache",
        stats.cache_hits
    ));
    if let Some(age) = stats.cache_age {
        parts.push(format!(
            "from cache, {} old",
            crate::executor::cache::age_text(age)
        ));
    }
    format!("time: {}\n", parts.join(", "))
}

/// The spinner's line for a statement with per-item calls planned:
/// `DescribeUser 120/500 · ~3 min left at Connect's rate · Ctrl-C cancels`,
/// short enough for an 80-column terminal with the spinner and the time.
fn progress_line(progress: &Progress, done: u64) -> String {
    let calls = format!(
        "{} {}/{}",
        progress.op.name(),
        done.min(progress.planned),
        progress.planned
    );
    let left = if progress.left >= Duration::from_secs(1) {
        format!(" · ~{} left", rough_duration(progress.left))
    } else {
        String::new()
    };
    let rate = if left.is_empty() {
        ""
    } else {
        " at Connect's rate"
    };
    // The longest that fits; long operation names lose the asides first.
    [
        format!("{calls}{left}{rate} · Ctrl-C cancels"),
        format!("{calls}{left} · Ctrl-C cancels"),
        format!("{calls}{left}"),
    ]
    .into_iter()
    .find(|line| line.chars().count() <= 70)
    .unwrap_or_else(|| format!("{calls}{left}"))
}

/// `3 min`, `40 s`, `2 h`: one unit, for a line that changes every tick.
fn rough_duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..90 => format!("{s} s"),
        90..5400 => format!("{} min", (s + 30) / 60),
        _ if d == Duration::MAX => "forever".into(),
        _ => format!("{} h", (s + 1800) / 3600),
    }
}

fn new_spinner() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        None,
        ProgressDrawTarget::term_like_with_hz(Box::new(SpinnerTerm), 15),
    );
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// stderr for the spinner, without the spaces indicatif writes up to the
/// right edge of the terminal: with the cursor parked at the edge, the
/// terminal's own `^C` echo would wrap to a new line, and clearing the
/// spinner would then clear that line and leave the spinner on screen.
/// (The spinner's line is short, so it never wraps by itself.)
#[derive(Debug)]
struct SpinnerTerm;

impl SpinnerTerm {
    fn out(&self, s: &str) -> std::io::Result<()> {
        std::io::stderr().lock().write_all(s.as_bytes())
    }
}

impl indicatif::TermLike for SpinnerTerm {
    fn width(&self) -> u16 {
        u16::MAX
    }
    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.out(&format!("\x1b[{n}A"))
    }
    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.out(&format!("\x1b[{n}B"))
    }
    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.out(&format!("\x1b[{n}C"))
    }
    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.out(&format!("\x1b[{n}D"))
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.out(&format!("{s}\n"))
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        if !s.is_empty() && s.bytes().all(|b| b == b' ') {
            return Ok(());
        }
        self.out(s)
    }
    fn clear_line(&self) -> std::io::Result<()> {
        self.out("\r\x1b[2K")
    }
    fn flush(&self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionOptions;

    fn runner() -> Runner {
        Runner::new(
            Session::new(SessionOptions::default()).unwrap(),
            Settings::default(),
            false,
        )
    }

    #[test]
    fn the_progress_line_fits_80_columns() {
        use crate::catalog::Op;
        let line = progress_line(
            &Progress {
                op: Op::DescribeUser,
                planned: 500,
                left: Duration::from_secs(190),
            },
            120,
        );
        assert_eq!(
            line,
            "DescribeUser 120/500 · ~3 min left at Connect's rate · Ctrl-C cancels"
        );
        // Retries counted as calls never show more done than planned.
        let line = progress_line(
            &Progress {
                op: Op::DescribeUser,
                planned: 5,
                left: Duration::ZERO,
            },
            9,
        );
        assert_eq!(line, "DescribeUser 5/5 · Ctrl-C cancels");
        for op in crate::catalog::OPERATIONS.iter().map(|o| o.op) {
            let line = progress_line(
                &Progress {
                    op,
                    planned: 99_999,
                    left: Duration::MAX,
                },
                99_998,
            );
            // The spinner adds 2 columns before and the elapsed time after.
            assert!(line.chars().count() <= 70, "{line}");
            assert!(!line.chars().any(char::is_control), "{line}");
        }
    }

    #[test]
    fn timing_reports_rows_time_calls_and_hits() {
        let line = timing_line(
            Some(3),
            StatementStats {
                elapsed: Duration::from_micros(12_345),
                api_calls: 4,
                cache_hits: 2,
                cache_age: None,
            },
        );
        assert_eq!(
            line,
            "time: 3 rows, 12.3 ms, 4 API calls, 2 served from the session cache\n"
        );
        let line = timing_line(
            Some(1),
            StatementStats {
                elapsed: Duration::from_micros(500),
                api_calls: 0,
                cache_hits: 1,
                cache_age: Some(Duration::from_secs(150)),
            },
        );
        assert_eq!(
            line,
            "time: 1 row, 0.5 ms, 0 API calls, 1 served from the session cache, from cache, 2 min old\n"
        );
    }

    #[test]
    fn steps_combine_to_the_worst() {
        assert_eq!(Step::Ok.and(Step::Failed), Step::Failed);
        assert_eq!(Step::Failed.and(Step::Ok), Step::Failed);
        assert_eq!(Step::Failed.and(Step::Quit), Step::Quit);
        assert_eq!(Step::Ok.and(Step::Ok), Step::Ok);
    }

    #[tokio::test]
    async fn scripts_set_quietly_and_redirect() {
        let dir = std::env::temp_dir().join(format!("connectql-exec-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("out.csv");
        let mut r = runner();
        let script = format!(
            ".mode csv\n.once {}\nSELECT 1 AS a, NULL AS b;\nSELECT 2 AS a;\n",
            out.display()
        );
        // The second statement goes to stdout; the first to the file.
        assert_eq!(r.run_script(&script).await, Step::Ok);
        assert_eq!(r.settings.format, OutputFormat::Csv);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "a,b\n1,\n");
        let read = dir.join("script.sql");
        std::fs::write(&read, ".mode json\n.maxrows 7\n").unwrap();
        assert_eq!(
            r.run_script(&format!(".read {}\n", read.display())).await,
            Step::Ok
        );
        assert_eq!(r.settings.format, OutputFormat::Json);
        assert_eq!(r.settings.max_rows, Some(7));
        assert_eq!(r.run_script("SELECT nope FROM;").await, Step::Failed);
        assert_eq!(r.run_script(".quit\nSELECT 1;").await, Step::Quit);
        std::fs::remove_dir_all(&dir).ok();
    }
}
