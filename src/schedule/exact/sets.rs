//! A linear-programming test over feasible sets: could the activities fit
//! their windows even if they were allowed to pause?
//!
//! Propagation reasons about one activity, or two, at a time. On tightly
//! constrained instances the proof that no schedule ends by `T` often needs
//! the whole picture: which activities *can* run side by side at all. This
//! test, after Brucker and Knust's preemptive relaxation, asks HiGHS.
//!
//! The days `[0, T)` are cut at every window bound (earliest and latest
//! start and end of every activity) into intervals. In an interval only the
//! activities whose windows cover it may run, and at any moment the running
//! ones form a *feasible set*: no two linked by a chain of precedences that
//! keeps them apart, and together within every capacity. Each set is
//! extended to a maximal one, so only maximal sets are needed. The linear
//! program chooses how long each maximal set runs in each interval:
//!
//! * the sets of an interval run no longer than it lasts, in all;
//! * every activity runs at least its duration, in all;
//! * every activity runs in each interval at least the part its window
//!   forces there: the smaller overlap of the interval with the activity
//!   started at its earliest and at its latest start (overlap is unimodal in
//!   the start, so no start in between overlaps less).
//!
//! Every schedule that fits the windows satisfies these, so when the least
//! total shortfall (an elastic slack per requirement) is positive, no
//! schedule fits and the search node fails. The maximal sets are
//! enumerated once per set of available activities (an interval with too
//! many makes the test give up rather than guess). The program itself is
//! solved by column generation: it starts from the sets that ran in the
//! previous test's solution, and each round adds, per interval, the set
//! whose column the duals price best, until none would lower the shortfall.
//!
//! Each round's program is built and solved with good_lp on HiGHS (no
//! callbacks are needed, only the primal values and the row duals). good_lp
//! cannot add a column to a solved program, so every round solves anew
//! rather than from the previous basis; on PSPLIB j30 with 9.5 s per
//! instance that proved as many instances as the `highs` crate's
//! incremental version, in about the same time (the programs have tens of
//! rows and at most a few hundred columns).

use good_lp::{
    constraint, variable, DualValues, Expression, ProblemVariables, Solution, SolutionStatus,
    SolutionWithDual, SolverModel, Variable,
};
use std::collections::HashMap;

use super::Net;

/// The most maximal sets the test enumerates before it gives up.
const MAX_SETS: usize = 20_000;

/// A shortfall above this proves the windows infeasible: durations are whole
/// days, and HiGHS's tolerances are far smaller.
const SHORTFALL: f64 = 1e-4;

/// The precedence structure the test needs, computed once per problem.
pub(super) struct SetTest {
    /// `apart[i][j]`: a chain of links keeps `i` and `j` from overlapping.
    apart: Vec<Vec<bool>>,
    /// The maximal sets of every set of available activities met so far
    /// (they do not depend on the windows).
    known: HashMap<Vec<usize>, Family>,
}

/// The maximal feasible sets of one set of available activities.
struct Family {
    sets: Vec<Vec<usize>>,
    /// The sets that ran in the last solution: the next test starts with
    /// them, which saves most of the column generation.
    ran: Vec<usize>,
}

