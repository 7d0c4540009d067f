//! The windows of the large-neighbourhood search (which activities a
//! sub-model frees, and how far) and how its rounds are shared among them.

use crate::schedule::milp::Domain;
use crate::schedule::problem::{Day, Problem, Schedule, Score};
use crate::schedule::rng::Rng;

/// Domains of one LNS move: activities the incumbent starts before `t` are
/// fixed; the `k` next ones (by start) are free; the rest keep their mode and
/// may move up to `shift` days earlier.
pub(super) fn neighbourhood(inc: &Schedule, t: Day, k: usize, shift: Day) -> Vec<Domain> {
    let mut later: Vec<usize> = (0..inc.starts.len())
        .filter(|&a| inc.starts[a] >= t)
        .collect();
    later.sort_by_key(|&a| inc.starts[a]);
    let mut doms = all_fixed(inc);
    for (i, &a) in later.iter().enumerate() {
        let (s, m) = (inc.starts[a], inc.modes[a]);
        doms[a] = if i < k {
            Domain::free()
        } else {
            Domain {
                mode: Some(m),
                lo: s.saturating_sub(shift),
                hi: s,
            }
        };
    }
    doms
}

/// Rounds of the large-neighbourhood search without a gain above the
/// crew-days (households, time nodes, finish) after which, when no household
/// is late, most rounds go to the crew-days. On the city (60 s, shared
/// machine) the levels above stop moving after about 20 rounds, and the
/// rounds given to them after that found nothing.
pub(super) const STALL_ROUNDS: usize = 20;

/// How the rounds of the large-neighbourhood search are shared, in quarters
/// of the rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mix {
    /// Quarters aimed at a missed time node (when one is missed).
    pub(super) node: u64,
    /// Quarters of the rest that free a window both ways (crew-days).
    pub(super) crew_days: u64,
    /// The levels above the crew-days have stalled.
    pub(super) stalled: bool,
}

impl Mix {
    /// The mix for an incumbent scored `score`, `stall` rounds after the
    /// last gain above the crew-days; `priced`: some activity costs
    /// crew-days (and the search looks after them). Before a stall: half
    /// the rounds for a missed node, and half the others (a quarter while a
    /// household is late) both ways. After [`STALL_ROUNDS`] with no
    /// household late: still half for a missed node (that level is above
    /// the crew-days) and three quarters of the rest both ways. Households
    /// late never count as stalled: that level is worth any number of
    /// rounds.
    pub(super) fn of(score: &Score, stall: usize, priced: bool) -> Mix {
        let stalled = priced && score.weighted_lateness == 0 && stall >= STALL_ROUNDS;
        let crew_days = match (priced, stalled, score.weighted_lateness) {
            (false, _, _) => 0,
            (_, true, _) => 3,
            (_, _, 0) => 2,
            _ => 1,
        };
        Mix {
            node: 2,
            crew_days,
            stalled,
        }
    }
}

/// Domains of an LNS move that lets work move later as well as earlier: the
/// `k` activities starting nearest to `t` may start up to `shift` days
/// before or after their incumbent start, in any mode; the rest is fixed.
/// Later starts are what the forward windows of [`neighbourhood`] lack: work
/// that moves out of a holiday or a slow season, or makes way for work that
/// costs more crew-days where it is, often has to start later.
pub(super) fn two_sided_neighbourhood(inc: &Schedule, t: Day, k: usize, shift: Day) -> Vec<Domain> {
    let mut doms = all_fixed(inc);
    let mut near: Vec<usize> = (0..inc.starts.len()).collect();
    near.sort_by_key(|&a| (inc.starts[a].abs_diff(t), a));
    for &a in near.iter().take(k) {
        let s = inc.starts[a];
        doms[a] = Domain {
            mode: None,
            lo: s.saturating_sub(shift),
            hi: s + shift,
        };
    }
    doms
}

