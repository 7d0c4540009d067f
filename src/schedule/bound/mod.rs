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
mod tests {
    use super::*;
    use crate::schedule::check::violations;
    use crate::schedule::problem::*;
    use crate::schedule::rng::Rng;

    /// `count` 3-day jobs, each doable by either of two single crews; all
    /// but the first two are released on day `release`.
    fn two_crews(count: usize, release: Day) -> Problem {
        let mode = |r: ResId| Mode {
            label: format!("crew{r}"),
            demands: vec![(r, 1)],
            timing: Timing::Fixed(3),
            cost_per_day: 0,
        };
        Problem {
            name: "t".into(),
            horizon: 40,
            resources: (0..2)
                .map(|r| Resource {
                    name: format!("r{r}"),
                    capacity: 1,
                })
                .collect(),
            activities: (0..count)
                .map(|i| Activity {
                    name: format!("a{i}"),
                    modes: vec![mode(0), mode(1)],
                    release: if i >= 2 { release } else { 0 },
                })
                .collect(),
            links: vec![],
            spans: vec![],
            groups: vec![],
            objective: Objective::default(),
            baseline: None,
        }
    }

    /// One crew; each activity lasts 3 days when started before day 3 and
    /// 6 days ("rainy season") when started later; ends on the horizon.
    fn rainy(count: usize, horizon: Day) -> Problem {
        let table = (0..=horizon)
            .map(|s| {
                let e = if s < 3 { s + 3 } else { s + 6 };
                if e <= horizon {
                    e
                } else {
                    Timing::NO_START
                }
            })
            .collect::<Vec<Day>>();
        let mut p = two_crews(count, 0);
        p.horizon = horizon;
        p.resources.truncate(1);
        for a in &mut p.activities {
            a.modes.truncate(1);
            a.modes[0].timing = Timing::Table(table.clone());
        }
        p
    }

    #[test]
    fn finish_days_that_squeeze_work_into_the_dry_days_are_refuted() {
        // Two jobs on one crew: 0..3 and 3..9 is optimal (9). The work at the
        // shortest duration says 6; finishing by 6, 7 or 8 would need both
        // jobs started before day 3 at 3 days each: 6 crew-days in 5 days.
        let p = rainy(2, 20);
        assert_eq!(lower_bound(&p).unwrap(), 9);
        let best = Schedule {
            starts: vec![0, 3],
            modes: vec![0, 0],
        };
        assert_eq!(p.score(&best).value, 9);
    }

    #[test]
    fn cost_counts_the_durations_left_by_the_finish() {
        // One job, costing a crew-day per day; started on day 0 it takes 3
        // days, day 1 is a rest day, from day 2 on it takes 2 days.
        let table: Vec<Day> = (0..=10)
            .map(|s| match s {
                0 => 3,
                1 => Timing::NO_START,
                s if s + 2 <= 10 => s + 2,
                _ => Timing::NO_START,
            })
            .collect();
        let mut p = two_crews(1, 0);
        p.horizon = 10;
        p.activities[0].modes.truncate(1);
        p.activities[0].modes[0].timing = Timing::Table(table);
        p.activities[0].modes[0].cost_per_day = 1;
        p.objective = Objective {
            lateness: 0,
            finish: 1,
            cost: 1,
            node: 0,
        };
        // Start 0: 3 + 3; start 2: 4 + 2. The old bound (earliest end plus
        // the shortest duration anywhere) says 3 + 2 = 5.
        assert_eq!(lower_bound(&p).unwrap(), 6);
        for s in [0, 2] {
            let sched = Schedule {
                starts: vec![s],
                modes: vec![0],
            };
            assert_eq!(p.score(&sched).value, 6);
        }
    }

    #[test]
    fn multi_mode_work_counts_against_the_crews_that_may_do_it() {
        // 12 crew-days on 2 crews: at least 6 days (and 6 is reachable);
        // neither crew alone is bound to any of the jobs.
        assert_eq!(lower_bound(&two_crews(4, 0)).unwrap(), 6);
    }

