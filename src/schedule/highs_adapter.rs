//! HiGHS behind one adapter: options, statuses and callbacks.
//!
//! Every model that needs more of HiGHS than "build, solve, read the
//! solution" goes through here: the time-indexed integer program
//! ([`super::milp`]) builds its model with the `highs` crate and then uses
//! this module to
//!
//! * **set options** with every result checked: an option HiGHS rejects (a
//!   misspelt name, a value of the wrong type) is an [`OptionError`], not a
//!   silently ignored call;
//! * **map statuses**: HiGHS's model status becomes a [`StopReason`], and its
//!   dual bound an integer lower bound ([`integer_bound`]);
//! * **run with callbacks** ([`solve_mip`]): HiGHS calls back at its limit
//!   checks (between root-node phases, branch-and-bound nodes, simplex and
//!   interior-point iterations) and on every improving solution. The callback
//!   reports [`Progress`] (the incumbent and the dual bound) at most once a
//!   second and on every improvement, and interrupts the solve when the
//!   budget's stop flag is raised or its deadline has passed (HiGHS's own time
//!   limit is checked too rarely on large models).
//!
//! * **keep each thread's scheduler the right size** ([`use_threads`]):
//!   HiGHS runs its parallel tasks on a scheduler of each calling thread
//!   whose size the first solve on that thread fixes; a later solve on the
//!   same thread asking for another number of threads fails at once with
//!   status "Error". Every solve, here and in the bounds that solve linear
//!   programs, first calls [`use_threads`].
//!
//! The `highs` crate is used rather than good_lp here because the MIP needs
//! the dual bound, the primal solution status, a starting solution and the
//! callbacks, which good_lp does not expose. Linear programs that are only
//! built, solved and read (with their duals) use good_lp instead: the set
//! test of the branch and bound (the `exact::sets` module).

use std::ffi::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use highs::{HighsModelStatus, HighsOptionValue, Model, SolvedModel};
use highs_sys::{HighsCallbackDataIn, HighsCallbackDataOut};

use super::budget::Budget;
use super::outcome::{Progress, StopReason};
use super::problem::Score;

/// HiGHS rejected an option.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("HiGHS rejected the option `{name}` = {value}")]
pub struct OptionError {
    /// The option's name.
    pub name: &'static str,
    /// The value it was given, as written in Rust.
    pub value: String,
}

/// Sets one option, checking that HiGHS accepts it.
pub fn set_option<V: HighsOptionValue + std::fmt::Debug + Copy>(
    hm: &mut Model,
    name: &'static str,
    value: V,
) -> Result<(), OptionError> {
    hm.try_set_option(name, value).map_err(|_| OptionError {
        name,
        value: format!("{value:?}"),
    })
}

/// Makes the HiGHS solves this thread runs next ask for `threads` threads
/// (0: HiGHS's own choice, whatever scheduler the thread has).
///
/// HiGHS keeps one task scheduler per calling thread, sized by the first
/// solve on that thread, and refuses (status "Error", nothing solved) a
/// solve whose `threads` option differs from it. A thread that solves with
/// one thread and then with two — the lateness bound's linear programs on
/// one thread before the MILP phase's sub-models on two, or the branch and
/// bound's set test before the MILP phase — had every later solve fail: on
/// the bundled tight programme every sub-model of the large-neighbourhood
/// search. So before each solve the thread's scheduler is shut down when it
/// was made for another number of threads (which costs only its start
/// again), and remembered otherwise.
pub fn use_threads(threads: u32) {
    thread_local! {
        /// The size of this thread's scheduler when this function made it;
        /// 0 when unknown.
        static SIZED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }
    if threads == 0 {
        return;
    }
    SIZED.with(|sized| {
        if sized.get() != threads {
            // SAFETY: HiGHS allows it on the thread that owns the scheduler
            // while no solve runs there: every caller calls this on its own
            // thread before its solve. HiGHS makes a new scheduler of the
            // solve's size at its next run; the old one's threads end on
            // their own (not blocking: nothing waits for them).
            unsafe { highs_sys::Highs_resetThreadScheduler(0) };
            sized.set(threads);
        }
    });
}

