//! Meta-commands (`.help`, `.mode json`, `\q`...): one table of
//! definitions drives `.help`, completion and dispatch, and each command has
//! one small handler. Used by the shell and by batch scripts (`-f`).

use crate::catalog;
use crate::error::Error;
use crate::executor::cache;
use crate::output::OutputFormat;
use std::path::PathBuf;

use crate::output::Switch;
use crate::session::Session;

use super::exec::Runner;

/// What a meta-command's first argument may be (drives completion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaArgs {
    None,
    /// One of these words.
    Words(&'static [&'static str]),
    /// Region names, separated by commas (`catalog::CONNECT_REGIONS`
    /// are offered), or a word of [`REGION_WORDS`].
    Region,
    /// Profile names, separated by commas (the configured profiles the
    /// session has read are offered), or [`RESET`].
    Profile,
    /// The name of a meta-command.
    Command,
    /// An output format (from [`OutputFormat`]'s one definition).
    Formats,
}

impl MetaArgs {
    /// The values offered for completion.
    pub fn candidates(self) -> Vec<&'static str> {
        match self {
            MetaArgs::None => Vec::new(),
            MetaArgs::Words(w) => w.to_vec(),
            MetaArgs::Region => REGION_WORDS
                .iter()
                .chain(catalog::CONNECT_REGIONS.iter())
                .copied()
                .collect(),
            // The profile names are the session's: the completer adds them.
            MetaArgs::Profile => vec![RESET],
            MetaArgs::Command => COMMANDS.iter().map(|c| &c.name[1..]).collect(),
            MetaArgs::Formats => OutputFormat::names().to_vec(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Help,
    Quit,
    Mode,
    Output,
    Once,
    Read,
    Edit,
    Timing,
    Expanded,
    Pager,
    MaxRows,
    MaxWidth,
    NullValue,
    Cache,
    Region,
    Profile,
    Profiles,
    ReadOnly,
    Timeout,
}

/// One meta-command.
#[derive(Debug)]
pub struct MetaCommand {
    /// With its leading dot, e.g. `.mode`.
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub args: MetaArgs,
    /// The argument synopsis, e.g. `[on|off]`.
    pub usage: &'static str,
    pub help: &'static str,
    kind: Kind,
}

const ON_OFF: &[&str] = &["on", "off"];
/// `.region all`: every region with instances; `.region default`: the
/// default regions the session started with.
const ALL: &str = "all";
const DEFAULT: &str = "default";
pub const REGION_WORDS: &[&str] = &[ALL, DEFAULT];
/// `.profile reset`: back to the profiles the session started with.
pub const RESET: &str = "reset";
const ON_OFF_AUTO: &[&str] = &["on", "off", "auto"];

/// Every meta-command, in `.help` order.
pub static COMMANDS: [MetaCommand; 19] = [
    MetaCommand {
        name: ".help",
        aliases: &["\\?", ".h"],
        args: MetaArgs::Command,
        usage: "[COMMAND]",
        help: "show this help, or the help of one command",
        kind: Kind::Help,
    },
    MetaCommand {
        name: ".quit",
        aliases: &[".exit", "\\q"],
        args: MetaArgs::None,
        usage: "",
        help: "leave the shell (Ctrl-D also does); in a file read with .read, stop reading it",
        kind: Kind::Quit,
    },
    MetaCommand {
        name: ".mode",
        aliases: &[],
        args: MetaArgs::Formats,
        usage: "[table|json|csv|text]",
        help: "show or set how results are printed",
        kind: Kind::Mode,
    },
    MetaCommand {
        name: ".output",
        aliases: &["\\o"],
        args: MetaArgs::Formats,
        usage: "[FILE]",
        help: "write results to FILE from now on; without FILE, to stdout again \
               (.output json, a format name alone, is kept as .mode json: write ./json for a file)",
        kind: Kind::Output,
    },
    MetaCommand {
        name: ".once",
        aliases: &[],
        args: MetaArgs::None,
        usage: "FILE",
        help: "write the next statement's results to FILE",
        kind: Kind::Once,
    },
    MetaCommand {
        name: ".read",
        aliases: &["\\i"],
        args: MetaArgs::None,
        usage: "FILE",
        help: "run the statements and meta-commands in FILE, as -f FILE does",
        kind: Kind::Read,
    },
    MetaCommand {
        name: ".edit",
        aliases: &["\\e"],
        args: MetaArgs::None,
        usage: "",
        help: "edit the unfinished or the last statement in $EDITOR (then $VISUAL, then vi); what is saved runs",
        kind: Kind::Edit,
    },
    MetaCommand {
        name: ".timing",
        aliases: &[".timer"],
        args: MetaArgs::Words(ON_OFF),
        usage: "[on|off]",
        help: "after each statement, print rows, elapsed time, API calls and cache hits",
        kind: Kind::Timing,
    },
    MetaCommand {
        name: ".expanded",
        aliases: &["\\x"],
        args: MetaArgs::Words(ON_OFF_AUTO),
        usage: "[on|off|auto]",
        help: "one block per row, `field | value` (auto: for a one-row result wider than the window)",
        kind: Kind::Expanded,
    },
    MetaCommand {
        name: ".pager",
        aliases: &[],
        args: MetaArgs::Words(ON_OFF_AUTO),
        usage: "[on|off|auto]",
        help: "page results on a terminal through $PAGER or less (auto: when they do not fit the screen)",
        kind: Kind::Pager,
    },
    MetaCommand {
        name: ".maxrows",
        aliases: &[],
        args: MetaArgs::None,
        usage: "[N]",
        help: "show the first and last of at most N rows of a table on a terminal (0: all; default 40)",
        kind: Kind::MaxRows,
    },
    MetaCommand {
        name: ".maxwidth",
        aliases: &[],
        args: MetaArgs::None,
        usage: "[N]",
        help: "fit tables in N columns (0: unlimited; default: the terminal's width)",
        kind: Kind::MaxWidth,
    },
    MetaCommand {
        name: ".nullvalue",
        aliases: &[],
        args: MetaArgs::None,
        usage: "[TEXT]",
        help: "how NULL looks in table and expanded output (default NULL; a string that would \
               look the same is shown quoted, 'NULL')",
        kind: Kind::NullValue,
    },
    MetaCommand {
        name: ".cache",
        aliases: &[],
        args: MetaArgs::Words(&["on", "off", "clear", "ttl"]),
        usage: "[on|off|clear|ttl [SECONDS]]",
        help: "show the session cache (state, time-to-live, entries and their age), turn it on \
               or off, empty it, or show or set how long answers are served (default 300 s)",
        kind: Kind::Cache,
    },
    MetaCommand {
        name: ".region",
        aliases: &[],
        args: MetaArgs::Region,
        usage: "[NAME[,NAME...]|all|default]",
        help: "show or set the regions a statement that names none reads, each concurrently; \
               all: every region where the default profiles have instances (found now, one \
               ListInstances per region and profile); default: back to the start-up default. \
               Regions set here, with --region or CONNECTQL_REGION apply to every profile; a \
               region from the AWS configuration gives way to a profile's own",
        kind: Kind::Region,
    },
    MetaCommand {
        name: ".profile",
        aliases: &[],
        args: MetaArgs::Profile,
        usage: "[NAME[,NAME...]|reset]",
        help: "show or set the AWS profiles a statement without a profile predicate reads, as if it \
               said WHERE profile IN (...); reset: back to the start-up default (the session's \
               credentials, or --profile)",
        kind: Kind::Profile,
    },
    MetaCommand {
        name: ".profiles",
        aliases: &[],
        args: MetaArgs::None,
        usage: "",
        help: "list the AWS profiles statements can read with (WHERE profile IN ('dev', 'prod')), as \
               SHOW PROFILES does",
        kind: Kind::Profiles,
    },
    MetaCommand {
        name: ".readonly",
        aliases: &[".read-only"],
        args: MetaArgs::Words(ON_OFF),
        usage: "[on|off]",
        help: "show or set read-only mode (INSERT, UPDATE and DELETE are refused)",
        kind: Kind::ReadOnly,
    },
    MetaCommand {
        name: ".timeout",
        aliases: &[],
        args: MetaArgs::None,
        usage: "[SECONDS]",
        help: "show or set the statement deadline, as --timeout does (default 30): a query whose \
               calls cannot finish in time at Connect's rate is refused before they start",
        kind: Kind::Timeout,
    },
];

/// What the runner does after a meta-command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Action {
    #[default]
    None,
    /// Stop reading input.
    Quit,
    /// Run this file as a script.
    Read(PathBuf),
    /// Open the editor, then run what is saved.
    Edit,
}

/// What a meta-command printed, and what comes next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaResult {
    /// Text for stdout (may be empty; ends with a newline when not).
    pub output: String,
    /// `output` only confirms a change of setting: scripts leave it out.
    pub confirmation: bool,
    pub action: Action,
}

