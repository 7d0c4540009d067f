//! Validation: everything about a scenario that its types cannot express.
//!
//! [`validate()`] runs every check and lists every problem it finds (it never
//! stops at the first), each at the place in the file of the offending value
//! and with a help text that says how to fix it. The checks are grouped by
//! topic:
//!
//! - `ids`: duplicate and empty ids;
//! - `refs`: references to nodes, districts, contractors, tasks, elements
//!   and steps that do not exist (with the closest existing id as a hint);
//! - `numbers`: lengths, diameters, durations, areas, households, lags and
//!   factors out of range (see [`limits`]);
//! - `calendar`: the construction window (at most [`limits::MAX_WINDOW_DAYS`]
//!   long, with at most [`limits::MAX_OVERRUN_DAYS`]), the deadline, holidays, bans,
//!   stop-work and productivity periods, rest weekdays;
//! - `templates`: work templates (steps, keys, duration rules);
//! - `crews`: who can do the work in each district (by the one rule of
//!   [`Allowed`]);
//! - `graph`: stations cut off from every heat source (on the pipe
//!   [`Network`], built here once and handed on), and cycles in the links;
//! - `risk`: the `[risk]` section (spreads, chances, months, references);
//! - `size`: a programme too large to schedule
//!   ([`limits::MAX_TIMING_ENTRIES`]).

mod calendar;
mod crews;
mod graph;
mod ids;
pub mod limits;
mod numbers;
mod refs;
mod risk;
mod size;
mod templates;

use super::allowed::Allowed;
use super::network::Network;
use super::{Both, Diagnostic, LineIndex, Scenario, Source};
use crate::both;
use std::cmp::Reverse;
use std::ops::Range;

/// Lists every problem found in a parsed scenario (empty when it is fine).
pub fn validate(s: &Scenario, src: &Source) -> Vec<Diagnostic> {
    run(s, src, Scope::Written).problems
}

/// Which checks validation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// Every check: a scenario as written (or as a compare variant
    /// rewrote it).
    Written,
    /// A scenario that re-plan events edited: every check except the
    /// staffing checks (`crews`) and whether calendar tags affect any work.
    /// Events may take all of a contractor's crews of a type away, or stop
    /// work by a tag nothing carries, and re-planning accepts that: the
    /// work then has no contractor (it gets one mode without crews) and the
    /// stop-work affects nothing.
    Edited,
}

/// What validation found, and what it built on the way that a
/// [`Programme`](super::Programme) hands on (so it is built once).
pub(super) struct Validated {
    /// Every problem, in file order (empty when there is none).
    pub problems: Vec<Diagnostic>,
    /// The pipe network of the file.
    pub network: Network,
    /// Who may do which work where.
    pub allowed: Allowed,
}

/// Runs the checks of `scope`.
pub(super) fn run(s: &Scenario, src: &Source, scope: Scope) -> Validated {
    let mut c = Checker {
        s,
        src,
        lines: LineIndex::new(&src.text),
        hints_left: MAX_HINTS,
        out: Vec::new(),
        network: Network::new(s),
        allowed: Allowed::new(s),
        scope,
    };
    ids::check(&mut c);
    refs::check(&mut c);
    numbers::check(&mut c);
    calendar::check(&mut c);
    templates::check(&mut c);
    if scope == Scope::Written {
        crews::check(&mut c);
    }
    graph::check(&mut c);
    risk::check(&mut c);
    size::check(&mut c);
    c.out.sort_by_key(|d| (d.location.line, d.location.column));
    Validated {
        problems: c.out,
        network: c.network,
        allowed: c.allowed,
    }
}

/// What every check works with: the scenario, its text and the problems
/// found so far.
struct Checker<'a> {
    /// The parsed scenario.
    s: &'a Scenario,
    /// Its text, for locations.
    src: &'a Source,
    /// Where its lines start.
    lines: LineIndex,
    /// How many more "did you mean" searches the file may have.
    hints_left: usize,
    /// Problems found.
    out: Vec<Diagnostic>,
    /// The pipe network, built from the file as it is.
    network: Network,
    /// Who may do which work where, by the file as it is.
    allowed: Allowed,
    /// Which checks run.
    scope: Scope,
}

