//! Scheduling: the abstract problem, the constructive heuristics, the
//! integer program on HiGHS, and the hybrid search that combines them.

#[cfg(feature = "solver")]
pub mod bench;
pub mod bound;
pub mod check;
pub mod exact;
pub mod heuristic;
#[cfg(feature = "solver")]
pub mod lns;
#[cfg(feature = "solver")]
pub mod milp;
#[cfg(feature = "solver")]
pub mod portfolio;
pub mod problem;
pub mod psplib;
pub mod sgs;
#[cfg(feature = "solver")]
mod usage;
pub mod window;

pub use problem::*;
