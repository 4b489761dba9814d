//! Colour: table headers bold, NULL dimmed — only on a terminal and never
//! with `NO_COLOR` set (<https://no-color.org>). Escapes are added after
//! widths are worked out, so they never count towards a column's width.

use std::io::IsTerminal;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// `NO_COLOR` set to anything non-empty turns colour off.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Colour for stdout: a terminal and no `NO_COLOR`.
pub fn stdout_color() -> bool {
    !no_color() && std::io::stdout().is_terminal()
}

/// How cells are styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Palette {
    pub enabled: bool,
}

impl Palette {
    pub fn header(self, s: &str) -> String {
        self.wrap(BOLD, s)
    }
    pub fn null(self, s: &str) -> String {
        self.wrap(DIM, s)
    }
    /// Notes about what is not shown (elided rows and columns).
    pub fn note(self, s: &str) -> String {
        self.wrap(DIM, s)
    }
    fn wrap(self, code: &str, s: &str) -> String {
        if self.enabled && !s.is_empty() {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_means_plain() {
        let p = Palette { enabled: false };
        assert_eq!(p.header("x"), "x");
        let p = Palette { enabled: true };
        assert_eq!(p.null("NULL"), "\x1b[2mNULL\x1b[0m");
    }
}
