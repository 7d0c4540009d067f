//! An exact branch and bound for pure makespan problems.
//!
//! The time-indexed integer program proves small instances whose linear
//! relaxation is tight, but on tightly resource-constrained ones its bound
//! stays near the critical path and the gap never closes. This module proves
//! such instances the way constraint programming does: by search with
//! propagation.
//!
//! It applies to *pure* problems ([`applies`]): one mode per activity with a
//! fixed duration, no spans, no due groups, no baseline, and an objective
//! that only the finish can change — a PSPLIB instance, for example.
//!
//! **The question.** "Is there a schedule that ends by day `T`?", asked with
//! `T` one day below the best makespan known. A schedule found lowers `T`
//! and the search restarts, from the previous root's shaved windows (a
//! schedule ending by the new `T` ends by the old one too, so they still
//! hold); a search that exhausts its tree proves the best makespan optimal.
//!
//! **Propagation.** Every activity has a window `[est, lst]` of start days,
//! first from its release and from `T` minus its duration. Two rules shrink
//! the windows until neither changes anything:
//!
//! * *precedences*: every link is a minimum distance between two starts; one
//!   pass in topological order raises the earliest starts and one in reverse
//!   order lowers the latest starts;
//! * *time-tabling*: an activity whose latest start comes before its earliest
//!   end must run on the days between them (its compulsory part). Summing the
//!   compulsory parts per resource gives a profile no schedule can avoid; an
//!   overloaded profile fails the node, and an activity that would overload
//!   it when started at its earliest (latest) start is pushed later
//!   (earlier) past the conflict.
//!
//! A window that becomes empty fails the node. At the root, *shaving*
//! tightens the windows further: each half of every window is propagated on
//! its own, and a half that fails is cut off, until nothing more is cut.
//! (Shaving at every node near the root as well was measured on j30: no
//! more proofs in the same time.)
//!
//! **The set test.** With the `solver` feature, the root's windows then go
//! to a linear program on HiGHS over *feasible sets* (see the `sets`
//! module): could the activities fit even if they were allowed to pause?
//! When not, no schedule ends by `T` and the search is over before its
//! first node. Otherwise the halves of every window are shaved once more
//! with the test. It costs about 10 ms per test and proves some of the
//! hardest PSPLIB j30 instances at the root, where propagation and search
//! run out of time. Shaving with it may take four fifths of the time left
//! (a shave cut short leaves the search slow), and when both directions
//! search at once only the forward one runs it (the relaxation is the same
//! from either end). (Testing nodes a few decisions deep as well, runs of
//! intervals as rows of their own, and shaving eighths of windows proved no
//! more in the same time.)
//!
//! **Branching** is *schedule or postpone*: among the activities not yet
//! fixed and not postponed, take the one with the earliest `est` (ties: the
//! earliest `lst`). First fix it to start at `est`; on backtracking, mark it
//! postponed: it may only be chosen again once propagation has raised its
//! `est`, that is once some fixed activity blocks it there. Schedules in
//! which an activity starts later than it could are never needed — moving it
//! left does not end anything later — so only these *active* schedules are
//! explored, and the search stays complete. Activities that need no
//! resource (milestones, dummies) are never branched on: once the others are
//! fixed they start at their earliest start.
//!
//! **Both ends.** Turning every link around gives a mirror problem whose
//! schedules, read from their end, are the original's with the same
//! makespan. Chronological search can be far faster from one end than from
//! the other, so half of the budget searches forwards and the other half,
//! from the mirrored best schedule, backwards.
//!
//! **Memory.** A subtree that failed is remembered by its windows, and a
//! later node that it dominates — the same activities fixed, no later, and
//! every other window inside the remembered one — is cut off (see the
//! `memo` module). On random problems of 7–10 activities it saves about
//! three quarters of the nodes; on the hardest PSPLIB j30 instances about
//! a third to a half.
//!
//! The search is depth-first with an explicit stack of node copies (windows
//! are short vectors), checks the clock and the stop flag every few hundred
//! nodes, and every schedule it returns has been checked by the referee
//! [`super::check::violations`].

use std::sync::atomic::{AtomicBool, Ordering};

use super::budget::Budget;
use super::check::violations;
use super::problem::{Day, LinkKind, Problem, Schedule, Timing};