/// Domains of an LNS move aimed at the crew-days of one activity `at` and
/// the work competing with it: `at`, its direct predecessors and successors,
/// and the activities holding a resource any of `at`'s modes demands (the
/// crews of every contractor it may go to), nearest in start to `at`, `k` in
/// all, may start up to `shift` days before or after their incumbent start,
/// in any mode; the rest is fixed. Unlike [`two_sided_neighbourhood`], whose
/// nearest starts lie all over the city, these are the jobs that must give
/// way or swap for `at` to move out of a holiday or the rainy season or to
/// a faster contractor.
pub(super) fn crew_neighbourhood(
    p: &Problem,
    inc: &Schedule,
    at: usize,
    k: usize,
    shift: Day,
) -> Vec<Domain> {
    let mut doms = all_fixed(inc);
    let mut res = vec![false; p.resources.len()];
    for m in &p.activities[at].modes {
        for &(r, _) in &m.demands {
            res[r] = true;
        }
    }
    let mut chosen = vec![at];
    for l in &p.links {
        if l.from == at {
            chosen.push(l.to);
        } else if l.to == at {
            chosen.push(l.from);
        }
    }
    let t = inc.starts[at];
    let mut near: Vec<usize> = (0..inc.starts.len())
        .filter(|&a| {
            p.activities[a].modes[inc.modes[a]]
                .demands
                .iter()
                .any(|&(r, u)| u > 0 && res[r])
        })
        .collect();
    near.sort_by_key(|&a| (inc.starts[a].abs_diff(t), a));
    chosen.extend(near);
    let mut taken = 0;
    for a in chosen {
        if taken == k.max(1) {
            break;
        }
        if doms[a].mode.is_none() {
            continue;
        }
        let s = inc.starts[a];
        doms[a] = Domain {
            mode: None,
            lo: s.saturating_sub(shift),
            hi: s + shift,
        };
        taken += 1;
    }
    doms
}

/// A random activity among those that hold their crew longer than they
/// would in another mode or at another start at most `shift` days away
/// (the activities a two-sided window around them may make cheaper), or
/// `None` when there is none.
pub(super) fn dear_activity(
    p: &Problem,
    inc: &Schedule,
    rng: &mut Rng,
    shift: Day,
) -> Option<usize> {
    let dear: Vec<usize> = (0..inc.starts.len())
        .filter(|&a| {
            let act = &p.activities[a];
            let cost = |m: usize, s: Day| {
                p.end(a, m, s)
                    .map(|e| act.modes[m].cost_per_day as u64 * (e - s) as u64)
            };
            let s0 = inc.starts[a];
            let Some(now) = cost(inc.modes[a], s0) else {
                return false;
            };
            now > 0
                && (0..act.modes.len()).any(|m| {
                    (s0.saturating_sub(shift)..=s0 + shift)
                        .any(|s| cost(m, s).is_some_and(|c| c < now))
                })
        })
        .collect();
    (!dear.is_empty()).then(|| dear[(rng.next_u64() % dear.len() as u64) as usize])
}

/// Domains of an LNS move aimed at a missed time node: one node group the
/// incumbent finishes late is drawn, and the start `t` of a random activity
/// among those it follows (its cone: members and their predecessors). As in
/// [`neighbourhood`], what starts before `t` is fixed and the rest may only
/// move earlier, except `k` activities starting at `t` or later that are
/// free: half of them the cone's, by start, so that the node's work may take
/// the crews earlier, the rest whatever starts next, so that the work
/// holding those crews may give way. `None` when no node is late.
pub(super) fn missed_node_neighbourhood(
    p: &Problem,
    inc: &Schedule,
    rng: &mut Rng,
    k: usize,
    shift: Day,
) -> Option<Vec<Domain>> {
    let end = |a: usize| {
        p.end(a, inc.modes[a], inc.starts[a])
            .unwrap_or(inc.starts[a])
    };
    let late: Vec<&crate::schedule::problem::DueGroup> = p
        .groups
        .iter()
        .filter(|g| g.level == crate::schedule::problem::Level::Node)
        .filter(|g| g.members.iter().map(|&a| end(a)).max().unwrap_or(0) > g.due)
        .collect();
    if late.is_empty() {
        return None;
    }
    let g = late[(rng.next_u64() % late.len() as u64) as usize];
    let inn = p.in_links();
    let mut cone = vec![false; p.activities.len()];
    let mut stack = g.members.clone();
    while let Some(a) = stack.pop() {
        if !std::mem::replace(&mut cone[a], true) {
            stack.extend(inn[a].iter().map(|&l| p.links[l].from));
        }
    }
    let in_cone: Vec<usize> = (0..cone.len()).filter(|&a| cone[a]).collect();
    let t = inc.starts[in_cone[(rng.next_u64() % in_cone.len() as u64) as usize]];
    let mut doms = neighbourhood(inc, t, 0, shift);
    let mut later: Vec<usize> = (0..inc.starts.len())
        .filter(|&a| inc.starts[a] >= t)
        .collect();
    later.sort_by_key(|&a| inc.starts[a]);
    let (ours, others): (Vec<usize>, Vec<usize>) = later.into_iter().partition(|&a| cone[a]);
    let half = k.div_ceil(2).min(ours.len());
    for &a in ours.iter().take(half).chain(others.iter().take(k - half)) {
        doms[a] = Domain::free();
    }
    Some(doms)
}

