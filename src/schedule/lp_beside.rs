//! The time-indexed LP finish bound ([`super::bound::lp`]) run on the
//! second core beside the MILP phase (issue #22: a finish-level bound above
//! day 150 on the city).
//!
//! On a programme whose full time-indexed model is too large to build (the
//! city: 832 activities), nothing in the solve raises the finish bound past
//! the combinatorial one: HiGHS only works on the large-neighbourhood
//! search's small windows, one sub-model at a time on one core. The LP over
//! the station chains does (day 144 → 151 on the city), at 13–18 s of one
//! core per LP. It runs on a thread of its own while the MILP phase runs
//! (the heuristic before it keeps both cores, so the plan is not made worse
//! for it), and searches upwards from the chains' own combinatorial bound
//! `b` by *exponential search*, as the combinatorial finish bound does: it
//! tests `b`, `b + 2`, `b + 6`, `b + 14`, … (each step twice the last, never
//! past the plan's finish) while they are refuted, each refutation raising
//! the bound at once, and bisects between the last refuted finish and the
//! first open one. Every refutation holds on its own: refuting `T` refutes
//! every earlier finish (the test is monotone, see [`super::bound::lp`]),
//! so whenever the MILP phase ends the bound is the last refuted finish plus
//! one. When the MILP phase returns, the LP is interrupted (through its own
//! stop flag, which HiGHS's callback polls) and the outcome's
//! [`Outcome::finish_bound`] raised.
//!
//! It runs only when it can pay: the solve has at least two threads, no
//! work limit (a reproducible run must not depend on how far an LP got in
//! the time), the full model is too large for HiGHS (`allowed`), and the
//! programme has stations. On every other programme the MILP phase runs
//! alone. And each LP is solved only when the time left suffices for it by
//! [`super::bound::lp::SOLVE_SECONDS_PER_NONZERO`]: a 60 s run on the city
//! leaves the MILP phase about 11 s, less than one LP needs, so there the
//! first LP is built (about a second) and not solved, and the finish bound
//! stays the combinatorial one; from about two minutes on the LPs run.

use super::bound::lower_bound;
use super::bound::lp::{finish_bound, station_chains};
use super::budget::Budget;
use super::outcome::Outcome;
use super::problem::{Day, Objective, Problem};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Days per resource row of the LP: one row per three days refutes day 150
/// on the city as one row per day does, with half the non-zeros (one row
/// per seven days proves only day 148).
pub const LP_BUCKET_DAYS: Day = 3;

/// Runs `solve` on `budget` and, beside it on another thread when it applies
/// (`allowed`, e.g. not a heuristic-only run, and see the module
/// documentation), the LP finish bound; the solve's outcome with its finish
/// bound raised to what the LP proved.
pub fn with_lp_finish_bound(
    p: &Problem,
    budget: &Budget,
    allowed: bool,
    reachable: Option<Day>,
    solve: impl FnOnce() -> Outcome,
) -> Outcome {
    let chains = if allowed && budget.threads >= 2 && !budget.work_limited() {
        station_chains(p)
    } else {
        None
    };
    let Some(chains) = chains else {
        return solve();
    };
    let done = Arc::new(AtomicBool::new(false));
    let lp_budget = budget.clone().with_stop(done.clone()).with_threads(1);
    let (mut outcome, proven) = std::thread::scope(|s| {
        let lp = s.spawn(move || {
            // The chains' own bound, the finish alone: a relaxation's
            // bound, so valid for the whole problem.
            let mut q = chains.problem.clone();
            q.objective = Objective::default();
            let low = lower_bound(&q).map_or(0, |b| b.min(Day::MAX as u64) as Day);
            let high = reachable.unwrap_or(p.horizon).min(p.horizon);
            let step = std::cell::Cell::new(1);
            let r = finish_bound(
                p,
                &chains,
                (low, high),
                LP_BUCKET_DAYS,
                &lp_budget,
                &|lo, hi| {
                    // Exponential search until the first open finish (`hi`
                    // still the reachable finish), then bisection.
                    if hi >= high {
                        let t = lo + step.get() - 1;
                        step.set(step.get() * 2);
                        t
                    } else {
                        (lo + hi) / 2
                    }
                },
            );
            r.finish
        });
        let outcome = solve();
        done.store(true, Ordering::Relaxed);
        // A user's interrupt ends the solve, whose return ends the LP.
        (outcome, lp.join().unwrap_or(0))
    });
    outcome.finish_bound = outcome.finish_bound.max(proven);
    outcome
}
