//! Time windows from critical-path analysis, ignoring resources.
//!
//! The forward pass gives every activity its earliest start (`es`): the first
//! day, no earlier than its release, on which some mode may start and every
//! predecessor link is satisfied when predecessors start as early as they can.
//! The backward pass gives the latest start (`ls`): the last day on which some
//! mode may start and still end in time for every successor's latest start
//! and for the horizon. Any feasible schedule starts each activity inside
//! `[es, ls]`, so the windows bound the integer program and the search.
//!
//! Mode end days are assumed non-decreasing in the start day, which holds for
//! fixed durations and for calendar tables alike.
//!
//! [`forward_pass`] is the one forward pass of the crate: the windows here,
//! the network-plan analysis ([`crate::plan::cpm::analyse`], one mode per activity
//! and hand-over links added) and the explanation of a late plan
//! ([`crate::plan::explain`], unlimited crews and no horizon) differ only in how
//! an activity is placed once its predecessors allow it to start, which
//! they pass in.

use super::problem::{ActId, Day, Link, LinkKind, Problem};

/// The day link `l` lets its successor start, when its predecessor starts
/// on `start` and ends (exclusive) on `end`: `end + lag` for finish-to-start,
/// `start + lag` for start-to-start.
pub fn link_ready(l: &Link, start: Day, end: Day) -> i64 {
    let base = match l.kind {
        LinkKind::FinishToStart => end,
        LinkKind::StartToStart => start,
    };
    base as i64 + l.lag as i64
}

/// Earliest starts and ends from a forward pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    /// The day the release and the links let each activity start, before
    /// its own calendar is asked (`ES` when it may start that day).
    pub ready: Vec<Day>,
    /// Earliest start per activity (`ready` where it could not be placed).
    pub es: Vec<Day>,
    /// Earliest end (exclusive) per activity; `None` when it could not be
    /// placed, or a finish-to-start predecessor could not be.
    pub ef: Vec<Option<Day>>,
}

/// The forward pass of the critical-path method over `links` among the
/// activities of `p`, in the topological `order` of those links: each
/// activity is ready on the latest of its release and `link_ready` of
/// every link into it (clamped to the day grid's range), and `place(a,
/// ready)` then gives its earliest start and end, or `None` when it cannot
/// start anywhere. An activity with a finish-to-start predecessor that could
/// not be placed is not placed either. The first error of `place` ends the
/// pass.
pub fn forward_pass<E>(
    p: &Problem,
    links: &[Link],
    order: &[ActId],
    mut place: impl FnMut(ActId, Day) -> Result<Option<(Day, Day)>, E>,
) -> Result<Forward, E> {
    let n = p.activities.len();
    let mut inn = vec![Vec::new(); n];
    for l in links {
        inn[l.to].push(l);
    }
    let mut fw = Forward {
        ready: vec![0; n],
        es: vec![0; n],
        ef: vec![None; n],
    };
    for &b in order {
        let mut ready = p.activities[b].release as i64;
        let mut blocked = false;
        for l in &inn[b] {
            let end = fw.ef[l.from].unwrap_or_else(|| {
                blocked |= l.kind == LinkKind::FinishToStart;
                0
            });
            ready = ready.max(link_ready(l, fw.es[l.from], end));
        }
        let ready = ready.clamp(0, Day::MAX as i64) as Day;
        fw.ready[b] = ready;
        fw.es[b] = ready;
        if blocked {
            continue;
        }
        if let Some((s, e)) = place(b, ready)? {
            fw.es[b] = s;
            fw.ef[b] = Some(e);
        }
    }
    Ok(fw)
}

/// Earliest and latest start of every activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Windows {
    /// Earliest start day per activity.
    pub es: Vec<Day>,
    /// Latest start day per activity.
    pub ls: Vec<Day>,
    /// Earliest end (exclusive) per activity, over all modes.
    pub ef: Vec<Day>,
    /// Latest end (exclusive) per activity.
    pub lf: Vec<Day>,
}

/// Why no window exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// The links form a cycle.
    #[error("the precedence links contain a cycle")]
    Cycle,
    /// Some activity cannot fit between its predecessors and the horizon.
    #[error("activity `{name}` cannot be scheduled before the horizon (earliest start {es}, latest start {ls:?})")]
    NoRoom {
        /// The activity.
        activity: ActId,
        /// Its name.
        name: String,
        /// Its earliest start.
        es: Day,
        /// Its latest start, if any day at all remains.
        ls: Option<Day>,
    },
}

