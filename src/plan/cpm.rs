//! The construction network plan (施工网络计划) of a chosen schedule: the six
//! time parameters of every activity, the critical path(s) and the milestones.
//!
//! # Method
//!
//! The analysis works on the single-code (activity-on-node) network of
//! JGJ/T 121-2015 with finish-to-start and start-to-start links and lags, on
//! the day grid of the model (day 0 = the window start, ends exclusive). Each
//! activity keeps the mode (contractor) the schedule chose, and its duration
//! depends on its start day through that mode's end table, so rest days,
//! holidays, bans and the rainy season are honoured:
//!
//! * **forward pass** — the earliest start `ES` is the first day, no earlier
//!   than the release and every predecessor link (`EF(i) + lag` for FS,
//!   `ES(i) + lag` for SS), on which the mode may start; `EF` is its end then
//!   (the crate's one [`forward_pass`]);
//! * **backward pass** — the required finish is the heat-ready deadline (the
//!   day after it, exclusive) for every activity, tightened by each successor
//!   (`LS(j) − lag` on the finish for FS, on the start for SS); the latest
//!   start `LS` is the last start day whose end respects both; `LF` is the end
//!   when started on `LS`. When no such day exists on the grid (the deadline
//!   is earlier than the calculated finish) `LS` is extrapolated with the
//!   scheduled duration, so it may fall before day 0;
//! * **total float** `TF = LS − ES`; **free float** `FF` is how far the start
//!   may slip from `ES` without delaying any successor's earliest start (for an
//!   activity without successors: the deadline), found on the calendar in the
//!   same way, and never more than `TF`. With fixed durations these are the
//!   textbook `LF − EF` and `min(ES(j)) − EF(i)`;
//! * **critical** activities are those with the minimum total float — zero
//!   when the deadline equals the calculated finish, negative when the
//!   deadline is earlier (JGJ/T 121: the critical set is then the minimum TF);
//! * **critical paths** end where a chain of *binding* links (those that set
//!   their successor's earliest start) ends with the least total float, and
//!   run back along binding links to an activity that nothing drives — the
//!   longest path into it. With fixed durations every activity on it is
//!   critical; with calendars a link in the chain may carry a day or two more
//!   float (a holiday that would not hit it later), and the chain is still
//!   what drives the critical activity.
//!
//! Two flavours are computed. **Logic** floats use the precedence links only.
//! **Resource-driven** floats add the hand-overs of the levelled plan: every
//! crew instance and every open-trench slot (see
//! [`assign_units`](crate::plan::assign_units)) passes from one activity to the next,
//! which becomes a finish-to-start link; the resulting critical path is the
//! resource-critical path, and its floats say honestly how much an activity
//! may slip without moving anything else in *this* plan.

use crate::plan::assign_units_keeping;
use crate::schedule::window::{forward_pass, link_ready};
use crate::schedule::{topological_order, ActId, Day, Link, LinkKind, Problem, Schedule};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;

/// At most this many critical paths are listed per flavour.
pub const MAX_CRITICAL_PATHS: usize = 20;

/// The six time parameters of one activity in day indices of the grid
/// (day 0 = window start; `ef` and `lf` are exclusive ends). Negative values
/// occur when the deadline is earlier than the calculated finish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Times {
    /// Earliest start day.
    pub es: i64,
    /// Earliest finish (exclusive end day).
    pub ef: i64,
    /// Latest start day.
    pub ls: i64,
    /// Latest finish (exclusive end day when started on `ls`).
    pub lf: i64,
    /// Total float in days (`ls − es`).
    pub total_float: i64,
    /// Free float in days.
    pub free_float: i64,
    /// True when the total float is the minimum of the network (the
    /// critical works of JGJ/T 121), or negative: work behind its latest
    /// dates drives a late date wherever it sits, so every output marks it.
    pub critical: bool,
    /// True when the activity lies on one of the listed critical paths. With
    /// calendars this also marks chain members whose float is a day or two
    /// above the minimum; the drawings and the CSV mark `critical ||
    /// on_critical_path`.
    pub on_critical_path: bool,
}

impl Times {
    /// Behind: the total float is negative (the activity is later than its
    /// latest dates allow).
    pub fn behind(&self) -> bool {
        self.total_float < 0
    }

    /// Critical in the sense the drawings and plan.csv use: minimum float or
    /// on a critical path.
    pub fn marked(&self) -> bool {
        self.critical || self.on_critical_path
    }
}