impl Checker<'_> {
    /// Records a problem at a span of the file.
    fn error(&mut self, span: Range<usize>, message: Both, help: Both) {
        self.out.push(Diagnostic {
            file: self.src.file.clone(),
            location: self.lines.location(&self.src.text, span.start),
            message,
            help,
        });
    }

    /// The candidate closest to `wanted` (see [`closest()`]), while fewer
    /// than [`MAX_HINTS`] were looked for in this file.
    fn closest<'a>(
        &mut self,
        wanted: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<&'a str> {
        if self.hints_left == 0 {
            return None;
        }
        self.hints_left -= 1;
        closest(wanted, candidates)
    }

    /// `did you mean "X"? ` for the closest candidate, or an empty string.
    fn did_you_mean<'a>(
        &mut self,
        wanted: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Both {
        self.closest(wanted, candidates)
            .map(|n| both!("did you mean \"{n}\"? ", "是不是“{n}”？"))
            .unwrap_or_default()
    }

    /// The line (1-based) of a span's start, for "first defined at line N".
    fn line(&self, span: Range<usize>) -> usize {
        self.lines.location(&self.src.text, span.start).line
    }

    /// The span of the first line that starts with `header` (e.g.
    /// `[templates]`), or the start of the file: for problems about a whole
    /// table that has no spanned value to point at.
    fn header_span(&self, headers: &[&str]) -> Range<usize> {
        let mut offset = 0;
        for line in self.src.text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if headers.iter().any(|h| trimmed.starts_with(h)) {
                let start = offset + (line.len() - trimmed.len());
                return start..start + trimmed.trim_end().len();
            }
            offset += line.len();
        }
        0..0
    }
}

/// Most "did you mean" hints looked for in one file. Each compares the
/// wrong id with every id of its kind, so a file with 10,000 wrong
/// references to 10,000 nodes would take long; after the first hundred the
/// help lists some ids instead.
const MAX_HINTS: usize = 100;

/// Ids longer than this (in characters) get no "did you mean" hint: the edit
/// distance costs the product of the two lengths, and a hint for a
/// kilobyte-long id helps nobody.
const MAX_HINT_CHARS: usize = 100;

/// The candidate closest to `wanted` within edit distance 2 (ignoring
/// case); on ties the one sharing the longest prefix, then the first. Used
/// for "did you mean" hints here and by other input checks (variant files).
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = wanted.to_lowercase();
    let length = wanted.chars().count();
    if length > MAX_HINT_CHARS {
        return None;
    }
    let prefix = |c: &str| {
        wanted
            .chars()
            .zip(c.chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            // The edit distance is at least the difference of the lengths.
            if lower.chars().count().abs_diff(length) > 2 {
                return None;
            }
            Some((
                strsim::levenshtein(&wanted, &lower),
                Reverse(prefix(&lower)),
                c,
            ))
        })
        .filter(|&(d, _, _)| d <= 2)
        .min_by_key(|&(d, p, _)| (d, p))
        .map(|(_, _, c)| c)
}

/// A help text for a reference to something that does not exist: `near`
/// (the closest existing id) if there is one, else a few of the ids there
/// are.
fn pick_help<'a>(
    near: Option<&str>,
    wanted: &str,
    section: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Both {
    if let Some(near) = near {
        return both!(
            "use one of the ids under {section}, e.g. \"{near}\"",
            "请使用 {section} 下已有的编号，例如“{near}”"
        );
    }
    let all: Vec<&str> = candidates.into_iter().take(7).collect();
    if all.is_empty() {
        return both!(
            "add an entry with id \"{wanted}\" under {section}",
            "请在 {section} 下添加编号为“{wanted}”的条目"
        );
    }
    let ids = list(&all, 6);
    both!(
        "use one of the ids under {section} ({ids}), or add an entry with id \"{wanted}\"",
        "请使用 {section} 下已有的编号（{ids}），或添加编号为“{wanted}”的条目"
    )
}

/// `a, b, c` — at most `max` items, then `…`.
fn list(items: &[&str], max: usize) -> String {
    let mut text = items
        .iter()
        .take(max)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        text.push_str(", …");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_is_within_two_edits() {
        let ids = ["N1", "N9", "PLANT"];
        assert_eq!(closest("N99", ids), Some("N9"));
        assert_eq!(closest("plnt", ids), Some("PLANT"));
        assert_eq!(closest("XYZ123", ids), None);
        assert_eq!(closest("S2", ["P2", "S1"]), Some("S1"));
        // Edits count characters, not bytes: one Chinese character is one edit.
        assert_eq!(closest("一号站", ["二号站"]), Some("二号站"));
    }
}
