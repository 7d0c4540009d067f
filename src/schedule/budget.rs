//! The budget every phase of the solver runs on.
//!
//! A [`Budget`] is the one form the time limit takes from `--time-limit`
//! down to HiGHS: a start and a limit (so a deadline), a stop flag that
//! another thread (Ctrl-C) may raise, the seed, the number of threads, and
//! optional limits on work ([`Budget::max_candidates`] for the constructive
//! heuristic, [`Budget::max_nodes`] for the branch and bound and each HiGHS
//! solve, [`Budget::max_lns_rounds`] for the large-neighbourhood search), so
//! that a run can end by work rather than by time and come out the same
//! whatever else the machine is doing (tests use this).
//!
//! A phase never gets its own copy of these fields; it gets a part of its
//! caller's budget. [`Budget::share`] gives a phase a fraction of the time
//! that is left, [`Budget::first`] the time up to a fraction of the whole
//! limit (so a phase that follows another one ends at a fixed point of the
//! caller's schedule), [`Budget::until`] the time up to an instant, and
//! [`Budget::at_most`] caps a part. Every part shares the stop flag and ends
//! no later than the budget it came from.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Time, stop flag, seed, threads and work limit of a solve or of one of
/// its phases.
#[derive(Debug, Clone)]
pub struct Budget {
    start: Instant,
    limit: Duration,
    stop: Arc<AtomicBool>,
    /// Seed of every random choice (same seed and budget, same plan when no
    /// time limit binds).
    pub seed: u64,
    /// Threads for HiGHS (0 = HiGHS's choice); also how many independent
    /// heuristic runs search side by side, and whether the branch and bound
    /// searches both directions at once (two or more).
    pub threads: u32,
    /// Stops the constructive heuristic after this many decoded candidates
    /// (a limit on work rather than on time, for reproducible runs).
    pub max_candidates: Option<usize>,
    /// Stops the branch and bound, and each HiGHS solve, after this many
    /// search nodes (a limit on work, for reproducible runs).
    pub max_nodes: Option<u64>,
    /// Stops the large-neighbourhood search after this many sub-models, and
    /// the re-sequencing of crew pools after this many rounds (a limit on
    /// work, for reproducible runs).
    pub max_lns_rounds: Option<usize>,
}

impl Budget {
    /// A budget of `limit` from now, with a fresh stop flag, seed 1, two
    /// threads and no work limit.
    pub fn new(limit: Duration) -> Budget {
        Budget {
            start: Instant::now(),
            limit,
            stop: Arc::new(AtomicBool::new(false)),
            seed: 1,
            threads: 2,
            max_candidates: None,
            max_nodes: None,
            max_lns_rounds: None,
        }
    }

    /// The same budget, interrupted by `stop` (e.g. set by a Ctrl-C handler).
    pub fn with_stop(mut self, stop: Arc<AtomicBool>) -> Budget {
        self.stop = stop;
        self
    }

    /// The same budget with another seed.
    pub fn with_seed(mut self, seed: u64) -> Budget {
        self.seed = seed;
        self
    }

    /// The same budget with another number of threads.
    pub fn with_threads(mut self, threads: u32) -> Budget {
        self.threads = threads;
        self
    }

    /// The same budget with a limit on the heuristic's candidates.
    pub fn with_max_candidates(mut self, max_candidates: Option<usize>) -> Budget {
        self.max_candidates = max_candidates;
        self
    }

    /// The same budget with a limit on search nodes per branch and bound or
    /// HiGHS solve.
    pub fn with_max_nodes(mut self, max_nodes: Option<u64>) -> Budget {
        self.max_nodes = max_nodes;
        self
    }

    /// The same budget with a limit on the large-neighbourhood search's
    /// sub-models.
    pub fn with_max_lns_rounds(mut self, rounds: Option<usize>) -> Budget {
        self.max_lns_rounds = rounds;
        self
    }