mod memo;
use memo::{fixed_set, Memo};
#[cfg(feature = "solver")]
mod sets;

#[cfg(feature = "solver")]
use super::shares::SHAVE_SHARE;

/// Settings of [`branch_and_bound`] beside its [`Budget`].
#[derive(Debug, Clone)]
pub struct ExactSettings {
    /// Stops after this many nodes (for reproducible tests).
    pub node_limit: Option<u64>,
    /// Remember failed states and prune the states they dominate (see
    /// the `memo` module); on by default, off only to measure what it saves.
    pub memo: bool,
    /// Test the root's windows, and shave them, with the linear program over
    /// feasible sets (see the `sets` module; needs the `solver` feature); on
    /// by default, off only to measure what it gains.
    pub sets: bool,
}

impl Default for ExactSettings {
    fn default() -> Self {
        ExactSettings {
            node_limit: None,
            memo: true,
            sets: true,
        }
    }
}

/// What [`branch_and_bound`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactResult {
    /// The best schedule known at the end: one the search found, or else the
    /// incumbent it was given.
    pub schedule: Option<Schedule>,
    /// A proven lower bound on the makespan.
    pub makespan_bound: Day,
    /// True when the schedule's makespan equals the bound (or, without a
    /// schedule, when no schedule exists).
    pub proven: bool,
    /// Search nodes visited.
    pub nodes: u64,
}

/// True when `p` is a pure makespan problem the search can prove: one mode
/// per activity with a fixed duration, no spans, no due groups or baseline,
/// an acyclic network, and a positive weight on the finish.
pub fn applies(p: &Problem) -> bool {
    p.activities
        .iter()
        .all(|a| a.modes.len() == 1 && matches!(a.modes[0].timing, Timing::Fixed(_)))
        && p.spans.is_empty()
        && p.groups.iter().all(|g| p.group_weight(g) == 0)
        && p.baseline.is_none()
        && p.objective.finish > 0
        && p.topological_order().is_some()
}

/// Searches for the schedule of least makespan below the `incumbent`'s
/// makespan (if any). It stops when it proves a makespan optimal — by
/// exhausting the search below it, or by reaching `lower`, a makespan bound
/// known from elsewhere — or at the limits of `budget` and `settings`. With
/// two or more threads in the budget, the forward and the mirror search run
/// at once, each with the whole budget; with one, each gets half of it in
/// turn. Requires [`applies`].
pub fn branch_and_bound(
    p: &Problem,
    incumbent: Option<&Schedule>,
    lower: Day,
    budget: &Budget,
    settings: &ExactSettings,
) -> ExactResult {
    assert!(applies(p), "branch_and_bound needs a pure makespan problem");
    let never = AtomicBool::new(false);
    let Some(back) = reversed(p) else {
        return one_way(p, incumbent, lower, budget, settings, &never);
    };
    if budget.threads >= 2 {
        return both_ways(p, &back, incumbent, lower, budget, settings);
    }
    let half = ExactSettings {
        node_limit: settings.node_limit.map(|n| n / 2),
        ..settings.clone()
    };
    let ahead = one_way(p, incumbent, lower, &budget.share(0.5), &half, &never);
    if ahead.proven || budget.stopped() {
        return ahead;
    }
    let rest = ExactSettings {
        node_limit: settings.node_limit.map(|n| n.saturating_sub(ahead.nodes)),
        ..settings.clone()
    };
    let mirrored = ahead.schedule.as_ref().map(|s| mirror(p, s));
    let behind = one_way(&back, mirrored.as_ref(), lower, budget, &rest, &never);
    merge(p, &back, ahead, behind)
}