impl MetaResult {
    /// Something the command was asked to show.
    fn say(text: impl Into<String>) -> Self {
        let mut output = text.into();
        if !output.is_empty() && !output.ends_with('\n') {
            output.push('\n');
        }
        MetaResult {
            output,
            ..MetaResult::default()
        }
    }

    /// The new value of a setting.
    fn set(text: impl Into<String>) -> Self {
        MetaResult {
            confirmation: true,
            ..MetaResult::say(text)
        }
    }

    fn action(action: Action) -> Self {
        MetaResult {
            action,
            ..MetaResult::default()
        }
    }
}

/// True when `line` is a meta-command (starts with `.` or `\`).
pub fn is_meta(line: &str) -> bool {
    crate::session::is_meta(line)
}

/// Looks a meta-command up by name or alias (case-insensitive; the leading
/// dot may be left out, as in `.help output`).
pub fn lookup(name: &str) -> Option<&'static MetaCommand> {
    let matches = |n: &str| {
        n.eq_ignore_ascii_case(name) || n.get(1..).is_some_and(|n| n.eq_ignore_ascii_case(name))
    };
    COMMANDS
        .iter()
        .find(|c| matches(c.name) || c.aliases.iter().any(|a| matches(a)))
}

/// Every name and alias, for completion and suggestions.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
}

