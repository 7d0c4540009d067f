//! Scheduling: the abstract problem, the constructive heuristics, the
//! integer program on HiGHS, and the hybrid search that combines them.

pub mod check;
pub mod problem;
pub mod psplib;
pub mod search;
pub mod sgs;
pub mod window;

pub use problem::*;
