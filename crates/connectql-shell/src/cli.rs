//! The command line: flags, batch mode (`-e`, `-f`, statements on stdin),
//! the init file, the demo, and the `emulator`, `completions` and `man`
//! subcommands. With a terminal on stdin and nothing to run, it starts the
//! interactive shell. Batch mode and the shell run everything through the
//! same [`Runner`].
//!
//! The local endpoint (`emulator` and `--demo`) is not linked here: the
//! binary supplies it as a [`LocalEndpoint`], so that changing the endpoint
//! does not rebuild the shell.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal};
use std::path::PathBuf;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::error::Error;
use crate::executor::ConnectionOptions;
use crate::output::{OutputFormat, Switch};
use crate::repl;
use crate::repl::exec::{Runner, Settings, Step};
use crate::session::{Session, SessionOptions};

#[derive(Parser, Debug)]
#[command(
    name = "connectql",
    version,
    about = "A fast, native, interactive SQL shell for Amazon Connect instances",
    after_help = "Examples:\n  connectql --demo\n  connectql --region us-east-1 -e \"SELECT instance_alias, instance_status FROM aws.connect.instances\"\n  connectql emulator --demo-data --listen 127.0.0.1:8411\n  connectql completions bash > ~/.local/share/bash-completion/completions/connectql\n  connectql man > ~/.local/share/man/man1/connectql.1"
)]
pub struct Cli {
    /// Run this statement or meta-command and exit (repeatable; run in order).
    #[arg(short = 'e', long = "execute", value_name = "SQL")]
    pub execute: Vec<String>,

    /// Run the statements and meta-commands in this file and exit.
    #[arg(short = 'f', long = "file", value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// Output format (default: table on a terminal, json otherwise; `.mode` in the shell).
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<OutputFormat>,

    /// Never page output (`.pager off`); by default long output on a terminal goes through $PAGER or less.
    #[arg(long)]
    pub no_pager: bool,

    /// Run this file of statements and meta-commands at start instead of the init file.
    #[arg(long, value_name = "PATH")]
    pub init: Option<PathBuf>,

    /// Do not run the init file (<config dir>/connectql/init.sql).
    #[arg(long, conflicts_with = "init")]
    pub no_init: bool,

    /// Default regions for statements that name none: one, a comma-separated list (each read concurrently, by every profile), or `all` (every region with instances, found before the first statement that needs it); `.region` in the shell.
    #[arg(long, env = "CONNECTQL_REGION", value_name = "REGION[,REGION...]|all")]
    pub region: Option<String>,

    /// AWS profile whose credentials (never keys in the environment) and region the session uses; a comma-separated list: the profiles a statement without a profile predicate reads, as `WHERE profile IN (...)`; `.profile` in the shell.
    #[arg(long, value_name = "PROFILE[,PROFILE...]")]
    pub profile: Option<String>,

    /// `--region` came from CONNECTQL_REGION, not the command line.
    #[arg(skip)]
    pub region_from_env: bool,

    /// Send Connect calls to this URL (a local endpoint, a proxy, another Connect implementation).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Do not cache instance descriptions and attributes for the session.
    #[arg(long)]
    pub no_cache: bool,

    /// Serve cached answers for at most this many seconds (0 to a week; `.cache ttl` in the shell).
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = crate::executor::cache::parse_ttl)]
    pub cache_ttl: u64,

    /// Refuse every statement that would change anything.
    #[arg(long)]
    pub read_only: bool,

    /// Confirm destructive statements (DELETE) without asking.
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Plan INSERT, UPDATE and DELETE of an instance's contents (reading what they need) and print every call with its before and after, without making any write call.
    #[arg(long)]
    pub dry_run: bool,

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

    /// Added by [`command`] after the endpoint's `emulator`, and read from
    /// its matches (the order of `--help`, completions and the manual page).
    #[arg(skip)]
    pub command: Option<Command>,
}

// The subcommands the shell itself runs; `emulator` is the
// `LocalEndpoint`'s. (A plain comment: clap would make a doc comment the
// program's about.)
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print a shell completion script (e.g. `source <(connectql completions bash)`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `connectql man > ~/.local/share/man/man1/connectql.1`.
    Man,
}

/// A boxed future that can move between threads (the endpoint's answers).
pub use futures::future::BoxFuture;

/// The local Connect endpoint as the command line uses it, supplied by the
/// binary: `connectql emulator` and `--demo`.
pub trait LocalEndpoint: Sync {
    /// The `emulator` subcommand with the endpoint's own flags: parsed,
    /// and shown by `--help`, the completions and the manual page.
    fn subcommand(&self) -> clap::Command;
    /// Runs `connectql emulator` (the matches of [`Self::subcommand`])
    /// until it is stopped.
    fn serve(&self, args: &clap::ArgMatches) -> BoxFuture<'static, io::Result<()>>;
    /// Starts an in-process endpoint with sample data for `--demo`.
    fn start_demo(&self) -> BoxFuture<'static, io::Result<DemoEndpoint>>;
}