fn unknown_command(name: &str) -> Error {
    Error::Unknown {
        what: "meta-command",
        name: name.to_string(),
        suggestion: catalog::suggest(name, all_names()).map(str::to_string),
        known: COMMANDS
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Splits a meta-command line into the command and its arguments. A
/// trailing `;` is forgiven, and arguments may be quoted (`'my file.sql'`,
/// `''` for an empty one).
fn parse(line: &str) -> Result<(&'static MetaCommand, Vec<String>), Error> {
    let line = line.trim().trim_end_matches(';').trim_end();
    let name = line.split_whitespace().next().unwrap_or("");
    let cmd = if name.starts_with('.') || name.starts_with('\\') {
        COMMANDS.iter().find(|c| {
            c.name.eq_ignore_ascii_case(name)
                || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
    } else {
        None
    };
    let cmd = cmd.ok_or_else(|| unknown_command(name))?;
    Ok((cmd, split_args(line[name.len()..].trim())))
}

/// Words separated by blanks; `'...'` and `"..."` quote blanks (a quote
/// is doubled to stand for itself).
fn split_args(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            return args;
        };
        let mut word = String::new();
        if first == '\'' || first == '"' {
            chars.next();
            while let Some(c) = chars.next() {
                if c == first && chars.next_if_eq(&first).is_none() {
                    break;
                }
                word.push(c);
            }
        }
        while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
            word.push(c);
        }
        args.push(word);
    }
}

fn usage_error(cmd: &MetaCommand, message: impl Into<String>) -> Error {
    Error::InvalidParam {
        param: cmd.name.to_string(),
        message: format!("{}; usage: {} {}", message.into(), cmd.name, cmd.usage)
            .trim_end()
            .to_string(),
    }
}

/// At most one argument.
fn one_arg<'a>(cmd: &MetaCommand, args: &'a [String]) -> Result<Option<&'a str>, Error> {
    match args {
        [] => Ok(None),
        [a] => Ok(Some(a.as_str())),
        _ => Err(usage_error(cmd, "too many arguments")),
    }
}

fn on_off(cmd: &MetaCommand, arg: &str) -> Result<bool, Error> {
    match arg.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => Err(usage_error(cmd, format!("expected on or off, got `{arg}`"))),
    }
}

fn word(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

/// Runs one meta-command.
pub async fn run_meta(runner: &mut Runner, line: &str) -> Result<MetaResult, Error> {
    let (cmd, args) = parse(line)?;
    match cmd.kind {
        Kind::Help => help(cmd, &args),
        Kind::Quit => no_args(cmd, &args).map(|()| MetaResult::action(Action::Quit)),
        Kind::Mode => mode(runner, cmd, &args),
        Kind::Output => output(runner, cmd, &args),
        Kind::Once => once(runner, cmd, &args),
        Kind::Read => {
            let path = path_arg(cmd, &args)?;
            Ok(MetaResult::action(Action::Read(path)))
        }
        Kind::Edit => no_args(cmd, &args).map(|()| MetaResult::action(Action::Edit)),
        Kind::Timing => {
            if let Some(a) = one_arg(cmd, &args)? {
                runner.settings.timing = on_off(cmd, a)?;
                return Ok(MetaResult::set(format!(
                    "timing: {}",
                    word(runner.settings.timing)
                )));
            }
            Ok(MetaResult::say(format!(
                "timing: {}",
                word(runner.settings.timing)
            )))
        }
        Kind::Expanded => switch(cmd, &args, &mut runner.settings.expanded, "expanded"),
        Kind::Pager => switch(cmd, &args, &mut runner.settings.pager, "pager"),
        Kind::MaxRows => {
            let default = format!(
                "auto ({} on a terminal, all elsewhere)",
                super::exec::DEFAULT_MAX_ROWS
            );
            number(
                cmd,
                &args,
                &mut runner.settings.max_rows,
                "maxrows",
                &default,
            )
        }
        Kind::MaxWidth => {
            let default = match super::exec::terminal_size() {
                Some((_, cols)) => format!("auto ({cols}, the terminal's width)"),
                None => "auto (the terminal's width; unlimited elsewhere)".into(),
            };
            number(
                cmd,
                &args,
                &mut runner.settings.max_width,
                "maxwidth",
                &default,
            )
        }
        Kind::NullValue => match one_arg(cmd, &args)? {
            None => Ok(MetaResult::say(format!(
                "nullvalue: '{}'",
                runner.settings.null
            ))),
            Some(a) => {
                runner.settings.null = a.to_string();
                Ok(MetaResult::set(format!("nullvalue: '{a}'")))
            }
        },
        Kind::Cache => cache(&mut runner.session, cmd, &args),
        Kind::Region => region(&mut runner.session, cmd, &args).await,
        Kind::Profile => profile(&mut runner.session, cmd, &args).await,
        Kind::Profiles => {
            no_args(cmd, &args)?;
            profiles(&runner.session).await
        }
        Kind::ReadOnly => read_only(&mut runner.session, cmd, &args),
        Kind::Timeout => timeout(&mut runner.session, cmd, &args),
    }
}

fn no_args(cmd: &MetaCommand, args: &[String]) -> Result<(), Error> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(usage_error(cmd, "takes no argument"))
    }
}

