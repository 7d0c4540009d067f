//! A lower bound on the objective without solving anything.
//!
//! Cheap and always valid: it is what every result's gap is measured against
//! until the integer program proves a better bound.
//!
//! The finish is bounded by the critical path and by energy: for a set `R`
//! of resources, every activity all of whose modes need some unit of `R`
//! must spend at least its smallest `units × duration` inside `R`, whose
//! capacity per day is the sum of the capacities in `R`. Since none of those
//! activities starts before its earliest start, the work of the ones starting
//! at `t` or later cannot be done before `t + work / capacity`. The sets
//! tried are each activity's resources over all its modes (one crew type of
//! the contractors allowed for it), and the unions of the sets that share a
//! resource (e.g. every testing crew of every contractor): a multi-mode
//! activity counts fully against the contractors that may do it, where the
//! per-resource bound could not count it at all.
//!
//! A destructive step then raises the finish: a candidate finish day `T` is
//! refuted when the windows recomputed with `T` as the horizon do not exist,
//! or when in them some resource set has too little capacity — for the days
//! `[t1, t2)` against the activities whose windows lie wholly inside, and
//! for the tail days `[t1, T)` against the least part of every window-bound
//! activity that must fall there. Durations come from the calendar tables
//! over the starts left in each window, so a late finish squeezing work into
//! the rainy season counts the longer durations there. An open trench (a
//! span) counts too, as work on its trench resource: it holds at least the
//! longest path from its first activity's start to its last one's end at
//! the shortest durations, all of it before the first activity's latest
//! start plus that length. The interval test is also counted in *live*
//! days: a day on which no mode holding a resource set may start (a rest
//! day or holiday of every calendar its work follows) is left out of the
//! set's capacity, and each job counts the live days it holds, its working
//! days; a crew whose work must run through Sundays and holidays then loses
//! those days (the tutorial's station MEP crew: day 95 becomes 107, the
//! optimum). Refutation weakens
//! as `T` grows (the windows only widen), so the first unrefuted `T` is
//! found by bisection. Every step drops constraints (spans, the exact
//! placement) and never adds one, so the bound stays valid.
//!
//! Each pool is tested alone above, so a pool that must start late because
//! its predecessors in another pool are crowded is never seen. A second
//! search from the first day the plain tests leave therefore tightens the
//! windows before testing (module `propagate`): energetic adjustments per
//! resource set (in calendar days and in the weighted days below), then the
//! critical-path method over the new releases and deadlines, to a fixpoint,
//! so a job pushed late in one pool moves its successors in the others. On
//! the bundled PSPLIB instances this lifts 12 more bounds to the published
//! lower bound (69 of 118); on the city the pools have room enough that it
//! adds nothing. The time nodes' bound with every station held on time
//! uses the same tightening ([`nodes_with_stations_on_time`]).
//!
//! Lateness sees the crews too. Each due group first gets its own end
//! bound: the first day `F` such that "every member ends by `F`" survives
//! the same destructive test (the members' latest ends, and through the
//! backward pass their predecessors', tightened to `F`; the windows and the
//! energy in the resource sets those activities use, with the tails ending
//! on `F`). Groups rarely conflict alone, though: stations due on the same
//! day compete for the same crews. So the weighted lateness is bounded by
//! levels, from `Σ_g w_g·late_g = Σ_{L ≥ 0} Σ {w_g : late_g > L}`: at level
//! `L` the groups whose own bound is later than `due + L` are surely late
//! by more than `L`; the others are assumed on time by `due + L`, which
//! tightens their ancestors' windows. If some resource set then has more
//! work in an interval `[t1, t2)` than capacity, the overflow must leave
//! the interval, which only work preceding a late group may do, and each
//! group frees at most the work of the activities it follows there (work
//! whose window lies inside even without the deadlines, such as pinned
//! work in progress, frees only what its duration may shrink by). The
//! least weight that frees the overflow, a fractional cover by weight per
//! work rounded up, bounds the level's term; the levels stop at the first
//! term of zero.
//!
//! The lateness bound is computed per priority level ([`Level`]): the
//! stations' household-days and the time nodes' node-days each on their own
//! (the other level's groups left out, which only drops constraints), and
//! each time node also gets its own end bound — "node X cannot be reached
//! before day D" — from the same destructive test as a station's. These are
//! what [`level_bounds`] reports beside the plan's figures, level by level:
//! every bound there holds for every feasible schedule on its own, so a
//! plan's value at a level is never below that level's bound.
//!
//! Cost and baseline deviation fall as the finish may come later: for each
//! finish day `T` from the finish bound on, the windows with `T` as horizon
//! bound each activity's crew-days by its cheapest mode and start in them,
//! and the bound is the least total over `T`. The sweep stops once the
//! finish weight alone outweighs the best total found.
//!
//! On a programme of thousands of activities the bound takes seconds (the
//! lateness levels recompute windows and energy per level and per station),
//! so [`lower_bound_until`] and [`level_bounds_until`] give up at a given
//! instant: every loop of the computation checks it, and a step cut short
//! keeps what it has proven so far — a bisection its lower end, the
//! lateness levels the sum of the levels done, a station's end bound its
//! earliest end — so the result stays valid, only weaker, and says whether
//! it is complete.

