//! heatplan: schedules the construction of district-heating networks.
//!
//! Data flows one way: scenario → activities → model → solution → network
//! plan → reports. Each stage is a plain value; only the CLI does I/O.

pub mod calendar;
pub mod scenario;
pub mod schedule;
