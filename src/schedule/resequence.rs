//! Re-sequencing one crew pool's work with the rest of the plan held: a
//! neighbourhood for programmes where not every station can be on time.
//!
//! When crews of one type are short (the bundled tight programme: six
//! station MEP crews where the work needs about seven), which stations come
//! late is decided almost only by the order in which those crews take their
//! work. The genetic search of [`super::heuristic`] moves activities of every
//! type at once and rarely finds the best order of one scarce crew; this
//! module searches exactly that order.
//!
//! **Pools.** Crew resources are joined into a *pool* when one activity may
//! use either (its modes are contractors' crews of one type), so a pool is
//! one crew type over the contractors that share its work; its *jobs* are the
//! activities whose modes demand its resources. [`improve`] searches each
//! pool's work off the trenches, then all of it at once, then each pool with
//! the work on a trench's chain (trench, lay, pressure test, backfill): when
//! testing crews are short, the order of the tests decides which stations
//! come late. The sub-problem does not model open-trench limits; the
//! decoding below keeps them.
//!
//! **The sub-problem.** For one pool and the incumbent schedule, the jobs
//! become a parallel-machine problem with release days and weighted due
//! days: every activity that no job precedes keeps its incumbent start and
//! mode (its ends are the jobs' release days); the jobs are placed on the
//! pool's crews one at a time, in the order of a *job list*, at the earliest
//! day their predecessors, their calendar and the crews left over allow, each
//! in its mode gene's mode (or the mode that ends first); every activity
//! after a job (its *cone*: commissioning, the heat-ready milestone) starts
//! as soon as its predecessors and its calendar allow, its own crews assumed
//! free. The cost of a job list is the objective's lateness, node and finish
//! levels over the due groups the cone reaches (with the objective's folded
//! weights, so households come first), then the sum of the jobs' ends as a
//! tie-break that packs the crews. This is weighted tardiness on parallel
//! machines with release days, each job due when its group is (less the work
//! after it), and with the costs of the groups' other paths taken into
//! account: a job whose station waits for its pipe anyway is not due early.
//!
//! **The search.** From the incumbent's order and modes, a local search on
//! the job list — moving a job (half of the time one whose station is late)
//! to an earlier or later place, swapping two jobs, or changing a job's mode
//! gene — keeps every move that costs no more (so it walks plateaus), for a
//! fixed number of moves per round. The best list is then decoded on the
//! whole problem: every activity gets the start the sub-problem gave it as its
//! priority, and the serial schedule-generation scheme of [`super::sgs`]
//! places them all in that order and in the chosen modes, so every
//! precedence, crew, trench and calendar limit holds. The result replaces the
//! incumbent only if the referee checker ([`super::check::violations`]) finds
//! nothing and the lexicographic objective ([`Problem::score`]) is better.
//! Rounds go round the pools that feed a late group, until the budget's
//! deadline or the given number of rounds.
//!
//! The sub-problem is a model, not the problem: it may believe a list better
//! that the full decoding is not (the cone's crews are not free after all),
//! and such lists are simply not taken. It never moves the incumbent to a
//! worse or infeasible plan.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::budget::Budget;
use super::check::violations;
use super::problem::{ActId, Day, Problem, ResId, Schedule};
use super::rng::Rng;
use super::sgs::{ModePolicy, Sgs};
use super::window::link_ready;

/// Mode gene: the mode that ends first when the job is placed.
const ANY_MODE: usize = usize::MAX;

/// Crew resources that activities may use interchangeably, and the
/// activities that use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    /// The resources of the pool, ascending.
    pub resources: Vec<ResId>,
    /// The activities with a mode that demands one of them, ascending.
    pub jobs: Vec<ActId>,
}

/// The pools of `p`: resources joined when one activity's modes demand
/// both, with the activities that demand them (pools of fewer than two jobs
/// are left out: there is no order to change).
pub fn pools(p: &Problem) -> Vec<Pool> {
    let r = p.resources.len();
    let mut parent: Vec<usize> = (0..r).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for a in &p.activities {
        let mut used = a.modes.iter().flat_map(|m| m.demands.iter().map(|d| d.0));
        if let Some(first) = used.next() {
            for other in used {
                let (x, y) = (root(&mut parent, first), root(&mut parent, other));
                parent[x] = y;
            }
        }
    }
    let mut by_root: Vec<Pool> = Vec::new();
    let mut index = vec![usize::MAX; r];
    for res in 0..r {
        let x = root(&mut parent, res);
        if index[x] == usize::MAX {
            index[x] = by_root.len();
            by_root.push(Pool {
                resources: Vec::new(),
                jobs: Vec::new(),
            });
        }
        by_root[index[x]].resources.push(res);
    }
    for (a, act) in p.activities.iter().enumerate() {
        if let Some(&(res, _)) = act.modes.iter().flat_map(|m| m.demands.iter()).next() {
            by_root[index[root(&mut parent, res)]].jobs.push(a);
        }
    }
    by_root.retain(|pl| pl.jobs.len() >= 2);
    by_root
}