use super::problem::{Day, Level, Problem};
use super::window::{WindowError, Windows};
use std::cell::Cell;
use std::time::{Duration, Instant};

mod crews;
mod energy;
mod lateness;
#[cfg(feature = "solver")]
pub mod lp;
mod nodes;
mod propagate;
mod weighted_days;

pub use nodes::{nodes_with_stations_on_time, stations_held, NodesOnTime};

use energy::*;
use lateness::*;

/// A valid lower bound on `p.score(..).value` of every feasible schedule:
/// the critical path and, per resource, the total work over the capacity
/// bound the finish; the groups' lateness is bounded by levels that see the
/// crews (see the module documentation, *Lateness sees the crews*). The cost
/// and the baseline deviation depend on how late the project may finish, so
/// the bound is the least, over every finish day `T` from the finish bound to
/// the horizon, of `T`'s weight plus the cost and deviation bounds in the
/// windows computed with `T` as the horizon (see [`cost_in_windows`]).
/// Fails when the time windows show the problem infeasible.
pub fn lower_bound(p: &Problem) -> Result<u64, WindowError> {
    let w = Windows::compute(p)?;
    let finish = finish_bound(p, &w);
    let spans = span_works(p);
    let o = p.objective;
    let fixed = o.lateness * household_bound(&on_level(p, Level::Households), &w, &spans)
        + o.node * lateness_bound(&on_level(p, Level::Node), &w, &spans);
    // Cost and deviation only fall as the finish may come later, so the
    // horizon's figures bound every finish; with them the sweep over finish
    // days stops once the finish alone costs more than the best found.
    let at = |w: &Windows| o.cost * cost_in_windows(p, w) + deviation_in_windows(p, w);
    let floor = at(&w);
    let mut q = p.clone();
    let finish = destructive_finish(&mut q, &spans, finish);
    if o.cost == 0 && p.baseline.is_none() {
        return Ok(fixed + o.finish * finish + floor);
    }
    let mut best = fixed + o.finish * p.horizon.max(finish as Day) as u64 + floor;
    for t in finish..p.horizon as u64 {
        if fixed + o.finish * t + floor >= best {
            break;
        }
        if out_of_time() {
            // Every finish from `t` on costs at least this.
            best = best.min(fixed + o.finish * t + floor);
            break;
        }
        q.horizon = t as Day;
        // No window with horizon `t`: no schedule finishes by day `t`.
        if let Ok(wt) = Windows::compute(&q) {
            best = best.min(fixed + o.finish * t + at(&wt));
        }
    }
    Ok(best)
}

thread_local! {
    /// When the bound computation on this thread must give up (see the
    /// module documentation); `None`: never.
    static GIVE_UP: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Set once a step of the computation has given up.
    static GAVE_UP: Cell<bool> = const { Cell::new(false) };
}

/// True once the computation on this thread is past its give-up instant:
/// the caller keeps what it has proven so far and stops.
pub(super) fn out_of_time() -> bool {
    let late = GIVE_UP.get().is_some_and(|t| Instant::now() >= t);
    if late {
        GAVE_UP.set(true);
    }
    late
}

/// The time left before this thread's give-up instant (`None`: no limit):
/// a step that hands work to an external solver passes it on as that
/// solver's own time limit, since it cannot look at the clock itself.
pub(super) fn time_left() -> Option<Duration> {
    GIVE_UP
        .get()
        .map(|t| t.saturating_duration_since(Instant::now()))
}

