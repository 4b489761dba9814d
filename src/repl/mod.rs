//! The interactive shell: a rustyline editor with context-sensitive
//! completion (catalog and session cache only, never a network call),
//! highlighting, persistent history and meta-commands; statements end with
//! `;` and may span lines; Ctrl-C cancels a running statement.
//!
//! * [`completer`]: completion as a pure function of the buffer and cursor.
//! * [`helper`]: the rustyline helper (completion, hints, highlighting,
//!   validation).
//! * [`meta`]: the meta-command table and handlers (also used by scripts).
//! * [`history`]: the history file.
//! * [`lexer`]: the forgiving tokenizer completion and highlighting share.
//!
//! A line editor exists only while a line is read: rustyline owns the
//! terminal (raw mode, its own SIGINT handler) for that long, and while a
//! statement runs Ctrl-C reaches tokio's handler, which cancels it.

pub mod completer;
pub mod helper;
pub mod history;
pub mod lexer;
pub mod meta;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{ColorMode, CompletionType, Config, Editor};

use crate::error::Error;
use crate::output::render_outcome;
use crate::session::{Outcome, Session};

use self::helper::ShellHelper;
use self::history::History;

pub use self::meta::{is_meta, run_meta, MetaResult};

/// The main prompt.
pub const PROMPT: &str = "connectql> ";
/// The prompt of a statement's continuation lines (same width).
pub const CONTINUATION: &str = "      ...> ";

/// How long a statement runs before the spinner appears.
const SPINNER_DELAY: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, Default)]
pub struct ReplOptions {
    /// Overrides `<data dir>/connectql/history`.
    pub history_file: Option<PathBuf>,
    /// A line printed under the greeting (e.g. the demo endpoint).
    pub banner: Option<String>,
}

/// True when `text` is an unfinished statement: not blank, not only
/// comments, and no top-level `;` yet (or it ends inside a string or a
/// block comment).
pub fn needs_more(text: &str) -> bool {
    if text.trim().is_empty() || crate::sql::is_only_comments(text) {
        return false;
    }
    statement_split(text).is_none()
}

/// The byte offset just past the first statement of `text`, or `None`
/// when it is not finished. Text the tokenizer rejects for another reason
/// than being unfinished counts as a statement, so its error is shown.
fn statement_split(text: &str) -> Option<usize> {
    match crate::sql::statement_end(text) {
        Ok(end) => end,
        Err(_) if lexer::ends_open(text) => None,
        Err(_) => Some(text.len()),
    }
}

/// Colour only on a terminal, and never with `NO_COLOR` set.
fn colour_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Runs blocking work without stalling the runtime's other tasks (the
/// demo's local endpoint runs on the same runtime).
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

