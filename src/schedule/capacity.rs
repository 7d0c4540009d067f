//! The crew-days (capacity) argument, one function shared by the lower
//! bound ([`super::bound`]), the explanation of a late plan
//! ([`crate::plan::explain`]) and find-minimum ([`crate::compare::minimum`]).
//!
//! Work that only one set of crews can do and that cannot start before day
//! `t` has to be done by those crews on the days from `t` on: `W(t)`
//! crew-days of it take a set of `c` crews at least `W(t) / c` days of work
//! after `t`. [`backlog`] gives `W(t)` for every day `t` on which some of
//! the work may start. The bound turns each into a finish day no plan can
//! beat (`t + ⌈W(t) / c⌉`); the explanation and find-minimum compare all the
//! work, from the first day any of it may start, with the crew-days the
//! crews have from then to the deadline (crews × working days, or × days).

use super::problem::Day;
use std::ops::{Add, Sub};

/// The work that cannot start before a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backlog<W> {
    /// The first day on which the work may start.
    pub from: Day,
    /// The work (crew-days or resource-days) of the jobs that may start on
    /// `from` or later.
    pub work: W,
}

/// For every day on which some job of `jobs` (earliest start, work) may
/// start, earliest first: the work of the jobs that cannot start before it.
/// The first entry holds all the work, summed in the order of `jobs`; empty
/// when there are no jobs.
pub fn backlog<W>(jobs: &[(Day, W)]) -> Vec<Backlog<W>>
where
    W: Copy + Default + Add<Output = W> + Sub<Output = W>,
{
    let total = jobs.iter().fold(W::default(), |sum, &(_, w)| sum + w);
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| jobs[i].0);
    let mut out: Vec<Backlog<W>> = Vec::new();
    // The work of the jobs that may start before the current day.
    let mut earlier = W::default();
    for &i in &order {
        let (from, w) = jobs[i];
        if out.last().is_none_or(|last| last.from != from) {
            out.push(Backlog {
                from,
                work: total - earlier,
            });
        }
        earlier = earlier + w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backlog_sums_the_work_that_starts_later() {
        let jobs = [(3, 2u64), (0, 5), (3, 1), (7, 4)];
        assert_eq!(
            backlog(&jobs),
            vec![
                Backlog { from: 0, work: 12 },
                Backlog { from: 3, work: 7 },
                Backlog { from: 7, work: 4 },
            ]
        );
        assert_eq!(backlog::<f64>(&[]), vec![]);
    }
}