/// Marks the computation on this thread as cut short (a step stopped by an
/// external solver's time limit).
pub(super) fn mark_gave_up() {
    GAVE_UP.set(true);
}

/// Runs `f` and also says whether a step of it gave up; the thread's
/// record of giving up keeps both what came before and `f`'s.
pub(super) fn noting_give_up<T>(f: impl FnOnce() -> T) -> (T, bool) {
    let before = GAVE_UP.replace(false);
    let r = f();
    let cut = GAVE_UP.get();
    GAVE_UP.set(before || cut);
    (r, cut)
}

/// Runs `f` with `give_up` as this thread's give-up instant; also says
/// whether `f` ran to the end (no step gave up).
fn within<T>(give_up: Instant, f: impl FnOnce() -> T) -> (T, bool) {
    let outer = GIVE_UP.replace(Some(give_up));
    let outer_gave_up = GAVE_UP.replace(false);
    let r = f();
    let complete = !GAVE_UP.get();
    GIVE_UP.set(outer);
    GAVE_UP.set(outer_gave_up || !complete);
    (r, complete)
}

/// Runs `f` (e.g. a report that computes [`level_bounds`]) with every
/// bound computed in it on this thread giving up at `give_up`.
pub fn give_up_at<T>(give_up: Instant, f: impl FnOnce() -> T) -> T {
    within(give_up, f).0
}

/// A bound computed within a time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounded<T> {
    /// The bound: valid whether complete or not.
    pub value: T,
    /// False when some step gave up at the time limit (the bound is then
    /// weaker than [`lower_bound`] would give).
    pub complete: bool,
}

/// [`lower_bound`], giving up at `give_up` with what it has proven by then.
pub fn lower_bound_until(p: &Problem, give_up: Instant) -> Result<Bounded<u64>, WindowError> {
    let (r, complete) = within(give_up, || lower_bound(p));
    r.map(|value| Bounded { value, complete })
}

/// [`level_bounds`], giving up at `give_up` with what it has proven by then.
pub fn level_bounds_until(
    p: &Problem,
    give_up: Instant,
) -> Result<Bounded<LevelBounds>, WindowError> {
    let (r, complete) = within(give_up, || level_bounds(p));
    r.map(|value| Bounded { value, complete })
}

/// A copy of `p` with only the due groups on `level`.
fn on_level(p: &Problem, level: Level) -> Problem {
    let mut q = p.clone();
    q.groups.retain(|g| g.level == level);
    q
}

/// Proven least values of each priority level, each valid on its own for
/// every feasible schedule (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LevelBounds {
    /// Least household-days late.
    pub households: u64,
    /// Least node-days late (weighted by the nodes' weights).
    pub nodes: u64,
    /// Per due group on [`Level::Node`] (index in `p.groups`): a day before
    /// which its members cannot all have ended (exclusive end day).
    pub node_ends: Vec<(usize, Day)>,
    /// Least finish (exclusive end day of the last activity).
    pub finish: Day,
    /// Least crew-days (mode cost).
    pub cost: u64,
}

impl LevelBounds {
    /// The least days late of node group `g` of `p` (0 when not bounded).
    pub fn node_days_late(&self, p: &Problem, g: usize) -> u32 {
        self.node_ends
            .iter()
            .find(|&&(x, _)| x == g)
            .map_or(0, |&(_, end)| end.saturating_sub(p.groups[g].due))
    }
}

/// The bound of every priority level of `p` on its own: household-days late,
/// node-days late with each node's own least end day, the finish and the
/// crew-days. Fails when the time windows show the problem infeasible.
pub fn level_bounds(p: &Problem) -> Result<LevelBounds, WindowError> {
    let w = Windows::compute(p)?;
    let spans = span_works(p);
    let households = household_bound(&on_level(p, Level::Households), &w, &spans);
    let nodes_only = on_level(p, Level::Node);
    let nodes = lateness_bound(&nodes_only, &w, &spans);
    let shortest = shortest_in(p, &w);
    let sets = candidate_sets(p);
    let node_ends = p
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.level == Level::Node && !g.members.is_empty())
        .map(|(i, g)| {
            let end = group_end_bound(p, &w, &shortest, &spans, &sets, &g.members, g.due);
            (i, end)
        })
        .collect();
    let mut q = p.clone();
    let finish = destructive_finish(&mut q, &spans, finish_bound(p, &w));
    Ok(LevelBounds {
        households,
        nodes,
        node_ends,
        finish: finish.min(Day::MAX as u64) as Day,
        cost: cost_in_windows(p, &w),
    })
}

