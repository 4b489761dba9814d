//! The pager: long output on a terminal goes through `$PAGER`, or `less`
//! when `PAGER` is not set (nothing when there is no `less`); an empty
//! `PAGER` means no pager. Unless `LESS` is set, less runs as
//! `less -F -R -S -X -K`: it quits at once when the text fits the screen,
//! passes colour through, scrolls sideways instead of wrapping, leaves the
//! text on the screen, and Ctrl-C leaves it like `q`.
//!
//! A pager that cannot start, fails or is killed loses no output: what it
//! did not take is printed directly. SIGINT while it runs reaches the
//! pager, never ends the shell.

use std::process::Stdio;

use tokio::io::AsyncWriteExt;

/// `LESS` when the user has none.
pub const LESS_FLAGS: &str = "FRSXK";

/// The pager command to run with `sh -c`, if any.
pub fn command() -> Option<String> {
    match std::env::var("PAGER") {
        Ok(p) if p.trim().is_empty() => None,
        Ok(p) => Some(p),
        Err(_) => find_in_path("less").then(|| "less".to_string()),
    }
}

fn find_in_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            let p = dir.join(program);
            std::fs::metadata(&p).is_ok_and(|m| {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    m.is_file() && m.permissions().mode() & 0o111 != 0
                }
                #[cfg(not(unix))]
                {
                    m.is_file()
                }
            })
        })
    })
}

/// True when `text` does not fit a `rows` × `cols` screen (one line is
/// left for the prompt); colour escapes do not count.
pub fn too_big(text: &str, rows: usize, cols: usize) -> bool {
    let mut lines = 0;
    for l in text.lines() {
        lines += 1;
        if lines >= rows || console::measure_text_width(l) > cols {
            return true;
        }
    }
    false
}

/// How paging went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paged {
    /// The pager showed the text (or the user left it early: `q`, Ctrl-C).
    Shown,
    /// The pager could not start, failed or was killed: print it yourself.
    Failed,
}

/// Shows `text` through `command` (run with `sh -c`) and waits for it.
pub async fn page(text: &str, command: &str) -> Paged {
    #[cfg(unix)]
    let mut sh = tokio::process::Command::new("sh");
    #[cfg(unix)]
    sh.arg("-c").arg(command);
    #[cfg(not(unix))]
    let mut sh = tokio::process::Command::new(command);
    if std::env::var_os("LESS").is_none() {
        sh.env("LESS", LESS_FLAGS);
    }
    sh.stdin(Stdio::piped()).kill_on_drop(false);
    let Ok(mut child) = sh.spawn() else {
        return Paged::Failed;
    };
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut interrupted = false;
    let mut stdin = child.stdin.take();
    let write = async {
        let mut whole = false;
        if let Some(mut s) = stdin.take() {
            whole = s.write_all(text.as_bytes()).await.is_ok();
            let _ = s.shutdown().await;
        }
        whole
    };
    tokio::pin!(write);
    let mut written = None;
    let status = loop {
        tokio::select! {
            w = &mut write, if written.is_none() => written = Some(w),
            s = child.wait(), if written.is_some() => break s,
            r = &mut ctrl_c, if !interrupted => interrupted = r.is_ok(),
        }
    };
    match status {
        Ok(s) if s.success() => Paged::Shown,
        // Left with Ctrl-C (less -K exits with status 2).
        Ok(_) if interrupted => Paged::Shown,
        _ => Paged::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_or_not() {
        assert!(!too_big("a\nb\n", 24, 80));
        assert!(too_big(&"x\n".repeat(30), 24, 80));
        assert!(too_big(&"x".repeat(81), 24, 80));
        assert!(!too_big(
            &format!("\x1b[1m{}\x1b[0m", "x".repeat(80)),
            24,
            80
        ));
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_failing_pager_hands_the_text_back() {
        assert_eq!(page("hello\n", "false").await, Paged::Failed);
        assert_eq!(page("hello\n", "cat >/dev/null").await, Paged::Shown);
        assert_eq!(page("hello\n", "kill -9 $$").await, Paged::Failed);
        assert_eq!(
            page("hello\n", "no-such-pager-anywhere-42").await,
            Paged::Failed
        );
    }
}