fn path_arg(cmd: &MetaCommand, args: &[String]) -> Result<PathBuf, Error> {
    match one_arg(cmd, args)? {
        Some(p) if !p.is_empty() => Ok(PathBuf::from(p)),
        _ => Err(usage_error(cmd, "needs a file name")),
    }
}

fn switch(
    cmd: &MetaCommand,
    args: &[String],
    value: &mut Switch,
    label: &str,
) -> Result<MetaResult, Error> {
    match one_arg(cmd, args)? {
        None => Ok(MetaResult::say(format!("{label}: {value}"))),
        Some(a) => {
            *value = a.parse().map_err(|m: String| usage_error(cmd, m))?;
            Ok(MetaResult::set(format!("{label}: {value}")))
        }
    }
}

fn number(
    cmd: &MetaCommand,
    args: &[String],
    value: &mut Option<usize>,
    label: &str,
    default: &str,
) -> Result<MetaResult, Error> {
    let show = |v: Option<usize>| match v {
        None => default.to_string(),
        Some(0) => "0 (unlimited)".to_string(),
        Some(n) => n.to_string(),
    };
    match one_arg(cmd, args)? {
        None => Ok(MetaResult::say(format!("{label}: {}", show(*value)))),
        Some(a) if a.eq_ignore_ascii_case("auto") => {
            *value = None;
            Ok(MetaResult::set(format!("{label}: {}", show(*value))))
        }
        Some(a) => {
            let n: usize = a.parse().map_err(|_| {
                usage_error(
                    cmd,
                    format!("expected a number (0 for unlimited) or auto, got `{a}`"),
                )
            })?;
            *value = Some(n);
            Ok(MetaResult::set(format!("{label}: {}", show(*value))))
        }
    }
}

fn mode(runner: &mut Runner, cmd: &MetaCommand, args: &[String]) -> Result<MetaResult, Error> {
    match one_arg(cmd, args)? {
        None => Ok(MetaResult::say(format!("mode: {}", runner.settings.format))),
        Some(a) => {
            runner.settings.format = a.parse().map_err(|m: String| usage_error(cmd, m))?;
            Ok(MetaResult::set(format!("mode: {}", runner.settings.format)))
        }
    }
}

/// `.output FILE`, `.output` (stdout again), and `.output FORMAT` — kept
/// from before `.mode`: an argument that is exactly a format's name (no
/// `/`, no `.`) sets the format; `./json` is a file named json.
fn output(runner: &mut Runner, cmd: &MetaCommand, args: &[String]) -> Result<MetaResult, Error> {
    match one_arg(cmd, args)? {
        None => {
            runner.set_output_file(None)?;
            Ok(MetaResult::set("output: stdout"))
        }
        Some(a) => {
            if let Ok(format) = a.parse::<OutputFormat>() {
                runner.settings.format = format;
                return Ok(MetaResult::set(format!(
                    "mode: {format} (old spelling of .mode {a}; .output ./{a} writes a file)"
                )));
            }
            let path = path_arg(cmd, args)?;
            runner.set_output_file(Some(&path))?;
            Ok(MetaResult::set(format!("output: {}", runner.destination())))
        }
    }
}

fn once(runner: &mut Runner, cmd: &MetaCommand, args: &[String]) -> Result<MetaResult, Error> {
    let path = path_arg(cmd, args)?;
    runner.set_once(&path)?;
    Ok(MetaResult::set(format!(
        "once: the next statement's results go to {}",
        path.display()
    )))
}

fn help(cmd: &MetaCommand, args: &[String]) -> Result<MetaResult, Error> {
    if let Some(name) = one_arg(cmd, args)? {
        let c = lookup(name).ok_or_else(|| unknown_command(name))?;
        let mut out = format!("{} {}\n  {}\n", c.name, c.usage, c.help);
        if !c.aliases.is_empty() {
            out.push_str(&format!("  also: {}\n", c.aliases.join(", ")));
        }
        let values = c.args.candidates();
        if !values.is_empty() && c.args != MetaArgs::Command {
            out.push_str(&format!("  values: {}\n", values.join(", ")));
        }
        return Ok(MetaResult::say(out.trim_end().replace(" \n", "\n")));
    }
    Ok(MetaResult::say(general_help()))
}