fn print_stdout(text: &str) {
    if text.is_empty() {
        return;
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn print_stderr(text: &str) {
    if text.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

fn print_error(e: &Error) {
    print_stderr(&format!("error: {e}\n"));
}

type SpinnerSlot = Arc<Mutex<Option<ProgressBar>>>;

/// What the loop does after a piece of input.
enum Flow {
    Continue,
    Quit,
}

struct Shell {
    session: Session,
    config: Config,
    color: bool,
    history: History,
    spinner: SpinnerSlot,
    /// Lines of an unfinished statement.
    pending: String,
}

/// Runs the shell until `.quit` or Ctrl-D; returns the exit code.
pub async fn run(session: Session, options: ReplOptions) -> i32 {
    // Own SIGINT from the start, so Ctrl-C while a statement runs cancels
    // it instead of ending the process. (A line editor exists only while a
    // line is read: rustyline replaces the SIGINT handler for the lifetime
    // of its terminal, and restores this one when it is dropped.)
    #[cfg(unix)]
    let _sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());

    let color = colour_enabled();
    let config = match Config::builder()
        .max_history_size(history::MAX_ENTRIES)
        .and_then(|b| b.history_ignore_dups(true))
    {
        Ok(b) => b
            .auto_add_history(false)
            .completion_type(CompletionType::List)
            .completion_show_all_if_ambiguous(true)
            .completion_prompt_limit(200)
            .color_mode(if color {
                ColorMode::Enabled
            } else {
                ColorMode::Disabled
            })
            .build(),
        Err(e) => {
            print_stderr(&format!("error: cannot configure the line editor: {e}\n"));
            return 1;
        }
    };
    let history = History::open(&config, options.history_file.or_else(history::default_path));

    let mut shell = Shell {
        session,
        config,
        color,
        history,
        spinner: Arc::new(Mutex::new(None)),
        pending: String::new(),
    };
    shell.install_confirm();

    let mut greeting = format!(
        "connectql {}: end statements with `;`, .help for help, Tab completes, Ctrl-D exits\n",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(b) = &options.banner {
        greeting.push_str(b);
        greeting.push('\n');
    }
    print_stdout(&greeting);

    let code = shell.run_loop().await;
    shell.history.flush();
    code
}

impl Shell {
    /// DELETE and other destructive changes ask on the terminal (with the
    /// spinner out of the way).
    fn install_confirm(&mut self) {
        let slot = self.spinner.clone();
        self.session.set_confirm(Box::new(move |question: &str| {
            let ask = || {
                print_stderr(&format!("{} [y/N] ", question.trim_end()));
                let mut answer = String::new();
                std::io::stdin().read_line(&mut answer).is_ok()
                    && matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
            };
            let bar = slot.lock().ok().and_then(|s| s.clone());
            blocking(|| match bar {
                Some(bar) => bar.suspend(ask),
                None => ask(),
            })
        }));
    }

    /// Reads one line with a line editor that lives only as long as the
    /// read, lending it the history.
    fn read_line(&mut self, prompt: &str) -> Result<String, ReadlineError> {
        let mut editor: Editor<ShellHelper, FileHistory> =
            Editor::with_history(self.config.clone(), self.history.take())?;
        let mut helper = ShellHelper::new(self.session.cache().clone(), self.color);
        helper.pending.clone_from(&self.pending);
        editor.set_helper(Some(helper));
        let line = blocking(|| editor.readline(prompt));
        self.history.put(std::mem::take(editor.history_mut()));
        line
    }

    async fn run_loop(&mut self) -> i32 {
        loop {
            let prompt = if self.pending.is_empty() {
                PROMPT
            } else {
                CONTINUATION
            };
            match self.read_line(prompt) {
                Ok(line) => {
                    let text = if self.pending.is_empty() || meta::is_meta(&line) {
                        // A meta-command on a continuation line runs at
                        // once; the unfinished statement stays pending.
                        line
                    } else {
                        format!("{}\n{line}", std::mem::take(&mut self.pending))
                    };
                    if let Flow::Quit = self.process(&text).await {
                        return 0;
                    }
                }
                // Ctrl-C at the prompt: drop the line and any unfinished statement.
                Err(ReadlineError::Interrupted) => self.pending.clear(),
                // Ctrl-D.
                Err(ReadlineError::Eof) => {
                    print_stdout("\n");
                    return 0;
                }
                Err(e) => {
                    print_stderr(&format!("error: reading the terminal failed: {e}\n"));
                    return 1;
                }
            }
        }
    }

    /// Runs every complete statement and meta-command in `text`; keeps an
    /// unfinished statement in `pending`.
    async fn process(&mut self, text: &str) -> Flow {
        let mut rest = text;
        loop {
            let trimmed = rest.trim_start();
            if trimmed.is_empty() {
                return Flow::Continue;
            }
            if meta::is_meta(trimmed) {
                let end = trimmed.find('\n').unwrap_or(trimmed.len());
                let line = trimmed[..end].trim();
                match meta::run_meta(&mut self.session, line).await {
                    Ok(r) => {
                        print_stdout(&r.output);
                        if r.quit {
                            // Not recorded: Up in the next shell should bring
                            // back the last statement, not the way out.
                            return Flow::Quit;
                        }
                        self.history.add(line);
                    }
                    Err(e) => {
                        self.history.add(line);
                        print_error(&e);
                    }
                }
                rest = &trimmed[end..];
                continue;
            }
            let Some(end) = statement_split(trimmed) else {
                if !crate::sql::is_only_comments(trimmed) {
                    self.pending = trimmed.trim_end().to_string();
                }
                return Flow::Continue;
            };
            let statement = trimmed[..end].trim();
            rest = &trimmed[end..];
            if statement.trim_end_matches(';').trim().is_empty()
                || crate::sql::is_only_comments(statement)
            {
                continue;
            }
            self.history.add(statement);
            if !self.run_statement(statement).await {
                // Cancelled: what followed on the line is dropped too.
                return Flow::Continue;
            }
        }
    }

    /// Runs one statement and prints its outcome; false when cancelled.
    async fn run_statement(&mut self, statement: &str) -> bool {
        let Some(result) = self.execute(statement).await else {
            print_stderr("cancelled\n");
            return false;
        };
        let rows = match &result {
            Ok(outcome) => {
                self.print_outcome(outcome);
                outcome.result.as_ref().map(|r| r.rows.len())
            }
            Err(e) => {
                print_error(e);
                None
            }
        };
        if self.session.timing {
            print_stderr(&timing_line(rows, self.session.last_stats()));
        }
        true
    }

    fn print_outcome(&self, outcome: &Outcome) {
        let (out, err) = render_outcome(
            outcome,
            &crate::output::RenderOptions::exact(self.session.output),
        );
        print_stdout(&out);
        print_stderr(&err);
    }

    /// Executes with Ctrl-C cancelling (the future is dropped) and, after
    /// [`SPINNER_DELAY`], a spinner with the API calls made so far.
    async fn execute(&mut self, statement: &str) -> Option<Result<Outcome, Error>> {
        let counters = self.session.counters().clone();
        let calls_at_start = counters.api_calls();
        let show_spinner = std::io::stderr().is_terminal();
        let slot = self.spinner.clone();

        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        let mut listening = true;
        let mut ticker = tokio::time::interval_at(
            tokio::time::Instant::now() + SPINNER_DELAY,
            Duration::from_millis(100),
        );
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

        let work = self.session.execute(statement);
        tokio::pin!(work);
        let result = loop {
            tokio::select! {
                biased;
                r = &mut work => break Some(r),
                r = &mut ctrl_c, if listening => {
                    if r.is_ok() {
                        break None;
                    }
                    listening = false;
                }
                _ = ticker.tick(), if show_spinner => {
                    let calls = counters.api_calls().saturating_sub(calls_at_start);
                    let mut guard = slot.lock().unwrap_or_else(|p| p.into_inner());
                    let bar = guard.get_or_insert_with(new_spinner);
                    bar.set_message(format!(
                        "running: {calls} API call{} so far (Ctrl-C cancels)",
                        if calls == 1 { "" } else { "s" }
                    ));
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

/// The `.timing on` line.
fn timing_line(rows: Option<usize>, stats: crate::session::StatementStats) -> String {
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
    format!("time: {}\n", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::StatementStats;

    #[test]
    fn unfinished_statements() {
        assert!(needs_more("SELECT *"));
        assert!(needs_more("SELECT *\nFROM x"));
        assert!(needs_more("SELECT 'a;b"));
        assert!(needs_more("SELECT /* ; "));
        assert!(!needs_more("SELECT 1;"));
        assert!(!needs_more("SELECT 'a;b';"));
        assert!(!needs_more("-- just a comment"));
        assert!(!needs_more("   "));
        assert!(needs_more("SELECT 1 -- ;"));
    }

    #[test]
    fn statements_split_at_the_first_semicolon() {
        assert_eq!(statement_split("SELECT 1; SELECT 2;"), Some(9));
        assert_eq!(statement_split("SELECT ';'"), None);
        assert_eq!(statement_split("SELECT 1"), None);
    }

    #[test]
    fn prompts_line_up() {
        assert_eq!(PROMPT.len(), CONTINUATION.len());
    }

    #[test]
    fn timing_reports_rows_time_calls_and_hits() {
        let line = timing_line(
            Some(3),
            StatementStats {
                elapsed: Duration::from_micros(12_345),
                api_calls: 4,
                cache_hits: 2,
            },
        );
        assert_eq!(
            line,
            "time: 3 rows, 12.3 ms, 4 API calls, 2 served from the session cache\n"
        );
    }
}