/// The finish bound: critical path, work per resource and the energy over
/// resource sets.
fn finish_bound(p: &Problem, w: &Windows) -> u64 {
    let mut finish = (w.critical_path_length() as u64).max(energy_finish(p, w));
    // Per resource, the least work of every activity over its modes; each
    // activity visits only the resources its modes use (a resource some
    // mode does without gets none), and each mode's shortest duration is
    // found once.
    let mut work = vec![0u64; p.resources.len()];
    for a in &p.activities {
        let shortest: Vec<u64> = a
            .modes
            .iter()
            .map(|m| m.timing.min_duration() as u64)
            .collect();
        let mut used: Vec<usize> = a
            .modes
            .iter()
            .flat_map(|m| m.demands.iter().map(|d| d.0))
            .collect();
        used.sort_unstable();
        used.dedup();
        for r in used {
            work[r] += a
                .modes
                .iter()
                .zip(&shortest)
                .map(|(m, &d)| {
                    let amt: u64 = m
                        .demands
                        .iter()
                        .filter(|x| x.0 == r)
                        .map(|x| x.1 as u64)
                        .sum();
                    amt * d
                })
                .min()
                .unwrap_or(0);
        }
    }
    for (res, &work) in p.resources.iter().zip(&work) {
        if res.capacity > 0 {
            finish = finish.max(work.div_ceil(res.capacity as u64));
        }
    }
    finish
}

/// The least total cost of any schedule whose starts lie in the windows:
/// per activity, the cheapest `cost_per_day × (end − start)` over its modes
/// and the starts in `[es, ls]` that end by `lf`. With calendar tables this
/// is well above the cost at the shortest duration when the windows hold
/// only rainy-season or holiday-broken starts.
pub fn cost_in_windows(p: &Problem, w: &Windows) -> u64 {
    p.activities
        .iter()
        .enumerate()
        .map(|(a, act)| {
            act.modes
                .iter()
                .filter_map(|m| {
                    m.timing
                        .shortest_within(w.es[a], w.ls[a], w.lf[a])
                        .map(|d| m.cost_per_day as u64 * d as u64)
                })
                .min()
                .unwrap_or(0)
        })
        .sum()
}

/// The baseline deviation forced by the windows: a start window that lies
/// wholly after (before) an activity's baseline start costs the shift to
/// its nearest end (0 without a baseline).
fn deviation_in_windows(p: &Problem, w: &Windows) -> u64 {
    p.baseline.as_ref().map_or(0, |b| {
        (0..p.activities.len())
            .filter_map(|a| {
                let base = b.starts[a]? as i64;
                let forced = (w.es[a] as i64 - base).max(base - w.ls[a] as i64).max(0);
                Some(b.shift_weight * forced as u64)
            })
            .sum()
    })
}

/// The first finish day `T >= from` that [`fits_by`] does not refute, found
/// by bisection (refutation only weakens as `T` grows: the windows widen);
/// `q.horizon` + 1 when even the horizon is refuted. `q` is a copy of the
/// problem whose horizon this changes.
fn destructive_finish(q: &mut Problem, spans: &[SpanWork], from: u64) -> u64 {
    let horizon = q.horizon as u64;
    if from >= horizon {
        return from;
    }
    // Invariant: every T < lo is refuted; hi is not refuted (or is horizon + 1).
    let (mut lo, mut hi) = (from, horizon + 1);
    let weighted = weighted_days::WeightedSets::new(q);
    while lo < hi && !out_of_time() {
        let mid = lo + (hi - lo) / 2;
        q.horizon = mid as Day;
        if fits_by(q, spans) && weighted.fit_by(q) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    // The same search with the windows tightened first (see
    // [`propagate`]): from the first day the plain test leaves, galloping
    // up while refuted, then bisecting. Each refuted day is refuted on its
    // own (a finish by `T` is a finish by every later day), so what was
    // proven stays proven when this gives up.
    let sets = candidate_sets(q);
    let scales = propagate::scales(q, &sets, &weighted);
    let lo = propagate::first_unrefuted(lo, horizon + 1, |t| {
        q.horizon = t as Day;
        !propagate::survives(q, &[], q.horizon, spans, &sets, &scales, &weighted)
    });
    q.horizon = horizon as Day;
    lo
}

#[cfg(test)]
mod tests;
