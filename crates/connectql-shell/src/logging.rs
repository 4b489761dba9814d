//! Diagnostics on stderr (`--debug`, `CONNECTQL_LOG`), and the scrubber
//! every stream of diagnostics goes through: log events at every level,
//! errors and warnings (`repl::exec::print_stderr`), and the history file
//! (`repl::history`).
//!
//! The SDK's own trace events print the resolved identity (its access key
//! id), a signing event prints the request it signs, and AWS's own error
//! messages can quote a request (a signature mismatch quotes its canonical
//! form, security token included). So [`scrub`] replaces
//!
//! * the exact values of the credentials the session resolved, whatever
//!   their source (environment, profile files, SSO caches, STS): the client
//!   pool registers each identity the provider chain returns
//!   ([`register_secret`]), and the credential environment variables;
//! * and, for credentials seen before they are resolved, by their shape:
//!   access key ids, SigV4 signatures and credential scopes, `Authorization`
//!   headers, and secret keys and session tokens in their Debug, JSON, INI
//!   and header renderings (`session_token: Some("…")`, `"SessionToken":
//!   "…"`, `aws_secret_access_key = …`, `x-amz-security-token: …`).

use std::io::{self, IsTerminal, Write};
use std::sync::{LazyLock, Mutex};

use regex::Regex;

/// The environment variable that sets the log filter (`tracing`'s
/// `EnvFilter` syntax); `RUST_LOG` is not read.
pub const LOG_ENV: &str = "CONNECTQL_LOG";

/// Credential environment variables whose values are never printed.
const SECRET_ENV: [&str; 4] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
];