    /// True when every phase is limited by work: the run ends the same way
    /// whatever the machine's load (as long as the time limit does not bind),
    /// so no decision may depend on the clock.
    pub fn work_limited(&self) -> bool {
        self.max_candidates.is_some() && self.max_nodes.is_some() && self.max_lns_rounds.is_some()
    }

    /// The same budget (limit, stop flag, seed, threads, work limit)
    /// starting now: one per solve when a command solves one problem after
    /// another.
    pub fn restarted(&self) -> Budget {
        self.part(Instant::now(), self.limit)
    }

    /// When the budget started.
    pub fn start(&self) -> Instant {
        self.start
    }

    /// The whole time of the budget.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// When the time runs out (far in the future for an unlimited budget).
    pub fn deadline(&self) -> Instant {
        self.start
            .checked_add(self.limit)
            .unwrap_or_else(|| self.start + Duration::from_secs(100 * 365 * 86_400))
    }

    /// Time since the budget started.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Time left.
    pub fn remaining(&self) -> Duration {
        self.deadline().saturating_duration_since(Instant::now())
    }

    /// True once the time is used up.
    pub fn expired(&self) -> bool {
        Instant::now() >= self.deadline()
    }

    /// True once the stop flag is raised.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// The stop flag, for code that polls it itself (e.g. HiGHS callbacks).
    pub fn stop_flag(&self) -> &Arc<AtomicBool> {
        &self.stop
    }

    /// A part starting now with `fraction` (clamped to `[0, 1]`) of the
    /// time left.
    pub fn share(&self, fraction: f64) -> Budget {
        let limit = self.remaining().mul_f64(fraction.clamp(0.0, 1.0));
        self.part(Instant::now(), limit)
    }

    /// A part starting now and ending when `fraction` (clamped to `[0, 1]`)
    /// of this budget's whole limit has passed since its start.
    pub fn first(&self, fraction: f64) -> Budget {
        let end = self.start + self.limit.mul_f64(fraction.clamp(0.0, 1.0));
        self.until(end)
    }

    /// A part starting now and ending at `end` or at this budget's deadline,
    /// whichever comes first.
    pub fn until(&self, end: Instant) -> Budget {
        let now = Instant::now();
        let end = end.min(self.deadline());
        self.part(now, end.saturating_duration_since(now))
    }

    /// The same part, with at most `limit` of time from its start.
    pub fn at_most(mut self, limit: Duration) -> Budget {
        self.limit = self.limit.min(limit);
        self
    }

    fn part(&self, start: Instant, limit: Duration) -> Budget {
        Budget {
            start,
            limit,
            ..self.clone()
        }
    }
}

impl Default for Budget {
    /// Thirty seconds, the CLI's default time limit.
    fn default() -> Budget {
        Budget::new(Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_end_within_their_budget_and_share_the_stop_flag() {
        let b = Budget::new(Duration::from_secs(10));
        let s = b.share(0.5);
        assert!(s.limit() <= Duration::from_secs(5));
        assert!(s.deadline() <= b.deadline());
        let f = b.first(0.6);
        assert!(f.deadline() <= b.start() + Duration::from_secs(6));
        let u = b.until(b.start() + Duration::from_secs(60));
        assert!(u.deadline() <= b.deadline());
        assert!(b.share(0.8).at_most(Duration::from_secs(1)).limit() <= Duration::from_secs(1));
        b.stop_flag().store(true, Ordering::Relaxed);
        assert!(s.stopped() && f.stopped() && u.stopped());
    }

    #[test]
    fn a_zero_budget_is_expired_at_once() {
        let b = Budget::new(Duration::ZERO);
        assert!(b.expired());
        assert_eq!(b.share(0.5).limit(), Duration::ZERO);
    }

    #[test]
    fn an_unlimited_budget_has_a_deadline() {
        let b = Budget::new(Duration::MAX);
        assert!(!b.expired());
        assert!(b.remaining() > Duration::from_secs(86_400));
    }
}
