//! A day-by-day resource profile: how many units of each resource the
//! activities placed so far hold on each day, as `usage[resource][day]`.
//! Shared by the left-justification of the search and the pruning of the
//! integer program's columns.

use super::problem::{Day, Problem};

/// Adds (`sign` 1) or removes (`sign` −1) activity `a`'s demands in mode `m`
/// on the days `[s, e)` inside the horizon.
pub(super) fn hold(
    p: &Problem,
    usage: &mut [Vec<u64>],
    a: usize,
    m: usize,
    s: Day,
    e: Day,
    sign: i64,
) {
    for &(r, u) in &p.activities[a].modes[m].demands {
        for d in s..e.min(p.horizon) {
            let v = &mut usage[r][d as usize];
            *v = (*v as i64 + sign * u as i64) as u64;
        }
    }
}

/// True when activity `a`'s demands in mode `m` fit on every day of
/// `[s, e)` on top of `usage`.
pub(super) fn fits(p: &Problem, usage: &[Vec<u64>], a: usize, m: usize, s: Day, e: Day) -> bool {
    p.activities[a].modes[m].demands.iter().all(|&(r, u)| {
        let cap = p.resources[r].capacity as u64;
        (s..e).all(|d| usage[r][d as usize] + u as u64 <= cap)
    })
}