/// The forward and the mirror search on two threads; the first to finish
/// stops the other.
fn both_ways(
    p: &Problem,
    back: &Problem,
    incumbent: Option<&Schedule>,
    lower: Day,
    budget: &Budget,
    settings: &ExactSettings,
) -> ExactResult {
    let halt = AtomicBool::new(false);
    let mirrored = incumbent.map(|s| mirror(p, s));
    // The set test sees the same relaxation from either end of time: the
    // forward search runs it, the mirror search spends its time searching.
    let mirror_settings = ExactSettings {
        sets: false,
        ..settings.clone()
    };
    let (ahead, behind) = std::thread::scope(|scope| {
        let behind = scope.spawn(|| {
            let r = one_way(
                back,
                mirrored.as_ref(),
                lower,
                budget,
                &mirror_settings,
                &halt,
            );
            if r.proven {
                halt.store(true, Ordering::Relaxed);
            }
            r
        });
        let ahead = one_way(p, incumbent, lower, budget, settings, &halt);
        if ahead.proven {
            halt.store(true, Ordering::Relaxed);
        }
        (
            ahead,
            behind.join().expect("the mirror search does not panic"),
        )
    });
    merge(p, back, ahead, behind)
}

/// One result from the forward search and the mirror search: the better
/// schedule, the higher bound, proven when either proved.
fn merge(p: &Problem, back: &Problem, ahead: ExactResult, behind: ExactResult) -> ExactResult {
    let from_back = behind
        .schedule
        .as_ref()
        .map(|s| mirror(back, s))
        .filter(|s| violations(p, s).is_empty());
    let makespan = |s: &Option<Schedule>| s.as_ref().map_or(Day::MAX, |s| p.score(s).makespan);
    let schedule = if makespan(&from_back) < makespan(&ahead.schedule) {
        from_back
    } else {
        ahead.schedule
    };
    let bound = ahead.makespan_bound.max(behind.makespan_bound);
    let proven = if schedule.is_some() {
        makespan(&schedule) <= bound && (ahead.proven || behind.proven)
    } else {
        ahead.proven || behind.proven
    };
    ExactResult {
        proven,
        makespan_bound: if proven {
            makespan(&schedule).min(bound)
        } else {
            bound
        },
        schedule,
        nodes: ahead.nodes + behind.nodes,
    }
}

/// The problem with time running backwards: every finish-to-start link
/// turned around. A schedule of it read from its end (see [`mirror`]) is a
/// schedule of `p` with the same makespan, and some instances are far
/// easier to prove from one end than from the other. `None` when `p` has
/// start-to-start links or release days, which do not turn around.
fn reversed(p: &Problem) -> Option<Problem> {
    if p.links.iter().any(|l| l.kind != LinkKind::FinishToStart)
        || p.activities.iter().any(|a| a.release > 0)
    {
        return None;
    }
    let mut back = p.clone();
    for l in &mut back.links {
        std::mem::swap(&mut l.from, &mut l.to);
    }
    Some(back)
}

/// `s` read from its end: each activity starts as long before the makespan
/// as it ended after day 0.
fn mirror(p: &Problem, s: &Schedule) -> Schedule {
    let m = p.score(s).makespan;
    Schedule {
        starts: (0..s.starts.len())
            .map(|a| m - p.end(a, 0, s.starts[a]).unwrap_or(s.starts[a]))
            .collect(),
        modes: s.modes.clone(),
    }
}

/// The search in one direction of time.
fn one_way(
    p: &Problem,
    incumbent: Option<&Schedule>,
    lower: Day,
    budget: &Budget,
    settings: &ExactSettings,
    halt: &AtomicBool,
) -> ExactResult {
    let net = Net::new(p);
    let mut best: Option<(Day, Schedule)> = incumbent.map(|s| (p.score(s).makespan, s.clone()));
    let mut nodes = 0u64;
    let mut carry = Carry::default();
    loop {
        let target = match &best {
            Some((m, _)) if *m <= lower => {
                return ExactResult {
                    makespan_bound: *m,
                    schedule: best.map(|b| b.1),
                    proven: true,
                    nodes,
                }
            }
            Some((m, _)) => (*m - 1).min(p.horizon),
            None => p.horizon,
        };
        match net.search(
            target as i64,
            budget,
            settings,
            halt,
            &mut nodes,
            &mut carry,
        ) {
            SearchEnd::Found(starts) => {
                let s = Schedule {
                    modes: vec![0; starts.len()],
                    starts: starts.iter().map(|&t| t as Day).collect(),
                };
                if !violations(p, &s).is_empty() {
                    // Never return an unchecked schedule; an internal error
                    // here ends the search without a claim.
                    return stopped(best, lower, nodes);
                }
                let m = p.score(&s).makespan;
                best = Some((m, s));
            }
            SearchEnd::Exhausted => {
                let bound = best.as_ref().map_or(lower, |b| b.0.max(lower));
                return ExactResult {
                    makespan_bound: bound,
                    proven: true,
                    schedule: best.map(|b| b.1),
                    nodes,
                };
            }
            SearchEnd::Stopped => return stopped(best, lower, nodes),
        }
    }
}