    #[test]
    fn work_released_late_bounds_from_its_release() {
        // The four jobs released on day 5 need 6 more days on 2 crews: 11
        // (reachable), where the critical path says 8 and all the work 9.
        assert_eq!(lower_bound(&two_crews(6, 5)).unwrap(), 11);
    }

    /// One crew; `count` jobs of `days` days each, each its own station of
    /// weight 1 due on `due`; lateness only.
    #[test]
    fn rest_days_a_crew_must_work_through_are_capacity_lost() {
        // One crew, four jobs of two working days; every third day (2, 5,
        // 8, …) is a rest day: no start, and a job spanning it takes three
        // days. Eight working days end on day 11 at the earliest, where
        // counting the shortest durations (2 days each) says day 8.
        let mut p = two_crews(4, 0);
        p.horizon = 14;
        p.resources.truncate(1);
        let table: Vec<Day> = (0..=p.horizon)
            .map(|s| match s % 3 {
                2 => Timing::NO_START,
                0 => s + 2,
                _ => s + 3,
            })
            .map(|e| if e <= p.horizon { e } else { Timing::NO_START })
            .collect();
        for a in &mut p.activities {
            a.modes.truncate(1);
            a.modes[0].timing = Timing::Table(table.clone());
        }
        let mut least = Day::MAX;
        every_schedule(&p, &mut |s| least = least.min(p.score(s).makespan));
        assert_eq!(least, 11);
        assert_eq!(level_bounds(&p).unwrap().finish, 11);
        assert_eq!(lower_bound(&p).unwrap(), 11);
    }

    fn one_crew_due(count: usize, days: u32, due: Day) -> Problem {
        let mut p = two_crews(count, 0);
        p.horizon = 20;
        p.resources.truncate(1);
        for a in &mut p.activities {
            a.modes.truncate(1);
            a.modes[0].timing = Timing::Fixed(days);
        }
        p.groups = (0..count)
            .map(|i| DueGroup {
                name: format!("g{i}"),
                weight: 1,
                due,
                members: vec![i],
                level: Default::default(),
            })
            .collect();
        p.objective = Objective {
            lateness: 1,
            finish: 0,
            cost: 0,
            node: 0,
        };
        p
    }

    #[test]
    fn three_jobs_on_one_crew_due_on_day_2_are_late_by_the_crew() {
        // Three 2-day jobs, one crew, all due on day 2: the best order ends
        // them on days 2, 4 and 6, late 0 + 2 + 4 = 6. The earliest ends
        // alone (day 2 each) say 0. By levels: on time by day 2 + L, the
        // 6 crew-days in [0, 2 + L) leave 4 − L crew-days over, and each late
        // job frees at most its 2: levels 0..3 need 2, 2 (1.5 rounded up),
        // 1 and 1 (0.5 rounded up) more late jobs: 6.
        let p = one_crew_due(3, 2, 2);
        assert_eq!(lower_bound(&p).unwrap(), 6);
        let best = Schedule {
            starts: vec![0, 2, 4],
            modes: vec![0; 3],
        };
        assert!(violations(&p, &best).is_empty());
        assert_eq!(p.score(&best).value, 6);
        // One-day jobs: only the third is late, by one day.
        assert_eq!(lower_bound(&one_crew_due(3, 1, 2)).unwrap(), 1);
    }

    #[test]
    fn a_bound_that_gives_up_keeps_a_valid_weaker_value() {
        // Given up before it starts, the lateness levels add nothing: the
        // bound is weaker than the complete one and says it is incomplete.
        let p = one_crew_due(3, 2, 2);
        let cut = lower_bound_until(&p, Instant::now()).unwrap();
        assert!(!cut.complete && cut.value < 6, "{cut:?}");
        let far = Instant::now() + std::time::Duration::from_secs(3600);
        let whole = lower_bound_until(&p, far).unwrap();
        assert_eq!(
            whole,
            Bounded {
                value: 6,
                complete: true
            }
        );
        // On random tiny problems a bound cut short never exceeds the
        // complete one, and a complete one is the same.
        let mut rng = Rng::new(11);
        for _ in 0..100 {
            let p = tiny(&mut rng);
            let Ok(full) = lower_bound(&p) else { continue };
            let cut = lower_bound_until(&p, Instant::now()).unwrap();
            assert!(cut.value <= full && (cut.complete <= (cut.value == full)));
            let levels = level_bounds_until(&p, Instant::now()).unwrap().value;
            let all = level_bounds(&p).unwrap();
            assert!(levels.households <= all.households && levels.nodes <= all.nodes);
            assert!(levels.finish <= all.finish && levels.cost <= all.cost);
        }
    }

