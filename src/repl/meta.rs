//! Meta-commands (`.help`, `.output json`, `\q`...): one table of
//! definitions drives `.help`, completion and dispatch, and each command has
//! one small handler. Used by the shell and by batch scripts (`-f`).

use crate::catalog;
use crate::error::Error;
use crate::output::OutputFormat;
use crate::session::Session;

/// What a meta-command's first argument may be (drives completion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaArgs {
    None,
    /// One of these words.
    Words(&'static [&'static str]),
    /// A region name (`catalog::CONNECT_REGIONS` are offered).
    Region,
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
            MetaArgs::Region => catalog::CONNECT_REGIONS.to_vec(),
            MetaArgs::Command => COMMANDS.iter().map(|c| &c.name[1..]).collect(),
            MetaArgs::Formats => OutputFormat::names().to_vec(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Help,
    Quit,
    Output,
    Timing,
    Cache,
    Region,
    ReadOnly,
}

/// One meta-command.
#[derive(Debug)]
pub struct MetaCommand {
    /// With its leading dot, e.g. `.output`.
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub args: MetaArgs,
    /// The argument synopsis, e.g. `table|json|csv|text`.
    pub usage: &'static str,
    pub help: &'static str,
    kind: Kind,
}

const ON_OFF: &[&str] = &["on", "off"];

/// Every meta-command, in `.help` order.
pub static COMMANDS: [MetaCommand; 7] = [
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
        help: "leave the shell (Ctrl-D also does)",
        kind: Kind::Quit,
    },
    MetaCommand {
        name: ".output",
        aliases: &[".mode"],
        args: MetaArgs::Formats,
        usage: "[table|json|csv|text]",
        help: "show or set how results are printed",
        kind: Kind::Output,
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
        name: ".cache",
        aliases: &[],
        args: MetaArgs::Words(&["on", "off", "clear"]),
        usage: "[on|off|clear]",
        help: "show the session cache (state and entries held), turn it on or off, or empty it",
        kind: Kind::Cache,
    },
    MetaCommand {
        name: ".region",
        aliases: &[],
        args: MetaArgs::Region,
        usage: "[NAME]",
        help: "show or set the region used by statements that name none",
        kind: Kind::Region,
    },
    MetaCommand {
        name: ".readonly",
        aliases: &[".read-only"],
        args: MetaArgs::Words(ON_OFF),
        usage: "[on|off]",
        help: "show or set read-only mode (INSERT, UPDATE and DELETE are refused)",
        kind: Kind::ReadOnly,
    },
];

/// What a meta-command printed, and whether the shell should stop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaResult {
    /// Text for stdout (may be empty; ends with a newline when not).
    pub output: String,
    pub quit: bool,
}

impl MetaResult {
    fn say(text: impl Into<String>) -> Self {
        let mut output = text.into();
        if !output.is_empty() && !output.ends_with('\n') {
            output.push('\n');
        }
        MetaResult {
            output,
            quit: false,
        }
    }
}