fn stopped(best: Option<(Day, Schedule)>, lower: Day, nodes: u64) -> ExactResult {
    ExactResult {
        proven: best.as_ref().is_some_and(|b| b.0 <= lower),
        makespan_bound: lower,
        schedule: best.map(|b| b.1),
        nodes,
    }
}

/// What a search for a schedule ending by `T` leaves to the next search,
/// for a smaller `T`.
#[derive(Default)]
struct Carry {
    /// The root's windows after shaving.
    windows: Option<(Vec<i64>, Vec<i64>)>,
    /// The set test, with the feasible sets it has enumerated.
    #[cfg(feature = "solver")]
    test: Option<sets::SetTest>,
}

/// How one search for a schedule ending by `T` ended.
enum SearchEnd {
    Found(Vec<i64>),
    Exhausted,
    Stopped,
}

/// Start windows and postponement marks of one search node.
#[derive(Clone)]
struct Node {
    est: Vec<i64>,
    lst: Vec<i64>,
    /// The `est` at which the activity was postponed, or [`NOT_POSTPONED`].
    post: Vec<i64>,
}

const NOT_POSTPONED: i64 = i64::MIN;

/// An entry of the depth-first stack: a node to visit, or the mark that the
/// subtree of a postponement-free node has been searched without success.
enum Step {
    Visit(Node),
    Failed(Vec<u64>, Node),
}

/// Buffers of [`Net::propagate`], allocated once per search: the resource
/// profiles by day, and each activity's compulsory part `[from, to)`.
struct Scratch {
    profile: Vec<Vec<i64>>,
    part: Vec<(i64, i64)>,
}

/// The problem in the form the search needs.
struct Net {
    dur: Vec<i64>,
    release: Vec<i64>,
    /// Per activity, `(resource, units)` with units > 0.
    demands: Vec<Vec<(usize, i64)>>,
    caps: Vec<i64>,
    /// Minimum start distances `(from, to, δ)`: `start(to) ≥ start(from) + δ`,
    /// sorted by the topological position of `from`.
    forward: Vec<(usize, usize, i64)>,
    /// The same, sorted by the topological position of `to`, latest first.
    backward: Vec<(usize, usize, i64)>,
    /// Activities that need a resource for at least a day.
    branchable: Vec<usize>,
    /// Pairs of them that together need more of some resource than there
    /// is: one must end before the other starts.
    disjoint: Vec<(usize, usize)>,
}

impl Net {
    fn new(p: &Problem) -> Net {
        let order = p.topological_order().expect("acyclic");
        let mut pos = vec![0; order.len()];
        for (i, &a) in order.iter().enumerate() {
            pos[a] = i;
        }
        let dur: Vec<i64> = p
            .activities
            .iter()
            .map(|a| a.modes[0].timing.min_duration() as i64)
            .collect();
        let edges: Vec<(usize, usize, i64)> = p
            .links
            .iter()
            .map(|l| {
                let d = match l.kind {
                    LinkKind::FinishToStart => dur[l.from] + l.lag as i64,
                    LinkKind::StartToStart => l.lag as i64,
                };
                (l.from, l.to, d)
            })
            .collect();
        let mut forward = edges.clone();
        forward.sort_by_key(|e| pos[e.0]);
        let mut backward = edges;
        backward.sort_by_key(|e| std::cmp::Reverse(pos[e.1]));
        let demands: Vec<Vec<(usize, i64)>> = p
            .activities
            .iter()
            .map(|a| {
                let mut d: Vec<(usize, i64)> = Vec::new();
                for &(r, q) in &a.modes[0].demands {
                    if q == 0 {
                        continue;
                    }
                    match d.iter_mut().find(|x| x.0 == r) {
                        Some(x) => x.1 += q as i64,
                        None => d.push((r, q as i64)),
                    }
                }
                d
            })
            .collect();
        let branchable: Vec<usize> = (0..p.activities.len())
            .filter(|&a| dur[a] > 0 && !demands[a].is_empty())
            .collect();
        let caps: Vec<i64> = p.resources.iter().map(|r| r.capacity as i64).collect();
        let mut disjoint = Vec::new();
        for (k, &a) in branchable.iter().enumerate() {
            for &b in &branchable[k + 1..] {
                let clash = demands[a].iter().any(|&(r, q)| {
                    demands[b]
                        .iter()
                        .any(|&(r2, q2)| r2 == r && q + q2 > caps[r])
                });
                if clash {
                    disjoint.push((a, b));
                }
            }
        }
        Net {
            disjoint,
            release: p.activities.iter().map(|a| a.release as i64).collect(),
            caps,
            dur,
            demands,
            forward,
            backward,
            branchable,
        }
    }