/// First day `>= from` on which some mode of `a` may start, and the earliest
/// end among modes starting then or later.
fn first_start(p: &Problem, a: ActId, from: Day) -> Option<(Day, Day)> {
    let mut best: Option<(Day, Day)> = None;
    for m in &p.activities[a].modes {
        for s in from..=p.horizon {
            if let Some(e) = m.timing.end(s) {
                if e <= p.horizon {
                    best = Some(match best {
                        None => (s, e),
                        Some((bs, be)) => (bs.min(s), be.min(e)),
                    });
                }
                break;
            }
        }
    }
    best
}

/// Last day `s` with `s <= max_start` on which some mode of `a` may start and
/// end no later than `max_end`; also the latest such end.
fn last_start(p: &Problem, a: ActId, max_start: Day, max_end: Day) -> Option<(Day, Day)> {
    let mut best: Option<(Day, Day)> = None;
    for m in &p.activities[a].modes {
        let mut s = max_start.min(p.horizon) as i64;
        while s >= 0 {
            if let Some(e) = m.timing.end(s as Day) {
                if e <= max_end {
                    best = Some(match best {
                        None => (s as Day, e),
                        Some((bs, be)) => (bs.max(s as Day), be.max(e)),
                    });
                    break;
                }
            }
            s -= 1;
        }
    }
    best
}

impl Windows {
    /// Runs the forward and backward passes.
    pub fn compute(p: &Problem) -> Result<Windows, WindowError> {
        Self::compute_with_deadlines(p, &[])
    }

    /// Like [`Windows::compute`], with extra deadlines: each `(a, d)` makes
    /// activity `a` end by day `d`, and the backward pass carries that to
    /// its predecessors (used to test whether a due group can end by `d`).
    pub fn compute_with_deadlines(
        p: &Problem,
        deadlines: &[(ActId, Day)],
    ) -> Result<Windows, WindowError> {
        let order = p.topological_order().ok_or(WindowError::Cycle)?;
        let n = p.activities.len();
        let out = p.out_links();
        let fw = forward_pass(p, &p.links, &order, |b, ready| {
            first_start(p, b, ready)
                .map(Some)
                .ok_or_else(|| WindowError::NoRoom {
                    activity: b,
                    name: p.activities[b].name.clone(),
                    es: ready,
                    ls: None,
                })
        })?;
        let es = fw.es;
        // Every activity was placed: `place` fails where one cannot be.
        let ef: Vec<Day> = fw.ef.into_iter().map(|e| e.unwrap_or(0)).collect();
        let mut end_by = vec![p.horizon; n];
        for &(a, d) in deadlines {
            end_by[a] = end_by[a].min(d);
        }
        let mut ls = vec![0; n];
        let mut lf = vec![0; n];
        for &a in order.iter().rev() {
            let mut max_start = p.horizon as i64;
            let mut max_end = end_by[a] as i64;
            for &li in &out[a] {
                let l = &p.links[li];
                match l.kind {
                    LinkKind::FinishToStart => {
                        max_end = max_end.min(ls[l.to] as i64 - l.lag as i64)
                    }
                    LinkKind::StartToStart => {
                        max_start = max_start.min(ls[l.to] as i64 - l.lag as i64)
                    }
                }
            }
            let found = if max_start < 0 || max_end < 0 {
                None
            } else {
                last_start(p, a, max_start as Day, max_end as Day)
            };
            match found {
                Some((s, e)) if s >= es[a] => {
                    ls[a] = s;
                    lf[a] = e;
                }
                other => {
                    return Err(WindowError::NoRoom {
                        activity: a,
                        name: p.activities[a].name.clone(),
                        es: es[a],
                        ls: other.map(|(s, _)| s),
                    })
                }
            }
        }
        Ok(Windows { es, ls, ef, lf })
    }

    /// The chain of activities that pushes `a` to its earliest start: from a
    /// first activity with no binding predecessor, through each predecessor
    /// whose link sets the successor's earliest start, to `a`.
    pub fn binding_chain(&self, p: &Problem, a: ActId) -> Vec<ActId> {
        let inn = p.in_links();
        let mut chain = vec![a];
        let mut cur = a;
        while chain.len() <= p.activities.len() {
            let binding = inn[cur].iter().map(|&li| &p.links[li]).max_by_key(|l| {
                (
                    link_ready(l, self.es[l.from], self.ef[l.from]),
                    std::cmp::Reverse(l.from),
                )
            });
            match binding {
                Some(l) => {
                    cur = l.from;
                    chain.push(cur);
                }
                None => break,
            }
        }
        chain.reverse();
        chain
    }