/// True when `line` is a meta-command (starts with `.` or `\`).
pub fn is_meta(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('.') || t.starts_with('\\')
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
/// trailing `;` is forgiven, and arguments may be quoted.
fn parse(line: &str) -> Result<(&'static MetaCommand, Vec<String>), Error> {
    let line = line.trim().trim_end_matches(';').trim_end();
    let mut words = line.split_whitespace();
    let name = words.next().unwrap_or("");
    let cmd = if name.starts_with('.') || name.starts_with('\\') {
        COMMANDS.iter().find(|c| {
            c.name.eq_ignore_ascii_case(name)
                || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
    } else {
        None
    };
    let cmd = cmd.ok_or_else(|| unknown_command(name))?;
    let args = words
        .map(|w| w.trim_matches(|c| c == '\'' || c == '"').to_string())
        .collect();
    Ok((cmd, args))
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

/// Runs one meta-command against the session.
pub async fn run_meta(session: &mut Session, line: &str) -> Result<MetaResult, Error> {
    let (cmd, args) = parse(line)?;
    match cmd.kind {
        Kind::Help => help(cmd, &args),
        Kind::Quit => quit(cmd, &args),
        Kind::Output => output(session, cmd, &args),
        Kind::Timing => timing(session, cmd, &args),
        Kind::Cache => cache(session, cmd, &args),
        Kind::Region => region(session, cmd, &args).await,
        Kind::ReadOnly => read_only(session, cmd, &args),
    }
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

fn quit(cmd: &MetaCommand, args: &[String]) -> Result<MetaResult, Error> {
    if !args.is_empty() {
        return Err(usage_error(cmd, "takes no argument"));
    }
    Ok(MetaResult {
        output: String::new(),
        quit: true,
    })
}

fn output(session: &mut Session, cmd: &MetaCommand, args: &[String]) -> Result<MetaResult, Error> {
    match one_arg(cmd, args)? {
        None => Ok(MetaResult::say(format!("output: {}", session.output))),
        Some(a) => {
            session.output = a.parse().map_err(|m: String| usage_error(cmd, m))?;
            Ok(MetaResult::say(format!("output: {}", session.output)))
        }
    }
}

fn timing(session: &mut Session, cmd: &MetaCommand, args: &[String]) -> Result<MetaResult, Error> {
    if let Some(a) = one_arg(cmd, args)? {
        session.timing = on_off(cmd, a)?;
    }
    Ok(MetaResult::say(format!("timing: {}", word(session.timing))))
}

fn cache(session: &mut Session, cmd: &MetaCommand, args: &[String]) -> Result<MetaResult, Error> {
    let cache = session.cache().clone();
    match one_arg(cmd, args)? {
        None => {
            let sizes = cache.sizes();
            let mut text = format!("cache: {}", word(cache.enabled()));
            if sizes.is_empty() {
                text.push_str(" (empty)");
            }
            for (resource, listings, items) in sizes {
                text.push_str(&format!(
                    "\n  {resource}: {listings} listing{}, {items} item{}",
                    plural(listings, "s"),
                    plural(items, "s"),
                ));
            }
            Ok(MetaResult::say(text))
        }
        Some(a) if a.eq_ignore_ascii_case("clear") => {
            cache.clear();
            Ok(MetaResult::say("cache: cleared"))
        }
        Some(a) => {
            let on = on_off(cmd, a)?;
            cache.set_enabled(on);
            Ok(MetaResult::say(format!("cache: {}", word(on))))
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

/// A plausible region name: `xx-word-1`, `us-gov-west-1`...
fn well_formed_region(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

async fn region(
    session: &mut Session,
    cmd: &MetaCommand,
    args: &[String],
) -> Result<MetaResult, Error> {
    match one_arg(cmd, args)? {
        None => Ok(MetaResult::say(match session.default_region().await {
            Some(r) => format!("region: {r}"),
            None => "region: none (statements must name one: WHERE region = '...')".to_string(),
        })),
        Some(name) => {
            let name = name.to_ascii_lowercase();
            if !well_formed_region(&name) {
                let hint = catalog::suggest(&name, catalog::CONNECT_REGIONS.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(Error::InvalidParam {
                    param: "region".into(),
                    message: format!("`{name}` is not a region name{hint}"),
                });
            }
            let mut out = format!("region: {name}");
            if !catalog::CONNECT_REGIONS.contains(&name.as_str()) {
                out.push_str("\nnote: Amazon Connect is not known to be offered in this region");
                if let Some(s) = catalog::suggest(&name, catalog::CONNECT_REGIONS.iter().copied()) {
                    out.push_str(&format!("; did you mean `{s}`?"));
                }
            }
            session.set_default_region(Some(name));
            Ok(MetaResult::say(out))
        }
    }
}

fn read_only(
    session: &mut Session,
    cmd: &MetaCommand,
    args: &[String],
) -> Result<MetaResult, Error> {
    if let Some(a) = one_arg(cmd, args)? {
        session.read_only = on_off(cmd, a)?;
    }
    Ok(MetaResult::say(format!(
        "readonly: {}",
        word(session.read_only)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionOptions;

    fn session() -> Session {
        Session::new(SessionOptions::default()).unwrap()
    }

    async fn run(s: &mut Session, line: &str) -> Result<MetaResult, Error> {
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
        assert_eq!(
            run(&mut s, ".output json").await.unwrap().output,
            "output: json\n"
        );
        assert_eq!(s.output, OutputFormat::Json);
        run(&mut s, ".OUTPUT csv;").await.unwrap();
        assert_eq!(s.output, OutputFormat::Csv);
        assert!(run(&mut s, ".output xml").await.is_err());
        assert_eq!(s.output, OutputFormat::Csv);

        run(&mut s, ".timing on").await.unwrap();
        assert!(s.timing);
        run(&mut s, ".timer off").await.unwrap();
        assert!(!s.timing);

        run(&mut s, ".readonly on").await.unwrap();
        assert!(s.read_only);
        assert_eq!(
            run(&mut s, ".readonly").await.unwrap().output,
            "readonly: on\n"
        );

        let out = run(&mut s, ".cache").await.unwrap().output;
        assert!(out.starts_with("cache: on (empty)"), "{out}");
        run(&mut s, ".cache off").await.unwrap();
        assert!(!s.cache().enabled());
        run(&mut s, ".cache clear").await.unwrap();
        assert!(run(&mut s, ".cache maybe").await.is_err());
    }

    #[tokio::test]
    async fn region_is_shown_and_set() {
        let mut s = session();
        let out = run(&mut s, ".region eu-west-2").await.unwrap().output;
        assert_eq!(out, "region: eu-west-2\n");
        assert_eq!(s.default_region().await.as_deref(), Some("eu-west-2"));
        assert_eq!(
            run(&mut s, ".region").await.unwrap().output,
            "region: eu-west-2\n"
        );
        let e = run(&mut s, ".region nowhere")
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a region name"), "{e}");
        let out = run(&mut s, ".region eu-west-9").await.unwrap().output;
        assert!(out.contains("not known to be offered"), "{out}");
    }

    #[tokio::test]
    async fn quit_and_help() {
        let mut s = session();
        for q in [".quit", ".exit", "\\q", ".QUIT;"] {
            assert!(run(&mut s, q).await.unwrap().quit, "{q}");
        }
        let h = run(&mut s, ".help").await.unwrap().output;
        for c in &COMMANDS {
            assert!(h.contains(c.name), "{h}");
        }
        assert!(h.contains("aws.connect.instances"));
        let h = run(&mut s, ".help output").await.unwrap().output;
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