/// A running demo endpoint.
pub struct DemoEndpoint {
    /// Where it listens (`http://127.0.0.1:PORT`).
    pub url: String,
    /// The AWS profiles that reach its other accounts (`demo-dev`,
    /// `demo-prod`), written to a throw-away AWS config for the session.
    pub profiles: Vec<DemoProfile>,
    /// Stops it and waits until it has stopped.
    pub shutdown: BoxFuture<'static, ()>,
}

/// An AWS profile of the demo: a name and the access key that chooses its
/// account on the demo endpoint.
pub struct DemoProfile {
    pub name: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub region: String,
}

/// A throw-away AWS config and credentials file holding the demo's
/// profiles, removed when dropped. The session reads these instead of the
/// user's (`ConnectionOptions::profile_files`); nothing else is changed.
struct DemoAwsFiles {
    dir: PathBuf,
}

impl DemoAwsFiles {
    fn write(profiles: &[DemoProfile]) -> io::Result<DemoAwsFiles> {
        let dir = std::env::temp_dir().join(format!("connectql-demo-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let files = DemoAwsFiles { dir };
        let mut config = String::new();
        let mut credentials = String::new();
        for p in profiles {
            config.push_str(&format!("[profile {}]\nregion = {}\n\n", p.name, p.region));
            credentials.push_str(&format!(
                "[{}]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n",
                p.name, p.access_key_id, p.secret_access_key
            ));
        }
        std::fs::write(files.config(), config)?;
        std::fs::write(files.credentials(), credentials)?;
        Ok(files)
    }
    fn config(&self) -> PathBuf {
        self.dir.join("config")
    }
    fn credentials(&self) -> PathBuf {
        self.dir.join("credentials")
    }
}

impl Drop for DemoAwsFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The whole command line: the shell's flags, the endpoint's `emulator`
/// subcommand and the shell's own subcommands.
pub fn command(endpoint: &dyn LocalEndpoint) -> clap::Command {
    Command::augment_subcommands(Cli::command().subcommand(endpoint.subcommand()))
}

/// What the command line asks for.
enum Invocation {
    /// `connectql [--debug] emulator ...`: the endpoint's own arguments.
    Emulator { args: clap::ArgMatches, debug: bool },
    /// Everything else.
    Shell(Cli),
}

/// Parses the command line; on `--help`, `--version` or an error it prints
/// and exits, as clap does.
fn parse(endpoint: &dyn LocalEndpoint) -> Invocation {
    let mut command = command(endpoint);
    let matches = command.get_matches_mut();
    let parsed = Cli::from_arg_matches(&matches).and_then(|cli| match matches.subcommand() {
        Some((name, args)) if name == endpoint.subcommand().get_name() => {
            Ok(Invocation::Emulator {
                args: args.clone(),
                debug: cli.debug,
            })
        }
        Some(_) => Ok(Invocation::Shell(Cli {
            command: Some(Command::from_arg_matches(&matches)?),
            ..cli
        })),
        None => Ok(Invocation::Shell(cli)),
    });
    let parsed = parsed.map(|i| match i {
        Invocation::Shell(cli) => Invocation::Shell(Cli {
            region_from_env: matches.value_source("region")
                == Some(clap::parser::ValueSource::EnvVariable),
            ..cli
        }),
        other => other,
    });
    parsed.unwrap_or_else(|e| e.format(&mut command).exit())
}

/// The init file: `<config dir>/connectql/init.sql` (on Linux
/// `$XDG_CONFIG_HOME/connectql/init.sql`, by default `~/.config/...`).
pub fn default_init_file() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("connectql").join("init.sql"))
}

/// `connectql completions SHELL` and `connectql man`: made from the same
/// clap definitions as the parser. `None` for other commands.
fn print_generated(cli: &Cli, endpoint: &dyn LocalEndpoint) -> Option<i32> {
    let mut out = std::io::stdout().lock();
    match &cli.command {
        Some(Command::Completions { shell }) => {
            clap_complete::generate(*shell, &mut command(endpoint), "connectql", &mut out);
            Some(0)
        }
        Some(Command::Man) => match clap_mangen::Man::new(command(endpoint)).render(&mut out) {
            Ok(()) => Some(0),
            Err(e) => {
                eprintln!("error: cannot write the manual page: {e}");
                Some(1)
            }
        },
        _ => None,
    }
}