/// Options of a MIP solve within `budget`, stopping at relative gap `gap`
/// or once the incumbent is at most `slack` above the dual bound.
pub fn configure_mip(
    hm: &mut Model,
    budget: &Budget,
    gap: f64,
    slack: u64,
) -> Result<(), OptionError> {
    set_option(hm, "time_limit", budget.remaining().as_secs_f64().max(0.01))?;
    set_option(hm, "mip_rel_gap", gap.max(0.0))?;
    // The objective is integral: a gap below `slack + 1` is at most `slack`
    // once the bound is rounded up (and with no slack proves optimality).
    set_option(hm, "mip_abs_gap", slack as f64 + 1.0 - 1e-6)?;
    set_option(hm, "random_seed", (budget.seed % i32::MAX as u64) as i32)?;
    // HiGHS's presolve ignores the time limit and the interrupt callback:
    // on PSPLIB j30 models of 1,500 columns it was seen to run 14 s against a
    // 0.35 s limit. Without it every solve stops on time.
    set_option(hm, "presolve", "off")?;
    // Nor does the feasibility-jump heuristic at the root: on the tutorial
    // it ran 1.5 s past a 0.5 s limit. The warm start makes it redundant.
    set_option(hm, "mip_heuristic_run_feasibility_jump", false)?;
    if budget.threads > 0 {
        set_option(hm, "threads", budget.threads as i32)?;
    }
    use_threads(budget.threads);
    if let Some(n) = budget.max_nodes {
        set_option(hm, "mip_max_nodes", n.min(i32::MAX as u64) as i32)?;
    }
    Ok(())
}

/// Why HiGHS stopped, from its model status. A user interrupt is told apart
/// by [`solve_mip`]; an interrupt HiGHS reports otherwise is the callback's
/// deadline, so a time limit.
pub fn stop_reason(status: HighsModelStatus) -> StopReason {
    match status {
        HighsModelStatus::Optimal => StopReason::Proven,
        HighsModelStatus::Infeasible => StopReason::Infeasible {
            why: "proven infeasible".into(),
        },
        HighsModelStatus::ReachedTimeLimit | HighsModelStatus::ReachedInterrupt => {
            StopReason::TimeLimit
        }
        HighsModelStatus::ReachedMemoryLimit => StopReason::MemoryLimit,
        // HiGHS reports its node limit (`mip_max_nodes`) as a solution limit.
        HighsModelStatus::ReachedSolutionLimit | HighsModelStatus::ReachedIterationLimit => {
            StopReason::WorkLimit
        }
        other => StopReason::SolverStatus {
            status: format!("{other:?}"),
        },
    }
}

/// The integer lower bound implied by a HiGHS dual bound (every objective
/// coefficient is an integer), never above the verified `score`.
pub fn integer_bound(dual: f64, status: HighsModelStatus, score: Option<&Score>) -> u64 {
    let raw = if dual.is_finite() {
        dual
    } else if status == HighsModelStatus::Optimal {
        score.map(|s| s.value as f64).unwrap_or(0.0)
    } else {
        0.0
    };
    let b = (raw - 1e-6).ceil().max(0.0) as u64;
    match score {
        Some(s) => b.min(s.value),
        None => b,
    }
}

/// A MIP run: the solved model and whether the stop flag interrupted it.
pub struct MipRun {
    /// The model after the run.
    pub solved: SolvedModel,
    /// The budget's stop flag interrupted the run.
    pub interrupted: bool,
}

/// State shared with the HiGHS callback.
struct CallbackCtx<'a> {
    budget: &'a Budget,
    /// The budget's deadline with a little grace for HiGHS's own time limit.
    deadline: Instant,
    on_progress: &'a mut dyn FnMut(&Progress),
    last_report: f64,
    interrupted: bool,
}

/// The HiGHS callback: reports progress (at most once a second, and on every
/// improving solution) and requests an interrupt when the stop flag is set
/// or the deadline has passed.
unsafe extern "C" fn highs_callback(
    kind: c_int,
    _message: *const c_char,
    out: *const HighsCallbackDataOut,
    data_in: *mut HighsCallbackDataIn,
    user: *mut c_void,
) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if user.is_null() || out.is_null() {
            return;
        }
        // SAFETY: `user` is the `CallbackCtx` registered in `solve_mip`,
        // alive for the whole run; `out` is valid during the call.
        let ctx = unsafe { &mut *(user as *mut CallbackCtx) };
        let out = unsafe { &*out };
        let improving = kind == highs_sys::kHighsCallbackMipImprovingSolution;
        if improving || out.running_time - ctx.last_report >= 1.0 {
            ctx.last_report = out.running_time;
            let primal = if improving {
                out.objective_function_value
            } else {
                out.mip_primal_bound
            };
            let best = primal.is_finite().then(|| primal.round() as u64);
            let dual = out.mip_dual_bound;
            let bound = if dual.is_finite() {
                (dual - 1e-6).ceil().max(0.0) as u64
            } else {
                0
            };
            let elapsed = Duration::from_secs_f64(out.running_time.max(0.0));
            (ctx.on_progress)(&Progress::new(elapsed, best, bound));
        }
        let stop = ctx.budget.stopped();
        let late = Instant::now() >= ctx.deadline;
        let interruptible = kind == highs_sys::kHighsCallbackMipInterrupt
            || kind == highs_sys::kHighsCallbackSimplexInterrupt
            || kind == highs_sys::kHighsCallbackIpmInterrupt;
        if interruptible && !data_in.is_null() && (stop || late) {
            ctx.interrupted |= stop;
            // SAFETY: HiGHS passes a valid input struct for interrupt events.
            unsafe { (*data_in).user_interrupt = 1 };
        }
    }));
}