/// The full `.help` text: statements (from the catalog) and meta-commands
/// (from [`COMMANDS`]).
pub fn general_help() -> String {
    let mut out = String::from("Statements end with `;` and may span several lines:\n");
    for t in catalog::TABLES.iter().take(4) {
        if let Some(m) = t.method_for(catalog::SqlVerb::Select) {
            out.push_str(&format!("  {}\n", m.example));
        }
    }
    out.push_str(&format!(
        "  Tables: {}\n",
        catalog::TABLES
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out.push_str(&format!(
        "  SHOW SERVICES;  SHOW RESOURCES IN {};  SHOW METHODS IN {};\n",
        catalog::SERVICE_PATH,
        catalog::TABLES[0].id
    ));
    out.push_str(&format!(
        "  DESCRIBE [EXTENDED] {};  EXPLAIN SELECT ...;\n",
        catalog::TABLES[0].id
    ));
    out.push_str(
        "  INSERT INTO, UPDATE and DELETE FROM change instances: SHOW METHODS IN a resource for their params\n",
    );
    out.push_str("\nMeta-commands (no `;` needed):\n");
    let width = COMMANDS
        .iter()
        .map(|c| c.name.len() + 1 + c.usage.len())
        .max()
        .unwrap_or(0);
    for c in &COMMANDS {
        let synopsis = format!("{} {}", c.name, c.usage);
        let aliases = if c.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also {})", c.aliases.join(", "))
        };
        out.push_str(&format!("  {synopsis:width$}  {}{aliases}\n", c.help));
    }
    out.push_str(
        "\nKeys: Tab completes, Ctrl-R searches history, Ctrl-C cancels a running statement \
         or clears the line, Ctrl-D exits.\n",
    );
    out
}

fn cache(session: &mut Session, cmd: &MetaCommand, args: &[String]) -> Result<MetaResult, Error> {
    let cache = session.cache().clone();
    if args.first().is_some_and(|a| a.eq_ignore_ascii_case("ttl")) {
        return match &args[1..] {
            [] => Ok(MetaResult::say(format!(
                "cache ttl: {} s",
                cache.ttl().as_secs()
            ))),
            [n] => {
                let seconds = cache::parse_ttl(n).map_err(|m| usage_error(cmd, m))?;
                cache.set_ttl(std::time::Duration::from_secs(seconds));
                Ok(MetaResult::set(format!("cache ttl: {seconds} s")))
            }
            _ => Err(usage_error(cmd, "too many arguments")),
        };
    }
    match one_arg(cmd, args)? {
        None => {
            let sizes = cache.sizes();
            let mut text = format!(
                "cache: {}, answers served for {} s",
                word(cache.enabled()),
                cache.ttl().as_secs()
            );
            if sizes.is_empty() {
                text.push_str(" (empty)");
            }
            for (resource, listings, items, oldest) in sizes {
                text.push_str(&format!(
                    "\n  {resource}: {listings} listing{}, {items} item{}, oldest {} old",
                    plural(listings, "s"),
                    plural(items, "s"),
                    cache::age_text(oldest),
                ));
            }
            Ok(MetaResult::say(text))
        }
        Some(a) if a.eq_ignore_ascii_case("clear") => {
            cache.clear();
            Ok(MetaResult::set("cache: cleared"))
        }
        Some(a) => {
            let on = on_off(cmd, a)?;
            cache.set_enabled(on);
            Ok(MetaResult::set(format!("cache: {}", word(on))))
        }
    }
}

fn plural(n: usize, suffix: &str) -> &str {
    if n == 1 {
        ""
    } else {
        suffix
    }
}

/// One line per profile: its name, account and region when known, and
/// which one the session uses for statements that name none.
async fn profiles(session: &Session) -> Result<MetaResult, Error> {
    let set = session.profiles().await?;
    if set.rows.is_empty() {
        return Ok(MetaResult::say(
            "profiles: none (the AWS config and credentials files define no profile)",
        ));
    }
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let width = set
        .rows
        .iter()
        .filter_map(|r| r[0].as_str().map(|s| s.chars().count()))
        .max()
        .unwrap_or(0);
    let mut out = String::from("profiles:");
    for r in &set.rows {
        let name = text(&r[0]).unwrap_or_default();
        out.push_str(&format!(
            "\n  {name:<width$}  account {}  region {}{}",
            text(&r[1]).unwrap_or_else(|| "?".into()),
            text(&r[2]).unwrap_or_else(|| "?".into()),
            if r[3] == serde_json::Value::Bool(true) {
                "  (the session's)"
            } else {
                ""
            }
        ));
    }
    Ok(MetaResult::say(out))
}