/// The result of one analysis of a network on the day grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// Time parameters per activity.
    pub times: Vec<Times>,
    /// Per link (in the order given): true when it binds its successor on
    /// one of the critical paths.
    pub driving: Vec<bool>,
    /// Critical paths as activity lists (at most [`MAX_CRITICAL_PATHS`]).
    pub paths: Vec<Vec<ActId>>,
    /// The minimum total float (the float of the critical activities).
    pub min_total_float: i64,
}

/// End (exclusive) of activity `a` in mode `m` started on day `s`, if it may
/// start then. Fixed durations extrapolate to negative days.
fn end_at(p: &Problem, a: ActId, m: usize, s: i64) -> Option<i64> {
    match &p.activities[a].modes[m].timing {
        crate::schedule::Timing::Fixed(d) => Some(s + *d as i64),
        t if s >= 0 => t.end(s as Day).map(|e| e as i64),
        _ => None,
    }
}

/// Last start `s` in `[lo, hi]` whose end is at most `max_end`.
fn last_start(p: &Problem, a: ActId, m: usize, lo: i64, hi: i64, max_end: i64) -> Option<i64> {
    let mut s = hi.min(max_end).min(p.horizon as i64);
    let fixed = matches!(
        p.activities[a].modes[m].timing,
        crate::schedule::Timing::Fixed(_)
    );
    if fixed {
        // Closed form: end = s + d.
        let e = end_at(p, a, m, 0).unwrap_or(0);
        let s = hi.min(max_end - e);
        return (s >= lo).then_some(s);
    }
    while s >= lo.max(0) {
        if let Some(e) = end_at(p, a, m, s) {
            if e <= max_end {
                return Some(s);
            }
        }
        s -= 1;
    }
    None
}

/// Computes the six time parameters of every activity of `p` in the modes of
/// `sched`, over the links `links` (the problem's own, possibly with
/// hand-overs added), against the exclusive due day `due`. Returns `None`
/// when the links contain a cycle.
pub fn analyse(p: &Problem, sched: &Schedule, links: &[Link], due: Day) -> Option<Analysis> {
    let n = p.activities.len();
    let order = topological_order(n, links)?;
    let due = due as i64;
    let mut out = vec![Vec::new(); n];
    for (i, l) in links.iter().enumerate() {
        out[l.from].push(i);
    }
    let mode = |a: ActId| sched.modes[a];
    // Scheduled duration: the fallback where the calendar gives no start.
    let dur = |a: ActId| {
        let s = sched.starts[a] as i64;
        end_at(p, a, mode(a), s).unwrap_or(s) - s
    };
    let fw = forward_pass(p, links, &order, |b, ready| {
        let first = (ready as i64..=p.horizon as i64)
            .find_map(|s| end_at(p, b, mode(b), s).map(|e| (s, e)));
        let (s, e) = first.unwrap_or((ready as i64, ready as i64 + dur(b)));
        Ok::<_, Infallible>(Some((s as Day, e as Day)))
    });
    let Ok(fw) = fw;
    let es: Vec<i64> = fw.es.iter().map(|&s| s as i64).collect();
    // `place` places every activity.
    let ef: Vec<i64> = fw.ef.iter().map(|e| e.unwrap_or(0) as i64).collect();
    let mut ls = vec![0i64; n];
    let mut lf = vec![0i64; n];
    let mut ff = vec![0i64; n];
    for &a in order.iter().rev() {
        let mut max_end = due;
        let mut max_start = i64::MAX;
        // Free float: against successors' earliest starts only.
        let mut f_end = if out[a].is_empty() { due } else { i64::MAX };
        let mut f_start = i64::MAX;
        for &li in &out[a] {
            let l = &links[li];
            let lag = l.lag as i64;
            match l.kind {
                LinkKind::FinishToStart => {
                    max_end = max_end.min(ls[l.to] - lag);
                    f_end = f_end.min(es[l.to] - lag);
                }
                LinkKind::StartToStart => {
                    max_start = max_start.min(ls[l.to] - lag);
                    f_start = f_start.min(es[l.to] - lag);
                }
            }
        }
        let m = mode(a);
        match last_start(p, a, m, i64::MIN / 4, max_start, max_end) {
            Some(s) => {
                ls[a] = s;
                lf[a] = end_at(p, a, m, s).unwrap_or(s + dur(a));
            }
            None => {
                let s = max_start.min(max_end - dur(a));
                ls[a] = s;
                lf[a] = s + dur(a);
            }
        }
        let free = match last_start(p, a, m, es[a], f_start, f_end) {
            Some(s) => s - es[a],
            None => (f_start.saturating_sub(es[a])).min(f_end.saturating_sub(ef[a])),
        };
        ff[a] = free;
    }
    let tf: Vec<i64> = (0..n).map(|a| ls[a] - es[a]).collect();
    let min_tf = tf.iter().copied().min().unwrap_or(0);
    let mut times: Vec<Times> = (0..n)
        .map(|a| Times {
            es: es[a],
            ef: ef[a],
            ls: ls[a],
            lf: lf[a],
            total_float: tf[a],
            free_float: ff[a].min(tf[a]),
            critical: tf[a] == min_tf || tf[a] < 0,
            on_critical_path: false,
        })
        .collect();
    // A link binds when it sets its successor's earliest start.
    let binding: Vec<bool> = links
        .iter()
        .map(|l| {
            let end = fw.ef[l.from].unwrap_or(0);
            link_ready(l, fw.es[l.from], end) >= fw.ready[l.to] as i64
        })
        .collect();
    let paths = critical_paths(n, links, &binding, &times);
    let mut on_path = std::collections::HashSet::new();
    for p in &paths {
        for &a in p {
            times[a].on_critical_path = true;
        }
        for w in p.windows(2) {
            on_path.insert((w[0], w[1]));
        }
    }
    let driving = links
        .iter()
        .zip(&binding)
        .map(|(l, &b)| b && on_path.contains(&(l.from, l.to)))
        .collect();
    Some(Analysis {
        times,
        driving,
        paths,
        min_total_float: min_tf,
    })
}

