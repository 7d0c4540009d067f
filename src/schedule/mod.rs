//! Scheduling: the abstract problem, the constructive heuristics, the
//! integer program on HiGHS, and the hybrid search that combines them.

pub mod bench;
pub mod milp;
pub mod problem;
pub mod solve;
pub mod window;

pub use problem::*;
