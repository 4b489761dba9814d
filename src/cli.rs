//! The command line: flags, batch mode (`-e`, `-f`, statements on stdin),
//! the demo, and the `emulator` subcommand. With a terminal on stdin and
//! nothing to run, it starts the interactive shell.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::emulator::{self, EmulatorArgs};
use crate::error::Error;
use crate::executor::ConnectionOptions;
use crate::output::{render_outcome, OutputFormat};
use crate::session::{Session, SessionOptions};
use crate::{repl, sql};

#[derive(Parser, Debug)]
#[command(
    name = "connectql",
    version,
    about = "A fast, native, interactive SQL shell for Amazon Connect instances",
    after_help = "Examples:\n  connectql --demo\n  connectql --region us-east-1 -e \"SELECT instance_alias, instance_status FROM aws.connect.instances\"\n  connectql emulator --demo-data --listen 127.0.0.1:8411"
)]
pub struct Cli {
    /// Run this statement and exit (repeatable; run in order).
    #[arg(short = 'e', long = "execute", value_name = "SQL")]
    pub execute: Vec<String>,

    /// Run the statements in this file and exit.
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// Output format (default: table on a terminal, json otherwise).
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<OutputFormat>,

    /// Default region for statements that name none.
    #[arg(long, env = "CONNECTQL_REGION")]
    pub region: Option<String>,

    /// AWS profile to load credentials and region from.
    #[arg(long)]
    pub profile: Option<String>,

    /// Send Connect calls to this URL (a local endpoint, a proxy, another Connect implementation).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Do not cache instance descriptions and attributes for the session.
    #[arg(long)]
    pub no_cache: bool,

    /// Refuse every statement that would change anything.
    #[arg(long)]
    pub read_only: bool,

    /// Confirm destructive statements (DELETE) without asking.
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Stop a query after this many seconds (calls, retries, pacing and SQL together).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,

    /// Refuse results of more rows than this.
    #[arg(long, value_name = "N", default_value_t = crate::engine::Limits::default().max_rows)]
    pub max_rows: usize,

    /// Refuse results larger than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = crate::engine::Limits::default().max_bytes / (1024 * 1024))]
    pub max_result_mb: usize,

    /// Most concurrent calls per region.
    #[arg(long, value_name = "N", default_value_t = crate::executor::DEFAULT_CONCURRENCY)]
    pub max_concurrency: usize,

    /// Attempts per call, the first included (adaptive retry).
    #[arg(long, value_name = "N")]
    pub max_attempts: Option<u32>,

    /// Start a local Connect endpoint with sample instances and use it (no AWS account needed).
    #[arg(long)]
    pub demo: bool,

    /// History file for the shell (default: <data dir>/connectql/history).
    #[arg(long, value_name = "PATH")]
    pub history_file: Option<PathBuf>,

    /// Log each HTTP call on stderr (signatures and secrets are never logged).
    #[arg(long)]
    pub debug: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the local Connect endpoint (REST-JSON, per-region state, fault injection).
    Emulator(EmulatorArgs),
}

/// Entry point of the binary; returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    init_tracing(cli.debug);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 2;
        }
    };
    let code = runtime.block_on(run(cli));
    // Do not wait for stray blocking tasks (a readline thread) at exit.
    runtime.shutdown_timeout(Duration::from_millis(100));
    code
}

