//! Diagnostics on stderr (`--debug`, `CONNECTQL_LOG`), with credentials
//! scrubbed from every line.
//!
//! The SDK's own trace events print the resolved identity (its access key
//! id), and a signing event prints the request it signs; its `Debug` forms
//! redact the secret key and session token, but nothing guarantees that of
//! every crate underneath. So every formatted event passes through
//! [`scrub`] before it reaches the terminal: access key ids, SigV4
//! signatures and credential scopes, security-token headers, and the exact
//! values of the credential environment variables are replaced.

use std::io::{self, IsTerminal, Write};
use std::sync::LazyLock;

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

/// `text` with credentials replaced by `<redacted>`.
pub fn scrub(text: &str) -> String {
    // Each pattern with what replaces a match.
    static PATTERNS: LazyLock<Vec<(Regex, &str)>> = LazyLock::new(|| {
        [
            // Access key ids (long-term AKIA, temporary ASIA, and the like).
            (r"\b(?:AKIA|ASIA|AKID|AIDA|AROA)[A-Z0-9]{8,}\b", "<redacted>"),
            // SigV4: the signature, and the credential scope naming the key.
            (r#"(?i)(?:Signature|Credential)=[^,\s&"]+"#, "<redacted>"),
            // Tokens and authorisation in printed headers or fields: the
            // name stays, the value goes.
            (
                r#"(?i)((?:x-amz-security-token|authorization|session_token|security_token)"?\s*[:=,]\s*"?)[^"\s,)]+"#,
                "${1}<redacted>",
            ),
        ]
        .into_iter()
        .map(|(p, with)| (Regex::new(p).expect("valid pattern"), with))
        .collect()
    });
    let mut out = text.to_string();
    for value in SECRET_ENV.iter().filter_map(|k| std::env::var(k).ok()) {
        if value.len() >= 4 {
            out = out.replace(&value, "<redacted>");
        }
    }
    for (pattern, with) in PATTERNS.iter() {
        out = pattern.replace_all(&out, *with).into_owned();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::scrub;

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
        assert!(s.contains("SignedHeaders=host"), "{s}");
        assert_eq!(scrub("SELECT 1"), "SELECT 1");
    }
}
