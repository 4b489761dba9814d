//! The interactive shell: a rustyline editor with context-sensitive
//! completion (catalog and session cache only, never a network call),
//! highlighting, persistent history and meta-commands; statements end with
//! `;` and may span lines; Ctrl-C cancels a running statement.
//!
//! * [`completer`]: completion as a pure function of the buffer and cursor.
//! * [`helper`]: the rustyline helper (completion, hints, highlighting,
//!   validation).
//! * [`exec`]: the one execution path of the shell, `-e`, `-f`, `.read`,
//!   `.edit` and the init file: a statement or meta-command in, rendered
//!   output (fitted, paged, redirected) and a status out.
//! * [`input`]: scripts read as a stream of statements, each at most 1 MiB.
//! * [`meta`]: the meta-command table and handlers (also used by scripts).
//! * [`history`]: the history file.
//! * [`lexer`]: the forgiving tokenizer completion and highlighting share.
//!
//! A line editor exists only while a line is read: rustyline owns the
//! terminal (raw mode, its own SIGINT handler) for that long, and while a
//! statement runs Ctrl-C reaches tokio's handler, which cancels it.

pub mod completer;
pub mod exec;
pub mod helper;
pub mod history;
pub mod input;
pub mod lexer;
pub mod meta;

use std::path::PathBuf;

use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{ColorMode, CompletionType, Config, Editor};

use self::exec::{print_stderr, print_stdout, Runner, Step};
use self::helper::ShellHelper;
use self::history::History;
use crate::output::fitting;

pub use self::meta::{is_meta, run_meta, MetaResult};

/// The main prompt.
pub const PROMPT: &str = "connectql> ";
/// The prompt of a statement's continuation lines (same width).
pub const CONTINUATION: &str = "      ...> ";

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

/// Runs blocking work without stalling the runtime's other tasks (the
/// demo's local endpoint runs on the same runtime).
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// What the loop does after a piece of input.
enum Flow {
    Continue,
    Quit,
}

struct Shell {
    runner: Runner,
    config: Config,
    color: bool,
    history: History,
    /// Lines of an unfinished statement.
    pending: String,
}

/// Runs the shell until `.quit` or Ctrl-D; returns the exit code.
pub async fn run(runner: Runner, options: ReplOptions) -> i32 {
    // Own SIGINT from the start, so Ctrl-C while a statement runs cancels
    // it instead of ending the process. (A line editor exists only while a
    // line is read: rustyline replaces the SIGINT handler for the lifetime
    // of its terminal, and restores this one when it is dropped.)
    #[cfg(unix)]
    let _sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());

    let color = crate::output::style::stdout_color();
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
        runner,
        config,
        color,
        history,
        pending: String::new(),
    };
    shell.install_confirm();

    let mut greeting = format!(
        "connectql {}: end statements with `;` · .help · Tab completes · Ctrl-D exits\n",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(b) = &options.banner {
        greeting.push_str(b);
        greeting.push('\n');
    }
    let width = exec::terminal_size().map(|(_, c)| c);
    print_stdout(&banner_lines(&greeting, width));

    let code = shell.run_loop().await;
    shell.history.flush();
    code
}

/// The banner's lines wrapped to fit the terminal and at most
/// [`BANNER_WIDTH`] columns.
fn banner_lines(text: &str, terminal: Option<usize>) -> String {
    let width = terminal.unwrap_or(BANNER_WIDTH).clamp(1, BANNER_WIDTH);
    let mut out = String::new();
    for line in text.lines() {
        if fitting::width(line) <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        for l in fitting::wrap_words(line, Some(width)) {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

/// The banner reads in a narrow terminal.
pub const BANNER_WIDTH: usize = 80;

impl Shell {
    /// DELETE and other destructive changes ask on the terminal (with the
    /// spinner out of the way).
    fn install_confirm(&mut self) {
        let slot = self.runner.spinner.clone();
        self.runner
            .session
            .set_confirm(Box::new(move |question: &str| {
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
        let mut helper = ShellHelper::new(self.runner.session.cache().clone(), self.color);
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
                // `.edit` starts from the unfinished statement, if any.
                self.runner.edit_buffer.clone_from(&self.pending);
                let step = self.runner.run_one(line, false).await;
                if step == Step::Quit {
                    // Not recorded: Up in the next shell should bring
                    // back the last statement, not the way out.
                    return Flow::Quit;
                }
                self.history.add(line);
                if let Some(edited) = self.runner.take_edited() {
                    // What the editor ran replaces the unfinished statement.
                    self.pending.clear();
                    self.history.add(&edited);
                }
                rest = &trimmed[end..];
                continue;
            }
            let Some(end) = statement_split(trimmed) else {
                if trimmed.len() > input::MAX_STATEMENT_BYTES {
                    // As in scripts: no statement grows without bound.
                    print_stderr(&format!(
                        "error: the statement is longer than {} MiB, the most connectql reads as one statement; it was dropped\n",
                        input::MAX_STATEMENT_BYTES / (1024 * 1024)
                    ));
                    self.pending.clear();
                } else if !crate::sql::is_only_comments(trimmed) {
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
            if self.runner.run_one(statement, false).await == Step::Cancelled {
                // Cancelled: what followed on the line is dropped too.
                return Flow::Continue;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_lines_fit_the_terminal() {
        let text = "short\n      indented stays\none two three four five six seven\n";
        assert_eq!(banner_lines(text, Some(200)), text);
        let narrow = banner_lines(text, Some(22));
        assert!(narrow.starts_with("short\n      indented"), "{narrow}");
        for l in narrow.lines() {
            assert!(fitting::width(l) <= 22, "{l:?} in {narrow}");
        }
        let long = "x ".repeat(100);
        for l in banner_lines(&long, None).lines() {
            assert!(fitting::width(l) <= BANNER_WIDTH, "{l:?}");
        }
    }

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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_unfinished_statement_past_one_mib_is_dropped() {
        let session =
            crate::session::Session::new(crate::session::SessionOptions::default()).unwrap();
        let config = Config::default();
        let mut shell = Shell {
            runner: Runner::new(session, exec::Settings::default(), false),
            history: History::open(&config, None),
            config,
            color: false,
            pending: String::new(),
        };
        shell.process("SELECT 'open").await;
        assert_eq!(shell.pending, "SELECT 'open");
        let long = format!("SELECT '{}", "x".repeat(input::MAX_STATEMENT_BYTES));
        shell.process(&long).await;
        assert!(
            shell.pending.is_empty(),
            "{} bytes pending",
            shell.pending.len()
        );
    }

    #[test]
    fn prompts_line_up() {
        assert_eq!(PROMPT.len(), CONTINUATION.len());
    }
}