/// Entry point of the binary, which supplies the local endpoint; returns
/// the exit code.
pub fn main(endpoint: &dyn LocalEndpoint) -> i32 {
    let invocation = parse(endpoint);
    if let Invocation::Shell(cli) = &invocation {
        if let Some(code) = print_generated(cli, endpoint) {
            return code;
        }
    }
    crate::logging::init(match &invocation {
        Invocation::Shell(cli) => cli.debug,
        Invocation::Emulator { debug, .. } => *debug,
    });
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    let finished = crate::sql::run_with_deep_stacks(&mut runtime, |runtime| {
        let code = runtime.block_on(async {
            match invocation {
                Invocation::Emulator { args, .. } => serve(endpoint, &args).await,
                Invocation::Shell(cli) => run(cli, endpoint).await,
            }
        });
        // Do not wait for stray blocking tasks (a readline thread) at exit.
        runtime.shutdown_timeout(Duration::from_millis(100));
        code
    });
    finished.unwrap_or_else(|e| {
        eprintln!("error: cannot start the async runtime: {e}");
        2
    })
}

/// `connectql emulator`.
async fn serve(endpoint: &dyn LocalEndpoint, args: &clap::ArgMatches) -> i32 {
    match endpoint.serve(args).await {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: emulator: {e}");
            1
        }
    }
}

async fn run(cli: Cli, endpoint: &dyn LocalEndpoint) -> i32 {
    // Up to a week, like `.timeout` (a larger value would overflow the
    // deadline's arithmetic).
    const WEEK: f64 = 7.0 * 24.0 * 3600.0;
    if !(cli.timeout.is_finite() && cli.timeout > 0.0 && cli.timeout <= WEEK) {
        eprintln!(
            "error: --timeout must be a number of seconds above 0 and at most {WEEK} (a week)"
        );
        return 2;
    }

    // `--region a,b|all` and `--profile a,b`: the session's default places.
    let by = if cli.region_from_env {
        "CONNECTQL_REGION"
    } else {
        "--region"
    };
    let regions = match cli
        .region
        .as_deref()
        .map(crate::session::RegionChoice::parse)
    {
        None => None,
        Some(Ok(choice)) => {
            // Well-formed but unknown: kept (new regions keep working),
            // with the nearest known one.
            if let crate::session::RegionChoice::List(list) = &choice {
                for note in crate::session::unknown_region_notes(list) {
                    eprintln!("note: {note}");
                }
            }
            Some((choice, by.to_string()))
        }
        Some(Err(e)) => {
            eprintln!("error: {by}: {e}");
            return 2;
        }
    };
    let profiles = cli
        .profile
        .as_deref()
        .map(crate::session::split_list)
        .unwrap_or_default();
    let mut connection = ConnectionOptions {
        // One profile is the session's credentials; several are defaults.
        profile: match profiles.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        },
        region: None,
        endpoint_url: cli.endpoint_url.clone(),
        timeout: Some(Duration::from_secs_f64(cli.timeout)),
        static_credentials: None,
        max_attempts: cli.max_attempts,
        profile_files: None,
    };

    // The demo: an in-process local endpoint with sample data, explicit
    // credentials and region, so nothing is looked up from the machine.
    let mut demo = None;
    let mut demo_files = None;
    if cli.demo {
        match endpoint.start_demo().await {
            Ok(running) => {
                connection.endpoint_url = Some(running.url.clone());
                connection.static_credentials = Some(("demo".into(), "demo".into()));
                match DemoAwsFiles::write(&running.profiles) {
                    Ok(files) => {
                        connection.profile_files = Some((files.config(), files.credentials()));
                        demo_files = Some(files);
                    }
                    Err(e) => {
                        eprintln!("error: cannot write the demo's AWS config: {e}");
                        running.shutdown.await;
                        return 1;
                    }
                }
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
        regions,
        profiles: if profiles.len() > 1 {
            profiles.clone()
        } else {
            Vec::new()
        },
        connection,
        cache: !cli.no_cache,
        read_only: cli.read_only,
        concurrency: cli.max_concurrency.max(1),
        assume_yes: cli.yes,
        dry_run: cli.dry_run,
        deadline: Some(Duration::from_secs_f64(cli.timeout)),
        limits: crate::engine::Limits {
            max_rows: cli.max_rows.max(1),
            max_bytes: cli.max_result_mb.max(1).saturating_mul(1024 * 1024),
        },
    };
    let session = match Session::new(options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    session.cache().set_ttl(Duration::from_secs(cli.cache_ttl));
    // Every `--profile` name is a configured profile, as a predicate's is.
    if !profiles.is_empty() {
        if let Err(e) = session.check_profiles(&profiles).await {
            eprintln!("error: --profile: {e}");
            return 2;
        }
    }

    let stdin_is_terminal = std::io::stdin().is_terminal();
    let batch = !cli.execute.is_empty() || cli.file.is_some() || !stdin_is_terminal;
    // Open every input before anything runs; each is read as it runs.
    let inputs = if batch {
        match batch_inputs(&cli) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    } else {
        Vec::new()
    };

    // Defaults, then the init file, then the command line.
    let settings = Settings {
        format: if batch && !std::io::stdout().is_terminal() {
            OutputFormat::Json
        } else {
            OutputFormat::Table
        },
        ..Settings::default()
    };
    let mut runner = Runner::new(session, settings, !batch);
    let code = match run_init(&cli, &mut runner).await {
        Err(code) => code,
        Ok(()) => {
            if let Some(format) = cli.output {
                runner.settings.format = format;
            }
            if cli.no_pager {
                runner.settings.pager = Switch::Off;
            }
            if batch {
                run_batch(&mut runner, inputs).await
            } else {
                let banner = demo.as_ref().map(|d| {
                    let names: Vec<&str> = d.profiles.iter().map(|p| p.name.as_str()).collect();
                    let accounts = if names.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "\n      two more accounts: WHERE profile IN ('{}') (.profiles)",
                            names.join("', '")
                        )
                    };
                    format!(
                        "demo: sample instances in us-east-1, eu-west-2 and ap-southeast-2\n      on a local Connect endpoint at {}{accounts}",
                        d.url
                    )
                });
                // Completion offers the profiles inside `profile = '`; an
                // unreadable config file is said when a statement needs it.
                let _ = runner.session.profiles().await;
                repl::run(
                    runner,
                    repl::ReplOptions {
                        history_file: cli.history_file.clone(),
                        banner,
                    },
                )
                .await
            }
        }
    };
    if let Some(d) = demo {
        d.shutdown.await;
    }
    drop(demo_files);
    code
}

