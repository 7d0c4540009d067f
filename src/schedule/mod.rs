//! Scheduling: the abstract problem, the constructive heuristics, the
//! integer program on HiGHS, and the hybrid search that combines them.

pub mod bench;
pub mod bound;
pub mod check;
pub mod milp;
pub mod optimise;
pub mod problem;
pub mod psplib;
pub mod search;
pub mod sgs;
pub mod solve;
pub mod window;

pub use problem::*;