/// How much work [`improve`] may do beside its budget's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Rounds (one pool each) at most.
    pub rounds: usize,
    /// Moves of the local search on one pool's job list per round.
    pub moves: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rounds: usize::MAX,
            moves: 3000,
        }
    }
}

/// Moves of one round's local search between two looks at the budget's
/// deadline.
const CHECK_EVERY: usize = 64;

/// Turns of every pool in a row without an improvement after which
/// [`improve`] stops.
pub const PATIENCE: usize = 3;

/// What [`improve`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Rounds run.
    pub rounds: usize,
    /// Job lists decoded on the whole problem.
    pub decoded: usize,
    /// Decoded plans that replaced the incumbent.
    pub accepted: usize,
}

/// The best plan found by re-sequencing one pool at a time from `inc`
/// (which must satisfy every constraint of `p`), within `budget` and
/// `settings`: `inc` itself when nothing better was found. Every plan it
/// returns passes the referee checker.
pub fn improve(
    p: &Problem,
    inc: &Schedule,
    budget: &Budget,
    settings: &Settings,
) -> (Schedule, Stats) {
    let mut stats = Stats::default();
    let mut best = inc.clone();
    let mut best_value = p.score(inc).value;
    // First each crew type's work off the trenches, then every crew at once
    // (a station's civil works, equipment and commissioning re-sequenced
    // together), then each crew type's work with its trench work (the
    // testing crews' pressure tests decide which stations come late when
    // they are short). The sub-problem does not model open trenches: the
    // decoding on the whole problem keeps their limits, and a list that only
    // seemed better there is not taken.
    let chained = span_chains(p);
    let whole = pools(p);
    let mut pools: Vec<Pool> = whole
        .iter()
        .map(|pl| Pool {
            resources: pl.resources.clone(),
            jobs: pl.jobs.iter().copied().filter(|&a| !chained[a]).collect(),
        })
        .filter(|pl| pl.jobs.len() >= 2)
        .collect();
    if pools.len() > 1 {
        let mut all = Pool {
            resources: pools.iter().flat_map(|pl| pl.resources.clone()).collect(),
            jobs: pools.iter().flat_map(|pl| pl.jobs.clone()).collect(),
        };
        all.resources.sort_unstable();
        all.jobs.sort_unstable();
        pools.push(all);
    }
    pools.extend(
        whole
            .into_iter()
            .filter(|pl| pl.jobs.iter().any(|&a| chained[a])),
    );
    if pools.is_empty() || p.groups.is_empty() {
        return (best, stats);
    }
    let mut rng = Rng::new(budget.seed ^ 0x5E5E_0123_4567_89AB);
    let mut next = 0;
    // The pools take turns; a turn without improvement goes on all the
    // same, since the search on each job list is random, but after
    // `PATIENCE` turns of every pool in a row without one the search ends
    // (on a small programme it would otherwise spin until its time is up).
    let patience = PATIENCE * pools.len();
    let mut since_improved = 0;
    while stats.rounds < settings.rounds
        && since_improved < patience
        && !budget.expired()
        && !budget.stopped()
    {
        let late = late_groups(p, &best);
        if late.is_empty() {
            break;
        }
        let Some(pool) = (0..pools.len())
            .map(|k| &pools[(next + k) % pools.len()])
            .find(|pl| feeds_any(p, pl, &late))
        else {
            break;
        };
        next = (pools.iter().position(|x| x == pool).unwrap_or(0) + 1) % pools.len();
        stats.rounds += 1;
        since_improved += 1;
        let mut sub = Sub::new(p, pool, &best);
        let Some(found) = sub.search(&mut rng, settings.moves, budget) else {
            continue;
        };
        stats.decoded += 1;
        if let Some(cand) = decode(p, &found) {
            let v = p.score(&cand).value;
            if v < best_value && violations(p, &cand).is_empty() {
                best = cand;
                best_value = v;
                stats.accepted += 1;
                since_improved = 0;
            }
        }
    }
    (best, stats)
}

