//! Scheduling: the abstract problem, the constructive heuristics, the
//! integer program on HiGHS, and the hybrid search that combines them.

#[cfg(feature = "solver")]
pub mod bench;
pub mod bound;
pub mod capacity;
pub mod check;
pub mod exact;
#[cfg(feature = "solver")]
pub mod milp;
#[cfg(feature = "solver")]
pub mod optimise;
pub mod problem;
pub mod psplib;
pub mod rng;
pub mod search;
pub mod sgs;
#[cfg(feature = "solver")]
pub mod solve;
#[cfg(feature = "solver")]
mod usage;
pub mod window;

pub use problem::*;