    #[test]
    fn pinned_work_holds_the_crew_a_station_needs() {
        // Work in progress holds the only crew on days 0..4 (its one allowed
        // start); the station's 2-day job, due on day 3, can end on day 6 at
        // the earliest: 3 days late at weight 5. The critical path says day 2.
        let mut p = one_crew_due(2, 2, 3);
        let mut table = vec![Timing::NO_START; 21];
        table[0] = 4;
        p.activities[0].modes[0].timing = Timing::Table(table);
        p.groups.remove(0);
        p.groups[0].weight = 5;
        assert_eq!(lower_bound(&p).unwrap(), 15);
        let best = Schedule {
            starts: vec![0, 4],
            modes: vec![0, 0],
        };
        assert!(violations(&p, &best).is_empty());
        assert_eq!(p.score(&best).value, 15);
    }

    #[test]
    fn open_trenches_count_against_the_trench_limit() {
        // Two trenches, each dug (2 days) then backfilled (2 days) by
        // unlimited crews, with one trench open at a time: 4 + 4 = 8 days,
        // where the critical path says 4.
        let mut p = two_crews(4, 0);
        p.resources.truncate(1);
        p.resources[0].capacity = 1;
        for a in &mut p.activities {
            a.modes.truncate(1);
            a.modes[0].demands.clear();
            a.modes[0].timing = Timing::Fixed(2);
        }
        for (first, last) in [(0, 1), (2, 3)] {
            p.links.push(Link {
                from: first,
                to: last,
                kind: LinkKind::FinishToStart,
                lag: 0,
            });
            p.spans.push(Span {
                first,
                last,
                resource: 0,
                amount: 1,
            });
        }
        assert_eq!(lower_bound(&p).unwrap(), 8);
        let best = Schedule {
            starts: vec![0, 2, 4, 6],
            modes: vec![0; 4],
        };
        assert!(violations(&p, &best).is_empty());
        assert_eq!(p.score(&best).value, 8);
    }

    /// A tiny random problem: up to four activities on two crews (one or
    /// two modes, fixed or rest-day timings), a few links, due groups with
    /// weights, sometimes a baseline and a pinned start.
    pub(super) fn tiny(rng: &mut Rng) -> Problem {
        let horizon: Day = 9;
        let n = 2 + rng.below(3);
        let resources = (0..3)
            .map(|r| Resource {
                name: format!("r{r}"),
                capacity: 1 + rng.below(2) as u32,
            })
            .collect();
        let activities = (0..n)
            .map(|i| {
                let modes = (0..1 + rng.below(2))
                    .map(|m| {
                        let d = 1 + rng.below(3) as Day;
                        let timing = match rng.below(3) {
                            0 => Timing::Table(
                                (0..=horizon)
                                    .map(|s| {
                                        let e = if s % 3 == 2 { Timing::NO_START } else { s + d };
                                        if e <= horizon {
                                            e
                                        } else {
                                            Timing::NO_START
                                        }
                                    })
                                    .collect(),
                            ),
                            1 if i == 0 => {
                                // Pinned: one allowed start.
                                let mut t = vec![Timing::NO_START; horizon as usize + 1];
                                t[1] = 1 + d;
                                Timing::Table(t)
                            }
                            _ => Timing::Fixed(d),
                        };
                        Mode {
                            label: format!("m{m}"),
                            demands: vec![(rng.below(2), 1 + rng.below(2) as u32)],
                            timing,
                            cost_per_day: rng.below(3) as u32,
                        }
                    })
                    .collect();
                Activity {
                    name: format!("a{i}"),
                    modes,
                    release: rng.below(2) as Day,
                }
            })
            .collect();
        let linked: Vec<usize> = (1..n).filter(|_| rng.below(2) == 0).collect();
        let links: Vec<Link> = linked
            .into_iter()
            .map(|to| Link {
                from: rng.below(to),
                to,
                kind: if rng.below(3) == 0 {
                    LinkKind::StartToStart
                } else {
                    LinkKind::FinishToStart
                },
                lag: rng.below(2) as i32,
            })
            .collect();
        let groups = (0..1 + rng.below(3))
            .map(|g| DueGroup {
                name: format!("g{g}"),
                weight: 1 + rng.below(4) as u64,
                due: 1 + rng.below(5) as Day,
                members: (0..n).filter(|_| rng.below(2) == 0).collect(),
                level: Default::default(),
            })
            .collect();
        // An open trench over some link's two ends, on a third resource.
        let spans = links
            .iter()
            .filter(|_| rng.below(2) == 0)
            .map(|l: &Link| Span {
                first: l.from,
                last: l.to,
                resource: 2,
                amount: 1,
            })
            .collect();
        let baseline = (rng.below(2) == 0).then(|| Baseline {
            starts: (0..n).map(|_| Some(rng.below(6) as Day)).collect(),
            modes: (0..n).map(|_| Some(0)).collect(),
            shift_weight: 1,
            change_weight: 2,
        });
        Problem {
            name: "tiny".into(),
            horizon,
            resources,
            activities,
            links,
            spans,
            groups,
            objective: Objective {
                lateness: 5,
                finish: 1,
                cost: rng.below(2) as u64,
                node: 0,
            },
            baseline,
        }
    }