/// Installs the subscriber: with `debug`, connectql's own debug events only
/// (the SDK's are too noisy); otherwise the `CONNECTQL_LOG` filter, or
/// connectql's warnings.
pub fn init(debug: bool) {
    let filter = if debug {
        tracing_subscriber::EnvFilter::new("connectql=debug")
    } else {
        tracing_subscriber::EnvFilter::try_from_env(LOG_ENV)
            .unwrap_or_else(|_| "connectql=warn".into())
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .with_writer(|| ScrubbedStderr)
        .with_target(false)
        .try_init();
}

/// Stderr, through [`scrub`]. The fmt layer formats a whole event into one
/// buffer and writes it at once, so a secret is never split across writes.
struct ScrubbedStderr;

impl Write for ScrubbedStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        io::stderr().write_all(scrub(&text).as_bytes())?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

/// Credential values registered by [`register_secret`], newest last.
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Registered values kept: every identity of a long session (refreshed
/// every hour or so) without growing without bound.
const MAX_SECRETS: usize = 64;

/// Values shorter than this are never registered: replacing them would
/// garble ordinary text, and no AWS credential is that short.
const MIN_SECRET_LEN: usize = 8;

/// Registers a credential value: from now on [`scrub`] replaces it
/// wherever it appears.
pub fn register_secret(value: &str) {
    if value.len() < MIN_SECRET_LEN {
        return;
    }
    let Ok(mut secrets) = SECRETS.lock() else {
        return;
    };
    if secrets.iter().any(|s| s == value) {
        return;
    }
    if secrets.len() == MAX_SECRETS {
        secrets.remove(0);
    }
    secrets.push(value.to_string());
}

/// Every value to replace exactly: the registered ones and the credential
/// environment variables', longest first (so a value that contains another
/// is replaced whole).
fn exact_secrets() -> Vec<String> {
    let mut values: Vec<String> = SECRETS.lock().map(|s| s.clone()).unwrap_or_default();
    values.extend(
        SECRET_ENV
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .filter(|v| v.len() >= MIN_SECRET_LEN),
    );
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    values
}

/// True when `text` holds a registered credential value or a credential
/// environment variable's value.
pub fn holds_secret(text: &str) -> bool {
    exact_secrets().iter().any(|v| text.contains(v.as_str()))
}

/// `text` with credentials replaced by `<redacted>`.
pub fn scrub(text: &str) -> String {
    // Each pattern with what replaces a match.
    static PATTERNS: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            // Access key ids (long-term AKIA, temporary ASIA, and the like).
            (r"\b(?:AKIA|ASIA|AKID|AIDA|AROA)[A-Z0-9]{8,}\b", "<redacted>"),
            // SigV4: the signature, and the credential scope naming the key
            // (also as the X-Amz-Signature / X-Amz-Credential of a query).
            (r#"(?i)(?:Signature|Credential)=[^,\s&"']+"#, "<redacted>"),
            // An Authorization header: its whole value (quoted, or to the
            // end of the line).
            (
                r#"(?i)(\bauthorization["']?\s*[:=]\s*)(?:"[^"]*"|'[^']*'|[^\r\n]+)"#,
                "${1}<redacted>",
            ),
            // Secret keys and tokens by name, in Debug (`session_token:
            // Some("…")`), JSON (`"SessionToken": "…"`), INI
            // (`aws_secret_access_key = …`) and header or query
            // (`x-amz-security-token: …`, `X-Amz-Security-Token=…`) form:
            // the name stays, the value goes.
            (
                r#"(?i)((?:x-amz-security-token|(?:aws_?)?(?:access_?key_?id|secret_?access_?key|secret_?key|session_?token|security_?token))["']?\s*[:=]\s*(?:Some\(\s*)?)(?:"[^"]*"|'[^']*'|[^"'\s,)}\]&;]+)"#,
                "${1}<redacted>",
            ),
        ]
        .into_iter()
        .map(|(p, with)| (Regex::new(p).expect("valid pattern"), with))
        .collect()
    });
    let mut out = text.to_string();
    for value in exact_secrets() {
        if out.contains(value.as_str()) {
            out = out.replace(value.as_str(), "<redacted>");
        }
    }
    for (pattern, with) in PATTERNS.iter() {
        if let std::borrow::Cow::Owned(s) = pattern.replace_all(&out, *with) {
            out = s;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{holds_secret, register_secret, scrub};

    #[test]
    fn credentials_are_scrubbed() {
        let line = r#"identity=Credentials { access_key_id: "ASIAQWERTYUIOPASDFGH", secret_access_key: "** redacted **" } Authorization: AWS4-HMAC-SHA256 Credential=AKIAQWERTYUIOPASDFGH/20261128/us-east-1/connect/aws4_request, SignedHeaders=host, Signature=0a1b2c3d ("x-amz-security-token", "FQoGZXIvYXdzEXAMPLE")"#;
        let s = scrub(line);
        for secret in [
            "ASIAQWERTY",
            "AKIAQWERTY",
            "0a1b2c3d",
            "FQoGZXIv",
            "AWS4-HMAC",
        ] {
            assert!(!s.contains(secret), "{secret} in {s}");
        }
        assert_eq!(scrub("SELECT 1"), "SELECT 1");
        assert_eq!(
            scrub("session_token_mode: Include, SignedHeaders=host"),
            "session_token_mode: Include, SignedHeaders=host"
        );
    }

    /// Each rendering of a secret key or session token, with a value no
    /// shape-based pattern knows (so only the named form can catch it).
    #[test]
    fn named_secrets_in_debug_json_ini_and_header_form() {
        let value = "not-shaped-like-a-key-0123";
        for form in [
            format!(r#"Credentials {{ secret_access_key: "{value}", expiry: None }}"#),
            format!(r#"Credentials {{ session_token: Some("{value}") }}"#),
            format!(r#"Credentials {{ session_token: Some({value}) }}"#),
            format!(r#"{{"SessionToken": "{value}", "Expiration": 1}}"#),
            format!(r#"{{"sessionToken":"{value}"}}"#),
            format!(r#"{{"secretAccessKey": "{value}"}}"#),
            format!(r#"{{"SecretAccessKey":"{value}"}}"#),
            format!("aws_secret_access_key = {value}\naws_session_token={value}"),
            format!("secret_access_key = {value}"),
            format!("x-amz-security-token:{value}\nhost:example"),
            format!(r#"{{"x-amz-security-token": "{value}"}}"#),
            format!("GET /x?X-Amz-Security-Token={value}&X-Amz-Date=1"),
            format!(r#"headers: {{"authorization": "Bearer {value}"}}"#),
            format!("Authorization: Bearer {value}"),
            format!(r#"access_key_id: "{value}""#),
        ] {
            let s = scrub(&form);
            assert!(!s.contains(value), "{s}");
            assert!(s.contains("<redacted>"), "{s}");
        }
        // What surrounds a value stays.
        assert_eq!(
            scrub(r#"{"SessionToken": "abc123xyz", "Region": "us-east-1"}"#),
            r#"{"SessionToken": <redacted>, "Region": "us-east-1"}"#
        );
        assert_eq!(
            scrub("x-amz-security-token:abc123xyz\nhost:example"),
            "x-amz-security-token:<redacted>\nhost:example"
        );
    }

    #[test]
    fn registered_values_are_replaced_wherever_they_appear() {
        let secret = "registered/secret+Value=0123";
        assert!(!holds_secret(&format!("x {secret} y")));
        register_secret(secret);
        register_secret("short");
        let s = scrub(&format!("error: canonical string 'POST\n{secret}\n'"));
        assert_eq!(s, "error: canonical string 'POST\n<redacted>\n'");
        assert!(holds_secret(&format!("x {secret} y")));
        assert!(!holds_secret("short"), "too short to register");
    }
}
