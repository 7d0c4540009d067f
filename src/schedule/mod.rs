//! Scheduling: the abstract problem and the solver that plans it.
//!
//! A [`Problem`] (activities with modes, links, resources, spans, due groups,
//! an objective) is solved by a [`portfolio::Portfolio`] within a
//! [`budget::Budget`] (deadline, stop flag, seed, threads, work limit) and
//! answered by an [`outcome::Outcome`] (the schedule, its score, the proven
//! bound, a status and a stop reason), reporting [`outcome::Progress`] on the
//! way. Every phase takes a part of the same budget and returns the same
//! outcome types; [`shares`] says how the time is divided, and why.
//!
//! The modules, in the order a solve uses them:
//!
//! * [`problem`], [`window`], [`bound`], [`check`]: the problem, its
//!   critical-path windows, lower bounds, and the referee checker every
//!   returned schedule passes;
//! * [`sgs`] and [`heuristic`]: the schedule-generation scheme and the
//!   constructive heuristic (priority rules, sampling, a genetic algorithm);
//! * [`exact`]: branch and bound for pure makespan problems;
//! * `milp`: the time-indexed integer program, and `lns`: the MILP phase
//!   (large-neighbourhood search on sub-models and the full model), which
//!   compacts every plan it keeps with `compact` (each crew activity to the
//!   start and mode holding its crew the fewest calendar days) and `retime`
//!   (every start at once, by a minimum cut, with the resource flow fixed);
//! * `highs_adapter`: HiGHS behind one adapter (options, statuses,
//!   callbacks);
//! * `portfolio`: which of these run, in what order, on which share;
//! * [`psplib`] and `bench`: the PSPLIB reader and benchmark runner.

#[cfg(feature = "solver")]
pub mod bench;
pub mod bound;
pub mod budget;
pub mod capacity;
pub mod check;
#[cfg(feature = "solver")]
pub mod compact;
pub mod exact;
pub mod heuristic;
#[cfg(feature = "solver")]
pub mod highs_adapter;
#[cfg(feature = "solver")]
pub mod lns;
#[cfg(feature = "solver")]
pub mod lp_beside;
#[cfg(feature = "solver")]
pub mod milp;
pub mod outcome;
#[cfg(feature = "solver")]
pub mod portfolio;
pub mod problem;
pub mod psplib;
pub mod resequence;
#[cfg(feature = "solver")]
pub mod retime;
pub mod rng;
pub mod sgs;
pub mod shares;
#[cfg(feature = "solver")]
mod usage;
pub mod window;

pub use problem::*;
