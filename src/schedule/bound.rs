//! A lower bound on the objective without solving anything.
//!
//! Cheap and always valid: it is what every result's gap is measured against
//! until the integer program proves a better bound.

use super::problem::Problem;
use super::window::{WindowError, Windows};

/// A valid lower bound on `p.score(..).value` of every feasible schedule:
/// the critical path and, per resource, the total work over the capacity
/// bound the finish; the earliest ends bound each group's lateness; the
/// cheapest mode bounds the cost; with a baseline, a start window that lies
/// wholly after (before) an activity's baseline start bounds its shift.
/// Fails when the time windows show the problem infeasible.
pub fn lower_bound(p: &Problem) -> Result<u64, WindowError> {
    let w = Windows::compute(p)?;
    let mut finish = w.critical_path_length() as u64;
    for (r, res) in p.resources.iter().enumerate() {
        let work: u64 = p
            .activities
            .iter()
            .map(|a| {
                a.modes
                    .iter()
                    .map(|m| {
                        let amt = m
                            .demands
                            .iter()
                            .filter(|d| d.0 == r)
                            .map(|d| d.1 as u64)
                            .sum::<u64>();
                        amt * m.timing.min_duration() as u64
                    })
                    .min()
                    .unwrap_or(0)
            })
            .sum();
        if res.capacity > 0 {
            finish = finish.max(work.div_ceil(res.capacity as u64));
        }
    }
    let lateness: u64 = p
        .groups
        .iter()
        .map(|g| {
            let fin = g.members.iter().map(|&a| w.ef[a]).max().unwrap_or(0);
            g.weight * fin.saturating_sub(g.due) as u64
        })
        .sum();
    let cost: u64 = p
        .activities
        .iter()
        .map(|a| {
            a.modes
                .iter()
                .map(|m| m.cost_per_day as u64 * m.timing.min_duration() as u64)
                .min()
                .unwrap_or(0)
        })
        .sum();
    let deviation: u64 = p.baseline.as_ref().map_or(0, |b| {
        (0..p.activities.len())
            .filter_map(|a| {
                let base = b.starts[a]? as i64;
                let forced = (w.es[a] as i64 - base).max(base - w.ls[a] as i64).max(0);
                Some(b.shift_weight * forced as u64)
            })
            .sum()
    });
    let o = p.objective;
    Ok(o.lateness * lateness + deviation + o.finish * finish + o.cost * cost)
}