    /// Depth-first search for a schedule ending by `t`.
    fn search(
        &self,
        t: i64,
        budget: &Budget,
        settings: &ExactSettings,
        halt: &AtomicBool,
        nodes: &mut u64,
        carry: &mut Carry,
    ) -> SearchEnd {
        let n = self.dur.len();
        let mut root = Node {
            est: self.release.clone(),
            lst: (0..n).map(|a| t - self.dur[a]).collect(),
            post: vec![NOT_POSTPONED; n],
        };
        // A schedule ending by `t` also ends by the earlier search's larger
        // target, so that search's shaved windows hold here too.
        if let Some((est, lst)) = &carry.windows {
            for a in 0..n {
                root.est[a] = root.est[a].max(est[a]);
                root.lst[a] = root.lst[a].min(lst[a]);
            }
        }
        let mut scratch = Scratch {
            profile: vec![vec![0i64; t.max(0) as usize + 1]; self.caps.len()],
            part: vec![(0, 0); n],
        };
        if !self.shave(&mut root, &mut scratch) {
            return SearchEnd::Exhausted;
        }
        #[cfg(feature = "solver")]
        if settings.sets {
            // Shaving with the test may take most of the time left
            // (`SHAVE_SHARE`): the search needs the rest to find the
            // schedules that lower `T`.
            let shave = budget.share(SHAVE_SHARE);
            let late = || shave.expired() || self.out_of_budget(budget, settings, halt, *nodes);
            let test = carry.test.get_or_insert_with(|| sets::SetTest::new(self));
            if !self.shave_with_sets(&mut root, &mut scratch, test, t, &late) {
                return SearchEnd::Exhausted;
            }
        }
        carry.windows = Some((root.est.clone(), root.lst.clone()));
        let uses: Vec<bool> = {
            let mut u = vec![false; n];
            self.branchable.iter().for_each(|&a| u[a] = true);
            u
        };
        let mut memo = Memo::new();
        let mut stack = vec![Step::Visit(root)];
        while let Some(step) = stack.pop() {
            let mut node = match step {
                Step::Visit(node) => node,
                Step::Failed(key, node) => {
                    memo.remember(key, &node.est, &node.lst);
                    continue;
                }
            };
            *nodes += 1;
            if nodes.is_multiple_of(256) && self.out_of_budget(budget, settings, halt, *nodes) {
                return SearchEnd::Stopped;
            }
            if !self.propagate(&mut node, &mut scratch) {
                continue;
            }
            let mut pick: Option<usize> = None;
            let mut open = false;
            let mut postponed = false;
            for &a in &self.branchable {
                if node.est[a] == node.lst[a] {
                    continue;
                }
                open = true;
                if node.post[a] != NOT_POSTPONED {
                    postponed = true;
                    continue;
                }
                if pick.is_none_or(|b| (node.est[a], node.lst[a]) < (node.est[b], node.lst[b])) {
                    pick = Some(a);
                }
            }
            let Some(a) = pick else {
                if open {
                    continue; // only postponed activities left: dominated
                }
                return SearchEnd::Found(node.est);
            };
            if settings.memo {
                let key = fixed_set(&node.est, &node.lst, &self.branchable, node.est[a]);
                if memo.dominated(&key, &node.est, &node.lst, &self.dur, &uses) {
                    continue;
                }
                if !postponed {
                    // Popped once the whole subtree has failed.
                    stack.push(Step::Failed(key, node.clone()));
                }
            }
            let mut later = node.clone();
            later.post[a] = node.est[a];
            node.lst[a] = node.est[a];
            stack.push(Step::Visit(later));
            stack.push(Step::Visit(node));
        }
        SearchEnd::Exhausted
    }