impl SetTest {
    /// Longest start distances over the links decide which activities can
    /// never run at the same time.
    pub(super) fn new(net: &Net) -> SetTest {
        let n = net.dur.len();
        let none = i64::MIN / 4;
        let mut dist = vec![vec![none; n]; n];
        for &(a, b, d) in &net.forward {
            dist[a][b] = dist[a][b].max(d);
        }
        for k in 0..n {
            for i in 0..n {
                if dist[i][k] == none {
                    continue;
                }
                for j in 0..n {
                    if dist[k][j] != none {
                        dist[i][j] = dist[i][j].max(dist[i][k] + dist[k][j]);
                    }
                }
            }
        }
        let apart = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        (dist[i][j] != none && dist[i][j] >= net.dur[i])
                            || (dist[j][i] != none && dist[j][i] >= net.dur[j])
                    })
                    .collect()
            })
            .collect();
        SetTest {
            apart,
            known: HashMap::new(),
        }
    }

    /// True when no schedule, even one whose activities may pause, fits the
    /// windows `[est, lst]` (starts) with every activity ending by `t`.
    /// False when one might, or when the test gave up: past [`MAX_SETS`], or
    /// once `late()` (asked every few thousand enumeration steps and at every
    /// round of the column generation, so that one test never outlasts the
    /// caller's limit by much: on PSPLIB j60 a single root test was measured
    /// at 3.4 s).
    pub(super) fn refutes(
        &mut self,
        net: &Net,
        est: &[i64],
        lst: &[i64],
        t: i64,
        late: &dyn Fn() -> bool,
    ) -> bool {
        let acts = &net.branchable;
        let mut cuts: Vec<i64> = vec![0, t];
        for &a in acts {
            let d = net.dur[a];
            cuts.extend([est[a], lst[a], est[a] + d, lst[a] + d]);
        }
        cuts.retain(|&c| (0..=t).contains(&c));
        cuts.sort_unstable();
        cuts.dedup();
        let mut intervals: Vec<(i64, i64, Vec<usize>)> = Vec::new();
        for w in cuts.windows(2) {
            let (from, to) = (w[0], w[1]);
            let avail: Vec<usize> = acts
                .iter()
                .copied()
                .filter(|&a| est[a] <= from && to <= lst[a] + net.dur[a])
                .collect();
            if avail.is_empty() {
                continue;
            }
            if !self.known.contains_key(&avail) {
                let Some(sets) = self.maximal_sets(net, &avail, late) else {
                    return false;
                };
                self.known.insert(
                    avail.clone(),
                    Family {
                        sets,
                        ran: Vec::new(),
                    },
                );
            }
            intervals.push((from, to, avail));
        }
        let Some((value, ran)) = self.shortfall(net, est, lst, &intervals, late) else {
            return false;
        };
        for (_, _, avail) in &intervals {
            self.known.get_mut(avail).expect("enumerated").ran.clear();
        }
        for (k, i) in ran {
            let family = self.known.get_mut(&intervals[k].2).expect("enumerated");
            if !family.ran.contains(&i) {
                family.ran.push(i);
            }
        }
        value > SHORTFALL
    }

    /// The least total shortfall of the linear program (see the module
    /// documentation), 0 when HiGHS does not answer, and the sets that ran
    /// in its solution (interval, index in its family); `None` once
    /// `late()`.
    fn shortfall(
        &self,
        net: &Net,
        est: &[i64],
        lst: &[i64],
        intervals: &[(i64, i64, Vec<usize>)],
        late: &dyn Fn() -> bool,
    ) -> Option<(f64, Vec<(usize, usize)>)> {
        let n = net.dur.len();
        // The rows as bounds `lo ..= hi`; every lower-bounded row (a demand)
        // gets an elastic slack of cost 1.
        let mut bounds: Vec<(f64, f64)> = Vec::new();
        let mut row = |lo: f64, hi: f64| {
            bounds.push((lo, hi));
            bounds.len() - 1
        };
        let mut whole: Vec<Option<usize>> = vec![None; n];
        for &a in &net.branchable {
            whole[a] = Some(row(net.dur[a] as f64, f64::INFINITY));
        }
        let mut demand: Vec<usize> = whole.iter().flatten().copied().collect();
        let mut shape = Vec::with_capacity(intervals.len());
        for (from, to, avail) in intervals {
            let length = row(f64::NEG_INFINITY, (to - from) as f64);
            let forced: Vec<Option<usize>> = avail
                .iter()
                .map(|&a| {
                    let part = forced_overlap(est[a], lst[a], net.dur[a], *from, *to);
                    (part > 0).then(|| row(part as f64, f64::INFINITY))
                })
                .collect();
            demand.extend(forced.iter().flatten().copied());
            shape.push((length, forced));
        }
        // Each interval's family, looked up once (hashing its key for every
        // set priced took a fifth of a long test).
        let families: Vec<&Family> = intervals.iter().map(|i| &self.known[&i.2]).collect();
        // The rows of the column of set `i` of interval `k`.
        let rows_of = |k: usize, i: usize| -> Vec<usize> {
            let avail = &intervals[k].2;
            let (length, forced) = &shape[k];
            let mut rows = vec![*length];
            for &a in &families[k].sets[i] {
                let j = avail.binary_search(&a).expect("a member");
                rows.extend(whole[a]);
                rows.extend(forced[j]);
            }
            rows
        };
        // Column generation: start from the sets that ran in the last
        // solution with the same available activities; then price every
        // interval's maximal sets against the duals, add the most attractive
        // one per interval and solve again, until none attracts. good_lp
        // builds each round's program anew.
        let mut added: Vec<Vec<bool>> =
            families.iter().map(|f| vec![false; f.sets.len()]).collect();
        let mut columns: Vec<(usize, usize)> = Vec::new();
        let mut column_rows: Vec<Vec<usize>> = Vec::new();
        let mut picks: Vec<(usize, usize)> = families
            .iter()
            .enumerate()
            .flat_map(|(k, f)| f.ran.iter().map(move |&i| (k, i)))
            .collect();
        loop {
            if late() {
                return None;
            }
            for (k, i) in picks.drain(..) {
                if !added[k][i] {
                    added[k][i] = true;
                    columns.push((k, i));
                    column_rows.push(rows_of(k, i));
                }
            }
            let mut vars = ProblemVariables::new();
            let slack: Vec<Variable> = demand
                .iter()
                .map(|_| vars.add(variable().min(0.0)))
                .collect();
            let runs: Vec<Variable> = columns
                .iter()
                .map(|_| vars.add(variable().min(0.0)))
                .collect();
            let mut lhs: Vec<Expression> = vec![Expression::default(); bounds.len()];
            for (&r, &s) in demand.iter().zip(&slack) {
                lhs[r] += s;
            }
            for (rows, &x) in column_rows.iter().zip(&runs) {
                for &r in rows {
                    lhs[r] += x;
                }
            }
            let total: Expression = slack.iter().copied().sum();
            let mut lp = vars
                .minimise(total)
                .using(good_lp::highs)
                .set_option("threads", 1)
                .set_option("presolve", "off");
            let refs: Vec<_> = lhs
                .into_iter()
                .zip(&bounds)
                .map(|(e, &(lo, hi))| {
                    if lo.is_finite() {
                        lp.add_constraint(constraint!(e >= lo))
                    } else {
                        lp.add_constraint(constraint!(e <= hi))
                    }
                })
                .collect();
            // One thread, as set above, on this thread's scheduler.
            crate::schedule::highs_adapter::use_threads(1);
            let Ok(mut solution) = lp.solve() else {
                return Some((0.0, Vec::new()));
            };
            if !matches!(solution.status(), SolutionStatus::Optimal) {
                return Some((0.0, Vec::new()));
            }
            let value: f64 = slack.iter().map(|&s| solution.value(s)).sum();
            if value > SHORTFALL {
                let duals = solution.compute_dual();
                let dual: Vec<f64> = refs.into_iter().map(|c| duals.dual(c)).collect();
                for (k, (_, _, avail)) in intervals.iter().enumerate() {
                    // A set's price is the length row's dual plus, per
                    // member, the duals of its rows in this interval.
                    let (length, forced) = &shape[k];
                    let worth: Vec<f64> = avail
                        .iter()
                        .zip(forced)
                        .map(|(&a, f)| {
                            whole[a].map_or(0.0, |r| dual[r]) + f.map_or(0.0, |r| dual[r])
                        })
                        .collect();
                    let gain = |i: usize| {
                        dual[*length]
                            + families[k].sets[i]
                                .iter()
                                .map(|a| worth[avail.binary_search(a).expect("a member")])
                                .sum::<f64>()
                    };
                    let best = (0..families[k].sets.len())
                        .filter(|&i| !added[k][i])
                        .map(|i| (gain(i), i))
                        .max_by(|x, y| x.0.total_cmp(&y.0));
                    picks.extend(best.filter(|b| b.0 > 1e-9).map(|b| (k, b.1)));
                }
            }
            if picks.is_empty() {
                let ran = columns
                    .iter()
                    .zip(&runs)
                    .filter(|(_, &x)| solution.value(x) > 1e-9)
                    .map(|(&c, _)| c)
                    .collect();
                return Some((value, ran));
            }
        }
    }

    /// The maximal feasible sets among `avail`, or `None` past
    /// [`MAX_SETS`] or once `late()`.
    fn maximal_sets(
        &self,
        net: &Net,
        avail: &[usize],
        late: &dyn Fn() -> bool,
    ) -> Option<Vec<Vec<usize>>> {
        let mut walk = Walk {
            chosen: Vec::new(),
            load: vec![0i64; net.caps.len()],
            out: Vec::new(),
            steps: 0,
            late,
        };
        self.extend(net, avail, 0, &mut walk).then_some(walk.out)
    }

    /// Whether `a` can join `chosen` (running with `load`).
    fn fits(&self, net: &Net, a: usize, chosen: &[usize], load: &[i64]) -> bool {
        chosen.iter().all(|&b| !self.apart[a][b])
            && net.demands[a]
                .iter()
                .all(|&(r, q)| load[r] + q <= net.caps[r])
    }

    /// Depth-first over `avail[i..]`: each activity in or out; a leaf is kept
    /// when no activity left out could join. False past the limits.
    fn extend(&self, net: &Net, avail: &[usize], i: usize, walk: &mut Walk) -> bool {
        walk.steps += 1;
        if walk.steps > 50 * MAX_SETS || (walk.steps.is_multiple_of(4096) && (walk.late)()) {
            return false;
        }
        if i == avail.len() {
            let maximal = avail
                .iter()
                .all(|&a| walk.chosen.contains(&a) || !self.fits(net, a, &walk.chosen, &walk.load));
            if maximal {
                if walk.out.len() >= MAX_SETS {
                    return false;
                }
                walk.out.push(walk.chosen.clone());
            }
            return true;
        }
        let a = avail[i];
        if self.fits(net, a, &walk.chosen, &walk.load) {
            walk.chosen.push(a);
            net.demands[a].iter().for_each(|&(r, q)| walk.load[r] += q);
            let ok = self.extend(net, avail, i + 1, walk);
            net.demands[a].iter().for_each(|&(r, q)| walk.load[r] -= q);
            walk.chosen.pop();
            if !ok {
                return false;
            }
        }
        self.extend(net, avail, i + 1, walk)
    }
}

