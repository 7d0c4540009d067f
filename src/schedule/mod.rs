//! Scheduling: the abstract problem, the constructive heuristics, the
//! integer program on HiGHS, and the hybrid search that combines them.

pub mod problem;
pub mod search;
pub mod window;

pub use problem::*;