    /// Shaving at the root: each half of every window is tried on its own,
    /// and a half whose propagation fails is cut off, until nothing is cut.
    /// False when the root itself fails.
    fn shave(&self, root: &mut Node, scratch: &mut Scratch) -> bool {
        let halves = |est: i64, lst: i64| ((est + lst) / 2, (est + lst) / 2 + 1);
        let mut fails = |node: &mut Node, scratch: &mut Scratch| !self.propagate(node, scratch);
        self.shave_by(root, scratch, &[&halves], &mut fails, &|| false)
    }

    /// Shaving with the feasible-set test of the `sets` module, once
    /// propagation alone cuts nothing more: the root's windows are tested,
    /// then the first and the last half of every window after propagation,
    /// then the first and last quarter, and a refuted part is cut off, until
    /// nothing more is cut or `late()`. False when the root fails.
    #[cfg(feature = "solver")]
    fn shave_with_sets(
        &self,
        root: &mut Node,
        scratch: &mut Scratch,
        test: &mut sets::SetTest,
        t: i64,
        late: &dyn Fn() -> bool,
    ) -> bool {
        let mut fails = |node: &mut Node, scratch: &mut Scratch| {
            !self.propagate(node, scratch) || test.refutes(self, &node.est, &node.lst, t, late)
        };
        // The first and the last `1/parts` of the window `[est, lst]`.
        let ends = |parts: i64| {
            move |est: i64, lst: i64| {
                let part = ((lst - est) / parts).max(1) - 1;
                (est + part, lst - part)
            }
        };
        let (halves, quarters) = (ends(2), ends(4));
        self.shave_by(root, scratch, &[&halves, &quarters], &mut fails, late)
    }

    /// The shaving loop: for each way `split` of cutting a window `[est,
    /// lst]` into an early part `[est, e]` and a late part `[l, lst]`, every
    /// activity's early part, and else its late part, is tried on its own;
    /// a part that `fails` is cut off, until nothing more is cut or
    /// `late()`. False when the root itself fails.
    #[allow(clippy::type_complexity)]
    fn shave_by(
        &self,
        root: &mut Node,
        scratch: &mut Scratch,
        splits: &[&dyn Fn(i64, i64) -> (i64, i64)],
        fails: &mut dyn FnMut(&mut Node, &mut Scratch) -> bool,
        late: &dyn Fn() -> bool,
    ) -> bool {
        if fails(root, scratch) {
            return false;
        }
        for split in splits {
            loop {
                let mut cut = false;
                for &a in &self.branchable {
                    if late() {
                        return true;
                    }
                    if root.est[a] == root.lst[a] {
                        continue;
                    }
                    let (early_end, late_start) = split(root.est[a], root.lst[a]);
                    let mut early = root.clone();
                    early.lst[a] = early_end;
                    if fails(&mut early, scratch) {
                        root.est[a] = early_end + 1;
                        cut = true;
                    } else {
                        let mut later = root.clone();
                        later.est[a] = late_start;
                        if fails(&mut later, scratch) {
                            root.lst[a] = late_start - 1;
                            cut = true;
                        }
                    }
                    if cut && fails(root, scratch) {
                        return false;
                    }
                }
                if !cut {
                    break;
                }
            }
        }
        true
    }

    fn out_of_budget(
        &self,
        budget: &Budget,
        settings: &ExactSettings,
        halt: &AtomicBool,
        nodes: u64,
    ) -> bool {
        halt.load(Ordering::Relaxed)
            || budget.expired()
            || settings.node_limit.is_some_and(|m| nodes >= m)
            || budget.stopped()
    }

