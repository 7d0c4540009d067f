//! Temporary stub until the heuristic lands.
use super::{Problem, Schedule};
/// Options.
pub struct HeuristicOptions {
    /// Time limit.
    pub time_limit: std::time::Duration,
    /// Seed.
    pub seed: u64,
    /// Stop flag.
    pub stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// Iteration cap.
    pub max_iterations: Option<usize>,
}
/// Stub.
pub fn heuristic(_p: &Problem, _o: &HeuristicOptions) -> Option<Schedule> {
    None
}
/// Stub.
pub fn lower_bound(_p: &Problem) -> u64 {
    0
}