/// Runs a configured MIP with the callbacks: `on_progress` gets HiGHS's
/// incumbent (`best`, rounded) and dual bound (`bound`, rounded up) with
/// HiGHS's running time; the run is interrupted at the budget's stop flag
/// and deadline. `Err` carries HiGHS's error status.
pub fn solve_mip(
    mut hm: Model,
    budget: &Budget,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<MipRun, String> {
    let mut ctx = CallbackCtx {
        budget,
        deadline: budget.deadline() + Duration::from_millis(100),
        on_progress,
        last_report: 0.0,
        interrupted: false,
    };
    // SAFETY: the context outlives the run below; the callback only reads
    // the documented output struct and writes `user_interrupt`.
    unsafe {
        let ptr = hm.as_mut_ptr();
        highs_sys::Highs_setCallback(
            ptr,
            Some(highs_callback),
            &mut ctx as *mut CallbackCtx as *mut c_void,
        );
        highs_sys::Highs_startCallback(ptr, highs_sys::kHighsCallbackMipInterrupt);
        highs_sys::Highs_startCallback(ptr, highs_sys::kHighsCallbackSimplexInterrupt);
        highs_sys::Highs_startCallback(ptr, highs_sys::kHighsCallbackIpmInterrupt);
        highs_sys::Highs_startCallback(ptr, highs_sys::kHighsCallbackMipImprovingSolution);
    }
    let solved = hm.try_solve().map_err(|e| format!("{e:?}"))?;
    Ok(MipRun {
        solved,
        interrupted: ctx.interrupted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use highs::{RowProblem, Sense};

    #[test]
    fn a_misspelt_option_is_an_error() {
        let mut hm = RowProblem::default().optimise(Sense::Minimise);
        assert!(set_option(&mut hm, "presolve", "off").is_ok());
        let e = set_option(&mut hm, "no_such_option", 1).unwrap_err();
        assert_eq!(e.name, "no_such_option");
        assert!(configure_mip(&mut hm, &Budget::new(Duration::from_secs(1)), 0.0, 0).is_ok());
    }

    /// `max x` over integers with `2x ≤ 7`, asking HiGHS for `threads`,
    /// through [`configure_mip`] (`adapted`) or with the option alone.
    fn tiny_mip(threads: u32, adapted: bool) -> HighsModelStatus {
        let mut rp = RowProblem::default();
        let x = rp.add_integer_column(-1.0, 0.0..=10.0);
        rp.add_row(..=7.0, [(x, 2.0)]);
        let mut hm = rp.optimise(Sense::Minimise);
        hm.make_quiet();
        let budget = Budget::new(Duration::from_secs(60)).with_threads(threads);
        if adapted {
            configure_mip(&mut hm, &budget, 0.0, 0).unwrap();
        } else {
            set_option(&mut hm, "threads", threads as i32).unwrap();
        }
        match solve_mip(hm, &budget, &mut |_| {}) {
            Ok(run) => run.solved.status(),
            Err(_) => HighsModelStatus::NotSet,
        }
    }

    #[test]
    fn one_thread_solves_with_one_and_then_two_highs_threads() {
        // HiGHS itself refuses the second solve of a thread when its thread
        // count differs from the first one's ...
        let bare = std::thread::spawn(|| [tiny_mip(1, false), tiny_mip(2, false)])
            .join()
            .unwrap();
        assert_eq!(bare[0], HighsModelStatus::Optimal);
        assert_ne!(bare[1], HighsModelStatus::Optimal, "HiGHS now allows it");
        // ... and through the adapter every solve runs, whatever came
        // before it on the thread.
        let adapted = std::thread::spawn(|| [1, 2, 2, 1, 2].map(|t| tiny_mip(t, true)))
            .join()
            .unwrap();
        assert_eq!(adapted, [HighsModelStatus::Optimal; 5]);
    }

    #[test]
    fn statuses_map_to_stop_reasons() {
        assert_eq!(stop_reason(HighsModelStatus::Optimal), StopReason::Proven);
        assert_eq!(
            stop_reason(HighsModelStatus::ReachedTimeLimit),
            StopReason::TimeLimit
        );
        assert_eq!(
            stop_reason(HighsModelStatus::Infeasible).to_string(),
            "proven infeasible"
        );
    }
}