/// Every activity held at its incumbent start and mode: the domains a
/// window then frees some of.
fn all_fixed(inc: &Schedule) -> Vec<Domain> {
    inc.starts
        .iter()
        .zip(&inc.modes)
        .map(|(&s, &m)| Domain::fixed(m, s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::milp::check_schedule;
    use crate::schedule::milp::tests::{fs, job, problem};
    use crate::schedule::problem::*;

    #[test]
    fn two_sided_windows_free_the_nearest_work_both_ways() {
        let inc = Schedule {
            starts: vec![0, 5, 10, 20],
            modes: vec![1, 0, 0, 0],
        };
        let doms = two_sided_neighbourhood(&inc, 9, 2, 3);
        assert_eq!(doms[0], Domain::fixed(1, 0));
        assert_eq!(doms[3], Domain::fixed(0, 20));
        let both = |lo, hi| Domain { mode: None, lo, hi };
        assert_eq!(doms[1], both(2, 8));
        assert_eq!(doms[2], both(7, 13));
    }

    #[test]
    fn crew_windows_free_the_work_competing_for_the_crews() {
        // x may go to crew 0 or crew 1; p precedes it on crew 2; a and b
        // work on crews 0 and 1 near x, f on crew 0 far later, o on crew 2
        // right beside x (but on no crew x may use).
        let mut p = problem(
            100,
            &[1, 1, 1],
            vec![
                job("x", 3, &[(0, 1)]),
                job("p", 3, &[(2, 1)]),
                job("a", 3, &[(0, 1)]),
                job("b", 3, &[(1, 1)]),
                job("f", 3, &[(0, 1)]),
                job("o", 3, &[(2, 1)]),
            ],
            vec![fs(1, 0, 0)],
        );
        let mut other = p.activities[0].modes[0].clone();
        other.demands = vec![(1, 1)];
        p.activities[0].modes.push(other);
        let inc = Schedule {
            starts: vec![20, 10, 23, 30, 60, 21],
            modes: vec![0; 6],
        };
        check_schedule(&p, &inc).unwrap();
        let doms = crew_neighbourhood(&p, &inc, 0, 4, 5);
        let both = |s: Day| Domain {
            mode: None,
            lo: s - 5,
            hi: s + 5,
        };
        assert_eq!(doms[0], both(20));
        assert_eq!(doms[1], both(10));
        assert_eq!(doms[2], both(23));
        assert_eq!(doms[3], both(30));
        assert_eq!(doms[4], Domain::fixed(0, 60));
        assert_eq!(doms[5], Domain::fixed(0, 21));
    }

    #[test]
    fn crew_day_rounds_take_over_only_once_the_levels_above_stall() {
        let score = |wl, node| Score {
            weighted_lateness: wl,
            node_lateness: node,
            makespan: 10,
            cost: 5,
            value: 0,
        };
        let early = Mix::of(&score(0, 3), STALL_ROUNDS - 1, true);
        assert_eq!((early.node, early.crew_days, early.stalled), (2, 2, false));
        let late = Mix::of(&score(0, 3), STALL_ROUNDS, true);
        assert_eq!((late.node, late.crew_days, late.stalled), (2, 3, true));
        // Households late: never stalled; nothing priced: no crew-day rounds.
        let hh = Mix::of(&score(4, 0), 10 * STALL_ROUNDS, true);
        assert_eq!((hh.node, hh.crew_days, hh.stalled), (2, 1, false));
        let free = Mix::of(&score(0, 0), 10 * STALL_ROUNDS, false);
        assert_eq!((free.crew_days, free.stalled), (0, false));
    }

    /// Random programmes of 14 jobs on two one-crew pools (each job may go
    /// to the other pool one day slower), whose calendar adds 3 days to a
    /// job across day 10, with links and a due group, started from a serial
    /// plan: a work-limited search (60 rounds, past the stall, so crew
    /// windows run) keeps every plan feasible and never worse on any level
    /// above the first it gains on, and gains crew-days on some.
    #[test]
    fn the_dear_activity_is_the_one_across_the_holiday() {
        // Two 2-day jobs; started on day 9 a job runs across a 3-day
        // holiday (ends on day 14). Job 0 sits there, job 1 on day 2.
        let table: Vec<Day> = (0..=30u32)
            .map(|s| match s {
                9 => 14,
                s if s + 2 <= 30 => s + 2,
                _ => Timing::NO_START,
            })
            .collect();
        let mut p = problem(30, &[], vec![job("x", 2, &[]), job("y", 2, &[])], vec![]);
        for act in &mut p.activities {
            act.modes[0].timing = Timing::Table(table.clone());
            act.modes[0].cost_per_day = 1;
        }
        let inc = Schedule {
            starts: vec![9, 2],
            modes: vec![0, 0],
        };
        let mut rng = Rng::new(3);
        for _ in 0..10 {
            assert_eq!(dear_activity(&p, &inc, &mut rng, 2), Some(0));
        }
        let cheap = Schedule {
            starts: vec![12, 2],
            modes: vec![0, 0],
        };
        assert_eq!(dear_activity(&p, &cheap, &mut rng, 2), None);
    }
}
