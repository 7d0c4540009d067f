//! How the solver divides its time: every share and time cap in one place,
//! each with the measurement behind it.
//!
//! The [`portfolio`](super::portfolio) gives the constructive heuristic
//! [`HEURISTIC_SHARE`] of the budget (at least [`LARGE_MODEL_HEURISTIC_SHARE`]
//! when the time-indexed model is too large to build); on a pure makespan
//! problem the heuristic stops after [`EXACT_PATIENCE`] candidates without
//! improvement and the branch and bound gets [`EXACT_SHARE`] of the limit,
//! at most [`EXACT_MAX`], of which it may spend [`SHAVE_SHARE`] of what is
//! left shaving its root with the set test. The MILP phase
//! ([`lns`](super::lns)) then solves the full model until
//! [`FULL_MODEL_SHARE_WARM`] (or [`FULL_MODEL_SHARE_COLD`]) of its own
//! budget, runs the large-neighbourhood search until [`LNS_SHARE`], each
//! sub-model for at most [`LNS_SUB_MODEL_LIMIT`], and gives the rest to the
//! full model again.

use std::time::Duration;

/// Share of the time limit the lower bound may take before the heuristic
/// starts; it gives up at that point with what it has proven (see
/// [`super::bound::lower_bound_until`]).
pub const BOUND_SHARE: f64 = 0.2;

/// Share of the time limit given to the heuristic before HiGHS starts. On
/// PSPLIB j60 (30 s) the HiGHS phases after the heuristic found no better
/// schedule on any of the 12 instances, while the genetic algorithm still
/// improves with more time.
pub const HEURISTIC_SHARE: f64 = 0.7;

/// Share of the time limit the heuristic gets at least when the full
/// time-indexed model is too large to build: HiGHS then only works on small
/// windows (LNS), which on such problems gains less than the heuristic does
/// with the same time.
pub const LARGE_MODEL_HEURISTIC_SHARE: f64 = 0.8;

/// Share of the time limit by whose end the re-sequencing of crew pools
/// ([`super::resequence`]) stops, when the heuristic's plan leaves a
/// station or a time node late; it runs after the heuristic's share, before
/// the MILP phase. On the bundled tight programme (one core, machine
/// loaded) 10 s of it took the heuristic's 40 s plan from 839,417
/// household-days late to 619,198, where the MILP phase's large-neighbourhood
/// search with the same time moves it little.
pub const RESEQUENCE_SHARE: f64 = 0.15;

/// Candidates without improvement after which the heuristic hands a pure
/// makespan problem to the branch and bound.
pub const EXACT_PATIENCE: usize = 2000;

/// Candidates without improvement after which the heuristic hands a
/// programme whose full time-indexed model can be built to the MILP phase
/// (the rest of its share goes there). A 56-activity programme with ample
/// crews (its plan optimal after the heuristic's first second) ran the
/// heuristic for 70 % of any limit and was then proven optimal by the full
/// model within a second: 41 s at `--time-limit 60`.
pub const MILP_PATIENCE: usize = 2000;
/// Share of the time limit the branch and bound gets on a pure makespan
/// problem (up to [`EXACT_MAX`]). Under short limits a proof is worth more
/// than the heuristic's last seconds: the heuristic has usually found its
/// best plan long before, and the branch and bound also improves plans.
pub const EXACT_SHARE: f64 = 0.8;

/// The most time the branch and bound gets. With its memo of failed states
/// and the set test (`exact` module) the hardest PSPLIB j30 proofs take
/// 1–5 s; longer searches rarely finish, and on larger problems the
/// heuristic uses the time better (j60 with 30 s: a cap of 8 s gave a mean
/// gap of 0.56 % against 0.46 % with 3 s).
pub const EXACT_MAX: Duration = Duration::from_secs(5);

/// Share of the time left that the branch and bound's shaving with the set
/// test may take before the search starts. On the hardest PSPLIB j30
/// instances a complete shave makes the search after it fast, and a shave
/// cut short leaves it slow: j3041_2 is proven in 2.6 s with four fifths,
/// and not in 5 s with half (the search then runs 3.6 million nodes without
/// a proof).
pub const SHAVE_SHARE: f64 = 0.8;

/// Share of the MILP phase's limit by which the first solve of the full
/// model ends when there is an incumbent: small instances close here, and
/// otherwise the large-neighbourhood search improves the incumbent faster
/// than the full model does.
pub const FULL_MODEL_SHARE_WARM: f64 = 0.1;

/// The same without an incumbent: the full model must find the first
/// schedule, which the large-neighbourhood search needs.
pub const FULL_MODEL_SHARE_COLD: f64 = 0.5;

/// Share of the MILP phase's limit by which the large-neighbourhood search
/// ends; the full model gets the rest, warm-started from the improved
/// incumbent, to raise the proven bound. (When the full model is too large
/// to build, the search gets all of it.)
pub const LNS_SHARE: f64 = 0.6;

/// The most time one sub-model of the large-neighbourhood search gets;
/// the neighbourhood grows after sub-models solved fast and shrinks after
/// ones that hit this limit.
pub const LNS_SUB_MODEL_LIMIT: Duration = Duration::from_secs(1);