/// Per activity: true when it lies on a span's chain (from the span's first
/// activity to its last, both included): a trench's work, which only the
/// pools of single crew types take (the sub-problem does not model open
/// trenches).
fn span_chains(p: &Problem) -> Vec<bool> {
    let n = p.activities.len();
    let (inn, out) = (p.in_links(), p.out_links());
    let reach = |from: ActId, forward: bool| {
        let mut seen = vec![false; n];
        let mut stack = vec![from];
        while let Some(a) = stack.pop() {
            if !std::mem::replace(&mut seen[a], true) {
                let adj = if forward { &out[a] } else { &inn[a] };
                stack.extend(adj.iter().map(|&l| {
                    let l = &p.links[l];
                    if forward {
                        l.to
                    } else {
                        l.from
                    }
                }));
            }
        }
        seen
    };
    let mut chained = vec![false; n];
    for sp in &p.spans {
        let (down, up) = (reach(sp.first, true), reach(sp.last, false));
        for a in 0..n {
            chained[a] |= down[a] && up[a];
        }
    }
    chained
}

/// Indices of the due groups `s` finishes late.
fn late_groups(p: &Problem, s: &Schedule) -> Vec<usize> {
    (0..p.groups.len())
        .filter(|&g| {
            let grp = &p.groups[g];
            let fin = grp
                .members
                .iter()
                .map(|&a| p.end(a, s.modes[a], s.starts[a]).unwrap_or(s.starts[a]))
                .max()
                .unwrap_or(0);
            fin > grp.due
        })
        .collect()
}

/// True when some job of `pool` precedes (or is) a member of a group in `late`.
fn feeds_any(p: &Problem, pool: &Pool, late: &[usize]) -> bool {
    let out = p.out_links();
    let mut seen = vec![false; p.activities.len()];
    let mut stack = pool.jobs.clone();
    while let Some(a) = stack.pop() {
        if !std::mem::replace(&mut seen[a], true) {
            stack.extend(out[a].iter().map(|&l| p.links[l].to));
        }
    }
    late.iter()
        .any(|&g| p.groups[g].members.iter().any(|&a| seen[a]))
}

/// The sub-problem's verdict on a job list.
#[derive(Debug, Clone)]
struct Eval {
    /// Lateness, node and finish levels folded as in the objective.
    cost: u128,
    /// Sum of the jobs' ends (tie-break).
    packing: u64,
    starts: Vec<Day>,
    modes: Vec<usize>,
}

impl Eval {
    fn key(&self) -> (u128, u64) {
        (self.cost, self.packing)
    }
}

/// One pool's sub-problem around an incumbent (see the module documentation).
struct Sub<'p> {
    p: &'p Problem,
    jobs: Vec<ActId>,
    /// Per activity: its index in `jobs`, or `usize::MAX`.
    job_of: Vec<usize>,
    /// Per resource: its index among the pool's resources, or `usize::MAX`.
    local: Vec<usize>,
    /// Activities after a job (not jobs themselves): recomputed.
    cone: Vec<bool>,
    /// Per job: the jobs it waits for (nearest ones along the links).
    job_preds: Vec<Vec<usize>>,
    inn: Vec<Vec<usize>>,
    inc_start: Vec<Day>,
    inc_end: Vec<Day>,
    inc_mode: Vec<usize>,
    /// Groups with a member in the cone or among the jobs.
    groups: Vec<usize>,
    /// Latest end of the activities neither jobs nor in the cone.
    fixed_finish: Day,
    /// Groups with a member among the jobs or in the cone, late in the
    /// incumbent: their jobs are moved more often.
    late_jobs: Vec<usize>,
    /// Per pool resource and day: the crews held by pool activities that
    /// are not jobs.
    held: Vec<Vec<u32>>,
    // Scratch of one evaluation.
    start: Vec<Day>,
    end: Vec<Day>,
    known: Vec<bool>,
    usage: Vec<Vec<u32>>,
}