/// Critical paths: from every end of a chain of binding links (an activity
/// that sets no successor's earliest start) with the least total float among
/// such ends, back along binding links to an activity without a binding
/// predecessor — the longest path into it. With fixed durations these are
/// exactly the chains of critical activities; with calendars a link in the
/// chain may carry a day or two more float than the minimum (a holiday that
/// would not hit it later), and the chain is still what drives the end.
fn critical_paths(n: usize, links: &[Link], binding: &[bool], times: &[Times]) -> Vec<Vec<ActId>> {
    let mut preds = vec![Vec::new(); n];
    let mut ends_chain = vec![true; n];
    for (l, _) in links.iter().zip(binding).filter(|(_, &b)| b) {
        if !preds[l.to].contains(&l.from) {
            preds[l.to].push(l.from);
        }
        ends_chain[l.from] = false;
    }
    for p in &mut preds {
        p.sort_by_key(|&a| (times[a].total_float, a));
    }
    let end_float = (0..n)
        .filter(|&a| ends_chain[a])
        .map(|a| times[a].total_float)
        .min()
        .unwrap_or(0);
    let mut sinks: Vec<ActId> = (0..n)
        .filter(|&a| ends_chain[a] && times[a].total_float == end_float)
        .collect();
    sinks.sort_by_key(|&a| (times[a].ef, a));
    let mut paths = Vec::new();
    for sink in sinks {
        // Depth-first backwards: (node, index of the next predecessor to try).
        let mut stack: Vec<(ActId, usize)> = vec![(sink, 0)];
        while let Some(&(a, next)) = stack.last() {
            if paths.len() >= MAX_CRITICAL_PATHS {
                return paths;
            }
            if preds[a].is_empty() {
                paths.push(stack.iter().rev().map(|&(x, _)| x).collect());
                stack.pop();
            } else if next < preds[a].len() {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                stack.push((preds[a][next], 0));
            } else {
                stack.pop();
            }
        }
    }
    paths.sort_by_key(|p| times[p[0]].es);
    paths
}

/// Hand-over links of a schedule: consecutive uses of every resource unit.
/// Returns the links and the unit names (`resource/unit`).
pub fn handovers(p: &Problem, sched: &Schedule) -> Vec<(Link, String)> {
    handovers_keeping(p, sched, &[])
}

/// [`handovers`] with the units numbered by
/// [`assign_units_keeping`]: activity `a`
/// keeps the unit `keep[a]` where it can, so that a plan's hand-overs follow
/// the crews it names.
pub fn handovers_keeping(p: &Problem, sched: &Schedule, keep: &[String]) -> Vec<(Link, String)> {
    let mut uses = assign_units_keeping(p, sched, keep);
    uses.sort_by_key(|u| (u.resource, u.unit, u.start, u.end, u.first));
    let mut out = Vec::new();
    for w in uses.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.resource == b.resource && a.unit == b.unit && a.last != b.first {
            out.push((
                Link {
                    from: a.last,
                    to: b.first,
                    kind: LinkKind::FinishToStart,
                    lag: 0,
                },
                format!("{}/{}", p.resources[a.resource].name, a.unit),
            ));
        }
    }
    out
}

mod netplan;
pub use netplan::*;

#[cfg(test)]
mod tests;