    /// The least objective over every feasible schedule, by enumeration.
    fn brute_force(p: &Problem) -> Option<u64> {
        let n = p.activities.len();
        let mut best: Option<u64> = None;
        let mut sched = Schedule {
            starts: vec![0; n],
            modes: vec![0; n],
        };
        fn walk(p: &Problem, a: usize, sched: &mut Schedule, best: &mut Option<u64>) {
            if a == p.activities.len() {
                if violations(p, sched).is_empty() {
                    let v = p.score(sched).value;
                    *best = Some(best.map_or(v, |b| b.min(v)));
                }
                return;
            }
            for m in 0..p.activities[a].modes.len() {
                for s in 0..=p.horizon {
                    if p.end(a, m, s).is_some_and(|e| e <= p.horizon) {
                        sched.starts[a] = s;
                        sched.modes[a] = m;
                        walk(p, a + 1, sched, best);
                    }
                }
            }
        }
        walk(p, 0, &mut sched, &mut best);
        best
    }

    #[test]
    fn the_bound_never_exceeds_the_optimum_of_tiny_problems() {
        let mut rng = Rng::new(7);
        let (mut checked, mut late) = (0, 0);
        for _ in 0..300 {
            let p = tiny(&mut rng);
            let Some(opt) = brute_force(&p) else { continue };
            let lb = lower_bound(&p).expect("feasible, so the windows exist");
            assert!(lb <= opt, "bound {lb} above the optimum {opt} of {p:#?}");
            checked += 1;
            // Count the problems where the crews force lateness beyond the
            // members' earliest ends.
            let w = Windows::compute(&p).unwrap();
            let by_ends: u64 = p
                .groups
                .iter()
                .map(|g| {
                    let end = g.members.iter().map(|&a| w.ef[a]).max().unwrap_or(0);
                    g.weight * end.saturating_sub(g.due) as u64
                })
                .sum();
            if lateness_bound(&p, &w, &span_works(&p)) > by_ends {
                late += 1;
            }
        }
        // The comparison must cover problems whose lateness the crews force.
        assert!(
            checked >= 100 && late >= 20,
            "{checked} checked, {late} late"
        );
    }