/// `.region`, `.region a,b` (blanks allowed around the commas),
/// `.region all`, `.region default`.
async fn region(
    session: &mut Session,
    cmd: &MetaCommand,
    args: &[String],
) -> Result<MetaResult, Error> {
    if args.is_empty() {
        return Ok(MetaResult::say(session.describe_default_regions().await));
    }
    let text = args.join(",");
    if text.trim().eq_ignore_ascii_case(DEFAULT) {
        session.reset_default_regions();
        return Ok(MetaResult::set(session.describe_default_regions().await));
    }
    let choice = crate::session::RegionChoice::parse(&text).map_err(|e| match e {
        Error::InvalidParam { param, message } => Error::InvalidParam {
            param,
            message: format!("{message}; usage: {} {}", cmd.name, cmd.usage),
        },
        other => other,
    })?;
    match choice {
        crate::session::RegionChoice::All => {
            let found = session.find_all_regions(".region all").await?;
            // What it found, and any listing that failed, in scripts too.
            Ok(MetaResult::say(found.describe(".region all")))
        }
        crate::session::RegionChoice::List(regions) => {
            let unknown = crate::session::unknown_region_notes(&regions);
            let mut out = session_line(&regions);
            for note in &unknown {
                out.push_str(&format!("\nnote: {note}"));
            }
            session.set_default_regions(regions, ".region");
            // The note about an unknown region is shown in scripts too.
            Ok(if unknown.is_empty() {
                MetaResult::set(out)
            } else {
                MetaResult::say(out)
            })
        }
    }
}

fn session_line(regions: &[String]) -> String {
    format!("region: {}", regions.join(", "))
}

/// `.profile`, `.profile a,b`, `.profile reset`.
async fn profile(
    session: &mut Session,
    cmd: &MetaCommand,
    args: &[String],
) -> Result<MetaResult, Error> {
    if args.is_empty() {
        return Ok(MetaResult::say(session.describe_default_profiles()));
    }
    let names = crate::session::split_list(&args.join(","));
    if let [one] = names.as_slice() {
        if one.eq_ignore_ascii_case(RESET) {
            session.reset_default_profiles();
            return Ok(MetaResult::set(session.describe_default_profiles()));
        }
    }
    if names.is_empty() {
        return Err(usage_error(cmd, "no profile named"));
    }
    session.set_default_profiles(names, ".profile").await?;
    Ok(MetaResult::set(session.describe_default_profiles()))
}

fn read_only(
    session: &mut Session,
    cmd: &MetaCommand,
    args: &[String],
) -> Result<MetaResult, Error> {
    let text = |on: bool| format!("readonly: {}", word(on));
    match one_arg(cmd, args)? {
        Some(a) => {
            session.read_only = on_off(cmd, a)?;
            Ok(MetaResult::set(text(session.read_only)))
        }
        None => Ok(MetaResult::say(text(session.read_only))),
    }
}

/// `.timeout [SECONDS]`: the statement deadline, as `--timeout`.
fn timeout(session: &mut Session, cmd: &MetaCommand, args: &[String]) -> Result<MetaResult, Error> {
    let text = |d: Option<std::time::Duration>| match d {
        Some(d) => format!("timeout: {} s", d.as_secs_f64()),
        None => "timeout: none".to_string(),
    };
    match one_arg(cmd, args)? {
        None => Ok(MetaResult::say(text(session.deadline()))),
        Some(a) => {
            let seconds: f64 = a
                .trim_end_matches('s')
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s <= MAX_TIMEOUT_SECONDS)
                .ok_or_else(|| {
                    usage_error(
                        cmd,
                        format!(
                            "expected a positive number of seconds (at most {MAX_TIMEOUT_SECONDS}), got `{a}`"
                        ),
                    )
                })?;
            session.set_deadline(Some(std::time::Duration::from_secs_f64(seconds)));
            Ok(MetaResult::set(text(session.deadline())))
        }
    }
}

