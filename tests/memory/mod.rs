//! Peak memory of a child process, from /proc, with a watchdog: a run
//! that is not bounded is killed at [`KILL_KB`] instead of taking the
//! machine's memory.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The watchdog's limit.
pub const KILL_KB: u64 = 400 * 1024;

/// A field of /proc/PID/status in kB.
fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Watches a child's memory until `done`: returns the highest VmHWM seen,
/// killing the child if its RSS passes [`KILL_KB`].
fn watch(pid: u32, done: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut peak = 0;
        while !done.load(Ordering::SeqCst) {
            if let Some(hwm) = status_kb(pid, "VmHWM:") {
                peak = peak.max(hwm);
            }
            if status_kb(pid, "VmRSS:").is_some_and(|rss| rss > KILL_KB) {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                return peak.max(KILL_KB);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        peak
    })
}

/// What a run produced: exit code, stdout, stderr, peak RSS in kB, time.
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub peak_kb: u64,
    pub took: Duration,
}

/// Runs `c`, feeding stdin with `feed` (on its own thread) if given.
pub fn measure(
    mut c: Command,
    feed: Option<Box<dyn FnOnce(std::process::ChildStdin) + Send>>,
) -> Ran {
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    if feed.is_some() {
        c.stdin(Stdio::piped());
    }
    let started = Instant::now();
    let mut child: Child = c.spawn().expect("spawn connectql");
    let done = Arc::new(AtomicBool::new(false));
    let watcher = watch(child.id(), done.clone());
    let writer = feed.map(|f| {
        let stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || f(stdin))
    });
    let out = child.wait_with_output().unwrap();
    let took = started.elapsed();
    done.store(true, Ordering::SeqCst);
    if let Some(w) = writer {
        w.join().unwrap();
    }
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        peak_kb: watcher.join().unwrap(),
        took,
    }
}