    /// Each group's end in `s`: the last end of its members (0 for none).
    pub(super) fn group_ends(p: &Problem, s: &Schedule) -> Vec<Day> {
        p.groups
            .iter()
            .map(|g| {
                g.members
                    .iter()
                    .map(|&a| p.end(a, s.modes[a], s.starts[a]).unwrap())
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// Calls `f` on every feasible schedule of `p`, by enumeration.
    pub(super) fn every_schedule(p: &Problem, f: &mut dyn FnMut(&Schedule)) {
        fn walk(p: &Problem, a: usize, sched: &mut Schedule, f: &mut dyn FnMut(&Schedule)) {
            if a == p.activities.len() {
                if violations(p, sched).is_empty() {
                    f(sched);
                }
                return;
            }
            for m in 0..p.activities[a].modes.len() {
                for s in 0..=p.horizon {
                    if p.end(a, m, s).is_some_and(|e| e <= p.horizon) {
                        sched.starts[a] = s;
                        sched.modes[a] = m;
                        walk(p, a + 1, sched, f);
                    }
                }
            }
        }
        let n = p.activities.len();
        let mut sched = Schedule {
            starts: vec![0; n],
            modes: vec![0; n],
        };
        walk(p, 0, &mut sched, f);
    }

    #[test]
    fn the_bound_of_each_level_never_exceeds_that_level_of_any_plan() {
        let mut rng = Rng::new(18);
        let (mut checked, mut node_late) = (0, 0);
        for _ in 0..300 {
            let mut p = tiny(&mut rng);
            for g in &mut p.groups {
                if rng.below(2) == 0 {
                    g.level = Level::Node;
                }
            }
            p.objective = Objective::lexicographic(&p);
            // Least value of each level over every feasible plan.
            let mut least: Option<(u64, u64, Day, u64, Vec<Day>)> = None;
            every_schedule(&p, &mut |s| {
                let sc = p.score(s);
                let ends = group_ends(&p, s);
                let l = least.get_or_insert((u64::MAX, u64::MAX, Day::MAX, u64::MAX, ends.clone()));
                l.0 = l.0.min(sc.weighted_lateness);
                l.1 = l.1.min(sc.node_lateness);
                l.2 = l.2.min(sc.makespan);
                l.3 = l.3.min(sc.cost);
                l.4.iter_mut()
                    .zip(&ends)
                    .for_each(|(x, &e)| *x = (*x).min(e));
            });
            let Some((households, nodes, finish, cost, ends)) = least else {
                continue;
            };
            let b = level_bounds(&p).expect("feasible, so the windows exist");
            assert!(
                b.households <= households,
                "{b:?} vs {households} in {p:#?}"
            );
            assert!(b.nodes <= nodes, "{b:?} vs {nodes} in {p:#?}");
            assert!(b.finish <= finish, "{b:?} vs {finish} in {p:#?}");
            assert!(b.cost <= cost, "{b:?} vs {cost} in {p:#?}");
            for &(g, end) in &b.node_ends {
                if !p.groups[g].members.is_empty() {
                    assert!(end <= ends[g], "node {g}: {b:?} vs {ends:?} in {p:#?}");
                }
                if b.node_days_late(&p, g) > 0 {
                    node_late += 1;
                }
            }
            checked += 1;
        }
        assert!(
            checked >= 100 && node_late >= 10,
            "{checked} checked, {node_late} nodes proven late"
        );
    }

    #[test]
    fn lexicographic_weights_order_plans_level_by_level() {
        let mut rng = Rng::new(22);
        let mut compared = 0;
        for _ in 0..200 {
            let mut p = tiny(&mut rng);
            p.baseline = None;
            for g in &mut p.groups {
                if rng.below(2) == 0 {
                    g.level = Level::Node;
                }
            }
            for a in &mut p.activities {
                for m in &mut a.modes {
                    m.cost_per_day = 1 + rng.below(3) as u32;
                }
            }
            p.objective = Objective::lexicographic(&p);
            let mut scores = Vec::new();
            every_schedule(&p, &mut |s| scores.push(p.score(s)));
            let key = |s: &Score| (s.weighted_lateness, s.node_lateness, s.makespan, s.cost);
            for x in scores.iter().step_by(7) {
                for y in scores.iter().step_by(5) {
                    assert_eq!(x.value.cmp(&y.value), key(x).cmp(&key(y)), "{x:?} {y:?}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 1000, "{compared}");
    }
}