/// A week: longer is a mistake, and `Duration` arithmetic stays far from
/// overflow.
const MAX_TIMEOUT_SECONDS: f64 = 7.0 * 24.0 * 3600.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionOptions;

    fn session() -> Runner {
        Runner::new(
            Session::new(SessionOptions::default()).unwrap(),
            Default::default(),
            true,
        )
    }

    async fn run(s: &mut Runner, line: &str) -> Result<MetaResult, Error> {
        run_meta(s, line).await
    }

    #[test]
    fn is_meta_lines() {
        assert!(is_meta(".help"));
        assert!(is_meta("  \\q"));
        assert!(!is_meta("SELECT 1;"));
        assert!(!is_meta(""));
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = all_names().map(|n| n.to_ascii_lowercase()).collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[tokio::test]
    async fn settings_change_the_session() {
        let mut s = session();
        let r = run(&mut s, ".mode json").await.unwrap();
        assert_eq!(r.output, "mode: json\n");
        assert!(r.confirmation);
        assert_eq!(s.settings.format, OutputFormat::Json);
        assert!(!run(&mut s, ".mode").await.unwrap().confirmation);
        // `.output FORMAT`, the old spelling, still sets the format.
        run(&mut s, ".OUTPUT csv;").await.unwrap();
        assert_eq!(s.settings.format, OutputFormat::Csv);
        assert!(run(&mut s, ".mode xml").await.is_err());
        assert_eq!(s.settings.format, OutputFormat::Csv);

        run(&mut s, ".expanded on").await.unwrap();
        assert_eq!(s.settings.expanded, Switch::On);
        run(&mut s, "\\x auto").await.unwrap();
        assert_eq!(s.settings.expanded, Switch::Auto);
        run(&mut s, ".pager off").await.unwrap();
        assert_eq!(s.settings.pager, Switch::Off);
        assert!(run(&mut s, ".pager sometimes").await.is_err());
        run(&mut s, ".maxrows 0").await.unwrap();
        assert_eq!(s.settings.max_rows, Some(0));
        run(&mut s, ".maxwidth 100").await.unwrap();
        assert_eq!(s.settings.max_width, Some(100));
        run(&mut s, ".maxwidth auto").await.unwrap();
        assert_eq!(s.settings.max_width, None);
        assert!(run(&mut s, ".maxrows many").await.is_err());
        run(&mut s, ".nullvalue '(null)'").await.unwrap();
        assert_eq!(s.settings.null, "(null)");
        run(&mut s, ".nullvalue ''").await.unwrap();
        assert_eq!(s.settings.null, "");
        assert_eq!(
            run(&mut s, ".read").await.unwrap_err().to_string(),
            "invalid `.read`: needs a file name; usage: .read FILE"
        );
        assert_eq!(
            run(&mut s, ".read 'my file.sql'").await.unwrap().action,
            Action::Read("my file.sql".into())
        );
        assert_eq!(run(&mut s, "\\e").await.unwrap().action, Action::Edit);

        run(&mut s, ".timing on").await.unwrap();
        assert!(s.settings.timing);
        run(&mut s, ".timer off").await.unwrap();
        assert!(!s.settings.timing);

        assert_eq!(
            run(&mut s, ".timeout").await.unwrap().output,
            "timeout: 30 s\n"
        );
        run(&mut s, ".timeout 300").await.unwrap();
        assert_eq!(
            s.session.deadline(),
            Some(std::time::Duration::from_secs(300))
        );
        run(&mut s, ".timeout 2.5").await.unwrap();
        assert_eq!(
            s.session.deadline(),
            Some(std::time::Duration::from_millis(2500))
        );
        for bad in [
            ".timeout 0",
            ".timeout -3",
            ".timeout soon",
            ".timeout inf",
            ".timeout 1e12",
            ".timeout 1 2",
        ] {
            let e = run(&mut s, bad).await.unwrap_err().to_string();
            assert!(e.contains(".timeout"), "{bad}: {e}");
        }
        assert_eq!(
            s.session.deadline(),
            Some(std::time::Duration::from_millis(2500))
        );

        run(&mut s, ".readonly on").await.unwrap();
        assert!(s.session.read_only);
        assert_eq!(
            run(&mut s, ".readonly").await.unwrap().output,
            "readonly: on\n"
        );

        let out = run(&mut s, ".cache").await.unwrap().output;
        assert!(
            out.starts_with("cache: on, answers served for 300 s (empty)"),
            "{out}"
        );
        // `.cache ttl` round-trips, and bad values leave it as it was.
        assert_eq!(
            run(&mut s, ".cache ttl").await.unwrap().output,
            "cache ttl: 300 s\n"
        );
        run(&mut s, ".cache ttl 42").await.unwrap();
        assert_eq!(s.session.cache().ttl(), std::time::Duration::from_secs(42));
        assert_eq!(
            run(&mut s, ".cache TTL").await.unwrap().output,
            "cache ttl: 42 s\n"
        );
        for bad in [
            ".cache ttl -1",
            ".cache ttl soon",
            ".cache ttl 1 2",
            ".cache ttl 9999999",
        ] {
            let e = run(&mut s, bad).await.unwrap_err().to_string();
            assert!(e.contains(".cache"), "{bad}: {e}");
        }
        assert_eq!(s.session.cache().ttl(), std::time::Duration::from_secs(42));
        assert!(run(&mut s, ".cache")
            .await
            .unwrap()
            .output
            .starts_with("cache: on, answers served for 42 s"));
        run(&mut s, ".cache off").await.unwrap();
        assert!(!s.session.cache().enabled());
        run(&mut s, ".cache clear").await.unwrap();
        assert!(run(&mut s, ".cache maybe").await.is_err());
    }

    #[tokio::test]
    async fn profiles_are_listed_with_what_is_known() {
        let dir = std::env::temp_dir().join(format!("connectql-meta-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (config, credentials) = (dir.join("config"), dir.join("credentials"));
        std::fs::write(
            &config,
            "[profile dev]\nregion = eu-west-2\nsso_account_id = 111111111111\n\n[profile prod]\n",
        )
        .unwrap();
        std::fs::write(&credentials, "").unwrap();
        let mut options = SessionOptions::default();
        options.connection.profile = Some("dev".into());
        options.connection.profile_files = Some((config, credentials));
        let mut s = Runner::new(Session::new(options).unwrap(), Default::default(), true);
        let out = run(&mut s, ".profiles").await.unwrap().output;
        assert_eq!(
            out,
            "profiles:\n  dev   account 111111111111  region eu-west-2  (the session's)\n  \
             prod  account ?  region ?\n"
        );
        assert!(run(&mut s, ".profiles x").await.is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn region_is_shown_and_set() {
        let mut s = session();
        let out = run(&mut s, ".region eu-west-2").await.unwrap().output;
        assert_eq!(out, "region: eu-west-2\n");
        assert_eq!(
            s.session.default_region().await.as_deref(),
            Some("eu-west-2")
        );
        assert_eq!(
            run(&mut s, ".region").await.unwrap().output,
            "region: eu-west-2 (set with .region; every profile reads it)\n"
        );
        let e = run(&mut s, ".region nowhere")
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a region name"), "{e}");
        let out = run(&mut s, ".region eu-west-9").await.unwrap().output;
        assert!(out.contains("not known to be offered"), "{out}");
        // A list, blanks allowed; each name checked, with a suggestion.
        let out = run(&mut s, ".region us-east-1, eu-west-2 ,us-east-1")
            .await
            .unwrap()
            .output;
        assert_eq!(out, "region: us-east-1, eu-west-2\n");
        assert_eq!(
            s.session.default_regions().await,
            (vec!["us-east-1".to_string(), "eu-west-2".to_string()], true)
        );
        let e = run(&mut s, ".region us-east-1,eu-west2")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("'eu-west2' is not a region name (did you mean 'eu-west-2'?)"),
            "{e}"
        );
        // Refused, the setting is as it was.
        assert_eq!(s.session.default_regions().await.0.len(), 2);
        // Back to the start-up default: none is configured here.
        let out = run(&mut s, ".region default").await.unwrap().output;
        assert!(out.starts_with("region: none"), "{out}");
        assert_eq!(s.session.default_regions().await, (Vec::new(), false));
    }

    #[tokio::test]
    async fn profile_sets_are_checked_shown_and_reset() {
        let dir = std::env::temp_dir().join(format!("connectql-meta-p-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (config, credentials) = (dir.join("config"), dir.join("credentials"));
        std::fs::write(&config, "[profile dev]\n\n[profile prod]\n").unwrap();
        std::fs::write(&credentials, "").unwrap();
        let mut options = SessionOptions::default();
        options.connection.profile_files = Some((config, credentials));
        options.connection.static_credentials = Some(("k".into(), "s".into()));
        let mut s = Runner::new(Session::new(options).unwrap(), Default::default(), true);
        assert_eq!(
            run(&mut s, ".profile").await.unwrap().output,
            "profile: the session's credentials (keys, not a profile's)\n"
        );
        let out = run(&mut s, ".profile dev, prod").await.unwrap().output;
        assert_eq!(
            out,
            "profile: dev, prod (set with .profile; a statement without a profile predicate reads each)\n"
        );
        assert_eq!(s.session.default_profiles(), ["dev", "prod"]);
        let e = run(&mut s, ".profile dev,prdo")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("prdo") && e.contains("did you mean `prod`?") && e.contains("dev, prod"),
            "{e}"
        );
        assert_eq!(s.session.default_profiles(), ["dev", "prod"]);
        run(&mut s, ".profile reset").await.unwrap();
        assert!(s.session.default_profiles().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn quit_and_help() {
        let mut s = session();
        for q in [".quit", ".exit", "\\q", ".QUIT;"] {
            assert_eq!(run(&mut s, q).await.unwrap().action, Action::Quit, "{q}");
        }
        let h = run(&mut s, ".help").await.unwrap().output;
        for c in &COMMANDS {
            assert!(h.contains(c.name), "{h}");
        }
        assert!(h.contains("aws.connect.instances"));
        let h = run(&mut s, ".help mode").await.unwrap().output;
        assert!(h.contains("table, json, csv, text"), "{h}");
        assert!(run(&mut s, ".help .cache")
            .await
            .unwrap()
            .output
            .starts_with(".cache"));
    }

    #[tokio::test]
    async fn unknown_commands_get_a_suggestion() {
        let mut s = session();
        let e = run(&mut s, ".outptu json").await.unwrap_err().to_string();
        assert!(e.contains("unknown meta-command `.outptu`"), "{e}");
        assert!(e.contains("did you mean `.output`?"), "{e}");
        assert!(run(&mut s, ".quit now").await.is_err());
    }
}