/// Runs the init file (`--init FILE`, or the default one when it exists;
/// none with `--no-init`). A missing `--init` file is an error (exit 2);
/// failures inside it are reported and start-up goes on.
async fn run_init(cli: &Cli, runner: &mut Runner) -> Result<(), i32> {
    if cli.no_init {
        return Ok(());
    }
    let (path, required) = match &cli.init {
        Some(p) => (p.clone(), true),
        None => match default_init_file() {
            Some(p) if p.is_file() => (p, false),
            _ => return Ok(()),
        },
    };
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if required => {
            eprintln!("error: cannot read the init file {}: {e}", path.display());
            return Err(2);
        }
        Err(e) => {
            eprintln!("warning: cannot read the init file {}: {e}", path.display());
            return Ok(());
        }
    };
    let name = format!("the init file {}", path.display());
    if runner.run_input(BufReader::new(file), &name, true).await == Step::Cancelled {
        return Err(130);
    }
    Ok(())
}

/// One script of a batch run, opened but not yet read.
pub enum BatchInput {
    /// `-e SQL`.
    Text(String),
    /// `-f FILE`.
    File(PathBuf, File),
    /// Statements on stdin.
    Stdin,
}

/// The scripts of a batch run, in order: every `-e`, then `-f`, then
/// stdin when it is not a terminal and neither was given. A file that
/// cannot be opened is an error before anything runs.
fn batch_inputs(cli: &Cli) -> Result<Vec<BatchInput>, Error> {
    let mut inputs: Vec<BatchInput> = cli.execute.iter().cloned().map(BatchInput::Text).collect();
    if let Some(path) = &cli.file {
        let file = File::open(path)
            .map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))?;
        inputs.push(BatchInput::File(path.clone(), file));
    }
    if cli.execute.is_empty() && cli.file.is_none() {
        inputs.push(BatchInput::Stdin);
    }
    Ok(inputs)
}

/// Runs scripts in order, each read as a stream of statements; every
/// failure is reported on stderr and the run goes on. Exit status: 0 when
/// every statement succeeded completely, 1 when any failed, returned a
/// partial answer or could not be read or written, 130 when Ctrl-C stopped it.
pub async fn run_batch(runner: &mut Runner, inputs: Vec<BatchInput>) -> i32 {
    let mut failed = false;
    for input in inputs {
        let step = match input {
            BatchInput::Text(text) => runner.run_input(text.as_bytes(), "-e", true).await,
            BatchInput::File(path, file) => {
                let name = path.display().to_string();
                runner.run_input(BufReader::new(file), &name, true).await
            }
            BatchInput::Stdin => {
                runner
                    .run_input(BufReader::new(std::io::stdin()), "stdin", true)
                    .await
            }
        };
        match step {
            Step::Ok => {}
            Step::Failed => failed = true,
            Step::Quit => break,
            Step::Cancelled => return 130,
        }
    }
    i32::from(failed)
}