impl<'p> Sub<'p> {
    /// The sub-problem of `pool`'s jobs around `inc`; other activities on
    /// the pool's crews hold them where the incumbent has them.
    fn new(p: &'p Problem, pool: &Pool, inc: &Schedule) -> Sub<'p> {
        let n = p.activities.len();
        let jobs = pool.jobs.clone();
        let mut job_of = vec![usize::MAX; n];
        for (i, &a) in jobs.iter().enumerate() {
            job_of[a] = i;
        }
        let mut local = vec![usize::MAX; p.resources.len()];
        for (i, &r) in pool.resources.iter().enumerate() {
            local[r] = i;
        }
        let inn = p.in_links();
        let order = p.topological_order().unwrap_or_else(|| (0..n).collect());
        // The cone, and per activity the nearest jobs before it.
        let mut cone = vec![false; n];
        let mut nearest: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &a in &order {
            for &li in &inn[a] {
                let from = p.links[li].from;
                if job_of[from] != usize::MAX {
                    cone[a] = true;
                    nearest[a].push(job_of[from]);
                } else if cone[from] {
                    cone[a] = true;
                    let up = nearest[from].clone();
                    nearest[a].extend(up);
                }
            }
            nearest[a].sort_unstable();
            nearest[a].dedup();
        }
        let job_preds: Vec<Vec<usize>> = jobs.iter().map(|&a| nearest[a].clone()).collect();
        for &a in &jobs {
            cone[a] = false;
        }
        let inc_end: Vec<Day> = (0..n)
            .map(|a| {
                p.end(a, inc.modes[a], inc.starts[a])
                    .unwrap_or(inc.starts[a])
            })
            .collect();
        let fixed_finish = (0..n)
            .filter(|&a| !cone[a] && job_of[a] == usize::MAX)
            .map(|a| inc_end[a])
            .max()
            .unwrap_or(0);
        let groups: Vec<usize> = (0..p.groups.len())
            .filter(|&g| {
                p.groups[g]
                    .members
                    .iter()
                    .any(|&a| cone[a] || job_of[a] != usize::MAX)
            })
            .collect();
        // Jobs that a late group waits for.
        let mut late_jobs = Vec::new();
        for &g in &groups {
            let grp = &p.groups[g];
            let fin = grp.members.iter().map(|&a| inc_end[a]).max().unwrap_or(0);
            if fin <= grp.due {
                continue;
            }
            for &m in &grp.members {
                if job_of[m] != usize::MAX {
                    late_jobs.push(job_of[m]);
                }
                late_jobs.extend(nearest[m].iter().copied());
            }
        }
        late_jobs.sort_unstable();
        late_jobs.dedup();
        // The crews held by other work that stays put.
        let mut held = vec![vec![0; p.horizon as usize]; pool.resources.len()];
        for a in (0..n).filter(|&a| job_of[a] == usize::MAX && !cone[a]) {
            for &(r, k) in &p.activities[a].modes[inc.modes[a]].demands {
                if local[r] == usize::MAX {
                    continue;
                }
                for d in inc.starts[a]..inc_end[a] {
                    held[local[r]][d as usize] += k;
                }
            }
        }
        Sub {
            p,
            jobs,
            job_of,
            local,
            cone,
            job_preds,
            inn,
            inc_start: inc.starts.clone(),
            inc_end,
            inc_mode: inc.modes.clone(),
            groups,
            fixed_finish,
            late_jobs,
            start: vec![0; n],
            end: vec![0; n],
            known: vec![false; n],
            usage: held.clone(),
            held,
        }
    }

    /// The earliest day `a` may start by its release and its links to
    /// activities already known.
    fn ready(&self, a: ActId) -> Day {
        let mut lb = self.p.activities[a].release as i64;
        for &li in &self.inn[a] {
            let l = &self.p.links[li];
            lb = lb.max(link_ready(l, self.start[l.from], self.end[l.from]));
        }
        lb.max(0) as Day
    }

    /// Makes the start and end of `a` known, computing those of the cone
    /// activities it depends on first. `false` when one of them cannot be
    /// placed within the horizon.
    fn ensure(&mut self, a: ActId) -> bool {
        if self.known[a] {
            return true;
        }
        let mut stack = vec![a];
        while let Some(&x) = stack.last() {
            if self.known[x] {
                stack.pop();
                continue;
            }
            let before = stack.len();
            for &li in &self.inn[x] {
                let from = self.p.links[li].from;
                if !self.known[from] {
                    if self.job_of[from] != usize::MAX {
                        // A job not placed yet (cannot happen with lists
                        // that respect `job_preds`): its incumbent dates.
                        self.start[from] = self.inc_start[from];
                        self.end[from] = self.inc_end[from];
                        self.known[from] = true;
                    } else {
                        stack.push(from);
                    }
                }
            }
            if stack.len() > before {
                continue;
            }
            stack.pop();
            let lb = self.ready(x);
            let timing = &self.p.activities[x].modes[self.inc_mode[x]].timing;
            let h = self.p.horizon;
            let Some((s, e)) = (lb..=h).find_map(|s| timing.end(s).map(|e| (s, e))) else {
                return false;
            };
            if e > h {
                return false;
            }
            self.start[x] = s;
            self.end[x] = e;
            self.known[x] = true;
        }
        true
    }

    /// Places job `j` at its earliest start in its gene's mode (or the mode
    /// that ends first); `None` when it fits nowhere.
    fn place(&mut self, j: usize, gene: usize) -> Option<usize> {
        let a = self.jobs[j];
        let p = self.p;
        for i in 0..self.inn[a].len() {
            if !self.ensure(p.links[self.inn[a][i]].from) {
                return None;
            }
        }
        let lb = self.ready(a);
        let modes = &p.activities[a].modes;
        let h = p.horizon;
        let mut best: Option<(Day, u64, Day, usize)> = None;
        let candidates: Vec<usize> = if gene < modes.len() {
            vec![gene]
        } else {
            (0..modes.len()).collect()
        };
        for m in candidates {
            let mode = &modes[m];
            let mut s = lb;
            while s <= h {
                let Some(e) = mode.timing.end(s) else {
                    s += 1;
                    continue;
                };
                if e > h {
                    break;
                }
                // The latest day of [s, e) on which a demand does not fit.
                let clash = mode
                    .demands
                    .iter()
                    .filter_map(|&(r, k)| {
                        let (lr, cap) = (self.local[r], p.resources[r].capacity);
                        let u = &self.usage[lr];
                        (s..e).rev().find(|&d| u[d as usize] + k > cap)
                    })
                    .max();
                match clash {
                    None => {
                        let key = (e, mode.cost_per_day as u64 * (e - s) as u64, s, m);
                        if best.is_none_or(|b| key < b) {
                            best = Some(key);
                        }
                        break;
                    }
                    Some(c) => s = s.max(c) + 1,
                }
            }
        }
        let (e, _, s, m) = best?;
        for &(r, k) in &modes[m].demands {
            let lr = self.local[r];
            for d in s..e {
                self.usage[lr][d as usize] += k;
            }
        }
        self.start[a] = s;
        self.end[a] = e;
        self.known[a] = true;
        Some(m)
    }

    /// The sub-problem's schedule of a job list and its cost; `None` when
    /// some job or cone activity does not fit within the horizon.
    fn evaluate(&mut self, order: &[usize], genes: &[usize]) -> Option<Eval> {
        let p = self.p;
        let n = p.activities.len();
        for a in 0..n {
            let held = !self.cone[a] && self.job_of[a] == usize::MAX;
            self.known[a] = held;
            if held {
                self.start[a] = self.inc_start[a];
                self.end[a] = self.inc_end[a];
            }
        }
        for (u, h) in self.usage.iter_mut().zip(&self.held) {
            u.copy_from_slice(h);
        }
        let mut modes = self.inc_mode.clone();
        // Jobs in list order, each once the jobs it waits for are placed.
        let k = self.jobs.len();
        let mut pos = vec![0; k];
        for (i, &j) in order.iter().enumerate() {
            pos[j] = i;
        }
        let mut waiting: Vec<usize> = self.job_preds.iter().map(|v| v.len()).collect();
        let mut freed: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (j, preds) in self.job_preds.iter().enumerate() {
            for &q in preds {
                freed[q].push(j);
            }
        }
        let mut heap: BinaryHeap<Reverse<(usize, usize)>> = (0..k)
            .filter(|&j| waiting[j] == 0)
            .map(|j| Reverse((pos[j], j)))
            .collect();
        let mut packing = 0u64;
        let mut placed = 0;
        while let Some(Reverse((_, j))) = heap.pop() {
            let m = self.place(j, genes[j])?;
            modes[self.jobs[j]] = m;
            packing += self.end[self.jobs[j]] as u64;
            placed += 1;
            for &x in &freed[j] {
                waiting[x] -= 1;
                if waiting[x] == 0 {
                    heap.push(Reverse((pos[x], x)));
                }
            }
        }
        if placed < k {
            return None;
        }
        let o = p.objective;
        let mut cost = 0u128;
        for gi in 0..self.groups.len() {
            let g = &p.groups[self.groups[gi]];
            let mut fin = 0;
            for &a in &g.members {
                if !self.ensure(a) {
                    return None;
                }
                fin = fin.max(self.end[a]);
            }
            cost += p.group_weight(g) as u128 * fin.saturating_sub(g.due) as u128;
        }
        let mut finish = self.fixed_finish;
        for a in 0..n {
            if self.cone[a] {
                if !self.ensure(a) {
                    return None;
                }
                finish = finish.max(self.end[a]);
            } else if self.job_of[a] != usize::MAX {
                finish = finish.max(self.end[a]);
            }
        }
        cost += o.finish as u128 * finish as u128;
        Some(Eval {
            cost,
            packing,
            starts: self.start.clone(),
            modes,
        })
    }

    /// Local search on the job list from the incumbent's order and modes:
    /// the sub-problem's schedule of the best list found, if it rates it
    /// better than the incumbent's on the objective's levels (a better
    /// packing alone is not worth decoding). It stops early at the budget's
    /// deadline.
    fn search(&mut self, rng: &mut Rng, moves: usize, budget: &Budget) -> Option<Eval> {
        let k = self.jobs.len();
        let mut order: Vec<usize> = (0..k).collect();
        order.sort_by_key(|&j| (self.inc_start[self.jobs[j]], j));
        let mut genes: Vec<usize> = self.jobs.iter().map(|&a| self.inc_mode[a]).collect();
        let start = self.evaluate(&order, &genes)?;
        let first_cost = start.cost;
        let mut cur_key = start.key();
        let mut best = start;
        for i in 0..moves {
            // A pool with trench work has hundreds of jobs: its round must
            // not run past the deadline.
            if i % CHECK_EVERY == CHECK_EVERY - 1 && (budget.expired() || budget.stopped()) {
                break;
            }
            let mut o = order.clone();
            let mut g = genes.clone();
            self.propose(rng, &mut o, &mut g);
            let Some(e) = self.evaluate(&o, &g) else {
                continue;
            };
            let key = e.key();
            if key <= cur_key {
                cur_key = key;
                order = o;
                genes = g;
                if key < best.key() {
                    best = e;
                }
            }
        }
        (best.cost < first_cost).then_some(best)
    }

    /// One random move on a job list and its genes.
    fn propose(&self, rng: &mut Rng, order: &mut Vec<usize>, genes: &mut [usize]) {
        let k = order.len();
        let r = rng.unit();
        let pick = |rng: &mut Rng| -> usize {
            if !self.late_jobs.is_empty() && rng.unit() < 0.5 {
                let j = self.late_jobs[rng.below(self.late_jobs.len())];
                order.iter().position(|&x| x == j).unwrap_or(0)
            } else {
                rng.below(k)
            }
        };
        if r < 0.45 {
            // Move one job to another place.
            let i = pick(rng);
            let j = rng.below(k);
            let x = order.remove(i);
            order.insert(j.min(order.len()), x);
        } else if r < 0.8 {
            // Swap two jobs.
            let i = pick(rng);
            let j = rng.below(k);
            order.swap(i, j);
        } else {
            // Another mode gene for one job.
            let i = pick(rng);
            let j = order[i];
            let count = self.p.activities[self.jobs[j]].modes.len();
            if count > 1 {
                let m = rng.below(count + 1);
                genes[j] = if m == count { ANY_MODE } else { m };
            } else {
                let i2 = rng.below(k);
                order.swap(i, i2);
            }
        }
    }
}

/// The whole problem decoded in the order the sub-problem found: every
/// activity's priority is its start there, and no activity starts before
/// it (the serial scheme places a trench's later work together with its
/// opener, and without these floors that work would take crews from the
/// work listed before it); the jobs keep the sub-problem's modes and the
/// rest the incumbent's.
fn decode(p: &Problem, found: &Eval) -> Option<Schedule> {
    let starts = &found.starts;
    let mut floored = p.clone();
    for (a, act) in floored.activities.iter_mut().enumerate() {
        act.release = act.release.max(starts[a]);
    }
    let mut sgs = Sgs::new(&floored);
    let prio: Vec<i64> = starts.iter().map(|&s| s as i64).collect();
    let list = sgs.list_from_priority(&prio)?;
    sgs.forward(&list, ModePolicy::Given(&found.modes))
}

#[cfg(test)]
mod tests;