    /// The critical-path lower bound on the makespan.
    pub fn critical_path_length(&self) -> Day {
        self.ef.iter().copied().max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::problem::*;

    fn act(name: &str, d: u32) -> Activity {
        Activity {
            name: name.into(),
            modes: vec![Mode {
                label: String::new(),
                demands: vec![],
                timing: Timing::Fixed(d),
                cost_per_day: 0,
            }],
            release: 0,
        }
    }

    fn chain(horizon: Day) -> Problem {
        Problem {
            name: "t".into(),
            horizon,
            resources: vec![],
            activities: vec![act("a", 3), act("b", 2), act("c", 4)],
            links: vec![
                Link {
                    from: 0,
                    to: 1,
                    kind: LinkKind::FinishToStart,
                    lag: 1,
                },
                Link {
                    from: 0,
                    to: 2,
                    kind: LinkKind::StartToStart,
                    lag: 1,
                },
            ],
            spans: vec![],
            groups: vec![],
            objective: Objective::default(),
            baseline: None,
        }
    }

    #[test]
    fn forward_and_backward_pass() {
        let w = Windows::compute(&chain(10)).unwrap();
        assert_eq!(w.es, vec![0, 4, 1]);
        assert_eq!(w.ef, vec![3, 6, 5]);
        assert_eq!(w.ls, vec![4, 8, 6]);
        assert_eq!(w.lf, vec![7, 10, 10]);
        assert_eq!(w.critical_path_length(), 6);
    }

    #[test]
    fn forward_pass_places_after_the_links_and_blocks_behind_the_unplaced() {
        let p = chain(10);
        let order = p.topological_order().unwrap();
        let fixed = |a: ActId, ready: Day| {
            let Timing::Fixed(d) = p.activities[a].modes[0].timing else {
                unreachable!()
            };
            Ok::<_, ()>(Some((ready, ready + d)))
        };
        let fw = forward_pass(&p, &p.links, &order, fixed).unwrap();
        assert_eq!(fw.ready, vec![0, 4, 1]);
        assert_eq!(fw.ef, vec![Some(3), Some(6), Some(5)]);
        // `a` cannot be placed: `b` (finish-to-start after it) is not placed
        // either, `c` (start-to-start) still is.
        let fw = forward_pass(&p, &p.links, &order, |a, ready| {
            if a == 0 {
                Ok(None)
            } else {
                fixed(a, ready)
            }
        })
        .unwrap();
        assert_eq!(fw.es, vec![0, 1, 1]);
        assert_eq!(fw.ef, vec![None, None, Some(5)]);
        // The first error of `place` ends the pass.
        assert_eq!(forward_pass(&p, &p.links, &order, |_, _| Err(())), Err(()));
    }

    #[test]
    fn binding_chain_follows_the_latest_predecessor() {
        let p = chain(10);
        let w = Windows::compute(&p).unwrap();
        assert_eq!(w.binding_chain(&p, 1), vec![0, 1]);
        assert_eq!(w.binding_chain(&p, 0), vec![0]);
    }

    #[test]
    fn too_short_horizon_is_reported() {
        assert!(matches!(
            Windows::compute(&chain(5)),
            Err(WindowError::NoRoom { .. })
        ));
    }

    #[test]
    fn calendar_table_skips_rest_days() {
        let mut p = chain(20);
        // Activity b may only start on even days and takes 3 days then.
        let table = (0..=20u32)
            .map(|s| {
                if s % 2 == 0 && s + 3 <= 20 {
                    s + 3
                } else {
                    Timing::NO_START
                }
            })
            .collect();
        p.activities[1].modes[0].timing = Timing::Table(table);
        let w = Windows::compute(&p).unwrap();
        assert_eq!(w.es[1], 4);
        assert_eq!(w.ls[1], 16);
    }

    #[test]
    fn cycle_is_detected() {
        let mut p = chain(10);
        p.links.push(Link {
            from: 1,
            to: 0,
            kind: LinkKind::FinishToStart,
            lag: 0,
        });
        assert_eq!(Windows::compute(&p), Err(WindowError::Cycle));
    }
}