fn init_tracing(debug: bool) {
    let filter = if debug {
        // Only connectql's own events: the SDK's debug output would include signed headers.
        tracing_subscriber::EnvFilter::new("connectql=debug")
    } else {
        // The SDK's own warnings (a missing profile file...) are noise for a
        // shell user; connectql reports what matters itself.
        tracing_subscriber::EnvFilter::try_from_env("CONNECTQL_LOG")
            .unwrap_or_else(|_| "connectql=warn".into())
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

async fn run(cli: Cli) -> i32 {
    if let Some(Command::Emulator(args)) = cli.command {
        return match emulator::serve(args).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: emulator: {e}");
                1
            }
        };
    }
    if !(cli.timeout.is_finite() && cli.timeout > 0.0) {
        eprintln!("error: --timeout must be a positive number of seconds");
        return 2;
    }

    let mut connection = ConnectionOptions {
        profile: cli.profile.clone(),
        region: cli.region.clone(),
        endpoint_url: cli.endpoint_url.clone(),
        timeout: Some(Duration::from_secs_f64(cli.timeout)),
        static_credentials: None,
        max_attempts: cli.max_attempts,
    };

    // The demo: an in-process local endpoint with sample data, explicit
    // credentials and region, so nothing is looked up from the machine.
    let mut demo = None;
    if cli.demo {
        let args = EmulatorArgs {
            demo_data: true,
            ..EmulatorArgs::default()
        };
        match emulator::start(args).await {
            Ok(running) => {
                connection.endpoint_url = Some(running.url());
                connection.static_credentials = Some(("demo".into(), "demo".into()));
                if connection.region.is_none() {
                    connection.region = Some("us-east-1".into());
                }
                demo = Some(running);
            }
            Err(e) => {
                eprintln!("error: cannot start the demo endpoint: {e}");
                return 1;
            }
        }
    }

    let options = SessionOptions {
        connection,
        cache: !cli.no_cache,
        read_only: cli.read_only,
        concurrency: cli.max_concurrency.max(1),
        assume_yes: cli.yes,
        deadline: Some(Duration::from_secs_f64(cli.timeout)),
        limits: crate::engine::Limits {
            max_rows: cli.max_rows.max(1),
            max_bytes: cli.max_result_mb.max(1).saturating_mul(1024 * 1024),
        },
    };
    let mut session = match Session::new(options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };

    let stdin_is_terminal = std::io::stdin().is_terminal();
    let batch = !cli.execute.is_empty() || cli.file.is_some() || !stdin_is_terminal;
    let code = if batch {
        session.output = cli.output.unwrap_or(if std::io::stdout().is_terminal() {
            OutputFormat::Table
        } else {
            OutputFormat::Json
        });
        let script = match batch_script(&cli) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        run_batch(&mut session, &script).await
    } else {
        session.output = cli.output.unwrap_or(OutputFormat::Table);
        let banner = demo.as_ref().map(|d| {
            format!(
                "demo: local Connect endpoint at {} with sample instances in us-east-1, eu-west-2 and ap-southeast-2",
                d.url()
            )
        });
        repl::run(
            session,
            repl::ReplOptions {
                history_file: cli.history_file.clone(),
                banner,
            },
        )
        .await
    };
    if let Some(d) = demo {
        d.shutdown().await;
    }
    code
}

/// The statements of a batch run, in order: every `-e`, then `-f`, then
/// stdin when it is not a terminal and neither was given.
fn batch_script(cli: &Cli) -> Result<Vec<String>, Error> {
    let mut items = Vec::new();
    for e in &cli.execute {
        items.extend(sql::split_script(e)?);
    }
    if let Some(path) = &cli.file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))?;
        items.extend(sql::split_script(&text)?);
    }
    if cli.execute.is_empty() && cli.file.is_none() {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::Config(format!("cannot read stdin: {e}")))?;
        items.extend(sql::split_script(&text)?);
    }
    Ok(items)
}

/// Runs statements in order; every failure is reported on stderr and the
/// run goes on. Exit status: 0 when every statement succeeded completely,
/// 1 when any failed or returned a partial answer.
pub async fn run_batch(session: &mut Session, items: &[String]) -> i32 {
    let mut failed = false;
    let stdout = std::io::stdout();
    for item in items {
        if repl::meta::is_meta(item) {
            match repl::meta::run_meta(session, item).await {
                Ok(result) => {
                    let mut out = stdout.lock();
                    let _ = out.write_all(result.output.as_bytes());
                    let _ = out.flush();
                    if result.quit {
                        break;
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    failed = true;
                }
            }
            continue;
        }
        match session.execute(item).await {
            Ok(outcome) => {
                let (text, warnings) = render_outcome(
                    &outcome,
                    &crate::output::RenderOptions::exact(session.output),
                );
                {
                    let mut out = stdout.lock();
                    let _ = out.write_all(text.as_bytes());
                    let _ = out.flush();
                }
                eprint!("{warnings}");
                if session.timing {
                    eprintln!(
                        "{}",
                        timing_line(session, outcome.result.as_ref().map(|r| r.rows.len()))
                    );
                }
                failed |= outcome.partial;
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    i32::from(failed)
}

/// `.timing on` figures for the last statement.
pub fn timing_line(session: &Session, rows: Option<usize>) -> String {
    let s = session.last_stats();
    format!(
        "rows: {}, elapsed: {:.1} ms, API calls: {}, served from cache: {}",
        rows.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
        s.elapsed.as_secs_f64() * 1000.0,
        s.api_calls,
        s.cache_hits
    )
}