/// The state of one enumeration of maximal sets.
struct Walk<'a> {
    /// The activities in the set being built.
    chosen: Vec<usize>,
    /// Their demand per resource.
    load: Vec<i64>,
    /// The maximal sets found.
    out: Vec<Vec<usize>>,
    /// Steps taken, against the step limit.
    steps: usize,
    /// The caller's limit.
    late: &'a dyn Fn() -> bool,
}

/// The least number of days an activity of duration `d` started somewhere
/// in `[est, lst]` runs within `[from, to)`.
fn forced_overlap(est: i64, lst: i64, d: i64, from: i64, to: i64) -> i64 {
    let overlap = |s: i64| ((s + d).min(to) - s.max(from)).max(0);
    overlap(est).min(overlap(lst))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{draws, job, problem, random_problem};
    use super::super::{branch_and_bound, ExactSettings, Net};
    use crate::schedule::budget::Budget;
    use std::time::Duration;

    fn one_thread() -> Budget {
        Budget::new(Duration::from_secs(10)).with_threads(1)
    }
    use super::{forced_overlap, SetTest};

    #[test]
    fn the_forced_overlap_is_the_smaller_one_at_the_window_ends() {
        // A 5-day job starting on day 2..=4 always covers days 4..7.
        assert_eq!(forced_overlap(2, 4, 5, 4, 7), 3);
        // Started on day 0 it misses [6, 9) entirely.
        assert_eq!(forced_overlap(0, 4, 5, 6, 9), 0);
        assert_eq!(forced_overlap(3, 3, 5, 0, 10), 5);
    }

    #[test]
    fn three_exclusive_jobs_do_not_fit_four_days_even_with_pauses() {
        let p = problem(&[1], (0..3).map(|_| job(2, vec![(0, 1)])).collect(), &[]);
        let net = Net::new(&p);
        let mut test = SetTest::new(&net);
        assert!(test.refutes(&net, &[0; 3], &[2; 3], 4, &|| false));
        assert!(!test.refutes(&net, &[0; 3], &[4; 3], 6, &|| false));
    }

    #[test]
    fn a_test_past_its_limit_gives_up_without_refuting() {
        // The windows above that no schedule fits: once the caller is late
        // the test answers "might fit" (sound) instead of finishing.
        let p = problem(&[1], (0..3).map(|_| job(2, vec![(0, 1)])).collect(), &[]);
        let net = Net::new(&p);
        let mut test = SetTest::new(&net);
        assert!(!test.refutes(&net, &[0; 3], &[2; 3], 4, &|| true));
        assert!(test.refutes(&net, &[0; 3], &[2; 3], 4, &|| false));
    }

    #[test]
    fn jobs_kept_apart_by_a_link_cannot_share_a_set() {
        // Two 2-day jobs that together fit the capacity, but one follows the
        // other: they need 4 days, not 2.
        let p = problem(
            &[2],
            vec![job(2, vec![(0, 1)]), job(2, vec![(0, 1)])],
            &[(0, 1)],
        );
        let net = Net::new(&p);
        let mut test = SetTest::new(&net);
        assert!(test.refutes(&net, &[0, 0], &[1, 1], 3, &|| false));
        assert!(!test.refutes(&net, &[0, 2], &[0, 2], 4, &|| false));
    }

    /// Random problems of 6–9 activities proved with and without the test
    /// (and its shaving) must have the same optimum, and the test never
    /// refutes windows around an optimal schedule.
    #[test]
    fn the_set_test_never_changes_the_optimum() {
        let mut next = draws(0x5e75_0f5e_7512_3457);
        let mut fewer = 0;
        for _ in 0..120 {
            let n = 6 + next(4) as usize;
            let caps = [1 + next(4) as u32, 1 + next(3) as u32];
            let p = random_problem(&mut next, n, caps, 4);
            let with = branch_and_bound(&p, None, 0, &one_thread(), &ExactSettings::default());
            let without = branch_and_bound(
                &p,
                None,
                0,
                &one_thread(),
                &ExactSettings {
                    sets: false,
                    ..ExactSettings::default()
                },
            );
            assert!(with.proven && without.proven);
            assert_eq!(with.makespan_bound, without.makespan_bound);
            fewer += (with.nodes < without.nodes) as usize;
            let s = with.schedule.expect("a schedule");
            let m = p.score(&s).makespan as i64;
            let net = Net::new(&p);
            let mut test = SetTest::new(&net);
            let slack = next(3) as i64;
            let est: Vec<i64> = s
                .starts
                .iter()
                .map(|&x| (x as i64 - slack).max(0))
                .collect();
            let lst: Vec<i64> = (0..n)
                .map(|a| (s.starts[a] as i64 + slack).min(m - net.dur[a]))
                .collect();
            assert!(
                !test.refutes(&net, &est, &lst, m, &|| false),
                "refuted a feasible schedule's windows"
            );
        }
        assert!(fewer > 0, "the set test never saved a node");
    }
}