    /// Shrinks the windows of `node` to a fixpoint of the precedence and
    /// time-table rules; false when a window empties or a profile
    /// overflows. Re-enables postponed activities whose `est` rose.
    fn propagate(&self, node: &mut Node, scratch: &mut Scratch) -> bool {
        let n = self.dur.len();
        let Scratch { profile, part } = scratch;
        loop {
            for &(a, b, d) in &self.forward {
                node.est[b] = node.est[b].max(node.est[a] + d);
            }
            for &(a, b, d) in &self.backward {
                node.lst[a] = node.lst[a].min(node.lst[b] - d);
            }
            for a in 0..n {
                if node.est[a] > node.lst[a] {
                    return false;
                }
                if node.post[a] != NOT_POSTPONED {
                    if node.est[a] > node.post[a] {
                        node.post[a] = NOT_POSTPONED;
                    } else if node.lst[a] <= node.post[a] {
                        return false;
                    }
                }
            }
            for row in profile.iter_mut() {
                row.iter_mut().for_each(|u| *u = 0);
            }
            for &a in &self.branchable {
                let (from, to) = (node.lst[a], node.est[a] + self.dur[a]);
                part[a] = (from, to.max(from));
                for &(r, q) in &self.demands[a] {
                    for t in from..to {
                        profile[r][t as usize] += q;
                        if profile[r][t as usize] > self.caps[r] {
                            return false;
                        }
                    }
                }
            }
            let mut changed = false;
            for &(a, b) in &self.disjoint {
                let (da, db) = (self.dur[a], self.dur[b]);
                let a_first = node.est[a] + da <= node.lst[b];
                let b_first = node.est[b] + db <= node.lst[a];
                if !a_first && !b_first {
                    return false;
                }
                if !a_first {
                    changed |= node.est[a] < node.est[b] + db || node.lst[b] > node.lst[a] - db;
                    node.est[a] = node.est[a].max(node.est[b] + db);
                    node.lst[b] = node.lst[b].min(node.lst[a] - db);
                } else if !b_first {
                    changed |= node.est[b] < node.est[a] + da || node.lst[a] > node.lst[b] - da;
                    node.est[b] = node.est[b].max(node.est[a] + da);
                    node.lst[a] = node.lst[a].min(node.lst[b] - da);
                }
            }
            if changed {
                continue;
            }
            for &a in &self.branchable {
                if node.est[a] == node.lst[a] {
                    continue;
                }
                let est = self.push_later(a, node.est[a], node.lst[a], part[a], profile);
                let Some(est) = est else { return false };
                let lst = self.push_earlier(a, est, node.lst[a], part[a], profile);
                let Some(lst) = lst else { return false };
                if est != node.est[a] || lst != node.lst[a] {
                    node.est[a] = est;
                    node.lst[a] = lst;
                    changed = true;
                }
            }
            if !changed {
                return true;
            }
        }
    }

    /// Whether `a` started on `s` fits the profile on day `t` (its own
    /// compulsory part `own` removed).
    fn conflict_on(&self, a: usize, t: i64, own: (i64, i64), profile: &[Vec<i64>]) -> bool {
        let mine = own.0 <= t && t < own.1;
        self.demands[a].iter().any(|&(r, q)| {
            let others = profile[r][t as usize] - if mine { q } else { 0 };
            others + q > self.caps[r]
        })
    }

    /// The earliest start at or after `est` that the profile allows, if it
    /// is at most `lst`.
    fn push_later(
        &self,
        a: usize,
        mut est: i64,
        lst: i64,
        own: (i64, i64),
        profile: &[Vec<i64>],
    ) -> Option<i64> {
        loop {
            let last_conflict = (est..est + self.dur[a])
                .rev()
                .find(|&t| self.conflict_on(a, t, own, profile));
            match last_conflict {
                None => return Some(est),
                Some(t) => {
                    est = t + 1;
                    if est > lst {
                        return None;
                    }
                }
            }
        }
    }

    /// The latest start at or before `lst` that the profile allows, if it is
    /// at least `est`.
    fn push_earlier(
        &self,
        a: usize,
        est: i64,
        mut lst: i64,
        own: (i64, i64),
        profile: &[Vec<i64>],
    ) -> Option<i64> {
        loop {
            let first_conflict =
                (lst..lst + self.dur[a]).find(|&t| self.conflict_on(a, t, own, profile));
            match first_conflict {
                None => return Some(lst),
                Some(t) => {
                    lst = t - self.dur[a];
                    if lst < est {
                        return None;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
