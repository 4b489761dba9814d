//! The shell's history file: `<data dir>/connectql/history` (on Linux
//! `$XDG_DATA_HOME/connectql/history`), mode 0600 in a 0700 directory,
//! appended after every statement so a crash loses nothing, at most
//! [`MAX_ENTRIES`] entries, consecutive duplicates dropped, and never a line
//! that looks like it holds AWS credentials or holds the session's own.

use std::io;
use std::path::{Path, PathBuf};

use rustyline::history::{FileHistory, History as _};
use rustyline::Config;

use crate::logging;

/// Entries kept (older ones are dropped from the file too).
pub const MAX_ENTRIES: usize = 10_000;

/// Where the history lives unless `--history-file` says otherwise.
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("connectql").join("history"))
}

/// True when a line looks like it carries AWS credentials, or holds one
/// the session resolved (whatever its shape); such lines are never written
/// to the history.
pub fn looks_secret(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    let squashed: String = lower
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .collect();
    const NAMES: [&str; 4] = [
        "secretaccesskey",
        "awssessiontoken",
        "awssecuritytoken",
        "secretkey",
    ];
    NAMES.iter().any(|n| squashed.contains(n))
        || has_access_key_id(line)
        || has_bare_secret(line)
        || logging::holds_secret(line)
}

/// A run of base64 characters that looks like a secret access key (exactly
/// 40 characters) or a session token (100 or more), with upper- and
/// lower-case letters and digits mixed as random keys are; names, ARNs and
/// ids are broken up by `_`, `-`, `:` or `.` and never match.
fn has_bare_secret(line: &str) -> bool {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '+' | '=')))
        .map(|run| run.trim_end_matches('='))
        .any(|run| {
            (run.len() == 40 || run.len() >= 100)
                && run.bytes().any(|b| b.is_ascii_uppercase())
                && run.bytes().any(|b| b.is_ascii_lowercase())
                && run.bytes().any(|b| b.is_ascii_digit())
        })
}

/// `AKIA` / `ASIA` followed by 16 upper-case letters or digits: an access
/// key id, usually pasted together with its secret.
fn has_access_key_id(line: &str) -> bool {
    let b = line.as_bytes();
    (0..b.len().saturating_sub(19)).any(|i| {
        (b[i..].starts_with(b"AKIA") || b[i..].starts_with(b"ASIA"))
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 20).is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// Creates the directory (0700) and the file (0600) if needed, and makes
/// sure the file's mode is 0600.
pub fn prepare(path: &Path) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                b.mode(0o700);
            }
            b.create(dir)?;
        }
    }
    let mut o = std::fs::OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)?;
    secure(path)
}

/// Sets the file's mode to 0600.
pub fn secure(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The history of one shell: the entries (a rustyline [`FileHistory`],
/// lent to each line editor) and the file, when there is a usable one.
pub struct History {
    entries: FileHistory,
    path: Option<PathBuf>,
}

impl History {
    /// Prepares and loads the file. Problems are reported as warnings and
    /// the shell goes on without a history file.
    pub fn open(config: &Config, path: Option<PathBuf>) -> History {
        let mut entries = FileHistory::with_config(config);
        let Some(path) = path else {
            return History {
                entries,
                path: None,
            };
        };
        if let Err(e) = prepare(&path) {
            eprintln!(
                "warning: history disabled: cannot create {}: {e}",
                path.display()
            );
            return History {
                entries,
                path: None,
            };
        }
        if let Err(e) = entries.load(&path) {
            eprintln!(
                "warning: cannot read the history in {}: {e}",
                path.display()
            );
        }
        History {
            entries,
            path: Some(path),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Lends the entries to a line editor (give them back with [`History::put`]).
    pub fn take(&mut self) -> FileHistory {
        std::mem::take(&mut self.entries)
    }

    pub fn put(&mut self, entries: FileHistory) {
        self.entries = entries;
    }

    pub fn entries(&self) -> &FileHistory {
        &self.entries
    }

    /// Adds an entry and appends it to the file at once.
    pub fn add(&mut self, entry: &str) {
        let entry = entry.trim();
        if entry.is_empty() || looks_secret(entry) {
            return;
        }
        if matches!(self.entries.add(entry), Ok(true)) {
            self.flush();
        }
    }

    /// Writes entries not yet in the file.
    pub fn flush(&mut self) {
        let Some(path) = &self.path else { return };
        let result = self
            .entries
            .append(path)
            .map_err(io::Error::other)
            .and_then(|_| secure(path));
        if let Err(e) = result {
            eprintln!(
                "warning: cannot write the history to {}: {e}",
                path.display()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_recognised() {
        assert!(looks_secret("export AWS_SECRET_ACCESS_KEY=abc"));
        assert!(looks_secret(
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        ));
        assert!(looks_secret("SELECT 'aws-session-token'"));
        assert!(looks_secret("SELECT * WHERE x = 'AKIAIOSFODNN7EXAMPLE';"));
        assert!(!looks_secret(
            "SELECT * FROM aws.connect.instances WHERE region = 'us-east-1';"
        ));
        assert!(!looks_secret("SELECT 'XAKIAIOSFODNN7EXAMPLEX'"));
        // Pasted on their own: a secret access key, a session token.
        assert!(looks_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assert!(looks_secret(&format!(
            "'{}'",
            "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD".repeat(3)
        )));
        // Long ordinary lines do not look like secrets.
        assert!(!looks_secret(
            "SELECT username, routing_profile_arn, identity_info ->> '$.Email' FROM aws.connect.users \
             WHERE data__InstanceId = 'arn:aws:connect:us-east-1:123456789012:instance/7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11'"
        ));
        assert!(!looks_secret(
            "SELECT 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn'"
        ));
        assert!(!looks_secret("é"));
    }

    #[test]
    fn prepare_creates_private_dir_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a").join("b").join("history");
        prepare(&path).unwrap();
        assert!(path.exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let dmode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(dmode, 0o700);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            prepare(&path).unwrap();
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn entries_are_appended_deduplicated_and_capped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history");
        let config = Config::builder()
            .max_history_size(3)
            .unwrap()
            .history_ignore_dups(true)
            .unwrap()
            .build();
        let mut h = History::open(&config, Some(path.clone()));
        h.add("SELECT 1;");
        h.add("SELECT 1;");
        h.add("export AWS_SECRET_ACCESS_KEY=x");
        h.add("SELECT 2;\n  -- two lines");
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("SELECT 1;").count(), 1, "{text}");
        assert!(!text.contains("SECRET"));
        // Lent to an editor and given back, nothing is lost.
        let lent = h.take();
        h.put(lent);
        for i in 3..8 {
            h.add(&format!("SELECT {i};"));
        }
        let again = History::open(&config, Some(path.clone()));
        let entries: Vec<&String> = again.entries().iter().collect();
        assert_eq!(entries, ["SELECT 5;", "SELECT 6;", "SELECT 7;"]);
    }
}
