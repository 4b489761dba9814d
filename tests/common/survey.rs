//! Runs a property over a fixed number of generated cases without stopping
//! at the first failure, so a test can say how many cases fail or are
//! refused (issue 16 asks for those figures), and shrinks each failure to a
//! small example with proptest's own shrinking.
//!
//! Included with `#[path = "common/survey.rs"] mod survey;`. With
//! `SURVEY_SHOW=<text>` a report lists every refused case whose message
//! contains the text (to see what a refusal share is made of).
#![allow(dead_code)]

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// What one case came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Agree,
    /// A clear refusal (the test's own definition), with a description.
    Refused(String),
    /// A wrong answer or an unclear error, with a description.
    Mismatch(String),
}

/// Whether a case is checked for the first time or again while shrinking
/// (a test that counts cases counts only the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    First,
    Shrinking,
}

#[derive(Debug, Default)]
pub struct Survey {
    pub cases: u32,
    /// Descriptions of the refused cases.
    pub refused: Vec<String>,
    /// The shrunk description of each failing case, first ones only.
    pub mismatches: Vec<String>,
    pub mismatch_count: u32,
}

impl Survey {
    /// A summary for the test's output and its failure message.
    pub fn report(&self, what: &str) -> String {
        let mut s = format!(
            "{what}: {} cases, {} mismatches, {} refused",
            self.cases,
            self.mismatch_count,
            self.refused.len()
        );
        for m in &self.mismatches {
            s.push_str("\n--- mismatch (shrunk):\n");
            s.push_str(m);
        }
        // Refusals by the start of their message (the line after the case).
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for r in &self.refused {
            let reason: String = r
                .lines()
                .nth(1)
                .unwrap_or("")
                .trim()
                .chars()
                .take(90)
                .collect();
            match reasons.iter_mut().find(|(k, _)| *k == reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((reason, 1)),
            }
        }
        reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (reason, n) in reasons.iter().take(6) {
            s.push_str(&format!("\n  refused {n}x: {reason}"));
        }
        if let Ok(filter) = std::env::var("SURVEY_SHOW") {
            for r in self.refused.iter().filter(|r| r.contains(&filter)) {
                s.push_str(&format!("\n--- {r}"));
            }
        }
        if let Some(r) = self.refused.first() {
            s.push_str("\n--- a refused case:\n");
            s.push_str(r);
        }
        s
    }
}

/// How many cases to generate: `PROPTEST_CASES` or `default`.
pub fn case_count(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Checks `cases` values of `strategy` (a fixed seed: the same values on
/// every run) and shrinks up to `shrink_at_most` of the failing ones.
pub fn survey<S: Strategy>(
    strategy: &S,
    cases: u32,
    shrink_at_most: usize,
    mut check: impl FnMut(&S::Value, Pass) -> Verdict,
) -> Survey {
    let mut runner = TestRunner::new_with_rng(
        Config {
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let mut survey = Survey {
        cases,
        ..Survey::default()
    };
    for _ in 0..cases {
        let mut tree = strategy.new_tree(&mut runner).expect("a generated case");
        match check(&tree.current(), Pass::First) {
            Verdict::Agree => {}
            Verdict::Refused(r) => survey.refused.push(r),
            Verdict::Mismatch(first) => {
                survey.mismatch_count += 1;
                if survey.mismatches.len() < shrink_at_most {
                    survey.mismatches.push(shrink(&mut tree, first, &mut check));
                }
            }
        }
    }
    survey
}

/// Proptest's shrinking loop: simplify while the case still fails, step
/// back (complicate) when it passes; at most a bounded number of steps.
fn shrink<T: ValueTree>(
    tree: &mut T,
    mut smallest: String,
    check: &mut impl FnMut(&T::Value, Pass) -> Verdict,
) -> String {
    let mut steps = 0;
    if !tree.simplify() {
        return smallest;
    }
    while steps < 2000 {
        steps += 1;
        match check(&tree.current(), Pass::Shrinking) {
            Verdict::Mismatch(m) => {
                smallest = m;
                if !tree.simplify() {
                    break;
                }
            }
            _ => {
                if !tree.complicate() {
                    break;
                }
            }
        }
    }
    smallest
}
